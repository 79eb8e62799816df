// The npm package as it would be published: `npm pack --dry-run --json` in pkg/ lists the files of the tarball.
// It must hold the licence texts, the README and package.json, every file package.json points at, and nothing else
// (no source maps, no tests, no stray build output); every relative link of a shipped Markdown file must point at a
// shipped file (scripts/build.mjs makes the others absolute).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';

import { assertPkgBuilt, pkgDir, repoRoot } from './support.mjs';

assertPkgBuilt();

const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
  cwd: pkgDir,
  encoding: 'utf8',
  maxBuffer: 1 << 26,
});
assert.equal(packed.status, 0, `npm pack --dry-run failed: ${packed.stderr}`);
const [tarball] = JSON.parse(packed.stdout);
const files = new Set(tarball.files.map((f) => f.path));
const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const cargo = readFileSync(join(repoRoot, 'Cargo.toml'), 'utf8');

/** Every string under an `exports` value (conditions nest). */
const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value).flatMap(targets));
const clean = (path) => path.replace(/^\.\//, '');

/** The relative links and images of a Markdown text outside fenced code: `[text](target)`, the text maybe on two
 * lines. */
function relativeLinks(markdown) {
  let fenced = false;
  const prose = [];
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) prose.push(line);
  }
  return [...prose.join('\n').matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map(([, target]) => target)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#'));
}

describe('the npm tarball', () => {
  test('holds package.json, the README and both licence texts', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE']) assert.ok(files.has(file), file);
    assert.equal(manifest.license, 'MIT OR Apache-2.0');
    assert.match(readFileSync(join(pkgDir, 'LICENSE-MIT'), 'utf8'), /^MIT License\n\nCopyright \(c\) the shiming authors\n/);
    assert.match(readFileSync(join(pkgDir, 'LICENSE-APACHE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
  });

  test('every file package.json points at is in it', () => {
    const named = [manifest.main, manifest.module, manifest.types, ...Object.values(manifest.bin), ...targets(manifest.exports),
      ...manifest.sideEffects].map(clean);
    for (const file of named) {
      // A subpath pattern (`./locales/*`) must match packed files.
      const [prefix, suffix] = file.split('*');
      const packed = file.includes('*') ? [...files].some((f) => f.startsWith(prefix) && f.endsWith(suffix)) : files.has(file);
      assert.ok(packed, `${file} (named by package.json) is not packed`);
    }
    // Each `files` entry is packed: a file as itself, a directory with at least one file under it.
    for (const entry of manifest.files) {
      assert.ok(entry.endsWith('/') ? [...files].some((f) => f.startsWith(entry)) : files.has(entry), `files: ${entry}`);
    }
  });

  test('holds nothing else: no source maps, no tests, no stray files', () => {
    const allowed = [
      /^(package\.json|README\.md|LICENSE-MIT|LICENSE-APACHE)$/,
      // The entries of npm/ and their types, and regions.js.
      /^[a-z-]+\.(js|d\.ts)$/,
      // wasm-bindgen's output, one directory per module (the main module at the top).
      /^((policy|consent|sync|all)\/)?shiming(_[a-z]+)?(\.js|\.d\.ts|_bg\.wasm|_bg\.wasm\.d\.ts)$/,
      // Its JS snippets: a crate's JS file (js/checks.js, js/common.js), or an inline block.
      /^((policy|consent|sync|all)\/)?snippets\/shiming-[a-z-]+-[0-9a-f]{16}\/(inline\d+|js\/[a-z]+)\.js$/,
      // The locale tables (generated from the crate's locale files) and their types.
      /^locales\/(zh-Hant|zh-HK|zh-TW|names)\.(js|d\.ts)$/,
      // The conformance suite (the bin).
      /^conformance\/(run\.mjs|README\.md|(lib|checks)\/[a-z-]+\.mjs)$/,
    ];
    for (const file of files) {
      assert.ok(allowed.some((pattern) => pattern.test(file)), `unexpected file in the tarball: ${file}`);
      assert.doesNotMatch(file, /\.map$|\.test\.|(^|\/)tests?\//, file);
    }
    for (const locale of ['zh-Hant', 'zh-HK', 'zh-TW']) assert.ok(files.has(`locales/${locale}.js`), locale);
    // The four modules' .wasm and shiming/all's, and no other.
    assert.deepEqual([...files].filter((f) => f.endsWith('.wasm')).sort(),
      ['all/shiming_all_bg.wasm', 'consent/shiming_consent_bg.wasm', 'policy/shiming_policy_bg.wasm', 'shiming_bg.wasm', 'sync/shiming_sync_bg.wasm']);
  });

  test('every relative link of a shipped Markdown file points at a shipped file', () => {
    const markdown = [...files].filter((f) => f.endsWith('.md'));
    assert.ok(markdown.includes('README.md'));
    for (const file of markdown) {
      for (const target of relativeLinks(readFileSync(join(pkgDir, file), 'utf8'))) {
        const path = posix.normalize(posix.join(posix.dirname(file), target.split('#')[0]));
        assert.ok(files.has(path), `${file} links to ${target}, which the package does not ship`);
      }
    }
    // The README's links into docs/ are absolute addresses in the repository.
    const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
    assert.match(readme, new RegExp(`\\]\\(${manifest.homepage}/blob/main/docs/protocol\\.md\\)`));
    assert.match(readme, new RegExp(`!\\[[^\\]]*\\]\\(${manifest.homepage}/raw/main/docs/screenshots/[a-z-]+\\.png\\)`));
  });

  test('repository, homepage and bugs are the one address of Cargo.toml; engines is where require() works', () => {
    const repository = cargo.match(/^repository = "([^"]+)"$/m)?.[1];
    assert.match(repository, /^https:\/\/github\.com\/[\w-]+\/[\w-]+$/);
    assert.equal(cargo.match(/^homepage = "([^"]+)"$/m)?.[1], repository);
    assert.deepEqual(manifest.repository, { type: 'git', url: `git+${repository}.git` });
    assert.equal(manifest.homepage, repository);
    assert.deepEqual(manifest.bugs, { url: `${repository}/issues` });
    // require() of an ES module without a flag: Node 20.19 and 22.12 (the README's install section).
    assert.equal(manifest.engines.node, '^20.19.0 || >=22.12.0');
  });
});

describe('the package from CommonJS', () => {
  test('require() of the Node entries works on this Node', () => {
    const script = `
      const { checkId } = require('shiming');
      const { evaluatePolicy } = require('shiming/policy');
      const { verifyReceipt } = require('shiming/consent');
      const { SyncClient } = require('shiming/sync');
      // The sync client loads in Node (test runners, SSR); it runs only where there is a window, and says so.
      SyncClient.open({ baseUrl: '/api' }).then(
        () => process.stdout.write('null'),
        (error) => process.stdout.write(JSON.stringify([checkId('11010519491231002X', { asOf: '2024-06-01' }).ok,
          typeof evaluatePolicy, typeof verifyReceipt, error.name, error.message])),
      );`;
    // Resolved through the package's exports, from a directory whose node_modules/shiming is pkg/.
    const dir = mkdtempSync(join(tmpdir(), 'shiming-require-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(pkgDir, join(dir, 'node_modules/shiming'), 'dir');
      const run = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), [true, 'function', 'function', 'TypeError', 'shiming: shiming/sync runs in a browser window']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
