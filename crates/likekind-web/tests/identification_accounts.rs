//! Issue 12 in the pages (no socket, no browser): the Dec 2 probe (a notice typed after day 45
//! is refused in words on the page where it was typed; a late signature says why), the paper
//! notice staff record with its document, and the accounts an administrator manages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use jiff::civil::date;

const THREE: [(&str, &str); 10] = [
    ("identified_on", "2026-11-10"),
    ("id_0", "elm"),
    ("desc_0", "400 Elm St, Austin TX"),
    ("fmv_0", "400,000"),
    ("id_1", "pine"),
    ("desc_1", "9 Pine Rd, Reno NV"),
    ("fmv_1", "350,000"),
    ("id_2", "ash"),
    ("desc_2", "1 Ash Ave, Boise ID"),
    ("fmv_2", "300,000"),
];

/// The text of a page without its tags.
fn text(body: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in body.chars() {
        match c {
            '<' => tag = true,
            '>' => {
                tag = false;
                out.push(' ');
            }
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_dec_2_probe_and_a_paper_notice_in_pages() {
    let (app, store, _d) = app().await;
    let nov = app_on(&store, |c| c.today = Some(date(2026, 11, 10)));
    let dec = app_on(&store, |c| c.today = Some(date(2026, 12, 2)));
    let mut a = admin(&app).await;
    let mut client = user(&app, &mut a, "Dana Investor", "dana@client.test", "client").await;
    let mut coord = user(
        &app,
        &mut a,
        "Cora Coordinator",
        "cora@acme.test",
        "coordinator",
    )
    .await;
    let r = coord.get(&nov, "/exchanges/new").await;
    let dana = option_value(&r.body, "Dana Investor &lt;dana@client.test&gt;");
    let r = coord
        .post(
            &nov,
            "/exchanges/new",
            &[
                ("name", "Oak to Elm"),
                ("client_id", &dana),
                ("taxpayer", "Dana Investor"),
                ("entity", "individual"),
                ("rel_id", "oak"),
                ("rel_description", "12 Oak St, Sacramento CA"),
                ("rel_location", "CA"),
                ("acquired", "2015-06-01"),
                ("transferred", "2026-10-01"),
                ("sale_price", "$1,000,000"),
                ("adjusted_basis", "400,000"),
                ("depreciation", "0"),
                ("liabilities", "0"),
                ("expenses", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location.unwrap();
    // Nov 10: the client submits a notice in time (and will try to sign it on Dec 2).
    client.get(&nov, &format!("{page}/identify")).await;
    let r = client.post(&nov, &format!("{page}/identify"), &THREE).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Dec 2: the page says at once that the period has ended, and what that means.
    let r = coord.get(&dec, &format!("{page}/identify")).await;
    assert_eq!(r.status, StatusCode::OK);
    let t = text(&r.body);
    assert!(t.contains("The identification period has ended"), "{t}");
    assert!(t.contains("ended on Nov 15, 2026"), "{t}");
    assert!(
        t.contains("A notice made now cannot identify replacement property"),
        "{t}"
    );
    assert!(t.contains("record a paper notice"), "{t}");
    // No notice form is offered beside those words: its submission would be refused.
    assert!(!r.body.contains("Submit the notice"), "{}", r.body);
    assert!(!r.body.contains("id=\"idform\""), "{}", r.body);
    // The live check as typed: Nov 10 on the form changes nothing.
    let r = coord
        .send(
            &dec,
            "POST",
            &format!("{page}/identify/check"),
            &THREE,
            true,
        )
        .await;
    assert!(r.body.starts_with("<div id=\"judgement\""), "{}", r.body);
    let t = text(&r.body);
    assert!(t.contains("ended on Nov 15, 2026"), "{t}");
    assert!(!t.contains("is a valid identification"), "not 'valid': {t}");
    // Submitting: refused in words on the same page, beside the form.
    let r = coord.post(&dec, &format!("{page}/identify"), &THREE).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("<h1>Identify replacement property</h1>"));
    let t = text(&r.body);
    assert!(
        t.contains("Not saved: the identification period has ended."),
        "{t}"
    );
    assert!(t.contains("ended on Nov 15, 2026"), "{t}");
    assert!(!t.contains("Something went wrong"));
    assert!(
        !r.body.contains("identification_period_ended"),
        "words, not codes"
    );
    assert!(
        r.body.contains("value=\"400 Elm St, Austin TX\""),
        "what was typed stays"
    );
    // Signing on Dec 2: the exchange page with the reason beside the notice.
    let r = client.get(&dec, &page).await;
    let i = r.body.find("/sign\"").expect("a sign button");
    let start = r.body[..i].rfind("action=\"").unwrap() + 8;
    let sign = format!("{}/sign", &r.body[start..i]);
    let r = client.post(&dec, &sign, &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let t = text(&r.body);
    assert!(!t.contains("Something went wrong"), "{t}");
    assert!(t.contains("Oak to Elm"), "the exchange page: {t}");
    assert!(
        t.contains("Not saved: the identification period has ended."),
        "{t}"
    );
    assert!(t.contains("ended on Nov 15, 2026"), "{t}");

    // Staff record the signed paper notice delivered on Nov 10; a client sees no such form.
    let r = client.get(&dec, &format!("{page}/identify")).await;
    assert!(!r.body.contains("Record a signed paper notice"));
    let r = client
        .multipart(
            &dec,
            &format!("{page}/identify/paper"),
            &[("delivered_on", "2026-11-10"), ("received_by", "Me")],
            &[("file", "notice.pdf", b"%PDF")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = coord.get(&dec, &format!("{page}/identify")).await;
    assert!(r.body.contains("Record a signed paper notice"));
    let mut late: Vec<(&str, &str)> = THREE[1..].to_vec();
    late.extend([
        ("delivered_on", "2026-11-16"),
        ("received_by", "Rita Reception"),
    ]);
    let r = coord
        .multipart(
            &dec,
            &format!("{page}/identify/paper"),
            &late,
            &[("file", "notice.pdf", b"%PDF signed")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let t = text(&r.body);
    assert!(t.contains("Not recorded: delivered too late."), "{t}");
    assert!(t.contains("ended on Nov 15, 2026"), "{t}");
    assert!(
        r.body.contains("value=\"Rita Reception\""),
        "what was typed stays"
    );
    let mut nofile: Vec<(&str, &str)> = THREE[1..].to_vec();
    nofile.extend([
        ("delivered_on", "2026-11-10"),
        ("received_by", "Rita Reception"),
    ]);
    let r = coord
        .multipart(&dec, &format!("{page}/identify/paper"), &nofile, &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&r.body).contains("attach the scanned signed notice"));
    let r = coord.get(&dec, &page).await;
    assert!(
        !r.body.contains(&format!("{page}/documents/")),
        "nothing stored"
    );
    let r = coord
        .multipart(
            &dec,
            &format!("{page}/identify/paper"),
            &nofile,
            &[("file", "signed-notice.pdf", b"%PDF signed")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = coord.get(&dec, &page).await;
    let t = text(&r.body);
    assert!(t.contains("signed paper notice"), "{t}");
    assert!(
        t.contains("Delivered on paper on Nov 10, 2026 to Rita Reception"),
        "{t}"
    );
    assert!(
        t.contains("Valid identification under the three-property rule"),
        "{t}"
    );
    assert!(t.contains("signed-notice.pdf"), "the document is kept: {t}");
    // Audited under the coordinator's name.
    let r = coord.get(&dec, &format!("{page}/audit")).await;
    let t = text(&r.body);
    assert!(
        t.contains("Signed paper identification notice recorded"),
        "{t}"
    );
    assert!(t.contains("Cora Coordinator"), "{t}");
}

#[tokio::test]
async fn an_administrator_deactivates_changes_roles_and_resets_passwords_in_pages() {
    let (app, _store, _d) = app().await;
    let mut a = admin(&app).await;
    let mut cora = user(
        &app,
        &mut a,
        "Cora Coordinator",
        "cora@acme.test",
        "coordinator",
    )
    .await;
    let r = a.get(&app, "/users").await;
    let uid = user_id(&r.body, "Cora Coordinator");
    let me = user_id(&r.body, "Ada Admin");
    assert!(r.body.contains("Deactivate Cora Coordinator"));
    assert!(
        r.body
            .contains("Create a password-reset link for Cora Coordinator")
    );
    // Only an administrator.
    let r = cora
        .post(&app, &format!("/users/{me}/active"), &[("active", "no")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Deactivated: her session ends at once and she cannot log in.
    let r = a
        .post(&app, &format!("/users/{uid}/active"), &[("active", "no")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = cora.get(&app, "/").await;
    assert_eq!(r.location.as_deref(), Some("/login"), "session ended");
    let r = Browser::default()
        .post(
            &app,
            "/login",
            &[("email", "cora@acme.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = a.get(&app, "/users").await;
    assert!(r.body.contains("Reactivate Cora Coordinator"));
    let r = a
        .post(&app, &format!("/users/{uid}/active"), &[("active", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut cora = login(&app, "cora@acme.test").await;

    // Roles: the firm keeps an administrator, said in words on the users page.
    a.get(&app, "/users").await;
    let r = a
        .post(
            &app,
            &format!("/users/{me}/role"),
            &[("role", "coordinator")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let t = text(&r.body);
    assert!(t.contains("Users and roles"), "{t}");
    assert!(
        t.contains("Not changed: this is the firm's last active administrator"),
        "{t}"
    );
    let r = a
        .post(&app, &format!("/users/{me}/active"), &[("active", "no")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = a
        .post(&app, &format!("/users/{uid}/role"), &[("role", "preparer")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = a.get(&app, "/users").await;
    let row = &r.body[r.body.find(&format!("id=\"user-{uid}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<td>Tax preparer (CPA)</td>"), "{row}");

    // A one-time reset link, shown once to the admin.
    let r = a.post(&app, &format!("/users/{uid}/reset"), &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = text(&r.body);
    assert!(
        t.contains("Give this link to Cora Coordinator privately"),
        "{t}"
    );
    let i = r.body.find("http://localhost/reset/").unwrap() + "http://localhost".len();
    let link = r.body[i..i + r.body[i..].find('<').unwrap()].to_string();
    let mut anon = Browser::default();
    let r = anon.get(&app, &link).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h1>Set a new password</h1>"));
    let r = anon
        .post(
            &app,
            &link,
            &[
                ("password", "a brand new passphrase"),
                ("confirm", "different one!!"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&r.body).contains("The two passwords are not the same"));
    let r = anon
        .post(
            &app,
            &link,
            &[
                ("password", "a brand new passphrase"),
                ("confirm", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(text(&r.body).contains("Your password is set"));
    let r = cora.get(&app, "/").await;
    assert_eq!(r.location.as_deref(), Some("/login"), "her session ended");
    let r = Browser::default()
        .post(
            &app,
            "/login",
            &[
                ("email", "cora@acme.test"),
                ("password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Twice: refused in words.
    let r = anon.get(&app, &link).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        text(&r.body).contains("this reset link has already been used"),
        "{}",
        r.body
    );
    let r = anon
        .post(
            &app,
            &link,
            &[
                ("password", "yet another passphrase"),
                ("confirm", "yet another passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Who did what to whom, on the users page.
    let r = a.get(&app, "/users").await;
    let t = text(&r.body[r.body.find("id=\"acct-h\"").unwrap()..]);
    for what in [
        "Ada Admin deactivated Cora Coordinator",
        "Ada Admin reactivated Cora Coordinator",
        "Ada Admin role changed to Tax preparer (CPA) Cora Coordinator",
        "Ada Admin password-reset link created Cora Coordinator",
        "Cora Coordinator password set with a reset link Cora Coordinator",
    ] {
        assert!(t.contains(what), "{what} not in {t}");
    }
    let r = anon.get(&app, "/reset/not-a-token").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(text(&r.body).contains("this reset link is not valid"));
}
