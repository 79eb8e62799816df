//! The rules behind the browser's reading tracker and acceptance control (src/consent/reading.rs,
//! acceptance.rs), natively: times are passed in, so every case is exact. The same rules driven by
//! real DOM events run in headless Chromium (bindings/tests/tests/wasm_browser.rs,
//! `consent_dom_*`).

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use shiming::consent::{Acceptance, Correction, GateState, Reading, ReadingRequirement, Viewport};
use shiming::{Code, Issue};

fn codes(issues: &[Issue]) -> Vec<&'static str> {
    issues.iter().map(|i| i.code.as_str()).collect()
}

fn req(reach_end: bool, min_seconds: f64) -> ReadingRequirement {
    ReadingRequirement::new(reach_end, min_seconds).unwrap()
}

#[test]
fn requirement_bounds() {
    assert!(ReadingRequirement::new(true, 0.0).is_some());
    assert!(ReadingRequirement::new(true, 600.0).is_some());
    assert!(ReadingRequirement::new(true, 600.5).is_none());
    assert!(ReadingRequirement::new(true, -1.0).is_none());
    assert!(ReadingRequirement::new(true, f64::NAN).is_none());
    assert!(ReadingRequirement::new(true, f64::INFINITY).is_none());
    assert_eq!(ReadingRequirement::default(), req(true, 0.0));
}

#[test]
fn the_end_is_reached_within_the_tolerance_and_stays_reached() {
    let mut r = Reading::new(req(true, 0.0), 0.0, true, true);
    assert!(!r.on_scroll(0.0, 300.0, 2000.0));
    assert_eq!(codes(&r.unmet(0.0)), ["consent_end_not_reached"]);
    assert!(
        !r.on_scroll(1695.0, 300.0, 2000.0),
        "5 px short is not the end"
    );
    assert!(r.on_scroll(1696.0, 300.0, 2000.0), "4 px short is");
    assert!(r.reached_end());
    assert!(
        !r.on_scroll(0.0, 300.0, 2000.0),
        "scrolling back up does not undo it"
    );
    assert!(r.reached_end());
    assert!(r.is_met(0.0));
}

#[test]
fn a_text_that_needs_no_scrolling_is_read_to_the_end_but_a_hidden_element_is_not() {
    let mut r = Reading::new(req(true, 0.0), 0.0, true, true);
    assert!(!r.on_scroll(0.0, 0.0, 0.0), "display: none has no height");
    assert!(r.on_scroll(0.0, 300.0, 120.0));
    let mut nan = Reading::new(req(true, 0.0), 0.0, true, true);
    assert!(!nan.on_scroll(f64::NAN, 300.0, f64::NAN));
}

#[test]
fn visible_time_counts_only_while_the_tab_is_shown_and_the_element_in_view() {
    let mut r = Reading::new(req(false, 10.0), 1_000.0, true, true);
    assert_eq!(r.visible_ms(5_000.0), 4_000.0);
    r.set_page_visible(false, 5_000.0); // tab hidden
    assert_eq!(r.visible_ms(60_000.0), 4_000.0, "hidden: paused");
    assert_eq!(
        r.ms_until_met(60_000.0),
        None,
        "cannot be met by waiting while hidden"
    );
    r.set_page_visible(true, 60_000.0);
    assert_eq!(r.visible_ms(62_000.0), 6_000.0);
    r.set_in_view(false, 62_000.0); // scrolled out of the viewport
    assert_eq!(r.visible_ms(70_000.0), 6_000.0);
    r.set_in_view(true, 70_000.0);
    assert_eq!(r.ms_until_met(70_000.0), Some(4_000.0));
    let unmet = r.unmet(71_500.0);
    assert_eq!(codes(&unmet), ["consent_reading_too_short"]);
    assert_eq!(
        unmet[0].param("seconds"),
        Some(&shiming::ParamValue::Int(3)),
        "2.5 s left rounds up"
    );
    assert!(r.is_met(74_000.0));
    assert_eq!(r.ms_until_met(74_000.0), Some(0.0));
}

#[test]
fn starting_hidden_counts_nothing_until_shown() {
    let mut r = Reading::new(req(false, 1.0), 0.0, false, true);
    assert_eq!(r.visible_ms(10_000.0), 0.0);
    r.set_page_visible(true, 10_000.0);
    assert_eq!(r.visible_ms(10_500.0), 500.0);
}

#[test]
fn a_clock_going_backwards_or_not_a_number_adds_nothing() {
    let mut r = Reading::new(req(false, 5.0), 10_000.0, true, true);
    assert_eq!(r.visible_ms(4_000.0), 0.0);
    assert_eq!(r.visible_ms(f64::NAN), 0.0);
    assert_eq!(r.visible_ms(f64::NEG_INFINITY), 0.0);
    assert_eq!(r.visible_ms(12_000.0), 2_000.0);
    r.set_page_visible(false, 11_000.0); // earlier than the latest time seen: taken as 12 000
    assert_eq!(r.visible_ms(20_000.0), 2_000.0);
}

