// Instructions per line of the native batch, counted by callgrind: repeatable where seconds are not (issue 19, item 5).
//
//   node bench/callgrind.mjs [--n 100000] [--seed N] [--corpus FILE] [--json] [--wasm bytes|string [--entry FILE]]
//   (also run by `npm run bench`, after the native core's timings)
//
// Builds `cargo build --release --example native_bench`, writes the benchmark's corpus (bench/corpus.mjs, 100,000
// lines by default, the same seed as `npm run bench`: the figure depends on the corpus's mix, so compare figures of
// the same --n and --seed), runs native_bench on it under `valgrind --tool=callgrind
// --toggle-collect='*check_id_batch*'` (only instructions executed inside check_id_batch and what it calls are
// counted), and divides the total by lines × calls. native_bench calls check_id_batch once as a warm-up and then
// BATCH_RUNS (10) times: the calls are read from callgrind's own call counts, not assumed. Without valgrind it says
// so and exits 0. Node's standard library only.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeCorpus, writeCorpus, AS_OF, DEFAULT_SEED } from './corpus.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CALLGRIND_N = 100_000;
const FUNCTION = 'check_id_batch';

/** Whether valgrind can be run here. */
export function hasValgrind() {
  return spawnSync('valgrind', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * From a callgrind output file: the events counted (`totals:`, or `summary:`) and the calls of `name` from outside
 * it. Callgrind compresses names: `fn=(12) a::b` defines id 12, later `cfn=(12)` refers to it.
 */
export function parseCallgrind(text, name = FUNCTION) {
  const names = new Map();
  const resolveName = (spec) => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(spec);
    if (!m) return spec;
    if (m[2] !== undefined) names.set(m[1], m[2]);
    return names.get(m[1]) ?? '';
  };
  let total = null;
  let fn = '';
  let cfn = '';
  let calls = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('fn=')) fn = resolveName(line.slice(3));
    else if (line.startsWith('cfn=')) cfn = resolveName(line.slice(4));
    else if (line.startsWith('calls=')) {
      if (cfn.includes(name) && !fn.includes(name)) calls += Number(line.slice(6).split(' ')[0]);
    } else if (line.startsWith('totals:')) total = Number(line.slice(7).trim().split(/\s+/)[0]);
    else if (line.startsWith('summary:') && total === null) total = Number(line.slice(8).trim().split(/\s+/)[0]);
  }
  return { instructions: total, calls };
}

