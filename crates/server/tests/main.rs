//! The server's integration tests, one binary: each file a module, sharing `common` (a
//! server on an ephemeral port, raw and HTTPS clients). One binary links once instead of ten
//! times (ripgrep keeps its tests the same way). `disconnects.rs` is a binary of its own: it
//! counts the process's open descriptors, which other tests' sockets would disturb.

mod common;

mod api_errors;
mod api_load;
mod api_pi;
mod api_runs;
mod cli;
mod cross_origin;
mod hardening;
mod replicas;
mod static_files;
mod tls;
