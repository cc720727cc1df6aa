//! Disaster postponement of the §1031 deadlines: Rev. Proc. 2018-58 §17 under IRC §7508A.
//!
//! Relief exists only where the IRS issued a notice or news release for the disaster that
//! refers to Rev. Proc. 2018-58 (§1.02, §4.01); a FEMA declaration alone postpones nothing.
//! §17 postpones the last day of the 45-day or 180-day period that falls on or after the
//! disaster date by 120 days or to the general postponement date, whichever is later. The
//! text of §17 was not retrieved: the rule is from consistent secondary sources, and its
//! upper limit is unsettled (\[U\]); the engine caps the postponement at one year, the most
//! §7508A(a) allows.

use crate::law::cite;
use crate::timing::calendar::add_days;
use crate::timing::calendar::add_months;
use jiff::civil::Date;
use serde::Serialize;

/// Authority cited for the §17 postponement.
pub const AUTHORITY: &str =
    cite!(REV_PROC_2018_58 " §17"; IRC_7508A "(a) (text of §17 not verified: [U])");

/// The facts §17 depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisasterFacts {
    pub disaster_date: Date,
    pub postponement_date: Date,
    pub affected_taxpayer: bool,
    /// A §17 difficulty was stated (property or a party in the area, records lost...).
    pub difficulty: bool,
    /// The first transfer of relinquished property, or for a reverse exchange the transfer
    /// of qualified indicia to the EAT.
    pub start: Date,
}

/// What §17 does to an exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisasterOutcome {
    pub section17_eligible: bool,
    /// Each §17 condition and whether it holds, in words.
    pub conditions: Vec<String>,
    pub disaster_date: Date,
    pub postponement_date: Date,
    /// Day 45 postponed, when it fell on or after the disaster date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postponed_identification_end: Option<Date>,
    /// Day 180 postponed, when it fell on or after the disaster date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postponed_day_180: Option<Date>,
}

/// Whether §17 applies: (a) the transfer happened on or before the disaster date, and (b)
/// the taxpayer is affected or has a listed difficulty.
pub fn section17_eligible(f: &DisasterFacts) -> (bool, Vec<String>) {
    let a = f.start <= f.disaster_date;
    let b = f.affected_taxpayer || f.difficulty;
    let conditions = vec![
        format!(
            "(a) transfer on or before the disaster date: {} ({} vs {})",
            if a { "met" } else { "NOT met" },
            f.start,
            f.disaster_date
        ),
        format!(
            "(b) affected taxpayer or difficulty caused by the disaster: {}",
            if b { "met" } else { "NOT met" }
        ),
    ];
    (a && b, conditions)
}

/// The postponed deadline: for a deadline on or after the disaster date, the later of 120
/// days after it and the general postponement date, at most one year after it (\[U\] cap).
/// `None` when the deadline fell before the disaster and is not postponed.
pub fn postpone(deadline: Date, disaster_date: Date, postponement_date: Date) -> Option<Date> {
    if deadline < disaster_date {
        return None;
    }
    let later = add_days(deadline, 120).max(postponement_date);
    Some(later.min(add_months(deadline, 12)))
}

/// Applies §17 to day 45 and day 180.
pub fn apply(f: &DisasterFacts, identification_end: Date, day_180: Date) -> DisasterOutcome {
    let (ok, conditions) = section17_eligible(f);
    let p = |d| {
        if ok {
            postpone(d, f.disaster_date, f.postponement_date)
        } else {
            None
        }
    };
    DisasterOutcome {
        section17_eligible: ok,
        conditions,
        disaster_date: f.disaster_date,
        postponement_date: f.postponement_date,
        postponed_identification_end: p(identification_end),
        postponed_day_180: p(day_180),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn vector_rp2018_58_sec17() {
        let f = DisasterFacts {
            disaster_date: date(2026, 9, 1),
            postponement_date: date(2027, 1, 15),
            affected_taxpayer: true,
            difficulty: false,
            start: date(2026, 8, 1),
        };
        let o = apply(&f, date(2026, 9, 15), date(2027, 1, 28));
        assert!(o.section17_eligible);
        assert_eq!(o.postponed_identification_end, Some(date(2027, 1, 15)));
        assert_eq!(o.postponed_day_180, Some(date(2027, 5, 28)));
    }

    #[test]
    fn transfer_after_the_disaster_gets_nothing() {
        let f = DisasterFacts {
            disaster_date: date(2026, 9, 1),
            postponement_date: date(2027, 1, 15),
            affected_taxpayer: true,
            difficulty: false,
            start: date(2026, 9, 2),
        };
        let o = apply(&f, date(2026, 10, 17), date(2027, 3, 1));
        assert!(!o.section17_eligible);
        assert_eq!(o.postponed_day_180, None);
    }

    #[test]
    fn deadline_before_the_disaster_is_not_postponed_and_cap_is_one_year() {
        assert_eq!(
            postpone(date(2026, 8, 31), date(2026, 9, 1), date(2027, 1, 1)),
            None
        );
        assert_eq!(
            postpone(date(2026, 9, 1), date(2026, 9, 1), date(2028, 1, 1)),
            Some(date(2027, 9, 1))
        );
    }
}
