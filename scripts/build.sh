#!/usr/bin/env bash
# Builds the npm package `shiming` into pkg/:
#   cargo (release, wasm32) → wasm-bindgen --target web → wasm-opt (npm binaryen, never Debian's) → entry points.
#
# pkg/ then holds:
#   shiming.js, shiming.d.ts, shiming_bg.wasm   the raw wasm-bindgen glue ("shiming/web": call `await init()`)
#   node.js, node.d.ts                          Node entry: instantiates synchronously at import, no init call
#   index.js, index.d.ts                        browser/bundler entry: top-level `await init()`, no init call
#   regions.js, regions.d.ts                    the GB/T 2260 region names ("shiming/regions"), kept out of the .wasm:
#                                               Node's entry installs them at import, browsers call loadRegionNames()
#   policy/shiming_policy{.js,_bg.wasm}         the minor-protection policy runtime, a module of its own ("shiming/policy":
#   policy.js, policy-node.js, policy.d.ts      evaluatePolicy, setMinorPolicy, minorPolicy), so that registration pages
#                                               never download it
#   sync/shiming_sync{.js,_bg.wasm}             the offline-first sync client ("shiming/sync": SyncClient; fetch, IndexedDB,
#   sync.js, sync.d.ts                          WebCrypto), a module of its own; browsers only
#   conformance/                                the sync protocol's conformance suite (tests/conformance/), the
#                                               package's bin `shiming-conformance <base-url>`
#   package.json, README.md
#
# Environment: SHIMING_WASM_OPT overrides the optimisation level passed to wasm-opt (default below; "none" skips
# wasm-opt); SHIMING_SKIP_SETUP=1 skips scripts/setup.sh (test.sh has already run it).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

# Colours only on a terminal (CI logs stay plain); NO_COLOR turns them off.
if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
  c_blue=$'\033[1;34m' c_red=$'\033[1;31m' c_green=$'\033[1;32m' c_off=$'\033[0m'
else
  c_blue='' c_red='' c_green='' c_off=''
fi
log() { printf '%s[build]%s %s\n' "$c_blue" "$c_off" "$*" >&2; }
die() { printf '%s[build] error:%s %s\n' "$c_red" "$c_off" "$*" >&2; exit 1; }

if [ "${SHIMING_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# -O3 rather than -Oz. Measured on this crate (first wasm layer, Node 20, 1 M-line batch): gzip size was the same
# to 0.1% (65.9 KB for -O2/-O3/-Os/-Oz), while -Oz halved checkIdBatch throughput
# (6.9 vs 14.3 M IDs/s) and -Os slowed the per-call paths by a third. -O4 gained nothing over -O3.
opt_level="${SHIMING_WASM_OPT:--O3}"

target_dir="$(cargo metadata --no-deps --format-version 1 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
wasm_in="$target_dir/wasm32-unknown-unknown/release/shiming.wasm"
# SHIMING_PKG_DIR builds elsewhere (e.g. a second checkout or a helper working beside you); default pkg/.
pkg="${SHIMING_PKG_DIR:-$root/pkg}"

# Three wasm modules from one crate (cargo features, see src/wasm/mod.rs): the registration checks, the
# minor-protection policy runtime (which a registration page never downloads), and agreements and consent (the
# only one with DOM bindings).
#   $1 feature, $2 output name
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
build_module() {
  log "cargo build --release --target wasm32-unknown-unknown --features $1"
  # JSON messages give the build script's OUT_DIR, where build.rs wrote the region names.
  cargo build --release --lib --target wasm32-unknown-unknown --no-default-features --features "$1" \
    --message-format=json-render-diagnostics |
    node -e '
      let s = "";
      process.stdin.on("data", (d) => (s += d)).on("end", () => {
        const dirs = s.split("\n").filter(Boolean).map((l) => JSON.parse(l))
          .filter((m) => m.reason === "build-script-executed" && /shiming/.test(m.package_id));
        console.log(dirs.length ? dirs[dirs.length - 1].out_dir : "");
      });' > "$tmp/$2.out_dir"
  [ -f "$wasm_in" ] || die "expected $wasm_in after cargo build"
  cp "$wasm_in" "$tmp/$2.wasm"
}
build_module js-checks shiming
build_module js-policy shiming_policy
build_module js-consent shiming_consent
build_module js-sync shiming_sync
out_dir="$(cat "$tmp/shiming.out_dir")"
names_txt="$out_dir/gb2260_names.txt"
[ -n "$out_dir" ] && [ -f "$names_txt" ] || die "build.rs did not write gb2260_names.txt (out_dir: '$out_dir')"

# Start from an empty pkg/ so that no stale file is ever published or tested.
rm -rf "$pkg"
mkdir -p "$pkg"

wasm_opt="$root/node_modules/.bin/wasm-opt"
[ -x "$wasm_opt" ] || die "node_modules/.bin/wasm-opt missing: run npm ci (Debian's wasm-opt breaks wasm-bindgen output; never use it)"
# Each module in its own directory: wasm-bindgen names the inline JS snippets by crate, so two builds of one crate
# writing into one directory would overwrite each other's snippets.
for module in shiming shiming_policy shiming_consent shiming_sync; do
  case "$module" in
    shiming) dir="$pkg" ;;
    shiming_policy) dir="$pkg/policy" ;;
    shiming_consent) dir="$pkg/consent" ;;
    shiming_sync) dir="$pkg/sync" ;;
  esac
  log "wasm-bindgen --target web ($module)"
  wasm-bindgen --target web --out-dir "$dir" --out-name "$module" "$tmp/$module.wasm"
  if [ "$opt_level" != none ]; then
    log "wasm-opt $opt_level ($("$wasm_opt" --version)) ($module)"
    # Features: exactly what rustc's default wasm32 target emits. SIMD stays off: the default build must load in
    # WebViews without wasm SIMD; wasm-opt fails validation if any SIMD instruction sneaks in.
    # --converge repeats the passes until nothing shrinks (about 0.6 KB gzip); --strip-producers drops the
    # toolchain-versions metadata section (0.4 KB). Neither changes behaviour.
    "$wasm_opt" "$opt_level" --converge --strip-producers \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue --disable-simd \
      "$dir/${module}_bg.wasm" -o "$dir/${module}_bg.opt.wasm"
    mv "$dir/${module}_bg.opt.wasm" "$dir/${module}_bg.wasm"
  fi
  if "$root/node_modules/.bin/wasm-dis" "$dir/${module}_bg.wasm" | grep -q 'v128'; then
    die "$dir/${module}_bg.wasm uses SIMD (v128): the default build must run without wasm SIMD"
  fi
