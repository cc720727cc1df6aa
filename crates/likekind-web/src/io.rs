//! Import of an exchange file (TOML or JSON, the contract the CLI reads, with the engine's
//! field-path errors) and export: the file, the engine's JSON report, and the calendar.

use crate::layout::{api_error, csrf, field, from_api, shell};
use crate::session::Web;
use axum::extract::{Form, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult, FieldError};
use likekind_server::exchanges::{file_of, load};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct ImportForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub text: String,
}

fn body(w: &Web, f: &ImportForm, err: Option<Markup>) -> Markup {
    shell(
        "Import an exchange file",
        Some(w),
        html! {
            h1 { "Import an exchange file" }
            p.lead { "Paste an exchange file in TOML or JSON (the same file " code { "likekind analyze" } " reads). Every problem is listed with the field it is in." }
            @if let Some(e) = err { (e) }
            form.card method="post" action="/exchanges/import" {
                (csrf(w))
                (field("Name of the exchange", "name", "text", &f.name, Some("Leave empty to use the file's [exchange] name.")))
                fieldset.inline-choices {
                    legend { "Format" }
                    label { input type="radio" name="format" value="toml" checked[f.format != "json"]; " TOML" }
                    label { input type="radio" name="format" value="json" checked[f.format == "json"]; " JSON" }
                }
                div.field {
                    label for="f-text" { "The file" }
                    textarea #f-text name="text" rows="16" spellcheck="false" { (f.text) }
                }
                button type="submit" { "Import" }
            }
        },
    )
}

/// `GET /exchanges/import`.
pub async fn import_form(w: Web) -> Response {
    body(&w, &ImportForm::default(), None).into_response()
}

fn parse(f: &ImportForm) -> ApiResult<likekind_core::ExchangeFile> {
    let fmt = if f.format == "json" {
        likekind_core::Format::Json
    } else {
        likekind_core::Format::Toml
    };
    likekind_core::parse_exchange(&f.text, fmt).map_err(|e| {
        ApiError::fields(
            "the exchange file is not valid",
            e.errors
                .into_iter()
                .map(|x| FieldError {
                    path: x.path,
                    rule: x.rule,
                    message: x.message,
                })
                .collect(),
        )
    })
}

/// `POST /exchanges/import`.
pub async fn import_post(
    State(st): State<AppState>,
    w: Web,
    Form(f): Form<ImportForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let r = async {
        let file = parse(&f)?;
        let name = if f.name.trim().is_empty() {
            file.exchange
                .name
                .clone()
                .unwrap_or_else(|| "Imported exchange".into())
        } else {
            f.name.clone()
        };
        crate::exchange::create(&st, &w, &name, None, &file).await
    }
    .await;
    match r {
        Ok(id) => Redirect::to(&format!("/exchanges/{id}")).into_response(),
        Err(e) => (e.status, body(&w, &f, Some(api_error(&e)))).into_response(),
    }
}

fn download(ct: &'static str, name: String, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, ct.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /exchanges/{id}/export/{file|report|ics}`.
pub async fn export(
    State(st): State<AppState>,
    w: Web,
    Path((id, what)): Path<(String, String)>,
) -> Response {
    let ex = match load(&st, &w.auth(), &id).await {
        Ok(ex) => ex,
        Err(e) => return from_api(e),
    };
    let file = match file_of(&ex) {
        Ok(f) => f,
        Err(e) => return from_api(e),
    };
    match what.as_str() {
        "file" => download(
            "application/json",
            format!("exchange-{id}.json"),
            serde_json::to_string_pretty(&file).unwrap_or_default(),
        ),
        "report" => download(
            "application/json",
            format!("report-{id}.json"),
            likekind_render::json(&likekind_core::analyze(&file, st.today())),
        ),
        "ics" => match likekind_server::alerts::calendar(
            State(st.clone()),
            likekind_server::alerts::FeedAuth(w.auth()),
        )
        .await
        {
            Ok(mut r) => {
                if let Ok(v) =
                    header::HeaderValue::from_str("attachment; filename=\"likekind-deadlines.ics\"")
                {
                    r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
                }
                r
            }
            Err(e) => from_api(e),
        },
        _ => from_api(ApiError::not_found()),
    }
}
