//! Eligibility: what §1031 accepts. The property screens (real property, like kind, held for
//! investment, the form of ownership), the like-kind verdict of each property, related
//! parties, homes (the vacation-home safe harbor, §121 with §1031, moving in later),
//! disqualified persons, property produced for the taxpayer, and whether the exchange funds
//! stayed out of the taxpayer's reach.

pub mod disqualified;
pub mod move_in;
pub mod pending;
pub mod produced_property;
pub mod qualification;
pub mod related_party;
pub mod safe_harbor;
pub mod screen;
pub mod section121;
pub mod vacation_home;

// The property screens, at the path they had before the folder.
pub use screen::*;
