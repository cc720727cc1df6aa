//! The identification form: the list is judged as it is typed (an htmx fragment calling the
//! API's own judgement, i.e. the engine's identification rules), so the consequence of a
//! fourth property shows before the notice is submitted; then the client signs it.

use crate::exchange::state::{Flash, Loaded, Posted};
use crate::fmt::{self, parse_usd};
use crate::layout::{api_error, csrf, from_api, shell};
use crate::session::Web;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use likekind_core::identification::IdRule;
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult};
use likekind_server::exchanges::{file_of, load};
use likekind_server::extract::JsonBody;
use likekind_server::extract::P;
use likekind_server::notices::{self, NoticeProperty, NoticeReq};
use likekind_store::{ExchangeRow, NoticeRow, Role};
use maud::{Markup, html};
use serde::Deserialize;

/// Rows on the form (blank rows are ignored).
pub const ROWS: usize = 6;

/// The identification rules in words.
pub fn rule_word(r: IdRule) -> &'static str {
    match r {
        IdRule::ThreeProperty => "three-property rule",
        IdRule::TwoHundredPercent => "200% rule",
        IdRule::NinetyFivePercent => "95% rule",
        IdRule::ReceivedWithin45Days => "rule for property received within the 45 days",
        IdRule::None => "no rule",
    }
}

/// The form's fields: `_csrf`, `identified_on`, and `id_N`, `desc_N`, `fmv_N` per row.
#[derive(Debug, Default, Deserialize)]
pub struct IdForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub identified_on: String,
    #[serde(flatten)]
    pub rows: std::collections::BTreeMap<String, String>,
}

impl IdForm {
    fn get(&self, k: &str, n: usize) -> &str {
        self.rows
            .get(&format!("{k}_{n}"))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The non-blank rows as the API's notice.
    fn req(&self) -> ApiResult<NoticeReq> {
        let on: Date = self.identified_on.trim().parse().map_err(|_| {
            ApiError::field(
                "identified_on",
                "date",
                "enter the date of the written notice",
            )
        })?;
        let mut properties = Vec::new();
        for n in 0..ROWS {
            let (id, desc, fmv) = (self.get("id", n), self.get("desc", n), self.get("fmv", n));
            if id.trim().is_empty() && desc.trim().is_empty() && fmv.trim().is_empty() {
                continue;
            }
            let k = properties.len();
            let v = parse_usd(fmv)
                .map_err(|m| ApiError::field(&format!("properties[{k}].fmv"), "money", m))?;
            properties.push(NoticeProperty {
                id: if id.trim().is_empty() {
                    format!("property-{}", n + 1)
                } else {
                    id.trim().to_string()
                },
                description: desc.trim().to_string(),
                address: None,
                legal_description: None,
                fmv: v.to_string(),
                incidental_personal_property: None,
            });
        }
        Ok(NoticeReq {
            identified_on: on,
            properties,
        })
    }
}

/// The last day of the exchange's identification period, when today is after it.
fn period_over(st: &AppState, ex: &ExchangeRow) -> Option<Date> {
    let file = file_of(ex).ok()?;
    notices::identification_end(&file).filter(|end| st.today() > *end)
}

/// What an ended identification period means, in words (the live check and the refusals).
fn period_ended_words(end: Date, staff: bool, ex_id: &str) -> Markup {
    html! {
        p { "The 45-day identification period ended on " strong { (fmt::date(end)) } ". A notice made now cannot identify replacement property, whatever date it bears: the notice must be signed by the taxpayer and delivered to the intermediary by the last day of the period ("
            (notices::IDENTIFICATION_AUTHORITY) ")." }
        p { "Only a signed paper notice that was delivered to the intermediary on or before " (fmt::date(end)) " can still be recorded, by the intermediary's staff"
            @if staff { ": " a href={ "/exchanges/" (ex_id) "/identify#paper-h" } { "record a paper notice" } } "." }
    }
}

/// The engine's verdict on the list as typed, with the exchange's notices already signed.
fn verdict(st: &AppState, ex: &ExchangeRow, f: &IdForm, staff: bool) -> Markup {
    if let Some(end) = period_over(st, ex) {
        return html! {
            div #judgement aria-live="polite" class="verdict bad" {
                h3 { "The identification period has ended" }
                (period_ended_words(end, staff, &ex.id))
            }
        };
    }
    let r = async_free(st, ex, f);
    match r {
        Err(e) => html! { div #judgement aria-live="polite" { (api_error(&e)) } },
        Ok((n, total, sold, j)) => {
            let accepted = j["accepted"].as_bool().unwrap_or(false);
            let rule = j["identification"]["rule"].as_str().unwrap_or("none");
            let rule_w = match rule {
                "three_property" => "the three-property rule",
                "two_hundred_percent" => "the 200% rule",
                "ninety_five_percent" => "the 95% rule",
                "received_within45_days" | "received_within_45_days" => {
                    "receipt within the 45 days"
                }
                _ => "no identification rule",
            };
            html! {
                div #judgement aria-live="polite" class=(if accepted { "verdict ok" } else { "verdict bad" }) {
                    h3 { @if accepted { "This list is a valid identification" } @else { "This list would not be a valid identification" } }
                    p { (n) " propert" (if n == 1 { "y" } else { "ies" }) " in force, worth " strong { (fmt::usd(total)) }
                        " in all; the property given up sold for " (fmt::usd(sold)) "." }
                    p { "It meets " strong { (rule_w) } " (Treas. Reg. §1.1031(k)-1(c)(4))." }
                    @if n > 3 {
                        p.warn { "More than three properties: the three-property rule no longer covers the list. It stands only if their total value is no more than 200% of what was given up, or if you receive at least 95% of that value." }
                    } @else if n == 3 {
                        p { "A fourth property would take the list out of the three-property rule: watch this box as you add one." }
                    }
                    @if let Some(ps) = j["problems"].as_array() { @if !ps.is_empty() {
                        ul { @for p in ps { li { (fmt::words(p["message"].as_str().unwrap_or(""))) " " small { "(" (p["authority"].as_str().unwrap_or("")) ")" } } } }
                    } }
                }
            }
        }
    }
}

