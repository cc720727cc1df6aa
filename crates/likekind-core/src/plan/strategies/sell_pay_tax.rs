//! Sell and pay the tax: no exchange, no fund.

use crate::amount::Amount;
use crate::plan::context::Ctx;
use crate::plan::tax::{GainParts, Holdings, project, tax_on};
use crate::plan::types::{ExchangeStatus, Strategy};

pub(crate) fn sell_pay_tax(c: &Ctx, parts: &GainParts) -> Strategy {
    let tax_now = tax_on(parts, &c.rates);
    let p = project(
        &Holdings {
            taxable: c.equity - tax_now,
            ..Holdings::default()
        },
        c.a,
    );
    let (eligible, why) = match c.status {
        ExchangeStatus::Complete | ExchangeStatus::Partial
            if c.as_of <= c.deadlines.exchange_end =>
        {
            (
                false,
                format!(
                    "Replacement property has been received as entered (status: {}) and the exchange period runs to {}; shown for comparison (a taxable sale of the relinquished property).",
                    c.status.words(),
                    c.deadlines.exchange_end
                ),
            )
        }
        ExchangeStatus::Complete | ExchangeStatus::Partial => (
            false,
            "The exchange is already completed; shown for comparison (a taxable sale of the relinquished property).".to_string(),
        ),
        _ => (
            true,
            "Always available: give up the exchange and report a taxable sale.".to_string(),
        ),
    };
    Strategy {
        deferred_indefinitely: Amount::ZERO,
        deferred_temporarily: Amount::ZERO,
        deferred_label: String::new(),
        name: "sell_pay_tax".into(),
        title: "Sell and pay the tax".into(),
        eligible,
        eligibility: why,
        relies_on_no_direct_authority: false,
        // Completed as entered: shown for comparison only.
        hypothetical: !eligible,
        tax_now,
        gain_recognized_now: parts.total(),
        deferred: Amount::ZERO,
        deferral: "none",
        recognition_date: Some(c.deadlines.first_transfer),
        basis_step_up: Amount::ZERO,
        tax_when_deferral_ends: Amount::ZERO,
        tax_later: p.later_taxes_face + p.tax_at_horizon,
        after_tax_value: Some(p.after_tax_value),
        qof: None,
        notes: vec![
            "No deferral: the whole gain is taxed for the year of the sale, ordinary income (recapture, gain on property held one year or less that is not a capital asset) and short-term capital gain at ordinary rates (IRC §1(h)).".into(),
            "Full liquidity and no further rules to follow; the simplest path.".into(),
        ],
    }
}
