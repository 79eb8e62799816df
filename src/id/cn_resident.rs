//! Mainland resident identity card number (居民身份证号码), GB 11643-1999, and the first-generation
//! 15-digit number of GB 11643-1989.
//!
//! **Standard**: GB 11643-1999《公民身份号码》 (国家质量技术监督局, 1999),
//! <https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=080D6FBF2BB468F9007657F26D60013E>; the
//! 15-digit number: GB 11643-1989《社会保障号码》 (国家技术监督局, 1989).
//!
//! **Schemes** ([`Scheme`]): [`CnResident`] (18 characters; the residence permit has the same
//! layout) and [`CnResidentLegacy`] (15 digits).
//!
//! **18 characters**: 6-digit address code (GB/T 2260; where the household was registered when the
//! number was first issued, not necessarily the birthplace), birth date `YYYYMMDD`, 3-digit order
//! code (odd = male, even = female), and an ISO 7064 MOD 11-2 check character (`0`-`9` or `X`).
//! Examples from the standard: `11010519491231002X`, `440524188001010014`.
//!
//! **15 digits** (GB 11643-1989): address code, `YYMMDD` in the 1900s, order code, no check.
//! Upgrading inserts `19` before the year and appends the MOD 11-2 check. First-generation cards
//! stopped being valid on 2013-01-01 (居民身份证法 Art. 23, as amended on 2011-10-29), so
//! accepting one is a policy choice: it is an allowed kind by default and always carries the
//! `id_legacy_format` warning.
//!
//! **Checks**, in order: length, characters, check character, birth date, address code.
//! - The birth date must be a real date, not after the as-of date, and not more than
//!   [`IdOptions::max_age_years`](super::IdOptions::max_age_years) (default 130) before it. The oldest verified human lived 122
//!   years; GB 11643 sets no bound, but a registration born earlier is a typo or a made-up number.
//! - The address code must start with a province-level code that ever existed, and must not have
//!   been abolished well before the birth year ([`IdOptions::region_tolerance_years`](super::IdOptions::region_tolerance_years), default 2,
//!   because published histories disagree by a year). A code that existed *after* the birth year is
//!   fine: numbers are assigned at first registration, which can be years after birth (that is what
//!   makes the strict check of jxlwqq/id-validator issue #53 reject real people). A plausible code
//!   missing from the table is only a warning.
//! - 71 (台湾省) is never a resident ID's address code: households are registered under mainland
//!   codes. 81/82/83 are a residence permit's codes (exactly 810000/820000/830000, 国办发〔2018〕
//!   81号), which exist only in the 18-character layout: a 15-digit number never carries them.
//!   Both are `id_region_invalid`, though 710000/810000/820000 are GB/T 2260 codes.
//!
//! What cannot be checked: whether the number was ever issued, and whether it belongs to the user.
//!
//! # Sources
//! - **`gb-11643-1999`**: GB 11643-1999《公民身份号码》: the 18-character layout, the order code's
//!   parity, the check character and the two examples above.
//! - **`gb-11643-1989`**: GB 11643-1989《社会保障号码》: the first-generation 15-digit layout.
//! - **`iso-iec-7064`**: ISO 7064 MOD 11-2, the check character system GB 11643-1999 uses
//!   ([`super::mod11_2`]).
//! - **`gb-t-2260`**: GB/T 2260《中华人民共和国行政区划代码》: the address code, checked against
//!   the years each code was in use ([`crate::division`]).
//! - **`resident-id-law`**: 中华人民共和国居民身份证法 Art. 23 (as amended on 2011-10-29, in
//!   force 2012-01-01): cards issued under the 居民身份证条例 stopped being valid on 2013-01-01.
//! - **`gov-2018-81`**: 国办发〔2018〕81号 (港澳台居民居住证申领发放办法) Art. 3: residence permits
//!   carry the address code 810000, 820000 or 830000.

use core::ops::RangeInclusive;

use super::scheme::{Scheme, Verdict};
use super::{mod11_2, region_value, Gender, IdKind, IdValue, KindResult, KindSet, Limits};
use crate::date::Date;
use crate::division;
use crate::issue::{Code, Issue, ParamValue};
use crate::jurisdiction::Jurisdiction;

