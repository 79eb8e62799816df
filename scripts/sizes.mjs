#!/usr/bin/env node
// Where each wasm module's bytes go (issue 19, item 1): `node scripts/sizes.mjs [--module NAME] [--json] [--top N]`.
//
// For each module of scripts/build.mjs's MODULES (read from its source, with WASM_OPT_FLAGS and the -O level, so the
// two never drift): cargo build with the module's profile as build.mjs does; wasm-bindgen twice, as shipped and with --keep-debug;
// wasm-opt with build.mjs's flags on both, plus -g on the second so that the "name" section survives. The shipped-like
// build gives the gzip -9 total; the named one, less its name section, must be within 1% of it raw (printed).
// The named build is then parsed here (no twiggy: CI does not have it): sections, each function body of the code
// section, each data segment, the name section's function and data-segment names. Bytes are put in categories:
//   rules      code named shiming::<module>::… (by the core's top-level module: id, name, phone, i18n, …)
//   messages   bytes of data segments that are message text: every string literal of src/i18n/<locale>.rs of 6
//              bytes or more, found in the data (matching, not a rebuild without the message features)
//   tables     the rest of .rodata: binary (region tables, phone segments, bitmaps, …) and other text (runs of 8 or
//              more printable ASCII bytes with letters: panic and assertion messages, field and property names, …)
//   glue       serde, serde_wasm_bindgen, wasm_bindgen, js_sys, the bindings crates (shiming_*_js, DTOs), the
//              exported "… externref shim" functions (which have the bindings' code, and some of the core's, inlined
//              into them) and js_sys's future_to_promise closures (which have the bindings' async fns inlined)
//   std        the allocator (talc; dlmalloc before), core/alloc fmt, panic, str, the rest of core/alloc/std, and their generics over shiming types
//   other      code whose name says none of the above, .data (statics, vtables), and the module's structure
//              (section headers, types, imports, exports, element and global sections, the body-size prefixes)
// Shallow bytes sum to the file's size without the name section. Gzip share, an estimate: each category's bytes are
// concatenated and compressed on their own (raw deflate, level 9: no per-row header), and those sizes are scaled so
// that they sum to GNU `gzip -9` of the shipped-like module. The parser is exported for tests/js/sizes.test.mjs,
// which runs it on pkg/. Exits 1 if a named build is more than 1% off the shipped size (the names changed the code).

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// --- the wasm binary ----------------------------------------------------------------------------------------------

/** Parses a wasm module: sections, function bodies (with names), data segments (with names). Offsets are absolute. */
export function parseWasm(bytes) {
  let p = 0;
  const u32 = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++];
      if (b === undefined) throw new Error('truncated LEB128');
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
    }
  };
  const str = () => {
    const n = u32();
    p += n;
    return Buffer.from(bytes.buffer, bytes.byteOffset + p - n, n).toString('utf8');
  };
  const expr = () => { // a constant expression: skip to its `end` (0x0b) without misreading immediates
    for (;;) {
      const op = bytes[p++];
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) u32(); // i32/i64.const (LEB skipped), global.get, ref.func
      else if (op === 0xd0) p++; // ref.null t
      else if (op === undefined) throw new Error('truncated expression');
    }
  };
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  p = 8;
  const sections = [];
  const functions = [];
  const data = [];
  const names = { functions: new Map(), data: new Map() };
  let importedFunctions = 0;
  while (p < bytes.length) {
    const start = p;
    const id = bytes[p++];
    const size = u32();
    const payload = p;
    const end = p + size;
    let name = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code',
      'data', 'datacount', 'tag'][id] ?? `unknown ${id}`;
    if (id === 0) name = str();
    if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        str(); str();
        const kind = bytes[p++];
        if (kind === 0) { u32(); importedFunctions++; } else if (kind === 1) { p++; const f = u32(); u32(); if (f & 1) u32(); }
        else if (kind === 2) { const f = u32(); u32(); if (f & 1) u32(); } else if (kind === 3) p += 2;
        else if (kind === 4) { p++; u32(); } else throw new Error(`import kind ${kind}`);
      }
    } else if (id === 10) {
      for (let n = u32(), i = 0; i < n; i++) {
        const at = p;
        const body = u32();
        functions.push({ index: importedFunctions + i, start: at, end: p + body, size: p + body - at });
        p += body;
      }
    } else if (id === 11) {
      for (let n = u32(), i = 0; i < n; i++) {
        const at = p;
        const flags = u32();
        if (flags === 2) u32();
        if (flags !== 1) expr();
        const length = u32();
        data.push({ index: i, start: at, bytesStart: p, end: p + length, size: p + length - at });
        p += length;
      }
    } else if (id === 0 && name === 'name') {
      while (p < end) {
        const sub = bytes[p++];
        const subEnd = u32() + p;
        const map = sub === 1 ? names.functions : sub === 9 ? names.data : null;
        if (map) for (let n = u32(); n > 0; n--) { const index = u32(); map.set(index, str()); }
        p = subEnd;
      }
    }
    sections.push({ id, name, start, payload, end, size: end - start });
    p = end;
  }
  for (const f of functions) f.name = names.functions.get(f.index) ?? '';
  for (const d of data) d.name = names.data.get(d.index) ?? '';
  return { size: bytes.length, sections, functions, data, importedFunctions, hasNames: names.functions.size > 0 };
}

