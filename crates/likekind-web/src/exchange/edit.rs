//! The form that edits the facts of an exchange (its exchange file), for staff.

use crate::layout::{Refused, csrf, field_in, from_api, mark, refused_box, shell};
use crate::session::Web;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use likekind_server::AppState;
use likekind_server::error::ApiError;
use likekind_server::exchanges::{self, PatchExchangeReq, file_of, load};
use likekind_server::extract::{JsonBody, P};
use likekind_store::{ExchangeRow, Role};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct EditForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub override_reason: String,
}

fn edit_body(w: &Web, ex: &ExchangeRow, f: &EditForm, err: Option<&Refused>) -> Markup {
    let file = mark(err, "file", "f-file", None);
    html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/" { "Dashboard" } " › " a href={ "/exchanges/" (ex.id) } { (ex.name) } " › " span { "Edit the facts" } }
        h1 { "Edit the facts of " (ex.name) }
        p.lead { "Names, dates, amounts and properties, as the exchange file states them (the same file the import and the command line read). The engine checks the file as when the exchange was opened; every change is kept in the audit log with the before and after, and the phase, deadlines and alerts follow." }
        p { "Once money is on the ledger, a change other than recording a receipt that would let the funds go to the taxpayer earlier is refused: only an administrator may make it, with a written reason. So is, once the identification period is over, a change that would count property as identified late, such as a purchase closing dated within the period recorded only now without a payment from the exchange funds in the period on the ledger." }
        @if let Some(e) = err { (refused_box(e)) }
        form.card #editform method="post" action={ "/exchanges/" (ex.id) "/edit" } {
            (csrf(w))
            input type="hidden" name="version" value=(f.version);
            (field_in(err, "Exchange name", "name", "text", &f.name, None))
            div.field.invalid[file.invalid.is_some()] {
                label for="f-file" { "The exchange file (JSON)" }
                textarea #f-file name="file" rows="24" spellcheck="false" aria-invalid=[file.invalid] aria-describedby=[file.described] { (f.file) }
                (file.problem)
            }
            @if w.role() == Role::Admin {
                (field_in(err, "Administrator's reason to override a refusal (only if needed)", "override_reason", "text", &f.override_reason, None))
            }
            button type="submit" { "Save the changes" }
        }
    }
}

/// `GET /exchanges/{id}/edit` (staff).
pub async fn edit_form(State(st): State<AppState>, w: Web, Path(id): Path<String>) -> Response {
    if let Err(e) = w.permitted::<likekind_server::permit::ChangeExchanges>() {
        return from_api(e);
    }
    let r = async {
        let ex = load(&st, &w.auth(), &id).await?;
        let file =
            serde_json::to_string_pretty(&file_of(&ex)?).map_err(|_| ApiError::internal())?;
        Ok::<_, ApiError>((ex, file))
    }
    .await;
    match r {
        Ok((ex, file)) => {
            let f = EditForm {
                version: ex.version,
                name: ex.name.clone(),
                file,
                ..EditForm::default()
            };
            shell("Edit the facts", Some(&w), edit_body(&w, &ex, &f, None)).into_response()
        }
        Err(e) => from_api(e),
    }
}

/// `POST /exchanges/{id}/edit`: the API's change of the exchange file.
pub async fn edit_post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Form(f): Form<EditForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let done = async {
        let file: serde_json::Value = serde_json::from_str(&f.file).map_err(|e| {
            ApiError::field(
                "file",
                "json",
                format!("the exchange file is not valid JSON: {e}"),
            )
        })?;
        let reason = f.override_reason.trim();
        exchanges::patch_exchange(
            State(st.clone()),
            w.permitted()?,
            P(id.clone()),
            JsonBody(PatchExchangeReq {
                version: f.version,
                name: Some(f.name.clone()),
                client_id: None,
                file: Some(file),
                override_reason: (!reason.is_empty()).then(|| reason.to_string()),
            }),
        )
        .await
    }
    .await;
    match done {
        Ok(_) => Redirect::to(&format!("/exchanges/{id}")).into_response(),
        Err(e)
            if e.status == axum::http::StatusCode::NOT_FOUND
                || e.status == axum::http::StatusCode::FORBIDDEN =>
        {
            from_api(e)
        }
        Err(e) => match load(&st, &w.auth(), &id).await {
            Ok(ex) => (
                e.status,
                shell(
                    "Edit the facts",
                    Some(&w),
                    edit_body(&w, &ex, &f, Some(&edit_refusal(&e))),
                ),
            )
                .into_response(),
            Err(e2) => from_api(e2),
        },
    }
}

/// A refused edit: the file's problems (any path in the exchange file) on the file's input.
fn edit_refusal(e: &ApiError) -> Refused {
    let paths: Vec<(&str, &str)> = e
        .detail
        .fields
        .iter()
        .map(|f| match f.path.as_str() {
            "name" => ("name", "name"),
            "override_reason" => ("override_reason", "override_reason"),
            p if p == "file" || p.starts_with("file.") || p.starts_with("file[") => (p, "file"),
            p => (p, ""),
        })
        .collect();
    Refused::of(e, &paths)
}
