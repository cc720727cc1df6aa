//! QA pass 9, D15: a §1250 building held one year or less, whose depreciation is all
//! "additional depreciation" (IRC §1250(b)(1)), recaptured on line 21 within §1250(d)(4), the
//! rest carried into the replacement as additional depreciation; and where line 22 goes when
//! such a building's part of it is all recapture. Each test names the authority it checks.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::Amount;
use likekind_core::amt;
use likekind_core::analyze::analyze;
use likekind_core::model::ExchangeFile;
use likekind_core::report::Report;
use likekind_core::{Format, parse_exchange};

/// Three given up (a rental held long, land, a rental house held 244 days with 5,000 of
/// depreciation), one office tower received (800,000 of building), 100,000 of cash back.
const T04: &str = include_str!("qa9/t04-three-given-boot-character.toml");
/// The same with every `cash_received` given as 0: the 100,000 left with the intermediary is
/// a gap (`unbalanced_exchange`), nothing is recognized and line 22 is zero.
const T14: &str = include_str!("qa9/t14-unbalanced-all-cash-given.toml");

fn report(text: &str) -> Report {
    let f: ExchangeFile = parse_exchange(text, Format::Toml)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into();
    analyze(&f, date(2026, 12, 7))
}

fn part(r: &Report, id: &str) -> Amount {
    r.character
        .line_22_by_property
        .iter()
        .filter(|s| s.property.as_str() == id)
        .map(|s| s.amount)
        .sum()
}

/// IRC §1250(b)(1): the flip was held 244 days, so all its 5,000 of depreciation is additional
/// depreciation. §1250(d)(4)(A): in the exchange its recapture is the larger of the gain
/// recognized on it (its share of line 20, 100,000 × 10,000 / 510,000 = 1,960.78) and the
/// additional depreciation less the 800,000 of §1250 property received (none): 1,960.78 on
/// line 21. The other 3,039.22 stays with the tower as additional depreciation, not as
/// unrecaptured §1250 gain; the flip has no part left in line 22, and the other two keep
/// theirs (QA9 t04).
#[test]
fn a_building_held_a_year_or_less_recaptures_all_its_depreciation() {
    let r = report(T04);
    let l = &r.form_8824;
    assert_eq!(l.line_20, amt!(100000));
    assert_eq!(l.line_21, amt!(1960.78));
    assert_eq!(l.line_22, amt!(98039.22));
    assert_eq!(l.line_23, amt!(100000));
    assert_eq!(l.line_24, amt!(410000));
    assert_eq!(l.line_25, amt!(595000));
    let c = &r.character;
    assert_eq!(c.section1250_recapture, amt!(1960.78));
    assert_eq!(c.section1245_recapture, amt!(0));
    assert_eq!(c.form_4797_line_16, amt!(1960.78));
    assert_eq!(r.gain.ordinary_recapture, amt!(1960.78));
    // The flip's additional depreciation not recaptured is carried as such.
    assert_eq!(
        c.additional_depreciation_carried_to_replacement,
        amt!(3039.22)
    );
    // Only the rental's straight-line depreciation is unrecaptured §1250 gain: 100,000 less
    // the 39,215.69 recognized in its part of line 22.
    assert_eq!(c.unrecaptured_1250_carried_to_replacement, amt!(60784.31));
    assert_eq!(r.gain.unrecaptured_1250_deferred, amt!(60784.31));
    assert_eq!(r.gain.unrecaptured_1250, amt!(39215.69));
    assert_eq!(c.unrecaptured_1250_recognized, amt!(39215.69));
    // Line 22 split: the flip's share of line 20 is all recapture.
    assert_eq!(part(&r, "rental"), amt!(39215.69));
    assert_eq!(part(&r, "land"), amt!(58823.53));
    assert_eq!(part(&r, "flip"), amt!(0));
    assert!(
        !c.line_22_reported_on.contains("flip"),
        "{}",
        c.line_22_reported_on
    );
    assert!(
        c.line_22_reported_on
            .starts_with("Split by property given up"),
        "{}",
        c.line_22_reported_on
    );
    // The flip's ordinary income is what it was (its share of the recognized gain), now on
    // line 21 instead of Form 4797 Part II.
    assert!(
        !c.routing
            .iter()
            .any(|x| x.reported_on.contains("Part II:") && x.amount > Amount::ZERO),
        "{:?}",
        c.routing
    );
    let step = r
        .explanation
        .iter()
        .find(|s| s.key == "recapture.section1250")
        .expect("a §1250 step");
    assert!(
        step.authority
            .contains("IRC §1250(a)(1)(A), (b)(1), (d)(4)"),
        "{}",
        step.authority
    );
    assert!(step.step.contains("one year or less"), "{}", step.step);
}

