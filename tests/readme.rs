//! The README lists every issue code with both messages; this keeps it true.
//! Run `SHIMING_PRINT_CODES=1 cargo test --test readme -- --nocapture` to print the table.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::panic)]

use shiming::{Code, Issue, Locale, ParamValue};

/// An issue with representative params, as the checks produce them.
fn sample(code: Code) -> Issue {
    let issue = Issue::new(code);
    match code {
        Code::IdTooLong => issue.with("max", ParamValue::Int(64)),
        Code::IdInvalidLength => issue.with("length", ParamValue::Int(17)),
        Code::IdInvalidCharacter => issue
            .with("position", ParamValue::Int(18))
            .with("expected", ParamValue::Str("digit_or_x")),
        Code::IdChecksumMismatch => issue.with("expected", ParamValue::Char('X')),
        Code::IdBirthDateTooOld => issue.with("maxAgeYears", ParamValue::Int(130)),
        Code::IdRegionAbolished => issue.with("lastYear", ParamValue::Int(1996)),
        Code::IdKindNotAllowed => issue
            .with("kind", ParamValue::Str("hk_id"))
            .with("allowed", ParamValue::List(vec!["cn_resident"])),
        Code::IdFormatUnrecognized => {
            issue.with("allowed", ParamValue::List(vec!["hk_id", "mo_id"]))
        }
        Code::IdOrgCodeChecksumMismatch => issue.with("expected", ParamValue::Char('1')),
        Code::IdKindAmbiguous => issue
            .with("kind", ParamValue::Str("tw_mtp"))
            .with("alternatives", ParamValue::List(vec!["mo_id"])),
        Code::IdFormatOnly => issue.with("kind", ParamValue::Str("mo_id")),
        Code::NameTooLong => issue.with("max", ParamValue::Int(50)),
        Code::NameInvalidCharacter
        | Code::NameInvisibleCharacter
        | Code::NameBidiControl
        | Code::NamePrivateUse => issue.with("position", ParamValue::Int(3)),
        Code::NameSeparatorMisplaced => issue
            .with("position", ParamValue::Int(3))
            .with("separator", ParamValue::Char('·')),
        Code::PhoneTooLong => issue.with("max", ParamValue::Int(32)),
        Code::PhoneInvalidCharacter => issue.with("position", ParamValue::Int(4)),
        Code::PhoneInvalidLength => issue
            .with("region", ParamValue::Str("cn"))
            .with("expected", ParamValue::Int(11))
            .with("length", ParamValue::Int(10)),
        Code::PhoneInvalidPrefix | Code::PhoneRegionNotAllowed => {
            issue.with("region", ParamValue::Str("hk"))
        }
        Code::FormFieldInvalidType => issue.with("expected", ParamValue::Str("string")),
        Code::NameScriptMismatch => issue
            .with("kind", ParamValue::Str("cn_resident"))
            .with("expected", ParamValue::List(vec!["han"])),
        Code::PasswordTooShort => issue.with("min", ParamValue::Int(8)),
        Code::PasswordTooLong => issue.with("max", ParamValue::Int(64)),
        Code::PasswordTooFewClasses => issue.with("min", ParamValue::Int(2)),
        Code::PasswordInvalidCharacter | Code::UsernameInvalidCharacter => {
            issue.with("position", ParamValue::Int(5))
        }
        Code::PasswordContainsPersonalData | Code::UsernameContainsPersonalData => {
            issue.with("data", ParamValue::Str("phone"))
        }
        Code::UsernameTooShort => issue.with("min", ParamValue::Int(2)),
        Code::UsernameTooLong => issue.with("max", ParamValue::Int(32)),
        Code::CalendarYearMissing => issue.with("year", ParamValue::Int(2027)),
        Code::MinorPaymentNotAllowed => issue.with("maxAge", ParamValue::Int(8)),
        Code::MinorPaymentOverSingleLimit => issue.with("limitFen", ParamValue::Int(5000)),
        Code::MinorPaymentOverMonthlyLimit => issue
            .with("limitFen", ParamValue::Int(20000))
            .with("remainingFen", ParamValue::Int(4999)),
        Code::MinorPaymentOverDailyLimit => issue
            .with("limitFen", ParamValue::Int(10000))
            .with("remainingFen", ParamValue::Int(2000)),
        Code::GuardianLimitTooLoose => issue.with("max", ParamValue::Int(3600)),
        Code::PhoneCodeWrong => issue.with("attemptsLeft", ParamValue::Int(3)),
        Code::PhoneCodeRateLimited => issue.with("retryAfterSeconds", ParamValue::Int(42)),
        Code::GuardianNotAdult => issue.with("minAge", ParamValue::Int(18)),
        Code::MinorPlayTimeUsedUp | Code::MinorDailyLimitReached => {
            issue.with("limitMinutes", ParamValue::Int(60))
        }
        Code::MinorRestReminder => issue.with("minutes", ParamValue::Int(30)),
        Code::ConsentKindMismatch => issue.with("expected", ParamValue::Str("separate")),
        Code::ConsentRequiredNeverAccepted
        | Code::ConsentRequiredNewVersion
        | Code::ConsentRequiredWithdrawn => issue.with("kind", ParamValue::Str("privacy_policy")),
        Code::ConsentReadingTooShort => issue.with("seconds", ParamValue::Int(8)),
        Code::SyncConsentMissing => issue.with("kind", ParamValue::Str("sensitive_pi")),
        Code::SyncUnexpectedStatus => issue.with("status", ParamValue::Int(302)),
        Code::BirthDateTooOld => issue.with("maxAgeYears", ParamValue::Int(130)),
        _ => issue,
    }
}

