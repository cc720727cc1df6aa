//! The papers as PDF through the API, on SQLite and on PostgreSQL: a notice must describe each
//! property (Treas. Reg. §1.1031(k)-1(c)(3)); the street address and legal description given
//! in the portal reach the exchange file and the notice for signature; the four papers answer
//! `application/pdf` to the exchange's client, and the notice is refused in words while
//! nothing is identified.
//!
//! The PDF text is read back with `pdftotext` when poppler-utils is installed (CI installs it
//! and sets `LIKEKIND_REQUIRE_PDFTOOLS=1`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::{StatusCode, header};
use common::*;
use jiff::civil::date;
use serde_json::json;
use std::process::Command;

fn pdftotext(pdf: &[u8]) -> Option<String> {
    let present = Command::new("pdftotext").arg("-v").output().is_ok();
    if !present {
        assert!(
            std::env::var("LIKEKIND_REQUIRE_PDFTOOLS").as_deref() != Ok("1"),
            "pdftotext not found and LIKEKIND_REQUIRE_PDFTOOLS=1: install poppler-utils"
        );
        eprintln!("SKIPPED text check: pdftotext not found");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("n.pdf");
    std::fs::write(&p, pdf).unwrap();
    let o = Command::new("pdftotext").arg(&p).arg("-").output().unwrap();
    assert!(o.status.success());
    Some(
        String::from_utf8_lossy(&o.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

async fn pdf(t: &TestApp, who: &As, path: &str) -> (StatusCode, String, Vec<u8>) {
    let (s, h, b) = t.raw(TestApp::request("GET", path, who, None)).await;
    let ct = h
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (s, ct, b)
}

async fn papers(t: &TestApp) {
    let (admin, _, _) = t.signup("papers").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (client, client_id) = t.user(&admin, "client").await;
    let apr1 = t.on(date(2026, 4, 1));
    let (s, ex) = apr1
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Oak for Elm", "client_id": client_id, "file": file()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();

    // Nothing identified yet: no notice to sign, said in words.
    let (s, ct, b) = pdf(&apr1, &client, &format!("/api/exchanges/{id}/notice.pdf")).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(ct.starts_with("application/json"), "{ct}");
    let e: serde_json::Value = serde_json::from_slice(&b).unwrap();
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("nothing to put on an identification notice"),
        "{e}"
    );

    // A property the notice does not describe is refused, and nothing is stored.
    let (s, e) = apr1
        .post(
            &format!("/api/exchanges/{id}/notices"),
            &client,
            json!({"identified_on": "2026-04-01", "properties": [
                {"id": "elm", "description": "  ", "fmv": "1000000"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let f = &e["error"]["fields"][0];
    assert_eq!(f["path"], "properties[0].description", "{e}");
    assert_eq!(f["rule"], "unambiguous_description", "{e}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("Treas. Reg. §1.1031(k)-1(c)(3)"),
        "{e}"
    );
    let (_, list) = apr1
        .get(&format!("/api/exchanges/{id}/notices"), &client)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 0, "{list}");

    // Named, with the street address and the legal description: accepted and signed.
    let (s, n) = apr1
        .post(
            &format!("/api/exchanges/{id}/notices"),
            &client,
            json!({"identified_on": "2026-04-01", "properties": [
                {"id": "elm", "description": "Elm Plaza", "address": "400 Elm St, Austin, TX 78701",
                 "legal_description": "Lot 7, Block 3, Elm Addition, Travis County, Texas",
                 "fmv": "1000000"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    assert_eq!(n["judgement"]["accepted"], true, "{n}");
    let nid = n["id"].as_str().unwrap().to_string();
    let (s, v) = apr1
        .post(
            &format!("/api/exchanges/{id}/notices/{nid}/sign"),
            &client,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, ex) = apr1.get(&format!("/api/exchanges/{id}"), &coord).await;
    let idf = &ex["file"]["identified"][0];
    assert_eq!(idf["address"], "400 Elm St, Austin, TX 78701", "{ex}");
    assert_eq!(
        idf["legal_description"],
        "Lot 7, Block 3, Elm Addition, Travis County, Texas"
    );

    // The four papers, to the exchange's client.
    for paper in ["report", "notice", "statement", "plan"] {
        let (s, ct, b) = pdf(&apr1, &client, &format!("/api/exchanges/{id}/{paper}.pdf")).await;
        assert_eq!(
            s,
            StatusCode::OK,
            "{paper}: {}",
            String::from_utf8_lossy(&b)
        );
        assert_eq!(ct, "application/pdf", "{paper}");
        assert!(b.starts_with(b"%PDF-"), "{paper}");
    }
    let (_, _, b) = pdf(&apr1, &client, &format!("/api/exchanges/{id}/notice.pdf")).await;
    if let Some(text) = pdftotext(&b) {
        assert!(text.contains("Elm Plaza"), "{text}");
        assert!(
            text.contains("Street address: 400 Elm St, Austin, TX 78701"),
            "{text}"
        );
        assert!(
            text.contains("Legal description: Lot 7, Block 3, Elm Addition, Travis County, Texas"),
            "{text}"
        );
        assert!(
            text.contains("Apr 16, 2026"),
            "the last day to deliver: {text}"
        );
        assert!(!text.contains("Description missing"), "{text}");
    }
    // The same day gives the same bytes.
    let (_, _, again) = pdf(&apr1, &client, &format!("/api/exchanges/{id}/notice.pdf")).await;
    assert_eq!(b, again);
}

#[tokio::test]
async fn papers_on_sqlite() {
    papers(&sqlite().await).await;
}

#[tokio::test]
async fn papers_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!("papers_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
        return;
    };
    papers(&at_url(&url).await).await;
}

/// A payment to a purchase closing names the closing it paid, in words (the replacement
/// property's description and the closing's date), on the funds statement and in the ledger's
/// CSV; one waiting for a second approval is named in the list of approvals.
#[tokio::test]
async fn disbursements_name_the_closing_they_paid() {
    let t = sqlite().await;
    let (admin, _, _) = t.signup("closings").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (s, f) = t
        .call(
            "PATCH",
            "/api/firm",
            &admin,
            Some(json!({"approval_threshold": "300000"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    let mut f = file();
    f["identified"] = json!([{"id": "elm", "description": "Elm Plaza, 400 Elm St, Austin TX",
        "fmv": "1000000", "identified_on": "2026-03-20"}]);
    f["replacement"] = json!([{"id": "elm", "description": "Elm Plaza, 400 Elm St, Austin TX",
        "location": "TX", "received": "2026-04-25", "price": "1000000"}]);
    let (s, ex) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Oak for Elm", "file": f}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id}/events"),
            &coord,
            json!({"kind": "relinquished_closed", "on_date": "2026-03-02"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let ledger = format!("/api/exchanges/{id}/ledger");
    for (body, want) in [
        (
            json!({"kind": "receipt", "amount": "1000000", "memo": "sale proceeds"}),
            StatusCode::CREATED,
        ),
        (
            json!({"kind": "disbursement", "amount": "250000", "property": "elm", "memo": "wire to title"}),
            StatusCode::CREATED,
        ),
        (
            json!({"kind": "disbursement", "amount": "400000", "property": "elm"}),
            StatusCode::ACCEPTED,
        ),
    ] {
        let (s, v) = t.post(&ledger, &coord, body).await;
        assert_eq!(s, want, "{v}");
    }
    let closing = "Elm Plaza, 400 Elm St, Austin TX, closed Apr 25, 2026";

    // The funds statement.
    let (s, ct, b) = pdf(&t, &coord, &format!("/api/exchanges/{id}/statement.pdf")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("application/pdf"), "{ct}");
    if let Some(text) = pdftotext(&b) {
        assert!(
            text.contains(&format!("wire to title. Toward the purchase of {closing}")),
            "{text}"
        );
        assert!(!text.contains("Toward the purchase of elm"), "{text}");
        assert_eq!(
            text.matches("Toward the purchase of").count(),
            1,
            "the receipt names no closing, the waiting one is not posted: {text}"
        );
    }

    // The ledger's CSV: a column for the closing paid, empty for the receipt.
    let (s, _, b) = t
        .raw(TestApp::request(
            "GET",
            &format!("/api/exchanges/{id}/ledger.csv"),
            &coord,
            None,
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let csv = String::from_utf8(b).unwrap();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "Number,Date,Bank value date,What,By,Approved by,Memo,Amount (USD),Balance (USD),Purchase closing paid"
    );
    assert!(
        lines[1].starts_with("1,2026-05-01,,Sale proceeds received,") && lines[1].ends_with(','),
        "{csv}"
    );
    assert!(
        lines[2].starts_with("2,2026-05-01,,Paid to a purchase closing,")
            && lines[2].ends_with(&format!(",\"{closing}\"")),
        "{csv}"
    );
}

/// QA: a file that names no taxpayer printed "From , the taxpayer" and "Property given up ,
/// California" on the notice and a blank taxpayer on the statement, although the exchange has
/// a client. The papers take the client's name; with no client they say the name is missing;
/// a property given up without a description is named by its id.
async fn papers_without_a_taxpayer_name(t: &TestApp) {
    let (admin, _, _) = t.signup("unnamed").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (_, client_id) = t.user_named(&admin, "client", "Tom Taxpayer").await;
    let apr1 = t.on(date(2026, 4, 1));
    let unnamed = json!({
        "taxpayer": {"entity": "individual"},
        "relinquished": [{"id": "oak", "location": "CA", "acquired": "2015-06-01",
            "transferred": "2026-03-20", "sale_price": "1000000", "adjusted_basis": "400000"}],
        "identified": [{"id": "elm", "description": "12 Elm St, Austin TX", "fmv": "900000",
            "identified_on": "2026-03-25"}]
    });
    for (client, name) in [
        (Some(client_id.as_str()), "Tom Taxpayer"),
        (None, "(the taxpayer's name is not given)"),
    ] {
        let (s, ex) = apr1
            .post(
                "/api/exchanges",
                &coord,
                json!({"name": "Unnamed", "client_id": client, "file": unnamed}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{ex}");
        let id = ex["id"].as_str().unwrap();
        for paper in ["notice.pdf", "statement.pdf", "report.pdf"] {
            let (s, _, b) = pdf(&apr1, &coord, &format!("/api/exchanges/{id}/{paper}")).await;
            assert_eq!(s, StatusCode::OK, "{paper}");
            let Some(text) = pdftotext(&b) else { return };
            assert!(text.contains(name), "{paper}: {text}");
            assert!(
                !text.contains(" , "),
                "{paper}: a blank before a comma: {text}"
            );
            assert!(!text.contains("From ,"), "{paper}: {text}");
            if paper == "notice.pdf" {
                assert!(
                    text.contains(&format!("From {name}, the taxpayer")),
                    "{text}"
                );
                assert!(text.contains("oak, California"), "{text}");
            }
        }
    }
}

#[tokio::test]
async fn papers_without_a_taxpayer_name_on_sqlite() {
    papers_without_a_taxpayer_name(&sqlite().await).await;
}
