//! ID documents: normalisation, detection of the kind, and one module per scheme.
//!
//! Every scheme has one shape (`scheme.rs`): a full `check` (for [`check_id`]) and an
//! allocation-free `verdict` (for [`is_valid_id`] and [`check_id_batch`]), built on the same
//! parsing and rules in the scheme's file and held to agree by a unit test; detection (`detect.rs`)
//! ranks their answers the same way on both paths. So `is_valid_id(s) == check_id(s).is_ok()`,
//! and a batch line's status is the code of the first issue `check_id` reports for it.

mod batch;
mod cn_passport;
mod cn_resident;
mod detect;
mod foreign_permanent_resident;
mod hk_id;
mod hk_macao_home_return_permit;
mod identity_key;
mod mo_id;
pub mod mod11_2;
mod normalize;
mod quick;
mod scheme;
mod test_id;
mod tw_id;
mod tw_mtp;
mod uscc;

pub use batch::{check_id_batch, BatchChecker, BatchReport};
pub use identity_key::{identity_key, identity_key_of};
pub use quick::{check_resident_quick, QuickResident};
pub use test_id::{generate_test_id, TestIdError, TestIdSpec};

use crate::date::Date;
use crate::issue::{Code, Issue, ParamValue};
use crate::jurisdiction::Jurisdiction;

/// The longest input looked at, in characters, before trimming. The longest real document
/// number written with separators is well under 30 characters; anything longer is not an ID.
pub const MAX_INPUT_CHARS: usize = 64;

/// The default plausibility bound on age (see [`IdOptions::max_age_years`]).
pub const DEFAULT_MAX_AGE_YEARS: u32 = 130;

/// The default tolerance on a division code's abolition year (see [`IdOptions::region_tolerance_years`]).
pub const DEFAULT_REGION_TOLERANCE_YEARS: u32 = 2;

/// The kinds of ID document. The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdKind {
    /// 18-character mainland resident ID (GB 11643-1999).
    CnResident,
    /// First-generation 15-digit mainland resident ID (GB 11643-1989).
    CnResidentLegacy,
    /// Residence permit for Hong Kong, Macau and Taiwan residents (港澳台居民居住证, 国办发〔2018〕81号):
    /// the resident ID layout with the address code exactly 810000, 820000 or 830000.
    HkMacaoTaiwanResidencePermit,
    /// Foreigner's Permanent Residence ID card (外国人永久居留身份证): the 2023 18-digit card
    /// with MOD 11-2, or the older 15-character card (format only).
    ForeignPermanentResident,
    /// Hong Kong identity card (香港身份证), with its check character.
    HkId,
    /// Macau resident identity card (澳门身份证, BIR); format only (the check is not public).
    MoId,
    /// Taiwan national ID (台湾身份证) and resident certificate numbers, with their checksum.
    TwId,
    /// Mainland Travel Permit for Hong Kong and Macao Residents (港澳居民来往内地通行证), including
    /// the `HA`/`MA` card of non-Chinese nationals (since 2024-07-10); format only.
    HkMacaoHomeReturnPermit,
    /// Mainland Travel Permit for Taiwan Residents (台湾居民来往大陆通行证); format only.
    TwMtp,
    /// People's Republic of China passport (中华人民共和国护照); format only.
    CnPassport,
    /// Unified Social Credit Code of an organisation (统一社会信用代码, GB 32100-2015).
    Uscc,
}

/// Who holds a document: decides which name scripts fit it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Holder {
    /// A mainland resident: the name is in Chinese characters.
    Mainland,
    /// A resident of Hong Kong, Macau or Taiwan, or a foreigner: Chinese or Latin names.
    NonMainland,
    /// An organisation, not a person.
    Organisation,
}

impl IdKind {
    /// Every kind, in a stable order.
    pub const ALL: [IdKind; 11] = [
        IdKind::CnResident,
        IdKind::CnResidentLegacy,
        IdKind::HkMacaoTaiwanResidencePermit,
        IdKind::ForeignPermanentResident,
        IdKind::HkId,
        IdKind::MoId,
        IdKind::TwId,
        IdKind::HkMacaoHomeReturnPermit,
        IdKind::TwMtp,
        IdKind::CnPassport,
        IdKind::Uscc,
    ];

