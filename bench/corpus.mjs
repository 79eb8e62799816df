// Deterministic benchmark corpus of mainland resident ID candidates (GB 11643-1999).
//
// About 70% are valid 18-character IDs: a division code still in use (data/gb2260.tsv, empty
// end_year), a real birth date in 1930–2024, a random order code and the correct MOD 11-2 check
// character (canonical uppercase X). About 30% are corrupted in one of several ways (see KINDS).
// Everything comes from a seeded PRNG (mulberry32): the same (n, seed) gives the same bytes.
//
//   import { makeCorpus } from './corpus.mjs';   makeCorpus(1_000_000, 0x5348494d)
//   node bench/corpus.mjs [--n 1000000] [--seed 1397246285] [--out bench/out/corpus.txt]

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECK_CHARS, checkChar, mulberry32 } from '../www/test-data.js';

export const AS_OF = '2026-11-28';
export const DEFAULT_N = 1_000_000;
export const DEFAULT_SEED = 0x5348494d; // "SHIM"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Current county-level codes, used only until data/gb2260.tsv exists.
const FALLBACK_CODES = ['110101', '110105', '310104', '310115', '440305', '440106', '500154', '330106', '320106', '510104', '420106', '610113'];

/** Labels: 0 = valid; each corruption kind has its own label. */
export const KINDS = [
  'valid',
  'digit_substituted', // one of the first 17 digits replaced by another digit (checksum catches it)
  'adjacent_transposed', // two different adjacent digits among the first 17 swapped
  'wrong_check', // the check character replaced by another one of 0-9/X
  'invalid_date', // Feb 30, Feb 29 in a common year, month 00/13, day 00/32, Apr 31 (check recomputed)
  'future_birth', // a real date after AS_OF (check recomputed)
  'wrong_length', // 17 or 19 characters
  'letter_inside', // a letter (A-Z) in place of one of the first 17 digits
  'unknown_province', // province 99 (check recomputed)
];

export { mulberry32, checkChar };

/** Division codes still in use, from data/gb2260.tsv (code, name, start_year, end_year). */
export function loadRegionCodes(path = resolve(ROOT, 'data/gb2260.tsv')) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { codes: FALLBACK_CODES, source: 'built-in fallback list (data/gb2260.tsv missing)' };
  }
  const all = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cols = line.replace(/\r$/, '').split('\t');
    const code = cols[0];
    if (!/^\d{6}$/.test(code)) continue; // header row or junk
    const end = (cols[3] ?? '').trim();
    if (end !== '') continue;
    // Placeholders and special areas that do not stand for a mainland county on an ID card.
    if ((cols[1] ?? '').trim() === '市辖区' || /^(71|81|82|83)/.test(code)) continue;
    all.push(code);
  }
  // County level (last two digits not 00) is what IDs carry; keep province/prefecture rows out.
  const county = all.filter((c) => !c.endsWith('00'));
  const codes = county.length > 0 ? county : all;
  if (codes.length === 0) return { codes: FALLBACK_CODES, source: 'built-in fallback list (no usable rows)' };
  return { codes, source: `data/gb2260.tsv (${codes.length} county-level codes in use)` };
}

const pad2 = (n) => (n < 10 ? '0' : '') + n;
const DAY_MS = 86_400_000;
const BIRTH_FROM = Date.UTC(1930, 0, 1);
const BIRTH_DAYS = Math.round((Date.UTC(2024, 11, 31) - BIRTH_FROM) / DAY_MS) + 1;
const FUTURE_FROM = Date.UTC(2026, 10, 29); // the day after AS_OF
const FUTURE_DAYS = Math.round((Date.UTC(2035, 11, 31) - FUTURE_FROM) / DAY_MS) + 1;
const BAD_DATES = ['0230', '0231', '0229', '1301', '0001', '0100', '0132', '0431', '1131', '9999'];

