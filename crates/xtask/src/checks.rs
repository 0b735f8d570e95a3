//! The repository's own checks, run first by `cargo xtask test` because they fail in seconds:
//! the pinned wasm-bindgen versions agree, every crate is formatted, the JavaScript passes
//! ESLint, and clippy finds nothing in any crate (crates/web built for wasm32, all three builds).

use std::process::Command;

use crate::{cargo, phase, repo_root, tools};

/// Every check, in the order that fails fastest.
pub(crate) fn all() -> Result<(), String> {
    wasm_bindgen_versions()?;
    phase("format (cargo fmt --check, every crate)", cargo(&["fmt", "--all", "--check"]))?;
    phase("format (crates/web)", cargo(&["fmt", "--manifest-path", "crates/web/Cargo.toml", "--check"]))?;
    let mut eslint = Command::new(repo_root().join("tests/node_modules/.bin/eslint"));
    eslint
        .args(["--config", "tests/eslint.config.mjs", "--max-warnings", "0", "www", "tests"])
        .current_dir(repo_root());
    phase("JavaScript (eslint)", eslint)?;
    phase("clippy", cargo(&["clippy", "--workspace", "--all-targets", "--release", "--", "-D", "warnings"]))?;
    let web = ["--manifest-path", "crates/web/Cargo.toml", "--target", "wasm32-unknown-unknown", "--release"];
    let mut threaded = vec!["clippy"];
    threaded.extend(web);
    threaded.extend(["--", "-D", "warnings"]);
    phase("clippy (crates/web, wasm32, threads)", cargo(&threaded))?;
    // The single-threaded builds, each with its flags and target dir (as the page build).
    for (name, flags) in [("simd", crate::SIMD_RUSTFLAGS), ("plain", crate::PLAIN_RUSTFLAGS)] {
        let target_dir = format!("target/wasm-{name}");
        let mut args = vec!["clippy"];
        args.extend(web);
        args.extend(["--no-default-features", "--target-dir", &target_dir, "--", "-D", "warnings"]);
        let mut clippy = cargo(&args);
        clippy.env("RUSTFLAGS", flags);
        phase(&format!("clippy (crates/web, wasm32, {name})"), clippy)?;
    }
    Ok(())
}

/// The wasm-bindgen crate and its CLI must be the very same version: the crate's pin in
/// crates/web/Cargo.toml, trunk's in Trunk.toml, the xtask's install and the CLI on PATH.
fn wasm_bindgen_versions() -> Result<(), String> {
    let root = repo_root();
    let read = |path: &str| std::fs::read_to_string(root.join(path)).map_err(|e| format!("cannot read {path}: {e}"));
    let crate_pin = value_after(&read("crates/web/Cargo.toml")?, "wasm-bindgen = \"=");
    let trunk_pin = value_after(&read("Trunk.toml")?, "wasm_bindgen = \"");
    let cli = Command::new("wasm-bindgen")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    let cli = cli.as_deref().and_then(|v| v.split_whitespace().nth(1)).map(str::to_string);
    let found = [
        ("crates/web/Cargo.toml (wasm-bindgen = \"=…\")", crate_pin),
        ("Trunk.toml ([tools] wasm_bindgen)", trunk_pin),
        ("crates/xtask/src/tools.rs (WASM_BINDGEN)", Some(tools::WASM_BINDGEN.to_string())),
        ("the installed wasm-bindgen CLI", cli),
    ];
    let want = tools::WASM_BINDGEN;
    let wrong: Vec<String> = found
        .iter()
        .filter(|(_, v)| v.as_deref() != Some(want))
        .map(|(what, v)| format!("{what} says {}", v.as_deref().unwrap_or("nothing")))
        .collect();
    if wrong.is_empty() {
        println!("[xtask] wasm-bindgen {want} everywhere (crate, Trunk.toml, xtask, CLI)");
        Ok(())
    } else {
        Err(format!("wasm-bindgen versions disagree (want {want} everywhere): {}", wrong.join("; ")))
    }
}

/// The text between `prefix` and the next `"` on the first line that holds `prefix`.
fn value_after(text: &str, prefix: &str) -> Option<String> {
    let rest = &text[text.find(prefix)? + prefix.len()..];
    Some(rest[..rest.find('"')?].to_string())
}
