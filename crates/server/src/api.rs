//! The JSON API of docs/api.md: `GET /api/info`, `GET /api/workloads` and
//! `POST /api/<workload>`, one generic handler for every workload of the kernels' registry.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parallax_kernels::colormap::ColorMap;
use parallax_kernels::registry::{self, AnyWorkload, Finished};
use parallax_kernels::{Error as KernelError, Exec, simd};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::body::{self, MAX_BODY_BYTES, MAX_DEPTH};
use crate::error::ApiError;
use crate::{AppState, client, png};

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

/// `POST /api/<name>` for `workload`: validate, queue, run, answer — counted in `/metrics` by
/// workload, variant ("none" when refused before one was read) and status.
pub async fn run(
    workload: &'static dyn AnyWorkload,
    State(state): State<Arc<AppState>>,
    query: Result<Query<Format>, QueryRejection>,
    extensions: Extensions,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut variant = None;
    let response = answer_run(workload, &state, query, extensions, headers, body, &mut variant)
        .await
        .unwrap_or_else(IntoResponse::into_response);
    state.metrics.run(workload.name(), variant.unwrap_or("none"), response.status().as_u16());
    response
}

async fn answer_run(
    workload: &'static dyn AnyWorkload,
    state: &Arc<AppState>,
    query: Result<Query<Format>, QueryRejection>,
    extensions: Extensions,
    headers: HeaderMap,
    body: Body,
    variant: &mut Option<&'static str>,
) -> Result<Response, ApiError> {
    let peer = extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let client = client::client_ip(peer, &headers, &state.trusted_proxies);
    let Query(format) = query.map_err(|e| {
        ApiError::bad_request(format!("the query string is not understood: {}", e.body_text())).field("format")
    })?;
    body::require_json(&headers)?;
    let bytes = read_body(body, state.limits.body).await?;
    let answer = format.answer()?;
    let prepared = body::prepare(workload, &bytes, state.compute.threads())?;
    let exec = prepared.exec();
    *variant = Some(exec.variant.as_str());
    let available = match answer {
        Answer::Json => true,
        Answer::Png(_) => prepared.has_picture(),
        Answer::Raw => prepared.has_raw(),
    };
    if !available {
        return Err(ApiError::bad_request(format!(
            "format = {} is not available for {}",
            format_name(answer),
            workload.name()
        ))
        .field("format"));
    }

    let ((result, kernel), timings) = state
        .compute
        .run(client, move |control| {
            let start = Instant::now();
            let out = prepared.run(control);
            let kernel = start.elapsed();
            // Encoding is CPU work too: it stays on the pool, outside the kernel's time.
            (out.map(|out| render(workload.name(), &exec, out.as_ref(), answer)), kernel)
        })
        .await?;
    let rendered = result.map_err(|e| match e {
        KernelError::Cancelled if state.compute.is_closing() => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is shutting down: the run was stopped")
        }
        e => e.into(),
    })?;
    state.metrics.timed(workload.name(), kernel, timings.queue);
    // Per repetition (`repeat`, docs/api.md): the figure the other side reports too.
    let kernel_ms = kernel.as_secs_f64() * 1e3 / f64::from(exec.repeat.max(1));
    let queue_ms = timings.queue.as_secs_f64() * 1e3;
    let server_timing = format!("kernel;dur={kernel_ms:.3}, queue;dur={queue_ms:.3}");

    let mut response = match rendered {
        Rendered::Json(mut body) => {
            body.insert("kernel_ms".into(), kernel_ms.into());
            body.insert("queue_ms".into(), queue_ms.into());
            Json(body).into_response()
        }
        Rendered::Bytes { content_type, bytes, checksum } => {
            let mut r = (StatusCode::OK, state.answers.hold(bytes)?).into_response();
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
    Json(serde_json::Map<String, Value>),
    Bytes { content_type: &'static str, bytes: Vec<u8>, checksum: u64 },
}

/// The answer in its format. The checksum once per answer (the JSON answer holds it): for
/// diffusion it is a pass over the whole grid, made after the run.
fn render(workload: &str, exec: &Exec, out: &dyn Finished, answer: Answer) -> Rendered {
    match answer {
        Answer::Json => Rendered::Json(registry::answer(workload, exec, out)),
        Answer::Png(map) => {
            let picture = out.picture(map).unwrap_or_default();
            let bytes = png::encode_rgba(picture.width, picture.height, &picture.rgba);
            Rendered::Bytes { content_type: "image/png", bytes, checksum: out.checksum() }
        }
        Answer::Raw => Rendered::Bytes {
            content_type: "application/octet-stream",
            bytes: out.raw().unwrap_or_default(),
            checksum: out.checksum(),
        },
    }
}

fn format_name(answer: Answer) -> &'static str {
    match answer {
        Answer::Json => "json",
        Answer::Png(_) => "png",
        Answer::Raw => "raw",
    }
}

/// Reads the whole body within `deadline` of its head (else 408, and the connection closes),
/// refusing more than [`MAX_BODY_BYTES`] with 413.
async fn read_body(body: Body, deadline: Duration) -> Result<Bytes, ApiError> {
    match tokio::time::timeout(deadline, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is over the limit of {MAX_BODY_BYTES} bytes"),
        )),
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            format!("the request body did not arrive within {} s of its head", deadline.as_secs_f64()),
        )),
    }
}

