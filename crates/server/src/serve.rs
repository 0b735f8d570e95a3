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
//! stopped reading its answer), or when its client reads an answer slower than the minimum
//! send rate (a drip reader, which the write rule alone lets through). The request body's own
//! deadline (408) is the handler's. With certificates (`--tls-cert`, crate::tls) every
//! connection is HTTPS: the TLS handshake happens inside the head deadline, from accept.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, header};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt;

use crate::tls::Certificates;
use crate::watchdog::{InFlight, Progress, SendRate, Tracked, Watched};

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
    /// Bytes per second a client must read an answer at, measured over `send_rate_window`
    /// while the answer waits on the client; slower closes the connection (0: no minimum).
    pub min_send_rate: u64,
    /// The window of the minimum send rate.
    pub send_rate_window: Duration,
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
            min_send_rate: 64 * 1024,
            send_rate_window: Duration::from_secs(10),
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
    /// Connections closed by a deadline (head or TLS handshake, idle, write, send rate) since start.
    pub timed_out: AtomicU64,
    /// Of those, connections closed for reading slower than the minimum send rate.
    pub slow_readers: AtomicU64,
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
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: \
            1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{REFUSAL_BODY}",
            REFUSAL_BODY.len()
        )
        .into_bytes()
    })
}

/// Serves `router` on `listener` until `shutdown` resolves, then drains: new connections are no
/// longer accepted, open ones are asked to finish (hyper's graceful shutdown), and after
/// `limits.drain` (or at `force`, a second signal) whatever is left is dropped.
/// `tls`: serve HTTPS with these certificates (re-read on SIGHUP by `main`), else plain HTTP.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stats: Arc<ConnStats>,
    tls: Option<Arc<Certificates>>,
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
                        let conn = Connection {
                            router: router.clone(),
                            limits,
                            stats: Arc::clone(&stats),
                            stop: stop_rx.clone(),
                        };
                        // The certificates in force when the connection came (a reload changes
                        // the next ones, never one being served).
                        let acceptor = tls.as_ref().map(|t| t.acceptor());
                        tasks.spawn(conn.run(stream, peer, permit, acceptor));
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
        () = tokio::time::sleep(limits.drain) => {
            tracing::warn!(left = tasks.len(), "drain deadline passed: closing what is left");
        }
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
    async fn run(
        mut self,
        stream: TcpStream,
        peer: SocketAddr,
        permit: OwnedSemaphorePermit,
        tls: Option<tokio_rustls::TlsAcceptor>,
    ) {
        let _permit = permit;
        self.stats.open.fetch_add(1, Ordering::Relaxed);
        let _open = OpenGuard(Arc::clone(&self.stats));
        let _ = stream.set_nodelay(true);
        let accepted = Instant::now();
        let progress = Arc::new(Progress::new());
        let watched = Watched { inner: stream, progress: Arc::clone(&progress) };
        let Some(acceptor) = tls else {
            return self.drive(watched, peer, progress, accepted, false).await;
        };
        // The handshake is part of the head: it must be done within `head` of accept, however
        // its bytes trickle; a drain closes a half-made connection at once. A garbage handshake
        // is an error from rustls, never a panic.
        let handshake = tokio::select! {
            done = tokio::time::timeout(self.limits.head, acceptor.accept(watched)) => done,
            () = stopped(self.stop.clone()) => return,
        };
        match handshake {
            Ok(Ok(stream)) => self.drive(stream, peer, progress, accepted, true).await,
            Ok(Err(e)) => tracing::debug!(%peer, "TLS handshake failed: {e}"),
            Err(_) => {
                tracing::debug!(%peer, "closing a connection: no TLS handshake within the head deadline");
                self.stats.timed_out.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Serves HTTP/1.1 on `io` (the socket, or TLS over it) under the watchdog's rules.
    async fn drive<S>(&mut self, io: S, peer: SocketAddr, progress: Arc<Progress>, accepted: Instant, tls: bool)
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let io = TokioIo::new(io);
        let router = self.router.clone();
        let in_service = Arc::clone(&progress);
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            let guard = InFlight::start(Arc::clone(&in_service));
            req.extensions_mut().insert(ConnectInfo(peer));
            let call = router.clone().oneshot(req.map(Body::new));
            async move {
                let mut response = call.await.unwrap_or_else(|e: Infallible| match e {});
                // HSTS only where it is true: a browser that saw it over HTTPS comes back by
                // HTTPS for two years (Mozilla's recommended max-age).
                if tls {
                    response.headers_mut().insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
                }
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
        let mut watch = tokio::time::interval(WATCH_EVERY);
        let mut rate = SendRate::default();
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
                    let why = match progress.expired(&self.limits, accepted) {
                        Some(why) => Some(why),
                        None if rate.too_slow(&progress, &self.limits) => {
                            self.stats.slow_readers.fetch_add(1, Ordering::Relaxed);
                            Some("its client reads slower than the minimum send rate")
                        }
                        None => None,
                    };
                    if let Some(why) = why {
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

/// `Strict-Transport-Security` on HTTPS answers.
const HSTS: &str = "max-age=63072000";

/// Resolves once the accept loop has asked its connections to stop.
async fn stopped(mut stop: watch::Receiver<bool>) {
    while !*stop.borrow_and_update() {
        if stop.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

struct OpenGuard(Arc<ConnStats>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::Relaxed);
    }
}
