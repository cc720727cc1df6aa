//! Civil-date helpers: the taxpayer's tax-year end and date arithmetic.

use crate::input::errors::Errors;
use jiff::civil::Date;

/// A tax-year end as month and day (`MM-DD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearEnd {
    pub month: i8,
    pub day: i8,
}

impl YearEnd {
    pub const CALENDAR: YearEnd = YearEnd { month: 12, day: 31 };

    /// Parses `MM-DD`, the last day of a month: a fiscal year is "a period of 12 months
    /// ending on the last day of any month other than December" (IRC §441(e)); 52-53-week
    /// years (§441(f)) are not computed. February ends on its last day whether written
    /// `02-28` or `02-29`: in a leap year the 29th belongs to the year that ends that month.
    pub fn parse(s: &str) -> Result<YearEnd, String> {
        if s == "12-31" {
            // The calendar year, which most taxpayers have: read several times an analysis.
            return Ok(YearEnd::CALENDAR);
        }
        let bad = || {
            format!("{s:?} is not a tax-year end: expected MM-DD such as \"12-31\" or \"06-30\"")
        };
        let (m, d) = s.split_once('-').ok_or_else(bad)?;
        if m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let month: i8 = m.parse().map_err(|_| bad())?;
        let day: i8 = d.parse().map_err(|_| bad())?;
        // 2024 is a leap year, so 02-29 is accepted as "the last day of February".
        let Ok(d) = Date::new(2024, month, day) else {
            return Err(format!(
                "{s:?} is not a day of the year (month {month} has no day {day}): a tax year ends on the last day of a month (IRC §441(e))"
            ));
        };
        let last = d.last_of_month().day();
        if month == 2 && day >= 28 {
            // Stored as the 29th, which falls back to the 28th in common years (`in_year`).
            return Ok(YearEnd { month, day: 29 });
        }
        if day != last {
            return Err(format!(
                "{s:?} is not the last day of a month: a tax year ends on the last day of a month (IRC §441(e)); a 52-53-week year is not computed here"
            ));
        }
        Ok(YearEnd { month, day })
    }

    /// The end of the tax year that contains `d`; [`Date::MAX`] when that year would end
    /// after 9999-12-31 (never a date before `d`). Validation rejects such dates
    /// ([`checked_year_end_containing`](Self::checked_year_end_containing)).
    pub fn year_end_containing(self, d: Date) -> Date {
        self.checked_year_end_containing(d).unwrap_or(Date::MAX)
    }

    /// The end of the tax year that contains `d`, or `None` when it would fall after
    /// 9999-12-31.
    pub fn checked_year_end_containing(self, d: Date) -> Option<Date> {
        match self.checked_in_year(d.year()) {
            Some(this_year) if d <= this_year => Some(this_year),
            _ => self.checked_in_year(d.year().checked_add(1)?),
        }
    }

    /// This year-end in calendar year `y` (Feb 29 falls back to Feb 28 in common years).
    /// Outside the years a date can have (-9999 to 9999) it saturates: [`Date::MAX`] for a
    /// later year, [`Date::MIN`] for an earlier one, so the order of dates is kept.
    pub fn in_year(self, y: i16) -> Date {
        self.checked_in_year(y)
            .unwrap_or(if y > 0 { Date::MAX } else { Date::MIN })
    }

    /// This year-end in calendar year `y`, or `None` when `y` is not a year a date can have.
    pub fn checked_in_year(self, y: i16) -> Option<Date> {
        Date::new(y, self.month, self.day)
            .or_else(|_| Date::new(y, self.month, self.day - 1))
            .ok()
    }
}

/// The earliest date an exchange file may give: 0001-01-01. The engine looks back at most a
/// few years from a date (the 24-month agent look-back, the 5-year §121 window, the tax year
/// that began before it), which stays representable from here; jiff's dates go back to
/// -9999-01-01, and years before 1 are no calendar years a tax rule refers to.
pub const FIRST_SUPPORTED: Date = Date::constant(1, 1, 1);

