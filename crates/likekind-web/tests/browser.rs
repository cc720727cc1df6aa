//! End-to-end in headless Chromium, driven over WebDriver (`fantoccini`) as a person would:
//! first run, log in, open an exchange, record the sale, identify three properties and watch
//! the rule check change when a fourth is typed, record the purchase, read Form 8824 and the
//! timeline, try an early release and see it refused, use the calculator; and a client who
//! cannot see another client's exchange. Also: the client uploads a document through the
//! file input; identifies a fourth, small property (valid under the 200% rule), then revokes
//! it in writing and sees the verdict go back to the three-property rule; the administrator
//! lowers the firm's second-approval threshold, files a disbursement above it, and a second
//! coordinator approves it. A failed exchange (nothing identified) shows its idle funds on
//! the dashboard, refuses to close as completed, and closes as failed once its money went
//! back; a completed one, its facts edited, closes as completed. After day 45 of another
//! exchange, the identification page says the period has ended and staff record a signed
//! paper notice with its scan; the administrator creates a one-time password-reset link that
//! works once. The exchange report, the identification notice, the ledger's statement and the
//! plan are downloaded as PDF from their pages in the logged-in session (content type and first
//! page read back with `pdftotext`). Screenshots go to `target/screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/browser.sh`). Without them the test
//! says so and passes, unless `LIKEKIND_REQUIRE_BROWSER` is set (CI), where it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::chrome::{self, click, fill, select, set_date, wait_text};
use fantoccini::{Client, Locator};
use likekind_server::{AppState, Config};
use likekind_store::Store;
use serde_json::json;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

fn shots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let d = target.join("screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    let p = shots_dir().join(format!("{name}.png"));
    std::fs::write(&p, png).unwrap();
    println!("screenshot: {}", p.display());
}

async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css}"))
        .text()
        .await
        .unwrap()
}

