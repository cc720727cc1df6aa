//! The due date of the return for the tax year of the transfer: the cap on the exchange
//! period of IRC §1031(a)(3)(B)(ii), "determined with regard to extension".
//!
//! The statutory date (the 15th of the 3rd or 4th month) is the conservative cap. When it
//! falls on a weekend or DC legal holiday, IRC §7503 lets the return be filed on the next
//! business day; whether that also moves the §1031 cap is unsettled (verification.md §6.2,
//! \[U\]), so the rolled date is shown as an alternative only.

use crate::calendar::{YearEnd, add_days, add_months};
use crate::holidays::roll_7503;
use crate::model::Entity;
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

/// The 15th day of the `n`th month after the month of `year_end`.
fn fifteenth_after(year_end: Date, n: i32) -> Date {
    let m = add_months(year_end.first_of_month(), n);
    m.with().day(15).build().unwrap_or(m)
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
///   corporation year beginning before 2026 (IRC §6081(b); Reg. §1.6081-3T(e)); trusts and
///   estates 5½ months (Form 7004 instructions; not verified against primary text).
pub fn return_due_date(entity: Entity, ye: YearEnd, transfer: Date) -> DueDate {
    let tax_year_end = ye.year_end_containing(transfer);
    let previous_end = ye.in_year(tax_year_end.year() - 1);
    let tax_year_begin = add_days(previous_end, 1);
    let june_30 = ye.month == 6 && ye.day == 30;
    let before_2026 = tax_year_begin < date(2026, 1, 1);
    let (months, authority, caveat) = match entity {
        Entity::Partnership | Entity::SCorporation => (
            3,
            "IRC §6072(b); Treas. Reg. §§1.6081-2, 1.6081-3 (6-month extension)",
            "",
        ),
        Entity::CCorporation if june_30 && before_2026 => (
            3,
            "Treas. Reg. §1.6072-2T(a)(2) (June 30 year beginning before 2026: 3rd month); IRC §6081(b), Treas. Reg. §1.6081-3T(e) (7-month extension)",
            "",
        ),
        Entity::CCorporation if ye == YearEnd::CALENDAR && before_2026 => (
            4,
            "IRC §6072(a); Treas. Reg. §1.6072-2T(a)(1)(i); Treas. Reg. §1.6081-3(a) (automatic 6-month extension)",
            "IRC §6081(b) says 5 months for a calendar-year C corporation year beginning before 2026, while Treas. Reg. §1.6081-3 grants 6 months; the 6-month date is used",
        ),
        Entity::CCorporation => (
            4,
            "IRC §6072(a); Treas. Reg. §1.6072-2T(a)(1)(i); IRC §6081(b), Treas. Reg. §1.6081-3 (6-month extension)",
            "",
        ),
        Entity::Individual => (
            4,
            "IRC §6072(a); Treas. Reg. §1.6081-4 (automatic 6-month extension, Form 4868)",
            "",
        ),
        Entity::Trust | Entity::Estate => (
            4,
            "IRC §6072(a); Form 7004 instructions (5½-month extension for Form 1041)",
            "the 5½-month extension of Form 1041 (September 30 for a calendar year) is from the form instructions and has not been verified against primary text",
        ),
    };
    let original = fifteenth_after(tax_year_end, months);
    let (extended, extension_months) = match entity {
        Entity::Trust | Entity::Estate => (add_months(original, 5).last_of_month(), 5),
        Entity::CCorporation if june_30 && before_2026 => (add_months(original, 7), 7),
        _ => (add_months(original, 6), 6),
    };
    DueDate {
        tax_year_begin,
        tax_year_end,
        original,
        extended,
        extension_months,
        original_7503: roll_7503(original),
        extended_7503: roll_7503(extended),
        authority,
        caveat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(e: Entity, ye: &str, t: Date) -> DueDate {
        return_due_date(e, YearEnd::parse(ye).unwrap_or_else(|x| panic!("{x}")), t)
    }

    #[test]
    fn calendar_year_2026_transfers() {
        // verification.md §6.1, applied to 2026 transfers.
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
    fn weekend_due_date_rolls_only_in_the_alternative() {
        let i = due(Entity::Individual, "12-31", date(2027, 12, 15));
        assert_eq!(i.original, date(2028, 4, 15));
        assert_eq!(i.original_7503, date(2028, 4, 18));
        assert_eq!(i.extended_7503, date(2028, 10, 16));
    }
}
