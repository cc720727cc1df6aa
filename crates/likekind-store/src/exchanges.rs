//! Exchanges (each with its exchange file), their parties and their dated lifecycle events.

use crate::audit::{self, Change};
use crate::{
    Actor, Event, ExchangeRow, PageReq, Party, Phase, Result, Store, StoreError, StoredView,
    new_id, now_rfc3339,
};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

pub(crate) use crate::exchange_row::{EX_COLS, exchange_of};

const VIEW_COLS: &str = "summary_version, first_transfer, identification_end, settled_phase, settled_from, verdict, verdict_summary, deadlines_json";

fn view_of(r: &AnyRow) -> Result<StoredView> {
    Ok(StoredView {
        summary_version: r.try_get("summary_version")?,
        first_transfer: r.try_get("first_transfer")?,
        identification_end: r.try_get("identification_end")?,
        settled_phase: r.try_get("settled_phase")?,
        settled_from: r.try_get("settled_from")?,
        verdict: r.try_get("verdict")?,
        verdict_summary: r.try_get("verdict_summary")?,
        deadlines_json: r.try_get("deadlines_json")?,
    })
}

/// A summary of the exchange row for the audit log (the file itself is large; its new value
/// is logged on file changes).
pub(crate) fn ex_json(e: &ExchangeRow) -> serde_json::Value {
    json!({
        "name": e.name, "client_id": e.client_id, "phase": e.phase.as_str(),
        "balance_cents": e.balance_cents, "version": e.version,
        "file": serde_json::from_str::<serde_json::Value>(&e.file).unwrap_or(serde_json::Value::Null),
    })
}

fn file_value(e: &ExchangeRow) -> serde_json::Value {
    serde_json::from_str(&e.file).unwrap_or(serde_json::Value::Null)
}

/// Reads an exchange of the actor's firm inside a transaction.
pub(crate) async fn get_in(
    tx: &mut Transaction<'_, Any>,
    firm_id: &str,
    id: &str,
) -> Result<ExchangeRow> {
    let r = sqlx::query(&format!(
        "SELECT {EX_COLS} FROM exchanges WHERE firm_id = $1 AND id = $2"
    ))
    .bind(firm_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    exchange_of(&r)
}

/// A lifecycle event to record.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub kind: &'a str,
    /// `YYYY-MM-DD`.
    pub on_date: &'a str,
    pub note: &'a str,
    /// The phase the exchange moves to, if any.
    pub phase: Option<Phase>,
    /// Refuse unless the funds are all paid out (closing events).
    pub require_zero_balance: bool,
    /// With a phase: refuse if the exchange is no longer at this version (the file the
    /// event's date was judged against, e.g. the sale closing against its transfer date).
    pub expected_version: Option<i64>,
}

/// Changes to an exchange's header and file.
#[derive(Debug, Clone, Default)]
pub struct ExchangeUpdate {
    pub name: Option<String>,
    pub client_id: Option<Option<String>>,
    pub file: Option<String>,
    /// Why the change was allowed past a guard (an administrator's written reason), kept in
    /// the audit log with the change.
    pub override_reason: Option<String>,
    /// Refuse the change if money moved on the ledger since the guard judged it (the
    /// ledger's sequence number read then).
    pub expected_ledger_seq: Option<i64>,
}

/// A coordinator's closing of an exchange.
#[derive(Debug, Clone)]
pub struct Closing<'a> {
    /// The version the closing was judged on: refused if the exchange changed since.
    pub expected_version: i64,
    /// [`Phase::Completed`] or [`Phase::Failed`].
    pub phase: Phase,
    /// `YYYY-MM-DD` (the server's today).
    pub on_date: &'a str,
    pub reason: &'a str,
    /// The engine's verdict and derived phase at the closing, kept in the audit log.
    pub verdict: serde_json::Value,
}

/// Dollars for messages people read: `$1,234.56`.
pub(crate) fn dollars(cents: i64) -> String {
    let neg = cents < 0;
    let c = cents.unsigned_abs();
    let whole = (c / 100).to_string();
    let mut out = String::new();
    for (k, ch) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{}${out}.{:02}", if neg { "-" } else { "" }, c % 100)
}

