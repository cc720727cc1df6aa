//! Two processes writing one SQLite file (two `likekind serve`, or `serve` and an import or
//! another CLI command): each process's [`Store`] sends its writes through one connection, but
//! the two connections contend for the file's single write lock.
//!
//! A transaction that reads before it writes (filing an approval reads the exchange first;
//! deciding one reads the approval first) must wait for the other process's write, not fail.
//! A deferred `BEGIN` takes only a read snapshot at its first read; when it then writes and
//! the other process committed meanwhile, SQLite answers `SQLITE_BUSY_SNAPSHOT` at once (the
//! busy timeout cannot help: the snapshot is stale), so the payment failed. The store's write
//! transactions begin with `BEGIN IMMEDIATE`, which takes the write lock first and waits for
//! it under the busy timeout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use likekind_store::{Actor, Decision, NewPosting, NewUser, PostingKind, Role, Store};

/// Approvals each process files and decides.
const EACH: usize = 40;
/// Tasks per process writing at once (they queue on the process's one writer connection,
/// so the other process's writes fall between every two of them).
const TASKS: usize = 4;
const FEE: i64 = 100;

fn fee() -> NewPosting {
    NewPosting {
        kind: PostingKind::Fee,
        amount_cents: FEE,
        posted_on: "2026-03-02".into(),
        value_date: None,
        memo: String::new(),
        override_reason: None,
        closing: None,
        request: None,
    }
}

/// A firm with a requester and a second person who approves, and an exchange holding funds.
async fn setup(store: &Store) -> (Actor, Actor, String) {
    let (firm, user) = store
        .create_firm(
            "Two",
            NewUser {
                email: "req@two.example".into(),
                name: "Requester".into(),
                role: Role::Admin,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    let requester = Actor {
        firm_id: firm.id.clone(),
        user_id: user.id,
    };
    let second = store
        .create_user(
            &requester,
            NewUser {
                email: "second@two.example".into(),
                name: "Second".into(),
                role: Role::Admin,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    let approver = Actor {
        firm_id: firm.id,
        user_id: second.id,
    };
    let ex = store
        .create_exchange(&requester, "Two", None, "{}")
        .await
        .unwrap();
    let mut receipt = fee();
    receipt.kind = PostingKind::Receipt;
    receipt.amount_cents = 1_000_000;
    store.post(&requester, &ex.id, None, receipt).await.unwrap();
    (requester, approver, ex.id)
}

/// One process's work: `EACH` fees filed for approval and approved, on `TASKS` tasks.
async fn one_process(store: Store, requester: Actor, approver: Actor, ex: String) -> Vec<String> {
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let (s, rq, ap, ex) = (
            store.clone(),
            requester.clone(),
            approver.clone(),
            ex.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut failed = Vec::new();
            for _ in (t..EACH).step_by(TASKS) {
                let filed = match s.request_approval(&rq, &ex, fee()).await {
                    Ok(filed) => filed,
                    Err(e) => {
                        failed.push(format!("filing: {e}"));
                        continue;
                    }
                };
                let d = Decision {
                    approve: true,
                    decided_on: "2026-03-03",
                    expected_version: None,
                    closing_need_cents: None,
                };
                if let Err(e) = s.decide_approval(&ap, &ex, &filed.id, d).await {
                    failed.push(format!("deciding: {e}"));
                }
            }
            failed
        }));
    }
    let mut failed = Vec::new();
    for t in tasks {
        failed.extend(t.await.unwrap());
    }
    failed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_sqlite_file_wait_for_each_other_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("two.db").display());
    let first = Store::open(&url).await.unwrap();
    let second = Store::open(&url).await.unwrap();
    let (requester, approver, ex) = setup(&first).await;
    let (a, b) = tokio::join!(
        tokio::spawn(one_process(
            first.clone(),
            requester.clone(),
            approver.clone(),
            ex.clone()
        )),
        tokio::spawn(one_process(second, requester.clone(), approver, ex.clone())),
    );
    let failed: Vec<String> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    assert!(
        failed.is_empty(),
        "{} of {} writes failed, e.g. {:?}",
        failed.len(),
        4 * EACH,
        failed.first()
    );
    let approvals = first.list_approvals(&requester.firm_id, &ex).await.unwrap();
    assert_eq!(approvals.len(), 2 * EACH);
    assert!(approvals.iter().all(|ap| ap.status == "approved"));
    let row = first.get_exchange(&requester.firm_id, &ex).await.unwrap();
    assert_eq!(row.balance_cents, 1_000_000 - 2 * EACH as i64 * FEE);
}
