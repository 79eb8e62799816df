// Starts the Rust reference server (server/, `shiming-server`) for the JS tests: a child process on a free port,
// with its own data directory unless one is given. Not a test file (node --test runs *.test.mjs only).
//
//   const server = await startRustServer({ args: ['--kinds', 'cn_resident,hk_id'], dataDir });
//   server.base        // http://127.0.0.1:PORT
//   server.api         // http://127.0.0.1:PORT/api
//   server.adminToken  // the admin token (given with adminToken, or the one the server created and printed)
//   await server.stop();          // SIGTERM, and waits
//   await server.kill();          // SIGKILL (a crash), and waits
//
// The binary is SHIMING_SERVER_BIN, else target/debug/shiming-server (scripts/test.sh builds it first); a missing
// binary fails with the command that builds it. Its stderr (the log) is kept in `server.log()` for assertions (no
// personal data may appear there).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

import { repoRoot } from './support.mjs';

export function serverBinary() {
  const bin = process.env.SHIMING_SERVER_BIN ?? join(repoRoot, 'target', 'debug', 'shiming-server');
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: build the server first with \`cargo build -p shiming-server\` (or set SHIMING_SERVER_BIN)`);
  }
  return bin;
}

/**
 * @param {{ args?: string[], dataDir?: string, adminToken?: string | null, env?: Record<string, string>,
 *   mounts?: Array<{ prefix: string, dir: string }>, cwd?: string, quiet?: boolean }} [options]
 *   adminToken: default a random one; null lets the server create (and print) its own.
 *   mounts: static mounts (default: /pkg/ = <repo>/pkg, / = <repo>/www).
 */
export async function startRustServer(options = {}) {
  const temporary = options.dataDir === undefined;
  const dataDir = temporary ? await mkdtemp(join(tmpdir(), 'shiming-server-test-')) : options.dataDir;
  const adminToken = options.adminToken === undefined ? `admin-${randomBytes(16).toString('hex')}` : options.adminToken;
  const mounts = options.mounts ?? [
    { prefix: '/pkg/', dir: join(repoRoot, 'pkg') },
    { prefix: '/', dir: join(repoRoot, 'www') },
  ];
  const args = [
    '--host', '127.0.0.1',
    '--port', '0',
    '--data-dir', dataDir,
    ...mounts.flatMap((m) => ['--mount', `${m.prefix}=${m.dir}`]),
    ...(adminToken ? ['--admin-token', adminToken] : []),
    ...(options.quiet === false ? [] : ['--quiet']),
    ...(options.args ?? []),
  ];
  const child = spawn(serverBinary(), args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, SHIMING_LOG: process.env.SHIMING_LOG ?? 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const started = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`shiming-server did not start in 30 s:\n${stderr}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /shiming-server listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`shiming-server exited (${code ?? signal}) before listening:\n${stderr}`), { stderr, code }));
    });
  });
  const created = /admin token: (\S+)/.exec(stdout)?.[1] ?? null;
  let stopped = false;
  const finish = async (signal) => {
    if (!stopped) {
      stopped = true;
      child.kill(signal);
    }
    const result = await exited;
    if (temporary && !options.keepDataDir) await rm(dataDir, { recursive: true, force: true });
    return result;
  };
  return {
    base: started,
    api: `${started}/api`,
    port: Number(new URL(started).port),
    adminToken: adminToken ?? created,
    createdAdminToken: created,
    dataDir,
    child,
    stdout: () => stdout,
    log: () => stderr,
    stop: () => finish('SIGTERM'),
    kill: () => finish('SIGKILL'),
    exited,
  };
}

/** Runs the binary to completion (for flags that stop the start, `keys` and `--help`): `{ code, stdout, stderr }`. */
export function runServerCommand(args, { env = {}, cwd = repoRoot, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(serverBinary(), args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`shiming-server ${args.join(' ')} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Why a PostgreSQL test cannot run here (Debian's postgresql is missing; `bash scripts/setup.sh` installs it), or
 * false. Under CI it is always false: there a missing PostgreSQL fails the test instead of skipping it.
 */
export const POSTGRES_MISSING =
  existsSync('/usr/lib/postgresql') || process.env.CI
    ? false
    : 'PostgreSQL is not installed (/usr/lib/postgresql is missing): bash scripts/setup.sh installs it';

/** Starts a throwaway cluster (scripts/pg.sh): `{ url, dir }`. */
export function startPostgres() {
  const out = execFileSync('bash', [join(repoRoot, 'scripts', 'pg.sh'), 'start'], { encoding: 'utf8' });
  const url = /SHIMING_PG_URL=(\S+)/.exec(out)?.[1];
  const dir = /SHIMING_PG_DIR=(\S+)/.exec(out)?.[1];
  if (!url || !dir) throw new Error(`scripts/pg.sh start printed: ${out}`);
  return { url, dir };
}

/** Stops a cluster of startPostgres and removes its directory. */
export function stopPostgres(dir) {
  spawnSync('bash', [join(repoRoot, 'scripts', 'pg.sh'), 'stop', dir]);
}
