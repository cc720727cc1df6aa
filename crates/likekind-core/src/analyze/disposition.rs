//! A related-party disposition within two years, in the year-by-year figures.
//!
//! IRC §1031(f)(1): when either related party disposes of the property within two years of
//! the last transfer, the exchange is not one under §1031(a), and "any gain or loss
//! recognized by reason of this paragraph shall be taken into account as of the date on which
//! the disposition of such property occurs". The Instructions for Form 8824, Part II, report
//! the deferred gain of line 24 on the return of that year "as if the exchange had been a
//! sale". So the recognition years list that gain in the tax year of the disposition, with
//! its character as a sale would have had it: the depreciation the exchange carried into the
//! replacement (§1245 and additional §1250 depreciation, then straight-line depreciation of
//! real property) is recapture income and unrecaptured §1250 gain first (IRC §§1245(a),
//! 1250(a), 1(h)(6)); and the character section no longer shows that depreciation as
//! carried. The exchange year's figures stay as filed.
//!
//! Uncertain, and said so in the words: whether the basis of the property received rises by
//! the gain taken into account. §1031(f) gives no basis rule and no regulation or ruling
//! found addresses it; §1031(d) fixes the basis at the exchange. The engine keeps the
//! exchange's basis and says the question is open.

use crate::after::straddle::{Straddle, YearAmount, tax_year};
use crate::amount::Amount;
use crate::analyze::schedules::Special;
use crate::gain::character::Route;
use crate::gain::form8824::part_ii::PartII;
use crate::model::ExchangeFile;
use crate::money::format_usd;
use crate::timing::calendar::YearEnd;

/// Why a year is listed when only the disposition puts gain in it.
const WHY: &str = "nothing was recognized in the year of the exchange; a disposition within the two years after it takes the deferred gain into account in the tax year of the disposition, as if the exchange had been a sale (IRC §1031(f)(1); Instructions for Form 8824, Part II)";

/// Takes the gain of a §1031(f)(1) disposition into account in the recognition years and
/// the character section (see the module's words). Nothing when Part II has no disposition
/// that takes gain into account.
pub(crate) fn take_into_account(f: &ExchangeFile, s: &mut Special, part_ii: Option<&PartII>) {
    let Some(d) = part_ii.and_then(|p| p.disposition.as_ref()) else {
        return;
    };
    let (Some(on), gain) = (d.recognized_on, d.recognized) else {
        return;
    };
    if gain.is_zero() {
        return;
    }
    let zero = Amount::ZERO;
    let ye = YearEnd::parse(&f.taxpayer.tax_year_end).unwrap_or(YearEnd::CALENDAR);
    let ch = &mut s.character;
    let positive = gain.max(zero);
    let recapture_1245 = ch.section1245_carried_to_replacement.min(positive);
    let recapture_1250 = ch
        .additional_depreciation_carried_to_replacement
        .min(positive - recapture_1245);
    let recapture = recapture_1245 + recapture_1250;
    let unrec = ch
        .unrecaptured_1250_carried_to_replacement
        .min(positive - recapture);
    ch.section1245_carried_to_replacement -= recapture_1245;
    ch.additional_depreciation_carried_to_replacement -= recapture_1250;
    ch.unrecaptured_1250_carried_to_replacement -= unrec;
    let year = tax_year(ye, on);
    let words = format!(
        "the gain deferred in the exchange, taken into account on {on} because of a disposition within the two years after it, reported on the return for this year as if the exchange had been a sale (IRC §1031(f)(1); Instructions for Form 8824, Part II): Form 4797 or Schedule D, {} of it recapture income and {} unrecaptured §1250 gain (Schedule D, Unrecaptured Section 1250 Gain Worksheet). Whether the basis of the property received rises by this gain is not settled (no basis rule in §1031(f), and none found in the regulations or rulings) [U]; the basis shown is the exchange's",
        format_usd(recapture),
        format_usd(unrec)
    );
    if !unrec.is_zero() {
        ch.routing.push(Route {
            what: format!(
                "Unrecaptured §1250 gain in the deferred gain taken into account on {on} (a disposition within two years of a related-party exchange)"
            )
            .into(),
            amount: unrec,
            reported_on: format!(
                "Schedule D, Unrecaptured Section 1250 Gain Worksheet, for the tax year ending in {year}"
            )
            .into(),
            authority: "IRC §§1031(f)(1), 1(h)(6); Instructions for Form 8824, Part II".into(),
        });
    }
    let first = f.first_transfer().unwrap_or(on);
    let straddle = s.recognition_years.get_or_insert_with(|| Straddle {
        year_of_transfer: tax_year(ye, first),
        received_on: first,
        installment_method: false,
        why: WHY,
        years: Vec::new(),
        gain_reported_as_note_payments_received: zero,
        form_6252: None,
    });
    match straddle.years.iter_mut().find(|y| y.tax_year == year) {
        Some(y) => {
            y.gain += gain;
            y.recapture_income += recapture;
            y.unrecaptured_1250 += unrec;
            y.reported_on = format!("{}; and {words}", y.reported_on).into();
        }
        None => straddle.years.push(YearAmount {
            tax_year: year,
            gain,
            recapture_income: recapture,
            unrecaptured_1250: unrec,
            reported_on: words.into(),
        }),
    }
    straddle.years.sort_by_key(|y| y.tax_year);
}
