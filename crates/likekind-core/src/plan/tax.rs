//! A rough tax and a projection of after-tax wealth, from the stated assumptions only.
//!
//! Each kind of gain is taxed at its own rate (IRC §1(h): ordinary recapture at the ordinary
//! rate, unrecaptured §1250 gain at most 25%, other long-term gain at the capital gain
//! rate), plus the NIIT (IRC §1411) and the state rate on all of it. No brackets, phase-outs,
//! AMT, losses or credits: an estimate to compare paths, never a return.

use crate::amount::Amount;
use crate::plan::assumptions::{Assumptions, HoldUntil};

/// Gain split by character.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GainParts {
    /// Ordinary income: §1245 / §1250 recapture, gain on §1231-type property held one year or
    /// less (Form 4797 Part II) and a dealer's gain. Taxed at the ordinary rate; never
    /// eligible for a QOF (Treas. Reg. §1.1400Z2(a)-1(b)(11)(i)(A)).
    pub ordinary: Amount,
    /// Unrecaptured §1250 gain.
    pub unrecaptured_1250: Amount,
    /// Short-term capital gain (a capital asset held one year or less, IRC §1222(1)): not
    /// net capital gain, so taxed at the ordinary rate (IRC §1(h)), yet capital gain a QOF
    /// may defer (Treas. Reg. §1.1400Z2(a)-1(b)(11)(i)(A)), and short-term again when
    /// included (Treas. Reg. §1.1400Z2(a)-1(c)(1)(i)).
    pub short_term: Amount,
    /// Other long-term capital / §1231 gain.
    pub capital: Amount,
}

impl GainParts {
    pub fn total(&self) -> Amount {
        self.ordinary + self.unrecaptured_1250 + self.short_term + self.capital
    }

    /// [`GainParts::split`] with `short_term` capital gain taken out of the rest.
    pub fn with_short_term(
        total: Amount,
        ordinary: Amount,
        unrecaptured_1250: Amount,
        short_term: Amount,
    ) -> GainParts {
        let g = GainParts::split(total, ordinary, unrecaptured_1250);
        let st = short_term.max(Amount::ZERO).min(g.capital);
        GainParts {
            short_term: st,
            capital: g.capital - st,
            ..g
        }
    }

    /// What is left of `self` once `part` is taken out, part by part, never below zero.
    pub fn less(&self, part: &GainParts) -> GainParts {
        let z = Amount::ZERO;
        GainParts {
            ordinary: (self.ordinary - part.ordinary).max(z),
            unrecaptured_1250: (self.unrecaptured_1250 - part.unrecaptured_1250).max(z),
            short_term: (self.short_term - part.short_term).max(z),
            capital: (self.capital - part.capital).max(z),
        }
    }

    /// Splits `total` gain: ordinary recapture first, then unrecaptured §1250 gain, then the
    /// rest (the order of IRC §1(h) and the Schedule D worksheet).
    pub fn split(total: Amount, ordinary: Amount, unrecaptured_1250: Amount) -> GainParts {
        let total = total.max(Amount::ZERO);
        let o = ordinary.max(Amount::ZERO).min(total);
        let u = unrecaptured_1250.max(Amount::ZERO).min(total - o);
        GainParts {
            ordinary: o,
            unrecaptured_1250: u,
            short_term: Amount::ZERO,
            capital: total - o - u,
        }
    }

    /// Takes up to `amount` of the deferrable (non-ordinary) gain out, the higher-rate gain
    /// first (short-term at the ordinary rate, then the 25% gain: deferring the higher-rate
    /// gain is the better use of the election). Returns (taken, left).
    pub fn take_deferrable(&self, amount: Amount) -> (GainParts, GainParts) {
        let amount = amount.max(Amount::ZERO);
        let s = self.short_term.min(amount);
        let u = self.unrecaptured_1250.min(amount - s);
        let c = self.capital.min(amount - s - u);
        let taken = GainParts {
            ordinary: Amount::ZERO,
            unrecaptured_1250: u,
            short_term: s,
            capital: c,
        };
        (taken, self.less(&taken))
    }

