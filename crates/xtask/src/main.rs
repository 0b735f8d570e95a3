//! `cargo xtask <command>`: the steps behind README's two commands, written once so that the
//! README, `.ci/run` and developers run exactly the same thing. Each phase prints how long it
//! took. No dependencies: it only runs other programs.
//!
//! Start it through `crates/xtask/bootstrap.sh`, which installs the pinned toolchain first.

use std::process::{Command, ExitCode};
use std::time::Instant;

const HELP: &str = "\
cargo xtask <command>
  test    run every test: native (release), clippy, the wasm32 build of the kernels
  serve   build everything and start what exists (for now: the kernels' book cases)
  bench   criterion benchmarks of the kernels";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("serve") => serve(),
        Some("bench") => bench(&args[1..]),
        _ => {
            println!("{HELP}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("[xtask] failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Every test there is, in the order that fails fastest.
fn test() -> Result<(), String> {
    let all = Instant::now();
    phase("clippy", cargo(&["clippy", "--workspace", "--all-targets", "--release", "--", "-D", "warnings"]))?;
    phase("native tests (release)", cargo(&["test", "--workspace", "--release"]))?;
    phase("wasm32 build of the kernels", wasm_build(&["-p", "parallax-kernels"]))?;
    println!("[xtask] all tests passed in {:.1} s", all.elapsed().as_secs_f64());
    Ok(())
}

/// Builds in release and runs what exists.
fn serve() -> Result<(), String> {
    phase("build (release)", cargo(&["build", "--workspace", "--release", "--examples"]))?;
    phase("book cases", cargo(&["run", "--release", "-p", "parallax-kernels", "--example", "book"]))
}

fn bench(extra: &[String]) -> Result<(), String> {
    let mut args = vec!["bench", "-p", "parallax-kernels"];
    args.extend(extra.iter().map(String::as_str));
    phase("benchmarks", cargo(&args))
}

/// A `cargo` command in the repo root.
fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args).current_dir(repo_root());
    cmd
}

/// A release build for wasm32 with std rebuilt for atomics (../shared/toolchain.md, traps 1–2):
/// build-std goes in the environment of this command only, never in the config file.
fn wasm_build(args: &[&str]) -> Command {
    let mut cmd = cargo(&["build", "--release", "--target", "wasm32-unknown-unknown"]);
    cmd.args(args).env("CARGO_UNSTABLE_BUILD_STD", "panic_abort,std");
    cmd
}

/// Runs one phase, printing its name and duration.
fn phase(name: &str, mut cmd: Command) -> Result<(), String> {
    println!("[xtask] phase {name} ...");
    let start = Instant::now();
    let status = cmd.status().map_err(|e| format!("{name}: cannot start {:?}: {e}", cmd.get_program()))?;
    println!("[xtask] phase {name}: {:.1} s", start.elapsed().as_secs_f64());
    if status.success() { Ok(()) } else { Err(format!("{name}: {status}")) }
}

fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
