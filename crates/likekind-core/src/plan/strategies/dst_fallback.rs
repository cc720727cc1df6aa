//! A Delaware statutory trust interest as the replacement (the fallback when nothing else is found).

use crate::amount::Amount;
use crate::plan::assumptions::HoldUntil;
use crate::plan::context::Ctx;
use crate::plan::tax::{GainParts, Holdings, project, tax_on};
use crate::plan::types::{ExchangeStatus, Strategy};

/// A DST interest identified as a fallback replacement (Rev. Rul. 2004-86). Once the exchange
/// has failed, or the identification period has ended, no DST interest can complete it
/// (IRC §1031(a)(3); Treas. Reg. §1.1031(k)-1(b)): the path has no figures at all, never the
/// §1031 deferral it cannot give.
pub(crate) fn dst_fallback(c: &Ctx, parts: &GainParts) -> Strategy {
    let d = c.deadlines;
    let open = c.as_of <= d.identification_end && c.status == ExchangeStatus::InProgress;
    if c.status == ExchangeStatus::Failed || c.as_of > d.identification_end {
        let why = if c.as_of > d.identification_end {
            format!(
                "Not available: the identification period ended on {}; a DST interest not identified by then cannot complete this exchange (IRC §1031(a)(3)(A); Treas. Reg. §1.1031(k)-1(b)).",
                d.identification_end
            )
        } else {
            "Not available: the exchange failed (see status), so a DST interest cannot defer its gain under §1031 (IRC §1031(a)(3); Treas. Reg. §1.1031(k)-1(b)).".to_string()
        };
        return Strategy {
            eligibility: why,
            ..Strategy::not_available("dst_fallback", "DST interest as fallback replacement")
        };
    }
    let h = Holdings {
        like_kind: c.equity,
        like_kind_deferred: *parts,
        ..Holdings::default()
    };
    let p = project(&h, c.a);
    Strategy {
        deferred_indefinitely: Amount::ZERO,
        deferred_temporarily: Amount::ZERO,
        deferred_label: String::new(),
        name: "dst_fallback".into(),
        title: "DST interest as fallback replacement".into(),
        eligible: open,
        eligibility: if open {
            format!(
                "Identify a Delaware statutory trust interest as a backup replacement by {} (within the three-property rule) and close by {}.",
                d.identification_end, d.exchange_end
            )
        } else {
            format!(
                "Not shown as a fallback: the exchange is {} as entered; a DST interest could still be identified by {} (within the three-property rule) and received by {}.",
                c.status.words(),
                d.identification_end,
                d.exchange_end
            )
        },
        relies_on_no_direct_authority: false,
        // Received as entered, before day 45: shown for comparison only.
        hypothetical: !open,
        tax_now: Amount::ZERO,
        gain_recognized_now: Amount::ZERO,
        deferred: parts.total(),
        deferral: if parts.total() > Amount::ZERO { "indefinite" } else { "none" },
        recognition_date: None,
        basis_step_up: Amount::ZERO,
        tax_when_deferral_ends: match c.a.hold_until {
            HoldUntil::Sale => tax_on(parts, &c.rates),
            HoldUntil::Death => Amount::ZERO,
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
