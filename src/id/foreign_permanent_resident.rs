//! Foreigner's Permanent Residence ID card number (外国人永久居留身份证号码).
//!
//! **Standard**: 国家移民管理局, the 2023 edition of the 外国人永久居留身份证 (announced
//! 2023-09-15, issued from 2023-12-01), whose number follows GB 11643-1999《公民身份号码》; the
//! older card: 《外国人在中国永久居留审批管理办法》 (公安部、外交部令第74号, 2004-08-15).
//!
//! **Schemes** ([`Scheme`]): [`ForeignPermanentResident2023`] (18 characters) and
//! [`ForeignPermanentResident2004`] (15 characters).
//!
//! **2023 card** (issued by 国家移民管理局 since 2023-12-01): 18 characters,
//! `9` + the 2-digit province of issue (GB/T 2260) + the 3-digit nationality (GB/T 2659, the
//! numeric codes of ISO 3166-1) + the birth date `YYYYMMDD` + a 3-digit order code + an
//! ISO 7064 MOD 11-2 check character, as on the resident ID. Example: `932682198501010017`.
//! The birth date gets the same checks as on a resident ID (a real date, not after the as-of date,
//! not implausibly old).
//!
//! **Older card** (2004-2023, issued under 外国人在中国永久居留审批管理办法 of 2004): 15
//! characters, the 3-letter nationality (ISO 3166-1 alpha-3) and 12 digits. The meaning of the
//! digits is not published, so only the format is checked, and the result says so
//! (`id_format_only`).
//!
//! **What it yields**: the nationality code, the birth date and the province of issue (2023
//! card); the nationality (older card). The order code's parity is not documented to encode the
//! gender on this card, so no gender is returned.
//!
//! # Sources
//! - **`nia-2023-fpr-card`**: 国家移民管理局, the 2023 edition of the 外国人永久居留身份证
//!   (announced 2023-09-15, issued from 2023-12-01): the 18-character number, first digit `9`,
//!   the nationality's letters replaced by a numeric code, a check character as on the resident
//!   ID.
//! - **`gb-11643-1999`**: GB 11643-1999《公民身份号码》: the layout and MOD 11-2 check character
//!   the 2023 number follows.
//! - **`gb-t-2260`**: GB/T 2260: the province of issue.
//! - **`gb-t-2659`**: GB/T 2659 (世界各国和地区名称代码, the codes of ISO 3166-1): the numeric
//!   nationality code.
//! - **`fpr-2004`**: 外国人在中国永久居留审批管理办法 (公安部、外交部令第74号, 2004-08-15): the
//!   older card; its 15-character number (3 letters and 12 digits) is checked for format only.

use core::ops::RangeInclusive;

use super::cn_resident::{birth_date_issue, check_birth_date, parse18};
use super::scheme::{Scheme, Verdict};
use super::{format_only, region_value, IdKind, IdValue, KindResult, KindSet, Limits};
use crate::date::Date;
use crate::division;
use crate::issue::{Code, Issue, ParamValue};
use crate::jurisdiction::Jurisdiction;

const KIND: IdKind = IdKind::ForeignPermanentResident;

/// The 2023 card's 18-character number.
pub(crate) struct ForeignPermanentResident2023;

impl Scheme for ForeignPermanentResident2023 {
    const CLAIMS: KindSet = KindSet::empty().with(KIND);
    const LENGTHS: RangeInclusive<usize> = 18..=18;

    /// The shape: `9` and 16 digits, then a digit or `X`.
    fn check(b: &[u8], limits: &Limits) -> Option<KindResult> {
        check_2023(<&[u8; 18]>::try_from(b).ok()?, limits)
    }

    #[inline]
    fn verdict(b: &[u8], limits: &Limits) -> Verdict {
        // The first byte alone rules out most input (every resident ID): tested before the call.
        match <&[u8; 18]>::try_from(b) {
            Ok(b18) if b18.first() == Some(&b'9') => verdict_2023(b18, limits),
            _ => Verdict::NotThisShape,
        }
    }

    /// Read before a resident ID whenever it has the shape: no province code starts with `9`.
    fn leads(_b: &[u8]) -> bool {
        true
    }
}

