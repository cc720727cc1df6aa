//! Failed and straddle exchanges: in which tax year the gain is reported.
//!
//! A deferred exchange that fails, or leaves cash that comes back after the tax year of the
//! transfer, is not simply taxed in the year of the transfer. Under Treas. Reg.
//! §1.1031(k)-1(j)(2), when a qualified intermediary or a qualified escrow or trust holds the
//! exchange funds and the taxpayer had a bona fide intent to do a deferred exchange at the
//! start of the exchange period, the taxpayer is not treated as paid until the funds are
//! actually or constructively received, so the gain can be reported under the installment
//! method (§453) in the later year. Recapture income is still recognized in the year of the
//! sale (§453(i)); Treas. Reg. §1.453-12 for the unrecaptured §1250 gain.
//!
//! Bona fide intent is a judgement on the facts at the start of the exchange period: the
//! engine takes it as an input and says so.

use crate::amount::Amount;
use crate::explain::Trace;
use crate::explain::money as m;
use crate::inputs;
use crate::law::cite;
use crate::money::{Overflow, mul_div};
use crate::timing::calendar::YearEnd;
use jiff::civil::Date;
use serde::Serialize;

/// What overflows when the amounts are too large to split.
const SPLIT: &str = "the year-of-recognition split (Form 6252)";

/// The year of recognition: Treas. Reg. §1.1031(k)-1(j)(2), the recapture income of the
/// year of the sale (IRC §453(i)) and the unrecaptured §1250 gain (Treas. Reg. §1.453-12).
const RECOGNITION: &str = cite!(REG_1_1031_K_1 "(j)(2)"; IRC_453 "(i)"; REG_1_453_12);

/// The same when the taxpayer had the money at the closing: receipt by the taxpayer or its
/// agent (Treas. Reg. §1.1031(k)-1(f), (k)), and no installment sale (IRC §453(b)(1)).
const RECEIVED_AT_CLOSING: &str =
    cite!(REG_1_1031_K_1 "(f), (j)(2), (k)"; IRC_453 "(b)(1)"; REG_1_453_12);

/// Where the year of the transfer's gain goes without the installment method, for property
/// that is not a dealer's (Instructions for Form 8824, line 22).
pub const FORM_4797_OR_SCHEDULE_D: &str = "Form 4797 / Schedule D";

/// The same for a dealer's property held for sale to customers: ordinary income, neither
/// capital gain nor §1231 gain (IRC §§1221(a)(1), 1231(b)(1)(B)).
pub const DEALER_ORDINARY_INCOME: &str =
    "Schedule C or the business's return, as ordinary income (dealer property, IRC §1221(a)(1))";

