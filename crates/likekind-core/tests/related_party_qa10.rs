//! Exploratory QA pass 10, related parties: Rev. Rul. 2002-83. A taxpayer who "transfers
//! relinquished property to a qualified intermediary in exchange for replacement property
//! formerly owned by a related party is not entitled to nonrecognition treatment under section
//! 1031(a) of the Code if, as part of the transaction, the related party receives cash or other
//! non-like-kind property for the replacement property" (IRC §1031(f)(4)). The engine deferred
//! the whole gain and the planner recommended completing the exchange.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::Amount;
use likekind_core::amt;
use likekind_core::analyze::analyze;
use likekind_core::model::ExchangeFile;
use likekind_core::qualification::Outcome;
use likekind_core::report::Report;
use likekind_core::{Format, parse_exchange};

/// The ruling's facts (qa10/rp01): sold to an unrelated buyer through a QI, the replacement
/// bought from the taxpayer's sibling, who keeps the money; `extra` is added to
/// `[related_party]`.
fn report(extra: &str) -> Report {
    let text = format!(
        "{}{extra}\n",
        include_str!("qa10/rp01-rev-rul-2002-83.toml")
    );
    let f: ExchangeFile = parse_exchange(&text, Format::Toml)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into();
    analyze(&f, date(2026, 12, 7))
}

#[test]
fn a_related_seller_paid_through_the_intermediary_makes_a_sale() {
    let r = report("");
    let q = &r.qualification;
    assert_eq!(q.outcome, Outcome::TaxableSale, "{q:?}");
    assert!(!q.form_8824_filed);
    let why = q.exchange_reason.as_ref().expect("the reason");
    assert_eq!(why.code, "related_party_cash_out");
    assert!(why.authority.contains("§1031(f)(4)"), "{}", why.authority);
    assert!(
        why.authority.contains("Rev. Rul. 2002-83"),
        "{}",
        why.authority
    );
    assert!(why.text.contains("Pat Investor"), "{}", why.text);
    // The file does not say whether the sibling exchanged: the words say how to lift it.
    assert!(why.text.contains("exchange of its own"), "{}", why.text);
    assert!(why.text.contains("[U]"), "{}", why.text);
    assert_eq!(r.gain.realized, amt!(600000));
    assert_eq!(r.gain.recognized, amt!(600000));
    assert_eq!(r.gain.deferred, Amount::ZERO);
    // No Form 8824, so no Part II and no "complete Part II" warning.
    assert!(r.form_8824_part_ii.is_none());
    assert!(!r.findings.iter().any(|f| f.code == "related_party"));

    // Said plainly that the sibling was paid: the same verdict, without the [U] sentence.
    let r = report("sold_in_own_exchange = false");
    let why = r
        .qualification
        .exchange_reason
        .as_ref()
        .expect("the reason");
    assert_eq!(why.code, "related_party_cash_out");
    assert!(!why.text.contains("[U]"), "{}", why.text);
}

#[test]
fn a_related_seller_who_exchanged_in_turn_is_not_the_rulings_case() {
    let r = report("sold_in_own_exchange = true");
    let q = &r.qualification;
    assert_eq!(q.outcome, Outcome::Exchange, "{q:?}");
    assert!(q.exchange_reason.is_none());
    assert_eq!(r.gain.deferred, amt!(600000));
    // Still an exchange with a related party: Part II and its two-year rule.
    assert!(r.form_8824_part_ii.is_some());
    assert!(r.findings.iter().any(|f| f.code == "related_party"));
}

#[test]
fn a_swap_between_related_parties_stays_under_the_two_year_rule() {
    // Without `bought_relinquished = false` the related party took the property given up:
    // a swap, judged by §1031(f)(1)'s two years, not by the ruling.
    let text = include_str!("qa10/rp01-rev-rul-2002-83.toml")
        .replace("bought_relinquished = false", "bought_relinquished = true");
    let f: ExchangeFile = parse_exchange(&text, Format::Toml).unwrap().into();
    let r = analyze(&f, date(2026, 12, 7));
    assert_eq!(r.qualification.outcome, Outcome::Exchange);
    assert_eq!(r.gain.deferred, amt!(600000));
}

/// The planner follows the verdict: it no longer recommends completing an exchange the
/// ruling denies, and the buyer being unrelated, the failed exchange's gain may go into a
/// QOF (IRC §1400Z-2(a)(1): a sale to an unrelated person).
#[test]
fn the_plan_does_not_recommend_completing_it() {
    use likekind_core::plan::{Overrides, plan, resolve};
    let f = parse_exchange(include_str!("qa10/rp01-rev-rul-2002-83.toml"), Format::Toml).unwrap();
    let r = analyze(&f, date(2026, 12, 7));
    let a = resolve(f.plan.as_ref(), &Overrides::default()).expect("assumptions");
    let p = plan(&f, &r, &a).unwrap_or_else(|e| panic!("{e:?}"));
    let recommended = p.recommended.as_ref().map(|r| r.strategy.as_str());
    assert_ne!(recommended, Some("complete_1031"), "{p:#?}");
    let full = p
        .strategies
        .iter()
        .find(|s| s.name == "complete_1031")
        .expect("the complete exchange is listed");
    assert!(!full.eligible, "{}", full.eligibility);
}

/// QA10 5: the sibling sold within the two years, so the $60,000 deferred is taken into
/// account on Jun 1, 2027 (IRC §1031(f)(1)). The exchange year's lines stay as filed, but the
/// verdict's words no longer read as if the gain were still deferred.
#[test]
fn a_disposition_within_two_years_ends_the_deferral_in_the_verdict() {
    let f = parse_exchange(
        include_str!("../../../examples/related-party-early-disposition.toml"),
        Format::Toml,
    )
    .unwrap();
    let r = analyze(&f, date(2027, 7, 1));
    assert_eq!(r.gain.deferred, amt!(60000), "the 2026 line 24 as filed");
    let d = r
        .form_8824_part_ii
        .as_ref()
        .and_then(|p| p.disposition.as_ref())
        .expect("the disposition");
    assert_eq!(d.recognized, amt!(60000));
    let s = &r.qualification.summary;
    assert!(s.contains("The deferral has ended"), "{s}");
    assert!(s.contains("$60,000.00"), "{s}");
    assert!(s.contains("Jun 1, 2027"), "{s}");
    assert!(s.contains("§1031(f)(1)"), "{s}");
}
