//! The stored summary of an exchange: its deadline dates and the dated inputs of its alerts,
//! derived from the engine whenever the exchange's file or phase is written (in the same
//! transaction), so the dashboard and the alerts read them with a query instead of running
//! the engine on every open exchange for every page view.
//!
//! The engine stays the source of truth. Its identification findings depend on the date it
//! judges at only through comparisons with the exchange's own milestone dates (day 45, the
//! exchange end, the reverse-exchange dates), so the engine is run once on each side of each
//! of those dates and every finding is stored with the days it holds (`active_from` to
//! `active_to`). What depends on today is then a date comparison in SQL; what depends on the
//! ledger (idle funds) is checked against the balance when read.
//!
//! [`SUMMARY_VERSION`] names this derivation: rows computed by an older one (or none, as after
//! the migration that added the summary) are recomputed when the store opens.

use crate::{ExchangeRow, Phase, Result, Store};
use jiff::civil::Date;
use likekind_core::analyze::figures;
use likekind_core::calendar::add_days;
use likekind_core::deadlines::{self, Deadlines};
use likekind_core::explain::Trace;
use likekind_core::findings::{Findings, Severity};
use likekind_core::model::ExchangeFile;
use likekind_core::timeline;
use sqlx::{Any, Row, Transaction};

pub use crate::stored_forms::SUMMARY_VERSION;
pub(crate) use crate::stored_forms::{NO_START, static_word};
/// "No upper bound" as a stored date.
pub(crate) const NO_END: &str = "9999-12-31";

/// The summary of one exchange.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The first transfer of relinquished property (the clock's start).
    pub first_transfer: Option<Date>,
    /// The end of the identification period (Reg. 1.1031(k)-1(b)(2)(i)).
    pub identification_end: Option<Date>,
    /// The end of the exchange period (Reg. 1.1031(k)-1(b)(2)(ii)).
    pub exchange_end: Option<Date>,
    /// The alert inputs, in the order the alerts list them for one exchange.
    pub milestones: Vec<Milestone>,
    /// The engine's qualification verdict on the file as it stands (`exchange`,
    /// `partial_exchange`, `taxable_sale`): the one verdict every figure follows.
    pub verdict: Option<String>,
    /// The engine's recognized gain for that verdict.
    pub recognized_gain: Option<rust_decimal::Decimal>,
    /// The phase the engine's verdict settles the exchange in, and from which day.
    pub settled: Option<Settled>,
    /// The verdict in a sentence or two (the engine's qualification summary), as the API's
    /// exchange view shows it.
    pub verdict_summary: Option<String>,
    /// The engine's deadlines as the API's exchange view writes them (JSON).
    pub deadlines_json: Option<String>,
}

/// Where the engine's verdict leaves an exchange once nothing can change it any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settled {
    /// `completed`, `partly_completed` or `failed`.
    pub phase: &'static str,
    /// The first day it holds.
    pub from: Date,
}

/// The phase the engine's verdict settles an exchange in (`report` judged once the exchange
/// period is over, or at the file's own date), and from which day:
///
/// - nothing validly identified by day 45 (and nothing received in time that counts as
///   identified): **failed** from day 46, the day the funds may go back (Reg.
///   1.1031(k)-1(g)(6)(ii));
/// - every identified property received: **completed** (a like-kind exchange),
///   **partly completed** (a partial exchange) or **failed** (a taxable sale) from the last
///   receipt (never before the sale), the day (g)(6)(iii)(A) lets the funds go;
/// - otherwise the same words from the day after the exchange period ends.
///
/// `None` while the verdict is not settled (a file judged at its own date inside the
/// exchange period).
pub fn settled_of(
    f: &ExchangeFile,
    d: &Deadlines,
    report: &likekind_core::analyze::Figures,
) -> Option<Settled> {
    use likekind_core::qualification::Outcome;
    let q = &report.qualification;
    // The (g)(6) dates whoever holds the funds (the report shows them only under a safe
    // harbor): the tracker judges its exchange account by them.
    let all_received = report
        .release_limits()
        .and_then(|c| c.if_all_identified_received)
        .map(|r| r.max(d.first_transfer));
    let after_end = q.settled.then(|| add_days(d.exchange_end, 1));
    let phase = match q.outcome {
        Outcome::Exchange => "completed",
        Outcome::PartialExchange => "partly_completed",
        Outcome::TaxableSale => {
            let day46 = add_days(d.identification_end, 1);
            if !identification_problems(f, day46).0 {
                return Some(Settled {
                    phase: "failed",
                    from: day46,
                });
            }
            "failed"
        }
    };
    // Never later than the day after the exchange period: nothing can change the verdict
    // then (Reg. 1.1031(k)-1(b)(2)). The deadline list relies on it: an exchange not settled
    // on a day is still inside its exchange period on that day.
    let last = add_days(d.exchange_end, 1);
    all_received.or(after_end).map(|from| Settled {
        phase,
        from: from.min(last),
    })
}

