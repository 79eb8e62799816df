//! `shiming/consent` in the browser: `ReadingTracker` and `ConsentGate`, the DOM edge of
//! `consent::reading` and `consent::acceptance` (every rule lives there; this file only wires DOM
//! events, `performance.now()` and `document.visibilityState` to them).
//!
//! - `new ReadingTracker(scrollBox, { reachEnd, minSeconds, onChange })` follows one document's
//!   scroll box: the end reached (scroll events), the time it was really visible (paused while the
//!   tab is hidden, `visibilitychange`, or the box is out of the viewport, IntersectionObserver).
//! - `new ConsentGate(checkboxOrButton, tracker, { onChange })` keeps the control disabled until
//!   the reading requirement is met, refuses a pre-ticked box and any event that is not the user's
//!   own (`isTrusted`), and `gate.receipt(document, input)` builds the receipt with the evidence.
//!
//! Event handlers hold weak references, so `free()` (or garbage) removes everything; user
//! callbacks are called with no state borrowed, so they may call back into the object.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    AddEventListenerOptions, Event, EventTarget, HtmlElement, HtmlInputElement,
    IntersectionObserver, IntersectionObserverEntry, VisibilityState,
};

use crate::{build_with_reading, receipt_result};
use shiming::consent::{
    self, Acceptance, Correction, GateState, Reading, ReadingRequirement, Viewport,
};
use shiming::i18n::Locale;
use shiming::issue::Issue;
use shiming_js_common::dto::{issues, to_js};
use shiming_js_common::options::{check_options, option_value, parse_locale, range_error};
use shiming_js_common::{optional_object, type_error};

#[wasm_bindgen(typescript_custom_section)]
const TS_READING: &'static str = r#"
/** Options of `ReadingTracker`. */
export interface ReadingOptions {
  /** The end of the text must be reached. Default true. */
  reachEnd?: boolean;
  /** Seconds the text must be visible (the tab shown, the box in the viewport), 0 to 600. Default 0. */
  minSeconds?: number;
  /** Message language of `missing`. Default 'zh-CN'. */
  locale?: Locale;
  /** Called when the end is reached, the requirement is met, or the text is shown or hidden. */
  onChange?: (status: ReadingStatus) => void;
}
export interface ReadingStatus {
  reachedEnd: boolean;
  /** Seconds the text was visible so far (fractional). */
  visibleSeconds: number;
  /** Whether the text is visible now. */
  visible: boolean;
  /** Whether the requirement is met. */
  met: boolean;
  /** What is still missing: consent_end_not_reached, consent_reading_too_short (param seconds). */
  missing: Issue[];
}
/** Options of `ConsentGate`. */
export interface GateOptions {
  /** Message language of `issues`. Default 'zh-CN'. */
  locale?: Locale;
  /** Called when the state changes or an act is refused. */
  onChange?: (status: GateStatus) => void;
}
export interface GateStatus {
  /** locked: reading not done, the control is disabled; ready: may accept; accepted: by the user's own act. */
  state: 'locked' | 'ready' | 'accepted';
  /** Why the last act did not count (consent_prechecked, consent_untrusted_event, reading issues). */
  issues: Issue[];
}
"#;

fn window() -> Result<web_sys::Window, JsValue> {
    web_sys::window()
        .ok_or_else(|| type_error("ReadingTracker and ConsentGate need a browser window"))
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .map_or(true, |d| d.visibility_state() != VisibilityState::Hidden)
}

/// Whether any part of the element is inside the viewport now (IntersectionObserver keeps it up
/// to date afterwards).
fn in_viewport(element: &HtmlElement) -> bool {
    let Some(w) = web_sys::window() else {
        return true;
    };
    let rect = element.get_bounding_client_rect();
    let width = w
        .inner_width()
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::INFINITY);
    let height = w
        .inner_height()
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::INFINITY);
    rect.width() > 0.0
        && rect.height() > 0.0
        && rect.bottom() > 0.0
        && rect.right() > 0.0
        && rect.top() < height
        && rect.left() < width
}

