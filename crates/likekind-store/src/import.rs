//! Bulk loading of a book of exchanges (`likekind import BOOK`): many exchanges per
//! transaction, each stored exactly as the API stores one (row, summary, audit entry), and
//! each remembered by a key of its name and text, so an interrupted import run again picks up
//! where it stopped and never stores an exchange twice. An entry whose name is already an
//! exchange's in the firm is not stored unless the caller says so: a corrected fact would
//! otherwise make a second exchange, with its own ledger and deadlines, for one sale.

use crate::audit::{self, Change};
use crate::exchanges::{EX_COLS, ex_json, exchange_of};
use crate::summary::Summary;
use crate::{Actor, Phase, Result, Store, new_id, now_rfc3339};

/// One exchange of the book, validated by the engine and summarized by the caller (the
/// summaries are computed in parallel before the batch's transaction).
#[derive(Debug, Clone)]
pub struct Imported {
    /// A stable key of the entry: e.g. a hash of its name and its text.
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: usize,
    /// Already imported by an earlier run (same key).
    pub skipped: usize,
    /// The entries (their places in the batch) not stored because an exchange of the same
    /// name is already in the firm (or earlier in the book): most often the same exchange
    /// with a fact corrected, which stored again would be a second exchange, with its own
    /// ledger and deadlines, for one sale.
    pub same_name: Vec<usize>,
}

/// Whether an entry whose name is already an exchange's in the firm is stored anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameName {
    /// Not stored: counted in [`ImportCounts::same_name`].
    Refuse,
    /// Stored as another exchange (the caller said the book means it).
    Allow,
}

/// Which of the names of `batch`'s entries not yet imported are already exchanges' names
/// in the firm (one indexed query per few hundred names).
async fn taken_names(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    firm_id: &str,
    names: &[&str],
) -> Result<std::collections::HashSet<String>> {
    let mut taken = std::collections::HashSet::new();
    for chunk in names.chunks(crate::rows::IN_LIST) {
        let sql = format!(
            "SELECT DISTINCT name FROM exchanges WHERE firm_id = $1 AND name IN ({})",
            crate::rows::list(2, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(firm_id);
        for n in chunk {
            q = q.bind(*n);
        }
        for r in q.fetch_all(&mut **tx).await? {
            taken.insert(sqlx::Row::try_get::<String, _>(&r, "name")?);
        }
    }
    Ok(taken)
}

/// The keys of `batch` already imported into the firm.
async fn imported_keys<'b>(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    firm_id: &str,
    batch: &'b [Imported],
) -> Result<std::collections::HashSet<&'b str>> {
    let mut seen = std::collections::HashSet::with_capacity(batch.len());
    for chunk in batch.chunks(crate::rows::IN_LIST) {
        let sql = format!(
            "SELECT import_key FROM exchange_imports WHERE firm_id = $1 AND import_key IN ({})",
            crate::rows::list(2, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(firm_id);
        for it in chunk {
            q = q.bind(&it.key);
        }
        let found = q
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| sqlx::Row::try_get::<String, _>(r, "import_key"))
            .collect::<std::result::Result<std::collections::HashSet<_>, _>>()?;
        seen.extend(
            chunk
                .iter()
                .filter(|it| found.contains(&it.key))
                .map(|it| it.key.as_str()),
        );
    }
    Ok(seen)
}

/// How many times a batch is tried when another writer got in the way.
const ATTEMPTS: u32 = 8;

/// A failure another writer caused, which the same batch tried again gets past: another
/// import of the same book stored some of its entries first (their keys are then read as
/// already there), or, on SQLite, another process held the write lock longer than the busy
/// wait ("database is locked").
fn another_writer(e: &crate::StoreError) -> bool {
    let crate::StoreError::Db(sqlx::Error::Database(d)) = e else {
        return false;
    };
    d.is_unique_violation()
        || matches!(d.code().as_deref(), Some("5" | "517" | "261"))
        || d.message().contains("database is locked")
}

impl Store {
    /// Stores a batch of exchanges in the actor's firm in one transaction: all of the batch or
    /// none of it. Entries whose key was imported before are skipped. When another writer got
    /// in the way (another import of the same book, or a server writing to the same SQLite
    /// file), the batch is tried again, a little later each time: what the other stored first
    /// is then already there.
    ///
    /// An entry not imported before whose name is already an exchange's in the firm (or an
    /// earlier entry's) is stored only with [`SameName::Allow`]; else it is counted in
    /// [`ImportCounts::same_name`] and nothing of it is written.
    ///
    /// # Errors
    /// A database failure (the batch is rolled back; running the import again resumes it).
    pub async fn import_exchanges(
        &self,
        a: &Actor,
        batch: &[Imported],
        same_name: SameName,
    ) -> Result<ImportCounts> {
        let mut attempt = 1;
        loop {
            match self.import_batch(a, batch, same_name).await {
                Err(e) if attempt < ATTEMPTS && another_writer(&e) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50 << attempt)).await;
                    attempt += 1;
                }
                r => return r,
            }
        }
    }

    /// One try of [`Store::import_exchanges`].
    async fn import_batch(
        &self,
        a: &Actor,
        batch: &[Imported],
        same_name: SameName,
    ) -> Result<ImportCounts> {
        let mut tx = self.begin_write().await?;
        let now = now_rfc3339();
        let mut counts = ImportCounts::default();
        let mut seen = imported_keys(&mut tx, &a.firm_id, batch).await?;
        let mut taken = match same_name {
            SameName::Allow => Default::default(),
            SameName::Refuse => {
                let new: Vec<&str> = batch
                    .iter()
                    .filter(|it| !seen.contains(it.key.as_str()))
                    .map(|it| it.name.as_str())
                    .collect();
                taken_names(&mut tx, &a.firm_id, &new).await?
            }
        };
        let mut remembered = Vec::with_capacity(batch.len());
        let mut status_counts = crate::counts::Net::default();
        let mut inserted = Vec::with_capacity(batch.len());
        for (place, it) in batch.iter().enumerate() {
            // Already imported (by an earlier run, or earlier in this batch).
            if !seen.insert(it.key.as_str()) {
                counts.skipped += 1;
                continue;
            }
            if same_name == SameName::Refuse && !taken.insert(it.name.clone()) {
                counts.same_name.push(place);
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
            remembered.push((it.key.as_str(), ex_json(&ex), ex.id.clone()));
            inserted.push((ex, &it.summary));
            counts.created += 1;
        }
        let written: Vec<_> = inserted.iter().map(|(ex, s)| (ex, *s)).collect();
        crate::summary::write_computed(&mut tx, &written, &mut status_counts).await?;
        let changes: Vec<Change> = remembered
            .iter()
            .map(|(_, after, id)| Change {
                exchange_id: Some(id),
                action: "exchange.import",
                entity: "exchange",
                entity_id: id,
                before: None,
                after: Some(after.clone()),
            })
            .collect();
        audit::by_all(&mut tx, a, &changes).await?;
        status_counts.write(&mut tx, &a.firm_id).await?;
        for chunk in remembered.chunks(crate::rows::IN_LIST) {
            let sql = format!(
                "INSERT INTO exchange_imports (firm_id, import_key, exchange_id) VALUES {}",
                crate::rows::placeholders(chunk.len(), 3)
            );
            let mut q = sqlx::query(&sql);
            for (key, _, id) in chunk {
                q = q.bind(&a.firm_id).bind(*key).bind(id);
            }
            q.execute(&mut *tx).await?;
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
