//! Where kernels run: one dedicated rayon pool, one job at a time with the whole pool (so a
//! run's timing is not disturbed by a neighbour), a bounded queue in front, and a time limit.
//!
//! CPU-bound work never runs on tokio's threads: a job is spawned into the rayon pool and the
//! request's task awaits a oneshot. The job's [`Control`] is cancelled when the run passes the
//! time limit (504) and when the request's future is dropped — which is what axum does when the
//! client disconnects — so an abandoned kernel stops within one unit of work. The slot is held
//! by the job itself until the kernel has really returned, so the next job never overlaps a
//! cancelled one that is still winding down.

use std::collections::HashMap;
use std::net::IpAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use parallax_kernels::Control;
use tokio::sync::{Semaphore, TryAcquireError, oneshot};

use crate::error::ApiError;

/// The compute side of the server: pool, queue and limits.
#[derive(Debug)]
pub struct Compute {
    pool: rayon::ThreadPool,
    threads: usize,
    slot: Arc<Semaphore>,
    waiting: AtomicUsize,
    running: Arc<AtomicUsize>,
    queue: usize,
    timeout: Duration,
    /// Set by [`shutdown`](Self::shutdown): no new runs; waiting ones are turned away.
    closing: AtomicBool,
    /// The running job's control, so that a shutdown can stop it.
    current: Mutex<Option<Arc<Control>>>,
    /// Waiting runs per client (at most one each).
    clients: Mutex<HashMap<Option<IpAddr>, usize>>,
}

/// How long a finished job waited and ran.
#[derive(Debug, Clone, Copy)]
pub struct Timings {
    /// From the request's arrival at the queue to the job's start on the pool.
    pub queue: Duration,
}

