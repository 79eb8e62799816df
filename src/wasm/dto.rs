//! Result objects handed to JS (serialised with serde-wasm-bindgen, JSON-compatible numbers).

use serde::ser::SerializeMap;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::i18n::Locale;
use crate::id::{Checked, IdValue};
use crate::issue::{Issue, ParamValue, PathSegment};

pub(super) struct Params<'a>(pub(super) &'a [(&'static str, ParamValue)]);

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
pub(super) struct IssueDto<'a> {
    path: Vec<PathDto>,
    code: &'static str,
    params: Params<'a>,
    message: String,
}

pub(super) fn issues(list: &[Issue], locale: Locale) -> Vec<IssueDto<'_>> {
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
            message: issue.message(locale),
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct RegionDto {
    code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    province: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    county: Option<&'static str>,
}

impl RegionDto {
    pub(super) fn new(r: &crate::id::Region) -> RegionDto {
        RegionDto {
            code: r.code.clone(),
            province: r.province,
            city: r.city,
            county: r.county,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IdValueDto {
    kind: &'static str,
    normalized: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gender: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<RegionDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    upgraded: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jurisdiction: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nationality: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum IdResultDto<'a> {
    Ok {
        ok: bool,
        value: IdValueDto,
        warnings: Vec<IssueDto<'a>>,
    },
    Err {
        ok: bool,
        issues: Vec<IssueDto<'a>>,
    },
}

pub(super) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(Into::into)
}

pub(super) fn id_result(
    result: &Result<Checked<IdValue>, Vec<Issue>>,
    locale: Locale,
) -> Result<JsValue, JsValue> {
    let dto = match result {
        Ok(checked) => {
            let v = &checked.value;
            IdResultDto::Ok {
                ok: true,
                value: IdValueDto {
                    kind: v.kind.as_str(),
                    normalized: v.normalized.clone(),
                    birth_date: v.birth_date.map(|d| d.to_string()),
                    gender: v.gender.map(|g| g.as_str()),
                    region: v.region.as_ref().map(RegionDto::new),
                    upgraded: v.upgraded.clone(),
                    jurisdiction: v.jurisdiction.map(|j| j.as_str()),
                    nationality: v.nationality.clone(),
                },
                warnings: issues(&checked.warnings, locale),
            }
        }
        Err(list) => IdResultDto::Err {
            ok: false,
            issues: issues(list, locale),
        },
    };
    to_js(&dto)
}
