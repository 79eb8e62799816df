//! 臺灣 (zh-TW) messages: the zh-Hant base (`zh_hant.rs`) except where Taiwan writes otherwise:
//! 身分證 (with 分, for every document, as Taiwan's own texts write it), 大陸 for the mainland
//! (the permit 港澳居民來往內地通行證 keeps its official name), 檢查碼, 簡訊, 使用者名稱, 網路,
//! 儲值, 驗證, 點選, 簽章 and 金鑰, 位址, 回傳.

use crate::issue::{Code, Issue};

/// The template of an issue where Taiwan's differs from the base.
pub(super) fn template(issue: &Issue) -> Option<&'static str> {
    Some(match issue.code {
        Code::IdInvalidLength => hant_msg!(
            checks_msg,
            "身分證號碼應為 18 位（第一代身分證為 15 位），目前為 {length} 位"
        ),
        Code::IdChecksumMismatch => match issue.param("kind") {
            Some(_) => hant_msg!(checks_msg, "{kind}的檢查碼錯誤：應為 {expected}"),
            None => hant_msg!(checks_msg, "身分證號碼檢查碼錯誤：第 18 位應為 {expected}"),
        },
        Code::IdBirthDateInvalid => hant_msg!(checks_msg, "身分證號碼中的出生日期不是有效日期"),
        Code::IdBirthDateInFuture => hant_msg!(checks_msg, "身分證號碼中的出生日期晚於今天"),
        Code::IdBirthDateTooOld => hant_msg!(
            checks_msg,
            "身分證號碼中的出生日期過早：年齡超過 {maxAgeYears} 歲"
        ),
        Code::IdRegionInvalid => {
            hant_msg!(checks_msg, "身分證號碼前兩位不是有效的省級行政區劃代碼")
        }
        Code::IdRegionAbolished => hant_msg!(
            checks_msg,
            "身分證號碼中的地區代碼已於 {lastYear} 年撤銷，早於出生年份"
        ),
        Code::IdOrgCodeChecksumMismatch => hant_msg!(
            checks_msg,
            "統一社會信用代碼中的組織機構代碼檢查碼錯誤：第 17 位應為 {expected}"
        ),
        Code::IdLegacyFormat => hant_msg!(
            checks_msg,
            "這是第一代 15 位身分證號碼（已於 2013 年停止使用），已升級為 18 位"
        ),
        Code::IdFormatOnly => {
            hant_msg!(checks_msg, "{kind}沒有公開的檢查碼規則，只檢查了格式")
        }
        Code::IdChecksumPilotEra => hant_msg!(
            checks_msg,
            "統一社會信用代碼檢查碼不符，但組織機構代碼有效：可能是試點期間賦碼，請核對"
        ),
        Code::PhoneCountryCodeUnsupported => hant_msg!(
            checks_msg,
            "僅支援中國大陸（+86）、香港（+852）、澳門（+853）和臺灣（+886）的手機號碼"
        ),
        Code::PhoneSegmentUnknown => {
            hant_msg!(checks_msg, "此號段不在號段表中，請確認能收到簡訊驗證碼")
        }
        Code::PhoneDataOnly => {
            hant_msg!(checks_msg, "此號段為上網卡/物聯網號段，可能無法接收簡訊")
        }
        Code::UsernameEmpty => hant_msg!(checks_msg, "請輸入使用者名稱"),
        Code::UsernameTooShort => hant_msg!(checks_msg, "使用者名稱過短：至少 {min} 個字元"),
        Code::UsernameTooLong => hant_msg!(checks_msg, "使用者名稱過長：最多 {max} 個字元"),
        Code::UsernameInvalidCharacter => hant_msg!(
            checks_msg,
            "使用者名稱第 {position} 個字元無效：只能使用漢字、字母、數字、底線、連字號和點"
        ),
        Code::UsernameAllDigits => hant_msg!(checks_msg, "使用者名稱不能全部為數字"),
        Code::UsernameContainsPersonalData => match issue.param_text("data") {
            Some("phone") => hant_msg!(
                checks_msg,
                "使用者名稱會公開顯示，不能包含手機號碼或其中連續 6 位"
            ),
            Some("birth_date") => {
                hant_msg!(checks_msg, "使用者名稱會公開顯示，不能包含出生日期")
            }
            _ => hant_msg!(
                checks_msg,
                "使用者名稱會公開顯示，不能包含證件號碼或其中連續 6 位"
            ),
        },
        Code::GuardianAgeUnverified => {
            hant_msg!(checks_msg, "此證件不含出生日期，無法驗證監護人是否成年")
        }
        Code::MinorPaymentNotAllowed => {
            hant_msg!(policy_msg, "未滿 {maxAge} 歲的未成年人不能儲值付費")
        }
        Code::MinorPaymentOverSingleLimit => {
            hant_msg!(policy_msg, "未成年人單次儲值不得超過人民幣 {limitFen} 元")
        }
        Code::MinorPaymentOverMonthlyLimit => hant_msg!(
            policy_msg,
            "未成年人每月儲值累計不得超過人民幣 {limitFen} 元，本月還可儲值人民幣 {remainingFen} 元"
        ),
        Code::MinorPaymentOverDailyLimit => hant_msg!(
            policy_msg,
            "未成年人單日儲值累計不得超過人民幣 {limitFen} 元，今日還可儲值人民幣 {remainingFen} 元"
        ),
        Code::MinorPaymentBlockedByGuardian => {
            hant_msg!(policy_msg, "監護人已關閉此帳號的儲值付費")
        }
        Code::MinorPlayOutsideWindow => {
            hant_msg!(policy_msg, "目前不在未成年人可玩網路遊戲的時段")
        }
        Code::MinorPlayTimeUsedUp => {
            hant_msg!(policy_msg, "今日網路遊戲時間（{limitMinutes} 分鐘）已用完")
        }
        Code::GuardianLimitOnlyTighter => hant_msg!(
            limits_msg,
            "憑帳號存取碼只能收緊限制；放寬限制須由平台驗證監護人身分後辦理"
        ),
        Code::ConsentSubjectLooksLikeId => {
            hant_msg!(consent_msg, "使用者識別碼不能是證件號碼或手機號碼")
        }
        Code::ConsentUntrustedEvent => hant_msg!(consent_msg, "同意須由您本人點選或按鍵完成"),
        Code::ConsentSignatureMissing => hant_msg!(consent_msg, "回執缺少伺服器簽章"),
        Code::ConsentSignatureKeyUnknown => {
            hant_msg!(consent_msg, "回執的簽章金鑰不在給定的金鑰集中")
        }
        Code::ConsentSignatureInvalid => {
            hant_msg!(consent_msg, "伺服器簽章與回執內容不符，回執在簽章後被改動")
        }
        Code::ConsentSignatureUnsupported => {
            hant_msg!(consent_msg, "目前的執行環境無法驗證 Ed25519 簽章")
        }
        Code::SyncConsentUnavailable => hant_msg!(sync_msg, "伺服器暫時無法驗證同意記錄"),
        Code::SyncHostNotAllowed => hant_msg!(sync_msg, "伺服器不回應此位址的請求"),
        Code::SyncUnexpectedStatus => hant_msg!(sync_msg, "伺服器回傳了非預期的狀態 {status}"),
        Code::SyncVerificationFailed => {
            hant_msg!(sync_msg, "實名驗證未能確認此姓名與證件號碼相符")
        }
        Code::SyncVerificationUnavailable => {
            hant_msg!(sync_msg, "實名驗證服務暫時無法回應，將再次嘗試")
        }
        Code::PhoneCodesDisabled => hant_msg!(sync_msg, "本服務未提供簡訊驗證碼"),
        _ => return None,
    })
}

/// The name of a param value where Taiwan's differs from the base.
pub(super) fn value_name(value: &str) -> Option<&'static str> {
    if !super::HANT {
        return None;
    }
    Some(match value {
        "cn_resident" => "大陸居民身分證號碼",
        "cn_resident_legacy" => "第一代 15 位大陸居民身分證號碼",
        "foreign_permanent_resident" => "外國人永久居留身分證號碼",
        "hk_id" => "香港身分證號碼",
        "mo_id" => "澳門身分證號碼",
        "tw_id" => "國民身分證統一編號",
        "cn" => "中國大陸",
        "privacy_policy" if super::DOCUMENT_KINDS => "《隱私權政策》",
        _ => return None,
    })
}

/// A label where Taiwan's differs from the base.
pub(super) fn label(value: &str) -> Option<&'static str> {
    Some(match value {
        "cn_resident" => "大陸居民身分證",
        "cn_resident_legacy" => "第一代大陸居民身分證（15 位）",
        "foreign_permanent_resident" => "外國人永久居留身分證",
        "hk_id" => "香港身分證",
        "mo_id" => "澳門身分證",
        "tw_id" => "國民身分證",
        _ => return None,
    })
}
