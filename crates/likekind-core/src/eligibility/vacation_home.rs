//! The vacation-home safe harbor of Rev. Proc. 2008-16: a dwelling unit the taxpayer also
//! used personally is held for investment if, in each of the two 12-month periods before
//! (relinquished) or after (replacement) the exchange, it was rented at a fair rent for 14
//! days or more and personal use stayed within the greater of 14 days or 10% of the rental
//! days.
//!
//! Rev. Proc. 2008-16 §§4.02-4.03 is still unverified against its primary text: the steps
//! say so.

use crate::amount::Amount;
use crate::explain::Trace;
use crate::findings::{Findings, Severity};
use crate::law::cite;
use crate::model::{ExchangeFile, UsagePeriod};
use crate::timing::calendar::{add_days, add_months, days_between};
use jiff::civil::Date;
use serde::Serialize;

pub(crate) const RP2008: &str = cite!(REV_PROC_2008_16 ", 2008-10 I.R.B. 547, §§4.02-4.03 (primary text unverified; secondary summaries consistent)");

/// Days in the 12-month period ending on `end` (365 or 366).
pub fn days_in_period(end: Date) -> i32 {
    days_between(add_months(end, -12), end)
}

/// One 12-month period judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodTest {
    pub period_ending: Date,
    pub fair_rental_days: u32,
    pub personal_use_days: u32,
    /// Rented at a fair rental for 14 days or more.
    pub rental_ok: bool,
    /// Personal use not more than the greater of 14 days or 10% of the fair-rental days.
    pub personal_ok: bool,
}

/// The two-part test for one 12-month period: (i) rented at fair rental ≥ 14 days, and (ii)
/// personal use ≤ max(14, 10% of fair-rental days). No rounding: 10% of 155 days is 15.5,
/// so 15 days pass and 16 fail. Authority: Rev. Proc. 2008-16 §4.02(2)-(3), §4.03(2)-(3).
pub fn period_test(
    period_ending: Date,
    fair_rental_days: u32,
    personal_use_days: u32,
) -> PeriodTest {
    PeriodTest {
        period_ending,
        fair_rental_days,
        personal_use_days,
        rental_ok: fair_rental_days >= 14,
        personal_ok: personal_use_days <= 14
            || Amount::from(personal_use_days) * Amount::TEN <= Amount::from(fair_rental_days),
    }
}

/// Whether the dwelling is the property given up or received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Relinquished,
    Replacement,
}

/// The safe-harbor verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    NotMet,
    /// A replacement whose 24 months after the exchange have not yet run.
    Pending,
    /// The usage of a required period was not given.
    Unconfirmed,
}

/// The safe harbor applied to one dwelling.
#[derive(Debug, Clone, Serialize)]
pub struct SafeHarbor {
    pub id: crate::id::Id,
    pub role: Role,
    pub verdict: Verdict,
    pub owned_24_months: bool,
    /// The two 12-month periods the test looks at, most recent (relinquished) or first
    /// (replacement) first.
    pub required_periods: Vec<Date>,
    pub periods: Vec<PeriodTest>,
    pub reasons: Vec<String>,
}

/// Applies the safe harbor to owned-months and the two periods' usage (in the order of
/// `required`). Authority: Rev. Proc. 2008-16 §4.02 (relinquished) and §4.03 (replacement).
pub fn safe_harbor_met(months_owned: u32, periods: &[(u32, u32)]) -> bool {
    months_owned >= 24
        && periods.len() >= 2
        && periods.iter().take(2).all(|&(r, p)| {
            let t = period_test(Date::constant(2000, 1, 1), r, p);
            t.rental_ok && t.personal_ok
        })
}

/// The two period endings the safe harbor looks at: for a relinquished dwelling the
/// 12-month periods ending the day before the exchange and a year earlier; for a replacement
/// the periods ending 12 and 24 months after the exchange (less a day).
pub fn required_periods(role: Role, exchange_date: Date) -> [Date; 2] {
    match role {
        Role::Relinquished => {
            let p1 = add_days(exchange_date, -1);
            [p1, add_days(add_months(exchange_date, -12), -1)]
        }
        Role::Replacement => [
            add_days(add_months(exchange_date, 12), -1),
            add_days(add_months(exchange_date, 24), -1),
        ],
    }
}

