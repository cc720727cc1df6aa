//! Related-party exchanges (§1031(f)): the two-year window from the last
//! transfer, the exceptions, and the deferred gain recognized in the year of a disqualifying
//! disposition (reported on Form 8824 Part II, `gain::form8824::part_ii`).
//!
//! The rule exists so that related parties cannot swap basis and cash out the low-basis
//! property without tax; the window runs from the LAST transfer in the exchange.

use crate::amount::Amount;
use crate::law::cite;
use crate::model::RelatedPartyException;
use crate::money::serialize_money;
use crate::timing::calendar::{add_days, add_months};
use jiff::civil::Date;
use serde::Serialize;

pub(crate) const F_AUTH: &str = cite!(IRC_1031 "(f)(1)-(2)"; FORM_8824 ", Part II");

/// Relationships of §267(b) and §707(b)(1) the exchange file accepts, with the paragraph.
/// Ownership tests are "more than 50 percent", with §267(c) constructive ownership [P-mem].
pub const RELATIONSHIPS: &[(&str, &str)] = &[
    (
        "sibling",
        "§267(b)(1), (c)(4): brother or sister, whole or half blood",
    ),
    ("brother", "§267(b)(1), (c)(4)"),
    ("sister", "§267(b)(1), (c)(4)"),
    ("half_sibling", "§267(b)(1), (c)(4)"),
    ("spouse", "§267(b)(1), (c)(4)"),
    ("parent", "§267(b)(1), (c)(4): ancestor"),
    ("grandparent", "§267(b)(1), (c)(4): ancestor"),
    ("ancestor", "§267(b)(1), (c)(4)"),
    ("child", "§267(b)(1), (c)(4): lineal descendant"),
    ("grandchild", "§267(b)(1), (c)(4): lineal descendant"),
    ("lineal_descendant", "§267(b)(1), (c)(4)"),
    (
        "corporation_over_50pct",
        "§267(b)(2): an individual and a corporation more than 50% owned by or for them",
    ),
    (
        "controlled_group_corporations",
        "§267(b)(3): two corporations in the same controlled group",
    ),
    (
        "grantor_and_fiduciary",
        "§267(b)(4): a grantor and a fiduciary of a trust",
    ),
    (
        "fiduciaries_same_grantor",
        "§267(b)(5): fiduciaries of two trusts with the same grantor",
    ),
    (
        "fiduciary_and_beneficiary",
        "§267(b)(6): a fiduciary and a beneficiary of the same trust",
    ),
    (
        "fiduciary_and_beneficiary_other_trust",
        "§267(b)(7): a fiduciary of one trust and a beneficiary of another with the same grantor",
    ),
    (
        "fiduciary_and_controlled_corporation",
        "§267(b)(8): a fiduciary and a corporation more than 50% owned by the trust or grantor",
    ),
    (
        "exempt_organization_controlled",
        "§267(b)(9): a person and a §501 organization controlled by them or their family",
    ),
    (
        "corporation_and_partnership_same_owners",
        "§267(b)(10): a corporation and a partnership both more than 50% owned by the same persons",
    ),
    (
        "s_corporations_same_owners",
        "§267(b)(11): two S corporations more than 50% owned by the same persons",
    ),
    (
        "s_and_c_corporation_same_owners",
        "§267(b)(12): an S and a C corporation more than 50% owned by the same persons",
    ),
    (
        "executor_and_beneficiary",
        "§267(b)(13): an executor and a beneficiary of an estate (except a pecuniary bequest)",
    ),
    (
        "partnership_and_partner_over_50pct",
        "§707(b)(1)(A): a partnership and a partner owning more than 50% of capital or profits",
    ),
    (
        "partnerships_same_owners_over_50pct",
        "§707(b)(1)(B): two partnerships more than 50% owned by the same persons",
    ),
];

/// Family members §267(c)(4) leaves out: naming them is a contradiction, not a relationship.
const NOT_RELATED: &[&str] = &[
    "in_law", "aunt", "uncle", "niece", "nephew", "cousin", "step", "friend",
];

/// Normalises `"Half-Sibling"` to `half_sibling`.
fn normalise(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace([' ', '-'], "_")
}

