//! Disaster postponement of the §1031 deadlines: Rev. Proc. 2018-58 §17 and Section 6 under
//! IRC §7508A.
//!
//! Relief exists only where the IRS issued a notice or news release for the disaster that
//! refers to Rev. Proc. 2018-58: "This revenue procedure does not, by itself, provide any
//! postponements under section 7508A. In order for taxpayers to be entitled to a postponement
//! of any act listed in this revenue procedure, the Internal Revenue Service (IRS) generally
//! will publish a notice or issue other guidance (including an IRS News Release)" (§1.02, Tax
//! Notes copy). A FEMA declaration alone postpones nothing.
//!
//! The text of §17 and of Section 6 was not retrieved (the Tax Notes copy in the search index
//! gives §1 only); the rules below are those every secondary source states alike (\[U\]):
//!
//! * **§17** postpones the last day of a 45-day or 180-day period that falls on or after the
//!   disaster date by 120 days or to the general postponement date, whichever is later, if
//!   (a) the transfer the period runs from was made on or before the disaster date and (b)
//!   the taxpayer is an affected taxpayer or has a listed difficulty. CLA (claconnect.com):
//!   "A taxpayer who is a transferor qualifies for a postponement under this section only if
//!   the relinquished property was transferred on or before the date of the federally
//!   declared disaster." For a reverse exchange the transfer is that of the qualified indicia
//!   to the EAT (ipx1031.com: "the Relinquished Property must have been transferred, or the
//!   parked property parked ON OR BEFORE the Disaster Date"); the 45/180-day periods counted
//!   from a later sale of the relinquished property are tested on that sale.
//! * **Section 6** (the general postponement, affected taxpayers only): a 45-day or 180-day
//!   deadline falling on or after the disaster date and before the postponement date moves to
//!   the postponement date, whatever the transfer date. 1031exchange.com: "Any 45-day or
//!   180-day deadline on or after the disaster date is extended to the general postponement
//!   date. The Section 6 General Postponement applies only to Affected Taxpayers … This
//!   extension applies regardless of whether the relinquished property was transferred before
//!   or after the Disaster Date." ipx1031.com: "Affected Taxpayers may choose either the
//!   General Postponement relief under Section 6 OR the Alternative relief under Section 17".
//!   Where both apply, the later date is taken.
//! * **Upper limit.** Rev. Proc. 2007-56 §17.02 (the predecessor text), as quoted by
//!   ade1031.com: "However, in no event may a postponement period extend beyond: (a) the due
//!   date (including extensions) of the taxpayer's tax return for the year of the transfer".
//!   The engine caps a §17 postponement at one year (the most §7508A(a) allows) and the
//!   exchange period at the return's due date (`deadlines`).

use crate::findings::{Findings, Severity};
use crate::law::cite;
use crate::timing::calendar::add_days;
use crate::timing::calendar::add_months;
use jiff::civil::Date;
use serde::Serialize;

/// Authority cited for the §17 postponement.
pub const AUTHORITY: &str =
    cite!(REV_PROC_2018_58 " §17"; IRC_7508A "(a) (text of §17 not verified: [U])");

/// Authority cited for the Section 6 general postponement.
pub const AUTHORITY_SECTION_6: &str = cite!(REV_PROC_2018_58 " Section 6 (general postponement for affected taxpayers; text not verified, secondary sources only: [U])"; IRC_7508A "(a)");

/// The facts §17 and Section 6 depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisasterFacts {
    pub disaster_date: Date,
    pub postponement_date: Date,
    pub affected_taxpayer: bool,
    /// A §17 difficulty was stated (property or a party in the area, records lost...).
    pub difficulty: bool,
    /// The transfer the deadlines run from, on which §17's condition (a) is tested: the first
    /// transfer of relinquished property for the §1031(a)(3) periods, the transfer of
    /// qualified indicia to the EAT for the Rev. Proc. 2000-37 deadlines.
    pub start: Date,
}

/// The part of Rev. Proc. 2018-58 that postpones a deadline (contract values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Relief {
    /// §17: the later of 120 days after the deadline and the postponement date.
    #[serde(rename = "section_17")]
    Section17,
    /// Section 6: the general postponement date (affected taxpayers, any transfer date; \[U\]).
    #[serde(rename = "section_6")]
    Section6,
}

