// The agreement documents of the reference server (server/documents/), and re-consent end to end.
//
// - The files: the v1 and v2 texts stay byte for byte as published (receipts for them must verify for ever: their
//   digests are pinned here), every file of the manifest is compiled into the binary (EMBEDDED in server/src/bundle.rs),
//   exactly one current version per kind, and the current texts are plain CommonMark (no raw HTML) whose bold spans
//   open and close under CommonMark's flanking rules: `**……。**` next to CJK text does not close (the closing run
//   follows punctuation and precedes a letter), so a bold span must end before the full stop.
// - Re-consent: a server whose documents (a temporary copy, --documents-dir) hold only v1 as current takes receipts
//   and a registration; restarted on the same data with the repository's documents (service agreement and sensitive-PI
//   consent at v2, privacy policy, children's rules and guardian consent at v3; v1 and the replaced v2 retired),
//   needsReconsent reports `new_version` for the stored receipts against the policy's documents, a registration that
//   cites only v1 receipts is refused with `sync_consent_missing` (one per kind it lacks), the v1 receipts still
//   verify (in the package and on the server), so does a fresh receipt for a retired v2 text, and the same person
//   registers once receipts for the current versions are given.
//
// The server is started with --documents-dir in both phases, so that this test does not depend on which documents
// the binary has compiled in (SHIMING_SERVER_BIN may be a build older than the texts). The stored receipts carry the
// server's Ed25519 countersignature, checked against the policy's signingKeys after the restart (the same key file).
//
// Test data: generateTestId numbers, made-up names and the customary sample numbers 1380013800x.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { access, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { importPkg, repoRoot } from './support.mjs';
import { startRustServer } from './server.mjs';
import { register } from './accounts.mjs';
import { startNppaSimulator } from './support/nppa-simulator.mjs';
import { call } from './server-client.mjs';
import { buildReceipt } from '../conformance/lib/receipts.mjs';

const shiming = await importPkg('node.js');
const consent = await importPkg('consent-node.js');

const DOCUMENTS = join(repoRoot, 'server', 'documents');
const ADULT = ['service_agreement', 'privacy_policy', 'sensitive_pi'];
const KINDS = [...ADULT, 'children_privacy_rules', 'guardian_consent'];
const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The digests of the v1 texts as published: a receipt for v1 names one of these, for ever. */
const V1_DIGESTS = {
  'service-agreement': '30114af083cfe34f879d77760af4b69b21476ec5b33e0662e94fcbf0404b9e79',
  'privacy-policy': '388cc6d432a4391d588772ee14b204ec0d0e0a438bf656605f6956deadfb2ca4',
  'sensitive-pi': '6f172b2ec8e853f5f966fe5a0fbe336b0e4598514df034c7915bf074354a7421',
  'children-privacy-rules': 'a879c0aaf69ca06710382c1b64640be707a80bd476e524769435d0ec36d050f6',
  'guardian-consent': 'dc8ce55d0f098eafd1974b9faf40d75868d1852ee8c7ba7a8b9fabb8fecf52a9',
};

/**
 * The digests of the v2 texts as published. Receipts were given for all five; the privacy policy, the children's rules
 * and the guardian consent were replaced by v3 (the guardian's details now reach the server and the guardian reference
 * became a salted commitment), the service agreement by v3 (the audit log), the sensitive-PI consent by v3 (the
 * account audit decrypts and checks the number again every day).
 */
const V2_DIGESTS = {
  'service-agreement': '74c90ebd1b89c7fffa3ae1cac1af2401ebd8df5d7f3524f615ae9d5e6de7a219',
  'privacy-policy': '8d1fdeeae54b03abff9d392d9c345e44b1647fad951813907429c988383862c2',
  'sensitive-pi': 'd327b9f764204c7bd2110e42893c9f3636fb132caa89de805d584487e6038d68',
  'children-privacy-rules': 'f46c20d4629a1e2da71247958ef98e9a8c9e930ccf611e1169c3f4308ce6f479',
  'guardian-consent': '1cff72a7cd3ee9b1ad8053366f49749e12b820643946b8a3b579f66944aba23d',
};
const V2_RETIRED = ['service-agreement', 'privacy-policy', 'sensitive-pi', 'children-privacy-rules', 'guardian-consent'];
/**
 * The digests of the v3 texts as published. The privacy policy and the children's rules were replaced by v4 (the audit
 * log keeps an account's number after the account is deleted, and the texts now say so), the service agreement by v4
 * (freezing, the account audit, the day of last use); the guardian consent is still current.
 */
const V3_DIGESTS = {
  'service-agreement': '55a2e211a48fca23fdadbb322cf6e85f021b6ed0ab868173df688629c64b236b',
  'privacy-policy': 'ee060201b3c34451dc2456e120b6669bbe56cb8f877f53f616b742267c44f3ed',
  'children-privacy-rules': '7411934675b2f298af4103a6c9ae0de2f78893740ac92d775586798ee5a85b86',
  'guardian-consent': '8730730679b4ebbe7944033bd961861b5cde7baff0c5b80a3a4f801c40154f42',
};
const V3_RETIRED = ['service-agreement', 'privacy-policy', 'children-privacy-rules'];
/**
 * The digests of the v4 texts as published. Both were replaced by v5 (issue 16: the account audit and its reports,
 * which keep account numbers as long as the audit log, freezing, the day of last use, the phone code as an operator's
 * option).
 */
