//! A home and §1031 together: §121 excludes gain on a principal residence, §1031 defers the
//! rest of the gain of a property that was also used in business or held for investment
//! (Rev. Proc. 2005-14), and §121(d)(10) denies the exclusion on a sale within five years of
//! acquiring the home in an exchange.
//!
//! Rev. Proc. 2005-14 §4 and its examples are still unverified against the primary text:
//! the steps say so.

use crate::amount::Amount;
use crate::explain::Trace;
use crate::explain::money as m;
use crate::findings::{Findings, Severity};
use crate::inputs;
use crate::law::cite;
use crate::model::ExchangeFile;
use crate::money::{format_usd, round_cents, serialize_money};
use crate::timing::calendar::{add_months, days_between};
use jiff::civil::Date;
use serde::Serialize;

const RP2005: &str = cite!(REV_PROC_2005_14 ", 2005-7 I.R.B. 528, §4 (primary text of §4 unverified; secondary summaries consistent)"; [IRC_121, IRC_1031]);

/// Figures of Rev. Proc. 2005-14 for one property (no allocation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rp200514 {
    #[serde(serialize_with = "serialize_money")]
    pub amount_realized: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub adjusted_basis: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub realized_gain: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub excluded_121: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub recognized: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub deferred_1031: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub basis_replacement: Amount,
}

/// §121 first, then §1031: the exclusion (at most `limit`, and never of the gain equal to
/// depreciation after 1997-05-06, §121(d)(6)) comes off the realized gain first; boot is
/// taken into account only to the extent it exceeds the excluded gain; the rest is deferred;
/// basis = adjusted basis + excluded gain + recognized gain - boot + cash paid (the excluded
/// gain treated as recognized). Authority: Rev. Proc. 2005-14 §4.02-4.03; IRC §§121(d)(6),
/// 1031(b), (d).
pub fn rp2005_14(
    amount_realized: Amount,
    adjusted_basis: Amount,
    depreciation_after_1997: Amount,
    limit: Amount,
    boot: Amount,
    cash_paid: Amount,
) -> Rp200514 {
    let realized = amount_realized - adjusted_basis;
    let excluded = limit
        .min(realized - depreciation_after_1997)
        .max(Amount::ZERO);
    let remaining = (realized - excluded).max(Amount::ZERO);
    let recognized = (boot - excluded).max(Amount::ZERO).min(remaining);
    let deferred = realized - excluded - recognized;
    Rp200514 {
        amount_realized,
        adjusted_basis,
        realized_gain: realized,
        excluded_121: excluded,
        recognized,
        deferred_1031: deferred,
        basis_replacement: adjusted_basis + excluded + recognized - boot + cash_paid,
    }
}

/// Figures of Rev. Proc. 2005-14 when the business part is outside the dwelling unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rp200514Split {
    #[serde(serialize_with = "serialize_money")]
    pub residential_amount_realized: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub residential_basis: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub excluded_121: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub business_amount_realized: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub business_adjusted_basis: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub deferred_1031: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub recognized: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub basis_business_replacement: Amount,
}

/// A business part outside the dwelling unit: the amount realized and the basis before
/// depreciation are allocated by `business_fraction` (the business share rounded to the
/// cent, the residential part taking the remainder so the parts add up); §121 applies to the
/// residential part, sold as a home, and §1031 to the business part, which carries its
/// depreciation. `boot` is all money and other property received; what exceeds the
/// residential amount realized is the business part's boot [U: the Rev. Proc. examples with
/// boot are unverified]. Authority: Rev. Proc. 2005-14 §4 and Examples 2-6; Treas. Reg.
/// §1.121-1(e).
pub fn rp2005_14_split(
    amount_realized: Amount,
    basis_before_depreciation: Amount,
    business_fraction: Amount,
    business_depreciation: Amount,
    limit: Amount,
    boot: Amount,
    cash_paid: Amount,
) -> Rp200514Split {
    let bus_ar = round_cents(amount_realized * business_fraction);
    let res_ar = amount_realized - bus_ar;
    let bus_cost = round_cents(basis_before_depreciation * business_fraction);
    let res_basis = basis_before_depreciation - bus_cost;
    let bus_ab = bus_cost - business_depreciation;
    let excluded = limit.min(res_ar - res_basis).max(Amount::ZERO);
    let bus_gain = bus_ar - bus_ab;
    let bus_boot = (boot - res_ar).max(Amount::ZERO);
    let recognized = bus_boot.min(bus_gain.max(Amount::ZERO));
    Rp200514Split {
        residential_amount_realized: res_ar,
        residential_basis: res_basis,
        excluded_121: excluded,
        business_amount_realized: bus_ar,
        business_adjusted_basis: bus_ab,
        deferred_1031: bus_gain - recognized,
        recognized,
        basis_business_replacement: bus_ab + recognized - bus_boot + cash_paid,
    }
}