impl Relief {
    /// The part of the Rev. Proc., in words.
    pub fn words(self) -> &'static str {
        match self {
            Relief::Section17 => "Rev. Proc. 2018-58 §17",
            Relief::Section6 => "Rev. Proc. 2018-58 Section 6 (general postponement, [U])",
        }
    }

    /// The authority line of the part.
    pub fn authority(self) -> &'static str {
        match self {
            Relief::Section17 => AUTHORITY,
            Relief::Section6 => AUTHORITY_SECTION_6,
        }
    }
}

/// What §17 and Section 6 do to a 45-day and a 180-day deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisasterOutcome {
    pub section17_eligible: bool,
    /// Each §17 condition and whether it holds, in words.
    pub conditions: Vec<String>,
    /// Whether the Section 6 general postponement is open: to affected taxpayers, whatever
    /// the transfer date (\[U\]: secondary sources only).
    pub section6_available: bool,
    pub disaster_date: Date,
    pub postponement_date: Date,
    /// The 45-day deadline postponed, when it is (before any cut to the end of the exchange
    /// period: see `Deadlines::identification_end`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postponed_identification_end: Option<Date>,
    /// The part of the Rev. Proc. that postponed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identification_end_postponed_under: Option<Relief>,
    /// The 180-day deadline postponed, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postponed_day_180: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day_180_postponed_under: Option<Relief>,
}

impl DisasterOutcome {
    /// Whether either deadline is postponed.
    pub fn postpones(&self) -> bool {
        self.postponed_identification_end.is_some() || self.postponed_day_180.is_some()
    }

