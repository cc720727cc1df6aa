//! axe-core in headless Chromium (issue 13): every page, for each role (administrator,
//! coordinator, preparer, client, and logged out), at 1280×900 and at 390×844, after the main
//! flows and after refused forms, has no axe violation of any impact. Also, at both widths:
//! nothing runs off the side of the screen, the dashboard's Countdown and Funds held cells are
//! on screen, the timeline's labels are at least 12 px, the identification check is in view
//! beside or below the list it judges, and the exchange page's sections are one link away.
//! A screenshot of every page at both widths goes to `target/screenshots/axe-*.png`.
//!
//! axe-core is vendored from its npm package (`tests/axe/`, see its README). Needs Debian's
//! `chromium` and `chromium-driver` (`.ci/browser.sh`); without them the test says so and
//! passes, unless `LIKEKIND_REQUIRE_BROWSER` is set (CI), where it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::chrome::{self, click, fill, select, set_date};
use fantoccini::{Client, Locator};
use likekind_server::{AppState, Config};
use likekind_store::Store;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

/// axe-core 4.14.1, from `npm pack axe-core@4.14.1` (MPL-2.0).
const AXE: &str = include_str!("axe/axe.min.js");
const PASSWORD: &str = "correct horse battery";
const WIDTHS: [(u32, u32); 2] = [(1280, 900), (390, 844)];