/// The older card's 15-character number: checked for format only.
pub(crate) struct ForeignPermanentResident2004;

impl Scheme for ForeignPermanentResident2004 {
    const CLAIMS: KindSet = KindSet::empty().with(KIND);
    const LENGTHS: RangeInclusive<usize> = 15..=15;

    /// The shape: 3 capital letters (the nationality) and 12 digits.
    fn check(b: &[u8], _limits: &Limits) -> Option<KindResult> {
        let nationality = nationality_2004(b)?;
        let mut value = IdValue::new(KIND, super::ascii_string(b));
        value.nationality = Some(super::ascii_string(nationality));
        value.jurisdiction = Some(Jurisdiction::Cn);
        Some(Ok((value, vec![format_only(KIND)])))
    }

    fn verdict(b: &[u8], _limits: &Limits) -> Verdict {
        match nationality_2004(b) {
            Some(_) => Verdict::Valid(KIND),
            None => Verdict::NotThisShape,
        }
    }
}

/// The nationality letters of an older card's number, if `b` has its shape.
fn nationality_2004(b: &[u8]) -> Option<&[u8]> {
    let (letters, digits) = b.split_at_checked(3)?;
    (digits.len() == 12 && letters.iter().all(u8::is_ascii_uppercase) && super::all_digits(digits))
        .then_some(letters)
}

/// An 18-character input of the 2023 card's shape (`9` and 16 digits, then a digit or `X`), with
/// its checks done once for both the full check and the verdict.
struct Parsed2023 {
    check: u8,
    expected_check: u8,
    birth: Result<Date, Code>,
    province: u32,
    province_valid: bool,
}

impl Parsed2023 {
    /// The resident ID's layout after the `9` (17 digits, then a digit or `X`, the same check
    /// character and birth date): its parser decodes it.
    fn parse(b: &[u8; 18], limits: &Limits) -> Option<Parsed2023> {
        if b.first() != Some(&b'9') {
            return None;
        }
        let parsed = parse18(b).ok()?;
        // Places 2 and 3 of the address-code field.
        let province = parsed.region() / 1_000 % 100;
        Some(Parsed2023 {
            check: parsed.check,
            expected_check: parsed.expected_check,
            birth: check_birth_date(parsed.birth_ymd(), limits),
            province,
            province_valid: division::is_province(province) && province < 81,
        })
    }
}

#[inline(never)]
fn verdict_2023(b: &[u8; 18], limits: &Limits) -> Verdict {
    let Some(parsed) = Parsed2023::parse(b, limits) else {
        return Verdict::NotThisShape;
    };
    if parsed.check != parsed.expected_check {
        return Verdict::Invalid(Code::IdChecksumMismatch);
    }
    if let Err(code) = parsed.birth {
        return Verdict::Invalid(code);
    }
    if !parsed.province_valid {
        return Verdict::Invalid(Code::IdRegionInvalid);
    }
    Verdict::Valid(KIND)
}

fn check_2023(b: &[u8; 18], limits: &Limits) -> Option<KindResult> {
    let parsed = Parsed2023::parse(b, limits)?;
    let mut issues = Vec::new();
    if parsed.check != parsed.expected_check {
        issues.push(
            Issue::new(Code::IdChecksumMismatch)
                .with("kind", ParamValue::Str(KIND.as_str()))
                .with(
                    "expected",
                    ParamValue::Char(char::from(parsed.expected_check)),
                ),
        );
    }
    let birth = parsed
        .birth
        .map_err(|code| issues.push(birth_date_issue(code, limits)))
        .ok();
    if !parsed.province_valid {
        issues.push(Issue::new(Code::IdRegionInvalid));
    }
    if !issues.is_empty() {
        return Some(Err(issues));
    }
    let mut value = IdValue::new(KIND, super::ascii_string(b));
    value.birth_date = birth;
    value.region = Some(region_value(parsed.province * 10_000));
    value.nationality = Some(super::ascii_string(b.get(3..6)?));
    value.jurisdiction = Some(Jurisdiction::Cn);
    Some(Ok((value, Vec::new())))
}
