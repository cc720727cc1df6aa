//! The planner end to end: files in, strategies out.

use super::*;
use crate::oz::window::sale_window;
use crate::plan::{Overrides, resolve};
use crate::{Format, parse_exchange};
use jiff::civil::date;

const FAILED: &str = r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "a"
location = "CA"
acquired = "2012-01-01"
transferred = "2026-08-01"
sale_price = "1600000"
adjusted_basis = "600000"
depreciation_allowed = "300000"
section1245_depreciation = "50000"
"#;

fn ctx_plan(text: &str) -> Plan {
    let f = parse_exchange(text, Format::Toml).expect("file");
    let r = crate::analyze(&f, date(2026, 11, 25));
    let a = resolve(f.plan.as_ref(), &Overrides::default()).expect("assumptions");
    plan(&f, &r, &a).expect("plan")
}

#[test]
fn failed_view_is_a_taxable_sale() {
    let f = parse_exchange(FAILED, Format::Toml).expect("file");
    let r = failed_view(&f, date(2026, 11, 25));
    assert_eq!(r.gain.recognized, Decimal::from(1_000_000));
    assert_eq!(r.gain.ordinary_recapture, Decimal::from(50_000));
}

#[test]
fn nothing_identified_is_failed_and_recapture_stays_out_of_the_qof() {
    let p = ctx_plan(FAILED);
    assert_eq!(p.status, ExchangeStatus::Failed);
    assert_eq!(p.oz.eligible_gain_if_failed, Decimal::from(950_000));
    let q = p
        .strategies
        .iter()
        .find(|s| s.name == "failed_1031_gain_to_qof")
        .expect("strategy");
    assert_eq!(q.deferred, Decimal::from(950_000));
    assert_eq!(q.gain_recognized_now, Decimal::from(50_000));
    // 50,000 of recapture at 37% + 3.8%.
    assert_eq!(q.tax_now, Decimal::from(20_400));
    assert_eq!(q.recognition_date, Some(date(2032, 1, 1)));
}

/// Rules verified against Notice 2026-40 carry no "unverified" warning; the zone dates and
/// the one remaining caveat (Treas. Reg. §1.1400Z2(a)-1(b)(10)) are stated.
#[test]
fn verified_oz_rules_carry_no_unverified_warning() {
    let p = ctx_plan(FAILED);
    let codes: Vec<&str> = p.findings.iter().map(|f| f.code.as_ref()).collect();
    assert!(!codes.contains(&"oz_2027_regime_unverified"), "{codes:?}");
    assert!(!codes.contains(&"oz_zone_end_date_unverified"), "{codes:?}");
    let zones = p.findings.iter().find(|f| f.code == "oz_zone_dates");
    assert!(
        zones.is_some_and(|f| f.message.contains("2028-12-31")
            && f.message.contains("Puerto Rico through 2027-12-31")
            && f.message.contains("2036-12-31")),
        "{zones:?}"
    );
    let caveat = p
        .findings
        .iter()
        .find(|f| f.code == "oz_election_regulation_caveat");
    assert!(
        caveat.is_some_and(|f| f.message.contains("made before January 1, 2027")
            && f.authority.contains("(b)(10)")),
        "{caveat:?}"
    );
    let texts = p
        .findings
        .iter()
        .filter(|f| f.code != "oz_failed_1031_start_no_authority")
        .map(|f| format!("{} {}", f.message, f.authority))
        .chain(p.strategies.iter().flat_map(|s| s.notes.clone()))
        .chain(
            p.explanation
                .iter()
                .map(|s| format!("{} {}", s.step, s.authority)),
        );
    for t in texts {
        assert!(
            !t.contains("unverified") && !t.contains("unread") && !t.contains("not retrieved"),
            "{t}"
        );
        if t.contains("1400Z") || t.contains("QOF") {
            assert!(!t.contains("[U]"), "{t}");
        }
    }
    let q = p
        .strategies
        .iter()
        .find(|s| s.name == "failed_1031_gain_to_qof")
        .and_then(|s| s.qof.as_ref())
        .map(|q| q.forms.form_8949.clone());
    assert!(q.is_some_and(|r| r.code == "Z"
        && r.column_b == date(2027, 1, 1)
        && r.columns_c_to_e_blank
        && r.section_1231_row == "QOF INVESTMENT FROM FORM 4797"
        && r.section_1231_row_column_h == -r.column_g_adjustment));
}

