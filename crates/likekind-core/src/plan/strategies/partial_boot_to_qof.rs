//! Partial §1031 with the boot's gain invested in a QOF.

use crate::amount::Amount;
use crate::explain::Trace;
use crate::money::format_usd;
use crate::oz::window::Window;
use crate::plan::context::Ctx;
use crate::plan::qof::{RELATED_BUYER_WORDS, choose, invest, over_gain_words, qof_notes, qof_plan};
use crate::plan::tax::{GainParts, Holdings, project};
use crate::plan::types::{ExchangeStatus, Strategy};
use crate::report::Report;

/// The boot's cash, in the words of the notes.
const CASH_WORDS: &str = "the boot's cash";

/// Why the path does not apply, by the status: boot gain is the gain a completed exchange
/// recognizes for the money or other property received with the like-kind property (IRC
/// §1031(b)); a failed exchange has none because it recognizes all its gain as a taxable
/// sale, not because it recognizes none (QA12 D9: "recognizes no boot gain" read as "no
/// gain").
fn not_partial_words(status: ExchangeStatus) -> &'static str {
    match status {
        ExchangeStatus::Failed => {
            "Does not apply: the exchange as entered has failed, so all of its gain is recognized as a taxable sale, not as the boot of an exchange (IRC §1031(b) applies only to an exchange). Investing that gain is the path \"Failed 1031, gain into a QOF\"."
        }
        ExchangeStatus::Complete => {
            "Does not apply: the exchange as entered is complete and takes no boot, so it recognizes no gain (IRC §1031(a)-(b)). It applies when cash or debt-relief boot is taken in a completed exchange."
        }
        ExchangeStatus::InProgress | ExchangeStatus::Partial => {
            "Does not apply yet: no replacement property has been received, so there is no boot and no boot gain (IRC §1031(b)). It applies when cash or debt-relief boot is taken in a completed exchange."
        }
    }
}

pub(crate) fn partial_boot_to_qof(
    c: &Ctx,
    report: &Report,
    entered: &GainParts,
    eligible: Amount,
    windows: &[Window],
    t: &mut Trace,
) -> Strategy {
    let mut s = Strategy::not_available(
        "partial_1031_boot_to_qof",
        "Partial 1031, boot's gain into a QOF",
    );
    if c.status != ExchangeStatus::Partial {
        s.eligibility = not_partial_words(c.status).into();
        return s;
    }
    if c.related_buyer {
        s.eligibility = RELATED_BUYER_WORDS.into();
        return s;
    }
    if eligible <= Amount::ZERO {
        s.eligibility = "The boot's recognized gain is all ordinary depreciation recapture, which a QOF cannot defer (Reg. §1.1400Z2(a)-1(b)(11)(iii)(A)).".into();
        return s;
    }
    let g = &report.gain;
    let cash = report.money.cash_in_hand();
    let base = Holdings {
        like_kind: c.equity - cash,
        like_kind_deferred: GainParts::split(
            g.deferred,
            Amount::ZERO,
            g.unrecaptured_1250_deferred,
        ),
        ..Holdings::default()
    };
    let Some(ch) = choose(windows, c, true) else {
        s.eligibility = format!(
            "Every 180-day window for the boot's gain has closed (last: {}).",
            windows
                .iter()
                .map(|w| w.end)
                .max()
                .map_or("-".into(), |d| d.to_string())
        );
        return s;
    };
    let wanted = c.a.qof_amount.map_or(eligible, |x| x.min(eligible));
    let v = invest(c, cash, entered, wanted, (ch.date, c.entered_gain_year), t);
    if v.amount <= Amount::ZERO {
        s.eligibility = v.nothing_words();
        return s;
    }
    let o = &v.outcome;
    let h = Holdings {
        qof: v.amount,
        qof_basis_at_horizon: o.holding_basis,
        qof_excluded: o.excluded,
        qof_cap_years: o.cap_years,
        taxable: v.outside,
        later_taxes: v.later_taxes.clone(),
        ..base
    };
    let p = project(&h, c.a);
    s.eligible = true;
    s.relies_on_no_direct_authority = !ch.direct;
    s.eligibility = format!(
        "{} of the boot's {} recognized gain is eligible (ordinary recapture of {} is not); {}.{}",
        format_usd(eligible),
        format_usd(g.recognized),
        format_usd(g.ordinary_recapture),
        ch.advice,
        v.own_money_eligibility(CASH_WORDS)
    );
    fill_figures(&mut s, &v, g, &p);
    s.notes = qof_notes(&o.inc, c, ch.direct);
    s.notes.extend(v.notes(CASH_WORDS));
    s.notes.extend(over_gain_words(c.a.qof_amount, eligible));
    s.notes.insert(0, section_1031_words(g.deferred));
    s.qof = Some(qof_plan(
        c,
        ch,
        (v.amount, v.outside_cash),
        v.outcome.inc,
        c.entered_gain_year,
    ));
    s
}

/// What §1031 keeps of the gain, in words: the part it defers stays out of the fund (no
/// dollar is deferred twice), or, when the boot takes the whole gain, nothing.
fn section_1031_words(deferred: Amount) -> String {
    if deferred > Amount::ZERO {
        format!(
            "The §1031 part ({}) stays deferred indefinitely; only the boot's gain goes to the QOF, so no dollar is deferred twice.",
            format_usd(deferred)
        )
    } else {
        "The boot takes the whole gain: §1031 defers none of it, so all of it is recognized and its eligible part can go to the QOF.".to_string()
    }
}

/// The figures of the boot's investment. Included on the same return as the boot's gain
/// (the original rules' 2026-12-31 inclusion, IRC §1400Z-2(b)(1) as enacted), only the §1031
/// part is deferred and the included gain is taxed now; included later, the amount invested
/// is deferred until its inclusion date.
fn fill_figures(
    s: &mut Strategy,
    v: &crate::plan::qof::Invested,
    g: &crate::report::Gain,
    p: &crate::plan::tax::Projection,
) {
    let inc = &v.outcome.inc;
    s.tax_now = v.tax_now;
    s.recognition_date = Some(inc.inclusion_date);
    s.basis_step_up = inc.basis_step_up;
    if v.same_year {
        s.gain_recognized_now = g.recognized - v.amount + inc.amount_included;
        s.deferred = g.deferred;
        s.deferral = if g.deferred > Amount::ZERO {
            "indefinite"
        } else {
            "none"
        };
    } else {
        s.gain_recognized_now = g.recognized - v.amount;
        s.deferred = g.deferred + v.amount;
        s.deferral = "temporary";
        s.tax_when_deferral_ends = v.outcome.tax_at_inclusion;
    }
    s.tax_later = p.later_taxes_face + p.tax_at_horizon;
    s.after_tax_value = Some(p.after_tax_value);
}
