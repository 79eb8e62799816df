// `npm run bench`: throughput of the shiming package against its peers, in one Node process.
//
//   node bench/bench.mjs [--n 1000000] [--seed N] [--no-native] [--quick]
//
// Builds the deterministic corpus (bench/corpus.mjs), then measures IDs/s (best of several runs after a
// warm-up; every run is printed) for checkIdBatch from a JS string and from bytes, isValidId and checkId
// in a loop, checkRegistration (whole forms/s) in a loop, and the peers (npm idcard, validator, id-validator). It prints how each peer's verdicts
// differ from shiming's, the ratio of each shiming path to the fastest peer, the native core's figure
// (cargo run --release --example native_bench) and its instructions per line under callgrind (bench/callgrind.mjs,
// when valgrind is installed), the .wasm size raw and gzipped, and the time to
// instantiate plus the first check. Results also go to bench/out/latest.json.
//
// SHIMING_PKG_DIR measures another build of the package than pkg/ (one built with `SHIMING_PKG_DIR=… bash
// scripts/build.sh`), e.g. to compare two builds alternately in one session.

import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync, constants as zlibConstants } from 'node:zlib';
import os from 'node:os';
import { makeCorpus, writeCorpus, AS_OF, DEFAULT_N, DEFAULT_SEED, KINDS } from './corpus.mjs';
import { callgrindPerLine, describe as describeCallgrind, hasValgrind, wasmCallgrindPerLine } from './callgrind.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'bench/out');
const PKG_DIR = process.env.SHIMING_PKG_DIR ? resolve(process.env.SHIMING_PKG_DIR) : join(ROOT, 'pkg');
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- arguments
const args = { n: DEFAULT_N, seed: DEFAULT_SEED, native: true, quick: false };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--n') args.n = Number(process.argv[++i]);
  else if (a === '--seed') args.seed = Number(process.argv[++i]);
  else if (a === '--no-native') args.native = false;
  else if (a === '--quick') args.quick = true;
  else {
    console.error(`unknown argument ${a}\nusage: node bench/bench.mjs [--n 1000000] [--seed N] [--no-native] [--quick]`);
    process.exit(2);
  }
}
if (!Number.isInteger(args.n) || args.n < 1) throw new Error('--n must be a positive integer');

const RUNS = args.quick ? { batch: 3, loop: 2, peer: 2 } : { batch: 9, loop: 5, peer: 3 };
const CHECK_ID_SAMPLE = Math.min(args.n, 200_000);
const REGISTRATION_SAMPLE = Math.min(args.n, 100_000);
const PHONE_SAMPLE = Math.min(args.n, 200_000);
const NAME_SAMPLE = Math.min(args.n, 200_000);
const PEER_SAMPLE = Math.min(args.n, 200_000);
const OPTIONS = Object.freeze({ asOf: AS_OF });

// ---------------------------------------------------------------- helpers
const fmtRate = (r) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : `${(r / 1e3).toFixed(0)} k`);
const fmtInt = (x) => x.toLocaleString('en-US');
const pct = (a, b) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(2)}%`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
function table(headers, rows, leftCols = [0]) {
  const widths = headers.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (leftCols.includes(i) ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
const section = (title) => console.log(`\n== ${title}`);

/** Best of `runs` timed calls of fn (after one warm-up call); fn returns a checksum number. */
function measure(label, count, fn, runs, { warmup = true, unit = 'IDs' } = {}) {
  let check = warmup ? fn() : undefined;
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const c = fn();
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    if (check !== undefined && c !== check) throw new Error(`${label}: run ${r} returned ${c}, warm-up returned ${check}`);
    check = c;
    rates.push(count / secs);
  }
  const best = Math.max(...rates);
  console.log(`  ${label.padEnd(34)} best ${fmtRate(best).padStart(9)} ${unit}/s   runs: ${rates.map(fmtRate).join(', ')}   (${fmtInt(count)} ${unit}, ${fmtInt(check)} valid)`);
  return { label, count, best, runs: rates, valid: check };
}

const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, platform: `${os.platform()} ${os.arch()}` },
  corpus: null,
  shiming: {},
  peers: {},
  peerErrors: {},
  agreement: {},
  consistency: {},
  ratios: {},
  native: null,
  wasm: null,
  instantiate: null,
  problems: [],
};
const problem = (msg) => {
  results.problems.push(msg);
  console.log(`  !! ${msg}`);
};

console.log(`shiming bench — node ${process.version}, ${results.machine.cpu} × ${results.machine.cores}, as-of ${AS_OF}`);

// ---------------------------------------------------------------- corpus
section('corpus');
let t0 = performance.now();
const corpus = makeCorpus(args.n, args.seed);
const corpusPath = writeCorpus(join(OUT_DIR, 'corpus.txt'), corpus);
const { lines, text, labels } = corpus;
const n = lines.length;
const labelCounts = new Array(KINDS.length).fill(0);
for (let i = 0; i < n; i++) labelCounts[labels[i]]++;
const bytes = new TextEncoder().encode(text);
console.log(`  ${fmtInt(n)} candidates, seed ${args.seed}, ${fmtInt(bytes.length)} bytes, built in ${(performance.now() - t0).toFixed(0)} ms; regions: ${corpus.regionSource}`);
console.log(`  ${KINDS.map((k, i) => `${k} ${fmtInt(labelCounts[i])}`).join(', ')}`);
console.log(`  written to ${relative(ROOT, corpusPath)}`);
results.corpus = { n, seed: args.seed, asOf: AS_OF, bytes: bytes.length, regionSource: corpus.regionSource, kinds: Object.fromEntries(KINDS.map((k, i) => [k, labelCounts[i]])) };

// ---------------------------------------------------------------- shiming
section('shiming (wasm, pkg/node.js)');
let shiming = null;
try {
  shiming = await import(pathToFileURL(join(PKG_DIR, 'node.js')).href);
  for (const f of ['checkId', 'isValidId', 'checkIdBatch']) if (typeof shiming[f] !== 'function') throw new Error(`pkg/node.js does not export ${f}`);
} catch (e) {
  problem(`shiming failed to load (run \`npm run build\` first): ${e.message}`);
  shiming = null;
}