    /// Who holds this kind of document. A PRC passport is held by mainland residents (the
    /// printed name is Chinese; the pinyin line is derived from it).
    pub const fn holder(self) -> Holder {
        match self {
            IdKind::CnResident | IdKind::CnResidentLegacy | IdKind::CnPassport => Holder::Mainland,
            IdKind::Uscc => Holder::Organisation,
            IdKind::HkMacaoTaiwanResidencePermit
            | IdKind::ForeignPermanentResident
            | IdKind::HkId
            | IdKind::MoId
            | IdKind::TwId
            | IdKind::HkMacaoHomeReturnPermit
            | IdKind::TwMtp => Holder::NonMainland,
        }
    }

    /// Whether a number of this kind can encode its holder's birth date: resident IDs and
    /// residence permits (GB 11643-1999 layout) and the permanent residence ID (its 2023 card;
    /// the older card's number is checked for format only and yields none). The others never do:
    /// a registration with one needs a declared birth date.
    pub const fn may_encode_birth_date(self) -> bool {
        matches!(
            self,
            IdKind::CnResident
                | IdKind::CnResidentLegacy
                | IdKind::HkMacaoTaiwanResidencePermit
                | IdKind::ForeignPermanentResident
        )
    }

    /// The kind's snake_case name (`cn_resident`, `hk_id`, ...): the JS `IdKind`.
    pub const fn as_str(self) -> &'static str {
        match self {
            IdKind::CnResident => "cn_resident",
            IdKind::CnResidentLegacy => "cn_resident_legacy",
            IdKind::HkMacaoTaiwanResidencePermit => "hk_macao_taiwan_residence_permit",
            IdKind::ForeignPermanentResident => "foreign_permanent_resident",
            IdKind::HkId => "hk_id",
            IdKind::MoId => "mo_id",
            IdKind::TwId => "tw_id",
            IdKind::HkMacaoHomeReturnPermit => "hk_macao_home_return_permit",
            IdKind::TwMtp => "tw_mtp",
            IdKind::CnPassport => "cn_passport",
            IdKind::Uscc => "uscc",
        }
    }

    /// The kind named `name` (see [`IdKind::as_str`]), if any.
    pub fn parse(name: &str) -> Option<IdKind> {
        // A plain loop (not `find`, which the optimiser unrolled into 11 inlined comparisons).
        let mut found = None;
        for kind in IdKind::ALL {
            if found.is_none() && core::hint::black_box(kind.as_str()) == name {
                found = Some(kind);
            }
        }
        found
    }

    const fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of [`IdKind`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KindSet(u32);

impl KindSet {
    /// Every kind, credit codes included.
    pub const fn all() -> KindSet {
        // Each kind's bit is its discriminant, and discriminants run 0..ALL.len().
        KindSet((1 << IdKind::ALL.len()) - 1)
    }
    /// Every kind of personal document: all but [`IdKind::Uscc`] (an 18-digit credit code passes
    /// both its checks for about 1 in 340 mistyped resident ID numbers: organisation forms ask for
    /// `uscc` explicitly). Not the default: see [`KindSet::mainland_platform`].
    pub const fn personal() -> KindSet {
        KindSet(KindSet::all().0 & !IdKind::Uscc.bit())
    }
    /// The default: the documents a mainland platform can register a person with, without asking
    /// anything else: those that are **issued today**, carry a **check character**, and encode the
    /// holder's **birth date** (so that every account has a known age, which minor protection
    /// needs: 未成年人保护法 Art. 74–75, 未成年人网络保护条例 Art. 43–44, PIPL Art. 31):
    /// the resident ID ([`IdKind::CnResident`], GB 11643-1999), the residence permit of Hong Kong,
    /// Macau and Taiwan residents ([`IdKind::HkMacaoTaiwanResidencePermit`]), and the foreigner's
    /// permanent residence ID ([`IdKind::ForeignPermanentResident`]).
    ///
    /// Every other kind is accepted only when the caller lists it: documents without a check
    /// character or a birth date (Hong Kong, Macau and Taiwan IDs, travel permits, passports) then
    /// need a declared birth date on the registration form; the first-generation 15-digit number
    /// ([`IdKind::CnResidentLegacy`]) stopped being a valid document on 2013-01-01 (居民身份证法
    /// Art. 23, as amended by the NPC Standing Committee on 2011-10-29) and is for audits of old
    /// data; credit codes are for organisations. A valid number of a kind not listed still gets
    /// its precise `id_kind_not_allowed` ("这是香港身份证号码，此处需要居民身份证号码").
    pub const fn mainland_platform() -> KindSet {
        KindSet::empty()
            .with(IdKind::CnResident)
            .with(IdKind::HkMacaoTaiwanResidencePermit)
            .with(IdKind::ForeignPermanentResident)
    }
    /// No kind.
    pub const fn empty() -> KindSet {
        KindSet(0)
    }
    /// This set and `kind`.
    #[must_use]
    pub const fn with(self, kind: IdKind) -> KindSet {
        KindSet(self.0 | kind.bit())
    }
    /// Whether `kind` is in the set.
    pub const fn contains(self, kind: IdKind) -> bool {
        self.0 & kind.bit() != 0
    }
    /// Whether the set has no kind.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// Whether the two sets have a kind in common.
    pub(crate) const fn intersects(self, other: KindSet) -> bool {
        self.0 & other.0 != 0
    }
    /// Whether every kind of this set is in `other`.
    pub(crate) const fn is_subset(self, other: KindSet) -> bool {
        self.0 & !other.0 == 0
    }
    /// The kinds of the set, in the order of [`IdKind::ALL`].
    pub fn iter(self) -> impl Iterator<Item = IdKind> {
        IdKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }
    /// The names of the kinds of the set (see [`IdKind::as_str`]), in the order of [`IdKind::ALL`].
    pub fn names(self) -> Vec<&'static str> {
        self.iter().map(IdKind::as_str).collect()
    }
}

