//! The whole registration form (实名注册表单): every field checked, every problem reported at once,
//! plus the rules that need two fields.
//!
//! A frontend calls this on submit, and per field on input (see [`RegistrationOptions::fields`]);
//! a backend calls the same function on what it receives. Each field goes through its own check
//! ([`check_id`], [`check_name`], [`check_phone_with`], [`password`], [`username`]), and each
//! issue's path is prefixed with the field's key (`["idNumber"]`, `["name"]`, ...).
//!
//! # Fields
//! - `name`, `idNumber`, `phone` are required: an absent field is read as empty, so it gets
//!   `name_empty`, `id_empty` or `phone_empty`.
//! - `idKind` is optional: when given, the number is checked as that kind only (a valid number of
//!   another kind gets `id_kind_not_allowed` at `["idNumber"]`). A name that is no kind is
//!   `id_kind_invalid`, and a kind the platform does not accept ([`RegistrationOptions::kinds`])
//!   is `id_kind_not_allowed` at `["idKind"]`; the number is still checked as the declared kind,
//!   so its own problems show too. An empty string is the same as no kind.
//! - `password` and `username` are checked when the form holds them, even as `""` (a form with a
//!   password input always does); when absent they are skipped unless their policy says
//!   `required`.
//! - A field of the wrong type (a number, an object...) is `form_field_invalid_type` at its path;
//!   the other fields are still checked.
//!
//! # Cross-field rules ([`cross_field`])
//! 1. **The name's script must fit the document**, from who holds it ([`IdKind::holder`]): a
//!    mainland document (resident ID, PRC passport) takes a Han name only, so a Latin name is
//!    `name_script_mismatch`; documents of Hong Kong, Macau and Taiwan residents and of foreigners
//!    take Han or Latin names. For an organisation's code (`uscc`) the name is the organisation's
//!    name: the personal-name rules (scripts, separators) do not apply; it must be non-empty, at
//!    most 100 characters (or `name.max_chars` when higher), and free of invisible, bidi-control
//!    and private-use characters, with the name codes. The kind is the one detected from a valid
//!    number, else the declared `idKind`; with neither, the rule is skipped.
//! 2. **The password and the username must not contain personal data**: the phone number, the ID
//!    number, or the birth date (see [`cross_field`] for exactly what matches). Only data from
//!    fields that passed their own checks is used.
//! 3. **The document kind must be one the platform accepts** ([`RegistrationOptions::kinds`]).
//!
//! # Derived values
//! From a valid ID: the kind, birth date, gender and region as [`check_id`] gives them, the age in
//! full years (周岁) on the as-of date under [`RegistrationOptions::age_rule`] ([`crate::age`]),
//! whether the person is a minor (under 18), the age band and whether a guardian must consent
//! (under 14, PIPL Art. 31; [`crate::minor`]). Documents without a birth date have no age.
//!
//! Privacy: issues carry codes and small params only (which datum a password contains, never the
//! datum). The core never copies the password; the JS binding returns the caller's own string
//! in `value.password`, because form libraries submit the schema's output.
//!
//! # Sources
//! - **`minors-law`**: 未成年人保护法 Art. 2: a minor is a citizen under 18.
//! - **`pipl`**: PIPL Art. 31: under 14, a parent's or guardian's consent.
//! - **`civil-code`**: 民法典 Arts. 201–202, applied to ages by analogy ([`crate::age`]).
//! - **`spc-2006-1`**: 法释〔2006〕1号 Art. 2, the day-after-birthday rule ([`crate::age`]).

pub mod cross_field;
pub mod password;
pub mod username;

use crate::age::{age_on, AgeRule, AGE_OF_MAJORITY};
use crate::date::Date;
use crate::id::{
    check_id, identity_key_of, Checked, Gender, Holder, IdKind, IdOptions, IdValue, KindSet,
    Region, DEFAULT_MAX_AGE_YEARS,
};
use crate::issue::{Code, Issue, ParamValue, PathSegment};
use crate::minor::age_band::{needs_guardian_consent, AgeBand};
use crate::name::{check_name, NameOptions, NameScript};
use crate::phone::{check_phone_with, PhoneOptions, PhoneValue, SegmentTable};

