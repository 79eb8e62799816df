//! 简体中文 (zh-CN) messages: the default locale.

use crate::issue::{Code, Issue, ParamValue};

/// Joins the items of a list parameter.
pub(super) const LIST_SEPARATOR: &str = "或";

/// The message template of an issue; `{name}` is replaced by the param `name`.
pub(super) fn template(issue: &Issue) -> &'static str {
    match issue.code {
        Code::IdEmpty => "请输入证件号码",
        Code::IdTooLong => "证件号码过长：最多 {max} 个字符",
        Code::IdInvalidLength => "身份证号码应为 18 位（第一代身份证为 15 位），当前为 {length} 位",
        Code::IdInvalidCharacter => match issue.param("expected") {
            Some(ParamValue::Str("digit_or_x")) => "第 {position} 位应为数字或 X",
            _ => "第 {position} 位应为数字",
        },
        Code::IdChecksumMismatch => "身份证号码校验码错误：第 18 位应为 {expected}",
        Code::IdBirthDateInvalid => "身份证号码中的出生日期不是有效日期",
        Code::IdBirthDateInFuture => "身份证号码中的出生日期晚于当前日期",
        Code::IdBirthDateTooOld => "身份证号码中的出生日期过早：年龄超过 {maxAgeYears} 周岁",
        Code::IdRegionInvalid => "身份证号码前两位不是有效的省级行政区划代码",
        Code::IdRegionAbolished => "身份证号码中的地区代码已于 {lastYear} 年撤销，早于出生年份",
        Code::IdKindNotAllowed => "这是{kind}，此处需要{allowed}",
        Code::IdWhitespaceTrimmed => "已去除号码前后的空格",
        Code::IdFullwidthFolded => "已将全角字符转换为半角",
        Code::IdLowercaseXFolded => "已将小写 x 转换为大写 X",
        Code::IdRegionUnknown => "地区代码未收录在行政区划代码表中，请核对",
        Code::IdLegacyFormat => {
            "这是第一代 15 位身份证号码（已于 2013 年停止使用），已升级为 18 位"
        }
        Code::NameEmpty => "请输入姓名",
        Code::NameTooLong => "姓名过长：最多 {max} 个字",
        Code::NameInvalidCharacter => "姓名第 {position} 个字符不能用于姓名",
        Code::NameInvisibleCharacter => "姓名第 {position} 个字符是不可见字符",
        Code::NameBidiControl => "姓名第 {position} 个字符是文字方向控制符",
        Code::NamePrivateUse => "姓名第 {position} 个字符是私用区字符，无法识别",
        Code::NameSeparatorMisplaced => {
            "姓名第 {position} 个字符：“{separator}”不能在开头、结尾或连续出现"
        }
        Code::NameMixedScript => "姓名不能同时包含汉字和拉丁字母",
        Code::NameWhitespaceTrimmed => "已去除姓名前后的空格",
        Code::NameSeparatorNormalized => "已将姓名中的点号统一为间隔号“·”",
        Code::NamePrivateUseMapped => "已将私用区字符转换为标准汉字",
        Code::NameFullwidthFolded => "已将姓名中的全角字母转换为半角",
        Code::NameSpacesCollapsed => "已将姓名中的连续空格或特殊空白统一为一个空格",
        Code::PhoneEmpty => "请输入手机号码",
        Code::PhoneTooLong => "手机号码过长：最多 {max} 个字符",
        Code::PhoneInvalidCharacter => "手机号码第 {position} 个字符无效",
        Code::PhoneInvalidLength => "{region}手机号码应为 {expected} 位数字，当前为 {length} 位",
        Code::PhoneInvalidPrefix => "这不是有效的{region}手机号码开头",
        Code::PhoneCountryCodeUnsupported => {
            "仅支持中国内地（+86）、香港（+852）、澳门（+853）和台湾（+886）的手机号码"
        }
        Code::PhoneCountryCodeRequired => "请在香港或澳门号码前加上区号 +852 或 +853",
        Code::PhoneRegionNotAllowed => "此处不接受{region}手机号码",
        Code::PhoneSeparatorsRemoved => "已去除号码中的空格和分隔符",
        Code::PhoneFullwidthFolded => "已将全角数字转换为半角",
        Code::PhoneSegmentUnknown => "该号段未收录在号段表中，请确认能收到短信验证码",
        Code::PhoneSegmentUnassigned => "该号段在号段表中为未分配号段，请确认号码无误",
        Code::PhoneDataOnly => "该号段为上网卡/物联网号段，可能无法接收短信",
    }
}

/// How a string param value reads in a sentence (kinds and regions), if it is one of those.
pub(super) fn value_name(value: &str) -> Option<&'static str> {
    Some(match value {
        "cn_resident" => "居民身份证号码",
        "cn_resident_legacy" => "第一代 15 位身份证号码",
        "hk_macao_taiwan_residence_permit" => "港澳台居民居住证号码",
        "foreign_permanent_resident" => "外国人永久居留身份证号码",
        "hk_id" => "香港身份证号码",
        "mo_id" => "澳门身份证号码",
        "tw_id" => "台湾身份证号码",
        "hk_macao_home_return_permit" => "港澳居民来往内地通行证号码",
        "tw_mtp" => "台湾居民来往大陆通行证号码",
        "cn_passport" => "中国护照号码",
        "uscc" => "统一社会信用代码",
        "cn" => "中国内地",
        "hk" => "香港",
        "mo" => "澳门",
        "tw" => "台湾",
        _ => return None,
    })
}