/// The §121(d)(10) five-year rule: a home acquired in a §1031 exchange cannot use §121 on a
/// sale during the 5 years beginning on its acquisition. Returns the first date outside
/// that period. [U] the "beginning on the date" count could move it by a day: the engine
/// uses the anniversary (the conservative reading). Authority: IRC §121(d)(10).
pub fn first_date_outside_5_years(acquired_in_exchange: Date) -> Date {
    add_months(acquired_in_exchange, 60)
}

/// §121 available on `sale` for a home acquired in an exchange: the 2-of-5-year test and
/// the five-year rule. Authority: IRC §121(a), (d)(10).
pub fn section121_available(acquired_in_exchange: Date, sale: Date, use_test_met: bool) -> bool {
    use_test_met && sale >= first_date_outside_5_years(acquired_in_exchange)
}

/// The use test of §121(a): periods of use as the principal residence add up to at least 2
/// years (730 days) within the 5 years ending on the sale. Periods are `[from, to)`.
/// Authority: IRC §121(a); Treas. Reg. §1.121-1(c)(1) (730 days) [P-mem].
pub fn two_of_five_years(uses: &[(Date, Date)], sale: Date) -> bool {
    let start = add_months(sale, -60);
    let days: i32 = uses
        .iter()
        .map(|&(a, b)| days_between(a.max(start), b.min(sale)).max(0))
        .sum();
    days >= 730
}

/// §121(b)(5): the gain allocated to periods of nonqualified use is not excluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NonqualifiedUse {
    /// Days of nonqualified use after 2008 (the periods given, overlaps counted once).
    pub days: i32,
    /// Days the home was owned, from its acquisition to the sale.
    pub days_owned: i32,
    /// (Realized gain − depreciation after 1997-05-06) × days ÷ days owned, to the cent.
    #[serde(serialize_with = "serialize_money")]
    pub gain_not_excluded: Amount,
}

/// The gain allocated to nonqualified use: the periods given, from 2009 on ((b)(5)(C)(i):
/// periods before January 1, 2009 are not nonqualified use) and within the ownership, over
/// the days owned, times the gain less the depreciation that §121(d)(6) already leaves
/// taxable ((b)(5)(D)). Rounded to the cent (the statute's fraction has no rounding of its
/// own; the cent is the smallest amount a return shows). Authority: IRC §121(b)(5).
pub fn nonqualified_use(
    periods: &[crate::model::DatePeriod],
    (acquired, sold): (Date, Date),
    gain_after_depreciation: Amount,
) -> Option<NonqualifiedUse> {
    let start = jiff::civil::date(2009, 1, 1).max(acquired);
    let mut spans: Vec<(Date, Date)> = periods
        .iter()
        .map(|p| (p.from.max(start), p.to.min(sold)))
        .filter(|(a, b)| a < b)
        .collect();
    if spans.is_empty() {
        return None;
    }
    spans.sort();
    let mut days = 0;
    let mut reach = spans[0].0;
    for (a, b) in spans {
        let a = a.max(reach);
        if b > a {
            days += days_between(a, b);
            reach = b;
        }
    }
    let days_owned = days_between(acquired, sold).max(1);
    let gain = gain_after_depreciation.max(Amount::ZERO);
    let not_excluded = crate::money::mul_div(gain, Amount::from(days), Amount::from(days_owned))
        .map_or(gain, round_cents);
    Some(NonqualifiedUse {
        days,
        days_owned,
        gain_not_excluded: not_excluded,
    })
}

