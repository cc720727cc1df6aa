//! A related-party disposition within two years ends the §1031 deferral on its date.
//!
//! "If ... before the date 2 years after the date of the last transfer which was part of such
//! exchange ... the related person disposes of such property, or ... the taxpayer disposes of
//! the property received in the exchange ..., there shall not be treated as an exchange ...
//! any gain or loss recognized by reason of this paragraph shall be taken into account as of
//! the date on which the disposition of such property occurs" (IRC §1031(f)(1)). The
//! Instructions for Form 8824, Part II, report the deferred gain of line 24 on that year's
//! return "as if the exchange had been a sale". So the plan's as-entered paths do not defer
//! that gain indefinitely, nor does death erase it (IRC §1014 steps up only property still
//! held with its deferral): it is taxed for the tax year of the disposition.

use crate::amount::Amount;
use crate::money::format_usd;
use crate::plan::context::Ctx;
use crate::plan::tax::{GainParts, Holdings, tax_on};
use crate::plan::types::Strategy;
use crate::report::Report;
use jiff::civil::Date;

/// The analysis's §1031(f) trigger: the date the deferred gain is taken into account and the
/// amount (Form 8824 Part II), when a disposition within the two years takes it.
pub(crate) fn trigger(report: &Report) -> Option<(Date, Amount)> {
    let d = report.form_8824_part_ii.as_ref()?.disposition.as_ref()?;
    let on = d.recognized_on?;
    (!d.recognized.is_zero()).then_some((on, d.recognized))
}

/// The holdings of an as-entered path once the trigger ends the deferral: the deferred gain
/// leaves the like-kind property and its tax falls due for the tax year of the disposition,
/// counted in whole years from the plan date (0 when it has happened).
pub(crate) fn holdings(c: &Ctx, deferred: &GainParts, on: Date, mut h: Holdings) -> Holdings {
    let years = u32::try_from(crate::oz::regime::whole_years(c.as_of, on)).unwrap_or(0);
    h.like_kind_deferred = GainParts::default();
    h.later_taxes.push((years, tax_on(deferred, &c.rates)));
    h
}

/// The path's words and dates once the trigger ends the deferral: deferred only until the
/// disposition date, its tax then whatever the plan assumes about death.
pub(crate) fn relabel(s: &mut Strategy, c: &Ctx, deferred: &GainParts, on: Date) {
    if deferred.total() <= Amount::ZERO {
        return;
    }
    s.deferral = "temporary";
    s.recognition_date = Some(on);
    s.tax_when_deferral_ends = tax_on(deferred, &c.rates);
    s.notes
        .retain(|n| !n.contains("IRC §1014") && !n.contains("the deferred gain is never taxed"));
    s.notes.insert(
        0,
        format!(
            "The deferral ends on {on}: a disposition within the two years after the exchange takes the {} deferred into account on that date, reported for that tax year as if the exchange had been a sale{} (IRC §1031(f)(1); Instructions for Form 8824, Part II). It is not deferred indefinitely, and death does not erase it.",
            format_usd(deferred.total()),
            if deferred.unrecaptured_1250.is_zero() {
                String::new()
            } else {
                format!(
                    ", {} of it unrecaptured §1250 gain at the 25% maximum rate",
                    format_usd(deferred.unrecaptured_1250)
                )
            }
        ),
    );
}
