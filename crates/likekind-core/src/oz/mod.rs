//! Qualified Opportunity Zones (IRC §§1400Z-1, 1400Z-2): which gain a Qualified Opportunity
//! Fund (QOF) investment can defer, the 180-day windows, the two regimes keyed to the
//! investment date, and the Form 8949 / Form 8997 figures.
//!
//! Pure: dates are inputs. Where the law is unsettled (when the 180 days start for gain of a
//! failed §1031 exchange; the pre-2027 wording of Treas. Reg. §1.1400Z2(a)-1(b)(10)) the functions
//! say so in their explanation steps and the planner turns it into findings.

pub mod forms;
pub mod regime;
pub mod window;

use crate::amount::Amount;
use crate::explain::Trace;
use crate::explain::money as m;
use crate::inputs;
use crate::law::cite;

/// Authority for what gain is eligible.
pub const ELIGIBLE_GAIN_AUTHORITY: &str =
    cite!(IRC_1400Z_2 "(a)(1)"; REG_1_1400Z2_A_1 "(b)(11)(i), (iii)(A)");

/// Gain a QOF investment can defer out of a sale's gain: gain "treated as a capital gain …
/// or … a qualified 1231 gain" (Treas. Reg. §1.1400Z2(a)-1(b)(11)(i)(A)), short-term capital
/// gain and unrecaptured §1250 gain included, but never ordinary income (`ordinary`): the
/// §1245/§1250 recapture, which a "qualified 1231 gain" excludes ((b)(11)(iii)(A)), a
/// dealer's gain (IRC §1221(a)(1)), or gain on depreciable or business property held one
/// year or less (not §1231 gain, IRC §1231(b)(1)). Never negative.
pub fn eligible_gain(gain: Amount, ordinary: Amount, t: &mut Trace) -> Amount {
    let eligible = (gain - ordinary.max(Amount::ZERO)).max(Amount::ZERO);
    crate::step!(
        t,
        "oz.eligible_gain",
        "Gain eligible for QOF deferral: the recognized gain less the ordinary income in it (capital gain, short- or long-term, and §1231 gain, unrecaptured §1250 gain included, qualify; §1245/§1250 recapture, a dealer's gain and gain on business or depreciated property held one year or less, reported on Form 4797 Part II, never do)",
        m(eligible),
        cite!(IRC_1400Z_2 "(a)(1)"; REG_1_1400Z2_A_1 "(b)(11)(i)(A), (iii)(A)"; IRC_1231 "(b)(1)"),
        inputs!["gain" => m(gain), "ordinary income" => m(ordinary)],
    );
    eligible
}

/// A QOF deferral asked for on dollars an exchange defers under §1031.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{requested} of gain cannot be invested in a QOF: only {available} of eligible gain is recognized; the rest is already deferred by §1031 (or is ordinary recapture) and no dollar of gain is deferred twice"
)]
pub struct DoubleDeferral {
    pub requested: String,
    pub available: String,
}

/// Refuses a QOF deferral larger than the eligible gain an exchange actually recognizes
/// when the exchange defers gain under §1031 (`deferred_by_1031` above zero): §1031 and
/// §1400Z-2 are alternative treatments of the same dollar (a QOF defers only gain that
/// "would be recognized" absent the election, Treas. Reg. §1.1400Z2(a)-1(b)(11)(i)(B); gain
/// deferred under §1031 is not recognized).
///
/// Where §1031 defers nothing (a failed exchange, or boot that takes the whole gain) no
/// dollar can be deferred twice, and this is no refusal: an amount above the eligible gain
/// is an investment whose excess "is treated as a non-qualifying investment" (Treas. Reg.
/// §1.1400Z2(a)-1(c)(6)(i)), which the planner caps and says in its own words.
pub fn check_no_double_deferral(
    requested: Amount,
    eligible_recognized: Amount,
    deferred_by_1031: Amount,
) -> Result<(), DoubleDeferral> {
    if requested > eligible_recognized && deferred_by_1031 > Amount::ZERO {
        Err(DoubleDeferral {
            requested: crate::money::format_usd(requested),
            available: crate::money::format_usd(eligible_recognized),
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::amt;

    #[test]
    fn recapture_is_never_eligible() {
        let mut t = Trace::default();
        assert_eq!(
            eligible_gain(amt!(200000), amt!(20000), &mut t),
            amt!(180000)
        );
        assert_eq!(eligible_gain(amt!(10000), amt!(20000), &mut t), amt!(0));
    }

    #[test]
    fn double_deferral_is_refused() {
        assert!(check_no_double_deferral(amt!(1), amt!(0), amt!(1)).is_err());
        assert!(check_no_double_deferral(amt!(500000), amt!(500000), amt!(700000)).is_ok());
        let e = check_no_double_deferral(amt!(600000), amt!(500000), amt!(700000)).unwrap_err();
        assert!(e.to_string().contains("deferred twice"), "{e}");
    }

    /// QA9 D13: with nothing deferred under §1031 (a failed exchange) no dollar can be
    /// deferred twice: the excess is a non-qualifying investment (Treas. Reg.
    /// §1.1400Z2(a)-1(c)(6)(i)), never a refusal that says "already deferred by §1031".
    #[test]
    fn nothing_deferred_by_1031_is_no_double_deferral() {
        assert!(check_no_double_deferral(amt!(500000), amt!(350000), amt!(0)).is_ok());
        assert!(check_no_double_deferral(amt!(500000), amt!(350000), amt!(-20000)).is_ok());
    }
}
