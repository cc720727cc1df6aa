//! Basis of the property received (IRC §1031(d)).
//!
//! Other (not like-kind) property takes its FMV; line 25 is the basis of the like-kind
//! property, split over the replacements by relative FMV (Treas. Reg. §1.1031(j)-1(c) within an
//! exchange group; i8824 lines 25a–c). Each share is rounded half-up to the cent except the
//! last in file order, which takes the remainder, so the shares add up to line 25 exactly.

use crate::amount::Amount;
use crate::money::round_cents;
use serde::Serialize;

/// The basis of one replacement property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyBasis {
    pub id: crate::id::Id,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub basis: Amount,
    /// FMV the allocation used.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub fmv: Amount,
    /// Like-kind replacement property (its basis is a share of line 25), or other property
    /// received (its basis is its FMV, IRC §1031(d); its cost in a taxable sale).
    pub like_kind: bool,
    /// Why it is not like-kind property (only when `like_kind` is false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Splits `total` over `(id, fmv)` pairs by relative FMV.
///
/// With a zero total FMV the split is equal (nothing else is defensible); with no property
/// the result is empty.
pub fn allocate(total: Amount, properties: &[(crate::id::Id, Amount)]) -> Vec<PropertyBasis> {
    let n = properties.len();
    if n == 0 {
        return Vec::new();
    }
    let sum: Amount = properties.iter().map(|(_, f)| *f).sum();
    let mut out = Vec::with_capacity(n);
    let mut given = Amount::ZERO;
    for (k, (id, fmv)) in properties.iter().enumerate() {
        let share = if k + 1 == n {
            total - given
        } else if sum.is_zero() {
            round_cents(total / Amount::from(n))
        } else {
            // Ratio first: bounded by 1, so no product can overflow whatever the amounts.
            round_cents(total * (*fmv / sum))
        };
        given += share;
        out.push(PropertyBasis {
            id: id.clone(),
            basis: share,
            fmv: *fmv,
            like_kind: true,
            reason: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;

    #[test]
    fn shares_add_up_exactly() {
        let p = vec![
            ("a".into(), amt!(1)),
            ("b".into(), amt!(1)),
            ("c".into(), amt!(1)),
        ];
        let r = allocate(amt!(100), &p);
        assert_eq!(r[0].basis, amt!(33.33));
        assert_eq!(r[1].basis, amt!(33.33));
        assert_eq!(r[2].basis, amt!(33.34));
    }

    #[test]
    fn by_relative_fmv() {
        let p = vec![("a".into(), amt!(600000)), ("b".into(), amt!(400000))];
        let r = allocate(amt!(500000), &p);
        assert_eq!(r[0].basis, amt!(300000));
        assert_eq!(r[1].basis, amt!(200000));
    }
}
