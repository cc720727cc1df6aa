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
                script src="/assets/app.js" defer {}
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
                                a href="/audit" { "Audit log" }
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

/// The error box of a form (the API's message and its field errors, in words: field paths
/// become the fields' names, amounts and dates are formatted; see [`likekind_core::words`]).
/// Each problem is said once: when the API names the fields, the box lists them instead of
/// repeating the first one in its headline. The box takes the focus after a refused form
/// (`tabindex=-1`; `app.js` focuses the first invalid field the form marks, else the box).
pub fn api_error(e: &ApiError) -> Markup {
    refused_box(&Refused::of(e, &[]))
}

/// The errors of a refused form: a headline and each field's problem in words, keyed by the
/// form's input name when the form has an input for it.
#[derive(Debug, Clone, Default)]
pub struct Refused {
    pub headline: String,
    /// (input name, or "" when no input of the form holds it; the problem in words).
    pub fields: Vec<(String, String)>,
}

impl Refused {
    /// `inputs` maps the API's field paths to the form's input names.
    pub fn of(e: &ApiError, inputs: &[(&str, &str)]) -> Refused {
        let fields: Vec<(String, String)> = e
            .detail
            .fields
            .iter()
            .map(|f| {
                let input = inputs
                    .iter()
                    .find(|(p, _)| *p == f.path || f.path.strip_prefix("file.") == Some(*p))
                    .map_or("", |(_, n)| *n);
                let msg = crate::fmt::words(&f.message);
                let text = if f.path.is_empty() {
                    msg
                } else {
                    let mut w = crate::fmt::field(&f.path);
                    if let Some(c) = w.get(..1) {
                        w.replace_range(..1, &c.to_uppercase());
                    }
                    format!("{w}: {msg}")
                };
                (input.to_string(), text)
            })
            .collect();
        let headline = if fields.is_empty() {
            crate::fmt::words(&e.detail.message)
        } else if fields.len() == 1 {
            "1 thing to correct.".to_string()
        } else {
            format!("{} things to correct.", fields.len())
        };
        Refused { headline, fields }
    }

    /// A form's own problems (input name, message in words), all at once.
    pub fn fields(list: Vec<(&str, String)>) -> Refused {
        let fields: Vec<(String, String)> =
            list.into_iter().map(|(n, m)| (n.to_string(), m)).collect();
        let headline = if fields.len() == 1 {
            "1 thing to correct.".to_string()
        } else {
            format!("{} things to correct.", fields.len())
        };
        Refused { headline, fields }
    }

    /// The problem of one input, if it has one.
    pub fn get(&self, input: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| !n.is_empty() && n == input)
            .map(|(_, m)| m.as_str())
    }
}

/// The box of a refused form: every problem at once, each linked to its field.
pub fn refused_box(r: &Refused) -> Markup {
    html! {
        div.error #form-errors role="alert" tabindex="-1" {
            p { strong { "Not saved: " } (r.headline) }
            @if !r.fields.is_empty() {
                ul {
                    @for (input, m) in &r.fields {
                        li { @if input.is_empty() { (m) } @else { a href={ "#f-" (input) } { (m) } } }
                    }
                }
            }
        }
    }
}

/// A labelled input that shows its problem after a refused form: `aria-invalid="true"` and
/// described by the message right below it.
pub fn field_in(
    r: Option<&Refused>,
    label: &str,
    name: &str,
    kind: &str,
    value: &str,
    hint: Option<&str>,
) -> Markup {
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-err");
    let problem = r.and_then(|r| r.get(name));
    let described = match (hint.is_some(), problem.is_some()) {
        (true, true) => Some(format!("{err_id} {hint_id}")),
        (true, false) => Some(hint_id.clone()),
        (false, true) => Some(err_id.clone()),
        (false, false) => None,
    };
    html! {
        div.field.invalid[problem.is_some()] {
            label for=(id) { (label) }
            input id=(id) name=(name) type=(kind) value=(value) aria-describedby=[described] aria-invalid=[problem.map(|_| "true")];
            @if let Some(p) = problem { small.problem id=(err_id) { (p) } }
            @if let Some(h) = hint { small id=(hint_id) { (h) } }
        }
    }
}

/// A message box.
pub fn error_box(msg: &str) -> Markup {
    html! { div.error role="alert" { p { (msg) } } }
}

/// What an error page says, kept on the response so [`crate::errors::layer`] can give it the
/// logged-in person's header and the way back to where they were.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub title: String,
    pub message: String,
}

/// A full error page (without the person's header: [`crate::errors::layer`] adds it, with the
/// way back).
pub fn error_page(status: StatusCode, title: &str, msg: &str) -> Response {
    let mut r = (
        status,
        shell(
            title,
            None,
            html! { h1 { (title) } p { (msg) } p { a href="/" { "Back to the dashboard" } } },
        ),
    )
        .into_response();
    r.extensions_mut().insert(ErrorPage {
        title: title.to_string(),
        message: msg.to_string(),
    });
    r
}

/// The page for an API error outside a form (e.g. an exchange that does not exist or is not
/// yours: 404, which reveals nothing).
pub fn from_api(e: ApiError) -> Response {
    let title = match e.status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::CONFLICT => "Not possible now",
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => "Not accepted",
        _ => "Something went wrong",
    };
    let msg = if e.status == StatusCode::NOT_FOUND {
        "There is no such page, or it is not yours to see.".to_string()
    } else {
        let mut m = crate::fmt::words(&e.detail.message);
        if let Some(c) = m.get(..1) {
            m.replace_range(..1, &c.to_uppercase());
        }
        m
    };
    error_page(e.status, title, &msg)
}

/// A hidden CSRF field.
pub fn csrf(w: &Web) -> Markup {
    html! { input type="hidden" name="_csrf" value=(w.csrf); }
}

/// A labelled input.
pub fn field(label: &str, name: &str, kind: &str, value: &str, hint: Option<&str>) -> Markup {
    field_in(None, label, name, kind, value, hint)
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
