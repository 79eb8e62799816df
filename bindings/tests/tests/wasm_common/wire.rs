//! The compact result encoding (`shiming_js_common::wire`) against serde-wasm-bindgen's
//! `json_compatible()` serialiser, the reference it replaces: the same JS values for every shape of
//! serde's data model, random nested values, and a string cache made to collide and to fail.

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use shiming_js_common::wire::{to_js, Unique, SLOTS};

/// Where `a` and `b` differ (types, `Object.is` of primitives, prototypes, own keys in order, then
/// each value), or "" when they are the same.
fn difference(a: &JsValue, b: &JsValue, path: &str) -> String {
    use js_sys::{Array, Object, Reflect};
    let (ta, tb) = (a.js_typeof(), b.js_typeof());
    if ta != tb {
        return format!("{path}: {ta:?} vs {tb:?}");
    }
    if a.is_null() || !a.is_object() {
        return if Object::is(a, b) {
            String::new()
        } else {
            format!("{path}: {a:?} vs {b:?}")
        };
    }
    if b.is_null() {
        return format!("{path}: object vs null");
    }
    if Array::is_array(a) != Array::is_array(b) {
        return format!("{path}: array vs object");
    }
    let (oa, ob): (&Object, &Object) = (a.unchecked_ref(), b.unchecked_ref());
    if Object::get_prototype_of(oa) != Object::get_prototype_of(ob) {
        return format!("{path}: prototypes differ");
    }
    let (ka, kb) = (
        Reflect::own_keys(oa).unwrap(),
        Reflect::own_keys(ob).unwrap(),
    );
    let names = |keys: &Array| keys.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>();
    if names(&ka) != names(&kb) {
        return format!("{path}: keys {:?} vs {:?}", names(&ka), names(&kb));
    }
    for key in ka.iter() {
        let d = difference(
            &Reflect::get(oa, &key).unwrap(),
            &Reflect::get(ob, &key).unwrap(),
            &format!("{path}.{key:?}"),
        );
        if !d.is_empty() {
            return d;
        }
    }
    String::new()
}

fn reference<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(Into::into)
}

/// Both serialisers give the same value, or both fail.
#[track_caller]
pub fn assert_same<T: Serialize + ?Sized>(value: &T) {
    match (to_js(value), reference(value)) {
        (Ok(a), Ok(b)) => {
            let diff = difference(&a, &b, "$");
            assert!(
                diff.is_empty(),
                "wire and serde-wasm-bindgen differ at {diff}"
            );
        }
        (Err(_), Err(_)) => {}
        (a, b) => panic!(
            "one failed: wire {:?}, reference {:?}",
            a.is_ok(),
            b.is_ok()
        ),
    }
}

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Newtype(String);

#[derive(Serialize)]
struct Tuple(i32, &'static str, bool);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    a_field: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<u32>,
    missing: Option<u32>,
    unit: (),
    unit_struct: Unit,
    nested: Vec<Vec<f64>>,
    #[serde(serialize_with = "shiming_js_common::wire::unique")]
    normalized: String,
}

#[derive(Serialize)]
enum Enum {
    Plain,
    New(u16),
    Pair(i8, String),
    Fields { x: i64, y: Option<char> },
}

