// Every Node entry from an ES module; prints what it saw as JSON (the public standard example numbers only).
import { checkId, isValidPhone } from 'shiming';
import regionNames from 'shiming/regions';
import { evaluatePolicy } from 'shiming/policy';
import { documentDigest } from 'shiming/consent';
import { SyncClient } from 'shiming/sync';
import * as all from 'shiming/all';

const checked = checkId('11010519491231002X', { asOf: '2024-06-01' });
const payment = { type: 'payment', amountFen: 100, spentTodayFen: 0, spentThisMonthFen: 0 };
const open = await SyncClient.open({ baseUrl: '/api' }).then(() => 'opened', (error) => error.constructor.name);
// shiming/all: the same answers from its one module.
const allChecked = all.checkId('11010519491231002X', { asOf: '2024-06-01' });
const allOpen = await all.SyncClient.open({ baseUrl: '/api' }).then(() => 'opened', (error) => error.constructor.name);
console.log(JSON.stringify({
  node: process.version,
  county: checked.ok ? checked.value.region?.county : checked.issues[0].code,
  phone: isValidPhone('13812345678'),
  regions: typeof regionNames,
  policy: evaluatePolicy(null, 30, payment, '2026-11-27T20:30:00+08:00').code,
  digest: documentDigest(''),
  sync: open,
  all: [allChecked.ok ? allChecked.value.region?.county : allChecked.issues[0].code, all.isValidPhone('13812345678'),
    all.evaluatePolicy(null, 30, payment, '2026-11-27T20:30:00+08:00').code, all.documentDigest(''), allOpen],
}));
