//! # likekind-store
//!
//! Where the tracker keeps its records: firms, users, sessions and API tokens, exchanges
//! (each holding its exchange file as JSON), parties, lifecycle events, identification
//! notices, documents, the funds ledger, second approvals and the audit log.
//!
//! Two backends, one [`Store`]: an embedded SQLite file (the default) and PostgreSQL, where
//! several server processes share one database. Queries are built at run time through sqlx's
//! `Any` driver from the SQL subset both databases share (`$1` parameters, `RETURNING`,
//! `LIMIT`), so there is one copy of every query and no compile-time database; what differs per
//! backend is kept small and explicit: the migrations (`migrations/{sqlite,postgres}`), the
//! pool shape (SQLite writes go through one connection per process, and every write
//! transaction takes the file's write lock as it begins, so one that reads before it writes
//! waits for another process's write instead of failing: [`Store::begin_write`]), and the
//! SQLite pragmas. The cross-backend story test in the server
//! crate runs the same calls against both.
//!
//! Every method that writes runs in one transaction together with its audit record, so a
//! write is either wholly there (and audited) or not at all.
//!
//! Every write of an exchange's file or phase also stores, in that transaction, the
//! exchange's [`summary`] (its deadline dates and dated alert inputs, derived from the
//! engine), so the dashboard and the alerts are queries rather than an engine run per
//! exchange; [`Store::open`] computes it for rows that lack it.

mod audit;
pub use audit::AuditFilter;
mod auth;
mod change;
mod counts;
pub use auth::{Caller, NewUser};
pub use exchanges::{Closing, ExchangeUpdate, NewEvent};
pub use import::{ImportCounts, Imported, SameName};
pub use ledger::Decision;
pub use tracker::{NoticeChange, PaperDocument, PaperNotice};
mod exchange_row;
mod exchanges;
mod import;
mod ledger;
mod notify_settings;
pub mod outbox;
mod overview;
mod records;
mod requests;
mod revision;
mod rows;
mod search;
mod stored_forms;
pub mod summary;
pub mod terms;
mod tracker;
pub use overview::{AlertRow, AlertSet, DueRow, STATUSES};
pub use search::{CoordinatorFilter, ListQuery, ListSort, ListedExchange, MAX_SEARCH_WORDS};

pub use records::*;
pub use revision::UNREVISED_TABLES;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};
use std::borrow::Cow;
use std::time::Duration;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such record (or not in the caller's firm: the two are indistinguishable on purpose).
    #[error("not found")]
    NotFound,
    /// The write would make an exchange's funds balance negative.
    #[error(
        "the balance would become negative: {balance_cents} cents held, {amount_cents} cents asked"
    )]
    InsufficientFunds {
        balance_cents: i64,
        amount_cents: i64,
    },
    /// The record changed since it was read (optimistic concurrency), or a state rule refused
    /// the change.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A disbursement would pay a purchase closing more than it needs from the exchange funds
    /// (Treas. Reg. §1.1031(k)-1(g)(6)): `paid_cents` already went to it, `need_cents` is all
    /// it needs.
    #[error(
        "the closing of {property_id} needs {need_cents} cents from the exchange funds, {paid_cents} cents already paid, {amount_cents} cents asked"
    )]
    ClosingOverpaid {
        property_id: String,
        need_cents: i64,
        paid_cents: i64,
        amount_cents: i64,
    },
    /// A payment out of the exchange funds posted without a second person would take what has
    /// left this exchange without one above the firm's threshold (the four-eyes rule cannot be
    /// split): `unapproved_cents` already left without a second approval, `amount_cents` is
    /// asked. Nothing was written; the payment must be filed for approval.
    #[error(
        "{unapproved_cents} cents already left without a second approval, {amount_cents} cents asked, threshold {threshold_cents} cents"
    )]
    NeedsApproval {
        threshold_cents: i64,
        unapproved_cents: i64,
        amount_cents: i64,
    },
    /// A payment request's idempotency key is already kept: an earlier request with it was
    /// made (or is being made). Nothing of this one was written.
    #[error("a request with the idempotency key {0:?} was already made")]
    Repeated(String),
    /// A unique value (an e-mail address) is already taken.
    #[error("already exists: {0}")]
    Duplicate(String),
    /// The database could not be reached or opened at all; the reason in words.
    #[error("{0}")]
    Open(String),
    /// The database URL is not one the store understands.
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://...")]
    BadUrl(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The tracker's storage. Cheap to clone (pools are shared handles).
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
    /// Reads. For PostgreSQL the same pool as `writer`.
    reader: AnyPool,
    /// Writes, through [`Store::begin_write`]. For SQLite a single connection: SQLite allows
    /// one writer at a time, and the process's writes queue here rather than on the file's
    /// lock.
    writer: AnyPool,
}

