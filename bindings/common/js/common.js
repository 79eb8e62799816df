// The JS side of what every wasm module shares, one file for every Rust extern block of the crate (one snippet module
// per crate, not one per block).

// ---- The check of option keys (src/options.rs).
// Levenshtein distance between two option names.
function distance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}
// Throws a TypeError for the first own key of `options` that `known` (names separated by
// spaces) does not list, naming it and the closest known name.
const lists = new Map();
export function shiming_check_keys(options, parent, known) {
  let names = lists.get(known);
  if (names === undefined) {
    names = known.split(' ');
    lists.set(known, names);
  }
  for (const key in options) {
    if (!Object.prototype.hasOwnProperty.call(options, key)) continue;
    if (names.includes(key)) continue;
    let closest = names[0];
    for (const name of names) if (distance(key, name) < distance(key, closest)) closest = name;
    const at = parent ? `${parent}.` : '';
    throw new TypeError(`shiming: unknown option '${at}${key}' (did you mean '${at}${closest}'?)`);
  }
}

// ---- The decoder of results (src/wire.rs).
const SLOTS_TOTAL = 4608;
let memory = null;
let u8 = null;
let dv = null;
let pos = 0;
// The end of the buffer being decoded: no loop reads past it, whatever the bytes say.
let end = 0;
// Filled up front: an array grown by assigning far indices is a slow dictionary.
const slots = new Array(SLOTS_TOTAL).fill('');
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
export function shiming_wire_memory(m) { memory = m; u8 = null; }
function uint() {
  let b = u8[pos++];
  if (b < 128) return b;
  let n = b & 127;
  let scale = 128;
  while (pos < end) {
    b = u8[pos++];
    n += (b & 127) * scale;
    if (b < 128) return n;
    scale *= 128;
  }
  return n;
}
function ascii(n) {
  const end = pos + n;
  let s;
  if (n <= 32) {
    s = '';
    let i = pos;
    for (; i + 4 <= end; i += 4) s += String.fromCharCode(u8[i], u8[i + 1], u8[i + 2], u8[i + 3]);
    for (; i < end; i++) s += String.fromCharCode(u8[i]);
  } else {
    s = utf8.decode(u8.subarray(pos, end));
  }
  pos = end;
  return s;
}
function text(n) {
  const s = utf8.decode(u8.subarray(pos, pos + n));
  pos += n;
  return s;
}
function object() {
  const o = {};
  while (pos < end) {
    const tag = u8[pos];
    if (tag === 12) break;
    // Keys are nearly always strings already in a slot.
    let k;
    if (tag === 7) {
      pos++;
      k = slots[uint()];
    } else {
      k = value();
    }
    const v = value();
    if (k === '__proto__') {
      Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
    } else {
      o[k] = v;
    }
  }
  pos++;
  return o;
}
function value() {
  const tag = u8[pos++];
  if (tag >= 32) return tag - 32;
  switch (tag) {
    case 0: return null;
    case 1: return false;
    case 2: return true;
    case 3: { const v = dv.getInt32(pos, true); pos += 4; return v; }
    case 4: { const v = dv.getFloat64(pos, true); pos += 8; return v; }
    case 5: return ascii(uint());
    case 6: return text(uint());
    case 7: return slots[uint()];
    case 8: { const slot = uint(); const s = ascii(uint()); slots[slot] = s; return s; }
    case 9: { const slot = uint(); const s = text(uint()); slots[slot] = s; return s; }
    case 10: {
      const a = [];
      while (pos < end && u8[pos] !== 12) a.push(value());
      pos++;
      return a;
    }
    case 11: return object();
    default: return undefined;
  }
}
export function shiming_wire_decode(ptr, len) {
  if (u8 === null || u8.byteLength === 0) {
    u8 = new Uint8Array(memory.buffer);
    dv = new DataView(memory.buffer);
  }
  pos = ptr;
  end = ptr + len;
  return value();
}
