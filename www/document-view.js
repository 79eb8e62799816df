// The agreement texts (Markdown, as GET {base}/policy publishes them) shown as documents in their reading boxes.
//
//   import { documentView } from './document-view.js';
//   box.replaceChildren(documentView(document.text, { headingLevel: 4 }));
//
// A view only: the page keeps `document.text` as it came, because the receipt's digest covers that exact text
// (checkDocument checks it, ConsentGate.receipt records it). Nothing here changes the text or takes part in the digest.
//
// Nothing in a text is trusted. Every node is made with document.createElement, and text goes in only as Text nodes
// (textContent, or append() of a string): there is no innerHTML here, so raw HTML in a text (`<script>`,
// `<img onerror=…>`) shows as the characters it is. A link is made only when the browser's own URL parser resolves
// it to http:, https: or mailto: (relative URLs resolve to the page's http(s)); it opens in a new tab, so the form
// being filled stays, with rel="noopener noreferrer". Any other link (javascript:, data:, …) and every image stay
// literal text. No inline style is set (the server's CSP forbids it): the look is in style.css, `.doc-text`.
//
// What is rendered (a CommonMark subset: all that the texts in server/documents use, and the common basics):
//   blocks  ATX headings (`# …`, levels shifted by `headingLevel`, class md-h1…md-h6 after the source's level) and
//           setext headings; paragraphs with hard line breaks (two spaces or `\` at a line's end); ordered (`1.`,
//           `1)`, the start number kept) and unordered (`-`, `*`, `+`) lists, nested by indentation, tight or loose,
//           with lazy continuation lines; thematic breaks (`---`, `***`, `___`); block quotes (`>`); fenced code.
//   inline  **strong** and __strong__, *emphasis* and _emphasis_, `code`, [links](url "title"), <autolinks>,
//           backslash escapes.
// Shown as written: raw HTML, entity references (`&amp;`), indented code blocks, reference links, tables, images,
// bare URLs and e-mail addresses. Emphasis follows CommonMark's delimiter matching with one simplification for
// Chinese: a `*` run opens before a non-space and closes after one, whatever punctuation is next to it (so
// `**“同意”**即` is bold); a `_` run must also not stand inside a word (`children_privacy_rules` stays as it is).

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const ESCAPABLE = /^[!-/:-@[-`{-~]$/; // ASCII punctuation
const SPACE = /^\s$/u;
const PUNCTUATION = /^[\p{P}\p{S}]$/u;

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const BREAK = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(?:( +)(.*))?$/;
const PLAIN_END = /[\\\n`*_![<]/g; // where plain text may end
const MAX_DEPTH = 32; // of nested lists and quotes; deeper, the rest is a paragraph (no stack overflow)

/**
 * The view of a Markdown `source`, as a DocumentFragment. `headingLevel`: the element of a `#` heading (1 to 6;
 * `##` is one below it, and so on, h6 at most), so that a text's headings fit under the page's own.
 */
export function documentView(source, { headingLevel = 1 } = {}) {
  const top = Math.min(6, Math.max(1, Math.trunc(headingLevel) || 1));
  const lines = String(source).replace(/\r\n?/g, '\n').split('\n').map(expandTabs);
  const fragment = document.createDocumentFragment();
  try {
    for (const node of blocks(lines, top)) fragment.append(node);
  } catch {
    // Never seen: should the view fail, the reader still gets the whole text, as it is.
    const raw = document.createElement('pre');
    raw.className = 'doc-source';
    raw.textContent = String(source);
    fragment.replaceChildren(raw);
  }
  return fragment;
}

// ---- blocks ------------------------------------------------------------------------------------------------------

function element(tag, children = []) {
  const node = document.createElement(tag);
  for (const child of children) node.append(child); // one by one: a long text must not overflow the stack
  return node;
}

/** Leading tabs as spaces to the next multiple of 4 (indentation decides list nesting). */
function expandTabs(line) {
  return line.replace(/^[ \t]+/, (space) => {
    let column = 0;
    for (const c of space) column = c === '\t' ? column + 4 - (column % 4) : column + 1;
    return ' '.repeat(column);
  });
}

const blank = (line) => line.trim() === '';
const indentOf = (line) => line.length - line.trimStart().length;

/** A list item's first line: `{ ordered, marker, number, offset (of its content), content }`, or null. */
function listItem(line) {
  const m = ITEM.exec(line);
  if (!m || BREAK.test(line)) return null;
  const [, indent, marker, spaces = '', content = ''] = m;
  const ordered = /\d/.test(marker[0]);
  const wide = spaces.length > 4 || content === '';
  return {
    ordered,
    marker: ordered ? marker.at(-1) : marker,
    number: ordered ? Number(marker.slice(0, -1)) : null,
    offset: indent.length + marker.length + (wide ? 1 : spaces.length),
    content: wide ? content.trimStart() : content,
  };
}

/** Whether `line` starts a block that ends a paragraph (an ordered list only when it starts at 1). */
function interrupts(line) {
  if (HEADING.test(line) || BREAK.test(line) || FENCE.test(line) || QUOTE.test(line)) return true;
  const item = listItem(line);
  return item !== null && item.content !== '' && (!item.ordered || item.number === 1);
}

function heading(sourceLevel, text, top) {
  const node = element(`h${Math.min(6, top + sourceLevel - 1)}`, inline(text));
  node.className = `md-h${sourceLevel}`;
  return node;
}

function blocks(lines, top, depth = 0) {
  if (depth > MAX_DEPTH) return [element('p', inline(lines.map((l) => l.trim()).join('\n').trim()))];
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (blank(line)) {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence && !(fence[2][0] === '`' && fence[3].includes('`'))) {
      const [, indent, marks] = fence;
      const closing = new RegExp(`^ {0,3}${marks[0] === '`' ? '`' : '~'}{${marks.length},}[ \\t]*$`);
      const body = [];
      for (i += 1; i < lines.length && !closing.test(lines[i]); i += 1) {
        body.push(lines[i].slice(Math.min(indent.length, indentOf(lines[i]))));
      }
      i += 1; // the closing fence (or the end of the text)
      const code = document.createElement('code');
      code.textContent = body.join('\n');
      out.push(element('pre', [code]));
      continue;
    }
    const atx = HEADING.exec(line);
    if (atx) {
      const text = (atx[2] ?? '').trim().replace(/(?:^|[ \t]+)#+$/, '').trim();
      out.push(heading(atx[1].length, text, top));
      i += 1;
      continue;
    }
    if (BREAK.test(line)) {
      out.push(document.createElement('hr'));
      i += 1;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner = [];
      for (; i < lines.length && QUOTE.test(lines[i]); i += 1) inner.push(QUOTE.exec(lines[i])[1]);
      out.push(element('blockquote', blocks(inner, top, depth + 1)));
      continue;
    }
    if (listItem(line)) {
      const [node, next] = list(lines, i, top, depth);
      out.push(node);
      i = next;
      continue;
    }
    // A paragraph: up to a blank line or another block; a `===` or `---` line under it makes it a heading.
    const text = [line];
    let level = 0;
    for (i += 1; i < lines.length && !blank(lines[i]); i += 1) {
      const underline = SETEXT.exec(lines[i]);
      if (underline) {
        level = underline[1][0] === '=' ? 1 : 2;
        i += 1;
        break;
      }
      if (interrupts(lines[i])) break;
      text.push(lines[i]);
    }
    const joined = text.map((l) => l.trimStart()).join('\n').trimEnd();
    out.push(level ? heading(level, joined, top) : element('p', inline(joined)));
  }
  return out;
}

/** The list that starts at lines[start]: [ol or ul, the index after it]. */
function list(lines, start, top, depth) {
  const first = listItem(lines[start]);
  const items = [];
  let loose = false;
  let i = start;
  while (i < lines.length) {
    const item = listItem(lines[i]);
    if (!item || item.ordered !== first.ordered || item.marker !== first.marker) break;
    const body = [item.content];
    let afterBlank = false;
    for (i += 1; i < lines.length; i += 1) {
      const line = lines[i];
      if (blank(line)) {
        body.push('');
        afterBlank = true;
      } else if (indentOf(line) >= item.offset) {
        body.push(line.slice(item.offset));
        afterBlank = false;
      } else if (!afterBlank && !blank(body.at(-1)) && !interrupts(line) && !listItem(line) && !SETEXT.test(line)) {
        body.push(line.trimStart()); // a lazy continuation of the item's paragraph
      } else {
        break;
      }
    }
    while (body.length > 1 && blank(body.at(-1))) body.pop();
    const next = listItem(lines[i] ?? '');
    const continues = next && next.ordered === first.ordered && next.marker === first.marker;
    if (body.slice(1).some(blank) || (continues && blank(lines[i - 1]))) loose = true;
    items.push(body);
  }
  const node = document.createElement(first.ordered ? 'ol' : 'ul');
  if (first.ordered && first.number !== 1) node.setAttribute('start', String(first.number));
  for (const body of items) {
    const li = element('li', blocks(body, top, depth + 1));
    // A tight list holds its items' text without paragraphs.
    if (!loose) {
      for (const p of [...li.children].filter((c) => c.tagName === 'P')) {
        while (p.firstChild) p.before(p.firstChild);
        p.remove();
      }
    }
    node.append(li);
  }
  return [node, i];
}

// ---- inline ------------------------------------------------------------------------------------------------------

/** The inline content of `s`: strings (appended as Text nodes) and elements. */
function inline(s, inLink = false) {
  const items = []; // strings, elements, and runs of * or _ (matched at the end)
  const closers = brackets(s);
  let text = '';
  const flush = () => {
    if (text) items.push(text);
    text = '';
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\' && s[i + 1] === '\n') {
      flush();
      items.push(document.createElement('br'));
      i += 2;
    } else if (c === '\\' && ESCAPABLE.test(s[i + 1] ?? '')) {
      text += s[i + 1];
      i += 2;
    } else if (c === '\n') {
      // Two spaces or more before a line break make it a hard one; else it is a soft break (shown as a space). The
      // spaces are counted in `s`, and the text is flushed at every line: a long paragraph stays linear.
      let spaces = 0;
      while (s[i - 1 - spaces] === ' ' && spaces < text.length) spaces += 1;
      text = text.slice(0, text.length - spaces);
      if (spaces >= 2) {
        flush();
        items.push(document.createElement('br'));
      } else {
        text += '\n';
        flush();
      }
      i += 1;
    } else if (c === '`') {
      const run = runLength(s, i);
      const close = closingBackticks(s, i + run, run);
      if (close < 0) {
        text += s.slice(i, i + run);
        i += run;
      } else {
        flush();
        items.push(codeSpan(s.slice(i + run, close)));
        i = close + run;
      }
    } else if (c === '*' || c === '_') {
      const run = runLength(s, i);
      const before = s[i - 1] ?? ' ';
      const after = s[i + run] ?? ' ';
      let canOpen = !SPACE.test(after);
      let canClose = !SPACE.test(before);
      if (c === '_') {
        canOpen &&= SPACE.test(before) || PUNCTUATION.test(before);
        canClose &&= SPACE.test(after) || PUNCTUATION.test(after);
      }
      flush();
      items.push(new Run(c, run, canOpen, canClose));
      i += run;
    } else if (c === '!' && s[i + 1] === '[' && parseLink(s, i + 1, closers)) {
      const end = parseLink(s, i + 1, closers).end; // an image: shown as its source text, never loaded
      text += s.slice(i, end);
      i = end;
    } else if (c === '[' && !inLink && parseLink(s, i, closers)) {
      const link = parseLink(s, i, closers);
      const node = anchor(link.destination, link.title, inline(link.label, true));
      if (node) {
        flush();
        items.push(node);
      } else {
        text += s.slice(i, link.end);
      }
      i = link.end;
    } else if (c === '<' && autolink(s, i)) {
      const auto = autolink(s, i);
      const node = inLink ? null : anchor(auto.href, null, [auto.text]);
      if (node) {
        flush();
        items.push(node);
      } else {
        text += s.slice(i, auto.end);
      }
      i = auto.end;
    } else {
      PLAIN_END.lastIndex = i + 1;
      const end = PLAIN_END.exec(s)?.index ?? s.length;
      text += s.slice(i, end);
      i = end;
    }
  }
  flush();
  emphasis(items);
  // Adjacent strings joined: one Text node each.
  const out = [];
  for (const item of items) {
    const value = item instanceof Run ? item.char.repeat(item.count) : item;
    if (typeof value === 'string' && typeof out.at(-1) === 'string') out.push(out.pop() + value);
    else if (value !== '') out.push(value);
  }
  return out;
}

/** A run of `*` or `_`, and what it may do. */
class Run {
  // length: the run's own length (for the rule of 3); count: how many of its characters are still unmatched.
  constructor(char, count, canOpen, canClose) {
    Object.assign(this, { char, count, length: count, canOpen, canClose });
  }
}

function runLength(s, i) {
  let end = i;
  while (s[end] === s[i]) end += 1;
  return end - i;
}

/** Where a run of exactly `n` backticks starts at or after `from`, or -1. */
function closingBackticks(s, from, n) {
  for (let i = from; i < s.length; ) {
    if (s[i] !== '`') {
      i += 1;
      continue;
    }
    const run = runLength(s, i);
    if (run === n) return i;
    i += run;
  }
  return -1;
}

function codeSpan(raw) {
  let content = raw.replace(/\n/g, ' ');
  if (content.length > 1 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
  const code = document.createElement('code');
  code.textContent = content;
  return code;
}

/**
 * Matches the runs in place (CommonMark's "process emphasis", rule of 3 included): each closer, left to right, takes
 * the nearest opener of its character; what lies between them goes into an <em> (one of each) or a <strong> (two of
 * each, when both have two), and runs left between them become text.
 */
function emphasis(items) {
  const isRun = (item) => item instanceof Run;
  const bottom = { '*': 0, _: 0 }; // below it, no opener of that character is left (keeps long texts linear)
  for (let c = 0; c < items.length; c += 1) {
    const closer = items[c];
    if (!isRun(closer) || !closer.canClose) continue;
    while (closer.count > 0) {
      let o = c - 1;
      let skipped = false;
      for (; o >= bottom[closer.char]; o -= 1) {
        const opener = items[o];
        if (!isRun(opener) || opener.char !== closer.char || !opener.canOpen || opener.count === 0) continue;
        // The rule of 3: `**a*b**` is <strong>a*b</strong>, not <em><em>a</em>b</em>*.
        const both = opener.canClose || closer.canOpen;
        if (both && (opener.length + closer.length) % 3 === 0 && (opener.length % 3 !== 0 || closer.length % 3 !== 0)) {
          skipped = true;
          continue;
        }
        break;
      }
      if (o < bottom[closer.char]) {
        if (!skipped) bottom[closer.char] = c;
        break;
      }
      const opener = items[o];
      const n = opener.count >= 2 && closer.count >= 2 ? 2 : 1;
      const inner = items.slice(o + 1, c).map((item) => (isRun(item) ? item.char.repeat(item.count) : item));
      const node = element(n === 2 ? 'strong' : 'em', inner.filter((item) => item !== ''));
      items.splice(o + 1, c - o - 1, node);
      for (const char of ['*', '_']) bottom[char] = Math.min(bottom[char], o + 1);
      opener.count -= n;
      closer.count -= n;
      c = o + 2;
    }
  }
}

/** Where the `]` that closes each `[` of `s` is (brackets nest; escaped ones and those in code spans do not count). */
function brackets(s) {
  const closers = new Map();
  const open = [];
  for (let i = 0; i < s.length; i += 1) {
    const c = s[i];
    if (c === '\\') i += 1;
    else if (c === '`') {
      const run = runLength(s, i);
      const close = closingBackticks(s, i + run, run);
      i = (close < 0 ? i + run : close + run) - 1;
    } else if (c === '[') open.push(i);
    else if (c === ']' && open.length > 0) closers.set(open.pop(), i);
  }
  return closers;
}

/**
 * `[label](destination "title")` at s[i] === '[' (`closers` from brackets(s)): `{ label, destination, title, end }`,
 * or null. The destination is `<…>`, or has balanced parentheses (32 deep at most, as cmark: a long text of
 * unclosed `(` must not take quadratic time).
 */
function parseLink(s, i, closers) {
  const j = closers.get(i);
  if (j === undefined || s[j + 1] !== '(') return null;
  const label = s.slice(i + 1, j);
  let k = skipSpace(s, j + 2);
  let destination = '';
  if (s[k] === '<') {
    const end = s.slice(k + 1).search(/(?<!\\)[<>\n]/);
    if (end < 0 || s[k + 1 + end] !== '>') return null;
    destination = s.slice(k + 1, k + 1 + end);
    k += end + 2;
  } else {
    let parens = 0;
    const from = k;
    for (; k < s.length && !/[\s\x00-\x1f\x7f]/.test(s[k]); k += 1) {
      if (s[k] === '\\' && ESCAPABLE.test(s[k + 1] ?? '')) k += 1;
      else if (s[k] === '(' && ++parens > 32) return null;
      else if (s[k] === ')' && parens-- === 0) break;
    }
    if (parens > 0) return null;
    destination = s.slice(from, k);
  }
  let title = null;
  const spaced = skipSpace(s, k);
  const quote = { '"': '"', "'": "'", '(': ')' }[s[spaced]];
  if (quote && spaced > k) {
    let end = spaced + 1;
    while (end < s.length && s[end] !== quote && !(quote === ')' && s[end] === '(')) end += s[end] === '\\' ? 2 : 1;
    if (s[end] !== quote) return null;
    title = unescapeText(s.slice(spaced + 1, end));
    k = end + 1;
  }
  k = skipSpace(s, k);
  if (s[k] !== ')') return null;
  return { label, destination: unescapeText(destination), title, end: k + 1 };
}

function skipSpace(s, k) {
  while (k < s.length && /[ \t\n]/.test(s[k])) k += 1;
  return k;
}

function unescapeText(s) {
  return s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** `<scheme:…>` or `<name@domain>` at s[i] === '<': `{ href, text, end }`, or null. */
function autolink(s, i) {
  const m = /^<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\x00-\x1f\x7f]*)>/.exec(s.slice(i))
    ?? /^<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>/.exec(s.slice(i));
  if (!m) return null;
  const email = !m[1].includes(':');
  return { href: email ? `mailto:${m[1]}` : m[1], text: m[1], end: i + m[0].length };
}

/** An <a> for `destination` if it resolves to http:, https: or mailto:; else null (the caller shows the source). */
function anchor(destination, title, children) {
  let url;
  try {
    url = new URL(destination, document.baseURI);
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
  const a = element('a', children);
  a.href = url.href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  if (title) a.title = title;
  return a;
}
