//! A payment request's idempotency key: the `Idempotency-Key` header of `POST
//! /api/exchanges/{id}/ledger` (and the key the ledger page's form carries). A client that
//! retries a payment after a timeout, or a person who presses "Post" twice, must not move the
//! money twice.
//!
//! The same key on the same exchange with the same request is answered with what the first
//! request made (the posting, 201, or the approval filed for a second person, 202), with
//! `Idempotent-Replayed: true`, and nothing is written; the same key with a different request is
//! refused (422 `idempotency_key_reused`). The key is claimed in the transaction that writes the
//! payment (`likekind_store::Store::post`), so two requests at once with one key move the money
//! once. A refused request keeps no key: the corrected request may use it again.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::Auth;
use crate::ledger::{PostResult, PostingReq};
use crate::money::show;
use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::{HeaderValue, StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use likekind_store::RequestKey;

/// The header's name, as the IETF's draft "The Idempotency-Key HTTP Header Field" spells it.
pub const HEADER: &str = "Idempotency-Key";

/// The longest key accepted (a UUID is 36 characters).
const MAX_LEN: usize = 255;

/// The request's `Idempotency-Key`, when it has one.
#[derive(Debug, Clone, Default)]
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        match parts.headers.get(HEADER) {
            None => Ok(IdempotencyKey(None)),
            Some(v) => checked(v.to_str().unwrap_or("\u{0}")).map(|k| IdempotencyKey(Some(k))),
        }
    }
}

/// A key as sent: 1 to 255 visible ASCII characters.
///
/// # Errors
/// 422 on the header, saying the rule.
pub fn checked(key: &str) -> ApiResult<String> {
    let ok = !key.is_empty() && key.len() <= MAX_LEN && key.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(key.to_string())
    } else {
        Err(ApiError::field(
            HEADER,
            "idempotency_key",
            "an idempotency key is 1 to 255 visible ASCII characters (letters, digits, punctuation; no spaces)",
        ))
    }
}

/// The key with what the request asks, in one text: the same key is answered with the first
/// payment only when the request is the same.
pub fn keyed(key: &str, req: &PostingReq, amount_cents: i64) -> RequestKey {
    let value_date = req.value_date.or(req.posted_on).map(|d| d.to_string());
    let fingerprint = serde_json::json!([
        req.kind.as_str(),
        amount_cents,
        req.memo,
        req.property,
        value_date,
        req.override_reason.as_deref().map(str::trim),
    ])
    .to_string();
    RequestKey {
        key: key.to_string(),
        fingerprint,
    }
}

/// The answer to a request whose key was already used on this exchange: what the first
/// request made, or a refusal when it asked something else. `None` when the key is new.
///
/// # Errors
/// 422 `idempotency_key_reused` when the key came with a different request; a store failure.
pub async fn replay(
    state: &AppState,
    auth: &Auth,
    exchange_id: &str,
    request: &RequestKey,
) -> ApiResult<Option<Response>> {
    let firm = auth.firm();
    let Some(kept) = state
        .store
        .kept_request(firm, exchange_id, &request.key)
        .await?
    else {
        return Ok(None);
    };
    if kept.fingerprint != request.fingerprint {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "This idempotency key was already used for a different payment on this exchange: nothing was posted. Send a new request with a new key.",
        ));
    }
    let balance = show(
        state
            .store
            .get_exchange(firm, exchange_id)
            .await?
            .balance_cents,
    );
    let (status, result) = match (&kept.posting_id, &kept.approval_id) {
        (Some(id), _) => {
            let p = state.store.get_posting(firm, exchange_id, id).await?;
            (
                StatusCode::CREATED,
                PostResult {
                    posting: Some(p.into()),
                    approval: None,
                    balance,
                },
            )
        }
        (None, Some(id)) => {
            let a = state.store.get_approval(firm, exchange_id, id).await?;
            (
                StatusCode::ACCEPTED,
                PostResult {
                    posting: None,
                    approval: Some(a.into()),
                    balance,
                },
            )
        }
        (None, None) => return Err(in_progress()),
    };
    let mut r = (status, Json(result)).into_response();
    r.headers_mut()
        .insert("Idempotent-Replayed", HeaderValue::from_static("true"));
    Ok(Some(r))
}

/// The refusal of a key whose first request is still being made (it made nothing yet).
pub fn in_progress() -> ApiError {
    ApiError::conflict(
        "A request with this idempotency key is still being made: ask again in a moment.",
    )
}