// --- categories ---------------------------------------------------------------------------------------------------

/** A readable function name: no `::h<hash>` suffix, no `[<hash>]` crate disambiguator. */
export const cleanName = (name) => name.replace(/::h[0-9a-f]{16}/g, '').replace(/\[[0-9a-f]{16}\]/g, '');

/** The category of a function, `group/row`, from its (demangled) name. */
export function functionCategory(raw) {
  const name = cleanName(raw);
  if (!name) return 'other/unnamed code';
  const crates = [...name.matchAll(/(?:^|[^A-Za-z0-9_:])([A-Za-z_][A-Za-z0-9_]*)::/g)].map((m) => m[1]);
  const has = (re) => crates.some((c) => re.test(c));
  if (/externref shim|multivalue shim/.test(name) || /^__wbg|^__wbindgen|^__externref/.test(name)) return 'glue/exported shims';
  if (has(/^shiming_(\w+_js|js_common)$/)) return 'glue/bindings crates (DTOs)';
  // The closures of future_to_promise / spawn_local hold the bindings' async fns, inlined: bindings code in js_sys's name.
  if (/future_to_promise|spawn_local|wasm_bindgen_futures/.test(name)) return 'glue/async bodies (future_to_promise)';
  if (has(/^serde_wasm_bindgen$/)) return 'glue/serde_wasm_bindgen';
  if (has(/^serde(_core|_derive)?$/)) return 'glue/serde';
  if (has(/^wasm_bindgen$/)) return 'glue/wasm_bindgen';
  if (has(/^js_sys$/)) return 'glue/js_sys';
  if (crates[0] === 'shiming') return `rules/shiming::${/^<?shiming::(\w+)/.exec(name)?.[1] ?? '?'}`;
  if (has(/^(dlmalloc|talc)$/) || /^(malloc|free|realloc|calloc|__rust_(alloc|dealloc|realloc)|__rdl_)/.test(name)) return 'std/allocator (talc)';
  if (/\bfmt\b|Formatter|Debug|Display/.test(name)) return 'std/fmt';
  if (/panic|unwrap_failed|expect_failed|slice_.*_fail|bounds_check|slice_index/.test(name)) return 'std/panic';
  if (/(core|alloc)::str\b|^<str\b|^<char\b|utf8|unicode/.test(name)) return 'std/str, char, unicode';
  const generic = crates.includes('shiming');
  if (has(/^(core|alloc|std|compiler_builtins|hashbrown)$/) || /^<?\[|^<(u8|u16|u32|u64|usize|i\d+|bool)\b|^mem(cpy|set|move|cmp)$|^__/.test(name)) {
    return generic ? 'std/core, alloc generics over shiming types' : 'std/core, alloc (other)';
  }
  return 'other/other named code';
}

/** Message text: every string literal of src/i18n/<locale>.rs (not mod.rs) of at least 6 bytes, as UTF-8. */
export function messageStrings(dir = join(root, 'src/i18n')) {
  const out = new Set();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.rs') && f !== 'mod.rs')) {
    const text = readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => !/^\s*\/\//.test(l)).join('\n');
    for (const m of text.matchAll(/"((?:[^"\\]|\\[\s\S])*)"/g)) {
      const s = m[1].replace(/\\\n\s*/g, '').replace(/\\u\{([0-9a-fA-F]+)\}/g, (_, h) => String.fromCodePoint(parseInt(h, 16)))
        .replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t', r: '\r', 0: '\0' })[c] ?? c);
      if (Buffer.byteLength(s) >= 6) out.add(s);
    }
  }
  return [...out].map((s) => Buffer.from(s));
}

