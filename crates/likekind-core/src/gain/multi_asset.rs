//! Exchanges of multiple properties: Treas. Reg. §1.1031(j)-1.
//!
//! The Form 8824 instructions say not to complete lines 12–18 for a multi-asset exchange and
//! to attach a statement showing how the realized and recognized gain were figured under
//! §1.1031(j)-1 instead. This module is that computation, pure and general: the exchange
//! groups are an input (after 2017 only real property forms a group, but the regulation's own
//! examples use like-class personal property groups, and they run here unchanged).
//!
//! Steps (Treas. Reg. §1.1031(j)-1(b)(2); liabilities as (b)(2)(ii) nets them):
//! 1. liabilities assumed are netted against liabilities relieved ((b)(2)(ii)(A));
//! 2. excess liabilities **assumed** go to the exchange groups pro rata by the FMV received in
//!    each, capped at that FMV ((b)(2)(ii)(B)); excess liabilities **relieved** are a Class I
//!    asset (cash received) in the residual group ((b)(2)(ii)(C));
//! 3. each group's surplus or deficiency ((b)(2)(iv)); the residual group of money and other
//!    property, Class I to IV ((b)(2)(iii));
//! 4. gain per group = lesser of realized gain and deficiency, losses not recognized
//!    ((b)(3)(i)); residual-group and other property given up are taxed under §1001
//!    ((b)(3)(ii));
//! 5. basis per group, split by FMV; residual-group property at FMV ((c)).
//!
//! Exchange expenses: the regulation is silent on them. They are treated as the Instructions
//! for Form 8824 treat them (line 15 reduces the cash received by them, line 18 adds what is
//! left): a cost of the disposition, reducing the amount realized. Here each exchange group's
//! FMV given is reduced by its share of the expenses (pro rata by FMV given: the engine's
//! allocation, the regulation prescribing none; without an exchange group they reduce the
//! §1001 gain on the property given up), and, having been paid out of the money received or
//! with the taxpayer's own cash, they are money paid in the residual group. With one exchange
//! group plus money the realized and recognized gain are then the form's lines 19 and 23.

use crate::amount::Amount;
use crate::explain::Trace;
use crate::explain::money as m;
use crate::gain::basis;
use crate::inputs;
use crate::law::cite;
use crate::money::round_cents;
use serde::Serialize;

/// Asset classes for the residual group ((b)(2)(iii), which borrows the §338 classes):
/// Class I money; Class II actively traded property such as marketable stock, CDs and
/// foreign currency; Class III all other assets (e.g. furniture, equipment, notes); Class IV
/// goodwill and going-concern value.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum AssetClass {
    #[serde(rename = "class_ii")]
    II,
    #[default]
    #[serde(rename = "class_iii")]
    III,
    #[serde(rename = "class_iv")]
    IV,
}

/// A property transferred by the taxpayer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    pub name: String,
    pub fmv: Amount,
    pub adjusted_basis: Amount,
    /// Class for the residual group (ignored inside exchange groups).
    pub class: AssetClass,
}

/// A property received by the taxpayer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub name: String,
    pub fmv: Amount,
    pub class: AssetClass,
}

/// One exchange group: like-kind (or, before 2018, like-class) properties on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInput {
    pub id: String,
    pub description: String,
    pub given: Vec<Given>,
    pub received: Vec<Received>,
}

/// Everything the computation needs; money is netted by the regulation, not by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MultiAssetInputs {
    pub groups: Vec<GroupInput>,
    /// Liabilities the taxpayer assumed or took property subject to.
    pub liabilities_assumed: Amount,
    /// Liabilities of the taxpayer assumed by the other party.
    pub liabilities_relieved: Amount,
    /// Money received, including exchange expenses paid out of the exchange's money (cash
    /// constructively received, as the form's line 15 counts it before the expenses offset).
    pub cash_received: Amount,
    /// Money paid to the other party (not counting exchange expenses).
    pub cash_paid: Amount,
    /// Exchange expenses (the Form 8824 line 15 / line 18 amount), however paid.
    pub exchange_expenses: Amount,
    /// Property given up that is in no exchange group (e.g. personal property after 2017).
    pub other_given: Vec<Given>,
    /// Property received that is in no exchange group.
    pub other_received: Vec<Received>,
}

