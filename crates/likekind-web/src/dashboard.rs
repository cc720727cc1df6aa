//! The firm dashboard: exchanges by status, deadline countdowns (most urgent first, a page
//! at a time), alerts and idle funds. A client sees the same page for their own exchanges
//! only. Everything comes from the summaries the store keeps for each exchange (derived from
//! the engine when the exchange is written), so a view costs a few indexed queries however
//! many exchanges are open.

use crate::fmt;
use crate::layout::{from_api, shell};
use crate::session::Web;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use likekind_server::AppState;
use likekind_server::alerts::{Alert, AlertRead, alerts_on};
use likekind_server::error::ApiResult;
use likekind_store::{AlertSet, DueRow, Role};
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
pub async fn load(st: &AppState, w: &Web, today: Date, v: View) -> ApiResult<Dashboard> {
    let firm = w.user.firm_id.as_str();
    let client = (w.role() == Role::Client).then_some(w.user.id.as_str());
    let by_status = st
        .store
        .count_exchanges_by_status(firm, client, today)
        .await?;
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
    let due_total = st.store.count_due(firm, client, today).await?;
    let last_page = ((due_total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page = v.page.min(last_page);
    let due = st
        .store
        .list_due(firm, client, today, PER_PAGE, (page - 1) * PER_PAGE)
        .await?
        .into_iter()
        .map(Due::from)
        .collect();
    let limit = (!v.all_alerts).then_some(ALERTS_SHOWN);
    let read = |set| AlertRead {
        today,
        within: 14,
        set,
        by_severity: true,
        limit,
    };
    let (alerts, alerts_total) = alerts_on(st, firm, client, read(AlertSet::Deadlines)).await?;
    let (idle, idle_total) = alerts_on(st, firm, client, read(AlertSet::IdleFunds)).await?;
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
    })
}

/// Renders the dashboard.
pub fn render(w: &Web, d: &Dashboard, today: Date) -> Markup {
    let view = View {
        page: d.page,
        all_alerts: d.all_alerts,
    };
    let last_page = ((d.due_total + PER_PAGE - 1) / PER_PAGE).max(1);
    let first = (d.page - 1) * PER_PAGE + 1;
    let shown_to = first + i64::try_from(d.due.len()).unwrap_or(0) - 1;
    let more_alerts = !d.all_alerts
        && (d.alerts_total > i64::try_from(d.alerts.len()).unwrap_or(0)
            || d.idle_total > i64::try_from(d.idle.len()).unwrap_or(0));
    shell(
        "Dashboard",
        Some(w),
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
                        div.scroll { table {
                            caption.sr { "Open exchanges and their next deadline" }
                            thead { tr { th scope="col" { "Exchange" } th scope="col" { "Next deadline" } th scope="col" { "Date" } th scope="col" { "Countdown" } th scope="col" class="num" { "Funds held" } } }
                            tbody {
                                @for x in &d.due {
                                    @let n = (x.date - today).get_days();
                                    tr class=(if n < 0 { "overdue" } else if n <= 14 { "soon" } else { "" }) {
                                        th scope="row" { a href={ "/exchanges/" (x.id) } { (x.name) } br; small { (fmt::status(x.status)) } }
                                        td { (x.what) }
                                        td { (fmt::date(x.date)) }
                                        td { strong { (fmt::countdown(today, x.date)) } }
                                        td.num { (fmt::cents(x.balance_cents)) }
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
                }
            }
        },
    )
}

/// A bounded alert count in words: above the cap, "more than 1,000".
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
pub async fn page_handler(st: &AppState, w: &Web, v: View) -> ApiResult<Markup> {
    let today = st.today();
    Ok(render(w, &load(st, w, today, v).await?, today))
}

/// `GET /` (`?page=N`, `?alerts=all`).
pub async fn page(State(st): State<AppState>, RawQuery(q): RawQuery, w: Web) -> Response {
    match page_handler(&st, &w, View::parse(q.as_deref())).await {
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
}
