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

/// The budget: KiB permits of a semaphore (one takes at most u32 permits at once).
#[derive(Debug)]
pub struct Budget {
    permits: Arc<Semaphore>,
    kib: usize,
}

impl Budget {
    /// A budget of `max_bytes`.
    pub fn new(max_bytes: usize) -> Self {
        let kib = max_bytes.div_ceil(1024).max(1);
        Budget { permits: Arc::new(Semaphore::new(kib)), kib }
    }

    /// KiB in use now.
    pub fn held_kib(&self) -> usize {
        self.kib - self.permits.available_permits()
    }

    /// KiB of the whole budget.
    pub fn limit_kib(&self) -> usize {
        self.kib
    }

    /// `bytes` as an answer body holding its share of the budget until its last byte is
    /// written (or abandoned); 503 when the budget cannot take it now.
    pub fn hold(self: &Arc<Self>, bytes: Vec<u8>) -> Result<Body, ApiError> {
        let kib = u32::try_from(bytes.len().div_ceil(1024).max(1)).unwrap_or(u32::MAX);
        let permit = Arc::clone(&self.permits).try_acquire_many_owned(kib).map_err(|_| ApiError {
            retry_after: Some(Duration::from_secs(5)),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is busy sending large answers to other clients; try again shortly",
            )
        })?;
        let large = bytes.len() >= TRIM_ABOVE;
        let owner = Owner { data: bytes, permit: Some(permit), budget: Arc::clone(self), large };
        Ok(Body::new(Chunks(Bytes::from_owner(owner))))
    }
}

/// Chunks handed to hyper at a time: hyper asks for the next one only when its write buffer has
/// room.
const CHUNK: usize = 64 * 1024;
/// Answers at least this large give their pages back to the system when they go (see `trim`).
const TRIM_ABOVE: usize = 1024 * 1024;

/// The answer's bytes and its share of the budget. Every chunk handed to hyper is a slice of
/// this one owner, so the share goes back only when the last chunk is dropped — written, or
/// abandoned with its connection — not when hyper has merely taken it into its queue.
struct Owner {
    data: Vec<u8>,
    permit: Option<OwnedSemaphorePermit>,
    budget: Arc<Budget>,
    large: bool,
}

impl AsRef<[u8]> for Owner {
    fn as_ref(&self) -> &[u8] {
        &self.data
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        drop(self.permit.take());
        // The last large answer gone: its pages go back to the system.
        if self.large && self.budget.held_kib() == 0 {
            trim();
        }
    }
}

/// Gives freed heap pages back to the system. glibc keeps what a large answer or a run's grids
/// used in its arenas (one per thread that allocated), so after a burst of 128 MiB answers the
/// process would stay hundreds of MiB above idle; `malloc_trim` returns them. Called when the
/// last large answer is dropped, after each kernel job and after a burst of connections, never
/// on a hot path.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own arenas; 0 = keep no padding.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// An answer's body: the owner's bytes in [`CHUNK`]s.
struct Chunks(Bytes);

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        if self.0.is_empty() {
            return Poll::Ready(None);
        }
        let n = self.0.len().min(CHUNK);
        Poll::Ready(Some(Ok(http_body::Frame::data(self.0.split_to(n)))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.0.len() as u64)
    }
}
