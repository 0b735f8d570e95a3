//! `GET /metrics`: the server in the Prometheus text format 0.0.4 (docs/hardening.md, "Metrics").
//!
//! Through the `prometheus` crate (tikv/rust-prometheus), default features off: its
//! `TextEncoder` writes the classic text format, which Debian's `promtool check metrics` (2.42)
//! reads without a word. `prometheus-client` was the other candidate; it writes OpenMetrics
//! (`# EOF`, `info` and `unknown` types, `_created` lines), which that promtool refuses.
//!
//! Runs and their times are counted as they happen (a counter vector and two histogram vectors
//! in a registry of this server's own, not the crate's global one: tests start many servers in
//! one process). What the server already counts elsewhere — the accept loop's connections, the
//! queue, the answer budget — is read when scraped, so nothing is counted twice.

use std::sync::atomic::Ordering;
use std::time::Duration;

use prometheus::proto::{Counter, Gauge, LabelPair, Metric, MetricFamily, MetricType};
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder};

use crate::AppState;

/// The content type of an answer in this format.
pub const CONTENT_TYPE: &str = prometheus::TEXT_FORMAT;

/// Kernel and queue times: 1 ms to ≈ 33 s, doubling (a run's time limit is 30 s by default).
const BUCKETS: [f64; 16] =
    [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384, 32.768];

/// What the server counts as runs happen.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    runs: IntCounterVec,
    kernel: HistogramVec,
    queue: HistogramVec,
}

impl Metrics {
    /// A registry with the run families.
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let runs = IntCounterVec::new(
            Opts::new("parallax_runs_total", "Runs asked for, by workload, variant and HTTP status of the answer."),
            &["workload", "variant", "status"],
        )?;
        let kernel = HistogramVec::new(
            HistogramOpts::new("parallax_kernel_seconds", "Time in the kernel per run (all its repetitions).")
                .buckets(BUCKETS.to_vec()),
            &["workload"],
        )?;
        let queue = HistogramVec::new(
            HistogramOpts::new("parallax_queue_seconds", "Time a run waited for the kernel pool.")
                .buckets(BUCKETS.to_vec()),
            &["workload"],
        )?;
        registry.register(Box::new(runs.clone()))?;
        registry.register(Box::new(kernel.clone()))?;
        registry.register(Box::new(queue.clone()))?;
        Ok(Metrics { registry, runs, kernel, queue })
    }

    /// A run's answer: `variant` is "none" when the request was refused before it named one.
    pub fn run(&self, workload: &str, variant: &str, status: u16) {
        self.runs.with_label_values(&[workload, variant, &status.to_string()]).inc();
    }

    /// A run that reached the pool: its kernel and queue times.
    pub fn timed(&self, workload: &str, kernel: Duration, queue: Duration) {
        self.kernel.with_label_values(&[workload]).observe(kernel.as_secs_f64());
        self.queue.with_label_values(&[workload]).observe(queue.as_secs_f64());
    }

    /// The whole exposition: the run families, then what is read from the server now.
    pub fn render(&self, state: &AppState) -> String {
        let mut families = self.registry.gather();
        let c = &state.conns;
        let load = |n: &std::sync::atomic::AtomicU64| n.load(Ordering::Relaxed) as f64;
        families.extend([
            gauge(
                "parallax_build_info",
                "Always 1: the version and SIMD level as labels.",
                1.0,
                &[("version", env!("CARGO_PKG_VERSION")), ("simd", parallax_kernels::simd::Isa::detect().name())],
            ),
            gauge("parallax_pool_threads", "Threads of the kernel pool.", state.compute.threads() as f64, &[]),
            gauge("parallax_queue_waiting_runs", "Runs waiting for the pool now.", state.compute.waiting() as f64, &[]),
            gauge("parallax_queue_running_runs", "Runs on the pool now (0 or 1).", state.compute.running() as f64, &[]),
            gauge(
                "parallax_queue_capacity_runs",
                "Runs that may wait before new ones get 503.",
                state.compute.queue_capacity() as f64,
                &[],
            ),
            gauge("parallax_connections_open", "Connections open now.", c.open.load(Ordering::Relaxed) as f64, &[]),
            gauge("parallax_connections_max", "The connection cap.", state.limits.max_connections as f64, &[]),
            counter("parallax_connections_accepted_total", "Connections accepted since start.", load(&c.accepted)),
            counter(
                "parallax_connections_refused_total",
                "Connections refused at the cap since start.",
                load(&c.refused),
            ),
            counter(
                "parallax_connections_timed_out_total",
                "Connections closed by a deadline (head, TLS handshake, idle, write, send rate) since start.",
                load(&c.timed_out),
            ),
            counter(
                "parallax_connections_slow_readers_total",
                "Connections closed for reading their answer slower than the minimum send rate.",
                load(&c.slow_readers),
            ),
            gauge(
                "parallax_answers_held_bytes",
                "Bytes of answers held in memory now.",
                (state.answers.held_kib() * 1024) as f64,
                &[],
            ),
            gauge(
                "parallax_answers_limit_bytes",
                "The bound on answers held at once.",
                (state.answers.limit_kib() * 1024) as f64,
                &[],
            ),
        ]);
        let mut text = String::new();
        // The encoder fails only on a family without metrics or with a bad name: none here.
        if let Err(e) = TextEncoder::new().encode_utf8(&families, &mut text) {
            tracing::error!("encoding /metrics: {e}");
        }
        text
    }
}

fn family(name: &str, help: &str, kind: MetricType, metric: Metric) -> MetricFamily {
    let mut f = MetricFamily::default();
    f.set_name(name.to_string());
    f.set_help(help.to_string());
    f.set_field_type(kind);
    f.set_metric(vec![metric]);
    f
}

fn gauge(name: &str, help: &str, value: f64, labels: &[(&str, &str)]) -> MetricFamily {
    let mut g = Gauge::default();
    g.set_value(value);
    let mut m = Metric::from_gauge(g);
    m.set_label(
        labels
            .iter()
            .map(|(k, v)| {
                let mut l = LabelPair::default();
                l.set_name((*k).to_string());
                l.set_value((*v).to_string());
                l
            })
            .collect(),
    );
    family(name, help, MetricType::GAUGE, m)
}

fn counter(name: &str, help: &str, value: f64) -> MetricFamily {
    let mut c = Counter::default();
    c.set_value(value);
    let mut m = Metric::default();
    m.set_counter(c);
    family(name, help, MetricType::COUNTER, m)
}
