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
        Code::IdFormatUnrecognized => "号码格式不符合任何可接受的证件：此处需要{allowed}",
        Code::IdChecksumMismatch => match issue.param("kind") {
            Some(_) => "{kind}的校验码错误：应为 {expected}",
            None => "身份证号码校验码错误：第 18 位应为 {expected}",
        },
        Code::IdBirthDateInvalid => "身份证号码中的出生日期不是有效日期",
        Code::IdBirthDateInFuture => "身份证号码中的出生日期晚于当前日期",
        Code::IdBirthDateTooOld => "身份证号码中的出生日期过早：年龄超过 {maxAgeYears} 周岁",
        Code::IdRegionInvalid => "身份证号码前两位不是有效的省级行政区划代码",
        Code::IdRegionAbolished => "身份证号码中的地区代码已于 {lastYear} 年撤销，早于出生年份",
        Code::IdKindNotAllowed => "这是{kind}，此处需要{allowed}",
        Code::IdOrgCodeChecksumMismatch => {
            "统一社会信用代码中的组织机构代码校验码错误：第 17 位应为 {expected}"
        }
        Code::IdWhitespaceTrimmed => "已去除号码前后的空格",
        Code::IdFullwidthFolded => "已将全角字符转换为半角",
        Code::IdLowercaseXFolded => "已将小写 x 转换为大写 X",
        Code::IdRegionUnknown => "地区代码未收录在行政区划代码表中，请核对",
        Code::IdLegacyFormat => {
            "这是第一代 15 位身份证号码（已于 2013 年停止使用），已升级为 18 位"
        }
        Code::IdLowercaseFolded => "已将小写字母转换为大写",
        Code::IdKindAmbiguous => "该号码也符合{alternatives}的格式，已按{kind}处理，请确认证件类型",
        Code::IdFormatOnly => "{kind}没有公开的校验规则，仅检查了格式",
        Code::IdChecksumPilotEra => {
            "统一社会信用代码校验码不符，但组织机构代码有效：可能是试点期间赋码，请核对"
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
        // -- registration form
        Code::FormInvalidType => "表单数据无效",
        Code::FormFieldInvalidType => "此项应为文本",
        Code::IdKindInvalid => "证件类型无效，请重新选择",
        Code::NameScriptMismatch => "{kind}对应的姓名应使用{expected}",
        Code::PasswordEmpty => "请输入密码",
        Code::PasswordTooShort => "密码过短：至少 {min} 个字符",
        Code::PasswordTooLong => "密码过长：最多 {max} 个字符",
        Code::PasswordTooFewClasses => "密码需包含小写字母、大写字母、数字和符号中的至少 {min} 种",
        Code::PasswordInvalidCharacter => "密码第 {position} 个字符是控制字符或不可见字符",
        Code::PasswordContainsPersonalData => match issue.param("data") {
            Some(ParamValue::Str("phone")) => "密码不能包含手机号码或其中的连续 6 位",
            Some(ParamValue::Str("birth_date")) => "密码不能包含出生日期",
            _ => "密码不能包含证件号码或其中的连续 6 位",
        },
        Code::UsernameEmpty => "请输入用户名",
        Code::UsernameTooShort => "用户名过短：至少 {min} 个字符",
        Code::UsernameTooLong => "用户名过长：最多 {max} 个字符",
        Code::UsernameInvalidCharacter => {
            "用户名第 {position} 个字符无效：只能使用汉字、字母、数字、下划线、连字符和点"
        }
        Code::UsernameAllDigits => "用户名不能全部为数字",
        Code::UsernameContainsPersonalData => match issue.param("data") {
            Some(ParamValue::Str("phone")) => "用户名会公开显示，不能包含手机号码或其中的连续 6 位",
            Some(ParamValue::Str("birth_date")) => "用户名会公开显示，不能包含出生日期",
            _ => "用户名会公开显示，不能包含证件号码或其中的连续 6 位",
        },
        // -- minors
        Code::UntrustedClock => "当前时间仅来自本机时钟，未经服务器校准",
        Code::CalendarYearMissing => "节假日安排未包含 {year} 年，已按星期判断",
        Code::Adult => "已成年，不受未成年人保护规则限制",
        Code::MinorAllowed => "未成年人，当前允许",
        Code::MinorPaymentNotAllowed => "未满 {maxAge} 周岁的未成年人不能充值付费",
        Code::MinorPaymentOverSingleLimit => "未成年人单次充值不得超过 {limitFen} 元",
        Code::MinorPaymentOverMonthlyLimit => {
            "未成年人每月充值累计不得超过 {limitFen} 元，本月还可充值 {remainingFen} 元"
        }
        Code::MinorPlayOutsideWindow => "当前不在未成年人可玩网络游戏的时段",
        Code::MinorPlayTimeUsedUp => "今日网络游戏时间（{limitMinutes} 分钟）已用完",
        Code::MinorDailyLimitReached => "今日未成年人模式使用时间（{limitMinutes} 分钟）已用完",
        Code::MinorCurfew => "未成年人模式在夜间休息时段不提供服务",
        Code::MinorRestReminder => "已连续使用 {minutes} 分钟，请休息一下",
        Code::GuestModeNotAllowed => "请先完成实名认证：不提供游客模式",
        Code::GuardianNotAdult => "监护人应已年满 18 周岁",
        Code::GuardianSameAsMinor => "监护人不能是未成年人本人",
        Code::GuardianRelationInvalid => {
            "请选择与未成年人的关系：父母、祖父母或外祖父母、兄姐或其他"
        }
        Code::GuardianAgeUnverified => "该证件不含出生日期，无法核验监护人是否成年",
        // -- consent
        Code::ConsentInvalidJson => "同意记录不是 JSON 对象",
        Code::ConsentFieldMissing => "同意记录缺少字段",
        Code::ConsentFieldInvalid => "同意记录的字段无效",
        Code::ConsentDocumentDigestMismatch => "协议文本与其摘要不符",
        Code::ConsentDocumentUnknown => "找不到同意记录所指的协议版本",
        Code::ConsentReceiptDocumentDigestMismatch => "同意记录中的协议摘要不符",
        Code::ConsentReceiptDigestMismatch => "同意记录已被修改：摘要不符",
        Code::ConsentKindMismatch => "同意类型与协议不符",
        Code::ConsentSubjectLooksLikeId => "用户标识不能是证件号码或手机号码",
        Code::ConsentRequiredNeverAccepted => "请阅读并同意协议",
        Code::ConsentRequiredNewVersion => "协议已更新，请重新阅读并同意",
        Code::ConsentRequiredWithdrawn => "您已撤回同意，继续使用需重新同意",
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
        "han" => "汉字",
        "latin" => "拉丁字母",
        _ => return None,
    })
}
