//! The password policy of a registration form.
//!
//! - **Length** in Unicode scalar values: at least [`PasswordPolicy::min_length`] (default 8) and
//!   at most [`PasswordPolicy::max_length`] (default 64). NIST SP 800-63B §5.1.1.2: at least 8,
//!   and allow at least 64.
//! - **Character classes**: lowercase ASCII letters, uppercase ASCII letters, ASCII digits, and
//!   everything else (symbols, spaces, Chinese characters, other letters) are four classes, as
//!   Chinese platforms define them ("大写字母、小写字母、数字、特殊字符"); at least
//!   [`PasswordPolicy::min_classes`] (default 2) must appear. GB/T 22239-2019 (等保 2.0) asks for
//!   "复杂度要求" without numbers; two classes is the common reading, three or four are stricter
//!   options.
//! - **Characters**: control, invisible and bidi-control characters are refused at their
//!   position (the user could never type the password again); everything else, including spaces
//!   and non-ASCII characters, is allowed (NIST SP 800-63B).
//! - **Personal data**: no phone number, ID number or birth date inside ([`super::cross_field`]).
//!
//! No issue ever carries the password or any part of it: only lengths, counts, a position, and
//! which kind of personal data was found.
//!
//! # Sources
//! - **`nist-sp-800-63b`**: NIST SP 800-63B §5.1.1.2: at least 8 characters, allow at least 64,
//!   allow every printable character including spaces and Unicode, refuse context-specific words.
//! - **`gb-t-22239-2019`**: GB/T 22239-2019《信息安全技术 网络安全等级保护基本要求》 (等保 2.0):
//!   "复杂度要求" without numbers; the two-class default is this library's reading.

use super::cross_field::{personal_data_in, PersonalData};
use crate::issue::{Code, Issue, ParamValue};
use crate::name::controls;

/// The default minimum length (NIST SP 800-63B).
pub const DEFAULT_MIN_LENGTH: usize = 8;
/// The default maximum length (NIST SP 800-63B: allow at least 64).
pub const DEFAULT_MAX_LENGTH: usize = 64;
/// The default count of character classes required.
pub const DEFAULT_MIN_CLASSES: u8 = 2;
/// The highest maximum length a policy may set (a sanity bound).
pub const MAX_MAX_LENGTH: usize = 1024;

/// How passwords are checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// An absent password is `password_empty` (default: absent passwords are not checked; a
    /// present empty one always is).
    pub required: bool,
    /// The shortest password accepted, in characters (Unicode scalar values).
    pub min_length: usize,
    /// The longest password accepted, in characters.
    pub max_length: usize,
    /// 1 to 4 of: lowercase, uppercase, digits, other characters.
    pub min_classes: u8,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            required: false,
            min_length: DEFAULT_MIN_LENGTH,
            max_length: DEFAULT_MAX_LENGTH,
            min_classes: DEFAULT_MIN_CLASSES,
        }
    }
}

fn int(n: usize) -> ParamValue {
    ParamValue::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Every problem of `password` under `policy`; empty when it passes.
pub fn check_password(
    password: &str,
    policy: &PasswordPolicy,
    personal: &PersonalData<'_>,
) -> Vec<Issue> {
    if password.is_empty() {
        return vec![Issue::new(Code::PasswordEmpty)];
    }
    let max = policy.max_length.clamp(1, MAX_MAX_LENGTH);
    let min = policy.min_length.min(max);
    // Beyond 4 bytes per allowed character it is too long whatever it holds: stop reading.
    if password.len() > max.saturating_mul(4) {
        return vec![Issue::new(Code::PasswordTooLong).with("max", int(max))];
    }
    let mut issues = Vec::new();
    let mut length = 0;
    let mut classes = [false; 4];
    let mut invalid_at = None;
    for (i, c) in password.chars().enumerate() {
        length += 1;
        if invalid_at.is_none()
            && (c.is_control() || controls::is_invisible(c) || controls::is_bidi_control(c))
        {
            invalid_at = Some(i + 1);
        }
        let class = match c {
            'a'..='z' => 0,
            'A'..='Z' => 1,
            '0'..='9' => 2,
            _ => 3,
        };
        if let Some(seen) = classes.get_mut(class) {
            *seen = true;
        }
    }
    if let Some(position) = invalid_at {
        issues.push(Issue::new(Code::PasswordInvalidCharacter).with("position", int(position)));
    }
    if length < min {
        issues.push(Issue::new(Code::PasswordTooShort).with("min", int(min)));
    }
    if length > max {
        issues.push(Issue::new(Code::PasswordTooLong).with("max", int(max)));
    }
    let min_classes = usize::from(policy.min_classes.clamp(1, 4));
    if classes.iter().filter(|&&seen| seen).count() < min_classes {
        issues.push(Issue::new(Code::PasswordTooFewClasses).with("min", int(min_classes)));
    }
    for data in personal_data_in(password, personal) {
        issues.push(
            Issue::new(Code::PasswordContainsPersonalData).with("data", ParamValue::Str(data)),
        );
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(password: &str, policy: &PasswordPolicy) -> Vec<&'static str> {
        check_password(password, policy, &PersonalData::default())
            .iter()
            .map(|i| i.code.as_str())
            .collect()
    }

    #[test]
    fn default_policy() {
        let policy = PasswordPolicy::default();
        assert!(codes("correct horse", &policy).is_empty());
        assert!(codes("abcdefg1", &policy).is_empty());
        assert_eq!(codes("", &policy), ["password_empty"]);
        assert_eq!(codes("abc1", &policy), ["password_too_short"]);
        assert_eq!(codes("abcdefgh", &policy), ["password_too_few_classes"]);
        assert_eq!(codes(&"a1".repeat(40), &policy), ["password_too_long"]);
        assert_eq!(
            codes("abc\u{0}defg1", &policy),
            ["password_invalid_character"]
        );
        assert_eq!(codes(&"x".repeat(10_000), &policy), ["password_too_long"]);
        assert!(codes("密码密码密码密码1", &policy).is_empty());
    }

    #[test]
    fn stricter_policy() {
        let policy = PasswordPolicy {
            min_classes: 4,
            min_length: 12,
            ..PasswordPolicy::default()
        };
        assert_eq!(codes("Abcdefgh1!", &policy), ["password_too_short"]);
        assert!(codes("Abcdefgh1!xy", &policy).is_empty());
        let issues = check_password("abcdefghijkl", &policy, &PersonalData::default());
        assert_eq!(issues[0].int_param("min"), Some(4));
    }
}
