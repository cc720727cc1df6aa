//! Form 8824, Like-Kind Exchanges, in one place: one function per part.
//!
//! - Part I, information on the like-kind exchange (lines 1–7): [`part_i`];
//! - Part II, related party exchange information (lines 8–11): [`part_ii`], with the
//!   §1031(f) rules it reports in `eligibility::related_party`;
//! - Part III, realized gain or (loss), recognized gain and basis of like-kind property
//!   received (lines 12–25): [`part_iii`].
//!
//! Authority: Instructions for Form 8824; IRC §1031.
//!
//! ```
//! use likekind_core::explain::Trace;
//! use likekind_core::gain::form8824::{Form8824Inputs, part_iii};
//! use likekind_core::Amount;
//! // A $400,000 basis given up for a $950,000 property and $50,000 cash.
//! let inputs = Form8824Inputs {
//!     like_kind_given_basis: Amount::from(400_000),
//!     like_kind_received_fmv: Amount::from(950_000),
//!     cash_received: Amount::from(50_000),
//!     ..Default::default()
//! };
//! let mut trace = Trace::default();
//! let r = part_iii(&inputs, &mut trace);
//! assert_eq!(r.lines.line_19, Amount::from(600_000)); // realized
//! assert_eq!(r.lines.line_23, Amount::from(50_000)); // recognized: the cash
//! assert_eq!(r.lines.line_25, Amount::from(400_000)); // basis of the replacement
//! assert!(trace.steps.iter().any(|s| s.key == "form_8824.line_25"));
//! ```

pub mod part_i;
pub mod part_ii;
pub mod part_iii;

pub use part_i::{PartI, part_i};
pub use part_ii::{PartII, PartIIYear, part_ii};
pub use part_iii::{
    Form8824Inputs, Form8824Lines, Form8824Result, SaleInstead, compute, part_iii,
    sale_instead_of_exchange,
};