fn viewport() -> Viewport {
    let size = |v: Result<JsValue, JsValue>| -> u32 {
        match v.ok().and_then(|v| v.as_f64()) {
            // Clamped to u32 first: the cast is exact.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(x) if x.is_finite() => x.clamp(0.0, f64::from(u32::MAX)).round() as u32,
            _ => 0,
        }
    };
    match web_sys::window() {
        Some(w) => Viewport {
            width: size(w.inner_width()),
            height: size(w.inner_height()),
        },
        None => Viewport {
            width: 0,
            height: 0,
        },
    }
}

fn browser_locale() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "und".into())
}

/// One event listener, removed when dropped.
struct Listener {
    target: EventTarget,
    event: &'static str,
    closure: Closure<dyn FnMut(Event)>,
}

impl Listener {
    fn add(
        target: EventTarget,
        event: &'static str,
        passive: bool,
        handler: impl FnMut(Event) + 'static,
    ) -> Result<Listener, JsValue> {
        let closure = Closure::<dyn FnMut(Event)>::new(handler);
        let options = AddEventListenerOptions::new();
        options.set_passive(passive);
        target.add_event_listener_with_callback_and_add_event_listener_options(
            event,
            closure.as_ref().unchecked_ref(),
            &options,
        )?;
        Ok(Listener {
            target,
            event,
            closure,
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.event, self.closure.as_ref().unchecked_ref());
    }
}

#[wasm_bindgen]
extern "C" {
    /// `reportError(e)`: the error goes to `window.onerror` and the console like any uncaught one.
    #[wasm_bindgen(js_name = reportError, catch)]
    fn report_error(error: &JsValue) -> Result<(), JsValue>;
}

/// Calls a user callback; an exception in it is the caller's, and is reported, not propagated
/// into the event loop of the module.
fn call(callback: &Option<Function>, status: Result<JsValue, JsValue>) {
    if let (Some(f), Ok(status)) = (callback, status) {
        if let Err(e) = f.call1(&JsValue::UNDEFINED, &status) {
            let _ = report_error(&e);
        }
    }
}

fn callback_option(options: Option<&Object>) -> Result<Option<Function>, JsValue> {
    let v = option_value(options, "onChange")?;
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        v.dyn_into::<Function>()
            .map(Some)
            .map_err(|_| type_error("options.onChange must be a function"))
    }
}

/// The IntersectionObserver and its callback (kept alive as long as it observes).
type Observer = (IntersectionObserver, Closure<dyn FnMut(Array)>);

struct TrackerInner {
    element: HtmlElement,
    reading: RefCell<Reading>,
    locale: Locale,
    on_change: Option<Function>,
    listeners: RefCell<Vec<Listener>>,
    observer: RefCell<Option<Observer>>,
    timer: RefCell<Option<i32>>,
    timer_callback: RefCell<Option<Closure<dyn FnMut()>>>,
    /// The gates to refresh when the requirement becomes met.
    hooks: RefCell<Vec<Weak<dyn Fn()>>>,
    /// (met, reached end, visible) last reported.
    last: Cell<Option<(bool, bool, bool)>>,
}

impl TrackerInner {
    fn measure(&self) {
        let e = &self.element;
        self.reading.borrow_mut().on_scroll(
            f64::from(e.scroll_top()),
            f64::from(e.client_height()),
            f64::from(e.scroll_height()),
        );
    }

