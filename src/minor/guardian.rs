//! The guardian of a minor (监护人), whose details join the registration of a user under 14.
//!
//! # Sources
//! - **`pipl`**: 个人信息保护法 Art. 31: processing the personal information of a person under 14
//!   needs the consent of a parent or other guardian.
//! - **`children-pi-2019`**: 儿童个人信息网络保护规定 (2019) Art. 9: the same, for children's data
//!   online.
//! - **`civil-code`**: 民法典 Art. 27: the guardians of a minor are the parents; failing them,
//!   grandparents, elder siblings, or another person or organisation (hence the relations below).
//!   Arts. 17/18: adults (18 or over) are fully capable, and so is a 16- or 17-year-old who lives
//!   on their own income (Art. 18 ¶2). Requiring the guardian to be 18 or over is a **platform
//!   policy** this library applies by default, not a rule of the law:
//!   [`RegistrationOptions::guardian_min_age`] lowers it to 16 or 17.
//!
//! The checks: the guardian's name, document and phone are checked as in a registration form
//! ([`crate::registration`], same paths and codes); the guardian must be at least
//! `guardian_min_age` (`guardian_not_adult`, param `minAge`; a document without a birth date needs the guardian's declared
//! `birthDate`, as a registration does: `birth_date_required`; the warning
//! `guardian_age_unverified` remains only for an organisation as guardian, 民法典 Art. 32, on a
//! platform that accepts `uscc`); the guardian must not be the minor (`guardian_same_as_minor`: the
//! same document number, or the same birth date and the same name); and `relation` must be one of
//! [`Relation`] (`guardian_relation_invalid`). Issues never contain the numbers or names compared.

use crate::age::{age_on, AGE_OF_MAJORITY};
use crate::date::Date;
use crate::id::{check_id, identity_key_of, Checked, IdOptions, KindSet};
use crate::issue::{Code, Issue, ParamValue, PathSegment};
use crate::name::{check_name, NameOptions};
use crate::registration::{
    check_registration, Field, RegistrationForm, RegistrationOptions, RegistrationValue, Rejected,
};

/// How the guardian is related to the minor. The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Relation {
    /// `parent` (民法典 Art. 27).
    Parent,
    /// `grandparent` (民法典 Art. 27).
    Grandparent,
    /// `sibling`: an elder brother or sister (民法典 Art. 27).
    Sibling,
    /// Another person the law or a court allows (民法典 Art. 27, 31).
    Other,
}

impl Relation {
    /// Every relation, in a stable order.
    pub const ALL: [Relation; 4] = [
        Relation::Parent,
        Relation::Grandparent,
        Relation::Sibling,
        Relation::Other,
    ];

    /// The relation's snake_case name (`parent`, `grandparent`, `sibling`, `other`), as the
    /// form's `relation` spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Relation::Parent => "parent",
            Relation::Grandparent => "grandparent",
            Relation::Sibling => "sibling",
            Relation::Other => "other",
        }
    }

    /// The relation named `name` (see [`Relation::as_str`]), if any.
    pub fn parse(name: &str) -> Option<Relation> {
        Relation::ALL.iter().copied().find(|r| r.as_str() == name)
    }
}

/// The guardian's details as they arrived.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GuardianForm<'a> {
    /// The guardian's real name, checked as a registration's.
    pub name: Field<'a>,
    /// The guardian's declared document kind, as a registration's.
    pub id_kind: Field<'a>,
    /// The guardian's document number, as a registration's.
    pub id_number: Field<'a>,
    /// The guardian's mobile number, as a registration's.
    pub phone: Field<'a>,
    /// How the guardian is related to the minor: a [`Relation`] name.
    pub relation: Field<'a>,
    /// `YYYY-MM-DD`, required when the guardian's document encodes no birth date (as in a
    /// registration form): adulthood is checked on every guardian.
    pub birth_date: Field<'a>,
}

