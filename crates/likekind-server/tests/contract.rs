//! The structural truths of `/openapi.json` (the behaviour itself is tested from outside by
//! schemathesis: crates/likekind-cli/tests/schemathesis.rs): every reference resolves,
//! parameters are where the path says, every operation lists the answers its extractors and
//! the server can give, errors have the error body, links lead somewhere real, and the field
//! patterns are the server's own rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{As, TestApp, sqlite};
use serde_json::Value;
use std::collections::BTreeSet;

fn doc() -> Value {
    likekind_server::openapi_document()
}

/// Every (path, method, operation).
fn operations(d: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (p, item) in d["paths"].as_object().unwrap() {
        for (m, op) in item.as_object().unwrap() {
            out.push((p.clone(), m.clone(), op.clone()));
        }
    }
    out
}

fn template_params(path: &str) -> BTreeSet<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_string)
        .collect()
}

fn params_in(op: &Value, place: &str) -> BTreeSet<String> {
    op["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["in"] == place)
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn walk<'a>(v: &'a Value, f: &mut impl FnMut(&'a Value)) {
    f(v);
    match v {
        Value::Object(m) => m.values().for_each(|x| walk(x, f)),
        Value::Array(a) => a.iter().for_each(|x| walk(x, f)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves() {
    let d = doc();
    let mut refs = Vec::new();
    walk(&d, &mut |v| {
        if let Some(r) = v.get("$ref").and_then(Value::as_str) {
            refs.push(r.to_string());
        }
    });
    assert!(!refs.is_empty());
    for r in refs {
        let ptr = r.strip_prefix('#').expect("local reference");
        assert!(d.pointer(ptr).is_some(), "{r} does not resolve");
    }
    // DocumentKind was the reference that did not (issue 12).
    assert!(d.pointer("/components/schemas/DocumentKind").is_some());
}

#[test]
fn parameters_are_where_the_path_says() {
    let d = doc();
    for (p, m, op) in operations(&d) {
        assert_eq!(
            params_in(&op, "path"),
            template_params(&p),
            "{m} {p}: path parameters must be exactly those of the template"
        );
        for q in op["parameters"].as_array().into_iter().flatten() {
            // The one header a request may carry besides authentication: a payment's
            // idempotency key, optional.
            let header = q["in"] == "header"
                && q["name"] == "Idempotency-Key"
                && q["required"] == false
                && p == "/api/exchanges/{id}/ledger";
            assert!(
                header || ["path", "query"].contains(&q["in"].as_str().unwrap()),
                "{m} {p}: {q}"
            );
            if q["in"] == "path" {
                assert_eq!(q["required"], true, "{m} {p}: {q}");
            }
        }
    }
    let list = &d["paths"]["/api/users"]["get"];
    assert_eq!(
        params_in(list, "query"),
        ["after", "limit"].map(String::from).into()
    );
    let limit = list["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!(limit["required"], false);
    assert_eq!(limit["schema"]["minimum"], 1);
    assert_eq!(limit["schema"]["maximum"], 500);
    let upload = &d["paths"]["/api/exchanges/{id}/documents"]["post"];
    assert_eq!(
        params_in(upload, "query"),
        ["filename", "kind"].map(String::from).into()
    );
}

#[test]
fn operation_ids_are_unique() {
    let d = doc();
    let mut seen = BTreeSet::new();
    for (p, m, op) in operations(&d) {
        let id = op["operationId"]
            .as_str()
            .expect("an operationId")
            .to_string();
        assert!(
            seen.insert(id.clone()),
            "{m} {p}: operationId {id} used twice"
        );
    }
}

#[test]
fn every_operation_lists_what_it_can_answer() {
    let d = doc();
    // The password-reset link is its own credential (a one-time token in the body), and so
    // is an unsubscribe link (signed).
    let open: BTreeSet<&str> = [
        "/api/signup",
        "/api/login",
        "/api/password-reset",
        "/api/notifications/unsubscribe",
    ]
    .into();
    for (p, m, op) in operations(&d) {
        let codes: BTreeSet<String> = op["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let has = |c: &str| codes.contains(c);
        let secured = op
            .get("security")
            .unwrap_or(&d["security"])
            .as_array()
            .is_some_and(|r| !r.is_empty() && !r.iter().any(|x| x.as_object().unwrap().is_empty()));
        assert_eq!(secured, !open.contains(p.as_str()), "{m} {p}: security");
        assert!(
            codes.iter().any(|c| c.starts_with('2')),
            "{m} {p}: no success"
        );
        assert!(has("500"), "{m} {p}: 500");
        if secured {
            assert!(has("401"), "{m} {p}: needs a caller, so 401");
            if m != "get" {
                assert!(has("403"), "{m} {p}: a change, so 403 (CSRF, roles)");
            }
        }
        if !template_params(&p).is_empty() {
            assert!(has("400"), "{m} {p}: a path parameter, so 400");
            assert!(has("404"), "{m} {p}: an id, so 404");
        }
        if !params_in(&op, "query").is_empty() {
            assert!(has("422"), "{m} {p}: a query, so 422");
        }
        if op
            .pointer("/requestBody/content/application~1json")
            .is_some()
        {
            for c in ["400", "413", "415", "422"] {
                assert!(has(c), "{m} {p}: a JSON body, so {c}");
            }
        }
        for (c, r) in op["responses"].as_object().unwrap() {
            if c.as_str() >= "400" {
                assert_eq!(
                    r.pointer("/content/application~1json/schema/$ref")
                        .and_then(Value::as_str),
                    Some("#/components/schemas/ErrorBody"),
                    "{m} {p} {c}: errors have the error body"
                );
            }
            assert!(
                r["description"].as_str().is_some(),
                "{m} {p} {c}: a description"
            );
        }
    }
    // The answers named in issue 12 and the throttled login.
    let login = &d["paths"]["/api/login"]["post"]["responses"];
    for c in ["200", "401", "422", "429", "503"] {
        assert!(login.get(c).is_some(), "login {c}");
    }
    assert!(login["429"]["headers"]["Retry-After"].is_object());
    let upload = &d["paths"]["/api/exchanges/{id}/documents"]["post"];
    assert!(
        upload
            .pointer("/requestBody/content/application~1octet-stream")
            .is_some()
    );
    assert_eq!(
        upload.pointer("/requestBody/content/application~1octet-stream/schema/format"),
        Some(&Value::from("binary"))
    );
    let feed = &d["paths"]["/api/calendar.ics"]["get"];
    assert!(feed["security"].to_string().contains("feed_token"));
    assert_eq!(
        d["components"]["securitySchemes"]["feed_token"]["in"],
        "query"
    );
}

#[test]
fn links_lead_to_real_operations() {
    let d = doc();
    let ops = operations(&d);
    let by_id = |id: &str| {
        ops.iter()
            .find(|(_, _, o)| o["operationId"] == id)
            .map(|(p, _, _)| p.clone())
    };
    let mut count = 0;
    for (p, m, op) in &ops {
        for (c, r) in op["responses"].as_object().unwrap() {
            for (name, l) in r["links"].as_object().into_iter().flatten() {
                count += 1;
                let target = l["operationId"].as_str().expect("operationId");
                let tp = by_id(target).unwrap_or_else(|| panic!("{m} {p} {c} {name}"));
                let given: BTreeSet<String> = l["parameters"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect();
                assert_eq!(given, template_params(&tp), "{m} {p} {c} → {tp}");
            }
        }
    }
    assert!(count > 10, "links from created resources: {count}");
    let created = &d["paths"]["/api/exchanges"]["post"]["responses"]["201"]["links"];
    for target in ["get_exchange", "analysis", "list_ledger", "post"] {
        assert_eq!(
            created[target]["parameters"]["id"], "$response.body#/id",
            "{target}"
        );
    }
    let filed = &d["paths"]["/api/exchanges/{id}/ledger"]["post"]["responses"]["202"]["links"];
    assert_eq!(
        filed["approve"]["parameters"]["approval_id"],
        "$response.body#/approval/id"
    );
}

#[test]
fn field_patterns_are_the_servers_rules() {
    use likekind_server::rules::*;
    let d = doc();
    let known: BTreeSet<&str> = [
        TEXT_PATTERN,
        FILENAME_PATTERN,
        EMAIL_PATTERN,
        MONEY_PATTERN,
        POSITIVE_MONEY_PATTERN,
        DAYS_PATTERN,
        WORDS_PATTERN,
        AUDIT_KIND_PATTERN,
        OVERRIDE_REASON_PATTERN,
    ]
    .into();
    let mut used = BTreeSet::new();
    walk(&d, &mut |v| {
        if let Some(p) = v.get("pattern").and_then(Value::as_str) {
            used.insert(p.to_string());
        }
    });
    for p in &used {
        assert!(
            known.contains(p.as_str()),
            "pattern {p} is not one of rules.rs"
        );
    }
    assert_eq!(
        used.len(),
        known.len(),
        "every rule is used in the document"
    );
    // Values the server may send as null are nullable in the document.
    let s = &d["components"]["schemas"];
    for (schema, field) in [
        ("AuditEntry", "before"),
        ("AuditEntry", "after"),
        ("ExchangeView", "deadlines"),
    ] {
        assert!(
            s[schema]["properties"][field].to_string().contains("null"),
            "{schema}.{field} may be null"
        );
    }
}

#[tokio::test]
async fn the_served_document_is_the_completed_one() {
    let t: TestApp = sqlite().await;
    let (s, _, b) = t
        .raw(TestApp::request("GET", "/openapi.json", &As::Nobody, None))
        .await;
    assert_eq!(s, 200);
    let served: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(served, doc());
}

/// What schemathesis found: the server and the document disagreed on these; now the server
/// refuses exactly what the document forbids.
#[tokio::test]
async fn field_rules_match_the_document() {
    let t = sqlite().await;
    let (admin, _, _) = t.signup("rules").await;
    // `within` is 1 to 365 days: "", "014", "+14" are refused like the pattern says.
    for (q, ok) in [
        ("14d", true),
        ("365", true),
        ("", false),
        ("014", false),
        ("+14", false),
        ("366d", false),
    ] {
        let (s, v) = t.get(&format!("/api/alerts?within={q}"), &admin).await;
        assert_eq!(s == 200, ok, "within={q}: {v}");
        if !ok {
            assert_eq!(s, 422);
            assert_eq!(v["error"]["fields"][0]["path"], "within");
        }
    }
    // Names: not blank, no control characters, at most 200 characters as sent.
    for (name, ok) in [
        ("  Oak  ", true),
        ("   ", false),
        ("a\u{1c}", false),
        (&"x".repeat(201) as &str, false),
    ] {
        let (s, v) = t
            .post("/api/tokens", &admin, serde_json::json!({"name": name}))
            .await;
        assert_eq!(s == 201, ok, "{name:?}: {v}");
    }
    // Money: digits, at most 2 decimals, no sign or spaces.
    for (amt, ok) in [
        ("10000.00", true),
        ("0", true),
        (" 5", false),
        ("+5", false),
        ("05", false),
        ("1e3", false),
    ] {
        let (s, v) = t
            .call(
                "PATCH",
                "/api/firm",
                &admin,
                Some(serde_json::json!({"approval_threshold": amt})),
            )
            .await;
        assert_eq!(s == 200, ok, "{amt:?}: {v}");
        if !ok {
            assert_eq!(v["error"]["fields"][0]["path"], "approval_threshold");
        }
    }
}