/// IRC §1250(b)(1): held more than one year, the same house's depreciation is straight line
/// (no additional depreciation given): nothing on line 21, and its 5,000 stays unrecaptured
/// §1250 gain (less the 1,960.78 its long-term part of line 22 recognizes).
#[test]
fn the_same_building_held_longer_has_no_additional_depreciation() {
    let r = report(&T04.replace("2025-07-01", "2020-07-01"));
    let l = &r.form_8824;
    assert_eq!(l.line_21, amt!(0));
    assert_eq!(l.line_22, amt!(100000));
    assert_eq!(part(&r, "flip"), amt!(1960.78));
    assert_eq!(
        r.character.additional_depreciation_carried_to_replacement,
        amt!(0)
    );
    assert_eq!(
        r.character.unrecaptured_1250_carried_to_replacement,
        amt!(105000) - amt!(39215.69) - amt!(1960.78)
    );
}

/// IRC §1250(b)(1), (d)(4): nothing recognized (the 100,000 left with the intermediary is a
/// gap, not cash received), so nothing is recaptured; the flip's 5,000 is carried into the
/// tower as additional depreciation, and only the rental's 100,000 as unrecaptured §1250 gain
/// (QA9 t14).
#[test]
fn with_nothing_recognized_the_short_held_depreciation_is_carried_as_additional() {
    let r = report(T14);
    let l = &r.form_8824;
    assert_eq!(l.line_20, amt!(0));
    assert_eq!(l.line_21, amt!(0));
    assert_eq!(l.line_22, amt!(0));
    let c = &r.character;
    assert_eq!(c.additional_depreciation_carried_to_replacement, amt!(5000));
    assert_eq!(c.unrecaptured_1250_carried_to_replacement, amt!(100000));
    assert_eq!(r.gain.unrecaptured_1250_deferred, amt!(100000));
    assert!(r.findings.iter().any(|f| f.code == "unbalanced_exchange"));
}

/// Instructions for Form 8824, line 22; IRC §§1222, 1231(b): when the short-held house's part
/// of line 20 is all recapture, line 22 is all the rental's, held long: it goes to Form 4797
/// Part I, not to Part II as the destination chosen over every property given up (one held a
/// year or less) said.
#[test]
fn line_22_goes_where_the_rental_s_part_goes_when_the_flip_s_is_all_recapture() {
    // The land left out: the rental (gain 200,000) and the flip (gain 10,000); 505,000 of
    // tower, so 100,000 comes back.
    let text = T04
        .replace(
            "[[relinquished]]\nid = \"land\"\ndescription = \"Investment land, 20 B Rd\"\nlocation = \"TX\"\nuse = \"investment\"\nacquired = \"2008-01-05\"\ntransferred = \"2026-03-02\"\nsale_price = \"500000\"\nadjusted_basis = \"200000\"\n",
            "",
        )
        .replace("\"1005000\"", "\"505000\"");
    assert!(!text.contains("\"land\""), "the land is left out");
    let r = report(&text);
    let l = &r.form_8824;
    assert_eq!(l.line_20, amt!(100000));
    // The flip's share of line 20: 100,000 × 10,000 / 210,000.
    assert_eq!(l.line_21, amt!(4761.90));
    assert_eq!(l.line_22, amt!(95238.10));
    let c = &r.character;
    assert!(
        c.line_22_by_property.is_empty(),
        "{:?}",
        c.line_22_by_property
    );
    assert_eq!(
        c.line_22_reported_on,
        "Form 4797, Part I (line 5): §1231 gain"
    );
    assert_eq!(r.gain.line_22_reported_on, c.line_22_reported_on);
    assert_eq!(r.gain.unrecaptured_1250, amt!(95238.10));
}

