//! US and foreign real property given up, only US property received: the foreign property has
//! nothing of its kind received (IRC §1031(h)), so Treas. Reg. §1.1031(j)-1 taxes it on its
//! own gain and recognizes more than the Form 8824 line arithmetic the report shows. The
//! warning says the lines may understate the gain and are not to be filed as they are; it
//! no longer says money changed hands (none did: every dollar went through the exchange
//! funds) nor calls the statement's figure the lower one.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::{Format, analyze, parse_exchange};

const MIXED: &str = r#"
[exchange]
name = "Two given up, one foreign"
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "tx"
location = "TX"
acquired = "2014-02-03"
transferred = "2026-03-02"
sale_price = "800000"
adjusted_basis = "300000"
depreciation_allowed = "100000"
[[relinquished]]
id = "mx"
location = "foreign:MX"
acquired = "2014-02-03"
transferred = "2026-03-02"
sale_price = "400000"
adjusted_basis = "100000"
[[identified]]
id = "ok"
fmv = "1200000"
identified_on = "2026-03-10"
[[replacement]]
id = "ok"
location = "OK"
received = "2026-04-01"
price = "1200000"
"#;

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