/// The report for `[home_sale]`.
#[derive(Debug, Clone, Serialize)]
pub struct HomeSaleResult {
    pub property: String,
    pub section121_available: bool,
    /// The gain allocated to nonqualified use, when periods of it are given (§121(b)(5)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonqualified_use: Option<NonqualifiedUse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whole: Option<Rp200514>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<Rp200514Split>,
}

/// Applies `[home_sale]` with the exchange's boot and cash paid.
pub fn home_sale(
    f: &ExchangeFile,
    boot: Amount,
    cash_paid: Amount,
    t: &mut Trace,
    fx: &mut Findings,
) -> Option<HomeSaleResult> {
    let h = f.home_sale.as_ref()?;
    let r = f.relinquished.iter().find(|r| r.id == h.property)?;
    let dep = h
        .depreciation_after_1997_05_06
        .unwrap_or(r.depreciation_allowed);
    let ar = r.sale_price - r.exchange_expenses;
    let available = exclusion_available(h, r, t, fx);
    let limit = if available {
        h.exclusion_limit
    } else {
        Amount::ZERO
    };
    let mut res = HomeSaleResult {
        property: r.id.to_string(),
        section121_available: available,
        nonqualified_use: None,
        whole: None,
        split: None,
    };
    match &h.business_part {
        Some(b) if b.separate_from_dwelling => {
            let s = rp2005_14_split(
                ar,
                r.adjusted_basis + r.depreciation_allowed,
                b.fraction,
                r.depreciation_allowed,
                limit,
                boot,
                cash_paid,
            );
            for (k, step, v) in split_steps(&s) {
                crate::step!(
                    t,
                    k,
                    step,
                    m(v),
                    RP2005,
                    inputs!["amount realized" => m(ar), "business fraction" => crate::explain::Val::Num(b.fraction), "depreciation" => m(r.depreciation_allowed), "limit" => m(limit), "boot" => m(boot)]
                );
            }
            res.split = Some(s);
        }
        other => {
            let nq = nonqualified_use(
                &h.nonqualified_use,
                (r.acquired, r.transferred),
                ar - r.adjusted_basis - dep,
            );
            let not_excludable = dep + nq.as_ref().map_or(Amount::ZERO, |n| n.gain_not_excluded);
            if let Some(n) = &nq {
                crate::step!(
                    t,
                    "homes.nonqualified_use",
                    "Gain allocated to nonqualified use, not excluded: (realized gain - depreciation after 1997-05-06) x days of nonqualified use after 2008 / days owned",
                    m(n.gain_not_excluded),
                    cite!(IRC_121 "(b)(5)"),
                    inputs!["days of nonqualified use" => crate::words::count(i64::from(n.days)), "days owned" => crate::words::count(i64::from(n.days_owned))]
                );
            }
            res.nonqualified_use = nq;
            let w = rp2005_14(ar, r.adjusted_basis, not_excludable, limit, boot, cash_paid);
            for (k, step, v) in whole_steps(&w) {
                crate::step!(
                    t,
                    k,
                    step,
                    m(v),
                    RP2005,
                    inputs!["amount realized" => m(ar), "adjusted basis" => m(r.adjusted_basis), "depreciation after 1997-05-06" => m(dep), "limit" => m(limit), "boot" => m(boot), "cash paid" => m(cash_paid)]
                );
            }
            if other.is_some() {
                crate::finding_at!(
                    fx,
                    "home_office_inside_dwelling",
                    Severity::Info,
                    "home_sale.business_part.separate_from_dwelling",
                    "The business part is inside the dwelling unit: no allocation is needed (Reg. 1.121-1(e)); §121 covers the whole gain except the depreciation after 1997-05-06, which §1031 may defer",
                    cite!(REG_1_121_1 "(e)"; REV_PROC_2005_14),
                );
            }
            res.whole = Some(w);
        }
    }
    summary_finding(f, &res, fx);
    Some(res)
}