/// The file as the tracker judges it: every exchange on the tracker's own today (the
/// server's clock), never on the date a stored file may carry in `exchange.as_of` (a date the
/// command line's reports are judged at, which may lie in the future). The stored file keeps
/// it as the person sent it; only the judging ignores it.
pub fn tracked(mut f: ExchangeFile) -> ExchangeFile {
    f.exchange.as_of = None;
    f
}

/// [`settled_of`] for a file alone (runs the engine as [`summarize`] does; the file's own
/// `as_of` does not count, see [`tracked`]).
pub fn settled_of_file(f: &ExchangeFile) -> Option<Settled> {
    let d = deadlines::inputs_of(f).map(|i| deadlines::dates(&i))?;
    let report = figures(f, add_days(d.exchange_end, 1));
    settled_of(f, &d, &report)
}

/// One dated input of the alerts: it applies on the days from `active_from` to `active_to`
/// (`None`: unbounded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    /// `deadline_upcoming`, `deadline_missed`, `not_closed`, `identification_problem`,
    /// `idle_funds`.
    pub kind: &'static str,
    /// The engine milestone (`identification_end`, `exchange_end`) or finding code it is
    /// about.
    pub milestone: String,
    /// `error`, `warning`, `info`.
    pub severity: &'static str,
    /// The date the alert is about.
    pub on_date: Option<Date>,
    pub active_from: Option<Date>,
    pub active_to: Option<Date>,
    /// The alert's words where they do not depend on today or the balance (empty otherwise:
    /// the server words those when it reads them).
    pub message: String,
}

impl Milestone {
    /// Whether it applies on `today`.
    pub fn active_on(&self, today: Date) -> bool {
        self.active_from.is_none_or(|f| f <= today) && self.active_to.is_none_or(|t| today <= t)
    }
}

/// The engine's identification problems (error findings about identification) as of `as_of`,
/// as the alerts word them; also whether the identification is valid.
fn identification_problems(f: &ExchangeFile, as_of: Date) -> (bool, Vec<(String, String)>) {
    let mut fx = Findings::default();
    // The steps are not read: none is recorded.
    let tl = timeline::build(f, as_of, &mut Trace::with_words(false), &mut fx);
    let valid = tl.identification.as_ref().is_some_and(|i| i.valid);
    let problems =
        fx.0.into_iter()
            .filter(|x| x.code.contains("identif") && x.severity == Severity::Error)
            .map(|x| {
                (
                    x.code.into_owned(),
                    format!("{} ({})", x.message, x.authority),
                )
            })
            .collect();
    (valid, problems)
}

/// The dates on which the engine's judgement may change: its milestones (deadlines, reverse
/// exchange dates, the release of funds) as computed for `probe`.
fn breakpoints(f: &ExchangeFile, d: &Deadlines, probe: Date) -> Vec<Date> {
    // Only the milestones' dates are read: no step or message is written.
    let mut fx = Findings::with_words(false);
    let tl = timeline::build(f, probe, &mut Trace::with_words(false), &mut fx);
    let mut out = vec![d.first_transfer, d.identification_end, d.exchange_end];
    if let Some(st) = &tl.status {
        out.extend(st.items.iter().map(|i| i.milestone.date));
    }
    out.sort();
    out.dedup();
    out
}

/// A finding (code, words) and the days it holds (from, to; `None`: unbounded).
type Run = (String, String, Option<Date>, Option<Date>);

/// The code of the identification problem the tracker words itself: nothing validly
/// identified once day 45 has passed.
pub const NO_VALID_IDENTIFICATION: &str = "identification_end";

/// One identification problem per exchange on a day: one late identification makes the engine
/// say that the property was identified late, that nothing valid was identified, and the
/// tracker that day 45 passed without a valid identification; one alert says it, the first
/// the engine lists (every one is an error), or the tracker's own words when the engine lists
/// none.
fn one_cause(
    now: Vec<(String, String)>,
    valid: bool,
    day: Date,
    d: &Deadlines,
) -> Vec<(String, String)> {
    let first = now.into_iter().next();
    match first {
        Some(p) => vec![p],
        None if !valid && day > d.identification_end => vec![(
            NO_VALID_IDENTIFICATION.to_string(),
            no_valid_identification(d.identification_end),
        )],
        None => Vec::new(),
    }
}

/// The tracker's words for nothing validly identified by day 45.
pub fn no_valid_identification(identification_end: Date) -> String {
    format!(
        "No valid identification by the end of the identification period ({identification_end})"
    )
}

/// The words of an exchange still open after its exchange period: what the status shows
/// then is the engine's verdict (`settled`), so the alert says that verdict and what to
/// record, never that the exchange is neither completed nor failed.
pub fn exchange_period_over(exchange_end: Date, settled: Option<&str>) -> String {
    match settled {
        Some(p @ ("completed" | "partly_completed")) => format!(
            "The exchange period ended on {exchange_end} and the exchange reads as {}, but it has not been closed: record it as completed",
            p.replace('_', " ")
        ),
        Some("failed") => format!(
            "The exchange period ended on {exchange_end} and the exchange reads as failed, but it has not been closed: record it as failed"
        ),
        _ => format!(
            "The exchange period ended on {exchange_end} and the exchange is not marked completed or failed"
        ),
    }
}

