//! The QOF side shared by the strategies that invest in a fund: when to invest, the
//! inclusion that follows, its notes, and the other gains of the year.

use crate::amount::Amount;
use crate::explain::Trace;
use crate::money::format_usd;
use crate::oz::forms::figures;
pub(crate) use crate::oz::forms::form_year;
use crate::oz::regime::{
    Inclusion, InclusionInputs, OBBBA_START, ORIGINAL_EXCLUSION_DEADLINE, Regime, inclusion,
    whole_years,
};
use crate::oz::window::{Payment, StartRule, Window};
use crate::plan::assumptions::HoldUntil;
use crate::plan::context::Ctx;
use crate::plan::tax::{GainParts, tax_on};
use crate::plan::types::{OtherGainPlan, QofPlan};
use crate::timing::holidays::{federal_holiday, is_business_day};
use jiff::civil::Date;

/// The QOF part of a strategy: when and how much to invest (`q`, of which `outside_cash` is
/// the investor's own money beyond what the file shows), the inclusion and the form figures
/// (the Form 8949 deferral row on the return for `gain_year`, the tax year the gain is
/// recognized in).
pub(crate) fn qof_plan(
    c: &Ctx,
    ch: Choice,
    (q, outside_cash): (Amount, Amount),
    inc: Inclusion,
    gain_year: i16,
) -> QofPlan {
    QofPlan {
        investment_date: ch.date,
        invest_from: ch.from,
        invest_to: ch.to,
        amount: q,
        outside_cash,
        forms: figures(
            form_year(c.year_end, gain_year),
            c.transfer_long_term,
            ch.date,
            q,
            &inc,
        ),
        advice: ch.advice,
        inclusion: inc,
    }
}

/// Why no QOF can defer the exchange's gain when the buyer of the relinquished property is
/// related: IRC §1400Z-2(a)(1) defers only "gain from the sale to, or exchange with, an
/// unrelated person", related meaning §267(b) or §707(b)(1) with 20 percent for 50 percent
/// (§1400Z-2(e)(2)); brothers and sisters are family under §267(b)(1), (c)(4).
pub(crate) const RELATED_BUYER_WORDS: &str = "Not available: the relinquished property was sold to a related person (the file names a related party and does not say it only sold you the replacement property), and a QOF defers only gain from a sale to, or exchange with, an unrelated person (IRC §1400Z-2(a)(1); related means related under IRC §267(b) or §707(b)(1) at 20 percent, IRC §1400Z-2(e)(2)).";

/// The investment date a QOF path uses.
pub(crate) struct Choice {
    pub(crate) date: Date,
    pub(crate) from: Date,
    pub(crate) to: Date,
    pub(crate) direct: bool,
    pub(crate) advice: String,
    /// The gain and start of the window chosen, in words (`Window::gain`).
    pub(crate) window: String,
    /// The window's start rule, the payment it is for and the reporting it pairs with.
    pub(crate) start_rule: StartRule,
    pub(crate) payment: Payment,
    pub(crate) pairs_with: String,
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
            start_rule: w.start_rule,
            payment: w.payment,
            pairs_with: w.pairs_with.clone(),
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
            start_rule: w.start_rule,
            payment: w.payment,
            pairs_with: w.pairs_with.clone(),
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
    pub(crate) tax_at_inclusion: Amount,
    pub(crate) holding_basis: Amount,
    pub(crate) excluded: bool,
    pub(crate) cap_years: Option<u32>,
}

