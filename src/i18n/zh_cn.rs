//! 简体中文 (zh-CN) messages: the default locale.

use crate::issue::{Code, Issue};

/// Joins the items of a list parameter.
pub(super) const LIST_SEPARATOR: &str = "或";

/// The message template of an issue; `{name}` is replaced by the param `name`.
pub(super) fn template(issue: &Issue) -> &'static str {
    match issue.code {
        Code::IdEmpty => checks_msg!("请输入证件号码"),
        Code::IdTooLong => checks_msg!("证件号码过长：最多 {max} 个字符"),
        Code::IdInvalidLength => {
            checks_msg!("身份证号码应为 18 位（第一代身份证为 15 位），当前为 {length} 位")
        }
        Code::IdInvalidCharacter => match issue.param_text("expected") {
            Some("digit_or_x") => checks_msg!("第 {position} 位应为数字或 X"),
            _ => checks_msg!("第 {position} 位应为数字"),
        },
        Code::IdFormatUnrecognized => {
            checks_msg!("号码格式不符合任何可接受的证件：此处需要{allowed}")
        }
        Code::IdChecksumMismatch => match issue.param("kind") {
            Some(_) => checks_msg!("{kind}的校验码错误：应为 {expected}"),
            None => checks_msg!("身份证号码校验码错误：第 18 位应为 {expected}"),
        },
        Code::IdBirthDateInvalid => checks_msg!("身份证号码中的出生日期不是有效日期"),
        Code::IdBirthDateInFuture => checks_msg!("身份证号码中的出生日期晚于当前日期"),
        Code::IdBirthDateTooOld => {
            checks_msg!("身份证号码中的出生日期过早：年龄超过 {maxAgeYears} 周岁")
        }
        Code::IdRegionInvalid => checks_msg!("身份证号码前两位不是有效的省级行政区划代码"),
        Code::IdRegionAbolished => {
            checks_msg!("身份证号码中的地区代码已于 {lastYear} 年撤销，早于出生年份")
        }
        Code::IdKindNotAllowed => checks_msg!("这是{kind}，此处需要{allowed}"),
        Code::IdOrgCodeChecksumMismatch => {
            checks_msg!("统一社会信用代码中的组织机构代码校验码错误：第 17 位应为 {expected}")
        }
        Code::IdWhitespaceTrimmed => checks_msg!("已去除号码前后的空格"),
        Code::IdFullwidthFolded => checks_msg!("已将全角字符转换为半角"),
        Code::IdLowercaseXFolded => checks_msg!("已将小写 x 转换为大写 X"),
        Code::IdRegionUnknown => checks_msg!("地区代码未收录在行政区划代码表中，请核对"),
        Code::IdLegacyFormat => {
            checks_msg!("这是第一代 15 位身份证号码（已于 2013 年停止使用），已升级为 18 位")
        }
        Code::IdLowercaseFolded => checks_msg!("已将小写字母转换为大写"),
        Code::IdKindAmbiguous => {
            checks_msg!("该号码也符合{alternatives}的格式，已按{kind}处理，请确认证件类型")
        }
        Code::IdFormatOnly => checks_msg!("{kind}没有公开的校验规则，仅检查了格式"),
        Code::IdChecksumPilotEra => {
            checks_msg!(
                "统一社会信用代码校验码不符，但组织机构代码有效：可能是试点期间赋码，请核对"
            )
        }
        Code::NameEmpty => checks_msg!("请输入姓名"),
        Code::NameTooLong => checks_msg!("姓名过长：最多 {max} 个字"),
        Code::NameInvalidCharacter => checks_msg!("姓名第 {position} 个字符不能用于姓名"),
        Code::NameInvisibleCharacter => checks_msg!("姓名第 {position} 个字符是不可见字符"),
        Code::NameBidiControl => checks_msg!("姓名第 {position} 个字符是文字方向控制符"),
        Code::NamePrivateUse => checks_msg!("姓名第 {position} 个字符是私用区字符，无法识别"),
        Code::NameSeparatorMisplaced => {
            checks_msg!("姓名第 {position} 个字符：“{separator}”不能在开头、结尾或连续出现")
        }
        Code::NameMixedScript => checks_msg!("姓名不能同时包含汉字和拉丁字母"),
        Code::NameWhitespaceTrimmed => checks_msg!("已去除姓名前后的空格"),
        Code::NameSeparatorNormalized => checks_msg!("已将姓名中的点号统一为间隔号“·”"),
        Code::NamePrivateUseMapped => checks_msg!("已将私用区字符转换为标准汉字"),
        Code::NameFullwidthFolded => checks_msg!("已将姓名中的全角字母转换为半角"),
        Code::NameSpacesCollapsed => checks_msg!("已将姓名中的连续空格或特殊空白统一为一个空格"),
        Code::PhoneEmpty => checks_msg!("请输入手机号码"),
        Code::PhoneTooLong => checks_msg!("手机号码过长：最多 {max} 个字符"),
        Code::PhoneInvalidCharacter => checks_msg!("手机号码第 {position} 个字符无效"),
        Code::PhoneInvalidLength => {
            checks_msg!("{region}手机号码应为 {expected} 位数字，当前为 {length} 位")
        }
        Code::PhoneInvalidPrefix => checks_msg!("这不是有效的{region}手机号码开头"),
        Code::PhoneCountryCodeUnsupported => {
            checks_msg!("仅支持中国内地（+86）、香港（+852）、澳门（+853）和台湾（+886）的手机号码")
        }
        Code::PhoneCountryCodeRequired => checks_msg!("请在香港或澳门号码前加上区号 +852 或 +853"),
        Code::PhoneRegionNotAllowed => checks_msg!("此处不接受{region}手机号码"),
        Code::PhoneSeparatorsRemoved => checks_msg!("已去除号码中的空格和分隔符"),
        Code::PhoneFullwidthFolded => checks_msg!("已将全角数字转换为半角"),
        Code::PhoneSegmentUnknown => checks_msg!("该号段未收录在号段表中，请确认能收到短信验证码"),
        Code::PhoneSegmentUnassigned => checks_msg!("该号段在号段表中为未分配号段，请确认号码无误"),
        Code::PhoneDataOnly => checks_msg!("该号段为上网卡/物联网号段，可能无法接收短信"),
        // -- registration form
        Code::FormInvalidType => checks_msg!("表单数据无效"),
        Code::FormFieldInvalidType => checks_msg!("此项应为文本"),
        Code::IdKindInvalid => checks_msg!("证件类型无效，请重新选择"),
        Code::NameScriptMismatch => checks_msg!("{kind}对应的姓名应使用{expected}"),
        Code::PasswordEmpty => checks_msg!("请输入密码"),
        Code::PasswordTooShort => checks_msg!("密码过短：至少 {min} 个字符"),
        Code::PasswordTooLong => checks_msg!("密码过长：最多 {max} 个字符"),
        Code::PasswordTooFewClasses => {
            checks_msg!("密码需包含小写字母、大写字母、数字和符号中的至少 {min} 种")
        }
        Code::PasswordInvalidCharacter => {
            checks_msg!("密码第 {position} 个字符是控制字符或不可见字符")
        }
        Code::PasswordContainsPersonalData => match issue.param_text("data") {
            Some("phone") => checks_msg!("密码不能包含手机号码或其中的连续 6 位"),
            Some("birth_date") => checks_msg!("密码不能包含出生日期"),
            _ => checks_msg!("密码不能包含证件号码或其中的连续 6 位"),
        },
        Code::UsernameEmpty => checks_msg!("请输入用户名"),
        Code::UsernameTooShort => checks_msg!("用户名过短：至少 {min} 个字符"),
        Code::UsernameTooLong => checks_msg!("用户名过长：最多 {max} 个字符"),
        Code::UsernameInvalidCharacter => {
            checks_msg!(
                "用户名第 {position} 个字符无效：只能使用汉字、字母、数字、下划线、连字符和点"
            )
        }
        Code::UsernameAllDigits => checks_msg!("用户名不能全部为数字"),
        Code::UsernameContainsPersonalData => match issue.param_text("data") {
            Some("phone") => {
                checks_msg!("用户名会公开显示，不能包含手机号码或其中的连续 6 位")
            }
            Some("birth_date") => {
                checks_msg!("用户名会公开显示，不能包含出生日期")
            }
            _ => checks_msg!("用户名会公开显示，不能包含证件号码或其中的连续 6 位"),
        },
        // -- minors
        Code::UntrustedClock => "当前时间仅来自本机时钟，未经服务器校准",
        Code::CalendarYearMissing => policy_msg!("节假日安排未包含 {year} 年，已按星期判断"),
        Code::Adult => policy_msg!("已成年，不受未成年人保护规则限制"),
        Code::MinorAllowed => policy_msg!("未成年人，当前允许"),
        Code::MinorPaymentNotAllowed => policy_msg!("未满 {maxAge} 周岁的未成年人不能充值付费"),
        Code::MinorPaymentOverSingleLimit => policy_msg!("未成年人单次充值不得超过 {limitFen} 元"),
        Code::MinorPaymentOverMonthlyLimit => {
            policy_msg!(
                "未成年人每月充值累计不得超过 {limitFen} 元，本月还可充值 {remainingFen} 元"
            )
        }
        Code::MinorPlayOutsideWindow => policy_msg!("当前不在未成年人可玩网络游戏的时段"),
        Code::MinorPlayTimeUsedUp => policy_msg!("今日网络游戏时间（{limitMinutes} 分钟）已用完"),
        Code::MinorDailyLimitReached => {
            policy_msg!("今日未成年人模式使用时间（{limitMinutes} 分钟）已用完")
        }
        Code::MinorCurfew => policy_msg!("未成年人模式在夜间休息时段不提供服务"),
        Code::MinorRestReminder => policy_msg!("已连续使用 {minutes} 分钟，请休息一下"),
        Code::GuestModeNotAllowed => policy_msg!("请先完成实名认证：不提供游客模式"),
        Code::GuardianNotAdult => checks_msg!("监护人应已年满 {minAge} 周岁"),
        Code::GuardianSameAsMinor => checks_msg!("监护人不能是未成年人本人"),
        Code::GuardianRelationInvalid => {
            checks_msg!("请选择与未成年人的关系：父母、祖父母或外祖父母、兄姐或其他")
        }
        Code::GuardianAgeUnverified => checks_msg!("该证件不含出生日期，无法核验监护人是否成年"),
        // -- consent
        Code::ConsentInvalidJson => consent_msg!("同意记录不是 JSON 对象"),
        Code::ConsentFieldMissing => consent_msg!("同意记录缺少字段"),
        Code::ConsentFieldInvalid => consent_msg!("同意记录的字段无效"),
        Code::ConsentDocumentDigestMismatch => consent_msg!("协议文本与其摘要不符"),
        Code::ConsentDocumentUnknown => consent_msg!("找不到同意记录所指的协议版本"),
        Code::ConsentReceiptDocumentDigestMismatch => consent_msg!("同意记录中的协议摘要不符"),
        Code::ConsentReceiptDigestMismatch => consent_msg!("同意记录已被修改：摘要不符"),
        Code::ConsentKindMismatch => consent_msg!("同意类型与协议不符"),
        Code::ConsentSubjectLooksLikeId => consent_msg!("用户标识不能是证件号码或手机号码"),
        Code::ConsentRequiredNeverAccepted => consent_msg!("请阅读并同意协议"),
        Code::ConsentRequiredNewVersion => consent_msg!("协议已更新，请重新阅读并同意"),
        Code::ConsentRequiredWithdrawn => consent_msg!("您已撤回同意，继续使用需重新同意"),
        Code::ConsentPrechecked => consent_msg!("同意选项不能预先勾选，请您自行勾选"),
        Code::ConsentUntrustedEvent => consent_msg!("同意须由您本人点击或按键完成"),
        Code::ConsentEndNotReached => consent_msg!("请阅读至协议末尾后再同意"),
        Code::ConsentReadingTooShort => consent_msg!("请继续阅读 {seconds} 秒后再同意"),
        Code::ConsentNotGiven => consent_msg!("请勾选同意后继续"),
        Code::SyncIdempotencyKeyInvalid => sync_msg!("请求缺少有效的幂等键"),
        Code::SyncIdempotencyKeyReused => sync_msg!("同一幂等键已用于另一份请求"),
        Code::SyncRequestInProgress => sync_msg!("同一请求仍在处理中，稍后自动重试"),
        Code::SyncReceiptConflict => sync_msg!("同意记录编号已被另一份记录使用"),
        Code::SyncConsentMissing => match issue.param("kind") {
            Some(_) => sync_msg!("缺少对{kind}的同意"),
            None => sync_msg!("所引用的同意记录不存在或已撤回"),
        },
        Code::SyncAlreadyRegistered => sync_msg!("该证件已注册过账号"),
        Code::SyncRegistrationConflict => sync_msg!("注册编号已被另一份注册使用"),
        Code::SyncFieldMissing => sync_msg!("请求缺少字段"),
        Code::SyncFieldInvalid => sync_msg!("请求字段无效"),
        Code::SyncBodyInvalidJson => sync_msg!("请求内容不是有效的 JSON"),
        Code::SyncBodyTooLarge => sync_msg!("请求内容过大"),
        Code::SyncContentTypeUnsupported => {
            sync_msg!("请求内容类型不受支持，应为 application/json")
        }
        Code::SyncRateLimited => sync_msg!("请求过于频繁，稍后自动重试"),
        Code::SyncUnavailable => sync_msg!("服务暂不可用，稍后自动重试"),
        Code::SyncServerError => sync_msg!("服务器出错，稍后自动重试"),
        Code::SyncNotFound => sync_msg!("找不到该记录"),
        Code::SyncMethodNotAllowed => sync_msg!("不支持该请求方法"),
        Code::SyncUnauthorized => sync_msg!("需要管理员授权"),
        Code::SyncConsentUnavailable => sync_msg!("服务器暂时无法核验同意记录"),
        Code::SyncExpired => sync_msg!("提交未能及时送达，未被保存，请重新提交"),
        Code::SyncDependencyRejected => sync_msg!("所依赖的同意记录被拒绝，注册未提交"),
        Code::SyncDependencyFailed => sync_msg!("所依赖的同意记录未能送达，注册未提交"),
        Code::SyncUnexpectedStatus => sync_msg!("服务器返回了意外的状态 {status}"),
        Code::BirthDateRequired => {
            checks_msg!("该证件号码不含出生日期：请填写出生日期（用于未成年人保护）")
        }
        Code::BirthDateInvalid => {
            checks_msg!("出生日期不是有效日期（格式为 年-月-日，如 2001-09-30）")
        }
        Code::BirthDateInFuture => checks_msg!("出生日期晚于当前日期"),
        Code::BirthDateTooOld => checks_msg!("出生日期过早：年龄超过 {maxAgeYears} 周岁"),
        Code::BirthDateMismatch => checks_msg!("填写的出生日期与证件号码中的出生日期不一致"),
        Code::PhoneSegmentIot => {
            checks_msg!("该号段为物联网专用号段（13 位号码），不是手机号码")
        }
        Code::NameHanZero => {
            checks_msg!("姓名中含有汉字“〇”（零），请确认不是字母 O 或数字 0")
        }
        Code::IdSpacesRemoved => checks_msg!("已去除号码中间的空格"),
        Code::SyncForbidden => sync_msg!("无权使用该凭证更改此账户的数据"),
        Code::SyncAccountDeleted => sync_msg!("该账户已注销，数据已删除，不能再次提交"),
        Code::SyncHostNotAllowed => sync_msg!("服务器不响应该地址的请求"),
        Code::SyncRequestTimeout => sync_msg!("请求未能及时送达，将重新发送"),
        Code::ConsentSignatureMissing => consent_msg!("回执缺少服务器签名"),
        Code::ConsentSignatureKeyUnknown => consent_msg!("回执的签名密钥不在给定的密钥集中"),
        Code::ConsentSignatureInvalid => {
            consent_msg!("服务器签名与回执内容不符，回执在签名后被改动")
        }
        Code::ConsentSignatureUnsupported => consent_msg!("当前运行环境无法验证 Ed25519 签名"),
        Code::SyncGuardianMismatch => sync_msg!("该同意记录所载的监护人与注册时填写的监护人不一致"),
        Code::MinorPaymentOverDailyLimit => policy_msg!(
            "未成年人单日充值累计不得超过 {limitFen} 元，今日还可充值 {remainingFen} 元"
        ),
        Code::MinorPaymentBlockedByGuardian => policy_msg!("监护人已关闭该账号的充值付费"),
        Code::GuardianLimitTooLoose => policy_msg!("监护人设置不得宽于规则允许的上限（{max}）"),
        Code::GuardianLimitInvalid => policy_msg!("该项监护人设置无效"),
        Code::GuardianLimitOnlyTighter => {
            limits_msg!("凭账号访问码只能收紧限制；放宽限制须由平台核实监护人身份后办理")
        }
        Code::SyncAccountFrozen => sync_msg!("该账户已被平台冻结"),
        Code::SyncVerificationFailed => sync_msg!("实名核验未能确认该姓名与证件号码一致"),
        Code::SyncVerificationUnavailable => sync_msg!("实名核验服务暂时无法应答，将再次尝试"),
        Code::PhoneCodeWrong => sync_msg!("验证码错误，还可再试 {attemptsLeft} 次"),
        Code::PhoneCodeExpired => sync_msg!("验证码已失效，请重新获取"),
        Code::PhoneCodeAttemptsExhausted => sync_msg!("验证码错误次数过多，已失效，请重新获取"),
        Code::PhoneCodeRateLimited => {
            sync_msg!("获取验证码过于频繁，请 {retryAfterSeconds} 秒后再试")
        }
        Code::PhoneCodesDisabled => sync_msg!("本服务未开通短信验证码"),
        Code::PhoneNotConfirmed => sync_msg!("请先验证手机号码"),
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
        // Document kinds: only the consent and sync modules (and native builds) name them.
        "service_agreement" if super::DOCUMENT_KINDS => "《网站服务使用协议》",
        "privacy_policy" if super::DOCUMENT_KINDS => "《隐私政策》",
        "sensitive_pi" if super::DOCUMENT_KINDS => "敏感个人信息（证件号码）单独处理",
        "children_privacy_rules" if super::DOCUMENT_KINDS => "《儿童个人信息保护规则》",
        "guardian_consent" if super::DOCUMENT_KINDS => "监护人同意书",
        _ => return None,
    })
}

/// A document kind's or an age band's name as a label (a menu, a table column): the document,
/// not its number (`value_name` names the number: 居民身份证号码).
pub(super) fn label(value: &str) -> Option<&'static str> {
    Some(match value {
        "cn_resident" => "居民身份证",
        "cn_resident_legacy" => "第一代居民身份证（15 位）",
        "hk_macao_taiwan_residence_permit" => "港澳台居民居住证",
        "foreign_permanent_resident" => "外国人永久居留身份证",
        "hk_id" => "香港身份证",
        "mo_id" => "澳门身份证",
        "tw_id" => "台湾身份证",
        "hk_macao_home_return_permit" => "港澳居民来往内地通行证",
        "tw_mtp" => "台湾居民来往大陆通行证",
        "cn_passport" => "中国护照",
        "uscc" => "统一社会信用代码",
        "under_3" => "未满 3 周岁",
        "3_to_8" => "3–8 周岁",
        "8_to_12" => "8–12 周岁",
        "12_to_14" => "12–14 周岁",
        "14_to_16" => "14–16 周岁",
        "16_to_18" => "16–18 周岁",
        "adult" => "成年人",
        _ => return None,
    })
}