/// The result for one exchange group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupResult {
    pub id: String,
    pub description: String,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub fmv_given: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub adjusted_basis_given: Amount,
    /// The group's share of the exchange expenses, reducing its amount realized.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub exchange_expenses: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub fmv_received: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub excess_liabilities_allocated: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub surplus: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub deficiency: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub gain_realized: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub gain_recognized: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub gain_deferred: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub basis_received: Amount,
    pub basis_by_property: Vec<basis::PropertyBasis>,
}

/// Which side the residual group is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResidualSide {
    None,
    Received,
    Transferred,
}

/// One slice of an asset in the residual group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResidualItem {
    pub name: String,
    /// `class_i` for money, otherwise the asset's class.
    pub class: String,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub fmv_in_residual: Amount,
    /// Gain or (loss) recognized on the part transferred (transferred side only).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub gain_recognized: Amount,
}

/// The residual group ((b)(2)(iii)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResidualGroup {
    pub side: ResidualSide,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub fmv: Amount,
    pub items: Vec<ResidualItem>,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub gain_recognized: Amount,
    /// Part of the difference no money or other property could fill (the FMVs entered do not
    /// balance; the regulation assumes they do, (a)(2)(ii)).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub unfilled: Amount,
}

/// The whole (j)-1 computation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MultiAssetResult {
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub excess_liabilities_assumed: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub excess_liabilities_relieved: Amount,
    pub groups: Vec<GroupResult>,
    pub residual_group: ResidualGroup,
    /// Gain or (loss) on property given up in neither an exchange group nor the residual
    /// group ((b)(3)(ii), §1001).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub gain_recognized_outside_groups: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub total_recognized: Amount,
    /// Sum over the exchange groups of realized minus recognized gain.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub deferred_gain: Amount,
    /// Basis of property received outside the exchange groups: its FMV.
    pub basis_non_group_property_received: Vec<basis::PropertyBasis>,
}

/// Splits `total` pro rata by `weights`, each share rounded half-up to the cent and the last
/// share taking the remainder (the contract's allocation rule).
pub(crate) fn pro_rata(total: Amount, weights: &[Amount]) -> Vec<Amount> {
    // One weight takes the whole (the last share is the remainder), whatever its value.
    if let [_] = weights {
        return vec![total];
    }
    let sum: Amount = weights.iter().copied().sum();
    if weights.is_empty() {
        return vec![];
    }
    if sum.is_zero() {
        let mut v = vec![Amount::ZERO; weights.len()];
        if let Some(last) = v.last_mut() {
            *last = total;
        }
        return v;
    }
    let mut out = Vec::with_capacity(weights.len());
    let mut used = Amount::ZERO;
    for (k, w) in weights.iter().enumerate() {
        if k + 1 == weights.len() {
            out.push(total - used);
        } else {
            let share = round_cents(total * *w / sum);
            used += share;
            out.push(share);
        }
    }
    out
}

/// [`pro_rata`] among the positive weights only: a weight of zero (or less) takes nothing,
/// not even the rounding remainder, which goes to the last positive weight. With no positive
/// weight, [`pro_rata`] itself.
pub(crate) fn pro_rata_positive(total: Amount, weights: &[Amount]) -> Vec<Amount> {
    if let [_] = weights {
        return pro_rata(total, weights);
    }
    let positive = |w: &Amount| *w > Amount::ZERO;
    let Some(last) = weights.iter().rposition(positive) else {
        return pro_rata(total, weights);
    };
    // As `pro_rata` over the positive weights alone, written in place (one list, not three).
    let sum: Amount = weights.iter().copied().filter(positive).sum();
    let mut used = Amount::ZERO;
    weights
        .iter()
        .enumerate()
        .map(|(k, w)| {
            if !positive(w) {
                Amount::ZERO
            } else if k == last {
                total - used
            } else {
                let share = round_cents(total * *w / sum);
                used += share;
                share
            }
        })
        .collect()
}

/// Step 2: nets all liabilities ((b)(2)(ii)(A)). Returns (excess assumed, excess relieved).
pub fn net_liabilities(assumed: Amount, relieved: Amount) -> (Amount, Amount) {
    let zero = Amount::ZERO;
    (
        (assumed - relieved).max(zero),
        (relieved - assumed).max(zero),
    )
}

