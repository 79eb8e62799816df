// A tiny, dependency-free server for the demo: `www/` at `/`, the built package `pkg/` at `/pkg/`, and the reference
// backend of the sync protocol (www/backend/, docs/protocol.md) at `/api`.
//
//   node www/serve.mjs [--port 8080] [--host 127.0.0.1] [--data-dir ./var] [--admin-token T] [--no-api]
//                      [--kinds cn_resident,hk_id,...]
//                      [--fault-seed N] [--fault-fail RATE] [--fault-fail-status 500,503] [--fault-429 RATE]
//                      [--fault-retry-after SEC] [--fault-delay RATE] [--fault-delay-ms MS] [--fault-drop RATE]
//   (or PORT / HOST / SHIMING_DATA_DIR / SHIMING_ADMIN_TOKEN / SHIMING_KINDS / SHIMING_FAULT_* in the environment;
//   --kinds: the document kinds registrations may use, default the package's; RATE is a
//   fraction such as 0.1 or a percentage such as 10%; SHIMING_PKG picks the package build the API uses)
//
// Static files: no caching, GET and HEAD only, and nothing outside the mounted directories is reachable (`..` is
// rejected after percent-decoding, and the resolved path must stay inside its root). Every response, static or API,
// carries a strict Content-Security-Policy (no inline script or style), nosniff and no-referrer.
// Tests import `startServer({ port: 0 })` and read the chosen port from `server.address().port`; the API's journal
// then lives in a temporary directory removed when the server closes (pass `dataDir` to keep it), and
// `server.api` is the API object (its `store`, `dataDir`, `close()`).

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createApi } from './backend/api.mjs';
import { FAULT_FLAGS, faultsFromFlags } from './backend/faults.mjs';
import { parseKinds } from './backend/registrations.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The default mounts: the demo page and the generated npm package. Longest prefix first. */
export const defaultMounts = [
  { prefix: '/pkg/', dir: resolve(here, '..', 'pkg') },
  { prefix: '/', dir: resolve(here) },
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
};

/** The API's mount point. */
export const API_PREFIX = '/api';

/**
 * Sent on every response. The page may load scripts, styles, wasm and data only from this origin: no inline script
 * or style, no eval except WebAssembly compilation (`'wasm-unsafe-eval'`), no plugins, no framing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

function send(res, status, body, headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/**
 * Maps a request path to a file inside one of the mounts, or returns an HTTP status for the refusal.
 * @returns {{ file: string } | { status: number }}
 */
export function resolveRequestPath(urlPath, mounts = defaultMounts) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(urlPath, 'http://localhost').pathname);
  } catch {
    return { status: 400 };
  }
  // Reject traversal and oddities after decoding: `..` segments, backslashes (Windows separators), NUL.
  if (pathname.includes('\0') || pathname.includes('\\')) return { status: 400 };
  const segments = pathname.split('/');
  if (segments.includes('..')) return { status: 403 };

  const mount = mounts.find((m) => pathname.startsWith(m.prefix) || pathname === m.prefix.replace(/\/$/, ''));
  if (!mount) return { status: 404 };
  const rest = pathname.slice(mount.prefix.length);
  const root = resolve(mount.dir);
  const file = resolve(join(root, rest));
  if (file !== root && !file.startsWith(root + sep)) return { status: 403 };
  return { file };
}

