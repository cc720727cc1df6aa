//! The explanation widgets of the exchange page (a figure that opens into the engine's steps,
//! each with its authority), and the ledger table the ledger page shows too.

use crate::fmt;
use likekind_core::Report;
use likekind_core::model::ExchangeFile;
use likekind_store::PostingRow;
use maud::{Markup, html};

/// A figure with its explanation: the engine's steps for `key`, each with its authority.
pub fn explained(r: &Report, key: &str, label: &str, value: &str) -> Markup {
    let steps: Vec<_> = r.explanation.iter().filter(|s| s.key == key).collect();
    html! {
        @if steps.is_empty() {
            div.figure { span.label { (label) } span.value { (value) } }
        } @else {
            details.figure {
                summary { span.label { (label) } span.value { (value) } }
                ol.steps { @for s in &steps { (step(s)) } }
            }
        }
    }
}

/// One explanation step: what was computed, from which figures, the result and its authority.
pub fn step(s: &likekind_core::explain::Step) -> Markup {
    html! {
        li {
            (fmt::words(&s.step)) ": " strong { (fmt::step_figure(&s.step, &s.value)) }
            @if !s.inputs.is_empty() {
                div.from { "Computed from:" }
                ul.inputs {
                    @for i in &s.inputs {
                        li { span.name { (fmt::input_name(i)) ": " } (fmt::step_figure(&i.name, &i.value)) }
                    }
                }
            }
            small { "Authority: " (likekind_core::words::authority(&s.authority)) }
        }
    }
}

/// A money figure that opens into the engine's steps under `keys` (several steps when the
/// figure is their total), with `note` saying how they make it up.
fn money_figure(r: &Report, keys: &[String], label: &str, value: &str, note: &str) -> Markup {
    let steps: Vec<_> = r
        .explanation
        .iter()
        .filter(|s| keys.iter().any(|k| *k == s.key))
        .collect();
    html! {
        details.figure {
            summary { span.label { (label) } span.value { (value) } }
            @if !note.is_empty() { p.note { (note) } }
            @if steps.is_empty() { p { "Nothing to add up yet." } } @else {
                ol.steps { @for s in &steps { (step(s)) } }
            }
        }
    }
}

/// The money section's figures, each expandable: sale by sale, purchase by purchase, and the
/// exchange-funds balance built from them. A closing is named by its property's description
/// in `f`, the id only when there is none, as the engine's steps and the PDFs name it.
pub(super) fn money_explained(r: &Report, f: &likekind_core::model::ExchangeFile) -> Markup {
    let sold = |id: &str| {
        let d = f.relinquished.iter().find(|x| x.id == id);
        fmt::property(id, d.map_or("", |x| x.description.as_str()))
    };
    let bought = |id: &str| {
        let d = f.replacement.iter().find(|x| x.id == id);
        fmt::property(id, d.map_or("", |x| x.description.as_str()))
    };
    let m = &r.money;
    let sale_keys: Vec<String> = m
        .sales
        .iter()
        .map(|s| format!("money.sale.{}", s.id))
        .collect();
    let purchase_keys: Vec<String> = m
        .purchases
        .iter()
        .map(|p| format!("money.purchase.{}", p.id))
        .collect();
    let returned = vec![
        "money.returned_to_taxpayer".to_string(),
        "money.inferred".to_string(),
    ];
    let gap_note = format!(
        "Into exchange funds {} − out to purchases {} − returned to the taxpayer {} = {}. Zero means every dollar is accounted for.",
        fmt::usd(m.exchange_funds_in),
        fmt::usd(m.exchange_funds_out),
        fmt::usd(m.returned_to_taxpayer),
        fmt::usd(m.gap)
    );
    html! {
        h3 #money-explained { "How each figure was computed" }
        p { "Open a figure to see the engine's steps: the figures it started from, the result and the authority." }
        div.figures.money {
            @for (s, k) in m.sales.iter().zip(&sale_keys) {
                (money_figure(r, std::slice::from_ref(k), &format!("Sale of {}: to the exchange funds", sold(&s.id)), &fmt::usd(s.to_exchange_funds), ""))
            }
            @for (p, k) in m.purchases.iter().zip(&purchase_keys) {
                (money_figure(r, std::slice::from_ref(k), &format!("Purchase of {}: from the exchange funds", bought(&p.id)), &fmt::usd(p.from_exchange_funds), ""))
            }
            (money_figure(r, &sale_keys, "Into exchange funds", &fmt::usd(m.exchange_funds_in), "The total of what each sale sent to the exchange funds:"))
            (money_figure(r, &purchase_keys, "Out to purchases", &fmt::usd(m.exchange_funds_out), "The total of what each purchase took from the exchange funds:"))
            (money_figure(r, &returned, "Returned to the taxpayer", &fmt::usd(m.returned_to_taxpayer), "What is left after the purchases goes back to the taxpayer at the end of the exchange (taxable boot):"))
            details.figure {
                summary { span.label { "Unexplained difference" } span.value { (fmt::usd(m.gap)) } }
                p.note { (gap_note) }
                @let all: Vec<String> = sale_keys.iter().chain(&purchase_keys).chain(&returned).cloned().collect();
                ol.steps { @for s in r.explanation.iter().filter(|s| all.iter().any(|k| *k == s.key)) { (step(s)) } }
            }
        }
    }
}

