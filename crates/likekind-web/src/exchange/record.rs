//! The lifecycle forms of the "Record" section: the sale closed, and a purchase closed.

use super::fields::{money, parse_date};
use super::load::load_all;
use super::state::Loaded;
use crate::layout::{api_error, csrf, field, from_api, shell};
use crate::session::Web;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use likekind_core::model::Replacement;
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult};
use likekind_server::exchanges::{self, EventKind, EventReq, PatchExchangeReq, file_of, load};
use likekind_server::extract::{JsonBody, P};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct DateForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub on_date: String,
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
        Err(e) => from_api(e),
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

/// The purchase (replacement) form.
pub fn purchase_form(w: &Web, l: &Loaded, f: &PurchaseForm, err: Option<Markup>) -> Markup {
    html! {
        form.card #purchase method="post" action={ "/exchanges/" (l.ex.id) "/purchase" } {
            h3 { "A purchase closed" }
            @if let Some(e) = err { (e) }
            (csrf(w))
            div.field {
                label for="f-rid" { "Property (as identified)" }
                select #f-rid name="rid" {
                    @for i in &l.file.identified { option value=(i.id) selected[f.rid == i.id] { (i.id) ": " (i.description) } }
                }
            }
            (field("State (two letters) or foreign:XX", "location", "text", &f.location, None))
            (field("Closing date", "received", "date", &f.received, None))
            (field("Price", "price", "text", &f.price, Some("In dollars, e.g. 1,250,000.00")))
            (field("New debt on the property", "liabilities", "text", &f.liabilities, None))
            (field("Exchange expenses at this closing", "expenses", "text", &f.expenses, None))
            button type="submit" { "Record the purchase" }
        }
    }
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
        let received = parse_date("received", &f.received)?;
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
            "price": money("price", &f.price)?.to_string(),
            "liabilities_assumed": money("liabilities", &f.liabilities)?.to_string(),
            "exchange_expenses": money("expenses", &f.expenses)?.to_string(),
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
                        (purchase_form(&w, &l, &f, Some(api_error(&e))))
                    },
                ),
            )
                .into_response(),
            Err(e2) => from_api(e2),
        },
    }
}