pub(crate) fn qof_outcome(
    c: &Ctx,
    q: Amount,
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
            Amount::ZERO
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
                    &GainParts::split(g.gain, Amount::ZERO, Amount::ZERO),
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
                        form_year(
                            c.year_end,
                            c.year_end.year_end_containing(g.recognized_on).year(),
                        ),
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

/// A QOF investment a strategy can make, and what it costs now.
pub(crate) struct Invested {
    /// The amount invested: what the strategy wanted, or less when the money outside the
    /// fund could not pay the taxes that fall due; all of it, with money of the investor's
    /// own, when that money carries no investment at all (`outside_cash`).
    pub(crate) amount: Amount,
    /// The amount the strategy wanted to invest (the eligible gain, or the amount asked).
    pub(crate) wanted: Amount,
    /// The money the strategy has (the sale's net cash, or the boot's).
    pub(crate) cash: Amount,
    /// Money beyond `cash` that investing all of `wanted` would need (zero when it fits).
    pub(crate) shortfall: Amount,
    /// Money beyond `cash` the investment takes on its date, the investor's own: zero unless
    /// `cash` carries no investment at all.
    pub(crate) outside_cash: Amount,
    pub(crate) outcome: QofOutcome,
    /// The inclusion falls in the tax year of the gain (an investment under the original
    /// rules, included on 2026-12-31): its tax is on the same return as the sale.
    pub(crate) same_year: bool,
    /// The tax on the return of the gain's year: the gain not invested, and the gain
    /// included when it is included that same year.
    pub(crate) tax_now: Amount,
    /// The gain on that return.
    pub(crate) gain_now: Amount,
    /// The money left outside the fund after the tax now and the investment: negative when
    /// the investor's own money pays for part of them.
    pub(crate) outside: Amount,
    /// The inclusion's tax when it falls in a later year: (whole years from now, amount).
    pub(crate) later_taxes: Vec<(u32, Amount)>,
}

/// The gain invested is included in the tax year of the gain itself: the original rules'
/// inclusion on 2026-12-31 "in the taxable year which includes the earlier of" the sale of
/// the investment or December 31, 2026 (IRC §1400Z-2(b)(1) as enacted by P.L. 115-97), for
/// a gain of a tax year that contains that day. The inclusion's tax is then on the same
/// return as the sale's: nothing is deferred to a later year.
pub(crate) fn included_same_year(c: &Ctx, inclusion_date: Date, gain_year: i16) -> bool {
    crate::after::straddle::tax_year(c.year_end, inclusion_date) == gain_year
}

/// The money `cash` must hold now for an investment of `q` out of gain `parts`: the tax on
/// the gain not invested, the investment, and the inclusion's tax (now when it falls in the
/// gain's year; else what, grown at the assumed rate until the inclusion, pays it then).
fn needs(c: &Ctx, parts: &GainParts, q: Amount, date: Date, gain_year: i16) -> Amount {
    let (taken, left) = parts.take_deferrable(q);
    let o = qof_outcome(c, q, &taken, date, &mut Trace::with_words(false));
    let inclusion = if included_same_year(c, o.inc.inclusion_date, gain_year) {
        o.tax_at_inclusion
    } else {
        let f = crate::plan::tax::growth_factor(c.a.growth_pct, c.years_to(o.inc.inclusion_date));
        if f > Amount::ZERO {
            o.tax_at_inclusion / f
        } else {
            o.tax_at_inclusion
        }
    };
    (tax_on(&left, &c.rates) + q + inclusion).round_dp(2)
}

/// Invests up to `wanted` of gain `parts` on `date`, paying every tax from `cash` (the sale's
/// net cash, or the boot's): the plan spends no money the file does not show while that money
/// carries an investment. When the money left outside the fund could not pay the tax on the
/// inclusion when it falls due, the amount is cut, in whole dollars, to the most it can
/// carry, and `shortfall` says how much more money investing all of `wanted` would take.
///
/// When `cash` carries no investment at all (it does not even pay the tax that falls due
/// now), the path still exists: the gain deferred is "so much of such gain as does not exceed
/// the aggregate amount invested by the taxpayer in a qualified opportunity fund during the
/// 180-day period" (IRC §1400Z-2(a)(1)(A)), an amount, with nothing tying it to the sale's
/// own money. The plan then invests all of `wanted` with money of the investor's own
/// (`outside_cash`), and the projection counts that money as spent: a negative portfolio
/// that costs the growth it would have had ([`crate::plan::tax::project`]).
pub(crate) fn invest(
    c: &Ctx,
    cash: Amount,
    parts: &GainParts,
    wanted: Amount,
    (date, gain_year): (Date, i16),
    t: &mut Trace,
) -> Invested {
    let fits = |q: Amount| needs(c, parts, q, date, gain_year) <= cash;
    let shortfall = (needs(c, parts, wanted, date, gain_year) - cash).max(Amount::ZERO);
    let carried = if shortfall.is_zero() {
        wanted
    } else if !fits(Amount::ZERO) {
        Amount::ZERO
    } else {
        // The need grows with the amount: the largest whole-dollar amount that fits.
        let (mut lo, mut hi) = (Amount::ZERO, wanted.floor());
        while hi - lo > Amount::ONE {
            let mid = ((lo + hi) / Amount::TWO).floor();
            if fits(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    };
    let amount = if carried > Amount::ZERO {
        carried
    } else {
        wanted
    };
    let (taken, left) = parts.take_deferrable(amount);
    let outcome = qof_outcome(c, amount, &taken, date, t);
    let same_year = included_same_year(c, outcome.inc.inclusion_date, gain_year);
    let (tax_now, gain_now, later_taxes) = if same_year {
        (
            tax_on(&left, &c.rates) + outcome.tax_at_inclusion,
            left.total() + outcome.inc.amount_included,
            Vec::new(),
        )
    } else {
        (
            tax_on(&left, &c.rates),
            left.total(),
            vec![(
                c.years_to(outcome.inc.inclusion_date),
                outcome.tax_at_inclusion,
            )],
        )
    };
    let outside = cash - tax_now - amount;
    Invested {
        amount,
        wanted,
        cash,
        shortfall,
        outside_cash: if carried > Amount::ZERO {
            Amount::ZERO
        } else {
            (-outside).max(Amount::ZERO)
        },
        same_year,
        tax_now,
        gain_now,
        outside,
        later_taxes,
        outcome,
    }
}

impl Invested {
    /// What the figures rest on, in words: an amount cut to what the money can carry, an
    /// amount paid with the investor's own money, and an inclusion on the same return as the
    /// sale.
    pub(crate) fn notes(&self, cash_words: &str) -> Vec<String> {
        let mut n = Vec::new();
        if self.amount < self.wanted {
            n.push(format!(
                "The plan invests {} in the fund, not {}: {cash_words} must also pay the tax now and the tax on the gain included on {} ({}), and investing all {} would need {} more of it now. The plan never spends money the file does not show; with that much of your own money you could invest the rest.",
                format_usd(self.amount),
                format_usd(self.wanted),
                self.outcome.inc.inclusion_date,
                format_usd(self.outcome.tax_at_inclusion),
                format_usd(self.wanted),
                format_usd(self.shortfall)
            ));
        }
        if self.outside_cash > Amount::ZERO {
            n.push(self.own_money_words(cash_words));
        }
        if self.same_year {
            n.push(format!(
                "Included on {}, in the same tax year as the gain: under the original rules the gain invested is included in the taxable year that includes December 31, 2026 (IRC §1400Z-2(b)(1) as enacted by P.L. 115-97), so its tax ({}) is on the same return as the sale and is counted in the tax now. Nothing is deferred to a later year: the only benefit is the 10-year exclusion of the fund's growth (IRC §1400Z-2(c)).",
                self.outcome.inc.inclusion_date,
                format_usd(self.outcome.tax_at_inclusion)
            ));
        }
        n
    }

    /// The investment paid with the investor's own money, in words: how much, why the law
    /// allows it (IRC §1400Z-2(a)(1)(A) defers gain up to "the aggregate amount invested",
    /// from whatever money), and how the estimate counts it.
    fn own_money_words(&self, cash_words: &str) -> String {
        let inclusion = if self.same_year {
            String::new()
        } else {
            format!(
                ", and the tax on the gain included on {} ({}) is paid then from money outside the fund",
                self.outcome.inc.inclusion_date,
                format_usd(self.outcome.tax_at_inclusion)
            )
        };
        format!(
            "{} ({}) does not pay the tax that falls due and an investment in the fund, so the plan invests {} with {} of your own money beyond it now{inclusion}. A fund investment need not be paid with the money of the sale: the gain deferred is as much as does not exceed the amount invested within the 180 days (IRC §1400Z-2(a)(1)(A)). The after-tax value counts that money as yours, not free: it leaves your other savings now, with the growth it would have had there after its tax.",
            sentence_start(cash_words),
            format_usd(self.cash),
            format_usd(self.amount),
            format_usd(self.outside_cash)
        )
    }

    /// The eligibility's words on the money the investment takes beyond `cash_words`; empty
    /// when the file's money carries it.
    pub(crate) fn own_money_eligibility(&self, cash_words: &str) -> String {
        if self.outside_cash <= Amount::ZERO {
            String::new()
        } else if self.cash > Amount::ZERO {
            format!(
                " Investing {} takes {} of your own money beyond {cash_words} ({}) now.",
                format_usd(self.amount),
                format_usd(self.outside_cash),
                format_usd(self.cash)
            )
        } else {
            format!(
                " Investing {} takes {} of your own money now: {cash_words} is {}.",
                format_usd(self.amount),
                format_usd(self.outside_cash),
                format_usd(self.cash.max(Amount::ZERO))
            )
        }
    }

    /// Why nothing is invested: the amount to invest is nothing (a planned amount of zero, or
    /// a window whose payment has no eligible gain).
    pub(crate) fn nothing_words(&self) -> String {
        format!(
            "Not available: the amount to invest is {} (the amount planned, or the eligible gain of the payment the window chosen is for).",
            format_usd(self.wanted)
        )
    }
}

/// A planned amount above the eligible gain the investment can defer (of a failed exchange,
/// or of a partial one whose §1031 part defers nothing): the plan invests the eligible gain,
/// and the excess would be a separate, non-qualifying investment. "If the amount of an otherwise qualifying investment exceeds the amount of eligible gain
/// … the amount of the excess is treated as a non-qualifying investment" (Treas. Reg.
/// §1.1400Z2(a)-1(c)(6)(i); IRC §1400Z-2(e)(1)).
pub(crate) fn over_gain_words(planned: Option<Amount>, eligible: Amount) -> Option<String> {
    let q = planned.filter(|q| *q > eligible)?;
    Some(format!(
        "You planned {} in the fund, but only {} of eligible gain can be deferred: the plan counts no more than {} as the QOF investment, and the {} excess would be a non-qualifying investment, a separate investment with none of the QOF benefits (Treas. Reg. §1.1400Z2(a)-1(c)(6)(i); IRC §1400Z-2(e)(1)).",
        format_usd(q),
        format_usd(eligible),
        format_usd(eligible),
        format_usd(q - eligible)
    ))
}

/// `words` with a capital first letter, to start a sentence.
fn sentence_start(words: &str) -> String {
    let mut c = words.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().chain(c).collect::<String>()
    })
}
