//! The audit page after a refused payment, in headless Chromium: an administrator tries to
//! release funds to the taxpayer before the (g)(6) date, the ledger page refuses it, and the
//! exchange's audit page then shows the attempt in words ("payment refused by a rule: no
//! money moved", and why), with no field path, enum name, code or raw amount on the page.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/browser.sh`). Without them the test
//! says so and passes, unless `LIKEKIND_REQUIRE_BROWSER` is set (CI), where it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::chrome::{self, click, fill, select, wait_text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_page_shows_a_refused_payment_in_words() {
    let Some(driver) = chrome::driver_or_skip() else {
        return;
    };
    // The exchange sold on 2026-04-01 with $670,000 held; today is 2026-05-01, inside the
    // exchange period, so no money may go to the taxpayer yet.
    let (app, _store, _dir) = common::app().await;
    let (_, _, id) = common::funded(&app).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let (_driver, c, _profile) = chrome::start(&driver, &[]).await;

    c.goto(&format!("{base}/login")).await.unwrap();
    fill(&c, "#f-email", "ada@acme.test").await;
    fill(&c, "#f-password", common::PASSWORD).await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "h1", "Dashboard").await;

    // The early release, through the ledger's form: refused in words.
    c.goto(&format!("{base}/exchanges/{id}/ledger"))
        .await
        .unwrap();
    select(&c, "#f-kind", "release").await;
    fill(&c, "#f-amount", "10,000").await;
    fill(&c, "#f-memo", "to Dana early").await;
    click(&c, "form.card button[type=submit]").await;
    let refusal = wait_text(&c, ".error", "Refused").await;
    assert!(
        refusal.contains("the money cannot go to the taxpayer yet"),
        "{refusal}"
    );

    // The audit page keeps the attempt, in words: newest first, its details opened as a
    // person opens them.
    c.goto(&format!("{base}/exchanges/{id}/audit"))
        .await
        .unwrap();
    let row = "main tbody tr:first-child";
    let first = wait_text(&c, row, "no money moved").await;
    assert!(
        first
            .to_lowercase()
            .contains("payment refused by a rule: no money moved"),
        "{first}"
    );
    click(&c, &format!("{row} details summary")).await;
    wait_text(&c, row, "cannot go to the taxpayer before").await;
    let main = wait_text(&c, "main", "no money moved").await;
    assert!(
        main.contains("cannot go to the taxpayer before"),
        "the reason: {main}"
    );
    assert!(main.contains("$10,000.00"), "the amount asked: {main}");
    assert!(main.contains("to Dana early"), "the memo: {main}");
    for code in [
        "ledger.refused",
        "refusal",
        "release_before_allowed",
        "amount_cents",
        "1000000",
        "10000.00",
        "Release(",
    ] {
        assert!(!main.contains(code), "{code:?} on the page: {main}");
    }
    // No field path, snake_case code, enum name, raw amount, ISO date or id anywhere a
    // person reads.
    let html = c.source().await.unwrap();
    common::words::assert_in_words("the audit page after a refused payment", &html);
    c.close().await.unwrap();
}
