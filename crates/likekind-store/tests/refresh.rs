//! The summaries' refresh when the store opens after an engine upgrade (rows summarized by an
//! older derivation) writes, batch by batch, what the API's write path writes for the same
//! exchange: its milestones and dates, its search words and the firm's counts. On SQLite and
//! (with LIKEKIND_TEST_PG_URL) on PostgreSQL, where two servers may refresh at once.
#![allow(clippy::unwrap_used)]

use jiff::ToSpan;
use jiff::civil::{Date, date};
use likekind_store::{Actor, ListQuery, NewUser, Role, Store};
use sqlx::any::{AnyPoolOptions, install_default_drivers};

/// More than one batch of the refresh (500).
const EXCHANGES: usize = 640;

fn uniq() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

/// An exchange file: sold on a day spread over five years, identified in time or not at all,
/// its replacement received or not; `word` is in the replacement's description (searchable).
fn file(i: usize, shift: i64, word: &str) -> String {
    let sold: Date = date(2022, 1, 3)
        .checked_add(((i as i64 * 7) % 1800 + shift).days())
        .unwrap();
    let on = |d: i64| sold.checked_add(d.days()).unwrap();
    let identified = if i.is_multiple_of(4) {
        String::new()
    } else {
        format!(
            r#"{{"id":"p","description":"{word} Lane","fmv":"900000","identified_on":"{}"}}"#,
            on(20)
        )
    };
    let replacement = if i.is_multiple_of(3) && !i.is_multiple_of(4) {
        format!(
            r#",{{"id":"p","description":"{word} Lane","location":"TX","received":"{}","price":"900000","liabilities_assumed":"0","exchange_expenses":"0"}}"#,
            on(90)
        )
    } else {
        String::new()
    };
    format!(
        r#"{{"taxpayer":{{"name":"T {i}","entity":"individual"}},"relinquished":[{{"id":"r","description":"{i} Main St","location":"CA","acquired":"2015-06-01","transferred":"{sold}","sale_price":"1000000","adjusted_basis":"400000","liabilities_relieved":"0","exchange_expenses":"0"}}],"identified":[{identified}],"replacement":[{}]}}"#,
        replacement.trim_start_matches(',')
    )
}

/// The dashboard's maintained counts (by status, and with a deadline due) against a count of
/// the stored exchanges, every eleventh day over the exchanges' years.
async fn counts_match_the_exchanges(store: &Store, firm: &str) {
    let mut day = date(2021, 6, 1);
    while day < date(2028, 1, 1) {
        let (mut kept, kept_due) = store.count_statuses_and_due(firm, None, day).await.unwrap();
        let mut scanned = store
            .count_exchanges_by_status_scan(firm, None, day)
            .await
            .unwrap();
        kept.retain(|c| c.1 != 0);
        scanned.retain(|c| c.1 != 0);
        kept.sort();
        scanned.sort();
        assert_eq!(kept, scanned, "{day}");
        assert_eq!(
            kept_due,
            store.count_due_scan(firm, None, day).await.unwrap(),
            "{day}"
        );
        day = day.checked_add(11.days()).unwrap();
    }
}

async fn found_by(store: &Store, firm: &str, word: &str) -> Vec<String> {
    let q = ListQuery {
        search: word.to_string(),
        limit: 500,
        ..Default::default()
    };
    let mut ids: Vec<String> = store
        .list_exchange_page(firm, date(2026, 12, 5), &q)
        .await
        .unwrap()
        .into_iter()
        .map(|x| x.id)
        .collect();
    ids.sort();
    ids
}

/// A firm's exchanges as an older derivation left them: every summary out of date, and every
/// fifth exchange's file (and phase) changed since its summary was written, so its counts,
/// milestones and words must move.
struct Outdated {
    firm: String,
    ids: Vec<String>,
    /// The summaries the API's write path stored.
    before: Vec<likekind_store::summary::Summary>,
    changed: Vec<usize>,
}

