//! The lifecycle forms of the "Record" section: the sale closed, and a purchase closed.

use super::answer::back_to_page;
use super::fields::{money, parse_date};
use super::load::load_all;
use super::purchase::{PurchaseForm, purchase_form};
use super::state::Flash;
use crate::layout::{Refused, from_api, shell};
use crate::session::Web;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use likekind_core::model::Replacement;
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult};
use likekind_server::exchanges::{self, EventKind, EventReq, PatchExchangeReq, file_of, load};
use likekind_server::extract::{JsonBody, P};
use maud::html;
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
        Err(e) => {
            back_to_page(&st, &w, &id, "act-h", Err::<(), _>(e), |e| Flash {
                sale: Some(Refused::of(e, &[("on_date", "on_date")])),
                ..Default::default()
            })
            .await
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
