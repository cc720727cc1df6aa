//! The exchange page: the summary and timeline, the lifecycle forms for the intermediary,
//! the money, Form 8824, the identification, the ledger, the documents and the findings, each
//! figure open to the engine's explanation and authority.

use super::form8824::{part_i, part_ii, part_iii};
use super::load::load_all;
use super::purchase::{PurchaseForm, purchase_form};
use super::state::{Flash, Loaded};
use super::widgets::{explained, ledger_table, money_explained, sev_word};
use crate::fmt;
use crate::layout::{Refused, csrf, field_in, from_api, mark, refused_box, shell};
use crate::session::Web;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use likekind_core::Report;
use likekind_server::AppState;
use likekind_server::error::ApiResult;
use likekind_server::exchanges::{self, load_kept, status_of};
use likekind_store::Role;
use maud::{Markup, html};

/// `GET /exchanges/{id}`.
pub async fn page(State(st): State<AppState>, w: Web, Path(id): Path<String>) -> Response {
    match drawn(&st, &w, &id).await {
        Ok(page) => Html(page).into_response(),
        Err(e) => from_api(e),
    }
}

/// The page as drawn for this person today. The tenancy rule is applied on every request;
/// the drawing itself is kept for the data revision ([`likekind_server::cache`]), per firm,
/// exchange, day and person (their name, role and forms are on it), with a stand-in for the
/// session's form token, which is put in for each request: the same person in two sessions
/// has two tokens.
async fn drawn(st: &AppState, w: &Web, id: &str) -> ApiResult<String> {
    load_kept(st, &w.auth(), id).await?;
    let key = format!(
        "{}\u{1f}{id}\u{1f}{}\u{1f}{}\u{1f}{:?}",
        w.user.firm_id,
        st.today(),
        w.user.id,
        w.role()
    );
    let page = st
        .kept
        .get_or(&st.store, w.revision, "exchange_drawn", key, || async {
            let masked = crate::kept::masked(w);
            let l = load_all(st, &masked, id).await?;
            Ok(render(&masked, &l).into_string())
        })
        .await?;
    Ok(crate::kept::with_token(&page, &w.csrf))
}

/// The exchange page body.
pub fn render(w: &Web, l: &Loaded) -> Markup {
    render_with(w, l, &Flash::default())
}

/// The exchange page, with the errors of a refused form where that form is.
pub fn render_with(w: &Web, l: &Loaded, flash: &Flash) -> Markup {
    let r = &l.report;
    let judged = exchanges::judge(&l.file);
    let phase = exchanges::phase_of(&l.ex, &judged, l.today);
    let closed = matches!(
        l.ex.phase,
        likekind_store::Phase::Completed | likekind_store::Phase::Failed
    );
    shell(
        &l.ex.name,
        Some(w),
        html! {
            (heading(w, l, phase, closed))
            @if w.is_staff() && !closed { (unaccounted_warning(l)) }
            (summary(w, l, flash))
            @if w.is_qi() { (actions(w, l, flash.sale.as_ref())) (closing(w, l, &judged, phase, closed, flash.close.as_ref())) }
            (money(r, &l.file))
            (form_8824(r))
            (identification(w, l, flash))
            (ledger(l))
            (crate::documents::section(w, &l.ex.id, &l.documents, flash.documents.as_ref(), l.upload_limit))
            (findings(r))
        },
    )
}

