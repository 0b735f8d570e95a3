//! The server under abuse, bounded (docs/hardening.md): silent and slow clients are closed
//! within their deadline + 1 s, a slow body gets 408, a client that stops reading loses its
//! connection and its answer's memory, the connection cap refuses at once, oversized heads get
//! 431, and per-client fairness (429) sees through a trusted proxy only (many clients leaving
//! mid-run: tests/disconnects.rs). Every target is loopback, every wait bounded.

use std::time::{Duration, Instant};

use crate::common::{HEAVY, Server, error_of, test_config};
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
        ..Limits::default()
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
        "POST /api/diffusion?format=raw HTTP/1.1\r\nhost: x\r\ncontent-type: \
        application/json\r\ncontent-length: {}\r\n\r\n{body}",
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

#[tokio::test]
async fn a_drip_reader_is_closed_by_the_minimum_send_rate_and_its_answer_freed() {
    // Only the rate rule may close it: the write rule gets 60 s (and each drip would unblock a
    // write anyway).
    let limits = Limits {
        write: Duration::from_secs(60),
        min_send_rate: 256 * 1024,
        send_rate_window: Duration::from_secs(2),
        ..short(64).limits
    };
    let server = Server::start(Config { limits, ..test_config() }).await;
    let body = r#"{"width": 2048, "height": 2048, "steps": 1}"#;
    let head = format!(
        "POST /api/diffusion?format=raw HTTP/1.1\r\nhost: x\r\ncontent-type: \
        application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    // A fast reader of the same 32 MiB answer is never cut.
    let mut fast = TcpStream::connect(server.addr).await.unwrap();
    fast.write_all(head.replace("\r\n\r\n", "\r\nconnection: close\r\n\r\n").as_bytes()).await.unwrap();
    let (all, _) = until_closed(&mut fast, Duration::from_secs(30)).await;
    assert!(all.len() > 32 << 20, "the fast reader got {} bytes", all.len());
    // The drip reader: a small receive buffer, 2 KiB every 300 ms (≈ 7 KiB/s).
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut conn = socket.connect(server.addr).await.unwrap();
    conn.write_all(head.as_bytes()).await.unwrap();
    let mut buf = [0u8; 2048];
    let mut held_at = None;
    let start = Instant::now();
    // Seen from the server: the answer's budget held, then given back while the client still
    // drips (its own buffers hide the close from it).
    let freed = loop {
        assert!(start.elapsed() < Duration::from_secs(20), "the drip reader's answer was still held after 20 s");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let _ = tokio::time::timeout(Duration::from_millis(50), conn.read(&mut buf)).await;
        let held = server.info().await["answers"]["held_kib"].as_u64().unwrap();
        match held_at {
            None if held >= 16 * 1024 => held_at = Some(Instant::now()),
            Some(at) if held == 0 => break at.elapsed(),
            _ => {}
        }
    };
    assert!(freed >= Duration::from_millis(1500), "freed {freed:?} after it was held: before a whole window");
    let metrics = server.client.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("\nparallax_connections_slow_readers_total 1\n"), "{metrics}");
}

