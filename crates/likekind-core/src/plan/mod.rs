//! The strategy planner: for one exchange file (planned, partial or failed), what each path
//! costs now, what it defers and until when, and what is left after tax at a horizon.
//!
//! The planner reuses the engine's [`crate::Report`] (realized and recognized gain, ordinary
//! recapture, unrecaptured §1250 gain, boot, deadlines); it never recomputes Form 8824. The
//! "failed" figures are the engine's own analysis of the same file with no replacement
//! property. Assumptions are inputs with stated defaults ([`Assumptions`]); the tax it
//! computes from them is a rough estimate for comparing paths, never a return.

pub mod assumptions;
pub mod strategies;
pub mod tax;

pub use assumptions::{
    Assumptions, HoldUntil, MAX_HORIZON_YEARS, OtherGain, OtherGainKind, Overrides, PlanBlock,
    defaults, resolve, validate_block,
};
pub use strategies::{ExchangeStatus, Plan, Strategy, plan};
