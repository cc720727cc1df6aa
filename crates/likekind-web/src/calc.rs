//! The quick calculator, open to anyone without an account: the deadlines from a transfer
//! date and the taxpayer type, and boot, gain and basis for a one-for-one exchange. It builds
//! a one-sale, one-purchase exchange file and runs the engine on it, so the figures and their
//! explanations are the engine's.

use crate::exchange::new::{entity_select, parse_entity_str};
use crate::exchange::widgets::explained;
use crate::fmt::{self, parse_usd};
use crate::layout::{Refused, api_error, field_in, refused_box};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use likekind_core::Amount;
use likekind_core::model::ExchangeFile;
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult, FieldError};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct CalcQuery {
    #[serde(default)]
    pub transferred: String,
    #[serde(default)]
    pub entity: String,
    #[serde(default)]
    pub year_end: String,
    #[serde(default)]
    pub extension: Option<String>,
    #[serde(default)]
    pub sale_price: String,
    #[serde(default)]
    pub basis: String,
    #[serde(default)]
    pub old_debt: String,
    #[serde(default)]
    pub expenses: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub new_debt: String,
    #[serde(default)]
    pub cash_paid: String,
}

fn m(path: &str, s: &str) -> ApiResult<Amount> {
    parse_usd(s).map_err(|e| ApiError::field(path, "money", e))
}

/// The one-for-one exchange file of the calculator.
pub fn file(q: &CalcQuery) -> ApiResult<ExchangeFile> {
    let t: jiff::civil::Date = q.transferred.trim().parse().map_err(|_| {
        let m = if q.transferred.trim().is_empty() {
            "enter the date the property was sold".to_string()
        } else {
            // A date was entered, just not one on the calendar (e.g. February 30).
            "the date entered is not a valid date (no such day on the calendar): enter the date the property was sold".to_string()
        };
        ApiError::field("transferred", "date", m)
    })?;
    let acquired = likekind_core::calendar::add_days(t, -3650);
    let with_purchase = !q.price.trim().is_empty();
    let mut v = serde_json::json!({
        "taxpayer": {
            "entity": parse_entity_str(if q.entity.is_empty() { "individual" } else { &q.entity })?,
            "tax_year_end": if q.year_end.trim().is_empty() { "12-31" } else { q.year_end.trim() },
            "extension_filed": q.extension.is_some(),
        },
        "relinquished": [{
            "id": "sold", "description": "Property sold", "location": "CA",
            "acquired": acquired.to_string(), "transferred": t.to_string(),
            "sale_price": m("sale_price", &q.sale_price)?.to_string(),
            "adjusted_basis": m("basis", &q.basis)?.to_string(),
            "liabilities_relieved": m("old_debt", &q.old_debt)?.to_string(),
            "exchange_expenses": m("expenses", &q.expenses)?.to_string(),
        }],
    });
    if with_purchase {
        let mut r = serde_json::json!({
            "id": "bought", "description": "Property bought", "location": "CA",
            "received": t.to_string(),
            "price": m("price", &q.price)?.to_string(),
            "liabilities_assumed": m("new_debt", &q.new_debt)?.to_string(),
        });
        if !q.cash_paid.trim().is_empty() {
            r["cash_paid"] = serde_json::Value::String(m("cash_paid", &q.cash_paid)?.to_string());
        }
        v["replacement"] = serde_json::json!([r]);
    }
    let f: ExchangeFile =
        serde_json::from_value(v).map_err(|e| ApiError::field("file", "type", e.to_string()))?;
    likekind_core::validate::validate(&f).map_err(|e| {
        ApiError::fields(
            "check the figures",
            e.errors
                .into_iter()
                .map(|x| FieldError {
                    path: x.path,
                    rule: x.rule,
                    message: x.message,
                })
                .collect(),
        )
    })?;
    Ok(f)
}

/// The API's paths of the calculator's exchange file, and the inputs that hold them.
const INPUTS: [(&str, &str); 11] = [
    ("transferred", "transferred"),
    ("taxpayer.entity", "entity"),
    ("taxpayer.tax_year_end", "year_end"),
    ("relinquished[0].sale_price", "sale_price"),
    ("relinquished[0].adjusted_basis", "basis"),
    ("relinquished[0].liabilities_relieved", "old_debt"),
    ("relinquished[0].exchange_expenses", "expenses"),
    ("replacement[0].price", "price"),
    ("replacement[0].liabilities_assumed", "new_debt"),
    ("replacement[0].cash_paid", "cash_paid"),
    ("replacement[0].received", "transferred"),
];

/// The inputs' labels, to name a problem as the form does.
const LABELS: [(&str, &str); 10] = [
    ("transferred", "Date of sale"),
    ("entity", "Taxpayer type"),
    ("year_end", "Tax year ends"),
    ("sale_price", "Sale price"),
    ("basis", "Adjusted basis"),
    ("old_debt", "Debt paid off"),
    ("expenses", "Exchange expenses"),
    ("price", "Price"),
    ("new_debt", "New debt"),
    ("cash_paid", "Your own cash added"),
];

/// A refused calculation: each problem named by the calculator's label, on its input. The
/// calculator saves nothing, so it is "not calculated", never "not saved".
fn refused(q: &CalcQuery) -> Option<Refused> {
    if q.transferred.trim().is_empty() {
        return None;
    }
    let e = file(q).err()?;
    // The calculator's own inputs (`m`) name their input; the engine's paths are mapped.
    let mut inputs: Vec<(&str, &str)> = INPUTS.to_vec();
    inputs.extend(LABELS.iter().map(|(i, _)| (*i, *i)));
    Some(Refused::labelled(&e, &inputs, &LABELS).lead("Not calculated: "))
}

