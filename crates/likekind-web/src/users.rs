//! Users and roles (administrators only): the firm's people and the API's user creation.

use crate::fmt;
use crate::layout::{Refused, csrf, field_in, from_api, mark, refused_box, select_in, shell};
use crate::session::Web;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use likekind_server::AppState;
use likekind_server::auth::{self, NewUserReq};
use likekind_server::error::{ApiError, ApiResult};
use likekind_server::extract::JsonBody;
use likekind_store::{PageReq, Role, User};
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Default, Deserialize)]
pub struct UserForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub password: String,
}

/// Every person of the firm, oldest first, read page by page (no silent cut-off).
///
/// # Errors
/// A store failure.
pub async fn people(st: &AppState, firm_id: &str) -> ApiResult<Vec<User>> {
    const PAGE: i64 = 500;
    let mut all: Vec<User> = Vec::new();
    loop {
        let after = all.last().map(|u| u.id.clone());
        let page = st
            .store
            .list_users(
                firm_id,
                PageReq {
                    after: after.as_deref(),
                    limit: PAGE,
                },
            )
            .await?;
        let done = i64::try_from(page.len()).unwrap_or(PAGE) < PAGE;
        all.extend(page);
        if done {
            return Ok(all);
        }
    }
}

/// The names of the firm's people by id (for "who did it" columns).
///
/// # Errors
/// A store failure.
pub async fn names(st: &AppState, firm_id: &str) -> ApiResult<HashMap<String, String>> {
    Ok(people(st, firm_id)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

const ROLES: [Role; 4] = [Role::Client, Role::Coordinator, Role::Preparer, Role::Admin];

/// The add-a-person form's inputs for the API's field paths.
const USER_INPUTS: [(&str, &str); 4] = [
    ("name", "name"),
    ("email", "email"),
    ("role", "role"),
    ("password", "password"),
];

async fn body(st: &AppState, w: &Web, f: &UserForm, err: Option<&Refused>) -> Response {
    body_with(st, w, f, err, None).await
}

/// What is shown beside one person's row: their id, the markup (a result or the refused
/// box) and, for a refused change, the refusal (to mark the input it is about).
type RowNote = (String, Markup, Option<Refused>);

async fn body_with(
    st: &AppState,
    w: &Web,
    f: &UserForm,
    err: Option<&Refused>,
    note: Option<RowNote>,
) -> Response {
    if !w.is_admin() {
        return from_api(ApiError::forbidden("only an administrator manages users"));
    }
    let users = match people(st, &w.user.firm_id).await {
        Ok(u) => u,
        Err(e) => return from_api(e),
    };
    let history = match st.store.list_firm_audit(&w.user.firm_id, 200).await {
        Ok(h) => h
            .into_iter()
            .filter(|a| a.action.starts_with("user.") && a.action != "user.create")
            .take(50)
            .collect::<Vec<_>>(),
        Err(e) => return from_api(e.into()),
    };
    let name_of = |id: Option<&str>| {
        id.and_then(|i| users.iter().find(|u| u.id == i))
            .map_or_else(|| "someone".to_string(), |u| u.name.clone())
    };
    let role_options: Vec<(&str, &str)> =
        ROLES.iter().map(|r| (r.as_str(), fmt::role(*r))).collect();
    let row_refused = |uid: &str| {
        note.as_ref()
            .filter(|(id, _, _)| id == uid)
            .and_then(|(_, _, r)| r.as_ref())
    };
    shell("Users and roles", Some(w), html! {
        h1 { "Users and roles" }
        @if let Some((uid, m, _)) = &note { @if !users.iter().any(|u| &u.id == uid) { (m) } }
        div.scroll tabindex="0" role="region" aria-label="Users, table" { table {
            thead { tr { th scope="col" { "Name" } th scope="col" { "E-mail" } th scope="col" { "Role" } th scope="col" { "Since" } th scope="col" { "Account" } th scope="col" { "Manage" } } }
            tbody { @for u in &users { tr id={ "user-" (u.id) } {
                th scope="row" { (u.name) }
                td { (u.email) }
                td { (fmt::role(u.role)) }
                td { (fmt::date_str(&u.created_at)) }
                td { @if u.active { "Active" } @else { strong { "Deactivated" } } }
                td {
                    @if let Some((uid, m, _)) = &note { @if uid == &u.id { (m) } }
                    @let sel = format!("u-{}-role", u.id);
                    @let mk = mark(row_refused(&u.id), "role", &sel, None);
                    form.inline method="post" action={ "/users/" (u.id) "/role" } {
                        (csrf(w))
                        label for=(sel) { "Role of " (u.name) }
                        select id=(sel) name="role" aria-invalid=[mk.invalid] aria-describedby=[mk.described] { @for r in ROLES { option value=(r.as_str()) selected[u.role == r] { (fmt::role(r)) } } }
                        (mk.problem)
                        button.secondary type="submit" { "Change role" }
                    }
                    form.inline method="post" action={ "/users/" (u.id) "/active" } {
                        (csrf(w))
                        @if u.active {
                            input type="hidden" name="active" value="no";
                            button.secondary type="submit" { "Deactivate " (u.name) }
                        } @else {
                            input type="hidden" name="active" value="yes";
                            button.secondary type="submit" { "Reactivate " (u.name) }
                        }
                    }
                    @if u.active {
                        form.inline method="post" action={ "/users/" (u.id) "/reset" } {
                            (csrf(w))
                            button.secondary type="submit" { "Create a password-reset link for " (u.name) }
                        }
                    }
                }
            } } }
        } }
        p { "Deactivating a person ends their sessions and API tokens at once; they can no longer log in. A password-reset link works once, for 24 hours. Every change is kept in the audit log." }
        section aria-labelledby="acct-h" {
            h2 #acct-h { "Account changes" }
            @if history.is_empty() { p.empty { "No account has been changed yet." } } @else {
                div.scroll tabindex="0" role="region" aria-label="Account changes, table" { table {
                    thead { tr { th scope="col" { "Date" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "Whose account" } } }
                    tbody { @for a in &history { tr {
                        td { (fmt::date_str(&a.at)) }
                        td { (name_of(a.actor_id.as_deref())) }
                        td { (account_action(&a.action, a.after.as_ref())) }
                        td { (name_of(Some(&a.entity_id))) }
                    } } }
                } }
            }
        }
        form.card method="post" action="/users" {
            h2 { "Add a person" }
            @if let Some(e) = err { (refused_box(e)) }
            (csrf(w))
            (field_in(err, "Name", "name", "text", &f.name, None))
            (field_in(err, "E-mail", "email", "email", &f.email, None))
            (select_in(err, "Role", "role", &role_options, &f.role))
            (field_in(err, "First password", "password", "password", "", Some("At least 12 characters; give it to them privately.")))
            button type="submit" { "Add" }
        }
    }).into_response()
}

/// `GET /users`.
pub async fn page(State(st): State<AppState>, w: Web) -> Response {
    body(&st, &w, &UserForm::default(), None).await
}

/// `POST /users`.
pub async fn create(State(st): State<AppState>, w: Web, Form(f): Form<UserForm>) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let Some(role) = Role::parse(&f.role) else {
        let e = ApiError::field("role", "allowed_values", "choose a role");
        let mut r = body(&st, &w, &f, Some(&Refused::of(&e, &USER_INPUTS))).await;
        *r.status_mut() = e.status;
        return r;
    };
    let req = NewUserReq {
        email: f.email.clone(),
        name: f.name.clone(),
        role,
        password: f.password.clone(),
    };
    let made =
        async { auth::create_user(State(st.clone()), w.permitted()?, JsonBody(req)).await }.await;
    match made {
        Ok(_) => Redirect::to("/users").into_response(),
        Err(e) => {
            let mut r = body(&st, &w, &f, Some(&Refused::of(&e, &USER_INPUTS))).await;
            *r.status_mut() = e.status;
            r
        }
    }
}

/// An account change in words.
fn account_action(action: &str, after: Option<&serde_json::Value>) -> String {
    match action {
        "user.deactivate" => "deactivated".into(),
        "user.reactivate" => "reactivated".into(),
        "user.role" => {
            let role = after
                .and_then(|a| a["role"].as_str())
                .and_then(Role::parse)
                .map_or("another role", fmt::role);
            format!("role changed to {role}")
        }
        "user.reset_link" => "password-reset link created".into(),
        "user.password_reset" => "password set with a reset link".into(),
        other => other.replace(['.', '_'], " "),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ManageForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub active: String,
}

/// A refused change of one person, in words (no field names or codes); `input` is the row's
/// input it is about, if any.
fn refusal(e: &ApiError, uid: &str, input: Option<&str>) -> Refused {
    let r = Refused::of(e, &[("role", "role")])
        .lead("Not changed: ")
        .prefixed(format!("u-{uid}-"));
    match input {
        Some(i) => r.or_on(i),
        None => r,
    }
}

async fn after_manage<T>(
    st: &AppState,
    w: &Web,
    uid: &str,
    input: Option<&str>,
    r: ApiResult<T>,
    done: impl FnOnce(T) -> Option<Markup>,
) -> Response {
    match r {
        Ok(v) => match done(v) {
            None => Redirect::to(&format!("/users#user-{uid}")).into_response(),
            Some(m) => {
                body_with(
                    st,
                    w,
                    &UserForm::default(),
                    None,
                    Some((uid.to_string(), m, None)),
                )
                .await
            }
        },
        Err(e) if e.status == axum::http::StatusCode::FORBIDDEN => from_api(e),
        Err(e) => {
            let refused = refusal(&e, uid, input);
            let mut r = body_with(
                st,
                w,
                &UserForm::default(),
                None,
                Some((uid.to_string(), refused_box(&refused), Some(refused))),
            )
            .await;
            *r.status_mut() = e.status;
            r
        }
    }
}

/// `POST /users/{uid}/role`: the API's role change (admin only; keeps an admin).
pub async fn role_post(
    State(st): State<AppState>,
    w: Web,
    axum::extract::Path(uid): axum::extract::Path<String>,
    Form(f): Form<ManageForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let r = match Role::parse(&f.role) {
        None => Err(ApiError::field("role", "allowed_values", "choose a role")),
        Some(role) => {
            async {
                auth::patch_user(
                    State(st.clone()),
                    w.permitted()?,
                    likekind_server::extract::P(uid.clone()),
                    JsonBody(auth::UserPatch {
                        role: Some(role),
                        active: None,
                    }),
                )
                .await
            }
            .await
        }
    };
    // An administrator who gave up the role no longer manages users.
    if r.is_ok() && uid == w.user.id && Role::parse(&f.role) != Some(Role::Admin) {
        return Redirect::to("/").into_response();
    }
    after_manage(&st, &w, &uid, Some("role"), r, |_| None).await
}

/// `POST /users/{uid}/active`: deactivates (`active=no`) or reactivates (`active=yes`).
pub async fn active_post(
    State(st): State<AppState>,
    w: Web,
    axum::extract::Path(uid): axum::extract::Path<String>,
    Form(f): Form<ManageForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let active = match f.active.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            let e = ApiError::field(
                "active",
                "allowed_values",
                "choose to deactivate or reactivate",
            );
            return after_manage::<()>(&st, &w, &uid, None, Err(e), |()| None).await;
        }
    };
    let r = async {
        auth::patch_user(
            State(st.clone()),
            w.permitted()?,
            likekind_server::extract::P(uid.clone()),
            JsonBody(auth::UserPatch {
                role: None,
                active: Some(active),
            }),
        )
        .await
    }
    .await;
    // Deactivating yourself ends your own session: the users page is no longer yours.
    if r.is_ok() && !active && uid == w.user.id {
        return Redirect::to("/login").into_response();
    }
    after_manage(&st, &w, &uid, None, r, |_| None).await
}