pub use cross_field::PersonalData;
pub use password::PasswordPolicy;
pub use username::UsernamePolicy;

/// One field as it arrived.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Field<'a> {
    /// Not in the form (`undefined` or `null` in JS).
    #[default]
    Missing,
    /// The field's text, as typed.
    Text(&'a str),
    /// Present, but not a string.
    WrongType,
}

impl<'a> Field<'a> {
    /// The text, with an absent field read as empty; `None` for a wrong type.
    fn or_empty(self) -> Option<&'a str> {
        match self {
            Field::Missing => Some(""),
            Field::Text(text) => Some(text),
            Field::WrongType => None,
        }
    }
}

/// The fields of the form. The camelCase keys are API (they are the issues' paths).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FormField {
    /// The real name (`name`).
    Name,
    /// The declared document kind (`idKind`).
    IdKind,
    /// The document number (`idNumber`).
    IdNumber,
    /// The mobile number (`phone`).
    Phone,
    /// The password (`password`).
    Password,
    /// The username (`username`).
    Username,
    /// The declared birth date, for documents that do not encode one.
    BirthDate,
}

impl FormField {
    /// Every field, in form order.
    pub const ALL: [FormField; 7] = [
        FormField::Name,
        FormField::IdKind,
        FormField::IdNumber,
        FormField::Phone,
        FormField::Password,
        FormField::Username,
        FormField::BirthDate,
    ];

    /// The field's key in the form object.
    pub const fn as_str(self) -> &'static str {
        match self {
            FormField::Name => "name",
            FormField::IdKind => "idKind",
            FormField::IdNumber => "idNumber",
            FormField::Phone => "phone",
            FormField::Password => "password",
            FormField::Username => "username",
            FormField::BirthDate => "birthDate",
        }
    }

    /// The field whose camelCase key is `key`, if any.
    pub fn parse(key: &str) -> Option<FormField> {
        FormField::ALL.iter().copied().find(|f| f.as_str() == key)
    }

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }

    fn path(self) -> PathSegment {
        PathSegment::Key(self.as_str())
    }
}

/// A set of [`FormField`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FieldSet(u8);

impl FieldSet {
    /// Every field.
    pub const fn all() -> FieldSet {
        FieldSet((1 << FormField::ALL.len()) - 1)
    }
    /// No field.
    pub const fn empty() -> FieldSet {
        FieldSet(0)
    }
    /// This set and `field`.
    #[must_use]
    pub const fn with(self, field: FormField) -> FieldSet {
        FieldSet(self.0 | field.bit())
    }
    /// Whether `field` is in the set.
    pub const fn contains(self, field: FormField) -> bool {
        self.0 & field.bit() != 0
    }
}

impl Default for FieldSet {
    fn default() -> Self {
        FieldSet::all()
    }
}

impl FromIterator<FormField> for FieldSet {
    fn from_iter<I: IntoIterator<Item = FormField>>(iter: I) -> Self {
        iter.into_iter().fold(FieldSet::empty(), FieldSet::with)
    }
}

/// The form: `{ name, idKind?, idNumber, phone, password?, username?, birthDate? }`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegistrationForm<'a> {
    /// The real name.
    pub name: Field<'a>,
    /// The declared document kind (an [`IdKind`] name; empty means none).
    pub id_kind: Field<'a>,
    /// The document number.
    pub id_number: Field<'a>,
    /// The mobile number.
    pub phone: Field<'a>,
    /// The password: checked when present (even empty), when absent only if the policy requires it.
    pub password: Field<'a>,
    /// The username: checked when present (even empty), when absent only if the policy requires it.
    pub username: Field<'a>,
    /// `YYYY-MM-DD`: required when the document does not encode a birth date (see the module
    /// doc, "Birth date"); checked against the document when it does.
    pub birth_date: Field<'a>,
}

