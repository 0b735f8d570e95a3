//! The long load and abuse suite, on demand: `cargo xtask abuse [SECONDS]` (docs/hardening.md).
//! Starts the release binary on loopback and measures: slow and silent clients (each closed
//! within its deadline + 1 s?), a slow body (408), slow readers of 32 MiB answers (the memory
//! bound), drip readers (the minimum send rate) — all in `slow.rs`; a mixed load from 64
//! clients for SECONDS (60 by default) while `/api/info` is sampled (p50/p99), 10,000
//! connections opened at once (accepted and refused), SIGTERM under load (exit within the drain
//! deadline + 1 s?), and the server's RSS before, at the peak and after. Then a server over
//! HTTPS (`tls.rs`): handshake floods, stalled handshakes, and the mixed load over TLS. Every
//! target is 127.0.0.x, every loop bounded in count and time.

mod slow;
mod tls;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::{IpAddr, SocketAddr};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::AsyncReadExt;
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::Mutex;

type Statuses = Arc<Mutex<BTreeMap<u16, u64>>>;

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    raise_nofile();
    let bin = std::env::var("PARALLAX_SERVER").unwrap_or_else(|_| "target/release/parallax-server".into());
    let (mut child, addr) = start(&bin, &[]);
    let pid = child.id();
    let peak = Arc::new(AtomicU64::new(0));
    let sampling = Arc::new(AtomicBool::new(true));
    tokio::spawn(sample_rss(pid, Arc::clone(&peak), Arc::clone(&sampling)));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = rss_kib(pid);
    println!("server pid {pid} at {addr}; RSS idle {} MiB", before / 1024);

    slow::slow_clients(addr).await;
    slow::slow_readers(addr).await;
    slow::drip_readers(addr).await;
    mixed_load(addr, seconds).await;
    many_connections(addr, 10_000).await;
    // The held connections close at the head deadline (10 s); then the counters settle.
    tokio::time::sleep(Duration::from_secs(16)).await;
    let after = rss_kib(pid);
    let info = get_info(addr).await;
    println!(
        "RSS: before {} MiB, peak {} MiB, after {} MiB ({:+.1} % of idle)",
        before / 1024,
        peak.load(Ordering::Relaxed) / 1024,
        after / 1024,
        100.0 * (after as f64 - before as f64) / before as f64
    );
    println!("server counters: connections {}, answers {}", info["connections"], info["answers"]);
    sampling.store(false, Ordering::Relaxed);
    sigterm_under_load(&mut child, addr).await;
    tls::run(&bin, seconds.min(30)).await;
}

/// The server of `bin` on a free loopback port with `extra` flags → it and its address (from its
/// `listening on http(s)://` line).
fn start(bin: &str, extra: &[&std::ffi::OsStr]) -> (Child, SocketAddr) {
    let mut child = Command::new(bin)
        .args(["--addr", "127.0.0.1:0", "--dist", "dist"])
        .args(extra)
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{bin}: {e} (cargo build --release -p parallax-server first)"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let line = line.trim();
    let addr = line.strip_prefix("listening on http://").or_else(|| line.strip_prefix("listening on https://"));
    (child, addr.expect("the listening line").parse().unwrap())
}