/// The page's heading: the exchange, its status (and the engine's phase once closed), the
/// taxpayer and the funds held; the sections of the page and the exchange's actions.
fn heading(w: &Web, l: &Loaded, phase: &str, closed: bool) -> Markup {
    let status = status_of(&l.ex, Some(&l.file), l.today);
    let id = &l.ex.id;
    html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/" { "Dashboard" } " › " span { (l.ex.name) } }
        h1 { (l.ex.name) }
        p.lead {
            @if closed {
                span.badge #status { "Closed: " (fmt::status(status)) } " "
                span #phase { "(the engine's phase: " (fmt::status(phase)) ")" } " · "
            } @else {
                span.badge #status { (fmt::status(status)) } " "
            }
            @if l.file.taxpayer.name.trim().is_empty() { "Taxpayer's name not given" } @else { (l.file.taxpayer.name) }
            " (" (fmt::words(l.file.taxpayer.entity.as_str())) ") · funds held by the intermediary: "
            strong { (fmt::cents(l.ex.balance_cents)) }
        }
        (tax_line(&l.report))
        nav.sections aria-label="Sections of this page" {
            a href="#summary" { "Summary" }
            @if w.is_qi() { a href="#act-h" { "Record" } }
            a href="#money" { "Money" }
            a href="#form-8824" { "Form 8824" }
            a href="#identification" { "Identification" }
            a href="#ledger" { "Ledger" }
            a href="#documents" { "Documents" }
            a href="#findings" { "Findings" }
        }
        nav.actions aria-label="Exchange actions" {
            @if w.role() == Role::Client || w.is_qi() { a.button href={ "/exchanges/" (id) "/identify" } { "Identify replacement property" } }
            a.button.secondary href={ "/exchanges/" (id) "/ledger" } { "QI ledger" }
            a.button.secondary href={ "/exchanges/" (id) "/plan" } { "Planner" }
            @if w.is_staff() { a.button.secondary href={ "/exchanges/" (id) "/audit" } { "Audit log" } }
            @if w.is_staff() { a.button.secondary href={ "/exchanges/" (id) "/edit" } { "Edit the facts" } }
            a.button.secondary href={ "/exchanges/" (id) "/export/file" } download { "Export file (JSON)" }
            a.button.secondary href={ "/exchanges/" (id) "/export/report" } download { "JSON report" }
            (crate::pdf::exchange_links(id, !l.file.identified.is_empty()))
            a.button.secondary href={ "/exchanges/" (id) "/export/ics" } download { "This exchange's calendar (ICS)" }
            a.button.secondary href={ "/exchanges/" (id) "/export/feed" } download { "All my deadlines (ICS)" }
        }
    }
}

/// The ledger released to the taxpayer more than the exchange file accounts for: said before
/// anyone tries to close, with the amounts, what it means for the tax figures and what to
/// correct (the comparison that refuses closing as completed,
/// [`likekind_server::reconcile::unaccounted_release`]; IRC §1031(b)).
fn unaccounted_warning(l: &Loaded) -> Markup {
    html! {
        @if let Some(u) = &l.unaccounted {
            div.notice #ledger-disagrees role="status" {
                p { strong { "The ledger and the exchange file disagree." } " " (u.words()) }
                p { a href={ "/exchanges/" (l.ex.id) "/edit" } { "Edit the facts" } " · " a href={ "/exchanges/" (l.ex.id) "/ledger" } { "Open the ledger" } }
            }
        }
    }
}

/// The gain the exchange leaves taxable, under the status: "like-kind exchange" alone does not
/// say that the boot received is taxed, up to the gain realized (IRC §1031(b)), nor that a
/// failed exchange is taxed whole.
fn tax_line(r: &Report) -> Markup {
    let g = &r.gain;
    let zero = likekind_core::Amount::ZERO;
    let sale = r.qualification.is_taxable_sale();
    html! {
        @if g.recognized > zero {
            p #tax-now {
                strong { "Gain recognized (taxable): " (fmt::usd(g.recognized)) }
                " of the " (fmt::usd(g.realized)) " realized; deferred: " (fmt::usd(g.deferred)) ". "
                @if sale {
                    "The exchange fails as entered, so the sale is taxed as a sale (Treas. Reg. §1.1031(k)-1(a))."
                } @else {
                    "The cash, debt relief and other property received (boot) are taxed up to the gain (IRC §1031(b))."
                }
                (other_given(g))
                (excluded(g))
            }
        } @else if g.recognized < zero {
            p #tax-now {
                strong { "Loss recognized: " (fmt::usd(-g.recognized)) }
                ". The exchange fails as entered, so the sale is taxed as a sale and its loss is recognized (IRC §165(a); Treas. Reg. §1.1031(k)-1(a)); nothing is deferred."
                (other_given(g))
            }
        } @else if g.loss_not_deductible < zero {
            p #tax-now {
                strong { "Loss not deductible: " (fmt::usd(-g.loss_not_deductible)) }
                ". The exchange fails as entered, and a loss on property held for personal use is not deductible (IRC §165(c)); nothing is deferred."
            }
        } @else if g.deferred > zero && !sale {
            p #tax-now {
                "No gain on the exchanged property is recognized now: " (fmt::usd(g.deferred))
                " of gain is deferred (IRC §1031(a)(1))." (other_given(g)) (excluded(g))
            }
        } @else if g.excluded_121 > zero || !g.other_property_given.is_zero() {
            p #tax-now { "No gain on the exchanged property is recognized now." (other_given(g)) (excluded(g)) }
        }
    }
}