/// The facts that decide the year of recognition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StraddleInputs {
    /// Transfer of the relinquished property (the sale).
    pub transferred: Date,
    /// When the exchange funds (or the last of them) reach the taxpayer: the transfer when no
    /// qualified intermediary, escrow or trust held them (the caller decides).
    pub funds_released: Date,
    /// End of the exchange period (day 180 or the return due date); after it the (j)(2)
    /// rule stops ((j)(2)(iii)(B)), so funds still held are treated as received then.
    pub exchange_end: Option<Date>,
    pub year_end: YearEnd,
    /// A qualified intermediary, qualified escrow account or qualified trust held the funds.
    pub qi_or_qualified_escrow: bool,
    /// The verdict finds the taxpayer had the sale's money at the closing (it took it, or a
    /// disqualified "intermediary" held it as its agent: Treas. Reg. §1.1031(k)-1(f)(1)-(2),
    /// (k)): nobody qualified held it, so (j)(2) does not apply and the whole price was
    /// received in the year of the sale (no installment sale, IRC §453(b)(1)). The caller
    /// gives the transfer as `funds_released` then, and whenever `qi_or_qualified_escrow` is
    /// false (nothing kept the money from the taxpayer).
    pub taxpayer_received_funds: bool,
    /// Where the gain of the year of the transfer is reported without the installment method:
    /// Form 4797 / Schedule D, or a dealer's ordinary income (IRC §1221(a)(1)).
    pub reported_on: &'static str,
    /// The taxpayer's judgement (an input): bona fide intent at the start of the period.
    pub bona_fide_intent: bool,
    /// The file gives `bona_fide_intent`; when it does not, `bona_fide_intent` is false and the
    /// report says the engine assumed it (Treas. Reg. §1.1031(k)-1(j)(2)(iv)).
    pub bona_fide_intent_given: bool,
    /// Dealer or other disqualified property ((j)(2)(v)).
    pub disqualified_property: bool,
    /// The taxpayer elected out of the installment method (§453(d)).
    pub elect_out_of_installment: bool,
    /// Gain to be recognized in all (realized gain for a failed exchange, the line 23 figure
    /// for a partial one).
    pub gain: Amount,
    /// §1245 / §1250 ordinary recapture income inside `gain` (§453(i)).
    pub recapture_income: Amount,
    /// Straight-line depreciation on the real property (unrecaptured §1250 gain, reported as
    /// payments come in, Treas. Reg. §1.453-12).
    pub straight_line_depreciation: Amount,
    /// Money (boot) received when the funds are released.
    pub cash: Amount,
    /// FMV of an installment obligation received (a buyer's note): its gain is reported as
    /// the note is paid.
    pub installment_note: Amount,
    /// Form 8824 is filed: some like-kind property was received. Without it (a failed
    /// exchange) the sale is reported on Form 6252 alone (Instructions for Form 8824,
    /// Purpose of Form).
    pub form_8824_filed: bool,
    /// The sale of a failed exchange, for the Form 6252 figures and the payments of the year
    /// of sale; `None` keeps the contract price at `cash` + `installment_note`.
    pub sale: Option<SaleFigures>,
}

/// The sale behind a failed exchange, as Form 6252 needs it (Instructions for Form 6252,
/// lines 5-7, 17-18 and 21; Temp. Treas. Reg. §15a.453-1(b)(2)(ii)-(iii), (b)(3)(i)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleFigures {
    /// Selling price, debt included and selling expenses not taken off (line 5).
    pub selling_price: Amount,
    /// Debt on the relinquished property relieved at the sale (`liabilities_relieved`).
    pub liabilities_relieved: Amount,
    /// The part of that debt the buyer assumed or took the property subject to (line 6); the
    /// rest was paid off at the closing (then the payoff is a payment, line 21).
    pub debt_assumed_by_buyer: Amount,
    /// Money of the sale the intermediary received; the rest of the price was paid out at
    /// the closing (debt paid off, selling expenses, other costs, cash to the taxpayer).
    pub to_intermediary: Amount,
}

/// Gain in one tax year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearAmount {
    pub tax_year: i16,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub gain: Amount,
    /// Ordinary recapture income in this year (Form 4797 Part III; Form 6252 line 12 in the
    /// year of sale).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub recapture_income: Amount,
    /// Unrecaptured §1250 gain inside `gain`.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub unrecaptured_1250: Amount,
    /// Where it is reported.
    pub reported_on: crate::explain::Text,
}

/// The year-of-recognition result (the report's `recognition_years`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Straddle {
    pub year_of_transfer: i16,
    /// Date the funds are treated as received (release, or the end of the exchange period;
    /// the transfer when no qualified intermediary, escrow or trust held them).
    pub received_on: Date,
    pub installment_method: bool,
    pub why: &'static str,
    pub years: Vec<YearAmount>,
    /// Gain reported as payments on an installment note are received (years unknown).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub gain_reported_as_note_payments_received: Amount,
    /// Form 6252 figures for the year of sale, when the installment method applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form_6252: Option<Form6252>,
}

