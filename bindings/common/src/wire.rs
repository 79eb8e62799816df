//! Results handed to JS as one compact byte string that a small JS decoder (`js/common.js`) turns
//! into objects.
//!
//! Building a result object from Rust one property at a time (serde-wasm-bindgen) costs a call
//! across the boundary per property and a `TextDecoder` call per string: about 3 µs for one
//! `checkId` result, ten times the check itself. Here a [`serde::Serializer`] writes the value into
//! a buffer in wasm memory, and one JS call decodes the whole buffer (issue 19, items 2 and 3).
//!
//! The output is the value serde-wasm-bindgen's `Serializer::json_compatible()` builds (the tests
//! crate compares the two on every shape of serde's data model): `None`, `()` and unit structs are
//! `null`; maps and structs are plain objects; integers outside ±(2^53 − 1) are an error; bytes
//! are an array of numbers; an enum variant with data is `{ variant: data }`. Two differences, both
//! safer: a map key that is a number becomes a property name instead of an error, and a key
//! `__proto__` becomes an own property instead of the object's prototype.
//!
//! Strings repeat across results (property names, kinds, messages, region names), so the encoder
//! keeps a direct-mapped cache of [`SLOTS`] strings that the decoder mirrors: a string already in
//! its slot is sent as the slot's number, and JS reuses the string it made. Values that are unique
//! per call (a normalised ID number, a masked name) are wrapped in [`Unique`] and not cached.
//! Property and variant names, `&'static str` in serde, have [`STATIC_SLOTS`] more slots found by
//! their address, which costs neither a hash nor a comparison.
//!
//! Encoding (one byte tag, then its data; lengths and slots are LEB128):
//!
//! | tag | value |
//! |---|---|
//! | 0, 1, 2 | `null`, `false`, `true` |
//! | 3 | an `i32`, 4 bytes little-endian |
//! | 4 | an `f64`, 8 bytes little-endian |
//! | 5, 6 | an ASCII or UTF-8 string: length, bytes |
//! | 7 | the string in a slot: slot |
//! | 8, 9 | an ASCII or UTF-8 string that also fills a slot: slot, length, bytes |
//! | 10, 11 | an array or an object: its items (an object's: key, value, key, value, …), then tag 12 |
//! | 32–255 | the integer tag − 32 |

use serde::ser::{self, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/common.js")]
extern "C" {
    fn shiming_wire_memory(memory: JsValue);
    // Never throws: the bytes were written by `Encoder`, and the decoder allocates no wasm memory.
    fn shiming_wire_decode(ptr: *const u8, len: usize) -> JsValue;
}

/// Strings the encoder and the decoder both remember (a power of two).
pub const SLOTS: usize = 4096;
/// Property names and variant names, which serde hands over as `&'static str`, have slots of
/// their own after [`SLOTS`], found by the string's address: a `'static` string never changes
/// and its address is never reused, so no hashing and no comparison (a power of two).
const STATIC_SLOTS: usize = 512;
// The decoder's `SLOTS_TOTAL`.
const _: () = assert!(SLOTS + STATIC_SLOTS == 4608);
/// Longer strings are sent whole every time.
const MAX_CACHED: usize = 192;
/// A buffer grown past this is given back after the call.
const KEEP_BYTES: usize = 1 << 16;

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const I32: u8 = 3;
const F64: u8 = 4;
const ASCII: u8 = 5;
const UTF8: u8 = 6;
const SLOT: u8 = 7;
const SLOT_ASCII: u8 = 8;
const SLOT_UTF8: u8 = 9;
const ARRAY: u8 = 10;
const OBJECT: u8 = 11;
const END: u8 = 12;
const SMALL: u8 = 32;

/// The newtype name that marks a string not worth caching (see [`Unique`]).
const UNIQUE: &str = "shiming::wire::Unique";

/// A string that is unique to its call (a normalised number, a masked value): serialised like the
/// string itself, but kept out of the string cache. Other serialisers see a plain string.
pub struct Unique<'a>(pub &'a str);

impl Serialize for Unique<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(UNIQUE, self.0)
    }
}

/// A date as `YYYY-MM-DD`, written without allocating and kept out of the string cache.
pub struct IsoDate(pub shiming::date::Date);

impl Serialize for IsoDate {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.iso_bytes() {
            Some(bytes) => {
                Unique(core::str::from_utf8(&bytes).unwrap_or_default()).serialize(serializer)
            }
            None => serializer.collect_str(&self.0),
        }
    }
}

/// `#[serde(serialize_with = "unique")]`: a field serialised as a [`Unique`] string.
pub fn unique<T: AsRef<str> + ?Sized, S: ser::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    Unique(value.as_ref()).serialize(serializer)
}

