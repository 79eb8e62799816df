// What the demo's and the benchmark's test-data generators share (the audit page's sample in www/audit-core.js,
// the corpus in bench/corpus.mjs): one seeded PRNG, and the GB 11643 check character that a generator needs to vary
// a generated number or to plant an error that only the date or the region explains. The package validates numbers
// and makes whole ones (generateTestId) but does not export the check character; see the note in audit-core.js.

/** A seeded PRNG (mulberry32): the same seed gives the same sequence of numbers in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The MOD 11-2 check characters, by the weighted sum's remainder. */
export const CHECK_CHARS = '10X98765432';

/** The GB 11643 check character (ISO 7064 MOD 11-2) of 17 ASCII digits. */
export function checkChar(body17) {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += (body17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}
