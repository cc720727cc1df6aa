//! Notifications: the durable outbox (issue 15).
//!
//! A change that people should hear about (a disbursement awaiting a second approval, funds
//! released, a document uploaded, an identification notice awaiting signature) writes one
//! `notify_events` row **in the same transaction as the change** ([`on_change`], called from
//! the audit writer, which every change goes through). The reminder scheduler writes rows the
//! same way ([`Store::enqueue_event`]); every event has a unique idempotency key, so enqueueing
//! it again (another run, another process) does nothing.
//!
//! The worker then fans each event out into `outbox` rows, one per delivery (an e-mail to one
//! person, a POST to one webhook endpoint), in one transaction ([`Store::expand_events`]),
//! claims due rows with a lease ([`Store::claim_deliveries`]: `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, the single writer connection on SQLite), delivers them and marks each one
//! delivered, or failed with its next attempt, or dead once the retry window is over. A row
//! whose worker died mid-delivery is claimed again once its lease runs out: delivery is at
//! least once, and the row's id (the e-mail's Message-ID, the webhook's id header) lets the
//! receiver drop a repeat.

use crate::change::Change;
use crate::{PageReq, Result, Store, new_id, now_rfc3339};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::HashSet;
use utoipa::ToSchema;

/// Every kind of event, in the order people see them listed.
pub const EVENT_KINDS: &[&str] = &[
    "deadline_identification",
    "deadline_exchange",
    "notice_awaiting_signature",
    "approval_awaiting",
    "funds_released",
    "funds_idle",
    "related_party_window",
    "oz_window",
    "document_uploaded",
];

/// The events a client may hear about (about their own exchanges only).
pub const CLIENT_KINDS: &[&str] = &[
    "deadline_identification",
    "deadline_exchange",
    "notice_awaiting_signature",
    "funds_released",
    "related_party_window",
    "oz_window",
];

/// A preparer's events unless they choose others.
const PREPARER_KINDS: &[&str] = &[
    "deadline_identification",
    "deadline_exchange",
    "document_uploaded",
    "related_party_window",
    "oz_window",
];

/// The default reminder lead times, in days before a deadline.
pub const DEFAULT_REMINDER_DAYS: &[i64] = &[30, 14, 7, 2, 1, 0];

/// The events of `kind` in words (for lists and preference pages).
pub fn kind_words(kind: &str) -> &'static str {
    match kind {
        "deadline_identification" => "Identification deadline (day 45) coming up",
        "deadline_exchange" => "End of the exchange period coming up",
        "notice_awaiting_signature" => "Identification notice awaiting signature",
        "approval_awaiting" => "Disbursement or release awaiting a second approval",
        "funds_released" => "Funds released or disbursed",
        "funds_idle" => "Funds still held after their release date",
        "related_party_window" => "Related-party two-year window ending",
        "oz_window" => "Opportunity Zone 180-day window ending",
        "document_uploaded" => "Document uploaded",
        _ => "Notification",
    }
}

/// One person's notification preferences.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Prefs {
    /// The events they receive.
    pub events: Vec<String>,
    /// `immediate`, `digest` (one e-mail a day) or `off`.
    pub mode: String,
}

/// The firm's notification settings.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FirmNotifySettings {
    /// IANA time zone of the firm's calendar day; `None` = the server's default.
    pub time_zone: Option<String>,
    /// Days before a deadline on which reminders go out.
    pub reminder_days: Vec<i64>,
}

/// A webhook endpoint as listed (its secret is shown once, at creation).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct WebhookEndpoint {
    pub id: String,
    pub url: String,
    pub description: String,
    pub created_at: String,
}

/// A delivery as listed for the firm's administrators.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Delivery {
    pub id: String,
    /// `email` or `webhook`.
    pub channel: String,
    /// The person's e-mail address or the endpoint's URL.
    pub to: String,
    /// The event kind.
    pub event: String,
    pub exchange_id: Option<String>,
    pub exchange_name: Option<String>,
    /// `pending`, `delivered` or `dead`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

/// A delivery claimed by a worker, with what it needs to send it.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub firm_id: String,
    pub channel: String,
    pub target: String,
    pub digest: bool,
    /// Attempts so far, this one included.
    pub attempts: i64,
    /// When the row was made (unix ms): the retry window runs from here.
    pub created_ms: i64,
    pub event_kind: String,
    pub event_data: Value,
    pub exchange_id: Option<String>,
    /// The e-mail address and name (e-mail) or URL and secret (webhook); `None` when the
    /// person or endpoint is gone or inactive.
    pub address: Option<(String, String)>,
    /// The person (e-mail) a digest belongs to.
    pub user_id: Option<String>,
}

/// The words-ready data of an event: the exchange's name plus what the change said.
async fn exchange_name(tx: &mut Transaction<'_, Any>, exchange_id: &str) -> Result<String> {
    let r = sqlx::query("SELECT name FROM exchanges WHERE id = $1")
        .bind(exchange_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match r {
        Some(r) => r.try_get("name")?,
        None => String::new(),
    })
}

/// The purchase closing `property` of an exchange in words (`ExchangeFile::closing_words`), read from the
/// stored exchange file (JSON); the property's name alone if the file cannot be read.
async fn closing_of(
    tx: &mut Transaction<'_, Any>,
    exchange_id: &str,
    property: &str,
) -> Result<String> {
    let r = sqlx::query("SELECT file FROM exchanges WHERE id = $1")
        .bind(exchange_id)
        .fetch_optional(&mut **tx)
        .await?;
    let text: Option<String> = match r {
        Some(r) => Some(r.try_get("file")?),
        None => None,
    };
    Ok(text
        .and_then(|t| serde_json::from_str::<likekind_core::model::ExchangeFile>(&t).ok())
        .map_or_else(|| property.to_string(), |f| f.closing_words(property)))
}

