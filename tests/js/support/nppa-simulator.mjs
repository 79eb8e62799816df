// A local stand-in for 国家新闻出版署's 网络游戏防沉迷实名认证系统 (https://wlc.nppa.gov.cn/fcm_company/index.html),
// for tests only: it never ships with the server. It implements the published
// 《网络游戏防沉迷实名认证系统接口对接技术规范》 on its own (node:crypto and node:http, no packages), so that
// the server's client is checked against a second reading of the specification, not against itself.
//
//   import { startNppaSimulator } from './support/nppa-simulator.mjs';
//   const sim = await startNppaSimulator({ appId, bizId, secretKey });
//   sim.url; sim.setScenario(ai, { type: 'failed' }); sim.requests; await sim.close();
//
//   node tests/js/support/nppa-simulator.mjs --port 0 --app-id A --biz-id B --secret-key HEX32 \
//        [--expire-ms 5000] [--clock-offset-ms 0] [--exit-with-stdin]
//   prints NPPA_SIMULATOR_URL=http://127.0.0.1:PORT; a test drives it over HTTP:
//   POST /__control/scenario {"key": ai | idNum | "loginout" | "*", "scenario": {...}}, GET /__control/requests,
//   POST /__control/reset.
//
// Interfaces (paths as the specification's addresses have them):
//   POST /idcard/authentication/check     实名认证        body {"data": base64(iv ‖ AES-128-GCM(ai,name,idNum) ‖ tag)}
//   GET  /idcard/authentication/query?ai= 实名认证结果查询
//   POST /behavior/collection/loginout    游戏用户行为数据上报  {"collections": [{no, si, bt, ot, ct, di?, pi?}]}
//
// Scenarios (per ai, else per ID number, else "*", else verified), for check and query:
//   {type: 'verified'}                                   status 0 with a pi derived from the ID number
//   {type: 'failed'}                                     status 2
//   {type: 'pending', queries: N, ms: M, then: 'verified'|'failed'}
//                                                        status 1 until N queries were made or M ms passed
//   {type: 'error', errcode: 1001, on: 'check'|'query'|'both'}   an error answer (default: both)
//   {type: 'delay', ms: N, then: {...}}                  answers N ms late
//   {type: 'raw', status: 200, body: '...', headers: {}, on: ...}   any answer at all (garbage, 5xx, HTML)
// and for "loginout": {type: 'error', errcode} or {type: 'delay', ms}.
// An ID number whose check digit is wrong (GB 11643-1999, ISO 7064 MOD 11-2) is 2001, whatever the scenario.

import { createServer } from 'node:http';
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const ERRMSG = {
  0: 'OK',
  1001: 'SYS ERROR',
  1002: 'SYS REQ RESOURCE NOT EXIST',
  1003: 'SYS REQ METHOD ERROR',
  1004: 'SYS REQ HEADER MISS ERROR',
  1005: 'SYS REQ IP ERROR',
  1006: 'SYS REQ BUSY ERROR',
  1007: 'SYS REQ EXPIRE ERROR',
  1008: 'SYS REQ PARTNER ERROR',
  1009: 'SYS REQ PARTNER AUTH DISABLE',
  1010: 'SYS REQ AUTH ERROR',
  1011: 'SYS REQ PARTNER AUTH ERROR',
  1012: 'SYS REQ PARAM CHECK ERROR',
  1019: 'SYS REQ SECRET EXCESS ERROR',
  1020: 'SYS REQ CONTENT TYPE ERROR',
  2001: 'BUS AUTH IDNUM ILLEGAL',
  2002: 'BUS AUTH RESOURCE LIMIT',
  2003: 'BUS AUTH CODE NO AUTH RECODE',
  2004: 'BUS AUTH CODE ALREADY IN USE',
  3001: 'BUS COLL PARTIAL ERROR',
  3002: 'BUS COLL BEHAVIOR NULL ERROR',
  3003: 'BUS COLL OVER LIMIT COUNT',
  3004: 'BUS COLL NO INVALID',
  3005: 'BUS COLL BEHAVIOR TIME ERROR',
  3006: 'BUS COLL PLAYER MODE INVALID',
  3007: 'BUS COLL BEHAVIOR MODE INVALID',
  3008: 'BUS COLL PLAYERID MISS',
  3009: 'BUS COLL DEVICEID MISS',
  3010: 'BUS COLL PLAYERID INVALID',
  4001: 'TEST SYS ERROR',
  4002: 'TEST TASK NOT EXIST',
  4003: 'TEST SCENE CODE ERROR',
};

