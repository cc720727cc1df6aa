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
            .contains(r#"<label for="f-rel_location">State or country</label>"#)
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
    // Every problem at once, in words, each field marked.
    // Each named as the form labels it.
    assert!(r.body.contains("Date acquired: enter a date"), "{}", r.body);
    assert!(r.body.contains("Date of sale: enter a date"), "{}", r.body);
    assert!(!r.body.contains("relinquished[0]"));
    for f in ["f-acquired", "f-transferred", "f-taxpayer", "f-sale_price"] {
        let i = r.body.find(&format!("id=\"{f}\"")).unwrap();
        let tag = &r.body[i..i + r.body[i..].find('>').unwrap()];
        assert!(tag.contains("aria-invalid=\"true\""), "{f}: {tag}");
    }
    let id = new_exchange(&app, &mut a, "Oak Street to Elm Plaza", &dana).await;

    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    for h in [
        "<h1>Oak Street to Elm Plaza</h1>",
        "Timeline",
        "The money",
        "Part I: information on the like-kind exchange",
        "Part II: related party exchange information",
        "Part III: realized gain or (loss)",
        "<nav class=\"sections\" aria-label=\"Sections of this page\">",
        "Findings",
        "Identification",
    ] {
        assert!(r.body.contains(h), "missing {h}");
    }
    // The engine's one verdict, in words, beside the form lines: nothing bought yet, so as
    // entered the transfer is a taxable sale and Form 8824 is not filed.
    assert!(
        r.body.contains("Outcome: taxable sale."),
        "the verdict in words"
    );
    assert!(r.body.contains("Form 8824 is not filed."));
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
            .contains(r#"<label for="f-fmv_0">Fair market value</label>"#)
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
        r.body
            .contains("valid only if you receive at least 95% of it")
            && r.body.contains("$2,327,500.00"),
        "4 properties worth $2.45M > 200% of $1M: the 95% rule: {}",
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
            && r.body.contains("valid only if you receive at least 95%")
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
            .contains("Refused: </strong>the money cannot go to the taxpayer yet."),
        "{}",
        r.body
    );
    assert!(r.body.contains("1.1031(k)-1(g)(6)"));
    assert!(
        !r.body.contains("release_before_allowed"),
        "words, not codes"
    );

    // A purchase "closed" after today is refused, with every other problem of the form at
    // once, and nothing is stored.
    a.get(&app, &format!("/exchanges/{id}")).await;
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/purchase"),
            &[
                ("rid", "elm"),
                ("location", "Texas"),
                ("received", "2026-06-15"),
                ("price", "600,000"),
                ("liabilities", "abc"),
                ("expenses", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // "Texas" is a place (it was refused as a code before the form read places in words).
    assert!(r.body.contains("2 things to correct."), "{}", r.body);
    assert!(
        r.body.contains("is after today (May 1, 2026)"),
        "{}",
        r.body
    );
    assert!(r.body.contains("is not an amount of dollars"), "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(
        !r.body.contains("Purchase of 400 Elm St, Austin TX"),
        "nothing stored"
    );
    // It closes.
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/purchase"),
            &[
                ("rid", "elm"),
                ("location", "TX"),
                ("received", "2026-04-25"),
                ("price", "600,000"),
                ("liabilities", "250,000"),
                ("expenses", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(
        r.body.contains("Purchase of 400 Elm St, Austin TX"),
        "on the timeline"
    );
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
    // The row the after-tax value subtracts, so that the column adds up.
    assert!(
        r.body
            .contains("<th scope=\"row\">Every tax after now, at face value</th>"),
        "{}",
        r.body
    );
    let first_col = r
        .body
        .find("<thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">")
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
    // Every strategy is named by its title, never by the planner's key.
    for key in [
        "complete_1031",
        "partial_1031_as_entered",
        "partial_1031_boot_to_qof",
        "failed_1031_gain_to_qof",
        "sell_pay_tax",
        "installment_sale",
        "dst_fallback",
    ] {
        assert!(!r.body.contains(key), "`{key}` on the planner page");
    }
    assert!(r.body.contains("Sell and pay the tax"), "{}", r.body);

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
    assert!(
        r.body.contains("The taxpayer&#39;s type") || r.body.contains("The taxpayer's type"),
        "{}",
        r.body
    );
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

/// The href of the first link starting with `prefix`.
fn link(body: &str, prefix: &str) -> String {
    let i = body
        .find(&format!("href=\"{prefix}"))
        .unwrap_or_else(|| panic!("no link {prefix}"));
    let rest = &body[i + 6..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// The text of the element with `id` (tags removed), to read one figure or verdict.
/// The text of the element `tag` with `id`, its own tags left out, entities as written.
fn by_tag_id(body: &str, id: &str, tag: &str) -> String {
    let i = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = i + body[i..].find('>').unwrap() + 1;
    let end = start + body[start..].find(&format!("</{tag}>")).unwrap();
    body[start..end].replace("&#39;", "'")
}

fn by_id(body: &str, id: &str) -> String {
    let i = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = i + body[i..].find('>').unwrap() + 1;
    let end = start + body[start..].find("</p>").unwrap();
    let mut out = String::new();
    let mut tag = false;
    for c in body[start..end].chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn documents_are_uploaded_listed_and_downloaded_by_who_may_see_the_exchange() {
    let (_app, store, _d) = app().await;
    // A small limit, to see the too-large refusal.
    let app = app_on(&store, |c| c.upload_limit = 1024);
    let (mut a, mut client, id) = funded(&app).await;
    let mut other = user(&app, &mut a, "Other Client", "other@client.test", "client").await;
    let page = format!("/exchanges/{id}");
    let r = client.get(&app, &page).await;
    assert!(
        r.body.contains("<h2 id=\"doc-h\">Documents</h2>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("No document yet."));
    assert!(r.body.contains(r#"<label for="f-doc-file">File</label>"#));
    assert!(r.body.contains(r#"enctype="multipart/form-data""#));
    assert!(r.body.contains("Up to 1 KB"), "the limit is said");

    // The client uploads the exchange agreement.
    let pdf: &[u8] = b"%PDF-1.7 exchange agreement";
    let r = client
        .multipart(
            &app,
            &format!("{page}/documents"),
            &[("kind", "exchange_agreement")],
            &[("file", "agreement.pdf", pdf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some(&*format!("{page}#doc-h")));
    // Listed for staff with name, kind, size, uploader and a US date.
    let r = a.get(&app, &page).await;
    let uploaded = likekind_web::fmt::date(
        jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date(),
    );
    for want in [
        "agreement.pdf",
        "Exchange agreement",
        "27 bytes",
        "Dana Investor",
        uploaded.as_str(),
    ] {
        assert!(r.body.contains(want), "missing {want}: {}", r.body);
    }
    assert!(!r.body.contains("No document yet."));
    let href = link(&r.body, &format!("{page}/documents/"));
    // The client downloads it, byte for byte, as an attachment.
    let (s, h, bytes) = client.download(&app, &href).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(bytes, pdf);
    assert_eq!(
        h.get("content-disposition").unwrap(),
        "attachment; filename=\"agreement.pdf\""
    );
    assert_eq!(h.get("content-type").unwrap(), "application/octet-stream");
    // Another client can neither download nor upload: 404, which reveals nothing.
    let (s, _, _) = other.download(&app, &href).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    other.get(&app, "/").await;
    let r = other
        .multipart(
            &app,
            &format!("{page}/documents"),
            &[("kind", "other")],
            &[("file", "x.txt", b"x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Refusals name the field, in words, and nothing is stored.
    client.get(&app, &page).await;
    let r = client
        .multipart(
            &app,
            &format!("{page}/documents"),
            &[("kind", "other")],
            &[("file", "", b"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("File: choose a file to upload"),
        "{}",
        r.body
    );
    let r = client
        .multipart(
            &app,
            &format!("{page}/documents"),
            &[("kind", "other")],
            &[("file", "empty.txt", b"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("empty.txt is empty"), "{}", r.body);
    let big = vec![b'x'; 2000];
    let r = client
        .multipart(
            &app,
            &format!("{page}/documents"),
            &[("kind", "other")],
            &[("file", "big.bin", &big)],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.body
            .contains("File: the file is larger than the limit of 1 KB"),
        "{}",
        r.body
    );
    // Far above the limit: the body is cut off while it is read, with the same answer.
    let huge = vec![b'x'; 200 * 1024];
    let r = client
        .multipart(
            &app,
            &format!("{page}/documents"),
            &[("kind", "other")],
            &[("file", "huge.bin", &huge)],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.body.contains("larger than the limit of 1 KB"),
        "{}",
        r.body
    );
    // A forged form is refused.
    let r = client
        .multipart(
            &app,
            &format!("{page}/documents"),
            &[("_csrf", "forged"), ("kind", "other")],
            &[("file", "x.txt", b"x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = a.get(&app, &page).await;
    assert_eq!(r.body.matches(&format!("{page}/documents/")).count(), 1);
}

#[tokio::test]
async fn a_notice_is_revoked_in_writing_before_day_45_and_refused_after() {
    let (app, store, _d) = app().await;
    let (mut a, mut client, id) = funded(&app).await;
    let mut cpa = user(&app, &mut a, "Carl Preparer", "carl@cpa.test", "preparer").await;
    let page = format!("/exchanges/{id}");
    client.get(&app, &format!("{page}/identify")).await;
    let r = client
        .post(
            &app,
            &format!("{page}/identify"),
            &[
                ("identified_on", "2026-04-20"),
                ("id_0", "elm"),
                ("desc_0", "400 Elm St, Austin TX"),
                ("fmv_0", "600,000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = client.get(&app, &page).await;
    let nid = link_action(&r.body, "/sign")
        .split('/')
        .nth(4)
        .unwrap()
        .to_string();
    client
        .post(&app, &format!("{page}/notices/{nid}/sign"), &[])
        .await;
    let r = client.get(&app, &page).await;
    assert!(
        by_id(&r.body, "id-verdict").contains("Valid identification under the three-property rule"),
        "{}",
        by_id(&r.body, "id-verdict")
    );
    // The rule in words, with the date and the regulation, and a labelled form.
    assert!(
        r.body
            .contains("<h3 id=\"rev-h\">Revoking an identification</h3>")
    );
    assert!(r.body.contains(
        "written document signed by the taxpayer and delivered to the intermediary before the end of the 45-day identification period"
    ));
    assert!(
        r.body.contains("by <strong>May 16, 2026</strong>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Treas. Reg. §1.1031(k)-1(c)(6)"));
    // The client's revocation is dated today; staff get a labelled date field.
    assert!(r.body.contains("Dated today, May 1, 2026."), "{}", r.body);
    assert!(r.body.contains("Revoke this notice"));
    let staff = a.get(&app, &page).await;
    assert!(staff.body.contains(&format!(
        "<label for=\"rev-{nid}-on\">Date the written revocation was delivered</label>"
    )));
    let revoke = format!("{page}/notices/{nid}/revoke");

    // After day 45 (June 1): refused, with the reason; the page says so and offers no button.
    let later = app_on(&store, |c| c.today = Some(jiff::civil::date(2026, 6, 1)));
    let r = client.get(&later, &page).await;
    assert!(
        r.body.contains("The identification period ended on May 16, 2026: these notices can no longer be revoked"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Revoke this notice"));
    let r = client
        .post(
            &later,
            &revoke,
            &[("revoked_on", "2026-06-01"), ("written", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("Refused: </strong>too late to revoke."),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("the identification period ended on <strong>May 16, 2026</strong>")
    );
    assert!(r.body.contains("The date of revocation is too late"));
    assert!(
        !r.body.contains("within_identification_period"),
        "words, not codes"
    );

    // Before day 45: the written confirmation and a sensible date are required.
    client.get(&app, &page).await;
    let r = client
        .post(&app, &revoke, &[("revoked_on", "2026-05-01")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("The written revocation: confirm that the revocation is a written document"),
        "{}",
        r.body
    );
    // A client cannot date a revocation back: the portal's is dated today.
    let r = client
        .post(
            &app,
            &revoke,
            &[("revoked_on", "2026-04-25"), ("written", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(
            "The date revoked: a revocation made in the client portal is dated the day it is made"
        ),
        "{}",
        r.body
    );
    // Staff record the delivery date of a paper revocation, but not before the notice.
    a.get(&app, &page).await;
    let r = a
        .post(
            &app,
            &revoke,
            &[("revoked_on", "2026-04-19"), ("written", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("The date revoked: a revocation cannot be dated before the notice"),
        "{}",
        r.body
    );
    // A tax preparer does not revoke.
    cpa.get(&app, &page).await;
    let r = cpa
        .post(
            &app,
            &revoke,
            &[("revoked_on", "2026-05-01"), ("written", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The client revokes; the verdict follows.
    let r = client
        .post(
            &app,
            &revoke,
            &[("revoked_on", "2026-05-01"), ("written", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &page).await;
    assert!(r.body.contains("revoked on May 1, 2026"), "{}", r.body);
    assert!(
        r.body.contains("Revoked 400 Elm St, Austin TX"),
        "on the timeline"
    );
    let v = by_id(&r.body, "id-verdict");
    assert!(
        v.contains("No valid identification") || v.contains("No identification in force"),
        "{v}"
    );
    assert!(!r.body.contains("Revoke this notice"));
    // A notice still waiting for its signature is withdrawn by the QI, the file untouched.
    let r = client
        .post(
            &app,
            &format!("{page}/identify"),
            &[
                ("identified_on", "2026-05-01"),
                ("id_0", "fir"),
                ("desc_0", "5 Fir Ln, Bend OR"),
                ("fmv_0", "700,000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &page).await;
    assert!(
        r.body
            .contains("Revoke the notice of May 1, 2026 (fir), not yet signed"),
        "{}",
        r.body
    );
    let i = r.body.find("/revoke\"").unwrap();
    let start = r.body[..i].rfind("action=\"").unwrap() + 8;
    let action = format!("{}/revoke", &r.body[start..i]);
    let r = a
        .post(
            &app,
            &action,
            &[("revoked_on", "2026-05-01"), ("written", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &page).await;
    assert_eq!(r.body.matches("revoked on May 1, 2026").count(), 2);
}

#[tokio::test]
async fn the_firm_threshold_is_set_by_an_administrator_only() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    let mut coord = user(
        &app,
        &mut a,
        "Cora Coordinator",
        "cora@acme.test",
        "coordinator",
    )
    .await;
    let r = a.get(&app, "/firm").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h1>Firm settings: Acme Exchange Co</h1>"));
    assert!(
        r.body.contains("<a href=\"/firm\">Firm settings</a>"),
        "in the navigation"
    );
    assert!(by_id(&r.body, "threshold-now").contains("above $100,000.00"));
    assert!(
        r.body
            .contains(r#"<label for="f-approval_threshold">Second-approval threshold</label>"#)
    );
    // QA: the hint said only disbursements wait. The server holds every payment out to the
    // threshold (a closing paid, a release, the fee), alone or added up over the exchange.
    let hint = by_tag_id(&r.body, "f-approval_threshold-hint", "small");
    for said in [
        "Every payment out of an exchange's funds waits for a second person's approval when it is above this amount",
        "a payment to a purchase closing, a release of funds to the taxpayer, and the intermediary's fee",
        "added to what has already left that exchange without a second approval",
        "0 means every payment out waits",
        "Money coming in (sale proceeds, interest) never waits",
    ] {
        assert!(hint.contains(said), "{said}: {hint}");
    }
    assert!(!hint.contains("Disbursements above"), "{hint}");
    assert!(r.body.contains("has not been changed"));
    // Non-admins are refused, in words, and do not see the link.
    let r = coord.get(&app, "/firm").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("nly an administrator changes the firm"));
    let r = coord.get(&app, "/").await;
    assert!(!r.body.contains("href=\"/firm\""));
    let r = coord
        .post(&app, "/firm", &[("approval_threshold", "1")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Bad amounts name the field.
    a.get(&app, "/firm").await;
    let r = a
        .post(&app, "/firm", &[("approval_threshold", "lots")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("The approval threshold"), "{}", r.body);
    let r = a.post(&app, "/firm", &[("approval_threshold", "-5")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("cannot be negative"), "{}", r.body);
    // Set; shown, and in the history of changes (the audit log) with who and before/after.
    let r = a
        .post(&app, "/firm", &[("approval_threshold", "$50,000")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, "/firm").await;
    assert!(by_id(&r.body, "threshold-now").contains("above $50,000.00"));
    let hist = &r.body[r.body.find("id=\"hist-h\"").unwrap()..];
    assert!(
        hist.contains("Ada Admin") && hist.contains("$100,000.00") && hist.contains("$50,000.00"),
        "{hist}"
    );
}

#[tokio::test]
async fn a_second_person_approves_or_rejects_a_disbursement_above_the_threshold() {
    let (app, _s, _d) = app().await;
    let (mut a, _client, id) = funded(&app).await;
    a.get(&app, "/firm").await;
    let r = a
        .post(&app, "/firm", &[("approval_threshold", "50,000")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut cora = user(
        &app,
        &mut a,
        "Cora Coordinator",
        "cora@acme.test",
        "coordinator",
    )
    .await;
    let mut cole = user(
        &app,
        &mut a,
        "Cole Coordinator",
        "cole@acme.test",
        "coordinator",
    )
    .await;
    let ledger = format!("/exchanges/{id}/ledger");
    let disburse = |amount: &'static str| {
        [
            ("kind", "disbursement"),
            ("property", "elm"),
            ("amount", amount),
            ("memo", "deposit on elm"),
        ]
    };
    // No purchase closing recorded: the form says so, and a payment to one is refused.
    let r = cora.get(&app, &ledger).await;
    assert!(
        r.body
            .contains("No purchase closing is recorded on this exchange yet.")
    );
    let r = cora.post(&app, &ledger, &disburse("100,000")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("has no purchase closing recorded on this exchange"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Funds held: <strong>$670,000.00</strong>"));
    // elm's purchase closed within the 45 days: the form offers it.
    a.get(&app, &format!("/exchanges/{id}")).await;
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/purchase"),
            &[
                ("rid", "elm"),
                ("location", "TX"),
                ("received", "2026-04-20"),
                ("price", "600,000"),
                ("liabilities", "0"),
                ("expenses", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = cora.get(&app, &ledger).await;
    assert!(
        r.body
            .contains("<option value=\"elm\">elm, closed Apr 20, 2026</option>"),
        "{}",
        r.body
    );
    let r = cora.post(&app, &ledger, &disburse("100,000")).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert!(r.body.contains("Filed for a second approval."));
    assert!(
        r.body
            .contains("it is above the firm&#39;s limit of $50,000.00 for one signature")
            || r.body
                .contains("it is above the firm's limit of $50,000.00 for one signature"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("You asked for it, so someone else must approve it.")
    );
    assert!(
        !r.body.contains("/approve\""),
        "no approve button for the requester"
    );
    // The requester cannot approve it: refused in words, nothing paid.
    let r = cole.get(&app, &ledger).await;
    let approve = link_action(&r.body, "/approve");
    let r = cora.post(&app, &approve, &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body.contains(
            "a second person must approve: the requester cannot approve their own disbursement"
        ),
        "{}",
        r.body
    );
    assert!(r.body.contains("Funds held: <strong>$670,000.00</strong>"));
    // A second coordinator approves: paid, and marked as approved by a second person.
    cole.get(&app, &ledger).await;
    let r = cole.post(&app, &approve, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = cole.get(&app, &ledger).await;
    assert!(r.body.contains("approved by a second person and paid."));
    assert!(r.body.contains("Approved by a second person"));
    // Who asked and who approved, by name.
    assert!(
        r.body
            .contains("<td>Cora Coordinator<br><small>approved by Cole Coordinator</small></td>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("-$100,000.00"));
    assert!(
        r.body.contains("Funds held: <strong>$570,000.00</strong>"),
        "{}",
        r.body
    );
    // Another is rejected: nothing moves.
    cora.get(&app, &ledger).await;
    let r = cora.post(&app, &ledger, &disburse("60,000")).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    let r = cole.get(&app, &ledger).await;
    let reject = link_action(&r.body, "/reject");
    let r = cole.post(&app, &reject, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = cole.get(&app, &ledger).await;
    assert!(
        r.body
            .contains("rejected by a second person; nothing was paid.")
    );
    assert!(r.body.contains("Funds held: <strong>$570,000.00</strong>"));
    // QA: the audit page listed an approved or refused payment as every field "(removed)".
    // It says the decision, who decided and, when money moved, the balance it left.
    let r = a.get(&app, &format!("/exchanges/{id}/audit")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("(removed)"), "{}", r.body);
    assert!(
        r.body
            .contains("<strong>Decision</strong>: waiting for a second person → approved"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("<strong>Decision</strong>: waiting for a second person → refused"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("<strong>Balance</strong>: $570,000.00"),
        "{}",
        r.body
    );
    // At or below the threshold, one person is enough.
    let r = cora.get(&app, &ledger).await;
    assert!(r.status.is_success());
    let r = cora.post(&app, &ledger, &disburse("50,000")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = cora.get(&app, &ledger).await;
    assert!(r.body.contains("Funds held: <strong>$520,000.00</strong>"));
}

/// The action of the first form whose action ends with `suffix`.
fn link_action(body: &str, suffix: &str) -> String {
    let i = body
        .find(&format!("{suffix}\""))
        .unwrap_or_else(|| panic!("no form {suffix}"));
    let start = body[..i].rfind("action=\"").unwrap() + 8;
    format!("{}{suffix}", &body[start..i])
}

#[tokio::test]
async fn the_exchange_calendar_holds_only_that_exchange() {
    use icalendar::parser::{read_calendar, unfold};
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    let one = new_exchange(&app, &mut a, "Oak Street to Elm Plaza", "").await;
    let two = new_exchange(&app, &mut a, "Second exchange", "").await;
    let r = a.get(&app, &format!("/exchanges/{one}")).await;
    assert!(
        r.body.contains("This exchange&#39;s calendar (ICS)")
            || r.body.contains("This exchange's calendar (ICS)")
    );
    assert!(r.body.contains("All my deadlines (ICS)"));
    let (s, h, bytes) = a
        .download(&app, &format!("/exchanges/{one}/export/ics"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        h.get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    assert_eq!(
        h.get("content-disposition").unwrap(),
        "attachment; filename=\"exchange-oak-street-to-elm-plaza.ics\""
    );
    let text = String::from_utf8(bytes).unwrap();
    let unfolded = unfold(&text);
    let cal = read_calendar(&unfolded).expect("valid iCalendar");
    let events: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert!(events.len() >= 3, "{text}");
    let prop = |c: &icalendar::parser::Component, k: &str| {
        c.find_prop(k)
            .map(|p| p.val.as_str().to_string())
            .unwrap_or_default()
    };
    for e in &events {
        assert!(
            prop(e, "UID").starts_with(&format!("exch-{one}-")),
            "{}",
            prop(e, "UID")
        );
    }
    assert!(!text.contains(&two), "nothing of the other exchange");
    let day45 = events
        .iter()
        .find(|e| prop(e, "DTSTART") == "20260516")
        .expect("day 45 of an Apr 1 sale");
    assert!(prop(day45, "DESCRIPTION").contains("Authority"));
    // The person's whole feed has both.
    let (s, _, bytes) = a
        .download(&app, &format!("/exchanges/{one}/export/feed"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let feed = String::from_utf8(bytes).unwrap();
    assert!(read_calendar(&unfold(&feed)).is_ok());
    assert!(feed.contains(&format!("exch-{one}-")) && feed.contains(&format!("exch-{two}-")));
}

const EXAMPLE: &str = include_str!("../../../examples/contract-example.toml");

/// Uploads one file through the import form, its format detected (`auto`).
async fn upload(app: &axum::Router, a: &mut Browser, name: &str, bytes: &[u8]) -> Resp {
    a.multipart(
        app,
        "/exchanges/import",
        &[("format", "auto")],
        &[("file", name, bytes)],
    )
    .await
}

#[tokio::test]
async fn an_exchange_file_is_imported_by_upload_with_field_errors() {
    // The example's purchase closed by its own date: imported as it is on that day.
    let (app, _s, _d) = app_after_examples().await;
    let mut a = admin(&app).await;
    let r = a.get(&app, "/exchanges/import").await;
    assert!(
        r.body
            .contains(r#"<label for="f-file">Exchange file to upload</label>"#)
    );
    assert!(r.body.contains(r#"enctype="multipart/form-data""#));
    // A TOML file, format detected from its extension.
    let r = a
        .multipart(
            &app,
            "/exchanges/import",
            &[("name", ""), ("format", "auto"), ("text", "")],
            &[("file", "contract-example.toml", EXAMPLE.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r
        .location
        .unwrap()
        .trim_start_matches("/exchanges/")
        .to_string();
    let r = a.get(&app, &format!("/exchanges/{id}")).await;
    assert!(
        r.body.contains("<h1>Oak Street to Elm Plaza</h1>"),
        "the file's name"
    );
    // Its JSON export, uploaded with a name that says nothing: detected from the content.
    let (_, _, json) = a
        .download(&app, &format!("/exchanges/{id}/export/file"))
        .await;
    a.get(&app, "/exchanges/import").await;
    let r = a
        .multipart(
            &app,
            "/exchanges/import",
            &[("name", "From JSON"), ("format", "auto")],
            &[("file", "exchange.txt", &json)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The same saved by a Windows editor (a byte order mark first): still JSON.
    a.get(&app, "/exchanges/import").await;
    let marked = [&b"\xef\xbb\xbf"[..], &json[..]].concat();
    let r = a
        .multipart(
            &app,
            "/exchanges/import",
            &[("name", "From JSON with a mark"), ("format", "auto")],
            &[("file", "exchange.txt", &marked)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Saved as UTF-16 or in a legacy code page: refused, in words that say which and where.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(EXAMPLE.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let legacy = [EXAMPLE.as_bytes(), b"\n# Caf\xe9\n"].concat();
    let legacy_line = EXAMPLE.matches('\n').count() + 2;
    for (name, bytes, said) in [
        (
            "wide.toml",
            utf16,
            "wide.toml: the text is UTF-16 (little-endian), not UTF-8".to_string(),
        ),
        (
            "legacy.toml",
            legacy,
            format!(
                "legacy.toml: the text is not UTF-8 (byte 0xE9 at line {legacy_line}, position 6;"
            ),
        ),
    ] {
        a.get(&app, "/exchanges/import").await;
        let r = upload(&app, &mut a, name, &bytes).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(&said), "{said}: {}", r.body);
    }
    // Errors name the field and what is wrong with it, in words.
    a.get(&app, "/exchanges/import").await;
    let bad = EXAMPLE.replace("entity = \"individual\"", "entity = \"robot\"");
    let r = upload(&app, &mut a, "bad.toml", bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let said = problems_said(&r.body);
    assert!(
        said.contains("The taxpayer's type: robot is not one of the values allowed here: individual, partnership,"),
        "{said}"
    );
    assert!(!said.contains("rule:"), "{said}");
    // Two problems: the summary counts them, the list names each.
    let two = EXAMPLE
        .replace("sale_price = \"1000000\"", "sale_price = \"-5\"")
        .replace("adjusted_basis = \"400000\"", "adjusted_basis = \"-7\"");
    a.get(&app, "/exchanges/import").await;
    let r = upload(&app, &mut a, "two.toml", two.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("<strong>Not imported: </strong>2 problems, below."),
        "{}",
        r.body
    );
    let bad = EXAMPLE.replace("sale_price = \"1000000\"", "sale_price = \"-5\"");
    let r = upload(&app, &mut a, "neg.toml", bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("The first relinquished property&#39;s sale price")
            || r.body
                .contains("The first relinquished property's sale price"),
        "{}",
        r.body
    );
    // Not text; nothing at all.
    let r = upload(
        &app,
        &mut a,
        "photo.json",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("The file: photo.json: this is not a text file (it holds a zero byte)"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("<strong>Not imported: </strong>one problem, below."),
        "{}",
        r.body
    );
    assert!(
        !r.body.contains("</strong>file:"),
        "no field path: {}",
        r.body
    );
    let r = a
        .multipart(
            &app,
            "/exchanges/import",
            &[("format", "auto"), ("text", "  ")],
            &[("file", "", b"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("The pasted text: choose a file to upload or paste"),
        "{}",
        r.body
    );
    // Above the import limit: refused, naming the field and the limit.
    let huge = vec![b' '; 2 * 1024 * 1024 + 100 * 1024];
    let r = upload(&app, &mut a, "huge.toml", &huge).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.body
            .contains("The file: the file is larger than the limit of 2 MB"),
        "{}",
        r.body
    );
    // Pasting still works through the same multipart form.
    let r = a
        .multipart(
            &app,
            "/exchanges/import",
            &[("name", "Pasted"), ("format", "auto"), ("text", EXAMPLE)],
            &[("file", "", b"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn money_figures_open_into_the_engines_steps() {
    // The example's purchase closed by its own date: imported as it is on that day.
    let (app, _s, _d) = app_after_examples().await;
    let mut a = admin(&app).await;
    a.get(&app, "/exchanges/import").await;
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[("format", "toml"), ("text", EXAMPLE)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location.unwrap();
    let r = a.get(&app, &page).await;
    let money =
        &r.body[r.body.find("id=\"money-h\"").unwrap()..r.body.find("id=\"id-h\"").unwrap()];
    assert!(money.contains("How each figure was computed"));
    // Sale by sale: $1,000,000 - $300,000 - $30,000 = $670,000 to the exchange funds.
    let sale = &money[money
        .find("Sale of 12-unit apartment building, 12 Oak St, Sacramento CA: to the exchange funds")
        .expect("sale figure")..];
    let sale = &sale[..sale.find("</details>").unwrap()];
    assert!(sale.contains("$670,000.00"), "{sale}");
    assert!(
        sale.contains("Sale price: </span>$1,000,000.00"),
        "inputs shown: {sale}"
    );
    assert!(
        sale.contains("Liabilities relieved: </span>$300,000.00"),
        "{sale}"
    );
    assert!(
        sale.contains(
            "Authority: Treas. Reg. §1.1031(k)-1(g)(6); Instructions for Form 8824, lines 15 and 18"
        ),
        "{sale}"
    );
    // Purchase by purchase.
    let buy = &money[money
        .find("Purchase of Elm Plaza, 400 Elm St, Austin TX: from the exchange funds")
        .expect("purchase figure")..];
    let buy = &buy[..buy.find("</details>").unwrap()];
    assert!(buy.contains("Loan: </span>$250,000.00"), "{buy}");
    // The balance, each line expandable into the steps it adds up.
    for label in [
        "Into exchange funds",
        "Out to purchases",
        "Returned to the taxpayer",
        "Unexplained difference",
    ] {
        let i = money
            .find(&format!("<span class=\"label\">{label}</span>"))
            .unwrap_or_else(|| panic!("no figure {label}"));
        let before = &money[..i];
        assert!(
            before.rfind("<details").unwrap() > before.rfind("</details>").unwrap_or(0),
            "{label} is in a details"
        );
        let rest = &money[i..];
        let fig = &rest[..rest.find("</details>").unwrap()];
        assert!(fig.contains("Authority: "), "{label}: {fig}");
    }
    assert!(
        money.contains("Into exchange funds $670,000.00 − out to purchases"),
        "{money}"
    );
}

/// One set of security headers on every answer: a page, a static asset, an API answer and
/// an API error carry the same values, from `likekind_server::security::HEADERS`.
#[tokio::test]
async fn every_answer_carries_the_one_set_of_security_headers() {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;
    let (app, _s, _d) = app().await;
    for uri in [
        "/login",
        "/setup",
        "/api/openapi.json",
        "/api/no-such-thing",
    ] {
        let r = app
            .clone()
            .oneshot(
                Request::builder()
                    .uri(uri)
                    .header("host", "localhost")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        for (name, value) in likekind_server::security::HEADERS {
            assert_eq!(
                r.headers().get(name).and_then(|v| v.to_str().ok()),
                Some(value),
                "{uri}: {name}"
            );
        }
        assert!(r.headers().contains_key("cache-control"), "{uri}");
    }
    // the values themselves: framing and sniffing refused, the policy closed by default
    let h: std::collections::HashMap<_, _> =
        likekind_server::security::HEADERS.into_iter().collect();
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(h["content-security-policy"].starts_with("default-src 'none';"));
    assert!(h["content-security-policy"].contains("frame-ancestors 'none'"));
}

/// A reverse exchange's page shows the deadlines of Rev. Proc. 2000-37 (the agreement within
/// five business days, the relinquished property identified within 45 days, the parked
/// property out within 180), each with whether it was met, before the dates counted from
/// the sale.
#[tokio::test]
async fn a_reverse_exchange_page_shows_its_own_deadlines() {
    // The example's purchase closed by its own date: imported as it is on that day.
    let (app, _s, _d) = app_after_examples().await;
    let mut a = admin(&app).await;
    a.get(&app, "/exchanges/import").await;
    let r = upload(
        &app,
        &mut a,
        "reverse-exchange.toml",
        include_bytes!("../../../examples/reverse-exchange.toml"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = a.get(&app, r.location.as_deref().unwrap()).await.body;
    let reverse = page
        .find("Reverse exchange deadlines")
        .expect("the reverse deadlines");
    let from_sale = page
        .find("Deadlines counted from the sale")
        .expect("labelled");
    assert!(reverse < from_sale);
    for (what, when) in [
        (
            "Sign the qualified exchange accommodation agreement",
            "Mar 9, 2026",
        ),
        ("Identify the relinquished property", "Apr 16, 2026"),
        (
            "Parked property leaves the accommodation titleholder",
            "Aug 29, 2026",
        ),
    ] {
        let at = page.find(what).unwrap_or_else(|| panic!("{what}"));
        assert!(
            page[at..at + 300].contains(&format!("{when} (met)")),
            "{what}: {}",
            &page[at..at + 300]
        );
    }
}

/// The text of the import form's list of problems (tags removed, `'` and `"` unescaped).
fn problems_said(body: &str) -> String {
    let i = body
        .find(r#"<div class="error" role="alert">"#)
        .unwrap_or_else(|| panic!("no list of problems: {body}"));
    let end = i + body[i..].find("</div>").unwrap();
    let mut out = String::new();
    let mut tag = false;
    for c in body[i..end].chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'").replace("&quot;", "\"")
}

/// A file that breaks several rules of the engine: each problem is listed in words, the
/// field and what is wrong with it, without the engine's field path, its rule code
/// (`non_negative`, `date_order`) or any other snake_case name.
#[tokio::test]
async fn an_import_lists_each_problem_in_words() {
    let (app, _s, _d) = app_after_examples().await;
    let mut a = admin(&app).await;
    let bad = EXAMPLE
        .replace("sale_price = \"1000000\"", "sale_price = \"-5\"")
        .replace("acquired = \"2015-06-01\"", "acquired = \"2027-01-01\"")
        .replace("location = \"CA\"", "location = \"ZZ\"");
    a.get(&app, "/exchanges/import").await;
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[("format", "toml"), ("text", &bad)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let said = problems_said(&r.body);
    assert!(said.contains("Not imported: 3 problems, below."), "{said}");
    for problem in [
        "The first relinquished property's sale price: must not be negative (got -5)",
        "The first relinquished property's date acquired: acquired Jan 1, 2027 is after transferred Mar 2, 2026: a property is acquired before it is given up",
        "The first relinquished property's location: \"ZZ\" is not a US state or territory code",
    ] {
        assert!(said.contains(problem), "{problem}: {said}");
    }
    for code in [
        "rule:",
        "relinquished[",
        "sale_price",
        "non_negative",
        "date_order",
        "Non negative",
    ] {
        assert!(!said.contains(code), "{code}: {said}");
    }
    let snake = said
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| w.contains('_'));
    assert_eq!(snake, None, "no snake_case name: {said}");
}

/// A file the reader cannot read (two fields the file does not have) is refused with both
/// listed, and the page says the rules of the facts come once it reads instead of claiming the
/// list is complete.
#[tokio::test]
async fn an_import_that_cannot_be_read_lists_its_fields_and_says_the_rules_come_next() {
    let (app, _s, _d) = app_after_examples().await;
    let mut a = admin(&app).await;
    let page = a.get(&app, "/exchanges/import").await;
    assert!(
        !page.body.contains("Every problem is listed"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("has every such field listed (up to twenty)"),
        "{}",
        page.body
    );
    let bad = EXAMPLE
        .replace("sale_price = \"1000000\"", "sale_prize = \"1000000\"")
        .replace("adjusted_basis = \"400000\"", "adjusted_bases = \"400000\"");
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[("format", "toml"), ("text", &bad)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let said = problems_said(&r.body);
    assert!(
        said.contains("Not imported: the file cannot be read because of the 3 problems below."),
        "{said}"
    );
    assert!(said.contains("checked once it reads"), "{said}");
    assert!(!said.contains("one problem"), "{said}");
    // Both fields the file does not have, and the one it then lacks (the missing field the
    // second misspelling leaves is not said: its holder was already found wanting).
    assert_eq!(
        said.matches("there is no such field here").count(),
        2,
        "{said}"
    );
    assert!(
        said.contains("a required field is missing: the sale price"),
        "{said}"
    );
    // A file that reads but breaks rules still has them all counted.
    let two = EXAMPLE
        .replace("sale_price = \"1000000\"", "sale_price = \"-5\"")
        .replace("location = \"CA\"", "location = \"ZZ\"");
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[("format", "toml"), ("text", &two)],
        )
        .await;
    let said = problems_said(&r.body);
    assert!(said.contains("Not imported: 2 problems, below."), "{said}");
}

/// An imported file recording a purchase that has not closed by today is refused as the API
/// refuses it: the form says which closing, its date and today's, and the rule, in words;
/// nothing is opened.
#[tokio::test]
async fn an_import_with_a_purchase_closing_after_today_shows_the_error() {
    let (app, store, _d) = app().await;
    let mut a = admin(&app).await;
    // The contract example's elm closes on 2026-06-15, after the tests' today (May 1, 2026).
    a.get(&app, "/exchanges/import").await;
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[("format", "toml"), ("text", EXAMPLE)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("<strong>Not imported: </strong>one problem, below."),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(
            "The closing date of the purchase of Elm Plaza, 400 Elm St, Austin TX, Jun 15, 2026, is after today (May 1, 2026): a purchase is recorded once it has closed."
        ),
        "{}",
        r.body
    );
    assert!(!r.body.contains("rule:"), "no rule code: {}", r.body);
    assert!(
        !r.body.contains("replacement[0]"),
        "no field path: {}",
        r.body
    );
    assert!(
        r.body.contains("Oak Street to Elm Plaza"),
        "the pasted text is kept in the form: {}",
        r.body
    );
    let firm = store
        .user_for_login("ada@acme.test")
        .await
        .unwrap()
        .map(|(u, _)| u.firm_id);
    let firm = firm.expect("the admin");
    {
        let rows = store
            .list_exchanges(
                &firm,
                None,
                likekind_store::PageReq {
                    after: None,
                    limit: 10,
                },
            )
            .await
            .unwrap();
        assert!(rows.is_empty(), "nothing opened");
    }
    // The same file on a day after the closing opens.
    let later = app_on(&store, |c| c.today = Some(examples_today()));
    a.get(&later, "/exchanges/import").await;
    let r = upload(&later, &mut a, "contract-example.toml", EXAMPLE.as_bytes()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

/// Opening an exchange from a form lists every problem at once: a name the tracker refuses
/// (longer than 200 characters) with an imported purchase closing after today, the same name
/// with a file that does not read, and with the new-exchange form's own problems. Nothing is
/// opened.
#[tokio::test]
async fn the_import_and_new_exchange_forms_list_every_problem_at_once() {
    let (app, store, _d) = app().await;
    let mut a = admin(&app).await;
    let long = "x".repeat(201);
    let name_words = "between 1 and 200 characters, not only spaces, without control characters";
    // The contract example's elm closes on 2026-06-15, after the tests' today (May 1, 2026).
    a.get(&app, "/exchanges/import").await;
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[
                ("name", long.as_str()),
                ("format", "toml"),
                ("text", EXAMPLE),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("<strong>Not imported: </strong>2 problems, below."),
        "{}",
        r.body
    );
    assert!(r.body.contains(name_words), "{}", r.body);
    assert!(
        r.body.contains(
            "The closing date of the purchase of Elm Plaza, 400 Elm St, Austin TX, Jun 15, 2026, is after today (May 1, 2026): a purchase is recorded once it has closed."
        ),
        "{}",
        r.body
    );
    // A file that does not read: its problem and the name's.
    let bad = EXAMPLE.replace("entity = \"individual\"", "entity = \"robot\"");
    a.get(&app, "/exchanges/import").await;
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[("name", long.as_str()), ("format", "toml"), ("text", &bad)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("<strong>Not imported: </strong>2 problems, below."),
        "{}",
        r.body
    );
    assert!(r.body.contains(name_words), "{}", r.body);
    assert!(
        problems_said(&r.body).contains("robot is not one of the values allowed here"),
        "{}",
        r.body
    );
    // The new-exchange form: the name with the form's own problems, the name's input marked.
    a.get(&app, "/exchanges/new").await;
    let r = a
        .post(
            &app,
            "/exchanges/new",
            &[("name", long.as_str()), ("entity", "individual")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(name_words), "{}", r.body);
    assert!(r.body.contains("enter the sale price"), "{}", r.body);
    let i = r.body.find("id=\"f-name\"").unwrap();
    let tag = &r.body[i..i + r.body[i..].find('>').unwrap()];
    assert!(tag.contains("aria-invalid=\"true\""), "{tag}");
    let firm = store
        .user_for_login("ada@acme.test")
        .await
        .unwrap()
        .map(|(u, _)| u.firm_id)
        .expect("the admin");
    let rows = store
        .list_exchanges(
            &firm,
            None,
            likekind_store::PageReq {
                after: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert!(rows.is_empty(), "nothing opened");
}

/// A payment to a purchase closing waiting for a second approval says, in the list of
/// approvals, which closing it pays: the replacement property's description and the date.
#[tokio::test]
async fn an_approval_names_the_purchase_closing_it_pays() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    let file = "[exchange]\nname = \"Oak to Elm\"\n[taxpayer]\nname = \"Pat Doe\"\nentity = \"individual\"\n\
        [[relinquished]]\nid = \"oak\"\nlocation = \"CA\"\nacquired = \"2015-06-01\"\ntransferred = \"2026-03-02\"\nsale_price = \"1000000\"\nadjusted_basis = \"400000\"\n\
        [[identified]]\nid = \"elm\"\ndescription = \"Elm Plaza, 400 Elm St, Austin TX\"\nfmv = \"1000000\"\nidentified_on = \"2026-03-20\"\n\
        [[replacement]]\nid = \"elm\"\ndescription = \"Elm Plaza, 400 Elm St, Austin TX\"\nlocation = \"TX\"\nreceived = \"2026-04-25\"\nprice = \"1000000\"\n";
    let id = imported_toml(&app, &mut a, file).await;
    a.get(&app, &format!("/exchanges/{id}")).await;
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/closed"),
            &[("on_date", "2026-03-02")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    a.get(&app, "/firm").await;
    let r = a
        .post(&app, "/firm", &[("approval_threshold", "50,000")])
        .await;
    assert!(
        r.status.is_redirection() || r.status.is_success(),
        "{}",
        r.body
    );
    a.get(&app, &format!("/exchanges/{id}/ledger")).await;
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/ledger"),
            &[("kind", "receipt"), ("amount", "1,000,000")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    a.get(&app, &format!("/exchanges/{id}/ledger")).await;
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/ledger"),
            &[
                ("kind", "disbursement"),
                ("amount", "100,000"),
                ("property", "elm"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let list = &r.body[r
        .body
        .find("<ul class=\"approvals\">")
        .expect("the approvals")..];
    let list = &list[..list.find("</ul>").unwrap()];
    assert!(
        list.contains(
            "of <strong>$100,000.00</strong> on May 1, 2026, toward the purchase of <span class=\"closing\">Elm Plaza, 400 Elm St, Austin TX, closed Apr 25, 2026</span>: waiting for a second person"
        ),
        "{list}"
    );
    // The form's choice of closing names it the same way, without the file's id.
    assert!(
        r.body.contains(
            "<option value=\"elm\">Elm Plaza, 400 Elm St, Austin TX, closed Apr 25, 2026</option>"
        ),
        "{}",
        r.body
    );
    // One within the limit is posted: the ledger's table names its closing too, on the ledger
    // page and on the exchange page.
    let r = a
        .post(
            &app,
            &format!("/exchanges/{id}/ledger"),
            &[
                ("kind", "disbursement"),
                ("amount", "40,000"),
                ("property", "elm"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for page in [
        format!("/exchanges/{id}/ledger"),
        format!("/exchanges/{id}"),
    ] {
        let r = a.get(&app, &page).await;
        let table = &r.body[r
            .body
            .find("aria-label=\"Ledger postings, table\"")
            .expect("the ledger")..];
        let table = &table[..table.find("</tbody>").unwrap()];
        assert!(
            table.contains(
                "Paid to a purchase closing<br><small class=\"closing\">Toward the purchase of Elm Plaza, 400 Elm St, Austin TX, closed Apr 25, 2026</small>"
            ),
            "{page}: {table}"
        );
        assert_eq!(
            table.matches("Toward the purchase of").count(),
            1,
            "{table}"
        );
    }
}

/// Imports an exchange file in TOML through the import form: its id.
async fn imported_toml(app: &axum::Router, a: &mut Browser, file: &str) -> String {
    a.get(app, "/exchanges/import").await;
    let r = a
        .post(
            app,
            "/exchanges/import",
            &[("format", "toml"), ("text", file)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location
        .unwrap()
        .trim_start_matches("/exchanges/")
        .to_string()
}

/// The ledger form carries an idempotency key, new each time the empty form is shown:
/// pressing "Post" twice (or sending the form again from the browser's history) posts once.
#[tokio::test]
async fn the_ledger_form_posts_once_when_sent_twice() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    let file = "[exchange]\nname = \"Oak to Elm\"\n[taxpayer]\nname = \"Pat Doe\"\nentity = \"individual\"\n\
        [[relinquished]]\nid = \"oak\"\nlocation = \"CA\"\nacquired = \"2015-06-01\"\ntransferred = \"2026-03-02\"\nsale_price = \"1000000\"\nadjusted_basis = \"400000\"\n";
    let id = imported_toml(&app, &mut a, file).await;
    let key_of = |body: &str| {
        let rest = &body[body
            .find("name=\"request_key\" value=\"")
            .expect("the form's key")
            + "name=\"request_key\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    let page = a.get(&app, &format!("/exchanges/{id}/ledger")).await;
    let key = key_of(&page.body);
    let form = [
        ("kind", "receipt"),
        ("amount", "1,000,000"),
        ("memo", "sale proceeds"),
        ("request_key", key.as_str()),
    ];
    for _ in 0..2 {
        let r = a
            .post(&app, &format!("/exchanges/{id}/ledger"), &form)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = a.get(&app, &format!("/exchanges/{id}/ledger")).await;
    assert!(
        page.body
            .contains("Funds held: <strong>$1,000,000.00</strong>"),
        "posted once: {}",
        page.body
    );
    // The form shown after the posting has a new key: the next payment is a new one.
    assert_ne!(key_of(&page.body), key);
}
