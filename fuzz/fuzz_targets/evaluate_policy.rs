//! Fuzz target for the minor-protection policy: arbitrary bytes as a policy document (and, when
//! they parse, an evaluation at a time and for a subject cut from the same bytes). No input may
//! panic; a rejected document has a path starting with `$`; an accepted one evaluates cleanly and
//! a refusal is never `allowed`. The same bytes are read as a guardian's limits too (the
//! server's `PUT …/limits` body): a parse never panics, and a setting that parses is evaluated
//! with the preset, checked against its bounds, and round-trips through its JSON form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming::minor::{evaluate, evaluate_with, Activity, GuardianLimits, LimitBounds, LocalTime, Policy, Subject};
use shiming::Locale;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    match GuardianLimits::parse(&text) {
        Err(e) => assert!(e.path.starts_with('$')),
        Ok(limits) => {
            assert_eq!(GuardianLimits::parse(&limits.to_json()).as_ref(), Ok(&limits));
            let preset = Policy::preset();
            let now = LocalTime::from_unix_seconds(1_780_000_000).expect("a valid instant");
            for age in [5u32, 12, 15, 16, 17] {
                let _ = limits.check(&preset, age);
                let _ = limits.is_tighter_or_equal(&GuardianLimits::default(), &LimitBounds::of(&preset, age));
                let r = evaluate_with(&preset, Some(&limits), Subject::Age(age), &Activity::Session { used_today_seconds: 0, continuous_seconds: 0 }, now);
                assert!(r.allowed || r.rule.is_some());
            }
        }
    }
    // Also the preset with the fuzz bytes spliced in, to reach the deeper validation.
    let spliced = shiming::minor::policy::PRESET_CN_2024_GAMES.replacen("\"cn-2024-games\"", &text, 1);
    for document in [text.as_ref(), spliced.as_str()] {
        match Policy::parse(document) {
            Err(e) => assert!(e.path.starts_with('$') && !e.message.is_empty()),
            Ok(policy) => {
                let seed = bytes.iter().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(*b)));
                let now = LocalTime::from_unix_seconds(1_600_000_000 + (seed % 400_000_000) as i64);
                let Some(now) = now else { return };
                let subject = match seed % 3 {
                    0 => Subject::Age((seed % 25) as u32),
                    1 => Subject::Guest,
                    _ => Subject::BirthDate(now.date),
                };
                for activity in [
                    Activity::Payment { amount_fen: seed % 50_000, spent_today_fen: seed % 20_000, spent_this_month_fen: seed % 70_000 },
                    Activity::Play { used_today_seconds: seed % 7200 },
                    Activity::Session { used_today_seconds: seed % 9000, continuous_seconds: seed % 4000 },
                ] {
                    let r = evaluate(&policy, subject, &activity, now);
                    if !r.allowed {
                        assert!(r.rule.is_some());
                    }
                    for locale in Locale::ALL {
                        assert!(!r.message(locale).is_empty());
                    }
                }
            }
        }
    }
});