/// Allocates excess liabilities assumed to the exchange groups in proportion to the FMV
/// received in each, never more than that FMV ((b)(2)(ii)(B)). Authority: Treas. Reg.
/// §1.1031(j)-1(b)(2)(ii)(B).
pub fn allocate_excess_assumed(excess: Amount, fmv_received: &[Amount]) -> Vec<Amount> {
    let total: Amount = fmv_received.iter().copied().sum();
    if excess >= total {
        return fmv_received.to_vec();
    }
    pro_rata(excess, fmv_received)
}

/// Runs §1.1031(j)-1 on `i`. Authority: Treas. Reg. §1.1031(j)-1(b), (c).
pub fn compute(i: &MultiAssetInputs, t: &mut Trace) -> MultiAssetResult {
    let zero = Amount::ZERO;
    let (exc_assumed, exc_relieved) =
        net_liabilities(i.liabilities_assumed, i.liabilities_relieved);
    crate::step!(
        t,
        "multi_asset.excess_liabilities",
        "All liabilities you assumed are offset against all liabilities you were relieved of; excess assumed goes to the exchange groups, excess relieved is cash received (Class I) in the residual group",
        format!("assumed {} / relieved {}", m(exc_assumed), m(exc_relieved)),
        cite!(REG_1_1031_J_1 "(b)(2)(ii)(A)-(C)"),
        inputs!["liabilities assumed" => m(i.liabilities_assumed), "liabilities relieved" => m(i.liabilities_relieved)],
    );
    let fmv_recd: Vec<Amount> = i
        .groups
        .iter()
        .map(|g| g.received.iter().map(|r| r.fmv).sum())
        .collect();
    let alloc = allocate_excess_assumed(exc_assumed, &fmv_recd);
    let allocated_total: Amount = alloc.iter().copied().sum();
    let (groups, given_total, net_received_total) = exchange_groups(i, &fmv_recd, &alloc, t);
    // Without an exchange group the expenses reduce the amount realized on what was sold.
    let expenses_outside = if i.groups.is_empty() {
        i.exchange_expenses
    } else {
        zero
    };

    // Residual group: the difference between what was given and received in the groups,
    // filled with money first (net: money received incl. excess liabilities relieved and any
    // excess assumed beyond the groups' FMV, against money paid), then Class II-IV property.
    let diff = given_total - net_received_total;
    let unallocated_assumed = exc_assumed - allocated_total;
    let money_net = i.cash_received + exc_relieved
        - i.cash_paid
        - (i.exchange_expenses - expenses_outside)
        - unallocated_assumed;
    let (side, amount) = if diff > zero {
        (ResidualSide::Received, diff)
    } else if diff < zero {
        (ResidualSide::Transferred, -diff)
    } else {
        (ResidualSide::None, zero)
    };
    let (items, share_given, left) = residual_items(i, side, amount, money_net);
    let residual_gain: Amount = items.iter().map(|x| x.gain_recognized).sum();
    crate::step!(
        t,
        "multi_asset.residual_group",
        "Residual group: the difference between the FMV given and received in all exchange groups (after liabilities), made of money or other property on one side only, taken from Class I, then II, III, IV; gain or loss on property transferred in it is recognized (§1001)",
        m(amount),
        cite!(REG_1_1031_J_1 "(b)(2)(iii), (b)(3)(ii)"),
        inputs!["FMV given in groups" => m(given_total), "FMV received in groups less excess liabilities" => m(net_received_total), "net money" => m(money_net)],
    );

    // Other property given up outside the residual group: taxable exchange under §1001.
    let outside: Amount = i
        .other_given
        .iter()
        .zip(&share_given)
        .map(|(g, s)| (g.fmv - g.adjusted_basis) * (Amount::ONE - *s))
        .sum::<Amount>()
        - expenses_outside;
    if !i.other_given.is_empty() || !expenses_outside.is_zero() {
        crate::step!(
            t,
            "multi_asset.outside_groups",
            "Property given up in neither an exchange group nor the residual group is exchanged in a taxable transaction: its gain or (loss) is recognized (less the exchange expenses when there is no exchange group)",
            m(outside),
            cite!(REG_1_1031_J_1 "(b)(3)(ii)"; IRC_1001),
            vec![],
        );
    }
    let group_recognized: Amount = groups.iter().map(|g| g.gain_recognized).sum();
    let total = group_recognized + residual_gain + outside;
    let deferred: Amount = groups.iter().map(|g| g.gain_deferred).sum();
    crate::step!(
        t,
        "multi_asset.total_recognized",
        "Total gain recognized = sum over the exchange groups + residual group + property outside the groups",
        m(total),
        cite!(REG_1_1031_J_1 "(b)(3)"),
        inputs!["exchange groups" => m(group_recognized), "residual group" => m(residual_gain), "outside groups" => m(outside)],
    );
    MultiAssetResult {
        excess_liabilities_assumed: exc_assumed,
        excess_liabilities_relieved: exc_relieved,
        groups,
        residual_group: ResidualGroup {
            side,
            fmv: amount,
            items,
            gain_recognized: residual_gain,
            unfilled: left.max(zero),
        },
        gain_recognized_outside_groups: outside,
        total_recognized: total,
        deferred_gain: deferred,
        basis_non_group_property_received: non_group_basis(i),
    }
}