/** Per line: 1 if shiming accepts it (from the batch's status). */
let shimingVerdict = null;
if (shiming) {
  const { checkId, isValidId, checkIdBatch } = shiming;
  const report = checkIdBatch(text, OPTIONS);
  shimingVerdict = new Uint8Array(n);
  for (let i = 0; i < n; i++) shimingVerdict[i] = report.status[i] === 0 ? 1 : 0;
  const byCode = Object.entries(report.byCode ?? {}).sort((a, b) => b[1] - a[1]);
  console.log(`  checkIdBatch: total ${fmtInt(report.total)}, valid ${fmtInt(report.valid)}, invalid ${fmtInt(report.invalid)}; by code: ${byCode.map(([c, k]) => `${c} ${fmtInt(k)}`).join(', ')}`);
  results.shiming.report = { total: report.total, valid: report.valid, invalid: report.invalid, byCode: report.byCode };
  if (report.total !== n || report.status.length !== n) problem(`checkIdBatch counted ${report.total} lines (status ${report.status.length}), corpus has ${n}`);

  // Consistency: the bytes path, the per-ID fast path and the full check must give the same verdicts.
  const fromBytes = checkIdBatch(bytes, OPTIONS);
  let bytesDiff = 0;
  for (let i = 0; i < n; i++) if ((fromBytes.status[i] === 0) !== (shimingVerdict[i] === 1)) bytesDiff++;
  let fastDiff = 0;
  const fastExamples = [];
  for (let i = 0; i < n; i++) {
    if (isValidId(lines[i], OPTIONS) !== (shimingVerdict[i] === 1)) {
      fastDiff++;
      if (fastExamples.length < 3) fastExamples.push(lines[i]);
    }
  }
  let fullDiff = 0;
  const fullExamples = [];
  for (let i = 0; i < CHECK_ID_SAMPLE; i++) {
    if (checkId(lines[i], OPTIONS).ok !== (shimingVerdict[i] === 1)) {
      fullDiff++;
      if (fullExamples.length < 3) fullExamples.push(lines[i]);
    }
  }
  results.consistency = { batchBytesVsString: bytesDiff, isValidIdVsBatch: fastDiff, checkIdVsBatch: fullDiff, checkIdSample: CHECK_ID_SAMPLE, examples: [...fastExamples, ...fullExamples] };
  console.log(`  consistency: batch(bytes)≠batch(string) ${bytesDiff}, isValidId≠batch ${fastDiff} of ${fmtInt(n)}, checkId.ok≠batch ${fullDiff} of ${fmtInt(CHECK_ID_SAMPLE)}`);
  if (bytesDiff) problem(`checkIdBatch(Uint8Array) and checkIdBatch(string) disagree on ${bytesDiff} lines`);
  if (fastDiff) problem(`isValidId disagrees with checkIdBatch on ${fastDiff} lines, e.g. ${fastExamples.join(' ')}`);
  if (fullDiff) problem(`checkId(..).ok disagrees with checkIdBatch on ${fullDiff} lines, e.g. ${fullExamples.join(' ')}`);

  // shiming against the corpus's own labels (the generator's intent).
  const wrong = {};
  for (let i = 0; i < n; i++) {
    const expected = labels[i] === 0 ? 1 : 0;
    if (shimingVerdict[i] !== expected) {
      const k = KINDS[labels[i]];
      wrong[k] ??= { count: 0, examples: [] };
      wrong[k].count++;
      if (wrong[k].examples.length < 3) wrong[k].examples.push(lines[i] + (expected ? ` (${report.codes[report.status[i] - 1]})` : ''));
    }
  }
  results.shiming.vsLabels = wrong;
  for (const [k, w] of Object.entries(wrong)) {
    problem(`shiming ${k === 'valid' ? 'rejects' : 'accepts'} ${fmtInt(w.count)} corpus '${k}' candidates, e.g. ${w.examples.join(', ')}`);
  }
  if (Object.keys(wrong).length === 0) console.log('  shiming agrees with every corpus label');

  console.log('  throughput:');
  // Two strings of the same characters. `text` is joined from slices of data/gb2260.tsv, whose Chinese names make
  // V8 store it two bytes a character, as a column cut out of any CSV with Chinese text would be; the corpus file
  // read back (`fileText`) is stored one byte a character, as any ASCII file read as UTF-8 is. TextEncoder's
  // encodeInto, the string path's first step, is about ten times slower on the first.
  const fileText = readFileSync(corpusPath, 'utf8');
  results.shiming.batchString = measure('checkIdBatch(string, two-byte)', n, () => checkIdBatch(text, OPTIONS).valid, RUNS.batch);
  results.shiming.batchStringOneByte = measure('checkIdBatch(string, one-byte)', n, () => checkIdBatch(fileText, OPTIONS).valid, RUNS.batch);
  results.shiming.batchBytes = measure('checkIdBatch(Uint8Array)', n, () => checkIdBatch(bytes, OPTIONS).valid, RUNS.batch);
  // The string path's first step alone, as the binding does it (64 K UTF-16 units per encodeInto into one ~200 KB
  // buffer): no checking at all, so its rate bounds checkIdBatch(string) from above in this Node.
  const encoder = new TextEncoder();
  const piece = new Uint8Array((1 << 16) * 3 + 512);
  const encodeOnly = (s) => () => {
    let written = 0;
    for (let start = 0; start < s.length; start += 1 << 16) written += encoder.encodeInto(s.substring(start, start + (1 << 16)), piece).written;
    return written;
  };
  results.shiming.batchEncodeOnly = measure('  its encodeInto alone, two-byte', n, encodeOnly(text), RUNS.batch, { unit: 'lines' });
  results.shiming.batchEncodeOnlyOneByte = measure('  its encodeInto alone, one-byte', n, encodeOnly(fileText), RUNS.batch, { unit: 'lines' });
  results.shiming.isValidId = measure('isValidId loop', n, () => {
    let v = 0;
    for (let i = 0; i < n; i++) if (isValidId(lines[i], OPTIONS)) v++;
    return v;
  }, RUNS.loop);
  results.shiming.checkId = measure(`checkId loop (${fmtInt(CHECK_ID_SAMPLE)} sample)`, CHECK_ID_SAMPLE, () => {
    let v = 0;
    for (let i = 0; i < CHECK_ID_SAMPLE; i++) if (checkId(lines[i], OPTIONS).ok) v++;
    return v;
  }, RUNS.loop);
  if (typeof shiming.isValidPhone === 'function' && typeof shiming.checkPhone === 'function') {
    // Mobile numbers, as a user table holds them: mostly valid mainland numbers in the shapes people type, some
    // Hong Kong and Taiwan ones, some wrong (a digit short, an IoT segment, a letter).
    const { isValidPhone, checkPhone } = shiming;
    const phones = new Array(PHONE_SAMPLE);
    for (let i = 0; i < PHONE_SAMPLE; i++) {
      const n = String(13000000000 + ((i * 7919) % 999999999));
      phones[i] = [n, `+86 ${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`, '+852 9123 4567', '0912-345-678', n.slice(1), `148${n.slice(3)}`, `${n.slice(0, 5)}x${n.slice(6)}`][i % 7];
    }
    let phoneDiff = 0;
    for (const p of phones) if (isValidPhone(p) !== checkPhone(p).ok) phoneDiff++;
    if (phoneDiff) problem(`isValidPhone disagrees with checkPhone on ${phoneDiff} numbers`);
    results.shiming.isValidPhone = measure(`isValidPhone loop (${fmtInt(PHONE_SAMPLE)} numbers)`, PHONE_SAMPLE, () => {
      let v = 0;
      for (let i = 0; i < PHONE_SAMPLE; i++) if (isValidPhone(phones[i])) v++;
      return v;
    }, RUNS.loop, { unit: 'numbers' });
    results.shiming.checkPhone = measure(`checkPhone loop (${fmtInt(PHONE_SAMPLE)} numbers)`, PHONE_SAMPLE, () => {
      let v = 0;
      for (let i = 0; i < PHONE_SAMPLE; i++) if (checkPhone(phones[i]).ok) v++;
      return v;
    }, RUNS.loop, { unit: 'numbers' });
    // The phone peer's full result (issue 19, item 3): libphonenumber-js, the library most pages use, parsing with
    // the mainland as default country, then its validity and its type (mobile, fixed line, ...), which needs its
    // full metadata: what checkPhone gives (region, national and E.164 forms, the segment's class).
    try {
      const { parsePhoneNumberFromString } = require('libphonenumber-js/max');
      const version = require('libphonenumber-js/package.json').version;
      results.phonePeer = measure(`libphonenumber-js ${version} (full result)`, PHONE_SAMPLE, () => {
        let v = 0;
        for (let i = 0; i < PHONE_SAMPLE; i++) {
          const parsed = parsePhoneNumberFromString(phones[i], 'CN');
          if (parsed !== undefined && parsed.isValid() && parsed.getType() !== undefined) v++;
        }
        return v;
      }, RUNS.loop, { unit: 'numbers' });
    } catch (e) {
      problem(`libphonenumber-js: ${e.message}`);
    }
  } else {
    problem('pkg/node.js does not export isValidPhone and checkPhone');
  }
  if (typeof shiming.checkName === 'function') {
    // Real names as a user table holds them: Han names of two to four characters, names with the middle dot of
    // transliterated names (of several spellings), Latin names, and some wrong (digits, a lone dot, an emoji).
    const { checkName } = shiming;
    const given = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞'];
    const family = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '欧阳', '司马'];
    const names = new Array(NAME_SAMPLE);
    for (let i = 0; i < NAME_SAMPLE; i++) {
      const han = family[i % family.length] + given[(i * 7) % given.length];
      names[i] = [han, han, han, '阿卜杜拉·艾买提', '买买提・吐尔逊', 'Zhang San', han + '1', '·', `${han}😀`, ` ${han} `][i % 10];
    }
    results.shiming.checkName = measure(`checkName loop (${fmtInt(NAME_SAMPLE)} names)`, NAME_SAMPLE, () => {
      let v = 0;
      for (let i = 0; i < NAME_SAMPLE; i++) if (checkName(names[i]).ok) v++;
      return v;
    }, RUNS.loop, { unit: 'names' });
  } else {
    problem('pkg/node.js does not export checkName');
  }
  if (typeof shiming.checkRegistration === 'function') {
    // A whole registration form per call (name, ID from the corpus, phone, password): every field check, the
    // cross-field rules and the derived values, with the result object built for JS.
    const { checkRegistration } = shiming;
    const forms = new Array(REGISTRATION_SAMPLE);
    for (let i = 0; i < REGISTRATION_SAMPLE; i++) {
      forms[i] = { name: '张三', idNumber: lines[i], phone: '13812345678', password: 'correct horse 7' };
    }
    results.shiming.checkRegistration = measure(`checkRegistration loop (${fmtInt(REGISTRATION_SAMPLE)} forms)`, REGISTRATION_SAMPLE, () => {
      let v = 0;
      for (let i = 0; i < REGISTRATION_SAMPLE; i++) if (checkRegistration(forms[i], OPTIONS).ok) v++;
      return v;
    }, RUNS.loop, { unit: 'forms' });
    // No library checks a whole real-name form; the peer is what a page would assemble from the peers instead:
    // idcard.info for the ID, libphonenumber-js's full result for the phone, a Han-name regular expression and a
    // password length (fewer rules than checkRegistration's: no age, no cross-field rules, no messages).
    try {
      const { info } = require('idcard');
      const { parsePhoneNumberFromString } = require('libphonenumber-js/max');
      const hanName = /^[\u4e00-\u9fa5]{2,15}(?:[·•][\u4e00-\u9fa5]{1,15})*$/;
      results.registrationPeer = measure('idcard.info + libphonenumber-js + a name regex (full result)', REGISTRATION_SAMPLE, () => {
        let v = 0;
        for (let i = 0; i < REGISTRATION_SAMPLE; i++) {
          const f = forms[i];
          const id = info(f.idNumber);
          const phone = parsePhoneNumberFromString(f.phone, 'CN');
          const ok = id?.valid === true && phone !== undefined && phone.isValid() && phone.getType() !== undefined
            && hanName.test(f.name) && f.password.length >= 8;
          if (ok) v++;
        }
        return v;
      }, RUNS.loop, { unit: 'forms' });
    } catch (e) {
      problem(`registration peer: ${e.message}`);
    }
  } else {
    problem('pkg/node.js does not export checkRegistration');
  }
}

