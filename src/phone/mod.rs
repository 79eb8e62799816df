//! Mobile numbers of mainland China (+86), Hong Kong (+852), Macau (+853) and Taiwan (+886).
//!
//! - **Mainland**: 11 digits matching `1[3-9]\d{9}` (工业和信息化部《电信网编号计划（2017年版）》).
//!   The country code may be written `+86`, `0086` or `86` before the 11 digits. The segment
//!   ([`segments`]) is looked up for a warning only: an unknown or unassigned segment is never an
//!   error. The one exception is an IoT segment (141, 144, 146, 148 in the shipped table): IoT
//!   numbers there have 13 digits, so an 11-digit number in one does not exist
//!   (`phone_segment_iot`).
//! - **Hong Kong**: 8 digits starting 4–9 (OFCA's 8-digit numbering plan: mobile numbers start
//!   with 5, 6 or 9, and since 2018 also 4, 7 or 8).
//! - **Macau**: 8 digits starting 6 (Macau's numbering plan).
//! - **Taiwan**: 9 digits starting 9 after +886, written `09xx-xxx-xxx` domestically (NCC
//!   numbering rules).
//!
//! Separators (spaces, hyphens, dots, parentheses, and their full-width forms) are removed and
//! full-width digits folded, each with a warning.
//!
//! A number written without a country code is read by [`PhoneOptions::regions`]:
//! - with **one** region, as that region's national number (mainland: 11 digits, or `86` + 11;
//!   Hong Kong and Macau: 8 digits; Taiwan: `09xx-xxx-xxx`, or the 9 digits without the trunk
//!   `0`): the caller has said where the number is from;
//! - with several, an 8-digit number could be Hong Kong or Macau, so it needs `+852` or `+853`
//!   (`phone_country_code_required`); `09` + 8 digits is Taiwan's domestic form; anything else is
//!   read as mainland.
//!
//! # Sources
//! - **`miit-numbering-2017`**: 工业和信息化部《电信网编号计划（2017年版）》: mainland mobile
//!   numbers are 11 digits starting `1`, the second digit 3 to 9; IoT numbers have 13.
//! - **`miit-segment-allocations`**: the segments MIIT has allocated under that plan
//!   ([`segments`]).
//! - **`ofca-numbering`**: Office of the Communications Authority (OFCA), Hong Kong's 8-digit
//!   numbering plan and its press release of 2018-02-05 on mobile numbers starting 4, 7 and 8.
//! - **`mo-numbering`**: Macau's telecommunications numbering plan: 8-digit mobile numbers
//!   starting 6.
//! - **`tw-ncc-numbering`**: 國家通訊傳播委員會 (NCC)《電信號碼管理辦法》: mobile numbers `09` + 8
//!   digits, 9 digits after +886.

pub mod segments;

pub use segments::{SegmentClass, SegmentTable, SegmentTableError};

use crate::id::Checked;
use crate::issue::{Code, Issue, ParamValue};
use crate::jurisdiction::Jurisdiction;

/// The longest input looked at, in characters (a formatted international number is under 25).
pub const MAX_PHONE_CHARS: usize = 32;

/// Where a mobile number belongs: the crate's one region enum ([`Jurisdiction`]), whose names
/// (`cn`, `hk`, `mo`, `tw`) are the JS `PhoneRegion`.
pub type PhoneRegion = Jurisdiction;

/// What the numbering plans of the four regions say (see the module doc).
impl PhoneRegion {
    /// The E.164 country code.
    pub const fn country_code(self) -> &'static str {
        match self {
            PhoneRegion::Cn => "86",
            PhoneRegion::Hk => "852",
            PhoneRegion::Mo => "853",
            PhoneRegion::Tw => "886",
        }
    }

    /// Digits of a national mobile number.
    const fn national_digits(self) -> usize {
        match self {
            PhoneRegion::Cn => 11,
            PhoneRegion::Hk | PhoneRegion::Mo => 8,
            PhoneRegion::Tw => 9,
        }
    }

    /// Whether a national number of the right length starts like a mobile number.
    fn mobile_prefix_ok(self, national: &[u8]) -> bool {
        matches!(
            (self, national),
            (PhoneRegion::Cn, [b'1', b'3'..=b'9', ..])
                | (PhoneRegion::Hk, [b'4'..=b'9', ..])
                | (PhoneRegion::Mo, [b'6', ..])
                | (PhoneRegion::Tw, [b'9', ..])
        )
    }

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// Options of a phone check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneOptions {
    /// Regions accepted (a valid number elsewhere gets `phone_region_not_allowed`). Default: all.
    /// With exactly one region, a number written without a country code is read as that
    /// region's national number (see the module doc).
    pub regions: Vec<PhoneRegion>,
}

