//! While the server brings its stored summaries up to date after an upgrade, every page and
//! API call answers "updating" (503, `Retry-After`) with how far it has come, in words; the
//! stylesheet still loads; once it is done everything goes through again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use likekind_web::updating::{Updating, gate};
use tower::ServiceExt;

async fn get(app: &axum::Router, uri: &str, accept: &str) -> (StatusCode, Option<String>, String) {
    let r = app
        .clone()
        .oneshot(
            Request::builder()
                .uri(uri)
                .header(header::HOST, "localhost")
                .header(header::ACCEPT, accept)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = r.status();
    let retry = r
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().to_string());
    let body = r.into_body().collect().await.unwrap().to_bytes();
    (status, retry, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn pages_and_the_api_say_updating_until_the_summaries_are_current() {
    let (app, _store, _dir) = common::app().await;
    let updating = Updating::new(1_200);
    updating.advance(300);
    let app = gate(app, std::sync::Arc::clone(&updating));

    // A person: a page in words, which reloads itself.
    let mut person = common::Browser::default();
    let page = person.send(&app, "GET", "/", &[], false).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.body.contains("Updating after an upgrade"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(
            "the stored summaries of 1,200 exchanges up to date after an upgrade: 300 done (25%)"
        ),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"http-equiv="refresh""#));
    // A page like the others: its language, a title, one main region with its heading.
    for part in [
        r#"<html lang="en">"#,
        "<title>Updating after an upgrade · likekind</title>",
        "<main><h1>Updating after an upgrade</h1>",
        r#"<p role="status">"#,
        r#"href="/assets/app.css""#,
    ] {
        assert!(page.body.contains(part), "{part} in {}", page.body);
    }
    let (_, retry, _) = get(&app, "/exchanges/abc", "text/html").await;
    assert_eq!(retry.as_deref(), Some("5"));

    // A script: the API's error shape, with its own code.
    let (status, retry, body) = get(&app, "/api/exchanges", "application/json").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(retry.as_deref(), Some("5"));
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["code"], "updating");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("300 done (25%). Try again in a moment."),
        "{v}"
    );

    // The stylesheet of the waiting page.
    let (status, _, _) = get(&app, "/assets/app.css", "text/css").await;
    assert_eq!(status, StatusCode::OK);

    // Done: the same requests go through to the application.
    updating.advance(1_200);
    updating.finish();
    let page = person.send(&app, "GET", "/", &[], false).await;
    assert_ne!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(!page.body.contains("Updating after an upgrade"));
    let (status, retry, _) = get(&app, "/api/exchanges", "application/json").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(retry, None);
}