// ---------------------------------------------------------------- peers
section('peers');
const peerDefs = [
  {
    name: 'idcard',
    note: 'idcard 4.2.0: verify(id)',
    load: () => {
      const { verify } = require('idcard');
      if (typeof verify !== 'function') throw new Error('idcard has no verify()');
      return () => verify;
    },
  },
  {
    name: 'validator',
    note: "validator 13.15.35: isIdentityCard(id, 'zh-CN')",
    load: () => {
      const v = require('validator');
      const isIdentityCard = v.isIdentityCard ?? v.default?.isIdentityCard;
      if (typeof isIdentityCard !== 'function') throw new Error('validator has no isIdentityCard()');
      return () => (s) => isIdentityCard(s, 'zh-CN');
    },
  },
  {
    name: 'id-validator',
    note: 'id-validator 1.3.0: new IDValidator(GB2260).isValid(id), a fresh instance per run (it caches by ID)',
    load: () => {
      const IDValidator = require('id-validator');
      const GB2260 = require('id-validator/src/GB2260');
      if (typeof IDValidator !== 'function') throw new Error('id-validator does not export a constructor');
      return () => {
        const v = new IDValidator(GB2260);
        return (s) => v.isValid(s);
      };
    },
  },
];

const peers = [];
for (const def of peerDefs) {
  try {
    const make = def.load();
    make()('11010519491231002X'); // smoke call
    peers.push({ ...def, make });
    console.log(`  loaded ${def.note}`);
  } catch (e) {
    results.peerErrors[def.name] = String(e?.stack ?? e);
    problem(`peer ${def.name} FAILED TO LOAD: ${e.message}`);
  }
}

