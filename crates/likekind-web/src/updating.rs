//! The tracker while it brings its stored summaries up to date after an upgrade.
//!
//! The dashboard, the lists, the counts, the alerts and the reminders read summaries the
//! server derives from each exchange file. An upgrade that changes how they are derived has
//! every one recomputed before they are read again: minutes for a large book. Rather than
//! not answering at all (a browser says the site cannot be reached), the server listens at
//! once and answers every request "updating, try again shortly" (503 with `Retry-After`),
//! with how far it has come, until the summaries are current. Nothing stale is ever shown.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use maud::html;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Seconds a client is asked to wait before trying again.
const RETRY_AFTER: u16 = 5;

/// How far the update has come, shared by the task doing it and the requests refused.
#[derive(Debug, Default)]
pub struct Updating {
    /// Exchanges whose summaries were out of date when the server started.
    total: AtomicU64,
    /// How many of them have been gone past.
    done: AtomicU64,
    finished: AtomicBool,
}

impl Updating {
    /// An update of `total` outdated summaries, not yet started.
    pub fn new(total: u64) -> Arc<Updating> {
        Arc::new(Updating {
            total: AtomicU64::new(total),
            ..Updating::default()
        })
    }

    /// `done` of them are now current.
    pub fn advance(&self, done: u64) {
        self.done.store(done, Ordering::Relaxed);
    }

    /// Everything is current: requests go through from now on.
    pub fn finish(&self) {
        self.finished.store(true, Ordering::Release);
    }

    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// (done, total), done never above total (another server may have done some).
    pub fn progress(&self) -> (u64, u64) {
        let total = self.total.load(Ordering::Relaxed);
        (self.done.load(Ordering::Relaxed).min(total), total)
    }

    /// The state in words, for a page, the API and the server's log.
    pub fn words(&self) -> String {
        let (done, total) = self.progress();
        let percent = (done * 100).checked_div(total).unwrap_or(0);
        format!(
            "Bringing the stored summaries of {} {} up to date after an upgrade: {} done ({percent}%).",
            group(total),
            if total == 1 { "exchange" } else { "exchanges" },
            group(done),
        )
    }
}

/// `1,234,567`.
fn group(n: u64) -> String {
    crate::fmt::count(i64::try_from(n).unwrap_or(i64::MAX))
}

/// `app` answering "updating" until `u` is finished. The stylesheet still loads, so the
/// page people see while they wait looks like the tracker.
pub fn gate(app: Router, u: Arc<Updating>) -> Router {
    app.layer(axum::middleware::from_fn_with_state(u, layer))
}

async fn layer(State(u): State<Arc<Updating>>, req: Request, next: Next) -> Response {
    if u.is_finished() || req.uri().path().starts_with("/assets/") {
        return next.run(req).await;
    }
    let browser = crate::errors::wants_html(req.uri().path(), req.headers());
    let mut r = if browser {
        page(&u)
    } else {
        likekind_server::error::ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "updating",
            format!("{} Try again in a moment.", u.words()),
        )
        .into_response()
    };
    *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    r.headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(RETRY_AFTER));
    likekind_server::security::security_headers(r).await
}

/// The page a browser gets: it reloads itself until the tracker is back.
fn page(u: &Updating) -> Response {
    let title = "Updating after an upgrade";
    let body = html! {
        (maud::DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="refresh" content=(RETRY_AFTER);
                title { (title) " · likekind" }
                link rel="stylesheet" href="/assets/app.css";
            }
            body {
                main {
                    h1 { (title) }
                    p role="status" { (u.words()) }
                    p {
                        "The dashboard, the lists and the alerts open as soon as it is done; "
                        "nothing is lost meanwhile. This page reloads itself every "
                        (RETRY_AFTER) " seconds."
                    }
                }
            }
        }
    };
    body.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_how_far_it_has_come() {
        let u = Updating::new(1_000_000);
        u.advance(120_000);
        assert_eq!(
            u.words(),
            "Bringing the stored summaries of 1,000,000 exchanges up to date after an upgrade: 120,000 done (12%)."
        );
        // Another server sharing the database did the rest: never above the whole.
        u.advance(2_000_000);
        assert_eq!(u.progress(), (1_000_000, 1_000_000));
        assert!(!u.is_finished());
        u.finish();
        assert!(u.is_finished());
        assert!(Updating::new(0).words().contains("0 done (0%)"));
    }
}
