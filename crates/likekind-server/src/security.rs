//! The security headers of every response, the API's and the pages', set in this one place.
//!
//! One set for both: the pages need their own scripts, styles and forms (`'self'`), and the
//! same policy is as safe on a JSON answer, which no browser runs (`nosniff`). The referrer
//! policy is `same-origin`, not the stricter-looking `no-referrer`: under `no-referrer` a
//! browser sends `Origin: null` with a page's own form posts, and the cross-site request
//! check reads that header.

use axum::http::{HeaderValue, header};
use axum::response::Response;

/// Every security header, with its value.
pub const HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "same-origin"),
    (
        "content-security-policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         form-action 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
];

/// Adds [`HEADERS`] to a response, and `Cache-Control: no-store` unless the handler chose a
/// cache policy (what a tracker shows is private and changes).
pub async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    for (name, value) in HEADERS {
        h.insert(name, HeaderValue::from_static(value));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}