    /// Scales every part by `num / den` (for a partial inclusion).
    pub fn scaled(&self, num: Amount, den: Amount) -> GainParts {
        if den.is_zero() {
            return GainParts::default();
        }
        let f = (num / den).max(Amount::ZERO);
        GainParts {
            ordinary: self.ordinary * f,
            unrecaptured_1250: self.unrecaptured_1250 * f,
            short_term: self.short_term * f,
            capital: self.capital * f,
        }
    }
}

/// The combined rates, percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    pub ordinary: Amount,
    pub unrecaptured_1250: Amount,
    pub capital: Amount,
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

/// The rough tax on a gain, never negative. IRC §§1(h), 1411; state rate as given. Short-term
/// capital gain is not net capital gain (IRC §1222(11), §1(h)): the ordinary rate.
pub fn tax_on(g: &GainParts, r: &Rates) -> Amount {
    let t = ((g.ordinary + g.short_term) * r.ordinary
        + g.unrecaptured_1250 * r.unrecaptured_1250
        + g.capital * r.capital)
        / Amount::ONE_HUNDRED;
    t.max(Amount::ZERO)
}

/// (1 + growth)^years, by Decimal multiplication.
pub fn growth_factor(growth_pct: Amount, years: u32) -> Amount {
    let f = Amount::ONE + growth_pct / Amount::ONE_HUNDRED;
    let mut v = Amount::ONE;
    for _ in 0..years {
        v = v.checked_mul(f).unwrap_or(v);
    }
    v
}

/// What a strategy holds after paying the tax now (all amounts at the start).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Holdings {
    /// Equity in like-kind real property.
    pub like_kind: Amount,
    /// Gain deferred inside it by §1031 (taxed on a sale, gone at death: §1014).
    pub like_kind_deferred: GainParts,
    /// QOF investment (basis 0 before inclusion).
    pub qof: Amount,
    /// Basis of the QOF after inclusion, if the inclusion comes by the horizon.
    pub qof_basis_at_horizon: Amount,
    /// The 10-year election shelters the QOF's appreciation at the horizon.
    pub qof_excluded: bool,
    /// Years after which appreciation is no longer sheltered (30-year cap), if any.
    pub qof_cap_years: Option<u32>,
    /// A taxable portfolio (basis = amount). Negative = money brought from elsewhere.
    pub taxable: Amount,
    /// Taxes due later: (whole years from now, amount). Past the horizon they are still
    /// owed (e.g. by heirs) and are counted at face value.
    pub later_taxes: Vec<(u32, Amount)>,
}

/// The projected figures at the horizon.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Projection {
    pub value_before_tax: Amount,
    pub after_tax_yield: Amount,
    /// What the later taxes cost at the horizon: each one with the growth the money paid
    /// would have earned (the tax that growth would have borne is left out of
    /// `tax_at_horizon`).
    pub later_taxes: Amount,
    /// The later taxes at face value (the deferred gain's tax when its deferral ends).
    pub later_taxes_face: Amount,
    /// The tax on selling every position at the horizon (zero when held until death).
    pub tax_at_horizon: Amount,
    pub after_tax_value: Amount,
}

