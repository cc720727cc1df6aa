//! QA pass 12: "when the exchange fails, every figure says so". The verdict found the exchange
//! failed, and figures or sentences elsewhere in the same report or plan said otherwise:
//!
//! - D1, D6: the taxpayer had the sale's money at the closing (a disqualified intermediary
//!   held it as the taxpayer's agent, or the taxpayer took it), yet the gain was reported
//!   under the installment rule of Treas. Reg. §1.1031(k)-1(j)(2), which needs a qualified
//!   intermediary, qualified escrow or qualified trust to hold the money ((j)(2)(i)-(ii),
//!   (g)(4)(iii)(A), (k), (f)(1)-(2)); with the price received in the year of the sale there is
//!   no installment sale (IRC §453(b)(1)) and no Form 6252.
//! - D7: a taxable sale said `like_kind = true` of the property bought (IRC §1031(a)(1);
//!   Treas. Reg. §1.1031(k)-1(a)).
//! - D4, D9: a dealer's ordinary gain held "unrecaptured §1250 gain" (IRC §1(h)(6)(A) makes
//!   it a part of long-term capital gain; §§1221(a)(1), 1231(b)(1)(B)), and the plan's words
//!   and figures for paths that do not apply.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::{Date, date};
use likekind_core::amount::Amount;
use likekind_core::amt;
use likekind_core::analyze::analyze;
use likekind_core::model::ExchangeFile;
use likekind_core::plan::{Overrides, Plan, plan, resolve};
use likekind_core::qualification::Outcome;
use likekind_core::report::Report;
use likekind_core::{Format, parse_exchange};

fn file(text: &str) -> ExchangeFile {
    parse_exchange(text, Format::Toml)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into()
}

fn both(text: &str, as_of: Date) -> (Report, Plan) {
    let f = file(text);
    let r = analyze(&f, as_of);
    let a = resolve(None, &Overrides::default()).expect("the default assumptions");
    let p = plan(&f, &r, &a).expect("a plan");
    (r, p)
}

fn has(r: &Report, code: &str) -> bool {
    r.findings.iter().any(|x| x.code == code)
}

/// Every sentence of the report and the plan that a reader sees about the year of the gain.
fn words(r: &Report, p: &Plan) -> String {
    let mut all: Vec<String> = r.findings.iter().map(|x| x.message.to_string()).collect();
    all.push(r.gain.line_22_reported_on.to_string());
    all.push(r.character.line_22_reported_on.to_string());
    all.push(r.qualification.reported_on.to_string());
    if let Some(s) = &r.recognition_years {
        all.push(s.why.to_string());
        all.extend(s.years.iter().map(|y| y.reported_on.to_string()));
    }
    for s in &p.strategies {
        all.push(s.eligibility.clone());
        all.extend(s.notes.iter().cloned());
    }
    all.extend(p.findings.iter().map(|x| x.message.to_string()));
    all.extend(p.oz.windows.iter().map(|w| w.gain.clone()));
    all.join("\n")
}

