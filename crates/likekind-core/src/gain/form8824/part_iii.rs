//! Form 8824 Part III, lines 12–25: the gain or loss from the exchange, the recognized gain
//! and the basis of the like-kind property received, exactly as the form and its
//! instructions compute them. [`part_iii`] follows the form top to bottom, one function per
//! group of lines; each line's caption and authority is written beside it and emitted as an
//! explanation step.
//!
//! Authority: Instructions for Form 8824 (lines 12–25); IRC §1031(b)–(d); Treas. Reg.
//! §1.1031(d)-2 (liability netting).

use crate::amount::Amount;
use crate::explain::Trace;
use crate::explain::money as m;
use crate::gain::recapture::{self, RecaptureInputs};
use crate::inputs;
use crate::law::cite;
use serde::Serialize;

/// The figures Form 8824 Part III needs, in the form's own vocabulary (aggregated over all
/// closings of one exchange). Each field names the line it is entered on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form8824Inputs {
    /// Line 12: fair market value of other (not like-kind) property given up.
    pub other_property_given_fmv: Amount,
    /// Line 13: adjusted basis of other property given up.
    pub other_property_given_basis: Amount,
    /// Line 15: cash received, including cash constructively received to pay exchange
    /// expenses and cash the QI released to the taxpayer.
    pub cash_received: Amount,
    /// Line 15: fair market value of other (not like-kind) property received.
    pub other_property_received_fmv: Amount,
    /// Line 15 (netted): liabilities assumed by the other party (the taxpayer's debt
    /// relieved).
    pub liabilities_assumed_by_other_party: Amount,
    /// Line 18 (netted): liabilities the taxpayer assumed or took the property subject to
    /// (debt on the replacement).
    pub liabilities_you_assumed: Amount,
    /// Line 18 (netted): cash the taxpayer paid to the other party.
    pub cash_paid: Amount,
    /// Lines 15 and 18: exchange expenses.
    pub exchange_expenses: Amount,
    /// Line 16: fair market value of like-kind property received.
    pub like_kind_received_fmv: Amount,
    /// Line 18: adjusted basis of like-kind property given up.
    pub like_kind_given_basis: Amount,
    /// Line 21: depreciation and property-character figures for the recapture.
    pub recapture: RecaptureInputs,
}

/// Lines 12–25 and the intermediate amounts the instructions define.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Form8824Lines {
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_12: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_13: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_14: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_15: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_16: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_17: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_18: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_19: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_20: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_21: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_22: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_23: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_24: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_25: Amount,
}

/// Everything [`compute`] works out: the lines plus the pieces behind them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form8824Result {
    pub lines: Form8824Lines,
    /// Net liabilities assumed by the other party (mortgage boot).
    pub net_liabilities_assumed_by_other: Amount,
    /// Net amount paid to the other party.
    pub net_amount_paid_to_other: Amount,
    /// Exchange expenses used to reduce line 15.
    pub exp_used_on_15: Amount,
    /// Exchange expenses added on line 18.
    pub exp_added_on_18: Amount,
    /// The line 21 detail.
    pub recapture: recapture::Recapture,
}

/// Computes lines 12–25 (also known by its older name, [`compute`]).
pub fn part_iii(i: &Form8824Inputs, t: &mut Trace) -> Form8824Result {
    let (l12, l13, l14) = lines_12_to_14(i, t);
    let (nla, npaid) = net_liabilities(i, t);
    let (l15, exp_used, exp_left) = line_15(i, nla, t);
    let (l16, l17, l18, l19) = lines_16_to_19(i, l15, exp_left, npaid, t);
    let (l20, l21, l22, l23, rc) = lines_20_to_23(i, l15, l16, l19, t);
    let (l24, l25) = lines_24_and_25(l15, l18, l19, l23, t);
    Form8824Result {
        lines: Form8824Lines {
            line_12: l12,
            line_13: l13,
            line_14: l14,
            line_15: l15,
            line_16: l16,
            line_17: l17,
            line_18: l18,
            line_19: l19,
            line_20: l20,
            line_21: l21,
            line_22: l22,
            line_23: l23,
            line_24: l24,
            line_25: l25,
        },
        net_liabilities_assumed_by_other: nla,
        net_amount_paid_to_other: npaid,
        exp_used_on_15: exp_used,
        exp_added_on_18: exp_left,
        recapture: rc,
    }
}

/// Computes lines 12–25.
pub fn compute(i: &Form8824Inputs, t: &mut Trace) -> Form8824Result {
    part_iii(i, t)
}