/// What is known of the minor, to tell the guardian apart from them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MinorRef<'a> {
    /// The minor's name, if known (compared normalised, together with the birth date).
    pub name: Option<&'a str>,
    /// The minor's document number, if known (compared by identity key).
    pub id_number: Option<&'a str>,
    /// The minor's birth date, if known; else the one `id_number` encodes, if any.
    pub birth_date: Option<Date>,
}

/// The checked guardian.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardianValue {
    /// The guardian's checked name, document and phone, as a registration's.
    pub form: RegistrationValue,
    /// How the guardian is related to the minor.
    pub relation: Relation,
    /// Full years on the as-of date; `None` when the document has no birth date.
    pub age: Option<u32>,
}

/// Checks a guardian against `minor`, with the registration options (as-of date, kinds, age rule).
#[inline(never)]
pub fn check_guardian(
    guardian: &GuardianForm<'_>,
    minor: &MinorRef<'_>,
    options: &RegistrationOptions,
) -> Result<Checked<GuardianValue>, Rejected> {
    let form = RegistrationForm {
        name: guardian.name,
        id_kind: guardian.id_kind,
        id_number: guardian.id_number,
        phone: guardian.phone,
        birth_date: guardian.birth_date,
        ..RegistrationForm::default()
    };
    let (value, mut issues, mut warnings) = match check_registration(&form, options) {
        Ok(Checked { value, warnings }) => (Some(value), Vec::new(), warnings),
        Err(Rejected { issues, warnings }) => (None, issues, warnings),
    };
    let relation_path = PathSegment::Key("relation");
    let relation = match guardian.relation {
        Field::Text(text) => Relation::parse(text.trim()),
        _ => None,
    };
    if relation.is_none() {
        issues.push(Issue::new(Code::GuardianRelationInvalid).at(relation_path));
    }

    let id_path = PathSegment::Key("idNumber");
    let mut age = None;
    if let Some(value) = &value {
        let derived = value.derived.as_ref();
        let birth = derived.and_then(|d| d.birth_date);
        match birth {
            Some(birth) => {
                let years = age_on(birth, options.as_of, options.age_rule);
                age = Some(years);
                let min_age = options.guardian_min_age.clamp(16, AGE_OF_MAJORITY);
                if years < min_age {
                    issues.push(
                        Issue::new(Code::GuardianNotAdult)
                            .at(id_path)
                            .with("minAge", ParamValue::Int(i64::from(min_age))),
                    );
                }
            }
            None => warnings.push(Issue::new(Code::GuardianAgeUnverified).at(id_path)),
        }
        // The minor's own number and name, normalised the same way (a 15-digit number and its
        // 18-digit form are one document: compared by identity key).
        let minor_id = minor.id_number.and_then(|text| {
            let id_options = IdOptions::new(options.as_of).with_kinds(KindSet::all());
            check_id(text, &id_options).ok().map(|c| c.value)
        });
        let minor_name = minor
            .name
            .and_then(|text| check_name(text, &NameOptions::new()).ok())
            .map(|c| c.value.normalized);
        let minor_birth = minor
            .birth_date
            .or(minor_id.as_ref().and_then(|v| v.birth_date));
        let same_id = match (&minor_id, &value.id) {
            (Some(a), Some(b)) => identity_key_of(a) == identity_key_of(b),
            _ => false,
        };
        let same_person = birth.is_some()
            && birth == minor_birth
            && minor_name.is_some()
            && minor_name.as_deref() == value.name.as_deref();
        if same_id || same_person {
            issues.push(Issue::new(Code::GuardianSameAsMinor).at(id_path));
        }
    }
    match (value, relation) {
        (Some(form), Some(relation)) if issues.is_empty() => Ok(Checked {
            value: GuardianValue {
                form,
                relation,
                age,
            },
            warnings,
        }),
        _ => Err(Rejected { issues, warnings }),
    }
}
