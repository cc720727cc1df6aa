//! A Delaware statutory trust interest as the replacement (the fallback when nothing else is found).

use crate::plan::assumptions::HoldUntil;
use crate::plan::context::Ctx;
use crate::plan::tax::{GainParts, Holdings, project, tax_on};
use crate::plan::types::{ExchangeStatus, Strategy};
use rust_decimal::Decimal;

pub(crate) fn dst_fallback(c: &Ctx, parts: &GainParts) -> Strategy {
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
        } else if c.as_of <= d.identification_end {
            // Said only of a period that has ended on the plan date.
            format!(
                "Not shown as a fallback: the exchange is {} as entered; a DST interest could still be identified by {} (within the three-property rule) and received by {}.",
                c.status.words(),
                d.identification_end,
                d.exchange_end
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
        tax_later: p.later_taxes_face + p.tax_at_horizon,
        after_tax_value: Some(p.after_tax_value),
        qof: None,
        notes: vec![
            "Same deferral as a completed exchange: a DST interest is treated as real property when the trust meets Rev. Rul. 2004-86 (no new capital, no new loans or lease renegotiation, limited powers).".into(),
            "Trade-offs: illiquid for years, no control, sponsor fees and loads, the trust's fixed loan must match the debt you need to replace.".into(),
        ],
    }
}
