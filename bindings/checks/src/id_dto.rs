//! The ID checks' results as JS objects: `{ ok: true, value, warnings } | { ok: false, issues }`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use shiming::i18n::Locale;
use shiming::id::{Checked, IdValue, Region};
use shiming::issue::Issue;
use shiming_js_common::dto::{issues, to_js, IssueDto};

#[derive(Serialize)]
pub(crate) struct RegionDto {
    code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    province: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    county: Option<&'static str>,
}

impl RegionDto {
    pub(crate) fn new(r: &Region) -> RegionDto {
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
    #[serde(serialize_with = "shiming_js_common::wire::unique")]
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

pub(crate) fn id_result(
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