/// The Form 6252 figures for the year of the transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Form6252 {
    /// Contract price: the money and note to be received (like-kind property is not
    /// payment, §453(f)(6)).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub contract_price: Amount,
    /// Gross profit after the recapture income already recognized (§453(i)(1)(B)).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub gross_profit: Amount,
    /// Gross profit percentage, to four decimals (as the form's line 19 asks).
    pub gross_profit_percentage: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub recapture_income_year_of_sale: Amount,
    /// Line 5: selling price, debt included (failed exchange only).
    #[serde(
        serialize_with = "crate::money::serialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub selling_price: Option<Amount>,
    /// Line 6: debt the buyer assumed or took the property subject to (failed exchange only).
    #[serde(
        serialize_with = "crate::money::serialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub debt_assumed_by_buyer: Option<Amount>,
    /// Line 17: that debt in excess of basis, expenses and recapture (failed exchange only).
    #[serde(
        serialize_with = "crate::money::serialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub debt_over_basis: Option<Amount>,
    /// Line 21 for the year of sale: the price paid out at the closing (debt paid off,
    /// selling expenses, other costs) rather than to the intermediary (failed exchange only).
    #[serde(
        serialize_with = "crate::money::serialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub payments_year_of_sale: Option<Amount>,
    /// How `liabilities_relieved` was read: `paid_off_at_closing`, `assumed_by_buyer` or
    /// `partly_assumed_by_buyer` (failed exchange with debt only), from the file's
    /// `liabilities_assumed_by_buyer`, or paid off where the file does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liabilities_relieved_read_as: Option<&'static str>,
}

/// The tax year (labelled by the calendar year in which it ends) containing `d`.
pub fn tax_year(ye: YearEnd, d: Date) -> i16 {
    ye.year_end_containing(d).year()
}

/// Decides the year(s) of recognition. Authority: Treas. Reg. §1.1031(k)-1(j)(2)(i)-(v);
/// IRC §453(b), (d), (f)(6), (i); Treas. Reg. §1.453-12.
///
/// # Errors
/// [`Overflow`] when the amounts are too large to split exactly. Validated exchange files
/// never get there (amounts are at most [`crate::money::MAX_AMOUNT`] and lists at most
/// [`crate::validate::MAX_PROPERTIES`] long); the check keeps a direct caller with larger
/// figures from a panic.
pub fn compute(i: &StraddleInputs, t: &mut Trace) -> Result<Straddle, Overflow> {
    let zero = Amount::ZERO;
    let received_on = treated_as_received(i);
    let y0 = tax_year(i.year_end, i.transferred);
    let y1 = tax_year(i.year_end, received_on);
    let gain = i.gain.max(zero);
    let recapture = i.recapture_income.min(gain).max(zero);
    let later_year = y1 > y0 || !i.installment_note.is_zero();
    let (installment, why) = installment_method(i, later_year);
    let unrec = i.straight_line_depreciation.min(gain - recapture).max(zero);
    let split = if installment {
        installment_split(i, (y0, y1), gain - recapture, recapture, unrec)?
    } else {
        Split {
            years: year_of_transfer((y0, y1), i.reported_on, gain, recapture, unrec),
            on_note: zero,
            form_6252: None,
        }
    };
    crate::step!(
        t,
        "recognition_years",
        format!("Year of recognition: {why}"),
        split
            .years
            .iter()
            .map(|y| format!("{}: {}", y.tax_year, m(y.gain)))
            .collect::<Vec<_>>()
            .join("; "),
        if i.taxpayer_received_funds {
            RECEIVED_AT_CLOSING
        } else {
            RECOGNITION
        },
        inputs!["transferred" => i.transferred, "funds received" => received_on, "gain" => m(gain), "recapture income" => m(recapture), "bona fide intent (input)" => i.bona_fide_intent, "QI or qualified escrow" => i.qi_or_qualified_escrow],
    );
    Ok(Straddle {
        year_of_transfer: y0,
        received_on,
        installment_method: installment,
        why,
        years: split.years,
        gain_reported_as_note_payments_received: split.on_note,
        form_6252: split.form_6252,
    })
}

