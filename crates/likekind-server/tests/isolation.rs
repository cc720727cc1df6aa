//! Tenancy: a user never reads or writes another firm's data, and a client never sees
//! another client's exchange, on every endpoint. The list of endpoints is checked against
//! the OpenAPI document, so a new endpoint without a case here fails this test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::http::{StatusCode, header};
use common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;

struct FirmA {
    admin: As,
    ex: String,
    approval: String,
    notice: String,
    document: String,
    token_id: String,
    client1_id: String,
    webhook: String,
    delivery: String,
    coord_id: String,
}

async fn firm_a(t: &TestApp) -> (FirmA, As) {
    let (admin, _, _) = t.signup("a").await;
    let (coord, coord_id) = t.user(&admin, "coordinator").await;
    let (c1, c1_id) = t.user(&admin, "client").await;
    let (c2, c2_id) = t.user(&admin, "client").await;
    let (_, ex) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "A1", "client_id": c1_id, "file": file()}),
        )
        .await;
    let ex = ex["id"].as_str().unwrap().to_string();
    let (_, _) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "A2", "client_id": c2_id, "file": file()}),
        )
        .await;
    t.post(
        &format!("/api/exchanges/{ex}/events"),
        &coord,
        json!({"kind": "relinquished_closed", "on_date": "2026-03-02"}),
    )
    .await;
    t.post(
        &format!("/api/exchanges/{ex}/ledger"),
        &coord,
        json!({"kind": "receipt", "amount": "1000000"}),
    )
    .await;
    let (s, v) = t
        .record_closing_that_day(&coord, &ex, "elm", "2026-04-10", "950000", "0")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, ap) = t
        .post(
            &format!("/api/exchanges/{ex}/ledger"),
            &coord,
            json!({"kind": "disbursement", "amount": "900000", "property": "elm"}),
        )
        .await;
    assert!(ap["approval"]["id"].is_string(), "{ap}");
    let (_, n) = t.on(jiff::civil::date(2026, 4, 1)).post(&format!("/api/exchanges/{ex}/notices"), &c1, json!({"identified_on": "2026-04-01", "properties": [{"id": "elm", "description": "12 Elm", "fmv": "1000000"}]})).await;
    let mut r = TestApp::request(
        "POST",
        &format!("/api/exchanges/{ex}/documents?kind=assignment&filename=a.pdf"),
        &coord,
        None,
    );
    *r.body_mut() = Body::from("secret assignment");
    let (_, _, d) = t.raw(r).await;
    let d: Value = serde_json::from_slice(&d).unwrap();
    let (_, tok) = t.post("/api/tokens", &admin, json!({"name": "a"})).await;
    let (_, hook) = t
        .post(
            "/api/webhooks",
            &admin,
            json!({"url": "https://a.example/hooks"}),
        )
        .await;
    t.store
        .expand_events(jiff::Timestamp::now().as_millisecond(), "UTC", 1000)
        .await
        .unwrap();
    let (_, dl) = t.get("/api/notifications/deliveries", &admin).await;
    (
        FirmA {
            admin,
            ex,
            approval: ap["approval"]["id"].as_str().unwrap().to_string(),
            notice: n["id"].as_str().unwrap().to_string(),
            document: d["id"].as_str().unwrap().to_string(),
            token_id: tok["api_token"]["id"].as_str().unwrap().to_string(),
            client1_id: c1_id,
            webhook: hook["endpoint"]["id"].as_str().unwrap().to_string(),
            delivery: dl["items"][0]["id"].as_str().unwrap().to_string(),
            coord_id,
        },
        c2,
    )
}

