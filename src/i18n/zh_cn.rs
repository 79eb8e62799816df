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
        Code::NameEmpty => "请输入姓名".into(),
        Code::NameTooLong => format!("姓名过长：最多 {} 个字", p("max")),
        Code::NameInvalidCharacter => format!("姓名第 {} 个字符不能用于姓名", p("position")),
        Code::NameInvisibleCharacter => format!("姓名第 {} 个字符是不可见字符", p("position")),
        Code::NameBidiControl => format!("姓名第 {} 个字符是文字方向控制符", p("position")),
        Code::NamePrivateUse => format!("姓名第 {} 个字符是私用区字符，无法识别", p("position")),
        Code::NameSeparatorMisplaced => format!(
            "姓名第 {} 个字符：“{}”不能在开头、结尾或连续出现",
            p("position"),
            p("separator")
        ),
        Code::NameMixedScript => "姓名不能同时包含汉字和拉丁字母".into(),
        Code::NameWhitespaceTrimmed => "已去除姓名前后的空格".into(),
        Code::NameSeparatorNormalized => "已将姓名中的点号统一为间隔号“·”".into(),
        Code::NamePrivateUseMapped => "已将私用区字符转换为标准汉字".into(),
        Code::NameFullwidthFolded => "已将姓名中的全角字母转换为半角".into(),
        Code::NameSpacesCollapsed => "已将姓名中的连续空格或特殊空白统一为一个空格".into(),
        Code::PhoneEmpty => "请输入手机号码".into(),
        Code::PhoneTooLong => format!("手机号码过长：最多 {} 个字符", p("max")),
        Code::PhoneInvalidCharacter => format!("手机号码第 {} 个字符无效", p("position")),
        Code::PhoneInvalidLength => format!(
            "{}手机号码应为 {} 位数字，当前为 {} 位",
            region_name_zh(&p("region")),
            p("expected"),
            p("length")
        ),
        Code::PhoneInvalidPrefix => {
            format!("这不是有效的{}手机号码开头", region_name_zh(&p("region")))
        }
        Code::PhoneCountryCodeUnsupported => {
            "仅支持中国内地（+86）、香港（+852）、澳门（+853）和台湾（+886）的手机号码".into()
        }
        Code::PhoneCountryCodeRequired => "请在香港或澳门号码前加上区号 +852 或 +853".into(),
        Code::PhoneRegionNotAllowed => {
            format!("此处不接受{}手机号码", region_name_zh(&p("region")))
        }
        Code::PhoneSeparatorsRemoved => "已去除号码中的空格和分隔符".into(),
        Code::PhoneFullwidthFolded => "已将全角数字转换为半角".into(),
        Code::PhoneSegmentUnknown => "该号段未收录在号段表中，请确认能收到短信验证码".into(),
        Code::PhoneSegmentUnassigned => "该号段在号段表中为未分配号段，请确认号码无误".into(),
        Code::PhoneDataOnly => "该号段为上网卡/物联网号段，可能无法接收短信".into(),
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

fn region_name_zh(region: &str) -> &'static str {
    match region {
        "cn" => "中国内地",
        "hk" => "香港",
        "mo" => "澳门",
        "tw" => "台湾",
        _ => "",
    }
}
