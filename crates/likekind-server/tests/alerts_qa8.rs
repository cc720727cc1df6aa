//! Alerts and the calendar feed as people and calendar applications read them (exploratory QA
//! pass 8): every alert is dated (an identification problem by the end of the identification
//! period, the date its words name); an exchange that reads as completed but was not closed
//! is a warning of its own, not a missed deadline; the feed's `DTSTAMP` is the time of the
//! request in UTC (RFC 5545 §3.8.7.2) and its alarms follow the firm's reminder lead times.
//! On SQLite, and on PostgreSQL when `LIKEKIND_TEST_PG_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use jiff::civil::date;
use serde_json::{Value, json};

/// Creates an exchange with `f` and records its sale closing on the file's transfer date.
async fn open(t: &TestApp, coord: &As, name: &str, f: Value) -> String {
    let (s, ex) = t
        .post("/api/exchanges", coord, json!({"name": name, "file": f}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    let on = ex["file"]["relinquished"][0]["transferred"].clone();
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id}/events"),
            coord,
            json!({"kind": "relinquished_closed", "on_date": on}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    id
}

fn of<'a>(alerts: &'a Value, id: &str) -> Vec<&'a Value> {
    alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["exchange_id"] == id)
        .collect()
}

/// `YYYY-MM-DD`.
fn is_iso_date(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.parse::<jiff::civil::Date>().is_ok() && s.len() == 10)
}

async fn identification_problems_are_dated(t: &TestApp) {
    let (admin, _, _) = t.signup("qa8-dated").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    // Sold 2026-03-02: day 45 is 2026-04-16. Nothing identified.
    let none = open(t, &coord, "Nothing identified", file()).await;
    // Identified after day 45 and bought: the problem is on record before day 45 comes.
    let mut f = file();
    f["identified"] = json!([{"id": "late", "description": "late lot", "fmv": "900000", "identified_on": "2026-04-30"}]);
    f["replacement"] =
        json!([{"id": "late", "location": "TX", "received": "2026-04-30", "price": "900000"}]);
    let late = open(t, &coord, "Late", f).await;

    // Today (2026-05-01) day 45 has passed.
    let (s, alerts) = t.get("/api/alerts?within=14d", &coord).await;
    assert_eq!(s, StatusCode::OK);
    for a in alerts.as_array().unwrap() {
        assert!(is_iso_date(&a["date"]), "every alert is dated: {a}");
    }
    for id in [&none, &late] {
        let problems: Vec<_> = of(&alerts, id)
            .into_iter()
            .filter(|a| a["kind"] == "identification_problem")
            .collect();
        assert_eq!(problems.len(), 1, "{alerts:#}");
        assert_eq!(problems[0]["date"], "2026-04-16", "{}", problems[0]);
        assert!(
            problems[0]["message"]
                .as_str()
                .unwrap()
                .contains("Apr 16, 2026"),
            "the date is the one the words name: {}",
            problems[0]
        );
    }
    // Before day 45 the late identification is already a problem, dated the day it is about.
    let (_, alerts) = t.on(date(2026, 4, 10)).get("/api/alerts", &coord).await;
    let problems: Vec<_> = of(&alerts, &late)
        .into_iter()
        .filter(|a| a["kind"] == "identification_problem")
        .collect();
    assert_eq!(problems.len(), 1, "{alerts:#}");
    assert_eq!(problems[0]["date"], "2026-04-16", "{}", problems[0]);
    // A short page still lists them in date order with the rest.
    let (_, page) = t
        .on(date(2026, 4, 10))
        .get("/api/alerts?limit=1", &coord)
        .await;
    assert_eq!(page.as_array().unwrap().len(), 1);
    assert!(is_iso_date(&page[0]["date"]), "{page}");
}

