//! Downloads of the papers as PDF on the exchange, ledger and planner pages. The links go to
//! the API's PDF operations (`/api/exchanges/{id}/report.pdf` and the others, same origin,
//! the session cookie is the credential), so the page and the API give the same bytes under
//! the same access rules.

use crate::plan::PlanQuery;
use maud::{Markup, html};

/// The exchange page: the exchange report and the identification notice.
pub fn exchange_links(id: &str, has_identified: bool) -> Markup {
    html! {
        a.button.secondary #pdf-report href={ "/api/exchanges/" (id) "/report.pdf" } download { "Exchange report (PDF)" }
        @if has_identified {
            a.button.secondary #pdf-notice href={ "/api/exchanges/" (id) "/notice.pdf" } download { "Identification notice to sign (PDF)" }
        }
    }
}

/// The ledger page: the intermediary's statement of the exchange account.
pub fn statement_link(id: &str) -> Markup {
    html! {
        p { a.button.secondary #pdf-statement href={ "/api/exchanges/" (id) "/statement.pdf" } download { "Statement of the exchange account (PDF)" } }
    }
}

/// The planner page: the plan with the choices on the page.
pub fn plan_link(id: &str, q: &PlanQuery) -> Markup {
    let mut query: Vec<String> = Vec::new();
    if let Ok(h) = q.horizon.trim().parse::<i64>() {
        query.push(format!("horizon_years={h}"));
    }
    if let Ok(g) = q
        .growth
        .trim()
        .trim_end_matches('%')
        .parse::<rust_decimal::Decimal>()
    {
        query.push(format!("growth_pct={g}"));
    }
    if q.hold == "sale" || q.hold == "death" {
        query.push(format!("hold_until={}", q.hold));
    }
    let href = if query.is_empty() {
        format!("/api/exchanges/{id}/plan.pdf")
    } else {
        format!("/api/exchanges/{id}/plan.pdf?{}", query.join("&"))
    };
    html! {
        p { a.button.secondary #pdf-plan href=(href) download { "This plan (PDF)" } }
    }
}
