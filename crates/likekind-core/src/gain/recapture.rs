//! Line 21: ordinary income under the recapture rules, including recapture with no boot.
//!
//! §1245(b)(4) and §1250(d)(4) limit recapture in a like-kind exchange, but not to the boot:
//! §1245 or §1250 property exchanged for property without that character can trigger
//! ordinary income even when line 20 is zero.

use crate::explain::Trace;
use crate::explain::money as m;
use crate::inputs;
use crate::law::cite;
use rust_decimal::Decimal;

/// Depreciation and character facts for line 21.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecaptureInputs {
    /// Depreciation on §1245 property given up (e.g. cost-segregation components).
    pub section1245_depreciation: Decimal,
    /// §1250 "additional depreciation" (in excess of straight line) on property given up.
    pub section1250_additional: Decimal,
    /// Straight-line depreciation on §1250 property given up (becomes unrecaptured §1250 gain).
    pub straight_line_1250: Decimal,
    /// FMV of §1245 property among the like-kind property received.
    pub fmv_1245_received: Decimal,
    /// FMV of §1250 property (buildings) among the like-kind property received; `None` means
    /// not given, in which case all like-kind property received other than §1245 property is
    /// assumed to be §1250 property (the analysis says so when it matters).
    pub fmv_1250_received: Option<Decimal>,
}

/// Line 21 and its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recapture {
    pub section1245: Decimal,
    pub section1250: Decimal,
    pub line_21: Decimal,
    /// Ordinary income recognized beyond line 20 (recapture without boot).
    pub beyond_boot: Decimal,
}

/// Computes line 21 from the realized gain (line 19), line 20 and line 16.
///
/// * §1245(b)(4): the §1245 amount (depreciation, capped by the gain) is limited to line 20
///   plus the FMV of like-kind property received that is not §1245 property.
/// * §1250(d)(4) and the i8824 line 21 instruction: the §1250 amount (additional
///   depreciation, capped by the gain) is limited to the larger of line 20 or the excess of
///   that amount over the FMV of §1250 property received.
///
/// The gain cap uses the exchange's realized gain because the file does not split gain by
/// component; with several components the per-component cap can only be lower.
pub fn line_21(
    i: &RecaptureInputs,
    l19: Decimal,
    l20: Decimal,
    l16: Decimal,
    t: &mut Trace,
) -> Recapture {
    let zero = Decimal::ZERO;
    let gain = l19.max(zero);
    let s1245_sale = i.section1245_depreciation.min(gain);
    let non1245_received = (l16 - i.fmv_1245_received).max(zero);
    let s1245 = s1245_sale.min(l20 + non1245_received);
    if !i.section1245_depreciation.is_zero() {
        crate::step!(
            t,
            "recapture.section1245",
            "§1245 ordinary income: the smaller of the §1245 depreciation (capped by the gain) or line 20 plus the FMV of like-kind property received that is not §1245 property",
            m(s1245),
            cite!(IRC_1245 "(a)(1), (b)(4)"; FORM_8824 ", line 21"),
            inputs!["§1245 depreciation" => m(i.section1245_depreciation), "gain" => m(gain), "line 20" => m(l20), "non-§1245 property received" => m(non1245_received)],
        );
    }
    let gain_left = (gain - s1245).max(zero);
    let s1250_sale = i.section1250_additional.min(gain_left);
    let fmv1250 = i
        .fmv_1250_received
        .unwrap_or_else(|| (l16 - i.fmv_1245_received).max(zero));
    let s1250 = s1250_sale.min(l20.max((s1250_sale - fmv1250).max(zero)));
    if !i.section1250_additional.is_zero() {
        crate::step!(
            t,
            "recapture.section1250",
            "§1250 ordinary income: the smaller of the additional depreciation (capped by the gain) or the larger of line 20 or the excess of that amount over the FMV of §1250 property received",
            m(s1250),
            cite!(IRC_1250 "(a), (d)(4)"; FORM_8824 ", line 21"),
            inputs!["additional depreciation" => m(i.section1250_additional), "line 20" => m(l20), "§1250 property received" => m(fmv1250)],
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
    }
}

/// Unrecaptured §1250 gain inside the recognized gain of line 22: the part attributable to
/// straight-line depreciation on real property, limited to the gain actually recognized.
/// Authority: IRC §1(h)(1)(E), (h)(6); Schedule D Unrecaptured Section 1250 Gain Worksheet
/// (worksheet text not retrieved: [U]).
pub fn unrecaptured_1250(straight_line: Decimal, l22: Decimal) -> Decimal {
    straight_line.min(l22).max(Decimal::ZERO)
}

/// Straight-line depreciation on real property given up that line 22 recognizes now.
#[derive(Debug, Clone, Copy)]
pub struct Unrecaptured {
    /// The unrecaptured §1250 gain (25% maximum rate): the part on property held more than
    /// a year (IRC §1(h)(6)(A)).
    pub long_term: Decimal,
    /// All of it, long-term or not: what is carried into the replacement is the rest.
    pub recognized: Decimal,
}