/**
 * Shallow bytes per category (`group/row`) of a parsed module, with each category's bytes for the gzip estimate.
 * The rows sum to the module's size less its name section.
 */
export function categorise(bytes, module, messages) {
  const rows = new Map();
  const add = (key, chunk) => {
    const row = rows.get(key) ?? { key, bytes: 0, chunks: [] };
    row.bytes += chunk.length;
    row.chunks.push(chunk);
    rows.set(key, row);
  };
  const covered = [];
  for (const s of module.sections) if (s.name === 'name') covered.push([s.start, s.end]);
  for (const f of module.functions) {
    add(functionCategory(f.name), bytes.subarray(f.start, f.end));
    covered.push([f.start, f.end]);
  }
  for (const d of module.data) {
    const body = bytes.subarray(d.bytesStart, d.end);
    const isMessage = new Uint8Array(body.length);
    for (const m of messages) {
      for (let at = body.indexOf(m); at !== -1; at = body.indexOf(m, at + 1)) isMessage.fill(1, at, at + m.length);
    }
    // Other text: runs of 8 or more printable ASCII bytes with letters (panic and assertion messages, field and
    // property names, error texts); the rest of .rodata is binary tables.
    for (let i = 0; i < body.length;) {
      let j = i;
      while (j < body.length && !isMessage[j] && ((body[j] >= 0x20 && body[j] < 0x7f) || body[j] === 0x0a)) j++;
      if (j - i >= 8 && /[A-Za-z].*[A-Za-z]/.test(body.toString('latin1', i, j))) isMessage.fill(2, i, j);
      i = Math.max(j, i + 1);
    }
    const kinds = /^\.t?data/.test(d.name) ? ['other/.data (statics, vtables)', 'messages/messages', 'other/.data (statics, vtables)']
      : ['tables/binary (lookup tables, bitmaps, vtables, …)', 'messages/messages', 'tables/other text (panics, field names, …)'];
    let from = 0;
    for (let i = 1; i <= body.length; i++) {
      if (i === body.length || isMessage[i] !== isMessage[from]) {
        add(kinds[isMessage[from]], body.subarray(from, i));
        from = i;
      }
    }
    covered.push([d.bytesStart, d.end]);
  }
  // Everything else, by the section it is in: the header, section headers, the type, import, export, element, …
  // sections, the data segments' headers, the code bodies' size prefixes.
  const structure = (from, to) => {
    for (let i = from; i < to;) {
      const s = module.sections.find((x) => x.start <= i && i < x.end);
      const end = Math.min(to, s ? s.end : module.sections.find((x) => x.start > i)?.start ?? to);
      const what = s?.id === 11 ? 'data segment headers' : s?.id === 2 || s?.id === 7 ? 'imports, exports' : 'other sections';
      add(`other/structure: ${what}`, bytes.subarray(i, end));
      i = end;
    }
  };
  covered.sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [start, end] of covered) {
    if (start > at) structure(at, start);
    at = Math.max(at, end);
  }
  structure(at, bytes.length);
  return [...rows.values()];
}

