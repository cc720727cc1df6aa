//! The audit log of one exchange (staff only, the API's rule): who did what, when, with the
//! record before and after.

use crate::fmt;
use crate::layout::{from_api, shell};
use crate::session::Web;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use likekind_server::exchanges::{self, load};
use likekind_server::extract::P;
use likekind_server::extract::Q;
use likekind_server::{AppState, PageQuery};
use maud::html;

/// An audit action in words.
pub fn action_word(action: &str, entity: &str) -> String {
    let whole = match action {
        "notice.submit" => Some("identification notice submitted"),
        "notice.sign" => Some("identification notice signed"),
        "notice.revoke" => Some("identification notice revoked"),
        "notice.paper" => Some("signed paper identification notice recorded"),
        "document.upload" => Some("document uploaded"),
        _ => None,
    };
    if let Some(w) = whole {
        return w.to_string();
    }
    let verb = match action {
        "create" | "insert" => "created",
        "update" => "changed",
        "delete" => "deleted",
        a => a,
    };
    format!("{} {verb}", entity.replace('_', " "))
}

/// `GET /exchanges/{id}/audit`.
pub async fn page(State(st): State<AppState>, w: Web, Path(id): Path<String>) -> Response {
    let ex = match load(&st, &w.auth(), &id).await {
        Ok(ex) => ex,
        Err(e) => return from_api(e),
    };
    let q = PageQuery {
        limit: Some(500),
        after: None,
    };
    let entries = match exchanges::audit_log(State(st.clone()), w.auth(), P(id.clone()), Q(q)).await
    {
        Ok(axum::Json(p)) => p.items,
        Err(e) => return from_api(e),
    };
    let names = match crate::users::names(&st, &w.user.firm_id).await {
        Ok(n) => n,
        Err(e) => return from_api(e),
    };
    shell("Audit log", Some(&w), html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/" { "Dashboard" } " › " a href={ "/exchanges/" (id) } { (ex.name) } " › " span { "Audit log" } }
        h1 { "Audit log: " (ex.name) }
        @if entries.is_empty() { p.empty { "Nothing has been recorded yet." } }
        @else {
            div.scroll tabindex="0" role="region" aria-label="Audit log, table" { table {
                thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "Details" } } }
                tbody { @for a in &entries { tr {
                    td { (fmt::date_str(&a.at)) br; small { (a.at.get(11..19).unwrap_or("")) " UTC" } }
                    td { (a.actor_id.as_ref().and_then(|i| names.get(i)).map(String::as_str).unwrap_or("the system")) }
                    td { (action_word(&a.action, &a.entity)) }
                    td { details { summary { "Before and after" }
                        @if let Some(b) = &a.before { h4 { "Before" } pre { (serde_json::to_string_pretty(b).unwrap_or_default()) } }
                        @if let Some(b) = &a.after { h4 { "After" } pre { (serde_json::to_string_pretty(b).unwrap_or_default()) } }
                    } }
                } } }
            } }
        }
    }).into_response()
}
