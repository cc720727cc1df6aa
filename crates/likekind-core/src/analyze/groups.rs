//! Lines 19–25 of a multi-asset exchange, from its exchange groups.
//!
//! For a multi-asset exchange the Instructions for Form 8824 say "don't complete lines 12
//! through 18" but "enter the correct amount on lines 19 through 25" from a statement of the
//! Treas. Reg. §1.1031(j)-1 computation: property received outside the exchange groups is not
//! boot against the whole gain, and property given up is taxed on its own gain only. The
//! statement's figures replace the line arithmetic where the instructions call for the
//! statement and property alone changed hands (the realized gain the same either way). Where
//! money changed hands the lines stand and a warning gives the statement's figure: in a
//! deferred exchange, which closing's money paid for what decides boot (money taken out at a
//! sale closing is boot even when the taxpayer adds money at a purchase closing, Treas. Reg.
//! §1.1031(k)-1(j)(3) Example 2), whereas the (j)-1 residual group nets money received
//! against money paid.

use crate::amount::Amount;
use crate::analyze::schedules::{MultiAssetCase, multi_asset_case};
use crate::eligibility::qualification::Qualification;
use crate::gain::balance::Balance;
use crate::gain::form8824::Form8824Inputs;
use crate::gain::form8824::part_iii::{Form8824Result, GroupFigures};
use crate::gain::multi_asset::MultiAssetResult;
use crate::model::ExchangeFile;

/// The exchange groups' figures for lines 19–25, when the statement replaces the lines and
/// its result (`computed`, [`crate::analyze::schedules::multi_asset_computation`]) differs
/// from theirs (`None` otherwise: the lines stand).
pub fn group_figures(
    f: &ExchangeFile,
    (bal, q): (&Balance, &Qualification),
    inputs: &Form8824Inputs,
    r: &Form8824Result,
    computed: Option<&MultiAssetResult>,
) -> Option<GroupFigures> {
    let zero = Amount::ZERO;
    let j = computed?;
    if !matches!(
        multi_asset_case(f, bal, q, inputs, r.lines.line_15),
        MultiAssetCase::StatementInsteadOfLines { .. }
    ) {
        return None;
    }
    // Money on either side: which closing's money paid for what decides boot in a deferred
    // exchange ((k)-1(j)(3) Example 2), and the residual group nets it; the lines stand and
    // the statement's figure is given beside them ([U]).
    let money = bal.cash_in_hand()
        + bal.other_costs_paid_with_exchange_money()
        + bal.cash_paid_to_other_party();
    if money > zero || !bal.is_balanced() || j.residual_group.unfilled > zero {
        return None;
    }
    let realized: Amount = j.groups.iter().map(|g| g.gain_realized).sum();
    if j.groups.is_empty()
        || realized != r.lines.line_19
        || j.total_recognized == r.lines.line_23 + r.lines.line_14
    {
        return None;
    }
    Some(GroupFigures {
        realized,
        recognized: j.groups.iter().map(|g| g.gain_recognized).sum(),
        basis_received: j.groups.iter().map(|g| g.basis_received).sum(),
    })
}
