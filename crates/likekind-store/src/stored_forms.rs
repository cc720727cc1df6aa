//! How a summary is stored: the version of its derivation, the open lower bound of a date
//! range, and the closed vocabularies of its words. Kept apart from the derivation
//! (`summary.rs`) so that the maintained counts (`counts.rs`), which the derivation updates,
//! read them without importing the derivation back.

/// The version of the summary's derivation (`summary.rs`). Bump it when that changes: the
/// store then recomputes every stored summary when it opens.
pub const SUMMARY_VERSION: i64 = 9;

/// "No lower bound" as a stored date.
pub(crate) const NO_START: &str = "0000-01-01";

/// The stored words of the closed vocabularies of a summary (alert kinds, severities, settled phases).
pub(crate) fn static_word(s: &str) -> &'static str {
    match s {
        "deadline_upcoming" => "deadline_upcoming",
        "deadline_missed" => "deadline_missed",
        "not_closed" => "not_closed",
        "identification_problem" => "identification_problem",
        "idle_funds" => "idle_funds",
        "error" => "error",
        "warning" => "warning",
        "info" => "info",
        "completed" => "completed",
        "partly_completed" => "partly_completed",
        "failed" => "failed",
        _ => "unknown",
    }
}
