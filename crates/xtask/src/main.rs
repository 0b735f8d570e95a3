//! `cargo xtask <command>`: the steps behind README's commands, written once so that the
//! README, `.ci/run` and developers run exactly the same thing. Each phase prints how long it
//! took. No dependencies: it only runs other programs.
//!
//! Start it through `crates/xtask/bootstrap.sh`, which installs the pinned toolchain first.

mod checks;
mod page;
mod tools;

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

const HELP: &str = "\
cargo xtask <command>
  serve   build everything (release) and serve the page and the API on http://127.0.0.1:8080
  test    run every test: versions, formatting, eslint, clippy, native tests, the wasm32 builds,
          the page in headless Chromium, its core suite in Chromium, Firefox and WebKit
  build   build the server and the page (release), without serving or testing
  dev     the server on 8080 and `trunk serve` on 8081 (rebuilds the page on change)
  bench   the benchmark harness: native, server, browser, the book's Python, numpy, primesieve
          and the limit references in one run, into target/bench/report.{md,json}
          [--quick: the small cases, 3 runs each, as the test command runs it;
          BENCH_WORKLOADS=pi,primes: these workloads only, into target/bench/pi+primes/;
          BENCH_BROWSERS=chromium,firefox: these engines only (default: every installed one)]
  abuse   the long load and abuse suite against the release server [SECONDS of mixed load, 60]
  fuzz    coverage-guided fuzzing of every workload's request parsing [SECONDS, 600]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("serve") => serve(),
        Some("dev") => dev(),
        Some("build") => build(),
        Some("bench") => bench(&args[1..]),
        Some("abuse") => abuse(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
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

/// Every test there is, in the order that fails fastest; trunk (a long install, once) last.
fn test() -> Result<(), String> {
    let all = Instant::now();
    tools::ensure_build_tools()?;
    tools::ensure_browser_tools()?;
    checks::all()?;
    tools::ensure_ops_tools()?;
    phase("native tests (release)", cargo(&["test", "--workspace", "--release"]))?;
    // The kernels' SIMD copies below the CPU's best, against the reference (an AVX-512 machine
    // would otherwise never run its AVX2 and SSE2 copies of the 8-lane kernels).
    for level in ["avx2", "sse2"] {
        // The kernels' modules of the one test binary (crates/kernels/tests/main.rs).
        let args = [
            "test",
            "--release",
            "-p",
            "parallax-kernels",
            "--test",
            "kernels",
            "--",
            "julia::",
            "diffusion::",
            "pi::",
            "primes::",
            "simd_levels::",
        ];
        let mut tests = cargo(&args);
        tests.env("PARALLAX_ISA", level); // parallax_kernels::simd::FORCE_VARIABLE
        phase(&format!("kernels' tests at {level} (PARALLAX_ISA={level})"), tests)?;
    }
    phase(
        "wasm32 build of the kernels",
        cargo(&["build", "--release", "--target", "wasm32-unknown-unknown", "-p", "parallax-kernels"]),
    )?;
    build_page()?;
    let mut e2e = Command::new("npm");
    e2e.args(["test"]).current_dir(repo_root().join("tests"));
    phase("page in headless Chromium (node --test)", e2e)?;
    // The page's core suite, written once, in each engine (tests/engines/).
    for engine in ENGINES {
        let mut core = Command::new("node");
        core.args(["--test", "--test-concurrency=1", "engines/"]).env("PARALLAX_ENGINE", engine);
        core.current_dir(repo_root().join("tests"));
        phase(&format!("the page's core in {engine} (node --test engines/)"), core)?;
    }
    tools::ensure_peers()?;
    bench_harness(true)?;
    tools::ensure_nginx()?;
    let mut deploy = Command::new("node");
    deploy.args(["--test", "--test-concurrency=1", "deploy/"]).current_dir(repo_root().join("tests"));
    phase("two replicas behind nginx (node --test)", deploy)?;
    // The developers' build, plain trunk as a developer runs it (no environment of ours): its
    // dist/ must equal the xtask's, and `trunk serve` must serve a working page.
    tools::ensure_trunk()?;
    let mut trunk = Command::new("trunk");
    trunk.args(["build", "--release", "--dist", TRUNK_DIST]).current_dir(repo_root());
    phase("page by trunk, for comparison (trunk build --release)", trunk)?;
    let mut compare = Command::new("node");
    compare.args(["--test", "--test-concurrency=1", "trunk/"]).current_dir(repo_root().join("tests"));
    phase("trunk's page = the xtask's; trunk serve (node --test)", compare)?;
    println!("[xtask] all tests passed in {:.1} s", all.elapsed().as_secs_f64());
    Ok(())
}

/// The browser engines the page is tested in (tests/engines/drivers.mjs has the same names).
const ENGINES: [&str; 3] = ["chromium", "firefox", "webkit"];

/// Where the test command has trunk build the page, to compare it with `dist/`.
const TRUNK_DIST: &str = "target/dist-trunk";

/// Builds the server and the page in release.
fn build() -> Result<(), String> {
    tools::ensure_build_tools()?;
    phase("server (release)", cargo(&["build", "--release", "-p", "parallax-server"]))?;
    build_page()
}

/// Builds the server and the page in release and serves both on 127.0.0.1:8080.
fn serve() -> Result<(), String> {
    build()?;
    let mut server = Command::new(repo_root().join("target/release/parallax-server"));
    server.args(["--addr", "127.0.0.1:8080", "--dist"]).arg(repo_root().join("dist"));
    println!("[xtask] open http://127.0.0.1:8080 (Ctrl-C stops the server)");
    phase("server", server)
}

/// Both halves of the development loop in one command: the server on 8080 (the API) and plain
/// `trunk serve` on 8081 (the page, rebuilt on change, /api/ proxied to 8080), with trunk and
/// wasm-bindgen-cli installed first when missing. Each half also runs alone (README).
fn dev() -> Result<(), String> {
    tools::ensure_build_tools()?;
    tools::ensure_trunk()?;
    phase("server (release)", cargo(&["build", "--release", "-p", "parallax-server"]))?;
    let mut server = Command::new(repo_root().join("target/release/parallax-server"))
        .args(["--addr", "127.0.0.1:8080", "--dist"])
        .arg(repo_root().join("dist"))
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let mut trunk = Command::new("trunk");
    trunk.arg("serve").current_dir(repo_root());
    let result = phase("trunk serve (http://127.0.0.1:8081)", trunk);
    let _ = server.kill();
    result
}

/// `cargo xtask bench [--quick]`: builds what the harness drives, then runs it.
fn bench(extra: &[String]) -> Result<(), String> {
    let quick = match extra {
        [] => false,
        [flag] if flag == "--quick" => true,
        _ => return Err(format!("bench takes --quick or nothing, not {extra:?}")),
    };
    tools::ensure_build_tools()?;
    tools::ensure_browser_tools()?;
    build()?;
    bench_harness(quick)
}

/// tests/bench/run.mjs on the release server, the page in dist/ and parallax-bench (built
/// here: no test builds its binary).
fn bench_harness(quick: bool) -> Result<(), String> {
    phase(
        "server and parallax-bench (release)",
        cargo(&["build", "--release", "-p", "parallax-server", "-p", "parallax-bench"]),
    )?;
    let mut run = Command::new("node");
    run.arg("bench/run.mjs").current_dir(repo_root().join("tests"));
    if quick {
        run.arg("--quick");
    }
    // run.mjs picks its output directory (quick, BENCH_WORKLOADS) and prints it when done.
    phase(if quick { "benchmark harness, quick" } else { "benchmark harness" }, run)
}

/// The abuse suite (docs/hardening.md): the release binary, driven by the server's `abuse`
/// example from loopback addresses.
fn abuse(extra: &[String]) -> Result<(), String> {
    phase("server (release)", cargo(&["build", "--release", "-p", "parallax-server"]))?;
    let mut args = vec!["run", "--release", "-p", "parallax-server", "--example", "abuse", "--"];
    args.extend(extra.iter().map(String::as_str));
    phase("abuse suite", cargo(&args))
}

/// cargo-fuzz's libFuzzer target over every workload's request parsing, for SECONDS (600).
fn fuzz(extra: &[String]) -> Result<(), String> {
    if Command::new("cargo").args(["fuzz", "--version"]).output().map_or(true, |o| !o.status.success()) {
        phase("cargo-fuzz (cargo install, once)", cargo(&["install", "cargo-fuzz", "--locked"]))?;
    }
    let seconds = extra.first().map_or("600", String::as_str);
    let total = format!("-max_total_time={seconds}");
    phase(
        "fuzzing (cargo fuzz run request)",
        cargo(&["fuzz", "run", "--fuzz-dir", "crates/kernels/fuzz", "request", "--", &total, "-max_len=4096"]),
    )
}

/// The page and the threaded SIMD module, wasm-opt'ed, into dist/ as trunk would lay it out
/// (without trunk: `page.rs`); then the single-threaded modules into dist/simd/ and dist/plain/.
fn build_page() -> Result<(), String> {
    let start = Instant::now();
    page::build(&repo_root().join("dist"))?;
    println!("[xtask] phase page (index.html's files and the threaded module): {:.1} s", start.elapsed().as_secs_f64());
    build_single_threaded_modules()
}

/// The single-threaded builds' flags: they replace the config's threaded ones (no atomics, no
/// shared memory); `simd` keeps SIMD128, `plain` has nothing past the MVP.
pub(crate) const SIMD_RUSTFLAGS: &str = "-C target-feature=+simd128";
/// See [`SIMD_RUSTFLAGS`].
pub(crate) const PLAIN_RUSTFLAGS: &str = "-C target-cpu=mvp";

/// The single-threaded modules, for pages without cross-origin isolation (SIMD128 needs none)
/// and browsers without wasm SIMD: no atomics, no shared memory, no rayon pool, into
/// dist/<name>/. Trunk cannot build one crate several times with different flags, so cargo,
/// wasm-bindgen and wasm-opt run directly. `RUSTFLAGS` replaces the config's threaded wasm32
/// flags (appending cannot remove them), and each build's own target dir keeps the builds from
/// invalidating each other (docs/toolchain.md, "Three wasm builds").
fn build_single_threaded_modules() -> Result<(), String> {
    let root = repo_root();
    for (name, flags) in [("simd", SIMD_RUSTFLAGS), ("plain", PLAIN_RUSTFLAGS)] {
        let target_dir = format!("target/wasm-{name}");
        let mut build = cargo(&[
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "--no-default-features",
            "--manifest-path",
            "crates/web/Cargo.toml",
            "--target-dir",
            &target_dir,
        ]);
        build.env("RUSTFLAGS", flags);
        phase(&format!("{name} wasm module (cargo)"), build)?;
        let artifact = root.join(&target_dir).join("wasm32-unknown-unknown/release/parallax_web.wasm");
        page::bindgen_and_opt(
            &artifact,
            "parallax-web",
            "3",
            &root.join("dist").join(name),
            &format!("{name} wasm module"),
        )?;
    }
    Ok(())
}

/// The environment of a page build: npm's wasm-opt first on PATH (docs/toolchain.md,
/// "wasm-opt"). build-std comes from `.cargo/config.toml`.
fn page_env(mut cmd: Command) -> Command {
    let root = repo_root();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![root.join("www/node_modules/.bin")];
    dirs.extend(std::env::split_paths(&path));
    cmd.env("PATH", std::env::join_paths(dirs).unwrap_or(path)).current_dir(root);
    cmd
}

/// A `cargo` command in the repo root.
fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args).current_dir(repo_root());
    cmd
}

/// Runs one phase, printing its name and duration.
pub(crate) fn phase(name: &str, mut cmd: Command) -> Result<(), String> {
    println!("[xtask] phase {name} ...");
    let start = Instant::now();
    let status = cmd.status().map_err(|e| format!("{name}: cannot start {:?}: {e}", cmd.get_program()))?;
    println!("[xtask] phase {name}: {:.1} s", start.elapsed().as_secs_f64());
    if status.success() { Ok(()) } else { Err(format!("{name}: {status}")) }
}

pub(crate) fn repo_root() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
