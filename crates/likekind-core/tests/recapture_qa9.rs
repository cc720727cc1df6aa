//! QA pass 9 (D1, D9, D10, D11): depreciation recapture measured property by property, and the
//! warnings about depreciation the exchange cannot carry. Each test names the authority it
//! checks.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::Amount;
use likekind_core::amt;
use likekind_core::analyze::analyze;
use likekind_core::model::ExchangeFile;
use likekind_core::report::Report;
use likekind_core::{Format, parse_exchange};

fn report(text: &str) -> Report {
    let f: ExchangeFile = parse_exchange(text, Format::Toml)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into();
    analyze(&f, date(2026, 12, 7))
}

fn finding<'a>(r: &'a Report, code: &str) -> Option<&'a likekind_core::findings::Finding> {
    r.findings.iter().find(|f| f.code == code)
}

/// Land with a large gain and a cost-segregated shop; the replacement is raw land. The shop's
/// sale price is the parameter (300,000: a 20,000 loss; 340,000: a 20,000 gain).
fn land_and_shop(shop_price: &str, total: &str) -> String {
    format!(
        r#"
[exchange]
name = "QA9 t01 1245 cap per property"
type = "delayed"
[taxpayer]
name = "QA Tester"
entity = "individual"
[[relinquished]]
id = "lot"
description = "Investment land, 1 Lot Rd"
location = "AZ"
use = "investment"
acquired = "2010-01-05"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "200000"
[[relinquished]]
id = "shop"
description = "Cost-segregated shop building, 2 Shop St"
location = "AZ"
use = "business"
acquired = "2019-01-05"
transferred = "2026-03-02"
sale_price = "{shop_price}"
adjusted_basis = "320000"
depreciation_allowed = "150000"
section1245_depreciation = "80000"
[[identified]]
id = "acres"
description = "80 acres, Pinal County AZ"
fmv = "{total}"
identified_on = "2026-03-20"
[[replacement]]
id = "acres"
description = "80 acres, Pinal County AZ"
location = "AZ"
use = "investment"
received = "2026-05-01"
price = "{total}"
land_value = "{total}"
"#
    )
}

/// IRC §1245(a)(1) (the excess of the amount realized over the adjusted basis "of such
/// property"), §1245(b)(4): a property given up at a loss has no recapture, whatever the gain
/// on the other property given up with it (QA9 t01).
#[test]
fn section1245_recapture_of_a_property_sold_at_a_loss_is_nil() {
    let r = report(&land_and_shop("300000", "1300000"));
    let l = &r.form_8824;
    assert_eq!(l.line_19, amt!(780000));
    assert_eq!(l.line_21, Amount::ZERO);
    assert_eq!(l.line_23, Amount::ZERO);
    assert_eq!(l.line_24, amt!(780000));
    assert_eq!(l.line_25, amt!(520000));
    assert_eq!(r.gain.recognized + r.gain.deferred, r.gain.realized);
    assert!(finding(&r, "recapture_without_boot").is_none());
    // The explanation shows the shop's own result, not the exchange's gain alone.
    let step = r
        .explanation
        .iter()
        .find(|s| s.key == "recapture.section1245")
        .expect("the §1245 step");
    let inputs = step.inputs_line();
    assert!(
        inputs.contains("Cost-segregated shop building, 2 Shop St") && inputs.contains("-20000.00"),
        "{inputs}"
    );
}

/// IRC §1245(a)(1), (b)(4): the recapture is capped by the shop's own 20,000 gain (QA9 t01b).
#[test]
fn section1245_recapture_is_capped_by_the_property_s_own_gain() {
    let r = report(&land_and_shop("340000", "1340000"));
    let l = &r.form_8824;
    assert_eq!(l.line_19, amt!(820000));
    assert_eq!(l.line_21, amt!(20000));
    assert_eq!(l.line_23, amt!(20000));
    assert_eq!(l.line_24, amt!(800000));
    assert_eq!(l.line_25, amt!(540000));
    assert_eq!(r.character.section1245_recapture, amt!(20000));
    assert_eq!(r.gain.recognized + r.gain.deferred, r.gain.realized);
}

