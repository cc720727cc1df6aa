//! US and foreign real property given up, only US property received: the foreign property has
//! nothing of its kind received (IRC §1031(h)), so Treas. Reg. §1.1031(j)-1 taxes it on its
//! own gain and recognizes more than the Form 8824 line arithmetic the report shows. The
//! warning says the lines may understate the gain and are not to be filed as they are; it
//! no longer says money changed hands (none did: every dollar went through the exchange
//! funds) nor calls the statement's figure the lower one.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::{Format, analyze, parse_exchange};

/// The CLI's verdict file of the same case (its reports are recorded there too).
const MIXED: &str =
    include_str!("../../likekind-cli/tests/verdict_files/us-and-mexico-for-oklahoma.toml");

#[test]
fn a_statement_that_recognizes_more_says_the_lines_may_understate() {
    let f = parse_exchange(MIXED, Format::Toml).unwrap_or_else(|e| panic!("{e:?}"));
    let r = analyze(&f, date(2026, 11, 25));
    let w = r
        .findings
        .iter()
        .find(|x| x.code == "multi_asset_j1_differs")
        .expect("the warning");
    assert!(
        w.message
            .starts_with("Treas. Reg. §1.1031(j)-1 recognizes $300,000.00 in total"),
        "{}",
        w.message
    );
    assert!(
        w.message.contains("may understate the gain"),
        "{}",
        w.message
    );
    assert!(
        w.message.contains("do not file these lines"),
        "{}",
        w.message
    );
    assert!(!w.message.contains("Money changed hands"), "{}", w.message);
    assert!(!w.message.contains("lower figure"), "{}", w.message);
}
