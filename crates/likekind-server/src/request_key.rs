//! A payment request's idempotency key: the `Idempotency-Key` header of `POST
//! /api/exchanges/{id}/ledger` (and the key the ledger page's form carries), read and checked
//! here; the ledger keeps it with the payment and answers a repeat (`crate::ledger`). A client that
//! retries a payment after a timeout, or a person who presses "Post" twice, must not move the
//! money twice.
//!
//! The same key on the same exchange with the same request is answered with what the first
//! request made (the posting, 201, or the approval filed for a second person, 202), with
//! `Idempotent-Replayed: true`, and nothing is written; the same key with a different request is
//! refused (422 `idempotency_key_reused`). The key is claimed in the transaction that writes the
//! payment (`likekind_store::Store::post`), so two requests at once with one key move the money
//! once. A refused request keeps no key: the corrected request may use it again.

use crate::error::{ApiError, ApiResult};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

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

/// The refusal of a key whose first request is still being made (it made nothing yet).
pub fn in_progress() -> ApiError {
    ApiError::conflict(
        "A request with this idempotency key is still being made: ask again in a moment.",
    )
}
