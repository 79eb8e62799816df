//! Masks of ID and phone numbers hide at least half of the significant characters, and never
//! fewer than four (all of a shorter number), whatever the options: a mask that hides one digit
//! lets a server's "already registered" answer recover the number in 10 requests.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use shiming::mask::min_hidden;
use shiming::{mask_id, mask_phone, MaskOptions};

/// `max(⌈n/2⌉, min(4, n))`, written out here rather than taken from the crate.
fn required_hidden(n: usize) -> usize {
    n.div_ceil(2).max(n.min(4))
}

fn hidden(masked: &str, mask_char: char) -> usize {
    masked.chars().filter(|&c| c == mask_char).count()
}

#[test]
fn the_short_masks_that_leaked_are_gone() {
    // Each of these hid 1 to 4 characters before.
    for (input, masked) in [
        ("E12345678", "E1*****78"),
        ("H12345678", "H1*****78"),
        ("12345678", "12****78"),
    ] {
        assert_eq!(mask_id(input, &MaskOptions::ID), masked);
    }
    assert_eq!(
        mask_phone("+852 9123 4567", &MaskOptions::PHONE),
        "+852 91****67"
    );
    assert_eq!(
        mask_phone("13812345678", &MaskOptions::PHONE),
        "13*******78"
    );
    // The familiar long form of a resident ID meets the rule and stays.
    assert_eq!(
        mask_id("11010519491231002X", &MaskOptions::ID),
        "1101**********002X"
    );
    for n in 0..=64 {
        assert_eq!(min_hidden(n), required_hidden(n), "{n}");
    }
}

fn options() -> impl Strategy<Value = MaskOptions> {
    (
        0usize..=64,
        0usize..=64,
        prop::sample::select(vec!['*', '•', 'x']),
    )
        .prop_map(|(keep_start, keep_end, mask_char)| MaskOptions {
            keep_start,
            keep_end,
            mask_char,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, .. ProptestConfig::default() })]

    /// Every length from 1 to 64 (each prefix of a random 64-character number), with the default
    /// and with random options.
    #[test]
    fn id_masks_hide_half_and_at_least_four(
        number in "[0-9A-Z]{64}",
        custom in options(),
    ) {
        for n in 1..=64 {
            let prefix: String = number.chars().take(n).collect();
            for options in [MaskOptions::ID, MaskOptions::PHONE, custom] {
                let masked = mask_id(&prefix, &options);
                prop_assert_eq!(masked.chars().count(), n);
                prop_assert!(
                    hidden(&masked, options.mask_char) >= required_hidden(n),
                    "{} -> {} ({:?})", prefix, masked, options
                );
            }
        }
    }

    /// The same for phone input: numbers that parse (then `n` is the national number's length) and
    /// digit strings of every length that do not, with separators that are not counted.
    #[test]
    fn phone_masks_hide_half_and_at_least_four(
        digits in "[0-9]{64}",
        custom in options(),
        with_plus in any::<bool>(),
    ) {
        for n in 1..=64 {
            let prefix: String = digits.chars().take(n).collect();
            let spaced: String = prefix
                .chars()
                .enumerate()
                .flat_map(|(i, c)| (i % 4 == 3).then_some(' ').into_iter().chain([c]))
                .collect();
            let input = if with_plus { format!("+{spaced}") } else { spaced };
            for options in [MaskOptions::PHONE, custom] {
                let masked = mask_phone(&input, &options);
                let national = shiming::check_phone(&input, &shiming::PhoneOptions::default())
                    .map(|checked| checked.value.national.len());
                let significant = national.unwrap_or(n);
                prop_assert!(
                    hidden(&masked, options.mask_char) >= required_hidden(significant),
                    "{} -> {} ({:?})", input, masked, options
                );
            }
        }
    }

    /// Valid mainland, Hong Kong and Macau numbers, written with a country code. (Mainland numbers
    /// from segments 13x, 15x, 18x, 19x: 14x holds the IoT segments, which are refused, and a
    /// refused number is masked as a whole by the generic rule above.)
    #[test]
    fn valid_phone_masks_hide_half_and_at_least_four(
        cn in "1[3589][0-9]{9}",
        hk in "[4-9][0-9]{7}",
        custom in options(),
    ) {
        for input in [cn.clone(), format!("+86 {cn}"), format!("+852 {hk}"), hk.clone()] {
            for options in [MaskOptions::PHONE, custom] {
                let masked = mask_phone(&input, &options);
                let national = masked.rsplit(' ').next().unwrap();
                prop_assert!(
                    hidden(national, options.mask_char) >= required_hidden(national.chars().count()),
                    "{} -> {}", input, masked
                );
            }
        }
    }
}
