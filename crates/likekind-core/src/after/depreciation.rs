//! Depreciation of the replacement property: Treas. Reg. §1.168(i)-6.
//!
//! The replacement's basis has two parts ((b)(7), (b)(8)):
//! * the **exchanged basis** (the lesser of the replacement's §1031(d) basis and the
//!   relinquished property's adjusted depreciable basis) continues the relinquished
//!   property's depreciation over its remaining recovery period ((c)(3)); if the replacement
//!   has a longer recovery period or a slower method, it is depreciated as though it had been
//!   placed in service when the relinquished property was, with the longer period and the
//!   slower method ((c)(4)(i)); with a shorter period the relinquished property's is kept
//!   ((c)(4)(ii)); mid-month on either side means mid-month ((c)(4)(v)(A));
//! * the **excess basis** is new property placed in service at replacement ((d)(1)).
//!
//! Nothing is depreciated between the disposition and the replacement, and the recovery
//! period does not run then ((c)(5)(iv)(A)). The taxpayer may elect out ((i)): the whole
//! basis is then new property placed in service at replacement; the election is made per
//! exchange on Form 4562 (Treas. Reg. §1.168(i)-6(i); Instructions for Form 4562).
//!
//! The year of replacement uses the regulation's rate: the adjusted depreciable basis at the
//! start of the year times 12 / the remaining recovery months at the start of the year, for
//! the months in service ((c)(5)(ii)(B), (c)(6) Example 4). Methods, periods and conventions
//! are inputs, so the regulation's pre-2018 examples run unchanged. Dollar schedules are
//! computed for the straight-line method only (all real property); a declining-balance
//! schedule is reported as not computed, never guessed.

use crate::after::macrs::{self, Convention, Method};
use crate::amount::Amount;
use crate::explain::Trace;
use crate::explain::money as m;
use crate::inputs;
use crate::law::cite;
use jiff::civil::Date;
use serde::Serialize;

/// The relinquished MACRS property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelinquishedMacrs {
    /// Unadjusted depreciable basis (building only, no land).
    pub unadjusted_basis: Amount,
    pub recovery_years: Amount,
    pub method: Method,
    pub convention: Convention,
    pub placed_in_service: Date,
    pub disposed: Date,
    /// Adjusted depreciable basis at disposition from the records (basis less depreciation
    /// allowed or allowable), when known; `None`: the engine's own straight-line schedule.
    pub adjusted_basis_at_disposition: Option<Amount>,
}

/// The replacement MACRS property as §168 would treat it if newly bought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplacementMacrs {
    pub recovery_years: Amount,
    pub method: Method,
    pub convention: Convention,
    pub placed_in_service: Date,
    /// Depreciable §1031(d) basis of the replacement (building only). `None`: equal to the
    /// relinquished property's adjusted depreciable basis plus `excess_basis`.
    pub depreciable_basis: Option<Amount>,
    /// Excess basis when the depreciable basis is not given (e.g. cash added).
    pub excess_basis: Amount,
}

/// One year of the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepreciationYear {
    pub year: i16,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub relinquished: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub exchanged_basis: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub excess_basis: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub total: Amount,
    /// Remaining recovery months of the exchanged basis at the start of the year.
    pub remaining_months_start: Amount,
}

/// Depreciation of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearDepreciation {
    pub year: i16,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub amount: Amount,
}

