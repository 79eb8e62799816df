//! Age bands (年龄段) of minors, and who needs a guardian's consent.
//!
//! # Sources
//! - **`cac-2024`**: 移动互联网未成年人模式建设指南 (国家互联网信息办公室, 2024-11-15): minor mode
//!   differentiates services for under 3, 3 to 8, 8 to 12, 12 to 16 and 16 to 18.
//! - **`pipl`**: 个人信息保护法 Art. 28 / Art. 31: the personal information of a person under 14 is
//!   sensitive, and processing it needs the consent of a parent or guardian. So 12 to 16 is split
//!   at 14.
//! - **`children-pi-2019`**: 儿童个人信息网络保护规定 (2019) Art. 9: the guardian's consent under 14.
//! - **`nppa-2019`**: 国新出发〔2019〕34号: the payment caps of online games change at 8 and 16.
//! - **`minors-law`**: 未成年人保护法 Art. 2: a minor is under 18 (the `adult` band).
//!
//! Bands are half-open: `8_to_12` is ages 8, 9, 10 and 11 in full years (周岁, [`crate::age`]).

/// An age band. The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgeBand {
    /// `under_3`: ages 0 to 2.
    Under3,
    /// `3_to_8`: ages 3 to 7.
    From3To8,
    /// `8_to_12`: ages 8 to 11.
    From8To12,
    /// `12_to_14`: ages 12 and 13.
    From12To14,
    /// `14_to_16`: ages 14 and 15.
    From14To16,
    /// `16_to_18`: ages 16 and 17.
    From16To18,
    /// `adult`: 18 and over (未成年人保护法 Art. 2).
    Adult,
}

/// Under this age (in full years), a guardian must consent (PIPL Art. 31).
pub const GUARDIAN_CONSENT_UNDER: u32 = 14;

impl AgeBand {
    /// Every band, youngest first.
    pub const ALL: [AgeBand; 7] = [
        AgeBand::Under3,
        AgeBand::From3To8,
        AgeBand::From8To12,
        AgeBand::From12To14,
        AgeBand::From14To16,
        AgeBand::From16To18,
        AgeBand::Adult,
    ];

    /// The band's snake_case name (`under_3`, `3_to_8`, `8_to_12`, `12_to_14`, `14_to_16`,
    /// `16_to_18`, `adult`).
    pub const fn as_str(self) -> &'static str {
        match self {
            AgeBand::Under3 => "under_3",
            AgeBand::From3To8 => "3_to_8",
            AgeBand::From8To12 => "8_to_12",
            AgeBand::From12To14 => "12_to_14",
            AgeBand::From14To16 => "14_to_16",
            AgeBand::From16To18 => "16_to_18",
            AgeBand::Adult => "adult",
        }
    }

    /// The band named `name` (see [`AgeBand::as_str`]), if any.
    pub fn parse(name: &str) -> Option<AgeBand> {
        AgeBand::ALL.iter().copied().find(|b| b.as_str() == name)
    }

    /// The band of an age in full years.
    pub const fn of_age(age: u32) -> AgeBand {
        match age {
            0..=2 => AgeBand::Under3,
            3..=7 => AgeBand::From3To8,
            8..=11 => AgeBand::From8To12,
            12..=13 => AgeBand::From12To14,
            14..=15 => AgeBand::From14To16,
            16..=17 => AgeBand::From16To18,
            _ => AgeBand::Adult,
        }
    }

    /// The ages of the band: `(first, end)` with `end` exclusive (`None` for adults).
    pub const fn ages(self) -> (u32, Option<u32>) {
        match self {
            AgeBand::Under3 => (0, Some(3)),
            AgeBand::From3To8 => (3, Some(8)),
            AgeBand::From8To12 => (8, Some(12)),
            AgeBand::From12To14 => (12, Some(14)),
            AgeBand::From14To16 => (14, Some(16)),
            AgeBand::From16To18 => (16, Some(18)),
            AgeBand::Adult => (18, None),
        }
    }
}

/// Whether a person of this age needs a guardian's consent (under 14, PIPL Art. 31).
pub const fn needs_guardian_consent(age: u32) -> bool {
    age < GUARDIAN_CONSENT_UNDER
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_contiguous() {
        for age in 0..40 {
            let band = AgeBand::of_age(age);
            let (first, end) = band.ages();
            assert!(age >= first && end.is_none_or(|e| age < e), "{age}");
            assert_eq!(AgeBand::parse(band.as_str()), Some(band));
        }
        assert_eq!(AgeBand::of_age(13), AgeBand::From12To14);
        assert_eq!(AgeBand::of_age(14), AgeBand::From14To16);
        assert!(needs_guardian_consent(13));
        assert!(!needs_guardian_consent(14));
    }
}
