#!/usr/bin/env node
// Builds the npm package `shiming` into pkg/, in this order:
//   1. cargo build (release, wasm32) of each wasm module in MODULES below;
//   2. wasm-bindgen --target web, then wasm-opt (npm binaryen, never Debian's), then a check that no SIMD got in;
//   3. the package's own files: npm/'s entry points and their .d.ts, the licence texts, the README (its links to
//      files the package does not ship made absolute), the conformance suite (the bin);
//   4. npm/'s two templates filled in (regions.js, package.json), and a check that every file package.json names
//      exists;
//   5. the demo's vendored scripts: papaparse as an ES module in www/vendor/ (not part of the package);
//   6. the size budgets.
//
// pkg/ then holds:
//   shiming.js, shiming.d.ts, shiming_bg.wasm   the raw wasm-bindgen glue ("shiming/web": call `await init()`)
//   node.js, node.d.ts                          Node entry: instantiates synchronously at import, no init call
//   index.js, index.d.ts                        browser/bundler entry: top-level `await init()`, no init call
//   messages.js, messages.d.ts                  the page's one message setup (configure, loadLocale), shared by every
//                                               entry; locales/*.js the Traditional Chinese tables it loads on demand
//   regions.js, regions.d.ts                    the GB/T 2260 region names ("shiming/regions"), kept out of the .wasm:
//                                               Node's entry installs them at import, browsers call loadRegionNames()
//   policy/shiming_policy{.js,_bg.wasm}         the minor-protection policy runtime, a module of its own ("shiming/policy":
//   policy.js, policy-node.js, policy.d.ts      evaluatePolicy, setMinorPolicy, minorPolicy), so that registration pages
//                                               never download it
//   consent/shiming_consent{.js,_bg.wasm}       agreements, the reading tracker, consent receipts ("shiming/consent")
//   consent.js, consent-node.js, consent.d.ts
//   sync/shiming_sync{.js,_bg.wasm}             the offline-first sync client ("shiming/sync": SyncClient; fetch, IndexedDB,
//   sync.js, sync.d.ts                          WebCrypto), a module of its own; browsers only
//   all/shiming_all{.js,_bg.wasm}               the four modules' exports in one module ("shiming/all"), for a page
//   all.js, all-node.js, all.d.ts               that needs them all: one runtime instead of four, one request
//   conformance/                                the sync protocol's conformance suite (tests/conformance/), the
//                                               package's bin `shiming-conformance <base-url>`
//   package.json, README.md, LICENSE-MIT, LICENSE-APACHE
// The entry points, their .d.ts and package.json are the files of npm/, copied as they are, except that regions.js
// and package.json get generated data filled in (TEMPLATES). tsconfig.json type-checks them against the built pkg/
// (tests/js/types.test.mjs).
//
// Environment: SHIMING_WASM_OPT overrides the optimisation level passed to wasm-opt (default below; "none" skips
// wasm-opt); SHIMING_SKIP_SETUP=1 skips scripts/setup.sh (test.sh has already run it); SHIMING_PKG_DIR builds
// elsewhere than pkg/ (e.g. a second checkout, or a helper working beside you); each module's budget has its own
// override (MODULES).
//
// Run it as `bash scripts/build.sh` or `node scripts/build.mjs`. Node's standard library only.

import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync,
  readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The wasm modules, one row each: the only place that knows how a module is built, where it goes and what it may
