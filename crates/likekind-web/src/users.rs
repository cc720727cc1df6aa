//! Users and roles (administrators only): the firm's people and the API's user creation.

use crate::fmt;
use crate::layout::{api_error, csrf, field, from_api, shell};
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

async fn body(st: &AppState, w: &Web, f: &UserForm, err: Option<Markup>) -> Response {
    if !w.is_admin() {
        return from_api(ApiError::forbidden("only an administrator manages users"));
    }
    let users = match people(st, &w.user.firm_id).await {
        Ok(u) => u,
        Err(e) => return from_api(e),
    };
    shell("Users and roles", Some(w), html! {
        h1 { "Users and roles" }
        div.scroll { table {
            thead { tr { th scope="col" { "Name" } th scope="col" { "E-mail" } th scope="col" { "Role" } th scope="col" { "Since" } } }
            tbody { @for u in &users { tr { th scope="row" { (u.name) } td { (u.email) } td { (fmt::role(u.role)) } td { (fmt::date_str(&u.created_at)) } } } }
        } }
        form.card method="post" action="/users" {
            h2 { "Add a person" }
            @if let Some(e) = err { (e) }
            (csrf(w))
            (field("Name", "name", "text", &f.name, None))
            (field("E-mail", "email", "email", &f.email, None))
            div.field {
                label for="f-role" { "Role" }
                select #f-role name="role" { @for r in ROLES { option value=(r.as_str()) selected[f.role == r.as_str()] { (fmt::role(r)) } } }
            }
            (field("First password", "password", "password", "", Some("At least 12 characters; give it to them privately.")))
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
        return body(
            &st,
            &w,
            &f,
            Some(api_error(&ApiError::field(
                "role",
                "allowed_values",
                "choose a role",
            ))),
        )
        .await;
    };
    let req = NewUserReq {
        email: f.email.clone(),
        name: f.name.clone(),
        role,
        password: f.password.clone(),
    };
    match auth::create_user(State(st.clone()), w.auth(), JsonBody(req)).await {
        Ok(_) => Redirect::to("/users").into_response(),
        Err(e) => {
            let mut r = body(&st, &w, &f, Some(api_error(&e))).await;
            *r.status_mut() = e.status;
            r
        }
    }
}
