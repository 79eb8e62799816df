//! Minors: age boundaries under both rules, age bands, the policy document (preset, malformed
//! documents), evaluation boundaries (play windows, curfew, calendar, payment caps), the guardian.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use shiming::minor::{
    check_guardian, evaluate, Activity, AgeBand, GuardianForm, LocalTime, MinorRef, Policy,
    Relation, Subject,
};
use shiming::registration::Field;
use shiming::{age_on, AgeRule, Code, Date, Locale, RegistrationOptions};

fn d(y: u32, m: u32, day: u32) -> Date {
    Date::new(y, m, day).unwrap()
}

fn at(text: &str) -> LocalTime {
    LocalTime::parse_iso(text).unwrap()
}

#[test]
fn birthday_boundaries_under_both_rules() {
    let birth = d(2010, 6, 15);
    for n in [8u32, 14, 16, 18] {
        let birthday = d(2010 + n, 6, 15);
        let before = d(2010 + n, 6, 14);
        let after = d(2010 + n, 6, 16);
        let day_after = AgeRule::DayAfterBirthday;
        assert_eq!(age_on(birth, before, day_after), n - 1);
        assert_eq!(age_on(birth, birthday, day_after), n - 1);
        assert_eq!(age_on(birth, after, day_after), n);
        let on = AgeRule::OnBirthday;
        assert_eq!(age_on(birth, before, on), n - 1);
        assert_eq!(age_on(birth, birthday, on), n);
        assert_eq!(age_on(birth, after, on), n);
    }
    // 29 February, common year: the anniversary is 28 February (民法典 Art. 202).
    let leap = d(2008, 2, 29);
    assert_eq!(age_on(leap, d(2026, 2, 28), AgeRule::DayAfterBirthday), 17);
    assert_eq!(age_on(leap, d(2026, 3, 1), AgeRule::DayAfterBirthday), 18);
    assert_eq!(age_on(leap, d(2026, 2, 27), AgeRule::OnBirthday), 17);
    assert_eq!(age_on(leap, d(2026, 2, 28), AgeRule::OnBirthday), 18);
}

#[test]
fn bands_at_their_boundaries() {
    let birth = d(2010, 6, 15);
    let band = |date: Date, rule| AgeBand::of_age(age_on(birth, date, rule));
    assert_eq!(
        band(d(2024, 6, 15), AgeRule::DayAfterBirthday),
        AgeBand::From12To14
    );
    assert_eq!(
        band(d(2024, 6, 16), AgeRule::DayAfterBirthday),
        AgeBand::From14To16
    );
    assert_eq!(
        band(d(2024, 6, 15), AgeRule::OnBirthday),
        AgeBand::From14To16
    );
    assert_eq!(
        band(d(2028, 6, 16), AgeRule::DayAfterBirthday),
        AgeBand::Adult
    );
    assert_eq!(
        band(d(2028, 6, 15), AgeRule::DayAfterBirthday),
        AgeBand::From16To18
    );
}

#[test]
fn the_preset_parses_with_its_sources() {
    let policy = Policy::parse(shiming::minor::policy::PRESET_CN_2024).unwrap();
    assert_eq!(policy.id, "cn-2024");
    assert_eq!(policy, Policy::preset());
    assert_eq!(policy.payment.len(), 3);
    assert_eq!(policy.payment[1].per_payment_fen, 5000);
    assert_eq!(policy.payment[2].per_month_fen, 40000);
    let years: Vec<u32> = policy.calendar.years.iter().map(|y| y.year).collect();
    assert_eq!(years, [2024, 2025, 2026]);
    assert!(policy.sources.iter().all(|(_, c)| !c.is_empty()));
}

fn play(birth: Date, now: &str) -> shiming::Evaluation {
    evaluate(
        &Policy::preset(),
        Subject::BirthDate(birth),
        &Activity::Play {
            used_today_seconds: 0,
        },
        at(now),
    )
}

