//! The data revision: a number that moves forward with every committed change to what the
//! dashboard and the alerts show (migration 0017: triggers on those tables, in the changing
//! transaction). A read taken after the number was read includes every change up to it, so a
//! server may keep that read for as long as the number stays the same.

use crate::{Result, Store};

/// The tables whose changes do not move the revision: they hold nothing the dashboard or the
/// alerts show. Every other table has the revision's triggers (a test reads the catalogue).
pub const UNREVISED_TABLES: &[&str] = &[
    "sessions",
    "api_tokens",
    "login_failures",
    "login_throttle",
    "password_resets",
    "audit",
    "exchange_imports",
    "notify_prefs",
    "webhook_endpoints",
    "notify_events",
    "outbox",
    "server_secrets",
    "data_revision",
    "payment_requests",
];

impl Store {
    /// The current data revision (one primary-key read).
    ///
    /// # Errors
    /// A database failure.
    pub async fn data_revision(&self) -> Result<i64> {
        let n: i64 = sqlx::query_scalar("SELECT n FROM data_revision WHERE id = 1")
            .fetch_one(&self.reader)
            .await?;
        Ok(n)
    }

    /// The tables that have the revision's triggers, by name, from the database's own
    /// catalogue (for the test that every table is either revised or listed above).
    ///
    /// # Errors
    /// A database failure.
    pub async fn revised_tables(&self) -> Result<Vec<(String, bool)>> {
        let sql = match self.backend {
            crate::Backend::Sqlite => {
                "SELECT t.name, CASE WHEN EXISTS (SELECT 1 FROM sqlite_master g WHERE g.type = 'trigger' \
                 AND g.tbl_name = t.name AND g.sql LIKE '%data_revision%') THEN 1 ELSE 0 END \
                 FROM sqlite_master t WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%' \
                 AND t.name NOT LIKE '\\_sqlx%' ESCAPE '\\' ORDER BY t.name"
            }
            crate::Backend::Postgres => {
                "SELECT c.relname::text, (CASE WHEN EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_proc p \
                 ON p.oid = g.tgfoid WHERE g.tgrelid = c.oid \
                 AND p.proname = 'likekind_bump_revision') THEN 1 ELSE 0 END)::bigint \
                 FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace \
                 WHERE c.relkind IN ('r', 'p') AND s.nspname = current_schema() \
                 AND c.relname NOT LIKE '\\_sqlx%' ORDER BY c.relname"
            }
        };
        let rows: Vec<(String, i64)> = sqlx::query_as(sql).fetch_all(&self.reader).await?;
        Ok(rows.into_iter().map(|(t, n)| (t, n == 1)).collect())
    }
}
