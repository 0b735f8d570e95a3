#!/usr/bin/env bash
# The entry point of README's two commands: makes sure the pinned toolchain of
# rust-toolchain.toml is installed (these machines set RUSTUP_AUTO_INSTALL=0, so nothing calls
# `cargo` in the repo before this), then hands over to `cargo xtask <command>`.
# `rustup toolchain install` with no argument reads rust-toolchain.toml; it returns at once when
# the toolchain and its components are there.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v rustup >/dev/null || { echo "rustup is required: https://rustup.rs" >&2; exit 1; }
start=$(date +%s)
rustup toolchain install >/dev/null
echo "[xtask] phase toolchain: $(( $(date +%s) - start )) s ($(rustc --version))"
exec cargo xtask "$@"