fn params_text(issue: &Issue) -> String {
    issue
        .params
        .iter()
        .map(|(name, value)| match value {
            ParamValue::Int(i) => format!("`{name}`: {i}"),
            ParamValue::Char(c) => format!("`{name}`: '{c}'"),
            ParamValue::Str(s) => format!("`{name}`: '{s}'"),
            ParamValue::List(l) => format!("`{name}`: {l:?}"),
            ParamValue::Text(s) => format!("`{name}`: {s:?}"),
            ParamValue::TextList(l) => format!("`{name}`: {l:?}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn rows() -> Vec<String> {
    Code::ALL
        .iter()
        .map(|&code| {
            let issue = sample(code);
            format!(
                "| `{}` | {} | {} | {} |",
                code.as_str(),
                params_text(&issue),
                issue.message(Locale::ZhCn),
                issue.message(Locale::En)
            )
        })
        .collect()
}

#[test]
fn readme_lists_every_code_with_both_messages() {
    // Every locale's message fills its placeholders; the table shows zh-CN and en.
    for code in Code::ALL {
        for locale in Locale::ALL {
            let message = sample(code).message(locale);
            assert!(
                !message.contains('?') && !message.contains('{'),
                "{code} {locale:?}: a placeholder without its param: {message}"
            );
        }
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let rows = rows();
    if std::env::var_os("SHIMING_PRINT_CODES").is_some() {
        println!("{}", rows.join("\n"));
    }
    let missing: Vec<&String> = rows
        .iter()
        .filter(|r| !readme.contains(r.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "README.md is missing these rows (SHIMING_PRINT_CODES=1 prints them all):\n{}",
        missing
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn typescript_types_list_every_code() {
    let bindings = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/bindings/common/src/lib.rs"
    ))
    .unwrap();
    for code in Code::ALL {
        assert!(
            bindings.contains(&format!("'{}'", code.as_str())),
            "IssueCode lacks {code}"
        );
    }
}

/// `message_of` (an issue received as `{ code, params }`, e.g. from a server) renders exactly what
/// the module's own issue renders, for every code, in both languages.
#[test]
fn a_received_issue_renders_like_the_modules_own() {
    use shiming::i18n::message_of;
    for code in Code::ALL {
        let issue = sample(code);
        let received: Vec<(String, ParamValue)> = issue
            .params
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    ParamValue::Str(s) => ParamValue::Text((*s).to_string()),
                    ParamValue::List(items) => {
                        ParamValue::TextList(items.iter().map(|s| (*s).to_string()).collect())
                    }
                    other => other.clone(),
                };
                ((*name).to_string(), value)
            })
            .collect();
        for locale in Locale::ALL {
            assert_eq!(
                message_of(code.as_str(), &received, locale).as_deref(),
                Some(issue.message(locale).as_str()),
                "{code:?} {locale:?}"
            );
        }
    }
    assert_eq!(message_of("no_such_code", &[], Locale::En), None);
    // A missing param shows as '?', never the code's other text.
    assert_eq!(
        message_of("id_too_long", &[], Locale::En).as_deref(),
        Some("The ID number is too long: at most ? characters")
    );
}
