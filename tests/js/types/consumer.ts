// A TypeScript application using every entry of the package the way the README shows. Never run: type-checked by
// tests/js/types.test.mjs against the built pkg/, installed as node_modules/shiming, so that every import goes
// through package.json's `exports` (nodenext and bundler resolution). It fails when an entry's types are missing,
// do not resolve, dangle, or no longer fit these uses.
import {
  checkId, checkIdBatch, isValidId, loadRegionNames, idNumberSchema, phoneSchema, registrationSchema, type IdCheckResult,
  type StandardSchemaV1,
} from 'shiming';
import initWeb, { regionNamesLoaded, setRegionNames } from 'shiming/web';
import regionNames from 'shiming/regions';
import { evaluatePolicy, minorPolicy, type MinorPolicy, type PolicyEvaluation } from 'shiming/policy';
import initPolicyWeb from 'shiming/policy/web';
import { verifyReceipt, type ConsentReceipt, type ReceiptResult } from 'shiming/consent';
import initConsentWeb from 'shiming/consent/web';
import { SyncClient } from 'shiming/sync';
import initSyncWeb from 'shiming/sync/web';

// The entries are initialised when their import resolves: checks need no init call, and their options are optional.
const result: IdCheckResult = checkId('11010519491231002X');
export const birthDate: string | undefined = result.ok ? result.value.birthDate : undefined;
export const valid: boolean = isValidId('11010519491231002X', { asOf: '2024-06-01' });
export const batch = checkIdBatch(new TextEncoder().encode('11010519491231002X\n'));
export const namesLoaded: Promise<void> = loadRegionNames();

// The raw glue ("…/web") is initialised by its caller; the region names are a string of their own.
export const ready: Promise<unknown>[] = [initWeb(), initPolicyWeb(), initConsentWeb(), initSyncWeb()];
setRegionNames(regionNames);
export const loaded: boolean = regionNamesLoaded();

const policy: MinorPolicy = minorPolicy();
export const evaluation: PolicyEvaluation = evaluatePolicy(
  policy,
  15,
  { type: 'payment', amountFen: 100, spentTodayFen: 0, spentThisMonthFen: 0 },
  '2026-11-27T20:30:00+08:00',
);

// The receipts that shiming/consent makes are what shiming/sync submits.
export async function submit(client: SyncClient, receipt: ConsentReceipt): Promise<ReceiptResult> {
  await client.submitConsent(receipt);
  await client.submitConsent([receipt]);
  // @ts-expect-error: a receipt, not a string (an unresolved receipt type would accept anything)
  await client.submitConsent('receipt');
  return verifyReceipt(receipt, []);
}
export const client: Promise<SyncClient> = SyncClient.open({ baseUrl: '/api' });

// Field schemas infer their output; the whole form's schema renames fields and keeps the page's other members.
type Output<S extends StandardSchemaV1> = NonNullable<S['~standard']['types']>['output'];
export const idOutput: Output<ReturnType<typeof idNumberSchema>> = 'x';
export function signUp(value: unknown): string | undefined {
  const result = registrationSchema({ fieldNames: { name: 'realName', idNumber: 'idCard' } })['~standard'].validate(value);
  if (result.issues) return result.issues[0]?.message;
  const renamed: string = result.value.idCard;
  const other: unknown = result.value.agree;
  // @ts-expect-error: the renamed field is no longer under its old name
  const old: string = result.value.idNumber;
  void old;
  void other;
  return renamed + phoneSchema()['~standard'].validate('13812345678').issues?.length;
}

// shiming/all: the same functions, classes and types from one module; a receipt it makes is what its client submits.
import * as all from 'shiming/all';
export const allResult: IdCheckResult = all.checkId('11010519491231002X');
export const allPolicy: PolicyEvaluation = all.evaluatePolicy(all.minorPolicy(), 15, { type: 'play', usedTodaySeconds: 0 }, '2026-11-27T20:30:00+08:00');
export async function submitAll(client: all.SyncClient, receipt: all.ConsentReceipt): Promise<all.ReceiptResult> {
  await client.submitConsent(receipt);
  // @ts-expect-error: a receipt, not a string
  await client.submitConsent('receipt');
  return all.verifyReceipt(receipt, []);
}
export const allSchema = all.registrationSchema({ fieldNames: { idNumber: 'idCard' } });
export const allNames: Promise<void> = all.loadRegionNames();
