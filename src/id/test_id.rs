//! Deterministic **test** ID numbers for QA, of every kind: well-formed, with a correct check
//! character, a real birth date and a division code in use where the kind has them, so they pass
//! [`check_id`](super::check_id) (format-only kinds get a number of the right format). They are
//! made up: never use one as a real person's number, and never treat a real-looking number as
//! test data because of its shape.

use super::{hk_id, mod11_2, tw_id, uscc, Gender, IdKind};
use crate::date::Date;

/// What to generate; everything not given is derived from `seed`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestIdSpec {
    /// The document kind to generate.
    pub kind: IdKind,
    /// The birth date, for the kinds that carry one; default: derived from the seed (1950–1999).
    pub birth_date: Option<Date>,
    /// The gender, for the kinds that carry one; default: derived from the seed.
    pub gender: Option<Gender>,
    /// A 6-digit division code; default: one of a few codes in use, picked by the seed.
    pub region: Option<u32>,
    /// Picks everything not given; the same spec always gives the same number.
    pub seed: u64,
}

/// Why a spec cannot be generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestIdError {
    /// The region is not a division code in use (GB/T 2260), or not a permit's code for a permit.
    RegionNotInUse,
    /// A first-generation 15-digit number can only hold a birth year in the 1900s.
    LegacyYearOutOfRange,
}

impl core::fmt::Display for TestIdError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            TestIdError::RegionNotInUse => {
                "region must be a 6-digit GB/T 2260 code in use (810000, 820000 or 830000 for a residence permit)"
            }
            TestIdError::LegacyYearOutOfRange => {
                "a 15-digit legacy number needs a birth year from 1900 to 1999"
            }
        })
    }
}

/// Division codes in use across several provinces, for the default region.
const DEFAULT_REGIONS: [u32; 8] = [
    110101, 310104, 440305, 330106, 510107, 420102, 500154, 650102,
];

/// The address codes of the Hong Kong, Macau and Taiwan residence permits.
const PERMIT_REGIONS: [u32; 3] = [810000, 820000, 830000];

/// SplitMix64: a small, well-mixed generator; the same seed always gives the same number.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `count` digits from the generator.
fn digits(state: &mut u64, count: usize) -> String {
    (0..count)
        .map(|_| char::from(b'0' + (next(state) % 10) as u8))
        .collect()
}

/// One of `choices`, picked by the generator.
fn pick<T: Copy>(state: &mut u64, choices: &[T], fallback: T) -> T {
    let index = (next(state) % choices.len().max(1) as u64) as usize;
    choices.get(index).copied().unwrap_or(fallback)
}