impl Default for PhoneOptions {
    fn default() -> Self {
        PhoneOptions {
            regions: PhoneRegion::ALL.to_vec(),
        }
    }
}

impl PhoneOptions {
    fn allows(&self, region: PhoneRegion) -> bool {
        self.regions.iter().any(|r| r.bit() == region.bit())
    }

    /// The region when [`PhoneOptions::regions`] names exactly one (repeats allowed).
    fn single_region(&self) -> Option<PhoneRegion> {
        let first = *self.regions.first()?;
        self.regions
            .iter()
            .all(|r| r.bit() == first.bit())
            .then_some(first)
    }
}

/// A mainland number's segment, as the table in force classifies it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The matched prefix (3 to 5 digits), or the first 3 digits when unknown.
    pub prefix: String,
    /// `None` when the table does not know the segment.
    pub class: Option<SegmentClass>,
}

/// What a valid number yields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneValue {
    /// Where the number is from.
    pub region: PhoneRegion,
    /// The national significant number (Taiwan without its trunk `0`).
    pub national: String,
    /// `+` country code national number.
    pub e164: String,
    /// Mainland numbers only.
    pub segment: Option<Segment>,
}

/// The digits after removing separators and folding full-width forms, in a buffer of the longest
/// input's length: checking a number allocates nothing until its result is built.
struct Cleaned {
    /// ASCII digits, with a leading `+` kept when present: `bytes[..len]`.
    bytes: [u8; MAX_PHONE_CHARS],
    len: usize,
    separators_removed: bool,
    fullwidth: bool,
}

impl Cleaned {
    fn text(&self) -> &str {
        // Only ASCII digits and `+` are ever stored.
        self.bytes
            .get(..self.len)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    fn push(&mut self, c: u8) {
        // At most one byte per input character, and clean() refuses more than MAX_PHONE_CHARS.
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = c;
            self.len += 1;
        }
    }
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '.' | '(' | ')' | '\u{00A0}' | '\u{3000}' | '\u{2010}'
            ..='\u{2015}' | '\u{2212}'
    ) || c.is_whitespace()
}

fn clean(input: &str) -> Result<Cleaned, Issue> {
    if input.len() > MAX_PHONE_CHARS * 4 || input.chars().count() > MAX_PHONE_CHARS {
        return Err(
            Issue::new(Code::PhoneTooLong).with("max", ParamValue::Int(MAX_PHONE_CHARS as i64))
        );
    }
    let mut out = Cleaned {
        bytes: [0; MAX_PHONE_CHARS],
        len: 0,
        separators_removed: false,
        fullwidth: false,
    };
    for (index, c) in input.chars().enumerate() {
        // Full-width forms U+FF01..=U+FF5E map one-to-one onto ASCII.
        let folded = match c {
            '\u{FF01}'..='\u{FF5E}' => {
                out.fullwidth = true;
                char::from_u32(u32::from(c) - 0xFF01 + 0x21).unwrap_or(c)
            }
            _ => c,
        };
        match folded {
            '0'..='9' => out.push(u8::try_from(folded).unwrap_or(b'0')),
            '+' if out.len == 0 => out.push(b'+'),
            c if is_separator(c) => out.separators_removed = true,
            _ => {
                return Err(Issue::new(Code::PhoneInvalidCharacter)
                    .with("position", ParamValue::Int(index as i64 + 1)))
            }
        }
    }
    if out.len == 0 || out.text() == "+" {
        return Err(Issue::new(Code::PhoneEmpty));
    }
    Ok(out)
}

/// Splits a country code off `digits` written after `+` or `00`.
fn split_country_code(digits: &str) -> Result<(PhoneRegion, &str), Issue> {
    for region in [
        PhoneRegion::Hk,
        PhoneRegion::Mo,
        PhoneRegion::Tw,
        PhoneRegion::Cn,
    ] {
        if let Some(rest) = digits.strip_prefix(region.country_code()) {
            return Ok((region, rest));
        }
    }
    Err(Issue::new(Code::PhoneCountryCodeUnsupported))
}

/// The region and national number, from the cleaned digits. `single` is the only region the
/// caller accepts, if there is just one: a number without a country code is then that region's.
fn locate(text: &str, single: Option<PhoneRegion>) -> Result<(PhoneRegion, &str), Issue> {
    if let Some(international) = text.strip_prefix('+') {
        return split_country_code(international);
    }
    if let Some(international) = text.strip_prefix("00") {
        return split_country_code(international);
    }
    // `86` + 11 mainland digits, and Taiwan's domestic `09xx-xxx-xxx` (trunk prefix 0).
    let mainland_with_code = text.len() == 13 && text.starts_with("861");
    let taiwan_domestic = text.len() == 10 && text.starts_with("09");
    match single {
        Some(PhoneRegion::Cn) | None if mainland_with_code => {
            Ok((PhoneRegion::Cn, text.get(2..).unwrap_or(text)))
        }
        Some(PhoneRegion::Tw) | None if taiwan_domestic => {
            Ok((PhoneRegion::Tw, text.get(1..).unwrap_or(text)))
        }
        Some(region) => Ok((region, text)),
        None if text.len() == 8 => Err(Issue::new(Code::PhoneCountryCodeRequired)),
        None => Ok((PhoneRegion::Cn, text)),
    }
}

