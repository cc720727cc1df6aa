//! The dashboard's list of exchanges as an API: search, filters, sorting, a page at a time
//! (keyset), and the same list as CSV, streamed a page at a time; a ledger as CSV; the
//! coordinator assigned to an exchange. The store reads every order from an index
//! ([`likekind_store::ListQuery`]).

use crate::error::{ApiError, ApiResult};
use crate::exchanges::load;
use crate::extract::{Auth, JsonBody, P, Q};
use crate::permit::{AssignCoordinators, Permitted};
use crate::{AppState, Page, json_response};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use likekind_store::{
    CoordinatorFilter, ListQuery, ListSort, ListedExchange, PageReq, PostingKind, Role, STATUSES,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Rows read per page while a CSV streams.
const CSV_PAGE: i64 = 500;

/// The statuses a search filters on (for the OpenAPI document; the query reads a string).
#[derive(Debug, Clone, Copy, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum SearchStatus {
    Draft,
    RelinquishedClosed,
    IdentificationPeriod,
    Acquisition,
    Completed,
    PartlyCompleted,
    Failed,
}

/// The orders of a search (for the OpenAPI document; the query reads a string).
#[derive(Debug, Clone, Copy, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum SearchSort {
    Name,
    Deadline,
    Funds,
    Newest,
}

/// `?q=&status=&coordinator=&due_within=&sort=&after=&limit=&pretty=` on the exchange search.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words that must each start a word of the exchange's name, its client's or taxpayer's
    /// name, or a property's name or description (at most 200 characters; the first 5 words
    /// count).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// The status on today's date: draft, relinquished_closed, identification_period,
    /// acquisition, completed, partly_completed or failed.
    #[param(inline, value_type = Option<SearchStatus>)]
    pub status: Option<String>,
    /// The assigned coordinator's user id, or `none` for exchanges assigned to nobody.
    pub coordinator: Option<String>,
    /// Open exchanges whose next deadline falls within this many days (0 to 365).
    #[param(minimum = 0, maximum = 365)]
    pub due_within: Option<i64>,
    /// `name` (A to Z, the default), `deadline` (end of the exchange period, soonest first),
    /// `funds` (most held first) or `newest`.
    #[param(inline, value_type = Option<SearchSort>)]
    pub sort: Option<String>,
    /// The `next` value of the previous page (an id that is not in the list gives an empty
    /// page).
    pub after: Option<String>,
    /// 1 to 500; default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Indent the JSON (default false: compact).
    pub pretty: Option<bool>,
}

/// The same filters and order for the CSV export (every matching row, streamed).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchCsvQuery {
    /// As on the search.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// As on the search.
    #[param(inline, value_type = Option<SearchStatus>)]
    pub status: Option<String>,
    /// As on the search.
    pub coordinator: Option<String>,
    /// As on the search.
    #[param(minimum = 0, maximum = 365)]
    pub due_within: Option<i64>,
    /// As on the search.
    #[param(inline, value_type = Option<SearchSort>)]
    pub sort: Option<String>,
}

impl From<SearchCsvQuery> for SearchQuery {
    fn from(c: SearchCsvQuery) -> Self {
        SearchQuery {
            q: c.q,
            status: c.status,
            coordinator: c.coordinator,
            due_within: c.due_within,
            sort: c.sort,
            ..SearchQuery::default()
        }
    }
}

