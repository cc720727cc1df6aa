//! The strategies for one exchange file and the plan that compares them.
//!
//! Every figure starts from the engine's reports: the report of the file as entered and the
//! report of the same file with no replacement property (the exchange as if it failed, a
//! fully taxable sale). Nothing here recomputes Form 8824.

use crate::explain::money as m;
use crate::explain::{Step, Trace};
use crate::findings::{Finding, Findings, Severity};
use crate::input::errors::InputErrors;
use crate::inputs;
use crate::model::{Entity, ExchangeFile};
use crate::money::{format_usd, serialize_money, serialize_opt_money};
use crate::oz::forms::{OzForms, figures};
use crate::oz::regime::{
    Inclusion, InclusionInputs, NEW_ZONES_END, NEW_ZONES_START, OBBBA_START,
    ORIGINAL_EXCLUSION_DEADLINE, ORIGINAL_ZONES_END, ORIGINAL_ZONES_END_PUERTO_RICO, Regime,
    ZONES_AUTH, add_years, inclusion, whole_years,
};
use crate::oz::window::{Window, exchange_gain_windows};
use crate::oz::{check_no_double_deferral, eligible_gain};
use crate::plan::assumptions::{Assumptions, HoldUntil};
use crate::plan::tax::{GainParts, Holdings, Rates, project, tax_on};
use crate::report::Report;
use crate::timing::calendar::YearEnd;
use crate::timing::constructive_receipt::{ReleaseFacts, earliest_release};
use crate::timing::deadlines::Deadlines;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

/// Where the exchange stands as of the plan date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeStatus {
    /// Replacement received; no gain recognized beyond what the report shows.
    Complete,
    /// Replacement received, with boot: part of the gain is recognized.
    Partial,
    /// The periods are still running and nothing is received yet.
    InProgress,
    /// No valid identification, or no replacement received in time.
    Failed,
}

impl ExchangeStatus {
    /// The status in words, for the planner's explanations.
    pub fn words(self) -> &'static str {
        match self {
            ExchangeStatus::Complete => "complete",
            ExchangeStatus::Partial => "partial: boot is recognized",
            ExchangeStatus::InProgress => "in progress",
            ExchangeStatus::Failed => "failed",
        }
    }
}

/// One path and what it costs.
#[derive(Debug, Clone, Serialize)]
pub struct Strategy {
    /// Stable identifier: `complete_1031`, `partial_1031_boot_to_qof`,
    /// `failed_1031_gain_to_qof`, `sell_pay_tax`, `installment_sale`, `dst_fallback`.
    pub name: String,
    pub title: String,
    pub eligible: bool,
    /// Why it is or is not available.
    pub eligibility: String,
    /// True when availability rests on a reading with no direct authority.
    pub relies_on_no_direct_authority: bool,
    /// Rough tax on the gain recognized now.
    #[serde(serialize_with = "serialize_money")]
    pub tax_now: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub gain_recognized_now: Decimal,
    /// Gain deferred (by §1031, a QOF or the installment method).
    #[serde(serialize_with = "serialize_money")]
    pub deferred: Decimal,
    /// `none`, `indefinite`, `temporary`.
    pub deferral: &'static str,
    /// When the temporarily deferred gain (`deferred_temporarily`: the QOF investment or the
    /// installment gain) is recognized (null: indefinite, or nothing deferred). Gain deferred
    /// under §1031 (`deferred_indefinitely`) has no such date.
    pub recognition_date: Option<Date>,
    /// The part of `deferred` deferred under §1031, with no end date (IRC §1031(a)).
    #[serde(serialize_with = "serialize_money")]
    pub deferred_indefinitely: Decimal,
    /// The part of `deferred` deferred only until `recognition_date`: the gain invested in a
    /// QOF (IRC §1400Z-2(a)-(b)) or reported on the installment method.
    #[serde(serialize_with = "serialize_money")]
    pub deferred_temporarily: Decimal,
    /// Each amount with what happens to it, in words: "$700,000.00 deferred indefinitely
    /// under §1031; $200,000.00 invested in the QOF deferred until 2032-01-01; $300,000.00
    /// taxed now".
    pub deferred_label: String,
    #[serde(serialize_with = "serialize_money")]
    pub basis_step_up: Decimal,
    /// Rough tax when the deferral ends (at the horizon for §1031 with a sale).
    #[serde(serialize_with = "serialize_money")]
    pub tax_when_deferral_ends: Decimal,
    /// After-tax wealth at the horizon (null when the path does not apply at all).
    #[serde(serialize_with = "serialize_opt_money")]
    pub after_tax_value: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qof: Option<QofPlan>,
    /// Trade-offs and caveats, in words.
    pub notes: Vec<String>,
}

/// The QOF investment a strategy assumes.
#[derive(Debug, Clone, Serialize)]
pub struct QofPlan {
    pub investment_date: Date,
    /// The dates that give the same treatment.
    pub invest_from: Date,
    pub invest_to: Date,
    #[serde(serialize_with = "serialize_money")]
    pub amount: Decimal,
    pub advice: String,
    pub inclusion: Inclusion,
    pub forms: OzForms,
}

/// The OZ side of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct OzSummary {
    /// Gain recognized if the exchange fails (the engine's figure for a taxable sale).
    #[serde(serialize_with = "serialize_money")]
    pub gain_if_failed: Decimal,
    /// Ordinary recapture in it: never eligible.
    #[serde(serialize_with = "serialize_money")]
    pub ordinary_recapture_not_eligible: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub eligible_gain_if_failed: Decimal,
    /// Eligible gain the file as entered recognizes (boot gain).
    #[serde(serialize_with = "serialize_money")]
    pub eligible_gain_as_entered: Decimal,
    pub windows: Vec<Window>,
    /// Other gains of the year (`[[plan.other_gains]]`) and their QOF option.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_gains: Vec<OtherGainPlan>,
}

/// A gain outside the exchange and the QOF investment that could defer it.
#[derive(Debug, Clone, Serialize)]
pub struct OtherGainPlan {
    pub description: String,
    #[serde(serialize_with = "serialize_money")]
    pub gain: Decimal,
    /// The best investment, or why there is none.
    pub advice: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inclusion: Option<Inclusion>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forms: Option<OzForms>,
}

/// The recommended path and why.
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub strategy: String,
    pub reason: String,
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub plan_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<String>,
    pub as_of: Date,
    pub status: ExchangeStatus,
    pub status_reason: String,
    pub horizon_date: Date,
    /// Net cash from the sale (sale price less liabilities and costs): the money compared.
    #[serde(serialize_with = "serialize_money")]
    pub equity: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub realized_gain: Decimal,
    pub recommended: Option<Recommendation>,
    pub strategies: Vec<Strategy>,
    pub oz: OzSummary,
    pub assumptions: Assumptions,
    pub findings: Vec<Finding>,
    pub explanation: Vec<Step>,
}

const PLAN_AUTH: &str = "likekind planner: rough estimate from the stated assumptions (IRC §§1(h), 1411, 1014), not a return";

