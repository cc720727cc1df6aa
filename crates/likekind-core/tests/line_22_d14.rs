//! QA pass 9, D14: where line 22 is said to be reported. A zero line 22 is reported nowhere,
//! and a line 22 whose parts with an amount all go to one place goes there, whatever the
//! holding period of a property given up that has no part in it. Each test names the
//! authority it checks.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::amt;
use likekind_core::analyze::analyze;
use likekind_core::model::ExchangeFile;
use likekind_core::report::Report;
use likekind_core::{Format, parse_exchange};

/// Three given up (two held long, a rental house held 244 days), every `cash_received` given
/// as 0: the 100,000 left with the intermediary is a gap (`unbalanced_exchange`), nothing is
/// recognized and line 22 is zero (QA9 t14).
const T14: &str = include_str!("qa9/t14-unbalanced-all-cash-given.toml");

fn report(text: &str) -> Report {
    let f: ExchangeFile = parse_exchange(text, Format::Toml)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into();
    analyze(&f, date(2026, 12, 7))
}

/// Instructions for Form 8824, line 22: a zero line 22 is reported nowhere. The old
/// destination, chosen over every property given up as if the whole (empty) line were the
/// short-held house's, said "Form 4797, Part II: ordinary gain" (QA9 t14).
#[test]
fn a_zero_line_22_has_no_destination() {
    let r = report(T14);
    assert_eq!(r.form_8824.line_22, amt!(0));
    assert!(r.findings.iter().any(|f| f.code == "unbalanced_exchange"));
    for said in [
        &r.character.line_22_reported_on,
        &r.gain.line_22_reported_on,
    ] {
        assert!(!said.contains("Form 4797"), "{said}");
        assert!(!said.contains("Schedule D"), "{said}");
        assert!(said.starts_with("nothing to report"), "{said}");
    }
    assert!(r.character.line_22_by_property.is_empty());
    assert!(
        !r.character
            .routing
            .iter()
            .any(|x| x.what.contains("line 22")),
        "{:?}",
        r.character.routing
    );
}

/// A rental held since 2012 (gain 200,000) and a lot held eight months given up at a 10,000
/// loss, for a building worth 490,000: 100,000 comes back. With `lot_first`, the lot is listed
/// first.
fn rental_and_lot_at_a_loss(lot_first: bool) -> String {
    let rental = r#"
[[relinquished]]
id = "rental"
description = "Rental duplex, 10 A St"
location = "TX"
use = "investment"
acquired = "2012-01-05"
transferred = "2026-03-02"
sale_price = "500000"
adjusted_basis = "300000"
depreciation_allowed = "100000"
"#;
    let lot = r#"
[[relinquished]]
id = "lot"
description = "Lot bought eight months ago, 40 E Rd"
location = "TX"
use = "investment"
acquired = "2025-07-01"
transferred = "2026-03-02"
sale_price = "90000"
adjusted_basis = "100000"
"#;
    let (a, b) = if lot_first {
        (lot, rental)
    } else {
        (rental, lot)
    };
    format!(
        r#"
[exchange]
type = "delayed"
[taxpayer]
entity = "individual"
{a}{b}
[[identified]]
id = "tower"
description = "Office building, 1 D Blvd, Austin TX"
fmv = "490000"
identified_on = "2026-03-20"
[[replacement]]
id = "tower"
description = "Office building, 1 D Blvd, Austin TX"
location = "TX"
use = "business"
received = "2026-06-01"
price = "490000"
land_value = "90000"
"#
    )
}

/// Instructions for Form 8824, line 22; IRC §§1222, 1231(b): the lot given up at a loss has no
/// part in line 22, so all of it is the rental's, held long: Form 4797 Part I. The old
/// destination, chosen over every property given up (one of them held a year or less), said
/// Form 4797 Part II, whichever property is listed first.
#[test]
fn line_22_goes_where_its_only_part_goes() {
    for lot_first in [false, true] {
        let r = report(&rental_and_lot_at_a_loss(lot_first));
        let l = &r.form_8824;
        assert_eq!(l.line_19, amt!(190000), "{lot_first}");
        assert_eq!(l.line_22, amt!(100000), "{lot_first}");
        let c = &r.character;
        assert_eq!(
            c.line_22_reported_on, "Form 4797, Part I (line 5): §1231 gain",
            "{lot_first}"
        );
        assert_eq!(r.gain.line_22_reported_on, c.line_22_reported_on);
        // One place: no split, no split warning.
        assert!(c.line_22_by_property.is_empty(), "{lot_first}");
        assert!(
            !r.findings
                .iter()
                .any(|f| f.code == "line_22_split_by_property"),
            "{lot_first}"
        );
        assert_eq!(r.gain.unrecaptured_1250, amt!(100000), "{lot_first}");
    }
}
