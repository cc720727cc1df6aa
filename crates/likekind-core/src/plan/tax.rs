//! A rough tax and a projection of after-tax wealth, from the stated assumptions only.
//!
//! Each kind of gain is taxed at its own rate (IRC §1(h): ordinary recapture at the ordinary
//! rate, unrecaptured §1250 gain at most 25%, other long-term gain at the capital gain
//! rate), plus the NIIT (IRC §1411) and the state rate on all of it. No brackets, phase-outs,
//! AMT, losses or credits: an estimate to compare paths, never a return.

use crate::plan::assumptions::{Assumptions, HoldUntil};
use rust_decimal::Decimal;

/// Gain split by character.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GainParts {
    /// §1245 / §1250 ordinary recapture.
    pub ordinary: Decimal,
    /// Unrecaptured §1250 gain.
    pub unrecaptured_1250: Decimal,
    /// Other capital / §1231 gain.
    pub capital: Decimal,
}

impl GainParts {
    pub fn total(&self) -> Decimal {
        self.ordinary + self.unrecaptured_1250 + self.capital
    }

    /// Splits `total` gain: ordinary recapture first, then unrecaptured §1250 gain, then the
    /// rest (the order of IRC §1(h) and the Schedule D worksheet).
    pub fn split(total: Decimal, ordinary: Decimal, unrecaptured_1250: Decimal) -> GainParts {
        let total = total.max(Decimal::ZERO);
        let o = ordinary.max(Decimal::ZERO).min(total);
        let u = unrecaptured_1250.max(Decimal::ZERO).min(total - o);
        GainParts {
            ordinary: o,
            unrecaptured_1250: u,
            capital: total - o - u,
        }
    }

    /// Takes up to `amount` of the deferrable (non-ordinary) gain out, the 25% gain first
    /// (deferring the higher-rate gain is the better use of the election). Returns
    /// (taken, left).
    pub fn take_deferrable(&self, amount: Decimal) -> (GainParts, GainParts) {
        let amount = amount.max(Decimal::ZERO);
        let u = self.unrecaptured_1250.min(amount);
        let c = self.capital.min(amount - u);
        let taken = GainParts {
            ordinary: Decimal::ZERO,
            unrecaptured_1250: u,
            capital: c,
        };
        let left = GainParts {
            ordinary: self.ordinary,
            unrecaptured_1250: self.unrecaptured_1250 - u,
            capital: self.capital - c,
        };
        (taken, left)
    }

    /// Scales every part by `num / den` (for a partial inclusion).
    pub fn scaled(&self, num: Decimal, den: Decimal) -> GainParts {
        if den.is_zero() {
            return GainParts::default();
        }
        let f = (num / den).max(Decimal::ZERO);
        GainParts {
            ordinary: self.ordinary * f,
            unrecaptured_1250: self.unrecaptured_1250 * f,
            capital: self.capital * f,
        }
    }
}

/// The combined rates, percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    pub ordinary: Decimal,
    pub unrecaptured_1250: Decimal,
    pub capital: Decimal,
}

impl Rates {
    /// Federal rate for the character + NIIT + state. Unrecaptured §1250 gain is taxed at
    /// the lesser of 25% and the ordinary rate (IRC §1(h)(1)(E)).
    pub fn from(a: &Assumptions) -> Rates {
        let add = a.niit_rate + a.state_rate;
        Rates {
            ordinary: a.ordinary_rate + add,
            unrecaptured_1250: a.unrecaptured_1250_rate.min(a.ordinary_rate) + add,
            capital: a.federal_capital_gain_rate + add,
        }
    }
}

/// The rough tax on a gain, never negative. IRC §§1(h), 1411; state rate as given.
pub fn tax_on(g: &GainParts, r: &Rates) -> Decimal {
    let t = (g.ordinary * r.ordinary
        + g.unrecaptured_1250 * r.unrecaptured_1250
        + g.capital * r.capital)
        / Decimal::ONE_HUNDRED;
    t.max(Decimal::ZERO)
}

/// (1 + growth)^years, by Decimal multiplication.
pub fn growth_factor(growth_pct: Decimal, years: u32) -> Decimal {
    let f = Decimal::ONE + growth_pct / Decimal::ONE_HUNDRED;
    let mut v = Decimal::ONE;
    for _ in 0..years {
        v = v.checked_mul(f).unwrap_or(v);
    }
    v
}

/// What a strategy holds after paying the tax now (all amounts at the start).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Holdings {
    /// Equity in like-kind real property.
    pub like_kind: Decimal,
    /// Gain deferred inside it by §1031 (taxed on a sale, gone at death: §1014).
    pub like_kind_deferred: GainParts,
    /// QOF investment (basis 0 before inclusion).
    pub qof: Decimal,
    /// Basis of the QOF after inclusion, if the inclusion comes by the horizon.
    pub qof_basis_at_horizon: Decimal,
    /// The 10-year election shelters the QOF's appreciation at the horizon.
    pub qof_excluded: bool,
    /// Years after which appreciation is no longer sheltered (30-year cap), if any.
    pub qof_cap_years: Option<u32>,
    /// A taxable portfolio (basis = amount). Negative = money brought from elsewhere.
    pub taxable: Decimal,
    /// Taxes due later: (whole years from now, amount). Past the horizon they are still
    /// owed (e.g. by heirs) and are counted at face value.
    pub later_taxes: Vec<(u32, Decimal)>,
}

