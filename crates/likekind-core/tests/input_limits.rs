//! Never a panic from input: the limits that keep every computation of the
//! engine representable, each rejected with the field path and the rule.

use jiff::civil::date;
use likekind_core::money::MAX_AMOUNT;
use likekind_core::validate::{MAX_IDENTIFIED, MAX_PROPERTIES};
use likekind_core::{Format, InputErrors, analyze, parse_exchange};

fn parse(text: &str) -> Result<likekind_core::Exchange, InputErrors> {
    parse_exchange(text, Format::Toml)
}

fn one_sale(transferred: &str, extra: &str) -> String {
    format!(
        "[taxpayer]\nentity = \"individual\"\n{extra}\n[[relinquished]]\nid = \"a\"\nlocation = \"CA\"\nacquired = \"0001-01-01\"\ntransferred = \"{transferred}\"\nsale_price = \"1000000\"\nadjusted_basis = \"400000\"\n"
    )
}

fn has(e: &InputErrors, path: &str, rule: &str, text: &str) -> bool {
    e.errors
        .iter()
        .any(|x| x.path == path && x.rule == rule && x.message.contains(text))
}

/// The reported case: 29 properties at $10 trillion each overflowed `straddle::compute`.
#[test]
fn twenty_nine_at_ten_trillion_is_an_input_error() {
    let mut text = String::from(
        "[exchange]\nfunds_released_on = \"2027-02-01\"\nbona_fide_intent = true\n[taxpayer]\nentity = \"individual\"\n",
    );
    for k in 0..29 {
        text.push_str(&format!(
            "[[relinquished]]\nid = \"r{k}\"\nlocation = \"NY\"\nacquired = \"2000-01-01\"\ntransferred = \"2026-11-02\"\nsale_price = \"10000000000000\"\nadjusted_basis = \"1\"\n"
        ));
    }
    let e = parse(&text).expect_err("over the per-amount limit");
    assert_eq!(e.errors[0].path, "relinquished[0].sale_price", "{e}");
    assert!(e.errors[0].message.contains("$100,000,000,000"), "{e}");
}

/// The worst case the limits allow: every list at its maximum length and every amount at
/// its maximum, down the straddle (installment) path. No overflow, and the gain identity
/// still holds.
#[test]
fn the_largest_valid_file_computes() {
    let big = MAX_AMOUNT;
    let mut text = String::from(
        "[exchange]\nfunds_released_on = \"2027-02-01\"\nbona_fide_intent = true\n[taxpayer]\nentity = \"individual\"\n[plan]\ngrowth_pct = \"25\"\nhorizon_years = 100\nyield_pct = \"100\"\n",
    );
    for k in 0..MAX_PROPERTIES {
        text.push_str(&format!(
            "[[relinquished]]\nid = \"r{k}\"\nlocation = \"NY\"\nacquired = \"2000-01-01\"\ntransferred = \"2026-11-02\"\nsale_price = \"{big}\"\nadjusted_basis = \"1\"\ndepreciation_allowed = \"{big}\"\nsection1245_depreciation = \"{big}\"\nliabilities_relieved = \"{big}\"\nexchange_expenses = \"{big}\"\nother_closing_costs = \"{big}\"\n"
        ));
        text.push_str(&format!(
            "[[replacement]]\nid = \"p{k}\"\nlocation = \"NY\"\nreceived = \"2027-01-15\"\nprice = \"{big}\"\nliabilities_assumed = \"{big}\"\nexchange_expenses = \"{big}\"\nother_closing_costs = \"{big}\"\npersonal_property = \"{big}\"\nland_value = \"{big}\"\n"
        ));
        text.push_str(&format!(
            "[[other_property_received]]\ndescription = \"note {k}\"\nfmv = \"{big}\"\ninstallment_obligation = true\n[[other_property_given]]\ndescription = \"eq {k}\"\nfmv = \"{big}\"\nadjusted_basis = \"0\"\n"
        ));
    }
    for k in 0..MAX_IDENTIFIED {
        text.push_str(&format!(
            "[[identified]]\nid = \"i{k}\"\nfmv = \"{big}\"\nidentified_on = \"2026-11-03\"\n"
        ));
    }
    let f = parse(&text).expect("valid at the limits");
    let r = analyze(&f, date(2026, 11, 25));
    assert_eq!(r.gain.recognized + r.gain.deferred, r.gain.realized);
    serde_json::to_string(&r).expect("serializes");
    let a = likekind_core::plan::resolve(f.plan.as_ref(), &Default::default()).expect("valid");
    let _ = likekind_core::plan::plan(&f, &r, &a);
}

