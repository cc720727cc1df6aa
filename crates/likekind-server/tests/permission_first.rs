//! A person without the right to do something is told so (403) before anything they sent is
//! judged (422): otherwise the validation answers let them probe rules they may not use.
//! Here: only an administrator overrides the (g)(6) release rule, so a coordinator's payment
//! with an override reason is refused for the override itself, whatever the reason says; and
//! on every change that takes a JSON body, a role without the right is refused before the body
//! is read at all.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;
use axum::http::StatusCode;
use common::oak::*;
use common::*;
use jiff::civil::date;
use serde_json::json;
use std::collections::BTreeSet;

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
    // Each refused override is kept in the audit log, the coordinator's too: an attempt to
    // get money out before the (g)(6) date, with its reason and the refusal in words.
    let (s, log) = may1
        .get(&format!("/api/exchanges/{id}/audit"), &admin)
        .await;
    assert_eq!(s, StatusCode::OK, "{log}");
    let refused: Vec<&serde_json::Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["action"] == "ledger.refused")
        .collect();
    let by_coordinator = refused
        .iter()
        .filter(|x| {
            x["after"]["refusal"]
                .as_str()
                .is_some_and(|r| r.starts_with("a coordinator cannot override"))
        })
        .count();
    assert_eq!(by_coordinator, 3, "{log}");
    assert_eq!(refused.len(), 6, "the administrator's three as well: {log}");
    assert!(
        refused
            .iter()
            .any(|x| x["after"]["override_reason"] == "because the client asked"),
        "{log}"
    );
}

on_both!(
    override_permission_before_validation,
    override_permission_before_validation_on_sqlite,
    override_permission_before_validation_on_postgres
);

const ALL: &[&str] = &["admin", "coordinator", "preparer", "client"];
const ADMIN: &[&str] = &["admin"];
const STAFF: &[&str] = &["admin", "coordinator", "preparer"];
const QI: &[&str] = &["admin", "coordinator"];
const NOTICES: &[&str] = &["admin", "coordinator", "client"];

/// Every change that takes a JSON body, with the roles that may make it (`ALL`: anyone who
/// can send it). Checked against the OpenAPI document, built with the router: a new one
/// without a line here fails the test.
const WRITES: &[(&str, &str, &[&str])] = &[
    ("POST", "/api/signup", ALL),
    ("POST", "/api/login", ALL),
    ("POST", "/api/password-reset", ALL),
    ("POST", "/api/tokens", ALL),
    ("PUT", "/api/notifications/preferences", ALL),
    ("POST", "/api/users", ADMIN),
    ("PATCH", "/api/users/{user_id}", ADMIN),
    ("PATCH", "/api/firm", ADMIN),
    ("PATCH", "/api/notifications/settings", ADMIN),
    ("POST", "/api/webhooks", ADMIN),
    ("POST", "/api/exchanges", STAFF),
    ("PATCH", "/api/exchanges/{id}", STAFF),
    ("POST", "/api/exchanges/{id}/parties", STAFF),
    ("PUT", "/api/exchanges/{id}/coordinator", STAFF),
    ("POST", "/api/exchanges/{id}/events", QI),
    ("POST", "/api/exchanges/{id}/close", QI),
    ("POST", "/api/exchanges/{id}/reopen", QI),
    ("POST", "/api/exchanges/{id}/ledger", QI),
    ("POST", "/api/exchanges/{id}/notices/paper", QI),
    ("POST", "/api/exchanges/{id}/notices", NOTICES),
    (
        "POST",
        "/api/exchanges/{id}/notices/{notice_id}/revoke",
        NOTICES,
    ),
];

/// Bodies no endpoint accepts, with the answer each gets from someone who may make the change:
/// not JSON (400), JSON of the wrong type (422), and an array of fields (422).
const BAD_BODIES: &[(&str, StatusCode)] = &[
    ("{", StatusCode::BAD_REQUEST),
    ("42", StatusCode::UNPROCESSABLE_ENTITY),
    ("[]", StatusCode::UNPROCESSABLE_ENTITY),
];

/// One person of each role of a firm with an opened exchange.
struct People {
    admin: As,
    coordinator: As,
    preparer: As,
    client: As,
}

