//! The (g)(6) release dates are the limits of the qualified intermediary and qualified
//! escrow/trust safe harbors (Treas. Reg. §1.1031(k)-1(g)(3), (g)(4)(i), (g)(6)). When the
//! "intermediary" is a disqualified person (Treas. Reg. §1.1031(k)-1(k), (g)(4)(iii)(A)), it
//! holds the money as the taxpayer's agent; when the file says no qualified holder held the
//! funds, or a simultaneous swap names none, nobody's agreement limits the taxpayer's rights.
//! The report then says neither "Exchange funds may be released" (the `funds_release`
//! milestone) nor when (its release dates), and its explanation says why; an exchange through
//! a qualified intermediary keeps both. The tracker's ledger still reads the (g)(6) dates.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::{Date, date};
use likekind_core::report::Report;
use likekind_core::{Exchange, Format, analyze, parse_exchange};

const DISQUALIFIED: &str = include_str!("../../../examples/disqualified-intermediary.toml");
const DISQUALIFIED_STRADDLE: &str = include_str!("qa12/s19b_disqualified_qi_straddle.toml");
const SWAP: &str = include_str!("../../../examples/home-office-split.toml");

const AS_OF: Date = date(2026, 11, 25);

fn file(text: &str) -> Exchange {
    parse_exchange(text, Format::Toml).unwrap_or_else(|e| panic!("{e:?}"))
}

fn report(text: &str) -> Report {
    analyze(&file(text), AS_OF)
}

fn has_milestone(r: &Report, key: &str) -> bool {
    r.status
        .as_ref()
        .expect("a status")
        .items
        .iter()
        .any(|i| i.milestone.key == key)
}

fn has_step(r: &Report, key: &str) -> bool {
    r.explanation.iter().any(|s| s.key == key)
}

/// The example with an intermediary that did only exchange work: a qualified intermediary.
fn qualified() -> String {
    let text = DISQUALIFIED.replace("  { kind = \"agent\", last_on = \"2026-03-15\" },", "");
    assert_ne!(text, DISQUALIFIED, "the agent service line was found");
    text
}

/// The example with no intermediary at all: the file says none held the funds.
fn no_intermediary() -> String {
    let start = DISQUALIFIED
        .find("[qualified_intermediary]")
        .expect("the intermediary's table");
    DISQUALIFIED[..start].replace(
        "as_of = \"2026-11-25\"",
        "as_of = \"2026-11-25\"\nqualified_intermediary = false",
    )
}

fn assert_no_release(r: &Report, what: &str) {
    assert!(
        !has_milestone(r, "funds_release"),
        "{what}: the release milestone is shown"
    );
    assert!(r.constructive_receipt.is_none(), "{what}: release dates");
    let json = serde_json::to_value(r).unwrap();
    assert!(
        json.get("constructive_receipt").is_none(),
        "{what}: the JSON report has release dates"
    );
    assert!(
        has_step(r, "constructive_receipt.no_qualified_holder"),
        "{what}: the explanation does not say why there is no release date"
    );
    assert!(
        !has_step(r, "constructive_receipt.earliest"),
        "{what}: the explanation gives a release date"
    );
    // The milestones that remain are still judged, the deadlines among them.
    assert!(has_milestone(r, "exchange_end"), "{what}");
}

fn assert_release(r: &Report, what: &str) {
    assert!(
        has_milestone(r, "funds_release"),
        "{what}: no release milestone"
    );
    let c = r.constructive_receipt.as_ref().expect("release dates");
    let m = r
        .status
        .as_ref()
        .unwrap()
        .items
        .iter()
        .find(|i| i.milestone.key == "funds_release")
        .unwrap();
    assert_eq!(m.milestone.date, c.earliest.earliest, "{what}");
    assert!(has_step(r, "constructive_receipt.earliest"), "{what}");
    assert!(
        !has_step(r, "constructive_receipt.no_qualified_holder"),
        "{what}"
    );
}