/** Builds native_bench, runs it under callgrind on `corpusPath` (or a fresh corpus of n lines), returns the counts. */
export function callgrindPerLine({ n = CALLGRIND_N, seed = DEFAULT_SEED, corpusPath } = {}) {
  const build = spawnSync('cargo', ['build', '--release', '--quiet', '--example', 'native_bench',
    '--message-format=json-render-diagnostics'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (build.status !== 0) throw new Error(`cargo build --example native_bench failed: ${build.stderr.trim().slice(-400)}`);
  const binary = build.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .find((m) => m.reason === 'compiler-artifact' && m.target?.name === 'native_bench')?.executable;
  if (!binary) throw new Error('cargo did not name the native_bench executable');
  return inTempDir(({ tmp }) => {
    const { corpus, lines } = corpusFile(tmp, { n, seed, corpusPath });
    const out = join(tmp, 'callgrind.out');
    const run = spawnSync('valgrind', ['--tool=callgrind', `--toggle-collect=*${FUNCTION}*`,
      `--callgrind-out-file=${out}`, binary, corpus], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 900_000 });
    if (run.status !== 0) throw new Error(`valgrind failed (exit ${run.status ?? run.signal}): ${run.stderr.trim().slice(-400)}`);
    const { instructions, calls } = parseCallgrind(readFileSync(out, 'utf8'));
    if (!instructions || !calls) throw new Error(`no ${FUNCTION} in callgrind's output (inlined? renamed?)`);
    return { function: FUNCTION, instructions, calls, lines, perLine: instructions / (calls * lines) };
  });
}

/** Runs `f({ tmp })` with a fresh temporary directory, removed afterwards. */
function inTempDir(f) {
  const tmp = mkdtempSync(join(tmpdir(), 'shiming-callgrind-'));
  try {
    return f({ tmp });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The corpus file to count on (`corpusPath`, or a fresh corpus of n lines written in `tmp`) and its lines. */
function corpusFile(tmp, { n, seed, corpusPath }) {
  const corpus = corpusPath ?? writeCorpus(join(tmp, 'corpus.txt'), makeCorpus(n, seed));
  const body = readFileSync(corpus, 'latin1');
  return { corpus, lines: body === '' ? 0 : body.replace(/\n$/, '').split('\n').length };
}

/**
 * Instructions per line of `checkIdBatch` in wasm (the package's Node entry, `pkg/node.js` unless `entry` says
 * otherwise), on a string read from the corpus file (one byte a character) or on its bytes. V8 compiles wasm as it
 * runs, on other threads, so one node process under callgrind counts different work each time; with
 * `--single-threaded --no-liftoff` (no background compilation or GC threads, TurboFan only) the counts repeat to
 * 0.1%. Node runs twice, calling checkIdBatch `low` and `high` times after the same start-up, and the difference
 * is divided by (high - low) × lines: start-up, compilation and the corpus's reading cancel out. These are x86
 * instructions of V8's compiled code, the same unit as the native figure.
 */
export function wasmCallgrindPerLine({ n = CALLGRIND_N, seed = DEFAULT_SEED, corpusPath, input = 'bytes',
  entry = join(ROOT, 'pkg/node.js'), low = 2, high = 12 } = {}) {
  return inTempDir(({ tmp }) => {
    const { corpus, lines } = corpusFile(tmp, { n, seed, corpusPath });
    const driver = [
      `const m = await import(${JSON.stringify(pathToFileURL(entry).href)});`,
      `const text = (await import('node:fs')).readFileSync(${JSON.stringify(corpus)}, 'utf8');`,
      `const input = ${input === 'bytes' ? 'new TextEncoder().encode(text)' : 'text'};`,
      `const options = { asOf: ${JSON.stringify(AS_OF)} };`,
      'for (let i = 0; i < Number(process.argv[1]); i++) m.checkIdBatch(input, options);',
    ].join('\n');
    const count = (calls) => {
      const run = spawnSync('valgrind', ['--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null',
        process.execPath, '--single-threaded', '--no-liftoff', '--predictable', '--hash-seed=1', '--random-seed=1', '--input-type=module', '-e', driver, String(calls)],
      { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 900_000 });
      const m = /Collected : (\d+)/.exec(run.stderr);
      if (run.status !== 0 || !m) throw new Error(`valgrind node failed (exit ${run.status ?? run.signal}): ${run.stderr.trim().slice(-400)}`);
      return Number(m[1]);
    };
    const instructions = count(high) - count(low);
    return { function: `checkIdBatch(${input === 'bytes' ? 'Uint8Array' : 'string'}) in wasm`, instructions,
      calls: high - low, lines, perLine: instructions / ((high - low) * lines) };
  });
}

export const describe = (r) => `${r.function}: ${r.instructions.toLocaleString('en-US')} instructions over ${r.calls} calls × `
  + `${r.lines.toLocaleString('en-US')} lines = ${r.perLine.toFixed(1)} instructions per line (callgrind)`;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = { n: CALLGRIND_N, seed: DEFAULT_SEED, corpusPath: undefined, json: false, wasm: undefined, entry: undefined };
  for (let i = 2; i < process.argv.length; i++) {
    const a = process.argv[i];
    if (a === '--n') args.n = Number(process.argv[++i]);
    else if (a === '--seed') args.seed = Number(process.argv[++i]);
    else if (a === '--corpus') args.corpusPath = resolve(process.argv[++i]);
    else if (a === '--json') args.json = true;
    else if (a === '--wasm') args.wasm = process.argv[++i];
    else if (a === '--entry') args.entry = resolve(process.argv[++i]);
    else {
      console.error(`unknown argument ${a}\nusage: node bench/callgrind.mjs [--n 100000] [--seed N] [--corpus FILE] [--json] [--wasm bytes|string [--entry pkg/node.js]]`);
      process.exit(2);
    }
  }
  if (!hasValgrind()) {
    console.log('callgrind: skipped, valgrind is not installed');
    process.exit(0);
  }
  const r = args.wasm ? wasmCallgrindPerLine({ ...args, input: args.wasm }) : callgrindPerLine(args);
  console.log(args.json ? JSON.stringify(r) : describe(r));
}
