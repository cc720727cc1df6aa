//! The QI ledger page: postings with their running balance, the posting form, and the
//! answers of the API's rules in words: a release before the (g)(6) date refused (with the
//! date and the regulation), and a disbursement above the firm's threshold waiting for a
//! second person's approval.

use crate::exchange::load::load_all;
use crate::exchange::widgets::{ledger_table, posting_word};
use crate::fmt::{self, parse_usd};
use crate::layout::{Refused, csrf, field_in, from_api, refused_box_with, select_in, shell};
use crate::session::Web;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use likekind_core::model::ExchangeFile;
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult};
use likekind_server::extract::JsonBody;
use likekind_server::extract::P;
use likekind_server::ledger::{self, PostingReq};
use likekind_server::request_key::{self, IdempotencyKey};
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
    /// For a payment to a purchase closing: the replacement property whose recorded closing
    /// it pays.
    #[serde(default)]
    pub property: String,
    /// The form's idempotency key, new each time the empty form is shown: pressing "Post"
    /// twice, or sending the form again from the browser's history, moves the money once.
    #[serde(default)]
    pub request_key: String,
}

const KINDS: [PostingKind; 5] = [
    PostingKind::Receipt,
    PostingKind::Disbursement,
    PostingKind::Fee,
    PostingKind::Interest,
    PostingKind::Release,
];

/// The posting form's inputs for the API's field paths.
const INPUTS: [(&str, &str); 7] = [
    ("kind", "kind"),
    ("property", "property"),
    ("amount", "amount"),
    ("posted_on", "posted_on"),
    ("value_date", "posted_on"),
    ("memo", "memo"),
    ("override_reason", "override_reason"),
];

/// The labels of the form's inputs, to name a problem as the form does.
const LABELS: [(&str, &str); 6] = [
    ("kind", "What happened"),
    ("property", "Purchase closing it pays"),
    ("amount", "Amount"),
    ("posted_on", "Bank value date"),
    ("memo", "Memo"),
    ("override_reason", "Override reason"),
];

