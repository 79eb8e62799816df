// `import { checkId } from 'shiming'` in a Vite 8 production build: the app in tests/js/vite-app resolves
// `shiming` through node_modules/shiming → pkg/ (a symlink this test creates), so the package.json `exports`
// are what is tested. The built dist/ is served by the Rust server (static files only) and loaded in Debian's
// chromium; any console error or warning, page error or failed request fails the test, and so does any warning from
// the Vite build itself.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startRustServer } from './server.mjs';
import { assertPkgBuilt, launchChromium, watchPage, pkgDir } from './support.mjs';

assertPkgBuilt();

const appDir = join(dirname(fileURLToPath(import.meta.url)), 'vite-app');
const distDir = join(appDir, 'dist');
const linkPath = join(appDir, 'node_modules', 'shiming');

let server;
let browser;
const buildWarnings = [];

before(async () => {
  // node_modules/shiming → ../../../../pkg (relative, so the checkout can move).
  await mkdir(dirname(linkPath), { recursive: true });
  const existing = await lstat(linkPath).catch(() => null);
  if (existing) await rm(linkPath, { recursive: true, force: true });
  await symlink(relative(dirname(linkPath), pkgDir), linkPath, 'dir');

  const { build, createLogger } = await import('vite');
  const logger = createLogger('warn', { allowClearScreen: false });
  const { warn, error } = logger;
  logger.warn = (msg, options) => {
    buildWarnings.push(`warn: ${msg}`);
    warn(msg, options);
  };
  logger.warnOnce = logger.warn;
  logger.error = (msg, options) => {
    buildWarnings.push(`error: ${msg}`);
    error(msg, options);
  };
  await build({
    root: appDir,
    configFile: false,
    logLevel: 'warn',
    customLogger: logger,
    build: { outDir: distDir, emptyOutDir: true },
  });
  server = await startRustServer({ args: ['--no-api'], mounts: [{ prefix: '/', dir: distDir }] });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the Vite build emitted the .wasm as an asset, without warnings', async () => {
  const assets = await readdir(join(distDir, 'assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `no .wasm in dist/assets: ${assets.join(', ')}`);
  assert.ok(assets.some((f) => f.endsWith('.js')));
  // The region names are their own chunk (loaded by loadRegionNames), not part of the entry.
  assert.ok(assets.some((f) => /^regions-.*\.js$/.test(f)), `no regions chunk: ${assets.join(', ')}`);
  // Each Traditional Chinese table is a chunk of its own, loaded on demand.
  for (const locale of ['zh-Hant', 'zh-HK', 'zh-TW']) {
    assert.ok(assets.some((f) => f.startsWith(`${locale}-`) && f.endsWith('.js')), `no ${locale} chunk: ${assets.join(', ')}`);
  }
  // Two wasm modules: the checks, and the policy runtime (its own asset, fetched only by its lazy chunk).
  assert.equal(assets.filter((f) => f.endsWith('.wasm')).length, 2, assets.join(', '));
  assert.deepEqual(buildWarnings, [], `the Vite build warned:\n${buildWarnings.join('\n')}`);
});

test('the built app runs in chromium and checks IDs with no init call', async () => {
  browser = await launchChromium();
  const page = await browser.newPage();
  const watch = watchPage(page);
  try {
    await page.goto(`${server.base}/`);
    await page.waitForSelector('body[data-ready="true"]');
    const out = JSON.parse(await page.getByTestId('out').textContent());

    assert.equal(out.valid.ok, true);
    assert.equal(out.valid.value.kind, 'cn_resident');
    assert.equal(out.valid.value.birthDate, '1949-12-31');
    assert.equal(out.valid.value.gender, 'female');
    assert.equal(out.valid.value.region.code, '110105');
    assert.equal(out.valid.value.region.county, '朝阳区');

    assert.equal(out.invalid.ok, false);
    const issue = out.invalid.issues.find((i) => i.code === 'id_checksum_mismatch');
    assert.ok(issue, JSON.stringify(out.invalid.issues.map((i) => i.code)));
    assert.equal(issue.params.expected, '7');
    assert.match(issue.message, /7/);
    assert.match(issue.message, /[\u4e00-\u9fff]/);

    assert.equal(out.legacy.ok, true);
    assert.equal(out.legacy.value.upgraded, '11010519491231002X');

    assert.deepEqual(out.isValid, [true, false]);
    assert.deepEqual(
      { total: out.batch.total, valid: out.batch.valid, invalid: out.batch.invalid },
      { total: 3, valid: 2, invalid: 1 },
    );
    assert.deepEqual(out.batch.byCode, { id_checksum_mismatch: 1 });
    assert.equal(out.batch.status[0], 0);
    assert.notEqual(out.batch.status[1], 0);
    assert.equal(out.web, true);
    assert.deepEqual(out.names, { before: false, after: true, codeOnly: { code: '110105' } });
    assert.deepEqual(out.policy, { allowed: true, code: 'adult', message: 'Grown-up' });
    // zh-HK before its table was loaded: zh-CN; after: Hong Kong's Traditional Chinese.
    assert.match(out.locales.hkBefore, /校验码/);
    assert.equal(out.locales.hkLocale, 'zh-HK');
    assert.match(out.locales.hkAfter, /校驗碼|檢驗碼|檢查碼/);
    assert.match(out.locales.hkAfter, /身份證/);

    watch.assertClean(assert);
  } finally {
    await page.close();
  }
});
