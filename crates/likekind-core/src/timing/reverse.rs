//! Reverse exchanges: the qualified exchange accommodation arrangement (QEAA) safe harbor of
//! Rev. Proc. 2000-37 §4.02, as modified by Rev. Proc. 2004-51.
//!
//! The primary text of §4.02 and of Rev. Proc. 2004-51's operative sentence was not retrieved
//! (secondary sources, among them the Rev. Proc. 2004-51 summaries, are consistent); the dates
//! below follow them.
//! "Business days" is not defined in the Rev. Proc. (\[U\]): the engine excludes Saturdays,
//! Sundays and federal holidays.

use crate::findings::{Findings, Severity};
use crate::law::cite;
use crate::model::{ExchangeFile, Parked, Reverse};
use crate::timing::calendar::{add_days, days_between};
use crate::timing::holidays::add_business_days;
use jiff::civil::{Date, date};
use serde::Serialize;

/// Authority for the QEAA dates.
pub const AUTHORITY: &str = cite!(REV_PROC_2000_37 " §4.02 (primary text not verified)");
/// Authority for the prior-ownership exclusion.
pub const AUTHORITY_2004_51: &str = cite!(REV_PROC_2004_51 " §4 (transfers to an EAT on or after 2004-07-20; primary text not verified)");

/// The parking-arrangement deadlines, all counted from the transfer of qualified indicia.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReverseDates {
    pub qualified_indicia_transferred: Date,
    /// The written QEAA must be signed within 5 business days after the transfer (§4.02(3)).
    pub qeaa_signed_by: Date,
    /// The relinquished property must be identified within 45 days (§4.02(4)).
    pub relinquished_identified_by: Date,
    /// The property must reach the taxpayer (or the buyer) within 180 days (§4.02(5)), and
    /// the combined time in QEAAs must not exceed 180 days (§4.02(6)).
    pub transfers_completed_by: Date,
}

/// The QEAA deadlines for a transfer of qualified indicia on `indicia`.
pub fn dates(indicia: Date) -> ReverseDates {
    ReverseDates {
        qualified_indicia_transferred: indicia,
        qeaa_signed_by: add_business_days(indicia, 5),
        relinquished_identified_by: add_days(indicia, 45),
        transfers_completed_by: add_days(indicia, 180),
    }
}

/// The Rev. Proc. 2004-51 prior-ownership test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PriorOwnership {
    /// Days from the last day the taxpayer owned the property to the transfer of indicia.
    pub days_between: i32,
    /// Whether the safe harbor stays available for this property.
    pub safe_harbor_available: bool,
}

/// What losing the safe harbor means: no inference either way (Rev. Proc. 2000-37 §3.02).
const OUTSIDE: &str = " [U] Outside the safe harbor the exchange is judged on general tax principles (Rev. Proc. 2000-37 §3.02: no inference is drawn for parking arrangements outside it), chiefly whether the accommodation party, not you, owns the parked property for tax purposes.";

/// Rev. Proc. 2004-51: the safe harbor does not apply to replacement property the taxpayer
/// owned at any time within the 180-day period ending on the date qualified indicia are
/// transferred to the EAT (the period is taken as the 180 days `indicia - 179 ..= indicia`).
/// Only transfers to an EAT on or after 2004-07-20 are affected.
pub fn prior_ownership(last_owned: Date, indicia: Date) -> PriorOwnership {
    let days = days_between(last_owned, indicia);
    let within = days < 180 && indicia >= date(2004, 7, 20);
    PriorOwnership {
        days_between: days,
        safe_harbor_available: !within,
    }
}

