//! The records the exchange page is drawn from, loaded under the API's tenancy rule.

use super::state::Loaded;
use crate::session::Web;
use likekind_server::AppState;
use likekind_server::error::ApiResult;
use likekind_server::exchanges::{file_of, load};
use likekind_store::{PageReq, Role};

/// Loads an exchange the person may see (the API's tenancy rule: 404 otherwise).
///
/// # Errors
/// 404, or a store failure.
pub async fn load_all(st: &AppState, w: &Web, id: &str) -> ApiResult<Loaded> {
    let ex = load(st, &w.auth(), id).await?;
    let file = file_of(&ex)?;
    let today = st.today();
    let report = likekind_core::analyze(&file, today);
    let postings = st
        .store
        .list_postings(
            &w.user.firm_id,
            id,
            PageReq {
                after: None,
                limit: 500,
            },
        )
        .await?;
    let notices = st.store.list_notices(&w.user.firm_id, id).await?;
    let documents = crate::documents::list(st, w, id).await?;
    let staff: Vec<likekind_store::User> = if w.is_staff() {
        st.store
            .list_users(
                &w.user.firm_id,
                PageReq {
                    after: None,
                    limit: 500,
                },
            )
            .await?
    } else {
        Vec::new()
    };
    let coordinator = match st.store.exchange_coordinator(&w.user.firm_id, id).await? {
        Some(c) => {
            let name = match staff.iter().find(|u| u.id == c) {
                Some(u) => u.name.clone(),
                None => st.store.get_user(&w.user.firm_id, &c).await?.name,
            };
            Some((c, name))
        }
        None => None,
    };
    let coordinators = staff
        .into_iter()
        .filter(|u| u.active && matches!(u.role, Role::Admin | Role::Coordinator))
        .map(|u| (u.id, u.name))
        .collect();
    Ok(Loaded {
        ex,
        file,
        report,
        postings,
        notices,
        today,
        documents,
        upload_limit: st.config.upload_limit,
        coordinator,
        coordinators,
    })
}
