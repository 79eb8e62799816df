//! The ID checks' results as JS objects: `{ ok: true, value, warnings } | { ok: false, issues }`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use shiming::i18n::Locale;
use shiming::id::{Checked, IdValue, Region};
use shiming::issue::Issue;
use shiming_js_common::dto::{issues, to_js, IssueDto};
use shiming_js_common::wire::IsoDate;

#[derive(Serialize)]
pub(crate) struct RegionDto<'a> {
    #[serde(serialize_with = "shiming_js_common::wire::unique")]
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    province: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    county: Option<&'static str>,
}

impl RegionDto<'_> {
    pub(crate) fn new(r: &Region) -> RegionDto<'_> {
        RegionDto {
            code: &r.code,
            province: r.province,
            city: r.city,
            county: r.county,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IdValueDto<'a> {
    kind: &'static str,
    #[serde(serialize_with = "shiming_js_common::wire::unique")]
    normalized: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<IsoDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gender: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<RegionDto<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    upgraded: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jurisdiction: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nationality: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum IdResultDto<'a> {
    Ok {
        ok: bool,
        value: IdValueDto<'a>,
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
                    normalized: &v.normalized,
                    birth_date: v.birth_date.map(IsoDate),
                    gender: v.gender.map(|g| g.as_str()),
                    region: v.region.as_ref().map(RegionDto::new),
                    upgraded: v.upgraded.as_deref(),
                    jurisdiction: v.jurisdiction.map(|j| j.as_str()),
                    nationality: v.nationality.as_deref(),
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