/// Builds the plan for `f`, whose engine report is `report`.
///
/// # Errors
/// A planned QOF investment date outside every window, or a QOF amount larger than the
/// eligible gain actually recognized (no dollar of gain is deferred twice).
pub fn plan(f: &ExchangeFile, report: &Report, a: &Assumptions) -> Result<Plan, InputErrors> {
    let as_of = report.exchange.as_of;
    let mut t = Trace::default();
    let mut fx = Findings::default();
    let Some(d) = report.deadlines.clone() else {
        return Err(InputErrors::one(
            "relinquished",
            "required",
            "a plan needs at least one relinquished property with its transfer date",
        ));
    };
    let ye = YearEnd::parse(&f.taxpayer.tax_year_end).unwrap_or(YearEnd::CALENDAR);
    let failed = failed_view(f, as_of);
    let (status, status_reason) = status_of(f, report, &d, as_of);
    t.add(
        "plan.status",
        status_reason.clone(),
        format!("{status:?}"),
        "IRC §1031(a)(3); Treas. Reg. §1.1031(k)-1(b), (c)",
        inputs!["as of" => as_of, "exchange end" => d.exchange_end],
    );
    let equity = equity_of(f);
    t.add(
        "plan.equity",
        "Net cash from the sale: sale price less liabilities relieved, exchange expenses and other closing costs (the money each path starts with)",
        m(equity),
        PLAN_AUTH,
        vec![],
    );
    let horizon_date = add_years(as_of, i16::try_from(a.horizon_years).unwrap_or(100));
    let rates = Rates::from(a);

    // The failed exchange, per the engine.
    let fg = &failed.gain;
    let failed_parts = GainParts::split(fg.recognized, fg.ordinary_recapture, fg.unrecaptured_1250);
    let eligible_failed = eligible_gain(fg.recognized, fg.ordinary_recapture, &mut t);
    // The file as entered.
    let g = &report.gain;
    let entered_parts = GainParts::split(g.recognized, g.ordinary_recapture, g.unrecaptured_1250);
    let eligible_entered = (g.recognized - g.ordinary_recapture).max(Decimal::ZERO);

    // Windows.
    let failed_release = release_if_failed(report, &d);
    let mut windows = exchange_gain_windows(
        "gain of the exchange if it fails",
        d.first_transfer,
        Some(failed_release),
        ye,
        &mut t,
    );
    let partial_windows = if status == ExchangeStatus::Partial {
        exchange_gain_windows(
            "boot gain of the partial exchange",
            d.first_transfer,
            partial_release(report, &d),
            ye,
            &mut t,
        )
    } else {
        Vec::new()
    };

    // Inputs that cannot be planned.
    if let Some(date) = a.qof_investment_date {
        let all: Vec<&Window> = windows.iter().chain(partial_windows.iter()).collect();
        if !all.iter().any(|w| w.contains(date)) {
            return Err(InputErrors::one(
                "plan.qof_investment_date",
                "oz_180_day_window",
                format!(
                    "{date} is outside every 180-day window of this exchange's gain ({}): a QOF investment defers gain only if made within the 180-day period beginning on the day the gain is recognized (IRC §1400Z-2(a)(1)(A); Treas. Reg. §1.1400Z2(a)-1(b)(7))",
                    all.iter()
                        .map(|w| format!("{} to {}", w.start, w.end))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ));
        }
    }
    if let Some(q) = a.qof_amount {
        let available = match status {
            ExchangeStatus::Complete | ExchangeStatus::Partial => eligible_entered,
            _ => eligible_failed,
        };
        if let Err(e) = check_no_double_deferral(q, available) {
            return Err(InputErrors::one(
                "plan.qof_amount",
                "no_double_deferral",
                format!(
                    "{e} (exchange status: {status:?}; IRC §§1031(a), 1400Z-2(a)(1); Treas. Reg. §1.1400Z2(a)-1(b)(11)(i)(B))"
                ),
            ));
        }
    }

    let ctx = Ctx {
        a,
        rates,
        as_of,
        horizon_date,
        equity,
        deadlines: &d,
        status,
        transfer_long_term: f
            .relinquished
            .iter()
            .all(|r| whole_years(r.acquired, r.transferred) >= 1),
        year_end: ye,
    };
    let mut strategies = vec![
        complete_1031(&ctx, report, &failed_parts),
        partial_boot_to_qof(
            &ctx,
            report,
            &entered_parts,
            eligible_entered,
            &partial_windows,
            &mut t,
        ),
        failed_gain_to_qof(&ctx, &failed_parts, eligible_failed, &windows, &mut t),
    ];
    if status == ExchangeStatus::Partial {
        strategies.insert(1, partial_as_entered(&ctx, report, &entered_parts));
    }
    strategies.extend([
        sell_pay_tax(&ctx, &failed_parts),
        installment_sale(&ctx, &failed_parts, failed_release, ye),
        dst_fallback(&ctx, &failed_parts),
    ]);
    strategies.iter_mut().for_each(label_deferrals);
    for s in &strategies {
        t.add(
            format!("plan.{}.after_tax_value", s.name),
            format!(
                "{}: tax now {}, deferred {}, after-tax value at {horizon_date}",
                s.title,
                m(s.tax_now),
                m(s.deferred)
            ),
            s.after_tax_value
                .map_or(crate::explain::Val::from("n/a"), m),
            PLAN_AUTH,
            vec![],
        );
    }
    let recommended = recommend(&strategies, a);
    findings(
        &mut fx,
        &ctx,
        f,
        &strategies,
        &windows,
        &partial_windows,
        fg.ordinary_recapture,
        fg.realized,
    );
    windows.extend(partial_windows);
    let other_gains = other_gain_plans(&ctx, &mut windows, &mut t);
    strategies.iter_mut().for_each(|s| s.notes.dedup());
    Ok(Plan {
        plan_version: 1,
        exchange: f.exchange.name.clone(),
        as_of,
        status,
        status_reason,
        horizon_date,
        equity,
        realized_gain: fg.realized,
        recommended,
        strategies,
        oz: OzSummary {
            gain_if_failed: fg.recognized,
            ordinary_recapture_not_eligible: fg.ordinary_recapture,
            eligible_gain_if_failed: eligible_failed,
            eligible_gain_as_entered: eligible_entered,
            windows,
            other_gains,
        },
        assumptions: a.clone(),
        findings: fx.0,
        explanation: t.steps,
    })
}

struct Ctx<'a> {
    a: &'a Assumptions,
    rates: Rates,
    as_of: Date,
    horizon_date: Date,
    equity: Decimal,
    deadlines: &'a Deadlines,
    status: ExchangeStatus,
    transfer_long_term: bool,
    year_end: YearEnd,
}

impl Ctx<'_> {
    fn years_to(&self, d: Date) -> u32 {
        u32::try_from(whole_years(self.as_of, d)).unwrap_or(0)
    }
}

/// The engine's analysis of the same file with no replacement property and no
/// identification: the exchange as if it failed, i.e. a taxable sale.
pub fn failed_view(f: &ExchangeFile, as_of: Date) -> Report {
    let mut g = f.clone();
    g.replacement.clear();
    g.identified.clear();
    // With nothing bought, every dollar of the exchange funds comes back to the taxpayer:
    // let the engine infer the cash received instead of keeping the closing's figure.
    for r in &mut g.relinquished {
        r.cash_received = None;
    }
    crate::analyze(&g, as_of)
}

/// Net cash the sale produces: the money every path starts from.
fn equity_of(f: &ExchangeFile) -> Decimal {
    f.relinquished
        .iter()
        .map(|r| {
            r.sale_price - r.liabilities_relieved - r.exchange_expenses - r.other_closing_costs
        })
        .sum()
}