// Agreement over the whole corpus (one pass each; also the peers' warm-up).
const agreementRows = [];
for (const p of peers) {
  const fn = p.make();
  const verdict = new Uint8Array(n);
  let threw = 0;
  for (let i = 0; i < n; i++) {
    let ok = false;
    try {
      ok = fn(lines[i]) === true;
    } catch {
      threw++;
    }
    verdict[i] = ok ? 1 : 0;
  }
  const a = { validDiffers: 0, invalidDiffers: 0, acceptsInvalidByKind: {}, rejectsValid: 0, acceptsInvalid: 0, threw, examples: {} };
  for (let i = 0; i < n; i++) {
    const labelValid = labels[i] === 0;
    const kind = KINDS[labels[i]];
    if (verdict[i] !== (labelValid ? 1 : 0)) {
      if (labelValid) a.rejectsValid++;
      else {
        a.acceptsInvalid++;
        a.acceptsInvalidByKind[kind] = (a.acceptsInvalidByKind[kind] ?? 0) + 1;
      }
    }
    if (shimingVerdict && verdict[i] !== shimingVerdict[i]) {
      if (labelValid) a.validDiffers++;
      else a.invalidDiffers++;
      const key = `${kind}:${verdict[i] ? 'peer accepts' : 'peer rejects'}`;
      a.examples[key] ??= [];
      if (a.examples[key].length < 2) a.examples[key].push(lines[i]);
    }
  }
  results.agreement[p.name] = a;
  agreementRows.push([
    p.name,
    shimingVerdict ? `${fmtInt(a.validDiffers)} (${pct(a.validDiffers, labelCounts[0])})` : '-',
    shimingVerdict ? `${fmtInt(a.invalidDiffers)} (${pct(a.invalidDiffers, n - labelCounts[0])})` : '-',
    fmtInt(a.rejectsValid),
    Object.entries(a.acceptsInvalidByKind).sort((x, y) => y[1] - x[1]).map(([k, c]) => `${k} ${fmtInt(c)}`).join(', ') || 'none',
  ]);
  if (threw) problem(`peer ${p.name} threw on ${threw} candidates (counted as invalid)`);
}
if (agreementRows.length) {
  console.log(`  verdicts over the full corpus (${fmtInt(labelCounts[0])} valid, ${fmtInt(n - labelCounts[0])} invalid by construction):`);
  table(['peer', 'valid: ≠ shiming', 'invalid: ≠ shiming', 'rejects valid', 'accepts invalid (by corruption kind)'], agreementRows, [0, 4]);
  for (const p of peers) {
    const ex = Object.entries(results.agreement[p.name].examples);
    if (ex.length) console.log(`  ${p.name} e.g.: ${ex.map(([k, v]) => `${k} ${v[0]}`).join('; ')}`);
  }
}