/// Serialises `value` as serde-wasm-bindgen's `json_compatible()` would (see the module docs).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        if !state.memory_set {
            shiming_wire_memory(wasm_bindgen::memory());
            state.memory_set = true;
        }
        let State {
            buffer,
            slots,
            statics,
            touched,
            turn,
            ..
        } = &mut *state;
        buffer.clear();
        touched.clear();
        let mut encoder = Encoder {
            out: buffer,
            slots,
            statics,
            touched,
            turn,
            unique: false,
        };
        if let Err(error) = value.serialize(&mut encoder) {
            // The decoder never saw these slots' new strings: forget them.
            for &slot in touched.iter() {
                if let Some(s) = slots.get_mut(slot) {
                    *s = None;
                } else if let Some(s) = slot.checked_sub(SLOTS).and_then(|i| statics.get_mut(i)) {
                    *s = (0, 0);
                }
            }
            return Err(js_sys::Error::new(&error.0).into());
        }
        let result = shiming_wire_decode(buffer.as_ptr(), buffer.len());
        if buffer.capacity() > KEEP_BYTES {
            *buffer = Vec::new();
        }
        Ok(result)
    })
}

struct State {
    memory_set: bool,
    buffer: Vec<u8>,
    slots: Vec<Option<Box<str>>>,
    statics: Vec<(usize, usize)>,
    touched: Vec<usize>,
    turn: bool,
}

thread_local! {
    static STATE: core::cell::RefCell<State> = core::cell::RefCell::new(State {
        memory_set: false,
        buffer: Vec::new(),
        slots: (0..SLOTS).map(|_| None).collect(),
        statics: vec![(0, 0); STATIC_SLOTS],
        touched: Vec::new(),
        turn: false,
    });
}

/// An encoding error: a number JS cannot hold exactly, or a type serde-wasm-bindgen also refuses.
#[derive(Debug)]
pub struct Error(String);

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: core::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// The slot of a `'static` string among `slots` (a power of two), by its address: such a string never
/// changes and its address is never reused, so the address names it. Fibonacci hashing, so that
/// neighbouring literals land far apart.
pub fn address_slot(s: &'static str, slots: usize) -> usize {
    ((s.as_ptr() as usize as u32).wrapping_mul(0x9E37_79B1) >> 16) as usize & (slots - 1)
}

/// A multiplicative hash four bytes at a time (messages are 40–90 bytes of UTF-8: a byte-at-a-time
/// hash was a tenth of an invalid `checkId`'s time).
fn slot_of(bytes: &[u8]) -> usize {
    let mut hash: u32 = 0x811c_9dc5 ^ bytes.len() as u32;
    let mut words = bytes.chunks_exact(4);
    for word in &mut words {
        let w = <[u8; 4]>::try_from(word).map_or(0, u32::from_le_bytes);
        hash = (hash ^ w).wrapping_mul(0x9E37_79B1).rotate_left(13);
    }
    for &b in words.remainder() {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    hash = hash.wrapping_mul(0x85EB_CA6B);
    (hash ^ (hash >> 16)) as usize & (SLOTS - 1)
}

/// Writes values in the encoding of the module docs.
pub struct Encoder<'a> {
    out: &'a mut Vec<u8>,
    slots: &'a mut [Option<Box<str>>],
    statics: &'a mut [(usize, usize)],
    touched: &'a mut Vec<usize>,
    /// Which slot of a full pair the next new string takes.
    turn: &'a mut bool,
    /// The next string is a [`Unique`] one.
    unique: bool,
}

