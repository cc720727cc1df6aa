//! The data revision moves with every committed change to what the dashboard and the alerts
//! show, and with nothing else; every table either has its triggers or is named as holding
//! nothing shown. On SQLite and (with LIKEKIND_TEST_PG_URL) on PostgreSQL.
#![allow(clippy::unwrap_used)]

use likekind_store::{Actor, NewPosting, NewUser, PostingKind, Role, Store, UNREVISED_TABLES};

fn uniq() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

async fn every_table_is_revised_or_named(store: &Store) {
    let tables = store.revised_tables().await.unwrap();
    assert!(tables.len() >= 20, "{tables:?}");
    for (t, revised) in &tables {
        let named = UNREVISED_TABLES.contains(&t.as_str());
        assert!(
            revised ^ named,
            "table {t}: revised {revised}, named as unrevised {named}: a table is one or the other"
        );
    }
    for t in UNREVISED_TABLES {
        assert!(tables.iter().any(|(x, _)| x == t), "{t} is not a table");
    }
}

async fn changes_move_it_and_sign_ins_do_not(store: &Store) {
    let r0 = store.data_revision().await.unwrap();
    let (firm, user) = store
        .create_firm(
            "R",
            NewUser {
                email: format!("r-{}@x.example", uniq()),
                name: "R".into(),
                role: Role::Admin,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    let r1 = store.data_revision().await.unwrap();
    assert!(r1 > r0, "a new firm moves it");
    store
        .create_session(&uniq(), &user.id, "csrf", i64::MAX / 2)
        .await
        .unwrap();
    assert_eq!(
        store.data_revision().await.unwrap(),
        r1,
        "a sign-in does not"
    );
    let a = Actor {
        firm_id: firm.id,
        user_id: user.id,
    };
    let ex = store.create_exchange(&a, "R", None, "{}").await.unwrap();
    let r2 = store.data_revision().await.unwrap();
    assert!(r2 > r1, "a new exchange moves it");
    // Writers at once, each on its own exchange: all commit (no deadlock on the one row),
    // and the number moves at least once for each.
    let mut exchanges = Vec::new();
    for i in 0..6 {
        exchanges.push(
            store
                .create_exchange(&a, &format!("R{i}"), None, "{}")
                .await
                .unwrap()
                .id,
        );
    }
    let r3 = store.data_revision().await.unwrap();
    exchanges.push(ex.id);
    let mut tasks = Vec::new();
    for id in exchanges {
        let (store, a) = (store.clone(), a.clone());
        tasks.push(tokio::spawn(async move {
            let p = NewPosting {
                kind: PostingKind::Receipt,
                amount_cents: 100,
                posted_on: "2026-03-02".into(),
                value_date: None,
                memo: String::new(),
                override_reason: None,
                closing: None,
                request: None,
            };
            store.post(&a, &id, None, p).await.map(|_| ())
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert!(store.data_revision().await.unwrap() >= r3 + 7);
}

#[tokio::test]
async fn the_revision_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    let store = Store::open(&url).await.unwrap();
    every_table_is_revised_or_named(&store).await;
    changes_move_it_and_sign_ins_do_not(&store).await;
}

#[tokio::test]
async fn the_revision_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!("the_revision_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
        return;
    };
    let store = Store::open(&url).await.unwrap();
    every_table_is_revised_or_named(&store).await;
    changes_move_it_and_sign_ins_do_not(&store).await;
}