impl People {
    fn each(&self) -> [(&'static str, &As); 4] {
        [
            ("admin", &self.admin),
            ("coordinator", &self.coordinator),
            ("preparer", &self.preparer),
            ("client", &self.client),
        ]
    }
}

/// The exchange's id, the preparer's user id, and the four people.
async fn four_roles(t: &TestApp, name: &str) -> (String, String, People) {
    let (admin, coordinator, id) = oak_opened(t, name).await;
    let (preparer, preparer_id) = t.user(&admin, "preparer").await;
    let (client, _) = t.user(&admin, "client").await;
    let people = People {
        admin,
        coordinator,
        preparer,
        client,
    };
    (id, preparer_id, people)
}

async fn role_before_body(t: &TestApp) {
    // Every change with a JSON body is listed.
    let spec = serde_json::to_value(likekind_server::openapi()).unwrap();
    let mut with_body = BTreeSet::new();
    for (p, item) in spec["paths"].as_object().unwrap() {
        for (m, op) in item.as_object().unwrap() {
            if op["requestBody"]["content"]["application/json"].is_object() {
                with_body.insert((m.to_uppercase(), p.clone()));
            }
        }
    }
    let listed: BTreeSet<(String, String)> = WRITES
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        with_body, listed,
        "every change with a JSON body needs its roles here"
    );

    let (id, preparer_id, people) = four_roles(t, "role-before-body").await;
    let users = people.each();
    let admin = people.admin.clone();
    let (_, before) = t.get(&format!("/api/exchanges/{id}"), &admin).await;
    for (method, template, may) in WRITES {
        if *may == ALL {
            continue;
        }
        let path = template
            .replace("{id}", &id)
            .replace("{user_id}", &preparer_id)
            .replace("{notice_id}", "no-such-notice");
        for (role, who) in users {
            for (body, authorised) in BAD_BODIES {
                let (s, e) = t.call_text(method, &path, who, body).await;
                if may.contains(&role) {
                    assert_eq!(s, *authorised, "{role} {method} {template} {body}: {e}");
                    let code = if s == StatusCode::BAD_REQUEST {
                        "malformed_json"
                    } else {
                        "validation"
                    };
                    assert_eq!(e["error"]["code"], code, "{role} {method} {template}: {e}");
                } else {
                    assert_eq!(
                        s,
                        StatusCode::FORBIDDEN,
                        "{role} {method} {template} {body}: {e}"
                    );
                    assert_eq!(e["error"]["code"], "forbidden", "{e}");
                    // Nothing about the body: no field named, no word of JSON.
                    let fields = &e["error"]["fields"];
                    assert!(
                        fields.is_null() || fields.as_array().is_some_and(Vec::is_empty),
                        "{role} {method} {template}: {e}"
                    );
                    let said = e["error"]["message"].as_str().unwrap();
                    assert!(
                        said.starts_with(&format!("a {role} cannot ")) && !said.contains("JSON"),
                        "{role} {method} {template}: {said}"
                    );
                }
            }
        }
    }
    let (_, after) = t.get(&format!("/api/exchanges/{id}"), &admin).await;
    assert_eq!(before["version"], after["version"], "nothing changed");
}

on_both!(
    role_before_body,
    role_before_body_on_sqlite,
    role_before_body_on_postgres
);

/// The reads that take a query are refused for a role without the right before the query is
/// judged: a bad `limit` is a 400 or 422 only for those who may read.
async fn role_before_query(t: &TestApp) {
    let (id, _, people) = four_roles(t, "role-before-query").await;
    let users = people.each();
    let staff: &[&str] = &["admin", "coordinator", "preparer"];
    let reads: [(String, &[&str]); 4] = [
        ("/api/users?limit=lots".into(), staff),
        ("/api/audit?limit=lots".into(), staff),
        (format!("/api/exchanges/{id}/audit?limit=lots"), staff),
        (
            "/api/notifications/deliveries?limit=lots".into(),
            &["admin"],
        ),
    ];
    for (path, may) in &reads {
        for (role, who) in users {
            let (s, e) = t.get(path, who).await;
            if may.contains(&role) {
                assert!(
                    s == StatusCode::BAD_REQUEST || s == StatusCode::UNPROCESSABLE_ENTITY,
                    "{role} {path}: {s} {e}"
                );
            } else {
                assert_eq!(s, StatusCode::FORBIDDEN, "{role} {path}: {e}");
                let said = e["error"]["message"].as_str().unwrap();
                assert!(
                    said.starts_with(&format!("a {role} cannot ")),
                    "{role} {path}: {said}"
                );
            }
        }
    }
}

on_both!(
    role_before_query,
    role_before_query_on_sqlite,
    role_before_query_on_postgres
);