/// The whole result for one replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepreciationResult {
    pub elect_out: bool,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub exchanged_basis: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub excess_basis: Amount,
    pub exchanged_basis_recovery_years: Amount,
    pub exchanged_basis_method: Method,
    pub exchanged_basis_convention: Convention,
    pub time_of_replacement: Date,
    /// Remaining recovery period of the exchanged basis at replacement, in years.
    pub remaining_recovery_years: Amount,
    /// Months of the exchanged basis in service in the year of replacement.
    pub replacement_months_first_year: Amount,
    /// Remaining recovery months of the exchanged basis at the start of the year after the
    /// year of replacement.
    pub remaining_months_start_next_year: Amount,
    /// Relinquished property's depreciation by year up to the disposition (straight line).
    pub relinquished_by_year: Vec<YearDepreciation>,
    /// Remaining months of the relinquished property's own recovery period at the start of
    /// the year of disposition.
    pub relinquished_remaining_months_start: Amount,
    /// Remaining months of the exchanged basis's recovery period at the start of the year
    /// of disposition.
    pub exchanged_remaining_months_start: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub adjusted_basis_at_disposition: Amount,
    /// Year by year from the year of disposition; empty when not computable (see `note`).
    pub schedule: Vec<DepreciationYear>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Straight-line amounts of a property from its first year (`first` months), `n` recovery
/// months, `basis`; yields `years` values starting in the placement year.
fn straight_line(basis: Amount, n: Amount, first: Amount, years: usize) -> Vec<Amount> {
    // Each year is the difference of cumulative amounts, so the years add up to the basis
    // exactly once the recovery period is over (no drift from repeated division).
    let mut out = Vec::with_capacity(years);
    let mut months = Amount::ZERO;
    let mut before = Amount::ZERO;
    for k in 0..years {
        months += if k == 0 { first } else { Amount::from(12) };
        let cum = if n.is_zero() || months >= n {
            basis
        } else {
            basis * months.max(Amount::ZERO) / n
        };
        out.push((cum - before).max(Amount::ZERO));
        before = cum;
    }
    out
}

/// Exchanged and excess basis: the exchanged basis is the lesser of the replacement's
/// §1031(d) depreciable basis and the relinquished property's adjusted depreciable basis;
/// the excess basis is the rest. Authority: Treas. Reg. §1.168(i)-6(b)(7), (b)(8).
pub fn split_basis(replacement_basis: Amount, relinquished_adb: Amount) -> (Amount, Amount) {
    let zero = Amount::ZERO;
    (
        replacement_basis.min(relinquished_adb).max(zero),
        (replacement_basis - relinquished_adb).max(zero),
    )
}

/// Depreciation of property newly placed in service (excess basis, or the whole basis after
/// the election out), straight line, for `years` years from the year placed in service.
/// `None` for a declining-balance method (not computed). Authority: Treas. Reg.
/// §1.168(i)-6(d)(1), (i); IRC §168(b)(3), (d).
pub fn new_property(
    basis: Amount,
    recovery_years: Amount,
    method: Method,
    convention: Convention,
    placed_in_service: Date,
    years: usize,
) -> Option<Vec<Amount>> {
    if method != Method::StraightLine && !basis.is_zero() {
        return None;
    }
    Some(straight_line(
        basis,
        recovery_years * Amount::from(12),
        macrs::first_year_months(convention, placed_in_service),
        years,
    ))
}

