//! The fourth workload over HTTP, added through its description alone: `/api/pi`'s check
//! values for every variant and thread count, its dart board, its bad input; and
//! `GET /api/workloads`, the descriptions the page builds its forms from.

use crate::common::{Server, error_of};
use parallax_kernels::pi::check_values;
use serde_json::Value;

#[tokio::test]
async fn pi_gives_workloads_md_counts_for_every_variant_width_and_thread_count() {
    let server = Server::with_defaults().await;
    for exec in [
        r#""variant": "reference", "threads": 1"#,
        r#""variant": "reference", "threads": 2"#,
        r#""variant": "simd", "threads": 1"#,
        r#""variant": "simd", "threads": 2, "lanes": 2"#,
        r#""variant": "simd", "threads": 2, "lanes": 8"#,
    ] {
        let (status, json) = server.post("/api/pi", &format!(r#"{{"samples": "1000000", {exec}}}"#)).await;
        assert_eq!(status, 200, "{exec}: {json}");
        assert_eq!(json["workload"], "pi");
        assert_eq!(json["checksum"], check_values::INSIDE_MILLION.to_string(), "{exec}");
        assert_eq!(json["inside"], check_values::INSIDE_MILLION.to_string());
        assert_eq!(json["estimate"], 3.142848);
        assert_eq!(json["deviation"].as_f64(), Some(3.142848 - std::f64::consts::PI));
    }
    // Integers and decimal strings alike; the seed changes the darts.
    let (_, json) = server.post("/api/pi", r#"{"samples": 1000, "seed": "0"}"#).await;
    assert_eq!(json["checksum"], check_values::INSIDE_1000.to_string());
    let (_, json) = server.post("/api/pi", r#"{"samples": 1000, "seed": 7}"#).await;
    assert_ne!(json["checksum"], check_values::INSIDE_1000.to_string());
}

#[tokio::test]
async fn pi_draws_its_dart_board_and_has_no_raw_buffer() {
    let server = Server::with_defaults().await;
    let r = server.post_response("/api/pi?format=png", r#"{"samples": 1000}"#).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-checksum"].to_str().unwrap(), check_values::INSIDE_1000.to_string());
    let png = r.bytes().await.unwrap();
    assert_eq!(&png[1..4], b"PNG");
    // IHDR: width and height, big-endian, at bytes 16..24.
    assert_eq!((&png[16..20], &png[20..24]), (&512u32.to_be_bytes()[..], &512u32.to_be_bytes()[..]));
    let (status, json) = server.post("/api/pi?format=raw", "{}").await;
    assert_eq!(status, 400, "{json}");
    assert_eq!(error_of(&json).0.as_deref(), Some("format"));
}

#[tokio::test]
async fn bad_pi_input_names_samples_with_the_allowed_range() {
    let server = Server::with_defaults().await;
    for (body, status, field) in [
        (r#"{"samples": 0}"#, 400, "samples"),
        (r#"{"samples": 10000000001}"#, 400, "samples"),
        (r#"{"samples": "10000000001"}"#, 400, "samples"),
        (r#"{"samples": "1e3"}"#, 422, "samples"),
        (r#"{"samples": 1e3}"#, 422, "samples"),
        (r#"{"samples": -1}"#, 422, "samples"),
        (r#"{"samples": 18446744073709551616}"#, 422, "samples"),
        (r#"{"samples": 1.5}"#, 422, "samples"),
        (r#"{"seed": -1}"#, 422, "seed"),
        (r#"{"darts": 100}"#, 422, "darts"),
    ] {
        let (got, json) = server.post("/api/pi", body).await;
        assert_eq!(got, status, "{body} → {json}");
        let (got_field, message) = error_of(&json);
        assert_eq!(got_field.as_deref(), Some(field), "{body} → {json}");
        assert!(message.contains(field), "{body}: {message}");
        if status == 400 {
            assert!(message.contains("[1, 10000000000]"), "{body}: the range is named: {message}");
        }
    }
}

#[tokio::test]
async fn workloads_route_serves_every_description_and_info_lists_them() {
    let server = Server::with_defaults().await;
    let r = server.client.get(server.url("/api/workloads")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let served: Value = r.json().await.unwrap();
    let expected = serde_json::to_value(parallax_kernels::registry::descriptions()).unwrap();
    assert_eq!(served, expected);
    let names: Vec<&str> = served.as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["julia", "diffusion", "primes", "pi"]);
    let info = server.info().await;
    assert_eq!(info["workloads"], serde_json::json!(names));
    assert_eq!(info["limits"]["pi"]["max_samples"], "10000000000");
    // Every described workload has its route.
    for name in names {
        let (status, json) = server.post(&format!("/api/{name}"), r#"{"threads": 0}"#).await;
        assert_eq!((status, error_of(&json).0.as_deref()), (400, Some("threads")), "{name}");
    }
}

#[tokio::test]
async fn repeat_runs_the_kernel_n_times_in_one_call_and_reports_time_per_repetition() {
    let server = Server::with_defaults().await;
    let (status, once) = server.post("/api/pi", r#"{"samples": 1000, "repeat": 1}"#).await;
    assert_eq!(status, 200, "{once}");
    let (status, many) = server.post("/api/pi", r#"{"samples": 1000, "repeat": 1000}"#).await;
    assert_eq!(status, 200, "{many}");
    assert_eq!((once["repeat"].as_u64(), many["repeat"].as_u64()), (Some(1), Some(1000)));
    assert_eq!(many["checksum"], once["checksum"]);
    assert!(many["kernel_ms"].as_f64().is_some_and(|ms| ms > 0.0), "{many}");
    // The same run answers the same on a PNG too, its Server-Timing per repetition.
    let r = server.post_response("/api/pi?format=png", r#"{"samples": 1000, "repeat": 3}"#).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["server-timing"].to_str().unwrap().starts_with("kernel;dur="));
    // Out of range is 400, the wrong type 422, as for every field.
    for (body, want) in [(r#"{"repeat": 0}"#, 400), (r#"{"repeat": 1001}"#, 400), (r#"{"repeat": "x"}"#, 422)] {
        let (status, json) = server.post("/api/pi", body).await;
        assert_eq!(status, want, "{body}: {json}");
        assert_eq!(error_of(&json).0.as_deref(), Some("repeat"), "{body}: {json}");
    }
    assert_eq!(server.info().await["limits"]["repeat"], 1000);
}
