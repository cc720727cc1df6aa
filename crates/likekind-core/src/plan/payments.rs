//! The failed exchange's gain payment by payment, as the analysis reports it, and the
//! 180-day windows each payment's gain pairs with.
//!
//! Under Treas. Reg. §1.1031(k)-1(j)(2) the gain of a failed exchange whose funds come back
//! in a later tax year is reported on the installment method: "the income recognized for any
//! taxable year from a disposition is that proportion of the payments received in that year
//! which the gross profit … bears to the total contract price" (IRC §453(c)), so the payments
//! at the closing (debt paid off, expenses paid from the sale) are reported for the year of
//! the sale and only the release's gain in the later year. The split is the analysis's own
//! (the report's `recognition_years`), never computed again here. For installment gain "each
//! payment will begin a new 180-day period" (Treas. Reg. §1.1400Z2(a)-1(b)(11)(viii)(B)), so
//! each payment's gain has its own windows and its own Form 8949.

use crate::amount::Amount;
use crate::explain::Trace;
use crate::model::Entity;
use crate::money::format_usd;
use crate::oz::forms::form_year;
use crate::oz::window::{
    Payment, StartRule, Window, closing_payment_year_end_window, owner_windows,
};
use crate::plan::status::{Recognition, YearPart};
use crate::plan::tax::{GainParts, Rates, tax_on};
use crate::plan::types::ExchangeStatus;
use crate::timing::calendar::YearEnd;
use crate::timing::deadlines::Deadlines;
use crate::timing::due_date::return_due_date;
use jiff::civil::Date;

/// The failed exchange's gain in the two tax years the installment method reports it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split {
    /// The gain reported for the tax year of the sale: the §453(i) recapture and the
    /// payments at the closing.
    pub(crate) at_closing: GainParts,
    /// The gain reported when the funds count as received.
    pub(crate) release: GainParts,
    pub(crate) sale_year: i16,
    pub(crate) release_year: i16,
    pub(crate) release_date: Date,
    pub(crate) sale_date: Date,
}

/// Eligible gain of a part: all but its ordinary income.
pub(crate) fn eligible(p: &GainParts) -> Amount {
    (p.total() - p.ordinary).max(Amount::ZERO)
}

/// The analysis's year-of-sale figures `y` laid on the gain's parts `whole`: the recapture
/// and the unrecaptured §1250 gain it reports for the year of sale (taken first, Treas. Reg.
/// §1.453-12), and the rest of its gain in proportion to the other parts. The release's part
/// is what is left.
fn split_parts(whole: &GainParts, recapture: Amount, y: YearPart) -> (GainParts, GainParts) {
    let z = Amount::ZERO;
    let r = y.recapture.min(recapture).min(whole.ordinary).max(z);
    let u = y.unrecaptured_1250.min(whole.unrecaptured_1250).max(z);
    let rest = (y.gain - r - u).max(z);
    let other_ordinary = (whole.ordinary - recapture).max(z);
    let pool = other_ordinary + whole.short_term + whole.capital;
    let share = |x: Amount| {
        if pool.is_zero() {
            z
        } else {
            (x * rest.min(pool) / pool).round_dp(2)
        }
    };
    let (o, s) = (share(other_ordinary), share(whole.short_term));
    let now = GainParts {
        ordinary: r + o,
        unrecaptured_1250: u,
        short_term: s,
        capital: (rest.min(pool) - o - s).max(z),
    };
    (now, whole.less(&now))
}

/// The split of the failed exchange's gain `whole` (with `recapture` of §453(i) recapture in
/// its ordinary part) when the analysis reports it in two tax years; None when one year
/// reports it all.
pub(crate) fn split(
    whole: &GainParts,
    recapture: Amount,
    rec: &Recognition,
    d: &Deadlines,
) -> Option<Split> {
    let sale_date = d.first_transfer;
    let y = rec.year_of_sale?;
    let (at_closing, release) = split_parts(whole, recapture, y);
    Some(Split {
        at_closing,
        release,
        sale_year: y.tax_year,
        release_year: rec.tax_year,
        release_date: rec.received,
        sale_date,
    })
}

/// The part of the failed exchange's gain a window's investment defers, the return that
/// reports it, and the tax on the rest of the gain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Portion {
    pub(crate) parts: GainParts,
    pub(crate) eligible: Amount,
    /// The tax year (the calendar year it ends in) whose return reports the gain invested.
    pub(crate) gain_year: i16,
    /// The rest of the gain reported for the year of the sale (taxed now).
    pub(crate) other_now: GainParts,
    /// The rest of the gain reported on the release, taxed then: (date, tax).
    pub(crate) other_later: Option<(Date, Amount)>,
}