/// Projects `h` over the horizon: everything grows at the growth rate; the yield is taxed
/// each year as ordinary income and kept in cash; a tax due before the horizon is paid from
/// the taxable portfolio on its date, so it also costs the growth that money would have
/// earned, less the tax on that growth (a sale at the horizon) or in full (death: the
/// portfolio's basis steps up, IRC §1014); at the horizon either everything is sold (tax on
/// each position's gain; the QOF's appreciation excluded after 10 years, §1400Z-2(c)) or
/// the holder dies (no tax on built-in gain, IRC §1014; deferred QOF gain is still owed,
/// §1400Z-2(e)(3)).
pub fn project(h: &Holdings, a: &Assumptions) -> Projection {
    let r = Rates::from(a);
    let n = a.horizon_years;
    let f = growth_factor(a.growth_pct, n);
    let start = h.like_kind + h.qof + h.taxable;
    let value = start * f;
    let later = later_cost(h, a);
    let (tax_at_horizon, borrowed_tax) = match a.hold_until {
        HoldUntil::Death => (Amount::ZERO, Amount::ZERO),
        HoldUntil::Sale => {
            let lk_value = h.like_kind * f;
            let lk_gain = lk_value - (h.like_kind - h.like_kind_deferred.total());
            let lk_parts = GainParts::split(
                lk_gain,
                h.like_kind_deferred.ordinary,
                h.like_kind_deferred.unrecaptured_1250,
            );
            // The portfolio's growth, less the growth of the money that paid the later
            // taxes (gone with it).
            let portfolio_gain = h.taxable * f - h.taxable - later.forgone_growth;
            if h.taxable < Amount::ZERO {
                // A negative portfolio is money from elsewhere, not a position: it has no
                // gain or loss of its own. Its cost is the growth it would have had, less
                // the tax that growth would have borne (never a loss counted in full).
                (
                    tax_on(&lk_parts, &r) + capital_gain_tax(qof_gain_at_horizon(h, a, f), &r),
                    capital_gain_tax(-portfolio_gain, &r),
                )
            } else {
                (
                    tax_on(&lk_parts, &r)
                        + capital_gain_tax(qof_gain_at_horizon(h, a, f) + portfolio_gain, &r),
                    Amount::ZERO,
                )
            }
        }
    };
    let yield_cash = yield_after_tax(start, &h.later_taxes, a, &r);
    let later_cost = later.face_past_horizon + later.paid_with_growth;
    Projection {
        value_before_tax: value,
        after_tax_yield: yield_cash,
        later_taxes: later_cost,
        later_taxes_face: h.later_taxes.iter().map(|(_, t)| *t).sum(),
        tax_at_horizon,
        after_tax_value: value + yield_cash - later_cost - tax_at_horizon + borrowed_tax,
    }
}

/// The tax on the net capital gain of the sale at the horizon, never below zero. A loss of
/// one position offsets a gain of another sold the same year, but a net capital loss is not
/// counted: an individual deducts at most $3,000 of it a year ($1,500 married filing
/// separately) against other income (IRC §1211(b)), carrying the rest forward (§1212(b)),
/// and a corporation none (§1211(a)). The estimate ignores losses, so it never gives a tax
/// below zero: a market fall costs its full amount.
fn capital_gain_tax(net: Amount, r: &Rates) -> Amount {
    net.max(Amount::ZERO) * r.capital / Amount::ONE_HUNDRED
}

/// The later taxes, split: those due by the horizon with the growth the money would have
/// earned from the payment to the horizon, that growth alone, and those due after it (still
/// owed, e.g. by heirs, counted at face value).
struct LaterCost {
    paid_with_growth: Amount,
    forgone_growth: Amount,
    face_past_horizon: Amount,
}

fn later_cost(h: &Holdings, a: &Assumptions) -> LaterCost {
    let n = a.horizon_years;
    let mut c = LaterCost {
        paid_with_growth: Amount::ZERO,
        forgone_growth: Amount::ZERO,
        face_past_horizon: Amount::ZERO,
    };
    for (k, tax) in &h.later_taxes {
        if *k <= n {
            let grown = *tax * growth_factor(a.growth_pct, n - k);
            c.paid_with_growth += grown;
            c.forgone_growth += grown - *tax;
        } else {
            c.face_past_horizon += *tax;
        }
    }
    c
}

/// The QOF's taxable gain on a sale at the horizon. Without the 10-year election: the value
/// less the basis (the step-up and the gain included, §1400Z-2(b)(2)(B); a loss counts).
/// With it (§1400Z-2(c)): basis is the FMV on the sale, or on the date 30 years after the
/// investment when that comes first (the cap of the amended rules); the election is made
/// only when it helps, so the gain is never more than without it.
fn qof_gain_at_horizon(h: &Holdings, a: &Assumptions, f: Amount) -> Amount {
    let value = h.qof * f;
    let plain = value - h.qof_basis_at_horizon;
    if !h.qof_excluded {
        return plain;
    }
    let elected = match h.qof_cap_years {
        Some(c) if c < a.horizon_years => value - h.qof * growth_factor(a.growth_pct, c),
        _ => Amount::ZERO,
    };
    elected.min(plain)
}

