//! The firm overview the web dashboard and the alerts need without reading every exchange:
//! how many are in each phase or status, the open ones by their next deadline, and the
//! alerts that apply on a day, all from the stored summaries ([`crate::summary`]).

use crate::summary::static_word;
use crate::{Result, Store};
use jiff::civil::Date;
use sqlx::Row;

/// An open exchange and its next deadline, from its stored summary.
#[derive(Debug, Clone, PartialEq)]
pub struct DueRow {
    pub id: String,
    pub name: String,
    /// The status on the day asked (see [`Store::count_exchanges_by_status`]).
    pub status: &'static str,
    /// `identification_end` while the identification period runs, then `exchange_end`.
    pub milestone: &'static str,
    pub date: Date,
    pub balance_cents: i64,
}

/// Which alerts to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertSet {
    All,
    /// Everything but idle funds.
    Deadlines,
    /// Idle funds only.
    IdleFunds,
}

/// One alert that applies on the day asked, from the stored milestones, with what the
/// server needs to word it (the balance for idle funds).
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRow {
    pub exchange_id: String,
    pub exchange_name: String,
    pub kind: &'static str,
    pub milestone: String,
    pub severity: &'static str,
    pub on_date: Option<Date>,
    pub message: String,
    pub balance_cents: i64,
}

/// The phase of an exchange on `$2` as the engine and the recorded events make it, from its
/// stored summary: settled by the verdict (completed, partly completed, failed) from the day
/// the summary says; otherwise a draft until its sale closes (the sale closing recorded, or
/// the file's first transfer date reached), then the sale closed (day 0), the
/// identification period to day 45, and the acquisition period. The same rule as the
/// server's `phase_of`.
macro_rules! derived_sql {
    () => {
        "CASE WHEN settled_from IS NOT NULL AND settled_from <= $2 THEN settled_phase \
         WHEN first_transfer IS NULL THEN CASE WHEN phase = 'draft' THEN 'draft' ELSE 'relinquished_closed' END \
         WHEN phase = 'draft' AND first_transfer > $2 THEN 'draft' \
         WHEN first_transfer >= $2 THEN 'relinquished_closed' \
         WHEN identification_end >= $2 THEN 'identification_period' \
         ELSE 'acquisition' END"
    };
}

/// The status word of an exchange on `$2`: how a coordinator closed it, else its derived
/// phase. The same rule as the server's `status_of`.
pub(crate) const STATUS_SQL: &str = concat!(
    "CASE WHEN phase IN ('completed', 'failed') THEN phase ELSE ",
    derived_sql!(),
    " END"
);

/// An open exchange whose verdict has not settled it on `$2`: its deadlines still matter.
pub(crate) const RUNNING_SQL: &str = "(settled_from IS NULL OR settled_from > $2)";

/// The status words, in the order the dashboard lists them.
pub const STATUSES: [&str; 7] = [
    "draft",
    "relinquished_closed",
    "identification_period",
    "acquisition",
    "completed",
    "partly_completed",
    "failed",
];

pub(crate) fn status_word(s: &str) -> &'static str {
    STATUSES
        .iter()
        .find(|w| **w == s)
        .copied()
        .unwrap_or("draft")
}

pub(crate) fn date_of(s: &str) -> Result<Date> {
    s.parse()
        .map_err(|e| crate::StoreError::Db(sqlx::Error::Decode(Box::new(e))))
}

/// The milestones that apply on `$2` (today), with coming deadlines up to `$3`: a coming
/// deadline between the two, anything else active today. Each arm is read by its own index:
/// coming deadlines by date (only the next days'), missed deadlines, exchanges not closed and
/// identification problems by the day they start, idle funds only among the exchanges that
/// hold a balance (`held`, kept with every ledger posting: empty exchanges cost nothing).
const UPCOMING_WHERE: &str =
    "kind = 'deadline_upcoming' AND on_date >= $2 AND on_date <= $3 AND active_to >= $2";
const PROBLEM_WHERE: &str = "kind IN ('deadline_missed', 'not_closed', 'identification_problem') \
     AND active_from <= $2 AND active_to >= $2";
const IDLE_WHERE: &str =
    "kind = 'idle_funds' AND held = 1 AND active_from <= $2 AND active_to >= $2";

/// The columns of a milestone the alerts read.
const MILESTONE_COLS: &str = "exchange_id, seq, kind, milestone, severity, on_date, message";

/// Idle funds apply only while the ledger holds a balance (also what `held` says).
const ALERT_WHERE: &str = "(m.kind <> 'idle_funds' OR e.balance_cents > 0)";