console.log(`  throughput (${fmtInt(PEER_SAMPLE)} sample):`);
const sample = lines.slice(0, PEER_SAMPLE);
for (const p of peers) {
  // A fresh validator per run: id-validator would otherwise answer repeated runs from its cache.
  results.peers[p.name] = measure(p.name, PEER_SAMPLE, () => {
    const fn = p.make();
    let v = 0;
    for (let i = 0; i < PEER_SAMPLE; i++) if (fn(sample[i]) === true) v++;
    return v;
  }, RUNS.peer);
  results.peers[p.name].note = p.note;
}

// The peer's full result (issue 19, item 3: checkId's full result against the peer's, not against its boolean):
// idcard.info gives validity, gender, birthday, province/city/area names, age and more per call.
try {
  const { info } = require('idcard');
  if (typeof info !== 'function') throw new Error('idcard has no info()');
  results.fullPeer = measure('idcard.info (full result)', PEER_SAMPLE, () => {
    let v = 0;
    for (let i = 0; i < PEER_SAMPLE; i++) if (info(sample[i])?.valid === true) v++;
    return v;
  }, RUNS.peer);
} catch (e) {
  problem(`idcard.info: ${e.message}`);
}

// ---------------------------------------------------------------- ratios
section('ratios to the fastest peer');
const fastest = Object.values(results.peers).sort((a, b) => b.best - a.best)[0];
if (fastest && shiming) {
  const rows = [];
  for (const key of ['batchString', 'batchStringOneByte', 'batchBytes', 'isValidId', 'checkId']) {
    const r = results.shiming[key];
    results.ratios[key] = r.best / fastest.best;
    rows.push([r.label, `${fmtRate(r.best)} IDs/s`, `${results.ratios[key].toFixed(1)}×`]);
  }
  for (const p of Object.values(results.peers)) rows.push([p.label, `${fmtRate(p.best)} IDs/s`, `${(p.best / fastest.best).toFixed(2)}×`]);
  console.log(`  fastest peer: ${fastest.label} (${fmtRate(fastest.best)} IDs/s)`);
  table(['path', 'best', `vs ${fastest.label}`], rows);
  results.ratios.fastestPeer = fastest.label;
  if (results.fullPeer) {
    // Full result against full result: checkId (kind, birth date, gender, region) against idcard.info.
    results.ratios.checkIdVsFullPeer = results.shiming.checkId.best / results.fullPeer.best;
    console.log(`  full results: checkId ${fmtRate(results.shiming.checkId.best)} IDs/s, idcard.info `
      + `${fmtRate(results.fullPeer.best)} IDs/s: ${results.ratios.checkIdVsFullPeer.toFixed(2)}× (issue 19's target: ≥ 3×)`);
  }
  if (results.registrationPeer && results.shiming.checkRegistration) {
    results.ratios.checkRegistrationVsPeers = results.shiming.checkRegistration.best / results.registrationPeer.best;
    console.log(`  full results: checkRegistration ${fmtRate(results.shiming.checkRegistration.best)} forms/s, the peers `
      + `assembled ${fmtRate(results.registrationPeer.best)} forms/s: ${results.ratios.checkRegistrationVsPeers.toFixed(2)}× (issue 19's target: ≥ 3×)`);
  }
  if (results.shiming.checkName) {
    console.log(`  checkName ${fmtRate(results.shiming.checkName.best)} names/s (no library checks Chinese real names to compare with)`);
  }
  if (results.phonePeer && results.shiming.checkPhone) {
    results.ratios.checkPhoneVsFullPeer = results.shiming.checkPhone.best / results.phonePeer.best;
    console.log(`  full results: checkPhone ${fmtRate(results.shiming.checkPhone.best)} numbers/s, libphonenumber-js `
      + `${fmtRate(results.phonePeer.best)} numbers/s: ${results.ratios.checkPhoneVsFullPeer.toFixed(2)}× (issue 19's target: ≥ 3×)`);
  }
} else {
  console.log('  skipped: needs shiming and at least one peer');
}

