//! Where the exchange stands on the plan date, and the engine's view of it as failed.

use crate::after::straddle::{Straddle, received_on, tax_year};
use crate::amount::Amount;
use crate::model::ExchangeFile;
use crate::money::format_usd;
use crate::plan::types::ExchangeStatus;
use crate::report::Report;
use crate::timing::calendar::YearEnd;
use crate::timing::constructive_receipt::{ReleaseFacts, earliest_release};
use crate::timing::deadlines::Deadlines;
use jiff::civil::Date;

/// The engine's analysis of the same file with no replacement property received: the
/// exchange as if it failed, i.e. a taxable sale. The identification stays: what was
/// identified decides when the intermediary may release the funds (Treas. Reg.
/// §1.1031(k)-1(g)(6)) and so the year the gain is recognized ((j)(2)).
pub fn failed_view(f: &ExchangeFile, as_of: Date) -> Report {
    let mut g = f.clone();
    g.replacement.clear();
    // With nothing bought, every dollar of the exchange funds comes back to the taxpayer:
    // let the engine infer the cash received instead of keeping the closing's figure.
    for r in &mut g.relinquished {
        r.cash_received = None;
    }
    crate::analyze(&g, as_of)
}

/// Every relinquished property was held long enough for long-term gain (IRC §1222(3)):
/// Part II of Form 8949.
pub(crate) fn long_term(f: &ExchangeFile) -> bool {
    f.relinquished
        .iter()
        .all(|r| crate::oz::regime::whole_years(r.acquired, r.transferred) >= 1)
}

/// Net cash the sale produces: the money every path starts from.
pub(crate) fn equity_of(f: &ExchangeFile) -> Amount {
    f.relinquished
        .iter()
        .map(|r| {
            r.sale_price - r.liabilities_relieved - r.exchange_expenses - r.other_closing_costs
        })
        .sum()
}

/// Complete, partial, in progress or failed, from the engine's identification verdict and
/// the replacements received in time (Treas. Reg. §1.1031(k)-1(b), (c)).
pub(crate) fn status_of(
    f: &ExchangeFile,
    report: &Report,
    d: &Deadlines,
    as_of: Date,
) -> (ExchangeStatus, String) {
    let id_valid = report.identification.as_ref().is_some_and(|i| i.valid);
    let in_time = f.replacement.iter().any(|r| r.received <= d.exchange_end);
    // The engine's one verdict: property bought that is not like-kind replacement property
    // does not complete the exchange (Treas. Reg. §1.1031(k)-1(a)).
    let q = &report.qualification;
    if q.is_taxable_sale()
        && q.settled
        && (!f.replacement.is_empty() || q.taxpayer_received_funds().is_some())
    {
        return (ExchangeStatus::Failed, q.summary.to_string());
    }
    // Failing as entered on a date still ahead (a closing after the end of the exchange
    // period, a due-date cut an extension would lift, an over-identification the 95% rule
    // can cure): not failed yet, and the plan follows the analysis's condition (QA12 D3).
    if let Some(u) = q.unless.as_ref().filter(|_| !q.settled) {
        return (
            ExchangeStatus::InProgress,
            format!(
                "Not settled yet: as entered the exchange will fail unless {} ({})",
                u.text, u.authority
            ),
        );
    }
    if !id_valid && as_of > d.identification_end {
        return (
            ExchangeStatus::Failed,
            format!(
                "No valid identification by the end of the identification period ({}): the exchange fails and the gain is recognized",
                d.identification_end
            ),
        );
    }
    if !in_time {
        if as_of > d.exchange_end || !f.replacement.is_empty() {
            return (
                ExchangeStatus::Failed,
                format!(
                    "No replacement property received by the end of the exchange period ({}): the exchange fails and the gain is recognized",
                    d.exchange_end
                ),
            );
        }
        let reason = if as_of > d.identification_end {
            format!(
                "Nothing received yet; the identification period ended on {} with replacement property identified: receive it by {} to complete the exchange",
                d.identification_end, d.exchange_end
            )
        } else {
            format!(
                "Nothing received yet; identify by {} and receive by {} to complete the exchange",
                d.identification_end, d.exchange_end
            )
        };
        return (ExchangeStatus::InProgress, reason);
    }
    if q.outcome == crate::eligibility::qualification::Outcome::PartialExchange {
        return (
            ExchangeStatus::Partial,
            format!(
                "{} {} of gain is recognized",
                q.summary,
                format_usd(report.gain.recognized)
            ),
        );
    }
    if report.gain.recognized > Amount::ZERO {
        (
            ExchangeStatus::Partial,
            format!(
                "Replacement received with {} of boot: {} of gain is recognized",
                format_usd(report.boot.total),
                format_usd(report.gain.recognized)
            ),
        )
    } else if report.gain.realized < Amount::ZERO {
        (
            ExchangeStatus::Complete,
            "Replacement received: the exchange defers the loss as entered".to_string(),
        )
    } else {
        (
            ExchangeStatus::Complete,
            "Replacement received and no gain recognized: the exchange defers the gain as entered"
                .to_string(),
        )
    }
}