impl SearchQuery {
    /// The store's query for `auth` (a client: their own exchanges), after checking every
    /// parameter; all problems at once.
    ///
    /// # Errors
    /// 422 naming each parameter that breaks its rule.
    pub fn to_store(&self, auth: &Auth) -> ApiResult<ListQuery> {
        let mut bad = Vec::new();
        let q = self.q.clone().unwrap_or_default();
        if q.chars().count() > 200 {
            bad.push((
                "q",
                "length",
                "the search is at most 200 characters".to_string(),
            ));
        }
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) if STATUSES.contains(&s) => Some(s.to_string()),
            Some(_) => {
                bad.push((
                    "status",
                    "one_of",
                    "the status is one of: draft, relinquished_closed, identification_period, acquisition, completed, partly_completed, failed".to_string(),
                ));
                None
            }
        };
        let coordinator = match self.coordinator.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some("none") => Some(CoordinatorFilter::Unassigned),
            Some(u) => Some(CoordinatorFilter::User(u.to_string())),
        };
        if let Some(n) = self.due_within
            && !(0..=365).contains(&n)
        {
            bad.push((
                "due_within",
                "range",
                "the deadline window is 0 to 365 days".to_string(),
            ));
        }
        let sort = match self.sort.as_deref().filter(|s| !s.is_empty()) {
            None => ListSort::Name,
            Some(s) => ListSort::parse(s).unwrap_or_else(|| {
                bad.push((
                    "sort",
                    "one_of",
                    "the order is one of: name, deadline, funds, newest".to_string(),
                ));
                ListSort::Name
            }),
        };
        let limit = self.limit.unwrap_or(50);
        if !(1..=500).contains(&limit) {
            bad.push(("limit", "range", "limit is between 1 and 500".to_string()));
        }
        if !bad.is_empty() {
            return Err(ApiError::fields(
                "the search does not read",
                bad.into_iter()
                    .map(|(p, r, m)| crate::error::FieldError {
                        path: p.to_string(),
                        rule: r.to_string(),
                        message: m,
                    })
                    .collect(),
            ));
        }
        Ok(ListQuery {
            client_id: (auth.role() == Role::Client).then(|| auth.user.id.clone()),
            search: q,
            status,
            coordinator,
            due_within: self.due_within,
            sort,
            after: self.after.clone().filter(|s| !s.is_empty()),
            limit,
        })
    }
}

/// One exchange in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListedView {
    pub id: String,
    pub name: String,
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    pub coordinator_id: Option<String>,
    pub coordinator_name: Option<String>,
    /// The status today.
    pub status: String,
    /// The next deadline while the clock runs (`YYYY-MM-DD`).
    pub next_deadline: Option<String>,
    /// `identification` (day 45) or `exchange` (the end of the exchange period).
    pub next_deadline_is: Option<String>,
    /// The end of the exchange period (`YYYY-MM-DD`).
    pub exchange_end: Option<String>,
    /// The funds held, in dollars (`1234.56`).
    pub balance: String,
}

impl From<&ListedExchange> for ListedView {
    fn from(x: &ListedExchange) -> Self {
        ListedView {
            id: x.id.clone(),
            name: x.name.clone(),
            client_id: x.client_id.clone(),
            client_name: x.client_name.clone(),
            coordinator_id: x.coordinator_id.clone(),
            coordinator_name: x.coordinator_name.clone(),
            status: x.status.to_string(),
            next_deadline: x.next_deadline.map(|d| d.to_string()),
            next_deadline_is: x.next_deadline.map(|_| {
                if x.next_is_identification {
                    "identification"
                } else {
                    "exchange"
                }
                .to_string()
            }),
            exchange_end: x.exchange_end.map(|d| d.to_string()),
            balance: crate::cents::show(x.balance_cents),
        }
    }
}

/// One page of the list for `auth`, and the `next` cursor.
///
/// # Errors
/// 422 for a parameter that does not read; a store failure. An `after` that is not an
/// exchange of the firm gives an empty page.
pub async fn search_page(
    state: &AppState,
    auth: &Auth,
    q: &SearchQuery,
) -> ApiResult<(Vec<ListedExchange>, Option<String>)> {
    let sq = q.to_store(auth)?;
    let rows = state
        .store
        .list_exchange_page(auth.firm(), state.today(), &sq)
        .await
        .or_else(|e| match e {
            // Nothing comes after a place that is not in the list.
            likekind_store::StoreError::NotFound => Ok(Vec::new()),
            e => Err(ApiError::from(e)),
        })?;
    let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= sq.limit;
    let next = if full {
        rows.last().map(|r| r.id.clone())
    } else {
        None
    };
    Ok((rows, next))
}

