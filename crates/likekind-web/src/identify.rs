//! The identification form: the list is judged as it is typed (an htmx fragment calling the
//! API's own judgement, i.e. the engine's identification rules), so the consequence of a
//! fourth property shows before the notice is submitted; then the client signs it.

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

/// The engine's verdict on the list as typed, with the exchange's notices already signed.
fn verdict(st: &AppState, ex: &ExchangeRow, f: &IdForm) -> Markup {
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
                        ul { @for p in ps { li { (p["message"].as_str().unwrap_or("")) " " small { "(" (p["authority"].as_str().unwrap_or("")) ")" } } } }
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

fn form_body(w: &Web, ex: &ExchangeRow, f: &IdForm, err: Option<Markup>, judged: Markup) -> Markup {
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
                div.field {
                    label for="f-on" { "Date of the written notice" }
                    input #f-on type="date" name="identified_on" value=(if f.identified_on.is_empty() { &today } else { &f.identified_on });
                }
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
                (judged)
                button type="submit" { "Submit the notice" }
                " "
                button.secondary type="submit" formaction={ "/exchanges/" (ex.id) "/identify/check" } hx-post={ "/exchanges/" (ex.id) "/identify/check" } { "Check the list" }
            }
        },
    )
}

/// `GET /exchanges/{id}/identify`.
pub async fn form(State(st): State<AppState>, w: Web, Path(id): Path<String>) -> Response {
    match load(&st, &w.auth(), &id).await {
        Ok(ex) => form_body(&w, &ex, &IdForm::default(), None, html! { div #judgement aria-live="polite" { p { "Enter the properties to see whether the list is valid." } } }).into_response(),
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
    let v = verdict(&st, &ex, &f);
    if headers.contains_key("hx-request") {
        v.into_response()
    } else {
        form_body(&w, &ex, &f, None, v).into_response()
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
            let v = verdict(&st, &ex, &f);
            (e.status, form_body(&w, &ex, &f, Some(api_error(&e)), v)).into_response()
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
    State(st): State<AppState>,
    w: Web,
    Path((id, nid)): Path<(String, String)>,
    Form(f): Form<SignForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    match notices::sign(
        State(st),
        w.auth(),
        likekind_server::extract::P((id.clone(), nid)),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/exchanges/{id}#id-h")).into_response(),
        Err(e) => from_api(e),
    }
}

/// The notices of an exchange, with a Sign button for its client.
pub fn notices_list(w: &Web, ex: &ExchangeRow, ns: &[NoticeRow]) -> Markup {
    let is_client = w.role() == Role::Client && ex.client_id.as_deref() == Some(w.user.id.as_str());
    html! {
        @if ns.is_empty() { p.empty { "No identification notice yet." } }
        @for n in ns {
            @let props: Vec<NoticeProperty> = serde_json::from_str(&n.properties).unwrap_or_default();
            @let j: serde_json::Value = serde_json::from_str(&n.judgement).unwrap_or_default();
            article.notice {
                h3 { "Notice of " (fmt::date_str(&n.identified_on)) " · "
                    (match n.status.as_str() { "signed" => "signed by the client".to_string(), "revoked" => format!("revoked on {}", n.revoked_on.as_deref().map(fmt::date_str).unwrap_or_default()), _ => "waiting for the client's signature".to_string() }) }
                p { @if j["accepted"].as_bool().unwrap_or(false) { "Judged valid when submitted." } @else { strong { "Judged not valid when submitted." } } }
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
pub fn revocations(w: &Web, l: &crate::exchange::Loaded, err: Option<&(String, Markup)>) -> Markup {
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
                p { code { "revoked_on" } ": the identification period ended on " strong { (end) } ". An identification can be revoked only by a written document signed by the taxpayer and delivered before the end of the identification period (" (notices::REVOCATION_AUTHORITY) "), so it stays in force." }
            }
        },
        _ => api_error(e),
    }
}

/// `POST /exchanges/{id}/notices/{nid}/revoke`: the written revocation, through the API's
/// rule (refused after day 45).
pub async fn revoke(
    State(st): State<AppState>,
    w: Web,
    Path((id, nid)): Path<(String, String)>,
    Form(f): Form<RevokeForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
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
    crate::exchange::back_to_page(&st, &w, &id, "id-h", r, |e| crate::exchange::Flash {
        revoke: Some((nid, revoke_refusal(e))),
        ..Default::default()
    })
    .await
}
