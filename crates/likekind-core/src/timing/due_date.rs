//! The due date of the return for the tax year of the transfer: the cap on the exchange
//! period of IRC §1031(a)(3)(B)(ii), "determined with regard to extension".
//!
//! The statutory date (the 15th of the 3rd or 4th month) is the conservative cap. When it
//! falls on a weekend or DC legal holiday, IRC §7503 lets the return be filed on the next
//! business day; whether that also moves the §1031 cap is unsettled (no authority applies
//! IRC §7503 to the §1031(a)(3)(B)(ii) cap, \[U\]), so the rolled date is shown as an alternative only.

use crate::law::cite;
use crate::model::Entity;
use crate::timing::calendar::{YearEnd, checked_add_days, checked_add_months};
use crate::timing::holidays::{is_business_day, roll_7503};
use jiff::civil::{Date, date};
use serde::Serialize;

/// The due dates of one return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DueDate {
    /// First day of the tax year that contains the transfer.
    pub tax_year_begin: Date,
    /// Last day of that tax year.
    pub tax_year_end: Date,
    /// The statutory due date without extension.
    pub original: Date,
    /// The statutory due date with the automatic extension.
    pub extended: Date,
    /// Months of the automatic extension (trusts and estates: 5½, written as 5).
    pub extension_months: i8,
    /// `original` moved under IRC §7503 to the next business day, if it is not one.
    pub original_7503: Date,
    /// `extended` moved the same way.
    pub extended_7503: Date,
    /// The authority for this entity's dates.
    pub authority: &'static str,
    /// What is not settled about these dates (empty when nothing).
    pub caveat: &'static str,
}

impl DueDate {
    /// The due date that caps the exchange period: extended when an extension is filed.
    pub fn applicable(&self, extension_filed: bool) -> Date {
        if extension_filed {
            self.extended
        } else {
            self.original
        }
    }

    /// The same, moved by IRC §7503 (the \[U\] alternative).
    pub fn applicable_7503(&self, extension_filed: bool) -> Date {
        if extension_filed {
            self.extended_7503
        } else {
            self.original_7503
        }
    }
}

/// The 15th day of the `n`th month after the month of `year_end`, if representable.
fn fifteenth_after(year_end: Date, n: i32) -> Option<Date> {
    let m = checked_add_months(year_end.first_of_month(), n)?;
    m.with().day(15).build().ok()
}

/// Due dates of the return of `entity` for the tax year (ending on `year_end` month-day) that
/// contains `transfer`.
///
/// * Individuals, trusts, estates and C corporations: 15th day of the 4th month after the
///   year ends (IRC §6072(a); Treas. Reg. §1.6072-2T(a)(1)(i)).
/// * Partnerships and S corporations: 15th day of the 3rd month (IRC §6072(b)).
/// * C corporations with a June 30 year beginning before 2026-01-01: 15th day of the 3rd
///   month (Treas. Reg. §1.6072-2T(a)(2)).
/// * Extensions: 6 months (Treas. Reg. §§1.6081-2, -3, -4); 7 months for the June-30 C
///   corporation year beginning before 2026 (IRC §6081(b); Treas. Reg. §1.6081-3T(e)); trusts and
///   estates 5½ months (Form 7004 instructions; not verified against primary text).
///
/// Near the end of the calendar (a transfer late in year 9999) some of these dates cannot be
/// represented: they are then [`Date::MAX`], never a date before the transfer. Validation
/// rejects such transfers with [`checked_return_due_date`].
pub fn return_due_date(entity: Entity, ye: YearEnd, transfer: Date) -> DueDate {
    match checked_return_due_date(entity, ye, transfer) {
        Ok(d) => d,
        Err(e) => {
            let (authority, caveat, _) = rule(entity, ye, Date::MAX);
            let tax_year_end = e.tax_year_end.unwrap_or(Date::MAX);
            DueDate {
                tax_year_begin: e.tax_year_begin,
                tax_year_end,
                original: Date::MAX,
                extended: Date::MAX,
                extension_months: if matches!(entity, Entity::Trust | Entity::Estate) {
                    5
                } else {
                    6
                },
                original_7503: Date::MAX,
                extended_7503: Date::MAX,
                authority,
                caveat,
            }
        }
    }
}

/// Why [`checked_return_due_date`] could not compute the due dates: they would fall after
/// 9999-12-31.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the due date of the return for the tax year of this transfer would fall after 9999-12-31")]
pub struct DueDateOutOfRange {
    /// First day of the tax year containing the transfer (always representable).
    pub tax_year_begin: Date,
    /// Last day of that tax year, when representable.
    pub tax_year_end: Option<Date>,
}