/// The API's refusals in words, each problem on the input it is about, and what more there is
/// to say (the (g)(6) rule and its date).
pub fn refusal(e: &ApiError, admin: bool) -> (Refused, Markup) {
    let d = e.detail.details.as_ref();
    match e.detail.code.as_str() {
        "release_before_allowed" => {
            let date = d.and_then(|d| d["earliest_allowed"].as_str());
            let problem = match date {
                Some(date) => format!(
                    "A release is allowed from {}: today is too early.",
                    fmt::date_str(date)
                ),
                None => "Today is too early for a release.".to_string(),
            };
            let held_back = d
                .and_then(|d| d["held_back"].as_array())
                .is_some_and(|a| !a.is_empty());
            let input = if admin { "override_reason" } else { "kind" };
            let mut r = Refused::fields(vec![(input, problem)]).lead("Refused: ");
            r.headline = "the money cannot go to the taxpayer yet.".to_string();
            let more = html! {
                @if let Some(date) = date {
                    p { "Under " (d.and_then(|d| d["authority"].as_str()).unwrap_or("Treas. Reg. §1.1031(k)-1(g)(6)"))
                        ", the intermediary may pay exchange funds to the taxpayer no earlier than "
                        strong { (fmt::date_str(date)) } ". Paying earlier would be actual or constructive receipt and could end the exchange." }
                } @else { p { (fmt::words(&e.detail.message)) } }
                // A receipt the engine doubts is the property identified holds the release
                // back to the end of the exchange period: the API's words say which and why.
                @if held_back { p #held-back { (fmt::words(&e.detail.message)) } }
                p { "An administrator may release anyway by giving a written reason, which is kept with the posting and in the audit log." }
            };
            (r, more)
        }
        "insufficient_funds" => {
            let mut m = fmt::words(&e.detail.message);
            if let Some(c) = m.get(..1) {
                m.replace_range(..1, &c.to_uppercase());
            }
            let mut r = Refused::fields(vec![("amount", m)]).lead("Refused: ");
            r.headline = "there is not enough money held for this exchange.".to_string();
            (r, html! {})
        }
        // The rules of a payment to a purchase closing say their field in their own sentence.
        _ if !e.detail.fields.is_empty()
            && e.detail.fields.iter().all(|f| {
                f.path == "property" || (f.path == "amount" && f.rule == "closing_need")
            }) =>
        {
            let list = e
                .detail
                .fields
                .iter()
                .map(|f| {
                    let input = if f.path == "amount" {
                        "amount"
                    } else {
                        "property"
                    };
                    (input, fmt::words(&f.message))
                })
                .collect();
            let mut r = Refused::fields(list).lead("Refused: ");
            r.headline = "a payment to a purchase closing pays a recorded closing of replacement property, up to what it needs.".to_string();
            (r, html! {})
        }
        _ => (
            Refused::labelled(e, &INPUTS, &LABELS).lead("Not posted: "),
            html! {},
        ),
    }
}

/// Why a payment waits for a second person: above the firm's limit for one signature by
/// itself, or only with what was already paid out of the exchange on one signature.
fn pending_why(amount_cents: i64, threshold: i64) -> String {
    if amount_cents > threshold {
        format!(
            "it is above the firm's limit of {} for one signature",
            fmt::cents(threshold)
        )
    } else {
        format!(
            "with what was already paid out of this exchange on one signature, it comes to more than the firm's limit of {}",
            fmt::cents(threshold)
        )
    }
}

/// The second approvals: each with what it pays (a payment to a purchase closing names the
/// closing, in words, from the exchange's `file`) and where it stands.
fn approvals(
    w: &Web,
    id: &str,
    aps: &[ApprovalRow],
    file: &ExchangeFile,
    threshold: i64,
) -> Markup {
    html! {
        @if !aps.is_empty() {
            h2 { "Second approvals" }
            ul.approvals { @for a in aps {
                li {
                    (posting_word(a.kind)) " of " strong { (fmt::cents(a.amount_cents)) } " on " (fmt::date_str(&a.posted_on))
                    @if let Some(p) = a.property_id.as_deref() {
                        ", toward the purchase of " span.closing { (file.closing_words(p)) }
                    }
                    ": "
                    @match a.status.as_str() {
                        "pending" => {
                            "waiting for a second person's approval (" (pending_why(a.amount_cents, threshold)) ")."
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
    err: Option<&Refused>,
) -> ApiResult<Markup> {
    let kinds: Vec<(&str, &str)> = KINDS
        .iter()
        .map(|k| (k.as_str(), posting_word(*k)))
        .collect();
    let l = load_all(st, w, id).await?;
    let aps = st.store.list_approvals(&w.user.firm_id, id).await?;
    // The empty form gets a new key; a refused one shown again keeps its own (nothing was
    // written under it).
    let request_key = if f.request_key.is_empty() {
        likekind_store::new_id()
    } else {
        f.request_key.clone()
    };
    let release = ledger::release_of(&l.file, l.today).ok();
    // A payment to a purchase closing pays one recorded on the exchange (Treas. Reg.
    // §1.1031(k)-1(g)(6)): the form offers those, and says so when there is none.
    let closing_words: Vec<(String, String)> = std::iter::once((
        String::new(),
        "None: not a payment to a purchase closing".to_string(),
    ))
    .chain(l.file.replacement.iter().map(|r| {
        // Named as the papers and the ledger's refusals name a property.
        let what = likekind_core::words::property(&r.id, &r.description);
        (
            r.id.to_string(),
            format!("{what}, closed {}", fmt::date(r.received)),
        )
    }))
    .collect();
    let closings: Vec<(&str, &str)> = closing_words
        .iter()
        .map(|(v, t)| (v.as_str(), t.as_str()))
        .collect();
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
                @if let Some(r) = &release { " Exchange funds may be released to the taxpayer from " strong { (fmt::date(r.earliest)) } " (" (likekind_core::words::authority(r.authority)) ")." } }
            @if w.is_staff() {
                p #threshold { "A payment out of these funds (to a purchase closing, to the taxpayer, or the intermediary's fee) needs a second person's approval when it is above " strong { (fmt::cents(threshold)) } ", or when, added to what has already been paid out here without a second approval, it would come to more."
                    @if w.is_admin() { " " a href="/firm" { "Change the threshold" } } }
            }
            @if let Some(m) = msg { (m) }
            (ledger_table(&l.postings, l.ex.balance_cents, &l.file))
            (crate::pdf::statement_link(id))
            p { a.button.secondary #csv-ledger href={ "/exchanges/" (id) "/ledger.csv" } download { "Download the ledger (CSV)" } }
            (approvals(w, id, &aps, &l.file, threshold))
            @if w.is_qi() {
                form.card method="post" action={ "/exchanges/" (id) "/ledger" } {
                    h2 { "Post to the ledger" }
                    (csrf(w))
                    input type="hidden" name="request_key" value=(request_key);
                    (select_in(err, "What happened", "kind", &kinds, &f.kind))
                    (select_in(err, "Purchase closing it pays (a payment to a purchase closing only)", "property", &closings, &f.property))
                    @if l.file.replacement.is_empty() {
                        p { small #property-none { "No purchase closing is recorded on this exchange yet. A payment to a purchase closing pays one that is recorded, of property identified as replacement property, up to what the closing needs from the exchange funds: record the purchase on the exchange page first." } }
                    } @else {
                        p { small #property-hint { "A payment to a purchase closing pays one of these recorded closings, up to what it still needs from the exchange funds (the exchange page's Money section shows each purchase's share). Money may not reach the taxpayer before the allowed date (Treas. Reg. §1.1031(k)-1(g)(6))." } }
                    }
                    (field_in(err, "Amount", "amount", "text", &f.amount, Some("In dollars, e.g. 250,000.00")))
                    (field_in(err, "Bank value date (optional)", "posted_on", "date", &f.posted_on, Some("Leave empty: the posting takes effect today. If the bank moved the money earlier, its value date, at most 30 days ago.")))
                    (field_in(err, "Memo", "memo", "text", &f.memo, None))
                    @if w.is_admin() {
                        (field_in(err, "Override reason (administrators, early releases only)", "override_reason", "text", &f.override_reason, Some("Leave empty unless you release before the allowed date on purpose.")))
                    }
                    button type="submit" { "Post" }
                }
            }
        },
    ))
}

/// `GET /exchanges/{id}/ledger`.
pub async fn page_get(st: &AppState, w: &Web, id: &str) -> Response {
    match render(st, w, id, &PostForm::default(), None, None).await {
        Ok(m) => m.into_response(),
        Err(e) => from_api(e),
    }
}

/// `GET /exchanges/{id}/ledger`.
pub async fn page(State(st): State<AppState>, w: Web, Path(id): Path<String>) -> Response {
    page_get(&st, &w, &id).await
}

/// The API's request from the form; every problem the page itself finds, at once.
fn req(f: &PostForm) -> ApiResult<PostingReq> {
    let mut errs: Vec<likekind_server::error::FieldError> = Vec::new();
    let mut take = |e: ApiError| errs.extend(e.detail.fields);
    let kind = PostingKind::parse(&f.kind)
        .ok_or_else(|| ApiError::field("kind", "allowed_values", "choose what happened"))
        .map_err(&mut take)
        .ok();
    let amount = parse_usd(&f.amount)
        .map_err(|m| ApiError::field("amount", "money", m))
        .map_err(&mut take)
        .ok();
    let posted_on = match f.posted_on.trim() {
        "" => Some(None),
        d => d
            .parse()
            .map(Some)
            .map_err(|_| {
                ApiError::field(
                    "posted_on",
                    "date",
                    "enter the bank's value date as a date, or leave it empty",
                )
            })
            .map_err(&mut take)
            .ok(),
    };
    let (Some(kind), Some(amount), Some(posted_on)) = (kind, amount, posted_on) else {
        return Err(ApiError::fields("the form has problems", errs));
    };
    Ok(PostingReq {
        kind,
        amount: amount.to_string(),
        value_date: None,
        posted_on,
        memo: f.memo.clone(),
        override_reason: (!f.override_reason.trim().is_empty()).then(|| f.override_reason.clone()),
        // Only a payment to a purchase closing names one (the API requires it there).
        property: (kind == PostingKind::Disbursement).then(|| f.property.trim().to_string()),
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
    let key = match f.request_key.as_str() {
        "" => Ok(None),
        k => request_key::checked(k).map(Some),
    };
    let r = match (req(&f), key) {
        (Ok(q), Ok(key)) => {
            let key = IdempotencyKey(key);
            async {
                ledger::post(
                    State(st.clone()),
                    w.permitted()?,
                    P(id.clone()),
                    key,
                    JsonBody(q),
                )
                .await
            }
            .await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match r {
        Ok(resp) if resp.status() == StatusCode::ACCEPTED => {
            let m = html! { div.notice role="status" { p { strong { "Filed for a second approval." } " This payment, with what has already left this exchange without a second approval, is above your firm's limit for one person: another coordinator or administrator must approve it before the money moves." } } };
            match render(&st, &w, &id, &PostForm::default(), Some(m), None).await {
                Ok(p) => (StatusCode::ACCEPTED, p).into_response(),
                Err(e) => from_api(e),
            }
        }
        Ok(_) => Redirect::to(&format!("/exchanges/{id}/ledger")).into_response(),
        Err(e) => {
            let (r, more) = refusal(&e, w.is_admin());
            match render(&st, &w, &id, &f, Some(refused_box_with(&r, more)), Some(&r)).await {
                Ok(p) => (e.status, p).into_response(),
                Err(e2) => from_api(e2),
            }
        }
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
    let r = async {
        match decision.as_str() {
            "approve" => ledger::approve(State(st.clone()), w.permitted()?, P((id.clone(), aid)))
                .await
                .map(|_| ()),
            "reject" => ledger::reject(State(st.clone()), w.permitted()?, P((id.clone(), aid)))
                .await
                .map(|_| ()),
            _ => Err(ApiError::not_found()),
        }
    }
    .await;
    match r {
        Ok(()) => Redirect::to(&format!("/exchanges/{id}/ledger")).into_response(),
        Err(e) => {
            let (r, more) = refusal(&e, w.is_admin());
            let r = r.lead("Not done: ");
            match render(
                &st,
                &w,
                &id,
                &PostForm::default(),
                Some(refused_box_with(&r, more)),
                None,
            )
            .await
            {
                Ok(p) => (e.status, p).into_response(),
                Err(e2) => from_api(e2),
            }
        }
    }
}

/// `GET /exchanges/{id}/ledger.csv`: the ledger as CSV (a client: their own exchange's).
pub async fn csv(State(st): State<AppState>, w: Web, Path(id): Path<String>) -> Response {
    match likekind_server::listing::ledger_csv(&st, &w.auth(), &id).await {
        Ok(r) => r,
        Err(e) => from_api(e),
    }
}

#[cfg(test)]
mod tests {
    use super::{pending_why, refusal};
    use axum::http::StatusCode;
    use likekind_server::error::ApiError;

    /// A release held back by a receipt the engine doubts says which and why, not only the
    /// date.
    #[test]
    fn a_held_back_release_says_why() {
        let e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "release_before_allowed",
            "Exchange funds cannot go to the taxpayer before Sep 17, 2026 (the day after the exchange period ends, Treas. Reg. §1.1031(k)-1(g)(6)(i)): ash was identified at $400,000.00 but its purchase is recorded at $0.00, less than 75% of that",
        )
        .with_details(serde_json::json!({
            "earliest_allowed": "2026-09-17",
            "authority": "Treas. Reg. §1.1031(k)-1(g)(6)(i)",
            "held_back": ["ash"],
        }));
        let (_, more) = refusal(&e, false);
        let html = more.into_string();
        assert!(html.contains("held-back"), "{html}");
        assert!(html.contains("recorded at $0.00"), "{html}");
        let plain = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "release_before_allowed",
            "too early",
        )
        .with_details(serde_json::json!({"earliest_allowed": "2026-09-17"}));
        assert!(!refusal(&plain, false).1.into_string().contains("held-back"));
    }

    /// QA: a $50,000 fee filed for approval because $60,000 had already been paid out read
    /// "it is above the firm's limit for one signature" (the limit being $100,000).
    #[test]
    fn a_pending_payment_says_why_it_waits() {
        assert_eq!(
            pending_why(12_000_000, 10_000_000),
            "it is above the firm's limit of $100,000.00 for one signature"
        );
        let running = pending_why(5_000_000, 10_000_000);
        assert!(
            running.starts_with("with what was already paid out of this exchange"),
            "{running}"
        );
        assert!(running.contains("$100,000.00"), "{running}");
    }
}