/// Computes the §1.168(i)-6 treatment and a `years`-year schedule from the year of
/// disposition. Authority: Treas. Reg. §1.168(i)-6(b)(4), (b)(7)-(8), (c)(3)-(6), (d)(1), (i).
pub fn compute(
    rel: &RelinquishedMacrs,
    rep: &ReplacementMacrs,
    elect_out: bool,
    years: u16,
    t: &mut Trace,
) -> DepreciationResult {
    let zero = Amount::ZERO;
    let twelve = Amount::from(12);
    let own = relinquished_own(rel);
    let mut note = own.note.clone();
    let adb_disp = match rel.adjusted_basis_at_disposition {
        Some(a) => a.max(zero),
        None => own.adb_start - own.disp_dep,
    };
    let x = exchanged_terms(rel, rep, &own);

    // (b)(7)-(8): exchanged and excess basis.
    let (exchanged, excess) = match rep.depreciable_basis {
        Some(b) => split_basis(b, adb_disp),
        None => (adb_disp.max(zero), rep.excess_basis),
    };
    crate::step!(
        t,
        "depreciation.exchanged_basis",
        "Exchanged basis = the lesser of the replacement's depreciable basis and the relinquished property's adjusted depreciable basis; excess basis = the rest, treated as new property placed in service at replacement",
        format!("exchanged {} / excess {}", m(exchanged), m(excess)),
        cite!(REG_1_168_I_6 "(b)(7), (b)(8), (d)(1)"),
        inputs!["adjusted depreciable basis at disposition" => m(adb_disp), "replacement depreciable basis" => rep.depreciable_basis.map(m).unwrap_or_else(|| "not given".into())],
    );
    crate::step!(
        t,
        "depreciation.exchanged_basis_period",
        "Exchanged basis: remaining recovery period of the relinquished property, or the replacement's longer period as though placed in service when the relinquished property was; the slower method; mid-month if either property is mid-month. No depreciation and no running of the period between disposition and replacement",
        format!(
            "{} years {} {}, {} years remaining at {}",
            x.period / twelve,
            x.method.as_str(),
            x.convention.as_str(),
            x.rem_at_disp / twelve,
            x.time_of_replacement
        ),
        cite!(REG_1_168_I_6 "(b)(4), (c)(3)-(c)(5)"),
        inputs!["relinquished placed in service" => rel.placed_in_service, "disposed" => rel.disposed, "replacement placed in service" => rep.placed_in_service],
    );

    let n_years = usize::from(years.max(1));
    let mut schedule = Vec::new();
    let sl_exch = x.method == Method::StraightLine;
    if (own.straight_line || rel.unadjusted_basis.is_zero()) && (sl_exch || exchanged.is_zero()) {
        let basis = Bases {
            adb_disp,
            exchanged,
            excess,
            elect_out,
        };
        let (rows, new_note) = year_by_year(rel, rep, &own, &x, &basis, n_years);
        if new_note.is_some() {
            note = new_note;
        }
        schedule = rows;
        if let Some(first) = schedule.first() {
            crate::step!(
                t,
                "depreciation.year_of_exchange",
                if elect_out {
                    "Election out: the whole basis (exchanged + excess) is new property placed in service at replacement; the relinquished property is depreciated up to its disposition"
                } else {
                    "Year of the exchange: relinquished property up to the disposition; exchanged basis at 12 / remaining months on the adjusted depreciable basis at the start of the year, for the months in service; excess basis as new property"
                },
                m(first.total),
                cite!(REG_1_168_I_6 "(c)(5)(ii), (c)(6) Examples 1 and 4, (d)(1), (i)"; IRC_168 "(b)(3), (d)(2)"),
                inputs!["relinquished" => m(first.relinquished), "exchanged basis" => m(first.exchanged_basis), "excess basis" => m(first.excess_basis)],
            );
        }
    } else if note.is_none() {
        note = Some(
            "a declining-balance exchanged-basis schedule is not computed (straight line only)"
                .into(),
        );
    }
    DepreciationResult {
        elect_out,
        exchanged_basis: exchanged,
        excess_basis: excess,
        exchanged_basis_recovery_years: x.period / twelve,
        exchanged_basis_method: x.method,
        exchanged_basis_convention: x.convention,
        time_of_replacement: x.time_of_replacement,
        remaining_recovery_years: x.rem_at_disp / twelve,
        replacement_months_first_year: x.rep_months,
        remaining_months_start_next_year: (x.rem_at_disp - x.rep_months).max(zero),
        relinquished_by_year: own.by_year,
        relinquished_remaining_months_start: own.rem_start,
        exchanged_remaining_months_start: x.exch_rem_start,
        adjusted_basis_at_disposition: adb_disp,
        schedule,
        note,
    }
}

/// The relinquished property's own depreciation up to its disposition (straight line only).
struct RelinquishedOwn {
    /// Its recovery period, in months.
    n_rel: Amount,
    /// Whole years between the year placed in service and the year of disposition.
    years_between: Amount,
    /// Months of recovery left at the start of the year of disposition.
    rem_start: Amount,
    straight_line: bool,
    by_year: Vec<YearDepreciation>,
    /// Adjusted depreciable basis at the start of the year of disposition.
    adb_start: Amount,
    /// Depreciation in the year of disposition.
    disp_dep: Amount,
    note: Option<String>,
}