/// The taxpayer had the money at the closing: the gain is reported in the year of the sale,
/// with no installment method, no Form 6252, no release date and no QOF start on a release.
fn no_installment_reporting(r: &Report, p: &Plan, transfer: Date, gain: Amount) {
    let s = r
        .recognition_years
        .as_ref()
        .expect("the year of recognition");
    assert!(!s.installment_method, "{}", s.why);
    assert_eq!(s.received_on, transfer);
    assert!(s.form_6252.is_none());
    assert_eq!(s.years[0].tax_year, transfer.year());
    assert_eq!(s.years[0].gain, gain);
    assert!(s.years.iter().skip(1).all(|y| y.gain.is_zero()));
    for code in [
        "installment_reporting",
        "qualified_intermediary_assumed",
        "funds_release_date_inferred",
        "bona_fide_intent_needed",
        "installment_payment_at_closing",
    ] {
        assert!(!has(r, code), "{code}");
    }
    let w = words(r, p);
    for wrong in [
        "Form 6252",
        "QI's release",
        "held by a QI",
        "QI or qualified escrow held",
    ] {
        assert!(!w.contains(wrong), "{wrong:?} in:\n{w}");
    }
    let inst = p
        .strategies
        .iter()
        .find(|s| s.name == "installment_sale")
        .unwrap();
    assert!(!inst.eligible);
    assert!(inst.after_tax_value.is_none() && inst.tax_now.is_zero());
    assert!(
        inst.eligibility.contains("§453(b)(1)"),
        "{}",
        inst.eligibility
    );
    // Only the transfer starts a 180-day window: nothing is released later.
    assert!(
        p.oz.windows.iter().all(|w| w.start == transfer),
        "{:?}",
        p.oz.windows
    );
    // A sale's gain: its 180 days begin at the transfer on direct authority, so no warning
    // that no authority decides the start, and no window names an exchange that may fail.
    let plan_has = |code: &str| p.findings.iter().any(|x| x.code == code);
    assert!(!plan_has("oz_failed_1031_start_no_authority"));
    let start = p
        .findings
        .iter()
        .find(|x| x.code == "oz_sale_gain_start")
        .expect("the sale's start said");
    assert!(start.authority.contains("1.1400Z2(a)-1(b)(7)(i)"));
    assert!(
        p.oz.windows
            .iter()
            .all(|w| w.gain.starts_with("gain of the sale") && w.direct_authority),
        "{:?}",
        p.oz.windows
    );
    assert!(!p.oz.windows[0].note.contains("conservative"));
    assert!(!w.contains("if it fails"), "{w}");
}

/// An exchange that has failed with a qualified intermediary holding the money: its windows
/// name the gain of the failed exchange, not of an exchange that may still fail, and the
/// start of its 180 days stays uncertain (no authority decides it).
#[test]
fn a_failed_exchanges_windows_say_it_has_failed() {
    let (r, p) = both(include_str!("qa12/s01_id_late.toml"), date(2026, 12, 3));
    assert!(r.qualification.is_taxable_sale() && r.qualification.settled);
    assert!(r.qualification.taxpayer_received_funds().is_none());
    assert!(!p.oz.windows.is_empty());
    for w in &p.oz.windows {
        assert!(
            w.gain.contains("gain of the failed exchange") && !w.gain.contains("if it fails"),
            "{}",
            w.gain
        );
    }
    assert!(
        p.findings
            .iter()
            .any(|x| x.code == "oz_failed_1031_start_no_authority")
    );
}

/// D1: the "QI" prepared the taxpayer's return (a disqualified person): the $400,000 was the
/// taxpayer's at the 2026-11-02 closing, so all $250,000 of gain is 2026's.
#[test]
fn a_disqualified_intermediary_gets_no_installment_reporting() {
    let (r, p) = both(
        include_str!("qa12/s19b_disqualified_qi_straddle.toml"),
        date(2027, 3, 1),
    );
    let q = &r.qualification;
    assert_eq!(
        q.exchange_reason.as_ref().map(|x| x.code),
        Some("disqualified_intermediary")
    );
    assert!(q.taxpayer_received_funds().is_some());
    no_installment_reporting(&r, &p, date(2026, 11, 2), amt!(250000));
    assert!(
        r.recognition_years
            .as_ref()
            .unwrap()
            .why
            .contains("(j)(2) does not apply")
    );
}

/// D6: all $670,000 was paid to the taxpayer at the 2026-12-01 closing: no intermediary held
/// anything, and the replacement's receipt on 2027-02-01 is no release date.
#[test]
fn proceeds_the_taxpayer_received_were_held_by_no_intermediary() {
    let (r, p) = both(
        include_str!("qa12/s06b_cash_straddle.toml"),
        date(2027, 6, 30),
    );
    assert_eq!(
        r.qualification.exchange_reason.as_ref().map(|x| x.code),
        Some("proceeds_received")
    );
    no_installment_reporting(&r, &p, date(2026, 12, 1), amt!(570000));
}