const V4_DIGESTS = {
  'privacy-policy': 'c26e05c4fc03d0560e592442baed27d1bcdf1bc97e692e8b89640891a51d25a0',
  'children-privacy-rules': '75e2b9805957572ab0b3bcac7bf964593fa0fec877ad6bbb90bc643b8dded892',
};
const V4_RETIRED = ['privacy-policy', 'children-privacy-rules'];
const PUBLISHED = { 1: V1_DIGESTS, 2: V2_DIGESTS, 3: V3_DIGESTS, 4: V4_DIGESTS };

/** The version of each kind the repository's documents publish now. */
const CURRENT = {
  service_agreement: '4',
  privacy_policy: '5',
  sensitive_pi: '3',
  children_privacy_rules: '5',
  guardian_consent: '3',
};

const manifest = JSON.parse(await readFile(join(DOCUMENTS, 'manifest.json'), 'utf8'));
const text = (file) => readFile(join(DOCUMENTS, file), 'utf8');

const dirs = [];
async function tempDir(prefix) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/**
 * The `**` runs of a line that fail to open or close a bold span under CommonMark 0.31 (6.2: left- and
 * right-flanking delimiter runs; Unicode punctuation is P* and S*), or any other `*`. Returns the problems.
 */
function boldProblems(line) {
  const problems = [];
  const ws = (c) => c === undefined || /\s/u.test(c);
  const punct = (c) => c !== undefined && /[\p{P}\p{S}]/u.test(c);
  let open = false;
  for (let i = 0; i < line.length; ) {
    if (line[i] !== '*') {
      i += 1;
      continue;
    }
    let j = i;
    while (line[j] === '*') j += 1;
    if (j - i !== 2) problems.push(`a run of ${j - i} '*' at ${i}`);
    const before = line[i - 1];
    const after = line[j];
    const left = !ws(after) && (!punct(after) || ws(before) || punct(before));
    const right = !ws(before) && (!punct(before) || ws(after) || punct(after));
    if (!open && !left) problems.push(`'**' at ${i} cannot open (before ${JSON.stringify(before)}, after ${JSON.stringify(after)})`);
    if (open && !right) problems.push(`'**' at ${i} cannot close (before ${JSON.stringify(before)}, after ${JSON.stringify(after)})`);
    open = !open;
    i = j;
  }
  if (open) problems.push('a bold span is not closed on its line');
  return problems;
}

/**
 * What every text a server publishes as current must be: LF, one final newline, the manifest's title and version,
 * a template note, plain CommonMark whose bold spans open and close, balanced 【】, and none of the claims the review
 * found false.
 */