/// `POST /users/{uid}/reset`: a one-time password-reset link, shown once beside the person.
pub async fn reset_post(
    State(st): State<AppState>,
    w: Web,
    headers: axum::http::HeaderMap,
    axum::extract::Path(uid): axum::extract::Path<String>,
    Form(f): Form<ManageForm>,
) -> Response {
    if let Err(r) = w.verify(&f.csrf) {
        return r;
    }
    let r = async {
        auth::reset_link(
            State(st.clone()),
            w.permitted()?,
            likekind_server::extract::P(uid.clone()),
        )
        .await
    }
    .await;
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);
    let https = st.config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            == Some("https");
    after_manage(&st, &w, &uid, None, r, |(_, axum::Json(l))| {
        let url = match &host {
            Some(h) => format!("{}://{h}{}", if https { "https" } else { "http" }, l.path),
            None => l.path.clone(),
        };
        let until = l
            .expires_at
            .parse::<jiff::Timestamp>()
            .map(|t| { let z = t.to_zoned_datetime(jiff::tz::TimeZone::UTC); format!("{} at {:02}:{:02} UTC", fmt::date(z.date()), z.hour(), z.minute()) })
            .unwrap_or_default();
        Some(html! {
            div.notice role="status" {
                p { "Give this link to " (l.user.name) " privately. It works once, until " (until) ":" }
                p { code.reset-link { (url) } }
            }
        })
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub confirm: String,
}

fn reset_body(token: &str, err: Option<&Refused>) -> Markup {
    html! {
        h1 { "Set a new password" }
        @if let Some(e) = err { (refused_box(e)) }
        form.card method="post" action={ "/reset/" (token) } {
            (field_in(err, "New password", "password", "password", "", Some("At least 12 characters.")))
            (field_in(err, "The same password again", "confirm", "password", "", None))
            button type="submit" { "Set the password" }
        }
    }
}

fn reset_refused(e: &ApiError) -> Response {
    (
        e.status,
        shell(
            "Password reset",
            None,
            html! {
                h1 { "This link cannot be used" }
                div.error role="alert" { p { (crate::fmt::words(&e.detail.message)) } }
                p { a href="/login" { "Log in" } }
            },
        ),
    )
        .into_response()
}

/// `GET /reset/{token}`: the one-time link's page (no login needed).
pub async fn reset_form(
    State(st): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Response {
    match auth::reset_usable(&st, &token).await {
        Ok(()) => shell("Set a new password", None, reset_body(&token, None)).into_response(),
        Err(e) => reset_refused(&e),
    }
}

/// `POST /reset/{token}`: sets the new password (once), then the login page.
pub async fn reset_post_password(
    State(st): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
    origin: Result<likekind_server::extract::SameOrigin, ApiError>,
    Form(f): Form<ResetForm>,
) -> Response {
    // A form of this server only, judged before its body (as the API's reset).
    if let Err(e) = origin {
        return from_api(e);
    }
    if let Err(e) = auth::reset_usable(&st, &token).await {
        return reset_refused(&e);
    }
    // Every problem at once: the password's own rule and the second copy.
    let mut own: Vec<(&str, String)> = Vec::new();
    if let Err(e) = auth::check_password("password", &f.password) {
        let r = Refused::of(&e, &[("password", "password")]);
        own.extend(r.fields.into_iter().map(|(_, m)| ("password", m)));
    }
    if f.password != f.confirm {
        own.push((
            "confirm",
            "The two passwords are not the same: type it again.".to_string(),
        ));
    }
    if !own.is_empty() {
        return (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            shell(
                "Set a new password",
                None,
                reset_body(&token, Some(&Refused::fields(own))),
            ),
        )
            .into_response();
    }
    match auth::use_reset(&st, &token, f.password).await {
        Ok(_) => shell(
            "Password set",
            None,
            html! {
                h1 { "Your password is set" }
                p { "Log in with your new password. Any session you had open has ended." }
                p { a href="/login" { "Log in" } }
            },
        )
        .into_response(),
        Err(e) if e.status == axum::http::StatusCode::UNPROCESSABLE_ENTITY => (
            e.status,
            shell(
                "Set a new password",
                None,
                reset_body(&token, Some(&Refused::of(&e, &[("password", "password")]))),
            ),
        )
            .into_response(),
        Err(e) => reset_refused(&e),
    }
}
