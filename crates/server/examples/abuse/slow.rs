//! Slow and silent clients of every kind (docs/hardening.md): trickled heads, silent
//! connections, a trickled body, readers that never read, and readers that drip.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use super::{connect_from, get_info};

/// 300 trickled heads (a byte every 2 s), 100 silent connections, one body trickled at a byte
/// a second: the latest close of each kind, against its deadline.
pub(crate) async fn slow_clients(addr: SocketAddr) {
    let limit = Duration::from_secs(30);
    let mut trickled = Vec::new();
    for _ in 0..300 {
        trickled.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(addr).await.ok()?;
            s.write_all(b"GET /api/info HTTP/1.1\r\nhost: x\r\n").await.ok()?;
            let start = Instant::now();
            while start.elapsed() < limit {
                if s.write_all(b"x").await.is_err() {
                    return Some(start.elapsed().as_secs_f64());
                }
                let mut b = [0u8; 256];
                if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(Duration::from_secs(2), s.read(&mut b)).await {
                    return Some(start.elapsed().as_secs_f64());
                }
            }
            None
        }));
    }
    let mut silent = Vec::new();
    for _ in 0..100 {
        silent.push(tokio::spawn(async move { closed_after(TcpStream::connect(addr).await.ok()?, limit).await }));
    }
    let body = tokio::spawn(async move {
        let mut s = TcpStream::connect(addr).await.ok()?;
        s.write_all(
            b"POST /api/pi HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 10000\r\n\r\n",
        )
        .await
        .ok()?;
        let start = Instant::now();
        let mut answer = Vec::new();
        while start.elapsed() < limit {
            let _ = s.write_all(b" ").await;
            let mut b = [0u8; 512];
            match tokio::time::timeout(Duration::from_secs(1), s.read(&mut b)).await {
                Ok(Ok(0) | Err(_)) => break,
                Ok(Ok(n)) => answer.extend_from_slice(&b[..n]),
                Err(_) => {}
            }
        }
        Some((start.elapsed().as_secs_f64(), String::from_utf8_lossy(&answer).lines().next().unwrap_or("").to_string()))
    });
    let worst = |v: Vec<Option<f64>>| {
        let open = v.iter().filter(|x| x.is_none()).count();
        (v.into_iter().flatten().fold(0.0, f64::max), open)
    };
    let mut t = Vec::new();
    for h in trickled {
        t.push(h.await.unwrap_or(None));
    }
    let mut q = Vec::new();
    for h in silent {
        q.push(h.await.unwrap_or(None));
    }
    let (tw, to) = worst(t);
    let (qw, qo) = worst(q);
    println!(
        "slow heads (300, a byte every 2 s): latest closed after {tw:.1} s (deadline 10 s), still open after 30 s: {to}"
    );
    println!("silent connections (100): latest closed after {qw:.1} s (deadline 10 s), still open: {qo}");
    match body.await.unwrap_or(None) {
        Some((secs, status)) => {
            println!("slow body (10,000 bytes announced, 1 byte/s): {status:?} after {secs:.1} s (deadline 10 s)")
        }
        None => println!("slow body: could not connect"),
    }
}

