//! The reading tracker's rules, without a browser: what counts as "read" before acceptance.
//!
//! Platforms commonly require that users read the service agreement before registering
//! (强制阅读). Done without dark patterns, that is: the end of the text was reached, and the text
//! was on screen for a minimum time, counted only while it was really visible (the tab shown and
//! the element in the viewport). The browser edge (`bindings/consent/src/reading.rs`) feeds this
//! state machine from DOM events and `performance.now()`; every time is passed in, in milliseconds
//! of a monotonic clock.
//!
//! A clock that goes backwards, or a time that is not a finite number, never adds time.
//!
//! # Sources
//! - **`pipl`**: PIPL Art. 14: consent given with full knowledge (充分知情); the reading evidence
//!   shows the text was shown, not that it was understood. The minimum time and the end-of-text
//!   rule are this library's reading of it, not numbers from the law.

use super::receipt::{ReadingEvidence, Viewport};
use crate::issue::{Code, Issue, ParamValue};

/// The longest minimum reading time accepted, in seconds (10 minutes: longer is a dark pattern).
pub const MAX_MIN_SECONDS: f64 = 600.0;

/// Distance from the bottom, in CSS pixels, that still counts as the end (sub-pixel scrolling and
/// zoom rarely land exactly on the last pixel).
pub const END_TOLERANCE_PX: f64 = 4.0;

/// What must happen before acceptance is enabled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReadingRequirement {
    /// The end of the text must have been reached. Default `true`.
    pub reach_end: bool,
    /// Seconds the text must have been visible, 0 to [`MAX_MIN_SECONDS`]. Default 0.
    pub min_seconds: f64,
}

impl Default for ReadingRequirement {
    fn default() -> Self {
        ReadingRequirement {
            reach_end: true,
            min_seconds: 0.0,
        }
    }
}

impl ReadingRequirement {
    /// What this rule still misses, given whether the end was reached and the milliseconds the
    /// text was visible (empty when it is met): [`Code::ConsentEndNotReached`], and
    /// [`Code::ConsentReadingTooShort`] with the whole `seconds` still to read (rounded up). The one
    /// home of the rule: the page's tracker asks it live, a receipt's verifier asks it of the
    /// recorded evidence.
    pub fn unmet(&self, reached_end: bool, visible_ms: f64) -> Vec<Issue> {
        let mut issues = Vec::new();
        if self.reach_end && !reached_end {
            issues.push(Issue::new(Code::ConsentEndNotReached));
        }
        let left_ms = self.min_seconds * 1000.0 - visible_ms;
        if left_ms > 0.0 {
            let seconds = (left_ms / 1000.0).ceil().clamp(1.0, MAX_MIN_SECONDS);
            // In 1..=600 after the clamp, so the cast is exact.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let seconds = seconds as u32;
            issues.push(
                Issue::new(Code::ConsentReadingTooShort)
                    .with("seconds", ParamValue::Int(i64::from(seconds))),
            );
        }
        issues
    }

    /// A requirement, or `None` if `min_seconds` is not a number in 0..=600.
    pub fn new(reach_end: bool, min_seconds: f64) -> Option<ReadingRequirement> {
        (min_seconds.is_finite() && (0.0..=MAX_MIN_SECONDS).contains(&min_seconds)).then_some(
            ReadingRequirement {
                reach_end,
                min_seconds,
            },
        )
    }
}

/// The reading state of one document.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    requirement: ReadingRequirement,
    reached_end: bool,
    page_visible: bool,
    in_view: bool,
    /// Visible time accumulated before `since`, in ms.
    visible_ms: f64,
    /// When the current visible period began (`Some` exactly while visible).
    since: Option<f64>,
    /// The latest time seen, so that a clock going backwards adds nothing.
    latest: f64,
}

fn finite_or(t: f64, fallback: f64) -> f64 {
    if t.is_finite() {
        t
    } else {
        fallback
    }
}

impl Reading {
    /// Starts tracking at `now`, with what the page knows about visibility at that moment.
    pub fn new(
        requirement: ReadingRequirement,
        now: f64,
        page_visible: bool,
        in_view: bool,
    ) -> Self {
        let now = finite_or(now, 0.0);
        let mut reading = Reading {
            requirement,
            reached_end: false,
            page_visible,
            in_view,
            visible_ms: 0.0,
            since: None,
            latest: now,
        };
        reading.update_since(now);
        reading
    }