/// Property received outside the exchange groups takes its FMV as basis.
fn non_group_basis(i: &MultiAssetInputs) -> Vec<basis::PropertyBasis> {
    i.other_received
        .iter()
        .map(|r| basis::PropertyBasis {
            id: r.name.as_str().into(),
            fmv: r.fmv,
            basis: r.fmv,
            like_kind: false,
            reason: Some("other property received, outside the exchange groups".into()),
        })
        .collect()
}

/// Every exchange group ([`exchange_group`]), with the FMV given in all of them (less their
/// exchange expenses) and the FMV received in all of them less the excess liabilities
/// allocated to them.
fn exchange_groups(
    i: &MultiAssetInputs,
    fmv_recd: &[Amount],
    alloc: &[Amount],
    t: &mut Trace,
) -> (Vec<GroupResult>, Amount, Amount) {
    let expenses = expenses_by_group(i, t);
    let mut groups = Vec::with_capacity(i.groups.len());
    let (mut given_total, mut net_received_total) = (Amount::ZERO, Amount::ZERO);
    for (((g, fr), a), e) in i.groups.iter().zip(fmv_recd).zip(alloc).zip(&expenses) {
        let group = exchange_group(g, (*fr, *a, *e), t);
        given_total += group.fmv_given - group.exchange_expenses;
        net_received_total += group.fmv_received - group.excess_liabilities_allocated;
        groups.push(group);
    }
    (groups, given_total, net_received_total)
}

/// The exchange expenses charged to each exchange group: pro rata by the FMV given in it (the
/// engine's allocation; the regulation is silent on expenses). Authority: Instructions for
/// Form 8824, lines 15 and 18; Treas. Reg. §1.1031(j)-1(b)(2)(iv).
fn expenses_by_group(i: &MultiAssetInputs, t: &mut Trace) -> Vec<Amount> {
    let fmv_given: Vec<Amount> = i
        .groups
        .iter()
        .map(|g| g.given.iter().map(|x| x.fmv).sum())
        .collect();
    let shares = pro_rata(i.exchange_expenses, &fmv_given);
    if !i.exchange_expenses.is_zero() {
        crate::step!(
            t,
            "multi_asset.exchange_expenses",
            "Exchange expenses: the regulation is silent on them; as on Form 8824 (line 15 reduced by them, line 18 increased by the rest) they reduce the amount realized: each exchange group's FMV given is reduced by its share (pro rata by FMV given, the engine's allocation), and, paid out of the money received or with your own cash, they are money paid in the residual group",
            m(i.exchange_expenses),
            cite!(FORM_8824 ", lines 15 and 18"; REG_1_1031_J_1 "(b)(2)(iv)"),
            vec![],
        );
    }
    shares
}

