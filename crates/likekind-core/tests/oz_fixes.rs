//! Words and dates that once disagreed with the law or with the analysis of the same file:
//! the related-party window stretched by suspended days, the year of the QOF deferral, the
//! start of the 180 days from the funds' receipt, and the release of funds no intermediary held.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::{Date, date};
use likekind_core::analyze::analyze;
use likekind_core::model::ExchangeFile;
use likekind_core::report::Report;
use likekind_core::{Format, parse_exchange};

fn file(text: &str) -> ExchangeFile {
    parse_exchange(text, Format::Toml)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into()
}

fn report_on(text: &str, as_of: Date) -> Report {
    analyze(&file(text), as_of)
}

fn message<'r>(r: &'r Report, code: &str) -> Option<&'r str> {
    r.findings
        .iter()
        .find(|f| f.code == code)
        .map(|f| &*f.message)
}

const RELATED: &str = r#"
[exchange]
type = "simultaneous"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "oak"
location = "TX"
acquired = "2015-06-01"
transferred = "2026-02-01"
sale_price = "500000"
adjusted_basis = "440000"
[[replacement]]
id = "elm"
location = "TX"
received = "2026-02-01"
price = "500000"
[related_party]
name = "Pat"
relationship = "sibling"
disposed_on = "2028-02-01"
disposed_by = "related_party"
"#;

/// IRC §1031(f)(1)(C), (g): the window ends two years after the last transfer, pushed later by
/// the days the running of the period is suspended; the words say so when there are any.
#[test]
fn related_party_window_names_the_suspended_days() {
    let r = report_on(&format!("{RELATED}suspended_days = 30\n"), date(2027, 7, 1));
    for code in ["related_party", "related_party_disposition"] {
        let m = message(&r, code).unwrap_or_else(|| panic!("{code}"));
        assert!(m.contains("2028-03-02"), "{m}");
        assert!(
            m.contains("plus 30 days during which the running of the period was suspended"),
            "{m}"
        );
        assert!(
            !m.contains("the date two years after the last transfer"),
            "{m}"
        );
    }
    let plain = report_on(RELATED, date(2027, 7, 1));
    let m = message(&plain, "related_party").expect("finding");
    assert!(
        m.contains("before 2028-02-01 (the date two years after the last transfer, 2026-02-01;"),
        "{m}"
    );
    assert!(!m.contains("suspended"), "{m}");
}

const SWAP_WITH_CASH: &str = r#"
[exchange]
type = "simultaneous"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "oak"
location = "TX"
acquired = "2015-06-01"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "300000"
[[replacement]]
id = "elm"
location = "TX"
received = "2026-03-02"
price = "800000"
"#;

/// Treas. Reg. §1.1031(k)-1(g)(3)-(4), (g)(6): only funds an intermediary holds are released.
/// A simultaneous swap with cash and no intermediary has no release date to ask for; the same
/// exchange through a QI still does.
#[test]
fn no_intermediary_no_release_date_asked_for() {
    let swap = report_on(SWAP_WITH_CASH, date(2026, 12, 6));
    assert!(swap.recognition_years.is_some(), "cash came back");
    assert_eq!(message(&swap, "funds_release_date_inferred"), None);
    let held = SWAP_WITH_CASH.replace("[taxpayer]", "qualified_intermediary = false\n[taxpayer]");
    let held = report_on(&held.replace("simultaneous", "delayed"), date(2026, 12, 6));
    assert_eq!(message(&held, "funds_release_date_inferred"), None);
    let qi = report_on(
        &SWAP_WITH_CASH.replace("simultaneous", "delayed"),
        date(2026, 12, 6),
    );
    let m = message(&qi, "funds_release_date_inferred").expect("a QI held the funds");
    assert!(
        m.starts_with("The date the intermediary released the funds"),
        "{m}"
    );
}
