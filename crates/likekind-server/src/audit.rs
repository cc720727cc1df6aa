//! The firm-wide audit log: every change by anyone of the firm, newest first, filtered by
//! person, exchange, kind of change and dates (the firm's calendar days), a bounded page at a
//! time (keyset: `after` is the last id of the page before).

use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::Q;
use crate::permit::{Permitted, ReadAuditLog};
use crate::{AppState, Page};
use axum::Json;
use axum::extract::State;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use likekind_store::{AuditEntry, AuditFilter};
use serde::Deserialize;
use utoipa::IntoParams;

/// The filters and the page of `GET /api/audit`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only the changes of this person (a user id of the firm).
    pub person: Option<String>,
    /// Only the changes about this exchange.
    pub exchange: Option<String>,
    /// Only this kind of change: an action (`ledger.post`) or its family (`ledger`,
    /// `exchange`, `notice`, `document`, `user`, `firm`, `token`, `webhook`, `party`,
    /// `notification`).
    // The pattern is `rules::AUDIT_KIND_PATTERN` (the contract test holds them equal).
    #[param(pattern = r"^[a-z._]{1,60}$")]
    pub kind: Option<String>,
    /// From this day (YYYY-MM-DD, the firm's calendar), inclusive.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// To this day (YYYY-MM-DD, the firm's calendar), inclusive.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// 1 to 500; default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page.
    pub after: Option<String>,
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// The start of `d` on the calendar of `zone`, as the audit log stores instants.
fn start_of(d: Date, zone: &TimeZone) -> Option<String> {
    let t = zone
        .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
        .ok()?;
    Some(format!("{t:.6}"))
}

/// The firm's changes, newest first, filtered (staff only).
#[utoipa::path(get, path = "/api/audit", tag = "exchanges", params(AuditQuery),
    responses((status = 200, body = Page<AuditEntry>, description = "The changes, newest first; pass `next` as `after` for the page after"),
        (status = 401, body = crate::error::ErrorBody, description = "Not logged in"),
        (status = 403, body = crate::error::ErrorBody, description = "A client cannot read the audit log"),
        (status = 422, body = crate::error::ErrorBody, description = "A filter or the limit is not valid (every problem is named)")))]
pub async fn firm_audit(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<ReadAuditLog>,
    Q(q): Q<AuditQuery>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let mut errs = Vec::new();
    let mut day = |path: &str, s: Option<&str>| match s.map(|s| crate::rules::day(path, s)) {
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            errs.extend(e.detail.fields);
            None
        }
        None => None,
    };
    let from = day("from", q.from.as_deref());
    let to = day("to", q.to.as_deref());
    if let (Some(a), Some(b)) = (from, to)
        && b < a
    {
        errs.push(FieldError {
            path: "to".into(),
            rule: "date_order".into(),
            message: "the last day is before the first day".into(),
        });
    }
    let kind = q.kind.as_deref();
    if let Some(Err(e)) = kind.map(|k| crate::rules::audit_kind("kind", k)) {
        errs.extend(e.detail.fields);
    }
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        errs.push(FieldError {
            path: "limit".into(),
            rule: "range".into(),
            message: "limit is between 1 and 500".into(),
        });
    }
    if !errs.is_empty() {
        let message = errs
            .iter()
            .map(|f| format!("{}: {}", f.path, f.message))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(ApiError::fields(message, errs));
    }
    let zone = crate::notify::zone::current(&state.config.time_zone);
    let from = from.and_then(|d| start_of(d, &zone));
    let to = to
        .and_then(|d| d.tomorrow().ok())
        .and_then(|d| start_of(d, &zone));
    let filter = AuditFilter {
        actor_id: nonempty(q.person.as_deref()),
        exchange_id: nonempty(q.exchange.as_deref()),
        kind,
        from: from.as_deref(),
        to: to.as_deref(),
    };
    let items = state
        .store
        .search_audit(auth.firm(), &filter, nonempty(q.after.as_deref()), limit)
        .await?;
    Ok(Json(Page::of(items, limit, |a| a.id.clone())))
}