impl AlertSet {
    /// The arms this set reads, selecting `cols` of each milestone (`$3` is bound in every
    /// case).
    fn rows(self, cols: &str) -> String {
        let arm = |cond: &str| {
            format!("SELECT {cols} FROM exchange_milestones WHERE firm_id = $1 AND {cond}")
        };
        match self {
            AlertSet::All => format!(
                "{} UNION ALL {} UNION ALL {}",
                arm(UPCOMING_WHERE),
                arm(PROBLEM_WHERE),
                arm(IDLE_WHERE)
            ),
            AlertSet::Deadlines => {
                format!("{} UNION ALL {}", arm(UPCOMING_WHERE), arm(PROBLEM_WHERE))
            }
            AlertSet::IdleFunds => format!("{} AND $3 = $3", arm(IDLE_WHERE)),
        }
    }
}

/// The status keys counted for exchanges without a clock (see [`crate::counts`]).
fn base_status(key: &str) -> &'static str {
    status_word(key.split(':').next().unwrap_or(key))
}

/// The number in each status from the maintained counts by status key (nonzero only).
fn by_status(counts: &[(String, i64)]) -> Vec<(&'static str, i64)> {
    let mut out: Vec<(&'static str, i64)> = Vec::new();
    for (key, n) in counts {
        let s = base_status(key);
        match out.iter_mut().find(|(x, _)| *x == s) {
            Some(e) => e.1 += n,
            None => out.push((s, *n)),
        }
    }
    out.retain(|(_, n)| *n != 0);
    out
}

/// How many have a running clock, from the maintained counts by status key.
fn due_of(counts: &[(String, i64)]) -> i64 {
    counts
        .iter()
        .filter(|(k, _)| DUE_KEYS.contains(&k.as_str()))
        .map(|(_, n)| n)
        .sum()
}

/// The statuses whose exchanges have a running clock (dated, open, not settled).
const DUE_KEYS: [&str; 4] = [
    "draft",
    "relinquished_closed",
    "identification_period",
    "acquisition",
];

impl Store {
    /// The number of exchanges in each status on `today` (a client: their own). The firm's
    /// figures come from the maintained counts ([`crate::counts`]: bounded by the days on
    /// which a status changes, not by the number of exchanges); a client's from their own
    /// exchanges' stored summaries.
    ///
    /// # Errors
    /// A database failure.
    pub async fn count_exchanges_by_status(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
        today: Date,
    ) -> Result<Vec<(&'static str, i64)>> {
        Ok(self
            .count_statuses_and_due(firm_id, client_id, today)
            .await?
            .0)
    }

    /// [`Store::count_exchanges_by_status`] and [`Store::count_due`] together, the firm's
    /// from one read of the maintained counts (what the dashboard shows at its top).
    ///
    /// # Errors
    /// A database failure.
    pub async fn count_statuses_and_due(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
        today: Date,
    ) -> Result<(Vec<(&'static str, i64)>, i64)> {
        if client_id.is_some() {
            return Ok((
                self.count_exchanges_by_status_scan(firm_id, client_id, today)
                    .await?,
                self.count_due_scan(firm_id, client_id, today).await?,
            ));
        }
        let counts = self.maintained_counts(firm_id, today).await?;
        Ok((by_status(&counts), due_of(&counts)))
    }

    /// The maintained counts on `today` by status key (see [`crate::counts`]).
    async fn maintained_counts(&self, firm_id: &str, today: Date) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT status, CAST(SUM(n) AS BIGINT) AS n FROM exchange_status_days \
             WHERE firm_id = $1 AND from_day <= $2 GROUP BY status",
        )
        .bind(firm_id)
        .bind(today.to_string())
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("status")?, r.try_get::<i64, _>("n")?)))
            .collect()
    }

    /// [`Store::count_exchanges_by_status`] by reading every exchange's stored summary (a
    /// client's own exchanges; the reference the maintained counts are tested against).
    ///
    /// # Errors
    /// A database failure.
    pub async fn count_exchanges_by_status_scan(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
        today: Date,
    ) -> Result<Vec<(&'static str, i64)>> {
        let q = format!(
            "SELECT {STATUS_SQL} AS status, COUNT(*) AS n FROM exchanges WHERE firm_id = $1{} GROUP BY 1",
            if client_id.is_some() {
                " AND client_id = $3"
            } else {
                ""
            }
        );
        let mut q = sqlx::query(&q).bind(firm_id).bind(today.to_string());
        if let Some(c) = client_id {
            q = q.bind(c);
        }
        let rows = q.fetch_all(&self.reader).await?;
        rows.iter()
            .map(|r| {
                let s: String = r.try_get("status")?;
                let n: i64 = r.try_get("n")?;
                Ok((status_word(&s), n))
            })
            .collect()
    }

    /// The open exchanges with a running clock, most urgent first (by the next deadline,
    /// then name): `limit` of them after skipping `offset`. Read in deadline order from three
    /// indexes, never sorting every open exchange.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_due(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
        today: Date,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<DueRow>> {
        let client = if client_id.is_some() {
            " AND client_id = $5"
        } else {
            ""
        };
        let arm = |col: &str, cond: &str| {
            format!(
                "SELECT id, name, balance_cents, {STATUS_SQL} AS status, '{col}' AS milestone, {col} AS due \
                 FROM exchanges WHERE firm_id = $1 AND phase IN ('draft', 'relinquished_closed') \
                 AND {cond}{client} ORDER BY {col}, name, id LIMIT $3 + $4"
            )
        };
        // Three arms, each read in its index's order and stopped at the page's last row (its
        // own ORDER BY and LIMIT: PostgreSQL would otherwise read every running exchange and
        // sort them), then merged: the identification period by its end, then the exchange
        // period by its end, once for exchanges without a settled verdict and once for those
        // settled later than today. (Not settled on `today` is written as two arms because a
        // plain `settled_from > $2` is tested inside the index by both databases, so that the
        // settled exchanges still open are skipped without reading their rows; the
        // identification end is an expression so that SQLite reads the arm by the exchange
        // end, in order, instead of by the identification end and then sorting.)
        let in_acquisition = "COALESCE(identification_end, '') < $2 AND exchange_end IS NOT NULL";
        let q = format!(
            "SELECT * FROM ({}) a UNION ALL SELECT * FROM ({}) b UNION ALL SELECT * FROM ({}) c \
             ORDER BY due, name, id LIMIT $3 OFFSET $4",
            arm(
                "identification_end",
                &format!("identification_end >= $2 AND {RUNNING_SQL}")
            ),
            arm(
                "exchange_end",
                &format!("settled_from IS NULL AND {in_acquisition}")
            ),
            arm(
                "exchange_end",
                // Settled later than today means the exchange period has not ended
                // (`summary::settled_of` never settles later than the day after it), so the
                // index is read from today on instead of skipping every exchange that
                // settled in earlier years and is still open.
                &format!("exchange_end >= $2 AND settled_from > $2 AND {in_acquisition}")
            ),
        );
        let mut q = sqlx::query(&q)
            .bind(firm_id)
            .bind(today.to_string())
            .bind(limit)
            .bind(offset);
        if let Some(c) = client_id {
            q = q.bind(c);
        }
        let rows = q.fetch_all(&self.reader).await?;
        rows.iter()
            .map(|r| {
                let s: String = r.try_get("status")?;
                let m: String = r.try_get("milestone")?;
                let due: String = r.try_get("due")?;
                Ok(DueRow {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    status: status_word(&s),
                    milestone: if m == "identification_end" {
                        "identification_end"
                    } else {
                        "exchange_end"
                    },
                    date: date_of(&due)?,
                    balance_cents: r.try_get("balance_cents")?,
                })
            })
            .collect()
    }

    /// How many open exchanges have a running clock on `today` (the length of
    /// [`Store::list_due`]): for the firm from the maintained counts, for a client from
    /// their own exchanges.
    ///
    /// # Errors
    /// A database failure.
    pub async fn count_due(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
        today: Date,
    ) -> Result<i64> {
        Ok(self
            .count_statuses_and_due(firm_id, client_id, today)
            .await?
            .1)
    }

    /// [`Store::count_due`] by reading the exchanges (the reference for tests; a client's).
    ///
    /// # Errors
    /// A database failure.
    pub async fn count_due_scan(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
        today: Date,
    ) -> Result<i64> {
        let q = format!(
            "SELECT COUNT(*) AS n FROM exchanges WHERE firm_id = $1 \
             AND phase IN ('draft', 'relinquished_closed') AND {RUNNING_SQL} \
             AND identification_end IS NOT NULL{}",
            if client_id.is_some() {
                " AND client_id = $3"
            } else {
                ""
            }
        );
        let mut q = sqlx::query(&q).bind(firm_id).bind(today.to_string());
        if let Some(c) = client_id {
            q = q.bind(c);
        }
        Ok(q.fetch_one(&self.reader).await?.try_get("n")?)
    }

    /// The alerts that apply on `today`, with coming deadlines up to `horizon` (a client:
    /// their own exchanges'). `by_severity`: errors first, then by date; otherwise by date
    /// (undated first), exchange and the order the exchange lists them. At most `limit`.
    ///
    /// # Errors
    /// A database failure.
    #[allow(clippy::too_many_arguments)]
    pub async fn list_alerts(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
        today: Date,
        horizon: Date,
        set: AlertSet,
        by_severity: bool,
        limit: Option<i64>,
    ) -> Result<Vec<AlertRow>> {
        if let Some(l) = limit {
            return self
                .list_alerts_bounded(firm_id, client_id, today, horizon, set, by_severity, l)
                .await;
        }
        let rank = if by_severity {
            format!("{}, ", severity_rank("m.severity"))
        } else {
            String::new()
        };
        let order = format!("{rank}COALESCE(m.on_date, ''), m.exchange_id, m.seq");
        let q = format!(
            "SELECT m.exchange_id, e.name, m.kind, m.milestone, m.severity, m.on_date, m.message, e.balance_cents \
             FROM ({}) m JOIN exchanges e ON e.id = m.exchange_id \
             WHERE {ALERT_WHERE}{} ORDER BY {order}{}",
            set.rows(MILESTONE_COLS),
            if client_id.is_some() {
                " AND e.client_id = $4"
            } else {
                ""
            },
            match (limit, client_id) {
                (None, _) => "",
                (Some(_), None) => " LIMIT $4",
                (Some(_), Some(_)) => " LIMIT $5",
            }
        );
        let rows = alert_query(&q, firm_id, today, horizon, client_id, limit)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(alert_row).collect()
    }

    /// [`Store::list_alerts`] with a limit: each arm (one kind of alert, dated or not) is
    /// read in its index's date order and stops after `limit` rows; the same statement merges
    /// the arms in the list's order. What is read is bounded by the limit, not by how many
    /// alerts or exchanges there are (ties on one date are ordered among that date's rows).
    #[allow(clippy::too_many_arguments)]
    async fn list_alerts_bounded(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
        today: Date,
        horizon: Date,
        set: AlertSet,
        by_severity: bool,
        limit: i64,
    ) -> Result<Vec<AlertRow>> {
        // (condition, first key of the order): each arm is read in the order its index delivers
        // (that key, then exchange and place in the exchange's list), so the read
        // stops after `limit` rows. Missed deadlines and exchanges not closed apply from the day
        // after their date: `on_date < today` says the same as the active range and lets the
        // (firm, kind, on_date, exchange, seq) index read them oldest first (the range itself
        // is written so that no index is chosen for it). An identification problem is dated day
        // 45 but may hold before it (a late identification already recorded): one arm reads
        // those whose day 45 has passed, another those still to come, both oldest first. Idle
        // funds apply from the day after their date too, so their index on that day gives the
        // date order.
        let mut arms: Vec<(&str, &str)> = Vec::new();
        let by_date = "m.on_date";
        if set != AlertSet::IdleFunds {
            arms.extend([
                (
                    "m.kind = 'deadline_upcoming' AND m.on_date >= $2 AND m.on_date <= $3 AND m.active_to >= $2",
                    by_date,
                ),
                (
                    "m.kind = 'deadline_missed' AND m.on_date < $2 AND COALESCE(m.active_from, '') <= $2 AND COALESCE(m.active_to, '') >= $2 AND $3 = $3",
                    by_date,
                ),
                (
                    "m.kind = 'not_closed' AND m.on_date < $2 AND COALESCE(m.active_from, '') <= $2 AND COALESCE(m.active_to, '') >= $2 AND $3 = $3",
                    by_date,
                ),
                (
                    "m.kind = 'identification_problem' AND m.on_date < $2 AND COALESCE(m.active_from, '') <= $2 AND COALESCE(m.active_to, '') >= $2 AND $3 = $3",
                    by_date,
                ),
                (
                    "m.kind = 'identification_problem' AND m.on_date >= $2 AND COALESCE(m.active_from, '') <= $2 AND COALESCE(m.active_to, '') >= $2 AND $3 = $3",
                    by_date,
                ),
            ]);
        }
        if set != AlertSet::Deadlines {
            arms.push((
                "m.kind = 'idle_funds' AND m.held = 1 AND m.active_from <= $2 AND m.active_to >= $2 AND $3 = $3",
                "m.active_from",
            ));
        }
        let lim = if client_id.is_some() { "$5" } else { "$4" };
        let client = if client_id.is_some() {
            " AND e.client_id = $4"
        } else {
            ""
        };
        // One statement: each arm in its index's order up to the limit, then the merge in the
        // list's order (undated first; within one date and exchange, each arm's rows in the
        // arm's order), so one round trip returns only the rows shown.
        let union = arms
            .iter()
            .enumerate()
            .map(|(i, (arm, key))| {
                format!(
                    "SELECT * FROM (SELECT m.exchange_id, e.name, m.kind, m.milestone, m.severity, m.on_date, \
                     m.message, e.balance_cents, {i} AS arm, {key} AS arm_key, m.seq AS arm_seq \
                     FROM exchange_milestones m JOIN exchanges e ON e.id = m.exchange_id \
                     WHERE m.firm_id = $1 AND {arm} AND {ALERT_WHERE}{client} \
                     ORDER BY {key}, m.exchange_id, m.seq LIMIT {lim}) a{i}"
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rank = if by_severity {
            format!("{}, ", severity_rank("severity"))
        } else {
            String::new()
        };
        let q = format!(
            "SELECT exchange_id, name, kind, milestone, severity, on_date, message, balance_cents \
             FROM ({union}) u ORDER BY {rank}COALESCE(on_date, ''), exchange_id, arm, \
             COALESCE(arm_key, ''), arm_seq LIMIT {lim}"
        );
        alert_query(&q, firm_id, today, horizon, client_id, Some(limit))
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(alert_row)
            .collect()
    }

    /// How many alerts [`Store::list_alerts`] would list without a limit, counting at most
    /// `cap + 1` (a bounded count: more than `cap` reads as `cap + 1`).
    ///
    /// # Errors
    /// A database failure.
    pub async fn count_alerts(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
        today: Date,
        horizon: Date,
        set: AlertSet,
        cap: i64,
    ) -> Result<i64> {
        if client_id.is_none() {
            return self
                .count_firm_alerts(firm_id, today, horizon, set, cap)
                .await;
        }
        let q = format!(
            "SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM ({}) m JOIN exchanges e ON e.id = m.exchange_id \
             WHERE {ALERT_WHERE}{} LIMIT {}) c",
            set.rows(MILESTONE_COLS),
            if client_id.is_some() {
                " AND e.client_id = $4"
            } else {
                ""
            },
            if client_id.is_some() { "$5" } else { "$4" }
        );
        let mut q = sqlx::query(&q)
            .bind(firm_id)
            .bind(today.to_string())
            .bind(horizon.to_string());
        if let Some(c) = client_id {
            q = q.bind(c);
        }
        q = q.bind(cap.saturating_add(1));
        Ok(q.fetch_one(&self.reader).await?.try_get("n")?)
    }

    /// [`Store::count_alerts`] for the whole firm: each arm reads its index only (no
    /// milestone row, no exchange: idle funds count only where `held` says the ledger holds a
    /// balance, which is what the join checks), and the reading stops at `cap + 1`.
    async fn count_firm_alerts(
        &self,
        firm_id: &str,
        today: Date,
        horizon: Date,
        set: AlertSet,
        cap: i64,
    ) -> Result<i64> {
        let rows = set.rows("1 AS one");
        let q = format!("SELECT COUNT(*) AS n FROM ({rows} LIMIT $4) c");
        Ok(sqlx::query(&q)
            .bind(firm_id)
            .bind(today.to_string())
            .bind(horizon.to_string())
            .bind(cap.saturating_add(1))
            .fetch_one(&self.reader)
            .await?
            .try_get("n")?)
    }
}

/// One alert as the alert queries select it.
fn alert_row(r: &sqlx::any::AnyRow) -> Result<AlertRow> {
    let on: Option<String> = r.try_get("on_date")?;
    Ok(AlertRow {
        exchange_id: r.try_get("exchange_id")?,
        exchange_name: r.try_get("name")?,
        kind: static_word(&r.try_get::<String, _>("kind")?),
        milestone: r.try_get("milestone")?,
        severity: static_word(&r.try_get::<String, _>("severity")?),
        on_date: on.as_deref().map(date_of).transpose()?,
        message: r.try_get("message")?,
        balance_cents: r.try_get("balance_cents")?,
    })
}

/// An alert query with its arguments: `$1` firm, `$2` today, `$3` horizon, then the client
/// and the limit when there are.
fn alert_query<'q>(
    sql: &'q str,
    firm_id: &'q str,
    today: Date,
    horizon: Date,
    client_id: Option<&'q str>,
    limit: Option<i64>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let mut q = sqlx::query(sql)
        .bind(firm_id)
        .bind(today.to_string())
        .bind(horizon.to_string());
    if let Some(c) = client_id {
        q = q.bind(c);
    }
    if let Some(l) = limit {
        q = q.bind(l);
    }
    q
}

/// Errors first, then warnings, then the rest: the order of the alerts by severity.
fn severity_rank(column: &str) -> String {
    format!("CASE {column} WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END")
}