/// The exchanges the caller may see (a client: their own), found by words, filtered by
/// status, coordinator and deadline window, in the order asked, a page at a time. Each order
/// is read from an index; nothing counts or sorts the whole book.
#[utoipa::path(get, path = "/api/exchanges/search", tag = "exchanges", params(SearchQuery),
    responses((status = 200, body = Page<ListedView>),
        (status = 401, body = crate::error::ErrorBody, description = "Not logged in"),
        (status = 422, body = crate::error::ErrorBody, description = "A parameter that does not read or breaks its rule")))]
pub async fn search(
    State(state): State<AppState>,
    auth: Auth,
    Q(q): Q<SearchQuery>,
) -> ApiResult<Response> {
    let (rows, next) = search_page(&state, &auth, &q).await?;
    Ok(json_response(
        StatusCode::OK,
        &Page {
            items: rows.iter().map(ListedView::from).collect(),
            next,
        },
        q.pretty.unwrap_or(false),
    ))
}

/// A field of a CSV file: quoted when it holds a comma, a quote or a line break (quotes
/// doubled); text that a spreadsheet would read as a formula starts with an apostrophe.
pub fn csv_field(s: &str, text: bool) -> String {
    let s = if text && s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv_line(fields: &[(&str, bool)]) -> String {
    let mut out = fields
        .iter()
        .map(|(s, t)| csv_field(s, *t))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

fn exchange_csv_row(x: &ListedExchange) -> String {
    let next = x.next_deadline.map(|d| d.to_string()).unwrap_or_default();
    let what = match (x.next_deadline, x.next_is_identification) {
        (None, _) => "",
        (Some(_), true) => "Identify replacement property",
        (Some(_), false) => "Receive replacement property",
    };
    let end = x.exchange_end.map(|d| d.to_string()).unwrap_or_default();
    let funds = crate::cents::show(x.balance_cents);
    csv_line(&[
        (&x.name, true),
        (x.client_name.as_deref().unwrap_or(""), true),
        (x.coordinator_name.as_deref().unwrap_or(""), true),
        (crate::exchanges::status_words(x.status), false),
        (what, false),
        (&next, false),
        (&end, false),
        (&funds, false),
    ])
}

const EXCHANGE_CSV_HEAD: &str = "Exchange,Client,Coordinator,Status,Next deadline,Next deadline date,Exchange period ends,Funds held (USD)\r\n";

fn csv_response(filename: &str, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// The list as CSV for `auth`: every row the filters match, in the order asked, read and
/// written a page at a time (the response streams; memory does not grow with the book).
///
/// # Errors
/// 422 for a parameter that does not read (checked before anything is sent).
pub fn exchanges_csv(state: &AppState, auth: &Auth, q: &SearchQuery) -> ApiResult<Response> {
    let mut sq = q.to_store(auth)?;
    sq.limit = CSV_PAGE;
    sq.after = None;
    let st = state.clone();
    let firm = auth.firm().to_string();
    let today: Date = state.today();
    // (query, finished, header written)
    let stream = futures_util::stream::unfold((sq, false, false), move |(mut sq, done, head)| {
        let st = st.clone();
        let firm = firm.clone();
        async move {
            if done {
                return None;
            }
            if !head {
                return Some((
                    Ok::<_, std::io::Error>(EXCHANGE_CSV_HEAD.to_string()),
                    (sq, false, true),
                ));
            }
            match st.store.list_exchange_page(&firm, today, &sq).await {
                Ok(rows) => {
                    let last = rows.len() < usize::try_from(CSV_PAGE).unwrap_or(0);
                    let chunk: String = rows.iter().map(exchange_csv_row).collect();
                    sq.after = rows.last().map(|r| r.id.clone());
                    let finished = last || sq.after.is_none();
                    Some((Ok(chunk), (sq, finished, true)))
                }
                Err(e) => Some((Err(std::io::Error::other(e.to_string())), (sq, true, true))),
            }
        }
    });
    Ok(csv_response("exchanges.csv", Body::from_stream(stream)))
}

/// The list of exchanges as CSV (the same filters and order as the search; every matching
/// row): one line per exchange with its client, coordinator, status, next deadline (ISO
/// date), end of the exchange period and funds held (a plain decimal), streamed.
#[utoipa::path(get, path = "/api/exchanges/search.csv", tag = "exchanges", params(SearchCsvQuery),
    responses((status = 200, content_type = "text/csv", body = String, description = "The list as CSV (RFC 4180, a header line first)"),
        (status = 401, body = crate::error::ErrorBody, description = "Not logged in"),
        (status = 422, body = crate::error::ErrorBody, description = "A parameter that does not read or breaks its rule")))]
pub async fn search_csv(
    State(state): State<AppState>,
    auth: Auth,
    Q(q): Q<SearchCsvQuery>,
) -> ApiResult<Response> {
    exchanges_csv(&state, &auth, &q.into())
}

fn posting_words(k: PostingKind) -> &'static str {
    match k {
        PostingKind::Receipt => "Sale proceeds received",
        PostingKind::Disbursement => "Paid to a purchase closing",
        PostingKind::Fee => "Intermediary fee",
        PostingKind::Interest => "Interest earned",
        PostingKind::Release => "Released to the taxpayer",
    }
}

