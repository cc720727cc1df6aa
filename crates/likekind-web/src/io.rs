//! Import of an exchange file (TOML or JSON, the contract the CLI reads, with the engine's
//! input errors said in words), pasted or uploaded as a file, and export: the file, the engine's JSON
//! report, this exchange's calendar and the person's whole deadline feed.

use crate::fmt;
use crate::layout::{csrf, field, from_api, shell};
use crate::session::Web;
use axum::extract::{Form, FromRequest, Multipart, Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult, FieldError};
use likekind_server::exchanges::{self, file_of, load};
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
    /// The uploaded file's name and text (a multipart form), when a file was chosen.
    #[serde(skip)]
    pub file: Option<(String, String)>,
}

/// The largest exchange file accepted by upload, in bytes.
pub const IMPORT_LIMIT: usize = 2 * 1024 * 1024;

fn body(w: &Web, f: &ImportForm, err: Option<Markup>) -> Markup {
    shell(
        "Import an exchange file",
        Some(w),
        html! {
            h1 { "Import an exchange file" }
            p.lead { "Upload or paste an exchange file in TOML or JSON (the same file " code { "likekind analyze" } " reads). Every problem with the exchange's facts is listed at once, each with the field it is in and what is wrong with it. A file that cannot be read (not TOML or JSON, a field the file does not have, a value of the wrong kind) has every such field listed (up to twenty), the first with where it is in the file; the rules of the facts are checked once it reads." }
            @if let Some(e) = err { (e) }
            form.card method="post" action="/exchanges/import" enctype="multipart/form-data" {
                (csrf(w))
                (field("Name of the exchange", "name", "text", &f.name, Some("Leave empty to use the file's [exchange] name.")))
                div.field {
                    label for="f-file" { "Exchange file to upload" }
                    input #f-file type="file" name="file" accept=".toml,.json,application/json,application/toml,text/plain" aria-describedby="f-file-hint";
                    small #f-file-hint { "A .toml or .json file, up to 2 MB. Or leave it empty and paste the file below." }
                }
                fieldset.inline-choices {
                    legend { "Format" }
                    label { input type="radio" name="format" value="auto" checked[f.format != "json" && f.format != "toml"]; " Detect (by the file's extension, then its content)" }
                    label { input type="radio" name="format" value="toml" checked[f.format == "toml"]; " TOML" }
                    label { input type="radio" name="format" value="json" checked[f.format == "json"]; " JSON" }
                }
                div.field {
                    label for="f-text" { "Or paste the file" }
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

/// The format: as chosen, else by the uploaded file's extension, else by the content (a JSON
/// file starts with `{`, after any byte order mark).
pub fn format_of(choice: &str, filename: Option<&str>, text: &str) -> likekind_core::Format {
    use likekind_core::Format;
    match choice {
        "json" => Format::Json,
        "toml" => Format::Toml,
        _ => {
            let ext = filename.map(str::to_ascii_lowercase);
            match ext.as_deref() {
                Some(n) if n.ends_with(".json") => Format::Json,
                Some(n) if n.ends_with(".toml") => Format::Toml,
                // A byte order mark (as Windows editors write) is not the content.
                _ if likekind_core::input::without_bom(text)
                    .trim_start()
                    .starts_with('{') =>
                {
                    Format::Json
                }
                _ => Format::Toml,
            }
        }
    }
}

fn parse(f: &ImportForm) -> ApiResult<likekind_core::ExchangeFile> {
    let (name, text) = match &f.file {
        Some((n, t)) => (Some(n.as_str()), t.as_str()),
        None => (None, f.text.as_str()),
    };
    if text.trim().is_empty() {
        return Err(ApiError::field(
            if f.file.is_some() { "file" } else { "text" },
            "required",
            if f.file.is_some() {
                "the uploaded file is empty"
            } else {
                "choose a file to upload or paste an exchange file"
            },
        ));
    }
    let fmt = format_of(&f.format, name, text);
    // A file the reader cannot read lists its fields in error (text that is not TOML or JSON
    // stops at its first problem); the rules are checked only once it reads. The page says
    // which it is, so the list is not taken for all there is.
    let (message, read) = match likekind_core::input::read_file(text, fmt) {
        Ok(file) => (
            "the exchange file is not valid",
            likekind_core::Exchange::validate(file),
        ),
        Err(e) => (UNREAD, Err(e)),
    };
    read.map(likekind_core::Exchange::into_file).map_err(|e| {
        ApiError::fields(
            message,
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

/// The refusal of a file the reader cannot read (not TOML or JSON, a field the contract does
/// not have, a value of the wrong kind): the rules of the facts are not checked yet, so more
/// problems may come once these are fixed.
const UNREAD: &str = "the exchange file cannot be read";

/// The engine's input errors, each in words: the field and what is wrong with it
/// ([`fmt::problem`]). Neither the field path nor the rule's code is shown: the message says
/// what the rule asks ("must not be negative", "is after today (…): a purchase is recorded
/// once it has closed").
fn input_errors(e: &ApiError) -> Markup {
    html! {
        div.error role="alert" {
            // With problems listed, the summary counts them: the API's message for one field
            // is that field's path and message, which the list says in words.
            p {
                strong { "Not imported: " }
                @match e.detail.fields.len() {
                    0 => (fmt::words(&e.detail.message)),
                    1 if e.detail.message == UNREAD => "the file cannot be read because of the problem below. Fix it and import the file again: the rules of the exchange's facts are checked once it reads.",
                    n if e.detail.message == UNREAD => { "the file cannot be read because of the " (n) " problems below. Fix them and import the file again: the rules of the exchange's facts are checked once it reads." },
                    1 => "one problem, below.",
                    n => { (n) " problems, below." },
                }
            }
            @if !e.detail.fields.is_empty() {
                ul { @for f in &e.detail.fields {
                    li { (fmt::problem(&f.path, &f.message)) }
                } }
            }
        }
    }
}

/// Reads the import form: URL-encoded (paste only) or multipart (with a file).
async fn read_form(st: &AppState, req: Request) -> ApiResult<ImportForm> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/form-data"));
    if !multipart {
        let Form(f) = Form::<ImportForm>::from_request(req, st)
            .await
            .map_err(|e| ApiError::new(e.status(), "malformed_form", e.body_text()))?;
        return Ok(f);
    }
    let mp = Multipart::from_request(req, st)
        .await
        .map_err(|e| ApiError::new(e.status(), "malformed_form", e.body_text()))?;
    let parts = crate::upload::read(mp, "file", IMPORT_LIMIT).await?;
    let file = match parts.files.get("file") {
        Some(p) if !(p.filename.is_empty() && p.data.is_empty()) => {
            // The same words as `likekind check`: which encoding it is, or where the first
            // byte that is not UTF-8 sits.
            let text = likekind_core::input::text::utf8(p.data.to_vec())
                .map_err(|why| ApiError::field("file", "utf8", format!("{}: {why}", p.filename)))?;
            Some((p.filename.clone(), text))
        }
        _ => None,
    };
    Ok(ImportForm {
        csrf: parts.get("_csrf").to_string(),
        name: parts.get("name").to_string(),
        format: parts.get("format").to_string(),
        text: parts.get("text").to_string(),
        file,
    })
}

/// `POST /exchanges/import`: a pasted file (URL-encoded or multipart) or an uploaded one.
pub async fn import_post(State(st): State<AppState>, w: Web, req: Request) -> Response {
    let f = match read_form(&st, req).await {
        Ok(f) => f,
        Err(e) => {
            return (
                e.status,
                body(&w, &ImportForm::default(), Some(input_errors(&e))),
            )
                .into_response();
        }
    };
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let r = async {
        let file = parse(&f).map_err(|e| {
            // A file that does not read never reaches the API, which would say a name that
            // breaks its rule with the file's problems: said here with them.
            let name = if f.name.trim().is_empty() {
                Ok(String::new())
            } else {
                exchanges::check_exchange_name(&f.name)
            };
            ApiError::together([name.as_ref().err(), Some(&e)])
                .err()
                .unwrap_or(e)
        })?;
        let name = if f.name.trim().is_empty() {
            file.exchange
                .name
                .clone()
                .unwrap_or_else(|| "Imported exchange".into())
        } else {
            f.name.clone()
        };
        crate::exchange::new::import(&st, &w, &name, &file).await
    }
    .await;
    match r {
        Ok(id) => Redirect::to(&format!("/exchanges/{id}")).into_response(),
        Err(e) => (e.status, body(&w, &f, Some(input_errors(&e)))).into_response(),
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

/// This exchange's calendar: every milestone of the engine's status (as `likekind analyze
/// --format ics` writes it), with UIDs based on the tracker's exchange id (the same base as
/// the person's feed, so importing both updates events instead of duplicating them), stamped
/// and reminded as the feed is (`o`: the time of the request, the firm's lead times).
pub fn exchange_calendar(
    name: &str,
    id: &str,
    report: &likekind_core::Report,
    o: &likekind_render::ics::Options,
) -> String {
    let items: Vec<likekind_core::status::Milestone> = report
        .status
        .as_ref()
        .map(likekind_core::status::Status::calendar_milestones)
        .unwrap_or_default();
    likekind_render::ics::feed_with(name, &[(format!("exch-{id}"), items)], o)
}

/// `GET /exchanges/{id}/export/{file|report|ics|feed}`.
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
            likekind_render::json(&likekind_core::analyze(
                &likekind_store::summary::tracked(file),
                st.today(),
            )),
        ),
        "ics" => {
            let o = match likekind_server::alerts::calendar_options(&st, w.auth().firm()).await {
                Ok(o) => o,
                Err(e) => return from_api(e),
            };
            let report =
                likekind_core::analyze(&likekind_store::summary::tracked(file), st.today());
            download(
                "text/calendar; charset=utf-8",
                format!("exchange-{}.ics", likekind_render::ics::slug(&ex.name)),
                exchange_calendar(&ex.name, &ex.id, &report, &o),
            )
        }
        "feed" => match likekind_server::alerts::calendar(
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

#[cfg(test)]
mod tests {
    use super::format_of;
    use likekind_core::Format;

    #[test]
    fn the_format_follows_the_choice_then_the_name_then_the_content() {
        assert_eq!(format_of("toml", Some("a.json"), "{}"), Format::Toml);
        assert_eq!(format_of("auto", Some("A.JSON"), "x = 1"), Format::Json);
        assert_eq!(format_of("auto", Some("a.toml"), "{}"), Format::Toml);
        assert_eq!(format_of("auto", None, "  {\"a\": 1}"), Format::Json);
        assert_eq!(format_of("auto", None, "\u{feff}{\"a\": 1}"), Format::Json);
        assert_eq!(format_of("auto", None, "\u{feff}[taxpayer]"), Format::Toml);
    }
}