/// Every endpoint, as (method, OpenAPI path, concrete path, body).
fn endpoints(a: &FirmA) -> Vec<(&'static str, &'static str, String, Option<Value>)> {
    let e = &a.ex;
    vec![
        (
            "DELETE",
            "/api/webhooks/{webhook_id}",
            format!("/api/webhooks/{}", a.webhook),
            None,
        ),
        (
            "POST",
            "/api/notifications/deliveries/{delivery_id}/retry",
            format!("/api/notifications/deliveries/{}/retry", a.delivery),
            None,
        ),
        (
            "GET",
            "/api/exchanges/{id}",
            format!("/api/exchanges/{e}"),
            None,
        ),
        (
            "PATCH",
            "/api/exchanges/{id}",
            format!("/api/exchanges/{e}"),
            Some(json!({"version": 1, "name": "stolen"})),
        ),
        (
            "GET",
            "/api/exchanges/{id}/ledger.csv",
            format!("/api/exchanges/{e}/ledger.csv"),
            None,
        ),
        (
            "PUT",
            "/api/exchanges/{id}/coordinator",
            format!("/api/exchanges/{e}/coordinator"),
            Some(json!({"coordinator_id": null})),
        ),
        (
            "GET",
            "/api/exchanges/{id}/analysis",
            format!("/api/exchanges/{e}/analysis"),
            None,
        ),
        (
            "GET",
            "/api/exchanges/{id}/report.pdf",
            format!("/api/exchanges/{e}/report.pdf"),
            None,
        ),
        (
            "GET",
            "/api/exchanges/{id}/notice.pdf",
            format!("/api/exchanges/{e}/notice.pdf"),
            None,
        ),
        (
            "GET",
            "/api/exchanges/{id}/statement.pdf",
            format!("/api/exchanges/{e}/statement.pdf"),
            None,
        ),
        (
            "GET",
            "/api/exchanges/{id}/plan.pdf",
            format!("/api/exchanges/{e}/plan.pdf"),
            None,
        ),
        (
            "POST",
            "/api/exchanges/{id}/events",
            format!("/api/exchanges/{e}/events"),
            Some(json!({"kind": "note", "on_date": "2026-04-01", "note": "x"})),
        ),
        (
            "GET",
            "/api/exchanges/{id}/events",
            format!("/api/exchanges/{e}/events"),
            None,
        ),
        (
            "POST",
            "/api/exchanges/{id}/close",
            format!("/api/exchanges/{e}/close"),
            Some(json!({"as": "failed", "reason": "x"})),
        ),
        (
            "POST",
            "/api/exchanges/{id}/reopen",
            format!("/api/exchanges/{e}/reopen"),
            Some(json!({"reason": "x"})),
        ),
        (
            "POST",
            "/api/exchanges/{id}/parties",
            format!("/api/exchanges/{e}/parties"),
            Some(json!({"role": "buyer", "name": "x"})),
        ),
        (
            "GET",
            "/api/exchanges/{id}/parties",
            format!("/api/exchanges/{e}/parties"),
            None,
        ),
        (
            "GET",
            "/api/exchanges/{id}/audit",
            format!("/api/exchanges/{e}/audit"),
            None,
        ),
        (
            "POST",
            "/api/exchanges/{id}/ledger",
            format!("/api/exchanges/{e}/ledger"),
            Some(json!({"kind": "fee", "amount": "1"})),
        ),
        (
            "GET",
            "/api/exchanges/{id}/ledger",
            format!("/api/exchanges/{e}/ledger"),
            None,
        ),
        (
            "GET",
            "/api/exchanges/{id}/approvals",
            format!("/api/exchanges/{e}/approvals"),
            None,
        ),
        (
            "POST",
            "/api/exchanges/{id}/approvals/{approval_id}/approve",
            format!("/api/exchanges/{e}/approvals/{}/approve", a.approval),
            Some(json!({})),
        ),
        (
            "POST",
            "/api/exchanges/{id}/approvals/{approval_id}/reject",
            format!("/api/exchanges/{e}/approvals/{}/reject", a.approval),
            Some(json!({})),
        ),
        (
            "POST",
            "/api/exchanges/{id}/notices",
            format!("/api/exchanges/{e}/notices"),
            Some(
                json!({"identified_on": "2026-04-01", "properties": [{"id": "x", "description": "x", "fmv": "1"}]}),
            ),
        ),
        (
            "GET",
            "/api/exchanges/{id}/notices",
            format!("/api/exchanges/{e}/notices"),
            None,
        ),
        (
            "POST",
            "/api/exchanges/{id}/notices/{notice_id}/sign",
            format!("/api/exchanges/{e}/notices/{}/sign", a.notice),
            Some(json!({})),
        ),
        (
            "POST",
            "/api/exchanges/{id}/notices/{notice_id}/revoke",
            format!("/api/exchanges/{e}/notices/{}/revoke", a.notice),
            Some(json!({"revoked_on": "2026-04-02"})),
        ),
        (
            "POST",
            "/api/exchanges/{id}/documents",
            format!("/api/exchanges/{e}/documents?kind=other&filename=x.txt"),
            None,
        ),
        (
            "GET",
            "/api/exchanges/{id}/documents",
            format!("/api/exchanges/{e}/documents"),
            None,
        ),
        (
            "GET",
            "/api/exchanges/{id}/documents/{document_id}",
            format!("/api/exchanges/{e}/documents/{}", a.document),
            None,
        ),
        (
            "POST",
            "/api/exchanges/{id}/notices/paper",
            format!("/api/exchanges/{e}/notices/paper"),
            Some(
                json!({"delivered_on": "2026-04-01", "received_by": "Intruder", "document_id": a.document, "properties": [{"id": "x", "description": "x", "fmv": "1"}]}),
            ),
        ),
        (
            "PATCH",
            "/api/users/{user_id}",
            format!("/api/users/{}", a.client1_id),
            Some(json!({"active": false})),
        ),
        (
            "POST",
            "/api/users/{user_id}/reset-link",
            format!("/api/users/{}/reset-link", a.client1_id),
            Some(json!({})),
        ),
        (
            "DELETE",
            "/api/tokens/{token_id}",
            format!("/api/tokens/{}", a.token_id),
            None,
        ),
    ]
}