/// 24 clients ask for 128 MiB raw grids (4096²) and never read: the answers held stay within
/// the budget (the rest get 503), and are given back after the write deadline.
pub(crate) async fn slow_readers(addr: SocketAddr) {
    let body = r#"{"width": 4096, "height": 4096, "steps": 1}"#;
    let mut conns = Vec::new();
    for i in 0..24u8 {
        let ip = IpAddr::from([127, 0, 2, i + 1]);
        if let Ok(mut s) = connect_from(ip, addr).await {
            let head = format!(
                "POST /api/diffusion?format=raw HTTP/1.1\r\nhost: x\r\ncontent-type: \
                application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(head.as_bytes()).await;
            conns.push(s);
        }
    }
    let mut most = 0;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(40) {
        let info = get_info(addr).await;
        most = most.max(info["answers"]["held_kib"].as_u64().unwrap_or(0));
        if info["queue"]["running"] == 0
            && info["queue"]["waiting"] == 0
            && info["answers"]["held_kib"] == 0
            && start.elapsed() > Duration::from_secs(2)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut statuses = BTreeMap::new();
    for mut s in conns {
        let mut head = [0u8; 12];
        let status = match tokio::time::timeout(Duration::from_secs(1), s.read_exact(&mut head)).await {
            Ok(Ok(_)) => String::from_utf8_lossy(&head[9..12]).to_string(),
            _ => "closed".into(),
        };
        *statuses.entry(status).or_insert(0) += 1;
    }
    println!(
        "slow readers (24 × a 128 MiB raw grid, never read): at most {} MiB held (budget 512 MiB), all given \
        back after {:.1} s; first bytes: {statuses:?}",
        most / 1024,
        start.elapsed().as_secs_f64()
    );
}

/// 8 clients ask for 128 MiB raw grids and read them at 1 KiB every 500 ms (2 KiB/s): each
/// drip unblocks a write, so the write rule never fires; the minimum send rate (64 KiB/s over
/// 10 s by default) must close them and give their answers back.
pub(crate) async fn drip_readers(addr: SocketAddr) {
    let body = r#"{"width": 4096, "height": 4096, "steps": 1}"#;
    let mut tasks = Vec::new();
    for i in 0..8u8 {
        tasks.push(tokio::spawn(async move {
            let socket = TcpSocket::new_v4().ok()?;
            socket.set_recv_buffer_size(4096).ok()?;
            socket.bind(SocketAddr::new(IpAddr::from([127, 0, 8, i + 1]), 0)).ok()?;
            let mut s = socket.connect(addr).await.ok()?;
            let head = format!(
                "POST /api/diffusion?format=raw HTTP/1.1\r\nhost: x\r\ncontent-type: \
                application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
            s.write_all(head.as_bytes()).await.ok()?;
            let mut buf = [0u8; 1024];
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(60) {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let _ = tokio::time::timeout(Duration::from_millis(50), s.read(&mut buf)).await;
            }
            Some(())
        }));
    }
    let start = Instant::now();
    let (mut most, mut freed) = (0, None);
    while start.elapsed() < Duration::from_secs(60) {
        let held = get_info(addr).await["answers"]["held_kib"].as_u64().unwrap_or(0);
        most = most.max(held);
        if most > 0 && held == 0 {
            freed = Some(start.elapsed().as_secs_f64());
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for t in tasks {
        t.abort();
    }
    let metrics = reqwest::get(format!("http://{addr}/metrics")).await.unwrap().text().await.unwrap();
    let slow = metrics
        .lines()
        .find_map(|l| l.strip_prefix("parallax_connections_slow_readers_total "))
        .unwrap_or("?")
        .to_string();
    // Which rule closed them: Linux wakes a blocked writer only when about half its queued
    // bytes are gone, so a drip into a large send buffer keeps the write blocked and the write
    // rule (10 s) often fires first; the rate rule catches drips that keep writes moving.
    match freed {
        Some(secs) => println!(
            "drip readers (8 × a 128 MiB raw grid at 2 KiB/s): at most {} MiB held, all given back {secs:.1} \
            s after they asked; closed by the send-rate rule: {slow} (the rest by the write rule)",
            most / 1024
        ),
        None => println!("drip readers: answers STILL HELD after 60 s (at most {} MiB)", most / 1024),
    }
}

/// Reads until the server closes → seconds it took; `None` past `limit`.
async fn closed_after(mut s: TcpStream, limit: Duration) -> Option<f64> {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(limit.saturating_sub(start.elapsed()), s.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return Some(start.elapsed().as_secs_f64()),
            Ok(Ok(_)) => {}
            Err(_) => return None,
        }
    }
}
