//! Partial §1031 with the boot's gain invested in a QOF.

use crate::explain::Trace;
use crate::money::format_usd;
use crate::oz::window::Window;
use crate::plan::context::Ctx;
use crate::plan::qof::{choose, qof_notes, qof_outcome, qof_plan};
use crate::plan::tax::{GainParts, Holdings, project, tax_on};
use crate::plan::types::{ExchangeStatus, Strategy};
use crate::report::Report;
use rust_decimal::Decimal;

pub(crate) fn partial_boot_to_qof(
    c: &Ctx,
    report: &Report,
    entered: &GainParts,
    eligible: Decimal,
    windows: &[Window],
    t: &mut Trace,
) -> Strategy {
    let mut s = Strategy::not_available(
        "partial_1031_boot_to_qof",
        "Partial 1031, boot's gain into a QOF",
    );
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
    s.tax_later = p.later_taxes_face + p.tax_at_horizon;
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
    s.qof = Some(qof_plan(c, ch, q, o.inc, c.entered_gain_year));
    s
}
