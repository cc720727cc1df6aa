//! The exchange page (timeline, money, QI ledger, identification, Form 8824, findings, each
//! figure expandable into the engine's explanation and authority), the new-exchange form
//! (which records the sale) and the purchase form.

use crate::fmt::{self, parse_usd};
use crate::layout::{Refused, api_error, csrf, field_in, from_api, mark, refused_box, shell};
use crate::session::Web;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use likekind_core::Report;
use likekind_core::model::{Entity, ExchangeFile, Replacement};
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult};
use likekind_server::exchanges::{
    self, EventKind, EventReq, NewExchangeReq, PatchExchangeReq, file_of, load, status_of,
};
use likekind_server::extract::JsonBody;
use likekind_server::extract::P;
use likekind_store::{ExchangeRow, PageReq, PostingRow, Role};
use maud::{Markup, html};
use serde::Deserialize;

pub use crate::exchange_state::{Flash, Loaded, Posted};

/// Loads an exchange the person may see (the API's tenancy rule: 404 otherwise).
///
/// # Errors
/// 404, or a store failure.
pub async fn load_all(st: &AppState, w: &Web, id: &str) -> ApiResult<Loaded> {
    let ex = load(st, &w.auth(), id).await?;
    let file = file_of(&ex)?;
    let today = st.today();
    let report = likekind_core::analyze(&file, today);
    let postings = st
        .store
        .list_postings(
            &w.user.firm_id,
            id,
            PageReq {
                after: None,
                limit: 500,
            },
        )
        .await?;
    let notices = st.store.list_notices(&w.user.firm_id, id).await?;
    let documents = crate::documents::list(st, w, id).await?;
    let staff: Vec<likekind_store::User> = if w.is_staff() {
        st.store
            .list_users(
                &w.user.firm_id,
                PageReq {
                    after: None,
                    limit: 500,
                },
            )
            .await?
    } else {
        Vec::new()
    };
    let coordinator = match st.store.exchange_coordinator(&w.user.firm_id, id).await? {
        Some(c) => {
            let name = match staff.iter().find(|u| u.id == c) {
                Some(u) => u.name.clone(),
                None => st.store.get_user(&w.user.firm_id, &c).await?.name,
            };
            Some((c, name))
        }
        None => None,
    };
    let coordinators = staff
        .into_iter()
        .filter(|u| u.active && matches!(u.role, Role::Admin | Role::Coordinator))
        .map(|u| (u.id, u.name))
        .collect();
    Ok(Loaded {
        ex,
        file,
        report,
        postings,
        notices,
        today,
        documents,
        upload_limit: st.config.upload_limit,
        coordinator,
        coordinators,
    })
}

/// A figure with its explanation: the engine's steps for `key`, each with its authority.
pub fn explained(r: &Report, key: &str, label: &str, value: &str) -> Markup {
    let steps: Vec<_> = r.explanation.iter().filter(|s| s.key == key).collect();
    html! {
        @if steps.is_empty() {
            div.figure { span.label { (label) } span.value { (value) } }
        } @else {
            details.figure {
                summary { span.label { (label) } span.value { (value) } }
                ol.steps { @for s in &steps { (step(s)) } }
            }
        }
    }
}

/// One explanation step: what was computed, from which figures, the result and its authority.
pub fn step(s: &likekind_core::explain::Step) -> Markup {
    html! {
        li {
            (fmt::words(&s.step)) " = " strong { (fmt::figure(&s.value)) }
            @if !s.inputs.is_empty() {
                ul.inputs { @for i in &s.inputs { li { (fmt::input(i)) } } }
            }
            small { "Authority: " (s.authority) }
        }
    }
}

/// A money figure that opens into the engine's steps under `keys` (several steps when the
/// figure is their total), with `note` saying how they make it up.
fn money_figure(r: &Report, keys: &[String], label: &str, value: &str, note: &str) -> Markup {
    let steps: Vec<_> = r
        .explanation
        .iter()
        .filter(|s| keys.iter().any(|k| *k == s.key))
        .collect();
    html! {
        details.figure {
            summary { span.label { (label) } span.value { (value) } }
            @if !note.is_empty() { p.note { (note) } }
            @if steps.is_empty() { p { "Nothing to add up yet." } } @else {
                ol.steps { @for s in &steps { (step(s)) } }
            }
        }
    }
}

/// The money section's figures, each expandable: sale by sale, purchase by purchase, and the
/// exchange-funds balance built from them.
fn money_explained(r: &Report) -> Markup {
    let m = &r.money;
    let sale_keys: Vec<String> = m
        .sales
        .iter()
        .map(|s| format!("money.sale.{}", s.id))
        .collect();
    let purchase_keys: Vec<String> = m
        .purchases
        .iter()
        .map(|p| format!("money.purchase.{}", p.id))
        .collect();
    let returned = vec![
        "money.returned_to_taxpayer".to_string(),
        "money.inferred".to_string(),
    ];
    let gap_note = format!(
        "Into exchange funds {} − out to purchases {} − returned to the taxpayer {} = {}. Zero means every dollar is accounted for.",
        fmt::usd(m.exchange_funds_in),
        fmt::usd(m.exchange_funds_out),
        fmt::usd(m.returned_to_taxpayer),
        fmt::usd(m.gap)
    );
    html! {
        h3 #money-explained { "How each figure was computed" }
        p { "Open a figure to see the engine's steps: the figures it started from, the result and the authority." }
        div.figures.money {
            @for (s, k) in m.sales.iter().zip(&sale_keys) {
                (money_figure(r, std::slice::from_ref(k), &format!("Sale of {}: to the exchange funds", s.id), &fmt::usd(s.to_exchange_funds), ""))
            }
            @for (p, k) in m.purchases.iter().zip(&purchase_keys) {
                (money_figure(r, std::slice::from_ref(k), &format!("Purchase of {}: from the exchange funds", p.id), &fmt::usd(p.from_exchange_funds), ""))
            }
            (money_figure(r, &sale_keys, "Into exchange funds", &fmt::usd(m.exchange_funds_in), "The total of what each sale sent to the exchange funds:"))
            (money_figure(r, &purchase_keys, "Out to purchases", &fmt::usd(m.exchange_funds_out), "The total of what each purchase took from the exchange funds:"))
            (money_figure(r, &returned, "Returned to the taxpayer", &fmt::usd(m.returned_to_taxpayer), "What is left after the purchases goes back to the taxpayer at the end of the exchange (taxable boot):"))
            details.figure {
                summary { span.label { "Unexplained difference" } span.value { (fmt::usd(m.gap)) } }
                p.note { (gap_note) }
                @let all: Vec<String> = sale_keys.iter().chain(&purchase_keys).chain(&returned).cloned().collect();
                ol.steps { @for s in r.explanation.iter().filter(|s| all.iter().any(|k| *k == s.key)) { (step(s)) } }
            }
        }
    }
}