/// Complete, partial, in progress or failed, from the engine's identification verdict and
/// the replacements received in time (Treas. Reg. §1.1031(k)-1(b), (c)).
fn status_of(
    f: &ExchangeFile,
    report: &Report,
    d: &Deadlines,
    as_of: Date,
) -> (ExchangeStatus, String) {
    let id_valid = report.identification.as_ref().is_some_and(|i| i.valid);
    let in_time = f.replacement.iter().any(|r| r.received <= d.exchange_end);
    // The engine's one verdict: property bought that is not like-kind replacement property
    // does not complete the exchange (Treas. Reg. §1.1031(k)-1(a)).
    let q = &report.qualification;
    if q.is_taxable_sale() && q.settled && !f.replacement.is_empty() {
        return (ExchangeStatus::Failed, q.summary.to_string());
    }
    if !id_valid && as_of > d.identification_end {
        return (
            ExchangeStatus::Failed,
            format!(
                "No valid identification by the end of the identification period ({}): the exchange fails and the gain is recognized",
                d.identification_end
            ),
        );
    }
    if !in_time {
        if as_of > d.exchange_end || !f.replacement.is_empty() {
            return (
                ExchangeStatus::Failed,
                format!(
                    "No replacement property received by the end of the exchange period ({}): the exchange fails and the gain is recognized",
                    d.exchange_end
                ),
            );
        }
        return (
            ExchangeStatus::InProgress,
            format!(
                "Nothing received yet; identify by {} and receive by {} to complete the exchange",
                d.identification_end, d.exchange_end
            ),
        );
    }
    if q.outcome == crate::eligibility::qualification::Outcome::PartialExchange {
        return (
            ExchangeStatus::Partial,
            format!(
                "{} {} of gain is recognized",
                q.summary,
                format_usd(report.gain.recognized)
            ),
        );
    }
    if report.gain.recognized > Decimal::ZERO {
        (
            ExchangeStatus::Partial,
            format!(
                "Replacement received with {} of boot: {} of gain is recognized",
                format_usd(report.boot.total),
                format_usd(report.gain.recognized)
            ),
        )
    } else {
        (
            ExchangeStatus::Complete,
            "Replacement received and no gain recognized: the exchange defers the gain as entered"
                .to_string(),
        )
    }
}

/// When the QI could release the funds if the exchange fails from here (Reg.
/// 1.1031(k)-1(g)(6)): after day 45 if nothing valid is identified, else after the period.
fn release_if_failed(report: &Report, d: &Deadlines) -> Date {
    let identified = report
        .identification
        .as_ref()
        .is_some_and(|i| i.valid && i.rule != crate::identification::IdRule::None);
    earliest_release(&ReleaseFacts {
        identification_end: d.identification_end,
        exchange_end: d.exchange_end,
        anything_identified: identified,
        all_identified_received_on: None,
    })
    .earliest
}

/// When leftover exchange funds come back in a partial exchange: on receipt of all the
/// replacement property ((g)(6)(iii)(A)); None when the boot came at the sale closing.
fn partial_release(report: &Report, d: &Deadlines) -> Option<Date> {
    if report.money.returned_to_taxpayer <= Decimal::ZERO {
        return None;
    }
    let last = report.form_8824_part_i.line_6;
    Some(
        earliest_release(&ReleaseFacts {
            identification_end: d.identification_end,
            exchange_end: d.exchange_end,
            anything_identified: true,
            all_identified_received_on: last,
        })
        .earliest,
    )
}

/// The QOF part of a strategy: when and how much to invest, the inclusion and the form figures.
fn qof_plan(c: &Ctx, ch: Choice, q: Decimal, inc: Inclusion) -> QofPlan {
    QofPlan {
        investment_date: ch.date,
        invest_from: ch.from,
        invest_to: ch.to,
        amount: q,
        forms: figures(
            c.deadlines.first_transfer,
            c.transfer_long_term,
            ch.date,
            q,
            &inc,
        ),
        advice: ch.advice,
        inclusion: inc,
    }
}

/// The investment date a QOF path uses.
struct Choice {
    date: Date,
    from: Date,
    to: Date,
    direct: bool,
    advice: String,
}

/// The best investment date: the planned date if given, else the first open window (the
/// one with direct authority first) and, where it reaches 2027, its first day on or after
/// 2027-01-01 (the amended regime's 5-year deferral instead of inclusion on 2026-12-31).
fn choose(windows: &[Window], c: &Ctx, use_planned: bool) -> Option<Choice> {
    if let Some(d) = c.a.qof_investment_date.filter(|_| use_planned) {
        let w = windows
            .iter()
            .filter(|w| w.contains(d))
            .max_by_key(|w| w.direct_authority)?;
        return Some(Choice {
            date: d,
            from: d,
            to: d,
            direct: w.direct_authority,
            advice: format!(
                "planned investment on {d} (window {} to {})",
                w.start, w.end
            ),
        });
    }
    let mut ordered: Vec<&Window> = windows.iter().collect();
    ordered.sort_by_key(|w| !w.direct_authority);
    for w in ordered {
        let from = w.start.max(c.as_of);
        if from > w.end {
            continue;
        }
        let (date, advice) = if w.end >= OBBBA_START {
            let d = from.max(OBBBA_START);
            if from < OBBBA_START {
                (
                    d,
                    format!(
                        "invest between {d} and {} to get the 5-year deferral instead of inclusion on 2026-12-31",
                        w.end
                    ),
                )
            } else {
                (d, format!("invest between {d} and {}", w.end))
            }
        } else {
            (
                from,
                format!(
                    "invest between {from} and {}; any investment before 2027-01-01 is included on 2026-12-31",
                    w.end
                ),
            )
        };
        return Some(Choice {
            date,
            from: date,
            to: w.end,
            direct: w.direct_authority,
            advice,
        });
    }
    None
}

/// A QOF investment of `q` out of gain `parts`, projected: inclusion (with the FMV the
/// growth assumption gives), its tax, and the holdings' QOF fields.
struct QofOutcome {
    inc: Inclusion,
    tax_at_inclusion: Decimal,
    holding_basis: Decimal,
    excluded: bool,
    cap_years: Option<u32>,
}

fn qof_outcome(c: &Ctx, q: Decimal, taken: &GainParts, date: Date, t: &mut Trace) -> QofOutcome {
    let disposed = (c.a.hold_until == HoldUntil::Sale).then_some(c.horizon_date);
    let first = inclusion(
        &InclusionInputs {
            deferred_gain: q,
            investment_date: date,
            qrof: c.a.qrof,
            fmv_at_inclusion: q,
            disposed_on: disposed,
        },
        &mut Trace::default(),
    );
    let held = u32::try_from(whole_years(date, first.inclusion_date)).unwrap_or(0);
    let fmv = q * crate::plan::tax::growth_factor(c.a.growth_pct, held);
    let inc = inclusion(
        &InclusionInputs {
            deferred_gain: q,
            investment_date: date,
            qrof: c.a.qrof,
            fmv_at_inclusion: fmv,
            disposed_on: disposed,
        },
        t,
    );
    let tax_at_inclusion = tax_on(&taken.scaled(inc.amount_included, q), &c.rates);
    let excluded = c.horizon_date >= inc.earliest_10_year_date
        && inc
            .exclusion_election_deadline
            .is_none_or(|dl| c.horizon_date <= dl);
    QofOutcome {
        holding_basis: if inc.inclusion_date <= c.horizon_date {
            inc.basis_after_inclusion
        } else {
            Decimal::ZERO
        },
        cap_years: inc.thirty_year_basis_cap_date.map(|d| c.years_to(d)),
        excluded,
        tax_at_inclusion,
        inc,
    }
}

fn qof_notes(inc: &Inclusion, c: &Ctx, direct: bool) -> Vec<String> {
    let mut n = Vec::new();
    match inc.regime {
        Regime::Original => n.push(format!(
            "Invested before 2027-01-01: the deferred gain is included on {} (the 2026 return), so the deferral is short and no step-up is reachable; only the 10-year exclusion of the fund's growth remains (election available for dispositions through {ORIGINAL_EXCLUSION_DEADLINE}).",
            inc.inclusion_date
        )),
        Regime::Obbba => n.push(format!(
            "Invested on or after 2027-01-01: temporary deferral to {} (5 years, or an earlier sale), {}% basis step-up at 5 years{}, and the fund's growth excluded after 10 years (basis capped at FMV on {}). The investment date decides the regime, whatever the year of the gain (P.L. 119-21 §70421(c)(5)(A); Notice 2026-40 §4.02(2)).",
            inc.inclusion_date,
            if c.a.qrof { 30 } else { 10 },
            if c.a.qrof { " (qualified rural opportunity fund)" } else { "" },
            inc.thirty_year_basis_cap_date.map_or(String::new(), |d| d.to_string())
        )),
    }
    n.push("Only the gain needs to be invested, not the whole proceeds (money beyond the deferred gain is a separate investment with none of the QOF benefits, IRC §1400Z-2(e)(1)); the deferral is temporary (unlike §1031), is not erased by death (heirs include it, IRC §1400Z-2(e)(3)), and the fund interest is illiquid; added complexity: Forms 8949 (code Z) and 8997 every year, and the fund's own 90% asset test.".to_string());
    if !direct {
        n.push("This investment date relies on the QI-release start of the 180 days, which has no direct authority (no regulation, ruling or IRS FAQ): review with an adviser before relying on it.".to_string());
    }
    if c.a.hold_until == HoldUntil::Death && c.horizon_date < inc.inclusion_date {
        n.push("Death before the inclusion date does not erase the deferred gain: it is income in respect of a decedent, counted here as still owed.".to_string());
    }
    n
}

