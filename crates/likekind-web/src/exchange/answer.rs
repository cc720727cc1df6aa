//! The answer to a form posted from the exchange page: back to the page where the form is,
//! with its refusal shown there; and the page's answer to the identification and document
//! forms.

use super::load::load_all;
use super::page::render_with;
use super::state::{Flash, Posted};
use crate::layout::from_api;
use crate::session::Web;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult};

/// The answer to a form posted from the exchange page: back to the page at `anchor` when it
/// was done; the error page when the person may not see or do it; otherwise the page again
/// with the refusal (`flash`) shown where the form is.
pub async fn back_to_page<T>(
    st: &AppState,
    w: &Web,
    id: &str,
    anchor: &str,
    done: ApiResult<T>,
    flash: impl FnOnce(&ApiError) -> Flash,
) -> Response {
    let e = match done {
        Ok(_) => return Redirect::to(&format!("/exchanges/{id}#{anchor}")).into_response(),
        Err(e)
            if e.status == axum::http::StatusCode::NOT_FOUND
                || e.status == axum::http::StatusCode::FORBIDDEN =>
        {
            return from_api(e);
        }
        Err(e) => e,
    };
    match load_all(st, w, id).await {
        Ok(l) => (e.status, render_with(w, &l, &flash(&e))).into_response(),
        Err(e2) => from_api(e2),
    }
}

/// The answer to a form of the identification or documents parts of the page (see
/// [`back_to_page`]).
pub async fn back(st: &AppState, w: &Web, p: Posted) -> Response {
    match p.refused {
        None => back_to_page(st, w, &p.id, p.anchor, Ok(()), |_| Flash::default()).await,
        Some((e, flash)) => {
            back_to_page(st, w, &p.id, p.anchor, Err::<(), _>(e), move |_| flash).await
        }
    }
}

/// `POST /exchanges/{id}/notices/{nid}/sign` (see [`crate::identify::sign`]).
pub async fn sign_post(
    State(st): State<AppState>,
    w: Web,
    Path((id, nid)): Path<(String, String)>,
    Form(f): Form<crate::identify::SignForm>,
) -> Response {
    match crate::identify::sign(&st, &w, id, nid, f).await {
        Ok(p) => back(&st, &w, p).await,
        Err(r) => r,
    }
}

/// `POST /exchanges/{id}/notices/{nid}/revoke` (see [`crate::identify::revoke`]).
pub async fn revoke_post(
    State(st): State<AppState>,
    w: Web,
    Path((id, nid)): Path<(String, String)>,
    Form(f): Form<crate::identify::RevokeForm>,
) -> Response {
    match crate::identify::revoke(&st, &w, id, nid, f).await {
        Ok(p) => back(&st, &w, p).await,
        Err(r) => r,
    }
}

/// `POST /exchanges/{id}/documents` (see [`crate::documents::upload`]).
pub async fn upload_post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let p = crate::documents::upload(&st, &w, &id, mp).await;
    back(&st, &w, p).await
}