// ---------------------------------------------------------------- native
section('native core (cargo run --release --example native_bench)');
if (!args.native) {
  console.log('  skipped (--no-native)');
  results.native = { skipped: '--no-native' };
} else if (spawnSync('cargo', ['--version'], { encoding: 'utf8' }).status !== 0) {
  console.log('  skipped: cargo is not available');
  results.native = { skipped: 'cargo not available' };
} else {
  t0 = performance.now();
  const r = spawnSync('cargo', ['run', '--release', '--quiet', '--example', 'native_bench', '--', corpusPath], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 16 << 20,
  });
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    problem(`native_bench failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-8).join(' | ')}`);
    results.native = { error: r.stderr || String(r.error) };
  } else {
    results.native = { output: r.stdout.trim(), seconds: Number(secs) };
    for (const line of r.stdout.trim().split('\n')) {
      console.log(`  ${line}`);
      const m = /^(native [^:]+): best ([\d.]+) M IDs\/s/.exec(line);
      if (m) results.native[m[1]] = Number(m[2]) * 1e6;
    }
    console.log(`  (build + run ${secs} s)`);
  }
  // Instructions per line (bench/callgrind.mjs): repeatable where the seconds above are not. On its own corpus of
  // 100,000 lines with the same seed, so that the figure compares across runs whatever --n is.
  if (!hasValgrind()) {
    console.log('  callgrind: skipped, valgrind is not installed');
  } else {
    try {
      results.native.callgrind = callgrindPerLine({ seed: args.seed });
      console.log(`  ${describeCallgrind(results.native.callgrind)}`);
    } catch (e) {
      problem(`callgrind: ${e.message}`);
    }
  }
}

