// The benchmark of the Rust reference server (server/, `shiming-server`, issue 13): complete registrations per second
// and their latency, on SQLite and on PostgreSQL, with N accounts already stored. It prints figures; it is not a test.
//
//   node bench/server.mjs [--accounts 1000000] [--clients 32] [--seconds 20] [--backends sqlite,postgres]
//                         [--warmup-seconds 2] [--jobs N] [--bin PATH] [--perf] [--no-settle]
//
// For each backend: `shiming-server seed N` stores N synthetic accounts (its time is printed), the server starts
// (SHIMING_SERVER_BIN, default target/release/shiming-server; `--write-rate 0 --quiet`), and C clients, each on a
// keep-alive connection (node:http Agent), do complete registrations for D seconds: the three receipts of an adult
// (service agreement, privacy policy, sensitive personal information) in one POST /api/consents, then
// POST /api/registrations citing them. Receipts are real (RFC 8785 + SHA-256 digests, verified by the server), built
// in plain JS before the timed part (tests/js/server-client.mjs with the conformance suite's receipt builder). Test data: generateTestId numbers and made-up
// names only. Also printed: the machine, and the CPU time the server, the client (this process) and PostgreSQL used
// during the timed part, to see which side is the bottleneck. The figures also go to bench/out/server-latest.json.
//
// PostgreSQL is settled as a database that has been running a while would be: VACUUM ANALYZE and CHECKPOINT after the
// seed (timed and printed), and ANALYZE after the warm-up. Without that last one, the tables the seed leaves empty
// (receipts, idempotency) have no statistics, the server's prepared statements read them by sequential scans until
// autovacuum analyzes them (a minute or more), and the run measures that instead (about a third of the throughput
// with 100,000 accounts). --no-settle skips both, to see a fresh database.
//
// --perf: `perf record -g` samples the server during the timed part, and the hottest symbols are printed (where the
// server's time goes; needs Linux perf).
//
// PostgreSQL: a throwaway cluster from scripts/pg.sh (Debian's postgresql, root runs it as the postgres user).

import http from 'node:http';
import os from 'node:os';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE =
  'usage: node bench/server.mjs [--accounts 1000000] [--clients 32] [--seconds 20] [--backends sqlite,postgres] ' +
  '[--warmup-seconds 2] [--jobs N] [--bin PATH] [--perf] [--no-settle]';