function assertPublishable(entry, body) {
  const lines = body.split('\n');
  assert.ok(!body.includes('\r'), `${entry.file}: LF line ends only`);
  assert.ok(body.endsWith('\n') && !body.endsWith('\n\n'), `${entry.file}: one final newline`);
  assert.equal(lines[0], `# ${entry.title}`, `${entry.file}: the title is the manifest's`);
  assert.equal(lines[2], `版本：${entry.version}　生效日期：2026年12月6日`, `${entry.file}: version and effective date`);
  assert.match(body, /模板说明/, `${entry.file}: says that it is a template`);
  lines.forEach((line, n) => {
    assert.doesNotMatch(line, /<\/?[A-Za-z!?]/, `${entry.file}:${n + 1}: raw HTML`);
    assert.doesNotMatch(line, /[ \t]$/, `${entry.file}:${n + 1}: trailing whitespace`);
    assert.doesNotMatch(line, /`/, `${entry.file}:${n + 1}: no code spans (the page shows plain text)`);
    assert.deepEqual(boldProblems(line), [], `${entry.file}:${n + 1}: ${line}`);
    const opens = [...line].filter((c) => c === '【').length;
    const closes = [...line].filter((c) => c === '】').length;
    assert.equal(opens, closes, `${entry.file}:${n + 1}: unbalanced 【】`);
  });
  // Claims the review found false must not come back.
  assert.doesNotMatch(body, /网络安全法》第二十四条/, `${entry.file}: the real-name article is Art. 26 since 2026-01-01`);
  assert.doesNotMatch(body, /网络安全法》第二十一条/, `${entry.file}: the network-log article is Art. 23 since 2026-01-01`);
  assert.doesNotMatch(body, /同等效力|同等的法律效力/, `${entry.file}: a tick box is no reliable electronic signature`);
  assert.doesNotMatch(body, /仅在服务器端校验/, `${entry.file}: numbers are checked in the browser too`);
  // Since v3 the guardian's details reach the server and the guardian reference is a commitment, not a random token.
  assert.doesNotMatch(body, /不发送至服务器/, `${entry.file}: the guardian's details are sent to the server`);
  assert.doesNotMatch(body, /随机生成、用于指代监护人|一个随机生成、用于指代本人的标识/, `${entry.file}: the guardian reference is not random`);
}

describe('the documents', () => {
  test('the v1 texts are unchanged, byte for byte', async () => {
    for (const [id, digest] of Object.entries(V1_DIGESTS)) {
      const entry = manifest.documents.find((d) => d.id === id && d.version === '1');
      assert.ok(entry, `${id} v1 is still listed`);
      assert.equal(entry.retired, true, `${id} v1 is retired`);
      assert.equal(sha256(await text(entry.file)), digest, `${entry.file} changed: receipts for it would no longer verify`);
    }
  });

  for (const [version, digests, retired] of [['2', V2_DIGESTS, V2_RETIRED], ['3', V3_DIGESTS, V3_RETIRED], ['4', V4_DIGESTS, V4_RETIRED]]) {
    test(`the v${version} texts are unchanged, byte for byte; those replaced by a later version are retired`, async () => {
      for (const [id, digest] of Object.entries(digests)) {
        const entry = manifest.documents.find((d) => d.id === id && d.version === version);
        assert.ok(entry, `${id} v${version} is still listed`);
        assert.equal(entry.retired === true, retired.includes(id), `${id} v${version} is ${retired.includes(id) ? '' : 'not '}retired`);
        assert.equal(sha256(await text(entry.file)), digest, `${entry.file} changed: receipts for it would no longer verify`);
      }
      for (const id of retired) {
        const old = manifest.documents.find((d) => d.id === id && d.version === version);
        const next = manifest.documents.find((d) => d.id === id && d.version === String(Number(version) + 1));
        assert.ok(next, `${id} v${Number(version) + 1} replaces v${version}`);
        assert.deepEqual(next.reading, old.reading, `${id} keeps the reading rule of v${version}`);
        assert.equal(next.kind, old.kind);
        assert.equal(next.title, old.title);
      }
    });
  }

  test('the texts say what the server keeps after a cancellation: the keyed hash and the audit log (v4/v3), nothing they deny', async () => {
    for (const kind of ['service_agreement', 'privacy_policy', 'children_privacy_rules']) {
      const body = await text(manifest.documents.find((d) => d.kind === kind && !d.retired).file);
      assert.match(body, /审计日志/, `${kind}: mentions the audit log`);
      assert.match(body, /六个月/, `${kind}: and how long it is kept`);
      assert.doesNotMatch(body, /不保留任何此类信息/, `${kind}: the server keeps the audit records`);
    }
    const agreement = await text(manifest.documents.find((d) => d.kind === 'service_agreement' && !d.retired).file);
    for (const needle of ['《未成年人网络保护条例》第四十三条、第四十四条', '单日累计', '凭账户访问码只能收紧限制']) {
      assert.ok(agreement.includes(needle), `the service agreement says ${needle}`);
    }
  });

  test('one current version of each kind; every file is compiled in (EMBEDDED in server/src/bundle.rs)', async () => {
    const current = manifest.documents.filter((d) => !d.retired);
    assert.deepEqual(current.map((d) => d.kind).sort(), [...KINDS].sort());
    assert.deepEqual(Object.fromEntries(current.map((d) => [d.kind, d.version])), CURRENT);
    const bundle = await readFile(join(repoRoot, 'server', 'src', 'bundle.rs'), 'utf8');
    const embedded = [...bundle.matchAll(/include_str!\("\.\.\/documents\/([^"]+\.md)"\)/g)].map((m) => m[1]);
    assert.deepEqual([...embedded].sort(), manifest.documents.map((d) => d.file).sort(), 'EMBEDDED lists exactly the manifest\'s files');
    assert.match(bundle, new RegExp(`EMBEDDED: \\[\\(&str, &str\\); ${embedded.length}\\]`));
    const seen = new Set();
    for (const d of manifest.documents) {
      assert.equal(typeof d.reading?.reachEnd, 'boolean', `${d.id} ${d.version}: a reading rule`);
      assert.ok(!seen.has(`${d.id}@${d.version}`), `${d.id} ${d.version} listed twice`);
      seen.add(`${d.id}@${d.version}`);
    }
  });

  test('the current texts: plain CommonMark (no raw HTML), bold spans that open and close, placeholders in 【】, the effective date', async () => {
    for (const entry of manifest.documents.filter((d) => !d.retired)) assertPublishable(entry, await text(entry.file));
  });

  test('the guardian texts (v3): the details sent, checked again and refused on mismatch, a gc: commitment, masked, deleted with the account; no authority check, no proof of who ticked', async () => {
    for (const kind of ['guardian_consent', 'children_privacy_rules']) {
      const body = await text(manifest.documents.find((d) => d.kind === kind && !d.retired).file);
      for (const needle of ['gc:', 'SHA-256', '128比特', '随儿童的注册一并发送至服务器', '不接受该注册', '已满十八周岁', '脱敏', '注销']) {
        assert.ok(body.includes(needle), `${kind}: says ${needle}`);
      }
      assert.match(body, /不向公安机关或者其他第三方核验监护人|不向公安机关或者其他第三方核验本人的证件/, `${kind}: no check against an authority`);
      assert.match(body, /不能证明在页面上勾选的人确系/, `${kind}: the record does not prove who ticked`);
    }
  });

  test('the issue-16 texts (SA v4, PP v5, CR v5, SPI v3) say what the server does with its default flags, and nothing it does not', async () => {
    const current = (kind) => text(manifest.documents.find((d) => d.kind === kind && !d.retired).file);
    const [agreement, policy, rules, sensitive] = await Promise.all(['service_agreement', 'privacy_policy', 'children_privacy_rules', 'sensitive_pi'].map(current));
    const source = (file) => readFile(join(repoRoot, 'server', 'src', file), 'utf8');
    const config = await source('config.rs');
    /** The `default_value_t` of a flag's field in config.rs (the #[arg] just before `pub <field>:`). */
    const defaultOf = (field) => {
      const at = config.indexOf(`pub ${field}:`);
      assert.ok(at > 0, `config.rs has ${field}`);
      const attribute = config.slice(config.lastIndexOf('#[arg(', at), at);
      return Number(/default_value_t\s*=\s*(\d+)/.exec(attribute)?.[1]);
    };

    // The shipped texts declare nothing: the server refuses --unused-cleanup and any verification provider with them.
    for (const d of manifest.documents) assert.deepEqual(d.declares ?? [], [], `${d.id} ${d.version} declares nothing`);

    // The account audit: its period and the unused threshold are the server's defaults; the reports hold no name,
    // number or phone, are kept as long as the audit log, and survive a cancellation (so the texts list them there).
    assert.equal(defaultOf('account_audit_interval_hours'), 24);
    assert.equal(defaultOf('unused_after_days'), 365);
    assert.equal(defaultOf('audit_retention_days'), 365);
    for (const [name, body] of [['SA', agreement], ['PP', policy], ['CR', rules], ['SPI', sensitive]]) {
      assert.ok(body.includes('参考服务器默认每24小时'), `${name}: the audit's default period`);
      assert.match(body, /(报告中|其中)(只有账户编号|没有证件号码)/, `${name}: what a report holds`);
    }
    for (const [name, body] of [['SA', agreement], ['PP', policy], ['CR', rules]]) {
      assert.ok(body.includes('账户核查报告中有关该账号的内容'), `${name}: the reports are kept after a cancellation`);
      assert.match(body, /账户编号、年龄段的变化、未通过核对的原因代码和最近使用日期/, `${name}: and what of the account they keep`);
    }
    assert.ok(policy.includes('账户核查报告（本政策第二部分第8项）：与审计日志的保存期限相同'), 'PP: the reports are kept as long as the audit log');
    assert.ok(policy.includes('参考服务器在注销后继续保存的，只有上一项所列的散列值、审计日志记录和账户核查报告'), 'PP 四.4');
    assert.ok(agreement.includes('只有本条第2项所列的散列值、审计日志记录和账户核查报告'), 'SA 第七条4');
    assert.ok(policy.includes('核查的结果也不会自动冻结、注销或者删除账户'), 'PP: the audit freezes and deletes nothing');

    // Freezing: every reason code of lifecycle.rs is described, and so are the rights a freeze leaves.
    const lifecycle = await source('lifecycle.rs');
    const block = /pub const FREEZE_REASONS: &\[&str\] = &\[([\s\S]*?)\];/.exec(lifecycle)[1];
    const reasons = [...block.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
    const said = {
      verification_failed: '身份核验未通过',
      suspected_impersonation: '涉嫌冒用他人身份',
      guardian_request: '监护人提出要求',
      legal_order: '法律文书或者有权机关要求',
      security_risk: '账号存在安全风险',
      user_request: '您本人提出要求',
      other: '【运营者写明其他情形】',
    };
    assert.deepEqual(reasons.sort(), Object.keys(said).sort(), 'a new reason code needs its words in the texts');
    for (const [name, body] of [['SA', agreement], ['PP', policy]]) {
      for (const words of Object.values(said)) assert.ok(body.includes(words), `${name}: the reason ${words}`);
      assert.ok(body.includes('仍然可以查看账户、撤回同意和注销账户'), `${name}: a frozen account may still be read, withdrawn from and cancelled`);
      assert.ok(body.includes('服务器一律答复不允许'), `${name}: a frozen account's activities are refused`);
    }
    assert.ok(rules.includes('监护人仍然可以凭访问码查看账户、撤回同意和注销账户'), 'CR: the guardian keeps those rights');

    // The day of last use: a day, reported, never a reason to delete.
    for (const [name, body] of [['SA', agreement], ['PP', policy]]) {
      assert.ok(body.includes('参考服务器默认365天'), `${name}: the unused threshold`);
      assert.match(body, /不因账户长期未使用而冻结、注销或者删除账户/, `${name}: unused accounts are not deleted`);
    }
    assert.ok(policy.includes('不记录具体时间'), 'PP: the day only');

    // Verification: nobody is asked by default, and the account says so.
    for (const [name, body] of [['SA', agreement], ['PP', policy], ['CR', rules], ['SPI', sensitive]]) {
      assert.ok(body.includes('核验状态记为“未核验”'), `${name}: the account is recorded unverified`);
      assert.match(body, /不向公安机关或者其他(任何)?第三方核验/, `${name}: no authority or third party checks a document`);
    }

    // Phone codes are the operator's option (no sender by default): every sentence about them sits in a paragraph the
    // operator keeps or deletes, and the SMS gateway is a placeholder.
    for (const [name, body] of [['SA', agreement], ['PP', policy], ['CR', rules], ['SPI', sensitive]]) {
      for (const line of body.split('\n').filter((l) => l.includes('验证码'))) {
        assert.ok(line.includes('【运营者启用手机验证码的'), `${name}: a phone-code sentence outside the operator's option: ${line.slice(0, 60)}…`);
      }
    }
    assert.ok(policy.includes('【短信服务商的名称和联系方式】'), 'PP: the gateway is the operator\'s to name');
    assert.ok(policy.includes('参考服务器默认不发送短信，不向任何短信服务商提供信息'), 'PP: none by default');
    assert.ok(policy.includes('须先发布写明该服务商的文本，否则服务器拒绝启动'), 'PP: a gateway needs a text that names it (server.rs refuses it otherwise)');
    assert.match(await source('server.rs'), /gives phone numbers and codes to/);
    // Once the phone codes are merged, their defaults and limits are the ones the texts give.
    if (config.includes('pub phone_code_ttl_secs:')) {
      const codes = await source('phone_codes.rs');
      const constant = (name) => Number(new RegExp(`pub const ${name}: \\w+ = (\\d+);`).exec(codes)?.[1]);
      assert.equal(defaultOf('phone_code_ttl_secs'), 300);
      assert.ok(policy.includes('参考服务器默认5分钟'));
      assert.equal(defaultOf('phone_code_resend_secs'), 60);
      assert.ok(policy.includes('参考服务器默认60秒'));
      assert.equal(defaultOf('phone_confirmation_ttl_secs'), 1800);
      assert.ok(policy.includes('参考服务器默认30分钟'));
      assert.ok(policy.includes(`输错${constant('MAX_WRONG')}次即失效`));
      assert.ok(policy.includes(`每小时至多${constant('PER_HOUR')}次，每日至多${constant('PER_DAY')}次`));
    }
  });

  test('the checker of bold spans knows CommonMark\'s flanking rule', () => {
    assert.deepEqual(boldProblems('**提示**：正文'), []);
    assert.deepEqual(boldProblems('正文**加粗**正文'), []);
    assert.deepEqual(boldProblems('1. **不收集**您的信息'), []);
    assert.equal(boldProblems('正文**加粗。**正文').length, 1, 'a closing run after 。 and before a letter does not close');
    assert.equal(boldProblems('正文**“引号”**正文').length, 2, 'nor does one opening before “ after a letter');
    assert.equal(boldProblems('13*******78').length, 2);
  });
});

// ---- re-consent, end to end ------------------------------------------------------------------------------------

/** A temporary documents directory holding the v1 texts only, v1 current (the manifest as it was before v2). */
async function v1Only() {
  const dir = await tempDir('shiming-documents-v1-');
  const documents = manifest.documents
    .filter((d) => d.version === '1')
    .map(({ retired: _retired, ...rest }) => rest);
  for (const d of documents) await copyFile(join(DOCUMENTS, d.file), join(dir, d.file));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ comment: 'v1 only (tests/js/documents.test.mjs)', documents }, null, 2));
  return dir;
}

const key = (what) => `k-doc-${what}-${randomUUID()}`;

async function policyOf(server) {
  const res = await call(server.base, 'GET', '/api/policy');
  assert.equal(res.status, 200, res.text);
  return res.json;
}

async function postConsents(server, receipts, token) {
  return call(server.base, 'POST', '/api/consents', { body: { receipts }, key: key('c'), token });
}

async function postRegistration(server, registrationId, form, receiptIds) {
  return call(server.base, 'POST', '/api/registrations', {
    body: { registrationId, form, derived: { kind: 'cn_resident' }, clientSummary: { ok: true, codes: [] }, consents: receiptIds },
    key: key('r'),
  });
}

/** The adult receipts of `registrationId` for the policy's documents, sequences from `first`. */
function adultReceipts(policy, registrationId, first = 1) {
  return ADULT.map((kind, i) => buildReceipt(policy.documents.find((d) => d.kind === kind), registrationId, { sequence: first + i }));
}

describe('re-consent when the documents change (the Rust server, --documents-dir)', () => {
  test('v1 receipts stored; after the switch to the current versions (v2, v3): needsReconsent says new_version, a registration citing v1 only is refused, v1 and retired v2 still verify', { timeout: 120_000 }, async () => {
    const dataDir = await tempDir('shiming-documents-data-');
    const people = {
      registered: { name: '张测试', idNumber: shiming.generateTestId({ seed: 7101, birthDate: '1988-03-09' }), phone: '13800138001' },
      pending: { name: '李样例', idNumber: shiming.generateTestId({ seed: 7102, birthDate: '1992-11-20' }), phone: '13800138002' },
    };
    assert.notEqual(people.registered.idNumber, people.pending.idNumber);

    // ---- phase 1: v1 current -------------------------------------------------------------------------------------
    let server = await startRustServer({ dataDir, args: ['--documents-dir', await v1Only()] });
    const adminToken = server.adminToken;
    let v1;
    let account;
    const pendingId = `reg-doc-${randomUUID()}`;
    let pendingV1;
    try {
      const policy = await policyOf(server);
      v1 = policy.documents;
      assert.deepEqual(v1.map((d) => [d.kind, d.version]).sort(), KINDS.map((k) => [k, '1']).sort());
      for (const d of v1) assert.equal(d.digest, V1_DIGESTS[d.id], `${d.id}: the published v1 text`);

      // One person accepts v1 and registers; another accepts v1 and does not register yet.
      const registrationId = `reg-doc-${randomUUID()}`;
      const receipts = adultReceipts(policy, registrationId);
      assert.equal((await postConsents(server, receipts)).status, 201);
      const res = await postRegistration(server, registrationId, people.registered, receipts.map((r) => r.consentReceiptID));
      assert.equal(res.status, 201, res.text);
      account = res.json;
      pendingV1 = adultReceipts(policy, pendingId);
      assert.equal((await postConsents(server, pendingV1)).status, 201);
    } finally {
      await server.stop();
    }

    // ---- phase 2: the repository's documents (v2 and v3 current, v1 and replaced v2 retired), the same data and keys
    server = await startRustServer({ dataDir, adminToken, args: ['--documents-dir', DOCUMENTS] });
    try {
      const policy = await policyOf(server);
      const current = policy.documents;
      assert.deepEqual(Object.fromEntries(current.map((d) => [d.kind, d.version])), CURRENT, 'the current versions are published, v1 and retired v2 no longer');
      for (const d of current) {
        const old = v1.find((o) => o.kind === d.kind);
        assert.equal(d.id, old.id, 'a new version of the same document');
        assert.notEqual(d.digest, old.digest, `${d.kind}: a new text has a new digest`);
        assert.equal(d.digest, sha256(d.text));
        assert.equal(consent.checkDocument(d).ok, true);
      }

      // The stored receipts of the registered account, as the server keeps them.
      const stored = await call(server.base, 'GET', `/api/registrations/${account.id}/consents`, { token: adminToken });
      assert.equal(stored.status, 200, stored.text);
      const receipts = stored.json.consents.map((c) => c.receipt);
      assert.deepEqual(receipts.map((r) => [r.document.kind, r.document.version]), ADULT.map((k) => [k, '1']));
      // Countersigned when stored under v1, and the signature still checks against the keys published now.
      for (const receipt of receipts) {
        const signed = await consent.verifyReceiptSignature(receipt, policy.signingKeys);
        assert.equal(signed.ok, true, JSON.stringify(signed.issues));
      }
      // The account's own token reads the same receipts after the restart.
      const own = await call(server.base, 'GET', `/api/registrations/${account.id}/consents`, { token: account.accountToken });
      assert.equal(own.status, 200, own.text);

      // needsReconsent: each adult document again, because of its new version; the minors' two were never accepted.
      const required = current.filter((d) => ADULT.includes(d.kind));
      const again = consent.needsReconsent(receipts, required, { locale: 'zh-CN' });
      assert.equal(again.ok, true, JSON.stringify(again.issues));
      assert.deepEqual(again.reconsent.map((r) => [r.kind, r.version, r.reason]), ADULT.map((k) => [k, CURRENT[k], 'new_version']));
      for (const r of again.reconsent) {
        assert.equal(r.issue.code, 'consent_required_new_version');
        assert.equal(r.issue.message, '协议已更新，请重新阅读并同意');
      }
      const all = consent.needsReconsent(receipts, current);
      assert.deepEqual(all.reconsent.map((r) => r.reason), ['new_version', 'new_version', 'new_version', 'never_accepted', 'never_accepted']);
      // Against the documents they were given for, nothing to do: it is the new text that asks again.
      assert.deepEqual(consent.needsReconsent(receipts, v1.filter((d) => ADULT.includes(d.kind))).reconsent, []);

      // The v1 receipts still verify, with the retired texts (read from the repository, byte for byte)...
      const retired = await Promise.all(
        manifest.documents
          .filter((d) => d.retired)
          .map(async (d) => consent.makeDocument({ id: d.id, version: d.version, kind: d.kind, title: d.title, locale: d.locale, text: await text(d.file), reading: d.reading })),
      );
      for (const d of retired) assert.equal(d.digest, PUBLISHED[d.version][d.id], `${d.id} ${d.version}: the published text`);
      for (const receipt of receipts) {
        assert.deepEqual(consent.verifyReceipt(receipt, [...retired, ...current]), { ok: true, receipt });
        // ...and only with them: this is why a retired version stays listed.
        assert.deepEqual(consent.verifyReceipt(receipt, current).issues.map((i) => i.code), ['consent_document_unknown']);
      }
      // On the server too: the same v1 receipts again are accepted as already stored, and a fresh v1 receipt is
      // accepted (it verifies), though it no longer covers a registration.
      const replay = await postConsents(server, pendingV1);
      assert.equal(replay.status, 200, replay.text);
      const late = buildReceipt(v1.find((d) => d.kind === 'privacy_policy'), `reg-doc-${randomUUID()}`);
      assert.equal((await postConsents(server, [late])).status, 201);
      // A receipt for a retired v2 text (replaced by v3) verifies too, in the package and on the server.
      for (const id of V2_RETIRED) {
        const v2 = retired.find((d) => d.id === id && d.version === '2');
        const receipt = buildReceipt(v2, `reg-doc-${randomUUID()}`);
        assert.equal(consent.verifyReceipt(receipt, [...retired, ...current]).ok, true);
        assert.deepEqual(consent.verifyReceipt(receipt, current).issues.map((i) => i.code), ['consent_document_unknown']);
        const res = await postConsents(server, [receipt]);
        assert.equal(res.status, 201, res.text);
      }

      // A registration citing only the v1 receipts: refused, one sync_consent_missing per kind it lacks.
      const refused = await postRegistration(server, pendingId, people.pending, pendingV1.map((r) => r.consentReceiptID));
      assert.equal(refused.status, 422, refused.text);
      assert.deepEqual(
        refused.json.issues.map((i) => [i.path, i.code, i.params]).sort((a, b) => a[2].kind.localeCompare(b[2].kind)),
        [...ADULT].sort().map((kind) => [['consents'], 'sync_consent_missing', { kind }]),
      );
      for (const value of Object.values(people.pending)) assert.ok(!refused.text.includes(value), 'the refusal echoes nothing of the form');

      // The same person accepts the current versions (new receipts, the next sequence numbers): now needsReconsent is satisfied and
      // the server registers them.
      const pendingNow = adultReceipts(policy, pendingId, 4);
      assert.equal((await postConsents(server, pendingNow)).status, 201);
      assert.deepEqual(consent.needsReconsent([...pendingV1, ...pendingNow], required).reconsent, []);
      const registered = await postRegistration(server, pendingId, people.pending, pendingNow.map((r) => r.consentReceiptID));
      assert.equal(registered.status, 201, registered.text);
      const row = await call(server.base, 'GET', `/api/registrations/${registered.json.id}`, { token: adminToken });
      assert.equal(row.status, 200, row.text);
      assert.deepEqual([...row.json.consents].sort(), pendingNow.map((r) => r.consentReceiptID).sort());
    } finally {
      await server.stop();
    }
  });
});

// ---- the NPPA set (examples/documents-nppa/) ---------------------------------------------------------------------

const NPPA_DIR = join(repoRoot, 'examples', 'documents-nppa');
const nppaManifest = JSON.parse(await readFile(join(NPPA_DIR, 'manifest.json'), 'utf8'));
/** The path a manifest entry names, as Bundle::load reads it: dir.join(file). */
const nppaPath = (entry) => resolve(NPPA_DIR, entry.file);

describe('the document set of a game that verifies with the NPPA system (examples/documents-nppa)', () => {
  test('every file it names exists; the shared ones are the shipped files, byte for byte; one current per kind; the privacy policy declares recipient:nppa', async () => {
    const seen = new Set();
    for (const entry of nppaManifest.documents) {
      await access(nppaPath(entry));
      assert.ok(!seen.has(`${entry.id}@${entry.version}`), `${entry.id} ${entry.version} listed twice`);
      seen.add(`${entry.id}@${entry.version}`);
      assert.equal(typeof entry.reading?.reachEnd, 'boolean', `${entry.id} ${entry.version}: a reading rule`);
      if (entry.file.startsWith('../../server/documents/')) {
        // A shared text is the shipped one: the same entry, the same bytes.
        const shipped = manifest.documents.find((d) => d.id === entry.id && d.version === entry.version);
        assert.ok(shipped, `${entry.file}: a shipped version`);
        assert.equal(`../../server/documents/${shipped.file}`, entry.file);
        assert.deepEqual([entry.kind, entry.title, entry.reading], [shipped.kind, shipped.title, shipped.reading]);
      } else {
        assert.match(entry.version, /-nppa$/, `${entry.file}: a version of its own`);
        assert.ok(!entry.file.includes('/'), `${entry.file}: in this directory`);
      }
    }
    // Every version the shipped set ever published is listed, so that receipts for them still verify after a switch.
    for (const d of manifest.documents) assert.ok(seen.has(`${d.id}@${d.version}`), `${d.id} ${d.version} is listed`);
    const current = nppaManifest.documents.filter((d) => !d.retired);
    assert.deepEqual(current.map((d) => d.kind).sort(), [...KINDS].sort());
    assert.deepEqual(
      Object.fromEntries(current.map((d) => [d.kind, d.version])),
      { ...CURRENT, service_agreement: `${CURRENT.service_agreement}-nppa`, privacy_policy: `${CURRENT.privacy_policy}-nppa`, sensitive_pi: `${CURRENT.sensitive_pi}-nppa`, children_privacy_rules: `${CURRENT.children_privacy_rules}-nppa` },
      'the variants of the current shipped texts, and the shipped guardian consent',
    );
    assert.deepEqual(current.flatMap((d) => d.declares ?? []), ['recipient:nppa']);
    assert.deepEqual(current.find((d) => d.kind === 'privacy_policy').declares, ['recipient:nppa']);
  });

  test('its own texts: publishable, and they say what goes to the system, why, how, what a failure does and what is kept; none says the number goes to nobody', async () => {
    const own = nppaManifest.documents.filter((d) => !d.retired && !d.file.includes('/'));
    const texts = Object.fromEntries(await Promise.all(own.map(async (d) => [d.kind, await readFile(nppaPath(d), 'utf8')])));
    for (const entry of own) assertPublishable(entry, texts[entry.kind]);
    for (const [kind, body] of Object.entries(texts)) {
      for (const needle of ['国家新闻出版署', '网络游戏防沉迷实名认证系统', '国新出发〔2019〕34号', '加密', '未核验']) {
        assert.ok(body.includes(needle), `${kind}: says ${needle}`);
      }
      // The shipped texts' denials, which are false here.
      assert.doesNotMatch(body, /不向公安机关或者其他(任何)?第三方核验(您的证件|证件)/, `${kind}: the documents are checked by the system`);
      assert.doesNotMatch(body, /也不向任何第三方提供您的证件号码|第三方：我们不向任何第三方提供|转移：我们不向任何第三方转移/, `${kind}: the number does go to the system`);
      assert.doesNotMatch(body, /服务器将(每一个)?账户的核验状态记为“未核验”/, `${kind}: not every account is unverified`);
    }
    const policy = texts.privacy_policy;
    for (const needle of [
      '国新出发〔2021〕14号）第二条', '第十三条第一款第三项', '第二十三条', '【该系统公布的联系方式】', 'AES-128-GCM', '48小时',
      '用户标识', '上线', '下线', '会话标识', '不上报您的姓名、证件号码或者手机号码', '【运营者选择其一：“不予注册”', '“标注并由平台处理”',
      '监护人的信息不提交核验', '核验的结果也不改变服务器计算的年龄',
    ]) {
      assert.ok(policy.includes(needle), `PP: says ${needle}`);
    }
    assert.ok(texts.sensitive_pi.includes('第二十三条、第二十九条、第三十条'), 'SPI: the separate consent to providing the number');
    assert.ok(texts.service_agreement.includes('【运营者选择其一'), 'SA: the failure is the operator\'s choice (--verification-required)');
    assert.ok(texts.children_privacy_rules.includes('监护人的信息不提交核验'), 'CR: the guardian is not checked');
    // The guardian consent is shared: it says nothing the NPPA set makes untrue (the guardian is not checked).
    const guardian = nppaManifest.documents.find((d) => d.kind === 'guardian_consent' && !d.retired);
    assert.match(await readFile(nppaPath(guardian), 'utf8'), /本服务不向公安机关或者其他第三方核验本人的证件/);
  });

  test('the server starts with --documents-dir examples/documents-nppa --verify-provider nppa, publishes the set, and a registration under it is verified by the system (its simulator)', { timeout: 60_000 }, async () => {
    const app = 'shiming-doc-app';
    const biz = '1101999998';
    const secret = 'fedcba9876543210fedcba9876543210';
    const sim = await startNppaSimulator({ appId: app, bizId: biz, secretKey: secret });
    let server;
    try {
      server = await startRustServer({
        args: [
          '--documents-dir', join('examples', 'documents-nppa'),
          '--verify-provider', 'nppa', '--nppa-app-id', app, '--nppa-biz-id', biz,
          '--nppa-check-url', `${sim.url}/idcard/authentication/check`,
          '--nppa-query-url', `${sim.url}/idcard/authentication/query`,
          '--nppa-behavior-url', `${sim.url}/behavior/collection/loginout`,
          '--verification-required', '--kinds', 'cn_resident',
        ],
        env: { SHIMING_NPPA_SECRET_KEY: secret },
      });
      const policy = await policyOf(server);
      const current = nppaManifest.documents.filter((d) => !d.retired);
      assert.deepEqual(policy.documents.map((d) => [d.kind, d.version]).sort(), current.map((d) => [d.kind, d.version]).sort());
      for (const d of policy.documents) {
        const entry = current.find((e) => e.kind === d.kind);
        assert.equal(d.digest, sha256(await readFile(nppaPath(entry), 'utf8')), `${d.kind}: the file's exact text`);
      }
      const person = await register(server, 7301, { phone: '13800138073' });
      assert.deepEqual(person.verification, { state: 'verified' });
      assert.ok(sim.requests.some((r) => r.path === '/idcard/authentication/check' && r.business?.idNum === person.idNumber), 'the system was asked');
    } finally {
      await server?.stop();
      await sim.close();
    }
  });
});