// weigh. Each is a bindings crate of its own (bindings/<module>/, publish = false) that depends on the core and turns
// on the core's message sets it needs (Cargo.toml, [features]); the core itself has no bindings.
//   name       wasm-bindgen's --out-name: pkg/<dir>/<name>.js, <name>.d.ts, <name>_bg.wasm
//   cargo      the arguments that select it, after `cargo build --profile <profile> --lib --target wasm32-unknown-unknown`
//   profile    Cargo.toml's profile it is built with: `release` (opt-level 3) unless it says `wasm-size` (opt-level
//              "z", for modules whose calls follow what a person does: see Cargo.toml for the figures)
//   dir        its directory under pkg/. Each module has its own: wasm-bindgen names the inline JS snippets by
//              crate, so two builds of one crate writing into one directory would overwrite each other's snippets.
//   entry      the package entry that loads it (printed beside its size)
//   budget     its size budget in bytes of `gzip -9`; budgetEnv overrides it
// The first row is the package's main module, loaded by every registration page: its line is the `pkg/ ready` one.
const MODULES = [
  {
    name: 'shiming',
    cargo: ['-p', 'shiming-checks-js'],
    dir: '',
    entry: 'shiming',
    // A product target: a registration page must load fast on a phone. Issue 18's page setup (the message hook that
    // renders the Traditional Chinese tables and a platform's wording, issueMessage, resolveLocale, locale tags
    // negotiated) took it from 104,278 to 107,902 B; the batch's quick path (issue 19: 194 instead of 243.5
    // instructions per line) then 108,923 B (+47 B raw: its words compress less well). 109,500 until issue 19 cuts.
    budget: 106_200,
    budgetEnv: 'SHIMING_WASM_BUDGET',
  },
  {
    name: 'shiming_policy',
    cargo: ['-p', 'shiming-policy-js'],
    profile: 'wasm-size',
    dir: 'policy',
    entry: 'shiming/policy',
    // 52,115 B at opt-level 3; 49,507 B built for size (issue 19's sixth pass).
    budget: 50_000,
    budgetEnv: 'SHIMING_POLICY_WASM_BUDGET',
  },
  {
    name: 'shiming_consent',
    cargo: ['-p', 'shiming-consent-js'],
    profile: 'wasm-size',
    dir: 'consent',
    entry: 'shiming/consent',
    // 68,912 B with the reading rule (issue 14); the receipt's serverSignature and verifyReceiptSignature
    // (base64url, the signing payload, the WebCrypto glue) cost 3,436 B. Issue 19 cuts. Issue 16's nine server
    // codes (phone codes, verification, frozen), whose messages issueMessage renders for a page, took it to
    // 74,468 B; issue 17's integer-only JCS (the float path deleted) brought it to 72,861 B: back to 74,000. Issue
    // 18's page setup (message hook, configure, resolveLocale) took it to about 75,900 B: 76,500. Issue 19's cuts:
    // 71,462 B at opt-level 3; 66,008 B built for size.
    budget: 66_500,
    budgetEnv: 'SHIMING_CONSENT_WASM_BUDGET',
  },
  {
    name: 'shiming_sync',
    cargo: ['-p', 'shiming-sync-js'],
    profile: 'wasm-size',
    dir: 'sync',
    entry: 'shiming/sync',
    // 85,922 B until issue 19's first cut: an option's error message formatted f64 bounds, which brought Rust's
    // float printing in (-9,361 B with integer bounds): 76,561 B. Issue 19's cuts: 72,413 B at opt-level 3;
    // 61,527 B built for size.
    budget: 62_000,
    budgetEnv: 'SHIMING_SYNC_WASM_BUDGET',
  },
  {
    name: 'shiming_all',
    cargo: ['-p', 'shiming-all-js'],
    profile: 'wasm-size',
    dir: 'all',
    entry: 'shiming/all',
    // The four above linked into one (bindings/all): what a page that needs them all downloads instead of the four
    // (301,791 B together when it was added, issue 19; 233,282 B as one; 233,794 B at opt-level 3 before it was
    // built for size, 182,354 B after).
    budget: 183_000,
    budgetEnv: 'SHIMING_ALL_WASM_BUDGET',
  },
];

/** The Cargo profile a module of MODULES is built with. */
function profileOf(module) {
  return module.profile ?? 'release';
}

// -O3 rather than -Oz. Measured on this crate (first wasm layer, Node 20, 1 M-line batch): gzip size was the same
// to 0.1% (65.9 KB for -O2/-O3/-Os/-Oz), while -Oz halved checkIdBatch throughput
// (6.9 vs 14.3 M IDs/s) and -Os slowed the per-call paths by a third. -O4 gained nothing over -O3.
const optLevel = process.env.SHIMING_WASM_OPT || '-O3';

