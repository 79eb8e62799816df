//! Messages as data: a [`MessageTable`] holds a locale's templates and value names as text, so
//! that they can be installed at run time ([`install`]) rather than compiled in.
//!
//! Two uses:
//! - the npm package's wasm modules carry the zh-CN and English messages only; a page that needs
//!   Traditional Chinese loads a table generated from this crate's own locale files
//!   ([`MessageTable::builtin`], written out by `examples/locale_tables.rs` at build time) and
//!   installs it;
//! - a platform replaces some messages of a locale with its own wording: an installed table's
//!   templates take precedence over the compiled ones, key by key.
//!
//! A template's key is its code's name (`id_empty`), or the code's name and the variant of its
//! message (`id_checksum_mismatch.kind`, see [`variant`]) where a code has several.

use std::sync::Arc;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::RwLock;

use super::Locale;
use crate::issue::{Code, Issue};

/// One variant of a code's message: the issue takes it when its param `param` is present and,
/// if `value` is `Some`, equal to it.
#[derive(Clone, Copy, Debug)]
struct Variant {
    key: &'static str,
    param: &'static str,
    value: Option<&'static str>,
}

/// The variants of a code's message besides its default one (the only place that lists them:
/// every locale file's `template` chooses by the same params; a test keeps them in step).
fn variants_of(code: Code) -> &'static [Variant] {
    const KIND: &[Variant] = &[Variant {
        key: "kind",
        param: "kind",
        value: None,
    }];
    const DATA: &[Variant] = &[
        Variant {
            key: "phone",
            param: "data",
            value: Some("phone"),
        },
        Variant {
            key: "birth_date",
            param: "data",
            value: Some("birth_date"),
        },
    ];
    match code {
        Code::IdInvalidCharacter => &[Variant {
            key: "digit_or_x",
            param: "expected",
            value: Some("digit_or_x"),
        }],
        Code::IdChecksumMismatch | Code::SyncConsentMissing => KIND,
        Code::PasswordContainsPersonalData | Code::UsernameContainsPersonalData => DATA,
        _ => &[],
    }
}

/// The variant of its code's message an issue takes (`Some("kind")` for an
/// `id_checksum_mismatch` that names the kind), or `None` for the code's default message.
pub fn variant(issue: &Issue) -> Option<&'static str> {
    variants_of(issue.code)
        .iter()
        .find(|v| match (issue.param(v.param), v.value) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(_), Some(value)) => issue.param_text(v.param) == Some(value),
        })
        .map(|v| v.key)
}

/// The code and variant a message key names (`id_empty`, `id_checksum_mismatch.kind`), or `None`
/// when it names no code, or a variant its code does not have.
pub fn parse_key(key: &str) -> Option<(Code, Option<&'static str>)> {
    let (name, variant) = match key.split_once('.') {
        Some((name, variant)) => (name, Some(variant)),
        None => (key, None),
    };
    let code = Code::parse(name)?;
    match variant {
        None => Some((code, None)),
        Some(variant) => variants_of(code)
            .iter()
            .find(|v| v.key == variant)
            .map(|v| (code, Some(v.key))),
    }
}

/// Every param value a message may name (kinds, regions, scripts, document kinds): the values a
/// table's `values` covers.
pub(crate) const NAMED_VALUES: [&str; 22] = [
    "cn_resident",
    "cn_resident_legacy",
    "hk_macao_taiwan_residence_permit",
    "foreign_permanent_resident",
    "hk_id",
    "mo_id",
    "tw_id",
    "hk_macao_home_return_permit",
    "tw_mtp",
    "cn_passport",
    "uscc",
    "cn",
    "hk",
    "mo",
    "tw",
    "han",
    "latin",
    "service_agreement",
    "privacy_policy",
    "sensitive_pi",
    "children_privacy_rules",
    "guardian_consent",
];

/// Every value a locale labels: the document kinds and the age bands (see [`super::label`]).
pub(crate) fn labelled_values() -> impl Iterator<Item = &'static str> {
    let kinds = crate::id::IdKind::ALL.iter().map(|k| k.as_str());
    kinds.chain(crate::minor::AgeBand::ALL.iter().map(|b| b.as_str()))
}

