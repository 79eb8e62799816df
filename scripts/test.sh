#!/usr/bin/env bash
# Runs every test, in order, and stops at the first failure (CI runs this through .ci/run):
#   lint (rustfmt, clippy for the host and for wasm32) → native unit, integration and doc tests (core and server) →
#   rustdoc of the core → the core with its minimum Rust → wasm-bindgen-test in Node and headless Chromium →
#   build pkg/ → node --test (the built package in Node and its npm tarball, a Vite 8 build in Chromium, the demo
#   page end to end in Chromium).
# Optional: SHIMING_FUZZ_SECONDS=N also runs the cargo-fuzz target for N seconds (needs fuzz/ and scripts/fuzz.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-$([ -n "${CI:-}" ] && echo never || echo auto)}"

# Colours only on a terminal (CI logs stay plain); NO_COLOR turns them off.
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  c_blue=$'\033[1;34m' c_red=$'\033[1;31m' c_green=$'\033[1;32m' c_bold=$'\033[1m' c_off=$'\033[0m'
else
  c_blue='' c_red='' c_green='' c_bold='' c_off=''
fi

names=()
results=()
started=$SECONDS

summary() {
  local total=$((SECONDS - started))
  printf '\n%s==== test summary (%dm %02ds) ====%s\n' "$c_bold" $((total / 60)) $((total % 60)) "$c_off"
  local i
  for i in "${!names[@]}"; do printf '  %s  %s\n' "${results[$i]}" "${names[$i]}"; done
}

# step NAME COMMAND...: runs one step, records its outcome and time, and stops everything on failure.
step() {
  local name=$1
  shift
  printf '\n%s==== %s%s\n     $ %s\n' "$c_blue" "$name" "$c_off" "$*"
  local t0=$SECONDS rc=0
  "$@" || rc=$?
  local took=$((SECONDS - t0))
  names+=("$name")
  if [ "$rc" -eq 0 ]; then
    results+=("$(printf '%sPASS%s %4ss' "$c_green" "$c_off" "$took")")
  else
    results+=("$(printf '%sFAIL%s %4ss (exit %s)' "$c_red" "$c_off" "$took" "$rc")")
    summary
    printf '\n%sFAILED:%s %s\n' "$c_red" "$c_off" "$name"
    exit "$rc"
  fi
}

step "setup (idempotent installs)" bash scripts/setup.sh
step "rustfmt" cargo fmt --all -- --check
# The bindings crates are empty natively (wasm32 only), so the host lint is the core's and the server's.
step "clippy (host, all targets, the core and the server)" cargo clippy --workspace --all-targets -- -D warnings
# For wasm32, the core and each bindings crate on its own: each wasm module builds the core with only its own
# message sets (Cargo.toml, [features]), and that build is the one linted; then the wasm tests, which use all four.
clippy_wasm() {
  local crate
  for crate in shiming shiming-js-common shiming-checks-js shiming-policy-js shiming-consent-js shiming-sync-js; do
    printf '     %s\n' "$crate"
    cargo clippy -p "$crate" --lib --target wasm32-unknown-unknown -- -D warnings || return
  done
  cargo clippy -p shiming-js-tests --tests --target wasm32-unknown-unknown -- -D warnings
}
step "clippy (wasm32: the core, each bindings crate, the wasm tests)" clippy_wasm
step "native unit + integration tests (the core and the server)" cargo test --workspace --tests
step "build the server (shiming-server, for the JS tests)" cargo build -p shiming-server
step "doctests (host)" cargo test --doc
# The crate's documentation as docs.rs builds it: every public item documented (#![warn(missing_docs)]), no broken
# intra-doc link. The npm tarball's file list is checked by tests/js/package.test.mjs (node --test below).
step "rustdoc (the core, warnings denied)" env RUSTDOCFLAGS="-D warnings" cargo doc -p shiming --no-deps
# The core crate with the Rust its Cargo.toml promises (rust-version), as a user of the published crate builds it.
step "the core with its minimum Rust (rust-version)" bash scripts/msrv.sh
# --tests: bindings/tests/tests/*.rs only. Doctests compiled for wasm32 do not really run (TOOLCHAIN.md).
step "wasm-bindgen-test (Node + headless Chromium)" \
  env CHROMEDRIVER=/usr/bin/chromedriver cargo test -p shiming-js-tests --target wasm32-unknown-unknown --tests
step "build pkg/" env SHIMING_SKIP_SETUP=1 bash scripts/build.sh
step "node --test tests/js/ (package in Node, Vite build, demo e2e)" node --test --test-reporter=spec tests/js/

if [ -n "${SHIMING_FUZZ_SECONDS:-}" ]; then
  if [ -d fuzz ] && [ -f scripts/fuzz.sh ]; then
    step "fuzz (${SHIMING_FUZZ_SECONDS}s)" bash scripts/fuzz.sh "$SHIMING_FUZZ_SECONDS"
  else
    printf '\n(SHIMING_FUZZ_SECONDS is set but fuzz/ or scripts/fuzz.sh is missing: fuzzing skipped)\n'
  fi
fi

summary
printf '\n%sALL TESTS PASSED%s\n' "$c_green" "$c_off"
printf 'steps: %d passed, 0 failed\n' "${#names[@]}"
