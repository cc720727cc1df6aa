//! A payment retried with its `Idempotency-Key` moves the money once: after a timeout, a
//! client sends the same request again and is answered with the first one's posting (or the
//! approval it filed), and nothing more leaves the exchange funds; the same key with another
//! request is refused; eight requests with one key at once post once. Through the API, on
//! SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;
use axum::http::StatusCode;
use common::oak::*;
use common::*;
use jiff::civil::date;
use serde_json::{Value, json};

/// `POST /api/exchanges/{id}/ledger` with `body` and the header `Idempotency-Key: key`:
/// the status, whether it says it was replayed, and the answer.
async fn post_keyed(
    t: &TestApp,
    who: &As,
    id: &str,
    key: &str,
    body: Value,
) -> (StatusCode, bool, Value) {
    let mut r = TestApp::request(
        "POST",
        &format!("/api/exchanges/{id}/ledger"),
        who,
        Some(&body),
    );
    r.headers_mut()
        .insert("Idempotency-Key", key.parse().unwrap());
    let (s, h, b) = t.raw(r).await;
    assert_ne!(s, StatusCode::INTERNAL_SERVER_ERROR);
    let replayed = h.get("Idempotent-Replayed").is_some_and(|v| v == "true");
    (s, replayed, serde_json::from_slice(&b).unwrap())
}

async fn ledger_of(t: &TestApp, who: &As, id: &str) -> Value {
    let (s, l) = t.get(&format!("/api/exchanges/{id}/ledger"), who).await;
    assert_eq!(s, StatusCode::OK, "{l}");
    l
}