fn complete_1031(c: &Ctx, report: &Report, failed_parts: &GainParts) -> Strategy {
    let as_entered = c.status == ExchangeStatus::Complete;
    let (tax_now, recognized, deferred_parts, cash_out) = if as_entered {
        let g = &report.gain;
        let rec = GainParts::split(g.recognized, g.ordinary_recapture, g.unrecaptured_1250);
        (
            tax_on(&rec, &c.rates),
            g.recognized,
            GainParts::split(g.deferred, Decimal::ZERO, g.unrecaptured_1250_deferred),
            report.money.cash_in_hand(),
        )
    } else {
        (Decimal::ZERO, Decimal::ZERO, *failed_parts, Decimal::ZERO)
    };
    let h = Holdings {
        like_kind: c.equity - cash_out,
        like_kind_deferred: deferred_parts,
        taxable: cash_out - tax_now,
        ..Holdings::default()
    };
    let p = project(&h, c.a);
    let d = c.deadlines;
    let (eligible, why) = match c.status {
        ExchangeStatus::Complete => (true, "The exchange as entered defers the gain.".to_string()),
        ExchangeStatus::InProgress => (
            true,
            format!(
                "Still possible: identify replacement property in writing by {} and receive it by {}, with value and debt at least equal to what was given up so no boot remains.",
                d.identification_end, d.exchange_end
            ),
        ),
        ExchangeStatus::Partial => (
            false,
            format!(
                "Not as entered: {} of boot was received. Full deferral needs replacement value and debt at least equal to what was given up (IRC §1031(b)).",
                format_usd(report.boot.total)
            ),
        ),
        ExchangeStatus::Failed => (
            false,
            "The exchange failed (see status); figures show what a completed exchange would have deferred.".to_string(),
        ),
    };
    let tax_end = match c.a.hold_until {
        HoldUntil::Sale => tax_on(&deferred_parts, &c.rates),
        HoldUntil::Death => Decimal::ZERO,
    };
    Strategy {
        deferred_indefinitely: Decimal::ZERO,
        deferred_temporarily: Decimal::ZERO,
        deferred_label: String::new(),
        name: "complete_1031".into(),
        title: "Complete the 1031 exchange".into(),
        eligible,
        eligibility: why,
        relies_on_no_direct_authority: false,
        tax_now,
        gain_recognized_now: recognized,
        deferred: deferred_parts.total(),
        deferral: if deferred_parts.total() > Decimal::ZERO { "indefinite" } else { "none" },
        recognition_date: None,
        basis_step_up: Decimal::ZERO,
        tax_when_deferral_ends: tax_end,
        after_tax_value: Some(p.after_tax_value),
        qof: None,
        notes: vec![
            "Indefinite deferral: the gain is recognized only when the replacement is sold in a taxable sale, and never if it is held until death (basis steps up to FMV, IRC §1014).".into(),
            match c.a.hold_until {
                HoldUntil::Sale => format!("Assumed sold at the horizon ({}): the deferred gain and the growth are taxed then.", c.horizon_date),
                HoldUntil::Death => format!("Assumed held until death at the horizon ({}): the deferred gain is never taxed.", c.horizon_date),
            },
            "Trade-offs: all equity must be reinvested and debt replaced to avoid boot; carryover basis means smaller depreciation deductions; real estate is illiquid and concentrated; a QI and the 45/180-day deadlines add moderate complexity.".into(),
        ],
    }
}

/// The partial exchange as entered: tax on the boot's recognized gain now (IRC §1031(b)),
/// the rest deferred indefinitely.
fn partial_as_entered(c: &Ctx, report: &Report, entered: &GainParts) -> Strategy {
    let g = &report.gain;
    let tax_now = tax_on(entered, &c.rates);
    let cash = report.money.cash_in_hand();
    let deferred = GainParts::split(g.deferred, Decimal::ZERO, g.unrecaptured_1250_deferred);
    let h = Holdings {
        like_kind: c.equity - cash,
        like_kind_deferred: deferred,
        taxable: cash - tax_now,
        ..Holdings::default()
    };
    let p = project(&h, c.a);
    Strategy {
        deferred_indefinitely: Decimal::ZERO,
        deferred_temporarily: Decimal::ZERO,
        deferred_label: String::new(),
        name: "partial_1031_as_entered".into(),
        title: "Partial 1031 as entered, boot taxed".into(),
        eligible: true,
        eligibility: format!(
            "The exchange as entered: {} of gain recognized on {} of boot (IRC §1031(b)), {} deferred.",
            format_usd(g.recognized),
            format_usd(report.boot.total),
            format_usd(g.deferred)
        ),
        relies_on_no_direct_authority: false,
        tax_now,
        gain_recognized_now: g.recognized,
        deferred: deferred.total(),
        deferral: if deferred.total() > Decimal::ZERO { "indefinite" } else { "none" },
        recognition_date: None,
        basis_step_up: Decimal::ZERO,
        tax_when_deferral_ends: match c.a.hold_until {
            HoldUntil::Sale => tax_on(&deferred, &c.rates),
            HoldUntil::Death => Decimal::ZERO,
        },
        after_tax_value: Some(p.after_tax_value),
        qof: None,
        notes: vec![
            "The boot's gain is taxed for the year of the exchange; the rest stays deferred indefinitely and is erased at death (IRC §1014).".into(),
            "The boot's cash stays liquid; no further rules to follow.".into(),
        ],
    }
}

