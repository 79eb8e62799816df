//! Sync client core (src/sync/): every state transition, the backoff schedule, Retry-After,
//! ordering, expiry, persistence across reloads, the trusted clock, and a deterministic
//! simulation against a flaky fake server with idempotency by key.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use shiming::consent::{
    build_receipt, Document, DocumentKind, ReadingEvidence, ReceiptInput, Viewport,
};
use shiming::date::Date;
use shiming::json::Value;
use shiming::sync::{
    classify, consents_request, idempotency_key, parse_http_date, parse_issues, parse_retry_after,
    read_policy_answer, receipt_ids, Backoff, ClockError, Disposition, EnqueueError, EntryKind,
    EntryState, Event, FailCode, OutgoingRequest, PolicyFailure, PolicyRefresh, PolicyReply,
    PolicyStep, RegistrationRequest, RestoreError, RetryReason, Status, SyncConfig, SyncQueue,
    TrustedClock, WirePath, DEFAULT_POLICY_ATTEMPTS, DEFAULT_POLICY_WAIT_MAX_MS, POLICY_MAX_BYTES,
    QUEUE_BUDGET_BYTES,
};
use shiming::{age_on, generate_test_id, AgeRule, IdKind, TestIdSpec};
use std::collections::{HashMap, HashSet};

/// 2025-11-29T00:00:00Z.
const T0: u64 = 1_764_374_400_000;
const HALF: u32 = 0x8000_0000;
const KEY_A: [u32; 4] = [0xA, 0xA, 0xA, 0xA];
const KEY_B: [u32; 4] = [0xB, 0xB, 0xB, 0xB];
const KEY_C: [u32; 4] = [0xC, 0xC, 0xC, 0xC];
const KEY_D: [u32; 4] = [0xD, 0xD, 0xD, 0xD];
const BODY: &str = r#"{"receipts":[{"consentReceiptID":"rcpt-0001"}]}"#;

fn queue() -> SyncQueue {
    SyncQueue::new(SyncConfig::default())
}

fn names(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.status.name()).collect()
}

/// A queue holding one consent, sent once (attempt 1 in flight).
fn sent_one() -> (SyncQueue, OutgoingRequest) {
    let mut q = queue();
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    let mut sent = q.poll(T0);
    assert_eq!(sent.len(), 1);
    q.drain_events();
    (q, sent.remove(0))
}

/// The request of the attempt of `id` now in flight, as `poll` returned it (an unknown id gets
/// a request no entry made).
fn current(q: &SyncQueue, id: &str) -> OutgoingRequest {
    match q.get(id) {
        Some(e) => OutgoingRequest {
            entry_id: id.into(),
            attempt: e.attempts,
            method: "POST",
            path: e.kind.path(),
            idempotency_key: e.idempotency_key.clone(),
            body: e.body.clone(),
        },
        None => OutgoingRequest {
            entry_id: id.into(),
            attempt: 1,
            method: "POST",
            path: "/consents",
            idempotency_key: idempotency_key(T0, [0; 4]),
            body: "{}".into(),
        },
    }
}

/// The answer to the attempt of `id` in flight (or, if none is, to its last attempt).
fn respond(
    q: &mut SyncQueue,
    id: &str,
    now_ms: u64,
    status: u16,
    retry_after: Option<&str>,
    body: &str,
    random: u32,
) -> bool {
    let request = current(q, id);
    q.on_response(&request, now_ms, status, retry_after, body, random)
}

/// No answer to the attempt of `id` in flight (or, if none is, to its last attempt).
fn lose(q: &mut SyncQueue, id: &str, now_ms: u64, random: u32) -> bool {
    let request = current(q, id);
    q.on_transport_error(&request, now_ms, random)
}

fn state_of<'q>(q: &'q SyncQueue, id: &str) -> &'q EntryState {
    &q.get(id).unwrap().state
}

// ---------------------------------------------------------------- transitions

#[test]
fn enqueue_emits_pending_and_poll_sends_with_the_key() {
    let mut q = queue();
    let key = q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    assert_eq!(
        key,
        format!("sk2-{:012x}0000000a0000000a0000000a0000000a", T0)
    );
    assert_eq!(key, idempotency_key(T0, KEY_A));
    // Made later, the key sorts later (a server's index grows at its end).
    assert!(idempotency_key(T0 + 1, [0; 4]) > idempotency_key(T0, [u32::MAX; 4]));
    let events = q.drain_events();
    assert_eq!(
        events,
        [Event {
            entry_id: "rcpt-0001".into(),
            kind: EntryKind::Consent,
            status: Status::Pending {
                attempts: 0,
                next_attempt_ms: T0,
                retry: None
            },
        }]
    );
    let sent = q.poll(T0);
    assert_eq!(
        sent,
        [OutgoingRequest {
            entry_id: "rcpt-0001".into(),
            attempt: 1,
            method: "POST",
            path: "/consents",
            idempotency_key: key,
            body: BODY.into(),
        }]
    );
    assert_eq!(q.drain_events()[0].status, Status::Sent { attempt: 1 });
    assert_eq!(
        state_of(&q, "rcpt-0001"),
        &EntryState::Sent { since_ms: T0 }
    );
    assert_eq!(q.in_flight(), 1);
    // In flight: not sent twice.
    assert!(q.poll(T0 + 10).is_empty());
}

#[test]
fn a_2xx_acks_and_removes_the_entry() {
    for status in [200u16, 201, 204] {
        let (mut q, _) = sent_one();
        let body = r#"{"accepted":[{"receiptId":"rcpt-0001","serverTime":1764374400123}]}"#;
        assert!(respond(&mut q, "rcpt-0001", T0 + 80, status, None, body, 0));
        assert_eq!(
            q.drain_events()[0].status,
            Status::Acked {
                status,
                body: body.into()
            }
        );
        assert!(q.is_empty());
        assert!(q.poll(T0 + 100).is_empty());
        assert_eq!(q.next_wakeup(), None);
    }
}

#[test]
fn a_4xx_rejects_with_the_parsed_issues_and_is_not_retried() {
    let (mut q, _) = sent_one();
    let body = r#"{"issues":[{"path":["receipts",0,"digest"],"code":"consent_receipt_digest_mismatch","params":{}},
                              {"path":["consents"],"code":"sync_consent_missing","params":{"kind":"sensitive_pi","n":1.50}}]}"#;
    assert!(respond(&mut q, "rcpt-0001", T0 + 80, 422, None, body, 0));
    let events = q.drain_events();
    let Status::Rejected { status, issues } = &events[0].status else {
        panic!("{events:?}")
    };
    assert_eq!(*status, 422);
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0].code, "consent_receipt_digest_mismatch");
    assert_eq!(
        issues[0].path,
        [
            WirePath::Key("receipts".into()),
            WirePath::Index(0),
            WirePath::Key("digest".into())
        ]
    );
    assert_eq!(
        issues[1].params[0],
        ("kind".into(), Value::String("sensitive_pi".into()))
    );
    // A fractional param is dropped (the module's params never have fractions), not the issue.
    assert_eq!(issues[1].params.len(), 1);
    assert!(matches!(
        state_of(&q, "rcpt-0001"),
        EntryState::Rejected { status: 422, .. }
    ));
    assert!(q.poll(T0 + 10_000_000).is_empty());
    assert_eq!(q.next_wakeup(), None);
    // Still there until the caller removes it.
    assert!(q.remove("rcpt-0001").is_some());
    assert!(q.is_empty());
}

#[test]
fn every_non_retryable_4xx_rejects_even_without_an_issue_list() {
    for status in [400u16, 401, 403, 404, 410, 413, 415, 422, 451] {
        let (mut q, _) = sent_one();
        assert!(respond(
            &mut q,
            "rcpt-0001",
            T0 + 1,
            status,
            None,
            "<html>nope</html>",
            0
        ));
        assert_eq!(
            q.drain_events()[0].status,
            Status::Rejected {
                status,
                issues: vec![]
            }
        );
    }
}

#[test]
fn retryable_statuses_go_back_to_pending_with_their_reason() {
    let cases = [
        (408u16, "", RetryReason::RequestTimeout),
        (
            409,
            r#"{"issues":[{"path":[],"code":"sync_request_in_progress","params":{}}]}"#,
            RetryReason::InProgress,
        ),
        (409, "", RetryReason::InProgress),
        (429, "", RetryReason::RateLimited),
        (500, "", RetryReason::ServerError),
        (502, "", RetryReason::ServerError),
        (503, "", RetryReason::Unavailable),
        (504, "", RetryReason::ServerError),
        (599, "", RetryReason::ServerError),
    ];
    for (status, body, reason) in cases {
        let (mut q, first) = sent_one();
        assert!(respond(
            &mut q,
            "rcpt-0001",
            T0 + 100,
            status,
            None,
            body,
            0
        ));
        let events = q.drain_events();
        let Status::Pending {
            attempts, retry, ..
        } = events[0].status
        else {
            panic!("{status}: {events:?}")
        };
        assert_eq!((attempts, retry), (1, Some(reason)), "{status}");
        assert_eq!(state_of(&q, "rcpt-0001"), &EntryState::Pending);
        // Later, sent again with the same key and body, as attempt 2.
        let again = q.poll(T0 + 400_000);
        assert_eq!(
            again,
            [OutgoingRequest {
                attempt: 2,
                ..first.clone()
            }],
            "{status}"
        );
        assert_eq!(q.drain_events()[0].status, Status::Sent { attempt: 2 });
    }
}

#[test]
fn a_409_with_another_code_is_a_rejection() {
    let (mut q, _) = sent_one();
    let body =
        r#"{"issues":[{"path":["form","idNumber"],"code":"sync_already_registered","params":{}}]}"#;
    respond(&mut q, "rcpt-0001", T0 + 1, 409, None, body, 0);
    assert!(matches!(
        state_of(&q, "rcpt-0001"),
        EntryState::Rejected { status: 409, .. }
    ));
}

#[test]
fn a_transport_error_goes_back_to_pending() {
    let (mut q, _) = sent_one();
    assert!(lose(&mut q, "rcpt-0001", T0 + 30_000, HALF));
    assert_eq!(
        q.drain_events()[0].status,
        Status::Pending {
            attempts: 1,
            next_attempt_ms: T0 + 30_000 + 500,
            retry: Some(RetryReason::TransportError)
        }
    );
    // Not in flight any more: a second report does not apply.
    assert!(!lose(&mut q, "rcpt-0001", T0 + 30_001, HALF));
    assert!(!lose(&mut q, "nobody-here", T0, HALF));
}

#[test]
fn a_status_outside_the_protocol_fails() {
    for status in [100u16, 204 + 100, 301, 302, 304, 0, 600, 999] {
        let (mut q, _) = sent_one();
        respond(&mut q, "rcpt-0001", T0 + 1, status, None, "", 0);
        let events = q.drain_events();
        let Status::Failed(reason) = &events[0].status else {
            panic!("{status}: {events:?}")
        };
        assert_eq!(reason.code, FailCode::UnexpectedStatus);
        assert_eq!(reason.code.as_str(), "unexpected_status");
        assert_eq!(reason.status, Some(status));
    }
}

#[test]
fn late_and_unknown_answers_are_ignored_but_a_2xx_always_acks() {
    let (mut q, _) = sent_one();
    assert!(!respond(&mut q, "unknown-id", T0, 201, None, "{}", 0));
    respond(&mut q, "rcpt-0001", T0 + 1, 503, None, "", 0);
    q.drain_events();
    // A second, late answer to the same attempt while pending: ignored.
    assert!(!respond(&mut q, "rcpt-0001", T0 + 2, 500, None, "", 0));
    assert!(!respond(&mut q, "rcpt-0001", T0 + 2, 422, None, "", 0));
    assert!(q.drain_events().is_empty());
    // A late 2xx: the record is stored, whatever the queue thought.
    assert!(respond(&mut q, "rcpt-0001", T0 + 3, 201, None, "{}", 0));
    assert_eq!(names(&q.drain_events()), ["acked"]);
    assert!(q.is_empty());
}

