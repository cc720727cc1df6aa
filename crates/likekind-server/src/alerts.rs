//! Firm-wide alerts (deadlines coming up or missed, identification problems, idle funds) and
//! a calendar feed per user. The alerts are read from the summaries the store derives from
//! the engine whenever an exchange is written (`likekind_store::summary`): a date-range query,
//! not an engine run per open exchange; the web dashboard reads the same rows through
//! [`alerts_on`]. The tests hold a reference that runs the engine on each exchange
//! (`tests/summary.rs`) and compare the stored rows with it.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::exchanges::file_of;
use crate::extract::{Auth, Q};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::{header, request::Parts};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use likekind_store::{AlertRow, AlertSet, ExchangeRow, PageReq, Phase, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One thing that needs attention.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct Alert {
    pub exchange_id: String,
    pub exchange_name: String,
    /// `deadline_upcoming` (a deadline coming up), `deadline_missed` (the exchange period
    /// ended and the exchange failed or reads as neither completed nor failed), `not_closed`
    /// (the exchange reads as completed, every identified property received, but it has not
    /// been closed after its exchange period), `identification_problem`, `idle_funds`.
    pub kind: String,
    /// `error`, `warning`, `info`.
    pub severity: String,
    /// The date the alert is about, `YYYY-MM-DD` (an identification problem: the end of the
    /// identification period). Every alert has one.
    pub date: Option<String>,
    pub message: String,
}

/// `?within=14d`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlertQuery {
    /// How far ahead to look, in days: `14d` or `14` (1 to 365; default 14).
    #[param(pattern = r"^(36[0-5]|3[0-5][0-9]|[12][0-9]{2}|[1-9][0-9]?)d?$")]
    pub within: Option<String>,
    /// At most this many alerts, soonest first (1 to 1000; default 100, so that a firm with
    /// many alerts gets an answer as fast as a small one; the soonest come first and a
    /// shorter `within` narrows the list).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

fn parse_within(s: Option<&str>) -> ApiResult<i64> {
    let Some(s) = s else { return Ok(14) };
    crate::rules::days("within", s)
}

/// Every open exchange the caller may see.
async fn open_exchanges(
    state: &AppState,
    auth_firm: &str,
    client: Option<&str>,
) -> ApiResult<Vec<ExchangeRow>> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = state
            .store
            .list_exchanges(
                auth_firm,
                client,
                PageReq {
                    after: after.as_deref(),
                    limit: 500,
                },
            )
            .await?;
        let n = page.len();
        after = page.last().map(|e| e.id.clone());
        out.extend(
            page.into_iter()
                .filter(|e| matches!(e.phase, Phase::Draft | Phase::RelinquishedClosed)),
        );
        if n < 500 {
            return Ok(out);
        }
    }
}

/// Words a stored alert row on `today` (coming deadlines count the days; idle funds show
/// the balance held now). The message is for people (a feed, a chat hook), so its dates and
/// amounts are in words ("Apr 16, 2026", "$1,000.00"); `date` keeps the machine form.
pub fn alert_of(r: AlertRow, today: Date) -> Alert {
    use likekind_core::words;
    let message = match r.kind {
        "deadline_upcoming" => {
            let what = if r.milestone == "identification_end" {
                "identification period"
            } else {
                "exchange period"
            };
            let date = r.on_date.unwrap_or(today);
            format!(
                "The {what} ends on {} ({})",
                words::date(date),
                match (date - today).get_days() {
                    0 => "today".to_string(),
                    n => format!("in {}", words::days(i64::from(n))),
                }
            )
        }
        "idle_funds" => format!(
            "{} of exchange funds still held after they could go back to the taxpayer on {}: release them (Treas. Reg. §1.1031(k)-1(g)(6))",
            crate::money::dollars(r.balance_cents),
            r.on_date.map(words::date).unwrap_or_default()
        ),
        // Stored with the engine's ISO dates and plain amounts: in words here.
        _ => words::message(&r.message),
    };
    Alert {
        exchange_id: r.exchange_id,
        exchange_name: r.exchange_name,
        kind: r.kind.to_string(),
        severity: r.severity.to_string(),
        date: r.on_date.map(|d| d.to_string()),
        message,
    }
}