/// Checks a relationship against §267(b) / §707(b)(1) and returns its paragraph.
///
/// # Errors
/// A message naming the allowed values, or saying why the relation is not a related party.
pub fn relationship(s: &str) -> Result<&'static str, String> {
    let n = normalise(s);
    if let Some((_, cite)) = RELATIONSHIPS.iter().find(|(k, _)| *k == n) {
        return Ok(cite);
    }
    if let Some(x) = NOT_RELATED.iter().find(|x| n.contains(*x)) {
        return Err(format!(
            "{s:?} ({x}) is not a related person under §267(b)/(c)(4) or §707(b)(1): the family is only brothers and sisters, spouse, ancestors and lineal descendants. Remove [related_party] if there is no other relationship (e.g. ownership of more than 50%)."
        ));
    }
    Err(format!(
        "{s:?} is not a §267(b) / §707(b)(1) relationship; use one of: {}",
        RELATIONSHIPS
            .iter()
            .map(|(k, _)| *k)
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The §1031(g) rule in a sentence, for wherever the two-year related-party period is told:
/// the period does not run while the holder's risk of loss is substantially diminished, so
/// those days extend it (what [`two_year_end`] adds as the suspended days).
pub const SUSPENSION: &str = "The two-year period is suspended (extended) for any time during which the holder's risk of loss on the property is substantially diminished, for example by a put, another person's right to acquire the property, or a short sale (IRC §1031(g)).";

/// "The date 2 years after the date of the last transfer" (§1031(f)(1)(C)), extended by the
/// days the holder's risk of loss was substantially diminished (§1031(g)).
///
/// Only a disposition *before* this date is inside the window: a disposition on this very day
/// is not "before the date 2 years after" the last transfer and does not trigger recognition.
pub fn two_year_end(last_transfer: Date, suspended_days: u32) -> Date {
    add_days(
        add_months(last_transfer, 24),
        i32::try_from(suspended_days).unwrap_or(i32::MAX),
    )
}

/// What a disposition does to the deferred gain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DispositionOutcome {
    pub two_year_end: Date,
    /// The disposition falls in the window (strictly before `two_year_end`, §1031(f)(1)(C)).
    pub within_two_years: bool,
    /// A §1031(f)(2) exception applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception: Option<RelatedPartyException>,
    /// Deferred gain (or loss) taken into account on the disposition date.
    #[serde(serialize_with = "serialize_money")]
    pub recognized: Amount,
    /// The date the gain is taken into account (its tax year is the year of recognition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recognized_on: Option<Date>,
}

/// Applies §1031(f)(1)-(2): a disposition by either party within the window, without an
/// exception, makes the gain not recognized in the exchange taken into account on the date
/// of the disposition (not by amending the exchange year).
pub fn disposition(
    deferred: Amount,
    last_transfer: Date,
    suspended_days: u32,
    disposed_on: Option<Date>,
    exception: Option<RelatedPartyException>,
) -> DispositionOutcome {
    let end = two_year_end(last_transfer, suspended_days);
    let within = disposed_on.is_some_and(|d| d < end);
    let taxed = within && exception.is_none();
    DispositionOutcome {
        two_year_end: end,
        within_two_years: within,
        exception: if within { exception } else { None },
        recognized: if taxed { deferred } else { Amount::ZERO },
        recognized_on: if taxed { disposed_on } else { None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;
    use jiff::civil::date;

    #[test]
    fn window_ends_before_the_date_two_years_after_the_last_transfer() {
        assert_eq!(two_year_end(date(2026, 2, 1), 0), date(2028, 2, 1));
        assert_eq!(two_year_end(date(2026, 2, 1), 10), date(2028, 2, 11));
        let at = |d| disposition(amt!(60000), date(2026, 2, 1), 0, Some(d), None);
        // The day before the date 2 years after: inside, the deferred gain is recognized.
        let o = at(date(2028, 1, 31));
        assert!(o.within_two_years);
        assert_eq!(o.recognized, amt!(60000));
        assert_eq!(o.recognized_on, Some(date(2028, 1, 31)));
        // The date 2 years after itself is not "before" it (§1031(f)(1)(C)): outside.
        let o = at(date(2028, 2, 1));
        assert!(!o.within_two_years);
        assert_eq!(o.recognized, Amount::ZERO);
        assert!(o.recognized_on.is_none());
        // The day after: outside.
        let o = at(date(2028, 2, 2));
        assert!(!o.within_two_years);
        assert_eq!(o.recognized, Amount::ZERO);
        // Suspended days (§1031(g)) move the date; the same boundary applies.
        let s = |d| disposition(amt!(60000), date(2026, 2, 1), 10, Some(d), None);
        assert!(s(date(2028, 2, 10)).within_two_years);
        assert!(!s(date(2028, 2, 11)).within_two_years);
        let o = disposition(
            amt!(60000),
            date(2026, 2, 1),
            0,
            Some(date(2027, 6, 1)),
            Some(RelatedPartyException::Death),
        );
        assert_eq!(o.recognized, Amount::ZERO);
        assert!(o.recognized_on.is_none());
    }

    #[test]
    fn relationships_are_checked() {
        assert!(relationship("Sibling").is_ok());
        assert!(relationship("half-sibling").is_ok());
        assert!(relationship("brother-in-law").is_err_and(|e| e.contains("not a related person")));
        assert!(relationship("neighbour").is_err_and(|e| e.contains("use one of")));
    }

    proptest::proptest! {
        #[test]
        fn recognition_is_all_or_nothing(
            days in 0i32..1500, suspended in 0u32..200, gain in -100_000i64..1_000_000,
            exc in proptest::option::of(proptest::sample::select(vec![
                RelatedPartyException::Death,
                RelatedPartyException::InvoluntaryConversion,
                RelatedPartyException::NoTaxAvoidance,
            ])),
        ) {
            let last = date(2026, 2, 1);
            let d = add_days(last, days);
            let g = Amount::from(gain);
            let o = disposition(g, last, suspended, Some(d), exc);
            let inside = d < two_year_end(last, suspended);
            proptest::prop_assert_eq!(o.within_two_years, inside);
            let taxed = inside && exc.is_none();
            proptest::prop_assert_eq!(o.recognized, if taxed { g } else { Amount::ZERO });
            proptest::prop_assert_eq!(o.recognized_on, if taxed { Some(d) } else { None });
        }
    }
}
