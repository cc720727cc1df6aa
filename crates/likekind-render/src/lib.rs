//! # likekind-render
//!
//! Turns an engine [`likekind_core::Report`] into bytes for people and programs: a text
//! report a CPA can hand a client, JSON (the contract), and (later) iCalendar and charts.
//! No I/O: every function returns a `String`.

pub mod ics;
pub mod plan;
pub mod text;

/// The JSON report (contract: `docs/exchange-file.md`, "Report"), pretty-printed.
pub fn json(report: &likekind_core::Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
