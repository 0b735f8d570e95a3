//! The binary itself: flags, the `listening on` line with the port it picked, a real request,
//! and a graceful exit on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The server binary, killed on drop if the test fails before it stopped it.
struct Server {
    child: std::process::Child,
    addr: String,
    /// The rest of stdout after the `listening on` line (there must be none).
    stdout: BufReader<std::process::ChildStdout>,
}

impl Server {
    /// Starts the binary with `args` on port 0 and reads the address from its first line.
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_parallax-server"))
            .args(["--addr", "127.0.0.1:0", "--dist", "/nonexistent"])
            .args(args)
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .or_else(|| line.trim().strip_prefix("listening on https://"))
            .unwrap_or_else(|| panic!("{line:?}"))
            .to_string();
        Server { child, addr, stdout }
    }

    /// Sends `signal` (`-TERM`, `-INT`) to the process.
    fn signal(&self, signal: &str) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args([signal, &pid]).status().unwrap().success());
    }

    /// A connection holding half a request head (what a graceful shutdown must not wait for),
    /// given 200 ms to reach the server.
    fn half_sent_head(&self) -> std::net::TcpStream {
        let mut half = std::net::TcpStream::connect(&self.addr).unwrap();
        std::io::Write::write_all(&mut half, b"GET /api/info HTTP/1.1\r\nhost: x\r\nx-half: ").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        half
    }

    /// Waits (up to `limit`) for the process to exit → how long it took.
    fn exited_within(&mut self, limit: Duration) -> Duration {
        let start = std::time::Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                return start.elapsed();
            }
            assert!(start.elapsed() < limit, "the server was still running {limit:?} after the signal");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGTERM and waits (up to 10 s) for a successful exit.
    fn terminate(&mut self) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                return;
            }
            assert!(std::time::Instant::now() < deadline, "the server did not stop within 10 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn port_zero_prints_the_address_serves_and_exits_on_sigterm() {
    let mut server = Server::start(&["--threads", "1", "--queue", "3", "--timeout", "5"]);
    let addr = server.addr.clone();
    assert!(!addr.ends_with(":0"), "{addr}");

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let info: serde_json::Value = runtime
        .block_on(async { reqwest::get(format!("http://{addr}/api/info")).await.unwrap().json().await.unwrap() });
    assert_eq!((info["pool_threads"].as_u64(), info["queue"]["capacity"].as_u64()), (Some(1), Some(3)));
    assert_eq!(info["timeout_s"], 5.0);
    server.terminate();
    // Stdout is the one line scripts wait for; logs go to stderr.
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut server.stdout, &mut rest).unwrap();
    assert_eq!(rest, "", "stdout after the listening line");
}

#[test]
fn sigterm_with_a_half_sent_head_exits_within_the_drain_deadline() {
    let mut server = Server::start(&["--drain", "1", "--head-timeout", "30"]);
    let _half = server.half_sent_head();
    server.signal("-TERM");
    let took = server.exited_within(Duration::from_secs(5));
    assert!(took <= Duration::from_secs(2), "exited {took:?} after SIGTERM with a 1 s drain");
}

#[test]
fn a_second_signal_exits_at_once() {
    let mut server = Server::start(&["--drain", "60", "--head-timeout", "60"]);
    let _half = server.half_sent_head();
    server.signal("-TERM");
    std::thread::sleep(Duration::from_millis(300));
    assert!(server.child.try_wait().unwrap().is_none(), "the drain had 60 s to go");
    server.signal("-INT");
    let took = server.exited_within(Duration::from_secs(5));
    assert!(took <= Duration::from_secs(1), "{took:?}");
}

#[test]
fn bad_flags_are_refused_with_a_message() {
    for args in [
        &["--threads", "0"][..],
        &["--timeout", "-1"],
        &["--addr", "nowhere"],
        &["--drain", "0"],
        &["--max-connections", "0"],
        &["--trusted-proxy", "proxy.example"],
        &["--tls-cert", "/nonexistent.pem"],
        &["--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key"],
        &["--min-send-rate-kib", "-1"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_parallax-server")).args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn sigterm_stops_a_running_kernel_instead_of_waiting_for_it() {
    let mut server = Server::start(&["--threads", "1", "--timeout", "600", "--drain", "1"]);
    let addr = server.addr.clone();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = reqwest::Client::new();
    let heavy = r#"{"variant": "reference", "threads": 1, "width": 4096, "height": 4096, "max_iter": 1000}"#;
    let request = runtime.spawn(
        client.post(format!("http://{addr}/api/julia")).header("content-type", "application/json").body(heavy).send(),
    );
    runtime.block_on(async {
        // Wait until the kernel runs.
        for _ in 0..200 {
            let info: serde_json::Value =
                client.get(format!("http://{addr}/api/info")).send().await.unwrap().json().await.unwrap();
            if info["queue"]["running"] == 1 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the heavy run never started");
    });
    // SIGTERM while the kernel runs (600 s limit): the server must stop it, not wait.
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = runtime.block_on(request).unwrap().unwrap().status().as_u16();
    assert_eq!(status, 503, "the running request is answered: the server is shutting down");
    // Within the drain deadline (1 s) + 1 s of the signal, though the kernel had 600 s.
    let took = server.exited_within(Duration::from_secs(10));
    assert!(took <= Duration::from_secs(2), "the server waited {took:?} for the kernel instead of stopping it");
}

#[test]
fn https_with_tls_flags_drains_on_sigterm_and_reloads_certificates_on_sighup() {
    let dir = crate::common::tls::make_certs();
    let (cert, key) = (dir.join("leaf.pem"), dir.join("leaf.key"));
    let mut server = Server::start(&[
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
        "--threads",
        "1",
        "--timeout",
        "600",
        "--drain",
        "1",
    ]);
    let client = crate::common::tls::client_config(&dir);
    let get = "GET /api/health HTTP/1.1\r\nhost: parallax.test\r\nconnection: close\r\n\r\n";
    let (answer, first) = crate::common::tls::https_blocking(&server.addr, &client, get);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(first, crate::common::tls::leaf_der(&dir));
    // A renewed leaf and SIGHUP: new connections get it, without a restart.
    crate::common::tls::renew(&dir, "parallax.test renewed");
    server.signal("-HUP");
    let renewed = crate::common::tls::leaf_der(&dir);
    assert_ne!(renewed, first);
    let mut seen = Vec::new();
    for _ in 0..50 {
        let (answer, leaf) = crate::common::tls::https_blocking(&server.addr, &client, get);
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        seen = leaf;
        if seen == renewed {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(seen, renewed, "the reloaded certificate is presented");
    // SIGTERM drains a TLS connection like a plain one: the running kernel is stopped and its
    // request answered 503, within the drain deadline.
    let addr = server.addr.clone();
    let heavy = r#"{"variant": "reference", "threads": 1, "width": 4096, "height": 4096, "max_iter": 1000}"#;
    let request = format!(
        "POST /api/julia HTTP/1.1\r\nhost: parallax.test\r\ncontent-type: application/json\r\ncontent-length: \
        {}\r\nconnection: close\r\n\r\n{heavy}",
        heavy.len()
    );
    let running = std::thread::spawn(move || crate::common::tls::https_blocking(&addr, &client, &request).0);
    std::thread::sleep(Duration::from_millis(500));
    server.signal("-TERM");
    let answer = running.join().unwrap();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    let took = server.exited_within(Duration::from_secs(10));
    assert!(took <= Duration::from_secs(3), "{took:?}");
}