/// Whether §121 is available for the sale at all: the ownership and use test, and the five
/// years after a home was acquired in an exchange (§121(d)(10)).
fn exclusion_available(
    h: &crate::model::HomeSale,
    r: &crate::model::Relinquished,
    t: &mut Trace,
    fx: &mut Findings,
) -> bool {
    let mut available = h.ownership_and_use_test_met;
    if let Some(acq) = h.acquired_in_exchange_on {
        let first = first_date_outside_5_years(acq);
        crate::step!(
            t,
            "homes.section121_d10_first_date",
            "First date the home acquired in a §1031 exchange may be sold with the §121 exclusion: the end of the 5 years beginning on its acquisition (anniversary used: the ±1-day reading of \"beginning on the date\" is uncertain [U])",
            first,
            cite!(IRC_121 "(d)(10)"),
            inputs!["acquired in exchange" => acq],
        );
        if r.transferred < first {
            available = false;
            crate::finding_at!(
                fx,
                "section121_five_year_rule",
                Severity::Warning,
                "home_sale.acquired_in_exchange_on",
                format!(
                    "{} was acquired in a §1031 exchange on {acq}: §121 is not available for a sale before {first} (the 5-year period beginning on the acquisition), so no gain is excluded",
                    r.id
                ),
                cite!(IRC_121 "(d)(10)"),
            );
        }
    }
    if !h.ownership_and_use_test_met {
        crate::finding_at!(
            fx,
            "section121_not_available",
            Severity::Warning,
            "home_sale.ownership_and_use_test_met",
            "The ownership and use test (2 of the 5 years before the sale) is not met: no gain is excluded under §121",
            cite!(IRC_121 "(a)"),
        );
    }
    available
}

/// The steps of the split of Rev. Proc. 2005-14 §4.03 (a business part separate from the
/// dwelling): each figure with its words.
fn split_steps(s: &Rp200514Split) -> [(&'static str, &'static str, Amount); 8] {
    [
        (
            "homes.split.residential_amount_realized",
            "Amount realized allocated to the residential part (1 - business fraction; rounded to the cent by the business share)",
            s.residential_amount_realized,
        ),
        (
            "homes.split.residential_basis",
            "Basis before depreciation allocated to the residential part",
            s.residential_basis,
        ),
        (
            "homes.split.excluded_121",
            "§121 exclusion on the residential part: its gain, at most the limit",
            s.excluded_121,
        ),
        (
            "homes.split.business_amount_realized",
            "Amount realized allocated to the business part",
            s.business_amount_realized,
        ),
        (
            "homes.split.business_adjusted_basis",
            "Adjusted basis of the business part: its share of basis less all depreciation (taken on that part)",
            s.business_adjusted_basis,
        ),
        (
            "homes.split.recognized",
            "Gain recognized on the business part: boot beyond the residential amount realized, at most the business gain [U: examples with boot unverified]",
            s.recognized,
        ),
        (
            "homes.split.deferred_1031",
            "Gain of the business part deferred under §1031",
            s.deferred_1031,
        ),
        (
            "homes.split.basis_business_replacement",
            "Basis of the replacement for the business part: its adjusted basis + gain recognized - its boot + cash paid",
            s.basis_business_replacement,
        ),
    ]
}

/// The steps of Rev. Proc. 2005-14 applied to the whole property: each figure with its words.
fn whole_steps(w: &Rp200514) -> [(&'static str, &'static str, Amount); 5] {
    [
        (
            "homes.rp2005_14.realized_gain",
            "Realized gain: amount realized (sale price - exchange expenses) - adjusted basis",
            w.realized_gain,
        ),
        (
            "homes.rp2005_14.excluded_121",
            "§121 applied first: the gain excluded, at most the limit and never the gain equal to depreciation after 1997-05-06 (§121(d)(6))",
            w.excluded_121,
        ),
        (
            "homes.rp2005_14.recognized",
            "Gain recognized: boot only to the extent it exceeds the excluded gain, at most the gain left",
            w.recognized,
        ),
        (
            "homes.rp2005_14.deferred_1031",
            "Gain deferred under §1031: realized - excluded - recognized (includes the depreciation gain)",
            w.deferred_1031,
        ),
        (
            "homes.rp2005_14.basis_replacement",
            "Basis of the replacement: adjusted basis + excluded gain + recognized gain - boot + cash paid",
            w.basis_replacement,
        ),
    ]
}

