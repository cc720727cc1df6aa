//! Request extractors that answer in the API's error shape: JSON bodies (size limit,
//! unknown fields and type errors with field paths), query strings, and the caller's
//! identity (session cookie with CSRF check, or API token).

use crate::AppState;
use crate::caller::{Credential, caller_of};
use crate::error::{ApiError, FieldError};
use crate::secret::{SESSION_COOKIE, constant_time_eq};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{Method, StatusCode, header, request::Parts};
use likekind_core::input::errors::rule_of;
use likekind_store::{Actor, Caller, Role, User};
use serde::de::DeserializeOwned;

/// A JSON body, read up to the configured limit and deserialised with field paths.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let ct = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !ct.starts_with("application/json") {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
            ));
        }
        let limit = state.config.json_limit;
        let bytes = axum::body::to_bytes(req.into_body(), limit)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!("the body is larger than {limit} bytes"),
                )
            })?;
        let v = parse_json(&bytes)?;
        // Every body of the API is a JSON object; serde would also read a struct from an
        // array of its fields in order (`[null, null]`), which the schema does not allow.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::fields(
                "the body must be a JSON object".to_string(),
                vec![FieldError {
                    path: String::new(),
                    rule: "type".to_string(),
                    message: "the body must be a JSON object".to_string(),
                }],
            ));
        }
        Ok(JsonBody(v))
    }
}

/// Deserialises JSON, naming the field path of the first problem.
///
/// # Errors
/// 400 for malformed JSON, 422 for a wrong, missing or unknown field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let r: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let v = r.map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = strip_position(&inner.to_string());
        match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "malformed_json",
                    format!("the body is not valid JSON: {msg}"),
                )
            }
            _ => {
                let path = if path == "." { String::new() } else { path };
                let rule = rule_of(&msg).to_string();
                let msg = likekind_core::input::in_words(&msg);
                ApiError::fields(
                    if path.is_empty() {
                        msg.clone()
                    } else {
                        format!("{path}: {msg}")
                    },
                    vec![FieldError {
                        path,
                        rule,
                        message: msg,
                    }],
                )
            }
        }
    })?;
    de.end().map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("trailing characters after the JSON value: {e}"),
        )
    })?;
    Ok(v)
}

fn strip_position(s: &str) -> String {
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// A query string, with errors in the API's shape.
pub struct Q<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Q<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|axum::extract::Query(v)| Q(v))
            .map_err(|e| {
                let raw = e.body_text();
                let rule = rule_of(&raw).to_string();
                // "Failed to deserialize query string: page: unknown field `page`"
                let inner = raw
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&raw);
                // "page: unknown field `page`": the parameter, then what is wrong with it.
                let msg = match inner.split_once(": ") {
                    Some((name, what))
                        if name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') =>
                    {
                        format!(
                            "the query string does not read: {name}: {}",
                            likekind_core::input::in_words(what)
                        )
                    }
                    _ => format!(
                        "the query string does not read: {}",
                        likekind_core::input::in_words(inner)
                    ),
                };
                ApiError::fields(
                    msg.clone(),
                    vec![FieldError {
                        path: "query".into(),
                        rule,
                        message: msg,
                    }],
                )
            })
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
}

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Auth {
    pub user: User,
    pub via: Via,
    /// The raw session token (to log out).
    pub session_hash: Option<String>,
    /// The data revision read in the same statement as the caller, for a request that
    /// changes nothing (a safe method: the CSRF check already rests on that): its kept reads
    /// are served for it without another round trip. `None` for a request that may change
    /// something: its kept reads read the revision again, after its change.
    pub revision: Option<i64>,
}

impl Auth {
    /// The caller an API token proves (the bearer header, or the calendar feed's `?token=`).
    pub fn of_token(caller: Caller, method: &Method) -> Auth {
        Auth {
            revision: seen_revision(method, &caller),
            user: caller.user,
            via: Via::Token,
            session_hash: None,
        }
    }

    pub fn actor(&self) -> Actor {
        Actor {
            firm_id: self.user.firm_id.clone(),
            user_id: self.user.id.clone(),
        }
    }

    pub fn firm(&self) -> &str {
        &self.user.firm_id
    }

    pub fn role(&self) -> Role {
        self.user.role
    }

    /// Refuses unless the caller has one of `roles`.
    ///
    /// # Errors
    /// 403.
    pub fn require(&self, roles: &[Role], what: &str) -> Result<(), ApiError> {
        if roles.contains(&self.user.role) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "a {} cannot {what}",
                self.user.role.as_str()
            )))
        }
    }
}

/// Reads a cookie's value from the request headers.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    crate::caller::cookie_in(&parts.headers, name)
}

/// Whether the method only reads (HTTP's safe methods): a request that changes something
/// must prove it comes from our own pages.
fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The data revision the request's kept reads are served for ([`Auth::revision`]): the one
/// read with its caller when the request only reads; none when it may change something (its
/// kept reads read the revision again, after its change).
pub fn seen_revision(method: &Method, caller: &Caller) -> Option<i64> {
    is_safe(method).then_some(caller.revision)
}

/// An `Origin` header, when present, must be this server (the `Host` the request came to).
///
/// # Errors
/// 403.
pub fn check_origin(parts: &Parts) -> Result<(), ApiError> {
    let Some(origin) = parts
        .headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(());
    };
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
    if !host.is_empty() && origin_host == host {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "cross-origin request from {origin} refused"
        )))
    }
}

/// A request whose `Origin`, when present, is this server ([`check_origin`]). Taken before
/// the body, so that a request from another site is refused (403) before its body is read
/// or judged: the forms that need no session (sign-up, login, a reset link) use it.
pub struct SameOrigin;

impl<S: Send + Sync> FromRequestParts<S> for SameOrigin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        check_origin(parts).map(|()| SameOrigin)
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(h) = parts.headers.get(header::AUTHORIZATION) {
            let v = h.to_str().unwrap_or("");
            let token = v
                .strip_prefix("Bearer ")
                .ok_or_else(ApiError::unauthorized)?;
            let credential = Credential::token(token);
            let caller = caller_of(parts, state, credential)
                .await?
                .ok_or_else(ApiError::unauthorized)?;
            return Ok(Auth::of_token(caller, &parts.method));
        }
        let token = cookie(parts, SESSION_COOKIE).ok_or_else(ApiError::unauthorized)?;
        let credential = Credential::session(token);
        let hash = credential.hash.clone();
        let caller = caller_of(parts, state, credential)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        let revision = seen_revision(&parts.method, &caller);
        let csrf = caller.csrf.unwrap_or_default();
        if !is_safe(&parts.method) {
            // Cookies ride along on cross-site requests; a header a page on another origin
            // cannot set (without CORS, which this server never grants) proves it is ours.
            check_origin(parts)?;
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "send the X-CSRF-Token header you received at login with every change",
                ));
            }
        }
        Ok(Auth {
            user: caller.user,
            via: Via::Session,
            session_hash: Some(hash),
            revision,
        })
    }
}

/// Path parameters, with errors in the API's shape.
pub struct P<T>(pub T);

impl<T, S> FromRequestParts<S> for P<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| P(v))
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_path", e.body_text()))
    }
}
