//! US federal holidays and the District of Columbia legal holidays that move tax due dates.
//!
//! Two calendars matter to an exchange:
//! * **Federal holidays** (5 U.S.C. §6103(a)) with the observed-day rule of §6103(b) and
//!   Executive Order 11582 (a holiday on Saturday is observed on Friday, one on Sunday on
//!   Monday). They define "business days" for the 5-business-day QEAA deadline of
//!   Rev. Proc. 2000-37 (a term the Rev. Proc. does not define: \[U\]).
//! * **Legal holidays in the District of Columbia**, which IRC §7503 uses to move a due date
//!   that falls on a weekend or holiday: the federal holidays plus DC Emancipation Day
//!   (April 16, DC Code §1-612.02a, observed Friday/Monday like the others) and Inauguration
//!   Day (January 20 after a presidential election, 5 U.S.C. §6103(c); January 21 when the
//!   20th is a Sunday).
//!
//! Every check is a few comparisons on the date's own month, with no table and no allocation,
//! because the deadline calculator runs it for millions of dates.

use jiff::civil::{Date, Weekday};

/// One holiday as observed, for lists and explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    /// The day the holiday is observed (the day offices close).
    pub date: Date,
    pub name: &'static str,
}

/// The observed day of a fixed-date holiday: Saturday → Friday, Sunday → Monday
/// (5 U.S.C. §6103(b); Executive Order 11582).
pub fn observed(d: Date) -> Date {
    match d.weekday() {
        Weekday::Saturday => d.yesterday().unwrap_or(d),
        Weekday::Sunday => d.tomorrow().unwrap_or(d),
        _ => d,
    }
}

fn fixed(y: i16, m: i8, d: i8) -> Option<Date> {
    Date::new(y, m, d).ok().map(observed)
}

/// True on Saturday and Sunday.
pub fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The name of the federal holiday observed on `d`, if any (5 U.S.C. §6103(a)-(b);
/// Juneteenth from 2021, Pub. L. 117-17).
///
/// Decided from the day of the month and the weekday alone: "the third Monday in January"
/// is a Monday from the 15th to the 21st, and a fixed-date holiday is observed on its day
/// from Monday to Friday, on the Friday before when it falls on a Saturday and on the Monday
/// after when it falls on a Sunday (a test checks this against the dates built the long way
/// for three centuries).
pub fn federal_holiday(d: Date) -> Option<&'static str> {
    let (w, day) = (d.weekday(), d.day());
    if matches!(w, Weekday::Saturday | Weekday::Sunday) {
        return None;
    }
    let monday = w == Weekday::Monday;
    // Observed on `day`: the holiday of date `on` (of this month) on a weekday, or moved here.
    let fixed =
        |on: i8| day == on || (w == Weekday::Friday && day + 1 == on) || (monday && day - 1 == on);
    let name = match d.month() {
        // January 1 on a Saturday is observed on Friday, December 31 (below).
        1 if day == 1 || (monday && day == 2) => "New Year's Day",
        1 if monday && (15..=21).contains(&day) => "Birthday of Martin Luther King, Jr.",
        2 if monday && (15..=21).contains(&day) => "Washington's Birthday",
        5 if monday && day >= 25 => "Memorial Day",
        6 if d.year() >= 2021 && fixed(19) => "Juneteenth National Independence Day",
        7 if fixed(4) => "Independence Day",
        9 if monday && day <= 7 => "Labor Day",
        10 if monday && (8..=14).contains(&day) => "Columbus Day",
        11 if fixed(11) => "Veterans Day",
        11 if w == Weekday::Thursday && (22..=28).contains(&day) => "Thanksgiving Day",
        12 if fixed(25) => "Christmas Day",
        12 if day == 31 && w == Weekday::Friday && d.year() < 9999 => "New Year's Day",
        _ => return None,
    };
    Some(name)
}

/// The name of the District of Columbia legal holiday on `d` that is not a nationwide
/// federal holiday: Emancipation Day (from 2005) and Inauguration Day.
pub fn dc_only_holiday(d: Date) -> Option<&'static str> {
    let y = d.year();
    match d.month() {
        4 if y >= 2005 && fixed(y, 4, 16) == Some(d) => {
            Some("District of Columbia Emancipation Day")
        }
        1 if y % 4 == 1 => {
            let inaug = Date::new(y, 1, 20).ok().map(|x| {
                if x.weekday() == Weekday::Sunday {
                    x.tomorrow().unwrap_or(x)
                } else {
                    x
                }
            });
            (inaug == Some(d)).then_some("Inauguration Day")
        }
        _ => None,
    }
}

/// A legal holiday in the District of Columbia, the calendar of IRC §7503.
pub fn dc_legal_holiday(d: Date) -> Option<&'static str> {
    federal_holiday(d).or_else(|| dc_only_holiday(d))
}

/// A business day: not a weekend and not a federal holiday (the reading the engine uses for
/// Rev. Proc. 2000-37's undefined "business days": \[U\]).
pub fn is_business_day(d: Date) -> bool {
    !is_weekend(d) && federal_holiday(d).is_none()
}