function ymdFromDays(from, days) {
  const d = new Date(from + days * DAY_MS);
  return `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;
}

/**
 * @returns {{ lines: string[], text: string, labels: Uint8Array, kinds: string[], regionSource: string, asOf: string, seed: number }}
 *   labels[i] is an index into KINDS (0 = valid).
 */
export function makeCorpus(n = DEFAULT_N, seed = DEFAULT_SEED, { regionCodes } = {}) {
  const rand = mulberry32(seed);
  const int = (k) => Math.floor(rand() * k); // 0..k-1
  const region = regionCodes ? { codes: regionCodes, source: 'caller' } : loadRegionCodes();
  const codes = region.codes;
  const order = () => String(1 + int(999)).padStart(3, '0');
  const validBody = () => codes[int(codes.length)] + ymdFromDays(BIRTH_FROM, int(BIRTH_DAYS)) + order();
  const withCheck = (body) => body + checkChar(body);
  const setAt = (s, i, c) => s.slice(0, i) + c + s.slice(i + 1);

  const lines = new Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const body = validBody();
    const r = rand();
    if (r < 0.7) {
      lines[i] = withCheck(body);
      continue;
    }
    const kind = 1 + int(KINDS.length - 1);
    let s;
    switch (KINDS[kind]) {
      case 'digit_substituted': {
        const p = int(17);
        const old = body.charCodeAt(p) - 48;
        s = setAt(withCheck(body), p, String((old + 1 + int(9)) % 10));
        break;
      }
      case 'adjacent_transposed': {
        let b = body;
        let p = int(16);
        // Make the two digits differ so the swap really changes the number.
        if (b[p] === b[p + 1]) b = setAt(b, p + 1, String((b.charCodeAt(p) - 48 + 1 + int(9)) % 10));
        const check = checkChar(b);
        s = b.slice(0, p) + b[p + 1] + b[p] + b.slice(p + 2) + check;
        break;
      }
      case 'wrong_check': {
        const good = checkChar(body);
        let c = good;
        while (c === good) c = CHECK_CHARS[int(11)];
        s = body + c;
        break;
      }
      case 'invalid_date': {
        let year = 1930 + int(95);
        const md = BAD_DATES[int(BAD_DATES.length)];
        if (md === '0229') while ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0) year++;
        s = withCheck(body.slice(0, 6) + year + md + body.slice(14));
        break;
      }
      case 'future_birth':
        s = withCheck(body.slice(0, 6) + ymdFromDays(FUTURE_FROM, int(FUTURE_DAYS)) + body.slice(14));
        break;
      case 'wrong_length': {
        const full = withCheck(body);
        s = int(2) === 0 ? full.slice(0, 17) : full + String(int(10));
        break;
      }
      case 'letter_inside': {
        const p = int(17);
        s = setAt(withCheck(body), p, String.fromCharCode(65 + int(26)));
        break;
      }
      case 'unknown_province':
        s = withCheck('99' + body.slice(2));
        break;
      default:
        throw new Error(`unhandled kind ${kind}`);
    }
    lines[i] = s;
    labels[i] = kind;
  }
  return { lines, text: lines.join('\n'), labels, kinds: KINDS, regionSource: region.source, asOf: AS_OF, seed };
}

/** Writes the corpus (one ID per line, trailing newline) and returns its path. */
export function writeCorpus(path, corpus) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, corpus.text + '\n');
  return path;
}

function parseArgs(argv) {
  const out = { n: DEFAULT_N, seed: DEFAULT_SEED, out: resolve(ROOT, 'bench/out/corpus.txt') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--n') out.n = Number(v), i++;
    else if (a === '--seed') out.seed = Number(v), i++;
    else if (a === '--out') out.out = resolve(v), i++;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node bench/corpus.mjs [--n 1000000] [--seed 1397246285] [--out bench/out/corpus.txt]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(out.n) || out.n < 0) throw new Error('--n must be a non-negative integer');
  if (!Number.isInteger(out.seed)) throw new Error('--seed must be an integer');
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const corpus = makeCorpus(args.n, args.seed);
  writeCorpus(args.out, corpus);
  const valid = corpus.labels.reduce((a, l) => a + (l === 0 ? 1 : 0), 0);
  console.log(`wrote ${args.n} candidates (${valid} valid) to ${args.out}; regions: ${corpus.regionSource}`);
}