/// The identification problems with the days each holds. The engine compares the date it
/// judges at with its milestone dates (`>` or `>=`), so its answer is the same on every day
/// from one of `b - 1`, `b`, `b + 1` (for each milestone date `b`) to the next: those days
/// are the samples, and each sample's answer holds until the day before the next sample.
fn problems_over_time(f: &ExchangeFile, d: &Deadlines) -> (bool, Vec<Run>) {
    let bs = breakpoints(f, d, d.first_transfer);
    let mut samples: Vec<Date> = Vec::with_capacity(bs.len() * 2 + 1);
    for b in &bs {
        samples.extend([add_days(*b, -1), *b, add_days(*b, 1)]);
    }
    samples.sort();
    samples.dedup();
    let mut valid = false;
    // (code, message, from, to) of runs; `open` holds the index of each run still going.
    let mut runs: Vec<Run> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    // The runs in the order the engine lists them.
    let mut order: Vec<usize> = Vec::new();
    for (k, s) in samples.iter().enumerate() {
        let (v, now) = identification_problems(f, *s);
        valid = v;
        let now = one_cause(now, v, *s, d);
        let from = if k == 0 { None } else { Some(*s) };
        let prev_end = if k == 0 { None } else { Some(add_days(*s, -1)) };
        // Close the runs that stop here.
        open.retain(|&i| {
            let keep = now.iter().any(|(c, m)| runs[i].0 == *c && runs[i].1 == *m);
            if !keep {
                runs[i].3 = prev_end;
            }
            keep
        });
        // Keep the engine's order: a new run goes right after the finding the engine lists
        // before it on this day (or first).
        let mut pos = 0usize;
        for (c, m) in now {
            match open.iter().find(|&&i| runs[i].0 == c && runs[i].1 == m) {
                Some(&i) => {
                    if let Some(p) = order.iter().position(|&o| o == i) {
                        pos = p + 1;
                    }
                }
                None => {
                    runs.push((c, m, from, None));
                    open.push(runs.len() - 1);
                    order.insert(pos.min(order.len()), runs.len() - 1);
                    pos += 1;
                }
            }
        }
    }
    let mut slots: Vec<Option<Run>> = runs.into_iter().map(Some).collect();
    (
        valid,
        order.iter().filter_map(|&i| slots[i].take()).collect(),
    )
}

/// Derives the summary of an exchange from its stored file and phase. A file that does not
/// read (the server validates every file it stores) has no deadlines and no alerts.
pub fn summarize(file: &str, phase: Phase) -> Summary {
    let Ok(f) = serde_json::from_str::<ExchangeFile>(file).map(tracked) else {
        return Summary::default();
    };
    let Some(d) = deadlines::inputs_of(&f).map(|i| deadlines::dates(&i)) else {
        return Summary::default();
    };
    // The verdict on the file as it stands, once the exchange period is over (what property
    // qualifies does not depend on the day it is judged; the file's own `as_of` does not
    // count in the tracker). The verdict and its figures only: the steps and the findings'
    // words are not stored.
    let report = figures(&f, add_days(d.exchange_end, 1));
    let mut s = Summary {
        first_transfer: Some(d.first_transfer),
        identification_end: Some(d.identification_end),
        exchange_end: Some(d.exchange_end),
        milestones: Vec::new(),
        verdict: Some(outcome_code(report.qualification.outcome).to_string()),
        recognized_gain: Some(report.gain.recognized.into()),
        settled: settled_of(&f, &d, &report),
        verdict_summary: Some(report.qualification.summary.to_string()),
        deadlines_json: serde_json::to_string(&d).ok(),
    };
    // The (g)(6) date the funds may go back to the taxpayer, on the same judgement.
    let release = report
        .release_limits()
        .map_or(d.exchange_end, |c| c.earliest.earliest);
    if !matches!(phase, Phase::Draft | Phase::RelinquishedClosed) {
        // A completed or failed exchange raises no alerts.
        return s;
    }
    let (valid, problems) = problems_over_time(&f, &d);
    // The status shows the settled verdict from its day on, at the latest the day after the
    // exchange period (see `settled_of`).
    let settled_phase = s
        .settled
        .as_ref()
        .filter(|x| x.from <= add_days(d.exchange_end, 1))
        .map(|x| x.phase);
    let after = |x: Date| Some(add_days(x, 1));
    // A countdown stops the day before the verdict settles the exchange: a deadline that
    // no longer matters is not counted down to.
    let stop = s.settled.map(|x| add_days(x.from, -1));
    let until = |x: Date| Some(stop.map_or(x, |t| t.min(x)));
    let ms = &mut s.milestones;
    // A deadline coming up: shown from `within` days before it to the day itself. Day 45 is
    // no longer a worry once a valid identification names property.
    if !valid || f.identified.is_empty() {
        ms.push(Milestone {
            kind: "deadline_upcoming",
            milestone: "identification_end".into(),
            severity: "warning",
            on_date: Some(d.identification_end),
            active_from: None,
            active_to: until(d.identification_end),
            message: String::new(),
        });
    }
    ms.push(Milestone {
        kind: "deadline_upcoming",
        milestone: "exchange_end".into(),
        severity: "warning",
        on_date: Some(d.exchange_end),
        active_from: None,
        active_to: until(d.exchange_end),
        message: String::new(),
    });
    // Open after the exchange period ended (a draft whose sale date passed included): not
    // closed as completed or failed. When the verdict reads as completed (all the identified
    // property received), no deadline was missed: only the record is behind, a warning.
    let (kind, severity) = match settled_phase {
        Some("completed" | "partly_completed") => ("not_closed", "warning"),
        _ => ("deadline_missed", "error"),
    };
    ms.push(Milestone {
        kind,
        milestone: "exchange_end".into(),
        severity,
        on_date: Some(d.exchange_end),
        active_from: after(d.exchange_end),
        active_to: None,
        message: exchange_period_over(d.exchange_end, settled_phase),
    });
    // One identification problem a day (see `one_cause`), dated day 45: every one of them is
    // about what was (or was not) identified by the end of the identification period (Reg.
    // 1.1031(k)-1(b)(2)(i), (c)), the date its words name.
    for (code, message, from, to) in problems {
        ms.push(Milestone {
            kind: "identification_problem",
            on_date: Some(d.identification_end),
            milestone: code,
            severity: "error",
            active_from: from,
            active_to: to,
            message,
        });
    }
    // Funds still held after the day they could go back to the taxpayer (for a failed
    // exchange day 46, for a completed one the last receipt, at the latest the day after
    // the exchange period): only while the ledger holds a balance, checked when read.
    ms.push(Milestone {
        kind: "idle_funds",
        milestone: "funds_release".into(),
        severity: "warning",
        on_date: Some(release),
        active_from: after(release),
        active_to: None,
        message: String::new(),
    });
    s
}

