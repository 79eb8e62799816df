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
            audit_before: 0,
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(pruned, Reply::Pruned(5)));
    assert_eq!(store.count_idempotency().await.ok(), Some((5, 5)));
    // Over the count bound: the oldest go first.
    let capped = store
        .write(Op::Prune {
            now,
            keep: 3,
            audit_before: 0,
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(capped, Reply::Pruned(2)), "the newest 3 kept");
    assert_eq!(store.count_idempotency().await.ok().map(|c| c.0), Some(3));
}

/// The audit log keeps every record at least 180 days, whatever the server is told: a prune with a
/// retention of zero removes only the old ones, and the database itself refuses to change a record
/// or to delete a young one (the triggers of migration 0003), so that neither a wrong flag nor a
/// hand-written statement can walk around it.
#[tokio::test]
async fn the_audit_log_is_append_only_and_kept_six_months() {
    use shiming_server::store::{AuditEntry, AUDIT_MIN_RETENTION_MS};
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let keys = Arc::new(Keys::generate());
    let store = Store::open(None, dir.path(), keys)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let now = shiming_server::api::now_ms();
    let old = now - AUDIT_MIN_RETENTION_MS - 86_400_000;
    for (at, action) in [(old, "admin.list"), (now, "account.delete")] {
        let entry = AuditEntry::new("admin", action, Some("r_0000000000001".into()), None);
        let reply = store.write(Op::Audit { entry, now: at }).await;
        assert!(matches!(reply, Ok(Reply::Audited)));
    }
    // A retention of zero days: only the record older than 180 days goes.
    let pruned = store
        .write(Op::Prune {
            now,
            keep: REJECTED_MAX,
            audit_before: now,
        })
        .await;
    assert!(pruned.is_ok());
    let rows = store
        .audit_log(None, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].actor.as_str(), rows[0].action.as_str()),
        ("admin", "account.delete")
    );
    // By hand, on the database file: no change, no early deletion.
    let url = format!("sqlite://{}", dir.path().join("shiming.sqlite3").display());
    let mut conn = sqlx::SqliteConnection::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let update = sqlx::query("UPDATE audit_log SET actor = 'server'")
        .execute(&mut conn)
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(&mut conn)
        .await;
    assert!(delete.unwrap_err().to_string().contains("180 days"));
    let rows = store
        .audit_log(None, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 1);
}