#[test]
fn play_window_boundaries() {
    let minor = d(2012, 1, 1);
    // 2026-11-27 is a Friday.
    let r = play(minor, "2026-11-27T19:59:59+08:00");
    assert!(!r.allowed);
    assert_eq!(r.code, Code::MinorPlayOutsideWindow);
    assert_eq!(
        r.next_allowed_at.unwrap().to_iso(),
        "2026-11-27T20:00:00+08:00"
    );
    assert!(r
        .source
        .as_deref()
        .unwrap()
        .contains("国新出发〔2021〕14号"));
    assert_eq!(r.rule.unwrap().as_str(), "play");
    let r = play(minor, "2026-11-27T20:00:00+08:00");
    assert!(r.allowed);
    assert_eq!(r.remaining, Some(3600));
    let r = play(minor, "2026-11-27T20:59:59+08:00");
    assert!(r.allowed);
    assert_eq!(r.remaining, Some(1));
    let r = play(minor, "2026-11-27T21:00:00+08:00");
    assert!(!r.allowed);
    assert_eq!(
        r.next_allowed_at.unwrap().to_iso(),
        "2026-11-28T20:00:00+08:00"
    );
    // Thursday: next is Friday.
    let r = play(minor, "2026-11-26T20:30:00+08:00");
    assert!(!r.allowed);
    assert_eq!(
        r.next_allowed_at.unwrap().to_iso(),
        "2026-11-27T20:00:00+08:00"
    );
    // Adults: always.
    let r = play(d(1990, 1, 1), "2026-11-26T03:00:00+08:00");
    assert!(r.allowed);
    assert_eq!(r.code, Code::Adult);
    assert_eq!(
        r.message(Locale::En),
        "An adult: the minor-protection rules do not apply"
    );
}

#[test]
fn play_time_used_up() {
    let r = evaluate(
        &Policy::preset(),
        Subject::Age(12),
        &Activity::Play {
            used_today_seconds: 3600,
        },
        at("2026-11-27T20:30:00+08:00"),
    );
    assert!(!r.allowed);
    assert_eq!(r.code, Code::MinorPlayTimeUsedUp);
    assert_eq!(
        r.next_allowed_at.unwrap().to_iso(),
        "2026-11-28T20:00:00+08:00"
    );
    let r = evaluate(
        &Policy::preset(),
        Subject::Age(12),
        &Activity::Play {
            used_today_seconds: 3000,
        },
        at("2026-11-27T20:30:00+08:00"),
    );
    assert_eq!((r.allowed, r.remaining), (true, Some(600)));
}

#[test]
fn holidays_and_adjusted_working_days() {
    let minor = d(2012, 1, 1);
    // 2026-10-06 is a Tuesday inside the National Day holiday.
    let r = play(minor, "2026-10-06T20:15:00+08:00");
    assert!(r.allowed, "{r:?}");
    assert!(r.warnings.is_empty());
    // 2026-02-28 is a Saturday made a working day: no play; next is Sunday 1 March.
    let r = play(minor, "2026-02-28T20:15:00+08:00");
    assert!(!r.allowed);
    assert_eq!(
        r.next_allowed_at.unwrap().to_iso(),
        "2026-03-01T20:00:00+08:00"
    );
    // The Spring Festival holiday runs 15-23 February 2026: Monday 23rd is a play day.
    let r = play(minor, "2026-02-22T21:30:00+08:00");
    assert_eq!(
        r.next_allowed_at.unwrap().to_iso(),
        "2026-02-23T20:00:00+08:00"
    );
    // Friday 2026-10-09 is a normal Friday, Saturday 10-10 is a working day.
    let r = play(minor, "2026-10-09T21:00:00+08:00");
    assert_eq!(
        r.next_allowed_at.unwrap().to_iso(),
        "2026-10-11T20:00:00+08:00"
    );
}

#[test]
fn an_uncovered_year_falls_back_to_the_weekday_with_a_warning() {
    // 2030-02-01 is a Friday; 2030 is not in the calendar.
    let r = play(d(2015, 1, 1), "2030-02-01T20:10:00+08:00");
    assert!(r.allowed);
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].code, Code::CalendarYearMissing);
    assert_eq!(r.warnings[0].int_param("year"), Some(2030));
    // The search for the next window crosses into 2027.
    let r = play(d(2015, 1, 1), "2026-12-31T21:30:00+08:00");
    assert_eq!(
        r.next_allowed_at.unwrap().to_iso(),
        "2027-01-01T20:00:00+08:00"
    );
    assert_eq!(r.warnings[0].int_param("year"), Some(2027));
}

