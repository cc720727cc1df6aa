//! The 180-day investment windows of IRC §1400Z-2(a)(1)(A), by kind of gain.
//!
//! The period is "the 180-day period beginning on the date of such sale or exchange": the
//! start date is day 1, so the last day is start + 179 (Treas. Reg. §1.1400Z2(a)-1(b)(7)(i)). Many
//! calculators use start + 180; every window also carries that date, flagged as a reading
//! not relied on. There is no weekend or holiday rollover.

use crate::explain::Trace;
use crate::law::cite;
use crate::timing::calendar::{YearEnd, add_days};
use jiff::civil::Date;
use serde::Serialize;

/// The general start rule.
pub const GENERAL: &str = cite!(IRC_1400Z_2 "(a)(1)(A)"; REG_1_1400Z2_A_1 "(b)(7)(i)");
/// Capital gain on a sale (stock, investment land): the general rule, the day the gain would
/// be recognized (the trade date for stock, (b)(7)(iv)(A) Example 1).
pub const CAPITAL_GAIN: &str = GENERAL;
/// §1231 gain: the date of each sale, gross of §1231 losses.
pub const SECTION_1231: &str =
    cite!(IRC_1400Z_2 "(a)(1)(A)"; REG_1_1400Z2_A_1 "(b)(7)(i), (b)(11)(iii)(B)");
/// Pass-through gain (partnership; S corporations, estates and trusts by (c)(9)).
pub const PASSTHROUGH: &str = cite!(REG_1_1400Z2_A_1 "(c)(8)(iii), (c)(9)");
/// Installment-method gain.
pub const INSTALLMENT: &str = cite!(REG_1_1400Z2_A_1 "(b)(11)(viii)(B)");
/// The inference for a failed or partial §1031 exchange whose funds come back later.
pub const FAILED_1031_INFERENCE: &str = cite!("No direct authority: inference from " REG_1_1031_K_1 "(j)(2) (installment reporting of funds a QI releases in a later tax year) and " REG_1_1400Z2_A_1 "(b)(11)(viii)(B) (each installment payment starts a 180-day period)");

/// Which start rule a window uses (stable JSON values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartRule {
    SaleDate,
    EntitySaleDate,
    EntityYearEnd,
    EntityReturnDueDate,
    InstallmentPayment,
    InstallmentYearEnd,
    ExchangeTransferDate,
    /// The day the exchange funds count as received (the QI's release, or the end of the
    /// exchange period while the QI still holds them), for failed-§1031 gain reported under
    /// §453 (no direct authority).
    ExchangeFundsReleased,
    /// The last day of the tax year of the QI's release, for failed-§1031 gain reported under
    /// §453 (no direct authority, like `ExchangeFundsReleased`).
    ExchangeFundsReleasedYearEnd,
    /// The last day of the tax year of the sale, for the gain of a failed exchange's payment
    /// at the closing reported under §453 (no direct authority, like `ExchangeFundsReleased`).
    ExchangeClosingPaymentYearEnd,
}

/// Which part of a failed exchange's gain a window is for, when the installment method
/// reports it payment by payment (Treas. Reg. §1.1031(k)-1(j)(2); IRC §453(c)): "each
/// payment will begin a new 180-day period" (Treas. Reg. §1.1400Z2(a)-1(b)(11)(viii)(B)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Payment {
    /// The whole gain, reported for one tax year.
    #[default]
    Whole,
    /// The gain of the payments at the closing (debt paid off, expenses paid from the sale),
    /// reported for the tax year of the sale.
    AtClosing,
    /// The gain of the funds the intermediary releases in a later tax year, reported then.
    Release,
}

/// One 180-day window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    /// The gain the window is for, in words.
    pub gain: String,
    pub start_rule: StartRule,
    /// Day 1.
    pub start: Date,
    /// Day 180 counting the start as day 1 (start + 179): the date to rely on.
    pub end: Date,
    /// start + 180: the reading of calculators that count like §1031; not relied on.
    pub end_if_counted_like_1031: Date,
    pub authority: String,
    /// False when no regulation or ruling supports this start date directly.
    pub direct_authority: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Which reporting of the gain the window pairs with, in words (the tax year whose return
    /// reports the gain invested in it); empty where the gain is reported only one way.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pairs_with: String,
    /// The part of the gain the window is for.
    #[serde(skip)]
    pub payment: Payment,
}

