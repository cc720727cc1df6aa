//! The `[plan]` block of an exchange file and the assumptions the planner resolves from it
//! and from the command line: each with its stated default and its limits.

use crate::amount::Amount;
use crate::input::errors::Errors;
use crate::input::errors::InputErrors;
use crate::money::deserialize_opt_money;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// `[plan]`: optional assumptions in the exchange file (CLI flags override them).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlanBlock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_years: Option<i64>,
    /// Yearly appreciation of what is invested, percent.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub growth_pct: Option<Amount>,
    /// Yearly cash yield (rent, distributions), percent of value; taxed as ordinary income.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub yield_pct: Option<Amount>,
    /// Federal long-term capital gain rate, percent (0, 15 or 20 by bracket).
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub federal_capital_gain_rate: Option<Amount>,
    /// Federal marginal ordinary rate, percent (ordinary recapture, yield).
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub ordinary_rate: Option<Amount>,
    /// Maximum rate on unrecaptured §1250 gain, percent (IRC §1(h)(1)(E): 25).
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub unrecaptured_1250_rate: Option<Amount>,
    /// Net investment income tax, percent (IRC §1411: 3.8).
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub niit_rate: Option<Amount>,
    /// State income tax rate on gain and income, percent.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub state_rate: Option<Amount>,
    /// What happens at the horizon: `sale` (taxable sale) or `death` (basis step-up, §1014).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_until: Option<HoldUntil>,
    /// The planned QOF investment date (default: the best date inside the window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qof_investment_date: Option<Date>,
    /// Gain to invest in a QOF (default: all the eligible gain of each QOF path).
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub qof_amount: Option<Amount>,
    /// The QOF is a qualified rural opportunity fund (30% step-up after 2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qrof: Option<bool>,
    /// Other gains of the year that could go to a QOF instead (seed 000 scenario 3: a §1031
    /// for the real estate gain, a QOF for another gain).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_gains: Vec<OtherGain>,
}

/// `[[plan.other_gains]]`: a gain outside the exchange (stock, another sale, a K-1).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OtherGain {
    #[serde(default)]
    pub description: String,
    #[serde(deserialize_with = "crate::money::deserialize_money")]
    pub gain: Amount,
    /// The day the gain is recognized (trade date, closing date, the entity's sale date).
    pub recognized_on: Date,
    /// `sale` (default), `pass_through` (a partner's or S-corporation shareholder's share) or
    /// `installment` (one payment on an installment sale).
    #[serde(default)]
    pub kind: OtherGainKind,
    /// Pass-through only: the last day of the entity's tax year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_year_end: Option<Date>,
    /// Pass-through only: the due date of the entity's return without extensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_return_due: Option<Date>,
}

/// How another gain reaches the investor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherGainKind {
    #[default]
    Sale,
    PassThrough,
    /// One installment payment received on `recognized_on` (each payment starts a window).
    Installment,
}

/// What ends the comparison at the horizon.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldUntil {
    /// Everything is sold at the horizon and the tax paid.
    #[default]
    Sale,
    /// The investor dies at the horizon: heirs take a FMV basis (IRC §1014).
    Death,
}

/// Command-line overrides of the `[plan]` block.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    pub horizon_years: Option<i64>,
    pub growth_pct: Option<Amount>,
    pub hold_until: Option<HoldUntil>,
    pub qof_investment_date: Option<Date>,
}

/// The assumptions a plan was computed with, every one stated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assumptions {
    pub horizon_years: u32,
    pub growth_pct: Amount,
    pub yield_pct: Amount,
    pub federal_capital_gain_rate: Amount,
    pub ordinary_rate: Amount,
    pub unrecaptured_1250_rate: Amount,
    pub niit_rate: Amount,
    pub state_rate: Amount,
    pub hold_until: HoldUntil,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qof_investment_date: Option<Date>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::money::serialize_opt_money"
    )]
    pub qof_amount: Option<Amount>,
    pub qrof: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_gains: Vec<OtherGain>,
    /// The fields that took their default, with the default.
    pub defaults_used: Vec<String>,
}

