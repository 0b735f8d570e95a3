//! HTTPS on the server itself (`--tls-cert`, crates/server/src/tls.rs), in process behind the
//! same accept loop as `main`: answers with HSTS, plain HTTP refused, a stalled handshake closed
//! by the head deadline, a flood of garbage handshakes survived, and `/metrics` counting it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::tls::{client_config, https, make_certs};
use crate::common::{Server, test_config};
use parallax_server::Config;
use parallax_server::serve::Limits;
use parallax_server::tls::Certificates;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn tls_server() -> (Server, Arc<tokio_rustls::rustls::ClientConfig>) {
    let dir = make_certs();
    let certs = Certificates::load(&dir.join("leaf.pem"), &dir.join("leaf.key")).unwrap();
    let limits = Limits { head: Duration::from_secs(1), idle: Duration::from_secs(2), ..Limits::default() };
    let server = Server::start_with(Config { limits, ..test_config() }, Some(Arc::new(certs))).await;
    (server, client_config(&dir))
}

#[tokio::test]
async fn https_answers_with_hsts_and_computes_the_book_checksum() {
    let (server, client) = tls_server().await;
    let info =
        https(server.addr, &client, "GET /api/info HTTP/1.1\r\nhost: parallax.test\r\nconnection: close\r\n\r\n").await;
    assert!(info.starts_with("HTTP/1.1 200"), "{info}");
    assert!(info.to_ascii_lowercase().contains("strict-transport-security: max-age=63072000"), "{info}");
    let body = r#"{"width": 1000, "height": 1000}"#;
    let run = https(
        server.addr,
        &client,
        &format!(
            "POST /api/julia HTTP/1.1\r\nhost: parallax.test\r\ncontent-type: \
            application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    // The book's Julia checksum (docs/workloads.md): the same over TLS as anywhere.
    assert!(run.contains(r#""checksum":"33219980""#), "{run}");
    // Plain HTTP to the HTTPS port gets no HTTP answer.
    let plain = server_raw(&server, b"GET /api/info HTTP/1.1\r\nhost: x\r\n\r\n").await;
    assert!(!plain.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&plain));
}

/// Writes `bytes` on a fresh TCP connection and reads until the server closes it (10 s at most).
async fn server_raw(server: &Server, bytes: &[u8]) -> Vec<u8> {
    let mut tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let _ = tcp.write_all(bytes).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), tcp.read_to_end(&mut out)).await.expect("closed within 10 s");
    out
}

#[tokio::test]
async fn a_stalled_handshake_is_closed_at_the_head_deadline_and_garbage_changes_nothing() {
    let (server, client) = tls_server().await;
    // The first bytes of a ClientHello, then silence.
    let started = Instant::now();
    server_raw(&server, &[0x16, 0x03, 0x01, 0x02, 0x00, 0x01]).await;
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "closed after {took:?} (head deadline 1 s)"
    );
    // 200 garbage handshakes at once: each refused by rustls, none answered, none kept.
    let mut floods = tokio::task::JoinSet::new();
    for i in 0..200u32 {
        let addr = server.addr;
        floods.spawn(async move {
            let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
            let garbage: Vec<u8> =
                (0..512u32).map(|j| (i.wrapping_mul(2_654_435_761).wrapping_add(j * 97) >> 7) as u8).collect();
            let _ = tcp.write_all(&garbage).await;
            let mut out = Vec::new();
            let _ = tokio::time::timeout(Duration::from_secs(10), tcp.read_to_end(&mut out))
                .await
                .expect("closed within 10 s");
        });
    }
    while floods.join_next().await.is_some() {}
    let after =
        https(server.addr, &client, "GET /metrics HTTP/1.1\r\nhost: parallax.test\r\nconnection: close\r\n\r\n").await;
    assert!(after.starts_with("HTTP/1.1 200"), "{after}");
    let timed_out = after.lines().find_map(|l| l.strip_prefix("parallax_connections_timed_out_total ")).unwrap();
    assert!(timed_out.parse::<f64>().unwrap() >= 1.0, "the stalled handshake counts as timed out: {timed_out}");
    let accepted = after.lines().find_map(|l| l.strip_prefix("parallax_connections_accepted_total ")).unwrap();
    assert!(accepted.parse::<f64>().unwrap() >= 202.0, "{accepted}");
}
