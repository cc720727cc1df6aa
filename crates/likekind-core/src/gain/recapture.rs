//! Line 21: ordinary income under the recapture rules, including recapture with no boot.
//!
//! §1245(b)(4) and §1250(d)(4) limit recapture in a like-kind exchange, but not to the boot:
//! §1245 or §1250 property exchanged for property without that character can trigger
//! ordinary income even when line 20 is zero.
//!
//! The amount those limits start from is measured property by property: §1245(a)(1) and
//! §1250(a)(1)(A) take the excess of the amount realized over the adjusted basis "of such
//! property", so one property's gain never carries another's recapture, and a property given
//! up at a loss has none. So is the gain recognized that §1250(d)(4)(A)(i) lets through: the
//! gain recognized "on the disposition" of the property, its share of line 20.
//!
//! A §1250 property held one year or less has additional depreciation equal to all its
//! depreciation (IRC §1250(b)(1)); the caller passes it so ([`PropertyRecapture`]).

use crate::amount::Amount;
use crate::explain::money as m;
use crate::explain::{Input, Trace};
use crate::inputs;
use crate::law::cite;

/// Depreciation and character facts for line 21.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecaptureInputs {
    /// Depreciation on §1245 property given up (e.g. cost-segregation components).
    pub section1245_depreciation: Amount,
    /// §1250 "additional depreciation" on property given up: the depreciation in excess of
    /// straight line, and all the depreciation of property held one year or less (IRC
    /// §1250(b)(1)).
    pub section1250_additional: Amount,
    /// Straight-line depreciation on §1250 property given up held more than one year (becomes
    /// unrecaptured §1250 gain).
    pub straight_line_1250: Amount,
    /// FMV of §1245 property among the like-kind property received.
    pub fmv_1245_received: Amount,
    /// FMV of §1250 property (buildings) among the like-kind property received; `None` means
    /// not given, in which case all like-kind property received other than §1245 property is
    /// assumed to be §1250 property (the analysis says so when it matters).
    pub fmv_1250_received: Option<Amount>,
    /// The same depreciation property by property, each with its own realized gain, which
    /// caps its recapture (IRC §§1245(a)(1), 1250(a)(1)(A)). Empty: the totals above are
    /// capped by the exchange's realized gain (line 19), as for one property whose gain is
    /// line 19 (the Form 8824 figures alone, with no property behind them).
    pub by_property: Vec<PropertyRecapture>,
}

/// One property given up, for line 21: its depreciation and its own realized gain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertyRecapture {
    /// The property in words (its description, or its id when it has none), for the
    /// explanation: empty where no steps are kept ([`crate::analyze::figures`]).
    pub name: String,
    /// Its §1245 depreciation (e.g. cost-segregation components).
    pub section1245_depreciation: Amount,
    /// Its §1250 additional depreciation: all its §1250 depreciation when it was held one
    /// year or less (IRC §1250(b)(1)).
    pub section1250_additional: Amount,
    /// Its own realized gain or (loss): its share of the amount realized less its adjusted
    /// basis, as the split of line 22 measures it (`gain::character::realized_gain_of`).
    pub realized_gain: Amount,
    /// Held one year or less (IRC §1222, as `gain::character::held_long` decides): its
    /// `section1250_additional` is all its §1250 depreciation (IRC §1250(b)(1)).
    pub held_one_year_or_less: bool,
}

/// One property given up, after line 21: the gain recognized on it and its part of line 21.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PropertyLine21 {
    /// Its share of line 20, split by share of the realized gain as line 22 is
    /// ([`recognized_shares`]): the gain recognized on its disposition before the recapture
    /// rules (IRC §1250(d)(4)(A)(i)).
    pub recognized: Amount,
    /// Its part of line 21 (its §1245 and §1250 ordinary income).
    pub line_21: Amount,
}