#[test]
fn the_status_names_are_the_ui_contract() {
    let (mut q, _) = sent_one();
    q.enqueue_registration("reg-0001", "{}", &["rcpt-0001"], T0, KEY_B)
        .unwrap();
    respond(&mut q, "rcpt-0001", T0 + 1, 201, None, "{}", 0);
    q.poll(T0 + 2);
    respond(&mut q, "reg-0001", T0 + 3, 422, None, "{}", 0);
    q.enqueue_consent("rcpt-0002", BODY, T0 + 4, KEY_C).unwrap();
    q.poll(T0 + 4);
    respond(&mut q, "rcpt-0002", T0 + 5, 302, None, "", 0);
    assert_eq!(
        names(&q.drain_events()),
        ["pending", "acked", "sent", "rejected", "pending", "sent", "failed"]
    );
    let state_names: Vec<&str> = q.entries().iter().map(|e| e.state.name()).collect();
    assert_eq!(state_names, ["rejected", "failed"]);
}

// ---------------------------------------------------------------- stale answers

/// The request of the backstop's resend: `first` got no answer within the request timeout, so the
/// queue gave up on it and sent the entry again.
fn resent_after_the_backstop(q: &mut SyncQueue, first: &OutgoingRequest) -> OutgoingRequest {
    let mut sent = q.poll(T0 + 120_000);
    if sent.is_empty() {
        let due = q.get(&first.entry_id).unwrap().next_attempt_ms;
        sent = q.poll(due);
    }
    assert_eq!(sent.len(), 1);
    q.drain_events();
    sent.remove(0)
}

#[test]
fn a_late_answer_to_an_earlier_attempt_is_ignored() {
    let (mut q, first) = sent_one();
    assert_eq!(first.attempt, 1);
    let second = resent_after_the_backstop(&mut q, &first);
    assert_eq!(
        second,
        OutgoingRequest {
            attempt: 2,
            ..first.clone()
        }
    );
    let at = second_sent_at(&q);
    // Attempt 1's answer arrives now: whatever it says, attempt 2 is what is in flight.
    for (status, body) in [(500u16, ""), (503, ""), (429, ""), (422, "{}"), (302, "")] {
        assert!(
            !q.on_response(&first, at + 1, status, Some("60"), body, 0),
            "{status}"
        );
    }
    assert!(!q.on_transport_error(&first, at + 1, 0));
    assert!(q.drain_events().is_empty());
    assert_eq!(
        state_of(&q, "rcpt-0001"),
        &EntryState::Sent { since_ms: at }
    );
    assert_eq!(q.get("rcpt-0001").unwrap().attempts, 2);
    // Attempt 2's own answer applies...
    assert!(q.on_response(&second, at + 2, 500, None, "", HALF));
    assert_eq!(names(&q.drain_events()), ["pending"]);
    // ...once: a duplicate of it, the entry now waiting, is late too.
    assert!(!q.on_response(&second, at + 3, 503, None, "", 0));
    assert!(!q.on_transport_error(&second, at + 3, 0));
    let third = q.poll(at + 400_000);
    assert_eq!(third[0].attempt, 3);
    // A late 2xx to attempt 1 means the record is stored: it acks, whatever is in flight.
    assert!(q.on_response(&first, at + 400_001, 201, None, "{}", 0));
    assert_eq!(names(&q.drain_events()), ["sent", "acked"]);
    assert!(q.is_empty());
    // And the answer to attempt 3 that follows finds nothing to change.
    assert!(!q.on_response(&third[0], at + 400_002, 201, None, "{}", 0));
}