/// The order of the properties given up does not change where line 22 goes: with the flip
/// (whose part is nil) listed first, line 22 still goes to one place.
#[test]
fn a_nil_first_part_does_not_split_line_22() {
    let flip_first = {
        let text = T04.replace(
            "[[relinquished]]\nid = \"land\"\ndescription = \"Investment land, 20 B Rd\"\nlocation = \"TX\"\nuse = \"investment\"\nacquired = \"2008-01-05\"\ntransferred = \"2026-03-02\"\nsale_price = \"500000\"\nadjusted_basis = \"200000\"\n",
            "",
        );
        let rental_at = text
            .find("[[relinquished]]\nid = \"rental\"")
            .expect("rental");
        let flip_at = text.find("[[relinquished]]\nid = \"flip\"").expect("flip");
        let ident_at = text.find("[[identified]]").expect("identified");
        let rental = &text[rental_at..flip_at];
        let flip = &text[flip_at..ident_at];
        format!(
            "{}{}\n{}{}",
            &text[..rental_at],
            flip,
            rental,
            &text[ident_at..]
        )
        .replace("\"1005000\"", "\"505000\"")
    };
    let r = report(&flip_first);
    assert_eq!(r.form_8824.line_21, amt!(4761.90));
    let c = &r.character;
    assert!(
        c.line_22_by_property.is_empty(),
        "{:?}",
        c.line_22_by_property
    );
    assert_eq!(
        c.line_22_reported_on,
        "Form 4797, Part I (line 5): §1231 gain"
    );
}

/// IRC §1250(b)(1), (d)(4)(A): one building held ten months, 12,000 of depreciation and
/// 50,000 of cash back: all its depreciation is recaptured on line 21 (the gain recognized,
/// 50,000, is more than it), and the rest of the gain is Form 4797 Part II ordinary gain.
#[test]
fn one_building_held_ten_months_recaptures_its_depreciation_up_to_the_gain_recognized() {
    let text = r#"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "duplex"
use = "business"
location = "TX"
acquired = "2025-05-01"
transferred = "2026-03-02"
sale_price = "500000"
adjusted_basis = "300000"
depreciation_allowed = "12000"
[[identified]]
id = "x"
fmv = "450000"
identified_on = "2026-04-01"
[[replacement]]
id = "x"
location = "TX"
received = "2026-06-01"
price = "450000"
land_value = "100000"
"#;
    let r = report(text);
    assert_eq!(r.form_8824.line_21, amt!(12000));
    assert_eq!(r.form_8824.line_22, amt!(38000));
    assert!(r.character.line_22_reported_on.contains("Part II"));
    assert_eq!(
        r.character.additional_depreciation_carried_to_replacement,
        amt!(0)
    );
    // 5,000 of cash: 5,000 recaptured, 7,000 carried as additional depreciation.
    let r = report(&text.replace("\"450000\"", "\"495000\""));
    assert_eq!(r.form_8824.line_21, amt!(5000));
    assert_eq!(r.form_8824.line_22, amt!(0));
    assert_eq!(
        r.character.additional_depreciation_carried_to_replacement,
        amt!(7000)
    );
    assert_eq!(r.gain.unrecaptured_1250_deferred, amt!(0));
    assert!(r.character.line_22_reported_on.starts_with("nothing"));
}

/// IRC §1250(b)(1) overrides the file: the flip's `additional_depreciation` is not entered
/// (0), yet all its 5,000 of depreciation is additional depreciation. The report says so in an
/// information finding at that field, naming the figure it uses; a property held longer gets
/// none.
#[test]
fn the_override_of_the_file_is_said() {
    let r = report(T04);
    let said: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == "short_held_depreciation_all_additional")
        .collect();
    assert_eq!(said.len(), 1, "{said:?}");
    let f = said[0];
    assert!(f.message.contains("$5,000.00"), "{}", f.message);
    assert!(f.message.contains("held one year or less"), "{}", f.message);
    assert!(f.authority.contains("§1250(b)(1)"), "{}", f.authority);
    assert!(
        f.path
            .as_deref()
            .is_some_and(|p| p.ends_with(".additional_depreciation")),
        "{:?}",
        f.path
    );
}
