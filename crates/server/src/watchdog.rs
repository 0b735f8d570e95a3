//! Each connection's watchdog parts (crate::serve, docs/hardening.md): the socket wrapper that
//! records when bytes move and when a write waits on the client, the requests in flight (until
//! their answer's body is dropped), and the rules the watchdog applies — the head, idle and
//! write deadlines ([`Progress::expired`]) and the minimum send rate ([`SendRate`]).

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use crate::serve::Limits;

/// The minimum send rate (docs/hardening.md): samples of the bytes written, one per watchdog
/// tick, over the last `send_rate_window`. A connection is too slow when, over a whole window,
/// a write waited on the client at four ticks in five at least (the client, not the server,
/// is what holds the answer back: a long kernel writes nothing and never counts) and fewer
/// bytes than `min_send_rate` × the window went out. A drip reader passes the write rule (each
/// drip unblocks a write) but not this one.
#[derive(Default)]
pub(crate) struct SendRate {
    /// (ms since the connection's epoch, bytes written by then, a write waiting then)
    samples: VecDeque<(u64, u64, bool)>,
}

impl SendRate {
    pub(crate) fn too_slow(&mut self, progress: &Progress, limits: &Limits) -> bool {
        if limits.min_send_rate == 0 {
            return false;
        }
        let now = progress.now();
        let blocked = progress.blocked_since.load(Ordering::Relaxed) != NOT_BLOCKED;
        self.samples.push_back((now, progress.written.load(Ordering::Relaxed), blocked));
        let window = millis(limits.send_rate_window);
        // The oldest sample kept is the newest one at least a window old.
        while self.samples.len() > 1 && now.saturating_sub(self.samples[1].0) >= window {
            self.samples.pop_front();
        }
        let (t0, w0, _) = self.samples[0];
        if now.saturating_sub(t0) < window {
            return false;
        }
        let waiting = self.samples.iter().filter(|s| s.2).count();
        if waiting * 5 < self.samples.len() * 4 {
            return false;
        }
        let sent = progress.written.load(Ordering::Relaxed).saturating_sub(w0);
        (sent as f64) < limits.min_send_rate as f64 * (now - t0) as f64 / 1000.0
    }
}

/// What a connection's watchdog reads: when bytes last moved, since when a write has been
/// blocked, how many requests started and how many are in flight. Times are milliseconds since
/// `epoch`.
pub(crate) struct Progress {
    epoch: Instant,
    last_io: AtomicU64,
    pub(crate) blocked_since: AtomicU64,
    started: AtomicU64,
    in_flight: AtomicUsize,
    pub(crate) written: AtomicU64,
}

/// `blocked_since` when no write is blocked.
const NOT_BLOCKED: u64 = u64::MAX;

impl Progress {
    pub(crate) fn new() -> Self {
        Progress {
            epoch: Instant::now(),
            last_io: AtomicU64::new(0),
            blocked_since: AtomicU64::new(NOT_BLOCKED),
            started: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            written: AtomicU64::new(0),
        }
    }

    pub(crate) fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX - 1)
    }

    fn moved(&self) {
        self.last_io.store(self.now(), Ordering::Relaxed);
    }

    /// Why the connection must close now, if it must.
    pub(crate) fn expired(&self, limits: &Limits, accepted: Instant) -> Option<&'static str> {
        let now = self.now();
        let blocked = self.blocked_since.load(Ordering::Relaxed);
        if blocked != NOT_BLOCKED && now.saturating_sub(blocked) > millis(limits.write) {
            return Some("its answer could not be written (the client stopped reading)");
        }
        if self.in_flight.load(Ordering::Relaxed) > 0 {
            return None;
        }
        if self.started.load(Ordering::Relaxed) == 0 {
            return (accepted.elapsed() > limits.head).then_some("no request head within the deadline");
        }
        (now.saturating_sub(self.last_io.load(Ordering::Relaxed)) > millis(limits.idle)).then_some("idle")
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// A request in flight on its connection, until its answer's body is dropped.
pub(crate) struct InFlight(Arc<Progress>);

impl InFlight {
    pub(crate) fn start(progress: Arc<Progress>) -> Self {
        progress.started.fetch_add(1, Ordering::Relaxed);
        progress.in_flight.fetch_add(1, Ordering::Relaxed);
        progress.moved();
        InFlight(progress)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.0.moved();
    }
}

/// An answer's body that keeps its request counted as in flight.
pub(crate) struct Tracked {
    pub(crate) inner: Body,
    pub(crate) _guard: InFlight,
}

impl http_body::Body for Tracked {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The socket, recording progress for the watchdog: every read or write that moves bytes, and
/// when a write started waiting for the client to read.
pub(crate) struct Watched {
    pub(crate) inner: TcpStream,
    pub(crate) progress: Arc<Progress>,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.progress.moved();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        self.record_write(&polled);
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.record_write(&polled);
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl Watched {
    fn record_write(&self, polled: &Poll<io::Result<usize>>) {
        match polled {
            Poll::Pending => {
                let now = self.progress.now();
                let _ = self.progress.blocked_since.compare_exchange(
                    NOT_BLOCKED,
                    now,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
            }
            Poll::Ready(Ok(n)) if *n > 0 => {
                self.progress.blocked_since.store(NOT_BLOCKED, Ordering::Relaxed);
                self.progress.written.fetch_add(*n as u64, Ordering::Relaxed);
                self.progress.moved();
            }
            Poll::Ready(_) => {}
        }
    }
}