/** Adds each row's gzip estimate: its bytes compressed alone, scaled so that the rows sum to `gzipTotal`. */
export function estimateGzip(rows, gzipTotal) {
  for (const row of rows) row.alone = deflateRawSync(Buffer.concat(row.chunks), { level: 9 }).length;
  const sum = rows.reduce((s, r) => s + r.alone, 0);
  for (const row of rows) row.gzip = Math.round((row.alone * gzipTotal) / sum);
  return rows;
}

const GROUPS = ['rules', 'messages', 'tables', 'glue', 'std', 'other'];

/** The printed table: a line per group, its rows below it, largest first. */
export function formatTable(title, rows, total, gzipTotal) {
  const lines = [title, `${'category'.padEnd(48)} ${'shallow B'.padStart(9)} ${'%'.padStart(6)} ${'≈ gzip B'.padStart(9)} ${'%'.padStart(6)}`];
  const line = (label, b, g) => lines.push(`${label.padEnd(48)} ${String(b).padStart(9)} ${(100 * b / total).toFixed(1).padStart(6)} `
    + `${String(g).padStart(9)} ${(100 * g / gzipTotal).toFixed(1).padStart(6)}`);
  for (const group of GROUPS) {
    const members = rows.filter((r) => r.key.startsWith(`${group}/`)).sort((a, b) => b.bytes - a.bytes);
    if (!members.length) continue;
    line(group, members.reduce((s, r) => s + r.bytes, 0), members.reduce((s, r) => s + r.gzip, 0));
    if (members.length > 1 || members[0].key !== `${group}/${group}`) for (const r of members) line(`  ${r.key.slice(group.length + 1)}`, r.bytes, r.gzip);
  }
  line('total', rows.reduce((s, r) => s + r.bytes, 0), rows.reduce((s, r) => s + r.gzip, 0));
  return lines.join('\n');
}

// --- the named build ----------------------------------------------------------------------------------------------

/** build.mjs's MODULES, WASM_OPT_FLAGS and default -O level, evaluated from its source text. */
export function buildConfig() {
  const source = readFileSync(join(root, 'scripts/build.mjs'), 'utf8');
  const literal = (name) => {
    const m = new RegExp(`const ${name} = (\\[[\\s\\S]*?\\n?\\]);`).exec(source);
    if (!m) throw new Error(`scripts/build.mjs has no ${name}: update scripts/sizes.mjs`);
    return new Function(`return ${m[1]};`)();
  };
  const opt = /process\.env\.SHIMING_WASM_OPT \|\| '([^']+)'/.exec(source)?.[1];
  if (!opt) throw new Error('scripts/build.mjs has no default -O level: update scripts/sizes.mjs');
  return { modules: literal('MODULES'), flags: literal('WASM_OPT_FLAGS'), opt: process.env.SHIMING_WASM_OPT || opt };
}