/// Lines 12–14: other (not like-kind) property given up is treated as sold: line 12 its FMV,
/// line 13 its adjusted basis, line 14 the gain or (loss).
fn lines_12_to_14(i: &Form8824Inputs, t: &mut Trace) -> (Amount, Amount, Amount) {
    // Lines 12-14: other property given up is treated as sold.
    let l12 = i.other_property_given_fmv;
    let l13 = i.other_property_given_basis;
    let l14 = l12 - l13;
    if !l12.is_zero() || !l13.is_zero() {
        crate::step!(
            t,
            "form_8824.line_12",
            "Line 12: FMV of other (not like-kind) property given up",
            m(l12),
            cite!(FORM_8824 ", line 12"),
            inputs!["other_property_given FMV" => m(l12)],
        );
        crate::step!(
            t,
            "form_8824.line_13",
            "Line 13: adjusted basis of other property given up",
            m(l13),
            cite!(FORM_8824 ", line 13"),
            vec![],
        );
        crate::step!(
            t,
            "form_8824.line_14",
            "Line 14: gain or (loss) on other property given up = line 12 - line 13, reported as if sold (Form 4797 or Schedule D)",
            m(l14),
            cite!(FORM_8824 ", line 14"),
            inputs!["line 12" => m(l12), "line 13" => m(l13)]
        );
    }
    (l12, l13, l14)
}

/// The liability netting behind lines 15 and 18: the net liabilities assumed by the other
/// party (boot) and the net amount paid to the other party (added to basis).
fn net_liabilities(i: &Form8824Inputs, t: &mut Trace) -> (Amount, Amount) {
    let zero = Amount::ZERO;
    // Liability netting: cash paid, liabilities assumed and other property given offset
    // liabilities relieved; cash received is never offset (Treas. Reg. §1.1031(d)-2, Example 2).
    let given = i.liabilities_you_assumed + i.cash_paid + i.other_property_given_fmv;
    let nla = (i.liabilities_assumed_by_other_party - given).max(zero);
    let npaid = (given - i.liabilities_assumed_by_other_party).max(zero);
    crate::step!(
        t,
        "form_8824.net_liabilities_assumed_by_other_party",
        "Net liabilities assumed by the other party = liabilities relieved - (liabilities you assumed + cash you paid + FMV of other property given), not below zero. Cash you received is never offset by liabilities you assumed",
        m(nla),
        cite!(FORM_8824 ", line 15"; REG_1_1031_D_2 ", Example 2"),
        inputs!["liabilities relieved" => m(i.liabilities_assumed_by_other_party), "liabilities assumed" => m(i.liabilities_you_assumed), "cash paid" => m(i.cash_paid), "other property given FMV" => m(i.other_property_given_fmv)],
    );
    crate::step!(
        t,
        "form_8824.net_amount_paid_to_other_party",
        "Net amount paid to the other party = (liabilities you assumed + cash you paid + FMV of other property given) - liabilities relieved, not below zero",
        m(npaid),
        cite!(FORM_8824 ", line 18"),
        inputs!["consideration given" => m(given), "liabilities relieved" => m(i.liabilities_assumed_by_other_party)],
    );
    (nla, npaid)
}

/// Line 15: cash received, FMV of other property received and net liabilities assumed by the
/// other party, reduced (not below zero) by exchange expenses. Returns the line and the
/// expenses used on it and left for line 18.
fn line_15(i: &Form8824Inputs, nla: Amount, t: &mut Trace) -> (Amount, Amount, Amount) {
    let zero = Amount::ZERO;
    let gross15 = i.cash_received + i.other_property_received_fmv + nla;
    let l15 = (gross15 - i.exchange_expenses).max(zero);
    let exp_used = i.exchange_expenses.min(gross15);
    let exp_left = i.exchange_expenses - exp_used;
    crate::step!(
        t,
        "form_8824.line_15",
        "Line 15: cash received + FMV of other property received + net liabilities assumed by the other party, reduced (not below zero) by exchange expenses",
        m(l15),
        cite!(FORM_8824 ", line 15"; IRC_1031 "(b)"),
        inputs!["cash received" => m(i.cash_received), "other property received FMV" => m(i.other_property_received_fmv), "net liabilities assumed by other party" => m(nla), "exchange expenses" => m(i.exchange_expenses), "expenses used on line 15" => m(exp_used)],
    );
    (l15, exp_used, exp_left)
}