// Features: exactly what rustc's default wasm32 target emits. SIMD stays off: the default build must load in
// WebViews without wasm SIMD; wasm-opt fails validation if any SIMD instruction sneaks in.
// --converge repeats the passes until nothing shrinks (about 0.6 KB gzip); --strip-producers drops the
// toolchain-versions metadata section (0.4 KB). Neither changes behaviour.
const WASM_OPT_FLAGS = ['--converge', '--strip-producers',
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', '--disable-simd'];

// Files of npm/ that are templates: each placeholder is replaced by generated data; every other file of npm/ is
// copied as it is.
const TEMPLATES = {
  'regions.js': fillRegionNames,
  'package.json': fillPackageJson,
};

// Entries of package.json's `files` that the build may not produce, dropped when absent: wasm-bindgen's inline JS
// helpers (imported by shiming.js) exist only while the crate has inline JS, and README.md only while the
// repository has one. Every other file that package.json names must exist.
const OPTIONAL_FILES = ['snippets/', 'README.md'];

// The licence texts ("MIT OR Apache-2.0", Cargo.toml's `license`), shipped as they are in the repository.
const LICENSE_FILES = ['LICENSE-MIT', 'LICENSE-APACHE'];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const pkg = resolve(root, process.env.SHIMING_PKG_DIR || 'pkg');

// Colours only on a terminal (CI logs stay plain); NO_COLOR turns them off.
const colour = process.stderr.isTTY && !process.env.NO_COLOR;
const [blue, red, green, off] = colour ? ['\x1b[1;34m', '\x1b[1;31m', '\x1b[1;32m', '\x1b[0m'] : ['', '', '', ''];
const log = (message) => console.error(`${blue}[build]${off} ${message}`);
function die(message) {
  console.error(`${red}[build] error:${off} ${message}`);
  process.exit(1);
}

/** Runs a command with stderr shown; returns its stdout when `capture`, stops the build if it fails. */
function run(command, args, { capture = false } = {}) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    encoding: capture ? 'utf8' : undefined,
    maxBuffer: 1 << 30,
  });
  if (result.error) die(`${command}: ${result.error.message}`);
  if (result.status !== 0) die(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  return result.stdout;
}

/** Size in bytes under GNU `gzip -9`: the measure of the budgets and the README (Node's zlib compresses a little
 * better, so its figures are not comparable). */
function gzipSize(file) {
  const result = spawnSync('gzip', ['-9', '-c', file], { maxBuffer: 1 << 30 });
  if (result.error || result.status !== 0) die(`gzip -9 ${file} failed`);
  return result.stdout.length;
}

// --- 1. cargo build of each module -------------------------------------------------------------------------------

if (process.env.SHIMING_SKIP_SETUP !== '1') run('bash', ['scripts/setup.sh']);
process.env.PATH = `${process.env.CARGO_HOME || join(process.env.HOME ?? '', '.cargo')}/bin:${process.env.PATH}`;

const metadata = JSON.parse(run('cargo', ['metadata', '--no-deps', '--format-version', '1'], { capture: true }));
const core = metadata.packages.find((p) => p.name === 'shiming');
if (!core) die('cargo metadata lists no package named shiming');

