//! Notifications administered: dead deliveries sent again, each person's preferences, the
//! firm's calendar and reminder lead times, webhook endpoints, and what the worker and the
//! scheduler read. Every change here is audited; kept apart from the outbox itself
//! (`outbox.rs`), which the audit writer calls, so that the imports flow one way.

use crate::audit::{self, Change};
use crate::outbox::*;
use crate::{Actor, Result, Store, StoreError, new_id, now_rfc3339};
use serde_json::json;
use sqlx::Row;

impl Store {
    /// Sends a dead delivery again: pending now, with a new retry window; audited.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Conflict`] when it is not dead.
    pub async fn retry_delivery(&self, a: &Actor, id: &str, now_ms: i64) -> Result<Delivery> {
        let mut tx = self.begin_write().await?;
        let r = sqlx::query("SELECT status FROM outbox WHERE firm_id = $1 AND id = $2")
            .bind(&a.firm_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let status: String = r.try_get("status")?;
        if status != "dead" {
            return Err(StoreError::Conflict(format!(
                "only a delivery that failed for good can be retried; this one is {status}"
            )));
        }
        // The status is checked again by the update itself: two retries at once, or a retry
        // racing another server's retry on PostgreSQL, must not both re-queue it.
        let updated = sqlx::query(
            "UPDATE outbox SET status = 'pending', attempts = 0, created_ms = $1, next_at = $1, lease_until = 0 \
             WHERE firm_id = $2 AND id = $3 AND status = 'dead'",
        )
        .bind(now_ms)
        .bind(&a.firm_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict(
                "only a delivery that failed for good can be retried; this one was retried already"
                    .into(),
            ));
        }
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: None,
                action: "notification.retry",
                entity: "delivery",
                entity_id: id,
                before: Some(json!({"status": "dead"})),
                after: Some(json!({"status": "pending"})),
            },
        )
        .await?;
        // Read what is answered before committing: once committed, the delivery worker may
        // attempt it at once, and the answer must be the delivery as this retry left it.
        let row = sqlx::query(
            "SELECT o.id, o.channel, o.status, o.attempts, o.last_error, o.delivered_at, e.kind, e.exchange_id, e.created_at, \
               x.name AS exchange_name, COALESCE(u.email, w.url) AS dest \
             FROM outbox o JOIN notify_events e ON e.id = o.event_id \
             LEFT JOIN exchanges x ON x.id = e.exchange_id \
             LEFT JOIN users u ON o.channel = 'email' AND u.id = o.target \
             LEFT JOIN webhook_endpoints w ON o.channel = 'webhook' AND w.id = o.target \
             WHERE o.firm_id = $1 AND o.id = $2",
        )
        .bind(&a.firm_id)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let delivery = delivery_of(&row)?;
        tx.commit().await?;
        Ok(delivery)
    }

    /// A user of any firm, by id (for signed links, which carry no firm).
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn user_by_id(&self, id: &str) -> Result<crate::User> {
        let r = sqlx::query("SELECT firm_id FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.reader)
            .await?
            .ok_or(StoreError::NotFound)?;
        let firm: String = r.try_get("firm_id")?;
        self.get_user(&firm, id).await
    }

    /// A person's preferences (their role's defaults until they choose).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the person is not the firm's.
    pub async fn notify_prefs(&self, firm_id: &str, user_id: &str) -> Result<Prefs> {
        let u = self.get_user(firm_id, user_id).await?;
        let r = sqlx::query("SELECT events, mode FROM notify_prefs WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.reader)
            .await?;
        Ok(match r {
            Some(r) => prefs_of(&r.try_get::<String, _>("events")?, r.try_get("mode")?),
            None => default_prefs(u.role),
        })
    }

    /// Sets a person's preferences (the caller checked the kinds and the mode); audited.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the person is not the firm's.
    pub async fn set_notify_prefs(&self, a: &Actor, user_id: &str, p: &Prefs) -> Result<Prefs> {
        let before = self.notify_prefs(&a.firm_id, user_id).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO notify_prefs (user_id, firm_id, events, mode, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (user_id) DO UPDATE SET events = $3, mode = $4, updated_at = $5",
        )
        .bind(user_id)
        .bind(&a.firm_id)
        .bind(p.events.join(","))
        .bind(&p.mode)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: None,
                action: "notification.preferences",
                entity: "user",
                entity_id: user_id,
                before: Some(json!(before)),
                after: Some(json!(p)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(p.clone())
    }

    /// The firm's notification settings.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn firm_notify_settings(&self, firm_id: &str) -> Result<FirmNotifySettings> {
        let r = sqlx::query("SELECT time_zone, reminder_days FROM firms WHERE id = $1")
            .bind(firm_id)
            .fetch_optional(&self.reader)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(FirmNotifySettings {
            time_zone: r.try_get("time_zone")?,
            reminder_days: csv_days(&r.try_get::<String, _>("reminder_days")?),
        })
    }

    /// Sets the firm's notification settings (the caller checked them); audited.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn set_firm_notify_settings(
        &self,
        a: &Actor,
        s: &FirmNotifySettings,
    ) -> Result<FirmNotifySettings> {
        let before = self.firm_notify_settings(&a.firm_id).await?;
        let mut days = s.reminder_days.clone();
        days.sort_unstable_by(|a, b| b.cmp(a));
        days.dedup();
        let csv = days
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE firms SET time_zone = $1, reminder_days = $2 WHERE id = $3")
            .bind(s.time_zone.clone())
            .bind(&csv)
            .bind(&a.firm_id)
            .execute(&mut *tx)
            .await?;
        let after = FirmNotifySettings {
            time_zone: s.time_zone.clone(),
            reminder_days: days,
        };
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: None,
                action: "firm.notifications",
                entity: "firm",
                entity_id: &a.firm_id,
                before: Some(json!(before)),
                after: Some(json!(after)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Adds a webhook endpoint to the actor's firm; audited (without its secret).
    ///
    /// # Errors
    /// A database failure.
    pub async fn create_webhook(
        &self,
        a: &Actor,
        url: &str,
        description: &str,
        secret: &str,
    ) -> Result<WebhookEndpoint> {
        let mut tx = self.begin_write().await?;
        let w = WebhookEndpoint {
            id: new_id(),
            url: url.to_string(),
            description: description.to_string(),
            created_at: now_rfc3339(),
        };
        sqlx::query(
            "INSERT INTO webhook_endpoints (id, firm_id, url, description, secret, active, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7)",
        )
        .bind(&w.id)
        .bind(&a.firm_id)
        .bind(&w.url)
        .bind(&w.description)
        .bind(secret)
        .bind(&a.user_id)
        .bind(&w.created_at)
        .execute(&mut *tx)
        .await?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: None,
                action: "webhook.create",
                entity: "webhook",
                entity_id: &w.id,
                before: None,
                after: Some(json!(w)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(w)
    }

    /// The firm's active webhook endpoints.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_webhooks(&self, firm_id: &str) -> Result<Vec<WebhookEndpoint>> {
        let rows = sqlx::query(
            "SELECT id, url, description, created_at FROM webhook_endpoints WHERE firm_id = $1 AND active = 1 ORDER BY id",
        )
        .bind(firm_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(WebhookEndpoint {
                    id: r.try_get("id")?,
                    url: r.try_get("url")?,
                    description: r.try_get("description")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// Removes a webhook endpoint (it receives nothing more); audited.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn delete_webhook(&self, a: &Actor, id: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE webhook_endpoints SET active = 0 WHERE firm_id = $1 AND id = $2 AND active = 1",
        )
        .bind(&a.firm_id)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: None,
                action: "webhook.delete",
                entity: "webhook",
                entity_id: id,
                before: Some(json!({"active": true})),
                after: Some(json!({"active": false})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A secret the server processes share, made (from `fresh`) the first time it is asked.
    ///
    /// # Errors
    /// A database failure.
    pub async fn server_secret(&self, name: &str, fresh: &str) -> Result<String> {
        sqlx::query(
            "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(fresh)
        .execute(&self.writer)
        .await?;
        let r = sqlx::query("SELECT value FROM server_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.writer)
            .await?;
        Ok(r.try_get("value")?)
    }

    /// Every firm with its notification settings (for the reminder scheduler).
    ///
    /// # Errors
    /// A database failure.
    pub async fn firms_for_reminders(&self) -> Result<Vec<(String, FirmNotifySettings)>> {
        let rows = sqlx::query("SELECT id, time_zone, reminder_days FROM firms ORDER BY id")
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    FirmNotifySettings {
                        time_zone: r.try_get("time_zone")?,
                        reminder_days: csv_days(&r.try_get::<String, _>("reminder_days")?),
                    },
                ))
            })
            .collect()
    }

    /// The dated things a firm's reminders are about, as of `today` and up to `horizon`
    /// (from the stored summaries): `(exchange id, kind, date, balance cents)` where kind is
    /// `identification_end`, `exchange_end`, `idle_funds` or `oz_transfer` (the first
    /// transfer of a failed or partial exchange).
    ///
    /// Bounded by what can still be reminded of, not by the firm's history: idle funds only
    /// of exchanges holding a balance (the maintained `held`), Opportunity Zone windows only
    /// while still open (the 180 days begin on the transfer, day 1, IRC §1400Z-2(a)(1)(A),
    /// so transfers of the last 180 days).
    ///
    /// # Errors
    /// A database failure.
    pub async fn reminder_dates(
        &self,
        firm_id: &str,
        today: &str,
        horizon: &str,
    ) -> Result<Vec<(String, String, String, i64)>> {
        let rows = sqlx::query(
            "SELECT e.id, m.milestone AS what, m.on_date, e.balance_cents FROM exchange_milestones m JOIN exchanges e ON e.id = m.exchange_id \
             WHERE m.firm_id = $1 AND m.kind = 'deadline_upcoming' AND m.on_date >= $2 AND m.on_date <= $3 \
               AND m.active_from <= $2 AND m.active_to >= $2 \
             UNION ALL SELECT e.id, 'idle_funds' AS what, m.on_date, e.balance_cents FROM exchange_milestones m JOIN exchanges e ON e.id = m.exchange_id \
             WHERE m.firm_id = $1 AND m.kind = 'idle_funds' AND m.held = 1 AND m.active_from <= $2 AND m.active_to >= $2 \
               AND e.balance_cents > 0 \
             UNION ALL SELECT e.id, 'oz_transfer' AS what, e.first_transfer AS on_date, e.balance_cents FROM exchanges e \
             WHERE e.firm_id = $1 AND e.first_transfer >= $4 AND e.first_transfer <= $2 \
               AND ((e.settled_phase IN ('failed', 'partly_completed') AND e.settled_from <= $2) OR e.phase = 'failed')",
        )
        .bind(firm_id)
        .bind(today)
        .bind(horizon)
        .bind(oz_open_since(today))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    r.try_get("what")?,
                    r.try_get::<Option<String>, _>("on_date")?
                        .unwrap_or_default(),
                    r.try_get("balance_cents")?,
                ))
            })
            .collect()
    }

    /// The firm's exchanges with a related party whose two-year period may not be over on
    /// `today`: `(id, version, file)`. The period runs two years from the last transfer of the
    /// exchange (IRC §1031(f)(1)(C)), which is at most 180 days after the first (IRC
    /// §1031(a)(3)), so exchanges whose first transfer is more than three years old are not
    /// read; nor are their files. Exchanges without a transfer date are read.
    ///
    /// # Errors
    /// A database failure.
    pub async fn related_party_files(
        &self,
        firm_id: &str,
        today: &str,
    ) -> Result<Vec<(String, i64, String)>> {
        let since = related_party_open_since(today);
        let rows = sqlx::query(related_party_files_sql(self.backend))
            .bind(firm_id)
            .bind(since)
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("version")?, r.try_get("file")?)))
            .collect()
    }

    /// How many deliveries of each status exist in the whole database (for tests and health).
    ///
    /// # Errors
    /// A database failure.
    pub async fn outbox_counts(&self) -> Result<(i64, i64, i64)> {
        let r = sqlx::query(
            "SELECT COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS p, \
             COALESCE(SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END), 0) AS d, \
             COALESCE(SUM(CASE WHEN status = 'dead' THEN 1 ELSE 0 END), 0) AS x, \
             (SELECT COUNT(*) FROM notify_events WHERE expanded = 0) AS e FROM outbox",
        )
        .fetch_one(&self.reader)
        .await?;
        let e: i64 = r.try_get("e")?;
        Ok((
            r.try_get::<i64, _>("p")? + e,
            r.try_get("d")?,
            r.try_get("x")?,
        ))
    }
}

