//! The JSON API of DESIGN.md ("Server API"): `GET /api/info` and `POST /api/<workload>`.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parallax_kernels::colormap::ColorMap;
use parallax_kernels::{Error as KernelError, Variant, limits, simd};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::body::{self, MAX_BODY_BYTES, MAX_DEPTH};
use crate::error::ApiError;
use crate::workloads::{Diffusion, Julia, Primes, Workload};
use crate::{AppState, png};

/// The query string of a run: `?format=json|png|raw&map=grey|fire`.
#[derive(Debug, Deserialize)]
pub struct Format {
    format: Option<String>,
    map: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Answer {
    Json,
    Png(ColorMap),
    Raw,
}

impl Format {
    fn answer(&self) -> Result<Answer, ApiError> {
        let map = match self.map.as_deref() {
            None => ColorMap::default(),
            Some(name) => ColorMap::from_name(name).ok_or_else(|| {
                ApiError::bad_request(format!("map = {name:?} is not a colour map: allowed \"grey\" or \"fire\""))
                    .field("map")
            })?,
        };
        match self.format.as_deref() {
            None | Some("json") => Ok(Answer::Json),
            Some("png") => Ok(Answer::Png(map)),
            Some("raw") => Ok(Answer::Raw),
            Some(other) => Err(ApiError::bad_request(format!(
                "format = {other:?} is not a format: allowed \"json\", \"png\" or \"raw\""
            ))
            .field("format")),
        }
    }
}

/// `POST /api/<W::NAME>`: validate, queue, run, answer.
pub async fn run<W: Workload>(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Format>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Query(format) = query.map_err(|e| {
        ApiError::bad_request(format!("the query string is not understood: {}", e.body_text())).field("format")
    })?;
    body::require_json(&headers)?;
    let bytes = read_body(body).await?;
    let answer = format.answer()?;
    let request = body::parse::<W::Params>(&bytes, state.compute.threads())?;
    W::validate(&request.params, &request.exec)?;
    let exec = request.exec;
    let available = match answer {
        Answer::Json => true,
        Answer::Png(_) => W::has_picture(&request.params),
        Answer::Raw => W::has_raw(&request.params),
    };
    if !available {
        return Err(ApiError::bad_request(format!("format = {} is not available for {}", format_name(answer), W::NAME)).field("format"));
    }

    let params = request.params;
    let ((result, kernel), timings) = state
        .compute
        .run(move |control| {
            let start = Instant::now();
            let out = W::run(&params, &exec, control);
            let kernel = start.elapsed();
            // Encoding is CPU work too: it stays on the pool, outside the kernel's time.
            (out.map(|out| render::<W>(&params, out, answer)), kernel)
        })
        .await?;
    let rendered = result.map_err(|e| match e {
        KernelError::Cancelled if state.compute.is_closing() => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is shutting down: the run was stopped")
        }
        e => e.into(),
    })?;
    let kernel_ms = kernel.as_secs_f64() * 1e3;
    let queue_ms = timings.queue.as_secs_f64() * 1e3;
    let server_timing = format!("kernel;dur={kernel_ms:.3}, queue;dur={queue_ms:.3}");

    let mut response = match rendered {
        Rendered::Json { checksum, summary } => {
            let mut body = json!({
                "workload": W::NAME,
                "variant": exec.variant.as_str(),
                "threads": exec.threads,
                "lanes": (exec.variant == Variant::Simd).then(|| exec.effective_lanes()),
                "checksum": checksum.to_string(),
                "kernel_ms": kernel_ms,
                "queue_ms": queue_ms,
            });
            if let Value::Object(map) = &mut body {
                map.extend(summary);
            }
            Json(body).into_response()
        }
        Rendered::Bytes { content_type, bytes, checksum } => {
            let mut r = (StatusCode::OK, bytes).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            r.headers_mut().insert("x-checksum", HeaderValue::from(checksum));
            r
        }
    };
    if let Ok(v) = HeaderValue::from_str(&server_timing) {
        response.headers_mut().insert("server-timing", v);
    }
    Ok(response)
}

