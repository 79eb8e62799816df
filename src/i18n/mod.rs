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
//!
//! Traditional Chinese (zh-Hant, and zh-HK and zh-TW, which override only what their region writes
//! otherwise) is a further set, `hant_msg!`, feature `messages-hant`, that no wasm module turns on:
//! the npm package ships those locales as tables (`MessageTable::builtin`, written out at build
//! time) that a page loads and [`install`]s. A wasm build without the feature and without an
//! installed table renders those locales as zh-CN (see [`message`]).
//!
//! An installed [`MessageTable`] also replaces compiled messages, key by key: how a platform words
//! a message its own way.

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

/// Whether this build names document kinds in params, in every locale's `value_name` (feature
/// `messages-document-kinds`; always natively): only the modules that report them carry the names.
const DOCUMENT_KINDS: bool = cfg!(any(
    not(target_arch = "wasm32"),
    feature = "messages-document-kinds"
));

/// Whether this build carries the Traditional Chinese messages (feature `messages-hant`; always
/// natively).
const HANT: bool = cfg!(any(not(target_arch = "wasm32"), feature = "messages-hant"));

/// A Traditional Chinese message (zh-Hant, zh-HK, zh-TW): `hant_msg!(checks_msg, "…")` is compiled
/// into a wasm build only when the feature `messages-hant` is on as well as the set's own
/// (`checks_msg`, …); `hant_msg!("…")` (a message every module carries in zh-CN) only with
/// `messages-hant`. Elsewhere it is `""`, and [`message`] renders the issue as zh-CN.
macro_rules! hant_msg {
    ($set:ident, $text:literal) => {
        if $crate::i18n::HANT {
            $set!($text)
        } else {
            ""
        }
    };
    ($text:literal) => {
        if $crate::i18n::HANT {
            $text
        } else {
            ""
        }
    };
}

mod en;
mod table;
mod zh_cn;
mod zh_hant;
mod zh_hk;
mod zh_tw;

#[cfg(not(target_arch = "wasm32"))]
pub use table::install;
pub use table::{installed, parse_key, variant, MessageTable, UnknownKey};

use crate::issue::{Issue, ParamValue};

/// The languages messages are rendered in. zh-CN is the default.
///
/// zh-Hant is Traditional Chinese as Hong Kong and Taiwan share it; zh-HK (also Macau's) and
/// zh-TW are zh-Hant with their region's own words where they differ (身份證 / 身分證, 賬戶 /
/// 帳號, 短訊 / 簡訊, 內地 / 大陸, ...).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    /// Simplified Chinese as written in mainland China (`zh-CN`), the default.
    #[default]
    ZhCn,
    /// English (`en`).
    En,
    /// Traditional Chinese as Hong Kong and Taiwan share it (`zh-Hant`).
    ZhHant,
    /// Traditional Chinese as written in Hong Kong, also Macau's (`zh-HK`).
    ZhHk,
    /// Traditional Chinese as written in Taiwan (`zh-TW`).
    ZhTw,
}

impl Locale {
    /// Every locale, the default (zh-CN) first.
    pub const ALL: [Locale; 5] = [
        Locale::ZhCn,
        Locale::En,
        Locale::ZhHant,
        Locale::ZhHk,
        Locale::ZhTw,
    ];

