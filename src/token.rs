//! Identifiers the package makes for its records: receipt ids, registration ids and idempotency
//! keys. Each starts with the time it was made, so that a server's indexes on them grow at their
//! end instead of at random places.
//!
//! # Sources
//! - **`rfc-9562`**: RFC 9562, *Universally Unique IDentifiers (UUIDs)* (IETF, 2024-05), §5.7:
//!   UUID version 7, 48 bits of Unix time in milliseconds, then the version, the variant and 74
//!   random bits.
//!
//! Why the time: a B-tree index on random keys writes one page at a random place for every new
//! key, and with SQLite in WAL mode each such page is written twice (the log, then the
//! checkpoint). Measured with the reference server and 100,000 accounts: the disk writes of a
//! complete registration fell from about 116 KiB to about 68 KiB when its receipt ids, its
//! registration id and its idempotency keys were time-ordered, and the registrations a second
//! rose by a quarter or more (`bench/README.md`). The ids stay unguessable (at least 74 random
//! bits), and say no more than when a record was made, which the record says anyway.
//!
//! None of their parts is 11, 15 or 18 characters long, so no id is ever taken for a phone or an
//! ID number ([`looks_like_personal_number`]).

/// The 12 lowercase hex digits of `now_ms` (Unix time in milliseconds, the low 48 bits).
pub fn time_hex(now_ms: u64) -> String {
    format!("{:012x}", now_ms & 0xffff_ffff_ffff)
}

/// A UUID version 7 (RFC 9562 §5.7) made from a random one (version 4, 36 characters, as
/// `crypto.randomUUID()` gives): its first 48 bits become the time `now_ms`, its version nibble 7;
/// its 74 other random bits and its variant stay. `None` for a text that is not 36 characters.
pub fn uuid_v7(now_ms: u64, random_uuid: &str) -> Option<String> {
    let time = time_hex(now_ms);
    match (time.get(..8), time.get(8..), random_uuid.get(15..)) {
        (Some(high), Some(low), Some(rest)) if random_uuid.len() == 36 => {
            Some(format!("{high}-{low}-7{rest}"))
        }
        _ => None,
    }
}

/// Whether a reference holds something shaped like a personal number: a mainland resident ID
/// (18 characters, or the 15-digit first generation) or a mainland mobile number, as the whole
/// value or as one of its `. _ : -` separated parts. A hex digest or a UUID never has that shape.
pub fn looks_like_personal_number(s: &str) -> bool {
    s.split(['.', '_', ':', '-']).any(|part| {
        let digits = part.bytes().filter(u8::is_ascii_digit).count();
        let last = part.bytes().last();
        match part.len() {
            18 => digits >= 17 && matches!(last, Some(b'0'..=b'9' | b'X' | b'x')),
            15 => digits == 15,
            11 => digits == 11 && part.starts_with('1'),
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_v7_has_the_time_the_version_and_the_random_bits() {
        let random = "9b2f4c1e-0d7a-4e55-a1c8-aa02f4e0b7d3";
        let id = uuid_v7(0x0193_b5c2_a1f0, random);
        assert_eq!(id.as_deref(), Some("0193b5c2-a1f0-7e55-a1c8-aa02f4e0b7d3"));
        // Later is greater, as text, whatever the random bits.
        let ffff = "ffffffff-ffff-4fff-bfff-ffffffffffff";
        let zero = "00000000-0000-4000-8000-000000000000";
        assert!(uuid_v7(1_800_000_000_000, zero) > uuid_v7(1_799_999_999_999, ffff));
        assert_eq!(uuid_v7(1, "short"), None);
        assert_eq!(
            uuid_v7(1, "é".repeat(18).as_str()),
            None,
            "not on a char boundary"
        );
        assert_eq!(time_hex(1), "000000000001");
    }
}
