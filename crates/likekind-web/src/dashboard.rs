//! The firm dashboard: exchanges by status, deadline countdowns (most urgent first, a page
//! at a time), alerts and idle funds. A client sees the same page for their own exchanges
//! only. Everything comes from the summaries the store keeps for each exchange (derived from
//! the engine when the exchange is written), so a view costs a few indexed queries however
//! many exchanges are open.

use crate::fmt;
use crate::layout::{from_api, shell};
use crate::session::Web;
use axum::extract::{Query, RawQuery, State};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use likekind_server::AppState;
use likekind_server::alerts::{Alert, AlertRead, alerts_on};
use likekind_server::error::ApiResult;
use likekind_server::listing::SearchQuery;
use likekind_store::{AlertSet, DueRow, ListSort, ListedExchange, Role, STATUSES};
use maud::{Markup, html};

/// Deadlines per page.
pub const PER_PAGE: i64 = 50;
/// Alerts shown unless all are asked for.
pub const ALERTS_SHOWN: i64 = 50;

/// One open exchange's next deadline.
#[derive(Debug)]
pub struct Due {
    pub id: String,
    pub name: String,
    pub what: &'static str,
    pub date: Date,
    pub status: &'static str,
    pub balance_cents: i64,
}

impl From<DueRow> for Due {
    fn from(r: DueRow) -> Self {
        Due {
            what: if r.milestone == "identification_end" {
                "Identify replacement property"
            } else {
                "Receive replacement property"
            },
            id: r.id,
            name: r.name,
            date: r.date,
            status: r.status,
            balance_cents: r.balance_cents,
        }
    }
}

/// Everything the dashboard shows.
#[derive(Debug, Default)]
pub struct Dashboard {
    pub counts: Vec<(&'static str, i64)>,
    pub total: i64,
    /// One page of the open exchanges with a running clock, most urgent first.
    pub due: Vec<Due>,
    /// How many there are in all.
    pub due_total: i64,
    /// The page shown (from 1).
    pub page: i64,
    /// Alerts other than idle funds (errors first), and how many there are in all.
    pub alerts: Vec<Alert>,
    pub alerts_total: i64,
    pub idle: Vec<Alert>,
    pub idle_total: i64,
    /// Every alert is shown (`?alerts=all`).
    pub all_alerts: bool,
    /// The list of exchanges as searched, filtered and sorted: one page.
    pub list: Vec<ListedExchange>,
    /// The id to continue after, when there is a next page.
    pub list_next: Option<String>,
    /// What the list was asked for.
    pub find: Find,
    /// The firm's administrators and coordinators (id, name), for the coordinator filter.
    pub coordinators: Vec<(String, String)>,
}

impl Dashboard {
    /// Whether there are more alerts, and more idle-fund notices, than the page shows.
    fn cut(&self) -> (bool, bool) {
        let len = |v: &[Alert]| i64::try_from(v.len()).unwrap_or(i64::MAX);
        (
            self.alerts_total > len(&self.alerts),
            self.idle_total > len(&self.idle),
        )
    }
}

/// The list's search, filters and order as the page reads them (`?q=&status=&coordinator=
/// &due=&sort=&after=`): anything that does not read is left out, never an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct Find {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub coordinator: String,
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub after: String,
}

impl Find {
    /// Only what reads: a known status and order, a window of 0 to 365 days, a search of at
    /// most 200 characters.
    pub fn clean(mut self) -> Find {
        if !STATUSES.contains(&self.status.as_str()) {
            self.status.clear();
        }
        if ListSort::parse(&self.sort).is_none() {
            self.sort.clear();
        }
        if !self
            .due
            .parse::<i64>()
            .is_ok_and(|n| (0..=365).contains(&n))
        {
            self.due.clear();
        }
        self.q = self.q.trim().chars().take(200).collect();
        self
    }

