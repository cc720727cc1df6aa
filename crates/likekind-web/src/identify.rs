//! The identification form: the list is judged as it is typed (an htmx fragment calling the
//! API's own judgement, i.e. the engine's identification rules), so the consequence of a
//! fourth property shows before the notice is submitted; then the client signs it.

use crate::exchange::state::{Flash, Loaded, Posted, Refusal};
use crate::fmt::{self, parse_usd};
use crate::layout::{Refused, csrf, from_api, mark, refused_box_with, shell};
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

    /// The non-blank rows, in order.
    fn filled(&self) -> Vec<usize> {
        (0..ROWS)
            .filter(|&n| {
                !(self.get("id", n).trim().is_empty()
                    && self.get("desc", n).trim().is_empty()
                    && self.get("fmv", n).trim().is_empty())
            })
            .collect()
    }

    /// The API's field paths for the form's inputs (`properties[k]` is the k-th non-blank
    /// row; a notice without properties is about the first row), and `date_path` for the date.
    fn inputs(&self, date_path: &str, date_key: &str) -> Vec<(String, String)> {
        let mut v = vec![
            (date_path.to_string(), date_key.to_string()),
            ("properties".to_string(), "id_0".to_string()),
        ];
        for (k, n) in self.filled().into_iter().enumerate() {
            for (field, key) in [("id", "id"), ("description", "desc"), ("fmv", "fmv")] {
                v.push((format!("properties[{k}].{field}"), format!("{key}_{n}")));
            }
        }
        v
    }

    /// The non-blank rows as the API's notice; every problem the page finds, at once.
    fn req(&self) -> ApiResult<NoticeReq> {
        let mut errs: Vec<likekind_server::error::FieldError> = Vec::new();
        let on: Option<Date> = self.identified_on.trim().parse().ok();
        if on.is_none() {
            errs.extend(
                ApiError::field(
                    "identified_on",
                    "date",
                    "enter the date of the written notice",
                )
                .detail
                .fields,
            );
        }
        let properties = self.properties(&mut errs);
        match on {
            Some(identified_on) if errs.is_empty() => Ok(NoticeReq {
                identified_on,
                properties,
            }),
            _ => Err(ApiError::fields("the notice has problems", errs)),
        }
    }

    /// The non-blank rows as the API's properties; their problems go to `errs`.
    fn properties(
        &self,
        errs: &mut Vec<likekind_server::error::FieldError>,
    ) -> Vec<NoticeProperty> {
        let mut properties = Vec::new();
        for (k, n) in self.filled().into_iter().enumerate() {
            let (id, desc, fmv) = (self.get("id", n), self.get("desc", n), self.get("fmv", n));
            let v = match parse_usd(fmv) {
                Ok(v) => v,
                Err(m) => {
                    errs.extend(
                        ApiError::field(&format!("properties[{k}].fmv"), "money", m)
                            .detail
                            .fields,
                    );
                    continue;
                }
            };
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
        properties
    }
}

