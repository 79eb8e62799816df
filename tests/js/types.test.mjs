// The package's types, checked by the TypeScript compiler (typescript, a pinned devDependency) against the built
// pkg/: the hand-written entry files of npm/ (tsconfig.json), and an application that imports every entry through
// package.json's `exports` (types/consumer.ts). Each tsc run takes a few seconds.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { assertPkgBuilt, pkgDir, repoRoot } from './support.mjs';

const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');

/** Runs tsc; fails the test with its diagnostics unless it exits 0. Returns its output. */
function runTsc(args) {
  const result = spawnSync(tsc, args, { cwd: repoRoot, encoding: 'utf8' });
  assert.ifError(result.error);
  assert.equal(result.status, 0, `tsc ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

describe('TypeScript', () => {
  assertPkgBuilt();
  if (!existsSync(tsc)) throw new Error('node_modules/.bin/tsc is missing: run `bash scripts/setup.sh` (npm ci)');

  test('npm/: the entry points and their .d.ts type-check against pkg/ (strict, checkJs), every file included', () => {
    const listed = new Set(runTsc(['-p', 'tsconfig.json', '--listFiles']).split('\n').map((line) => line.trim()));
    const sources = readdirSync(join(repoRoot, 'npm')).filter((file) => /\.(js|d\.ts)$/.test(file));
    assert.ok(sources.length >= 10, `npm/ holds the entry files (found ${sources.join(', ')})`);
    for (const file of sources) {
      const message = `npm/${file} is not type-checked: add it to tsconfig.json's files`;
      assert.ok(listed.has(join(repoRoot, 'npm', file)), message);
    }
  });

  describe('an application importing every entry (tests/js/types/consumer.ts)', () => {
    const app = mkdtempSync(join(tmpdir(), 'shiming-types-'));
    after(() => rmSync(app, { recursive: true, force: true }));
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(pkgDir, join(app, 'node_modules', 'shiming'), 'dir');
    copyFileSync(join(repoRoot, 'tests', 'js', 'types', 'consumer.ts'), join(app, 'consumer.ts'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', private: true }));

    // Node 20 (nodenext) and bundlers such as Vite (bundler); the library's .d.ts are checked too (no skipLibCheck).
    // wasm-bindgen's classes declare `[Symbol.dispose]()`: without skipLibCheck an application needs
    // lib esnext.disposable (or @types/node), as here.
    for (const [resolution, module] of [['nodenext', 'nodenext'], ['bundler', 'esnext']]) {
      test(`type-checks with moduleResolution ${resolution}`, () => {
        const config = join(app, `tsconfig.${resolution}.json`);
        writeFileSync(config, JSON.stringify({
          compilerOptions: {
            strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'esnext.disposable', 'dom'], types: [],
            module, moduleResolution: resolution,
          },
          files: ['consumer.ts'],
        }));
        runTsc(['-p', config]);
      });
    }
    // A Node server project: no DOM library, only Node's types. The checks, the policy runtime and consent's server side
    // (verifyReceipt) must compile there too: wasm-bindgen's init types are rewritten by the build (portableTypes).
    test('type-checks in a Node project without the DOM library (checks, policy, consent)', () => {
      copyFileSync(join(repoRoot, 'tests', 'js', 'types', 'server.ts'), join(app, 'server.ts'));
      symlinkSync(join(repoRoot, 'node_modules', '@types'), join(app, 'node_modules', '@types'), 'dir');
      const config = join(app, 'tsconfig.nodom.json');
      writeFileSync(config, JSON.stringify({
        compilerOptions: {
          strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'esnext.disposable'], types: ['node'],
          module: 'nodenext', moduleResolution: 'nodenext',
        },
        files: ['server.ts'],
      }));
      runTsc(['-p', config]);
    });
  });
});
