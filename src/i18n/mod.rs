//! Messages, rendered last from an issue's code and params (one file per language).
//!
//! Each locale file is an exhaustive `match` over [`Code`](crate::Code): adding a code does not
//! compile until every language has its message. Messages never contain the input itself.
//!
//! Each wasm module carries only the messages of the codes it can report or render: a message
//! wrapped in `checks_msg!`, `policy_msg!`, `consent_msg!`, `sync_msg!` or `limits_msg!` is
//! compiled into native builds always, and into a wasm build only when the crate feature of its
//! set (`messages-checks`, …, Cargo.toml) is on. Each bindings crate (`bindings/*`) turns on the
//! sets of its module. Elsewhere a message is `""`, never reached (no such module reports that
//! code), and rendered as the code itself should it ever be.

/// A message of a registration-checks code (feature `messages-checks`).
macro_rules! checks_msg {
    ($text:literal) => {
        if cfg!(any(
            not(target_arch = "wasm32"),
            feature = "messages-checks"
        )) {
            $text
        } else {
            ""
        }
    };
}

/// A message of a policy-runtime code (feature `messages-policy`).
macro_rules! policy_msg {
    ($text:literal) => {
        if cfg!(any(
            not(target_arch = "wasm32"),
            feature = "messages-policy"
        )) {
            $text
        } else {
            ""
        }
    };
}

/// A message of a consent code (feature `messages-consent`).
macro_rules! consent_msg {
    ($text:literal) => {
        if cfg!(any(
            not(target_arch = "wasm32"),
            feature = "messages-consent"
        )) {
            $text
        } else {
            ""
        }
    };
}

/// A message of a sync code (feature `messages-sync`): the sync client reports them,
/// `shiming/consent`'s `issueMessage` renders them.
macro_rules! sync_msg {
    ($text:literal) => {
        if cfg!(any(not(target_arch = "wasm32"), feature = "messages-sync")) {
            $text
        } else {
            ""
        }
    };
}

/// A message of a code only a server answers about a guardian's limits (`guardian_limit_only_tighter`,
/// feature `messages-limits`), which a guardian page renders with `shiming/consent`'s
/// `issueMessage`; `shiming/policy` has it too.
macro_rules! limits_msg {
    ($text:literal) => {
        if cfg!(any(
            not(target_arch = "wasm32"),
            feature = "messages-limits"
        )) {
            $text
        } else {
            ""
        }
    };
}

mod en;
mod zh_cn;

use crate::issue::{Issue, ParamValue};

/// The languages messages are rendered in. zh-CN is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// The BCP 47 tag: `zh-CN` or `en`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// Accepts `zh-CN` and `en`, plus their common spellings (`zh`, `zh-Hans`, `zh_CN`, `en-US`, ...),
    /// case-insensitively.
    pub fn parse(tag: &str) -> Option<Locale> {
        let lower = tag.trim().to_ascii_lowercase().replace('_', "-");
        let primary = lower.split('-').next().unwrap_or("");
        match primary {
            "zh" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

/// Renders `issue` in `locale`: the locale's template for the code, with each `{param}` replaced
/// by the param's value (kinds and regions by their name in that language).
pub fn message(issue: &Issue, locale: Locale) -> String {
    let (template, value_name, list_separator): (_, fn(&str) -> Option<&'static str>, _) =
        match locale {
            Locale::ZhCn => (
                zh_cn::template(issue),
                zh_cn::value_name,
                zh_cn::LIST_SEPARATOR,
            ),
            Locale::En => (en::template(issue), en::value_name, en::LIST_SEPARATOR),
        };
    // A message this module does not carry (see the module doc): the code stands for itself.
    let template = if template.is_empty() {
        issue.code.as_str()
    } else {
        template
    };
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        let Some((name, tail)) = after.split_once('}') else {
            out.push('{');
            rest = after;
            continue;
        };
        match issue.param(name) {
            // Amounts in fen read as yuan: 5000 → 50, 5050 → 50.50.
            Some(ParamValue::Int(i)) if name.ends_with("Fen") => {
                let (yuan, fen) = (i / 100, (i % 100).abs());
                out.push_str(&yuan.to_string());
                if fen != 0 {
                    out.push_str(&format!(".{fen:02}"));
                }
            }
            Some(ParamValue::Int(i)) => out.push_str(&i.to_string()),
            Some(ParamValue::Char(c)) => out.push(*c),
            Some(ParamValue::Str(s)) => out.push_str(value_name(s).unwrap_or(s)),
            Some(ParamValue::Text(s)) => out.push_str(value_name(s).unwrap_or(s)),
            Some(ParamValue::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(list_separator);
                    }
                    out.push_str(value_name(item).unwrap_or(item));
                }
            }
            Some(ParamValue::TextList(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(list_separator);
                    }
                    out.push_str(value_name(item).unwrap_or(item));
                }
            }
            // Only a caller-built issue can lack a param its message names.
            None => out.push('?'),
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The message of an issue that came from elsewhere as `{ code, params }` (a server's rejection,
/// a stored report), rendered as the module renders its own; `None` for an unknown code. Params
/// the message does not use are ignored; one it needs and lacks is shown as `?`.
pub fn message_of(code: &str, params: &[(String, ParamValue)], locale: Locale) -> Option<String> {
    let code = crate::issue::Code::parse(code)?;
    let find = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut issue = Issue::new(code);
    // The params that choose between a code's messages, then the ones its message names.
    for name in ["expected", "kind", "data"] {
        if let Some(value) = find(name) {
            issue.params.push((name, value));
        }
    }
    let template = match locale {
        Locale::ZhCn => zh_cn::template(&issue),
        Locale::En => en::template(&issue),
    };
    let mut rest = template;
    while let Some((_, after)) = rest.split_once('{') {
        let Some((name, tail)) = after.split_once('}') else {
            break;
        };
        if issue.param(name).is_none() {
            if let Some(value) = find(name) {
                issue.params.push((name, value));
            }
        }
        rest = tail;
    }
    Some(message(&issue, locale))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::Code;

    #[test]
    fn every_code_has_a_message_in_every_locale() {
        for code in Code::ALL {
            for locale in Locale::ALL {
                let m = message(&Issue::new(code), locale);
                assert!(!m.is_empty(), "{code} {locale:?}");
            }
        }
    }

    #[test]
    fn parses_locale_tags() {
        assert_eq!(Locale::parse("zh-CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("zh_cn"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("EN-us"), Some(Locale::En));
        assert_eq!(Locale::parse("fr"), None);
        assert_eq!(Locale::parse(""), None);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod gating_tests {
    use super::*;
    use crate::issue::Code;

    /// Native builds carry every message (the gating macros only leave messages out of the wasm
    /// modules that never report their codes).
    #[test]
    fn every_code_has_a_message_in_every_locale_natively() {
        for code in Code::ALL {
            for locale in Locale::ALL {
                let text = message(&Issue::new(code), locale);
                assert!(
                    !text.is_empty() && text != code.as_str(),
                    "{code:?} {locale:?}"
                );
            }
        }
    }
}