/// The yield, y × value each year after ordinary tax, on what is held that year (a later
/// tax paid in year k no longer yields from then on).
fn yield_after_tax(start: Amount, later: &[(u32, Amount)], a: &Assumptions, r: &Rates) -> Amount {
    if a.yield_pct.is_zero() {
        return Amount::ZERO;
    }
    let net = a.yield_pct / Amount::ONE_HUNDRED * (Amount::ONE - r.ordinary / Amount::ONE_HUNDRED);
    let mut cash = Amount::ZERO;
    for t in 0..a.horizon_years {
        let paid: Amount = later
            .iter()
            .filter(|(k, _)| *k <= t)
            .map(|(k, tax)| *tax * growth_factor(a.growth_pct, t - k))
            .sum();
        cash += (start * growth_factor(a.growth_pct, t) - paid) * net;
    }
    cash
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::amt;
    use crate::plan::{Overrides, resolve};

    #[test]
    fn split_orders_recapture_then_1250() {
        let g = GainParts::split(amt!(100), amt!(30), amt!(50));
        assert_eq!(
            (g.ordinary, g.unrecaptured_1250, g.capital),
            (amt!(30), amt!(50), amt!(20))
        );
        let g = GainParts::split(amt!(40), amt!(30), amt!(50));
        assert_eq!(
            (g.ordinary, g.unrecaptured_1250, g.capital),
            (amt!(30), amt!(10), amt!(0))
        );
    }

    #[test]
    fn default_rates() {
        let a = resolve(None, &Overrides::default()).expect("defaults");
        let r = Rates::from(&a);
        assert_eq!(r.capital, amt!(23.8));
        assert_eq!(r.unrecaptured_1250, amt!(28.8));
        let g = GainParts::split(amt!(1000), amt!(0), amt!(0));
        assert_eq!(tax_on(&g, &r), amt!(238));
    }

    #[test]
    fn growth_compounds() {
        assert_eq!(growth_factor(amt!(10), 2), amt!(1.21));
        assert_eq!(growth_factor(amt!(10), 0), amt!(1));
    }

    #[test]
    fn death_erases_built_in_gain_but_not_a_later_tax() {
        let mut a = resolve(None, &Overrides::default()).expect("defaults");
        a.growth_pct = amt!(0);
        a.hold_until = HoldUntil::Death;
        let h = Holdings {
            like_kind: amt!(1000),
            like_kind_deferred: GainParts::split(amt!(600), amt!(0), amt!(0)),
            later_taxes: vec![(20, amt!(50))],
            ..Holdings::default()
        };
        let p = project(&h, &a);
        assert_eq!(p.after_tax_value, amt!(950));
        a.hold_until = HoldUntil::Sale;
        let p = project(&h, &a);
        assert_eq!(p.tax_at_horizon, amt!(142.8));
    }

    /// The audit's case (A3): $700,000 of net cash, a $500,000 gain invested in a QOF on
    /// 2026-11-25 and included on 2026-12-31 (original rules, §1400Z-2(b)(1)), its $119,000
    /// tax (23.8%) paid then from the other $200,000; 4% growth, sold after 10 years.
    /// f = 1.04^10 = 1.480244284918343925...
    /// * QOF: 500,000 × f = 740,122.14, its growth excluded (§1400Z-2(c)); the portfolio
    ///   200,000 − 119,000 = 81,000 grows to 119,899.79 and its 38,899.79 gain is taxed
    ///   23.8% = 9,258.15: 740,122.14 + 119,899.79 − 9,258.15 = 850,763.78.
    /// * Sell and pay: 581,000 × (1 + (f − 1) × 0.762) = 793,614.71.
    /// * After 5 years (f5 = 1.2166529024), no exclusion: the QOF's growth is taxed like the
    ///   portfolio's, so both come to 581,000 × (1 + 0.2166529024 × 0.762) = 676,917.01.
    #[test]
    fn qof_included_in_2026_pays_its_tax_then_and_keeps_its_growth_after_10_years() {
        let mut a = resolve(None, &Overrides::default()).expect("defaults");
        let qof = |excluded| Holdings {
            qof: amt!(500000),
            qof_basis_at_horizon: amt!(500000),
            qof_excluded: excluded,
            taxable: amt!(200000),
            later_taxes: vec![(0, amt!(119000))],
            ..Holdings::default()
        };
        let sell = Holdings {
            taxable: amt!(581000),
            ..Holdings::default()
        };
        let p = project(&qof(true), &a);
        assert_eq!(p.after_tax_value.round_dp(2), amt!(850763.78));
        assert_eq!(p.later_taxes_face, amt!(119000));
        assert_eq!(
            project(&sell, &a).after_tax_value.round_dp(2),
            amt!(793614.71)
        );
        a.horizon_years = 5;
        assert_eq!(
            project(&qof(false), &a).after_tax_value.round_dp(2),
            amt!(676917.01)
        );
        assert_eq!(
            project(&sell, &a).after_tax_value.round_dp(2),
            amt!(676917.01)
        );
    }

    /// The 10-year election is made only when it helps: a QOF worth less than its basis at
    /// the sale keeps its loss (1,000 of basis, growth −10% for 10 years: 1,000 × 0.9^10 =
    /// 348.68, a loss of 651.32), and that net capital loss is not counted (IRC §1211(b)):
    /// no tax, never a negative one (before: 651.32 at 23.8% = −155.01).
    #[test]
    fn the_exclusion_never_turns_a_loss_into_nothing() {
        let mut a = resolve(None, &Overrides::default()).expect("defaults");
        a.growth_pct = amt!(-10);
        let lost = Holdings {
            qof: amt!(1000),
            qof_basis_at_horizon: amt!(1000),
            qof_excluded: true,
            ..Holdings::default()
        };
        assert_eq!(project(&lost, &a).tax_at_horizon, Amount::ZERO);
        assert_eq!(project(&lost, &a).after_tax_value.round_dp(2), amt!(348.68));
    }

    /// A market fall is a net capital loss at the horizon: IRC §1211(b) lets an individual
    /// deduct at most $3,000 a year of it, so the estimate, which ignores losses, never gives
    /// a tax below zero (before the fix: 1,000,000 × (0.9^10 − 1) × 23.8% = −155,014.13).
    #[test]
    fn a_net_capital_loss_gives_no_negative_tax() {
        let mut a = resolve(None, &Overrides::default()).expect("defaults");
        a.growth_pct = amt!(-10);
        let sell = Holdings {
            taxable: amt!(1000000),
            ..Holdings::default()
        };
        let p = project(&sell, &a);
        assert_eq!(p.tax_at_horizon, Amount::ZERO);
        assert_eq!(p.after_tax_value.round_dp(2), amt!(348678.44));
        a.growth_pct = amt!(10);
        let both = Holdings {
            qof: amt!(1000),
            qof_basis_at_horizon: amt!(0),
            taxable: amt!(-50),
            ..Holdings::default()
        };
        // Money from elsewhere (a negative portfolio) has no gain or loss: only the QOF's
        // 1,000 × 1.1^10 = 2,593.74 of gain is taxed, 23.8% = 617.31. What it costs is the
        // 50 and its growth, 50 × 1.5937424601 = 79.69, less the 23.8% tax that growth would
        // have borne (18.97): 950 × 2.5937424601 − 617.31 + 18.97 = 1,865.71.
        let p = project(&both, &a);
        assert_eq!(p.tax_at_horizon.round_dp(2), amt!(617.31));
        assert_eq!(p.after_tax_value.round_dp(2), amt!(1865.71));
    }
}