fn relinquished_own(rel: &RelinquishedMacrs) -> RelinquishedOwn {
    let zero = Amount::ZERO;
    let twelve = Amount::from(12);
    let mut note = None;
    let y_pis = rel.placed_in_service.year();
    let y_disp = rel.disposed.year();
    let n_rel = rel.recovery_years * twelve;
    let rel_first = macrs::first_year_months(rel.convention, rel.placed_in_service);
    let years_between = Amount::from((y_disp - y_pis - 1).max(0));
    let rel_rem_start = if y_disp > y_pis {
        (n_rel - rel_first - twelve * years_between).max(zero)
    } else {
        n_rel
    };
    // The relinquished property's own depreciation (straight line only).
    let rel_sl = rel.method == Method::StraightLine;
    let mut rel_by_year = Vec::new();
    let mut adb_start = rel.unadjusted_basis;
    let mut rel_disp_dep = zero;
    if rel_sl {
        let span = (y_disp - y_pis) as usize;
        let amounts = straight_line(rel.unadjusted_basis, n_rel, rel_first, span + 1);
        for (k, a) in amounts.iter().enumerate().take(span) {
            rel_by_year.push(YearDepreciation {
                year: y_pis + k as i16,
                amount: *a,
            });
            adb_start -= *a;
        }
        let before = macrs::months_before_disposition(rel.convention, rel.disposed);
        let months = if y_disp > y_pis {
            before.min(rel_rem_start)
        } else {
            (before - (twelve - rel_first)).max(zero)
        };
        rel_disp_dep = if months >= rel_rem_start {
            adb_start
        } else {
            (rel.unadjusted_basis * months / n_rel).min(adb_start)
        };
        rel_by_year.push(YearDepreciation {
            year: y_disp,
            amount: rel_disp_dep,
        });
    } else if !rel.unadjusted_basis.is_zero() {
        note = Some(format!(
            "the relinquished property's {} schedule is not computed (straight line only): dollar amounts are omitted",
            rel.method.as_str()
        ));
    }
    RelinquishedOwn {
        n_rel,
        years_between,
        rem_start: rel_rem_start,
        straight_line: rel_sl,
        by_year: rel_by_year,
        adb_start,
        disp_dep: rel_disp_dep,
        note,
    }
}

/// (c)(3)-(4): the period, method and convention of the exchanged basis, the months of it
/// left, and the time of replacement.
struct ExchangedTerms {
    /// The replacement's own recovery period, in months.
    n_rep: Amount,
    period: Amount,
    method: Method,
    convention: Convention,
    /// Months left at the start of the year of disposition.
    exch_rem_start: Amount,
    /// Months left at the disposition.
    rem_at_disp: Amount,
    time_of_replacement: Date,
    /// Months in service in the year of replacement.
    rep_months: Amount,
}

