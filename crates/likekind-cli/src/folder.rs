//! Which files a folder of exchange files holds: shared by `check`'s walk of a folder book
//! and by the guard that keeps an output file from landing among them.

use std::path::Path;

/// Whether a folder book reads this file: its name ends in `.toml` or `.json` (any case).
pub(crate) fn is_exchange_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("toml") || e.eq_ignore_ascii_case("json"))
}
