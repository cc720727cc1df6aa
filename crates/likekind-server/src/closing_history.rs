//! What a purchase closing needs from the exchange funds, and what it needed the last time
//! the tracker stored it, read back from the audit log.
//!
//! An administrator may take a paid closing out of the facts (recorded by mistake, with a
//! written reason). Put back afterwards, it must not need more from the exchange funds than it
//! did when it was taken out: the closing took place and was paid, and before the (g)(6)
//! date the funds may go only toward acquiring replacement property (Treas. Reg.
//! §1.1031(k)-1(g)(6)). The stored file no longer has it, so the edit guard reads the newest
//! audited version of the facts that did.

use crate::error::ApiResult;
use jiff::civil::Date;
use likekind_core::model::{ExchangeFile, Replacement};
use likekind_store::{AuditEntry, AuditFilter, ExchangeRow};
use serde_json::Value;

/// Audit entries read per page (an exchange's own changes of its facts are few; postings are
/// another kind and not read).
const PAGE: i64 = 50;

/// Each closing of `ids` as the newest audited version of the facts of `ex` that had it
/// recorded it, with what it then needed from the exchange funds (cents); a closing the audit
/// log never saw is left out (it is recorded as it comes).
///
/// # Errors
/// A store failure.
pub(crate) async fn needs_when_last_stored(
    state: &crate::AppState,
    ex: &ExchangeRow,
    ids: &[&str],
    today: Date,
) -> ApiResult<Vec<(Replacement, i128)>> {
    let mut found: Vec<(Replacement, i128)> = Vec::new();
    let filter = AuditFilter {
        exchange_id: Some(&ex.id),
        kind: Some("exchange"),
        ..AuditFilter::default()
    };
    let mut before: Option<String> = None;
    while found.len() < ids.len() {
        let page = state
            .store
            .search_audit(&ex.firm_id, &filter, before.as_deref(), PAGE)
            .await?;
        for entry in &page {
            for file in files_newest_first(entry) {
                remember(&mut found, ids, file, today);
            }
        }
        match page.last() {
            Some(last) if page.len() as i64 == PAGE => before = Some(last.id.clone()),
            _ => break,
        }
    }
    Ok(found)
}

/// The facts an entry holds, the state after the change first.
fn files_newest_first(e: &AuditEntry) -> impl Iterator<Item = &Value> {
    [e.after.as_ref(), e.before.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("file"))
}

/// Records the need of each closing of `ids` that `file` has and that no newer version gave.
fn remember(found: &mut Vec<(Replacement, i128)>, ids: &[&str], file: &Value, today: Date) {
    let has = |id: &str| {
        file.get("replacement")
            .and_then(Value::as_array)
            .is_some_and(|l| {
                l.iter()
                    .any(|r| r.get("id").and_then(Value::as_str) == Some(id))
            })
    };
    let wanted: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| !found.iter().any(|(f, _)| f.id.as_str() == *id) && has(id))
        .collect();
    if wanted.is_empty() {
        return;
    }
    // A version that no longer reads (an older engine's file) tells nothing.
    let Ok(f) = likekind_core::parse_exchange(&file.to_string(), likekind_core::Format::Json)
        .map(likekind_core::Exchange::into_file)
    else {
        return;
    };
    let needs = closing_needs(&f, today);
    for (closing, (_, need)) in f.replacement.into_iter().zip(needs) {
        if wanted.contains(&closing.id.as_str()) {
            found.push((closing, need));
        }
    }
}

/// What each purchase closing needs from the exchange funds (the engine's
/// `from_exchange_funds`, as the ledger's disbursement rule reads it), in cents, by id.
pub(crate) fn closing_needs(f: &ExchangeFile, today: Date) -> Vec<(String, i128)> {
    likekind_core::analyze::figures(&likekind_store::summary::tracked(f.clone()), today)
        .money
        .purchases
        .iter()
        .map(|p| {
            (
                p.id.to_string(),
                likekind_core::money::cents(p.from_exchange_funds),
            )
        })
        .collect()
}