/// `inputs` as the pairs [`Refused::of`] takes.
fn pairs(inputs: &[(String, String)]) -> Vec<(&str, &str)> {
    inputs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect()
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
        Err(e) => {
            let r = Refused::of(&e, &[]);
            html! {
                div #judgement aria-live="polite" {
                    div.error {
                        p { strong { "The list cannot be checked yet: " } (r.headline) }
                        @if !r.fields.is_empty() { ul { @for (_, m) in &r.fields { li { (m) } } } }
                    }
                }
            }
        }
        Ok((n, total, sold, j)) => {
            let accepted = j["accepted"].as_bool().unwrap_or(false);
            let on_95 = j["on_the_95_percent_rule"].as_bool().unwrap_or(false);
            let threshold = j["identification"]["threshold_95"]
                .as_str()
                .and_then(|t| t.parse::<likekind_core::Amount>().ok());
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
                div #judgement aria-live="polite" class=(if accepted && !on_95 { "verdict ok" } else if on_95 { "verdict warn" } else { "verdict bad" }) {
                    h3 { @if on_95 { "This list is valid only if you receive at least 95% of it" } @else if accepted { "This list is a valid identification" } @else { "This list would not be a valid identification" } }
                    p { (n) " propert" (if n == 1 { "y" } else { "ies" }) " in force, worth " strong { (fmt::usd(total)) }
                        " in all; the property given up sold for " (fmt::usd(sold)) "." }
                    @if on_95 {
                        p { "It meets neither the three-property rule nor the 200% rule. It can still be a valid identification under " strong { "the 95% rule" } ": the properties you receive by the end of the exchange period must be worth at least "
                            strong { (threshold.map(fmt::usd).unwrap_or_default()) } ", 95% of all of them; otherwise nothing counts as identified (Treas. Reg. §1.1031(k)-1(c)(4)(ii)(B))." }
                    } @else {
                        p { "It meets " strong { (rule_w) } " (Treas. Reg. §1.1031(k)-1(c)(4))." }
                    }
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
    likekind_core::Amount,
    likekind_core::Amount,
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
/// otherwise the API's reasons, each on the input it is about.
fn refusal(e: &ApiError, staff: bool, ex_id: &str, f: &IdForm) -> (Refused, Markup) {
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
        // No input is wrong: whatever date the notice bears, it is too late.
        (true, Some(end)) => (
            Refused {
                headline: "the identification period has ended.".into(),
                ..Refused::default()
            },
            period_ended_words(end, staff, ex_id),
        ),
        _ => (
            Refused::of(e, &pairs(&f.inputs("identified_on", "on"))),
            html! {},
        ),
    }
}

/// A labelled text input of a row of properties, marked after a refused form.
fn row_input(
    r: Option<&Refused>,
    prefix: &str,
    key: &str,
    label: Markup,
    value: &str,
    decimal: bool,
) -> Markup {
    let id = format!("{prefix}{key}");
    let m = mark(r, key, &id, None);
    html! {
        label for=(id) { (label) }
        input id=(id) name=(key) type="text" inputmode=[decimal.then_some("decimal")] value=(value) aria-invalid=[m.invalid] aria-describedby=[m.described];
        (m.problem)
    }
}

/// The rows of properties of a notice form (ids `{prefix}id_N`, `{prefix}desc_N`, `{prefix}fmv_N`).
fn rows(r: Option<&Refused>, prefix: &str, get: impl Fn(&str, usize) -> String) -> Markup {
    html! {
        @for n in 0..ROWS {
            div.row {
                div.field.invalid[r.and_then(|r| r.get(&format!("id_{n}"))).is_some()] { (row_input(r, prefix, &format!("id_{n}"), html! { "Property " (n + 1) ": short id" }, &get("id", n), false)) }
                div.field.grow.invalid[r.and_then(|r| r.get(&format!("desc_{n}"))).is_some()] { (row_input(r, prefix, &format!("desc_{n}"), html! { "Address or legal description" }, &get("desc", n), false)) }
                div.field.invalid[r.and_then(|r| r.get(&format!("fmv_{n}"))).is_some()] { (row_input(r, prefix, &format!("fmv_{n}"), html! { "Fair market value" }, &get("fmv", n), true)) }
            }
        }
    }
}