/// The client's own open-file limit, raised so 10,000 sockets can be opened.
fn raise_nofile() {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: valid rlimit structs, as getrlimit/setrlimit expect.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

async fn sample_rss(pid: u32, peak: Arc<AtomicU64>, on: Arc<AtomicBool>) {
    while on.load(Ordering::Relaxed) {
        peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn get_info(addr: SocketAddr) -> serde_json::Value {
    reqwest::get(format!("http://{addr}/api/info")).await.unwrap().json().await.unwrap()
}

/// A socket from `ip` (any 127.x address): many visitors from one machine.
async fn connect_from(ip: IpAddr, addr: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(ip, 0))?;
    socket.connect(addr).await
}

/// 64 clients (each its own address) in a loop of mixed runs for `seconds`, and `/api/info`
/// sampled every 100 ms: statuses, runs per second, `/api/info` p50/p99.
async fn mixed_load(addr: SocketAddr, seconds: u64) {
    let bodies = [
        ("julia", r#"{"width": 400, "height": 400}"#),
        ("diffusion", r#"{"width": 256, "height": 256, "steps": 50}"#),
        ("pi", r#"{"samples": "1000000"}"#),
        ("primes", r#"{"task": "range", "start": "100000000", "end": "100100000"}"#),
        ("julia", r#"{"variant": "reference", "width": 640, "height": 480}"#),
    ];
    let statuses: Statuses = Arc::default();
    let stop = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for i in 0..64u8 {
        let statuses = Arc::clone(&statuses);
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .local_address(IpAddr::from([127, 0, 3, i + 1]))
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap();
            let mut k = i as usize;
            while Instant::now() < stop {
                let (w, b) = bodies[k % bodies.len()];
                k += 1;
                let status = match client
                    .post(format!("http://{addr}/api/{w}"))
                    .header("content-type", "application/json")
                    .body(b)
                    .send()
                    .await
                {
                    Ok(r) => {
                        let s = r.status().as_u16();
                        let _ = r.bytes().await;
                        s
                    }
                    Err(_) => 0,
                };
                *statuses.lock().await.entry(status).or_insert(0) += 1;
                if status == 503 || status == 429 {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }));
    }
    let sampler = tokio::spawn(async move {
        let client = reqwest::Client::new();
        let mut times = Vec::new();
        while Instant::now() < stop {
            let t = Instant::now();
            if client.get(format!("http://{addr}/api/info")).send().await.is_ok_and(|r| r.status() == 200) {
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        times
    });
    for t in tasks {
        let _ = t.await;
    }
    let mut times = sampler.await.unwrap();
    times.sort_by(f64::total_cmp);
    let q = |p: f64| times.get(((times.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(f64::NAN);
    let s = statuses.lock().await;
    let ok = s.get(&200).copied().unwrap_or(0);
    println!(
        "mixed load, 64 clients × {seconds} s: statuses {s:?} (0 = no answer); {:.1} runs/s answered 200; \
        /api/info ({} samples) p50 {:.2} ms, p99 {:.2} ms",
        ok as f64 / seconds as f64,
        times.len(),
        q(0.5),
        q(0.99)
    );
}

/// `n` connections opened at once (from several addresses: one address has ~28,000 ports):
/// how many were served (no answer yet: held until the head deadline) and how many refused.
async fn many_connections(addr: SocketAddr, n: usize) {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..n {
        let ip = IpAddr::from([127, 0, 4 + (i / 5000) as u8, 1]);
        tasks.push(tokio::spawn(async move {
            let mut s = match tokio::time::timeout(Duration::from_secs(10), connect_from(ip, addr)).await {
                Ok(Ok(s)) => s,
                _ => return "connect failed",
            };
            let mut b = [0u8; 16];
            match tokio::time::timeout(Duration::from_secs(2), s.read(&mut b)).await {
                Ok(Ok(n)) if n >= 12 && &b[9..12] == b"503" => "refused (503)",
                Ok(Ok(0) | Err(_)) => "closed",
                Ok(Ok(_)) => "other",
                Err(_) => "held open",
            }
        }));
    }
    let mut outcome = BTreeMap::new();
    for t in tasks {
        *outcome.entry(t.await.unwrap_or("panicked")).or_insert(0) += 1;
    }
    let info = get_info(addr).await;
    println!(
        "{n} connections at once ({:.1} s): {outcome:?}; the server's counters: {}",
        start.elapsed().as_secs_f64(),
        info["connections"]
    );
}

/// SIGTERM while 16 clients run: the process exits within the drain deadline (5 s) + 1 s.
async fn sigterm_under_load(child: &mut Child, addr: SocketAddr) {
    let mut load = Vec::new();
    for i in 0..16u8 {
        load.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().local_address(IpAddr::from([127, 0, 5, i + 1])).build().unwrap();
            let body = r#"{"variant": "reference", "width": 2048, "height": 2048, "max_iter": 500}"#;
            client
                .post(format!("http://{addr}/api/julia"))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let start = Instant::now();
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let exited = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break Some(status);
        }
        if start.elapsed() > Duration::from_secs(20) {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let took = start.elapsed().as_secs_f64();
    let mut statuses = BTreeMap::new();
    for l in load {
        *statuses.entry(l.await.unwrap_or(0)).or_insert(0) += 1;
    }
    match exited {
        Some(status) => println!(
            "SIGTERM under load: exited ({status}) {took:.2} s after the signal (drain 5 s); the 16 runs \
            answered {statuses:?}"
        ),
        None => {
            let _ = child.kill();
            println!("SIGTERM under load: STILL RUNNING after 20 s (killed)");
        }
    }
}