/// The reported path itself: a failed exchange of the most properties at the largest
/// amounts, funds released in the next tax year, so the gain is split between the cash and
/// the installment notes (`straddle::compute`, where the product used to overflow).
#[test]
fn the_largest_failed_exchange_splits_its_gain() {
    let big = MAX_AMOUNT;
    let mut text = String::from(
        "[exchange]\nfunds_released_on = \"2027-02-01\"\nbona_fide_intent = true\n[taxpayer]\nentity = \"individual\"\n",
    );
    for k in 0..MAX_PROPERTIES {
        text.push_str(&format!(
            "[[relinquished]]\nid = \"r{k}\"\nlocation = \"NY\"\nacquired = \"2000-01-01\"\ntransferred = \"2026-11-02\"\nsale_price = \"{big}\"\nadjusted_basis = \"0\"\ndepreciation_allowed = \"{big}\"\nsection1245_depreciation = \"{big}\"\n[[other_property_received]]\ndescription = \"note {k}\"\nfmv = \"{big}\"\ninstallment_obligation = true\n"
        ));
    }
    let f = parse(&text).expect("valid at the limits");
    let r = analyze(&f, date(2026, 11, 25));
    let json = serde_json::to_string(&r).expect("serializes");
    assert!(json.contains("recognition_years"), "{json}");
    assert!(!json.contains("arithmetic_overflow"));
}

#[test]
fn lists_over_their_limit_are_rejected() {
    let mut text = one_sale("2026-03-02", "");
    for k in 1..=MAX_PROPERTIES {
        text.push_str(&format!(
            "[[relinquished]]\nid = \"x{k}\"\nlocation = \"CA\"\nacquired = \"2015-06-01\"\ntransferred = \"2026-03-02\"\nsale_price = \"1\"\nadjusted_basis = \"1\"\n"
        ));
    }
    let e = parse(&text).expect_err("101 properties");
    assert!(has(&e, "relinquished", "max_items", "at most 100"), "{e}");
}

/// A transfer on 9999-12-20 used to end its exchange on 9999-12-15, before it began.
#[test]
fn deadlines_past_the_last_date_are_rejected() {
    let e = parse(&one_sale("9999-12-20", "")).expect_err("day 180 past 9999");
    assert!(
        has(
            &e,
            "relinquished[0].transferred",
            "date_range",
            "too late: the 180-day exchange period (IRC §1031(a)(3)(B)(i)) would end after 9999-12-31"
        ),
        "{e}"
    );
    // Day 180 fits, the return due date for year 9999 (in 10000) does not.
    let e = parse(&one_sale("9999-03-01", "")).expect_err("due date past 9999");
    assert!(
        has(
            &e,
            "relinquished[0].transferred",
            "date_range",
            "would be due after 9999-12-31"
        ),
        "{e}"
    );
    // The last transfer whose every deadline fits.
    let f = parse(&one_sale("9998-12-31", "")).expect("fits");
    let r = analyze(&f, date(9999, 1, 1));
    let d = r.deadlines.as_ref().expect("deadlines");
    assert!(d.exchange_end >= d.first_transfer);
    assert_eq!(d.day_180, date(9999, 6, 29));
}

#[test]
fn dates_before_year_one_are_rejected() {
    let e = parse(&one_sale("0000-06-01", "")).expect_err("year 0");
    assert!(
        has(&e, "relinquished[0].transferred", "date_range", "too early"),
        "{e}"
    );
    let f = parse(&one_sale("0001-06-01", "")).expect("year 1 is supported");
    let r = analyze(&f, date(2026, 1, 1));
    let d = r.deadlines.as_ref().expect("deadlines");
    assert!(d.tax_year_begin <= d.first_transfer && d.exchange_end >= d.first_transfer);
}

#[test]
fn related_party_window_must_fit() {
    let extra = "[related_party]\nname = \"Pat\"\nrelationship = \"sibling\"\nsuspended_days = 4000000000\n";
    let e = parse(&one_sale("2026-03-02", extra)).expect_err("suspended days");
    assert!(
        has(
            &e,
            "related_party.suspended_days",
            "date_range",
            "9999-12-31"
        ),
        "{e}"
    );
}

#[test]
fn plan_growth_over_the_horizon_is_bounded() {
    let extra = "[plan]\ngrowth_pct = \"100\"\nhorizon_years = 100\n";
    let e = parse(&one_sale("2026-03-02", extra)).expect_err("2^100");
    assert!(
        has(&e, "plan.growth_pct", "growth_range", "10,000,000,000"),
        "{e}"
    );
    let ok = "[plan]\ngrowth_pct = \"25\"\nhorizon_years = 100\n";
    assert!(parse(&one_sale("2026-03-02", ok)).is_ok());
}

#[test]
fn tiny_recovery_period_is_rejected() {
    let text = one_sale("2026-03-02", "").replace(
        "adjusted_basis = \"400000\"\n",
        "adjusted_basis = \"400000\"\nrecovery_years = \"0.01\"\n",
    );
    let e = parse(&text).expect_err("recovery_years");
    assert!(
        has(
            &e,
            "relinquished[0].recovery_years",
            "recovery_years",
            "1 to 50"
        ),
        "{e}"
    );
}
