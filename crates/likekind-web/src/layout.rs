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
    /// (input key, or "" when no input of the form holds it; the problem in words). The
    /// input's element id is the key after [`Refused::prefix`].
    pub fields: Vec<(String, String)>,
    /// The prefix of the inputs' element ids ("" means `f-`): a form repeated on a page (one
    /// per notice, one per person) gives its own.
    pub prefix: String,
    /// The box's first words ("" means "Not saved: ").
    pub lead: &'static str,
}

impl Refused {
    /// `inputs` maps the API's field paths to the form's input names.
    pub fn of(e: &ApiError, inputs: &[(&str, &str)]) -> Refused {
        Refused::labelled(e, inputs, &[])
    }

    /// [`Refused::of`], each problem of an input in `labels` (input name, the label the form
    /// shows) named by that label rather than by the API's field ("Bank value date: …", not
    /// "The date posted: …"): people read the words of the form they filled in.
    pub fn labelled(e: &ApiError, inputs: &[(&str, &str)], labels: &[(&str, &str)]) -> Refused {
        let fields: Vec<(String, String)> = e
            .detail
            .fields
            .iter()
            .map(|f| {
                let input = inputs
                    .iter()
                    .find(|(p, _)| *p == f.path || f.path.strip_prefix("file.") == Some(*p))
                    .map_or("", |(_, n)| *n);
                let label = labels.iter().find(|(i, _)| *i == input).map(|(_, l)| *l);
                let text = if let Some(label) = label {
                    format!("{label}: {}", crate::fmt::words(&f.message))
                } else if f.path.is_empty() {
                    crate::fmt::words(&f.message)
                } else {
                    crate::fmt::problem(&f.path, &f.message)
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
        Refused {
            headline,
            fields,
            prefix: String::new(),
            lead: "",
        }
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
        Refused {
            headline,
            fields,
            prefix: String::new(),
            lead: "",
        }
    }

    /// The same errors for inputs whose element ids start with `prefix` instead of `f-`.
    #[must_use]
    pub fn prefixed(mut self, prefix: impl Into<String>) -> Refused {
        self.prefix = prefix.into();
        self
    }

    /// The same errors under other first words (e.g. "Not logged in: ").
    #[must_use]
    pub fn lead(mut self, lead: &'static str) -> Refused {
        self.lead = lead;
        self
    }

    /// When the API named no field (a 409, a rule about the whole request), its message is the
    /// problem of `input`: for forms where that input is what the refusal is about.
    #[must_use]
    pub fn or_on(mut self, input: &str) -> Refused {
        if self.fields.is_empty() {
            let mut m = self.headline.clone();
            if let Some(c) = m.get(..1) {
                m.replace_range(..1, &c.to_uppercase());
            }
            self.fields.push((input.to_string(), m));
        }
        self
    }

    /// The element id of an input.
    pub fn id_of(&self, input: &str) -> String {
        let p = if self.prefix.is_empty() {
            "f-"
        } else {
            self.prefix.as_str()
        };
        format!("{p}{input}")
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
    refused_box_with(r, html! {})
}

/// [`refused_box`] with more words after the list (e.g. the rule and its date).
pub fn refused_box_with(r: &Refused, more: Markup) -> Markup {
    html! {
        div.error #form-errors role="alert" tabindex="-1" {
            @let lead = if r.lead.is_empty() { "Not saved: " } else { r.lead };
            @match r.fields.as_slice() {
                // One problem, the headline itself: said once, linked to its input.
                [(input, m)] if !input.is_empty() && m.eq_ignore_ascii_case(&r.headline) => {
                    p { strong { (lead) } a href={ "#" (r.id_of(input)) } { (r.headline) } }
                }
                fields => {
                    p { strong { (lead) } (r.headline) }
                    @if !fields.is_empty() {
                        ul {
                            @for (input, m) in fields {
                                li { @if input.is_empty() { (m) } @else { a href={ "#" (r.id_of(input)) } { (m) } } }
                            }
                        }
                    }
                }
            }
            (more)
        }
    }
}

/// How an input of a refused form is marked: `aria-invalid`, described by its message (and
/// its hint), and the message to put right below it.
pub struct Mark {
    pub invalid: Option<&'static str>,
    pub described: Option<String>,
    pub problem: Markup,
}

/// The marks of the input `input` (element id `id`, hint element `hint_id`) after `r`.
pub fn mark(r: Option<&Refused>, input: &str, id: &str, hint_id: Option<&str>) -> Mark {
    let problem = r.and_then(|r| r.get(input));
    let err_id = format!("{id}-err");
    let described = match (hint_id, problem.is_some()) {
        (Some(h), true) => Some(format!("{err_id} {h}")),
        (Some(h), false) => Some(h.to_string()),
        (None, true) => Some(err_id.clone()),
        (None, false) => None,
    };
    Mark {
        invalid: problem.map(|_| "true"),
        described,
        problem: html! { @if let Some(p) = problem { small.problem id=(err_id) { (p) } } },
    }
}

/// A labelled select that shows its problem after a refused form (element id `f-{name}`).
pub fn select_in(
    r: Option<&Refused>,
    label: &str,
    name: &str,
    options: &[(&str, &str)],
    selected: &str,
) -> Markup {
    select_keyed(r, label, name, name, options, selected)
}

/// [`select_in`] for a select whose element id (`f-{key}`) is not its name.
pub fn select_keyed(
    r: Option<&Refused>,
    label: &str,
    key: &str,
    name: &str,
    options: &[(&str, &str)],
    selected: &str,
) -> Markup {
    let id = format!("f-{key}");
    let m = mark(r, key, &id, None);
    html! {
        div.field.invalid[m.invalid.is_some()] {
            label for=(id) { (label) }
            select id=(id) name=(name) aria-describedby=[m.described] aria-invalid=[m.invalid] {
                @for (v, l) in options { option value=(v) selected[selected == *v] { (l) } }
            }
            (m.problem)
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
    let m = mark(r, name, &id, hint.map(|_| hint_id.as_str()));
    html! {
        div.field.invalid[m.invalid.is_some()] {
            label for=(id) { (label) }
            input id=(id) name=(name) type=(kind) value=(value) aria-describedby=[m.described] aria-invalid=[m.invalid];
            (m.problem)
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
