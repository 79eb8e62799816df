//! 繁體中文 (zh-Hant) messages: the base of zh-HK and zh-TW, which override only what their
//! region writes otherwise (`zh_hk.rs`, `zh_tw.rs`).
//!
//! The words are the ones Hong Kong and Taiwan share (字元, 伺服器, 資料, 支援, 欄位, 全形); where
//! they differ and neither reads wrong to the other, the base takes the common form (帳號, 短訊,
//! 網絡, 用戶名稱, 核實, 校驗碼). Each document keeps its official name: the mainland's, Hong
//! Kong's and Macau's 身份證, Taiwan's 身分證, 港澳居民來往內地通行證, 臺灣居民來往大陸通行證.
//! Amounts name their currency (人民幣): 元 alone would read as the reader's own dollar.
//!
//! Every message is wrapped in `hant_msg!` (see `mod.rs`): compiled natively always, into a wasm
//! module only with the feature `messages-hant` on as well as the message's own set.

use crate::issue::{Code, Issue};

/// Joins the items of a list parameter.
pub(super) const LIST_SEPARATOR: &str = "或";

/// The message template of an issue; `{name}` is replaced by the param `name`.
pub(super) fn template(issue: &Issue) -> &'static str {
    match issue.code {
        Code::IdEmpty => hant_msg!(checks_msg, "請輸入證件號碼"),
        Code::IdTooLong => hant_msg!(checks_msg, "證件號碼過長：最多 {max} 個字元"),
        Code::IdInvalidLength => hant_msg!(
            checks_msg,
            "身份證號碼應為 18 位（第一代身份證為 15 位），目前為 {length} 位"
        ),
        Code::IdInvalidCharacter => match issue.param_text("expected") {
            Some("digit_or_x") => hant_msg!(checks_msg, "第 {position} 位應為數字或 X"),
            _ => hant_msg!(checks_msg, "第 {position} 位應為數字"),
        },
        Code::IdFormatUnrecognized => {
            hant_msg!(
                checks_msg,
                "號碼格式不符合任何可接受的證件：此處需要{allowed}"
            )
        }
        Code::IdChecksumMismatch => match issue.param("kind") {
            Some(_) => hant_msg!(checks_msg, "{kind}的校驗碼錯誤：應為 {expected}"),
            None => hant_msg!(checks_msg, "身份證號碼校驗碼錯誤：第 18 位應為 {expected}"),
        },
        Code::IdBirthDateInvalid => hant_msg!(checks_msg, "身份證號碼中的出生日期不是有效日期"),
        Code::IdBirthDateInFuture => hant_msg!(checks_msg, "身份證號碼中的出生日期晚於今天"),
        Code::IdBirthDateTooOld => hant_msg!(
            checks_msg,
            "身份證號碼中的出生日期過早：年齡超過 {maxAgeYears} 歲"
        ),
        Code::IdRegionInvalid => {
            hant_msg!(checks_msg, "身份證號碼前兩位不是有效的省級行政區劃代碼")
        }
        Code::IdRegionAbolished => hant_msg!(
            checks_msg,
            "身份證號碼中的地區代碼已於 {lastYear} 年撤銷，早於出生年份"
        ),
        Code::IdKindNotAllowed => hant_msg!(checks_msg, "這是{kind}，此處需要{allowed}"),
        Code::IdOrgCodeChecksumMismatch => hant_msg!(
            checks_msg,
            "統一社會信用代碼中的組織機構代碼校驗碼錯誤：第 17 位應為 {expected}"
        ),
        Code::IdWhitespaceTrimmed => hant_msg!(checks_msg, "已移除號碼前後的空格"),
        Code::IdFullwidthFolded => hant_msg!(checks_msg, "已將全形字元轉換為半形"),
        Code::IdLowercaseXFolded => hant_msg!(checks_msg, "已將小寫 x 轉換為大寫 X"),
        Code::IdRegionUnknown => {
            hant_msg!(checks_msg, "地區代碼不在行政區劃代碼表中，請核對")
        }
        Code::IdLegacyFormat => hant_msg!(
            checks_msg,
            "這是第一代 15 位身份證號碼（已於 2013 年停止使用），已升級為 18 位"
        ),
        Code::IdLowercaseFolded => hant_msg!(checks_msg, "已將小寫字母轉換為大寫"),
        Code::IdKindAmbiguous => hant_msg!(
            checks_msg,
            "此號碼也符合{alternatives}的格式，已按{kind}處理，請確認證件類型"
        ),
        Code::IdFormatOnly => hant_msg!(checks_msg, "{kind}沒有公開的校驗規則，只檢查了格式"),
        Code::IdChecksumPilotEra => hant_msg!(
            checks_msg,
            "統一社會信用代碼校驗碼不符，但組織機構代碼有效：可能是試點期間賦碼，請核對"
        ),
        Code::NameEmpty => hant_msg!(checks_msg, "請輸入姓名"),
        Code::NameTooLong => hant_msg!(checks_msg, "姓名過長：最多 {max} 個字"),
        Code::NameInvalidCharacter => {
            hant_msg!(checks_msg, "姓名第 {position} 個字元不能用於姓名")
        }
        Code::NameInvisibleCharacter => {
            hant_msg!(checks_msg, "姓名第 {position} 個字元是不可見字元")
        }
        Code::NameBidiControl => {
            hant_msg!(checks_msg, "姓名第 {position} 個字元是文字方向控制字元")
        }
        Code::NamePrivateUse => {
            hant_msg!(checks_msg, "姓名第 {position} 個字元是私用區字元，無法識別")
        }
        Code::NameSeparatorMisplaced => hant_msg!(
            checks_msg,
            "姓名第 {position} 個字元：「{separator}」不能在開頭、結尾或連續出現"
        ),
        Code::NameMixedScript => hant_msg!(checks_msg, "姓名不能同時包含漢字和拉丁字母"),
        Code::NameWhitespaceTrimmed => hant_msg!(checks_msg, "已移除姓名前後的空格"),
        Code::NameSeparatorNormalized => {
            hant_msg!(checks_msg, "已將姓名中的點號統一為間隔號「·」")
        }
        Code::NamePrivateUseMapped => hant_msg!(checks_msg, "已將私用區字元轉換為標準漢字"),
        Code::NameFullwidthFolded => hant_msg!(checks_msg, "已將姓名中的全形字母轉換為半形"),
        Code::NameSpacesCollapsed => {
            hant_msg!(checks_msg, "已將姓名中的連續空格或特殊空白統一為一個空格")
        }
        Code::PhoneEmpty => hant_msg!(checks_msg, "請輸入手機號碼"),
        Code::PhoneTooLong => hant_msg!(checks_msg, "手機號碼過長：最多 {max} 個字元"),
        Code::PhoneInvalidCharacter => hant_msg!(checks_msg, "手機號碼第 {position} 個字元無效"),
        Code::PhoneInvalidLength => hant_msg!(
            checks_msg,
            "{region}手機號碼應為 {expected} 位數字，目前為 {length} 位"
        ),
        Code::PhoneInvalidPrefix => hant_msg!(checks_msg, "這不是有效的{region}手機號碼開頭"),
        Code::PhoneCountryCodeUnsupported => hant_msg!(
            checks_msg,
            "僅支援中國內地（+86）、香港（+852）、澳門（+853）和臺灣（+886）的手機號碼"
        ),
        Code::PhoneCountryCodeRequired => {
            hant_msg!(checks_msg, "請在香港或澳門號碼前加上區號 +852 或 +853")
        }
        Code::PhoneRegionNotAllowed => hant_msg!(checks_msg, "此處不接受{region}手機號碼"),
        Code::PhoneSeparatorsRemoved => hant_msg!(checks_msg, "已移除號碼中的空格和分隔符號"),
        Code::PhoneFullwidthFolded => hant_msg!(checks_msg, "已將全形數字轉換為半形"),
        Code::PhoneSegmentUnknown => {
            hant_msg!(checks_msg, "此號段不在號段表中，請確認能收到短訊驗證碼")
        }
        Code::PhoneSegmentUnassigned => {
            hant_msg!(checks_msg, "此號段在號段表中為未分配號段，請確認號碼無誤")
        }
        Code::PhoneDataOnly => {
            hant_msg!(checks_msg, "此號段為數據卡/物聯網號段，可能無法接收短訊")
        }
        // -- registration form
        Code::FormInvalidType => hant_msg!(checks_msg, "表單資料無效"),
        Code::FormFieldInvalidType => hant_msg!(checks_msg, "此項應為文字"),
        Code::IdKindInvalid => hant_msg!(checks_msg, "證件類型無效，請重新選擇"),
        Code::NameScriptMismatch => hant_msg!(checks_msg, "{kind}對應的姓名應使用{expected}"),
        Code::PasswordEmpty => hant_msg!(checks_msg, "請輸入密碼"),
        Code::PasswordTooShort => hant_msg!(checks_msg, "密碼過短：至少 {min} 個字元"),
        Code::PasswordTooLong => hant_msg!(checks_msg, "密碼過長：最多 {max} 個字元"),
        Code::PasswordTooFewClasses => hant_msg!(
            checks_msg,
            "密碼須包含小寫字母、大寫字母、數字和符號中的至少 {min} 種"
        ),
        Code::PasswordInvalidCharacter => {
            hant_msg!(checks_msg, "密碼第 {position} 個字元是控制字元或不可見字元")
        }
        Code::PasswordContainsPersonalData => match issue.param_text("data") {
            Some("phone") => hant_msg!(checks_msg, "密碼不能包含手機號碼或其中連續 6 位"),
            Some("birth_date") => hant_msg!(checks_msg, "密碼不能包含出生日期"),
            _ => hant_msg!(checks_msg, "密碼不能包含證件號碼或其中連續 6 位"),
        },
        Code::UsernameEmpty => hant_msg!(checks_msg, "請輸入用戶名稱"),
        Code::UsernameTooShort => hant_msg!(checks_msg, "用戶名稱過短：至少 {min} 個字元"),
        Code::UsernameTooLong => hant_msg!(checks_msg, "用戶名稱過長：最多 {max} 個字元"),
        Code::UsernameInvalidCharacter => hant_msg!(
            checks_msg,
            "用戶名稱第 {position} 個字元無效：只能使用漢字、字母、數字、底線、連字號和點"
        ),
        Code::UsernameAllDigits => hant_msg!(checks_msg, "用戶名稱不能全部為數字"),
        Code::UsernameContainsPersonalData => match issue.param_text("data") {
            Some("phone") => hant_msg!(
                checks_msg,
                "用戶名稱會公開顯示，不能包含手機號碼或其中連續 6 位"
            ),
            Some("birth_date") => {
                hant_msg!(checks_msg, "用戶名稱會公開顯示，不能包含出生日期")
            }
            _ => hant_msg!(
                checks_msg,
                "用戶名稱會公開顯示，不能包含證件號碼或其中連續 6 位"
            ),
        },
        // -- minors
        Code::UntrustedClock => hant_msg!("目前時間只來自本機時鐘，未經伺服器校準"),
        Code::CalendarYearMissing => {
            hant_msg!(policy_msg, "節假日安排未包含 {year} 年，已按星期判斷")
        }
        Code::Adult => hant_msg!(policy_msg, "已成年，不受未成年人保護規則限制"),
        Code::MinorAllowed => hant_msg!(policy_msg, "未成年人，目前允許"),
        Code::MinorPaymentNotAllowed => {
            hant_msg!(policy_msg, "未滿 {maxAge} 歲的未成年人不能充值付費")
        }
        Code::MinorPaymentOverSingleLimit => {
            hant_msg!(policy_msg, "未成年人單次充值不得超過人民幣 {limitFen} 元")
        }
        Code::MinorPaymentOverMonthlyLimit => hant_msg!(
            policy_msg,
            "未成年人每月充值累計不得超過人民幣 {limitFen} 元，本月還可充值人民幣 {remainingFen} 元"
        ),
        Code::MinorPlayOutsideWindow => {
            hant_msg!(policy_msg, "目前不在未成年人可玩網絡遊戲的時段")
        }
        Code::MinorPlayTimeUsedUp => {
            hant_msg!(policy_msg, "今日網絡遊戲時間（{limitMinutes} 分鐘）已用完")
        }
        Code::MinorDailyLimitReached => hant_msg!(
            policy_msg,
            "今日未成年人模式使用時間（{limitMinutes} 分鐘）已用完"
        ),
        Code::MinorCurfew => hant_msg!(policy_msg, "未成年人模式在夜間休息時段不提供服務"),
        Code::MinorRestReminder => hant_msg!(policy_msg, "已連續使用 {minutes} 分鐘，請休息一下"),
        Code::GuestModeNotAllowed => hant_msg!(policy_msg, "請先完成實名認證：不提供訪客模式"),
        Code::GuardianNotAdult => hant_msg!(checks_msg, "監護人應已年滿 {minAge} 歲"),
        Code::GuardianSameAsMinor => hant_msg!(checks_msg, "監護人不能是未成年人本人"),
        Code::GuardianRelationInvalid => hant_msg!(
            checks_msg,
            "請選擇與未成年人的關係：父母、祖父母或外祖父母、兄姊或其他"
        ),
        Code::GuardianAgeUnverified => {
            hant_msg!(checks_msg, "此證件不含出生日期，無法核實監護人是否成年")
        }
        // -- consent
        Code::ConsentInvalidJson => hant_msg!(consent_msg, "同意記錄不是 JSON 物件"),
        Code::ConsentFieldMissing => hant_msg!(consent_msg, "同意記錄缺少欄位"),
        Code::ConsentFieldInvalid => hant_msg!(consent_msg, "同意記錄的欄位無效"),
        Code::ConsentDocumentDigestMismatch => hant_msg!(consent_msg, "協議文本與其摘要不符"),
        Code::ConsentDocumentUnknown => {
            hant_msg!(consent_msg, "找不到同意記錄所指的協議版本")
        }
        Code::ConsentReceiptDocumentDigestMismatch => {
            hant_msg!(consent_msg, "同意記錄中的協議摘要不符")
        }
        Code::ConsentReceiptDigestMismatch => {
            hant_msg!(consent_msg, "同意記錄已被修改：摘要不符")
        }
        Code::ConsentKindMismatch => hant_msg!(consent_msg, "同意類型與協議不符"),
        Code::ConsentSubjectLooksLikeId => {
            hant_msg!(consent_msg, "用戶識別碼不能是證件號碼或手機號碼")
        }
        Code::ConsentRequiredNeverAccepted => hant_msg!(consent_msg, "請閱讀並同意協議"),
        Code::ConsentRequiredNewVersion => {
            hant_msg!(consent_msg, "協議已更新，請重新閱讀並同意")
        }
        Code::ConsentRequiredWithdrawn => {
            hant_msg!(consent_msg, "您已撤回同意，如要繼續使用須重新同意")
        }
        Code::ConsentPrechecked => {
            hant_msg!(consent_msg, "同意選項不能預先勾選，請您自行勾選")
        }
        Code::ConsentUntrustedEvent => hant_msg!(consent_msg, "同意須由您本人點擊或按鍵完成"),
        Code::ConsentEndNotReached => hant_msg!(consent_msg, "請閱讀至協議末尾後再同意"),
        Code::ConsentReadingTooShort => {
            hant_msg!(consent_msg, "請繼續閱讀 {seconds} 秒後再同意")
        }
        Code::ConsentNotGiven => hant_msg!(consent_msg, "請勾選同意後繼續"),
        Code::SyncIdempotencyKeyInvalid => hant_msg!(sync_msg, "請求缺少有效的冪等鍵"),
        Code::SyncIdempotencyKeyReused => hant_msg!(sync_msg, "同一冪等鍵已用於另一個請求"),
        Code::SyncRequestInProgress => hant_msg!(sync_msg, "同一請求仍在處理中，稍後自動重試"),
        Code::SyncReceiptConflict => hant_msg!(sync_msg, "同意記錄編號已被另一份記錄使用"),
        Code::SyncConsentMissing => match issue.param("kind") {
            Some(_) => hant_msg!(sync_msg, "缺少對{kind}的同意"),
            None => hant_msg!(sync_msg, "所引用的同意記錄不存在或已撤回"),
        },
        Code::SyncAlreadyRegistered => hant_msg!(sync_msg, "此證件已註冊過帳號"),
        Code::SyncRegistrationConflict => hant_msg!(sync_msg, "註冊編號已被另一份註冊使用"),
        Code::SyncFieldMissing => hant_msg!(sync_msg, "請求缺少欄位"),
        Code::SyncFieldInvalid => hant_msg!(sync_msg, "請求欄位無效"),
        Code::SyncBodyInvalidJson => hant_msg!(sync_msg, "請求內容不是有效的 JSON"),
        Code::SyncBodyTooLarge => hant_msg!(sync_msg, "請求內容過大"),
        Code::SyncContentTypeUnsupported => {
            hant_msg!(sync_msg, "不支援此請求內容類型，應為 application/json")
        }
        Code::SyncRateLimited => hant_msg!(sync_msg, "請求過於頻繁，稍後自動重試"),
        Code::SyncUnavailable => hant_msg!(sync_msg, "服務暫時無法使用，稍後自動重試"),
        Code::SyncServerError => hant_msg!(sync_msg, "伺服器發生錯誤，稍後自動重試"),
        Code::SyncNotFound => hant_msg!(sync_msg, "找不到此記錄"),
        Code::SyncMethodNotAllowed => hant_msg!(sync_msg, "不支援此請求方法"),
        Code::SyncUnauthorized => hant_msg!(sync_msg, "需要管理員授權"),
        Code::SyncConsentUnavailable => hant_msg!(sync_msg, "伺服器暫時無法核實同意記錄"),
        Code::SyncExpired => {
            hant_msg!(sync_msg, "提交未能及時送達，未被儲存，請重新提交")
        }
        Code::SyncDependencyRejected => {
            hant_msg!(sync_msg, "所依賴的同意記錄被拒絕，註冊未提交")
        }
        Code::SyncDependencyFailed => {
            hant_msg!(sync_msg, "所依賴的同意記錄未能送達，註冊未提交")
        }
        Code::SyncUnexpectedStatus => hant_msg!(sync_msg, "伺服器傳回了意外的狀態 {status}"),
        Code::BirthDateRequired => hant_msg!(
            checks_msg,
            "此證件號碼不含出生日期：請填寫出生日期（用於未成年人保護）"
        ),
        Code::BirthDateInvalid => hant_msg!(
            checks_msg,
            "出生日期不是有效日期（格式為 年-月-日，如 2001-09-30）"
        ),
        Code::BirthDateInFuture => hant_msg!(checks_msg, "出生日期晚於今天"),
        Code::BirthDateTooOld => {
            hant_msg!(checks_msg, "出生日期過早：年齡超過 {maxAgeYears} 歲")
        }
        Code::BirthDateMismatch => {
            hant_msg!(checks_msg, "填寫的出生日期與證件號碼中的出生日期不一致")
        }
        Code::PhoneSegmentIot => {
            hant_msg!(
                checks_msg,
                "此號段為物聯網專用號段（13 位號碼），不是手機號碼"
            )
        }
        Code::NameHanZero => hant_msg!(
            checks_msg,
            "姓名中含有漢字「〇」（零），請確認不是字母 O 或數字 0"
        ),
        Code::IdSpacesRemoved => hant_msg!(checks_msg, "已移除號碼中間的空格"),
        Code::SyncForbidden => hant_msg!(sync_msg, "無權使用此憑證更改此帳號的資料"),
        Code::SyncAccountDeleted => {
            hant_msg!(sync_msg, "此帳號已註銷，資料已刪除，不能再次提交")
        }
        Code::SyncHostNotAllowed => hant_msg!(sync_msg, "伺服器不回應此地址的請求"),
        Code::SyncRequestTimeout => hant_msg!(sync_msg, "請求未能及時送達，將重新傳送"),
        Code::ConsentSignatureMissing => hant_msg!(consent_msg, "回執缺少伺服器簽名"),
        Code::ConsentSignatureKeyUnknown => {
            hant_msg!(consent_msg, "回執的簽名密鑰不在給定的密鑰集中")
        }
        Code::ConsentSignatureInvalid => {
            hant_msg!(consent_msg, "伺服器簽名與回執內容不符，回執在簽名後被改動")
        }
        Code::ConsentSignatureUnsupported => {
            hant_msg!(consent_msg, "目前的執行環境無法驗證 Ed25519 簽名")
        }
        Code::SyncGuardianMismatch => {
            hant_msg!(sync_msg, "此同意記錄所載的監護人與註冊時填寫的監護人不一致")
        }
        Code::MinorPaymentOverDailyLimit => hant_msg!(
            policy_msg,
            "未成年人單日充值累計不得超過人民幣 {limitFen} 元，今日還可充值人民幣 {remainingFen} 元"
        ),
        Code::MinorPaymentBlockedByGuardian => {
            hant_msg!(policy_msg, "監護人已關閉此帳號的充值付費")
        }
        Code::GuardianLimitTooLoose => {
            hant_msg!(policy_msg, "監護人設定不得寬於規則允許的上限（{max}）")
        }
        Code::GuardianLimitInvalid => hant_msg!(policy_msg, "此項監護人設定無效"),
        Code::GuardianLimitOnlyTighter => hant_msg!(
            limits_msg,
            "憑帳號存取碼只能收緊限制；放寬限制須由平台核實監護人身份後辦理"
        ),
        Code::SyncAccountFrozen => hant_msg!(sync_msg, "此帳號已被平台凍結"),
        Code::SyncVerificationFailed => {
            hant_msg!(sync_msg, "實名核實未能確認此姓名與證件號碼相符")
        }
        Code::SyncVerificationUnavailable => {
            hant_msg!(sync_msg, "實名核實服務暫時無法回應，將再次嘗試")
        }
        Code::PhoneCodeWrong => hant_msg!(sync_msg, "驗證碼錯誤，還可再試 {attemptsLeft} 次"),
        Code::PhoneCodeExpired => hant_msg!(sync_msg, "驗證碼已失效，請重新取得"),
        Code::PhoneCodeAttemptsExhausted => {
            hant_msg!(sync_msg, "驗證碼錯誤次數過多，已失效，請重新取得")
        }
        Code::PhoneCodeRateLimited => hant_msg!(
            sync_msg,
            "取得驗證碼過於頻繁，請 {retryAfterSeconds} 秒後再試"
        ),
        Code::PhoneCodesDisabled => hant_msg!(sync_msg, "本服務未提供短訊驗證碼"),
        Code::PhoneNotConfirmed => hant_msg!(sync_msg, "請先驗證手機號碼"),
    }
}