/// When a gain counts as received and the tax year whose return reports it: the analysis's
/// own year of recognition (the report's recognition years, Treas. Reg. §1.1031(k)-1(j)(2)),
/// so the plan and the analysis of the same file always agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Recognition {
    /// The day the funds count as received: the intermediary's release, or the end of the
    /// exchange period while it still holds them ((j)(2)(iii)(B)).
    pub(crate) received: Date,
    /// The tax year (the calendar year it ends in) whose return reports the gain a QOF can
    /// defer, and so carries the deferral election: the year of receipt under the
    /// installment method, else the year of the transfer.
    pub(crate) tax_year: i16,
    /// Under the installment method with the funds received in a later tax year: the gain
    /// the analysis reports for the tax year of the transfer (the §453(i) recapture and the
    /// payments at the closing, IRC §453(c)), the rest being reported on receipt.
    pub(crate) year_of_sale: Option<YearPart>,
}

/// The gain one tax year reports, as the analysis's recognition years give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct YearPart {
    pub(crate) tax_year: i16,
    pub(crate) gain: Amount,
    pub(crate) recapture: Amount,
    pub(crate) unrecaptured_1250: Amount,
}

impl YearPart {
    /// The year of the transfer in the analysis's recognition years (nothing when it lists
    /// no gain for that year).
    fn of(s: &Straddle) -> YearPart {
        let y = s.years.iter().find(|y| y.tax_year == s.year_of_transfer);
        YearPart {
            tax_year: s.year_of_transfer,
            gain: y.map_or(Amount::ZERO, |y| y.gain),
            recapture: y.map_or(Amount::ZERO, |y| y.recapture_income),
            unrecaptured_1250: y.map_or(Amount::ZERO, |y| y.unrecaptured_1250),
        }
    }
}

impl Recognition {
    /// The analysis's year of recognition, or, where it has none (no gain, or nothing came
    /// back), the funds' receipt `received` with the gain in the tax year of the transfer.
    fn of(s: Option<&Straddle>, received: Date, transfer: Date, ye: YearEnd) -> Self {
        match s {
            Some(s) => Recognition {
                received: s.received_on,
                tax_year: if s.installment_method {
                    tax_year(ye, s.received_on)
                } else {
                    s.year_of_transfer
                },
                year_of_sale: (s.installment_method
                    && tax_year(ye, s.received_on) > s.year_of_transfer)
                    .then(|| YearPart::of(s)),
            },
            None => Recognition {
                received,
                tax_year: tax_year(ye, transfer),
                year_of_sale: None,
            },
        }
    }
}

/// The gain of the exchange if it fails: when the analysis itself finds a taxable sale, its
/// own year of recognition; otherwise that of the failed view (the same file with nothing
/// received). The file's `funds_released_on`, when given, is the release both read.
pub(crate) fn recognition_if_failed(
    report: &Report,
    failed: &Report,
    d: &Deadlines,
    ye: YearEnd,
    funds_released_on: Option<Date>,
) -> Recognition {
    let analysis = if report.qualification.is_taxable_sale() {
        report
    } else {
        failed
    };
    let released = funds_released_on.unwrap_or_else(|| release_if_failed(report, d));
    Recognition::of(
        analysis.recognition_years.as_ref(),
        received_on(released, Some(d.exchange_end)),
        d.first_transfer,
        ye,
    )
}

/// The gain of the exchange as entered (the boot of a partial exchange): the analysis's year
/// of recognition, or the transfer when nothing comes back later.
pub(crate) fn recognition_as_entered(report: &Report, d: &Deadlines, ye: YearEnd) -> Recognition {
    Recognition::of(
        report.recognition_years.as_ref(),
        d.first_transfer,
        d.first_transfer,
        ye,
    )
}

/// When the QI could release the funds if the exchange fails from here (Treas.
/// Reg. §1.1031(k)-1(g)(6)): after day 45 if nothing valid is identified, else after the period.
pub(crate) fn release_if_failed(report: &Report, d: &Deadlines) -> Date {
    let identified = report
        .identification
        .as_ref()
        .is_some_and(|i| i.valid && i.rule != crate::identification::IdRule::None);
    earliest_release(&ReleaseFacts {
        identification_end: d.identification_end,
        exchange_end: d.exchange_end,
        anything_identified: identified,
        all_identified_received_on: None,
    })
    .earliest
}

/// When leftover exchange funds of a partial exchange count as received: the analysis's date
/// (the report's recognition years, Treas. Reg. §1.1031(k)-1(j)(2)(iii)(B)), else on receipt
/// of all the replacement property ((g)(6)(iii)(A)); None when the boot came at the sale
/// closing.
pub(crate) fn partial_release(report: &Report, d: &Deadlines) -> Option<Date> {
    if report.money.returned_to_taxpayer <= Amount::ZERO {
        return None;
    }
    if let Some(s) = &report.recognition_years {
        return Some(s.received_on);
    }
    let last = report.form_8824_part_i.line_6;
    let released = earliest_release(&ReleaseFacts {
        identification_end: d.identification_end,
        exchange_end: d.exchange_end,
        anything_identified: true,
        all_identified_received_on: last,
    })
    .earliest;
    Some(received_on(released, Some(d.exchange_end)))
}
