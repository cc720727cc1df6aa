//! The dashboard's alerts in words (exploratory QA pass 8): an exchange that reads as
//! completed (every identified property received) but was not closed after its exchange period
//! is a warning that says so, not a problem; a failed one still open stays a problem.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use likekind_store::Actor;

/// Sold 2026-03-02 (the exchange period ends 2026-08-29); `rest` adds the identification and
/// the purchase.
fn file(rest: &str) -> String {
    format!(
        r#"{{"taxpayer":{{"name":"T","entity":"individual"}},
        "relinquished":[{{"id":"r","description":"1 Main St","location":"CA","acquired":"2015-06-01","transferred":"2026-03-02","sale_price":"1000000","adjusted_basis":"400000","liabilities_relieved":"0","exchange_expenses":"0"}}]{rest}}}"#
    )
}

/// The items of the dashboard's Alerts section.
fn alert_items(body: &str) -> Vec<String> {
    let from = body.find("id=\"alerts-h\"").unwrap();
    let to = body.find("id=\"idle-h\"").unwrap();
    body[from..to]
        .split("<li ")
        .skip(1)
        .map(|s| s[..s.find("</li>").unwrap()].to_string())
        .collect()
}

#[tokio::test]
async fn a_completed_exchange_not_closed_is_a_warning_in_words() {
    let (app, store, _d) = app().await;
    let mut a = admin(&app).await;
    let ada = store
        .user_for_login("ada@acme.test")
        .await
        .unwrap()
        .unwrap()
        .0;
    let actor = Actor {
        firm_id: ada.firm_id.clone(),
        user_id: ada.id.clone(),
    };
    let done = file(
        r#","identified":[{"id":"elm","description":"12 Elm St","fmv":"1000000","identified_on":"2026-04-01"}],
        "replacement":[{"id":"elm","location":"TX","received":"2026-04-25","price":"1000000"}]"#,
    );
    store
        .create_exchange(&actor, "Done, not closed", None, &done)
        .await
        .unwrap();
    store
        .create_exchange(&actor, "Failed, not closed", None, &file(""))
        .await
        .unwrap();
    let later = app_on(&store, |c| c.today = Some(jiff::civil::date(2026, 10, 1)));
    let r = a.get(&later, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    let items = alert_items(&r.body);
    let done: Vec<_> = items
        .iter()
        .filter(|i| i.contains("Done, not closed"))
        .collect();
    assert_eq!(done.len(), 1, "{items:#?}");
    assert!(
        done[0].starts_with(r#"class="sev-warning"><span class="badge">Warning</span>"#)
            && done[0].contains("reads as completed, but it has not been closed")
            && done[0].contains("Aug 29, 2026"),
        "{}",
        done[0]
    );
    assert!(
        items.iter().any(|i| i.contains("Failed, not closed")
            && i.starts_with(r#"class="sev-error"><span class="badge">Problem</span>"#)),
        "{items:#?}"
    );
    assert!(!r.body.contains("not_closed"), "no codes on the page");
    words::assert_in_words("dashboard", &r.body);
}

/// The alarms of each event of a calendar, in order, and its `DTSTAMP`s.
fn triggers_and_stamps(ics: &str) -> (Vec<Vec<String>>, Vec<String>) {
    let (mut triggers, mut stamps): (Vec<Vec<String>>, Vec<String>) = (Vec::new(), Vec::new());
    for l in ics.replace("\r\n ", "").split("\r\n") {
        if l == "BEGIN:VEVENT" {
            triggers.push(Vec::new());
        } else if let Some(t) = l.strip_prefix("TRIGGER:")
            && let Some(e) = triggers.last_mut()
        {
            e.push(t.to_string());
        } else if let Some(s) = l.strip_prefix("DTSTAMP:") {
            stamps.push(s.to_string());
        }
    }
    (triggers, stamps)
}

/// One exchange's calendar, downloaded from its page, is stamped and reminded as the person's
/// feed is: `DTSTAMP` the time of the request in UTC (RFC 5545 §3.8.7.2), not midnight of the
/// firm's date, and alarms at the firm's reminder lead times, not fixed ones.
#[tokio::test]
async fn an_exchanges_calendar_follows_the_firms_lead_times() {
    let (app, _store, _d) = app().await;
    let mut a = admin(&app).await;
    let id = new_exchange(&app, &mut a, "Oak Street to Elm Plaza", "").await;
    let r = a
        .post(
            &app,
            "/notifications/settings",
            &[
                ("time_zone", "America/New_York"),
                ("reminder_days", "3, 10"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let before = jiff::Timestamp::now().as_second();
    let (s, _, one) = a
        .download(&app, &format!("/exchanges/{id}/export/ics"))
        .await;
    let (_, _, feed) = a
        .download(&app, &format!("/exchanges/{id}/export/feed"))
        .await;
    let after = jiff::Timestamp::now().as_second();
    assert_eq!(s, StatusCode::OK);
    let (one, feed) = (
        String::from_utf8(one).unwrap(),
        String::from_utf8(feed).unwrap(),
    );
    let (triggers, stamps) = triggers_and_stamps(&one);
    // The deadlines remind (the release of the funds is a date, not a deadline).
    let reminded: Vec<_> = triggers.iter().filter(|t| !t.is_empty()).collect();
    assert_eq!(reminded.len(), 2, "{one}");
    for t in &reminded {
        assert_eq!(t.as_slice(), ["-P10D", "-P3D"], "{one}");
    }
    assert_eq!(
        triggers_and_stamps(&feed).0.first(),
        reminded.first().copied(),
        "the same alarms as the feed"
    );
    assert!(!stamps.is_empty());
    for s in &stamps {
        let iso = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &s[0..4],
            &s[4..6],
            &s[6..8],
            &s[9..11],
            &s[11..13],
            &s[13..15]
        );
        let at: jiff::Timestamp = iso.parse().unwrap();
        assert!(
            (before..=after).contains(&at.as_second()),
            "DTSTAMP {s} is not the time of the request"
        );
    }
}
