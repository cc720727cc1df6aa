//! QA12 D5 and D8: no advice that cannot be followed. Once nothing validly identified is
//! left at the end of the identification period, no receipt defers any gain (IRC
//! §1031(a)(3)(A); Treas. Reg. §1.1031(k)-1(c)(1)), so "acquire identified replacement
//! property ... to defer more" is not said. A deadline already past, or one of an exchange
//! settled as failed, gets no "file the extension by" or "act by" advice.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::{Date, date};
use likekind_core::report::Report;
use likekind_core::{Format, analyze, parse_exchange};

const SEED000: &str = include_str!("../../../examples/seed000-failed-1m.toml");
const S01: &str = include_str!("qa12/s01_id_late.toml");
const S04: &str = include_str!("qa12/s04_due_date_cut.toml");

fn report(text: &str, as_of: Date) -> Report {
    let f = parse_exchange(text, Format::Toml).unwrap_or_else(|e| panic!("{e:?}"));
    analyze(&f, as_of)
}

fn messages<'r>(r: &'r Report, code: &str) -> Vec<&'r str> {
    r.findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.message.as_ref())
        .collect()
}

#[test]
fn no_acquire_advice_once_the_identification_has_failed() {
    for (text, as_of) in [(SEED000, date(2026, 11, 25)), (S01, date(2026, 5, 1))] {
        let r = report(text, as_of);
        assert!(r.qualification.settled, "{:?}", r.qualification);
        assert!(
            r.findings
                .iter()
                .any(|f| f.code == "identification_invalid")
        );
        let advice: Vec<&str> = r
            .findings
            .iter()
            .map(|f| f.message.as_ref())
            .filter(|m: &&str| m.contains("to defer more"))
            .collect();
        assert!(advice.is_empty(), "{advice:?}");
        assert!(messages(&r, "exchange_in_progress").is_empty());
    }
}

#[test]
fn no_extension_advice_after_the_due_date_has_passed() {
    // Before the due date: file the extension by then.
    let r = report(S04, date(2026, 11, 25));
    let cut = messages(&r, "exchange_period_cut_by_return_due_date");
    assert!(
        cut.iter()
            .any(|m| m.contains("File the extension (Form 4868) by 2027-04-15")),
        "{cut:?}"
    );
    // After it: no advice to do what can no longer be done.
    let r = report(S04, date(2027, 5, 10));
    let cut = messages(&r, "exchange_period_cut_by_return_due_date");
    assert_eq!(cut.len(), 1, "{cut:?}");
    assert!(!cut[0].contains("File the extension"), "{}", cut[0]);
    assert!(cut[0].contains("the due date has passed"), "{}", cut[0]);
}

#[test]
fn no_weekend_advice_on_a_deadline_past_or_an_exchange_failed() {
    // Day 180 (2026-08-29) is a Saturday; the identification failed months before.
    let r = report(S01, date(2026, 11, 25));
    let weekend = messages(&r, "deadline_on_weekend_or_holiday");
    assert!(weekend.is_empty(), "{weekend:?}");
    // Failed on day 46, day 180 still ahead: nothing to act on by it.
    let r = report(S01, date(2026, 5, 1));
    let weekend = messages(&r, "deadline_on_weekend_or_holiday");
    assert!(weekend.is_empty(), "{weekend:?}");
}
