// Every Node entry from CommonJS (require() of an ES module: Node ^20.19.0 || >=22.12.0, the package's engines);
// prints what it saw as JSON (the public standard example numbers only).
const { checkId, isValidPhone } = require('shiming');
const regionNames = require('shiming/regions').default;
const { evaluatePolicy } = require('shiming/policy');
const { documentDigest } = require('shiming/consent');
const { SyncClient } = require('shiming/sync');
const all = require('shiming/all');

const checked = checkId('11010519491231002X', { asOf: '2024-06-01' });
const payment = { type: 'payment', amountFen: 100, spentTodayFen: 0, spentThisMonthFen: 0 };
const opened = (client) => client.open({ baseUrl: '/api' }).then(() => 'opened', (error) => error.constructor.name);
const allChecked = all.checkId('11010519491231002X', { asOf: '2024-06-01' });
Promise.all([opened(SyncClient), opened(all.SyncClient)]).then(([open, allOpen]) => {
  console.log(JSON.stringify({
    node: process.version,
    county: checked.ok ? checked.value.region?.county : checked.issues[0].code,
    phone: isValidPhone('13812345678'),
    regions: typeof regionNames,
    policy: evaluatePolicy(null, 30, payment, '2026-11-27T20:30:00+08:00').code,
    digest: documentDigest(''),
    sync: open,
    // shiming/all: the same answers from its one module.
    all: [allChecked.ok ? allChecked.value.region?.county : allChecked.issues[0].code, all.isValidPhone('13812345678'),
      all.evaluatePolicy(null, 30, payment, '2026-11-27T20:30:00+08:00').code, all.documentDigest(''), allOpen],
  }));
});
