#!/usr/bin/env bash
# Installs, idempotently, everything the build and the tests need on a fresh Debian 12 machine (run as root):
#   - the wasm32-unknown-unknown Rust target (stable, and nightly if installed, for the fuzzer), rustfmt, clippy;
#   - Debian's chromium and chromium-driver (the only browser that works offline here: see TOOLCHAIN.md);
#   - Debian's postgresql (the server's tests start throwaway clusters with scripts/pg.sh; no system cluster is used);
#   - wasm-bindgen-cli at exactly the version in Cargo.lock (the CLI and the library must match);
#   - the npm devDependencies (binaryen's wasm-opt, playwright-core, vite, typescript, the benchmark peers), via `npm ci`.
# Each step is skipped quickly when it is already satisfied. cargo-fuzz is not installed here: scripts/fuzz.sh
# installs it when it is needed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Colours only on a terminal (CI logs stay plain); NO_COLOR turns them off.
if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
  c_blue=$'\033[1;34m' c_red=$'\033[1;31m' c_off=$'\033[0m'
else
  c_blue='' c_red='' c_off=''
fi
log() { printf '%s[setup]%s %s\n' "$c_blue" "$c_off" "$*" >&2; }
die() { printf '%s[setup] error:%s %s\n' "$c_red" "$c_off" "$*" >&2; exit 1; }

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $*"
  fi
}

# --- Rust --------------------------------------------------------------------------------------------------
command -v rustup >/dev/null 2>&1 || die "rustup not found: install Rust with rustup first (https://rustup.rs)"
command -v cargo >/dev/null 2>&1 || die "cargo not found on PATH"

wasm_target=wasm32-unknown-unknown
toolchains=("$(rustup show active-toolchain | awk '{print $1}')")
if rustup toolchain list | grep -q '^stable'; then toolchains+=(stable); fi
if rustup toolchain list | grep -q '^nightly'; then toolchains+=(nightly); fi
declare -A seen=()
for tc in "${toolchains[@]}"; do
  if [ -z "$tc" ] || [ -n "${seen[$tc]:-}" ]; then continue; fi
  seen[$tc]=1
  if ! rustup target list --installed --toolchain "$tc" 2>/dev/null | grep -qx "$wasm_target"; then
    log "rustup target add $wasm_target (toolchain $tc)"
    rustup target add --toolchain "$tc" "$wasm_target"
  fi
done
# rustfmt and clippy on the active toolchain (test.sh runs both).
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    log "rustup component add $component"
    rustup component add "$component"
  fi
done

# --- Chromium and chromedriver (Debian's; Playwright's own download needs GitHub/CDN access) ---------------
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  log "apt-get install chromium chromium-driver"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
fi

# --- PostgreSQL (the server's tests run it on PostgreSQL too, in a throwaway cluster: scripts/pg.sh) ---------
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v pg_dump >/dev/null 2>&1; then
  log "apt-get install postgresql"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
fi

# --- wasm-bindgen-cli, pinned to the library version in Cargo.lock ------------------------------------------
wasm_bindgen_version() {
  if [ -f Cargo.lock ]; then
    awk '/^\[\[package\]\]/ { name = "" }
         /^name = / { name = $3; gsub(/"/, "", name) }
         /^version = / && name == "wasm-bindgen" { v = $3; gsub(/"/, "", v); print v; exit }' Cargo.lock
  fi
}
want="$(wasm_bindgen_version)"
if [ -z "$want" ]; then
  # No Cargo.lock yet (fresh clone before the first build): Cargo.toml pins the exact version with "=x.y.z".
  want="$(sed -n 's/^wasm-bindgen *= *"=\([0-9][0-9.]*\)".*/\1/p' Cargo.toml | head -n1)"
fi
[ -n "$want" ] || die "cannot find the wasm-bindgen version in Cargo.lock or Cargo.toml"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
  log "cargo install wasm-bindgen-cli --version $want (have: ${have:-none}; takes ~2 min)"
  # Without --locked: with it, a locked dependency is missing from the registry mirror (TOOLCHAIN.md).
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# --- npm devDependencies --------------------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || die "node not found: install Node.js 20 or newer"
command -v npm >/dev/null 2>&1 || die "npm not found"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js >= 20 is required (have $(node --version))"

# node_modules is fresh when npm's hidden lockfile (node_modules/.package-lock.json) agrees with package-lock.json:
# every required package is installed at the locked version, and nothing installed is unlocked or at another
# version. Optional platform packages (e.g. other OSes' rolldown bindings) may be absent.
npm_fresh() {
  [ -f package-lock.json ] && [ -f node_modules/.package-lock.json ] || return 1
  node -e '
    const fs = require("fs");
    const want = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages || {};
    const have = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages || {};
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    const root = want[""] || {};
    for (const field of ["dependencies", "devDependencies"]) {
      const a = pkg[field] || {}, b = root[field] || {};
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[k] !== b[k]) process.exit(1);
    }
    for (const [k, v] of Object.entries(want)) {
      if (k === "" || v.link) continue;
      const h = have[k];
      if (!h ? !v.optional : h.version !== v.version) process.exit(1);
      if (h && !fs.existsSync(k + "/package.json")) process.exit(1);
    }
    for (const [k, h] of Object.entries(have)) {
      if (!want[k] || want[k].version !== h.version) process.exit(1);
    }
  ' 2>/dev/null
}
if ! npm_fresh; then
  if [ -f package-lock.json ]; then
    log "npm ci"
    npm ci --no-audit --no-fund
  else
    log "npm install (no package-lock.json yet)"
    npm install --no-audit --no-fund
  fi
fi
[ -x node_modules/.bin/wasm-opt ] || die "node_modules/.bin/wasm-opt missing after npm install (binaryen devDependency)"

log "ok: $(rustc --version | awk '{print $1, $2}'), wasm-bindgen $want, $(node --version), chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')"