impl Default for KindSet {
    /// [`KindSet::mainland_platform`].
    fn default() -> Self {
        KindSet::mainland_platform()
    }
}

impl FromIterator<IdKind> for KindSet {
    fn from_iter<I: IntoIterator<Item = IdKind>>(iter: I) -> Self {
        iter.into_iter().fold(KindSet::empty(), KindSet::with)
    }
}

/// Options of an ID check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdOptions {
    /// "Today" from a clock the platform trusts (the server's), as a date in Asia/Shanghai.
    pub as_of: Date,
    /// The kinds accepted (default: [`KindSet::mainland_platform`]); a valid number of another
    /// kind gets `id_kind_not_allowed`.
    pub kinds: KindSet,
    /// A birth date more than this many years before `as_of` is `id_birth_date_too_old`.
    /// The oldest verified human lived 122 years; 130 leaves a margin.
    pub max_age_years: u32,
    /// A division code abolished more than this many years before the birth year is
    /// `id_region_abolished`. Published histories disagree by a year, hence 2.
    pub region_tolerance_years: u32,
    /// Accept a unified social credit code whose final check character is wrong but whose
    /// organisation code checks (some codes issued in the pilot years are like that), with the
    /// warning `id_checksum_pilot_era`. Off by default (see [`IdOptions::with_pilot_era`]): then
    /// a wrong check character is `id_checksum_mismatch`, with the expected character.
    pub allow_pilot_era: bool,
}

impl IdOptions {
    /// The default kinds ([`KindSet::mainland_platform`]), default bounds, as of `as_of`.
    pub fn new(as_of: Date) -> IdOptions {
        IdOptions {
            as_of,
            kinds: KindSet::mainland_platform(),
            max_age_years: DEFAULT_MAX_AGE_YEARS,
            region_tolerance_years: DEFAULT_REGION_TOLERANCE_YEARS,
            allow_pilot_era: false,
        }
    }

