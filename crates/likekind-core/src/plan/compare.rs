//! The strategies side by side: each deferred amount labelled, and the recommendation.

use crate::amount::Amount;
use crate::money::format_usd;
use crate::plan::assumptions::Assumptions;
use crate::plan::types::{Recommendation, Strategy};

/// The eligible path with the highest after-tax value, not counting paths that rest on a
/// reading with no direct authority.
/// Splits `deferred` into the §1031 part (indefinite) and the part deferred only until
/// `recognition_date` (the QOF investment, or installment gain), and labels each amount
/// truthfully: only the gain invested in a QOF is deferred until its inclusion date
/// (IRC §1400Z-2(a)(1), (b)(1)); §1031 gain has no end date (IRC §1031(a)); the rest of the
/// gain is recognized now.
pub(crate) fn label_deferrals(s: &mut Strategy) {
    // A QOF investment included in the gain's own tax year (the original rules' 2026-12-31
    // inclusion, IRC §1400Z-2(b)(1) as enacted) defers nothing: its path is not "temporary".
    let temporary = match (&s.qof, s.deferral) {
        (Some(q), "temporary") => q.amount.min(s.deferred),
        (None, "temporary") => s.deferred,
        _ => Amount::ZERO,
    };
    s.deferred_temporarily = temporary;
    s.deferred_indefinitely = s.deferred - temporary;
    let mut parts = Vec::new();
    if s.deferred_indefinitely > Amount::ZERO {
        parts.push(format!(
            "{} deferred indefinitely under §1031",
            format_usd(s.deferred_indefinitely)
        ));
    }
    if temporary > Amount::ZERO {
        let until = s
            .recognition_date
            .map_or_else(String::new, |d| format!(" until {d}"));
        parts.push(if s.qof.is_some() {
            format!(
                "{} invested in the QOF deferred{until}",
                format_usd(temporary)
            )
        } else if matches!(s.name.as_str(), "complete_1031" | "partial_1031_as_entered") {
            // A related party's disposition within two years ends the §1031 deferral.
            format!(
                "{} deferred{until}, when a disposition within two years ends the deferral (IRC §1031(f)(1))",
                format_usd(temporary)
            )
        } else {
            format!(
                "{} deferred{until} (installment method)",
                format_usd(temporary)
            )
        });
    }
    if let Some(q) = s.qof.as_ref().filter(|_| temporary.is_zero()) {
        parts.push(format!(
            "{} invested in the QOF included on {}, in the same tax year as the gain: not deferred",
            format_usd(q.amount),
            q.inclusion.inclusion_date
        ));
    } else if parts.is_empty() {
        parts.push("nothing deferred".to_string());
    }
    if s.gain_recognized_now > Amount::ZERO {
        parts.push(format!("{} taxed now", format_usd(s.gain_recognized_now)));
    }
    s.deferred_label = parts.join("; ");
}

pub(crate) fn recommend(s: &[Strategy], a: &Assumptions) -> Option<Recommendation> {
    let best = s
        .iter()
        .filter(|x| x.eligible && !x.relies_on_no_direct_authority)
        .filter_map(|x| x.after_tax_value.map(|v| (x, v)))
        .max_by_key(|(_, v)| *v)?;
    let (x, v) = best;
    let runner = s
        .iter()
        .filter(|y| y.eligible && y.name != x.name)
        .filter_map(|y| y.after_tax_value.map(|w| (y, w)))
        .max_by_key(|(_, w)| *w);
    let mut reason = format!(
        "{}: the highest after-tax value at the {}-year horizon ({}) of the paths available now",
        x.title,
        a.horizon_years,
        format_usd(v)
    );
    if let Some((y, w)) = runner {
        if v >= w {
            reason.push_str(&format!(", {} more than {}", format_usd(v - w), y.title));
        } else {
            reason.push_str(&format!(
                "; {} would leave {} more but is available only on a reading with no direct authority",
                y.title,
                format_usd(w - v)
            ));
        }
    }
    reason.push_str(&format!(
        "; tax now {}: {}.",
        format_usd(x.tax_now),
        x.deferred_label
    ));
    // A fund paid in part with the investor's own money says so where it is recommended.
    if let Some(q) = x.qof.as_ref().filter(|q| q.outside_cash > Amount::ZERO) {
        reason.push_str(&format!(
            " It takes {} of your own money, beyond the money the file shows, in the fund on {}.",
            format_usd(q.outside_cash),
            q.investment_date
        ));
    }
    Some(Recommendation {
        strategy: x.name.clone(),
        reason,
    })
}