const LINES: [(&str, &str); 14] = [
    ("12", "Fair market value of other property given up"),
    ("13", "Adjusted basis of other property given up"),
    ("14", "Gain or (loss) on other property given up"),
    (
        "15",
        "Cash and other property received, plus net liabilities assumed by the other party, less exchange expenses",
    ),
    ("16", "Fair market value of like-kind property received"),
    ("17", "Add lines 15 and 16"),
    (
        "18",
        "Adjusted basis of like-kind property given up, net amounts paid, and exchange expenses not used on line 15",
    ),
    ("19", "Realized gain or (loss)"),
    (
        "20",
        "Smaller of line 15 or line 19, but not less than zero",
    ),
    ("21", "Ordinary income under recapture rules"),
    ("22", "Line 20 less line 21"),
    ("23", "Recognized gain"),
    ("24", "Deferred gain or (loss)"),
    ("25", "Basis of like-kind property received"),
];

fn line_value(r: &Report, n: &str) -> rust_decimal::Decimal {
    let l = &r.form_8824;
    match n {
        "12" => l.line_12,
        "13" => l.line_13,
        "14" => l.line_14,
        "15" => l.line_15,
        "16" => l.line_16,
        "17" => l.line_17,
        "18" => l.line_18,
        "19" => l.line_19,
        "20" => l.line_20,
        "21" => l.line_21,
        "22" => l.line_22,
        "23" => l.line_23,
        "24" => l.line_24,
        _ => l.line_25,
    }
}

fn sev_word(s: likekind_core::findings::Severity) -> (&'static str, &'static str) {
    match s {
        likekind_core::findings::Severity::Error => ("Problem", "error"),
        likekind_core::findings::Severity::Warning => ("Warning", "warning"),
        likekind_core::findings::Severity::Info => ("Note", "info"),
    }
}

/// Posting kinds in words.
pub fn posting_word(k: likekind_store::PostingKind) -> &'static str {
    use likekind_store::PostingKind as K;
    match k {
        K::Receipt => "Sale proceeds received",
        K::Disbursement => "Paid to a purchase closing",
        K::Fee => "Intermediary fee",
        K::Interest => "Interest earned",
        K::Release => "Released to the taxpayer",
    }
}

/// The answer to a form posted from the exchange page: back to the page at `anchor` when it
/// was done; the error page when the person may not see or do it; otherwise the page again
/// with the refusal (`flash`) shown where the form is.
pub async fn back_to_page<T>(
    st: &AppState,
    w: &Web,
    id: &str,
    anchor: &str,
    done: ApiResult<T>,
    flash: impl FnOnce(&ApiError) -> Flash,
) -> Response {
    let e = match done {
        Ok(_) => return Redirect::to(&format!("/exchanges/{id}#{anchor}")).into_response(),
        Err(e)
            if e.status == axum::http::StatusCode::NOT_FOUND
                || e.status == axum::http::StatusCode::FORBIDDEN =>
        {
            return from_api(e);
        }
        Err(e) => e,
    };
    match load_all(st, w, id).await {
        Ok(l) => (e.status, render_with(w, &l, &flash(&e))).into_response(),
        Err(e2) => from_api(e2),
    }
}

/// The answer to a form of the identification or documents parts of the page (see
/// [`back_to_page`]).
pub async fn back(st: &AppState, w: &Web, p: Posted) -> Response {
    match p.refused {
        None => back_to_page(st, w, &p.id, p.anchor, Ok(()), |_| Flash::default()).await,
        Some((e, flash)) => {
            back_to_page(st, w, &p.id, p.anchor, Err::<(), _>(e), move |_| flash).await
        }
    }
}

/// `POST /exchanges/{id}/notices/{nid}/sign` (see [`crate::identify::sign`]).
pub async fn sign_post(
    State(st): State<AppState>,
    w: Web,
    Path((id, nid)): Path<(String, String)>,
    Form(f): Form<crate::identify::SignForm>,
) -> Response {
    match crate::identify::sign(&st, &w, id, nid, f).await {
        Ok(p) => back(&st, &w, p).await,
        Err(r) => r,
    }
}

/// `POST /exchanges/{id}/notices/{nid}/revoke` (see [`crate::identify::revoke`]).
pub async fn revoke_post(
    State(st): State<AppState>,
    w: Web,
    Path((id, nid)): Path<(String, String)>,
    Form(f): Form<crate::identify::RevokeForm>,
) -> Response {
    match crate::identify::revoke(&st, &w, id, nid, f).await {
        Ok(p) => back(&st, &w, p).await,
        Err(r) => r,
    }
}

/// `POST /exchanges/{id}/documents` (see [`crate::documents::upload`]).
pub async fn upload_post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let p = crate::documents::upload(&st, &w, &id, mp).await;
    back(&st, &w, p).await
}

/// The exchange page body.
pub fn render(w: &Web, l: &Loaded) -> Markup {
    render_with(w, l, &Flash::default())
}

