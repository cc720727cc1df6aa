//! # likekind-server
//!
//! The tracker: a multi-user exchange server for qualified intermediaries and CPA firms.
//! JSON over HTTP (OpenAPI 3.1 at `/openapi.json`, generated from these handlers), on the
//! [`likekind_store::Store`] (SQLite or PostgreSQL) and the same engine and report as the CLI.
//! The server keeps no state of its own between requests: sessions, login throttling and
//! everything else live in the database, so several processes can share one PostgreSQL.
//!
//! [`app`] builds the router, so tests drive it with `tower::ServiceExt::oneshot` and no
//! socket.

pub mod alerts;
pub mod audit;
pub mod auth;
pub mod cache;
pub mod caller;
pub mod cents;
pub mod client_change;
pub(crate) mod closing_history;
pub mod closing_repeated;
pub mod contract;
pub mod documents;
pub mod error;
pub mod exchanges;
pub mod extract;
pub mod identification_closed;
pub mod ledger;
pub mod listing;
pub mod money;
pub mod notices;
pub mod notify;
pub mod pdf;
pub mod permit;
pub mod reconcile;
pub mod request_key;
pub mod rules;
pub mod secret;
pub mod security;

use crate::error::{ApiError, ApiResult};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use likekind_store::{PageReq, Store};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Server settings. [`Config::default`] is the secure default.
#[derive(Debug, Clone)]
pub struct Config {
    /// Allow anyone to create a new firm (otherwise only the first firm of an empty server).
    pub allow_signup: bool,
    /// Mark cookies `Secure` (set it when the server sits behind HTTPS; the
    /// `X-Forwarded-Proto: https` header also turns it on per request).
    pub secure_cookies: bool,
    /// Largest JSON body accepted, in bytes.
    pub json_limit: usize,
    /// Largest document upload accepted, in bytes.
    pub upload_limit: usize,
    pub session_ttl_secs: i64,
    /// Password checks per account within the window (a success starts again).
    pub login_max_failures: i64,
    /// Login attempts per client address within the window, whatever the account.
    pub login_max_per_address: i64,
    pub login_window_secs: i64,
    /// The date the engine judges at; `None` = today on the firm's calendar. Tests fix it.
    pub today: Option<jiff::civil::Date>,
    /// The calendar of firms that set no time zone of their own (`--time-zone`).
    pub time_zone: jiff::tz::TimeZone,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            allow_signup: false,
            secure_cookies: false,
            json_limit: 256 * 1024,
            upload_limit: 16 * 1024 * 1024,
            session_ttl_secs: 12 * 3600,
            login_max_failures: 5,
            login_max_per_address: 50,
            login_window_secs: 15 * 60,
            today: None,
            time_zone: jiff::tz::TimeZone::UTC,
        }
    }
}

/// What every handler gets.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    /// Reads kept for the current data revision (the dashboard, the alerts).
    pub kept: Arc<cache::Revised>,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Self {
        AppState {
            store,
            config: Arc::new(config),
            kept: Arc::default(),
        }
    }

    /// Today's date for the engine: on the calendar of the caller's firm (its time zone, else
    /// the server's), or the configured date.
    pub fn today(&self) -> jiff::civil::Date {
        self.config.today.unwrap_or_else(|| {
            notify::zone::today_in(&notify::zone::current(&self.config.time_zone))
        })
    }
}

/// `?limit=&after=` on every list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// 1 to 500; default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page.
    pub after: Option<String>,
}

impl PageQuery {
    /// Checks the limit.
    ///
    /// # Errors
    /// 422 naming `limit`.
    pub fn req(&self) -> ApiResult<PageReq<'_>> {
        Self::req_of(self.limit, self.after.as_deref())
    }

    fn req_of(limit: Option<i64>, after: Option<&str>) -> ApiResult<PageReq<'_>> {
        let limit = limit.unwrap_or(50);
        if !(1..=500).contains(&limit) {
            return Err(ApiError::field(
                "limit",
                "range",
                "limit is between 1 and 500",
            ));
        }
        Ok(PageReq { after, limit })
    }
}

/// A page of a list; pass `next` as `after` to get the following page (null at the end).
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    pub fn of(items: Vec<T>, limit: i64, key: impl Fn(&T) -> String) -> Self {
        let full = i64::try_from(items.len()).unwrap_or(i64::MAX) >= limit;
        let next = if full { items.last().map(&key) } else { None };
        Page { items, next }
    }
}

/// `?pretty=true` on the endpoints that write large JSON (the analysis, the exchange list and
/// an exchange): indented for people; compact by default.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PrettyQuery {
    /// Indent the JSON (default false: compact).
    pub pretty: Option<bool>,
}

/// `?limit=&after=&pretty=` on the exchange list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// 1 to 500; default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page.
    pub after: Option<String>,
    /// Indent the JSON (default false: compact).
    pub pretty: Option<bool>,
}

impl ListQuery {
    /// The page asked for (the limit checked as [`PageQuery::req`] does).
    ///
    /// # Errors
    /// 422 naming `limit`.
    pub fn req(&self) -> ApiResult<PageReq<'_>> {
        PageQuery::req_of(self.limit, self.after.as_deref())
    }
}

