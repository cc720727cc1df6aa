//! The form that assigns the exchange's coordinator (staff).

use super::answer::back_to_page;
use super::state::Flash;
use crate::layout::Refused;
use crate::session::Web;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use likekind_server::AppState;
use serde::Deserialize;

/// The assignment form.
#[derive(Debug, Deserialize)]
pub struct CoordinatorForm {
    #[serde(default)]
    pub _csrf: String,
    #[serde(default)]
    pub coordinator_id: String,
}

/// `POST /exchanges/{id}/coordinator`: staff assign the exchange's coordinator (audited).
pub async fn coordinator_post(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Form(f): Form<CoordinatorForm>,
) -> Response {
    if let Err(r) = w.verify(&f._csrf) {
        return r;
    }
    let c = (!f.coordinator_id.is_empty()).then_some(f.coordinator_id.as_str());
    let done = likekind_server::listing::assign(&st, &w.auth(), &id, c).await;
    back_to_page(&st, &w, &id, "summary", done, |e| Flash {
        coordinator: Some(Refused::of(e, &[("coordinator_id", "coordinator")])),
        ..Flash::default()
    })
    .await
}