/// The exchange page, with the errors of a refused form where that form is.
pub fn render_with(w: &Web, l: &Loaded, flash: &Flash) -> Markup {
    let r = &l.report;
    let judged = exchanges::judge(&l.file);
    let phase = exchanges::phase_of(&l.ex, &judged, l.today);
    let closed = matches!(
        l.ex.phase,
        likekind_store::Phase::Completed | likekind_store::Phase::Failed
    );
    let status = status_of(&l.ex, Some(&l.file), l.today);
    let id = &l.ex.id;
    shell(
        &l.ex.name,
        Some(w),
        html! {
            nav.crumbs aria-label="Breadcrumb" { a href="/" { "Dashboard" } " › " span { (l.ex.name) } }
            h1 { (l.ex.name) }
            p.lead {
                @if closed {
                    span.badge #status { "Closed: " (fmt::status(status)) } " "
                    span #phase { "(the engine's phase: " (fmt::status(phase)) ")" } " · "
                } @else {
                    span.badge #status { (fmt::status(status)) } " "
                }
                (l.file.taxpayer.name) " (" (l.file.taxpayer.entity.as_str().replace('_', " ")) ") · funds held by the intermediary: "
                strong { (fmt::cents(l.ex.balance_cents)) }
            }
            nav.sections aria-label="Sections of this page" {
                a href="#summary" { "Summary" }
                @if w.is_qi() { a href="#act-h" { "Record" } }
                a href="#money" { "Money" }
                a href="#form-8824" { "Form 8824" }
                a href="#identification" { "Identification" }
                a href="#ledger" { "Ledger" }
                a href="#documents" { "Documents" }
                a href="#findings" { "Findings" }
            }
            nav.actions aria-label="Exchange actions" {
                @if w.role() == Role::Client || w.is_qi() { a.button href={ "/exchanges/" (id) "/identify" } { "Identify replacement property" } }
                a.button.secondary href={ "/exchanges/" (id) "/ledger" } { "QI ledger" }
                a.button.secondary href={ "/exchanges/" (id) "/plan" } { "Planner" }
                @if w.is_staff() { a.button.secondary href={ "/exchanges/" (id) "/audit" } { "Audit log" } }
                @if w.is_staff() { a.button.secondary href={ "/exchanges/" (id) "/edit" } { "Edit the facts" } }
                a.button.secondary href={ "/exchanges/" (id) "/export/file" } download { "Export file (JSON)" }
                a.button.secondary href={ "/exchanges/" (id) "/export/report" } download { "JSON report" }
                (crate::pdf::exchange_links(id, !l.file.identified.is_empty()))
                a.button.secondary href={ "/exchanges/" (id) "/export/ics" } download { "This exchange's calendar (ICS)" }
                a.button.secondary href={ "/exchanges/" (id) "/export/feed" } download { "All my deadlines (ICS)" }
            }
            section #summary aria-labelledby="tl-h" {
                h2 #tl-h { "Summary and timeline" }
                (coordinator_block(w, l, flash.coordinator.as_ref()))
                @if let Some(d) = &r.deadlines {
                    div.figures {
                        (explained(r, "deadlines.identification_end", "Identification ends (day 45)", &fmt::date(d.identification_end)))
                        (explained(r, "deadlines.day_180", "Day 180", &fmt::date(d.day_180)))
                        (explained(r, "deadlines.return_due_date", "Return due date", &fmt::date(d.return_due_date)))
                        (explained(r, "deadlines.exchange_end", "Exchange period ends", &fmt::date(d.exchange_end)))
                    }
                }
                (crate::timeline::render(&l.file, r.deadlines.as_ref(), l.today))
            }
            @if w.is_qi() { (actions(w, l, flash.sale.as_ref())) (closing(w, l, &judged, phase, closed, flash.close.as_ref())) }
            section #money aria-labelledby="money-h" {
                h2 #money-h { "The money" }
                h3 #sales-h { "Sales (relinquished property)" }
                div.scroll tabindex="0" role="region" aria-label="Sales, table" { table {
                    thead { tr { th scope="col" { "Property" } th.num scope="col" { "Sale price" } th.num scope="col" { "Debt paid off" } th.num scope="col" { "Exchange expenses" } th.num scope="col" { "Other costs" } th.num scope="col" { "Cash to you" } th.num scope="col" { "To exchange funds" } } }
                    tbody { @for s in &r.money.sales { tr {
                        th scope="row" { (s.id) } td.num { (fmt::usd(s.sale_price)) } td.num { (fmt::usd(s.liabilities_relieved)) }
                        td.num { (fmt::usd(s.exchange_expenses)) } td.num { (fmt::usd(s.other_closing_costs)) }
                        td.num { (fmt::usd(s.cash_received)) } td.num { (fmt::usd(s.to_exchange_funds)) }
                    } } }
                } }
                h3 #purchases-h { "Purchases (replacement property)" }
                @if r.money.purchases.is_empty() { p.empty { "No purchase recorded yet." } } @else {
                    div.scroll tabindex="0" role="region" aria-label="Purchases, table" { table {
                        thead { tr { th scope="col" { "Property" } th.num scope="col" { "Price" } th.num scope="col" { "New debt" } th.num scope="col" { "Your own cash" } th.num scope="col" { "Exchange expenses" } th.num scope="col" { "From exchange funds" } } }
                        tbody { @for p in &r.money.purchases { tr {
                            th scope="row" { (p.id) } td.num { (fmt::usd(p.price)) } td.num { (fmt::usd(p.liabilities_assumed)) }
                            td.num { (fmt::usd(p.cash_paid)) @if p.cash_paid_inferred { " " small { "(inferred)" } } }
                            td.num { (fmt::usd(p.exchange_expenses)) } td.num { (fmt::usd(p.from_exchange_funds)) }
                        } } }
                    } }
                }
                table.compact.balance {
                    caption { "Exchange funds, balanced" }
                    tbody {
                        tr { th scope="row" { "Into exchange funds" } td.num { (fmt::usd(r.money.exchange_funds_in)) } }
                        tr { th scope="row" { "Out to purchases" } td.num { (fmt::usd(r.money.exchange_funds_out)) } }
                        tr { th scope="row" { "Returned to the taxpayer" } td.num { (fmt::usd(r.money.returned_to_taxpayer)) } }
                        tr { th scope="row" { "Unexplained difference" } td.num { (fmt::usd(r.money.gap)) } }
                    }
                }
                p { @if r.money.is_balanced() { "The money balances." } @else { strong { "The money does not balance: check the figures." } } }
                (money_explained(r))
            }
            section #form-8824 aria-labelledby="f-h" {
                h2 #f-h { "Form 8824" }
                @let q = &r.qualification;
                p #verdict { strong { "Outcome: " (q.outcome.words()) ". " } (q.summary) }
                @if !q.form_8824_filed {
                    p #not-filed { strong { "Form 8824 is not filed." } " Report the sale on " (q.reported_on) ". The lines below show the sale's figures for reference only." }
                }
                (part_i(r))
                (part_ii(r))
                h3 #p3-h { "Part III: realized gain or (loss), recognized gain, and basis of like-kind property received" }
                p { "Open a line to see how it was computed and under what authority." }
                div.figures.form {
                    @for (n, label) in LINES {
                        (explained(r, &format!("form_8824.line_{n}"), &format!("Line {n}. {label}"), &fmt::usd(line_value(r, n))))
                    }
                }
                @if !r.replacement_basis.is_empty() {
                    h3 #basis-h { "Basis of each property received" }
                    div.scroll tabindex="0" role="region" aria-label="Basis of each property received, table" { table {
                        thead { tr { th scope="col" { "Property" } th scope="col" { "Like-kind?" } th.num scope="col" { "Fair market value" } th.num scope="col" { "Basis" } } }
                        tbody { @for b in &r.replacement_basis { tr {
                            td { (b.id) }
                            td { @if b.like_kind { "Yes" } @else { "No: " (b.reason.as_deref().unwrap_or("other property received")) } }
                            td.num { (fmt::usd(b.fmv)) }
                            td.num { (fmt::usd(b.basis)) }
                        } } }
                    } }
                }
            }
            section #identification aria-labelledby="id-h" {
                h2 #id-h { "Identification" }
                @if let Some(i) = &r.identification {
                    p #id-verdict { @if i.valid { "Valid identification under the " strong { (crate::identify::rule_word(i.rule)) } "." } @else { strong { "No valid identification." } } }
                } @else {
                    p #id-verdict { strong { "No identification in force." } }
                }
                (crate::identify::notices_list_with(w, &l.ex, &l.notices, flash.sign.as_ref()))
                (crate::identify::revocations(w, l, flash.revoke.as_ref()))
            }
            section #ledger aria-labelledby="ledger-h" {
                h2 #ledger-h { "QI ledger" }
                p.tools {
                    a href={ "/exchanges/" (id) "/ledger" } { "Open the ledger" } " · "
                    a #csv-ledger href={ "/exchanges/" (id) "/ledger.csv" } download { "Download the ledger (CSV)" }
                }
                (ledger_table(&l.postings, l.ex.balance_cents))
            }
            (crate::documents::section(w, id, &l.documents, flash.documents.as_ref(), l.upload_limit))
            section #findings aria-labelledby="find-h" {
                h2 #find-h { "Findings" }
                @if r.findings.is_empty() { p.empty { "No findings: nothing the engine checks is wrong." } }
                ul.findings { @for f in &r.findings {
                    @let (word, cls) = sev_word(f.severity);
                    li class={ "sev-" (cls) } { details {
                        summary { span.badge { (word) } " " strong { (fmt::code(&f.code)) } ": " (fmt::words(&f.message)) }
                        p { "Authority: " (f.authority) }
                        @if let Some(p) = &f.path { p { "About: " (fmt::field(p)) } }
                    } }
                } }
            }
        },
    )
}

