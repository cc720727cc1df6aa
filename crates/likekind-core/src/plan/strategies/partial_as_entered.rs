//! Partial §1031 as entered: the boot's gain taxed now, the rest deferred.

use crate::amount::Amount;
use crate::money::format_usd;
use crate::plan::assumptions::HoldUntil;
use crate::plan::context::Ctx;
use crate::plan::tax::{GainParts, Holdings, project, tax_on};
use crate::plan::types::Strategy;
use crate::report::Report;

/// The partial exchange as entered: tax on the boot's recognized gain now (IRC §1031(b)),
/// the rest deferred indefinitely.
pub(crate) fn partial_as_entered(c: &Ctx, report: &Report, entered: &GainParts) -> Strategy {
    let g = &report.gain;
    let tax_now = tax_on(entered, &c.rates);
    let cash = report.money.cash_in_hand();
    let deferred = GainParts::split(g.deferred, Amount::ZERO, g.unrecaptured_1250_deferred);
    let mut h = Holdings {
        like_kind: c.equity - cash,
        like_kind_deferred: deferred,
        taxable: cash - tax_now,
        ..Holdings::default()
    };
    let trigger = super::related_trigger::trigger(report);
    if let Some((on, _)) = trigger {
        h = super::related_trigger::holdings(c, &deferred, on, h);
    }
    let p = project(&h, c.a);
    let mut s = Strategy {
        deferred_indefinitely: Amount::ZERO,
        deferred_temporarily: Amount::ZERO,
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
        hypothetical: false,
        tax_now,
        gain_recognized_now: g.recognized,
        deferred: deferred.total(),
        deferral: if deferred.total() > Amount::ZERO { "indefinite" } else { "none" },
        recognition_date: None,
        basis_step_up: Amount::ZERO,
        tax_when_deferral_ends: match c.a.hold_until {
            HoldUntil::Sale => tax_on(&deferred, &c.rates),
            HoldUntil::Death => Amount::ZERO,
        },
        tax_later: p.later_taxes_face + p.tax_at_horizon,
        after_tax_value: Some(p.after_tax_value),
        qof: None,
        notes: vec![
            "The boot's gain is taxed for the year of the exchange; the rest stays deferred indefinitely and is erased at death (IRC §1014).".into(),
            "The boot's cash stays liquid; no further rules to follow.".into(),
        ],
    };
    if let Some((on, _)) = trigger {
        super::related_trigger::relabel(&mut s, c, &deferred, on);
        s.eligibility = format!(
            "The exchange as entered: {} of gain recognized on {} of boot (IRC §1031(b)), {} deferred until {on}, when a disposition within the two years after the exchange takes it into account (IRC §1031(f)(1)).",
            format_usd(g.recognized),
            format_usd(report.boot.total),
            format_usd(g.deferred)
        );
    }
    s
}
