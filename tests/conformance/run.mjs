#!/usr/bin/env node
// The shiming sync protocol's conformance suite (docs/protocol.md): checks, over HTTP alone, that a backend at a base
// URL speaks the protocol. Any backend, in any language:
//
//   node tests/conformance/run.mjs http://127.0.0.1:8080/api --admin-token secret
//   npx shiming-conformance https://staging.example/api --admin-token "$ADMIN_TOKEN" --only idempotency
//
// Options:
//   --admin-token T            the backend's admin token (checks of the admin endpoints skip without it)
//   --only PATTERN             run only the checks whose "area: name" matches (a case-insensitive regular expression)
//   --write-rate N             at most N writes (POST, DELETE) per second leave the suite (default 40; 0: unpaced)
//   --request-timeout-secs N   also check that a request whose body stalls gets 408 (or a closed connection)
//                              within N seconds, the server's request timeout (slow: waits N + 5 s at most)
//   --list                     print the checks' names and exit
//
// One line per check, TAP: `ok N - name`, `not ok N - name` (the reason follows as `#` lines), `ok N - name # SKIP
// reason`; then the summary. Exit status 1 if any check failed, 2 on a usage error.
//
// The checks create made-up data only (generated test IDs, made-up names, 1380013xxxx phones), with new random ids on
// every run, so the suite can run again against the same server; the accounts it creates stay (except those it
// deletes to check deletion). Run it against a test or staging instance, never production. The kinds of document the
// server accepts come from its policy answer (`idKinds`): a check that needs another kind is skipped.
//
// `runConformance(options)` runs the same checks from code (e.g. a node:test file) and returns the results.

import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { createClient, PersonalDataLeak } from './lib/http.mjs';
import { createContext, createRunState, Skip } from './lib/context.mjs';
import { loadPackage } from './lib/package.mjs';
import { ALL_CHECKS } from './checks/index.mjs';

/** Every check, as `{ id, area, name, title, addition }` (title: "area: name"). */
export function listChecks() {
  return ALL_CHECKS.map(({ area, name, addition = false }, i) => ({ id: i + 1, area, name, title: `${area}: ${name}`, addition }));
}

function matcher(only) {
  if (!only) return () => true;
  let re;
  try {
    re = new RegExp(only, 'i');
  } catch {
    const needle = only.toLowerCase();
    return (title) => title.toLowerCase().includes(needle);
  }
  return (title) => re.test(title);
}

function oneLine(text) {
  return String(text).replace(/\s+/g, ' ').trim();
}

/**
 * Runs the checks against `baseUrl` (the API base: `{base}/policy`, `{base}/consents`, `{base}/registrations`).
 * @param {{ baseUrl: string, adminToken?: string | null, only?: string | null, log?: (line: string) => void,
 *   writeRate?: number, requestTimeoutSecs?: number | null }} options
 * @returns {Promise<{ passed: number, failed: number, skipped: number, results: Array<{ id: number, area: string,
 *   name: string, title: string, addition: boolean, status: 'pass' | 'fail' | 'skip', reason?: string,
 *   notes: string[], ms: number }>> }>}
 */