/// The reverse-exchange part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReverseOutcome {
    #[serde(flatten)]
    pub dates: ReverseDates,
    pub parked: crate::model::Parked,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qeaa_timely: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relinquished_identification_timely: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfers_timely: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prior_ownership: Option<PriorOwnership>,
    /// The 45-day and 180-day deadlines postponed under Rev. Proc. 2018-58 §17 (or Section 6),
    /// which also cover Rev. Proc. 2000-37 (\[U\]: the text was not verified). The QEAA
    /// deadline is not postponed here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postponed_relinquished_identified_by: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postponed_transfers_completed_by: Option<Date>,
    /// Whether the 45-day and 180-day periods counted from the sale (the report's
    /// `deadlines`) apply as well: only when some replacement is received after the property
    /// given up is transferred (IRC §1031(a)(3)); otherwise the dates above govern alone.
    pub sale_periods_apply: bool,
    /// What a disaster does to the two deadlines above: §17's condition (a) is tested on the
    /// transfer of qualified indicia to the EAT, not on the sale (whose periods are the
    /// report's `deadlines.disaster`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disaster: Option<crate::timing::disaster::DisasterOutcome>,
}

impl ReverseOutcome {
    /// A Rev. Proc. 2000-37 §4.02 deadline was missed (the QEAA, the identification of the
    /// property given up, or the transfers within 180 days): outside the safe harbor, judged
    /// on general tax principles (§3.02), which is not an automatic failure.
    pub fn outside_safe_harbor(&self) -> bool {
        [
            self.qeaa_timely,
            self.relinquished_identification_timely,
            self.transfers_timely,
        ]
        .contains(&Some(false))
    }

    /// The identification deadline in force (postponed by a disaster when §17 applies).
    pub fn identified_by(&self) -> Date {
        self.postponed_relinquished_identified_by
            .unwrap_or(self.dates.relinquished_identified_by)
    }

    /// The transfer deadline in force.
    pub fn transfers_by(&self) -> Date {
        self.postponed_transfers_completed_by
            .unwrap_or(self.dates.transfers_completed_by)
    }
}

/// Checks the `[reverse]` block of a reverse exchange against the QEAA deadlines, with
/// explanation and findings. `None` without the block or its indicia date.
pub fn analyze(
    f: &crate::model::ExchangeFile,
    as_of: Date,
    t: &mut crate::explain::Trace,
    fx: &mut crate::findings::Findings,
) -> Option<ReverseOutcome> {
    let r = f.reverse.as_ref()?;
    let indicia = r.qualified_indicia_transferred?;
    let d = dates(indicia);
    let disaster = postponements(f, &d, fx);
    let p45 = disaster
        .as_ref()
        .and_then(|o| o.postponed_identification_end);
    let p180 = disaster.as_ref().and_then(|o| o.postponed_day_180);
    let id_by = p45.unwrap_or(d.relinquished_identified_by);
    let tr_by = p180.unwrap_or(d.transfers_completed_by);
    explain_dates(
        &d,
        indicia,
        p45.is_some() || p180.is_some(),
        (id_by, tr_by),
        t,
    );
    let qeaa_timely = qeaa_check(r, &d, indicia, as_of, fx);
    let relinquished_identification_timely = identification_check(f, r, id_by, as_of, fx);
    let transfers_timely = transfer_check(f, r, tr_by, as_of, fx);
    let prior = prior_ownership_check(r, indicia, t, fx);
    crate::finding!(
        fx,
        "reverse_business_days_undefined",
        Severity::Info,
        format!(
            "Rev. Proc. 2000-37 does not define \"business days\"; the QEAA deadline {} excludes weekends and federal holidays [U]. Sign the QEAA as early as possible.",
            d.qeaa_signed_by
        ),
        AUTHORITY,
    );
    Some(ReverseOutcome {
        dates: d,
        parked: r.parked,
        qeaa_timely,
        relinquished_identification_timely,
        transfers_timely,
        prior_ownership: prior,
        postponed_relinquished_identified_by: p45,
        postponed_transfers_completed_by: p180,
        sale_periods_apply: f.received_after_sale().is_some(),
        disaster,
    })
}