// ---------------------------------------------------------------- wasm instructions per line
// checkIdBatch in wasm under callgrind (bench/callgrind.mjs): V8's compiled code, counted repeatably, on the same
// 100,000 lines as the native count, from a one-byte string and from bytes.
section('wasm instructions per line (callgrind, node --single-threaded --no-liftoff --predictable)');
if (!shiming) {
  console.log('  skipped: no package');
} else if (!hasValgrind()) {
  console.log('  skipped: valgrind is not installed');
} else {
  results.wasmCallgrind = {};
  for (const input of ['string', 'bytes']) {
    try {
      const r = wasmCallgrindPerLine({ seed: args.seed, input, entry: join(PKG_DIR, 'node.js') });
      results.wasmCallgrind[input] = r;
      console.log(`  ${describeCallgrind(r)}`);
    } catch (e) {
      problem(`wasm callgrind (${input}): ${e.message}`);
    }
  }
}

// ---------------------------------------------------------------- wasm size and start-up
section('.wasm size and start-up');
const wasmFiles = existsSync(PKG_DIR) ? listFiles(PKG_DIR).filter((f) => f.endsWith('.wasm')) : [];
if (wasmFiles.length === 0) {
  problem('no .wasm under pkg/ (run `npm run build`)');
} else {
  results.wasm = [];
  for (const f of wasmFiles) {
    const raw = readFileSync(f);
    const gz = gzipSync(raw, { level: zlibConstants.Z_BEST_COMPRESSION }).length;
    results.wasm.push({ file: relative(ROOT, f), raw: raw.length, gzip: gz });
    console.log(`  ${relative(ROOT, f)}: ${fmtInt(raw.length)} B raw (${(raw.length / 1024).toFixed(1)} KiB), ${fmtInt(gz)} B gzip -9 (${(gz / 1024).toFixed(1)} KiB)`);
  }
  results.instantiate = measureStartup(wasmFiles);
}

function listFiles(dir, depth = 2) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (depth > 0 && e !== 'node_modules') out.push(...listFiles(p, depth - 1));
    } else out.push(p);
  }
  return out;
}