    fn status_value(&self) -> Result<JsValue, JsValue> {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Status<'a> {
            reached_end: bool,
            visible_seconds: f64,
            visible: bool,
            met: bool,
            missing: Vec<shiming_js_common::dto::IssueDto<'a>>,
        }
        let t = now();
        let (reached_end, visible_ms, missing) = {
            let mut r = self.reading.borrow_mut();
            (r.reached_end(), r.visible_ms(t), r.unmet(t))
        };
        to_js(&Status {
            reached_end,
            visible_seconds: visible_ms / 1000.0,
            visible: page_visible() && in_viewport(&self.element),
            met: missing.is_empty(),
            missing: issues(&missing, self.locale),
        })
    }

    fn unmet(&self) -> Vec<Issue> {
        self.reading.borrow_mut().unmet(now())
    }

    /// Re-evaluates after any event: reschedules the timer, and reports a change to the gates and
    /// the callback (with nothing borrowed).
    fn refresh(self: &Rc<Self>) {
        self.update(true);
    }

    /// `refresh` without reporting (the constructor: the caller reads `status()` itself).
    fn update(self: &Rc<Self>, report: bool) {
        let t = now();
        let (met, reached, until) = {
            let mut r = self.reading.borrow_mut();
            (r.is_met(t), r.reached_end(), r.ms_until_met(t))
        };
        self.schedule(if met { None } else { until });
        let visible = page_visible() && in_viewport(&self.element);
        let current = (met, reached, visible);
        if self.last.replace(Some(current)) == Some(current) || !report {
            return;
        }
        let hooks: Vec<Rc<dyn Fn()>> = {
            let mut hooks = self.hooks.borrow_mut();
            hooks.retain(|h| h.strong_count() > 0);
            hooks.iter().filter_map(Weak::upgrade).collect()
        };
        for hook in hooks {
            hook();
        }
        call(&self.on_change, self.status_value());
    }

    fn schedule(self: &Rc<Self>, in_ms: Option<f64>) {
        let Some(w) = web_sys::window() else {
            return;
        };
        if let Some(handle) = self.timer.borrow_mut().take() {
            w.clear_timeout_with_handle(handle);
        }
        let Some(ms) = in_ms else {
            return;
        };
        if self.timer_callback.borrow().is_none() {
            let weak = Rc::downgrade(self);
            let closure = Closure::<dyn FnMut()>::new(move || {
                if let Some(inner) = weak.upgrade() {
                    inner.timer.borrow_mut().take();
                    inner.refresh();
                }
            });
            *self.timer_callback.borrow_mut() = Some(closure);
        }
        let callback = self.timer_callback.borrow();
        if let Some(closure) = callback.as_ref() {
            // A few ms late rather than early: the requirement is met when the timer fires.
            // Clamped to 0..=600 000 ms: the cast is exact.
            #[allow(clippy::cast_possible_truncation)]
            let delay = (ms.clamp(0.0, 600_000.0) + 15.0).ceil() as i32;
            if let Ok(handle) = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                closure.as_ref().unchecked_ref(),
                delay,
            ) {
                *self.timer.borrow_mut() = Some(handle);
            }
        }
    }

    fn detach(&self) {
        self.listeners.borrow_mut().clear();
        if let Some((observer, _)) = self.observer.borrow_mut().take() {
            observer.disconnect();
        }
        if let (Some(w), Some(handle)) = (web_sys::window(), self.timer.borrow_mut().take()) {
            w.clear_timeout_with_handle(handle);
        }
    }
}

impl Drop for TrackerInner {
    fn drop(&mut self) {
        self.detach();
    }
}

/// Follows the reading of one document in its scroll box.
#[wasm_bindgen]
pub struct ReadingTracker {
    inner: Rc<TrackerInner>,
}

