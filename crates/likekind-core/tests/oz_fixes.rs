//! Words and dates that once disagreed with the law or with the analysis of the same file:
//! the related-party window stretched by suspended days, the year of the QOF deferral, the
//! start of the 180 days from the funds' receipt, and the release of funds no intermediary held.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::{Date, date};
use likekind_core::analyze::analyze;
use likekind_core::model::ExchangeFile;
use likekind_core::oz::window::StartRule;
use likekind_core::plan::{Overrides, Plan, plan, resolve};
use likekind_core::report::Report;
use likekind_core::{Format, parse_exchange};

fn file(text: &str) -> ExchangeFile {
    parse_exchange(text, Format::Toml)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into()
}

fn report_on(text: &str, as_of: Date) -> Report {
    analyze(&file(text), as_of)
}

fn message<'r>(r: &'r Report, code: &str) -> Option<&'r str> {
    r.findings
        .iter()
        .find(|f| f.code == code)
        .map(|f| &*f.message)
}

const RELATED: &str = r#"
[exchange]
type = "simultaneous"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "oak"
location = "TX"
acquired = "2015-06-01"
transferred = "2026-02-01"
sale_price = "500000"
adjusted_basis = "440000"
[[replacement]]
id = "elm"
location = "TX"
received = "2026-02-01"
price = "500000"
[related_party]
name = "Pat"
relationship = "sibling"
disposed_on = "2028-02-01"
disposed_by = "related_party"
"#;

/// IRC §1031(f)(1)(C), (g): the window ends two years after the last transfer, pushed later by
/// the days the running of the period is suspended; the words say so when there are any, and
/// say the rule when none are recorded (QA: the finding left §1031(g) out then, while the
/// Form 8824 page said it).
#[test]
fn related_party_window_names_the_suspended_days() {
    let r = report_on(&format!("{RELATED}suspended_days = 30\n"), date(2027, 7, 1));
    for code in ["related_party", "related_party_disposition"] {
        let m = message(&r, code).unwrap_or_else(|| panic!("{code}"));
        assert!(m.contains("2028-03-02"), "{m}");
        assert!(
            m.contains("plus 30 days during which the running of the period was suspended"),
            "{m}"
        );
        assert!(
            !m.contains("the date two years after the last transfer"),
            "{m}"
        );
    }
    let plain = report_on(RELATED, date(2027, 7, 1));
    let m = message(&plain, "related_party").expect("finding");
    assert!(
        m.contains("before 2028-02-01 (the date two years after the last transfer, 2026-02-01;"),
        "{m}"
    );
    assert!(
        m.contains("no days are recorded during which the running of the period was suspended because the holder's risk of loss was substantially diminished"),
        "{m}"
    );
    assert!(m.contains("§1031(g)"), "{m}");
    assert!(!m.contains("plus 0 days"), "{m}");
}

const SWAP_WITH_CASH: &str = r#"
[exchange]
type = "simultaneous"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "oak"
location = "TX"
acquired = "2015-06-01"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "300000"
[[replacement]]
id = "elm"
location = "TX"
received = "2026-03-02"
price = "800000"
"#;

/// Treas. Reg. §1.1031(k)-1(g)(3)-(4), (g)(6): only funds an intermediary holds are released.
/// A simultaneous swap with cash and no intermediary has no release date to ask for; the same
/// exchange through a QI still does.
#[test]
fn no_intermediary_no_release_date_asked_for() {
    let swap = report_on(SWAP_WITH_CASH, date(2026, 12, 6));
    assert!(swap.recognition_years.is_some(), "cash came back");
    assert_eq!(message(&swap, "funds_release_date_inferred"), None);
    let held = SWAP_WITH_CASH.replace("[taxpayer]", "qualified_intermediary = false\n[taxpayer]");
    let held = report_on(&held.replace("simultaneous", "delayed"), date(2026, 12, 6));
    assert_eq!(message(&held, "funds_release_date_inferred"), None);
    let qi = report_on(
        &SWAP_WITH_CASH.replace("simultaneous", "delayed"),
        date(2026, 12, 6),
    );
    let m = message(&qi, "funds_release_date_inferred").expect("a QI held the funds");
    assert!(
        m.starts_with("The date the intermediary released the funds"),
        "{m}"
    );
}

const STRADDLE: &str = include_str!("../../../examples/special-straddle.toml");

fn plan_on(text: &str, as_of: Date) -> (Report, Plan) {
    let f = file(text);
    let r = analyze(&f, as_of);
    let a = resolve(f.plan.as_ref(), &Overrides::default()).expect("assumptions");
    let p = plan(&f, &r, &a).expect("plan");
    (r, p)
}