/// The authority, caveat and month count of the due date (see [`return_due_date`]).
fn rule(entity: Entity, ye: YearEnd, tax_year_begin: Date) -> (&'static str, &'static str, i32) {
    let june_30 = ye.month == 6 && ye.day == 30;
    let before_2026 = tax_year_begin < date(2026, 1, 1);
    let (months, authority, caveat) = match entity {
        Entity::Partnership | Entity::SCorporation => (
            3,
            cite!(IRC_6072 "(b)"; [REG_1_6081_2, REG_1_6081_3] " (6-month extension)"),
            "",
        ),
        Entity::CCorporation if june_30 && before_2026 => (
            3,
            cite!(REG_1_6072_2T "(a)(2) (June 30 year beginning before 2026: 3rd month)"; IRC_6081 "(b)", REG_1_6081_3T "(e) (7-month extension)"),
            "",
        ),
        Entity::CCorporation if ye == YearEnd::CALENDAR && before_2026 => (
            4,
            cite!(IRC_6072 "(a)"; REG_1_6072_2T "(a)(1)(i)"; REG_1_6081_3 "(a) (automatic 6-month extension)"),
            "IRC §6081(b) says 5 months for a calendar-year C corporation year beginning before 2026, while Treas. Reg. §1.6081-3 grants 6 months; the 6-month date is used",
        ),
        Entity::CCorporation => (
            4,
            cite!(IRC_6072 "(a)"; REG_1_6072_2T "(a)(1)(i)"; IRC_6081 "(b)", REG_1_6081_3 " (6-month extension)"),
            "",
        ),
        Entity::Individual => (
            4,
            cite!(IRC_6072 "(a)"; REG_1_6081_4 " (automatic 6-month extension, Form 4868)"),
            "",
        ),
        Entity::Trust | Entity::Estate => (
            4,
            cite!(IRC_6072 "(a)"; "Form 7004 instructions (5½-month extension for Form 1041)"),
            "the 5½-month extension of Form 1041 (September 30 for a calendar year) is from the form instructions and has not been verified against primary text",
        ),
    };
    (authority, caveat, months)
}

