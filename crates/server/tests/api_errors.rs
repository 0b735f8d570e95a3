//! Bad input of every kind: the status docs/api.md assigns, the one JSON error shape, the field
//! named, and a server that answers normally afterwards.

use crate::common::{Server, error_of};

/// (body, expected status, expected field) for the Julia route.
const JULIA_CASES: &[(&str, u16, Option<&str>)] = &[
    // out of range (400), field named
    (r#"{"width": 0}"#, 400, Some("width")),
    (r#"{"height": 100000}"#, 400, Some("height")),
    (r#"{"width": 8192, "height": 8192}"#, 400, Some("height")),
    (r#"{"max_iter": 0}"#, 400, Some("max_iter")),
    (r#"{"max_iter": 1000000}"#, 400, Some("max_iter")),
    (r#"{"x_min": 2.0}"#, 400, Some("x_max")),
    (r#"{"y_max": -5.0}"#, 400, Some("y_max")),
    (r#"{"c_re": 1e300}"#, 400, Some("c_re")),
    (r#"{"threads": 0}"#, 400, Some("threads")),
    (r#"{"threads": 99}"#, 400, Some("threads")),
    (r#"{"lanes": 3}"#, 400, Some("lanes")),
    (r#"{"variant": "reference", "lanes": 2}"#, 400, Some("lanes")),
    // wrong type or not representable (422), field named
    (r#"{"width": "640"}"#, 422, Some("width")),
    (r#"{"width": -1}"#, 422, Some("width")),
    (r#"{"width": 1.5}"#, 422, Some("width")),
    (r#"{"width": 1e3}"#, 422, Some("width")),
    (r#"{"width": "1e3"}"#, 422, Some("width")),
    (r#"{"width": 18446744073709551616}"#, 422, Some("width")),
    (r#"{"width": null}"#, 422, Some("width")),
    (r#"{"max_iter": [300]}"#, 422, Some("max_iter")),
    (r#"{"c_re": "NaN"}"#, 422, Some("c_re")),
    (r#"{"c_im": "Infinity"}"#, 422, Some("c_im")),
    (r#"{"x_min": "-Infinity"}"#, 422, Some("x_min")),
    (r#"{"c_re": 1e400}"#, 422, Some("c_re")),
    (r#"{"variant": "fast"}"#, 422, Some("variant")),
    (r#"{"variant": 1}"#, 422, Some("variant")),
    (r#"{"threads": "2"}"#, 422, Some("threads")),
    (r#"{"threads": -2}"#, 422, Some("threads")),
    (r#"{"lanes": 2.5}"#, 422, Some("lanes")),
    (r#"{"widht": 640}"#, 422, Some("widht")),
    (r#"{"width": 640, "width": 320}"#, 422, Some("width")),
    // wrong shape (422)
    ("[]", 422, None),
    ("42", 422, None),
    (r#""{}""#, 422, None),
    // not well-formed JSON (400)
    ("", 400, None),
    ("   ", 400, None),
    ("{", 400, None),
    (r#"{"width": 640,}"#, 400, None),
    ("{'width': 640}", 400, None),
    (r#"{"width": NaN}"#, 400, None),
    ("{} {}", 400, None),
    (r#"{"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"#, 400, None),
];

#[tokio::test]
async fn every_kind_of_bad_julia_body_gets_its_status_shape_and_field() {
    let server = Server::with_defaults().await;
    for &(body, status, field) in JULIA_CASES {
        let (got, json) = server.post("/api/julia", body).await;
        assert_eq!(got, status, "{body} → {json}");
        let (got_field, message) = error_of(&json);
        assert_eq!(got_field.as_deref(), field, "{body} → {json}");
        if let Some(field) = field {
            assert!(message.contains(field), "{body}: the message should name {field}: {message}");
        }
    }
    // The server goes on answering normally.
    let (status, json) = server.post("/api/julia", r#"{"width": 64, "height": 64}"#).await;
    assert_eq!(status, 200, "{json}");
}

/// (route, body, expected status, expected field) for diffusion and primes.
const OTHER_CASES: &[(&str, &str, u16, Option<&str>)] = &[
    ("diffusion", r#"{"width": 0}"#, 400, Some("width")),
    ("diffusion", r#"{"height": 9000}"#, 400, Some("height")),
    ("diffusion", r#"{"width": 8192, "height": 8192}"#, 400, Some("height")),
    ("diffusion", r#"{"steps": 2000000}"#, 400, Some("steps")),
    ("diffusion", r#"{"dt": 0}"#, 400, Some("dt")),
    ("diffusion", r#"{"dt": -0.1}"#, 400, Some("dt")),
    ("diffusion", r#"{"d": 0}"#, 400, Some("d")),
    ("diffusion", r#"{"dt": 0.3}"#, 400, Some("dt")),
    ("diffusion", r#"{"d": 1e308, "dt": 1e308}"#, 400, Some("dt")),
    ("diffusion", r#"{"dt": "0.1"}"#, 422, Some("dt")),
    ("diffusion", r#"{"d": "NaN"}"#, 422, Some("d")),
    ("diffusion", r#"{"dt": "Infinity"}"#, 422, Some("dt")),
    ("diffusion", r#"{"steps": -5}"#, 422, Some("steps")),
    ("diffusion", r#"{"steps": 4294967296}"#, 422, Some("steps")),
    ("diffusion", r#"{"width": "1e3"}"#, 422, Some("width")),
    ("diffusion", r#"{"grid": 5}"#, 422, Some("grid")),
    ("primes", r#"{"task": "factor"}"#, 422, Some("task")),
    ("primes", r#"{"task": 1}"#, 422, Some("task")),
    ("primes", r#"{"n": "-1"}"#, 422, Some("n")),
    ("primes", r#"{"n": -1}"#, 422, Some("n")),
    ("primes", r#"{"n": "1e3"}"#, 422, Some("n")),
    ("primes", r#"{"n": 1e3}"#, 422, Some("n")),
    ("primes", r#"{"n": 1.5}"#, 422, Some("n")),
    ("primes", r#"{"n": "18446744073709551616"}"#, 422, Some("n")),
    ("primes", r#"{"n": 18446744073709551616}"#, 422, Some("n")),
    ("primes", r#"{"n": " 7"}"#, 422, Some("n")),
    ("primes", r#"{"n": ""}"#, 422, Some("n")),
    ("primes", r#"{"start": "x"}"#, 422, Some("start")),
    ("primes", r#"{"end": true}"#, 422, Some("end")),
    ("primes", r#"{"limit": "NaN"}"#, 422, Some("limit")),
    ("primes", r#"{"task": "range", "start": 10, "end": 5}"#, 400, Some("end")),
    ("primes", r#"{"task": "range", "start": 0, "end": 1000000000}"#, 400, Some("end")),
    ("primes", r#"{"task": "count", "limit": "100000000000"}"#, 400, Some("limit")),
    ("primes", r#"{"task": "count", "limit": "5000000000", "variant": "reference"}"#, 400, Some("limit")),
    ("primes", r#"{"task": "count", "task": "range"}"#, 422, Some("task")),
];

#[tokio::test]
async fn every_kind_of_bad_diffusion_and_primes_body_gets_its_status_shape_and_field() {
    let server = Server::with_defaults().await;
    for &(route, body, status, field) in OTHER_CASES {
        let (got, json) = server.post(&format!("/api/{route}"), body).await;
        assert_eq!(got, status, "{route} {body} → {json}");
        let (got_field, message) = error_of(&json);
        assert_eq!(got_field.as_deref(), field, "{route} {body} → {json}");
        if let Some(field) = field {
            assert!(message.contains(field), "{body}: the message should name {field}: {message}");
        }
    }
    let (status, _) = server.post("/api/primes", r#"{"n": 97}"#).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn out_of_range_messages_are_the_kernels_own_words() {
    let server = Server::with_defaults().await;
    let (_, json) = server.post("/api/julia", r#"{"width": 0}"#).await;
    let kernel = parallax_kernels::julia::JuliaParams { width: 0, ..Default::default() }.validate().unwrap_err();
    assert_eq!(error_of(&json).1, kernel.to_string());
    assert!(kernel.to_string().contains("[1, 8192]"), "{kernel}");
}

#[tokio::test]
async fn content_type_size_route_method_and_format_errors() {
    let server = Server::with_defaults().await;
    let c = &server.client;
    // 415: no content type, or not JSON.
    for ct in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
        let mut req = c.post(server.url("/api/julia")).body("{}");
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 415, "{ct:?}");
        error_of(&r.json().await.unwrap());
    }
    // JSON with a charset parameter is JSON.
    let r = c
        .post(server.url("/api/julia"))
        .header("content-type", "application/json; charset=utf-8")
        .body(r#"{"width":8,"height":8}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // 413: a body over the limit.
    let big = format!(r#"{{"width": 64, "pad": "{}"}}"#, "x".repeat(parallax_server::body::MAX_BODY_BYTES));
    let (status, json) = server.post("/api/julia", &big).await;
    assert_eq!(status, 413, "{json}");
    error_of(&json);
    // 404: unknown route, JSON shape.
    let (status, json) = server.post("/api/mandelbrot", "{}").await;
    assert_eq!(status, 404);
    error_of(&json);
    let r = c.get(server.url("/api/nothing/here")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    // 405: a run is a POST.
    let r = c.get(server.url("/api/julia")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    error_of(&r.json().await.unwrap());
    // 400: unknown format or map.
    for q in ["format=gif", "format=png&map=rainbow", "format=%ff%fe", "format=png&format=raw"] {
        let (status, json) = server.post(&format!("/api/julia?{q}"), "{}").await;
        assert_eq!(status, 400, "{q}");
        let field = error_of(&json).0.unwrap();
        assert!(q.contains(&field), "{q}: {json}");
    }
    // Still fine afterwards.
    let (status, _) = server.post("/api/julia", r#"{"width": 8, "height": 8}"#).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn garbage_over_raw_tcp_gets_an_answer_and_the_server_lives_on() {
    let server = Server::with_defaults().await;
    let answer = server.raw("GARBAGE / HTTP/9.9\r\n\r\n").await;
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 4"), "{answer}");
    let body = "{\"width\": 8";
    let answer = server
        .raw(&format!(
            "POST /api/julia HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \
            {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ))
        .await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    let (status, _) = server.post("/api/julia", r#"{"width": 8, "height": 8}"#).await;
    assert_eq!(status, 200);
}
