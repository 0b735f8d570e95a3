//! The abuse suite over HTTPS (`--tls-cert`): a second server with a throw-away certificate
//! (tests/tls/certs.sh), then handshake floods (real handshakes and garbage), stalled
//! handshakes against the head deadline, and a mixed load over TLS while `/api/info` is sampled,
//! each sample a new TLS connection (its p50/p99 include the handshake).

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

/// Runs the TLS part against a server of `bin` of its own; `seconds` of mixed load.
pub(crate) async fn run(bin: &str, seconds: u64) {
    let dir = std::env::temp_dir().join(format!("parallax-abuse-tls-{}", std::process::id()));
    let status = Command::new("bash").arg("tests/tls/certs.sh").arg(&dir).status().expect("bash");
    assert!(status.success(), "tests/tls/certs.sh failed (openssl missing?)");
    let (cert, key) = (dir.join("leaf.pem"), dir.join("leaf.key"));
    let (mut child, addr) =
        super::start(bin, &["--tls-cert".as_ref(), cert.as_os_str(), "--tls-key".as_ref(), key.as_os_str()]);
    let client = client_config(&dir);
    println!("\nHTTPS (--tls-cert, a throw-away P-256 certificate) at {addr}:");
    handshake_flood(addr, &client).await;
    stalled_handshakes(addr).await;
    mixed_load(addr, &client, seconds).await;
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

fn client_config(dir: &Path) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(dir.join("ca.pem")).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    #[allow(deprecated)] // ring, as the server (crates/server/src/tls.rs says why)
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Arc::new(
        ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

/// One request on a new TLS connection from `ip` (each visitor its own loopback address, as the
/// per-client rule sees them) → (status, ms), or None.
async fn request(
    addr: SocketAddr,
    ip: IpAddr,
    client: &Arc<ClientConfig>,
    method: &str,
    path: &str,
    body: &str,
) -> Option<(u16, f64)> {
    let start = Instant::now();
    let socket = TcpSocket::new_v4().ok()?;
    socket.bind(SocketAddr::new(ip, 0)).ok()?;
    let tcp = socket.connect(addr).await.ok()?;
    let mut tls =
        TlsConnector::from(Arc::clone(client)).connect(ServerName::try_from("parallax.test").ok()?, tcp).await.ok()?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nhost: parallax.test\r\ncontent-type: application/json\r\ncontent-length: \
        {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    tls.write_all(head.as_bytes()).await.ok()?;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(60), tls.read_to_end(&mut out)).await;
    let status = std::str::from_utf8(out.get(9..12)?).ok()?.parse().ok()?;
    Some((status, start.elapsed().as_secs_f64() * 1e3))
}

/// 2,000 full handshakes (200 at a time) and 2,000 garbage ones: rates, and the server after.
async fn handshake_flood(addr: SocketAddr, client: &Arc<ClientConfig>) {
    let start = Instant::now();
    let mut ok = 0;
    for _ in 0..10 {
        let mut batch = tokio::task::JoinSet::new();
        for _ in 0..200 {
            let client = Arc::clone(client);
            batch.spawn(async move {
                let tcp = TcpStream::connect(addr).await.ok()?;
                TlsConnector::from(client).connect(ServerName::try_from("parallax.test").ok()?, tcp).await.ok()
            });
        }
        while let Some(done) = batch.join_next().await {
            ok += usize::from(matches!(done, Ok(Some(_))));
        }
    }
    let real = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let mut closed = 0;
    for b in 0..10u32 {
        let mut batch = tokio::task::JoinSet::new();
        for i in 0..200u32 {
            batch.spawn(async move {
                let mut tcp = TcpStream::connect(addr).await.ok()?;
                let garbage: Vec<u8> = (0..600u32)
                    .map(|j| ((b * 200 + i).wrapping_mul(2_654_435_761) ^ j.wrapping_mul(97)) as u8)
                    .collect();
                let _ = tcp.write_all(&garbage).await;
                let mut sink = Vec::new();
                tokio::time::timeout(Duration::from_secs(15), tcp.read_to_end(&mut sink)).await.ok().map(|_| ())
            });
        }
        while let Some(done) = batch.join_next().await {
            closed += usize::from(matches!(done, Ok(Some(()))));
        }
    }
    let garbage = start.elapsed().as_secs_f64();
    let after = request(addr, IpAddr::from([127, 0, 0, 1]), client, "GET", "/api/health", "").await;
    println!(
        "handshake flood: 2,000 full TLS handshakes (200 at a time) in {real:.1} s ({:.0}/s), {ok} completed; \
        2,000 garbage handshakes in {garbage:.1} s, {closed} closed by the server; /api/health after: {:?}",
        2000.0 / real,
        after.map(|a| a.0)
    );
}

/// 300 connections that send the first bytes of a ClientHello and stall: each must be closed
/// at the head deadline (10 s), not later.
async fn stalled_handshakes(addr: SocketAddr) {
    let mut tasks = Vec::new();
    for _ in 0..300 {
        tasks.push(tokio::spawn(async move {
            let mut tcp = TcpStream::connect(addr).await.ok()?;
            tcp.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01]).await.ok()?;
            let start = Instant::now();
            let mut sink = Vec::new();
            let _ = tokio::time::timeout(Duration::from_secs(30), tcp.read_to_end(&mut sink)).await.ok()?;
            Some(start.elapsed().as_secs_f64())
        }));
    }
    let mut latest: f64 = 0.0;
    let mut open = 0;
    for t in tasks {
        match t.await.ok().flatten() {
            Some(s) => latest = latest.max(s),
            None => open += 1,
        }
    }
    println!(
        "stalled handshakes (300): latest closed after {latest:.1} s (head deadline 10 s), still open after \
        30 s: {open}"
    );
}

