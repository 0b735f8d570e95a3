//! The book cases over HTTP: check values, PNG and raw answers, `/api/info`.

use crate::common::Server;
use parallax_kernels::diffusion::check_values as diffusion_values;
use parallax_kernels::julia::check_values as julia_values;
use parallax_kernels::primes::check_values as primes_values;

#[tokio::test]
async fn julia_book_case_gives_the_books_checksum_for_every_variant() {
    let server = Server::with_defaults().await;
    for body in [
        "{}",
        r#"{"variant": "reference"}"#,
        r#"{"variant": "simd", "threads": 1}"#,
        r#"{"variant": "simd", "lanes": 2}"#,
    ] {
        let (status, json) = server.post("/api/julia", body).await;
        assert_eq!(status, 200, "{body}: {json}");
        assert_eq!(json["workload"], "julia");
        assert_eq!(json["checksum"], julia_values::BOOK_SUM.to_string(), "{body}");
        assert_eq!(json["iterations"], julia_values::BOOK_SUM.to_string());
        assert_eq!(json["max"], julia_values::BOOK_MAX);
        assert!(json["kernel_ms"].as_f64().unwrap() > 0.0);
        assert!(json["queue_ms"].as_f64().unwrap() >= 0.0);
    }
    let (_, json) = server.post("/api/julia", r#"{"width": 640, "height": 480, "max_iter": 500}"#).await;
    assert_eq!(json["checksum"], julia_values::SUM_640_480_500.to_string());
    let (_, json) = server.post("/api/julia", r#"{"variant": "simd", "threads": 2, "lanes": 4}"#).await;
    assert_eq!(
        (json["threads"].as_u64(), json["lanes"].as_u64(), json["variant"].as_str()),
        (Some(2), Some(4), Some("simd"))
    );
}

#[tokio::test]
async fn server_timing_header_carries_the_kernel_time() {
    let server = Server::with_defaults().await;
    let r = server.post_response("/api/julia", r#"{"width": 100, "height": 100}"#).await;
    let timing = r.headers()["server-timing"].to_str().unwrap().to_string();
    assert!(timing.starts_with("kernel;dur="), "{timing}");
}

#[tokio::test]
async fn julia_png_decodes_to_the_requested_size_in_both_maps() {
    let server = Server::with_defaults().await;
    for map in ["grey", "fire"] {
        let r = server
            .client
            .post(server.url(&format!("/api/julia?format=png&map={map}")))
            .header("content-type", "application/json")
            .body(r#"{"width": 320, "height": 200}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "image/png");
        let bytes = r.bytes().await.unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height, info.color_type), (320, 200, png::ColorType::Rgba));
    }
}

#[tokio::test]
async fn julia_raw_is_the_counts_and_sums_to_the_checksum() {
    let server = Server::with_defaults().await;
    let r = server
        .client
        .post(server.url("/api/julia?format=raw"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let checksum: u64 = r.headers()["x-checksum"].to_str().unwrap().parse().unwrap();
    let bytes = r.bytes().await.unwrap();
    assert_eq!(bytes.len(), 1000 * 1000 * 4);
    let sum: u64 = bytes.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap()) as u64).sum();
    assert_eq!((sum, checksum), (julia_values::BOOK_SUM, julia_values::BOOK_SUM));
}

#[tokio::test]
async fn info_lists_the_machine_the_pool_and_the_limits() {
    let server = Server::with_defaults().await;
    let info = server.info().await;
    assert_eq!(info["pool_threads"], 2);
    assert!(info["version"].is_string() && info["cpu"].is_string() && info["simd"].is_string());
    assert!([2, 4, 8].contains(&info["lanes"].as_u64().unwrap()));
    assert_eq!(info["limits"]["julia"]["max_side"], parallax_kernels::limits::JULIA_MAX_SIDE);
    assert_eq!(info["limits"]["body_bytes"], parallax_server::body::MAX_BODY_BYTES);
    assert_eq!(info["queue"]["capacity"], 8);
    assert_eq!(info["queue"]["running"], 0);
}

#[tokio::test]
async fn diffusion_book_case_and_a_rectangle_give_workloads_md_values() {
    let server = Server::with_defaults().await;
    let (status, json) = server.post("/api/diffusion", "{}").await;
    assert_eq!(status, 200, "{json}");
    let book = diffusion_values::BOOK;
    assert_eq!(json["checksum"], book.fnv.to_string());
    assert_eq!(json["sum"].as_f64(), Some(book.sum));
    assert_eq!(json["max"].as_f64(), Some(book.max));
    let c = diffusion_values::C300_200_100;
    for variant in ["reference", "simd"] {
        let body = format!(
            r#"{{"variant": "{variant}", "width": {}, "height": {}, "steps": {}}}"#,
            c.width, c.height, c.steps
        );
        let (_, json) = server.post("/api/diffusion", &body).await;
        assert_eq!(json["checksum"], c.fnv.to_string(), "{variant}");
        assert_eq!(json["sum"].as_f64(), Some(c.sum));
        assert_eq!(json["max"].as_f64(), Some(c.max));
    }
}

#[tokio::test]
async fn diffusion_raw_is_the_grid_and_hashes_to_the_checksum_and_png_decodes() {
    let server = Server::with_defaults().await;
    let post = |q: &str| {
        server
            .client
            .post(server.url(&format!("/api/diffusion?{q}")))
            .header("content-type", "application/json")
            .body(r#"{"width": 256, "height": 256, "steps": 100}"#)
            .send()
    };
    let r = post("format=raw").await.unwrap();
    assert_eq!(r.headers()["x-checksum"].to_str().unwrap(), diffusion_values::C256_100.fnv.to_string());
    let bytes = r.bytes().await.unwrap();
    assert_eq!(bytes.len(), 256 * 256 * 8);
    let grid: Vec<f64> = bytes.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().unwrap())).collect();
    assert_eq!(parallax_kernels::diffusion::fnv1a64(&grid), diffusion_values::C256_100.fnv);
    let r = post("format=png&map=fire").await.unwrap();
    let reader = png::Decoder::new(std::io::Cursor::new(r.bytes().await.unwrap())).read_info().unwrap();
    assert_eq!((reader.info().width, reader.info().height), (256, 256));
}

#[tokio::test]
async fn primes_tasks_give_workloads_md_values() {
    let server = Server::with_defaults().await;
    let (count, first, last) = (primes_values::RANGE_COUNT, primes_values::RANGE_FIRST, primes_values::RANGE_LAST);
    let (range_sum, range_count) = (primes_values::RANGE_SUM.to_string(), format!("\"{count}\""));
    let (range_first, range_last) = (format!("\"{first}\""), format!("\"{last}\""));
    let pi9 = primes_values::PI_POWERS_OF_TEN[9];
    let (pi9_sum, pi9_count) = (pi9.to_string(), format!("\"{pi9}\""));
    let pi6 = primes_values::PI_POWERS_OF_TEN[6].to_string();
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("{}", &[("checksum", "1"), ("is_prime", "true"), ("factor", "null")]),
        (r#"{"n": "100109100129100369"}"#, &[("checksum", "0"), ("factor", "\"95362951\"")]),
        (r#"{"n": 112272535095295, "variant": "reference"}"#, &[("checksum", "0"), ("factor", "\"5\"")]),
        (r#"{"task": "miller_rabin", "n": "3825123056546413051"}"#, &[("checksum", "0"), ("is_prime", "false")]),
        (r#"{"task": "miller_rabin", "n": "18446744073709551557"}"#, &[("checksum", "1"), ("is_prime", "true")]),
        (
            r#"{"task": "range"}"#,
            &[("checksum", &range_sum), ("count", &range_count), ("first", &range_first), ("last", &range_last)],
        ),
        (r#"{"task": "count"}"#, &[("checksum", &pi9_sum), ("count", &pi9_count)]),
        (r#"{"task": "count", "limit": "1000000", "variant": "reference"}"#, &[("checksum", &pi6)]),
    ];
    for (body, expected) in cases {
        let (status, json) = server.post("/api/primes", body).await;
        assert_eq!(status, 200, "{body}: {json}");
        for (key, value) in expected.iter() {
            let want: serde_json::Value =
                if *key == "checksum" { (*value).into() } else { serde_json::from_str(value).unwrap() };
            assert_eq!(json[key], want, "{body}: {key} in {json}");
        }
    }
}

#[tokio::test]
async fn primes_raw_is_the_list_of_a_range_and_png_is_refused() {
    let server = Server::with_defaults().await;
    let r = server
        .client
        .post(server.url("/api/primes?format=raw"))
        .header("content-type", "application/json")
        .body(r#"{"task": "range", "start": 0, "end": 30}"#)
        .send()
        .await
        .unwrap();
    let primes: Vec<u64> =
        r.bytes().await.unwrap().chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect();
    assert_eq!(primes, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    let (status, json) = server.post("/api/primes?format=png", "{}").await;
    assert_eq!((status, json["error"]["field"].as_str()), (400, Some("format")));
}
