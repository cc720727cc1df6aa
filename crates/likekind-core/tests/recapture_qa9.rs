//! QA pass 9 (D1): depreciation recapture measured property by property. Each test names the
//! authority it checks.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::analyze::analyze;
use likekind_core::model::ExchangeFile;
use likekind_core::report::Report;
use likekind_core::{Format, parse_exchange};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

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
    assert_eq!(l.line_19, dec!(780000));
    assert_eq!(l.line_21, Decimal::ZERO);
    assert_eq!(l.line_23, Decimal::ZERO);
    assert_eq!(l.line_24, dec!(780000));
    assert_eq!(l.line_25, dec!(520000));
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
    assert_eq!(l.line_19, dec!(820000));
    assert_eq!(l.line_21, dec!(20000));
    assert_eq!(l.line_23, dec!(20000));
    assert_eq!(l.line_24, dec!(800000));
    assert_eq!(l.line_25, dec!(540000));
    assert_eq!(r.character.section1245_recapture, dec!(20000));
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
    assert_eq!(l.line_19, dec!(710000));
    assert_eq!(l.line_21, dec!(10000));
    assert_eq!(l.line_23, dec!(10000));
    assert_eq!(l.line_24, dec!(700000));
    assert_eq!(l.line_25, dec!(260000));
    assert_eq!(r.character.section1250_recapture, dec!(10000));
    assert_eq!(r.gain.recognized + r.gain.deferred, r.gain.realized);
}
