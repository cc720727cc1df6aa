//! # likekind-core
//!
//! The pure engine of likekind: US §1031 like-kind exchanges of real property and their
//! Opportunity Zone backup. Every rule lives in one function here with its authority in the
//! doc comment and in the explanation step it emits. No I/O, no clock: today's date is an
//! argument, so the CLI, the server and the tests all compute the same thing.
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

pub mod analyze;
pub mod balance;
pub mod basis;
pub mod calendar;
pub mod character;
pub mod constructive_receipt;
pub mod deadlines;
pub mod death;
pub mod depreciation;
pub mod disaster;
pub mod due_date;
pub mod exchange;
pub mod explain;
pub mod findings;
pub mod form8824;
pub mod holidays;
pub mod identification;
pub mod input;
pub mod macrs;
pub mod model;
pub mod money;
pub mod multi_asset;
pub mod oz;
pub mod plan;
pub mod recapture;
pub mod report;
pub mod reverse;
pub mod special;
pub mod status;
pub mod straddle;
pub mod timeline;
pub mod validate;
// issue 4: eligibility, related parties, homes, states
pub mod disqualified;
pub mod eligibility;
pub mod homes;
pub mod produced_property;
pub mod qualification;
pub mod related_party;
pub mod states;

pub use analyze::analyze;
pub use exchange::Exchange;
pub use input::{Format, InputError, InputErrors, parse_exchange};
pub use model::ExchangeFile;
pub use report::Report;