/// The failed straddle (sold 2026-10-30, exchange period ending 2027-04-28): the funds count
/// as received at the end of the exchange period (Treas. Reg. §1.1031(k)-1(j)(2)(iii)(B)), the
/// analysis's date, and that day is day 1 of the 180 (IRC §1400Z-2(a)(1)(A); Treas. Reg.
/// §1.1400Z2(a)-1(b)(7)(i)): 2027-04-28 to 2027-10-24, the shared vector's last day. A
/// release after the period (2027-05-10) changes neither; one inside it moves both.
#[test]
fn the_window_from_the_funds_starts_where_the_analysis_receives_them() {
    let cases = [
        ("2027-04-28", date(2027, 4, 28), date(2027, 10, 24)),
        ("2027-05-10", date(2027, 4, 28), date(2027, 10, 24)),
        ("2027-02-01", date(2027, 2, 1), date(2027, 7, 30)),
    ];
    for (released, start, end) in cases {
        let text = STRADDLE.replace(
            "funds_released_on = \"2027-04-28\"",
            &format!("funds_released_on = \"{released}\""),
        );
        assert!(text.contains(released));
        let (r, p) = plan_on(&text, date(2027, 5, 1));
        let received = r.recognition_years.as_ref().expect("years").received_on;
        assert_eq!(received, start, "{released}");
        let w =
            p.oz.windows
                .iter()
                .find(|w| w.start_rule == StartRule::ExchangeFundsReleased)
                .unwrap_or_else(|| panic!("{released}: {:?}", p.oz.windows));
        assert_eq!((w.start, w.end), (start, end), "{released}");
        let inst = p
            .strategies
            .iter()
            .find(|s| s.name == "installment_sale")
            .expect("installment");
        assert_eq!(inst.recognition_date, Some(start), "{released}");
    }
}

/// Under the installment rule of Treas. Reg. §1.1031(k)-1(j)(2) the analysis reports the gain
/// in 2027, not in the 2026 year of the sale: the deferral election (Form 8949, code Z) is
/// made on the return of the year the gain is recognized, 2027. Without the bona fide intent
/// the analysis keeps the gain in 2026, and so does the election.
#[test]
fn the_deferral_election_is_on_the_return_of_the_year_of_recognition() {
    let year = |text: &str| {
        let (r, p) = plan_on(text, date(2027, 5, 1));
        let q = p
            .strategies
            .iter()
            .find(|s| s.name == "failed_1031_gain_to_qof")
            .and_then(|s| s.qof.clone())
            .expect("a QOF path");
        let reported: Vec<i16> = r
            .recognition_years
            .expect("years")
            .years
            .iter()
            .filter(|y| !y.gain.is_zero())
            .map(|y| y.tax_year)
            .collect();
        (q.forms.form_8949.tax_year, reported)
    };
    assert_eq!(year(STRADDLE), (2027, vec![2027]));
    let no_intent = STRADDLE.replace("bona_fide_intent = true", "bona_fide_intent = false");
    assert_eq!(year(&no_intent), (2026, vec![2026]));
}

fn finding_of<'p>(p: &'p Plan, code: &str) -> &'p str {
    p.findings
        .iter()
        .find(|f| f.code == code)
        .map(|f| &*f.message)
        .unwrap_or_else(|| panic!("{code}"))
}

/// The amended QOF rules apply by the investment date whatever the year of the gain (P.L.
/// 119-21 §70421(c)(5)(A); Notice 2026-40 §4.02(2)): the words name the year of the sale and
/// the year the gain is recognized (Treas. Reg. §1.1031(k)-1(j)(2)), never a fixed year.
#[test]
fn the_2027_regime_words_follow_the_years_of_the_sale_and_the_gain() {
    let sold_2025 = STRADDLE
        .replace("2026-10-30", "2025-10-30")
        .replace("2027-04-28", "2026-04-28")
        .replace("2026-11-20", "2025-11-20");
    let (r, p) = plan_on(&sold_2025, date(2026, 11, 1));
    assert_eq!(
        r.recognition_years.as_ref().expect("years").years[1].tax_year,
        2026
    );
    let m = finding_of(&p, "oz_2027_regime");
    assert!(
        m.contains("(5-year deferral, 10% or 30% step-up, 30-year basis cap), even for the gain of this 2025 sale, recognized in 2026:"),
        "{m}"
    );
    let (_, p) = plan_on(STRADDLE, date(2027, 5, 1));
    let m = finding_of(&p, "oz_2027_regime");
    assert!(
        m.contains("here for the gain of this 2026 sale, recognized in 2027:")
            && !m.contains("even"),
        "{m}"
    );
}
