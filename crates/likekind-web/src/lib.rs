//! # likekind-web
//!
//! The web application: the tracker, the engine's report and the calculators as
//! server-rendered pages (maud), progressively enhanced with a vendored htmx (embedded in
//! the binary; nothing is fetched from the internet). Pages and form posts go through the
//! same [`likekind_server`] handlers and [`likekind_core`] functions as the JSON API, so a
//! rule lives in one place: the web layer only turns forms into requests and answers into
//! pages.
//!
//! [`app`] is the whole product: the JSON API under `/api` plus these pages at `/`.

pub mod assets;
pub mod audit;
pub mod calc;
pub mod dashboard;
pub mod documents;
pub mod errors;
pub mod exchange;
pub mod firm;
pub mod fmt;
pub mod identify;
pub mod io;
pub mod kept;
pub mod layout;
pub mod ledger;
pub mod notify;
pub mod pdf;
pub mod plan;
pub mod session;
pub mod setup;
pub mod timeline;
pub mod updating;
pub mod upload;
pub mod users;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use likekind_server::AppState;

/// The pages, form posts and htmx fragments, with their own security headers (the pages
/// load their stylesheet and script from this server, which the API's CSP forbids).
pub fn routes(state: AppState) -> Router {
    // Multipart bodies: the document limit (plus the form's other fields), the import limit.
    let upload_limit = state.config.upload_limit + 64 * 1024;
    let import_limit = io::IMPORT_LIMIT + 64 * 1024;
    Router::new()
        .route("/", get(dashboard::page))
        .route("/assets/{name}", get(assets::serve))
        .route("/setup", get(setup::setup_form).post(setup::setup_post))
        .route("/login", get(setup::login_form).post(setup::login_post))
        .route("/logout", post(setup::logout_post))
        .route("/calc", get(calc::page))
        .route(
            "/exchanges/new",
            get(exchange::new_form).post(exchange::new_post),
        )
        .route(
            "/exchanges/import",
            get(io::import_form)
                .post(io::import_post)
                .layer(DefaultBodyLimit::max(import_limit)),
        )
        .route("/exchanges.csv", get(dashboard::csv))
        .route("/exchanges/{id}", get(exchange::page))
        .route(
            "/exchanges/{id}/coordinator",
            post(exchange::coordinator_post),
        )
        .route("/exchanges/{id}/ledger.csv", get(ledger::csv))
        .route("/exchanges/{id}/closed", post(exchange::sale_closed_post))
        .route("/exchanges/{id}/purchase", post(exchange::purchase_post))
        .route("/exchanges/{id}/close", post(exchange::close_post))
        .route("/exchanges/{id}/reopen", post(exchange::reopen_post))
        .route(
            "/exchanges/{id}/edit",
            get(exchange::edit_form).post(exchange::edit_post),
        )
        .route(
            "/exchanges/{id}/identify",
            get(identify::form).post(identify::submit),
        )
        .route("/exchanges/{id}/identify/check", post(identify::check))
        .route(
            "/exchanges/{id}/identify/paper",
            post(identify::paper).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/exchanges/{id}/notices/{nid}/sign",
            post(exchange::sign_post),
        )
        .route(
            "/exchanges/{id}/ledger",
            get(ledger::page).post(ledger::post),
        )
        .route(
            "/exchanges/{id}/approvals/{aid}/{decision}",
            post(ledger::decide),
        )
        .route("/exchanges/{id}/audit", get(audit::page))
        .route("/audit", get(audit::firm_page))
        .route("/exchanges/{id}/export/{what}", get(io::export))
        .route("/users", get(users::page).post(users::create))
        .route("/users/{uid}/role", post(users::role_post))
        .route("/users/{uid}/active", post(users::active_post))
        .route("/users/{uid}/reset", post(users::reset_post))
        .route(
            "/reset/{token}",
            get(users::reset_form).post(users::reset_post_password),
        )
        .route("/exchanges/{id}/plan", get(plan::page))
        .route(
            "/exchanges/{id}/documents",
            post(exchange::upload_post).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/exchanges/{id}/documents/{did}", get(documents::download))
        .route(
            "/exchanges/{id}/notices/{nid}/revoke",
            post(exchange::revoke_post),
        )
        .route("/firm", get(firm::page).post(firm::post))
        .merge(notify_routes())
        .layer(axum::middleware::map_response(
            likekind_server::security::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            likekind_server::notify::zone::layer,
        ))
        .with_state(state)
}

/// The notification pages (see [`notify`]).
fn notify_routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(notify::page))
        .route("/notifications/preferences", post(notify::prefs_post))
        .route("/notifications/settings", post(notify::settings_post))
        .route("/notifications/webhooks", post(notify::webhook_post))
        .route(
            "/notifications/webhooks/{wid}/delete",
            post(notify::webhook_delete),
        )
        .route(
            "/notifications/deliveries/{did}/retry",
            post(notify::retry_post),
        )
        .route(
            "/notifications/unsubscribe",
            get(notify::unsubscribe_page).post(notify::unsubscribe_post),
        )
}

/// The JSON API (under `/api`) and the web application (at `/`), one router.
pub fn app(state: AppState) -> Router {
    likekind_server::app(state.clone())
        .merge(routes(state.clone()))
        .layer(axum::middleware::from_fn_with_state(state, errors::layer))
}
