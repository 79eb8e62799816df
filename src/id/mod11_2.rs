//! ISO 7064 MOD 11-2, the check character of GB 11643-1999 (and of the 2023 foreign permanent
//! resident card).
//!
//! Weights are 2^(18-i) mod 11 for positions i = 1..17: 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2.
//! The check character is `"10X98765432"[Σ mod 11]`.
//!
//! # Sources
//! - **`iso-iec-7064`**: ISO 7064 MOD 11-2: the weights 2^(n−1) mod 11 and the check value
//!   (12 − Σ mod 11) mod 11, with 10 written `X`.
//! - **`gb-11643-1999`**: GB 11643-1999《公民身份号码》 prescribes MOD 11-2 for the resident ID's
//!   check character, and lists the weights and the table above.
//! - **`nia-2023-fpr-card`**: the 2023 permanent residence card's number takes the same check
//!   character as the resident ID.

/// Weights of positions 1..=17.
pub const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The check character for each value of Σ mod 11.
const CHECK_CHARS: [u8; 11] = *b"10X98765432";

/// The check character (ASCII `0`-`9` or `X`) for 17 digit values (each 0..=9).
pub fn check_char(digits: &[u8; 17]) -> u8 {
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS.iter())
        .map(|(&d, &w)| u32::from(d) * w)
        .sum();
    check_char_for_sum(sum)
}

/// The largest weighted sum of 17 digits: 9 × Σ weights = 9 × 100.
pub const MAX_SUM: u32 = 900;

/// Sums index this table masked to 10 bits (1024 > [`MAX_SUM`]), so the lookup needs neither a
/// modulo nor a bounds check.
const SUM_MASK: u32 = 1023;

/// The check character for every sum up to [`SUM_MASK`].
// Evaluated at compile time: an out-of-bounds index would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
static CHECK_BY_SUM: [u8; SUM_MASK as usize + 1] = {
    let mut table = [0u8; SUM_MASK as usize + 1];
    let mut sum = 0;
    while sum <= SUM_MASK as usize {
        table[sum] = CHECK_CHARS[sum % 11];
        sum += 1;
    }
    table
};

/// The check character for a weighted sum.
#[inline(always)]
pub fn check_char_for_sum(sum: u32) -> u8 {
    if sum <= SUM_MASK {
        // `sum & SUM_MASK == sum` here; the mask lets the compiler drop the bounds check.
        CHECK_BY_SUM
            .get((sum & SUM_MASK) as usize)
            .copied()
            .unwrap_or(b'?')
    } else {
        // Only reachable with non-digit input: still the right answer, just slower.
        CHECK_CHARS
            .get((sum % 11) as usize)
            .copied()
            .unwrap_or(b'?')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> [u8; 17] {
        let mut out = [0u8; 17];
        for (o, c) in out.iter_mut().zip(s.bytes()) {
            *o = c - b'0';
        }
        out
    }

    #[test]
    fn standard_examples() {
        assert_eq!(check_char(&digits("11010519491231002")), b'X');
        assert_eq!(check_char(&digits("44052418800101001")), b'4');
    }
}