async fn retried_payment_moves_once(t: &TestApp) {
    let (_, coord, id) = oak_opened(t, "retry").await;
    let may1 = t.on(date(2026, 5, 1));
    let receipt = json!({"kind": "receipt", "amount": "670000.00", "memo": "wire in"});
    let (s, replayed, first) = post_keyed(&may1, &coord, &id, "wire-in-1", receipt.clone()).await;
    assert_eq!((s, replayed), (StatusCode::CREATED, false), "{first}");

    // The client timed out and sends it again: the first posting, and no second one.
    let (s, replayed, again) = post_keyed(&may1, &coord, &id, "wire-in-1", receipt).await;
    assert_eq!((s, replayed), (StatusCode::CREATED, true), "{again}");
    assert_eq!(again["posting"]["id"], first["posting"]["id"]);
    assert_eq!(again["balance"], "670000.00");

    // The same key with another request: refused, nothing posted.
    let other = json!({"kind": "receipt", "amount": "670001.00", "memo": "wire in"});
    let (s, _, e) = post_keyed(&may1, &coord, &id, "wire-in-1", other).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "idempotency_key_reused");

    // A fee sent twice with its key leaves once; eight at once with one key, once.
    let fee = json!({"kind": "fee", "amount": "750.00", "memo": "QI fee"});
    for _ in 0..2 {
        let (s, _, v) = post_keyed(&may1, &coord, &id, "fee-1", fee.clone()).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (t2, c, i) = (may1.on(date(2026, 5, 1)), coord.clone(), id.clone());
        let body = json!({"kind": "fee", "amount": "25.00", "memo": "wire fee"});
        tasks.push(tokio::spawn(async move {
            post_keyed(&t2, &c, &i, "fee-2", body).await
        }));
    }
    let mut ids = std::collections::BTreeSet::new();
    for task in tasks {
        let (s, _, v) = task.await.unwrap();
        assert_eq!(s, StatusCode::CREATED, "{v}");
        ids.insert(v["posting"]["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 1, "eight answers name one posting");
    let l = ledger_of(&may1, &coord, &id).await;
    assert_eq!(l["items"].as_array().unwrap().len(), 3, "{l}");
    assert_eq!(l["balance"], "669225.00");

    // Above the firm's threshold: filed once for a second approval, the retry names it.
    let big = json!({"kind": "fee", "amount": "150000.00", "memo": "large fee"});
    let (s, _, filed) = post_keyed(&may1, &coord, &id, "big-1", big.clone()).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{filed}");
    let (s, replayed, again) = post_keyed(&may1, &coord, &id, "big-1", big).await;
    assert_eq!((s, replayed), (StatusCode::ACCEPTED, true), "{again}");
    assert_eq!(again["approval"]["id"], filed["approval"]["id"]);
    let (s, aps) = may1
        .get(&format!("/api/exchanges/{id}/approvals"), &coord)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(aps.as_array().unwrap().len(), 1, "{aps}");

    // A key that is not one: refused on the header, by name.
    let long = "k".repeat(256);
    for bad in ["two words", long.as_str()] {
        let (s, _, e) = post_keyed(
            &may1,
            &coord,
            &id,
            bad,
            json!({"kind": "fee", "amount": "1.00"}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["fields"][0]["path"], "Idempotency-Key", "{e}");
    }
    // A payment a rule refuses moves nothing but is kept in the audit log: who asked to
    // release what, and why not (an early release, Treas. Reg. §1.1031(k)-1(g)(6)).
    let early = json!({"kind": "release", "amount": "1000.00", "memo": "to the client"});
    let (s, _, e) = post_keyed(&may1, &coord, &id, "early-1", early).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (log, refused) = refused_in_audit(&may1, &coord, &id).await;
    let refused: Vec<&Value> = refused.iter().collect();
    assert_eq!(
        refused.len(),
        2,
        "the reused key and the early release: {log}"
    );
    let release = refused
        .iter()
        .find(|x| x["after"]["kind"] == "release")
        .unwrap();
    assert_eq!(release["after"]["amount_cents"], 100_000);
    assert_eq!(release["after"]["refusal"], e["error"]["message"]);
    // A refusal of a field says the field in words.
    let future = json!({"kind": "fee", "amount": "5.00", "value_date": "2027-01-01"});
    let (s, _, e) = post_keyed(&may1, &coord, &id, "future-1", future).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (_, log) = may1
        .get(&format!("/api/exchanges/{id}/audit"), &coord)
        .await;
    let fee = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["action"] == "ledger.refused" && x["after"]["kind"] == "fee")
        .unwrap();
    let words = fee["after"]["refusal"].as_str().unwrap();
    assert!(
        words.starts_with("The bank value date: a value date cannot be after today (May 1, 2026)"),
        "{words}"
    );
    // Without a key, a second request is a second payment (as before).
    let l = ledger_of(&may1, &coord, &id).await;
    assert_eq!(l["balance"], "669225.00");
}

on_both!(
    retried_payment_moves_once,
    retried_payment_moves_once_on_sqlite,
    retried_payment_moves_once_on_postgres
);

/// A second person's approval a rule refuses moves nothing but is kept in the audit log like
/// a refused payment, against the approval: what was asked, by whom, and why not, in words.
/// A refusal that is not a rule's (approving twice, approving one's own) is not kept.
async fn refused_approval_is_audited(t: &TestApp) {
    let (admin, coord, id) = oak_opened(t, "refused-approval").await;
    let may1 = t.on(date(2026, 5, 1));
    let ledger = format!("/api/exchanges/{id}/ledger");
    let receipt = json!({"kind": "receipt", "amount": "670000.00", "memo": "wire in"});
    let (s, v) = may1.post(&ledger, &coord, receipt).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // Two large fees, each above the firm's threshold: both wait for a second person.
    let mut filed = Vec::new();
    for memo in ["first large fee", "second large fee"] {
        let fee = json!({"kind": "fee", "amount": "400000.00", "memo": memo});
        let (s, v) = may1.post(&ledger, &coord, fee).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
        filed.push(v["approval"]["id"].as_str().unwrap().to_string());
    }
    let approve = |aid: &str| format!("/api/exchanges/{id}/approvals/{aid}/approve");
    // The requester cannot approve their own (not a rule about the payment: not kept).
    let (s, v) = may1.post(&approve(&filed[0]), &coord, json!({})).await;
    assert!(
        s.is_client_error() && s != StatusCode::UNPROCESSABLE_ENTITY,
        "{s} {v}"
    );
    let (s, v) = may1.post(&approve(&filed[0]), &admin, json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Approved twice: a conflict, not kept either.
    let (s, v) = may1.post(&approve(&filed[0]), &admin, json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    // The second no longer fits in what is held: refused, nothing moved, kept.
    let (s, e) = may1.post(&approve(&filed[1]), &admin, json!({})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "insufficient_funds", "{e}");
    let l = ledger_of(&may1, &coord, &id).await;
    assert_eq!(l["balance"], "270000.00", "no money moved: {l}");

    let (log, refused) = refused_in_audit(&may1, &admin, &id).await;
    let refused: Vec<&Value> = refused.iter().collect();
    assert_eq!(refused.len(), 1, "only the rule's refusal: {log}");
    let entry = refused[0];
    assert_eq!(entry["entity"], "approval", "{entry}");
    assert_eq!(entry["entity_id"], filed[1].as_str(), "{entry}");
    let after = &entry["after"];
    assert_eq!(after["kind"], "fee", "{entry}");
    assert_eq!(after["amount_cents"], 40_000_000, "{entry}");
    assert_eq!(after["memo"], "second large fee", "{entry}");
    assert_eq!(after["refusal"], e["error"]["message"], "{entry}");
    let words = after["refusal"].as_str().unwrap();
    assert!(
        words.contains("$270,000.00 held, $400,000.00 asked"),
        "the amounts in dollars: {words}"
    );
    // Who asked for it and who was refused are both named.
    assert!(after["requested_by"].is_string(), "{entry}");
    assert!(entry["actor_id"].is_string(), "{entry}");
    assert_ne!(entry["actor_id"], after["requested_by"], "{entry}");
}

on_both!(
    refused_approval_is_audited,
    refused_approval_is_audited_on_sqlite,
    refused_approval_is_audited_on_postgres
);

/// The exchange's audit log as `who` reads it, and its `ledger.refused` entries: the
/// payments and approvals a rule refused.
async fn refused_in_audit(t: &TestApp, who: &As, id: &str) -> (Value, Vec<Value>) {
    let (s, log) = t.get(&format!("/api/exchanges/{id}/audit"), who).await;
    assert_eq!(s, StatusCode::OK, "{log}");
    let refused = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["action"] == "ledger.refused")
        .cloned()
        .collect();
    (log, refused)
}
