// The package in a component test's environment (happy-dom): every entry imports, the checks run with no init call.
// The numbers are the public standard examples (GB 11643-1999).
import { describe, expect, it } from 'vitest';
import { checkId, idNumberSchema, isValidId, loadRegionNames } from 'shiming';
import { evaluatePolicy } from 'shiming/policy';
import { documentDigest } from 'shiming/consent';
import { SyncClient } from 'shiming/sync';

describe('shiming under Vitest with happy-dom', () => {
  it('runs in a DOM environment', () => {
    expect(typeof window).toBe('object');
    expect(typeof document.createElement).toBe('function');
  });

  it('checks an ID with no init call, region names included', async () => {
    await loadRegionNames();
    const result = checkId('11010519491231002X', { asOf: '2024-06-01' });
    expect(result.ok).toBe(true);
    expect(result.ok && result.value.region?.county).toBe('朝阳区');
    expect(isValidId('110101199003074478')).toBe(false);
    expect(idNumberSchema()['~standard'].validate('110101199003074478')).toMatchObject({ issues: [{ code: 'id_checksum_mismatch' }] });
  });

  it('imports shiming/policy, shiming/consent and shiming/sync', () => {
    const payment = { type: 'payment', amountFen: 100, spentTodayFen: 0, spentThisMonthFen: 0 };
    expect(evaluatePolicy(null, 30, payment, '2026-11-27T20:30:00+08:00').code).toBe('adult');
    expect(documentDigest('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(typeof SyncClient.open).toBe('function');
  });
});
