//! The QI ledger page: postings with their running balance, the posting form, and the
//! answers of the API's rules in words: a release before the (g)(6) date refused (with the
//! date and the regulation), and a disbursement above the firm's threshold waiting for a
//! second person's approval.

use crate::exchange::load::load_all;
use crate::exchange::widgets::{ledger_table, posting_word};
use crate::fmt::{self, parse_usd};
use crate::layout::{csrf, field, from_api, shell};
use crate::session::Web;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult};
use likekind_server::extract::JsonBody;
use likekind_server::extract::P;
use likekind_server::ledger::{self, PostingReq};
use likekind_store::{ApprovalRow, PostingKind};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct PostForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub posted_on: String,
    #[serde(default)]
    pub memo: String,
    #[serde(default)]
    pub override_reason: String,
}

const KINDS: [PostingKind; 5] = [
    PostingKind::Receipt,
    PostingKind::Disbursement,
    PostingKind::Fee,
    PostingKind::Interest,
    PostingKind::Release,
];

/// The API's refusals in words.
pub fn refusal(e: &ApiError) -> Markup {
    let d = e.detail.details.as_ref();
    html! {
        div.error role="alert" {
            @match e.detail.code.as_str() {
                "release_before_allowed" => {
                    p { strong { "Refused: the money cannot go to the taxpayer yet." } }
                    @if let Some(date) = d.and_then(|d| d["earliest_allowed"].as_str()) {
                        p { "Under " (d.and_then(|d| d["authority"].as_str()).unwrap_or("Treas. Reg. §1.1031(k)-1(g)(6)"))
                            ", the intermediary may pay exchange funds to the taxpayer no earlier than "
                            strong { (fmt::date_str(date)) } ". Paying earlier would be actual or constructive receipt and could end the exchange." }
                    } @else { p { (fmt::words(&e.detail.message)) } }
                    p { "An administrator may release anyway by giving a written reason, which is kept with the posting and in the audit log." }
                }
                "insufficient_funds" => { p { strong { "Refused: there is not enough money held for this exchange." } } p { (fmt::words(&e.detail.message)) } }
                _ => {
                    p { strong { "Not posted: " } (fmt::words(&e.detail.message)) }
                    @if !e.detail.fields.is_empty() { ul { @for f in &e.detail.fields { li { (fmt::words(&f.message)) } } } }
                }
            }
        }
    }
}

fn approvals(w: &Web, id: &str, aps: &[ApprovalRow]) -> Markup {
    html! {
        @if !aps.is_empty() {
            h2 { "Second approvals" }
            ul.approvals { @for a in aps {
                li {
                    (posting_word(a.kind)) " of " strong { (fmt::cents(a.amount_cents)) } " on " (fmt::date_str(&a.posted_on)) ": "
                    @match a.status.as_str() {
                        "pending" => {
                            "waiting for a second person's approval (it is above the firm's limit for one signature)."
                            @if w.is_qi() && a.requested_by != w.user.id {
                                form.inline method="post" action={ "/exchanges/" (id) "/approvals/" (a.id) "/approve" } { (csrf(w)) button type="submit" { "Approve" } }
                                form.inline method="post" action={ "/exchanges/" (id) "/approvals/" (a.id) "/reject" } { (csrf(w)) button.secondary type="submit" { "Reject" } }
                            } @else if a.requested_by == w.user.id {
                                " You asked for it, so someone else must approve it."
                            }
                        }
                        "approved" => { "approved by a second person and paid." }
                        _ => { "rejected by a second person; nothing was paid." }
                    }
                }
            } }
        }
    }
}

async fn render(
    st: &AppState,
    w: &Web,
    id: &str,
    f: &PostForm,
    msg: Option<Markup>,
) -> ApiResult<Markup> {
    let l = load_all(st, w, id).await?;
    let aps = st.store.list_approvals(&w.user.firm_id, id).await?;
    let release = ledger::release_of(&l.file, l.today).ok();
    let threshold = st
        .store
        .get_firm(&w.user.firm_id)
        .await?
        .approval_threshold_cents;
    Ok(shell(
        "QI ledger",
        Some(w),
        html! {
            nav.crumbs aria-label="Breadcrumb" { a href="/" { "Dashboard" } " › " a href={ "/exchanges/" (id) } { (l.ex.name) } " › " span { "QI ledger" } }
            h1 { "QI ledger: " (l.ex.name) }
            p.lead { "Funds held: " strong { (fmt::cents(l.ex.balance_cents)) } "."
                @if let Some(r) = &release { " Exchange funds may be released to the taxpayer from " strong { (fmt::date(r.earliest)) } " (" (r.authority) ")." } }
            @if w.is_staff() {
                p #threshold { "Disbursements above " strong { (fmt::cents(threshold)) } " need a second person's approval."
                    @if w.is_admin() { " " a href="/firm" { "Change the threshold" } } }
            }
            @if let Some(m) = msg { (m) }
            (ledger_table(&l.postings, l.ex.balance_cents))
            (crate::pdf::statement_link(id))
            p { a.button.secondary #csv-ledger href={ "/exchanges/" (id) "/ledger.csv" } download { "Download the ledger (CSV)" } }
            (approvals(w, id, &aps))
            @if w.is_qi() {
                form.card method="post" action={ "/exchanges/" (id) "/ledger" } {
                    h2 { "Post to the ledger" }
                    (csrf(w))
                    div.field {
                        label for="f-kind" { "What happened" }
                        select #f-kind name="kind" { @for k in KINDS { option value=(k.as_str()) selected[f.kind == k.as_str()] { (posting_word(k)) } } }
                    }
                    (field("Amount", "amount", "text", &f.amount, Some("In dollars, e.g. 250,000.00")))
                    (field("Bank value date (optional)", "posted_on", "date", &f.posted_on, Some("Leave empty: the posting takes effect today. If the bank moved the money earlier, its value date, at most 30 days ago.")))
                    (field("Memo", "memo", "text", &f.memo, None))
                    @if w.is_admin() {
                        (field("Override reason (administrators, early releases only)", "override_reason", "text", &f.override_reason, Some("Leave empty unless you release before the allowed date on purpose.")))
                    }
                    button type="submit" { "Post" }
                }
            }
        },
    ))
}

