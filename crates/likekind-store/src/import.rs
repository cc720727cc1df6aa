//! Bulk loading of a book of exchanges (`likekind import BOOK`): many exchanges per
//! transaction, each stored exactly as the API stores one (row, summary, audit entry), and
//! each remembered by a key of its place in the book and its text, so an interrupted import
//! run again picks up where it stopped and never stores an exchange twice.

use crate::audit::{self, Change};
use crate::exchanges::{EX_COLS, ex_json, exchange_of};
use crate::summary::Summary;
use crate::{Actor, Phase, Result, Store, new_id, now_rfc3339};

/// One exchange of the book, validated by the engine and summarized by the caller (the
/// summaries are computed in parallel before the batch's transaction).
#[derive(Debug, Clone)]
pub struct Imported {
    /// A stable key of the entry: e.g. a hash of its place in the book and its text.
    pub key: String,
    pub name: String,
    /// The exchange file as JSON, as the API stores it.
    pub file: String,
    /// [`crate::summary::summarize`] of `file` in [`Imported::PHASE`].
    pub summary: Summary,
}

impl Imported {
    /// The phase an imported exchange starts in: the one `create_exchange` gives.
    pub const PHASE: Phase = Phase::Draft;
}

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: usize,
    /// Already imported by an earlier run (same key).
    pub skipped: usize,
}

impl Store {
    /// Stores a batch of exchanges in the actor's firm in one transaction: all of the batch or
    /// none of it. Entries whose key was imported before are skipped.
    ///
    /// # Errors
    /// A database failure (the batch is rolled back; running the import again resumes it).
    pub async fn import_exchanges(&self, a: &Actor, batch: &[Imported]) -> Result<ImportCounts> {
        let mut tx = self.writer.begin().await?;
        let now = now_rfc3339();
        let mut counts = ImportCounts::default();
        for it in batch {
            let seen = sqlx::query(
                "SELECT 1 AS one FROM exchange_imports WHERE firm_id = $1 AND import_key = $2",
            )
            .bind(&a.firm_id)
            .bind(&it.key)
            .fetch_optional(&mut *tx)
            .await?;
            if seen.is_some() {
                counts.skipped += 1;
                continue;
            }
            let r = sqlx::query(&format!(
                "INSERT INTO exchanges (id, firm_id, client_id, name, file, phase, created_at, updated_at) \
                 VALUES ($1, $2, NULL, $3, $4, $5, $6, $6) RETURNING {EX_COLS}"
            ))
            .bind(new_id())
            .bind(&a.firm_id)
            .bind(&it.name)
            .bind(&it.file)
            .bind(Imported::PHASE.as_str())
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            let ex = exchange_of(&r)?;
            crate::summary::write_computed(&mut tx, &ex, &it.summary).await?;
            sqlx::query(
                "INSERT INTO exchange_imports (firm_id, import_key, exchange_id) VALUES ($1, $2, $3)",
            )
            .bind(&a.firm_id)
            .bind(&it.key)
            .bind(&ex.id)
            .execute(&mut *tx)
            .await?;
            audit::by(
                &mut tx,
                a,
                Change {
                    exchange_id: Some(&ex.id),
                    action: "exchange.import",
                    entity: "exchange",
                    entity_id: &ex.id,
                    before: None,
                    after: Some(ex_json(&ex)),
                },
            )
            .await?;
            counts.created += 1;
        }
        tx.commit().await?;
        Ok(counts)
    }

    /// How many exchanges of the firm came from imports (for the import's closing line).
    ///
    /// # Errors
    /// A database failure.
    pub async fn imported_count(&self, firm_id: &str) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM exchange_imports WHERE firm_id = $1")
            .bind(firm_id)
            .fetch_one(&self.reader)
            .await?;
        Ok(sqlx::Row::try_get(&r, "n")?)
    }
}