/// When the entry of `sent_one` was last sent.
fn second_sent_at(q: &SyncQueue) -> u64 {
    match state_of(q, "rcpt-0001") {
        EntryState::Sent { since_ms } => *since_ms,
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_answer_from_before_a_reload_is_late() {
    let (q, first) = sent_one();
    let mut restored = SyncQueue::from_json(&q.to_json(), SyncConfig::default()).unwrap();
    let again = restored.poll(T0 + 10);
    assert_eq!(again[0].attempt, 2);
    assert_eq!(again[0].idempotency_key, first.idempotency_key);
    assert!(!restored.on_response(&first, T0 + 11, 500, None, "", 0));
    assert!(!restored.on_transport_error(&first, T0 + 11, 0));
    assert_eq!(restored.in_flight(), 1);
    assert!(restored.on_response(&first, T0 + 12, 200, None, "{}", 0));
    assert!(restored.is_empty());
}

#[test]
fn an_answer_for_a_removed_entry_never_touches_one_queued_later_under_its_id() {
    let (mut q, first) = sent_one();
    assert!(q.on_response(&first, T0 + 1, 422, None, "{}", 0));
    assert!(q.remove("rcpt-0001").is_some());
    q.enqueue_consent("rcpt-0001", BODY, T0 + 2, KEY_B).unwrap();
    let requeued = q.poll(T0 + 2).remove(0);
    assert_eq!(requeued.attempt, 1);
    assert_ne!(requeued.idempotency_key, first.idempotency_key);
    // The old entry's request (same id, same attempt number, another key): not this entry's.
    assert!(!q.on_response(&first, T0 + 3, 201, None, "{}", 0));
    assert!(!q.on_response(&first, T0 + 3, 500, None, "", 0));
    assert!(!q.on_transport_error(&first, T0 + 3, 0));
    assert_eq!(q.in_flight(), 1);
    assert!(q.on_response(&requeued, T0 + 4, 201, None, "{}", 0));
    assert!(q.is_empty());
}

// ---------------------------------------------------------------- dependency resolution

fn consents_body(receipts: &[&str]) -> String {
    let texts: Vec<String> = receipts
        .iter()
        .map(|r| format!(r#"{{"consentReceiptID":"{r}","version":"KI-CR-v1.1.0"}}"#))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    consents_request(&refs).unwrap()
}

#[test]
fn the_receipt_ids_of_a_consents_body() {
    assert_eq!(
        receipt_ids(&consents_body(&["rcpt-a", "rcpt-b"])),
        ["rcpt-a", "rcpt-b"]
    );
    assert_eq!(
        receipt_ids(r#"{"receipts":[{"consentReceiptID":1},{"consentReceiptID":"x"},{}]}"#),
        ["x"]
    );
    for body in ["", "[]", r#"{"receipts":{}}"#, r#"{"other":[]}"#] {
        assert!(receipt_ids(body).is_empty(), "{body}");
    }
}

/// A registration depends on the consent entries that carry the receipts it cites, found from the
/// queued bodies: after a reload too, whatever the entries are called.
#[test]
fn a_registration_depends_on_the_entries_carrying_its_receipts_across_reloads() {
    let config = SyncConfig::default();
    let mut q = queue();
    q.enqueue_consent("entry-1", &consents_body(&["rcpt-a", "rcpt-b"]), T0, KEY_A)
        .unwrap();
    q.enqueue_consent("entry-2", &consents_body(&["rcpt-c"]), T0, KEY_B)
        .unwrap();
    assert!(q.consent_entries_for(&[]).is_empty());
    // A reload between the consents and the registration.
    let mut q = SyncQueue::from_json(&q.to_json(), config).unwrap();
    // Each entry once, in the order first cited; a receipt in no entry adds nothing.
    assert_eq!(
        q.consent_entries_for(&["rcpt-c", "rcpt-b", "rcpt-x", "rcpt-a"]),
        ["entry-2", "entry-1"]
    );
    assert_eq!(q.consent_entries_for(&["rcpt-b"]), ["entry-1"]);
    let depends = q.consent_entries_for(&["rcpt-a", "rcpt-c"]);
    let depends: Vec<&str> = depends.iter().map(String::as_str).collect();
    q.enqueue_registration(
        "reg-0001",
        r#"{"registrationId":"reg-0001"}"#,
        &depends,
        T0,
        KEY_C,
    )
    .unwrap();
    assert_eq!(
        q.get("reg-0001").unwrap().depends_on,
        ["entry-1", "entry-2"]
    );
    let sent = q.poll(T0);
    assert_eq!(
        sent.iter().map(|r| r.entry_id.as_str()).collect::<Vec<_>>(),
        ["entry-1", "entry-2"]
    );
    assert!(q.on_response(&sent[0], T0 + 1, 201, None, "{}", 0));
    // Another reload with entry-2 in flight: the registration still waits for it.
    let mut q = SyncQueue::from_json(&q.to_json(), config).unwrap();
    assert_eq!(
        q.get("reg-0001").unwrap().depends_on,
        ["entry-1", "entry-2"]
    );
    let resent = q.poll(T0 + 2);
    assert_eq!(
        resent
            .iter()
            .map(|r| r.entry_id.as_str())
            .collect::<Vec<_>>(),
        ["entry-2"]
    );
    // entry-1 was stored: a registration citing its receipts now depends on nothing.
    assert!(q.consent_entries_for(&["rcpt-a", "rcpt-b"]).is_empty());
    assert!(q.on_response(&resent[0], T0 + 3, 201, None, "{}", 0));
    let last = q.poll(T0 + 3);
    assert_eq!(last[0].entry_id, "reg-0001");
}

#[test]
fn a_receipt_queued_again_depends_on_its_latest_entry() {
    let mut q = queue();
    q.enqueue_consent("entry-1", &consents_body(&["rcpt-a"]), T0, KEY_A)
        .unwrap();
    let first = q.poll(T0).remove(0);
    assert!(q.on_response(&first, T0 + 1, 422, None, "{}", 0));
    // Queued again (corrected) under a new entry; the rejected one is still shown.
    q.enqueue_consent("entry-2", &consents_body(&["rcpt-a"]), T0 + 2, KEY_B)
        .unwrap();
    assert_eq!(q.consent_entries_for(&["rcpt-a"]), ["entry-2"]);
    // Registrations never depend on other registrations, whatever their bodies hold.
    q.enqueue_registration("reg-0001", &consents_body(&["rcpt-z"]), &[], T0, KEY_C)
        .unwrap();
    assert!(q.consent_entries_for(&["rcpt-z"]).is_empty());
}

// ---------------------------------------------------------------- enqueue

#[test]
fn enqueue_refuses_bad_ids_bodies_and_keys() {
    let mut q = queue();
    let cases: [(&str, &str, &[&str], EnqueueError); 8] = [
        ("", "{}", &[], EnqueueError::InvalidId),
        ("has space", "{}", &[], EnqueueError::InvalidId),
        ("注册", "{}", &[], EnqueueError::InvalidId),
        (
            "11010519491231002X",
            "{}",
            &[],
            EnqueueError::IdLooksPersonal,
        ),
        ("reg-13800138000", "{}", &[], EnqueueError::IdLooksPersonal),
        (
            "reg-0001",
            "{}",
            &["11010519491231002X"],
            EnqueueError::IdLooksPersonal,
        ),
        (
            "reg-0001",
            "{}",
            &["reg-0001"],
            EnqueueError::InvalidDependency,
        ),
        ("reg-0001", "{\"a\":", &[], EnqueueError::BodyNotJson),
    ];
    for (id, body, deps, error) in cases {
        assert_eq!(
            q.enqueue(EntryKind::Registration, id, body, deps, T0, KEY_A),
            Err(error),
            "{id}"
        );
    }
    assert_eq!(EnqueueError::IdLooksPersonal.as_str(), "id_looks_personal");
    let too_long = "a".repeat(129);
    assert_eq!(
        q.enqueue_consent(&too_long, "{}", T0, KEY_A),
        Err(EnqueueError::InvalidId)
    );
    q.enqueue_consent("rcpt-0001", "{}", T0, KEY_A).unwrap();
    assert_eq!(
        q.enqueue_consent("rcpt-0001", "{}", T0, KEY_B),
        Err(EnqueueError::DuplicateId)
    );
    assert_eq!(
        q.enqueue_consent("rcpt-0002", "{}", T0, KEY_A),
        Err(EnqueueError::KeyCollision)
    );
    assert_eq!(q.len(), 1);
    // Refused entries emit nothing.
    assert_eq!(names(&q.drain_events()), ["pending"]);
}

#[test]
fn enqueue_keeps_the_persisted_queue_under_its_budget() {
    let mut q = queue();
    let body = format!("{{\"pad\":\"{}\"}}", "x".repeat(40_000));
    let mut accepted = 0u32;
    let outcome = loop {
        let id = format!("rcpt-{accepted:04}");
        match q.enqueue_consent(&id, &body, T0, [accepted, 1, 2, 3]) {
            Ok(_) => accepted += 1,
            Err(e) => break e,
        }
    };
    assert_eq!(outcome, EnqueueError::QueueFull);
    assert_eq!(accepted, 4);
    assert!(q.to_json().len() <= QUEUE_BUDGET_BYTES);
    assert!(SyncQueue::from_json(&q.to_json(), SyncConfig::default()).is_ok());
}

// ---------------------------------------------------------------- backoff

#[test]
fn backoff_full_jitter_exact_values() {
    let b = Backoff::default();
    assert_eq!((b.base_ms, b.cap_ms), (1_000, 300_000));
    let ceilings: Vec<u64> = (1..=12).map(|n| b.ceiling_ms(n)).collect();
    assert_eq!(
        ceilings,
        [
            1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000,
            300_000
        ]
    );
    assert_eq!(b.ceiling_ms(0), 1_000);
    assert_eq!(b.ceiling_ms(u32::MAX), 300_000);
    // delay = ⌊ceiling × r / 2^32⌋
    assert_eq!(b.delay_ms(1, 0), 0);
    assert_eq!(b.delay_ms(1, HALF), 500);
    assert_eq!(b.delay_ms(1, u32::MAX), 999);
    assert_eq!(b.delay_ms(3, HALF), 2_000);
    assert_eq!(b.delay_ms(3, 0x4000_0000), 1_000);
    assert_eq!(b.delay_ms(9, 0xC000_0000), 192_000);
    assert_eq!(b.delay_ms(10, HALF), 150_000);
    assert_eq!(b.delay_ms(10, u32::MAX), 299_999);
    assert_eq!(b.delay_ms(64, u32::MAX), 299_999);
    assert_eq!(b.delay_ms(200, HALF), 150_000);
    let custom = Backoff {
        base_ms: 250,
        cap_ms: 10_000,
    };
    let values: Vec<u64> = (1..=8).map(|n| custom.delay_ms(n, HALF)).collect();
    assert_eq!(values, [125, 250, 500, 1_000, 2_000, 4_000, 5_000, 5_000]);
    let huge = Backoff {
        base_ms: u64::MAX,
        cap_ms: u64::MAX,
    };
    assert_eq!(huge.ceiling_ms(70), u64::MAX);
}

/// Sends the one entry and fails it `failures` times with 500 and random `HALF`; the delays seen.
fn delays_after_failures(config: SyncConfig, failures: u32) -> Vec<u64> {
    let mut q = SyncQueue::new(config);
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    let mut now = T0;
    let mut delays = Vec::new();
    for _ in 0..failures {
        assert_eq!(q.poll(now).len(), 1);
        respond(&mut q, "rcpt-0001", now, 500, None, "", HALF);
        let next = q.get("rcpt-0001").unwrap().next_attempt_ms;
        delays.push(next - now);
        // One millisecond early: not sent.
        if next > now {
            assert!(q.poll(next - 1).is_empty());
        }
        now = next;
    }
    delays
}

#[test]
fn the_queue_follows_the_schedule_up_to_the_cap() {
    let delays = delays_after_failures(SyncConfig::default(), 12);
    assert_eq!(
        delays,
        [
            500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 150_000, 150_000,
            150_000
        ]
    );
    let config = SyncConfig {
        backoff: Backoff {
            base_ms: 100,
            cap_ms: 1_000,
        },
        ..SyncConfig::default()
    };
    assert_eq!(
        delays_after_failures(config, 6),
        [50, 100, 200, 400, 500, 500]
    );
}

/// The delay after one answer `status` with `retry_after` to attempt `attempt`, random `r`.
fn delay_for(status: u16, retry_after: Option<&str>, r: u32, attempt: u32) -> u64 {
    let mut q = queue();
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    let mut now = T0;
    for _ in 1..attempt {
        q.poll(now);
        lose(&mut q, "rcpt-0001", now, 0);
        now += 1;
    }
    assert_eq!(q.poll(now).len(), 1);
    respond(&mut q, "rcpt-0001", now, status, retry_after, "", r);
    q.get("rcpt-0001").unwrap().next_attempt_ms - now
}

#[test]
fn retry_after_delta_seconds_is_a_lower_bound() {
    assert_eq!(delay_for(503, Some("120"), HALF, 1), 120_000);
    assert_eq!(delay_for(429, Some(" 7 "), HALF, 1), 7_000);
    assert_eq!(delay_for(500, Some("0"), HALF, 1), 500);
    // Shorter than the backoff: the backoff wins.
    assert_eq!(delay_for(503, Some("1"), HALF, 6), 16_000);
    // Longer than retry_after_max (1 h): cut to it.
    assert_eq!(
        delay_for(503, Some("999999999999999999999999"), HALF, 1),
        3_600_000
    );
    assert_eq!(delay_for(409, Some("1"), 0, 1), 1_000);
}

#[test]
fn retry_after_http_date_in_all_three_forms() {
    // T0 = Sat, 29 Nov 2025 00:00:00 GMT.
    for value in [
        "Sat, 29 Nov 2025 00:01:30 GMT",
        "Saturday, 29-Nov-25 00:01:30 GMT",
        "Sat Nov 29 00:01:30 2025",
    ] {
        assert_eq!(parse_retry_after(value, T0), Some(90_000), "{value}");
        assert_eq!(delay_for(503, Some(value), HALF, 1), 90_000, "{value}");
    }
    assert_eq!(
        parse_retry_after("Sat Nov  1 00:00:00 2025", T0 - 28 * 86_400_000),
        Some(0)
    );
    // In the past: no constraint, the backoff applies.
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", T0),
        Some(0)
    );
    assert_eq!(
        delay_for(500, Some("Sun, 06 Nov 1994 08:49:37 GMT"), HALF, 1),
        500
    );
}

#[test]
fn http_date_vectors() {
    // RFC 9110 §5.6.7's example, 784111777 s.
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", 2025),
        Some(784_111_777)
    );
    assert_eq!(
        parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", 2025),
        Some(784_111_777)
    );
    assert_eq!(
        parse_http_date("Sun Nov  6 08:49:37 1994", 2025),
        Some(784_111_777)
    );
    // RFC 850 years: more than 50 years ahead means the past century.
    assert_eq!(
        parse_http_date("Tuesday, 01-Jan-80 00:00:00 GMT", 2025),
        parse_http_date("Tue, 01 Jan 1980 00:00:00 GMT", 2025)
    );
    assert_eq!(
        parse_http_date("Thursday, 01-Jan-70 00:00:00 GMT", 2025),
        parse_http_date("Tue, 01 Jan 2070 00:00:00 GMT", 2025)
    );
    assert_eq!(
        parse_http_date("Monday, 01-Jan-75 00:00:00 GMT", 2025),
        parse_http_date("Wed, 01 Jan 2075 00:00:00 GMT", 2025)
    );
    assert_eq!(
        parse_http_date("Monday, 01-Jan-05 00:00:00 GMT", 2090),
        parse_http_date("Mon, 01 Jan 2105 00:00:00 GMT", 2090)
    );
    assert_eq!(
        parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT", 2025),
        Some(0)
    );
    assert_eq!(
        parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT", 2025),
        Some(1_483_228_800)
    );
}

#[test]
fn malformed_retry_after_is_ignored() {
    for value in [
        "",
        " ",
        "soon",
        "-1",
        "+5",
        "1.5",
        "1e3",
        "12 s",
        "0x10",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov 06 08:49:37 94",
        "2025-11-29T00:01:30Z",
        "５",
    ] {
        assert_eq!(parse_retry_after(value, T0), None, "{value:?}");
        assert_eq!(delay_for(500, Some(value), HALF, 1), 500, "{value:?}");
    }
}

#[test]
fn throttling_without_retry_after_waits_at_least_the_floor() {
    // 5 s + full jitter, capped at 5 min.
    assert_eq!(delay_for(429, None, 0, 1), 5_000);
    assert_eq!(delay_for(503, None, HALF, 1), 5_500);
    assert_eq!(delay_for(503, None, HALF, 4), 9_000);
    assert_eq!(delay_for(429, None, u32::MAX, 12), 300_000);
    // A malformed Retry-After is as if absent.
    assert_eq!(delay_for(429, Some("later"), HALF, 1), 5_500);
    // Other 5xx get no floor.
    assert_eq!(delay_for(500, None, 0, 1), 0);
    assert_eq!(delay_for(502, None, HALF, 2), 1_000);
}

#[test]
fn classify_and_issues() {
    assert_eq!(classify(201, ""), Disposition::Stored);
    assert_eq!(
        classify(429, ""),
        Disposition::Retry(RetryReason::RateLimited)
    );
    assert_eq!(classify(422, "not json"), Disposition::Rejected(vec![]));
    assert_eq!(classify(302, ""), Disposition::Unexpected);
    // Malformed issues are skipped, at most 20 kept.
    let mut items = vec![
        r#"{"code":""}"#.to_string(),
        r#"{"path":"x","code":"a"}"#.to_string(),
        r#"{"path":[-1],"code":"a"}"#.to_string(),
        r#"{"path":[true],"code":"a"}"#.to_string(),
        r#"{"code":"kept_without_path"}"#.to_string(),
    ];
    items.extend((0..30).map(|i| format!(r#"{{"path":[{i}],"code":"c{i}","params":{{}}}}"#)));
    let issues = parse_issues(&format!("{{\"issues\":[{}]}}", items.join(",")));
    assert_eq!(issues.len(), 20);
    assert_eq!(issues[0].code, "kept_without_path");
    assert_eq!(issues[1].path, [WirePath::Index(0)]);
    assert!(parse_issues(r#"{"issues":{}}"#).is_empty());
    assert!(parse_issues("[]").is_empty());
    for reason in RetryReason::ALL {
        assert_eq!(RetryReason::parse(reason.as_str()), Some(reason));
    }
}

// ---------------------------------------------------------------- ordering

#[test]
fn a_registration_waits_for_every_consent_it_cites() {
    let mut q = queue();
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    q.enqueue_consent("rcpt-0002", BODY, T0, KEY_B).unwrap();
    q.enqueue_consent("rcpt-0003", BODY, T0, KEY_C).unwrap();
    q.enqueue_registration(
        "reg-0001",
        "{}",
        &["rcpt-0001", "rcpt-0002", "rcpt-0003"],
        T0,
        KEY_D,
    )
    .unwrap();
    let sent: Vec<String> = q.poll(T0).into_iter().map(|r| r.entry_id).collect();
    assert_eq!(sent, ["rcpt-0001", "rcpt-0002", "rcpt-0003"]);
    respond(&mut q, "rcpt-0002", T0 + 1, 201, None, "{}", 0);
    respond(&mut q, "rcpt-0001", T0 + 1, 503, Some("10"), "", 0);
    assert!(q.poll(T0 + 2).is_empty());
    // The registration's wake-up is its expiry only, not a send time.
    respond(&mut q, "rcpt-0003", T0 + 3, 201, None, "{}", 0);
    assert!(q.poll(T0 + 4).is_empty());
    assert_eq!(q.next_wakeup(), Some(T0 + 1 + 10_000));
    let sent = q.poll(T0 + 10_001);
    assert_eq!(sent[0].entry_id, "rcpt-0001");
    respond(&mut q, "rcpt-0001", T0 + 10_002, 200, None, "{}", 0);
    let sent = q.poll(T0 + 10_002);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].entry_id, "reg-0001");
    assert_eq!(sent[0].path, "/registrations");
}

#[test]
fn a_dependency_not_in_the_queue_counts_as_stored() {
    let mut q = queue();
    q.enqueue_registration("reg-0001", "{}", &["rcpt-synced-earlier"], T0, KEY_D)
        .unwrap();
    assert_eq!(q.poll(T0).len(), 1);
}

#[test]
fn at_most_max_in_flight() {
    let config = SyncConfig {
        max_in_flight: 2,
        ..SyncConfig::default()
    };
    let mut q = SyncQueue::new(config);
    for i in 0..5u32 {
        q.enqueue_consent(&format!("rcpt-000{i}"), BODY, T0, [i, 9, 9, 9])
            .unwrap();
    }
    assert_eq!(q.poll(T0).len(), 2);
    assert!(q.poll(T0).is_empty());
    // Slots full: the next wake-up is the backstop timeout, not the due entries.
    assert_eq!(q.next_wakeup(), Some(T0 + 120_000));
    respond(&mut q, "rcpt-0000", T0 + 5, 201, None, "{}", 0);
    let next: Vec<String> = q.poll(T0 + 5).into_iter().map(|r| r.entry_id).collect();
    assert_eq!(next, ["rcpt-0002"]);
}

#[test]
fn a_rejected_or_failed_consent_fails_its_registrations_naming_it() {
    let mut q = queue();
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    q.enqueue_consent("rcpt-0002", BODY, T0, KEY_B).unwrap();
    q.enqueue_registration("reg-0001", "{}", &["rcpt-0001", "rcpt-0002"], T0, KEY_C)
        .unwrap();
    q.poll(T0);
    q.drain_events();
    respond(&mut q, "rcpt-0002", T0 + 1, 422, None, "{}", 0);
    let events = q.drain_events();
    assert_eq!(names(&events), ["rejected", "failed"]);
    let Status::Failed(reason) = &events[1].status else {
        panic!()
    };
    assert_eq!(events[1].entry_id, "reg-0001");
    assert_eq!(reason.code.as_str(), "dependency_rejected");
    assert_eq!(reason.dependency.as_deref(), Some("rcpt-0002"));
    // The other consent is unaffected and still acks.
    respond(&mut q, "rcpt-0001", T0 + 2, 201, None, "{}", 0);
    assert!(q.poll(T0 + 3).is_empty());

    // A failed (expired) consent: dependency_failed; a registration queued later on a failed
    // consent fails too; a cascade through two levels.
    let mut q = queue();
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    q.enqueue_registration("reg-0001", "{}", &["rcpt-0001"], T0, KEY_B)
        .unwrap();
    q.enqueue_registration("reg-0002", "{}", &["reg-0001"], T0, KEY_C)
        .unwrap();
    q.drain_events();
    q.poll(T0);
    respond(&mut q, "rcpt-0001", T0 + 1, 301, None, "", 0);
    let events = q.drain_events();
    let failed: Vec<(String, &str, Option<String>)> = events
        .iter()
        .filter_map(|e| match &e.status {
            Status::Failed(r) => Some((e.entry_id.clone(), r.code.as_str(), r.dependency.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        failed,
        [
            ("rcpt-0001".into(), "unexpected_status", None),
            (
                "reg-0001".into(),
                "dependency_failed",
                Some("rcpt-0001".into())
            ),
            (
                "reg-0002".into(),
                "dependency_failed",
                Some("reg-0001".into())
            ),
        ]
    );
    q.enqueue_registration("reg-0003", "{}", &["rcpt-0001"], T0 + 2, KEY_D)
        .unwrap();
    assert!(q.poll(T0 + 2).is_empty());
    assert_eq!(q.drain_events().last().unwrap().status.name(), "failed");
}

// ---------------------------------------------------------------- expiry

#[test]
fn expiry_fails_an_entry_and_never_drops_it() {
    let config = SyncConfig {
        ttl_ms: 60_000,
        ..SyncConfig::default()
    };
    let mut q = SyncQueue::new(config);
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    assert_eq!(q.get("rcpt-0001").unwrap().expires_ms, T0 + 60_000);
    q.poll(T0);
    respond(&mut q, "rcpt-0001", T0 + 1, 503, Some("3600"), "", 0);
    q.enqueue_registration("reg-0001", "{}", &["rcpt-0001"], T0 + 1_000, KEY_B)
        .unwrap();
    // Waiting for the retry, the expiry is the wake-up.
    assert_eq!(q.next_wakeup(), Some(T0 + 60_000));
    q.drain_events();
    assert!(q.poll(T0 + 59_999).is_empty());
    assert!(q.drain_events().is_empty());
    assert!(q.poll(T0 + 60_000).is_empty());
    let events = q.drain_events();
    assert_eq!(names(&events), ["failed", "failed"]);
    assert_eq!(events[0].entry_id, "rcpt-0001");
    assert_eq!(FailCode::Expired.as_str(), "expired");
    assert!(matches!(&events[0].status, Status::Failed(r) if r.code == FailCode::Expired));
    assert!(matches!(&events[1].status, Status::Failed(r) if r.code == FailCode::DependencyFailed));
    assert_eq!(q.len(), 2);
    assert_eq!(q.next_wakeup(), None);
}

#[test]
fn an_entry_due_with_its_dependency_reports_the_dependency() {
    // Offline: nothing is ever answered. The consent and the registration that depends on it are
    // both past their time when the queue next wakes (a page asleep, a slow timer): the
    // registration names the consent as its cause instead of an expiry of its own, whichever
    // order they were queued in and whichever expiry the wake-up was for.
    let config = SyncConfig {
        ttl_ms: 300,
        ..SyncConfig::default()
    };
    for (consent_at, registration_at, wake) in [(T0, T0, T0 + 300), (T0, T0 + 5, T0 + 900)] {
        let mut q = SyncQueue::new(config);
        q.enqueue_consent("rcpt-0001", BODY, consent_at, KEY_A)
            .unwrap();
        q.enqueue_registration("reg-0001", "{}", &["rcpt-0001"], registration_at, KEY_B)
            .unwrap();
        let sent = q.poll(T0);
        assert_eq!(sent.len(), 1);
        lose(&mut q, "rcpt-0001", T0 + 1, 0);
        q.drain_events();
        assert!(q.poll(wake).is_empty());
        let failed: Vec<(String, &str, Option<String>)> = q
            .drain_events()
            .iter()
            .filter_map(|e| match &e.status {
                Status::Failed(r) => {
                    Some((e.entry_id.clone(), r.code.as_str(), r.dependency.clone()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            failed,
            [
                ("rcpt-0001".into(), "expired", None),
                (
                    "reg-0001".into(),
                    "dependency_failed",
                    Some("rcpt-0001".into())
                ),
            ],
            "woken at {wake}"
        );
    }
    // A registration whose own time is up while its consent is still waiting expires by itself.
    let mut q = SyncQueue::new(config);
    q.enqueue_consent("rcpt-0001", BODY, T0 + 200, KEY_A)
        .unwrap();
    q.enqueue_registration("reg-0001", "{}", &["rcpt-0001"], T0, KEY_B)
        .unwrap();
    q.drain_events();
    q.poll(T0 + 300);
    let events = q.drain_events();
    assert!(events.iter().any(|e| e.entry_id == "reg-0001"
        && matches!(&e.status, Status::Failed(r) if r.code == FailCode::Expired)));
    assert!(!events
        .iter()
        .any(|e| e.entry_id == "rcpt-0001" && e.status.name() == "failed"));
}

#[test]
fn an_entry_in_flight_at_its_expiry_waits_for_its_answer() {
    let config = SyncConfig {
        ttl_ms: 60_000,
        ..SyncConfig::default()
    };
    let mut q = SyncQueue::new(config);
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    q.poll(T0 + 59_000);
    assert!(q.poll(T0 + 61_000).is_empty());
    assert_eq!(state_of(&q, "rcpt-0001").name(), "sent");
    // A late success still acks...
    let mut stored = q.clone();
    respond(&mut stored, "rcpt-0001", T0 + 62_000, 201, None, "{}", 0);
    assert!(stored.is_empty());
    // ...a retryable failure past the expiry fails it.
    q.drain_events();
    lose(&mut q, "rcpt-0001", T0 + 62_000, 0);
    assert!(
        matches!(&q.drain_events()[0].status, Status::Failed(r) if r.code == FailCode::Expired)
    );
}

#[test]
fn the_backstop_timeout_retries_a_request_never_reported() {
    let mut q = queue();
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    q.poll(T0);
    q.drain_events();
    assert_eq!(q.next_wakeup(), Some(T0 + 120_000));
    assert!(q.poll(T0 + 119_999).is_empty());
    q.poll(T0 + 120_000);
    let events = q.drain_events();
    assert!(matches!(
        events[0].status,
        Status::Pending {
            attempts: 1,
            retry: Some(RetryReason::NoResponse),
            ..
        }
    ));
    // The jitter is derived from the random key: within the first ceiling.
    let next = q.get("rcpt-0001").unwrap().next_attempt_ms;
    assert!((T0 + 120_000..T0 + 121_000).contains(&next));
}

#[test]
fn a_device_clock_set_backwards_does_not_park_the_queue() {
    let mut q = queue();
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    q.poll(T0);
    respond(&mut q, "rcpt-0001", T0, 500, None, "", HALF);
    // The clock goes back 5 years: the wait (500 ms) would become 5 years.
    let back = T0 - 5 * 365 * 86_400_000;
    let sent = q.poll(back);
    assert_eq!(sent.len(), 1);
    let entry = q.get("rcpt-0001").unwrap();
    assert_eq!(entry.expires_ms, back + 24 * 3_600_000);
}

// ---------------------------------------------------------------- persistence

#[test]
fn restore_after_reload_resends_in_flight_entries_with_the_same_key() {
    let mut q = queue();
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    q.enqueue_consent("rcpt-0002", BODY, T0, KEY_B).unwrap();
    q.enqueue_registration(
        "reg-0001",
        r#"{"registrationId":"reg-0001"}"#,
        &["rcpt-0001", "rcpt-0002"],
        T0,
        KEY_C,
    )
    .unwrap();
    let first = q.poll(T0);
    respond(&mut q, "rcpt-0002", T0 + 5, 503, Some("30"), "", 0);
    let saved = q.to_json();
    assert!(
        saved.starts_with(r#"{"entries":[{"attempts":1,"body":"#),
        "{saved}"
    );
    assert!(!saved.contains("\n"));

    let mut restored = SyncQueue::from_json(&saved, SyncConfig::default()).unwrap();
    let restored_json = restored.to_json();
    let events = restored.drain_events();
    assert_eq!(
        events,
        [Event {
            entry_id: "rcpt-0001".into(),
            kind: EntryKind::Consent,
            status: Status::Pending {
                attempts: 1,
                next_attempt_ms: T0,
                retry: Some(RetryReason::Restored)
            },
        }]
    );
    assert_eq!(restored.get("rcpt-0002"), q.get("rcpt-0002"));
    assert_eq!(restored.get("reg-0001"), q.get("reg-0001"));
    let again = restored.poll(T0 + 10);
    assert_eq!(
        again,
        [OutgoingRequest {
            attempt: 2,
            ..first[0].clone()
        }]
    );
    assert_eq!(restored.get("rcpt-0001").unwrap().attempts, 2);
    // Saving again gives the same bytes for the same queue.
    assert_eq!(
        SyncQueue::from_json(&restored_json, SyncConfig::default())
            .unwrap()
            .to_json(),
        restored_json
    );
}

#[test]
fn rejected_and_failed_entries_survive_a_reload() {
    let mut q = queue();
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    q.enqueue_registration("reg-0001", "{}", &["rcpt-0001"], T0, KEY_B)
        .unwrap();
    q.poll(T0);
    let body = r#"{"issues":[{"path":["receipts",0],"code":"consent_document_unknown","params":{"big":1e400,"x":[1,"二"]}}]}"#;
    respond(&mut q, "rcpt-0001", T0 + 1, 422, None, body, 0);
    let restored = SyncQueue::from_json(&q.to_json(), SyncConfig::default()).unwrap();
    assert_eq!(restored.entries(), q.entries());
    let EntryState::Rejected { issues, .. } = &restored.entries()[0].state else {
        panic!()
    };
    // 1e400 has no canonical form: dropped when read, so the queue can always be written.
    assert_eq!(issues[0].params.len(), 1);
    assert!(
        matches!(&restored.entries()[1].state, EntryState::Failed(r) if r.dependency.as_deref() == Some("rcpt-0001"))
    );
}

#[test]
fn malformed_stored_queues_are_errors() {
    let mut q = queue();
    q.enqueue_registration("reg-0001", "{}", &["rcpt-0001"], T0, KEY_A)
        .unwrap();
    let good = q.to_json();
    assert!(SyncQueue::from_json(&good, SyncConfig::default()).is_ok());
    let entry = |field: &'static str| RestoreError::InvalidEntry { index: 0, field };
    let cases: Vec<(String, RestoreError)> = vec![
        ("".into(), RestoreError::InvalidJson),
        ("{".into(), RestoreError::InvalidJson),
        ("[]".into(), RestoreError::NotAQueue),
        (
            r#"{"format":"other","version":1,"entries":[]}"#.into(),
            RestoreError::NotAQueue,
        ),
        (
            r#"{"format":"shiming-sync-queue","version":2,"entries":[]}"#.into(),
            RestoreError::UnsupportedVersion,
        ),
        (
            r#"{"format":"shiming-sync-queue","version":1}"#.into(),
            RestoreError::NotAQueue,
        ),
        (
            r#"{"format":"shiming-sync-queue","version":1,"entries":[],"x":1}"#.into(),
            RestoreError::NotAQueue,
        ),
        (
            r#"{"format":"shiming-sync-queue","version":1,"entries":[1]}"#.into(),
            entry("entry"),
        ),
        (
            good.replace("\"kind\":\"registration\"", "\"kind\":\"payment\""),
            entry("kind"),
        ),
        (
            good.replace("\"body\":\"{}\"", "\"body\":\"{\""),
            entry("body"),
        ),
        (
            good.replace("\"attempts\":0", "\"attempts\":-1"),
            entry("attempts"),
        ),
        (
            good.replace("\"attempts\":0", "\"attempts\":4294967296"),
            entry("attempts"),
        ),
        (
            good.replace("\"attempts\":0", "\"attempts\":1.5"),
            entry("attempts"),
        ),
        (
            good.replace("\"state\":\"pending\"", "\"state\":\"acked\""),
            entry("state"),
        ),
        (
            good.replace("\"state\":\"pending\"", "\"state\":\"sent\""),
            entry("sentMs"),
        ),
        (
            good.replace("\"state\":\"pending\"", "\"state\":\"failed\""),
            entry("failure"),
        ),
        (
            good.replace("\"id\":\"reg-0001\"", "\"id\":\"11010519491231002X\""),
            entry("id"),
        ),
        (
            good.replace("[\"rcpt-0001\"]", "[\"reg-0001\"]"),
            entry("dependsOn"),
        ),
        (good.replace("[\"rcpt-0001\"]", "[7]"), entry("dependsOn")),
        (
            good.replace("\"state\":\"pending\"", "\"state\":\"pending\",\"extra\":1"),
            entry("entry"),
        ),
        (
            good.replace(
                "\"state\":\"pending\"",
                "\"state\":\"pending\",\"sentMs\":1",
            ),
            entry("state"),
        ),
        (
            good.replace("\"idempotencyKey\":\"sk2-", "\"idempotencyKey\":\"sk2 "),
            entry("idempotencyKey"),
        ),
    ];
    for (text, error) in cases {
        assert_eq!(
            SyncQueue::from_json(&text, SyncConfig::default()),
            Err(error),
            "{text}"
        );
    }
    // A duplicated id or key.
    let entries = good
        .split_once("\"entries\":[")
        .unwrap()
        .1
        .strip_suffix("],\"format\":\"shiming-sync-queue\",\"version\":1}")
        .unwrap()
        .to_string();
    let twice = good.replace(&entries, &format!("{entries},{entries}"));
    assert_eq!(
        SyncQueue::from_json(&twice, SyncConfig::default()),
        Err(RestoreError::InvalidEntry {
            index: 1,
            field: "id"
        })
    );
    assert_eq!(RestoreError::InvalidJson.as_str(), "invalid_json");
}

// ---------------------------------------------------------------- trusted clock

#[test]
fn the_trusted_clock_ignores_the_device_clock() {
    // The policy answer, read with the monotonic clock at 10_000 (sent) and 10_300 (received).
    let server_time: i64 = 1_764_374_400_000; // 2025-11-29 08:00 in Shanghai
    let body = format!(
        r#"{{"protocol":1,"serverTime":{server_time},"version":"v1","policy":{{}},"documents":[],"phoneSegments":null}}"#
    );
    let clock = TrustedClock::from_policy_response(&body, 10_000, 10_300).unwrap();
    assert_eq!(clock.uncertainty_ms(), 150);
    assert_eq!(clock.now_ms(10_300), server_time + 150);
    assert_eq!(
        clock.now_ms(10_300 + 3_600_000),
        server_time + 150 + 3_600_000
    );
    assert_eq!(clock.today(10_300), Date::new(2025, 11, 29));
    // 16:00 UTC is the next day in Shanghai.
    assert_eq!(
        clock.today(10_300 + 16 * 3_600_000),
        Date::new(2025, 11, 30)
    );
    // A device clock five years behind changes nothing computed; it is only reported.
    let device = server_time - 5 * 365 * 86_400_000;
    assert_eq!(
        clock.device_skew_ms(device, 10_300),
        device - server_time - 150
    );
    let id = generate_test_id(&TestIdSpec {
        kind: IdKind::CnResident,
        birth_date: Date::new(2007, 11, 29),
        gender: None,
        region: None,
        seed: 7,
    })
    .unwrap();
    assert_eq!(id.len(), 18);
    let birth = Date::new(2007, 11, 29).unwrap();
    assert_eq!(
        age_on(birth, clock.today(10_300).unwrap(), AgeRule::OnBirthday),
        18
    );
    assert_eq!(
        age_on(
            birth,
            clock.today(10_300).unwrap(),
            AgeRule::DayAfterBirthday
        ),
        17
    );
    let device_date = Date::from_unix_millis_shanghai(device as f64).unwrap();
    assert_eq!(age_on(birth, device_date, AgeRule::OnBirthday), 13);

    assert_eq!(
        TrustedClock::from_policy_response("{", 0, 1),
        Err(ClockError::InvalidJson)
    );
    assert_eq!(
        TrustedClock::from_policy_response("{}", 0, 1),
        Err(ClockError::ServerTimeInvalid)
    );
    assert_eq!(
        TrustedClock::from_policy_response(r#"{"serverTime":"1764374400000"}"#, 0, 1),
        Err(ClockError::ServerTimeInvalid)
    );
    assert_eq!(
        TrustedClock::new(-1, 0, 1),
        Err(ClockError::ServerTimeInvalid)
    );
    assert_eq!(TrustedClock::new(0, 5, 1), Err(ClockError::MonotonicOrder));
    assert_eq!(ClockError::MonotonicOrder.as_str(), "monotonic_order");
    // A reading before the anchor counts backwards, never below 0.
    let c = TrustedClock::new(1_000, 0, 0).unwrap();
    assert_eq!(c.now_ms(0), 1_000);
    assert_eq!(TrustedClock::new(10, 100, 100).unwrap().now_ms(0), 0);
    assert_eq!(c.now_ms_unsigned(500), 1_500);
}

// ---------------------------------------------------------------- policy refresh

const POLICY_ANSWER: &str = r#"{"protocol":1,"serverTime":1764374400123,"version":"2025-11-c","policy":{},"documents":[],"idKinds":["cn_resident"]}"#;

fn policy_reply<'a>(status: u16, retry_after: Option<&'a str>, body: &'a str) -> PolicyReply<'a> {
    PolicyReply {
        status,
        retry_after,
        body,
        sent_monotonic_ms: 1_000,
        received_monotonic_ms: 1_080,
    }
}

/// The wait after a first attempt answered `status` (with `retry_after`), `random` = ½, with no
/// waiting budget (the rules of the wait alone; the budget has its own test).
fn policy_wait(config: SyncConfig, status: u16, retry_after: Option<&str>, body: &str) -> u64 {
    match PolicyRefresh::new(config, 3)
        .with_wait_budget(u64::MAX)
        .on_response(&policy_reply(status, retry_after, body), T0, HALF)
    {
        PolicyStep::Retry {
            wait_ms,
            failure,
            next,
        } => {
            assert_eq!(failure, PolicyFailure::HttpStatus(status));
            assert_eq!(next.attempt(), 2);
            wait_ms
        }
        other => panic!("{status}: {other:?}"),
    }
}

#[test]
fn policy_refresh_applies_an_answer_with_its_clock() {
    let refresh = PolicyRefresh::new(SyncConfig::default(), DEFAULT_POLICY_ATTEMPTS);
    assert_eq!(refresh.attempt(), 1);
    let step = refresh.on_response(&policy_reply(200, None, POLICY_ANSWER), T0, HALF);
    let expected = TrustedClock::new(1_764_374_400_123, 1_000, 1_080).unwrap();
    assert_eq!(step, PolicyStep::Applied(expected));
    assert_eq!(expected.now_ms(1_080), 1_764_374_400_123 + 40);
    assert_eq!(
        read_policy_answer(POLICY_ANSWER, 1_000, 1_080),
        Some(expected)
    );
}

/// The retryable statuses are `classify`'s, and the waits the queue's: full jitter, at least the
/// server's Retry-After (capped), and at least the throttle floor after 429/503 without one. (The
/// former wasm loop used its own rule, `>= 500 || 429 || 408`, and ignored Retry-After.)
#[test]
fn policy_refresh_retries_as_the_queue_does() {
    let config = SyncConfig::default();
    // 503 + Retry-After: the server's wait, in delta-seconds or as an HTTP-date (read at `now`).
    assert_eq!(policy_wait(config, 503, Some("120"), ""), 120_000);
    assert_eq!(
        policy_wait(config, 503, Some("Sat, 29 Nov 2025 00:01:30 GMT"), ""),
        90_000
    );
    // Cut to retry_after_max_ms.
    let short = SyncConfig {
        retry_after_max_ms: 10_000,
        ..config
    };
    assert_eq!(policy_wait(short, 503, Some("3600"), ""), 10_000);
    // A lower bound: a Retry-After of 0 leaves the jittered backoff (½ of 1 s).
    assert_eq!(policy_wait(config, 503, Some("0"), ""), 500);
    // 503 and 429 without (or with a malformed) Retry-After: the throttle floor on top.
    assert_eq!(policy_wait(config, 503, None, ""), 5_500);
    assert_eq!(policy_wait(config, 503, Some("soon"), ""), 5_500);
    assert_eq!(policy_wait(config, 429, Some("7"), ""), 7_000);
    assert_eq!(policy_wait(config, 429, None, ""), 5_500);
    // 408, other 5xx, a 409 in progress: the backoff (Retry-After still a lower bound).
    assert_eq!(policy_wait(config, 408, None, ""), 500);
    assert_eq!(policy_wait(config, 408, Some("3"), ""), 3_000);
    assert_eq!(policy_wait(config, 500, None, ""), 500);
    assert_eq!(policy_wait(config, 502, None, ""), 500);
    assert_eq!(policy_wait(config, 599, None, ""), 500);
    assert_eq!(policy_wait(config, 409, Some("1"), ""), 1_000);
}

/// A page waits for its policy: the refresh's waits add up to at most its budget (15 s unless
/// the caller sets another), and a longer wait the server asks for ends the refresh with its
/// failure instead of freezing the page for up to `retry_after_max_ms` (an hour by default).
#[test]
fn policy_refresh_waits_no_longer_than_its_budget() {
    let config = SyncConfig::default();
    assert_eq!(DEFAULT_POLICY_WAIT_MAX_MS, 15_000);
    let busy = |seconds: &'static str| policy_reply(503, Some(seconds), "");
    // An hour asked for: given up at once, with that answer's failure.
    assert_eq!(
        PolicyRefresh::new(config, 3).on_response(&busy("3600"), T0, HALF),
        PolicyStep::Failed(PolicyFailure::HttpStatus(503))
    );
    // 10 s, then 10 s again: the first wait fits the 15 s, the second would pass it.
    let PolicyStep::Retry { wait_ms, next, .. } =
        PolicyRefresh::new(config, 3).on_response(&busy("10"), T0, HALF)
    else {
        panic!("the first 10 s wait fits the budget");
    };
    assert_eq!(wait_ms, 10_000);
    assert_eq!(
        next.on_response(&busy("10"), T0, HALF),
        PolicyStep::Failed(PolicyFailure::HttpStatus(503))
    );
    // 5 s twice fits; a budget of the caller's own.
    let PolicyStep::Retry { next, .. } =
        PolicyRefresh::new(config, 3).on_response(&busy("5"), T0, HALF)
    else {
        panic!("5 s fits");
    };
    assert!(matches!(
        next.on_response(&busy("5"), T0, HALF),
        PolicyStep::Retry { wait_ms: 5_000, .. }
    ));
    assert!(matches!(
        PolicyRefresh::new(config, 3)
            .with_wait_budget(3_600_000)
            .on_response(&busy("3600"), T0, HALF),
        PolicyStep::Retry {
            wait_ms: 3_600_000,
            ..
        }
    ));
    assert_eq!(
        PolicyRefresh::new(config, 3)
            .with_wait_budget(0)
            .on_transport_error(HALF),
        PolicyStep::Failed(PolicyFailure::TransportError)
    );
}

#[test]
fn policy_refresh_gives_up_at_once_on_a_final_status() {
    let in_conflict = r#"{"issues":[{"path":[],"code":"other_conflict","params":{}}]}"#;
    for (status, body) in [
        (400u16, ""),
        (401, ""),
        (403, ""),
        (404, "<html>not here</html>"),
        (409, in_conflict),
        (410, ""),
        (422, r#"{"issues":[]}"#),
        (201, POLICY_ANSWER),
        (204, ""),
        (304, ""),
        (302, ""),
        (100, ""),
        (0, ""),
        (600, ""),
    ] {
        let step = PolicyRefresh::new(SyncConfig::default(), 5).on_response(
            &policy_reply(status, Some("1"), body),
            T0,
            HALF,
        );
        assert_eq!(
            step,
            PolicyStep::Failed(PolicyFailure::HttpStatus(status)),
            "{status}"
        );
        let PolicyStep::Failed(failure) = step else {
            unreachable!()
        };
        assert_eq!(
            (failure.reason(), failure.status()),
            ("http_status", Some(status))
        );
    }
}

/// Bodies a 200 may not have: each is `invalid_response`, tried again. The browser's `JSON.parse`,
/// which the wasm used before, accepted the duplicated key, the lone surrogate and `1.0`.
#[test]
fn policy_refresh_reads_the_body_strictly() {
    let big_text = "条".repeat(100_000);
    let large = format!(
        r#"{{"protocol":1,"serverTime":1764374400123,"documents":[{{"text":"{big_text}"}}]}}"#
    );
    assert!(large.len() > 256 * 1024 && large.len() < POLICY_MAX_BYTES);
    assert!(
        read_policy_answer(&large, 0, 10).is_some(),
        "longer than 256 KB is fine"
    );
    let padding = " ".repeat(POLICY_MAX_BYTES);
    let too_large = format!("{POLICY_ANSWER}{padding}");
    let malformed = [
        "",
        "not json",
        "[]",
        "null",
        r#"{"protocol":1,"serverTime":1764374400123"#,
        r#"{"protocol":1,"protocol":1,"serverTime":1764374400123}"#,
        r#"{"protocol":1,"serverTime":1764374400123,"x":"\ud800"}"#,
        r#"{"protocol":1,"serverTime":1764374400123} {}"#,
        r#"{"protocol":1.0,"serverTime":1764374400123}"#,
        r#"{"protocol":2,"serverTime":1764374400123}"#,
        r#"{"protocol":"1","serverTime":1764374400123}"#,
        r#"{"serverTime":1764374400123}"#,
        r#"{"protocol":1}"#,
        r#"{"protocol":1,"serverTime":"1764374400123"}"#,
        r#"{"protocol":1,"serverTime":1764374400123.5}"#,
        r#"{"protocol":1,"serverTime":-1}"#,
        r#"{"protocol":1,"serverTime":9007199254740992}"#,
        too_large.as_str(),
    ];
    for body in malformed {
        let shown = body.get(..80).unwrap_or(body);
        assert_eq!(read_policy_answer(body, 1_000, 1_080), None, "{shown}");
        match PolicyRefresh::new(SyncConfig::default(), 3).on_response(
            &policy_reply(200, Some("30"), body),
            T0,
            HALF,
        ) {
            PolicyStep::Retry {
                wait_ms, failure, ..
            } => {
                assert_eq!(failure, PolicyFailure::InvalidResponse, "{shown}");
                // A 200's Retry-After means nothing: the plain backoff.
                assert_eq!(wait_ms, 500, "{shown}");
            }
            other => panic!("{shown}: {other:?}"),
        }
    }
    // Monotonic readings out of order give no clock either.
    assert_eq!(read_policy_answer(POLICY_ANSWER, 1_080, 1_000), None);
    let swapped = PolicyReply {
        sent_monotonic_ms: 2_000,
        ..policy_reply(200, None, POLICY_ANSWER)
    };
    assert!(matches!(
        PolicyRefresh::new(SyncConfig::default(), 1).on_response(&swapped, T0, HALF),
        PolicyStep::Failed(PolicyFailure::InvalidResponse)
    ));
}

/// Attempts follow the backoff schedule and stop at the limit with the last failure, which alone
/// is reported (with a status only for `http_status`).
#[test]
fn policy_refresh_stops_after_its_attempts_with_the_last_failure() {
    let config = SyncConfig::default();
    let mut refresh = PolicyRefresh::new(config, 4);
    let mut waits = Vec::new();
    let outcomes: [&dyn Fn(PolicyRefresh) -> PolicyStep; 4] = [
        &|r| r.on_response(&policy_reply(503, Some("2"), ""), T0, HALF),
        &|r| r.on_transport_error(HALF),
        &|r| r.on_response(&policy_reply(500, None, ""), T0, u32::MAX),
        &|r| r.on_response(&policy_reply(200, None, "{"), T0, HALF),
    ];
    let mut last = None;
    for (n, outcome) in outcomes.iter().enumerate() {
        assert_eq!(refresh.attempt(), n as u32 + 1);
        match outcome(refresh) {
            PolicyStep::Retry {
                wait_ms,
                failure,
                next,
            } => {
                waits.push((wait_ms, failure));
                refresh = next;
            }
            step => {
                last = Some(step);
                break;
            }
        }
    }
    assert_eq!(
        waits,
        [
            (2_000, PolicyFailure::HttpStatus(503)),
            (1_000, PolicyFailure::TransportError),
            (3_999, PolicyFailure::HttpStatus(500)),
        ]
    );
    let Some(PolicyStep::Failed(failure)) = last else {
        panic!("{last:?}")
    };
    assert_eq!(failure, PolicyFailure::InvalidResponse);
    assert_eq!(
        (failure.reason(), failure.status()),
        ("invalid_response", None)
    );
    // One attempt (or "zero", read as one): the first failure is final.
    for attempts in [0, 1] {
        assert_eq!(
            PolicyRefresh::new(config, attempts).on_transport_error(HALF),
            PolicyStep::Failed(PolicyFailure::TransportError)
        );
    }
    assert_eq!(PolicyFailure::TransportError.reason(), "transport_error");
}

// ---------------------------------------------------------------- request bodies

#[test]
fn request_bodies_are_canonical() {
    assert_eq!(
        consents_request(&[r#"{ "b": 1, "a": "x" }"#, r#"{"c":[]}"#]).unwrap(),
        r#"{"receipts":[{"a":"x","b":1},{"c":[]}]}"#
    );
    assert_eq!(consents_request(&[]).unwrap_err().as_str(), "no_receipts");
    assert_eq!(
        consents_request(&["{}"; 21]).unwrap_err().as_str(),
        "too_many_receipts"
    );
    assert_eq!(
        consents_request(&["{}", "[]"]).unwrap_err(),
        shiming::sync::WireError::InvalidReceipt { index: 1 }
    );
    let body = RegistrationRequest {
        registration_id: "reg-0001",
        name: "张三",
        id_kind: Some("cn_resident"),
        id_number: "11010519491231002X",
        phone: "13800138000",
        birth_date: None,
        derived: None,
        client_ok: true,
        client_codes: &[],
        consents: &["rcpt-0001", "rcpt-0002"],
        client_time_ms: T0,
        guardian: None,
    }
    .to_json();
    assert_eq!(
        body,
        r#"{"clientSummary":{"codes":[],"ok":true},"clientTime":1764374400000,"consents":["rcpt-0001","rcpt-0002"],"form":{"idKind":"cn_resident","idNumber":"11010519491231002X","name":"张三","phone":"13800138000"},"registrationId":"reg-0001"}"#
    );
}

// ---------------------------------------------------------------- properties

/// A valid queue in every state, to mutate.
fn sample_queue_json() -> String {
    let mut q = queue();
    q.enqueue_consent("rcpt-0001", BODY, T0, KEY_A).unwrap();
    q.enqueue_consent("rcpt-0002", BODY, T0, KEY_B).unwrap();
    q.enqueue_registration("reg-0001", "{\"x\":\"中\\n\"}", &["rcpt-0001"], T0, KEY_C)
        .unwrap();
    q.enqueue_consent("rcpt-0003", BODY, T0, KEY_D).unwrap();
    q.poll(T0);
    respond(
        &mut q,
        "rcpt-0001",
        T0,
        422,
        None,
        r#"{"issues":[{"path":["a",1],"code":"x_y","params":{"k":"v"}}]}"#,
        0,
    );
    respond(&mut q, "rcpt-0002", T0, 503, Some("5"), "", 0);
    q.to_json()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn from_json_never_panics_on_any_string(text in any::<String>()) {
        let _ = SyncQueue::from_json(&text, SyncConfig::default());
    }

    #[test]
    fn from_json_never_panics_on_a_damaged_queue(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<char>(), 0u8..3), 1..6)
    ) {
        let mut chars: Vec<char> = sample_queue_json().chars().collect();
        for (at, c, op) in edits {
            let i = at.index(chars.len().max(1));
            match op {
                0 if i < chars.len() => { chars[i] = c; }
                1 => chars.insert(i.min(chars.len()), c),
                _ if i < chars.len() => { chars.remove(i); }
                _ => {}
            }
        }
        let text: String = chars.into_iter().collect();
        if let Ok(q) = SyncQueue::from_json(&text, SyncConfig::default()) {
            // What restores is a queue: it writes and reads back to the same entries.
            let again = SyncQueue::from_json(&q.to_json(), SyncConfig::default()).unwrap();
            prop_assert_eq!(again.entries(), q.entries());
        }
    }

    #[test]
    fn parse_retry_after_never_panics(text in any::<String>(), now in any::<u64>()) {
        let _ = parse_retry_after(&text, now);
    }

    #[test]
    fn the_delay_is_within_the_ceiling(attempt in 0u32..100, r in any::<u32>(), base in 1u64..10_000, cap in 1u64..1_000_000) {
        let b = Backoff { base_ms: base, cap_ms: cap };
        prop_assert!(b.delay_ms(attempt, r) < b.ceiling_ms(attempt));
        prop_assert!(b.ceiling_ms(attempt) <= cap);
    }
}

// ---------------------------------------------------------------- simulation

/// SplitMix64: the simulation's only source of randomness, from the proptest seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn u32(&mut self) -> u32 {
        (self.next() >> 32) as u32
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn key(&mut self) -> [u32; 4] {
        [self.u32(), self.u32(), self.u32(), self.u32()]
    }
}

/// An IMF-fixdate of Unix seconds.
fn http_date(seconds: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = seconds / 86_400;
    let date = Date::from_days_since_epoch(days as i64).unwrap();
    let s = seconds % 86_400;
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        date.day(),
        MONTHS[date.month() as usize - 1],
        date.year(),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[derive(Default, Debug)]
struct Stats {
    requests: u64,
    ok: u64,
    replayed: u64,
    e500: u64,
    e503: u64,
    e429: u64,
    e409: u64,
    timeouts: u64,
    dropped_after_store: u64,
    reloads: u64,
    lost_in_reload: u64,
    delivered_in_reload: u64,
    /// Answers held back past the backstop timeout (the queue sent the entry again meanwhile).
    late: u64,
    /// Late non-2xx answers (or no answer) the queue ignored: an attempt no longer in flight.
    stale_ignored: u64,
    /// Late 2xx answers that acked their entry, whatever attempt was in flight.
    stale_acked: u64,
    /// Registrations queued while a consent entry they depend on was still queued.
    waited_on_consents: u64,
    policy_attempts: u64,
    policy_applied: u64,
    policy_failed: u64,
}

/// A backend with idempotency by key only (no record-level deduplication, so that a client which
/// changed its key on a retry would show up as a duplicate).
#[derive(Default)]
struct FakeServer {
    /// key → (body, status, answer)
    by_key: HashMap<String, (String, u16, String)>,
    /// Every receipt stored, in order (a duplicate shows up twice).
    receipts: Vec<String>,
    /// Every registration stored: its id and cited receipts.
    registrations: Vec<(String, Vec<String>)>,
    /// Registrations stored while a receipt they cite was not.
    order_violations: u64,
    key_reused: u64,
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => vec![],
    }
}

impl FakeServer {
    /// Processes a request for real (stores it); the answer.
    fn process(
        &mut self,
        request: &OutgoingRequest,
        now_ms: u64,
        stats: &mut Stats,
    ) -> (u16, String) {
        if let Some((body, status, answer)) = self.by_key.get(&request.idempotency_key) {
            if *body != request.body {
                self.key_reused += 1;
                return (
                    422,
                    r#"{"issues":[{"path":[],"code":"sync_idempotency_key_reused","params":{}}]}"#
                        .into(),
                );
            }
            stats.replayed += 1;
            return (*status, answer.clone());
        }
        let document = shiming::__internal::parse(&request.body).unwrap();
        let answer = match request.path {
            "/consents" => {
                let Some(Value::Array(receipts)) = document.get("receipts") else {
                    panic!()
                };
                let mut accepted = Vec::new();
                for receipt in receipts {
                    let Some(Value::String(id)) = receipt.get("consentReceiptID") else {
                        panic!()
                    };
                    self.receipts.push(id.clone());
                    accepted.push(format!(r#"{{"receiptId":"{id}","serverTime":{now_ms}}}"#));
                }
                format!(r#"{{"accepted":[{}]}}"#, accepted.join(","))
            }
            "/registrations" => {
                let Some(Value::String(id)) = document.get("registrationId") else {
                    panic!()
                };
                let consents = strings(document.get("consents"));
                if consents.iter().any(|c| !self.receipts.contains(c)) {
                    self.order_violations += 1;
                }
                self.registrations.push((id.clone(), consents));
                format!(
                    r#"{{"id":"srv-{}","registrationId":"{id}","serverTime":{now_ms}}}"#,
                    self.registrations.len()
                )
            }
            other => panic!("{other}"),
        };
        self.by_key.insert(
            request.idempotency_key.clone(),
            (request.body.clone(), 201, answer.clone()),
        );
        (201, answer)
    }
}

enum Outcome {
    Answer(u16, Option<String>, String),
    NoAnswer,
}

/// Half the time the request fails, in one of the ways a network and a backend fail.
fn deliver(
    server: &mut FakeServer,
    request: &OutgoingRequest,
    now_ms: u64,
    rng: &mut Rng,
    stats: &mut Stats,
) -> Outcome {
    stats.requests += 1;
    if !rng.chance(50) {
        stats.ok += 1;
        let (status, body) = server.process(request, now_ms, stats);
        return Outcome::Answer(status, None, body);
    }
    match rng.below(6) {
        0 => {
            stats.e500 += 1;
            Outcome::Answer(500, None, r#"{"issues":[]}"#.into())
        }
        1 => {
            stats.e503 += 1;
            let retry_after = match rng.below(3) {
                0 => None,
                1 => Some(rng.below(5).to_string()),
                _ => Some(http_date(now_ms / 1000 + 1 + rng.below(4))),
            };
            Outcome::Answer(503, retry_after, String::new())
        }
        2 => {
            stats.e429 += 1;
            let retry_after = if rng.chance(50) {
                Some((1 + rng.below(10)).to_string())
            } else {
                Some(http_date(now_ms / 1000 + 2))
            };
            Outcome::Answer(429, retry_after, String::new())
        }
        3 => {
            stats.timeouts += 1;
            Outcome::NoAnswer
        }
        4 => {
            stats.dropped_after_store += 1;
            server.process(request, now_ms, stats);
            Outcome::NoAnswer
        }
        _ => {
            stats.e409 += 1;
            Outcome::Answer(
                409,
                Some("1".into()),
                r#"{"issues":[{"path":[],"code":"sync_request_in_progress","params":{}}]}"#.into(),
            )
        }
    }
}

fn documents() -> Vec<Document> {
    DocumentKind::ALL
        .iter()
        .map(|kind| {
            Document::new(
                kind.as_str(),
                "2025-11",
                *kind,
                kind.as_str(),
                "zh-CN",
                &format!("{} 全文（测试）", kind.as_str()),
            )
        })
        .collect()
}

/// One receipt, built by the consent module, as canonical JSON.
fn receipt_json(document: &Document, receipt_id: &str, subject: &str, rng: &mut Rng) -> String {
    let input = ReceiptInput {
        receipt_id: receipt_id.into(),
        jurisdiction: "CN".into(),
        collection_method: "web_form".into(),
        subject: subject.into(),
        guardian: (document.kind == DocumentKind::GuardianConsent)
            .then(|| format!("{subject}-guardian")),
        reading: Some(ReadingEvidence {
            reached_end: true,
            visible_seconds: 30,
            viewport: Viewport {
                width: 390,
                height: 844,
            },
            locale: "zh-CN".into(),
        }),
        sequence: rng.below(1000),
        idempotency_key: format!("rk-{:016x}", rng.next()),
        client_time: 1_764_374_400,
    };
    build_receipt(document, &input).unwrap().to_json()
}

/// One person of the simulation: the consent entries to queue (id, body), the receipts they carry,
/// then the registration citing them.
struct Person {
    consents: Vec<(String, String)>,
    receipts: Vec<String>,
    registration_id: String,
    registration: String,
}

fn people(seed: u64, n: usize, now: u64, rng: &mut Rng) -> Vec<Person> {
    let docs = documents();
    (0..n)
        .map(|i| {
            let registration_id = format!("reg-{seed:016x}-{i}");
            let subject = format!("sha256:{:064x}", rng.next());
            let count = 2 + rng.below(4) as usize;
            let mut receipts = Vec::new();
            let mut jsons = Vec::new();
            for document in docs.iter().take(count) {
                let receipt_id = format!("rcpt-{seed:016x}-{i}-{}", document.kind.as_str());
                jsons.push(receipt_json(document, &receipt_id, &subject, rng));
                receipts.push(receipt_id);
            }
            // Entry ids are not receipt ids: the queue finds a registration's dependencies from
            // the bodies. Half the people send their receipts in one request, half one by one.
            let groups: Vec<&[String]> = if rng.chance(50) {
                vec![&jsons[..]]
            } else {
                jsons.chunks(1).collect()
            };
            let consents = groups
                .iter()
                .enumerate()
                .map(|(j, group)| {
                    let refs: Vec<&str> = group.iter().map(String::as_str).collect();
                    (
                        format!("consent-{seed:016x}-{i}-{j}"),
                        consents_request(&refs).unwrap(),
                    )
                })
                .collect();
            let id_number = generate_test_id(&TestIdSpec {
                kind: IdKind::CnResident,
                birth_date: None,
                gender: None,
                region: None,
                seed: seed ^ i as u64,
            })
            .unwrap();
            let phone = format!("1380013{:04}", i % 10_000);
            let cited: Vec<&str> = receipts.iter().map(String::as_str).collect();
            let registration = RegistrationRequest {
                registration_id: &registration_id,
                name: "测试用户",
                id_kind: Some("cn_resident"),
                id_number: &id_number,
                phone: &phone,
                birth_date: None,
                derived: None,
                client_ok: true,
                client_codes: &[],
                consents: &cited,
                client_time_ms: now,
                guardian: None,
            }
            .to_json();
            Person {
                consents,
                receipts,
                registration_id,
                registration,
            }
        })
        .collect()
}

type PolicyAnswer<'a> = (u16, Option<&'a str>, &'a str);

/// The page's `GET /policy` against a flaky endpoint, driven by the core's `PolicyRefresh`, from
/// `now` (the simulation's time is the server's). Checks every wait against what the server asked
/// and the clock of an applied answer; returns the time the refresh ended.
fn refresh_policy(mut now: u64, config: SyncConfig, rng: &mut Rng, stats: &mut Stats) -> u64 {
    // The page's monotonic clock starts at its load.
    let origin = now - 1_000;
    let mut refresh = PolicyRefresh::new(config, DEFAULT_POLICY_ATTEMPTS);
    // The waits so far (the refresh's budget is DEFAULT_POLICY_WAIT_MAX_MS in all).
    let mut waited = 0u64;
    loop {
        stats.policy_attempts += 1;
        let sent = now - origin;
        let latency = 1 + rng.below(400);
        // The server writes its time somewhere during the round trip.
        let server_time = now + rng.below(latency + 1);
        now += latency;
        let received = now - origin;
        let valid = format!(
            r#"{{"protocol":1,"serverTime":{server_time},"version":"v","policy":{{}},"documents":[]}}"#
        );
        let delta = (1 + rng.below(20)).to_string();
        let date = http_date(now / 1000 + 1 + rng.below(20));
        let truncated = valid.get(..valid.len() / 2).unwrap();
        // The answer (status, Retry-After, body), or none; whether the server said it is overloaded.
        let (answer, throttled): (Option<PolicyAnswer>, bool) = match rng.below(20) {
            0..=7 => (Some((200, None, valid.as_str())), false),
            8 => (None, false),
            9 => (Some((500, None, "")), false),
            10 => (Some((503, None, "")), true),
            11 => (Some((503, Some(delta.as_str()), "")), true),
            12 => (Some((503, Some(date.as_str()), "")), true),
            13 => (Some((429, Some(delta.as_str()), "")), true),
            14 => (Some((429, None, "")), true),
            15 => (Some((408, None, "")), false),
            16 => (Some((200, None, truncated)), false),
            17 => (
                Some((200, None, r#"{"protocol":1,"protocol":1,"serverTime":1}"#)),
                false,
            ),
            18 => (Some((502, Some("bogus"), "")), false),
            _ => (Some((404, None, "")), false),
        };
        let random = rng.u32();
        let step = match answer {
            Some((status, retry_after, body)) => refresh.on_response(
                &PolicyReply {
                    status,
                    retry_after,
                    body,
                    sent_monotonic_ms: sent,
                    received_monotonic_ms: received,
                },
                now,
                random,
            ),
            None => refresh.on_transport_error(random),
        };
        let asked = answer
            .and_then(|(_, retry_after, _)| retry_after)
            .and_then(|value| parse_retry_after(value, now));
        match step {
            PolicyStep::Retry { wait_ms, next, .. } => {
                if let Some(asked) = asked {
                    assert!(
                        wait_ms >= asked.min(config.retry_after_max_ms),
                        "Retry-After honoured"
                    );
                } else if throttled {
                    assert!(wait_ms >= config.throttle_floor_ms, "the throttle floor");
                }
                assert!(
                    wait_ms
                        <= config
                            .backoff
                            .cap_ms
                            .max(config.retry_after_max_ms)
                            .max(config.throttle_floor_ms)
                );
                waited += wait_ms;
                assert!(waited <= DEFAULT_POLICY_WAIT_MAX_MS, "the waiting budget");
                now += wait_ms;
                refresh = next;
            }
            PolicyStep::Applied(clock) => {
                assert_eq!(answer.map(|(status, ..)| status), Some(200));
                // Off by at most half the round trip (rounded up: whole milliseconds).
                let error = clock.now_ms(received).abs_diff(i64::try_from(now).unwrap());
                assert!(error <= clock.uncertainty_ms() + 1, "Cristian's bound");
                stats.policy_applied += 1;
                return now;
            }
            PolicyStep::Failed(failure) => {
                let last_attempt = refresh.attempt() == DEFAULT_POLICY_ATTEMPTS;
                // Or the wait it would have asked for goes past the budget.
                let over_budget = waited
                    + config.retry_delay_ms(refresh.attempt(), throttled, asked, random)
                    > DEFAULT_POLICY_WAIT_MAX_MS;
                assert!(
                    last_attempt || over_budget || failure == PolicyFailure::HttpStatus(404),
                    "{failure:?} before the last attempt"
                );
                stats.policy_failed += 1;
                return now;
            }
        }
    }
}

/// Reports `outcome` of `request` to the queue, checking that it applies exactly when it should:
/// to the attempt in flight, or (a 2xx) to its entry in any state; never to another attempt.
fn report(
    q: &mut SyncQueue,
    request: &OutgoingRequest,
    outcome: Outcome,
    now: u64,
    random: u32,
) -> bool {
    let entry = q
        .get(&request.entry_id)
        .filter(|e| e.idempotency_key == request.idempotency_key);
    let current = entry.is_some_and(|e| {
        matches!(e.state, EntryState::Sent { .. }) && e.attempts == request.attempt
    });
    let queued = entry.is_some();
    let (applied, stored) = match outcome {
        Outcome::Answer(status, retry_after, body) => (
            q.on_response(request, now, status, retry_after.as_deref(), &body, random),
            (200..300).contains(&status),
        ),
        Outcome::NoAnswer => (q.on_transport_error(request, now, random), false),
    };
    assert_eq!(applied, current || (stored && queued), "{request:?}");
    current
}

/// Runs one simulation: `n` people, each queuing 2 to 5 receipts (in one consent entry or one
/// each) and then a registration, at random times, against the flaky server; with page reloads
/// (each followed by a policy refresh) and answers held back past the backstop timeout. Checks
/// the end state and returns the figures.
fn simulate(seed: u64, n: usize) -> Stats {
    let mut rng = Rng(seed);
    let config = SyncConfig {
        ttl_ms: 365 * 86_400_000,
        ..SyncConfig::default()
    };
    let mut q = SyncQueue::new(config);
    let mut server = FakeServer::default();
    let mut stats = Stats::default();
    let mut now = refresh_policy(T0, config, &mut rng, &mut stats);
    let mut to_submit: std::collections::VecDeque<Person> = people(seed, n, now, &mut rng).into();
    let mut awaiting_registration: std::collections::VecDeque<Person> = Default::default();
    let mut expected_receipts: HashSet<String> = HashSet::new();
    let mut expected_registrations: HashMap<String, Vec<String>> = HashMap::new();
    let mut consent_entries = 0usize;

    let mut network: Vec<OutgoingRequest> = Vec::new();
    // Answers held back: the request, and when its answer arrives.
    let mut late: Vec<(OutgoingRequest, u64)> = Vec::new();
    let mut acked: HashMap<String, u32> = HashMap::new();
    let mut steps = 0u64;
    loop {
        steps += 1;
        assert!(steps < 1_000_000, "seed {seed}: no progress");
        // The page queues someone's consents, or the registration of someone whose consents are
        // queued (resolving its dependencies from the queue, whatever happened since).
        let idle = q.is_empty() && network.is_empty();
        if (!to_submit.is_empty() || !awaiting_registration.is_empty()) && (idle || rng.chance(15))
        {
            if !awaiting_registration.is_empty() && (to_submit.is_empty() || rng.chance(50)) {
                let person = awaiting_registration.pop_front().unwrap();
                let cited: Vec<&str> = person.receipts.iter().map(String::as_str).collect();
                let depends = q.consent_entries_for(&cited);
                // Exactly the consent entries of this person still queued.
                let own: Vec<&String> = person
                    .consents
                    .iter()
                    .map(|(id, _)| id)
                    .filter(|id| q.get(id).is_some())
                    .collect();
                assert_eq!(depends.iter().collect::<Vec<_>>(), own, "seed {seed}");
                if !depends.is_empty() {
                    stats.waited_on_consents += 1;
                }
                let depends: Vec<&str> = depends.iter().map(String::as_str).collect();
                q.enqueue_registration(
                    &person.registration_id,
                    &person.registration,
                    &depends,
                    now,
                    rng.key(),
                )
                .unwrap();
                expected_registrations.insert(person.registration_id, person.receipts);
            } else if let Some(person) = to_submit.pop_front() {
                for (id, body) in &person.consents {
                    q.enqueue_consent(id, body, now, rng.key()).unwrap();
                }
                consent_entries += person.consents.len();
                expected_receipts.extend(person.receipts.iter().cloned());
                awaiting_registration.push_back(person);
            }
        }
        network.extend(q.poll(now));
        for event in q.drain_events() {
            match &event.status {
                Status::Acked { .. } => *acked.entry(event.entry_id.clone()).or_default() += 1,
                Status::Rejected { .. } | Status::Failed(_) => panic!("seed {seed}: {event:?}"),
                _ => {}
            }
        }
        assert!(q.in_flight() <= q.config().max_in_flight);
        if q.is_empty() && to_submit.is_empty() && awaiting_registration.is_empty() {
            break;
        }
        if rng.chance(3) {
            // A page reload: save, lose whatever was in flight (some of it reached the server),
            // restore, and read the policy again.
            stats.reloads += 1;
            let saved = q.to_json();
            for (request, _) in late.drain(..) {
                network.push(request);
            }
            for request in network.drain(..) {
                if rng.chance(50) {
                    stats.delivered_in_reload += 1;
                    stats.requests += 1;
                    server.process(&request, now, &mut stats);
                } else {
                    stats.lost_in_reload += 1;
                }
            }
            q = SyncQueue::from_json(&saved, config).unwrap();
            now += rng.below(5_000);
            now = refresh_policy(now, config, &mut rng, &mut stats);
            continue;
        }
        // A held-back answer that is due arrives now.
        if let Some(index) = late.iter().position(|(_, at)| *at <= now) {
            let (request, _) = late.swap_remove(index);
            let queued = q
                .get(&request.entry_id)
                .is_some_and(|e| e.idempotency_key == request.idempotency_key);
            let outcome = deliver(&mut server, &request, now, &mut rng, &mut stats);
            let stored = matches!(outcome, Outcome::Answer(200..=299, ..));
            let random = rng.u32();
            if !report(&mut q, &request, outcome, now, random) {
                if stored && queued {
                    stats.stale_acked += 1;
                } else {
                    stats.stale_ignored += 1;
                }
            }
            continue;
        }
        if network.is_empty() {
            let wake = q
                .next_wakeup()
                .into_iter()
                .chain(late.iter().map(|(_, at)| *at))
                .min();
            match wake {
                Some(wake) => now = now.max(wake),
                // Nothing queued nor held back: the next person is queued on the next turn.
                None => assert!(q.is_empty()),
            }
            continue;
        }
        // Deliver one request in flight, in any order, after some latency; now and then its
        // answer is held back past the backstop timeout (or nearly).
        let pick = rng.below(network.len() as u64) as usize;
        let request = network.swap_remove(pick);
        if rng.chance(3) {
            stats.late += 1;
            let at = now + config.request_timeout_ms / 2 + rng.below(config.request_timeout_ms * 2);
            late.push((request, at));
            continue;
        }
        now += 1 + rng.below(300);
        let outcome = deliver(&mut server, &request, now, &mut rng, &mut stats);
        let random = rng.u32();
        report(&mut q, &request, outcome, now, random);
    }
    // Answers still held back reach a server that replays them, and a queue that has nothing
    // left to change.
    for (request, _) in late.drain(..) {
        let (status, body) = server.process(&request, now, &mut stats);
        assert!(!q.on_response(&request, now, status, None, &body, 0));
    }

    // Exactly the N registrations and all their receipts: none lost, none twice, none early.
    assert_eq!(server.registrations.len(), n, "seed {seed}");
    let stored: HashSet<&String> = server.registrations.iter().map(|(id, _)| id).collect();
    assert_eq!(stored.len(), n, "seed {seed}: a registration stored twice");
    for (id, cited) in &server.registrations {
        assert_eq!(expected_registrations.get(id), Some(cited), "seed {seed}");
    }
    assert_eq!(
        server.receipts.len(),
        expected_receipts.len(),
        "seed {seed}: receipts lost or duplicated"
    );
    assert_eq!(
        server.receipts.iter().collect::<HashSet<_>>().len(),
        expected_receipts.len()
    );
    assert!(server
        .receipts
        .iter()
        .all(|r| expected_receipts.contains(r)));
    assert_eq!(
        server.order_violations, 0,
        "seed {seed}: a registration before its consents"
    );
    assert_eq!(
        server.key_reused, 0,
        "seed {seed}: a key reused with another body"
    );
    // Every entry acked exactly once (a reload never loses or repeats an acked entry).
    assert_eq!(acked.len(), n + consent_entries, "seed {seed}");
    assert!(acked.values().all(|count| *count == 1));
    stats
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn simulation_against_a_flaky_server_with_reloads(seed in any::<u64>(), n in 1usize..12) {
        simulate(seed, n);
    }
}

#[test]
fn simulation_figures() {
    let mut total = Stats::default();
    let runs = 20u64;
    let n = 25usize;
    for seed in 0..runs {
        let s = simulate(seed, n);
        total.requests += s.requests;
        total.ok += s.ok;
        total.replayed += s.replayed;
        total.e500 += s.e500;
        total.e503 += s.e503;
        total.e429 += s.e429;
        total.e409 += s.e409;
        total.timeouts += s.timeouts;
        total.dropped_after_store += s.dropped_after_store;
        total.reloads += s.reloads;
        total.lost_in_reload += s.lost_in_reload;
        total.delivered_in_reload += s.delivered_in_reload;
        total.late += s.late;
        total.stale_ignored += s.stale_ignored;
        total.stale_acked += s.stale_acked;
        total.waited_on_consents += s.waited_on_consents;
        total.policy_attempts += s.policy_attempts;
        total.policy_applied += s.policy_applied;
        total.policy_failed += s.policy_failed;
    }
    println!("{runs} runs × {n} registrations (2–5 consents each): {total:?}");
    let failures = total.e500
        + total.e503
        + total.e429
        + total.e409
        + total.timeouts
        + total.dropped_after_store;
    assert!(failures > 0 && total.replayed > 0 && total.reloads > 0);
    // The new paths ran: stale answers ignored, registrations waiting on consent entries found
    // from their receipts, policy refreshes both applied and given up on.
    assert!(total.stale_ignored > 0 && total.waited_on_consents > 0);
    assert!(total.policy_applied > 0 && total.policy_failed > 0);
}

/// Back online, entries waiting out a backoff after transport errors are due at once; a wait the
/// server asked for (Retry-After, 429, 503) is kept.
#[test]
fn network_back_ends_transport_backoffs_but_keeps_server_asked_waits() {
    let mut q = SyncQueue::new(SyncConfig::default());
    q.enqueue_consent("rcpt-0001", r#"{"receipts":[]}"#, T0, [1, 2, 3, 4])
        .unwrap();
    q.enqueue_consent("rcpt-0002", r#"{"receipts":[]}"#, T0, [5, 6, 7, 8])
        .unwrap();
    assert_eq!(q.poll(T0).len(), 2);
    // Offline: a transport error with a large jitter; the other was throttled by the server.
    assert!(lose(&mut q, "rcpt-0001", T0 + 10, u32::MAX));
    assert!(respond(
        &mut q,
        "rcpt-0002",
        T0 + 10,
        503,
        Some("120"),
        "",
        0
    ));
    let waiting = q.get("rcpt-0001").unwrap().next_attempt_ms;
    assert!(waiting > T0 + 10, "backing off");
    assert!(q.poll(T0 + 11).is_empty());
    assert_eq!(q.network_back(T0 + 11), 1);
    let sent = q.poll(T0 + 11);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].entry_id, "rcpt-0001");
    assert!(
        q.get("rcpt-0002").unwrap().next_attempt_ms >= T0 + 10 + 120_000,
        "Retry-After kept"
    );
    assert_eq!(q.network_back(T0 + 12), 0);
}
