//! Eligibility, related parties, homes and states: the input rules of their blocks, each
//! error with its path and rule, and results that depend on several blocks together.

use likekind_core::{Format, InputErrors, analyze, parse_exchange};

const BASE: &str = r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "a"
location = "TX"
acquired = "2015-06-01"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
[[replacement]]
id = "b"
location = "TX"
received = "2026-06-15"
price = "1000000"
"#;

fn errors(extra: &str) -> InputErrors {
    match parse_exchange(&format!("{BASE}{extra}"), Format::Toml) {
        Ok(_) => panic!("accepted: {extra}"),
        Err(e) => e,
    }
}

fn has(e: &InputErrors, path: &str, rule: &str) -> bool {
    e.errors.iter().any(|x| x.path == path && x.rule == rule)
}

fn report(extra: &str) -> likekind_core::Report {
    match parse_exchange(&format!("{BASE}{extra}"), Format::Toml) {
        Ok(f) => analyze(&f, jiff::civil::date(2026, 11, 25)),
        Err(e) => panic!("rejected: {e}"),
    }
}

#[test]
fn related_party_contradictions() {
    let e = errors(
        "[related_party]\nname = \"P\"\nrelationship = \"sibling\"\ndisposed_by = \"taxpayer\"\n",
    );
    assert!(has(&e, "related_party.disposed_by", "requires"), "{e}");
    let e = errors(
        "[related_party]\nname = \"P\"\nrelationship = \"sibling\"\nexception = \"death\"\n",
    );
    assert!(has(&e, "related_party.exception", "requires"), "{e}");
    let e = errors("[related_party]\nname = \"P\"\nrelationship = \"aunt\"\n");
    assert!(has(&e, "related_party.relationship", "relationship"), "{e}");
}

#[test]
fn questionnaires_must_match_the_interest() {
    let e = errors("[[tic]]\nproperty = \"b\"\nco_owners = 3\n");
    assert!(has(&e, "tic[0].property", "interest_mismatch"), "{e}");
    let e = errors("[[dst]]\nproperty = \"zz\"\n");
    assert!(has(&e, "dst[0].property", "reference"), "{e}");
    let text = BASE.replace(
        "price = \"1000000\"\n",
        "price = \"1000000\"\ninterest = \"tic\"\n",
    );
    let e = match parse_exchange(
        &format!("{text}[[tic]]\nproperty = \"b\"\nco_owners = 3\nmarried_couples = 2\n"),
        Format::Toml,
    ) {
        Ok(_) => panic!("2 couples in 3 owners accepted"),
        Err(e) => e,
    };
    assert!(has(&e, "tic[0].married_couples", "co_owner_count"), "{e}");
}

#[test]
fn home_sale_contradictions() {
    let e = errors(
        "[home_sale]\nproperty = \"a\"\nownership_and_use_test_met = true\nexclusion_limit = \"750000\"\nbusiness_part = { fraction = \"1.5\", separate_from_dwelling = true }\n",
    );
    assert!(
        has(&e, "home_sale.exclusion_limit", "section121_limit"),
        "{e}"
    );
    assert!(
        has(&e, "home_sale.business_part.fraction", "fraction"),
        "{e}"
    );
    let e = errors(
        "[home_sale]\nproperty = \"b\"\nownership_and_use_test_met = true\nexclusion_limit = \"250000\"\n",
    );
    assert!(has(&e, "home_sale.property", "reference"), "{e}");
    let short = BASE.replace("acquired = \"2015-06-01\"", "acquired = \"2025-06-01\"");
    let e = match parse_exchange(
        &format!(
            "{short}[home_sale]\nproperty = \"a\"\nownership_and_use_test_met = true\nexclusion_limit = \"250000\"\n"
        ),
        Format::Toml,
    ) {
        Ok(_) => panic!("a one-year home accepted as meeting the 2-year test"),
        Err(e) => e,
    };
    assert!(
        has(&e, "home_sale.ownership_and_use_test_met", "contradiction"),
        "{e}"
    );
}

#[test]
fn residence_plan_and_planned_sale_dates() {
    let e = errors("[residence_plan]\nproperty = \"b\"\nmove_in = \"2026-01-01\"\n");
    assert!(has(&e, "residence_plan.move_in", "date_order"), "{e}");
    let e = errors("[eligibility]\nplanned_sale_of_replacement = \"2026-06-01\"\n");
    assert!(
        has(&e, "eligibility.planned_sale_of_replacement", "date_order"),
        "{e}"
    );
}

#[test]
fn usage_period_given_twice() {
    let text = BASE.replace(
        "adjusted_basis = \"400000\"\n",
        "adjusted_basis = \"400000\"\nusage = [{ period_ending = \"2026-03-01\", fair_rental_days = 20, personal_use_days = 0 }, { period_ending = \"2026-03-01\", fair_rental_days = 20, personal_use_days = 0 }]\n",
    );
    let e = match parse_exchange(&text, Format::Toml) {
        Ok(_) => panic!("accepted"),
        Err(e) => e,
    };
    assert!(
        has(&e, "relinquished[0].usage[1].period_ending", "unique"),
        "{e}"
    );
}

#[test]
fn replacement_dwelling_in_its_first_two_years_is_pending() {
    let r = report("").findings;
    assert!(
        r.iter()
            .all(|f| f.code != "vacation_home_safe_harbor_pending")
    );
    let text = BASE.replace(
        "price = \"1000000\"\n",
        "price = \"1000000\"\nuse = \"vacation_home\"\nusage = [{ period_ending = \"2027-06-14\", fair_rental_days = 30, personal_use_days = 3 }]\n",
    );
    let f = match parse_exchange(&text, Format::Toml) {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    let r = analyze(&f, jiff::civil::date(2026, 11, 25));
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "vacation_home_safe_harbor_pending"),
        "{:?}",
        r.findings
    );
}

#[test]
fn partnership_interest_is_not_real_property() {
    let text = BASE.replace(
        "price = \"1000000\"\n",
        "price = \"1000000\"\ninterest = \"partnership_interest\"\n",
    );
    let f = match parse_exchange(&text, Format::Toml) {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    let r = analyze(&f, jiff::civil::date(2026, 11, 25));
    assert!(r.has_error());
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "partnership_interest_excluded"
                && f.path.as_deref() == Some("replacement[0].interest"))
    );
}

#[test]
fn oregon_clawback_is_flagged_unconfirmed() {
    let r = report("").findings;
    assert!(r.iter().all(|f| f.code != "state_clawback_unconfirmed"));
    let text = BASE.replacen("location = \"TX\"", "location = \"OR\"", 1);
    let f = match parse_exchange(&text, Format::Toml) {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    let r = analyze(&f, jiff::civil::date(2026, 11, 25));
    let flag = r
        .findings
        .iter()
        .find(|f| f.code == "state_clawback_unconfirmed");
    assert!(flag.is_some_and(|f| f.message.contains("NOT confirmed")));
}
