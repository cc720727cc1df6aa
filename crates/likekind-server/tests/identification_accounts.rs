//! Issue 12, through the API on SQLite and on PostgreSQL: identification after day 45 (the
//! probe: on Dec 2 a coordinator types a notice dated Nov 10 for an exchange whose day 45 was
//! Nov 15), staff recording a signed paper notice delivered in time, and the accounts an
//! administrator manages (deactivation, roles, one-time password-reset links).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::http::{StatusCode, header};
use common::*;
use jiff::civil::date;
use serde_json::{Value, json};

/// Oak sold on 2026-10-01: day 45 is 2026-11-15.
fn autumn_file() -> Value {
    json!({
        "exchange": {"name": "Oak for Elm"},
        "taxpayer": {"name": "Pat Doe", "entity": "individual"},
        "relinquished": [{"id": "oak", "location": "CA", "acquired": "2015-06-01", "transferred": "2026-10-01",
                           "sale_price": "1000000", "adjusted_basis": "400000"}]
    })
}

fn three() -> Value {
    json!([
        {"id": "elm", "description": "12 Elm St, Austin TX", "fmv": "400000"},
        {"id": "ash", "description": "3 Ash Ave, Austin TX", "fmv": "350000"},
        {"id": "fir", "description": "9 Fir Rd, Austin TX", "fmv": "300000"}
    ])
}

async fn upload(t: &TestApp, who: &As, id: &str, kind: &str) -> (StatusCode, Value) {
    let mut r = TestApp::request(
        "POST",
        &format!("/api/exchanges/{id}/documents?kind={kind}&filename=notice.pdf"),
        who,
        None,
    );
    *r.body_mut() = Body::from("%PDF signed notice");
    r.headers_mut()
        .insert(header::CONTENT_TYPE, "application/pdf".parse().unwrap());
    let (s, _, b) = t.raw(r).await;
    (s, serde_json::from_slice(&b).unwrap())
}

