//! Closing the exchange as completed or failed, and reopening a closed one: the API's
//! operations, answered in the page's closing section.

use super::answer::back_to_page;
use super::state::Flash;
use crate::layout::Refused;
use crate::session::Web;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult};
use likekind_server::exchanges;
use likekind_server::extract::{JsonBody, P};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct CloseForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default, rename = "as")]
    pub as_: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ReopenForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub reason: String,
}

/// The answer to the closing and reopening forms: when the form is genuine, the API's
/// operation `done`, then back to the page's closing section, with the refusal shown there.
async fn answer<T>(
    st: &AppState,
    w: &Web,
    id: &str,
    csrf: &str,
    done: impl Future<Output = ApiResult<T>>,
) -> Response {
    if let Err(r) = w.verify(csrf) {
        return r;
    }
    let done = done.await;
    back_to_page(st, w, id, "close-h", done, |e| Flash {
        close: Some(Refused::of(e, &[("reason", "reason")])),
        ..Default::default()
    })
    .await
}

/// `POST /exchanges/{id}/close`: the API's closing.
pub async fn close_post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Form(f): Form<CloseForm>,
) -> Response {
    let done = async {
        let how = match f.as_.as_str() {
            "completed" => exchanges::CloseAs::Completed,
            "failed" => exchanges::CloseAs::Failed,
            _ => {
                return Err(ApiError::field(
                    "as",
                    "choice",
                    "choose to close it as completed or as failed",
                ));
            }
        };
        exchanges::close_exchange(
            State(st.clone()),
            w.permitted()?,
            P(id.clone()),
            JsonBody(exchanges::CloseReq {
                as_: how,
                reason: f.reason.clone(),
                version: f.version,
            }),
        )
        .await
    };
    answer(&st, &w, &id, &f.csrf, done).await
}

/// `POST /exchanges/{id}/reopen`: the API's reopening.
pub async fn reopen_post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Form(f): Form<ReopenForm>,
) -> Response {
    let done = async {
        exchanges::reopen_exchange(
            State(st.clone()),
            w.permitted()?,
            P(id.clone()),
            JsonBody(exchanges::ReopenReq {
                reason: f.reason.clone(),
            }),
        )
        .await
    };
    answer(&st, &w, &id, &f.csrf, done).await
}
