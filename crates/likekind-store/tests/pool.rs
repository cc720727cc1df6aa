//! The PostgreSQL pool skips the test of a connection in steady use, but a connection that
//! sat idle is tested before use: one the server dropped meanwhile (a restart, a failover)
//! is replaced instead of failing the request.
#![allow(clippy::unwrap_used)]

use likekind_store::Store;
use std::time::Duration;

#[tokio::test]
async fn a_postgres_connection_dropped_while_idle_is_replaced_before_use() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "a_postgres_connection_dropped_while_idle_is_replaced_before_use: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    // A name of its own, so that only this store's connections are dropped.
    let app = format!("likekind_pool_test_{}", std::process::id());
    let sep = if url.contains('?') { '&' } else { '?' };
    let store = Store::open(&format!("{url}{sep}application_name={app}"))
        .await
        .unwrap();
    store.firm_count().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    // Another session drops every connection of the store, as a database restart would.
    sqlx::any::install_default_drivers();
    let admin = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    use sqlx::Row;
    let pids: Vec<i32> =
        sqlx::query("SELECT pid FROM pg_stat_activity WHERE application_name = $1")
            .bind(&app)
            .fetch_all(&admin)
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("pid").unwrap())
            .collect();
    assert!(!pids.is_empty(), "the store's connections were found");
    for pid in pids {
        sqlx::query("SELECT pg_terminate_backend($1)")
            .bind(pid)
            .execute(&admin)
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The idle connection is tested, found closed and replaced: the read succeeds.
    store.firm_count().await.unwrap();
}

/// Why `Store::open` refused `url`.
async fn refusal(url: &str) -> String {
    Store::open(url).await.err().unwrap().to_string()
}

/// A database that cannot be opened says why at once, in words, instead of a pool's
/// "timed out" after 30 seconds: a path that is not an SQLite file (left as it was), a folder
/// that does not exist, and (with PostgreSQL) a wrong password and a port where nothing
/// listens.
#[tokio::test]
async fn a_database_that_cannot_be_opened_says_why_at_once() {
    let d = tempfile::tempdir().unwrap();
    let book = d.path().join("book.jsonl");
    std::fs::write(&book, b"{\"exchange\": {}}\n").unwrap();
    let started = std::time::Instant::now();
    let e = refusal(&format!("sqlite://{}", book.display())).await;
    assert!(e.contains("the file is not an SQLite database"), "{e}");
    assert_eq!(std::fs::read(&book).unwrap(), b"{\"exchange\": {}}\n");
    let missing = d.path().join("no-such-folder").join("x.db");
    let e = refusal(&format!("sqlite://{}", missing.display())).await;
    assert!(e.contains("check that its folder exists"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(10), "at once");

    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "a_database_that_cannot_be_opened_says_why_at_once (PostgreSQL part): NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    let wrong = url.replacen("likekind:likekind@", "likekind:not-the-password@", 1);
    assert_ne!(
        wrong, url,
        "the test URL has the password this test replaces"
    );
    let e = refusal(&wrong).await;
    assert!(e.contains("password authentication failed"), "{e}");
    // A port nothing listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = refusal(&format!("postgres://likekind:likekind@127.0.0.1:{port}/x")).await;
    assert!(e.contains("no PostgreSQL server answers"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(20), "at once");
}
