//! Related-party exchanges (§1031(f)): Form 8824 Part II, the two-year window from the last
//! transfer, the exceptions, and the deferred gain recognized in the year of a disqualifying
//! disposition.
//!
//! The rule exists so that related parties cannot swap basis and cash out the low-basis
//! property without tax; the window runs from the LAST transfer in the exchange.

use crate::explain::Trace;
use crate::explain::money as m;
use crate::findings::{Findings, Severity};
use crate::inputs;
use crate::model::{DisposedBy, ExchangeFile, RelatedPartyException};
use crate::money::{format_usd, serialize_money};
use crate::timing::calendar::{YearEnd, add_days, add_months};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

const F_AUTH: &str = "IRC §1031(f)(1)-(2); Instructions for Form 8824, Part II";

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
    pub recognized: Decimal,
    /// The date the gain is taken into account (its tax year is the year of recognition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recognized_on: Option<Date>,
}

/// Applies §1031(f)(1)-(2): a disposition by either party within the window, without an
/// exception, makes the gain not recognized in the exchange taken into account on the date
/// of the disposition (not by amending the exchange year).
pub fn disposition(
    deferred: Decimal,
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
        recognized: if taxed { deferred } else { Decimal::ZERO },
        recognized_on: if taxed { disposed_on } else { None },
    }
}

/// Form 8824 line 8.
#[derive(Debug, Clone, Serialize)]
pub struct Line8 {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifying_number: Option<String>,
    pub relationship: String,
}

/// Part II as filed for one tax year.
#[derive(Debug, Clone, Serialize)]
pub struct PartIIYear {
    pub tax_year_end: Date,
    /// Line 9: the related party disposed of the property this year, within the window.
    /// `null` when a disposition this year was entered without `disposed_by`.
    pub line_9: Option<bool>,
    /// Line 10: you disposed of the property this year, within the window.
    pub line_10: Option<bool>,
    /// Line 11: the exception claimed, when line 9 or 10 is yes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_11: Option<RelatedPartyException>,
    /// Deferred gain recognized in this year.
    #[serde(serialize_with = "serialize_money")]
    pub recognized: Decimal,
}

/// Form 8824 Part II (lines 8-11) for the exchange year and the two following years.
#[derive(Debug, Clone, Serialize)]
pub struct PartII {
    pub line_8: Line8,
    pub last_transfer: Date,
    pub two_year_end: Date,
    pub years: Vec<PartIIYear>,
    pub disposition: Option<DispositionOutcome>,
}