/// The date the funds are treated as received: their release, or the end of the exchange
/// period when that comes first, where the (j)(2) rule stops ((j)(2)(iii)(B)). With no
/// qualified holder the caller gives the transfer as the release ([`StraddleInputs`]).
fn treated_as_received(i: &StraddleInputs) -> Date {
    received_on(i.funds_released, i.exchange_end)
}

/// The date exchange funds released on `funds_released` count as received for the year of
/// recognition: the release, or the end of the exchange period when that comes first, since
/// Treas. Reg. §1.1031(k)-1(j)(2)(iii)(B) stops the (j)(2) rule there while the intermediary
/// still holds them. The analysis and the planner both take the date from here.
pub fn received_on(funds_released: Date, exchange_end: Option<Date>) -> Date {
    match exchange_end {
        Some(end) if end < funds_released => end,
        _ => funds_released,
    }
}

/// Whether the installment method applies, and why (Treas. Reg. §1.1031(k)-1(j)(2)(i)-(v);
/// IRC §453(d)): only when payment falls in a later year, a QI or qualified escrow held the
/// funds, the taxpayer had a bona fide intent, the property is not disqualified property and
/// the taxpayer did not elect out.
fn installment_method(i: &StraddleInputs, later_year: bool) -> (bool, &'static str) {
    if i.taxpayer_received_funds {
        (
            false,
            "the taxpayer had the money of the sale at the closing (it took it, or the intermediary holding it is a disqualified person and holds it as the taxpayer's agent: Treas. Reg. §1.1031(k)-1(f), (k)): no qualified intermediary or qualified escrow held it, so Treas. Reg. §1.1031(k)-1(j)(2) does not apply, and with the price received in the year of the sale there is no installment sale (IRC §453(b)(1)): the gain is reported in the year of the transfer",
        )
    } else if !i.qi_or_qualified_escrow {
        (
            false,
            "no qualified intermediary or qualified escrow/trust held the funds: (j)(2) does not apply and the gain is reported in the year of the transfer",
        )
    } else if !later_year {
        (
            false,
            "the funds are received in the tax year of the transfer: the gain is reported in that year",
        )
    } else if !i.bona_fide_intent_given {
        (
            false,
            "bona fide intent to exchange at the start of the exchange period is not given (exchange.bona_fide_intent), and the engine cannot judge it: it assumes none, so (j)(2) is not applied and the gain is shown in the year of the transfer until you set it",
        )
    } else if !i.bona_fide_intent {
        (
            false,
            "no bona fide intent to exchange at the start of the exchange period (your input): (j)(2) does not apply and the gain is reported in the year of the transfer",
        )
    } else if i.disqualified_property {
        (
            false,
            "the property is disqualified property (dealer property or not held for business or investment), (j)(2)(v): the gain is reported in the year of the transfer",
        )
    } else if i.elect_out_of_installment {
        (
            false,
            "you elected out of the installment method (§453(d)): the gain is reported in the year of the transfer",
        )
    } else {
        (
            true,
            "a QI or qualified escrow held the funds and you had a bona fide intent (your input): you are treated as paid only when the funds are received, so the gain is reported under §453 then; recapture income stays in the year of the transfer (§453(i))",
        )
    }
}

/// The gain spread over the years, what is left for the note's payments, and Form 6252.
struct Split {
    years: Vec<YearAmount>,
    on_note: Amount,
    form_6252: Option<Form6252>,
}

/// Without the installment method the whole gain is reported in the year of the transfer;
/// a later year of receipt shows nothing.
fn year_of_transfer(
    (y0, y1): (i16, i16),
    reported_on: &'static str,
    gain: Amount,
    recapture: Amount,
    unrec: Amount,
) -> Vec<YearAmount> {
    let zero = Amount::ZERO;
    let mut years = vec![YearAmount {
        tax_year: y0,
        gain,
        recapture_income: recapture,
        unrecaptured_1250: unrec,
        reported_on: in_the_year_of_the_transfer(reported_on),
    }];
    if y1 != y0 {
        years.push(YearAmount {
            tax_year: y1,
            gain: zero,
            recapture_income: zero,
            unrecaptured_1250: zero,
            reported_on: "nothing: the gain belongs to the year of the transfer".into(),
        });
    }
    years
}

