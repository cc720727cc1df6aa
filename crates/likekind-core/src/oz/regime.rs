//! The two §1400Z-2 regimes, chosen by the date of the QOF investment.
//!
//! * Before 2027-01-01 (as enacted by P.L. 115-97): deferred gain is included on the
//!   earlier of a disposition or 2026-12-31; basis steps up 10% at 5 years and 5% more at 7
//!   years, counted only to the inclusion date; the 10-year FMV election, which the
//!   regulations allow for dispositions through 2047-12-31.
//! * From 2027-01-01 (P.L. 119-21 §70421): inclusion on the earlier of a disposition or the
//!   date 5 years after the investment; 10% step-up at 5 years (30% in a qualified rural
//!   opportunity fund), treated as occurring before the 5-year inclusion date; the 10-year
//!   FMV election, with basis capped at FMV on the date 30 years after the investment.
//!
//! The investment date decides the regime: the amendments apply to "amounts invested in
//! qualified opportunity funds after December 31, 2026" (P.L. 119-21 §70421(c)(5)(A)), and
//! a taxpayer with eligible gain "realized on, before, or after December 31, 2026, who timely
//! invests a corresponding amount in a QOF on or after January 1, 2027, may elect to defer"
//! under them (Notice 2026-40 §4.02(2)). Timeliness is unchanged (Treas. Reg. §1.1400Z2(a)-1(b)(7)).
//! Gain deemed included on 2026-12-31 is not eligible gain again (Notice 2026-40 §4.01(2));
//! gain from an inclusion event may be deferred again within 180 days of the inclusion event
//! date (§4.03(2)). One caveat remains: Treas. Reg. §1.1400Z2(a)-1(b)(10) still says an election is
//! "made before January 1, 2027", and the Notice announces proposed regulations to change it.

use crate::amount::Amount;
use crate::explain::Trace;
use crate::explain::money as m;
use crate::inputs;
use crate::law::cite;
use jiff::civil::{Date, date};
use serde::Serialize;

/// First investment date of the amended regime: "amounts invested ... after December 31,
/// 2026" (P.L. 119-21 §70421(c)(5)(A); Notice 2026-40 §4.02(2)).
pub const OBBBA_START: Date = date(2027, 1, 1);
/// The fixed inclusion date of the original regime (§1400Z-2(b)(1)(B) as enacted).
pub const ORIGINAL_INCLUSION: Date = date(2026, 12, 31);
/// Last disposition date for the 10-year election of original-regime investments
/// (Treas. Reg. §1.1400Z2(c)-1); the election survives the amendments (Notice 2026-40
/// §4.01(3)).
pub const ORIGINAL_EXCLUSION_DEADLINE: Date = date(2047, 12, 31);

const ORIGINAL_AUTH: &str = cite!(IRC_1400Z_2 "(b)(1)-(2), (c) as enacted by P.L. 115-97");
const OBBBA_AUTH: &str = cite!(IRC_1400Z_2 "(b)(1)-(2), (c) as amended by P.L. 119-21 §70421"; "P.L. 119-21 §70421(c)(5)(A)"; NOTICE_2026_40 " §4.02(2)");
/// Authority for deferring inclusion-event gain again.
pub const REDEFERRAL_AUTH: &str =
    cite!(NOTICE_2026_40 " §4.01(2), §4.03(2)"; REG_1_1400Z2_A_1 "(b)(11)(iv)(B)");

/// Last day of the 2018 (original) zone designations (Notice 2026-40).
pub const ORIGINAL_ZONES_END: Date = date(2028, 12, 31);
/// Last day of the 2018 Puerto Rico zone designations (Notice 2026-40).
pub const ORIGINAL_ZONES_END_PUERTO_RICO: Date = date(2027, 12, 31);
/// The first decennial zones: 2027-01-01 through 2036-12-31 (Notice 2026-40 §3.01(2)).
pub const NEW_ZONES_START: Date = date(2027, 1, 1);
pub const NEW_ZONES_END: Date = date(2036, 12, 31);
/// Authority for the zone dates.
pub const ZONES_AUTH: &str =
    cite!(IRC_1400Z_1 "(e) as amended by P.L. 119-21 §70421(b)"; NOTICE_2026_40 " §3.01(2)");