const LAND_AND_1984_SHOP: &str = r#"
[exchange]
name = "QA9 t03 1250 cap per property"
type = "delayed"
[taxpayer]
name = "QA Tester"
entity = "individual"
[[relinquished]]
id = "lot"
description = "Investment land, 1 Lot Rd"
location = "OH"
use = "investment"
acquired = "2005-01-05"
transferred = "2026-04-01"
sale_price = "800000"
adjusted_basis = "100000"
[[relinquished]]
id = "oldshop"
description = "Shop building placed in service 1984 (ACRS)"
location = "OH"
use = "business"
acquired = "1984-03-01"
transferred = "2026-04-01"
sale_price = "160000"
adjusted_basis = "150000"
depreciation_allowed = "350000"
additional_depreciation = "50000"
[[identified]]
id = "field"
description = "Field, parcel 12-345, Greene County OH"
fmv = "960000"
identified_on = "2026-04-20"
[[replacement]]
id = "field"
description = "Field, parcel 12-345, Greene County OH"
location = "OH"
use = "investment"
received = "2026-07-01"
price = "960000"
land_value = "960000"
"#;

/// IRC §1250(a)(1)(A), (d)(4): the additional depreciation is capped by the old shop's own
/// 10,000 gain, not by the land's (QA9 t03).
#[test]
fn section1250_recapture_is_capped_by_the_property_s_own_gain() {
    let r = report(LAND_AND_1984_SHOP);
    let l = &r.form_8824;
    assert_eq!(l.line_19, amt!(710000));
    assert_eq!(l.line_21, amt!(10000));
    assert_eq!(l.line_23, amt!(10000));
    assert_eq!(l.line_24, amt!(700000));
    assert_eq!(l.line_25, amt!(260000));
    assert_eq!(r.character.section1250_recapture, amt!(10000));
    assert_eq!(r.gain.recognized + r.gain.deferred, r.gain.realized);
}

/// Words for people: no field path of the exchange file in a message.
fn no_field_paths(message: &str) {
    for path in [
        "section1245_depreciation",
        "other_property_given",
        "additional_depreciation",
        "depreciation_allowed",
        "relinquished[",
    ] {
        assert!(!message.contains(path), "{path} in: {message}");
    }
}

/// IRC §1031(a)(1) as amended by P.L. 115-97; Treas. Reg. §1.1031(a)-3: §1245 components of a
/// building given up may be personal property, outside the exchange; the warning says so and
/// says where to give them (QA9 D9).
#[test]
fn section1245_components_are_warned_to_be_outside_the_exchange() {
    let r = report(&land_and_shop("340000", "1340000"));
    let w = finding(&r, "section1245_components_outside_exchange").expect("the D9 warning");
    assert_eq!(w.severity, likekind_core::findings::Severity::Warning);
    assert!(
        w.message
            .contains("Cost-segregated shop building, 2 Shop St")
    );
    assert!(w.message.contains("other property given up"));
    assert!(w.authority.contains("IRC §1031(a)(1)"));
    assert!(w.authority.contains("Treas. Reg. §1.1031(a)-3"));
    no_field_paths(&w.message);
    // None without §1245 depreciation.
    assert!(
        finding(
            &report(LAND_AND_1984_SHOP),
            "section1245_components_outside_exchange"
        )
        .is_none()
    );
}

/// An exchange of a building plus equipment given up (line 12-14), the equipment's
/// depreciation given or not.
fn building_and_equipment(depreciation: &str) -> String {
    format!(
        r#"
[exchange]
name = "QA9 t05 equipment given up"
type = "delayed"
[taxpayer]
name = "QA Tester"
entity = "individual"
[[relinquished]]
id = "alpha"
description = "Apartment building, 1 Alpha St"
location = "CO"
use = "investment"
acquired = "2010-01-05"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
depreciation_allowed = "150000"
[[other_property_given]]
description = "Restaurant equipment"
fmv = "50000"
adjusted_basis = "10000"
{depreciation}
[[identified]]
id = "gamma"
description = "Office building, 3 Gamma Blvd, Denver CO"
fmv = "1050000"
identified_on = "2026-03-20"
[[replacement]]
id = "gamma"
description = "Office building, 3 Gamma Blvd, Denver CO"
location = "CO"
use = "business"
received = "2026-06-01"
price = "1050000"
land_value = "300000"
"#
    )
}