/// Lines 16–19: FMV of like-kind property received, the amount realized (line 17), the
/// basis given up with what was paid (line 18) and the realized gain or (loss) (line 19).
fn lines_16_to_19(
    i: &Form8824Inputs,
    l15: Amount,
    exp_left: Amount,
    npaid: Amount,
    t: &mut Trace,
) -> (Amount, Amount, Amount, Amount) {
    let l16 = i.like_kind_received_fmv;
    crate::step!(
        t,
        "form_8824.line_16",
        "Line 16: FMV of like-kind property received",
        m(l16),
        cite!(FORM_8824 ", line 16"),
        vec![],
    );
    let l17 = l15 + l16;
    crate::step!(
        t,
        "form_8824.line_17",
        "Line 17: line 15 + line 16",
        m(l17),
        cite!(FORM_8824 ", line 17"),
        inputs!["line 15" => m(l15), "line 16" => m(l16)],
    );
    let l18 = i.like_kind_given_basis + exp_left + npaid;
    crate::step!(
        t,
        "form_8824.line_18",
        "Line 18: adjusted basis of like-kind property given up + exchange expenses not used on line 15 + net amount paid to the other party",
        m(l18),
        cite!(FORM_8824 ", line 18"),
        inputs!["adjusted basis given up" => m(i.like_kind_given_basis), "expenses not used on line 15" => m(exp_left), "net amount paid" => m(npaid)],
    );
    let l19 = l17 - l18;
    crate::step!(
        t,
        "form_8824.line_19",
        "Line 19: realized gain or (loss) = line 17 - line 18",
        m(l19),
        cite!(FORM_8824 ", line 19"),
        inputs!["line 17" => m(l17), "line 18" => m(l18)],
    );
    (l16, l17, l18, l19)
}

/// Lines 20–23: the gain recognized (the smaller of the boot and the realized gain), its
/// ordinary-income part (line 21, recapture) and the rest (line 22).
fn lines_20_to_23(
    i: &Form8824Inputs,
    l15: Amount,
    l16: Amount,
    l19: Amount,
    t: &mut Trace,
) -> (Amount, Amount, Amount, Amount, recapture::Recapture) {
    let zero = Amount::ZERO;
    let l20 = l15.min(l19).max(zero);
    crate::step!(
        t,
        "form_8824.line_20",
        "Line 20: the smaller of line 15 or line 19, but not less than zero (a realized loss is never recognized)",
        m(l20),
        cite!(FORM_8824 ", line 20"; IRC_1031 "(b), (c)"),
        inputs!["line 15" => m(l15), "line 19" => m(l19)],
    );
    let (l21, l22, l23, rc) = lines_21_to_23(i, (l16, l19, l20), t);
    (l20, l21, l22, l23, rc)
}

/// Lines 21–23 from line 20: the recapture (line 21), the rest (line 22), their sum (line 23).
fn lines_21_to_23(
    i: &Form8824Inputs,
    (l16, l19, l20): (Amount, Amount, Amount),
    t: &mut Trace,
) -> (Amount, Amount, Amount, recapture::Recapture) {
    let zero = Amount::ZERO;
    let rc = recapture::line_21(&i.recapture, l19, l20, l16, t);
    let l21 = rc.line_21;
    let l22 = (l20 - l21).max(zero);
    crate::step!(
        t,
        "form_8824.line_22",
        "Line 22: line 20 - line 21, not below zero (to Form 4797 or Schedule D unless the installment method applies)",
        m(l22),
        cite!(FORM_8824 ", line 22"),
        inputs!["line 20" => m(l20), "line 21" => m(l21)]
    );
    let l23 = l21 + l22;
    crate::step!(
        t,
        "form_8824.line_23",
        "Line 23: recognized gain = line 21 + line 22",
        m(l23),
        cite!(FORM_8824 ", line 23"),
        inputs!["line 21" => m(l21), "line 22" => m(l22)],
    );
    (l21, l22, l23, rc)
}

/// What the exchange groups of Treas. Reg. §1.1031(j)-1 give for lines 19–25 of a multi-asset
/// exchange: the gain realized and recognized in the groups, and the basis of the like-kind
/// property received in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupFigures {
    pub realized: Amount,
    pub recognized: Amount,
    pub basis_received: Amount,
}