#[tokio::test]
async fn metrics_are_the_text_format_and_move_with_runs_refusals_and_timeouts() {
    let server = Server::start(short(64)).await;
    let scrape = || async {
        let r = server.client.get(server.url("/metrics")).send().await.unwrap();
        assert_eq!(r.headers()["content-type"], "text/plain; version=0.0.4");
        r.text().await.unwrap()
    };
    let sample = |text: &str, series: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(series).and_then(|v| v.strip_prefix(' ')))
            .map_or(0.0, |v| v.parse().unwrap())
    };
    let before = scrape().await;
    check_exposition(&before);
    assert_eq!(sample(&before, r#"parallax_build_info{simd=""#).max(1.0), 1.0);
    let (status, _) = server.post("/api/julia", r#"{"width": 64, "height": 64}"#).await;
    assert_eq!(status, 200);
    let (status, _) = server.post("/api/julia", r#"{"width": -1}"#).await;
    assert_eq!(status, 422);
    let (status, _) = server.post("/api/pi", r#"{"samples": "1000", "variant": "reference"}"#).await;
    assert_eq!(status, 200);
    // A silent connection: closed at the head deadline (1 s), counted.
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    until_closed(&mut silent, Duration::from_secs(5)).await;
    let after = scrape().await;
    check_exposition(&after);
    let runs = |text: &str, labels: &str| sample(text, &format!("parallax_runs_total{{{labels}}}"));
    assert_eq!(runs(&after, r#"status="200",variant="simd",workload="julia""#), 1.0, "{after}");
    assert_eq!(runs(&after, r#"status="422",variant="none",workload="julia""#), 1.0, "{after}");
    assert_eq!(runs(&after, r#"status="200",variant="reference",workload="pi""#), 1.0, "{after}");
    assert_eq!(sample(&after, r#"parallax_kernel_seconds_count{workload="julia"}"#), 1.0);
    assert_eq!(sample(&after, r#"parallax_queue_seconds_count{workload="pi"}"#), 1.0);
    assert!(
        sample(&after, "parallax_connections_timed_out_total")
            >= sample(&before, "parallax_connections_timed_out_total") + 1.0
    );
    assert!(
        sample(&after, "parallax_connections_accepted_total") > sample(&before, "parallax_connections_accepted_total")
    );
    assert_eq!(sample(&after, "parallax_answers_limit_bytes"), parallax_server::DEFAULT_MAX_ANSWER_BYTES as f64);
    // promtool, where it is installed (Debian's `prometheus` package), has the last word.
    if let Ok(mut child) = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), after.as_bytes()).unwrap();
        drop(child.stdin.take());
        let out = child.wait_with_output().unwrap();
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && said.trim().is_empty(), "promtool check metrics: {said}");
    }
}

/// The text exposition format 0.0.4, as Prometheus reads it: every sample's family announced by
/// HELP then TYPE before it; names in [a-zA-Z_:][a-zA-Z0-9_:]*; counters named `_total`;
/// histograms with `_bucket` (ending at `le="+Inf"`), `_sum` and `_count`; every value a number.
fn check_exposition(text: &str) {
    let name_ok = |n: &str| {
        n.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    let mut families: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut help: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let name = rest.split(' ').next().unwrap();
            assert!(name_ok(name), "{line}");
            help = Some(name.to_string());
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert_eq!(help.as_deref(), Some(name), "TYPE without its HELP: {line}");
            assert!(["counter", "gauge", "histogram"].contains(&kind), "{line}");
            if kind == "counter" {
                assert!(name.ends_with("_total"), "a counter not named _total: {line}");
            }
            families.insert(name.to_string(), kind.to_string());
        } else {
            assert!(!line.is_empty() && !line.starts_with('#'), "an unexpected line: {line:?}");
            let (series, value) = line.rsplit_once(' ').unwrap();
            value.parse::<f64>().unwrap_or_else(|_| panic!("not a number: {line}"));
            let name = series.split('{').next().unwrap();
            assert!(name_ok(name), "{line}");
            let family = families
                .keys()
                .find(|f| {
                    name == f.as_str()
                        || (families[f.as_str()] == "histogram"
                            && ["_bucket", "_sum", "_count"].iter().any(|s| name == format!("{f}{s}")))
                })
                .unwrap_or_else(|| panic!("a sample before its family's HELP and TYPE: {line}"));
            assert!(!family.is_empty());
        }
    }
    for (f, kind) in &families {
        if kind == "histogram" {
            assert!(text.contains(&format!("{f}_bucket{{")) || !text.contains(&format!("{f}_count")), "{f}");
        }
    }
    assert!(families.len() >= 13, "{} families", families.len());
}