/** Cold start in fresh child processes: compile the module, init the glue with initSync, first checkId. */
function measureStartup(wasms) {
  const wasmPath = wasms.find((f) => f.endsWith('shiming_bg.wasm')) ?? wasms[0];
  // The wasm-bindgen glue with initSync next to the .wasm (pkg/shiming.js for --target web).
  const glue = listFiles(dirname(wasmPath), 0)
    .filter((f) => f.endsWith('.js'))
    .find((f) => /export function initSync\b|export \{[^}]*\binitSync\b/.test(readFileSync(f, 'utf8')));
  const nodeEntry = join(PKG_DIR, 'node.js');
  const out = { wasm: relative(ROOT, wasmPath) };
  const CHILD_RUNS = 5;
  const id = '11010519491231002X';

  const child = (src) => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) {
      const err = (r.stderr || String(r.error)).trim().split('\n');
      throw new Error(err.find((l) => /Error/.test(l)) ?? err.slice(-4).join(' | '));
    }
    return JSON.parse(r.stdout.trim().split('\n').pop());
  };

  if (glue) {
    const src = `
      import { readFileSync } from 'node:fs';
      const bytes = readFileSync(${JSON.stringify(wasmPath)});
      const t0 = performance.now();
      const module = new WebAssembly.Module(bytes);
      const t1 = performance.now();
      const m = await import(${JSON.stringify(pathToFileURL(glue).href)});
      m.initSync({ module });
      const t2 = performance.now();
      const r = m.checkId(${JSON.stringify(id)}, { asOf: ${JSON.stringify(AS_OF)} });
      const t3 = performance.now();
      console.log(JSON.stringify({ compile: t1 - t0, init: t2 - t1, first: t3 - t2, ok: r && r.ok }));`;
    try {
      const runs = Array.from({ length: CHILD_RUNS }, () => child(src));
      const med = (k) => median(runs.map((r) => r[k]));
      out.glue = { file: relative(ROOT, glue), compileMs: med('compile'), initMs: med('init'), firstCheckMs: med('first'), totalMs: median(runs.map((r) => r.compile + r.init + r.first)), firstOk: runs[0].ok };
      console.log(`  ${relative(ROOT, glue)} (median of ${CHILD_RUNS} fresh processes): new WebAssembly.Module ${out.glue.compileMs.toFixed(2)} ms + import & initSync ${out.glue.initMs.toFixed(2)} ms + first checkId ${out.glue.firstCheckMs.toFixed(2)} ms = ${out.glue.totalMs.toFixed(2)} ms${out.glue.firstOk === true ? '' : `  (!! first checkId ok=${out.glue.firstOk})`}`);
      if (out.glue.firstOk !== true) problem(`first checkId(${id}) through ${relative(ROOT, glue)} did not return ok: true`);
    } catch (e) {
      problem(`start-up through ${relative(ROOT, glue)} failed: ${e.message}`);
    }
  } else {
    problem(`no wasm-bindgen glue with initSync next to ${relative(ROOT, wasmPath)}`);
  }

  if (existsSync(nodeEntry)) {
    const src = `
      const t0 = performance.now();
      const m = await import(${JSON.stringify(pathToFileURL(nodeEntry).href)});
      const t1 = performance.now();
      const r = m.checkId(${JSON.stringify(id)}, { asOf: ${JSON.stringify(AS_OF)} });
      const t2 = performance.now();
      console.log(JSON.stringify({ import: t1 - t0, first: t2 - t1, ok: r && r.ok }));`;
    try {
      const runs = Array.from({ length: CHILD_RUNS }, () => child(src));
      out.nodeEntry = { importMs: median(runs.map((r) => r.import)), firstCheckMs: median(runs.map((r) => r.first)), firstOk: runs[0].ok };
      console.log(`  pkg/node.js (median of ${CHILD_RUNS}): import (reads, compiles, inits synchronously) ${out.nodeEntry.importMs.toFixed(2)} ms + first checkId ${out.nodeEntry.firstCheckMs.toFixed(2)} ms`);
    } catch (e) {
      problem(`start-up through pkg/node.js failed: ${e.message}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- summary
mkdirSync(OUT_DIR, { recursive: true });
const jsonPath = join(OUT_DIR, 'latest.json');
writeFileSync(jsonPath, JSON.stringify(results, null, 2) + '\n');
section('summary');
if (shiming) {
  const s = results.shiming;
  const ratio = (k) => (results.ratios[k] ? ` (${results.ratios[k].toFixed(1)}× ${results.ratios.fastestPeer})` : '');
  console.log(`  checkIdBatch(string) ${fmtRate(s.batchString.best)} IDs/s${ratio('batchString')} two-byte, ${fmtRate(s.batchStringOneByte.best)}${ratio('batchStringOneByte')} one-byte; checkIdBatch(bytes) ${fmtRate(s.batchBytes.best)}${ratio('batchBytes')}; isValidId ${fmtRate(s.isValidId.best)}${ratio('isValidId')}; checkId ${fmtRate(s.checkId.best)}${ratio('checkId')}`);
}
if (results.native && results.native['native check_id_batch']) {
  console.log(`  native check_id_batch ${fmtRate(results.native['native check_id_batch'])} IDs/s; native is_valid_id ${fmtRate(results.native['native is_valid_id per line'] ?? 0)} IDs/s`);
}
if (results.native?.callgrind) {
  console.log(`  native check_id_batch ${results.native.callgrind.perLine.toFixed(1)} instructions per line (callgrind, ${fmtInt(results.native.callgrind.lines)} lines)`);
}
for (const r of Object.values(results.wasmCallgrind ?? {})) {
  console.log(`  ${r.function} ${r.perLine.toFixed(1)} instructions per line (callgrind, ${fmtInt(r.lines)} lines)`);
}
if (Array.isArray(results.wasm)) for (const w of results.wasm) console.log(`  ${w.file}: ${(w.raw / 1024).toFixed(1)} KiB raw, ${(w.gzip / 1024).toFixed(1)} KiB gzip`);
console.log(`  results written to ${relative(ROOT, jsonPath)}`);
if (results.problems.length) {
  console.log(`  ${results.problems.length} problem(s):`);
  for (const p of results.problems) console.log(`   - ${p}`);
  process.exitCode = 1;
}