/// What §121 and §1031 together did: excluded, recognized, deferred, and where the report
/// shows it.
fn summary_finding(f: &ExchangeFile, res: &HomeSaleResult, fx: &mut Findings) {
    let (excl, rec, def) = match (&res.whole, &res.split) {
        (Some(w), _) => (w.excluded_121, w.recognized, w.deferred_1031),
        (_, Some(s)) => (s.excluded_121, s.recognized, s.deferred_1031),
        _ => (Amount::ZERO, Amount::ZERO, Amount::ZERO),
    };
    // A home only lived in, with no business part, was never held for investment or
    // business: §1031 defers none of its gain and only §121 applies (IRC §1031(a)(1)).
    let only_a_home = f
        .relinquished
        .iter()
        .any(|r| r.id == res.property && r.use_ == crate::model::Use::PersonalResidence)
        && f.home_sale
            .as_ref()
            .is_some_and(|h| h.business_part.is_none());
    if only_a_home {
        crate::finding_at!(
            fx,
            "section121_with_1031",
            Severity::Warning,
            "home_sale",
            format!(
                "§121 alone: {} excluded and {} taxable. The home was used only as a residence, not held for investment or business, so §1031 defers none of its gain and the property received is not like-kind replacement property for it.",
                format_usd(excl),
                format_usd(rec)
            ),
            cite!(IRC_121; IRC_1031 "(a)(1)"),
        );
        return;
    }
    crate::finding_at!(
        fx,
        "section121_with_1031",
        Severity::Warning,
        "home_sale",
        format!(
            "§121 and §1031 together (Rev. Proc. 2005-14): {} excluded, {} recognized, {} deferred. {} {}",
            format_usd(excl),
            format_usd(rec),
            format_usd(def),
            if f.relinquished.len() == 1 {
                "Lines 20-25, the gain and the replacement basis in this report apply the exclusion first: line 19 shows the whole realized gain and the exclusion is shown on its own line (the Form 8824 instructions' home worksheet, which splits lines 15-25 into a home part and a business part, was not verified; its total is the same)."
            } else {
                "The Form 8824 lines, gain and replacement basis elsewhere in this report do NOT apply the exclusion (several properties were given up): prepare Form 8824 as two worksheets (home part and business part, lines 15-25 each) as the Form 8824 instructions describe, and use the home-sale figures."
            },
            nonqualified_words(res)
        ),
        cite!(REV_PROC_2005_14; FORM_8824 ", Property used as home"),
    );
}