    /// The requirement this document's reading is held to.
    pub fn requirement(&self) -> ReadingRequirement {
        self.requirement
    }

    /// The monotonic time, never going backwards.
    fn tick(&mut self, now: f64) -> f64 {
        let now = finite_or(now, self.latest);
        if now > self.latest {
            self.latest = now;
        }
        self.latest
    }

    fn visible(&self) -> bool {
        self.page_visible && self.in_view
    }

    fn update_since(&mut self, now: f64) {
        match (self.visible(), self.since) {
            (true, None) => self.since = Some(now),
            (false, Some(start)) => {
                self.visible_ms += (now - start).max(0.0);
                self.since = None;
            }
            _ => {}
        }
    }

    /// The tab was shown or hidden (`document.visibilityState`).
    pub fn set_page_visible(&mut self, visible: bool, now: f64) {
        let now = self.tick(now);
        self.page_visible = visible;
        self.update_since(now);
    }

    /// The element entered or left the viewport (IntersectionObserver).
    pub fn set_in_view(&mut self, in_view: bool, now: f64) {
        let now = self.tick(now);
        self.in_view = in_view;
        self.update_since(now);
    }

    /// The element scrolled (or was measured): the end counts as reached once the bottom is within
    /// [`END_TOLERANCE_PX`] (a text that needs no scrolling is read to the end at once). It stays
    /// reached. Returns whether this call reached it.
    pub fn on_scroll(&mut self, scroll_top: f64, client_height: f64, scroll_height: f64) -> bool {
        if self.reached_end {
            return false;
        }
        let (top, client, total) = (
            finite_or(scroll_top, 0.0),
            finite_or(client_height, 0.0),
            finite_or(scroll_height, f64::INFINITY),
        );
        // A zero-height element (display: none, not laid out) shows nothing: not the end.
        if client <= 0.0 {
            return false;
        }
        if top + client + END_TOLERANCE_PX >= total {
            self.reached_end = true;
            return true;
        }
        false
    }

    /// Whether the end of the text has been reached (see [`Reading::on_scroll`]).
    pub fn reached_end(&self) -> bool {
        self.reached_end
    }

    /// Milliseconds the text has been visible, up to `now`.
    pub fn visible_ms(&mut self, now: f64) -> f64 {
        let now = self.tick(now);
        self.visible_ms + self.since.map_or(0.0, |start| (now - start).max(0.0))
    }

    /// What is still missing at `now` (empty when the requirement is met): the end not reached,
    /// and the seconds still to read (rounded up).
    pub fn unmet(&mut self, now: f64) -> Vec<Issue> {
        let visible_ms = self.visible_ms(now);
        self.requirement.unmet(self.reached_end, visible_ms)
    }

    /// Whether the requirement is met at `now` ([`Reading::unmet`] is empty).
    pub fn is_met(&mut self, now: f64) -> bool {
        self.unmet(now).is_empty()
    }

    /// When the requirement will be met if nothing changes: `Some(0.0)` if it is met, the
    /// milliseconds left if only reading time is missing and the text is visible, `None` if it
    /// cannot be met by waiting (the end not reached, or the text not visible).
    pub fn ms_until_met(&mut self, now: f64) -> Option<f64> {
        if self.requirement.reach_end && !self.reached_end {
            return None;
        }
        let left = self.requirement.min_seconds * 1000.0 - self.visible_ms(now);
        if left <= 0.0 {
            Some(0.0)
        } else if self.since.is_some() {
            Some(left)
        } else {
            None
        }
    }

    /// The evidence a receipt records (whole seconds, rounded down).
    pub fn evidence(&mut self, now: f64, viewport: Viewport, locale: &str) -> ReadingEvidence {
        let seconds = (self.visible_ms(now) / 1000.0).floor();
        let visible_seconds = if seconds >= f64::from(u32::MAX) {
            u32::MAX
        } else if seconds > 0.0 {
            // In 1..u32::MAX, so the cast is exact.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let s = seconds as u32;
            s
        } else {
            0
        };
        ReadingEvidence {
            reached_end: self.reached_end,
            visible_seconds,
            viewport,
            locale: locale.into(),
        }
    }
}
