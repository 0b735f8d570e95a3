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
    let config = args.config();
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", args.addr);
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().expect("a bound socket has an address");
    if !config.dist.join("index.html").exists() {
        tracing::warn!("no page at {}/index.html: the API works, the page does not", config.dist.display());
    }
    // Printed on stdout, not only logged: scripts and tests wait for this exact line.
    println!("listening on http://{addr}");
    tracing::info!(threads = config.threads, queue = config.queue, timeout_s = config.timeout.as_secs_f64(), "serving");
    let (router, state) = build(config);
    let stop = async move {
        shutdown_signal().await;
        // Stop the running kernel and turn waiting runs away: in-flight requests then finish
        // at once instead of holding the shutdown for up to --timeout.
        state.compute.shutdown();
    };
    let served = axum::serve(listener, router).with_graceful_shutdown(stop).await;
    match served {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
