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
    check_guardian, evaluate, evaluate_with, Activity, AgeBand, GuardianForm, LimitBounds,
    LocalTime, MinorRef, Policy, Relation, Subject,
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
    assert_eq!(policy.id, "cn-2024-games");
    assert_eq!(policy, Policy::preset());
    assert_eq!(policy.payment.len(), 5);
    assert_eq!(policy.payment[1].per_payment_fen, Some(5000));
    assert_eq!(policy.payment[2].per_month_fen, Some(40000));
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
            spent_today_fen: 0,
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
            "\"maxAge\": 16, \"seconds\"",
            "\"maxAge\": 17, \"seconds\"",
            "$.dailyLimits[0].minAge",
        ),
        (
            "\"perDayFen\": 10000, \"source\"",
            "\"source\"",
            "$.payment[3]",
        ),
        (
            "\"guardian\": { \"minAge\": 18",
            "\"guardian\": { \"minAge\": 15",
            "$.guardian.minAge",
        ),
        (
            "\"guardianMaxSeconds\": 86400",
            "\"guardianMaxSeconds\": 3600",
            "$.dailyLimits[1].guardianMaxSeconds",
        ),
        (
            "\"minorMode\": { \"minAge\": 0",
            "\"minorMode\": { \"minAge\": 0, \"mode\": 1",
            "$.minorMode.mode",
        ),
        ("\"format\": 1", "\"format\": 2", "$.format"),
        ("\"holidays\": true", "\"holiday\": true", "$.play.holiday"),
        ("\"afterSeconds\": 1800,", "", "$.restReminder.afterSeconds"),
        (
            "\"id\": \"cn-2024-games\"",
            "\"id\": \"a\", \"id\": \"b\"",
            "$",
        ),
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
        let Err(err) = preset_with(|t| *t = t.replacen(from, to, 1)) else {
            panic!("accepted: {from} -> {to}")
        };
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
    fn a_denial_is_never_allowed(age in 0u32..30, kind in 0u8..3, x in 0u64..100_000, y in 0u64..100_000, seconds in 1_700_000_000i64..1_900_000_000, preset in 0usize..2, guardian in proptest::option::of((0u32..90_000, 0u64..30_000, 0u32..1440, 0u32..1440))) {
        let activity = match kind {
            0 => Activity::Payment { amount_fen: x, spent_today_fen: y / 3, spent_this_month_fen: y },
            1 => Activity::Play { used_today_seconds: x % 7200 },
            _ => Activity::Session { used_today_seconds: x % 10_000, continuous_seconds: y % 4000 },
        };
        let now = LocalTime::from_unix_seconds(seconds).unwrap();
        let policy = Policy::preset_named(["cn-2024-games", "cn-2024-content"][preset]).unwrap();
        let limits = guardian.map(|(seconds, fen, start, end)| shiming::minor::GuardianLimits {
            daily_seconds: Some(seconds.min(86_400)),
            play_seconds_per_day: Some(seconds % 7200),
            per_payment_fen: Some(fen),
            per_day_fen: Some(fen * 2),
            per_month_fen: None,
            curfew: (start != end).then_some((start * 60, end * 60)),
        });
        let r = evaluate_with(&policy, limits.as_ref(), Subject::Age(age), &activity, now);
        let denial = matches!(r.code, Code::MinorPaymentNotAllowed | Code::MinorPaymentOverSingleLimit
            | Code::MinorPaymentOverMonthlyLimit | Code::MinorPaymentOverDailyLimit | Code::MinorPaymentBlockedByGuardian
            | Code::MinorPlayOutsideWindow | Code::MinorPlayTimeUsedUp
            | Code::MinorDailyLimitReached | Code::MinorCurfew | Code::GuestModeNotAllowed);
        prop_assert_eq!(denial, !r.allowed);
        if !r.allowed {
            prop_assert!(r.rule.is_some());
            // A policy's refusal cites its source; a guardian's has none.
            prop_assert_eq!(r.by_guardian, r.source.is_none());
        }
        // A guardian never loosens what the policy refuses, except a longer daily time.
        let plain = evaluate(&policy, Subject::Age(age), &activity, now);
        if !plain.allowed && plain.code != Code::MinorDailyLimitReached {
            prop_assert!(!r.allowed, "{:?} allowed with the guardian's limits", plain.code);
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

// ------------------------------------------------------------- every platform, and the guardian

fn content() -> Policy {
    Policy::preset_named("cn-2024-content").unwrap()
}

fn pay_on(
    policy: &Policy,
    age: u32,
    amount: u64,
    today: u64,
    month: u64,
    now: &str,
) -> shiming::Evaluation {
    evaluate(
        policy,
        Subject::Age(age),
        &Activity::Payment {
            amount_fen: amount,
            spent_today_fen: today,
            spent_this_month_fen: month,
        },
        at(now),
    )
}

#[test]
fn the_presets_parse_and_name_which_platform_they_bind() {
    for (name, id) in [
        ("cn-2024", "cn-2024-games"),
        ("cn-2024-games", "cn-2024-games"),
        ("cn-2024-content", "cn-2024-content"),
    ] {
        let policy = Policy::preset_named(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(policy.id, id);
        assert!(policy.minor_mode.is_some(), "{name}: 条例 Art. 43");
        assert_eq!(
            policy.guardian_min_age.0, 18,
            "{name}: an adult guardian by default"
        );
        // Every rule's source is a key of the document, and every key is used.
        for (key, citation) in &policy.sources {
            assert!(!citation.trim().is_empty(), "{name}: {key}");
        }
    }
    assert_eq!(Policy::preset(), Policy::preset_named("cn-2024").unwrap());
    assert!(Policy::preset_named("cn-2025").is_none());
    let content = content();
    assert!(
        content.play.is_none() && content.guest_mode.is_none(),
        "the NPPA rules bind games only"
    );
    // The games preset is at least as strict as the content preset in every shared rule.
    let games = Policy::preset();
    let shape = |p: &Policy| -> Vec<(u32, u32, u32, Option<u32>)> {
        p.daily_limits
            .iter()
            .map(|l| (l.ages.min, l.ages.max, l.seconds, l.guardian_max_seconds))
            .collect()
    };
    assert_eq!(shape(&games), shape(&content));
    let night = |p: &Policy| p.curfew.as_ref().map(|c| (c.ages, c.start, c.end));
    assert_eq!(night(&games), night(&content));
    for age in 0..18 {
        let (g, c) = (LimitBounds::of(&games, age), LimitBounds::of(&content, age));
        assert!(
            g.per_payment_fen <= c.per_payment_fen && g.per_day_fen <= c.per_day_fen,
            "{age}"
        );
    }
}

#[test]
fn a_day_cap_on_a_content_platform() {
    let policy = content();
    // 15 years old: 50 CNY a payment, 100 a day. 30 CNY after 80 today passes the single cap but
    // not the day's.
    let r = pay_on(&policy, 15, 3000, 8000, 8000, "2026-11-25T15:30:00+08:00");
    assert_eq!(
        (r.allowed, r.code),
        (false, Code::MinorPaymentOverDailyLimit)
    );
    assert_eq!(r.rule, Some(shiming::minor::Rule::Payment));
    assert_eq!(r.next_allowed_at, Some(at("2026-11-26T00:00:00+08:00")));
    assert_eq!(r.remaining, Some(2000));
    assert!(!r.by_guardian && r.minor_mode);
    assert_eq!(
        r.message(Locale::ZhCn),
        "未成年人单日充值累计不得超过 100 元，今日还可充值 20 元"
    );
    assert!(r.source.unwrap().contains("不是法定数额"));
    // Exactly at the day's cap passes; the last day of a month rolls over to the next year.
    assert!(pay_on(&policy, 15, 2000, 8000, 8000, "2026-11-25T15:30:00+08:00").allowed);
    let r = pay_on(&policy, 15, 1, 10000, 10000, "2026-12-31T23:59:59+08:00");
    assert_eq!(r.next_allowed_at, Some(at("2027-01-01T00:00:00+08:00")));
    // The month's cap answers the first of the next month.
    let r = pay_on(&policy, 15, 5000, 0, 19000, "2026-11-25T15:30:00+08:00");
    assert_eq!(r.code, Code::MinorPaymentOverMonthlyLimit);
    assert_eq!(r.next_allowed_at, Some(at("2026-12-01T00:00:00+08:00")));
    // Under 8, no payment at all, citing the civil code.
    let r = pay_on(&policy, 7, 1, 0, 0, "2026-11-25T15:30:00+08:00");
    assert_eq!(r.code, Code::MinorPaymentNotAllowed);
    assert!(r.source.unwrap().contains("民法典"));
    // The games preset has the same day cap, cited separately from the NPPA caps.
    let r = pay_on(
        &Policy::preset(),
        15,
        3000,
        8000,
        8000,
        "2026-11-25T15:30:00+08:00",
    );
    assert_eq!(r.code, Code::MinorPaymentOverDailyLimit);
    let r = pay_on(
        &Policy::preset(),
        15,
        5001,
        0,
        0,
        "2026-11-25T15:30:00+08:00",
    );
    assert!(r.source.unwrap().contains("国新出发〔2019〕34号"));
}

#[test]
fn a_guardians_limits_apply_natively() {
    use shiming::minor::GuardianLimits;
    let policy = content();
    let limits = GuardianLimits::parse(
        r#"{"dailySeconds":1800,"perPaymentFen":1000,"curfew":{"start":"21:00","end":"07:00"}}"#,
    )
    .unwrap();
    let now = at("2026-11-25T15:30:00+08:00");
    let session = |used: u64, limits: Option<&GuardianLimits>, now: LocalTime| {
        evaluate_with(
            &policy,
            limits,
            Subject::Age(15),
            &Activity::Session {
                used_today_seconds: used,
                continuous_seconds: 0,
            },
            now,
        )
    };
    let r = session(1800, Some(&limits), now);
    assert_eq!(
        (r.allowed, r.code, r.by_guardian),
        (false, Code::MinorDailyLimitReached, true)
    );
    assert_eq!(r.source, None);
    // Tomorrow, after the guardian's night (07:00), not the policy's (06:00).
    assert_eq!(r.next_allowed_at, Some(at("2026-11-26T07:00:00+08:00")));
    assert!(session(1800, None, now).allowed);
    assert_eq!(session(0, Some(&limits), now).remaining, Some(1800));
    let r = session(0, Some(&limits), at("2026-11-25T21:30:00+08:00"));
    assert_eq!((r.code, r.by_guardian), (Code::MinorCurfew, true));
    // The policy's night is still there: 22:00 refuses with the policy's citation... unless the
    // guardian's covers it first (it does here).
    let r = session(0, Some(&limits), at("2026-11-26T06:30:00+08:00"));
    assert_eq!(r.next_allowed_at, Some(at("2026-11-26T07:00:00+08:00")));
    let r = evaluate_with(
        &policy,
        Some(&limits),
        Subject::Age(15),
        &Activity::Payment {
            amount_fen: 1001,
            spent_today_fen: 0,
            spent_this_month_fen: 0,
        },
        now,
    );
    assert_eq!(
        (r.code, r.by_guardian),
        (Code::MinorPaymentOverSingleLimit, true)
    );

    // Loosening: only where the rule allows it, and only up to its bound.
    let longer = GuardianLimits {
        daily_seconds: Some(4 * 3600),
        ..GuardianLimits::default()
    };
    let issues = longer.check(&policy, 15);
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].code, Code::GuardianLimitTooLoose);
    assert!(longer.check(&policy, 16).is_empty());
    let r = evaluate_with(
        &policy,
        Some(&longer),
        Subject::Age(15),
        &Activity::Session {
            used_today_seconds: 3600,
            continuous_seconds: 0,
        },
        now,
    );
    assert!(
        !r.allowed,
        "a stored looser setting is clamped again at evaluation"
    );
    let r = evaluate_with(
        &policy,
        Some(&longer),
        Subject::Age(16),
        &Activity::Session {
            used_today_seconds: 3 * 3600,
            continuous_seconds: 0,
        },
        now,
    );
    assert!(r.allowed && r.remaining == Some(3600));

    // Tightening only: what an account's own token may do.
    let bounds = LimitBounds::of(&policy, 16);
    let old = limits.clone();
    let mut new = old.clone();
    new.daily_seconds = Some(1200);
    assert!(new.is_tighter_or_equal(&old, &bounds));
    new.curfew = Some((20 * 3600, 8 * 3600));
    assert!(new.is_tighter_or_equal(&old, &bounds));
    new.curfew = Some((22 * 3600, 7 * 3600));
    assert!(
        !new.is_tighter_or_equal(&old, &bounds),
        "21:00-22:00 uncovered"
    );
    let mut new = old.clone();
    new.per_payment_fen = None;
    assert!(
        !new.is_tighter_or_equal(&old, &bounds),
        "removing a cap loosens"
    );
    let nothing = GuardianLimits::default();
    assert!(old.is_tighter_or_equal(&nothing, &bounds));
    assert!(nothing.is_tighter_or_equal(&nothing, &bounds));
    // Nothing stored yet: the policy's two hours count as the old value, so the account's own
    // token cannot take the room guardianMaxSeconds leaves (a 16-year-old setting 24 hours).
    assert!(!longer.is_tighter_or_equal(&nothing, &bounds));
    let shorter = GuardianLimits {
        daily_seconds: Some(7200),
        per_day_fen: Some(20_000),
        ..GuardianLimits::default()
    };
    assert!(shorter.is_tighter_or_equal(&nothing, &bounds));
    // The JSON form round-trips; unknown members are refused.
    assert_eq!(GuardianLimits::parse(&limits.to_json()).unwrap(), limits);
    let e = GuardianLimits::parse(r#"{"dailySeconds":60,"weekly":1}"#).unwrap_err();
    assert_eq!(e.path, "$.weekly");
    let e = GuardianLimits::parse(r#"{"perDayFen":-1}"#).unwrap_err();
    assert_eq!(
        shiming::minor::limits::invalid_issue(&e).path,
        vec![shiming::PathSegment::Key("perDayFen")]
    );
}

#[test]
fn the_guardians_minimum_age_is_a_platform_choice() {
    // A 17-year-old guardian (born 2009-06-15): refused by default, accepted where the platform
    // follows 民法典 Art. 18 ¶2 and sets 16; the message names the age in force.
    let mut options = RegistrationOptions::new(d(2026, 11, 25));
    let minor = MinorRef {
        name: Some("张小三"),
        id_number: Some("110101201501010011"),
        birth_date: None,
    };
    let young = GuardianForm {
        name: Field::Text("张三"),
        id_kind: Field::Missing,
        id_number: Field::Text("110105200906150013"),
        phone: Field::Text("13812345678"),
        relation: Field::Text("sibling"),
        birth_date: Field::Missing,
    };
    let err = check_guardian(&young, &minor, &options).unwrap_err();
    assert_eq!(err.issues[0].code, Code::GuardianNotAdult);
    assert_eq!(
        err.issues[0].message(Locale::ZhCn),
        "监护人应已年满 18 周岁"
    );
    options.guardian_min_age = 16;
    let ok = check_guardian(&young, &minor, &options).unwrap();
    assert_eq!(ok.value.age, Some(17));
    options.guardian_min_age = 3; // out of range: held to 16 at least
    let err = check_guardian(
        &GuardianForm {
            id_number: Field::Text("110101201501010011"),
            ..young
        },
        &minor,
        &options,
    )
    .unwrap_err();
    assert!(err.issues.iter().any(|i| i.code == Code::GuardianNotAdult
        && i.message(Locale::En) == "The guardian must be 16 or over"));
}
