//! Downloads of the papers as PDF on the exchange and ledger pages (the planner's is in
//! `plan.rs`, beside the choices it carries). The links go to
//! the API's PDF operations (`/api/exchanges/{id}/report.pdf` and the others, same origin,
//! the session cookie is the credential), so the page and the API give the same bytes under
//! the same access rules.

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