const tmp = mkdtempSync(join(tmpdir(), 'shiming-build-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

// Where the core crate's build.rs wrote the region names (its OUT_DIR), from the first build that reports it.
let regionNamesFile;
for (const module of MODULES) {
  log(`cargo build --profile ${profileOf(module)} --target wasm32-unknown-unknown ${module.cargo.join(' ')}`);
  // JSON messages name the .wasm the build produced (each build overwrites the last one's, hence the copy) and
  // the build script's OUT_DIR.
  const messages = run('cargo', ['build', '--profile', profileOf(module), '--lib', '--target', 'wasm32-unknown-unknown',
    ...module.cargo, '--message-format=json-render-diagnostics'], { capture: true })
    .split('\n').filter(Boolean).map((line) => JSON.parse(line));
  // Only the selected crate's: a crate that links the others (shiming-all-js) also gets their cdylibs built.
  const crate = module.cargo[module.cargo.indexOf('-p') + 1].replaceAll('-', '_');
  const wasm = messages
    .filter((m) => m.reason === 'compiler-artifact' && m.target?.name.replaceAll('-', '_') === crate)
    .flatMap((m) => m.filenames)
    .filter((file) => file.endsWith('.wasm'));
  if (wasm.length !== 1) {
    die(`expected one .wasm from cargo build ${module.cargo.join(' ')}, got: ${wasm.join(', ') || 'none'}`);
  }
  copyFileSync(wasm[0], join(tmp, `${module.name}.wasm`));
  const outDir = messages.findLast((m) => m.reason === 'build-script-executed' && m.package_id === core.id)?.out_dir;
  regionNamesFile ??= outDir && join(outDir, 'gb2260_names.txt');
}
if (!regionNamesFile || !existsSync(regionNamesFile)) {
  die(`build.rs did not write gb2260_names.txt (out_dir: '${regionNamesFile ? dirname(regionNamesFile) : ''}')`);
}

// --- 2. wasm-bindgen, wasm-opt, no SIMD --------------------------------------------------------------------------

// Start from an empty pkg/ so that no stale file is ever published or tested.
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg, { recursive: true });

const wasmOpt = join(root, 'node_modules/.bin/wasm-opt');
try {
  accessSync(wasmOpt, constants.X_OK);
} catch {
  die('node_modules/.bin/wasm-opt missing: run npm ci (Debian\'s wasm-opt breaks wasm-bindgen output; never use it)');
}
for (const module of MODULES) {
  const dir = join(pkg, module.dir);
  const output = join(dir, `${module.name}_bg.wasm`);
  log(`wasm-bindgen --target web (${module.name})`);
  const input = join(tmp, `${module.name}.wasm`);
  run('wasm-bindgen', ['--target', 'web', '--out-dir', dir, '--out-name', module.name, input]);
  const dts = join(dir, `${module.name}.d.ts`);
  writeFileSync(dts, portableTypes(readFileSync(dts, 'utf8'), dts));
  if (optLevel !== 'none') {
    const version = run(wasmOpt, ['--version'], { capture: true }).trim();
    log(`wasm-opt ${optLevel} (${version}) (${module.name})`);
    const optimised = join(dir, `${module.name}_bg.opt.wasm`);
    run(wasmOpt, [optLevel, ...WASM_OPT_FLAGS, output, '-o', optimised]);
    renameSync(optimised, output);
  }
  if (run(join(root, 'node_modules/.bin/wasm-dis'), [output], { capture: true }).includes('v128')) {
    die(`${output} uses SIMD (v128): the default build must run without wasm SIMD`);
  }
}

/**
 * wasm-bindgen's .d.ts, made to compile in any TypeScript project, a Node server's without the DOM library included
 * (`tsc --strict`, no skipLibCheck): the init inputs named by types that Node's own types also declare (no
 * `RequestInfo`, `BufferSource`), `InitOutput` reduced to the memory (its raw exports are the glue's business, typed
 * `any`), and the few DOM and WebAssembly names the signatures use declared as empty interfaces, which merge with the
 * DOM library's declarations where it is present.
 */
function portableTypes(text, file) {
  const replace = (from, to) => {
    if (!text.includes(from)) die(`${file}: wasm-bindgen's output changed, "${from.slice(0, 60)}" not found: update portableTypes()`);
    text = text.replace(from, to);
  };
  replace(
    'export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;',
    'export type InitInput = string | URL | Request | Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module;',
  );
  replace('export type SyncInitInput = BufferSource | WebAssembly.Module;', 'export type SyncInitInput = ArrayBuffer | ArrayBufferView | WebAssembly.Module;');
  text = text.replace(/export interface InitOutput \{\n[\s\S]*?\n\}\n/, () =>
    'export interface InitOutput {\n    /** The module\'s memory (its other exports are the glue\'s, not an API). */\n    readonly memory: WebAssembly.Memory;\n}\n');
  // A module that links several bindings crates (shiming_all) declares the types that one crate's .d.ts imports
  // from another's (sync's ConsentReceipt, from consent's): its own declaration stays, the import goes.
  text = text.replace(/^import type \{ (\w+) \} from '[^']+';\n/gm, (line, name) =>
    (new RegExp(`^export (interface|type) ${name}\\b`, 'm').test(text) ? '' : line));
  // Outside comments, the word `any` can only be a type.
  if (/\bany\b/.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ''))) die(`${file}: a public type is 'any'`);
  const dom = ['HTMLElement', 'HTMLInputElement'].filter((name) => new RegExp(`\\b${name}\\b`).test(text));
  return `${text}
// Names the signatures use that a project without the DOM library (a Node server's) lacks: empty interfaces, which
// merge with the DOM library's own where it is included.
declare global {
  namespace WebAssembly {
    interface Module {}
    interface Memory {}
  }
${dom.map((name) => `  interface ${name} {}\n`).join('')}}
`;
}