/// The coordinator assigned to the exchange, and (for staff) the form that assigns one.
fn coordinator_block(w: &Web, l: &Loaded, err: Option<&Markup>) -> Markup {
    let now = l
        .coordinator
        .as_ref()
        .map(|(id, _)| id.as_str())
        .unwrap_or("");
    html! {
        @if w.is_staff() {
            form.inline-form #coordinator method="post" action={ "/exchanges/" (l.ex.id) "/coordinator" } {
                (csrf(w))
                @if let Some(e) = err { (e) }
                label for="f-coordinator" { "Assigned coordinator" }
                select #f-coordinator name="coordinator_id" {
                    option value="" selected[now.is_empty()] { "Nobody assigned" }
                    @for (id, name) in &l.coordinators { option value=(id) selected[now == id] { (name) } }
                }
                " "
                button.secondary type="submit" { "Assign" }
            }
        } @else {
            p #coordinator { "Your coordinator: " (l.coordinator.as_ref().map(|(_, n)| n.as_str()).unwrap_or("not assigned yet")) "." }
        }
    }
}

/// Form 8824 Part I (lines 1 to 7), from the engine's report.
fn part_i(r: &Report) -> Markup {
    let p = &r.form_8824_part_i;
    let day = |d: Option<Date>| d.map_or_else(|| "Not yet".to_string(), fmt::date);
    let none = |s: &str| {
        if s.is_empty() {
            "None".to_string()
        } else {
            s.to_string()
        }
    };
    let rows: [(&str, &str, String); 7] = [
        (
            "1",
            "Description of like-kind property given up",
            none(&p.line_1),
        ),
        (
            "2",
            "Description of like-kind property received",
            none(&p.line_2),
        ),
        (
            "3",
            "Date like-kind property given up was originally acquired",
            day(p.line_3),
        ),
        (
            "4",
            "Date you actually transferred your property to the other party",
            day(p.line_4),
        ),
        (
            "5",
            "Date like-kind property you received was identified by written notice to another party",
            day(p.line_5),
        ),
        (
            "6",
            "Date you actually received the like-kind property from the other party",
            day(p.line_6),
        ),
        (
            "7",
            "Was the exchange made with a related party, either directly or indirectly?",
            if p.line_7_related_party {
                "Yes (see Part II)".to_string()
            } else {
                "No".to_string()
            },
        ),
    ];
    html! {
        h3 #p1-h { "Part I: information on the like-kind exchange" }
        table.lines aria-labelledby="p1-h" {
            thead { tr { th scope="col" { "Line" } th scope="col" { "Caption" } th scope="col" { "Entry" } } }
            tbody { @for (n, caption, v) in &rows { tr { td { (n) } th scope="row" { (caption) } td { (v) } } } }
        }
    }
}

/// Form 8824 Part II (lines 8 to 11) when the exchange was made with a related party.
fn part_ii(r: &Report) -> Markup {
    let Some(p) = &r.form_8824_part_ii else {
        return html! {
            h3 #p2-h { "Part II: related party exchange information" }
            p { "Not filled in: the exchange was not made with a related party (line 7 is No)." }
        };
    };
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not stated",
    };
    html! {
        h3 #p2-h { "Part II: related party exchange information" }
        table.lines aria-labelledby="p2-h" {
            thead { tr { th scope="col" { "Line" } th scope="col" { "Caption" } th scope="col" { "Entry" } } }
            tbody {
                tr { td { "8" } th scope="row" { "Name of related party" } td { (p.line_8.name) } }
                tr { td { "8" } th scope="row" { "Relationship to you" } td { (p.line_8.relationship) } }
                @if let Some(a) = &p.line_8.address { tr { td { "8" } th scope="row" { "Address" } td { (a) } } }
            }
        }
        p { "The related party must keep the property until " strong { (fmt::date(p.two_year_end)) } " (two years after the last transfer, " (fmt::date(p.last_transfer)) ")." }
        @if !p.years.is_empty() {
            table.lines aria-label="Part II, lines 9 to 11, by tax year" {
                thead { tr { th scope="col" { "Tax year ending" } th scope="col" { "Line 9: the related party disposed of the property" } th scope="col" { "Line 10: you disposed of the property" } th scope="col" { "Line 11: exception" } th.num scope="col" { "Gain recognized" } } }
                tbody { @for y in &p.years { tr {
                    th scope="row" { (fmt::date(y.tax_year_end)) }
                    td { (yes_no(y.line_9)) } td { (yes_no(y.line_10)) }
                    td { (y.line_11.map_or("None", exception_words)) }
                    td.num { (fmt::usd(y.recognized)) }
                } } }
            }
        }
    }
}

fn exception_words(e: likekind_core::model::RelatedPartyException) -> &'static str {
    use likekind_core::model::RelatedPartyException as X;
    match e {
        X::Death => "After the death of you or the related party",
        X::InvoluntaryConversion => "An involuntary conversion",
        X::NoTaxAvoidance => "No tax avoidance purpose",
    }
}

/// The assignment form.
#[derive(Debug, Deserialize)]
pub struct CoordinatorForm {
    #[serde(default)]
    pub _csrf: String,
    #[serde(default)]
    pub coordinator_id: String,
}

/// `POST /exchanges/{id}/coordinator`: staff assign the exchange's coordinator (audited).
pub async fn coordinator_post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Form(f): Form<CoordinatorForm>,
) -> Response {
    if let Err(r) = w.verify(&f._csrf) {
        return r;
    }
    let c = (!f.coordinator_id.is_empty()).then_some(f.coordinator_id.as_str());
    let done = likekind_server::listing::assign(&st, &w.auth(), &id, c).await;
    back_to_page(&st, &w, &id, "summary", done, |e| Flash {
        coordinator: Some(api_error(e)),
        ..Flash::default()
    })
    .await
}