/// A key a table does not know: not a code's name, or not one of its variants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownKey {
    /// The key as given.
    pub key: String,
}

impl core::fmt::Display for UnknownKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "unknown message key '{}'", self.key)
    }
}

/// A locale's messages as text: templates by key (`code` or `code.variant`), the names of param
/// values, and the separator of list items. Any part may be left out: what a table does not say,
/// the compiled messages say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageTable {
    templates: Vec<(Code, Option<&'static str>, String)>,
    values: Vec<(String, String)>,
    labels: Vec<(String, String)>,
    list_separator: Option<String>,
}

impl MessageTable {
    /// An empty table.
    pub fn new() -> MessageTable {
        MessageTable::default()
    }

    /// Every message of `locale` as this build compiles it: every code and variant, every named
    /// value, the list separator. Natively that is every message of every locale (the source of
    /// the npm package's locale files); a wasm build has only the sets its features carry.
    pub fn builtin(locale: Locale) -> MessageTable {
        let mut table = MessageTable::new();
        for code in Code::ALL {
            let mut issue = Issue::new(code);
            table.push(code, None, super::compiled(&issue, locale).template);
            for v in variants_of(code) {
                issue.params = vec![(
                    v.param,
                    crate::issue::ParamValue::Str(v.value.unwrap_or("cn_resident")),
                )];
                table.push(code, Some(v.key), super::compiled(&issue, locale).template);
            }
        }
        let compiled = super::compiled(&Issue::new(Code::IdEmpty), locale);
        for value in NAMED_VALUES {
            if let Some(name) = (compiled.value_name)(value) {
                table.values.push((value.to_string(), name.to_string()));
            }
        }
        for value in labelled_values() {
            if let Some(label) = super::label(value, locale) {
                table.labels.push((value.to_string(), label.to_string()));
            }
        }
        table.list_separator = Some(compiled.list_separator.to_string());
        table
    }

    /// The labels of document kinds and age bands, as (value, label).
    pub fn labels(&self) -> impl Iterator<Item = (&str, &str)> {
        self.labels.iter().map(|(v, n)| (v.as_str(), n.as_str()))
    }

    fn push(&mut self, code: Code, variant: Option<&'static str>, template: &str) {
        if !template.is_empty() {
            self.templates.push((code, variant, template.to_string()));
        }
    }

    /// Sets the template of `key`: a code's name (`id_empty`), or a code's name and one of its
    /// variants (`password_contains_personal_data.phone`). `{param}` in the template is replaced
    /// by the issue's param (see [`super::render`]).
    pub fn set_template(&mut self, key: &str, template: &str) -> Result<(), UnknownKey> {
        let (code, variant) = parse_key(key).ok_or_else(|| UnknownKey {
            key: key.to_string(),
        })?;
        self.templates
            .retain(|(c, v, _)| (*c, *v) != (code, variant));
        self.templates.push((code, variant, template.to_string()));
        Ok(())
    }

    /// Sets how a param value (a kind's or a region's name: `hk_id`, `tw`) reads in a sentence.
    pub fn set_value_name(&mut self, value: &str, name: &str) {
        self.values.retain(|(v, _)| v != value);
        self.values.push((value.to_string(), name.to_string()));
    }

    /// Sets the separator of a list param's items (`或`, ` or `).
    pub fn set_list_separator(&mut self, separator: &str) {
        self.list_separator = Some(separator.to_string());
    }

    /// The templates, as (key, template), in the order they were set.
    pub fn templates(&self) -> impl Iterator<Item = (String, &str)> {
        self.templates.iter().map(|(code, variant, template)| {
            let key = match variant {
                Some(v) => format!("{}.{v}", code.as_str()),
                None => code.as_str().to_string(),
            };
            (key, template.as_str())
        })
    }

