//! MACRS building blocks: recovery periods, methods, conventions and the months they allow.
//!
//! Real property is depreciated straight line with the mid-month convention: 27.5 years for
//! residential rental property, 39 years for nonresidential real property placed in service
//! after 1993-05-12 (IRC §168(b)(3), (c), (d)(2)). IRS Publication 946 prints the rates as
//! Tables A-6 (27.5-year) and A-7a (39-year), rounded to three decimals of a percent; the
//! engine computes the same rates exactly as months in service / months in the recovery
//! period (see [`table_rate`]) and rounds only the dollars it reports.
//!
//! Dates are on a calendar tax year. The conventions put a placement or disposition at a
//! deemed date: the 15th of the month (mid-month), July 1 (half-year), or the middle of the
//! quarter (Feb 15, May 15, Aug 15, Nov 15; mid-quarter) (IRC §168(d)(4)).

use crate::amount::Amount;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Depreciation method (IRC §168(b)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Least accelerated.
    StraightLine,
    #[serde(rename = "150_declining_balance")]
    Db150,
    #[serde(rename = "200_declining_balance")]
    Db200,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::StraightLine => "straight_line",
            Method::Db150 => "150_declining_balance",
            Method::Db200 => "200_declining_balance",
        }
    }
    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "straight_line" => Some(Method::StraightLine),
            "150_declining_balance" => Some(Method::Db150),
            "200_declining_balance" => Some(Method::Db200),
            _ => None,
        }
    }
}

/// Applicable convention (IRC §168(d)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Convention {
    MidMonth,
    HalfYear,
    MidQuarter,
}

impl Convention {
    pub fn as_str(self) -> &'static str {
        match self {
            Convention::MidMonth => "mid_month",
            Convention::HalfYear => "half_year",
            Convention::MidQuarter => "mid_quarter",
        }
    }
    pub fn parse(s: &str) -> Option<Convention> {
        match s {
            "mid_month" => Some(Convention::MidMonth),
            "half_year" => Some(Convention::HalfYear),
            "mid_quarter" => Some(Convention::MidQuarter),
            _ => None,
        }
    }
}

/// The two classes of depreciable real property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RealPropertyClass {
    /// Residential rental property: 27.5 years (§168(c), (e)(2)(A)).
    Residential,
    /// Nonresidential real property: 39 years (§168(c)).
    Nonresidential,
}

impl RealPropertyClass {
    /// Recovery period in years. Authority: IRC §168(c).
    pub fn recovery_years(self) -> Amount {
        match self {
            RealPropertyClass::Residential => Amount::new(275, 1),
            RealPropertyClass::Nonresidential => Amount::from(39),
        }
    }
}

fn quarter(d: Date) -> i8 {
    (d.month() - 1) / 3
}

/// Months of depreciation in the year of placement under the convention
/// (IRC §168(d)(1)-(4)).
pub fn first_year_months(c: Convention, d: Date) -> Amount {
    match c {
        Convention::MidMonth => Amount::new(125, 1) - Amount::from(d.month()),
        Convention::HalfYear => Amount::from(6),
        Convention::MidQuarter => Amount::new(105, 1) - Amount::from(3 * quarter(d)),
    }
}

/// Months of depreciation in the year of disposition, before the deemed disposition date
/// (IRC §168(d)(1)-(4)).
pub fn months_before_disposition(c: Convention, d: Date) -> Amount {
    match c {
        Convention::MidMonth => Amount::from(d.month()) - Amount::new(5, 1),
        Convention::HalfYear => Amount::from(6),
        Convention::MidQuarter => Amount::from(3 * quarter(d)) + Amount::new(15, 1),
    }
}

/// The date the convention treats `d` as: mid-month the 15th, half-year July 1, mid-quarter
/// the middle of the quarter.
pub fn deemed_date(c: Convention, d: Date) -> Date {
    let y = d.year();
    let r = match c {
        Convention::MidMonth => Date::new(y, d.month(), 15),
        Convention::HalfYear => Date::new(y, 7, 1),
        Convention::MidQuarter => Date::new(y, 3 * quarter(d) + 2, 15),
    };
    r.unwrap_or(d)
}

/// The Pub 946 Table A-6 / A-7a rate (a fraction, not a percent) for real property placed in
/// service in `month` (1-12), for recovery year `year` (1 = the year placed in service),
/// straight line and mid-month: exact months / recovery months. Authority: IRC §168(b)(3),
/// (c), (d)(2); IRS Publication 946, Appendix A, Tables A-6 and A-7a.
pub fn table_rate(class: RealPropertyClass, month: i8, year: u32) -> Amount {
    let n = class.recovery_years() * Amount::from(12);
    let first = Amount::new(125, 1) - Amount::from(month);
    let full_years = (n - first) / Amount::from(12);
    let y = Amount::from(year);
    if year == 0 {
        Amount::ZERO
    } else if year == 1 {
        first / n
    } else if y - Amount::ONE <= full_years.floor() {
        Amount::from(12) / n
    } else if y - Amount::ONE <= full_years.ceil() {
        (n - first - Amount::from(12) * full_years.floor()) / n
    } else {
        Amount::ZERO
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;

    /// Pub 946 Table A-6: January, year 1 = 3.485%; years 2-27 = 3.636% (rounded).
    #[test]
    fn table_a6_january() {
        let r1 = table_rate(RealPropertyClass::Residential, 1, 1) * amt!(100);
        assert_eq!(r1.round_dp(3), amt!(3.485));
        let r2 = table_rate(RealPropertyClass::Residential, 1, 2) * amt!(100);
        assert_eq!(r2.round_dp(3), amt!(3.636));
        // Year 28 takes what is left: 6.5 months / 330 = 1.970%; July's year 29 = 0.152%.
        let r28 = table_rate(RealPropertyClass::Residential, 1, 28) * amt!(100);
        assert_eq!(r28.round_dp(3), amt!(1.970));
        let r29 = table_rate(RealPropertyClass::Residential, 7, 29) * amt!(100);
        assert_eq!(r29.round_dp(3), amt!(0.152));
    }

    /// Pub 946 Table A-7a: January, years 2-39 = 2.564%; year 40 = 0.107% (the printed
    /// first-year figure absorbs the table's rounding; the exact one is 11.5/468).
    #[test]
    fn table_a7a_january() {
        let c = RealPropertyClass::Nonresidential;
        assert_eq!(table_rate(c, 1, 1), amt!(11.5) / amt!(468));
        assert_eq!((table_rate(c, 1, 39) * amt!(100)).round_dp(3), amt!(2.564));
        assert_eq!((table_rate(c, 1, 40) * amt!(100)).round_dp(3), amt!(0.107));
    }

    #[test]
    fn rates_sum_to_one() {
        for m in 1..=12 {
            for c in [
                RealPropertyClass::Residential,
                RealPropertyClass::Nonresidential,
            ] {
                let s: Amount = (1..=41).map(|y| table_rate(c, m, y)).sum();
                assert!(
                    (s - Amount::ONE).abs() < amt!(0.0000000001),
                    "month {m} {c:?}"
                );
            }
        }
    }
}
