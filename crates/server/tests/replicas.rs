//! What a load balancer needs from a replica (docs/deploy.md): `GET /api/health` answers at
//! once even while the pool is busy and the queue full, and `--instance` names the replica in
//! `/api/info` and in an `X-Parallax-Instance` header on every answer (errors and the page too).

use std::time::Duration;

use crate::common::{HEAVY, Server, test_config};
use parallax_server::Config;

#[tokio::test]
async fn health_answers_at_once_while_the_pool_is_busy_and_the_queue_full() {
    let server = Server::start(Config {
        queue: 1,
        timeout: Duration::from_secs(3),
        instance: Some("r1".into()),
        ..test_config()
    })
    .await;
    let mut runs = Vec::new();
    for ip in ["127.0.0.2", "127.0.0.3", "127.0.0.4"] {
        let (client, url) = (server.client_from(ip), server.url("/api/julia"));
        runs.push(tokio::spawn(async move {
            client
                .post(url)
                .header("content-type", "application/json")
                .body(HEAVY)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let started = std::time::Instant::now();
    let health = server.client.get(server.url("/api/health")).send().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(health.status(), 200);
    assert_eq!(health.headers()["x-parallax-instance"], "r1");
    let json: serde_json::Value = health.json().await.unwrap();
    assert_eq!((json["status"].as_str(), json["instance"].as_str()), (Some("ok"), Some("r1")));
    let mut statuses: Vec<u16> = Vec::new();
    for r in runs {
        statuses.push(r.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [503, 504, 504], "one ran, one waited, the queue of one turned the third away");
}

#[tokio::test]
async fn the_instance_is_named_on_every_answer() {
    let server = Server::start(Config { instance: Some("east-2".into()), ..test_config() }).await;
    assert_eq!(server.info().await["instance"], "east-2");
    for (path, body) in [
        ("/api/pi", Some(r#"{"samples": 1000}"#)),
        ("/api/pi", Some(r#"{"samples": -1}"#)),
        ("/", None),
        ("/api/nowhere", None),
    ] {
        let r = match body {
            Some(b) => {
                server.client.post(server.url(path)).header("content-type", "application/json").body(b).send().await
            }
            None => server.client.get(server.url(path)).send().await,
        }
        .unwrap();
        assert_eq!(r.headers()["x-parallax-instance"], "east-2", "{path} {body:?}: {}", r.status());
    }
    // Without --instance: no header, and null in /api/info.
    let plain = Server::with_defaults().await;
    assert!(plain.info().await["instance"].is_null());
    let r = plain.client.get(plain.url("/api/health")).send().await.unwrap();
    assert!(r.headers().get("x-parallax-instance").is_none());
}