#[test]
fn evidence_has_whole_seconds() {
    let mut r = Reading::new(req(true, 0.0), 0.0, true, true);
    r.on_scroll(0.0, 100.0, 50.0);
    let e = r.evidence(
        42_999.0,
        Viewport {
            width: 390,
            height: 844,
        },
        "zh-CN",
    );
    assert!(e.reached_end);
    assert_eq!(e.visible_seconds, 42);
    assert_eq!(
        e.viewport,
        Viewport {
            width: 390,
            height: 844
        }
    );
    assert_eq!(e.locale, "zh-CN");
}

fn met() -> Vec<Issue> {
    Vec::new()
}

fn end_missing() -> Vec<Issue> {
    vec![Issue::new(Code::ConsentEndNotReached)]
}

#[test]
fn a_pre_ticked_box_is_refused_and_unticked() {
    let (gate, fix) = Acceptance::attach(true);
    assert_eq!(fix, Correction::Untick);
    assert_eq!(codes(gate.rejection()), ["consent_prechecked"]);
    assert_eq!(
        gate.confirm(false, met()).map_err(|e| codes(&e)),
        Err(vec!["consent_prechecked"])
    );
}

#[test]
fn a_box_ticked_by_script_without_any_event_is_refused_when_the_receipt_is_made() {
    let (gate, fix) = Acceptance::attach(false);
    assert_eq!(fix, Correction::None);
    // `checkbox.checked = true` fires no event: the gate only sees it when asked.
    assert_eq!(
        gate.confirm(true, met()).map_err(|e| codes(&e)),
        Err(vec!["consent_prechecked"])
    );
    assert_eq!(
        gate.state(true, true),
        GateState::Ready,
        "never Accepted without a user act"
    );
}

#[test]
fn a_synthetic_event_is_refused_and_undone() {
    let (mut gate, _) = Acceptance::attach(false);
    assert_eq!(gate.on_change(false, true, met()), Correction::Untick);
    assert_eq!(codes(gate.rejection()), ["consent_untrusted_event"]);
    assert_eq!(
        gate.confirm(false, met()).map_err(|e| codes(&e)),
        Err(vec!["consent_untrusted_event"])
    );
    // Even after a real acceptance, a scripted event takes it back.
    assert_eq!(gate.on_change(true, true, met()), Correction::None);
    assert_eq!(gate.state(true, true), GateState::Accepted);
    assert_eq!(gate.on_change(false, true, met()), Correction::Untick);
    assert_eq!(gate.state(true, false), GateState::Ready);
}

#[test]
fn a_tick_before_reading_is_undone_with_what_is_missing() {
    let (mut gate, _) = Acceptance::attach(false);
    assert_eq!(
        gate.on_change(true, true, end_missing()),
        Correction::Untick
    );
    assert_eq!(codes(gate.rejection()), ["consent_end_not_reached"]);
    assert_eq!(gate.state(false, false), GateState::Locked);
}

#[test]
fn the_users_own_tick_after_reading_is_consent_and_untick_takes_it_back() {
    let (mut gate, _) = Acceptance::attach(false);
    assert_eq!(
        gate.confirm(false, met()).map_err(|e| codes(&e)),
        Err(vec!["consent_not_given"])
    );
    assert_eq!(gate.on_change(true, true, met()), Correction::None);
    assert_eq!(gate.state(true, true), GateState::Accepted);
    assert!(gate.confirm(true, met()).is_ok());
    assert!(gate.rejection().is_empty());
    assert_eq!(gate.on_change(true, false, met()), Correction::None);
    assert_eq!(gate.state(true, false), GateState::Ready);
    assert_eq!(
        gate.confirm(false, met()).map_err(|e| codes(&e)),
        Err(vec!["consent_not_given"])
    );
}

#[test]
fn every_new_code_has_both_messages() {
    for code in [
        Code::ConsentPrechecked,
        Code::ConsentUntrustedEvent,
        Code::ConsentEndNotReached,
        Code::ConsentReadingTooShort,
        Code::ConsentNotGiven,
    ] {
        let issue = Issue::new(code).with("seconds", shiming::ParamValue::Int(7));
        for locale in shiming::Locale::ALL {
            let message = shiming::i18n::message(&issue, locale);
            assert!(
                !message.is_empty() && message != code.as_str(),
                "{code:?} {locale:?}"
            );
        }
    }
}

proptest! {
    /// Any sequence of events and times: the visible time never decreases, never exceeds the
    /// time elapsed, and nothing panics.
    #[test]
    fn visible_time_is_monotonic_and_bounded(
        steps in proptest::collection::vec((0u8..4, -1e3f64..1e6, any::<bool>()), 0..60),
        min in 0f64..600.0,
    ) {
        let mut r = Reading::new(ReadingRequirement::new(true, min).unwrap(), 0.0, true, true);
        let mut last = 0.0;
        let mut latest_time = 0.0f64;
        for (op, t, flag) in steps {
            latest_time = latest_time.max(t);
            match op {
                0 => r.set_page_visible(flag, t),
                1 => r.set_in_view(flag, t),
                2 => { r.on_scroll(t, 300.0, 1e5); }
                _ => { let _ = r.unmet(t); let _ = r.ms_until_met(t); }
            }
            let v = r.visible_ms(t);
            prop_assert!(v >= last);
            prop_assert!(v <= latest_time + 1e-6);
            last = v;
        }
    }
}