/// An 18-character number whose characters are well-formed (17 digits + digit or `X`), with
/// its fields decoded.
pub(crate) struct Parsed18 {
    /// The address code's first four digits (PPCC) and last two (DD), kept apart because the
    /// division table is indexed that way.
    region_ppcc: u32,
    region_dd: u32,
    birth_ymd: (u32, u32, u32),
    odd_order: bool,
    pub check: u8,
    pub expected_check: u8,
}

impl Parsed18 {
    pub fn region(&self) -> u32 {
        self.region_ppcc * 100 + self.region_dd
    }
    pub fn birth_ymd(&self) -> (u32, u32, u32) {
        self.birth_ymd
    }
    pub fn gender(&self) -> Gender {
        if self.odd_order {
            Gender::Male
        } else {
            Gender::Female
        }
    }
}

/// Whether all 16 bytes of two words are ASCII digits, with one branch: in each byte the high
/// nibble is 3, and adding 6 to the low nibble does not carry (so it is at most 9).
#[inline(always)]
const fn ascii_digits_both(a: u64, b: u64) -> bool {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    const SIXES: u64 = 0x0606_0606_0606_0606;
    ((a & HIGH) ^ THREES)
        | ((a.wrapping_add(SIXES) & HIGH) ^ THREES)
        | ((b & HIGH) ^ THREES)
        | ((b.wrapping_add(SIXES) & HIGH) ^ THREES)
        == 0
}

/// Whether `b` is written in the resident ID's alphabet: 17 digits, then a digit or `X`.
#[inline(always)]
pub(crate) fn in_resident_alphabet(b: &[u8; 18]) -> bool {
    let [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, b16, b17] = *b;
    ascii_digits_both(
        u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]),
        u64::from_le_bytes([b8, b9, b10, b11, b12, b13, b14, b15]),
    ) && b16.is_ascii_digit()
        && (b17.is_ascii_digit() || b17 == b'X')
}

/// Digit pairs of 8 digit values (one per byte, first digit lowest): byte 2k of the result is
/// `10 * d[2k] + d[2k+1]`. No byte overflows (at most 99).
#[inline(always)]
const fn digit_pairs(values: u64) -> u64 {
    values.wrapping_mul(10).wrapping_add(values >> 8)
}

/// `Σ lane[k] * weight[k]` over the four 16-bit lanes of `lanes`, where `magic` holds the weights
/// in reverse lane order: the top lane of the product is the sum (each partial sum < 2^16).
#[inline(always)]
const fn weighted_lanes(lanes: u64, magic: u64) -> u32 {
    (lanes.wrapping_mul(magic) >> 48) as u32
}

const fn lane_weights(w0: u64, w1: u64, w2: u64, w3: u64) -> u64 {
    w3 | (w2 << 16) | (w1 << 32) | (w0 << 48)
}

const EVEN_BYTES: u64 = 0x00FF_00FF_00FF_00FF;

/// The birth date of a valid 18-character number of GB 11643's layout (the resident ID, the
/// residence permit, and the 2023 permanent residence card, which follows it) as `YYYYMMDD`: the
/// digits at places 7 to 14. Only for bytes already found valid as one of those kinds.
pub(crate) fn birth_key18(b: &[u8; 18]) -> u32 {
    b.get(6..14).unwrap_or(&[]).iter().fold(0u32, |key, d| {
        key * 10 + u32::from(d.wrapping_sub(b'0') % 10)
    })
}

