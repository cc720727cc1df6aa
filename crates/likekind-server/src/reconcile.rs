//! The ledger against the exchange file: before an exchange closes as completed, the file
//! whose figures are the tax figures must account for the money the ledger released to the
//! taxpayer (IRC §1031(b); Instructions for Form 8824, line 15).

use crate::error::{ApiError, ApiResult};
use jiff::civil::Date;
use likekind_core::Report;
use likekind_core::model::ExchangeFile;
use rust_decimal::Decimal;

/// Money the ledger released to the taxpayer that the exchange file does not account for:
/// the file still says the exchange funds paid for property they did not pay for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnaccountedRelease {
    /// What the ledger released to the taxpayer, in cents.
    pub released_cents: i64,
    /// What the file leaves of the exchange funds to return to the taxpayer, in cents.
    pub returned_cents: i64,
    /// What the file counts as paid from the exchange funds toward the purchases.
    pub funds_paid: Decimal,
}

impl UnaccountedRelease {
    /// The disagreement in words: the amounts, what it means for the tax figures, and what
    /// to correct.
    pub fn words(&self) -> String {
        format!(
            "The ledger released {} to the taxpayer, but the exchange file leaves only {} of the exchange funds to return to the taxpayer: it counts {} of them as paid toward the purchases. The tax figures come from the exchange file, and money the taxpayer receives is boot, taxed up to the gain (IRC §1031(b); Instructions for Form 8824, line 15), so they would understate the gain recognized. Correct the exchange file so that it records where the money went (the cash the taxpayer paid at each purchase, or the cash received at the sale), then close the exchange.",
            crate::cents::dollars(self.released_cents),
            crate::cents::dollars(self.returned_cents),
            likekind_core::money::format_usd(self.funds_paid),
        )
    }
}

/// The one comparison of the ledger with the file: when the ledger released to the taxpayer
/// (`released_cents`, [`likekind_store::Store::released_to_taxpayer_cents`]) more than the
/// engine's `report` of the file leaves over after its purchases
/// (`money.returned_to_taxpayer`), what the file does not account for; `None` when it does.
/// The exchange page warns with it before anyone closes; closing as completed refuses on it
/// ([`check_file_accounts_for_releases`]).
///
/// # Errors
/// An amount out of range (500).
pub fn unaccounted_release(
    report: &Report,
    released_cents: i64,
) -> ApiResult<Option<UnaccountedRelease>> {
    if released_cents <= 0 {
        return Ok(None);
    }
    let returned_cents = i64::try_from(likekind_core::money::cents(
        report.money.returned_to_taxpayer,
    ))
    .map_err(|_| ApiError::internal())?;
    if released_cents <= returned_cents {
        return Ok(None);
    }
    Ok(Some(UnaccountedRelease {
        released_cents,
        returned_cents,
        funds_paid: report
            .money
            .purchases
            .iter()
            .map(|p| Decimal::from(p.from_exchange_funds))
            .sum(),
    }))
}

/// Before an exchange closes as completed, the exchange file must account for the money the
/// ledger released to the taxpayer: the tax figures (boot, recognized gain, basis) are the
/// file's, and money the taxpayer receives is boot, taxed up to the realized gain (IRC
/// §1031(b); Instructions for Form 8824, line 15). When the ledger released more than the
/// file leaves over after its purchases (`money.returned_to_taxpayer`), the file still says
/// the exchange funds paid for property they did not pay for, and its figures would
/// understate the gain recognized: 409 in words, saying what to correct
/// ([`unaccounted_release`]).
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
    match unaccounted_release(&report, released_cents)? {
        Some(u) => Err(ApiError::conflict(u.words())),
        None => Ok(()),
    }
}
