//! The stored exchange summaries (deadline dates, alert inputs) against the engine: every
//! write path leaves a summary equal to a fresh derivation from the written file, the alerts
//! endpoint (which reads the summaries) answers exactly what running the engine on every open
//! exchange answers, on many days, and the counts by status agree with `status_of`. On SQLite,
//! and on PostgreSQL when `LIKEKIND_TEST_PG_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use jiff::civil::{Date, date};
use likekind_core::findings::Severity;
use likekind_server::alerts::Alert;
use likekind_server::error::ApiResult;
use likekind_server::exchanges::{file_of, status_of};
use likekind_store::summary::{SUMMARY_VERSION, summarize};
use likekind_store::{ExchangeRow, PageReq, Phase};
use serde_json::{Value, json};

/// The stored summary of `id` equals a fresh derivation from its file and phase, and its
/// dates are the engine's deadlines.
async fn assert_fresh(t: &TestApp, firm: &str, id: &str) {
    let ex = t.store.get_exchange(firm, id).await.unwrap();
    let (v, stored) = t.store.stored_summary(firm, id).await.unwrap();
    assert_eq!(v, SUMMARY_VERSION, "{id}");
    assert_eq!(stored, summarize(&ex.file, ex.phase), "{id} {:?}", ex.phase);
    let d = likekind_core::deadlines::inputs_of(&file_of(&ex).unwrap())
        .map(|i| likekind_core::deadlines::dates(&i));
    assert_eq!(
        stored.identification_end,
        d.as_ref().map(|d| d.identification_end)
    );
    assert_eq!(stored.exchange_end, d.as_ref().map(|d| d.exchange_end));
    assert_eq!(stored.first_transfer, d.as_ref().map(|d| d.first_transfer));
    // The verdict and the recognized gain are the engine's, judged once the exchange period
    // is over (the file's own date does not count in the tracker).
    let f = likekind_store::summary::tracked(file_of(&ex).unwrap());
    if let Some(d) = d {
        let day = likekind_core::calendar::add_days(d.exchange_end, 1);
        let r = likekind_core::analyze(&f, day);
        assert_eq!(
            stored.verdict.as_deref(),
            Some(likekind_store::summary::outcome_code(
                r.qualification.outcome
            )),
            "{id}"
        );
        assert_eq!(
            stored.recognized_gain,
            Some(r.gain.recognized.into()),
            "{id}"
        );
    }
}

async fn version(t: &TestApp, who: &As, id: &str) -> i64 {
    t.get(&format!("/api/exchanges/{id}"), who).await.1["version"]
        .as_i64()
        .unwrap()
}

