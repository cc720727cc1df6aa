//! The new-exchange form, which opens an exchange with the sale, and the entity select it
//! shares with the calculator.

use super::fields::{money, parse_date};
use super::place::{PLACE_LABEL, place_code, place_field};
use crate::layout::{Refused, csrf, field_in, from_api, refused_box, shell};
use crate::session::Web;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use likekind_core::model::{Entity, ExchangeFile};
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult, FieldError};
use likekind_server::exchanges::{self, NewExchangeReq};
use likekind_server::extract::JsonBody;
use likekind_store::Role;
use maud::{Markup, html};
use rust_decimal::Decimal;
use serde::Deserialize;

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

/// Checks an entity name from a form and returns it.
pub fn parse_entity_str(s: &str) -> ApiResult<&str> {
    parse_entity(s).map(|_| s)
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
                    (place_field(err, "rel_location", &f.rel_location))
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
    if let Err(e) = w.permitted::<likekind_server::permit::OpenExchanges>() {
        return from_api(e);
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

/// The labels of the form's inputs, to name a problem as the form does.
const NEW_LABELS: [(&str, &str); 13] = [
    ("name", "Name of the exchange"),
    ("taxpayer", "Taxpayer name"),
    ("entity", "Taxpayer type"),
    ("rel_id", "Short id"),
    ("rel_description", "Description or address"),
    ("rel_location", PLACE_LABEL),
    ("acquired", "Date acquired"),
    ("transferred", "Date of sale"),
    ("sale_price", "Sale price"),
    ("adjusted_basis", "Adjusted basis"),
    ("depreciation", "Depreciation allowed"),
    ("liabilities", "Debt paid off or assumed by the buyer"),
    ("expenses", "Exchange expenses"),
];

/// The values of the new-exchange form, each `None` when the form refused it.
struct Values {
    entity: Option<String>,
    location: Option<String>,
    acquired: Option<Date>,
    transferred: Option<Date>,
    sale_price: Option<Decimal>,
    basis: Option<Decimal>,
    depreciation: Option<Decimal>,
    liabilities: Option<Decimal>,
    expenses: Option<Decimal>,
}

/// The form's own checks: what must be typed, the name, and each value read (the place from
/// its words); every problem goes to `take`.
fn form_values(f: &NewForm, take: &mut impl FnMut(ApiError)) -> Values {
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
    // A name the API would refuse (too long, control characters) is said with the rest.
    if !f.name.trim().is_empty()
        && let Err(e) = exchanges::check_exchange_name(&f.name)
    {
        take(e);
    }
    let entity = parse_entity_str(&f.entity)
        .map_err(&mut *take)
        .ok()
        .map(str::to_string);
    let location = place_code("relinquished[0].location", &f.rel_location)
        .map_err(&mut *take)
        .ok();
    let mut date = |path: &str, v: &str| parse_date(path, v).map_err(&mut *take).ok();
    let (acquired, transferred) = (
        date("relinquished[0].acquired", &f.acquired),
        date("relinquished[0].transferred", &f.transferred),
    );
    let mut amount = |path: &str, v: &str| money(path, v).map_err(&mut *take).ok();
    Values {
        entity,
        location,
        acquired,
        transferred,
        sale_price: amount("relinquished[0].sale_price", &f.sale_price),
        basis: amount("relinquished[0].adjusted_basis", &f.adjusted_basis),
        depreciation: amount("relinquished[0].depreciation_allowed", &f.depreciation),
        liabilities: amount("relinquished[0].liabilities_relieved", &f.liabilities),
        expenses: amount("relinquished[0].exchange_expenses", &f.expenses),
    }
}

/// The exchange file of the new-exchange form, validated by the engine as the API does; every
/// problem of the form at once. A value the form refused is replaced by one the engine accepts
/// (its problem is already said), so that the engine's own rules (a property acquired after
/// it was sold, an amount beyond the engine's limits) are said in the same answer, not after
/// the form's problems are put right.
fn file_from(f: &NewForm) -> ApiResult<ExchangeFile> {
    let mut errs: Vec<FieldError> = Vec::new();
    let mut take = |e: ApiError| errs.extend(e.detail.fields);
    let v = form_values(f, &mut take);
    let day = v
        .acquired
        .or(v.transferred)
        .unwrap_or(jiff::civil::date(2000, 1, 1));
    let amount = |a: Option<Decimal>| a.unwrap_or(Decimal::ZERO).to_string();
    let file = serde_json::json!({
        "taxpayer": {
            "name": f.taxpayer.trim(),
            "entity": v.entity.as_deref().unwrap_or("individual"),
            "extension_filed": f.extension_filed.is_some(),
        },
        "relinquished": [{
            "id": f.rel_id.trim(),
            "description": f.rel_description.trim(),
            "location": v.location.as_deref().unwrap_or("CA"),
            "acquired": v.acquired.unwrap_or(day).to_string(),
            "transferred": v.transferred.unwrap_or(day).to_string(),
            "sale_price": amount(v.sale_price),
            "adjusted_basis": amount(v.basis),
            "depreciation_allowed": amount(v.depreciation),
            "liabilities_relieved": amount(v.liabilities),
            "exchange_expenses": amount(v.expenses),
        }],
    });
    let input = |path: &str| {
        NEW_INPUTS
            .iter()
            .find(|(p, _)| path == *p || path.strip_prefix("file.") == Some(*p))
            .map(|(_, i)| *i)
    };
    let refused: Vec<&str> = errs.iter().filter_map(|e| input(&e.path)).collect();
    match exchanges::parse_file(&file, "file") {
        Ok(file) if errs.is_empty() => return Ok(file),
        Ok(_) => {}
        // The engine's problems with an input the form already refused are the form's own.
        Err(e) => errs.extend(
            e.detail
                .fields
                .into_iter()
                .filter(|x| input(&x.path).is_none_or(|i| !refused.contains(&i))),
        ),
    }
    Err(ApiError::fields("the form has problems", errs))
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
        w.permitted()?,
        JsonBody(NewExchangeReq {
            name: Some(name.to_string()),
            client_id: client,
            file: v,
        }),
    )
    .await?;
    Ok(view.id)
}

/// Opens an exchange from an imported file, logged as an import; its id.
///
/// # Errors
/// As [`create`].
pub async fn import(st: &AppState, w: &Web, name: &str, file: &ExchangeFile) -> ApiResult<String> {
    let v = serde_json::to_value(file).map_err(|_| ApiError::internal())?;
    let (_, axum::Json(view)) = exchanges::import_exchange(
        st,
        &w.auth(),
        NewExchangeReq {
            name: Some(name.to_string()),
            client_id: None,
            file: v,
        },
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
            let refused = Refused::labelled(&e, &NEW_INPUTS, &NEW_LABELS);
            (e.status, new_body(&st, &w, &f, Some(&refused)).await).into_response()
        }
    }
}