/// Treas. Reg. §1.1031(k)-1(k)(2), (g)(4)(iii)(A): the taxpayer's accountant of the last two
/// years is no qualified intermediary, so no release date limits the taxpayer's rights.
#[test]
fn a_disqualified_intermediary_has_no_release_date() {
    let r = report(DISQUALIFIED);
    assert_eq!(
        r.qualification.exchange_reason.as_ref().map(|x| x.code),
        Some("disqualified_intermediary")
    );
    assert_no_release(&r, "disqualified-intermediary");
    let step = r
        .explanation
        .iter()
        .find(|s| s.key == "constructive_receipt.no_qualified_holder")
        .unwrap();
    assert!(step.step.contains("disqualified person"), "{}", step.step);
    assert!(step.authority.contains("(g)(4)(i)"), "{}", step.authority);
    assert!(step.authority.contains("(k)"), "{}", step.authority);
}

/// The same across a year end (QA12 S19b), with the words left out as the tracker asks.
#[test]
fn a_disqualified_intermediary_across_the_year_end_has_no_release_date() {
    let f = file(DISQUALIFIED_STRADDLE);
    let r = analyze(&f, date(2027, 6, 1));
    assert_no_release(&r, "s19b");
    let figures = likekind_core::analyze::figures(&f, date(2027, 6, 1));
    assert!(figures.constructive_receipt.is_none());
    assert!(
        figures
            .status
            .as_ref()
            .unwrap()
            .items
            .iter()
            .all(|i| i.milestone.key != "funds_release")
    );
}

/// Treas. Reg. §1.1031(k)-1(g)(3)-(4): the file says no qualified intermediary, escrow or
/// trust held the funds.
#[test]
fn no_qualified_intermediary_has_no_release_date() {
    let r = report(&no_intermediary());
    assert!(
        r.findings
            .iter()
            .any(|x| x.code == "no_qualified_intermediary"),
        "the finding that says so stays"
    );
    assert_no_release(&r, "qualified_intermediary = false");
}

/// Funds released before the (g)(6) date are "early" only against a qualified holder's
/// agreement (Treas. Reg. §1.1031(k)-1(g)(4)(i), (g)(6)): with none, the file gets the
/// warning that receipt is decided on the facts, not one that speaks of an agreement's
/// limits; through a qualified intermediary the same date is early.
#[test]
fn an_early_release_is_early_only_against_a_qualified_holder() {
    let early = "as_of = \"2026-11-25\"\nfunds_released_on = \"2026-06-01\"";
    let codes = |text: &str| -> Vec<&'static str> {
        let r = report(&text.replace("as_of = \"2026-11-25\"", early));
        let mut c: Vec<_> = r
            .findings
            .iter()
            .map(|x| match x.code.as_ref() {
                "no_qualified_intermediary" => "no_qualified_intermediary",
                "funds_released_early" => "funds_released_early",
                _ => "",
            })
            .filter(|c| !c.is_empty())
            .collect();
        c.sort_unstable();
        c
    };
    assert_eq!(codes(&no_intermediary()), ["no_qualified_intermediary"]);
    assert_eq!(codes(&qualified()), ["funds_released_early"]);
}

/// A simultaneous swap names no intermediary: none is assumed (the year of recognition reads
/// the same answer); one the file names keeps the release date.
#[test]
fn a_simultaneous_swap_has_a_release_date_only_through_an_intermediary() {
    assert_no_release(&report(SWAP), "simultaneous swap");
    let through = SWAP.replacen("[exchange]", "[exchange]\nqualified_intermediary = true", 1);
    assert_ne!(through, SWAP);
    assert_release(&report(&through), "simultaneous swap through a QI");
}