/// Where the gain goes, "in the year of the transfer": the two places the engine names are
/// written out whole, so that a book's million analyses do not each build the same words.
fn in_the_year_of_the_transfer(reported_on: &'static str) -> crate::explain::Text {
    match reported_on {
        FORM_4797_OR_SCHEDULE_D => "Form 4797 / Schedule D in the year of the transfer".into(),
        DEALER_ORDINARY_INCOME => "Schedule C or the business's return, as ordinary income (dealer property, IRC §1221(a)(1)) in the year of the transfer".into(),
        other => format!("{other} in the year of the transfer").into(),
    }
}

/// Under the installment method: recapture income in the year of the transfer (IRC §453(i));
/// the `rest` of the gain split between the cash, reported when received, and the note,
/// reported as it is paid, in proportion to the contract price (like-kind property is not
/// payment, IRC §453(f)(6)); unrecaptured §1250 gain taken first from the gain as payments
/// come in (Treas. Reg. §1.453-12). A failed exchange's sale ([`SaleFigures`]) gives the
/// contract price of the Form 6252 lines instead, and what the closing paid out is a payment
/// of the year of sale ([`sale_form_6252`]).
fn installment_split(
    i: &StraddleInputs,
    (y0, y1): (i16, i16),
    rest: Amount,
    recapture: Amount,
    unrec: Amount,
) -> Result<Split, Overflow> {
    let overflow = || Overflow { what: SPLIT };
    let zero = Amount::ZERO;
    let (form, at_sale, note_gain) = match &i.sale {
        Some(sale) => {
            let f = sale_form_6252(sale, rest, recapture, i.installment_note)?;
            let at_sale = share(
                rest,
                f.payments_year_of_sale.unwrap_or(zero),
                f.contract_price,
            )?;
            let on_note = share(rest, i.installment_note, f.contract_price)?;
            (f, at_sale, on_note)
        }
        None => {
            let contract = i
                .cash
                .checked_add(i.installment_note)
                .ok_or_else(overflow)?;
            let cash_gain = if contract.is_zero() {
                rest
            } else {
                share(rest, i.cash, contract)?
            };
            let f = Form6252 {
                contract_price: contract,
                gross_profit: rest,
                gross_profit_percentage: percentage(rest, contract)?,
                recapture_income_year_of_sale: recapture,
                selling_price: None,
                debt_assumed_by_buyer: None,
                debt_over_basis: None,
                payments_year_of_sale: None,
                liabilities_relieved_read_as: None,
            };
            let note_gain = rest.checked_sub(cash_gain).ok_or_else(overflow)?;
            (f, zero, note_gain)
        }
    };
    let later = (rest - at_sale - note_gain).max(zero);
    let unrec_at_sale = unrec.min(at_sale);
    let unrec_later = (unrec - unrec_at_sale).min(later);
    let mut first = YearAmount {
        tax_year: y0,
        gain: recapture + at_sale,
        recapture_income: recapture,
        unrecaptured_1250: unrec_at_sale,
        reported_on: if i.form_8824_filed {
            "Form 4797 Part III (recapture) to Form 6252 line 12; Form 8824 and Form 6252 filed for this year"
        } else {
            "Form 4797 Part III (recapture) to Form 6252 line 12; Form 6252 filed for this year (no Form 8824: no like-kind property was received)"
        }
        .into(),
    };
    let mut years = Vec::new();
    if y1 == y0 && i.sale.is_some() {
        first.gain += later;
        first.unrecaptured_1250 += unrec_later;
        years.push(first);
    } else {
        years.push(first);
        if y1 != y0 || !later.is_zero() {
            years.push(YearAmount {
                tax_year: y1,
                gain: later,
                recapture_income: zero,
                unrecaptured_1250: unrec_later,
                reported_on: "Form 6252 (installment sale income) to Form 4797 / Schedule D".into(),
            });
        }
    }
    Ok(Split {
        years,
        on_note: note_gain,
        form_6252: Some(form),
    })
}

