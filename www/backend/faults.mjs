// Fault injection for the reference backend: the failures a sync client must survive, on purpose and reproducibly.
//
// Four faults, each with its own rate (a fraction 0..1 of API requests) and its own random stream, so that
// switching one on never shifts the draws of another:
//
//   fail      answer 500 or 503 before doing anything (the request is not read, nothing is stored)
//   throttle  answer 429 with `Retry-After: <seconds>` before doing anything
//   delay     wait `ms` milliseconds after the idempotency key is claimed, before processing (so that a second
//             request with the same key meanwhile sees 409 sync_request_in_progress)
//   drop      process and store the request, then destroy the socket instead of answering: the client sees a
//             network error although the record is durably stored (the case idempotency keys exist for)
//
// Everything comes from a seeded PRNG (mulberry32): the same seed and the same request order give the same faults.

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for test faults (not for anything secret). */
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

/**
 * Reads a rate: a fraction `0.25`, or a percentage `25%`. Throws a RangeError outside 0..1.
 * @param {string | number | undefined} value
 */
export function parseRate(value, name = 'rate') {
  if (value === undefined || value === null || value === '') return 0;
  let rate;
  if (typeof value === 'string' && value.trim().endsWith('%')) rate = Number(value.trim().slice(0, -1)) / 100;
  else rate = Number(value);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new RangeError(`${name} must be a fraction from 0 to 1 or a percentage such as 10%, got ${JSON.stringify(value)}`);
  }
  return rate;
}

const DEFAULTS = {
  seed: 1,
  fail: { rate: 0, statuses: [500, 503] },
  throttle: { rate: 0, retryAfter: 1 },
  delay: { rate: 0, ms: 250 },
  drop: { rate: 0 },
};

/**
 * Normalises fault options.
 * @param {{ seed?: number, fail?: { rate?: number, statuses?: number[] }, throttle?: { rate?: number,
 *   retryAfter?: number }, delay?: { rate?: number, ms?: number }, drop?: { rate?: number } } | undefined} options
 */
export function normalizeFaults(options = {}) {
  const seed = Number(options.seed ?? DEFAULTS.seed);
  if (!Number.isInteger(seed)) throw new RangeError(`faults.seed must be an integer, got ${options.seed}`);
  const fail = { ...DEFAULTS.fail, ...options.fail };
  const throttle = { ...DEFAULTS.throttle, ...options.throttle };
  const delay = { ...DEFAULTS.delay, ...options.delay };
  const drop = { ...DEFAULTS.drop, ...options.drop };
  for (const [name, f] of Object.entries({ fail, throttle, delay, drop })) f.rate = parseRate(f.rate, `faults.${name}.rate`);
  if (!Array.isArray(fail.statuses) || fail.statuses.length === 0 || !fail.statuses.every((s) => s === 500 || s === 503)) {
    throw new RangeError('faults.fail.statuses must be a non-empty list of 500 and/or 503');
  }
  if (!Number.isInteger(throttle.retryAfter) || throttle.retryAfter < 0) {
    throw new RangeError('faults.throttle.retryAfter must be whole seconds >= 0');
  }
  if (!Number.isFinite(delay.ms) || delay.ms < 0) throw new RangeError('faults.delay.ms must be >= 0');
  return { seed, fail, throttle, delay, drop };
}

/** Builds the per-fault decision functions from normalised options. */
export function createFaults(options) {
  const config = normalizeFaults(options);
  // One stream per fault (distinct seeds derived from the one seed).
  const stream = (salt) => mulberry32((config.seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0);
  const random = { fail: stream(1), throttle: stream(2), delay: stream(3), drop: stream(4), status: stream(5) };
  const roll = (name) => config[name].rate > 0 && random[name]() < config[name].rate;
  return {
    config,
    get enabled() {
      return ['fail', 'throttle', 'delay', 'drop'].some((name) => config[name].rate > 0);
    },
    /** 429 before anything: `{ retryAfter }` or null. */
    throttle() {
      return roll('throttle') ? { retryAfter: config.throttle.retryAfter } : null;
    },
    /** 500/503 before anything: the status, or null. */
    fail() {
      if (!roll('fail')) return null;
      const { statuses } = config.fail;
      return statuses[Math.floor(random.status() * statuses.length)] ?? statuses[0];
    },
    /** Milliseconds to wait before processing (0: none). */
    delay() {
      return roll('delay') ? config.delay.ms : 0;
    },
    /** Whether to destroy the socket instead of answering, after the work is done. */
    drop() {
      return roll('drop');
    },
  };
}

/**
 * Reads fault options from CLI flags and the environment (flags win). Flags, each also as an environment variable:
 *   --fault-seed N           SHIMING_FAULT_SEED
 *   --fault-fail RATE        SHIMING_FAULT_FAIL          (RATE: 0.1 or 10%)
 *   --fault-fail-status S    SHIMING_FAULT_FAIL_STATUS   (500, 503 or 500,503; default both)
 *   --fault-429 RATE         SHIMING_FAULT_429
 *   --fault-retry-after SEC  SHIMING_FAULT_RETRY_AFTER   (default 1)
 *   --fault-delay RATE       SHIMING_FAULT_DELAY
 *   --fault-delay-ms MS      SHIMING_FAULT_DELAY_MS      (default 250)
 *   --fault-drop RATE        SHIMING_FAULT_DROP
 * @param {Record<string, string>} flags  flag name without `--` → value
 */
export function faultsFromFlags(flags = {}, env = process.env) {
  const get = (flag, variable) => flags[flag] ?? env[variable];
  const options = {};
  const seed = get('fault-seed', 'SHIMING_FAULT_SEED');
  if (seed !== undefined) options.seed = Number(seed);
  const statuses = get('fault-fail-status', 'SHIMING_FAULT_FAIL_STATUS');
  options.fail = { rate: get('fault-fail', 'SHIMING_FAULT_FAIL') };
  if (statuses !== undefined) options.fail.statuses = String(statuses).split(',').map((s) => Number(s.trim()));
  options.throttle = { rate: get('fault-429', 'SHIMING_FAULT_429') };
  const retryAfter = get('fault-retry-after', 'SHIMING_FAULT_RETRY_AFTER');
  if (retryAfter !== undefined) options.throttle.retryAfter = Number(retryAfter);
  options.delay = { rate: get('fault-delay', 'SHIMING_FAULT_DELAY') };
  const ms = get('fault-delay-ms', 'SHIMING_FAULT_DELAY_MS');
  if (ms !== undefined) options.delay.ms = Number(ms);
  options.drop = { rate: get('fault-drop', 'SHIMING_FAULT_DROP') };
  return normalizeFaults(options);
}

export const FAULT_FLAGS = [
  'fault-seed',
  'fault-fail',
  'fault-fail-status',
  'fault-429',
  'fault-retry-after',
  'fault-delay',
  'fault-delay-ms',
  'fault-drop',
];