#[wasm_bindgen]
impl ReadingTracker {
    /// Starts following `element` (the scrollable box that shows the document's text).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "HTMLElement")] element: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ReadingOptions")] options: JsValue,
    ) -> Result<ReadingTracker, JsValue> {
        let w = window()?;
        let element: HtmlElement = element.dyn_into().map_err(|_| {
            type_error("new ReadingTracker(element): element must be an HTMLElement")
        })?;
        let options = optional_object(options);
        check_options(options.as_ref(), "", "reachEnd minSeconds locale onChange")?;
        let locale = parse_locale(&option_value(options.as_ref(), "locale")?)?;
        let reach_end = match option_value(options.as_ref(), "reachEnd")? {
            v if v.is_undefined() => true,
            v => v
                .as_bool()
                .ok_or_else(|| type_error("options.reachEnd must be a boolean"))?,
        };
        let min_seconds = match option_value(options.as_ref(), "minSeconds")? {
            v if v.is_undefined() => 0.0,
            v => v
                .as_f64()
                .ok_or_else(|| type_error("options.minSeconds must be a number"))?,
        };
        let requirement = ReadingRequirement::new(reach_end, min_seconds)
            .ok_or_else(|| range_error("options.minSeconds must be from 0 to 600"))?;
        let on_change = callback_option(options.as_ref())?;

        let inner = Rc::new(TrackerInner {
            reading: RefCell::new(Reading::new(
                requirement,
                now(),
                page_visible(),
                in_viewport(&element),
            )),
            element,
            locale,
            on_change,
            listeners: RefCell::new(Vec::new()),
            observer: RefCell::new(None),
            timer: RefCell::new(None),
            timer_callback: RefCell::new(None),
            hooks: RefCell::new(Vec::new()),
            last: Cell::new(None),
        });

        let weak = Rc::downgrade(&inner);
        let on_scroll = Listener::add(inner.element.clone().into(), "scroll", true, move |_| {
            if let Some(inner) = weak.upgrade() {
                inner.measure();
                inner.refresh();
            }
        })?;
        let weak = Rc::downgrade(&inner);
        let document: EventTarget = w
            .document()
            .ok_or_else(|| type_error("ReadingTracker needs a document"))?
            .into();
        let on_visibility = Listener::add(document, "visibilitychange", true, move |_| {
            if let Some(inner) = weak.upgrade() {
                inner
                    .reading
                    .borrow_mut()
                    .set_page_visible(page_visible(), now());
                inner.refresh();
            }
        })?;
        inner
            .listeners
            .borrow_mut()
            .extend([on_scroll, on_visibility]);

        // Old WebViews without IntersectionObserver: the box counts as in view.
        let weak = Rc::downgrade(&inner);
        let observed = Closure::<dyn FnMut(Array)>::new(move |entries: Array| {
            let Some(inner) = weak.upgrade() else {
                return;
            };
            let last = entries.iter().last();
            if let Some(entry) = last.and_then(|e| e.dyn_into::<IntersectionObserverEntry>().ok()) {
                inner
                    .reading
                    .borrow_mut()
                    .set_in_view(entry.is_intersecting(), now());
                inner.measure();
                inner.refresh();
            }
        });
        if let Ok(observer) = IntersectionObserver::new(observed.as_ref().unchecked_ref()) {
            observer.observe(&inner.element);
            *inner.observer.borrow_mut() = Some((observer, observed));
        } else {
            inner.reading.borrow_mut().set_in_view(true, now());
        }

        inner.measure();
        inner.update(false);
        Ok(ReadingTracker { inner })
    }

    /// Where the reading stands now.
    #[wasm_bindgen(unchecked_return_type = "ReadingStatus")]
    pub fn status(&self) -> Result<JsValue, JsValue> {
        self.inner.measure();
        self.inner.status_value()
    }

    /// The evidence a receipt records now: end reached, whole seconds visible, viewport, locale.
    #[wasm_bindgen(unchecked_return_type = "ReadingEvidence")]
    pub fn evidence(&self) -> Result<JsValue, JsValue> {
        let e = self
            .inner
            .reading
            .borrow_mut()
            .evidence(now(), viewport(), &browser_locale());
        evidence_value(&e)
    }

    /// Stops following (removes the listeners); `free()` does too.
    pub fn dispose(&self) {
        self.inner.detach();
    }
}

fn evidence_value(e: &consent::ReadingEvidence) -> Result<JsValue, JsValue> {
    let viewport = Object::new();
    Reflect::set(&viewport, &"width".into(), &e.viewport.width.into())?;
    Reflect::set(&viewport, &"height".into(), &e.viewport.height.into())?;
    let out = Object::new();
    Reflect::set(&out, &"reachedEnd".into(), &e.reached_end.into())?;
    Reflect::set(&out, &"visibleSeconds".into(), &e.visible_seconds.into())?;
    Reflect::set(&out, &"viewport".into(), &viewport)?;
    Reflect::set(&out, &"locale".into(), &e.locale.as_str().into())?;
    Ok(out.into())
}

