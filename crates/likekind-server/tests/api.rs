//! API behaviour: the (g)(6) refusal and override, second approval, audit log, auth and
//! CSRF, bad input, notices, documents, alerts, the calendar feed and the OpenAPI document.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::{Value, json};

/// A firm with a coordinator, a second coordinator, a client and an exchange whose sale
/// closed and whose $1,000,000 receipt is posted.
async fn funded(t: &TestApp) -> (As, As, As, As, String) {
    let (admin, _, _) = t.signup("firm").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (coord2, _) = t.user(&admin, "coordinator").await;
    let (client, client_id) = t.user(&admin, "client").await;
    let (s, ex) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "X", "client_id": client_id, "file": file()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    t.post(
        &format!("/api/exchanges/{id}/events"),
        &coord,
        json!({"kind": "relinquished_closed", "on_date": "2026-03-02"}),
    )
    .await;
    let (s, _) = t
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &coord,
            json!({"kind": "receipt", "amount": "1000000"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    (admin, coord, coord2, client, id)
}

/// The (field, rule) of every problem a 422 names, in order.
fn fields_said(e: &Value) -> Vec<(&str, &str)> {
    e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["path"].as_str().unwrap(), x["rule"].as_str().unwrap()))
        .collect()
}

async fn ledger_len(t: &TestApp, who: &As, id: &str) -> usize {
    t.get(&format!("/api/exchanges/{id}/ledger"), who).await.1["items"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn g6_refuses_early_release_with_rule_and_date_and_admin_override_is_logged() {
    let t = sqlite().await;
    let (admin, coord, _, _, id) = funded(&t).await;
    // Nothing identified: day 45 is 2026-04-16; release allowed from 2026-04-17 ((g)(6)(ii)).
    // The guard judges the day the money moves: a server whose today is 2026-04-16 refuses.
    let on_16 = t.on(jiff::civil::date(2026, 4, 16));
    let (s, e) = on_16
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &coord,
            json!({"kind": "release", "amount": "10"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["code"], "release_before_allowed");
    assert_eq!(e["error"]["details"]["earliest_allowed"], "2026-04-17");
    assert_eq!(e["error"]["details"]["rule"], "nothing_identified");
    assert_eq!(
        e["error"]["details"]["authority"],
        "Treas. Reg. §1.1031(k)-1(g)(6)(ii)"
    );
    assert_eq!(
        ledger_len(&t, &coord, &id).await,
        1,
        "a refused posting writes nothing"
    );
    // From that date it is allowed.
    let (s, v) = t
        .on(jiff::civil::date(2026, 4, 17))
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &coord,
            json!({"kind": "release", "amount": "10"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["posting"]["posted_on"], "2026-04-17");
    // A coordinator cannot override; an admin needs a reason; with one it is posted and logged.
    let early = json!({"kind": "release", "amount": "5", "override_reason": "court order"});
    let (s, _) = on_16
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &coord,
            early.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = on_16
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &admin,
            json!({"kind": "release", "amount": "5", "override_reason": "  "}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["fields"][0]["path"], "override_reason");
    // QA: "x" was a reason; a reason says why in a few words.
    let (s, e) = on_16
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &admin,
            json!({"kind": "release", "amount": "5", "override_reason": " x "}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "override_reason");
    assert_eq!(e["error"]["fields"][0]["rule"], "too_short");
    assert!(
        e["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("at least 10 characters"),
        "{e}"
    );
    assert_eq!(
        ledger_len(&t, &coord, &id).await,
        2,
        "a refused posting writes nothing"
    );
    let (s, v) = on_16
        .post(&format!("/api/exchanges/{id}/ledger"), &admin, early)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["posting"]["override_reason"], "court order");
    let (_, a) = t.get(&format!("/api/exchanges/{id}/audit"), &admin).await;
    let o = a["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["action"] == "ledger.post.override")
        .expect("override logged");
    assert_eq!(o["after"]["override_reason"], "court order");
}

/// Issue 12: the probes of someone trying to get funds out early with a date in the request.
#[tokio::test]
async fn a_date_in_the_request_never_moves_money_around_a_rule() {
    let t = sqlite().await;
    let (admin, coord, _, _, id) = funded(&t).await;
    let url = format!("/api/exchanges/{id}/ledger");
    // Identified on 2026-04-10 with nothing received: release from 2026-08-30 ((g)(6)(iii)).
    // Sent on 2026-08-01 with the release date itself as the "posting date": refused, in words.
    let (_, cur) = t.get(&format!("/api/exchanges/{id}"), &coord).await;
    let mut f = cur["file"].clone();
    f["identified"] = json!([{"id": "elm", "description": "12 Elm St, Austin TX", "identified_on": "2026-04-10", "fmv": "1000000"}]);
    let (s, v) = t
        .on(jiff::civil::date(2026, 4, 10))
        .call(
            "PATCH",
            &format!("/api/exchanges/{id}"),
            &coord,
            Some(json!({"version": cur["version"], "file": f})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let early = t.on(jiff::civil::date(2026, 8, 1));
    let (s, e) = early
        .post(
            &url,
            &coord,
            json!({"kind": "release", "amount": "1000000.00", "posted_on": "2026-08-30"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "release_before_allowed");
    assert_eq!(e["error"]["details"]["earliest_allowed"], "2026-08-30");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot go to the taxpayer before Aug 30, 2026"),
        "{e}"
    );
    for v in ["value_date", "posted_on"] {
        let (s, e) = early
            .post(
                &url,
                &coord,
                json!({"kind": "release", "amount": "1000000.00", v: "2026-08-30"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["code"], "release_before_allowed");
    }
    // Absurd dates are refused, naming the field and the rule.
    for (field, date, rule) in [
        ("posted_on", "0001-01-01", "value_date_window"),
        ("posted_on", "9999-12-31", "not_after_today"),
        ("value_date", "0001-01-01", "value_date_window"),
        ("value_date", "9999-12-31", "not_after_today"),
        ("value_date", "2026-04-01", "value_date_window"),
        ("value_date", "2026-08-02", "not_after_today"),
    ] {
        let (s, e) = early
            .post(
                &url,
                &coord,
                json!({"kind": "receipt", "amount": "1.00", field: date}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field} {date}: {e}");
        assert_eq!(e["error"]["fields"][0]["path"], field, "{e}");
        assert_eq!(e["error"]["fields"][0]["rule"], rule, "{e}");
    }
    // Both names, different dates: refused.
    let (s, e) = early
        .post(&url, &coord, json!({"kind": "receipt", "amount": "1.00", "value_date": "2026-07-30", "posted_on": "2026-07-31"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "value_date");
    // Within the window: accepted, effective today, with the value date kept and audited.
    let (s, v) = early
        .post(
            &url,
            &coord,
            json!({"kind": "interest", "amount": "1.00", "value_date": "2026-07-02"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["posting"]["posted_on"], "2026-08-01");
    assert_eq!(v["posting"]["value_date"], "2026-07-02");
    let (_, a) = t.get(&format!("/api/exchanges/{id}/audit"), &admin).await;
    let p = a["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["action"] == "ledger.post" && x["after"]["kind"] == "interest")
        .expect("posting audited");
    assert_eq!(p["after"]["posted_on"], "2026-08-01");
    assert_eq!(p["after"]["value_date"], "2026-07-02");
    // On the release date itself the release is allowed, but its value date cannot be earlier.
    let on_date = t.on(jiff::civil::date(2026, 8, 30));
    let (s, e) = on_date
        .post(
            &url,
            &coord,
            json!({"kind": "release", "amount": "1.00", "value_date": "2026-08-29"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "value_date");
    assert_eq!(e["error"]["fields"][0]["rule"], "release_before_allowed");
    let (s, v) = on_date
        .post(&url, &coord, json!({"kind": "release", "amount": "1.00"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["posting"]["posted_on"], "2026-08-30");
    assert!(v["posting"]["value_date"].is_null());
}

/// Issue 12: a coordinator alone cannot release $700,000 to the taxpayer; above the firm's
/// threshold a release waits for a second person exactly as a disbursement does.
#[tokio::test]
async fn release_above_threshold_needs_a_second_person() {
    let t = sqlite().await;
    let (admin, coord, coord2, _, id) = funded(&t).await;
    let (s, f) = t
        .call(
            "PATCH",
            "/api/firm",
            &admin,
            Some(json!({"approval_threshold": "300000"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    let url = format!("/api/exchanges/{id}/ledger");
    // 2026-05-01 is after the (g)(6) date (2026-04-17): the rule allows it, the firm's does not.
    let (s, v) = t
        .post(
            &url,
            &coord,
            json!({"kind": "release", "amount": "700000.00"}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert!(v["posting"].is_null());
    assert_eq!(v["approval"]["kind"], "release");
    assert_eq!(v["balance"], "1000000.00");
    assert_eq!(ledger_len(&t, &coord, &id).await, 1);
    let aid = v["approval"]["id"].as_str().unwrap().to_string();
    let approve = format!("/api/exchanges/{id}/approvals/{aid}/approve");
    let (s, e) = t.post(&approve, &coord, json!({})).await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "the requester cannot approve their own: {e}"
    );
    assert_eq!(ledger_len(&t, &coord, &id).await, 1);
    let (s, v) = t.post(&approve, &coord2, json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["balance"], "300000.00");
    assert_eq!(v["posting"]["kind"], "release");
    assert_eq!(v["posting"]["approved_by"], v["approval"]["decided_by"]);
    assert_eq!(v["posting"]["posted_on"], "2026-05-01");
    // At the threshold: posted at once.
    let (s, v) = t
        .post(
            &url,
            &coord,
            json!({"kind": "release", "amount": "300000.00"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["balance"], "0.00");
    let (_, a) = t.get(&format!("/api/exchanges/{id}/audit"), &admin).await;
    assert!(
        a["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["action"] == "ledger.approval.request" && x["after"]["kind"] == "release"),
        "{a}"
    );
}

/// A release filed before its (g)(6) date with an admin's override keeps the override through
/// the approval; one filed without is judged again on the day it is approved.
#[tokio::test]
async fn a_pending_release_is_judged_on_the_day_it_is_approved() {
    let t = sqlite().await;
    let (admin, coord, coord2, _, id) = funded(&t).await;
    let (s, _) = t
        .call(
            "PATCH",
            "/api/firm",
            &admin,
            Some(json!({"approval_threshold": "100"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let url = format!("/api/exchanges/{id}/ledger");
    let on_16 = t.on(jiff::civil::date(2026, 4, 16));
    let (s, v) = on_16
        .post(
            &url,
            &admin,
            json!({"kind": "release", "amount": "500", "override_reason": "court order"}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["approval"]["override_reason"], "court order");
    let aid = v["approval"]["id"].as_str().unwrap().to_string();
    let (s, v) = on_16
        .post(
            &format!("/api/exchanges/{id}/approvals/{aid}/approve"),
            &coord,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["posting"]["override_reason"], "court order");
    // Identify elm: the (g)(6) date moves to 2026-08-30. A release filed on 2026-05-01 could
    // not have been filed; one filed before the file changed is judged again on approval.
    let (s, v) = t
        .post(&url, &coord, json!({"kind": "release", "amount": "500"}))
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let aid = v["approval"]["id"].as_str().unwrap().to_string();
    let (_, cur) = t.get(&format!("/api/exchanges/{id}"), &coord).await;
    let mut f = cur["file"].clone();
    f["identified"] = json!([{"id": "elm", "description": "12 Elm St", "identified_on": "2026-04-10", "fmv": "1000000"}]);
    let (s, v) = t
        .on(jiff::civil::date(2026, 4, 10))
        .call(
            "PATCH",
            &format!("/api/exchanges/{id}"),
            &coord,
            Some(json!({"version": cur["version"], "file": f})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id}/approvals/{aid}/approve"),
            &coord2,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "release_before_allowed");
    assert_eq!(e["error"]["details"]["earliest_allowed"], "2026-08-30");
    assert_eq!(ledger_len(&t, &coord, &id).await, 2);
}

/// Issue 12: the ledger names who requested and who approved each posting.
#[tokio::test]
async fn the_ledger_names_who_requested_and_who_approved() {
    let t = sqlite().await;
    let (admin, _, _, _, id) = funded(&t).await;
    let (cora, cora_id) = t
        .user_named(&admin, "coordinator", "Cora Coordinator")
        .await;
    let (cole, cole_id) = t
        .user_named(&admin, "coordinator", "Cole Coordinator")
        .await;
    let (s, _) = t
        .call(
            "PATCH",
            "/api/firm",
            &admin,
            Some(json!({"approval_threshold": "1000"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let url = format!("/api/exchanges/{id}/ledger");
    let (s, v) = t
        .post(&url, &cora, json!({"kind": "fee", "amount": "10"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["posting"]["created_by"], cora_id.as_str());
    assert_eq!(v["posting"]["created_by_name"], "Cora Coordinator");
    assert!(v["posting"]["approved_by_name"].is_null());
    let (s, v) = t
        .record_and_pay(
            &cora,
            &id,
            Purchase {
                property: "elm",
                received: "2026-04-10",
                price: "900000",
                loan: "0",
            },
            "5000",
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["approval"]["property"], "elm");
    let aid = v["approval"]["id"].as_str().unwrap().to_string();
    let (s, v) = t
        .post(
            &format!("/api/exchanges/{id}/approvals/{aid}/approve"),
            &cole,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["posting"]["created_by_name"], "Cora Coordinator");
    assert_eq!(v["posting"]["approved_by_name"], "Cole Coordinator");
    let (_, l) = t.get(&url, &admin).await;
    let items = l["items"].as_array().unwrap();
    let last = items.last().unwrap();
    assert_eq!(last["created_by"], cora_id.as_str());
    assert_eq!(last["created_by_name"], "Cora Coordinator");
    assert_eq!(last["approved_by"], cole_id.as_str());
    assert_eq!(last["approved_by_name"], "Cole Coordinator");
    assert_eq!(items[1]["created_by_name"], "Cora Coordinator");
    assert!(items[1]["approved_by_name"].is_null());
    assert!(items[0]["created_by_name"].is_string());
}

/// QA: with the threshold at $100,000, two payments of $99,000 to the same closing posted
/// at once without a second person. What leaves an exchange without a second approval may
/// together not exceed the threshold: the second one waits for a second person, and a value
/// date on it is refused, as on one payment above the threshold.
#[tokio::test]
async fn a_payment_split_under_the_threshold_still_needs_a_second_person() {
    let t = sqlite().await;
    let (_, coord, coord2, _, id) = funded(&t).await;
    let p = Purchase {
        property: "elm",
        received: "2026-04-10",
        price: "900000",
        loan: "0",
    };
    let (s, v) = t.record_and_pay(&coord, &id, p, "99000").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let url = format!("/api/exchanges/{id}/ledger");
    let (s, e) = t
        .post(
            &url,
            &coord,
            json!({"kind": "disbursement", "amount": "99000", "property": "elm", "value_date": "2026-04-30"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields_said(&e), [("value_date", "awaits_approval")]);
    let msg = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("$99,000.00 has already left this exchange without a second approval"),
        "{msg}"
    );
    let (s, v) = t.pay_closing(&coord, &id, "elm", "99000", "").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert!(v["posting"].is_null(), "{v}");
    assert_eq!(v["balance"], "901000.00");
    assert_eq!(ledger_len(&t, &coord, &id).await, 2);
    let aid = v["approval"]["id"].as_str().unwrap().to_string();
    let (s, v) = t
        .post(
            &format!("/api/exchanges/{id}/approvals/{aid}/approve"),
            &coord2,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // The approved one had its four eyes: $1,000 more brings the unapproved to the threshold
    // exactly; a fee of a cent beyond it waits too (no side door).
    let (s, v) = t.pay_closing(&coord, &id, "elm", "1000", "").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = t
        .post(&url, &coord, json!({"kind": "fee", "amount": "0.01"}))
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
}

/// The same on PostgreSQL, two requests at once: one posts, the other waits for approval.
#[tokio::test]
async fn two_payments_at_once_under_the_threshold_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "two_payments_at_once_under_the_threshold_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    let t = at_url(&url).await;
    let (_, coord, _, _, id) = funded(&t).await;
    let (s, v) = t
        .record_closing_that_day(&coord, &id, "elm", "2026-04-10", "900000", "0")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (a, b) = tokio::join!(
        t.pay_closing(&coord, &id, "elm", "99000", "a"),
        t.pay_closing(&coord, &id, "elm", "99000", "b")
    );
    let mut said = [a.0, b.0];
    said.sort();
    assert_eq!(
        said,
        [StatusCode::CREATED, StatusCode::ACCEPTED],
        "{} {}",
        a.1,
        b.1
    );
    assert_eq!(ledger_len(&t, &coord, &id).await, 2);
}

/// The intermediary's fee is money leaving the exchange funds like a closing paid or a
/// release: above the firm's threshold it waits for a second person, never the requester,
/// and a fee above what is held is refused at once, whatever the threshold.
#[tokio::test]
async fn a_fee_above_the_threshold_needs_a_second_person() {
    let t = sqlite().await;
    let (admin, coord, coord2, _, id) = funded(&t).await;
    let (s, _) = t
        .call(
            "PATCH",
            "/api/firm",
            &admin,
            Some(json!({"approval_threshold": "1000"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let url = format!("/api/exchanges/{id}/ledger");
    let before = ledger_len(&t, &coord, &id).await;
    let (s, v) = t
        .post(&url, &coord, json!({"kind": "fee", "amount": "1000.01"}))
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert!(v["posting"].is_null(), "{v}");
    assert_eq!(v["approval"]["kind"], "fee");
    assert_eq!(
        ledger_len(&t, &coord, &id).await,
        before,
        "nothing moved yet"
    );
    let aid = v["approval"]["id"].as_str().unwrap().to_string();
    let approve = format!("/api/exchanges/{id}/approvals/{aid}/approve");
    let (s, _) = t.post(&approve, &coord, json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "never the requester's own");
    let (s, v) = t.post(&approve, &coord2, json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["posting"]["kind"], "fee");
    assert_eq!(v["posting"]["amount"], "-1000.01");
    // At or under the threshold it posts at once.
    let (s, v) = t
        .post(&url, &coord, json!({"kind": "fee", "amount": "1000"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // More than is held: refused now, not filed for an approval that must fail.
    let (s, e) = t
        .post(&url, &coord, json!({"kind": "fee", "amount": "99999999"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "insufficient_funds");
    let (_, a) = t
        .get(&format!("/api/exchanges/{id}/approvals"), &coord)
        .await;
    assert_eq!(a.as_array().map(Vec::len), Some(1), "{a}");
}

#[tokio::test]
async fn disbursement_above_threshold_needs_a_second_person() {
    let t = sqlite().await;
    let (admin, coord, coord2, client, id) = funded(&t).await;
    let (s, f) = t
        .call(
            "PATCH",
            "/api/firm",
            &admin,
            Some(json!({"approval_threshold": "300000"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    assert_eq!(f["approval_threshold"], "300000.00");
    // The purchase of elm closed: it needs $1,000,000.00 from the exchange funds.
    let (s, v) = t
        .record_closing_that_day(&coord, &id, "elm", "2026-04-10", "1000000", "0")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // At the threshold: posted at once.
    let (s, _) = t.pay_closing(&coord, &id, "elm", "300000", "").await;
    assert_eq!(s, StatusCode::CREATED);
    // Above: waits.
    let (s, v) = t.pay_closing(&coord, &id, "elm", "300000.01", "").await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert!(v["posting"].is_null());
    let aid = v["approval"]["id"].as_str().unwrap().to_string();
    assert_eq!(ledger_len(&t, &coord, &id).await, 2);
    for (who, want) in [
        (&coord, StatusCode::CONFLICT),
        (&client, StatusCode::FORBIDDEN),
    ] {
        let (s, _) = t
            .post(
                &format!("/api/exchanges/{id}/approvals/{aid}/approve"),
                who,
                json!({}),
            )
            .await;
        assert_eq!(s, want);
    }
    let (s, v) = t
        .post(
            &format!("/api/exchanges/{id}/approvals/{aid}/approve"),
            &coord2,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["approval"]["status"], "approved");
    assert_eq!(v["balance"], "399999.99");
    let (s, _) = t
        .post(
            &format!("/api/exchanges/{id}/approvals/{aid}/approve"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "already decided");
    // A rejected one never posts.
    let (_, v) = t
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &coord,
            json!({"kind": "disbursement", "amount": "350000", "property": "elm"}),
        )
        .await;
    let aid = v["approval"]["id"].as_str().unwrap().to_string();
    let (s, v) = t
        .post(
            &format!("/api/exchanges/{id}/approvals/{aid}/reject"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["approval"]["status"], "rejected");
    assert_eq!(ledger_len(&t, &coord, &id).await, 3);
    let (_, l) = t
        .get(&format!("/api/exchanges/{id}/approvals"), &admin)
        .await;
    assert_eq!(l.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn audit_log_records_who_when_what_before_and_after() {
    let t = sqlite().await;
    let (admin, coord, _, client, id) = funded(&t).await;
    let (_, me) = t.get("/api/me", &coord).await;
    let (_, cur) = t.get(&format!("/api/exchanges/{id}"), &coord).await;
    let (s, _) = t
        .call(
            "PATCH",
            &format!("/api/exchanges/{id}"),
            &coord,
            Some(json!({"version": cur["version"], "name": "Renamed"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // A stale version is refused and not logged.
    let (s, _) = t
        .call(
            "PATCH",
            &format!("/api/exchanges/{id}"),
            &coord,
            Some(json!({"version": cur["version"], "name": "Again"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, a) = t.get(&format!("/api/exchanges/{id}/audit"), &admin).await;
    let items = a["items"].as_array().unwrap();
    let u: Vec<&Value> = items
        .iter()
        .filter(|x| x["action"] == "exchange.update")
        .collect();
    assert_eq!(u.len(), 1);
    assert_eq!(u[0]["actor_id"], me["user"]["id"]);
    assert_eq!(u[0]["before"]["name"], "X");
    assert_eq!(u[0]["after"]["name"], "Renamed");
    assert!(u[0]["at"].as_str().unwrap().starts_with("20"));
    let p = items.iter().find(|x| x["action"] == "ledger.post").unwrap();
    assert_eq!(p["before"]["balance_cents"], 0);
    assert_eq!(p["after"]["balance_after_cents"], 100_000_000);
    // Clients do not read the audit log.
    let (s, _) = t.get(&format!("/api/exchanges/{id}/audit"), &client).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Pagination.
    let (_, p1) = t
        .get(&format!("/api/exchanges/{id}/audit?limit=2"), &admin)
        .await;
    assert_eq!(p1["items"].as_array().unwrap().len(), 2);
    let next = p1["next"].as_str().unwrap();
    let (_, p2) = t
        .get(
            &format!("/api/exchanges/{id}/audit?limit=2&after={next}"),
            &admin,
        )
        .await;
    assert_ne!(p2["items"][0]["id"], p1["items"][0]["id"]);
}

#[tokio::test]
async fn bad_input_is_a_4xx_in_the_one_shape_and_writes_nothing() {
    let t = sqlite().await;
    let (_admin, coord, _, _, id) = funded(&t).await;
    let path = format!("/api/exchanges/{id}/ledger");
    let send = |body: &'static str, ct: &'static str| {
        let mut r = TestApp::request("POST", &path, &coord, None);
        *r.body_mut() = Body::from(body);
        r.headers_mut()
            .insert(header::CONTENT_TYPE, ct.parse().unwrap());
        r
    };
    let (s, _, b) = t
        .raw(send("{\"kind\": \"receipt\",", "application/json"))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(v["error"]["code"], "malformed_json");
    let (s, _, _) = t.raw(send("{}", "text/plain")).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let cases = [
        (
            json!({"kind": "receipt", "amount": "1", "colour": "red"}),
            "colour",
            "unknown_field",
        ),
        (
            json!({"kind": "receipt", "amount": "1", "posted_on": "2026-02-30"}),
            "posted_on",
            "date",
        ),
        (
            json!({"kind": "bribe", "amount": "1"}),
            "kind",
            "allowed_values",
        ),
        (
            json!({"kind": "receipt", "amount": "-1"}),
            "amount",
            "non_negative",
        ),
        (
            json!({"kind": "receipt", "amount": "1.001"}),
            "amount",
            "money",
        ),
        (json!({"kind": "receipt"}), "", "required"),
    ];
    for (body, field, rule) in cases {
        let (s, e) = t.post(&path, &coord, body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
        assert_eq!(e["error"]["fields"][0]["path"], field, "{e}");
        assert_eq!(e["error"]["fields"][0]["rule"], rule, "{e}");
    }
    // Over the balance: refused, nothing written.
    let (s, e) = t
        .post(
            &path,
            &coord,
            json!({"kind": "fee", "amount": "1000000.01"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["code"], "insufficient_funds");
    assert_eq!(ledger_len(&t, &coord, &id).await, 1);
    // A body over the limit.
    let big = format!(
        "{{\"kind\": \"receipt\", \"amount\": \"1\", \"memo\": \"{}\"}}",
        "x".repeat(300 * 1024)
    );
    let mut r = TestApp::request("POST", &path, &coord, None);
    *r.body_mut() = Body::from(big);
    r.headers_mut()
        .insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
    let (s, _, b) = t.raw(r).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        serde_json::from_slice::<Value>(&b).unwrap()["error"]["code"],
        "body_too_large"
    );
    // An invalid exchange file names the path inside the file.
    let mut f = file();
    f["relinquished"][0]["sale_price"] = json!("-5");
    let (s, e) = t
        .post("/api/exchanges", &coord, json!({"name": "bad", "file": f}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["path"] == "file.relinquished[0].sale_price"),
        "{e}"
    );
    let mut f = file();
    f["relinquished"][0]["transferred"] = json!("2026-13-01");
    let (s, e) = t
        .post("/api/exchanges", &coord, json!({"name": "bad", "file": f}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        e["error"]["fields"][0]["path"], "file.relinquished[0].transferred",
        "{e}"
    );
    // A path that is not UTF-8.
    let (s, e) = t.get("/api/exchanges/%FF%FE", &coord).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    // Unknown routes and methods.
    let (s, _) = t.get("/api/nothing", &coord).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = t.call("DELETE", "/api/exchanges", &coord, None).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    let (s, e) = t.get("/api/exchanges?limit=0", &coord).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, _) = t.get("/api/exchanges?bogus=1", &coord).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn sessions_csrf_tokens_and_login_throttling() {
    let t = sqlite().await;
    let (admin, _, _) = t.signup("sec").await;
    let As::Session(cookie, csrf) = admin.clone() else {
        panic!()
    };
    // No credentials.
    let (s, _) = t.get("/api/me", &As::Nobody).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // A cookie-authenticated change without the CSRF header is refused.
    let mut r = TestApp::request(
        "POST",
        "/api/tokens",
        &As::Nobody,
        Some(&json!({"name": "x"})),
    );
    r.headers_mut().insert(
        header::COOKIE,
        format!("likekind_session={cookie}").parse().unwrap(),
    );
    let (s, _, b) = t.raw(r).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(
        serde_json::from_slice::<Value>(&b).unwrap()["error"]["code"],
        "csrf"
    );
    // ... and so is one from another origin, even with the header.
    let mut r = TestApp::request("POST", "/api/tokens", &admin, Some(&json!({"name": "x"})));
    r.headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    let (s, _, _) = t.raw(r).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Reads need no CSRF header.
    let mut r = Request::builder()
        .uri("/api/me")
        .header(header::COOKIE, format!("likekind_session={cookie}"))
        .body(Body::empty())
        .unwrap();
    r.headers_mut()
        .insert(header::HOST, "localhost".parse().unwrap());
    let (s, _, _) = t.raw(r).await;
    assert_eq!(s, StatusCode::OK);
    // Cookie flags.
    let email = format!("u-{}@x.example", uniq());
    t.post("/api/users", &admin, json!({"email": email, "name": "U", "role": "preparer", "password": "correct horse battery"})).await;
    let (s, h, _) = t
        .raw(TestApp::request(
            "POST",
            "/api/login",
            &As::Nobody,
            Some(&json!({"email": email, "password": "correct horse battery"})),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let set = h.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    // Weak passwords are refused with the field.
    let (s, e) = t
        .post(
            "/api/users",
            &admin,
            json!({"email": "w@x.example", "name": "W", "role": "client", "password": "short"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["fields"][0]["path"], "password");
    // Tokens work, and stop working when revoked.
    let (s, tok) = t
        .post("/api/tokens", &admin, json!({"name": "script"}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let bearer = As::Token(tok["token"].as_str().unwrap().into());
    assert_eq!(t.get("/api/me", &bearer).await.0, StatusCode::OK);
    let tid = tok["api_token"]["id"].as_str().unwrap();
    assert_eq!(
        t.call("DELETE", &format!("/api/tokens/{tid}"), &admin, None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(t.get("/api/me", &bearer).await.0, StatusCode::UNAUTHORIZED);
    // Logout ends the session.
    assert_eq!(
        t.call(
            "POST",
            "/api/logout",
            &As::Session(cookie.clone(), csrf.clone()),
            None
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        t.get("/api/me", &As::Session(cookie, csrf)).await.0,
        StatusCode::UNAUTHORIZED
    );
    // Five wrong passwords, then even the right one is refused for a while.
    for _ in 0..5 {
        let (s, _) = t
            .post(
                "/api/login",
                &As::Nobody,
                json!({"email": email, "password": "wrong wrong wrong"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let (s, e) = t
        .post(
            "/api/login",
            &As::Nobody,
            json!({"email": email, "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(e["error"]["code"], "rate_limited");
}

/// The forms that need no session (sign-up, login, a reset link) refuse a request from
/// another site before reading its body: 403 whatever the body holds, malformed or not.
#[tokio::test]
async fn another_origin_is_refused_before_the_body_is_read() {
    let t = sqlite().await;
    for path in ["/api/signup", "/api/login", "/api/password-reset"] {
        for body in ["{\"token\": ", "{}"] {
            let mut r = TestApp::request("POST", path, &As::Nobody, None);
            *r.body_mut() = Body::from(body);
            r.headers_mut()
                .insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
            r.headers_mut()
                .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
            let (s, _, b) = t.raw(r).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{path} {body}");
            let v: Value = serde_json::from_slice(&b).unwrap();
            assert!(
                v["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("cross-origin request from https://evil.example refused"),
                "{path}: {v}"
            );
        }
    }
}
#[tokio::test]
async fn signup_is_closed_by_default_once_a_firm_exists() {
    let dir = tempfile::tempdir().unwrap();
    let store =
        likekind_store::Store::open(&format!("sqlite://{}", dir.path().join("s.db").display()))
            .await
            .unwrap();
    let app = likekind_server::app(likekind_server::AppState::new(
        store,
        likekind_server::Config::default(),
    ));
    let t = TestApp {
        app,
        store: sqlite().await.store,
        _dir: None,
    };
    let body = |e: &str| json!({"firm_name": "F", "email": e, "name": "A", "password": "correct horse battery"});
    let (s, _) = t
        .post("/api/signup", &As::Nobody, body("first@x.example"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, e) = t
        .post("/api/signup", &As::Nobody, body("second@x.example"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
}

#[tokio::test]
async fn notices_are_judged_on_submission_signed_by_the_client_and_revocable() {
    let t = sqlite().await;
    let (_admin, coord, _, client, id) = funded(&t).await;
    // Late: after day 45 (2026-04-16) no notice made now identifies anything, whatever date
    // it bears: refused in words, nothing stored.
    let (s, e) = t.post(&format!("/api/exchanges/{id}/notices"), &client, json!({"identified_on": "2026-04-20", "properties": [{"id": "elm", "description": "12 Elm", "fmv": "1000000"}]})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["rule"],
        "identification_period_ended"
    );
    assert_eq!(e["error"]["details"]["identification_end"], "2026-04-16");
    let (_, list) = t
        .get(&format!("/api/exchanges/{id}/notices"), &client)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 0, "{list}");
    // Within the period (2026-04-01) the notices are judged on submission.
    let tin = t.on(jiff::civil::date(2026, 4, 1));
    // Four properties worth more than 200%: a valid identification only if 95% of their
    // value is received by the end of the exchange period ((c)(4)(ii)(B)), which can still
    // happen: accepted on that rule, with the engine's warning of what must be received.
    let props: Vec<Value> = (0..4)
        .map(|k| json!({"id": format!("p{k}"), "description": "lot", "fmv": "600000"}))
        .collect();
    let (_, n) = tin
        .post(
            &format!("/api/exchanges/{id}/notices"),
            &client,
            json!({"identified_on": "2026-04-01", "properties": props}),
        )
        .await;
    assert_eq!(n["judgement"]["accepted"], true, "{n}");
    assert_eq!(n["judgement"]["on_the_95_percent_rule"], true, "{n}");
    let warned = n["judgement"]["problems"].as_array().is_some_and(|ps| {
        ps.iter().any(|p| {
            p["message"]
                .as_str()
                .is_some_and(|m| m.contains("95% rule needs $2,280,000.00"))
        })
    });
    assert!(warned, "{n}");
    // A good one: only the client signs it.
    let (_, n) = tin.post(&format!("/api/exchanges/{id}/notices"), &coord, json!({"identified_on": "2026-04-01", "properties": [{"id": "elm", "description": "12 Elm", "fmv": "1000000"}]})).await;
    assert_eq!(n["judgement"]["accepted"], true, "{n}");
    let nid = n["id"].as_str().unwrap().to_string();
    let (s, _) = t
        .post(
            &format!("/api/exchanges/{id}/notices/{nid}/sign"),
            &coord,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Not after day 45 (2026-04-16): today is 2026-05-01.
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id}/notices/{nid}/sign"),
            &client,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Apr 16, 2026")
    );
    // Within the period it is signed.
    let (s, n) = t
        .on(jiff::civil::date(2026, 4, 10))
        .post(
            &format!("/api/exchanges/{id}/notices/{nid}/sign"),
            &client,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // A notice cannot be dated after today.
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id}/notices"),
            &client,
            json!({"identified_on": "2026-05-02", "properties": [{"id": "fir", "description": "1 Fir", "fmv": "1"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["fields"][0]["path"], "identified_on");
    assert!(n["signed_at"].is_string());
    let (_, ex) = t.get(&format!("/api/exchanges/{id}"), &client).await;
    assert_eq!(ex["file"]["identified"][0]["id"], "elm");
    // Bad property input names the property.
    let (s, e) = t.on(jiff::civil::date(2026, 4, 12)).post(&format!("/api/exchanges/{id}/notices"), &client, json!({"identified_on": "2026-04-01", "properties": [{"id": "elm", "description": "dup", "fmv": "1"}]})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"]["fields"][0]["path"]
            .as_str()
            .unwrap()
            .starts_with("properties[0]"),
        "{e}"
    );
    // A revocation after day 45 is refused, naming the field and the rule (c)(6).
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id}/notices/{nid}/revoke"),
            &coord,
            json!({"revoked_on": "2026-04-20"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "revoked_on");
    assert_eq!(
        e["error"]["fields"][0]["rule"],
        "within_identification_period"
    );
    assert_eq!(e["error"]["details"]["identification_end"], "2026-04-16");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1.1031(k)-1(c)(6)")
    );
    // A client cannot date a revocation back into the period: theirs is dated today.
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id}/notices/{nid}/revoke"),
            &client,
            json!({"revoked_on": "2026-04-10"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["rule"], "client_dates_today");
    // Staff record a written revocation delivered on 2026-04-10, within the period (after
    // it, a paper record with its evidence: tests/qa6_notices.rs). Revoked: the file says so.
    let (s, n) = t
        .on(jiff::civil::date(2026, 4, 12))
        .post(
            &format!("/api/exchanges/{id}/notices/{nid}/revoke"),
            &coord,
            json!({"revoked_on": "2026-04-10"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{n}");
    assert_eq!(n["status"], "revoked");
    let (_, ex) = t.get(&format!("/api/exchanges/{id}"), &client).await;
    assert_eq!(ex["file"]["identified"][0]["revoked_on"], "2026-04-10");
}

#[tokio::test]
async fn documents_keep_their_hash() {
    let t = sqlite().await;
    let (_admin, coord, _, client, id) = funded(&t).await;
    let mut r = TestApp::request(
        "POST",
        &format!("/api/exchanges/{id}/documents?kind=exchange_agreement&filename=agreement.pdf"),
        &coord,
        None,
    );
    *r.body_mut() = Body::from("%PDF-1.7 exchange agreement");
    r.headers_mut()
        .insert(header::CONTENT_TYPE, "application/pdf".parse().unwrap());
    let (s, _, b) = t.raw(r).await;
    assert_eq!(s, StatusCode::CREATED);
    let d: Value = serde_json::from_slice(&b).unwrap();
    // sha256("%PDF-1.7 exchange agreement")
    use sha2::Digest;
    let want: String = sha2::Sha256::digest(b"%PDF-1.7 exchange agreement")
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect();
    assert_eq!(d["sha256"], want.as_str());
    assert_eq!(d["size"], 27);
    let did = d["id"].as_str().unwrap();
    let (s, h, body) = t
        .raw(TestApp::request(
            "GET",
            &format!("/api/exchanges/{id}/documents/{did}"),
            &client,
            None,
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body, b"%PDF-1.7 exchange agreement");
    assert_eq!(h.get("x-content-sha256").unwrap().to_str().unwrap(), want);
    let (_, l) = t
        .get(&format!("/api/exchanges/{id}/documents"), &client)
        .await;
    assert_eq!(l.as_array().unwrap().len(), 1);
    let (s, _) = t
        .get(&format!("/api/exchanges/{id}/documents?kind=x"), &client)
        .await;
    assert_eq!(s, StatusCode::OK, "list ignores no query it does not read");
    let mut r = TestApp::request(
        "POST",
        &format!("/api/exchanges/{id}/documents?kind=deed&filename=a.pdf"),
        &coord,
        None,
    );
    *r.body_mut() = Body::from("x");
    let (s, _, _) = t.raw(r).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Without a limit the alerts come a page at a time (100, soonest first); a limit up to 1000
/// asks for more. What one request reads is bounded by what it answers.
#[tokio::test]
async fn alerts_come_a_page_at_a_time() {
    let t = sqlite().await;
    let (_, coord, _, _, _) = funded(&t).await;
    // Each exchange whose period ended without being closed raises at least two alerts
    // (the missed deadline and the identification missing): 60 of them raise more than 100.
    let mut f = file();
    f["relinquished"][0]["transferred"] = json!("2025-10-01");
    for k in 0..60 {
        let (s, _) = t
            .post(
                "/api/exchanges",
                &coord,
                json!({"name": format!("Old {k:02}"), "file": f}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let (_, all) = t.get("/api/alerts?limit=1000", &coord).await;
    let all = all.as_array().unwrap().clone();
    assert!(all.len() > 100, "{} alerts", all.len());
    let (s, page) = t.get("/api/alerts", &coord).await;
    assert_eq!(s, StatusCode::OK);
    let page = page.as_array().unwrap();
    assert_eq!(page.len(), 100);
    // The first hundred of the same list, in the same order (date, then exchange).
    let key = |x: &Value| (x["date"].to_string(), x["exchange_id"].to_string());
    let want: Vec<_> = all.iter().take(100).map(key).collect();
    let got: Vec<_> = page.iter().map(key).collect();
    assert_eq!(got, want);
    let (s, _) = t.get("/api/alerts?limit=1001", &coord).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn alerts_and_calendar_feed() {
    let t = sqlite().await;
    let (admin, coord, _, client, id) = funded(&t).await;
    // Today 2026-05-01: day 45 (2026-04-16) passed with nothing identified.
    let (s, a) = t.get("/api/alerts?within=14d", &coord).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        a.as_array()
            .unwrap()
            .iter()
            .any(|x| x["kind"] == "identification_problem" && x["exchange_id"] == id.as_str()),
        "{a}"
    );
    // An exchange closing 2026-04-20: its day 45 is 2026-06-04, beyond 14 days, within 60.
    let mut f = file();
    f["relinquished"][0]["transferred"] = json!("2026-04-20");
    let (_, ex2) = t
        .post("/api/exchanges", &coord, json!({"name": "Soon", "file": f}))
        .await;
    let id2 = ex2["id"].as_str().unwrap();
    let (_, a) = t.get("/api/alerts?within=14d", &coord).await;
    assert!(
        !a.as_array()
            .unwrap()
            .iter()
            .any(|x| x["exchange_id"] == id2 && x["kind"] == "deadline_upcoming")
    );
    let (_, a) = t.get("/api/alerts?within=60", &coord).await;
    assert!(
        a.as_array().unwrap().iter().any(|x| x["exchange_id"] == id2
            && x["kind"] == "deadline_upcoming"
            && x["date"] == "2026-06-04"),
        "{a}"
    );
    // An exchange whose period ended (2026-03-30) with money still held and no completion.
    let mut f = file();
    f["relinquished"][0]["transferred"] = json!("2025-10-01");
    let (_, ex3) = t
        .post("/api/exchanges", &coord, json!({"name": "Old", "file": f}))
        .await;
    let id3 = ex3["id"].as_str().unwrap();
    t.post(
        &format!("/api/exchanges/{id3}/events"),
        &coord,
        json!({"kind": "relinquished_closed", "on_date": "2025-10-01"}),
    )
    .await;
    t.post(
        &format!("/api/exchanges/{id3}/ledger"),
        &coord,
        json!({"kind": "receipt", "amount": "5"}),
    )
    .await;
    let (_, a) = t.get("/api/alerts", &coord).await;
    let kinds: Vec<_> = a
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["exchange_id"] == id3)
        .map(|x| x["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(
        kinds.contains(&"idle_funds".to_string()) && kinds.contains(&"deadline_missed".to_string()),
        "{kinds:?}"
    );
    let (s, _) = t.get("/api/alerts?within=forever", &coord).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // The client sees only their own exchange's alerts.
    let (_, a) = t.get("/api/alerts?within=60", &client).await;
    assert!(
        a.as_array()
            .unwrap()
            .iter()
            .all(|x| x["exchange_id"] == id.as_str()),
        "{a}"
    );
    // The client's exchange identifies elm by day 45: its deadlines still matter. "Old"
    // (nothing identified, its period over) is settled as failed: its deadlines protect
    // nothing and are not in the feed.
    let (_, cur) = t.get(&format!("/api/exchanges/{id}"), &coord).await;
    let mut f = cur["file"].clone();
    f["identified"] = json!([{"id": "elm", "description": "12 Elm St, Austin TX", "identified_on": "2026-04-10", "fmv": "1000000"}]);
    let (s, e) = t
        .on(jiff::civil::date(2026, 4, 10))
        .call(
            "PATCH",
            &format!("/api/exchanges/{id}"),
            &coord,
            Some(json!({"version": cur["version"], "file": f})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    // ICS: one VEVENT per deadline, all-day, exclusive DTEND; a token in the query works.
    let (_, tok) = t
        .post("/api/tokens", &admin, json!({"name": "calendar"}))
        .await;
    let token = tok["token"].as_str().unwrap();
    let (s, h, b) = t
        .raw(TestApp::request(
            "GET",
            &format!("/api/calendar.ics?token={token}"),
            &As::Nobody,
            None,
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        h.get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = String::from_utf8(b).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(
        ics.matches("BEGIN:VEVENT").count(),
        4,
        "two running exchanges, two deadlines each; the failed one left out"
    );
    assert!(!ics.contains(&format!("exch-{id3}-")), "{ics}");
    // Same writer as `likekind analyze --format ics`: stable UID per exchange and deadline,
    // all-day event with the exclusive DTEND, DTSTAMP (the time of the request, in UTC:
    // tests/alerts_qa8.rs), reminders.
    assert!(
        ics.contains(&format!(
            "UID:exch-{id}-identification-end@likekind\r\nDTSTAMP:"
        )),
        "{ics}"
    );
    assert!(
        ics.contains("Z\r\nDTSTART;VALUE=DATE:20260416\r\nDTEND;VALUE=DATE:20260417\r\n"),
        "{ics}"
    );
    // Read unfolded (RFC 5545 §3.1): where a long line is folded depends on its words.
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.contains("TRIGGER:-P30D") && unfolded.contains("Authority: IRC §1031(a)(3)(A)"),
        "{ics}"
    );
    let (_, _, b) = t
        .raw(TestApp::request("GET", "/api/calendar.ics", &client, None))
        .await;
    assert_eq!(
        String::from_utf8(b)
            .unwrap()
            .matches("BEGIN:VEVENT")
            .count(),
        2,
        "the client's own exchange only"
    );
    let (s, _, _) = t
        .raw(TestApp::request(
            "GET",
            "/api/calendar.ics?token=lk_nope",
            &As::Nobody,
            None,
        ))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn openapi_document_is_generated_from_the_routes() {
    let t = sqlite().await;
    let (s, h, b) = t
        .raw(TestApp::request("GET", "/openapi.json", &As::Nobody, None))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h.get(header::CONTENT_TYPE).unwrap(), "application/json");
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert!(v["openapi"].as_str().unwrap().starts_with("3.1"));
    for p in [
        "/api/exchanges",
        "/api/exchanges/{id}/analysis",
        "/api/exchanges/{id}/ledger",
        "/api/alerts",
        "/api/calendar.ics",
        "/api/login",
    ] {
        assert!(v["paths"][p].is_object(), "{p} missing");
    }
    assert!(v["components"]["schemas"]["ErrorBody"].is_object());
    assert_eq!(
        v["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert_eq!(
        v["components"]["securitySchemes"]["session"]["in"],
        "cookie"
    );
    assert!(v["paths"]["/api/exchanges/{id}/ledger"]["post"]["requestBody"].is_object());
}

#[tokio::test]
async fn lifecycle_follows_dated_events() {
    let t = sqlite().await;
    let (admin, coord, _, client, id) = funded(&t).await;
    let ev = |k: &str| json!({"kind": k, "on_date": "2026-04-01"});
    let (s, _) = t
        .post(
            &format!("/api/exchanges/{id}/events"),
            &coord,
            ev("relinquished_closed"),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "already closed");
    let (s, _) = t
        .post(&format!("/api/exchanges/{id}/events"), &client, ev("note"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A preparer reads everything but cannot move money.
    let (preparer, _) = t.user(&admin, "preparer").await;
    let (s, _) = t
        .get(&format!("/api/exchanges/{id}/ledger"), &preparer)
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = t
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &preparer,
            json!({"kind": "fee", "amount": "1"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = t
        .post(&format!("/api/exchanges/{id}/events"), &coord, ev("failed"))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "funds still held");
    // QA: a closing by event took any date. Not before the sale (Mar 2), not after today.
    for (on, rule) in [
        ("1999-01-01", "before_the_sale"),
        ("2099-12-31", "not_after_today"),
    ] {
        let (s, e) = t
            .post(
                &format!("/api/exchanges/{id}/events"),
                &coord,
                json!({"kind": "failed", "on_date": on}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{on}: {e}");
        assert_eq!(fields_said(&e), [("on_date", rule)], "{e}");
        let msg = e["error"]["fields"][0]["message"].as_str().unwrap();
        assert!(!msg.contains('_'), "words, not codes: {msg}");
    }
    let (_, l) = t.get(&format!("/api/exchanges/{id}/events"), &client).await;
    assert_eq!(l.as_array().unwrap().len(), 1);
    // Status by date: an exchange closing on 2026-04-20 is in its identification period.
    let mut f = file();
    f["relinquished"][0]["transferred"] = json!("2026-04-20");
    let (_, ex) = t
        .post("/api/exchanges", &coord, json!({"name": "B", "file": f}))
        .await;
    let id2 = ex["id"].as_str().unwrap();
    // A purchase closing before the sale's closing is recorded: refused in words.
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id2}/events"),
            &coord,
            ev("replacement_closed"),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(
        e["error"]["message"],
        "A purchase closing cannot be recorded on an exchange that is not yet sold (record the sale's closing first)"
    );
    // The sale's closing is the file's transfer date, which the deadlines count from: another
    // day is refused (the file is corrected first), and so is a day after today.
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id2}/events"),
            &coord,
            ev("relinquished_closed"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields_said(&e), [("on_date", "transfer_date")]);
    let msg = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("it says the relinquished property was transferred on Apr 20, 2026"),
        "{msg}"
    );
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id2}/events"),
            &coord,
            json!({"kind": "relinquished_closed", "on_date": "2026-05-02"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields_said(&e), [("on_date", "not_after_today")]);
    let (s, v) = t
        .post(
            &format!("/api/exchanges/{id2}/events"),
            &coord,
            json!({"kind": "relinquished_closed", "on_date": "2026-04-20"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "identification_period");
    let (_, v) = t
        .post(
            &format!("/api/exchanges/{id2}/events"),
            &coord,
            json!({"kind": "failed", "on_date": "2026-04-25"}),
        )
        .await;
    assert_eq!(v["status"], "failed", "{v}");
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id2}/ledger"),
            &coord,
            json!({"kind": "receipt", "amount": "1"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "a closed ledger takes no postings: {e}"
    );
    // Parties.
    let (s, p) = t
        .post(
            &format!("/api/exchanges/{id}/parties"),
            &coord,
            json!({"role": "buyer", "name": "B. Uyer", "email": "b@x.example"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let (_, l) = t
        .get(&format!("/api/exchanges/{id}/parties"), &client)
        .await;
    assert_eq!(l[0]["name"], "B. Uyer");
}

/// Issue 12: 40 simultaneous logins to one account (39 wrong, then the right password) get no
/// more password checks than sequential ones, and the right one after the lockout is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_logins_get_no_more_guesses_than_sequential_ones() {
    use tower::ServiceExt;
    let t = sqlite().await;
    let (admin, _, _) = t.signup("Throttle").await;
    let email = format!("target-{}@example.com", uniq());
    let (s, u) = t
        .post("/api/users", &admin, json!({"email": email, "name": "Target", "role": "client", "password": "correct horse battery"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    let mut tasks = Vec::new();
    for i in 0..40 {
        let pw = if i == 39 {
            "correct horse battery".to_string()
        } else {
            format!("wrong horse battery {i}")
        };
        let req = TestApp::request(
            "POST",
            "/api/login",
            &As::Nobody,
            Some(&json!({"email": email, "password": pw})),
        );
        let app = t.app.clone();
        tasks.push(tokio::spawn(async move {
            let r = app.oneshot(req).await.unwrap();
            (r.status(), r.headers().get(header::RETRY_AFTER).cloned())
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let checked = statuses
        .iter()
        .filter(|(s, _)| *s != StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(checked <= 5, "at most 5 passwords checked: {statuses:?}");
    for (s, retry) in &statuses {
        assert!(
            [
                StatusCode::UNAUTHORIZED,
                StatusCode::TOO_MANY_REQUESTS,
                StatusCode::SERVICE_UNAVAILABLE
            ]
            .contains(s),
            "{statuses:?}"
        );
        if *s != StatusCode::UNAUTHORIZED {
            assert!(retry.is_some(), "Retry-After with every refusal to wait");
        }
    }
    // The right password, after the lockout: refused.
    let (s, e) = t
        .post(
            "/api/login",
            &As::Nobody,
            json!({"email": email, "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{e}");
    assert_eq!(e["error"]["code"], "rate_limited");
}

/// Every password field has a maximum length, refused with the field and the rule.
#[tokio::test]
async fn passwords_over_1024_bytes_are_refused() {
    let t = sqlite().await;
    let (admin, _, _) = t.signup("Long").await;
    let long = "x".repeat(1025);
    let (s, e) = t
        .post(
            "/api/login",
            &As::Nobody,
            json!({"email": "nobody@example.com", "password": long}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "password");
    assert_eq!(e["error"]["fields"][0]["rule"], "max_length");
    let (s, e) = t
        .post("/api/users", &admin, json!({"email": format!("l-{}@example.com", uniq()), "name": "L", "role": "client", "password": long}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["rule"], "max_length");
    let ok = "y".repeat(1024);
    let (s, e) = t
        .post("/api/users", &admin, json!({"email": format!("l-{}@example.com", uniq()), "name": "L", "role": "client", "password": ok}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
}

/// Every body is a JSON object: serde would otherwise read a struct from an array of its
/// fields (`[null, null]` as a user change with nothing in it), which the schema forbids
/// (found by schemathesis).
#[tokio::test]
async fn a_body_that_is_not_an_object_is_refused() {
    let t = common::sqlite().await;
    let (admin, _, _) = t.signup("arrays").await;
    let (_, uid) = t.user(&admin, "coordinator").await;
    let (s, v) = t
        .call(
            "PATCH",
            &format!("/api/users/{uid}"),
            &admin,
            Some(json!([null, null])),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("JSON object"),
        "{v}"
    );
    let (s, v) = t
        .call(
            "PATCH",
            &format!("/api/users/{uid}"),
            &admin,
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "an empty change changes nothing: {v}");
    assert_eq!(v["role"], "coordinator");
}

/// Audit A1: a disbursement ("Paid to a purchase closing") is the other way money leaves the
/// exchange funds, so it pays only a recorded purchase closing of replacement property, never
/// more than that closing needs (Treas. Reg. §1.1031(k)-1(g)(6)); a refusal writes nothing.
#[tokio::test]
async fn a_disbursement_pays_a_recorded_closing_of_replacement_property_up_to_its_need() {
    let t = sqlite().await;
    let (admin, coord, _, _, id) = funded(&t).await;
    // One signature for every amount here: the closing rule, not the second approval, is tested.
    let (s, _) = t
        .call(
            "PATCH",
            "/api/firm",
            &admin,
            Some(json!({"approval_threshold": "10000000"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let url = format!("/api/exchanges/{id}/ledger");
    // (a) The audit's wire: no purchase closing recorded, none named. Refused, nothing stored.
    let (s, e) = t
        .post(
            &url,
            &coord,
            json!({"kind": "disbursement", "amount": "50000.00", "memo": "Wire to Pat Doe personal checking"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "property");
    let m = e["error"]["message"].as_str().unwrap();
    assert!(
        m.starts_with("A payment to a purchase closing must name"),
        "{m}"
    );
    assert!(m.contains("Treas. Reg. §1.1031(k)-1(g)(6)"), "{m}");
    // Naming a closing that is not recorded is refused too, in words.
    let (s, e) = t.pay_closing(&coord, &id, "elm", "50000.00", "").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let m = e["error"]["message"].as_str().unwrap();
    assert!(
        m.contains("no purchase closing recorded on this exchange"),
        "{m}"
    );
    assert!(
        !m.contains("property:") && !m.contains("disbursement"),
        "{m}"
    );
    assert_eq!(ledger_len(&t, &coord, &id).await, 1, "nothing stored");
    let (_, ex) = t.get(&format!("/api/exchanges/{id}"), &coord).await;
    assert_eq!(ex["balance"], "1000000.00");

    // elm closed on 2026-04-10 (within the 45 days) for $900,000 with a $200,000 loan: it
    // needs $700,000.00 from the exchange funds.
    let (s, v) = t
        .record_closing_that_day(&coord, &id, "elm", "2026-04-10", "900000", "200000")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // (b) More than the closing needs: refused with the amounts, nothing stored.
    let (s, e) = t.pay_closing(&coord, &id, "elm", "700000.01", "").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "amount");
    let m = e["error"]["message"].as_str().unwrap();
    assert!(
        m.contains("$700,000.01") && m.contains("$700,000.00"),
        "{m}"
    );
    assert_eq!(ledger_len(&t, &coord, &id).await, 1);
    // (c) A proper one is posted, with the closing it paid.
    let (s, v) = t
        .pay_closing(&coord, &id, "elm", "500000", "purchase of elm")
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["posting"]["property"], "elm");
    assert_eq!(v["balance"], "500000.00");
    // A second disbursement to the same closing counts the first: $200,000.00 is left.
    let (s, e) = t.pay_closing(&coord, &id, "elm", "200000.01", "").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let m = e["error"]["message"].as_str().unwrap();
    assert!(
        m.contains("$700,000.00 in all")
            && m.contains("more than the purchase closing of the property \"elm\" on ")
            && m.contains("$500,000.00 has already been paid")
            && m.contains("at most $200,000.00"),
        "{m}"
    );
    assert_eq!(e["error"]["details"]["left"], "200000.00");
    assert_eq!(ledger_len(&t, &coord, &id).await, 2);
    let (s, v) = t.pay_closing(&coord, &id, "elm", "200000", "").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // A closing of property neither identified nor received within the 45 days is not paid.
    let (s, e) = t
        .record_and_pay(
            &coord,
            &id,
            Purchase {
                property: "lot",
                received: "2026-04-25",
                price: "100000",
                loan: "0",
            },
            "1000",
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let m = e["error"]["message"].as_str().unwrap();
    assert!(
        m.contains("The purchase closing of the property \"lot\" on Apr 25, 2026 pays no replacement property of this exchange"),
        "{m}"
    );
    // Only a disbursement names a closing.
    let (s, e) = t
        .post(
            &url,
            &coord,
            json!({"kind": "fee", "amount": "10", "property": "elm"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(ledger_len(&t, &coord, &id).await, 3);
    // The audit record keeps the closing paid.
    let (_, a) = t.get(&format!("/api/exchanges/{id}/audit"), &coord).await;
    assert!(
        a["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["action"] == "ledger.post" && x["after"]["property_id"] == "elm")
    );
}

/// A disbursement waiting for a second approval is judged again on the day it is approved:
/// what was paid to the closing meanwhile counts.
#[tokio::test]
async fn a_waiting_disbursement_is_judged_again_when_approved() {
    let t = sqlite().await;
    let (admin, coord, coord2, _, id) = funded(&t).await;
    let (s, _) = t
        .call(
            "PATCH",
            "/api/firm",
            &admin,
            Some(json!({"approval_threshold": "100000"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = t
        .record_and_pay(
            &coord,
            &id,
            Purchase {
                property: "elm",
                received: "2026-04-10",
                price: "300000",
                loan: "0",
            },
            "250000",
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let aid = v["approval"]["id"].as_str().unwrap().to_string();
    // Meanwhile $100,000 is paid to the same closing: $200,000.00 is left, not $250,000.
    let (s, v) = t.pay_closing(&coord2, &id, "elm", "100000", "").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id}/approvals/{aid}/approve"),
            &coord2,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at most $200,000.00"),
        "{e}"
    );
    assert_eq!(ledger_len(&t, &coord, &id).await, 2);
}

/// Audit A2: a purchase cannot be recorded as closed after today (the API's file change and
/// the lifecycle event); nothing is stored, and every such closing is named at once.
#[tokio::test]
async fn a_purchase_closing_after_today_is_refused_and_nothing_stored() {
    let t = sqlite().await;
    let (_admin, coord, _, _, id) = funded(&t).await;
    let (_, before) = t.get(&format!("/api/exchanges/{id}"), &coord).await;
    let (_, cur) = t.get(&format!("/api/exchanges/{id}"), &coord).await;
    let mut f = cur["file"].clone();
    f["replacement"] = json!([
        {"id": "elm", "location": "TX", "received": "2027-02-01", "price": "1200000"},
        {"id": "ash", "location": "TX", "received": "2026-05-02", "price": "100000"}
    ]);
    let (s, e) = t
        .call(
            "PATCH",
            &format!("/api/exchanges/{id}"),
            &coord,
            Some(json!({"version": cur["version"], "file": f})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fields = e["error"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 2, "{e}");
    assert_eq!(fields[0]["path"], "file.replacement[0].received");
    assert_eq!(fields[1]["path"], "file.replacement[1].received");
    let m = e["error"]["message"].as_str().unwrap();
    assert!(
        m.contains(
            "The closing date of the purchase of elm, Feb 1, 2027, is after today (May 1, 2026)"
        ),
        "{m}"
    );
    let (_, after) = t.get(&format!("/api/exchanges/{id}"), &coord).await;
    assert_eq!(after["version"], before["version"], "nothing stored");
    assert!(after["file"]["replacement"].is_null() || after["file"]["replacement"] == json!([]));
    assert_eq!(after["phase"], before["phase"]);
    // The lifecycle event of a purchase closing after today is refused too.
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id}/events"),
            &coord,
            json!({"kind": "replacement_closed", "on_date": "2027-02-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "on_date");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("The closing date Feb 1, 2027 is after today (May 1, 2026)"),
        "{e}"
    );
    // Today is fine.
    let (s, v) = t
        .record_closing(&coord, &id, "elm", "2026-05-01", "1000000", "0")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// A change of the file reports a bad name, a purchase closing after today, a bad override
/// reason and a client that is not one in one 422, each naming its field and rule; nothing is
/// stored.
#[tokio::test]
async fn a_change_reports_every_problem_together() {
    let t = sqlite().await;
    let (admin, _, _) = t.signup("firm").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (s, ex) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Oak", "file": file()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap();
    let mut f = ex["file"].clone();
    f["replacement"] = json!([
        {"id": "elm", "location": "TX", "received": "2026-05-02", "price": "1000000"}
    ]);
    let (s, e) = t
        .call(
            "PATCH",
            &format!("/api/exchanges/{id}"),
            &coord,
            Some(json!({"version": ex["version"], "name": "", "file": f})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let said = fields_said(&e);
    assert_eq!(
        said,
        [
            ("name", "length"),
            ("file.replacement[0].received", "not_after_today")
        ],
        "{e}"
    );
    // An empty override reason and a client that is not one come in the same answer, in the
    // order of the request's fields.
    let (s, e) = t
        .call(
            "PATCH",
            &format!("/api/exchanges/{id}"),
            &coord,
            Some(json!({"version": ex["version"], "name": "", "file": f,
                "override_reason": "  ", "client_id": "nobody"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        fields_said(&e),
        [
            ("name", "length"),
            ("file.replacement[0].received", "not_after_today"),
            ("override_reason", "required"),
            ("client_id", "exists"),
        ],
        "{e}"
    );
    let (_, after) = t.get(&format!("/api/exchanges/{id}"), &coord).await;
    assert_eq!(after["version"], ex["version"], "nothing stored");
}

/// The tracker judges every exchange on its own today: a stored file that carries a future
/// `as_of` (as the examples do, for the command line) is analysed, summed up and printed on the
/// server's today, and the file is kept as it was sent.
#[tokio::test]
async fn a_files_own_as_of_does_not_move_the_trackers_today() {
    let t = sqlite().await;
    let (admin, _, _) = t.signup("firm").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let mut f = file();
    f["exchange"]["as_of"] = json!("2027-07-01");
    let (s, ex) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Future", "file": f}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    let today = today().to_string();
    // The analysis: judged on the server's today, not on the file's date. (Nothing was
    // identified by day 45, so it fails on either date: no advice to acquire more is given,
    // IRC §1031(a)(3)(A).)
    let (s, r) = t
        .get(&format!("/api/exchanges/{id}/analysis"), &coord)
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["exchange"]["as_of"], json!(today), "{}", r["exchange"]);
    assert_eq!(r["status"]["as_of"], json!(today));
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["code"] != "exchange_in_progress"),
        "{}",
        r["findings"]
    );
    // The stored file is the file as sent, its date included.
    let (_, v) = t.get(&format!("/api/exchanges/{id}"), &coord).await;
    assert_eq!(v["file"]["exchange"]["as_of"], "2027-07-01", "{v}");
    // The report PDF says the same day.
    let (s, _, pdf) = t
        .raw(TestApp::request(
            "GET",
            &format!("/api/exchanges/{id}/report.pdf"),
            &coord,
            None,
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.pdf");
    std::fs::write(&p, &pdf).unwrap();
    if let Ok(o) = std::process::Command::new("pdftotext")
        .args([p.to_str().unwrap(), "-"])
        .output()
    {
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("May 1, 2026"), "{text}");
        assert!(!text.contains("Jul 1, 2027"), "{text}");
    }
}

/// Opening an exchange refuses a purchase closing dated after the server's today, as a change
/// of the file does: a file's own `as_of` in the future does not make it "closed", nothing is
/// stored, and the same file with the closing on today opens.
#[tokio::test]
async fn opening_an_exchange_with_a_purchase_closing_after_today_is_refused() {
    let t = sqlite().await;
    let (admin, _, firm) = t.signup("firm").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let mut f = file();
    // The file's own date says the purchase has closed; the tracker's today says it has not.
    f["exchange"]["as_of"] = json!("2027-07-01");
    f["replacement"] = json!([
        {"id": "elm", "location": "TX", "received": "2026-05-01", "price": "600000"},
        {"id": "ash", "location": "TX", "received": "2026-05-02", "price": "400000"}
    ]);
    let (s, e) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Early", "file": f.clone()}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fields = e["error"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 1, "only the closing after today: {e}");
    assert_eq!(fields[0]["path"], "file.replacement[1].received");
    assert_eq!(fields[0]["rule"], "not_after_today");
    assert_eq!(
        e["error"]["message"],
        "The closing date of the purchase of ash, May 2, 2026, is after today (May 1, 2026): a purchase is recorded once it has closed."
    );
    let (_, list) = t.get("/api/exchanges", &coord).await;
    assert_eq!(list["items"], json!([]), "nothing stored");
    assert!(
        t.store
            .list_exchanges(
                &firm,
                None,
                likekind_store::PageReq {
                    after: None,
                    limit: 10
                }
            )
            .await
            .unwrap()
            .is_empty()
    );
    // The closing on today opens.
    f["replacement"][1]["received"] = json!("2026-05-01");
    let (s, ex) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Today", "file": f}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
}

/// The test file with one purchase closing on 2026-05-02, the day after the tests' today.
fn file_closing_after_today() -> Value {
    let mut f = file();
    f["replacement"] = json!([
        {"id": "ash", "location": "TX", "received": "2026-05-02", "price": "400000"}
    ]);
    f
}

/// Opening an exchange reports every problem of the request in one 422, as a change of the
/// file does: a name that breaks its rule, a purchase closing after today and a client that is
/// not one, each naming its field and rule in words; then a name with a file the engine
/// refuses (one id used twice). Nothing is stored.
#[tokio::test]
async fn opening_an_exchange_reports_every_problem_at_once() {
    let t = sqlite().await;
    let (admin, _, _) = t.signup("firm").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let f = file_closing_after_today();
    let (s, e) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "   ", "client_id": "nobody", "file": f}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "validation", "{e}");
    let said = fields_said(&e);
    assert_eq!(
        said,
        [
            ("name", "length"),
            ("file.replacement[0].received", "not_after_today"),
            ("client_id", "exists"),
        ],
        "{e}"
    );
    assert_eq!(
        e["error"]["fields"][1]["message"],
        "The closing date of the purchase of ash, May 2, 2026, is after today (May 1, 2026): a purchase is recorded once it has closed."
    );
    let m = e["error"]["message"].as_str().unwrap();
    assert!(
        m.contains("not only spaces") && m.contains("is after today") && m.contains("no such user"),
        "{m}"
    );
    // A file the engine refuses, with the bad name: both (the closing is not judged on a
    // file that does not read).
    let mut f = file();
    f["replacement"] = json!([
        {"id": "ash", "location": "TX", "received": "2026-04-20", "price": "400000"},
        {"id": "ash", "location": "TX", "received": "2026-05-02", "price": "400000"}
    ]);
    let (s, e) = t
        .post("/api/exchanges", &coord, json!({"name": "", "file": f}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let said = fields_said(&e);
    assert_eq!(
        said,
        [("name", "length"), ("file.replacement[1].id", "unique")],
        "{e}"
    );
    let (_, list) = t.get("/api/exchanges", &coord).await;
    assert_eq!(list["items"], json!([]), "nothing stored");
    // One problem is answered as before: its own words.
    let (s, e) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "", "file": file()}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"].as_array().unwrap().len(), 1, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "name", "{e}");
}

/// A request without its `name` or its `file` is answered with every other problem in the
/// same 422 (it used to be refused alone, when its body was read), and the published schema
/// still says both are required.
#[tokio::test]
async fn opening_an_exchange_without_a_name_or_a_file_reports_the_rest_too() {
    let t = sqlite().await;
    let (admin, _, _) = t.signup("firm").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let f = file_closing_after_today();
    let (s, e) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"client_id": "nobody", "file": f}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        fields_said(&e),
        [
            ("name", "required"),
            ("file.replacement[0].received", "not_after_today"),
            ("client_id", "exists"),
        ],
        "{e}"
    );
    assert_eq!(
        e["error"]["fields"][0]["message"],
        "give the exchange a name"
    );
    let (s, e) = t
        .post("/api/exchanges", &coord, json!({"name": "  "}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        fields_said(&e),
        [("name", "length"), ("file", "required")],
        "{e}"
    );
    let (_, list) = t.get("/api/exchanges", &coord).await;
    assert_eq!(list["items"], json!([]), "nothing stored");
    let (_, spec) = t.get("/openapi.json", &coord).await;
    let schema = &spec["components"]["schemas"]["NewExchangeReq"];
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap_or_else(|| panic!("{schema}"))
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        required.contains(&"name") && required.contains(&"file"),
        "{schema}"
    );
    assert_eq!(schema["properties"]["name"]["type"], "string", "{schema}");
}

/// A request the parser cannot read is answered in words, not in the parser's jargon: an
/// amount written as a number, a kind that does not exist, a query parameter the endpoint
/// does not take.
#[tokio::test]
async fn parser_errors_are_said_in_words() {
    let t = sqlite().await;
    let (_admin, coord, _, _, id) = funded(&t).await;
    let url = format!("/api/exchanges/{id}/ledger");
    let (s, e) = t
        .post(&url, &coord, json!({"kind": "receipt", "amount": 10.5}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let said = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(
        said.starts_with("the number 10.5 where text in quotes"),
        "{said}"
    );
    assert!(!said.contains("floating point"), "{said}");
    let (s, e) = t
        .post(&url, &coord, json!({"kind": "bogus", "amount": "1"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let said = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(
        said.contains("is not one of the values allowed here"),
        "{said}"
    );
    let (s, e) = t.get(&format!("{url}?colour=red"), &coord).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let said = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(
        said.starts_with("the query string does not read: colour: there is no such field here"),
        "{said}"
    );
}
