//! Who may make a change, or read what only some roles may read, checked before anything
//! they sent is read.
//!
//! Such a handler takes [`Permitted<P>`] instead of [`Auth`]: an extractor of the request's
//! parts, which axum runs before the body's and the query's extractors (`JsonBody` and `Q`,
//! after it). A caller without the role is refused (403) whatever the body or the query
//! holds, so the validation answers (400, 422) tell only those who may make the request about
//! its rules.
//! Rights that depend on what was sent (an override reason: only an administrator) are
//! checked by the handler once the body is read, before its fields are judged.

use crate::AppState;
use crate::error::ApiError;
use crate::extract::Auth;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use likekind_store::Role;
use std::marker::PhantomData;

/// Roles that work on every exchange of the firm.
pub const STAFF: &[Role] = &[Role::Admin, Role::Coordinator, Role::Preparer];
/// Roles that handle money and the exchange's course.
pub const QI: &[Role] = &[Role::Admin, Role::Coordinator];

/// A right: the roles that have it, and what the refusal says the others cannot do.
pub trait Permission: Send + Sync + 'static {
    const ROLES: &'static [Role];
    /// Completes "a client cannot …".
    const WHAT: &'static str;
}

/// The caller, with the right `P` (403 otherwise).
#[derive(Debug, Clone)]
pub struct Permitted<P: Permission> {
    pub auth: Auth,
    right: PhantomData<P>,
}

impl<P: Permission> Permitted<P> {
    /// Whether `auth` has the right `P`, for callers that did not come through the extractor
    /// (the web pages call the handlers directly).
    ///
    /// # Errors
    /// 403.
    pub fn check(auth: Auth) -> Result<Self, ApiError> {
        auth.require(P::ROLES, P::WHAT)?;
        Ok(Permitted {
            auth,
            right: PhantomData,
        })
    }
}

impl<P: Permission> FromRequestParts<AppState> for Permitted<P> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Self::check(Auth::from_request_parts(parts, state).await?)
    }
}

impl Auth {
    /// Refuses unless the caller has the right `P` ([`Auth::require`] with its roles).
    ///
    /// # Errors
    /// 403.
    pub fn require_right<P: Permission>(&self) -> Result<(), ApiError> {
        self.require(P::ROLES, P::WHAT)
    }
}

macro_rules! rights {
    ($($(#[$doc:meta])* $name:ident: $roles:expr, $what:literal;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name;

            impl Permission for $name {
                const ROLES: &'static [Role] = $roles;
                const WHAT: &'static str = $what;
            }
        )*
    };
}

rights! {
    /// `POST /api/users`.
    AddUsers: &[Role::Admin], "add users";
    /// `PATCH /api/users/{user_id}`.
    ManageUsers: &[Role::Admin], "manage users";
    /// `PATCH /api/firm`.
    ChangeFirmSettings: &[Role::Admin], "change firm settings";
    /// `POST /api/exchanges` (and the web's import).
    OpenExchanges: STAFF, "open exchanges";
    /// `PATCH /api/exchanges/{id}`.
    ChangeExchanges: STAFF, "change exchanges";
    /// `POST /api/exchanges/{id}/events`.
    RecordEvents: QI, "record lifecycle events";
    /// `POST /api/exchanges/{id}/close`.
    CloseExchanges: QI, "close exchanges";
    /// `POST /api/exchanges/{id}/reopen`.
    ReopenExchanges: QI, "reopen exchanges";
    /// `POST /api/exchanges/{id}/parties`.
    AddParties: STAFF, "add parties";
    /// `PUT /api/exchanges/{id}/coordinator`.
    AssignCoordinators: STAFF, "assign coordinators";
    /// `POST /api/exchanges/{id}/ledger`.
    PostToLedger: QI, "post to the ledger";
    /// `POST /api/exchanges/{id}/notices`: the exchanger, or QI staff on their behalf.
    SubmitNotices: &[Role::Admin, Role::Coordinator, Role::Client], "submit identification notices";
    /// `POST /api/exchanges/{id}/notices/paper`.
    RecordPaperNotices: QI, "record paper identification notices";
    /// `POST /api/exchanges/{id}/notices/{notice_id}/revoke`: the exchanger, or QI staff
    /// recording the written revocation.
    RevokeNotices: &[Role::Admin, Role::Coordinator, Role::Client], "revoke identification notices";
    /// `PATCH /api/notifications/settings`.
    ChangeNotificationSettings: &[Role::Admin], "change the firm's notification settings";
    /// `POST /api/webhooks`.
    ManageWebhooks: &[Role::Admin], "manage webhooks";
    /// `GET /api/users`.
    ListUsers: STAFF, "list users";
    /// `POST /api/users/{user_id}/reset-link`.
    MakeResetLinks: &[Role::Admin], "create password-reset links";
    /// `GET /api/audit` and `GET /api/exchanges/{id}/audit`.
    ReadAuditLog: STAFF, "read the audit log";
    /// `GET /api/exchanges/{id}/approvals`.
    ReadApprovals: STAFF, "read approvals";
    /// `POST /api/exchanges/{id}/approvals/{approval_id}/approve` and `…/reject`.
    DecideApprovals: QI, "approve disbursements and releases";
    /// `GET /api/notifications/settings`.
    ReadNotificationSettings: STAFF, "read the firm's notification settings";
    /// `GET /api/notifications/deliveries`.
    SeeDeliveries: &[Role::Admin], "see the notification deliveries";
    /// `POST /api/notifications/deliveries/{delivery_id}/retry`.
    RetryDeliveries: &[Role::Admin], "retry notification deliveries";
}
