// End to end (issue 14, item 6): the agreements are shown as documents (www/document-view.js), safely, and the consent
// still covers their exact text. In Debian's chromium, against the reference backend (the Rust server,
// tests/js/server.mjs), twice: with the documents compiled in, and with `--documents-dir` on a copy of
// server/documents/ whose service agreement has hostile Markdown appended (raw HTML, a javascript: link) besides every
// construct the renderer supports. The server computes each digest from the text it reads, so the copy is a valid
// document set as it is.
// - the real texts: every heading of every text is a heading element (`#` → h4, `##` → h5: under the section's h3),
//   every numbered line a list item, no `#` or `**` left, the box still the one that scrolls and is measured;
// - the hostile text: its HTML shown as literal text, no img or script element made, the javascript: link not a link,
//   the https link an <a> with rel="noopener noreferrer"; readable at 390 px;
// - an adult registers on both after reading the rendered texts, and each receipt's document digest is the SHA-256 of
//   the file's exact text.
// Every page is watched: any console error or warning, page error, failed request or HTTP error fails the test.
// ID numbers come from the package's generateTestId (test data, never real people).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startRustServer } from './server.mjs';
import { assertPkgBuilt, importPkg, launchChromium, watchPage, repoRoot, pkgDir, readAndAccept } from './support.mjs';

assertPkgBuilt();
const { generateTestId } = await importPkg();

const PKG = process.env.SHIMING_PKG ?? pkgDir;
const DOCUMENTS = join(repoRoot, 'server', 'documents');
const MANIFEST = JSON.parse(await readFile(join(DOCUMENTS, 'manifest.json'), 'utf8'));
const ADULT_KINDS = ['service_agreement', 'privacy_policy', 'sensitive_pi'];
const SHOTS = join(repoRoot, 'docs', 'screenshots');
const SHOOT = process.env.SHIMING_SCREENSHOTS === '1';

/** Appended to the copy's service agreement: what a renderer must not trust, and every construct it renders. */
const HOSTILE = `
## 七、渲染检查

这一段有**加粗**、*强调*、__也加粗__、\`代码\`，一个[x](https://example.com)链接和一个[点我](javascript:alert(document.domain))，还有<javascript:alert(1)>与<https://example.com/a_very_long_path/that/must/wrap/at/390px/without/scrolling/sideways>。

<img src=x onerror="document.title='pwned'">

<script>document.title = 'pwned'</script>

1. 第一项
   - 子项甲
   - 子项乙
2. 第二项

---

> 引用里的 <b>标签</b> 也是文字。

最后一行。
`;

let server;
let hostile;
let hostileDir;
let browser;

before(async () => {
  const mounts = [
    { prefix: '/pkg/', dir: PKG },
    { prefix: '/', dir: join(repoRoot, 'www') },
  ];
  hostileDir = await mkdtemp(join(tmpdir(), 'shiming-documents-'));
  await cp(DOCUMENTS, hostileDir, { recursive: true });
  const current = MANIFEST.documents.find((d) => d.kind === 'service_agreement' && !d.retired);
  await appendFile(join(hostileDir, current.file), HOSTILE);
  server = await startRustServer({ mounts });
  hostile = await startRustServer({ mounts, args: ['--documents-dir', hostileDir] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await hostile?.stop();
  if (hostileDir) await rm(hostileDir, { recursive: true, force: true });
});

async function openPage(target, viewport = { width: 1000, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${target.base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, watch, context };
}

/** The file's text of a document kind (from `dir`): the source the page was given. */
async function sourceOf(kind, dir = DOCUMENTS) {
  const entry = MANIFEST.documents.find((d) => d.kind === kind && !d.retired);
  return readFile(join(dir, entry.file), 'utf8');
}

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** What a reading box shows: its elements in document order (tag, class, text), and its whole text. */
function view(page, kind) {
  return page.getByTestId(`doc-text-${kind}`).evaluate((box) => ({
    nodes: [...box.querySelectorAll('*')].map((n) => ({ tag: n.tagName.toLowerCase(), cls: n.className, text: n.textContent })),
    text: box.textContent,
    links: [...box.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), rel: a.rel, target: a.target, text: a.textContent })),
  }));
}

