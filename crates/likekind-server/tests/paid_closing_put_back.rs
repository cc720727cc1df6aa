//! A paid purchase closing an administrator took out of the facts, put back by someone
//! else, is held to what it needed from the exchange funds when it was taken out: put back
//! at a higher price it could be paid again, while before the (g)(6) date the funds may go
//! only toward acquiring replacement property (Treas. Reg. §1.1031(k)-1(g)(6)). Put back as
//! it was, it is recorded. Through the API, on SQLite and on PostgreSQL.
//!
//! Oak was sold on 2026-03-02 ($1,000,000, $300,000 of debt paid off, $30,000 of costs:
//! $670,000 of exchange funds); elm and ash were identified on 2026-03-15.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::StatusCode;
use common::oak::*;
use common::*;
use jiff::civil::date;
use serde_json::{Value, json};

/// `PATCH` of the stored file with its purchase closings replaced by `list`.
async fn put_closings(
    t: &TestApp,
    who: &As,
    id: &str,
    list: Value,
    reason: Option<&str>,
) -> (StatusCode, Value) {
    let path = format!("/api/exchanges/{id}");
    let (s, ex) = t.get(&path, who).await;
    assert_eq!(s, StatusCode::OK, "{ex}");
    let mut f = ex["file"].clone();
    f["replacement"] = list;
    let mut body = json!({"version": ex["version"], "file": f});
    if let Some(r) = reason {
        body["override_reason"] = json!(r);
    }
    t.call("PATCH", &path, who, Some(body)).await
}

async fn put_back_held_to_its_need(t: &TestApp) {
    let (admin, _, _) = t.signup("put-back").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let may1 = t.on(date(2026, 5, 1));
    let (s, ex) = may1
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Doe", "file": oak_file(elm_and_ash())}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    let (s, v) = may1
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &coord,
            json!({"kind": "receipt", "amount": "670000.00"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // Elm closes for $90,000, paid in full from the exchange funds.
    let (s, v) = put_closings(
        &may1,
        &coord,
        &id,
        json!([closing("elm", "2026-04-30", "90000")]),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = may1.pay_closing(&coord, &id, "elm", "90000.00", "").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    // An administrator takes it out (recorded on the wrong exchange), with a reason.
    let may2 = t.on(date(2026, 5, 2));
    let (s, v) = put_closings(
        &may2,
        &admin,
        &id,
        json!([]),
        Some("recorded on the wrong exchange"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // A coordinator puts it back at $670,000: refused, nothing stored, no second payment.
    let (s, e) = put_closings(
        &may2,
        &coord,
        &id,
        json!([closing("elm", "2026-04-30", "670000")]),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "closing_paid", "{e}");
    assert_eq!(
        e["error"]["fields"][0]["path"], "file.replacement[0].price",
        "{e}"
    );
    let words = e["error"]["message"].as_str().unwrap();
    assert!(words.contains("$90,000.00"), "{words}");
    assert!(words.contains("$670,000.00"), "{words}");
    assert!(!words.contains("file."), "{words}");
    let (_, ex) = may2.get(&format!("/api/exchanges/{id}"), &coord).await;
    assert_eq!(ex["file"]["replacement"], json!([]), "nothing stored: {ex}");
    // Adding costs for the exchange funds to pay is the same raise.
    let mut costly = closing("elm", "2026-04-30", "90000");
    costly["exchange_expenses"] = json!("5000");
    let (s, e) = put_closings(&may2, &coord, &id, json!([costly]), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["path"], "file.replacement[0]",
        "{e}"
    );
    // Put back as it was: recorded, and it cannot be paid a second time.
    let (s, v) = put_closings(
        &may2,
        &coord,
        &id,
        json!([closing("elm", "2026-04-30", "90000")]),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, e) = may2.pay_closing(&coord, &id, "elm", "1.00", "").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    // Taken out again, an administrator may put it back corrected, with a written reason.
    let (s, v) = put_closings(&may2, &admin, &id, json!([]), Some("to correct the price")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let corrected = json!([closing("elm", "2026-04-30", "99000")]);
    let (s, e) = put_closings(&may2, &coord, &id, corrected.clone(), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let reason = "the closing statement shows $99,000";
    let (s, v) = put_closings(&may2, &admin, &id, corrected, Some(reason)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = may2.pay_closing(&coord, &id, "elm", "9000.00", "").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // A closing the ledger never paid is recorded as it comes.
    let (s, v) = put_closings(
        &may2,
        &coord,
        &id,
        json!([
            closing("elm", "2026-04-30", "99000"),
            closing("ash", "2026-05-01", "400000")
        ]),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn put_back_held_to_its_need_on_sqlite() {
    put_back_held_to_its_need(&sqlite().await).await;
}

#[tokio::test]
async fn put_back_held_to_its_need_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!("put_back_held_to_its_need_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
        return;
    };
    put_back_held_to_its_need(&at_url(&url).await).await;
}
