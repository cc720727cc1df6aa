//! Timing: the calendar, the return due dates, day 45 and day 180, disaster postponement,
//! reverse and improvement exchanges, and when the exchange funds may be released.

pub mod calendar;
pub mod constructive_receipt;
pub mod deadlines;
pub mod disaster;
pub mod due_date;
pub mod holidays;
pub mod reverse;
pub mod status;
