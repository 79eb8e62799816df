// The JS side of the checks module, one file for every Rust extern block of the crate: the package ships one snippet
// module per crate instead of one per block, so a page without a bundler makes one request for them, not three.

// ---- Short string arguments and remembered options (src/input.rs).
let memory = null;
let bytes = null;
export function shiming_set_memory(m) { memory = m; bytes = null; }
// Options remembered after Rust parsed them: the token stays valid while the same object still
// holds the same asOf and locale (===) and no kinds (an array can change in place).
let lastOptions = null;
let lastAsOf;
let lastLocale;
let lastToken = 0;
export function shiming_remember_options(o, asOf, locale) {
  lastOptions = o;
  lastAsOf = asOf;
  lastLocale = locale;
  lastToken = (lastToken % 0x7fffff) + 1;
  return lastToken;
}
// Returns token * 128 + (status + 8), where status is the ASCII length written at ptr, or
// -1: needs the general path; -2: not a string; -3: too long to be an ID whatever it holds.
export function shiming_prepare(value, o, ptr, max) {
  let token = 0;
  // A throwing getter only means "no token": the general path reports it. Nothing may throw out
  // of this helper, because an exception unwinding through wasm frames skips Rust's cleanup.
  try {
    if (o != null && o === lastOptions && o.asOf === lastAsOf && o.locale === lastLocale && o.kinds == null) {
      token = lastToken;
    }
  } catch (_) {
    token = 0;
  }
  let status;
  if (typeof value !== 'string') {
    status = -2;
  } else if (value.length > 2 * max) {
    status = -3;
  } else if (value.length > max) {
    status = -1;
  } else {
    if (bytes === null || bytes.byteLength === 0) bytes = new Uint8Array(memory.buffer);
    const n = value.length;
    status = n;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 127) { status = -1; break; }
      bytes[ptr + i] = c;
    }
  }
  return token * 128 + status + 8;
}

// ---- checkRegistration's options remembered after Rust parsed them (src/registration.rs): the token stays valid
// while the same object holds the same asOf, locale, ageRule and guardianMinAge (===), and none of the keys whose
// values can change in place. A throwing getter only means "no token": Rust parses, and reports it.
let regOptions = null;
let regValues = [];
let regToken = 0;
function regSnapshot(o) {
  if (o.kinds != null || o.name != null || o.phone != null || o.password != null || o.username != null
    || o.fields != null) return null;
  return [o.asOf, o.locale, o.ageRule, o.guardianMinAge];
}
export function shiming_registration_token(o) {
  try {
    if (o !== regOptions) return 0;
    const now = regSnapshot(o);
    if (now === null) return 0;
    for (let i = 0; i < now.length; i++) if (now[i] !== regValues[i]) return 0;
    return regToken;
  } catch (_) {
    return 0;
  }
}
export function shiming_remember_registration(o) {
  try {
    const now = regSnapshot(o);
    if (now === null) {
      regOptions = null;
      return 0;
    }
    regOptions = o;
    regValues = now;
    regToken = (regToken % 0x7fffff) + 1;
    return regToken;
  } catch (_) {
    regOptions = null;
    return 0;
  }
}

// ---- The Standard Schema object (src/registration.rs).
export function shiming_standard_schema(check) {
  return {
    '~standard': {
      version: 1,
      vendor: 'shiming',
      validate(value) {
        const r = check(value);
        return r.ok ? { value: r.value } : { issues: r.issues };
      },
    },
  };
}

// ---- checkId's usual result (src/id_fast.rs).
let kinds = [];
let sources = [];
let bands = [];
// The form's keys, and the fields of the form being checked as read (src/registration.rs).
let formKeys = [];
const formTexts = [];
let genders = [];
let jurisdictions = [];
const regions = new Map();
// Every name the fast results use, in one list (src/id_fast.rs send_names): as many kinds, genders, jurisdictions,
// birth date sources and age bands as `counts` says, then the form's keys.
export function shiming_id_names(names, counts) {
  const lists = [];
  let at = 0;
  for (const n of counts) {
    lists.push(names.slice(at, at + n));
    at += n;
  }
  [kinds, genders, jurisdictions, sources, bands] = lists;
  formKeys = names.slice(at);
  formTexts.length = formKeys.length;
}
export function shiming_id_region(code, text, province, city, county) {
  regions.set(code, { code: text, province, city, county });
}
function two(n) { return n < 10 ? '0' + n : '' + n; }
// ymd: YYYYMMDD.
function isoDate(ymd) {
  const y = (ymd / 10000) | 0;
  return (y < 1000 ? ('000' + y).slice(-4) : '' + y) + '-' + two(((ymd / 100) | 0) % 100) + '-' + two(ymd % 100);
}
// A fresh region object for a code sent before (shiming_id_region).
function regionObject(code) {
  const r = regions.get(code);
  if (r.province !== undefined && r.city !== undefined && r.county !== undefined) {
    return { code: r.code, province: r.province, city: r.city, county: r.county };
  }
  const out = { code: r.code };
  if (r.province !== undefined) out.province = r.province;
  if (r.city !== undefined) out.city = r.city;
  if (r.county !== undefined) out.county = r.county;
  return out;
}
// ymd: YYYYMMDD or 0; gender, jurisdiction: index + 1 or 0; region: the 6-digit code or -1.
export function shiming_id_value(input, kind, ymd, gender, region, jurisdiction) {
  const value = { kind: kinds[kind], normalized: input };
  if (ymd !== 0) value.birthDate = isoDate(ymd);
  if (gender !== 0) value.gender = genders[gender - 1];
  if (region >= 0) value.region = regionObject(region);
  if (jurisdiction !== 0) value.jurisdiction = jurisdictions[jurisdiction - 1];
  return { ok: true, value, warnings: [] };
}

