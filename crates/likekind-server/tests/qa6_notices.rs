//! QA6, through the API on SQLite and on PostgreSQL: identification notices.
//! - A revocation recorded after the identification period, dated within it (Treas. Reg.
//!   §1.1031(k)-1(c)(6)), is a staff member's paper record with the signed document and who
//!   received it; when it would let held funds go earlier under (g)(6), only an administrator
//!   with a written reason records it.
//! - A notice is judged again when it is signed, with the notices signed since ((c)(4)).
//! - A notice cannot be dated before the exchange began.
//! - A paper notice "received by" the taxpayer or the taxpayer's family is refused ((c)(2),
//!   (k)).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;
use axum::body::Body;
use axum::http::{StatusCode, header};
use common::*;
use jiff::civil::date;
use serde_json::{Value, json};

/// Oak sold on 2026-10-01 for $1,000,000: day 45 is 2026-11-15. The taxpayer is Tom Taxpayer.
fn autumn_file() -> Value {
    json!({
        "exchange": {"name": "Oak for Elm"},
        "taxpayer": {"name": "Tom Taxpayer", "entity": "individual"},
        "relinquished": [{"id": "oak", "location": "CA", "acquired": "2015-06-01", "transferred": "2026-10-01",
                           "sale_price": "1000000", "adjusted_basis": "400000"}]
    })
}

fn prop(id: &str, fmv: &str) -> Value {
    json!({"id": id, "description": format!("{} Tower, 1 {id} Main St, Austin TX", id.to_uppercase()), "fmv": fmv})
}

async fn upload(t: &TestApp, who: &As, id: &str) -> String {
    let mut r = TestApp::request(
        "POST",
        &format!("/api/exchanges/{id}/documents?kind=identification_notice&filename=signed.pdf"),
        who,
        None,
    );
    *r.body_mut() = Body::from("%PDF signed by the taxpayer");
    r.headers_mut()
        .insert(header::CONTENT_TYPE, "application/pdf".parse().unwrap());
    let (s, _, b) = t.raw(r).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_string()
}