const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "tracker",
        include_str!("../migrations/sqlite/0001_tracker.sql"),
    ),
    (
        2,
        "exchange summary",
        include_str!("../migrations/sqlite/0002_exchange_summary.sql"),
    ),
    (
        3,
        "exchange verdict",
        include_str!("../migrations/sqlite/0003_exchange_verdict.sql"),
    ),
    (
        4,
        "ledger value date",
        include_str!("../migrations/sqlite/0004_ledger_value_date.sql"),
    ),
    (
        5,
        "release approvals",
        include_str!("../migrations/sqlite/0005_release_approvals.sql"),
    ),
    (
        6,
        "login throttle",
        include_str!("../migrations/sqlite/0006_login_throttle.sql"),
    ),
    (
        7,
        "exchange phase",
        include_str!("../migrations/sqlite/0007_exchange_phase.sql"),
    ),
    (
        8,
        "exchange imports",
        include_str!("../migrations/sqlite/0008_exchange_imports.sql"),
    ),
    (
        9,
        "paper notices and accounts",
        include_str!("../migrations/sqlite/0009_paper_notices_accounts.sql"),
    ),
    (
        10,
        "firm scale",
        include_str!("../migrations/sqlite/0010_firm_scale.sql"),
    ),
    (
        11,
        "notifications",
        include_str!("../migrations/sqlite/0011_notifications.sql"),
    ),
    (
        12,
        "dashboard search",
        include_str!("../migrations/sqlite/0012_dashboard_search.sql"),
    ),
    (
        14,
        "audit_filters",
        include_str!("../migrations/sqlite/0014_audit_filters.sql"),
    ),
    (
        15,
        "dashboard_indexes",
        include_str!("../migrations/sqlite/0015_dashboard_indexes.sql"),
    ),
    (
        16,
        "reminder_bounds",
        include_str!("../migrations/sqlite/0016_reminder_bounds.sql"),
    ),
    (
        17,
        "data_revision",
        include_str!("../migrations/sqlite/0017_data_revision.sql"),
    ),
    (
        18,
        "related_party_index",
        include_str!("../migrations/sqlite/0018_related_party_index.sql"),
    ),
    (
        19,
        "outbox_claim",
        include_str!("../migrations/sqlite/0019_outbox_claim.sql"),
    ),
    (
        20,
        "outbox_unsendable",
        include_str!("../migrations/sqlite/0020_outbox_unsendable.sql"),
    ),
    (
        21,
        "disbursement_closing",
        include_str!("../migrations/sqlite/0021_disbursement_closing.sql"),
    ),
    (
        22,
        "alert_not_closed",
        include_str!("../migrations/sqlite/0022_alert_not_closed.sql"),
    ),
    (
        23,
        "payment_request_keys",
        include_str!("../migrations/sqlite/0023_payment_request_keys.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "tracker",
        include_str!("../migrations/postgres/0001_tracker.sql"),
    ),
    (
        2,
        "exchange summary",
        include_str!("../migrations/postgres/0002_exchange_summary.sql"),
    ),
    (
        3,
        "exchange verdict",
        include_str!("../migrations/postgres/0003_exchange_verdict.sql"),
    ),
    (
        4,
        "ledger value date",
        include_str!("../migrations/postgres/0004_ledger_value_date.sql"),
    ),
    (
        5,
        "release approvals",
        include_str!("../migrations/postgres/0005_release_approvals.sql"),
    ),
    (
        6,
        "login throttle",
        include_str!("../migrations/postgres/0006_login_throttle.sql"),
    ),
    (
        7,
        "exchange phase",
        include_str!("../migrations/postgres/0007_exchange_phase.sql"),
    ),
    (
        8,
        "exchange imports",
        include_str!("../migrations/postgres/0008_exchange_imports.sql"),
    ),
    (
        9,
        "paper notices and accounts",
        include_str!("../migrations/postgres/0009_paper_notices_accounts.sql"),
    ),
    (
        10,
        "firm scale",
        include_str!("../migrations/postgres/0010_firm_scale.sql"),
    ),
    (
        11,
        "notifications",
        include_str!("../migrations/postgres/0011_notifications.sql"),
    ),
    (
        12,
        "dashboard search",
        include_str!("../migrations/postgres/0012_dashboard_search.sql"),
    ),
    (
        14,
        "audit_filters",
        include_str!("../migrations/postgres/0014_audit_filters.sql"),
    ),
    (
        15,
        "dashboard_indexes",
        include_str!("../migrations/postgres/0015_dashboard_indexes.sql"),
    ),
    (
        16,
        "reminder_bounds",
        include_str!("../migrations/postgres/0016_reminder_bounds.sql"),
    ),
    (
        17,
        "data_revision",
        include_str!("../migrations/postgres/0017_data_revision.sql"),
    ),
    (
        18,
        "related_party_index",
        include_str!("../migrations/postgres/0018_related_party_index.sql"),
    ),
    (
        19,
        "outbox_claim",
        include_str!("../migrations/postgres/0019_outbox_claim.sql"),
    ),
    (
        20,
        "outbox_unsendable",
        include_str!("../migrations/postgres/0020_outbox_unsendable.sql"),
    ),
    (
        21,
        "disbursement_closing",
        include_str!("../migrations/postgres/0021_disbursement_closing.sql"),
    ),
    (
        22,
        "alert_not_closed",
        include_str!("../migrations/postgres/0022_alert_not_closed.sql"),
    ),
    (
        23,
        "payment_request_keys",
        include_str!("../migrations/postgres/0023_payment_request_keys.sql"),
    ),
];