/// Judges one dwelling from the file's usage days.
pub fn judge_dwelling(
    id: &str,
    role: Role,
    acquired_or_received: Date,
    exchange_date: Date,
    usage: &[UsagePeriod],
    as_of: Date,
) -> SafeHarbor {
    let req = required_periods(role, exchange_date);
    let owned_24 = match role {
        Role::Relinquished => acquired_or_received <= add_months(exchange_date, -24),
        Role::Replacement => as_of >= add_months(exchange_date, 24),
    };
    let mut reasons = Vec::new();
    let mut periods = Vec::new();
    let mut missing = false;
    for end in req {
        match usage.iter().find(|u| u.period_ending == end) {
            Some(u) => {
                let t = period_test(end, u.fair_rental_days, u.personal_use_days);
                if !t.rental_ok {
                    reasons.push(format!(
                        "12 months ending {end}: rented at fair rental {} days (fewer than 14)",
                        t.fair_rental_days
                    ));
                }
                if !t.personal_ok {
                    reasons.push(format!(
                        "12 months ending {end}: personal use {} days exceeds the greater of 14 days or 10% of {} rental days",
                        t.personal_use_days, t.fair_rental_days
                    ));
                }
                periods.push(t);
            }
            None => {
                if role == Role::Replacement && end >= as_of {
                    continue;
                }
                missing = true;
                reasons.push(format!("no usage given for the 12 months ending {end}"));
            }
        }
    }
    if role == Role::Relinquished && !owned_24 {
        reasons.push(format!(
            "owned since {acquired_or_received}: less than 24 months before the exchange on {exchange_date}"
        ));
    }
    let failed = periods.iter().any(|t| !(t.rental_ok && t.personal_ok))
        || (role == Role::Relinquished && !owned_24);
    let verdict = if failed {
        Verdict::NotMet
    } else if missing {
        Verdict::Unconfirmed
    } else if role == Role::Replacement && !owned_24 {
        Verdict::Pending
    } else {
        Verdict::Met
    };
    SafeHarbor {
        id: id.into(),
        role,
        verdict,
        owned_24_months: owned_24,
        required_periods: req.to_vec(),
        periods,
        reasons,
    }
}

/// Runs the safe harbor on every dwelling with `use = "vacation_home"` or usage days.
pub fn vacation_homes(
    f: &ExchangeFile,
    as_of: Date,
    t: &mut Trace,
    fx: &mut Findings,
) -> Vec<SafeHarbor> {
    let mut out = Vec::new();
    for (k, r) in f.relinquished.iter().enumerate() {
        if !r.usage.is_empty() {
            let s = judge_dwelling(
                &r.id,
                Role::Relinquished,
                r.acquired,
                r.transferred,
                &r.usage,
                as_of,
            );
            let path = format!("relinquished[{k}]");
            report(&s, &path, r.transferred, t, fx);
            if never_rented(r) {
                doubt_finding(&r.id, &r.usage, &s, &path, fx);
            }
            out.push(s);
        }
    }
    for (k, r) in f.replacement.iter().enumerate() {
        if !r.usage.is_empty() {
            let s = judge_dwelling(
                &r.id,
                Role::Replacement,
                r.received,
                r.received,
                &r.usage,
                as_of,
            );
            let path = format!("replacement[{k}]");
            report(&s, &path, r.received, t, fx);
            if replacement_never_rented(r) {
                doubt_finding(&r.id, &r.usage, &s, &path, fx);
            }
            out.push(s);
        }
    }
    out
}

/// The authority for a dwelling outside the safe harbor: IRC §1031(a)(1) asks whether it was
/// held for investment; Rev. Proc. 2008-16 is a safe harbor only; a vacation home used
/// personally and never rented was held not held for investment in *Moore*.
pub(crate) const DOUBT: &str = cite!(IRC_1031 "(a)(1)"; REV_PROC_2008_16 ", §§3, 4.02 (a safe harbor only; primary text unverified)"; "Moore v. Commissioner, T.C. Memo. 2007-134");

