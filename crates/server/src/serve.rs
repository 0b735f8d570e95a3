//! The hardened accept loop, used by `main` and by the tests alike (docs/hardening.md): hyper's
//! HTTP/1 connections with deadlines that a slow, silent or non-reading client cannot stretch,
//! a connection cap, and a shutdown that ends within its drain deadline whatever clients do.
//!
//! `axum::serve` sets no timer on hyper, so hyper's header-read timeout is off there, and hyper
//! has no idle timeout for a kept-alive connection at all (hyperium/hyper#1628, #3828). So each
//! connection here gets hyper's header-read timeout (the whole head within `head` of accept, a
//! total deadline) *and* a watchdog of its own over an I/O wrapper that records progress:
//! closed when no request has started `head` after accept, when it sat `idle` with no request
//! in flight and no bytes moving, or when a write has been blocked for `write` (a client that
//! stopped reading its answer). The request body's own deadline (408) is the handler's.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt;

/// The connection deadlines and the cap (docs/hardening.md gives each default's reason).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The whole request head within this long of accept (or of the previous answer).
    pub head: Duration,
    /// A kept-alive connection with nothing in flight closes after this long without bytes.
    pub idle: Duration,
    /// A request body within this long of its head, else 408 (the handler's deadline).
    pub body: Duration,
    /// A connection whose answer cannot be written for this long is closed.
    pub write: Duration,
    /// Connections served at once; more are refused at once (503, closed).
    pub max_connections: usize,
    /// After a shutdown signal, in-flight requests get this long before the process goes.
    pub drain: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            head: Duration::from_secs(10),
            idle: Duration::from_secs(15),
            body: Duration::from_secs(10),
            write: Duration::from_secs(10),
            max_connections: 1024,
            drain: Duration::from_secs(5),
        }
    }
}

/// Counters of the accept loop, reported by `/api/info` (`connections`).
#[derive(Debug, Default)]
pub struct ConnStats {
    /// Connections open now.
    pub open: AtomicUsize,
    /// Connections accepted since start.
    pub accepted: AtomicU64,
    /// Connections refused at the cap since start.
    pub refused: AtomicU64,
    /// Connections closed by a deadline (head, idle or write) since start.
    pub timed_out: AtomicU64,
}

/// How often the accept loop looks whether a burst of connections has ended.
const TRIM_EVERY: Duration = Duration::from_secs(5);
/// Connections fewer than five seconds ago that make a burst worth trimming after.
const BURST: usize = 100;
/// How often a connection's watchdog looks at its clock.
const WATCH_EVERY: Duration = Duration::from_millis(200);
/// The JSON body a connection over the cap gets before it is closed.
const REFUSAL_BODY: &str = r#"{"error":{"field":null,"message":"too many connections: try again in a moment"}}"#;
/// Refused connections that may linger at once (reading what the client sent, so that closing
/// does not reset the connection and lose the 503); beyond this many, they close at once.
const LINGERING: usize = 256;
/// How long a refused connection is read (and discarded) before it is closed.
const LINGER: Duration = Duration::from_millis(500);

/// The whole refusal: a 503 with its exact length.
fn refusal() -> &'static [u8] {
    static TEXT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{REFUSAL_BODY}",
            REFUSAL_BODY.len()
        )
        .into_bytes()
    })
}

/// Serves `router` on `listener` until `shutdown` resolves, then drains: new connections are no
/// longer accepted, open ones are asked to finish (hyper's graceful shutdown), and after
/// `limits.drain` (or at `force`, a second signal) whatever is left is dropped.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stats: Arc<ConnStats>,
    shutdown: impl Future<Output = ()>,
    force: impl Future<Output = ()>,
) {
    let cap = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let lingering = Arc::new(Semaphore::new(LINGERING));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    // After a burst of connections ends, the pages their buffers used go back to the system.
    let mut trim_tick = tokio::time::interval(TRIM_EVERY);
    let mut open_at_last_tick = 0;
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            biased;
            () = &mut shutdown => break,
            _ = trim_tick.tick() => {
                let open = stats.open.load(Ordering::Relaxed);
                if open + BURST < open_at_last_tick {
                    crate::held::trim();
                }
                open_at_last_tick = open;
            }
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => match Arc::clone(&cap).try_acquire_owned() {
                    Ok(permit) => {
                        stats.accepted.fetch_add(1, Ordering::Relaxed);
                        let conn = Connection { router: router.clone(), limits, stats: Arc::clone(&stats), stop: stop_rx.clone() };
                        tasks.spawn(conn.run(stream, peer, permit));
                        // Reaped here too: under a flood of accepts the arm below rarely runs.
                        while tasks.try_join_next().is_some() {}
                    }
                    Err(_) => {
                        stats.refused.fetch_add(1, Ordering::Relaxed);
                        refuse(stream, &lingering);
                    }
                },
                Err(e) => back_off(&e).await,
            },
            // Finished connection tasks are reaped as they end, so the set stays small.
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let drained = async { while tasks.join_next().await.is_some() {} };
    tokio::select! {
        () = drained => tracing::info!("drained: every connection finished"),
        () = tokio::time::sleep(limits.drain) => tracing::warn!(left = tasks.len(), "drain deadline passed: closing what is left"),
        () = force => tracing::warn!("second signal: closing at once"),
    }
    tasks.abort_all();
}