fn exchanged_terms(
    rel: &RelinquishedMacrs,
    rep: &ReplacementMacrs,
    own: &RelinquishedOwn,
) -> ExchangedTerms {
    let zero = Amount::ZERO;
    let twelve = Amount::from(12);
    let y_pis = rel.placed_in_service.year();
    let y_disp = rel.disposed.year();
    let n_rep = rep.recovery_years * twelve;
    let period = if n_rep > own.n_rel { n_rep } else { own.n_rel };
    let method = rel.method.min(rep.method);
    let convention =
        if rel.convention == Convention::MidMonth || rep.convention == Convention::MidMonth {
            Convention::MidMonth
        } else {
            // [U] (c)(4)(v)(B)-(C) for two non-mid-month conventions not retrieved; the
            // relinquished property's convention is kept.
            rel.convention
        };
    let deemed_pis = macrs::deemed_date(rel.convention, rel.placed_in_service);
    let exch_first = macrs::first_year_months(convention, deemed_pis);
    let exch_rem_start = if y_disp > y_pis {
        (period - exch_first - twelve * own.years_between).max(zero)
    } else {
        period
    };
    let deemed_disp = macrs::deemed_date(rel.convention, rel.disposed);
    let consumed = if y_disp > y_pis {
        macrs::months_before_disposition(convention, deemed_disp)
    } else {
        (macrs::months_before_disposition(convention, deemed_disp) - (twelve - exch_first))
            .max(zero)
    };
    let rem_at_disp = (exch_rem_start - consumed).max(zero);
    let deemed_rep = macrs::deemed_date(convention, rep.placed_in_service);
    let time_of_replacement = deemed_disp.max(deemed_rep);
    let rep_months = macrs::first_year_months(convention, time_of_replacement);
    ExchangedTerms {
        n_rep,
        period,
        method,
        convention,
        exch_rem_start,
        rem_at_disp,
        time_of_replacement,
        rep_months,
    }
}

/// The bases the schedule depreciates.
struct Bases {
    /// The relinquished property's adjusted depreciable basis at the disposition.
    adb_disp: Amount,
    exchanged: Amount,
    excess: Amount,
    elect_out: bool,
}

/// The exchanged basis year by year from the year of replacement: (year, depreciation,
/// months left at the start of the year), and the months left at the start of the year of
/// replacement.
fn exchanged_by_year(
    rel: &RelinquishedMacrs,
    own: &RelinquishedOwn,
    x: &ExchangedTerms,
    b: &Bases,
    n_years: usize,
) -> (Vec<(i16, Amount, Amount)>, Amount) {
    let zero = Amount::ZERO;
    let twelve = Amount::from(12);
    let y_disp = rel.disposed.year();
    let y_rep = x.time_of_replacement.year();
    let (exchanged, adb_disp, rem_at_disp, rep_months) =
        (b.exchanged, b.adb_disp, x.rem_at_disp, x.rep_months);
    let mut exch_by_year: Vec<(i16, Amount, Amount)> = Vec::new(); // (year, dep, rem start)
    let mut adb = exchanged;
    let mut rem;
    // Year of replacement.
    let (first_dep, rem_after) = if y_rep == y_disp {
        let base_start = if adb_disp.is_zero() {
            zero
        } else {
            (adb_disp + own.disp_dep) * exchanged / adb_disp
        };
        let d = if x.exch_rem_start.is_zero() {
            zero
        } else if rep_months >= rem_at_disp {
            exchanged
        } else {
            base_start * rep_months / x.exch_rem_start
        };
        (d.min(exchanged), (rem_at_disp - rep_months).max(zero))
    } else {
        let d = if rem_at_disp.is_zero() || rep_months >= rem_at_disp {
            exchanged
        } else {
            exchanged * rep_months / rem_at_disp
        };
        (d.min(exchanged), (rem_at_disp - rep_months).max(zero))
    };
    let rem_start_rep_year = if y_rep == y_disp {
        x.exch_rem_start
    } else {
        rem_at_disp
    };
    exch_by_year.push((y_rep, first_dep, rem_start_rep_year));
    adb -= first_dep;
    rem = rem_after;
    let last_year = y_disp + n_years as i16 - 1;
    let mut y = y_rep + 1;
    while y <= last_year {
        let d = if rem <= twelve {
            adb
        } else {
            adb * twelve / rem
        };
        exch_by_year.push((y, d, rem));
        adb -= d;
        rem = (rem - twelve).max(zero);
        y += 1;
    }
    (exch_by_year, rem_start_rep_year)
}

