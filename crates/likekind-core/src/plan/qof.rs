//! The QOF side shared by the strategies that invest in a fund: when to invest, the
//! inclusion that follows, its notes, and the other gains of the year.

use crate::explain::Trace;
use crate::oz::forms::figures;
use crate::oz::regime::{
    Inclusion, InclusionInputs, OBBBA_START, ORIGINAL_EXCLUSION_DEADLINE, Regime, inclusion,
    whole_years,
};
use crate::oz::window::Window;
use crate::plan::assumptions::HoldUntil;
use crate::plan::context::Ctx;
use crate::plan::tax::{GainParts, tax_on};
use crate::plan::types::{OtherGainPlan, QofPlan};
use crate::timing::holidays::{federal_holiday, is_business_day};
use jiff::civil::Date;
use rust_decimal::Decimal;

/// The QOF part of a strategy: when and how much to invest, the inclusion and the form figures
/// (the Form 8949 deferral row on the return for `gain_year`, the tax year the gain is
/// recognized in).
pub(crate) fn qof_plan(c: &Ctx, ch: Choice, q: Decimal, inc: Inclusion, gain_year: i16) -> QofPlan {
    QofPlan {
        investment_date: ch.date,
        invest_from: ch.from,
        invest_to: ch.to,
        amount: q,
        forms: figures(gain_year, c.transfer_long_term, ch.date, q, &inc),
        advice: ch.advice,
        inclusion: inc,
    }
}

/// The investment date a QOF path uses.
pub(crate) struct Choice {
    pub(crate) date: Date,
    pub(crate) from: Date,
    pub(crate) to: Date,
    pub(crate) direct: bool,
    pub(crate) advice: String,
    /// The gain and start of the window chosen, in words (`Window::gain`).
    pub(crate) window: String,
}

/// The best investment date: the planned date if given, else the first open window (the
/// one with direct authority first) and, where it reaches 2027, its first day on or after
/// 2027-01-01 (the amended regime's 5-year deferral instead of inclusion on 2026-12-31),
/// moved to the first business day in the window when that day is a weekend or holiday.
pub(crate) fn choose(windows: &[Window], c: &Ctx, use_planned: bool) -> Option<Choice> {
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
            window: w.gain.clone(),
        });
    }
    let mut ordered: Vec<&Window> = windows.iter().collect();
    ordered.sort_by_key(|w| !w.direct_authority);
    for w in ordered {
        let from = w.start.max(c.as_of);
        if from > w.end {
            continue;
        }
        // From 2027-01-01 where the window reaches it: the amended regime's 5-year deferral.
        let earliest = if w.end >= OBBBA_START {
            from.max(OBBBA_START)
        } else {
            from
        };
        let date = business_day_in(earliest, w.end).unwrap_or(earliest);
        let mut advice = if w.end < OBBBA_START {
            format!(
                "invest between {date} and {}; any investment before 2027-01-01 is included on 2026-12-31",
                w.end
            )
        } else if from < OBBBA_START {
            format!(
                "invest between {date} and {} to get the 5-year deferral instead of inclusion on 2026-12-31",
                w.end
            )
        } else {
            format!("invest between {date} and {}", w.end)
        };
        advice.push_str(&business_day_words(earliest, date, w.end));
        return Some(Choice {
            date,
            from: date,
            to: w.end,
            direct: w.direct_authority,
            advice,
            window: w.gain.clone(),
        });
    }
    None
}

/// The first business day from `earliest` to `end`, the window's last day: a fund takes in
/// money only on days the banks move it, and a QI expects the wire on a business day. None
/// when every day left is a weekend or holiday.
fn business_day_in(earliest: Date, end: Date) -> Option<Date> {
    let mut d = earliest;
    while d <= end {
        if is_business_day(d) {
            return Some(d);
        }
        d = d.tomorrow().ok()?;
    }
    None
}

/// A weekend or a federal holiday, in words.
fn closed_day(d: Date) -> String {
    federal_holiday(d).map_or_else(
        || format!("a {:?}", d.weekday()),
        |h| format!("a federal holiday ({h})"),
    )
}