/// Checks the characters of an 18-byte candidate and decodes it; `Err(index)` is the first bad
/// position (0-based). This is the hottest code of a batch, so it works on two 8-byte words (SWAR):
/// a digit test, digit pairs for the fields, and four multiplications for the MOD 11-2 sum.
#[inline(always)]
pub(crate) fn parse18(b: &[u8; 18]) -> Result<Parsed18, usize> {
    let [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, b16, b17] = *b;
    let low = u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]);
    let high = u64::from_le_bytes([b8, b9, b10, b11, b12, b13, b14, b15]);
    if !(ascii_digits_both(low, high) && b16.is_ascii_digit()) {
        return Err(b.iter().position(|c| !c.is_ascii_digit()).unwrap_or(0));
    }
    if !(b17.is_ascii_digit() || b17 == b'X') {
        return Err(17);
    }
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    // All bytes are ASCII digits, so these subtractions do not borrow across bytes.
    let low = low - ZEROS;
    let high = high - ZEROS;
    let d16 = u32::from(b16 - b'0');
    // Weights 7 9 10 5 8 4 2 1 | 6 3 7 9 10 5 8 4 | 2, split into even and odd positions.
    let sum = weighted_lanes(low & EVEN_BYTES, lane_weights(7, 10, 8, 2))
        + weighted_lanes((low >> 8) & EVEN_BYTES, lane_weights(9, 5, 4, 1))
        + weighted_lanes(high & EVEN_BYTES, lane_weights(6, 7, 10, 8))
        + weighted_lanes((high >> 8) & EVEN_BYTES, lane_weights(3, 9, 5, 4))
        + 2 * d16;
    let low_pairs = digit_pairs(low);
    let high_pairs = digit_pairs(high);
    let pair = |word: u64, k: u32| (word >> (16 * k)) as u32 & 0xFF;
    Ok(Parsed18 {
        region_ppcc: pair(low_pairs, 0) * 100 + pair(low_pairs, 1),
        region_dd: pair(low_pairs, 2),
        birth_ymd: (
            pair(low_pairs, 3) * 100 + pair(high_pairs, 0),
            pair(high_pairs, 1),
            pair(high_pairs, 2),
        ),
        odd_order: d16 % 2 == 1,
        check: b17,
        expected_check: mod11_2::check_char_for_sum(sum),
    })
}

/// The decimal number in `count` digits starting at `start` (digits are 0..=9).
fn number(digits: &[u8], start: usize, count: usize) -> u32 {
    digits
        .iter()
        .skip(start)
        .take(count)
        .fold(0, |acc, &d| acc * 10 + u32::from(d))
}

/// A 15-digit first-generation number, digits checked.
pub(crate) struct Parsed15 {
    pub digits: [u8; 15],
}

impl Parsed15 {
    pub fn region(&self) -> u32 {
        number(&self.digits, 0, 6)
    }
    pub fn birth_ymd(&self) -> (u32, u32, u32) {
        (
            1900 + number(&self.digits, 6, 2),
            number(&self.digits, 8, 2),
            number(&self.digits, 10, 2),
        )
    }
    pub fn gender(&self) -> Gender {
        if self.digits[14] % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }
    /// The 18-character form: `19` inserted before the year, MOD 11-2 check appended.
    pub fn upgraded(&self) -> String {
        let mut d17 = [0u8; 17];
        let (region, rest) = self.digits.split_at(6);
        let mut it = region.iter().chain([1u8, 9].iter()).chain(rest.iter());
        for out in d17.iter_mut() {
            *out = it.next().copied().unwrap_or(0);
        }
        let mut s: String = d17.iter().map(|&d| char::from(b'0' + d)).collect();
        s.push(char::from(mod11_2::check_char(&d17)));
        s
    }
}

pub(crate) fn parse15(b: &[u8; 15]) -> Result<Parsed15, usize> {
    let mut digits = [0u8; 15];
    for (i, (out, &c)) in digits.iter_mut().zip(b.iter()).enumerate() {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return Err(i);
        }
        *out = d;
    }
    Ok(Parsed15 { digits })
}

/// The birth date check shared by every path (full check, fast path, batch). The error is the
/// bare code so that the hot path moves nothing bigger than a byte; [`birth_date_issue`] adds
/// the params.
#[inline(always)]
pub(crate) fn check_birth_date(
    (year, month, day): (u32, u32, u32),
    limits: &Limits,
) -> Result<Date, Code> {
    // Integer checks first; the `Date` is built only for a date already known to be real.
    if year == 0 || year > 9999 || day == 0 || day > crate::date::days_in_month(year, month) {
        return Err(Code::IdBirthDateInvalid);
    }
    let ymd = year * 10_000 + month * 100 + day;
    if ymd > limits.as_of_ymd {
        return Err(Code::IdBirthDateInFuture);
    }
    if ymd < limits.oldest_ymd {
        return Err(Code::IdBirthDateTooOld);
    }
    // Checked above: 1 <= year <= 9999, 1 <= day <= days_in_month(year, month) (so 1 <= month <= 12).
    Ok(Date::from_checked_parts(year, month, day))
}

