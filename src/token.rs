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
//! ID number ([`crate::consent::receipt::looks_like_personal_number`]).

/// The 12 lowercase hex digits of `now_ms` (Unix time in milliseconds, the low 48 bits).
pub fn time_hex(now_ms: u64) -> String {
    format!("{:012x}", now_ms & 0xffff_ffff_ffff)
}

/// A UUID version 7 (RFC 9562 §5.7) from the time and 96 random bits (of which 74 are used):
/// `tttttttt-tttt-7rrr-vrrr-rrrrrrrrrrrr`, lowercase.
pub fn uuid_v7(now_ms: u64, random: [u32; 3]) -> String {
    let time = now_ms & 0xffff_ffff_ffff;
    let rand_a = random[0] & 0x0fff;
    let rand_b = (u64::from(random[1] & 0x3fff_ffff) << 32) | u64::from(random[2]);
    let variant_and_b = 0x8000_0000_0000_0000u64 | rand_b;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        time >> 16,
        time & 0xffff,
        0x7000 | rand_a,
        variant_and_b >> 48,
        variant_and_b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_v7_has_the_time_the_version_and_the_variant() {
        let id = uuid_v7(0x0193_b5c2_a1f0, [0xffff_ffff; 3]);
        assert_eq!(id, "0193b5c2-a1f0-7fff-bfff-ffffffffffff");
        let id = uuid_v7(0x0193_b5c2_a1f0, [0; 3]);
        assert_eq!(id, "0193b5c2-a1f0-7000-8000-000000000000");
        // Later is greater, as text.
        assert!(uuid_v7(1_800_000_000_000, [9; 3]) > uuid_v7(1_799_999_999_999, [u32::MAX; 3]));
        assert_eq!(time_hex(1), "000000000001");
    }
}