/// `GET /api/info`: what this server is and runs, its limits and its load.
pub async fn info(State(state): State<Arc<AppState>>) -> Json<Value> {
    let c = &state.compute;
    let isa = simd::Isa::detect();
    let mut limits = serde_json::Map::new();
    limits.insert("body_bytes".into(), MAX_BODY_BYTES.into());
    limits.insert("json_depth".into(), MAX_DEPTH.into());
    limits.insert("threads".into(), c.threads().into());
    limits.insert("repeat".into(), parallax_kernels::exec::MAX_REPEAT.into());
    let descriptions = registry::descriptions();
    for d in &descriptions {
        limits.insert(d.name.into(), Value::Object(d.limits.clone()));
    }
    Json(json!({
        "name": "parallax-server",
        "version": env!("CARGO_PKG_VERSION"),
        "cpu": state.cpu_model,
        "logical_cores": state.logical_cores,
        "pool_threads": c.threads(),
        "simd": isa.name(),
        "lanes": simd::widest_lanes(),
        "workloads": descriptions.iter().map(|d| d.name).collect::<Vec<_>>(),
        "queue": { "capacity": c.queue_capacity(), "waiting": c.waiting(), "running": c.running() },
        "timeout_s": c.timeout().as_secs_f64(),
        "cross_origin_isolation": state.isolation,
        "instance": state.instance,
        "connections": {
            "open": state.conns.open.load(Ordering::Relaxed),
            "accepted": state.conns.accepted.load(Ordering::Relaxed),
            "refused": state.conns.refused.load(Ordering::Relaxed),
            "timed_out": state.conns.timed_out.load(Ordering::Relaxed),
            "max": state.limits.max_connections,
        },
        "answers": {
            "held_kib": state.answers.held_kib(),
            "limit_kib": state.answers.limit_kib(),
        },
        // Each workload's limits come from its description (u64 values as decimal strings).
        "limits": limits,
    }))
}

/// `GET /api/health`: 200 at once, for load balancers' health checks (never queued, no work).
pub async fn health(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({ "status": "ok", "instance": state.instance, "closing": state.compute.is_closing() }))
}

/// `GET /api/workloads`: every workload's description, the same JSON as the wasm module's
/// `describe()`.
pub async fn workloads() -> Json<Value> {
    Json(serde_json::to_value(registry::descriptions()).unwrap_or(Value::Null))
}

/// JSON 404 for unknown routes under `/api/`.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(uri.path())
}

/// JSON 405 for a known route with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed: runs are POST, /api/info and /api/workloads are GET",
    )
}

/// `GET /metrics`: the server in the Prometheus text format (crate::metrics).
pub async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    let mut r = state.metrics.render(&state).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(crate::metrics::CONTENT_TYPE));
    r
}
