//! Documents of an exchange on its page: the list (name, kind, size, who uploaded it, when),
//! download, and upload through a file input. The rules are the API's
//! ([`likekind_server::documents`]): whoever may see the exchange may list, download and add
//! its documents; the file is kept with its SHA-256; an empty file or a bad name is refused.

use crate::exchange::state::{Flash, Posted};
use crate::fmt;
use crate::layout::{Refused, csrf, from_api, mark, refused_box, select_keyed};
use crate::session::Web;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use likekind_server::AppState;
use likekind_server::documents::{self, DocumentKind, UploadQuery};
use likekind_server::error::{ApiError, ApiResult};
use likekind_server::extract::{P, Q};
use likekind_store::Document;
use maud::{Markup, html};

/// The kinds of document, as the API names them and in words.
pub const KINDS: [(&str, &str); 5] = [
    ("exchange_agreement", "Exchange agreement"),
    ("assignment", "Assignment of the contract"),
    ("identification_notice", "Identification notice"),
    ("closing_statement", "Closing statement"),
    ("other", "Other"),
];

/// A kind in words.
pub fn kind_word(k: &str) -> &str {
    KINDS
        .iter()
        .find(|(v, _)| *v == k)
        .map(|(_, w)| *w)
        .unwrap_or(k)
}

/// The documents section of the exchange page: `docs` with the uploader's name.
pub fn section(
    w: &Web,
    ex_id: &str,
    docs: &[(Document, String)],
    err: Option<&(String, Refused)>,
    limit: usize,
) -> Markup {
    let limit_w = fmt::bytes(i64::try_from(limit).unwrap_or(i64::MAX));
    let (kind, r) = match err {
        Some((k, r)) => (k.as_str(), Some(r)),
        None => ("", None),
    };
    let file = mark(r, "doc-file", "f-doc-file", Some("f-doc-file-hint"));
    html! {
        section #documents aria-labelledby="doc-h" {
            h2 #doc-h { "Documents" }
            @if docs.is_empty() { p.empty { "No document yet." } } @else {
                div.scroll tabindex="0" role="region" aria-label="Documents, table" { table {
                    caption { "Documents of this exchange" }
                    thead { tr { th scope="col" { "Name" } th scope="col" { "What" } th.num scope="col" { "Size" } th scope="col" { "Uploaded by" } th scope="col" { "Date" } } }
                    tbody { @for (d, who) in docs { tr {
                        th scope="row" { a href={ "/exchanges/" (ex_id) "/documents/" (d.id) } download { (d.filename) } }
                        td { (kind_word(&d.kind)) }
                        td.num { (fmt::bytes(d.size)) }
                        td { (who) }
                        td { (fmt::date_str(&d.uploaded_at)) }
                    } } }
                } }
            }
            form.card #upload method="post" action={ "/exchanges/" (ex_id) "/documents" } enctype="multipart/form-data" {
                h3 { "Add a document" }
                @if let Some(r) = r { (refused_box(r)) }
                (csrf(w))
                (select_keyed(r, "What it is", "doc-kind", "kind", &KINDS, kind))
                div.field.invalid[file.invalid.is_some()] {
                    label for="f-doc-file" { "File" }
                    input #f-doc-file type="file" name="file" required aria-invalid=[file.invalid] aria-describedby=[file.described];
                    (file.problem)
                    small #f-doc-file-hint { "Up to " (limit_w) ". It is kept with its SHA-256 fingerprint so a copy can be checked later." }
                }
                button type="submit" { "Upload" }
            }
        }
    }
}

/// The exchange's documents with the names of who uploaded them.
///
/// # Errors
/// A store failure.
pub async fn list(st: &AppState, w: &Web, id: &str) -> ApiResult<Vec<(Document, String)>> {
    let docs = st.store.list_documents(&w.user.firm_id, id).await?;
    if docs.is_empty() {
        return Ok(Vec::new());
    }
    let names = crate::users::names(st, &w.user.firm_id).await?;
    Ok(docs
        .into_iter()
        .map(|d| {
            let who = names
                .get(&d.uploaded_by)
                .cloned()
                .unwrap_or_else(|| "a former user".into());
            (d, who)
        })
        .collect())
}

/// The form's file through the API's upload rules.
async fn store_upload(
    st: &AppState,
    w: &Web,
    id: &str,
    mp: Result<Multipart, MultipartRejection>,
    kind_chosen: &mut String,
) -> ApiResult<()> {
    let limit = st.config.upload_limit;
    let mp = mp.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_form",
            format!("send the form as multipart/form-data ({})", e.body_text()),
        )
    })?;
    let parts = crate::upload::read(mp, "file", limit).await?;
    if w.verify(parts.get("_csrf")).is_err() {
        return Err(ApiError::forbidden(
            "this form has expired: reload the page and try again",
        ));
    }
    kind_chosen.clone_from(&parts.get("kind").to_string());
    let file = parts.files.get("file").cloned().unwrap_or_default();
    if file.filename.is_empty() && file.data.is_empty() {
        return Err(ApiError::field(
            "file",
            "required",
            "choose a file to upload",
        ));
    }
    if file.data.is_empty() {
        return Err(ApiError::field(
            "file",
            "not_empty",
            format!("{} is empty: there is nothing to keep", file.filename),
        ));
    }
    if file.data.len() > limit {
        return Err(crate::upload::too_large("file", limit));
    }
    let kind: DocumentKind = serde_json::from_value(serde_json::Value::String(
        parts.get("kind").to_string(),
    ))
    .map_err(|_| ApiError::field("kind", "allowed_values", "choose what the document is"))?;
    let mut headers = HeaderMap::new();
    if let Some(ct) = file
        .content_type
        .as_deref()
        .and_then(|c| HeaderValue::from_str(c).ok())
    {
        headers.insert(header::CONTENT_TYPE, ct);
    }
    let _stored = documents::upload(
        State(st.clone()),
        w.auth(),
        P(id.to_string()),
        Q(UploadQuery {
            kind,
            filename: file.filename.clone(),
        }),
        headers,
        Ok(file.data.clone()),
    )
    .await
    .map_err(|mut e| {
        // The API calls the file "body"; the form calls it "file".
        for f in &mut e.detail.fields {
            if f.path == "body" {
                f.path = "file".into();
            }
        }
        e
    })?;
    Ok(())
}

/// `POST /exchanges/{id}/documents` (multipart: `_csrf`, `kind`, `file`): what it came to.
pub async fn upload(
    st: &AppState,
    w: &Web,
    id: &str,
    mp: Result<Multipart, MultipartRejection>,
) -> Posted {
    let mut kind = String::new();
    let done = store_upload(st, w, id, mp, &mut kind).await;
    Posted::of(id, "doc-h", done, |e| Flash {
        documents: Some((
            kind,
            Refused::labelled(
                e,
                &[
                    ("file", "doc-file"),
                    ("kind", "doc-kind"),
                    ("filename", "doc-file"),
                ],
                &[("doc-file", "File"), ("doc-kind", "What it is")],
            ),
        )),
        ..Default::default()
    })
}

/// `GET /exchanges/{id}/documents/{did}`: the file, as an attachment (the API's download).
pub async fn download(
    State(st): State<AppState>,
    w: Web,
    Path((id, did)): Path<(String, String)>,
) -> Response {
    match documents::download(State(st), w.auth(), P((id, did))).await {
        Ok(r) => r,
        Err(e) => from_api(e),
    }
}