async function fillIdentity(page, person) {
  await page.getByLabel('姓名', { exact: true }).fill(person.name);
  await page.getByLabel('证件号码', { exact: true }).fill(person.idNumber);
  await page.getByLabel('手机号码', { exact: true }).fill(person.phone);
  await page.getByLabel('手机号码', { exact: true }).press('Tab');
}

/**
 * An adult reads the three rendered texts (wheel to the end), ticks each box and submits; the registration is stored
 * with three receipts whose document digests are those of the files' exact texts.
 */
async function registerAdult(page, target, person, dir) {
  await fillIdentity(page, person);
  await page.waitForSelector('[data-testid="preview-age-band"]');
  for (const kind of ADULT_KINDS) await readAndAccept(page, kind);
  await page.getByTestId('submit').click();
  await page.waitForSelector('[data-testid="submission"][data-state="synced"]', { timeout: 15_000 });
  await page.getByTestId('success').waitFor();
  const id = (await page.getByTestId('success-account').textContent()).trim();
  const response = await fetch(`${target.api}/registrations/${id}/consents`, { headers: { Authorization: `Bearer ${target.adminToken}` } });
  assert.equal(response.status, 200);
  const receipts = (await response.json()).consents.map((c) => c.receipt);
  assert.deepEqual(receipts.map((r) => r.document.kind).sort(), [...ADULT_KINDS].sort());
  for (const receipt of receipts) {
    assert.equal(receipt.document.digest, sha256(await sourceOf(receipt.document.kind, dir)), `${receipt.document.kind}: the digest of the exact text`);
    assert.equal(receipt.reading.reachedEnd, true);
  }
  const service = receipts.find((r) => r.document.kind === 'service_agreement');
  assert.ok(service.reading.visibleSeconds >= 3, 'the service agreement was seen for its 3 seconds');
  return receipts;
}