    /// Sets [`IdOptions::kinds`].
    #[must_use]
    pub fn with_kinds(mut self, kinds: KindSet) -> IdOptions {
        self.kinds = kinds;
        self
    }

    /// Sets [`IdOptions::allow_pilot_era`]. Every typo in a credit code's last character passes
    /// with the warning when it is on, so turn it on only where pilot-era codes are expected
    /// (e.g. an organisation form whose reviewers read the warning). It never applies where a
    /// resident ID is accepted as well: one in 11 mistyped 18-digit resident ID numbers would
    /// pass it.
    #[must_use]
    pub fn with_pilot_era(mut self, allow: bool) -> IdOptions {
        self.allow_pilot_era = allow;
        self
    }

    pub(crate) fn limits(&self) -> Limits {
        let oldest_year = self.as_of.year().saturating_sub(self.max_age_years);
        Limits {
            as_of_ymd: self.as_of.ymd(),
            oldest_ymd: oldest_year * 10_000 + self.as_of.month() * 100 + self.as_of.day(),
            max_age_years: self.max_age_years,
            region_tolerance_years: self.region_tolerance_years,
            kinds: self.kinds,
            allow_pilot_era: self.allow_pilot_era,
        }
    }
}

/// The options reduced to integers, computed once per call or per batch.
pub(crate) struct Limits {
    pub as_of_ymd: u32,
    pub oldest_ymd: u32,
    pub max_age_years: u32,
    pub region_tolerance_years: u32,
    pub kinds: KindSet,
    pub allow_pilot_era: bool,
}

/// The holder's gender, as the number encodes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
}

impl Gender {
    /// `male` or `female`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
}

/// The division an ID was registered in, with display names from GB/T 2260.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    /// The 6-digit code.
    pub code: String,
    /// The province-level name, e.g. 北京市 (when the region names are installed).
    pub province: Option<&'static str>,
    /// The city (prefecture) level name, where the code has one.
    pub city: Option<&'static str>,
    /// The county-level name, where the code has one.
    pub county: Option<&'static str>,
}

/// What a valid ID yields: everything its kind encodes, and nothing it does not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdValue {
    /// The kind of document the number is.
    pub kind: IdKind,
    /// The number after normalisation: trimmed, ASCII, uppercase; a Hong Kong or Macau ID in its
    /// printed form with the check character in brackets (`A123456(3)`).
    pub normalized: String,
    /// The holder's birth date, for the kinds that encode one.
    pub birth_date: Option<Date>,
    /// The holder's gender, for the kinds that encode one.
    pub gender: Option<Gender>,
    /// The division the number was registered in (resident IDs), or the province of issue
    /// (permanent residence ID), or the registering authority's division (credit code).
    pub region: Option<Region>,
    /// For a 15-digit legacy number, its 18-character form.
    pub upgraded: Option<String>,
    /// Where the holder is a resident: the mainland, Hong Kong, Macau or Taiwan (in JS, the
    /// strings `"cn"`, `"hk"`, `"mo"`, `"tw"`).
    pub jurisdiction: Option<Jurisdiction>,
    /// A permanent residence ID's nationality: GB/T 2659 numeric (2023 card) or alpha-3 code.
    pub nationality: Option<String>,
}

/// The text of ASCII bytes (normalised input is ASCII). Shared and never inlined: each kind builds
/// its value with it, and inlined copies cost the .wasm kilobytes.
#[inline(never)]
pub(crate) fn ascii_string(b: &[u8]) -> String {
    match core::str::from_utf8(b) {
        // One copy, where pushing char by char re-encoded each byte.
        Ok(text) if b.is_ascii() => String::from(text),
        _ => b.iter().map(|&c| char::from(c)).collect(),
    }
}

impl IdValue {
    #[inline(never)]
    pub(crate) fn new(kind: IdKind, normalized: String) -> IdValue {
        IdValue {
            kind,
            normalized,
            birth_date: None,
            gender: None,
            region: None,
            upgraded: None,
            jurisdiction: None,
            nationality: None,
        }
    }
}

