// A Node server that re-checks what the browser sent (compiled without the DOM library by tests/js/types.test.mjs).
import { checkId, checkRegistration, isValidPhone, registrationSchema, idNumberSchema, initSync } from 'shiming';
import { evaluatePolicy, minorPolicy, type PolicyEvaluation } from 'shiming/policy';
import { verifyReceipt, type ConsentReceipt, type ReceiptResult } from 'shiming/consent';

export function recheck(form: unknown): boolean {
  const result = checkRegistration(form, { asOf: '2026-12-07' });
  if (!result.ok) return false;
  return checkId(result.value.idNumber).ok && isValidPhone(result.value.phone);
}
export const schema = registrationSchema({ fieldNames: { idNumber: 'idCard' } });
export const idSchema = idNumberSchema({ kinds: ['cn_resident'] });
export const evaluation = (): PolicyEvaluation => evaluatePolicy(minorPolicy(), 15, { type: 'play', usedTodaySeconds: 600 }, '2026-12-07T20:30:00+08:00');
export const receipt = (r: ConsentReceipt): ReceiptResult => verifyReceipt(r, []);
// The init inputs are typed without the DOM: bytes from node:fs are accepted.
export const init = (bytes: Uint8Array) => initSync({ module: bytes });
