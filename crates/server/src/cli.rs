//! The command line (docs/api.md: flags and defaults).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::Config;

/// Parallax server: the kernels over HTTP, and the page.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port (the log line says which).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Directory of the built page.
    #[arg(long, default_value = "dist")]
    pub dist: PathBuf,
    /// Threads of the kernel pool (default: all logical cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Runs that may wait for the pool; more get 503 + Retry-After.
    #[arg(long, default_value_t = 8)]
    pub queue: usize,
    /// Time limit of one run, in seconds (504, and the kernel is cancelled).
    #[arg(long, default_value_t = 30.0, value_parser = parse_timeout)]
    pub timeout: f64,
    /// Serve without COOP/COEP, to test the page's single-threaded fallback.
    #[arg(long)]
    pub no_isolation: bool,
    /// An origin (`http://host:port`) whose pages may call the API (CORS); repeat for several.
    /// None by default: only the page this server serves.
    #[arg(long = "allow-origin", value_name = "ORIGIN", value_parser = parse_origin)]
    pub allow_origin: Vec<String>,
    /// An API origin the served page may connect to (added to its CSP's `connect-src`), for a
    /// page whose `?api=` points at another server; repeat for several.
    #[arg(long = "connect-src", value_name = "ORIGIN", value_parser = parse_origin)]
    pub connect_src: Vec<String>,
    /// Seconds a client has for its whole request head, from accept (a total deadline).
    #[arg(long, default_value_t = 10.0, value_parser = parse_seconds)]
    pub head_timeout: f64,
    /// Seconds a kept-alive connection may sit idle after its answer.
    #[arg(long, default_value_t = 15.0, value_parser = parse_seconds)]
    pub idle_timeout: f64,
    /// Seconds a request body may take after its head (else 408).
    #[arg(long, default_value_t = 10.0, value_parser = parse_seconds)]
    pub body_timeout: f64,
    /// Seconds an answer may stay unwritable (a client that stopped reading) before its
    /// connection is closed.
    #[arg(long, default_value_t = 10.0, value_parser = parse_seconds)]
    pub write_timeout: f64,
    /// Connections served at once; more are refused with 503 (default: from the open-file
    /// limit, raised to its hard ceiling at start, less 64; at most 4096).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: Option<u32>,
    /// Seconds in-flight requests get after SIGTERM or Ctrl-C (a second signal exits at once).
    #[arg(long, default_value_t = 5.0, value_parser = parse_seconds)]
    pub drain: f64,
    /// A proxy (an IP address) whose `X-Forwarded-For` names the client; repeat for several.
    #[arg(long = "trusted-proxy", value_name = "IP")]
    pub trusted_proxy: Vec<std::net::IpAddr>,
    /// A name for this replica, reported in `/api/info` and an `X-Parallax-Instance` header on
    /// every answer (behind a load balancer: which one answered).
    #[arg(long, value_parser = parse_instance)]
    pub instance: Option<String>,
    /// MiB of answers held in memory at once (raw grids, PNGs); past it, runs get 503.
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=65_536))]
    pub max_answer_mib: u32,
    /// KiB per second a client must read an answer at, over `--send-rate-window`, while the
    /// answer waits on it; slower closes the connection and frees the answer (0: no minimum).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(0..=1_048_576))]
    pub min_send_rate_kib: u32,
    /// Seconds over which the minimum send rate is measured.
    #[arg(long, default_value_t = 10.0, value_parser = parse_seconds)]
    pub send_rate_window: f64,
    /// A PEM file of the server's certificate and its chain: the listener speaks HTTPS only
    /// (with `--tls-key`; both re-read on SIGHUP).
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM file of the certificate's private key (PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

impl Args {
    /// The app's configuration; `nofile`: the open-file limit in force (the connection cap's
    /// default comes from it).
    pub fn config(&self, nofile: Option<u64>) -> Config {
        let defaults = Config::default();
        let secs = Duration::from_secs_f64;
        let limits = crate::serve::Limits {
            head: secs(self.head_timeout),
            idle: secs(self.idle_timeout),
            body: secs(self.body_timeout),
            write: secs(self.write_timeout),
            max_connections: self
                .max_connections
                .map_or_else(|| crate::fd_limit::default_max_connections(nofile), |n| n as usize),
            drain: secs(self.drain),
            min_send_rate: u64::from(self.min_send_rate_kib) * 1024,
            send_rate_window: secs(self.send_rate_window),
        };
        Config {
            dist: self.dist.clone(),
            threads: self.threads.map_or(defaults.threads, usize::from),
            queue: self.queue,
            timeout: Duration::from_secs_f64(self.timeout),
            isolation: !self.no_isolation,
            allow_origins: self.allow_origin.clone(),
            connect_src: self.connect_src.clone(),
            limits,
            trusted_proxies: self.trusted_proxy.clone(),
            max_answer_bytes: self.max_answer_mib as usize * 1024 * 1024,
            instance: self.instance.clone(),
        }
    }
}

/// An origin: `http://` or `https://`, a host, an optional port, nothing after.
fn parse_origin(s: &str) -> Result<String, String> {
    let rest = s.strip_prefix("http://").or_else(|| s.strip_prefix("https://"));
    let valid = rest.is_some_and(|host| {
        !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    });
    if valid { Ok(s.to_string()) } else { Err(format!("{s:?} is not an origin: allowed http(s)://host[:port]")) }
}

/// A replica's name: 1–64 letters, digits, `-`, `_` or `.` (it goes into a header).
fn parse_instance(s: &str) -> Result<String, String> {
    let ok =
        (1..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok { Ok(s.to_string()) } else { Err(format!("{s:?}: allowed 1 to 64 letters, digits, '-', '_' or '.'")) }
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    seconds_within(s, 0.05, 3600.0)
}

fn parse_timeout(s: &str) -> Result<f64, String> {
    seconds_within(s, 0.001, 86_400.0)
}

/// A number of seconds in `[lo, hi]`.
fn seconds_within(s: &str, lo: f64, hi: f64) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if v.is_finite() && (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is out of range: allowed {lo} to {hi} seconds"))
    }
}