/// What a disaster does to the 45-day and 180-day deadlines counted from the transfer of
/// qualified indicia (Rev. Proc. 2018-58 §17, tested on that transfer, and Section 6), with
/// its finding. The periods counted from a later sale are the `deadlines`' own: §17 tests
/// them on the sale (QA pass 10: a sale after the disaster postpones nothing under §17, even
/// when the indicia were parked before it).
fn postponements(
    f: &ExchangeFile,
    d: &ReverseDates,
    fx: &mut Findings,
) -> Option<crate::timing::disaster::DisasterOutcome> {
    use crate::timing::disaster;
    let facts = crate::timing::deadlines::disaster_facts(f, d.qualified_indicia_transferred)?;
    let o = disaster::apply(
        &facts,
        d.relinquished_identified_by,
        d.transfers_completed_by,
    );
    let scope = disaster::Scope {
        what: format!(
            "the reverse-exchange deadlines counted from the transfer of qualified indicia to the accommodation titleholder on {} (Rev. Proc. 2000-37; the 5-business-day deadline of the agreement is not postponed here)",
            d.qualified_indicia_transferred
        ),
        deadlines: [
            (
                "the 45-day deadline to identify the property given up",
                d.relinquished_identified_by,
            ),
            (
                "the 180-day deadline to complete the transfers",
                d.transfers_completed_by,
            ),
        ],
    };
    disaster::findings(&o, &scope, "reverse", fx);
    Some(o)
}

/// The steps of the deadlines: the postponement, the QEAA, the identification, the transfers.
fn explain_dates(
    d: &ReverseDates,
    indicia: Date,
    postponed: bool,
    (id_by, tr_by): (Date, Date),
    t: &mut crate::explain::Trace,
) {
    if postponed {
        crate::step!(
            t,
            "reverse.disaster_postponement",
            "Rev. Proc. 2018-58 postpones the reverse-exchange 45-day and 180-day deadlines falling on or after the disaster date: §17, when the qualified indicia were transferred on or before it, to the later of 120 days and the postponement date, capped at one year [U]; Section 6, for an affected taxpayer, a deadline before the postponement date to that date [U]",
            format!("identify by {id_by}; transfers by {tr_by}"),
            crate::timing::disaster::AUTHORITY,
            vec![],
        );
    }
    let src = vec![crate::explain::Input::new(
        "qualified indicia transferred to the EAT",
        indicia,
    )];
    crate::step!(
        t,
        "reverse.qeaa_signed_by",
        "Written QEAA signed no later than 5 business days after the transfer of qualified indicia (business days: no weekends or federal holidays; the term is undefined [U])",
        d.qeaa_signed_by,
        AUTHORITY,
        src.clone(),
    );
    crate::step!(
        t,
        "reverse.relinquished_identified_by",
        "Relinquished property identified within 45 days after the transfer of qualified indicia",
        d.relinquished_identified_by,
        AUTHORITY,
        src.clone(),
    );
    crate::step!(
        t,
        "reverse.transfers_completed_by",
        "Parked property transferred within 180 days after the transfer of qualified indicia (combined time in QEAAs at most 180 days)",
        d.transfers_completed_by,
        AUTHORITY,
        src,
    );
}

/// The QEAA signed within 5 business days of the transfer of qualified indicia.
fn qeaa_check(
    r: &Reverse,
    d: &ReverseDates,
    indicia: Date,
    as_of: Date,
    fx: &mut Findings,
) -> Option<bool> {
    let qeaa_timely = r.qeaa_signed.map(|q| q <= d.qeaa_signed_by);
    if qeaa_timely == Some(false) || (r.qeaa_signed.is_none() && as_of > d.qeaa_signed_by) {
        crate::finding_at!(
            fx,
            "reverse_qeaa_late",
            Severity::Warning,
            "reverse.qeaa_signed",
            format!(
                "The QEAA must be signed by {} (5 business days after the transfer of qualified indicia on {indicia}){}: outside the Rev. Proc. 2000-37 safe harbor.{OUTSIDE}",
                d.qeaa_signed_by,
                r.qeaa_signed
                    .map(|q| format!("; it was signed on {q}"))
                    .unwrap_or_else(|| "; no signing date is given".into())
            ),
            AUTHORITY,
        );
    }
    qeaa_timely
}