/// The ledger as a table with its running balance.
pub fn ledger_table(ps: &[PostingRow], balance: i64) -> Markup {
    html! {
        @if ps.is_empty() { p.empty { "No money has moved yet." } } @else {
            div.scroll tabindex="0" role="region" aria-label="Ledger postings, table" { table {
                thead { tr { th scope="col" { "#" } th scope="col" { "Date" } th scope="col" { "What" } th scope="col" { "By" } th scope="col" { "Memo" } th.num scope="col" { "Amount" } th.num scope="col" { "Balance" } } }
                tbody { @for p in ps { tr {
                    td { (p.seq) } td { (fmt::date_str(&p.posted_on)) @if let Some(v) = &p.value_date { br; small { "Bank value date " (fmt::date_str(v)) } } }
                    td { (posting_word(p.kind))
                        @if p.approved_by.is_some() { br; small { "Approved by a second person" } }
                        @if let Some(o) = &p.override_reason { br; small { "Released early by an administrator's override: " (o) } } }
                    td { (p.created_by_name.as_deref().unwrap_or("a former user"))
                        @if p.approved_by.is_some() { br; small { "approved by " (p.approved_by_name.as_deref().unwrap_or("a former user")) } } }
                    td { (p.memo) } td.num { (fmt::cents(p.amount_cents)) } td.num { (fmt::cents(p.balance_after_cents)) }
                } } }
                tfoot { tr { th scope="row" colspan="6" { "Balance held" } td.num { strong { (fmt::cents(balance)) } } } }
            } }
        }
    }
}

fn actions(w: &Web, l: &Loaded, err: Option<&Refused>) -> Markup {
    let id = &l.ex.id;
    let first = l.file.relinquished.iter().map(|r| r.transferred).min();
    html! {
        section aria-labelledby="act-h" {
            h2 #act-h { "Record" }
            div.cols {
                @if l.ex.phase == likekind_store::Phase::Draft {
                    form.card method="post" action={ "/exchanges/" (id) "/closed" } {
                        h3 { "The sale closed" }
                        p { "Starts the 45- and 180-day clocks in the tracker." }
                        @if let Some(e) = err { (refused_box(e)) }
                        (csrf(w))
                        (field_in(err, "Closing date", "on_date", "date", &first.map(|d| d.to_string()).unwrap_or_default(), None))
                        button type="submit" { "Record the sale closing" }
                    }
                }
                @if l.ex.phase == likekind_store::Phase::RelinquishedClosed {
                    (purchase_form(w, l, &PurchaseForm::default(), None))
                }
            }
        }
    }
}

/// Closing the exchange as completed or failed, with the engine's verdict beside the choice;
/// reopening a closed one for a reason.
fn closing(
    w: &Web,
    l: &Loaded,
    j: &exchanges::Judged,
    phase: &str,
    closed: bool,
    err: Option<&Refused>,
) -> Markup {
    let id = &l.ex.id;
    let agrees = j.outcome.map_or("failed", |o| {
        if o == likekind_core::qualification::Outcome::TaxableSale {
            "failed"
        } else {
            "completed"
        }
    });
    html! {
        section #close aria-labelledby="close-h" {
            @if closed {
                h2 #close-h { "Reopen the exchange" }
                p { "Closed as " strong { (fmt::status(l.ex.phase.as_str()).to_lowercase()) } ". By the engine it is " strong { (fmt::status(phase).to_lowercase()) } "." }
                @if let Some(e) = err { (refused_box(e)) }
                form.card method="post" action={ "/exchanges/" (id) "/reopen" } {
                    (csrf(w))
                    (field_in(err, "Why reopen it", "reason", "text", "", Some("Required: kept in the audit log")))
                    button type="submit" { "Reopen" }
                }
            } @else {
                h2 #close-h { "Close the exchange" }
                div.cols {
                    div #engine-verdict {
                        h3 { "The engine's verdict" }
                        @if let Some(o) = j.outcome {
                            p { strong { (o.words()) } ". " (j.summary) }
                        } @else {
                            p { (j.summary) }
                        }
                        p { "Phase today: " strong { (fmt::status(phase)) } ". The engine agrees with closing it as " strong { (agrees) } "." }
                        @if l.ex.balance_cents != 0 {
                            p { strong { "The ledger still holds " (fmt::cents(l.ex.balance_cents)) } ": pay it out before closing." }
                        }
                    }
                    form.card method="post" action={ "/exchanges/" (id) "/close" } {
                        @if let Some(e) = err { (refused_box(e)) }
                        (csrf(w))
                        input type="hidden" name="version" value=(l.ex.version);
                        (field_in(err, "Reason (optional)", "reason", "text", "", None))
                        button type="submit" name="as" value="completed" class=(if agrees == "completed" { "" } else { "secondary" }) { "Close as completed" } " "
                        button type="submit" name="as" value="failed" class=(if agrees == "failed" { "" } else { "secondary" }) { "Close as failed" }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CloseForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default, rename = "as")]
    pub as_: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: Option<i64>,
}

/// `POST /exchanges/{id}/close`: the API's closing.
pub async fn close_post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Form(f): Form<CloseForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let done = async {
        let how = match f.as_.as_str() {
            "completed" => exchanges::CloseAs::Completed,
            "failed" => exchanges::CloseAs::Failed,
            _ => {
                return Err(ApiError::field(
                    "as",
                    "choice",
                    "choose to close it as completed or as failed",
                ));
            }
        };
        exchanges::close_exchange(
            State(st.clone()),
            w.auth(),
            P(id.clone()),
            JsonBody(exchanges::CloseReq {
                as_: how,
                reason: f.reason.clone(),
                version: f.version,
            }),
        )
        .await
    }
    .await;
    back_to_page(&st, &w, &id, "close-h", done, |e| Flash {
        close: Some(Refused::of(e, &[("reason", "reason")])),
        ..Default::default()
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct ReopenForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub reason: String,
}

/// `POST /exchanges/{id}/reopen`: the API's reopening.
pub async fn reopen_post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Form(f): Form<ReopenForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let done = exchanges::reopen_exchange(
        State(st.clone()),
        w.auth(),
        P(id.clone()),
        JsonBody(exchanges::ReopenReq {
            reason: f.reason.clone(),
        }),
    )
    .await;
    back_to_page(&st, &w, &id, "close-h", done, |e| Flash {
        close: Some(Refused::of(e, &[("reason", "reason")])),
        ..Default::default()
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct EditForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub override_reason: String,
}

fn edit_body(w: &Web, ex: &ExchangeRow, f: &EditForm, err: Option<&Refused>) -> Markup {
    let file = mark(err, "file", "f-file", None);
    html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/" { "Dashboard" } " › " a href={ "/exchanges/" (ex.id) } { (ex.name) } " › " span { "Edit the facts" } }
        h1 { "Edit the facts of " (ex.name) }
        p.lead { "Names, dates, amounts and properties, as the exchange file states them (the same file the import and the command line read). The engine checks the file as when the exchange was opened; every change is kept in the audit log with the before and after, and the phase, deadlines and alerts follow." }
        p { "Once money is on the ledger, a change other than recording a receipt that would let the funds go to the taxpayer earlier is refused: only an administrator may make it, with a written reason." }
        @if let Some(e) = err { (refused_box(e)) }
        form.card #editform method="post" action={ "/exchanges/" (ex.id) "/edit" } {
            (csrf(w))
            input type="hidden" name="version" value=(f.version);
            (field_in(err, "Exchange name", "name", "text", &f.name, None))
            div.field.invalid[file.invalid.is_some()] {
                label for="f-file" { "The exchange file (JSON)" }
                textarea #f-file name="file" rows="24" spellcheck="false" aria-invalid=[file.invalid] aria-describedby=[file.described] { (f.file) }
                (file.problem)
            }
            @if w.role() == Role::Admin {
                (field_in(err, "Administrator's reason to override the release guard (only if needed)", "override_reason", "text", &f.override_reason, None))
            }
            button type="submit" { "Save the changes" }
        }
    }
}

/// `GET /exchanges/{id}/edit` (staff).
pub async fn edit_form(State(st): State<AppState>, w: Web, Path(id): Path<String>) -> Response {
    if !w.is_staff() {
        return from_api(ApiError::forbidden("only staff edit an exchange's facts"));
    }
    let r = async {
        let ex = load(&st, &w.auth(), &id).await?;
        let file =
            serde_json::to_string_pretty(&file_of(&ex)?).map_err(|_| ApiError::internal())?;
        Ok::<_, ApiError>((ex, file))
    }
    .await;
    match r {
        Ok((ex, file)) => {
            let f = EditForm {
                version: ex.version,
                name: ex.name.clone(),
                file,
                ..EditForm::default()
            };
            shell("Edit the facts", Some(&w), edit_body(&w, &ex, &f, None)).into_response()
        }
        Err(e) => from_api(e),
    }
}

/// `POST /exchanges/{id}/edit`: the API's change of the exchange file.
pub async fn edit_post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Form(f): Form<EditForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let done = async {
        let file: serde_json::Value = serde_json::from_str(&f.file).map_err(|e| {
            ApiError::field(
                "file",
                "json",
                format!("the exchange file is not valid JSON: {e}"),
            )
        })?;
        let reason = f.override_reason.trim();
        exchanges::patch_exchange(
            State(st.clone()),
            w.auth(),
            P(id.clone()),
            JsonBody(PatchExchangeReq {
                version: f.version,
                name: Some(f.name.clone()),
                client_id: None,
                file: Some(file),
                override_reason: (!reason.is_empty()).then(|| reason.to_string()),
            }),
        )
        .await
    }
    .await;
    match done {
        Ok(_) => Redirect::to(&format!("/exchanges/{id}")).into_response(),
        Err(e)
            if e.status == axum::http::StatusCode::NOT_FOUND
                || e.status == axum::http::StatusCode::FORBIDDEN =>
        {
            from_api(e)
        }
        Err(e) => match load(&st, &w.auth(), &id).await {
            Ok(ex) => (
                e.status,
                shell(
                    "Edit the facts",
                    Some(&w),
                    edit_body(&w, &ex, &f, Some(&edit_refusal(&e))),
                ),
            )
                .into_response(),
            Err(e2) => from_api(e2),
        },
    }
}

