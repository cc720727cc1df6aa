//! The ledger's invariants at the store level, on SQLite and (with LIKEKIND_TEST_PG_URL) on
//! PostgreSQL: concurrent withdrawals never take the balance below zero, postings are
//! numbered without gaps, and the database itself refuses to change a posting.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use likekind_store::{
    Actor, ClosingPaid, NewPosting, NewUser, PageReq, PostingKind, RequestKey, Role, Store,
    StoreError,
};

async fn setup(store: &Store) -> (Actor, String) {
    let email = format!("l-{}@x.example", uuid_ish());
    let (firm, user) = store
        .create_firm(
            "L",
            NewUser {
                email,
                name: "L".into(),
                role: Role::Admin,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    let a = Actor {
        firm_id: firm.id,
        user_id: user.id,
    };
    let ex = store.create_exchange(&a, "L", None, "{}").await.unwrap();
    (a, ex.id)
}

fn uuid_ish() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

fn posting(kind: PostingKind, cents: i64) -> NewPosting {
    NewPosting {
        kind,
        amount_cents: cents,
        posted_on: "2026-03-02".into(),
        value_date: None,
        memo: String::new(),
        override_reason: None,
        closing: None,
        request: None,
    }
}

async fn invariants(store: Store) {
    let (a, ex) = setup(&store).await;
    store
        .post(&a, &ex, None, posting(PostingKind::Receipt, 1_000))
        .await
        .unwrap();
    // 20 concurrent fees of 100 against 1,000: exactly 10 succeed.
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (s, a, ex) = (store.clone(), a.clone(), ex.clone());
        tasks.push(tokio::spawn(async move {
            s.post(&a, &ex, None, posting(PostingKind::Fee, 100)).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::InsufficientFunds { .. }) => {}
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(ok, 10);
    let ex_row = store.get_exchange(&a.firm_id, &ex).await.unwrap();
    assert_eq!(ex_row.balance_cents, 0);
    let rows = store
        .list_postings(
            &a.firm_id,
            &ex,
            PageReq {
                after: None,
                limit: 100,
            },
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 11);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r.seq, i as i64 + 1);
        assert!(r.balance_after_cents >= 0);
    }
    // Zero and negative amounts are refused.
    assert!(
        store
            .post(&a, &ex, None, posting(PostingKind::Receipt, 0))
            .await
            .is_err()
    );
    // The database refuses to change or delete a posting, whatever the code does.
    let refused = |sql: &'static str| {
        let (store, id) = (store.clone(), rows[0].id.clone());
        async move { store.raw_execute_for_tests(sql, &id).await.is_err() }
    };
    assert!(refused("UPDATE postings SET amount_cents = 1 WHERE id = $1").await);
    assert!(refused("DELETE FROM postings WHERE id = $1").await);
    assert_eq!(
        store
            .list_postings(
                &a.firm_id,
                &ex,
                PageReq {
                    after: None,
                    limit: 100
                }
            )
            .await
            .unwrap(),
        rows
    );
}

/// A disbursement names the purchase closing it pays and, with the earlier ones to it, never
/// exceeds its need; concurrent disbursements to one closing cannot both pass (Treas. Reg.
/// §1.1031(k)-1(g)(6)).
async fn closings(store: Store) {
    let (a, ex) = setup(&store).await;
    store
        .post(&a, &ex, None, posting(PostingKind::Receipt, 10_000))
        .await
        .unwrap();
    let to_elm = |cents: i64| NewPosting {
        closing: Some(ClosingPaid {
            property_id: "elm".into(),
            need_cents: 1_000,
        }),
        ..posting(PostingKind::Disbursement, cents)
    };
    assert!(matches!(
        store
            .post(&a, &ex, None, posting(PostingKind::Disbursement, 100))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (s, a, ex, p) = (store.clone(), a.clone(), ex.clone(), to_elm(300));
        tasks.push(tokio::spawn(async move { s.post(&a, &ex, None, p).await }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(p) => {
                assert_eq!(p.property_id.as_deref(), Some("elm"));
                ok += 1;
            }
            Err(StoreError::ClosingOverpaid { need_cents, .. }) => assert_eq!(need_cents, 1_000),
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(
        ok, 3,
        "3 × $3.00 fit in a need of $10.00, a fourth does not"
    );
    let ex_row = store.get_exchange(&a.firm_id, &ex).await.unwrap();
    assert_eq!(ex_row.balance_cents, 10_000 - 900);
    store.post(&a, &ex, None, to_elm(100)).await.unwrap();
}

/// The second approval cannot be split: payments out posted without a second person may
/// together take at most the firm's threshold from an exchange ($100,000 by default), whatever
/// their kind; concurrent ones cannot both pass, and a refused one writes nothing.
async fn four_eyes(store: Store) {
    let (a, ex) = setup(&store).await;
    store
        .post(&a, &ex, None, posting(PostingKind::Receipt, 50_000_000))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (s, a, ex) = (store.clone(), a.clone(), ex.clone());
        let p = posting(PostingKind::Fee, 3_000_000);
        tasks.push(tokio::spawn(async move { s.post(&a, &ex, None, p).await }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::NeedsApproval {
                threshold_cents, ..
            }) => assert_eq!(threshold_cents, 10_000_000),
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(ok, 3, "3 × $30,000 fit under $100,000, a fourth does not");
    // Up to the threshold exactly, then not a cent more, of any kind.
    store
        .post(&a, &ex, None, posting(PostingKind::Fee, 1_000_000))
        .await
        .unwrap();
    for kind in [PostingKind::Fee, PostingKind::Release] {
        assert!(matches!(
            store.post(&a, &ex, None, posting(kind, 1)).await,
            Err(StoreError::NeedsApproval {
                unapproved_cents: 10_000_000,
                amount_cents: 1,
                ..
            })
        ));
    }
    // Money in never needs a second person; the refused ones wrote nothing.
    store
        .post(&a, &ex, None, posting(PostingKind::Interest, 1))
        .await
        .unwrap();
    let ex_row = store.get_exchange(&a.firm_id, &ex).await.unwrap();
    assert_eq!(ex_row.balance_cents, 50_000_000 - 10_000_000 + 1);
    let rows = store
        .list_postings(
            &a.firm_id,
            &ex,
            PageReq {
                after: None,
                limit: 100,
            },
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 6);
}

/// A payment request's idempotency key: eight requests with one key at once move the money
/// once, and the key then answers with that posting; a refused request keeps no key; a payment
/// filed for approval keeps its key with the approval.
async fn request_keys(store: Store) {
    let (a, ex) = setup(&store).await;
    store
        .post(&a, &ex, None, posting(PostingKind::Receipt, 1_000_000))
        .await
        .unwrap();
    let keyed = |kind, cents, key: &str| NewPosting {
        request: Some(RequestKey {
            key: key.into(),
            fingerprint: format!("{kind:?} {cents}"),
        }),
        ..posting(kind, cents)
    };
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (s, a, ex) = (store.clone(), a.clone(), ex.clone());
        let p = keyed(PostingKind::Fee, 500, "retry-1");
        tasks.push(tokio::spawn(async move { s.post(&a, &ex, None, p).await }));
    }
    let (mut made, mut repeated) = (Vec::new(), 0);
    for t in tasks {
        match t.await.unwrap() {
            Ok(p) => made.push(p.id),
            Err(StoreError::Repeated(k)) => {
                assert_eq!(k, "retry-1");
                repeated += 1;
            }
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(
        (made.len(), repeated),
        (1, 7),
        "one fee posted, seven answered as repeats"
    );
    let kept = store
        .kept_request(&a.firm_id, &ex, "retry-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.posting_id.as_deref(), Some(made[0].as_str()));
    assert_eq!(kept.fingerprint, "Fee 500");
    let ex_row = store.get_exchange(&a.firm_id, &ex).await.unwrap();
    assert_eq!(ex_row.balance_cents, 1_000_000 - 500);
    // Refused (more than is held): nothing written, the key stays free.
    assert!(matches!(
        store
            .post(
                &a,
                &ex,
                None,
                keyed(PostingKind::Fee, 2_000_000, "too-much")
            )
            .await,
        Err(StoreError::InsufficientFunds { .. })
    ));
    assert!(
        store
            .kept_request(&a.firm_id, &ex, "too-much")
            .await
            .unwrap()
            .is_none()
    );
    // Filed for approval: the key names the approval, and a second filing is refused.
    let ap = store
        .request_approval(&a, &ex, keyed(PostingKind::Release, 900, "ap-1"))
        .await
        .unwrap();
    let kept = store
        .kept_request(&a.firm_id, &ex, "ap-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.approval_id.as_deref(), Some(ap.id.as_str()));
    assert!(matches!(
        store
            .request_approval(&a, &ex, keyed(PostingKind::Release, 900, "ap-1"))
            .await,
        Err(StoreError::Repeated(_))
    ));
    assert_eq!(
        store.list_approvals(&a.firm_id, &ex).await.unwrap().len(),
        1
    );
    assert_eq!(
        store
            .get_posting(&a.firm_id, &ex, &made[0])
            .await
            .unwrap()
            .amount_cents,
        -500
    );
}

#[tokio::test]
async fn a_repeated_request_key_moves_money_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("k.db").display()))
        .await
        .unwrap();
    request_keys(store).await;
}

#[tokio::test]
async fn a_repeated_request_key_moves_money_once_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "a_repeated_request_key_moves_money_once_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    request_keys(Store::open(&url).await.unwrap()).await;
}

#[tokio::test]
async fn the_second_approval_cannot_be_split_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("f.db").display()))
        .await
        .unwrap();
    four_eyes(store).await;
}

#[tokio::test]
async fn the_second_approval_cannot_be_split_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "the_second_approval_cannot_be_split_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    four_eyes(Store::open(&url).await.unwrap()).await;
}

#[tokio::test]
async fn disbursements_pay_their_closing_up_to_its_need_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("c.db").display()))
        .await
        .unwrap();
    closings(store).await;
}

#[tokio::test]
async fn disbursements_pay_their_closing_up_to_its_need_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "disbursements_pay_their_closing_up_to_its_need_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    closings(Store::open(&url).await.unwrap()).await;
}

#[tokio::test]
async fn ledger_invariants_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("l.db").display()))
        .await
        .unwrap();
    invariants(store).await;
}

#[tokio::test]
async fn ledger_invariants_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!("ledger_invariants_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
        return;
    };
    invariants(Store::open(&url).await.unwrap()).await;
}