fn session(age: u32, now: &str, used: u64, continuous: u64) -> shiming::Evaluation {
    evaluate(
        &Policy::preset(),
        Subject::Age(age),
        &Activity::Session {
            used_today_seconds: used,
            continuous_seconds: continuous,
        },
        at(now),
    )
}

#[test]
fn curfew_limits_and_rest() {
    let r = session(15, "2026-11-25T21:59:00+08:00", 0, 0);
    assert!(r.allowed);
    assert_eq!(r.remaining, Some(60));
    let r = session(15, "2026-11-25T22:00:00+08:00", 0, 0);
    assert!(!r.allowed);
    assert_eq!(r.code, Code::MinorCurfew);
    assert_eq!(
        r.next_allowed_at.unwrap().to_iso(),
        "2026-11-26T06:00:00+08:00"
    );
    let r = session(15, "2026-11-25T05:59:59+08:00", 0, 0);
    assert_eq!(
        r.next_allowed_at.unwrap().to_iso(),
        "2026-11-25T06:00:00+08:00"
    );
    assert!(session(15, "2026-11-25T06:00:00+08:00", 0, 0).allowed);
    // Daily limits: under 16, 1 h; 16 to 18, 2 h.
    let r = session(15, "2026-11-25T10:00:00+08:00", 3600, 0);
    assert_eq!(r.code, Code::MinorDailyLimitReached);
    assert_eq!(
        r.next_allowed_at.unwrap().to_iso(),
        "2026-11-26T06:00:00+08:00"
    );
    assert_eq!(
        r.message(Locale::ZhCn),
        "今日未成年人模式使用时间（60 分钟）已用完"
    );
    let r = session(16, "2026-11-25T10:00:00+08:00", 3600, 0);
    assert!(r.allowed);
    assert_eq!(r.remaining, Some(3600));
    let r = session(16, "2026-11-25T10:00:00+08:00", 3600, 1800);
    assert_eq!((r.allowed, r.code), (true, Code::MinorRestReminder));
    let r = session(16, "2026-11-25T10:00:00+08:00", 3600, 1799);
    assert_eq!(r.code, Code::MinorAllowed);
}

fn pay(age: u32, amount: u64, spent: u64) -> shiming::Evaluation {
    evaluate(
        &Policy::preset(),
        Subject::Age(age),
        &Activity::Payment {
            amount_fen: amount,
            spent_this_month_fen: spent,
        },
        at("2026-11-25T10:00:00+08:00"),
    )
}

#[test]
fn payment_caps() {
    let r = pay(7, 1, 0);
    assert_eq!((r.allowed, r.code), (false, Code::MinorPaymentNotAllowed));
    assert!(r.source.unwrap().contains("国新出发〔2019〕34号"));
    // 8 to 16: 50 CNY a payment, 200 a month.
    assert!(pay(8, 5000, 15000).allowed); // exactly at the monthly cap
    let r = pay(8, 5000, 15001); // one fen over
    assert_eq!(
        (r.allowed, r.code),
        (false, Code::MinorPaymentOverMonthlyLimit)
    );
    assert_eq!(
        r.message(Locale::ZhCn),
        "未成年人每月充值累计不得超过 200 元，本月还可充值 49.99 元"
    );
    let r = pay(15, 5001, 0);
    assert_eq!(r.code, Code::MinorPaymentOverSingleLimit);
    assert_eq!(
        r.message(Locale::En),
        "A minor's single payment cannot exceed 50 CNY"
    );
    // 16 to 18: 100 and 400.
    assert!(pay(16, 10000, 30000).allowed);
    assert!(!pay(17, 10000, 30001).allowed);
    assert_eq!(pay(17, 1, 39000).remaining, Some(1000));
    assert_eq!(pay(18, 1_000_000, 9_000_000).code, Code::Adult);
}

