//! 香港 (zh-HK, also zh-MO) messages: the zh-Hant base (`zh_hant.rs`) except where Hong Kong
//! writes otherwise. 賬戶 for an account (the Hong Kong government's form), 台灣 (as Hong Kong
//! writes it, in the documents' names too), 私隱 for privacy (as in the 私隱條例).

use crate::issue::{Code, Issue};

/// The template of an issue where Hong Kong's differs from the base.
pub(super) fn template(issue: &Issue) -> Option<&'static str> {
    Some(match issue.code {
        Code::PhoneCountryCodeUnsupported => hant_msg!(
            checks_msg,
            "僅支援中國內地（+86）、香港（+852）、澳門（+853）和台灣（+886）的手機號碼"
        ),
        Code::SyncAlreadyRegistered => hant_msg!(sync_msg, "此證件已註冊過賬戶"),
        Code::SyncForbidden => hant_msg!(sync_msg, "無權使用此憑證更改此賬戶的資料"),
        Code::SyncAccountDeleted => {
            hant_msg!(sync_msg, "此賬戶已註銷，資料已刪除，不能再次提交")
        }
        Code::SyncAccountFrozen => hant_msg!(sync_msg, "此賬戶已被平台凍結"),
        Code::MinorPaymentBlockedByGuardian => {
            hant_msg!(policy_msg, "監護人已關閉此賬戶的充值付費")
        }
        Code::GuardianLimitOnlyTighter => hant_msg!(
            limits_msg,
            "憑賬戶存取碼只能收緊限制；放寬限制須由平台核實監護人身份後辦理"
        ),
        _ => return None,
    })
}

/// The name of a param value where Hong Kong's differs from the base.
pub(super) fn value_name(value: &str) -> Option<&'static str> {
    if !super::HANT {
        return None;
    }
    Some(match value {
        "hk_macao_taiwan_residence_permit" => "港澳台居民居住證號碼",
        "tw_id" => "台灣身份證號碼",
        "tw_mtp" => "台灣居民來往大陸通行證號碼",
        "tw" => "台灣",
        "privacy_policy" if super::DOCUMENT_KINDS => "《私隱政策》",
        _ => return None,
    })
}

/// A label where Hong Kong's differs from the base.
pub(super) fn label(value: &str) -> Option<&'static str> {
    Some(match value {
        "hk_macao_taiwan_residence_permit" => "港澳台居民居住證",
        "tw_id" => "台灣身份證",
        "tw_mtp" => "台灣居民來往大陸通行證",
        _ => return None,
    })
}
