//! The records the exchange page is drawn from, loaded under the API's tenancy rule.

use super::state::{Loaded, Reads};
use crate::session::Web;
use likekind_server::AppState;
use likekind_server::error::ApiResult;
use likekind_server::exchanges::{judged_file, load_kept};
use likekind_store::{PageReq, Role};

/// Loads an exchange the person may see (the API's tenancy rule, applied on every request:
/// 404 otherwise). The exchange and the rest of the page's reads and the engine's report are
/// kept for the data revision ([`likekind_server::cache`]): the exchange per firm, the rest
/// per firm, exchange, day and whether the person is staff (who also see the firm's
/// coordinators).
///
/// # Errors
/// 404, or a store failure.
pub async fn load_all(st: &AppState, w: &Web, id: &str) -> ApiResult<Loaded> {
    let ex = load_kept(st, &w.auth(), id).await?;
    let today = st.today();
    let key = format!("{}/{}/{today}/{}", w.user.firm_id, ex.id, w.is_staff());
    let reads = st
        .kept
        .get_or(&st.store, w.revision, "exchange_page", key, || {
            read(st, w, &ex, today)
        })
        .await?;
    Ok(Loaded {
        ex,
        today,
        upload_limit: st.config.upload_limit,
        reads,
    })
}

/// The page's reads besides the exchange: its file and report, postings, what the ledger
/// released that the file does not account for, notices, documents and coordinators.
async fn read(
    st: &AppState,
    w: &Web,
    ex: &likekind_store::ExchangeRow,
    today: jiff::civil::Date,
) -> ApiResult<Reads> {
    let id = ex.id.as_str();
    // Judged on the tracker's today, whatever date the stored file carries.
    let file = judged_file(ex)?;
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
    // The ledger's releases against the file, as closing as completed judges them: one sum
    // by the store, whatever the number of postings.
    let released = st
        .store
        .released_to_taxpayer_cents(&w.user.firm_id, id)
        .await?;
    let unaccounted = likekind_server::reconcile::unaccounted_release(&report, released)?;
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
    Ok(Reads {
        file,
        report,
        postings,
        notices,
        documents,
        coordinator,
        coordinators,
        unaccounted,
    })
}
