//! Failed §1031: the gain of the taxable sale invested in a QOF.

use crate::explain::Trace;
use crate::money::format_usd;
use crate::oz::window::Window;
use crate::plan::context::Ctx;
use crate::plan::qof::{choose, qof_notes, qof_outcome, qof_plan};
use crate::plan::tax::{GainParts, Holdings, project, tax_on};
use crate::plan::types::{ExchangeStatus, Strategy};
use rust_decimal::Decimal;

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
    s.tax_now = tax_now;
    s.gain_recognized_now = parts.total() - q;
    s.deferred = q;
    s.deferral = "temporary";
    s.recognition_date = Some(o.inc.inclusion_date);
    s.basis_step_up = o.inc.basis_step_up;
    s.tax_when_deferral_ends = o.tax_at_inclusion;
    s.tax_later = p.later_taxes_face + p.tax_at_horizon;
    s.after_tax_value = Some(p.after_tax_value);
    s.notes = qof_notes(&o.inc, c, ch.direct);
    if h.taxable < Decimal::ZERO {
        s.notes.push(format!(
            "The QOF investment and the tax now exceed the sale's net cash by {}: the model funds it from other money growing at the same rate.",
            format_usd(-h.taxable)
        ));
    }
    s.notes.push("A genuinely failed exchange redirected to a QOF has its own statutory basis; a contrived failure or round-trip structure risks the step-transaction doctrine.".into());
    s.qof = Some(qof_plan(c, ch, q, o.inc, c.failed_gain_year));
    s
}
