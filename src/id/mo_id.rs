//! Macau resident identity card number (澳門居民身份證編號, BIR).
//!
//! **Layout**: `1`, `5` or `7`, six digits, and a check digit, usually printed with the check digit
//! in brackets: `1234567(8)`. Accepted written forms: `1234567(8)`, `12345678`, and a space before
//! the bracket.
//!
//! **Check**: the issuer (身份證明局, Direcção dos Serviços de Identificação) publishes no
//! algorithm for the check digit, so only the format is checked, and the result says so with the
//! warning `id_format_only`.
//!
//! **What it yields**: the printed form `1234567(8)`.
//!
//! # Sources
//! - **`mo-law-8-2002`**: 第8/2002號法律《澳門特別行政區居民身份證制度》 (2002-08-05, amended by
//!   第11/2023號法律) and 第23/2002號行政法規: the card and its issuer. Neither gives the number's
//!   check algorithm; the layout checked is the one printed on issued cards.

use super::{format_only, IdKind, IdValue, KindResult};

/// Checks `b` as a Macau ID; `None` if it does not have the shape of one.
pub(crate) fn check(b: &[u8]) -> Option<(IdKind, KindResult)> {
    let (body, rest) = b.split_at_checked(7)?;
    if !matches!(body.first(), Some(b'1' | b'5' | b'7')) || !body.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let check = super::written_check_character(rest)?;
    if !check.is_ascii_digit() {
        return None;
    }
    let mut printed: String = body.iter().map(|&c| char::from(c)).collect();
    printed.push('(');
    printed.push(char::from(check));
    printed.push(')');
    let mut value = IdValue::new(IdKind::MoId, printed);
    value.jurisdiction = Some("mo");
    Some((IdKind::MoId, Ok((value, vec![format_only(IdKind::MoId)]))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_forms() {
        for form in [
            &b"1234567(8)"[..],
            b"12345678",
            b"5234567 (8)",
            b"7234567(0)",
        ] {
            assert!(matches!(check(form), Some((_, Ok(_)))), "{form:?}");
        }
        for not_mo in [
            &b"2234567(8)"[..],
            b"1234567(A)",
            b"123456(7)",
            b"1234567[8]",
        ] {
            assert!(check(not_mo).is_none(), "{not_mo:?}");
        }
    }
}