// The purchase closing paid is the last column: a spreadsheet or script that reads the
// earlier columns by position keeps working.
const LEDGER_CSV_HEAD: &str = "Number,Date,Bank value date,What,By,Approved by,Memo,Amount (USD),Balance (USD),Purchase closing paid\r\n";

/// An exchange's ledger as CSV for `auth` (a client: their own exchange), streamed a page at
/// a time.
///
/// # Errors
/// 404 when the exchange is not one the person may see.
pub async fn ledger_csv(state: &AppState, auth: &Auth, id: &str) -> ApiResult<Response> {
    let ex = load(state, auth, id).await?;
    // A payment to a purchase closing names the closing it paid, from the exchange's file.
    let file = std::sync::Arc::new(crate::exchanges::file_of(&ex)?);
    let st = state.clone();
    let firm = auth.firm().to_string();
    let id = ex.id.clone();
    let stream = futures_util::stream::unfold(
        (None::<String>, false, false),
        move |(after, done, head)| {
            let st = st.clone();
            let firm = firm.clone();
            let id = id.clone();
            let file = file.clone();
            async move {
                if done {
                    return None;
                }
                if !head {
                    return Some((
                        Ok::<_, std::io::Error>(LEDGER_CSV_HEAD.to_string()),
                        (None, false, true),
                    ));
                }
                let page = PageReq {
                    after: after.as_deref(),
                    limit: CSV_PAGE,
                };
                match st.store.list_postings(&firm, &id, page).await {
                    Ok(rows) => {
                        let last = rows.len() < usize::try_from(CSV_PAGE).unwrap_or(0);
                        let chunk: String = rows
                            .iter()
                            .map(|p| {
                                let closing = p
                                    .property_id
                                    .as_deref()
                                    .map(|c| file.closing_words(c))
                                    .unwrap_or_default();
                                csv_line(&[
                                    (&p.seq.to_string(), false),
                                    (&p.posted_on, false),
                                    (p.value_date.as_deref().unwrap_or(""), false),
                                    (posting_words(p.kind), false),
                                    (
                                        p.created_by_name.as_deref().unwrap_or("a former user"),
                                        true,
                                    ),
                                    (
                                        if p.approved_by.is_some() {
                                            p.approved_by_name.as_deref().unwrap_or("a former user")
                                        } else {
                                            ""
                                        },
                                        true,
                                    ),
                                    (&p.memo, true),
                                    (&crate::cents::show(p.amount_cents), false),
                                    (&crate::cents::show(p.balance_after_cents), false),
                                    (&closing, true),
                                ])
                            })
                            .collect();
                        let next = rows.last().map(|r| r.seq.to_string());
                        let finished = last || next.is_none();
                        Some((Ok(chunk), (next, finished, true)))
                    }
                    Err(e) => Some((
                        Err(std::io::Error::other(e.to_string())),
                        (after, true, true),
                    )),
                }
            }
        },
    );
    let name: String = ex
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    Ok(csv_response(
        &format!("ledger-{}.csv", name.trim_matches('-')),
        Body::from_stream(stream),
    ))
}