function run(command, args, capture = false) {
  const r = spawnSync(command, args, { cwd: root, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${r.status ?? r.error?.message})`);
  return r.stdout;
}
const gzip9 = (file) => spawnSync('gzip', ['-9', '-c', file], { maxBuffer: 1 << 30 }).stdout.length;

/** Builds one module twice (shipped-like, named) into `tmp`; returns both paths. */
function buildModule(module, config, tmp) {
  // The profile build.mjs builds it with (`release` unless its row says otherwise).
  const messages = run('cargo', ['build', '--profile', module.profile ?? 'release', '--lib', '--target',
    'wasm32-unknown-unknown', ...module.cargo, '--message-format=json-render-diagnostics'], true).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  // Only the selected crate's (shiming-all-js's build also makes the cdylibs of the crates it links).
  const crate = module.cargo[module.cargo.indexOf('-p') + 1].replaceAll('-', '_');
  const wasm = messages.filter((m) => m.reason === 'compiler-artifact' && m.target?.name.replaceAll('-', '_') === crate)
    .flatMap((m) => m.filenames).filter((f) => f.endsWith('.wasm'));
  if (wasm.length !== 1) throw new Error(`expected one .wasm from cargo build ${module.cargo.join(' ')}`);
  const input = join(tmp, `${module.name}.wasm`);
  copyFileSync(wasm[0], input);
  const out = {};
  for (const [kind, bindgen, opt] of [['shipped', [], []], ['named', ['--keep-debug'], ['-g']]]) {
    const dir = join(tmp, kind, module.name);
    mkdirSync(dir, { recursive: true });
    run('wasm-bindgen', ['--target', 'web', ...bindgen, '--out-dir', dir, '--out-name', module.name, input]);
    out[kind] = join(dir, `${module.name}_bg.wasm`);
    if (config.opt !== 'none') run(join(root, 'node_modules/.bin/wasm-opt'), [config.opt, ...opt, ...config.flags, out[kind], '-o', out[kind]]);
  }
  return out;
}

/** Everything printed for one module: the table and the top functions. */
export function report(name, bytes, gzipTotal, { top = 15, messages = messageStrings() } = {}) {
  const module = parseWasm(bytes);
  const nameSection = module.sections.filter((s) => s.name === 'name').reduce((s, x) => s + x.size, 0);
  const rows = estimateGzip(categorise(bytes, module, messages), gzipTotal);
  const topFunctions = [...module.functions].sort((a, b) => b.size - a.size).slice(0, top)
    .map((f) => ({ name: cleanName(f.name) || `function ${f.index}`, bytes: f.size, category: functionCategory(f.name) }));
  return { module: name, size: bytes.length - nameSection, nameSection, gzip: gzipTotal, functions: module.functions.length,
    dataSegments: module.data.length, rows: rows.map(({ key, bytes: b, gzip }) => ({ key, bytes: b, gzip })), topFunctions };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = { module: null, json: false, top: 15 };
  for (let i = 2; i < process.argv.length; i++) {
    const a = process.argv[i];
    if (a === '--module') args.module = process.argv[++i];
    else if (a === '--json') args.json = true;
    else if (a === '--top') args.top = Number(process.argv[++i]);
    else {
      console.error(`unknown argument ${a}\nusage: node scripts/sizes.mjs [--module NAME] [--json] [--top N]`);
      process.exit(2);
    }
  }
  process.env.PATH = `${process.env.CARGO_HOME || join(process.env.HOME ?? '', '.cargo')}/bin:${process.env.PATH}`;
  const config = buildConfig();
  const modules = config.modules.filter((m) => !args.module || m.name === args.module || m.entry === args.module);
  if (!modules.length) throw new Error(`no module ${args.module}: one of ${config.modules.map((m) => m.name).join(', ')}`);
  const tmp = mkdtempSync(join(tmpdir(), 'shiming-sizes-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const reports = [];
  for (const m of modules) {
    console.error(`[sizes] building ${m.name} (cargo ${m.cargo.join(' ')}, wasm-bindgen, wasm-opt ${config.opt} twice)`);
    const built = buildModule(m, config, tmp);
    const r = report(m.name, readFileSync(built.named), gzip9(built.shipped), { top: args.top });
    r.shipped = statSync(built.shipped).size;
    r.namedVsShipped = (r.size - r.shipped) / r.shipped;
    if (Math.abs(r.namedVsShipped) > 0.01) {
      console.error(`[sizes] error: ${m.name}: the named build is ${(100 * r.namedVsShipped).toFixed(2)}% off the shipped size`);
      process.exitCode = 1;
    }
    reports.push(r);
  }
  if (args.json) console.log(JSON.stringify(reports, null, 2));
  else {
    for (const r of reports) {
      const title = `${r.module}: ${r.shipped} B shipped, ${r.gzip} B gzip -9; named build ${r.size} B without its name section `
        + `(${r.namedVsShipped >= 0 ? '+' : ''}${(100 * r.namedVsShipped).toFixed(2)}%), ${r.functions} functions, ${r.dataSegments} data segments`;
      console.log(`${formatTable(title, r.rows, r.size, r.gzip)}\n\ntop ${r.topFunctions.length} functions of ${r.module}:`);
      for (const f of r.topFunctions) console.log(`${String(f.bytes).padStart(7)}  ${f.category.padEnd(36)} ${f.name.slice(0, 110)}`);
      console.log('');
    }
  }
}