impl<'a> RegistrationForm<'a> {
    /// The field `field`.
    pub fn get(&self, field: FormField) -> Field<'a> {
        match field {
            FormField::Name => self.name,
            FormField::IdKind => self.id_kind,
            FormField::IdNumber => self.id_number,
            FormField::Phone => self.phone,
            FormField::Password => self.password,
            FormField::Username => self.username,
            FormField::BirthDate => self.birth_date,
        }
    }

    /// Sets the field `field`.
    pub fn set(&mut self, field: FormField, value: Field<'a>) {
        match field {
            FormField::Name => self.name = value,
            FormField::IdKind => self.id_kind = value,
            FormField::IdNumber => self.id_number = value,
            FormField::Phone => self.phone = value,
            FormField::Password => self.password = value,
            FormField::Username => self.username = value,
            FormField::BirthDate => self.birth_date = value,
        }
    }
}

/// Options of a registration check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationOptions {
    /// "Today" from a clock the platform trusts, as a date in Asia/Shanghai.
    pub as_of: Date,
    /// The document kinds the platform accepts. Default: [`KindSet::mainland_platform`] (resident
    /// IDs, residence permits, permanent residence IDs); the other kinds only when listed.
    pub kinds: KindSet,
    /// How full years of age are counted. Default: the day after the birthday.
    pub age_rule: AgeRule,
    /// Rules of personal names (the script is decided by the document).
    pub name: NameOptions,
    /// The phone regions accepted.
    pub phone: PhoneOptions,
    /// The password policy.
    pub password: PasswordPolicy,
    /// The username policy.
    pub username: UsernamePolicy,
    /// The fields whose issues, warnings and values are reported (per-field checks on input).
    /// The other fields are still read for the cross-field rules. Default: all.
    pub fields: FieldSet,
    /// The youngest a minor's guardian may be, in full years (`guardian_not_adult` below it;
    /// [`crate::minor::check_guardian`]). Default 18, an adult (民法典 Art. 17). A **platform's
    /// choice**, not the law's: 民法典 Art. 18 ¶2 treats a 16- or 17-year-old who lives on their own
    /// income as fully capable, and Art. 27 does not name an age for a guardian. From 16 to 18.
    pub guardian_min_age: u32,
}

impl RegistrationOptions {
    /// The defaults, with `as_of` as today.
    pub fn new(as_of: Date) -> RegistrationOptions {
        RegistrationOptions {
            as_of,
            kinds: KindSet::mainland_platform(),
            age_rule: AgeRule::default(),
            name: NameOptions::new(),
            phone: PhoneOptions::default(),
            password: PasswordPolicy::default(),
            username: UsernamePolicy::default(),
            fields: FieldSet::all(),
            guardian_min_age: crate::age::AGE_OF_MAJORITY,
        }
    }
}

/// Where the holder's birth date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BirthDateSource {
    /// Encoded in the document number (resident IDs, residence permits, the 2023 permanent
    /// residence card).
    Document,
    /// Declared on the form (`birthDate`), for a document that encodes none.
    Declared,
}

impl BirthDateSource {
    /// The stable name: `document` or `declared`.
    pub const fn as_str(self) -> &'static str {
        match self {
            BirthDateSource::Document => "document",
            BirthDateSource::Declared => "declared",
        }
    }

    /// The source named `name` (see [`BirthDateSource::as_str`]), if any.
    pub fn parse(name: &str) -> Option<BirthDateSource> {
        [BirthDateSource::Document, BirthDateSource::Declared]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// What a valid ID (and the declared birth date) yields about its holder. For a person every
/// age field is `Some` (a form whose age cannot be known is refused with `birth_date_required`);
/// for an organisation (`uscc`) they are all `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Derived {
    /// The document kind.
    pub kind: IdKind,
    /// The birth date: the document's, else the declared one.
    pub birth_date: Option<Date>,
    /// Where `birth_date` came from.
    pub birth_date_source: Option<BirthDateSource>,
    /// The holder's gender, for the kinds that encode one.
    pub gender: Option<Gender>,
    /// Full years (周岁) on the as-of date; `None` without a birth date.
    pub age: Option<u32>,
    /// Under 18; `None` without a birth date.
    pub is_minor: Option<bool>,
    /// The age band ([`crate::minor::AgeBand`]); `None` without a birth date.
    pub age_band: Option<AgeBand>,
    /// Under 14 (PIPL Art. 31): a guardian must consent; `None` without a birth date.
    pub needs_guardian_consent: Option<bool>,
    /// The division the number was registered in, for the kinds that encode one.
    pub region: Option<Region>,
}

