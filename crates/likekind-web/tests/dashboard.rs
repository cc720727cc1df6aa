//! The dashboard with many open exchanges: the deadline list comes a page at a time, most
//! urgent first across pages (the order the engine's dates give), with links that work
//! without JavaScript; counts by status cover every exchange; a client sees only their own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use likekind_core::model::ExchangeFile;
use likekind_store::{Actor, ExchangeUpdate};

/// A sale in the first five months of 2026 with a replacement identified the same day: open
/// (in its identification or acquisition period) on 2026-05-01, so its deadlines matter.
fn file(k: usize) -> String {
    let m = 1 + (k % 5);
    let d = 1 + (k % 27);
    format!(
        r#"{{"taxpayer":{{"name":"T{k}","entity":"individual"}},
        "relinquished":[{{"id":"r","description":"{k} Main St","location":"CA","acquired":"2015-06-01","transferred":"2026-0{m}-{d:02}","sale_price":"1000000","adjusted_basis":"400000","liabilities_relieved":"0","exchange_expenses":"0"}}],
        "identified":[{{"id":"e","description":"{k} Elm St","fmv":"900000","identified_on":"2026-0{m}-{d:02}"}}]}}"#
    )
}

/// The exchange names in the deadline table of a dashboard page, in order.
fn due_names(body: &str) -> Vec<String> {
    let table = &body[..body.find("id=\"list\"").unwrap()];
    table
        .split("<th scope=\"row\" data-label=\"Exchange\"><a href=\"/exchanges/")
        .skip(1)
        .map(|s| {
            let s = &s[s.find('>').unwrap() + 1..];
            s[..s.find('<').unwrap()].to_string()
        })
        .collect()
}

/// A user as stored, by their e-mail.
async fn stored(store: &likekind_store::Store, email: &str) -> likekind_store::User {
    store.user_for_login(email).await.unwrap().unwrap().0
}

/// The store's actor for a user (to change records as they would).
fn actor_of(u: &likekind_store::User) -> Actor {
    Actor {
        firm_id: u.firm_id.clone(),
        user_id: u.id.clone(),
    }
}

