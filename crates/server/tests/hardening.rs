//! The server under abuse, bounded (docs/hardening.md): silent and slow clients are closed
//! within their deadline + 1 s, a slow body gets 408, a client that stops reading loses its
//! connection and its answer's memory, the connection cap refuses at once, oversized heads get
//! 431, and per-client fairness (429) sees through a trusted proxy only (many clients leaving
//! mid-run: tests/disconnects.rs). Every target is loopback, every wait bounded.

mod common;

use std::time::{Duration, Instant};

use common::{HEAVY, Server, error_of, test_config};
use parallax_server::Config;
use parallax_server::serve::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Deadlines of a second or two, so each test ends in a few seconds.
fn short(max_connections: usize) -> Config {
    let limits = Limits {
        head: Duration::from_secs(1),
        idle: Duration::from_secs(1),
        body: Duration::from_secs(1),
        write: Duration::from_secs(1),
        max_connections,
        drain: Duration::from_secs(1),
    };
    Config { limits, ..test_config() }
}

/// Reads until the server closes the connection (EOF or reset) → what it sent, and when; panics
/// after `limit`.
async fn until_closed(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, Duration) {
    let start = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match tokio::time::timeout(limit.saturating_sub(start.elapsed()), stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return (out, start.elapsed()),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the connection was still open after {limit:?}"),
        }
    }
}

#[tokio::test]
async fn a_silent_connection_is_closed_at_the_head_deadline() {
    let server = Server::start(short(64)).await;
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    let (_, after) = until_closed(&mut silent, Duration::from_secs(5)).await;
    assert!(after >= Duration::from_millis(800) && after <= Duration::from_secs(2), "{after:?}");
    assert!(server.info().await["connections"]["timed_out"].as_u64() >= Some(1));
}

#[tokio::test]
async fn a_trickled_head_does_not_extend_its_deadline() {
    let server = Server::start(short(64)).await;
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    let started = Instant::now();
    slow.write_all(b"GET /api/info HTTP/1.1\r\nhost: x\r\nx-slow: ").await.unwrap();
    // One byte every 100 ms: each arrives well inside any per-read timeout.
    while started.elapsed() < Duration::from_secs(5) {
        if slow.write_all(b"a").await.is_err() {
            break;
        }
        let mut probe = [0u8; 1024];
        if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(Duration::from_millis(100), slow.read(&mut probe)).await {
            break;
        }
    }
    let closed = started.elapsed();
    assert!(closed <= Duration::from_secs(2) + Duration::from_millis(300), "closed after {closed:?}");
}

#[tokio::test]
async fn a_kept_alive_connection_is_closed_after_idling() {
    let server = Server::start(short(64)).await;
    let mut conn = TcpStream::connect(server.addr).await.unwrap();
    conn.write_all(b"GET /api/info HTTP/1.1\r\nhost: x\r\n\r\n").await.unwrap();
    // The answer comes (kept alive), then nothing: closed within idle + 1 s.
    let mut first = vec![0u8; 65536];
    let n = conn.read(&mut first).await.unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
    let (_, after) = until_closed(&mut conn, Duration::from_secs(5)).await;
    assert!(after <= Duration::from_secs(2) + Duration::from_millis(300), "{after:?}");
}

#[tokio::test]
async fn a_body_slower_than_its_deadline_gets_408() {
    let server = Server::start(short(64)).await;
    let mut conn = TcpStream::connect(server.addr).await.unwrap();
    let started = Instant::now();
    conn.write_all(
        b"POST /api/pi HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"samp",
    )
    .await
    .unwrap();
    let (answer, _) = until_closed(&mut conn, Duration::from_secs(5)).await;
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("did not arrive within 1 s"), "{text}");
    assert!(text.to_ascii_lowercase().contains("connection: close"), "{text}");
    assert!(started.elapsed() <= Duration::from_secs(2) + Duration::from_millis(300));
}

