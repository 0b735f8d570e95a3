//! # Parallax server
//!
//! The native half of Parallax: the shared kernels (`parallax-kernels`) over HTTP with axum,
//! and the built page. [`app`] builds the whole service from a [`Config`]; `main` only parses
//! the command line, binds and serves, so tests start the very same app on an ephemeral port.

pub mod api;
pub mod body;
pub mod cli;
pub mod client;
pub mod compute;
pub mod error;
pub mod fd_limit;
pub mod held;
pub mod metrics;
pub mod png;
pub mod serve;
pub mod static_files;
pub mod tls;
mod watchdog;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnFailure, TraceLayer};

use crate::compute::Compute;
use parallax_kernels::registry;

/// Everything [`app`] needs to know.
#[derive(Debug, Clone)]
pub struct Config {
    /// Directory of the built page.
    pub dist: PathBuf,
    /// Threads of the kernel pool.
    pub threads: usize,
    /// Runs that may wait for the pool before new ones get 503.
    pub queue: usize,
    /// Time limit of one run (504 and the kernel is cancelled).
    pub timeout: Duration,
    /// Send COOP/COEP (cross-origin isolation); off to test the page's fallback.
    pub isolation: bool,
    /// Origins whose pages may call the API (CORS).
    pub allow_origins: Vec<String>,
    /// API origins the served page may connect to (its CSP's `connect-src`).
    pub connect_src: Vec<String>,
    /// Connection deadlines, the connection cap and the drain deadline ([`serve::Limits`]).
    pub limits: serve::Limits,
    /// Proxies whose `X-Forwarded-For` names the client (the last address, the one they added).
    pub trusted_proxies: Vec<IpAddr>,
    /// Bytes of answers held at once (raw grids, PNGs, JSON) before new ones get 503.
    pub max_answer_bytes: usize,
    /// This replica's name (`--instance`): in `/api/info` and an `X-Parallax-Instance` header.
    pub instance: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            dist: PathBuf::from("dist"),
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            queue: 8,
            timeout: Duration::from_secs(30),
            isolation: true,
            allow_origins: Vec::new(),
            connect_src: Vec::new(),
            limits: serve::Limits::default(),
            trusted_proxies: Vec::new(),
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
            instance: None,
        }
    }
}

/// The default bound on answers held at once: four of the largest raw grids (4096² f64 =
/// 128 MiB each) or thousands of ordinary answers.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 512 * 1024 * 1024;

/// State shared by the handlers.
#[derive(Debug)]
pub struct AppState {
    /// Pool, queue and limits.
    pub compute: Compute,
    /// The CPU's model name, for `/api/info`.
    pub cpu_model: String,
    /// Whether COOP/COEP are sent.
    pub isolation: bool,
    /// Logical cores, read once at start.
    pub logical_cores: usize,
    /// The accept loop's counters.
    pub conns: Arc<serve::ConnStats>,
    /// The connection limits (the handler applies the body deadline).
    pub limits: serve::Limits,
    /// Proxies trusted to name the client.
    pub trusted_proxies: Vec<IpAddr>,
    /// KiB of answers being held ([`held`]), bounded by `max_answer_bytes`.
    pub answers: Arc<held::Budget>,
    /// This replica's name, if it has one.
    pub instance: Option<String>,
    /// Runs and their times, for `GET /metrics`.
    pub metrics: metrics::Metrics,
}

/// The whole service: the API under `/api/` and the page's static files.
pub fn app(config: Config) -> Router {
    build(config).0
}

/// [`app`], and its state: `main` calls `state.compute.shutdown()` when a signal arrives.
pub fn build(config: Config) -> (Router, Arc<AppState>) {
    let state = Arc::new(AppState {
        compute: Compute::new(config.threads, config.queue, config.timeout),
        cpu_model: cpu_model(),
        isolation: config.isolation,
        logical_cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        conns: Arc::new(serve::ConnStats::default()),
        limits: config.limits,
        trusted_proxies: config.trusted_proxies.clone(),
        answers: Arc::new(held::Budget::new(config.max_answer_bytes)),
        instance: config.instance.clone(),
        metrics: metrics::Metrics::new().expect("the metric families have valid, distinct names"),
    });
    let mut api = Router::new()
        .route("/info", get(api::info))
        .route("/workloads", get(api::workloads))
        .route("/health", get(api::health));
    for &workload in registry::all() {
        let run =
            move |state, query, extensions, headers, body| api::run(workload, state, query, extensions, headers, body);
        api = api.route(&format!("/{}", workload.name()), post(run));
    }
    let api = api
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(Arc::clone(&state))
        .layer(cors(&config.allow_origins));
    let api = static_files::api_resource_policy(api);
    // Beside the API, not under it: nginx passes /api/ to the replicas and keeps /metrics off
    // the public side (deploy/nginx.conf).
    let metrics = Router::new().route("/metrics", get(api::metrics)).with_state(Arc::clone(&state));
    let router = Router::new().nest("/api", api).merge(metrics).merge(static_files::router(&config.dist));
    let router = static_files::with_headers(router, config.isolation, &config.connect_src)
        // Not raw answers (already dense binary, up to 128 MiB: gzip there would only burn the
        // tokio threads) nor images (DefaultPredicate leaves those out already).
        .layer(
            CompressionLayer::new()
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("application/octet-stream"))),
        )
        // Which replica answered (behind a load balancer: docs/deploy.md).
        .layer(instance_header(config.instance.as_deref()))
        // 503 (queue full) and 504 (time limit) are the service working as designed under
        // load: warnings, not errors.
        .layer(TraceLayer::new_for_http().on_failure(DefaultOnFailure::new().level(tracing::Level::WARN)));
    (router, state)
}

/// `X-Parallax-Instance: NAME` on every answer when the replica has a name (else nothing).
fn instance_header(
    instance: Option<&str>,
) -> tower::util::Either<SetResponseHeaderLayer<HeaderValue>, tower::layer::util::Identity> {
    match instance.and_then(|name| HeaderValue::from_str(name).ok()) {
        Some(value) => tower::util::Either::Left(SetResponseHeaderLayer::overriding(INSTANCE_HEADER, value)),
        None => tower::util::Either::Right(tower::layer::util::Identity::new()),
    }
}

/// The header naming the replica that answered.
pub const INSTANCE_HEADER: HeaderName = HeaderName::from_static("x-parallax-instance");

/// The CPU model from /proc/cpuinfo, or "unknown" where there is none.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// CORS for the pages of `origins` (none: no CORS headers at all, so other origins' pages are
/// refused by their browsers): runs are POSTs with a JSON body, so preflights are answered; the
/// page reads `Server-Timing` (the kernel time) and `X-Checksum` (of PNG and raw answers).
fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .expose_headers([
            HeaderName::from_static("server-timing"),
            HeaderName::from_static("x-checksum"),
            INSTANCE_HEADER,
        ])
        .max_age(Duration::from_secs(600))
}
