//! Failed §1031: the gain of the taxable sale invested in a QOF.

use crate::explain::Trace;
use crate::money::format_usd;
use crate::oz::window::Window;
use crate::plan::context::Ctx;
use crate::plan::qof::{RELATED_BUYER_WORDS, choose, invest, qof_notes, qof_plan};
use crate::plan::tax::{GainParts, Holdings, project, tax_on};
use crate::plan::types::{ExchangeStatus, Strategy};
use rust_decimal::Decimal;

/// The sale's net cash, in the words of the notes.
const CASH_WORDS: &str = "the sale's net cash";

pub(crate) fn failed_gain_to_qof(
    c: &Ctx,
    parts: &GainParts,
    eligible: Decimal,
    windows: &[Window],
    t: &mut Trace,
) -> Strategy {
    let mut s = Strategy {
        tax_now: tax_on(parts, &c.rates),
        gain_recognized_now: parts.total(),
        ..Strategy::not_available("failed_1031_gain_to_qof", "Failed 1031, gain into a QOF")
    };
    if c.related_buyer {
        s.eligibility = RELATED_BUYER_WORDS.into();
        return s;
    }
    if eligible <= Decimal::ZERO {
        s.eligibility =
            "No gain a QOF can defer: the sale has no gain beyond ordinary income (depreciation recapture, or a dealer's gain on property held for sale to customers).".into();
        return s;
    }
    let Some(ch) = choose(windows, c, true) else {
        s.eligibility = format!(
            "Every 180-day window for the failed exchange's gain has closed (conservative window ended {}).",
            windows.first().map_or("-".into(), |w| w.end.to_string())
        );
        return s;
    };
    let wanted = c.a.qof_amount.map_or(eligible, |x| x.min(eligible));
    let v = invest(c, c.equity, parts, wanted, (ch.date, c.failed_gain_year), t);
    if v.amount <= Decimal::ZERO {
        s.eligibility = v.nothing_words(CASH_WORDS);
        return s;
    }
    let o = &v.outcome;
    let h = Holdings {
        qof: v.amount,
        qof_basis_at_horizon: o.holding_basis,
        qof_excluded: o.excluded,
        qof_cap_years: o.cap_years,
        taxable: v.outside,
        later_taxes: v.later_taxes.clone(),
        ..Holdings::default()
    };
    let p = project(&h, c.a);
    let applies = matches!(
        c.status,
        ExchangeStatus::Failed | ExchangeStatus::InProgress
    );
    s.eligible = applies;
    s.relies_on_no_direct_authority = !ch.direct;
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
    s.eligibility = if applies {
        format!(
            "{} of the {} gain is eligible (ordinary recapture is not); {}.{footing}",
            format_usd(eligible),
            format_usd(parts.total()),
            ch.advice
        )
    } else {
        format!(
            "Hypothetical: applies only if the exchange fails (status: {}); {}.{footing}",
            c.status.words(),
            ch.advice
        )
    };
    fill_figures(&mut s, &v, p);
    s.notes = qof_notes(&o.inc, c, ch.direct);
    s.notes.extend(v.notes(CASH_WORDS));
    s.notes.push("A genuinely failed exchange redirected to a QOF has its own statutory basis; a contrived failure or round-trip structure risks the step-transaction doctrine.".into());
    s.qof = Some(qof_plan(c, ch, v.amount, v.outcome.inc, c.failed_gain_year));
    s
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
        s.deferred = Decimal::ZERO;
        s.deferral = "none";
        s.tax_when_deferral_ends = Decimal::ZERO;
    } else {
        s.deferred = v.amount;
        s.deferral = "temporary";
        s.tax_when_deferral_ends = v.outcome.tax_at_inclusion;
    }
    s.tax_later = p.later_taxes_face + p.tax_at_horizon;
    s.after_tax_value = Some(p.after_tax_value);
}