/// A test number for `spec`.
pub fn generate_test_id(spec: &TestIdSpec) -> Result<String, TestIdError> {
    let mut state = spec.seed;
    let permit = spec.kind == IdKind::HkMacaoTaiwanResidencePermit;

    let region = match spec.region {
        Some(code) if permit && PERMIT_REGIONS.contains(&code) => code,
        // No resident ID carries a 71 (Taiwan) or 81/82/83 code (see cn_resident).
        Some(code) if !permit && code / 10_000 < 71 && crate::division::in_use(code) => code,
        Some(_) => return Err(TestIdError::RegionNotInUse),
        None => {
            let choices: &[u32] = if permit {
                &PERMIT_REGIONS
            } else {
                &DEFAULT_REGIONS
            };
            let pick = (next(&mut state) % choices.len() as u64) as usize;
            choices.get(pick).copied().unwrap_or(110101)
        }
    };
    let birth = match spec.birth_date {
        Some(date) => date,
        None => {
            // A day from 1950-01-01 to 1999-12-31 (valid for both kinds).
            let first = Date::new(1950, 1, 1).map_or(0, Date::days_since_epoch);
            let span = 18_262;
            let offset = (next(&mut state) % span) as i64;
            Date::from_days_since_epoch(first + offset)
                .unwrap_or(Date::from_checked_parts(1980, 1, 1))
        }
    };
    let male = match spec.gender {
        Some(gender) => gender == Gender::Male,
        None => next(&mut state) % 2 == 1,
    };
    // Order code 001..=999 with the parity of the gender (odd = male).
    let order = (next(&mut state) % 499) as u32 * 2 + 1 + u32::from(!male);
    match spec.kind {
        IdKind::CnResident | IdKind::HkMacaoTaiwanResidencePermit => {
            let body = format!(
                "{region:06}{:04}{:02}{:02}{order:03}",
                birth.year(),
                birth.month(),
                birth.day()
            );
            let mut digits = [0u8; 17];
            for (d, c) in digits.iter_mut().zip(body.bytes()) {
                *d = c.wrapping_sub(b'0');
            }
            Ok(format!(
                "{body}{}",
                char::from(mod11_2::check_char(&digits))
            ))
        }
        IdKind::CnResidentLegacy => {
            if !(1900..=1999).contains(&birth.year()) {
                return Err(TestIdError::LegacyYearOutOfRange);
            }
            Ok(format!(
                "{region:06}{:02}{:02}{:02}{order:03}",
                birth.year() % 100,
                birth.month(),
                birth.day()
            ))
        }
        IdKind::ForeignPermanentResident => {
            // Province of issue from the region; nationality one of a few GB/T 2659 codes.
            let nationality = pick(&mut state, &[840u32, 826, 276, 392, 410, 643], 840);
            let body = format!(
                "9{:02}{nationality:03}{:04}{:02}{:02}{order:03}",
                region / 10_000,
                birth.year(),
                birth.month(),
                birth.day()
            );
            let mut d17 = [0u8; 17];
            for (d, c) in d17.iter_mut().zip(body.bytes()) {
                *d = c.wrapping_sub(b'0');
            }
            Ok(format!("{body}{}", char::from(mod11_2::check_char(&d17))))
        }
        IdKind::HkId => {
            let letters: String = (0..1 + next(&mut state) % 2)
                .map(|_| char::from(b'A' + (next(&mut state) % 26) as u8))
                .collect();
            let body = digits(&mut state, 6);
            let check = hk_id::check_char(letters.as_bytes(), body.as_bytes());
            Ok(format!("{letters}{body}({})", char::from(check)))
        }
        IdKind::MoId => {
            let first = pick(&mut state, &['1', '5', '7'], '1');
            let body = digits(&mut state, 6);
            let check = digits(&mut state, 1);
            Ok(format!("{first}{body}({check})"))
        }
        IdKind::TwId => {
            let letter = char::from(b'A' + (next(&mut state) % 26) as u8);
            let gender = if male { '1' } else { '2' };
            let body = format!("{letter}{gender}{}", digits(&mut state, 7));
            let mut number = [b'0'; 10];
            for (out, c) in number.iter_mut().zip(body.bytes()) {
                *out = c;
            }
            let check = tw_id::check_digit(&number).unwrap_or(b'0');
            Ok(format!("{body}{}", char::from(check)))
        }
        IdKind::HkMacaoHomeReturnPermit => {
            let letter = pick(&mut state, &['H', 'M'], 'H');
            Ok(format!("{letter}{}", digits(&mut state, 8)))
        }
        IdKind::TwMtp => Ok(digits(&mut state, 8)),
        IdKind::CnPassport => Ok(format!("E{}", digits(&mut state, 8))),
        IdKind::Uscc => {
            // Authority 9 (market regulation), type 1 (company), a division code in use, and an
            // organisation code of digits with its GB 11714 check.
            let org = digits(&mut state, 8);
            let org_check = uscc::org_check_char(org.as_bytes());
            let body = format!("91{region:06}{org}{}", char::from(org_check));
            Ok(format!(
                "{body}{}",
                char::from(uscc::check_char(body.as_bytes()))
            ))
        }
    }
}