async fn open(t: &TestApp, who: &As, client_id: &str, file: Value) -> String {
    let (s, ex) = t
        .post(
            "/api/exchanges",
            who,
            json!({"name": "Taxpayer", "client_id": client_id, "file": file}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    ex["id"].as_str().unwrap().to_string()
}

async fn audit(t: &TestApp, who: &As, id: &str, action: &str) -> Vec<Value> {
    let (s, a) = t
        .get(&format!("/api/exchanges/{id}/audit?limit=500"), who)
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    a["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == action)
        .cloned()
        .collect()
}

fn rule_of(e: &Value, path: &str) -> String {
    e["error"]["fields"]
        .as_array()
        .unwrap_or(&vec![])
        .iter()
        .find(|f| f["path"] == path)
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no refusal on {path}: {e}"))
}

/// QA6 s01: on day 60 a coordinator recorded a revocation dated day 44, with no document and
/// no "received by", and a release refused a moment before then posted.
async fn late_revocation_is_a_paper_record(t: &TestApp) {
    let (admin, _, _) = t.signup("late-revocation").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (client, client_id) = t.user_named(&admin, "client", "Tom Taxpayer").await;
    let (oct21, nov30) = (t.on(date(2026, 10, 21)), t.on(date(2026, 11, 30)));
    let id = open(&oct21, &coord, &client_id, autumn_file()).await;
    let ledger = format!("/api/exchanges/{id}/ledger");
    let (s, v) = oct21
        .post(
            &ledger,
            &coord,
            json!({"kind": "receipt", "amount": "50000.00", "memo": "sale proceeds"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let did = upload(&oct21, &coord, &id).await;
    let (s, n) = oct21
        .post(
            &format!("/api/exchanges/{id}/notices/paper"),
            &coord,
            json!({"delivered_on": "2026-10-21", "received_by": "Quinn Clerk", "document_id": did,
                   "properties": [prop("elm", "600000")]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    let nid = n["id"].as_str().unwrap().to_string();
    let release = json!({"kind": "release", "amount": "10000.00", "memo": "to taxpayer"});
    let (s, e) = nov30.post(&ledger, &coord, release.clone()).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "identified, nothing received: {e}"
    );

    let revoke = format!("/api/exchanges/{id}/notices/{nid}/revoke");
    let rdoc = upload(&nov30, &coord, &id).await;
    // A client revokes only here and now: after day 45, too late; dated back, refused.
    let (s, e) = nov30
        .post(&revoke, &client, json!({"revoked_on": "2026-11-30"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(rule_of(&e, "revoked_on"), "within_identification_period");
    let (s, e) = nov30
        .post(
            &revoke,
            &client,
            json!({"revoked_on": "2026-11-14", "document_id": rdoc, "received_by": "Quinn Clerk"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(rule_of(&e, "revoked_on"), "client_dates_today");
    // The QA's request: staff, dated day 44, nothing else. Both missing pieces are named.
    let (s, e) = nov30
        .post(&revoke, &coord, json!({"revoked_on": "2026-11-14"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(rule_of(&e, "document_id"), "required");
    assert_eq!(rule_of(&e, "received_by"), "required");
    let words = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(words.contains("Nov 15, 2026"), "{words}");
    assert!(words.contains("§1.1031(k)-1(c)(6)"), "{words}");
    // Received by the taxpayer, or with a document that is not the exchange's: refused.
    let (s, e) = nov30
        .post(&revoke, &coord, json!({"revoked_on": "2026-11-14", "document_id": rdoc, "received_by": "Tom Taxpayer (owner)"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(rule_of(&e, "received_by"), "not_the_taxpayer");
    let (s, e) = nov30
        .post(&revoke, &coord, json!({"revoked_on": "2026-11-14", "document_id": "nope", "received_by": "Quinn Clerk"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(rule_of(&e, "document_id"), "document_of_exchange");
    // With its evidence, the revocation would still let the held funds go earlier: refused.
    let evidence =
        json!({"revoked_on": "2026-11-14", "document_id": rdoc, "received_by": "Quinn Clerk"});
    let (s, e) = nov30.post(&revoke, &coord, evidence.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "release_moved_earlier", "{e}");
    let mut with_reason = evidence.clone();
    with_reason["override_reason"] = json!("the signed revocation reached us on Nov 14");
    let (s, e) = nov30.post(&revoke, &coord, with_reason.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only an admin overrides: {e}");
    // Nothing changed: the notice is signed and the release still refused.
    let (_, list) = nov30
        .get(&format!("/api/exchanges/{id}/notices"), &coord)
        .await;
    assert_eq!(list[0]["status"], "signed", "{list}");
    let (s, _) = nov30.post(&ledger, &coord, release.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // An administrator records it with a written reason, kept in the audit log.
    let (s, v) = nov30.post(&revoke, &admin, with_reason).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "revoked");
    assert_eq!(v["revoked_on"], "2026-11-14");
    let log = audit(&nov30, &admin, &id, "notice.revoke").await;
    let rec = &log.last().unwrap()["after"]["revocation"];
    assert_eq!(
        rec["override_reason"], "the signed revocation reached us on Nov 14",
        "{rec}"
    );
    assert_eq!(rec["document_id"], json!(rdoc), "{rec}");
    assert_eq!(rec["received_by"], "Quinn Clerk", "{rec}");
    let (s, v) = nov30.post(&ledger, &coord, release).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// With no money on the ledger, staff record a late paper revocation with its evidence
/// alone (no (g)(6) judgement to make); a withdrawn notice never signed needs none.
async fn late_revocation_without_money(t: &TestApp) {
    let (admin, _, _) = t.signup("late-revocation-nomoney").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (_, client_id) = t.user_named(&admin, "client", "Tom Taxpayer").await;
    let (oct21, nov30) = (t.on(date(2026, 10, 21)), t.on(date(2026, 11, 30)));
    let id = open(&oct21, &coord, &client_id, autumn_file()).await;
    let did = upload(&oct21, &coord, &id).await;
    let (s, n) = oct21
        .post(
            &format!("/api/exchanges/{id}/notices/paper"),
            &coord,
            json!({"delivered_on": "2026-10-21", "received_by": "Quinn Clerk", "document_id": did,
                   "properties": [prop("elm", "600000")]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    let revoke = format!(
        "/api/exchanges/{id}/notices/{}/revoke",
        n["id"].as_str().unwrap()
    );
    let (s, e) = nov30
        .post(&revoke, &coord, json!({"revoked_on": "2026-11-14"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let rdoc = upload(&nov30, &coord, &id).await;
    let (s, v) = nov30
        .post(
            &revoke,
            &coord,
            json!({"revoked_on": "2026-11-14", "document_id": rdoc, "received_by": "Quinn Clerk"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "revoked");
    let log = audit(&nov30, &admin, &id, "notice.revoke").await;
    assert_eq!(
        log.last().unwrap()["after"]["revocation"]["received_by"],
        "Quinn Clerk"
    );
}

/// QA6 s10: notice 1 (three properties) and notice 2 (one) were each valid alone; once
/// notice 1 was signed, signing notice 2 put four properties worth 280% in force.
async fn a_notice_is_judged_again_when_signed(t: &TestApp) {
    let (admin, _, _) = t.signup("stale-notice").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (client, client_id) = t.user_named(&admin, "client", "Tom Taxpayer").await;
    let oct10 = t.on(date(2026, 10, 10));
    let id = open(&oct10, &coord, &client_id, autumn_file()).await;
    let notices = format!("/api/exchanges/{id}/notices");
    let three = json!([
        prop("a", "900000"),
        prop("b", "900000"),
        prop("c", "900000")
    ]);
    let (s, n1) = oct10
        .post(
            &notices,
            &client,
            json!({"identified_on": "2026-10-10", "properties": three}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n1}");
    let (s, n2) = oct10
        .post(
            &notices,
            &client,
            json!({"identified_on": "2026-10-10", "properties": [prop("d", "100000")]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n2}");
    assert_eq!(n2["judgement"]["accepted"], true, "{n2}");
    assert_eq!(n2["judgement"]["on_the_95_percent_rule"], false, "{n2}");
    let sign = |n: &Value| format!("{notices}/{}/sign", n["id"].as_str().unwrap());
    let (s, v) = oct10.post(&sign(&n1), &client, json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, e) = oct10.post(&sign(&n2), &client, json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "identification_changed", "{e}");
    let words = e["error"]["message"].as_str().unwrap();
    for part in [
        "4 properties would be identified, worth $2,800,000.00, 280% of the $1,000,000.00",
        "three-property rule",
        "200% rule",
        "95% rule",
        "$2,660,000.00",
        "Treas. Reg. §1.1031(k)-1(c)(4)",
        "submit it again",
    ] {
        assert!(words.contains(part), "{part:?} not in {words}");
    }
    let (_, ex) = oct10.get(&format!("/api/exchanges/{id}"), &coord).await;
    assert_eq!(
        ex["file"]["identified"].as_array().unwrap().len(),
        3,
        "{ex}"
    );
    let (_, list) = oct10.get(&notices, &client).await;
    assert_eq!(list[1]["status"], "submitted", "{list}");
    // Submitted again, it is judged with notice 1 in force: on the 95% rule, with its
    // warning, and the taxpayer may then sign it knowingly.
    let (s, n3) = oct10
        .post(
            &notices,
            &client,
            json!({"identified_on": "2026-10-10", "properties": [prop("d", "100000")]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n3}");
    assert_eq!(n3["judgement"]["on_the_95_percent_rule"], true, "{n3}");
    let (s, v) = oct10.post(&sign(&n3), &client, json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// QA6 s20: a notice dated 1900-01-01 was stored as the identification date.
async fn a_notice_is_not_dated_before_the_exchange(t: &TestApp) {
    let (admin, _, _) = t.signup("notice-dates").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (client, client_id) = t.user_named(&admin, "client", "Tom Taxpayer").await;
    let oct10 = t.on(date(2026, 10, 10));
    let id = open(&oct10, &coord, &client_id, autumn_file()).await;
    let notices = format!("/api/exchanges/{id}/notices");
    for on in ["1900-01-01", "2026-09-30"] {
        let (s, e) = oct10
            .post(
                &notices,
                &client,
                json!({"identified_on": on, "properties": [prop("a", "900000")]}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{on}: {e}");
        assert_eq!(rule_of(&e, "identified_on"), "not_before_exchange");
        let words = e["error"]["fields"][0]["message"].as_str().unwrap();
        assert!(words.contains("before Oct 1, 2026"), "{words}");
        assert!(!words.contains(on), "dates in words: {words}");
    }
    let did = upload(&oct10, &coord, &id).await;
    let (s, e) = oct10
        .post(
            &format!("{notices}/paper"),
            &coord,
            json!({"delivered_on": "1900-01-01", "received_by": "Quinn Clerk", "document_id": did,
                   "properties": [prop("a", "900000")]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(rule_of(&e, "delivered_on"), "not_before_exchange");
    let (_, list) = oct10.get(&notices, &coord).await;
    assert_eq!(list.as_array().unwrap().len(), 0, "nothing stored: {list}");
    let (s, n) = oct10
        .post(
            &notices,
            &client,
            json!({"identified_on": "2026-10-01", "properties": [prop("a", "900000")]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");

    // An exchange opened here before its sale: a notice between the opening and the sale is
    // an identification before the transfer, which the engine accepts ((c)(2)).
    let mut early = autumn_file();
    early["relinquished"][0]["transferred"] = json!("2090-03-10");
    let later = t.on(date(2090, 3, 20));
    let id = open(&later, &coord, &client_id, early).await;
    let (s, n) = later
        .post(
            &format!("/api/exchanges/{id}/notices"),
            &client,
            json!({"identified_on": "2090-03-01", "properties": [prop("a", "900000")]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    assert_eq!(n["judgement"]["accepted"], true, "{n}");
}

/// QA6 s27: "the taxpayer", "Tom Taxpayer (owner)", "Tom Taxpayer." and "Mrs. Taxpayer (his
/// wife)" were accepted as the person who received a paper notice.
async fn received_by_the_taxpayer_or_family(t: &TestApp) {
    let (admin, _, _) = t.signup("received-by").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (_, client_id) = t.user_named(&admin, "client", "Tom Taxpayer").await;
    let oct10 = t.on(date(2026, 10, 10));
    let id = open(&oct10, &coord, &client_id, autumn_file()).await;
    let did = upload(&oct10, &coord, &id).await;
    let path = format!("/api/exchanges/{id}/notices/paper");
    let paper = |who: &str, k: usize| {
        json!({"delivered_on": "2026-10-10", "received_by": who, "document_id": did,
        "properties": [prop(&format!("p{k}"), "100000")]})
    };
    for (k, (who, rule)) in [
        ("Tom Taxpayer.", "not_the_taxpayer"),
        ("Tom Taxpayer (owner)", "not_the_taxpayer"),
        ("the taxpayer", "not_the_taxpayer"),
        ("Taxpayer", "not_the_taxpayer"),
        ("TOM TAXPAYER, owner", "not_the_taxpayer"),
        ("Mrs. Taxpayer (his wife)", "not_a_disqualified_person"),
        ("Ann Taxpayer, daughter", "not_a_disqualified_person"),
        ("the taxpayer's brother", "not_a_disqualified_person"),
    ]
    .into_iter()
    .enumerate()
    {
        let (s, e) = oct10.post(&path, &coord, paper(who, k)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{who}: {e}");
        assert_eq!(rule_of(&e, "received_by"), rule, "{who}: {e}");
        let words = e["error"]["fields"][0]["message"].as_str().unwrap();
        assert!(words.contains("disqualified person"), "{words}");
        assert!(words.contains("§1.1031(k)-1(c)(2)"), "{words}");
        if rule == "not_a_disqualified_person" {
            assert!(words.contains("family"), "{words}");
        }
    }
    let (_, list) = oct10
        .get(&format!("/api/exchanges/{id}/notices"), &coord)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 0, "nothing stored: {list}");
    // Ordinary names of the intermediary's staff pass, a sister of another family too.
    for (k, who) in [
        "Quinn QI clerk",
        "Dana Reyes (the intermediary)",
        "Sonny Taxman",
        "Mary Sister-Smith",
    ]
    .into_iter()
    .enumerate()
    {
        let (s, n) = oct10.post(&path, &coord, paper(who, 10 + k)).await;
        assert_eq!(s, StatusCode::CREATED, "{who}: {n}");
    }
}

on_both!(
    late_revocation_is_a_paper_record,
    late_revocation_is_a_paper_record_on_sqlite,
    late_revocation_is_a_paper_record_on_postgres
);
on_both!(
    late_revocation_without_money,
    late_revocation_without_money_on_sqlite,
    late_revocation_without_money_on_postgres
);
on_both!(
    a_notice_is_judged_again_when_signed,
    a_notice_is_judged_again_when_signed_on_sqlite,
    a_notice_is_judged_again_when_signed_on_postgres
);
on_both!(
    a_notice_is_not_dated_before_the_exchange,
    a_notice_is_not_dated_before_the_exchange_on_sqlite,
    a_notice_is_not_dated_before_the_exchange_on_postgres
);
on_both!(
    received_by_the_taxpayer_or_family,
    received_by_the_taxpayer_or_family_on_sqlite,
    received_by_the_taxpayer_or_family_on_postgres
);
