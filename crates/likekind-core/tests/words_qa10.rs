//! Exploratory QA pass 10, words that contradicted the figures beside them: the cash-boot
//! warning of a home sale whose cash the §121 exclusion covers, a reverse exchange that is over
//! read as still open, and a vacation home's warning titled as if the exchange failed.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::{Date, date};
use likekind_core::Amount;
use likekind_core::amt;
use likekind_core::analyze::analyze;
use likekind_core::report::Report;
use likekind_core::{Format, parse_exchange};

fn report(text: &str, as_of: Date) -> Report {
    let f = parse_exchange(text, Format::Toml).unwrap_or_else(|e| panic!("{e:?}"));
    analyze(&f, as_of)
}

/// Rev. Proc. 2005-14 (§4): the §121 exclusion applies first and boot is taxed only to the
/// extent it exceeds the gain excluded. The $30,000 of cash is within the $240,000 excluded,
/// and the figures recognize nothing; the warning said the cash was "taxable up to the
/// realized gain".
#[test]
fn cash_boot_within_the_home_sale_exclusion_is_not_called_taxable() {
    let r = report(
        include_str!("qa10/h01-121-depr-limits.toml"),
        date(2026, 11, 25),
    );
    assert_eq!(r.gain.recognized, Amount::ZERO);
    let cash = r
        .findings
        .iter()
        .find(|f| f.code == "cash_boot")
        .expect("the cash-boot warning");
    assert!(cash.message.contains("$30,000.00"), "{}", cash.message);
    assert!(
        cash.message
            .contains("exceeds the gain excluded under §121 ($240,000.00)"),
        "{}",
        cash.message
    );
    assert!(
        cash.message.contains("none of the cash is taxed"),
        "{}",
        cash.message
    );
    assert!(!cash.message.contains("taxable up to the realized gain"));
    assert!(
        cash.authority.contains("Rev. Proc. 2005-14"),
        "{}",
        cash.authority
    );

    // Cash beyond the exclusion: the part above it is recognized, and the words say how much.
    let more = include_str!("qa10/h01-121-depr-limits.toml")
        .replace("price = \"420000\"", "price = \"150000\"");
    let r = report(&more, date(2026, 11, 25));
    let cash = r.findings.iter().find(|f| f.code == "cash_boot").unwrap();
    assert_eq!(r.gain.recognized, amt!(20000), "{:?}", r.gain);
    assert!(
        cash.message.contains("$20,000.00 of gain is recognized"),
        "{}",
        cash.message
    );
}

/// A reverse exchange whose Rev. Proc. 2000-37 period for the transfers is over (180 days
/// from the qualified indicia, Aug 29, 2026) and whose sale's identification period is over
/// with everything identified received: nothing received from now on can change its verdict,
/// so it is settled. It read "The exchange period is still open: identified property received
/// in time would still qualify".
#[test]
fn a_reverse_exchange_that_is_over_is_settled() {
    let r = report(
        include_str!("qa10/r01-reverse-prior-ownership.toml"),
        date(2026, 11, 25),
    );
    let q = &r.qualification;
    assert!(q.is_taxable_sale(), "{q:?}");
    assert!(q.settled, "{}", q.summary);
    assert!(!q.summary.contains("still open"), "{}", q.summary);

    // Before the transfers' period is over (Aug 29, 2026), the verdict may still change.
    let r = report(
        &include_str!("qa10/r01-reverse-prior-ownership.toml")
            .replace("as_of = \"2026-11-25\"", "as_of = \"2026-08-20\""),
        date(2026, 8, 20),
    );
    assert!(!r.qualification.settled, "{}", r.qualification.summary);
}

/// A vacation home outside the Rev. Proc. 2008-16 safe harbor is a warning beside a verdict
/// that the exchange qualifies: its title no longer states the conclusion ("Not held for
/// investment or business use") the message says is not drawn.
#[test]
fn the_vacation_home_warning_is_not_titled_as_a_failure() {
    let r = report(
        include_str!("qa10/v01-vac-owned-20-months.toml"),
        date(2026, 11, 25),
    );
    assert!(r.qualification.all_qualify(), "{}", r.qualification.summary);
    let w = r
        .findings
        .iter()
        .find(|f| f.code == "not_held_for_investment")
        .expect("the safe-harbor warning");
    assert!(
        w.message.contains("does not by itself disqualify"),
        "{}",
        w.message
    );
    let title = likekind_core::words::title(&w.code).expect("a title");
    assert!(!title.starts_with("Not held"), "{title}");
}