/// Inserts one event unless its idempotency key is already there; `true` when inserted.
async fn insert_event(
    tx: &mut Transaction<'_, Any>,
    firm_id: &str,
    exchange_id: Option<&str>,
    kind: &str,
    idem_key: &str,
    data: &Value,
) -> Result<bool> {
    let n = sqlx::query(
        "INSERT INTO notify_events (id, firm_id, exchange_id, kind, idem_key, data, expanded, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7) ON CONFLICT (idem_key) DO NOTHING",
    )
    .bind(new_id())
    .bind(firm_id)
    .bind(exchange_id.map(str::to_string))
    .bind(kind)
    .bind(idem_key)
    .bind(data.to_string())
    .bind(now_rfc3339())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Writes the notification event a change causes, if any, inside the change's transaction
/// (called by the audit writer for every change).
pub(crate) async fn on_change(
    tx: &mut Transaction<'_, Any>,
    firm_id: &str,
    c: &Change<'_>,
) -> Result<()> {
    let Some(exchange_id) = c.exchange_id else {
        return Ok(());
    };
    let after = c.after.as_ref().cloned().unwrap_or(Value::Null);
    let posting_kind = |v: &Value| v.get("kind").and_then(Value::as_str).map(str::to_string);
    let (kind, key, data) = match c.action {
        "ledger.approval.request" => (
            "approval_awaiting",
            c.entity_id.to_string(),
            json!({"amount_cents": after.get("amount_cents"), "posting_kind": posting_kind(&after),
                   "date": after.get("posted_on"), "memo": after.get("memo")}),
        ),
        "ledger.post" | "ledger.post.override" => {
            let k = posting_kind(&after);
            if !matches!(k.as_deref(), Some("release" | "disbursement")) {
                return Ok(());
            }
            (
                "funds_released",
                c.entity_id.to_string(),
                json!({"amount_cents": after.get("amount_cents").and_then(Value::as_i64).map(i64::abs),
                       "posting_kind": k, "date": after.get("posted_on"), "memo": after.get("memo")}),
            )
        }
        "ledger.approval.approve" => {
            let p = after.get("posting").cloned().unwrap_or(Value::Null);
            let k = posting_kind(&p);
            if !matches!(k.as_deref(), Some("release" | "disbursement")) {
                return Ok(());
            }
            (
                "funds_released",
                p.get("id")
                    .and_then(Value::as_str)
                    .unwrap_or(c.entity_id)
                    .to_string(),
                json!({"amount_cents": p.get("amount_cents").and_then(Value::as_i64).map(i64::abs),
                       "posting_kind": k, "date": p.get("posted_on"), "memo": p.get("memo")}),
            )
        }
        // A notice the engine did not accept cannot be signed: nobody is asked to sign it.
        "notice.submit" if after.get("accepted").and_then(Value::as_bool) != Some(true) => {
            return Ok(());
        }
        "notice.submit" => (
            "notice_awaiting_signature",
            c.entity_id.to_string(),
            json!({"date": after.get("identified_on")}),
        ),
        "document.upload" => (
            "document_uploaded",
            c.entity_id.to_string(),
            json!({"filename": after.get("filename"), "document_kind": after.get("kind"),
                   "date": after.get("uploaded_at").and_then(Value::as_str).map(|s| s.chars().take(10).collect::<String>())}),
        ),
        _ => return Ok(()),
    };
    let mut data = data;
    data["exchange_name"] = Value::String(exchange_name(tx, exchange_id).await?);
    // A payment to a purchase closing says which closing, in the ledger's words.
    let property = match c.action {
        "ledger.approval.approve" => after.get("posting").and_then(|p| p.get("property_id")),
        _ => after.get("property_id"),
    };
    if let Some(p) = property.and_then(Value::as_str) {
        data["closing"] = Value::String(closing_of(tx, exchange_id, p).await?);
    }
    insert_event(
        tx,
        firm_id,
        Some(exchange_id),
        kind,
        &format!("{kind}/{key}"),
        &data,
    )
    .await?;
    Ok(())
}

/// How a claim locks the rows it takes: on PostgreSQL, rows another worker is claiming are
/// skipped, not waited for; SQLite has one writer, so nothing is needed.
fn row_lock(backend: crate::Backend) -> &'static str {
    match backend {
        crate::Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        crate::Backend::Sqlite => "",
    }
}

/// How many e-mails one statement of [`Store::hold_unsendable_emails`] changes at most.
const HOLD_BATCH: i64 = 200;

/// Marks e-mails not yet marked with why they wait (`outbox_email_unmarked`).
fn hold_mark_sql(backend: crate::Backend) -> String {
    hold_batch_sql(
        backend,
        "last_error = $1",
        "last_error IS NULL AND lease_until <= $2",
        "id",
        "$3",
    )
}

/// Dead-letters the e-mails whose retry window is over, oldest first
/// (`outbox_email_pending`).
fn hold_dead_sql(backend: crate::Backend) -> String {
    hold_batch_sql(
        backend,
        "status = 'dead', next_at = 0, lease_until = 0, last_error = $1",
        "created_ms <= $3 AND lease_until <= $2",
        "created_ms, id",
        "$4",
    )
}

/// One batch of the hold: at most `limit` pending e-mails meeting `filter`, read in `order`
/// from their partial index, each then changed by `set`.
fn hold_batch_sql(
    backend: crate::Backend,
    set: &str,
    filter: &str,
    order: &str,
    limit: &str,
) -> String {
    update_picked(
        backend,
        set,
        &format!(
            "SELECT id FROM outbox WHERE channel = 'email' AND status = 'pending' AND {filter} \
             ORDER BY {order} LIMIT {limit}"
        ),
        &[],
    )
}