/// A vacation home given up whose stated use shows personal use and no day rented at a fair
/// rental.
pub fn never_rented(r: &crate::model::Relinquished) -> bool {
    used_never_rented(r.use_, &r.usage)
}

/// A vacation home received whose stated use since the exchange shows personal use and no
/// day rented at a fair rental: the replacement, too, must be held for investment (IRC
/// §1031(a)(1); Rev. Proc. 2008-16 §4.03 is the replacement's safe harbor).
pub fn replacement_never_rented(r: &crate::model::Replacement) -> bool {
    used_never_rented(r.use_, &r.usage)
}

fn used_never_rented(use_: crate::model::Use, usage: &[UsagePeriod]) -> bool {
    use_ == crate::model::Use::VacationHome
        && !usage.is_empty()
        && usage.iter().all(|u| u.fair_rental_days == 0)
        && usage.iter().any(|u| u.personal_use_days > 0)
}

/// The facts-and-circumstances finding for a never-rented vacation home, given up or received
/// (see `qualification::judge`): a warning marked uncertain, with the safe harbor's failed
/// tests. Both must be held for investment (IRC §1031(a)(1)); Rev. Proc. 2008-16 (§4.02 given
/// up, §4.03 received) is a safe harbor only; Moore v. Commissioner, T.C. Memo. 2007-134.
fn doubt_finding(id: &str, usage: &[UsagePeriod], s: &SafeHarbor, path: &str, fx: &mut Findings) {
    let personal: u32 = usage.iter().map(|u| u.personal_use_days).sum();
    let (what, counted, authority) = match s.role {
        Role::Relinquished => (
            format!(
                "{id} was never rented at a fair rental in the periods given and was used personally ({personal} days)."
            ),
            "eligible",
            DOUBT,
        ),
        Role::Replacement => (
            format!(
                "{id} was received as a vacation home and, in the periods given, was used personally ({personal} days) and never rented at a fair rental. Property received must also be held for investment or for use in a business (IRC §1031(a)(1))."
            ),
            "like-kind property",
            RECEIVED_DOUBT,
        ),
    };
    let tests = if s.reasons.is_empty() {
        String::new()
    } else {
        format!(
            " The Rev. Proc. 2008-16 safe harbor is not met ({}).",
            s.reasons.join("; ")
        )
    };
    crate::finding_at!(
        fx,
        "held_for_investment_uncertain",
        Severity::Warning,
        format!("{path}.usage"),
        format!(
            "Uncertain: {what}{tests} The safe harbor is not the only way to qualify, but outside it whether the dwelling was held for investment is judged on all the facts and circumstances, and a vacation home used personally and never rented was held not to be held for investment in Moore v. Commissioner, T.C. Memo. 2007-134, a hope that it would rise in value being not enough. It is counted here as {counted} only as entered: keep evidence of investment intent, or do not rely on the deferral."
        ),
        authority,
    );
}

/// The authority for a vacation home received outside the safe harbor.
pub(crate) const RECEIVED_DOUBT: &str = cite!(IRC_1031 "(a)(1)"; REV_PROC_2008_16 ", §§3, 4.03 (a safe harbor only; primary text unverified)"; "Moore v. Commissioner, T.C. Memo. 2007-134");

/// Rev. Proc. 2008-16 applies to exchanges on or after 2008-03-10 (its §6 effective date).
pub const RP2008_16_EFFECTIVE: Date = Date::constant(2008, 3, 10);

