//! The gain of the exchange if it fails and as entered, split by what the law taxes it as,
//! and the part of each a QOF can defer. The character is the engine's own: each property's
//! part of line 22 with the route the analysis gives it ([`crate::gain::character::Kind`]),
//! never derived again here.

use crate::amount::Amount;
use crate::explain::Trace;
use crate::gain::character::{Kind, line_22_kind};
use crate::model::ExchangeFile;
use crate::oz::eligible_gain;
use crate::plan::tax::GainParts;
use crate::report::Report;

/// The gain of the exchange if it fails and as entered, with the part of each a QOF can defer.
pub(crate) struct Gains {
    pub(crate) failed: GainParts,
    pub(crate) eligible_failed: Amount,
    /// The §1245/§1250 recapture in the failed exchange's gain.
    pub(crate) recapture_failed: Amount,
    /// A dealer's gain in the failed exchange's (IRC §1221(a)(1)).
    pub(crate) dealer_failed: Amount,
    /// Ordinary gain on §1231-type property held one year or less in the failed exchange's
    /// (Form 4797 Part II).
    pub(crate) short_held_failed: Amount,
    pub(crate) entered: GainParts,
    pub(crate) eligible_entered: Amount,
}

/// Line 22 (the recognized gain beyond the recapture) by kind: (ordinary income of a dealer,
/// ordinary gain of property held a year or less, short-term capital gain). The parts are
/// the analysis's own split of line 22 among the properties given up, each with its
/// property's holding period and character (IRC §§1221, 1222, 1231(b); Instructions for
/// Form 8824, line 22); with one property, or one place for the whole line, its one kind.
struct Kinds {
    dealer: Amount,
    short_held: Amount,
    short_term: Amount,
}

fn kinds(f: &ExchangeFile, r: &Report, line_22: Amount) -> Kinds {
    let line_22 = line_22.max(Amount::ZERO);
    let shares = &r.character.line_22_parts;
    let parts: Vec<(Kind, Amount)> = if shares.is_empty() {
        vec![(line_22_kind(f), line_22)]
    } else {
        shares.iter().map(|s| (s.kind, s.amount)).collect()
    };
    let sum = |k: Kind| -> Amount { parts.iter().filter(|(p, _)| *p == k).map(|(_, a)| *a).sum() };
    Kinds {
        dealer: sum(Kind::Dealer),
        short_held: sum(Kind::ShortHeldOrdinary),
        short_term: sum(Kind::ShortTermCapital),
    }
}

/// The parts of `g`, the recognized gain of report `r`, by rate: ordinary income (the
/// recapture, a dealer's gain and gain on property held a year or less that is not a
/// capital asset), unrecaptured §1250 gain, short-term capital gain and the rest.
fn parts_of(f: &ExchangeFile, r: &Report) -> (GainParts, Kinds) {
    let g = &r.gain;
    let k = kinds(f, r, g.recognized - g.ordinary_recapture);
    let ordinary = g.ordinary_recapture + k.dealer + k.short_held;
    (
        GainParts::with_short_term(g.recognized, ordinary, g.unrecaptured_1250, k.short_term),
        k,
    )
}

/// The gain if the exchange fails (`failed`, the engine's analysis with nothing received)
/// and as entered (`report`), split by rate, and what a QOF may defer of each. Ordinary
/// income is taxed at the ordinary rate and is never eligible: eligible gain is gain
/// "treated as a capital gain … or is a qualified 1231 gain" (Treas. Reg.
/// §1.1400Z2(a)-1(b)(11)(i)(A)), and §1231 gain needs property held more than one year
/// (IRC §1231(b)(1)). Short-term capital gain is eligible, and taxed at the ordinary rate.
pub(crate) fn gains_of(f: &ExchangeFile, failed: &Report, report: &Report, t: &mut Trace) -> Gains {
    let (fp, fk) = parts_of(f, failed);
    let (ep, _) = parts_of(f, report);
    Gains {
        eligible_failed: eligible_gain(fp.total(), fp.ordinary, t),
        recapture_failed: failed.gain.ordinary_recapture,
        dealer_failed: fk.dealer,
        short_held_failed: fk.short_held,
        failed: fp,
        eligible_entered: (ep.total() - ep.ordinary).max(Amount::ZERO),
        entered: ep,
    }
}