/// Changes by `set` exactly the outbox rows `pick` (a `SELECT id …`) reads, returning
/// `returning` of each.
///
/// On PostgreSQL the pick is read once, rows another server holds skipped, and locked until
/// the change commits, so every row read is changed, none twice, and a short pick means none
/// is left that the other server does not hold. Written as `WHERE id IN (…)`, a database
/// without statistics planned a join over a second read of the table, and two servers holding
/// e-mails at once both stopped early. SQLite holds its one write lock for the whole
/// statement, so nothing changes in between and each row is found by its key.
fn update_picked(backend: crate::Backend, set: &str, pick: &str, returning: &[&str]) -> String {
    let cols: Vec<String> = returning
        .iter()
        .map(|c| match backend {
            // Both tables of the statement have an `id`.
            crate::Backend::Postgres => format!("outbox.{c} AS {c}"),
            crate::Backend::Sqlite => (*c).to_string(),
        })
        .collect();
    let ret = if cols.is_empty() {
        String::new()
    } else {
        format!(" RETURNING {}", cols.join(", "))
    };
    match backend {
        crate::Backend::Postgres => format!(
            "WITH picked AS MATERIALIZED ({pick}{lock}) \
             UPDATE outbox SET {set} FROM picked WHERE outbox.id = picked.id{ret}",
            lock = row_lock(backend)
        ),
        crate::Backend::Sqlite => format!("UPDATE outbox SET {set} WHERE id IN ({pick}){ret}"),
    }
}

/// The PostgreSQL advisory lock under which claims take turns ([`Store::claim_deliveries`]):
/// a fixed key ("lkoutbox" in ASCII), not a hash of a name, whose value could change with
/// the server's version. Nothing else in the project takes an advisory lock.
const CLAIM_LOCK: i64 = i64::from_be_bytes(*b"lkoutbox");

/// The lease a claim sets: the worker, until when, and one more attempt.
const LEASE: &str = "lease_owner = $1, lease_until = $2, attempts = attempts + 1";

/// The claim of [`Store::claim_deliveries`]: the due pending deliveries in the order they
/// fell due, read in that order from an index and stopped at the limit. A worker with no mail
/// server asks for webhooks only, by the channel in the index, so pending e-mails (which wait
/// out their retry window on such a server) cost it nothing.
fn claim_sql(backend: crate::Backend, email: bool) -> String {
    let channel = if email {
        ""
    } else {
        " AND channel = 'webhook'"
    };
    update_picked(
        backend,
        LEASE,
        &format!(
            "SELECT id FROM outbox WHERE status = 'pending'{channel} AND next_at <= $3 \
             AND lease_until <= $3 ORDER BY next_at, id LIMIT $4"
        ),
        &["id", "channel", "target", "digest"],
    )
}

/// The rest of a person's due daily digest, claimed with the rows [`claim_sql`] took.
fn claim_digest_sql(backend: crate::Backend) -> String {
    update_picked(
        backend,
        LEASE,
        "SELECT id FROM outbox WHERE status = 'pending' AND channel = 'email' AND digest = 1 \
         AND target = $3 AND next_at <= $4 AND lease_until <= $4 ORDER BY id",
        &["id"],
    )
}

pub(crate) fn csv_days(s: &str) -> Vec<i64> {
    let mut v: Vec<i64> = s.split(',').filter_map(|x| x.trim().parse().ok()).collect();
    v.sort_unstable_by(|a, b| b.cmp(a));
    v.dedup();
    v
}

/// The default preferences of a role.
pub fn default_prefs(role: crate::Role) -> Prefs {
    let kinds: &[&str] = match role {
        crate::Role::Admin | crate::Role::Coordinator => EVENT_KINDS,
        crate::Role::Preparer => PREPARER_KINDS,
        crate::Role::Client => CLIENT_KINDS,
    };
    Prefs {
        events: kinds.iter().map(|k| (*k).to_string()).collect(),
        mode: "immediate".into(),
    }
}

pub(crate) fn prefs_of(events: &str, mode: String) -> Prefs {
    Prefs {
        events: events
            .split(',')
            .filter(|k| EVENT_KINDS.contains(k))
            .map(str::to_string)
            .collect(),
        mode,
    }
}

/// The time of day daily digests go out by default (on the firm's calendar).
pub const DIGEST_TIME: jiff::civil::Time = jiff::civil::Time::constant(7, 0, 0, 0);

/// The next daily-digest time (07:00 on the firm's calendar) after `now_ms`, in unix ms.
#[cfg(test)]
fn next_digest_ms(now_ms: i64, zone: &str) -> i64 {
    next_digest_at(now_ms, zone, DIGEST_TIME)
}

/// The next time `at` on the calendar of `zone` after `now_ms`, in unix ms.
fn next_digest_at(now_ms: i64, zone: &str, at_time: jiff::civil::Time) -> i64 {
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let Ok(now) = jiff::Timestamp::from_millisecond(now_ms) else {
        return now_ms;
    };
    let z = now.to_zoned_datetime(tz.clone());
    let at = |d: jiff::civil::Date| {
        d.to_datetime(at_time)
            .to_zoned_datetime(tz.clone())
            .map(|z| z.timestamp().as_millisecond())
            .ok()
    };
    let today = at(z.date()).filter(|t| *t > now_ms);
    today
        .or_else(|| z.date().tomorrow().ok().and_then(at))
        .unwrap_or(now_ms + 86_400_000)
}