/// 32 clients of mixed runs over TLS (a connection per request) for `seconds`, `/api/info`
/// sampled every 100 ms on a new TLS connection each time.
async fn mixed_load(addr: SocketAddr, client: &Arc<ClientConfig>, seconds: u64) {
    let bodies = [
        ("julia", r#"{"width": 400, "height": 400}"#),
        ("diffusion", r#"{"width": 256, "height": 256, "steps": 50}"#),
        ("pi", r#"{"samples": "1000000"}"#),
        ("primes", r#"{"task": "range", "start": "100000000", "end": "100100000"}"#),
    ];
    let stop = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..32usize {
        let client = Arc::clone(client);
        tasks.spawn(async move {
            let mut statuses = std::collections::BTreeMap::new();
            let mut k = i;
            while Instant::now() < stop {
                let (w, b) = bodies[k % bodies.len()];
                k += 1;
                let status =
                    request(addr, IpAddr::from([127, 0, 6, i as u8 + 1]), &client, "POST", &format!("/api/{w}"), b)
                        .await
                        .map_or(0, |r| r.0);
                *statuses.entry(status).or_insert(0u64) += 1;
                if status == 503 || status == 429 {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
            statuses
        });
    }
    let sampler = {
        let client = Arc::clone(client);
        tokio::spawn(async move {
            let mut times = Vec::new();
            while Instant::now() < stop {
                if let Some((200, ms)) =
                    request(addr, IpAddr::from([127, 0, 7, 1]), &client, "GET", "/api/info", "").await
                {
                    times.push(ms);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            times
        })
    };
    let mut all = std::collections::BTreeMap::new();
    while let Some(Ok(s)) = tasks.join_next().await {
        for (k, v) in s {
            *all.entry(k).or_insert(0) += v;
        }
    }
    let mut times = sampler.await.unwrap();
    times.sort_by(f64::total_cmp);
    let q = |p: f64| times.get(((times.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(f64::NAN);
    println!(
        "mixed load over TLS, 32 clients × {seconds} s (a new TLS connection per request): statuses {all:?}; \
        {:.1} runs/s answered 200; /api/info ({} samples, handshake included) p50 {:.2} ms, p99 {:.2} ms",
        *all.get(&200).unwrap_or(&0) as f64 / seconds as f64,
        times.len(),
        q(0.5),
        q(0.99)
    );
}