/// One exchange group: its surplus or deficiency, the gain it recognizes and the basis of
/// the property received in it, split by FMV.
fn exchange_group(
    g: &GroupInput,
    (fr, a, e): (Amount, Amount, Amount),
    t: &mut Trace,
) -> GroupResult {
    let zero = Amount::ZERO;
    let fg: Amount = g.given.iter().map(|x| x.fmv).sum();
    let ab: Amount = g.given.iter().map(|x| x.adjusted_basis).sum();
    let net = fr - a;
    // The amount realized in the group: FMV given less its exchange expenses.
    let realized_amount = fg - e;
    let surplus = (net - realized_amount).max(zero);
    let deficiency = (realized_amount - net).max(zero);
    let realized = realized_amount - ab;
    let recognized = realized.min(deficiency).max(zero);
    let basis_total = ab + recognized + surplus - deficiency + a;
    let props: Vec<(crate::id::Id, Amount)> = g
        .received
        .iter()
        .map(|r| (r.name.as_str().into(), r.fmv))
        .collect();
    let by_property = basis::allocate(basis_total, &props);
    crate::step!(
        t,
        format!("multi_asset.group.{}", g.id),
        format!(
            "Exchange group {}: surplus = FMV received less excess liabilities allocated, over FMV given less exchange expenses; deficiency the reverse; gain recognized = lesser of realized gain and deficiency (a loss is not recognized); basis = adjusted basis given + gain recognized + surplus - deficiency + excess liabilities allocated, split by FMV",
            g.id
        ),
        format!(
            "surplus {} / deficiency {} / recognized {} / basis {}",
            m(surplus),
            m(deficiency),
            m(recognized),
            m(basis_total)
        ),
        cite!(REG_1_1031_J_1 "(b)(2)(iv), (b)(3)(i), (c)"),
        inputs!["FMV given" => m(fg), "exchange expenses" => m(e), "adjusted basis given" => m(ab), "FMV received" => m(fr), "excess liabilities allocated" => m(a), "gain realized" => m(realized)],
    );
    GroupResult {
        id: g.id.clone(),
        description: g.description.clone(),
        fmv_given: fg,
        adjusted_basis_given: ab,
        exchange_expenses: e,
        fmv_received: fr,
        excess_liabilities_allocated: a,
        surplus,
        deficiency,
        gain_realized: realized,
        gain_recognized: recognized,
        gain_deferred: realized - recognized,
        basis_received: basis_total,
        basis_by_property: by_property,
    }
}

/// The residual group's items, taken from Class I (money), then Classes II-IV pro rata by
/// FMV within a class; the share of each other property given that falls in it; and what is
/// left unfilled.
fn residual_items(
    i: &MultiAssetInputs,
    side: ResidualSide,
    amount: Amount,
    money_net: Amount,
) -> (Vec<ResidualItem>, Vec<Amount>, Amount) {
    let zero = Amount::ZERO;
    let mut items = Vec::new();
    let mut left = amount;
    // Class I.
    let money_on_side = match side {
        ResidualSide::Received => money_net.max(zero),
        ResidualSide::Transferred => (-money_net).max(zero),
        ResidualSide::None => zero,
    };
    let money_in = money_on_side.min(left);
    if money_in > zero {
        items.push(ResidualItem {
            name: "money (incl. excess liabilities relieved)".into(),
            class: "class_i".into(),
            fmv_in_residual: money_in,
            gain_recognized: zero,
        });
        left -= money_in;
    }
    // Fraction of each other property that falls in the residual group.
    let mut share_given: Vec<Amount> = vec![zero; i.other_given.len()];
    let mut share_received: Vec<Amount> = vec![zero; i.other_received.len()];
    for class in [AssetClass::II, AssetClass::III, AssetClass::IV] {
        if left <= zero {
            break;
        }
        // Within a class the assets are taken pro rata by FMV ([U]: the regulation's order
        // within a class was not retrieved; pro rata reproduces Example 5).
        let fmvs: Vec<(usize, Amount)> = match side {
            ResidualSide::Received => i
                .other_received
                .iter()
                .enumerate()
                .filter(|(_, r)| r.class == class)
                .map(|(k, r)| (k, r.fmv))
                .collect(),
            ResidualSide::Transferred => i
                .other_given
                .iter()
                .enumerate()
                .filter(|(_, r)| r.class == class)
                .map(|(k, r)| (k, r.fmv))
                .collect(),
            ResidualSide::None => vec![],
        };
        let class_total: Amount = fmvs.iter().map(|x| x.1).sum();
        if class_total <= zero {
            continue;
        }
        let take = left.min(class_total);
        let parts = pro_rata(take, &fmvs.iter().map(|x| x.1).collect::<Vec<_>>());
        for ((k, fmv), part) in fmvs.iter().zip(parts) {
            let frac = part / *fmv;
            let (name, gain) = match side {
                ResidualSide::Transferred => {
                    share_given[*k] = frac;
                    let g = &i.other_given[*k];
                    (g.name.clone(), part - g.adjusted_basis * frac)
                }
                _ => {
                    share_received[*k] = frac;
                    (i.other_received[*k].name.clone(), zero)
                }
            };
            items.push(ResidualItem {
                name,
                class: match class {
                    AssetClass::II => "class_ii",
                    AssetClass::III => "class_iii",
                    AssetClass::IV => "class_iv",
                }
                .into(),
                fmv_in_residual: part,
                gain_recognized: gain,
            });
        }
        left -= take;
    }
    (items, share_given, left)
}