fn claimed_of(r: &AnyRow) -> Result<Claimed> {
    let data: String = r.try_get("data")?;
    Ok(Claimed {
        id: r.try_get("id")?,
        firm_id: r.try_get("firm_id")?,
        channel: r.try_get("channel")?,
        target: r.try_get("target")?,
        digest: r.try_get::<i64, _>("digest")? != 0,
        attempts: r.try_get("attempts")?,
        created_ms: r.try_get("created_ms")?,
        event_kind: r.try_get("kind")?,
        event_data: serde_json::from_str(&data).unwrap_or(Value::Null),
        exchange_id: r.try_get("exchange_id")?,
        address: None,
        user_id: None,
    })
}

pub(crate) fn delivery_of(r: &AnyRow) -> Result<Delivery> {
    Ok(Delivery {
        id: r.try_get("id")?,
        channel: r.try_get("channel")?,
        to: r.try_get::<Option<String>, _>("dest")?.unwrap_or_default(),
        event: r.try_get("kind")?,
        exchange_id: r.try_get("exchange_id")?,
        exchange_name: r.try_get("exchange_name")?,
        status: r.try_get("status")?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
        created_at: r.try_get("created_at")?,
        delivered_at: r.try_get("delivered_at")?,
    })
}

impl Store {
    /// Enqueues a scheduled event (a reminder) unless one with the same idempotency key
    /// exists; `true` when this call enqueued it.
    ///
    /// # Errors
    /// A database failure.
    pub async fn enqueue_event(
        &self,
        firm_id: &str,
        exchange_id: Option<&str>,
        kind: &str,
        idem_key: &str,
        data: &Value,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let mut data = data.clone();
        if let Some(x) = exchange_id {
            data["exchange_name"] = Value::String(exchange_name(&mut tx, x).await?);
        }
        let new = insert_event(&mut tx, firm_id, exchange_id, kind, idem_key, &data).await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Which of `keys` are already enqueued (read by the unique index on the key, a few
    /// hundred keys per query). The scheduler asks before it enqueues, so a run in which
    /// every reminder has gone out reads instead of opening one write transaction per
    /// reminder (tens of thousands in a large book, every ten minutes, in every server).
    ///
    /// # Errors
    /// A database failure.
    pub async fn enqueued_keys(&self, keys: &[String]) -> Result<HashSet<String>> {
        const CHUNK: usize = 500;
        let mut found = HashSet::new();
        for chunk in keys.chunks(CHUNK) {
            let params = (1..=chunk.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let q = format!("SELECT idem_key FROM notify_events WHERE idem_key IN ({params})");
            let mut q = sqlx::query(&q);
            for k in chunk {
                q = q.bind(k.as_str());
            }
            for r in q.fetch_all(&self.reader).await? {
                found.insert(r.try_get::<String, _>("idem_key")?);
            }
        }
        Ok(found)
    }

    /// Fans up to `limit` new events out into deliveries (one per person who wants it and
    /// per active webhook endpoint of the firm), each event in one transaction with its
    /// deliveries. Returns how many events it expanded.
    ///
    /// # Errors
    /// A database failure.
    pub async fn expand_events(&self, now_ms: i64, default_zone: &str, limit: i64) -> Result<u64> {
        self.expand_events_at(now_ms, default_zone, DIGEST_TIME, limit)
            .await
    }

    /// [`Store::expand_events`] with daily digests going out at `digest_time` on each firm's
    /// calendar.
    ///
    /// # Errors
    /// A database failure.
    pub async fn expand_events_at(
        &self,
        now_ms: i64,
        default_zone: &str,
        digest_time: jiff::civil::Time,
        limit: i64,
    ) -> Result<u64> {
        let lock = row_lock(self.backend);
        let mut tx = self.begin_write().await?;
        let evs = sqlx::query(&format!(
            "SELECT id, firm_id, exchange_id, kind, idem_key FROM notify_events WHERE expanded = 0 ORDER BY id LIMIT $1{lock}"
        ))
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let mut n = 0u64;
        for e in &evs {
            let id: String = e.try_get("id")?;
            let firm_id: String = e.try_get("firm_id")?;
            let exchange_id: Option<String> = e.try_get("exchange_id")?;
            let kind: String = e.try_get("kind")?;
            let key: String = e.try_get("idem_key")?;
            let zone: Option<String> = sqlx::query("SELECT time_zone FROM firms WHERE id = $1")
                .bind(&firm_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("time_zone"))
                .transpose()?
                .flatten();
            let digest_at =
                next_digest_at(now_ms, zone.as_deref().unwrap_or(default_zone), digest_time);
            let client: Option<String> = match &exchange_id {
                Some(x) => sqlx::query("SELECT client_id FROM exchanges WHERE id = $1")
                    .bind(x)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get("client_id"))
                    .transpose()?
                    .flatten(),
                None => None,
            };
            let users = sqlx::query(
                "SELECT u.id, u.role, p.events, p.mode FROM users u LEFT JOIN notify_prefs p ON p.user_id = u.id \
                 WHERE u.firm_id = $1 AND u.active = 1 ORDER BY u.id",
            )
            .bind(&firm_id)
            .fetch_all(&mut *tx)
            .await?;
            let mut rows: Vec<(String, String, bool, i64)> = Vec::new();
            for u in &users {
                let uid: String = u.try_get("id")?;
                let role = crate::Role::parse(&u.try_get::<String, _>("role")?)
                    .unwrap_or(crate::Role::Client);
                if role == crate::Role::Client
                    && (client.as_deref() != Some(uid.as_str())
                        || !CLIENT_KINDS.contains(&kind.as_str()))
                {
                    continue;
                }
                let events: Option<String> = u.try_get("events")?;
                let prefs = match events {
                    Some(ev) => prefs_of(&ev, u.try_get("mode")?),
                    None => default_prefs(role),
                };
                if prefs.mode == "off" || !prefs.events.contains(&kind) {
                    continue;
                }
                let digest = prefs.mode == "digest";
                rows.push((
                    "email".into(),
                    uid,
                    digest,
                    if digest { digest_at } else { now_ms },
                ));
            }
            let hooks =
                sqlx::query("SELECT id FROM webhook_endpoints WHERE firm_id = $1 AND active = 1")
                    .bind(&firm_id)
                    .fetch_all(&mut *tx)
                    .await?;
            for h in &hooks {
                rows.push(("webhook".into(), h.try_get("id")?, false, now_ms));
            }
            for (channel, target, digest, next_at) in rows {
                sqlx::query(
                    "INSERT INTO outbox (id, firm_id, event_id, channel, target, idem_key, status, digest, attempts, created_ms, next_at, lease_until) \
                     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, 0, $8, $9, 0) ON CONFLICT (idem_key) DO NOTHING",
                )
                .bind(new_id())
                .bind(&firm_id)
                .bind(&id)
                .bind(&channel)
                .bind(&target)
                .bind(format!("{key}/{channel}/{target}"))
                .bind(i64::from(digest))
                .bind(now_ms)
                .bind(next_at)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("UPDATE notify_events SET expanded = 1 WHERE id = $1")
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            n += 1;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Claims up to `limit` due deliveries for `owner` until `now_ms + lease_ms` (rows whose
    /// earlier lease ran out are due again). Each claim counts as an attempt. A worker with
    /// no mail server (`email` false) claims webhooks only, leaving e-mails to one that has.
    /// Claims by several servers take turns, so a person's due digest goes whole to one.
    ///
    /// # Errors
    /// A database failure.
    pub async fn claim_deliveries(
        &self,
        owner: &str,
        now_ms: i64,
        lease_ms: i64,
        limit: i64,
        email: bool,
    ) -> Result<Vec<Claimed>> {
        let mut tx = self.begin_write().await?;
        if self.backend == crate::Backend::Postgres {
            // Claims take turns, as SQLite's one writer makes them: each sees the leases of
            // the one before, so a person's digest is never split between two servers.
            // Nothing else takes this lock, and a claim never waits on a row (it skips locked
            // ones), so it cannot deadlock; it is released when the claim commits.
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(CLAIM_LOCK)
                .execute(&mut *tx)
                .await?;
        }
        let ids = sqlx::query(&claim_sql(self.backend, email))
            .bind(owner)
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        let mut people: Vec<String> = Vec::new();
        let mut claimed: Vec<String> = Vec::with_capacity(ids.len());
        for r in &ids {
            claimed.push(r.try_get("id")?);
            // A person's daily digest is one e-mail: the rest of their due digest rows come
            // with the ones claimed, even past `limit` (rows another worker holds stay its).
            let target: String = r.try_get("target")?;
            if r.try_get::<i64, _>("digest")? != 0
                && r.try_get::<String, _>("channel")? == "email"
                && !people.contains(&target)
            {
                people.push(target);
            }
        }
        let digest = claim_digest_sql(self.backend);
        let mut ids = claimed;
        for person in people {
            for r in sqlx::query(&digest)
                .bind(owner)
                .bind(now_ms + lease_ms)
                .bind(&person)
                .bind(now_ms)
                .fetch_all(&mut *tx)
                .await?
            {
                ids.push(r.try_get("id")?);
            }
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            let r = sqlx::query(
                "SELECT o.id, o.firm_id, o.channel, o.target, o.digest, o.attempts, o.created_ms, e.kind, e.data, e.exchange_id \
                 FROM outbox o JOIN notify_events e ON e.id = o.event_id WHERE o.id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let mut c = claimed_of(&r)?;
            if c.channel == "email" {
                c.user_id = Some(c.target.clone());
                let u = sqlx::query(
                    "SELECT email, name FROM users WHERE id = $1 AND firm_id = $2 AND active = 1",
                )
                .bind(&c.target)
                .bind(&c.firm_id)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(u) = u {
                    c.address = Some((u.try_get("email")?, u.try_get("name")?));
                }
            } else {
                let h = sqlx::query(
                    "SELECT url, secret FROM webhook_endpoints WHERE id = $1 AND firm_id = $2 AND active = 1",
                )
                .bind(&c.target)
                .bind(&c.firm_id)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(h) = h {
                    c.address = Some((h.try_get("url")?, h.try_get("secret")?));
                }
            }
            out.push(c);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// What a server with no mail server does with e-mails it cannot send: each pending one
    /// (not held by a worker) says why it waits (`waiting`, once), and one whose retry window
    /// (`window_ms` from its creation) is over is dead-lettered with `dead`. A server with a
    /// mail server sharing the database still sends the others. Returns how many went dead.
    ///
    /// Each statement reads a partial index of only the rows it looks for (migration 0020)
    /// and changes at most [`HOLD_BATCH`] rows, so the one writing connection is never held
    /// for long: a first run over a book with hundreds of thousands of waiting e-mails takes
    /// many short turns, and later runs read only the e-mails made or expired since.
    ///
    /// # Errors
    /// A database failure.
    pub async fn hold_unsendable_emails(
        &self,
        now_ms: i64,
        window_ms: i64,
        waiting: &str,
        dead: &str,
    ) -> Result<u64> {
        let (mark, expire) = (hold_mark_sql(self.backend), hold_dead_sql(self.backend));
        let cutoff = now_ms.saturating_sub(window_ms);
        self.in_batches(|| {
            sqlx::query(&mark)
                .bind(waiting)
                .bind(now_ms)
                .bind(HOLD_BATCH)
        })
        .await?;
        self.in_batches(|| {
            sqlx::query(&expire)
                .bind(dead)
                .bind(now_ms)
                .bind(cutoff)
                .bind(HOLD_BATCH)
        })
        .await
    }

    /// Runs a statement that changes at most [`HOLD_BATCH`] rows until one changes fewer
    /// (none left), each on its own so the writer is free in between; how many it changed.
    async fn in_batches<'q>(
        &self,
        batch: impl Fn() -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> Result<u64> {
        let mut total = 0;
        loop {
            let n = batch().execute(&self.writer).await?.rows_affected();
            total += n;
            if n < HOLD_BATCH.unsigned_abs() {
                return Ok(total);
            }
        }
    }

    /// Marks a delivery delivered (whoever holds its lease now: it has been sent).
    ///
    /// # Errors
    /// A database failure.
    pub async fn mark_delivered(&self, id: &str) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'delivered', delivered_at = $1, lease_until = 0, last_error = NULL \
             WHERE id = $2 AND status = 'pending'",
        )
        .bind(now_rfc3339())
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Records a failed attempt: due again at `next_at` (unix ms), or dead when `None`.
    ///
    /// # Errors
    /// A database failure.
    pub async fn mark_failed(
        &self,
        id: &str,
        owner: &str,
        error: &str,
        next_at: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET status = $1, next_at = $2, lease_until = 0, last_error = $3 \
             WHERE id = $4 AND lease_owner = $5 AND status = 'pending'",
        )
        .bind(if next_at.is_some() { "pending" } else { "dead" })
        .bind(next_at.unwrap_or(0))
        .bind(error)
        .bind(id)
        .bind(owner)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The firm's deliveries, newest first, optionally only those in `status`.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_deliveries(
        &self,
        firm_id: &str,
        status: Option<&str>,
        page: PageReq<'_>,
    ) -> Result<Vec<Delivery>> {
        let rows = sqlx::query(
            "SELECT o.id, o.channel, o.status, o.attempts, o.last_error, o.delivered_at, e.kind, e.exchange_id, e.created_at, \
               x.name AS exchange_name, COALESCE(u.email, w.url) AS dest \
             FROM outbox o JOIN notify_events e ON e.id = o.event_id \
             LEFT JOIN exchanges x ON x.id = e.exchange_id \
             LEFT JOIN users u ON o.channel = 'email' AND u.id = o.target \
             LEFT JOIN webhook_endpoints w ON o.channel = 'webhook' AND w.id = o.target \
             WHERE o.firm_id = $1 AND ($2 = '' OR o.status = $2) AND ($3 = '' OR o.id < $3) \
             ORDER BY o.id DESC LIMIT $4",
        )
        .bind(firm_id)
        .bind(status.unwrap_or(""))
        .bind(page.after.unwrap_or(""))
        .bind(page.limit)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(delivery_of).collect()
    }

    /// Counts the firm's deliveries by status (`pending`, `delivered`, `dead`).
    ///
    /// # Errors
    /// A database failure.
    pub async fn count_deliveries(&self, firm_id: &str) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM outbox WHERE firm_id = $1 GROUP BY status ORDER BY status",
        )
        .bind(firm_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The claim reads its index in order and stops at the limit, on either kind of worker:
    /// no sort of every due row, and no pending e-mail read by a worker that only takes
    /// webhooks.
    #[tokio::test]
    async fn a_claim_reads_only_what_it_takes() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let url = format!("sqlite://{}", dir.path().join("o.db").display());
        let store = Store::open(&url).await.unwrap_or_else(|e| panic!("{e}"));
        for (email, index) in [(false, "outbox_claim"), (true, "outbox_due")] {
            let sql = claim_sql(crate::Backend::Sqlite, email);
            let select =
                &sql[sql.find("SELECT").unwrap_or(0)..sql.find(") RETURNING").unwrap_or(0)];
            let plan = store
                .sqlite_plan(
                    sqlx::query(&format!("EXPLAIN QUERY PLAN {select}"))
                        .bind(0_i64)
                        .bind(10_i64),
                )
                .await;
            assert!(plan.iter().any(|d| d.contains(index)), "{email}: {plan:?}");
            assert!(
                !plan.iter().any(|d| d.contains("TEMP B-TREE")),
                "{email}: {plan:?}"
            );
            if !email {
                assert!(
                    plan.iter().any(|d| d.contains("channel=?")),
                    "the channel is read from the index: {plan:?}"
                );
            }
        }
    }

    /// The two statements of a server without a mail server read their partial indexes in
    /// order and stop at the batch: no pending e-mail is read that is neither new nor expired.
    #[tokio::test]
    async fn holding_emails_reads_only_new_or_expired_ones() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let url = format!("sqlite://{}", dir.path().join("o.db").display());
        let store = Store::open(&url).await.unwrap_or_else(|e| panic!("{e}"));
        // SQLite numbers the parameters in the order they first appear: the words, the dates
        // (now, and the window's cutoff for the second), then the limit.
        for (sql, index, dates) in [
            (
                hold_mark_sql(crate::Backend::Sqlite),
                "outbox_email_unmarked",
                1,
            ),
            (
                hold_dead_sql(crate::Backend::Sqlite),
                "outbox_email_pending",
                2,
            ),
        ] {
            let explained = format!("EXPLAIN QUERY PLAN {sql}");
            let mut q = sqlx::query(&explained).bind("x");
            for _ in 0..dates {
                q = q.bind(0_i64);
            }
            let plan = store.sqlite_plan(q.bind(10_i64)).await;
            // The batch is read from its partial index in order, then each row by its key.
            assert!(plan.iter().any(|d| d.contains(index)), "{sql}: {plan:?}");
            assert!(
                plan.iter()
                    .any(|d| d.contains("sqlite_autoindex_outbox_1 (id=?)")),
                "{sql}: {plan:?}"
            );
            assert!(!plan.iter().any(|d| d.contains("TEMP B-TREE")), "{plan:?}");
            assert!(!plan.iter().any(|d| d.starts_with("SCAN")), "{plan:?}");
        }
    }

    /// An outbox row of the test: id, channel, status, made (ms), leased until, last error.
    type Made = (
        String,
        &'static str,
        &'static str,
        i64,
        i64,
        Option<&'static str>,
    );

    /// Two servers' stores on one database.
    async fn two_servers(url: &str) -> (Store, Store) {
        let a = Store::open(url).await.unwrap_or_else(|e| panic!("{e}"));
        let b = Store::open(url).await.unwrap_or_else(|e| panic!("{e}"));
        (a, b)
    }

    /// A firm of its own and one expanded event (`{firm}-e`) its outbox rows refer to.
    async fn firm_with_event(store: &Store) -> String {
        let (firm, _) = store
            .create_firm(
                "Firm",
                crate::NewUser {
                    email: format!("a{}@firm.example", new_id()),
                    name: "A".into(),
                    role: crate::Role::Admin,
                    password_hash: "x".into(),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let f = firm.id;
        let event = format!("{f}-e");
        sqlx::query(
            "INSERT INTO notify_events (id, firm_id, exchange_id, kind, idem_key, data, expanded, created_at) \
             VALUES ($1, $2, NULL, 'k', $1, '{}', 1, '2026-01-01T00:00:00Z')",
        )
        .bind(&event)
        .bind(&f)
        .execute(&store.writer)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        f
    }

    /// A firm of its own with 1,201 waiting e-mails (700 made long ago, past the window, and
    /// 501 new), a webhook, an e-mail held by a worker, one already marked with another
    /// reason and one delivered. Row ids carry the firm's, so the story can run again in a
    /// shared PostgreSQL database.
    async fn waiting_emails(store: &Store, now: i64) -> String {
        let f = firm_with_event(store).await;
        let event = format!("{f}-e");
        let mut rows: Vec<Made> = (0..1_201)
            .map(|i| {
                let made = if i < 700 { 1_000 + i } else { now - 10 };
                (format!("{f}-m{i:05}"), "email", "pending", made, 0, None)
            })
            .collect();
        rows.push((format!("{f}-w"), "webhook", "pending", 1_000, 0, None));
        rows.push((
            format!("{f}-leased"),
            "email",
            "pending",
            1_000,
            now + 60_000,
            None,
        ));
        rows.push((
            format!("{f}-other"),
            "email",
            "pending",
            now - 10,
            0,
            Some("bounced once"),
        ));
        rows.push((format!("{f}-sent"), "email", "delivered", 1_000, 0, None));
        for (id, channel, status, made, lease, err) in &rows {
            sqlx::query(
                "INSERT INTO outbox (id, firm_id, event_id, channel, target, idem_key, status, created_ms, next_at, lease_until, last_error) \
                 VALUES ($1, $2, $3, $4, 't', $1, $5, $6, $6, $7, $8)",
            )
            .bind(id)
            .bind(&f)
            .bind(&event)
            .bind(*channel)
            .bind(*status)
            .bind(*made)
            .bind(*lease)
            .bind(*err)
            .execute(&store.writer)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        }
        f
    }

    /// More waiting e-mails than one batch, held by two servers at once: every one not held
    /// by a worker is marked, each one past its window is dead-lettered once (the two
    /// servers' counts add up to it), and nothing else is touched.
    async fn hold_story(a: &Store, b: &Store, shared: bool) {
        let (now, window) = (10_000_000_i64, 1_000_000_i64);
        let f = waiting_emails(a, now).await;
        let (x, y) = tokio::join!(
            a.hold_unsendable_emails(now, window, "waits", "expired"),
            b.hold_unsendable_emails(now, window, "waits", "expired"),
        );
        let dead = x.unwrap_or_else(|e| panic!("{e}")) + y.unwrap_or_else(|e| panic!("{e}"));
        // A shared database may hold an interrupted earlier run's e-mails, expired as well.
        if shared {
            assert!(dead >= 700, "{dead}");
        } else {
            assert_eq!(dead, 700);
        }
        let count = |status: &'static str, error: &'static str| {
            let f = f.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM outbox WHERE firm_id = $1 AND status = $2 AND last_error = $3",
                )
                .bind(f)
                .bind(status)
                .bind(error)
                .fetch_one(&a.reader)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
            }
        };
        assert_eq!(count("dead", "expired").await, 700);
        assert_eq!(count("pending", "waits").await, 501);
        let state = |id: String| async move {
            let r = sqlx::query("SELECT status, last_error FROM outbox WHERE id = $1")
                .bind(id)
                .fetch_one(&a.reader)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            (
                r.try_get::<String, _>("status").unwrap_or_default(),
                r.try_get::<Option<String>, _>("last_error")
                    .unwrap_or_default(),
            )
        };
        assert_eq!(state(format!("{f}-w")).await, ("pending".into(), None));
        assert_eq!(state(format!("{f}-leased")).await, ("pending".into(), None));
        assert_eq!(
            state(format!("{f}-other")).await,
            ("pending".into(), Some("bounced once".into()))
        );
        assert_eq!(state(format!("{f}-sent")).await, ("delivered".into(), None));
        // Run again: nothing new to mark, nothing more to expire.
        let again = a
            .hold_unsendable_emails(now, window, "waits", "expired")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, 0);
    }

    #[tokio::test]
    async fn holding_emails_in_batches_on_sqlite() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let url = format!("sqlite://{}", dir.path().join("o.db").display());
        let (a, b) = two_servers(&url).await;
        hold_story(&a, &b, false).await;
    }

    /// The same on PostgreSQL, where the two servers skip each other's rows. The database is
    /// shared with other tests: the story's window ended in 1970, so no one else's e-mail
    /// expires (theirs may be marked as waiting, as any server without mail would).
    #[tokio::test]
    async fn holding_emails_in_batches_on_postgres() {
        let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
            eprintln!("holding_emails_in_batches_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
            return;
        };
        let (a, b) = two_servers(&url).await;
        hold_story(&a, &b, true).await;
    }

    /// A firm of its own with 240 due webhooks, a person's due daily digest of six e-mails,
    /// one webhook not yet due and one held by a worker. Its times are before 1970, so in a
    /// shared PostgreSQL database no one else's delivery is due at them.
    async fn due_deliveries(store: &Store, now: i64) -> String {
        let f = firm_with_event(store).await;
        let mut rows: Vec<(String, &str, i64, i64, i64)> = (0..240)
            .map(|i| {
                (
                    format!("{f}-h{i:03}"),
                    "webhook",
                    0,
                    now - 1_000 + i,
                    now - 1,
                )
            })
            .collect();
        rows.extend((0..6).map(|i| (format!("{f}-d{i}"), "email", 1, now - 2_000 + i, now - 1)));
        rows.push((format!("{f}-later"), "webhook", 0, now + 1, now - 1));
        rows.push((format!("{f}-held"), "webhook", 0, now - 5_000, now + 60_000));
        for (id, channel, digest, next, lease) in &rows {
            sqlx::query(
                "INSERT INTO outbox (id, firm_id, event_id, channel, target, idem_key, status, digest, created_ms, next_at, lease_until) \
                 VALUES ($1, $2, $3, $4, 'p', $1, 'pending', $5, $6, $6, $7)",
            )
            .bind(id)
            .bind(&f)
            .bind(format!("{f}-e"))
            .bind(*channel)
            .bind(*digest)
            .bind(*next)
            .bind(*lease)
            .execute(&store.writer)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        }
        f
    }

    /// Two servers claim at once, a few at a time, until nothing is due: every due delivery
    /// is claimed exactly once, with one attempt, and the one not due and the one held are
    /// left alone, and the person's digest goes whole to one server (one e-mail).
    async fn claim_story(a: &Store, b: &Store) {
        let now = -10_000_000_i64;
        let f = due_deliveries(a, now).await;
        let drain = |s: &Store, owner: &'static str| {
            let s = s.clone();
            async move {
                let mut got = Vec::new();
                loop {
                    let c = s
                        .claim_deliveries(owner, now, 60_000, 7, true)
                        .await
                        .unwrap_or_else(|e| panic!("{e}"));
                    if c.is_empty() {
                        return got;
                    }
                    got.extend(c.into_iter().map(|c| (c.id, owner)));
                }
            }
        };
        let (x, y) = tokio::join!(drain(a, "server-a"), drain(b, "server-b"));
        let mut all: Vec<(String, &str)> = x.into_iter().chain(y).collect();
        all.sort();
        let ids: Vec<&str> = all.iter().map(|(id, _)| id.as_str()).collect();
        let mut expected: Vec<String> = (0..240).map(|i| format!("{f}-h{i:03}")).collect();
        expected.extend((0..6).map(|i| format!("{f}-d{i}")));
        expected.sort();
        assert_eq!(ids, expected, "each due delivery claimed exactly once");
        // By the suffix after the firm's id: the id itself may hold "-d".
        let digest_prefix = format!("{f}-d");
        let digest: Vec<&str> = all
            .iter()
            .filter(|(id, _)| id.starts_with(&digest_prefix))
            .map(|(_, owner)| *owner)
            .collect();
        assert_eq!(digest.len(), 6, "{digest:?}");
        assert!(digest.windows(2).all(|w| w[0] == w[1]), "{digest:?}");
        let attempts: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT id, attempts, COALESCE(lease_owner, '') FROM outbox WHERE firm_id = $1 ORDER BY id",
        )
        .bind(&f)
        .fetch_all(&a.reader)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        for (id, n, owner) in attempts {
            if id.ends_with("-later") || id.ends_with("-held") {
                assert_eq!((n, owner.as_str()), (0, ""), "{id}");
            } else {
                let claimed_by = all.iter().find(|(i, _)| *i == id).map(|(_, o)| *o);
                assert_eq!((n, Some(owner.as_str())), (1, claimed_by), "{id}");
            }
        }
    }

    #[tokio::test]
    async fn two_servers_claim_each_delivery_once_on_sqlite() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let url = format!("sqlite://{}", dir.path().join("o.db").display());
        let (a, b) = two_servers(&url).await;
        claim_story(&a, &b).await;
    }

    /// The same on PostgreSQL, where claims take turns under an advisory lock.
    #[tokio::test]
    async fn two_servers_claim_each_delivery_once_on_postgres() {
        let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
            eprintln!(
                "two_servers_claim_each_delivery_once_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
            );
            return;
        };
        let (a, b) = two_servers(&url).await;
        claim_story(&a, &b).await;
    }

    #[test]
    fn the_digest_goes_out_at_seven_on_the_firms_calendar() {
        let ms = |s: &str| {
            s.parse::<jiff::Timestamp>()
                .map(|t| t.as_millisecond())
                .unwrap_or(0)
        };
        assert_eq!(
            next_digest_ms(ms("2026-11-15T09:00:00Z"), "UTC"),
            ms("2026-11-16T07:00:00Z")
        );
        assert_eq!(
            next_digest_ms(ms("2026-11-15T06:00:00Z"), "UTC"),
            ms("2026-11-15T07:00:00Z")
        );
        // 06:30 UTC is 10:30 pm the day before in Los Angeles: its 7 am comes at 15:00 UTC.
        assert_eq!(
            next_digest_ms(ms("2026-11-15T06:30:00Z"), "America/Los_Angeles"),
            ms("2026-11-15T15:00:00Z")
        );
    }
}