async fn outdated(store: &Store, url: &str) -> Outdated {
    let (firm, user) = store
        .create_firm(
            "Refresh",
            NewUser {
                email: format!("refresh-{}@x.example", uniq()),
                name: "R".into(),
                role: Role::Admin,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    let a = Actor {
        firm_id: firm.id.clone(),
        user_id: user.id,
    };
    let mut ids = Vec::with_capacity(EXCHANGES);
    for i in 0..EXCHANGES {
        let ex = store
            .create_exchange(&a, &format!("Refresh {i}"), None, &file(i, 0, "Elm"))
            .await
            .unwrap();
        ids.push(ex.id);
    }
    let mut before = Vec::with_capacity(EXCHANGES);
    for id in &ids {
        before.push(store.stored_summary(&firm.id, id).await.unwrap().1);
    }
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    sqlx::query("UPDATE exchanges SET summary_version = 0 WHERE firm_id = $1")
        .bind(&firm.id)
        .execute(&pool)
        .await
        .unwrap();
    let changed: Vec<usize> = (0..EXCHANGES).step_by(5).collect();
    for &i in &changed {
        sqlx::query("UPDATE exchanges SET file = $1, phase = $2 WHERE id = $3")
            .bind(file(i, 40, "Birch"))
            .bind(if i.is_multiple_of(2) {
                "relinquished_closed"
            } else {
                "draft"
            })
            .bind(&ids[i])
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
    Outdated {
        firm: firm.id,
        ids,
        before,
        changed,
    }
}

/// Every summary as the API's write path computes it for the file and phase as they now
/// stand, the counts as a count of the exchanges, the search by the new words only.
async fn refreshed(store: &Store, o: &Outdated) {
    for (i, id) in o.ids.iter().enumerate() {
        let (version, now) = store.stored_summary(&o.firm, id).await.unwrap();
        assert_eq!(version, likekind_store::summary::SUMMARY_VERSION);
        if o.changed.contains(&i) {
            let phase = if i.is_multiple_of(2) {
                likekind_store::Phase::RelinquishedClosed
            } else {
                likekind_store::Phase::Draft
            };
            let want = likekind_store::summary::summarize(&file(i, 40, "Birch"), phase);
            assert_eq!(now, want, "exchange {i}");
        } else {
            assert_eq!(now, o.before[i], "exchange {i}");
        }
    }
    counts_match_the_exchanges(store, &o.firm).await;
    // Only identified or received property has a description with the word.
    let mut birch: Vec<String> = o
        .changed
        .iter()
        .filter(|&&i| !i.is_multiple_of(4))
        .map(|&i| o.ids[i].clone())
        .collect();
    birch.sort();
    assert_eq!(found_by(store, &o.firm, "birch").await, birch);
    let elm = found_by(store, &o.firm, "elm").await;
    assert!(
        o.changed.iter().all(|&i| !elm.contains(&o.ids[i])),
        "the old words are gone"
    );
}

async fn refresh_writes_what_the_api_writes(url: &str, exact: bool) {
    let store = Store::open(url).await.unwrap();
    let o = outdated(&store, url).await;
    let waiting = store.outdated_summaries().await.unwrap();
    // Progress after each batch: how many outdated exchanges the refresh has gone past.
    let mut progress = Vec::new();
    let n = store
        .refresh_summaries_with(|seen| progress.push(seen))
        .await
        .unwrap();
    assert!(progress.windows(2).all(|w| w[0] < w[1]), "{progress:?}");
    if exact {
        assert_eq!(progress.last().copied(), Some(n), "{progress:?}");
        assert_eq!(waiting, EXCHANGES as u64);
        assert_eq!(n, EXCHANGES as u64);
        assert_eq!(progress, [500, EXCHANGES as u64]);
    } else {
        assert!(waiting >= EXCHANGES as u64, "{waiting}");
        assert!(n >= EXCHANGES as u64, "{n}");
        // Past what it refreshed itself: another server may have refreshed some of them.
        assert!(progress.last().copied().unwrap_or(0) >= n, "{progress:?}");
    }
    assert_eq!(store.refresh_summaries().await.unwrap(), 0, "all current");
    assert_eq!(
        store.outdated_summaries().await.unwrap(),
        0,
        "nothing waits"
    );
    refreshed(&store, &o).await;
}

/// Two servers started together after an upgrade both refresh: each exchange is refreshed
/// by one of them (the other finds it current once the first commits), and the counts are
/// taken back and added once.
async fn two_servers_refresh_at_once(url: &str) {
    let store = Store::open(url).await.unwrap();
    let o = outdated(&store, url).await;
    let (a, b) = tokio::join!(Store::open(url), Store::open(url));
    a.unwrap();
    b.unwrap();
    assert_eq!(store.refresh_summaries().await.unwrap(), 0, "all current");
    refreshed(&store, &o).await;
}

#[tokio::test]
async fn the_refresh_on_sqlite() {
    install_default_drivers();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("refresh.db").display());
    refresh_writes_what_the_api_writes(&url, true).await;
}

#[tokio::test]
async fn the_refresh_on_postgres() {
    install_default_drivers();
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!("the_refresh_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
        return;
    };
    refresh_writes_what_the_api_writes(&url, false).await;
    two_servers_refresh_at_once(&url).await;
}