// ---------------------------------------------------------------- arguments
const args = { accounts: 1_000_000, clients: 32, seconds: 20, backends: ['sqlite', 'postgres'], warmupSeconds: 2, jobs: null, bin: null, perf: false, settle: true };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  const value = () => {
    const v = process.argv[++i];
    if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
    return v;
  };
  if (a === '--accounts') args.accounts = Number(value());
  else if (a === '--clients') args.clients = Number(value());
  else if (a === '--seconds') args.seconds = Number(value());
  else if (a === '--warmup-seconds') args.warmupSeconds = Number(value());
  else if (a === '--jobs') args.jobs = Number(value());
  else if (a === '--backends') args.backends = value().split(',').map((s) => s.trim()).filter(Boolean);
  else if (a === '--bin') args.bin = value();
  else if (a === '--perf') args.perf = true;
  else if (a === '--no-settle') args.settle = false;
  else {
    console.error(`unknown argument ${a}\n${USAGE}`);
    process.exit(2);
  }
}
for (const name of ['accounts', 'clients', 'seconds', 'warmupSeconds']) {
  if (!Number.isInteger(args[name]) || args[name] < (name === 'accounts' || name === 'warmupSeconds' ? 0 : 1)) {
    throw new Error(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a whole number`);
  }
}
for (const b of args.backends) if (!['sqlite', 'postgres'].includes(b)) throw new Error(`unknown backend ${b} (sqlite, postgres)`);

const BIN = resolve(args.bin ?? process.env.SHIMING_SERVER_BIN ?? join(ROOT, 'target', 'release', 'shiming-server'));
if (!existsSync(BIN)) {
  console.error(`${BIN} is missing: build it with \`cargo build --release -p shiming-server\` (or give --bin / SHIMING_SERVER_BIN)`);
  process.exit(1);
}
process.env.SHIMING_SERVER_BIN = BIN;

const { startRustServer } = await import(pathToFileURL(join(ROOT, 'tests', 'js', 'server.mjs')).href);
const { call, documentsOf, makeJobs } = await import(pathToFileURL(join(ROOT, 'tests', 'js', 'server-client.mjs')).href);
const shiming = await import(pathToFileURL(join(ROOT, 'pkg', 'node.js')).href);

// ---------------------------------------------------------------- helpers
const fmt = (n, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (n) => `${fmt(n, 1)} ms`;

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
function summary(values) {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
/** CPU seconds (user + system) a process has used, from /proc (0 if it is gone). */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime (fields 14 and 15)
  } catch {
    return 0;
  }
}
/**
 * Bytes a process has caused to be written to storage, and bytes it passed to write() (/proc/PID/io `write_bytes`,
 * `wchar`): with SQLite, the WAL's page images and the checkpoints' copies, the write amplification of each row's
 * indexes. Zeros where /proc/PID/io cannot be read.
 */
function ioBytes(pid) {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name) => Number((io.match(new RegExp(`^${name}: (\\d+)`, 'm')) ?? [])[1] ?? 0);
    return { storage: field('write_bytes'), written: field('wchar') };
  } catch {
    return { storage: 0, written: 0 };
  }
}
/** Per thread of a process (by name, `name#tid` when several share one): CPU seconds and context switches, from /proc. */
function threads(pid) {
  const out = new Map();
  let entries = [];
  try {
    entries = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of entries) {
    try {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const name = /\d$/.test(comm) ? comm : `${comm}#${tid}`;
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      const switches = Number(/voluntary_ctxt_switches:\s*(\d+)/.exec(status)?.[1] ?? 0) + Number(/nonvoluntary_ctxt_switches:\s*(\d+)/.exec(status)?.[1] ?? 0);
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS;
      const t = out.get(name) ?? { threads: 0, cpu: 0, switches: 0 };
      out.set(name, { threads: t.threads + 1, cpu: t.cpu + cpu, switches: t.switches + switches });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}
function threadDelta(before, after, wall, registrations) {
  return [...after.entries()]
    .map(([name, a]) => {
      const b = before.get(name) ?? { cpu: 0, switches: 0 };
      return { name, threads: a.threads, cpuShare: (a.cpu - b.cpu) / wall, switchesPerRegistration: (a.switches - b.switches) / Math.max(1, registrations) };
    })
    .filter((t) => t.cpuShare > 0.005 || t.switchesPerRegistration > 0.5)
    .sort((x, y) => y.cpuShare - x.cpuShare);
}

/** CPU seconds of every process named `postgres` (the cluster's backends, WAL writer, checkpointer…). */
function postgresCpuSeconds() {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuSeconds(entry);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
/** Busy share of all CPUs since `before` (from /proc/stat). */
function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3] + line[4];
  const total = line.reduce((a, b) => a + b, 0);
  return { idle, total };
}

function machine() {
  const cpus = os.cpus();
  const lscpu = spawnSync('lscpu', [], { encoding: 'utf8' }).stdout ?? '';
  const model = /Model name:\s*(.+)/.exec(lscpu)?.[1]?.trim() ?? cpus[0]?.model ?? 'unknown';
  return {
    cpus: os.availableParallelism?.() ?? cpus.length,
    model,
    mhz: cpus[0]?.speed || null,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    bin: BIN,
  };
}

async function seedSqlite(dataDir) {
  const started = performance.now();
  if (args.accounts > 0) execFileSync(BIN, ['seed', String(args.accounts), '--data-dir', dataDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  return (performance.now() - started) / 1000;
}

function startPostgres() {
  const out = execFileSync('bash', [join(ROOT, 'scripts', 'pg.sh'), 'start'], { encoding: 'utf8' });
  const url = /SHIMING_PG_URL=(\S+)/.exec(out)?.[1];
  const dir = /SHIMING_PG_DIR=(\S+)/.exec(out)?.[1];
  if (!url || !dir) throw new Error(`scripts/pg.sh start printed: ${out}`);
  return { url, dir };
}

// ---------------------------------------------------------------- the load
/**
 * C workers, each on the keep-alive agent, doing complete registrations from `jobs` until `seconds` have passed.
 * Returns the latencies (ms) of complete registrations and of each request kind, and every failure.
 */
async function load(base, jobs, { clients, seconds, agent, from = 0 }) {
  const complete = [];
  const consents = [];
  const registrations = [];
  const failures = [];
  let next = from;
  let ran = 0;
  const deadline = performance.now() + seconds * 1000;
  let exhausted = false;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        if (next >= jobs.length) {
          exhausted = true;
          return;
        }
        const job = jobs[next++];
        ran += 1;
        const t0 = performance.now();
        let res;
        try {
          res = await call(base, 'POST', '/api/consents', { raw: job.consentsBody, key: job.consentsKey, agent });
        } catch (error) {
          failures.push({ kind: 'consents', error: error.code ?? error.message });
          continue;
        }
        const t1 = performance.now();
        if (res.status !== 201) {
          failures.push({ kind: 'consents', status: res.status, text: res.text.slice(0, 200) });
          continue;
        }
        try {
          res = await call(base, 'POST', '/api/registrations', { raw: job.registrationBody, key: job.registrationKey, agent });
        } catch (error) {
          failures.push({ kind: 'registration', error: error.code ?? error.message });
          continue;
        }
        const t2 = performance.now();
        if (res.status !== 201) {
          failures.push({ kind: 'registration', status: res.status, text: res.text.slice(0, 200) });
          continue;
        }
        job.id = res.json.id;
        consents.push(t1 - t0);
        registrations.push(t2 - t1);
        complete.push(t2 - t0);
      }
    }),
  );
  return { complete, consents, registrations, failures, next, ran, exhausted };
}

