//! QA12 D2: a related party's disposition within two years ends the deferral. "Any gain or
//! loss recognized by reason of this paragraph shall be taken into account as of the date on
//! which the disposition ... occurs" (IRC §1031(f)(1)); the Instructions for Form 8824, Part
//! II, report the deferred gain "as if the exchange had been a sale". The year figures list
//! it in the year of the disposition with its unrecaptured §1250 gain, the character section
//! no longer carries that gain into the replacement, and the plan does not call it deferred
//! indefinitely or erased at death.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::amount::Amount;
use likekind_core::amt;
use likekind_core::plan::{Overrides, plan, resolve};
use likekind_core::{Format, analyze, parse_exchange};

const S07: &str = include_str!("qa12/s07_related_disposed.toml");

#[test]
fn the_gain_of_a_disposition_within_two_years_is_taken_into_account_in_its_year() {
    let f = parse_exchange(S07, Format::Toml).unwrap_or_else(|e| panic!("{e:?}"));
    let r = analyze(&f, date(2027, 6, 1));
    // The exchange year as filed.
    assert_eq!(r.gain.recognized, amt!(120000));
    assert_eq!(r.gain.deferred, amt!(450000));
    let years = &r
        .recognition_years
        .as_ref()
        .expect("recognition years")
        .years;
    let y2026 = years.iter().find(|y| y.tax_year == 2026).expect("2026");
    assert_eq!(y2026.gain, amt!(120000));
    // The disposition's year: the $450,000 deferred, $80,000 of it unrecaptured §1250 gain.
    let y2027 = years.iter().find(|y| y.tax_year == 2027).expect("2027");
    assert_eq!(y2027.gain, amt!(450000));
    assert_eq!(y2027.unrecaptured_1250, amt!(80000));
    assert_eq!(y2027.recapture_income, Amount::ZERO);
    assert!(
        y2027.reported_on.contains("§1031(f)(1)"),
        "{}",
        y2027.reported_on
    );
    // The basis question is open and said so.
    assert!(y2027.reported_on.contains("[U]"), "{}", y2027.reported_on);
    assert_eq!(
        r.character.unrecaptured_1250_carried_to_replacement,
        Amount::ZERO
    );
    assert!(
        r.character
            .routing
            .iter()
            .any(|x| x.amount == amt!(80000) && x.what.contains("2027-05-01"))
    );

    let a = resolve(f.plan.as_ref(), &Overrides::default()).expect("assumptions");
    let p = plan(&f, &r, &a).unwrap_or_else(|e| panic!("{e:?}"));
    for name in ["partial_1031_as_entered"] {
        let s = p.strategies.iter().find(|s| s.name == name).expect(name);
        assert_eq!(s.recognition_date, Some(date(2027, 5, 1)), "{name}");
        assert_ne!(s.deferral, "indefinite", "{name}");
        assert!(
            !s.deferred_label.contains("indefinitely"),
            "{}",
            s.deferred_label
        );
        assert!(
            s.deferred_label.contains("§1031(f)(1)"),
            "{}",
            s.deferred_label
        );
        for n in &s.notes {
            assert!(!n.contains("erased at death"), "{n}");
        }
        assert!(
            s.notes.iter().any(|n| n.contains("§1031(f)(1)")),
            "{:?}",
            s.notes
        );
        // 370,000 × 23.8% + 80,000 × 28.8% at the plan's default rates.
        assert_eq!(s.tax_when_deferral_ends, amt!(111100.00));
    }
    if let Some(rec) = &p.recommended {
        assert!(!rec.reason.contains("indefinitely"), "{}", rec.reason);
    }
}

#[test]
fn without_a_disposition_the_deferral_stays_indefinite() {
    let text = S07
        .replace("disposed_on = \"2027-05-01\"\n", "")
        .replace("disposed_by = \"related_party\"\n", "");
    let f = parse_exchange(&text, Format::Toml).unwrap_or_else(|e| panic!("{e:?}"));
    let r = analyze(&f, date(2027, 6, 1));
    let years = &r
        .recognition_years
        .as_ref()
        .expect("recognition years")
        .years;
    assert!(years.iter().all(|y| y.tax_year == 2026), "{years:?}");
    assert_eq!(
        r.character.unrecaptured_1250_carried_to_replacement,
        amt!(80000)
    );
}