done

log "writing entry points and package.json"

node -e '
  const fs = require("fs");
  const text = fs.readFileSync(process.argv[1], "utf8");
  fs.writeFileSync(process.argv[2] + "/regions.js",
    "// GB/T 2260 region names for shiming (generated from data/gb2260.tsv by build.rs; see its provenance header).\n" +
    "// One name per code, in code order. Install with setRegionNames(), or let the entry do it.\n" +
    "export default " + JSON.stringify(text) + ";\n");
  fs.writeFileSync(process.argv[2] + "/regions.d.ts", "declare const regionNames: string;\nexport default regionNames;\n");
' "$names_txt" "$pkg"

cat > "$pkg/node.js" <<'EOF'
// Node entry of `shiming`: the module is instantiated synchronously at import, so no init call is needed:
//   import { checkId } from 'shiming';
import { readFileSync } from 'node:fs';
import { initSync, setRegionNames } from './shiming.js';
import regionNames from './regions.js';

initSync({ module: readFileSync(new URL('./shiming_bg.wasm', import.meta.url)) });
setRegionNames(regionNames);

export * from './shiming.js';

/** Region names are installed at import in Node: this resolves at once. */
export async function loadRegionNames() {}
EOF

cat > "$pkg/index.js" <<'EOF'
// Browser and bundler entry of `shiming` (Vite, webpack 5, Rollup): the module is instantiated by a top-level
// await, so no init call is needed:
//   import { checkId } from 'shiming';
// For a plain <script type="module"> page, or a WebView without top-level await, import 'shiming/web' and call
// `await init()` yourself.
import init, { regionNamesLoaded, setRegionNames } from './shiming.js';

await init();

export * from './shiming.js';

/**
 * Loads the GB/T 2260 region names (about 24 KB gzip, a separate chunk for bundlers), so that checkId returns the
 * province, city and county of a region, not only its code. Call it once, e.g. after the first paint.
 */
export async function loadRegionNames() {
  if (!regionNamesLoaded()) {
    setRegionNames((await import('./regions.js')).default);
  }
}
EOF

cat > "$pkg/policy-node.js" <<'EOF'
// Node entry of `shiming/policy` (the minor-protection policy runtime): instantiated synchronously at import.
//   import { evaluatePolicy } from 'shiming/policy';
import { readFileSync } from 'node:fs';
import { initSync } from './policy/shiming_policy.js';

initSync({ module: readFileSync(new URL('./policy/shiming_policy_bg.wasm', import.meta.url)) });

export { evaluatePolicy, setMinorPolicy, minorPolicy, minorPolicyPreset, checkGuardianLimits } from './policy/shiming_policy.js';
EOF

cat > "$pkg/policy.js" <<'EOF'
// Browser and bundler entry of `shiming/policy` (the minor-protection policy runtime, a wasm module of its own so that
// registration pages never download it): instantiated by a top-level await.
//   import { evaluatePolicy } from 'shiming/policy';
import init from './policy/shiming_policy.js';