/// What one kind's check gives: the value and that kind's warnings, or every issue found.
pub(crate) type KindResult = Result<(IdValue, Vec<Issue>), Vec<Issue>>;

/// The printed form of a Hong Kong or Macau ID: its characters (`head`, then `digits`), and the
/// check character in brackets: `A123456(3)`. Shared, as [`ascii_string`].
#[inline(never)]
pub(crate) fn printed_form(head: &[u8], digits: &[u8], check: u8) -> String {
    let mut printed: String = head.iter().chain(digits).map(|&c| char::from(c)).collect();
    printed.push('(');
    printed.push(char::from(check));
    printed.push(')');
    printed
}

/// Whether every byte is an ASCII digit. Shared and never inlined: the schemes' shape checks call
/// it, and inlined (unrolled) copies cost the .wasm bytes.
#[inline(never)]
pub(crate) fn all_digits(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_digit)
}

/// The check character written after a Hong Kong or Macau ID's digits: `3`, `(3)`, or either after
/// one space. `None` for anything else.
pub(crate) fn written_check_character(rest: &[u8]) -> Option<u8> {
    match rest.strip_prefix(b" ").unwrap_or(rest) {
        [c] | [b'(', c, b')'] => Some(*c),
        _ => None,
    }
}

/// The warning of a kind whose number has no public check character.
#[inline(never)]
pub(crate) fn format_only(kind: IdKind) -> Issue {
    Issue::new(Code::IdFormatOnly).with("kind", ParamValue::Str(kind.as_str()))
}

/// A division code written with six digits (`format!` costs more than the whole lookup).
fn six_digits(code: u32) -> String {
    if code >= 1_000_000 {
        return format!("{code:06}");
    }
    let mut out = String::with_capacity(6);
    let mut scale = 100_000;
    while scale > 0 {
        out.push(char::from(b'0' + (code / scale % 10) as u8));
        scale /= 10;
    }
    out
}

/// A division code with its names from GB/T 2260 (when the table has them).
pub(crate) fn region_value(code: u32) -> Region {
    let names = crate::division::names(code);
    Region {
        code: six_digits(code),
        province: names.province,
        city: names.city,
        county: names.county,
    }
}

/// A successful check: the value plus warnings about what was normalised or could not be confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked<T> {
    /// The checked value.
    pub value: T,
    /// What was normalised or could not be confirmed; never a reason to refuse.
    pub warnings: Vec<Issue>,
}

/// Checks one ID number, detecting its kind (see [`detect`](self) for how). `Err` holds every
/// independent issue found (at least one).
#[inline(never)] // called from the registration, the guardian and identity_key: one copy in the .wasm
pub fn check_id(input: &str, options: &IdOptions) -> Result<Checked<IdValue>, Vec<Issue>> {
    let norm = normalize::normalize(input).map_err(|code| vec![normalize::issue(code)])?;
    let (value, kind_warnings) = detect::check_normalized(norm.bytes(), &options.limits())?;
    let mut warnings = norm.warnings();
    warnings.extend(kind_warnings);
    Ok(Checked { value, warnings })
}

/// Whether `input` passes [`check_id`], without building the result.
pub fn is_valid_id(input: &str, options: &IdOptions) -> bool {
    is_valid_id_bytes(input.as_bytes(), options)
}

/// [`is_valid_id`] on UTF-8 bytes (invalid UTF-8 is read as a lossy decode would).
pub fn is_valid_id_bytes(input: &[u8], options: &IdOptions) -> bool {
    detect::first_code(input, &options.limits()).is_none()
}

#[cfg(test)]
mod six_digit_tests {
    #[test]
    fn six_digits_matches_fmt() {
        for code in (0..1_000_000)
            .step_by(7)
            .chain([999_999, 1_000_000, 12_345_678, u32::MAX])
        {
            assert_eq!(super::six_digits(code), format!("{code:06}"));
        }
    }
}
