//! wasm-bindgen-test in headless Chromium: the same tests as `wasm_node.rs`, in a browser.
#![cfg(target_arch = "wasm32")]

mod wasm_common;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

// Every test of wasm_common (the list lives there, once for both runners).
wasm_api_tests!();

/// `ReadingTracker` and `ConsentGate` on a real DOM (issue 5). A test cannot make a trusted
/// event (`isTrusted` is only true for the user's own input): the positive path, a real click and
/// a key press, runs in tests/js/consent.e2e.test.mjs through Playwright.
mod consent_dom {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]

    use js_sys::{Array, Object, Promise, Reflect};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;
    use web_sys::{HtmlElement, HtmlInputElement};

    use super::wasm_common::get;
    use shiming_consent_js::reading::{ConsentGate, ReadingTracker};

    async fn sleep(ms: i32) {
        let promise = Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }

    /// A 100 px scroll box holding 2,000 px of text, and an unticked checkbox, in the page.
    fn page(prechecked: bool) -> (HtmlElement, HtmlInputElement) {
        let document = web_sys::window().unwrap().document().unwrap();
        // The test runner writes its results into the body: leave them, and replace only ours.
        if let Some(old) = document.get_element_by_id("shiming-test") {
            old.remove();
        }
        let body: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
        body.set_id("shiming-test");
        document.body().unwrap().append_child(&body).unwrap();
        let scroll: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
        scroll
            .set_attribute("style", "height: 100px; overflow: auto; width: 300px")
            .unwrap();
        let text: HtmlElement = document.create_element("p").unwrap().dyn_into().unwrap();
        text.set_attribute("style", "height: 2000px; margin: 0")
            .unwrap();
        text.set_inner_text("《网站服务使用协议》……");
        scroll.append_child(&text).unwrap();
        let checkbox: HtmlInputElement = document
            .create_element("input")
            .unwrap()
            .dyn_into()
            .unwrap();
        checkbox.set_type("checkbox");
        checkbox.set_checked(prechecked);
        body.append_child(&scroll).unwrap();
        body.append_child(&checkbox).unwrap();
        (scroll, checkbox)
    }

    fn options(reach_end: bool, min_seconds: f64) -> JsValue {
        let o = Object::new();
        Reflect::set(&o, &"reachEnd".into(), &reach_end.into()).unwrap();
        Reflect::set(&o, &"minSeconds".into(), &min_seconds.into()).unwrap();
        o.into()
    }

    fn codes(list: &JsValue) -> Vec<String> {
        Array::from(list)
            .iter()
            .map(|i| get(&i, "code").as_string().unwrap())
            .collect()
    }

    fn document_and_input() -> (JsValue, JsValue) {
        let doc = super::wasm_common::consent_doc(
            "service",
            "1",
            "service_agreement",
            "《网站服务使用协议》……",
        );
        (doc, super::wasm_common::consent_input("reg:7f3a", 1).into())
    }

    #[wasm_bindgen_test]
    async fn consent_dom_scrolling_to_the_end_and_waiting_enables_acceptance() {
        let (scroll, checkbox) = page(false);
        let tracker = ReadingTracker::new(scroll.clone().into(), options(true, 0.4)).unwrap();
        let gate = ConsentGate::new(checkbox.clone().into(), &tracker, JsValue::UNDEFINED).unwrap();
        assert!(checkbox.disabled(), "disabled until read");
        assert_eq!(get(&gate.status().unwrap(), "state"), "locked");
        let status = tracker.status().unwrap();
        assert_eq!(
            codes(&get(&status, "missing"))[0],
            "consent_end_not_reached"
        );
        sleep(500).await;
        assert!(
            checkbox.disabled(),
            "time alone is not enough: the end was not reached"
        );

        scroll.set_scroll_top(5000);
        sleep(60).await; // the scroll event is dispatched on the next frame
        assert_eq!(get(&tracker.status().unwrap(), "reachedEnd"), JsValue::TRUE);
        assert_eq!(
            get(&tracker.status().unwrap(), "met"),
            JsValue::TRUE,
            "0.5 s already visible"
        );
        assert!(!checkbox.disabled(), "enabled once read");
        assert_eq!(get(&gate.status().unwrap(), "state"), "ready");

        // Not ticked: no receipt.
        let (doc, input) = document_and_input();
        let r = gate.receipt(doc, input).unwrap();
        assert_eq!(get(&r, "ok"), JsValue::FALSE);
        assert_eq!(codes(&get(&r, "issues")), ["consent_not_given"]);
        let evidence = tracker.evidence().unwrap();
        assert_eq!(get(&evidence, "reachedEnd"), JsValue::TRUE);
        assert!(get(&get(&evidence, "viewport"), "width").as_f64().unwrap() > 0.0);
    }

    #[wasm_bindgen_test]
    async fn consent_dom_waiting_the_minimum_time_enables_acceptance_by_itself() {
        let (scroll, checkbox) = page(false);
        let tracker = ReadingTracker::new(scroll.into(), options(false, 0.3)).unwrap();
        let _gate =
            ConsentGate::new(checkbox.clone().into(), &tracker, JsValue::UNDEFINED).unwrap();
        assert!(checkbox.disabled());
        sleep(450).await; // the tracker's own timer enables it, with no event at all
        assert!(!checkbox.disabled());
    }

    #[wasm_bindgen_test]
    async fn consent_dom_a_synthetic_click_is_rejected() {
        let (scroll, checkbox) = page(false);
        let tracker = ReadingTracker::new(scroll.into(), options(false, 0.0)).unwrap();
        let gate = ConsentGate::new(checkbox.clone().into(), &tracker, JsValue::UNDEFINED).unwrap();
        assert!(!checkbox.disabled());
        checkbox.click(); // isTrusted: false
        let status = gate.status().unwrap();
        assert!(
            !checkbox.checked(),
            "unticked again at once {:?}",
            js_sys::JSON::stringify(&status)
        );
        let status = gate.status().unwrap();
        assert_eq!(get(&status, "state"), "ready");
        assert_eq!(codes(&get(&status, "issues")), ["consent_untrusted_event"]);
        let (doc, input) = document_and_input();
        let r = gate.receipt(doc, input).unwrap();
        assert_eq!(codes(&get(&r, "issues")), ["consent_untrusted_event"]);
        // Ticked by script with a dispatched change event: no receipt either.
        checkbox.set_checked(true);
        let event = web_sys::Event::new("change").unwrap();
        checkbox.dispatch_event(&event).unwrap();
        let (doc, input) = document_and_input();
        let r = gate.receipt(doc, input).unwrap();
        assert_eq!(get(&r, "ok"), JsValue::FALSE);
        assert_eq!(
            get(&gate.status().unwrap(), "state"),
            "ready",
            "never accepted"
        );
    }

    #[wasm_bindgen_test]
    async fn consent_dom_a_pre_ticked_box_is_rejected() {
        let (scroll, checkbox) = page(true);
        let tracker = ReadingTracker::new(scroll.clone().into(), options(false, 0.0)).unwrap();
        let gate = ConsentGate::new(checkbox.clone().into(), &tracker, JsValue::UNDEFINED).unwrap();
        assert!(!checkbox.checked(), "unticked when bound");
        assert_eq!(
            codes(&get(&gate.status().unwrap(), "issues")),
            ["consent_prechecked"]
        );
        let (doc, input) = document_and_input();
        assert_eq!(
            codes(&get(
                &gate.receipt(doc.clone(), input.clone()).unwrap(),
                "issues"
            )),
            ["consent_prechecked"]
        );
        // Ticked by script later, without any event: refused when the receipt is made.
        let (_, other) = page(false);
        let tracker = ReadingTracker::new(scroll.into(), options(false, 0.0)).unwrap();
        let gate = ConsentGate::new(other.clone().into(), &tracker, JsValue::UNDEFINED).unwrap();
        other.set_checked(true);
        let r = gate.receipt(doc, input).unwrap();
        assert_eq!(get(&r, "ok"), JsValue::FALSE);
        assert_eq!(codes(&get(&r, "issues")), ["consent_prechecked"]);
    }

    /// Pretends the tab is hidden or shown: `document.visibilityState` redefined, and the event.
    fn set_tab_hidden(hidden: bool) {
        let document = web_sys::window().unwrap().document().unwrap();
        let descriptor = Object::new();
        let value = if hidden { "hidden" } else { "visible" };
        let getter = js_sys::Function::new_no_args(&format!("return '{value}'"));
        Reflect::set(&descriptor, &"get".into(), &getter).unwrap();
        Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE).unwrap();
        Object::define_property(&document, &"visibilityState".into(), &descriptor);
        document
            .dispatch_event(&web_sys::Event::new("visibilitychange").unwrap())
            .unwrap();
    }

    #[wasm_bindgen_test]
    async fn consent_dom_hiding_the_tab_pauses_the_reading_time() {
        let (scroll, _checkbox) = page(false);
        let tracker = ReadingTracker::new(scroll.into(), options(false, 5.0)).unwrap();
        sleep(300).await;
        set_tab_hidden(true);
        let at_hide = get(&tracker.status().unwrap(), "visibleSeconds")
            .as_f64()
            .unwrap();
        assert_eq!(get(&tracker.status().unwrap(), "visible"), JsValue::FALSE);
        sleep(600).await;
        let while_hidden = get(&tracker.status().unwrap(), "visibleSeconds")
            .as_f64()
            .unwrap();
        set_tab_hidden(false);
        sleep(300).await;
        let after = get(&tracker.status().unwrap(), "visibleSeconds")
            .as_f64()
            .unwrap();
        // Remove the override so that the other tests see the real state.
        Reflect::delete_property(
            &web_sys::window().unwrap().document().unwrap(),
            &"visibilityState".into(),
        )
        .unwrap();
        assert!((0.25..0.6).contains(&at_hide), "{at_hide}");
        assert_eq!(while_hidden, at_hide, "paused while hidden");
        assert!(
            after >= at_hide + 0.25 && after < at_hide + 0.6,
            "{at_hide} {after}"
        );
    }

    /// A misspelt option throws a `TypeError` naming it and the closest known one, as every
    /// other export's (tests/js/options.test.mjs, which has no DOM for these two).
    #[wasm_bindgen_test]
    fn consent_dom_unknown_options_throw() {
        let (scroll, checkbox) = page(false);
        let message = |error: JsValue| {
            assert!(error.is_instance_of::<js_sys::TypeError>());
            get(&error, "message").as_string().unwrap()
        };
        let typo = Object::new();
        Reflect::set(&typo, &"minSecond".into(), &1.into()).unwrap();
        let error = ReadingTracker::new(scroll.clone().into(), typo.into())
            .err()
            .unwrap();
        assert_eq!(
            message(error),
            "shiming: unknown option 'minSecond' (did you mean 'minSeconds'?)"
        );
        let tracker = ReadingTracker::new(scroll.into(), options(false, 0.0)).unwrap();
        let typo = Object::new();
        Reflect::set(&typo, &"onchange".into(), &JsValue::NULL).unwrap();
        let error = ConsentGate::new(checkbox.clone().into(), &tracker, typo.into())
            .err()
            .unwrap();
        assert_eq!(
            message(error),
            "shiming: unknown option 'onchange' (did you mean 'onChange'?)"
        );
        let gate = ConsentGate::new(checkbox.into(), &tracker, JsValue::UNDEFINED).unwrap();
        gate.dispose();
        tracker.dispose();
    }
}
