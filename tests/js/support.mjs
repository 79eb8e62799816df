// Shared helpers of the JS tests (not a test file itself: node --test only runs *.test.mjs).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const pkgDir = join(repoRoot, 'pkg');

/** The public standard examples (GB 11643-1999 and the brief): the only numbers tests may print. */
export const EXAMPLES = {
  valid: '11010519491231002X', // female, born 1949-12-31, Beijing Chaoyang
  valid2: '110101199003074477', // male, born 1990-03-07, Beijing Dongcheng
  legacy: '110105491231002', // 15-digit; upgrades to 11010519491231002X
  badChecksum: '110101199003074478', // check character should be 7
};

/**
 * Fails (never skips) when pkg/ has not been built, with the command that builds it.
 */
export function assertPkgBuilt() {
  for (const file of ['package.json', 'node.js', 'index.js', 'shiming.js', 'shiming_bg.wasm', 'policy-node.js', 'policy/shiming_policy_bg.wasm']) {
    if (!existsSync(join(pkgDir, file))) {
      throw new Error(`pkg/${file} is missing: build the package first with \`bash scripts/build.sh\``);
    }
  }
}

/** Imports pkg/node.js (the Node entry) after checking that pkg/ exists. */
export async function importPkg(file = 'node.js') {
  assertPkgBuilt();
  return import(pathToFileURL(join(pkgDir, file)).href);
}

/** Launch options of Debian's chromium, exactly as TOOLCHAIN.md says. */
export const CHROMIUM_LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch(CHROMIUM_LAUNCH);
}

/**
 * Records every console error or warning, page error, failed request and HTTP error response of a page.
 * `assertClean()` fails the test if anything was recorded.
 */
export function watchPage(page) {
  const problems = [];
  const consoleTexts = [];
  page.on('console', (message) => {
    const type = message.type();
    consoleTexts.push(message.text());
    if (type === 'error' || type === 'warning' || type === 'assert') {
      problems.push(`console.${type}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.stack || error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return {
    problems,
    /** Every console message's text, of any type (to check that no personal data is logged). */
    consoleTexts,
    assertClean(assert) {
      assert.deepEqual(problems, [], `the page reported problems:\n${problems.join('\n')}`);
    },
  };
}

/** Closes an http.Server, including idle keep-alive connections (a leaked handle hangs node --test). */
export function closeServer(server) {
  if (!server) return Promise.resolve();
  return new Promise((resolvePromise) => {
    server.close(() => resolvePromise());
    server.closeAllConnections?.();
  });
}

/** Appends the ISO 7064 MOD 11-2 check character (GB 11643-1999) to 17 digits. */
export function withCheck(body17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(body17[i]) * weights[i];
  return body17 + '10X98765432'[sum % 11];
}

/** Today in Asia/Shanghai, and a birth date `years` (and a few months) before it. */
export function birthDateYearsAgo(years) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date());
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  // Four months earlier than the anniversary (day 1 to stay a real date): the age is exactly `years`.
  let year = get('year') - years;
  let month = get('month') - 4;
  if (month < 1) {
    month += 12;
    year -= 1;
  }
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

/** Reads one agreement the way a person does: scrolls its box to the end with the wheel, then ticks its box. */
export async function readAndAccept(page, kind) {
  const box = page.getByTestId(`doc-text-${kind}`);
  await box.scrollIntoViewIfNeeded();
  await box.hover();
  // As many 300 px turns of the wheel as the text needs (a longer text is a longer read), and a few more.
  const turns = Math.ceil((await box.evaluate((b) => b.scrollHeight)) / 300) + 5;
  for (let i = 0; i < turns; i += 1) {
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(30);
    if (await box.evaluate((b) => b.scrollTop + b.clientHeight >= b.scrollHeight - 2)) break;
  }
  const checkbox = page.getByTestId(`accept-${kind}`);
  await page.waitForFunction((id) => !document.getElementById(id).disabled, `accept-${kind}`, { timeout: 10_000 });
  await checkbox.click();
  assert.equal(await checkbox.isChecked(), true);
  await page.waitForSelector(`[data-testid="doc-${kind}"][data-state="accepted"]`);
}