/// A refused edit: the file's problems (any path in the exchange file) on the file's input.
fn edit_refusal(e: &ApiError) -> Refused {
    let paths: Vec<(&str, &str)> = e
        .detail
        .fields
        .iter()
        .map(|f| match f.path.as_str() {
            "name" => ("name", "name"),
            "override_reason" => ("override_reason", "override_reason"),
            p if p == "file" || p.starts_with("file.") || p.starts_with("file[") => (p, "file"),
            p => (p, ""),
        })
        .collect();
    Refused::of(e, &paths)
}

/// The purchase (replacement) form.
pub fn purchase_form(w: &Web, l: &Loaded, f: &PurchaseForm, err: Option<&Refused>) -> Markup {
    let rid = mark(err, "rid", "f-rid", None);
    html! {
        form.card #purchase method="post" action={ "/exchanges/" (l.ex.id) "/purchase" } {
            h3 { "A purchase closed" }
            @if let Some(e) = err { (refused_box(e)) }
            (csrf(w))
            div.field.invalid[rid.invalid.is_some()] {
                label for="f-rid" { "Property (as identified)" }
                select #f-rid name="rid" aria-invalid=[rid.invalid] aria-describedby=[rid.described] {
                    @for i in &l.file.identified { option value=(i.id) selected[f.rid == i.id] { (i.id) ": " (i.description) } }
                }
                (rid.problem)
            }
            (field_in(err, "State (two letters) or foreign:XX", "location", "text", &f.location, None))
            (field_in(err, "Closing date", "received", "date", &f.received, None))
            (field_in(err, "Price", "price", "text", &f.price, Some("In dollars, e.g. 1,250,000.00")))
            (field_in(err, "New debt on the property", "liabilities", "text", &f.liabilities, None))
            (field_in(err, "Exchange expenses at this closing", "expenses", "text", &f.expenses, None))
            button type="submit" { "Record the purchase" }
        }
    }
}

