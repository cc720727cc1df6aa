//! Maintained counts of exchanges by status, so the dashboard's "exchanges by status" and
//! "open exchanges 1–50 of N" do not read every exchange ever stored.
//!
//! An exchange's status is a step function of the day (the rule of the status query in
//! [`crate::overview`]): a draft until its sale, the sale closed on day 0, the
//! identification period to day 45, then the acquisition period, and the verdict's phase from
//! the day it settles the exchange; a closed exchange is in its closing phase on every day.
//! Each write of an exchange's summary (same transaction) takes back the steps counted for
//! it before and adds its new ones to `exchange_status_days` (firm, first day, status, count
//! change); the number in a status on a day is the sum of the changes up to that day. What is
//! read is bounded by the days on which some status changes (at most a few per calendar day),
//! not by the number of exchanges.
//!
//! Open exchanges without a transfer date have no clock: they are counted under
//! `draft:undated` / `relinquished_closed:undated` (shown as their status, not counted as
//! having a running deadline).

use crate::Result;
use jiff::civil::Date;
use likekind_core::calendar::add_days;
use sqlx::{Any, Row, Transaction};

/// The stored inputs of the status rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StatusInputs {
    /// `draft`, `relinquished_closed`, `completed`, `failed` (the recorded phase).
    pub phase: String,
    pub first_transfer: Option<Date>,
    pub identification_end: Option<Date>,
    pub settled: Option<(String, Date)>,
}

/// The columns that say what the firm's counts hold for an exchange, as its row stores
/// them (read with the row's lock).
pub(crate) const COUNTED_COLS: &str =
    "counted_phase, first_transfer, identification_end, settled_phase, settled_from";

/// What was counted for an exchange ([`COUNTED_COLS`] of its row): nothing when it was never
/// counted.
pub(crate) fn counted_of(r: &sqlx::any::AnyRow) -> Result<Option<StatusInputs>> {
    let day = |c: &str| -> Result<Option<Date>> {
        let v: Option<String> = r.try_get(c)?;
        Ok(v.and_then(|v| v.parse().ok()))
    };
    let Some(phase) = r.try_get::<Option<String>, _>("counted_phase")? else {
        return Ok(None);
    };
    Ok(Some(StatusInputs {
        phase,
        first_transfer: day("first_transfer")?,
        identification_end: day("identification_end")?,
        settled: match (
            r.try_get::<Option<String>, _>("settled_phase")?,
            day("settled_from")?,
        ) {
            (Some(p), Some(d)) => Some((p, d)),
            _ => None,
        },
    }))
}

/// The status key on `day` (the overview's rule; undated open exchanges get their own key).
pub(crate) fn status_on(x: &StatusInputs, day: Date) -> &'static str {
    match x.phase.as_str() {
        "completed" => return "completed",
        "failed" => return "failed",
        _ => {}
    }
    if let Some((p, from)) = &x.settled
        && *from <= day
    {
        return crate::stored_forms::static_word(p);
    }
    let draft = x.phase == "draft";
    match (x.first_transfer, x.identification_end) {
        (None, _) | (_, None) if draft => "draft:undated",
        (None, _) | (_, None) => "relinquished_closed:undated",
        (Some(f), _) if draft && f > day => "draft",
        (Some(f), _) if f >= day => "relinquished_closed",
        (_, Some(i)) if i >= day => "identification_period",
        _ => "acquisition",
    }
}

/// The steps of the status function: (first day, status), the first from the beginning of
/// time (`None`).
pub(crate) fn steps(x: &StatusInputs) -> Vec<(Option<Date>, &'static str)> {
    let mut days: Vec<Date> = Vec::with_capacity(4);
    if let Some(f) = x.first_transfer {
        days.extend([f, add_days(f, 1)]);
    }
    if let Some(i) = x.identification_end {
        days.push(add_days(i, 1));
    }
    if let Some((_, s)) = &x.settled {
        days.push(*s);
    }
    days.sort();
    days.dedup();
    let mut out = vec![(None, status_on(x, Date::MIN))];
    for d in days {
        let s = status_on(x, d);
        if out.last().is_some_and(|(_, last)| *last != s) {
            out.push((Some(d), s));
        }
    }
    out
}