/// What to read with [`alerts_on`].
#[derive(Debug, Clone, Copy)]
pub struct AlertRead {
    pub today: Date,
    /// Coming deadlines up to this many days ahead.
    pub within: i64,
    pub set: AlertSet,
    /// Errors first (the dashboard); otherwise by date.
    pub by_severity: bool,
    /// At most this many (the count above it is bounded by [`COUNT_CAP`]).
    pub limit: i64,
}

/// How many alerts `/api/alerts` lists when no `limit` is asked.
pub const DEFAULT_LIMIT: i64 = 100;

/// Alert counts above this read as "more than COUNT_CAP": the count reads at most one more
/// alert than this, however many there are.
pub const COUNT_CAP: i64 = 1000;

/// The alerts that apply on `r.today` to the exchanges the caller may see (`client`: only
/// theirs), from the stored summaries, at most `r.limit` of them, with how many there are in
/// all (a bounded count: more than [`COUNT_CAP`] reads as `COUNT_CAP + 1`).
///
/// # Errors
/// A database failure.
pub async fn alerts_on(
    state: &AppState,
    firm: &str,
    client: Option<&str>,
    r: AlertRead,
) -> ApiResult<(Vec<Alert>, i64)> {
    let horizon = likekind_core::calendar::add_days(r.today, i32::try_from(r.within).unwrap_or(14));
    let rows = state
        .store
        .list_alerts(
            firm,
            client,
            r.today,
            horizon,
            r.set,
            r.by_severity,
            Some(r.limit),
        )
        .await?;
    let shown = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    let total = if shown >= r.limit {
        state
            .store
            .count_alerts(firm, client, r.today, horizon, r.set, COUNT_CAP)
            .await?
    } else {
        shown
    };
    Ok((
        rows.into_iter().map(|x| alert_of(x, r.today)).collect(),
        total,
    ))
}

/// Alerts across every open exchange the caller may see, soonest first (then by exchange).
#[utoipa::path(get, path = "/api/alerts", tag = "alerts", params(AlertQuery),
    responses((status = 200, body = Vec<Alert>),
        (status = 422, body = crate::error::ErrorBody, description = "`within` or `limit` out of range")))]
pub async fn alerts(
    State(state): State<AppState>,
    auth: Auth,
    Q(q): Q<AlertQuery>,
) -> ApiResult<Response> {
    let within = parse_within(q.within.as_deref())?;
    if let Some(l) = q.limit
        && !(1..=1000).contains(&l)
    {
        return Err(ApiError::field(
            "limit",
            "range",
            "limit is between 1 and 1000",
        ));
    }
    let client = (auth.role() == Role::Client).then_some(auth.user.id.as_str());
    let read = AlertRead {
        today: state.today(),
        within,
        set: AlertSet::All,
        by_severity: false,
        limit: q.limit.unwrap_or(DEFAULT_LIMIT),
    };
    // Kept for the data revision: the same alerts for every staff member of the firm (a
    // client's are their own) on the same day.
    let key = format!(
        "alerts\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        auth.firm(),
        client.unwrap_or(""),
        read.today,
        read.within,
        read.limit
    );
    let out = state
        .kept
        .get_or(&state.store, auth.revision, "alerts", key, || async {
            Ok(alerts_on(&state, auth.firm(), client, read).await?.0)
        })
        .await?;
    Ok(Json(&*out).into_response())
}

