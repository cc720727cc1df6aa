//! Pages in words (issue 13): refused forms mark every invalid field and say every problem
//! once; error pages keep the person's header and the way back; an unknown address answers a
//! browser with a page and a script with JSON; the audit log reads as words. Every page these
//! tests fetch also goes through the scan of `common::words` (no field paths, codes, enum
//! names, bare amounts or ISO dates shown to people).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The `aria-invalid` inputs of a page, by id.
fn invalid_ids(body: &str) -> Vec<String> {
    body.match_indices("aria-invalid=\"true\"")
        .filter_map(|(i, _)| {
            let tag_start = body[..i].rfind('<')?;
            let tag = &body[tag_start..i];
            let id = tag.find(" id=\"")?;
            let rest = &tag[id + 5..];
            Some(rest[..rest.find('"')?].to_string())
        })
        .collect()
}

/// The value of `attr` on the tag with `id`.
fn attr_of(body: &str, id: &str, attr: &str) -> Option<String> {
    let i = body.find(&format!("id=\"{id}\""))?;
    let tag_start = body[..i].rfind('<')?;
    let tag_end = i + body[i..].find('>')?;
    let tag = &body[tag_start..tag_end];
    let a = tag.find(&format!("{attr}=\""))?;
    let rest = &tag[a + attr.len() + 2..];
    Some(rest[..rest.find('"')?].to_string())
}