/// Defaults (stated in every plan's output).
pub mod defaults {
    pub const HORIZON_YEARS: i64 = 10;
    pub const GROWTH_PCT: &str = "4";
    pub const YIELD_PCT: &str = "0";
    pub const CAPITAL_GAIN_RATE: &str = "20";
    pub const ORDINARY_RATE: &str = "37";
    pub const UNRECAPTURED_1250_RATE: &str = "25";
    pub const NIIT_RATE: &str = "3.8";
    pub const STATE_RATE: &str = "0";
}

/// Largest horizon accepted: beyond a lifetime the projection means nothing.
pub const MAX_HORIZON_YEARS: i64 = 100;

/// Checks a `[plan]` block; every broken rule is reported with its field path.
pub fn validate_block(b: &PlanBlock, e: &mut Errors) {
    if let Some(h) = b.horizon_years {
        check_horizon("plan.horizon_years", h, e);
    }
    if let Some(g) = b.growth_pct {
        check_growth("plan.growth_pct", g, e);
    }
    if let Some(y) = b.yield_pct {
        check_pct("plan.yield_pct", y, "yield_pct", e);
    }
    for (name, v) in [
        ("federal_capital_gain_rate", b.federal_capital_gain_rate),
        ("ordinary_rate", b.ordinary_rate),
        ("unrecaptured_1250_rate", b.unrecaptured_1250_rate),
        ("niit_rate", b.niit_rate),
        ("state_rate", b.state_rate),
    ] {
        if let Some(v) = v {
            check_pct(&format!("plan.{name}"), v, "tax_rate", e);
        }
    }
    if let Some(a) = b.qof_amount {
        e.non_negative("plan.qof_amount", a);
    }
    for (i, g) in b.other_gains.iter().enumerate() {
        let p = format!("plan.other_gains[{i}]");
        e.non_negative(|| format!("{p}.gain"), g.gain);
        if g.kind == OtherGainKind::PassThrough {
            for (name, v) in [
                ("entity_year_end", g.entity_year_end),
                ("entity_return_due", g.entity_return_due),
            ] {
                match v {
                    None => e.push(
                        format!("{p}.{name}"),
                        "required",
                        "a pass-through gain needs the entity's tax-year end and return due date: each starts an optional 180-day window (Treas. Reg. §1.1400Z2(a)-1(c)(8)(iii))",
                    ),
                    Some(d) if d < g.recognized_on => e.push(
                        format!("{p}.{name}"),
                        "date_order",
                        format!("{d} is before the entity's sale on {}", g.recognized_on),
                    ),
                    Some(_) => {}
                }
            }
        }
    }
}

fn check_horizon(path: &str, h: i64, e: &mut Errors) {
    if !(1..=MAX_HORIZON_YEARS).contains(&h) {
        e.push(
            path,
            "horizon_range",
            format!("the horizon must be 1 to {MAX_HORIZON_YEARS} whole years (got {h}): the comparison is at a date after today and within a lifetime"),
        );
    }
}

fn check_growth(path: &str, g: Amount, e: &mut Errors) {
    if g <= Amount::from(-100) || g > Amount::ONE_HUNDRED {
        e.push(
            path,
            "growth_range",
            format!("the growth rate must be above -100% and at most 100% a year (got {g}%): -100% would wipe out the investment in one year"),
        );
    }
}

fn check_pct(path: &str, v: Amount, rule: &str, e: &mut Errors) {
    if v.is_sign_negative() && !v.is_zero() || v > Amount::ONE_HUNDRED {
        e.push(
            path,
            rule,
            format!("must be a percentage from 0 to 100 (got {v})"),
        );
    }
}

fn dec(s: &str) -> Amount {
    s.parse().unwrap_or(Amount::ZERO)
}