/// D7: in a taxable sale nothing is received in an exchange: the verdict, the explanation and
/// the basis section all say the property bought is not like-kind replacement property.
#[test]
fn nothing_bought_in_a_taxable_sale_is_like_kind_property() {
    for (text, as_of) in [
        (
            include_str!("qa12/s19b_disqualified_qi_straddle.toml"),
            date(2027, 3, 1),
        ),
        (
            include_str!("qa12/s08_related_cashout.toml"),
            date(2026, 11, 25),
        ),
        (include_str!("qa12/s10_dealer.toml"), date(2026, 11, 25)),
    ] {
        let r = analyze(&file(text), as_of);
        let q = &r.qualification;
        assert_eq!(q.outcome, Outcome::TaxableSale);
        for (v, b) in q.received.iter().zip(&r.replacement_basis) {
            assert!(!v.like_kind, "{v:?}");
            assert!(!b.like_kind, "{b:?}");
            let why = v.reason.as_ref().expect("a reason");
            assert_eq!(Some(why.text.as_str()), b.reason.as_deref());
        }
        let step = r
            .explanation
            .iter()
            .find(|s| s.key == "qualification.received")
            .expect("the step");
        let said = serde_json::to_string(&step.value).unwrap();
        assert!(!said.contains(": yes"), "{said}");
        assert!(
            r.form_8824_part_i.line_2.is_empty(),
            "{}",
            r.form_8824_part_i.line_2
        );
    }
}

/// D4 and D9: a dealer's gain is ordinary income (IRC §§1221(a)(1), 1231(b)(1)(B)), so none
/// of it is unrecaptured §1250 gain (IRC §1(h)(6)(A)), whatever depreciation was allowed; it
/// is reported on Schedule C or the business's return, and the sentences say so.
#[test]
fn a_dealers_gain_holds_no_unrecaptured_1250_gain() {
    let (r, p) = both(include_str!("qa12/s10_dealer.toml"), date(2026, 11, 25));
    assert_eq!(r.gain.recognized, amt!(570000));
    assert_eq!(r.gain.unrecaptured_1250, Amount::ZERO);
    assert_eq!(r.character.unrecaptured_1250_recognized, Amount::ZERO);
    assert!(
        r.character
            .routing
            .iter()
            .all(|x| !x.what.contains("unrecaptured")),
        "{:?}",
        r.character.routing
    );
    let s = r
        .recognition_years
        .as_ref()
        .expect("the year of recognition");
    for y in &s.years {
        assert!(y.unrecaptured_1250.is_zero(), "{y:?}");
    }
    assert!(
        s.years[0].reported_on.contains("Schedule C"),
        "{:?}",
        s.years
    );
    assert!(
        !s.years[0].reported_on.contains("Form 4797"),
        "{:?}",
        s.years
    );
    let sale = r
        .findings
        .iter()
        .find(|x| x.code == "taxable_sale")
        .expect("the sale");
    assert!(
        sale.message
            .contains("Report it on Schedule C or the business's return, as ordinary income"),
        "{}",
        sale.message
    );
    assert!(!r.qualification.reported_on.contains("6252"));
    let sell = p
        .strategies
        .iter()
        .find(|s| s.name == "sell_pay_tax")
        .unwrap();
    // All $570,000 at the ordinary rate with the net investment income tax (37% + 3.8%).
    assert_eq!(sell.tax_now, amt!(232560));
}

