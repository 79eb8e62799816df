//! Age in full years (周岁), from a birth date and an as-of date. No clock: the caller passes
//! "today" (from a clock the platform trusts, as a date in Asia/Shanghai).
//!
//! # Sources
//! - **`spc-2006-1`**: the Supreme People's Court's interpretation on juvenile criminal cases
//!   (法释〔2006〕1号, published 2006-01-11, in force 2006-01-23) Art. 2, the one text that
//!   defines 周岁, for criminal law: "刑法第十七条规定的'周岁'，按照公历的年、月、日计算，从周岁生日
//!   的第二天起算". So by default a person turns N on the day **after** the Nth birthday
//!   ([`AgeRule::DayAfterBirthday`]).
//! - **`civil-code`**: 中华人民共和国民法典 (adopted 2020-05-28, in force 2021-01-01). Arts.
//!   201–202 are rules for counting periods; applying them to ages is an analogy. Art. 201: a
//!   period counted in years starts the day after the event ("按照年、月、日计算期间的，开始的当日
//!   不计入，自下一日开始计算"), which agrees with the day-after rule. Art. 202: a period in years
//!   ends on the corresponding day of the last year, and when that month has no such day, on the
//!   month's last day. So the anniversary of 29 February in a common year is **28 February**: by
//!   default the person reaches the age on 1 March, and under [`AgeRule::OnBirthday`] on 28
//!   February. Art. 17: adults are 18 or older ([`AGE_OF_MAJORITY`]).
//!
//! Many platforms and popular explanations count "on the birthday" instead
//! ([`AgeRule::OnBirthday`]); it is offered for platforms whose policy says so.
//!
//! Later checks (age bands, guardian consent, payment caps) build on [`age_on`].

use crate::date::{days_in_month, Date};

/// When a person reaches the next full year of age. The snake_case names are API.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AgeRule {
    /// The day after the birthday (法释〔2006〕1号 Art. 2; 民法典 Art. 201 by analogy; the default).
    #[default]
    DayAfterBirthday,
    /// On the birthday itself.
    OnBirthday,
}

impl AgeRule {
    /// Every rule, in a stable order.
    pub const ALL: [AgeRule; 2] = [AgeRule::DayAfterBirthday, AgeRule::OnBirthday];

    /// The rule's snake_case name (`day_after_birthday`, `on_birthday`), as the JS options spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            AgeRule::DayAfterBirthday => "day_after_birthday",
            AgeRule::OnBirthday => "on_birthday",
        }
    }

    /// The rule named `name` (see [`AgeRule::as_str`]), if any.
    pub fn parse(name: &str) -> Option<AgeRule> {
        AgeRule::ALL.iter().copied().find(|r| r.as_str() == name)
    }
}

/// The age of majority (民法典 Art. 17): a person under 18 is a minor.
pub const AGE_OF_MAJORITY: u32 = 18;

/// The birthday in `year` as `(month, day)`: 29 February becomes 28 February in a common year
/// (民法典 Art. 202).
fn anniversary(birth: Date, year: u32) -> (u32, u32) {
    let month = birth.month();
    (month, birth.day().min(days_in_month(year, month)))
}

/// Full years of age (周岁) on `as_of`; 0 if `as_of` is before `birth`.
pub fn age_on(birth: Date, as_of: Date, rule: AgeRule) -> u32 {
    if as_of <= birth {
        return 0;
    }
    let years = as_of.year() - birth.year();
    let today = (as_of.month(), as_of.day());
    let birthday = anniversary(birth, as_of.year());
    // This year's birthday counts once it has passed (day-after rule) or arrived (on-birthday rule).
    let reached = match rule {
        AgeRule::DayAfterBirthday => today > birthday,
        AgeRule::OnBirthday => today >= birthday,
    };
    if reached {
        years
    } else {
        years.saturating_sub(1)
    }
}

/// Whether a person born on `birth` is a minor (under 18) on `as_of`.
pub fn is_minor_on(birth: Date, as_of: Date, rule: AgeRule) -> bool {
    age_on(birth, as_of, rule) < AGE_OF_MAJORITY
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: u32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn eighteenth_birthday() {
        let birth = d(2008, 6, 1);
        assert_eq!(age_on(birth, d(2026, 5, 31), AgeRule::DayAfterBirthday), 17);
        assert_eq!(age_on(birth, d(2026, 6, 1), AgeRule::DayAfterBirthday), 17);
        assert_eq!(age_on(birth, d(2026, 6, 2), AgeRule::DayAfterBirthday), 18);
        assert_eq!(age_on(birth, d(2026, 6, 1), AgeRule::OnBirthday), 18);
        assert_eq!(age_on(birth, d(2026, 5, 31), AgeRule::OnBirthday), 17);
    }

    #[test]
    fn leap_day_births() {
        let birth = d(2008, 2, 29);
        // 2026 is a common year: the anniversary is 28 February.
        assert_eq!(age_on(birth, d(2026, 2, 28), AgeRule::DayAfterBirthday), 17);
        assert_eq!(age_on(birth, d(2026, 3, 1), AgeRule::DayAfterBirthday), 18);
        assert_eq!(age_on(birth, d(2026, 2, 27), AgeRule::OnBirthday), 17);
        assert_eq!(age_on(birth, d(2026, 2, 28), AgeRule::OnBirthday), 18);
        // 2028 is a leap year: the anniversary is 29 February.
        assert_eq!(age_on(birth, d(2028, 2, 29), AgeRule::DayAfterBirthday), 19);
        assert_eq!(age_on(birth, d(2028, 3, 1), AgeRule::DayAfterBirthday), 20);
        assert_eq!(age_on(birth, d(2028, 2, 29), AgeRule::OnBirthday), 20);
        assert_eq!(age_on(birth, d(2028, 2, 28), AgeRule::OnBirthday), 19);
    }

    #[test]
    fn year_end_birthday_turns_on_new_year() {
        let birth = d(2000, 12, 31);
        assert_eq!(
            age_on(birth, d(2018, 12, 31), AgeRule::DayAfterBirthday),
            17
        );
        assert_eq!(age_on(birth, d(2019, 1, 1), AgeRule::DayAfterBirthday), 18);
        assert_eq!(age_on(birth, d(2018, 12, 31), AgeRule::OnBirthday), 18);
    }

    #[test]
    fn before_and_on_birth() {
        let birth = d(2020, 1, 1);
        assert_eq!(age_on(birth, d(2019, 1, 1), AgeRule::OnBirthday), 0);
        assert_eq!(age_on(birth, birth, AgeRule::OnBirthday), 0);
        assert_eq!(age_on(birth, d(2020, 12, 31), AgeRule::DayAfterBirthday), 0);
        assert!(is_minor_on(birth, d(2030, 1, 1), AgeRule::default()));
    }

    #[test]
    fn rule_names() {
        for rule in AgeRule::ALL {
            assert_eq!(AgeRule::parse(rule.as_str()), Some(rule));
        }
        assert_eq!(AgeRule::default(), AgeRule::DayAfterBirthday);
    }
}
