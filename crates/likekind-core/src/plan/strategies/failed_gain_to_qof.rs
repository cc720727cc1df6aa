//! Failed §1031: the gain of the taxable sale invested in a QOF.

use crate::amount::Amount;
use crate::explain::Trace;
use crate::money::format_usd;
use crate::oz::window::StartRule;
use crate::oz::window::Window;
use crate::plan::context::Ctx;
use crate::plan::payments::{Portion, portion};
use crate::plan::qof::{
    Choice, RELATED_BUYER_WORDS, choose, invest, over_gain_words, qof_notes, qof_plan,
};
use crate::plan::tax::{GainParts, Holdings, project, tax_on};
use crate::plan::types::{ExchangeStatus, Strategy};

/// The sale's net cash, in the words of the notes.
const CASH_WORDS: &str = "the sale's net cash";

pub(crate) fn failed_gain_to_qof(
    c: &Ctx,
    parts: &GainParts,
    (eligible, ordinary_recapture): (Amount, Amount),
    windows: &[Window],
    t: &mut Trace,
) -> Strategy {
    // No figures until a window is chosen and the investment figured: a path that is not
    // available shows none (QA12 D9).
    let mut s = Strategy::not_available("failed_1031_gain_to_qof", "Failed 1031, gain into a QOF");
    if c.related_buyer {
        s.eligibility = RELATED_BUYER_WORDS.into();
        return s;
    }
    if let Some(why) = no_eligible_gain(parts, eligible) {
        s.eligibility = why.into();
        return s;
    }
    let Some(ch) = choose(windows, c, true) else {
        s.eligibility = format!(
            "Every 180-day window for the failed exchange's gain has closed (conservative window ended {}).",
            windows.first().map_or("-".into(), |w| w.end.to_string())
        );
        return s;
    };
    let (por, tax_other_now, later) = portion_of(c, parts, &ch);
    let wanted = c.a.qof_amount.map_or(por.eligible, |x| x.min(por.eligible));
    let cash = c.equity - tax_other_now - later;
    let v = invest(c, cash, &por.parts, wanted, (ch.date, por.gain_year), t);
    if v.amount <= Amount::ZERO {
        s.eligibility = v.nothing_words();
        return s;
    }
    let o = &v.outcome;
    let mut later_taxes = v.later_taxes.clone();
    later_taxes.extend(por.other_later.map(|(d, tax)| (c.years_to(d), tax)));
    let h = Holdings {
        qof: v.amount,
        qof_basis_at_horizon: o.holding_basis,
        qof_excluded: o.excluded,
        qof_cap_years: o.cap_years,
        taxable: v.outside + later,
        later_taxes,
        ..Holdings::default()
    };
    let p = project(&h, c.a);
    let applies = matches!(
        c.status,
        ExchangeStatus::Failed | ExchangeStatus::InProgress
    );
    s.eligible = applies;
    s.relies_on_no_direct_authority = !ch.direct;
    s.hypothetical = !applies;
    // A window with no direct authority (the QI's release, or the end of its tax year) says
    // so where the path is offered, as the window's own note does.
    let footing = if ch.direct {
        String::new()
    } else {
        format!(
            " This rests on a start with no direct authority ({}; Reg. 1.1031(k)-1(j)(2) with Reg. 1.1400Z2(a)-1(b)(11)(viii)(B)).",
            ch.window
        )
    };
    // What the money the file shows cannot carry, said where the path is offered.
    let pairing = pairing_words(&ch, &por, eligible) + &v.own_money_eligibility(CASH_WORDS);
    s.eligibility = if applies {
        format!(
            "{} of the {} gain is eligible ({} not); {}.{footing}{pairing}",
            format_usd(eligible),
            format_usd(parts.total()),
            if parts.ordinary > ordinary_recapture {
                "ordinary income, the recapture and gain on business or depreciated property held one year or less among it, is"
            } else {
                "ordinary recapture is"
            },
            ch.advice
        )
    } else {
        format!(
            "Hypothetical: applies only if the exchange fails (status: {}); {}.{footing}{pairing}",
            c.status.words(),
            ch.advice
        )
    };
    fill_figures(&mut s, &v, p);
    s.tax_now += tax_other_now;
    s.gain_recognized_now += por.other_now.total();
    s.notes = qof_notes(&o.inc, c, ch.direct);
    s.notes.extend(v.notes(CASH_WORDS));
    s.notes
        .extend(over_gain_words(c.a.qof_amount, por.eligible));
    s.notes.push("A genuinely failed exchange redirected to a QOF has its own statutory basis; a contrived failure or round-trip structure risks the step-transaction doctrine.".into());
    let money = (v.amount, v.outside_cash);
    s.qof = Some(qof_plan(c, ch, money, v.outcome.inc, por.gain_year));
    s
}