// --- 3. the package's own files ----------------------------------------------------------------------------------

log('writing entry points and package.json');

const sources = readdirSync(join(root, 'npm')).filter((file) => statSync(join(root, 'npm', file)).isFile());
for (const file of sources) {
  if (!TEMPLATES[file]) copyFileSync(join(root, 'npm', file), join(pkg, file));
}

for (const file of LICENSE_FILES) {
  if (!existsSync(file)) die(`${file} is missing: the package must ship its licence texts`);
  copyFileSync(file, join(pkg, file));
}

// The Traditional Chinese tables (pkg/locales/zh-Hant.js, zh-HK.js, zh-TW.js) and the zh-CN and English names of
// param values (names.js): the wasm modules compile zh-CN and en only; these are the crate's own locale files as
// data, written by the native example examples/locale_tables.rs (MessageTable::builtin), which npm/messages.js
// renders for every module (loadLocale, configure({ messages })).
log('cargo run --example locale_tables (pkg/locales/)');
run('cargo', ['run', '--quiet', '--example', 'locale_tables', '--', join(pkg, 'locales')]);

// The sync protocol's conformance suite (`npx shiming-conformance <base-url>`); shipped, it finds the package at
// ../node.js.
cpSync('tests/conformance', join(pkg, 'conformance'), { recursive: true });
chmodSync(join(pkg, 'conformance/run.mjs'), statSync(join(pkg, 'conformance/run.mjs')).mode | 0o111);

// The READMEs are the repository's, but their relative links point into the repository (docs/, scripts/, the
// screenshots), and npm ships none of that: each link to a file the package does not ship becomes an absolute
// address in the repository (Cargo.toml's `repository`), on npm's page and in node_modules/shiming/.
if (existsSync('README.md')) shipMarkdown('README.md', 'README.md');
shipMarkdown('tests/conformance/README.md', 'conformance/README.md');

/**
 * Writes the Markdown file `source` (a path in the repository) to `destination` (a path in pkg/), with each link or
 * image `[text](target)` whose target is relative (not a URL, not an `#anchor`) and not a file of pkg/ made
 * absolute: links `<repository>/blob/main/<path>` (`tree/` for a directory), images `<repository>/raw/main/<path>` so
 * that they display. Fenced code blocks are left as they are; a link's text may span lines.
 */
