//! The logged-in person, from the API's own session cookie. Form posts carry the session's
//! CSRF token in a hidden `_csrf` field (htmx posts send the same form), checked in constant
//! time together with the `Origin` header, as the API checks its `X-CSRF-Token` header.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use likekind_server::AppState;
use likekind_server::auth::{SESSION_COOKIE, constant_time_eq};
use likekind_server::caller::{Credential, caller_of};
use likekind_server::error::ApiError;
use likekind_server::extract::{Auth, Via, check_origin, cookie, seen_revision};
use likekind_server::permit::{Permission, Permitted};
use likekind_store::{Role, User};

/// A person with a live session.
#[derive(Debug, Clone)]
pub struct Web {
    pub user: User,
    /// The session's CSRF token, put in every form.
    pub csrf: String,
    hash: String,
    origin_ok: bool,
    /// The data revision read with the session, for a request that changes nothing
    /// ([`Auth::revision`]).
    pub revision: Option<i64>,
}

impl FromRequestParts<AppState> for Web {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let login = || Redirect::to("/login").into_response();
        let token = cookie(parts, SESSION_COOKIE).ok_or_else(login)?;
        let credential = Credential::session(token);
        let hash = credential.hash.clone();
        match caller_of(parts, state, credential).await {
            Ok(Some(caller)) => Ok(Web {
                revision: seen_revision(&parts.method, &caller),
                user: caller.user,
                csrf: caller.csrf.unwrap_or_default(),
                hash,
                origin_ok: check_origin(parts).is_ok(),
            }),
            _ => Err(login()),
        }
    }
}

impl Web {
    /// The API's view of this caller, to call its handlers.
    pub fn auth(&self) -> Auth {
        Auth {
            user: self.user.clone(),
            via: Via::Session,
            session_hash: Some(self.hash.clone()),
            revision: self.revision,
        }
    }

    /// This caller with the right `P`, to call a handler that takes it (403 otherwise, in the
    /// handler's own words: [`Permitted::check`]).
    ///
    /// # Errors
    /// 403.
    pub fn permitted<P: Permission>(&self) -> Result<Permitted<P>, ApiError> {
        Permitted::check(self.auth())
    }

    /// Whether a form is genuine: its CSRF token is this session's and the request came
    /// from this site (`Web::verify` turns a no into the page that says so).
    pub fn form_is_genuine(&self, sent: &str) -> bool {
        self.origin_ok && constant_time_eq(sent.as_bytes(), self.csrf.as_bytes())
    }

    pub fn role(&self) -> Role {
        self.user.role
    }

    /// QI staff and CPAs (everyone but clients).
    pub fn is_staff(&self) -> bool {
        self.user.role != Role::Client
    }

    /// Those who move money and record events (admin, coordinator).
    pub fn is_qi(&self) -> bool {
        matches!(self.user.role, Role::Admin | Role::Coordinator)
    }

    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    /// The session hash (to end the session).
    pub fn session_hash(&self) -> &str {
        &self.hash
    }
}
