//! The scheduler asks which reminders are already enqueued before it writes: the answer names
//! exactly the keys enqueued, however many keys are asked about at once.
#![allow(clippy::unwrap_used)]

use likekind_store::{NewUser, Role, Store};
use serde_json::json;

#[tokio::test]
async fn enqueued_keys_names_exactly_the_keys_enqueued() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    let store = Store::open(&url).await.unwrap();
    let (firm, _) = store
        .create_firm(
            "Firm",
            NewUser {
                email: "a@firm.example".into(),
                name: "A".into(),
                role: Role::Admin,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    // More keys than one query asks about (500), the enqueued ones in different chunks.
    let keys: Vec<String> = (0..1_234)
        .map(|i| format!("funds_idle/x{i}/2026-12-01"))
        .collect();
    for i in [0usize, 499, 500, 1_233] {
        assert!(
            store
                .enqueue_event(&firm.id, None, "funds_idle", &keys[i], &json!({}))
                .await
                .unwrap()
        );
    }
    // Enqueued again: nothing new.
    assert!(
        !store
            .enqueue_event(&firm.id, None, "funds_idle", &keys[499], &json!({}))
            .await
            .unwrap()
    );
    let found = store.enqueued_keys(&keys).await.unwrap();
    let mut found: Vec<&String> = found.iter().collect();
    found.sort();
    let mut want = vec![&keys[0], &keys[499], &keys[500], &keys[1_233]];
    want.sort();
    assert_eq!(found, want);
    assert!(store.enqueued_keys(&[]).await.unwrap().is_empty());
}
