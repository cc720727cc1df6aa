//! The exchange's life on the pages: the phase the engine gives (a failed exchange reads
//! failed, with its idle funds on the dashboard), the facts edited through a form (checked
//! by the engine, audited), closing as completed or failed with the engine's verdict beside
//! the choice, a contradicting choice refused in words, and reopening with a reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;

/// The pretty JSON in the edit form's textarea, as the browser would send it back.
fn textarea(body: &str) -> String {
    let from = body.find("<textarea").unwrap();
    let from = from + body[from..].find('>').unwrap() + 1;
    let to = from + body[from..].find("</textarea>").unwrap();
    body[from..to]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn hidden(body: &str, name: &str) -> String {
    let i = body.find(&format!("name=\"{name}\" value=\"")).unwrap();
    let rest = &body[i + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_string()
}

async fn edit(
    app: &axum::Router,
    b: &mut Browser,
    id: &str,
    change: impl FnOnce(&mut serde_json::Value),
) -> Resp {
    let r = b.get(app, &format!("/exchanges/{id}/edit")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut f: serde_json::Value = serde_json::from_str(&textarea(&r.body)).unwrap();
    change(&mut f);
    let version = hidden(&r.body, "version");
    b.post(
        app,
        &format!("/exchanges/{id}/edit"),
        &[
            ("version", &version),
            ("name", "Oak Street"),
            ("file", &serde_json::to_string_pretty(&f).unwrap()),
        ],
    )
    .await
}

#[tokio::test]
async fn a_failed_exchange_reads_failed_shows_idle_funds_and_closes_as_failed() {
    let (app, _store, _d) = app().await;
    let mut a = admin(&app).await;
    let mut client = user(&app, &mut a, "Dana Investor", "dana@client.test", "client").await;
    let id = new_exchange(&app, &mut a, "Oak", "").await;
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(r.body.contains("Identification period"), "{}", r.body);
    // The sale really closed on 2026-03-01: nothing identified by day 45 (2026-04-15).
    let r = edit(&app, &mut a, &id, |f| {
        f["relinquished"][0]["transferred"] = serde_json::json!("2026-03-01");
    })
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(
        r.body
            .contains("<span class=\"badge\" id=\"status\">Failed</span>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Oak Street"));
    // The engine's verdict beside the choice.
    let verdict = &r.body[r.body.find("id=\"engine-verdict\"").unwrap()..];
    assert!(verdict.contains("taxable sale"), "{verdict}");
    assert!(verdict.contains("agrees with closing it as <strong>failed</strong>"));
    // The edit is in the audit log.
    let r = a.get(&app, &format!("/exchanges/{id}/audit")).await;
    assert_eq!(r.status, StatusCode::OK);
    // A client can neither edit nor close.
    assert_eq!(
        client
            .get(&app, &format!("/exchanges/{id}/edit"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Money arrives and stays after day 46: idle funds on the dashboard.
    a.get(&app, &format!("/exchanges/{id}/ledger")).await;
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/ledger"),
            &[
                ("kind", "receipt"),
                ("amount", "70,000"),
                ("memo", "proceeds"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, "/").await;
    let idle = &r.body[r.body.find("id=\"idle-h\"").unwrap()..];
    assert!(
        idle.contains("$70,000.00 of exchange funds still held"),
        "{idle}"
    );
    assert!(!idle.contains("No funds are sitting idle"));
    assert!(
        r.body.contains("No open exchange has a running deadline."),
        "no countdown to a deadline that no longer matters"
    );

    // Closing as completed contradicts the engine: refused in words, nothing changes.
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    let version = hidden(&r.body, "version");
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/close"),
            &[("as", "completed"), ("version", &version)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("no like-kind exchange"), "{}", r.body);
    // Funds still held: refused too.
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/close"),
            &[("as", "failed"), ("version", &version)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("still holds $70,000.00"), "{}", r.body);
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/ledger"),
            &[("kind", "release"), ("amount", "70,000"), ("memo", "back")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    let version = hidden(&r.body, "version");
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/close"),
            &[
                ("as", "failed"),
                ("reason", "nothing identified"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(r.body.contains("Closed: Failed"), "{}", r.body);
    assert!(r.body.contains("Reopen the exchange"));
    let r = client.get(&app, "/").await;
    assert!(!r.body.contains("still held"));

    // Reopening needs a reason.
    let r = a
        .post(&app, &format!("/exchanges/{id}/reopen"), &[("reason", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("give the reason in words"));
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/reopen"),
            &[("reason", "closed by mistake")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(r.body.contains("Close the exchange"));
}

#[tokio::test]
async fn a_completed_exchange_closes_as_completed_and_bad_edits_are_refused() {
    let (app, _store, _d) = app().await;
    let mut a = admin(&app).await;
    let id = new_exchange(&app, &mut a, "Oak", "").await;
    // Not valid: the engine's words, the form kept.
    let r = edit(&app, &mut a, &id, |f| {
        f["relinquished"][0]["transferred"] = serde_json::json!("2010-01-01");
    })
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Not saved"), "{}", r.body);
    assert!(r.body.contains("<textarea"));
    // Elm identified and received.
    let r = edit(&app, &mut a, &id, |f| {
        f["identified"] = serde_json::json!([{"id": "elm", "description": "12 Elm St", "fmv": "1000000", "identified_on": "2026-04-10"}]);
        f["replacement"] = serde_json::json!([{"id": "elm", "location": "TX", "received": "2026-04-25", "price": "1000000"}]);
    })
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(
        r.body.contains("id=\"status\">Completed</span>"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("agrees with closing it as <strong>completed</strong>")
    );
    let version = hidden(&r.body, "version");
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/close"),
            &[("as", "failed"), ("version", &version)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("cannot be closed as failed"), "{}", r.body);
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/close"),
            &[("as", "completed"), ("version", &version)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(r.body.contains("Closed: Completed"), "{}", r.body);
    let r = a.get(&app, "/").await;
    let counts = &r.body[r.body.find("id=\"status-h\"").unwrap()..];
    assert!(
        counts.contains(r#"<th scope="row">Completed</th><td class="num">1</td>"#),
        "{counts}"
    );
}

/// QA: the ledger released money to the taxpayer that the exchange file counts as paid toward
/// the purchase, and nothing on the page said so until closing as completed was refused. The
/// page warns before anyone closes, with the amounts, what it means for the tax figures (money
/// the taxpayer receives is boot, IRC §1031(b)) and what to correct, on the close form too;
/// once the file accounts for the release, the warning is gone.
#[tokio::test]
async fn the_page_warns_when_the_ledger_released_more_than_the_file_accounts_for() {
    let (app, _store, _d) = app().await;
    let (mut a, _client, id) = funded(&app).await;
    // Elm identified and received within the period: the exchange funds ($670,000) all go
    // toward its price of $700,000, as the file reads.
    let r = edit(&app, &mut a, &id, |f| {
        f["identified"] = serde_json::json!([{"id": "elm", "description": "12 Elm St", "fmv": "700000", "identified_on": "2026-04-10"}]);
        f["replacement"] = serde_json::json!([{"id": "elm", "location": "TX", "received": "2026-04-25", "price": "700000"}]);
    })
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(!r.body.contains("ledger-disagrees"), "{}", r.body);
    assert!(!r.body.contains("close-unaccounted"), "{}", r.body);
    // $25,000 released to the taxpayer (every identified property received).
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/ledger"),
            &[
                ("kind", "release"),
                ("amount", "25,000"),
                ("memo", "to Dana"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    let at = r
        .body
        .find("id=\"ledger-disagrees\"")
        .expect("the warning on the page");
    let warning = &r.body[at..at + r.body[at..].find("</div>").unwrap()];
    let text = words::visible_text(warning);
    for said in [
        "The ledger and the exchange file disagree.",
        "The ledger released $25,000.00 to the taxpayer",
        "leaves only $0.00",
        "$670,000.00 of them as paid toward the purchases",
        "boot",
        "IRC §1031(b)",
        "Correct the exchange file",
    ] {
        assert!(text.contains(said), "{said:?} in {text}");
    }
    words::assert_in_words("the warning", warning);
    let at = r
        .body
        .find("id=\"close-unaccounted\"")
        .expect("the warning on the close form");
    let close = words::visible_text(&r.body[at..at + r.body[at..].find("</p>").unwrap()]);
    assert!(
        close.contains("released $25,000.00 to the taxpayer")
            && close.contains("returns only $0.00")
            && close.contains("IRC §1031(b)"),
        "{close}"
    );
    // The file corrected: Dana paid $25,000 of elm's price with other money, so the file
    // returns the $25,000 released. They agree: no warning.
    let r = edit(&app, &mut a, &id, |f| {
        f["replacement"][0]["cash_paid"] = serde_json::json!("55000");
    })
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(r.body.contains("id=\"engine-verdict\""), "{}", r.body);
    assert!(!r.body.contains("ledger-disagrees"), "{}", r.body);
    assert!(!r.body.contains("close-unaccounted"), "{}", r.body);
}