/// The contract name of an outcome (as the JSON report spells it).
pub fn outcome_code(o: likekind_core::qualification::Outcome) -> &'static str {
    use likekind_core::qualification::Outcome;
    match o {
        Outcome::Exchange => "exchange",
        Outcome::PartialExchange => "partial_exchange",
        Outcome::TaxableSale => "taxable_sale",
    }
}

fn day(d: Option<Date>, none: &str) -> String {
    d.map_or_else(|| none.to_string(), |d| d.to_string())
}

/// Computes and writes the summary of `ex` (as it now stands in this transaction): the dates
/// on its row and its milestones. Every write of an exchange's file or phase calls it.
pub(crate) async fn write(tx: &mut Transaction<'_, Any>, ex: &ExchangeRow) -> Result<()> {
    let s = summarize(&ex.file, ex.phase);
    write_summary(tx, ex, &s).await?;
    Ok(())
}

/// Writes the summaries of exchanges inserted earlier in this transaction, computed outside
/// it (the bulk import summarizes in parallel first): the same rows as [`write`], without
/// reading what was counted for them or clearing rows they cannot have yet. Their count
/// changes go to `counts`, which the caller writes before the transaction ends.
pub(crate) async fn write_computed(
    tx: &mut Transaction<'_, Any>,
    written: &[(&ExchangeRow, &Summary)],
    counts: &mut crate::counts::Net,
) -> Result<()> {
    for (ex, s) in written {
        counts.count(&status_inputs(ex, s));
    }
    write_rows(tx, written).await
}

/// The summaries' rows of exchanges locked (or inserted) in this transaction that have no
/// milestones or search words stored: their row's columns, milestones and words, a few
/// statements for all of them.
async fn write_rows(
    tx: &mut Transaction<'_, Any>,
    written: &[(&ExchangeRow, &Summary)],
) -> Result<()> {
    // Every row is still at the version read (locked, or inserted in this transaction).
    if update_rows(tx, written).await? != written.len() as u64 {
        return Err(crate::StoreError::Conflict(
            "an exchange changed while its summary was written".into(),
        ));
    }
    let exs: Vec<&ExchangeRow> = written.iter().map(|(ex, _)| *ex).collect();
    crate::terms::insert(tx, &exs).await?;
    insert_milestones(tx, written).await
}

/// Writes a computed summary; `false` when the exchange is no longer at `ex.version` (a
/// concurrent write stored its own summary).
async fn write_summary(
    tx: &mut Transaction<'_, Any>,
    ex: &ExchangeRow,
    s: &Summary,
) -> Result<bool> {
    // Lock the row (a no-op update) and read what was counted for it before.
    let Some(old) = sqlx::query(&format!(
        "UPDATE exchanges SET summary_version = summary_version WHERE id = $1 AND version = $2 \
         RETURNING {}",
        crate::counts::COUNTED_COLS
    ))
    .bind(&ex.id)
    .bind(ex.version)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(false);
    };
    let counted = crate::counts::counted_of(&old)?;
    let now = status_inputs(ex, s);
    crate::counts::apply(tx, &ex.firm_id, counted.as_ref(), &now).await?;
    rewrite_rows(tx, &[(ex, s)]).await?;
    Ok(true)
}

