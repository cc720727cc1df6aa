//! First run (the firm and its admin), log in and log out, through the API's own handlers
//! (so the password rules, throttling and session cookie are the API's).

use crate::layout::{Refused, field_in, from_api, refused_box, shell};
use crate::session::Web;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use likekind_server::AppState;
use likekind_server::auth::{LoginReq, SESSION_COOKIE, SignupReq};
use likekind_server::error::ApiError;
use likekind_server::extract::{JsonBody, SameOrigin};
use maud::{Markup, html};
use serde::Deserialize;

/// The setup form's inputs for the API's field paths.
const SETUP_INPUTS: [(&str, &str); 4] = [
    ("firm_name", "firm_name"),
    ("name", "name"),
    ("email", "email"),
    ("password", "password"),
];

fn setup_body(err: Option<&Refused>, f: &SetupForm) -> Markup {
    html! {
        h1 { "Welcome to likekind" }
        p.lead { "Create your firm and its administrator. You will add your colleagues and clients next." }
        @if let Some(e) = err { (refused_box(e)) }
        form.card method="post" action="/setup" {
            (field_in(err, "Firm name", "firm_name", "text", &f.firm_name, None))
            (field_in(err, "Your name", "name", "text", &f.name, None))
            (field_in(err, "Your e-mail", "email", "email", &f.email, None))
            (field_in(err, "Password", "password", "password", "", Some("At least 12 characters.")))
            button type="submit" { "Create the firm" }
        }
    }
}

/// The first-run form (only while the server has no firm).
pub async fn setup_form(State(st): State<AppState>) -> Response {
    if st.store.firm_count().await.unwrap_or(1) > 0 && !st.config.allow_signup {
        return Redirect::to("/login").into_response();
    }
    shell("Set up", None, setup_body(None, &SetupForm::default())).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    pub firm_name: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

fn with_cookie(r: &Response, to: &str) -> Response {
    let mut out = Redirect::to(to).into_response();
    if let Some(c) = r.headers().get(header::SET_COOKIE) {
        out.headers_mut().insert(header::SET_COOKIE, c.clone());
    }
    out
}

/// Creates the firm and its admin (the API's sign-up) and logs them in.
pub async fn setup_post(
    State(st): State<AppState>,
    origin: Result<SameOrigin, ApiError>,
    headers: HeaderMap,
    Form(f): Form<SetupForm>,
) -> Response {
    let origin = match origin {
        Ok(o) => o,
        Err(e) => return from_api(e),
    };
    let req = SignupReq {
        firm_name: f.firm_name.clone(),
        email: f.email.clone(),
        name: f.name.clone(),
        password: f.password.clone(),
    };
    match likekind_server::auth::signup(State(st), origin, headers, JsonBody(req)).await {
        Ok(r) if r.status().is_success() => with_cookie(&r, "/"),
        Ok(_) => shell("Set up", None, setup_body(None, &f)).into_response(),
        Err(e) => (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            shell(
                "Set up",
                None,
                setup_body(Some(&Refused::of(&e, &SETUP_INPUTS)), &f),
            ),
        )
            .into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

/// The login form's inputs for the API's field paths.
const LOGIN_INPUTS: [(&str, &str); 2] = [("email", "email"), ("password", "password")];

fn login_body(err: Option<&Refused>, email: &str) -> Markup {
    html! {
        h1 { "Log in" }
        @if let Some(e) = err { (refused_box(e)) }
        form.card method="post" action="/login" {
            (field_in(err, "E-mail", "email", "email", email, None))
            (field_in(err, "Password", "password", "password", "", None))
            button type="submit" { "Log in" }
        }
        p { "No account? Your firm's administrator adds you. Just need a quick answer? Use the "
            a href="/calc" { "calculator" } ", no account needed." }
    }
}

/// The login form; on a new server, the first-run page instead.
pub async fn login_form(State(st): State<AppState>) -> Response {
    if st.store.firm_count().await.unwrap_or(1) == 0 {
        return Redirect::to("/setup").into_response();
    }
    shell("Log in", None, login_body(None, "")).into_response()
}

/// Logs in (the API's login: same throttling, same session).
pub async fn login_post(
    State(st): State<AppState>,
    origin: Result<SameOrigin, ApiError>,
    headers: HeaderMap,
    ext: axum::http::Extensions,
    Form(f): Form<LoginForm>,
) -> Response {
    let origin = match origin {
        Ok(o) => o,
        Err(e) => return from_api(e),
    };
    let req = LoginReq {
        email: f.email.clone(),
        password: f.password,
    };
    match likekind_server::auth::login(State(st), origin, headers, ext, JsonBody(req)).await {
        Ok(r) if r.status().is_success() => with_cookie(&r, "/"),
        Ok(r) => r,
        Err(e) => {
            let mut r = Refused::of(&e, &LOGIN_INPUTS).lead("Not logged in: ");
            // A wrong e-mail or password: the password is what to type again (which of the
            // two is wrong is not said, so an address's existence is not revealed).
            if e.detail.code == "bad_credentials" {
                r = r.or_on("password");
            }
            (
                e.status,
                shell("Log in", None, login_body(Some(&r), &f.email)),
            )
                .into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
}

/// Ends the session and clears the cookie.
pub async fn logout_post(State(st): State<AppState>, w: Web, Form(f): Form<CsrfForm>) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let _ = st.store.delete_session(w.session_hash()).await;
    let mut r = Redirect::to("/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
    )) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}