impl Store {
    /// Opens (creating an SQLite file if needed) and migrates the database at `url`.
    ///
    /// The pools do not test a connection in steady use before handing it out: sqlx already
    /// tests every connection when it comes back (and closes a broken one), and a test on the
    /// way out too cost one more round trip per query (to PostgreSQL, or to SQLite's worker
    /// thread). A PostgreSQL connection idle for over a second is still tested
    /// ([`ping_if_idle`]).
    ///
    /// # Errors
    /// An unsupported URL, a connection failure or a failed migration.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Store::open_migrated(url).await?;
        store.catch_up(|_| ()).await?;
        Ok(store)
    }

    /// [`open`](Self::open) without bringing the stored summaries up to date: for a server
    /// that answers "updating" while [`catch_up`](Self::catch_up) runs (after an upgrade
    /// that changed how summaries are derived, that takes minutes on a large book).
    ///
    /// # Errors
    /// An unsupported URL, a connection failure or a failed migration.
    pub async fn open_migrated(url: &str) -> Result<Store> {
        install_default_drivers();
        let store = if url.starts_with("sqlite:") {
            let url = if url.contains('?') {
                url.to_string()
            } else {
                format!("{url}?mode=rwc")
            };
            first_contact(&url, Backend::Sqlite).await?;
            let writer = AnyPoolOptions::new()
                .max_connections(1)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(sqlite_writer_pragmas)
                .connect(&url)
                .await?;
            let reader = AnyPoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .after_connect(sqlite_pragmas)
                .connect(&url)
                .await?;
            Store {
                backend: Backend::Sqlite,
                reader,
                writer,
            }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            first_contact(url, Backend::Postgres).await?;
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .test_before_acquire(false)
                .before_acquire(ping_if_idle)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await?;
            Store {
                backend: Backend::Postgres,
                reader: pool.clone(),
                writer: pool,
            }
        } else {
            return Err(StoreError::BadUrl(url.to_string()));
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Brings what the store derives up to date, telling `progress` how many outdated
    /// summaries it has gone past: exchanges without a summary (written before it existed,
    /// or by an older derivation) get one, then exchanges changed in bulk outside the store
    /// (counts cleared) are counted. [`open`](Self::open) runs it before it returns.
    ///
    /// # Errors
    /// A database failure.
    pub async fn catch_up(&self, progress: impl FnMut(u64)) -> Result<()> {
        self.refresh_summaries_with(progress).await?;
        self.count_uncounted().await?;
        Ok(())
    }

    /// Begins a write transaction: every write of the store begins here.
    ///
    /// On SQLite with `BEGIN IMMEDIATE`, which takes the file's write lock at once, waiting
    /// for it under the busy timeout. A deferred `BEGIN` takes only a read snapshot at its
    /// first read; when another process (a second server, an import or another CLI command
    /// on the same file) commits before this transaction's first write, SQLite refuses the
    /// write at once with "database is locked" (`SQLITE_BUSY_SNAPSHOT`: waiting cannot make a
    /// stale snapshot current), and a payment or an edit would fail instead of waiting. Within
    /// one process the single writer connection already orders the writes; the lock orders
    /// them between processes. PostgreSQL's row locks and constraints do that there, so its
    /// transactions begin as before.
    ///
    /// # Errors
    /// A database failure, or the lock still held by another process after the busy timeout.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }

    /// Which backend this store uses.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies the backend's migrations that are not yet applied (checksummed by sqlx).
    ///
    /// # Errors
    /// A migration that fails or was edited after being applied.
    pub async fn migrate(&self) -> Result<()> {
        let list = match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS,
            Backend::Postgres => POSTGRES_MIGRATIONS,
        };
        let migrator = Migrator {
            migrations: Cow::Owned(
                list.iter()
                    .map(|(v, d, sql)| {
                        Migration::new(
                            *v,
                            Cow::Borrowed(*d),
                            MigrationType::Simple,
                            Cow::Borrowed(*sql),
                            false,
                        )
                    })
                    .collect(),
            ),
            ..Migrator::DEFAULT
        };
        migrator.run(&self.writer).await?;
        Ok(())
    }

    /// The versions of the migrations applied to this database, in order.
    ///
    /// # Errors
    /// A database failure.
    pub async fn applied_migrations(&self) -> Result<Vec<i64>> {
        use sqlx::Row;
        let rows = sqlx::query("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|r| r.try_get::<i64, _>(0).map_err(StoreError::from))
            .collect()
    }
}

/// What a pool hook (after connecting, before handing a connection out) returns.
type HookFuture<'c, T> = std::pin::Pin<
    Box<dyn std::future::Future<Output = std::result::Result<T, sqlx::Error>> + Send + 'c>,
>;

#[cfg(test)]
impl Store {
    /// The details of SQLite's plan for `explained` (an `EXPLAIN QUERY PLAN …` query with its
    /// parameters bound), for the tests that a query reads the index it was written for.
    pub(crate) async fn sqlite_plan<'q>(
        &self,
        explained: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> Vec<String> {
        use sqlx::Row;
        explained
            .fetch_all(&self.reader)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .map(|r| r.try_get::<String, _>("detail").unwrap_or_default())
            .collect()
    }
}

/// Opens one connection and reads through it before any pool is made. A pool retries a
/// connection that fails until its acquire timeout (30 seconds) and then reports only the
/// timeout; one connection reports the reason at once (a path that is not an SQLite file, a
/// folder that does not exist, a PostgreSQL server that is not running or refuses the
/// password), and it is said in words.
async fn first_contact(url: &str, backend: Backend) -> Result<()> {
    use sqlx::Connection;
    let probe = match backend {
        // Reading the schema reads the file's header: a file that is not SQLite's fails here.
        // The same wait for the lock as every connection, so a writer busy in another
        // process (an import) is waited for, not reported.
        Backend::Sqlite => "PRAGMA busy_timeout = 10000; SELECT count(*) FROM sqlite_master",
        Backend::Postgres => "SELECT 1",
    };
    let tried = tokio::time::timeout(Duration::from_secs(30), async {
        let mut c = sqlx::AnyConnection::connect(url).await?;
        c.execute(probe).await?;
        c.close().await
    })
    .await;
    match tried {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(StoreError::Open(open_reason(&e, backend))),
        Err(_) => Err(StoreError::Open(
            "no answer from the database server within 30 seconds".into(),
        )),
    }
}

/// Why a database could not be opened, in words a person can act on.
fn open_reason(e: &sqlx::Error, backend: Backend) -> String {
    let said = match e {
        sqlx::Error::Database(d) => d.message().to_string(),
        sqlx::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    };
    let hint = match (backend, e) {
        (Backend::Sqlite, _) if said.contains("file is not a database") => {
            Some("the file is not an SQLite database: check the path after sqlite://")
        }
        (Backend::Sqlite, _) if said.contains("unable to open database file") => Some(
            "SQLite cannot open or create the file: check that its folder exists and that \
             this user may write there",
        ),
        (Backend::Postgres, sqlx::Error::Io(io))
            if io.kind() == std::io::ErrorKind::ConnectionRefused =>
        {
            Some("no PostgreSQL server answers at that host and port: is it running?")
        }
        _ => None,
    };
    match hint {
        Some(h) => format!("{h} ({said})"),
        None => said,
    }
}

/// Every SQLite connection: write-ahead log (readers never block the writer), full fsync on
/// commit (an acknowledged write survives a crash), foreign keys on, a wait for the lock, and
/// reads through a memory map of the whole file, up to 64 GiB (shared by every connection, so
/// a large book's pages are not read again by each connection into its own small cache; the
/// ceiling is raised at compile time in `.cargo/config.toml`).
fn sqlite_pragmas(
    conn: &mut sqlx::AnyConnection,
    _meta: sqlx::pool::PoolConnectionMetadata,
) -> HookFuture<'_, ()> {
    Box::pin(async move {
        conn.execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA mmap_size = 68719476736;",
        )
        .await?;
        Ok(())
    })
}

