//! Form 8824 Part II, related party exchange information (lines 8–11), for the year of the
//! exchange and the two years after it; the §1031(f) rules it reports (the two-year window,
//! the exceptions, the gain recognized on a disqualifying disposition) live in
//! `eligibility::related_party`.

use crate::amount::Amount;
use crate::eligibility::related_party::{
    DispositionOutcome, F_AUTH, disposition, relationship, two_year_end,
};
use crate::explain::Trace;
use crate::explain::money as m;
use crate::findings::{Findings, Severity};
use crate::inputs;
use crate::law::cite;
use crate::model::{DisposedBy, ExchangeFile, RelatedParty, RelatedPartyException};
use crate::money::{format_usd, serialize_money};
use crate::timing::calendar::{YearEnd, add_months};
use jiff::civil::Date;
use serde::Serialize;

/// Form 8824 line 8.
#[derive(Debug, Clone, Serialize)]
pub struct Line8 {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifying_number: Option<String>,
    pub relationship: String,
}

/// Part II as filed for one tax year.
#[derive(Debug, Clone, Serialize)]
pub struct PartIIYear {
    pub tax_year_end: Date,
    /// Line 9: the related party disposed of the property this year, within the window.
    /// `null` when a disposition this year was entered without `disposed_by`.
    pub line_9: Option<bool>,
    /// Line 10: you disposed of the property this year, within the window.
    pub line_10: Option<bool>,
    /// Line 11: the exception claimed, when line 9 or 10 is yes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_11: Option<RelatedPartyException>,
    /// Deferred gain recognized in this year.
    #[serde(serialize_with = "serialize_money")]
    pub recognized: Amount,
}

/// Form 8824 Part II (lines 8-11) for the exchange year and the two following years.
#[derive(Debug, Clone, Serialize)]
pub struct PartII {
    pub line_8: Line8,
    pub last_transfer: Date,
    pub two_year_end: Date,
    pub years: Vec<PartIIYear>,
    pub disposition: Option<DispositionOutcome>,
}

impl PartII {
    /// The days IRC §1031(g) added to the two years: the holder's risk of loss was
    /// substantially diminished (the file's suspended days, read back from the dates).
    pub fn suspended_days(&self) -> u32 {
        let plain = two_year_end(self.last_transfer, 0);
        u32::try_from((self.two_year_end - plain).get_days()).unwrap_or(0)
    }

    /// The end of the related-party window in the words of the engine's findings: two years
    /// after the last transfer, plus any days §1031(g) suspended the period.
    pub fn window_words(&self) -> String {
        window_end_words(self.last_transfer, self.suspended_days())
    }
}

