//! The return figures of a QOF investment: the Form 8949 deferral row (code Z) in the year
//! of the gain, and the Form 8997 figures (investments, inclusions, holdings).
//!
//! Form 8949 (Instructions for Form 8949, QOF deferral): the QOF's EIN in column (a), the
//! investment date in (b), (c)-(e) blank, code "Z" in (f), the deferred gain as a negative
//! number in (g); a §1231 gain adds a row "QOF INVESTMENT FROM FORM 4797" with the gain in
//! (h). Form 8997: Parts I-IV (holdings at the start of the year, deferrals this year,
//! dispositions, holdings at year end).

use super::regime::Inclusion;
use crate::amount::Amount;
use crate::law::cite;
use crate::money::serialize_money;
use crate::timing::calendar::YearEnd;
use jiff::civil::Date;
use serde::Serialize;

/// Authority for the reporting figures.
pub const FORMS_AUTHORITY: &str =
    cite!(FORM_8949 " (QOF deferral: columns (a)-(h), code Z)"; FORM_8997 ", Parts I-IV");

/// The description of the extra Form 8949 row for a §1231 gain deferred in a QOF.
pub const SECTION_1231_ROW: &str = "QOF INVESTMENT FROM FORM 4797";

/// The Form 8949 row that elects the deferral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Form8949Deferral {
    /// Tax year the gain is recognized in (the return that makes the election): the year of
    /// receipt for gain reported under the installment method. Named as the forms name it,
    /// by the year the tax year begins (a fiscal year from 2026-07-01 to 2027-06-30 files the
    /// 2026 forms).
    pub tax_year: i16,
    /// Adjustment code in column (f).
    pub code: &'static str,
    /// Column (g): the deferred gain as a negative adjustment.
    #[serde(serialize_with = "serialize_money")]
    pub column_g_adjustment: Amount,
    /// Part II (long-term) for gain on property held more than a year.
    pub long_term: bool,
    pub date_invested: Date,
    /// Column (a): what to enter (the QOF's EIN).
    pub column_a: &'static str,
    /// Column (b): the date of the QOF investment.
    pub column_b: Date,
    /// Columns (c) to (e) are left blank.
    pub columns_c_to_e_blank: bool,
    /// When the gain is §1231 gain (reported on Form 4797): the extra row's description, with
    /// the gain in column (h).
    pub section_1231_row: &'static str,
    #[serde(serialize_with = "serialize_money")]
    pub section_1231_row_column_h: Amount,
}

/// The Form 8997 figures of the investment, by tax year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Form8997Figures {
    /// Year of the investment: current-year QOF investment and gain deferred (Part II).
    pub investment_year: i16,
    #[serde(serialize_with = "serialize_money")]
    pub deferred_gain_invested: Amount,
    /// Year of the inclusion: gain included on disposition or the inclusion date (Part III).
    pub inclusion_year: i16,
    #[serde(serialize_with = "serialize_money")]
    pub gain_included: Amount,
    /// Deferred gain still held at the end of the investment year (Part IV / end of year).
    #[serde(serialize_with = "serialize_money")]
    pub deferred_gain_held_end_of_investment_year: Amount,
    /// Form 8997 is filed every year the investment is held.
    pub file_every_year_held: bool,
}

/// Both forms for one investment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OzForms {
    pub form_8949: Form8949Deferral,
    pub form_8997: Form8997Figures,
    pub authority: &'static str,
}

/// The reporting figures of one QOF investment of `deferred` gain recognized in the tax year
/// `gain_tax_year` (the year of its forms: the year the tax year begins). Form 8949 instructions: the deferral is a
/// separate row with code Z and the deferred amount as a negative adjustment in column (g), on
/// the return for the year the gain would be recognized (a gain reported under the
/// installment method in a later year is deferred on that later year's return); Form 8997:
/// the annual statement of QOF investments and deferred gains.
pub fn figures(
    gain_tax_year: i16,
    long_term: bool,
    investment_date: Date,
    deferred: Amount,
    inc: &Inclusion,
) -> OzForms {
    let held_end_of_year = if inc.inclusion_date.year() == investment_date.year() {
        Amount::ZERO
    } else {
        deferred
    };
    OzForms {
        form_8949: Form8949Deferral {
            tax_year: gain_tax_year,
            code: "Z",
            column_g_adjustment: -deferred,
            long_term,
            date_invested: investment_date,
            column_a: "EIN of the QOF",
            column_b: investment_date,
            columns_c_to_e_blank: true,
            section_1231_row: SECTION_1231_ROW,
            section_1231_row_column_h: deferred,
        },
        form_8997: Form8997Figures {
            investment_year: investment_date.year(),
            deferred_gain_invested: deferred,
            inclusion_year: inc.inclusion_date.year(),
            gain_included: inc.amount_included,
            deferred_gain_held_end_of_investment_year: held_end_of_year,
            file_every_year_held: true,
        },
        authority: FORMS_AUTHORITY,
    }
}

/// The year printed on the forms of the tax year that ends in calendar year `end_year`: IRS
/// returns and the Form 8949 attached to them are labelled by the year the tax year begins
/// (the individual return's heading: "For the year Jan. 1–Dec. 31, 2025, or other tax year
/// beginning , 2025"; the partnership and corporate returns the same), so a fiscal year
/// from 2026-07-01 to 2027-06-30 files the 2026 forms. A calendar year begins in the year it
/// ends.
pub fn form_year(ye: YearEnd, end_year: i16) -> i16 {
    if ye == YearEnd::CALENDAR {
        end_year
    } else {
        end_year.saturating_sub(1)
    }
}