#[tokio::test]
async fn a_client_that_stops_reading_loses_its_connection_and_its_answers_memory() {
    let server = Server::start(short(64)).await;
    let mut conn = TcpStream::connect(server.addr).await.unwrap();
    // A 2048² raw diffusion grid (32 MiB), never read.
    let body = r#"{"width": 2048, "height": 2048, "steps": 1}"#;
    let head = format!(
        "POST /api/diffusion?format=raw HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    // The answer is held while it waits to be written...
    let mut held = false;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        let info = server.info().await;
        if info["answers"]["held_kib"].as_u64() >= Some(16 * 1024) {
            held = true;
        } else if held {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(held, "the answer was never held");
    // ...and given back once the write deadline closed the connection, though this client
    // still has its socket open.
    let info = server.info().await;
    assert_eq!(info["answers"]["held_kib"], 0, "{info}");
    assert!(start.elapsed() < Duration::from_secs(6), "{:?}", start.elapsed());
    let (got, _) = until_closed(&mut conn, Duration::from_secs(5)).await;
    assert!(got.len() < 32 << 20, "all {} bytes were sent", got.len());
}

#[tokio::test]
async fn connections_over_the_cap_are_refused_at_once_and_a_freed_place_is_served() {
    let mut config = short(4);
    config.limits.head = Duration::from_secs(10);
    let server = Server::start(config).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(server.addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut extra = TcpStream::connect(server.addr).await.unwrap();
    let (answer, after) = until_closed(&mut extra, Duration::from_secs(3)).await;
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    // The body is JSON of exactly its announced length.
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let length: usize = head.lines().find_map(|l| l.strip_prefix("content-length: ")).unwrap().parse().unwrap();
    assert_eq!(body.len(), length, "{text}");
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert!(json["error"]["message"].as_str().unwrap().contains("too many connections"));
    assert!(after < Duration::from_secs(1), "{after:?}");
    // A client that sends its request at once still reads the 503 (no reset).
    let mut eager = TcpStream::connect(server.addr).await.unwrap();
    eager.write_all(b"GET /api/info HTTP/1.1\r\nhost: x\r\n\r\n").await.unwrap();
    let (answer, _) = until_closed(&mut eager, Duration::from_secs(3)).await;
    assert!(answer.starts_with(b"HTTP/1.1 503"), "{}", String::from_utf8_lossy(&answer));
    drop(held.pop());
    // The freed place serves a request (the counter sees the close within a tick).
    let mut answered = false;
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut conn = TcpStream::connect(server.addr).await.unwrap();
        conn.write_all(b"GET /api/info HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await.unwrap();
        let (answer, _) = until_closed(&mut conn, Duration::from_secs(3)).await;
        if answer.starts_with(b"HTTP/1.1 200") {
            let text = String::from_utf8_lossy(&answer).into_owned();
            assert!(text.contains("\"refused\":"), "{text}");
            answered = true;
            break;
        }
    }
    assert!(answered, "a freed place was never served");
}

#[tokio::test]
async fn oversized_heads_get_431() {
    let server = Server::with_defaults().await;
    let big = format!("GET /api/info HTTP/1.1\r\nhost: x\r\nx-big: {}\r\n\r\n", "a".repeat(600 * 1024));
    let many: String = (0..150).map(|i| format!("x-h{i}: v\r\n")).collect();
    let many = format!("GET /api/info HTTP/1.1\r\nhost: x\r\n{many}\r\n");
    for request in [big, many] {
        let mut conn = TcpStream::connect(server.addr).await.unwrap();
        let _ = conn.write_all(request.as_bytes()).await;
        let (answer, _) = until_closed(&mut conn, Duration::from_secs(5)).await;
        assert!(answer.starts_with(b"HTTP/1.1 431"), "{}", String::from_utf8_lossy(&answer[..answer.len().min(200)]));
    }
}

#[tokio::test]
async fn one_waiting_run_per_client_and_a_forged_forwarded_for_changes_nothing() {
    let server = Server::start(Config { queue: 4, timeout: Duration::from_secs(3), ..test_config() }).await;
    let post = |client: reqwest::Client, forwarded: Option<&'static str>| {
        let url = server.url("/api/julia");
        tokio::spawn(async move {
            let mut r = client.post(url).header("content-type", "application/json").body(HEAVY);
            if let Some(f) = forwarded {
                r = r.header("x-forwarded-for", f);
            }
            r.send().await.unwrap()
        })
    };
    let running = post(server.client_from("127.0.0.2"), None);
    server.wait_running().await;
    let waiting = post(server.client_from("127.0.0.2"), None);
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The same visitor again, pretending to be someone else: 429 with Retry-After.
    let again = post(server.client_from("127.0.0.2"), Some("10.9.9.9")).await.unwrap();
    assert_eq!(again.status(), 429);
    assert!(again.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    assert_eq!(error_of(&again.json().await.unwrap()).0, None);
    // Another visitor gets a waiting place of their own.
    let other = post(server.client_from("127.0.0.3"), None);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.info().await["queue"]["waiting"], 2);
    for r in [running, waiting, other] {
        assert_eq!(r.await.unwrap().status(), 504);
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let proxy = "127.0.0.4";
    let config = Config {
        queue: 4,
        timeout: Duration::from_secs(3),
        trusted_proxies: vec![proxy.parse().unwrap()],
        ..test_config()
    };
    let server = Server::start(config).await;
    let post = |forwarded: &'static str| {
        let (client, url) = (server.client_from(proxy), server.url("/api/julia"));
        tokio::spawn(async move {
            client
                .post(url)
                .header("content-type", "application/json")
                .header("x-forwarded-for", forwarded)
                .body(HEAVY)
                .send()
                .await
                .unwrap()
        })
    };
    let running = post("127.0.0.20");
    server.wait_running().await;
    // Two visitors through the proxy: two waiting places; the forged first entry is not believed.
    let a = post("6.6.6.6, 127.0.0.21");
    let b = post("6.6.6.6, 127.0.0.22");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.info().await["queue"]["waiting"], 2);
    let a_again = post("7.7.7.7, 127.0.0.21").await.unwrap();
    assert_eq!(a_again.status(), 429);
    for r in [running, a, b] {
        assert_eq!(r.await.unwrap().status(), 504);
    }
}