/// Which rules govern an investment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// P.L. 115-97 rules, investments before 2027-01-01.
    Original,
    /// P.L. 119-21 rules, investments on or after 2027-01-01.
    Obbba,
}

impl Regime {
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Original => "original (P.L. 115-97)",
            Regime::Obbba => "OBBBA (P.L. 119-21)",
        }
    }
}

/// The regime of an investment made on `investment_date`: the investment date decides it,
/// whatever the date of the gain (P.L. 119-21 §70421(c)(5)(A); Notice 2026-40 §4.02(2)).
pub fn regime_for(investment_date: Date) -> Regime {
    if investment_date < OBBBA_START {
        Regime::Original
    } else {
        Regime::Obbba
    }
}

/// Whole years from `from` to `to` (0 when `to` is not later).
pub fn whole_years(from: Date, to: Date) -> i64 {
    if to <= from {
        return 0;
    }
    from.until((jiff::Unit::Year, to))
        .map(|s| i64::from(s.get_years()))
        .unwrap_or(0)
}

/// `d` plus `n` years (Feb 29 falls back to Feb 28).
pub fn add_years(d: Date, n: i16) -> Date {
    d.checked_add(jiff::Span::new().years(n)).unwrap_or(d)
}

/// The facts of one QOF investment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionInputs {
    /// Gain deferred by the investment (= the amount invested that carries a deferral).
    pub deferred_gain: Amount,
    pub investment_date: Date,
    /// A qualified rural opportunity fund (30% step-up under the amended regime).
    pub qrof: bool,
    /// FMV of the investment on the inclusion date (for the §1400Z-2(b)(2)(A) limit).
    pub fmv_at_inclusion: Amount,
    /// The date the investment is sold or exchanged, if it is (an inclusion event).
    pub disposed_on: Option<Date>,
}

/// When and how much deferred gain comes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inclusion {
    pub regime: Regime,
    pub inclusion_date: Date,
    /// Whole years the investment is held on the inclusion date.
    pub years_held_at_inclusion: i64,
    /// Step-up as a percentage of the deferred gain (0, 10, 15 or 30).
    pub step_up_pct: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub basis_step_up: Amount,
    /// (lesser of deferred gain or FMV) − basis, never negative.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub amount_included: Amount,
    /// Basis after the inclusion: the step-up plus the gain included (§1400Z-2(b)(2)(B)(ii)).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub basis_after_inclusion: Amount,
    /// First date the 10-year FMV election is available (§1400Z-2(c)).
    pub earliest_10_year_date: Date,
    /// Original regime: last disposition date for the 10-year election.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusion_election_deadline: Option<Date>,
    /// Amended regime: after this date basis is capped at FMV on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thirty_year_basis_cap_date: Option<Date>,
    /// After a disposition (an inclusion event), the last day to defer the included gain again
    /// in a QOF: 180 days beginning on the inclusion event date (Notice 2026-40 §4.03(2);
    /// Treas. Reg. §1.1400Z2(a)-1(b)(11)(iv)(B)). `None` for the deemed inclusion on 2026-12-31 or at
    /// 5 years: 2026-12-31 deemed gain is not eligible gain (Notice 2026-40 §4.01(2)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redeferral_last_day: Option<Date>,
}

