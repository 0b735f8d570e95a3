//! Many clients leaving mid-run: the pool is idle again and the server's descriptors are back
//! where they were. Alone in its test binary, so no other test's sockets are counted.

mod common;

use std::time::Duration;

use common::{HEAVY, Server, test_config};
use parallax_server::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Open descriptors of this process (the test server runs in it).
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

#[tokio::test]
async fn two_hundred_clients_leaving_mid_run_leave_the_pool_idle_and_no_descriptors_behind() {
    let server = Server::start(Config { queue: 8, ..test_config() }).await;
    let baseline = open_fds();
    let mut clients = Vec::new();
    for i in 0..200u32 {
        let addr = server.addr;
        clients.push(tokio::spawn(async move {
            let mut conn = TcpStream::connect(addr).await.unwrap();
            let head = format!(
                "POST /api/julia HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: \
                {}\r\n\r\n{HEAVY}",
                HEAVY.len()
            );
            conn.write_all(head.as_bytes()).await.unwrap();
            // Hold the connection until aborted (or answered: 429/503 for most).
            let mut sink = Vec::new();
            let _ = conn.read_to_end(&mut sink).await;
            i
        }));
    }
    server.wait_running().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    for c in &clients {
        c.abort();
    }
    assert!(server.wait_idle(Duration::from_secs(10)).await, "the pool is still busy after every client left");
    let mut fds = open_fds();
    for _ in 0..50 {
        if fds <= baseline + 8 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        fds = open_fds();
    }
    assert!(fds <= baseline + 8, "{fds} descriptors open, {baseline} before");
    let info = server.info().await;
    assert!(info["connections"]["open"].as_u64() <= Some(2), "{info}");
}
