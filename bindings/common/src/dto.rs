//! Result objects handed to JS (serialised by `wire`: the objects serde-wasm-bindgen's
//! `json_compatible()` would build, decoded in JS from one buffer).

use serde::ser::SerializeMap;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use shiming::i18n::Locale;
use shiming::issue::{Issue, ParamValue, PathSegment};

pub struct Params<'a>(pub &'a [(&'static str, ParamValue)]);

impl Serialize for Params<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in self.0 {
            match value {
                ParamValue::Int(i) => map.serialize_entry(name, i)?,
                ParamValue::Char(c) => map.serialize_entry(name, c)?,
                ParamValue::Str(s) => map.serialize_entry(name, s)?,
                ParamValue::List(items) => map.serialize_entry(name, items)?,
                ParamValue::Text(s) => map.serialize_entry(name, s)?,
                ParamValue::TextList(items) => map.serialize_entry(name, items)?,
            }
        }
        map.end()
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum PathDto {
    Key(&'static str),
    Index(usize),
}

#[derive(Serialize)]
pub struct IssueDto<'a> {
    path: Vec<PathDto>,
    code: &'static str,
    params: Params<'a>,
    message: String,
}

pub fn issues(list: &[Issue], locale: Locale) -> Vec<IssueDto<'_>> {
    list.iter()
        .map(|issue| IssueDto {
            path: issue
                .path
                .iter()
                .map(|p| match p {
                    PathSegment::Key(k) => PathDto::Key(k),
                    PathSegment::Index(i) => PathDto::Index(*i),
                })
                .collect(),
            code: issue.code.as_str(),
            params: Params(&issue.params),
            message: crate::messages::message(issue, locale),
        })
        .collect()
}

pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    crate::wire::to_js(value)
}
