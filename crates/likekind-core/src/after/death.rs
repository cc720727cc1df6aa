//! Death of the owner: the §1014 step-up closes the deferral ledger.
//!
//! Property acquired from a decedent takes its FMV at the date of death (or at the alternate
//! valuation date when the estate elects it, §2032). The gain deferred by one or more §1031
//! exchanges, including deferred depreciation recapture and unrecaptured §1250 gain, is never
//! taxed: the heirs start from the new basis. Both halves of community property are stepped
//! up (§1014(b)(6)).

use crate::amount::Amount;
use crate::explain::Trace;
use crate::explain::money as m;
use crate::inputs;
use crate::law::cite;
use jiff::civil::Date;
use serde::Serialize;

/// The facts at death.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeathInputs {
    pub date_of_death: Date,
    /// The decedent's adjusted basis in the replacement property at death.
    pub basis_at_death: Amount,
    /// Gain deferred by the exchange(s) still in the property.
    pub deferred_gain: Amount,
    pub fmv_at_death: Amount,
    /// FMV at the alternate valuation date, when the estate elects it (§2032).
    pub alternate_valuation: Option<Amount>,
    /// Community property held with a surviving spouse: the whole property is stepped up.
    pub community_property: bool,
}

/// The heirs' position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepUp {
    pub date_of_death: Date,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub heir_basis: Amount,
    /// Deferred gain eliminated (negative when a deferred loss is lost).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub deferred_gain_eliminated: Amount,
    /// Built-in gain or (loss) at death, over the decedent's basis, also eliminated.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub total_gain_eliminated: Amount,
    pub valuation: String,
}

/// Basis of property acquired from a decedent. Authority: IRC §1014(a)(1)-(2), (b)(6);
/// IRC §2032.
pub fn step_up(i: &DeathInputs, t: &mut Trace) -> StepUp {
    let (basis, valuation) = match i.alternate_valuation {
        Some(v) => (v, "alternate valuation date (§2032)".to_string()),
        None => (i.fmv_at_death, "FMV at the date of death".to_string()),
    };
    let total = basis - i.basis_at_death;
    crate::step!(
        t,
        "death.heir_basis",
        format!(
            "Heirs' basis = {valuation}; the deferred §1031 gain (and deferred recapture) is eliminated, not carried over{}",
            if i.community_property {
                "; community property: both halves are stepped up"
            } else {
                ""
            }
        ),
        m(basis),
        cite!(IRC_1014 "(a), (b)(6)"; IRC_2032),
        inputs!["decedent's basis" => m(i.basis_at_death), "deferred gain" => m(i.deferred_gain), "FMV at death" => m(i.fmv_at_death)],
    );
    StepUp {
        date_of_death: i.date_of_death,
        heir_basis: basis,
        deferred_gain_eliminated: deferred_eliminated(i.deferred_gain, total),
        total_gain_eliminated: total,
        valuation,
    }
}

/// The part of the deferred gain that the basis at death eliminates: §1014 takes away only
/// the gain still built in at death (`total`, value less the decedent's basis). When the
/// value fell below the amount the deferral assumed, the rest of the deferred gain went with
/// the fall in value, not with §1014; when it fell below the decedent's basis, no deferred
/// gain remains and a loss is lost instead (a step-down, IRC §1014(a)). A deferred loss
/// (negative) is lost only as far as a loss is still built in at death.
fn deferred_eliminated(deferred: Amount, total: Amount) -> Amount {
    if deferred >= Amount::ZERO {
        deferred.min(total.max(Amount::ZERO))
    } else {
        deferred.max(total.min(Amount::ZERO))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;

    #[test]
    fn alternate_valuation_wins_when_elected() {
        let i = DeathInputs {
            date_of_death: jiff::civil::date(2026, 3, 1),
            basis_at_death: amt!(450000),
            deferred_gain: amt!(750000),
            fmv_at_death: amt!(1200000),
            alternate_valuation: Some(amt!(1100000)),
            community_property: false,
        };
        let s = step_up(&i, &mut Trace::default());
        assert_eq!(s.heir_basis, amt!(1100000));
        assert_eq!(s.total_gain_eliminated, amt!(650000));
        assert_eq!(s.deferred_gain_eliminated, amt!(650000));
    }

    /// QA7 9: the value at death ($200,000) is below the decedent's basis ($250,000): a
    /// step-down; none of the $750,000 of deferred gain is left for §1014 to eliminate (it
    /// went with the fall in value) and a $50,000 loss is lost.
    #[test]
    fn a_value_below_basis_is_a_step_down() {
        let i = DeathInputs {
            date_of_death: jiff::civil::date(2026, 3, 1),
            basis_at_death: amt!(250000),
            deferred_gain: amt!(750000),
            fmv_at_death: amt!(200000),
            alternate_valuation: None,
            community_property: false,
        };
        let s = step_up(&i, &mut Trace::default());
        assert_eq!(s.heir_basis, amt!(200000));
        assert_eq!(s.total_gain_eliminated, amt!(-50000));
        assert_eq!(s.deferred_gain_eliminated, amt!(0));
        let full = step_up(
            &DeathInputs {
                fmv_at_death: amt!(1200000),
                ..i
            },
            &mut Trace::default(),
        );
        assert_eq!(full.deferred_gain_eliminated, amt!(750000));
    }
}