/// The latest date any computation can reach (jiff's [`Date::MAX`]).
pub const LAST_REPRESENTABLE: Date = Date::MAX;

/// Checks `taxpayer.tax_year_end`.
pub fn validate_year_end(s: &str, e: &mut Errors) {
    if let Err(m) = YearEnd::parse(s) {
        e.push("taxpayer.tax_year_end", "tax_year_end", m);
    }
}

/// `d` plus `n` calendar days (plain date addition, as Treas. Reg. §1.1031(k)-1(b)(3) counts).
///
/// Saturates at the ends of the calendar: past 9999-12-31 it is [`Date::MAX`], before
/// -9999-01-01 [`Date::MIN`], so a later deadline is never earlier than its start (an
/// exchange file whose deadlines would fall past the end is rejected by validation; see
/// [`checked_add_days`]).
pub fn add_days(d: Date, n: i32) -> Date {
    checked_add_days(d, i64::from(n)).unwrap_or(saturated(n))
}

/// `d` plus `n` months, clamped to the month's last day; saturates like [`add_days`].
pub fn add_months(d: Date, n: i32) -> Date {
    checked_add_months(d, n).unwrap_or(saturated(n))
}

/// `d` plus `n` calendar days, or `None` when the result is not a representable date (or `n`
/// is beyond any span jiff can hold: the span setters would panic, so the fallible ones are
/// used).
pub fn checked_add_days(d: Date, n: i64) -> Option<Date> {
    // Whole days as a duration first: no span is built (the deadlines add days to every date
    // of every exchange). jiff bounds a duration's days more tightly than a span's, so a sum
    // it refuses is tried as a span. Any two dates are within 7.3 million days, so a larger
    // `n` is off the calendar (and its hours could overflow).
    if n.unsigned_abs() > 8_000_000 {
        return None;
    }
    if let Ok(sum) = d.checked_add(jiff::SignedDuration::from_hours(n * 24)) {
        return Some(sum);
    }
    let span = jiff::Span::new().try_days(n).ok()?;
    d.checked_add(span).ok()
}

/// `d` plus `n` months (clamped to the month's last day, as a span of months adds them), or
/// `None` when not representable. Counted on the year and month, without a span.
pub fn checked_add_months(d: Date, n: i32) -> Option<Date> {
    let months = i64::from(d.year()) * 12 + i64::from(d.month() - 1) + i64::from(n);
    let year = i16::try_from(months.div_euclid(12)).ok()?;
    let month = i8::try_from(months.rem_euclid(12) + 1).ok()?;
    let first = Date::new(year, month, 1).ok()?;
    Date::new(year, month, d.day().min(first.days_in_month())).ok()
}

/// Where a date moved by `n` units lands when it falls off the calendar.
fn saturated(n: i32) -> Date {
    if n < 0 { Date::MIN } else { Date::MAX }
}