/// The statement the Form 8824 instructions require instead of lines 12–18 for a
/// multi-asset exchange, in words and dollars: each group by its description (or the words of
/// its class), every amount as the form takes it. The JSON's `statement`, the text report and
/// the PDF all print this one. `replaces_lines`: the instructions replace lines 12-18 with
/// this statement; otherwise it is the (j)-1 computation for reference, beside lines 12-18.
/// Authority: Instructions for Form 8824, "Multi-asset exchanges".
pub fn statement(r: &MultiAssetResult, replaces_lines: bool) -> String {
    let u = crate::money::format_usd;
    let mut s = String::from(if replaces_lines {
        "Statement attached to Form 8824 (multi-asset exchange, Treas. Reg. §1.1031(j)-1); lines 12-18 not completed.\n"
    } else {
        "Treas. Reg. §1.1031(j)-1 computation, for reference: the Form 8824 instructions do not replace lines 12-18 with a statement for this exchange; lines 12-25 are completed as shown.\n"
    });
    s.push_str(&format!(
        "Liabilities: excess assumed {}, excess relieved {} (treated as cash received).\n",
        u(r.excess_liabilities_assumed),
        u(r.excess_liabilities_relieved)
    ));
    for g in &r.groups {
        let name = if g.description.is_empty() {
            crate::words::code(&g.id)
        } else {
            crate::words::message(&g.description)
        };
        s.push_str(&format!(
            "Exchange group of {name}: fair market value given {}, exchange expenses {}, adjusted basis {}, fair market value received {}, excess liabilities allocated {}; surplus {}, deficiency {}; gain realized {}, recognized {}, deferred {}; basis of property received {}.\n",
            u(g.fmv_given),
            u(g.exchange_expenses),
            u(g.adjusted_basis_given),
            u(g.fmv_received),
            u(g.excess_liabilities_allocated),
            u(g.surplus),
            u(g.deficiency),
            u(g.gain_realized),
            u(g.gain_recognized),
            u(g.gain_deferred),
            u(g.basis_received)
        ));
    }
    s.push_str(&format!(
        "Residual group: {} ({}); gain recognized in it {}.\n",
        u(r.residual_group.fmv),
        r.residual_group
            .items
            .iter()
            .map(|x| format!("{} {}", x.name, u(x.fmv_in_residual)))
            .collect::<Vec<_>>()
            .join(", "),
        u(r.residual_group.gain_recognized)
    ));
    s.push_str(&format!(
        "Gain or (loss) on property outside the groups: {}. Total gain recognized: {}. Deferred gain: {}.",
        u(r.gain_recognized_outside_groups),
        u(r.total_recognized),
        u(r.deferred_gain)
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;

    fn given(n: &str, fmv: Amount, ab: Amount) -> Given {
        Given {
            name: n.into(),
            fmv,
            adjusted_basis: ab,
            class: AssetClass::III,
        }
    }
    fn recd(n: &str, fmv: Amount) -> Received {
        Received {
            name: n.into(),
            fmv,
            class: AssetClass::III,
        }
    }

    /// §1.1031(j)-1(d) Example 5, taxpayer U: grader half in the residual group.
    #[test]
    fn example_5_u() {
        let i = MultiAssetInputs {
            groups: vec![GroupInput {
                id: "real".into(),
                description: String::new(),
                given: vec![
                    given("A", amt!(5000), amt!(2000)),
                    given("B", amt!(13500), amt!(8000)),
                ],
                received: vec![recd("R", amt!(26500))],
            }],
            liabilities_assumed: amt!(7000),
            other_given: vec![given("grader", amt!(2000), amt!(500))],
            other_received: vec![recd("car", amt!(1000))],
            ..Default::default()
        };
        let r = compute(&i, &mut Trace::default());
        assert_eq!(r.groups[0].surplus, amt!(1000));
        assert_eq!(r.groups[0].basis_received, amt!(18000));
        assert_eq!(r.residual_group.gain_recognized, amt!(750));
        assert_eq!(r.gain_recognized_outside_groups, amt!(750));
        assert_eq!(r.total_recognized, amt!(1500));
    }

    proptest::proptest! {
        /// The split among positive weights is `pro_rata` over those weights alone, put back
        /// in their places, zero elsewhere; the shares add up to the total.
        #[test]
        fn pro_rata_positive_is_pro_rata_of_the_positive(
            total in -1_000_000i64..100_000_000,
            w in proptest::collection::vec(-50_000i64..1_000_000, 0..7),
        ) {
            let total = Amount::from_cents(total);
            let w: Vec<Amount> = w.into_iter().map(|c| Amount::from_cents(c * 100)).collect();
            let positive: Vec<Amount> = w.iter().copied().filter(|x| *x > Amount::ZERO).collect();
            let expected = if w.len() == 1 || positive.is_empty() {
                pro_rata(total, &w)
            } else {
                let mut shares = pro_rata(total, &positive).into_iter();
                w.iter()
                    .map(|x| if *x > Amount::ZERO { shares.next().unwrap_or_default() } else { Amount::ZERO })
                    .collect()
            };
            let got = pro_rata_positive(total, &w);
            proptest::prop_assert_eq!(&got, &expected);
            if !w.is_empty() {
                proptest::prop_assert_eq!(got.iter().copied().sum::<Amount>(), total);
            }
        }

        /// Basis conservation: each group's basis is its FMV received less its deferred gain,
        /// and the per-property bases add up to it exactly; the exchange expenses are charged
        /// to the groups in full.
        #[test]
        fn basis_conservation(
            g in proptest::collection::vec((1i64..1_000_000, 0i64..1_000_000, 1i64..1_000_000, 1i64..1_000_000), 1..4),
            assumed in 0i64..500_000, relieved in 0i64..500_000, cash in 0i64..100_000,
            expenses in 0i64..50_000,
        ) {
            let groups: Vec<GroupInput> = g.iter().enumerate().map(|(k, (fg, ab, r1, r2))| GroupInput {
                id: format!("g{k}"),
                description: String::new(),
                given: vec![given("x", Amount::from(*fg), Amount::from(*ab))],
                received: vec![recd("a", Amount::from(*r1)), recd("b", Amount::from(*r2))],
            }).collect();
            let i = MultiAssetInputs {
                groups,
                liabilities_assumed: Amount::from(assumed),
                liabilities_relieved: Amount::from(relieved),
                cash_received: Amount::from(cash),
                exchange_expenses: Amount::from(expenses),
                ..Default::default()
            };
            let r = compute(&i, &mut Trace::default());
            let charged: Amount = r.groups.iter().map(|x| x.exchange_expenses).sum();
            proptest::prop_assert_eq!(charged, i.exchange_expenses);
            for gr in &r.groups {
                proptest::prop_assert_eq!(gr.basis_received, gr.fmv_received - gr.gain_deferred);
                let parts: Amount = gr.basis_by_property.iter().map(|b| b.basis).sum();
                proptest::prop_assert_eq!(parts, gr.basis_received);
                proptest::prop_assert!(gr.gain_recognized >= Amount::ZERO);
                proptest::prop_assert!(gr.gain_recognized <= gr.gain_realized.max(Amount::ZERO));
            }
            let alloc: Amount = r.groups.iter().map(|x| x.excess_liabilities_allocated).sum();
            proptest::prop_assert!(alloc <= r.excess_liabilities_assumed);
        }
    }

    #[test]
    fn excess_assumed_capped_at_fmv() {
        assert_eq!(
            allocate_excess_assumed(amt!(10), &[amt!(3), amt!(4)]),
            vec![amt!(3), amt!(4)]
        );
        assert_eq!(
            allocate_excess_assumed(amt!(500), &[amt!(1600), amt!(3100), amt!(1400)]),
            vec![amt!(131.15), amt!(254.10), amt!(114.75)]
        );
    }
}