/// [`write_rows`] for exchanges locked in this transaction that may have milestones and
/// search words stored: those are cleared first.
async fn rewrite_rows(
    tx: &mut Transaction<'_, Any>,
    written: &[(&ExchangeRow, &Summary)],
) -> Result<()> {
    let ids: Vec<&str> = written.iter().map(|(ex, _)| ex.id.as_str()).collect();
    for table in ["exchange_milestones", "exchange_terms"] {
        for chunk in ids.chunks(crate::rows::IN_LIST) {
            let sql = format!(
                "DELETE FROM {table} WHERE exchange_id IN ({})",
                crate::rows::list(1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut **tx).await?;
        }
    }
    write_rows(tx, written).await
}

/// What the firm's counts take from an exchange and its summary.
fn status_inputs(ex: &ExchangeRow, s: &Summary) -> crate::counts::StatusInputs {
    crate::counts::StatusInputs {
        phase: ex.phase.as_str().to_string(),
        first_transfer: s.first_transfer,
        identification_end: s.identification_end,
        settled: s.settled.map(|x| (x.phase.to_string(), x.from)),
    }
}

/// Exchange rows per statement when a batch's summaries are written at once (twelve values
/// each).
const ROWS_PER_UPDATE: usize = 100;

/// The summaries' columns on the exchanges' rows, a statement per hundred rows; how many rows
/// were still at their version. The values travel as a `VALUES` list (columns `column1`… in SQLite and
/// PostgreSQL alike), each cast to its column's type so PostgreSQL does not read them as text.
async fn update_rows(
    tx: &mut Transaction<'_, Any>,
    written: &[(&ExchangeRow, &Summary)],
) -> Result<u64> {
    let mut n = 0;
    for chunk in written.chunks(ROWS_PER_UPDATE) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let p = |c: usize| format!("${}", 2 + r * 12 + c);
                let text = |c: usize| format!("CAST({} AS TEXT)", p(c));
                format!(
                    "({}, CAST({} AS BIGINT), {})",
                    text(0),
                    p(1),
                    (2..12).map(text).collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
        let sql = format!(
            "UPDATE exchanges SET summary_version = $1, first_transfer = v.column3, \
             identification_end = v.column4, exchange_end = v.column5, verdict = v.column6, \
             recognized_gain = v.column7, settled_phase = v.column8, settled_from = v.column9, \
             counted_phase = v.column10, verdict_summary = v.column11, deadlines_json = v.column12 \
             FROM (VALUES {}) AS v WHERE exchanges.id = v.column1 AND exchanges.version = v.column2",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(SUMMARY_VERSION);
        for (ex, s) in chunk {
            q = q
                .bind(&ex.id)
                .bind(ex.version)
                .bind(s.first_transfer.map(|d| d.to_string()))
                .bind(s.identification_end.map(|d| d.to_string()))
                .bind(s.exchange_end.map(|d| d.to_string()))
                .bind(s.verdict.clone())
                .bind(s.recognized_gain.map(|g| g.to_string()))
                .bind(s.settled.map(|x| x.phase))
                .bind(s.settled.map(|x| x.from.to_string()))
                .bind(ex.phase.as_str())
                .bind(s.verdict_summary.clone())
                .bind(s.deadlines_json.clone());
        }
        n += q.execute(&mut **tx).await?.rows_affected();
    }
    Ok(n)
}

/// Milestone rows per statement (eleven values each; see [`crate::rows`]).
const MILESTONES_PER_INSERT: usize = 50;

/// Inserts the milestones of the exchanges' summaries (none stored yet), a few statements
/// for all of them.
async fn insert_milestones(
    tx: &mut Transaction<'_, Any>,
    written: &[(&ExchangeRow, &Summary)],
) -> Result<()> {
    let rows: Vec<(&ExchangeRow, usize, &Milestone)> = written
        .iter()
        .flat_map(|(ex, s)| {
            s.milestones
                .iter()
                .enumerate()
                .map(|(seq, m)| (*ex, seq, m))
        })
        .collect();
    for chunk in rows.chunks(MILESTONES_PER_INSERT) {
        let sql = format!(
            "INSERT INTO exchange_milestones (exchange_id, seq, firm_id, kind, milestone, severity, \
             on_date, active_from, active_to, message, held) VALUES {}",
            crate::rows::placeholders(chunk.len(), 11)
        );
        let mut q = sqlx::query(&sql);
        for (ex, seq, m) in chunk {
            // Idle funds are held while the exchange holds a balance.
            let held = i64::from(ex.balance_cents > 0 && m.kind == "idle_funds");
            q = q
                .bind(&ex.id)
                .bind(i64::try_from(*seq).unwrap_or(i64::MAX))
                .bind(&ex.firm_id)
                .bind(m.kind)
                .bind(&m.milestone)
                .bind(m.severity)
                .bind(m.on_date.map(|d| d.to_string()))
                .bind(day(m.active_from, NO_START))
                .bind(day(m.active_to, NO_END))
                .bind(&m.message)
                .bind(held);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

impl Store {
    /// Computes the summary of every exchange that has none or one from an older derivation
    /// (after the migration that added it, or an engine upgrade), a batch per transaction.
    /// Runs when the store opens; returns how many it computed.
    ///
    /// # Errors
    /// A database failure.
    pub async fn refresh_summaries(&self) -> Result<u64> {
        self.refresh_summaries_with(|_| ()).await
    }

    /// How many exchanges have no summary of the current derivation. Whether there is any
    /// is asked first (a look that stops at the first one), so a server with nothing to
    /// refresh does not also count; the count is for the progress shown while refreshing.
    ///
    /// # Errors
    /// A database failure.
    pub async fn outdated_summaries(&self) -> Result<u64> {
        let any = sqlx::query("SELECT 1 FROM exchanges WHERE summary_version <> $1 LIMIT 1")
            .bind(SUMMARY_VERSION)
            .fetch_optional(&self.reader)
            .await?;
        if any.is_none() {
            return Ok(0);
        }
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM exchanges WHERE summary_version <> $1")
            .bind(SUMMARY_VERSION)
            .fetch_one(&self.reader)
            .await?
            .try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// [`refresh_summaries`](Self::refresh_summaries), telling `progress` after each batch
    /// how many outdated exchanges it has gone past (refreshed here, or by another server
    /// sharing the database while this one looked).
    ///
    /// # Errors
    /// A database failure.
    pub async fn refresh_summaries_with(&self, mut progress: impl FnMut(u64)) -> Result<u64> {
        const BATCH: i64 = 500;
        let mut done = 0u64;
        let mut seen = 0u64;
        let mut after = String::new();
        loop {
            let ids: Vec<String> = sqlx::query(
                "SELECT id FROM exchanges WHERE summary_version <> $1 AND id > $2 ORDER BY id LIMIT $3",
            )
            .bind(SUMMARY_VERSION)
            .bind(&after)
            .bind(BATCH)
            .fetch_all(&self.writer)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<std::result::Result<_, _>>()?;
            let Some(last) = ids.last() else {
                return Ok(done);
            };
            after = last.clone();
            let mut tx = self.begin_write().await?;
            done += refresh_batch(&mut tx, self.backend, &ids).await?;
            tx.commit().await?;
            seen += ids.len() as u64;
            progress(seen);
            if i64::try_from(ids.len()).unwrap_or(0) < BATCH {
                return Ok(done);
            }
        }
    }

    /// The stored summary of an exchange, as written (for checks against the engine).
    ///
    /// # Errors
    /// [`crate::StoreError::NotFound`]; a database failure.
    pub async fn stored_summary(&self, firm_id: &str, id: &str) -> Result<(i64, Summary)> {
        let r = sqlx::query(
            "SELECT summary_version, first_transfer, identification_end, exchange_end, verdict, \
             recognized_gain, settled_phase, settled_from, verdict_summary, deadlines_json \
             FROM exchanges WHERE firm_id = $1 AND id = $2",
        )
        .bind(firm_id)
        .bind(id)
        .fetch_optional(&self.reader)
        .await?
        .ok_or(crate::StoreError::NotFound)?;
        let version: i64 = r.try_get("summary_version")?;
        let date = |c: &str| -> Result<Option<Date>> {
            let s: Option<String> = r.try_get(c)?;
            Ok(s.and_then(|s| s.parse().ok()))
        };
        let mut s = Summary {
            first_transfer: date("first_transfer")?,
            identification_end: date("identification_end")?,
            exchange_end: date("exchange_end")?,
            milestones: Vec::new(),
            verdict: r.try_get("verdict")?,
            recognized_gain: r
                .try_get::<Option<String>, _>("recognized_gain")?
                .and_then(|g| g.parse().ok()),
            settled: None,
            verdict_summary: r.try_get("verdict_summary")?,
            deadlines_json: r.try_get("deadlines_json")?,
        };
        let settled_phase: Option<String> = r.try_get("settled_phase")?;
        if let (Some(p), Some(from)) = (settled_phase, date("settled_from")?) {
            s.settled = Some(Settled {
                phase: static_word(&p),
                from,
            });
        }
        let rows = sqlx::query(
            "SELECT kind, milestone, severity, on_date, active_from, active_to, message \
             FROM exchange_milestones WHERE exchange_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.reader)
        .await?;
        for r in &rows {
            let bound = |c: &str, none: &str| -> Result<Option<Date>> {
                let s: String = r.try_get(c)?;
                Ok(if s == none { None } else { s.parse().ok() })
            };
            let on: Option<String> = r.try_get("on_date")?;
            s.milestones.push(Milestone {
                kind: static_word(&r.try_get::<String, _>("kind")?),
                milestone: r.try_get("milestone")?,
                severity: static_word(&r.try_get::<String, _>("severity")?),
                on_date: on.and_then(|s| s.parse().ok()),
                active_from: bound("active_from", NO_START)?,
                active_to: bound("active_to", NO_END)?,
                message: r.try_get("message")?,
            });
        }
        Ok((version, s))
    }
}

/// Recomputes the summaries of the exchanges `ids` that are still out of date, in the
/// caller's transaction, with a few statements per batch instead of a dozen per exchange
/// (each statement is a round trip to the database): the rows are locked and read at once
/// (with what was counted for each), every exchange is summarized, the firms' count changes
/// are netted, and the milestones and search words of the whole batch are cleared and
/// written together. Returns how many it wrote: an exchange another writer refreshed in the
/// meantime is left to that writer.
async fn refresh_batch(
    tx: &mut Transaction<'_, Any>,
    backend: crate::Backend,
    ids: &[String],
) -> Result<u64> {
    // One statement for the batch. On PostgreSQL the rows are locked in the order of their
    // ids, so two servers refreshing at once never hold rows the other waits for (a lock
    // taken in the plan's order could be); SQLite's writer holds the whole database.
    let sql = if backend == crate::Backend::Postgres {
        format!(
            "SELECT {}, {} FROM exchanges WHERE id IN ({}) AND summary_version <> $1 \
             ORDER BY id FOR UPDATE",
            crate::exchange_row::EX_COLS,
            crate::counts::COUNTED_COLS,
            crate::rows::list(2, ids.len())
        )
    } else {
        format!(
            "UPDATE exchanges SET summary_version = summary_version WHERE id IN ({}) \
             AND summary_version <> $1 RETURNING {}, {}",
            crate::rows::list(2, ids.len()),
            crate::exchange_row::EX_COLS,
            crate::counts::COUNTED_COLS
        )
    };
    let mut q = sqlx::query(&sql).bind(SUMMARY_VERSION);
    for id in ids {
        q = q.bind(id);
    }
    let rows = q.fetch_all(&mut **tx).await?;
    let mut nets: std::collections::BTreeMap<String, crate::counts::Net> =
        std::collections::BTreeMap::new();
    let mut written = Vec::with_capacity(rows.len());
    for r in &rows {
        let ex = crate::exchange_row::exchange_of(r)?;
        let s = summarize(&ex.file, ex.phase);
        let old = crate::counts::counted_of(r)?;
        nets.entry(ex.firm_id.clone())
            .or_default()
            .change(old.as_ref(), &status_inputs(&ex, &s));
        written.push((ex, s));
    }
    let pairs: Vec<(&ExchangeRow, &Summary)> = written.iter().map(|(ex, s)| (ex, s)).collect();
    rewrite_rows(tx, &pairs).await?;
    for (firm, net) in nets {
        net.write(tx, &firm).await?;
    }
    Ok(written.len() as u64)
}

/// A stored settled phase as its word (`completed`, `partly_completed`, `failed`).
pub fn settled_word(s: &str) -> &'static str {
    static_word(s)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use jiff::civil::date;

    /// A relinquished property sold on `transferred` with `identified` (id, fmv, date).
    fn file(transferred: &str, identified: &[(&str, &str, &str)], extra: &str) -> String {
        let ids: Vec<String> = identified
            .iter()
            .map(|(id, fmv, on)| {
                format!(r#"{{"id":"{id}","description":"{id} St","fmv":"{fmv}","identified_on":"{on}"}}"#)
            })
            .collect();
        format!(
            r#"{{"taxpayer":{{"name":"T","entity":"individual"}},{extra}
            "relinquished":[{{"id":"r","description":"1 Main St","location":"CA","acquired":"2015-06-01","transferred":"{transferred}","sale_price":"1000000","adjusted_basis":"400000","liabilities_relieved":"0","exchange_expenses":"0"}}],
            "identified":[{}]}}"#,
            ids.join(",")
        )
    }

    /// The engine's identification problems on `today`, run directly (the reference), in the
    /// engine's order.
    fn engine_on(f: &str, today: Date) -> Vec<(String, String)> {
        let f: ExchangeFile = serde_json::from_str(f).unwrap();
        identification_problems(&tracked(f), today).1
    }

    fn stored_on(s: &Summary, today: Date) -> Vec<(String, String)> {
        s.milestones
            .iter()
            .filter(|m| {
                m.kind == "identification_problem" && m.milestone != NO_VALID_IDENTIFICATION
            })
            .filter(|m| m.active_on(today))
            .map(|m| (m.milestone.clone(), m.message.clone()))
            .collect()
    }

    fn files() -> Vec<String> {
        vec![
            // Nothing identified: invalid once day 45 passes.
            file("2026-01-10", &[], ""),
            // Validly identified.
            file("2026-03-02", &[("elm", "900000", "2026-03-20")], ""),
            // Over-identified (four properties, over 200%): a warning, then an error after
            // the exchange period.
            file(
                "2026-02-01",
                &[
                    ("a", "900000", "2026-02-10"),
                    ("b", "900000", "2026-02-10"),
                    ("c", "900000", "2026-02-10"),
                    ("d", "900000", "2026-02-10"),
                ],
                "",
            ),
            // Identified late.
            file("2026-01-05", &[("late", "900000", "2026-03-30")], ""),
            // The file carries its own date, which the tracker does not judge at: nothing
            // identified, invalid once day 45 passes, whatever the file's date.
            file("2026-01-10", &[], r#""exchange":{"as_of":"2026-03-01"},"#),
        ]
    }

    #[test]
    fn stored_problems_equal_a_fresh_engine_run_on_every_day() {
        for f in files() {
            let s = summarize(&f, Phase::RelinquishedClosed);
            let start = add_days(s.first_transfer.unwrap(), -10);
            let end = add_days(s.exchange_end.unwrap(), 30);
            let mut day = start;
            let mut seen_any = false;
            while day <= end {
                let e = engine_on(&f, day);
                seen_any |= !e.is_empty();
                assert_eq!(stored_on(&s, day), e, "{day} {f}");
                day = add_days(day, 1);
            }
            if !f.contains("elm") {
                assert!(seen_any, "the case exercises a problem: {f}");
            }
        }
    }

    /// Every example exchange file of the repository (reverse exchanges, disasters,
    /// over-identification, late receipts...): the stored problems equal the engine's on
    /// every day from before the sale to after the exchange period.
    #[test]
    fn every_example_file_matches_the_engine_on_every_day() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut n = 0;
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_none_or(|x| x != "toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok(f) = likekind_core::parse_exchange(&text, likekind_core::Format::Toml) else {
                continue;
            };
            let json = serde_json::to_string(&f).unwrap();
            let s = summarize(&json, Phase::RelinquishedClosed);
            let (Some(first), Some(end)) = (s.first_transfer, s.exchange_end) else {
                continue;
            };
            // The deadline list reads "not settled today" as "inside the exchange period".
            if let Some(settled) = &s.settled {
                assert!(settled.from <= add_days(end, 1), "{}", path.display());
            }
            let mut day = add_days(first, -10);
            while day <= add_days(end, 30) {
                assert_eq!(
                    stored_on(&s, day),
                    engine_on(&json, day),
                    "{} on {day}",
                    path.display()
                );
                day = add_days(day, 1);
            }
            n += 1;
        }
        assert!(n >= 10, "only {n} example files checked");
    }

    #[test]
    fn dates_and_dated_alerts_follow_the_engine() {
        let f = file("2026-03-02", &[], "");
        let s = summarize(&f, Phase::RelinquishedClosed);
        let ff: ExchangeFile = serde_json::from_str(&f).unwrap();
        let d = deadlines::dates(&deadlines::inputs_of(&ff).unwrap());
        assert_eq!(s.first_transfer, Some(d.first_transfer));
        assert_eq!(s.identification_end, Some(date(2026, 4, 16)));
        assert_eq!(s.exchange_end, Some(d.exchange_end));
        let kinds: Vec<_> = s.milestones.iter().map(|m| m.kind).collect();
        assert_eq!(
            &kinds[..5],
            &[
                "deadline_upcoming",
                "deadline_upcoming",
                "deadline_missed",
                "identification_problem",
                "idle_funds"
            ]
        );
        // Nothing identified: the verdict fails it from day 46, and the countdown to the
        // exchange end stops the day before.
        assert_eq!(
            s.settled,
            Some(Settled {
                phase: "failed",
                from: date(2026, 4, 17)
            })
        );
        let exchange_end_countdown = s
            .milestones
            .iter()
            .find(|m| m.kind == "deadline_upcoming" && m.milestone == "exchange_end")
            .unwrap();
        assert_eq!(exchange_end_countdown.active_to, Some(date(2026, 4, 16)));
        // Funds are idle from the day after they could go back (day 46).
        let idle = s
            .milestones
            .iter()
            .find(|m| m.kind == "idle_funds")
            .unwrap();
        assert_eq!(idle.on_date, Some(date(2026, 4, 17)));
        assert_eq!(idle.active_from, Some(date(2026, 4, 18)));
        // A draft whose sale date has passed is overdue like any open exchange; a completed
        // exchange raises nothing.
        let draft = summarize(&f, Phase::Draft);
        assert!(draft.milestones.iter().any(|m| m.kind == "deadline_missed"));
        let done = summarize(&f, Phase::Completed);
        assert!(done.milestones.is_empty());
        assert_eq!(done.exchange_end, s.exchange_end);
        // A valid identification: no day-45 countdown, no missing-identification alert.
        let ok = summarize(
            &file("2026-03-02", &[("elm", "900000", "2026-03-20")], ""),
            Phase::RelinquishedClosed,
        );
        assert!(
            !ok.milestones
                .iter()
                .any(|m| m.milestone == "identification_end")
        );
    }

    #[test]
    fn a_file_that_does_not_read_has_an_empty_summary() {
        assert_eq!(summarize("{}", Phase::Draft), Summary::default());
        assert_eq!(summarize("not json", Phase::Draft), Summary::default());
    }
}