/// The control: the same exchange through a qualified intermediary keeps the milestone and
/// the release dates, on the receipt of the property identified ((g)(6)(iii)(A)).
#[test]
fn a_qualified_intermediary_keeps_the_release_date() {
    let r = report(&qualified());
    assert!(r.qualification.exchange_reason.is_none());
    assert_release(&r, "qualified intermediary");
    let c = r.constructive_receipt.as_ref().unwrap();
    assert_eq!(c.earliest.earliest, date(2026, 8, 1));
    let json = serde_json::to_value(&r).unwrap();
    assert!(json.get("constructive_receipt").is_some());
}

/// The tracker's ledger applies the (g)(6) dates whoever holds the funds: they stay on the
/// figures it reads, the same as a qualified intermediary's.
#[test]
fn the_ledger_still_reads_the_release_limits() {
    let held = likekind_core::analyze::figures(&file(&qualified()), AS_OF);
    let limits = held.release_limits().expect("limits").clone();
    assert_eq!(held.constructive_receipt.as_ref(), Some(&limits));
    for text in [DISQUALIFIED.to_string(), no_intermediary()] {
        let f = likekind_core::analyze::figures(&file(&text), AS_OF);
        assert!(f.constructive_receipt.is_none());
        assert_eq!(f.release_limits(), Some(&limits));
    }
}

/// Money left over in a later tax year than the sale: with no qualified holder, nothing kept
/// it from the taxpayer and (j)(2) does not apply (Treas. Reg. §1.1031(k)-1(g)(3)-(4),
/// (j)(2)(i)), so the year of recognition counts it as received at the transfer, the year its
/// gain is reported in, not on the receipt of the replacement (a (g)(6) date); the plan's
/// fund window reads the same date. Through a qualified intermediary with a bona fide intent
/// the receipt in the later year is kept, and the gain is reported then.
#[test]
fn without_a_qualified_holder_the_money_counts_as_received_at_the_transfer() {
    let later = |text: &str| {
        text.replace("as_of = \"2026-11-25\"", "as_of = \"2027-06-01\"")
            .replace(
                "transferred = \"2026-05-01\"",
                "transferred = \"2026-10-01\"",
            )
            .replace(
                "identified_on = \"2026-05-20\"",
                "identified_on = \"2026-10-20\"",
            )
            .replace("received = \"2026-08-01\"", "received = \"2027-02-01\"")
            .replace("\nprice = \"400000\"", "\nprice = \"300000\"")
    };
    let none = later(&no_intermediary());
    let r = analyze(&file(&none), date(2027, 6, 1));
    let s = r
        .recognition_years
        .as_ref()
        .expect("the year of recognition");
    assert_eq!(s.received_on, date(2026, 10, 1));
    assert!(!s.installment_method);
    assert!(s.why.contains("no qualified intermediary"), "{}", s.why);
    let years: Vec<_> = s.years.iter().map(|y| (y.tax_year, y.gain)).collect();
    assert_eq!(years.len(), 1, "{years:?}");
    assert_eq!(years[0].0, 2026);
    // No finding speaks of a release or of the exchange period ending at the transfer.
    for code in ["funds_treated_as_received", "funds_release_date_inferred"] {
        assert!(
            r.findings.iter().all(|x| x.code != code),
            "{code}: {:?}",
            r.findings.iter().map(|x| &x.message).collect::<Vec<_>>()
        );
    }
    let step = r
        .explanation
        .iter()
        .find(|x| x.key == "recognition_years")
        .unwrap();
    assert!(
        step.inputs
            .iter()
            .any(|i| i.to_string() == "funds received = 2026-10-01"),
        "{:?}",
        step.inputs
    );
    let through = later(&qualified()).replace(
        "as_of = \"2027-06-01\"",
        "as_of = \"2027-06-01\"\nbona_fide_intent = true",
    );
    let r = analyze(&file(&through), date(2027, 6, 1));
    let s = r
        .recognition_years
        .as_ref()
        .expect("the year of recognition");
    assert_eq!(s.received_on, date(2027, 2, 1));
    assert!(s.installment_method, "{}", s.why);
}
