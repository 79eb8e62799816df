//! 简体中文 (zh-CN) messages: the default locale.

use super::param_text;
use crate::issue::{Code, Issue};

pub(super) fn message(issue: &Issue) -> String {
    let p = |name: &str| param_text(issue, name);
    match issue.code {
        Code::IdEmpty => "请输入证件号码".into(),
        Code::IdTooLong => format!("证件号码过长：最多 {} 个字符", p("max")),
        Code::IdInvalidLength => format!(
            "身份证号码应为 18 位（第一代身份证为 15 位），当前为 {} 位",
            p("length")
        ),
        Code::IdInvalidCharacter => match issue.param("expected") {
            Some(crate::ParamValue::Str("digit_or_x")) => {
                format!("第 {} 位应为数字或 X", p("position"))
            }
            _ => format!("第 {} 位应为数字", p("position")),
        },
        Code::IdChecksumMismatch => {
            format!("身份证号码校验码错误：第 18 位应为 {}", p("expected"))
        }
        Code::IdBirthDateInvalid => "身份证号码中的出生日期不是有效日期".into(),
        Code::IdBirthDateInFuture => "身份证号码中的出生日期晚于当前日期".into(),
        Code::IdBirthDateTooOld => format!(
            "身份证号码中的出生日期过早：年龄超过 {} 周岁",
            p("maxAgeYears")
        ),
        Code::IdRegionInvalid => "身份证号码前两位不是有效的省级行政区划代码".into(),
        Code::IdRegionAbolished => format!(
            "身份证号码中的地区代码已于 {} 年撤销，早于出生年份",
            p("lastYear")
        ),
        Code::IdKindNotAllowed => format!(
            "这是{}，此处需要{}",
            kind_name(&p("kind")),
            allowed_names(issue)
        ),
        Code::IdWhitespaceTrimmed => "已去除号码前后的空格".into(),
        Code::IdFullwidthFolded => "已将全角字符转换为半角".into(),
        Code::IdLowercaseXFolded => "已将小写 x 转换为大写 X".into(),
        Code::IdRegionUnknown => "地区代码未收录在行政区划代码表中，请核对".into(),
        Code::IdLegacyFormat => {
            "这是第一代 15 位身份证号码（已于 2013 年停止使用），已升级为 18 位".into()
        }
    }
}

fn kind_name(kind: &str) -> &'static str {
    match kind {
        "cn_resident" => "居民身份证号码",
        "cn_resident_legacy" => "第一代 15 位身份证号码",
        _ => "其他证件号码",
    }
}

fn allowed_names(issue: &Issue) -> String {
    match issue.param("allowed") {
        Some(crate::ParamValue::List(kinds)) => kinds
            .iter()
            .map(|k| kind_name(k))
            .collect::<Vec<_>>()
            .join("或"),
        _ => "其他证件".into(),
    }
}