    /// The value names, as (value, name).
    pub fn value_names(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(v, n)| (v.as_str(), n.as_str()))
    }

    /// The list separator, if the table sets one.
    pub fn list_separator(&self) -> Option<&str> {
        self.list_separator.as_deref()
    }

    /// The template this table gives `issue`: its variant's, else its code's default.
    pub fn template(&self, issue: &Issue) -> Option<&str> {
        let variant = variant(issue);
        let find = |variant: Option<&str>| {
            self.templates
                .iter()
                .find(|(c, v, _)| *c == issue.code && *v == variant)
                .map(|(_, _, t)| t.as_str())
        };
        variant.and_then(|v| find(Some(v))).or_else(|| find(None))
    }

    /// The name this table gives a param value.
    pub fn value_name(&self, value: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(v, _)| v == value)
            .map(|(_, n)| n.as_str())
    }

    /// Whether the table has a template for every code (and variant) that `locale`'s compiled
    /// messages have natively: a table that can stand for a whole locale.
    pub fn is_complete(&self) -> bool {
        Code::ALL.iter().all(|&code| {
            self.templates
                .iter()
                .any(|(c, v, _)| *c == code && v.is_none())
                && variants_of(code).iter().all(|var| {
                    self.templates
                        .iter()
                        .any(|(c, v, _)| *c == code && *v == Some(var.key))
                })
        })
    }
}

/// The tables installed, one per locale (`Locale::ALL`'s order). Native builds only: the npm
/// package's wasm modules take their tables and the platform's wording in JS (the package's
/// `messages.js`, which a module asks first), so they compile no registry.
#[cfg(not(target_arch = "wasm32"))]
static INSTALLED: RwLock<[Option<Arc<MessageTable>>; 5]> =
    RwLock::new([None, None, None, None, None]);

#[cfg(not(target_arch = "wasm32"))]
fn slot(locale: Locale) -> usize {
    Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0)
}

/// Installs `table` for `locale` (replacing the one installed before), or removes it (`None`).
/// Its templates, value names and separator take precedence over the compiled ones, for every
/// later message in that locale: how a server words messages its own way. Native builds only.
#[cfg(not(target_arch = "wasm32"))]
pub fn install(locale: Locale, table: Option<MessageTable>) {
    // A poisoned lock only means a panic elsewhere; the table itself is always whole.
    let mut installed = INSTALLED.write().unwrap_or_else(|e| e.into_inner());
    if let Some(slot) = installed.get_mut(slot(locale)) {
        *slot = table.map(Arc::new);
    }
}

