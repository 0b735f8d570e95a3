//! `parallax-server`: parses the command line, binds, serves until Ctrl-C or SIGTERM.
//! Everything else is in the library (`parallax_server::app`).

use clap::Parser;
use parallax_server::{build, cli::Args};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // Logs go to stderr; stdout carries only the `listening on` line that scripts wait for.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let args = Args::parse();
    let nofile = parallax_server::fd_limit::raise();
    let config = args.config(nofile);
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", args.addr);
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().expect("a bound socket has an address");
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => match parallax_server::tls::Certificates::load(cert, key) {
            Ok(c) => Some(std::sync::Arc::new(c)),
            Err(e) => {
                eprintln!("cannot serve HTTPS: {e}");
                return std::process::ExitCode::FAILURE;
            }
        },
        _ => None,
    };
    if !config.dist.join("index.html").exists() {
        tracing::warn!("no page at {}/index.html: the API works, the page does not", config.dist.display());
    }
    // Signals are listened to before the line is printed: a SIGTERM right after it drains too.
    let signals = match Signals::listen() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot listen to signals: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Printed on stdout, not only logged: scripts and tests wait for this exact line.
    println!("listening on {}://{addr}", if tls.is_some() { "https" } else { "http" });
    #[cfg(unix)]
    if let Some(certs) = tls.clone() {
        reload_on_sighup(certs);
    }
    tracing::info!(
        threads = config.threads,
        queue = config.queue,
        timeout_s = config.timeout.as_secs_f64(),
        max_connections = config.limits.max_connections,
        nofile,
        "serving"
    );
    let limits = config.limits;
    let (router, state) = build(config);
    let (first, second) = {
        let (first_tx, first_rx) = tokio::sync::oneshot::channel::<()>();
        let (second_tx, second_rx) = tokio::sync::oneshot::channel::<()>();
        let mut signals = signals;
        tokio::spawn(async move {
            signals.next().await;
            let _ = first_tx.send(());
            signals.next().await;
            let _ = second_tx.send(());
        });
        (first_rx, second_rx)
    };
    let compute_state = std::sync::Arc::clone(&state);
    let stop = async move {
        let _ = first.await;
        tracing::info!("shutting down: draining for at most {} s", limits.drain.as_secs_f64());
        // Stop the running kernel and turn waiting runs away: in-flight requests then finish
        // at once instead of holding the shutdown for up to --timeout.
        compute_state.compute.shutdown();
    };
    let force = async move {
        if second.await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    parallax_server::serve::serve(listener, router, limits, std::sync::Arc::clone(&state.conns), tls, stop, force)
        .await;
    std::process::ExitCode::SUCCESS
}

/// SIGHUP re-reads the certificate and key (a renewed certificate without a restart); new
/// connections get them, open ones keep theirs; a failed reload keeps the old ones.
#[cfg(unix)]
fn reload_on_sighup(certs: std::sync::Arc<parallax_server::tls::Certificates>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut hup) = signal(SignalKind::hangup()) else {
        tracing::warn!("cannot listen to SIGHUP: certificates will not be reloaded");
        return;
    };
    tokio::spawn(async move {
        while hup.recv().await.is_some() {
            match certs.reload() {
                Ok(()) => tracing::info!("SIGHUP: certificates reloaded"),
                Err(e) => tracing::error!("SIGHUP: certificates not reloaded, the old ones stay: {e}"),
            }
        }
    });
}

/// SIGTERM and SIGINT (Ctrl-C), listened to from creation on.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn listen() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals { term: signal(SignalKind::terminate())?, int: signal(SignalKind::interrupt())? })
        }
        #[cfg(not(unix))]
        {
            Ok(Signals {})
        }
    }

    /// The next signal.
    async fn next(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {},
            _ = self.int.recv() => {},
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
