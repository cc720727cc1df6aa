//! The lifecycle forms of the "Record" section: the sale closed, and a purchase closed.

use super::answer::back_to_page;
use super::fields::{money, parse_date};
use super::load::load_all;
use super::place::{PLACE_LABEL, place_code};
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
        w.permitted()?,
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
        // Recorded already: said so, whatever the date typed (the form is no longer shown).
        let ex = load(&st, &w.auth(), &id).await?;
        if ex.phase != likekind_store::Phase::Draft {
            return Err(exchanges::sale_already_recorded(&ex));
        }
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
                sale: Some(Refused::labelled(
                    e,
                    &[("on_date", "on_date")],
                    &[("on_date", "Closing date")],
                )),
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
        let today = st.today();
        // Every problem of the form at once: the form's own, then the engine's on the rest.
        let mut errs: Vec<likekind_server::error::FieldError> = Vec::new();
        let mut take = |e: ApiError| errs.extend(e.detail.fields);
        let received = parse_date("received", &f.received).map_err(&mut take).ok();
        // A purchase is recorded once it has closed (the API refuses it too).
        if let Some(d) = received
            && d > today
        {
            let e = exchanges::closing_after_today("received", None, d, today);
            take(ApiError::fields(e.message.clone(), vec![e]));
        }
        let location = place_code("location", &f.location).map_err(&mut take).ok();
        let price = money("price", &f.price).map_err(&mut take).ok();
        let liabilities = money("liabilities", &f.liabilities).map_err(&mut take).ok();
        let expenses = money("expenses", &f.expenses).map_err(&mut take).ok();
        let desc = file
            .identified
            .iter()
            .find(|i| i.id == f.rid)
            .map(|i| i.description.clone())
            .unwrap_or_default();
        let zero = rust_decimal::Decimal::ZERO;
        let rep_json = serde_json::json!({
            "id": f.rid.trim(),
            "description": desc,
            // A place the form refused: one the engine accepts, its problem already said.
            "location": location.as_deref().unwrap_or("CA"),
            "received": received.unwrap_or(today).to_string(),
            "price": price.unwrap_or(zero).to_string(),
            "liabilities_assumed": liabilities.unwrap_or(zero).to_string(),
            "exchange_expenses": expenses.unwrap_or(zero).to_string(),
        });
        let n = file.replacement.len();
        let mut probe = serde_json::to_value(&file).map_err(|_| ApiError::internal())?;
        if let Some(list) = probe
            .get_mut("replacement")
            .and_then(serde_json::Value::as_array_mut)
        {
            list.push(rep_json.clone());
        } else if let Some(o) = probe.as_object_mut() {
            o.insert("replacement".into(), serde_json::json!([rep_json.clone()]));
        }
        let mut found: Vec<likekind_server::error::FieldError> = Vec::new();
        if let Err(e) = exchanges::parse_file(&probe, "file") {
            found.extend(e.detail.fields);
        }
        if let Ok(p) = exchanges::parse_file(&probe, "file") {
            // A purchase is recorded once it has closed (the API's rule, said on the input).
            if let Err(e) = exchanges::check_closings_not_after_today(Some(&file), &p, today) {
                found.extend(e.detail.fields);
            }
        }
        // The engine's problems with an input the form already refused are the form's own.
        let input_of = |path: &str| -> String {
            let p = path
                .strip_prefix(&format!("file.replacement[{n}]."))
                .unwrap_or(path);
            match p {
                "liabilities_assumed" => "liabilities".to_string(),
                "exchange_expenses" => "expenses".to_string(),
                other => other.to_string(),
            }
        };
        let refused: Vec<String> = errs.iter().map(|e| input_of(&e.path)).collect();
        let inputs = [
            "id",
            "location",
            "received",
            "price",
            "liabilities",
            "expenses",
        ];
        let own = |e: &likekind_server::error::FieldError| {
            !e.path.starts_with(&format!("file.replacement[{n}]."))
                || inputs.contains(&input_of(&e.path).as_str())
        };
        // Problems on fields the form does not ask for follow from another one (a §1245 value
        // above a negative price): said only when nothing else is.
        let any_own = !errs.is_empty() || found.iter().any(own);
        errs.extend(
            found
                .into_iter()
                .filter(|e| !refused.contains(&input_of(&e.path)))
                .filter(|e| !any_own || own(e)),
        );
        let (Some(received), true) = (received, errs.is_empty()) else {
            return Err(ApiError::fields("the purchase has problems", errs));
        };
        let rep: Replacement = serde_json::from_value(rep_json)
            .map_err(|e| ApiError::field("replacement", "type", e.to_string()))?;
        file.replacement.push(rep);
        let v = serde_json::to_value(&file).map_err(|_| ApiError::internal())?;
        let _ = exchanges::patch_exchange(
            State(st.clone()),
            w.permitted()?,
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
    let mut inputs: Vec<(String, &str)> =
        ["location", "received", "price", "liabilities", "expenses"]
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
    // Named as the form labels them.
    Refused::labelled(
        e,
        &pairs,
        &[
            ("rid", "Property"),
            ("location", PLACE_LABEL),
            ("received", "Closing date"),
            ("price", "Price"),
            ("liabilities", "New debt on the property"),
            ("expenses", "Exchange expenses at this closing"),
        ],
    )
}