/// Other property given up (not like-kind: cash aside, e.g. a car or stock) is sold, not
/// exchanged: its own gain or loss is recognized beside the exchange (Instructions for Form
/// 8824, lines 12 to 14), and is not within the deferred gain.
fn other_given(g: &likekind_core::report::Gain) -> Markup {
    let v = g.other_property_given;
    html! {
        @if v > likekind_core::Amount::ZERO {
            " The other property given up is sold, not exchanged: its gain of " (fmt::usd(v))
            " is also recognized (Form 8824, line 14): " (fmt::usd(g.total_recognized)) " in all."
        } @else if v < likekind_core::Amount::ZERO {
            " The other property given up is sold, not exchanged: its loss of " (fmt::usd(-v))
            " is recognized as a sale's loss (Form 8824, line 14)."
        }
    }
}

/// The part of the gain a home sale excludes (IRC §121), said beside the rest.
fn excluded(g: &likekind_core::report::Gain) -> Markup {
    html! {
        @if g.excluded_121 > likekind_core::Amount::ZERO {
            " " (fmt::usd(g.excluded_121)) " is excluded as gain on a main home (IRC §121)."
        }
    }
}

/// The summary: the coordinator, the deadlines (each open to its steps) and the timeline.
fn summary(w: &Web, l: &Loaded, flash: &Flash) -> Markup {
    let r = &l.report;
    html! {
        section #summary aria-labelledby="tl-h" {
            h2 #tl-h { "Summary and timeline" }
            (coordinator_block(w, l, flash.coordinator.as_ref()))
            @if let Some(rv) = &r.reverse {
                h3 #reverse-h { "Reverse exchange deadlines (Rev. Proc. 2000-37)" }
                div.figures aria-labelledby="reverse-h" {
                    (reverse_deadline("Sign the qualified exchange accommodation agreement", rv.dates.qeaa_signed_by, rv.qeaa_timely))
                    (reverse_deadline("Identify the relinquished property", rv.identified_by(), rv.relinquished_identification_timely))
                    (reverse_deadline("Parked property leaves the accommodation titleholder", rv.transfers_by(), rv.transfers_timely))
                }
            }
            @if let Some(d) = &r.deadlines {
                @if r.reverse.is_some() { h3 { "Deadlines counted from the sale" } }
                div.figures {
                    (explained(r, "deadlines.identification_end", "Identification ends (day 45)", &fmt::date(d.identification_end)))
                    (explained(r, "deadlines.day_180", "Day 180", &fmt::date(d.day_180)))
                    (explained(r, "deadlines.return_due_date", "Return due date", &fmt::date(d.return_due_date)))
                    (explained(r, "deadlines.exchange_end", "Exchange period ends", &fmt::date(d.exchange_end)))
                }
            }
            (crate::timeline::render(&l.file, r.deadlines.as_ref(), l.today))
        }
    }
}

/// One deadline of a reverse exchange, with whether it was met when the file says.
fn reverse_deadline(label: &str, date: jiff::civil::Date, met: Option<bool>) -> Markup {
    let state = match met {
        Some(true) => " (met)",
        Some(false) => " (missed)",
        None => "",
    };
    html! { div.figure { span.label { (label) } span.value { (fmt::date(date)) (state) } } }
}