/// D9: a failed exchange recognizes all its gain as a sale: the partial-exchange path says
/// so rather than "recognizes no boot gain"; and a path that is not available shows no tax
/// figures.
#[test]
fn paths_that_do_not_apply_say_why_and_show_no_figures() {
    let (_, p) = both(include_str!("qa12/s01_id_late.toml"), date(2026, 11, 25));
    let boot = p
        .strategies
        .iter()
        .find(|s| s.name == "partial_1031_boot_to_qof")
        .unwrap();
    assert!(
        !boot.eligibility.contains("no boot gain"),
        "{}",
        boot.eligibility
    );
    assert!(
        boot.eligibility.contains("all of its gain"),
        "{}",
        boot.eligibility
    );
    for s in p.strategies.iter().filter(|s| {
        s.eligibility.starts_with("Not available") || s.eligibility.starts_with("Does not apply")
    }) {
        assert!(!s.eligible, "{}", s.name);
        assert!(
            s.after_tax_value.is_none(),
            "{}: {:?}",
            s.name,
            s.after_tax_value
        );
        assert!(s.tax_now.is_zero(), "{}: {}", s.name, s.tax_now);
    }
    let inst = p
        .strategies
        .iter()
        .find(|s| s.name == "installment_sale")
        .unwrap();
    assert!(inst.after_tax_value.is_none());
}

/// D9: a path figured for the exchange if it fails, while it has not (s18: a reverse exchange
/// that stands as a partial exchange), is not available now and says so: its figures are
/// what it would give then (`hypothetical`), as are those of
/// completing the exchange with no boot, never a bare "not available" beside tax figures.
#[test]
fn a_path_only_for_a_failed_exchange_says_it_does_not_apply_now() {
    let (r, p) = both(
        include_str!("qa12/s18_reverse_late.toml"),
        date(2026, 11, 25),
    );
    assert_ne!(r.qualification.outcome, Outcome::TaxableSale);
    let qof = p
        .strategies
        .iter()
        .find(|s| s.name == "failed_1031_gain_to_qof")
        .unwrap();
    assert!(!qof.eligible);
    assert!(
        qof.eligibility.starts_with("Hypothetical"),
        "{}",
        qof.eligibility
    );
    assert!(qof.hypothetical && qof.after_tax_value.is_some());
    for s in p.strategies.iter().filter(|s| s.after_tax_value.is_some()) {
        assert!(
            s.eligible || s.hypothetical,
            "{}: figures on a path that does not apply",
            s.name
        );
    }
}

/// A failure still ahead (the closing scheduled after day 180, which has not come): the
/// funds are counted as received at the end of an exchange period that has not ended yet,
/// and the finding says it ends, not that it ended.
#[test]
fn a_pending_failure_says_the_exchange_period_ends() {
    let (r, _) = both(
        include_str!("qa12/s03_received_late.toml"),
        date(2026, 8, 1),
    );
    assert!(!r.qualification.settled);
    let m = r
        .findings
        .iter()
        .find(|x| x.code == "funds_treated_as_received")
        .map(|x| x.message.to_string())
        .expect("the funds counted as received at the end of the period");
    assert!(m.contains("exchange period ends on"), "{m}");
    assert!(!m.contains("ended"), "{m}");
}

/// The "intermediary" is a disqualified person: the taxpayer had the money at the closing,
/// so the transfer is a sale "even though the taxpayer may ultimately receive like-kind
/// replacement property" (Treas. Reg. §1.1031(k)-1(f)(2)). Inside the exchange period the
/// verdict is already settled, never "received in time would still qualify", and the plan
/// calls the exchange failed: no partial-exchange paths, no windows for a partial's boot.
#[test]
fn money_had_at_the_closing_fails_the_exchange_while_the_period_is_open() {
    let (r, p) = both(
        include_str!("qa12/s19b_disqualified_qi_straddle.toml"),
        date(2026, 11, 25),
    );
    let q = &r.qualification;
    assert!(q.is_taxable_sale() && q.settled, "{}", q.summary);
    assert!(q.unless.is_none());
    assert!(!q.summary.contains("would still qualify"), "{}", q.summary);
    assert_eq!(p.status.words(), "failed", "{}", p.status_reason);
    assert!(
        p.oz.windows
            .iter()
            .all(|w| w.gain.starts_with("gain of the sale")),
        "{:?}",
        p.oz.windows
    );
    for s in &p.strategies {
        if s.name.starts_with("partial_1031") || s.name == "complete_1031" {
            assert!(!s.eligible, "{}: {}", s.name, s.eligibility);
        }
    }
}
