//! The story of one exchange, end to end through the API, on SQLite and on PostgreSQL:
//! a firm and its users, an exchange opened, the sale closed, the receipt posted, the
//! replacement identified and signed, the purchase closed, the disbursement approved by a
//! second person, the remainder released when (g)(6) allows, and the exchange completed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

async fn story(t: &TestApp) {
    let (admin, _admin_id, _firm) = t.signup("acme").await;
    let (coord, coord_id) = t.user(&admin, "coordinator").await;
    let (coord2, _) = t.user(&admin, "coordinator").await;
    let (client, client_id) = t.user(&admin, "client").await;

    // Open the exchange for the client, the day before the sale closes.
    let (s, ex) = t
        .on(jiff::civil::date(2026, 3, 1))
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Doe: Oak for Elm", "client_id": client_id, "file": file()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    assert_eq!(ex["status"], "draft");
    assert_eq!(ex["deadlines"]["identification_end"], "2026-04-16");

    // The sale closes (recorded a week later); the proceeds arrive.
    let (s, v) = t
        .on(jiff::civil::date(2026, 3, 9))
        .post(
            &format!("/api/exchanges/{id}/events"),
            &coord,
            json!({"kind": "relinquished_closed", "on_date": "2026-03-02"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        v["status"], "identification_period",
        "2026-03-09 is before day 45"
    );
    let (s, v) = t
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &coord,
            json!({"kind": "receipt", "amount": "1000000.00", "memo": "sale of oak"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["balance"], "1000000.00");

    // The client identifies elm and signs the notice.
    let (s, n) = t.on(jiff::civil::date(2026, 4, 1)).post(&format!("/api/exchanges/{id}/notices"), &client, json!({"identified_on": "2026-04-01", "properties": [{"id": "elm", "description": "12 Elm St, Austin TX", "fmv": "1000000"}]})).await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    assert_eq!(n["judgement"]["accepted"], true, "{n}");
    assert_eq!(n["judgement"]["identification"]["rule"], "three_property");
    let nid = n["id"].as_str().unwrap();
    // ... on 2026-04-10, inside the identification period.
    let (s, n) = t
        .on(jiff::civil::date(2026, 4, 10))
        .post(
            &format!("/api/exchanges/{id}/notices/{nid}/sign"),
            &client,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{n}");
    assert_eq!(n["status"], "signed");

    // Nothing may go back to the client before the exchange period ends: elm not yet received.
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &coord,
            json!({"kind": "release", "amount": "1.00"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["code"], "release_before_allowed");
    assert_eq!(e["error"]["details"]["earliest_allowed"], "2026-08-30");

    // The purchase closes: elm received on 2026-06-15. Not recorded before that day (a closing
    // that has not happened would drive the verdict), and nothing is paid to it before then.
    let (_, cur) = t.get(&format!("/api/exchanges/{id}"), &coord).await;
    let mut f = cur["file"].clone();
    f["replacement"] =
        json!([{"id": "elm", "location": "TX", "received": "2026-06-15", "price": "990000"}]);
    let (s, v) = t
        .call(
            "PATCH",
            &format!("/api/exchanges/{id}"),
            &coord,
            Some(json!({"version": cur["version"], "file": f.clone()})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = t.pay_closing(&coord, &id, "elm", "990000.00", "").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let may = t;
    let june = t.on(jiff::civil::date(2026, 6, 15));
    let t = &june;
    let (s, v) = t
        .call(
            "PATCH",
            &format!("/api/exchanges/{id}"),
            &coord,
            Some(json!({"version": cur["version"], "file": f})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = t
        .post(
            &format!("/api/exchanges/{id}/events"),
            &coord,
            json!({"kind": "replacement_closed", "on_date": "2026-06-15"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);

    // Disburse to the purchase: above the threshold, so a second person approves.
    let (s, v) = t
        .pay_closing(&coord, &id, "elm", "990000.00", "purchase of elm")
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let aid = v["approval"]["id"].as_str().unwrap().to_string();
    assert_eq!(v["balance"], "1000000.00");
    let (s, _) = t
        .post(
            &format!("/api/exchanges/{id}/approvals/{aid}/approve"),
            &coord,
            json!({}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "the requester cannot approve their own"
    );
    let (s, v) = t
        .post(
            &format!("/api/exchanges/{id}/approvals/{aid}/approve"),
            &coord2,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["balance"], "10000.00");
    assert_eq!(v["posting"]["created_by"], coord_id.as_str());

    // Fee, then the rest released: all identified property received on 2026-06-15.
    let (s, _) = t
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &coord,
            json!({"kind": "fee", "amount": "1000"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = t
        .post(
            &format!("/api/exchanges/{id}/events"),
            &coord,
            json!({"kind": "completed", "on_date": "2026-06-15"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "cannot complete while funds are held"
    );
    let (s, v) = t
        .on(jiff::civil::date(2026, 6, 16))
        .post(
            &format!("/api/exchanges/{id}/ledger"),
            &coord,
            json!({"kind": "release", "amount": "9000", "memo": "remainder to the taxpayer"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["balance"], "0.00");

    // Complete (on the day it is closed: a closing is recorded once it happened).
    let (s, v) = t
        .on(jiff::civil::date(2026, 6, 16))
        .post(
            &format!("/api/exchanges/{id}/events"),
            &coord,
            json!({"kind": "completed", "on_date": "2026-06-16"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "completed");

    // The ledger: four postings in order, reconciled to zero.
    let (_, l) = t.get(&format!("/api/exchanges/{id}/ledger"), &client).await;
    let kinds: Vec<_> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["receipt", "disbursement", "fee", "release"]);
    assert_eq!(l["balance"], "0.00");

    let t = may;
    // The analysis is the CLI's report for the same file and date.
    let (_, cur) = t.get(&format!("/api/exchanges/{id}"), &client).await;
    let (s, _, body) = t
        .raw(TestApp::request(
            "GET",
            &format!("/api/exchanges/{id}/analysis"),
            &client,
            None,
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let file = likekind_core::parse_exchange(&cur["file"].to_string(), likekind_core::Format::Json)
        .unwrap();
    let report = likekind_core::analyze(&file, today());
    // Compact by default; `?pretty=true` is the CLI's indented report byte for byte.
    assert_eq!(
        String::from_utf8(body).unwrap(),
        serde_json::to_string(&report).unwrap()
    );
    let (s, _, body) = t
        .raw(TestApp::request(
            "GET",
            &format!("/api/exchanges/{id}/analysis?pretty=true"),
            &client,
            None,
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        String::from_utf8(body).unwrap(),
        likekind_render::json(&report)
    );

    // Every step is in the audit log.
    let (_, a) = t
        .get(&format!("/api/exchanges/{id}/audit?limit=500"), &admin)
        .await;
    let actions: Vec<_> = a["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["action"].as_str().unwrap().to_string())
        .collect();
    for want in [
        "exchange.create",
        "exchange.event",
        "ledger.post",
        "notice.submit",
        "notice.sign",
        "exchange.update",
        "ledger.approval.request",
        "ledger.approval.approve",
    ] {
        assert!(
            actions.iter().any(|x| x == want),
            "{want} missing from {actions:?}"
        );
    }
    firm_audit(t, &admin, &coord, &coord_id, &client, &id).await;
}

/// The firm-wide audit log: filters by kind, person, exchange and days; keyset pages without
/// overlap, newest first; every bad filter named at once; never for a client.
async fn firm_audit(t: &TestApp, admin: &As, coord: &As, coord_id: &str, client: &As, id: &str) {
    let items = |v: &Value| v["items"].as_array().unwrap().clone();
    let (s, all) = t.get("/api/audit?limit=500", admin).await;
    assert_eq!(s, StatusCode::OK, "{all}");
    let all = items(&all);
    assert!(all.len() >= 8, "{all:?}");
    let ids: Vec<&str> = all.iter().map(|x| x["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids, sorted, "newest first");
    // Kind: a family of actions.
    let (_, led) = t.get("/api/audit?kind=ledger&limit=500", admin).await;
    let led = items(&led);
    assert!(!led.is_empty());
    assert!(
        led.iter()
            .all(|x| x["action"].as_str().unwrap().starts_with("ledger."))
    );
    assert!(led.iter().any(|x| x["action"] == "ledger.approval.approve"));
    // Person and exchange.
    let (_, mine) = t
        .get(&format!("/api/audit?person={coord_id}&limit=500"), admin)
        .await;
    let mine = items(&mine);
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|x| x["actor_id"] == coord_id));
    assert!(mine.len() < all.len());
    let (_, ex) = t
        .get(&format!("/api/audit?exchange={id}&limit=500"), coord)
        .await;
    assert!(items(&ex).iter().all(|x| x["exchange_id"] == id));
    // Days (the firm's calendar): the changes are today's, none in 2000.
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let (y, tm) = (today.yesterday().unwrap(), today.tomorrow().unwrap());
    let (_, around) = t
        .get(&format!("/api/audit?from={y}&to={tm}&limit=500"), admin)
        .await;
    assert_eq!(items(&around).len(), all.len());
    let (_, old) = t
        .get("/api/audit?from=2000-01-01&to=2000-12-31", admin)
        .await;
    assert!(items(&old).is_empty());
    // Keyset pages: two at a time, no overlap, the same entries in the same order.
    let mut seen: Vec<String> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let q = match &after {
            Some(a) => format!("/api/audit?limit=2&after={a}"),
            None => "/api/audit?limit=2".into(),
        };
        let (_, p) = t.get(&q, admin).await;
        seen.extend(
            items(&p)
                .iter()
                .map(|x| x["id"].as_str().unwrap().to_string()),
        );
        match p["next"].as_str() {
            Some(n) => after = Some(n.to_string()),
            None => break,
        }
        assert!(seen.len() <= all.len(), "pages never end");
    }
    assert_eq!(seen, ids);
    // Every bad filter at once, named.
    let (s, e) = t
        .get(
            "/api/audit?from=yesterday&to=2026-01-01&kind=DROP%20TABLE&limit=0",
            admin,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let paths: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["from", "kind", "limit"]);
    let (s, e) = t
        .get("/api/audit?from=2026-02-01&to=2026-01-01", admin)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["fields"][0]["rule"], "date_order");
    // What the schema refuses the server refuses (schemathesis found both): an empty day, a
    // day with a time, an empty kind; and what it accepts is accepted.
    for q in [
        "to=",
        "from=2026-01-01T10:00",
        "from=%202026-01-01",
        "kind=",
    ] {
        let (s, _) = t.get(&format!("/api/audit?{q}"), admin).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
    }
    let (s, _) = t
        .get("/api/audit?kind=ledger.post&exchange=%C2%B6", admin)
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = t.get("/api/audit", client).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// A second server process on the same database sees everything and honours the same
/// credentials: the server keeps no state of its own.
async fn second_process_shares_state(url: &str) {
    let t1 = at_url(url).await;
    let (admin, _, _) = t1.signup("shared").await;
    let (s, ex) = t1
        .post(
            "/api/exchanges",
            &admin,
            json!({"name": "S", "file": file()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let t2 = at_url(url).await;
    let (s, v) = t2
        .get(
            &format!("/api/exchanges/{}", ex["id"].as_str().unwrap()),
            &admin,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = t2.call("POST", "/api/logout", &admin, None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = t1.get("/api/me", &admin).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "logged out everywhere");
}

#[tokio::test]
async fn story_on_sqlite() {
    let t = sqlite().await;
    story(&t).await;
}

#[tokio::test]
async fn two_processes_share_one_database() {
    let dir = tempfile::tempdir().unwrap();
    second_process_shares_state(&format!("sqlite://{}", dir.path().join("two.db").display())).await;
    if let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") {
        second_process_shares_state(&url).await;
    } else {
        eprintln!(
            "two_processes_share_one_database: PostgreSQL part NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
    }
}

#[tokio::test]
async fn story_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "story_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL=postgres://... to run it; .ci/pg.sh does)"
        );
        return;
    };
    let t = at_url(&url).await;
    story(&t).await;
    assert_eq!(
        t.store.applied_migrations().await.unwrap(),
        vec![
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23
        ]
    );
}

#[tokio::test]
async fn migrations_apply_once_and_reopen_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("m.db").display());
    let s = likekind_store::Store::open(&url).await.unwrap();
    assert_eq!(
        s.applied_migrations().await.unwrap(),
        vec![
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23
        ]
    );
    drop(s);
    let s = likekind_store::Store::open(&url).await.unwrap();
    assert_eq!(
        s.applied_migrations().await.unwrap(),
        vec![
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23
        ]
    );
}