/// Line 21 and its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recapture {
    pub section1245: Amount,
    pub section1250: Amount,
    pub line_21: Amount,
    /// Ordinary income recognized beyond line 20 (recapture without boot).
    pub beyond_boot: Amount,
    /// Each property's recognized gain and part of line 21, in the order of
    /// [`RecaptureInputs::by_property`] (empty without them). Line 22's split reads them.
    pub by_property: Vec<PropertyLine21>,
}

/// The §1245 and §1250 amounts before the like-kind exchange limits: each property's
/// depreciation capped by its own realized gain (never below zero), its §1245 amount first
/// and its §1250 amount from the gain left (IRC §§1245(a)(1), 1250(a)(1)(A)); the §1245 total
/// is also kept within the exchange's realized gain (`gain`, line 19 not below zero).
struct BeforeLimits {
    section1245: Amount,
    section1250: Amount,
    /// Each property's (§1245, §1250) amount, in the order of [`RecaptureInputs::by_property`].
    each: Vec<(Amount, Amount)>,
}

fn before_limits(i: &RecaptureInputs, gain: Amount) -> BeforeLimits {
    let zero = Amount::ZERO;
    if i.by_property.is_empty() {
        return BeforeLimits {
            section1245: i.section1245_depreciation.min(gain),
            section1250: i.section1250_additional,
            each: vec![],
        };
    }
    let each: Vec<(Amount, Amount)> = i
        .by_property
        .iter()
        .map(|p| {
            let own = p.realized_gain.max(zero);
            let a = p.section1245_depreciation.max(zero).min(own);
            (a, p.section1250_additional.max(zero).min(own - a))
        })
        .collect();
    BeforeLimits {
        section1245: each.iter().map(|e| e.0).sum::<Amount>().min(gain),
        section1250: each.iter().map(|e| e.1).sum(),
        each,
    }
}

/// Each property's share of line 20, in the order of [`RecaptureInputs::by_property`]: the
/// gain recognized on its disposition before the recapture rules (IRC §1250(d)(4)(A)(i)),
/// split by share of the realized gain (never below zero; a property with none takes no part)
/// as line 22 is split (`gain::character::line_22_shares`): the engine's allocation, the law
/// prescribing none for several properties given up in one exchange. One property takes the
/// whole line.
pub fn recognized_shares(i: &RecaptureInputs, l20: Amount) -> Vec<Amount> {
    let zero = Amount::ZERO;
    match i.by_property.len() {
        0 => vec![],
        1 => vec![l20.max(zero)],
        _ => {
            let gains: Vec<Amount> = i
                .by_property
                .iter()
                .map(|p| p.realized_gain.max(zero))
                .collect();
            crate::gain::multi_asset::pro_rata_positive(l20.max(zero), &gains)
        }
    }
}

/// The gain recognized that §1250(d)(4)(A)(i) lets through: property by property, the gain
/// recognized on it up to its own §1250 amount ([`recognized_shares`]); line 20 without the
/// properties.
fn recognized_limit(sale: &BeforeLimits, recognized: &[Amount], l20: Amount) -> Amount {
    if sale.each.is_empty() {
        return l20;
    }
    sale.each
        .iter()
        .zip(recognized)
        .map(|((_, b), r)| (*b).min((*r).max(Amount::ZERO)))
        .sum()
}