    /// Whether a deadline was postponed under Section 6.
    pub fn uses_section6(&self) -> bool {
        self.identification_end_postponed_under == Some(Relief::Section6)
            || self.day_180_postponed_under == Some(Relief::Section6)
    }
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

/// The §17 postponed deadline: for a deadline on or after the disaster date, the later of
/// 120 days after it and the general postponement date, at most one year after it (\[U\]
/// cap). `None` when the deadline fell before the disaster and is not postponed.
pub fn postpone(deadline: Date, disaster_date: Date, postponement_date: Date) -> Option<Date> {
    if deadline < disaster_date {
        return None;
    }
    let later = add_days(deadline, 120).max(postponement_date);
    Some(later.min(add_months(deadline, 12)))
}

/// The Section 6 postponed deadline: a deadline on or after the disaster date and before the
/// postponement date moves to the postponement date (\[U\]). `None` otherwise.
pub fn postpone_section6(
    deadline: Date,
    disaster_date: Date,
    postponement_date: Date,
) -> Option<Date> {
    (disaster_date <= deadline && deadline < postponement_date).then_some(postponement_date)
}

/// One deadline postponed: under §17 when its conditions hold, under Section 6 for an
/// affected taxpayer, the later date where both apply (§17 on a tie).
fn postpone_one(f: &DisasterFacts, section17: bool, deadline: Date) -> Option<(Date, Relief)> {
    let s17 = section17
        .then(|| postpone(deadline, f.disaster_date, f.postponement_date))
        .flatten()
        .map(|d| (d, Relief::Section17));
    let s6 = f
        .affected_taxpayer
        .then(|| postpone_section6(deadline, f.disaster_date, f.postponement_date))
        .flatten()
        .map(|d| (d, Relief::Section6));
    match (s17, s6) {
        (Some(a), Some(b)) if b.0 > a.0 => Some(b),
        (a, b) => a.or(b),
    }
}

/// Applies §17 and Section 6 to a 45-day and a 180-day deadline (day 45 and day 180, or the
/// Rev. Proc. 2000-37 deadlines of a reverse exchange).
pub fn apply(f: &DisasterFacts, identification_end: Date, day_180: Date) -> DisasterOutcome {
    let (ok, conditions) = section17_eligible(f);
    let id = postpone_one(f, ok, identification_end);
    let end = postpone_one(f, ok, day_180);
    DisasterOutcome {
        section17_eligible: ok,
        conditions,
        section6_available: f.affected_taxpayer,
        disaster_date: f.disaster_date,
        postponement_date: f.postponement_date,
        postponed_identification_end: id.map(|x| x.0),
        identification_end_postponed_under: id.map(|x| x.1),
        postponed_day_180: end.map(|x| x.0),
        day_180_postponed_under: end.map(|x| x.1),
    }
}

/// The deadlines a finding speaks of: what they are, and their names and dates.
pub struct Scope<'a> {
    /// E.g. "the 45-day and 180-day periods counted from the transfer on 2026-09-05".
    pub what: String,
    /// The 45-day and the 180-day deadline: name and date.
    pub deadlines: [(&'a str, Date); 2],
}

/// The one deadline moved, in words.
fn moved_words((name, from): (&str, Date), to: Date, under: Relief) -> String {
    match under {
        Relief::Section17 => format!("{name} ({from}) to {to} under §17"),
        Relief::Section6 => format!("{name} ({from}) to {to} under Section 6"),
    }
}

/// What each part used does, in words.
fn rules_words(o: &DisasterOutcome, used: [Option<Relief>; 2]) -> String {
    let mut out = String::new();
    if used.contains(&Some(Relief::Section17)) {
        out.push_str(&format!(
            "§17 moves a deadline falling on or after the disaster date to the later of 120 days after it and the postponement date {} (capped here at one year [U]). ",
            o.postponement_date
        ));
    }
    if used.contains(&Some(Relief::Section6)) {
        out.push_str(&format!(
            "Section 6, the general postponement for affected taxpayers, moves a deadline falling on or after the disaster date {} and before the postponement date to that date, whatever the date of the transfer [U]. ",
            o.disaster_date
        ));
    }
    out
}

/// One deadline not moved, and why, in words.
fn kept_words(o: &DisasterOutcome, (name, from): (&str, Date)) -> String {
    if from < o.disaster_date {
        format!(
            "{name} ({from}) fell before the disaster date {} and is not postponed",
            o.disaster_date
        )
    } else if o.section6_available && !o.section17_eligible {
        format!(
            "{name} ({from}) is not postponed: it falls on or after the postponement date {}, outside Section 6",
            o.postponement_date
        )
    } else {
        format!("{name} ({from}) is not postponed")
    }
}

/// Section 6 in words, when §17 does not apply and nothing is postponed.
fn section6_words(o: &DisasterOutcome) -> String {
    if o.section6_available {
        format!(
            "Section 6, the general postponement for affected taxpayers [U], moves only a deadline falling on or after the disaster date {} and before the postponement date {}",
            o.disaster_date, o.postponement_date
        )
    } else {
        "Section 6, the general postponement, is open only to affected taxpayers [U], and you are not stated to be one".into()
    }
}

/// The finding on what the disaster postpones among the deadlines of `scope`: which moved,
/// to when and under which part, or why nothing moved.
pub fn findings(o: &DisasterOutcome, scope: &Scope, path: &'static str, fx: &mut Findings) {
    let postponed = [
        o.postponed_identification_end
            .zip(o.identification_end_postponed_under),
        o.postponed_day_180.zip(o.day_180_postponed_under),
    ];
    let words = |i: usize| match postponed[i] {
        Some((to, under)) => moved_words(scope.deadlines[i], to, under),
        None => kept_words(o, scope.deadlines[i]),
    };
    let not_17 = if o.section17_eligible {
        String::new()
    } else {
        format!("§17 does not apply: {}. ", o.conditions.join("; "))
    };
    if o.postpones() {
        let section6 = (0..2)
            .find(|&i| postponed[i].is_some_and(|p| p.1 == Relief::Section6))
            .map(|i| {
                let (name, from) = scope.deadlines[i];
                format!(
                    "Section 6 is stated by secondary sources only (1031exchange.com: \"Any 45-day or 180-day deadline on or after the disaster date is extended to the general postponement date … regardless of whether the relinquished property was transferred before or after the Disaster Date\"; ipx1031.com): its text was not retrieved [U], so the safe course is to meet {name} ({from}) if you can. "
                )
            })
            .unwrap_or_default();
        crate::finding_at!(
            fx,
            "disaster_postponement",
            Severity::Info,
            path,
            format!(
                "Rev. Proc. 2018-58 postpones {}: {}; {}. {}{not_17}{section6}Relief requires an IRS notice or news release for this disaster referring to Rev. Proc. 2018-58; the text of §17{} and any upper limit were not verified.",
                scope.what,
                words(0),
                words(1),
                rules_words(o, postponed.map(|p| p.map(|x| x.1))),
                if o.uses_section6() {
                    " and of Section 6"
                } else {
                    ""
                }
            ),
            if o.uses_section6() {
                cite!(REV_PROC_2018_58 " §17, Section 6 (general postponement; text not verified, secondary sources only: [U])"; IRC_7508A "(a)")
            } else {
                AUTHORITY
            },
        );
    } else if o.section17_eligible {
        crate::finding_at!(
            fx,
            "disaster_postponement_not_available",
            Severity::Info,
            path,
            format!(
                "Rev. Proc. 2018-58 does not postpone {}: {}; {}.",
                scope.what,
                words(0),
                words(1)
            ),
            AUTHORITY,
        );
    } else {
        crate::finding_at!(
            fx,
            "disaster_postponement_not_available",
            Severity::Warning,
            path,
            format!(
                "Rev. Proc. 2018-58 does not postpone {}. {not_17}{}: {}; {}.",
                scope.what,
                section6_words(o),
                words(0),
                words(1)
            ),
            cite!(REV_PROC_2018_58 " §17, Section 6 (text not verified: [U])"; IRC_7508A "(a)"),
        );
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
        assert_eq!(
            o.identification_end_postponed_under,
            Some(Relief::Section17)
        );
        assert_eq!(o.postponed_day_180, Some(date(2027, 5, 28)));
        assert_eq!(o.day_180_postponed_under, Some(Relief::Section17));
    }

    /// A transfer after the disaster date gets nothing from §17. A taxpayer with a stated
    /// difficulty but not affected gets nothing at all; an affected taxpayer gets Section 6
    /// for a deadline falling before the postponement date (this test asserted "nothing" for
    /// the affected taxpayer before Section 6 was implemented: QA pass 10, defect 4).
    #[test]
    fn transfer_after_the_disaster_gets_section6_only_when_affected() {
        let mut f = DisasterFacts {
            disaster_date: date(2026, 9, 1),
            postponement_date: date(2027, 1, 15),
            affected_taxpayer: false,
            difficulty: true,
            start: date(2026, 9, 2),
        };
        let o = apply(&f, date(2026, 10, 17), date(2027, 3, 1));
        assert!(!o.section17_eligible);
        assert!(!o.postpones());
        f.affected_taxpayer = true;
        let o = apply(&f, date(2026, 10, 17), date(2027, 3, 1));
        assert!(!o.section17_eligible);
        assert_eq!(o.postponed_identification_end, Some(date(2027, 1, 15)));
        assert_eq!(o.identification_end_postponed_under, Some(Relief::Section6));
        assert_eq!(
            o.postponed_day_180, None,
            "day 180 falls after the postponement date"
        );
    }

    /// Both parts apply: the later date wins (§17 on a tie).
    #[test]
    fn the_later_of_section17_and_section6() {
        let f = DisasterFacts {
            disaster_date: date(2026, 9, 1),
            postponement_date: date(2027, 1, 15),
            affected_taxpayer: true,
            difficulty: false,
            start: date(2026, 8, 1),
        };
        // Day 45 2026-12-01: §17 gives 2027-03-31, Section 6 2027-01-15.
        let o = apply(&f, date(2026, 12, 1), date(2027, 6, 1));
        assert_eq!(o.postponed_identification_end, Some(date(2027, 3, 31)));
        assert_eq!(
            o.identification_end_postponed_under,
            Some(Relief::Section17)
        );
        assert_eq!(
            postpone_section6(date(2027, 1, 15), f.disaster_date, f.postponement_date),
            None
        );
        assert_eq!(
            postpone_section6(date(2026, 9, 1), f.disaster_date, f.postponement_date),
            Some(date(2027, 1, 15))
        );
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