/// `GET /exchanges/{id}`.
pub async fn page(State(st): State<AppState>, w: Web, Path(id): Path<String>) -> Response {
    match load_all(&st, &w, &id).await {
        Ok(l) => render(&w, &l).into_response(),
        Err(e) => from_api(e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DateForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub on_date: String,
}

fn parse_date(path: &str, s: &str) -> ApiResult<Date> {
    s.trim().parse::<Date>().map_err(|_| {
        ApiError::field(
            path,
            "date",
            "enter a date (the browser's date picker, or YYYY-MM-DD)",
        )
    })
}

async fn event(
    st: &AppState,
    w: &Web,
    id: &str,
    kind: EventKind,
    on: Date,
    note: &str,
) -> ApiResult<()> {
    exchanges::add_event(
        State(st.clone()),
        w.auth(),
        P(id.to_string()),
        JsonBody(EventReq {
            kind,
            on_date: on,
            note: note.to_string(),
        }),
    )
    .await
    .map(|_| ())
}

/// Records that the sale closed (the API's lifecycle event).
pub async fn sale_closed_post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Form(f): Form<DateForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let r = async {
        let on = parse_date("on_date", &f.on_date)?;
        event(
            &st,
            &w,
            &id,
            EventKind::RelinquishedClosed,
            on,
            "sale closed",
        )
        .await
    }
    .await;
    match r {
        Ok(()) => Redirect::to(&format!("/exchanges/{id}")).into_response(),
        Err(e) => {
            back_to_page(&st, &w, &id, "act-h", Err::<(), _>(e), |e| Flash {
                sale: Some(Refused::of(e, &[("on_date", "on_date")])),
                ..Default::default()
            })
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PurchaseForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub rid: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub received: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub liabilities: String,
    #[serde(default)]
    pub expenses: String,
}

fn money(path: &str, s: &str) -> ApiResult<rust_decimal::Decimal> {
    parse_usd(s).map_err(|m| ApiError::field(path, "money", m))
}

/// Records a purchase: the replacement goes into the exchange file (the API's update, with
/// its validation), and the closing into the lifecycle.
pub async fn purchase_post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Form(f): Form<PurchaseForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let r = async {
        let ex = load(&st, &w.auth(), &id).await?;
        let mut file = file_of(&ex)?;
        // Every problem of the form at once.
        let mut errs: Vec<likekind_server::error::FieldError> = Vec::new();
        let mut take = |e: ApiError| errs.extend(e.detail.fields);
        let received = parse_date("received", &f.received).map_err(&mut take).ok();
        let price = money("price", &f.price).map_err(&mut take).ok();
        let liabilities = money("liabilities", &f.liabilities).map_err(&mut take).ok();
        let expenses = money("expenses", &f.expenses).map_err(&mut take).ok();
        let (Some(received), Some(price), Some(liabilities), Some(expenses)) =
            (received, price, liabilities, expenses)
        else {
            return Err(ApiError::fields("the purchase has problems", errs));
        };
        let desc = file
            .identified
            .iter()
            .find(|i| i.id == f.rid)
            .map(|i| i.description.clone())
            .unwrap_or_default();
        let rep: Replacement = serde_json::from_value(serde_json::json!({
            "id": f.rid.trim(),
            "description": desc,
            "location": f.location.trim().to_uppercase().replace("FOREIGN:", "foreign:"),
            "received": received.to_string(),
            "price": price.to_string(),
            "liabilities_assumed": liabilities.to_string(),
            "exchange_expenses": expenses.to_string(),
        }))
        .map_err(|e| ApiError::field("replacement", "type", e.to_string()))?;
        file.replacement.push(rep);
        let v = serde_json::to_value(&file).map_err(|_| ApiError::internal())?;
        let _ = exchanges::patch_exchange(
            State(st.clone()),
            w.auth(),
            P(id.clone()),
            JsonBody(PatchExchangeReq {
                version: ex.version,
                name: None,
                client_id: None,
                file: Some(v),
                override_reason: None,
            }),
        )
        .await?;
        event(
            &st,
            &w,
            &id,
            EventKind::ReplacementClosed,
            received,
            &format!("purchase of {}", f.rid),
        )
        .await
    }
    .await;
    match r {
        Ok(()) => Redirect::to(&format!("/exchanges/{id}")).into_response(),
        Err(e) => match load_all(&st, &w, &id).await {
            Ok(l) => (
                e.status,
                shell(
                    "Record a purchase",
                    Some(&w),
                    html! {
                        h1 { "Record a purchase for " (l.ex.name) }
                        (purchase_form(&w, &l, &f, Some(&purchase_refusal(&e, l.file.replacement.len()))))
                    },
                ),
            )
                .into_response(),
            Err(e2) => from_api(e2),
        },
    }
}

/// A refused purchase, each problem on its input (the API names the new replacement, the
/// `n`-th, by its place in the exchange file).
fn purchase_refusal(e: &ApiError, n: usize) -> Refused {
    let mut inputs: Vec<(String, &str)> = ["received", "price", "liabilities", "expenses"]
        .into_iter()
        .map(|k| (k.to_string(), k))
        .collect();
    for (field, input) in [
        ("id", "rid"),
        ("location", "location"),
        ("received", "received"),
        ("price", "price"),
        ("liabilities_assumed", "liabilities"),
        ("exchange_expenses", "expenses"),
    ] {
        inputs.push((format!("replacement[{n}].{field}"), input));
    }
    let pairs: Vec<(&str, &str)> = inputs.iter().map(|(p, i)| (p.as_str(), *i)).collect();
    Refused::of(e, &pairs)
}

#[derive(Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub taxpayer: String,
    #[serde(default)]
    pub entity: String,
    #[serde(default)]
    pub extension_filed: Option<String>,
    #[serde(default)]
    pub rel_id: String,
    #[serde(default)]
    pub rel_description: String,
    #[serde(default)]
    pub rel_location: String,
    #[serde(default)]
    pub acquired: String,
    #[serde(default)]
    pub transferred: String,
    #[serde(default)]
    pub sale_price: String,
    #[serde(default)]
    pub adjusted_basis: String,
    #[serde(default)]
    pub depreciation: String,
    #[serde(default)]
    pub liabilities: String,
    #[serde(default)]
    pub expenses: String,
}

const ENTITIES: [(&str, &str); 6] = [
    ("individual", "Individual (Form 1040)"),
    ("partnership", "Partnership (Form 1065)"),
    ("s_corporation", "S corporation (Form 1120-S)"),
    ("c_corporation", "C corporation (Form 1120)"),
    ("trust", "Trust (Form 1041)"),
    ("estate", "Estate (Form 1041)"),
];

/// The entity select, shared with the calculator.
pub fn entity_select(selected: &str) -> Markup {
    html! {
        div.field {
            label for="f-entity" { "Taxpayer type" }
            select #f-entity name="entity" {
                @for (v, l) in ENTITIES { option value=(v) selected[selected == v] { (l) } }
            }
        }
    }
}

/// Parses an entity name from a form.
pub fn parse_entity(s: &str) -> ApiResult<Entity> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| ApiError::field("entity", "allowed_values", "choose a taxpayer type"))
}

async fn new_body(st: &AppState, w: &Web, f: &NewForm, err: Option<&Refused>) -> Markup {
    let clients: Vec<_> = crate::users::people(st, &w.user.firm_id)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|u| u.role == Role::Client)
        .collect();
    shell(
        "New exchange",
        Some(w),
        html! {
            h1 { "New exchange" }
            p.lead { "Open an exchange with the property being sold. Identification and purchases come later." }
            @if let Some(e) = err { (refused_box(e)) }
            form.card method="post" action="/exchanges/new" {
                (csrf(w))
                fieldset {
                    legend { "The exchange" }
                    (field_in(err, "Name of the exchange", "name", "text", &f.name, Some("e.g. Oak Street to Elm Plaza")))
                    div.field {
                        label for="f-client" { "Client (can see and sign in the portal)" }
                        select #f-client name="client_id" {
                            option value="" { "No client account" }
                            @for c in &clients { option value=(c.id) selected[f.client_id == c.id] { (c.name) " <" (c.email) ">" } }
                        }
                    }
                    (field_in(err, "Taxpayer name", "taxpayer", "text", &f.taxpayer, None))
                    (crate::layout::select_in(err, "Taxpayer type", "entity", &ENTITIES, &f.entity))
                    div.field.check {
                        input #f-ext type="checkbox" name="extension_filed" value="yes" checked[f.extension_filed.is_some()];
                        label for="f-ext" { "The return for the year of the sale is (or will be) extended" }
                    }
                }
                fieldset {
                    legend { "The sale (relinquished property)" }
                    (field_in(err, "Short id", "rel_id", "text", &f.rel_id, Some("A word to refer to it, e.g. oak")))
                    (field_in(err, "Description or address", "rel_description", "text", &f.rel_description, None))
                    (field_in(err, "State (two letters) or foreign:XX", "rel_location", "text", &f.rel_location, None))
                    (field_in(err, "Date acquired", "acquired", "date", &f.acquired, None))
                    (field_in(err, "Date of sale (transfer)", "transferred", "date", &f.transferred, None))
                    (field_in(err, "Sale price", "sale_price", "text", &f.sale_price, Some("In dollars, e.g. 1,000,000")))
                    (field_in(err, "Adjusted basis", "adjusted_basis", "text", &f.adjusted_basis, None))
                    (field_in(err, "Depreciation allowed", "depreciation", "text", &f.depreciation, None))
                    (field_in(err, "Debt paid off or assumed by the buyer", "liabilities", "text", &f.liabilities, None))
                    (field_in(err, "Exchange expenses (commissions, title, QI fee)", "expenses", "text", &f.expenses, None))
                }
                button type="submit" { "Open the exchange" }
            }
        },
    )
}

