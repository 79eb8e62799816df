// End to end: the ID check page (www/check.html, a plain <script type="module"> page that imports /pkg/shiming.js and calls
// `await init()`), served by the Rust server (shiming-server, static files only) on a random port, in Debian's
// chromium through playwright-core.
// Any console error or warning, page error, failed request or HTTP error fails the test.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';

import { startRustServer } from './server.mjs';
import { assertPkgBuilt, launchChromium, watchPage, EXAMPLES } from './support.mjs';

assertPkgBuilt();

const MASKED = '1101**********002X';

function todayInShanghai() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A raw GET (no URL normalisation, unlike fetch), for the traversal checks. */
function rawGet(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

let server;
let port;
let browser;

before(async () => {
  server = await startRustServer({ args: ['--no-api'] });
  port = server.port;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the static files of shiming-server', () => {
  test('serves the page, the glue and the wasm with the right MIME types', async () => {
    const cases = [
      ['/', 'text/html; charset=utf-8'],
      ['/index.html', 'text/html; charset=utf-8'],
      ['/check.html', 'text/html; charset=utf-8'],
      ['/check.js', 'text/javascript; charset=utf-8'],
      ['/register.js', 'text/javascript; charset=utf-8'],
      ['/style.css', 'text/css; charset=utf-8'],
      ['/pkg/shiming.js', 'text/javascript; charset=utf-8'],
      ['/pkg/package.json', 'application/json; charset=utf-8'],
      ['/pkg/shiming_bg.wasm', 'application/wasm'],
    ];
    for (const [path, type] of cases) {
      const res = await rawGet(port, path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['content-type'], type, path);
    }
    const wasm = await rawGet(port, '/pkg/shiming_bg.wasm');
    assert.deepEqual([...wasm.body.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]);
  });

  test('every answer carries the strict CSP, nosniff and no-referrer; --no-api serves no API', async () => {
    for (const path of ['/', '/check.js', '/pkg/shiming_bg.wasm', '/nope.js', '/api/policy']) {
      const res = await rawGet(port, path);
      assert.match(res.headers['content-security-policy'] ?? '', /default-src 'self'/, path);
      assert.match(res.headers['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/, path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', path);
    }
    assert.equal((await rawGet(port, '/api/policy')).status, 404);
  });

  test('404 for missing files, and no directory traversal', async () => {
    assert.equal((await rawGet(port, '/nope.js')).status, 404);
    assert.equal((await rawGet(port, '/pkg/nope.wasm')).status, 404);
    for (const path of [
      '/../Cargo.toml',
      '/%2e%2e/Cargo.toml',
      '/pkg/..%2fCargo.toml',
      '/pkg/%2E%2E/%2E%2E/etc/passwd',
      '/..%5cCargo.toml',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/pkg/%00',
      '/%E0%A4%A',
    ]) {
      const res = await rawGet(port, path);
      assert.ok([400, 403, 404].includes(res.status), `${path} → ${res.status}`);
      assert.ok(!res.body.toString().includes('[package]'), `${path} leaked a file`);
    }
  });
});

describe('the ID check page (check.html) in chromium', () => {
  let page;
  let watch;

  before(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    watch = watchPage(page);
    await page.goto(`http://127.0.0.1:${port}/check.html`);
    await page.waitForSelector('body[data-ready="true"]');
  });

  after(async () => {
    await page?.close();
  });

  const result = () => page.getByTestId('result');
  const waitForState = (state) => page.waitForSelector(`[data-testid="result"][data-state="${state}"]`);
  const text = async (testid) => (await page.getByTestId(testid).textContent()).trim();

  test('loads in Chinese with an empty result, today as the as-of date, accessible controls', async () => {
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await waitForState('empty');
    assert.equal(await result().getAttribute('aria-live'), 'polite');
    assert.equal(await page.getByTestId('as-of').inputValue(), todayInShanghai());
    // The controls are reachable by their labels.
    await page.getByLabel('证件号码').waitFor();
    await page.getByLabel('校验日期').waitFor();
    watch.assertClean(assert);
  });

  test('a valid ID: badge, birth date, gender, region, masked number', async () => {
    await page.getByTestId('id-input').fill(EXAMPLES.valid);
    await waitForState('valid');
    assert.match(await text('badge'), /有效/);
    assert.equal(await page.getByTestId('badge').getAttribute('data-valid'), 'true');
    assert.equal(await text('info-birth-date'), '1949-12-31');
    assert.equal(await text('info-gender'), '女');
    const region = await text('info-region');
    assert.match(region, /北京市/);
    assert.match(region, /朝阳区/);
    assert.match(region, /110105/);
    assert.match(await text('info-kind'), /居民身份证/);
    assert.equal(await text('info-normalized'), MASKED);
    assert.equal(await text('info-age-band'), '成年人');
    assert.equal(await text('info-policy'), '成年人：不受限制');
    // The full number appears nowhere in the page's text (only in the input itself).
    assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(EXAMPLES.valid));
    watch.assertClean(assert);
  });

  test('a minor: the age band, guardian consent and the policy summary', async () => {
    await page.getByTestId('as-of').fill('2026-11-28');
    await page.getByTestId('id-input').fill('110101201501010011');
    await waitForState('valid');
    assert.equal(await text('info-age-band'), '8–12 周岁（需监护人同意）');
    const policy = await text('info-policy');
    assert.match(policy, /单次 ≤ 50 元，每月 ≤ 200 元/);
    assert.match(policy, /20:00–21:00/);
    assert.match(policy, /每日 ≤ 60 分钟/);
    assert.match(policy, /22:00–06:00 不提供服务/);
    await page.getByTestId('as-of').fill(todayInShanghai());
    watch.assertClean(assert);
  });

  test('an invalid ID: the checksum message names the expected check character', async () => {
    await page.getByTestId('id-input').fill(EXAMPLES.badChecksum);
    await waitForState('invalid');
    assert.match(await text('badge'), /无效/);
    const item = page.locator('[data-testid="issues"] li[data-code="id_checksum_mismatch"]');
    await item.waitFor();
    const message = (await item.textContent()).trim();
    assert.match(message, /7/);
    assert.match(message, /[\u4e00-\u9fff]/);
    assert.match(message, /id_checksum_mismatch/);
    assert.equal(await page.getByTestId('info').count(), 0, 'no extracted info for an invalid ID');
    watch.assertClean(assert);
  });

  test('switching to English re-renders the message', async () => {
    await page.locator('label:has([data-testid="locale-en"])').click();
    await page.waitForSelector('html[lang="en"]');
    await page.waitForFunction(() => /Invalid/.test(document.querySelector('[data-testid="badge"]')?.textContent ?? ''));
    const message = (await page.locator('[data-testid="issues"] li[data-code="id_checksum_mismatch"] .message').textContent()).trim();
    assert.match(message, /7/);
    assert.doesNotMatch(message, /[\u4e00-\u9fff]/);
    assert.match(await page.locator('h1').textContent(), /ID/);
    await page.getByLabel('Document number').waitFor();
    watch.assertClean(assert);
  });

  test('other documents are detected: a Hong Kong ID and a permanent residence ID', async () => {
    await page.getByTestId('id-input').fill('a123456(3)');
    await waitForState('valid');
    assert.match(await text('info-kind'), /Hong Kong identity card/);
    assert.equal(await text('info-jurisdiction'), 'Hong Kong');
    await page.locator('[data-testid="warnings"] li[data-code="id_lowercase_folded"]').waitFor();
    await page.getByTestId('id-input').fill('932682198501010017');
    await waitForState('valid');
    assert.match(await text('info-kind'), /permanent residence/);
    assert.equal(await text('info-nationality'), '682');
    assert.equal(await text('info-birth-date'), '1985-01-01');
    watch.assertClean(assert);
  });

  test('a legacy 15-digit ID shows the upgraded 18-character number (masked, then revealed)', async () => {
    await page.getByTestId('id-input').fill(EXAMPLES.legacy);
    await waitForState('valid');
    assert.match(await text('info-kind'), /First-generation/);
    assert.equal(await text('info-upgraded'), MASKED);
    assert.equal(await text('info-birth-date'), '1949-12-31');
    assert.equal(await text('info-gender'), 'Female');
    await page.locator('[data-testid="warnings"] li[data-code="id_legacy_format"]').waitFor();
    await page.getByTestId('reveal').check();
    await page.waitForFunction(
      (expected) => document.querySelector('[data-testid="info-upgraded"]')?.textContent.trim() === expected,
      EXAMPLES.valid,
    );
    await page.getByTestId('reveal').uncheck();
    await page.waitForFunction(
      (expected) => document.querySelector('[data-testid="info-upgraded"]')?.textContent.trim() === expected,
      MASKED,
    );
    watch.assertClean(assert);
  });

  test('normalisations show as notices', async () => {
    await page.getByTestId('id-input').fill(` ${EXAMPLES.valid.toLowerCase()} `);
    await waitForState('valid');
    await page.locator('[data-testid="warnings"] li[data-code="id_whitespace_trimmed"]').waitFor();
    await page.locator('[data-testid="warnings"] li[data-code="id_lowercase_x_folded"]').waitFor();
    watch.assertClean(assert);
  });

  test('the as-of date applies: a birth after it is an error', async () => {
    await page.getByTestId('id-input').fill(EXAMPLES.valid2);
    await waitForState('valid');
    await page.getByTestId('as-of').fill('1980-01-01');
    await page.locator('[data-testid="issues"] li[data-code="id_birth_date_in_future"]').waitFor();
    await page.getByTestId('as-of').fill(todayInShanghai());
    await waitForState('valid');
    assert.equal(await text('info-gender'), 'Male');
    watch.assertClean(assert);
  });

  test('back to Chinese, then cleared', async () => {
    await page.locator('label:has([data-testid="locale-zh"])').click();
    await page.waitForSelector('html[lang="zh-CN"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="info-gender"]')?.textContent.trim() === '男');
    await page.getByTestId('id-input').fill('');
    await waitForState('empty');
    watch.assertClean(assert);
  });

  test("the package's default entry (pkg/index.js, top-level await) works natively, with no init call", async () => {
    const outcome = await page.evaluate(async (asOf) => {
      const api = await import('/pkg/index.js');
      const result = api.checkId('11010519491231002X', { asOf });
      return { ok: result.ok, birthDate: result.value?.birthDate, valid: api.isValidId('110101199003074478', { asOf }) };
    }, '2024-06-01');
    assert.deepEqual(outcome, { ok: true, birthDate: '1949-12-31', valid: false });
    watch.assertClean(assert);
  });

  test('nothing personal was logged to the console', () => {
    for (const line of watch.consoleTexts) {
      for (const number of Object.values(EXAMPLES)) assert.ok(!line.includes(number), 'an ID number was logged');
    }
    watch.assertClean(assert);
  });
});