/// The exchange's ledger as CSV: one line per posting in order, with its date (ISO), kind in
/// words, who made and approved it, memo, amount and running balance (plain decimals).
#[utoipa::path(get, path = "/api/exchanges/{id}/ledger.csv", tag = "ledger", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String, description = "The ledger as CSV (RFC 4180, a header line first)"),
        (status = 401, body = crate::error::ErrorBody, description = "Not logged in"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see")))]
pub async fn ledger(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
) -> ApiResult<Response> {
    ledger_csv(&state, &auth, &id).await
}

/// Who coordinates an exchange.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoordinatorReq {
    /// An active administrator or coordinator of the firm; `null` for nobody.
    pub coordinator_id: Option<String>,
}

/// The coordinator of an exchange, after the change.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoordinatorView {
    pub coordinator_id: Option<String>,
    pub coordinator_name: Option<String>,
}

/// Assigns the coordinator of an exchange `auth` may see, as staff; audited (before and
/// after).
///
/// # Errors
/// 403 for a client; 404 for an exchange the person may not see; 422 when the person
/// named is not an active administrator or coordinator of the firm.
pub async fn assign(
    state: &AppState,
    auth: &Auth,
    id: &str,
    coordinator_id: Option<&str>,
) -> ApiResult<CoordinatorView> {
    auth.require_right::<AssignCoordinators>()?;
    load(state, auth, id).await?;
    let coordinator_id = coordinator_id.filter(|c| !c.is_empty());
    let (_, after) = state
        .store
        .set_coordinator(&auth.actor(), id, coordinator_id)
        .await
        .map_err(|e| match e {
            likekind_store::StoreError::Conflict(_) => ApiError::field(
                "coordinator_id",
                "staff",
                "the person is not an active administrator or coordinator of your firm",
            ),
            e => e.into(),
        })?;
    let name = match &after {
        Some(u) => Some(state.store.get_user(auth.firm(), u).await?.name),
        None => None,
    };
    Ok(CoordinatorView {
        coordinator_id: after,
        coordinator_name: name,
    })
}

/// Assigns (or clears, with `null`) the coordinator of an exchange: staff only, audited with
/// the coordinator before and after.
#[utoipa::path(put, path = "/api/exchanges/{id}/coordinator", tag = "exchanges", params(("id" = String, Path)),
    request_body = CoordinatorReq,
    responses((status = 200, body = CoordinatorView),
        (status = 400, body = crate::error::ErrorBody, description = "The body is not JSON"),
        (status = 401, body = crate::error::ErrorBody, description = "Not logged in"),
        (status = 403, body = crate::error::ErrorBody, description = "A client cannot assign coordinators"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 422, body = crate::error::ErrorBody, description = "The person is not an active administrator or coordinator of the firm")))]
pub async fn put_coordinator(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<AssignCoordinators>,
    P(id): P<String>,
    JsonBody(req): JsonBody<CoordinatorReq>,
) -> ApiResult<Json<CoordinatorView>> {
    Ok(Json(
        assign(&state, &auth, &id, req.coordinator_id.as_deref()).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain", true), "plain");
        assert_eq!(csv_field("a, b", true), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\"", true), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines", true), "\"two\nlines\"");
        assert_eq!(csv_field("=HYPERLINK(1)", true), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-100.00", false), "-100.00");
        assert_eq!(csv_line(&[("a", true), ("b,c", true)]), "a,\"b,c\"\r\n");
    }
}