function shipMarkdown(source, destination) {
  const repository = core.repository;
  if (!/^https:\/\/github\.com\/[^/]+\/[^/]+$/.test(repository ?? '')) {
    die(`Cargo.toml's repository must be a GitHub address https://github.com/<owner>/<name>, not '${repository}'`);
  }
  const absolute = (prose) => prose.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (link, bang, text, target) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return link;
    const [file, anchor] = target.split(/(?=#)/);
    const shipped = posix.normalize(posix.join(posix.dirname(destination), file));
    if (!shipped.startsWith('../') && existsSync(join(pkg, shipped))) return link;
    const path = posix.normalize(posix.join(posix.dirname(source), file));
    if (path.startsWith('../')) die(`${source} links outside the repository: ${target}`);
    const kind = bang ? 'raw' : file.endsWith('/') ? 'tree' : 'blob';
    return `${bang}[${text}](${repository}/${kind}/main/${path}${anchor ?? ''})`;
  });
  // Prose and fenced code alternate: each fence line closes a run of prose, and only prose is rewritten.
  const out = [];
  let prose = [];
  let fenced = false;
  for (const line of readFileSync(source, 'utf8').split('\n')) {
    const fence = /^\s*```/.test(line);
    if (!fenced && !fence) {
      prose.push(line);
      continue;
    }
    if (prose.length) out.push(absolute(prose.join('\n')));
    prose = [];
    out.push(line);
    if (fence) fenced = !fenced;
  }
  if (prose.length) out.push(absolute(prose.join('\n')));
  writeFileSync(join(pkg, destination), out.join('\n'));
}

// --- 4. the templates, and what package.json names ----------------------------------------------------------------

// Last, so that package.json's `files` sees what the steps above produced.
for (const [file, fill] of Object.entries(TEMPLATES)) {
  writeFileSync(join(pkg, file), fill(readFileSync(join(root, 'npm', file), 'utf8')));
}

/** npm/regions.js: its one string placeholder becomes the names that build.rs wrote, one per line in code order. */
function fillRegionNames(template) {
  const placeholder = '"@REGION_NAMES@"';
  if (template.split(placeholder).length !== 2) die(`npm/regions.js must contain ${placeholder} exactly once`);
  return template.replace(placeholder, () => JSON.stringify(readFileSync(regionNamesFile, 'utf8')));
}

/** npm/package.json: each "<Cargo.toml>" value becomes the core crate's field of that name (dropped when the crate
 * has none), in npm's form (`repository` as { type, url }, as `npm pkg fix` would make it); "<Cargo.toml repository>"
 * inside a string becomes the repository's address; the optional `files` the build did not produce are dropped. */
function fillPackageJson(template) {
  const manifest = JSON.parse(template, (key, value) =>
    typeof value === 'string' ? value.replaceAll('<Cargo.toml repository>', core.repository ?? '') : value);
  for (const [key, value] of Object.entries(manifest)) {
    if (value === '<Cargo.toml>') manifest[key] = core[key] ?? undefined;
  }
  if (typeof manifest.repository === 'string') manifest.repository = { type: 'git', url: `git+${manifest.repository}.git` };
  manifest.files = manifest.files.filter((file) => !OPTIONAL_FILES.includes(file) || existsSync(join(pkg, file)));
  return JSON.stringify(manifest, null, 2) + '\n';
}

// Every file that package.json names (entries, types, bin, files) and every module's output must exist, and every
// file of npm/ must be in `files`, or npm would not publish it (package.json itself is always published).
const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
const exportTargets = (value) => (typeof value === 'string' ? [value] : Object.values(value).flatMap(exportTargets));
const named = [manifest.main, manifest.module, manifest.types, ...Object.values(manifest.bin),
  ...exportTargets(manifest.exports), ...manifest.files, ...manifest.sideEffects,
  ...MODULES.flatMap((m) => ['.js', '.d.ts', '_bg.wasm'].map((suffix) => join(m.dir, m.name + suffix)))];
for (const file of new Set(named.map((f) => f.replace(/^\.\//, '')))) {
  // A subpath pattern (`./locales/*.js`) must match at least one file.
  const [dir, suffix] = file.includes('*') ? [dirname(file), file.split('*')[1]] : [];
  const found = dir ? existsSync(join(pkg, dir)) && readdirSync(join(pkg, dir)).some((f) => f.endsWith(suffix))
    : existsSync(join(pkg, file));
  if (!found) die(`pkg/${file} was not produced`);
}
for (const file of sources) {
  if (file !== 'package.json' && !manifest.files.includes(file)) {
    die(`npm/${file} is not in package.json's files: npm would not publish it`);
  }
}

// --- 5. the demo's vendored scripts (www/vendor/, not part of the package) ----------------------------------------

// The audit page (www/audit.html) parses CSV with papaparse (a devDependency, pinned in package.json). The server
// serves www/ and pkg/ only (never node_modules/), the pages are plain ES modules without a bundler, and papaparse
// ships a UMD script, which a module worker can neither `import` (it would set `this.Papa` on an undefined `this`)
// nor `importScripts`. So the build writes www/vendor/papaparse.js: the published papaparse.min.js, unchanged, inside
// an ES module that gives it the CommonJS `module` it looks for and exports what it puts there. It is build output
// (.gitignore), served with the pages at /vendor/, and never in the npm package (pkg/ is untouched).
writeVendor();

function writeVendor() {
  const dir = join(root, 'node_modules/papaparse');
  if (!existsSync(join(dir, 'papaparse.min.js'))) die('node_modules/papaparse missing: run npm ci');
  const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const notice = readFileSync(join(dir, 'LICENSE'), 'utf8').trim().replaceAll('*/', '* /');
  const out = join(root, 'www/vendor');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'papaparse.js'), [
    `// papaparse ${version} (${license}), node_modules/papaparse/papaparse.min.js as an ES module: written by`,
    '// scripts/build.mjs (not committed, do not edit). `import Papa from \'./vendor/papaparse.js\'`.',
    `/*\n${notice}\n*/`,
    'const module = { exports: {} };',
    'const exports = module.exports;',
    'const define = undefined;',
    readFileSync(join(dir, 'papaparse.min.js'), 'utf8').trim(),
    'export default module.exports;',
    '',
  ].join('\n'));
  log(`www/vendor/papaparse.js (papaparse ${version}, for the demo's audit page; not in the package)`);
}

