// End to end, in Debian's chromium: what the registration page (www/index.html + register.js) downloads when it
// loads, served by the reference server (static files and the API, as scripts/start.sh serves the demo).
//
// - the one wasm module the page instantiates (shiming/all: checks, policy, consent and sync), and no other, is
//   requested exactly once: the
//   page's <link rel="preload" as="fetch" crossorigin> is the request the wasm-bindgen glue's fetch() reuses (a
//   mismatch, e.g. of the credentials mode, is a second download and Chromium's "preloaded but not used" warning);
// - no waterfall: every wasm module is requested before the first of them has arrived, and before register.js has
//   (so none waits for the JS module graph), and the module graph itself is requested in one step (modulepreload),
//   except wasm-bindgen's snippets and what the page loads on demand;
// - the static files and the policy come gzipped (the server negotiates Accept-Encoding): every wasm module and
//   script, and GET /api/policy, arrives in fewer bytes than it decodes to;
// - it prints every request (start, end, bytes on the wire, decoded, gzip -9 of the body), for the README's figures.
// The page loads under DevTools' network emulation (100 ms per request, 20 Mbit/s): on 127.0.0.1 a response can
// arrive within a millisecond, so "requested before another arrived" would be a race; with the latency it is not.
// Only relations between times are asserted, never durations: a loaded CI machine stretches them all.
// The demo server speaks HTTP/1.1 (six connections per origin in Chromium) and gzips its static files and the policy,
// not the API's other answers: the table's "wire" column is each body as it sends it (Resource Timing's encodedBodySize), "decoded" the
// body itself (what the server sent before it compressed), "gzip -9" the body under GNU gzip -9 (the server's gzip is
// flate2's best level, a little larger).
// No console warning or error, failed request or HTTP error is allowed (watchPage).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

import { startRustServer } from './server.mjs';
import { assertPkgBuilt, launchChromium, watchPage, repoRoot, pkgDir } from './support.mjs';

assertPkgBuilt();

const MOUNTS = [
  { prefix: '/pkg/', dir: process.env.SHIMING_PKG ?? pkgDir },
  { prefix: '/', dir: join(repoRoot, 'www') },
];

/** The wasm modules the registration page instantiates at load (each entry's top-level await): shiming/all's one. */
const WASM = ['/pkg/all/shiming_all_bg.wasm'];
/** Scripts the page loads on demand, after it started (region names; the Traditional Chinese tables). */
const ON_DEMAND = (path) => path === '/pkg/regions.js' || (path.startsWith('/pkg/locales/') && path !== '/pkg/locales/names.js');

/** DevTools' network emulation: 100 ms of latency per request, 20 Mbit/s down, 5 Mbit/s up. */
const NETWORK = { offline: false, latency: 100, downloadThroughput: 20e6 / 8, uploadThroughput: 5e6 / 8 };

let server;
let browser;

before(async () => {
  server = await startRustServer({ mounts: MOUNTS });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Size under GNU `gzip -9`, the README's and the build's measure (Node's zlib compresses a little worse). */
function gzipSize(body) {
  const result = spawnSync('gzip', ['-9', '-c'], { input: body, maxBuffer: 1 << 30 });
  assert.equal(result.status, 0, 'gzip -9 failed');
  return result.stdout.length;
}

const pathOf = (url) => new URL(url).pathname;
const ms = (value) => value.toFixed(1).padStart(7);
const bytes = (value) => (Number.isFinite(value) ? value.toLocaleString('en-US') : '?').padStart(9);

/** A fresh context (empty HTTP cache) and page under NETWORK, recording when the page says it is ready. */
async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, locale: 'zh-CN' });
  // When the page says it is ready (body[data-ready="true"]), on the page's clock.
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.body?.dataset.ready === 'true') {
        window.__readyAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  });
  const page = await context.newPage();
  // A network with a round trip, so that "requested before another arrived" means something (on 127.0.0.1 a
  // response can arrive within a millisecond) and the printed timeline looks like a page's over the internet.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  return { context, page };
}

