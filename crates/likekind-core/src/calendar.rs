//! Civil-date helpers: the taxpayer's tax-year end and date arithmetic.

use crate::validate::Errors;
use jiff::civil::Date;

/// A tax-year end as month and day (`MM-DD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearEnd {
    pub month: i8,
    pub day: i8,
}

impl YearEnd {
    pub const CALENDAR: YearEnd = YearEnd { month: 12, day: 31 };

    /// Parses `MM-DD`; the day must exist in that month (February allows 29 for leap years).
    pub fn parse(s: &str) -> Result<YearEnd, String> {
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
        if Date::new(2024, month, day).is_err() {
            return Err(format!(
                "{s:?} is not a day of the year (month {month} has no day {day})"
            ));
        }
        Ok(YearEnd { month, day })
    }

    /// The end of the tax year that contains `d`.
    pub fn year_end_containing(self, d: Date) -> Date {
        let this_year = self.in_year(d.year());
        if d <= this_year {
            this_year
        } else {
            self.in_year(d.year() + 1)
        }
    }

    /// This year-end in calendar year `y` (Feb 29 falls back to Feb 28 in common years).
    pub fn in_year(self, y: i16) -> Date {
        Date::new(y, self.month, self.day)
            .or_else(|_| Date::new(y, self.month, self.day - 1))
            .unwrap_or(Date::constant(2000, 1, 1))
    }
}

/// Checks `taxpayer.tax_year_end`.
pub fn validate_year_end(s: &str, e: &mut Errors) {
    if let Err(m) = YearEnd::parse(s) {
        e.push("taxpayer.tax_year_end", "tax_year_end", m);
    }
}

/// `d` plus `n` calendar days (plain date addition, as Reg. 1.1031(k)-1(b)(3) counts).
pub fn add_days(d: Date, n: i32) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap_or(d)
}

/// `d` plus `n` months, clamped to the month's last day.
pub fn add_months(d: Date, n: i32) -> Date {
    d.checked_add(jiff::Span::new().months(n)).unwrap_or(d)
}

/// Calendar days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i32 {
    a.until(b).map(|s| s.get_days()).unwrap_or(0)
}
