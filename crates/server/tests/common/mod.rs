//! A real server on 127.0.0.1 with an ephemeral port, and the clients the tests drive it with:
//! reqwest for ordinary requests, raw TCP for what a URL library would normalise away.
#![allow(dead_code, unreachable_pub)]

pub mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use parallax_server::serve::serve;
use parallax_server::tls::Certificates;
use parallax_server::{Config, build};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A running server.
pub struct Server {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
}

impl Server {
    /// Starts the app of `config` on an ephemeral port of 127.0.0.1, behind the same hardened
    /// accept loop as `main` (crates/server/src/serve.rs).
    pub async fn start(config: Config) -> Server {
        Server::start_with(config, None).await
    }

    /// The same with `tls`: HTTPS only (`client` then cannot talk to it: see `tls::https`).
    pub async fn start_with(config: Config, tls: Option<std::sync::Arc<Certificates>>) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let limits = config.limits;
        let (router, state) = build(config);
        let conns = std::sync::Arc::clone(&state.conns);
        tokio::spawn(serve(listener, router, limits, conns, tls, std::future::pending(), std::future::pending()));
        let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        Server { addr, client }
    }

    /// The default config with a small page in a temporary dist directory.
    pub async fn with_defaults() -> Server {
        Server::start(test_config()).await
    }

    /// A client whose connections come from `ip` (any 127.x.y.z is this machine's loopback), so
    /// a test can be several visitors to the per-client fairness rule.
    pub fn client_from(&self, ip: &str) -> reqwest::Client {
        reqwest::Client::builder()
            .local_address(ip.parse::<std::net::IpAddr>().unwrap())
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// POSTs `body` as JSON to `path` (with a query string for PNG and raw answers) and
    /// returns the whole response.
    pub async fn post_response(&self, path: &str, body: &str) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap()
    }

    /// POSTs `body` as JSON to `path`; returns status and parsed JSON body.
    pub async fn post(&self, path: &str, body: &str) -> (u16, Value) {
        let r = self.post_response(path, body).await;
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn info(&self) -> Value {
        self.client.get(self.url("/api/info")).send().await.unwrap().json().await.unwrap()
    }

    /// Sends `request` as raw bytes and returns the whole raw answer (connection: close).
    pub async fn raw(&self, request: &str) -> String {
        let mut stream = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut out = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut out)).await.unwrap().unwrap();
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Waits (3 s at most) until a run is on the pool.
    pub async fn wait_running(&self) {
        for _ in 0..300 {
            if self.info().await["queue"]["running"] == 1 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the heavy run never started");
    }

    /// Waits (up to `limit`) until the pool is idle and the queue empty.
    pub async fn wait_idle(&self, limit: Duration) -> bool {
        let start = std::time::Instant::now();
        while start.elapsed() < limit {
            let info = self.info().await;
            if info["queue"]["running"] == 0 && info["queue"]["waiting"] == 0 {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }
}

/// A reference Julia run of several seconds on one thread (it holds the pool in the queue tests).
pub const HEAVY: &str = r#"{"variant": "reference", "threads": 1, "width": 4096, "height": 4096, "max_iter": 1000}"#;

/// A config whose dist directory holds a tiny page, a .wasm file and a secret outside it.
pub fn test_config() -> Config {
    Config { dist: test_dist(), threads: 2, ..Config::default() }
}

/// A fresh directory per call: tests of one binary run in parallel, and rewriting a shared
/// index.html under a reader's feet makes it read an empty file.
fn test_dist() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let root = std::env::temp_dir().join(format!("parallax-server-test-{}-{n}", std::process::id()));
    let dist = root.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>Parallax</title>").unwrap();
    std::fs::write(dist.join("app.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dist.join("app.js"), "export const answer = 42;\n".repeat(100)).unwrap();
    std::fs::write(root.join("secret.txt"), "do not serve").unwrap();
    dist
}

/// The JSON error shape: `{ error: { field, message } }`; returns (field, message).
pub fn error_of(body: &Value) -> (Option<String>, String) {
    let e = &body["error"];
    assert!(e.is_object(), "not the error shape: {body}");
    let message = e["message"].as_str().expect("a message").to_string();
    assert!(!message.is_empty());
    (e["field"].as_str().map(str::to_string), message)
}