    /// The API's query for it.
    pub fn query(&self) -> SearchQuery {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        SearchQuery {
            q: some(&self.q),
            status: some(&self.status),
            coordinator: some(&self.coordinator),
            due_within: self.due.parse().ok(),
            sort: some(&self.sort),
            after: some(&self.after),
            limit: Some(PER_PAGE),
            pretty: None,
        }
    }

    /// The query string of this search (without `after`), `&`-joined and encoded.
    pub fn params(&self) -> String {
        [
            ("q", &self.q),
            ("status", &self.status),
            ("coordinator", &self.coordinator),
            ("due", &self.due),
            ("sort", &self.sort),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    /// Whether anything narrows the list.
    pub fn narrowed(&self) -> bool {
        !(self.q.is_empty()
            && self.status.is_empty()
            && self.coordinator.is_empty()
            && self.due.is_empty())
    }
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// What the page was asked for: `?page=N` (from 1) and `?alerts=all`. Anything else is
/// ignored, a bad page number reads as the first page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub page: i64,
    pub all_alerts: bool,
}

impl View {
    pub fn parse(q: Option<&str>) -> View {
        let mut v = View {
            page: 1,
            all_alerts: false,
        };
        for kv in q.unwrap_or("").split('&') {
            match kv.split_once('=') {
                Some(("page", n)) => v.page = n.parse::<i64>().unwrap_or(1).clamp(1, 1_000_000),
                Some(("alerts", "all")) => v.all_alerts = true,
                _ => {}
            }
        }
        v
    }

    fn href(self, page: i64, all_alerts: bool) -> String {
        let mut q = Vec::new();
        if page > 1 {
            q.push(format!("page={page}"));
        }
        if all_alerts {
            q.push("alerts=all".to_string());
        }
        if q.is_empty() {
            "/".into()
        } else {
            format!("/?{}", q.join("&"))
        }
    }
}

/// Reads the dashboard from the store: counts by status, one page of deadlines, the alerts.
///
/// # Errors
/// A database failure.
pub async fn load(
    st: &AppState,
    w: &Web,
    today: Date,
    v: View,
    find: Find,
) -> ApiResult<Dashboard> {
    let firm = w.user.firm_id.as_str();
    let client = (w.role() == Role::Client).then_some(w.user.id.as_str());
    let (by_status, due_total) = st.store.count_statuses_and_due(firm, client, today).await?;
    let counts: Vec<(&'static str, i64)> = likekind_store::STATUSES
        .iter()
        .map(|s| {
            let n = by_status
                .iter()
                .filter(|(x, _)| x == s)
                .map(|(_, n)| n)
                .sum();
            (*s, n)
        })
        .collect();
    let total = by_status.iter().map(|(_, n)| n).sum();
    let last_page = ((due_total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page = v.page.min(last_page);
    let due = st
        .store
        .list_due(firm, client, today, PER_PAGE, (page - 1) * PER_PAGE)
        .await?
        .into_iter()
        .map(Due::from)
        .collect();
    // "Show all alerts" shows as many as one page holds (the API's most), never every one.
    let limit = if v.all_alerts {
        likekind_server::alerts::COUNT_CAP
    } else {
        ALERTS_SHOWN
    };
    let read = |set| AlertRead {
        today,
        within: 14,
        set,
        by_severity: true,
        limit,
    };
    let (alerts, alerts_total) = alerts_on(st, firm, client, read(AlertSet::Deadlines)).await?;
    let (idle, idle_total) = alerts_on(st, firm, client, read(AlertSet::IdleFunds)).await?;
    let auth = w.auth();
    let (mut list, mut list_next) =
        likekind_server::listing::search_page(st, &auth, &find.query()).await?;
    if list.is_empty() && !find.after.is_empty() {
        // A page link that no longer leads anywhere: the first page.
        let mut first = find.query();
        first.after = None;
        (list, list_next) = likekind_server::listing::search_page(st, &auth, &first).await?;
    }
    let coordinators = if w.is_staff() {
        st.store
            .list_users(
                firm,
                likekind_store::PageReq {
                    after: None,
                    limit: 500,
                },
            )
            .await?
            .into_iter()
            .filter(|u| u.active && matches!(u.role, Role::Admin | Role::Coordinator))
            .map(|u| (u.id, u.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Dashboard {
        counts,
        total,
        due,
        due_total,
        page,
        alerts,
        alerts_total,
        idle,
        idle_total,
        all_alerts: v.all_alerts,
        list,
        list_next,
        find,
        coordinators,
    })
}

/// Renders the dashboard.
pub fn render(w: &Web, d: &Dashboard, today: Date) -> Markup {
    shell("Dashboard", Some(w), content(w, d, today))
}

/// The dashboard inside the page's frame: it depends on the caller's role (and, through
/// `d`, on whose exchanges they see), never on the session, so it can be kept.
fn content(w: &Web, d: &Dashboard, today: Date) -> Markup {
    let view = View {
        page: d.page,
        all_alerts: d.all_alerts,
    };
    let last_page = ((d.due_total + PER_PAGE - 1) / PER_PAGE).max(1);
    let first = (d.page - 1) * PER_PAGE + 1;
    let shown_to = first + i64::try_from(d.due.len()).unwrap_or(0) - 1;
    let more_alerts = !d.all_alerts && d.cut() != (false, false);
    html! {
        h1 { @if w.role() == Role::Client { "Your exchanges" } @else { "Dashboard" } }
        p.lead { "Today is " (fmt::date(today)) "." }
        @if d.total == 0 {
            section.empty aria-labelledby="empty-h" {
                h2 #empty-h { "No exchanges yet" }
                @if w.is_staff() {
                    p { "Open your first exchange, or import an exchange file (TOML or JSON) you already have." }
                    p { a.button href="/exchanges/new" { "New exchange" } " " a.button.secondary href="/exchanges/import" { "Import a file" } }
                } @else {
                    p { "Your exchange coordinator has not opened an exchange for you yet." }
                }
            }
        } @else {
            section aria-labelledby="due-h" {
                h2 #due-h { "Deadlines, most urgent first" }
                @if d.due.is_empty() {
                    p.empty { "No open exchange has a running deadline." }
                } @else {
                    p { "Open exchanges " (first) "–" (shown_to) " of " (d.due_total) "." }
                    div.scroll tabindex="0" role="region" aria-label="Deadlines, table" { table.reflow {
                        caption.sr { "Open exchanges and their next deadline" }
                        thead { tr { th scope="col" { "Exchange" } th scope="col" { "Next deadline" } th scope="col" { "Date" } th scope="col" { "Countdown" } th scope="col" class="num" { "Funds held" } } }
                        tbody {
                            @for x in &d.due {
                                @let n = (x.date - today).get_days();
                                tr class=(if n < 0 { "overdue" } else if n <= 14 { "soon" } else { "" }) {
                                    th scope="row" data-label="Exchange" { a href={ "/exchanges/" (x.id) } { (x.name) } br; small { (fmt::status(x.status)) } }
                                    td data-label="Next deadline" { (x.what) }
                                    td data-label="Date" { (fmt::date(x.date)) }
                                    td data-label="Countdown" { strong { (fmt::countdown(today, x.date)) } }
                                    td.num data-label="Funds held" { (fmt::cents(x.balance_cents)) }
                                }
                            }
                        }
                    } }
                    @if last_page > 1 {
                        nav.pager aria-label="Pages of deadlines" {
                            @if d.page > 1 {
                                a rel="prev" href=(view.href(d.page - 1, d.all_alerts)) { "← More urgent" } " "
                            }
                            span { "Page " (d.page) " of " (last_page) } " "
                            @if d.page < last_page {
                                a rel="next" href=(view.href(d.page + 1, d.all_alerts)) { "Less urgent →" }
                            }
                        }
                    }
                }
            }
            (list_section(w, d, today))
            div.cols {
                section aria-labelledby="alerts-h" {
                    h2 #alerts-h { "Alerts" }
                    @if d.alerts.is_empty() { p.empty { "Nothing needs attention in the next 14 days." } }
                    @else { ul.alerts { @for a in &d.alerts {
                        li class={ "sev-" (a.severity) } {
                            span.badge { (sev_word(&a.severity)) } " "
                            a href={ "/exchanges/" (a.exchange_id) } { (a.exchange_name) } ": " (fmt::words(&a.message))
                        }
                    } } }
                }
                section aria-labelledby="idle-h" {
                    h2 #idle-h { "Idle funds" }
                    @if d.idle.is_empty() { p.empty { "No funds are sitting idle." } }
                    @else { ul.alerts { @for a in &d.idle {
                        li { a href={ "/exchanges/" (a.exchange_id) } { (a.exchange_name) } ": " (fmt::words(&a.message)) }
                    } } }
                }
                section aria-labelledby="status-h" {
                    h2 #status-h { "Exchanges by status" }
                    table.compact {
                        caption.sr { "Number of exchanges in each status" }
                        thead { tr { th scope="col" { "Status" } th scope="col" class="num" { "Exchanges" } } }
                        tbody { @for (s, n) in &d.counts { tr { th scope="row" { (fmt::status(s)) } td.num { (n) } } } }
                        tfoot { tr { th scope="row" { "All" } td.num { (d.total) } } }
                    }
                }
            }
            @if more_alerts {
                p { "Showing the " (ALERTS_SHOWN) " most serious of " (count_words(d.alerts_total)) " alerts and " (count_words(d.idle_total)) " idle-fund notices. "
                    a href={ (view.href(d.page, true)) "#alerts-h" } { "Show all alerts" } }
            } @else if let Some(words) = cut_short(d) {
                p { (words) }
            }
        }
    }
}

/// `GET /exchanges.csv`: the list as the dashboard shows it (the same search, filters and
/// order), every matching row, as CSV.
pub async fn csv(
    State(st): State<AppState>,
    find: Result<Query<Find>, axum::extract::rejection::QueryRejection>,
    w: Web,
) -> Response {
    let find = find.map(|Query(f)| f.clean()).unwrap_or_default();
    let mut q = find.query();
    q.after = None;
    match likekind_server::listing::exchanges_csv(&st, &w.auth(), &q) {
        Ok(r) => r,
        Err(e) => from_api(e),
    }
}

/// The list of exchanges with its search form, filters, order, pages and CSV link.
fn list_section(w: &Web, d: &Dashboard, today: Date) -> Markup {
    let f = &d.find;
    let params = f.params();
    let with = |extra: &str| {
        let mut q: Vec<&str> = Vec::new();
        if !params.is_empty() {
            q.push(&params);
        }
        if !extra.is_empty() {
            q.push(extra);
        }
        if q.is_empty() {
            "/".to_string()
        } else {
            format!("/?{}", q.join("&"))
        }
    };
    let csv_href = if params.is_empty() {
        "/exchanges.csv".to_string()
    } else {
        format!("/exchanges.csv?{params}")
    };
    html! {
        section #list aria-labelledby="list-h" {
            h2 #list-h { "Exchanges" }
            form.find method="get" action="/" role="search" aria-label="Find exchanges" {
                div.field.grow {
                    label for="f-q" { "Search" }
                    input #f-q type="search" name="q" value=(f.q) aria-describedby="f-q-hint";
                    small #f-q-hint { "A word of the exchange's name, the client's name or a property" }
                }
                div.field {
                    label for="f-status" { "Status" }
                    select #f-status name="status" {
                        option value="" selected[f.status.is_empty()] { "Any status" }
                        @for s in STATUSES { option value=(s) selected[f.status == s] { (fmt::status(s)) } }
                    }
                }
                @if w.is_staff() {
                    div.field {
                        label for="f-coordinator" { "Coordinator" }
                        select #f-coordinator name="coordinator" {
                            option value="" selected[f.coordinator.is_empty()] { "Anyone" }
                            option value="none" selected[f.coordinator == "none"] { "Nobody assigned" }
                            @for (id, name) in &d.coordinators { option value=(id) selected[&f.coordinator == id] { (name) } }
                        }
                    }
                }
                div.field {
                    label for="f-due" { "Next deadline" }
                    select #f-due name="due" {
                        option value="" selected[f.due.is_empty()] { "Any time" }
                        @for (n, label) in [("7", "Within 7 days"), ("14", "Within 14 days"), ("30", "Within 30 days"), ("90", "Within 90 days")] {
                            option value=(n) selected[f.due == n] { (label) }
                        }
                    }
                }
                div.field {
                    label for="f-sort" { "Sort by" }
                    select #f-sort name="sort" {
                        @for (v, label) in [("name", "Name, A to Z"), ("deadline", "End of the exchange period, soonest first"), ("funds", "Funds held, most first"), ("newest", "Newest first")] {
                            option value=(v) selected[f.sort == v || (f.sort.is_empty() && v == "name")] { (label) }
                        }
                    }
                }
                div.field.submit { button type="submit" { "Show" } }
            }
            p.tools {
                @if f.narrowed() { a href="/#list" { "Clear the search and filters" } " · " }
                a #csv-list href=(csv_href) download { "Download this list (CSV)" }
            }
            @if d.list.is_empty() {
                p.empty #list-empty { @if f.narrowed() { "No exchange matches." } @else { "No exchanges." } }
            } @else {
                div.scroll tabindex="0" role="region" aria-label="Exchanges, table" { table.reflow #exchanges {
                    caption.sr { "Exchanges" @if f.narrowed() { " matching the search" } }
                    thead { tr {
                        th scope="col" { "Exchange" } th scope="col" { "Client" } th scope="col" { "Coordinator" }
                        th scope="col" { "Next deadline" } th scope="col" { "Countdown" } th scope="col" class="num" { "Funds held" }
                    } }
                    tbody { @for x in &d.list {
                        tr {
                            th scope="row" data-label="Exchange" { a href={ "/exchanges/" (x.id) } { (x.name) } br; small { (fmt::status(x.status)) } }
                            td data-label="Client" { (x.client_name.as_deref().unwrap_or("No client")) }
                            td data-label="Coordinator" { (x.coordinator_name.as_deref().unwrap_or("Nobody assigned")) }
                            td data-label="Next deadline" { @if let Some(n) = x.next_deadline {
                                (fmt::date(n)) br; small { @if x.next_is_identification { "Identify replacement property" } @else { "Receive replacement property" } }
                            } @else { "None running" } }
                            td data-label="Countdown" { @if let Some(n) = x.next_deadline { strong { (fmt::countdown(today, n)) } } @else { "—" } }
                            td.num data-label="Funds held" { (fmt::cents(x.balance_cents)) }
                        }
                    } }
                } }
                nav.pager aria-label="Pages of exchanges" {
                    @if !f.after.is_empty() { a href={ (with("")) "#list" } { "← First page" } " " }
                    @if let Some(n) = &d.list_next { a #list-next href={ (with(&format!("after={}", encode(n)))) "#list" } { "Next page →" } }
                }
            }
        }
    }
}

/// A bounded alert count in words: above the cap, "more than 1,000".
/// With every alert asked for, what the page could not hold (it holds as many as the API's
/// most): `None` when it shows them all.
fn cut_short(d: &Dashboard) -> Option<String> {
    let len = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    let (alerts_cut, idle_cut) = d.cut();
    let mut parts = Vec::new();
    if alerts_cut {
        parts.push(format!(
            "the {} most serious of {} alerts",
            fmt::count(len(d.alerts.len())),
            count_words(d.alerts_total)
        ));
    }
    if idle_cut {
        parts.push(format!(
            "the first {} of {} idle-fund notices",
            fmt::count(len(d.idle.len())),
            count_words(d.idle_total)
        ));
    }
    (d.all_alerts && !parts.is_empty()).then(|| {
        format!(
            "Showing {}: close or settle the exchanges listed first to see the others.",
            parts.join(" and ")
        )
    })
}

fn count_words(n: i64) -> String {
    if n > likekind_server::alerts::COUNT_CAP {
        format!(
            "more than {}",
            fmt::count(likekind_server::alerts::COUNT_CAP)
        )
    } else {
        fmt::count(n)
    }
}

fn sev_word(s: &str) -> &'static str {
    match s {
        "error" => "Problem",
        "warning" => "Warning",
        _ => "Note",
    }
}

/// `GET /`.
pub async fn page_handler(st: &AppState, w: &Web, v: View, find: Find) -> ApiResult<Markup> {
    let today = st.today();
    // Kept for the data revision (`likekind_server::cache`), drawn: what the page shows
    // depends on the caller (a client sees their own exchanges, staff the coordinators; the
    // frame their name), the day and what was asked for, all in the key; the session's own
    // form token is put in for each request (`crate::kept`).
    let key = format!(
        "dashboard\u{1f}{}\u{1f}{}\u{1f}{:?}\u{1f}{today}\u{1f}{v:?}\u{1f}{find:?}",
        w.user.firm_id,
        w.user.id,
        w.role(),
    );
    let page = st
        .kept
        .get_or(&st.store, w.revision, "dashboard", key, || async {
            let masked = crate::kept::masked(w);
            let body = content(&masked, &load(st, &masked, today, v, find).await?, today);
            Ok(shell("Dashboard", Some(&masked), body).into_string())
        })
        .await?;
    Ok(maud::PreEscaped(crate::kept::with_token(&page, &w.csrf)))
}

/// `GET /` (`?page=N`, `?alerts=all`, and the list's `?q=&status=&coordinator=&due=&sort=
/// &after=`).
pub async fn page(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
    find: Result<Query<Find>, axum::extract::rejection::QueryRejection>,
    w: Web,
) -> Response {
    let find = find.map(|Query(f)| f.clean()).unwrap_or_default();
    match page_handler(&st, &w, View::parse(q.as_deref()), find).await {
        Ok(m) => m.into_response(),
        Err(e) => from_api(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_reads_leniently_and_links_back() {
        assert_eq!(
            View::parse(Some("page=3&alerts=all")),
            View {
                page: 3,
                all_alerts: true
            }
        );
        assert_eq!(View::parse(Some("page=-2")).page, 1);
        assert_eq!(View::parse(Some("page=x&junk")).page, 1);
        assert_eq!(View::parse(None).page, 1);
        let v = View::parse(None);
        assert_eq!(v.href(1, false), "/");
        assert_eq!(v.href(2, false), "/?page=2");
        assert_eq!(v.href(2, true), "/?page=2&alerts=all");
    }

    fn alert() -> likekind_server::alerts::Alert {
        likekind_server::alerts::Alert {
            exchange_id: "e".into(),
            exchange_name: "E".into(),
            kind: "deadline_missed".into(),
            severity: "error".into(),
            date: None,
            message: String::new(),
        }
    }

    #[test]
    fn every_alert_says_what_the_page_could_not_hold() {
        let cap = likekind_server::alerts::COUNT_CAP;
        let mut d = Dashboard {
            all_alerts: true,
            alerts: (0..cap).map(|_| alert()).collect(),
            alerts_total: cap + 1,
            idle: vec![alert()],
            idle_total: 1,
            ..Dashboard::default()
        };
        assert_eq!(
            cut_short(&d).as_deref(),
            Some(
                "Showing the 1,000 most serious of more than 1,000 alerts: close or settle the \
                 exchanges listed first to see the others."
            )
        );
        d.idle_total = 5;
        assert!(
            cut_short(&d).is_some_and(|w| w.contains("and the first 1 of 5 idle-fund notices")),
            "both lists cut short"
        );
        d.alerts_total = cap;
        d.idle_total = 1;
        assert_eq!(cut_short(&d), None, "everything shown");
        d.alerts_total = cap + 1;
        d.all_alerts = false;
        assert_eq!(cut_short(&d), None, "the 50 most serious say so themselves");
    }
}