fn report(s: &SafeHarbor, path: &str, exchange_date: Date, t: &mut Trace, fx: &mut Findings) {
    if exchange_date < RP2008_16_EFFECTIVE {
        crate::finding_at!(
            fx,
            "vacation_home_safe_harbor_not_available",
            Severity::Info,
            format!("{path}.usage"),
            format!(
                "The exchange of {} on {exchange_date} is before 2008-03-10, when Rev. Proc. 2008-16 took effect: the safe harbor does not apply and investment intent is judged on the facts and circumstances; the test below is shown for reference only",
                s.id
            ),
            RP2008,
        );
    }
    crate::step!(
        t,
        format!("homes.safe_harbor.{}", s.id),
        format!(
            "Rev. Proc. 2008-16 safe harbor for {} ({}): owned 24 months {} the exchange, and in each 12-month period rented at fair rental 14+ days with personal use at most the greater of 14 days or 10% of the rental days",
            s.id,
            match s.role {
                Role::Relinquished => "relinquished",
                Role::Replacement => "replacement",
            },
            match s.role {
                Role::Relinquished => "before",
                Role::Replacement => "after",
            }
        ),
        match s.verdict {
            Verdict::Met => "met",
            Verdict::NotMet => "not met",
            Verdict::Pending => "pending",
            Verdict::Unconfirmed => "unconfirmed",
        },
        RP2008,
        s.periods
            .iter()
            .map(|p| {
                crate::explain::Input::new(
                    format!("12 months ending {}", p.period_ending),
                    format!(
                        "{} rental / {} personal days",
                        p.fair_rental_days, p.personal_use_days
                    ),
                )
            })
            .collect(),
    );
    match s.verdict {
        Verdict::Met => crate::finding_at!(
            fx,
            "vacation_home_safe_harbor_met",
            Severity::Info,
            format!("{path}.usage"),
            format!(
                "{} meets the Rev. Proc. 2008-16 safe harbor: the IRS will not challenge that the dwelling was held for investment",
                s.id
            ),
            RP2008,
        ),
        Verdict::Pending => crate::finding_at!(
            fx,
            "vacation_home_safe_harbor_pending",
            Severity::Info,
            format!("{path}.usage"),
            format!(
                "{} is in its first 24 months after the exchange: to stay in the safe harbor keep it 24 months and, in each of the 12-month periods ending {} and {}, rent it at fair rental 14+ days with personal use at most the greater of 14 days or 10% of the rental days. If the return reporting the exchange is filed before then and the test later fails, amend it.",
                s.id, s.required_periods[0], s.required_periods[1]
            ),
            RP2008,
        ),
        Verdict::NotMet | Verdict::Unconfirmed => crate::finding_at!(
            fx,
            "not_held_for_investment",
            Severity::Warning,
            format!("{path}.usage"),
            format!(
                "{} is {} the Rev. Proc. 2008-16 safe harbor ({}). Falling outside the safe harbor does not by itself disqualify the exchange, but whether the dwelling was held for investment is then a question of facts and circumstances (Moore v. Comm'r, T.C. Memo. 2007-134): expect scrutiny.{}",
                s.id,
                if s.verdict == Verdict::NotMet {
                    "outside"
                } else {
                    "not shown to be within"
                },
                s.reasons.join("; "),
                if s.role == Role::Replacement {
                    " For a replacement reported before the test fails, the return should be amended."
                } else {
                    ""
                }
            ),
            RP2008,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn personal_use_limit_is_greater_of_14_or_10_percent() {
        let d = date(2026, 1, 1);
        assert!(period_test(d, 100, 14).personal_ok);
        assert!(!period_test(d, 100, 15).personal_ok);
        assert!(period_test(d, 155, 15).personal_ok);
        assert!(!period_test(d, 155, 16).personal_ok);
        assert!(!period_test(d, 13, 0).rental_ok);
    }

    #[test]
    fn periods_and_days() {
        assert_eq!(days_in_period(date(2024, 12, 31)), 366);
        assert_eq!(days_in_period(date(2026, 2, 28)), 365);
        assert_eq!(
            required_periods(Role::Relinquished, date(2026, 3, 1)),
            [date(2026, 2, 28), date(2025, 2, 28)]
        );
        assert_eq!(
            required_periods(Role::Replacement, date(2026, 3, 1)),
            [date(2027, 2, 28), date(2028, 2, 29)]
        );
    }

    proptest::proptest! {
        #[test]
        fn personal_use_limit_is_monotone(rental in 0u32..366, personal in 1u32..366) {
            let d = date(2026, 1, 1);
            if period_test(d, rental, personal).personal_ok {
                proptest::prop_assert!(period_test(d, rental, personal - 1).personal_ok);
                proptest::prop_assert!(period_test(d, rental + 1, personal).personal_ok);
            }
        }
    }
}
