//! A person without the right to do something is told so (403) before anything they sent is
//! judged (422): otherwise the validation answers let them probe rules they may not use.
//! Here: only an administrator overrides the (g)(6) release rule, so a coordinator's payment
//! with an override reason is refused for the override itself, whatever the reason says.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;
use axum::http::StatusCode;
use common::oak::*;
use common::*;
use jiff::civil::date;
use serde_json::json;

async fn override_permission_before_validation(t: &TestApp) {
    let (admin, coord, id) = oak_opened(t, "permission-first").await;
    let may1 = t.on(date(2026, 5, 1));
    let ledger = format!("/api/exchanges/{id}/ledger");
    let (s, v) = may1
        .post(
            &ledger,
            &coord,
            json!({"kind": "receipt", "amount": "670000.00"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    for body in [
        // An override on a fee (only a release can be overridden), a blank reason, a reason
        // too short: each a 422 for an administrator, a 403 for a coordinator.
        json!({"kind": "fee", "amount": "10.00", "override_reason": "because the client asked"}),
        json!({"kind": "release", "amount": "10.00", "override_reason": "  "}),
        json!({"kind": "release", "amount": "10.00", "override_reason": "x"}),
    ] {
        let (s, e) = may1.post(&ledger, &coord, body.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}: {e}");
        let (s, e) = may1.post(&ledger, &admin, body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
    }
    let (_, l) = may1.get(&ledger, &coord).await;
    assert_eq!(l["balance"], "670000.00", "no money moved: {l}");
}

on_both!(
    override_permission_before_validation,
    override_permission_before_validation_on_sqlite,
    override_permission_before_validation_on_postgres
);