/// The table installed for `locale`, if any (always `None` in a wasm build).
pub fn installed(locale: Locale) -> Option<Arc<MessageTable>> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let installed = INSTALLED.read().unwrap_or_else(|e| e.into_inner());
        installed.get(slot(locale)).cloned().flatten()
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = locale;
        None
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::issue::ParamValue;

    /// Issues that take each message of every code: no selecting param, each variant's, and
    /// values of those params that select no variant.
    fn probes(code: Code) -> Vec<Issue> {
        let mut out = vec![Issue::new(code)];
        for (param, value) in [
            ("expected", "digit_or_x"),
            ("expected", "digit"),
            ("kind", "hk_id"),
            ("kind", "tw_id"),
            ("data", "phone"),
            ("data", "birth_date"),
            ("data", "id_number"),
        ] {
            out.push(Issue::new(code).with(param, ParamValue::Str(value)));
            out.push(Issue::new(code).with(param, ParamValue::Text(value.to_string())));
        }
        out
    }

    /// The variants listed here choose the template each locale file chooses, for every code:
    /// a table made of the compiled messages says what they say.
    #[test]
    fn builtin_tables_choose_as_the_locale_files() {
        for locale in Locale::ALL {
            let table = MessageTable::builtin(locale);
            assert!(table.is_complete(), "{locale:?}");
            for code in Code::ALL {
                for issue in probes(code) {
                    assert_eq!(
                        table.template(&issue),
                        Some(super::super::compiled(&issue, locale).template),
                        "{locale:?} {issue:?}"
                    );
                    assert_eq!(
                        super::super::message_in(&issue, locale, Some(&table)),
                        super::super::message(&issue, locale),
                    );
                }
            }
            for value in NAMED_VALUES {
                assert!(table.value_name(value).is_some(), "{locale:?} {value}");
            }
        }
    }

    #[test]
    fn keys_name_a_code_and_one_of_its_variants() {
        let mut table = MessageTable::new();
        assert!(table.set_template("id_empty", "x").is_ok());
        assert!(table.set_template("id_checksum_mismatch.kind", "y").is_ok());
        assert!(table
            .set_template("password_contains_personal_data.birth_date", "z")
            .is_ok());
        for key in [
            "",
            "id_emtpy",
            "id_empty.",
            "id_empty.kind",
            "id_checksum_mismatch.kinds",
            ".kind",
            "ID_EMPTY",
        ] {
            assert_eq!(
                table.set_template(key, "t"),
                Err(UnknownKey {
                    key: key.to_string()
                }),
                "{key}"
            );
        }
        let keys: Vec<String> = table.templates().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "id_empty",
                "id_checksum_mismatch.kind",
                "password_contains_personal_data.birth_date"
            ]
        );
        // Setting a key again replaces it.
        table.set_template("id_empty", "again").unwrap();
        assert_eq!(table.template(&Issue::new(Code::IdEmpty)), Some("again"));
        assert!(!table.is_complete());
    }

    /// A table that says only some things: the rest is the compiled messages'; a variant falls
    /// back to its code's default template in the table.
    #[test]
    fn a_partial_table_replaces_what_it_says() {
        let mut table = MessageTable::new();
        table
            .set_template("id_checksum_mismatch", "Check digit wrong: want {expected}")
            .unwrap();
        table
            .set_template("id_kind_not_allowed", "{kind} not taken here ({allowed})")
            .unwrap();
        table.set_value_name("hk_id", "HKID");
        table.set_list_separator(" / ");
        let checksum = Issue::new(Code::IdChecksumMismatch).with("expected", ParamValue::Char('X'));
        let with_kind = checksum.clone().with("kind", ParamValue::Str("hk_id"));
        assert_eq!(
            super::super::message_in(&checksum, Locale::En, Some(&table)),
            "Check digit wrong: want X"
        );
        assert_eq!(
            super::super::message_in(&with_kind, Locale::En, Some(&table)),
            "Check digit wrong: want X"
        );
        let kind = Issue::new(Code::IdKindNotAllowed)
            .with("kind", ParamValue::Str("hk_id"))
            .with("allowed", ParamValue::List(vec!["cn_resident", "tw_id"]));
        assert_eq!(
            super::super::message_in(&kind, Locale::En, Some(&table)),
            "HKID not taken here (a mainland resident ID number / a Taiwan ID number)"
        );
        // What the table does not say is the compiled message.
        assert_eq!(
            super::super::message_in(&Issue::new(Code::IdEmpty), Locale::En, Some(&table)),
            super::super::message(&Issue::new(Code::IdEmpty), Locale::En)
        );
    }

    #[test]
    fn install_and_remove() {
        // Installing the builtin table of a locale changes no message (tests run in parallel:
        // only a table equal to the compiled messages may be installed here).
        let issue = Issue::new(Code::IdInvalidLength).with("length", ParamValue::Int(17));
        let before = super::super::message(&issue, Locale::ZhTw);
        install(Locale::ZhTw, Some(MessageTable::builtin(Locale::ZhTw)));
        assert!(installed(Locale::ZhTw).is_some());
        assert_eq!(super::super::message(&issue, Locale::ZhTw), before);
        install(Locale::ZhTw, None);
        assert!(installed(Locale::ZhTw).is_none());
        assert_eq!(super::super::message(&issue, Locale::ZhTw), before);
    }

    #[test]
    fn render_fills_a_template_in_a_locale() {
        let issue = Issue::new(Code::IdFormatUnrecognized)
            .with("allowed", ParamValue::List(vec!["hk_id", "tw_id"]));
        assert_eq!(
            super::super::render("需要：{allowed}；{missing}", &issue, Locale::ZhTw),
            "需要：香港身分證號碼或國民身分證統一編號；?"
        );
        let payment =
            Issue::new(Code::MinorPaymentOverMonthlyLimit).with("limitFen", ParamValue::Int(20050));
        assert_eq!(
            super::super::render("limit {limitFen} yuan", &payment, Locale::En),
            "limit 200.50 yuan"
        );
    }
}