/// The money: sales, purchases, the exchange funds balanced, and how each figure was computed.
fn money(r: &Report, f: &likekind_core::model::ExchangeFile) -> Markup {
    html! {
        section #money aria-labelledby="money-h" {
            h2 #money-h { "The money" }
            h3 #sales-h { "Sales (relinquished property)" }
            div.scroll tabindex="0" role="region" aria-label="Sales, table" { table {
                thead { tr { th scope="col" { "Property" } th.num scope="col" { "Sale price" } th.num scope="col" { "Debt paid off" } th.num scope="col" { "Exchange expenses" } th.num scope="col" { "Other costs" } th.num scope="col" { "Cash to you" } th.num scope="col" { "To exchange funds" } } }
                tbody { @for s in &r.money.sales { tr {
                    th scope="row" { (fmt::name(&s.id)) } td.num { (fmt::usd(s.sale_price)) } td.num { (fmt::usd(s.liabilities_relieved)) }
                    td.num { (fmt::usd(s.exchange_expenses)) } td.num { (fmt::usd(s.other_closing_costs)) }
                    td.num { (fmt::usd(s.cash_received)) } td.num { (fmt::usd(s.to_exchange_funds)) }
                } } }
            } }
            h3 #purchases-h { "Purchases (replacement property)" }
            @if r.money.purchases.is_empty() { p.empty { "No purchase recorded yet." } } @else {
                div.scroll tabindex="0" role="region" aria-label="Purchases, table" { table {
                    thead { tr { th scope="col" { "Property" } th.num scope="col" { "Price" } th.num scope="col" { "New debt" } th.num scope="col" { "Your own cash" } th.num scope="col" { "Exchange expenses" } th.num scope="col" { "From exchange funds" } } }
                    tbody { @for p in &r.money.purchases { tr {
                        th scope="row" { (fmt::name(&p.id)) } td.num { (fmt::usd(p.price)) } td.num { (fmt::usd(p.liabilities_assumed)) }
                        td.num { (fmt::usd(p.cash_paid)) @if p.cash_paid_inferred { " " small { "(inferred)" } } }
                        td.num { (fmt::usd(p.exchange_expenses)) } td.num { (fmt::usd(p.from_exchange_funds)) }
                    } } }
                } }
            }
            table.compact.balance {
                caption { "Exchange funds, balanced" }
                tbody {
                    tr { th scope="row" { "Into exchange funds" } td.num { (fmt::usd(r.money.exchange_funds_in)) } }
                    tr { th scope="row" { "Out to purchases" } td.num { (fmt::usd(r.money.exchange_funds_out)) } }
                    tr { th scope="row" { "Returned to the taxpayer" } td.num { (fmt::usd(r.money.returned_to_taxpayer)) } }
                    tr { th scope="row" { "Unexplained difference" } td.num { (fmt::usd(r.money.gap)) } }
                }
            }
            p { @if r.money.is_balanced() { "The money balances." } @else { strong { "The money does not balance: check the figures." } } }
            (money_explained(r, f))
        }
    }
}

/// Form 8824: the outcome, Parts I to III, and the basis of each property received.
fn form_8824(r: &Report) -> Markup {
    html! {
        section #form-8824 aria-labelledby="f-h" {
            h2 #f-h { "Form 8824" }
            @let q = &r.qualification;
            p #verdict { strong { "Outcome: " (q.outcome.words()) ". " } (fmt::words(&q.summary)) }
            @if !q.form_8824_filed {
                p #not-filed { strong { "Form 8824 is not filed." } " Report the sale on " (q.reported_on) ". The lines below show the sale's figures for reference only." }
            }
            (part_i(r))
            (part_ii(r))
            (part_iii(r))
            @if !r.replacement_basis.is_empty() {
                h3 #basis-h { "Basis of each property received" }
                div.scroll tabindex="0" role="region" aria-label="Basis of each property received, table" { table {
                    thead { tr { th scope="col" { "Property" } th scope="col" { "Like-kind?" } th.num scope="col" { "Fair market value" } th.num scope="col" { "Basis" } } }
                    tbody { @for b in &r.replacement_basis { tr {
                        td { (fmt::name(&b.id)) }
                        td { @if b.like_kind { "Yes" } @else { "No: " (b.reason.as_deref().unwrap_or("other property received")) } }
                        td.num { (fmt::usd(b.fmv)) }
                        td.num { (fmt::usd(b.basis)) }
                    } } }
                } }
            }
        }
    }
}

/// The identification: the verdict, the notices and their revocations.
fn identification(w: &Web, l: &Loaded, flash: &Flash) -> Markup {
    let r = &l.report;
    html! {
        section #identification aria-labelledby="id-h" {
            h2 #id-h { "Identification" }
            @if let Some(i) = &r.identification {
                p #id-verdict { @if i.valid { "Valid identification under the " strong { (crate::identify::rule_word(i.rule)) } "." } @else { strong { "No valid identification." } } }
            } @else {
                p #id-verdict { strong { "No identification in force." } }
            }
            (crate::identify::notices_list_with(w, &l.ex, &l.notices, l.today, flash.sign.as_ref()))
            (crate::identify::revocations(w, l, flash.revoke.as_ref()))
        }
    }
}