/// The results fragment.
pub fn results(q: &CalcQuery, today: jiff::civil::Date) -> Markup {
    if q.transferred.trim().is_empty() {
        return html! { div #results aria-live="polite" { p.empty { "Enter a sale date to see the deadlines." } } };
    }
    if let Some(r) = refused(q) {
        return html! { div #results aria-live="polite" { (refused_box(&r)) } };
    }
    match file(q) {
        Err(e) => html! { div #results aria-live="polite" { (api_error(&e)) } },
        Ok(f) => {
            let r = likekind_core::analyze(&f, today);
            html! {
                div #results aria-live="polite" {
                    @if let Some(d) = &r.deadlines {
                        h2 { "Deadlines" }
                        div.figures {
                            (explained(&r, "deadlines.identification_end", "Identify replacement property by (day 45)", &fmt::date(d.identification_end)))
                            (explained(&r, "deadlines.day_180", "Day 180", &fmt::date(d.day_180)))
                            (explained(&r, "deadlines.return_due_date", "Return due date", &fmt::date(d.return_due_date)))
                            (explained(&r, "deadlines.exchange_end", "Receive replacement property by", &fmt::date(d.exchange_end)))
                        }
                        // A deadline on a weekend or holiday is not moved (IRC §1031(a)(3);
                        // Treas. Reg. §1.1031(k)-1(b)(2)): said here as the report says it.
                        @for x in r.findings.iter().filter(|x| x.code == "deadline_on_weekend_or_holiday") {
                            p.note role="note" { strong { "Note: " } (fmt::words(&x.message)) " " small { "(" (x.authority) ")" } }
                        }
                    }
                    @if !f.replacement.is_empty() {
                        h2 { "Boot, gain and basis" }
                        div.figures {
                            (explained(&r, "form_8824.line_15", "Boot (cash, other property and net debt relief, less expenses)", &fmt::usd(r.boot.total)))
                            (explained(&r, "form_8824.line_19", "Realized gain", &fmt::usd(r.gain.realized)))
                            (explained(&r, "form_8824.line_23", "Recognized (taxable) gain", &fmt::usd(r.gain.recognized)))
                            (explained(&r, "form_8824.line_24", "Deferred gain", &fmt::usd(r.gain.deferred)))
                            (explained(&r, "form_8824.line_25", "Basis of the property bought", &fmt::usd(r.form_8824.line_25)))
                        }
                        p { small { "Assumes the purchase qualifies (identified and received in time, held for investment or business)." } }
                    }
                }
            }
        }
    }
}

/// `GET /calc`: the whole page, or, for htmx, the results fragment with the inputs beside
/// it (swapped out of band), so an input with a problem is marked (`aria-invalid`, described
/// by its message) after an htmx swap as after a full page load, and one put right is no
/// longer marked.
pub async fn page(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<CalcQuery>,
) -> Response {
    let res = results(&q, st.today());
    let err = refused(&q);
    if headers.contains_key("hx-request") {
        return html! {
            (res)
            (inputs(&q, err.as_ref(), true))
        }
        .into_response();
    }
    page_markup(&q, res, err.as_ref()).into_response()
}

/// The calculator's inputs, each marked with its problem (`aria-invalid`, described by it)
/// like the other forms; `oob`: for an htmx response, out of band. `data-marks-only` has the
/// page's script take the marks onto the inputs already there rather than replace them (the
/// person may be typing in one).
fn inputs(q: &CalcQuery, err: Option<&Refused>, oob: bool) -> Markup {
    let field = |label: &str, name: &str, kind: &str, value: &str, hint: Option<&str>| {
        field_in(err, label, name, kind, value, hint)
    };
    html! {
        div #calc-inputs data-marks-only hx-swap-oob=[oob.then_some("true")] {
            fieldset {
                legend { "The sale" }
                (field("Date of sale", "transferred", "date", &q.transferred, None))
                (entity_select(&q.entity))
                (field("Tax year ends (MM-DD)", "year_end", "text", if q.year_end.is_empty() { "12-31" } else { &q.year_end }, None))
                div.field.check {
                    input #f-extension type="checkbox" name="extension" value="yes" checked[q.extension.is_some()];
                    label for="f-extension" { "The return is extended" }
                }
                (field("Sale price", "sale_price", "text", &q.sale_price, Some("In dollars, e.g. 1,000,000")))
                (field("Adjusted basis", "basis", "text", &q.basis, None))
                (field("Debt paid off", "old_debt", "text", &q.old_debt, None))
                (field("Exchange expenses", "expenses", "text", &q.expenses, None))
            }
            fieldset {
                legend { "The purchase (optional)" }
                (field("Price", "price", "text", &q.price, None))
                (field("New debt", "new_debt", "text", &q.new_debt, None))
                (field("Your own cash added", "cash_paid", "text", &q.cash_paid, Some("Leave empty to let the engine infer it.")))
            }
        }
    }
}

fn page_markup(q: &CalcQuery, res: Markup, err: Option<&Refused>) -> Markup {
    crate::layout::shell(
        "Quick calculator",
        None,
        html! {
            h1 { "Quick calculator" }
            p.lead { "No account needed. The deadlines of a §1031 exchange from the sale date, and the boot, gain and basis of a one-for-one exchange." }
            div.cols.calc {
                form.card method="get" action="/calc" hx-get="/calc" hx-trigger="input changed delay:300ms, change" hx-target="#results" hx-swap="outerHTML" {
                    (inputs(q, err, false))
                    button type="submit" { "Calculate" }
                }
                (res)
            }
        },
    )
}