async fn every_write_path(t: &TestApp) {
    let (admin, _, firm) = t.signup("summaries").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (client, client_id) = t.user(&admin, "client").await;
    // Create.
    let (s, ex) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Paths", "client_id": client_id, "file": file()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    assert_fresh(t, &firm, &id).await;
    let (_, before) = t.store.stored_summary(&firm, &id).await.unwrap();
    assert_eq!(before.identification_end, Some(date(2026, 4, 16)));
    // Update the file: a later sale moves every date.
    let mut f = file();
    f["relinquished"][0]["transferred"] = json!("2026-03-20");
    // (Before day 45: once the identification period is over, a new transfer date may not
    // start it again.)
    let v = version(t, &coord, &id).await;
    let (s, e) = t
        .on(date(2026, 4, 1))
        .call(
            "PATCH",
            &format!("/api/exchanges/{id}"),
            &coord,
            Some(json!({"version": v, "file": f})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_fresh(t, &firm, &id).await;
    let (_, after) = t.store.stored_summary(&firm, &id).await.unwrap();
    assert_eq!(after.identification_end, Some(date(2026, 5, 4)));
    // The sale closes: a missed exchange end becomes possible.
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id}/events"),
            &coord,
            json!({"kind": "relinquished_closed", "on_date": "2026-03-20"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    assert_fresh(t, &firm, &id).await;
    let (_, closed) = t.store.stored_summary(&firm, &id).await.unwrap();
    assert!(
        closed
            .milestones
            .iter()
            .any(|m| m.kind == "deadline_missed")
    );
    // A signed identification notice writes the file: day 45 is no longer a worry.
    let early = t.on(date(2026, 4, 1));
    let (s, n) = early
        .post(
            &format!("/api/exchanges/{id}/notices"),
            &client,
            json!({"identified_on": "2026-04-01", "properties": [{"id": "elm", "description": "12 Elm", "fmv": "1000000"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    let nid = n["id"].as_str().unwrap();
    let (s, e) = early
        .post(
            &format!("/api/exchanges/{id}/notices/{nid}/sign"),
            &client,
            json!({}),
        )
        .await;
    assert!(s.is_success(), "{s} {e}");
    assert_fresh(t, &firm, &id).await;
    let (_, signed) = t.store.stored_summary(&firm, &id).await.unwrap();
    assert!(
        !signed
            .milestones
            .iter()
            .any(|m| m.milestone == "identification_end"),
        "{signed:?}"
    );
    // A note changes nothing; closing clears the alerts but keeps the dates (as failed:
    // nothing was received, so the engine refuses "completed").
    t.post(
        &format!("/api/exchanges/{id}/events"),
        &coord,
        json!({"kind": "note", "on_date": "2026-04-02", "note": "called"}),
    )
    .await;
    assert_eq!(t.store.stored_summary(&firm, &id).await.unwrap().1, signed);
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{id}/events"),
            &coord,
            json!({"kind": "failed", "on_date": "2026-05-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    assert_fresh(t, &firm, &id).await;
    let (_, done) = t.store.stored_summary(&firm, &id).await.unwrap();
    assert!(done.milestones.is_empty());
    assert_eq!(done.exchange_end, signed.exchange_end);
    // An import is a create: the web import goes through the same handler.
    let (s, ex) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Imported", "file": file_with_elm()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_fresh(t, &firm, ex["id"].as_str().unwrap()).await;
    // elm was received after day 45 and never identified: not like-kind property, so the
    // stored verdict is a taxable sale with the whole gain recognized (Reg. 1.1031(k)-1(a)).
    let (_, sale) = t
        .store
        .stored_summary(&firm, ex["id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(sale.verdict.as_deref(), Some("taxable_sale"));
    assert_eq!(
        sale.recognized_gain,
        Some(rust_decimal::Decimal::from(600_000))
    );
    // Identified in time, the same purchase completes the exchange.
    let mut identified = file_with_elm();
    identified["identified"] =
        json!([{"id": "elm", "fmv": "1000000", "identified_on": "2026-03-20"}]);
    let (s, ex) = t
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Identified", "file": identified}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ex}");
    assert_fresh(t, &firm, ex["id"].as_str().unwrap()).await;
    let (_, done) = t
        .store
        .stored_summary(&firm, ex["id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(done.verdict.as_deref(), Some("exchange"));
    assert_eq!(done.recognized_gain, Some(rust_decimal::Decimal::ZERO));
    // A summary lost (or from an older derivation) is recomputed.
    let n = t
        .store
        .raw_execute_for_tests(
            "UPDATE exchanges SET summary_version = 0, identification_end = NULL WHERE id = $1",
            &id,
        )
        .await
        .unwrap();
    assert_eq!(n, 1);
    t.store
        .raw_execute_for_tests(
            "DELETE FROM exchange_milestones WHERE exchange_id = $1",
            &id,
        )
        .await
        .unwrap();
    assert_eq!(t.store.stored_summary(&firm, &id).await.unwrap().0, 0);
    assert!(t.store.refresh_summaries().await.unwrap() >= 1);
    assert_fresh(t, &firm, &id).await;
}

#[tokio::test]
async fn every_write_path_stores_a_fresh_summary_on_sqlite() {
    every_write_path(&sqlite().await).await;
}

#[tokio::test]
async fn every_write_path_stores_a_fresh_summary_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "every_write_path_stores_a_fresh_summary_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    every_write_path(&at_url(&url).await).await;
}

/// The alerts on `today` by running the engine on every open exchange of the firm (the
/// reference), in the endpoint's order.
async fn engine_alerts(t: &TestApp, firm: &str, today: Date, within: i64) -> Vec<Alert> {
    let rows = t
        .store
        .list_exchanges(
            firm,
            None,
            PageReq {
                after: None,
                limit: 1000,
            },
        )
        .await
        .unwrap();
    let mut out = Vec::new();
    for ex in rows
        .iter()
        .filter(|e| matches!(e.phase, Phase::Draft | Phase::RelinquishedClosed))
    {
        out.extend(alerts_for(ex, today, within).unwrap());
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.exchange_id.cmp(&b.exchange_id)));
    out
}

async fn alerts_match(t: &TestApp) {
    let (admin, _, firm) = t.signup("oracle").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (client, client_id) = t.user(&admin, "client").await;
    let mut ids = Vec::new();
    let open = |name: &str, f: Value, client: bool| {
        let body = if client {
            json!({"name": name, "file": f, "client_id": client_id})
        } else {
            json!({"name": name, "file": f})
        };
        let coord = coord.clone();
        async move {
            let (s, ex) = t.post("/api/exchanges", &coord, body).await;
            assert_eq!(s, StatusCode::CREATED, "{ex}");
            ex["id"].as_str().unwrap().to_string()
        }
    };
    let plain = open("Plain", file(), true).await;
    ids.push(plain.clone());
    let mut f = file();
    f["relinquished"][0]["transferred"] = json!("2026-04-20");
    ids.push(open("Soon", f, false).await);
    let mut f = file();
    f["relinquished"][0]["transferred"] = json!("2025-10-01");
    let old = open("Old", f, false).await;
    ids.push(old.clone());
    ids.push(open("Received", file_with_elm(), false).await);
    let mut f = file();
    f["identified"] = json!((0..4)
        .map(|k| json!({"id": format!("p{k}"), "description": "lot", "fmv": "600000", "identified_on": "2026-03-10"}))
        .collect::<Vec<_>>());
    let over = open("Over-identified", f, false).await;
    ids.push(over.clone());
    let mut f = file();
    f["identified"] = json!([{"id": "late", "description": "late lot", "fmv": "900000", "identified_on": "2026-04-30"}]);
    f["replacement"] =
        json!([{"id": "late", "location": "TX", "received": "2026-04-30", "price": "900000"}]);
    ids.push(open("Late", f, false).await);
    // Every identified property received, never closed in the tracker.
    let mut f = file_with_elm();
    f["identified"] = json!([{"id": "elm", "description": "12 Elm", "fmv": "1000000", "identified_on": "2026-04-01"}]);
    ids.push(open("Received, not closed", f, false).await);
    // Phases and money: closed sales, funds held, one closed.
    // Each on its file's transfer date (the only date a sale closing may have).
    for (id, on) in [
        (&plain, "2026-03-02"),
        (&old, "2025-10-01"),
        (&over, "2026-03-02"),
    ] {
        let (s, e) = t
            .post(
                &format!("/api/exchanges/{id}/events"),
                &coord,
                json!({"kind": "relinquished_closed", "on_date": on}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
    }
    let (s, e) = t
        .post(
            &format!("/api/exchanges/{old}/ledger"),
            &coord,
            json!({"kind": "receipt", "amount": "5"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let mut f = file();
    f["relinquished"][0]["transferred"] = json!("2025-06-01");
    let done = open("Done", f, false).await;
    ids.push(done.clone());
    // Closed as failed (nothing was received: the engine refuses "completed").
    for kind in ["relinquished_closed", "failed"] {
        let (s, e) = t
            .post(
                &format!("/api/exchanges/{done}/events"),
                &coord,
                json!({"kind": kind, "on_date": "2025-06-01"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
    }
    for id in &ids {
        assert_fresh(t, &firm, id).await;
    }

    let days = [
        date(2025, 5, 1),
        date(2025, 10, 1),
        date(2025, 11, 15),
        date(2026, 3, 2),
        date(2026, 3, 30),
        date(2026, 4, 16),
        date(2026, 4, 17),
        date(2026, 5, 1),
        date(2026, 6, 4),
        date(2026, 8, 29),
        date(2026, 8, 30),
        date(2026, 10, 17),
        date(2027, 1, 1),
    ];
    let mut kinds = std::collections::BTreeSet::new();
    for today in days {
        let app = t.on(today);
        for within in [14, 60, 365] {
            let (s, got) = app
                .get(&format!("/api/alerts?within={within}"), &coord)
                .await;
            assert_eq!(s, StatusCode::OK);
            let want = serde_json::to_value(engine_alerts(t, &firm, today, within).await).unwrap();
            assert_eq!(got, want, "on {today} within {within}");
            for a in got.as_array().unwrap() {
                kinds.insert(a["kind"].as_str().unwrap().to_string());
                // People read the message: no machine dates or bare amounts in it.
                let m = a["message"].as_str().unwrap();
                let iso = m.as_bytes().windows(10).any(|w| {
                    w.iter().enumerate().all(|(i, c)| {
                        if i == 4 || i == 7 {
                            *c == b'-'
                        } else {
                            c.is_ascii_digit()
                        }
                    })
                });
                assert!(!iso, "an ISO date in {m}");
                assert!(!m.contains("Reg. 1.1031"), "{m}");
            }
            // The client's view is the same, restricted to their exchange.
            let (_, mine) = app
                .get(&format!("/api/alerts?within={within}"), &client)
                .await;
            let want: Vec<&Value> = want
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["exchange_id"] == plain.as_str())
                .collect();
            assert_eq!(mine.as_array().unwrap().iter().collect::<Vec<_>>(), want);
        }
        // Counts by status from SQL = the server's status of every exchange.
        let mut want: Vec<(&str, i64)> = Vec::new();
        for id in &ids {
            let ex = t.store.get_exchange(&firm, id).await.unwrap();
            let s = status_of(&ex, file_of(&ex).ok().as_ref(), today);
            match want.iter_mut().find(|(x, _)| *x == s) {
                Some((_, n)) => *n += 1,
                None => want.push((s, 1)),
            }
        }
        let mut got = t
            .store
            .count_exchanges_by_status(&firm, None, today)
            .await
            .unwrap();
        got.sort();
        want.sort();
        assert_eq!(got, want, "on {today}");
    }
    for k in [
        "deadline_upcoming",
        "deadline_missed",
        "not_closed",
        "identification_problem",
        "idle_funds",
    ] {
        assert!(kinds.contains(k), "the cases never raised {k}: {kinds:?}");
    }
}

#[tokio::test]
async fn stored_alerts_equal_the_engine_on_sqlite() {
    alerts_match(&sqlite().await).await;
}

#[tokio::test]
async fn stored_alerts_equal_the_engine_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!("stored_alerts_equal_the_engine_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
        return;
    };
    alerts_match(&at_url(&url).await).await;
}

/// The reference: the alerts of one exchange on `today`, computed by running the engine on
/// its file, written independently of the stored summaries they are compared with.
///
/// # Errors
/// 500 when the stored file does not read.
fn alerts_for(ex: &ExchangeRow, today: Date, within: i64) -> ApiResult<Vec<Alert>> {
    // The tracker judges on its today, never at the file's own date.
    let f = likekind_store::summary::tracked(file_of(ex)?);
    // Alerts need only the dates, the identification and its findings: the engine's
    // timeline gives exactly those (the same functions `analyze` calls) without the money,
    // Form 8824 and special-situation work, so a firm-wide scan stays cheap.
    let mut fx = likekind_core::findings::Findings::default();
    let report = likekind_core::timeline::build(
        &f,
        today,
        &mut likekind_core::explain::Trace::default(),
        &mut fx,
    );
    let mut out = Vec::new();
    // The API gives people's words: the engine's and the tracker's dates and amounts in words.
    let mut push = |kind: &str, sev: &str, date: Option<Date>, message: String| {
        out.push(Alert {
            exchange_id: ex.id.clone(),
            exchange_name: ex.name.clone(),
            kind: kind.into(),
            severity: sev.into(),
            date: date.map(|d| d.to_string()),
            message: likekind_core::words::message(&message),
        });
    };
    let horizon = likekind_core::calendar::add_days(today, i32::try_from(within).unwrap_or(14));
    if let Some(d) = &report.deadlines {
        let valid = report.identification.as_ref().is_some_and(|i| i.valid);
        // Settled by the verdict on `today`: nothing validly identified after day 45, or
        // every identified property received. No countdown then.
        let all_received = report
            .constructive_receipt
            .as_ref()
            .and_then(|c| c.if_all_identified_received)
            .map(|r| r.max(d.first_transfer));
        let settled =
            (today > d.identification_end && !valid) || all_received.is_some_and(|r| r <= today);
        for (what, date) in [
            ("identification period", d.identification_end),
            ("exchange period", d.exchange_end),
        ] {
            let is_id = what.starts_with("identification");
            if date >= today
                && date <= horizon
                && !settled
                && !(is_id && valid && !f.identified.is_empty())
            {
                let days = match (date - today).get_days() {
                    0 => "today".to_string(),
                    1 => "in 1 day".to_string(),
                    n => format!("in {n} days"),
                };
                push(
                    "deadline_upcoming",
                    "warning",
                    Some(date),
                    format!(
                        "The {what} ends on {} ({days})",
                        likekind_core::words::date(date)
                    ),
                );
            }
        }
        if today > d.exchange_end {
            // What the status shows that day: the alert never contradicts it.
            let status = status_of(ex, Some(&f), today);
            let message = match status {
                s @ ("completed" | "partly_completed") => format!(
                    "The exchange period ended on {} and the exchange reads as {}, but it has not been closed: record it as completed",
                    d.exchange_end,
                    s.replace('_', " ")
                ),
                "failed" => format!(
                    "The exchange period ended on {} and the exchange reads as failed, but it has not been closed: record it as failed",
                    d.exchange_end
                ),
                _ => format!(
                    "The exchange period ended on {} and the exchange is not marked completed or failed",
                    d.exchange_end
                ),
            };
            // Every identified property received: nothing was missed, the record is behind.
            if matches!(status, "completed" | "partly_completed") {
                push("not_closed", "warning", Some(d.exchange_end), message);
            } else {
                push("deadline_missed", "error", Some(d.exchange_end), message);
            }
        }
        // One identification problem a day: the engine's first, else the tracker's own; both
        // dated the end of the identification period.
        let first =
            fx.0.iter()
                .find(|x| x.code.contains("identif") && x.severity == Severity::Error);
        if let Some(x) = first {
            push(
                "identification_problem",
                "error",
                Some(d.identification_end),
                format!("{} ({})", x.message, x.authority),
            );
        } else if today > d.identification_end && !valid {
            push(
                "identification_problem",
                "error",
                Some(d.identification_end),
                format!(
                    "No valid identification by the end of the identification period ({})",
                    d.identification_end
                ),
            );
        }
        let release = report
            .constructive_receipt
            .as_ref()
            .map_or(d.exchange_end, |c| c.earliest.earliest);
        if ex.balance_cents > 0 && today > release {
            push(
                "idle_funds",
                "warning",
                Some(release),
                format!(
                    "{} of exchange funds still held after they could go back to the taxpayer on {}: release them (Treas. Reg. §1.1031(k)-1(g)(6))",
                    likekind_server::money::dollars(ex.balance_cents),
                    release
                ),
            );
        }
    }
    Ok(out)
}

/// An alert never contradicts the status shown beside it, and one cause raises one alert:
/// an exchange the engine judges completed, still open in the tracker after its exchange
/// period, is not said to be "not marked completed or failed" (its status reads "completed");
/// and one late identification (the engine's "identified late" and "no valid identification",
/// the tracker's "day 45 passed") raises one identification alert, not three.
#[tokio::test]
async fn alerts_agree_with_the_status_and_say_each_cause_once() {
    let t = sqlite().await;
    let (admin, _, _firm) = t.signup("onecause").await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let open = async |name: &str, f: Value| {
        let (s, ex) = t
            .post("/api/exchanges", &coord, json!({"name": name, "file": f}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{ex}");
        let id = ex["id"].as_str().unwrap().to_string();
        let (s, e) = t
            .post(
                &format!("/api/exchanges/{id}/events"),
                &coord,
                json!({"kind": "relinquished_closed", "on_date": "2026-03-02"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
        id
    };
    let mut f = file_with_elm();
    f["identified"] = json!([{"id": "elm", "description": "12 Elm", "fmv": "1000000", "identified_on": "2026-04-01"}]);
    let done = open("Done, not closed", f).await;
    let mut f = file();
    f["identified"] = json!([{"id": "late", "description": "late lot", "fmv": "900000", "identified_on": "2026-04-30"}]);
    let late = open("Late", f).await;
    let app = t.on(date(2026, 10, 1));
    let (s, alerts) = app.get("/api/alerts?within=14", &coord).await;
    assert_eq!(s, StatusCode::OK);
    let of = |id: &str, kind: &str| -> Vec<String> {
        alerts
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["exchange_id"] == id && a["kind"] == kind)
            .map(|a| a["message"].as_str().unwrap().to_string())
            .collect()
    };
    for (id, status, kind) in [
        (&done, "completed", "not_closed"),
        (&late, "failed", "deadline_missed"),
    ] {
        let (_, ex) = app.get(&format!("/api/exchanges/{id}"), &coord).await;
        assert_eq!(ex["status"], status, "{ex}");
        let missed = of(id, kind);
        assert_eq!(missed.len(), 1, "{missed:?}");
        assert!(
            !missed[0].contains("not marked completed or failed")
                && missed[0].contains(&format!("reads as {status}")),
            "{missed:?}"
        );
    }
    assert!(of(&done, "identification_problem").is_empty());
    let problems = of(&late, "identification_problem");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("identified by Apr 16, 2026"),
        "{problems:?}"
    );
}