/// The portion of a window of `payment`: the whole gain (reported for `whole_year`: the year
/// of the sale when the taxpayer elects out of the installment method, IRC §453(d)(1)), the
/// payment at the closing's, or the release's.
pub(crate) fn portion(
    sp: Option<&Split>,
    whole: &GainParts,
    whole_year: i16,
    payment: Payment,
    rates: &Rates,
) -> Portion {
    let z = GainParts::default();
    match (sp, payment) {
        (Some(sp), Payment::AtClosing) => Portion {
            parts: sp.at_closing,
            eligible: eligible(&sp.at_closing),
            gain_year: sp.sale_year,
            other_now: z,
            other_later: Some((sp.release_date, tax_on(&sp.release, rates))),
        },
        (Some(sp), Payment::Release) => Portion {
            parts: sp.release,
            eligible: eligible(&sp.release),
            gain_year: sp.release_year,
            other_now: sp.at_closing,
            other_later: None,
        },
        _ => Portion {
            parts: *whole,
            eligible: eligible(whole),
            gain_year: whole_year,
            other_now: z,
            other_later: None,
        },
    }
}

/// Tags the failed exchange's windows with the payment each is for and the reporting it
/// pairs with, and adds the year-end window of the payment at the closing, when the
/// installment method reports the gain in two tax years (D4/D8 of QA 9: a window that began
/// at the sale never goes with the later year's Form 8949).
pub(crate) fn pair_windows(
    ws: &mut Vec<Window>,
    (sp, gain): (&Split, &str),
    ye: YearEnd,
    t: &mut Trace,
) {
    let (sale, rel) = (form_year(ye, sp.sale_year), form_year(ye, sp.release_year));
    let (now, later) = (eligible(&sp.at_closing), eligible(&sp.release));
    let whole = now + later;
    for w in ws.iter_mut() {
        match w.start_rule {
            StartRule::ExchangeTransferDate => {
                w.pairs_with = format!(
                    "The whole {} of eligible gain only if you elect out of the installment method (IRC §453(d)(1)): the gain is then reported for the tax year of the sale, on the {sale} return and its Form 8949. Under the installment method only the payments at the closing are reported for {sale} ({} of eligible gain, IRC §453(c); Reg. 1.1031(k)-1(j)(2)), and only that gain may go in this window (the payment's day is the sale's, Reg. 1.1400Z2(a)-1(b)(11)(viii)(B)); the release's {} has its own windows, with the {rel} Form 8949.",
                    format_usd(whole),
                    format_usd(now),
                    format_usd(later)
                );
            }
            StartRule::ExchangeFundsReleased | StartRule::ExchangeFundsReleasedYearEnd => {
                w.payment = Payment::Release;
                w.pairs_with = format!(
                    "The installment method: only the {} of eligible gain the release brings, reported for {rel} (the {rel} Form 8949); never the gain of the payments at the closing, reported for {sale}, whose 180 days began then (each payment begins a new 180-day period, Reg. 1.1400Z2(a)-1(b)(11)(viii)(B)).",
                    format_usd(later)
                );
            }
            _ => {}
        }
    }
    if now > Amount::ZERO {
        let mut w = closing_payment_year_end_window(gain, ye.year_end_containing(sp.sale_date), t);
        w.payment = Payment::AtClosing;
        w.pairs_with = format!(
            "The installment method: the {} of eligible gain of the payments at the closing, reported for {sale} (the {sale} Form 8949); not the release's gain.",
            format_usd(now)
        );
        let at = ws
            .iter()
            .position(|w| w.start_rule == StartRule::ExchangeTransferDate)
            .map_or(0, |k| k + 1);
        ws.insert(at, w);
    }
}

/// A pass-through entity and its owners, in words; None for a taxpayer that is not one.
pub(crate) fn owners(entity: Entity) -> Option<(&'static str, &'static str)> {
    match entity {
        Entity::Partnership => Some(("partnership", "partners")),
        Entity::SCorporation => Some(("S corporation", "shareholders")),
        Entity::Trust => Some(("trust", "beneficiaries")),
        Entity::Estate => Some(("estate", "beneficiaries")),
        Entity::Individual | Entity::CCorporation => None,
    }
}

