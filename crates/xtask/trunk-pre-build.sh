#!/bin/sh
# trunk's pre-build hook (Trunk.toml), run from the repository root before every build of plain
# `trunk serve` / `trunk build`: what the page's build needs beyond trunk and cargo, done at once
# when already done.
# - www/node_modules: npm's binaryen (wasm-opt), Pyodide and coi-serviceworker, which
#   index.html's data-trunk links copy into dist/.
# - wasm-opt where trunk looks for its pinned version (`version_132`) when PATH has none: its own
#   cache directory (directories' cache dir: $XDG_CACHE_HOME or ~/.cache, then trunk/).
# - wasm-bindgen-cli cannot be put in place here (a 3-minute cargo install): said, if missing.
set -eu
if [ ! -f www/node_modules/.package-lock.json ]; then
  npm ci --prefix www --no-audit --no-fund
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/trunk/wasm-opt-version_132/bin"
mkdir -p "$cache"
ln -sfn "$PWD/www/node_modules/.bin/wasm-opt" "$cache/wasm-opt"
if ! wasm-bindgen --version 2>/dev/null | grep -q ' 0\.2\.130'; then
  echo "trunk needs wasm-bindgen-cli 0.2.130: run README's first command once, or" >&2
  echo "  (cd /tmp && cargo +nightly-2026-05-19 install wasm-bindgen-cli --version 0.2.130)" >&2
  exit 1
fi