async function handle(req, res, mounts) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
    return;
  }
  const target = resolveRequestPath(req.url, mounts);
  if ('status' in target) {
    send(res, target.status, `${target.status === 404 ? 'Not Found' : target.status === 403 ? 'Forbidden' : 'Bad Request'}\n`);
    return;
  }
  let file = target.file;
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    const pathname = new URL(req.url, 'http://localhost').pathname;
    if (!pathname.endsWith('/')) {
      send(res, 301, 'Moved Permanently\n', { Location: `${pathname}/` });
      return;
    }
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) {
    send(res, 404, 'Not Found\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** The path below the API mount point (`/api/registrations?x` → `/registrations`), or null outside it. */
function apiPath(url) {
  const pathname = (url ?? '/').split('?', 1)[0].split('#', 1)[0];
  if (pathname === API_PREFIX) return '/';
  if (pathname.startsWith(`${API_PREFIX}/`)) return pathname.slice(API_PREFIX.length);
  return null;
}

/**
 * Starts the server and resolves once it is listening.
 * @param {{ port?: number, host?: string, mounts?: { prefix: string, dir: string }[],
 *   api?: false | import('./backend/api.mjs').ApiOptions,
 *   dataDir?: string, faults?: object, adminToken?: string, pkgDir?: string, log?: boolean | ((line: string) => void),
 * }} [options]  `api: false` serves static files only; `dataDir`, `faults`, `adminToken`, `pkgDir` and `log` are
 *   shortcuts for the same keys of `api` (see www/backend/api.mjs createApi).
 * @returns {Promise<import('node:http').Server & { api: object | null }>}
 */
export async function startServer({ port = 8080, host = '127.0.0.1', mounts = defaultMounts, api = {}, ...shortcuts } = {}) {
  const sorted = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length);
  const backend = api === false ? null : await createApi({ ...shortcuts, ...api });
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const below = backend ? apiPath(req.url) : null;
    const work = below !== null ? backend.handle(req, res, below) : handle(req, res, sorted);
    work.catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal Server Error\n');
      else res.destroy();
    });
  });
  server.api = backend;
  server.on('close', () => {
    backend?.close().catch(() => {});
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', (error) => {
      backend?.close().catch(() => {});
      reject(error);
    });
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolvePromise(server);
    });
  });
}

const USAGE =
  'usage: node www/serve.mjs [--port N] [--host H] [--data-dir DIR] [--admin-token T] [--no-api] [--quiet] ' +
  '[--kinds KIND,KIND,...] ' +
  `[${FAULT_FLAGS.map((f) => `--${f} V`).join('] [')}]`;

export function parseArgs(argv, env = process.env) {
  const options = { port: Number(env.PORT ?? 8080), host: env.HOST ?? '127.0.0.1' };
  const api = { dataDir: env.SHIMING_DATA_DIR ?? resolve('var'), adminToken: env.SHIMING_ADMIN_TOKEN || null, log: true };
  const faultFlags = {};
  let kinds = env.SHIMING_KINDS || undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value (${USAGE})`);
      return v;
    };
    if (flag === '--port' || flag === '-p') options.port = Number(value());
    else if (flag === '--host' || flag === '-H') options.host = value();
    else if (flag === '--data-dir') api.dataDir = resolve(value());
    else if (flag === '--admin-token') api.adminToken = value();
    else if (flag === '--no-api') options.api = false;
    else if (flag === '--quiet') api.log = false;
    else if (flag === '--kinds') kinds = value();
    else if (flag.startsWith('--') && FAULT_FLAGS.includes(flag.slice(2))) faultFlags[flag.slice(2)] = value();
    else if (/^\d+$/.test(arg)) options.port = Number(arg);
    else throw new Error(`unknown argument: ${arg} (${USAGE})`);
  }
  api.faults = faultsFromFlags(faultFlags, env);
  if (kinds !== undefined) {
    // A comma-separated list of the package's kind names; an unknown name stops the server from starting.
    api.kinds = parseKinds(kinds.split(',').map((k) => k.trim()).filter(Boolean), '--kinds');
  }
  if (options.api !== false) options.api = api;
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(`invalid port: ${options.port}`);
  }
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let server;
  try {
    server = await startServer(parseArgs(process.argv.slice(2)));
  } catch (error) {
    const hint = error.code === 'EADDRINUSE' ? ' (the port is in use: set PORT or pass --port)' : '';
    console.error(`serve.mjs: ${error.message}${hint}`);
    process.exit(2);
  }
  const address = server.address();
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  console.log(`shiming demo: http://${shownHost}:${address.port}/  (serving www/ and pkg/; Ctrl-C to stop)`);
  if (server.api) {
    const { config } = server.api.faults;
    const on = ['fail', 'throttle', 'delay', 'drop'].filter((name) => config[name].rate > 0);
    console.log(
      `API at /api, journal in ${server.api.dataDir}; document kinds: ${server.api.idKinds.join(', ')}` +
        (server.api.consentAvailable ? '' : ' (no consent module in this package build: POST /api/consents answers 503)') +
        (on.length ? `; faults: ${on.map((name) => `${name} ${config[name].rate}`).join(', ')} (seed ${config.seed})` : ''),
    );
  }
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
