//! Day 45, day 180 and the return-due-date cap (IRC §1031(a)(3); Reg. 1.1031(k)-1(b)).

use crate::calendar::{YearEnd, add_days, add_months};
use crate::explain::Trace;
use crate::model::{Entity, ExchangeFile};
use jiff::civil::Date;
use serde::Serialize;

/// Which limit ends the exchange period (contract values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeEndRule {
    #[serde(rename = "day_180")]
    Day180,
    ReturnDueDate,
    DisasterPostponement,
}

/// The dates of one exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// The earliest transfer: the start of both periods (Reg. 1.1031(k)-1(b)(2)(iii)).
    pub first_transfer: Date,
    pub identification_end: Date,
    pub day_180: Date,
    /// The due date of the return for the year of the first transfer, with the extension
    /// when `extension_filed`.
    pub return_due_date: Date,
    pub exchange_end: Date,
    pub exchange_end_rule: ExchangeEndRule,
}

/// Computes the deadlines of an exchange file.
pub fn compute(f: &ExchangeFile, t: &mut Trace) -> Option<Deadlines> {
    let first = f.relinquished.iter().map(|r| r.transferred).min()?;
    let id_end = add_days(first, 45);
    t.add(
        "deadlines.identification_end",
        "Identification period ends 45 days after the earliest transfer (day 1 is the day after the transfer)",
        id_end.to_string(),
        "IRC §1031(a)(3)(A); Treas. Reg. §1.1031(k)-1(b)(2)(i), (iii)",
        vec![format!("first transfer = {first}")],
    );
    let d180 = add_days(first, 180);
    t.add(
        "deadlines.day_180",
        "Day 180 after the earliest transfer",
        d180.to_string(),
        "IRC §1031(a)(3)(B)(i); Treas. Reg. §1.1031(k)-1(b)(2)(ii)",
        vec![format!("first transfer = {first}")],
    );
    let ye = YearEnd::parse(&f.taxpayer.tax_year_end).unwrap_or(YearEnd::CALENDAR);
    let year_end = ye.year_end_containing(first);
    let months = match f.taxpayer.entity {
        Entity::Partnership | Entity::SCorporation => 3,
        _ => 4,
    };
    let mut due = add_months(year_end.first_of_month(), months)
        .with()
        .day(15)
        .build()
        .unwrap_or(year_end);
    if f.taxpayer.extension_filed {
        due = add_months(due, 6);
    }
    t.add(
        "deadlines.return_due_date",
        format!(
            "Due date of the {} return for the tax year ending {year_end}{}",
            f.taxpayer.entity.as_str(),
            if f.taxpayer.extension_filed {
                ", with the extension filed"
            } else {
                ", without extension"
            }
        ),
        due.to_string(),
        "IRC §§6072(a)-(b), 6081",
        vec![],
    );
    let (end, rule) = if due < d180 {
        (due, ExchangeEndRule::ReturnDueDate)
    } else {
        (d180, ExchangeEndRule::Day180)
    };
    t.add(
        "deadlines.exchange_end",
        "Exchange period ends on the earlier of day 180 or the return due date (with extensions)",
        end.to_string(),
        "IRC §1031(a)(3)(B); Treas. Reg. §1.1031(k)-1(b)(2)(ii)",
        vec![
            format!("day 180 = {d180}"),
            format!("return due date = {due}"),
        ],
    );
    Some(Deadlines {
        first_transfer: first,
        identification_end: id_end,
        day_180: d180,
        return_due_date: due,
        exchange_end: end,
        exchange_end_rule: rule,
    })
}