/// Endpoints not addressed by another firm's ids: checked by what they return instead.
const FIRM_SCOPED: &[(&str, &str)] = &[
    ("POST", "/api/signup"),
    ("POST", "/api/login"),
    ("POST", "/api/password-reset"),
    ("POST", "/api/logout"),
    ("GET", "/api/me"),
    ("POST", "/api/tokens"),
    ("GET", "/api/tokens"),
    ("POST", "/api/users"),
    ("GET", "/api/users"),
    ("PATCH", "/api/firm"),
    ("POST", "/api/exchanges"),
    ("GET", "/api/exchanges"),
    ("GET", "/api/exchanges/search"),
    ("GET", "/api/exchanges/search.csv"),
    ("GET", "/api/alerts"),
    ("GET", "/api/calendar.ics"),
    ("GET", "/api/audit"),
    ("GET", "/api/notifications/settings"),
    ("PATCH", "/api/notifications/settings"),
    ("GET", "/api/notifications/preferences"),
    ("PUT", "/api/notifications/preferences"),
    ("POST", "/api/notifications/unsubscribe"),
    ("GET", "/api/notifications/deliveries"),
    ("POST", "/api/webhooks"),
    ("GET", "/api/webhooks"),
];

async fn snapshot(t: &TestApp, a: &FirmA) -> Value {
    let e = &a.ex;
    let (_, ex) = t.get(&format!("/api/exchanges/{e}"), &a.admin).await;
    let (_, audit) = t
        .get(&format!("/api/exchanges/{e}/audit?limit=500"), &a.admin)
        .await;
    let (_, ledger) = t.get(&format!("/api/exchanges/{e}/ledger"), &a.admin).await;
    let (_, approvals) = t
        .get(&format!("/api/exchanges/{e}/approvals"), &a.admin)
        .await;
    let (_, notices) = t
        .get(&format!("/api/exchanges/{e}/notices"), &a.admin)
        .await;
    let (_, docs) = t
        .get(&format!("/api/exchanges/{e}/documents"), &a.admin)
        .await;
    let (_, parties) = t
        .get(&format!("/api/exchanges/{e}/parties"), &a.admin)
        .await;
    let (_, tokens) = t.get("/api/tokens", &a.admin).await;
    let (_, hooks) = t.get("/api/webhooks", &a.admin).await;
    let (_, deliveries) = t.get("/api/notifications/deliveries", &a.admin).await;
    json!([
        ex, audit, ledger, approvals, notices, docs, parties, tokens, hooks, deliveries
    ])
}

