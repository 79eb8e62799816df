//! The username (用户名) of a registration form: public, so it must not give away personal data.
//!
//! - **Length** in Unicode scalar values: [`UsernamePolicy::min_length`] (default 2, enough for a
//!   two-character Chinese name) to [`UsernamePolicy::max_length`] (default 32).
//! - **Characters**: Chinese characters (the same set as names), ASCII letters and digits, `_`,
//!   `-` and `.`; anything else (spaces, symbols, emoji, invisible characters) is
//!   `username_invalid_character` at the first such position. Nothing is folded or trimmed: the
//!   username is stored exactly as accepted.
//! - **Not only digits**: a digit-only username could be taken for (or be) a phone number or an
//!   account number.
//! - **Personal data**: no phone number, ID number or birth date inside
//!   ([`super::cross_field`]); usernames are shown to other users (PIPL Art. 6: minimum necessary).
//!
//! # Sources
//! - **`pipl`**: PIPL Art. 6: personal information is processed only as far as the purpose needs,
//!   so a public username must not expose it. The lengths and characters are this library's
//!   defaults.

use super::cross_field::{personal_data_in, PersonalData};
use crate::id::Checked;
use crate::issue::{Code, Issue, ParamValue};
use crate::name::is_han;

/// The default shortest username, in characters.
pub const DEFAULT_MIN_LENGTH: usize = 2;
/// The default longest username, in characters.
pub const DEFAULT_MAX_LENGTH: usize = 32;
/// The highest maximum length a policy may set (a sanity bound).
pub const MAX_MAX_LENGTH: usize = 256;

/// How usernames are checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsernamePolicy {
    /// An absent username is `username_empty` (default: absent usernames are not checked; a
    /// present empty one always is).
    pub required: bool,
    /// The shortest username accepted, in characters (Unicode scalar values).
    pub min_length: usize,
    /// The longest username accepted, in characters.
    pub max_length: usize,
}

impl Default for UsernamePolicy {
    fn default() -> Self {
        UsernamePolicy {
            required: false,
            min_length: DEFAULT_MIN_LENGTH,
            max_length: DEFAULT_MAX_LENGTH,
        }
    }
}

fn int(n: usize) -> ParamValue {
    ParamValue::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') || is_han(c)
}

/// Checks a username; the value is the username as given.
pub fn check_username(
    username: &str,
    policy: &UsernamePolicy,
    personal: &PersonalData<'_>,
) -> Result<Checked<String>, Vec<Issue>> {
    if username.is_empty() {
        return Err(vec![Issue::new(Code::UsernameEmpty)]);
    }
    let max = policy.max_length.clamp(1, MAX_MAX_LENGTH);
    let min = policy.min_length.min(max);
    if username.len() > max.saturating_mul(4) {
        return Err(vec![Issue::new(Code::UsernameTooLong).with("max", int(max))]);
    }
    let mut issues = Vec::new();
    let length = username.chars().count();
    if let Some(position) = username.chars().position(|c| !allowed(c)) {
        issues.push(Issue::new(Code::UsernameInvalidCharacter).with("position", int(position + 1)));
    }
    if length < min {
        issues.push(Issue::new(Code::UsernameTooShort).with("min", int(min)));
    }
    if length > max {
        issues.push(Issue::new(Code::UsernameTooLong).with("max", int(max)));
    }
    if username.chars().all(|c| c.is_ascii_digit()) {
        issues.push(Issue::new(Code::UsernameAllDigits));
    }
    for data in personal_data_in(username, personal) {
        issues.push(
            Issue::new(Code::UsernameContainsPersonalData).with("data", ParamValue::Str(data)),
        );
    }
    if issues.is_empty() {
        Ok(Checked {
            value: username.to_string(),
            warnings: Vec::new(),
        })
    } else {
        Err(issues)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(username: &str) -> Vec<&'static str> {
        match check_username(
            username,
            &UsernamePolicy::default(),
            &PersonalData::default(),
        ) {
            Ok(_) => Vec::new(),
            Err(issues) => issues.iter().map(|i| i.code.as_str()).collect(),
        }
    }

    #[test]
    fn usernames() {
        assert!(codes("zhang_san-2024.x").is_empty());
        assert!(codes("张三").is_empty());
        assert_eq!(codes(""), ["username_empty"]);
        assert_eq!(codes("a"), ["username_too_short"]);
        assert_eq!(codes("zhang san"), ["username_invalid_character"]);
        assert_eq!(codes("123456"), ["username_all_digits"]);
        assert_eq!(codes(&"a".repeat(33)), ["username_too_long"]);
        let personal = PersonalData {
            phone: Some("13812345678"),
            ..PersonalData::default()
        };
        let issues =
            check_username("zs_345678", &UsernamePolicy::default(), &personal).unwrap_err();
        assert_eq!(issues[0].code, Code::UsernameContainsPersonalData);
        assert_eq!(issues[0].param("data"), Some(&ParamValue::Str("phone")));
    }
}