/// The relinquished (or, parking the relinquished, the replacement) property identified
/// within 45 days.
fn identification_check(
    f: &ExchangeFile,
    r: &Reverse,
    id_by: Date,
    as_of: Date,
    fx: &mut Findings,
) -> Option<bool> {
    let relinquished_id = match r.parked {
        Parked::Replacement => r.relinquished_identified_on,
        Parked::Relinquished => f.identified.iter().map(|i| i.identified_on).min(),
    };
    let relinquished_identification_timely = relinquished_id.map(|x| x <= id_by);
    if relinquished_identification_timely == Some(false)
        || (relinquished_id.is_none() && as_of > id_by)
    {
        crate::finding_at!(
            fx,
            "reverse_identification_late",
            Severity::Warning,
            "reverse.relinquished_identified_on",
            format!(
                "The {} property must be identified by {} (45 days after the transfer of qualified indicia){}: outside the Rev. Proc. 2000-37 safe harbor.{OUTSIDE}",
                match r.parked {
                    Parked::Replacement => "relinquished",
                    Parked::Relinquished => "replacement",
                },
                id_by,
                relinquished_id
                    .map(|x| format!("; it was identified on {x}"))
                    .unwrap_or_else(|| "; no identification date is given".into())
            ),
            AUTHORITY,
        );
    }
    relinquished_identification_timely
}

/// The parked property out of the EAT within 180 days.
fn transfer_check(
    f: &ExchangeFile,
    r: &Reverse,
    tr_by: Date,
    as_of: Date,
    fx: &mut Findings,
) -> Option<bool> {
    let done = r.eat_transferred_on.or_else(|| match r.parked {
        Parked::Replacement => f.replacement.iter().map(|x| x.received).max(),
        Parked::Relinquished => f.relinquished.iter().map(|x| x.transferred).max(),
    });
    let sold_in_time = relinquished_check(f, r, done, tr_by, fx);
    let transfers_timely = done.map(|x| x <= tr_by && sold_in_time);
    if done.is_some_and(|x| x > tr_by) || (done.is_none() && as_of > tr_by) {
        crate::finding_at!(
            fx,
            "reverse_transfer_late",
            Severity::Warning,
            "reverse.eat_transferred_on",
            format!(
                "The parked property must leave the EAT by {} (180 days after the transfer of qualified indicia){}: outside the Rev. Proc. 2000-37 safe harbor.{OUTSIDE}",
                tr_by,
                done.map(|x| format!("; it did on {x}"))
                    .unwrap_or_else(|| "; no transfer date is given".into())
            ),
            AUTHORITY,
        );
    }
    transfers_timely
}

