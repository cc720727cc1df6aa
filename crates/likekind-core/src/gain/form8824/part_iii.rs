//! Form 8824 Part III, lines 12–25, exactly as the form and its instructions compute them.
//!
//! One function per line would scatter one short formula over many places; instead
//! [`compute`] follows the form top to bottom, and each line's caption and authority is
//! written beside it and emitted as an explanation step.
//! Authority: Instructions for Form 8824 (lines 12–25); IRC §1031(b)–(d); Treas. Reg.
//! §1.1031(d)-2 (liability netting).

use crate::explain::Trace;
use crate::explain::money as m;
use crate::gain::recapture::{self, RecaptureInputs};
use crate::inputs;
use rust_decimal::Decimal;
use serde::Serialize;

/// The figures Form 8824 Part III needs, in the form's own vocabulary (aggregated over all
/// closings of one exchange).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form8824Inputs {
    /// FMV of other (not like-kind) property given up.
    pub og_fmv: Decimal,
    /// Adjusted basis of other property given up.
    pub og_ab: Decimal,
    /// Cash received, including cash constructively received to pay exchange expenses and
    /// cash the QI released to the taxpayer.
    pub cash_recd: Decimal,
    /// FMV of other (not like-kind) property received.
    pub or_fmv: Decimal,
    /// Liabilities assumed by the other party (the taxpayer's debt relieved).
    pub l_by_other: Decimal,
    /// Liabilities the taxpayer assumed or took subject to (debt on the replacement).
    pub l_by_you: Decimal,
    /// Cash the taxpayer paid to the other party.
    pub cash_paid: Decimal,
    /// Exchange expenses.
    pub exp: Decimal,
    /// FMV of like-kind property received.
    pub lk_fmv_recd: Decimal,
    /// Adjusted basis of like-kind property given up.
    pub lk_ab_given: Decimal,
    /// Depreciation and property-character figures for line 21.
    pub recapture: RecaptureInputs,
}

/// Lines 12–25 and the intermediate amounts the instructions define.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Form8824Lines {
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_12: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_13: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_14: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_15: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_16: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_17: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_18: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_19: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_20: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_21: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_22: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_23: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_24: Decimal,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_25: Decimal,
}

/// Everything [`compute`] works out: the lines plus the pieces behind them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form8824Result {
    pub lines: Form8824Lines,
    /// Net liabilities assumed by the other party (mortgage boot).
    pub net_liabilities_assumed_by_other: Decimal,
    /// Net amount paid to the other party.
    pub net_amount_paid_to_other: Decimal,
    /// Exchange expenses used to reduce line 15.
    pub exp_used_on_15: Decimal,
    /// Exchange expenses added on line 18.
    pub exp_added_on_18: Decimal,
    /// The line 21 detail.
    pub recapture: recapture::Recapture,
}