/// What the summary says of §121(b)(5): the gain it leaves taxable, or why it is not applied.
fn nonqualified_words(res: &HomeSaleResult) -> String {
    match (&res.nonqualified_use, &res.split) {
        (Some(n), _) => format!(
            "{} of the gain is allocated to {} days of nonqualified use after 2008 (of {} days owned) and is not excluded (§121(b)(5)).",
            format_usd(n.gain_not_excluded),
            crate::words::count(i64::from(n.days)),
            crate::words::count(i64::from(n.days_owned))
        ),
        (None, Some(_)) => {
            "The nonqualified-use rule of §121(b)(5) is not applied to a home with a business part outside the dwelling.".into()
        }
        (None, None) => {
            "No period of nonqualified use is given: if after 2008 the home was rented, vacant or a second home before you last lived in it, give those periods, or the exclusion is overstated (§121(b)(5)).".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;
    use jiff::civil::date;

    fn period(from: Date, to: Date) -> crate::model::DatePeriod {
        crate::model::DatePeriod { from, to }
    }

    /// §121(b)(5): rented three years (1,096 days) of the 2,251 owned before it became the
    /// home; of the $460,000 of gain beyond the $40,000 of depreciation, 1,096/2,251 is not
    /// excluded. Periods before 2009 do not count, and overlapping periods count once.
    #[test]
    fn nonqualified_use_allocates_the_gain_by_days() {
        let owned = (date(2020, 1, 2), date(2026, 3, 2));
        let n = nonqualified_use(
            &[period(date(2020, 1, 2), date(2023, 1, 2))],
            owned,
            amt!(460000),
        )
        .expect("a period");
        assert_eq!((n.days, n.days_owned), (1096, 2251));
        assert_eq!(n.gain_not_excluded, amt!(223971.57));
        let overlapping = nonqualified_use(
            &[
                period(date(2020, 1, 2), date(2022, 1, 2)),
                period(date(2021, 1, 2), date(2023, 1, 2)),
            ],
            owned,
            amt!(460000),
        )
        .expect("periods");
        assert_eq!(overlapping.days, 1096);
        let before_2009 = nonqualified_use(
            &[period(date(2005, 1, 1), date(2010, 1, 1))],
            (date(2005, 1, 1), date(2015, 1, 1)),
            amt!(100000),
        )
        .expect("a period");
        assert_eq!(before_2009.days, 365);
        assert!(nonqualified_use(&[], owned, amt!(460000)).is_none());
        assert!(
            nonqualified_use(
                &[period(date(2001, 1, 1), date(2008, 12, 31))],
                owned,
                amt!(1)
            )
            .is_none()
        );
    }

    #[test]
    fn rp2005_14_example_1() {
        let w = rp2005_14(
            amt!(470000),
            amt!(190000),
            amt!(20000),
            amt!(250000),
            amt!(10000),
            amt!(0),
        );
        assert_eq!(w.excluded_121, amt!(250000));
        assert_eq!(w.recognized, amt!(0));
        assert_eq!(w.deferred_1031, amt!(30000));
        assert_eq!(w.basis_replacement, amt!(430000));
        // Boot above the exclusion is recognized.
        let w = rp2005_14(
            amt!(470000),
            amt!(190000),
            amt!(20000),
            amt!(100000),
            amt!(110000),
            amt!(0),
        );
        assert_eq!(w.recognized, amt!(10000));
        assert_eq!(w.deferred_1031, amt!(170000));
    }

    #[test]
    fn use_test_counts_the_last_five_years() {
        let sale = date(2006, 1, 1);
        assert!(two_of_five_years(
            &[(date(2000, 1, 1), date(2004, 1, 1))],
            sale
        ));
        assert!(!two_of_five_years(
            &[(date(2000, 1, 1), date(2002, 1, 1))],
            sale
        ));
    }

    #[test]
    fn five_year_rule() {
        let a = date(2022, 3, 1);
        assert_eq!(first_date_outside_5_years(a), date(2027, 3, 1));
        assert!(!section121_available(a, date(2027, 2, 28), true));
        assert!(section121_available(a, date(2027, 3, 1), true));
        assert!(!section121_available(a, date(2028, 3, 1), false));
    }

    proptest::proptest! {
        #[test]
        fn rp2005_14_invariants(
            ab in 0i64..1_000_000, gain in -200_000i64..1_000_000, dep in 0i64..200_000,
            limit in proptest::sample::select(vec![0i64, 250_000, 500_000]), boot in 0i64..300_000,
        ) {
            let ar = Amount::from(ab + gain);
            let boot = Amount::from(boot).min(ar.max(Amount::ZERO));
            let (ab, dep, limit) = (Amount::from(ab), Amount::from(dep), Amount::from(limit));
            let w = rp2005_14(ar, ab, dep, limit, boot, Amount::ZERO);
            proptest::prop_assert!(w.excluded_121 <= limit);
            proptest::prop_assert!(w.excluded_121 >= Amount::ZERO);
            proptest::prop_assert!(w.recognized <= boot);
            proptest::prop_assert!(w.recognized >= Amount::ZERO);
            // Depreciation gain is never excluded (§121(d)(6)).
            proptest::prop_assert!(w.excluded_121 <= (w.realized_gain - dep).max(Amount::ZERO));
            // Basis = FMV of the like-kind property received - deferred gain.
            proptest::prop_assert_eq!(w.basis_replacement, ar - boot - w.deferred_1031);
        }
    }
}