impl Compute {
    /// A pool of `threads` threads, a queue of `queue` waiting jobs, a limit of `timeout` per run.
    pub fn new(threads: usize, queue: usize, timeout: Duration) -> Self {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("kernel-{i}"))
            // A panic in a spawned job is caught in `run`; this only logs one that escapes.
            .panic_handler(|_| tracing::error!("a kernel job panicked"))
            .build()
            .expect("the kernel thread pool starts");
        Compute {
            threads: pool.current_num_threads(),
            pool,
            slot: Arc::new(Semaphore::new(1)),
            waiting: AtomicUsize::new(0),
            running: Arc::new(AtomicUsize::new(0)),
            queue,
            timeout,
            closing: AtomicBool::new(false),
            current: Mutex::new(None),
            clients: Mutex::new(HashMap::new()),
        }
    }

    /// Stops taking runs, turns the waiting ones away and cancels the running one, so that a
    /// graceful shutdown (Ctrl-C, SIGTERM) finishes within one unit of kernel work instead of
    /// waiting out the time limit.
    pub fn shutdown(&self) {
        self.closing.store(true, Ordering::SeqCst);
        self.slot.close();
        if let Some(control) = self.current.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            control.cancel();
        }
    }

    /// Whether [`shutdown`](Self::shutdown) was called.
    pub fn is_closing(&self) -> bool {
        self.closing.load(Ordering::SeqCst)
    }

    fn shutting_down() -> ApiError {
        ApiError {
            retry_after: Some(Duration::from_secs(5)),
            ..ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is shutting down")
        }
    }

    /// Threads of the pool.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Jobs waiting for the pool.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Jobs running on the pool (0 or 1; a cancelled job counts until its kernel has returned).
    pub fn running(&self) -> usize {
        self.running.load(Ordering::Relaxed)
    }

    /// Most jobs that may wait.
    pub fn queue_capacity(&self) -> usize {
        self.queue
    }

    /// The time limit of one run.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Waits for the pool, runs `job` on it and returns its result. 503 when the queue is full,
    /// 504 past the time limit; dropping the returned future cancels the job.
    pub async fn run<R: Send + 'static>(
        &self,
        client: Option<IpAddr>,
        job: impl FnOnce(&Control) -> R + Send + 'static,
    ) -> Result<(R, Timings), ApiError> {
        let arrived = Instant::now();
        if self.is_closing() {
            return Err(Self::shutting_down());
        }
        // A free slot is taken at once, without a place in the queue: a run that waits for nothing
        // must not count as waiting (two runs arriving together at an idle server would else see
        // a full queue of one and turn the second away). The semaphore is closed only by `shutdown`.
        let permit = match Arc::clone(&self.slot).try_acquire_owned() {
            Ok(permit) => permit,
            Err(TryAcquireError::Closed) => return Err(Self::shutting_down()),
            Err(TryAcquireError::NoPermits) => {
                // One waiting run per client: a second would only hold a place others need.
                let _mine = ClientTicket::take(&self.clients, client).ok_or_else(|| ApiError {
                    retry_after: Some(self.timeout.min(Duration::from_secs(5))),
                    ..ApiError::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "you already have a run waiting for the server: wait for its answer, then send the next",
                    )
                })?;
                let ticket = QueueTicket::take(&self.waiting, self.queue).ok_or_else(|| ApiError {
                    retry_after: Some(self.timeout.min(Duration::from_secs(5))),
                    ..ApiError::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        format!("the server is busy: {} runs are already waiting; try again shortly", self.queue),
                    )
                })?;
                let permit = Arc::clone(&self.slot).acquire_owned().await.map_err(|_| Self::shutting_down())?;
                drop(ticket);
                permit
            }
        };
        let queue = arrived.elapsed();

        let control = Arc::new(Control::new());
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&control));
        // A shutdown between taking the slot and here found no control to cancel.
        if self.is_closing() {
            control.cancel();
        }
        let mut cancel_on_drop = CancelOnDrop(Arc::clone(&control), true);
        let (tx, rx) = oneshot::channel();
        let running = Arc::clone(&self.running);
        running.fetch_add(1, Ordering::Relaxed);
        self.pool.spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| job(&control)));
            // The job's grids are freed by now: their pages go back to the system.
            crate::held::trim();
            running.fetch_sub(1, Ordering::Relaxed);
            drop(permit);
            let _ = tx.send(result);
        });
        let outcome = tokio::time::timeout(self.timeout, rx).await;
        {
            // Only our own: the next job may already have put its control there.
            let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
            if current.as_ref().is_some_and(|c| Arc::ptr_eq(c, &cancel_on_drop.0)) {
                current.take();
            }
        }
        match outcome {
            Ok(Ok(Ok(result))) => {
                cancel_on_drop.1 = false;
                Ok((result, Timings { queue }))
            }
            Ok(Ok(Err(_panic))) => Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the kernel failed unexpectedly (a bug: see the server log)",
            )),
            Ok(Err(_closed)) => Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the kernel job was lost")),
            Err(_elapsed) => Err(ApiError::new(
                StatusCode::GATEWAY_TIMEOUT,
                format!(
                    "the run took longer than the server's limit of {} s and was stopped",
                    self.timeout.as_secs_f64()
                ),
            )),
        }
        // On every path but success, `cancel_on_drop` stops the kernel here.
    }
}

/// A place in the queue, given back on drop (served, or the client went away).
struct QueueTicket<'a>(&'a AtomicUsize);

impl<'a> QueueTicket<'a> {
    fn take(waiting: &'a AtomicUsize, capacity: usize) -> Option<Self> {
        waiting
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < capacity).then_some(n + 1))
            .ok()
            .map(|_| QueueTicket(waiting))
    }
}

impl Drop for QueueTicket<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A client's place among the waiting runs, given back on drop; at most one per client.
struct ClientTicket<'a> {
    clients: &'a Mutex<HashMap<Option<IpAddr>, usize>>,
    client: Option<IpAddr>,
}

impl<'a> ClientTicket<'a> {
    fn take(clients: &'a Mutex<HashMap<Option<IpAddr>, usize>>, client: Option<IpAddr>) -> Option<Self> {
        let mut map = clients.lock().unwrap_or_else(|e| e.into_inner());
        let waiting = map.entry(client).or_insert(0);
        if *waiting >= 1 {
            return None;
        }
        *waiting += 1;
        Some(ClientTicket { clients, client })
    }
}

impl Drop for ClientTicket<'_> {
    fn drop(&mut self) {
        let mut map = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        // Emptied entries go, so the map holds only clients with a run waiting.
        if let Some(n) = map.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.client);
            }
        }
    }
}

/// Cancels the job's control when the request is dropped before the job finished (disarmed,
/// the second field false, once the job's result is in).
struct CancelOnDrop(Arc<Control>, bool);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if self.1 {
            self.0.cancel();
        }
    }
}
