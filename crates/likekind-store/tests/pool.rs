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
