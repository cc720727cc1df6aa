//! In-process page tests (no socket, no browser): every page answers with its heading, its
//! labels and its empty state; forms go through the API's rules; tenancy holds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;

#[tokio::test]
async fn first_run_creates_the_firm_then_login_is_required() {
    let (app, _s, _d) = app().await;
    let mut anon = Browser::default();
    let r = anon.get(&app, "/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some("/login"));
    let r = anon.get(&app, "/login").await;
    assert_eq!(
        r.location.as_deref(),
        Some("/setup"),
        "a new server sends you to first run"
    );
    let r = anon.get(&app, "/setup").await;
    assert!(r.body.contains("<h1>Welcome to likekind</h1>"));
    assert!(
        r.body
            .contains(r#"<label for="f-firm_name">Firm name</label>"#)
    );
    // A short password: the API's rule, shown in words, nothing created.
    let r = anon
        .post(
            &app,
            "/setup",
            &[
                ("firm_name", "Acme"),
                ("name", "Ada"),
                ("email", "ada@acme.test"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("at least 12 characters"), "{}", r.body);
    let mut a = admin(&app).await;
    let r = a.get(&app, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h1>Dashboard</h1>"));
    assert!(r.body.contains("No exchanges yet"), "empty state");
    assert!(r.body.contains("Today is May 1, 2026."));
    // First run is closed now.
    let r = Browser::default().get(&app, "/setup").await;
    assert_eq!(r.location.as_deref(), Some("/login"));
    // A wrong password is an error message, not a crash.
    let r = Browser::default()
        .post(
            &app,
            "/login",
            &[("email", "ada@acme.test"), ("password", "wrong password!!")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("wrong e-mail or password"));
    // Pages carry their stylesheet and script from this server only.
    let r = a.get(&app, "/assets/htmx.min.js").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.len() > 40_000);
    assert!(
        !a.get(&app, "/").await.body.contains("https://"),
        "no external resource"
    );
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    let r = a
        .post(
            &app,
            "/exchanges/new",
            &[("_csrf", "forged"), ("name", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("This form has expired"));
}

#[tokio::test]
async fn the_main_flow_in_pages() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    let mut client = user(&app, &mut a, "Dana Investor", "dana@client.test", "client").await;
    let r = a.get(&app, "/exchanges/new").await;
    assert!(
        r.body
            .contains(r#"<label for="f-rel_location">State (two letters) or foreign:XX</label>"#)
    );
    let dana = option_value(&r.body, "Dana Investor &lt;dana@client.test&gt;");
    // Bad input: the engine's field path, in a message, nothing created.
    let r = a
        .post(
            &app,
            "/exchanges/new",
            &[
                ("name", "Bad"),
                ("entity", "individual"),
                ("transferred", "soon"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("relinquished[0].acquired"), "{}", r.body);
    let id = new_exchange(&app, &mut a, "Oak Street to Elm Plaza", &dana).await;

    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    for h in [
        "<h1>Oak Street to Elm Plaza</h1>",
        "Timeline",
        "The money",
        "Form 8824, Part III",
        "Findings",
        "Identification",
    ] {
        assert!(r.body.contains(h), "missing {h}");
    }
    assert!(
        r.body.contains("May 16, 2026"),
        "day 45 of a Apr 1 sale, US format"
    );
    assert!(r.body.contains("$1,000,000.00"));
    assert!(
        r.body
            .contains("<title id=\"tl-title\">Timeline of the exchange</title>"),
        "chart has a title"
    );
    assert!(
        r.body.contains("The timeline as a table"),
        "chart has a text alternative"
    );
    assert!(
        r.body.contains("<details class=\"figure\">"),
        "figures expand into their explanation"
    );
    assert!(r.body.contains("No money has moved yet."));

    // The sale closes; proceeds arrive.
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/closed"),
            &[("on_date", "2026-04-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    a.get(&app, &format!("/exchanges/{id}/ledger")).await;
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/ledger"),
            &[
                ("kind", "receipt"),
                ("amount", "670,000"),
                ("posted_on", "2026-04-01"),
                ("memo", "sale proceeds"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}/ledger")).await;
    assert!(r.body.contains("Sale proceeds received") && r.body.contains("$670,000.00"));

    // Identification judged as typed: three properties, then a fourth over 200%.
    let r = client.get(&app, &format!("/exchanges/{id}/identify")).await;
    assert!(
        r.body
            .contains(r#"<label for="fmv_0">Fair market value</label>"#)
    );
    let three = [
        ("identified_on", "2026-04-20"),
        ("id_0", "elm"),
        ("desc_0", "400 Elm St, Austin TX"),
        ("fmv_0", "600,000"),
        ("id_1", "pine"),
        ("desc_1", "9 Pine Rd, Reno NV"),
        ("fmv_1", "700,000"),
        ("id_2", "ash"),
        ("desc_2", "1 Ash Ave, Boise ID"),
        ("fmv_2", "650,000"),
    ];
    let r = client
        .send(
            &app,
            "POST",
            &format!("/exchanges/{id}/identify/check"),
            &three,
            true,
        )
        .await;
    assert!(
        r.body.starts_with("<div id=\"judgement\""),
        "a fragment: {}",
        r.body
    );
    assert!(
        r.body.contains("This list is a valid identification")
            && r.body.contains("the three-property rule"),
        "{}",
        r.body
    );
    let mut four = three.to_vec();
    four.extend([
        ("id_3", "fir"),
        ("desc_3", "5 Fir Ln, Bend OR"),
        ("fmv_3", "500,000"),
    ]);
    let r = client
        .send(
            &app,
            "POST",
            &format!("/exchanges/{id}/identify/check"),
            &four,
            true,
        )
        .await;
    assert!(
        r.body.contains("would not be a valid identification"),
        "4 properties worth $2.45M > 200% of $1M: {}",
        r.body
    );
    assert!(r.body.contains("More than three properties"));
    // Without script, the same check answers with the whole page.
    let r = client
        .send(
            &app,
            "POST",
            &format!("/exchanges/{id}/identify/check"),
            &four,
            false,
        )
        .await;
    assert!(
        r.body.contains("<h1>Identify replacement property</h1>")
            && r.body.contains("would not be a valid")
    );
    // Submit the three, the client signs.
    let r = client
        .post(&app, &format!("/exchanges/{id}/identify"), &three)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = client.get(&app, &format!("/exchanges/{id}")).await;
    assert!(
        r.body.contains("waiting for the client&#39;s signature")
            || r.body.contains("waiting for the client's signature"),
        "{}",
        r.body
    );
    let i = r.body.find("/notices/").unwrap();
    let nid = r.body[i + 9..].split('/').next().unwrap().to_string();
    let r = client
        .post(&app, &format!("/exchanges/{id}/notices/{nid}/sign"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(r.body.contains("signed by the client"));
    assert!(r.body.contains("three-property rule"));

    // An early release is refused, in words, with the date and the regulation.
    a.get(&app, &format!("/exchanges/{id}/ledger")).await;
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/ledger"),
            &[
                ("kind", "release"),
                ("amount", "1000"),
                ("posted_on", "2026-05-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Refused: the money cannot go to the taxpayer yet."),
        "{}",
        r.body
    );
    assert!(r.body.contains("1.1031(k)-1(g)(6)"));
    assert!(
        !r.body.contains("release_before_allowed"),
        "words, not codes"
    );

    // A purchase closes.
    a.get(&app, &format!("/exchanges/{id}")).await;
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/purchase"),
            &[
                ("rid", "elm"),
                ("location", "TX"),
                ("received", "2026-06-15"),
                ("price", "600,000"),
                ("liabilities", "250,000"),
                ("expenses", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(r.body.contains("Purchase of elm"), "on the timeline");
    assert!(r.body.contains("Line 19. Realized gain or (loss)"));

    // The planner: strategies side by side, recommended first, a chart with its table.
    let r = a
        .get(
            &app,
            &format!("/exchanges/{id}/plan?horizon=10&growth=3&hold=sale"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("<h2>Strategies side by side</h2>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Recommended: "), "{}", r.body);
    let first_col = r
        .body
        .find("<thead><tr><th scope=\"col\"></th><th scope=\"col\">")
        .unwrap();
    assert!(
        r.body[first_col..]
            .split("</th>")
            .nth(1)
            .unwrap()
            .contains("Recommended"),
        "recommended strategy is the first column"
    );
    assert!(
        r.body
            .contains("After-tax value over the horizon, per strategy"),
        "chart title"
    );
    assert!(r.body.contains("The chart as a table"));

    // Dashboard: the deadline, most urgent first; audit log; exports.
    let r = a.get(&app, "/").await;
    assert!(
        r.body.contains("Deadlines, most urgent first")
            && r.body.contains("Oak Street to Elm Plaza")
    );
    let r = a.get(&app, &format!("/exchanges/{id}/audit")).await;
    assert!(
        r.body
            .contains("<h1>Audit log: Oak Street to Elm Plaza</h1>")
            && r.body.contains("Ada Admin")
    );
    let r = a.get(&app, &format!("/exchanges/{id}/export/report")).await;
    assert!(r.body.contains("\"form_8824\""));
    let r = a.get(&app, &format!("/exchanges/{id}/export/ics")).await;
    assert!(r.body.starts_with("BEGIN:VCALENDAR"));
    let r = a.get(&app, &format!("/exchanges/{id}/export/file")).await;
    assert!(r.body.contains("\"relinquished\""));
    // The exported file imports back.
    a.get(&app, "/exchanges/import").await;
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[("name", "Copy"), ("format", "json"), ("text", &r.body)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[
                ("format", "toml"),
                ("text", "[taxpayer]\nentity = \"robot\"\n"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("taxpayer.entity"), "{}", r.body);
}

#[tokio::test]
async fn a_client_sees_only_their_own_exchanges() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    let mut c1 = user(&app, &mut a, "Client One", "one@client.test", "client").await;
    let mut c2 = user(&app, &mut a, "Client Two", "two@client.test", "client").await;
    let r = a.get(&app, "/exchanges/new").await;
    let one = option_value(&r.body, "Client One &lt;");
    let id = new_exchange(&app, &mut a, "One's exchange", &one).await;
    let r = c1.get(&app, &format!("/exchanges/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        !r.body.contains("Audit log</a>"),
        "clients do not get the audit log"
    );
    let r = c2.get(&app, &format!("/exchanges/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("not yours to see"));
    assert_eq!(
        c2.get(&app, &format!("/exchanges/{id}/ledger"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = c2.get(&app, "/").await;
    assert!(
        r.body.contains("<h1>Your exchanges</h1>")
            && r.body.contains("has not opened an exchange for you yet")
    );
    assert!(!r.body.contains("One&#39;s exchange") && !r.body.contains("One's exchange"));
    let r = c1.get(&app, "/").await;
    assert!(r.body.contains("exchange"), "{}", r.body);
    // Clients cannot manage users or open exchanges.
    assert_eq!(c1.get(&app, "/users").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        c1.get(&app, "/exchanges/new").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_calculator_works_without_an_account() {
    let (app, _s, _d) = app().await;
    let mut anon = Browser::default();
    let r = anon.get(&app, "/calc").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h1>Quick calculator</h1>") && r.body.contains("Enter a sale date"));
    let r = anon
        .get(&app, "/calc?transferred=2026-03-02&entity=individual&year_end=12-31&sale_price=1000000&basis=400000&old_debt=300000&expenses=30000&price=600000&new_debt=250000&cash_paid=")
        .await;
    assert!(
        r.body.contains("Apr 16, 2026"),
        "day 45 of Mar 2: {}",
        r.body
    );
    assert!(r.body.contains("Aug 29, 2026"), "day 180");
    assert!(r.body.contains("Boot"), "{}", r.body);
    let r = anon
        .send(
            &app,
            "GET",
            "/calc?transferred=2026-03-02&sale_price=12abc",
            &[],
            true,
        )
        .await;
    assert!(r.body.starts_with("<div id=\"results\""));
    assert!(r.body.contains("is not an amount of dollars"));
}