async fn completed_not_closed_is_a_warning(t: &TestApp) {
    let (admin, _, _) = t.signup("qa8-closed").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    // Elm identified on 2026-04-01 and received on 2026-04-25: every identified property
    // received, the exchange reads as completed. The exchange period ends 2026-08-29.
    let mut f = file_with_elm();
    f["identified"] = json!([{"id": "elm", "description": "12 Elm", "fmv": "1000000", "identified_on": "2026-04-01"}]);
    let done = open(t, &coord, "Done, not closed", f).await;
    // Nothing identified: failed, and still open.
    let failed = open(t, &coord, "Failed, not closed", file()).await;
    let app = t.on(date(2026, 10, 1));
    let (s, alerts) = app.get("/api/alerts?within=14", &coord).await;
    assert_eq!(s, StatusCode::OK);
    let (_, ex) = app.get(&format!("/api/exchanges/{done}"), &coord).await;
    assert_eq!(ex["status"], "completed", "{ex}");
    let mine = of(&alerts, &done);
    assert_eq!(mine.len(), 1, "{alerts:#}");
    let a = mine[0];
    assert_eq!(a["kind"], "not_closed", "{a}");
    assert_eq!(a["severity"], "warning", "{a}");
    assert_eq!(a["date"], "2026-08-29", "{a}");
    let m = a["message"].as_str().unwrap();
    assert!(
        m.contains("Aug 29, 2026")
            && m.contains("reads as completed")
            && m.contains("not been closed"),
        "{m}"
    );
    // A failed exchange still open missed its deadlines: an error, as before.
    let missed: Vec<_> = of(&alerts, &failed)
        .into_iter()
        .filter(|a| a["kind"] == "deadline_missed")
        .collect();
    assert_eq!(missed.len(), 1, "{alerts:#}");
    assert_eq!(missed[0]["severity"], "error");
    // The bounded read lists it too (its own arm of the query).
    let (_, all) = app.get("/api/alerts?limit=1000", &coord).await;
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|a| a["kind"] == "not_closed" && a["exchange_id"] == done.as_str()),
        "{all:#}"
    );
    // Closing it as completed clears it.
    let (s, e) = app
        .post(
            &format!("/api/exchanges/{done}/events"),
            &coord,
            json!({"kind": "completed", "on_date": "2026-10-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let (_, alerts) = app.get("/api/alerts?within=14", &coord).await;
    assert!(of(&alerts, &done).is_empty(), "{alerts:#}");
}

/// The feed's content lines, unfolded (RFC 5545 §3.1).
async fn feed(t: &TestApp, who: &As) -> Vec<String> {
    let (s, _, b) = t
        .raw(TestApp::request("GET", "/api/calendar.ics", who, None))
        .await;
    assert_eq!(s, StatusCode::OK);
    String::from_utf8(b)
        .unwrap()
        .replace("\r\n ", "")
        .split("\r\n")
        .map(str::to_string)
        .collect()
}

/// The triggers of the alarms of each event, in order.
fn triggers(lines: &[String]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for l in lines {
        if l == "BEGIN:VEVENT" {
            out.push(Vec::new());
        } else if let Some(t) = l.strip_prefix("TRIGGER:")
            && let Some(e) = out.last_mut()
        {
            e.push(t.to_string());
        }
    }
    out
}

/// A firm with one running exchange: sold 2026-04-20, day 45 on 2026-06-04, both deadlines
/// still ahead of the tests' today (2026-05-01). Its admin and a coordinator.
async fn running(t: &TestApp, firm: &str) -> (As, As) {
    let (admin, _, _) = t.signup(firm).await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let mut f = file();
    f["relinquished"][0]["transferred"] = json!("2026-04-20");
    open(t, &coord, "Running", f).await;
    (admin, coord)
}

async fn feed_is_stamped_at_the_request(t: &TestApp) {
    let (_, coord) = running(t, "qa8-stamp").await;
    // DTSTAMP: the time of the request in UTC, whatever the firm's date (fixed here).
    let before = jiff::Timestamp::now().as_second();
    let lines = feed(t, &coord).await;
    let after = jiff::Timestamp::now().as_second();
    let stamps: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("DTSTAMP:"))
        .collect();
    assert_eq!(stamps.len(), 2, "{lines:#?}");
    for s in &stamps {
        assert_eq!(s.len(), 16, "{s}");
        let b = s.as_bytes();
        assert!(b[8] == b'T' && b[15] == b'Z', "{s}");
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
            "DTSTAMP {s} is not the time of the request ({before}..={after})"
        );
    }
}

async fn feed_alarms_follow_the_firms_lead_times(t: &TestApp) {
    let (admin, coord) = running(t, "qa8-alarms").await;
    // Alarms at the firm's lead times: by default 30, 14, 7, 2, 1 and 0 days (on the day).
    let (_, settings) = t.get("/api/notifications/settings", &admin).await;
    assert_eq!(
        settings["reminder_days"],
        json!([30, 14, 7, 2, 1, 0]),
        "{settings}"
    );
    let by_default = triggers(&feed(t, &coord).await);
    assert_eq!(by_default.len(), 2);
    for e in &by_default {
        assert_eq!(
            e,
            &["-P30D", "-P14D", "-P7D", "-P2D", "-P1D", "PT0S"],
            "{by_default:?}"
        );
    }
    // The firm changes them: the feed follows.
    let (s, e) = t
        .call(
            "PATCH",
            "/api/notifications/settings",
            &admin,
            Some(json!({"reminder_days": [3, 10]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let lines = feed(t, &coord).await;
    assert_eq!(triggers(&lines).len(), 2);
    for e in triggers(&lines) {
        assert_eq!(e, ["-P10D", "-P3D"]);
    }
    // Each alarm says in words how far off the deadline is.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("DESCRIPTION:") && l.contains(" in 10 days (Jun 4\\, 2026)")),
        "{lines:#?}"
    );
}

#[tokio::test]
async fn identification_problems_are_dated_on_sqlite() {
    identification_problems_are_dated(&sqlite().await).await;
}

#[tokio::test]
async fn completed_not_closed_is_a_warning_on_sqlite() {
    completed_not_closed_is_a_warning(&sqlite().await).await;
}

#[tokio::test]
async fn feed_is_stamped_at_the_request_on_sqlite() {
    feed_is_stamped_at_the_request(&sqlite().await).await;
}

#[tokio::test]
async fn feed_alarms_follow_the_firms_lead_times_on_sqlite() {
    feed_alarms_follow_the_firms_lead_times(&sqlite().await).await;
}

#[tokio::test]
async fn alerts_and_feed_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!("alerts_and_feed_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
        return;
    };
    let t = at_url(&url).await;
    identification_problems_are_dated(&t).await;
    completed_not_closed_is_a_warning(&t).await;
    feed_is_stamped_at_the_request(&t).await;
    feed_alarms_follow_the_firms_lead_times(&t).await;
}