/// Builds Part II, its explanation and findings; `deferred` is line 24 of the exchange.
pub fn part_ii(
    f: &ExchangeFile,
    deferred: Amount,
    t: &mut Trace,
    fx: &mut Findings,
) -> Option<PartII> {
    let rp = f.related_party.as_ref()?;
    let last = f
        .relinquished
        .iter()
        .map(|r| r.transferred)
        .chain(f.replacement.iter().map(|r| r.received))
        .max()?;
    let first = f.first_transfer()?;
    let end = two_year_end(last, rp.suspended_days);
    crate::step!(
        t,
        "related_party.two_year_end",
        "The date 2 years after the last transfer in the exchange, plus days the risk of loss was substantially diminished: only a disposition before this date is within the related-party window (a disposition on this day is not \"before the date 2 years after\" the last transfer)",
        end,
        cite!(IRC_1031 "(f)(1)(C), (g)"),
        inputs!["last transfer" => last, "suspended days" => rp.suspended_days],
    );
    let ye = YearEnd::parse(&f.taxpayer.tax_year_end).unwrap_or(YearEnd::CALENDAR);
    let y0 = ye.year_end_containing(first);
    let years: Vec<Date> = (0..3)
        .map(|k| ye.year_end_containing(add_months(y0, 12 * k)))
        .collect();
    crate::step!(
        t,
        "related_party.part_ii_years",
        "Form 8824 Part II is filed for the year of the exchange and the two following tax years",
        years
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        cite!(FORM_8824 ", When To File"; IRC_1031 "(f)"),
        inputs!["first transfer" => first],
    );

    let outcome = rp
        .disposed_on
        .map(|d| disposition(deferred, last, rp.suspended_days, Some(d), rp.exception));
    if let Some(o) = &outcome {
        crate::step!(
            t,
            "related_party.recognized",
            "Deferred gain taken into account because of a disposition within the window without a §1031(f)(2) exception (line 24 of the exchange)",
            m(o.recognized),
            F_AUTH,
            inputs!["disposed on" => rp.disposed_on.map(|d| d.to_string()).unwrap_or_default(), "two-year end" => end, "exception" => rp.exception.map(|e| e.as_str()).unwrap_or("none"), "deferred gain (line 24)" => m(deferred)],
        );
    }
    let rows = year_rows(rp, &years, end, outcome.as_ref());

    let rel = relationship(&rp.relationship).unwrap_or("");
    crate::finding_at!(
        fx,
        "related_party",
        Severity::Warning,
        "related_party",
        format!(
            "The exchange is with a related party ({}, {}; {rel}): answer Form 8824 line 7 yes and complete Part II for the tax years ending {}. If either party disposes of the property received before {} ({}; a disposition on that date or later is outside the period), the deferred gain is taken into account in the year of that disposition unless a §1031(f)(2) exception applies. An exchange structured to avoid this rule (e.g. a related party ending up with the cash through a QI, Rev. Rul. 2002-83) is not protected (§1031(f)(4)).",
            rp.name,
            rp.relationship,
            years
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            end,
            window_end_words(last, rp.suspended_days)
        ),
        cite!(IRC_1031 "(f), (g)"; FORM_8824 ", Part II"),
    );
    disposition_findings(rp, outcome.as_ref(), (end, last), deferred, ye, fx);
    Some(PartII {
        line_8: Line8 {
            name: rp.name.clone(),
            address: rp.address.clone(),
            identifying_number: rp.identifying_number.clone(),
            relationship: rp.relationship.clone(),
        },
        last_transfer: last,
        two_year_end: end,
        years: rows,
        disposition: outcome,
    })
}

/// Lines 9-11 for each of the three tax years Part II is filed for.
fn year_rows(
    rp: &RelatedParty,
    years: &[Date],
    end: Date,
    outcome: Option<&DispositionOutcome>,
) -> Vec<PartIIYear> {
    years
        .iter()
        .enumerate()
        .map(|(k, &ye_k)| {
            let start = if k == 0 { None } else { Some(years[k - 1]) };
            let in_year = |d: Date| d <= ye_k && start.is_none_or(|s| d > s);
            let disp = rp.disposed_on.filter(|d| in_year(*d) && *d < end);
            let (l9, l10) = match (disp, rp.disposed_by) {
                (None, _) => (Some(false), Some(false)),
                (Some(_), Some(DisposedBy::RelatedParty)) => (Some(true), Some(false)),
                (Some(_), Some(DisposedBy::Taxpayer)) => (Some(false), Some(true)),
                (Some(_), None) => (None, None),
            };
            let recognized = match (outcome, disp) {
                (Some(o), Some(_)) => o.recognized,
                _ => Amount::ZERO,
            };
            PartIIYear {
                tax_year_end: ye_k,
                line_9: l9,
                line_10: l10,
                line_11: disp.and(rp.exception),
                recognized,
            }
        })
        .collect::<Vec<_>>()
}