impl Window {
    /// True when `d` is inside the window (the conservative end).
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }

    /// True when the window has days both before and on/after `d`.
    pub fn straddles(&self, d: Date) -> bool {
        self.start < d && d <= self.end
    }
}

/// The last day of a 180-day period that begins on `start` (start is day 1).
///
/// IRC §1400Z-2(a)(1)(A) ("beginning on the date of such sale"); Treas. Reg. §1.1400Z2(a)-1(b)(7)(i).
pub fn last_day(start: Date) -> Date {
    add_days(start, 179)
}

/// start + 180, the day-count of §1031 (day 1 = the day after), which some calculators
/// apply to §1400Z-2 too: shown only as a reading not relied on (Treas. Reg. §1.1400Z2(a)-1(b)(7)(i)
/// makes the start date day 1).
pub fn last_day_counted_like_1031(start: Date) -> Date {
    add_days(start, 180)
}

fn window(
    gain: &str,
    start_rule: StartRule,
    start: Date,
    authority: &'static str,
    direct_authority: bool,
    note: &str,
    t: &mut Trace,
) -> Window {
    let w = Window {
        gain: gain.to_string(),
        start_rule,
        start,
        end: last_day(start),
        end_if_counted_like_1031: last_day_counted_like_1031(start),
        authority: authority.to_string(),
        direct_authority,
        note: note.to_string(),
        pairs_with: String::new(),
        payment: Payment::Whole,
    };
    crate::step!(
        t,
        format!("oz.window.{}", serde_key(start_rule)),
        format!(
            "180-day QOF window for {gain}: day 1 is {start}, so the last day is {start} + 179 (the reading start + 180 = {} is not relied on){}",
            w.end_if_counted_like_1031,
            if direct_authority {
                ""
            } else {
                "; this start date has no direct authority"
            }
        ),
        w.end,
        authority,
        vec![crate::explain::Input::new("start", start)],
    );
    w
}

fn serde_key(r: StartRule) -> &'static str {
    match r {
        StartRule::SaleDate => "sale_date",
        StartRule::EntitySaleDate => "entity_sale_date",
        StartRule::EntityYearEnd => "entity_year_end",
        StartRule::EntityReturnDueDate => "entity_return_due_date",
        StartRule::InstallmentPayment => "installment_payment",
        StartRule::InstallmentYearEnd => "installment_year_end",
        StartRule::ExchangeTransferDate => "exchange_transfer_date",
        StartRule::ExchangeFundsReleased => "exchange_funds_released",
        StartRule::ExchangeFundsReleasedYearEnd => "exchange_funds_released_year_end",
        StartRule::ExchangeClosingPaymentYearEnd => "exchange_closing_payment_year_end",
    }
}

/// The window of capital gain recognized on a sale: it begins on the day the gain would be
/// recognized (trade date for stock, closing date for real estate). Treas. Reg.
/// §1.1400Z2(a)-1(b)(7)(i), (b)(7)(iv)(A) (the §1231 rule, (b)(11)(iii)(B), only points back
/// to (b)(7) and is not cited for capital gain).
pub fn sale_window(gain: &str, sale_date: Date, t: &mut Trace) -> Window {
    window(
        gain,
        StartRule::SaleDate,
        sale_date,
        CAPITAL_GAIN,
        true,
        "",
        t,
    )
}

/// The three windows a partner (or S-corporation shareholder, estate or trust beneficiary)
/// may choose from for pass-through gain the entity did not defer: the entity's 180-day
/// period (its sale date), the last day of the entity's tax year, or the due date of the
/// entity's return without extensions. Treas. Reg. §1.1400Z2(a)-1(c)(8)(iii), (c)(9).
pub fn passthrough_windows(
    entity_sale: Date,
    entity_year_end: Date,
    entity_return_due_without_extension: Date,
    t: &mut Trace,
) -> [Window; 3] {
    let own = window(
        "pass-through gain: the entity's own 180-day period",
        StartRule::EntitySaleDate,
        entity_sale,
        PASSTHROUGH,
        true,
        "",
        t,
    );
    let [year_end, due] = owner_windows(
        "pass-through gain",
        entity_year_end,
        entity_return_due_without_extension,
        t,
    );
    [own, year_end, due]
}