/// Lines 19–25 entered from the (j)-1 statement: for a multi-asset exchange the instructions
/// say "don't complete lines 12 through 18 … attach your own statement showing how you
/// figured the realized and recognized gain, and enter the correct amount on lines 19
/// through 25" (Instructions for Form 8824, Multi-asset exchanges; Treas. Reg.
/// §1.1031(j)-1(b)(3), (c)). Lines 12–18 stay as computed, for reference; line 21 is the
/// recapture within the gain the groups recognize.
pub fn from_exchange_groups(
    i: &Form8824Inputs,
    base: &Form8824Result,
    g: GroupFigures,
    t: &mut Trace,
) -> Form8824Result {
    let zero = Amount::ZERO;
    let l = &base.lines;
    let l19 = g.realized;
    let l20 = g.recognized.min(l19).max(zero);
    crate::step!(
        t,
        "form_8824.line_20",
        "Line 20 of a multi-asset exchange: the gain the exchange groups recognize (the lesser of each group's realized gain and its exchange group deficiency), from the (j)-1 statement instead of lines 15 and 19",
        m(l20),
        cite!(FORM_8824 ", Multi-asset exchanges"; REG_1_1031_J_1 "(b)(3)"),
        inputs!["gain realized in the groups" => m(l19), "gain recognized in the groups" => m(g.recognized)],
    );
    let (l21, l22, l23, rc) = lines_21_to_23(i, (l.line_16, l19, l20), t);
    let l24 = l19 - l23;
    let l25 = g.basis_received;
    crate::step!(
        t,
        "form_8824.line_25",
        "Lines 24 and 25 of a multi-asset exchange: the gain the exchange groups defer, and the basis of the like-kind property received in them (adjusted basis given up + gain recognized + exchange group surplus - deficiency + excess liabilities allocated)",
        m(l25),
        cite!(FORM_8824 ", Multi-asset exchanges"; REG_1_1031_J_1 "(c)"),
        inputs!["line 24" => m(l24), "line 19" => m(l19), "line 23" => m(l23)],
    );
    Form8824Result {
        lines: Form8824Lines {
            line_19: l19,
            line_20: l20,
            line_21: l21,
            line_22: l22,
            line_23: l23,
            line_24: l24,
            line_25: l25,
            ..l.clone()
        },
        recapture: rc,
        ..base.clone()
    }
}

/// Lines 24–25: the deferred gain or (loss) and the basis of the like-kind property received.
fn lines_24_and_25(
    l15: Amount,
    l18: Amount,
    l19: Amount,
    l23: Amount,
    t: &mut Trace,
) -> (Amount, Amount) {
    let l24 = l19 - l23;
    crate::step!(
        t,
        "form_8824.line_24",
        "Line 24: deferred gain or (loss) = line 19 - line 23",
        m(l24),
        cite!(FORM_8824 ", line 24"; IRC_1031 "(a)"),
        inputs!["line 19" => m(l19), "line 23" => m(l23)],
    );
    let l25 = l18 + l23 - l15;
    crate::step!(
        t,
        "form_8824.line_25",
        "Line 25: basis of like-kind property received = line 18 + line 23 - line 15",
        m(l25),
        cite!(FORM_8824 ", line 25"; IRC_1031 "(d)"),
        inputs!["line 18" => m(l18), "line 23" => m(l23), "line 15" => m(l15)],
    );
    (l24, l25)
}

/// The result when the taxpayer actually or constructively received the full consideration
/// in money before receiving the replacement: the transfer is a sale, not an exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleInstead {
    pub realized: Amount,
    pub recognized: Amount,
    /// The replacement bought with the money takes a cost basis.
    pub replacement_basis: Amount,
}

/// A sale in place of the exchange: all realized gain is recognized (a loss is allowed only
/// as the Code otherwise allows) and the property later bought has a cost basis.
/// Authority: Treas. Reg. §1.1031(k)-1(a), (f)(1); §1.1031(k)-1(j)(3) Example 3.
pub fn sale_instead_of_exchange(
    amount_realized: Amount,
    adjusted_basis: Amount,
    cost_of_replacement: Amount,
) -> SaleInstead {
    let realized = amount_realized - adjusted_basis;
    SaleInstead {
        realized,
        recognized: realized,
        replacement_basis: cost_of_replacement,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;

    /// Treas. Reg. §1.1031(d)-2, Example 2, taxpayer D (the i8824 line 18 example's "A").
    #[test]
    fn reg_1031d2_example2_d() {
        let i = Form8824Inputs {
            cash_received: amt!(40000),
            liabilities_assumed_by_other_party: amt!(80000),
            liabilities_you_assumed: amt!(150000),
            like_kind_received_fmv: amt!(250000),
            like_kind_given_basis: amt!(100000),
            ..Default::default()
        };
        let r = compute(&i, &mut Trace::default());
        assert_eq!(r.lines.line_15, amt!(40000));
        assert_eq!(r.lines.line_18, amt!(170000));
        assert_eq!(r.lines.line_19, amt!(120000));
        assert_eq!(r.lines.line_23, amt!(40000));
        assert_eq!(r.lines.line_25, amt!(170000));
    }

    /// Expenses larger than the boot: the rest goes to line 18.
    #[test]
    fn expenses_exceed_boot() {
        let i = Form8824Inputs {
            cash_received: amt!(5000),
            exchange_expenses: amt!(8000),
            like_kind_received_fmv: amt!(400000),
            like_kind_given_basis: amt!(200000),
            ..Default::default()
        };
        let r = compute(&i, &mut Trace::default());
        assert_eq!(r.lines.line_15, amt!(0));
        assert_eq!(r.exp_used_on_15, amt!(5000));
        assert_eq!(r.lines.line_18, amt!(203000));
    }
}