/// Each property's part of line 21: its §1245 amount (pro rata when §1245(b)(4) cut the
/// total) and its §1250 amount, first up to the gain recognized on it, then any excess over
/// the §1250 property received pro rata to what is left of its additional depreciation.
fn parts(
    sale: &BeforeLimits,
    recognized: &[Amount],
    (s1245, s1250): (Amount, Amount),
) -> Vec<PropertyLine21> {
    use crate::gain::multi_asset::pro_rata_positive as split;
    let zero = Amount::ZERO;
    // One property given up takes both amounts whole: the same sums as below, without the
    // lists (an exchange of one property for others is most of a book).
    if let ([(_, b)], [r]) = (sale.each.as_slice(), recognized) {
        let base = (*b).min((*r).max(zero));
        let in_base = zero + base;
        let p1250 = if s1250 <= in_base {
            s1250
        } else {
            base + (s1250 - in_base)
        };
        return vec![PropertyLine21 {
            recognized: *r,
            line_21: s1245 + p1250,
        }];
    }
    let a: Vec<Amount> = sale.each.iter().map(|e| e.0).collect();
    let p1245 = split(s1245, &a);
    let base: Vec<Amount> = sale
        .each
        .iter()
        .zip(recognized)
        .map(|((_, b), r)| (*b).min((*r).max(zero)))
        .collect();
    let in_base: Amount = base.iter().copied().sum();
    let p1250: Vec<Amount> = if s1250 <= in_base {
        split(s1250, &base)
    } else {
        let left: Vec<Amount> = sale.each.iter().zip(&base).map(|(e, b)| e.1 - b).collect();
        let extra = split(s1250 - in_base, &left);
        base.iter().zip(extra).map(|(b, x)| *b + x).collect()
    };
    recognized
        .iter()
        .zip(p1245.iter().zip(&p1250))
        .map(|(r, (x, y))| PropertyLine21 {
            recognized: *r,
            line_21: *x + *y,
        })
        .collect()
}

/// The realized gain that caps the recapture, as explanation inputs: each property's own
/// (those `with` depreciation of the kind), or the exchange's when none is given.
fn gain_inputs(
    i: &RecaptureInputs,
    gain: Amount,
    with: impl Fn(&PropertyRecapture) -> bool,
) -> Vec<Input> {
    let mut out: Vec<Input> = i
        .by_property
        .iter()
        .filter(|p| with(p))
        .map(|p| {
            Input::new(
                format!("own realized gain or (loss) of {}", p.name),
                m(p.realized_gain),
            )
        })
        .collect();
    out.push(Input::new(
        "realized gain of the exchange (line 19)",
        m(gain),
    ));
    out
}

/// The §1250 step's inputs beyond the realized gains: for each property with additional
/// depreciation, the gain recognized on it and, when it was held one year or less, that all
/// its depreciation is additional depreciation (IRC §1250(b)(1)).
fn section1250_inputs(i: &RecaptureInputs, recognized: &[Amount]) -> Vec<Input> {
    let mut out = Vec::new();
    for (p, r) in i.by_property.iter().zip(recognized) {
        if p.section1250_additional.is_zero() {
            continue;
        }
        if p.held_one_year_or_less {
            out.push(Input::new(
                format!(
                    "additional depreciation of {} (held one year or less: all its §1250 depreciation)",
                    p.name
                ),
                m(p.section1250_additional),
            ));
        }
        if i.by_property.len() > 1 {
            out.push(Input::new(
                format!(
                    "gain recognized on {} (its share of line 20, by share of the realized gain)",
                    p.name
                ),
                m(*r),
            ));
        }
    }
    out
}

