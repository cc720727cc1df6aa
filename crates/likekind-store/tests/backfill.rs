//! A database written before the stored summaries existed (only migration 0001 applied, rows
//! inserted as the old code did) gets migration 0002 and a summary for every exchange when the
//! store opens, with nothing else changed.
#![allow(clippy::unwrap_used)]

use likekind_store::summary::{SUMMARY_VERSION, summarize};
use likekind_store::{Phase, Store};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use std::borrow::Cow;

const FILE: &str = r#"{"taxpayer":{"name":"T","entity":"individual"},"relinquished":[{"id":"r","description":"1 Main St","location":"CA","acquired":"2015-06-01","transferred":"2026-03-02","sale_price":"1000000","adjusted_basis":"400000","liabilities_relieved":"0","exchange_expenses":"0"}],"identified":[]}"#;

#[tokio::test]
async fn an_old_database_is_back_filled_when_the_store_opens() {
    install_default_drivers();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    {
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .unwrap();
        // The schema as the previous release left it: migration 1 only.
        let m = Migrator {
            migrations: Cow::Owned(vec![Migration::new(
                1,
                Cow::Borrowed("tracker"),
                MigrationType::Simple,
                Cow::Borrowed(include_str!("../migrations/sqlite/0001_tracker.sql")),
                false,
            )]),
            ..Migrator::DEFAULT
        };
        m.run(&pool).await.unwrap();
        sqlx::raw_sql(
            "INSERT INTO firms (id, name, created_at) VALUES ('f1', 'Old firm', '2026-01-01T00:00:00Z'); \
             INSERT INTO exchanges (id, firm_id, name, file, phase, balance_cents, created_at, updated_at) VALUES \
               ('e1', 'f1', 'Closed sale', '__FILE__', 'relinquished_closed', 500, '2026-03-02T00:00:00Z', '2026-03-02T00:00:00Z'), \
               ('e2', 'f1', 'Draft', '__FILE__', 'draft', 0, '2026-03-02T00:00:00Z', '2026-03-02T00:00:00Z'), \
               ('e3', 'f1', 'Done', '__FILE__', 'completed', 0, '2026-03-02T00:00:00Z', '2026-03-02T00:00:00Z'), \
               ('e4', 'f1', 'Unreadable', '{}', 'draft', 0, '2026-03-02T00:00:00Z', '2026-03-02T00:00:00Z')"
                .replace("__FILE__", FILE)
                .as_str(),
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let store = Store::open(&format!("sqlite://{}", dir.path().join("old.db").display()))
        .await
        .unwrap();
    assert_eq!(
        store.applied_migrations().await.unwrap(),
        vec![
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23
        ]
    );
    for (id, phase) in [
        ("e1", Phase::RelinquishedClosed),
        ("e2", Phase::Draft),
        ("e3", Phase::Completed),
        ("e4", Phase::Draft),
    ] {
        let ex = store.get_exchange("f1", id).await.unwrap();
        assert_eq!(ex.phase, phase);
        let (v, s) = store.stored_summary("f1", id).await.unwrap();
        assert_eq!(v, SUMMARY_VERSION, "{id}");
        assert_eq!(s, summarize(&ex.file, ex.phase), "{id}");
    }
    let e1 = store.get_exchange("f1", "e1").await.unwrap();
    assert_eq!(e1.file, FILE, "the file is untouched");
    assert_eq!((e1.balance_cents, e1.version), (500, 1));
    let (_, s) = store.stored_summary("f1", "e1").await.unwrap();
    assert_eq!(s.identification_end, Some(jiff::civil::date(2026, 4, 16)));
    assert!(s.milestones.iter().any(|m| m.kind == "deadline_missed"));
    // The phase the verdict settles it in is back-filled: nothing identified, failed from
    // day 46.
    assert_eq!(
        s.settled,
        Some(likekind_store::summary::Settled {
            phase: "failed",
            from: jiff::civil::date(2026, 4, 17)
        })
    );
    // The dashboard's queries read the back-filled rows: before day 45 both open exchanges
    // count down to it (the draft's sale date has passed: its sale closed)...
    let day = jiff::civil::date(2026, 4, 10);
    let due = store.list_due("f1", None, day, 10, 0).await.unwrap();
    assert_eq!(
        due.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["e1", "e2"],
        "the same deadline: by name"
    );
    assert_eq!(due[0].status, "identification_period");
    assert_eq!(due[0].milestone, "identification_end");
    assert_eq!(due[1].status, "identification_period");
    // ... and after it, nothing counts down to a deadline that no longer matters.
    let today = jiff::civil::date(2026, 5, 1);
    assert!(
        store
            .list_due("f1", None, today, 10, 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.count_due("f1", None, today).await.unwrap(), 0);
    let mut counts = store
        .count_exchanges_by_status("f1", None, today)
        .await
        .unwrap();
    counts.sort();
    assert_eq!(counts, vec![("completed", 1), ("draft", 1), ("failed", 2)]);
    // The maintained counts (migration 0010) are back-filled: the same figures as reading
    // every exchange, on every day around the dates.
    let mut d = jiff::civil::date(2026, 2, 20);
    while d <= jiff::civil::date(2026, 12, 31) {
        let mut a = store
            .count_exchanges_by_status("f1", None, d)
            .await
            .unwrap();
        let mut b = store
            .count_exchanges_by_status_scan("f1", None, d)
            .await
            .unwrap();
        a.sort();
        b.sort();
        assert_eq!(a, b, "{d}");
        assert_eq!(
            store.count_due("f1", None, d).await.unwrap(),
            store.count_due_scan("f1", None, d).await.unwrap(),
            "{d}"
        );
        d = d.checked_add(jiff::ToSpan::days(7)).unwrap();
    }
    // Idle funds: the exchange holding a balance (e1) raises the alert once the funds could
    // go back; the empty one (e2) is not read at all.
    let late = jiff::civil::date(2026, 11, 1);
    let idle = store
        .list_alerts(
            "f1",
            None,
            late,
            late,
            likekind_store::AlertSet::IdleFunds,
            false,
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        idle.iter()
            .map(|a| a.exchange_id.as_str())
            .collect::<Vec<_>>(),
        ["e1"]
    );
    // Opening again computes nothing more.
    assert_eq!(store.refresh_summaries().await.unwrap(), 0);
}

/// The deadline list against a scan of every exchange, on every day of a year: an exchange
/// whose identification period is over stays on the list, by its exchange end, until its
/// verdict settles (the day after the exchange period, or the day the last identified
/// property arrives), and never after. The list reads that arm from the index starting at
/// `today`, which is right only because a verdict never settles after the exchange period.
#[tokio::test]
async fn the_deadline_list_follows_every_running_exchange_day_by_day() {
    install_default_drivers();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("due.db").display());
    let store = Store::open(&url).await.unwrap();
    let base = r#"{"taxpayer":{"name":"T","entity":"individual"},"relinquished":[{"id":"r","description":"1 Main St","location":"CA","acquired":"2015-06-01","transferred":"2026-03-02","sale_price":"1000000","adjusted_basis":"400000","liabilities_relieved":"0","exchange_expenses":"0"}],"identified":[{"id":"p","description":"2 Oak Ave","fmv":"1000000","identified_on":"2026-03-20"}]"#;
    let waiting = format!("{base}}}");
    let received = format!(
        r#"{base},"replacement":[{{"id":"p","description":"2 Oak Ave","location":"TX","received":"2026-06-01","price":"1000000","liabilities_assumed":"0","exchange_expenses":"0"}}]}}"#
    );
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    sqlx::raw_sql(
        &"INSERT INTO firms (id, name, created_at) VALUES ('f1', 'Firm', '2026-01-01T00:00:00Z'); \
          INSERT INTO exchanges (id, firm_id, name, file, phase, balance_cents, created_at, updated_at) VALUES \
            ('w', 'f1', 'Waiting', '__W__', 'relinquished_closed', 0, '2026-03-02T00:00:00Z', '2026-03-02T00:00:00Z'), \
            ('r', 'f1', 'Received', '__R__', 'relinquished_closed', 0, '2026-03-02T00:00:00Z', '2026-03-02T00:00:00Z')"
            .replace("__W__", &waiting)
            .replace("__R__", &received),
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert_eq!(store.refresh_summaries().await.unwrap(), 2);
    let mut seen_exchange_end = 0;
    let mut d = jiff::civil::date(2026, 2, 20);
    while d <= jiff::civil::date(2026, 10, 31) {
        let due = store.list_due("f1", None, d, 10, 0).await.unwrap();
        assert_eq!(
            due.len() as i64,
            store.count_due_scan("f1", None, d).await.unwrap(),
            "{d}: {due:?}"
        );
        seen_exchange_end += due.iter().filter(|x| x.milestone == "exchange_end").count();
        d = d.checked_add(jiff::ToSpan::days(1)).unwrap();
    }
    // Waiting: Apr 17 to Aug 29 (135 days); received: Apr 17 to May 31 (45 days).
    assert_eq!(seen_exchange_end, 135 + 45);
}
