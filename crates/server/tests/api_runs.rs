//! The book cases over HTTP: check values, PNG and raw answers, `/api/info`.

mod common;

use common::Server;

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
        assert_eq!(json["checksum"], "33219980", "{body}");
        assert_eq!(json["iterations"], "33219980");
        assert_eq!(json["max"], 300);
        assert!(json["kernel_ms"].as_f64().unwrap() > 0.0);
        assert!(json["queue_ms"].as_f64().unwrap() >= 0.0);
    }
    let (_, json) = server.post("/api/julia", r#"{"width": 640, "height": 480, "max_iter": 500}"#).await;
    assert_eq!(json["checksum"], "16353586");
    let (_, json) = server.post("/api/julia", r#"{"variant": "simd", "threads": 2, "lanes": 4}"#).await;
    assert_eq!((json["threads"].as_u64(), json["lanes"].as_u64(), json["variant"].as_str()), (Some(2), Some(4), Some("simd")));
}

#[tokio::test]
async fn server_timing_header_carries_the_kernel_time() {
    let server = Server::with_defaults().await;
    let r = server
        .client
        .post(server.url("/api/julia"))
        .header("content-type", "application/json")
        .body(r#"{"width": 100, "height": 100}"#)
        .send()
        .await
        .unwrap();
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
    assert_eq!((sum, checksum), (33_219_980, 33_219_980));
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
