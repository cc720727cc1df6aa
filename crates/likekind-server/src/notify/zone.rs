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

/// Middleware: handles the request on the calendar of the caller's firm. The caller is read
/// here, once, with the firm's zone and the data revision ([`crate::caller`]), and left on
/// the request for the extractors. Static assets need neither.
pub async fn layer(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let credential = if req.uri().path().starts_with("/assets/") {
        None
    } else {
        crate::caller::credential(req.uri(), req.headers())
    };
    // A database failure leaves the caller unread: the extractor reads it again and reports it.
    let resolved = match credential {
        Some(c) => crate::caller::resolve(&st, c).await.ok(),
        None => None,
    };
    let zone = resolved
        .as_ref()
        .and_then(|r| r.caller.as_ref())
        .and_then(|c| c.zone.as_deref());
    let zone = of_setting(zone, &st.config.time_zone);
    if let Some(r) = resolved {
        req.extensions_mut().insert(r);
    }
    FIRM_ZONE.scope(zone, next.run(req)).await
}