/// The end of the related-party window in words: two years after the last transfer (IRC
/// §1031(f)(1)(C)), and, when the holder's risk of loss was substantially diminished, the
/// days IRC §1031(g) suspends the running of the period, which push the end later.
fn window_end_words(last: Date, suspended_days: u32) -> String {
    match suspended_days {
        // The suspension is said even with no days recorded: the holder's risk of loss may
        // have been diminished without the file saying so, and the window is then longer.
        0 => format!(
            "the date two years after the last transfer, {last}; no days are recorded during which the running of the period was suspended because the holder's risk of loss was substantially diminished (by a put, another person's right to acquire the property or a short sale, §1031(g)), which would push that date later"
        ),
        n => format!(
            "two years after the last transfer, {last}, plus {} during which the running of the period was suspended because the holder's risk of loss was substantially diminished, §1031(g)",
            crate::words::days(i64::from(n))
        ),
    }
}

/// A disposition within the two-year window: the gain taken into account, or the exception
/// claimed; a disposition after it.
fn disposition_findings(
    rp: &RelatedParty,
    outcome: Option<&DispositionOutcome>,
    (end, last): (Date, Date),
    deferred: Amount,
    ye: YearEnd,
    fx: &mut Findings,
) {
    if let (Some(o), Some(d)) = (outcome, rp.disposed_on) {
        if o.within_two_years {
            match rp.exception {
                None => {
                    let year = ye.year_end_containing(d);
                    crate::finding_at!(
                        fx,
                        "related_party_disposition",
                        Severity::Warning,
                        "related_party.disposed_on",
                        format!(
                            "The property was disposed of on {d}, before {end} ({}), and no exception is claimed: the gain deferred in the exchange ({}) is taken into account on {d} and reported on the return for the tax year ending {year}, as if the exchange had been a sale. The exchange-year return is not amended.{}",
                            window_end_words(last, rp.suspended_days),
                            format_usd(deferred),
                            if deferred < Amount::ZERO {
                                " The figure is a loss: a loss on a transaction between related persons may be disallowed under §267(a)(1)."
                            } else {
                                ""
                            }
                        ),
                        F_AUTH,
                    );
                }
                Some(RelatedPartyException::NoTaxAvoidance) => crate::finding_at!(
                    fx,
                    "related_party_exception",
                    Severity::Warning,
                    "related_party.exception",
                    "You claim that neither the exchange nor the disposition had tax avoidance as a principal purpose (line 11(c)). That is a judgement on the facts the engine takes as your input and cannot make: attach an explanation to Form 8824. If the IRS disagrees, the deferred gain is taken into account in the year of the disposition.",
                    cite!(IRC_1031 "(f)(2)(C)"; FORM_8824 ", line 11"),
                ),
                Some(e) => crate::finding_at!(
                    fx,
                    "related_party_exception",
                    Severity::Info,
                    "related_party.exception",
                    format!(
                        "The disposition within the window is excepted ({}): no gain is taken into account. Check line 11 of Part II.",
                        match e {
                            RelatedPartyException::Death =>
                                "after the death of the taxpayer or the related person, §1031(f)(2)(A)",
                            _ =>
                                "an involuntary conversion, the exchange having come before its threat, §1031(f)(2)(B)",
                        }
                    ),
                    cite!(IRC_1031 "(f)(2)"; FORM_8824 ", line 11"),
                ),
            }
            if rp.disposed_by.is_none() {
                crate::finding_at!(
                    fx,
                    "related_party_disposed_by_missing",
                    Severity::Info,
                    "related_party.disposed_by",
                    "Say who disposed of the property (disposed_by = \"taxpayer\" or \"related_party\") to answer Form 8824 line 9 or line 10",
                    cite!(FORM_8824 ", lines 9-10"),
                );
            }
        } else {
            crate::finding_at!(
                fx,
                "related_party_disposition",
                Severity::Info,
                "related_party.disposed_on",
                format!(
                    "The disposition on {d} is not before {end} ({}): it is outside the two-year window and the deferral stands",
                    window_end_words(last, rp.suspended_days)
                ),
                F_AUTH,
            );
        }
    }
}
