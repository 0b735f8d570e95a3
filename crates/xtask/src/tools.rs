//! Installing what the build and the tests need, each step skipped at once when already done:
//! trunk and wasm-bindgen-cli at their pinned versions (from crates.io), binaryen's wasm-opt and
//! the browser drivers (from npm, by lock file), Debian's Chromium, Firefox, WebKitGTK, nginx,
//! openssl, promtool, numpy and primesieve (apt). Nothing is downloaded from
//! anywhere else (docs/toolchain.md).

use std::path::Path;
use std::process::Command;

use crate::{phase, repo_root};

/// trunk's version: it needs rustc ≥ 1.96.1, so it is built with the pinned nightly.
const TRUNK: &str = "0.22.1";
/// Must equal the `wasm-bindgen` crate's version (crates/web/Cargo.toml).
pub(crate) const WASM_BINDGEN: &str = "0.2.130";

/// trunk, the developers' dev server (plain `trunk serve`, `cargo xtask dev`); the release page needs none.
pub(crate) fn ensure_trunk() -> Result<(), String> {
    ensure_cargo_tool("trunk", TRUNK, &["install", "trunk", "--version", TRUNK, "--locked"])
}

/// Tools to build the page: wasm-bindgen-cli and wasm-opt.
pub(crate) fn ensure_build_tools() -> Result<(), String> {
    // Not `--locked`: a locked dependency of this version is missing from the registry
    // (docs/toolchain.md, "wasm-bindgen-cli").
    ensure_cargo_tool("wasm-bindgen", WASM_BINDGEN, &["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN])?;
    ensure_npm("www")
}

/// The three engines' Debian packages, each with a file that says it is installed: Chromium,
/// Firefox ESR, and WebKitGTK's WebDriver (which brings its MiniBrowser) with Xvfb to give it a
/// display (docs/engines.md).
const BROWSER_PACKAGES: [(&str, &str); 5] = [
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("firefox-esr", "/usr/bin/firefox-esr"),
    ("webkit2gtk-driver", "/usr/bin/WebKitWebDriver"),
    ("xvfb", "/usr/bin/Xvfb"),
];

/// Tools to test the page: playwright-core, puppeteer-core and selenium-webdriver (npm), and the
/// browsers of [`BROWSER_PACKAGES`] (apt), those missing only.
pub(crate) fn ensure_browser_tools() -> Result<(), String> {
    ensure_npm("tests")?;
    let missing: Vec<&str> =
        BROWSER_PACKAGES.iter().filter(|(_, file)| !Path::new(file).exists()).map(|(package, _)| *package).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing.join(" ");
    phase("apt-get update", sh("apt-get update -qq"))?;
    phase(
        &format!("install {list} (apt)"),
        sh(&format!("DEBIAN_FRONTEND=noninteractive apt-get install -y -qq {list}")),
    )
}

/// Debian's nginx, for the load-balancer test (tests/deploy/). The package's own service is
/// not wanted: a policy-rc.d that says no keeps apt from starting it.
pub(crate) fn ensure_nginx() -> Result<(), String> {
    if Path::new("/usr/sbin/nginx").exists() {
        return Ok(());
    }
    phase("apt-get update", sh("apt-get update -qq"))?;
    phase(
        "install nginx (apt)",
        sh("printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && \
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; status=$?; \
            rm -f /usr/sbin/policy-rc.d; exit $status"),
    )
}

/// What the HTTPS and metrics tests need: openssl (the throw-away CA and leaf of
/// tests/tls/certs.sh) and promtool (Debian's `prometheus`, ≈ 10 s to install: the metrics test
/// passes `/metrics` through `promtool check metrics`). The package's own service is not
/// wanted: a policy-rc.d that says no keeps apt from starting it.
pub(crate) fn ensure_ops_tools() -> Result<(), String> {
    if Path::new("/usr/bin/openssl").exists() && Path::new("/usr/bin/promtool").exists() {
        return Ok(());
    }
    phase("apt-get update", sh("apt-get update -qq"))?;
    phase(
        "install openssl and prometheus (apt, for promtool)",
        sh("printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && \
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl prometheus; \
            status=$?; \
            rm -f /usr/sbin/policy-rc.d; exit $status"),
    )
}

/// The benchmark's peers (tests/bench/): numpy for Debian's CPython and primesieve. The
/// harness skips a missing one with a line; the test command installs them, so its quick run
/// measures every side.
pub(crate) fn ensure_peers() -> Result<(), String> {
    let numpy =
        Command::new("/usr/bin/python3").args(["-c", "import numpy"]).output().is_ok_and(|o| o.status.success());
    if numpy && Path::new("/usr/bin/primesieve").exists() {
        return Ok(());
    }
    phase("apt-get update", sh("apt-get update -qq"))?;
    phase(
        "install python3-numpy and primesieve (apt)",
        sh("DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-numpy primesieve"),
    )
}

/// Installs `crate_args` with cargo unless `binary --version` already prints `version`.
fn ensure_cargo_tool(binary: &str, version: &str, crate_args: &[&str]) -> Result<(), String> {
    let found =
        Command::new(binary).arg("--version").output().ok().map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if found.as_deref().is_some_and(|v| v.split_whitespace().any(|w| w == version)) {
        return Ok(());
    }
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // Outside the repository, so its `.cargo/config.toml` (build-std for every build) does not
    // apply to the tool's build, with the pinned toolchain named (rust-toolchain.toml is not read
    // there); its own target dir, so the install never invalidates the project's build cache.
    cmd.args(crate_args)
        .arg("--target-dir")
        .arg(repo_root().join("target/tools"))
        .env("RUSTUP_TOOLCHAIN", pinned_toolchain()?)
        .current_dir(std::env::temp_dir());
    let minutes = if binary == "trunk" { "≈ 15 minutes" } else { "≈ 3 minutes" };
    println!("[xtask] installing {binary} {version} from crates.io: {minutes} on 2 cores, once");
    phase(&format!("install {binary} {version} (cargo)"), cmd)
}

/// The channel of rust-toolchain.toml (e.g. `nightly-2026-05-19`).
fn pinned_toolchain() -> Result<String, String> {
    let text = std::fs::read_to_string(repo_root().join("rust-toolchain.toml"))
        .map_err(|e| format!("rust-toolchain.toml: {e}"))?;
    text.lines()
        .find_map(|line| {
            line.trim().strip_prefix("channel")?.trim().strip_prefix('=')?.trim().strip_prefix('"')?.split('"').next()
        })
        .map(str::to_owned)
        .ok_or_else(|| "rust-toolchain.toml: no `channel = \"…\"` line".to_owned())
}

/// `npm ci` in `dir` unless its node_modules matches the lock file already.
fn ensure_npm(dir: &str) -> Result<(), String> {
    let dir = repo_root().join(dir);
    let installed = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (installed.metadata().and_then(|m| m.modified()), lock.metadata().and_then(|m| m.modified())) {
        (Ok(installed), Ok(lock)) => installed >= lock,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    let mut cmd = Command::new("npm");
    cmd.args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir);
    phase(&format!("npm ci in {}", dir.display()), cmd)
}

fn sh(script: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", script]);
    cmd
}