pub(super) fn sev_word(s: likekind_core::findings::Severity) -> (&'static str, &'static str) {
    match s {
        likekind_core::findings::Severity::Error => ("Problem", "error"),
        likekind_core::findings::Severity::Warning => ("Warning", "warning"),
        likekind_core::findings::Severity::Info => ("Note", "info"),
    }
}

/// Posting kinds in words.
pub fn posting_word(k: likekind_store::PostingKind) -> &'static str {
    use likekind_store::PostingKind as K;
    match k {
        K::Receipt => "Sale proceeds received",
        K::Disbursement => "Paid to a purchase closing",
        K::Fee => "Intermediary fee",
        K::Interest => "Interest earned",
        K::Release => "Released to the taxpayer",
    }
}

/// The ledger as a table with its running balance; a payment to a purchase closing names the
/// closing it paid, in words, from the exchange's `file`.
pub fn ledger_table(ps: &[PostingRow], balance: i64, file: &ExchangeFile) -> Markup {
    html! {
        @if ps.is_empty() { p.empty { "No money has moved yet." } } @else {
            div.scroll tabindex="0" role="region" aria-label="Ledger postings, table" { table {
                thead { tr { th scope="col" { "#" } th scope="col" { "Date" } th scope="col" { "What" } th scope="col" { "By" } th scope="col" { "Memo" } th.num scope="col" { "Amount" } th.num scope="col" { "Balance" } } }
                tbody { @for p in ps { tr {
                    td { (p.seq) } td { (fmt::date_str(&p.posted_on)) @if let Some(v) = &p.value_date { br; small { "Bank value date " (fmt::date_str(v)) } } }
                    td { (posting_word(p.kind))
                        @if let Some(c) = p.property_id.as_deref() { br; small.closing { "Toward the purchase of " (file.closing_words(c)) } }
                        @if p.approved_by.is_some() { br; small { "Approved by a second person" } }
                        @if let Some(o) = &p.override_reason { br; small { "Released early by an administrator's override: " (o) } } }
                    td { (p.created_by_name.as_deref().unwrap_or("a former user"))
                        @if p.approved_by.is_some() { br; small { "approved by " (p.approved_by_name.as_deref().unwrap_or("a former user")) } } }
                    td { (p.memo) } td.num { (fmt::cents(p.amount_cents)) } td.num { (fmt::cents(p.balance_after_cents)) }
                } } }
                tfoot { tr { th scope="row" colspan="6" { "Balance held" } td.num { strong { (fmt::cents(balance)) } } } }
            } }
        }
    }
}
