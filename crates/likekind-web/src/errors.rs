//! Error pages for people: a refused or missing page keeps the logged-in person's header and
//! offers the way back to where they were (the exchange they were working in, the page they
//! came from), and an unknown address answers a browser with a page and an API client with
//! the API's JSON.

use crate::layout::{ErrorPage, shell};
use crate::session::Web;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use likekind_server::AppState;
use maud::html;

/// Whether the caller is a browser asking for a page (not the API, not a script).
pub(crate) fn wants_html(path: &str, headers: &HeaderMap) -> bool {
    if path.starts_with("/api/") || path == "/api" || path == "/openapi.json" {
        return false;
    }
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// Whether the answer to an address that is no page (404, 405) should be a page: for every
/// caller of the web's addresses (not under `/api`) but one asking for JSON and not for HTML.
/// A browser asks for `text/html`; a link opened by another tool (`*/*`, or no `Accept`) is
/// read by a person too, and raw JSON means nothing to them. API clients keep the JSON.
pub(crate) fn page_for_missing(path: &str, headers: &HeaderMap) -> bool {
    if path.starts_with("/api/") || path == "/api" || path == "/openapi.json" {
        return false;
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    accept.contains("text/html") || !accept.contains("json")
}

/// The ways back from an error at `path`, best first: (address, words).
pub fn ways_back(
    status: StatusCode,
    path: &str,
    referer: Option<&str>,
    host: Option<&str>,
    logged_in: bool,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    // The page they came from, when it is on this site and is not this page.
    if let (Some(r), Some(h)) = (referer, host) {
        let rest = r
            .strip_prefix("http://")
            .or_else(|| r.strip_prefix("https://"))
            .and_then(|x| x.strip_prefix(h));
        if let Some(p) = rest.filter(|p| p.starts_with('/') && !p.starts_with("//")) {
            let p = p.to_string();
            if p != path && !p.starts_with("/login") {
                out.push((p, "Back to where you were".into()));
            }
        }
    }
    // The exchange they were working in (not when the exchange itself is what is missing).
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if let ["exchanges", id, _, ..] = parts.as_slice() {
        let whole = !(status == StatusCode::NOT_FOUND && parts.len() == 2);
        let ex = format!("/exchanges/{id}");
        if whole && *id != "new" && *id != "import" && !out.iter().any(|(p, _)| *p == ex) {
            out.push((ex, "Back to the exchange".into()));
        }
    }
    if logged_in {
        if !out.iter().any(|(p, _)| p == "/") {
            out.push(("/".into(), "Dashboard".into()));
        }
    } else {
        out.push(("/login".into(), "Log in".into()));
    }
    out
}

/// Renders an error page for `who` with the ways back.
fn page(
    status: StatusCode,
    title: &str,
    message: &str,
    who: Option<&Web>,
    back: &[(String, String)],
) -> Response {
    (
        status,
        shell(
            title,
            who,
            html! {
                h1 { (title) }
                p { (message) }
                nav aria-label="Ways back" { ul.back {
                    @for (href, words) in back { li { a href=(href) { (words) } } }
                } }
            },
        ),
    )
        .into_response()
}

/// The middleware over the whole application ([`crate::app`]).
pub async fn layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let headers = req.headers().clone();
    let method = req.method().clone();
    let r = next.run(req).await;
    let status = r.status();
    if !(status.is_client_error() || status.is_server_error()) || method == Method::HEAD {
        return r;
    }
    let said = r.extensions().get::<ErrorPage>().cloned();
    let (title, message) = match said {
        Some(e) => (e.title, e.message),
        None => {
            // The API's fallback answered an address that is no page: a browser gets a page.
            let json = r
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("application/json"));
            if !json
                || !page_for_missing(&path, &headers)
                || !matches!(
                    status,
                    StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
                )
            {
                return r;
            }
            if status == StatusCode::METHOD_NOT_ALLOWED {
                (
                    "Not possible here".to_string(),
                    "This page cannot be used that way.".to_string(),
                )
            } else {
                (
                    "Not found".to_string(),
                    "There is no such page, or it is not yours to see.".to_string(),
                )
            }
        }
    };
    let who = person(&st, &headers, &path).await;
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let back = ways_back(status, &path, referer, host, who.is_some());
    let mut out = page(status, &title, &message, who.as_ref(), &back);
    // Keep what the handler set (security headers, Retry-After…) but the body's own.
    for (k, v) in r.headers() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    likekind_server::security::security_headers(out).await
}

/// The logged-in person of a request, if any.
async fn person(st: &AppState, headers: &HeaderMap, path: &str) -> Option<Web> {
    let mut req = axum::http::Request::new(Body::empty());
    *req.headers_mut() = headers.clone();
    if let Ok(u) = path.parse::<Uri>() {
        *req.uri_mut() = u;
    }
    let (mut parts, _) = req.into_parts();
    Web::from_request_parts(&mut parts, st).await.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_leads_to_the_exchange() {
        let b = ways_back(
            StatusCode::CONFLICT,
            "/exchanges/abc/ledger",
            Some("http://h.example/exchanges/abc/ledger"),
            Some("h.example"),
            true,
        );
        assert_eq!(b[0].0, "/exchanges/abc");
        assert_eq!(b.last().map(|x| x.0.as_str()), Some("/"));
        let b = ways_back(
            StatusCode::NOT_FOUND,
            "/exchanges/zzz",
            Some("http://evil.example/x"),
            Some("h.example"),
            true,
        );
        assert_eq!(b, vec![("/".to_string(), "Dashboard".to_string())]);
        let b = ways_back(StatusCode::FORBIDDEN, "/users", None, None, false);
        assert_eq!(b[0].0, "/login");
    }
}