/// The normalised form. Each field is `Some` when it was reported (see
/// [`RegistrationOptions::fields`]) and present; the password is not copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationValue {
    /// The normalised name.
    pub name: Option<String>,
    /// The name's script; `None` for an organisation's name.
    pub name_script: Option<NameScript>,
    /// The document kind: detected from the number, else the declared one.
    pub id_kind: Option<IdKind>,
    /// The checked ID number.
    pub id: Option<IdValue>,
    /// The checked mobile number.
    pub phone: Option<PhoneValue>,
    /// The trimmed username.
    pub username: Option<String>,
    /// Present when the ID number is reported and valid, and the holder's age is known (or the
    /// holder is an organisation).
    pub derived: Option<Derived>,
    /// The document's identity key ([`crate::id::identity_key_of`]): what a backend's uniqueness
    /// compares. Present when the ID number is reported and valid. Personal data: never log it.
    pub identity_key: Option<String>,
}

/// A failed check: every issue, plus the warnings of the fields that passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// Every problem of the form.
    pub issues: Vec<Issue>,
    /// The warnings of the fields that passed.
    pub warnings: Vec<Issue>,
}

/// What a form that is not an object at all gets (the bindings call this).
pub fn not_an_object() -> Rejected {
    Rejected {
        issues: vec![Issue::new(Code::FormInvalidType)],
        warnings: Vec::new(),
    }
}

/// Checks the whole form with the shipped phone segment table.
pub fn check_registration(
    form: &RegistrationForm<'_>,
    options: &RegistrationOptions,
) -> Result<Checked<RegistrationValue>, Rejected> {
    check_registration_with(form, options, SegmentTable::default_table())
}

/// Collects issues and warnings, each prefixed with its field's path.
struct Report {
    issues: Vec<Issue>,
    warnings: Vec<Issue>,
}

impl Report {
    fn issue(&mut self, field: FormField, issue: Issue) {
        self.issues.push(issue.at(field.path()));
    }
    fn issues(&mut self, field: FormField, list: Vec<Issue>) {
        at_field(&mut self.issues, field, list);
    }
    fn warnings(&mut self, field: FormField, list: Vec<Issue>) {
        at_field(&mut self.warnings, field, list);
    }
    /// Runs a field check: its value on success (warnings kept), `None` with its issues kept.
    fn field<T>(&mut self, field: FormField, result: Result<Checked<T>, Vec<Issue>>) -> Option<T> {
        match result {
            Ok(checked) => {
                self.warnings(field, checked.warnings);
                Some(checked.value)
            }
            Err(list) => {
                self.issues(field, list);
                None
            }
        }
    }
}

/// Appends `list` to `to`, each issue's path prefixed with `field`'s key (one copy of the code for
/// issues and warnings).
fn at_field(to: &mut Vec<Issue>, field: FormField, list: Vec<Issue>) {
    to.extend(list.into_iter().map(|i| i.at(field.path())));
}