/// Computes line 21 from the realized gain (line 19), line 20 and line 16.
///
/// * §1245(a)(1): each property's §1245 depreciation, capped by that property's own realized
///   gain (the amount realized less its adjusted basis, never below zero).
/// * §1245(b)(4): the §1245 amount is limited to line 20 plus the FMV of like-kind property
///   received that is not §1245 property.
/// * §1250(b)(1): additional depreciation is the depreciation in excess of straight line, and
///   all the depreciation of property held one year or less (the caller's figures).
/// * §1250(a)(1)(A): each property's additional depreciation, capped by its own gain left
///   after its §1245 amount.
/// * §1250(d)(4) and the i8824 line 21 instruction: the §1250 amount is limited to the larger
///   of the gain recognized (each property's share of line 20, up to its own amount; line 20
///   without the properties) or the excess of that amount over the FMV of §1250 property
///   received.
///
/// Line 21 never exceeds the exchange's realized gain (line 19). Without the properties
/// ([`RecaptureInputs::by_property`] empty) the totals are capped by line 19 alone.
pub fn line_21(
    i: &RecaptureInputs,
    l19: Amount,
    l20: Amount,
    l16: Amount,
    t: &mut Trace,
) -> Recapture {
    let zero = Amount::ZERO;
    let gain = l19.max(zero);
    let sale = before_limits(i, gain);
    let recognized = recognized_shares(i, l20);
    let non1245_received = (l16 - i.fmv_1245_received).max(zero);
    let s1245 = sale.section1245.min(l20 + non1245_received);
    // The steps' inputs are words: built only when the steps are kept.
    if !i.section1245_depreciation.is_zero() && t.records() {
        let mut ins = inputs!["§1245 depreciation" => m(i.section1245_depreciation)];
        ins.extend(gain_inputs(i, gain, |p| {
            !p.section1245_depreciation.is_zero()
        }));
        ins.extend(
            inputs!["line 20" => m(l20), "non-§1245 property received" => m(non1245_received)],
        );
        crate::step!(
            t,
            "recapture.section1245",
            "§1245 ordinary income: the smaller of the §1245 depreciation (capped by the realized gain of the property it was taken on, never below zero) or line 20 plus the FMV of like-kind property received that is not §1245 property",
            m(s1245),
            cite!(IRC_1245 "(a)(1), (b)(4)"; FORM_8824 ", line 21"),
            ins,
        );
    }
    let s1250_sale = sale.section1250.min((gain - s1245).max(zero));
    let fmv1250 = i
        .fmv_1250_received
        .unwrap_or_else(|| (l16 - i.fmv_1245_received).max(zero));
    let through = recognized_limit(&sale, &recognized, l20);
    let s1250 = s1250_sale.min(through.max((s1250_sale - fmv1250).max(zero)));
    if !i.section1250_additional.is_zero() && t.records() {
        let mut ins = inputs!["additional depreciation" => m(i.section1250_additional)];
        ins.extend(gain_inputs(i, gain, |p| {
            !p.section1250_additional.is_zero()
        }));
        ins.extend(section1250_inputs(i, &recognized));
        ins.extend(inputs!["line 20" => m(l20), "§1250 property received" => m(fmv1250)]);
        crate::step!(
            t,
            "recapture.section1250",
            "§1250 ordinary income: the smaller of the additional depreciation (the depreciation above straight line; all the depreciation of a property held one year or less; capped by the realized gain of the property it was taken on, less its §1245 amount, never below zero) or the larger of the gain recognized (line 20; with several properties given up, each one's share of it, up to its own additional depreciation) or the excess of that amount over the FMV of §1250 property received",
            m(s1250),
            cite!(IRC_1250 "(a)(1)(A), (b)(1), (d)(4)"; FORM_8824 ", line 21"),
            ins,
        );
    }
    let line = (s1245 + s1250).min(gain);
    crate::step!(
        t,
        "form_8824.line_21",
        "Line 21: ordinary income under the recapture rules (§1245 + §1250), to Form 4797 line 16",
        m(line),
        cite!(FORM_8824 ", line 21"; [IRC_1245 "(b)(4)", IRC_1250 "(d)(4)"]),
        inputs!["§1245" => m(s1245), "§1250" => m(s1250)],
    );
    Recapture {
        section1245: s1245,
        section1250: s1250,
        line_21: line,
        beyond_boot: (line - l20).max(zero),
        by_property: parts(&sale, &recognized, (s1245, s1250)),
    }
}

/// Unrecaptured §1250 gain inside the recognized gain of line 22: the part attributable to
/// straight-line depreciation on real property, limited to the gain actually recognized.
/// Authority: IRC §1(h)(1)(E), (h)(6); Schedule D Unrecaptured Section 1250 Gain Worksheet
/// (worksheet text not retrieved: [U]).
pub fn unrecaptured_1250(straight_line: Amount, l22: Amount) -> Amount {
    straight_line.min(l22).max(Amount::ZERO)
}

/// Straight-line depreciation on real property given up that line 22 recognizes now.
#[derive(Debug, Clone, Copy)]
pub struct Unrecaptured {
    /// The unrecaptured §1250 gain (25% maximum rate): the part on property held more than
    /// a year (IRC §1(h)(6)(A)).
    pub long_term: Amount,
    /// All of it, long-term or not: what is carried into the replacement is the rest.
    pub recognized: Amount,
}