/// The QI ledger, with links to its page and its CSV.
fn ledger(l: &Loaded) -> Markup {
    let id = &l.ex.id;
    html! {
        section #ledger aria-labelledby="ledger-h" {
            h2 #ledger-h { "QI ledger" }
            p.tools {
                a href={ "/exchanges/" (id) "/ledger" } { "Open the ledger" } " · "
                a #csv-ledger href={ "/exchanges/" (id) "/ledger.csv" } download { "Download the ledger (CSV)" }
            }
            (ledger_table(&l.postings, l.ex.balance_cents, &l.file))
        }
    }
}

/// The engine's findings, each with its authority and the field it is about.
fn findings(r: &Report) -> Markup {
    html! {
        section #findings aria-labelledby="find-h" {
            h2 #find-h { "Findings" }
            @if r.findings.is_empty() { p.empty { "No findings: nothing the engine checks is wrong." } }
            ul.findings { @for f in &r.findings {
                @let (word, cls) = sev_word(f.severity);
                li class={ "sev-" (cls) } { details {
                    summary { span.badge { (word) } " " strong { (fmt::code(&f.code)) } ": " (fmt::words(&f.message)) }
                    p { "Authority: " (likekind_core::words::authority(&f.authority)) }
                    @if let Some(p) = &f.path { p { "About: " (fmt::field(p)) } }
                } }
            } }
        }
    }
}

/// The coordinator assigned to the exchange, and (for staff) the form that assigns one.
fn coordinator_block(w: &Web, l: &Loaded, err: Option<&Refused>) -> Markup {
    let chosen = mark(err, "coordinator", "f-coordinator", None);
    let now = l
        .coordinator
        .as_ref()
        .map(|(id, _)| id.as_str())
        .unwrap_or("");
    html! {
        @if w.is_staff() {
            form.inline-form #coordinator method="post" action={ "/exchanges/" (l.ex.id) "/coordinator" } {
                (csrf(w))
                @if let Some(e) = err { (refused_box(e)) }
                label for="f-coordinator" { "Assigned coordinator" }
                select #f-coordinator name="coordinator_id" aria-invalid=[chosen.invalid] aria-describedby=[chosen.described] {
                    option value="" selected[now.is_empty()] { "Nobody assigned" }
                    @for (id, name) in &l.coordinators { option value=(id) selected[now == id] { (name) } }
                }
                (chosen.problem)
                " "
                button.secondary type="submit" { "Assign" }
            }
        } @else {
            p #coordinator { "Your coordinator: " (l.coordinator.as_ref().map(|(_, n)| n.as_str()).unwrap_or("not assigned yet")) "." }
        }
    }
}

fn actions(w: &Web, l: &Loaded, err: Option<&Refused>) -> Markup {
    let id = &l.ex.id;
    let first = l.file.relinquished.iter().map(|r| r.transferred).min();
    html! {
        section aria-labelledby="act-h" {
            h2 #act-h { "Record" }
            // A refused sale closing once the form is gone (already recorded) is said here.
            @if let (true, Some(e)) = (l.ex.phase != likekind_store::Phase::Draft, err) { (refused_box(e)) }
            div.cols {
                @if l.ex.phase == likekind_store::Phase::Draft {
                    form.card method="post" action={ "/exchanges/" (id) "/closed" } {
                        h3 { "The sale closed" }
                        p { "Starts the 45- and 180-day clocks in the tracker." }
                        @if let Some(e) = err { (refused_box(e)) }
                        (csrf(w))
                        (field_in(err, "Closing date", "on_date", "date", &first.map(|d| d.to_string()).unwrap_or_default(), None))
                        button type="submit" { "Record the sale closing" }
                    }
                }
                @if l.ex.phase == likekind_store::Phase::RelinquishedClosed {
                    (purchase_form(w, l, &PurchaseForm::default(), None))
                }
            }
        }
    }
}