/// Checks the whole form with a given phone segment table (e.g. one the backend sent).
pub fn check_registration_with(
    form: &RegistrationForm<'_>,
    options: &RegistrationOptions,
    segments: &SegmentTable,
) -> Result<Checked<RegistrationValue>, Rejected> {
    let mut report = Report {
        issues: Vec::new(),
        warnings: Vec::new(),
    };
    for field in FormField::ALL {
        if form.get(field) == Field::WrongType {
            report.issue(
                field,
                Issue::new(Code::FormFieldInvalidType).with("expected", ParamValue::Str("string")),
            );
        }
    }

    // The declared kind, and whether the platform accepts it.
    let declared = match form.id_kind {
        Field::Text(text) if !text.trim().is_empty() => match IdKind::parse(text.trim()) {
            Some(kind) => Some(kind),
            None => {
                report.issue(FormField::IdKind, Issue::new(Code::IdKindInvalid));
                None
            }
        },
        _ => None,
    };
    if let Some(kind) = declared.filter(|k| !options.kinds.contains(*k)) {
        report.issue(
            FormField::IdKind,
            Issue::new(Code::IdKindNotAllowed)
                .with("kind", ParamValue::Str(kind.as_str()))
                .with("allowed", ParamValue::List(options.kinds.names())),
        );
    }

    let mut id_options = IdOptions::new(options.as_of);
    id_options.kinds = declared.map_or(options.kinds, |k| KindSet::empty().with(k));
    let id = form
        .id_number
        .or_empty()
        .and_then(|text| report.field(FormField::IdNumber, check_id(text, &id_options)));
    let kind = id.as_ref().map(|v| v.kind).or(declared);
    let birth = known_birth_date(
        form.birth_date,
        id.as_ref(),
        kind,
        options.as_of,
        &mut report,
    );

    let name = form.name.or_empty().and_then(|text| {
        let holder = kind.map(IdKind::holder);
        if holder == Some(Holder::Organisation) {
            let checked = cross_field::check_organisation_name(text, options.name.max_chars);
            return report
                .field(FormField::Name, checked)
                .map(|name| (name, None));
        }
        let value = report.field(FormField::Name, check_name(text, &options.name))?;
        if let (Some(kind), Some(holder)) = (kind, holder) {
            if let Some(issue) = cross_field::script_mismatch(kind, holder, value.script) {
                report.issue(FormField::Name, issue);
            }
        }
        Some((value.normalized, Some(value.script)))
    });

    let phone = form.phone.or_empty().and_then(|text| {
        report.field(
            FormField::Phone,
            check_phone_with(text, &options.phone, segments),
        )
    });

    let personal = PersonalData {
        phone: phone.as_ref().map(|p| p.national.as_str()),
        id_number: id.as_ref().map(|v| v.normalized.as_str()),
        birth_date: birth.map(|(date, _)| date),
    };
    if let Some(text) = optional(form.password, options.password.required) {
        report.issues(
            FormField::Password,
            password::check_password(text, &options.password, &personal),
        );
    }
    let username = optional(form.username, options.username.required).and_then(|text| {
        report.field(
            FormField::Username,
            username::check_username(text, &options.username, &personal),
        )
    });

    // Only the fields asked for are reported (an empty path, the whole form, always is).
    let reported = |issue: &Issue| match issue.path.first() {
        Some(PathSegment::Key(key)) => {
            FormField::parse(key).is_some_and(|f| options.fields.contains(f))
        }
        _ => true,
    };
    report.issues.retain(reported);
    report.warnings.retain(reported);
    if !report.issues.is_empty() {
        return Err(Rejected {
            issues: report.issues,
            warnings: report.warnings,
        });
    }

    let wanted = |field: FormField| options.fields.contains(field);
    let derived = id
        .as_ref()
        .filter(|_| wanted(FormField::IdNumber))
        // A person's derived values come with an age, or not at all (an organisation has none).
        .filter(|v| birth.is_some() || v.kind.holder() == Holder::Organisation)
        .map(|v| {
            let age = birth.map(|(date, _)| age_on(date, options.as_of, options.age_rule));
            Derived {
                kind: v.kind,
                birth_date: birth.map(|(date, _)| date),
                birth_date_source: birth.map(|(_, source)| source),
                gender: v.gender,
                age,
                is_minor: age.map(|a| a < AGE_OF_MAJORITY),
                age_band: age.map(AgeBand::of_age),
                needs_guardian_consent: age.map(needs_guardian_consent),
                region: v.region.clone(),
            }
        });
    let (name, name_script) = match name.filter(|_| wanted(FormField::Name)) {
        Some((name, script)) => (Some(name), script),
        None => (None, None),
    };
    let identity_key = id
        .as_ref()
        .filter(|_| wanted(FormField::IdNumber))
        .map(identity_key_of);
    Ok(Checked {
        value: RegistrationValue {
            name,
            name_script,
            id_kind: kind.filter(|_| wanted(FormField::IdKind) || wanted(FormField::IdNumber)),
            id: id.filter(|_| wanted(FormField::IdNumber)),
            phone: phone.filter(|_| wanted(FormField::Phone)),
            username: username.filter(|_| wanted(FormField::Username)),
            derived,
            identity_key,
        },
        warnings: report.warnings,
    })
}