type Judged = (
    usize,
    rust_decimal::Decimal,
    rust_decimal::Decimal,
    serde_json::Value,
);

fn async_free(st: &AppState, ex: &ExchangeRow, f: &IdForm) -> ApiResult<Judged> {
    let req = f.req()?;
    let file = file_of(ex)?;
    let with = notices::with_notice(&file, &req.properties, req.identified_on)?;
    let j = notices::judge(&with, st.today());
    let total = with
        .identified
        .iter()
        .filter(|i| i.revoked_on.is_none())
        .map(|i| i.fmv)
        .sum();
    let sold = with.relinquished.iter().map(|r| r.sale_price).sum();
    let n = with
        .identified
        .iter()
        .filter(|i| i.revoked_on.is_none())
        .count();
    Ok((n, total, sold, j))
}

/// A refused notice, in words: after the identification period the rule and its dates;
/// otherwise the API's reasons.
fn refusal(e: &ApiError, staff: bool, ex_id: &str) -> Markup {
    let ended = e.detail.fields.iter().any(|f| {
        f.rule == "identification_period_ended" || f.rule == "within_identification_period"
    }) || e.detail.code == "identification_period_ended";
    let end = e
        .detail
        .details
        .as_ref()
        .and_then(|d| d["identification_end"].as_str())
        .and_then(|d| d.parse::<Date>().ok());
    match (ended, end) {
        (true, Some(end)) => html! {
            div.error role="alert" {
                p { strong { "Not saved: the identification period has ended." } }
                (period_ended_words(end, staff, ex_id))
            }
        },
        _ => api_error(e),
    }
}

