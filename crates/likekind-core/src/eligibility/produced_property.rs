//! Property to be produced (Treas. Reg. §1.1031(k)-1(e)): replacement property still under
//! construction when received counts only as far as it is finished.
//!
//! Personal property counts only if its production is complete ((e)(3)(ii)); real property
//! counts to the extent it is real property under local law when received ((e)(3)(iii)); any
//! construction after receipt is services, not like-kind property ((e)(4)).

use crate::amount::Amount;
use serde::Serialize;

/// Real or personal property being produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Produced {
    Real,
    Personal,
}

/// The result for one produced replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProducedResult {
    /// Substantially the same property as identified ((e)(3)).
    pub substantially_same: bool,
    /// Percent of the improvements received as like-kind property (real property only).
    pub like_kind_share_of_improvements_percent: Amount,
    /// Construction after receipt is never like-kind property ((e)(4)).
    pub post_receipt_construction_like_kind: bool,
    /// Whether any of it is like-kind property.
    pub like_kind: bool,
}

/// Judges a produced replacement received at `percent_complete`.
/// Authority: Treas. Reg. §1.1031(k)-1(e)(3)(ii)-(iii), (e)(4), (e)(5) Example.
pub fn judge(kind: Produced, percent_complete: Amount, same_if_completed: bool) -> ProducedResult {
    match kind {
        Produced::Personal => {
            let done = percent_complete >= Amount::ONE_HUNDRED;
            ProducedResult {
                substantially_same: done && same_if_completed,
                like_kind_share_of_improvements_percent: Amount::ZERO,
                post_receipt_construction_like_kind: false,
                // After 2017 personal property is never like-kind (IRC §1031(a)(1)).
                like_kind: false,
            }
        }
        Produced::Real => ProducedResult {
            substantially_same: same_if_completed,
            like_kind_share_of_improvements_percent: percent_complete.min(Amount::ONE_HUNDRED),
            post_receipt_construction_like_kind: false,
            like_kind: same_if_completed,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;

    #[test]
    fn example_of_e5() {
        let m = judge(Produced::Real, amt!(20), true);
        assert!(m.substantially_same && !m.post_receipt_construction_like_kind);
        assert_eq!(m.like_kind_share_of_improvements_percent, amt!(20));
        let n = judge(Produced::Personal, amt!(90), true);
        assert!(!n.substantially_same && !n.like_kind);
    }
}