pub(crate) fn birth_date_issue(code: Code, limits: &Limits) -> Issue {
    let issue = Issue::new(code);
    if code == Code::IdBirthDateTooOld {
        issue.with(
            "maxAgeYears",
            ParamValue::Int(i64::from(limits.max_age_years)),
        )
    } else {
        issue
    }
}

/// Whether the address code is in the table (`Known`) or only plausible (`Unknown`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RegionStatus {
    Known,
    Unknown,
}

/// Why an address code is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RegionError {
    /// The first two digits are no province-level code.
    Invalid,
    /// Abolished in `last_year`, more than the tolerance before the birth year.
    Abolished { last_year: u16 },
}

impl RegionError {
    fn code(self) -> Code {
        match self {
            RegionError::Invalid => Code::IdRegionInvalid,
            RegionError::Abolished { .. } => Code::IdRegionAbolished,
        }
    }

    fn issue(self) -> Issue {
        match self {
            RegionError::Invalid => Issue::new(Code::IdRegionInvalid),
            RegionError::Abolished { last_year } => Issue::new(Code::IdRegionAbolished)
                .with("lastYear", ParamValue::Int(i64::from(last_year))),
        }
    }
}

/// The address code check shared by every path. `birth_year` is `None` when the date is invalid.
#[inline(always)]
pub(crate) fn check_region(
    code: u32,
    birth_year: Option<u32>,
    limits: &Limits,
) -> Result<RegionStatus, RegionError> {
    if division::in_use(code) {
        return Ok(RegionStatus::Known);
    }
    // Every code in the table is under a province of the table, so a hit needs no prefix check.
    let Some(history) = division::history(code) else {
        return if division::is_province(code / 10_000) {
            Ok(RegionStatus::Unknown)
        } else {
            Err(RegionError::Invalid)
        };
    };
    if let (Some(last_year), Some(birth_year)) = (history.last_year, birth_year) {
        if u32::from(last_year) + limits.region_tolerance_years < birth_year {
            return Err(RegionError::Abolished { last_year });
        }
    }
    Ok(RegionStatus::Known)
}

/// The kinds laid out like the mainland resident ID (18 or 15 digits with an address code).
pub(crate) const MAINLAND_LAYOUT: KindSet = KindSet::empty()
    .with(IdKind::CnResident)
    .with(IdKind::CnResidentLegacy)
    .with(IdKind::HkMacaoTaiwanResidencePermit);

/// The 18-character resident ID (GB 11643-1999), and the residence permit of Hong Kong, Macau and
/// Taiwan residents, which has its layout (国办发〔2018〕81号): one written shape, two kinds told
/// apart by the address code.
pub(crate) struct CnResident;

impl Scheme for CnResident {
    const CLAIMS: KindSet = KindSet::empty()
        .with(IdKind::CnResident)
        .with(IdKind::HkMacaoTaiwanResidencePermit);
    const LENGTHS: RangeInclusive<usize> = 18..=18;

    /// Address code, year, month, day (the birth date is also written as one group), order code,
    /// check character (GB 11643-1999).
    const FIELD_ENDS: &'static [usize] = &[6, 10, 12, 14, 17, 18];

    /// Any 18 characters have the shape: a letter inside is a mistyped number
    /// (`id_invalid_character`), unless another scheme reads it as its own.
    fn check(b: &[u8], limits: &Limits) -> Option<KindResult> {
        <&[u8; 18]>::try_from(b)
            .ok()
            .map(|b18| check18(b18, limits))
    }

    #[inline(always)]
    fn verdict(b: &[u8], limits: &Limits) -> Verdict {
        match <&[u8; 18]>::try_from(b) {
            Ok(b18) => verdict18(b18, limits),
            Err(_) => Verdict::NotThisShape,
        }
    }
}