fn partial_boot_to_qof(
    c: &Ctx,
    report: &Report,
    entered: &GainParts,
    eligible: Decimal,
    windows: &[Window],
    t: &mut Trace,
) -> Strategy {
    let mut s = Strategy {
        deferred_indefinitely: Decimal::ZERO,
        deferred_temporarily: Decimal::ZERO,
        deferred_label: String::new(),
        name: "partial_1031_boot_to_qof".into(),
        title: "Partial 1031, boot's gain into a QOF".into(),
        eligible: false,
        eligibility: String::new(),
        relies_on_no_direct_authority: false,
        tax_now: Decimal::ZERO,
        gain_recognized_now: Decimal::ZERO,
        deferred: Decimal::ZERO,
        deferral: "none",
        recognition_date: None,
        basis_step_up: Decimal::ZERO,
        tax_when_deferral_ends: Decimal::ZERO,
        after_tax_value: None,
        qof: None,
        notes: Vec::new(),
    };
    if c.status != ExchangeStatus::Partial {
        s.eligibility = format!(
            "Does not apply: the exchange as entered recognizes no boot gain (status: {}). It applies when cash or debt-relief boot is taken in a completed exchange.",
            c.status.words()
        );
        return s;
    }
    if eligible <= Decimal::ZERO {
        s.eligibility = "The boot's recognized gain is all ordinary depreciation recapture, which a QOF cannot defer (Reg. §1.1400Z2(a)-1(b)(11)(iii)(A)).".into();
        return s;
    }
    let q = c.a.qof_amount.map_or(eligible, |x| x.min(eligible));
    let (taken, left) = entered.take_deferrable(q);
    let g = &report.gain;
    let tax_now = tax_on(&left, &c.rates);
    let cash = report.money.cash_in_hand();
    let base = Holdings {
        like_kind: c.equity - cash,
        like_kind_deferred: GainParts::split(
            g.deferred,
            Decimal::ZERO,
            g.unrecaptured_1250_deferred,
        ),
        ..Holdings::default()
    };
    let Some(ch) = choose(windows, c, true) else {
        s.eligibility = format!(
            "Every 180-day window for the boot's gain has closed (last: {}).",
            windows
                .iter()
                .map(|w| w.end)
                .max()
                .map_or("-".into(), |d| d.to_string())
        );
        return s;
    };
    let o = qof_outcome(c, q, &taken, ch.date, t);
    let h = Holdings {
        qof: q,
        qof_basis_at_horizon: o.holding_basis,
        qof_excluded: o.excluded,
        qof_cap_years: o.cap_years,
        taxable: cash - tax_now - q,
        later_taxes: vec![(c.years_to(o.inc.inclusion_date), o.tax_at_inclusion)],
        ..base
    };
    let p = project(&h, c.a);
    s.eligible = true;
    s.relies_on_no_direct_authority = !ch.direct;
    s.eligibility = format!(
        "{} of the boot's {} recognized gain is eligible (ordinary recapture of {} is not); {}.",
        format_usd(eligible),
        format_usd(g.recognized),
        format_usd(g.ordinary_recapture),
        ch.advice
    );
    s.tax_now = tax_now;
    s.gain_recognized_now = g.recognized - q;
    s.deferred = g.deferred + q;
    s.deferral = "temporary";
    s.recognition_date = Some(o.inc.inclusion_date);
    s.basis_step_up = o.inc.basis_step_up;
    s.tax_when_deferral_ends = o.tax_at_inclusion;
    s.after_tax_value = Some(p.after_tax_value);
    s.notes = qof_notes(&o.inc, c, ch.direct);
    if h.taxable < Decimal::ZERO {
        s.notes.push(format!(
            "The QOF investment and the tax now exceed the boot's cash by {}: the model funds it from other money growing at the same rate.",
            format_usd(-h.taxable)
        ));
    }
    s.notes.insert(
        0,
        format!(
            "The §1031 part ({}) stays deferred indefinitely; only the boot's gain goes to the QOF, so no dollar is deferred twice.",
            format_usd(g.deferred)
        ),
    );
    s.qof = Some(qof_plan(c, ch, q, o.inc));
    s
}

fn failed_gain_to_qof(
    c: &Ctx,
    parts: &GainParts,
    eligible: Decimal,
    windows: &[Window],
    t: &mut Trace,
) -> Strategy {
    let mut s = Strategy {
        deferred_indefinitely: Decimal::ZERO,
        deferred_temporarily: Decimal::ZERO,
        deferred_label: String::new(),
        name: "failed_1031_gain_to_qof".into(),
        title: "Failed 1031, gain into a QOF".into(),
        eligible: false,
        eligibility: String::new(),
        relies_on_no_direct_authority: false,
        tax_now: tax_on(parts, &c.rates),
        gain_recognized_now: parts.total(),
        deferred: Decimal::ZERO,
        deferral: "none",
        recognition_date: None,
        basis_step_up: Decimal::ZERO,
        tax_when_deferral_ends: Decimal::ZERO,
        after_tax_value: None,
        qof: None,
        notes: Vec::new(),
    };
    if eligible <= Decimal::ZERO {
        s.eligibility =
            "No gain a QOF can defer: the sale has no gain beyond ordinary recapture.".into();
        return s;
    }
    let Some(ch) = choose(windows, c, true) else {
        s.eligibility = format!(
            "Every 180-day window for the failed exchange's gain has closed (conservative window ended {}).",
            windows.first().map_or("-".into(), |w| w.end.to_string())
        );
        return s;
    };
    let q = c.a.qof_amount.map_or(eligible, |x| x.min(eligible));
    let (taken, left) = parts.take_deferrable(q);
    let tax_now = tax_on(&left, &c.rates);
    let o = qof_outcome(c, q, &taken, ch.date, t);
    let h = Holdings {
        qof: q,
        qof_basis_at_horizon: o.holding_basis,
        qof_excluded: o.excluded,
        qof_cap_years: o.cap_years,
        taxable: c.equity - tax_now - q,
        later_taxes: vec![(c.years_to(o.inc.inclusion_date), o.tax_at_inclusion)],
        ..Holdings::default()
    };
    let p = project(&h, c.a);
    let applies = matches!(
        c.status,
        ExchangeStatus::Failed | ExchangeStatus::InProgress
    );
    s.eligible = applies;
    s.relies_on_no_direct_authority = !ch.direct;
    s.eligibility = if applies {
        format!(
            "{} of the {} gain is eligible (ordinary recapture is not); {}.",
            format_usd(eligible),
            format_usd(parts.total()),
            ch.advice
        )
    } else {
        format!(
            "Hypothetical: applies only if the exchange fails (status: {}); {}.",
            c.status.words(),
            ch.advice
        )
    };
    s.tax_now = tax_now;
    s.gain_recognized_now = parts.total() - q;
    s.deferred = q;
    s.deferral = "temporary";
    s.recognition_date = Some(o.inc.inclusion_date);
    s.basis_step_up = o.inc.basis_step_up;
    s.tax_when_deferral_ends = o.tax_at_inclusion;
    s.after_tax_value = Some(p.after_tax_value);
    s.notes = qof_notes(&o.inc, c, ch.direct);
    if h.taxable < Decimal::ZERO {
        s.notes.push(format!(
            "The QOF investment and the tax now exceed the sale's net cash by {}: the model funds it from other money growing at the same rate.",
            format_usd(-h.taxable)
        ));
    }
    s.notes.push("A genuinely failed exchange redirected to a QOF has its own statutory basis; a contrived failure or round-trip structure risks the step-transaction doctrine.".into());
    s.qof = Some(qof_plan(c, ch, q, o.inc));
    s
}

fn sell_pay_tax(c: &Ctx, parts: &GainParts) -> Strategy {
    let tax_now = tax_on(parts, &c.rates);
    let p = project(
        &Holdings {
            taxable: c.equity - tax_now,
            ..Holdings::default()
        },
        c.a,
    );
    let (eligible, why) = match c.status {
        ExchangeStatus::Complete | ExchangeStatus::Partial => (
            false,
            "The exchange is already completed; shown for comparison (a taxable sale of the relinquished property).".to_string(),
        ),
        _ => (
            true,
            "Always available: give up the exchange and report a taxable sale.".to_string(),
        ),
    };
    Strategy {
        deferred_indefinitely: Decimal::ZERO,
        deferred_temporarily: Decimal::ZERO,
        deferred_label: String::new(),
        name: "sell_pay_tax".into(),
        title: "Sell and pay the tax".into(),
        eligible,
        eligibility: why,
        relies_on_no_direct_authority: false,
        tax_now,
        gain_recognized_now: parts.total(),
        deferred: Decimal::ZERO,
        deferral: "none",
        recognition_date: Some(c.deadlines.first_transfer),
        basis_step_up: Decimal::ZERO,
        tax_when_deferral_ends: Decimal::ZERO,
        after_tax_value: Some(p.after_tax_value),
        qof: None,
        notes: vec![
            "No deferral: the whole gain is taxed for the year of the sale, ordinary recapture at ordinary rates.".into(),
            "Full liquidity and no further rules to follow; the simplest path.".into(),
        ],
    }
}

