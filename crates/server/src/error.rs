//! The one error type of the API: every failure becomes a status code and the one JSON shape
//! `{ "error": { "field": <name or null>, "message": <words> } }` (docs/api.md),
//! decided here and nowhere else.

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parallax_kernels::Error as KernelError;
use serde_json::json;

/// An error answer of the API.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// The request field the error is about, if any.
    pub field: Option<String>,
    /// What went wrong, in words for people.
    pub message: String,
    /// For 503: when to try again.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// An error with a status and a message, about no field in particular.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError { status, field: None, message: message.into(), retry_after: None }
    }

    /// The same error, about `field`.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// 400: a value of the right type out of its range, or a body that is not well-formed JSON.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 422: JSON of the wrong shape or type for the field.
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 404 for a route that does not exist.
    pub fn not_found(path: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("no such route: {path}"))
    }
}

/// Kernel validation errors are 400s carrying the kernel's own words, so the page and the
/// server refuse the same input the same way; a cancelled run only reaches a client that is
/// still there when the time limit stopped it (see `compute`).
impl From<KernelError> for ApiError {
    fn from(e: KernelError) -> Self {
        match e {
            KernelError::Invalid { field, message } => ApiError::bad_request(message).field(field),
            KernelError::Cancelled => ApiError::new(StatusCode::GATEWAY_TIMEOUT, "the run was cancelled"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(json!({ "error": { "field": self.field, "message": self.message } }));
        let mut response = (self.status, body).into_response();
        if let Some(after) = self.retry_after {
            let secs = after.as_secs().max(1);
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        // A body that timed out is left half-read: the connection cannot carry another request.
        if self.status == StatusCode::REQUEST_TIMEOUT {
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}