/// The writer's connection: [`sqlite_pragmas`], and its statement journals in memory.
///
/// A statement inside a transaction that could fail halfway keeps the original of every page
/// it changes, so that it alone can be undone; SQLite keeps that journal in a temporary file
/// by default. A bulk import of 2,000 exchanges made 148,000 writes to that file (of 155,000
/// writes in all). The journal lives only as long as one statement, and the writer's
/// statements each change a bounded set of rows, so memory holds it. Only the writer: the
/// readers' large sorts keep spilling to temporary files.
fn sqlite_writer_pragmas(
    conn: &mut sqlx::AnyConnection,
    meta: sqlx::pool::PoolConnectionMetadata,
) -> HookFuture<'_, ()> {
    Box::pin(async move {
        sqlite_pragmas(conn, meta).await?;
        conn.execute("PRAGMA temp_store = MEMORY;").await?;
        Ok(())
    })
}

/// A PostgreSQL connection that sat idle for more than a second is tested before use (the
/// server may have restarted or dropped it meanwhile, and the request would fail); one in
/// steady use is not, which saves a round trip per query.
fn ping_if_idle(
    conn: &mut sqlx::AnyConnection,
    meta: sqlx::pool::PoolConnectionMetadata,
) -> HookFuture<'_, bool> {
    Box::pin(async move {
        if meta.idle_for > Duration::from_secs(1) {
            sqlx::Connection::ping(conn).await?;
        }
        Ok(true)
    })
}