/// How a string param value reads in a sentence (kinds and regions), if it is one of those.
pub(super) fn value_name(value: &str) -> Option<&'static str> {
    if !super::HANT {
        return None;
    }
    Some(match value {
        "cn_resident" => "內地居民身份證號碼",
        "cn_resident_legacy" => "第一代 15 位居民身份證號碼",
        "hk_macao_taiwan_residence_permit" => "港澳臺居民居住證號碼",
        "foreign_permanent_resident" => "外國人永久居留身份證號碼",
        "hk_id" => "香港身份證號碼",
        "mo_id" => "澳門身份證號碼",
        "tw_id" => "臺灣身分證號碼",
        "hk_macao_home_return_permit" => "港澳居民來往內地通行證號碼",
        "tw_mtp" => "臺灣居民來往大陸通行證號碼",
        "cn_passport" => "中國護照號碼",
        "uscc" => "統一社會信用代碼",
        "cn" => "中國內地",
        "hk" => "香港",
        "mo" => "澳門",
        "tw" => "臺灣",
        "han" => "漢字",
        "latin" => "拉丁字母",
        // Document kinds: only the consent and sync modules (and native builds) name them.
        "service_agreement" if super::DOCUMENT_KINDS => "《網站服務使用協議》",
        "privacy_policy" if super::DOCUMENT_KINDS => "《隱私政策》",
        "sensitive_pi" if super::DOCUMENT_KINDS => "敏感個人資料（證件號碼）單獨處理",
        "children_privacy_rules" if super::DOCUMENT_KINDS => "《兒童個人資料保護規則》",
        "guardian_consent" if super::DOCUMENT_KINDS => "監護人同意書",
        _ => return None,
    })
}

/// A document kind's or an age band's name as a label (a menu, a table column): the document,
/// not its number (`value_name` names the number).
pub(super) fn label(value: &str) -> Option<&'static str> {
    Some(match value {
        "cn_resident" => "內地居民身份證",
        "cn_resident_legacy" => "第一代居民身份證（15 位）",
        "hk_macao_taiwan_residence_permit" => "港澳臺居民居住證",
        "foreign_permanent_resident" => "外國人永久居留身份證",
        "hk_id" => "香港身份證",
        "mo_id" => "澳門身份證",
        "tw_id" => "臺灣身分證",
        "hk_macao_home_return_permit" => "港澳居民來往內地通行證",
        "tw_mtp" => "臺灣居民來往大陸通行證",
        "cn_passport" => "中國護照",
        "uscc" => "統一社會信用代碼",
        "under_3" => "未滿 3 歲",
        "3_to_8" => "3–8 歲",
        "8_to_12" => "8–12 歲",
        "12_to_14" => "12–14 歲",
        "14_to_16" => "14–16 歲",
        "16_to_18" => "16–18 歲",
        "adult" => "成年人",
        _ => return None,
    })
}
