//! # likekind-core
//!
//! The pure engine of likekind: US §1031 like-kind exchanges of real property and their
//! Opportunity Zone backup. Every rule lives in one function here with its authority in the
//! doc comment and in the explanation step it emits. No I/O, no clock: today's date is an
//! argument, so the CLI, the server and the tests all compute the same thing.
//!
//! The modules follow the law: [`timing`] (deadlines, due dates, disasters, reverse
//! exchanges), [`identification`], [`eligibility`] (what qualifies, related parties, homes),
//! [`gain`] (the money, Form 8824 Parts I–III, recapture, basis), [`after`] (depreciation,
//! straddles, death, states), [`oz`] and [`plan`]; [`analyze`] only orchestrates them, and
//! [`law`] lists every authority they cite (`docs/LAW.md` indexes each to its code and
//! tests). The flow is one way: [`parse_exchange`] → [`Exchange`] → [`analyze()`] →
//! [`Report`]. DESIGN.md in the repository says where a new rule goes.
//!
//! Parse an exchange file and analyse it as of a date:
//!
//! ```
//! use likekind_core::{analyze, parse_exchange, Format};
//! let file = parse_exchange(r#"
//! [taxpayer]
//! entity = "individual"
//! [[relinquished]]
//! id = "oak"
//! location = "CA"
//! acquired = "2015-06-01"
//! transferred = "2026-03-02"
//! sale_price = "1000000"
//! adjusted_basis = "400000"
//! [[identified]]
//! id = "elm"
//! fmv = "1000000"
//! identified_on = "2026-04-10"
//! [[replacement]]
//! id = "elm"
//! location = "TX"
//! received = "2026-06-15"
//! price = "1000000"
//! "#, Format::Toml)?;
//! let report = analyze(&file, jiff::civil::date(2026, 11, 25));
//! assert_eq!(report.gain.recognized.to_string(), "0");
//! assert_eq!(report.qualification.outcome.words(), "like-kind exchange");
//! # Ok::<(), likekind_core::InputErrors>(())
//! ```

pub mod after;
pub mod amount;
pub mod analyze;
pub mod eligibility;
pub mod exchange;
pub mod explain;
pub mod findings;
pub mod gain;
pub mod id;
pub mod identification;
pub mod input;
pub mod law;
pub mod model;
pub mod money;
pub mod oz;
pub mod plan;
pub mod report;
pub mod spelling;
pub mod timeline;
pub mod timing;
pub mod validate;
pub mod words;

// The paths the engine had before its modules were grouped by legal topic, kept so the
// other crates (and anyone else) can go on naming them.
pub use after::{death, depreciation, macrs, states, straddle};
pub use eligibility::{disqualified, produced_property, qualification, related_party};
pub use gain::{balance, basis, character, form8824, multi_asset, recapture};
pub use timing::{
    calendar, constructive_receipt, deadlines, disaster, due_date, holidays, reverse, status,
};

pub use amount::Amount;
pub use analyze::analyze;
pub use exchange::Exchange;
pub use input::{Format, InputError, InputErrors, parse_exchange};
pub use model::ExchangeFile;
pub use report::Report;