/// The owners' windows of a pass-through taxpayer's failed-exchange gain that the entity does
/// not defer itself: for each tax year reporting eligible gain (`years`: a day in it, the
/// payment, the eligible gain), from the last day of the entity's tax year or from the due
/// date of its return without extensions (Treas. Reg. §1.1400Z2(a)-1(c)(8)(iii)(A),
/// (B)(2); (c)(9) for S corporations, nongrantor trusts and estates). Inserted after the
/// transfer-date window: they rest on direct authority.
pub(crate) fn add_owner_windows(
    ws: &mut Vec<Window>,
    (entity, ye): (Entity, YearEnd),
    (years, gain): (&[(Date, Payment, Amount)], &str),
    t: &mut Trace,
) {
    let Some((name, who)) = owners(entity) else {
        return;
    };
    let mut at = ws
        .iter()
        .position(|w| w.start_rule == StartRule::ExchangeTransferDate)
        .map_or(0, |k| k + 1);
    for (day, payment, amount) in years.iter().filter(|y| y.2 > Amount::ZERO) {
        let year_end = ye.year_end_containing(*day);
        let due = return_due_date(entity, ye, *day).original;
        let shares = format!("the {who}' shares of the {gain}");
        for mut w in owner_windows(&shares, year_end, due, t) {
            w.payment = *payment;
            w.pairs_with = format!(
                "The {name} does not elect to defer: it reports the {} of eligible gain for its tax year ending {year_end}, and each of the {who} may invest its own share in a QOF within its own 180-day period, from the last day of that tax year or, by its choice, from the due date of the {name}'s return without extensions, {due} (Treas. Reg. §1.1400Z2(a)-1(c)(8)(iii)(A), (B)(2){}). The investment is the {who}', not the {name}'s.{}",
                format_usd(*amount),
                if entity == Entity::Partnership {
                    ""
                } else {
                    ", (c)(9)"
                },
                if entity == Entity::Trust {
                    " Only a nongrantor trust: a grantor trust's gain is its grantor's own, under the general rule [U]."
                } else {
                    ""
                },
            );
            ws.insert(at, w);
            at += 1;
        }
    }
}

/// The failed exchange's windows, finished: each paired with the payment it is for when the
/// installment method reports the gain in two tax years ([`pair_windows`]), and a
/// pass-through taxpayer's owners' windows for each year's eligible gain
/// ([`add_owner_windows`]). `eligible` is the whole eligible gain, reported for the tax year
/// of the `transfer` when one year reports it all.
pub(crate) fn finish_windows(
    ws: &mut Vec<Window>,
    (sp, gain): (Option<&Split>, &str),
    (entity, ye): (Entity, YearEnd),
    (transfer, eligible_gain): (Date, Amount),
    t: &mut Trace,
) {
    let years = match sp {
        Some(sp) => {
            pair_windows(ws, (sp, gain), ye, t);
            vec![
                (transfer, Payment::AtClosing, eligible(&sp.at_closing)),
                (sp.release_date, Payment::Release, eligible(&sp.release)),
            ]
        }
        None => vec![(transfer, Payment::Whole, eligible_gain)],
    };
    add_owner_windows(ws, (entity, ye), (&years, gain), t);
}

/// What the windows of the gain a failed exchange recognizes call that gain, as things stand:
/// the gain of the sale when the taxpayer had the money at the closing (the transfer is a
/// sale, Treas. Reg. §1.1031(k)-1(f), (k)), of the failed exchange once it has failed, and of
/// the exchange if it fails while it may still succeed.
pub(crate) fn failed_gain_words(status: ExchangeStatus, sale: bool) -> &'static str {
    match (sale, status) {
        (true, _) => "gain of the sale",
        (false, ExchangeStatus::Failed) => "gain of the failed exchange",
        _ => "gain of the exchange if it fails",
    }
}

/// The transfer-date window's note when the taxpayer had the money at the closing: the gain
/// is a sale's, recognized that day, so the 180 days begin then (IRC §1400Z-2(a)(1)(A);
/// Treas. Reg. §1.1400Z2(a)-1(b)(7)(i)) and no later start is in question.
pub(crate) const SALE_START: &str = "The start: the taxpayer had the money of the sale at the closing, so the gain is recognized on the day of the transfer and its 180 days begin then. No qualified intermediary held the money, so no later start (on a release, or at the end of a tax year under the installment method) applies.";