/// The two windows of an owner of a pass-through entity (partner, S-corporation shareholder,
/// beneficiary of a nongrantor trust or estate) for the entity's gain the entity does not
/// defer: from the last day of the entity's tax year in which the owner's share is taken into
/// account ((c)(8)(iii)(A)), or, by the owner's choice, from the due date of the entity's
/// return for that year without extensions ((c)(8)(iii)(B)(2)). Treas. Reg.
/// §1.1400Z2(a)-1(c)(8)(iii), (c)(9).
pub fn owner_windows(
    gain: &str,
    entity_year_end: Date,
    entity_return_due_without_extension: Date,
    t: &mut Trace,
) -> [Window; 2] {
    [
        window(
            &format!("{gain}: the last day of the entity's tax year"),
            StartRule::EntityYearEnd,
            entity_year_end,
            PASSTHROUGH,
            true,
            "",
            t,
        ),
        window(
            &format!("{gain}: the due date of the entity's return, without extensions"),
            StartRule::EntityReturnDueDate,
            entity_return_due_without_extension,
            PASSTHROUGH,
            true,
            "",
            t,
        ),
    ]
}

/// The window of the gain of a failed exchange's payment at the closing, reported under the
/// installment method for the tax year of the sale (Treas. Reg. §1.1031(k)-1(j)(2); IRC
/// §453(c)), from the last day of that tax year: the other start (b)(11)(viii)(B) of Treas.
/// Reg. §1.1400Z2(a)-1 gives installment gain. Its first start, the day of the payment, is
/// the sale's, the transfer-date window. Applying (b)(11)(viii)(B) to failed-§1031 gain has no
/// direct authority, as for the release's windows.
pub fn closing_payment_year_end_window(gain: &str, sale_year_end: Date, t: &mut Trace) -> Window {
    window(
        &format!(
            "{gain}: the payment at the closing, from the last day of the tax year of the sale"
        ),
        StartRule::ExchangeClosingPaymentYearEnd,
        sale_year_end,
        FAILED_1031_INFERENCE,
        false,
        "No direct authority: the payment at the closing (debt paid off, expenses paid from the sale) is a payment of the year of the sale under the installment method (IRC §453(c); Reg. 1.1031(k)-1(j)(2)), and the OZ installment rule lets its gain start its 180 days on the last day of that tax year (Reg. 1.1400Z2(a)-1(b)(11)(viii)(B)). No regulation, ruling or IRS FAQ addresses failed-§1031 gain; do not rely on this date without advice.",
        t,
    )
}

/// The two windows of one installment payment: from the day the payment is received, or
/// from the last day of the taxable year in which it is received; each payment starts its
/// own period. Treas. Reg. §1.1400Z2(a)-1(b)(11)(viii)(B).
pub fn installment_windows(payment: Date, year_end: YearEnd, t: &mut Trace) -> [Window; 2] {
    [
        window(
            "installment gain: the day the payment is received",
            StartRule::InstallmentPayment,
            payment,
            INSTALLMENT,
            true,
            "",
            t,
        ),
        window(
            "installment gain: the last day of the tax year of the payment",
            StartRule::InstallmentYearEnd,
            year_end.year_end_containing(payment),
            INSTALLMENT,
            true,
            "",
            t,
        ),
    ]
}