test('the registration page fetches each wasm module once, all in parallel, with its module graph in one step', async () => {
  // The server gzips each file on its first request and keeps it: the first page load after it started waits for
  // that (the test's debug build is several times slower at it than a release build). The measured load is the
  // second, on a warm server, as every load but the first is; the first one's times are printed beside it.
  const first = await newPage();
  await first.page.goto(server.base + '/');
  await first.page.waitForSelector('body[data-ready="true"]');
  const cold = await first.page.evaluate(() => ({
    readyAt: window.__readyAt,
    lastWasm: Math.max(...performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).map((e) => e.responseEnd)),
  }));
  await first.context.close();

  const { context, page } = await newPage();
  const watch = watchPage(page);
  const requested = [];
  const bodies = new Map(); // path → gzip -9 size of the response body
  const pending = [];
  page.on('request', (request) => requested.push(pathOf(request.url())));
  page.on('requestfinished', (request) => {
    pending.push(
      request.response()
        .then((response) => response?.body())
        .then((body) => {
          if (body) bodies.set(pathOf(request.url()), gzipSize(body));
        })
        .catch(() => {}),
    );
  });

  await page.goto(server.base + '/');
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForLoadState('load');
  // Chromium warns about a preload not used "within a few seconds from the window's load event" (3 s): let it.
  await page.waitForTimeout(3_500);
  await Promise.all(pending);

  const { navigation, entries, preloads, readyAt } = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const pick = (e) => ({
      url: e.name,
      initiator: e.initiatorType,
      start: e.startTime,
      sent: e.requestStart,
      end: e.responseEnd,
      transfer: e.transferSize,
      encoded: e.encodedBodySize,
      decoded: e.decodedBodySize,
    });
    return {
      navigation: pick(nav),
      entries: performance.getEntriesByType('resource').map(pick),
      readyAt: window.__readyAt,
      preloads: [...document.querySelectorAll('link[rel="preload"][as="fetch"]')].map((l) => ({ href: l.href, crossOrigin: l.crossOrigin })),
    };
  });
  const rows = [{ ...navigation, path: pathOf(navigation.url), initiator: 'document' }, ...entries.map((e) => ({ ...e, path: pathOf(e.url) }))];
  rows.sort((a, b) => a.start - b.start);

  // The table and totals (bytes on the wire as the server sends them; gzip -9 of each body for comparison).
  const total = { requests: rows.length, transfer: 0, encoded: 0, decoded: 0, gzip: 0, wasmGzip: 0, jsGzip: 0, wasmWire: 0, jsWire: 0 };
  const lines = ['path                                                         initiator  start   sent    end      wire     decoded  gzip -9'];
  for (const row of rows) {
    const gz = bodies.get(row.path) ?? NaN;
    total.transfer += row.transfer;
    total.encoded += row.encoded;
    total.decoded += row.decoded;
    if (Number.isFinite(gz)) total.gzip += gz;
    if (row.path.endsWith('.wasm')) {
      total.wasmGzip += gz;
      total.wasmWire += row.encoded;
    }
    if (row.path.endsWith('.js')) {
      total.jsGzip += gz;
      total.jsWire += row.encoded;
    }
    lines.push(`${row.path.padEnd(60)} ${row.initiator.padEnd(8)} ${ms(row.start)} ${ms(row.sent)} ${ms(row.end)} ${bytes(row.encoded)} ${bytes(row.decoded)} ${bytes(gz)}`);
  }
  const wasmRows = rows.filter((r) => r.path.endsWith('.wasm'));
  const firstWasmEnd = Math.min(...wasmRows.map((r) => r.end));
  const lastWasmStart = Math.max(...wasmRows.map((r) => r.start));
  lines.push(
    `page load (${NETWORK.latency} ms latency, ${(NETWORK.downloadThroughput * 8) / 1e6} Mbit/s): ${total.requests} requests, ${total.encoded.toLocaleString('en-US')} B of bodies on the wire ` +
      `(${total.transfer.toLocaleString('en-US')} B with headers; wasm ${total.wasmWire.toLocaleString('en-US')}, JS ${total.jsWire.toLocaleString('en-US')}), ` +
      `${total.decoded.toLocaleString('en-US')} B decoded (the wire without compression), ` +
      `${total.gzip.toLocaleString('en-US')} B gzip -9 (wasm ${total.wasmGzip.toLocaleString('en-US')}, JS ${total.jsGzip.toLocaleString('en-US')}); ` +
      `wasm requested ${ms(Math.min(...wasmRows.map((r) => r.start))).trim()}–${ms(lastWasmStart).trim()} ms, ` +
      `first arrived ${ms(firstWasmEnd).trim()} ms, last ${ms(Math.max(...wasmRows.map((r) => r.end))).trim()} ms; ` +
      `page ready at ${ms(readyAt).trim()} ms ` +
      `(the first load after the server started, which compressed: last wasm ${ms(cold.lastWasm).trim()} ms, ready at ${ms(cold.readyAt).trim()} ms)`,
  );
  console.log(lines.join('\n'));

  // Every wasm module the page uses, each requested exactly once (a preload the glue does not reuse is a second
  // request of the same URL), and nothing else ending in .wasm.
  const wasmRequested = requested.filter((p) => p.endsWith('.wasm')).sort();
  assert.deepEqual(wasmRequested, [...WASM].sort(), `the page requested these wasm modules: ${wasmRequested.join(', ')}`);
  assert.deepEqual(wasmRows.map((r) => r.path).sort(), [...WASM].sort());
  // The page preloads exactly those, with the glue's request mode (cors, same-origin credentials).
  assert.deepEqual(preloads.map((l) => pathOf(l.href)).sort(), [...WASM].sort());
  for (const link of preloads) assert.equal(link.crossOrigin, 'anonymous', `${link.href}: crossorigin`);
  // No URL downloaded twice, JS included.
  const twice = requested.filter((p, i) => requested.indexOf(p) !== i);
  assert.deepEqual(twice, [], `requested more than once: ${twice.join(', ')}`);

  // No waterfall: every wasm request starts before the first one has arrived, and before register.js has.
  assert.ok(lastWasmStart < firstWasmEnd, `a wasm module was requested only after another arrived (${lastWasmStart} ≥ ${firstWasmEnd} ms)`);
  const register = rows.find((r) => r.path === '/register.js');
  for (const row of wasmRows) {
    assert.ok(row.start < register.end, `${row.path} was requested after register.js arrived: it waited for the module graph`);
  }
  // The module graph in one step: only wasm-bindgen's snippets (hashed directories) and on-demand scripts are
  // requested after register.js arrived. A new static import in the page belongs in index.html's modulepreload list.
  const late = rows.filter((r) => r.path.endsWith('.js') && r.start > register.end && !r.path.includes('/snippets/') && !ON_DEMAND(r.path));
  assert.deepEqual(late.map((r) => r.path), [], 'scripts discovered only after register.js arrived (add them to index.html\'s modulepreload links)');

  // The static files and the policy come compressed: each wasm module and script, and the policy, in fewer bytes on
  // the wire than it decodes to (a body the size of its decoding was sent as it is).
  const compressible = (path) => path.endsWith('.wasm') || path.endsWith('.js') || path === '/api/policy';
  assert.ok(rows.some((r) => r.path === '/api/policy'), 'the page fetches the policy');
  const uncompressed = rows.filter((r) => compressible(r.path) && !(r.encoded < r.decoded));
  assert.deepEqual(uncompressed.map((r) => `${r.path} ${r.encoded}/${r.decoded}`), [], 'sent uncompressed');

  // No "preloaded but not used" (or any other) warning.
  assert.ok(!watch.consoleTexts.some((text) => /preload/i.test(text)), watch.consoleTexts.filter((t) => /preload/i.test(t)).join('\n'));
  watch.assertClean(assert);
  await context.close();
});