/// Waits until the element's attribute `name` is `want` (`None`: absent).
async fn wait_attr(c: &Client, css: &str, name: &str, want: Option<&str>) {
    let mut last = None;
    for _ in 0..50 {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            last = e.attr(name).await.unwrap_or_default();
            if last.as_deref() == want {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never had {name} = {want:?}; last: {last:?}");
}

async fn login(c: &Client, base: &str, email: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "#f-email", email).await;
    fill(c, "#f-password", PASSWORD).await;
    click(c, "form.card button[type=submit]").await;
    // Wait for the dashboard so the next navigation does not race the login.
    let mut ok = false;
    for _ in 0..50 {
        if c.current_url().await.is_ok_and(|u| u.path() == "/") {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ok, "login as {email} did not reach the dashboard");
}

async fn logout(c: &Client) {
    click(c, "header form button").await;
    wait_text(c, "h1", "Log in").await;
}

const PASSWORD: &str = "correct horse battery";

/// Opens an exchange through the form with its sale on `sold`; its page's path.
async fn open_exchange(c: &Client, base: &str, name: &str, sold: &str) -> String {
    c.goto(&format!("{base}/exchanges/new")).await.unwrap();
    fill(c, "#f-name", name).await;
    fill(c, "#f-taxpayer", "Dana Investor").await;
    fill(c, "#f-rel_id", "sold").await;
    fill(c, "#f-rel_description", "7 Sold St, Sacramento CA").await;
    fill(c, "#f-rel_location", "CA").await;
    set_date(c, "f-acquired", "2015-06-01").await;
    set_date(c, "f-transferred", sold).await;
    fill(c, "#f-sale_price", "1,000,000").await;
    fill(c, "#f-adjusted_basis", "400,000").await;
    fill(c, "#f-depreciation", "0").await;
    fill(c, "#f-liabilities", "0").await;
    fill(c, "#f-expenses", "0").await;
    click(c, "form.card > button[type=submit]").await;
    wait_text(c, "h1", name).await;
    c.current_url().await.unwrap().path().to_string()
}

/// Fetches the PDF behind a page's download link in the browser's session: its content type,
/// and the first page's text (`pdftotext`, when poppler-utils is there; required under
/// `LIKEKIND_REQUIRE_PDFTOOLS=1`).
async fn pdf_from(c: &Client, css: &str) -> (String, Option<String>) {
    let href = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no download link {css}"))
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let got = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(async r => done([r.status, r.headers.get('content-type'), Array.from(new Uint8Array(await r.arrayBuffer()))]));",
            vec![json!(href)],
        )
        .await
        .unwrap();
    assert_eq!(got[0], json!(200), "{css}: {href}");
    let ct = got[1].as_str().unwrap_or_default().to_string();
    let bytes: Vec<u8> = got[2]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| u8::try_from(b.as_u64().unwrap()).unwrap())
        .collect();
    assert!(bytes.starts_with(b"%PDF-"), "{css}: not a PDF");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.pdf");
    std::fs::write(&p, &bytes).unwrap();
    let first = match Command::new("pdftotext")
        .args(["-f", "1", "-l", "1", p.to_str().unwrap(), "-"])
        .output()
    {
        Ok(o) => Some(
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Err(_) => {
            assert!(
                std::env::var("LIKEKIND_REQUIRE_PDFTOOLS").as_deref() != Ok("1"),
                "pdftotext not found and LIKEKIND_REQUIRE_PDFTOOLS=1"
            );
            None
        }
    };
    (ct, first)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_uses_the_application_in_chromium() {
    let Some(driver) = chrome::driver_or_skip() else {
        return;
    };
    // The app on loopback, on a fresh database, judged at a fixed date.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("e2e.db").display()))
        .await
        .unwrap();
    let cfg = Config {
        today: Some(jiff::civil::date(2026, 5, 1)),
        ..Config::default()
    };
    let app = likekind_web::app(AppState::new(store, cfg));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let (_driver, c, _profile) = chrome::start(&driver, &[]).await;

    // First run. A refused form first: every problem at once, each field marked and
    // described by its message, and the focus on the first invalid field.
    c.goto(&base).await.unwrap();
    wait_text(&c, "h1", "Welcome to likekind").await;
    fill(&c, "#f-name", "Ada Admin").await;
    fill(&c, "#f-email", "ada@acme.test").await;
    fill(&c, "#f-password", "short").await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "#form-errors", "2 things to correct").await;
    let mut focused = serde_json::Value::Null;
    for _ in 0..50 {
        focused = c
            .execute(
                "return document.activeElement && document.activeElement.id;",
                vec![],
            )
            .await
            .unwrap();
        if focused == json!("f-firm_name") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        focused,
        json!("f-firm_name"),
        "the focus is on the first invalid field"
    );
    let marks = c
        .execute(
            "return Array.from(document.querySelectorAll('[aria-invalid=true]')).map(e => e.id + ' ' + e.getAttribute('aria-describedby') + ' ' + (document.getElementById(e.getAttribute('aria-describedby').split(' ')[0]) || {}).textContent);",
            vec![],
        )
        .await
        .unwrap();
    let marks: Vec<String> = serde_json::from_value(marks).unwrap();
    assert_eq!(marks.len(), 2, "{marks:?}");
    assert!(
        marks[0].starts_with("f-firm_name f-firm_name-err"),
        "{marks:?}"
    );
    assert!(
        marks[1].starts_with("f-password f-password-err"),
        "{marks:?}"
    );
    assert!(marks[1].contains("12 characters"), "{marks:?}");
    fill(&c, "#f-firm_name", "Acme Exchange Co").await;
    fill(&c, "#f-name", "Ada Admin").await;
    fill(&c, "#f-email", "ada@acme.test").await;
    fill(&c, "#f-password", PASSWORD).await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "h1", "Dashboard").await;
    wait_text(&c, "main", "No exchanges yet").await;

    // Two clients.
    for (name, email) in [
        ("Dana Investor", "dana@client.test"),
        ("Other Client", "other@client.test"),
    ] {
        c.goto(&format!("{base}/users")).await.unwrap();
        fill(&c, "#f-name", name).await;
        fill(&c, "#f-email", email).await;
        select(&c, "#f-role", "client").await;
        fill(&c, "#f-password", PASSWORD).await;
        click(&c, "form.card button[type=submit]").await;
        wait_text(&c, "table", email).await;
    }

    // A second coordinator, for second approvals.
    c.goto(&format!("{base}/users")).await.unwrap();
    fill(&c, "#f-name", "Cole Coordinator").await;
    fill(&c, "#f-email", "cole@acme.test").await;
    select(&c, "#f-role", "coordinator").await;
    fill(&c, "#f-password", PASSWORD).await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "table", "cole@acme.test").await;

    // Log out and in again.
    logout(&c).await;
    wait_text(&c, "h1", "Log in").await;
    login(&c, &base, "ada@acme.test").await;
    wait_text(&c, "h1", "Dashboard").await;

    // Open an exchange with its sale.
    c.goto(&format!("{base}/exchanges/new")).await.unwrap();
    fill(&c, "#f-name", "Oak Street to Elm Plaza").await;
    c.find(Locator::Css("#f-client"))
        .await
        .unwrap()
        .select_by_label("Dana Investor <dana@client.test>")
        .await
        .unwrap();
    fill(&c, "#f-taxpayer", "Dana Investor").await;
    fill(&c, "#f-rel_id", "oak").await;
    fill(&c, "#f-rel_description", "12 Oak St, Sacramento CA").await;
    fill(&c, "#f-rel_location", "CA").await;
    set_date(&c, "f-acquired", "2015-06-01").await;
    set_date(&c, "f-transferred", "2026-04-01").await;
    fill(&c, "#f-sale_price", "1,000,000").await;
    fill(&c, "#f-adjusted_basis", "400,000").await;
    fill(&c, "#f-depreciation", "200,000").await;
    fill(&c, "#f-liabilities", "300,000").await;
    fill(&c, "#f-expenses", "30,000").await;
    click(&c, "form.card > button[type=submit]").await;
    wait_text(&c, "h1", "Oak Street to Elm Plaza").await;
    let url = c.current_url().await.unwrap();
    let ex_path = url.path().to_string();

    // Record the sale closing and the proceeds.
    click(&c, "form[action$='/closed'] button").await;
    wait_text(&c, ".lead", "Identification period").await;
    c.goto(&format!("{base}{ex_path}/ledger")).await.unwrap();
    fill(&c, "#f-amount", "670,000").await;
    set_date(&c, "f-posted_on", "2026-04-01").await;
    fill(&c, "#f-memo", "sale proceeds").await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "table", "$670,000.00").await;
    logout(&c).await;

    // The client identifies: three properties, then a fourth changes the verdict live.
    login(&c, &base, "dana@client.test").await;
    wait_text(&c, "h1", "Your exchanges").await;
    c.goto(&format!("{base}{ex_path}/identify")).await.unwrap();
    set_date(&c, "f-on", "2026-04-20").await;
    for (n, (id, desc, fmv)) in [
        ("elm", "400 Elm St, Austin TX", "600,000"),
        ("pine", "9 Pine Rd, Reno NV", "700,000"),
        ("ash", "1 Ash Ave, Boise ID", "650,000"),
    ]
    .iter()
    .enumerate()
    {
        fill(&c, &format!("#f-id_{n}"), id).await;
        fill(&c, &format!("#f-desc_{n}"), desc).await;
        fill(&c, &format!("#f-fmv_{n}"), fmv).await;
    }
    let v = wait_text(&c, "#judgement", "valid identification").await;
    assert!(v.contains("three-property rule"), "{v}");
    fill(&c, "#f-id_3", "fir").await;
    fill(&c, "#f-desc_3", "5 Fir Ln, Bend OR").await;
    fill(&c, "#f-fmv_3", "500,000").await;
    let v = wait_text(
        &c,
        "#judgement",
        "valid only if you receive at least 95% of it",
    )
    .await;
    assert!(v.contains("More than three properties"), "{v}");
    // Take the fourth back out and submit the three.
    fill(&c, "#f-id_3", "").await;
    fill(&c, "#f-desc_3", "").await;
    fill(&c, "#f-fmv_3", "").await;
    wait_text(&c, "#judgement", "This list is a valid identification").await;
    click(&c, "#idform > button[type=submit]:not(.secondary)").await;
    wait_text(&c, "h1", "Oak Street to Elm Plaza").await;
    wait_text(&c, "main", "waiting for the client").await;
    click(&c, "form[action$='/sign'] button").await;
    wait_text(&c, "main", "signed by the client").await;
    wait_text(&c, "#id-verdict", "three-property rule").await;

    // The client adds a document through the file input.
    let doc_dir = tempfile::tempdir().unwrap();
    let doc = doc_dir.path().join("exchange-agreement.pdf");
    std::fs::write(&doc, b"%PDF-1.7 signed exchange agreement").unwrap();
    select(&c, "#f-doc-kind", "exchange_agreement").await;
    c.find(Locator::Css("#f-doc-file"))
        .await
        .unwrap()
        .send_keys(&doc.display().to_string())
        .await
        .unwrap();
    click(&c, "#upload button[type=submit]").await;
    let docs = wait_text(
        &c,
        "section[aria-labelledby=doc-h]",
        "exchange-agreement.pdf",
    )
    .await;
    assert!(
        docs.contains("Exchange agreement") && docs.contains("Dana Investor"),
        "{docs}"
    );
    assert!(docs.contains("34 bytes"), "{docs}");
    // The link downloads the same bytes.
    let href = c
        .find(Locator::Css("section[aria-labelledby=doc-h] table a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let got = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);",
            vec![json!(href)],
        )
        .await
        .unwrap();
    assert_eq!(got, json!("%PDF-1.7 signed exchange agreement"));

    // A fourth, small property keeps the list valid under the 200% rule; then it is revoked
    // in writing and the verdict goes back to the three-property rule.
    c.goto(&format!("{base}{ex_path}/identify")).await.unwrap();
    set_date(&c, "f-on", "2026-04-25").await;
    fill(&c, "#f-id_0", "fir").await;
    fill(&c, "#f-desc_0", "5 Fir Ln, Bend OR").await;
    fill(&c, "#f-fmv_0", "40,000").await;
    wait_text(&c, "#judgement", "200% rule").await;
    click(&c, "#idform > button[type=submit]:not(.secondary)").await;
    wait_text(&c, "h1", "Oak Street to Elm Plaza").await;
    click(&c, "form[action$='/sign'] button").await;
    wait_text(&c, "#id-verdict", "200% rule").await;
    let rev = wait_text(&c, "section.revoke", "Revoking an identification").await;
    assert!(
        rev.contains("1.1031(k)-1(c)(6)") && rev.contains("May 16, 2026"),
        "{rev}"
    );
    let form = "//section[contains(@class, 'revoke')]//form[.//h4[contains(., '(fir)')]]";
    for part in ["//input[@name='written']", "//button[@type='submit']"] {
        c.find(Locator::XPath(&format!("{form}{part}")))
            .await
            .unwrap_or_else(|_| panic!("no {part} in the revocation of fir"))
            .click()
            .await
            .unwrap();
    }
    wait_text(&c, "main", "revoked on May 1, 2026").await;
    wait_text(&c, "#id-verdict", "three-property rule").await;
    c.set_window_size(1280, 1800).await.unwrap();
    c.execute("document.getElementById('id-h').scrollIntoView();", vec![])
        .await
        .unwrap();
    shot(&c, "identification-and-documents").await;
    c.set_window_size(1280, 900).await.unwrap();
    logout(&c).await;

    // The other client cannot see it.
    login(&c, &base, "other@client.test").await;
    c.goto(&format!("{base}{ex_path}")).await.unwrap();
    wait_text(&c, "h1", "Not found").await;
    c.goto(&base).await.unwrap();
    let m = wait_text(&c, "h1", "Your exchanges").await;
    assert!(!text(&c, "main").await.contains("Oak Street"), "{m}");
    logout(&c).await;

    // The QI: an early release is refused in words; the purchase is recorded.
    login(&c, &base, "ada@acme.test").await;
    c.goto(&format!("{base}{ex_path}/ledger")).await.unwrap();
    select(&c, "#f-kind", "release").await;
    fill(&c, "#f-amount", "10,000").await;
    set_date(&c, "f-posted_on", "2026-05-01").await;
    click(&c, "form.card button[type=submit]").await;
    let refusal = wait_text(&c, ".error", "Refused").await;
    assert!(
        refusal.contains("Refused: the money cannot go to the taxpayer yet."),
        "{refusal}"
    );
    assert!(refusal.contains("(g)(6)"), "{refusal}");
    c.goto(&format!("{base}{ex_path}")).await.unwrap();
    select(&c, "#f-rid", "elm").await;
    fill(&c, "#f-location", "TX").await;
    set_date(&c, "f-received", "2026-04-25").await;
    fill(&c, "#f-price", "600,000").await;
    fill(&c, "#f-liabilities", "250,000").await;
    click(&c, "#purchase button[type=submit]").await;
    let main = wait_text(&c, "#money-h + h3 + div + h3 + div", "elm").await;
    assert!(main.contains("$600,000.00"), "{main}");
    // The firm's threshold goes down to $50,000; a $100,000 disbursement waits for a second
    // person, and its requester cannot approve it.
    c.goto(&format!("{base}/firm")).await.unwrap();
    fill(&c, "#f-approval_threshold", "50,000").await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "#threshold-now", "$50,000.00").await;
    c.goto(&format!("{base}{ex_path}/ledger")).await.unwrap();
    select(&c, "#f-kind", "disbursement").await;
    // It pays elm's recorded purchase closing (Treas. Reg. §1.1031(k)-1(g)(6)).
    select(&c, "#f-property", "elm").await;
    fill(&c, "#f-amount", "100,000").await;
    fill(&c, "#f-memo", "deposit on elm").await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "main", "Filed for a second approval.").await;
    wait_text(&c, "ul.approvals", "someone else must approve it").await;
    c.goto(&format!("{base}{ex_path}")).await.unwrap();
    let main = text(&c, "main").await;
    assert!(main.contains("Part III: realized gain or (loss)"));
    assert!(main.contains("Line 19. Realized gain or (loss)"));
    // A figure opens into its explanation and authority.
    click(&c, "details.figure summary").await;
    assert!(text(&c, "details.figure[open]").await.contains("Authority"));
    let svg = c.find(Locator::Css("figure.timeline svg")).await.unwrap();
    assert!(
        svg.html(false)
            .await
            .unwrap()
            .contains("Purchase of 400 Elm St, Austin TX")
    );
    c.set_window_size(1280, 3000).await.unwrap();
    shot(&c, "exchange").await;
    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&base).await.unwrap();
    wait_text(&c, "main", "Deadlines, most urgent first").await;
    shot(&c, "dashboard").await;

    // A second coordinator approves the disbursement.
    logout(&c).await;
    login(&c, &base, "cole@acme.test").await;
    c.goto(&format!("{base}{ex_path}/ledger")).await.unwrap();
    click(&c, "form[action$='/approve'] button").await;
    wait_text(&c, "ul.approvals", "approved by a second person and paid").await;
    wait_text(&c, ".lead", "$570,000.00").await;
    shot(&c, "ledger").await;

    // The planner.
    c.goto(&format!("{base}{ex_path}/plan")).await.unwrap();
    wait_text(&c, "main", "Strategies side by side").await;
    c.set_window_size(1280, 2000).await.unwrap();
    shot(&c, "planner").await;
    c.set_window_size(1280, 900).await.unwrap();

    // The papers as PDF, downloaded from the pages in this session.
    let (ct, first) = pdf_from(&c, "#pdf-plan").await;
    assert_eq!(ct, "application/pdf");
    if let Some(t) = first {
        assert!(
            t.contains("Plan: Oak Street to Elm Plaza") && t.contains("Strategies side by side"),
            "{t}"
        );
    }
    c.goto(&format!("{base}{ex_path}/ledger")).await.unwrap();
    let (ct, first) = pdf_from(&c, "#pdf-statement").await;
    assert_eq!(ct, "application/pdf");
    if let Some(t) = first {
        assert!(
            t.contains("Statement of the exchange account") && t.contains("Acme"),
            "{t}"
        );
        assert!(t.contains("Paid to a replacement closing"), "{t}");
    }
    c.goto(&format!("{base}{ex_path}")).await.unwrap();
    let (ct, first) = pdf_from(&c, "#pdf-report").await;
    assert_eq!(ct, "application/pdf");
    if let Some(t) = first {
        assert!(
            t.contains("1031 exchange report: Oak Street to Elm Plaza"),
            "{t}"
        );
        assert!(t.contains("As of May 1, 2026"), "{t}");
    }
    let (ct, first) = pdf_from(&c, "#pdf-notice").await;
    assert_eq!(ct, "application/pdf");
    if let Some(t) = first {
        assert!(
            t.contains("Identification of replacement property") && t.contains("on or before"),
            "{t}"
        );
    }

    // On a phone.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{base}{ex_path}")).await.unwrap();
    shot(&c, "exchange-phone").await;
    c.set_window_size(1280, 900).await.unwrap();

    // A failed exchange walked to its closing (the coordinator): sold on 2026-03-01,
    // nothing identified by day 45, so the engine says failed; its money sits idle on the
    // dashboard until it goes back; closing it as completed is refused in words.
    let failed = open_exchange(&c, &base, "Birch Lane (nothing identified)", "2026-03-01").await;
    wait_text(&c, "#status", "Failed").await;
    wait_text(&c, "#engine-verdict", "taxable sale").await;
    c.goto(&format!("{base}{failed}/ledger")).await.unwrap();
    fill(&c, "#f-amount", "40,000").await;
    fill(&c, "#f-memo", "sale proceeds").await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "table", "$40,000.00").await;
    c.goto(&base).await.unwrap();
    let idle = wait_text(&c, "#idle-h + ul", "Birch Lane").await;
    assert!(
        idle.contains("$40,000.00 of exchange funds still held"),
        "{idle}"
    );
    shot(&c, "dashboard-idle").await;
    c.goto(&format!("{base}{failed}")).await.unwrap();
    click(&c, "form[action$='/close'] button[value=completed]").await;
    let e = wait_text(&c, "#close .error", "no like-kind exchange").await;
    assert!(e.contains("cannot be closed as completed"), "{e}");
    c.goto(&format!("{base}{failed}/ledger")).await.unwrap();
    select(&c, "#f-kind", "release").await;
    fill(&c, "#f-amount", "40,000").await;
    fill(&c, "#f-memo", "returned: the exchange failed").await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, ".lead", "$0.00").await;
    c.goto(&format!("{base}{failed}")).await.unwrap();
    fill(
        &c,
        "form[action$='/close'] #f-reason",
        "nothing identified in time",
    )
    .await;
    click(&c, "form[action$='/close'] button[value=failed]").await;
    wait_text(&c, "#status", "Closed: Failed").await;
    wait_text(&c, "#close-h", "Reopen the exchange").await;
    shot(&c, "closed-failed").await;

    // A completed exchange walked to its closing: the facts edited within the identification
    // period (sold Mar 20: day 45 is May 4; an edit after it could not identify anything),
    // elm identified and received, the engine says completed, and it closes as completed.
    let done = open_exchange(&c, &base, "Cedar Court for Elm", "2026-03-20").await;
    c.goto(&format!("{base}{done}/edit")).await.unwrap();
    c.execute(
        "const t = document.getElementById('f-file'); const f = JSON.parse(t.value); \
         f.identified = [{id: 'elm', description: '12 Elm St, Austin TX', fmv: '1000000', identified_on: '2026-03-25'}]; \
         f.replacement = [{id: 'elm', location: 'TX', received: '2026-04-20', price: '1000000'}]; \
         t.value = JSON.stringify(f, null, 2);",
        vec![],
    )
    .await
    .unwrap();
    click(&c, "#editform button[type=submit]").await;
    wait_text(&c, "#status", "Completed").await;
    wait_text(&c, "#engine-verdict", "like-kind exchange").await;
    click(&c, "form[action$='/close'] button[value=failed]").await;
    wait_text(&c, "#close .error", "cannot be closed as failed").await;
    c.goto(&format!("{base}{done}")).await.unwrap();
    click(&c, "form[action$='/close'] button[value=completed]").await;
    wait_text(&c, "#status", "Closed: Completed").await;
    shot(&c, "closed-completed").await;

    // Day 45 has passed for another exchange (sold Mar 2: the period ended Apr 16): the
    // identification page says so at once, and staff record the signed paper notice that
    // was delivered in time, with its scan.
    logout(&c).await;
    login(&c, &base, "ada@acme.test").await;
    c.goto(&format!("{base}/exchanges/new")).await.unwrap();
    fill(&c, "#f-name", "Birch Lane").await;
    c.find(Locator::Css("#f-client"))
        .await
        .unwrap()
        .select_by_label("Other Client <other@client.test>")
        .await
        .unwrap();
    fill(&c, "#f-taxpayer", "Other Client").await;
    fill(&c, "#f-rel_id", "birch").await;
    fill(&c, "#f-rel_description", "7 Birch Ln, Fresno CA").await;
    fill(&c, "#f-rel_location", "CA").await;
    set_date(&c, "f-acquired", "2016-06-01").await;
    set_date(&c, "f-transferred", "2026-03-02").await;
    fill(&c, "#f-sale_price", "500,000").await;
    fill(&c, "#f-adjusted_basis", "200,000").await;
    fill(&c, "#f-depreciation", "0").await;
    fill(&c, "#f-liabilities", "0").await;
    fill(&c, "#f-expenses", "0").await;
    click(&c, "form.card > button[type=submit]").await;
    wait_text(&c, "h1", "Birch Lane").await;
    let birch = c.current_url().await.unwrap().path().to_string();
    c.goto(&format!("{base}{birch}/identify")).await.unwrap();
    let j = wait_text(&c, "#judgement", "The identification period has ended").await;
    assert!(j.contains("ended on Apr 16, 2026"), "{j}");
    set_date(&c, "p-delivered", "2026-04-10").await;
    fill(&c, "#p-received", "Rita Reception").await;
    fill(&c, "#p-id_0", "maple").await;
    fill(&c, "#p-desc_0", "2 Maple Ct, Fresno CA").await;
    fill(&c, "#p-fmv_0", "520,000").await;
    let scan = doc_dir.path().join("signed-notice.pdf");
    std::fs::write(&scan, b"%PDF-1.4 signed identification notice").unwrap();
    c.find(Locator::Css("#p-file"))
        .await
        .unwrap()
        .send_keys(&scan.display().to_string())
        .await
        .unwrap();
    click(&c, "#paper button[type=submit]").await;
    wait_text(&c, "h1", "Birch Lane").await;
    let main = wait_text(
        &c,
        "main",
        "Delivered on paper on Apr 10, 2026 to Rita Reception",
    )
    .await;
    assert!(main.contains("signed-notice.pdf"), "{main}");
    assert!(main.contains("signed paper notice"), "{main}");
    shot(&c, "paper-notice").await;

    // The administrator creates a one-time password-reset link; the person sets a new
    // password through it; the link does not work twice.
    c.goto(&format!("{base}/users")).await.unwrap();
    c.find(Locator::XPath(
        "//button[contains(., 'Create a password-reset link for Other Client')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let link = wait_text(&c, "code.reset-link", "/reset/").await;
    assert!(text(&c, "main").await.contains("Give this link to"));
    logout(&c).await;
    c.goto(&link).await.unwrap();
    wait_text(&c, "h1", "Set a new password").await;
    fill(&c, "#f-password", "a brand new passphrase").await;
    fill(&c, "#f-confirm", "a brand new passphrase").await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "h1", "Your password is set").await;
    c.goto(&link).await.unwrap();
    wait_text(&c, "main", "already been used").await;
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(&c, "#f-email", "other@client.test").await;
    fill(&c, "#f-password", "a brand new passphrase").await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "h1", "Your exchanges").await;

    // The calculator, logged out.
    logout(&c).await;
    c.goto(&format!("{base}/calc")).await.unwrap();
    set_date(&c, "f-transferred", "2026-03-02").await;
    fill(&c, "#f-sale_price", "1,000,000").await;
    fill(&c, "#f-basis", "400,000").await;
    fill(&c, "#f-price", "1,100,000").await;
    wait_text(&c, "#results", "Apr 16, 2026").await;
    wait_text(&c, "#results", "Realized gain").await;
    shot(&c, "calculator").await;
    // A figure refused by the htmx swap marks its input (aria-invalid, described by its
    // message) as a full page load does, without replacing the input being typed in; put
    // right, the mark goes.
    fill(&c, "#f-price", "-4").await;
    wait_text(&c, "#results", "Not calculated").await;
    wait_attr(&c, "#f-price", "aria-invalid", Some("true")).await;
    wait_attr(&c, "#f-price", "aria-describedby", Some("f-price-err")).await;
    assert!(
        text(&c, "#f-price-err")
            .await
            .contains("must not be negative")
    );
    fill(&c, "#f-price", "1,100,000").await;
    wait_text(&c, "#results", "Realized gain").await;
    wait_attr(&c, "#f-price", "aria-invalid", None).await;
    assert!(c.find(Locator::Css("#f-price-err")).await.is_err());

    c.close().await.unwrap();
}