const ROUTES = {
  '/idcard/authentication/check': 'POST',
  '/idcard/authentication/query': 'GET',
  '/behavior/collection/loginout': 'POST',
};

// 接口限流 (requests a second): check 100, query 300, loginout 10.
const DEFAULT_QPS = { check: 100, query: 300, loginout: 10 };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// GB 11643-1999's check digit (ISO 7064 MOD 11-2), written out here independently of the core.
function validIdNumber(id) {
  if (typeof id !== 'string' || !/^\d{17}[\dX]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * weights[i];
  return '10X98765432'[sum % 11] === id[17];
}

// A pi: 38 characters, lower-case letters and digits, the same for the same person.
function piFor(idNum, name) {
  const digest = createHash('sha256').update(`pi|${idNum}|${name}`).digest('hex');
  return `1${digest.slice(0, 37)}`;
}

export async function startNppaSimulator(options = {}) {
  const appId = options.appId ?? 'test-app-id';
  const bizId = options.bizId ?? 'test-biz-id';
  const secretKey = options.secretKey ?? '00112233445566778899aabbccddeeff';
  if (!/^[0-9a-fA-F]{32}$/.test(secretKey)) throw new Error('secretKey: 32 hex characters');
  const key = Buffer.from(secretKey, 'hex');
  // The specification rejects a request whose timestamps is too far from the system's clock (1007); the width
  // of that window is the system's, not published as a number: 5 s here unless told otherwise.
  const expireMs = options.expireMs ?? 5000;
  const clockOffsetMs = options.clockOffsetMs ?? 0;
  const qps = { ...DEFAULT_QPS, ...(options.qps ?? {}) };

  const scenarios = new Map();
  const records = new Map(); // ai -> { name, idNum, scenario, at, queries }
  const issuedPi = new Set();
  const requests = [];
  const windows = { check: [], query: [], loginout: [] };

  const now = () => Date.now() + clockOffsetMs;

  function setScenario(key, scenario) {
    if (scenario === null || scenario === undefined) scenarios.delete(key);
    else scenarios.set(key, scenario);
  }

  function reset() {
    scenarios.clear();
    records.clear();
    issuedPi.clear();
    requests.length = 0;
    for (const name of Object.keys(windows)) windows[name].length = 0;
  }

  function overLimit(name) {
    const window = windows[name];
    const t = Date.now();
    while (window.length && t - window[0] >= 1000) window.shift();
    if (window.length >= qps[name]) return true;
    window.push(t);
    return false;
  }

  const answer = (res, errcode, data) => {
    const body = { errcode, errmsg: ERRMSG[errcode] ?? 'UNKNOWN' };
    if (data !== undefined) body.data = data;
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify(body));
    return errcode;
  };

  function scenarioFor(ai, idNum) {
    return scenarios.get(ai) ?? (idNum && scenarios.get(idNum)) ?? scenarios.get('*') ?? { type: 'verified' };
  }

  const appliesTo = (scenario, interfaceName) => {
    const on = scenario.on ?? 'both';
    return on === 'both' || on === interfaceName;
  };

  // Applies delay/error/raw wrappers; returns the inner scenario, or null when it answered.
  async function unwrap(res, scenario, interfaceName) {
    let s = scenario;
    while (s && s.type === 'delay') {
      await sleep(s.ms ?? 0);
      s = s.then ?? { type: 'verified' };
    }
    if (s.type === 'error' && appliesTo(s, interfaceName)) {
      answer(res, s.errcode);
      return null;
    }
    if (s.type === 'raw' && appliesTo(s, interfaceName)) {
      res.writeHead(s.status ?? 200, { 'content-type': s.contentType ?? 'application/json', ...(s.headers ?? {}) });
      res.end(s.body ?? '');
      return null;
    }
    return s;
  }

  function resultOf(record) {
    let s = record.scenario;
    while (s && s.type === 'delay') s = s.then ?? { type: 'verified' };
    if (s.type === 'pending') {
      const queriesDone = s.queries !== undefined && record.queries >= s.queries;
      const timeDone = s.ms !== undefined && Date.now() - record.at >= s.ms;
      if (!queriesDone && !timeDone) return { status: 1, pi: null };
      s = { type: s.then ?? 'verified' };
    }
    if (s.type === 'failed') return { status: 2, pi: null };
    const pi = piFor(record.idNum, record.name);
    issuedPi.add(pi);
    return { status: 0, pi };
  }

  async function handle(req, res, raw) {
    const url = new URL(req.url, 'http://simulator');
    const entry = {
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: raw,
      business: null,
      errcode: null,
    };

    // The test's own controls, never part of the specification.
    if (url.pathname.startsWith('/__control/')) {
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/__control/scenario' && req.method === 'POST') {
        const { key: k, scenario } = JSON.parse(raw);
        setScenario(k, scenario);
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
    requests.push(entry);
    const reply = (errcode, data) => {
      entry.errcode = errcode;
      return answer(res, errcode, data);
    };

    // 1002: an address the system does not have; 1003: the wrong method for it.
    const method = ROUTES[url.pathname];
    if (!method) return reply(1002);
    if (req.method !== method) return reply(1003);
    const interfaceName = url.pathname.endsWith('/check') ? 'check' : url.pathname.endsWith('/query') ? 'query' : 'loginout';

    // 公共请求参数: appId, bizId, timestamps and sign in the headers (1004 when one is missing).
    const h = req.headers;
    for (const name of ['appid', 'bizid', 'timestamps', 'sign']) {
      if (typeof h[name] !== 'string' || h[name] === '') return reply(1004);
    }
    if (h.appid !== appId) return reply(1008);
    if (h.bizid !== bizId) return reply(1010);
    // timestamps: milliseconds since the epoch, close to the system's clock (1007).
    if (!/^\d{13}$/.test(h.timestamps) || Math.abs(now() - Number(h.timestamps)) > expireMs) return reply(1007);

    // 签名规则: sha256(secretKey + sorted(name+value of the header parameters but sign, and of the query
    // parameters) + body), lower-case hex (1011 when it differs).
    const params = [
      ['appId', h.appid],
      ['bizId', h.bizid],
      ['timestamps', h.timestamps],
      ...url.searchParams.entries(),
    ];
    params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const expected = createHash('sha256')
      .update(secretKey + params.map(([k, v]) => k + v).join('') + raw, 'utf8')
      .digest('hex');
    const given = Buffer.from(h.sign, 'utf8');
    const wanted = Buffer.from(expected, 'utf8');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return reply(1011);

    if (overLimit(interfaceName)) return reply(1006);

    // 加密规则: the POST body is {"data": base64(iv(12) ‖ ciphertext ‖ tag(16))} under AES-128-GCM (1012 otherwise).
    let business = null;
    if (method === 'POST') {
      const type = String(h['content-type'] ?? '');
      if (!type.toLowerCase().startsWith('application/json')) return reply(1020);
      try {
        const outer = JSON.parse(raw);
        if (typeof outer?.data !== 'string') return reply(1012);
        const sealed = Buffer.from(outer.data, 'base64');
        if (sealed.length < 12 + 16) return reply(1012);
        const decipher = createDecipheriv('aes-128-gcm', key, sealed.subarray(0, 12));
        decipher.setAuthTag(sealed.subarray(sealed.length - 16));
        const plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
        business = JSON.parse(plain.toString('utf8'));
      } catch {
        return reply(1012);
      }
      entry.business = business;
    } else if (raw !== '') {
      return reply(1012);
    }

    if (interfaceName === 'check') {
      const { ai, name, idNum } = business ?? {};
      if (typeof ai !== 'string' || ai.length !== 32 || typeof name !== 'string' || name === '' || typeof idNum !== 'string') {
        return reply(1012);
      }
      const scenario = await unwrap(res, scenarioFor(ai, idNum), 'check');
      if (scenario === null) {
        entry.errcode = 'scenario';
        return;
      }
      if (!validIdNumber(idNum)) return reply(2001);
      if (records.has(ai)) return reply(2004);
      const record = { name, idNum, scenario: scenarioFor(ai, idNum), at: Date.now(), queries: 0 };
      records.set(ai, record);
      return reply(0, { result: resultOf(record) });
    }

    if (interfaceName === 'query') {
      const ai = url.searchParams.get('ai');
      if (typeof ai !== 'string' || ai.length !== 32) return reply(1012);
      const record = records.get(ai);
      const scenario = await unwrap(res, record ? record.scenario : scenarioFor(ai, null), 'query');
      if (scenario === null) {
        entry.errcode = 'scenario';
        return;
      }
      if (!record) return reply(2003);
      record.queries += 1;
      return reply(0, { result: resultOf(record) });
    }

    // 游戏用户行为数据上报: 1-128 entries; per-entry results; the earliest ot within 180 s of timestamps.
    const scenario = scenarios.get('loginout');
    if (scenario) {
      const inner = await unwrap(res, scenario, 'loginout');
      if (inner === null) {
        entry.errcode = 'scenario';
        return;
      }
    }
    const collections = business?.collections;
    if (!Array.isArray(collections) || collections.length === 0) return reply(3002);
    if (collections.length > 128) return reply(3003);
    const sent = Number(h.timestamps) / 1000;
    const results = [];
    const seen = new Set();
    for (const c of collections) {
      const fail = (errcode) => results.push({ no: c?.no ?? null, errcode, errmsg: ERRMSG[errcode] });
      if (!Number.isInteger(c?.no) || c.no < 1 || c.no > 128 || seen.has(c.no)) fail(3004);
      else if (!Number.isInteger(c.ot) || Math.abs(sent - c.ot) > 180) fail(3005);
      else if (c.ct !== 0 && c.ct !== 2) fail(3006);
      else if (c.bt !== 0 && c.bt !== 1) fail(3007);
      else if (typeof c.si !== 'string' || c.si === '' || c.si.length > 32) fail(3004);
      else if (c.ct === 0 && (typeof c.pi !== 'string' || c.pi === '')) fail(3008);
      else if (c.ct === 2 && (typeof c.di !== 'string' || c.di === '')) fail(3009);
      else if (c.ct === 0 && !issuedPi.has(c.pi)) fail(3010);
      if (Number.isInteger(c?.no)) seen.add(c.no);
    }
    entry.results = results;
    return reply(results.length ? 3001 : 0, { results });
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
    setScenario,
    reset,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => argv[++i];
    switch (flag) {
      case '--port': out.port = Number(next()); break;
      case '--app-id': out.appId = next(); break;
      case '--biz-id': out.bizId = next(); break;
      case '--secret-key': out.secretKey = next(); break;
      case '--expire-ms': out.expireMs = Number(next()); break;
      case '--clock-offset-ms': out.clockOffsetMs = Number(next()); break;
      case '--exit-with-stdin': out.exitWithStdin = true; break;
      default: throw new Error(`unknown flag ${flag}`);
    }
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const options = parseArgs(process.argv.slice(2));
  const sim = await startNppaSimulator(options);
  process.stdout.write(`NPPA_SIMULATOR_URL=${sim.url}\n`);
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (options.exitWithStdin) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }
}