async function shot(page, name) {
  if (SHOOT) await page.getByTestId('doc-service_agreement').screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe('the agreements as documents', () => {
  test('every text: headings as h4/h5, numbered lines as list items, no Markdown markers; the box still scrolls and is read', async () => {
    const { page, watch, context } = await openPage(server);
    for (const { kind } of MANIFEST.documents.filter((d) => !d.retired)) {
      const source = await sourceOf(kind);
      const shown = await view(page, kind);
      // Every `#` line is a heading one level under its place (`#` → h4 under the section's h3), in order.
      const headings = source.split('\n').flatMap((line) => {
        const m = /^(#{1,6}) (.*)$/.exec(line);
        return m ? [{ tag: `h${3 + m[1].length}`, cls: `md-h${m[1].length}`, text: m[2] }] : [];
      });
      assert.ok(headings.length >= 1, `${kind} has headings`);
      assert.deepEqual(shown.nodes.filter((n) => /^h\d$/.test(n.tag)), headings, `${kind}: the headings`);
      // Every numbered or bulleted line is a list item, its number given by the list, not the text.
      const plain = (text) => text.replaceAll('**', '');
      // (Nested items are items of their own; an outer item's text holds its nested ones after its own.)
      const items = source.split('\n').flatMap((line) => /^ *(?:\d+\.|[-*+]) (.*)$/.exec(line)?.slice(1) ?? []).map(plain);
      const shownItems = shown.nodes.filter((n) => n.tag === 'li').map((n) => n.text);
      assert.equal(shownItems.length, items.length, `${kind}: as many list items as the source has`);
      items.forEach((item, i) => assert.ok(shownItems[i].startsWith(item), `${kind}: item ${i} “${item.slice(0, 20)}…”`));
      assert.ok(shown.nodes.filter((n) => n.tag === 'li').length === 0 || shown.nodes.some((n) => n.tag === 'ol'));
      assert.ok(shown.nodes.filter((n) => n.tag === 'p').length >= 2, `${kind}: paragraphs`);
      for (const marker of ['#', '**', '1. ']) assert.ok(!shown.text.includes(marker), `${kind}: no literal ${marker}`);
      // Every bold span of the source is a <strong>, in order.
      const bold = [...source.matchAll(/\*\*(.+?)\*\*/g)].map((m) => m[1]);
      assert.deepEqual(shown.nodes.filter((n) => n.tag === 'strong').map((n) => n.text), bold, `${kind}: the bold spans`);
      // Nothing but the markers is lost: the words of every line are there.
      for (const line of source.split('\n').filter(Boolean)) {
        const words = plain(line.replace(/^ *(#{1,6} |\d+\. |[-*+] )/, '').trim());
        assert.ok(shown.text.includes(words), `${kind}: “${words.slice(0, 20)}…” is shown`);
      }
    }
    const service = await view(page, 'service_agreement');
    const serviceLines = (await sourceOf('service_agreement')).split('\n').filter(Boolean);
    assert.deepEqual(service.nodes.slice(0, 2).map((n) => [n.tag, n.text]), [['h4', serviceLines[0].slice(2)], ['p', serviceLines[1]]]);
    assert.ok(service.nodes.filter((n) => n.tag === 'ol').length >= 2, 'its numbered clauses are lists');
    assert.equal(service.nodes.filter((n) => n.tag === 'h5')[0].text, serviceLines.find((l) => l.startsWith('## ')).slice(3));
    assert.ok(service.nodes.some((n) => n.tag === 'strong'), 'the clauses the text marks in bold are bold');

    await shot(page, 'document-view');

    // The reading tracker still follows the box that scrolls: the rendered text overflows it, nothing is met before
    // scrolling, and the end is what unlocks the box (readAndAccept scrolls it with the wheel).
    await fillIdentity(page, { name: '周小文', idNumber: generateTestId({ seed: 81, birthDate: '1987-04-09', gender: 'female' }), phone: '13500135081' });
    const box = page.getByTestId('doc-text-service_agreement');
    const size = await box.evaluate((b) => ({ scroll: b.scrollHeight, client: b.clientHeight, overflow: getComputedStyle(b).overflowY }));
    assert.ok(size.scroll > size.client * 2, `the text overflows its box (${JSON.stringify(size)})`);
    assert.equal(size.overflow, 'auto');
    assert.equal(await page.getByTestId('accept-service_agreement').isDisabled(), true);
    assert.match(await page.getByTestId('doc-progress-service_agreement').textContent(), /滚动/);
    watch.assertClean(assert);
    await context.close();
  });

  test('an adult registers after reading the rendered texts; the receipts carry the digests of the exact texts', async () => {
    const { page, watch, context } = await openPage(server);
    await registerAdult(page, server, { name: '吴小东', idNumber: generateTestId({ seed: 82, birthDate: '1990-10-10', gender: 'male' }), phone: '13500135082' });
    watch.assertClean(assert);
    await context.close();
  });
});

describe('a hostile text', () => {
  test('raw HTML stays text, no img or script is made, only the safe link is a link; every construct rendered', async () => {
    const { page, watch, context } = await openPage(hostile);
    const shown = await view(page, 'service_agreement');
    // The HTML is there, as the characters it is.
    assert.ok(shown.text.includes(`<img src=x onerror="document.title='pwned'">`));
    assert.ok(shown.text.includes(`<script>document.title = 'pwned'</script>`));
    assert.ok(shown.text.includes('引用里的 <b>标签</b> 也是文字。'));
    const tags = new Set(shown.nodes.map((n) => n.tag));
    for (const tag of ['img', 'script', 'b', 'iframe', 'object', 'embed', 'style']) assert.ok(!tags.has(tag), `no <${tag}>`);
    assert.equal(await page.evaluate(() => document.querySelectorAll('img, script:not([src])').length), 0);
    assert.equal(await page.title(), (await page.evaluate(() => document.querySelector('title').textContent)));
    assert.notEqual(await page.title(), 'pwned');
    // Only http(s) links are links, opening elsewhere without the opener or the referrer; javascript: stays text.
    assert.deepEqual(shown.links, [
      { href: 'https://example.com/', rel: 'noopener noreferrer', target: '_blank', text: 'x' },
      {
        href: 'https://example.com/a_very_long_path/that/must/wrap/at/390px/without/scrolling/sideways',
        rel: 'noopener noreferrer',
        target: '_blank',
        text: 'https://example.com/a_very_long_path/that/must/wrap/at/390px/without/scrolling/sideways',
      },
    ]);
    assert.ok(shown.text.includes('[点我](javascript:alert(document.domain))'));
    assert.ok(shown.text.includes('<javascript:alert(1)>'));
    // The constructs: bold (** and __), emphasis, code, a nested list, a rule, a quote, headings.
    const find = (tag) => shown.nodes.filter((n) => n.tag === tag).map((n) => n.text);
    const ownBold = [...(await sourceOf('service_agreement')).matchAll(/\*\*(.+?)\*\*/g)].map((m) => m[1]);
    assert.deepEqual(find('strong'), [...ownBold, '加粗', '也加粗']);
    assert.deepEqual(find('em'), ['强调']);
    assert.deepEqual(find('code'), ['代码']);
    assert.equal(find('hr').length, 1);
    assert.deepEqual(find('blockquote'), ['引用里的 <b>标签</b> 也是文字。']);
    assert.equal(find('h5').at(-1), '七、渲染检查');
    const nested = await page.getByTestId('doc-text-service_agreement').evaluate((box) =>
      [...box.querySelectorAll('ol > li > ul > li')].map((li) => [li.textContent, li.parentElement.parentElement.firstChild.textContent.trim()]),
    );
    assert.deepEqual(nested, [['子项甲', '第一项'], ['子项乙', '第一项']]);
    for (const marker of ['**', '__', '`', '## ', '---']) assert.ok(!shown.text.includes(marker), `no literal ${marker}`);
    watch.assertClean(assert);
    await context.close();
  });

  test('at 390 px the document reads without sideways scrolling', async () => {
    const { page, watch, context } = await openPage(hostile, { width: 390, height: 844 });
    const box = page.getByTestId('doc-text-service_agreement');
    await box.scrollIntoViewIfNeeded();
    // The appended section at the top of the box: its long link, lists and quote are what could overflow.
    await box.evaluate((b) => {
      const heading = [...b.querySelectorAll('h5')].at(-1);
      b.scrollTop += heading.getBoundingClientRect().top - b.getBoundingClientRect().top - 8;
    });
    const size = await box.evaluate((b) => ({ scroll: b.scrollWidth, client: b.clientWidth }));
    assert.ok(size.scroll <= size.client, `the box does not scroll sideways (${JSON.stringify(size)})`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page does not scroll sideways');
    const heading = await box.locator('h4').evaluate((h) => ({ width: h.getBoundingClientRect().width, align: getComputedStyle(h).textAlign }));
    assert.equal(heading.align, 'center');
    await shot(page, 'document-view-390');
    watch.assertClean(assert);
    await context.close();
  });

  test('an adult registers on the hostile texts too: the receipt covers the exact text, HTML and all', async () => {
    const { page, watch, context } = await openPage(hostile);
    const receipts = await registerAdult(
      page,
      hostile,
      { name: '郑小北', idNumber: generateTestId({ seed: 83, birthDate: '1984-02-29', gender: 'female' }), phone: '13500135083' },
      hostileDir,
    );
    const service = receipts.find((r) => r.document.kind === 'service_agreement');
    assert.notEqual(service.document.digest, sha256(await sourceOf('service_agreement')), 'the appended text is covered');
    watch.assertClean(assert);
    await context.close();
  });
});
