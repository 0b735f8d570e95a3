//! The bound on answers held in memory (docs/hardening.md, "Bounded memory"): every binary
//! answer (a raw grid of up to 128 MiB, a PNG) takes its size from one budget, in KiB, and gives
//! it back when its body is dropped — sent, or abandoned with a connection the write deadline
//! closed. Many slow readers therefore hold at most the budget, not a grid each; past it a run
//! gets 503 + Retry-After.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::StatusCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// Permits of the budget are KiB (a semaphore takes at most u32 permits at once).
pub fn budget(max_bytes: usize) -> Semaphore {
    Semaphore::new(max_bytes.div_ceil(1024).max(1))
}

/// KiB of `budget` in use now.
pub fn held_kib(budget: &Semaphore, max_bytes: usize) -> usize {
    max_bytes.div_ceil(1024).max(1) - budget.available_permits()
}

/// `bytes` as an answer body holding its share of `budget` until dropped; 503 when the
/// budget cannot take it now.
pub fn hold(budget: &Arc<Semaphore>, bytes: Vec<u8>) -> Result<Body, ApiError> {
    let kib = u32::try_from(bytes.len().div_ceil(1024).max(1)).unwrap_or(u32::MAX);
    let permit = Arc::clone(budget).try_acquire_many_owned(kib).map_err(|_| ApiError {
        retry_after: Some(Duration::from_secs(5)),
        ..ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is busy sending large answers to other clients; try again shortly",
        )
    })?;
    Ok(Body::new(Held { data: Bytes::from(bytes), _permit: permit }))
}

/// Chunks handed to hyper at a time: hyper asks for the next one only when its write buffer has
/// room, so the body — and its share of the budget — lives until its last chunk is on its way.
/// (Handed over whole, hyper would take it at once and drop the body: the budget would be
/// freed while the bytes still wait in hyper's buffer.)
const CHUNK: usize = 64 * 1024;

struct Held {
    data: Bytes,
    _permit: OwnedSemaphorePermit,
}

impl http_body::Body for Held {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        if self.data.is_empty() {
            return Poll::Ready(None);
        }
        let n = self.data.len().min(CHUNK);
        Poll::Ready(Some(Ok(http_body::Frame::data(self.data.split_to(n)))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.data.len() as u64)
    }
}
