//! Reading a request body: the HTTP half of the parsing (docs/api.md's status codes). 415 unless
//! `application/json`; 413 over [`MAX_BODY_BYTES`]; the rest is the kernels' shared parser
//! ([`parallax_kernels::request`]), whose error kinds map to 400 (malformed JSON, values out of
//! range) and 422 (wrong shape or type).

use axum::http::{HeaderMap, StatusCode, header};
use parallax_kernels::registry::{AnyWorkload, Prepared};
use parallax_kernels::request::{RequestError, RequestErrorKind};

use crate::error::ApiError;

/// Largest request body accepted, in bytes (params are a dozen fields).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
pub use parallax_kernels::request::MAX_DEPTH;

/// Checks that the request says it carries JSON.
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        let shown = if content_type.is_empty() { "none".to_string() } else { format!("{content_type:?}") };
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("Content-Type must be application/json (got {shown})"),
        ))
    }
}

/// Parses `body` into a validated run of `workload`. `pool_threads` bounds `threads`.
pub fn prepare(workload: &dyn AnyWorkload, body: &[u8], pool_threads: usize) -> Result<Box<dyn Prepared>, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::bad_request("the body is not UTF-8 text"))?;
    workload.prepare(text, pool_threads).map_err(ApiError::from)
}

impl From<RequestError> for ApiError {
    fn from(e: RequestError) -> Self {
        let status = match e.kind {
            RequestErrorKind::Malformed | RequestErrorKind::Range => StatusCode::BAD_REQUEST,
            RequestErrorKind::Shape => StatusCode::UNPROCESSABLE_ENTITY,
            RequestErrorKind::Cancelled => StatusCode::GATEWAY_TIMEOUT,
        };
        ApiError { status, field: e.field, message: e.message, retry_after: None }
    }
}