/// The form for staff to record a signed paper notice (multipart: the scanned notice).
fn paper_form(
    w: &Web,
    ex: &ExchangeRow,
    end: Option<Date>,
    p: &PaperFields,
    err: Option<Markup>,
) -> Markup {
    html! {
        section.card #paper aria-labelledby="paper-h" {
            h2 #paper-h { "Record a signed paper notice" }
            p { "A notice signed by the taxpayer and delivered on paper to the intermediary (or to another person involved in the exchange who is not a disqualified person) identifies the properties it names on the day it was delivered"
                @if let Some(d) = end { ", if that is on or before " strong { (fmt::date(d)) } }
                ". Attach the scanned signed notice; the recording is kept in the audit log under your name." }
            @if let Some(e) = err { (e) }
            form method="post" action={ "/exchanges/" (ex.id) "/identify/paper" } enctype="multipart/form-data" {
                (csrf(w))
                div.field {
                    label for="p-delivered" { "Date the signed notice was delivered" }
                    input #p-delivered type="date" name="delivered_on" value=(p.delivered_on) max=(p.today);
                }
                div.field {
                    label for="p-received" { "Received by" }
                    input #p-received type="text" name="received_by" value=(p.received_by) aria-describedby="p-received-hint";
                    small #p-received-hint { "The person who received the notice." }
                }
                fieldset {
                    legend { "Properties named in the notice" }
                    @for n in 0..ROWS {
                        div.row {
                            div.field { label for={ "p-id_" (n) } { "Property " (n + 1) ": short id" } input id={ "p-id_" (n) } name={ "id_" (n) } type="text" value=(p.get("id", n)); }
                            div.field.grow { label for={ "p-desc_" (n) } { "Address or legal description" } input id={ "p-desc_" (n) } name={ "desc_" (n) } type="text" value=(p.get("desc", n)); }
                            div.field { label for={ "p-fmv_" (n) } { "Fair market value" } input id={ "p-fmv_" (n) } name={ "fmv_" (n) } type="text" inputmode="decimal" value=(p.get("fmv", n)); }
                        }
                    }
                }
                div.field {
                    label for="p-file" { "Scanned signed notice" }
                    input #p-file type="file" name="file" required;
                }
                button type="submit" { "Record the paper notice" }
            }
        }
    }
}

/// The paper form's fields as typed.
#[derive(Debug, Default)]
pub struct PaperFields {
    delivered_on: String,
    received_by: String,
    today: String,
    rows: std::collections::BTreeMap<String, String>,
}

impl PaperFields {
    fn get(&self, k: &str, n: usize) -> &str {
        self.rows
            .get(&format!("{k}_{n}"))
            .map(String::as_str)
            .unwrap_or("")
    }
}

fn form_page(
    w: &Web,
    ex: &ExchangeRow,
    f: &IdForm,
    err: Option<Markup>,
    judged: Markup,
    paper: Option<(&PaperFields, Option<Markup>, Option<Date>, Date)>,
) -> Markup {
    let today = String::new();
    shell(
        "Identify replacement property",
        Some(w),
        html! {
            nav.crumbs aria-label="Breadcrumb" { a href="/" { "Dashboard" } " › " a href={ "/exchanges/" (ex.id) } { (ex.name) } " › " span { "Identification" } }
            h1 { "Identify replacement property" }
            p.lead { "List each property you may buy, with an unambiguous description (street address or legal description) and its fair market value. The list is checked against the identification rules as you type." }
            @if let Some(e) = err { (e) }
            form.card #idform method="post" action={ "/exchanges/" (ex.id) "/identify" }
                hx-post={ "/exchanges/" (ex.id) "/identify/check" } hx-trigger="input changed delay:300ms, change" hx-target="#judgement" hx-swap="outerHTML" {
                (csrf(w))
                h2 #notice-h { "Your notice" }
                div.field {
                    label for="f-on" { "Date of the written notice" }
                    input #f-on type="date" name="identified_on" value=(if f.identified_on.is_empty() { &today } else { &f.identified_on });
                }
                div.idgrid {
                    fieldset {
                        legend { "Properties" }
                        @for n in 0..ROWS {
                            div.row {
                                div.field { label for={ "id_" (n) } { "Property " (n + 1) ": short id" } input id={ "id_" (n) } name={ "id_" (n) } type="text" value=(f.get("id", n)); }
                                div.field.grow { label for={ "desc_" (n) } { "Address or legal description" } input id={ "desc_" (n) } name={ "desc_" (n) } type="text" value=(f.get("desc", n)); }
                                div.field { label for={ "fmv_" (n) } { "Fair market value" } input id={ "fmv_" (n) } name={ "fmv_" (n) } type="text" inputmode="decimal" value=(f.get("fmv", n)); }
                            }
                        }
                    }
                    // Beside the list on wide screens; kept in view at the foot of the screen on
                    // narrow ones, so the check is always next to what it judges.
                    div.judge-wrap tabindex="0" role="region" aria-label="The check of this list" { (judged) }
                }
                button type="submit" { "Submit the notice" }
                " "
                button.secondary type="submit" formaction={ "/exchanges/" (ex.id) "/identify/check" } hx-post={ "/exchanges/" (ex.id) "/identify/check" } { "Check the list" }
            }
            @if let Some((p, perr, end, today)) = paper {
                @let fresh = PaperFields { today: today.to_string(), ..Default::default() };
                @let p = if p.today.is_empty() { &fresh } else { p };
                (paper_form(w, ex, end, p, perr))
            }
        },
    )
}

