//! The firm's calendar day. Every "today" of the server and the pages comes from
//! [`crate::AppState::today`], which reads the time zone of the firm of the request's caller
//! (set by [`layer`] from the session or API token) or the server's default zone.

use crate::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use jiff::tz::TimeZone;

tokio::task_local! {
    /// The time zone of the firm whose user made the request being handled.
    static FIRM_ZONE: TimeZone;
}

/// Today's date on the calendar of `zone`.
pub fn today_in(zone: &TimeZone) -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(zone.clone())
        .date()
}

/// The zone of the request being handled, else `default`.
pub fn current(default: &TimeZone) -> TimeZone {
    FIRM_ZONE
        .try_with(Clone::clone)
        .unwrap_or_else(|_| default.clone())
}

/// Reads an IANA time zone name (`America/Los_Angeles`, `UTC`).
///
/// # Errors
/// A name the time zone database does not know, in words.
pub fn parse(name: &str) -> Result<TimeZone, String> {
    TimeZone::get(name).map_err(|_| {
        format!(
            "{name:?} is not a time zone name such as America/Los_Angeles, America/New_York or UTC"
        )
    })
}

/// The zone of a firm's setting, or `default`.
pub fn of_setting(setting: Option<&str>, default: &TimeZone) -> TimeZone {
    setting
        .and_then(|n| TimeZone::get(n).ok())
        .unwrap_or_else(|| default.clone())
}

/// The hash of the request's credential (bearer token, session cookie, or the `?token=` of
/// the calendar feed, which calendar applications open without headers), if any.
fn credential_hash(req: &Request) -> Option<String> {
    if req.uri().path() == "/api/calendar.ics" {
        if let Some(t) = req
            .uri()
            .query()
            .unwrap_or("")
            .split('&')
            .find_map(|kv| kv.strip_prefix("token="))
        {
            return Some(crate::auth::hash_secret(t));
        }
    }
    if let Some(t) = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(crate::auth::hash_secret(t.trim()));
    }
    req.headers()
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == crate::auth::SESSION_COOKIE)
        .map(|(_, v)| crate::auth::hash_secret(v))
}

/// Middleware: handles the request on the calendar of the caller's firm.
pub async fn layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let zone = match credential_hash(&req) {
        Some(h) => st.store.zone_for_credential(&h).await.ok().flatten(),
        None => None,
    };
    let zone = of_setting(zone.as_deref(), &st.config.time_zone);
    FIRM_ZONE.scope(zone, next.run(req)).await
}