/// The projected figures at the horizon.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Projection {
    pub value_before_tax: Decimal,
    pub after_tax_yield: Decimal,
    pub later_taxes: Decimal,
    pub tax_at_horizon: Decimal,
    pub after_tax_value: Decimal,
}

/// Projects `h` over the horizon: everything grows at the growth rate; the yield is taxed
/// each year as ordinary income and kept in cash; a tax paid before the horizon also costs
/// the growth it would have earned; at the horizon either everything is sold (tax on each
/// position's gain; the QOF's appreciation excluded after 10 years, §1400Z-2(c)) or the
/// holder dies (no tax on built-in gain, IRC §1014; deferred QOF gain is still owed).
pub fn project(h: &Holdings, a: &Assumptions) -> Projection {
    let r = Rates::from(a);
    let n = a.horizon_years;
    let f = growth_factor(a.growth_pct, n);
    let start = h.like_kind + h.qof + h.taxable;
    let value = start * f;
    // Yield: y × value each year, after ordinary tax.
    let mut yield_cash = Decimal::ZERO;
    if !a.yield_pct.is_zero() {
        let net =
            a.yield_pct / Decimal::ONE_HUNDRED * (Decimal::ONE - r.ordinary / Decimal::ONE_HUNDRED);
        for t in 0..n {
            yield_cash += start * growth_factor(a.growth_pct, t) * net;
        }
    }
    let later: Decimal = h
        .later_taxes
        .iter()
        .map(|(k, tax)| {
            if *k <= n {
                *tax * growth_factor(a.growth_pct, n - k)
            } else {
                *tax
            }
        })
        .sum();
    let tax_at_horizon = match a.hold_until {
        HoldUntil::Death => Decimal::ZERO,
        HoldUntil::Sale => {
            let lk_value = h.like_kind * f;
            let lk_gain = lk_value - (h.like_kind - h.like_kind_deferred.total());
            let lk_parts = GainParts::split(
                lk_gain,
                h.like_kind_deferred.ordinary,
                h.like_kind_deferred.unrecaptured_1250,
            );
            let qof_value = h.qof * f;
            let qof_gain = if h.qof_excluded {
                match h.qof_cap_years {
                    Some(c) if c < n => qof_value - h.qof * growth_factor(a.growth_pct, c),
                    _ => Decimal::ZERO,
                }
            } else {
                qof_value - h.qof_basis_at_horizon
            };
            let portfolio_gain = h.taxable * f - h.taxable;
            tax_on(&lk_parts, &r)
                + (qof_gain.max(Decimal::ZERO) * r.capital / Decimal::ONE_HUNDRED)
                + portfolio_gain * r.capital / Decimal::ONE_HUNDRED
        }
    };
    Projection {
        value_before_tax: value,
        after_tax_yield: yield_cash,
        later_taxes: later,
        tax_at_horizon,
        after_tax_value: value + yield_cash - later - tax_at_horizon,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::plan::{Overrides, resolve};
    use rust_decimal_macros::dec;

    #[test]
    fn split_orders_recapture_then_1250() {
        let g = GainParts::split(dec!(100), dec!(30), dec!(50));
        assert_eq!(
            (g.ordinary, g.unrecaptured_1250, g.capital),
            (dec!(30), dec!(50), dec!(20))
        );
        let g = GainParts::split(dec!(40), dec!(30), dec!(50));
        assert_eq!(
            (g.ordinary, g.unrecaptured_1250, g.capital),
            (dec!(30), dec!(10), dec!(0))
        );
    }

    #[test]
    fn default_rates() {
        let a = resolve(None, &Overrides::default()).expect("defaults");
        let r = Rates::from(&a);
        assert_eq!(r.capital, dec!(23.8));
        assert_eq!(r.unrecaptured_1250, dec!(28.8));
        let g = GainParts::split(dec!(1000), dec!(0), dec!(0));
        assert_eq!(tax_on(&g, &r), dec!(238));
    }

    #[test]
    fn growth_compounds() {
        assert_eq!(growth_factor(dec!(10), 2), dec!(1.21));
        assert_eq!(growth_factor(dec!(10), 0), dec!(1));
    }

    #[test]
    fn death_erases_built_in_gain_but_not_a_later_tax() {
        let mut a = resolve(None, &Overrides::default()).expect("defaults");
        a.growth_pct = dec!(0);
        a.hold_until = HoldUntil::Death;
        let h = Holdings {
            like_kind: dec!(1000),
            like_kind_deferred: GainParts::split(dec!(600), dec!(0), dec!(0)),
            later_taxes: vec![(20, dec!(50))],
            ..Holdings::default()
        };
        let p = project(&h, &a);
        assert_eq!(p.after_tax_value, dec!(950));
        a.hold_until = HoldUntil::Sale;
        let p = project(&h, &a);
        assert_eq!(p.tax_at_horizon, dec!(142.8));
    }
}