/// True once the engine's verdict settles the exchange on `today` (completed, partly
/// completed or failed: e.g. nothing validly identified by day 45, a sale taxed as such from
/// day 46): its 45- and 180-day deadlines protect nothing any more, so the feed leaves them
/// out, as the dashboard stops counting down to them and lists the exchange as settled (the
/// store's `RUNNING_SQL`, [`likekind_store::summary::settled_of`]). Nothing can change a
/// settled verdict: no property identified after day 45 counts (Treas. Reg.
/// §1.1031(k)-1(b)(2)(i), (c)), none received after the exchange period does ((b)(2)(ii)).
/// The file is judged as the tracker judges it (its own `as_of` set aside). A verdict never
/// settles before the sale, so an exchange whose sale is still to come is not judged.
fn settled_on(
    ex: &ExchangeRow,
    d: &likekind_core::deadlines::Deadlines,
    today: Date,
) -> ApiResult<bool> {
    if today < d.first_transfer {
        return Ok(false);
    }
    let f = crate::exchanges::judged_file(ex)?;
    Ok(crate::exchanges::judge(&f)
        .settled
        .is_some_and(|s| s.from <= today))
}

/// The caller for the calendar feed: a session, a bearer token, or `?token=` (calendar
/// applications cannot send headers).
pub struct FeedAuth(pub Auth);

impl FromRequestParts<AppState> for FeedAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match crate::caller::feed_token(&parts.uri) {
            Some(t) => {
                let credential = crate::caller::Credential::token(t);
                let caller = crate::caller::caller_of(parts, state, credential)
                    .await?
                    .ok_or_else(ApiError::unauthorized)?;
                Ok(FeedAuth(Auth::of_token(caller, &parts.method)))
            }
            None => Ok(FeedAuth(Auth::from_request_parts(parts, state).await?)),
        }
    }
}

/// How the firm's calendars (the feed and each exchange's download) are stamped and
/// reminded: `DTSTAMP` the time of the request in UTC (RFC 5545 §3.8.7.2: when the object was
/// made), alarms at the firm's reminder lead times, the days its reminder e-mails go out.
pub async fn calendar_options(
    state: &AppState,
    firm: &str,
) -> ApiResult<likekind_render::ics::Options> {
    let alarm_days = state
        .store
        .firm_notify_settings(firm)
        .await?
        .reminder_days
        .into_iter()
        .filter_map(|d| u32::try_from(d).ok())
        .collect();
    Ok(likekind_render::ics::Options {
        stamp: jiff::Timestamp::now(),
        alarm_days,
    })
}

/// An iCalendar (RFC 5545) feed of the deadlines of every open exchange the caller may see
/// whose verdict is not yet settled ([`settled_on`]: a failed exchange's day 45 and day 180
/// are left out): one all-day event per deadline, with stable UIDs so calendar applications
/// update rather than duplicate. Each event is stamped with the time of the request in UTC
/// (RFC 5545 §3.8.7.2: when the object was made) and reminds at the firm's lead times, the
/// days its reminder e-mails go out.
#[utoipa::path(get, path = "/api/calendar.ics", tag = "alerts",
    security(("bearer" = []), ("session" = []), ("feed_token" = [])),
    responses((status = 200, description = "The deadlines as iCalendar", content_type = "text/calendar", body = String)))]
pub async fn calendar(
    State(state): State<AppState>,
    FeedAuth(auth): FeedAuth,
) -> ApiResult<Response> {
    let client = (auth.role() == Role::Client).then_some(auth.user.id.as_str());
    // The engine's own deadline milestones, rendered by the same iCalendar writer as
    // `likekind analyze --format ics` (alarms, authority, escaping and folding included).
    let mut exchanges = Vec::new();
    let today = state.today();
    for ex in open_exchanges(&state, auth.firm(), client).await? {
        let f = file_of(&ex)?;
        let Some(d) =
            likekind_core::deadlines::inputs_of(&f).map(|i| likekind_core::deadlines::dates(&i))
        else {
            continue;
        };
        if settled_on(&ex, &d, today)? {
            continue;
        }
        let milestones = likekind_core::timeline::deadline_milestones(&d, None)
            .into_iter()
            .filter(|m| m.deadline)
            .map(|mut m| {
                m.title = format!("{} — {}", ex.name, m.title).into();
                m
            })
            .collect();
        exchanges.push((format!("exch-{}", ex.id), milestones));
    }
    let out = likekind_render::ics::feed_with(
        &format!("likekind deadlines ({})", auth.user.email),
        &exchanges,
        &calendar_options(&state, auth.firm()).await?,
    );
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        out,
    )
        .into_response())
}
