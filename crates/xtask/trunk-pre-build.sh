#!/bin/sh
# trunk's pre-build hook (Trunk.toml), run from the repository root before every build of plain
# `trunk serve` / `trunk build`: what the page's build needs beyond trunk and cargo, done at once
# when already done. The versions are Trunk.toml's own pins, read here, never repeated.
# - www/node_modules: npm's binaryen (wasm-opt), Pyodide and coi-serviceworker, which
#   index.html's data-trunk links copy into dist/.
# - wasm-opt where trunk looks for its pinned version when PATH has none: its own cache
#   directory (the `directories` crate's cache dir for dev.trunkrs.trunk: on Linux
#   $XDG_CACHE_HOME or ~/.cache, then trunk/; on macOS ~/Library/Caches/dev.trunkrs.trunk).
# - wasm-bindgen-cli cannot be put in place here (a 3-minute cargo install): said, if missing.
set -eu
pin() { sed -n "s/^$1 = \"\(.*\)\"$/\1/p" Trunk.toml; }
bindgen=$(pin wasm_bindgen)
opt=$(pin wasm_opt)
if [ ! -f www/node_modules/.package-lock.json ]; then
  npm ci --prefix www --no-audit --no-fund
fi
case "$(uname)" in
  Darwin) base="$HOME/Library/Caches/dev.trunkrs.trunk" ;;
  *) base="${XDG_CACHE_HOME:-$HOME/.cache}/trunk" ;;
esac
cache="$base/wasm-opt-$opt/bin"
mkdir -p "$cache"
ln -sfn "$PWD/www/node_modules/.bin/wasm-opt" "$cache/wasm-opt"
if ! wasm-bindgen --version 2>/dev/null | grep -qF " $bindgen"; then
  echo "trunk needs wasm-bindgen-cli $bindgen: run README's first command once, or, outside this" >&2
  echo "repository: cargo +$(sed -n 's/^channel = "\(.*\)"$/\1/p' rust-toolchain.toml) install wasm-bindgen-cli --version $bindgen" >&2
  exit 1
fi
