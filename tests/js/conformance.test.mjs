// The protocol conformance suite (tests/conformance/, also shipped as `npx shiming-conformance`) against the Rust
// reference server: on SQLite with every document kind, on SQLite with the default kinds (the checks of a kind not
// accepted), and on PostgreSQL (a throwaway cluster, scripts/pg.sh). Every check must pass or skip for a reason
// that configuration explains; a check skipped in one run is run in another.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { POSTGRES_MISSING, startPostgres, startRustServer, stopPostgres } from './server.mjs';
import { runConformance } from '../conformance/run.mjs';
import { ALL_KINDS } from '../../www/kinds.js';

/** Runs the suite and fails the test with every failed check's reason. */
async function conform(server, options = {}) {
  const lines = [];
  const result = await runConformance({
    baseUrl: server.api,
    adminToken: server.adminToken,
    log: (line) => lines.push(line),
    ...options,
  });
  const failures = result.results.filter((r) => r.status === 'fail');
  assert.equal(failures.length, 0, failures.map((f) => `${f.title}: ${f.reason}`).join('\n'));
  assert.ok(result.passed > 0);
  return result;
}

const skippedTitles = (result) => new Set(result.results.filter((r) => r.status === 'skip').map((r) => r.title));

describe('conformance: the Rust server on SQLite', () => {
  let everyKind;
  test('every kind accepted, with the request timeout checked: every check passes but the one about a kind not accepted', async () => {
    const server = await startRustServer({ args: ['--kinds', ALL_KINDS.join(','), '--request-timeout-secs', '3'] });
    try {
      everyKind = await conform(server, { requestTimeoutSecs: 3 });
    } finally {
      await server.stop();
    }
    const skipped = [...skippedTitles(everyKind)];
    assert.equal(skipped.length, 1, skipped.join('\n'));
    assert.match(skipped[0], /kind the server does not accept/);
  });

  test('the default kinds: the checks of kinds not accepted skip, the refusal of a kind not accepted runs and passes', async () => {
    const server = await startRustServer();
    try {
      const result = await conform(server);
      const ran = result.results.find((r) => /kind the server does not accept/.test(r.title));
      assert.equal(ran.status, 'pass');
    } finally {
      await server.stop();
    }
  });
});

describe('conformance: the Rust server on PostgreSQL', () => {
  let pg = null;
  before(() => {
    if (!POSTGRES_MISSING) pg = startPostgres();
  });
  after(() => {
    if (pg) stopPostgres(pg.dir);
  });

  test('every kind accepted: every check passes but the one about a kind not accepted', async (t) => {
    if (!pg) {
      t.skip(POSTGRES_MISSING);
      return;
    }
    const server = await startRustServer({ args: ['--database-url', pg.url, '--kinds', ALL_KINDS.join(',')] });
    try {
      const result = await conform(server);
      const skipped = [...skippedTitles(result)].filter((title) => !/kind the server does not accept|stalls/.test(title));
      assert.deepEqual(skipped, []);
    } finally {
      await server.stop();
    }
  });
});