/// Resolves the assumptions: CLI override, else the `[plan]` block, else the stated default.
///
/// # Errors
/// Every out-of-range value, naming the field (`plan.horizon_years`, or the flag).
pub fn resolve(block: Option<&PlanBlock>, ov: &Overrides) -> Result<Assumptions, InputErrors> {
    let b = block.cloned().unwrap_or_default();
    let mut e = Errors::default();
    validate_block(&b, &mut e);
    if let Some(h) = ov.horizon_years {
        check_horizon("plan.horizon_years (--horizon-years)", h, &mut e);
    }
    if let Some(g) = ov.growth_pct {
        check_growth("plan.growth_pct (--growth)", g, &mut e);
    }
    e.finish()?;
    let mut used = Vec::new();
    let mut pick = |name: &str, cli: Option<Amount>, file: Option<Amount>, def: &str| {
        cli.or(file).unwrap_or_else(|| {
            used.push(format!("{name} = {def}"));
            dec(def)
        })
    };
    let growth_pct = pick(
        "growth_pct",
        ov.growth_pct,
        b.growth_pct,
        defaults::GROWTH_PCT,
    );
    let yield_pct = pick("yield_pct", None, b.yield_pct, defaults::YIELD_PCT);
    let federal_capital_gain_rate = pick(
        "federal_capital_gain_rate",
        None,
        b.federal_capital_gain_rate,
        defaults::CAPITAL_GAIN_RATE,
    );
    let ordinary_rate = pick(
        "ordinary_rate",
        None,
        b.ordinary_rate,
        defaults::ORDINARY_RATE,
    );
    let unrecaptured_1250_rate = pick(
        "unrecaptured_1250_rate",
        None,
        b.unrecaptured_1250_rate,
        defaults::UNRECAPTURED_1250_RATE,
    );
    let niit_rate = pick("niit_rate", None, b.niit_rate, defaults::NIIT_RATE);
    let state_rate = pick("state_rate", None, b.state_rate, defaults::STATE_RATE);
    let horizon = ov.horizon_years.or(b.horizon_years).unwrap_or_else(|| {
        used.push(format!("horizon_years = {}", defaults::HORIZON_YEARS));
        defaults::HORIZON_YEARS
    });
    let hold_until = ov.hold_until.or(b.hold_until).unwrap_or_else(|| {
        used.push("hold_until = sale".to_string());
        HoldUntil::Sale
    });
    let qrof = b.qrof.unwrap_or_else(|| {
        used.push("qrof = false".to_string());
        false
    });
    Ok(Assumptions {
        horizon_years: u32::try_from(horizon).unwrap_or(1),
        growth_pct,
        yield_pct,
        federal_capital_gain_rate,
        ordinary_rate,
        unrecaptured_1250_rate,
        niit_rate,
        state_rate,
        hold_until,
        qof_investment_date: ov.qof_investment_date.or(b.qof_investment_date),
        qof_amount: b.qof_amount,
        qrof,
        other_gains: b.other_gains.clone(),
        defaults_used: used,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_stated() {
        let a = resolve(None, &Overrides::default()).expect("defaults");
        assert_eq!(a.horizon_years, 10);
        assert_eq!(a.niit_rate.to_string(), "3.8");
        assert!(a.defaults_used.iter().any(|d| d == "horizon_years = 10"));
    }

    #[test]
    fn bad_values_name_their_field() {
        let b = PlanBlock {
            horizon_years: Some(0),
            growth_pct: Some(Amount::from(-100)),
            state_rate: Some(Amount::from(101)),
            ..PlanBlock::default()
        };
        let e = resolve(Some(&b), &Overrides::default()).unwrap_err();
        let paths: Vec<_> = e.errors.iter().map(|x| x.path.as_str()).collect();
        assert_eq!(
            paths,
            ["plan.horizon_years", "plan.growth_pct", "plan.state_rate"]
        );
        let ov = Overrides {
            horizon_years: Some(200),
            ..Overrides::default()
        };
        let e = resolve(None, &ov).unwrap_err();
        assert!(e.errors[0].path.contains("--horizon-years"));
        assert_eq!(e.errors[0].rule, "horizon_range");
    }

    #[test]
    fn cli_overrides_the_file() {
        let b = PlanBlock {
            horizon_years: Some(20),
            ..PlanBlock::default()
        };
        let ov = Overrides {
            horizon_years: Some(5),
            ..Overrides::default()
        };
        assert_eq!(resolve(Some(&b), &ov).expect("ok").horizon_years, 5);
    }
}