describe('the shared header and footer (www/site.js) on every page that uses them', () => {
  const PAGES = ['index.html', 'check.html', 'admin.html', 'guardian.html', 'settings.html'];

  test('one navigation with the current page marked, the language switch, the skip link and the guardian footer', async () => {
    browser ??= await launchChromium();
    const page = await browser.newPage();
    const watch = watchPage(page);
    try {
      for (const file of PAGES) {
        // Without the API (--no-api) the pages that talk to a backend still render their chrome.
        await page.goto(`http://127.0.0.1:${port}/${file}`);
        await page.waitForSelector('header[data-site-header] nav.site-nav a');
        const chrome = await page.evaluate(() => ({
          links: [...document.querySelectorAll('.site-nav a')].map((a) => a.getAttribute('href')),
          current: [...document.querySelectorAll('.site-nav a[aria-current="page"]')].map((a) => a.getAttribute('href')),
          headers: document.querySelectorAll('header.site-header').length,
          radios: [...document.querySelectorAll('input[name="locale"]')].map((r) => r.value),
          skip: document.querySelector('a.skip')?.getAttribute('href'),
          main: Boolean(document.getElementById('main')),
          guardian: document.querySelector('[data-testid="footer-guardian"]')?.getAttribute('href'),
        }));
        assert.deepEqual(chrome, {
          links: ['./index.html', './check.html', './audit.html', './admin.html', './guardian.html', './settings.html'],
          current: [`./${file}`],
          headers: 1,
          radios: ['zh-CN', 'en'],
          skip: '#main',
          main: true,
          guardian: './guardian.html',
        }, file);
        // The chrome follows the language switch.
        await page.locator('label:has([data-testid="locale-en"])').click();
        await page.waitForFunction(() => document.querySelector('[data-site="navRegister"]')?.textContent === 'Sign up');
        await page.locator('label:has([data-testid="locale-zh"])').click();
        await page.waitForFunction(() => document.querySelector('[data-site="navRegister"]')?.textContent === '注册');
      }
    } finally {
      await page.close();
    }
    // Failed API requests are expected here (--no-api); page errors are not.
    assert.deepEqual(watch.problems.filter((p) => p.startsWith('page error')), []);
  });

  test('a language chosen while the page is still loading its modules is applied, not lost', async () => {
    browser ??= await launchChromium();
    const page = await browser.newPage();
    const watch = watchPage(page);
    try {
      // The modules' wasm arrives late (a slow network): the header is there, the page's code is not running yet.
      let release;
      const held = new Promise((resolve) => {
        release = resolve;
      });
      await page.route('**/*.wasm', async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`http://127.0.0.1:${port}/index.html`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('header[data-site-header] nav.site-nav a');
      await page.locator('label:has([data-testid="locale-en"])').click();
      // The chrome follows at once, before the page's module runs.
      await page.waitForFunction(() => document.querySelector('[data-site="navRegister"]')?.textContent === 'Sign up');
      release();
      // When the page binds the switch, it starts in the language chosen meanwhile.
      await page.waitForFunction(() => document.title === 'Sign up with your real name · shiming');
      assert.equal(await page.locator('[data-testid="locale-en"]').isChecked(), true);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    } finally {
      await page.close();
    }
    assert.deepEqual(watch.problems.filter((p) => p.startsWith('page error')), []);
  });
});
