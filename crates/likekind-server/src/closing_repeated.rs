//! A purchase closing the ledger paid, recorded a second time under another id: the same
//! property (its description, letters and digits alike) closing on the same day. Recorded so,
//! the per-closing limit of the ledger would let the exchange funds pay the one acquisition
//! twice, while before the (g)(6) date they may go only to acquire replacement property
//! (Treas. Reg. §1.1031(k)-1(g)(6)). A second purchase of its own gets a description of its
//! own; an administrator may record it as it is, with a written reason kept in the audit log.

use crate::AppState;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::Auth;
use axum::http::StatusCode;
use likekind_core::model::{ExchangeFile, Replacement};
use likekind_core::money::format_date;
use likekind_store::{ExchangeRow, Role};

/// The authority for paying only for replacement property.
const AUTHORITY: &str = "Treas. Reg. §1.1031(k)-1(g)(6)";

/// A description reduced to its letters and digits, lower case: "Elm Plaza, 400 Elm St." and
/// "elm plaza 400 elm st" are the same property.
fn key(description: &str) -> String {
    description
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The purchase closings of `new` that the stored file `old` does not have and that repeat
/// one it has (the same described property closing the same day): place in `new`, the new
/// closing, and the stored closing it repeats.
fn repeats<'a>(
    old: &'a ExchangeFile,
    new: &'a ExchangeFile,
) -> Vec<(usize, &'a Replacement, &'a Replacement)> {
    new.replacement
        .iter()
        .enumerate()
        .filter(|(_, n)| !old.replacement.iter().any(|o| o.id == n.id))
        .filter_map(|(k, n)| {
            let name = key(&n.description);
            (!name.is_empty())
                .then(|| {
                    old.replacement
                        .iter()
                        .find(|o| o.received == n.received && key(&o.description) == name)
                })
                .flatten()
                .map(|o| (k, n, o))
        })
        .collect()
}

/// Refuses an edit that records again, under another id, a purchase closing the ledger paid
/// toward, unless an administrator gives `override_reason`.
///
/// # Errors
/// 422 `closing_paid` on `file.replacement[i]`, in words; 403 when a non-administrator gives
/// a reason; a store failure.
pub async fn check_paid_closing_not_repeated(
    state: &AppState,
    auth: &Auth,
    ex: &ExchangeRow,
    (old, new): (&ExchangeFile, &ExchangeFile),
    override_reason: Option<&str>,
) -> ApiResult<()> {
    if ex.ledger_seq == 0 {
        return Ok(());
    }
    let repeated = repeats(old, new);
    if repeated.is_empty() {
        return Ok(());
    }
    let today = state.today();
    let ids: Vec<&str> = repeated.iter().map(|(_, _, o)| o.id.as_str()).collect();
    let paid = state
        .store
        .closings_paid_by(&ex.firm_id, &ex.id, &ids, &today.to_string())
        .await?;
    let fields: Vec<FieldError> = repeated
        .iter()
        .filter(|(_, _, o)| paid.iter().any(|p| p.as_str() == o.id.as_str()))
        .map(|(k, n, _)| FieldError {
            path: format!("file.replacement[{k}]"),
            rule: "closing_paid".to_string(),
            message: format!(
                "{} closing on {} is already recorded, and the exchange funds paid toward it: recorded a second time it could be paid again, while before the allowed date the exchange funds may only pay for replacement property ({AUTHORITY}). If it is another purchase, describe it as such; an administrator may record it as it is, with a written reason, kept in the audit log.",
                n.description.trim(),
                format_date(n.received)
            ),
        })
        .collect();
    refuse_closing_paid(
        auth,
        fields,
        override_reason,
        "record a paid purchase closing again",
    )
}

/// The 422 `closing_paid` of an edit touching purchase closings the ledger paid (`fields`,
/// each in words; this guard's and `exchanges`' guard on raised needs), or, given an override
/// reason, whether the caller is an administrator (403 with `what` otherwise). Nothing to
/// refuse: `Ok`.
///
/// # Errors
/// As above.
pub(crate) fn refuse_closing_paid(
    auth: &Auth,
    fields: Vec<FieldError>,
    override_reason: Option<&str>,
    what: &str,
) -> ApiResult<()> {
    if fields.is_empty() {
        return Ok(());
    }
    if override_reason.is_some() {
        return auth.require(&[Role::Admin], what);
    }
    let message = fields
        .iter()
        .map(|f| f.message.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "closing_paid", message);
    e.detail.fields = fields;
    Err(e)
}