/// Why the date the plan chose is not the window's first open day, and what to do when the
/// window's last day is a weekend or holiday. The 180 days of IRC §1400Z-2(a)(1)(A) run on
/// calendar days, and no regulation extends them past a weekend or holiday (Treas. Reg.
/// §1.1400Z2(a)-1(b)(7)); whether IRC §7503 would save an investment made the next business
/// day is not settled, so the plan never counts on it.
fn business_day_words(earliest: Date, date: Date, end: Date) -> String {
    let mut words = String::new();
    if date != earliest {
        words.push_str(&format!(
            "; {earliest} is {}, so the plan invests on {date}, the first business day after it",
            closed_day(earliest)
        ));
    } else if !is_business_day(date) {
        words.push_str(&format!(
            "; every day left in the window is a weekend or holiday ({earliest} is {}): arrange with the fund to take the money on one of them",
            closed_day(earliest)
        ));
    }
    if !is_business_day(end) {
        let mut last = end;
        while last > date && !is_business_day(last) {
            last = last.yesterday().unwrap_or(date);
        }
        words.push_str(&format!(
            "; the last day, {end}, is {}: the 180 days are not extended for weekends or holidays (whether IRC §7503 would save an investment made the next business day is not settled [U]), so invest by {last}",
            closed_day(end)
        ));
    }
    words
}

/// A QOF investment of `q` out of gain `parts`, projected: inclusion (with the FMV the
/// growth assumption gives), its tax, and the holdings' QOF fields.
pub(crate) struct QofOutcome {
    pub(crate) inc: Inclusion,
    pub(crate) tax_at_inclusion: Decimal,
    pub(crate) holding_basis: Decimal,
    pub(crate) excluded: bool,
    pub(crate) cap_years: Option<u32>,
}

pub(crate) fn qof_outcome(
    c: &Ctx,
    q: Decimal,
    taken: &GainParts,
    date: Date,
    t: &mut Trace,
) -> QofOutcome {
    let disposed = (c.a.hold_until == HoldUntil::Sale).then_some(c.horizon_date);
    let first = inclusion(
        &InclusionInputs {
            deferred_gain: q,
            investment_date: date,
            qrof: c.a.qrof,
            fmv_at_inclusion: q,
            disposed_on: disposed,
        },
        &mut Trace::with_words(false),
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

pub(crate) fn qof_notes(inc: &Inclusion, c: &Ctx, direct: bool) -> Vec<String> {
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
    n.push(format!(
        "The estimate counts the tax on the gain included as paid on the inclusion date ({}) from the money outside the fund (it is due with that year's return), so that money and its growth are gone from then on.",
        inc.inclusion_date
    ));
    if c.a.hold_until == HoldUntil::Sale {
        if c.horizon_date < inc.earliest_10_year_date {
            n.push(format!(
                "Sold at the horizon ({}), before the investment is 10 years old ({}): no exclusion, the fund's growth is taxed like any gain; held until {} it could be excluded (IRC §1400Z-2(c)).",
                c.horizon_date, inc.earliest_10_year_date, inc.earliest_10_year_date
            ));
        } else if inc
            .exclusion_election_deadline
            .is_some_and(|dl| c.horizon_date > dl)
        {
            n.push(format!(
                "Sold at the horizon ({}), after the last date the regulations allow the 10-year election for an investment under the original rules ({ORIGINAL_EXCLUSION_DEADLINE}): the fund's growth is taxed (Treas. Reg. §1.1400Z2(c)-1).",
                c.horizon_date
            ));
        }
    }
    if !direct {
        n.push("This investment date relies on a start of the 180 days on the day the exchange funds count as received, which has no direct authority (no regulation, ruling or IRS FAQ): review with an adviser before relying on it.".to_string());
    }
    if c.a.hold_until == HoldUntil::Death && c.horizon_date < inc.inclusion_date {
        n.push("Death before the inclusion date does not erase the deferred gain: it is income in respect of a decedent, counted here as still owed.".to_string());
    }
    n
}

/// Windows and the best QOF date for each other gain: a separate gain can use a QOF while
/// the exchange defers the real estate gain under §1031 (different dollars).
pub(crate) fn other_gain_plans(
    c: &Ctx,
    windows: &mut Vec<Window>,
    t: &mut Trace,
) -> Vec<OtherGainPlan> {
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
                    forms: Some(figures(
                        c.year_end.year_end_containing(g.recognized_on).year(),
                        true,
                        ch.date,
                        g.gain,
                        &o.inc,
                    )),
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