/// The inclusion date, step-up and amount included of one QOF investment, under the regime
/// of its investment date. IRC §1400Z-2(b)(1), (b)(2)(A)-(B), (c) (both versions).
pub fn inclusion(i: &InclusionInputs, t: &mut Trace) -> Inclusion {
    let regime = regime_for(i.investment_date);
    let (fixed_end, auth) = match regime {
        Regime::Original => (ORIGINAL_INCLUSION, ORIGINAL_AUTH),
        Regime::Obbba => (add_years(i.investment_date, 5), OBBBA_AUTH),
    };
    let (inclusion_date, event) = match i.disposed_on {
        Some(d) if d < fixed_end => (d, true),
        _ => (fixed_end, false),
    };
    let years = whole_years(i.investment_date, inclusion_date);
    // The amended step-up is treated as occurring before the 5-year inclusion date, so the
    // whole of it applies at that inclusion (even where the 5-year date of a February 29
    // investment falls short of five whole years).
    let years_for_step_up = if regime == Regime::Obbba && !event {
        years.max(5)
    } else {
        years
    };
    let step_up_pct = step_up_pct(regime, years_for_step_up, i.qrof);
    let basis_step_up = i.deferred_gain * step_up_pct / Amount::ONE_HUNDRED;
    let limited = i.deferred_gain.min(i.fmv_at_inclusion.max(Amount::ZERO));
    let amount_included = (limited - basis_step_up).max(Amount::ZERO);
    let out = Inclusion {
        regime,
        inclusion_date,
        years_held_at_inclusion: years,
        step_up_pct,
        basis_step_up,
        amount_included,
        basis_after_inclusion: basis_step_up + amount_included,
        earliest_10_year_date: add_years(i.investment_date, 10),
        exclusion_election_deadline: (regime == Regime::Original)
            .then_some(ORIGINAL_EXCLUSION_DEADLINE),
        thirty_year_basis_cap_date: (regime == Regime::Obbba)
            .then(|| add_years(i.investment_date, 30)),
        redeferral_last_day: event.then(|| crate::oz::window::last_day(inclusion_date)),
    };
    crate::step!(t,
        "oz.inclusion_date",
        match regime {
            Regime::Original => "Original regime: deferred gain is included on the earlier of a disposition or 2026-12-31".to_string(),
            Regime::Obbba => "Amended regime: deferred gain is included on the earlier of a disposition or 5 years after the investment".to_string(),
        },
        inclusion_date,
        auth,
        inputs!["investment date" => i.investment_date, "disposition" => i.disposed_on.map_or("none".to_string(), |d| d.to_string())],
    );
    crate::step!(
        t,
        "oz.basis_step_up",
        format!(
            "Basis step-up for {years} whole years held at inclusion: {step_up_pct}% of the deferred gain{}",
            match regime {
                Regime::Original => " (10% at 5 years, 15% at 7, counted only to 2026-12-31)",
                Regime::Obbba if i.qrof => " (30% at 5 years: qualified rural opportunity fund)",
                Regime::Obbba => " (10% at 5 years; no 7-year tier)",
            }
        ),
        m(basis_step_up),
        auth,
        inputs!["deferred gain" => m(i.deferred_gain)],
    );
    crate::step!(
        t,
        "oz.amount_included",
        "Amount included: the lesser of the deferred gain or the investment's FMV on the inclusion date, less its basis (the step-up)",
        m(amount_included),
        auth,
        inputs!["deferred gain" => m(i.deferred_gain), "FMV at inclusion" => m(i.fmv_at_inclusion), "basis" => m(basis_step_up)],
    );
    crate::step!(t,
        "oz.redeferral",
        match (out.redeferral_last_day, regime) {
            (Some(_), _) => "The disposition is an inclusion event: the gain it includes may be deferred again by investing it in a QOF within the 180 days beginning on the inclusion event date (the date is day 1)".to_string(),
            (None, Regime::Original) => "Gain included on 2026-12-31 under the original rules is not eligible gain and cannot be deferred again (absent another inclusion event)".to_string(),
            (None, Regime::Obbba) => "Inclusion on the date 5 years after the investment: no inclusion event before it, so no new 180-day period is shown".to_string(),
        },
        out.redeferral_last_day
            .map_or_else(|| "none".to_string(), |d| d.to_string()),
        REDEFERRAL_AUTH,
        inputs!["inclusion date" => inclusion_date],
    );
    out
}