/// With the replacement parked, the relinquished property is what the parked property is
/// received in exchange for: it must go within the same 180 days (Rev. Proc. 2000-37
/// §4.02(5)-(6)), and the parked property should not reach the taxpayer before it, since a
/// replacement received before the relinquished property is transferred is a reverse
/// exchange, which the deferred-exchange rules do not cover (Rev. Proc. 2000-37 §1 and §2;
/// the QEAA exists to avoid it). Returns whether the relinquished transfer is in time (true
/// when nothing is parked for it or it has not happened yet).
fn relinquished_check(
    f: &ExchangeFile,
    r: &Reverse,
    received: Option<Date>,
    tr_by: Date,
    fx: &mut Findings,
) -> bool {
    if r.parked != Parked::Replacement {
        return true;
    }
    let Some((k, sold)) = f
        .relinquished
        .iter()
        .map(|x| x.transferred)
        .enumerate()
        .max_by_key(|&(_, d)| d)
    else {
        return true;
    };
    if sold > tr_by {
        crate::finding_at!(
            fx,
            "reverse_relinquished_late",
            Severity::Warning,
            format!("relinquished[{k}].transferred"),
            format!(
                "The relinquished property was transferred on {sold}, after {tr_by} (180 days after the transfer of qualified indicia): the parked replacement counts as received in exchange for it only if both are done within those 180 days, so this is outside the Rev. Proc. 2000-37 safe harbor.{OUTSIDE}"
            ),
            AUTHORITY,
        );
        return false;
    }
    if let Some(got) = received.filter(|g| *g < sold) {
        crate::finding_at!(
            fx,
            "reverse_received_before_sale",
            Severity::Warning,
            "reverse.eat_transferred_on",
            format!(
                "The parked replacement reached you on {got}, before the relinquished property was transferred on {sold}: from then until the sale you owned both, which the parking arrangement is meant to avoid (a replacement received before the relinquished property is transferred is a reverse exchange, outside the deferred-exchange rules). [U] Whether the exchange still qualifies is judged on general tax principles (Rev. Proc. 2000-37 §3.02: no inference is drawn outside the safe harbor); the EAT usually conveys the replacement at or after the sale."
            ),
            AUTHORITY,
        );
    }
    true
}

/// Property the taxpayer owned within 180 days before parking it: no safe harbor
/// (Rev. Proc. 2004-51).
fn prior_ownership_check(
    r: &Reverse,
    indicia: Date,
    t: &mut crate::explain::Trace,
    fx: &mut Findings,
) -> Option<PriorOwnership> {
    let prior = r
        .taxpayer_last_owned_replacement_on
        .map(|l| prior_ownership(l, indicia));
    if let Some(p) = prior {
        crate::step!(
            t,
            "reverse.prior_ownership",
            "Days from the taxpayer's last ownership of the parked replacement to the transfer of qualified indicia; owned within the 180-day period ending on that transfer: no safe harbor",
            p.days_between,
            AUTHORITY_2004_51,
            vec![crate::explain::Input::new(
                "safe harbor available",
                p.safe_harbor_available
            )],
        );
        if !p.safe_harbor_available {
            crate::finding_at!(
                fx,
                "reverse_prior_ownership",
                Severity::Error,
                "reverse.taxpayer_last_owned_replacement_on",
                format!(
                    "The taxpayer owned the parked replacement {} days before parking it (within 180 days): Rev. Proc. 2004-51 excludes it from the Rev. Proc. 2000-37 safe harbor, so the exchange is judged on general tax principles, under which receiving back one's own property, or improvements on land the taxpayer already owns, is not an exchange (DeCleene; Rev. Rul. 67-255). [U] Outside the safe harbor no inference is drawn either way (Rev. Proc. 2000-37 §3.02); this report treats the replacement as not received in an exchange, the conservative reading",
                    p.days_between
                ),
                AUTHORITY_2004_51,
            );
        }
    }
    prior
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_timeline() {
        let d = dates(date(2026, 3, 2));
        assert_eq!(d.qeaa_signed_by, date(2026, 3, 9));
        assert_eq!(d.relinquished_identified_by, date(2026, 4, 16));
        assert_eq!(d.transfers_completed_by, date(2026, 8, 29));
    }

    #[test]
    fn qeaa_deadline_skips_thanksgiving() {
        // Wednesday 2026-11-25: Thu 26 is Thanksgiving; 27, 30, Dec 1, 2, 3.
        assert_eq!(dates(date(2026, 11, 25)).qeaa_signed_by, date(2026, 12, 3));
    }

    #[test]
    fn prior_ownership_boundary() {
        let p = prior_ownership(date(2026, 1, 10), date(2026, 5, 1));
        assert_eq!(p.days_between, 111);
        assert!(!p.safe_harbor_available);
        assert!(prior_ownership(date(2025, 11, 2), date(2026, 5, 1)).safe_harbor_available);
        assert!(!prior_ownership(date(2025, 11, 3), date(2026, 5, 1)).safe_harbor_available);
    }
}
