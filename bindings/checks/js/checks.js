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
let genders = [];
let jurisdictions = [];
const regions = new Map();
export function shiming_id_names(k, g, j) { kinds = k; genders = g; jurisdictions = j; }
export function shiming_id_region(code, text, province, city, county) {
  regions.set(code, { code: text, province, city, county });
}
function two(n) { return n < 10 ? '0' + n : '' + n; }
// ymd: YYYYMMDD or 0; gender, jurisdiction: index + 1 or 0; region: the 6-digit code or -1.
export function shiming_id_value(input, kind, ymd, gender, region, jurisdiction) {
  const value = { kind: kinds[kind], normalized: input };
  if (ymd !== 0) {
    const y = (ymd / 10000) | 0;
    value.birthDate = (y < 1000 ? ('000' + y).slice(-4) : '' + y) + '-' + two(((ymd / 100) | 0) % 100) + '-' + two(ymd % 100);
  }
  if (gender !== 0) value.gender = genders[gender - 1];
  if (region >= 0) {
    const r = regions.get(region);
    const out = { code: r.code };
    if (r.province !== undefined) out.province = r.province;
    if (r.city !== undefined) out.city = r.city;
    if (r.county !== undefined) out.county = r.county;
    value.region = out;
  }
  if (jurisdiction !== 0) value.jurisdiction = jurisdictions[jurisdiction - 1];
  return { ok: true, value, warnings: [] };
}

// ---- checkId's refusals (src/id_fast.rs): each distinct issue is sent once as a template.
const templates = [];
function fromTemplate(t) { return { path: [], code: t.code, params: { ...t.params }, message: t.message }; }
// A copy of the general path's issue (the caller owns the result, and may change it).
export function shiming_id_template(id, result, at) { templates[id] = fromTemplate(result.issues[at]); }
// second, third: a template's number, or -1.
let built = 0;
// How many refusals the templates built (tests/js/id-fast.test.mjs reads it: the path is taken).
export function shiming_id_refusals_built() { return built; }
export function shiming_id_issues(first, second, third) {
  built++;
  const issues = [fromTemplate(templates[first])];
  if (second >= 0) issues.push(fromTemplate(templates[second]));
  if (third >= 0) issues.push(fromTemplate(templates[third]));
  return { ok: false, issues };
}
