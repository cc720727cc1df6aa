//! The stylesheet and htmx, compiled into the binary: the application needs nothing else.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// htmx 2.0.11 (BSD Zero Clause licence, `assets/htmx-LICENSE`), vendored from npm.
pub const HTMX: &str = include_str!("../assets/htmx.min.js");
/// The focus after a refused form (a few lines, no framework).
pub const APP_JS: &str = include_str!("../assets/app.js");
/// The hand-written stylesheet.
pub const CSS: &str = include_str!("../assets/app.css");

/// `/assets/app.css`, `/assets/htmx.min.js`.
pub async fn serve(Path(name): Path<String>) -> Response {
    let (ct, body) = match name.as_str() {
        "app.css" => ("text/css; charset=utf-8", CSS),
        "htmx.min.js" => ("text/javascript; charset=utf-8", HTMX),
        "app.js" => ("text/javascript; charset=utf-8", APP_JS),
        _ => return (StatusCode::NOT_FOUND, "no such asset").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}