enum Rendered {
    Json { checksum: u64, summary: serde_json::Map<String, Value> },
    Bytes { content_type: &'static str, bytes: Vec<u8>, checksum: u64 },
}

fn render<W: Workload>(params: &W::Params, out: W::Output, answer: Answer) -> Rendered {
    let checksum = W::checksum(&out);
    match answer {
        Answer::Json => Rendered::Json { checksum, summary: W::summary(&out) },
        Answer::Png(map) => {
            let (w, h, rgba) = W::picture(params, &out, map).unwrap_or_default();
            Rendered::Bytes { content_type: "image/png", bytes: png::encode_rgba(w, h, &rgba), checksum }
        }
        Answer::Raw => {
            Rendered::Bytes { content_type: "application/octet-stream", bytes: W::raw(&out).unwrap_or_default(), checksum }
        }
    }
}

fn format_name(answer: Answer) -> &'static str {
    match answer {
        Answer::Json => "json",
        Answer::Png(_) => "png",
        Answer::Raw => "raw",
    }
}

/// Reads the whole body, refusing more than [`MAX_BODY_BYTES`] with 413.
async fn read_body(body: Body) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("the body is over the limit of {MAX_BODY_BYTES} bytes"))
    })
}

/// `GET /api/info`: what this server is and runs, its limits and its load.
pub async fn info(State(state): State<Arc<AppState>>) -> Json<Value> {
    let c = &state.compute;
    let isa = simd::Isa::detect();
    Json(json!({
        "name": "parallax-server",
        "version": env!("CARGO_PKG_VERSION"),
        "cpu": state.cpu_model,
        "logical_cores": std::thread::available_parallelism().map_or(1, |n| n.get()),
        "pool_threads": c.threads(),
        "simd": isa.name(),
        "lanes": simd::widest_lanes(),
        "workloads": [Julia::NAME, Diffusion::NAME, Primes::NAME],
        "queue": { "capacity": c.queue_capacity(), "waiting": c.waiting(), "running": c.running() },
        "timeout_s": c.timeout().as_secs_f64(),
        "cross_origin_isolation": state.isolation,
        "limits": {
            "body_bytes": MAX_BODY_BYTES,
            "json_depth": MAX_DEPTH,
            "threads": c.threads(),
            "julia": {
                "max_side": limits::JULIA_MAX_SIDE,
                "max_pixels": limits::JULIA_MAX_PIXELS,
                "max_iter": limits::JULIA_MAX_ITER,
                "max_work": limits::JULIA_MAX_WORK,
                "max_coord": limits::JULIA_MAX_COORD,
            },
            "diffusion": {
                "max_side": limits::DIFFUSION_MAX_SIDE,
                "max_cells": limits::DIFFUSION_MAX_CELLS,
                "max_steps": limits::DIFFUSION_MAX_STEPS,
                "max_work": limits::DIFFUSION_MAX_WORK,
                "max_d_dt": limits::DIFFUSION_MAX_D_DT,
            },
            // u64 limits as decimal strings, like every u64 of the API.
            "primes": {
                "max_n": limits::PRIMES_MAX_N.to_string(),
                "max_span": limits::PRIMES_MAX_SPAN.to_string(),
                "max_limit": limits::PRIMES_MAX_LIMIT.to_string(),
                "reference_max_limit": limits::PRIMES_REFERENCE_MAX_LIMIT.to_string(),
                "reference_max_range_work": limits::PRIMES_REFERENCE_MAX_RANGE_WORK.to_string(),
            },
        },
    }))
}

/// JSON 404 for unknown routes under `/api/`.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(uri.path())
}

/// JSON 405 for a known route with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed: runs are POST, /api/info is GET")
}
