#!/usr/bin/env bash
# The core crate builds with the oldest Rust its Cargo.toml promises (`rust-version`), as a user of the published
# crate would build it: the library, its build script and what the build reads, with no dev-dependencies (the
# workspace's Cargo.lock holds dev- and server dependencies that need a newer Cargo: getrandom 0.4's manifest is
# edition 2024, which Cargo 1.81 cannot parse; a user's build of the published crate never resolves them).
#
#   bash scripts/msrv.sh      (installs the toolchain with rustup if missing: about 30 s the first time; skips,
#                             saying so, if rustup cannot install it)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"
if [ -z "$version" ]; then
  echo "msrv: no rust-version in Cargo.toml" >&2
  exit 1
fi
if ! rustup run "$version" rustc --version >/dev/null 2>&1; then
  # rustup's server is where the wasm32 target comes from too; if it cannot be reached, say so loudly and skip
  # rather than fail a build that has nothing wrong with it.
  if ! rustup toolchain install "$version" --profile minimal; then
    echo "msrv: SKIPPED, Rust $version could not be installed (no network to rustup's server?)" >&2
    exit 0
  fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/src" "$root/build.rs" "$root/data" "$work/"
# The [package] table (without `include`, which names files of the repository) and [features]; no dependencies,
# no dev-dependencies, no workspace.
awk '
  /^\[/ { table = $0 }
  table == "[package]" && /^include = \[/ { skipping = 1 }
  skipping { if (/^\]/) skipping = 0; next }
  table == "[package]" || table == "[features]" { print }
' "$root/Cargo.toml" > "$work/Cargo.toml"
printf '\n[dependencies]\n' >> "$work/Cargo.toml"

cd "$work"
# Warnings are errors: a lint that a newer compiler no longer raises still fails here.
RUSTFLAGS="-D warnings" cargo "+$version" build --release --lib --quiet
echo "msrv: the core crate builds with Rust $(rustup run "$version" rustc --version | cut -d' ' -f2) (rust-version = \"$version\")"