    /// The BCP 47 tag: `zh-CN`, `en`, `zh-Hant`, `zh-HK` or `zh-TW`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
            Locale::ZhHant => "zh-Hant",
            Locale::ZhHk => "zh-HK",
            Locale::ZhTw => "zh-TW",
        }
    }

    /// The locale a BCP 47 tag names, case-insensitively, with `-` or `_` between subtags:
    /// - `zh`, `zh-CN`, `zh-SG`, `zh-Hans`, `zh-Hans-*` → zh-CN;
    /// - `zh-Hant` → zh-Hant;
    /// - `zh-HK`, `zh-MO`, `zh-Hant-HK`, `zh-Hant-MO` → zh-HK;
    /// - `zh-TW`, `zh-Hant-TW` → zh-TW;
    /// - `en`, `en-*` → en;
    /// - anything else (`fr`, `zh-US`, `zh-Hant-CN`, `""`) → `None`: [`Locale::negotiate`] picks a
    ///   locale for any tag.
    pub fn parse(tag: &str) -> Option<Locale> {
        // Bytes compared case-insensitively, without allocating (this runs in every module).
        let mut subtags = tag.trim().as_bytes().split(|b| *b == b'-' || *b == b'_');
        let lower = |s: &[u8]| -> [u8; 4] {
            let mut out = [0; 4];
            if s.len() <= 4 {
                for (o, b) in out.iter_mut().zip(s) {
                    *o = b.to_ascii_lowercase();
                }
            }
            out
        };
        let region = |r: &[u8]| match &lower(r) {
            b"cn\0\0" | b"sg\0\0" => Some(Locale::ZhCn),
            b"hk\0\0" | b"mo\0\0" => Some(Locale::ZhHk),
            b"tw\0\0" => Some(Locale::ZhTw),
            _ => None,
        };
        match &lower(subtags.next().unwrap_or(b"")) {
            b"en\0\0" => return Some(Locale::En),
            b"zh\0\0" => {}
            _ => return None,
        }
        let (second, third, fourth) = (subtags.next(), subtags.next(), subtags.next());
        let Some(second) = second else {
            return Some(Locale::ZhCn);
        };
        match (&lower(second), third, fourth) {
            // zh-Hans-*: Simplified whatever the region.
            (b"hans", _, _) => Some(Locale::ZhCn),
            (b"hant", None, _) => Some(Locale::ZhHant),
            (b"hant", Some(r), None) => region(r).filter(|l| l.is_traditional()),
            (_, None, _) if second.len() == 2 => region(second),
            _ => None,
        }
    }

    /// The locale to render in for any tag (a browser's language, a user's setting, an
    /// `Accept-Language` entry), never failing. An extension or private use (`-u-…`, `-x-…`) is
    /// left out first: it does not change the language. Then the locale [`Locale::parse`] names,
    /// else:
    /// - an empty tag → the default, zh-CN;
    /// - another `zh` tag (an unknown region, `zh-US`, `zh-Hant-CN`; a dialect, `zh-yue-HK`) → by
    ///   its script: `Hant` → zh-Hant, otherwise zh-CN;
    /// - a tag of any other language → en.
    pub fn negotiate(tag: &str) -> Locale {
        let tag = tag.trim();
        if tag.is_empty() {
            return Locale::default();
        }
        let is_separator = |b: &u8| *b == b'-' || *b == b'_';
        // The language, extlang, script, region and variants: up to the first singleton.
        let mut end = 0;
        for subtag in tag.as_bytes().split(is_separator) {
            if subtag.len() == 1 {
                break;
            }
            end += subtag.len() + 1;
        }
        let tag = tag.get(..end.saturating_sub(1)).unwrap_or(tag);
        if let Some(locale) = Locale::parse(tag) {
            return locale;
        }
        let mut subtags = tag.as_bytes().split(is_separator);
        if !subtags
            .next()
            .is_some_and(|language| language.eq_ignore_ascii_case(b"zh"))
        {
            return Locale::En;
        }
        if subtags.any(|s| s.eq_ignore_ascii_case(b"hant")) {
            Locale::ZhHant
        } else {
            Locale::ZhCn
        }
    }

    /// Whether this is one of the Traditional locales (zh-Hant, zh-HK, zh-TW).
    pub const fn is_traditional(self) -> bool {
        matches!(self, Locale::ZhHant | Locale::ZhHk | Locale::ZhTw)
    }
}

/// What rendering an issue in a locale needs, as this build compiles it: the template of its
/// code, the names of param values, and the separator of list items.
pub(crate) struct Tables {
    template: &'static str,
    value_name: fn(&str) -> Option<&'static str>,
    list_separator: &'static str,
}

