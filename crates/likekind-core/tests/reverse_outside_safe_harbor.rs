//! QA12 D9: a reverse exchange outside the Rev. Proc. 2000-37 safe harbor is not an automatic
//! failure (Rev. Proc. 2000-37 §3.02: no inference outside it; Estate of Bartell v.
//! Commissioner, 147 T.C. 140 (2016)), so the verdict stands as entered, but with a caution
//! on the parked property and in the summary, as the vacation-home caution does.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::qualification::Outcome;
use likekind_core::{Format, analyze, parse_exchange};

const S18: &str = include_str!("qa12/s18_reverse_late.toml");

#[test]
fn outside_the_safe_harbor_the_summary_carries_a_caution() {
    let f = parse_exchange(S18, Format::Toml).unwrap_or_else(|e| panic!("{e:?}"));
    let r = analyze(&f, date(2026, 11, 25));
    let q = &r.qualification;
    assert_ne!(q.outcome, Outcome::TaxableSale, "{q:?}");
    assert!(q.summary.contains("Uncertain"), "{}", q.summary);
    assert!(q.summary.contains("Rev. Proc. 2000-37"), "{}", q.summary);
    assert!(q.summary.contains("Bartell"), "{}", q.summary);
    let c = q
        .received
        .iter()
        .find_map(|x| x.caution.as_ref())
        .expect("a caution on the parked replacement");
    assert_eq!(c.code, "reverse_outside_safe_harbor");
}

#[test]
fn inside_the_safe_harbor_no_caution() {
    let text = S18
        .replace(
            "eat_transferred_on = \"2026-09-15\"",
            "eat_transferred_on = \"2026-08-20\"",
        )
        .replace(
            "transferred = \"2026-09-15\"",
            "transferred = \"2026-08-20\"",
        )
        .replace("received = \"2026-09-15\"", "received = \"2026-08-20\"");
    let f = parse_exchange(&text, Format::Toml).unwrap_or_else(|e| panic!("{e:?}"));
    let r = analyze(&f, date(2026, 11, 25));
    let q = &r.qualification;
    assert!(!q.summary.contains("Uncertain"), "{}", q.summary);
    assert!(q.received.iter().all(|x| x.caution.is_none()));
}
