//! Full §1031: the exchange completed, every dollar of gain deferred indefinitely.

use crate::amount::Amount;
use crate::money::format_usd;
use crate::plan::assumptions::HoldUntil;
use crate::plan::context::Ctx;
use crate::plan::tax::{GainParts, Holdings, project, tax_on};
use crate::plan::types::{ExchangeStatus, Strategy};
use crate::report::Report;

/// A completed exchange defers the gain indefinitely (IRC §1031(a)(1)). Once the exchange has
/// failed nothing is deferred under §1031 (IRC §1031(a)(3); Treas. Reg. §1.1031(k)-1(b)): the
/// path has no figures at all, as any other path that does not apply, so no row of the plan
/// shows a §1031 deferral the status says cannot happen.
pub(crate) fn complete_1031(c: &Ctx, report: &Report, failed_parts: &GainParts) -> Strategy {
    if c.status == ExchangeStatus::Failed {
        return Strategy {
            eligibility: "Not available: the exchange failed (see status), so nothing is deferred under §1031 and the gain is recognized (IRC §1031(a)(3); Treas. Reg. §1.1031(k)-1(b)).".into(),
            ..Strategy::not_available("complete_1031", "Complete the 1031 exchange")
        };
    }
    let as_entered = c.status == ExchangeStatus::Complete;
    let (tax_now, recognized, deferred_parts, cash_out) = if as_entered {
        let g = &report.gain;
        let rec = GainParts::split(g.recognized, g.ordinary_recapture, g.unrecaptured_1250);
        (
            tax_on(&rec, &c.rates),
            g.recognized,
            GainParts::split(g.deferred, Amount::ZERO, g.unrecaptured_1250_deferred),
            report.money.cash_in_hand(),
        )
    } else {
        (Amount::ZERO, Amount::ZERO, *failed_parts, Amount::ZERO)
    };
    let mut h = Holdings {
        like_kind: c.equity - cash_out,
        like_kind_deferred: deferred_parts,
        taxable: cash_out - tax_now,
        ..Holdings::default()
    };
    // A related party's disposition within two years ends the deferral, whatever the boot.
    let trigger = super::related_trigger::trigger(report);
    if let Some((on, _)) = trigger {
        h = super::related_trigger::holdings(c, &deferred_parts, on, h);
    }
    let p = project(&h, c.a);
    let (eligible, why) = availability(c, report);
    let tax_end = match c.a.hold_until {
        HoldUntil::Sale => tax_on(&deferred_parts, &c.rates),
        HoldUntil::Death => Amount::ZERO,
    };
    let mut s = Strategy {
        deferred_indefinitely: Amount::ZERO,
        deferred_temporarily: Amount::ZERO,
        deferred_label: String::new(),
        name: "complete_1031".into(),
        title: "Complete the 1031 exchange".into(),
        eligible,
        eligibility: why,
        relies_on_no_direct_authority: false,
        // Partial: the figures are those of a full deferral, had no boot been taken.
        hypothetical: !eligible,
        tax_now,
        gain_recognized_now: recognized,
        deferred: deferred_parts.total(),
        deferral: if deferred_parts.total() > Amount::ZERO { "indefinite" } else { "none" },
        recognition_date: None,
        basis_step_up: Amount::ZERO,
        tax_when_deferral_ends: tax_end,
        tax_later: p.later_taxes_face + p.tax_at_horizon,
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
    };
    if let Some((on, _)) = trigger {
        super::related_trigger::relabel(&mut s, c, &deferred_parts, on);
    }
    s
}

/// Whether the path is open and why: as entered; in progress, on the analysis's condition when
/// the exchange fails as entered on a date still ahead (QA12 D3), or with the periods still
/// running (IRC §1031(a)(3); Treas. Reg. §1.1031(k)-1(b)); not with boot received (IRC
/// §1031(b)).
fn availability(c: &Ctx, report: &Report) -> (bool, String) {
    let d = c.deadlines;
    let unless = report.qualification.unless.as_ref();
    match c.status {
        // No loss is recognized either (IRC §1031(a)(1): "no gain or loss"): said as what it is.
        ExchangeStatus::Complete if report.gain.realized < Amount::ZERO => (
            true,
            "The exchange as entered defers the loss (IRC §1031(a)(1)): it cannot be deducted now."
                .to_string(),
        ),
        ExchangeStatus::Complete => (true, "The exchange as entered defers the gain.".to_string()),
        // Failing as entered on a date still ahead: possible on the analysis's condition.
        ExchangeStatus::InProgress if unless.is_some() => (
            true,
            unless.map_or_else(String::new, |u| {
                format!(
                    "Still possible, on a condition: as entered the exchange will fail unless {}, by {} at the latest ({}). Receive the replacement with value and debt at least equal to what was given up so no boot remains.",
                    u.text, u.by, u.authority
                )
            }),
        ),
        // Past day 45 an exchange is in progress only with a valid identification: the
        // identification period is over (IRC §1031(a)(3)(A); Treas. Reg. §1.1031(k)-1(b)).
        ExchangeStatus::InProgress if c.as_of > d.identification_end => (
            true,
            format!(
                "Still possible: the identification period ended on {} with replacement property identified; receive the identified property by {}, with value and debt at least equal to what was given up so no boot remains. No other property can be identified now (IRC §1031(a)(3)(A); Treas. Reg. §1.1031(k)-1(b)).",
                d.identification_end, d.exchange_end
            ),
        ),
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
        // Returned above with no figures.
        ExchangeStatus::Failed => (false, String::new()),
    }
}
