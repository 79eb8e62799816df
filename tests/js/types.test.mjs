// The package's types, checked by the TypeScript compiler (typescript, a pinned devDependency) against the built
// pkg/: the hand-written entry files of npm/ (tsconfig.json), and an application that imports every entry through
// package.json's `exports` (types/consumer.ts). Each tsc run takes a few seconds.
// Then the README's examples, against the packed package (`npm pack` of pkg/, unpacked into node_modules/shiming):
// every ```ts and ```js block is compiled by `tsc --strict` (no skipLibCheck) under moduleResolution bundler and
// node16, each block a module of its own, compiled as TypeScript (so that a JS example is clean for a TS user too),
// with a typed TanStack Form example beside them (types/tanstack.ts). A block may be preceded by one HTML comment:
//   <!-- example prelude: …TypeScript… -->   declarations of what the example leaves to the reader (its form, its
//                                            render function), compiled before the block;
//   <!-- example: skip, <why> -->            not compiled: only signature listings in the README's shorthand, and
//                                            one list of alternative imports (each is run by tests/bundlers/).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

/**
 * The README's ```ts and ```js blocks: { line, lang, code, prelude, skip } each, with the HTML comment that precedes
 * the fence read as a prelude or a skip (see the top of this file).
 */
function readmeExamples(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i += 1) {
    const fence = /^```(\w+)?/.exec(lines[i]);
    if (!fence) continue;
    const start = i;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end += 1;
    if (fence[1] === 'ts' || fence[1] === 'js') {
      let comment = '';
      if (/-->\s*$/.test(lines[start - 1] ?? '')) {
        let first = start - 1;
        while (first > 0 && !lines[first].startsWith('<!--')) first -= 1;
        comment = lines.slice(first, start).join('\n');
      }
      const prelude = /^<!-- example prelude:([\s\S]*)-->$/.exec(comment)?.[1].trim() ?? '';
      const skip = /^<!-- example: skip, ([^\n]+) -->$/.exec(comment)?.[1] ?? null;
      if (comment.startsWith('<!-- example') && !prelude && !skip) throw new Error(`README.md:${start}: malformed ${comment}`);
      blocks.push({ line: start + 1, lang: fence[1], code: lines.slice(start + 1, end).join('\n'), prelude, skip });
    }
    i = end;
  }
  return blocks;
}

describe('the README examples and a TanStack Form example compile against the packed package', () => {
  assertPkgBuilt();
  const blocks = readmeExamples(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
  const compiled = blocks.filter((block) => !block.skip);

  test('the README has examples, and skips only signature listings and one list of alternatives', () => {
    assert.ok(compiled.length >= 9, `only ${compiled.length} README examples are compiled`);
    const skipped = blocks.filter((block) => block.skip);
    for (const block of skipped) {
      // A skipped block is never a program of its own: a signature listing has no import, and the one list of
      // alternatives imports one name several times.
      const imports = block.code.match(/^import /gm)?.length ?? 0;
      const signature = imports === 0 && block.lang === 'ts' && /signature listing/.test(block.skip);
      assert.ok(signature || /one import per environment/.test(block.skip), `README.md:${block.line} skipped: ${block.skip}`);
    }
    assert.ok(skipped.filter((block) => !/signature listing/.test(block.skip)).length <= 1);
  });

  const app = mkdtempSync(join(tmpdir(), 'shiming-readme-'));
  after(() => rmSync(app, { recursive: true, force: true }));
  // The tarball as npm publishes it, unpacked where an install puts it.
  const packed = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', app], { cwd: pkgDir, encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stderr);
  const tarball = join(app, JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))[0].filename);
  mkdirSync(join(app, 'node_modules'));
  const untar = spawnSync('tar', ['xzf', tarball, '-C', join(app, 'node_modules')]);
  assert.equal(untar.status, 0, String(untar.stderr));
  spawnSync('mv', [join(app, 'node_modules', 'package'), join(app, 'node_modules', 'shiming')]);
  // The libraries the examples use, as installed for the repository (pinned devDependencies).
  for (const dep of ['@tanstack', 'zod']) symlinkSync(join(repoRoot, 'node_modules', dep), join(app, 'node_modules', dep), 'dir');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  const files = compiled.map((block) => {
    const file = `readme-${block.line}.ts`;
    writeFileSync(join(app, file), `${block.prelude}\n// README.md line ${block.line}\n${block.code}\nexport {};\n`);
    return file;
  });
  copyFileSync(join(repoRoot, 'tests', 'js', 'types', 'tanstack.ts'), join(app, 'tanstack.ts'));
  files.push('tanstack.ts');

  for (const [resolution, module] of [['bundler', 'esnext'], ['node16', 'node16']]) {
    test(`tsc --strict, moduleResolution ${resolution}: ${files.length} files`, () => {
      const config = join(app, `tsconfig.${resolution}.json`);
      writeFileSync(config, JSON.stringify({
        compilerOptions: {
          strict: true, skipLibCheck: false, noEmit: true, target: 'es2022',
          lib: ['es2022', 'dom', 'dom.iterable', 'esnext.disposable'], types: [], module, moduleResolution: resolution,
        },
        files,
      }));
      // Diagnostics name the README line: "readme-<line>.ts(<row>,<col>)", <row> counted from the prelude.
      runTsc(['-p', config]);
    });
  }
});