/// Closing the exchange as completed or failed, with the engine's verdict beside the choice;
/// reopening a closed one for a reason.
fn closing(
    w: &Web,
    l: &Loaded,
    j: &exchanges::Judged,
    phase: &str,
    closed: bool,
    err: Option<&Refused>,
) -> Markup {
    let id = &l.ex.id;
    let agrees = j.outcome.map_or("failed", |o| {
        if o == likekind_core::qualification::Outcome::TaxableSale {
            "failed"
        } else {
            "completed"
        }
    });
    html! {
        section #close aria-labelledby="close-h" {
            @if closed {
                h2 #close-h { "Reopen the exchange" }
                p { "Closed as " strong { (fmt::status(l.ex.phase.as_str()).to_lowercase()) } ". By the engine it is " strong { (fmt::status(phase).to_lowercase()) } "." }
                @if let Some(e) = err { (refused_box(e)) }
                form.card method="post" action={ "/exchanges/" (id) "/reopen" } {
                    (csrf(w))
                    (field_in(err, "Why reopen it", "reason", "text", "", Some("Required: kept in the audit log")))
                    button type="submit" { "Reopen" }
                }
            } @else {
                h2 #close-h { "Close the exchange" }
                div.cols {
                    div #engine-verdict {
                        h3 { "The engine's verdict" }
                        @if let Some(o) = j.outcome {
                            p { strong { (o.words()) } ". " (fmt::words(&j.summary)) }
                        } @else {
                            p { (fmt::words(&j.summary)) }
                        }
                        @if ["completed", "partly_completed", "failed"].contains(&phase) {
                            p { "Phase today: " strong { (fmt::status(phase)) } ". The engine agrees with closing it as " strong { (agrees) } "." }
                        } @else {
                            // Judged at the end of the exchange period on the facts entered so
                            // far: before then it can still change (an identification, a purchase).
                            p { "Phase today: " strong { (fmt::status(phase)) } ". The exchange is still open: on the facts entered so far it would end as " strong { (agrees) } ", but that can change until its periods end." }
                        }
                        @if l.ex.balance_cents != 0 {
                            p { strong { "The ledger still holds " (fmt::cents(l.ex.balance_cents)) } ": pay it out before closing." }
                        }
                    }
                    form.card method="post" action={ "/exchanges/" (id) "/close" } {
                        @if let Some(e) = err { (refused_box(e)) }
                        @if let Some(u) = &l.unaccounted {
                            p.warn #close-unaccounted {
                                strong { "It cannot close as completed yet: " }
                                "the ledger released " (fmt::cents(u.released_cents)) " to the taxpayer, but the exchange file returns only "
                                (fmt::cents(u.returned_cents)) " to them. Money the taxpayer receives is boot, taxed up to the gain (IRC §1031(b)): correct the exchange file so that it records where the money went ("
                                a href="#ledger-disagrees" { "what to correct" } ")."
                            }
                        }
                        (csrf(w))
                        input type="hidden" name="version" value=(l.ex.version);
                        (field_in(err, "Reason (optional)", "reason", "text", "", None))
                        button type="submit" name="as" value="completed" class=(if agrees == "completed" { "" } else { "secondary" }) { "Close as completed" } " "
                        button type="submit" name="as" value="failed" class=(if agrees == "failed" { "" } else { "secondary" }) { "Close as failed" }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{form_8824, tax_line};

    /// The verdict's sentence is said in words: its dates too (the engine writes them as
    /// ISO dates for programs).
    #[test]
    fn the_verdict_says_its_dates_in_words() {
        let text = include_str!("../../../../examples/disqualified-intermediary.toml");
        let Ok(f) = likekind_core::parse_exchange(text, likekind_core::Format::Toml) else {
            panic!("the example reads");
        };
        let r = likekind_core::analyze(&f, jiff::civil::date(2026, 12, 6));
        let html = form_8824(&r).into_string();
        assert!(html.contains("2 years ending May 1, 2026"), "{html}");
        assert!(!html.contains("2026-05-01"), "{html}");
    }

    /// A failed exchange that realizes a loss says the loss recognized, in words and
    /// dollars, like the gain of a failed exchange (IRC §165(a)).
    #[test]
    fn a_sale_at_a_loss_says_the_loss_recognized() {
        let text =
            include_str!("../../../likekind-cli/tests/verdict_files/taxable-sale-at-a-loss.toml");
        let Ok(f) = likekind_core::parse_exchange(text, likekind_core::Format::Toml) else {
            panic!("the verdict file reads");
        };
        let r = likekind_core::analyze(&f, jiff::civil::date(2026, 12, 6));
        let html = tax_line(&r).into_string();
        assert!(html.contains("Loss recognized: $450,000.00"), "{html}");
        assert!(html.contains("nothing is deferred"), "{html}");
    }
}