/// Calendar days from `a` to `b` (negative when `b` is earlier). Any two dates are at most
/// about 7.3 million days apart, so the count always fits.
pub fn days_between(a: Date, b: Date) -> i32 {
    // Whole days of 24 hours between civil dates: the same count as `until` in days, without
    // building a span.
    let days = a.duration_until(b).as_hours() / 24;
    i32::try_from(days).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// QA8 1: a February year end written `02-28` ends on the 29th in a leap year (IRC
    /// §441(e): the last day of the month), so a transfer on Feb 29, 2028 falls in the year
    /// that ends that day, not the next one.
    #[test]
    fn february_ends_on_its_last_day() {
        for s in ["02-28", "02-29"] {
            let ye = YearEnd::parse(s).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(ye.year_end_containing(date(2028, 2, 29)), date(2028, 2, 29));
            assert_eq!(ye.year_end_containing(date(2027, 2, 28)), date(2027, 2, 28));
            assert_eq!(ye.year_end_containing(date(2027, 3, 1)), date(2028, 2, 29));
        }
    }

    /// QA8 8: a tax year ends on the last day of a month (IRC §441(e)).
    #[test]
    fn a_year_end_is_the_last_day_of_a_month() {
        assert!(YearEnd::parse("06-30").is_ok());
        assert!(YearEnd::parse("09-30").is_ok());
        let e = YearEnd::parse("06-15").err().unwrap_or_default();
        assert!(e.contains("last day of a month"), "{e}");
        assert!(e.contains("§441(e)"), "{e}");
        assert!(YearEnd::parse("02-30").is_err());
    }

    #[test]
    fn additions_saturate_in_their_direction() {
        let late = date(9999, 12, 20);
        assert_eq!(add_days(late, 180), Date::MAX);
        assert_eq!(add_months(late, 24), Date::MAX);
        assert_eq!(add_days(late, i32::MAX), Date::MAX);
        assert_eq!(add_months(late, i32::MAX), Date::MAX);
        let early = date(-9999, 1, 5);
        assert_eq!(add_days(early, -30), Date::MIN);
        assert_eq!(add_months(early, -24), Date::MIN);
        assert_eq!(add_days(early, i32::MIN), Date::MIN);
        assert_eq!(checked_add_days(late, 180), None);
        assert_eq!(checked_add_days(late, 11), Some(Date::MAX));
        assert_eq!(checked_add_days(late, i64::MAX), None);
        assert_eq!(add_days(date(2026, 3, 2), 180), date(2026, 8, 29));
    }

    proptest::proptest! {
        /// Days and months are added as jiff's spans add them, on and off the calendar.
        #[test]
        fn additions_as_spans_add(
            y in -9999i16..=9999, m in 1i8..=12, day in 1i8..=31,
            days in -8_000_100i64..8_000_100, months in -240_100i32..240_100,
            near in -800i64..800, near_months in -30i32..30,
        ) {
            let d = date(y, m, 1);
            let d = date(y, m, day.min(d.days_in_month()));
            for n in [days, near] {
                let by_span = jiff::Span::new().try_days(n).ok().and_then(|s| d.checked_add(s).ok());
                proptest::prop_assert_eq!(checked_add_days(d, n), by_span, "{} + {} days", d, n);
            }
            for n in [months, near_months] {
                let by_span = jiff::Span::new().try_months(n).ok().and_then(|s| d.checked_add(s).ok());
                proptest::prop_assert_eq!(checked_add_months(d, n), by_span, "{} + {} months", d, n);
            }
        }
    }

    #[test]
    fn days_between_counts_as_a_span_in_days_does() {
        let dates = [
            Date::MIN,
            date(-1, 12, 31),
            date(1970, 1, 1),
            date(2024, 2, 29),
            date(2026, 3, 2),
            date(2026, 12, 31),
            Date::MAX,
        ];
        for a in dates {
            for b in dates {
                let by_span = a.until(b).map(|s| s.get_days()).unwrap_or(i32::MIN);
                assert_eq!(days_between(a, b), by_span, "{a} to {b}");
            }
        }
        assert_eq!(days_between(date(2026, 3, 2), date(2026, 8, 29)), 180);
        assert_eq!(days_between(date(2026, 8, 29), date(2026, 3, 2)), -180);
    }

    #[test]
    fn year_ends_near_the_end_of_the_calendar() {
        let june = YearEnd { month: 6, day: 30 };
        assert_eq!(
            june.checked_year_end_containing(date(9999, 6, 30)),
            Some(date(9999, 6, 30))
        );
        assert_eq!(june.checked_year_end_containing(date(9999, 7, 1)), None);
        // Saturates forward: never a year end before the date (it used to be 2000-01-01).
        assert_eq!(june.year_end_containing(date(9999, 7, 1)), Date::MAX);
        assert_eq!(YearEnd::CALENDAR.in_year(-10000 + 1), date(-9999, 12, 31));
        assert_eq!(june.in_year(i16::MIN), Date::MIN);
        assert_eq!(june.in_year(i16::MAX), Date::MAX);
        assert_eq!(
            YearEnd::CALENDAR.year_end_containing(date(9999, 12, 31)),
            Date::MAX
        );
    }
}