// ---- checkId's refusals (src/id_fast.rs): each distinct issue is sent once as a template.
const templates = [];
// A path is empty or one key (id_fast.rs).
function fromTemplate(t) {
  return { path: t.path.length === 0 ? [] : [t.path[0]], code: t.code, params: { ...t.params }, message: t.message };
}
// A copy of the general path's issue (the caller owns the result, and may change it).
export function shiming_id_template(id, result, at) { templates[id] = fromTemplate(result.issues[at]); }
// second, third: a template's number, or -1.
let built = 0;
// How many refusals the templates built (tests/js/id-fast.test.mjs reads it: the path is taken).
export function shiming_id_refusals_built() { return built; }
export function shiming_id_issues(first, second, third, form) {
  built++;
  if (form) formTexts.fill(undefined);
  const issues = [fromTemplate(templates[first])];
  if (second >= 0) issues.push(fromTemplate(templates[second]));
  if (third >= 0) issues.push(fromTemplate(templates[third]));
  return form ? { ok: false, issues, warnings: [] } : { ok: false, issues };
}

// ---- checkRegistration's form, read in one call (src/registration.rs): each field's text written into wasm memory
// as UTF-8, and kept here for the result (src/registration_fast.rs).
let words = null;
function memoryBytes() {
  if (bytes === null || bytes.byteLength === 0) bytes = new Uint8Array(memory.buffer);
  return bytes;
}
function memoryWords() {
  if (words === null || words.byteLength === 0) words = new Int32Array(memory.buffer);
  return words;
}
// Each field as read: undefined when absent (undefined or null); a throwing getter reads as false, a wrong type.
// Returns -1 when the form is no object, else 0 after writing the texts and lengths (write()), or the bytes needed
// when more than `cap`: Rust then calls again with cap 0 and a buffer that large, and the fields read are written.
export function shiming_form_read(form, lens, ptr, cap) {
  if (cap === 0) {
    write(lens, ptr);
    return 0;
  }
  if (typeof form !== 'object' || form === null || Array.isArray(form)) return -1;
  // Into a local list first: a getter may call checkRegistration itself, which uses formTexts.
  const read = [];
  for (let i = 0; i < formKeys.length; i++) {
    let v;
    try {
      v = form[formKeys[i]];
    } catch (_) {
      v = false;
    }
    read.push(v === null ? undefined : v);
  }
  let need = 0;
  for (let i = 0; i < read.length; i++) {
    const v = read[i];
    formTexts[i] = v;
    if (typeof v === 'string') need += 3 * v.length;
  }
  if (need > cap) return need;
  write(lens, ptr);
  return 0;
}
// Lengths: -1 absent, -2 not a string, else the UTF-8 length, + 2^30 when a lone surrogate was written as U+FFFD.
function write(lens, ptr) {
  const u = memoryBytes();
  const w = memoryWords();
  let p = ptr;
  for (let i = 0; i < formTexts.length; i++) {
    const s = formTexts[i];
    let len = -2;
    if (s === undefined) {
      len = -1;
    } else if (typeof s === 'string') {
      const start = p;
      let lossy = 0;
      for (let j = 0; j < s.length; j++) {
        let c = s.charCodeAt(j);
        if (c < 0x80) {
          u[p++] = c;
        } else if (c < 0x800) {
          u[p++] = 0xc0 | (c >> 6);
          u[p++] = 0x80 | (c & 63);
        } else {
          if (c >= 0xd800 && c <= 0xdfff) {
            const d = c <= 0xdbff && j + 1 < s.length ? s.charCodeAt(j + 1) : 0;
            if (d >= 0xdc00 && d <= 0xdfff) {
              c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
              j++;
              u[p++] = 0xf0 | (c >> 18);
              u[p++] = 0x80 | ((c >> 12) & 63);
              u[p++] = 0x80 | ((c >> 6) & 63);
              u[p++] = 0x80 | (c & 63);
              continue;
            }
            c = 0xfffd;
            lossy = 1 << 30;
          }
          u[p++] = 0xe0 | (c >> 12);
          u[p++] = 0x80 | ((c >> 6) & 63);
          u[p++] = 0x80 | (c & 63);
        }
      }
      len = (p - start) + lossy;
    }
    w[(lens >> 2) + i] = len;
  }
}

