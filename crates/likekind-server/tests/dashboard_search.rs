//! The dashboard's list through the API (issue 13): search by name, client or property;
//! filters by status, coordinator and deadline window; four orders read a page at a time
//! (keyset: the pages together are the list, once each); the coordinator assigned by staff
//! and audited; the list and a ledger as CSV (quoted, formulas defused, ISO dates, plain
//! decimals). On SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

fn sold(on: &str, id: &str, desc: &str) -> Value {
    let mut f = file();
    f["relinquished"][0]["transferred"] = json!(on);
    f["relinquished"][0]["id"] = json!(id);
    f["relinquished"][0]["description"] = json!(desc);
    f
}

fn names(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_string())
        .collect()
}

async fn csv(t: &TestApp, path: &str, who: &As) -> (StatusCode, String, String) {
    let (s, h, b) = t.raw(TestApp::request("GET", path, who, None)).await;
    let ct = h
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (s, ct, String::from_utf8(b).unwrap())
}

async fn story(t: &TestApp) {
    let firm = format!("search-{}", uniq());
    let (admin, _, _) = t.signup(&firm).await;
    let (coord, coord_id) = t
        .user_named(&admin, "coordinator", "Cole Coordinator")
        .await;
    let (client, client_id) = t.user_named(&admin, "client", "Dana Investor").await;
    let (_, other_id) = t.user_named(&admin, "client", "Olive Other").await;
    let (_, preparer_id) = t.user_named(&admin, "preparer", "Pia Preparer").await;
    let mk =
        |name: &str, client: &str, f: Value| json!({"name": name, "client_id": client, "file": f});
    // Sold Mar 2, elm identified in time: the exchange period ends Aug 29.
    let mut oak_file = sold("2026-03-02", "oak", "12 Oak St, Sacramento CA");
    oak_file["identified"] = json!([{"id": "elm", "description": "400 Elm St, Austin TX",
        "fmv": "900000", "identified_on": "2026-04-10"}]);
    let (s, oak) = t
        .post(
            "/api/exchanges",
            &coord,
            mk("Oak for Elm, \"East\"", &client_id, oak_file),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{oak}");
    let oak = oak["id"].as_str().unwrap().to_string();
    // Sold Apr 20: identification ends Jun 4.
    let (_, birch) = t
        .post(
            "/api/exchanges",
            &coord,
            mk(
                "=Birch Lane",
                &other_id,
                sold("2026-04-20", "birch", "7 Birch Ln, Fresno CA"),
            ),
        )
        .await;
    let birch = birch["id"].as_str().unwrap().to_string();
    // Sells Jun 10: a draft; identification would end Jul 25.
    let (_, maple) = t
        .post(
            "/api/exchanges",
            &coord,
            mk(
                "Maple Court",
                &other_id,
                sold("2026-06-10", "maple", "2 Maple Ct, Reno NV"),
            ),
        )
        .await;
    let maple = maple["id"].as_str().unwrap().to_string();
    let (s, _) = t
        .post(
            &format!("/api/exchanges/{oak}/ledger"),
            &coord,
            json!({"kind": "receipt", "amount": "670000", "memo": "proceeds, wired"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    t.post(
        &format!("/api/exchanges/{birch}/ledger"),
        &coord,
        json!({"kind": "receipt", "amount": "1234.5"}),
    )
    .await;

    // Search: a word of the name, of a property's description, of the client's name; every
    // word must match; prefixes count; case does not.
    let (s, l) = t.get("/api/exchanges/search?q=maple", &admin).await;
    assert_eq!(s, StatusCode::OK, "{l}");
    assert_eq!(names(&l), ["Maple Court"]);
    let (_, l) = t.get("/api/exchanges/search?q=SACRA", &admin).await;
    assert_eq!(names(&l), ["Oak for Elm, \"East\""]);
    let (_, l) = t.get("/api/exchanges/search?q=dana", &admin).await;
    assert_eq!(names(&l), ["Oak for Elm, \"East\""]);
    let (_, l) = t.get("/api/exchanges/search?q=olive%20fres", &admin).await;
    assert_eq!(names(&l), ["=Birch Lane"]);
    let (_, l) = t.get("/api/exchanges/search?q=pat", &admin).await;
    assert_eq!(names(&l).len(), 3, "the taxpayer of all three");
    let (_, l) = t.get("/api/exchanges/search?q=nothing", &admin).await;
    assert!(names(&l).is_empty());
    assert_eq!(l["items"].as_array().unwrap().len(), 0);
    // The client sees only their own, and the client's name is in each row.
    let (_, l) = t.get("/api/exchanges/search", &client).await;
    assert_eq!(names(&l), ["Oak for Elm, \"East\""]);
    assert_eq!(l["items"][0]["client_name"], "Dana Investor");

    // Filters: status today, deadline window.
    let (_, l) = t
        .get("/api/exchanges/search?status=identification_period", &admin)
        .await;
    assert_eq!(names(&l), ["=Birch Lane"]);
    let (_, l) = t.get("/api/exchanges/search?status=draft", &admin).await;
    assert_eq!(names(&l), ["Maple Court"]);
    let (_, l) = t.get("/api/exchanges/search?due_within=45", &admin).await;
    assert_eq!(names(&l), ["=Birch Lane"]);
    assert_eq!(l["items"][0]["next_deadline"], "2026-06-04");
    assert_eq!(l["items"][0]["next_deadline_is"], "identification");
    let (_, l) = t
        .get("/api/exchanges/search?due_within=120&sort=deadline", &admin)
        .await;
    assert_eq!(
        names(&l),
        ["Oak for Elm, \"East\"", "=Birch Lane", "Maple Court"]
    );
    let (_, l) = t.get("/api/exchanges/search?due_within=120", &admin).await;
    assert_eq!(names(&l).len(), 3);

    // The coordinator: staff assign, clients cannot, a client or a preparer cannot be made
    // the coordinator; each change is audited with before and after.
    let put = |id: &str, who: Value| {
        (
            format!("/api/exchanges/{id}/coordinator"),
            json!({"coordinator_id": who}),
        )
    };
    let (p, b) = put(&oak, json!(coord_id));
    let (s, v) = t.call("PUT", &p, &coord, Some(b)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["coordinator_name"], "Cole Coordinator");
    let (p, b) = put(&birch, json!(coord_id));
    let (s, v) = t.call("PUT", &p, &client, Some(b)).await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
        "{v}"
    );
    for bad in [&client_id, &preparer_id] {
        let (p, b) = put(&birch, json!(bad));
        let (s, v) = t.call("PUT", &p, &admin, Some(b)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["error"]["fields"][0]["path"], "coordinator_id");
    }
    let (_, l) = t
        .get(
            &format!("/api/exchanges/search?coordinator={coord_id}"),
            &admin,
        )
        .await;
    assert_eq!(names(&l), ["Oak for Elm, \"East\""]);
    assert_eq!(l["items"][0]["coordinator_name"], "Cole Coordinator");
    let (_, l) = t
        .get("/api/exchanges/search?coordinator=none", &admin)
        .await;
    assert_eq!(names(&l), ["=Birch Lane", "Maple Court"]);
    let (p, b) = put(&oak, Value::Null);
    let (s, _) = t.call("PUT", &p, &admin, Some(b)).await;
    assert_eq!(s, StatusCode::OK);
    let (_, audit) = t
        .get(&format!("/api/exchanges/{oak}/audit?limit=500"), &admin)
        .await;
    let changes: Vec<&Value> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "exchange.coordinator")
        .collect();
    assert_eq!(changes.len(), 2, "{audit}");
    assert_eq!(changes[0]["before"]["coordinator_id"], Value::Null);
    assert_eq!(changes[0]["after"]["coordinator_id"], coord_id.as_str());
    assert_eq!(changes[1]["before"]["coordinator_id"], coord_id.as_str());
    assert_eq!(changes[1]["after"]["coordinator_id"], Value::Null);

    // Orders, a page at a time: the pages together are the whole list, in order, once each.
    for (sort, want) in [
        (
            "name",
            vec!["=Birch Lane", "Maple Court", "Oak for Elm, \"East\""],
        ),
        (
            "funds",
            vec!["Oak for Elm, \"East\"", "=Birch Lane", "Maple Court"],
        ),
        (
            "newest",
            vec!["Maple Court", "=Birch Lane", "Oak for Elm, \"East\""],
        ),
        (
            "deadline",
            vec!["Oak for Elm, \"East\"", "=Birch Lane", "Maple Court"],
        ),
    ] {
        let mut got = Vec::new();
        let mut after = String::new();
        for _ in 0..10 {
            let (s, l) = t
                .get(
                    &format!("/api/exchanges/search?sort={sort}&limit=1{after}"),
                    &admin,
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{l}");
            got.extend(names(&l));
            match l["next"].as_str() {
                Some(n) => after = format!("&after={n}"),
                None => break,
            }
        }
        assert_eq!(got, want, "sort={sort}");
    }

    // Everything wrong at once, in words, each parameter named.
    let (s, e) = t
        .get(
            "/api/exchanges/search?status=open&sort=size&due_within=400&limit=0",
            &admin,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let paths: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["status", "due_within", "sort", "limit"]);
    let (s, e) = t
        .get(&format!("/api/exchanges/search?after={}", uniq()), &admin)
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_eq!(
        e["items"].as_array().unwrap().len(),
        0,
        "nothing after an unknown place"
    );
    assert_eq!(e["next"], Value::Null);

    // The list as CSV: the same filters and order, quoted, the formula defused, ISO dates,
    // plain decimals.
    let (s, ct, body) = csv(t, "/api/exchanges/search.csv?sort=funds", &admin).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "Exchange,Client,Coordinator,Status,Next deadline,Next deadline date,Exchange period ends,Funds held (USD)"
    );
    assert_eq!(
        lines[1],
        "\"Oak for Elm, \"\"East\"\"\",Dana Investor,,Acquisition period,Receive replacement property,2026-08-29,2026-08-29,670000.00"
    );
    assert_eq!(
        lines[2],
        "'=Birch Lane,Olive Other,,Identification period,Identify replacement property,2026-06-04,2026-10-17,1234.50"
    );
    assert!(
        lines[3].starts_with("Maple Court,Olive Other,,Draft: sale not closed,"),
        "{}",
        lines[3]
    );
    assert_eq!(lines.len(), 5, "three rows and the final line break");
    let (_, _, body) = csv(t, "/api/exchanges/search.csv?q=maple", &admin).await;
    assert_eq!(body.lines().count(), 2);
    let (_, _, body) = csv(t, "/api/exchanges/search.csv", &client).await;
    assert_eq!(body.lines().count(), 2, "the client's own: {body}");
    let (s, _, _) = csv(t, "/api/exchanges/search.csv?sort=size", &admin).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // A ledger as CSV, for staff and for the exchange's own client.
    for who in [&admin, &client] {
        let (s, ct, body) = csv(t, &format!("/api/exchanges/{oak}/ledger.csv"), who).await;
        assert_eq!(s, StatusCode::OK);
        assert!(ct.starts_with("text/csv"));
        let lines: Vec<&str> = body.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "Number,Date,Bank value date,What,By,Approved by,Memo,Amount (USD),Balance (USD),Purchase closing paid"
        );
        assert_eq!(
            lines[1],
            "1,2026-05-01,,Sale proceeds received,Cole Coordinator,,\"proceeds, wired\",670000.00,670000.00,"
        );
    }
    let (s, _, _) = csv(t, &format!("/api/exchanges/{birch}/ledger.csv"), &client).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another client's ledger");
    let _ = maple;
}

#[tokio::test]
async fn the_dashboard_list_on_sqlite() {
    story(&sqlite().await).await;
}

#[tokio::test]
async fn the_dashboard_list_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!("the_dashboard_list_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
        return;
    };
    story(&at_url(&url).await).await;
}