/// The locale's compiled tables for `issue` (empty templates for a Traditional locale in a wasm
/// build without `messages-hant`). zh-HK and zh-TW take the zh-Hant base where they say nothing of
/// their own.
pub(crate) fn compiled(issue: &Issue, locale: Locale) -> Tables {
    match locale {
        // Decided here, at compile time, so that such a build compiles no Traditional lookup.
        Locale::ZhHant | Locale::ZhHk | Locale::ZhTw if !HANT => Tables {
            template: "",
            value_name: |_| None,
            list_separator: "",
        },
        Locale::ZhCn => Tables {
            template: zh_cn::template(issue),
            value_name: zh_cn::value_name,
            list_separator: zh_cn::LIST_SEPARATOR,
        },
        Locale::En => Tables {
            template: en::template(issue),
            value_name: en::value_name,
            list_separator: en::LIST_SEPARATOR,
        },
        Locale::ZhHant => Tables {
            template: zh_hant::template(issue),
            value_name: zh_hant::value_name,
            list_separator: zh_hant::LIST_SEPARATOR,
        },
        Locale::ZhHk => Tables {
            template: zh_hk::template(issue).unwrap_or_else(|| zh_hant::template(issue)),
            value_name: |v| zh_hk::value_name(v).or_else(|| zh_hant::value_name(v)),
            list_separator: zh_hant::LIST_SEPARATOR,
        },
        Locale::ZhTw => Tables {
            template: zh_tw::template(issue).unwrap_or_else(|| zh_hant::template(issue)),
            value_name: |v| zh_tw::value_name(v).or_else(|| zh_hant::value_name(v)),
            list_separator: zh_hant::LIST_SEPARATOR,
        },
    }
}

/// Renders `issue` in `locale`: the locale's template for the code, with each `{param}` replaced
/// by the param's value (kinds and regions by their name in that language). A table installed for
/// the locale ([`install`]) takes precedence over the compiled messages, key by key. A
/// Traditional locale that this build does not compile (a wasm build without `messages-hant`) and
/// for which no table is installed renders as zh-CN, message by message.
pub fn message(issue: &Issue, locale: Locale) -> String {
    message_in(issue, locale, installed(locale).as_deref())
}

/// [`message`] with `table` in place of the installed one.
fn message_in(issue: &Issue, locale: Locale, table: Option<&MessageTable>) -> String {
    let (template, names) = template_in(issue, locale, table);
    // The names of the locale the template is in (zh-CN's when a Traditional one fell back).
    let fallback;
    let table = if names == locale {
        table
    } else {
        fallback = installed(names);
        fallback.as_deref()
    };
    fill(
        &template,
        &|name| issue.param(name),
        table,
        &compiled(issue, names),
    )
}

/// The template `issue` renders with in `locale` (`table`'s, else the compiled one; the code
/// itself for a message this build does not carry), and the locale whose names fill it: zh-CN for
/// a Traditional locale that neither `table` nor this build has the message of.
fn template_in(issue: &Issue, locale: Locale, table: Option<&MessageTable>) -> (String, Locale) {
    if let Some(template) = table.and_then(|t| t.template(issue)) {
        return (template.to_string(), locale);
    }
    let template = compiled(issue, locale).template;
    if !template.is_empty() {
        return (template.to_string(), locale);
    }
    if locale.is_traditional() {
        return template_in(issue, Locale::ZhCn, installed(Locale::ZhCn).as_deref());
    }
    // A message this module does not carry (see the module doc): the code stands for itself.
    (issue.code.as_str().to_string(), locale)
}

/// A document kind's or an age band's name in `locale` as a label (a menu, a table column): the
/// document (居民身份证), where a message names its number (居民身份证号码). `None` for a value
/// that is neither. zh-HK and zh-TW take the zh-Hant base where they say nothing of their own.
pub fn label(value: &str, locale: Locale) -> Option<&'static str> {
    match locale {
        Locale::ZhCn => zh_cn::label(value),
        Locale::En => en::label(value),
        Locale::ZhHant => zh_hant::label(value),
        Locale::ZhHk => zh_hk::label(value).or_else(|| zh_hant::label(value)),
        Locale::ZhTw => zh_tw::label(value).or_else(|| zh_hant::label(value)),
    }
}

