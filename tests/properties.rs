//! Property tests: generated valid IDs pass, every single error a MOD 11-2 check must catch is
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![cfg(not(target_arch = "wasm32"))]
//! caught, and no input of any kind makes the check panic (a panic in wasm is a trap).

use proptest::prelude::*;
use shiming::{check_id, check_id_batch, is_valid_id, BatchChecker, BatchReport, Date, IdOptions};

fn options() -> IdOptions {
    IdOptions::new(Date::new(2026, 11, 28).unwrap())
}

/// Region codes in use today, from several provinces.
const REGIONS: [&str; 12] = [
    "110101", "110105", "310104", "440305", "500154", "330106", "510107", "650102", "230102",
    "460108", "810000", "820000",
];

fn check_char(d17: &[u8]) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = d17
        .iter()
        .zip(W)
        .map(|(&c, w)| u32::from(c - b'0') * w)
        .sum();
    char::from(b"10X98765432"[(sum % 11) as usize])
}

prop_compose! {
    /// A valid 18-character ID: real region, real date 1930..=2024, any order code.
    fn valid_id()(region in 0..REGIONS.len(), days in 0i64..(95 * 365), order in 0u32..1000) -> String {
        let birth = Date::from_days_since_epoch(Date::new(1930, 1, 1).unwrap().days_since_epoch() + days).unwrap();
        let d17 = format!("{}{:04}{:02}{:02}{:03}", REGIONS[region], birth.year(), birth.month(), birth.day(), order);
        let check = check_char(d17.as_bytes());
        format!("{d17}{check}")
    }
}

const ALPHABET: &[u8] = b"0123456789X";

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn generated_valid_ids_pass(id in valid_id()) {
        let checked = check_id(&id, &options());
        prop_assert!(checked.is_ok(), "{:?}", checked.err());
        prop_assert!(is_valid_id(&id, &options()));
        prop_assert_eq!(check_id_batch(id.as_bytes(), &options()).valid, 1);
    }

    #[test]
    fn every_single_substitution_fails(id in valid_id(), position in 0usize..18, replacement in 0usize..11) {
        let mut bytes = id.into_bytes();
        let new = ALPHABET[replacement];
        prop_assume!(bytes[position] != new);
        bytes[position] = new;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(check_id(&changed, &options()).is_err());
        prop_assert!(!is_valid_id(&changed, &options()));
    }

    #[test]
    fn every_adjacent_transposition_fails(id in valid_id(), position in 0usize..17) {
        let mut bytes = id.into_bytes();
        prop_assume!(bytes[position] != bytes[position + 1]);
        bytes.swap(position, position + 1);
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(check_id(&changed, &options()).is_err());
        prop_assert!(!is_valid_id(&changed, &options()));
    }

    #[test]
    fn arbitrary_unicode_never_panics_and_paths_agree(input in "\\PC{0,40}") {
        let full = check_id(&input, &options());
        prop_assert_eq!(is_valid_id(&input, &options()), full.is_ok());
        if !input.contains(['\n', '\r']) && !input.is_empty() {
            let report = check_id_batch(input.as_bytes(), &options());
            prop_assert_eq!(report.total, 1);
            let expected = full.as_ref().err().map(|issues| issues[0].code);
            prop_assert_eq!(BatchReport::code_of_status(report.status[0]), expected);
        }
    }

    #[test]
    fn multibyte_characters_at_every_position(id in valid_id(), position in 0usize..19, c in any::<char>()) {
        let mut chars: Vec<char> = id.chars().collect();
        chars.insert(position.min(chars.len()), c);
        let s: String = chars.into_iter().collect();
        let full = check_id(&s, &options());
        prop_assert_eq!(is_valid_id(&s, &options()), full.is_ok());
        // Replacing instead of inserting.
        let mut chars: Vec<char> = id.chars().collect();
        if position < chars.len() { chars[position] = c; }
        let s: String = chars.into_iter().collect();
        prop_assert_eq!(is_valid_id(&s, &options()), check_id(&s, &options()).is_ok());
    }

    /// The batch's birth dates are the full check's, line by line: valid mainland numbers as
    /// written (the fast path), with spaces or full-width digits, 15-digit ones, other kinds
    /// (a Hong Kong ID carries no birth date: 0), invalid lines (0), and lines fed in pieces.
    #[test]
    fn batch_birth_dates_are_the_full_checks(
        lines in proptest::collection::vec(prop_oneof![
            valid_id(),
            valid_id().prop_map(|id| format!(" {}", id.replace('0', "０"))),
            valid_id().prop_map(|id| {
                let (address, rest) = id.split_at_checked(6).unwrap_or_default();
                let (birth, order) = rest.split_at_checked(8).unwrap_or_default();
                format!("{address} {birth} {order}")
            }),
            "[0-9Xx ]{15,19}",
            Just("110105491231002".to_string()),
            Just("A123456(3)".to_string()),
            Just("932682198501010017".to_string()),
            "\\PC{0,8}",
        ], 0..12),
        cut in any::<prop::sample::Index>(),
    ) {
        let text = lines.join("\n").into_bytes();
        let options = options().with_kinds(shiming::KindSet::all());
        let mut checker = BatchChecker::new(&options).with_birth_dates();
        let point = cut.index(text.len() + 1);
        let consumed = checker.feed(&text[..point]);
        let mut rest = text[consumed..point].to_vec();
        let consumed = checker.feed(&[rest.as_slice(), &text[point..]].concat());
        rest = [rest.as_slice(), &text[point..]].concat()[consumed..].to_vec();
        let report = checker.finish(&rest);
        let dates = report.birth_dates.clone().unwrap();
        prop_assert_eq!(dates.len(), report.status.len());
        let expected: Vec<u32> = String::from_utf8_lossy(&text)
            .split('\n')
            .take(report.status.len())
            .map(|line| match check_id(line.strip_suffix('\r').unwrap_or(line), &options) {
                Ok(checked) => checked.value.birth_date.map_or(0, Date::ymd),
                Err(_) => 0,
            })
            .collect();
        prop_assert_eq!(dates, expected);
        // Without asking, no dates, and the same statuses.
        let plain = check_id_batch(&text, &options);
        prop_assert_eq!(plain.birth_dates, None);
        prop_assert_eq!(plain.status, report.status);
    }

    #[test]
    fn arbitrary_bytes_in_batches_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let report = check_id_batch(&bytes, &options());
        prop_assert_eq!(report.total as usize, report.status.len());
        prop_assert_eq!(report.valid + report.invalid, report.total);
    }

    #[test]
    fn batches_fed_in_pieces_match_one_piece(
        lines in proptest::collection::vec(prop_oneof![
            valid_id(),
            "[0-9Xx \r]{0,20}",
            "\\PC{0,8}",
            "[0-9]{250,300}",
        ], 0..12),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let text = lines.join("\n").into_bytes();
        let whole = check_id_batch(&text, &options());
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(text.len() + 1)).collect();
        points.sort_unstable();
        let options = options();
        let mut checker = BatchChecker::new(&options);
        let mut buffer = Vec::new();
        let mut start = 0;
        for end in points.into_iter().chain([text.len()]) {
            buffer.extend_from_slice(&text[start..end]);
            let consumed = checker.feed(&buffer);
            buffer.drain(..consumed);
            start = end;
        }
        prop_assert_eq!(checker.finish(&buffer), whole);
    }
}
