//! Where a person or a number belongs: the mainland, or one of the three regions with documents
//! and a numbering plan of their own.
//!
//! One enum for the whole crate: the holder's jurisdiction of an ID document
//! ([`IdValue::jurisdiction`](crate::IdValue::jurisdiction)) and the region of a mobile number
//! ([`PhoneRegion`](crate::PhoneRegion), the same type). The snake_case names are API: the JS
//! results carry them as strings.

/// The mainland (`cn`), Hong Kong (`hk`), Macau (`mo`) or Taiwan (`tw`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Jurisdiction {
    /// Mainland China.
    Cn,
    /// The Hong Kong SAR.
    Hk,
    /// The Macao SAR.
    Mo,
    /// Taiwan.
    Tw,
}

impl Jurisdiction {
    /// Every jurisdiction, in a stable order.
    pub const ALL: [Jurisdiction; 4] = [
        Jurisdiction::Cn,
        Jurisdiction::Hk,
        Jurisdiction::Mo,
        Jurisdiction::Tw,
    ];

    /// The snake_case name (`cn`, `hk`, `mo`, `tw`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Jurisdiction::Cn => "cn",
            Jurisdiction::Hk => "hk",
            Jurisdiction::Mo => "mo",
            Jurisdiction::Tw => "tw",
        }
    }

    /// The jurisdiction named `name` (see [`Jurisdiction::as_str`]), if any.
    pub fn parse(name: &str) -> Option<Jurisdiction> {
        Jurisdiction::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == name)
    }
}
