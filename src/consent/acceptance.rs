//! The acceptance rules, without a browser: when a ticked box (or a pressed button) is consent.
//!
//! PIPL Art. 14 asks for consent given voluntarily and explicitly; a pre-ticked box, or consent the
//! user did not give by their own act, is not that (GB/T 42574-2023; the 2019 认定方法 counts
//! "默认选择同意" as collection without consent). So, for one document:
//! - the control starts unticked: one found ticked when attached, or ticked later without any
//!   event (`checkbox.checked = true` from script), is [`Code::ConsentPrechecked`];
//! - only the user's own click or key counts: an event with `isTrusted` false (`el.click()`,
//!   `dispatchEvent`) is [`Code::ConsentUntrustedEvent`], and the box is unticked again;
//! - a tick before the reading requirement is met is undone, with what is missing;
//! - each document has its own control and its own act (nothing is bundled).
//!
//! The browser edge (`bindings/consent/src/reading.rs`) feeds this from DOM events and applies what
//! it returns to the element.
//!
//! # Sources
//! - **`pipl`**: PIPL Art. 14: consent given voluntarily and explicitly, with full knowledge.
//! - **`gb-t-42574-2023`**: GB/T 42574-2023: explicit consent is the person's own affirmative act.
//! - **`app-violation-2019`**: 《App违法违规收集使用个人信息行为认定方法》 (国信办秘字〔2019〕191号,
//!   2019-11-28): obtaining consent by a default choice (such as a pre-ticked box) is collection
//!   without consent.

use crate::issue::{Code, Issue};

/// Where a control stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GateState {
    /// The reading requirement is not met: the control is disabled.
    Locked,
    /// The user may accept.
    Ready,
    /// The user accepted by their own act.
    Accepted,
}

impl GateState {
    /// The state's name: `locked`, `ready` or `accepted`.
    pub const fn as_str(self) -> &'static str {
        match self {
            GateState::Locked => "locked",
            GateState::Ready => "ready",
            GateState::Accepted => "accepted",
        }
    }
}

/// What the edge must do to the control after an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Correction {
    /// Leave it as it is.
    None,
    /// Undo the act: untick it (for a click on a checkbox, cancel the event, so that the browser
    /// restores the box and fires no `change`).
    Untick,
}

/// The acceptance state of one control.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acceptance {
    /// The user's last own act ticked the control (and the requirement was met then).
    accepted_by_user: bool,
    /// Why the last act did not count, shown until the next act.
    rejection: Vec<Issue>,
}

impl Acceptance {
    /// Starts with the control's state when attached: a ticked control is refused and unticked.
    pub fn attach(initially_checked: bool) -> (Acceptance, Correction) {
        if initially_checked {
            let gate = Acceptance {
                accepted_by_user: false,
                rejection: vec![Issue::new(Code::ConsentPrechecked)],
            };
            (gate, Correction::Untick)
        } else {
            let gate = Acceptance {
                accepted_by_user: false,
                rejection: Vec::new(),
            };
            (gate, Correction::None)
        }
    }

    /// A change of the control: `trusted` is the event's `isTrusted`, `checked` the control's
    /// state after it, `unmet` what the reading requirement still misses.
    pub fn on_change(&mut self, trusted: bool, checked: bool, unmet: Vec<Issue>) -> Correction {
        if !trusted {
            self.accepted_by_user = false;
            self.rejection = vec![Issue::new(Code::ConsentUntrustedEvent)];
            return Correction::Untick;
        }
        if !checked {
            self.accepted_by_user = false;
            self.rejection.clear();
            return Correction::None;
        }
        if !unmet.is_empty() {
            self.accepted_by_user = false;
            self.rejection = unmet;
            return Correction::Untick;
        }
        self.accepted_by_user = true;
        self.rejection.clear();
        Correction::None
    }

    /// Where the control stands, given whether the requirement is met now and its current state.
    pub fn state(&self, requirement_met: bool, checked_now: bool) -> GateState {
        if self.accepted_by_user && checked_now {
            GateState::Accepted
        } else if requirement_met {
            GateState::Ready
        } else {
            GateState::Locked
        }
    }

    /// Why the last act did not count (empty if it did, or if there was none).
    pub fn rejection(&self) -> &[Issue] {
        &self.rejection
    }

    /// Whether the user accepted, asked when the receipt is made. `checked_now` is the control's
    /// state at that moment: ticked without a user act since attaching is refused as pre-ticked.
    pub fn confirm(&self, checked_now: bool, unmet: Vec<Issue>) -> Result<(), Vec<Issue>> {
        if checked_now && !self.accepted_by_user {
            return Err(if self.rejection.is_empty() {
                vec![Issue::new(Code::ConsentPrechecked)]
            } else {
                self.rejection.clone()
            });
        }
        if !checked_now {
            let mut issues = self.rejection.clone();
            if issues.is_empty() {
                issues.push(Issue::new(Code::ConsentNotGiven));
            }
            return Err(issues);
        }
        if !unmet.is_empty() {
            return Err(unmet);
        }
        Ok(())
    }
}