/// Only the gain put in the QOF is deferred until the inclusion date: the §1031 part has
/// no end date and the rest of the boot's gain is taxed now.
#[test]
fn each_deferred_amount_is_labelled_with_its_own_treatment() {
    let text = include_str!("../../../../examples/seed000-boot-500k.toml")
        .replace("[plan]", "[plan]\nqof_amount = \"200000\"");
    let p = ctx_plan(&text);
    let s = p
        .strategies
        .iter()
        .find(|s| s.name == "partial_1031_boot_to_qof")
        .expect("strategy");
    assert_eq!(s.deferred, Decimal::from(900_000));
    assert_eq!(s.deferred_indefinitely, Decimal::from(700_000));
    assert_eq!(s.deferred_temporarily, Decimal::from(200_000));
    assert_eq!(s.recognition_date, Some(date(2032, 1, 1)));
    assert_eq!(
        s.deferred_label,
        "$700,000.00 deferred indefinitely under §1031; $200,000.00 invested in the QOF deferred until 2032-01-01; $300,000.00 taxed now"
    );
    let r = p.recommended.as_ref().expect("recommended");
    assert_eq!(r.strategy, "partial_1031_boot_to_qof");
    assert!(!r.reason.contains("$900,000.00 deferred"), "{}", r.reason);
    assert!(r.reason.contains(&s.deferred_label), "{}", r.reason);
    let f = p
        .strategies
        .iter()
        .find(|s| s.name == "failed_1031_gain_to_qof")
        .expect("strategy");
    assert_eq!(f.deferred_indefinitely, Decimal::ZERO);
    assert_eq!(f.deferred_temporarily, Decimal::from(200_000));
    assert!(
        f.deferred_label.ends_with("taxed now"),
        "{}",
        f.deferred_label
    );
    let c = p
        .strategies
        .iter()
        .find(|s| s.name == "complete_1031")
        .expect("strategy");
    assert_eq!(c.deferred_temporarily, Decimal::ZERO);
    assert_eq!(c.deferred_indefinitely, c.deferred);
}

#[test]
fn in_progress_before_day_45() {
    let p = ctx_plan(&FAILED.replace("2026-11-25", "2026-08-20"));
    assert_eq!(p.status, ExchangeStatus::InProgress);
    let dst = p
        .strategies
        .iter()
        .find(|s| s.name == "dst_fallback")
        .expect("dst");
    assert!(dst.eligible);
}

#[test]
fn choice_prefers_2027_inside_a_straddling_window() {
    let a = resolve(None, &Overrides::default()).expect("defaults");
    let f = parse_exchange(FAILED, Format::Toml).expect("file");
    let d = crate::timing::deadlines::compute(&f, &mut Trace::default(), &mut Default::default())
        .expect("deadlines");
    assert_eq!(d.first_transfer, date(2026, 8, 1));
    let c = Ctx {
        a: &a,
        rates: Rates::from(&a),
        as_of: date(2026, 11, 25),
        horizon_date: date(2036, 11, 25),
        equity: Decimal::ZERO,
        deadlines: &d,
        status: ExchangeStatus::Failed,
        transfer_long_term: true,
        year_end: YearEnd::CALENDAR,
    };
    let w = vec![sale_window("g", date(2026, 8, 1), &mut Trace::default())];
    let ch = choose(&w, &c, true).expect("open");
    assert_eq!((ch.from, ch.to), (date(2027, 1, 1), date(2027, 1, 27)));
    let w = vec![sale_window("g", date(2026, 5, 1), &mut Trace::default())];
    assert!(choose(&w, &c, true).is_none(), "closed on 2026-10-27");
}