/// The form for staff to record a signed paper notice (multipart: the scanned notice).
fn paper_form(
    w: &Web,
    ex: &ExchangeRow,
    end: Option<Date>,
    p: &PaperFields,
    err: Option<&(Refused, Markup)>,
) -> Markup {
    let r = err.map(|(r, _)| r);
    let delivered = mark(r, "delivered", "p-delivered", None);
    let received = mark(r, "received", "p-received", Some("p-received-hint"));
    let file = mark(r, "file", "p-file", None);
    html! {
        section.card #paper aria-labelledby="paper-h" {
            h2 #paper-h { "Record a signed paper notice" }
            p { "A notice signed by the taxpayer and delivered on paper to the intermediary (or to another person involved in the exchange who is not a disqualified person) identifies the properties it names on the day it was delivered"
                @if let Some(d) = end { ", if that is on or before " strong { (fmt::date(d)) } }
                ". Attach the scanned signed notice; the recording is kept in the audit log under your name." }
            @if let Some((r, more)) = err { (refused_box_with(r, more.clone())) }
            form method="post" action={ "/exchanges/" (ex.id) "/identify/paper" } enctype="multipart/form-data" {
                (csrf(w))
                div.field.invalid[delivered.invalid.is_some()] {
                    label for="p-delivered" { "Date the signed notice was delivered" }
                    input #p-delivered type="date" name="delivered_on" value=(p.delivered_on) max=(p.today) aria-invalid=[delivered.invalid] aria-describedby=[delivered.described];
                    (delivered.problem)
                }
                div.field.invalid[received.invalid.is_some()] {
                    label for="p-received" { "Received by" }
                    input #p-received type="text" name="received_by" value=(p.received_by) aria-invalid=[received.invalid] aria-describedby=[received.described];
                    (received.problem)
                    small #p-received-hint { "The person who received the notice." }
                }
                fieldset {
                    legend { "Properties named in the notice" }
                    (rows(r, "p-", |k, n| p.get(k, n).to_string()))
                }
                div.field.invalid[file.invalid.is_some()] {
                    label for="p-file" { "Scanned signed notice" }
                    input #p-file type="file" name="file" required aria-invalid=[file.invalid] aria-describedby=[file.described];
                    (file.problem)
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
    err: Option<&Refusal>,
    judged: Markup,
    paper: Option<(&PaperFields, Option<&Refusal>, Option<Date>, Date)>,
    over: bool,
) -> Markup {
    let today = String::new();
    let r = err.map(|(r, _)| r);
    let on = mark(r, "on", "f-on", None);
    shell(
        "Identify replacement property",
        Some(w),
        html! {
            nav.crumbs aria-label="Breadcrumb" { a href="/" { "Dashboard" } " › " a href={ "/exchanges/" (ex.id) } { (ex.name) } " › " span { "Identification" } }
            h1 { "Identify replacement property" }
            p.lead { "List each property you may buy, with an unambiguous description (street address or legal description) and its fair market value. The list is checked against the identification rules as you type." }
            @if let Some((r, more)) = err { (refused_box_with(r, more.clone())) }
            // After the identification period no notice made now identifies anything: the
            // form is not offered (its submission would be refused), only what that means; a
            // refused submission keeps what was typed beside its refusal.
            @if over && err.is_none() {
                div.card { (judged) }
            } @else {
            form.card #idform method="post" action={ "/exchanges/" (ex.id) "/identify" }
                hx-post={ "/exchanges/" (ex.id) "/identify/check" } hx-trigger="input changed delay:300ms, change" hx-target="#judgement" hx-swap="outerHTML" {
                (csrf(w))
                h2 #notice-h { "Your notice" }
                div.field.invalid[on.invalid.is_some()] {
                    label for="f-on" { "Date of the written notice" }
                    input #f-on type="date" name="identified_on" value=(if f.identified_on.is_empty() { &today } else { &f.identified_on }) aria-invalid=[on.invalid] aria-describedby=[on.described];
                    (on.problem)
                }
                div.idgrid {
                    fieldset {
                        legend { "Properties" }
                        (rows(r, "f-", |k, n| f.get(k, n).to_string()))
                    }
                    // Beside the list on wide screens; kept in view at the foot of the screen on
                    // narrow ones, so the check is always next to what it judges.
                    div.judge-wrap tabindex="0" role="region" aria-label="The check of this list" { (judged) }
                }
                button type="submit" { "Submit the notice" }
                " "
                button.secondary type="submit" formaction={ "/exchanges/" (ex.id) "/identify/check" } hx-post={ "/exchanges/" (ex.id) "/identify/check" } { "Check the list" }
            }
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
    err: Option<&Refusal>,
    judged: Markup,
    paper: Option<(&PaperFields, Option<&Refusal>)>,
) -> Markup {
    let end = file_of(ex)
        .ok()
        .and_then(|file| notices::identification_end(&file));
    let empty = PaperFields::default();
    let paper = w.is_qi().then(|| {
        let (p, e) = paper.unwrap_or((&empty, None));
        (p, e, end, st.today())
    });
    let over = end.is_some_and(|e| st.today() > e);
    form_page(w, ex, f, err, judged, paper, over)
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
        notices::submit(
            State(st.clone()),
            w.permitted()?,
            P(id.clone()),
            JsonBody(req),
        )
        .await
    }
    .await;
    match r {
        Ok(_) => Redirect::to(&format!("/exchanges/{id}#id-h")).into_response(),
        Err(e) => {
            let v = verdict(&st, &ex, &f, w.is_qi());
            let why = refusal(&e, w.is_qi(), &ex.id, &f);
            (e.status, page_with(&st, &w, &ex, &f, Some(&why), v, None)).into_response()
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
    Ok(Posted::of(&id, "id-h", r, |e| {
        let (r, more) = refusal(e, false, &id, &IdForm::default());
        Flash {
            sign: Some((nid, refused_box_with(&r, more))),
            ..Default::default()
        }
    }))
}

/// The notices of an exchange, with a Sign button for its client.
pub fn notices_list(w: &Web, ex: &ExchangeRow, ns: &[NoticeRow], today: Date) -> Markup {
    notices_list_with(w, ex, ns, today, None)
}

/// Whether a notice waiting for signature can be signed on `today`, judged again with the
/// notices signed since it was submitted (the API's own rule, [`notices::signable`]): the
/// reason in words when the identification would fail or change with it. `None` when it is
/// not waiting, was not accepted when submitted, or is refused for another reason (after day
/// 45: the Sign button stays and the refusal shows beside the notice).
fn signable_now(
    ex: &ExchangeRow,
    n: &NoticeRow,
    today: Date,
    accepted: bool,
) -> Option<Result<(), String>> {
    if n.status != "submitted" || !accepted {
        return None;
    }
    match file_of(ex).and_then(|f| notices::signable(&f, n, today)) {
        Ok(_) => Some(Ok(())),
        Err(e)
            if matches!(
                e.detail.code.as_str(),
                "identification_would_fail" | "identification_changed"
            ) =>
        {
            Some(Err(fmt::words(&e.detail.message)))
        }
        Err(_) => None,
    }
}

/// The notices, with a refused signature (the notice's id and the reason) beside its notice.
/// A notice waiting for signature is judged again as the identification stands today: one
/// that would make it fail (or stand only on the 95% rule) says so and offers no Sign button.
pub fn notices_list_with(
    w: &Web,
    ex: &ExchangeRow,
    ns: &[NoticeRow],
    today: Date,
    err: Option<&(String, Markup)>,
) -> Markup {
    let is_client = w.role() == Role::Client && ex.client_id.as_deref() == Some(w.user.id.as_str());
    html! {
        @if ns.is_empty() { p.empty { "No identification notice yet." } }
        @for n in ns {
            @let props: Vec<NoticeProperty> = serde_json::from_str(&n.properties).unwrap_or_default();
            @let j: serde_json::Value = serde_json::from_str(&n.judgement).unwrap_or_default();
            @let accepted = j["accepted"].as_bool().unwrap_or(false);
            @let now = signable_now(ex, n, today, accepted);
            article.notice {
                h3 { "Notice of " (fmt::date_str(&n.identified_on)) " · "
                    (match n.status.as_str() { "signed" if n.kind == "paper" => "signed paper notice".to_string(), "signed" => "signed by the client".to_string(), "revoked" => format!("revoked on {}", n.revoked_on.as_deref().map(fmt::date_str).unwrap_or_default()), _ if !accepted => "not valid: it cannot be signed".to_string(), _ if matches!(now, Some(Err(_))) => "it can no longer be signed".to_string(), _ => "waiting for the client's signature".to_string() }) }
                @if n.kind == "paper" {
                    p { "Delivered on paper on " (n.delivered_on.as_deref().map(fmt::date_str).unwrap_or_default())
                        " to " (n.received_by.as_deref().unwrap_or("")) "; recorded by the intermediary's staff"
                        @if let Some(d) = &n.document_id { " (" a href={ "/exchanges/" (ex.id) "/documents/" (d) } download { "the scanned notice" } ")" } "." }
                }
                @match &now {
                    Some(Err(why)) => { p.warn role="status" { strong { "Judged valid when submitted, but not as the identification stands today: " } (why) } }
                    Some(Ok(())) => { p { "Judged valid when submitted, and still valid today with the notices signed since." } }
                    None => { p { @if accepted { (if n.kind == "paper" { "Judged valid when recorded." } else { "Judged valid when submitted." }) } @else { strong { "Judged not valid when submitted." } } } }
                }
                @if let Some((_, e)) = err.filter(|(eid, _)| *eid == n.id) { (e) }
                ul { @for p in &props { li { (fmt::name(&p.id)) ": " (p.description) " — " (parse_usd(&p.fmv).map(fmt::usd).unwrap_or_else(|_| p.fmv.clone())) } } }
                @if is_client && n.status == "submitted" && accepted && !matches!(now, Some(Err(_))) {
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
pub fn revocations(w: &Web, l: &Loaded, err: Option<&(String, Refusal)>) -> Markup {
    let open: Vec<&NoticeRow> = l
        .notices
        .iter()
        .filter(|n| n.status == "signed" || n.status == "submitted")
        .collect();
    if open.is_empty() || !may_revoke(w, &l.ex) {
        // A refusal about a notice no longer open (revoked meanwhile) still shows.
        return html! { @if let Some((_, (r, more))) = err { (refused_box_with(r, more.clone())) } };
    }
    let id_end = l.report.deadlines.as_ref().map(|d| d.identification_end);
    let today = l.today.to_string();
    let staff = w.role() != Role::Client;
    let late = id_end.filter(|d| l.today > *d);
    // After the period the date of a paper revocation is within it: offered as its last day.
    let default_on = late.map_or_else(|| today.clone(), |d| d.to_string());
    html! {
        section.revoke aria-labelledby="rev-h" {
            h3 #rev-h { "Revoking an identification" }
            p { "An identification can be revoked only by a written document signed by the taxpayer and delivered to the intermediary before the end of the 45-day identification period"
                @if let Some(d) = id_end { " (here, by " strong { (fmt::date(d)) } ")" }
                " (" (notices::REVOCATION_AUTHORITY) "). After that the identification stays in force." }
            @if let Some(d) = id_end.filter(|d| l.today > *d) {
                @if staff {
                    p.warn role="status" { "The identification period ended on " (fmt::date(d)) ": the client can no longer revoke these notices, and the properties they name stay identified, unless a written revocation signed by the taxpayer was delivered on or before " (fmt::date(d)) ". Only such a revocation can still be recorded here, dated the day it was delivered, with its scan (uploaded among the documents as an identification notice) and the name of the person who received it. If money is held and the revocation would let it go to the taxpayer earlier, only an administrator can record it, with a written reason kept in the audit log (Treas. Reg. §1.1031(k)-1(g)(6))." }
                } @else {
                    p.warn role="status" { "The identification period ended on " (fmt::date(d)) ": these notices can no longer be revoked, and the properties they name stay identified." }
                }
            }
            @for n in &open {
                @let props: Vec<NoticeProperty> = serde_json::from_str(&n.properties).unwrap_or_default();
                @let names = props.iter().map(|p| fmt::name(&p.id)).collect::<Vec<_>>().join(", ");
                @let fid = format!("rev-{}", n.id);
                @let r = err.filter(|(eid, _)| *eid == n.id).map(|(_, (r, _))| r);
                @let on = mark(r, "on", &format!("{fid}-on"), None);
                @let written = mark(r, "written", &format!("{fid}-written"), None);
                form.card method="post" action={ "/exchanges/" (l.ex.id) "/notices/" (n.id) "/revoke" } aria-labelledby=(format!("{fid}-h")) {
                    h4 id=(format!("{fid}-h")) { "Revoke the notice of " (fmt::date_str(&n.identified_on)) " (" (names) ")"
                        @if n.status == "submitted" { ", not yet signed" } }
                    @if let Some((_, (r, more))) = err.filter(|(eid, _)| *eid == n.id) { (refused_box_with(r, more.clone())) }
                    (csrf(w))
                    @if w.role() == Role::Client {
                        // A client's revocation is dated the day it is made (the server
                        // refuses another date); staff record a paper one's delivery date.
                        input type="hidden" name="revoked_on" value=(today);
                        p { "Dated today, " (fmt::date(l.today)) "." }
                    } @else {
                        div.field.invalid[on.invalid.is_some()] {
                            label for=(format!("{fid}-on")) { "Date the written revocation was delivered" }
                            input id=(format!("{fid}-on")) type="date" name="revoked_on" value=(default_on) max=(today) aria-invalid=[on.invalid] aria-describedby=[on.described];
                            (on.problem)
                        }
                        @if late.is_some() && n.status == "signed" {
                            (late_evidence(w, l, &fid, r))
                        }
                    }
                    div.field.check.invalid[written.invalid.is_some()] {
                        input id=(format!("{fid}-written")) type="checkbox" name="written" value="yes" required aria-invalid=[written.invalid] aria-describedby=[written.described];
                        label for=(format!("{fid}-written")) { "The revocation is a written document signed by the taxpayer and delivered to the intermediary" }
                        (written.problem)
                    }
                    @if late.is_none() || staff {
                        button.secondary type="submit" { "Revoke this notice" }
                    }
                }
            }
        }
    }
}

/// The evidence staff give with a signed paper revocation recorded after the identification
/// period (the API's rule): the scanned revocation among the exchange's documents, who
/// received it, and an administrator's reason when held funds would go out earlier.
fn late_evidence(w: &Web, l: &Loaded, fid: &str, r: Option<&Refused>) -> Markup {
    let doc = mark(r, "document", &format!("{fid}-document"), None);
    let received = mark(r, "received", &format!("{fid}-received"), None);
    let hint = format!("{fid}-reason-hint");
    let reason = mark(r, "reason", &format!("{fid}-reason"), Some(hint.as_str()));
    let scans: Vec<_> = l
        .documents
        .iter()
        .filter(|(d, _)| d.kind == "identification_notice")
        .collect();
    html! {
        div.field.invalid[doc.invalid.is_some()] {
            label for=(format!("{fid}-document")) { "Scanned signed revocation" }
            select id=(format!("{fid}-document")) name="document_id" aria-invalid=[doc.invalid] aria-describedby=[doc.described] {
                option value="" { "Choose the scan (an identification notice document)" }
                @for (d, _) in &scans { option value=(d.id) { (d.filename) " (uploaded " (fmt::date_str(&d.uploaded_at)) ")" } }
            }
            (doc.problem)
        }
        div.field.invalid[received.invalid.is_some()] {
            label for=(format!("{fid}-received")) { "Received by" }
            input id=(format!("{fid}-received")) type="text" name="received_by" aria-invalid=[received.invalid] aria-describedby=[received.described];
            (received.problem)
        }
        @if w.role() == Role::Admin {
            div.field.invalid[reason.invalid.is_some()] {
                label for=(format!("{fid}-reason")) { "Reason for recording it although it lets held funds go earlier (administrators only)" }
                textarea id=(format!("{fid}-reason")) name="override_reason" rows="2" aria-invalid=[reason.invalid] aria-describedby=[reason.described] {}
                (reason.problem)
                small id=(format!("{fid}-reason-hint")) { "Leave empty unless the refusal asks for it; kept in the audit log." }
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
    /// After the identification period: the scanned signed revocation (a document's id).
    #[serde(default)]
    pub document_id: String,
    #[serde(default)]
    pub received_by: String,
    #[serde(default)]
    pub override_reason: String,
}

/// The refusal of a revocation, in words (dates in US format), on the inputs of the
/// notice's form (`rev-{nid}-on`, `rev-{nid}-written`; a client's has no date input).
fn revoke_refusal(e: &ApiError, nid: &str, dated: bool) -> Refusal {
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
    let date_input = if dated { "on" } else { "" };
    let prefix = format!("rev-{nid}-");
    match (late, end) {
        (true, Some(end)) => {
            // Staff dated it: the date is what is too late; a client's is dated today.
            let mut r = if dated {
                Refused::fields(vec![(
                    "on",
                    format!("The identification period ended on {end}."),
                )])
            } else {
                Refused::default()
            }
            .lead("Refused: ")
            .prefixed(prefix);
            r.headline = "too late to revoke.".into();
            let more = html! {
                p { "The date of revocation is too late: the identification period ended on " strong { (end) } ". An identification can be revoked only by a written document signed by the taxpayer and delivered before the end of the identification period (" (notices::REVOCATION_AUTHORITY) "), so it stays in force." }
            };
            (r, more)
        }
        _ => (
            Refused::labelled(
                e,
                &[
                    ("revoked_on", date_input),
                    ("written", "written"),
                    ("document_id", "document"),
                    ("received_by", "received"),
                    ("override_reason", "reason"),
                    // The release guard's refusal (the record would let held funds go
                    // earlier): what answers it is an administrator's reason.
                    ("file", "reason"),
                ],
                &[("reason", "An administrator's reason")],
            )
            .prefixed(prefix),
            html! {},
        ),
    }
}

/// A form's text, `None` when left blank.
fn given(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
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
        // Both of the page's own checks at once.
        let mut errs = Vec::new();
        let on: Option<Date> = f.revoked_on.trim().parse().ok();
        if on.is_none() {
            errs.extend(
                ApiError::field(
                    "revoked_on",
                    "date",
                    "enter the date of the written revocation",
                )
                .detail
                .fields,
            );
        }
        if f.written.is_none() {
            errs.extend(ApiError::field(
                "written",
                "written_signed_delivered",
                format!(
                    "confirm that the revocation is a written document signed by the taxpayer and delivered to the intermediary ({})",
                    notices::REVOCATION_AUTHORITY
                ),
            ).detail.fields);
        }
        let (Some(on), true) = (on, errs.is_empty()) else {
            return Err(ApiError::fields("the revocation has problems", errs));
        };
        notices::revoke(
            State(st.clone()),
            w.permitted()?,
            P((id.clone(), nid.clone())),
            JsonBody(notices::RevokeReq {
                revoked_on: on,
                document_id: given(&f.document_id),
                received_by: given(&f.received_by),
                override_reason: given(&f.override_reason),
            }),
        )
        .await
    }
    .await;
    let dated = w.role() != Role::Client;
    Ok(Posted::of(&id, "id-h", r, |e| Flash {
        revoke: Some((nid.clone(), revoke_refusal(e, &nid, dated))),
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
        // Every problem the page finds, at once: the date, the rows, the file.
        let mut errs = Vec::new();
        let delivered_on: Option<Date> = fields.delivered_on.trim().parse().ok();
        if delivered_on.is_none() {
            errs.extend(
                ApiError::field(
                    "delivered_on",
                    "date",
                    "enter the date the signed notice was delivered",
                )
                .detail
                .fields,
            );
        }
        let properties = form.properties(&mut errs);
        let file = parts.files.get("file").cloned().unwrap_or_default();
        let filename = file.filename.trim().to_string();
        let file_problem = if file.data.is_empty() {
            Some(ApiError::field(
                "file",
                "required",
                "attach the scanned signed notice",
            ))
        } else if file.data.len() > limit {
            Some(crate::upload::too_large("file", limit))
        } else if filename.is_empty() || filename.chars().count() > 255 {
            Some(ApiError::field(
                "file",
                "filename",
                "the file needs a plain name of 1 to 255 characters",
            ))
        } else {
            None
        };
        errs.extend(file_problem.into_iter().flat_map(|e| e.detail.fields));
        let (Some(delivered_on), true) = (delivered_on, errs.is_empty()) else {
            return Err(ApiError::fields("the paper notice has problems", errs));
        };
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
            let why = paper_refusal(&e, &paper_form_of(&fields));
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
                    Some((&fields, Some(&why))),
                ),
            )
                .into_response()
        }
    }
}

/// The paper form's rows as an [`IdForm`] (to map the API's paths to its inputs).
fn paper_form_of(p: &PaperFields) -> IdForm {
    IdForm {
        identified_on: p.delivered_on.clone(),
        rows: p.rows.clone(),
        ..Default::default()
    }
}

/// A refused paper notice, in words (the period's end as a date people read), each problem on
/// its input of the paper form (ids `p-…`).
fn paper_refusal(e: &ApiError, f: &IdForm) -> Refusal {
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
        (true, Some(end)) => {
            let mut r = Refused::fields(vec![(
                "delivered",
                format!("The identification period ended on {}.", fmt::date(end)),
            )])
            .lead("Not recorded: ")
            .prefixed("p-");
            r.headline = "delivered too late.".into();
            let more = html! {
                p { "The identification period ended on " strong { (fmt::date(end)) } ". A notice delivered after that day does not identify replacement property ("
                    (notices::IDENTIFICATION_AUTHORITY) "). Nothing was stored." }
            };
            (r, more)
        }
        _ => {
            let mut inputs = f.inputs("delivered_on", "delivered");
            inputs.push(("received_by".into(), "received".into()));
            inputs.push(("file".into(), "file".into()));
            inputs.push(("document_id".into(), "file".into()));
            let r = Refused::of(e, &pairs(&inputs))
                .lead("Not recorded: ")
                .prefixed("p-");
            (r, html! { p { "Nothing was stored." } })
        }
    }
}