#[tokio::test]
async fn a_refused_form_marks_every_field_and_says_each_problem_once() {
    let (app, _s, _d) = app().await;
    let mut anon = Browser::default();
    anon.get(&app, "/setup").await;
    // Setup: every problem at once, each said once, each field described by its message.
    let r = anon
        .post(
            &app,
            "/setup",
            &[
                ("firm_name", ""),
                ("name", "Ada"),
                ("email", "not an address"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut ids = invalid_ids(&r.body);
    ids.sort();
    assert_eq!(ids, ["f-email", "f-firm_name", "f-password"], "{}", r.body);
    for id in &ids {
        let described = attr_of(&r.body, id, "aria-describedby").unwrap();
        let err = described.split(' ').next().unwrap();
        assert_eq!(err, format!("{id}-err"));
        assert!(r.body.contains(&format!("id=\"{err}\"")), "{id}'s message");
    }
    let twelve = r.body.matches("At least 12 characters.").count();
    assert!(
        r.body
            .matches("a password has at least 12 characters")
            .count()
            <= 2,
        "the short-password error is in the box and beside the field, not repeated: {}",
        r.body
    );
    assert_eq!(twelve, 1, "the hint once");
    assert!(r.body.contains("id=\"form-errors\""));
    assert!(r.body.contains("3 things to correct."));
    assert!(r.body.contains("src=\"/assets/app.js\""));

    // The new-exchange form: all the empty fields at once, not only the first.
    let mut a = admin(&app).await;
    a.get(&app, "/exchanges/new").await;
    let r = a
        .post(&app, "/exchanges/new", &[("entity", "individual")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ids = invalid_ids(&r.body);
    for want in [
        "f-name",
        "f-taxpayer",
        "f-rel_id",
        "f-rel_description",
        "f-rel_location",
        "f-acquired",
        "f-transferred",
        "f-sale_price",
        "f-adjusted_basis",
    ] {
        assert!(ids.iter().any(|i| i == want), "{want} not marked: {ids:?}");
    }
    // Named as the form labels it (not "The first relinquished property's sale price").
    assert!(
        r.body.contains("Sale price: enter the sale price"),
        "{}",
        r.body
    );

    // The planner refuses a horizon that is not a number instead of using 10 years.
    let id = new_exchange(&app, &mut a, "Oak", "").await;
    let r = a
        .get(&app, &format!("/exchanges/{id}/plan?horizon=abc&growth=x"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut ids = invalid_ids(&r.body);
    ids.sort();
    assert_eq!(ids, ["f-growth", "f-horizon"]);
    assert!(r.body.contains("is not a whole number of years"));
    assert!(!r.body.contains("Compared over 10 years"));
    // The engine's own range, in words.
    let r = a
        .get(&app, &format!("/exchanges/{id}/plan?growth=500"))
        .await;
    assert!(
        r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::OK,
        "{}",
        r.status
    );
    assert!(!r.body.contains("--growth") && !r.body.contains("..="));
}

#[tokio::test]
async fn error_pages_keep_the_header_and_the_way_back() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    let mut client = user(&app, &mut a, "Dana", "dana@client.test", "client").await;
    let id = new_exchange(&app, &mut a, "Oak", "").await;
    // Not found, logged in: the person's header, no "Log in".
    let r = a.get(&app, "/exchanges/no-such-exchange").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Log out"), "{}", r.body);
    assert!(!r.body.contains(">Log in<"));
    assert!(r.body.contains("href=\"/\""));
    // A refusal inside an exchange leads back to the exchange.
    let r = client.get(&app, &format!("/exchanges/{id}/audit")).await;
    assert!(
        r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
        "{}",
        r.status
    );
    assert!(r.body.contains("Log out"));
    let r = a
        .get(&app, &format!("/exchanges/{id}/documents/nope"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        r.body.contains(&format!("href=\"/exchanges/{id}\"")),
        "{}",
        r.body
    );
    assert!(r.body.contains("Back to the exchange"));
    // An unknown address: a page for a browser (with the header), JSON for a script.
    let r = a.get(&app, "/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.starts_with("<!DOCTYPE html>"), "{}", r.body);
    assert!(r.body.contains("Log out"));
    let anon = Browser::default().get(&app, "/no/such/page").await;
    assert!(anon.body.contains(">Log in<"));
    // QA: `/exchanges` and `/alerts` opened by a tool that asks for anything (`*/*`, or no
    // Accept) answered raw JSON; a person reads a page with the way home.
    for (path, accept) in [("/exchanges", Some("*/*")), ("/alerts", None)] {
        let mut b = Request::builder()
            .uri(path)
            .header(header::HOST, "localhost");
        if let Some(a) = accept {
            b = b.header(header::ACCEPT, a);
        }
        let resp = app
            .clone()
            .oneshot(b.body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(
            resp.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8_lossy(&bytes);
        assert!(body.contains("Not found"), "{path}: {body}");
        assert!(!body.contains("\"error\""), "{path}: {body}");
    }
    let resp = app
        .clone()
        .oneshot(
            Request::builder()
                .uri("/no/such/page")
                .header(header::HOST, "localhost")
                .header(header::ACCEPT, "application/json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["error"]["code"], "not_found");
    let resp = app
        .clone()
        .oneshot(
            Request::builder()
                .uri("/api/no-such-endpoint")
                .header(header::HOST, "localhost")
                .header(header::ACCEPT, "text/html")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        resp.headers()[header::CONTENT_TYPE].to_str().unwrap(),
        "application/json",
        "the API answers JSON even to a browser"
    );
}

#[tokio::test]
async fn the_audit_log_reads_in_words_with_filters_and_pages() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    let mut client = user(&app, &mut a, "Dana", "dana@client.test", "client").await;
    let id = new_exchange(&app, &mut a, "Oak Street", "").await;
    a.get(&app, &format!("/exchanges/{id}")).await;
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
                ("amount", "700,000"),
                ("posted_on", "2026-04-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Firm-wide: names, amounts, local time; the scan of every page holds.
    let r = a.get(&app, "/audit").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h1>Audit log</h1>"));
    assert!(r.body.contains("Ada Admin"));
    assert!(r.body.contains("$700,000.00"), "{}", r.body);
    assert!(r.body.contains("Money posted to the ledger"));
    assert!(r.body.contains("Exchange opened"));
    assert!(r.body.contains(">Oak Street</a>"));
    assert!(!r.body.contains("70000000"));
    assert!(!r.body.contains("ledger.post"));
    assert!(r.body.contains("<time datetime=\""));
    // Filters: a kind.
    let r = a.get(&app, "/audit?kind=ledger").await;
    assert!(r.body.contains("Money posted to the ledger"));
    assert!(!r.body.contains("Exchange opened"));
    // Days: none in 2000; a bad date refused in words, the field marked.
    let r = a.get(&app, "/audit?from=2000-01-01&to=2000-01-31").await;
    assert!(r.body.contains("No changes match."));
    let r = a.get(&app, "/audit?from=2026-02-01&to=2026-01-01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid_ids(&r.body), ["f-to"]);
    // Per exchange, and a page of 50 at most with "Older changes" past it.
    let r = a.get(&app, &format!("/exchanges/{id}/audit")).await;
    assert!(r.body.contains("Audit log: Oak Street"));
    assert!(r.body.contains("$700,000.00"));
    for n in 0..55 {
        a.get(&app, "/users").await;
        let r = a
            .post(
                &app,
                "/users",
                &[
                    ("name", &format!("Person {n}")),
                    ("email", &format!("p{n}@acme.test")),
                    ("role", "preparer"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let r = a.get(&app, "/audit?kind=user").await;
    assert_eq!(r.body.matches("Person added").count(), 50);
    let next = r.body.find("Older changes").expect("a next page");
    let href_start = r.body[..next].rfind("href=\"").unwrap() + 6;
    let href = r.body[href_start..next]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let r2 = a.get(&app, &href).await;
    assert!(r2.body.matches("Person added").count() >= 5);
    assert!(r2.body.contains("Person 0"));
    // Clients never see it.
    let r = client.get(&app, "/audit").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Log out"));
}

/// The facts a person is asked for read as sentences that say where to give them, never as
/// `name = true or false` (issue: "set the bona fide intent = true or false", "(the return
/// extension = false)" on the exchange page).
#[tokio::test]
async fn the_facts_asked_for_read_as_sentences() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    a.get(&app, "/exchanges/import").await;
    // Sold in December 2025, nothing identified: the funds come back in 2026, a later tax year,
    // so the engine asks whether there was a bona fide intent to exchange.
    let file = "[exchange]\nname = \"Late December sale\"\n\n[taxpayer]\nname = \"Robin Owner\"\nentity = \"individual\"\n\n[[relinquished]]\nid = \"pine\"\ndescription = \"20 Pine St, Portland OR\"\nlocation = \"OR\"\nacquired = \"2010-05-01\"\ntransferred = \"2025-12-15\"\nsale_price = \"800000\"\nadjusted_basis = \"300000\"\n";
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[
                ("name", "Late December sale"),
                ("format", "toml"),
                ("text", file),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location.unwrap();
    let r = a.get(&app, &page).await;
    let text = words::visible_text(&r.body);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("say whether you intended in good faith to do an exchange"),
        "{text}"
    );
    for dump in ["= true", "= false", "bona fide intent ="] {
        assert!(!text.contains(dump), "`{dump}` on the page: {text}");
    }
}

/// The audit log says what changed in an exchange file, fact by fact and in words, and shows
/// a name as its person wrote it (a date inside it included).
#[tokio::test]
async fn the_audit_log_says_what_changed_in_the_file() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    a.get(&app, "/exchanges/import").await;
    let file = "[exchange]\nname = \"Oak\"\n\n[taxpayer]\nname = \"Robin Owner\"\nentity = \"individual\"\n\n[[relinquished]]\nid = \"oak\"\ndescription = \"Oak lot bought 2015-06-01\"\nlocation = \"OR\"\nacquired = \"2015-06-01\"\ntransferred = \"2026-03-02\"\nsale_price = \"500000\"\nadjusted_basis = \"300000\"\n";
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[("name", "Oak"), ("format", "toml"), ("text", file)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location.unwrap();
    // The edit form holds the file (a textarea, as typed); change the sale price.
    let r = a.get(&app, &format!("{page}/edit")).await;
    let version = attr_of(&r.body, "editform", "id")
        .and_then(|_| {
            let i = r.body.find("name=\"version\" value=\"")?;
            let rest = &r.body[i + 22..];
            Some(rest[..rest.find('"')?].to_string())
        })
        .unwrap();
    let start = r.body.find("<textarea").unwrap();
    let open = start + r.body[start..].find('>').unwrap() + 1;
    let close = open + r.body[open..].find("</textarea>").unwrap();
    let text = r.body[open..close]
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    assert!(text.contains("\"500000\""), "{text}");
    let changed = text.replace("\"500000\"", "\"520000\"");
    let r = a
        .post(
            &app,
            &format!("{page}/edit"),
            &[
                ("version", &version),
                ("name", "Oak 2026-03-02"),
                ("file", &changed),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A name with a date in it is the person's: the page keeps it as written.
    a.unscanned = true;
    let r = a.get(&app, &format!("{page}/audit")).await;
    let seen = words::visible_text(&r.body);
    let seen = seen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        seen.contains("First relinquished property's sale price : $500,000.00 → $520,000.00"),
        "{seen}"
    );
    assert!(seen.contains("Name : Oak → Oak 2026-03-02"), "{seen}");
    // Imported, with where the exchange stood, not "Draft".
    assert!(seen.contains("Exchange imported"), "{seen}");
    assert!(!seen.contains("Draft"), "{seen}");
}

/// The exchange page says under its status what the exchange leaves taxable: a like-kind
/// exchange with $500,000 of cash boot recognizes $500,000 (IRC §1031(b)), which "like-kind
/// exchange" alone does not say; without boot, nothing is recognized and the page says so.
#[tokio::test]
async fn the_exchange_page_says_what_gain_is_taxable() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    a.get(&app, "/exchanges/import").await;
    let file = |cash: &str, price: &str| {
        format!(
            "[exchange]\nname = \"Retail for office\"\n\n[taxpayer]\nname = \"Robin Owner\"\nentity = \"individual\"\n\n[[relinquished]]\nid = \"retail\"\ndescription = \"Retail strip, 5 Main St, Fresno CA\"\nlocation = \"CA\"\nacquired = \"2010-01-15\"\ntransferred = \"2026-01-05\"\nsale_price = \"2000000\"\nadjusted_basis = \"800000\"\ncash_received = \"{cash}\"\n\n[[identified]]\nid = \"office\"\ndescription = \"Office building, 9 Elm St, Reno NV\"\nfmv = \"{price}\"\nidentified_on = \"2026-01-20\"\n\n[[replacement]]\nid = \"office\"\nlocation = \"NV\"\nreceived = \"2026-03-01\"\nprice = \"{price}\"\n"
        )
    };
    let mut page_of = async |text: String| {
        let r = a
            .post(
                &app,
                "/exchanges/import",
                &[
                    ("name", "Retail for office"),
                    ("format", "toml"),
                    ("text", &text),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = a.get(&app, &r.location.unwrap()).await;
        let text = words::visible_text(&r.body);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let with_boot = page_of(file("500000", "1500000")).await;
    assert!(
        with_boot.contains("Gain recognized (taxable): $500,000.00 of the $1,200,000.00 realized; deferred: $700,000.00."),
        "{with_boot}"
    );
    assert!(with_boot.contains("(IRC §1031(b))"), "{with_boot}");
    let without = page_of(file("0", "2000000")).await;
    assert!(
        without.contains(
            "No gain on the exchanged property is recognized now: $1,200,000.00 of gain is deferred (IRC §1031(a)(1))."
        ),
        "{without}"
    );
    assert!(!without.contains("Gain recognized (taxable)"), "{without}");
    // Other property given up is sold beside the exchange: its gain is recognized too, even
    // when the exchange itself defers all of its own (Instructions for Form 8824, line 14).
    let equipment = "\n[[other_property_given]]\ndescription = \"Delivery truck\"\nfmv = \"50000\"\nadjusted_basis = \"20000\"\n";
    let with_truck = page_of(file("0", "2050000") + equipment).await;
    assert!(
        with_truck.contains(
            "its gain of $30,000.00 is also recognized (Form 8824, line 14): $30,000.00 in all."
        ),
        "{with_truck}"
    );
    assert!(
        with_truck.contains(
            "No gain on the exchanged property is recognized now: $1,200,000.00 of gain is deferred"
        ),
        "{with_truck}"
    );
}

/// The explanation of a figure on the exchange page reads as sentences: each step says what
/// was computed and its result ("…: $1,200,000.00", never "… = 1200000.00"), and each figure
/// it was computed from is named by a label with its value in dollars or a date in words.
#[tokio::test]
async fn the_explanation_steps_read_as_sentences_with_labelled_figures() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    a.get(&app, "/exchanges/import").await;
    let file = "[exchange]\nname = \"Retail for office\"\n\n[taxpayer]\nname = \"Robin Owner\"\nentity = \"individual\"\n\n[[relinquished]]\nid = \"retail\"\ndescription = \"Retail strip, 5 Main St, Fresno CA\"\nlocation = \"CA\"\nacquired = \"2010-01-15\"\ntransferred = \"2026-01-05\"\nsale_price = \"2000000\"\nadjusted_basis = \"800000\"\ncash_received = \"500000\"\n\n[[identified]]\nid = \"office\"\ndescription = \"Office building, 9 Elm St, Reno NV\"\nfmv = \"1500000\"\nidentified_on = \"2026-01-20\"\n\n[[replacement]]\nid = \"office\"\nlocation = \"NV\"\nreceived = \"2026-03-01\"\nprice = \"1500000\"\n";
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[
                ("name", "Retail for office"),
                ("format", "toml"),
                ("text", file),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, &r.location.unwrap()).await;
    let mut steps = Vec::new();
    let mut rest = r.body.as_str();
    while let Some(i) = rest.find("<ol class=\"steps\">") {
        let end = i + rest[i..].find("</ol>").unwrap();
        let text = words::visible_text(&rest[i..end]);
        steps.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
        rest = &rest[end..];
    }
    let all = steps.join("\n");
    assert!(!steps.is_empty(), "no explanation on the page");
    for labelled in [
        "Computed from: Sale price: $2,000,000.00 Liabilities relieved: $0.00",
        "Computed from: First transfer: Jan 5, 2026",
        "Line 24: deferred gain or (loss) = line 19 - line 23: $700,000.00",
    ] {
        assert!(all.contains(labelled), "`{labelled}` not in: {all}");
    }
    for (i, _) in all.match_indices(" = ") {
        let after = &all[i + 3..];
        assert!(
            !(after.starts_with('$') || after.starts_with(|c: char| c.is_ascii_digit())),
            "a `name = value` dump: …{}…",
            &all[all.floor_char_boundary(i.saturating_sub(60))
                ..all.ceil_char_boundary((i + 40).min(all.len()))]
        );
    }
}

/// The audit log names the purchase closing a disbursement paid by the property's own words
/// (its description), never as a "Property id", and a record added to the file by its
/// description rather than its id.
#[tokio::test]
async fn the_audit_log_names_the_closing_a_disbursement_paid() {
    let (app, _s, _d) = app().await;
    let mut a = admin(&app).await;
    a.get(&app, "/exchanges/import").await;
    let file = "[exchange]\nname = \"Oak for Elm\"\n\n[taxpayer]\nname = \"Robin Owner\"\nentity = \"individual\"\n\n[[relinquished]]\nid = \"oak\"\ndescription = \"12 Oak St, Sacramento CA\"\nlocation = \"CA\"\nacquired = \"2015-06-01\"\ntransferred = \"2026-04-01\"\nsale_price = \"1000000\"\nadjusted_basis = \"400000\"\n\n[[identified]]\nid = \"elm\"\ndescription = \"Elm Plaza, 9 Elm St, Austin TX\"\nfmv = \"600000\"\nidentified_on = \"2026-04-10\"\n\n[[replacement]]\nid = \"elm\"\nlocation = \"TX\"\nreceived = \"2026-04-20\"\nprice = \"600000\"\n";
    let r = a
        .post(
            &app,
            "/exchanges/import",
            &[("name", "Oak for Elm"), ("format", "toml"), ("text", file)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location.unwrap();
    a.get(&app, &page).await;
    let r = a
        .post(
            &app,
            &format!("{page}/closed"),
            &[("on_date", "2026-04-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ledger = format!("{page}/ledger");
    a.get(&app, &ledger).await;
    for form in [
        [
            ("kind", "receipt"),
            ("property", ""),
            ("amount", "1,000,000"),
            ("memo", "sale proceeds"),
        ],
        [
            ("kind", "disbursement"),
            ("property", "elm"),
            ("amount", "100,000"),
            ("memo", "deposit"),
        ],
    ] {
        let r = a.post(&app, &ledger, &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let r = a.get(&app, &format!("{page}/audit")).await;
    let seen = words::visible_text(&r.body);
    let seen = seen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!seen.contains("Property id"), "{seen}");
    assert!(
        seen.contains("Purchase closing paid : Elm Plaza, 9 Elm St, Austin TX"),
        "{seen}"
    );
    // The kind of posting in words, and no sequence number.
    assert!(seen.contains("Kind : Disbursement"), "{seen}");
    assert!(!seen.contains("Seq :"), "{seen}");
    // A field empty on both sides is not listed, and the balance is one change.
    for empty in [": none", "(removed)", "Balance after"] {
        assert!(!seen.contains(empty), "{empty}: {seen}");
    }
    assert!(
        seen.contains("Balance : $1,000,000.00 → $900,000.00"),
        "{seen}"
    );
    // The firm-wide log says the same.
    let r = a.get(&app, "/audit?kind=ledger").await;
    let seen = words::visible_text(&r.body);
    let seen = seen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        seen.contains("Purchase closing paid : Elm Plaza, 9 Elm St, Austin TX"),
        "{seen}"
    );
}