#[derive(Serialize)]
#[serde(untagged)]
enum Untagged {
    A { ok: bool, value: i32 },
    B(Vec<&'static str>),
}

/// A random tree of serde values, from a seeded generator.
enum Tree {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<Tree>),
    Map(Vec<(String, Tree)>),
    Struct(Vec<(&'static str, Tree)>),
    None,
}

impl Serialize for Tree {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Bool(b) => s.serialize_bool(*b),
            Tree::Int(i) => s.serialize_i64(*i),
            Tree::Float(f) => s.serialize_f64(*f),
            Tree::Text(t) => s.serialize_str(t),
            Tree::List(items) => items.serialize(s),
            Tree::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Tree::Struct(fields) => {
                let mut st = s.serialize_struct("Tree", fields.len())?;
                for (k, v) in fields {
                    st.serialize_field(k, v)?;
                }
                st.end()
            }
            Tree::None => s.serialize_none(),
        }
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: [&str; 12] = [
    "ok",
    "value",
    "code",
    "message",
    "身份证号码",
    "江苏省",
    "",
    "__proto__",
    "a\u{0}b",
    "🀄",
    "x",
    "constructor",
];
const KEYS: [&str; 6] = ["ok", "issues", "path", "params", "message", "名字"];

fn text(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => WORDS[rng.below(WORDS.len() as u64) as usize].to_owned(),
        1 => (0..rng.below(40))
            .map(|i| char::from(b'0' + (i % 10) as u8))
            .collect(),
        2 => (0..rng.below(300))
            .map(|_| char::from_u32(0x4e00 + rng.below(500) as u32).unwrap_or('?'))
            .collect(),
        _ => format!(
            "{}-{}",
            rng.below(100),
            WORDS[rng.below(WORDS.len() as u64) as usize]
        ),
    }
}

fn tree(rng: &mut Rng, depth: u32) -> Tree {
    let pick = if depth > 3 {
        rng.below(5)
    } else {
        rng.below(8)
    };
    match pick {
        0 => Tree::Bool(rng.below(2) == 1),
        1 => Tree::Int(match rng.below(6) {
            0 => rng.below(224) as i64,
            1 => -(rng.below(1000) as i64),
            2 => i64::from(i32::MAX) + rng.below(10) as i64,
            3 => (1 << 53) - 2 + rng.below(4) as i64,
            4 => -(1 << 53) + 1 - rng.below(3) as i64,
            _ => rng.next() as i64,
        }),
        2 => Tree::Float(match rng.below(6) {
            0 => f64::NAN,
            1 => -0.0,
            2 => f64::INFINITY,
            3 => f64::MIN_POSITIVE,
            _ => (rng.next() as f64) / 7.0 - 1e18,
        }),
        3 => Tree::Text(text(rng)),
        4 => Tree::None,
        5 => Tree::List((0..rng.below(5)).map(|_| tree(rng, depth + 1)).collect()),
        6 => Tree::Map(
            (0..rng.below(5))
                .map(|_| {
                    // `__proto__` as a key is the one intended difference (tested apart).
                    let key = if rng.below(3) == 0 {
                        KEYS[rng.below(6) as usize].to_owned()
                    } else {
                        text(rng).replace("__proto__", "proto")
                    };
                    (key, tree(rng, depth + 1))
                })
                .collect(),
        ),
        _ => Tree::Struct(
            (0..rng.below(5))
                .map(|i| (KEYS[i as usize], tree(rng, depth + 1)))
                .collect(),
        ),
    }
}

pub fn every_shape() {
    assert_same(&true);
    assert_same(&false);
    for i in [
        0i64,
        1,
        222,
        223,
        224,
        255,
        256,
        -1,
        i64::from(i32::MIN),
        i64::from(i32::MAX),
        (1 << 53) - 1,
        (1 << 53),
        -(1 << 53) + 1,
        -(1 << 53),
        i64::MIN,
        i64::MAX,
    ] {
        assert_same(&i);
    }
    for u in [
        0u64,
        223,
        u64::from(u32::MAX),
        (1 << 53) - 1,
        1 << 53,
        u64::MAX,
    ] {
        assert_same(&u);
    }
    assert_same(&7u8);
    assert_same(&-7i8);
    assert_same(&65_535u16);
    assert_same(&u32::MAX);
    assert_same(&1.5f32);
    for f in [
        0.0,
        -0.0,
        1e300,
        -1e-300,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.1 + 0.2,
    ] {
        assert_same(&f);
    }
    assert_same(&'x');
    assert_same(&'𝄞');
    assert_same("");
    assert_same("plain ascii");
    assert_same("中文和 emoji 🀄 and a lone \u{FFFD}");
    assert_same(&"long ".repeat(100));
    assert_same(&serde_bytes_like());
    assert_same(&Option::<u8>::None);
    assert_same(&Some(3u8));
    assert_same(&());
    assert_same(&Unit);
    assert_same(&Newtype("inner".into()));
    assert_same(&Tuple(-5, "two", true));
    assert_same(&(1u8, "a", (2u8, 'c')));
    assert_same(&Record {
        a_field: 9,
        skipped: None,
        missing: None,
        unit: (),
        unit_struct: Unit,
        nested: vec![vec![], vec![1.0, -0.0]],
        normalized: "11010519491231002X".into(),
    });
    assert_same(&Unique("11010519491231002X"));
    for e in [
        Enum::Plain,
        Enum::New(7),
        Enum::Pair(-1, "二".into()),
        Enum::Fields {
            x: -9,
            y: Some('y'),
        },
        Enum::Fields {
            x: 1 << 60,
            y: None,
        },
    ] {
        assert_same(&e);
    }
    assert_same(&vec![
        Untagged::A {
            ok: true,
            value: -3,
        },
        Untagged::B(vec!["p", "q"]),
    ]);
    let mut map = BTreeMap::new();
    map.insert("b".to_owned(), vec![1u8]);
    map.insert("a".to_owned(), vec![]);
    assert_same(&map);
    // serde-wasm-bindgen would set the object's prototype; the wire makes an own property.
    map.insert("__proto__".to_owned(), vec![2]);
    let object = to_js(&map).unwrap();
    let own = js_sys::Object::get_own_property_descriptor(
        object.unchecked_ref::<js_sys::Object>(),
        &JsValue::from_str("__proto__"),
    );
    assert!(own.is_object(), "__proto__ is an own property");
    assert_eq!(
        js_sys::Object::get_prototype_of(&object),
        js_sys::Object::get_prototype_of(&js_sys::Object::new().into())
    );
    assert_same(&Vec::<u8>::new());
}

/// Bytes as serde's `serialize_bytes` sends them: both serialisers make a plain array of numbers.
fn serde_bytes_like() -> impl Serialize {
    struct Bytes;
    impl Serialize for Bytes {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(&[0, 1, 255])
        }
    }
    Bytes
}

pub fn random_trees() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for _ in 0..3_000 {
        assert_same(&tree(&mut rng, 0));
    }
}

/// More distinct strings than the cache has slots, each sent twice: colliding slots are
/// refilled, and every value still decodes to its own string.
pub fn cache_collisions_and_failures() {
    let strings: Vec<String> = (0..SLOTS * 3).map(|i| format!("s{i}")).collect();
    for chunk in strings.chunks(97) {
        assert_same(&chunk);
        assert_same(&chunk);
    }
    // A failed encoding (a number JS cannot hold) after new strings: the cache forgets them, so
    // the next values that use those strings still decode to them.
    let fresh: Vec<String> = (0..50).map(|i| format!("fresh {i}")).collect();
    let failing = (fresh.clone(), u64::MAX);
    assert!(to_js(&failing).is_err());
    assert_same(&fresh);
    assert_same(&(fresh, "again"));
}