/// The related-party scan: read through the partial index of the exchanges whose file names a
/// related party (migration 0018), so the files of other exchanges are never read. SQLite
/// without statistics does not weigh a partial index's size, so it is named there.
fn related_party_files_sql(backend: crate::Backend) -> &'static str {
    match backend {
        crate::Backend::Sqlite => {
            "SELECT id, version, file FROM exchanges INDEXED BY exchanges_related_party \
             WHERE firm_id = $1 AND (first_transfer >= $2 OR first_transfer IS NULL) \
             AND file LIKE '%related_party%' ORDER BY id"
        }
        crate::Backend::Postgres => {
            "SELECT id, version, file FROM exchanges WHERE firm_id = $1 \
             AND (first_transfer >= $2 OR first_transfer IS NULL) \
             AND file LIKE '%related_party%' ORDER BY id"
        }
    }
}

/// The earliest first transfer whose related-party two-year period may still run on `today`:
/// two years from the last transfer (IRC §1031(f)(1)(C)), at most 180 days after the first
/// (IRC §1031(a)(3)), so three years back is safely early. An unreadable date bounds nothing.
fn related_party_open_since(today: &str) -> String {
    today
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.checked_sub(jiff::ToSpan::years(3)).ok())
        .map_or_else(String::new, |d| d.to_string())
}