export async function runConformance({ baseUrl, adminToken = null, only = null, log = () => {}, writeRate = 40, requestTimeoutSecs = null } = {}) {
  if (!baseUrl) throw new TypeError('runConformance: baseUrl is required');
  const shiming = await loadPackage();
  const client = createClient({ baseUrl, writeRate });
  const state = createRunState({ client, shiming, adminToken: adminToken || null, options: { requestTimeoutSecs, baseUrl } });
  const wanted = matcher(only);
  const checks = listChecks().filter((c) => wanted(c.title));
  const results = [];

  log(`TAP version 14`);
  log(`# shiming protocol conformance: ${client.base.href}${adminToken ? ' (with the admin token)' : ' (no admin token)'}`);
  log(`1..${checks.length}`);
  for (const [n, info] of checks.entries()) {
    const check = ALL_CHECKS[info.id - 1];
    const t = createContext(state, check);
    const started = Date.now();
    const result = { ...info, status: 'pass', notes: t.notes, ms: 0 };
    try {
      await check.run(t);
    } catch (error) {
      if (error instanceof Skip) {
        result.status = 'skip';
        result.reason = error.message;
      } else {
        result.status = 'fail';
        result.reason = error instanceof PersonalDataLeak ? `personal data: ${error.message}` : describe(error);
      }
    }
    result.ms = Date.now() - started;
    results.push(result);
    const number = n + 1;
    if (result.status === 'pass') log(`ok ${number} - ${info.title}${t.notes.length ? ` # ${oneLine(t.notes.join('; '))}` : ''}`);
    else if (result.status === 'skip') log(`ok ${number} - ${info.title} # SKIP ${oneLine(result.reason)}`);
    else {
      log(`not ok ${number} - ${info.title}`);
      for (const line of result.reason.split('\n').slice(0, 40)) log(`#   ${line}`);
    }
  }
  const passed = results.filter((r) => r.status === 'pass').length;
  const failed = results.filter((r) => r.status === 'fail').length;
  const skipped = results.filter((r) => r.status === 'skip').length;
  log(`# ${checks.length} checks: ${passed} passed, ${failed} failed, ${skipped} skipped (${client.stats.requests} requests, ${client.stats.throttled} answered 429)`);
  return { passed, failed, skipped, results };
}

function describe(error) {
  if (error?.code === 'ERR_ASSERTION') {
    const message = error.generatedMessage ? 'assertion failed' : error.message.split('\n')[0];
    const detail = [];
    if ('expected' in error && 'actual' in error && error.operator !== 'fail') {
      detail.push(`expected: ${safeJson(error.expected)}`, `actual:   ${safeJson(error.actual)}`);
    }
    return [message, ...detail].join('\n');
  }
  return `${error?.name ?? 'Error'}: ${error?.message ?? error}${error?.code ? ` (${error.code})` : ''}`;
}

function safeJson(value) {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
  } catch {
    return String(value);
  }
}

// ---- the command line -------------------------------------------------------------------------------------------

const USAGE =
  'usage: run.mjs <base-url> [--admin-token T] [--only PATTERN] [--write-rate N] [--request-timeout-secs N] [--list]\n' +
  '  e.g. run.mjs http://127.0.0.1:8080/api --admin-token secret';

export function parseArgs(argv) {
  const options = { baseUrl: null, adminToken: process.env.SHIMING_ADMIN_TOKEN || null, only: null, writeRate: 40, requestTimeoutSecs: null, list: false };
  const args = [...argv];
  while (args.length) {
    const arg = args.shift();
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args.shift();
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const number = () => {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${flag} needs a number ≥ 0`);
      return v;
    };
    if (flag === '--admin-token') options.adminToken = value();
    else if (flag === '--only') options.only = value();
    else if (flag === '--write-rate') options.writeRate = number();
    else if (flag === '--request-timeout-secs') options.requestTimeoutSecs = number();
    else if (flag === '--list') options.list = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag.startsWith('-')) throw new Error(`unknown option ${flag}`);
    else if (options.baseUrl === null) options.baseUrl = flag;
    else throw new Error(`unexpected argument ${flag}`);
  }
  return options;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.list) {
    for (const c of listChecks()) if (matcher(options.only)(c.title)) console.log(c.title);
    return 0;
  }
  if (!options.baseUrl) {
    console.error(USAGE);
    return 2;
  }
  try {
    new URL(options.baseUrl);
  } catch {
    console.error(`not a URL: ${options.baseUrl}\n${USAGE}`);
    return 2;
  }
  const { failed } = await runConformance({ ...options, log: (line) => console.log(line) });
  return failed ? 1 : 0;
}

/** Run as a program (directly, or through the package's bin link `shiming-conformance`), not imported. */
function isMain() {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  process.exitCode = await main();
}
