// A tiny, dependency-free static server for the demo: `www/` at `/` and the built package `pkg/` at `/pkg/`.
//
//   node www/serve.mjs [--port 8080] [--host 127.0.0.1]      (or PORT / HOST in the environment)
//
// It is a development server: no caching, GET and HEAD only, and nothing outside the mounted directories is
// reachable (`..` is rejected after percent-decoding, and the resolved path must stay inside its root).
// Tests import `startServer({ port: 0 })` and read the chosen port from `server.address().port`.

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/**
 * Starts the server and resolves once it is listening.
 * @param {{ port?: number, host?: string, mounts?: { prefix: string, dir: string }[]}} [options]
 * @returns {Promise<import('node:http').Server>}
 */
export function startServer({ port = 8080, host = '127.0.0.1', mounts = defaultMounts } = {}) {
  const sorted = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length);
  const server = createServer((req, res) => {
    handle(req, res, sorted).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal Server Error\n');
      else res.destroy();
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise(server);
    });
  });
}

function parseArgs(argv) {
  const options = { port: Number(process.env.PORT ?? 8080), host: process.env.HOST ?? '127.0.0.1' };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const [flag, inline] = arg.split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--port' || flag === '-p') options.port = Number(value());
    else if (flag === '--host' || flag === '-H') options.host = value();
    else if (/^\d+$/.test(arg)) options.port = Number(arg);
    else throw new Error(`unknown argument: ${arg} (usage: node www/serve.mjs [--port N] [--host H])`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(`invalid port: ${options.port}`);
  }
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let server;
  try {
    const { port, host } = parseArgs(process.argv.slice(2));
    server = await startServer({ port, host });
  } catch (error) {
    const hint = error.code === 'EADDRINUSE' ? ' (the port is in use: set PORT or pass --port)' : '';
    console.error(`serve.mjs: ${error.message}${hint}`);
    process.exit(2);
  }
  const address = server.address();
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  console.log(`shiming demo: http://${shownHost}:${address.port}/  (serving www/ and pkg/; Ctrl-C to stop)`);
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
