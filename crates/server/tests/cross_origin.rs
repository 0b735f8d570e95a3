//! The API on another origin: CORS only for the origins of `--allow-origin` (preflights
//! answered, the headers the page reads exposed), nothing for others; the page's CSP lists the
//! API origins of `--connect-src` in `connect-src`.

use crate::common::{Server, test_config};
use parallax_server::Config;

const PAGE: &str = "http://127.0.0.1:9001";

#[tokio::test]
async fn an_allowed_origin_gets_preflights_and_exposed_headers_others_get_nothing() {
    let server = Server::start(Config { allow_origins: vec![PAGE.into()], ..test_config() }).await;
    let preflight = |origin: &'static str| {
        server
            .client
            .request(reqwest::Method::OPTIONS, server.url("/api/pi"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let r = preflight(PAGE).await.unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(r.headers()["access-control-allow-origin"], PAGE);
    let methods = r.headers()["access-control-allow-methods"].to_str().unwrap().to_ascii_uppercase();
    assert!(methods.contains("POST"), "{methods}");
    assert!(r.headers()["access-control-allow-headers"].to_str().unwrap().contains("content-type"));
    let r = preflight("http://elsewhere.test").await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());

    let r = server
        .client
        .post(server.url("/api/pi?format=png"))
        .header("origin", PAGE)
        .header("content-type", "application/json")
        .body(r#"{"samples": 1000}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["access-control-allow-origin"], PAGE);
    let exposed = r.headers()["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(exposed.contains("server-timing") && exposed.contains("x-checksum"), "{exposed}");
}

#[tokio::test]
async fn without_allow_origin_no_cors_header_is_sent() {
    let server = Server::with_defaults().await;
    let r = server.client.get(server.url("/api/info")).header("origin", PAGE).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn connect_src_lists_the_api_origins_in_the_pages_csp() {
    let server = Server::start(Config { connect_src: vec!["http://api.test:8080".into()], ..test_config() }).await;
    let r = server.client.get(server.url("/")).send().await.unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("connect-src 'self' http://api.test:8080;"), "{csp}");
    let default = Server::with_defaults().await;
    let r = default.client.get(default.url("/")).send().await.unwrap();
    assert!(r.headers()["content-security-policy"].to_str().unwrap().contains("connect-src 'self';"));
}