/// A new time-ordered id (UUID v7).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The current instant as RFC 3339 in UTC with microseconds.
pub fn now_rfc3339() -> String {
    format!("{:.6}", jiff::Timestamp::now())
}

/// The current instant in Unix seconds.
pub fn now_unix() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Maps a unique-constraint violation to [`StoreError::Duplicate`].
fn on_unique(e: sqlx::Error, what: &str) -> StoreError {
    if let sqlx::Error::Database(d) = &e
        && d.is_unique_violation()
    {
        return StoreError::Duplicate(what.to_string());
    }
    StoreError::Db(e)
}

impl Store {
    /// Runs one statement with one text parameter on the writer. Only for tests that check
    /// what the database itself refuses (e.g. changing a posting).
    ///
    /// # Errors
    /// Whatever the database answers.
    #[doc(hidden)]
    pub async fn raw_execute_for_tests(&self, sql: &str, arg: &str) -> Result<u64> {
        Ok(sqlx::query(sql)
            .bind(arg)
            .execute(&self.writer)
            .await?
            .rows_affected())
    }
}

#[cfg(test)]
mod sqlite_build {
    use super::Store;
    use sqlx::Row;

    /// The bundled SQLite is built as `.cargo/config.toml` says (no memory statistics, a map
    /// ceiling of 64 GiB), and each connection maps up to that ceiling: without the config,
    /// SQLite would silently clamp the map to 2 GB and lock on every allocation.
    #[tokio::test]
    async fn sqlite_is_built_and_opened_as_configured() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let url = format!("sqlite://{}", dir.path().join("b.db").display());
        let store = Store::open(&url).await.unwrap_or_else(|e| panic!("{e}"));
        let r = sqlx::query(
            "SELECT sqlite_compileoption_used('DEFAULT_MEMSTATUS=0') AS memstatus, \
             sqlite_compileoption_used('MAX_MMAP_SIZE=68719476736') AS ceiling",
        )
        .fetch_one(&store.reader)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.try_get::<i64, _>("memstatus").ok(), Some(1));
        assert_eq!(r.try_get::<i64, _>("ceiling").ok(), Some(1));
        let m = sqlx::query("PRAGMA mmap_size")
            .fetch_one(&store.reader)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.try_get::<i64, _>(0).ok(), Some(68_719_476_736));
    }
}