/// [`return_due_date`], or an error when a date of it would fall after 9999-12-31.
///
/// # Errors
/// [`DueDateOutOfRange`] for a transfer so late that the return for its tax year (with the
/// extension, and moved by IRC §7503) would be due after the last representable day.
pub fn checked_return_due_date(
    entity: Entity,
    ye: YearEnd,
    transfer: Date,
) -> Result<DueDate, DueDateOutOfRange> {
    let year_end = ye.checked_year_end_containing(transfer);
    // The previous year end is before `transfer`, so it exists unless the transfer is in the
    // first days of -9999; then the tax year is taken to begin on the first day there is.
    let tax_year_begin = year_end
        .and_then(|e| ye.checked_in_year(e.year().checked_sub(1)?))
        .or_else(|| ye.checked_in_year(transfer.year().checked_sub(1)?))
        .and_then(|p| checked_add_days(p, 1))
        .filter(|b| *b <= transfer)
        .unwrap_or(Date::MIN);
    let err = DueDateOutOfRange {
        tax_year_begin,
        tax_year_end: year_end,
    };
    let tax_year_end = year_end.ok_or(err)?;
    let june_30 = ye.month == 6 && ye.day == 30;
    let before_2026 = tax_year_begin < date(2026, 1, 1);
    let (authority, caveat, months) = rule(entity, ye, tax_year_begin);
    let original = fifteenth_after(tax_year_end, months).ok_or(err)?;
    let (extended, extension_months) = match entity {
        Entity::Trust | Entity::Estate => (
            checked_add_months(original, 5).map(|d| d.last_of_month()),
            5,
        ),
        Entity::CCorporation if june_30 && before_2026 => (checked_add_months(original, 7), 7),
        _ => (checked_add_months(original, 6), 6),
    };
    let extended = extended.ok_or(err)?;
    // §7503 moves a date to the next business day: it must stay on the calendar too.
    let roll = |d: Date| {
        let r = roll_7503(d);
        if is_business_day(r) { Some(r) } else { None }
    };
    Ok(DueDate {
        tax_year_begin,
        tax_year_end,
        original,
        extended,
        extension_months,
        original_7503: roll(original).ok_or(err)?,
        extended_7503: roll(extended).ok_or(err)?,
        authority,
        caveat,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(e: Entity, ye: &str, t: Date) -> DueDate {
        return_due_date(e, YearEnd::parse(ye).unwrap_or_else(|x| panic!("{x}")), t)
    }

    #[test]
    fn calendar_year_2026_transfers() {
        // IRC §6072(a), (b); Treas. Reg. §§1.6081-2, 1.6081-3, 1.6081-4, applied to 2026 transfers.
        let i = due(Entity::Individual, "12-31", date(2026, 10, 30));
        assert_eq!(
            (i.original, i.extended),
            (date(2027, 4, 15), date(2027, 10, 15))
        );
        let p = due(Entity::Partnership, "12-31", date(2026, 11, 15));
        assert_eq!(
            (p.original, p.extended),
            (date(2027, 3, 15), date(2027, 9, 15))
        );
        let s = due(Entity::SCorporation, "12-31", date(2026, 1, 2));
        assert_eq!(s.original, date(2027, 3, 15));
        let c = due(Entity::CCorporation, "12-31", date(2026, 12, 1));
        assert_eq!(
            (c.original, c.extended),
            (date(2027, 4, 15), date(2027, 10, 15))
        );
        let t = due(Entity::Trust, "12-31", date(2026, 12, 1));
        assert_eq!(
            (t.original, t.extended),
            (date(2027, 4, 15), date(2027, 9, 30))
        );
        assert!(!t.caveat.is_empty());
    }

    #[test]
    fn june_30_c_corporation_before_and_after_2026() {
        let old = due(Entity::CCorporation, "06-30", date(2026, 6, 20));
        assert_eq!(old.tax_year_begin, date(2025, 7, 1));
        assert_eq!(
            (old.original, old.extended),
            (date(2026, 9, 15), date(2027, 4, 15))
        );
        let new = due(Entity::CCorporation, "06-30", date(2026, 7, 1));
        assert_eq!(
            (new.original, new.extended),
            (date(2027, 10, 15), date(2028, 4, 15))
        );
    }

    #[test]
    fn fiscal_year_partnership() {
        // Year ending 2026-09-30: 15th day of the 3rd month after = 2026-12-15.
        let p = due(Entity::Partnership, "09-30", date(2026, 5, 1));
        assert_eq!(p.tax_year_begin, date(2025, 10, 1));
        assert_eq!(p.original, date(2026, 12, 15));
        assert_eq!(p.extended, date(2027, 6, 15));
    }

    #[test]
    fn transfers_at_the_end_of_the_calendar() {
        // A transfer on 9999-12-20 used to get a due date of 9999-12-15 (a clamp), so the
        // exchange ended before it began. Now the checked form refuses it and the plain
        // form saturates forward.
        let t = date(9999, 12, 20);
        let ye = YearEnd::CALENDAR;
        assert!(checked_return_due_date(Entity::Individual, ye, t).is_err());
        let d = return_due_date(Entity::Individual, ye, t);
        assert!(d.original >= t && d.extended >= t && d.tax_year_begin <= t);
        assert_eq!(d.tax_year_begin, date(9999, 1, 1));
        // The last transfer whose extended due date still fits: year 9998 for a calendar
        // year (due 9999-10-15 with the extension).
        let ok = checked_return_due_date(Entity::Individual, ye, date(9998, 12, 31));
        assert_eq!(ok.map(|d| d.extended), Ok(date(9999, 10, 15)));
        // A June year end: the year containing 9999-07-01 ends in 10000.
        let june = YearEnd { month: 6, day: 30 };
        let e = checked_return_due_date(Entity::Partnership, june, date(9999, 7, 1));
        assert_eq!(e.map_err(|e| e.tax_year_end), Err(None));
    }

    #[test]
    fn transfers_at_the_start_of_the_calendar() {
        for t in [date(1, 1, 1), date(-9999, 1, 1), date(-9999, 12, 31)] {
            let d = return_due_date(Entity::Individual, YearEnd::CALENDAR, t);
            assert!(d.tax_year_begin <= t && t <= d.tax_year_end, "{t}: {d:?}");
            assert!(d.original > d.tax_year_end);
        }
    }

    #[test]
    fn weekend_due_date_rolls_only_in_the_alternative() {
        let i = due(Entity::Individual, "12-31", date(2027, 12, 15));
        assert_eq!(i.original, date(2028, 4, 15));
        assert_eq!(i.original_7503, date(2028, 4, 18));
        assert_eq!(i.extended_7503, date(2028, 10, 16));
    }
}