/// Over the cap: one non-blocking write of a 503, our side shut, and the client's request read
/// and discarded for at most [`LINGER`] — closing a socket with unread input would reset it and
/// could lose the 503 (nginx's lingering close does the same). At most [`LINGERING`] linger at
/// once; past that a refusal closes at once, so a flood costs an accept and a close each.
fn refuse(stream: TcpStream, lingering: &Arc<Semaphore>) {
    let _ = stream.try_write(refusal());
    let Ok(permit) = Arc::clone(lingering).try_acquire_owned() else { return };
    tokio::spawn(async move {
        let _permit = permit;
        let mut stream = stream;
        let _ = tokio::io::AsyncWriteExt::shutdown(&mut stream).await;
        let mut sink = [0u8; 4096];
        let _ = tokio::time::timeout(LINGER, async {
            while matches!(tokio::io::AsyncReadExt::read(&mut stream, &mut sink).await, Ok(n) if n > 0) {}
        })
        .await;
    });
}

/// An accept error: out of file descriptors (EMFILE/ENFILE) backs off 100 ms, so the loop does
/// not spin while connections close; anything else (a connection reset before accept) is
/// retried at once after a yield.
async fn back_off(e: &io::Error) {
    const EMFILE: i32 = 24;
    const ENFILE: i32 = 23;
    if matches!(e.raw_os_error(), Some(EMFILE | ENFILE)) {
        tracing::warn!("accept: {e}: backing off 100 ms");
        tokio::time::sleep(Duration::from_millis(100)).await;
    } else {
        tracing::debug!("accept: {e}");
        tokio::task::yield_now().await;
    }
}

/// One accepted connection and what it needs.
struct Connection {
    router: Router,
    limits: Limits,
    stats: Arc<ConnStats>,
    stop: watch::Receiver<bool>,
}

impl Connection {
    async fn run(mut self, stream: TcpStream, peer: SocketAddr, permit: OwnedSemaphorePermit) {
        let _permit = permit;
        self.stats.open.fetch_add(1, Ordering::Relaxed);
        let _open = OpenGuard(Arc::clone(&self.stats));
        let _ = stream.set_nodelay(true);
        let progress = Arc::new(Progress::new());
        let io = TokioIo::new(Watched { inner: stream, progress: Arc::clone(&progress) });
        let router = self.router.clone();
        let in_service = Arc::clone(&progress);
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            let guard = InFlight::start(Arc::clone(&in_service));
            req.extensions_mut().insert(ConnectInfo(peer));
            let call = router.clone().oneshot(req.map(Body::new));
            async move {
                let response = call.await.unwrap_or_else(|e: Infallible| match e {});
                // The request counts as in flight until its answer's body is dropped (sent or
                // abandoned), so the idle rule never cuts an answer being written.
                Ok::<_, Infallible>(response.map(|b| Body::new(Tracked { inner: b, _guard: guard })))
            }
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        // hyper 1.12 restarts its header-read timer right after each answer, so it bounds the
        // wait for a later request's whole head too: it gets the longer of the two deadlines;
        // the first head's deadline from accept is the watchdog's (`Progress::expired`).
        let between = self.limits.head.max(self.limits.idle);
        builder.timer(TokioTimer::new()).header_read_timeout(between).keep_alive(true);
        let conn = builder.serve_connection(io, service);
        tokio::pin!(conn);
        let accepted = Instant::now();
        let mut watch = tokio::time::interval(WATCH_EVERY);
        let mut stopping = *self.stop.borrow();
        if stopping {
            conn.as_mut().graceful_shutdown();
        }
        loop {
            tokio::select! {
                served = conn.as_mut() => {
                    // hyper's own header-read deadline ends a slow head as an error.
                    if served.as_ref().is_err_and(hyper::Error::is_timeout) {
                        self.stats.timed_out.fetch_add(1, Ordering::Relaxed);
                    }
                    break;
                }
                changed = self.stop.changed(), if !stopping => {
                    stopping = true;
                    if changed.is_ok() {
                        conn.as_mut().graceful_shutdown();
                    }
                }
                _ = watch.tick() => {
                    if let Some(why) = progress.expired(&self.limits, accepted) {
                        tracing::debug!(%peer, why, "closing a connection");
                        self.stats.timed_out.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                }
            }
        }
        // Dropping `conn` closes the socket; a response being written is abandoned with it.
    }
}

struct OpenGuard(Arc<ConnStats>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// What a connection's watchdog reads: when bytes last moved, since when a write has been
/// blocked, how many requests started and how many are in flight. Times are milliseconds since
/// `epoch`.
struct Progress {
    epoch: Instant,
    last_io: AtomicU64,
    blocked_since: AtomicU64,
    started: AtomicU64,
    in_flight: AtomicUsize,
}

/// `blocked_since` when no write is blocked.
const NOT_BLOCKED: u64 = u64::MAX;

impl Progress {
    fn new() -> Self {
        Progress {
            epoch: Instant::now(),
            last_io: AtomicU64::new(0),
            blocked_since: AtomicU64::new(NOT_BLOCKED),
            started: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX - 1)
    }

    fn moved(&self) {
        self.last_io.store(self.now(), Ordering::Relaxed);
    }

    /// Why the connection must close now, if it must.
    fn expired(&self, limits: &Limits, accepted: Instant) -> Option<&'static str> {
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
struct InFlight(Arc<Progress>);

impl InFlight {
    fn start(progress: Arc<Progress>) -> Self {
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
struct Tracked {
    inner: Body,
    _guard: InFlight,
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
struct Watched {
    inner: TcpStream,
    progress: Arc<Progress>,
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
                self.progress.moved();
            }
            Poll::Ready(_) => {}
        }
    }
}
