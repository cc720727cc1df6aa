//! When exchange funds may go back to the taxpayer (Treas. Reg. §1.1031(k)-1(g)(6)).
//!
//! The QI safe harbor holds only if the exchange agreement denies the taxpayer any right to
//! receive, pledge, borrow or otherwise obtain the funds before the end of the exchange
//! period, except: (g)(6)(ii) nothing identified by the end of the identification period →
//! any time after it; (g)(6)(iii)(A) all replacement property the taxpayer is entitled to
//! received → upon or after that receipt; (g)(6)(iii)(B) a written, material and substantial
//! contingency beyond the taxpayer's control occurring after the identification period. The
//! end of the exchange period itself follows from (g)(6)(i): the agreement limits the
//! taxpayer's rights "to receive, pledge, borrow, or otherwise obtain the benefits of money or
//! other property before the end of the exchange period" ((g)(6)(i), text retrieved), so
//! the restrictions end with the exchange period whatever else has happened, including when a
//! disaster postponement would have carried the identification period past it.

use crate::law::cite;
use jiff::civil::Date;
use serde::Serialize;

/// The facts the release date depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseFacts {
    pub identification_end: Date,
    pub exchange_end: Date,
    /// Whether any replacement property was validly identified (or received within 45 days).
    pub anything_identified: bool,
    /// When the last identified property the taxpayer is entitled to was received, if all
    /// of it has been received.
    pub all_identified_received_on: Option<Date>,
}

/// Which (g)(6) event allows the release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseRule {
    /// (g)(6)(ii): nothing identified; after the identification period.
    NothingIdentified,
    /// (g)(6)(iii)(A): all identified replacement property received.
    AllIdentifiedReceived,
    /// (g)(6)(i): the end of the exchange period.
    ExchangePeriodEnd,
}

impl ReleaseRule {
    /// The (g)(6) event in words, for descriptions and pages.
    pub fn words(self) -> &'static str {
        match self {
            ReleaseRule::NothingIdentified => {
                "nothing was identified by the end of the identification period"
            }
            ReleaseRule::AllIdentifiedReceived => {
                "all the identified replacement property has been received"
            }
            ReleaseRule::ExchangePeriodEnd => "the exchange period has ended",
        }
    }
}

/// The earliest date funds may be released, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Release {
    pub earliest: Date,
    pub rule: ReleaseRule,
    pub authority: &'static str,
}

/// The earliest date the QI may release exchange funds to the taxpayer.
///
/// Periods end "at midnight" on their last day (Treas. Reg. §1.1031(k)-1(b)(2)), so a release tied
/// to the end of a period is allowed from the next day; a release on receipt of all the
/// identified property is allowed that same day ("upon or after").
pub fn earliest_release(f: &ReleaseFacts) -> Release {
    let next = |d: Date| d.tomorrow().unwrap_or(d);
    // (g)(6)(ii) is a release before the end of the exchange period: when the identification
    // period runs to that end (a postponed day 45 cut to it), (g)(6)(i) releases first.
    if !f.anything_identified && f.identification_end < f.exchange_end {
        return Release {
            earliest: next(f.identification_end),
            rule: ReleaseRule::NothingIdentified,
            authority: cite!(REG_1_1031_K_1 "(g)(6)(ii)"),
        };
    }
    match f.all_identified_received_on {
        Some(d) if f.anything_identified && d <= f.exchange_end => Release {
            earliest: d,
            rule: ReleaseRule::AllIdentifiedReceived,
            authority: cite!(REG_1_1031_K_1 "(g)(6)(iii)(A)"),
        },
        _ => Release {
            earliest: next(f.exchange_end),
            rule: ReleaseRule::ExchangePeriodEnd,
            authority: cite!(REG_1_1031_K_1 "(g)(6)(i)"),
        },
    }
}

