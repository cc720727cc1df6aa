//! Documents of an exchange (exchange agreement, assignment, identification notice, closing
//! statements), stored in the database with their SHA-256 so a copy can be checked later.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::exchanges::load;
use crate::extract::{Auth, P, Q};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use likekind_store::{Document, NewDocument};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

/// What a document is.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    ExchangeAgreement,
    Assignment,
    IdentificationNotice,
    ClosingStatement,
    Other,
}

impl DocumentKind {
    fn as_str(self) -> &'static str {
        match self {
            DocumentKind::ExchangeAgreement => "exchange_agreement",
            DocumentKind::Assignment => "assignment",
            DocumentKind::IdentificationNotice => "identification_notice",
            DocumentKind::ClosingStatement => "closing_statement",
            DocumentKind::Other => "other",
        }
    }
}

/// `?kind=&filename=` of an upload.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    pub kind: DocumentKind,
    /// A plain file name: 1 to 255 characters, without `/` or `\`.
    #[param(
        min_length = 1,
        max_length = 255,
        pattern = r"^[^/\\\x00-\x1f\x7f-\x9f]*[^/\\\s\x00-\x1f\x7f-\x9f][^/\\\x00-\x1f\x7f-\x9f]*$"
    )]
    pub filename: String,
}

/// Uploads a document: the body is the file's bytes, with its Content-Type.
#[utoipa::path(post, path = "/api/exchanges/{id}/documents", tag = "documents",
    params(("id" = String, Path), UploadQuery),
    request_body(content = String, content_type = "application/octet-stream", description = "The file's bytes (any Content-Type; it is kept with the document)"),
    responses((status = 201, body = Document), (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 413, body = crate::error::ErrorBody, description = "The document is larger than the server accepts"),
        (status = 422, body = crate::error::ErrorBody, description = "The file name is not a plain name of 1 to 255 characters, or the document is empty")))]
pub async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
    Q(q): Q<UploadQuery>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<(StatusCode, Json<Document>)> {
    load(&state, &auth, &id).await?;
    let body = body.map_err(|e| ApiError::new(e.status(), "body_too_large", e.body_text()))?;
    let filename = crate::rules::filename("filename", &q.filename)?;
    let filename = filename.as_str();
    if body.is_empty() {
        return Err(ApiError::field("body", "required", "the document is empty"));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .chars()
        .take(200)
        .collect::<String>();
    let sha256 = crate::auth::hex(&Sha256::digest(&body));
    let d = state
        .store
        .add_document(
            &auth.actor(),
            &id,
            NewDocument {
                kind: q.kind.as_str().to_string(),
                filename: filename.to_string(),
                content_type,
                sha256,
                content: body.to_vec(),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// The exchange's documents (without content).
#[utoipa::path(get, path = "/api/exchanges/{id}/documents", tag = "documents", operation_id = "list_documents", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Document>), (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see")))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
) -> ApiResult<Json<Vec<Document>>> {
    load(&state, &auth, &id).await?;
    Ok(Json(state.store.list_documents(auth.firm(), &id).await?))
}

/// A document's content, as an attachment, with its SHA-256 in `X-Content-SHA256`.
#[utoipa::path(get, path = "/api/exchanges/{id}/documents/{document_id}", tag = "documents",
    params(("id" = String, Path), ("document_id" = String, Path)),
    responses((status = 200, description = "The document's bytes", content_type = "application/octet-stream", body = String),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange or document")))]
pub async fn download(
    State(state): State<AppState>,
    auth: Auth,
    P((id, did)): P<(String, String)>,
) -> ApiResult<Response> {
    load(&state, &auth, &id).await?;
    let (d, content) = state.store.get_document(auth.firm(), &id, &did).await?;
    let mut r = content.into_response();
    let h = r.headers_mut();
    // Served as an attachment of an opaque type so a browser never renders it in our origin.
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    let safe: String = d
        .filename
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&d.sha256) {
        h.insert("x-content-sha256", v);
    }
    Ok(r)
}
