//! QA6, through the API on SQLite and on PostgreSQL: the guards on the exchange funds when the
//! facts are edited. Oak was sold on 2026-03-02 ($1,000,000, $300,000 of debt paid off,
//! $30,000 of costs: $670,000 of exchange funds): day 45 is 2026-04-16, the exchange period
//! ends on 2026-08-29, so a release waiting for it is allowed from 2026-08-30.
//!
//! 1. An identification the release waits for cannot be taken out by editing the file while
//!    money is held (in one edit with the other receipt, or before it), nor what a signed
//!    notice identifies at all, except by an administrator with a written reason (Treas. Reg.
//!    §1.1031(k)-1(c)(6), (g)(6)(iii)(A)).
//! 2. A purchase closing the ledger paid cannot be made to need more and be paid again
//!    (Treas. Reg. §1.1031(k)-1(g)(6)).
//! 3. A receipt recorded at less than 75% of the identified value (the engine's doubt that it
//!    is the property identified) does not unlock the (g)(6)(iii)(A) release.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;
use axum::http::StatusCode;
use common::oak::*;
use common::*;
use jiff::civil::date;
use serde_json::{Value, json};

/// Opens the exchange (for `client_id`, with `identified`) and posts the $670,000 receipt.
async fn open_with_funds(t: &TestApp, coord: &As, client_id: &str, identified: Value) -> String {
    let (s, ex) = t
        .post(
            "/api/exchanges",
            coord,
            json!({"name": "Doe", "client_id": client_id, "file": oak_file(identified)}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    let (s, v) = t
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            coord,
            json!({"kind": "receipt", "amount": "670000.00"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    id
}

/// The stored file and its version.
async fn current(t: &TestApp, who: &As, id: &str) -> (Value, Value) {
    let (s, ex) = t.get(&format!("/api/exchanges/{id}"), who).await;
    assert_eq!(s, StatusCode::OK, "{ex}");
    (ex["file"].clone(), ex["version"].clone())
}

/// `PATCH` of the file as `edit` makes it, with an override reason when given.
async fn edit(
    t: &TestApp,
    who: &As,
    id: &str,
    reason: Option<&str>,
    edit: impl FnOnce(&mut Value),
) -> (StatusCode, Value) {
    let (mut f, version) = current(t, who, id).await;
    edit(&mut f);
    let mut body = json!({"version": version, "file": f});
    if let Some(r) = reason {
        body["override_reason"] = json!(r);
    }
    t.call("PATCH", &format!("/api/exchanges/{id}"), who, Some(body))
        .await
}

async fn release(
    t: &TestApp,
    who: &As,
    id: &str,
    amount: &str,
    reason: Option<&str>,
) -> (StatusCode, Value) {
    let mut body = json!({"kind": "release", "amount": amount});
    if let Some(r) = reason {
        body["override_reason"] = json!(r);
    }
    t.post(&format!("/api/exchanges/{id}/ledger"), who, body)
        .await
}

/// Drops ash from the identification and records elm received on `day`.
fn drop_ash_record_elm(day: &'static str) -> impl FnOnce(&mut Value) {
    move |f: &mut Value| {
        let kept: Vec<Value> = f["identified"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["id"] != "ash")
            .cloned()
            .collect();
        f["identified"] = json!(kept);
        f["replacement"] = json!([closing("elm", day, "600000")]);
    }
}

/// s18b, s18c: the client signed a notice identifying elm and ash, money is held; one edit
/// taking ash out and recording elm received is refused, for a coordinator and a preparer
/// alike, and the release stays refused; an administrator may with a written reason.
async fn signed_identification_kept(t: &TestApp) {
    let (admin, _, _) = t.signup("qa6-signed").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (preparer, _) = t.user(&admin, "preparer").await;
    let (client, client_id) = t.user(&admin, "client").await;
    let mar20 = t.on(date(2026, 3, 20));
    let id = open_with_funds(&mar20, &coord, &client_id, json!([])).await;
    let (s, n) = mar20
        .post(
            &format!("/api/exchanges/{id}/notices"),
            &client,
            json!({"identified_on": "2026-03-20", "properties": [
                {"id": "elm", "description": "Elm Plaza, 400 Elm St", "fmv": "600000"},
                {"id": "ash", "description": "Ash Court, 9 Ash Rd", "fmv": "400000"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    let nid = n["id"].as_str().unwrap();
    let (s, v) = mar20
        .post(
            &format!("/api/exchanges/{id}/notices/{nid}/sign"),
            &client,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, e) = release(&mar20, &coord, &id, "1000.00", None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    for who in [&coord, &preparer] {
        let (s, e) = edit(&mar20, who, &id, None, drop_ash_record_elm("2026-03-20")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let fields = e["error"]["fields"].as_array().unwrap();
        assert!(
            fields
                .iter()
                .any(|f| f["path"] == "file.identified" && f["rule"] == "signed_notice")
                || fields.iter().any(|f| f["rule"] == "release_moved_earlier"),
            "{e}"
        );
        let words = e["error"]["message"].as_str().unwrap();
        assert!(!words.contains("file."), "words, not field paths: {words}");
    }
    // Only taking ash out, with no receipt: still refused (the signed notice).
    let (s, e) = edit(&mar20, &coord, &id, None, |f| {
        let kept: Vec<Value> = f["identified"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["id"] != "ash")
            .cloned()
            .collect();
        f["identified"] = json!(kept);
    })
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "signed_notice", "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "file.identified");
    let words = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(words.contains("Ash Court, 9 Ash Rd"), "{words}");
    assert!(words.contains("Mar 20, 2026"), "{words}");
    assert!(words.contains("(c)(6)"), "{words}");
    // Recording elm alone is how the exchange goes on: accepted; the release still waits
    // for ash.
    let (s, v) = edit(&mar20, &coord, &id, None, |f| {
        f["replacement"] = json!([closing("elm", "2026-03-20", "600000")]);
    })
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, e) = release(&mar20, &coord, &id, "60000.00", None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["details"]["earliest_allowed"], "2026-08-30");
    let (_, notices) = mar20
        .get(&format!("/api/exchanges/{id}/notices"), &coord)
        .await;
    assert_eq!(notices[0]["status"], "signed");
    // A coordinator's override reason is not enough; an administrator's is, and is audited.
    let reason = "The taxpayer's signed revocation of ash reached us by courier on Mar 19";
    let drop_ash = |f: &mut Value| {
        let kept: Vec<Value> = f["identified"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["id"] != "ash")
            .cloned()
            .collect();
        f["identified"] = json!(kept);
    };
    let (s, e) = edit(&mar20, &coord, &id, Some(reason), drop_ash).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, v) = edit(&mar20, &admin, &id, Some(reason), drop_ash).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, audit) = mar20
        .get(&format!("/api/exchanges/{id}/audit"), &admin)
        .await;
    assert!(audit.to_string().contains(reason), "{audit}");
    let (s, v) = release(&mar20, &coord, &id, "60000.00", None).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// s18: identifications typed in the file (no notice), money held, during the identification
/// period: taking ash out and recording elm in one edit is refused (the edit judged as a
/// whole), and so is taking ash out first (the release would wait for less).
async fn typed_identification_kept(t: &TestApp) {
    let (admin, _, _) = t.signup("qa6-typed").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (_, client_id) = t.user(&admin, "client").await;
    let mar20 = t.on(date(2026, 3, 20));
    let id = open_with_funds(&mar20, &coord, &client_id, elm_and_ash()).await;
    let (s, e) = release(&mar20, &coord, &id, "1000.00", None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    let (s, e) = edit(&mar20, &coord, &id, None, drop_ash_record_elm("2026-03-20")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "release_moved_earlier", "{e}");
    assert_eq!(
        e["error"]["details"]["earliest_release_before"],
        "2026-08-30"
    );
    assert_eq!(
        e["error"]["details"]["earliest_release_after"],
        "2026-03-20"
    );
    assert_eq!(e["error"]["fields"][0]["rule"], "release_moved_earlier");
    let words = e["error"]["message"].as_str().unwrap();
    assert!(
        words.contains("from Mar 20, 2026 instead of Aug 30, 2026"),
        "{words}"
    );

    // Two steps: taking ash out alone is refused too.
    let (s, e) = edit(&mar20, &coord, &id, None, |f| {
        f["identified"] = json!([f["identified"][0].clone()]);
    })
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "release_moved_earlier", "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "file.identified");
    let words = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(words.contains("ash (Ash Court, 9 Ash Rd)"), "{words}");
    assert!(words.contains("(g)(6)(iii)(A)"), "{words}");
    // So is marking it revoked by editing.
    let (s, e) = edit(&mar20, &coord, &id, None, |f| {
        f["identified"][1]["revoked_on"] = json!("2026-03-19");
    })
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "release_moved_earlier", "{e}");
    // Recording elm is accepted; the release still waits for ash.
    let (s, v) = edit(&mar20, &coord, &id, None, |f| {
        f["replacement"] = json!([closing("elm", "2026-03-20", "600000")]);
    })
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, e) = release(&mar20, &coord, &id, "50000.00", None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["details"]["earliest_allowed"], "2026-08-30");
}

/// s22: elm's closing ($90,000) was paid in full while the release is refused (ash not
/// received); raising its price so that it could be paid again is refused, and so is a
/// further payment; an administrator may correct the price with a written reason.
async fn paid_closing_not_raised(t: &TestApp) {
    let (admin, _, _) = t.signup("qa6-raise").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (_, client_id) = t.user(&admin, "client").await;
    let may1 = t.on(date(2026, 5, 1));
    let id = open_with_funds(&may1, &coord, &client_id, elm_and_ash()).await;
    let (s, v) = edit(&may1, &coord, &id, None, |f| {
        f["replacement"] = json!([closing("elm", "2026-04-30", "90000")]);
    })
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = may1.pay_closing(&coord, &id, "elm", "90000.00", "").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, e) = release(&may1, &coord, &id, "1.00", None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = may1.pay_closing(&coord, &id, "elm", "1.00", "").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // The next day: the price raised with no override.
    let may2 = t.on(date(2026, 5, 2));
    let (s, e) = edit(&may2, &coord, &id, None, |f| {
        f["replacement"][0]["price"] = json!("670000");
    })
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "closing_paid", "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "file.replacement[0].price");
    assert_eq!(e["error"]["fields"][0]["rule"], "closing_paid");
    let words = e["error"]["message"].as_str().unwrap();
    assert!(words.contains("$90,000.00"), "{words}");
    assert!(words.contains("$670,000.00"), "{words}");
    assert!(words.contains("Apr 30, 2026"), "{words}");
    assert!(!words.contains("file."), "{words}");
    // Adding costs the exchange funds pay raises the need the same way.
    let (s, e) = edit(&may2, &coord, &id, None, |f| {
        f["replacement"][0]["exchange_expenses"] = json!("5000");
    })
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "closing_paid", "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "file.replacement[0]");
    // Nor can it be taken out, to be recorded anew at another price.
    let (s, e) = edit(&may2, &coord, &id, None, |f| {
        f["replacement"] = json!([]);
    })
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "closing_paid", "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "file.replacement");
    // What does not change the need is not held back.
    let (s, v) = edit(&may2, &coord, &id, None, |f| {
        f["replacement"][0]["description"] = json!("Elm Plaza, 400 Elm St");
    })
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, e) = may2.pay_closing(&coord, &id, "elm", "9000.00", "").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (_, ledger) = may2
        .get(&format!("/api/exchanges/{id}/ledger"), &coord)
        .await;
    assert_eq!(ledger["balance"], "580000.00", "{ledger}");
    // An administrator corrects a price typed wrong, with a written reason.
    let reason = "The closing statement shows $99,000; $90,000 was typed wrong";
    let (s, e) = edit(&may2, &coord, &id, Some(reason), |f| {
        f["replacement"][0]["price"] = json!("99000");
    })
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, v) = edit(&may2, &admin, &id, Some(reason), |f| {
        f["replacement"][0]["price"] = json!("99000");
    })
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = may2.pay_closing(&coord, &id, "elm", "9000.00", "").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// s09: ash, identified at $400,000, recorded as received at $0: the engine doubts it is the
/// property identified, so it does not unlock the release on receipt of all the identified
/// property; the funds wait for the end of the exchange period, or an administrator.
async fn doubtful_receipt_does_not_release(t: &TestApp) {
    let (admin, _, _) = t.signup("qa6-doubt").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (_, client_id) = t.user(&admin, "client").await;
    let may1 = t.on(date(2026, 5, 1));
    let id = open_with_funds(&may1, &coord, &client_id, elm_and_ash()).await;
    let (s, v) = edit(&may1, &coord, &id, None, |f| {
        f["replacement"] = json!([
            closing("elm", "2026-04-30", "600000"),
            closing("ash", "2026-05-01", "0")
        ]);
    })
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, an) = may1
        .get(&format!("/api/exchanges/{id}/analysis"), &coord)
        .await;
    assert!(
        an.to_string()
            .contains("replacement_not_substantially_same"),
        "the engine's warning: {an}"
    );
    let (s, e) = release(&may1, &coord, &id, "10.00", None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "release_before_allowed");
    assert_eq!(e["error"]["details"]["earliest_allowed"], "2026-08-30");
    assert_eq!(e["error"]["details"]["rule"], "exchange_period_end");
    assert_eq!(e["error"]["details"]["held_back"], json!(["ash"]));
    let words = e["error"]["message"].as_str().unwrap();
    for w in [
        // The property by its description (the identification's), not the file's key.
        "Ash Court, 9 Ash Rd was identified at $400,000.00",
        "Aug 30, 2026",
        "$400,000.00",
        "$0.00",
        "substantially the same",
        "(d)(1)(ii)",
        "(g)(6)(iii)(A)",
    ] {
        assert!(words.contains(w), "{w:?} in {words}");
    }
    // An administrator may release with a written reason.
    let (s, v) = release(
        &may1,
        &admin,
        &id,
        "10.00",
        Some(
            "Ash was a gift of the seller's land; counsel confirmed it is the property identified",
        ),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // At 75% of the identified value there is no doubt: the release is allowed that day.
    let (s, v) = edit(&may1, &coord, &id, None, |f| {
        f["replacement"][1]["price"] = json!("300000");
    })
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = release(&may1, &coord, &id, "10.00", None).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// Below 75% by a cent is still in doubt (the engine's line, not another).
async fn doubt_line_is_the_engines(t: &TestApp) {
    let (admin, _, _) = t.signup("qa6-line").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (_, client_id) = t.user(&admin, "client").await;
    let may1 = t.on(date(2026, 5, 1));
    let id = open_with_funds(&may1, &coord, &client_id, elm_and_ash()).await;
    let (s, v) = edit(&may1, &coord, &id, None, |f| {
        f["replacement"] = json!([
            closing("elm", "2026-04-30", "600000"),
            closing("ash", "2026-05-01", "299999.99")
        ]);
    })
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, e) = release(&may1, &coord, &id, "10.00", None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["details"]["held_back"], json!(["ash"]));
}

on_both!(
    signed_identification_kept,
    signed_identification_kept_on_sqlite,
    signed_identification_kept_on_postgres
);
on_both!(
    typed_identification_kept,
    typed_identification_kept_on_sqlite,
    typed_identification_kept_on_postgres
);
on_both!(
    paid_closing_not_raised,
    paid_closing_not_raised_on_sqlite,
    paid_closing_not_raised_on_postgres
);
on_both!(
    doubtful_receipt_does_not_release,
    doubtful_receipt_does_not_release_on_sqlite,
    doubtful_receipt_does_not_release_on_postgres
);
on_both!(
    doubt_line_is_the_engines,
    doubt_line_is_the_engines_on_sqlite,
    doubt_line_is_the_engines_on_postgres
);