/// The reporting the window chosen pairs with, in words: the owners' investment of a
/// pass-through entity's gain (Treas. Reg. §1.1400Z2(a)-1(c)(8)(iii), (c)(9)), the election
/// out of the installment method that the transfer-date window needs when the installment
/// method would report the gain in two tax years (IRC §453(d)(1)), or one payment's gain
/// ((b)(11)(viii)(B): "each payment will begin a new 180-day period").
fn pairing_words(ch: &Choice, por: &Portion, eligible: Amount) -> String {
    let mut w = String::new();
    if matches!(
        ch.start_rule,
        StartRule::EntityYearEnd | StartRule::EntityReturnDueDate
    ) {
        w.push_str(" Made by the owners, not the entity: the entity's own window has closed or is not chosen, and each owner invests its own share of the gain within its own 180-day period (Treas. Reg. §1.1400Z2(a)-1(c)(8)(iii), (c)(9)); the figures apply the plan's rates to the whole gain as if one owner held it [U].");
    }
    if por.eligible < eligible {
        w.push_str(&format!(
            " This window is for {} of the eligible gain only (one payment's gain under the installment method); the rest is reported and taxed on its own.",
            format_usd(por.eligible)
        ));
    }
    if !ch.pairs_with.is_empty() {
        w.push_str(&format!(" Reporting: {}", ch.pairs_with));
    }
    w
}

/// The figures of an investment: an inclusion in the gain's own tax year is taxed now and
/// defers nothing (IRC §1400Z-2(b)(1) as enacted); a later one defers the amount invested
/// until its inclusion date.
fn fill_figures(s: &mut Strategy, v: &crate::plan::qof::Invested, p: crate::plan::tax::Projection) {
    s.tax_now = v.tax_now;
    s.gain_recognized_now = v.gain_now;
    s.recognition_date = Some(v.outcome.inc.inclusion_date);
    s.basis_step_up = v.outcome.inc.basis_step_up;
    if v.same_year {
        s.deferred = Amount::ZERO;
        s.deferral = "none";
        s.tax_when_deferral_ends = Amount::ZERO;
    } else {
        s.deferred = v.amount;
        s.deferral = "temporary";
        s.tax_when_deferral_ends = v.outcome.tax_at_inclusion;
    }
    s.tax_later = p.later_taxes_face + p.tax_at_horizon;
    s.after_tax_value = Some(p.after_tax_value);
}

/// The part of the gain the window chosen defers ([`portion`]): the whole gain, reported for
/// the year of the sale when the installment method would report it in two (the window then
/// pairs with an election out, IRC §453(d)(1)), or one payment's gain; with the tax on the
/// rest of the gain now and on the release.
fn portion_of(c: &Ctx, parts: &GainParts, ch: &Choice) -> (Portion, Amount, Amount) {
    let whole_year = c.failed_split.map_or(c.failed_gain_year, |sp| sp.sale_year);
    let por = portion(
        c.failed_split.as_ref(),
        parts,
        whole_year,
        ch.payment,
        &c.rates,
    );
    let now = tax_on(&por.other_now, &c.rates);
    let later = por.other_later.map_or(Amount::ZERO, |(_, tax)| tax);
    (por, now, later)
}

/// Why the failed exchange has no gain a fund can take, if it has none: no gain at all (a
/// fund defers only gain, IRC §1400Z-2(a)(1)), or only ordinary income, which is not eligible
/// gain (Treas. Reg. §1.1400Z2(a)-1(b)(11)(i)(A)).
fn no_eligible_gain(parts: &GainParts, eligible: Amount) -> Option<&'static str> {
    if parts.total() <= Amount::ZERO {
        Some(
            "No gain a QOF can defer: the sale realizes no gain, and a fund defers only gain (IRC §1400Z-2(a)(1)).",
        )
    } else if eligible <= Amount::ZERO {
        Some(
            "No gain a QOF can defer: the sale has no gain beyond ordinary income (depreciation recapture, a dealer's gain on property held for sale to customers, or gain on business or depreciated property held one year or less, Form 4797 Part II), and only capital gain or qualified §1231 gain is eligible (Treas. Reg. §1.1400Z2(a)-1(b)(11)(i)(A); IRC §1231(b)(1) needs property held more than 1 year).",
        )
    } else {
        None
    }
}