/// Renders `template` (a platform's own wording of an issue's message) as [`message`] renders the
/// locale's own: each `{param}` replaced by the issue's param, kinds and regions by their names in
/// `locale`, amounts in fen as yuan, lists joined with the locale's separator; `?` for a param the
/// issue lacks.
pub fn render(template: &str, issue: &Issue, locale: Locale) -> String {
    let table = installed(locale);
    // The names of a Traditional locale this build cannot name: zh-CN's, as its messages.
    let (table, locale) = if table.is_none() && locale.is_traditional() && !HANT {
        (installed(Locale::ZhCn), Locale::ZhCn)
    } else {
        (table, locale)
    };
    fill(
        template,
        &|name| issue.param(name),
        table.as_deref(),
        &compiled(issue, locale),
    )
}

/// The issue that `{ code, params }` received from elsewhere stands for, as far as choosing its
/// message goes: its code and the params that choose between the code's messages ([`variant`]);
/// `None` for an unknown code.
pub fn issue_of(code: &str, params: &[(String, ParamValue)]) -> Option<Issue> {
    let code = crate::issue::Code::parse(code)?;
    let mut issue = Issue::new(code);
    for name in ["expected", "kind", "data"] {
        if let Some((_, value)) = params.iter().find(|(n, _)| n == name) {
            issue.params.push((name, value.clone()));
        }
    }
    Some(issue)
}

