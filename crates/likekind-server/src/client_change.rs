//! Who the exchange's client (the taxpayer's login) is, once the taxpayer has identified
//! property: the identification notice is signed by the taxpayer, and only the taxpayer may
//! revoke it (Treas. Reg. §1.1031(k)-1(c)(2), (c)(6)). Handing the exchange to another client
//! would let that person revoke or sign in the taxpayer's place.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::Auth;
use likekind_core::money::format_date;
use likekind_store::{ExchangeRow, Role};

/// The authority for who signs and revokes an identification.
const AUTHORITY: &str = "Treas. Reg. §1.1031(k)-1(c)(2), (c)(6)";

/// Refuses a change of the exchange's client (`new_client`) while a signed identification
/// notice is in force, unless an administrator gives a written reason (`override_reason`, kept
/// in the audit log): a new login for the same taxpayer is a correction, another taxpayer is
/// not (the taxpayer of a 1031 exchange is the one who sold, IRC §1031(a)(1)).
///
/// # Errors
/// 422 on `client_id`, rule `identification_signed`; 403 when a non-administrator gives a
/// reason; a store failure.
pub async fn check_client_change(
    state: &AppState,
    auth: &Auth,
    ex: &ExchangeRow,
    new_client: &str,
    override_reason: Option<&str>,
) -> ApiResult<()> {
    if ex.client_id.as_deref() == Some(new_client) || ex.client_id.is_none() {
        return Ok(());
    }
    let notices = state.store.list_notices(auth.firm(), &ex.id).await?;
    let Some(signed) = notices.iter().find(|n| n.in_force()) else {
        return Ok(());
    };
    if override_reason.is_some() {
        return auth.require(
            &[Role::Admin],
            "change the client of an exchange whose taxpayer signed an identification",
        );
    }
    let on = signed
        .identified_on
        .parse::<jiff::civil::Date>()
        .map_or_else(|_| signed.identified_on.clone(), format_date);
    Err(ApiError::field(
        "client_id",
        "identification_signed",
        format!(
            "the exchange's client signed the identification notice of {on}, still in force: the taxpayer signs and alone may revoke an identification ({AUTHORITY}), so another person cannot become the exchange's client. An administrator may correct the client with a written reason, for example a new login for the same taxpayer"
        ),
    ))
}