#[tokio::test]
async fn deadlines_come_a_page_at_a_time_most_urgent_first() {
    let (app, store, _d) = app().await;
    let mut a = admin(&app).await;
    let mut c1 = user(&app, &mut a, "Client One", "one@client.test", "client").await;
    let admin_user = stored(&store, "ada@acme.test").await;
    let client_user = stored(&store, "one@client.test").await;
    let actor = actor_of(&admin_user);
    let today = today();
    let mut want: Vec<(jiff::civil::Date, String)> = Vec::new();
    for k in 0..120 {
        let name = format!("Exchange {k:03}");
        let f = file(k);
        store
            .create_exchange(&actor, &name, None, &f)
            .await
            .unwrap();
        let ff: ExchangeFile = serde_json::from_str(&f).unwrap();
        let d = likekind_core::deadlines::dates(&likekind_core::deadlines::inputs_of(&ff).unwrap());
        let due = if today <= d.identification_end {
            d.identification_end
        } else {
            d.exchange_end
        };
        want.push((due, name));
    }
    store
        .create_exchange(&actor, "Client's own", Some(&client_user.id), &file(7))
        .await
        .unwrap();
    let ff: ExchangeFile = serde_json::from_str(&file(7)).unwrap();
    let d = likekind_core::deadlines::dates(&likekind_core::deadlines::inputs_of(&ff).unwrap());
    want.push((
        if today <= d.identification_end {
            d.identification_end
        } else {
            d.exchange_end
        },
        "Client's own".into(),
    ));
    want.sort();

    let r = a.get(&app, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Open exchanges 1–50 of 121."), "{}", r.body);
    assert!(r.body.contains("Page 1 of 3"));
    assert!(r.body.contains(r#"<a rel="next" href="/?page=2">"#));
    assert!(!r.body.contains("rel=\"prev\""));
    let mut got = due_names(&r.body);
    assert_eq!(got.len(), 50);
    let r = a.get(&app, "/?page=2").await;
    assert!(r.body.contains("Open exchanges 51–100 of 121."));
    assert!(r.body.contains(r#"<a rel="prev" href="/">"#));
    got.extend(due_names(&r.body));
    let r = a.get(&app, "/?page=3").await;
    assert!(r.body.contains("Open exchanges 101–121 of 121."));
    assert!(!r.body.contains("rel=\"next\""));
    got.extend(due_names(&r.body));
    let want_names: Vec<String> = want.iter().map(|(_, n)| n.clone()).collect();
    assert_eq!(got, want_names, "most urgent first, then by name");
    // Past the end: the last page; nonsense: the first.
    assert!(a.get(&app, "/?page=99").await.body.contains("Page 3 of 3"));
    assert!(a.get(&app, "/?page=x").await.body.contains("Page 1 of 3"));
    // Counts by status: every exchange.
    assert!(
        r.body
            .contains(r#"<tfoot><tr><th scope="row">All</th><td class="num">121</td>"#),
        "{}",
        r.body
    );

    // A client: their one exchange, no pages, nobody else's name.
    let r = c1.get(&app, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(due_names(&r.body), vec!["Client's own".to_string()]);
    assert!(r.body.contains("Open exchanges 1–1 of 1."));
    assert!(!r.body.contains("Exchange 0"));
    assert!(!r.body.contains("Page 1 of"));
    assert!(
        r.body
            .contains(r#"<tfoot><tr><th scope="row">All</th><td class="num">1</td>"#)
    );
    let r = c1.get(&app, "/?page=2&alerts=all").await;
    assert_eq!(due_names(&r.body).len(), 1);
    assert!(!r.body.contains("Exchange 0"));
}

/// More alerts than the dashboard shows: the 50 most serious, a count, and a link (no
/// JavaScript) that shows them all.
#[tokio::test]
async fn alerts_beyond_fifty_are_one_link_away() {
    let (app, store, _d) = app().await;
    let mut a = admin(&app).await;
    let admin_user = stored(&store, "ada@acme.test").await;
    let actor = actor_of(&admin_user);
    // Transferred 2026-03-20: day 45 is 2026-05-04, three days after today (2026-05-01).
    let near = r#"{"taxpayer":{"name":"T","entity":"individual"},
        "relinquished":[{"id":"r","description":"Main St","location":"CA","acquired":"2015-06-01","transferred":"2026-03-20","sale_price":"1000000","adjusted_basis":"400000","liabilities_relieved":"0","exchange_expenses":"0"}]}"#;
    for k in 0..60 {
        store
            .create_exchange(&actor, &format!("Near {k:02}"), None, near)
            .await
            .unwrap();
    }
    let alerts_in = |body: &str| {
        let from = body.find("id=\"alerts-h\"").unwrap();
        let to = body.find("id=\"idle-h\"").unwrap();
        body[from..to].matches("<li class=\"sev-").count()
    };
    let r = a.get(&app, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(alerts_in(&r.body), 50, "{}", r.body);
    assert!(r.body.contains("Showing the 50 most serious of 60 alerts"));
    assert!(
        r.body
            .contains(r#"<a href="/?alerts=all#alerts-h">Show all alerts</a>"#),
        "{}",
        r.body
    );
    let r = a.get(&app, "/?alerts=all").await;
    assert_eq!(alerts_in(&r.body), 60);
    assert!(!r.body.contains("Show all alerts"));
}

/// The exchange names in the list of exchanges (the search's table), in order.
fn list_names(body: &str) -> Vec<String> {
    let Some(from) = body.find("<table class=\"reflow\" id=\"exchanges\">") else {
        return Vec::new();
    };
    let table = &body[from..body[from..].find("</table>").unwrap() + from];
    table
        .split("<th scope=\"row\" data-label=\"Exchange\"><a href=\"/exchanges/")
        .skip(1)
        .map(|s| {
            let s = &s[s.find('>').unwrap() + 1..];
            s[..s.find('<').unwrap()].to_string()
        })
        .collect()
}

/// The "Next page" link of the list, unescaped.
fn next_link(body: &str) -> Option<String> {
    let i = body.find("id=\"list-next\" href=\"")?;
    let rest = &body[i + 21..];
    let href = &rest[..rest.find('"').unwrap()];
    Some(href.replace("&amp;", "&"))
}

/// The list of exchanges without JavaScript: search by a word of the name, the taxpayer or a
/// property; a status filter; an order; keyset pages whose links keep the search; the
/// coordinator assigned on the exchange page (staff), shown and filtered on; the CSV link of
/// what is shown; a client sees only their own.
#[tokio::test]
async fn the_list_searches_filters_sorts_and_pages_without_script() {
    let (app, store, _d) = app().await;
    let mut a = admin(&app).await;
    let mut cole = user(
        &app,
        &mut a,
        "Cole Coordinator",
        "cole@acme.test",
        "coordinator",
    )
    .await;
    let mut c1 = user(&app, &mut a, "Client One", "one@client.test", "client").await;
    let admin_user = stored(&store, "ada@acme.test").await;
    let client_user = stored(&store, "one@client.test").await;
    let cole_user = stored(&store, "cole@acme.test").await;
    let actor = actor_of(&admin_user);
    let mut names = Vec::new();
    for k in 0..60 {
        let name = format!("Exchange {k:03}");
        store
            .create_exchange(&actor, &name, None, &file(k))
            .await
            .unwrap();
        names.push(name);
    }
    let own = store
        .create_exchange(&actor, "Client's own", Some(&client_user.id), &file(7))
        .await
        .unwrap();
    names.push("Client's own".into());
    names.sort();

    // By name, a page of 50 at a time; the pages together are the whole list.
    let r = a.get(&app, "/?sort=name").await;
    assert_eq!(r.status, StatusCode::OK);
    let mut got = list_names(&r.body);
    assert_eq!(got.len(), 50, "{}", r.body);
    let next = next_link(&r.body).expect("a next page");
    assert!(next.starts_with("/?sort=name&after="), "{next}");
    let r = a.get(&app, &next).await;
    got.extend(list_names(&r.body));
    assert!(next_link(&r.body).is_none());
    assert!(r.body.contains("First page"));
    assert_eq!(got, names);

    // A word of the taxpayer's name (T17), of a property's description (17 Elm St): one.
    for q in ["t17", "T17", "17%20elm"] {
        let r = a.get(&app, &format!("/?q={q}")).await;
        assert_eq!(list_names(&r.body), ["Exchange 017"], "q={q}");
    }
    let r = a.get(&app, "/?q=t17").await;
    assert!(
        r.body.contains(r#"href="/exchanges.csv?q=t17""#),
        "{}",
        r.body
    );
    assert!(r.body.contains("Clear the search and filters"));
    let r = a.get(&app, "/?q=zzz").await;
    assert!(r.body.contains("No exchange matches."));
    // Nonsense filters are left out, never an error.
    let r = a.get(&app, "/?status=open&sort=size&due=-3").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(list_names(&r.body).len(), 50);
    // A status: only exchanges in it (sold Jan 1, Exchange 000 is acquiring on May 1).
    let r = a.get(&app, "/?status=acquisition").await;
    let acq = list_names(&r.body);
    assert!(acq.contains(&"Exchange 000".to_string()), "{acq:?}");
    let from = r.body.find("id=\"exchanges\"").unwrap();
    let table = &r.body[from..from + r.body[from..].find("</table>").unwrap()];
    assert_eq!(
        table.matches("<small>Acquisition period</small>").count(),
        acq.len()
    );
    assert_eq!(
        table.matches("<small>").count(),
        acq.len() * 2,
        "a status and a deadline per row"
    );

    // The coordinator, assigned on the exchange page by staff, shown and filtered on.
    let page = cole.get(&app, &format!("/exchanges/{}", own.id)).await;
    assert!(page.body.contains("Assigned coordinator"));
    let r = cole
        .post(
            &app,
            &format!("/exchanges/{}/coordinator", own.id),
            &[("coordinator_id", cole_user.id.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a
        .get(&app, &format!("/?coordinator={}", cole_user.id))
        .await;
    assert_eq!(list_names(&r.body), ["Client's own"]);
    assert!(
        r.body
            .contains("<td data-label=\"Coordinator\">Cole Coordinator</td>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<td data-label=\"Client\">Client One</td>"));
    let r = a.get(&app, "/?coordinator=none&q=client").await;
    assert!(list_names(&r.body).is_empty());
    // A client cannot assign, and sees their own exchange only, with its coordinator.
    let r = c1.get(&app, &format!("/exchanges/{}", own.id)).await;
    assert!(
        r.body.contains("Your coordinator: Cole Coordinator."),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Assigned coordinator"));
    let r = c1
        .post(
            &app,
            &format!("/exchanges/{}/coordinator", own.id),
            &[("coordinator_id", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c1.get(&app, "/").await;
    assert_eq!(list_names(&r.body), ["Client's own"]);
    assert!(
        !r.body.contains("f-coordinator"),
        "no coordinator filter for a client"
    );

    // The CSV of what is shown.
    let (s, h, b) = a.download(&app, "/exchanges.csv?q=t17").await;
    assert_eq!(s, StatusCode::OK);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = String::from_utf8(b).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.lines().nth(1).unwrap().starts_with("Exchange 017,,,"),
        "{csv}"
    );
    let (_, _, b) = c1.download(&app, "/exchanges.csv").await;
    let csv = String::from_utf8(b).unwrap();
    assert_eq!(csv.lines().count(), 2, "the client's own: {csv}");
    assert!(
        csv.contains("Client's own,Client One,Cole Coordinator,"),
        "{csv}"
    );
    // The ledger's CSV link and download on the exchange page.
    let r = c1.get(&app, &format!("/exchanges/{}", own.id)).await;
    assert!(
        r.body
            .contains(&format!("href=\"/exchanges/{}/ledger.csv\"", own.id))
    );
    let (s, _, b) = c1
        .download(&app, &format!("/exchanges/{}/ledger.csv", own.id))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(String::from_utf8(b).unwrap().starts_with("Number,Date,"));
}

/// Two servers on one database, each keeping the dashboard and the alerts it served for the
/// data revision: a change made through the other server shows on the next request.
#[tokio::test]
async fn a_kept_dashboard_and_alerts_follow_changes_made_through_another_server() {
    let (one, store, _d) = app().await;
    let other = app_on(&store, |_| {});
    let mut a = admin(&one).await;
    for _ in 0..2 {
        let r = a.get(&one, "/").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("Kept Street"));
        let r = a.get(&one, "/api/alerts?within=30").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!r.body.contains("Kept Street"), "{}", r.body);
    }
    // Kept drawn, frame and all, but with each session's own form token: the same person's
    // second session logs out with its own.
    let mut again = login(&one, "ada@acme.test").await;
    let r = again.get(&one, "/").await;
    assert!(r.body.contains(&again.csrf), "the second session's token");
    assert!(!r.body.contains(&a.csrf), "never the first session's");
    assert!(!r.body.contains("kept-form-token"), "never the stand-in");
    assert_eq!(
        again.post(&one, "/logout", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    // Sold 2026-04-01: the identification period ends 2026-05-16, within 30 days of today.
    new_exchange(&other, &mut a, "Kept Street", "").await;
    let r = a.get(&one, "/").await;
    assert!(r.body.contains("Kept Street"), "{}", r.body);
    let r = a.get(&one, "/api/alerts?within=30").await;
    assert!(r.body.contains("Kept Street"), "{}", r.body);
    assert!(r.body.contains("(in 15 days)"), "{}", r.body);
    // Another day is another read.
    let later = app_on(&store, |c| c.today = Some(jiff::civil::date(2026, 5, 2)));
    let r = a.get(&later, "/api/alerts?within=30").await;
    assert!(r.body.contains("(in 14 days)"), "{}", r.body);
}

/// The exchange page and the engine's analysis are kept for the data revision: a posting
/// made through another server shows at once, another day is another read, and keeping a
/// page never lets someone see an exchange the tenancy rule hides from them.
#[tokio::test]
async fn a_kept_exchange_page_and_analysis_follow_changes_and_the_tenancy_rule() {
    let (one, store, _d) = app().await;
    let other = app_on(&store, |_| {});
    let (mut a, mut client, id) = funded(&one).await;
    let mut stranger = user(&one, &mut a, "Sam Stranger", "sam@client.test", "client").await;
    let page = format!("/exchanges/{id}");
    let analysis = format!("/api/exchanges/{id}/analysis");
    let mut first = String::new();
    for round in 0..2 {
        let r = a.get(&one, &page).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("$670,000.00"), "{}", r.body);
        assert!(!r.body.contains("$1,234.00"), "{}", r.body);
        let r = client.get(&one, &page).await;
        assert_eq!(r.status, StatusCode::OK, "the exchange's own client");
        let r = a.get(&one, &analysis).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        if round == 0 {
            first = r.body;
        } else {
            assert_eq!(r.body, first, "the kept report, byte for byte");
        }
        // Kept or not, someone else's client is told there is no such exchange.
        assert_eq!(
            stranger.get(&one, &page).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            stranger.get(&one, &analysis).await.status,
            StatusCode::NOT_FOUND
        );
    }
    // The page is kept drawn, but each session gets its own form token on it: the same
    // person logged in a second time posts from the kept page with the second session's.
    let mut again = login(&one, "ada@acme.test").await;
    let r = again.get(&one, &page).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&again.csrf), "the second session's token");
    assert_ne!(again.csrf, a.csrf);
    assert!(!r.body.contains(&a.csrf), "never the first session's");
    assert!(!r.body.contains("kept-form-token"), "never the stand-in");
    let r = again
        .post(
            &one,
            &format!("/exchanges/{id}/coordinator"),
            &[("coordinator", "")],
        )
        .await;
    assert_ne!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // A receipt posted through the other server is on this server's page at once.
    a.get(&other, &format!("/exchanges/{id}/ledger")).await;
    let r = a
        .post(
            &other,
            &format!("/exchanges/{id}/ledger"),
            &[
                ("kind", "receipt"),
                ("amount", "1,234"),
                ("posted_on", "2026-04-02"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&one, &page).await;
    assert!(r.body.contains("$1,234.00"), "{}", r.body);
    let r = client.get(&one, &page).await;
    assert!(r.body.contains("$1,234.00"), "{}", r.body);
    // Another day is another report.
    let later = app_on(&store, |c| c.today = Some(jiff::civil::date(2026, 5, 2)));
    let r = a.get(&later, &analysis).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("\"as_of\":\"2026-05-02\""), "{}", r.body);
    assert_ne!(r.body, first);
    // The exchange's row is kept too (the tenancy rule is applied to it on each request):
    // once another server takes the exchange from its client, the client is refused at once,
    // and the stranger it is given to sees it.
    let ada = stored(&store, "ada@acme.test").await;
    let sam = stored(&store, "sam@client.test").await;
    let actor = actor_of(&ada);
    assert_eq!(client.get(&one, &analysis).await.status, StatusCode::OK);
    let row = store.get_exchange(&ada.firm_id, &id).await.unwrap();
    store
        .update_exchange(
            &actor,
            &id,
            row.version,
            ExchangeUpdate {
                client_id: Some(Some(sam.id.clone())),
                ..ExchangeUpdate::default()
            },
        )
        .await
        .unwrap();
    for path in [&page, &analysis] {
        assert_eq!(client.get(&one, path).await.status, StatusCode::NOT_FOUND);
        assert_eq!(stranger.get(&one, path).await.status, StatusCode::OK);
    }
}