// ---- checkRegistration's usual valid result (src/registration_fast.rs).
let regFast = true;
let regBuilt = 0;
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
// For tests/js/registration-fast.test.mjs: turns the fast path off (the general path then builds every result), and
// counts the results it built.
export function shiming_reg_fast(on) { regFast = on; }
export function shiming_reg_built() { return regBuilt; }
// What is held of the last form's fields (tests: nothing once a result is built).
export function shiming_reg_held() { return formTexts.slice(); }
// A string of the record at r[at]: -1 absent, -2 - i the form's field i, else r[at + 1] bytes at base + r[at].
function recordText(r, at, base) {
  const ref = r[at];
  if (ref === -1) return undefined;
  if (ref < -1) return formTexts[-2 - ref];
  const u = memoryBytes();
  const start = base + ref;
  const end = start + r[at + 1];
  let s = '';
  for (let i = start; i < end; i++) {
    const c = u[i];
    if (c > 127) return utf8.decode(u.subarray(start, end));
    s += String.fromCharCode(c);
  }
  return s;
}
// The derived values of the record at r[p] (kind index + 1, then as value() in src/registration_fast.rs): the usual
// person's, every member present, as one literal (no property added one at a time).
function derived(r, p) {
  const kind = kinds[r[p] - 1];
  if (r[p + 1] !== 0 && r[p + 2] !== 0 && r[p + 3] !== 0 && r[p + 4] >= 0 && r[p + 5] !== 0 && r[p + 6] !== 0
    && r[p + 7] !== 0 && r[p + 8] >= 0) {
    return {
      kind, birthDate: isoDate(r[p + 1]), birthDateSource: sources[r[p + 2] - 1], gender: genders[r[p + 3] - 1],
      age: r[p + 4], isMinor: r[p + 5] === 2, ageBand: bands[r[p + 6] - 1], needsGuardianConsent: r[p + 7] === 2,
      region: regionObject(r[p + 8]),
    };
  }
  const d = { kind };
  if (r[p + 1] !== 0) d.birthDate = isoDate(r[p + 1]);
  if (r[p + 2] !== 0) d.birthDateSource = sources[r[p + 2] - 1];
  if (r[p + 3] !== 0) d.gender = genders[r[p + 3] - 1];
  if (r[p + 4] >= 0) d.age = r[p + 4];
  if (r[p + 5] !== 0) d.isMinor = r[p + 5] === 2;
  if (r[p + 6] !== 0) d.ageBand = bands[r[p + 6] - 1];
  if (r[p + 7] !== 0) d.needsGuardianConsent = r[p + 7] === 2;
  if (r[p + 8] >= 0) d.region = regionObject(r[p + 8]);
  return d;
}
// The record (23 words at `record`): see value() in src/registration_fast.rs. Its last word is set to 1 when the fast
// path is off: Rust then builds the result through the general path.
// A null record: the general path builds the result; only the fields are forgotten. The texts are the caller's (a
// password among them): none is kept past the call.
export function shiming_reg_value(record, base) {
  const r = memoryWords();
  const p = record >> 2;
  if (record === 0 || !regFast) {
    if (record !== 0) r[p + 22] = 1;
    formTexts.fill(undefined);
    return undefined;
  }
  regBuilt++;
  const name = recordText(r, p, base);
  const idKind = r[p + 2] !== 0 ? kinds[r[p + 2] - 1] : undefined;
  const idNumber = recordText(r, p + 3, base);
  const phone = recordText(r, p + 5, base);
  const password = recordText(r, p + 7, base);
  const username = recordText(r, p + 9, base);
  const d = r[p + 11] !== 0 ? derived(r, p + 11) : undefined;
  const identityKey = recordText(r, p + 20, base);
  formTexts.fill(undefined);
  let value;
  // The usual shapes as literals; any other (options.fields) a property at a time.
  if (name !== undefined && idKind !== undefined && idNumber !== undefined && phone !== undefined && d !== undefined
    && identityKey !== undefined) {
    if (username === undefined) {
      value = password === undefined
        ? { name, idKind, idNumber, phone, derived: d, identityKey }
        : { name, idKind, idNumber, phone, password, derived: d, identityKey };
    } else {
      value = password === undefined
        ? { name, idKind, idNumber, phone, username, derived: d, identityKey }
        : { name, idKind, idNumber, phone, password, username, derived: d, identityKey };
    }
  } else {
    value = {};
    if (name !== undefined) value.name = name;
    if (idKind !== undefined) value.idKind = idKind;
    if (idNumber !== undefined) value.idNumber = idNumber;
    if (phone !== undefined) value.phone = phone;
    if (password !== undefined) value.password = password;
    if (username !== undefined) value.username = username;
    if (d !== undefined) value.derived = d;
    if (identityKey !== undefined) value.identityKey = identityKey;
  }
  return { ok: true, value, warnings: [] };
}
