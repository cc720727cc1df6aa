//! The ledger against the exchange file: before an exchange closes as completed, the file
//! whose figures are the tax figures must account for the money the ledger released to the
//! taxpayer (IRC §1031(b); Instructions for Form 8824, line 15).

use crate::error::{ApiError, ApiResult};
use jiff::civil::Date;
use likekind_core::model::ExchangeFile;

/// Before an exchange closes as completed, the exchange file must account for the money the
/// ledger released to the taxpayer: the tax figures (boot, recognized gain, basis) are the
/// file's, and money the taxpayer receives is boot, taxed up to the realized gain (IRC
/// §1031(b); Instructions for Form 8824, line 15). When the ledger released more than the
/// file leaves over after its purchases (`money.returned_to_taxpayer`), the file still says
/// the exchange funds paid for property they did not pay for, and its figures would
/// understate the gain recognized: 409 in words, saying what to correct.
///
/// # Errors
/// 409 when the ledger released more than the file returns to the taxpayer.
pub fn check_file_accounts_for_releases(
    file: &ExchangeFile,
    today: Date,
    released_cents: i64,
) -> ApiResult<()> {
    if released_cents <= 0 {
        return Ok(());
    }
    let report = likekind_core::analyze::figures(file, today);
    let returned = i64::try_from(likekind_core::money::cents(
        report.money.returned_to_taxpayer,
    ))
    .map_err(|_| ApiError::internal())?;
    if released_cents <= returned {
        return Ok(());
    }
    let funds_paid: rust_decimal::Decimal = report
        .money
        .purchases
        .iter()
        .map(|p| p.from_exchange_funds)
        .sum();
    Err(ApiError::conflict(format!(
        "The ledger released {} to the taxpayer, but the exchange file leaves only {} of the exchange funds to return to the taxpayer: it counts {} of them as paid toward the purchases. The tax figures come from the exchange file, and money the taxpayer receives is boot, taxed up to the gain (IRC §1031(b); Instructions for Form 8824, line 15), so they would understate the gain recognized. Correct the exchange file so that it records where the money went (the cash the taxpayer paid at each purchase, or the cash received at the sale), then close the exchange.",
        crate::cents::dollars(released_cents),
        crate::cents::dollars(returned),
        likekind_core::money::format_usd(funds_paid),
    )))
}