fn installment_sale(c: &Ctx, parts: &GainParts, release: Date, ye: YearEnd) -> Strategy {
    let transfer = c.deadlines.first_transfer;
    let year_end = ye.year_end_containing(transfer);
    let straddles = release > year_end;
    let applies = matches!(
        c.status,
        ExchangeStatus::Failed | ExchangeStatus::InProgress
    );
    // §453(i): recapture is taxed in the year of sale; the rest when the funds are received
    // (only when that is a later tax year).
    let (now, later) = if straddles {
        (
            GainParts {
                ordinary: parts.ordinary,
                ..GainParts::default()
            },
            GainParts {
                ordinary: Decimal::ZERO,
                ..*parts
            },
        )
    } else {
        (*parts, GainParts::default())
    };
    let tax_now = tax_on(&now, &c.rates);
    let tax_later = tax_on(&later, &c.rates);
    let p = project(
        &Holdings {
            taxable: c.equity - tax_now,
            later_taxes: vec![(c.years_to(release), tax_later)],
            ..Holdings::default()
        },
        c.a,
    );
    let eligible = straddles && applies;
    let why = if !straddles {
        format!(
            "Not available: if the exchange fails the QI can release the funds on {release}, in the same tax year as the sale (which ends {year_end}), so Reg. 1.1031(k)-1(j)(2) gives no deferral."
        )
    } else if !applies {
        format!(
            "Hypothetical: applies only if the exchange fails (status: {}); the funds would come back on {release}, after the tax year ending {year_end}.",
            c.status.words()
        )
    } else {
        format!(
            "The funds come back on {release}, after the tax year of the sale (ending {year_end}): with a QI and a bona fide intent to exchange at the start, the gain is reported under §453 when received (Reg. 1.1031(k)-1(j)(2)); §453(i) recapture stays in the year of sale."
        )
    };
    Strategy {
        deferred_indefinitely: Decimal::ZERO,
        deferred_temporarily: Decimal::ZERO,
        deferred_label: String::new(),
        name: "installment_sale".into(),
        title: "Installment reporting (failed 1031)".into(),
        eligible,
        eligibility: why,
        relies_on_no_direct_authority: false,
        tax_now,
        gain_recognized_now: now.total(),
        deferred: later.total(),
        deferral: if later.total() > Decimal::ZERO { "temporary" } else { "none" },
        recognition_date: Some(if straddles { release } else { transfer }),
        basis_step_up: Decimal::ZERO,
        tax_when_deferral_ends: tax_later,
        after_tax_value: Some(p.after_tax_value),
        qof: None,
        notes: vec![
            "Defers the tax about one year only; the same tax is paid when the funds are received.".into(),
            "Requires a bona fide intent to exchange when the period began; §453A interest can apply above $5M of obligations; you may elect out (§453(d)); dealer property is excluded.".into(),
            "Can be combined with a QOF only through the installment-payment start of the 180 days, which has no direct authority for failed-§1031 gain.".into(),
        ],
    }
}

fn dst_fallback(c: &Ctx, parts: &GainParts) -> Strategy {
    let d = c.deadlines;
    let open = c.as_of <= d.identification_end && c.status == ExchangeStatus::InProgress;
    let h = Holdings {
        like_kind: c.equity,
        like_kind_deferred: *parts,
        ..Holdings::default()
    };
    let p = project(&h, c.a);
    Strategy {
        deferred_indefinitely: Decimal::ZERO,
        deferred_temporarily: Decimal::ZERO,
        deferred_label: String::new(),
        name: "dst_fallback".into(),
        title: "DST interest as fallback replacement".into(),
        eligible: open,
        eligibility: if open {
            format!(
                "Identify a Delaware statutory trust interest as a backup replacement by {} (within the three-property rule) and close by {}.",
                d.identification_end, d.exchange_end
            )
        } else {
            format!(
                "Not available: the identification period ended on {}; a DST interest not identified by then cannot complete this exchange.",
                d.identification_end
            )
        },
        relies_on_no_direct_authority: false,
        tax_now: Decimal::ZERO,
        gain_recognized_now: Decimal::ZERO,
        deferred: parts.total(),
        deferral: if parts.total() > Decimal::ZERO { "indefinite" } else { "none" },
        recognition_date: None,
        basis_step_up: Decimal::ZERO,
        tax_when_deferral_ends: match c.a.hold_until {
            HoldUntil::Sale => tax_on(parts, &c.rates),
            HoldUntil::Death => Decimal::ZERO,
        },
        after_tax_value: Some(p.after_tax_value),
        qof: None,
        notes: vec![
            "Same deferral as a completed exchange: a DST interest is treated as real property when the trust meets Rev. Rul. 2004-86 (no new capital, no new loans or lease renegotiation, limited powers).".into(),
            "Trade-offs: illiquid for years, no control, sponsor fees and loads, the trust's fixed loan must match the debt you need to replace.".into(),
        ],
    }
}

/// Windows and the best QOF date for each other gain: a separate gain can use a QOF while
/// the exchange defers the real estate gain under §1031 (different dollars).
fn other_gain_plans(c: &Ctx, windows: &mut Vec<Window>, t: &mut Trace) -> Vec<OtherGainPlan> {
    use crate::oz::window::{passthrough_windows, sale_window};
    use crate::plan::assumptions::OtherGainKind;
    let mut out = Vec::new();
    for g in &c.a.other_gains {
        let label = if g.description.is_empty() {
            "other gain".to_string()
        } else {
            g.description.clone()
        };
        let ws: Vec<Window> = match (g.kind, g.entity_year_end, g.entity_return_due) {
            (OtherGainKind::PassThrough, Some(ye), Some(due)) => {
                passthrough_windows(g.recognized_on, ye, due, t)
                    .into_iter()
                    .map(|mut w| {
                        w.gain = format!("{label}: {}", w.gain);
                        w
                    })
                    .collect()
            }
            (OtherGainKind::Installment, _, _) => {
                crate::oz::window::installment_windows(g.recognized_on, c.year_end, t)
                    .into_iter()
                    .map(|mut w| {
                        w.gain = format!("{label}: {}", w.gain);
                        w
                    })
                    .collect()
            }
            _ => vec![sale_window(&label, g.recognized_on, t)],
        };
        let plan = match choose(&ws, c, false) {
            Some(ch) => {
                let o = qof_outcome(
                    c,
                    g.gain,
                    &GainParts::split(g.gain, Decimal::ZERO, Decimal::ZERO),
                    ch.date,
                    t,
                );
                OtherGainPlan {
                    description: label,
                    gain: g.gain,
                    advice: format!(
                        "{} (a different gain from the exchange's, so no double deferral)",
                        ch.advice
                    ),
                    forms: Some(figures(g.recognized_on, true, ch.date, g.gain, &o.inc)),
                    inclusion: Some(o.inc),
                }
            }
            None => OtherGainPlan {
                description: label,
                gain: g.gain,
                advice: format!(
                    "every window has closed (last day {})",
                    ws.iter()
                        .map(|w| w.end)
                        .max()
                        .map_or("-".into(), |d| d.to_string())
                ),
                inclusion: None,
                forms: None,
            },
        };
        windows.extend(ws);
        out.push(plan);
    }
    out
}

/// The eligible path with the highest after-tax value, not counting paths that rest on a
/// reading with no direct authority.
/// Splits `deferred` into the §1031 part (indefinite) and the part deferred only until
/// `recognition_date` (the QOF investment, or installment gain), and labels each amount
/// truthfully: only the gain invested in a QOF is deferred until its inclusion date
/// (IRC §1400Z-2(a)(1), (b)(1)); §1031 gain has no end date (IRC §1031(a)); the rest of the
/// gain is recognized now.
fn label_deferrals(s: &mut Strategy) {
    let temporary = match (&s.qof, s.deferral) {
        (Some(q), _) => q.amount.min(s.deferred),
        (None, "temporary") => s.deferred,
        _ => Decimal::ZERO,
    };
    s.deferred_temporarily = temporary;
    s.deferred_indefinitely = s.deferred - temporary;
    let mut parts = Vec::new();
    if s.deferred_indefinitely > Decimal::ZERO {
        parts.push(format!(
            "{} deferred indefinitely under §1031",
            format_usd(s.deferred_indefinitely)
        ));
    }
    if temporary > Decimal::ZERO {
        let until = s
            .recognition_date
            .map_or_else(String::new, |d| format!(" until {d}"));
        parts.push(if s.qof.is_some() {
            format!(
                "{} invested in the QOF deferred{until}",
                format_usd(temporary)
            )
        } else {
            format!(
                "{} deferred{until} (installment method)",
                format_usd(temporary)
            )
        });
    }
    if parts.is_empty() {
        parts.push("nothing deferred".to_string());
    }
    if s.gain_recognized_now > Decimal::ZERO {
        parts.push(format!("{} taxed now", format_usd(s.gain_recognized_now)));
    }
    s.deferred_label = parts.join("; ");
}