/// `GET /exchanges/new`.
pub async fn new_form(State(st): State<AppState>, w: Web) -> Response {
    if !w.is_staff() {
        return from_api(ApiError::forbidden("a client cannot open exchanges"));
    }
    new_body(&st, &w, &NewForm::default(), None)
        .await
        .into_response()
}

/// The new-exchange form's inputs for the API's field paths (so a refused form marks them).
pub const NEW_INPUTS: [(&str, &str); 14] = [
    ("name", "name"),
    ("taxpayer.name", "taxpayer"),
    ("taxpayer.entity", "entity"),
    ("entity", "entity"),
    ("relinquished[0].id", "rel_id"),
    ("relinquished[0].description", "rel_description"),
    ("relinquished[0].location", "rel_location"),
    ("relinquished[0].acquired", "acquired"),
    ("relinquished[0].transferred", "transferred"),
    ("relinquished[0].sale_price", "sale_price"),
    ("relinquished[0].adjusted_basis", "adjusted_basis"),
    ("relinquished[0].depreciation_allowed", "depreciation"),
    ("relinquished[0].liabilities_relieved", "liabilities"),
    ("relinquished[0].exchange_expenses", "expenses"),
];

/// The exchange file of the new-exchange form; every problem of the form at once.
fn file_from(f: &NewForm) -> ApiResult<ExchangeFile> {
    let mut errs: Vec<likekind_server::error::FieldError> = Vec::new();
    let mut take = |e: ApiError| errs.extend(e.detail.fields);
    for (path, v, what) in [
        ("name", &f.name, "a name for the exchange"),
        ("taxpayer.name", &f.taxpayer, "the taxpayer's name"),
        (
            "relinquished[0].id",
            &f.rel_id,
            "a short word for the property, e.g. oak",
        ),
        (
            "relinquished[0].description",
            &f.rel_description,
            "a description or an address",
        ),
        (
            "relinquished[0].location",
            &f.rel_location,
            "the state, e.g. CA",
        ),
        (
            "relinquished[0].sale_price",
            &f.sale_price,
            "the sale price",
        ),
        (
            "relinquished[0].adjusted_basis",
            &f.adjusted_basis,
            "the adjusted basis",
        ),
    ] {
        if v.trim().is_empty() {
            take(ApiError::field(path, "required", format!("enter {what}")));
        }
    }
    let entity = parse_entity_str(&f.entity).map_err(&mut take).ok();
    let mut date = |path: &str, v: &str| parse_date(path, v).map_err(&mut take).ok();
    let acquired = date("relinquished[0].acquired", &f.acquired);
    let transferred = date("relinquished[0].transferred", &f.transferred);
    let mut amount = |path: &str, v: &str| money(path, v).map_err(&mut take).ok();
    let sale_price = amount("relinquished[0].sale_price", &f.sale_price);
    let basis = amount("relinquished[0].adjusted_basis", &f.adjusted_basis);
    let depreciation = amount("relinquished[0].depreciation_allowed", &f.depreciation);
    let liabilities = amount("relinquished[0].liabilities_relieved", &f.liabilities);
    let expenses = amount("relinquished[0].exchange_expenses", &f.expenses);
    let (
        Some(entity),
        Some(acquired),
        Some(transferred),
        Some(sale_price),
        Some(basis),
        Some(depreciation),
        Some(liabilities),
        Some(expenses),
    ) = (
        entity,
        acquired,
        transferred,
        sale_price,
        basis,
        depreciation,
        liabilities,
        expenses,
    )
    else {
        return Err(ApiError::fields("the form has problems", errs));
    };
    if !errs.is_empty() {
        return Err(ApiError::fields("the form has problems", errs));
    }
    let v = serde_json::json!({
        "taxpayer": {
            "name": f.taxpayer.trim(),
            "entity": entity,
            "extension_filed": f.extension_filed.is_some(),
        },
        "relinquished": [{
            "id": f.rel_id.trim(),
            "description": f.rel_description.trim(),
            "location": f.rel_location.trim().to_uppercase().replace("FOREIGN:", "foreign:"),
            "acquired": acquired.to_string(),
            "transferred": transferred.to_string(),
            "sale_price": sale_price.to_string(),
            "adjusted_basis": basis.to_string(),
            "depreciation_allowed": depreciation.to_string(),
            "liabilities_relieved": liabilities.to_string(),
            "exchange_expenses": expenses.to_string(),
        }],
    });
    serde_json::from_value(v).map_err(|e| ApiError::field("file", "type", e.to_string()))
}

/// Checks an entity name from a form and returns it.
pub fn parse_entity_str(s: &str) -> ApiResult<&str> {
    parse_entity(s).map(|_| s)
}

/// Creates an exchange from an exchange file through the API's handler; the new id.
///
/// # Errors
/// The API's error.
pub async fn create(
    st: &AppState,
    w: &Web,
    name: &str,
    client: Option<String>,
    file: &ExchangeFile,
) -> ApiResult<String> {
    let v = serde_json::to_value(file).map_err(|_| ApiError::internal())?;
    let (_, axum::Json(view)) = exchanges::create_exchange(
        State(st.clone()),
        w.auth(),
        JsonBody(NewExchangeReq {
            name: name.to_string(),
            client_id: client,
            file: v,
        }),
    )
    .await?;
    Ok(view.id)
}

/// `POST /exchanges/new`.
pub async fn new_post(State(st): State<AppState>, w: Web, Form(f): Form<NewForm>) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let client = (!f.client_id.is_empty()).then(|| f.client_id.clone());
    let r = async {
        let file = file_from(&f)?;
        create(&st, &w, &f.name, client, &file).await
    }
    .await;
    match r {
        Ok(id) => Redirect::to(&format!("/exchanges/{id}")).into_response(),
        Err(e) => {
            let refused = Refused::of(&e, &NEW_INPUTS);
            (e.status, new_body(&st, &w, &f, Some(&refused)).await).into_response()
        }
    }
}