/// The whole identification page: the live-checked form and, for staff, the paper form.
fn page_with(
    st: &AppState,
    w: &Web,
    ex: &ExchangeRow,
    f: &IdForm,
    err: Option<Markup>,
    judged: Markup,
    paper: Option<(&PaperFields, Option<Markup>)>,
) -> Markup {
    let end = file_of(ex)
        .ok()
        .and_then(|file| notices::identification_end(&file));
    let empty = PaperFields::default();
    let paper = w.is_qi().then(|| {
        let (p, e) = paper.unwrap_or((&empty, None));
        (p, e, end, st.today())
    });
    form_page(w, ex, f, err, judged, paper)
}

/// `GET /exchanges/{id}/identify`.
pub async fn form(State(st): State<AppState>, w: Web, Path(id): Path<String>) -> Response {
    match load(&st, &w.auth(), &id).await {
        Ok(ex) => {
            let judged = if period_over(&st, &ex).is_some() {
                verdict(&st, &ex, &IdForm::default(), w.is_qi())
            } else {
                html! { div #judgement aria-live="polite" { p { "Enter the properties to see whether the list is valid." } } }
            };
            page_with(&st, &w, &ex, &IdForm::default(), None, judged, None).into_response()
        }
        Err(e) => from_api(e),
    }
}

/// `POST /exchanges/{id}/identify/check`: the verdict fragment (htmx), or the whole form
/// with the verdict when the browser runs no script.
pub async fn check(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    Form(f): Form<IdForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let ex = match load(&st, &w.auth(), &id).await {
        Ok(ex) => ex,
        Err(e) => return from_api(e),
    };
    let v = verdict(&st, &ex, &f, w.is_qi());
    if headers.contains_key("hx-request") {
        v.into_response()
    } else {
        page_with(&st, &w, &ex, &f, None, v, None).into_response()
    }
}

/// `POST /exchanges/{id}/identify`: submits the notice through the API.
pub async fn submit(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Form(f): Form<IdForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let ex = match load(&st, &w.auth(), &id).await {
        Ok(ex) => ex,
        Err(e) => return from_api(e),
    };
    let r = async {
        let req = f.req()?;
        notices::submit(State(st.clone()), w.auth(), P(id.clone()), JsonBody(req)).await
    }
    .await;
    match r {
        Ok(_) => Redirect::to(&format!("/exchanges/{id}#id-h")).into_response(),
        Err(e) => {
            let v = verdict(&st, &ex, &f, w.is_qi());
            let why = refusal(&e, w.is_qi(), &ex.id);
            (e.status, page_with(&st, &w, &ex, &f, Some(why), v, None)).into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SignForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
}

/// `POST /exchanges/{id}/notices/{nid}/sign`: the client signs (the API's rule: only the
/// exchange's client).
pub async fn sign(
    st: &AppState,
    w: &Web,
    id: String,
    nid: String,
    f: SignForm,
) -> Result<Posted, Response> {
    w.verify(&f.csrf)?;
    let r = notices::sign(
        State(st.clone()),
        w.auth(),
        likekind_server::extract::P((id.clone(), nid.clone())),
    )
    .await;
    // A refusal (e.g. after day 45) shows in words beside the notice on the exchange page.
    Ok(Posted::of(&id, "id-h", r, |e| Flash {
        sign: Some((nid, refusal(e, false, &id))),
        ..Default::default()
    }))
}

/// The notices of an exchange, with a Sign button for its client.
pub fn notices_list(w: &Web, ex: &ExchangeRow, ns: &[NoticeRow]) -> Markup {
    notices_list_with(w, ex, ns, None)
}

/// The notices, with a refused signature (the notice's id and the reason) beside its notice.
pub fn notices_list_with(
    w: &Web,
    ex: &ExchangeRow,
    ns: &[NoticeRow],
    err: Option<&(String, Markup)>,
) -> Markup {
    let is_client = w.role() == Role::Client && ex.client_id.as_deref() == Some(w.user.id.as_str());
    html! {
        @if ns.is_empty() { p.empty { "No identification notice yet." } }
        @for n in ns {
            @let props: Vec<NoticeProperty> = serde_json::from_str(&n.properties).unwrap_or_default();
            @let j: serde_json::Value = serde_json::from_str(&n.judgement).unwrap_or_default();
            article.notice {
                h3 { "Notice of " (fmt::date_str(&n.identified_on)) " · "
                    (match n.status.as_str() { "signed" if n.kind == "paper" => "signed paper notice".to_string(), "signed" => "signed by the client".to_string(), "revoked" => format!("revoked on {}", n.revoked_on.as_deref().map(fmt::date_str).unwrap_or_default()), _ => "waiting for the client's signature".to_string() }) }
                @if n.kind == "paper" {
                    p { "Delivered on paper on " (n.delivered_on.as_deref().map(fmt::date_str).unwrap_or_default())
                        " to " (n.received_by.as_deref().unwrap_or("")) "; recorded by the intermediary's staff"
                        @if let Some(d) = &n.document_id { " (" a href={ "/exchanges/" (ex.id) "/documents/" (d) } download { "the scanned notice" } ")" } "." }
                }
                p { @if j["accepted"].as_bool().unwrap_or(false) { (if n.kind == "paper" { "Judged valid when recorded." } else { "Judged valid when submitted." }) } @else { strong { "Judged not valid when submitted." } } }
                @if let Some((_, e)) = err.filter(|(eid, _)| *eid == n.id) { (e) }
                ul { @for p in &props { li { (p.id) ": " (p.description) " — " (parse_usd(&p.fmv).map(fmt::usd).unwrap_or_else(|_| p.fmv.clone())) } } }
                @if n.status == "submitted" && is_client {
                    form method="post" action={ "/exchanges/" (ex.id) "/notices/" (n.id) "/sign" } {
                        (csrf(w))
                        button type="submit" { "Sign this notice" }
                    }
                }
            }
        }
    }
}

/// Who may revoke a notice of this exchange: its client, or QI staff recording the client's
/// written revocation (the API's rule).
fn may_revoke(w: &Web, ex: &ExchangeRow) -> bool {
    w.is_qi() || (w.role() == Role::Client && ex.client_id.as_deref() == Some(w.user.id.as_str()))
}

/// The revocation forms of the notices still in force or waiting for signature, with the rule
/// in words; after day 45, the reason there is none.
pub fn revocations(w: &Web, l: &Loaded, err: Option<&(String, Markup)>) -> Markup {
    let open: Vec<&NoticeRow> = l
        .notices
        .iter()
        .filter(|n| n.status == "signed" || n.status == "submitted")
        .collect();
    if open.is_empty() || !may_revoke(w, &l.ex) {
        // A refusal about a notice no longer open (revoked meanwhile) still shows.
        return html! { @if let Some((_, e)) = err { (e) } };
    }
    let id_end = l.report.deadlines.as_ref().map(|d| d.identification_end);
    let today = l.today.to_string();
    html! {
        section.revoke aria-labelledby="rev-h" {
            h3 #rev-h { "Revoking an identification" }
            p { "An identification can be revoked only by a written document signed by the taxpayer and delivered to the intermediary before the end of the 45-day identification period"
                @if let Some(d) = id_end { " (here, by " strong { (fmt::date(d)) } ")" }
                " (" (notices::REVOCATION_AUTHORITY) "). After that the identification stays in force." }
            @if let Some(d) = id_end.filter(|d| l.today > *d) {
                p.warn role="status" { "The identification period ended on " (fmt::date(d)) ": these notices can no longer be revoked, and the properties they name stay identified." }
            }
            @for n in &open {
                @let props: Vec<NoticeProperty> = serde_json::from_str(&n.properties).unwrap_or_default();
                @let names = props.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ");
                @let fid = format!("rev-{}", n.id);
                form.card method="post" action={ "/exchanges/" (l.ex.id) "/notices/" (n.id) "/revoke" } aria-labelledby=(format!("{fid}-h")) {
                    h4 id=(format!("{fid}-h")) { "Revoke the notice of " (fmt::date_str(&n.identified_on)) " (" (names) ")"
                        @if n.status == "submitted" { ", not yet signed" } }
                    @if let Some((_, e)) = err.filter(|(eid, _)| *eid == n.id) { (e) }
                    (csrf(w))
                    @if w.role() == Role::Client {
                        // A client's revocation is dated the day it is made (the server
                        // refuses another date); staff record a paper one's delivery date.
                        input type="hidden" name="revoked_on" value=(today);
                        p { "Dated today, " (fmt::date(l.today)) "." }
                    } @else {
                        div.field {
                            label for=(format!("{fid}-on")) { "Date the written revocation was delivered" }
                            input id=(format!("{fid}-on")) type="date" name="revoked_on" value=(today) max=(today);
                        }
                    }
                    div.field.check {
                        input id=(format!("{fid}-written")) type="checkbox" name="written" value="yes" required;
                        label for=(format!("{fid}-written")) { "The revocation is a written document signed by the taxpayer and delivered to the intermediary" }
                    }
                    @if id_end.is_none_or(|d| l.today <= d) {
                        button.secondary type="submit" { "Revoke this notice" }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RevokeForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub revoked_on: String,
    #[serde(default)]
    pub written: Option<String>,
}

/// The refusal of a revocation, in words (dates in US format).
fn revoke_refusal(e: &ApiError) -> Markup {
    let late = e
        .detail
        .fields
        .iter()
        .any(|f| f.rule == "within_identification_period");
    let end = e
        .detail
        .details
        .as_ref()
        .and_then(|d| d["identification_end"].as_str())
        .map(fmt::date_str);
    match (late, end) {
        (true, Some(end)) => html! {
            div.error role="alert" {
                p { strong { "Refused: too late to revoke." } }
                p { "The date of revocation is too late: the identification period ended on " strong { (fmt::date_str(&end)) } ". An identification can be revoked only by a written document signed by the taxpayer and delivered before the end of the identification period (" (notices::REVOCATION_AUTHORITY) "), so it stays in force." }
            }
        },
        _ => api_error(e),
    }
}

/// `POST /exchanges/{id}/notices/{nid}/revoke`: the written revocation, through the API's
/// rule (refused after day 45).
pub async fn revoke(
    st: &AppState,
    w: &Web,
    id: String,
    nid: String,
    f: RevokeForm,
) -> Result<Posted, Response> {
    w.verify(&f.csrf)?;
    let r = async {
        let on: Date = f.revoked_on.trim().parse().map_err(|_| {
            ApiError::field(
                "revoked_on",
                "date",
                "enter the date of the written revocation",
            )
        })?;
        if f.written.is_none() {
            return Err(ApiError::field(
                "written",
                "written_signed_delivered",
                format!(
                    "confirm that the revocation is a written document signed by the taxpayer and delivered to the intermediary ({})",
                    notices::REVOCATION_AUTHORITY
                ),
            ));
        }
        notices::revoke(
            State(st.clone()),
            w.auth(),
            P((id.clone(), nid.clone())),
            JsonBody(notices::RevokeReq { revoked_on: on }),
        )
        .await
    }
    .await;
    Ok(Posted::of(&id, "id-h", r, |e| Flash {
        revoke: Some((nid, revoke_refusal(e))),
        ..Default::default()
    }))
}

/// `POST /exchanges/{id}/identify/paper` (multipart: `_csrf`, `delivered_on`, `received_by`,
/// the property rows and `file`, the scanned signed notice): staff record a signed paper
/// notice through the API's rules; the notice and its document are stored together or not
/// at all.
pub async fn paper(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let ex = match load(&st, &w.auth(), &id).await {
        Ok(ex) => ex,
        Err(e) => return from_api(e),
    };
    let limit = st.config.upload_limit;
    let parts = match mp {
        Ok(mp) => crate::upload::read(mp, "file", limit).await,
        Err(e) => Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "malformed_form",
            format!("send the form as multipart/form-data ({})", e.body_text()),
        )),
    };
    let mut fields = PaperFields {
        today: st.today().to_string(),
        ..Default::default()
    };
    let r = async {
        let parts = parts?;
        if w.verify(parts.get("_csrf")).is_err() {
            return Err(ApiError::forbidden(
                "this form has expired: reload the page and try again",
            ));
        }
        fields.delivered_on = parts.get("delivered_on").to_string();
        fields.received_by = parts.get("received_by").to_string();
        let mut form = IdForm {
            identified_on: fields.delivered_on.clone(),
            ..Default::default()
        };
        for (k, v) in &parts.text {
            if k.starts_with("id_") || k.starts_with("desc_") || k.starts_with("fmv_") {
                fields.rows.insert(k.clone(), v.clone());
                form.rows.insert(k.clone(), v.clone());
            }
        }
        let delivered_on: Date = fields.delivered_on.trim().parse().map_err(|_| {
            ApiError::field(
                "delivered_on",
                "date",
                "enter the date the signed notice was delivered",
            )
        })?;
        let properties = form.req()?.properties;
        let file = parts.files.get("file").cloned().unwrap_or_default();
        if file.data.is_empty() {
            return Err(ApiError::field(
                "file",
                "required",
                "attach the scanned signed notice",
            ));
        }
        if file.data.len() > limit {
            return Err(crate::upload::too_large("file", limit));
        }
        let filename = file.filename.trim().to_string();
        if filename.is_empty() || filename.chars().count() > 255 {
            return Err(ApiError::field(
                "file",
                "filename",
                "the file needs a plain name of 1 to 255 characters",
            ));
        }
        notices::record_paper(
            &st,
            &w.auth(),
            &id,
            notices::PaperNoticeReq {
                delivered_on,
                received_by: fields.received_by.clone(),
                document_id: String::new(),
                properties,
            },
            Some(notices::PaperUpload {
                filename,
                content_type: file
                    .content_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".into()),
                content: file.data.to_vec(),
            }),
        )
        .await
    }
    .await;
    match r {
        Ok(_) => Redirect::to(&format!("/exchanges/{id}#id-h")).into_response(),
        Err(e) if e.status == axum::http::StatusCode::FORBIDDEN => from_api(e),
        Err(e) => {
            let why = paper_refusal(&e);
            let judged = verdict(&st, &ex, &IdForm::default(), w.is_qi());
            (
                e.status,
                page_with(
                    &st,
                    &w,
                    &ex,
                    &IdForm::default(),
                    None,
                    judged,
                    Some((&fields, Some(why))),
                ),
            )
                .into_response()
        }
    }
}

/// A refused paper notice, in words (the period's end as a date people read).
fn paper_refusal(e: &ApiError) -> Markup {
    let end = e
        .detail
        .details
        .as_ref()
        .and_then(|d| d["identification_end"].as_str())
        .and_then(|d| d.parse::<Date>().ok());
    let late = e
        .detail
        .fields
        .iter()
        .any(|f| f.rule == "within_identification_period");
    match (late, end) {
        (true, Some(end)) => html! {
            div.error role="alert" {
                p { strong { "Not recorded: delivered too late." } }
                p { "The identification period ended on " strong { (fmt::date(end)) } ". A notice delivered after that day does not identify replacement property ("
                    (notices::IDENTIFICATION_AUTHORITY) "). Nothing was stored." }
            }
        },
        _ => html! {
            div.error role="alert" {
                p { strong { "Not recorded: " } (fmt::words(e.detail.fields.first().map_or(e.detail.message.as_str(), |f| f.message.as_str()))) }
                @if e.detail.fields.len() > 1 { ul { @for f in e.detail.fields.iter().skip(1) { li { (fmt::words(&f.message)) } } } }
                p { "Nothing was stored." }
            }
        },
    }
}