fn shots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let d = target.join("screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

async fn wait_text(c: &Client, css: &str, want: &str) -> String {
    chrome::wait_text_for(c, css, want, 80).await
}

/// Waits until the page holding `old` has been replaced by another (its elements go stale).
async fn wait_replaced(old: &fantoccini::elements::Element) {
    for _ in 0..80 {
        if old.text().await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page was never replaced");
}

async fn wait_path(c: &Client, pred: impl Fn(&str) -> bool) {
    for _ in 0..80 {
        if c.current_url().await.is_ok_and(|u| pred(u.path())) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "never reached the page; at {:?}",
        c.current_url().await.map(|u| u.to_string())
    );
}

async fn login(c: &Client, base: &str, email: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "#f-email", email).await;
    fill(c, "#f-password", PASSWORD).await;
    click(c, "form.card button[type=submit]").await;
    wait_path(c, |p| p == "/").await;
}

async fn logout(c: &Client) {
    // From the dashboard (an error page may show another header).
    let mut u = c.current_url().await.unwrap();
    u.set_path("/");
    u.set_query(None);
    u.set_fragment(None);
    c.goto(u.as_str()).await.unwrap();
    click(c, "header form button").await;
    wait_text(c, "h1", "Log in").await;
}

/// What the audit found wrong, page by page.
#[derive(Default)]
struct Findings(Vec<String>);

async fn script(c: &Client, js: &str) -> Value {
    c.execute(js, vec![]).await.unwrap()
}

/// axe on the page as it is now; the violations in words.
async fn axe(c: &Client) -> Vec<String> {
    c.execute(
        &format!("if (!window.axe) {{ {AXE}\n }} return true;"),
        vec![],
    )
    .await
    .unwrap();
    let got = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']})
               .then(r => done(r.violations.map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' +
                  v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    got.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

/// A screenshot of the whole page (the window made as tall as the page, then put back).
async fn full_shot(c: &Client, name: &str, (w, h): (u32, u32)) {
    let tall = script(c, "return document.documentElement.scrollHeight;")
        .await
        .as_u64()
        .unwrap_or(u64::from(h));
    let tall = u32::try_from(tall).unwrap_or(h).clamp(h, 9000);
    c.set_window_size(w, tall).await.unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(shots_dir().join(format!("axe-{name}-{w}.png")), png).unwrap();
    c.set_window_size(w, h).await.unwrap();
}

impl Findings {
    /// Audits the page at both widths: axe, nothing off the side of the screen, a full-page
    /// screenshot. `reload`: a page reached by GET is loaded again at each width (a page
    /// answering a refused form is only resized).
    async fn page(&mut self, c: &Client, name: &str, reload: bool) {
        for (w, h) in WIDTHS {
            c.set_window_size(w, h).await.unwrap();
            if reload {
                c.refresh().await.unwrap();
                wait_text(c, "body", "likekind").await;
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
            for v in axe(c).await {
                self.0.push(format!("{name} at {w}px: {v}"));
            }
            let over = script(
                c,
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            )
            .await
            .as_i64()
            .unwrap_or(0);
            if over > 1 {
                self.0.push(format!(
                    "{name} at {w}px: the page is {over} px wider than the screen"
                ));
            }
            full_shot(c, name, (w, h)).await;
        }
        c.set_window_size(WIDTHS[0].0, WIDTHS[0].1).await.unwrap();
    }

    /// Audits the page at `path` (loaded by GET).
    async fn get(&mut self, c: &Client, base: &str, path: &str, name: &str) {
        c.goto(&format!("{base}{path}")).await.unwrap();
        wait_text(c, "body", "likekind").await;
        self.page(c, name, true).await;
    }
}

/// After a refused form: the focus is on the first invalid input (else on the refused box),
/// every invalid input is described by a message that exists on the page.
async fn refused_checks(c: &Client, name: &str, f: &mut Findings) {
    let v = script(
        c,
        r#"const a = document.activeElement;
        const first = document.querySelector('[aria-invalid="true"]') || document.getElementById('form-errors');
        const bad = [...document.querySelectorAll('[aria-invalid="true"]')].filter(e => {
            const ids = (e.getAttribute('aria-describedby') || '').split(' ').filter(x => x);
            return !ids.some(i => i.endsWith('-err') && document.getElementById(i));
        }).map(e => e.id);
        return { focused: a === first, box: !!document.getElementById('form-errors'), undescribed: bad };"#,
    )
    .await;
    if v["focused"] != json!(true) {
        f.0.push(format!("{name}: the focus is not on the first error"));
    }
    if v["box"] != json!(true) {
        f.0.push(format!("{name}: no refused box"));
    }
    if v["undescribed"].as_array().is_some_and(|a| !a.is_empty()) {
        f.0.push(format!(
            "{name}: invalid inputs without their message: {}",
            v["undescribed"]
        ));
    }
}

/// The checks of the layout that axe does not make, at the current width.
async fn layout_checks(c: &Client, base: &str, ex: &str, f: &mut Findings) {
    for (w, h) in WIDTHS {
        c.set_window_size(w, h).await.unwrap();
        // The dashboard: Countdown and Funds held are on screen in every row.
        c.goto(&format!("{base}/")).await.unwrap();
        wait_text(c, "#list-h", "Exchanges").await;
        let cut = script(
            c,
            "const vw = document.documentElement.clientWidth; return Array.from(document.querySelectorAll('table.reflow td')).filter(td => { const r = td.getBoundingClientRect(); return r.width > 0 && (r.right > vw + 1 || r.left < -1); }).length;",
        )
        .await;
        if cut != json!(0) {
            f.0.push(format!("dashboard at {w}px: {cut} cells cut off"));
        }
        let funds = script(c, "const vw = document.documentElement.clientWidth; const e = document.querySelector('#exchanges td.num'); if (!e) return 'missing'; const r = e.getBoundingClientRect(); return r.right <= vw + 1 && r.width > 0 && e.innerText.includes('$');").await;
        if funds != json!(true) {
            f.0.push(format!(
                "dashboard at {w}px: the Funds held cell is not shown whole ({funds})"
            ));
        }
        // The exchange page: the timeline's words are at least 12 px; the sections are links.
        c.goto(&format!("{base}{ex}")).await.unwrap();
        wait_text(c, "nav.sections", "Form 8824").await;
        let small = script(
            c,
            "const vis = e => e.getBoundingClientRect().height > 0; \
             const svg = Array.from(document.querySelectorAll('figure.timeline svg text')).filter(vis).map(t => t.getBoundingClientRect().height); \
             const list = Array.from(document.querySelectorAll('ol.timeline-list li')).filter(vis).map(li => parseFloat(getComputedStyle(li).fontSize)); \
             return {svg: svg.length, list: list.length, smallest: Math.min(...svg.map(x => x * 0.8), ...list)};",
        )
        .await;
        let smallest = small["smallest"].as_f64().unwrap_or(0.0);
        if smallest < 12.0 {
            f.0.push(format!(
                "timeline at {w}px: words of {smallest:.1} px ({small})"
            ));
        }
        let shown = if w < 600 { "list" } else { "svg" };
        if small[shown].as_u64().unwrap_or(0) == 0 {
            f.0.push(format!(
                "timeline at {w}px: the {shown} is not shown ({small})"
            ));
        }
        for (link, target) in [
            ("Money", "money"),
            ("Form 8824", "form-8824"),
            ("Ledger", "ledger"),
        ] {
            c.find(Locator::XPath(&format!(
                "//nav[contains(@class,'sections')]//a[.='{link}']"
            )))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
            tokio::time::sleep(Duration::from_millis(150)).await;
            let top = script(
                c,
                &format!("return document.getElementById('{target}').getBoundingClientRect().top;"),
            )
            .await
            .as_f64()
            .unwrap_or(9999.0);
            if !(0.0..f64::from(h) / 2.0).contains(&top) {
                f.0.push(format!(
                    "exchange page at {w}px: the {link} link leaves its section at {top} px"
                ));
            }
        }
    }
    c.set_window_size(WIDTHS[0].0, WIDTHS[0].1).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_axe_for_every_role_at_both_widths() {
    let Some(driver) = chrome::driver_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("axe.db").display()))
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
    let (_driver, c, _profile) = chrome::start(&driver, &["--hide-scrollbars"]).await;
    let mut f = Findings::default();

    // First run, logged out: the setup page, the login page, the calculator.
    c.goto(&base).await.unwrap();
    wait_text(&c, "h1", "Welcome to likekind").await;
    f.page(&c, "setup", true).await;
    fill(&c, "#f-firm_name", "Acme Exchange Co").await;
    fill(&c, "#f-name", "Ada Admin").await;
    fill(&c, "#f-email", "ada@acme.test").await;
    fill(&c, "#f-password", PASSWORD).await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "h1", "Dashboard").await;
    f.page(&c, "admin-dashboard-empty", true).await;

    // The administrator adds people; a refused form first.
    c.goto(&format!("{base}/users")).await.unwrap();
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "main", "Not saved").await;
    refused_checks(&c, "admin-users-refused", &mut f).await;
    f.page(&c, "admin-users-refused", false).await;
    for (name, email, role) in [
        ("Cole Coordinator", "cole@acme.test", "coordinator"),
        ("Pia Preparer", "pia@acme.test", "preparer"),
        ("Dana Investor", "dana@client.test", "client"),
    ] {
        c.goto(&format!("{base}/users")).await.unwrap();
        fill(&c, "#f-name", name).await;
        fill(&c, "#f-email", email).await;
        select(&c, "#f-role", role).await;
        fill(&c, "#f-password", PASSWORD).await;
        click(&c, "form.card button[type=submit]").await;
        wait_text(&c, "table", email).await;
    }
    f.get(&c, &base, "/users", "admin-users").await;
    c.goto(&format!("{base}/firm")).await.unwrap();
    fill(&c, "#f-approval_threshold", "lots").await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "main", "Not saved").await;
    refused_checks(&c, "admin-firm-refused", &mut f).await;
    f.page(&c, "admin-firm-refused", false).await;
    f.get(&c, &base, "/firm", "admin-firm").await;

    // A refused new exchange (nothing filled in), then one opened with its sale.
    c.goto(&format!("{base}/exchanges/new")).await.unwrap();
    click(&c, "form.card > button[type=submit]").await;
    wait_text(&c, "main", "Not saved").await;
    refused_checks(&c, "admin-new-exchange-refused", &mut f).await;
    f.page(&c, "admin-new-exchange-refused", false).await;
    f.get(&c, &base, "/exchanges/new", "admin-new-exchange")
        .await;
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
    let ex = c.current_url().await.unwrap().path().to_string();
    click(&c, "form[action$='/closed'] button").await;
    wait_text(&c, ".lead", "Identification period").await;
    // The coordinator is assigned on the exchange page.
    let cole = c
        .find(Locator::XPath(
            "//select[@id='f-coordinator']/option[.='Cole Coordinator']",
        ))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    select(&c, "#coordinator select", &cole).await;
    // The form posts back to the same page: wait for the page to be replaced, or the old
    // page (its heading the same, its select already changed by hand) would be read.
    let before = c.find(Locator::Css("h1")).await.unwrap();
    click(&c, "#coordinator button[type=submit]").await;
    wait_replaced(&before).await;
    wait_text(&c, "h1", "Oak Street to Elm Plaza").await;
    let sel = wait_text(&c, "#coordinator select option:checked", "Cole Coordinator").await;
    assert_eq!(sel, "Cole Coordinator");
    // Proceeds in; an early release refused.
    c.goto(&format!("{base}{ex}/ledger")).await.unwrap();
    fill(&c, "#f-amount", "670,000").await;
    set_date(&c, "f-posted_on", "2026-04-01").await;
    fill(&c, "#f-memo", "sale proceeds").await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "table", "$670,000.00").await;
    select(&c, "#f-kind", "release").await;
    fill(&c, "#f-amount", "10,000").await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, ".error", "Refused").await;
    refused_checks(&c, "admin-ledger-refused", &mut f).await;
    f.page(&c, "admin-ledger-refused", false).await;

    // Every page the administrator has.
    for (path, name) in [
        ("/".to_string(), "admin-dashboard"),
        ("/?q=oak&sort=funds".to_string(), "admin-dashboard-search"),
        (
            "/?q=nothing-like-it".to_string(),
            "admin-dashboard-no-match",
        ),
        ("/exchanges/import".to_string(), "admin-import"),
        (ex.clone(), "admin-exchange"),
        (format!("{ex}/identify"), "admin-identify"),
        (format!("{ex}/ledger"), "admin-ledger"),
        (format!("{ex}/plan"), "admin-planner"),
        (format!("{ex}/audit"), "admin-audit"),
        (format!("{ex}/edit"), "admin-edit"),
        ("/notifications".to_string(), "admin-notifications"),
        ("/calc".to_string(), "admin-calculator"),
        ("/exchanges/no-such-exchange".to_string(), "admin-not-found"),
    ] {
        f.get(&c, &base, &path, name).await;
    }
    // More refused forms: the calendar settings (two problems at once) and the facts.
    c.goto(&format!("{base}/notifications")).await.unwrap();
    fill(&c, "#f-time_zone", "Mars/Olympus").await;
    fill(&c, "#f-reminder_days", "x, 7").await;
    click(
        &c,
        "form[action='/notifications/settings'] button[type=submit]",
    )
    .await;
    wait_text(&c, "main", "Not saved").await;
    refused_checks(&c, "admin-notifications-refused", &mut f).await;
    f.page(&c, "admin-notifications-refused", false).await;
    c.goto(&format!("{base}{ex}/edit")).await.unwrap();
    fill(&c, "#f-file", "{ not json").await;
    click(&c, "#editform button[type=submit]").await;
    wait_text(&c, "main", "Not saved").await;
    refused_checks(&c, "admin-edit-refused", &mut f).await;
    f.page(&c, "admin-edit-refused", false).await;
    layout_checks(&c, &base, &ex, &mut f).await;
    logout(&c).await;

    // Logged out: login (and a refused login), the calculator, a page that does not exist.
    f.get(&c, &base, "/login", "login").await;
    fill(&c, "#f-email", "ada@acme.test").await;
    fill(&c, "#f-password", "not the password").await;
    click(&c, "form.card button[type=submit]").await;
    wait_text(&c, "[role=alert]", "").await;
    refused_checks(&c, "login-refused", &mut f).await;
    f.page(&c, "login-refused", false).await;
    f.get(&c, &base, "/calc", "calculator").await;
    f.get(
        &c,
        &base,
        "/exchanges/no-such-exchange",
        "logged-out-not-found",
    )
    .await;

    // The coordinator and the preparer.
    login(&c, &base, "cole@acme.test").await;
    for (path, name) in [
        ("/".to_string(), "coordinator-dashboard"),
        (ex.clone(), "coordinator-exchange"),
        (format!("{ex}/ledger"), "coordinator-ledger"),
        (format!("{ex}/identify"), "coordinator-identify"),
        (format!("{ex}/plan"), "coordinator-planner"),
    ] {
        f.get(&c, &base, &path, name).await;
    }
    logout(&c).await;
    login(&c, &base, "pia@acme.test").await;
    for (path, name) in [
        ("/".to_string(), "preparer-dashboard"),
        (ex.clone(), "preparer-exchange"),
        (format!("{ex}/ledger"), "preparer-ledger"),
        (format!("{ex}/edit"), "preparer-edit"),
    ] {
        f.get(&c, &base, &path, name).await;
    }
    logout(&c).await;

    // The client identifies: the check stays beside (wide) or below (narrow) the list.
    login(&c, &base, "dana@client.test").await;
    f.get(&c, &base, "/", "client-dashboard").await;
    // A refused notice first: no date and two values that are not amounts, all at once.
    c.goto(&format!("{base}{ex}/identify")).await.unwrap();
    set_date(&c, "f-on", "").await;
    fill(&c, "#f-id_0", "elm").await;
    fill(&c, "#f-fmv_0", "lots").await;
    fill(&c, "#f-id_1", "pine").await;
    fill(&c, "#f-fmv_1", "more").await;
    click(&c, "#idform > button[type=submit]:not(.secondary)").await;
    wait_text(&c, "main", "Not saved").await;
    refused_checks(&c, "client-identify-refused", &mut f).await;
    f.page(&c, "client-identify-refused", false).await;
    c.goto(&format!("{base}{ex}/identify")).await.unwrap();
    set_date(&c, "f-on", "2026-04-20").await;
    for (n, (id, desc, fmv)) in [
        ("elm", "400 Elm St, Austin TX", "600,000"),
        ("pine", "9 Pine Rd, Reno NV", "700,000"),
        ("ash", "1 Ash Ave, Boise ID", "650,000"),
        ("fir", "5 Fir Ln, Bend OR", "500,000"),
    ]
    .iter()
    .enumerate()
    {
        fill(&c, &format!("#f-id_{n}"), id).await;
        fill(&c, &format!("#f-desc_{n}"), desc).await;
        fill(&c, &format!("#f-fmv_{n}"), fmv).await;
    }
    wait_text(
        &c,
        "#judgement",
        "valid only if you receive at least 95% of it",
    )
    .await;
    for (w, h) in WIDTHS {
        c.set_window_size(w, h).await.unwrap();
        script(&c, "window.scrollTo(0, 0); document.getElementById('f-fmv_3').scrollIntoView({block: 'center'}); return 1;").await;
        tokio::time::sleep(Duration::from_millis(150)).await;
        let seen = script(&c, "const r = document.getElementById('judgement').getBoundingClientRect(); return r.top < window.innerHeight && r.bottom > 0;").await;
        if seen != json!(true) {
            f.0.push(format!(
                "identification at {w}px: the check is out of view while the list is filled in"
            ));
        }
    }
    f.page(&c, "client-identify-invalid", false).await;
    for k in ["#f-id_3", "#f-desc_3", "#f-fmv_3"] {
        fill(&c, k, "").await;
    }
    wait_text(&c, "#judgement", "This list is a valid identification").await;
    f.page(&c, "client-identify-valid", false).await;
    click(&c, "#idform > button[type=submit]:not(.secondary)").await;
    wait_text(&c, "main", "waiting for the client").await;
    click(&c, "form[action$='/sign'] button").await;
    wait_text(&c, "main", "signed by the client").await;
    for (path, name) in [
        (ex.clone(), "client-exchange"),
        (format!("{ex}/ledger"), "client-ledger"),
        (format!("{ex}/plan"), "client-planner"),
        ("/notifications".to_string(), "client-notifications"),
        ("/calc".to_string(), "client-calculator"),
    ] {
        f.get(&c, &base, &path, name).await;
    }
    logout(&c).await;
    c.close().await.unwrap();

    assert!(
        f.0.is_empty(),
        "{} problems:\n{}",
        f.0.len(),
        f.0.join("\n")
    );
}