impl Encoder<'_> {
    fn uint(&mut self, mut n: usize) {
        while n >= 128 {
            self.out.push((n as u8 & 127) | 128);
            n >>= 7;
        }
        self.out.push(n as u8);
    }

    fn int(&mut self, v: i64) -> Result<(), Error> {
        const MAX_SAFE: i64 = (1 << 53) - 1;
        if (0..i64::from(255 - SMALL)).contains(&v) {
            self.out.push(SMALL + v as u8);
        } else if let Ok(small) = i32::try_from(v) {
            self.out.push(I32);
            self.out.extend_from_slice(&small.to_le_bytes());
        } else if (-MAX_SAFE..=MAX_SAFE).contains(&v) {
            self.float(v as f64);
        } else {
            return Err(Error(format!(
                "{v} can't be represented as a JavaScript number"
            )));
        }
        Ok(())
    }

    fn float(&mut self, v: f64) {
        self.out.push(F64);
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    fn string(&mut self, s: &str) {
        let unique = core::mem::take(&mut self.unique);
        if !unique && !s.is_empty() && s.len() <= MAX_CACHED {
            // Two-way: a string may sit in either slot of its pair, so two strings of one result
            // that hash alike do not evict each other on every call.
            let first = slot_of(s.as_bytes());
            for slot in [first, first ^ 1] {
                if self
                    .slots
                    .get(slot)
                    .is_some_and(|c| c.as_deref() == Some(s))
                {
                    self.out.push(SLOT);
                    self.uint(slot);
                    return;
                }
            }
            let slot = self.victim(first, |e| e.slots.get(first).is_some_and(Option::is_none));
            if let Some(cell) = self.slots.get_mut(slot) {
                *cell = Some(s.into());
                self.define(slot, s);
                return;
            }
        }
        self.out.push(if s.is_ascii() { ASCII } else { UTF8 });
        self.uint(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }

    /// A `'static` string: its slot is found by its address (see [`STATIC_SLOTS`]).
    fn static_string(&mut self, s: &'static str) {
        let key = (s.as_ptr() as usize, s.len());
        let first = address_slot(s, STATIC_SLOTS);
        for index in [first, first ^ 1] {
            if self.statics.get(index) == Some(&key) {
                self.out.push(SLOT);
                self.uint(SLOTS + index);
                return;
            }
        }
        let index = self.victim(first, |e| e.statics.get(first) == Some(&(0, 0)));
        if let Some(cell) = self.statics.get_mut(index) {
            *cell = key;
            self.define(SLOTS + index, s);
        }
    }

    /// Which slot of the pair `first`, `first ^ 1` a new string takes: `first` while it is free,
    /// else each in turn.
    fn victim(&mut self, first: usize, free: impl Fn(&Self) -> bool) -> usize {
        if free(self) {
            return first;
        }
        *self.turn = !*self.turn;
        if *self.turn {
            first ^ 1
        } else {
            first
        }
    }

    /// Sends `s` and fills `slot` with it on both sides.
    fn define(&mut self, slot: usize, s: &str) {
        self.touched.push(slot);
        self.out
            .push(if s.is_ascii() { SLOT_ASCII } else { SLOT_UTF8 });
        self.uint(slot);
        self.uint(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }

    /// `{ variant: …`: an enum variant with data (closed by an extra END).
    fn variant(&mut self, variant: &'static str) {
        self.out.push(OBJECT);
        self.static_string(variant);
    }
}

impl<'a, 'b> ser::Serializer for &'a mut Encoder<'b> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push(if v { TRUE } else { FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        match i64::try_from(v) {
            Ok(v) => self.int(v),
            Err(_) => Err(Error(format!(
                "{v} can't be represented as a JavaScript number"
            ))),
        }
    }
    fn serialize_i128(self, _: i128) -> Result<(), Error> {
        Err(Error("shiming: 128-bit integers are not sent to JS".into()))
    }
    fn serialize_u128(self, _: u128) -> Result<(), Error> {
        Err(Error("shiming: 128-bit integers are not sent to JS".into()))
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v.into());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.out.push(ARRAY);
        for &b in v {
            self.int(b.into())?;
        }
        self.out.push(END);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.out.push(NULL);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push(NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.out.push(NULL);
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.static_string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.unique = name == UNIQUE;
        let result = value.serialize(&mut *self);
        self.unique = false;
        result
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.variant(variant);
        value.serialize(&mut *self)?;
        self.out.push(END);
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Error> {
        self.out.push(ARRAY);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Error> {
        self.out.push(ARRAY);
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        self.out.push(ARRAY);
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.variant(variant);
        self.out.push(ARRAY);
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Error> {
        self.out.push(OBJECT);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        self.out.push(OBJECT);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.variant(variant);
        self.out.push(OBJECT);
        Ok(self)
    }
}

/// The compound serialisers: each item is a value (a struct's field is its name, then its value),
/// and `end` closes the array or object (`ends` bytes: an enum variant's data also closes the
/// `{ variant: … }` around it).
macro_rules! compound {
    ($($trait:ident, $item:ident, $ends:expr;)*) => {$(
        impl ser::$trait for &mut Encoder<'_> {
            type Ok = ();
            type Error = Error;
            compound!(@item $item);
            fn end(self) -> Result<(), Error> {
                self.out.extend_from_slice($ends);
                Ok(())
            }
        }
    )*};
    (@item element) => {
        fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
            value.serialize(&mut **self)
        }
    };
    (@item field) => {
        fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
            value.serialize(&mut **self)
        }
    };
    (@item named) => {
        fn serialize_field<T: ?Sized + Serialize>(
            &mut self,
            key: &'static str,
            value: &T,
        ) -> Result<(), Error> {
            self.static_string(key);
            value.serialize(&mut **self)
        }
    };
    (@item entry) => {
        fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
            key.serialize(&mut **self)
        }
        fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
            value.serialize(&mut **self)
        }
    };
}

compound! {
    SerializeSeq, element, &[END];
    SerializeTuple, element, &[END];
    SerializeTupleStruct, field, &[END];
    SerializeTupleVariant, field, &[END, END];
    SerializeMap, entry, &[END];
    SerializeStruct, named, &[END];
    SerializeStructVariant, named, &[END, END];
}