/// Step-up percentage for `years` whole years held at inclusion.
/// §1400Z-2(b)(2)(B)(iii)-(iv) as enacted; (b)(2)(B)(iii) as amended (10% / 30% QROF).
pub fn step_up_pct(regime: Regime, years: i64, qrof: bool) -> Amount {
    match regime {
        Regime::Original if years >= 7 => Amount::from(15),
        Regime::Original if years >= 5 => Amount::TEN,
        Regime::Obbba if years >= 5 && qrof => Amount::from(30),
        Regime::Obbba if years >= 5 => Amount::TEN,
        _ => Amount::ZERO,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::amt;

    fn inc(investment: Date, fmv: Amount, qrof: bool, disposed: Option<Date>) -> Inclusion {
        inclusion(
            &InclusionInputs {
                deferred_gain: amt!(200000),
                investment_date: investment,
                qrof,
                fmv_at_inclusion: fmv,
                disposed_on: disposed,
            },
            &mut Trace::default(),
        )
    }

    #[test]
    fn late_2026_investment_is_included_on_2026_12_31() {
        let i = inc(date(2026, 11, 30), amt!(205000), false, None);
        assert_eq!(i.regime, Regime::Original);
        assert_eq!(i.inclusion_date, date(2026, 12, 31));
        assert_eq!(i.basis_step_up, amt!(0));
        assert_eq!(i.amount_included, amt!(200000));
        assert_eq!(i.exclusion_election_deadline, Some(date(2047, 12, 31)));
    }

    #[test]
    fn obbba_rolls_five_years_and_steps_up() {
        let i = inc(date(2027, 1, 4), amt!(260000), false, None);
        assert_eq!(i.inclusion_date, date(2032, 1, 4));
        assert_eq!(i.amount_included, amt!(180000));
        let q = inc(date(2027, 1, 4), amt!(260000), true, None);
        assert_eq!(q.basis_step_up, amt!(60000));
        assert_eq!(q.thirty_year_basis_cap_date, Some(date(2057, 1, 4)));
    }

    /// Notice 2026-40 §4.02(2): a 2026 gain invested on 2027-01-01 uses the amended rules; the
    /// step-up is treated as occurring before the 5-year inclusion date.
    #[test]
    fn investment_date_decides_and_step_up_applies_at_the_5_year_inclusion() {
        assert_eq!(regime_for(date(2026, 12, 31)), Regime::Original);
        assert_eq!(regime_for(date(2027, 1, 1)), Regime::Obbba);
        let i = inc(date(2028, 2, 29), amt!(200000), false, None);
        assert_eq!(i.inclusion_date, date(2033, 2, 28));
        assert_eq!(i.step_up_pct, amt!(10));
        assert_eq!(i.basis_step_up, amt!(20000));
        assert_eq!(i.redeferral_last_day, None);
        let q = inc(date(2028, 2, 29), amt!(200000), true, None);
        assert_eq!(q.step_up_pct, amt!(30));
        // Old regime: 10% needs the investment by 2021-12-31, 15% by 2019-12-31.
        assert_eq!(
            inc(date(2021, 12, 31), amt!(1), false, None).step_up_pct,
            amt!(10)
        );
        assert_eq!(
            inc(date(2022, 1, 1), amt!(1), false, None).step_up_pct,
            amt!(0)
        );
        assert_eq!(
            inc(date(2019, 12, 31), amt!(1), false, None).step_up_pct,
            amt!(15)
        );
        assert_eq!(
            inc(date(2020, 1, 1), amt!(1), false, None).step_up_pct,
            amt!(10)
        );
    }

    /// Notice 2026-40 §4.03(2): gain from an inclusion event may be deferred again within
    /// 180 days of the event; §4.01(2): the 2026-12-31 deemed inclusion is not eligible gain.
    #[test]
    fn redeferral_only_after_an_inclusion_event() {
        let sold = inc(
            date(2027, 3, 1),
            amt!(150000),
            false,
            Some(date(2029, 3, 1)),
        );
        assert_eq!(sold.redeferral_last_day, Some(date(2029, 8, 27)));
        let deemed = inc(date(2026, 11, 30), amt!(200000), false, None);
        assert_eq!(deemed.redeferral_last_day, None);
    }

    #[test]
    fn early_sale_has_no_step_up_and_fmv_limits() {
        let i = inc(
            date(2027, 3, 1),
            amt!(150000),
            false,
            Some(date(2029, 3, 1)),
        );
        assert_eq!(i.inclusion_date, date(2029, 3, 1));
        assert_eq!(i.basis_step_up, amt!(0));
        assert_eq!(i.amount_included, amt!(150000));
    }
}