// --- 6. size budgets ---------------------------------------------------------------------------------------------

// Size is deterministic, so the budgets are hard checks, not flaky timings.
for (const [index, module] of MODULES.entries()) {
  const path = join(module.dir, `${module.name}_bg.wasm`);
  const raw = statSync(join(pkg, path)).size;
  const gz = gzipSize(join(pkg, path));
  const override = process.env[module.budgetEnv];
  if (override && !/^\d+$/.test(override)) die(`${module.budgetEnv} must be a number of bytes, not '${override}'`);
  const budget = override ? Number(override) : module.budget;
  if (index === 0) {
    const kb = (bytes) => (bytes / 1024).toFixed(1);
    const sizes = `${raw} bytes (${kb(raw)} KB) raw, ${gz} bytes (${kb(gz)} KB) gzip -9`;
    console.error(`${green}[build]${off} pkg/ ready: ${path} ${sizes}`);
    if (gz > budget) {
      die(`pkg/${path} is ${gz} bytes gzip -9, over the budget of ${budget}: make room first (see README, Performance)`);
    }
  } else {
    log(`${path} (${module.entry}, loaded only where used): ${raw} bytes raw, ${gz} bytes gzip -9 (budget ${budget})`);
    if (gz > budget) die(`pkg/${path} is ${gz} bytes gzip -9, over its budget of ${budget}`);
  }
}
const regions = join(pkg, 'regions.js');
log(`regions.js (loaded on demand): ${statSync(regions).size} bytes raw, ${gzipSize(regions)} bytes gzip -9`);
for (const file of readdirSync(join(pkg, 'locales')).filter((f) => f.endsWith('.js'))) {
  const path = join(pkg, 'locales', file);
  const when = file === 'names.js' ? 'with every entry' : 'loaded on demand';
  log(`locales/${file} (${when}): ${statSync(path).size} bytes raw, ${gzipSize(path)} bytes gzip -9`);
}