async function runBackend(backend, documentsCache) {
  console.log(`\n== ${backend} ==`);
  const dataDir = await mkdtemp(join(os.tmpdir(), `shiming-bench-${backend}-`));
  let pg = null;
  let server = null;
  const serverArgs = ['--write-rate', '0'];
  try {
    let seedSeconds;
    let settleSeconds = null;
    if (backend === 'sqlite') {
      process.stdout.write(`seeding ${args.accounts.toLocaleString('en-US')} accounts (SQLite, ${dataDir}) … `);
      seedSeconds = await seedSqlite(dataDir);
    } else {
      pg = startPostgres();
      const keyFile = join(dataDir, 'keys.json');
      execFileSync(BIN, ['keys', 'new', '--key-file', keyFile], { stdio: 'ignore' });
      serverArgs.push('--database-url', pg.url, '--key-file', keyFile);
      process.stdout.write(`seeding ${args.accounts.toLocaleString('en-US')} accounts (PostgreSQL ${pg.url}) … `);
      const started = performance.now();
      if (args.accounts > 0) {
        execFileSync(BIN, ['seed', String(args.accounts), '--database-url', pg.url, '--key-file', keyFile], { stdio: ['ignore', 'ignore', 'inherit'] });
      }
      seedSeconds = (performance.now() - started) / 1000;
      if (args.settle) {
        const settling = performance.now();
        execFileSync('psql', [pg.url, '-q', '-c', 'VACUUM ANALYZE', '-c', 'CHECKPOINT'], { stdio: ['ignore', 'ignore', 'inherit'] });
        settleSeconds = (performance.now() - settling) / 1000;
      }
    }
    console.log(`${fmt(seedSeconds)} s (${fmt(args.accounts / Math.max(seedSeconds, 1e-9), 0)} accounts/s)`);
    if (settleSeconds !== null) console.log(`VACUUM ANALYZE and CHECKPOINT: ${fmt(settleSeconds)} s`);

    server = await startRustServer({ dataDir, args: serverArgs, env: { SHIMING_LOG: 'warn' } });
    const documents = documentsCache.documents ?? (documentsCache.documents = await documentsOf(server.base));

    // Receipts and bodies, before the timed part: 4,000 registrations a second of the run, twice the target.
    const wanted = args.jobs ?? Math.max(1000, 4000 * (args.seconds + args.warmupSeconds));
    const built = performance.now();
    const jobs = makeJobs(shiming, documents, wanted, { tag: `bench-${backend}` });
    console.log(`built ${jobs.length.toLocaleString('en-US')} complete registrations (3 receipts each) in ${fmt((performance.now() - built) / 1000)} s`);

    const agent = new http.Agent({ keepAlive: true, maxSockets: args.clients });
    let from = 0;
    if (args.warmupSeconds > 0) {
      const warm = await load(server.base, jobs, { clients: args.clients, seconds: args.warmupSeconds, agent });
      from = warm.next;
      if (warm.failures.length) console.log(`warm-up failures: ${JSON.stringify(warm.failures.slice(0, 3))}`);
    }

    if (pg && args.settle) {
      execFileSync('psql', [pg.url, '-q', '-c', 'ANALYZE'], { stdio: ['ignore', 'ignore', 'inherit'] });
      console.log('ANALYZE after the warm-up (statistics for the tables the seed left empty)');
    }
    const pid = server.child.pid;
    let perf = null;
    // Kept in bench/out/ (not committed) for a closer look: `perf report -i bench/out/perf-<backend>.data`.
    const perfData = join(ROOT, 'bench', 'out', `perf-${backend}.data`);
    if (args.perf) {
      mkdirSync(dirname(perfData), { recursive: true });
      perf = spawn('perf', ['record', '-F', '999', '-g', '-p', String(pid), '-o', perfData, '--', 'sleep', String(args.seconds)], { stdio: 'ignore' });
    }
    const threads0 = threads(pid);
    const cpu0 = { server: cpuSeconds(pid), client: process.cpuUsage(), pg: pg ? postgresCpuSeconds() : 0, machine: machineCpu() };
    const io0 = ioBytes(pid);
    const t0 = performance.now();
    const run = await load(server.base, jobs, { clients: args.clients, seconds: args.seconds, agent, from });
    const wall = (performance.now() - t0) / 1000;
    const serverThreads = threadDelta(threads0, threads(pid), wall, run.complete.length);
    const clientUsage = process.cpuUsage(cpu0.client);
    const io1 = ioBytes(pid);
    const perRegistration = (bytes) => (run.complete.length ? bytes / run.complete.length : 0);
    const io = {
      storageBytesPerRegistration: perRegistration(io1.storage - io0.storage),
      writtenBytesPerRegistration: perRegistration(io1.written - io0.written),
    };
    const machineNow = machineCpu();
    const cpu = {
      server: (cpuSeconds(pid) - cpu0.server) / wall,
      client: (clientUsage.user + clientUsage.system) / 1e6 / wall,
      postgres: pg ? (postgresCpuSeconds() - cpu0.pg) / wall : null,
      machineBusy: 1 - (machineNow.idle - cpu0.machine.idle) / Math.max(1, machineNow.total - cpu0.machine.total),
    };
    // What the rest of the machine used meanwhile (other processes: a benchmark on a shared machine is noisy).
    cpu.others = Math.max(0, cpu.machineBusy * machine().cpus - cpu.server - cpu.client - (cpu.postgres ?? 0));
    agent.destroy();
    if (perf) {
      await new Promise((done) => (perf.exitCode === null ? perf.once('exit', done) : done()));
      const report = spawnSync('perf', ['report', '-i', perfData, '--no-children', '--sort', 'symbol', '--stdio', '-g', 'none', '--percent-limit', '0.8'], { encoding: 'utf8', maxBuffer: 64 << 20 });
      const lines = (report.stdout ?? '').split('\n').filter((line) => /^\s+\d/.test(line)).slice(0, 30);
      console.log(`perf: the server's hottest symbols during the run (self time)\n${lines.join('\n') || report.stderr}`);
    }

    // A sample of what was acknowledged is really there.
    const sample = jobs.slice(from, run.next).filter((j) => j.id).filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 20)) === 0);
    for (const job of sample) {
      const res = await call(server.base, 'GET', `/api/registrations/${job.id}`, { token: server.adminToken });
      if (res.status !== 200 || res.json.registrationId !== job.registrationId) {
        throw new Error(`acknowledged registration ${job.id} reads back as ${res.status} ${res.text}`);
      }
    }

    const result = {
      backend,
      accounts: args.accounts,
      seedSeconds,
      settleSeconds,
      clients: args.clients,
      seconds: wall,
      completeRegistrations: run.complete.length,
      perSecond: run.complete.length / wall,
      latencyMs: { complete: summary(run.complete), consents: summary(run.consents), registration: summary(run.registrations) },
      failures: run.failures.length,
      failureSample: run.failures.slice(0, 5),
      jobsExhausted: run.exhausted,
      cpu,
      io,
      serverThreads,
    };
    const l = result.latencyMs;
    console.log(`${args.clients} clients for ${fmt(wall)} s: ${run.complete.length.toLocaleString('en-US')} complete registrations, ` +
      `${fmt(result.perSecond, 0)}/s (${fmt(result.perSecond * 2, 0)} POSTs/s), ${run.failures.length} failed`);
    if (run.exhausted) console.log(`(the ${jobs.length} pre-built registrations ran out before the time was up: give --jobs more)`);
    if (run.failures.length) console.log(`failures (first 5): ${JSON.stringify(result.failureSample)}`);
    console.log('latency           p50        p90        p99        max');
    for (const [name, s] of [['complete', l.complete], ['POST /consents', l.consents], ['POST /registrations', l.registration]]) {
      console.log(`${name.padEnd(20)}${ms(s.p50).padStart(8)} ${ms(s.p90).padStart(10)} ${ms(s.p99).padStart(10)} ${ms(s.max).padStart(10)}`);
    }
    console.log(`CPU (share of one core) during the run: server ${fmt(cpu.server * 100, 0)}%, client (node) ${fmt(cpu.client * 100, 0)}%` +
      (cpu.postgres === null ? '' : `, postgres ${fmt(cpu.postgres * 100, 0)}%`) +
      `, other processes ${fmt(cpu.others * 100, 0)}%; the machine's ${machine().cpus} CPUs ${fmt(cpu.machineBusy * 100, 0)}% busy`);
    console.log(`the server's writes per complete registration: ${fmt(io.writtenBytesPerRegistration / 1024, 1)} KiB passed to write(), ` +
      `${fmt(io.storageBytesPerRegistration / 1024, 1)} KiB reaching storage (the WAL's page images and the checkpoints' copies)`);
    const switches = serverThreads.reduce((sum, t) => sum + t.switchesPerRegistration, 0);
    console.log(`server threads (CPU, context switches per complete registration), ${fmt(switches, 0)} switches in all:\n` +
      serverThreads.map((t) => `  ${t.name.padEnd(28)} ${fmt(t.cpuShare * 100, 0).padStart(4)}% ${fmt(t.switchesPerRegistration, 1).padStart(7)}`).join('\n'));
    return result;
  } finally {
    await server?.kill();
    if (pg) spawnSync('bash', [join(ROOT, 'scripts', 'pg.sh'), 'stop', pg.dir]);
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- main
const m = machine();
console.log(`shiming-server benchmark: ${m.cpus} CPUs (${m.model}${m.mhz ? `, ${m.mhz} MHz` : ''}), ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}`);
console.log(`binary ${BIN}; ${args.accounts.toLocaleString('en-US')} accounts stored first; ${args.clients} clients, ${args.seconds} s (+${args.warmupSeconds} s warm-up)`);
const results = [];
const documentsCache = {};
for (const backend of args.backends) {
  if (backend === 'postgres' && !existsSync('/usr/lib/postgresql')) {
    console.log('\n== postgres ==\nskipped: PostgreSQL is not installed (bash scripts/setup.sh installs it)');
    continue;
  }
  results.push(await runBackend(backend, documentsCache));
}
mkdirSync(join(ROOT, 'bench', 'out'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'out', 'server-latest.json'), `${JSON.stringify({ date: new Date().toISOString(), machine: m, args, results }, null, 2)}\n`);
console.log('\nwritten to bench/out/server-latest.json');