async fn late_identification_and_paper_notice(t: &TestApp) {
    let (admin, _, _) = t.signup("late").await;
    let (coord, coord_id) = t.user(&admin, "coordinator").await;
    let (client, client_id) = t.user(&admin, "client").await;
    let nov10 = t.on(date(2026, 11, 10));
    let dec2 = t.on(date(2026, 12, 2));
    let (s, ex) = nov10
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Doe", "client_id": client_id, "file": autumn_file()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    assert_eq!(ex["deadlines"]["identification_end"], "2026-11-15");

    // The probe: on Dec 2 a coordinator types three properties dated Nov 10.
    let (s, e) = dec2
        .post(
            &format!("/api/exchanges/{id}/notices"),
            &coord,
            json!({"identified_on": "2026-11-10", "properties": three()}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "identified_on");
    assert_eq!(
        e["error"]["fields"][0]["rule"],
        "identification_period_ended"
    );
    assert_eq!(e["error"]["details"]["identification_end"], "2026-11-15");
    let words = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(words.contains("ended on Nov 15, 2026"), "{words}");
    assert!(words.contains("paper notice"), "{words}");
    let (_, list) = dec2
        .get(&format!("/api/exchanges/{id}/notices"), &coord)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 0, "nothing stored: {list}");

    // A notice submitted in time but signed after day 45: refused with the rule, not a bare 409.
    let (s, n) = nov10
        .post(
            &format!("/api/exchanges/{id}/notices"),
            &client,
            json!({"identified_on": "2026-11-10", "properties": three()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    assert_eq!(n["judgement"]["accepted"], true, "{n}");
    let nid = n["id"].as_str().unwrap().to_string();
    let (s, e) = dec2
        .post(
            &format!("/api/exchanges/{id}/notices/{nid}/sign"),
            &client,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "identification_period_ended");
    assert_eq!(e["error"]["details"]["identification_end"], "2026-11-15");
    let (_, ex) = dec2.get(&format!("/api/exchanges/{id}"), &coord).await;
    assert!(
        ex["file"]["identified"]
            .as_array()
            .is_none_or(|a| a.is_empty()),
        "nothing identified: {ex}"
    );

    // Staff record the signed paper notice that reached them on Nov 10.
    let (s, doc) = upload(&dec2, &coord, &id, "identification_notice").await;
    assert_eq!(s, StatusCode::CREATED, "{doc}");
    let did = doc["id"].as_str().unwrap().to_string();
    let (s, other) = upload(&dec2, &coord, &id, "closing_statement").await;
    assert_eq!(s, StatusCode::CREATED, "{other}");
    let paper = |delivered: &str, who: &str, doc: &str| json!({"delivered_on": delivered, "received_by": who, "document_id": doc, "properties": three()});
    let path = format!("/api/exchanges/{id}/notices/paper");
    // Refusals, in words, nothing stored.
    let (s, e) = dec2
        .post(&path, &client, paper("2026-11-10", "Dana Reyes", &did))
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a client does not record paper: {e}"
    );
    let (s, e) = dec2
        .post(&path, &coord, paper("2026-11-16", "Dana Reyes", &did))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["rule"],
        "within_identification_period"
    );
    assert_eq!(e["error"]["details"]["identification_end"], "2026-11-15");
    let (s, e) = t
        .on(date(2026, 11, 12))
        .post(&path, &coord, paper("2026-11-13", "Dana Reyes", &did))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["rule"], "not_future");
    let (s, e) = dec2
        .post(&path, &coord, paper("2026-11-10", "  ", &did))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "received_by");
    let (s, e) = dec2
        .post(
            &path,
            &coord,
            paper("2026-11-10", "Dana Reyes", "no-such-document"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "document_id");
    let (s, e) = dec2
        .post(
            &path,
            &coord,
            paper("2026-11-10", "Dana Reyes", other["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "document_id");
    let (_, list) = dec2
        .get(&format!("/api/exchanges/{id}/notices"), &coord)
        .await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "only the unsigned one: {list}"
    );

    // Delivered on Nov 10 to Dana Reyes: recorded as signed; the engine judges it.
    let (s, n) = dec2
        .post(&path, &coord, paper("2026-11-10", "Dana Reyes", &did))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    assert_eq!(n["kind"], "paper");
    assert_eq!(n["status"], "signed");
    assert_eq!(n["delivered_on"], "2026-11-10");
    assert_eq!(n["received_by"], "Dana Reyes");
    assert_eq!(n["document_id"], did.as_str());
    assert_eq!(n["signed_by"], coord_id.as_str());
    assert_eq!(n["judgement"]["accepted"], true, "{n}");
    let pid = n["id"].as_str().unwrap().to_string();
    let (_, ex) = dec2.get(&format!("/api/exchanges/{id}"), &coord).await;
    let ids: Vec<&str> = ex["file"]["identified"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["elm", "ash", "fir"]);
    assert_eq!(ex["file"]["identified"][0]["identified_on"], "2026-11-10");
    let (s, a) = dec2
        .get(&format!("/api/exchanges/{id}/analysis"), &coord)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(a["identification"]["valid"], true, "{a}");
    assert_eq!(a["identification"]["rule"], "three_property", "{a}");
    // Audited under the staff member's name.
    let (_, audit) = dec2
        .get(&format!("/api/exchanges/{id}/audit?limit=500"), &admin)
        .await;
    let rec = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "notice.paper")
        .expect("paper notice audited");
    assert_eq!(rec["actor_id"], coord_id.as_str());
    assert_eq!(rec["entity_id"], pid.as_str());
    assert_eq!(rec["after"]["notice"]["received_by"], "Dana Reyes");
}

/// QA: on Dec 2, day 45 being Nov 15, "Edit the facts" (`PATCH /api/exchanges/{id}`) added
/// an identified property dated Nov 10 and turned a failed exchange into a valid
/// identification, even for a preparer. Once the period is over (on the tracker's today), an
/// edit cannot change the identification, move the transfer date that starts the 45 days, or
/// record a purchase within the period; nothing is stored. Other facts may still be corrected.
async fn no_identification_by_editing_after_day_45(t: &TestApp) {
    let (admin, _, _) = t.signup("late-edit").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (prep, _) = t.user(&admin, "preparer").await;
    let nov10 = t.on(date(2026, 11, 10));
    let dec2 = t.on(date(2026, 12, 2));
    let (s, ex) = nov10
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Doe", "file": autumn_file()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    let path = format!("/api/exchanges/{id}");
    let elm = json!([{"id": "elm", "description": "12 Elm St, Austin TX", "fmv": "900000", "identified_on": "2026-11-10"}]);
    let current = |v: &Value| (v["version"].clone(), v["file"].clone());

    // After day 45: the identification cannot be added, by a preparer or an administrator
    // (even with an override reason), whatever date it bears.
    let (_, cur) = dec2.get(&path, &coord).await;
    let (version, file) = current(&cur);
    let mut late = file.clone();
    late["identified"] = elm.clone();
    for (who, body) in [
        (&prep, json!({"version": version, "file": late})),
        (&coord, json!({"version": version, "file": late})),
        (
            &admin,
            json!({"version": version, "file": late, "override_reason": "the client says so"}),
        ),
    ] {
        let (s, e) = dec2.call("PATCH", &path, who, Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["fields"][0]["path"], "file.identified", "{e}");
        assert_eq!(
            e["error"]["fields"][0]["rule"], "identification_period_ended",
            "{e}"
        );
        assert_eq!(e["error"]["details"]["identification_end"], "2026-11-15");
        let words = e["error"]["fields"][0]["message"].as_str().unwrap();
        assert!(words.contains("Nov 15, 2026"), "{words}");
        assert!(words.contains("§1.1031(k)-1(b)(2)"), "{words}");
        assert!(words.contains("paper notice"), "{words}");
    }
    // The sale date moved so that the 45 days start again, and a purchase closed within
    // the period (property received in the period is identified): refused too.
    let mut moved = file.clone();
    moved["relinquished"][0]["transferred"] = json!("2026-11-01");
    let (s, e) = dec2
        .call(
            "PATCH",
            &path,
            &coord,
            Some(json!({"version": version, "file": moved})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "file.relinquished", "{e}");
    assert_eq!(
        e["error"]["fields"][0]["rule"],
        "identification_period_ended"
    );
    let mut bought = file.clone();
    bought["replacement"] =
        json!([{"id": "elm", "location": "TX", "received": "2026-11-20", "price": "900000"}]);
    let (s, v) = dec2
        .call(
            "PATCH",
            &path,
            &coord,
            Some(json!({"version": version, "file": bought})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "a purchase after day 45 is recorded: {v}"
    );
    let (version, file) = current(&v);
    let mut backdated = file.clone();
    backdated["replacement"][0]["received"] = json!("2026-11-12");
    let (s, e) = dec2
        .call(
            "PATCH",
            &path,
            &coord,
            Some(json!({"version": version, "file": backdated})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["path"], "file.replacement[0].received",
        "{e}"
    );
    // Nothing stored.
    let (_, after) = dec2.get(&path, &coord).await;
    assert_eq!(after["version"], version, "{after}");
    assert_eq!(after["file"], file, "{after}");
    assert_eq!(after["verdict"]["outcome"], "taxable_sale", "{after}");

    // Other facts can still be corrected; a purchase after day 45 is an ordinary closing.
    let mut basis = file.clone();
    basis["relinquished"][0]["adjusted_basis"] = json!("410000");
    let (s, v) = dec2
        .call(
            "PATCH",
            &path,
            &prep,
            Some(json!({"version": version, "file": basis})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // An administrator corrects a transfer date typed wrong, with a written reason (audited).
    let (version, file) = current(&v);
    let mut moved = file.clone();
    moved["relinquished"][0]["transferred"] = json!("2026-10-02");
    let (s, e) = dec2
        .call(
            "PATCH",
            &path,
            &coord,
            Some(json!({"version": version, "file": moved, "override_reason": "the deed says Oct 2, typed wrong"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only an administrator: {e}");
    let (s, v) = dec2
        .call(
            "PATCH",
            &path,
            &admin,
            Some(json!({"version": version, "file": moved, "override_reason": "the closing statement says Oct 2"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // Before day 45 the file could still be edited with an identification (as before).
    let (s, ex2) = nov10
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Doe 2", "file": autumn_file()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex2}");
    let mut early = ex2["file"].clone();
    early["identified"] = elm;
    let (s, v) = nov10
        .call(
            "PATCH",
            &format!("/api/exchanges/{}", ex2["id"].as_str().unwrap()),
            &coord,
            Some(json!({"version": ex2["version"], "file": early})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // After day 45, a purchase recorded for the first time but dated within the period
    // (property received in the period is identified, Treas. Reg. §1.1031(k)-1(c)(1)) with
    // nothing on the ledger to show it: refused, whoever records it, whatever date it bears.
    let path2 = format!("/api/exchanges/{}", ex2["id"].as_str().unwrap());
    let mut bought = v["file"].clone();
    bought["replacement"] =
        json!([{"id": "elm", "location": "TX", "received": "2026-11-12", "price": "900000"}]);
    for who in [&prep, &coord, &admin] {
        let (s, e) = dec2
            .call(
                "PATCH",
                &path2,
                who,
                Some(json!({"version": v["version"], "file": bought})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(
            e["error"]["fields"][0]["path"], "file.replacement[0].received",
            "{e}"
        );
        assert_eq!(
            e["error"]["fields"][0]["rule"], "identification_period_ended",
            "{e}"
        );
        assert_eq!(e["error"]["details"]["identification_end"], "2026-11-15");
        let words = e["error"]["fields"][0]["message"].as_str().unwrap();
        assert!(words.contains("Nov 12, 2026"), "{words}");
        assert!(words.contains("Nov 15, 2026"), "{words}");
        assert!(words.contains("(c)(1)"), "{words}");
        assert!(words.contains("ledger"), "{words}");
    }
    // A coordinator's reason does not make it an administrator's correction.
    let reason = "closing statement of Nov 12 found in the file";
    let (s, e) = dec2
        .call(
            "PATCH",
            &path2,
            &coord,
            Some(json!({"version": v["version"], "file": bought, "override_reason": reason})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (_, still) = dec2.get(&path2, &coord).await;
    assert_eq!(still["version"], v["version"], "nothing stored: {still}");
    // An administrator records it with a written reason, kept in the audit log.
    let (s, done) = dec2
        .call(
            "PATCH",
            &path2,
            &admin,
            Some(json!({"version": v["version"], "file": bought, "override_reason": reason})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["file"]["replacement"][0]["received"], "2026-11-12");
    let (_, audit) = dec2.get(&format!("{path2}/audit?limit=500"), &admin).await;
    let rec = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|e| e["action"] == "exchange.update")
        .expect("the edit audited");
    assert_eq!(rec["after"]["override_reason"], reason, "{rec}");
}

/// QA: after day 45, a purchase recorded for the first time but dated within the period counted
/// as identified. It counts only on the intermediary's own evidence: a disbursement toward it
/// posted on or before the period's last day, by the day the server posted it. A closing paid in
/// the period, taken out of the file by mistake and put back, is recorded again; one paid only
/// after the period is refused, even with a bank value date within it, and so is a closing put
/// back under a new id. A purchase dated after the period is recorded as it comes.
async fn late_closings_need_the_ledgers_evidence(t: &TestApp) {
    let (admin, _, _) = t.signup("paid-in-period").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let nov10 = t.on(date(2026, 11, 10));
    let nov20 = t.on(date(2026, 11, 20));
    let dec2 = t.on(date(2026, 12, 2));
    let mut f = autumn_file();
    f["identified"] = json!([
        {"id": "elm", "description": "12 Elm St, Austin TX", "fmv": "400000", "identified_on": "2026-11-01"},
        {"id": "ash", "description": "3 Ash Ave, Austin TX", "fmv": "350000", "identified_on": "2026-11-01"}
    ]);
    let (s, ex) = nov10
        .post("/api/exchanges", &coord, json!({"name": "Doe", "file": f}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    let path = format!("/api/exchanges/{id}");
    let (s, v) = nov10
        .post(
            &format!("{path}/ledger"),
            &coord,
            json!({"kind": "receipt", "amount": "1000000"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // Elm closes on Nov 10, paid from the exchange funds that day.
    let elm = Purchase {
        property: "elm",
        received: "2026-11-10",
        price: "400000",
        loan: "0",
    };
    let (s, v) = nov10.record_and_pay(&coord, &id, elm, "40000").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // Ash closes on Nov 20, after the period: recorded as it comes, and paid that day with a
    // bank value date of Nov 12.
    let (s, v) = nov20
        .record_closing(&coord, &id, "ash", "2026-11-20", "350000", "0")
        .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "a purchase after day 45 is recorded: {v}"
    );
    let (s, v) = nov20
        .post(
            &format!("{path}/ledger"),
            &coord,
            json!({"kind": "disbursement", "amount": "50000", "property": "ash", "value_date": "2026-11-12"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["posting"]["posted_on"], "2026-11-20", "{v}");
    // On Dec 2, Elm (received on Nov 10, within the period: identified by its receipt) can
    // no longer be made to describe other property, nor taken out, by a coordinator
    // (Treas. Reg. §1.1031(k)-1(c)(1), (c)(6)); nothing is stored.
    let (_, cur) = dec2.get(&path, &coord).await;
    for (field, value) in [("description", "40 Oak St, Austin TX"), ("location", "NV")] {
        let mut other = cur["file"].clone();
        other["replacement"][0][field] = json!(value);
        let (s, e) = dec2
            .call(
                "PATCH",
                &path,
                &coord,
                Some(json!({"version": cur["version"], "file": other})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {e}");
        let fe = &e["error"]["fields"][0];
        assert_eq!(fe["path"], format!("file.replacement[0].{field}"), "{e}");
        assert_eq!(fe["rule"], "identification_period_ended", "{e}");
        let words = fe["message"].as_str().unwrap();
        assert!(words.contains("Nov 10, 2026"), "{words}");
        assert!(words.contains("(c)(6)"), "{words}");
        assert!(!words.contains("file."), "no field path in words: {words}");
    }
    let mut none = cur["file"].clone();
    let was = none["replacement"].take();
    none["replacement"] = json!([]);
    let (s, e) = dec2
        .call(
            "PATCH",
            &path,
            &coord,
            Some(json!({"version": cur["version"], "file": none})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "file.replacement", "{e}");
    let words = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(words.contains("cannot be taken out"), "{words}");
    let (_, still) = dec2.get(&path, &coord).await;
    assert_eq!(still["version"], cur["version"], "nothing stored: {still}");
    // An administrator takes both closings out (recorded by mistake), with a written reason.
    let (s, cur) = dec2
        .call(
            "PATCH",
            &path,
            &admin,
            Some(json!({"version": cur["version"], "file": none, "override_reason": "both recorded on the wrong exchange"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{cur}");
    let put_back = |cur: &Value, list: Value| {
        let mut f = cur["file"].clone();
        f["replacement"] = list;
        json!({"version": cur["version"], "file": f})
    };
    // Ash put back dated Nov 12 (its bank value date): paid only on Nov 20, so refused.
    let mut ash = was[1].clone();
    assert_eq!(ash["id"], "ash");
    ash["received"] = json!("2026-11-12");
    let (s, e) = dec2
        .call("PATCH", &path, &coord, Some(put_back(&cur, json!([ash]))))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["path"], "file.replacement[0].received",
        "{e}"
    );
    assert_eq!(
        e["error"]["fields"][0]["rule"], "identification_period_ended",
        "{e}"
    );
    // Elm put back under a new id: nothing paid toward that purchase, refused.
    let mut renamed = was[0].clone();
    assert_eq!(renamed["id"], "elm");
    renamed["id"] = json!("elm-2");
    let (s, e) = dec2
        .call(
            "PATCH",
            &path,
            &coord,
            Some(put_back(&cur, json!([renamed]))),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["path"], "file.replacement[0].received",
        "{e}"
    );
    // Elm as it was: its closing was paid on Nov 10, within the period. Recorded again.
    let (s, v) = dec2
        .call(
            "PATCH",
            &path,
            &coord,
            Some(put_back(&cur, json!([was[0]]))),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["file"]["replacement"][0]["received"], "2026-11-10", "{v}");
    // An administrator corrects a description typed wrong, with a written reason.
    let mut typo = v["file"].clone();
    typo["replacement"][0]["description"] = json!("12 Elm Street, Austin TX");
    let (s, fixed) = dec2
        .call(
            "PATCH",
            &path,
            &admin,
            Some(json!({"version": v["version"], "file": typo, "override_reason": "the deed spells Street"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{fixed}");
    let mut v = fixed;
    v["file"]["replacement"][0]["description"] = was[0]["description"].clone();
    let (s, v) = dec2
        .call(
            "PATCH",
            &path,
            &admin,
            Some(json!({"version": v["version"], "file": v["file"], "override_reason": "as identified"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Ash as it was, after the period: recorded as it comes.
    let (s, v) = dec2
        .call(
            "PATCH",
            &path,
            &coord,
            Some(put_back(&v, json!([was[0], was[1]]))),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// QA: a paper notice "received by" the taxpayer was recorded. The notice must be delivered
/// to a person involved in the exchange other than the taxpayer (Treas. Reg.
/// §1.1031(k)-1(c)(2)): refused when `received_by` names the file's taxpayer or the
/// exchange's client, whatever the case and spacing; nothing stored.
async fn paper_notice_not_received_by_the_taxpayer(t: &TestApp) {
    let (admin, _, _) = t.signup("paper-taxpayer").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (_, client_id) = t.user_named(&admin, "client", "Robin Roe").await;
    let nov10 = t.on(date(2026, 11, 10));
    let (s, ex) = nov10
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Doe", "client_id": client_id, "file": autumn_file()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    let (s, doc) = upload(&nov10, &coord, &id, "identification_notice").await;
    assert_eq!(s, StatusCode::CREATED, "{doc}");
    let did = doc["id"].as_str().unwrap().to_string();
    let path = format!("/api/exchanges/{id}/notices/paper");
    for who in ["Pat Doe", "  pat   DOE ", "robin roe"] {
        let (s, e) = nov10
            .post(
                &path,
                &coord,
                json!({"delivered_on": "2026-11-10", "received_by": who, "document_id": did, "properties": three()}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{who}: {e}");
        assert_eq!(e["error"]["fields"][0]["path"], "received_by", "{e}");
        assert_eq!(e["error"]["fields"][0]["rule"], "not_the_taxpayer", "{e}");
        let words = e["error"]["fields"][0]["message"].as_str().unwrap();
        assert!(words.contains("other than the taxpayer"), "{words}");
        assert!(words.contains("§1.1031(k)-1(c)(2)"), "{words}");
    }
    let (_, list) = nov10
        .get(&format!("/api/exchanges/{id}/notices"), &coord)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 0, "nothing stored: {list}");
    let (s, n) = nov10
        .post(
            &path,
            &coord,
            json!({"delivered_on": "2026-11-10", "received_by": "Dana Reyes (the intermediary)", "document_id": did, "properties": three()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
}

/// QA: a coordinator handed an exchange to another client after its taxpayer had signed an
/// identification, and the new client revoked it; an administrator made the taxpayer of an
/// open exchange a coordinator, who then paid a fee out of their own exchange funds. The
/// client stays the taxpayer once a signed identification is in force (Treas. Reg.
/// §1.1031(k)-1(c)(2), (c)(6)), unless an administrator corrects it with a written reason; the
/// client of an open exchange cannot be given a staff role ((g)(6)).
async fn the_client_stays_the_taxpayer(t: &TestApp) {
    let (admin, _, _) = t.signup("same-taxpayer").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (robin, robin_id) = t.user_named(&admin, "client", "Robin Roe").await;
    let (_, kim_id) = t.user_named(&admin, "client", "Kim Poe").await;
    let nov10 = t.on(date(2026, 11, 10));
    let (s, ex) = nov10
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Roe", "client_id": robin_id, "file": autumn_file()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    let path = format!("/api/exchanges/{id}");
    // Before anything is signed, the client can still be changed (a wrong login picked).
    let (s, v) = nov10
        .call(
            "PATCH",
            &path,
            &coord,
            Some(json!({"version": ex["version"], "client_id": kim_id})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = nov10
        .call(
            "PATCH",
            &path,
            &coord,
            Some(json!({"version": v["version"], "client_id": robin_id})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, n) = nov10
        .post(
            &format!("{path}/notices"),
            &robin,
            json!({"identified_on": "2026-11-10", "properties": three()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    let nid = n["id"].as_str().unwrap();
    let (s, n) = nov10
        .post(&format!("{path}/notices/{nid}/sign"), &robin, json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{n}");
    let (_, cur) = nov10.get(&path, &coord).await;
    let (s, e) = nov10
        .call(
            "PATCH",
            &path,
            &coord,
            Some(json!({"version": cur["version"], "client_id": kim_id})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fe = &e["error"]["fields"][0];
    assert_eq!(fe["path"], "client_id", "{e}");
    assert_eq!(fe["rule"], "identification_signed", "{e}");
    let words = fe["message"].as_str().unwrap();
    assert!(words.contains("Nov 10, 2026"), "{words}");
    assert!(words.contains("(c)(6)"), "{words}");
    let reason = "Robin's second login, same taxpayer";
    let (s, e) = nov10
        .call(
            "PATCH",
            &path,
            &coord,
            Some(
                json!({"version": cur["version"], "client_id": kim_id, "override_reason": reason}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (_, still) = nov10.get(&path, &coord).await;
    assert_eq!(still["client_id"], robin_id.as_str(), "nothing stored");
    // The taxpayer of an open exchange is not made staff; a client of none may be.
    let (s, e) = t
        .call(
            "PATCH",
            &format!("/api/users/{robin_id}"),
            &admin,
            Some(json!({"role": "coordinator"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let words = e["error"]["message"].as_str().unwrap();
    assert!(words.contains("\"Roe\""), "{words}");
    assert!(words.contains("(g)(6)"), "{words}");
    let (s, u) = t
        .call(
            "PATCH",
            &format!("/api/users/{kim_id}"),
            &admin,
            Some(json!({"role": "coordinator"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    // An administrator corrects the client with a written reason.
    let (_, kim2) = t.user_named(&admin, "client", "Kim Poe").await;
    let (s, v) = nov10
        .call(
            "PATCH",
            &path,
            &admin,
            Some(json!({"version": cur["version"], "client_id": kim2, "override_reason": reason})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["client_id"], kim2.as_str());
}

async fn login(t: &TestApp, email: &str, password: &str) -> (StatusCode, Option<As>) {
    let (s, h, b) = t
        .raw(TestApp::request(
            "POST",
            "/api/login",
            &As::Nobody,
            Some(&json!({"email": email, "password": password})),
        ))
        .await;
    if s != StatusCode::OK {
        return (s, None);
    }
    let v: Value = serde_json::from_slice(&b).unwrap();
    (
        s,
        Some(As::Session(
            cookie_of(&h),
            v["csrf_token"].as_str().unwrap().to_string(),
        )),
    )
}

/// A user with a session and an API token.
async fn person(t: &TestApp, admin: &As, role: &str) -> (String, String, As, As) {
    let email = format!("{role}-{}@example.com", uniq());
    let (s, u) = t
        .post(
            "/api/users",
            admin,
            json!({"email": email, "name": format!("Sam {role}"), "role": role, "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    assert_eq!(u["active"], true);
    let (_, session) = login(t, &email, "correct horse battery").await;
    let session = session.unwrap();
    let (s, tok) = t
        .post("/api/tokens", &session, json!({"name": "script"}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    (
        u["id"].as_str().unwrap().to_string(),
        email,
        session,
        As::Token(tok["token"].as_str().unwrap().to_string()),
    )
}

async fn firm_actions(t: &TestApp, firm: &str) -> Vec<(String, String, String)> {
    t.store
        .list_firm_audit(firm, 200)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.actor_id.unwrap_or_default(), e.entity_id))
        .collect()
}

async fn accounts(t: &TestApp) {
    let (admin, admin_id, firm) = t.signup("accounts").await;
    let (uid, email, session, token) = person(t, &admin, "coordinator").await;
    assert_eq!(t.get("/api/me", &session).await.0, StatusCode::OK);
    assert_eq!(t.get("/api/me", &token).await.0, StatusCode::OK);

    // Only an administrator manages users.
    let (s, _) = t
        .call(
            "PATCH",
            &format!("/api/users/{uid}"),
            &token,
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = t
        .call(
            "PATCH",
            &format!("/api/users/{uid}"),
            &admin,
            Some(json!({})),
        )
        .await;
    // An empty change is no change (PATCH): the user as they are.
    assert_eq!(s, StatusCode::OK, "{e}");

    // Deactivated: the session and the token that worked stop at once; no login.
    let (s, u) = t
        .call(
            "PATCH",
            &format!("/api/users/{uid}"),
            &admin,
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["active"], false);
    assert_eq!(t.get("/api/me", &session).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(t.get("/api/me", &token).await.0, StatusCode::UNAUTHORIZED);
    let (s, _) = login(t, &email, "correct horse battery").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = t
        .post(&format!("/api/users/{uid}/reset-link"), &admin, json!({}))
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "no reset link for a deactivated user"
    );
    // Reactivated: they log in again; the old token stays revoked.
    let (s, u) = t
        .call(
            "PATCH",
            &format!("/api/users/{uid}"),
            &admin,
            Some(json!({"active": true})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    let (s, session) = login(t, &email, "correct horse battery").await;
    assert_eq!(s, StatusCode::OK);
    let session = session.unwrap();
    assert_eq!(t.get("/api/me", &token).await.0, StatusCode::UNAUTHORIZED);

    // Roles: changed by the admin; the firm keeps an administrator.
    let (s, e) = t
        .call(
            "PATCH",
            &format!("/api/users/{admin_id}"),
            &admin,
            Some(json!({"role": "coordinator"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("last active administrator")
    );
    let (s, e) = t
        .call(
            "PATCH",
            &format!("/api/users/{admin_id}"),
            &admin,
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(t.get("/api/me", &admin).await.0, StatusCode::OK);
    let (s, u) = t
        .call(
            "PATCH",
            &format!("/api/users/{uid}"),
            &admin,
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["role"], "admin");
    let (_, me) = t.get("/api/me", &session).await;
    assert_eq!(me["user"]["role"], "admin");
    let (s, u) = t
        .call(
            "PATCH",
            &format!("/api/users/{uid}"),
            &admin,
            Some(json!({"role": "preparer"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["role"], "preparer");

    // A one-time reset link.
    let (s, l) = t
        .post(&format!("/api/users/{uid}/reset-link"), &admin, json!({}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    let tok = l["token"].as_str().unwrap().to_string();
    assert_eq!(l["path"], format!("/reset/{tok}"));
    // Stored hashed: the database never holds the token itself.
    let n = t
        .store
        .raw_execute_for_tests(
            "UPDATE password_resets SET used_at = NULL WHERE token_hash = $1",
            &tok,
        )
        .await
        .unwrap();
    assert_eq!(n, 0, "the token is not stored as such");
    let reset = |token: &str, pw: &str| json!({"token": token, "password": pw});
    let (s, e) = t
        .post("/api/password-reset", &As::Nobody, reset(&tok, "short"))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = t
        .post(
            "/api/password-reset",
            &As::Nobody,
            reset("0000", "a brand new passphrase"),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    let (s, e) = t
        .post(
            "/api/password-reset",
            &As::Nobody,
            reset(&tok, "a brand new passphrase"),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{e}");
    assert_eq!(
        t.get("/api/me", &session).await.0,
        StatusCode::UNAUTHORIZED,
        "sessions end"
    );
    assert_eq!(
        login(t, &email, "correct horse battery").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login(t, &email, "a brand new passphrase").await.0,
        StatusCode::OK
    );
    // Twice: refused in words.
    let (s, e) = t
        .post(
            "/api/password-reset",
            &As::Nobody,
            reset(&tok, "another new passphrase"),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already been used"),
        "{e}"
    );
    // Expired: refused in words.
    let (_, l) = t
        .post(&format!("/api/users/{uid}/reset-link"), &admin, json!({}))
        .await;
    let tok2 = l["token"].as_str().unwrap().to_string();
    let hash = likekind_server::auth::hash_secret(&tok2);
    let n = t
        .store
        .raw_execute_for_tests(
            "UPDATE password_resets SET expires_at = 0 WHERE token_hash = $1",
            &hash,
        )
        .await
        .unwrap();
    assert_eq!(n, 1);
    let (s, e) = t
        .post(
            "/api/password-reset",
            &As::Nobody,
            reset(&tok2, "another new passphrase"),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("expired"),
        "{e}"
    );
    assert_eq!(
        login(t, &email, "a brand new passphrase").await.0,
        StatusCode::OK
    );
    // A newer link replaces an older unused one.
    let (_, l3) = t
        .post(&format!("/api/users/{uid}/reset-link"), &admin, json!({}))
        .await;
    let (_, l4) = t
        .post(&format!("/api/users/{uid}/reset-link"), &admin, json!({}))
        .await;
    let (s, _) = t
        .post(
            "/api/password-reset",
            &As::Nobody,
            reset(l3["token"].as_str().unwrap(), "yet another passphrase"),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = t
        .post(
            "/api/password-reset",
            &As::Nobody,
            reset(l4["token"].as_str().unwrap(), "yet another passphrase"),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);

    // Another firm's admin cannot touch this firm's user (neutral 404).
    let (b_admin, _, _) = t.signup("other").await;
    let (s, _) = t
        .call(
            "PATCH",
            &format!("/api/users/{uid}"),
            &b_admin,
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = t
        .post(&format!("/api/users/{uid}/reset-link"), &b_admin, json!({}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Two administrators deactivating each other at once: the firm keeps one.
    let (p_admin, p_id, p_firm) = t.signup("pair").await;
    let (q_id, _, q_admin, _) = person(t, &p_admin, "admin").await;
    let (pq, qp) = (format!("/api/users/{q_id}"), format!("/api/users/{p_id}"));
    let ((s1, _), (s2, _)) = tokio::join!(
        t.call("PATCH", &pq, &p_admin, Some(json!({"active": false}))),
        t.call("PATCH", &qp, &q_admin, Some(json!({"active": false}))),
    );
    assert_eq!(
        [s1, s2].iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{s1} {s2}"
    );
    let active_admins = t
        .store
        .list_users(
            &p_firm,
            likekind_store::PageReq {
                after: None,
                limit: 10,
            },
        )
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.active && u.role == likekind_store::Role::Admin)
        .count();
    assert_eq!(active_admins, 1);

    // All audited: who did it to whom.
    let acts = firm_actions(t, &firm).await;
    for (action, actor) in [
        ("user.deactivate", admin_id.as_str()),
        ("user.reactivate", admin_id.as_str()),
        ("user.role", admin_id.as_str()),
        ("user.reset_link", admin_id.as_str()),
        ("user.password_reset", uid.as_str()),
    ] {
        assert!(
            acts.iter()
                .any(|(a, who, whom)| a == action && who == actor && whom == &uid),
            "{action} by {actor} on {uid} not in {acts:?}"
        );
    }
}

#[tokio::test]
async fn late_identification_and_paper_notice_on_sqlite() {
    late_identification_and_paper_notice(&sqlite().await).await;
}

#[tokio::test]
async fn no_identification_by_editing_after_day_45_on_sqlite() {
    no_identification_by_editing_after_day_45(&sqlite().await).await;
}

#[tokio::test]
async fn no_identification_by_editing_after_day_45_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "no_identification_by_editing_after_day_45_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    no_identification_by_editing_after_day_45(&at_url(&url).await).await;
}

#[tokio::test]
async fn late_closings_need_the_ledgers_evidence_on_sqlite() {
    late_closings_need_the_ledgers_evidence(&sqlite().await).await;
}

#[tokio::test]
async fn late_closings_need_the_ledgers_evidence_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "late_closings_need_the_ledgers_evidence_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    late_closings_need_the_ledgers_evidence(&at_url(&url).await).await;
}

#[tokio::test]
async fn paper_notice_not_received_by_the_taxpayer_on_sqlite() {
    paper_notice_not_received_by_the_taxpayer(&sqlite().await).await;
}

#[tokio::test]
async fn paper_notice_not_received_by_the_taxpayer_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "paper_notice_not_received_by_the_taxpayer_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    paper_notice_not_received_by_the_taxpayer(&at_url(&url).await).await;
}

#[tokio::test]
async fn accounts_on_sqlite() {
    accounts(&sqlite().await).await;
}

#[tokio::test]
async fn late_identification_and_paper_notice_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "late_identification_and_paper_notice_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    late_identification_and_paper_notice(&at_url(&url).await).await;
}

#[tokio::test]
async fn accounts_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!("accounts_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
        return;
    };
    accounts(&at_url(&url).await).await;
}

#[tokio::test]
async fn the_client_stays_the_taxpayer_on_sqlite() {
    the_client_stays_the_taxpayer(&sqlite().await).await;
}

#[tokio::test]
async fn the_client_stays_the_taxpayer_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!("the_client_stays_the_taxpayer_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
        return;
    };
    the_client_stays_the_taxpayer(&at_url(&url).await).await;
}