/// IRC §1245(a)(1); Instructions for Form 8824, line 14; Form 4797 Part III: the gain on
/// depreciated equipment given up is ordinary income up to its depreciation (QA9 D10).
#[test]
fn equipment_given_up_recaptures_its_depreciation_as_ordinary_income() {
    let r = report(&building_and_equipment("depreciation_allowed = \"30000\""));
    assert_eq!(r.form_8824.line_14, amt!(40000));
    assert_eq!(
        r.character.other_property_section1245_recapture,
        amt!(30000)
    );
    let ordinary = r
        .character
        .routing
        .iter()
        .find(|x| x.reported_on.contains("Form 4797 Part III") && x.what.contains("line 14"))
        .expect("the §1245 route of line 14");
    assert_eq!(ordinary.amount, amt!(30000));
    let rest = r
        .character
        .routing
        .iter()
        .find(|x| x.what.contains("beyond its §1245 recapture"))
        .expect("the rest of line 14");
    assert_eq!(rest.amount, amt!(10000));
    assert!(finding(&r, "other_property_depreciation_missing").is_none());
    // The depreciation is capped by the equipment's own gain.
    let r = report(&building_and_equipment("depreciation_allowed = \"90000\""));
    assert_eq!(
        r.character.other_property_section1245_recapture,
        amt!(40000)
    );
}

/// IRC §1245(a)(1): equipment given up at a gain with no depreciation given is warned about,
/// in words (QA9 D10).
#[test]
fn equipment_given_up_without_depreciation_is_warned_about() {
    let r = report(&building_and_equipment(""));
    assert_eq!(
        r.character.other_property_section1245_recapture,
        Amount::ZERO
    );
    let w = finding(&r, "other_property_depreciation_missing").expect("the D10 warning");
    assert_eq!(w.severity, likekind_core::findings::Severity::Warning);
    assert!(w.message.contains("Restaurant equipment"));
    no_field_paths(&w.message);
}

/// A negative depreciation on other property given up is refused.
#[test]
fn negative_equipment_depreciation_is_an_input_error() {
    let text = building_and_equipment("depreciation_allowed = \"-1\"");
    let e = parse_exchange(&text, Format::Toml).expect_err("a negative depreciation");
    assert!(
        format!("{e:?}").contains("other_property_given[0].depreciation_allowed"),
        "{e:?}"
    );
}

/// P.L. 97-34 §204 (IRC §1245(a)(5), §1250(d)(11) as then in effect): a nonresidential
/// building placed in service 1981-1986 with accelerated ACRS may be section 1245 recovery
/// property, all of whose depreciation is recaptured; the warning is marked uncertain (QA9
/// D11).
#[test]
fn acrs_nonresidential_building_is_warned_as_section1245_recovery_property() {
    let r = report(LAND_AND_1984_SHOP);
    let w = finding(&r, "acrs_section1245_recovery_property").expect("the D11 warning");
    assert!(w.message.starts_with("[U] "), "{}", w.message);
    assert!(w.message.contains("$350,000.00"), "{}", w.message);
    assert!(w.authority.contains("P.L. 97-34"));
    no_field_paths(&w.message);
    // Not for a building placed in service after 1986, nor for residential rental property.
    let later =
        LAND_AND_1984_SHOP.replace("acquired = \"1984-03-01\"", "acquired = \"1988-03-01\"");
    assert!(finding(&report(&later), "acrs_section1245_recovery_property").is_none());
    let residential = LAND_AND_1984_SHOP.replace(
        "additional_depreciation = \"50000\"",
        "additional_depreciation = \"50000\"\nproperty_class = \"residential\"",
    );
    assert!(finding(&report(&residential), "acrs_section1245_recovery_property").is_none());
}