struct GateInner {
    control: HtmlElement,
    checkbox: Option<HtmlInputElement>,
    /// Button mode: pressed by the user's own act.
    pressed: Cell<bool>,
    tracker: Rc<TrackerInner>,
    acceptance: RefCell<Acceptance>,
    locale: Locale,
    on_change: Option<Function>,
    listener: RefCell<Option<Listener>>,
    hook: RefCell<Option<Rc<dyn Fn()>>>,
    last: Cell<Option<GateState>>,
}

impl GateInner {
    fn checked_now(&self) -> bool {
        match &self.checkbox {
            Some(input) => input.checked(),
            None => self.pressed.get(),
        }
    }

    fn unmet(&self) -> Vec<Issue> {
        self.tracker.unmet()
    }

    fn state(&self) -> GateState {
        let met = self.unmet().is_empty();
        self.acceptance.borrow().state(met, self.checked_now())
    }

    fn untick(&self) {
        match &self.checkbox {
            Some(input) => input.set_checked(false),
            None => {
                self.pressed.set(false);
                let _ = self.control.set_attribute("aria-pressed", "false");
            }
        }
    }

    /// Enables the control once the reading requirement is met (or while it is accepted).
    fn apply(&self, state: GateState) {
        let locked = state == GateState::Locked;
        let _ = if locked {
            self.control.set_attribute("disabled", "")
        } else {
            self.control.remove_attribute("disabled")
        };
        let _ = self
            .control
            .set_attribute("aria-disabled", if locked { "true" } else { "false" });
    }

    fn status_value(&self) -> Result<JsValue, JsValue> {
        #[derive(serde::Serialize)]
        struct Status<'a> {
            state: &'static str,
            issues: Vec<shiming_js_common::dto::IssueDto<'a>>,
        }
        let state = self.state();
        let rejection = self.acceptance.borrow().rejection().to_vec();
        to_js(&Status {
            state: state.as_str(),
            issues: issues(&rejection, self.locale),
        })
    }

    /// After any change: applies the state to the control and reports it (nothing borrowed).
    fn refresh(&self, always_report: bool) {
        let state = self.state();
        self.apply(state);
        let changed = self.last.replace(Some(state)) != Some(state);
        if changed || always_report {
            call(&self.on_change, self.status_value());
        }
    }

    fn on_event(&self, event: &Event) {
        let trusted = event.is_trusted();
        let checked = match &self.checkbox {
            Some(input) => input.checked(),
            None => {
                if trusted {
                    self.pressed.set(!self.pressed.get());
                }
                self.pressed.get()
            }
        };
        let unmet = self.unmet();
        let fix = self
            .acceptance
            .borrow_mut()
            .on_change(trusted, checked, unmet);
        if fix == Correction::Untick {
            self.untick();
        } else if self.checkbox.is_none() {
            let _ = self
                .control
                .set_attribute("aria-pressed", if checked { "true" } else { "false" });
        }
        self.refresh(true);
    }
}

/// Binds acceptance of one document to one control: a checkbox (unticked) or a button.
#[wasm_bindgen]
pub struct ConsentGate {
    inner: Rc<GateInner>,
}

