//! The store through the library API: replays and reuses of a key, and the bounds on idempotency
//! records of refused requests (kept 24 hours, and at most `REJECTED_MAX`), which the server
//! prunes every minute.

use std::sync::Arc;

use shiming_server::keys::Keys;
use shiming_server::store::{Idem, Op, Reply, Store, REJECTED_MAX, REJECTED_TTL_MS};

fn idem(n: usize) -> Idem {
    Idem {
        key: format!("k-test-{n}"),
        scope: "POST /consents",
        body_mac: vec![n as u8; 32],
    }
}

#[tokio::test]
async fn records_of_refused_requests_are_pruned_after_a_day_and_replayed_before() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let keys = Arc::new(Keys::generate());
    let store = Store::open(None, dir.path(), keys)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let now: i64 = 1_800_000_000_000;
    let body = r#"{"issues":[{"path":[],"code":"sync_field_invalid","params":{}}]}"#;
    for n in 0..10 {
        // Five from two days ago, five from an hour ago.
        let at = if n < 5 {
            now - 2 * REJECTED_TTL_MS
        } else {
            now - 3_600_000 + n as i64
        };
        let answer = store
            .submit_rejection(idem(n), 422, body.into(), at)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(answer.status == 422 && !answer.replayed);
    }
    // The same key and body again: the stored answer, replayed.
    let again = store
        .submit_rejection(idem(7), 400, "{}".into(), now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(again.replayed && again.status == 422 && again.body == body);
    // The same key with another body: 422 reused.
    let mut other = idem(7);
    other.body_mac = vec![0xee; 32];
    let reused = store
        .submit_rejection(other, 422, body.into(), now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(reused.body.contains("sync_idempotency_key_reused"));

    assert_eq!(store.count_idempotency().await.ok(), Some((10, 10)));
    let pruned = store
        .write(Op::Prune {
            now,
            keep: REJECTED_MAX,
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(pruned, Reply::Pruned(5)));
    assert_eq!(store.count_idempotency().await.ok(), Some((5, 5)));
    // Over the count bound: the oldest go first.
    let capped = store
        .write(Op::Prune { now, keep: 3 })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(capped, Reply::Pruned(2)), "the newest 3 kept");
    assert_eq!(store.count_idempotency().await.ok().map(|c| c.0), Some(3));
}
