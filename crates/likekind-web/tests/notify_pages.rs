//! The notification pages (issue 15), in-process: preferences for everyone; for the
//! administrator the firm's calendar (time zone, reminder days), webhooks with the secret
//! shown once, dead letters listed and sent again; the page an unsubscribe link opens. Words,
//! not codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use likekind_server::notify;

/// The visible text of a page (tags removed), to check it shows no codes.
fn text(body: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn notification_pages() {
    let (app, store, _d) = app().await;
    let mut a = admin(&app).await;
    let r = a.get(&app, "/notifications").await;
    assert_eq!(r.status, StatusCode::OK);
    for h in [
        "<h1>Notifications</h1>",
        "Your e-mails",
        "The firm's calendar and reminders",
        "Webhooks",
        "Nothing failed for good.",
        "today is <strong>May 1, 2026</strong>",
        "Disbursement or release awaiting a second approval",
    ] {
        assert!(r.body.contains(h), "missing {h}: {}", r.body);
    }
    let shown = text(&r.body);
    for code in ["approval_awaiting", "deadline_identification", "funds_idle"] {
        assert!(!shown.contains(code), "code {code} shown");
    }

    // The firm's calendar: a bad zone is refused in words; a good one is kept.
    let r = a
        .post(
            &app,
            "/notifications/settings",
            &[("time_zone", "Mars/Olympus"), ("reminder_days", "30, 7")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("is not a time zone name such as America/Los_Angeles")
    );
    let r = a
        .post(
            &app,
            "/notifications/settings",
            &[
                ("time_zone", "America/Los_Angeles"),
                ("reminder_days", "3, 10"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, "/notifications").await;
    assert!(r.body.contains("<strong>America/Los_Angeles</strong>"));
    assert!(r.body.contains("value=\"10, 3\""), "{}", r.body);
    let firm = store
        .firm_notify_settings(&firm_id(&store).await)
        .await
        .unwrap();
    assert_eq!(firm.reminder_days, vec![10, 3]);

    // A webhook: the secret once, then only the address.
    let r = a
        .post(
            &app,
            "/notifications/webhooks",
            &[
                ("url", "http://127.0.0.1:9/hooks"),
                ("description", "Accounting"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"webhook-secret\""));
    assert!(r.body.contains("whsec_"));
    let r = a.get(&app, "/notifications").await;
    assert!(r.body.contains("http://127.0.0.1:9/hooks"));
    assert!(!r.body.contains("whsec_"), "the secret is shown once");
    let r = a
        .post(&app, "/notifications/webhooks", &[("url", "not a url")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("is not a web address"));

    // A dead letter: an event to that endpoint that failed for good.
    let fid = firm_id(&store).await;
    store
        .enqueue_event(
            &fid,
            None,
            "funds_idle",
            "test/dead/1",
            &serde_json::json!({"date": "2026-04-01"}),
        )
        .await
        .unwrap();
    let now = jiff::Timestamp::now().as_millisecond();
    store.expand_events(now, "UTC", 10).await.unwrap();
    let claimed = store
        .claim_deliveries("page-test", now, 60_000, 10, false)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    store
        .mark_failed(
            &claimed[0].id,
            "page-test",
            "could not connect to 127.0.0.1:9",
            None,
        )
        .await
        .unwrap();
    let r = a.get(&app, "/notifications").await;
    assert!(r.body.contains("id=\"dead-letters\""), "{}", r.body);
    assert!(r.body.contains("Funds still held after their release date"));
    assert!(r.body.contains("Webhook to http://127.0.0.1:9/hooks"));
    assert!(r.body.contains("Failed for good"));
    let r = a
        .post(
            &app,
            &format!("/notifications/deliveries/{}/retry", claimed[0].id),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&app, "/notifications").await;
    assert!(r.body.contains("Nothing failed for good."));
    assert!(r.body.contains("Waiting to be sent"));
    // A server with no mail server: its e-mails say why they wait.
    assert!(!r.body.contains("E-mail is not configured"));
    store
        .hold_unsendable_emails(
            jiff::Timestamp::now().as_millisecond(),
            86_400_000,
            likekind_server::notify::worker::NO_MAIL_WAITING,
            likekind_server::notify::worker::NO_MAIL_DEAD,
        )
        .await
        .unwrap();
    let r = a.get(&app, "/notifications").await;
    assert!(
        r.body.contains(
            "Waiting to be sent (E-mail is not configured on the server (likekind serve --smtp-url): the e-mail waits until it is)"
        ),
        "{}",
        r.body
    );

    // A client: only their kinds; a daily digest.
    let mut c = user(&app, &mut a, "Dana Investor", "dana@client.test", "client").await;
    let r = c.get(&app, "/notifications").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("second approval"), "not for clients");
    assert!(!r.body.contains("Webhooks"));
    let r = c
        .post(
            &app,
            "/notifications/preferences",
            &[("ev_funds_released", "on"), ("mode", "digest")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let dana = store
        .list_users(
            &fid,
            likekind_store::PageReq {
                after: None,
                limit: 50,
            },
        )
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "dana@client.test")
        .unwrap();
    let p = store.notify_prefs(&fid, &dana.id).await.unwrap();
    assert_eq!(p.events, vec!["funds_released".to_string()]);
    assert_eq!(p.mode, "digest");

    // The unsubscribe link: opening it changes nothing; its button does; no login needed.
    let key = notify::unsubscribe_key(&store).await.unwrap();
    let (_, page) = notify::unsubscribe_urls("http://x", &key, &dana.id, "all");
    let path = page.strip_prefix("http://x").unwrap();
    let mut anon = Browser::default();
    let r = anon.get(&app, path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Stop all notification e-mails?"));
    assert_eq!(
        store.notify_prefs(&fid, &dana.id).await.unwrap().mode,
        "digest"
    );
    let r = anon.send(&app, "POST", path, &[], false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .contains("You will receive no more notification e-mails.")
    );
    assert_eq!(
        store.notify_prefs(&fid, &dana.id).await.unwrap().mode,
        "off"
    );
    let forged = path.replace("sig=", "sig=1");
    let r = anon.send(&app, "POST", &forged, &[], false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn firm_id(store: &likekind_store::Store) -> String {
    let (u, _) = store
        .user_for_login("ada@acme.test")
        .await
        .unwrap()
        .unwrap();
    u.firm_id
}