async fn intrude(t: &TestApp, a: &FirmA, who: &As, label: &str) {
    for (method, _, path, body) in endpoints(a) {
        let mut r = TestApp::request(method, &path, who, body.as_ref());
        if path.contains("/documents?") {
            *r.body_mut() = Body::from("planted");
            r.headers_mut()
                .insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        }
        let (s, _, b) = t.raw(r).await;
        assert!(
            s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN,
            "{label}: {method} {path} answered {s}: {}",
            String::from_utf8_lossy(&b)
        );
        let v: Value = serde_json::from_slice(&b).unwrap();
        assert!(
            v["error"]["code"].is_string(),
            "{label}: {method} {path}: {v}"
        );
        assert!(!String::from_utf8_lossy(&b).contains("secret assignment"));
    }
}

async fn isolation(t: &TestApp) {
    let (a, client2) = firm_a(t).await;
    let (b_admin, _, _) = t.signup("b").await;
    let (b_coord, _) = t.user(&b_admin, "coordinator").await;

    // Every endpoint is covered here.
    let spec = likekind_server::openapi();
    let spec = serde_json::to_value(&spec).unwrap();
    let mut all = BTreeSet::new();
    for (p, item) in spec["paths"].as_object().unwrap() {
        for m in item.as_object().unwrap().keys() {
            all.insert((m.to_uppercase(), p.clone()));
        }
    }
    let mut covered: BTreeSet<(String, String)> = endpoints(&a)
        .iter()
        .map(|(m, p, _, _)| (m.to_string(), p.to_string()))
        .collect();
    covered.extend(
        FIRM_SCOPED
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string())),
    );
    assert_eq!(all, covered, "every endpoint needs an isolation case");

    let before = snapshot(t, &a).await;
    intrude(t, &a, &b_admin, "other firm's admin").await;
    intrude(t, &a, &b_coord, "other firm's coordinator").await;
    intrude(t, &a, &client2, "another client of the same firm").await;
    assert_eq!(before, snapshot(t, &a).await, "nothing of firm A changed");

    // Lists and feeds show only one's own.
    let (_, l) = t.get("/api/exchanges", &b_admin).await;
    assert_eq!(l["items"].as_array().unwrap().len(), 0);
    let (_, l) = t.get("/api/exchanges", &client2).await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1);
    assert_ne!(l["items"][0]["id"], a.ex.as_str());
    let (_, l) = t.get("/api/exchanges/search?q=a", &b_admin).await;
    assert_eq!(l["items"].as_array().unwrap().len(), 0);
    let (_, l) = t.get("/api/exchanges/search", &client2).await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1);
    assert_ne!(l["items"][0]["id"], a.ex.as_str());
    let (_, l) = t.get("/api/exchanges/search?q=a1", &client2).await;
    assert_eq!(
        l["items"].as_array().unwrap().len(),
        0,
        "another client's A1"
    );
    let (s, _, csv) = t
        .raw(TestApp::request(
            "GET",
            "/api/exchanges/search.csv",
            &b_admin,
            None,
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        String::from_utf8(csv).unwrap().lines().count(),
        1,
        "the header only"
    );
    let (_, u) = t.get("/api/users", &b_admin).await;
    assert_eq!(
        u["items"].as_array().unwrap().len(),
        2,
        "B's admin and coordinator only"
    );
    let (s, _) = t.get("/api/users", &client2).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, al) = t.get("/api/alerts?within=365", &b_admin).await;
    assert_eq!(al.as_array().unwrap().len(), 0);
    let (_, al) = t.get("/api/alerts?within=365", &client2).await;
    assert!(
        al.as_array()
            .unwrap()
            .iter()
            .all(|x| x["exchange_id"] != a.ex.as_str())
    );
    let (_, _, ics) = t
        .raw(TestApp::request("GET", "/api/calendar.ics", &b_admin, None))
        .await;
    assert_eq!(
        String::from_utf8(ics)
            .unwrap()
            .matches("BEGIN:VEVENT")
            .count(),
        0
    );
    // The firm-wide audit log: one's own firm only, even when asked for another's exchange;
    // never for a client.
    let (s, log) = t.get("/api/audit?limit=500", &a.admin).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["exchange_id"] == a.ex.as_str()),
        "A's admin sees A's changes"
    );
    for q in [
        "/api/audit?limit=500".to_string(),
        format!("/api/audit?exchange={}", a.ex),
    ] {
        let (s, log) = t.get(&q, &b_admin).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            log["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|x| x["exchange_id"] != a.ex.as_str()),
            "{q}: {log}"
        );
    }
    let (s, _) = t.get("/api/audit", &client2).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, me) = t.get("/api/me", &b_admin).await;
    assert_eq!(me["firm"]["name"], "b");
    let (_, toks) = t.get("/api/tokens", &b_admin).await;
    assert_eq!(toks.as_array().unwrap().len(), 0);
    // Another firm's user cannot be made a client of one's exchange.
    let (s, e) = t
        .post(
            "/api/exchanges",
            &b_coord,
            json!({"name": "x", "client_id": a.client1_id, "file": file()}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["fields"][0]["path"], "client_id");
    // Changing one's own firm's settings leaves the other firm alone.
    let (s, _) = t
        .call(
            "PATCH",
            "/api/firm",
            &b_admin,
            Some(json!({"approval_threshold": "1"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, me) = t.get("/api/me", &a.admin).await;
    assert_eq!(me["firm"]["approval_threshold"], "100000.00");
    // Clients cannot touch firm settings, users, or open exchanges.
    for (m, p, b) in [
        ("PATCH", "/api/firm", json!({"approval_threshold": "1"})),
        (
            "POST",
            "/api/users",
            json!({"email": "z@z.example", "name": "z", "role": "admin", "password": "correct horse battery"}),
        ),
        (
            "POST",
            "/api/exchanges",
            json!({"name": "x", "file": file()}),
        ),
    ] {
        let (s, _) = t.call(m, p, &client2, Some(b)).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{m} {p}");
    }
    // Another firm's coordinator cannot be assigned to one's exchange.
    let (_, bx) = t
        .post(
            "/api/exchanges",
            &b_coord,
            json!({"name": "B1", "file": file()}),
        )
        .await;
    let (s, e) = t
        .call(
            "PUT",
            &format!("/api/exchanges/{}/coordinator", bx["id"].as_str().unwrap()),
            &b_admin,
            Some(json!({"coordinator_id": a.coord_id})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["path"], "coordinator_id");
    assert_eq!(
        before,
        snapshot(t, &a).await,
        "still nothing of firm A changed"
    );
}

#[tokio::test]
async fn isolation_on_sqlite() {
    let t = sqlite().await;
    isolation(&t).await;
}

#[tokio::test]
async fn isolation_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!("isolation_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
        return;
    };
    isolation(&at_url(&url).await).await;
}

/// Issue 12: adding a user whose e-mail belongs to another firm answers exactly as for an
/// address taken in one's own firm, never "already exists": nothing tells the admin that the
/// other firm has that person as a user or client. Sign-up answers the same way.
#[tokio::test]
async fn refusals_do_not_reveal_another_firms_users() {
    let t = sqlite().await;
    let (a_admin, _, _) = t.signup("Alpha").await;
    let (b_admin, _, _) = t.signup("Beta").await;
    let theirs = format!("client-{}@example.com", uniq());
    let ours = format!("client-{}@example.com", uniq());
    let user = |email: &str| json!({"email": email, "name": "C", "role": "client", "password": "correct horse battery"});
    let (s, _) = t.post("/api/users", &a_admin, user(&theirs)).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = t.post("/api/users", &b_admin, user(&ours)).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s1, other_firm) = t.post("/api/users", &b_admin, user(&theirs)).await;
    let (s2, own_firm) = t.post("/api/users", &b_admin, user(&ours)).await;
    assert_eq!(s1, StatusCode::UNPROCESSABLE_ENTITY, "{other_firm}");
    assert_eq!(
        (s1, &other_firm),
        (s2, &own_firm),
        "the two refusals are the same"
    );
    assert_eq!(other_firm["error"]["fields"][0]["path"], "email");
    assert_eq!(other_firm["error"]["fields"][0]["rule"], "unavailable");
    let text = other_firm.to_string().to_lowercase();
    assert!(
        !text.contains("exist") && !text.contains("firm"),
        "{other_firm}"
    );
    // Sign-up with that address: the same neutral refusal.
    let (s, e) = t
        .post(
            "/api/signup",
            &As::Nobody,
            json!({"firm_name": "Gamma", "email": theirs, "name": "G", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"], other_firm["error"]);
}