/// The earliest first transfer whose Opportunity Zone window is still open on `today`: the
/// 180 days begin on the transfer, day 1 (IRC §1400Z-2(a)(1)(A); Treas. Reg.
/// §1.1400Z2(a)-1(b)(7)(i)), so the window of a transfer 179 days ago ends today. An
/// unreadable date bounds nothing.
fn oz_open_since(today: &str) -> String {
    today
        .parse::<jiff::civil::Date>()
        .ok()
        .map(|d| likekind_core::calendar::add_days(d, -179))
        .map_or_else(String::new, |d| d.to_string())
}

#[cfg(test)]
mod related_party_plan {
    use crate::Store;

    /// SQLite reads the scan from the partial index (the index's condition is the query's), not
    /// from the table: an exchange without a related party costs nothing.
    #[tokio::test]
    async fn the_related_party_scan_reads_its_partial_index() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let url = format!("sqlite://{}", dir.path().join("p.db").display());
        let store = Store::open(&url).await.unwrap_or_else(|e| panic!("{e}"));
        let sql = super::related_party_files_sql(crate::Backend::Sqlite);
        let plan = store
            .sqlite_plan(
                sqlx::query(&format!("EXPLAIN QUERY PLAN {sql}"))
                    .bind("f")
                    .bind("2023-12-31"),
            )
            .await;
        assert!(
            plan.iter().any(|d| d.contains("exchanges_related_party")),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|d| d.starts_with("SCAN exchanges")),
            "{plan:?}"
        );
    }
}

