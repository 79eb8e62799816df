//! Messages, rendered last from an issue's code and params (one file per language).
//!
//! Each locale file is an exhaustive `match` over [`Code`](crate::Code): adding a code does not
//! compile until every language has its message. Messages never contain the input itself.

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

/// Renders `issue` in `locale`.
pub fn message(issue: &Issue, locale: Locale) -> String {
    match locale {
        Locale::ZhCn => zh_cn::message(issue),
        Locale::En => en::message(issue),
    }
}

/// A parameter rendered as text for a message ("?" when absent, which only a caller-built issue can cause).
pub(crate) fn param_text(issue: &Issue, name: &str) -> String {
    match issue.param(name) {
        Some(ParamValue::Int(i)) => i.to_string(),
        Some(ParamValue::Char(c)) => c.to_string(),
        Some(ParamValue::Str(s)) => (*s).to_string(),
        Some(ParamValue::List(items)) => items.join(", "),
        None => "?".to_string(),
    }
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