/// The day an act due on `d` is timely under IRC §7503: `d` itself, or the next day that is
/// not a Saturday, Sunday or legal holiday in the District of Columbia.
pub fn roll_7503(d: Date) -> Date {
    let mut x = d;
    for _ in 0..10 {
        if !is_weekend(x) && dc_legal_holiday(x).is_none() {
            return x;
        }
        x = x.tomorrow().unwrap_or(x);
    }
    x
}

/// `d` plus `n` business days (the count starts the day after `d`).
pub fn add_business_days(d: Date, n: u32) -> Date {
    let mut x = d;
    let mut left = n;
    while left > 0 {
        match x.tomorrow() {
            Ok(t) => x = t,
            Err(_) => return x,
        }
        if is_business_day(x) {
            left -= 1;
        }
    }
    x
}

/// Every federal holiday observed in calendar year `y`, in date order (the OPM list).
pub fn federal_holidays(y: i16) -> Vec<Holiday> {
    let mut out = Vec::new();
    let Ok(mut d) = Date::new(y, 1, 1) else {
        return out;
    };
    while d.year() == y {
        if let Some(name) = federal_holiday(d) {
            out.push(Holiday { date: d, name });
        }
        match d.tomorrow() {
            Ok(t) => d = t,
            Err(_) => break,
        }
    }
    out
}

/// Describes why `d` is not a business day, for explanations ("Saturday", "Memorial Day").
pub fn why_closed(d: Date) -> Option<crate::explain::Text> {
    match d.weekday() {
        // The weekday's name, borrowed: two deadlines of every exchange are asked.
        Weekday::Saturday => Some("Saturday".into()),
        Weekday::Sunday => Some("Sunday".into()),
        _ => dc_legal_holiday(d).map(|h| format!("{h} (legal holiday)").into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Each year's federal holidays built the long way, as 5 U.S.C. §6103 states them: the
    /// nth weekday of the month, a fixed date moved off the weekend.
    fn statute_list(y: i16) -> Vec<(Date, &'static str)> {
        let nth = |m, n, w| date(y, m, 1).nth_weekday_of_month(n, w).unwrap();
        let fixed = |y, m, d| observed(date(y, m, d));
        let mut out = vec![
            (fixed(y, 1, 1), "New Year's Day"),
            (
                nth(1, 3, Weekday::Monday),
                "Birthday of Martin Luther King, Jr.",
            ),
            (nth(2, 3, Weekday::Monday), "Washington's Birthday"),
            (nth(5, -1, Weekday::Monday), "Memorial Day"),
            (fixed(y, 7, 4), "Independence Day"),
            (nth(9, 1, Weekday::Monday), "Labor Day"),
            (nth(10, 2, Weekday::Monday), "Columbus Day"),
            (fixed(y, 11, 11), "Veterans Day"),
            (nth(11, 4, Weekday::Thursday), "Thanksgiving Day"),
            (fixed(y, 12, 25), "Christmas Day"),
            (fixed(y + 1, 1, 1), "New Year's Day"),
        ];
        if y >= 2021 {
            out.push((fixed(y, 6, 19), "Juneteenth National Independence Day"));
        }
        out.retain(|(d, _)| d.year() == y);
        out.sort();
        out
    }

    #[test]
    fn the_quick_reading_names_the_statute_days_for_three_centuries() {
        for y in 1900..2200 {
            let mut quick = Vec::new();
            let mut d = date(y, 1, 1);
            while d.year() == y {
                if let Some(name) = federal_holiday(d) {
                    quick.push((d, name));
                }
                d = d.tomorrow().unwrap();
            }
            assert_eq!(quick, statute_list(y), "{y}");
        }
    }

    #[test]
    fn new_year_on_saturday_is_observed_on_december_31() {
        // 2022-01-01 was a Saturday.
        assert_eq!(federal_holiday(date(2021, 12, 31)), Some("New Year's Day"));
        assert_eq!(federal_holiday(date(2022, 1, 1)), None);
    }

    #[test]
    fn emancipation_day_moves_tax_day() {
        // 2028-04-15 is a Saturday, Emancipation Day observed Monday 2028-04-17.
        assert_eq!(roll_7503(date(2028, 4, 15)), date(2028, 4, 18));
        // 2027-04-16 is a Friday and does not touch 2027-04-15 (Thursday).
        assert_eq!(roll_7503(date(2027, 4, 15)), date(2027, 4, 15));
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        // Friday 2026-07-03 is Independence Day observed.
        assert_eq!(add_business_days(date(2026, 7, 1), 2), date(2026, 7, 6));
        assert_eq!(add_business_days(date(2026, 3, 2), 5), date(2026, 3, 9));
    }

    #[test]
    fn inauguration_day_is_a_dc_holiday_only() {
        assert_eq!(
            dc_legal_holiday(date(2025, 1, 20)),
            Some("Birthday of Martin Luther King, Jr.")
        );
        assert_eq!(dc_only_holiday(date(2029, 1, 22)), None);
        assert_eq!(dc_only_holiday(date(2033, 1, 20)), Some("Inauguration Day"));
        assert!(federal_holiday(date(2029, 1, 20)).is_none());
    }
}