/// `GET /exchanges/{id}/ledger`.
pub async fn page_get(st: &AppState, w: &Web, id: &str) -> Response {
    match render(st, w, id, &PostForm::default(), None).await {
        Ok(m) => m.into_response(),
        Err(e) => from_api(e),
    }
}

/// `GET /exchanges/{id}/ledger`.
pub async fn page(State(st): State<AppState>, w: Web, Path(id): Path<String>) -> Response {
    page_get(&st, &w, &id).await
}

fn req(f: &PostForm) -> ApiResult<PostingReq> {
    let kind = PostingKind::parse(&f.kind)
        .ok_or_else(|| ApiError::field("kind", "allowed_values", "choose what happened"))?;
    let amount = parse_usd(&f.amount).map_err(|m| ApiError::field("amount", "money", m))?;
    let posted_on = match f.posted_on.trim() {
        "" => None,
        d => Some(d.parse().map_err(|_| {
            ApiError::field(
                "posted_on",
                "date",
                "enter the bank's value date as a date, or leave it empty",
            )
        })?),
    };
    Ok(PostingReq {
        kind,
        amount: amount.to_string(),
        value_date: None,
        posted_on,
        memo: f.memo.clone(),
        override_reason: (!f.override_reason.trim().is_empty()).then(|| f.override_reason.clone()),
    })
}

/// `POST /exchanges/{id}/ledger`: through the API's posting rules.
pub async fn post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Form(f): Form<PostForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let r = match req(&f) {
        Ok(q) => ledger::post(State(st.clone()), w.auth(), P(id.clone()), JsonBody(q)).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(resp) if resp.status() == StatusCode::ACCEPTED => {
            let m = html! { div.notice role="status" { p { strong { "Filed for a second approval." } " This payment is above your firm's limit for one person: another coordinator or administrator must approve it before the money moves." } } };
            match render(&st, &w, &id, &PostForm::default(), Some(m)).await {
                Ok(p) => (StatusCode::ACCEPTED, p).into_response(),
                Err(e) => from_api(e),
            }
        }
        Ok(_) => Redirect::to(&format!("/exchanges/{id}/ledger")).into_response(),
        Err(e) => match render(&st, &w, &id, &f, Some(refusal(&e))).await {
            Ok(p) => (e.status, p).into_response(),
            Err(e2) => from_api(e2),
        },
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
}

/// `POST /exchanges/{id}/approvals/{aid}/{approve|reject}`.
pub async fn decide(
    State(st): State<AppState>,
    w: Web,
    Path((id, aid, decision)): Path<(String, String, String)>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let r = match decision.as_str() {
        "approve" => ledger::approve(State(st.clone()), w.auth(), P((id.clone(), aid)))
            .await
            .map(|_| ()),
        "reject" => ledger::reject(State(st.clone()), w.auth(), P((id.clone(), aid)))
            .await
            .map(|_| ()),
        _ => Err(ApiError::not_found()),
    };
    match r {
        Ok(()) => Redirect::to(&format!("/exchanges/{id}/ledger")).into_response(),
        Err(e) => match render(&st, &w, &id, &PostForm::default(), Some(refusal(&e))).await {
            Ok(p) => (e.status, p).into_response(),
            Err(e2) => from_api(e2),
        },
    }
}

/// `GET /exchanges/{id}/ledger.csv`: the ledger as CSV (a client: their own exchange's).
pub async fn csv(State(st): State<AppState>, w: Web, Path(id): Path<String>) -> Response {
    match likekind_server::listing::ledger_csv(&st, &w.auth(), &id).await {
        Ok(r) => r,
        Err(e) => from_api(e),
    }
}