/// Computes lines 12–25.
pub fn compute(i: &Form8824Inputs, t: &mut Trace) -> Form8824Result {
    let zero = Decimal::ZERO;
    // Lines 12-14: other property given up is treated as sold.
    let l12 = i.og_fmv;
    let l13 = i.og_ab;
    let l14 = l12 - l13;
    if !l12.is_zero() || !l13.is_zero() {
        t.add(
            "form_8824.line_12",
            "Line 12: FMV of other (not like-kind) property given up",
            m(l12),
            "Instructions for Form 8824, line 12",
            inputs!["other_property_given FMV" => m(l12)],
        );
        t.add(
            "form_8824.line_13",
            "Line 13: adjusted basis of other property given up",
            m(l13),
            "Instructions for Form 8824, line 13",
            vec![],
        );
        t.add("form_8824.line_14", "Line 14: gain or (loss) on other property given up = line 12 - line 13, reported as if sold (Form 4797 or Schedule D)", m(l14), "Instructions for Form 8824, line 14", inputs!["line 12" => m(l12), "line 13" => m(l13)]);
    }

    // Liability netting: cash paid, liabilities assumed and other property given offset
    // liabilities relieved; cash received is never offset (Treas. Reg. §1.1031(d)-2, Example 2).
    let given = i.l_by_you + i.cash_paid + i.og_fmv;
    let nla = (i.l_by_other - given).max(zero);
    let npaid = (given - i.l_by_other).max(zero);
    t.add(
        "form_8824.net_liabilities_assumed_by_other_party",
        "Net liabilities assumed by the other party = liabilities relieved - (liabilities you assumed + cash you paid + FMV of other property given), not below zero. Cash you received is never offset by liabilities you assumed",
        m(nla),
        "Instructions for Form 8824, line 15; Treas. Reg. §1.1031(d)-2, Example 2",
        inputs!["liabilities relieved" => m(i.l_by_other), "liabilities assumed" => m(i.l_by_you), "cash paid" => m(i.cash_paid), "other property given FMV" => m(i.og_fmv)],
    );
    t.add(
        "form_8824.net_amount_paid_to_other_party",
        "Net amount paid to the other party = (liabilities you assumed + cash you paid + FMV of other property given) - liabilities relieved, not below zero",
        m(npaid),
        "Instructions for Form 8824, line 18",
        inputs!["consideration given" => m(given), "liabilities relieved" => m(i.l_by_other)],
    );

    let gross15 = i.cash_recd + i.or_fmv + nla;
    let l15 = (gross15 - i.exp).max(zero);
    let exp_used = i.exp.min(gross15);
    let exp_left = i.exp - exp_used;
    t.add(
        "form_8824.line_15",
        "Line 15: cash received + FMV of other property received + net liabilities assumed by the other party, reduced (not below zero) by exchange expenses",
        m(l15),
        "Instructions for Form 8824, line 15; IRC §1031(b)",
        inputs!["cash received" => m(i.cash_recd), "other property received FMV" => m(i.or_fmv), "net liabilities assumed by other party" => m(nla), "exchange expenses" => m(i.exp), "expenses used on line 15" => m(exp_used)],
    );
    let l16 = i.lk_fmv_recd;
    t.add(
        "form_8824.line_16",
        "Line 16: FMV of like-kind property received",
        m(l16),
        "Instructions for Form 8824, line 16",
        vec![],
    );
    let l17 = l15 + l16;
    t.add(
        "form_8824.line_17",
        "Line 17: line 15 + line 16",
        m(l17),
        "Instructions for Form 8824, line 17",
        inputs!["line 15" => m(l15), "line 16" => m(l16)],
    );
    let l18 = i.lk_ab_given + exp_left + npaid;
    t.add(
        "form_8824.line_18",
        "Line 18: adjusted basis of like-kind property given up + exchange expenses not used on line 15 + net amount paid to the other party",
        m(l18),
        "Instructions for Form 8824, line 18",
        inputs!["adjusted basis given up" => m(i.lk_ab_given), "expenses not used on line 15" => m(exp_left), "net amount paid" => m(npaid)],
    );
    let l19 = l17 - l18;
    t.add(
        "form_8824.line_19",
        "Line 19: realized gain or (loss) = line 17 - line 18",
        m(l19),
        "Instructions for Form 8824, line 19",
        inputs!["line 17" => m(l17), "line 18" => m(l18)],
    );
    let l20 = l15.min(l19).max(zero);
    t.add(
        "form_8824.line_20",
        "Line 20: the smaller of line 15 or line 19, but not less than zero (a realized loss is never recognized)",
        m(l20),
        "Instructions for Form 8824, line 20; IRC §1031(b), (c)",
        inputs!["line 15" => m(l15), "line 19" => m(l19)],
    );
    let rc = recapture::line_21(&i.recapture, l19, l20, l16, t);
    let l21 = rc.line_21;
    let l22 = (l20 - l21).max(zero);
    t.add("form_8824.line_22", "Line 22: line 20 - line 21, not below zero (to Form 4797 or Schedule D unless the installment method applies)", m(l22), "Instructions for Form 8824, line 22", inputs!["line 20" => m(l20), "line 21" => m(l21)]);
    let l23 = l21 + l22;
    t.add(
        "form_8824.line_23",
        "Line 23: recognized gain = line 21 + line 22",
        m(l23),
        "Instructions for Form 8824, line 23",
        inputs!["line 21" => m(l21), "line 22" => m(l22)],
    );
    let l24 = l19 - l23;
    t.add(
        "form_8824.line_24",
        "Line 24: deferred gain or (loss) = line 19 - line 23",
        m(l24),
        "Instructions for Form 8824, line 24; IRC §1031(a)",
        inputs!["line 19" => m(l19), "line 23" => m(l23)],
    );
    let l25 = l18 + l23 - l15;
    t.add(
        "form_8824.line_25",
        "Line 25: basis of like-kind property received = line 18 + line 23 - line 15",
        m(l25),
        "Instructions for Form 8824, line 25; IRC §1031(d)",
        inputs!["line 18" => m(l18), "line 23" => m(l23), "line 15" => m(l15)],
    );

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

/// The result when the taxpayer actually or constructively received the full consideration
/// in money before receiving the replacement: the transfer is a sale, not an exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleInstead {
    pub realized: Decimal,
    pub recognized: Decimal,
    /// The replacement bought with the money takes a cost basis.
    pub replacement_basis: Decimal,
}

/// A sale in place of the exchange: all realized gain is recognized (a loss is allowed only
/// as the Code otherwise allows) and the property later bought has a cost basis.
/// Authority: Treas. Reg. §1.1031(k)-1(a), (f)(1); §1.1031(k)-1(j)(3) Example 3.
pub fn sale_instead_of_exchange(
    amount_realized: Decimal,
    adjusted_basis: Decimal,
    cost_of_replacement: Decimal,
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
    use rust_decimal_macros::dec;

    /// Treas. Reg. §1.1031(d)-2, Example 2, taxpayer D (the i8824 line 18 example's "A").
    #[test]
    fn reg_1031d2_example2_d() {
        let i = Form8824Inputs {
            cash_recd: dec!(40000),
            l_by_other: dec!(80000),
            l_by_you: dec!(150000),
            lk_fmv_recd: dec!(250000),
            lk_ab_given: dec!(100000),
            ..Default::default()
        };
        let r = compute(&i, &mut Trace::default());
        assert_eq!(r.lines.line_15, dec!(40000));
        assert_eq!(r.lines.line_18, dec!(170000));
        assert_eq!(r.lines.line_19, dec!(120000));
        assert_eq!(r.lines.line_23, dec!(40000));
        assert_eq!(r.lines.line_25, dec!(170000));
    }

    /// Expenses larger than the boot: the rest goes to line 18.
    #[test]
    fn expenses_exceed_boot() {
        let i = Form8824Inputs {
            cash_recd: dec!(5000),
            exp: dec!(8000),
            lk_fmv_recd: dec!(400000),
            lk_ab_given: dec!(200000),
            ..Default::default()
        };
        let r = compute(&i, &mut Trace::default());
        assert_eq!(r.lines.line_15, dec!(0));
        assert_eq!(r.exp_used_on_15, dec!(5000));
        assert_eq!(r.lines.line_18, dec!(203000));
    }
}