fn recommend(s: &[Strategy], a: &Assumptions) -> Option<Recommendation> {
    let best = s
        .iter()
        .filter(|x| x.eligible && !x.relies_on_no_direct_authority)
        .filter_map(|x| x.after_tax_value.map(|v| (x, v)))
        .max_by_key(|(_, v)| *v)?;
    let (x, v) = best;
    let runner = s
        .iter()
        .filter(|y| y.eligible && y.name != x.name)
        .filter_map(|y| y.after_tax_value.map(|w| (y, w)))
        .max_by_key(|(_, w)| *w);
    let mut reason = format!(
        "{}: the highest after-tax value at the {}-year horizon ({}) of the paths available now",
        x.title,
        a.horizon_years,
        format_usd(v)
    );
    if let Some((y, w)) = runner {
        if v >= w {
            reason.push_str(&format!(", {} more than {}", format_usd(v - w), y.title));
        } else {
            reason.push_str(&format!(
                "; {} would leave {} more but is available only on a reading with no direct authority",
                y.title,
                format_usd(w - v)
            ));
        }
    }
    reason.push_str(&format!(
        "; tax now {}: {}.",
        format_usd(x.tax_now),
        x.deferred_label
    ));
    Some(Recommendation {
        strategy: x.name.clone(),
        reason,
    })
}

