//! Identification failures that are easy to miss, through the whole engine: each one decides
//! which property received is like-kind, and every figure follows.
//!
//! - An oral revocation is no revocation (Treas. Reg. §1.1031(k)-1(c)(6)): the property stays
//!   identified and can push the list over the three-property and 200% rules.
//! - Incidental personal property over 15% of the real property it comes with is a separate
//!   property ((c)(5)) and counts toward the three-property rule.
//! - Over-identified and short of 95%, only property received within the identification
//!   period stays like-kind ((c)(4)(ii)(A)); a failed year-end exchange with a replacement
//!   bought reports the gain in the year the property is received ((j)(2)).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use likekind_core::Amount;
use likekind_core::qualification::Outcome;
use likekind_core::{Format, Report, analyze, parse_exchange};

fn report(toml: &str) -> Report {
    let f = parse_exchange(toml, Format::Toml).expect("valid file");
    analyze(&f, jiff::civil::date(2026, 12, 1))
}

const SALE: &str = r#"
[exchange]
as_of = "2026-12-01"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "R"
location = "TX"
acquired = "2015-01-10"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
"#;

fn identified(id: &str, fmv: &str, extra: &str) -> String {
    format!(
        "[[identified]]\nid = \"{id}\"\nfmv = \"{fmv}\"\nidentified_on = \"2026-03-10\"\n{extra}\n"
    )
}

fn received(id: &str, on: &str, price: &str) -> String {
    format!(
        "[[replacement]]\nid = \"{id}\"\nlocation = \"TX\"\nreceived = \"{on}\"\nprice = \"{price}\"\n"
    )
}

fn four_identified(revocation: &str) -> String {
    format!(
        "{SALE}{}{}{}{}{}{}",
        identified("A", "600000", ""),
        identified("B", "600000", ""),
        identified("C", "600000", ""),
        identified("D", "600000", revocation),
        received("A", "2026-05-01", "500000"),
        received("B", "2026-06-01", "500000"),
    )
}

#[test]
fn an_oral_revocation_leaves_the_list_over_identified_and_the_exchange_a_sale() {
    let oral = report(&four_identified(
        "revoked_on = \"2026-03-20\"\nrevocation_written = false",
    ));
    assert!(!oral.identification.as_ref().unwrap().valid);
    assert_eq!(oral.qualification.outcome, Outcome::TaxableSale);
    assert_eq!(oral.gain.recognized, oral.gain.realized);
    assert_eq!(oral.gain.deferred, Amount::ZERO);
    assert!(oral.replacement_basis.iter().all(|b| !b.like_kind));

    // Revoked in writing within the period, three remain: the same purchases qualify.
    let written = report(&four_identified("revoked_on = \"2026-03-20\""));
    assert_eq!(written.qualification.outcome, Outcome::Exchange);
    assert!(written.replacement_basis.iter().all(|b| b.like_kind));
}

#[test]
fn incidental_property_over_15_percent_counts_as_a_fourth_property() {
    let file = |incidental: &str| {
        format!(
            "{SALE}{}{}{}{}{}",
            identified(
                "A",
                "500000",
                &format!("incidental_personal_property = \"{incidental}\"")
            ),
            identified("B", "400000", ""),
            identified("C", "1200000", ""),
            received("A", "2026-05-01", "500000"),
            received("B", "2026-06-01", "400000"),
        )
    };
    // 100,000 of furniture with 400,000 of real property (25%): four properties worth
    // 2,100,000 > 200% of 1,000,000, and 900,000 received < 95%.
    let over = report(&file("100000"));
    let id = over.identification.as_ref().unwrap();
    assert_eq!(id.properties_counted, 4);
    assert!(!id.valid);
    assert_eq!(over.qualification.outcome, Outcome::TaxableSale);
    assert_eq!(over.gain.deferred, Amount::ZERO);
    // 50,000 with 450,000 (11%): not a separate property, three properties, valid.
    let under = report(&file("50000"));
    assert_eq!(under.identification.as_ref().unwrap().properties_counted, 3);
    assert_eq!(under.qualification.outcome, Outcome::Exchange);
}

#[test]
fn over_identified_keeps_only_property_received_within_45_days() {
    let r = report(&format!(
        "{SALE}{}{}{}{}{}{}",
        identified("A", "700000", ""),
        identified("B", "700000", ""),
        identified("C", "700000", ""),
        identified("D", "700000", ""),
        received("A", "2026-04-01", "700000"),
        received("B", "2026-06-01", "300000"),
    ));
    assert_eq!(r.qualification.outcome, Outcome::PartialExchange);
    let a = &r.replacement_basis[0];
    let b = &r.replacement_basis[1];
    assert!(a.like_kind);
    assert!(!b.like_kind);
    assert_eq!(b.basis, Amount::from(300_000));
    assert_eq!(r.form_8824.line_15, Amount::from(300_000));
    assert_eq!(r.form_8824.line_16, Amount::from(700_000));
    assert_eq!(r.gain.recognized, Amount::from(300_000));
    assert!(r.findings.iter().any(|f| f.code == "partial_exchange"));
}

#[test]
fn a_failed_exchange_across_the_year_end_reports_the_gain_when_property_is_received() {
    // Transferred in November, identified late, the replacement bought in January: a taxable
    // sale whose payment (the property bought with the funds) comes in the next year.
    let r = report(
        r#"
[exchange]
as_of = "2027-06-01"
bona_fide_intent = true
[taxpayer]
entity = "individual"
[[relinquished]]
id = "R"
location = "TX"
acquired = "2015-01-10"
transferred = "2026-11-02"
sale_price = "500000"
adjusted_basis = "300000"
[[identified]]
id = "E"
fmv = "500000"
identified_on = "2026-12-20"
[[replacement]]
id = "E"
location = "TX"
received = "2027-01-15"
price = "500000"
"#,
    );
    assert_eq!(r.qualification.outcome, Outcome::TaxableSale);
    assert_eq!(r.gain.recognized, Amount::from(200_000));
    let years = r.recognition_years.as_ref().expect("recognition years");
    let json = serde_json::to_value(years).unwrap();
    assert_eq!(json["installment_method"], true);
    let by_year: Vec<(i64, String)> = json["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            (
                y["tax_year"].as_i64().unwrap(),
                y["gain"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        by_year,
        vec![(2026, "0.00".to_string()), (2027, "200000.00".to_string())]
    );
    // No like-kind property was received: Form 6252, never Form 8824.
    assert!(!r.qualification.form_8824_filed);
    assert!(!json.to_string().contains("Form 8824 and Form 6252"));
}
