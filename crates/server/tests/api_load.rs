//! Overload, time limit and disconnects: every request is answered, and a stopped run really
//! stops (the pool is idle again within seconds).

use std::time::Duration;

use crate::common::{HEAVY, Server, error_of, test_config};
use parallax_server::Config;

#[tokio::test]
async fn a_full_queue_answers_503_with_retry_after_and_every_request_is_answered() {
    let server = Server::start(Config { queue: 2, timeout: Duration::from_secs(2), ..test_config() }).await;
    let first = {
        let (client, url) = (server.client.clone(), server.url("/api/julia"));
        tokio::spawn(
            async move { client.post(url).header("content-type", "application/json").body(HEAVY).send().await },
        )
    };
    server.wait_running().await;
    // Six visitors (six loopback addresses): fairness allows each one waiting run.
    let mut requests = Vec::new();
    for i in 0..6 {
        let (client, url) = (server.client_from(&format!("127.0.0.{}", 10 + i)), server.url("/api/julia"));
        requests.push(tokio::spawn(async move {
            client.post(url).header("content-type", "application/json").body(HEAVY).send().await.unwrap()
        }));
    }
    let mut statuses = Vec::new();
    for r in requests {
        let r = r.await.unwrap();
        let status = r.status().as_u16();
        if status == 503 {
            let after: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!(after >= 1);
        }
        error_of(&r.json().await.unwrap());
        statuses.push(status);
    }
    assert_eq!(first.await.unwrap().unwrap().status(), 504);
    // Two waited (and then hit the time limit), four found the queue full.
    statuses.sort();
    assert_eq!(statuses, [503, 503, 503, 503, 504, 504], "{statuses:?}");
    assert!(server.wait_idle(Duration::from_secs(5)).await);
    let (status, _) = server.post("/api/julia", r#"{"width": 16, "height": 16}"#).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_run_past_the_time_limit_gets_504_and_the_kernel_stops() {
    let server = Server::start(Config { timeout: Duration::from_millis(500), ..test_config() }).await;
    let started = std::time::Instant::now();
    let (status, json) = server.post("/api/julia", HEAVY).await;
    assert_eq!(status, 504, "{json}");
    error_of(&json);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(server.wait_idle(Duration::from_secs(5)).await, "the cancelled kernel is still running");
}

#[tokio::test]
async fn a_client_that_disconnects_mid_run_frees_the_pool() {
    let server = Server::with_defaults().await;
    let request = {
        let (client, url) = (server.client.clone(), server.url("/api/julia"));
        tokio::spawn(
            async move { client.post(url).header("content-type", "application/json").body(HEAVY).send().await },
        )
    };
    server.wait_running().await;
    request.abort();
    assert!(server.wait_idle(Duration::from_secs(5)).await, "the abandoned kernel is still running");
}

#[tokio::test]
async fn a_client_that_disconnects_while_queued_leaves_the_queue() {
    let server = Server::start(Config { timeout: Duration::from_secs(3), ..test_config() }).await;
    let spawn = || {
        let (client, url) = (server.client.clone(), server.url("/api/julia"));
        tokio::spawn(
            async move { client.post(url).header("content-type", "application/json").body(HEAVY).send().await },
        )
    };
    let running = spawn();
    server.wait_running().await;
    let queued = spawn();
    for _ in 0..200 {
        if server.info().await["queue"]["waiting"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(server.info().await["queue"]["waiting"], 1);
    queued.abort();
    running.abort();
    assert!(server.wait_idle(Duration::from_secs(5)).await);
}