/// The first-generation 15-digit resident ID (GB 11643-1989).
pub(crate) struct CnResidentLegacy;

impl Scheme for CnResidentLegacy {
    /// A broken 15-digit number is reported where either resident ID is accepted: its holder has
    /// an 18-character number now.
    const CLAIMS: KindSet = KindSet::empty()
        .with(IdKind::CnResidentLegacy)
        .with(IdKind::CnResident);
    const LENGTHS: RangeInclusive<usize> = 15..=15;

    /// Any 15 characters have the shape, as for [`CnResident`].
    fn check(b: &[u8], limits: &Limits) -> Option<KindResult> {
        <&[u8; 15]>::try_from(b)
            .ok()
            .map(|b15| check15(b15, limits))
    }

    #[inline]
    fn verdict(b: &[u8], limits: &Limits) -> Verdict {
        match <&[u8; 15]>::try_from(b) {
            Ok(b15) => verdict15(b15, limits),
            Err(_) => Verdict::NotThisShape,
        }
    }
}

/// The verdict of [`check18`], in the order it reports issues. No allocation.
#[inline(always)]
fn verdict18(b: &[u8; 18], limits: &Limits) -> Verdict {
    let parsed = match parse18(b) {
        Ok(p) => p,
        Err(_) => return Verdict::Invalid(Code::IdInvalidCharacter),
    };
    if parsed.check != parsed.expected_check {
        return Verdict::Invalid(Code::IdChecksumMismatch);
    }
    let kind = kind_of_18(parsed.region());
    let in_use = division::in_use_parts(parsed.region_ppcc, parsed.region_dd);
    verdict_of_fields(parsed.birth_ymd(), parsed.region(), in_use, kind, limits)
}

/// The kind an 18-character number's address code says it is (国办发〔2018〕81号: residence
/// permits for Hong Kong, Macau and Taiwan residents carry exactly 810000, 820000 or 830000).
/// `None`: an 81/82/83 code other than those, or a 71 code (台湾省 is a GB/T 2260 code, but no
/// household is registered under it, so no resident ID carries it), which no document carries.
#[inline(always)]
fn kind_of_18(region: u32) -> Option<IdKind> {
    match (region / 10_000, region % 10_000) {
        (81..=83, 0) => Some(IdKind::HkMacaoTaiwanResidencePermit),
        (71 | 81..=83, _) => None,
        _ => Some(IdKind::CnResident),
    }
}

/// The kind a 15-digit number's address code allows: `None` for 71 (Taiwan) and 81/82/83. The
/// first-generation numbers (GB 11643-1989) were issued to mainland households only, under
/// mainland codes; the 81/82/83 residence permits (国办发〔2018〕81号) exist only in the
/// 18-character layout.
#[inline(always)]
fn kind_of_15(region: u32) -> Option<IdKind> {
    match region / 10_000 {
        71 | 81..=83 => None,
        _ => Some(IdKind::CnResidentLegacy),
    }
}

/// [`verdict18`] for a 15-digit candidate.
#[inline]
fn verdict15(b: &[u8; 15], limits: &Limits) -> Verdict {
    match parse15(b) {
        Ok(parsed) => verdict_of_fields(
            parsed.birth_ymd(),
            parsed.region(),
            division::in_use(parsed.region()),
            kind_of_15(parsed.region()),
            limits,
        ),
        Err(_) => Verdict::Invalid(Code::IdInvalidCharacter),
    }
}

/// The checks after the format (and check character): birth date, address code.
///
/// `region_in_use` is [`division::in_use`] of `region`, passed in because the 18-character path
/// gets it cheaper from the digit pairs.
#[inline(always)]
fn verdict_of_fields(
    birth_ymd: (u32, u32, u32),
    region: u32,
    region_in_use: bool,
    kind: Option<IdKind>,
    limits: &Limits,
) -> Verdict {
    let birth = match check_birth_date(birth_ymd, limits) {
        Ok(d) => d,
        Err(code) => return Verdict::Invalid(code),
    };
    let Some(kind) = kind else {
        return Verdict::Invalid(Code::IdRegionInvalid);
    };
    if !region_in_use && kind != IdKind::HkMacaoTaiwanResidencePermit {
        if let Err(error) = check_region(region, Some(birth.year()), limits) {
            return Verdict::Invalid(error.code());
        }
    }
    Verdict::Valid(kind)
}