#[allow(clippy::too_many_arguments)]
fn findings(
    fx: &mut Findings,
    c: &Ctx,
    f: &ExchangeFile,
    s: &[Strategy],
    windows: &[Window],
    partial_windows: &[Window],
    recapture: Decimal,
    realized: Decimal,
) {
    use crate::oz::window::GENERAL;
    fx.add(
        "plan_rough_estimate",
        Severity::Info,
        format!(
            "The taxes and values are a rough estimate from the stated assumptions (defaults used: {}): no brackets, AMT, losses, depreciation of the replacement or discounting. Not a return and not advice.",
            if c.a.defaults_used.is_empty() { "none".to_string() } else { c.a.defaults_used.join(", ") }
        ),
        PLAN_AUTH,
    );
    if realized <= Decimal::ZERO {
        fx.add(
            "plan_no_gain",
            Severity::Info,
            format!("The sale realizes no gain ({}): there is nothing to defer, and a taxable sale lets a loss be deducted where an exchange would defer it.", format_usd(realized)),
            "IRC §§1001, 1031(a), 165",
        );
    }
    if let Some(w) = windows.first() {
        fx.add(
            "oz_window_day_count",
            Severity::Info,
            format!(
                "The QOF 180 days count the day the gain is recognized as day 1: the window from {} ends {}, with no weekend or holiday extension. Calculators that count like §1031 give {} — not relied on.",
                w.start, w.end, w.end_if_counted_like_1031
            ),
            GENERAL,
        );
        if c.as_of > w.end {
            fx.add(
                "oz_window_closed",
                Severity::Warning,
                format!(
                    "The conservative QOF window (transfer date {}) closed on {}, before {}: a QOF path now rests only on readings with no direct authority.",
                    w.start, w.end, c.as_of
                ),
                GENERAL,
            );
        }
    }
    if windows
        .iter()
        .chain(partial_windows)
        .any(|w| !w.direct_authority)
    {
        fx.add(
            "oz_failed_1031_start_no_authority",
            Severity::Warning,
            "[U] uncertain: no IRS regulation, ruling, FAQ or court decision says when the 180 days start for gain of a failed or partial §1031 exchange. Articles saying IRS guidance gives a workable window after the exchange fails are not supported: the engine relies on the transfer date and shows the QI-release date only as an alternative with no direct authority.",
            crate::oz::window::FAILED_1031_INFERENCE,
        );
    }
    if recapture > Decimal::ZERO {
        fx.add(
            "oz_recapture_not_eligible",
            Severity::Info,
            format!("{} of the gain is §1245/§1250 ordinary recapture: it is taxed now on every path except a §1031 exchange and cannot be deferred in a QOF.", format_usd(recapture)),
            crate::oz::ELIGIBLE_GAIN_AUTHORITY,
        );
    }
    let qofs: Vec<&QofPlan> = s.iter().filter_map(|x| x.qof.as_ref()).collect();
    let gain_year = c.deadlines.first_transfer.year();
    if qofs.iter().any(|q| q.investment_date >= OBBBA_START) {
        fx.add(
            "oz_2027_regime",
            Severity::Info,
            format!(
                "A QOF investment made on or after 2027-01-01 uses the amended rules (5-year deferral, 10% or 30% step-up, 30-year basis cap){}: the amendments apply to \"amounts invested in qualified opportunity funds after December 31, 2026\" (P.L. 119-21 §70421(c)(5)(A)), and gain \"realized on, before, or after December 31, 2026\" invested on or after January 1, 2027 within its 180 days may be deferred under them (Notice 2026-40 §4.02(2)).",
                if gain_year < 2027 { ", even for this 2026 gain" } else { "" }
            ),
            "P.L. 119-21 §70421(c)(5)(A); Notice 2026-40 §4.02(2); Treas. Reg. §1.1400Z2(a)-1(b)(7)",
        );
        fx.add(
            "oz_election_regulation_caveat",
            Severity::Info,
            "One caveat remains: Treas. Reg. §1.1400Z2(a)-1(b)(10) still says a deferral election is \"made before January 1, 2027\"; Notice 2026-40 announces proposed regulations to change it. This is about the regulation's wording, not doubt about which regime applies.",
            "Treas. Reg. §1.1400Z2(a)-1(b)(10); Notice 2026-40",
        );
    }
    if qofs.iter().any(|q| q.investment_date < OBBBA_START) {
        fx.add(
            "oz_included_2026_12_31",
            Severity::Info,
            "A QOF investment made before 2027-01-01 is included on 2026-12-31: the gain lands on the 2026 return, so it buys almost no deferral (only the 10-year exclusion of the fund's growth).",
            "IRC §1400Z-2(b)(1) as enacted by P.L. 115-97",
        );
    }
    if !qofs.is_empty() {
        fx.add(
            "oz_zone_dates",
            Severity::Info,
            format!(
                "The 2018 opportunity zones stay designated through {ORIGINAL_ZONES_END} (Puerto Rico through {ORIGINAL_ZONES_END_PUERTO_RICO}); the new zones run from {NEW_ZONES_START} through {NEW_ZONES_END}. The fund must hold property in a zone designated at the time: check the fund."
            ),
            ZONES_AUTH,
        );
    }
    if f.related_party.is_some() && !qofs.is_empty() {
        fx.add_at(
            "oz_related_party_gain",
            Severity::Warning,
            "related_party",
            "A QOF defers only gain from a sale or exchange with an unrelated person (related = §267(b) or §707(b)(1) at 20%): if the buyer of the relinquished property is related, the QOF paths are not available.",
            "IRC §1400Z-2(a)(1), (e)(2)",
        );
    }
    if matches!(f.taxpayer.entity, Entity::CCorporation) && !c.a.niit_rate.is_zero() {
        fx.add_at(
            "plan_niit_c_corporation",
            Severity::Warning,
            "plan.niit_rate",
            "A C corporation does not pay the NIIT and has a flat rate: set plan.niit_rate = 0 and the corporate rate in plan.federal_capital_gain_rate and plan.ordinary_rate.",
            "IRC §§11(b), 1411(a)",
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::oz::window::sale_window;
    use crate::plan::{Overrides, resolve};
    use crate::{Format, parse_exchange};
    use jiff::civil::date;

    const FAILED: &str = r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "a"
location = "CA"
acquired = "2012-01-01"
transferred = "2026-08-01"
sale_price = "1600000"
adjusted_basis = "600000"
depreciation_allowed = "300000"
section1245_depreciation = "50000"
"#;

    fn ctx_plan(text: &str) -> Plan {
        let f = parse_exchange(text, Format::Toml).expect("file");
        let r = crate::analyze(&f, date(2026, 11, 25));
        let a = resolve(f.plan.as_ref(), &Overrides::default()).expect("assumptions");
        plan(&f, &r, &a).expect("plan")
    }

    #[test]
    fn failed_view_is_a_taxable_sale() {
        let f = parse_exchange(FAILED, Format::Toml).expect("file");
        let r = failed_view(&f, date(2026, 11, 25));
        assert_eq!(r.gain.recognized, Decimal::from(1_000_000));
        assert_eq!(r.gain.ordinary_recapture, Decimal::from(50_000));
    }

    #[test]
    fn nothing_identified_is_failed_and_recapture_stays_out_of_the_qof() {
        let p = ctx_plan(FAILED);
        assert_eq!(p.status, ExchangeStatus::Failed);
        assert_eq!(p.oz.eligible_gain_if_failed, Decimal::from(950_000));
        let q = p
            .strategies
            .iter()
            .find(|s| s.name == "failed_1031_gain_to_qof")
            .expect("strategy");
        assert_eq!(q.deferred, Decimal::from(950_000));
        assert_eq!(q.gain_recognized_now, Decimal::from(50_000));
        // 50,000 of recapture at 37% + 3.8%.
        assert_eq!(q.tax_now, Decimal::from(20_400));
        assert_eq!(q.recognition_date, Some(date(2032, 1, 1)));
    }

    /// Rules verified against Notice 2026-40 carry no "unverified" warning; the zone dates and
    /// the one remaining caveat (Treas. Reg. §1.1400Z2(a)-1(b)(10)) are stated.
    #[test]
    fn verified_oz_rules_carry_no_unverified_warning() {
        let p = ctx_plan(FAILED);
        let codes: Vec<&str> = p.findings.iter().map(|f| f.code.as_ref()).collect();
        assert!(!codes.contains(&"oz_2027_regime_unverified"), "{codes:?}");
        assert!(!codes.contains(&"oz_zone_end_date_unverified"), "{codes:?}");
        let zones = p.findings.iter().find(|f| f.code == "oz_zone_dates");
        assert!(
            zones.is_some_and(|f| f.message.contains("2028-12-31")
                && f.message.contains("Puerto Rico through 2027-12-31")
                && f.message.contains("2036-12-31")),
            "{zones:?}"
        );
        let caveat = p
            .findings
            .iter()
            .find(|f| f.code == "oz_election_regulation_caveat");
        assert!(
            caveat.is_some_and(|f| f.message.contains("made before January 1, 2027")
                && f.authority.contains("(b)(10)")),
            "{caveat:?}"
        );
        let texts = p
            .findings
            .iter()
            .filter(|f| f.code != "oz_failed_1031_start_no_authority")
            .map(|f| format!("{} {}", f.message, f.authority))
            .chain(p.strategies.iter().flat_map(|s| s.notes.clone()))
            .chain(
                p.explanation
                    .iter()
                    .map(|s| format!("{} {}", s.step, s.authority)),
            );
        for t in texts {
            assert!(
                !t.contains("unverified") && !t.contains("unread") && !t.contains("not retrieved"),
                "{t}"
            );
            if t.contains("1400Z") || t.contains("QOF") {
                assert!(!t.contains("[U]"), "{t}");
            }
        }
        let q = p
            .strategies
            .iter()
            .find(|s| s.name == "failed_1031_gain_to_qof")
            .and_then(|s| s.qof.as_ref())
            .map(|q| q.forms.form_8949.clone());
        assert!(q.is_some_and(|r| r.code == "Z"
            && r.column_b == date(2027, 1, 1)
            && r.columns_c_to_e_blank
            && r.section_1231_row == "QOF INVESTMENT FROM FORM 4797"
            && r.section_1231_row_column_h == -r.column_g_adjustment));
    }

    /// Only the gain put in the QOF is deferred until the inclusion date: the §1031 part has
    /// no end date and the rest of the boot's gain is taxed now.
    #[test]
    fn each_deferred_amount_is_labelled_with_its_own_treatment() {
        let text = include_str!("../../../../examples/seed000-boot-500k.toml")
            .replace("[plan]", "[plan]\nqof_amount = \"200000\"");
        let p = ctx_plan(&text);
        let s = p
            .strategies
            .iter()
            .find(|s| s.name == "partial_1031_boot_to_qof")
            .expect("strategy");
        assert_eq!(s.deferred, Decimal::from(900_000));
        assert_eq!(s.deferred_indefinitely, Decimal::from(700_000));
        assert_eq!(s.deferred_temporarily, Decimal::from(200_000));
        assert_eq!(s.recognition_date, Some(date(2032, 1, 1)));
        assert_eq!(
            s.deferred_label,
            "$700,000.00 deferred indefinitely under §1031; $200,000.00 invested in the QOF deferred until 2032-01-01; $300,000.00 taxed now"
        );
        let r = p.recommended.as_ref().expect("recommended");
        assert_eq!(r.strategy, "partial_1031_boot_to_qof");
        assert!(!r.reason.contains("$900,000.00 deferred"), "{}", r.reason);
        assert!(r.reason.contains(&s.deferred_label), "{}", r.reason);
        let f = p
            .strategies
            .iter()
            .find(|s| s.name == "failed_1031_gain_to_qof")
            .expect("strategy");
        assert_eq!(f.deferred_indefinitely, Decimal::ZERO);
        assert_eq!(f.deferred_temporarily, Decimal::from(200_000));
        assert!(
            f.deferred_label.ends_with("taxed now"),
            "{}",
            f.deferred_label
        );
        let c = p
            .strategies
            .iter()
            .find(|s| s.name == "complete_1031")
            .expect("strategy");
        assert_eq!(c.deferred_temporarily, Decimal::ZERO);
        assert_eq!(c.deferred_indefinitely, c.deferred);
    }

    #[test]
    fn in_progress_before_day_45() {
        let p = ctx_plan(&FAILED.replace("2026-11-25", "2026-08-20"));
        assert_eq!(p.status, ExchangeStatus::InProgress);
        let dst = p
            .strategies
            .iter()
            .find(|s| s.name == "dst_fallback")
            .expect("dst");
        assert!(dst.eligible);
    }

    #[test]
    fn choice_prefers_2027_inside_a_straddling_window() {
        let a = resolve(None, &Overrides::default()).expect("defaults");
        let f = parse_exchange(FAILED, Format::Toml).expect("file");
        let d =
            crate::timing::deadlines::compute(&f, &mut Trace::default(), &mut Default::default())
                .expect("deadlines");
        assert_eq!(d.first_transfer, date(2026, 8, 1));
        let c = Ctx {
            a: &a,
            rates: Rates::from(&a),
            as_of: date(2026, 11, 25),
            horizon_date: date(2036, 11, 25),
            equity: Decimal::ZERO,
            deadlines: &d,
            status: ExchangeStatus::Failed,
            transfer_long_term: true,
            year_end: YearEnd::CALENDAR,
        };
        let w = vec![sale_window("g", date(2026, 8, 1), &mut Trace::default())];
        let ch = choose(&w, &c, true).expect("open");
        assert_eq!((ch.from, ch.to), (date(2027, 1, 1), date(2027, 1, 27)));
        let w = vec![sale_window("g", date(2026, 5, 1), &mut Trace::default())];
        assert!(choose(&w, &c, true).is_none(), "closed on 2026-10-27");
    }
}