#[cfg(test)]
mod reminder_bounds {
    use super::oz_open_since;

    /// The window of a transfer 179 days before `today` ends on `today` (day 1 is the
    /// transfer): it is still read; one a day older is not.
    #[test]
    fn the_oldest_open_window_ends_today() {
        let since = oz_open_since("2026-12-31");
        assert_eq!(since, "2026-07-05");
        let start: jiff::civil::Date = since.parse().unwrap_or_default();
        assert_eq!(
            likekind_core::oz::window::last_day(start),
            jiff::civil::date(2026, 12, 31)
        );
        assert_eq!(oz_open_since("not a date"), "");
    }

    /// A first transfer older than the bound cannot have a two-year period still running:
    /// its last transfer is at most 180 days later (IRC §1031(a)(3)), and two years from that
    /// (IRC §1031(f)(1)(C)) ends before `today`.
    #[test]
    fn no_related_party_period_older_than_the_bound_still_runs() {
        let since = super::related_party_open_since("2026-12-31");
        assert_eq!(since, "2023-12-31");
        let older = likekind_core::calendar::add_days(since.parse().unwrap_or_default(), -1);
        let last_transfer = likekind_core::calendar::add_days(older, 180);
        let period_end = last_transfer
            .checked_add(jiff::ToSpan::years(2))
            .unwrap_or_default();
        assert!(period_end < jiff::civil::date(2026, 12, 31), "{period_end}");
        assert_eq!(super::related_party_open_since(""), "");
    }
}
