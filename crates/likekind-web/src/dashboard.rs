//! The firm dashboard: exchanges by status, deadline countdowns (most urgent first), alerts
//! and idle funds. A client sees the same page for their own exchanges only.

use crate::fmt;
use crate::layout::{from_api, shell};
use crate::session::Web;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use likekind_server::AppState;
use likekind_server::alerts::{Alert, alerts_for};
use likekind_server::error::ApiResult;
use likekind_server::exchanges::{file_of, status_of};
use likekind_store::{ExchangeRow, Phase, Role};
use maud::{Markup, html};

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

/// Everything the dashboard shows, computed from the store and the engine.
#[derive(Debug, Default)]
pub struct Dashboard {
    pub counts: Vec<(&'static str, usize)>,
    pub total: usize,
    pub due: Vec<Due>,
    pub alerts: Vec<Alert>,
}

/// What the dashboard reads from the store: the count of exchanges per phase and the open
/// exchanges in full (closed ones need no engine work).
pub async fn load(st: &AppState, w: &Web) -> ApiResult<(Vec<(Phase, i64)>, Vec<ExchangeRow>)> {
    let client = (w.role() == Role::Client).then_some(w.user.id.as_str());
    let counts = st
        .store
        .count_exchanges_by_phase(&w.user.firm_id, client)
        .await?;
    let open = st
        .store
        .list_open_exchanges(&w.user.firm_id, client)
        .await?;
    Ok((counts, open))
}

/// An open exchange's status, next deadline and alerts.
type Judged = (&'static str, Option<Due>, Vec<Alert>);

/// One open exchange through the engine: its status, next deadline and alerts.
fn one(ex: &ExchangeRow, today: Date) -> ApiResult<Judged> {
    let f = file_of(ex)?;
    let s = status_of(ex, Some(&f), today);
    let d = likekind_core::deadlines::inputs_of(&f).map(|i| likekind_core::deadlines::dates(&i));
    let due = d.map(|d| {
        let (what, date) = if today <= d.identification_end {
            ("Identify replacement property", d.identification_end)
        } else {
            ("Receive replacement property", d.exchange_end)
        };
        Due {
            id: ex.id.clone(),
            name: ex.name.clone(),
            what,
            date,
            status: s,
            balance_cents: ex.balance_cents,
        }
    });
    Ok((s, due, alerts_for(ex, today, 14)?))
}

/// Builds the dashboard: statuses for all, deadlines and alerts for the open exchanges (run
/// through the engine on every core: each is independent).
///
/// # Errors
/// 500 when a stored file does not read.
pub fn build(counts: &[(Phase, i64)], open: &[ExchangeRow], today: Date) -> ApiResult<Dashboard> {
    const ORDER: [&str; 6] = [
        "draft",
        "relinquished_closed",
        "identification_period",
        "acquisition",
        "completed",
        "failed",
    ];
    let mut n = [0usize; 6];
    let mut total = 0usize;
    for (p, c) in counts {
        let c = usize::try_from(*c).unwrap_or(0);
        total += c;
        match p {
            Phase::Completed => n[4] += c,
            Phase::Failed => n[5] += c,
            _ => {}
        }
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |x| x.get())
        .clamp(1, 8);
    let chunk = open.len().div_ceil(threads).max(1);
    let results: Vec<ApiResult<Vec<Judged>>> = std::thread::scope(|sc| {
        let hs: Vec<_> = open
            .chunks(chunk)
            .map(|part| {
                sc.spawn(move || {
                    part.iter()
                        .map(|ex| one(ex, today))
                        .collect::<ApiResult<Vec<_>>>()
                })
            })
            .collect();
        hs.into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(likekind_server::error::ApiError::internal()))
            })
            .collect()
    });
    let mut due = Vec::new();
    let mut alerts = Vec::new();
    for r in results {
        for (s, d, a) in r? {
            if let Some(i) = ORDER.iter().position(|o| *o == s) {
                n[i] += 1;
            }
            due.extend(d);
            alerts.extend(a);
        }
    }
    due.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.name.cmp(&b.name)));
    alerts.sort_by(|a, b| {
        sev_rank(&a.severity)
            .cmp(&sev_rank(&b.severity))
            .then_with(|| a.date.cmp(&b.date))
    });
    Ok(Dashboard {
        counts: ORDER.iter().copied().zip(n).collect(),
        total,
        due,
        alerts,
    })
}

fn sev_rank(s: &str) -> u8 {
    match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

/// Renders the dashboard.
pub fn render(w: &Web, d: &Dashboard, today: Date) -> Markup {
    let (idle, other): (Vec<&Alert>, Vec<&Alert>) =
        d.alerts.iter().partition(|a| a.kind == "idle_funds");
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
                    }
                }
                div.cols {
                    section aria-labelledby="alerts-h" {
                        h2 #alerts-h { "Alerts" }
                        @if other.is_empty() { p.empty { "Nothing needs attention in the next 14 days." } }
                        @else { ul.alerts { @for a in &other {
                            li class={ "sev-" (a.severity) } {
                                span.badge { (sev_word(&a.severity)) } " "
                                a href={ "/exchanges/" (a.exchange_id) } { (a.exchange_name) } ": " (a.message)
                            }
                        } } }
                    }
                    section aria-labelledby="idle-h" {
                        h2 #idle-h { "Idle funds" }
                        @if idle.is_empty() { p.empty { "No funds are sitting idle." } }
                        @else { ul.alerts { @for a in &idle {
                            li { a href={ "/exchanges/" (a.exchange_id) } { (a.exchange_name) } ": " (a.message) }
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
            }
        },
    )
}

fn sev_word(s: &str) -> &'static str {
    match s {
        "error" => "Problem",
        "warning" => "Warning",
        _ => "Note",
    }
}

/// `GET /`.
pub async fn page_handler(st: &AppState, w: &Web) -> ApiResult<Markup> {
    let (counts, open) = load(st, w).await?;
    let today = st.today();
    Ok(render(w, &build(&counts, &open, today)?, today))
}

/// `GET /`.
pub async fn page(State(st): State<AppState>, w: Web) -> Response {
    match page_handler(&st, &w).await {
        Ok(m) => m.into_response(),
        Err(e) => from_api(e),
    }
}