/// The windows of gain recognized because a §1031 exchange failed or was partial.
///
/// * Conservative (relied on): the relinquished property's transfer date, the date the gain
///   is recognized absent the election (Treas. Reg. §1.1400Z2(a)-1(b)(7)(i)); for §1231
///   property (`section_1231`) the qualified §1231 gain rule, (b)(11)(iii)(B), points to the
///   same date; investment land or other capital assets give capital gain, (b)(7)(i) alone.
/// * Alternative, labelled as having no direct authority: the date the QI releases the
///   funds. Where that is in a later tax year, Treas. Reg. §1.1031(k)-1(j)(2) reports the gain under
///   §453 and the OZ installment rule would start a new 180 days on the payment: an inference
///   no regulation, ruling, IRS FAQ or court decision confirms. In the
///   same tax year (j)(2) does not apply at all, and the alternative is more aggressive still.
///
/// * Alternative, labelled the same way, where the release is in a later tax year: the last
///   day of the tax year of the release, the other start (b)(11)(viii)(B) gives installment
///   gain ("the last day of the taxable year in which the eligible taxpayer would have
///   recognized the gain under the installment method"), resting on the same inference.
///
/// `release` is the day the funds count as received, the date the analysis's year of
/// recognition uses (the QI's release, or the end of the exchange period while the QI still
/// holds them, Treas. Reg. §1.1031(k)-1(j)(2)(iii)(B)); it is None or equal to the transfer
/// date when the boot came at the closing.
pub fn exchange_gain_windows(
    gain: &str,
    transfer: Date,
    release: Option<Date>,
    year_end: YearEnd,
    section_1231: bool,
    t: &mut Trace,
) -> Vec<Window> {
    let (authority, note) = if section_1231 {
        (
            SECTION_1231,
            "The conservative start: the §1231 gain is recognized on the transfer date. If the exchange fails late, much of this window may already be used up.",
        )
    } else {
        (
            CAPITAL_GAIN,
            "The conservative start: the capital gain is recognized on the transfer date. If the exchange fails late, much of this window may already be used up.",
        )
    };
    let mut out = vec![window(
        &format!("{gain}: from the transfer of the relinquished property"),
        StartRule::ExchangeTransferDate,
        transfer,
        authority,
        true,
        note,
        t,
    )];
    if let Some(r) = release.filter(|r| *r > transfer) {
        let later_year = year_end.year_end_containing(transfer) < r;
        let note = if later_year {
            "No direct authority: the funds come back in a later tax year, so the gain is reported under §453 (Reg. 1.1031(k)-1(j)(2)) and the OZ installment rule is read to start a new window on the payment, the day the funds count as received: the QI's release, or the end of the exchange period if the QI still holds them then (Reg. 1.1031(k)-1(j)(2)(iii)(B)), which is day 1. No regulation, ruling or IRS FAQ addresses failed-§1031 gain; do not rely on this date without advice."
        } else {
            "No authority (aggressive): the funds come back in the same tax year, so Reg. 1.1031(k)-1(j)(2) installment reporting does not apply; starting the window on the release date rests on no regulation, ruling or IRS FAQ."
        };
        out.push(window(
            &format!("{gain}: from the day the exchange funds count as received"),
            StartRule::ExchangeFundsReleased,
            r,
            FAILED_1031_INFERENCE,
            false,
            note,
            t,
        ));
        if later_year {
            out.push(release_year_end_window(gain, r, year_end, t));
        }
    }
    out
}

