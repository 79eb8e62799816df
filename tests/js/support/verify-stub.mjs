// A stand-in for a commercial 二要素/三要素 verification service, for the tests of the server's generic HTTPS
// provider (docs/verification.md). Tests only; node:http and node:crypto, no packages.
//
//   import { startVerifyStub } from './support/verify-stub.mjs';
//   const stub = await startVerifyStub({ requireHeaders: { authorization: 'APPCODE k' }, hmac: { header: 'x-sign', secret } });
//   stub.addRule({ match: '110105', status: 200, body: { result: { code: '2' } }, delayMs: 0 });
//
//   node tests/js/support/verify-stub.mjs --port 0 [--require-header 'Name: value'] [--hmac-header X --hmac-secret S]
//        [--exit-with-stdin]
//   prints VERIFY_STUB_URL=http://127.0.0.1:PORT; POST /__control/rule {match, status, body | raw, delayMs},
//   GET /__control/requests, POST /__control/reset.
//
// Every request is recorded (method, path, headers, raw body). Its answer: 403 when a required header is missing or
// different, 401 when the HMAC-SHA256 of the raw body (lower-case hex) is missing or wrong; else the first rule whose
// `match` is a substring of the raw body (the newest rule first), else 200 {"result": {"code": "0"}}.

import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startVerifyStub(options = {}) {
  const requireHeaders = Object.fromEntries(
    Object.entries(options.requireHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const hmac = options.hmac ?? null;
  const rules = [];
  const requests = [];

  const addRule = (rule) => rules.unshift(rule);
  const reset = () => {
    rules.length = 0;
    requests.length = 0;
  };

  async function handle(req, res, raw) {
    const url = new URL(req.url, 'http://stub');
    if (url.pathname.startsWith('/__control/')) {
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/__control/rule' && req.method === 'POST') {
        addRule(JSON.parse(raw));
        return res.end('{}');
      }
      if (url.pathname === '/__control/requests') return res.end(JSON.stringify(requests));
      if (url.pathname === '/__control/reset' && req.method === 'POST') {
        reset();
        return res.end('{}');
      }
      res.statusCode = 404;
      return res.end('{}');
    }
    requests.push({ method: req.method, path: url.pathname, headers: { ...req.headers }, body: raw });
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    for (const [name, value] of Object.entries(requireHeaders)) {
      if (req.headers[name] !== value) return send(403, { message: 'forbidden' });
    }
    if (hmac) {
      const wanted = Buffer.from(createHmac('sha256', hmac.secret).update(raw, 'utf8').digest('hex'));
      const given = Buffer.from(String(req.headers[hmac.header.toLowerCase()] ?? ''));
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return send(401, { message: 'bad signature' });
    }
    const rule = rules.find((r) => raw.includes(r.match ?? ''));
    if (!rule) return send(200, { result: { code: '0' } });
    if (rule.delayMs) await sleep(rule.delayMs);
    if (rule.raw !== undefined) {
      res.writeHead(rule.status ?? 200, { 'content-type': rule.contentType ?? 'text/plain' });
      return res.end(rule.raw);
    }
    return send(rule.status ?? 200, rule.body ?? {});
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  });
  await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    addRule,
    reset,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const options = { requireHeaders: {} };
  const argv = process.argv.slice(2);
  let exitWithStdin = false;
  let hmacHeader = null;
  let hmacSecret = null;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--port') options.port = Number(argv[++i]);
    else if (flag === '--require-header') {
      const [name, ...value] = argv[++i].split(':');
      options.requireHeaders[name.trim()] = value.join(':').trim();
    } else if (flag === '--hmac-header') hmacHeader = argv[++i];
    else if (flag === '--hmac-secret') hmacSecret = argv[++i];
    else if (flag === '--exit-with-stdin') exitWithStdin = true;
    else throw new Error(`unknown flag ${flag}`);
  }
  if (hmacHeader && hmacSecret) options.hmac = { header: hmacHeader, secret: hmacSecret };
  const stub = await startVerifyStub(options);
  process.stdout.write(`VERIFY_STUB_URL=${stub.url}\n`);
  const stop = async () => {
    await stub.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (exitWithStdin) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }
}