/// Writes `v` as JSON straight into the response body (one buffer, no intermediate value or
/// string): compact, or indented when `pretty`.
pub fn json_response<T: Serialize>(status: StatusCode, v: &T, pretty: bool) -> Response {
    match json_bytes(v, pretty) {
        Ok(buf) => json_body(status, buf),
        Err(e) => e.into_response(),
    }
}

/// A response of JSON already written (by [`json_bytes`]).
pub fn json_body(status: StatusCode, json: axum::body::Bytes) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        json,
    )
        .into_response()
}

/// `v` as JSON, compact or indented.
///
/// # Errors
/// 500 when `v` holds a value JSON cannot (never for this API's types).
pub fn json_bytes<T: Serialize>(v: &T, pretty: bool) -> ApiResult<axum::body::Bytes> {
    let mut buf = Vec::with_capacity(8 * 1024);
    let written = if pretty {
        serde_json::to_writer_pretty(&mut buf, v)
    } else {
        serde_json::to_writer(&mut buf, v)
    };
    written.map_err(|_| ApiError::internal())?;
    Ok(buf.into())
}

#[derive(OpenApi)]
#[openapi(
    info(title = "likekind tracker API", description = "Exchanges, funds ledger, identification notices, documents, deadlines and audit log for US §1031 like-kind exchanges. Errors always have the shape of ErrorBody."),
    components(schemas(error::ErrorBody, error::FieldError, documents::DocumentKind)),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    tags((name = "auth"), (name = "users"), (name = "exchanges"), (name = "ledger"), (name = "notices"), (name = "documents"), (name = "alerts"), (name = "notifications"))
)]
struct ApiDoc;

/// The ways to authenticate: an API token, or the session cookie (browsers; changes also
/// need the `X-CSRF-Token` header given at login); the calendar feed also takes `?token=`.
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, o: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let c = o.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        c.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(auth::SESSION_COOKIE))),
        );
        // Only the calendar feed reads `?token=`: calendar applications cannot send headers.
        c.add_security_scheme(
            "feed_token",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::new("token"))),
        );
    }
}

/// The router and its OpenAPI description, built together so they cannot drift.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::signup))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(auth::create_token, auth::list_tokens))
        .routes(routes!(auth::revoke_token))
        .routes(routes!(auth::create_user, auth::list_users))
        .routes(routes!(auth::patch_user))
        .routes(routes!(auth::reset_link))
        .routes(routes!(auth::password_reset))
        .routes(routes!(auth::patch_firm))
        .routes(routes!(
            exchanges::create_exchange,
            exchanges::list_exchanges
        ))
        .routes(routes!(listing::search))
        .routes(routes!(listing::search_csv))
        .routes(routes!(listing::put_coordinator))
        .routes(routes!(listing::ledger))
        .routes(routes!(exchanges::get_exchange, exchanges::patch_exchange))
        .routes(routes!(exchanges::analysis))
        .routes(routes!(exchanges::add_event, exchanges::list_events))
        .routes(routes!(exchanges::close_exchange))
        .routes(routes!(exchanges::reopen_exchange))
        .routes(routes!(exchanges::add_party, exchanges::list_parties))
        .routes(routes!(exchanges::audit_log))
        .routes(routes!(audit::firm_audit))
        .routes(routes!(ledger::post, ledger::list))
        .routes(routes!(ledger::list_approvals))
        .routes(routes!(ledger::approve))
        .routes(routes!(ledger::reject))
        .routes(routes!(notices::submit, notices::list))
        .routes(routes!(notices::sign))
        .routes(routes!(notices::paper))
        .routes(routes!(notices::revoke))
        .routes(routes!(documents::upload, documents::list))
        .routes(routes!(documents::download))
        .routes(routes!(pdf::report))
        .routes(routes!(pdf::notice))
        .routes(routes!(pdf::statement))
        .routes(routes!(pdf::plan))
        .routes(routes!(alerts::alerts))
        .routes(routes!(alerts::calendar))
        .merge(notify::api::routes())
        .split_for_parts()
}

/// The OpenAPI 3.1 description of the API as the handlers annotate it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().1
}

/// The OpenAPI 3.1 document `/openapi.json` serves: [`openapi`] completed with what every
/// operation shares and the links between operations ([`contract::complete`]).
pub fn openapi_document() -> serde_json::Value {
    document(&openapi())
}

/// Completed on the JSON rather than on utoipa's types: utoipa 5's `Link` serialises
/// `operation_id` where OpenAPI says `operationId`.
fn document(spec: &utoipa::openapi::OpenApi) -> serde_json::Value {
    let mut v = serde_json::to_value(spec).unwrap_or_default();
    contract::complete(&mut v);
    v
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (router, spec) = routes();
    let spec = Arc::new(serde_json::to_string_pretty(&document(&spec)).unwrap_or_default());
    let upload_limit = state.config.upload_limit;
    router
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let spec = spec.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        (*spec).clone(),
                    )
                }
            }),
        )
        .fallback(|| async { ApiError::not_found() })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this path does not take that method",
            )
        })
        .layer(DefaultBodyLimit::max(upload_limit))
        .layer(axum::middleware::map_response(security::security_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            notify::zone::layer,
        ))
        .with_state(state)
}