await init();

export { evaluatePolicy, setMinorPolicy, minorPolicy, minorPolicyPreset, checkGuardianLimits } from './policy/shiming_policy.js';
EOF

cat > "$pkg/policy.d.ts" <<'EOF'
// The module is already initialised when this entry's import resolves.
export { evaluatePolicy, setMinorPolicy, minorPolicy, minorPolicyPreset, checkGuardianLimits } from './policy/shiming_policy.js';
export type { MinorPolicy, PolicyActivity, PolicyEvaluation, GuardianLimits, GuardianLimitsCheck } from './policy/shiming_policy.js';
EOF

cat > "$pkg/consent-node.js" <<'EOF'
// Node entry of `shiming/consent` (agreement documents and consent receipts, e.g. a backend verifying receipts):
// instantiated synchronously at import. ReadingTracker and ConsentGate need a browser DOM.
//   import { verifyReceipt } from 'shiming/consent';
import { readFileSync } from 'node:fs';
import { initSync } from './consent/shiming_consent.js';

initSync({ module: readFileSync(new URL('./consent/shiming_consent_bg.wasm', import.meta.url)) });

export * from './consent/shiming_consent.js';
EOF

cat > "$pkg/consent.js" <<'EOF'
// Browser and bundler entry of `shiming/consent` (agreements, the reading tracker, acceptance and consent receipts;
// a wasm module of its own): instantiated by a top-level await.
//   import { ReadingTracker, ConsentGate, makeDocument } from 'shiming/consent';
import init from './consent/shiming_consent.js';

await init();

export * from './consent/shiming_consent.js';
EOF

cat > "$pkg/consent.d.ts" <<'EOF'
// The module is already initialised when this entry's import resolves.
export * from './consent/shiming_consent.js';
EOF

cat > "$pkg/sync.js" <<'EOF'
// Browser and bundler entry of `shiming/sync` (the offline-first sync client: fetch, IndexedDB, WebCrypto; a wasm
// module of its own): instantiated by a top-level await.
//   import { SyncClient } from 'shiming/sync';
//   const client = await SyncClient.open({ baseUrl: '/api', onStatus });
import init from './sync/shiming_sync.js';

await init();

export * from './sync/shiming_sync.js';
EOF

cat > "$pkg/sync.d.ts" <<'EOF'
// The module is already initialised when this entry's import resolves.
export * from './sync/shiming_sync.js';
EOF

for entry in node index; do
  cat > "$pkg/$entry.d.ts" <<'EOF'
// The module is already initialised when this entry's import resolves.
export * from './shiming.js';
/** Installs the region names (see `setRegionNames`): at once in Node, by a lazily loaded chunk in browsers. */
export declare function loadRegionNames(): Promise<void>;
EOF
done

if [ -f README.md ]; then cp README.md "$pkg/README.md"; fi

# The sync protocol's conformance suite (`npx shiming-conformance <base-url>`); shipped, it finds the package at
# ../node.js.
cp -R tests/conformance "$pkg/conformance"
chmod +x "$pkg/conformance/run.mjs"

cargo metadata --no-deps --format-version 1 | node -e '
  const fs = require("fs");
  let s = "";
  process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const meta = JSON.parse(s).packages.find((p) => p.name === "shiming");
    const pkg = {
      name: "shiming",
      version: meta.version,
      description: meta.description ?? undefined,
      license: meta.license ?? undefined,
      repository: meta.repository ?? undefined,
      homepage: meta.homepage ?? undefined,
      keywords: ["china", "id-card", "resident-id", "gb11643", "validation", "wasm", "real-name"],
      type: "module",
      main: "./index.js",
      module: "./index.js",
      types: "./index.d.ts",
      bin: { "shiming-conformance": "conformance/run.mjs" },
      exports: {
        ".": {
          types: "./index.d.ts",
          node: "./node.js",
          default: "./index.js",
        },
        "./web": {
          types: "./shiming.d.ts",
          default: "./shiming.js",
        },
        "./regions": {
          types: "./regions.d.ts",
          default: "./regions.js",
        },
        "./policy": {
          types: "./policy.d.ts",
          node: "./policy-node.js",
          default: "./policy.js",
        },
        "./policy/web": {
          types: "./policy/shiming_policy.d.ts",
          default: "./policy/shiming_policy.js",
        },
        "./consent": {
          types: "./consent.d.ts",
          node: "./consent-node.js",
          default: "./consent.js",
        },
        "./consent/web": {
          types: "./consent/shiming_consent.d.ts",
          default: "./consent/shiming_consent.js",
        },
        "./sync": {
          types: "./sync.d.ts",
          default: "./sync.js",
        },
        "./sync/web": {
          types: "./sync/shiming_sync.d.ts",
          default: "./sync/shiming_sync.js",
        },
        "./shiming_bg.wasm": "./shiming_bg.wasm",
        "./package.json": "./package.json",
      },
      files: [
        "shiming_bg.wasm",
        "shiming_bg.wasm.d.ts",
        "shiming.js",
        "shiming.d.ts",
        "index.js",
        "index.d.ts",
        "node.js",
        "node.d.ts",
        "regions.js",
        "regions.d.ts",
        "policy/",
        "policy.js",
        "policy-node.js",
        "policy.d.ts",
        "consent/",
        "consent.js",
        "consent-node.js",
        "consent.d.ts",
        "sync/",
        "sync.js",
        "sync.d.ts",
        "conformance/",
        // wasm-bindgen inline JS helpers (imported by shiming.js).
        ...(fs.existsSync(process.argv[1] + "/snippets") ? ["snippets/"] : []),
        ...(fs.existsSync(process.argv[1] + "/README.md") ? ["README.md"] : []),
      ],
      // The entries instantiate the module at import: a bundler must keep them even when nothing is used.
      sideEffects: ["./index.js", "./node.js", "./policy.js", "./policy-node.js", "./consent.js", "./consent-node.js", "./sync.js"],
      engines: { node: ">=20" },
    };
    fs.writeFileSync(process.argv[1] + "/package.json", JSON.stringify(pkg, null, 2) + "\n");
  });