/// The schedule from the year of disposition: the relinquished property up to its
/// disposition, the exchanged basis, and the excess basis (or, electing out, the whole
/// basis) as new property; with a note when the excess basis's method is not computed.
fn year_by_year(
    rel: &RelinquishedMacrs,
    rep: &ReplacementMacrs,
    own: &RelinquishedOwn,
    x: &ExchangedTerms,
    b: &Bases,
    n_years: usize,
) -> (Vec<DepreciationYear>, Option<String>) {
    let zero = Amount::ZERO;
    let y_disp = rel.disposed.year();
    let mut note = None;
    let (exch_by_year, rem_start_rep_year) = exchanged_by_year(rel, own, x, b, n_years);
    // Excess basis (or, electing out, the whole basis) as new property.
    let new_basis = if b.elect_out {
        b.exchanged + b.excess
    } else {
        b.excess
    };
    let new_first = macrs::first_year_months(rep.convention, rep.placed_in_service);
    let y_new = rep.placed_in_service.year();
    let new_sched = if rep.method == Method::StraightLine || new_basis.is_zero() {
        straight_line(new_basis, x.n_rep, new_first, n_years)
    } else {
        note = Some(format!(
            "the {} schedule of the excess basis is not computed (straight line only)",
            rep.method.as_str()
        ));
        vec![]
    };
    let mut schedule = Vec::new();
    for k in 0..n_years {
        let year = y_disp + k as i16;
        let relq = own
            .by_year
            .iter()
            .find(|x| x.year == year)
            .map(|x| x.amount)
            .unwrap_or(zero);
        let (ex, rem_s) = if b.elect_out {
            (zero, zero)
        } else {
            exch_by_year
                .iter()
                .find(|x| x.0 == year)
                .map(|x| (x.1, x.2))
                .unwrap_or((zero, rem_start_rep_year))
        };
        let nw = if year >= y_new {
            new_sched
                .get((year - y_new) as usize)
                .copied()
                .unwrap_or(zero)
        } else {
            zero
        };
        schedule.push(DepreciationYear {
            year,
            relinquished: relq,
            exchanged_basis: ex,
            excess_basis: nw,
            total: relq + ex + nw,
            remaining_months_start: if year == y_disp {
                x.exch_rem_start
            } else {
                rem_s
            },
        });
    }
    (schedule, note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn building(basis: Amount, pis: Date, disp: Date) -> RelinquishedMacrs {
        RelinquishedMacrs {
            unadjusted_basis: basis,
            recovery_years: amt!(27.5),
            method: Method::StraightLine,
            convention: Convention::MidMonth,
            placed_in_service: pis,
            disposed: disp,
            adjusted_basis_at_disposition: None,
        }
    }

    /// Treas. Reg. §1.168(i)-6(c)(6) Example 1: the deferred-exchange gap.
    #[test]
    fn example_1_gap() {
        let rel = RelinquishedMacrs {
            unadjusted_basis: amt!(4680000),
            recovery_years: amt!(39),
            method: Method::StraightLine,
            convention: Convention::MidMonth,
            placed_in_service: date(1997, 7, 15),
            disposed: date(2004, 7, 15),
            adjusted_basis_at_disposition: None,
        };
        let rep = ReplacementMacrs {
            recovery_years: amt!(39),
            method: Method::StraightLine,
            convention: Convention::MidMonth,
            placed_in_service: date(2004, 10, 15),
            depreciable_basis: None,
            excess_basis: amt!(0),
        };
        let r = compute(&rel, &rep, false, 3, &mut Trace::default());
        assert_eq!(r.schedule[0].relinquished, amt!(65000));
        assert_eq!(r.schedule[0].exchanged_basis, amt!(25000));
        assert_eq!(r.schedule[1].exchanged_basis, amt!(120000));
        assert_eq!(r.remaining_recovery_years, amt!(32));
    }

    /// A deferred exchange across the year end: nothing on the exchanged basis in the year
    /// of disposition, and the recovery period is suspended until replacement.
    #[test]
    fn gap_across_year_end() {
        let rel = building(amt!(330000), date(2016, 1, 15), date(2026, 12, 10));
        let rep = ReplacementMacrs {
            recovery_years: amt!(27.5),
            method: Method::StraightLine,
            convention: Convention::MidMonth,
            placed_in_service: date(2027, 2, 20),
            depreciable_basis: None,
            excess_basis: amt!(0),
        };
        let r = compute(&rel, &rep, false, 3, &mut Trace::default());
        // 2026: 11.5 months on the relinquished building only.
        assert_eq!(r.schedule[0].relinquished, amt!(11500));
        assert_eq!(r.schedule[0].exchanged_basis, amt!(0));
        // Remaining at disposition: 330 - 11.5 - 108 - 11.5 = 199 months; 2027 gets 10.5.
        assert_eq!(r.remaining_recovery_years * amt!(12), amt!(199));
        assert_eq!(r.schedule[1].exchanged_basis, amt!(10500));
        assert_eq!(r.schedule[2].exchanged_basis, amt!(12000));
    }

    /// Election out: the whole basis restarts at replacement (Treas. Reg. §1.168(i)-6(i)).
    #[test]
    fn election_out_restarts_whole_basis() {
        let rel = building(amt!(330000), date(2016, 1, 15), date(2026, 1, 20));
        let rep = ReplacementMacrs {
            recovery_years: amt!(27.5),
            method: Method::StraightLine,
            convention: Convention::MidMonth,
            placed_in_service: date(2026, 1, 20),
            depreciable_basis: Some(amt!(330000)),
            excess_basis: amt!(0),
        };
        let r = compute(&rel, &rep, true, 2, &mut Trace::default());
        assert_eq!(r.schedule[0].exchanged_basis, amt!(0));
        // 330,000 / 330 months x 11.5 = 11,500.
        assert_eq!(r.schedule[0].excess_basis, amt!(11500));
        assert_eq!(r.schedule[1].excess_basis, amt!(12000));
    }

    proptest! {
        /// Never more depreciation than basis; exchanged + excess = depreciable basis.
        #[test]
        fn never_more_than_basis(
            basis in 1_000i64..5_000_000,
            extra in 0i64..1_000_000,
            pis_y in 1990i16..2020, pis_m in 1i8..=12,
            gap in 0i32..170, held in 1i16..40, elect in any::<bool>(), nonres in any::<bool>(),
        ) {
            let pis = date(pis_y, pis_m, 10);
            let disp = date(pis_y + held, 3, 1);
            let mut rel = building(Amount::from(basis), pis, disp);
            if nonres { rel.recovery_years = amt!(39); }
            let rep_date = crate::timing::calendar::add_days(disp, gap);
            let adb_guess = Amount::from(basis) / amt!(2);
            let dep_basis = adb_guess + Amount::from(extra);
            let rep = ReplacementMacrs {
                recovery_years: amt!(27.5),
                method: Method::StraightLine,
                convention: Convention::MidMonth,
                placed_in_service: rep_date,
                depreciable_basis: Some(dep_basis),
                excess_basis: amt!(0),
            };
            let r = compute(&rel, &rep, elect, 60, &mut Trace::default());
            let adb = r.adjusted_basis_at_disposition;
            prop_assert_eq!(r.exchanged_basis + r.excess_basis, dep_basis);
            let eps0 = amt!(0.000000000001);
            prop_assert!(adb >= -eps0);
            let rel_total: Amount = r.relinquished_by_year.iter().map(|x| x.amount).sum();
            prop_assert!(rel_total <= Amount::from(basis) + amt!(0.000000000001));
            let exch: Amount = r.schedule.iter().map(|y| y.exchanged_basis).sum();
            let exc: Amount = r.schedule.iter().map(|y| y.excess_basis).sum();
            // Decimal keeps 28 significant digits: sums may differ in the 1e-20 place.
            let eps = amt!(0.000000000001);
            prop_assert!(exch <= r.exchanged_basis + eps);
            prop_assert!(exch + exc <= r.exchanged_basis + r.excess_basis + eps);
            for y in &r.schedule {
                prop_assert!(y.exchanged_basis >= Amount::ZERO && y.excess_basis >= Amount::ZERO);
            }
        }
    }
}