/// Builds Part II, its explanation and findings; `deferred` is line 24 of the exchange.
pub fn part_ii(
    f: &ExchangeFile,
    deferred: Decimal,
    t: &mut Trace,
    fx: &mut Findings,
) -> Option<PartII> {
    let rp = f.related_party.as_ref()?;
    let last = f
        .relinquished
        .iter()
        .map(|r| r.transferred)
        .chain(f.replacement.iter().map(|r| r.received))
        .max()?;
    let first = f.first_transfer()?;
    let end = two_year_end(last, rp.suspended_days);
    t.add(
        "related_party.two_year_end",
        "The date 2 years after the last transfer in the exchange, plus days the risk of loss was substantially diminished: only a disposition before this date is within the related-party window (a disposition on this day is not \"before the date 2 years after\" the last transfer)",
        end,
        "IRC §1031(f)(1)(C), (g)",
        inputs!["last transfer" => last, "suspended days" => rp.suspended_days],
    );
    let ye = YearEnd::parse(&f.taxpayer.tax_year_end).unwrap_or(YearEnd::CALENDAR);
    let y0 = ye.year_end_containing(first);
    let years: Vec<Date> = (0..3)
        .map(|k| ye.year_end_containing(add_months(y0, 12 * k)))
        .collect();
    t.add(
        "related_party.part_ii_years",
        "Form 8824 Part II is filed for the year of the exchange and the two following tax years",
        years
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        "Instructions for Form 8824, When To File; IRC §1031(f)",
        inputs!["first transfer" => first],
    );

    let outcome = rp
        .disposed_on
        .map(|d| disposition(deferred, last, rp.suspended_days, Some(d), rp.exception));
    if let Some(o) = &outcome {
        t.add(
            "related_party.recognized",
            "Deferred gain taken into account because of a disposition within the window without a §1031(f)(2) exception (line 24 of the exchange)",
            m(o.recognized),
            F_AUTH,
            inputs!["disposed on" => rp.disposed_on.map(|d| d.to_string()).unwrap_or_default(), "two-year end" => end, "exception" => rp.exception.map(|e| e.as_str()).unwrap_or("none"), "deferred gain (line 24)" => m(deferred)],
        );
    }
    let rows = years
        .iter()
        .enumerate()
        .map(|(k, &ye_k)| {
            let start = if k == 0 { None } else { Some(years[k - 1]) };
            let in_year = |d: Date| d <= ye_k && start.is_none_or(|s| d > s);
            let disp = rp.disposed_on.filter(|d| in_year(*d) && *d < end);
            let (l9, l10) = match (disp, rp.disposed_by) {
                (None, _) => (Some(false), Some(false)),
                (Some(_), Some(DisposedBy::RelatedParty)) => (Some(true), Some(false)),
                (Some(_), Some(DisposedBy::Taxpayer)) => (Some(false), Some(true)),
                (Some(_), None) => (None, None),
            };
            let recognized = match (&outcome, disp) {
                (Some(o), Some(_)) => o.recognized,
                _ => Decimal::ZERO,
            };
            PartIIYear {
                tax_year_end: ye_k,
                line_9: l9,
                line_10: l10,
                line_11: disp.and(rp.exception),
                recognized,
            }
        })
        .collect::<Vec<_>>();

    let rel = crate::eligibility::related_party::relationship(&rp.relationship).unwrap_or("");
    fx.add_at(
        "related_party",
        Severity::Warning,
        "related_party",
        format!(
            "The exchange is with a related party ({}, {}; {rel}): answer Form 8824 line 7 yes and complete Part II for the tax years ending {}. If either party disposes of the property received before {} (the date two years after the last transfer, {last}; a disposition on that date or later is outside the period), the deferred gain is taken into account in the year of that disposition unless a §1031(f)(2) exception applies. An exchange structured to avoid this rule (e.g. a related party ending up with the cash through a QI, Rev. Rul. 2002-83) is not protected (§1031(f)(4)).",
            rp.name,
            rp.relationship,
            years.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", "),
            end
        ),
        "IRC §1031(f); Instructions for Form 8824, Part II",
    );
    if let (Some(o), Some(d)) = (&outcome, rp.disposed_on) {
        if o.within_two_years {
            match rp.exception {
                None => {
                    let year = ye.year_end_containing(d);
                    fx.add_at(
                        "related_party_disposition",
                        Severity::Warning,
                        "related_party.disposed_on",
                        format!(
                            "The property was disposed of on {d}, before {end} (the date two years after the last transfer), and no exception is claimed: the gain deferred in the exchange ({}) is taken into account on {d} and reported on the return for the tax year ending {year}, as if the exchange had been a sale. The exchange-year return is not amended.{}",
                            format_usd(deferred),
                            if deferred < Decimal::ZERO {
                                " The figure is a loss: a loss on a transaction between related persons may be disallowed under §267(a)(1)."
                            } else {
                                ""
                            }
                        ),
                        F_AUTH,
                    );
                }
                Some(RelatedPartyException::NoTaxAvoidance) => fx.add_at(
                    "related_party_exception",
                    Severity::Warning,
                    "related_party.exception",
                    "You claim that neither the exchange nor the disposition had tax avoidance as a principal purpose (line 11(c)). That is a judgement on the facts the engine takes as your input and cannot make: attach an explanation to Form 8824. If the IRS disagrees, the deferred gain is taken into account in the year of the disposition.",
                    "IRC §1031(f)(2)(C); Instructions for Form 8824, line 11",
                ),
                Some(e) => fx.add_at(
                    "related_party_exception",
                    Severity::Info,
                    "related_party.exception",
                    format!(
                        "The disposition within the window is excepted ({}): no gain is taken into account. Check line 11 of Part II.",
                        match e {
                            RelatedPartyException::Death => "after the death of the taxpayer or the related person, §1031(f)(2)(A)",
                            _ => "an involuntary conversion, the exchange having come before its threat, §1031(f)(2)(B)",
                        }
                    ),
                    "IRC §1031(f)(2); Instructions for Form 8824, line 11",
                ),
            }
            if rp.disposed_by.is_none() {
                fx.add_at(
                    "related_party_disposed_by_missing",
                    Severity::Info,
                    "related_party.disposed_by",
                    "Say who disposed of the property (disposed_by = \"taxpayer\" or \"related_party\") to answer Form 8824 line 9 or line 10",
                    "Instructions for Form 8824, lines 9-10",
                );
            }
        } else {
            fx.add_at(
                "related_party_disposition",
                Severity::Info,
                "related_party.disposed_on",
                format!("The disposition on {d} is not before {end}, the date two years after the last transfer: it is outside the two-year window and the deferral stands"),
                F_AUTH,
            );
        }
    }
    Some(PartII {
        line_8: Line8 {
            name: rp.name.clone(),
            address: rp.address.clone(),
            identifying_number: rp.identifying_number.clone(),
            relationship: rp.relationship.clone(),
        },
        last_transfer: last,
        two_year_end: end,
        years: rows,
        disposition: outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use rust_decimal_macros::dec;

    #[test]
    fn window_ends_before_the_date_two_years_after_the_last_transfer() {
        assert_eq!(two_year_end(date(2026, 2, 1), 0), date(2028, 2, 1));
        assert_eq!(two_year_end(date(2026, 2, 1), 10), date(2028, 2, 11));
        let at = |d| disposition(dec!(60000), date(2026, 2, 1), 0, Some(d), None);
        // The day before the date 2 years after: inside, the deferred gain is recognized.
        let o = at(date(2028, 1, 31));
        assert!(o.within_two_years);
        assert_eq!(o.recognized, dec!(60000));
        assert_eq!(o.recognized_on, Some(date(2028, 1, 31)));
        // The date 2 years after itself is not "before" it (§1031(f)(1)(C)): outside.
        let o = at(date(2028, 2, 1));
        assert!(!o.within_two_years);
        assert_eq!(o.recognized, Decimal::ZERO);
        assert!(o.recognized_on.is_none());
        // The day after: outside.
        let o = at(date(2028, 2, 2));
        assert!(!o.within_two_years);
        assert_eq!(o.recognized, Decimal::ZERO);
        // Suspended days (§1031(g)) move the date; the same boundary applies.
        let s = |d| disposition(dec!(60000), date(2026, 2, 1), 10, Some(d), None);
        assert!(s(date(2028, 2, 10)).within_two_years);
        assert!(!s(date(2028, 2, 11)).within_two_years);
        let o = disposition(
            dec!(60000),
            date(2026, 2, 1),
            0,
            Some(date(2027, 6, 1)),
            Some(RelatedPartyException::Death),
        );
        assert_eq!(o.recognized, Decimal::ZERO);
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
            let g = Decimal::from(gain);
            let o = disposition(g, last, suspended, Some(d), exc);
            let inside = d < two_year_end(last, suspended);
            proptest::prop_assert_eq!(o.within_two_years, inside);
            let taxed = inside && exc.is_none();
            proptest::prop_assert_eq!(o.recognized, if taxed { g } else { Decimal::ZERO });
            proptest::prop_assert_eq!(o.recognized_on, if taxed { Some(d) } else { None });
        }
    }
}