/// `rest` × `part` / `whole`, to the cent (zero when `whole` is zero).
fn share(rest: Amount, part: Amount, whole: Amount) -> Result<Amount, Overflow> {
    if whole.is_zero() {
        return Ok(Amount::ZERO);
    }
    mul_div(rest, part, whole)
        .map(crate::money::round_cents)
        .ok_or(Overflow { what: SPLIT })
}

/// Gross profit percentage to four decimals, as Form 6252 line 19 asks (zero for a zero
/// contract price).
fn percentage(gross_profit: Amount, contract: Amount) -> Result<Amount, Overflow> {
    if contract.is_zero() {
        return Ok(Amount::ZERO);
    }
    gross_profit
        .checked_div(contract)
        .map(|p| p.round_dp(4))
        .ok_or(Overflow { what: SPLIT })
}

/// The Form 6252 figures of a failed exchange's sale. Authority: Instructions for Form 6252,
/// lines 5-7 (selling price, less the debt the buyer assumed or took the property subject to),
/// 13-18 (gross profit; contract price = line 7 plus that debt in excess of basis, expenses
/// and recapture) and 21 (amounts withheld to pay off a mortgage or other debt, or to pay
/// broker and legal fees, are payments); Temp. Treas. Reg. §15a.453-1(b)(2)(ii)-(iii),
/// (b)(3)(i). The contract price can never exceed the selling price. The price paid out at
/// the closing, not to the intermediary, is the year of sale's payment: Treas. Reg.
/// §1.1031(k)-1(j)(2) defers only what a QI or qualified escrow holds.
///
/// # Errors
/// [`Overflow`] when the amounts are too large.
pub fn sale_form_6252(
    sale: &SaleFigures,
    gross_profit: Amount,
    recapture: Amount,
    note: Amount,
) -> Result<Form6252, Overflow> {
    let overflow = || Overflow { what: SPLIT };
    let zero = Amount::ZERO;
    let line_5 = sale.selling_price;
    let line_6 = sale
        .debt_assumed_by_buyer
        .min(sale.liabilities_relieved)
        .min(line_5)
        .max(zero);
    // Line 13 (basis, expenses, recapture) is the selling price less the gross profit.
    let line_13 = line_5.checked_sub(gross_profit).ok_or_else(overflow)?;
    let line_17 = (line_6 - line_13).max(zero);
    let contract = (line_5 - line_6 + line_17).max(zero);
    let at_closing = (contract - sale.to_intermediary - note).max(zero);
    Ok(Form6252 {
        contract_price: contract,
        gross_profit,
        gross_profit_percentage: percentage(gross_profit, contract)?,
        recapture_income_year_of_sale: recapture,
        selling_price: Some(line_5),
        debt_assumed_by_buyer: Some(line_6),
        debt_over_basis: Some(line_17),
        payments_year_of_sale: Some(at_closing),
        // Only a sale with debt has a reading to state.
        liabilities_relieved_read_as: (sale.liabilities_relieved > zero).then_some(
            if line_6 <= zero {
                "paid_off_at_closing"
            } else if line_6 < sale.liabilities_relieved {
                "partly_assumed_by_buyer"
            } else {
                "assumed_by_buyer"
            },
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;
    use jiff::civil::date;

    #[test]
    fn the_year_of_the_transfer_in_words() {
        for place in [FORM_4797_OR_SCHEDULE_D, DEALER_ORDINARY_INCOME, "Form 6252"] {
            assert_eq!(
                in_the_year_of_the_transfer(place),
                format!("{place} in the year of the transfer")
            );
        }
    }

    fn base() -> StraddleInputs {
        StraddleInputs {
            transferred: date(2026, 10, 30),
            funds_released: date(2027, 4, 28),
            exchange_end: Some(date(2027, 4, 28)),
            year_end: YearEnd::CALENDAR,
            qi_or_qualified_escrow: true,
            taxpayer_received_funds: false,
            reported_on: crate::after::straddle::FORM_4797_OR_SCHEDULE_D,
            bona_fide_intent: true,
            disqualified_property: false,
            elect_out_of_installment: false,
            gain: amt!(200000),
            recapture_income: amt!(20000),
            straight_line_depreciation: amt!(60000),
            cash: amt!(500000),
            installment_note: amt!(0),
            form_8824_filed: true,
            bona_fide_intent_given: true,
            sale: None,
        }
    }

    #[test]
    fn a_failed_exchange_files_no_form_8824() {
        let filed = compute(&base(), &mut Trace::default()).expect("small amounts");
        assert!(
            filed.years[0]
                .reported_on
                .contains("Form 8824 and Form 6252 filed")
        );
        let failed = StraddleInputs {
            form_8824_filed: false,
            ..base()
        };
        let s = compute(&failed, &mut Trace::default()).expect("small amounts");
        assert!(s.installment_method);
        assert!(!s.years[0].reported_on.contains("Form 8824 and"));
        assert!(
            s.years[0]
                .reported_on
                .contains("Form 6252 filed for this year (no Form 8824")
        );
    }

    #[test]
    fn recapture_stays_in_year_of_sale() {
        let s = compute(&base(), &mut Trace::default()).expect("small amounts");
        assert!(s.installment_method);
        assert_eq!(s.years[0].gain, amt!(20000));
        assert_eq!(s.years[1].gain, amt!(180000));
    }

    #[test]
    fn no_intent_means_year_of_transfer() {
        let mut i = base();
        i.bona_fide_intent = false;
        let s = compute(&i, &mut Trace::default()).expect("small amounts");
        assert!(!s.installment_method);
        assert_eq!(s.years[0].gain, amt!(200000));
    }

    /// 29 properties at $10 trillion each once made `rest * cash` overflow (a panic, exit
    /// 101). The split now divides first when the product is too large, and reports an
    /// error instead of panicking when even that cannot be represented.
    #[test]
    fn huge_amounts_split_without_overflow() {
        let mut i = base();
        let big = amt!(10000000000000) * amt!(29);
        i.gain = big;
        i.recapture_income = amt!(0);
        i.straight_line_depreciation = amt!(0);
        i.cash = big;
        i.installment_note = amt!(1000);
        let s = compute(&i, &mut Trace::default()).expect("divides first");
        let total: Amount = s.years.iter().map(|y| y.gain).sum::<Amount>()
            + s.gain_reported_as_note_payments_received;
        assert_eq!(total, big);
        i.cash = Amount::MAX;
        i.installment_note = Amount::MAX;
        assert!(compute(&i, &mut Trace::default()).is_err());
    }

    /// A failed exchange's Form 6252 is its sale's (Instructions for Form 6252, lines 5-7,
    /// 17-18, 21): sold for $1,000,000 with $300,000 of debt and $50,000 of expenses, the QI
    /// receiving $650,000. Paid off at the closing, the debt is no line 6 item and the payoff
    /// and expenses are 2025 payments; assumed by the buyer, line 6 takes it off the contract
    /// price. Either way the contract price is at most the selling price.
    #[test]
    fn failed_sale_form_6252_reads_the_debt_both_ways() {
        let sale = SaleFigures {
            selling_price: amt!(1000000),
            liabilities_relieved: amt!(300000),
            debt_assumed_by_buyer: amt!(0),
            to_intermediary: amt!(650000),
        };
        let i = StraddleInputs {
            transferred: date(2025, 11, 1),
            funds_released: date(2026, 4, 16),
            exchange_end: Some(date(2026, 4, 15)),
            gain: amt!(550000),
            recapture_income: amt!(0),
            straight_line_depreciation: amt!(150000),
            cash: amt!(1200000),
            form_8824_filed: false,
            sale: Some(sale.clone()),
            ..base()
        };
        let s = compute(&i, &mut Trace::default()).expect("small amounts");
        let f = s.form_6252.expect("installment");
        assert_eq!(f.contract_price, amt!(1000000));
        assert_eq!(f.gross_profit_percentage, amt!(0.55));
        assert_eq!(f.payments_year_of_sale, Some(amt!(350000)));
        assert_eq!(f.debt_assumed_by_buyer, Some(amt!(0)));
        assert_eq!((s.years[0].tax_year, s.years[0].gain), (2025, amt!(192500)));
        assert_eq!(s.years[0].unrecaptured_1250, amt!(150000));
        assert_eq!((s.years[1].tax_year, s.years[1].gain), (2026, amt!(357500)));
        assert_eq!(s.years[1].unrecaptured_1250, amt!(0));
        let assumed = SaleFigures {
            debt_assumed_by_buyer: amt!(300000),
            ..sale.clone()
        };
        let a = sale_form_6252(&assumed, amt!(550000), amt!(0), amt!(0)).expect("small");
        assert_eq!(a.debt_assumed_by_buyer, Some(amt!(300000)));
        assert_eq!(a.contract_price, amt!(700000));
        assert_eq!(a.gross_profit_percentage, amt!(0.7857));
        assert_eq!(a.payments_year_of_sale, Some(amt!(50000)));
        // Debt above basis, expenses and recapture: the excess is added back (line 17).
        assert_eq!(a.liabilities_relieved_read_as, Some("assumed_by_buyer"));
        // Part assumed, part paid off at the closing: only the assumed part is line 6, the
        // payoff of the rest is a payment of the year of sale.
        let part = SaleFigures {
            debt_assumed_by_buyer: amt!(100000),
            ..sale.clone()
        };
        let p = sale_form_6252(&part, amt!(550000), amt!(0), amt!(0)).expect("small");
        assert_eq!(p.debt_assumed_by_buyer, Some(amt!(100000)));
        assert_eq!(p.contract_price, amt!(900000));
        assert_eq!(p.payments_year_of_sale, Some(amt!(250000)));
        assert_eq!(
            p.liabilities_relieved_read_as,
            Some("partly_assumed_by_buyer")
        );
        let deep = SaleFigures {
            liabilities_relieved: amt!(600000),
            debt_assumed_by_buyer: amt!(600000),
            to_intermediary: amt!(350000),
            ..assumed
        };
        let d = sale_form_6252(&deep, amt!(550000), amt!(0), amt!(0)).expect("small");
        assert_eq!(d.debt_over_basis, Some(amt!(150000)));
        assert_eq!(d.contract_price, amt!(550000));
        assert!(d.contract_price <= amt!(1000000));
    }

    /// Without the input the year of recognition says the engine does not know, not "your
    /// input" (Treas. Reg. §1.1031(k)-1(j)(2)(iv)).
    #[test]
    fn intent_not_given_is_not_called_your_input() {
        let i = StraddleInputs {
            bona_fide_intent: false,
            bona_fide_intent_given: false,
            ..base()
        };
        let s = compute(&i, &mut Trace::default()).expect("small amounts");
        assert!(!s.installment_method);
        assert!(!s.why.contains("your input"), "{}", s.why);
        assert!(s.why.contains("not given"), "{}", s.why);
    }

    #[test]
    fn fiscal_year_same_tax_year() {
        let mut i = base();
        i.year_end = YearEnd { month: 6, day: 30 };
        let s = compute(&i, &mut Trace::default()).expect("small amounts");
        assert_eq!(s.year_of_transfer, 2027);
        assert!(!s.installment_method);
    }
}
