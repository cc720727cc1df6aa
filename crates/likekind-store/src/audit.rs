//! The audit log: one record per change, written in the same transaction as the change.

use crate::{Actor, AuditEntry, PageReq, Result, Store, new_id, now_rfc3339};
use sqlx::{Any, Row, Transaction};

pub(crate) use crate::change::Change;

/// Writes one audit record inside the caller's transaction.
pub(crate) async fn record(
    tx: &mut Transaction<'_, Any>,
    firm_id: &str,
    actor_id: Option<&str>,
    c: Change<'_>,
) -> Result<()> {
    crate::outbox::on_change(tx, firm_id, &c).await?;
    insert(tx, firm_id, actor_id, std::slice::from_ref(&c)).await
}

/// Audit rows per statement (ten values each; see [`crate::rows`]).
const ROWS_PER_INSERT: usize = 100;

/// [`by`] for many changes at once (a bulk import): the same rows, a few statements for all
/// of them.
pub(crate) async fn by_all(
    tx: &mut Transaction<'_, Any>,
    a: &Actor,
    changes: &[Change<'_>],
) -> Result<()> {
    for c in changes {
        crate::outbox::on_change(tx, &a.firm_id, c).await?;
    }
    insert(tx, &a.firm_id, Some(&a.user_id), changes).await
}

/// The audit rows of `changes`, each with its own id and time.
async fn insert(
    tx: &mut Transaction<'_, Any>,
    firm_id: &str,
    actor_id: Option<&str>,
    changes: &[Change<'_>],
) -> Result<()> {
    for chunk in changes.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO audit (id, firm_id, exchange_id, actor_id, at, action, entity, entity_id, before, after) \
             VALUES {}",
            crate::rows::placeholders(chunk.len(), 10)
        );
        let mut q = sqlx::query(&sql);
        for c in chunk {
            q = q
                .bind(new_id())
                .bind(firm_id)
                .bind(c.exchange_id.map(str::to_string))
                .bind(actor_id.map(str::to_string))
                .bind(now_rfc3339())
                .bind(c.action)
                .bind(c.entity)
                .bind(c.entity_id)
                .bind(c.before.as_ref().map(ToString::to_string))
                .bind(c.after.as_ref().map(ToString::to_string));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Shorthand used by the writers: record as this actor.
pub(crate) async fn by(tx: &mut Transaction<'_, Any>, a: &Actor, c: Change<'_>) -> Result<()> {
    record(tx, &a.firm_id, Some(&a.user_id), c).await
}

/// One audit row.
fn entry_of(r: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.try_get("id")?,
        exchange_id: r.try_get("exchange_id")?,
        actor_id: r.try_get("actor_id")?,
        at: r.try_get("at")?,
        action: r.try_get("action")?,
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        before: parse_json(r.try_get("before")?),
        after: parse_json(r.try_get("after")?),
    })
}

fn parse_json(s: Option<String>) -> Option<serde_json::Value> {
    s.and_then(|s| serde_json::from_str(&s).ok())
}

impl Store {
    /// The audit log of one exchange of `firm_id`, oldest first.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_audit(
        &self,
        firm_id: &str,
        exchange_id: &str,
        page: PageReq<'_>,
    ) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, exchange_id, actor_id, at, action, entity, entity_id, before, after FROM audit \
             WHERE firm_id = $1 AND exchange_id = $2 AND id > $3 ORDER BY id LIMIT $4",
        )
        .bind(firm_id)
        .bind(exchange_id)
        .bind(page.after.unwrap_or(""))
        .bind(page.limit)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(entry_of).collect()
    }
}

impl Store {
    /// The firm-level audit log of `firm_id` (changes not tied to an exchange, such as the
    /// firm's settings), newest first, at most `limit` entries.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_firm_audit(&self, firm_id: &str, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, exchange_id, actor_id, at, action, entity, entity_id, before, after FROM audit \
             WHERE firm_id = $1 AND exchange_id IS NULL ORDER BY id DESC LIMIT $2",
        )
        .bind(firm_id)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(entry_of).collect()
    }
}

/// The filters of the firm-wide audit log (all optional; all of them must hold).
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditFilter<'a> {
    /// Who did it (a user id).
    pub actor_id: Option<&'a str>,
    /// Which exchange it was about.
    pub exchange_id: Option<&'a str>,
    /// The kind of change: an action (`ledger.post`) or its family (`ledger`).
    pub kind: Option<&'a str>,
    /// From this instant (RFC 3339, as stored), inclusive.
    pub from: Option<&'a str>,
    /// Before this instant (RFC 3339, as stored), exclusive.
    pub to: Option<&'a str>,
}

impl Store {
    /// The audit log of `firm_id` filtered, newest first: at most `limit` entries with an id
    /// below `before` (keyset pagination: the page after is the one below the last id shown),
    /// so a page costs the same on the firm's millionth change as on its first.
    ///
    /// # Errors
    /// A database failure.
    pub async fn search_audit(
        &self,
        firm_id: &str,
        f: &AuditFilter<'_>,
        before: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let mut sql = String::from(
            "SELECT id, exchange_id, actor_id, at, action, entity, entity_id, before, after FROM audit \
             WHERE firm_id = $1",
        );
        let mut binds: Vec<String> = vec![firm_id.to_string()];
        for (clause, v) in [
            (" AND actor_id = ?", f.actor_id),
            (" AND exchange_id = ?", f.exchange_id),
            (" AND at >= ?", f.from),
            (" AND at < ?", f.to),
            (" AND id < ?", before),
        ] {
            if let Some(v) = v {
                binds.push(v.to_string());
                sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
            }
        }
        if let Some(k) = f.kind {
            binds.push(k.to_string());
            binds.push(format!("{k}.%"));
            let (a, b) = (binds.len() - 1, binds.len());
            sql.push_str(&format!(" AND (action = ${a} OR action LIKE ${b})"));
        }
        sql.push_str(&format!(" ORDER BY id DESC LIMIT ${}", binds.len() + 1));
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b.clone());
        }
        let rows = q.bind(limit).fetch_all(&self.reader).await?;
        rows.iter().map(entry_of).collect()
    }
}
