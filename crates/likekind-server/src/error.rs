//! The one error shape of the API: every 4xx and 5xx answer is
//! `{"error": {"code", "message", "fields": [{"path", "rule", "message"}], "details"}}`.
//! Internal details are never returned: a 500 says only that something failed.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use likekind_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// One problem with one field of the request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    /// Path in the request body, e.g. `file.relinquished[0].transferred`.
    pub path: String,
    /// Short rule name, e.g. `required`, `unknown_field`, `date`, `non_negative`.
    pub rule: String,
    pub message: String,
}

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code, e.g. `validation`, `not_found`, `insufficient_funds`,
    /// `release_before_allowed`, `approval_required`.
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
    /// Extra facts for some codes (e.g. the (g)(6) rule and date).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub details: Option<serde_json::Value>,
}

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: ErrorDetail,
    /// Seconds to send as `Retry-After` (429, 503); small so the error stays small.
    pub retry_after: Option<u16>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            detail: ErrorDetail {
                code: code.to_string(),
                message: message.into(),
                fields: vec![],
                details: None,
            },
            retry_after: None,
        }
    }

    /// Sends `Retry-After: secs` with the answer.
    #[must_use]
    pub fn with_retry_after(mut self, secs: u16) -> Self {
        self.retry_after = Some(secs);
        self
    }

    /// 422 with field errors.
    pub fn fields(message: impl Into<String>, fields: Vec<FieldError>) -> Self {
        let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", message);
        e.detail.fields = fields;
        e
    }

    /// 422 about one field.
    pub fn field(path: &str, rule: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError::fields(
            format!("{path}: {message}"),
            vec![FieldError {
                path: path.to_string(),
                rule: rule.to_string(),
                message,
            }],
        )
    }

    /// The refusals of several checks of one request in one answer, so that every problem is
    /// reported at once: `Ok` when no check refused; one refusal as it is; several as one 422
    /// naming every field of each, in order. A refusal that names no field (a store failure,
    /// a conflict) is not about the request's fields: it is answered alone.
    ///
    /// # Errors
    /// The refusals, together.
    pub fn together<'a>(refusals: impl IntoIterator<Item = Option<&'a ApiError>>) -> ApiResult<()> {
        let refusals: Vec<&ApiError> = refusals.into_iter().flatten().collect();
        if let Some(alone) = refusals.iter().find(|e| e.detail.fields.is_empty()) {
            return Err((*alone).clone());
        }
        match refusals.as_slice() {
            [] => Ok(()),
            [one] => Err((*one).clone()),
            many => {
                let fields: Vec<FieldError> = many
                    .iter()
                    .flat_map(|e| e.detail.fields.iter().cloned())
                    .collect();
                let message = fields
                    .iter()
                    .map(|f| {
                        if f.path.is_empty() {
                            f.message.clone()
                        } else {
                            format!("{}: {}", f.path, f.message)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                Err(ApiError::fields(message, fields))
            }
        }
    }

    pub fn with_details(mut self, d: serde_json::Value) -> Self {
        self.detail.details = Some(d);
        self
    }

    pub fn not_found() -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }

    pub fn unauthorized() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "log in (session cookie) or send an API token (Authorization: Bearer)",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn internal() -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; nothing was changed",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (self.status, Json(ErrorBody { error: self.detail })).into_response();
        if let Some(s) = self.retry_after {
            r.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(s),
            );
        }
        r
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::InsufficientFunds {
                balance_cents,
                amount_cents,
            } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "insufficient_funds",
                // In dollars as people read them: the message is shown on pages and kept in
                // the audit log's words for a refused payment.
                format!(
                    "the posting would make the balance negative: {} held, {} asked",
                    crate::cents::dollars(balance_cents),
                    crate::cents::dollars(amount_cents)
                ),
            )
            .with_details(serde_json::json!({
                "balance": crate::cents::show(balance_cents),
                "amount": crate::cents::show(amount_cents),
            })),
            StoreError::ClosingOverpaid {
                property_id,
                need_cents,
                paid_cents,
                amount_cents,
            } => closing_overpaid(
                &format!("the purchase closing of the property \"{property_id}\""),
                &property_id,
                [need_cents, paid_cents, amount_cents],
            ),
            StoreError::Conflict(m) => ApiError::conflict(m),
            StoreError::NeedsApproval {
                threshold_cents,
                unapproved_cents,
                amount_cents,
            } => ApiError::conflict(format!(
                "A second person must approve this payment of {}: {} has already left this exchange without a second approval, and with it more than the firm's threshold of {} would.",
                crate::cents::dollars(amount_cents),
                crate::cents::dollars(unapproved_cents),
                crate::cents::dollars(threshold_cents)
            )),
            StoreError::Repeated(_) => ApiError::conflict(
                "A payment request with this idempotency key was already made on this exchange.",
            ),
            StoreError::Duplicate(what) => ApiError::new(
                StatusCode::CONFLICT,
                "duplicate",
                format!("{what} already exists"),
            ),
            other => {
                eprintln!("likekind-server: store error: {other}");
                ApiError::internal()
            }
        }
    }
}

/// The refusal of a disbursement that would pay `closing` (its purchase closing in words)
/// more than it still needs from the exchange funds; `[need, paid, amount]` in cents.
pub fn closing_overpaid(
    closing: &str,
    property_id: &str,
    [need, paid, amount]: [i64; 3],
) -> ApiError {
    let left = need.saturating_sub(paid).max(0);
    let message = format!(
        "The amount {} is more than {closing} still needs from the exchange funds: it needs {} in all, {} has already been paid to it, so at most {} may be paid now (Treas. Reg. §1.1031(k)-1(g)(6): before the allowed date the exchange funds may pay for replacement property, never reach the taxpayer).",
        crate::cents::dollars(amount),
        crate::cents::dollars(need),
        crate::cents::dollars(paid),
        crate::cents::dollars(left),
    );
    ApiError::fields(
        message.clone(),
        vec![FieldError {
            path: "amount".to_string(),
            rule: "closing_need".to_string(),
            message,
        }],
    )
    .with_details(serde_json::json!({
        "property": property_id,
        "need": crate::cents::show(need),
        "paid": crate::cents::show(paid),
        "left": crate::cents::show(left),
    }))
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_together() {
        let name = ApiError::field("name", "length", "between 1 and 200 characters");
        let closing = ApiError::fields(
            "The closing date is after today.",
            vec![FieldError {
                path: "file.replacement[0].received".into(),
                rule: "not_after_today".into(),
                message: "The closing date is after today.".into(),
            }],
        );
        assert!(ApiError::together([None, None]).is_ok());
        // One refusal keeps its own words.
        let one = ApiError::together([None, Some(&closing)]).unwrap_err();
        assert_eq!(one.detail.message, "The closing date is after today.");
        // Several: every field, in order, in one 422.
        let both = ApiError::together([Some(&name), None, Some(&closing)]).unwrap_err();
        assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(both.detail.code, "validation");
        let paths: Vec<&str> = both.detail.fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["name", "file.replacement[0].received"]);
        assert_eq!(
            both.detail.message,
            "name: between 1 and 200 characters; file.replacement[0].received: The closing date is after today."
        );
        // A failure that is not about the fields is answered alone.
        let alone = ApiError::together([Some(&name), Some(&ApiError::internal())]).unwrap_err();
        assert_eq!(alone.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
