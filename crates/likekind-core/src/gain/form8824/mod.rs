//! Form 8824, Like-Kind Exchanges, in one place: one function per part.
//!
//! - Part I, information on the like-kind exchange (lines 1–7): [`part_i`];
//! - Part II, related party exchange information (lines 8–11): [`part_ii`], with the
//!   §1031(f) rules it reports in `eligibility::related_party`;
//! - Part III, realized gain or (loss), recognized gain and basis of like-kind property
//!   received (lines 12–25): [`part_iii`].
//!
//! Authority: Instructions for Form 8824; IRC §1031.

pub mod part_i;
pub mod part_ii;
pub mod part_iii;

pub use part_i::{PartI, part_i};
pub use part_ii::{PartII, PartIIYear, part_ii};
pub use part_iii::{
    Form8824Inputs, Form8824Lines, Form8824Result, SaleInstead, compute, part_iii,
    sale_instead_of_exchange,
};