/// The holder's birth date and where it came from: the document's, else the declared one.
///
/// Reports at `["birthDate"]`: a declared date that is not a real `YYYY-MM-DD` date
/// (`birth_date_invalid`), after the as-of date (`birth_date_in_future`) or more than
/// [`DEFAULT_MAX_AGE_YEARS`] years before it (`birth_date_too_old`); a declared date that differs
/// from the document's (`birth_date_mismatch`); and no birth date at all for a person's document
/// that encodes none (`birth_date_required`), also when the number failed but its declared kind
/// never encodes one. An organisation has no birth date.
fn known_birth_date(
    field: Field<'_>,
    id: Option<&IdValue>,
    kind: Option<IdKind>,
    as_of: Date,
    report: &mut Report,
) -> Option<(Date, BirthDateSource)> {
    let text = match field {
        Field::Text(text) if !text.trim().is_empty() => Some(text.trim()),
        _ => None,
    };
    let declared = text.and_then(|text| {
        let oldest = as_of.year().saturating_sub(DEFAULT_MAX_AGE_YEARS) * 10_000
            + as_of.month() * 100
            + as_of.day();
        let issue = match Date::parse_iso(text) {
            None => Issue::new(Code::BirthDateInvalid),
            Some(date) if date > as_of => Issue::new(Code::BirthDateInFuture),
            Some(date) if date.ymd() < oldest => Issue::new(Code::BirthDateTooOld).with(
                "maxAgeYears",
                ParamValue::Int(i64::from(DEFAULT_MAX_AGE_YEARS)),
            ),
            Some(date) => return Some(date),
        };
        report.issue(FormField::BirthDate, issue);
        None
    });
    if kind.map(IdKind::holder) == Some(Holder::Organisation) {
        return None;
    }
    // Nothing usable was declared, and nothing said why yet (a wrong type or a bad date already has its issue).
    let nothing_declared = text.is_none() && field != Field::WrongType;
    let required = |report: &mut Report| {
        if nothing_declared {
            report.issue(FormField::BirthDate, Issue::new(Code::BirthDateRequired));
        }
    };
    match id.map(|v| v.birth_date) {
        Some(Some(encoded)) => {
            if declared.is_some_and(|date| date != encoded) {
                report.issue(FormField::BirthDate, Issue::new(Code::BirthDateMismatch));
            }
            Some((encoded, BirthDateSource::Document))
        }
        Some(None) => {
            if declared.is_none() {
                required(report);
            }
            declared.map(|date| (date, BirthDateSource::Declared))
        }
        None => {
            // The number failed: a declared kind that never encodes a birth date still needs one.
            if declared.is_none() && kind.is_some_and(|k| !k.may_encode_birth_date()) {
                required(report);
            }
            declared.map(|date| (date, BirthDateSource::Declared))
        }
    }
}

/// An optional field's text: absent is skipped unless required (then read as empty).
fn optional(field: Field<'_>, required: bool) -> Option<&str> {
    match field {
        Field::Text(text) => Some(text),
        Field::Missing if required => Some(""),
        Field::Missing | Field::WrongType => None,
    }
}
