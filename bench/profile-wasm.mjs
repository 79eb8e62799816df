// Where V8's compiled code of checkIdBatch spends its time: a sampling profile of the machine code.
//
//   node --no-liftoff bench/profile-wasm.mjs [--entry pkg/node.js] [--input bytes|string] [--valid]
//                                            [--seconds 4] [--n 100000] [--out DIR]
//
// Callgrind (bench/callgrind.mjs) counts instructions but cannot say which ones: V8's code has no symbols, and this
// Node prints no wasm disassembly. This script samples the process itself with `perf record -e cpu-clock` (a
// software clock: these VMs have no hardware counters), while it calls checkIdBatch on the benchmark's corpus in a
// loop, then reads the hot code out of its own memory (/proc/self/mem) and disassembles it with objdump. Each hot
// region (sampled addresses less than 4 KB apart) goes to DIR/region-<address>.txt, one instruction a line with its
// samples; the top instructions are printed. A sample lands on the instruction after the one that stalls (a load's
// latency shows on its first user). --valid keeps only the corpus's valid lines (the valid path alone).
//
// Needs perf and objdump (Linux); prints why and exits 0 without them. Not run by CI: a tool to read, like
// bench/callgrind.mjs.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeCorpus, AS_OF } from './corpus.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = { entry: join(ROOT, 'pkg/node.js'), input: 'bytes', valid: false, seconds: 4, n: 100_000, out: '/tmp/shiming-profile' };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--entry') args.entry = resolve(process.argv[++i]);
  else if (a === '--input') args.input = process.argv[++i];
  else if (a === '--valid') args.valid = true;
  else if (a === '--seconds') args.seconds = Number(process.argv[++i]);
  else if (a === '--n') args.n = Number(process.argv[++i]);
  else if (a === '--out') args.out = resolve(process.argv[++i]);
  else {
    console.error(`unknown argument ${a}\nusage: node --no-liftoff bench/profile-wasm.mjs [--entry pkg/node.js] [--input bytes|string] [--valid] [--seconds 4] [--n 100000] [--out DIR]`);
    process.exit(2);
  }
}
if (!['bytes', 'string'].includes(args.input)) throw new Error('--input must be bytes or string');
for (const tool of ['perf', 'objdump']) {
  if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.log(`skipped: ${tool} is not installed`);
    process.exit(0);
  }
}

const shiming = await import(pathToFileURL(args.entry).href);
const options = { asOf: AS_OF };
let lines = makeCorpus(args.n).lines;
if (args.valid) lines = lines.filter((line) => shiming.isValidId(line, options));
const bytes = Buffer.from(`${lines.join('\n')}\n`);
// A string read from bytes is stored one byte a character, as a file read as UTF-8 is.
const input = args.input === 'bytes' ? bytes : bytes.toString('latin1');
for (let i = 0; i < 30; i++) shiming.checkIdBatch(input, options); // V8 tiers up before the samples

mkdirSync(args.out, { recursive: true });
const data = join(args.out, 'perf.data');
// One sample per 25 µs of CPU time.
const perf = spawn('perf', ['record', '-e', 'cpu-clock', '-c', '25000', '-p', String(process.pid), '-o', data], { stdio: 'ignore' });
await new Promise((done) => setTimeout(done, 500));
const start = process.hrtime.bigint();
let calls = 0;
while (process.hrtime.bigint() - start < BigInt(args.seconds * 1e9)) {
  shiming.checkIdBatch(input, options);
  calls++;
}
const elapsed = Number(process.hrtime.bigint() - start);
perf.kill('SIGINT');
await new Promise((done) => perf.on('exit', done));

const script = spawnSync('perf', ['script', '-i', data, '-F', 'ip'], { encoding: 'utf8', maxBuffer: 1 << 28 });
if (script.status !== 0) {
  console.log(`skipped: perf script failed (${script.stderr.trim().split('\n')[0]})`);
  process.exit(0);
}
const samples = new Map();
let total = 0;
for (const line of script.stdout.split('\n')) {
  const ip = line.trim();
  if (!ip) continue;
  total++;
  samples.set(ip, (samples.get(ip) ?? 0) + 1);
}
console.log(`checkIdBatch(${args.input}) on ${lines.length.toLocaleString('en')} lines${args.valid ? ' (valid only)' : ''}: ${calls} calls in ${(elapsed / 1e9).toFixed(1)} s, ${(elapsed / (calls * lines.length)).toFixed(2)} ns a line (perf running); ${total.toLocaleString('en')} samples`);

// Hot regions: addresses with a few samples, grouped where they lie less than 4 KB apart. Kernel addresses
// (perf samples the system calls too) cannot be read and are left out.
const hot = [...samples].filter(([, count]) => count >= 3).map(([ip]) => BigInt(`0x${ip}`))
  .filter((ip) => ip < 0x8000_0000_0000n).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const regions = [];
for (const ip of hot) {
  const last = regions.at(-1);
  if (last && ip - last.high < 4096n) last.high = ip;
  else regions.push({ low: ip, high: ip });
}
const memory = openSync('/proc/self/mem', 'r');
const top = [];
for (const { low, high } of regions) {
  const from = low - 256n;
  const code = Buffer.alloc(Number(high - low) + 512);
  try {
    readSync(memory, code, 0, code.length, Number(from));
  } catch {
    continue;
  }
  const bin = join(args.out, `region-${from.toString(16)}.bin`);
  writeFileSync(bin, code);
  const listing = spawnSync('objdump', ['-D', '-b', 'binary', '-mi386:x86-64', `--adjust-vma=0x${from.toString(16)}`, bin], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
  let inRegion = 0;
  const annotated = [];
  for (const line of listing.split('\n')) {
    const m = /^\s+([0-9a-f]+):\s+(?:[0-9a-f]{2} )+\s*(.*)$/.exec(line);
    if (!m) continue;
    const count = samples.get(m[1]) ?? 0;
    inRegion += count;
    annotated.push(`${String(count).padStart(7)}  ${m[1]}  ${m[2]}`);
    if (count > 0) top.push({ count, address: m[1], instruction: m[2] });
  }
  if (inRegion < total / 100) continue; // under 1% of the samples: not worth a file
  const file = join(args.out, `region-${from.toString(16)}.txt`);
  writeFileSync(file, `${annotated.join('\n')}\n`);
  console.log(`  ${(100 * inRegion / total).toFixed(1).padStart(5)}% in ${from.toString(16)} (+${code.length} B): ${file}`);
}
console.log('top instructions (a sample counts against the instruction after a stall):');
for (const { count, address, instruction } of top.sort((a, b) => b.count - a.count).slice(0, 15)) {
  console.log(`  ${(100 * count / total).toFixed(1).padStart(5)}%  ${address}  ${instruction}`);
}