/// The count changes of `x`'s steps, times `sign` (+1 to count, -1 to take back).
fn changes(x: &StatusInputs, sign: i64, out: &mut Vec<(String, &'static str, i64)>) {
    let st = steps(x);
    for (k, (day, s)) in st.iter().enumerate() {
        let day = day.map_or_else(
            || crate::stored_forms::NO_START.to_string(),
            |d| d.to_string(),
        );
        if k > 0 {
            out.push((day.clone(), st[k - 1].1, -sign));
        }
        out.push((day, s, sign));
    }
}

/// Applies to the firm's counts: take back `old` (what was counted for the exchange, if
/// anything), count `new`. The changes are netted and written in one order (firm, day,
/// status) so concurrent writers lock the count rows in the same order.
pub(crate) async fn apply(
    tx: &mut Transaction<'_, Any>,
    firm_id: &str,
    old: Option<&StatusInputs>,
    new: &StatusInputs,
) -> Result<()> {
    let mut net = Net::default();
    net.change(old, new);
    net.write(tx, firm_id).await
}

/// Count rows per statement (four values each) when many are written at once.
const UPSERTS_PER_STATEMENT: usize = 200;

/// The count changes of one firm, netted and written at once: one exchange's (taken back and
/// counted again), or a whole batch's (a bulk import, the summaries' refresh), where the
/// exchanges share steps and one statement carries many rows.
#[derive(Debug, Default)]
pub(crate) struct Net(std::collections::BTreeMap<(String, &'static str), i64>);

impl Net {
    /// Counts a new exchange's steps.
    pub(crate) fn count(&mut self, x: &StatusInputs) {
        self.add(x, 1);
    }

    /// An exchange whose counted inputs go from `old` (nothing when it was never counted) to
    /// `new`: takes back the one and counts the other (nothing when they are the same).
    pub(crate) fn change(&mut self, old: Option<&StatusInputs>, new: &StatusInputs) {
        if old == Some(new) {
            return;
        }
        if let Some(o) = old {
            self.add(o, -1);
        }
        self.add(new, 1);
    }

    /// Counts an exchange's steps (`sign` +1), or takes back what was counted for it (-1).
    fn add(&mut self, x: &StatusInputs, sign: i64) {
        let mut ch = Vec::with_capacity(8);
        changes(x, sign, &mut ch);
        for (day, status, n) in ch {
            *self.0.entry((day, status)).or_default() += n;
        }
    }

    /// Writes the netted changes in (day, status) order, so that concurrent writers lock the
    /// count rows in the same order.
    pub(crate) async fn write(self, tx: &mut Transaction<'_, Any>, firm_id: &str) -> Result<()> {
        let rows: Vec<_> = self.0.into_iter().filter(|e| e.1 != 0).collect();
        for chunk in rows.chunks(UPSERTS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO exchange_status_days (firm_id, from_day, status, n) VALUES {} \
                 ON CONFLICT (firm_id, from_day, status) DO UPDATE SET n = exchange_status_days.n + excluded.n",
                crate::rows::placeholders(chunk.len(), 4)
            );
            let mut q = sqlx::query(&sql);
            for ((day, status), n) in chunk {
                q = q.bind(firm_id).bind(day.as_str()).bind(*status).bind(*n);
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }
}

impl crate::Store {
    /// Counts the exchanges whose status steps were never counted (`counted_phase` NULL with
    /// a current summary: e.g. rows changed in bulk outside the store, after which the count
    /// rows were cleared), a batch per transaction, without running the engine. Runs when the
    /// store opens; returns how many it counted.
    ///
    /// # Errors
    /// A database failure.
    pub async fn count_uncounted(&self) -> Result<u64> {
        const BATCH: i64 = 2000;
        let mut done = 0u64;
        loop {
            let mut tx = self.begin_write().await?;
            let rows = sqlx::query(&format!(
                "UPDATE exchanges SET counted_phase = phase WHERE id IN (SELECT id FROM exchanges \
                 WHERE counted_phase IS NULL AND summary_version = $1 ORDER BY id LIMIT $2) \
                 AND counted_phase IS NULL RETURNING firm_id, {COUNTED_COLS}"
            ))
            .bind(crate::stored_forms::SUMMARY_VERSION)
            .bind(BATCH)
            .fetch_all(&mut *tx)
            .await?;
            let n = rows.len();
            // Net the changes of the whole batch per firm, day and status.
            let mut nets: std::collections::BTreeMap<String, Net> =
                std::collections::BTreeMap::new();
            for r in &rows {
                if let Some(x) = counted_of(r)? {
                    nets.entry(r.try_get("firm_id")?).or_default().count(&x);
                }
            }
            for (firm, net) in nets {
                net.write(&mut tx, &firm).await?;
            }
            tx.commit().await?;
            done += n as u64;
            if i64::try_from(n).unwrap_or(0) < BATCH {
                return Ok(done);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use jiff::civil::date;

    fn inputs(phase: &str, f: Option<Date>, settled: Option<(&str, Date)>) -> StatusInputs {
        StatusInputs {
            phase: phase.into(),
            first_transfer: f,
            identification_end: f.map(|f| add_days(f, 45)),
            settled: settled.map(|(p, d)| (p.to_string(), d)),
        }
    }

    /// The steps give the rule's status on every day around the dates.
    #[test]
    fn steps_follow_the_rule_on_every_day() {
        let f = date(2026, 3, 2);
        let cases = [
            inputs("draft", Some(f), None),
            inputs("relinquished_closed", Some(f), None),
            inputs("draft", Some(f), Some(("completed", date(2026, 4, 1)))),
            inputs("draft", Some(f), Some(("failed", add_days(f, 46)))),
            inputs("draft", Some(f), Some(("partly_completed", f))),
            inputs("draft", None, None),
            inputs("relinquished_closed", None, None),
            inputs("completed", Some(f), Some(("failed", add_days(f, 46)))),
            inputs("failed", None, None),
        ];
        for x in &cases {
            let st = steps(x);
            let mut day = add_days(f, -5);
            while day <= add_days(f, 200) {
                let by_steps = st.iter().rev().find(|(d, _)| d.is_none_or(|d| d <= day));
                assert_eq!(by_steps.unwrap().1, status_on(x, day), "{x:?} on {day}");
                day = add_days(day, 1);
            }
        }
    }
}