/// Checks one mobile number with the shipped segment table.
pub fn check_phone(input: &str, options: &PhoneOptions) -> Result<Checked<PhoneValue>, Vec<Issue>> {
    check_phone_with(input, options, SegmentTable::default_table())
}

/// Checks one mobile number with a given segment table (e.g. one the backend sent).
pub fn check_phone_with(
    input: &str,
    options: &PhoneOptions,
    segments: &SegmentTable,
) -> Result<Checked<PhoneValue>, Vec<Issue>> {
    let cleaned = clean(input).map_err(|issue| vec![issue])?;
    let (region, national, looked_up) =
        decide(&cleaned, options, segments).map_err(|issue| vec![issue])?;
    let mut warnings = Vec::new();
    if cleaned.separators_removed {
        warnings.push(Issue::new(Code::PhoneSeparatorsRemoved));
    }
    if cleaned.fullwidth {
        warnings.push(Issue::new(Code::PhoneFullwidthFolded));
    }
    let segment = (region == PhoneRegion::Cn).then(|| match looked_up {
        Some((prefix, class)) => {
            match class {
                SegmentClass::Unassigned => warnings.push(Issue::new(Code::PhoneSegmentUnassigned)),
                SegmentClass::DataOnly => warnings.push(Issue::new(Code::PhoneDataOnly)),
                _ => {}
            }
            Segment {
                prefix: prefix.to_string(),
                class: Some(class),
            }
        }
        None => {
            warnings.push(Issue::new(Code::PhoneSegmentUnknown));
            Segment {
                prefix: national.get(..3).unwrap_or(national).to_string(),
                class: None,
            }
        }
    });
    Ok(Checked {
        value: PhoneValue {
            region,
            national: national.to_string(),
            e164: format!("+{}{}", region.country_code(), national),
            segment,
        },
        warnings,
    })
}

/// Whether the number is valid with the shipped segment table: the same rules as
/// [`check_phone`] (`is_valid_phone(s, o) == check_phone(s, o).is_ok()`), without building a
/// result: no allocation for a valid number. For bulk work.
pub fn is_valid_phone(input: &str, options: &PhoneOptions) -> bool {
    is_valid_phone_with(input, options, SegmentTable::default_table())
}

/// [`is_valid_phone`] with a given segment table, as [`check_phone_with`].
pub fn is_valid_phone_with(input: &str, options: &PhoneOptions, segments: &SegmentTable) -> bool {
    clean(input).is_ok_and(|cleaned| decide(&cleaned, options, segments).is_ok())
}

/// A valid number's region, national number, and segment (prefix and class) when the table knows it.
type Decided<'c> = (PhoneRegion, &'c str, Option<(&'c str, SegmentClass)>);

/// The rules that make a cleaned number valid or not, shared by [`check_phone_with`] and
/// [`is_valid_phone_with`]: its region and national number, and a mainland number's segment as
/// the table knows it, or the first issue.
fn decide<'c>(
    cleaned: &'c Cleaned,
    options: &PhoneOptions,
    segments: &SegmentTable,
) -> Result<Decided<'c>, Issue> {
    let (region, national) = locate(cleaned.text(), options.single_region())?;
    let region_param = ParamValue::Str(region.as_str());
    let expected = region.national_digits();
    if national.len() != expected {
        return Err(Issue::new(Code::PhoneInvalidLength)
            .with("region", region_param)
            .with("expected", ParamValue::Int(expected as i64))
            .with("length", ParamValue::Int(national.len() as i64)));
    }
    if !region.mobile_prefix_ok(national.as_bytes()) {
        return Err(Issue::new(Code::PhoneInvalidPrefix).with("region", region_param));
    }
    if !options.allows(region) {
        return Err(Issue::new(Code::PhoneRegionNotAllowed).with("region", region_param));
    }
    let looked_up = if region == PhoneRegion::Cn {
        segments.lookup(national)
    } else {
        None
    };
    if let Some((_, SegmentClass::Iot)) = looked_up {
        return Err(Issue::new(Code::PhoneSegmentIot));
    }
    Ok((region, national, looked_up))
}
