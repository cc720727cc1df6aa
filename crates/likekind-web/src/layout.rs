//! The page shell: landmarks, skip link, navigation, and the error box every form uses.

use crate::session::Web;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use likekind_server::error::ApiError;
use maud::{DOCTYPE, Markup, html};

/// A whole page.
pub fn shell(title: &str, who: Option<&Web>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="htmx-config" content=r#"{"includeIndicatorStyles":false,"allowEval":false}"#;
                title { (title) " · likekind" }
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/htmx.min.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to main content" }
                header.top {
                    nav aria-label="Main" {
                        a.brand href="/" { "likekind" }
                        @if let Some(w) = who {
                            a href="/" { "Dashboard" }
                            @if w.is_staff() {
                                a href="/exchanges/new" { "New exchange" }
                                a href="/exchanges/import" { "Import" }
                            }
                            a href="/calc" { "Calculator" }
                            @if w.is_admin() { a href="/users" { "Users" } }
                            @if w.is_admin() { a href="/firm" { "Firm settings" } }
                            a href="/notifications" { "Notifications" }
                            form.inline method="post" action="/logout" {
                                input type="hidden" name="_csrf" value=(w.csrf);
                                button.link type="submit" { "Log out " span.who { "(" (w.user.name) ")" } }
                            }
                        } @else {
                            a href="/calc" { "Calculator" }
                            a href="/login" { "Log in" }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
                footer.foot {
                    p { "likekind: an aid for US §1031 exchanges, not tax or legal advice. Check every figure against the law and your facts." }
                }
            }
        }
    }
}

/// The error box of a form (the API's message and its field errors, in words).
pub fn api_error(e: &ApiError) -> Markup {
    html! {
        div.error role="alert" {
            p { strong { "Not saved: " } (e.detail.message) }
            @if !e.detail.fields.is_empty() {
                ul {
                    @for f in &e.detail.fields {
                        li { @if !f.path.is_empty() { code { (f.path) } ": " } (f.message) }
                    }
                }
            }
        }
    }
}

/// A message box.
pub fn error_box(msg: &str) -> Markup {
    html! { div.error role="alert" { p { (msg) } } }
}

/// A full error page.
pub fn error_page(status: StatusCode, title: &str, msg: &str) -> Response {
    (
        status,
        shell(
            title,
            None,
            html! { h1 { (title) } p { (msg) } p { a href="/" { "Back to the dashboard" } } },
        ),
    )
        .into_response()
}

/// The page for an API error outside a form (e.g. an exchange that does not exist or is not
/// yours: 404, which reveals nothing).
pub fn from_api(e: ApiError) -> Response {
    let title = match e.status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        _ => "Something went wrong",
    };
    let msg = if e.status == StatusCode::NOT_FOUND {
        "There is no such page, or it is not yours to see."
    } else {
        e.detail.message.as_str()
    };
    error_page(e.status, title, msg)
}

/// A hidden CSRF field.
pub fn csrf(w: &Web) -> Markup {
    html! { input type="hidden" name="_csrf" value=(w.csrf); }
}

/// A labelled input.
pub fn field(label: &str, name: &str, kind: &str, value: &str, hint: Option<&str>) -> Markup {
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    html! {
        div.field {
            label for=(id) { (label) }
            @if let Some(h) = hint {
                input id=(id) name=(name) type=(kind) value=(value) aria-describedby=(hint_id);
                small id=(hint_id) { (h) }
            } @else {
                input id=(id) name=(name) type=(kind) value=(value);
            }
        }
    }
}

impl Web {
    /// Checks a form's CSRF token and the request's origin ([`Web::form_is_genuine`]).
    ///
    /// # Errors
    /// A 403 page.
    #[allow(clippy::result_large_err)]
    pub fn verify(&self, sent: &str) -> Result<(), Response> {
        if self.form_is_genuine(sent) {
            Ok(())
        } else {
            Err(error_page(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "The page was open too long or came from somewhere else. Go back, reload the page and try again.",
            ))
        }
    }
}
