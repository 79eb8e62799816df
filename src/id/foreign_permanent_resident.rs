//! Foreigner's Permanent Residence ID card number (外国人永久居留身份证号码).
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

use super::cn_resident::{birth_date_issue, check_birth_date};
use super::{format_only, mod11_2, region_value, IdKind, IdValue, KindResult, Limits};
use crate::division;
use crate::issue::{Code, Issue, ParamValue};

const KIND: IdKind = IdKind::ForeignPermanentResident;

/// Checks `b` as a permanent residence ID; `None` if it has the shape of neither card.
pub(crate) fn check(b: &[u8], limits: &Limits) -> Option<(IdKind, KindResult)> {
    if let Ok(b18) = <&[u8; 18]>::try_from(b) {
        return check_2023(b18, limits).map(|result| (KIND, result));
    }
    let (letters, digits) = b.split_at_checked(3)?;
    if digits.len() != 12
        || !letters.iter().all(u8::is_ascii_uppercase)
        || !digits.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let mut value = IdValue::new(KIND, super::ascii_string(b));
    value.nationality = Some(letters.iter().map(|&c| char::from(c)).collect());
    value.jurisdiction = Some("cn");
    Some((KIND, Ok((value, vec![format_only(KIND)]))))
}

fn number(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |acc, &d| acc * 10 + u32::from(d))
}

/// The fields of an 18-character input of the 2023 card's shape (`9` and 17 digits, then a digit
/// or `X`), read once for both the full check and the fast path.
struct Parsed2023 {
    check: u8,
    expected_check: u8,
    birth_ymd: (u32, u32, u32),
    province: u32,
}

impl Parsed2023 {
    fn parse(b: &[u8; 18]) -> Option<Parsed2023> {
        let (body, check) = b.split_at(17);
        let check = *check.first()?;
        if body.first() != Some(&b'9')
            || !body.iter().all(u8::is_ascii_digit)
            || !(check.is_ascii_digit() || check == b'X')
        {
            return None;
        }
        let mut digits = [0u8; 17];
        for (d, c) in digits.iter_mut().zip(body) {
            *d = c - b'0';
        }
        Some(Parsed2023 {
            check,
            expected_check: mod11_2::check_char(&digits),
            birth_ymd: (
                number(digits.get(6..10)?),
                number(digits.get(10..12)?),
                number(digits.get(12..14)?),
            ),
            province: number(digits.get(1..3)?),
        })
    }

    fn province_valid(&self) -> bool {
        division::is_province(self.province) && self.province < 81
    }
}

/// The first issue [`check`] reports for an 18-character input of the 2023 card's shape,
/// `Some(None)` if valid; `None` if not of that shape. No allocation.
pub(crate) fn first_code_2023(b: &[u8; 18], limits: &Limits) -> Option<Option<Code>> {
    let parsed = Parsed2023::parse(b)?;
    if parsed.check != parsed.expected_check {
        return Some(Some(Code::IdChecksumMismatch));
    }
    if let Err(code) = check_birth_date(parsed.birth_ymd, limits) {
        return Some(Some(code));
    }
    if !parsed.province_valid() {
        return Some(Some(Code::IdRegionInvalid));
    }
    Some(None)
}

fn check_2023(b: &[u8; 18], limits: &Limits) -> Option<KindResult> {
    let parsed = Parsed2023::parse(b)?;
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
    let birth = check_birth_date(parsed.birth_ymd, limits)
        .map_err(|code| issues.push(birth_date_issue(code, limits)))
        .ok();
    if !parsed.province_valid() {
        issues.push(Issue::new(Code::IdRegionInvalid));
    }
    if !issues.is_empty() {
        return Some(Err(issues));
    }
    let mut value = IdValue::new(KIND, super::ascii_string(b));
    value.birth_date = birth;
    value.region = Some(region_value(parsed.province * 10_000));
    value.nationality = Some(super::ascii_string(b.get(3..6)?));
    value.jurisdiction = Some("cn");
    Some(Ok((value, Vec::new())))
}