async fn insert_event(
    tx: &mut Transaction<'_, Any>,
    a: &Actor,
    exchange_id: &str,
    kind: &str,
    on_date: &str,
    note: &str,
) -> Result<Event> {
    let ev = Event {
        id: new_id(),
        exchange_id: exchange_id.to_string(),
        kind: kind.to_string(),
        on_date: on_date.to_string(),
        note: note.to_string(),
        created_by: a.user_id.clone(),
        created_at: now_rfc3339(),
    };
    sqlx::query(
        "INSERT INTO events (id, exchange_id, firm_id, kind, on_date, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&ev.id)
    .bind(exchange_id)
    .bind(&a.firm_id)
    .bind(kind)
    .bind(on_date)
    .bind(note)
    .bind(&a.user_id)
    .bind(&ev.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(ev)
}

/// Moves an exchange to `phase` if it is still at `version` with `balance_cents`, and
/// stores its summary.
async fn set_phase(
    tx: &mut Transaction<'_, Any>,
    a: &Actor,
    id: &str,
    phase: Phase,
    version: i64,
    balance_cents: i64,
) -> Result<ExchangeRow> {
    let r = sqlx::query(&format!(
        "UPDATE exchanges SET phase = $1, version = version + 1, updated_at = $2 \
         WHERE firm_id = $3 AND id = $4 AND version = $5 AND balance_cents = $6 RETURNING {EX_COLS}"
    ))
    .bind(phase.as_str())
    .bind(now_rfc3339())
    .bind(&a.firm_id)
    .bind(id)
    .bind(version)
    .bind(balance_cents)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::Conflict("the exchange changed meanwhile".into()))?;
    let after = exchange_of(&r)?;
    crate::summary::write(tx, &after).await?;
    Ok(after)
}

impl Store {
    /// Opens an exchange in the actor's firm.
    ///
    /// # Errors
    /// A database failure.
    pub async fn create_exchange(
        &self,
        a: &Actor,
        name: &str,
        client_id: Option<&str>,
        file_json: &str,
    ) -> Result<ExchangeRow> {
        self.open_exchange(a, name, client_id, file_json, "exchange.create")
            .await
    }

    /// Opens an exchange from an imported exchange file: as [`Store::create_exchange`], logged
    /// as an import.
    ///
    /// # Errors
    /// A database failure.
    pub async fn import_exchange(
        &self,
        a: &Actor,
        name: &str,
        client_id: Option<&str>,
        file_json: &str,
    ) -> Result<ExchangeRow> {
        self.open_exchange(a, name, client_id, file_json, "exchange.import")
            .await
    }

    async fn open_exchange(
        &self,
        a: &Actor,
        name: &str,
        client_id: Option<&str>,
        file_json: &str,
        action: &'static str,
    ) -> Result<ExchangeRow> {
        let mut tx = self.begin_write().await?;
        let now = now_rfc3339();
        let r = sqlx::query(&format!(
            "INSERT INTO exchanges (id, firm_id, client_id, name, file, phase, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'draft', $6, $6) RETURNING {EX_COLS}"
        ))
        .bind(new_id())
        .bind(&a.firm_id)
        .bind(client_id.map(str::to_string))
        .bind(name)
        .bind(file_json)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let ex = exchange_of(&r)?;
        crate::summary::write(&mut tx, &ex).await?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(&ex.id),
                action,
                entity: "exchange",
                entity_id: &ex.id,
                before: None,
                after: Some(ex_json(&ex)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(ex)
    }

    /// One exchange of `firm_id`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], also when it belongs to another firm.
    pub async fn get_exchange(&self, firm_id: &str, id: &str) -> Result<ExchangeRow> {
        let r = sqlx::query(&format!(
            "SELECT {EX_COLS} FROM exchanges WHERE firm_id = $1 AND id = $2"
        ))
        .bind(firm_id)
        .bind(id)
        .fetch_optional(&self.reader)
        .await?
        .ok_or(StoreError::NotFound)?;
        exchange_of(&r)
    }

    /// Exchanges of a firm by id; only the client's own when `client_id` is given.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_exchanges(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
        page: PageReq<'_>,
    ) -> Result<Vec<ExchangeRow>> {
        let q = match client_id {
            Some(_) => format!(
                "SELECT {EX_COLS} FROM exchanges WHERE firm_id = $1 AND id > $2 AND client_id = $4 ORDER BY id LIMIT $3"
            ),
            None => format!(
                "SELECT {EX_COLS} FROM exchanges WHERE firm_id = $1 AND id > $2 ORDER BY id LIMIT $3"
            ),
        };
        let mut q = sqlx::query(&q)
            .bind(firm_id)
            .bind(page.after.unwrap_or(""))
            .bind(page.limit);
        if let Some(c) = client_id {
            q = q.bind(c);
        }
        let rows = q.fetch_all(&self.reader).await?;
        rows.iter().map(exchange_of).collect()
    }

    /// The name of one exchange still open (a draft, or one whose sale has closed: the
    /// phases whose ledger still moves) whose client is `client_id`, if any. One bounded read.
    pub async fn open_exchange_of_client(
        &self,
        firm_id: &str,
        client_id: &str,
    ) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT name FROM exchanges WHERE firm_id = $1 AND client_id = $2 \
             AND phase IN ('draft', 'relinquished_closed') ORDER BY id LIMIT 1",
        )
        .bind(firm_id)
        .bind(client_id)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| r.try_get::<String, _>("name"))
            .transpose()
            .map_err(Into::into)
    }

    /// A page of exchanges (as [`Store::list_exchanges`]) with their stored summaries, for
    /// lists that show the summary without the file: the file is not read (`file` is empty).
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_exchange_views(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
        page: PageReq<'_>,
    ) -> Result<Vec<(ExchangeRow, StoredView)>> {
        let cols = EX_COLS.replace("file, ", "'' AS file, ");
        let q = format!(
            "SELECT {cols}, {VIEW_COLS} FROM exchanges WHERE firm_id = $1 AND id > $2{} ORDER BY id LIMIT $3",
            if client_id.is_some() {
                " AND client_id = $4"
            } else {
                ""
            }
        );
        let mut q = sqlx::query(&q)
            .bind(firm_id)
            .bind(page.after.unwrap_or(""))
            .bind(page.limit);
        if let Some(c) = client_id {
            q = q.bind(c);
        }
        let rows = q.fetch_all(&self.reader).await?;
        rows.iter()
            .map(|r| Ok((exchange_of(r)?, view_of(r)?)))
            .collect()
    }

    /// One exchange of the firm with its stored summary.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; a database failure.
    pub async fn get_exchange_view(
        &self,
        firm_id: &str,
        id: &str,
    ) -> Result<(ExchangeRow, StoredView)> {
        let r = sqlx::query(&format!(
            "SELECT {EX_COLS}, {VIEW_COLS} FROM exchanges WHERE firm_id = $1 AND id = $2"
        ))
        .bind(firm_id)
        .bind(id)
        .fetch_optional(&self.reader)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok((exchange_of(&r)?, view_of(&r)?))
    }

    /// Changes an exchange's name, client or file, if it is still at `expected_version`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Conflict`] when it changed meanwhile.
    pub async fn update_exchange(
        &self,
        a: &Actor,
        id: &str,
        expected_version: i64,
        u: ExchangeUpdate,
    ) -> Result<ExchangeRow> {
        let mut tx = self.begin_write().await?;
        let before = get_in(&mut tx, &a.firm_id, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict(format!(
                "the exchange is at version {}, not {expected_version}",
                before.version
            )));
        }
        let name = u.name.unwrap_or_else(|| before.name.clone());
        let client = u.client_id.unwrap_or_else(|| before.client_id.clone());
        let file = u.file.unwrap_or_else(|| before.file.clone());
        let r = sqlx::query(&format!(
            "UPDATE exchanges SET name = $1, client_id = $2, file = $3, version = version + 1, updated_at = $4 \
             WHERE firm_id = $5 AND id = $6 AND version = $7 AND ($8 < 0 OR ledger_seq = $8) \
             RETURNING {EX_COLS}"
        ))
        .bind(&name)
        .bind(client)
        .bind(&file)
        .bind(now_rfc3339())
        .bind(&a.firm_id)
        .bind(id)
        .bind(expected_version)
        .bind(u.expected_ledger_seq.unwrap_or(-1))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            StoreError::Conflict(
                "the exchange or its ledger changed meanwhile: read it again and redo the change"
                    .into(),
            )
        })?;
        let after = exchange_of(&r)?;
        crate::summary::write(&mut tx, &after).await?;
        let mut after_json = ex_json(&after);
        if let (Some(reason), Some(o)) = (u.override_reason, after_json.as_object_mut()) {
            o.insert("override_reason".into(), json!(reason));
        }
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(id),
                action: "exchange.update",
                entity: "exchange",
                entity_id: id,
                before: Some(ex_json(&before)),
                after: Some(after_json),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records a dated lifecycle event and moves the exchange to `phase` (when given), in one
    /// transaction. `require_zero_balance` refuses the event unless the funds are all paid out.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Conflict`] when the balance is not zero.
    pub async fn add_event(
        &self,
        a: &Actor,
        exchange_id: &str,
        e: NewEvent<'_>,
    ) -> Result<(Event, ExchangeRow)> {
        let mut tx = self.begin_write().await?;
        let before = get_in(&mut tx, &a.firm_id, exchange_id).await?;
        if e.require_zero_balance && before.balance_cents != 0 {
            return Err(StoreError::Conflict(format!(
                "the exchange still holds {}: the ledger must reconcile to zero before it closes",
                dollars(before.balance_cents)
            )));
        }
        let ev = Event {
            id: new_id(),
            exchange_id: exchange_id.to_string(),
            kind: e.kind.to_string(),
            on_date: e.on_date.to_string(),
            note: e.note.to_string(),
            created_by: a.user_id.clone(),
            created_at: now_rfc3339(),
        };
        sqlx::query(
            "INSERT INTO events (id, exchange_id, firm_id, kind, on_date, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&ev.id)
        .bind(exchange_id)
        .bind(&a.firm_id)
        .bind(e.kind)
        .bind(e.on_date)
        .bind(e.note)
        .bind(&a.user_id)
        .bind(&ev.created_at)
        .execute(&mut *tx)
        .await?;
        let after = match e.phase {
            Some(p) => {
                let r = sqlx::query(&format!(
                    "UPDATE exchanges SET phase = $1, version = version + 1, updated_at = $2 \
                     WHERE firm_id = $3 AND id = $4 AND balance_cents = $5 AND ($6 < 0 OR version = $6) \
                     RETURNING {EX_COLS}"
                ))
                .bind(p.as_str())
                .bind(now_rfc3339())
                .bind(&a.firm_id)
                .bind(exchange_id)
                .bind(before.balance_cents)
                .bind(e.expected_version.unwrap_or(-1))
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::Conflict("the exchange changed meanwhile".into()))?;
                let after = exchange_of(&r)?;
                crate::summary::write(&mut tx, &after).await?;
                after
            }
            None => before.clone(),
        };
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(exchange_id),
                action: "exchange.event",
                entity: "event",
                entity_id: &ev.id,
                // The file, unchanged by an event, lets the log say the phase the engine
                // derives from it on the event's day (an exchange opened after its sale or
                // its end is past its stored `draft`).
                before: Some(json!({"phase": before.phase.as_str(), "file": file_value(&before)})),
                after: Some(
                    json!({"event": ev, "phase": after.phase.as_str(), "file": file_value(&after)}),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((ev, after))
    }

    /// Closes an exchange as completed or failed (a coordinator's decision, judged by the
    /// server against the engine's verdict on the version it read), recording a dated event
    /// and the audit entry in one transaction. The funds must all be paid out first.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Conflict`] when it is already closed, changed
    /// since it was judged, or still holds funds.
    pub async fn close_exchange(
        &self,
        a: &Actor,
        id: &str,
        c: Closing<'_>,
    ) -> Result<(Event, ExchangeRow)> {
        let mut tx = self.begin_write().await?;
        let before = get_in(&mut tx, &a.firm_id, id).await?;
        if matches!(before.phase, Phase::Completed | Phase::Failed) {
            return Err(StoreError::Conflict(format!(
                "the exchange is already closed as {}: reopen it first",
                before.phase.as_str()
            )));
        }
        if before.version != c.expected_version {
            return Err(StoreError::Conflict(
                "the exchange changed since it was judged: look at it again and close it then"
                    .into(),
            ));
        }
        if before.balance_cents != 0 {
            return Err(StoreError::Conflict(format!(
                "the exchange still holds {}: the ledger must reconcile to zero before it closes",
                dollars(before.balance_cents)
            )));
        }
        let ev = insert_event(&mut tx, a, id, c.phase.as_str(), c.on_date, c.reason).await?;
        let after = set_phase(&mut tx, a, id, c.phase, before.version, 0).await?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(id),
                action: "exchange.close",
                entity: "exchange",
                entity_id: id,
                before: Some(json!({"phase": before.phase.as_str(), "version": before.version})),
                after: Some(json!({
                    "phase": after.phase.as_str(), "version": after.version,
                    "reason": c.reason, "engine": c.verdict, "event": ev,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((ev, after))
    }

    /// Reopens a closed exchange, for a written reason: it goes back to the sale closed (when
    /// that was recorded) or to a draft, and its phase follows the engine again.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Conflict`] when it is not closed.
    pub async fn reopen_exchange(
        &self,
        a: &Actor,
        id: &str,
        on_date: &str,
        reason: &str,
    ) -> Result<(Event, ExchangeRow)> {
        let mut tx = self.begin_write().await?;
        let before = get_in(&mut tx, &a.firm_id, id).await?;
        if !matches!(before.phase, Phase::Completed | Phase::Failed) {
            return Err(StoreError::Conflict(
                "the exchange is not closed: there is nothing to reopen".into(),
            ));
        }
        let sale: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM events WHERE firm_id = $1 AND exchange_id = $2 \
             AND kind = 'relinquished_closed'",
        )
        .bind(&a.firm_id)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        let phase = if sale > 0 {
            Phase::RelinquishedClosed
        } else {
            Phase::Draft
        };
        let ev = insert_event(&mut tx, a, id, "reopened", on_date, reason).await?;
        let after = set_phase(&mut tx, a, id, phase, before.version, before.balance_cents).await?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(id),
                action: "exchange.reopen",
                entity: "exchange",
                entity_id: id,
                before: Some(json!({"phase": before.phase.as_str(), "version": before.version})),
                after: Some(json!({
                    "phase": after.phase.as_str(), "version": after.version,
                    "reason": reason, "event": ev,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((ev, after))
    }

    /// The events of an exchange, oldest first.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_events(&self, firm_id: &str, exchange_id: &str) -> Result<Vec<Event>> {
        let rows = sqlx::query(
            "SELECT id, exchange_id, kind, on_date, note, created_by, created_at FROM events \
             WHERE firm_id = $1 AND exchange_id = $2 ORDER BY id",
        )
        .bind(firm_id)
        .bind(exchange_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Event {
                    id: r.try_get("id")?,
                    exchange_id: r.try_get("exchange_id")?,
                    kind: r.try_get("kind")?,
                    on_date: r.try_get("on_date")?,
                    note: r.try_get("note")?,
                    created_by: r.try_get("created_by")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// Adds a party to an exchange of the actor's firm.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the exchange is not the firm's.
    pub async fn add_party(
        &self,
        a: &Actor,
        exchange_id: &str,
        role: &str,
        name: &str,
        email: Option<&str>,
    ) -> Result<Party> {
        let mut tx = self.begin_write().await?;
        get_in(&mut tx, &a.firm_id, exchange_id).await?;
        let p = Party {
            id: new_id(),
            exchange_id: exchange_id.to_string(),
            role: role.to_string(),
            name: name.to_string(),
            email: email.map(str::to_string),
            created_at: now_rfc3339(),
        };
        sqlx::query(
            "INSERT INTO parties (id, exchange_id, firm_id, role, name, email, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&p.id)
        .bind(exchange_id)
        .bind(&a.firm_id)
        .bind(role)
        .bind(name)
        .bind(p.email.clone())
        .bind(&p.created_at)
        .execute(&mut *tx)
        .await?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(exchange_id),
                action: "party.create",
                entity: "party",
                entity_id: &p.id,
                before: None,
                after: Some(json!(p)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(p)
    }

    /// The parties of an exchange.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_parties(&self, firm_id: &str, exchange_id: &str) -> Result<Vec<Party>> {
        let rows = sqlx::query(
            "SELECT id, exchange_id, role, name, email, created_at FROM parties \
             WHERE firm_id = $1 AND exchange_id = $2 ORDER BY id",
        )
        .bind(firm_id)
        .bind(exchange_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Party {
                    id: r.try_get("id")?,
                    exchange_id: r.try_get("exchange_id")?,
                    role: r.try_get("role")?,
                    name: r.try_get("name")?,
                    email: r.try_get("email")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}