/// The window from the last day of the tax year in which the QI's release falls: the gain
/// would be recognized in that year under the installment method (Treas. Reg.
/// §1.1031(k)-1(j)(2)), and Treas. Reg. §1.1400Z2(a)-1(b)(11)(viii)(B) lets installment gain
/// start its 180 days on that day. Applying (b)(11)(viii)(B) to failed-§1031 gain is an
/// inference no regulation, ruling or IRS FAQ confirms, as for the release-date window.
fn release_year_end_window(gain: &str, release: Date, ye: YearEnd, t: &mut Trace) -> Window {
    let year_end = ye.year_end_containing(release);
    window(
        &format!("{gain}: from the last day of the tax year of the QI's release"),
        StartRule::ExchangeFundsReleasedYearEnd,
        year_end,
        FAILED_1031_INFERENCE,
        false,
        &format!(
            "No direct authority: the funds come back in a later tax year, so the gain is reported under §453 (Reg. 1.1031(k)-1(j)(2)) in the tax year ending {year_end}, and the OZ installment rule (Reg. 1.1400Z2(a)-1(b)(11)(viii)(B)), which lets installment gain start its 180 days on the last day of the tax year in which it would be recognized, is read to apply. Only if the installment method applies (a QI, a bona fide intent at the start, no election out). No regulation, ruling or IRS FAQ addresses failed-§1031 gain; do not rely on this date without advice."
        ),
        t,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn sale_date_is_day_one() {
        let mut t = Trace::default();
        let w = sale_window("gain", date(2026, 9, 15), &mut t);
        assert_eq!(w.end, date(2027, 3, 13));
        assert_eq!(w.end_if_counted_like_1031, date(2027, 3, 14));
        // The first sale date whose window reaches 2027.
        assert_eq!(last_day(date(2026, 7, 5)), date(2026, 12, 31));
        assert_eq!(last_day(date(2026, 7, 6)), date(2027, 1, 1));
    }

    #[test]
    fn same_year_release_is_labelled_aggressive() {
        let mut t = Trace::default();
        let w = exchange_gain_windows(
            "boot gain",
            date(2026, 5, 1),
            Some(date(2026, 10, 28)),
            YearEnd::CALENDAR,
            true,
            &mut t,
        );
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].end, date(2026, 10, 27));
        assert!(w[0].direct_authority);
        assert_eq!(w[1].end, date(2027, 4, 25));
        assert!(!w[1].direct_authority);
        assert!(w[1].note.contains("same tax year"));
        assert_eq!(w[0].authority, SECTION_1231);
    }

    /// A release in a later tax year: installment gain (Treas. Reg. §1.1031(k)-1(j)(2)) may
    /// also start its 180 days on the last day of that tax year ((b)(11)(viii)(B)), with no
    /// direct authority for failed-§1031 gain; a same-year release gets no such window.
    #[test]
    fn later_year_release_adds_the_year_end_window() {
        let mut t = Trace::default();
        let w = exchange_gain_windows(
            "gain",
            date(2025, 11, 1),
            Some(date(2026, 4, 16)),
            YearEnd::CALENDAR,
            true,
            &mut t,
        );
        assert_eq!(w.len(), 3);
        assert_eq!(w[2].start_rule, StartRule::ExchangeFundsReleasedYearEnd);
        assert_eq!(w[2].start, date(2026, 12, 31));
        assert_eq!(w[2].end, date(2027, 6, 28));
        assert!(!w[2].direct_authority);
        assert_eq!(w[2].authority, FAILED_1031_INFERENCE);
        assert!(w[2].note.starts_with("No direct authority"));
        let same = exchange_gain_windows(
            "gain",
            date(2026, 5, 1),
            Some(date(2026, 10, 28)),
            YearEnd::CALENDAR,
            true,
            &mut t,
        );
        assert_eq!(same.len(), 2);
    }

    /// Investment land and stock give capital gain: the general rule of (b)(7)(i), not the
    /// qualified §1231 gain rule of (b)(11)(iii).
    #[test]
    fn capital_gain_windows_cite_the_general_rule() {
        let mut t = Trace::default();
        let d = date(2026, 7, 5);
        let w = exchange_gain_windows("g", d, None, YearEnd::CALENDAR, false, &mut t);
        assert_eq!(w[0].authority, GENERAL);
        assert!(w[0].note.contains("capital gain"));
        assert!(!w[0].authority.contains("(b)(11)(iii)"));
        assert_eq!(sale_window("stock", d, &mut t).authority, GENERAL);
    }

    #[test]
    fn installment_payment_or_its_year_end() {
        let mut t = Trace::default();
        let w = installment_windows(date(2026, 8, 10), YearEnd::CALENDAR, &mut t);
        assert_eq!(w[0].end, date(2027, 2, 5));
        assert_eq!(w[1].start, date(2026, 12, 31));
        assert_eq!(w[1].end, date(2027, 6, 28));
    }

    #[test]
    fn boot_at_closing_has_one_window() {
        let mut t = Trace::default();
        let d = date(2026, 5, 1);
        assert_eq!(
            exchange_gain_windows("g", d, Some(d), YearEnd::CALENDAR, true, &mut t).len(),
            1
        );
    }
}