fn invalid_character(index: usize, expected: &'static str) -> Issue {
    Issue::new(Code::IdInvalidCharacter)
        .with("position", ParamValue::Int(index as i64 + 1))
        .with("expected", ParamValue::Str(expected))
}

/// The full check of an 18-character candidate: every independent issue is reported.
fn check18(b: &[u8; 18], limits: &Limits) -> KindResult {
    let parsed = match parse18(b) {
        Ok(parsed) => parsed,
        Err(i) => {
            let expected = if i == 17 { "digit_or_x" } else { "digit" };
            return Err(vec![invalid_character(i, expected)]);
        }
    };
    let mut issues = Vec::new();
    if parsed.check != parsed.expected_check {
        issues.push(Issue::new(Code::IdChecksumMismatch).with(
            "expected",
            ParamValue::Char(char::from(parsed.expected_check)),
        ));
    }
    let (value, region_unknown) = check_fields(
        b,
        kind_of_18(parsed.region()),
        parsed.birth_ymd(),
        parsed.region(),
        parsed.gender(),
        limits,
        issues,
    )?;
    let mut warnings = Vec::new();
    if region_unknown {
        warnings.push(Issue::new(Code::IdRegionUnknown));
    }
    Ok((value, warnings))
}

/// The full check of a 15-digit first-generation candidate.
fn check15(b: &[u8; 15], limits: &Limits) -> KindResult {
    let parsed = parse15(b).map_err(|i| vec![invalid_character(i, "digit")])?;
    let (mut value, region_unknown) = check_fields(
        b,
        kind_of_15(parsed.region()),
        parsed.birth_ymd(),
        parsed.region(),
        parsed.gender(),
        limits,
        Vec::new(),
    )?;
    value.upgraded = Some(parsed.upgraded());
    let mut warnings = vec![Issue::new(Code::IdLegacyFormat)];
    if region_unknown {
        warnings.push(Issue::new(Code::IdRegionUnknown));
    }
    Ok((value, warnings))
}

/// What both layouts check after their characters (and check character): the birth date and the
/// address code, each issue added to those already found (`issues`). Valid: the value, and whether
/// the address code is missing from the table (a warning). Shared, so the .wasm holds it once.
#[inline(never)]
fn check_fields(
    b: &[u8],
    kind: Option<IdKind>,
    birth_ymd: (u32, u32, u32),
    region: u32,
    gender: Gender,
    limits: &Limits,
    mut issues: Vec<Issue>,
) -> Result<(IdValue, bool), Vec<Issue>> {
    let birth = check_birth_date(birth_ymd, limits)
        .map_err(|code| issues.push(birth_date_issue(code, limits)))
        .ok();
    let region_status = match kind {
        None => Err(RegionError::Invalid),
        // The permit's code is fixed (810000/820000/830000): nothing to look up.
        Some(IdKind::HkMacaoTaiwanResidencePermit) => Ok(RegionStatus::Known),
        Some(_) => check_region(region, birth.map(Date::year), limits),
    }
    .map_err(|error| issues.push(error.issue()))
    .ok();
    if !issues.is_empty() {
        return Err(issues);
    }
    let mut value = IdValue::new(kind.unwrap_or(IdKind::CnResident), super::ascii_string(b));
    value.birth_date = birth;
    value.gender = Some(gender);
    value.region = Some(region_value(region));
    // A first-generation number carries no 81/82/83 code (see `kind_of_15`).
    value.jurisdiction = Some(match region / 10_000 {
        81 => Jurisdiction::Hk,
        82 => Jurisdiction::Mo,
        83 => Jurisdiction::Tw,
        _ => Jurisdiction::Cn,
    });
    Ok((value, region_status == Some(RegionStatus::Unknown)))
}
