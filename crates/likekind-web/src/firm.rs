//! Firm settings (administrators only): the second-approval threshold for disbursements,
//! through the API's `PATCH /api/firm` (which writes the change to the audit log), with the
//! history of its changes.

use crate::fmt::{self, parse_usd};
use crate::layout::{Refused, csrf, field_in, from_api, refused_box, shell};
use crate::session::Web;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use likekind_server::AppState;
use likekind_server::auth::{self, FirmPatch};
use likekind_server::error::{ApiError, ApiResult};
use likekind_server::extract::JsonBody;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct FirmForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub approval_threshold: String,
}

fn cents_of(v: Option<&serde_json::Value>) -> Option<String> {
    v.and_then(|v| v["approval_threshold_cents"].as_i64())
        .map(fmt::cents)
}

async fn body(st: &AppState, w: &Web, f: &FirmForm, err: Option<&Refused>) -> ApiResult<Markup> {
    let firm = st.store.get_firm(&w.user.firm_id).await?;
    let names = crate::users::names(st, &w.user.firm_id).await?;
    let name_of = |id: Option<&str>| {
        id.and_then(|i| names.get(i))
            .cloned()
            .unwrap_or_else(|| "someone".into())
    };
    let changes: Vec<_> = st
        .store
        .list_firm_audit(&w.user.firm_id, 200)
        .await?
        .into_iter()
        .filter(|a| a.action == "firm.update")
        .collect();
    let current = fmt::cents(firm.approval_threshold_cents);
    let value = if f.approval_threshold.is_empty() && err.is_none() {
        current.clone()
    } else {
        f.approval_threshold.clone()
    };
    Ok(shell(
        "Firm settings",
        Some(w),
        html! {
            h1 { "Firm settings: " (firm.name) }
            section aria-labelledby="thr-h" {
                h2 #thr-h { "Second approval of payments out of the exchange funds" }
                p #threshold-now { "Today a payment out of an exchange's funds above " strong { (current) } " needs a second person: the coordinator or administrator who asks for it cannot approve it, another one must." }
                form.card method="post" action="/firm" {
                    @if let Some(e) = err { (refused_box(e)) }
                    (csrf(w))
                    (field_in(err, "Second-approval threshold", "approval_threshold", "text", &value, Some(THRESHOLD_HINT)))
                    button type="submit" { "Save the threshold" }
                }
            }
            section aria-labelledby="hist-h" {
                h2 #hist-h { "Changes" }
                @if changes.is_empty() { p.empty { "The threshold has not been changed since the firm was created." } } @else {
                    div.scroll tabindex="0" role="region" aria-label="Threshold changes, table" { table {
                        thead { tr { th scope="col" { "Date" } th scope="col" { "Who" } th.num scope="col" { "Before" } th.num scope="col" { "After" } } }
                        tbody { @for a in &changes { tr {
                            td { (fmt::date_str(&a.at)) }
                            td { (name_of(a.actor_id.as_deref())) }
                            td.num { (cents_of(a.before.as_ref()).unwrap_or_default()) }
                            td.num { (cents_of(a.after.as_ref()).unwrap_or_default()) }
                        } } }
                    } }
                }
            }
        },
    ))
}

/// What the threshold governs, as the server applies it (`likekind_server::ledger`, the
/// store's `check_four_eyes`): every payment out of the funds, of any kind, alone or added up
/// over the exchange, so that it cannot be split.
const THRESHOLD_HINT: &str = "In dollars, e.g. 100,000.00. Every payment out of an exchange's funds waits for a second person's approval when it is above this amount: a payment to a purchase closing, a release of funds to the taxpayer, and the intermediary's fee. So does a smaller one that, added to what has already left that exchange without a second approval, would come to more than this amount. 0 means every payment out waits. Money coming in (sale proceeds, interest) never waits.";

fn refuse_non_admin(w: &Web) -> Option<Response> {
    (!w.is_admin()).then(|| {
        from_api(ApiError::forbidden(
            "only an administrator changes the firm's settings",
        ))
    })
}

/// `GET /firm`.
pub async fn page(State(st): State<AppState>, w: Web) -> Response {
    if let Some(r) = refuse_non_admin(&w) {
        return r;
    }
    match body(&st, &w, &FirmForm::default(), None).await {
        Ok(m) => m.into_response(),
        Err(e) => from_api(e),
    }
}

/// `POST /firm`: through the API's handler (admin only; the change goes to the audit log).
pub async fn post(State(st): State<AppState>, w: Web, Form(f): Form<FirmForm>) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    if let Some(r) = refuse_non_admin(&w) {
        return r;
    }
    let r = async {
        if f.approval_threshold.trim().is_empty() {
            return Err(ApiError::field(
                "approval_threshold",
                "required",
                "enter an amount in dollars",
            ));
        }
        let amount = parse_usd(&f.approval_threshold)
            .map_err(|m| ApiError::field("approval_threshold", "money", m))?;
        auth::patch_firm(
            State(st.clone()),
            w.permitted()?,
            JsonBody(FirmPatch {
                approval_threshold: amount.to_string(),
            }),
        )
        .await
    }
    .await;
    match r {
        Ok(_) => Redirect::to("/firm").into_response(),
        Err(e) => match body(
            &st,
            &w,
            &f,
            Some(&Refused::of(
                &e,
                &[("approval_threshold", "approval_threshold")],
            )),
        )
        .await
        {
            Ok(m) => (e.status, m).into_response(),
            Err(e2) => from_api(e2),
        },
    }
}