' "$pkg"

for f in shiming.js shiming.d.ts shiming_bg.wasm node.js index.js node.d.ts index.d.ts regions.js regions.d.ts \
  policy/shiming_policy.js policy/shiming_policy.d.ts policy/shiming_policy_bg.wasm policy.js policy-node.js policy.d.ts \
  consent/shiming_consent.js consent/shiming_consent.d.ts consent/shiming_consent_bg.wasm consent.js consent-node.js \
  consent.d.ts sync/shiming_sync.js sync/shiming_sync.d.ts sync/shiming_sync_bg.wasm sync.js sync.d.ts \
  conformance/run.mjs package.json; do
  [ -f "$pkg/$f" ] || die "pkg/$f was not produced"
done

raw=$(wc -c < "$pkg/shiming_bg.wasm")
gz=$(gzip -9 -c "$pkg/shiming_bg.wasm" | wc -c)
printf '%s[build]%s pkg/ ready: shiming_bg.wasm %s bytes (%.1f KB) raw, %s bytes (%.1f KB) gzip -9\n' \
  "$c_green" "$c_off" "$raw" "$(awk "BEGIN { print $raw / 1024 }")" "$gz" "$(awk "BEGIN { print $gz / 1024 }")"
# The size budget of the .wasm (gzip -9), a product target: a registration page must load fast on a phone. Size is
# deterministic, so this is a hard check, not a flaky timing; SHIMING_WASM_BUDGET overrides it (bytes).
budget="${SHIMING_WASM_BUDGET:-104000}"
if [ "$gz" -gt "$budget" ]; then
  die "pkg/shiming_bg.wasm is $gz bytes gzip -9, over the budget of $budget: make room first (see README, Performance)"
fi
# The other modules, each loaded only by the pages that use it, with a budget of its own.
#   $1 path under pkg/, $2 package entry, $3 default budget (bytes gzip -9), $4 its override
check_module_size() {
  local file="$pkg/$1" raw gz budget
  raw=$(wc -c < "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  budget="${!4:-$3}"
  log "$1 ($2, loaded only where used): $raw bytes raw, $gz bytes gzip -9 (budget $budget)"
  [ "$gz" -le "$budget" ] || die "pkg/$1 is $gz bytes gzip -9, over its budget of $budget"
}
check_module_size policy/shiming_policy_bg.wasm shiming/policy 70000 SHIMING_POLICY_WASM_BUDGET
# consent: 68,912 B with the reading rule (issue 14); the receipt's serverSignature and
# verifyReceiptSignature (base64url, the signing payload, the WebCrypto glue) cost 3,436 B. Issue 19 cuts.
# Issue 16's nine server codes (phone codes, verification, frozen), whose messages issueMessage renders for a page,
# took it to 74,468 B; issue 17's integer-only JCS (the float path deleted) brought it to 72,861 B: back to 74,000.
check_module_size consent/shiming_consent_bg.wasm shiming/consent 74000 SHIMING_CONSENT_WASM_BUDGET
check_module_size sync/shiming_sync_bg.wasm shiming/sync 96000 SHIMING_SYNC_WASM_BUDGET
names_gz=$(gzip -9 -c "$pkg/regions.js" | wc -c)
log "regions.js (loaded on demand): $(wc -c < "$pkg/regions.js") bytes raw, $names_gz bytes gzip -9"
