//! Retrying a delivery that failed for good re-queues it once: two retries at the same moment
//! (two clicks, or two servers on one PostgreSQL) do not both succeed, and the answer is the
//! delivery as the retry left it, on SQLite and (with LIKEKIND_TEST_PG_URL) on PostgreSQL.
#![allow(clippy::unwrap_used)]

use likekind_store::{Actor, NewUser, Role, Store, StoreError};
use serde_json::json;

async fn retried_once(store: Store) {
    let tag = format!("{:x}", std::process::id()) + &format!("{:?}", std::time::SystemTime::now());
    let tag: String = tag.chars().filter(char::is_ascii_alphanumeric).collect();
    let (firm, admin) = store
        .create_firm(
            "Retry firm",
            NewUser {
                email: format!("retry-{tag}@firm.example"),
                name: "A".into(),
                role: Role::Admin,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    let now = 1_800_000_000_000_i64;
    assert!(
        store
            .enqueue_event(
                &firm.id,
                None,
                "funds_idle",
                &format!("retry/{tag}"),
                &json!({})
            )
            .await
            .unwrap()
    );
    store.expand_events(now, "UTC", 1_000).await.unwrap();
    let owner = format!("w-{tag}");
    let claimed = store
        .claim_deliveries(&owner, now, 60_000, 10_000, true)
        .await
        .unwrap();
    let mine: Vec<_> = claimed.iter().filter(|c| c.firm_id == firm.id).collect();
    assert!(!mine.is_empty(), "the event makes a delivery to the admin");
    for c in &mine {
        store
            .mark_failed(&c.id, &owner, "could not connect", None)
            .await
            .unwrap();
    }
    // Release what another firm's rows this claim took (PostgreSQL is shared by tests).
    for c in claimed.iter().filter(|c| c.firm_id != firm.id) {
        store
            .mark_failed(&c.id, &owner, "released by a test", Some(now))
            .await
            .unwrap();
    }
    let id = &mine[0].id;
    let actor = Actor {
        firm_id: firm.id.clone(),
        user_id: admin.id.clone(),
    };
    let (a, b) = tokio::join!(
        store.retry_delivery(&actor, id, now + 1),
        store.retry_delivery(&actor, id, now + 2)
    );
    let ok: Vec<_> = [&a, &b]
        .into_iter()
        .filter_map(|r| r.as_ref().ok())
        .collect();
    assert_eq!(ok.len(), 1, "exactly one retry re-queues it: {a:?} {b:?}");
    assert_eq!(ok[0].status, "pending");
    assert_eq!(ok[0].attempts, 0);
    let refused = if a.is_ok() { b } else { a };
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    // Once pending, it cannot be retried again.
    assert!(matches!(
        store.retry_delivery(&actor, id, now + 3).await,
        Err(StoreError::Conflict(_))
    ));
}

#[tokio::test]
async fn a_dead_delivery_is_retried_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    retried_once(Store::open(&url).await.unwrap()).await;
}

#[tokio::test]
async fn a_dead_delivery_is_retried_once_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "a_dead_delivery_is_retried_once_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    retried_once(Store::open(&url).await.unwrap()).await;
}