#[wasm_bindgen]
impl ConsentGate {
    /// Binds `control` (an `<input type="checkbox">` or a button) to the reading `tracker` of its
    /// document: the control stays disabled until the tracker's requirement is met (a tracker with
    /// `{ reachEnd: false }` requires nothing). A control found ticked is unticked and refused.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "HTMLInputElement | HTMLElement")] control: JsValue,
        tracker: &ReadingTracker,
        #[wasm_bindgen(unchecked_optional_param_type = "GateOptions")] options: JsValue,
    ) -> Result<ConsentGate, JsValue> {
        window()?;
        let control: HtmlElement = control.dyn_into().map_err(|_| {
            type_error("new ConsentGate(control): control must be a checkbox or a button element")
        })?;
        let checkbox = control
            .dyn_ref::<HtmlInputElement>()
            .filter(|i| i.type_().eq_ignore_ascii_case("checkbox"))
            .cloned();
        if control.dyn_ref::<HtmlInputElement>().is_some() && checkbox.is_none() {
            return Err(type_error(
                "new ConsentGate(control): an <input> must be type=\"checkbox\"",
            ));
        }
        let options = optional_object(options);
        check_options(options.as_ref(), "", "locale onChange")?;
        let locale = parse_locale(&option_value(options.as_ref(), "locale")?)?;
        let on_change = callback_option(options.as_ref())?;
        let initially = match &checkbox {
            Some(input) => input.checked(),
            None => control.get_attribute("aria-pressed").as_deref() == Some("true"),
        };
        let (acceptance, fix) = Acceptance::attach(initially);
        let inner = Rc::new(GateInner {
            control,
            checkbox,
            pressed: Cell::new(false),
            tracker: Rc::clone(&tracker.inner),
            acceptance: RefCell::new(acceptance),
            locale,
            on_change,
            listener: RefCell::new(None),
            hook: RefCell::new(None),
            last: Cell::new(None),
        });
        if fix == Correction::Untick {
            inner.untick();
        }
        if inner.checkbox.is_none() {
            let _ = inner.control.set_attribute("aria-pressed", "false");
        }
        // `click`, not `change`: `checkbox.click()` from script dispatches an untrusted click but
        // then a *trusted* change (fired by the browser's activation behaviour). A real click, a
        // key press (Space) and a click on the box's <label> all dispatch a trusted click.
        // Not passive: an act that does not count is cancelled.
        let weak = Rc::downgrade(&inner);
        let listener = Listener::add(inner.control.clone().into(), "click", false, move |e| {
            if let Some(inner) = weak.upgrade() {
                inner.on_event(&e);
            }
        })?;
        *inner.listener.borrow_mut() = Some(listener);
        let weak = Rc::downgrade(&inner);
        let hook: Rc<dyn Fn()> = Rc::new(move || {
            if let Some(inner) = weak.upgrade() {
                inner.refresh(false);
            }
        });
        inner.tracker.hooks.borrow_mut().push(Rc::downgrade(&hook));
        *inner.hook.borrow_mut() = Some(hook);
        // No callback from the constructor (the caller reads status() itself).
        let state = inner.state();
        inner.apply(state);
        inner.last.set(Some(state));
        Ok(ConsentGate { inner })
    }

    /// Where the control stands, and why the last act did not count.
    #[wasm_bindgen(unchecked_return_type = "GateStatus")]
    pub fn status(&self) -> Result<JsValue, JsValue> {
        self.inner.status_value()
    }

    /// The receipt of the user's acceptance of `document`, with the tracker's evidence; refused
    /// (`{ ok: false, issues }`) unless the user ticked the control themselves after reading.
    #[wasm_bindgen(unchecked_return_type = "ReceiptResult")]
    pub fn receipt(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AgreementDocument")] document: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Omit<ReceiptInput, 'reading'>")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        let inner = &self.inner;
        let confirmed = {
            let unmet = inner.unmet();
            inner
                .acceptance
                .borrow()
                .confirm(inner.checked_now(), unmet)
        };
        if let Err(list) = confirmed {
            return receipt_result(Err(list), inner.locale);
        }
        let evidence =
            inner
                .tracker
                .reading
                .borrow_mut()
                .evidence(now(), viewport(), &browser_locale());
        build_with_reading(&document, &input, evidence, inner.locale)
    }

    /// Removes the listener; `free()` does too.
    pub fn dispose(&self) {
        self.inner.listener.borrow_mut().take();
        self.inner.hook.borrow_mut().take();
    }
}