#[test]
fn guests() {
    let r = evaluate(
        &Policy::preset(),
        Subject::Guest,
        &Activity::Play {
            used_today_seconds: 0,
        },
        at("2026-11-27T20:10:00+08:00"),
    );
    assert_eq!((r.allowed, r.code), (false, Code::GuestModeNotAllowed));
    assert_eq!(r.rule.unwrap().as_str(), "guest_mode");
}

fn preset_with(edit: impl FnOnce(&mut String)) -> Result<Policy, shiming::PolicyError> {
    let mut text = shiming::minor::policy::PRESET_CN_2024.to_string();
    edit(&mut text);
    Policy::parse(&text)
}

#[test]
fn malformed_policies_are_rejected_with_a_path() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "\"perMonthFen\": 20000",
            "\"perMonthFen\": 200.5",
            "$.payment[1].perMonthFen",
        ),
        (
            "\"perMonthFen\": 20000",
            "\"perMonthFen\": -1",
            "$.payment[1].perMonthFen",
        ),
        (
            "\"perPaymentFen\": 5000",
            "\"perPaymentFen\": 50000",
            "$.payment[1].perPaymentFen",
        ),
        (
            "\"start\": \"20:00\"",
            "\"start\": \"8pm\"",
            "$.play.windows[0].start",
        ),
        (
            "\"source\": \"nppa-2021\" }",
            "\"source\": \"nppa-2099\" }",
            "$.guestMode.source",
        ),
        (
            "\"2026-02-28\"",
            "\"2026-02-30\"",
            "$.calendar[2].workdays[2]",
        ),
        (
            "\"2026-02-28\"",
            "\"2025-02-28\"",
            "$.calendar[2].workdays[2]",
        ),
        (
            "\"maxAge\": 16, \"perPaymentFen\"",
            "\"maxAge\": 17, \"perPaymentFen\"",
            "$.payment[1].minAge",
        ),
        ("\"format\": 1", "\"format\": 2", "$.format"),
        ("\"holidays\": true", "\"holiday\": true", "$.play.holiday"),
        ("\"afterSeconds\": 1800,", "", "$.restReminder.afterSeconds"),
        ("\"id\": \"cn-2024\"", "\"id\": \"a\", \"id\": \"b\"", "$"),
        (
            "\"2026-06-19\", \"2026-06-21\"",
            "\"2026-06-21\", \"2026-06-19\"",
            "$.calendar[2].holidays[4][1]",
        ),
        (
            "\"band\": \"3_to_8\"",
            "\"band\": \"8_to_12\"",
            "$.ageBands[1]",
        ),
    ];
    for (from, to, path) in cases {
        let err = preset_with(|t| *t = t.replacen(from, to, 1)).unwrap_err();
        assert_eq!(err.path, *path, "{err}");
    }
    assert_eq!(preset_with(|t| t.push(',')).unwrap_err().path, "$");
    assert!(Policy::parse("[]")
        .unwrap_err()
        .to_string()
        .contains("must be an object"));
}