/// The earliest release date in each (g)(6) situation, for the report and the tracker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseDates {
    /// (g)(6)(ii): if nothing is identified, any time after the identification period.
    pub if_nothing_identified: Date,
    /// (g)(6)(iii)(A): upon receipt of all the replacement property the taxpayer is entitled
    /// to, when that has happened (`None` until then).
    pub if_all_identified_received: Option<Date>,
    /// (g)(6)(i): after the end of the exchange period.
    pub after_exchange_period: Date,
    /// The earliest of these for the facts of the exchange.
    pub earliest: Release,
    /// (g)(6)(iii)(B): a written, material and substantial contingency beyond the taxpayer's
    /// control (other than the transferor) after the identification period also allows a
    /// release; not modelled.
    pub note: &'static str,
    /// Properties identified and received whose receipt the engine doubts is the property
    /// identified (Treas. Reg. §1.1031(k)-1(d)(1)): they do not count toward the
    /// (g)(6)(iii)(A) release while the doubt stands. Named only when the doubt is what holds
    /// the release back (every property in force received); in the report only then.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub receipts_in_doubt: Vec<crate::id::Id>,
}

/// The release dates of every situation, and the earliest for these facts.
pub fn release_dates(f: &ReleaseFacts) -> ReleaseDates {
    let next = |d: Date| d.tomorrow().unwrap_or(d);
    ReleaseDates {
        if_nothing_identified: next(f.identification_end),
        if_all_identified_received: f
            .all_identified_received_on
            .filter(|d| *d <= f.exchange_end),
        after_exchange_period: next(f.exchange_end),
        earliest: earliest_release(f),
        note: "A release on a written, material and substantial contingency beyond the taxpayer's control occurring after the identification period ((g)(6)(iii)(B)) is not modelled.",
        receipts_in_doubt: Vec::new(),
    }
}

/// The tax year of the gain of a failed exchange: with a qualified intermediary and a bona
/// fide intent to exchange, the gain is reported when the funds are received (installment
/// method of Treas. Reg. §1.1031(k)-1(j)(2)), so it is the tax year containing the release, written
/// as the calendar year in which that tax year ends.
pub fn failed_exchange_gain_year(release: Date, year_end: crate::timing::calendar::YearEnd) -> i16 {
    year_end.year_end_containing(release).year()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn nothing_identified_releases_after_day_45() {
        // Vector derived-g6-release-no-identification: transfer 2026-05-01.
        let r = earliest_release(&ReleaseFacts {
            identification_end: date(2026, 6, 15),
            exchange_end: date(2026, 10, 28),
            anything_identified: false,
            all_identified_received_on: None,
        });
        assert_eq!(r.earliest, date(2026, 6, 16));
        assert_eq!(r.rule, ReleaseRule::NothingIdentified);
    }

    /// A disaster postponement cut to the end of the exchange period (QA pass 10, defect 3):
    /// nothing identified, and the identification period ends with the exchange period, so
    /// the restrictions end with the exchange period under (g)(6)(i).
    #[test]
    fn identification_period_ending_with_the_exchange_period_releases_under_g6_i() {
        let r = earliest_release(&ReleaseFacts {
            identification_end: date(2027, 4, 15),
            exchange_end: date(2027, 4, 15),
            anything_identified: false,
            all_identified_received_on: None,
        });
        assert_eq!(r.earliest, date(2027, 4, 16));
        assert_eq!(r.rule, ReleaseRule::ExchangePeriodEnd);
        assert!(r.authority.ends_with("(g)(6)(i)"), "{}", r.authority);
    }

    #[test]
    fn all_received_releases_that_day() {
        let r = earliest_release(&ReleaseFacts {
            identification_end: date(2026, 6, 15),
            exchange_end: date(2026, 10, 28),
            anything_identified: true,
            all_identified_received_on: Some(date(2026, 7, 1)),
        });
        assert_eq!(r.earliest, date(2026, 7, 1));
    }

    #[test]
    fn otherwise_after_the_exchange_period() {
        let r = earliest_release(&ReleaseFacts {
            identification_end: date(2026, 6, 15),
            exchange_end: date(2026, 10, 28),
            anything_identified: true,
            all_identified_received_on: None,
        });
        assert_eq!(r.earliest, date(2026, 10, 29));
        assert_eq!(r.rule, ReleaseRule::ExchangePeriodEnd);
    }
}
