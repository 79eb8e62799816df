//! [`check_id`](super::check_id)'s value for the commonest input, without detection: a valid
//! resident ID typed exactly as its normalised form (18 ASCII characters, an uppercase `X`),
//! decided by the batch's quick path ([`Quick`], which decides valid resident IDs exactly as
//! detection does; its tests compare the two). What it returns is what `check_id` returns for the
//! same input and options, field for field, with no warning: the bindings build the JS result
//! from it without the general path's allocations (issue 19, item 3).

use super::batch::Quick;
use super::{Gender, IdKind, IdOptions};
use crate::date::Date;

/// The fields of a valid resident ID that [`check_resident_quick`] decided. The rest of
/// `check_id`'s value follows: kind [`IdKind::CnResident`], the input as the normalised form,
/// jurisdiction [`Jurisdiction::Cn`](crate::jurisdiction::Jurisdiction::Cn), no warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuickResident {
    /// Places 7 to 14.
    pub birth_date: Date,
    /// Place 17: odd for a man.
    pub gender: Gender,
    /// Places 1 to 6, a division code in use.
    pub region: u32,
}

/// `Some` when `input` is a valid resident ID that `check_id` would return with no warning under
/// `options`; `None` when `check_id` must decide (anything else, and the rarer valid numbers:
/// a leap day, a code no longer in use, ...). Never allocates.
pub fn check_resident_quick(input: &[u8], options: &IdOptions) -> Option<QuickResident> {
    let digits = <&[u8; 18]>::try_from(input).ok()?;
    // An 18-character credit code can be valid too: check_id then warns that the kind is
    // ambiguous.
    if options.kinds.contains(IdKind::Uscc) {
        return None;
    }
    // A permanent residence card's number starts with 9 (no province does): the quick path
    // decides its verdict too, which is not a resident ID's.
    if digits.first() == Some(&b'9') {
        return None;
    }
    let mut line = [b'\n'; 19];
    for (to, &from) in line.iter_mut().zip(digits) {
        *to = from;
    }
    if Quick::new(options).decide(&line)? != 0 {
        return None;
    }
    // The quick path passed 17 digits, so every place read here is a digit.
    let number = |from: usize, to: usize| {
        digits.get(from..to).map_or(0, |places| {
            places
                .iter()
                .fold(0u32, |n, &c| n * 10 + u32::from(c.wrapping_sub(b'0')))
        })
    };
    Some(QuickResident {
        birth_date: Date::new(number(6, 10), number(10, 12), number(12, 14))?,
        gender: if number(16, 17) % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        },
        region: number(0, 6),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::id::batch::tests::{edge_lines, option_sets, random_lines};
    use crate::id::{check_id, generate_test_id, region_value, KindSet, TestIdSpec};
    use crate::jurisdiction::Jurisdiction;

    /// The batch's edge and random lines (its quick path's every condition), detection's inputs
    /// of every kind with edits, and valid resident IDs.
    fn inputs() -> Vec<String> {
        let mut out: Vec<Vec<u8>> = crate::id::detect::tests::inputs();
        out.extend(edge_lines());
        out.extend(random_lines(40_000));
        for seed in 0..3_000 {
            let spec = TestIdSpec {
                kind: IdKind::CnResident,
                birth_date: None,
                gender: None,
                region: None,
                seed: 1_000 + seed,
            };
            out.extend(generate_test_id(&spec).map(String::into_bytes));
        }
        out.into_iter()
            .filter_map(|line| String::from_utf8(line).ok())
            .collect()
    }

    #[test]
    fn the_quick_value_is_check_ids() {
        let inputs = inputs();
        let mut decided = 0;
        for options in option_sets() {
            for input in &inputs {
                let Some(quick) = check_resident_quick(input.as_bytes(), &options) else {
                    continue;
                };
                decided += 1;
                let checked = check_id(input, &options).unwrap_or_else(|e| {
                    panic!("{input}: quick valid, check_id refuses {e:?} under {options:?}")
                });
                assert!(checked.warnings.is_empty(), "{input}: {checked:?}");
                let v = &checked.value;
                assert_eq!(v.kind, IdKind::CnResident, "{input}");
                assert_eq!(v.normalized, *input);
                assert_eq!(v.birth_date, Some(quick.birth_date), "{input}");
                assert_eq!(v.gender, Some(quick.gender), "{input}");
                assert_eq!(v.region, Some(region_value(quick.region)), "{input}");
                assert_eq!(v.jurisdiction, Some(Jurisdiction::Cn), "{input}");
                assert_eq!((v.upgraded.as_ref(), v.nationality.as_ref()), (None, None));
            }
        }
        assert!(decided > 20_000, "decided {decided}");
    }

    #[test]
    fn the_commonest_valid_numbers_are_decided() {
        let options = IdOptions::new(Date::new(2026, 11, 28).unwrap());
        assert!(check_resident_quick(b"11010519491231002X", &options).is_some());
        assert!(check_resident_quick(b"11010519491231002x", &options).is_none());
        assert!(check_resident_quick(b" 11010519491231002X", &options).is_none());
        let all = options.clone().with_kinds(KindSet::all());
        assert!(check_resident_quick(b"11010519491231002X", &all).is_none());
    }
}