/// Fills the `{param}`s of `template` with the params `param` finds, with the names of `table`
/// before the compiled ones.
fn fill<'a>(
    template: &str,
    param: &dyn Fn(&str) -> Option<&'a ParamValue>,
    table: Option<&MessageTable>,
    compiled: &Tables,
) -> String {
    let value_name = |v: &str| -> Option<String> {
        table
            .and_then(|t| t.value_name(v))
            .or_else(|| (compiled.value_name)(v))
            .map(str::to_string)
    };
    let list_separator = table
        .and_then(MessageTable::list_separator)
        .unwrap_or(compiled.list_separator);
    let push_name = |out: &mut String, v: &str| match value_name(v) {
        Some(name) => out.push_str(&name),
        None => out.push_str(v),
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
        match param(name) {
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
            Some(ParamValue::Str(s)) => push_name(&mut out, s),
            Some(ParamValue::Text(s)) => push_name(&mut out, s),
            Some(ParamValue::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(list_separator);
                    }
                    push_name(&mut out, item);
                }
            }
            Some(ParamValue::TextList(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(list_separator);
                    }
                    push_name(&mut out, item);
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
    let issue = issue_of(code, params)?;
    let (template, locale) = template_in(&issue, locale, installed(locale).as_deref());
    let table = installed(locale);
    let compiled = compiled(&issue, locale);
    let param = |name: &str| {
        issue
            .param(name)
            .or_else(|| params.iter().find(|(n, _)| n == name).map(|(_, v)| v))
    };
    Some(fill(&template, &param, table.as_deref(), &compiled))
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

    /// Natively: a wasm build without `messages-hant` reads every zh tag as zh-CN.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn parses_locale_tags() {
        use Locale::*;
        for (tag, locale) in [
            ("zh", Some(ZhCn)),
            ("zh-CN", Some(ZhCn)),
            ("zh_cn", Some(ZhCn)),
            ("ZH-cn", Some(ZhCn)),
            ("zh-SG", Some(ZhCn)),
            ("zh-Hans", Some(ZhCn)),
            ("zh-Hans-CN", Some(ZhCn)),
            ("zh-hans-hk", Some(ZhCn)),
            ("zh_Hans_TW", Some(ZhCn)),
            ("zh-Hant", Some(ZhHant)),
            ("ZH_HANT", Some(ZhHant)),
            ("zh-HK", Some(ZhHk)),
            ("zh_hk", Some(ZhHk)),
            ("zh-MO", Some(ZhHk)),
            ("zh-Hant-HK", Some(ZhHk)),
            ("zh-hant-mo", Some(ZhHk)),
            ("zh-TW", Some(ZhTw)),
            ("zh_tw", Some(ZhTw)),
            ("zh-Hant-TW", Some(ZhTw)),
            (" zh-TW ", Some(ZhTw)),
            ("en", Some(En)),
            ("EN-us", Some(En)),
            ("en_GB", Some(En)),
            ("en-Latn-US", Some(En)),
            ("fr", None),
            ("", None),
            ("  ", None),
            ("zh-US", None),
            ("zh-Hant-CN", None),
            ("zh-Hant-SG", None),
            ("zh-Latn", None),
            ("zh-yue-HK", None),
            ("zh-TW-variant", None),
            ("zh-TW-u-nu-hanidec", None),
            ("zh-", None),
            ("zhx", None),
            ("eng", None),
        ] {
            assert_eq!(Locale::parse(tag), locale, "{tag:?}");
        }
        for locale in Locale::ALL {
            assert_eq!(Locale::parse(locale.as_str()), Some(locale));
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn negotiates_any_tag() {
        use Locale::*;
        for (tag, locale) in [
            // What parse understands.
            ("zh-HK", ZhHk),
            ("zh-Hant-TW", ZhTw),
            ("en-AU", En),
            ("zh-Hans-US", ZhCn),
            // Empty: the default.
            ("", ZhCn),
            (" ", ZhCn),
            // Another language: en.
            ("fr", En),
            ("ja-JP", En),
            ("yue-HK", En),
            ("und", En),
            // A zh tag with an unknown region or subtag: its script, else zh-CN.
            ("zh-US", ZhCn),
            ("zh-MY", ZhCn),
            ("zh-Hant-CN", ZhHant),
            ("zh_hant_us", ZhHant),
            ("zh-yue-Hant-HK", ZhHant),
            ("zh-yue-HK", ZhCn),
            ("zh-Latn", ZhCn),
            // An extension or private use does not change the language.
            ("zh-TW-u-nu-hanidec", ZhTw),
            ("zh_Hant_x_private", ZhHant),
            ("zh-u-co-pinyin", ZhCn),
            ("en-GB-u-ca-gregory", En),
            ("zh-US-x-hant", ZhCn),
            ("x-private", En),
            ("zh-Hant-CN-x-tw", ZhHant),
        ] {
            assert_eq!(Locale::negotiate(tag), locale, "{tag:?}");
        }
        assert_eq!(Locale::default(), ZhCn);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod hant_tests {
    use super::*;
    use crate::issue::{Code, ParamValue};

    const HANT_LOCALES: [Locale; 3] = [Locale::ZhHant, Locale::ZhHk, Locale::ZhTw];

    /// Every param value zh-CN names (kinds, regions, scripts, document kinds).
    const VALUE_NAMES: [&str; 22] = table::NAMED_VALUES;

    /// Every locale labels every document kind and age band.
    #[test]
    fn every_locale_labels_every_kind_and_band() {
        for locale in Locale::ALL {
            assert_eq!(table::labelled_values().count(), 18);
            for value in table::labelled_values() {
                assert!(label(value, locale).is_some(), "{value} {locale:?}");
            }
        }
        assert_eq!(label("hk_id", Locale::ZhCn), Some("香港身份证"));
        assert_eq!(label("tw_id", Locale::ZhTw), Some("國民身分證"));
        assert_eq!(label("tw_id", Locale::ZhHk), Some("台灣身份證"));
        assert_eq!(label("adult", Locale::En), Some("Adult"));
        assert_eq!(label("nope", Locale::En), None);
    }

    /// Each message of a code: the params that choose between a code's messages, each way.
    fn variants(code: Code) -> Vec<Issue> {
        vec![
            Issue::new(code),
            Issue::new(code).with("expected", ParamValue::Str("digit_or_x")),
            Issue::new(code).with("kind", ParamValue::Str("hk_id")),
            Issue::new(code).with("data", ParamValue::Str("phone")),
            Issue::new(code).with("data", ParamValue::Str("birth_date")),
        ]
    }

    /// Every Traditional text: each message of every code and every name of a param value.
    fn texts(locale: Locale) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Code::ALL
            .iter()
            .flat_map(|&code| variants(code))
            .map(|issue| compiled(&issue, locale).template)
            .collect();
        let value_name = compiled(&Issue::new(Code::IdEmpty), locale).value_name;
        out.extend(VALUE_NAMES.iter().filter_map(|v| value_name(v)));
        out.extend(table::labelled_values().filter_map(|v| label(v, locale)));
        out
    }

    fn placeholders(template: &str) -> Vec<&str> {
        let mut names: Vec<&str> = template
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    /// A Traditional message has the same `{param}`s as zh-CN's, and every name zh-CN gives a
    /// param value.
    #[test]
    fn traditional_messages_match_zh_cn() {
        for code in Code::ALL {
            for issue in variants(code) {
                let zh_cn = compiled(&issue, Locale::ZhCn).template;
                for locale in HANT_LOCALES {
                    let template = compiled(&issue, locale).template;
                    assert!(!template.is_empty(), "{code:?} {locale:?}");
                    assert_eq!(
                        placeholders(template),
                        placeholders(zh_cn),
                        "{code:?} {locale:?}: {template}"
                    );
                }
            }
        }
        for value in VALUE_NAMES {
            assert!(zh_cn::value_name(value).is_some(), "{value}");
            for locale in HANT_LOCALES {
                let value_name = compiled(&Issue::new(Code::IdEmpty), locale).value_name;
                assert!(value_name(value).is_some(), "{value} {locale:?}");
            }
        }
    }

    /// Common characters that exist only in Simplified Chinese; their Traditional forms are 證 號
    /// 碼 錯 誤 .... (台 is not among them: it is Traditional too, and Hong Kong writes 台灣.)
    const SIMPLIFIED_ONLY: &str =
        "证号码错误请输应该为与这时间个户护国际实规则检验须选择项种类无长数据区县龙门马湾内发\
                                   过还说对关开们会来没给让认设书写读网络账复杂简单处总线获录权现";

    #[test]
    fn traditional_messages_have_no_simplified_characters() {
        for locale in HANT_LOCALES {
            for text in texts(locale) {
                let found: Vec<char> = text
                    .chars()
                    .filter(|c| SIMPLIFIED_ONLY.contains(*c))
                    .collect();
                assert!(found.is_empty(), "{locale:?}: {found:?} in {text}");
            }
        }
    }

    fn name(locale: Locale, value: &str) -> &'static str {
        let value_name = compiled(&Issue::new(Code::IdEmpty), locale).value_name;
        value_name(value).unwrap_or("")
    }

    fn render(locale: Locale, code: Code) -> String {
        message(&Issue::new(code), locale)
    }

    /// Each region's own words where Hong Kong and Taiwan write differently.
    #[test]
    fn each_region_writes_its_own_terms() {
        use Locale::{ZhHk, ZhTw};
        // 身份證 in Hong Kong, 身分證 in Taiwan, for every document.
        assert!(name(ZhHk, "hk_id").contains("身份證"));
        assert!(name(ZhHk, "cn_resident").contains("身份證"));
        assert!(name(ZhTw, "tw_id").contains("身分證"));
        assert!(name(ZhTw, "hk_id").contains("身分證"));
        assert!(render(ZhTw, Code::IdBirthDateInvalid).contains("身分證"));
        assert!(render(ZhHk, Code::IdBirthDateInvalid).contains("身份證"));
        for text in texts(ZhTw) {
            assert!(!text.contains("身份"), "zh-TW: {text}");
        }
        for text in texts(ZhHk) {
            assert!(!text.contains("身分"), "zh-HK: {text}");
        }
        // The mainland: 內地 in Hong Kong, 大陸 in Taiwan; the permits keep their official names.
        assert_eq!(name(ZhHk, "cn"), "中國內地");
        assert_eq!(name(ZhTw, "cn"), "中國大陸");
        assert!(name(ZhTw, "cn_resident").starts_with("大陸"));
        assert!(name(ZhTw, "hk_macao_home_return_permit").contains("來往內地通行證"));
        assert!(name(ZhHk, "tw_mtp").contains("來往大陸通行證"));
        // Taiwan: 臺灣 as its official texts write it; Hong Kong: 台灣.
        assert_eq!(name(ZhTw, "tw"), "臺灣");
        assert_eq!(name(ZhHk, "tw"), "台灣");
        for text in texts(ZhTw) {
            assert!(!text.contains("台灣"), "zh-TW: {text}");
        }
        // An account: 賬戶 in Hong Kong, 帳號 in Taiwan.
        assert!(render(ZhHk, Code::SyncAccountFrozen).contains("賬戶"));
        assert!(render(ZhTw, Code::SyncAccountFrozen).contains("帳號"));
        // SMS: 短訊 in Hong Kong, 簡訊 in Taiwan.
        assert!(render(ZhHk, Code::PhoneCodesDisabled).contains("短訊"));
        assert!(render(ZhTw, Code::PhoneCodesDisabled).contains("簡訊"));
        for text in texts(ZhTw) {
            assert!(
                !text.contains("短訊") && !text.contains("用戶"),
                "zh-TW: {text}"
            );
        }
        // Privacy: 私隱 in Hong Kong, 隱私權 in Taiwan.
        assert_eq!(name(ZhHk, "privacy_policy"), "《私隱政策》");
        assert_eq!(name(ZhTw, "privacy_policy"), "《隱私權政策》");
        // The base says neither region's word where one is shared.
        assert_eq!(name(Locale::ZhHant, "cn"), "中國內地");
        assert!(render(Locale::ZhHant, Code::IdTooLong).contains("字元"));
    }

    /// Params render in the Traditional locales as in zh-CN: fen as yuan, lists joined with 或,
    /// kinds by their names.
    #[test]
    fn traditional_messages_render_params() {
        let payment = Issue::new(Code::MinorPaymentOverMonthlyLimit)
            .with("limitFen", ParamValue::Int(20000))
            .with("remainingFen", ParamValue::Int(4950));
        assert_eq!(
            message(&payment, Locale::ZhHk),
            "未成年人每月充值累計不得超過人民幣 200 元，本月還可充值人民幣 49.50 元"
        );
        assert_eq!(
            message(&payment, Locale::ZhTw),
            "未成年人每月儲值累計不得超過人民幣 200 元，本月還可儲值人民幣 49.50 元"
        );
        let unrecognized = Issue::new(Code::IdFormatUnrecognized)
            .with("allowed", ParamValue::List(vec!["hk_id", "tw_id"]));
        assert_eq!(
            message(&unrecognized, Locale::ZhHant),
            "號碼格式不符合任何可接受的證件：此處需要香港身份證號碼或臺灣身分證號碼"
        );
        assert_eq!(
            message(&unrecognized, Locale::ZhHk),
            "號碼格式不符合任何可接受的證件：此處需要香港身份證號碼或台灣身份證號碼"
        );
        assert_eq!(
            message(&unrecognized, Locale::ZhTw),
            "號碼格式不符合任何可接受的證件：此處需要香港身分證號碼或國民身分證統一編號"
        );
        let received = message_of(
            "id_kind_not_allowed",
            &[
                ("kind".to_string(), ParamValue::Text("tw_id".to_string())),
                (
                    "allowed".to_string(),
                    ParamValue::TextList(vec!["cn_resident".to_string()]),
                ),
            ],
            Locale::ZhTw,
        );
        assert_eq!(
            received.as_deref(),
            Some("這是國民身分證統一編號，此處需要大陸居民身分證號碼")
        );
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
