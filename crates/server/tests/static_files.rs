//! The page's static files: isolation and hardening headers, the wasm MIME type, compression,
//! and no way out of the dist directory in any encoding.

use crate::common::{Server, test_config};
use parallax_server::Config;

#[tokio::test]
async fn the_page_carries_the_isolation_and_security_headers() {
    let server = Server::with_defaults().await;
    for path in ["/", "/index.html", "/api/info"] {
        let r = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers();
        assert_eq!(h["cross-origin-opener-policy"], "same-origin", "{path}");
        assert_eq!(h["cross-origin-embedder-policy"], "require-corp");
        let corp = if path.starts_with("/api/") { "cross-origin" } else { "same-origin" };
        assert_eq!(h["cross-origin-resource-policy"], corp, "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("worker-src 'self' blob:"), "{csp}");
    }
    let r = server.client.get(server.url("/")).send().await.unwrap();
    assert!(r.text().await.unwrap().contains("<title>Parallax</title>"));
}

#[tokio::test]
async fn wasm_is_served_as_application_wasm_and_text_is_compressed() {
    let server = Server::with_defaults().await;
    let r = server.client.get(server.url("/app.wasm")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/wasm");
    let r = server.client.get(server.url("/app.js")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn no_isolation_drops_coop_and_coep_only() {
    let server = Server::start(Config { isolation: false, ..test_config() }).await;
    let r = server.client.get(server.url("/")).send().await.unwrap();
    assert!(r.headers().get("cross-origin-opener-policy").is_none());
    assert!(r.headers().get("cross-origin-embedder-policy").is_none());
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(server.info().await["cross_origin_isolation"], false);
}

#[tokio::test]
async fn traversal_is_refused_in_every_encoding() {
    let server = Server::with_defaults().await;
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/.%2e/secret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/%2fetc%2fpasswd",
        "/..%252fsecret.txt",
        "/foo/../../secret.txt",
        "/C:%5cWindows%5cwin.ini",
    ] {
        let answer = server.raw(&format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).await;
        let status_line = answer.lines().next().unwrap_or("");
        assert!(!answer.contains("do not serve"), "{path} leaked the file: {status_line}");
        assert!(!answer.contains("root:"), "{path} leaked /etc/passwd");
        assert!(status_line.starts_with("HTTP/1.1 4"), "{path}: {status_line}");
    }
}