#[test]
fn guardians() {
    let options = RegistrationOptions::new(d(2026, 11, 28));
    let minor = MinorRef {
        name: Some("张小三"),
        id_number: Some("110101201501010011"),
        birth_date: None,
    };
    let good = GuardianForm {
        name: Field::Text("张三"),
        id_kind: Field::Missing,
        id_number: Field::Text("11010519491231002X"),
        phone: Field::Text("13812345678"),
        relation: Field::Text("grandparent"),
        birth_date: Field::Missing,
    };
    let ok = check_guardian(&good, &minor, &options).unwrap();
    assert_eq!(ok.value.relation, Relation::Grandparent);
    assert_eq!(ok.value.age, Some(76));
    // The minor themself: the same number.
    let same = GuardianForm {
        id_number: Field::Text("110101201501010011"),
        name: Field::Text("张小三"),
        ..good
    };
    let codes: Vec<Code> = check_guardian(&same, &minor, &options)
        .unwrap_err()
        .issues
        .iter()
        .map(|i| i.code)
        .collect();
    assert!(codes.contains(&Code::GuardianSameAsMinor), "{codes:?}");
    assert!(codes.contains(&Code::GuardianNotAdult), "{codes:?}");
    let bad_relation = GuardianForm {
        relation: Field::Text("friend"),
        ..good
    };
    let err = check_guardian(&bad_relation, &minor, &options).unwrap_err();
    assert_eq!(err.issues[0].code, Code::GuardianRelationInvalid);
    assert_eq!(format!("{:?}", err.issues[0].path), "[Key(\"relation\")]");
    // Same birth date and name with another number: the same person.
    let twin = MinorRef {
        name: Some("张三"),
        id_number: None,
        birth_date: Some(d(1949, 12, 31)),
    };
    let err = check_guardian(&good, &twin, &options).unwrap_err();
    assert_eq!(err.issues[0].code, Code::GuardianSameAsMinor);
}

#[test]
fn registration_derives_band_and_consent() {
    let form = shiming::RegistrationForm {
        name: Field::Text("张小三"),
        id_number: Field::Text("110101201501010011"),
        phone: Field::Text("13812345678"),
        ..Default::default()
    };
    let value =
        shiming::check_registration(&form, &RegistrationOptions::new(d(2026, 11, 28))).unwrap();
    let derived = value.value.derived.unwrap();
    assert_eq!(derived.age, Some(11));
    assert_eq!(derived.age_band, Some(AgeBand::From8To12));
    assert_eq!(derived.needs_guardian_consent, Some(true));
}

proptest! {
    #[test]
    fn age_is_monotonic_in_as_of(birth in 0i64..40_000, a in 0i64..40_000, b in 0i64..40_000, on in any::<bool>()) {
        let rule = if on { AgeRule::OnBirthday } else { AgeRule::DayAfterBirthday };
        let birth = Date::from_days_since_epoch(birth - 20_000).unwrap();
        let (a, b) = (a.min(b), a.max(b));
        let first = Date::from_days_since_epoch(a - 20_000).unwrap();
        let second = Date::from_days_since_epoch(b - 20_000).unwrap();
        prop_assert!(age_on(birth, first, rule) <= age_on(birth, second, rule));
        // The on-birthday rule is never behind the day-after rule.
        prop_assert!(age_on(birth, first, AgeRule::DayAfterBirthday) <= age_on(birth, first, AgeRule::OnBirthday));
    }

    #[test]
    fn a_denial_is_never_allowed(age in 0u32..30, kind in 0u8..3, x in 0u64..100_000, y in 0u64..100_000, seconds in 1_700_000_000i64..1_900_000_000) {
        let activity = match kind {
            0 => Activity::Payment { amount_fen: x, spent_this_month_fen: y },
            1 => Activity::Play { used_today_seconds: x % 7200 },
            _ => Activity::Session { used_today_seconds: x % 10_000, continuous_seconds: y % 4000 },
        };
        let now = LocalTime::from_unix_seconds(seconds).unwrap();
        let r = evaluate(&Policy::preset(), Subject::Age(age), &activity, now);
        let denial = matches!(r.code, Code::MinorPaymentNotAllowed | Code::MinorPaymentOverSingleLimit
            | Code::MinorPaymentOverMonthlyLimit | Code::MinorPlayOutsideWindow | Code::MinorPlayTimeUsedUp
            | Code::MinorDailyLimitReached | Code::MinorCurfew | Code::GuestModeNotAllowed);
        prop_assert_eq!(denial, !r.allowed);
        if !r.allowed {
            prop_assert!(r.rule.is_some() && r.source.as_deref().is_some_and(|s| !s.is_empty()));
        }
        if let Some(next) = r.next_allowed_at {
            prop_assert!(next > now);
        }
        if age >= 18 { prop_assert_eq!(r.code, Code::Adult); }
    }

    #[test]
    fn arbitrary_text_never_panics_the_policy_parser(text in ".{0,300}") {
        let _ = Policy::parse(&text);
    }
}
