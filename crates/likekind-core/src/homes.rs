//! Homes and §1031: the Rev. Proc. 2008-16 vacation-home safe harbor, §121 with §1031
//! (Rev. Proc. 2005-14), the §121(d)(10) five-year rule and the plan to move into a
//! replacement property later.
//!
//! Rev. Proc. 2008-16 §§4.02-4.03 and Rev. Proc. 2005-14 §4 and its examples are still
//! unverified against primary text (verification.md §§4.3-4.4): the steps say so.

use crate::calendar::{add_days, add_months, days_between};
use crate::explain::Trace;
use crate::explain::money as m;
use crate::findings::{Findings, Severity};
use crate::inputs;
use crate::model::{ExchangeFile, UsagePeriod};
use crate::money::{format_usd, round_cents, serialize_money};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

const RP2008: &str = "Rev. Proc. 2008-16, 2008-10 I.R.B. 547, §§4.02-4.03 (primary text unverified; secondary summaries consistent)";
const RP2005: &str = "Rev. Proc. 2005-14, 2005-7 I.R.B. 528, §4 (primary text of §4 unverified; secondary summaries consistent); IRC §§121, 1031";

/// Days in the 12-month period ending on `end` (365 or 366).
pub fn days_in_period(end: Date) -> i32 {
    days_between(add_months(end, -12), end)
}

/// One 12-month period judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodTest {
    pub period_ending: Date,
    pub fair_rental_days: u32,
    pub personal_use_days: u32,
    /// Rented at a fair rental for 14 days or more.
    pub rental_ok: bool,
    /// Personal use not more than the greater of 14 days or 10% of the fair-rental days.
    pub personal_ok: bool,
}

/// The two-part test for one 12-month period: (i) rented at fair rental ≥ 14 days, and (ii)
/// personal use ≤ max(14, 10% of fair-rental days). No rounding: 10% of 155 days is 15.5,
/// so 15 days pass and 16 fail. Authority: Rev. Proc. 2008-16 §4.02(2)-(3), §4.03(2)-(3).
pub fn period_test(
    period_ending: Date,
    fair_rental_days: u32,
    personal_use_days: u32,
) -> PeriodTest {
    PeriodTest {
        period_ending,
        fair_rental_days,
        personal_use_days,
        rental_ok: fair_rental_days >= 14,
        personal_ok: personal_use_days <= 14
            || Decimal::from(personal_use_days) * Decimal::TEN <= Decimal::from(fair_rental_days),
    }
}

/// Whether the dwelling is the property given up or received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Relinquished,
    Replacement,
}

/// The safe-harbor verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    NotMet,
    /// A replacement whose 24 months after the exchange have not yet run.
    Pending,
    /// The usage of a required period was not given.
    Unconfirmed,
}

/// The safe harbor applied to one dwelling.
#[derive(Debug, Clone, Serialize)]
pub struct SafeHarbor {
    pub id: String,
    pub role: Role,
    pub verdict: Verdict,
    pub owned_24_months: bool,
    /// The two 12-month periods the test looks at, most recent (relinquished) or first
    /// (replacement) first.
    pub required_periods: Vec<Date>,
    pub periods: Vec<PeriodTest>,
    pub reasons: Vec<String>,
}

/// Applies the safe harbor to owned-months and the two periods' usage (in the order of
/// `required`). Authority: Rev. Proc. 2008-16 §4.02 (relinquished) and §4.03 (replacement).
pub fn safe_harbor_met(months_owned: u32, periods: &[(u32, u32)]) -> bool {
    months_owned >= 24
        && periods.len() >= 2
        && periods.iter().take(2).all(|&(r, p)| {
            let t = period_test(Date::constant(2000, 1, 1), r, p);
            t.rental_ok && t.personal_ok
        })
}

/// The two period endings the safe harbor looks at: for a relinquished dwelling the
/// 12-month periods ending the day before the exchange and a year earlier; for a replacement
/// the periods ending 12 and 24 months after the exchange (less a day).
pub fn required_periods(role: Role, exchange_date: Date) -> [Date; 2] {
    match role {
        Role::Relinquished => {
            let p1 = add_days(exchange_date, -1);
            [p1, add_days(add_months(exchange_date, -12), -1)]
        }
        Role::Replacement => [
            add_days(add_months(exchange_date, 12), -1),
            add_days(add_months(exchange_date, 24), -1),
        ],
    }
}

/// Judges one dwelling from the file's usage days.
pub fn judge_dwelling(
    id: &str,
    role: Role,
    acquired_or_received: Date,
    exchange_date: Date,
    usage: &[UsagePeriod],
    as_of: Date,
) -> SafeHarbor {
    let req = required_periods(role, exchange_date);
    let owned_24 = match role {
        Role::Relinquished => acquired_or_received <= add_months(exchange_date, -24),
        Role::Replacement => as_of >= add_months(exchange_date, 24),
    };
    let mut reasons = Vec::new();
    let mut periods = Vec::new();
    let mut missing = false;
    for end in req {
        match usage.iter().find(|u| u.period_ending == end) {
            Some(u) => {
                let t = period_test(end, u.fair_rental_days, u.personal_use_days);
                if !t.rental_ok {
                    reasons.push(format!(
                        "12 months ending {end}: rented at fair rental {} days (fewer than 14)",
                        t.fair_rental_days
                    ));
                }
                if !t.personal_ok {
                    reasons.push(format!(
                        "12 months ending {end}: personal use {} days exceeds the greater of 14 days or 10% of {} rental days",
                        t.personal_use_days, t.fair_rental_days
                    ));
                }
                periods.push(t);
            }
            None => {
                if role == Role::Replacement && end >= as_of {
                    continue;
                }
                missing = true;
                reasons.push(format!("no usage given for the 12 months ending {end}"));
            }
        }
    }
    if role == Role::Relinquished && !owned_24 {
        reasons.push(format!(
            "owned since {acquired_or_received}: less than 24 months before the exchange on {exchange_date}"
        ));
    }
    let failed = periods.iter().any(|t| !(t.rental_ok && t.personal_ok))
        || (role == Role::Relinquished && !owned_24);
    let verdict = if failed {
        Verdict::NotMet
    } else if missing {
        Verdict::Unconfirmed
    } else if role == Role::Replacement && !owned_24 {
        Verdict::Pending
    } else {
        Verdict::Met
    };
    SafeHarbor {
        id: id.to_string(),
        role,
        verdict,
        owned_24_months: owned_24,
        required_periods: req.to_vec(),
        periods,
        reasons,
    }
}

/// Runs the safe harbor on every dwelling with `use = "vacation_home"` or usage days.
pub fn vacation_homes(
    f: &ExchangeFile,
    as_of: Date,
    t: &mut Trace,
    fx: &mut Findings,
) -> Vec<SafeHarbor> {
    let mut out = Vec::new();
    for (k, r) in f.relinquished.iter().enumerate() {
        if !r.usage.is_empty() {
            let s = judge_dwelling(
                &r.id,
                Role::Relinquished,
                r.acquired,
                r.transferred,
                &r.usage,
                as_of,
            );
            report(&s, &format!("relinquished[{k}]"), r.transferred, t, fx);
            out.push(s);
        }
    }
    for (k, r) in f.replacement.iter().enumerate() {
        if !r.usage.is_empty() {
            let s = judge_dwelling(
                &r.id,
                Role::Replacement,
                r.received,
                r.received,
                &r.usage,
                as_of,
            );
            report(&s, &format!("replacement[{k}]"), r.received, t, fx);
            out.push(s);
        }
    }
    out
}

/// Rev. Proc. 2008-16 applies to exchanges on or after 2008-03-10 (its §6 effective date).
pub const RP2008_16_EFFECTIVE: Date = Date::constant(2008, 3, 10);

fn report(s: &SafeHarbor, path: &str, exchange_date: Date, t: &mut Trace, fx: &mut Findings) {
    if exchange_date < RP2008_16_EFFECTIVE {
        fx.add_at(
            "vacation_home_safe_harbor_not_available",
            Severity::Info,
            format!("{path}.usage"),
            format!("The exchange of {} on {exchange_date} is before 2008-03-10, when Rev. Proc. 2008-16 took effect: the safe harbor does not apply and investment intent is judged on the facts and circumstances; the test below is shown for reference only", s.id),
            RP2008,
        );
    }
    t.add(
        format!("homes.safe_harbor.{}", s.id),
        format!(
            "Rev. Proc. 2008-16 safe harbor for {} ({}): owned 24 months {} the exchange, and in each 12-month period rented at fair rental 14+ days with personal use at most the greater of 14 days or 10% of the rental days",
            s.id,
            match s.role {
                Role::Relinquished => "relinquished",
                Role::Replacement => "replacement",
            },
            match s.role {
                Role::Relinquished => "before",
                Role::Replacement => "after",
            }
        ),
        match s.verdict {
            Verdict::Met => "met",
            Verdict::NotMet => "not met",
            Verdict::Pending => "pending",
            Verdict::Unconfirmed => "unconfirmed",
        },
        RP2008,
        s.periods
            .iter()
            .map(|p| {
                crate::explain::Input::new(
                    format!("12 months ending {}", p.period_ending),
                    format!(
                        "{} rental / {} personal days",
                        p.fair_rental_days, p.personal_use_days
                    ),
                )
            })
            .collect(),
    );
    match s.verdict {
        Verdict::Met => fx.add_at(
            "vacation_home_safe_harbor_met",
            Severity::Info,
            format!("{path}.usage"),
            format!("{} meets the Rev. Proc. 2008-16 safe harbor: the IRS will not challenge that the dwelling was held for investment", s.id),
            RP2008,
        ),
        Verdict::Pending => fx.add_at(
            "vacation_home_safe_harbor_pending",
            Severity::Info,
            format!("{path}.usage"),
            format!(
                "{} is in its first 24 months after the exchange: to stay in the safe harbor keep it 24 months and, in each of the 12-month periods ending {} and {}, rent it at fair rental 14+ days with personal use at most the greater of 14 days or 10% of the rental days. If the return reporting the exchange is filed before then and the test later fails, amend it.",
                s.id, s.required_periods[0], s.required_periods[1]
            ),
            RP2008,
        ),
        Verdict::NotMet | Verdict::Unconfirmed => fx.add_at(
            "not_held_for_investment",
            Severity::Warning,
            format!("{path}.usage"),
            format!(
                "{} is {} the Rev. Proc. 2008-16 safe harbor ({}). Falling outside the safe harbor does not by itself disqualify the exchange, but whether the dwelling was held for investment is then a question of facts and circumstances (Moore v. Comm'r, T.C. Memo. 2007-134): expect scrutiny.{}",
                s.id,
                if s.verdict == Verdict::NotMet { "outside" } else { "not shown to be within" },
                s.reasons.join("; "),
                if s.role == Role::Replacement { " For a replacement reported before the test fails, the return should be amended." } else { "" }
            ),
            RP2008,
        ),
    }
}

/// Figures of Rev. Proc. 2005-14 for one property (no allocation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rp200514 {
    #[serde(serialize_with = "serialize_money")]
    pub amount_realized: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub adjusted_basis: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub realized_gain: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub excluded_121: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub recognized: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub deferred_1031: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub basis_replacement: Decimal,
}

/// §121 first, then §1031: the exclusion (at most `limit`, and never of the gain equal to
/// depreciation after 1997-05-06, §121(d)(6)) comes off the realized gain first; boot is
/// taken into account only to the extent it exceeds the excluded gain; the rest is deferred;
/// basis = adjusted basis + excluded gain + recognized gain - boot + cash paid (the excluded
/// gain treated as recognized). Authority: Rev. Proc. 2005-14 §4.02-4.03; IRC §§121(d)(6),
/// 1031(b), (d).
pub fn rp2005_14(
    amount_realized: Decimal,
    adjusted_basis: Decimal,
    depreciation_after_1997: Decimal,
    limit: Decimal,
    boot: Decimal,
    cash_paid: Decimal,
) -> Rp200514 {
    let realized = amount_realized - adjusted_basis;
    let excluded = limit
        .min(realized - depreciation_after_1997)
        .max(Decimal::ZERO);
    let remaining = (realized - excluded).max(Decimal::ZERO);
    let recognized = (boot - excluded).max(Decimal::ZERO).min(remaining);
    let deferred = realized - excluded - recognized;
    Rp200514 {
        amount_realized,
        adjusted_basis,
        realized_gain: realized,
        excluded_121: excluded,
        recognized,
        deferred_1031: deferred,
        basis_replacement: adjusted_basis + excluded + recognized - boot + cash_paid,
    }
}

/// Figures of Rev. Proc. 2005-14 when the business part is outside the dwelling unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rp200514Split {
    #[serde(serialize_with = "serialize_money")]
    pub residential_amount_realized: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub residential_basis: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub excluded_121: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub business_amount_realized: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub business_adjusted_basis: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub deferred_1031: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub recognized: Decimal,
    #[serde(serialize_with = "serialize_money")]
    pub basis_business_replacement: Decimal,
}

/// A business part outside the dwelling unit: the amount realized and the basis before
/// depreciation are allocated by `business_fraction` (the business share rounded to the
/// cent, the residential part taking the remainder so the parts add up); §121 applies to the
/// residential part, sold as a home, and §1031 to the business part, which carries its
/// depreciation. `boot` is all money and other property received; what exceeds the
/// residential amount realized is the business part's boot [U: the Rev. Proc. examples with
/// boot are unverified]. Authority: Rev. Proc. 2005-14 §4 and Examples 2-6; Treas. Reg.
/// §1.121-1(e).
pub fn rp2005_14_split(
    amount_realized: Decimal,
    basis_before_depreciation: Decimal,
    business_fraction: Decimal,
    business_depreciation: Decimal,
    limit: Decimal,
    boot: Decimal,
    cash_paid: Decimal,
) -> Rp200514Split {
    let bus_ar = round_cents(amount_realized * business_fraction);
    let res_ar = amount_realized - bus_ar;
    let bus_cost = round_cents(basis_before_depreciation * business_fraction);
    let res_basis = basis_before_depreciation - bus_cost;
    let bus_ab = bus_cost - business_depreciation;
    let excluded = limit.min(res_ar - res_basis).max(Decimal::ZERO);
    let bus_gain = bus_ar - bus_ab;
    let bus_boot = (boot - res_ar).max(Decimal::ZERO);
    let recognized = bus_boot.min(bus_gain.max(Decimal::ZERO));
    Rp200514Split {
        residential_amount_realized: res_ar,
        residential_basis: res_basis,
        excluded_121: excluded,
        business_amount_realized: bus_ar,
        business_adjusted_basis: bus_ab,
        deferred_1031: bus_gain - recognized,
        recognized,
        basis_business_replacement: bus_ab + recognized - bus_boot + cash_paid,
    }
}

/// The §121(d)(10) five-year rule: a home acquired in a §1031 exchange cannot use §121 on a
/// sale during the 5 years beginning on its acquisition. Returns the first date outside
/// that period. [U] the "beginning on the date" count could move it by a day: the engine
/// uses the anniversary (the conservative reading). Authority: IRC §121(d)(10).
pub fn first_date_outside_5_years(acquired_in_exchange: Date) -> Date {
    add_months(acquired_in_exchange, 60)
}

/// §121 available on `sale` for a home acquired in an exchange: the 2-of-5-year test and
/// the five-year rule. Authority: IRC §121(a), (d)(10).
pub fn section121_available(acquired_in_exchange: Date, sale: Date, use_test_met: bool) -> bool {
    use_test_met && sale >= first_date_outside_5_years(acquired_in_exchange)
}

/// The use test of §121(a): periods of use as the principal residence add up to at least 2
/// years (730 days) within the 5 years ending on the sale. Periods are `[from, to)`.
/// Authority: IRC §121(a); Treas. Reg. §1.121-1(c)(1) (730 days) [P-mem].
pub fn two_of_five_years(uses: &[(Date, Date)], sale: Date) -> bool {
    let start = add_months(sale, -60);
    let days: i32 = uses
        .iter()
        .map(|&(a, b)| days_between(a.max(start), b.min(sale)).max(0))
        .sum();
    days >= 730
}

/// The report for `[home_sale]`.
#[derive(Debug, Clone, Serialize)]
pub struct HomeSaleResult {
    pub property: String,
    pub section121_available: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whole: Option<Rp200514>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<Rp200514Split>,
}

/// Applies `[home_sale]` with the exchange's boot and cash paid.
pub fn home_sale(
    f: &ExchangeFile,
    boot: Decimal,
    cash_paid: Decimal,
    t: &mut Trace,
    fx: &mut Findings,
) -> Option<HomeSaleResult> {
    let h = f.home_sale.as_ref()?;
    let r = f.relinquished.iter().find(|r| r.id == h.property)?;
    let dep = h
        .depreciation_after_1997_05_06
        .unwrap_or(r.depreciation_allowed);
    let ar = r.sale_price - r.exchange_expenses;
    let mut available = h.ownership_and_use_test_met;
    if let Some(acq) = h.acquired_in_exchange_on {
        let first = first_date_outside_5_years(acq);
        t.add(
            "homes.section121_d10_first_date",
            "First date the home acquired in a §1031 exchange may be sold with the §121 exclusion: the end of the 5 years beginning on its acquisition (anniversary used: the ±1-day reading of \"beginning on the date\" is uncertain [U])",
            first,
            "IRC §121(d)(10)",
            inputs!["acquired in exchange" => acq],
        );
        if r.transferred < first {
            available = false;
            fx.add_at(
                "section121_five_year_rule",
                Severity::Warning,
                "home_sale.acquired_in_exchange_on",
                format!("{} was acquired in a §1031 exchange on {acq}: §121 is not available for a sale before {first} (the 5-year period beginning on the acquisition), so no gain is excluded", r.id),
                "IRC §121(d)(10)",
            );
        }
    }
    if !h.ownership_and_use_test_met {
        fx.add_at(
            "section121_not_available",
            Severity::Warning,
            "home_sale.ownership_and_use_test_met",
            "The ownership and use test (2 of the 5 years before the sale) is not met: no gain is excluded under §121",
            "IRC §121(a)",
        );
    }
    let limit = if available {
        h.exclusion_limit
    } else {
        Decimal::ZERO
    };
    let mut res = HomeSaleResult {
        property: r.id.clone(),
        section121_available: available,
        whole: None,
        split: None,
    };
    match &h.business_part {
        Some(b) if b.separate_from_dwelling => {
            let s = rp2005_14_split(
                ar,
                r.adjusted_basis + r.depreciation_allowed,
                b.fraction,
                r.depreciation_allowed,
                limit,
                boot,
                cash_paid,
            );
            for (k, step, v) in [
                (
                    "homes.split.residential_amount_realized",
                    "Amount realized allocated to the residential part (1 - business fraction; rounded to the cent by the business share)",
                    s.residential_amount_realized,
                ),
                (
                    "homes.split.residential_basis",
                    "Basis before depreciation allocated to the residential part",
                    s.residential_basis,
                ),
                (
                    "homes.split.excluded_121",
                    "§121 exclusion on the residential part: its gain, at most the limit",
                    s.excluded_121,
                ),
                (
                    "homes.split.business_amount_realized",
                    "Amount realized allocated to the business part",
                    s.business_amount_realized,
                ),
                (
                    "homes.split.business_adjusted_basis",
                    "Adjusted basis of the business part: its share of basis less all depreciation (taken on that part)",
                    s.business_adjusted_basis,
                ),
                (
                    "homes.split.recognized",
                    "Gain recognized on the business part: boot beyond the residential amount realized, at most the business gain [U: examples with boot unverified]",
                    s.recognized,
                ),
                (
                    "homes.split.deferred_1031",
                    "Gain of the business part deferred under §1031",
                    s.deferred_1031,
                ),
                (
                    "homes.split.basis_business_replacement",
                    "Basis of the replacement for the business part: its adjusted basis + gain recognized - its boot + cash paid",
                    s.basis_business_replacement,
                ),
            ] {
                t.add(k, step, m(v), RP2005, inputs!["amount realized" => m(ar), "business fraction" => crate::explain::Val::Num(b.fraction), "depreciation" => m(r.depreciation_allowed), "limit" => m(limit), "boot" => m(boot)]);
            }
            res.split = Some(s);
        }
        other => {
            let w = rp2005_14(ar, r.adjusted_basis, dep, limit, boot, cash_paid);
            for (k, step, v) in [
                (
                    "homes.rp2005_14.realized_gain",
                    "Realized gain: amount realized (sale price - exchange expenses) - adjusted basis",
                    w.realized_gain,
                ),
                (
                    "homes.rp2005_14.excluded_121",
                    "§121 applied first: the gain excluded, at most the limit and never the gain equal to depreciation after 1997-05-06 (§121(d)(6))",
                    w.excluded_121,
                ),
                (
                    "homes.rp2005_14.recognized",
                    "Gain recognized: boot only to the extent it exceeds the excluded gain, at most the gain left",
                    w.recognized,
                ),
                (
                    "homes.rp2005_14.deferred_1031",
                    "Gain deferred under §1031: realized - excluded - recognized (includes the depreciation gain)",
                    w.deferred_1031,
                ),
                (
                    "homes.rp2005_14.basis_replacement",
                    "Basis of the replacement: adjusted basis + excluded gain + recognized gain - boot + cash paid",
                    w.basis_replacement,
                ),
            ] {
                t.add(k, step, m(v), RP2005, inputs!["amount realized" => m(ar), "adjusted basis" => m(r.adjusted_basis), "depreciation after 1997-05-06" => m(dep), "limit" => m(limit), "boot" => m(boot), "cash paid" => m(cash_paid)]);
            }
            if other.is_some() {
                fx.add_at(
                    "home_office_inside_dwelling",
                    Severity::Info,
                    "home_sale.business_part.separate_from_dwelling",
                    "The business part is inside the dwelling unit: no allocation is needed (Reg. 1.121-1(e)); §121 covers the whole gain except the depreciation after 1997-05-06, which §1031 may defer",
                    "Treas. Reg. §1.121-1(e); Rev. Proc. 2005-14",
                );
            }
            res.whole = Some(w);
        }
    }
    let (excl, rec, def) = match (&res.whole, &res.split) {
        (Some(w), _) => (w.excluded_121, w.recognized, w.deferred_1031),
        (_, Some(s)) => (s.excluded_121, s.recognized, s.deferred_1031),
        _ => (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO),
    };
    fx.add_at(
        "section121_with_1031",
        Severity::Warning,
        "home_sale",
        format!(
            "§121 and §1031 together (Rev. Proc. 2005-14): {} excluded, {} recognized, {} deferred. {} The nonqualified-use rule of §121(b)(5) is not applied here.",
            format_usd(excl), format_usd(rec), format_usd(def),
            if f.relinquished.len() == 1 {
                "Lines 20-25, the gain and the replacement basis in this report apply the exclusion first: line 19 shows the whole realized gain and the exclusion is shown on its own line (the Form 8824 instructions' home worksheet, which splits lines 15-25 into a home part and a business part, was not verified; its total is the same)."
            } else {
                "The Form 8824 lines, gain and replacement basis elsewhere in this report do NOT apply the exclusion (several properties were given up): prepare Form 8824 as two worksheets (home part and business part, lines 15-25 each) as the Form 8824 instructions describe, and use the home-sale figures."
            }
        ),
        "Rev. Proc. 2005-14; Instructions for Form 8824, Property used as home",
    );
    Some(res)
}

/// The dates of the seed's "rent the replacement, then move in" plan.
#[derive(Debug, Clone, Serialize)]
pub struct ResidencePlanResult {
    pub property: String,
    pub received: Date,
    /// End of the Rev. Proc. 2008-16 24 months after the exchange: move in from this day.
    pub rental_safe_harbor_until: Date,
    pub move_in: Date,
    /// §121(d)(10): the first day a sale can use §121.
    pub first_section121_sale: Date,
    pub sale: Date,
    /// Years of residence use by the sale (for the 2-of-5 test, §121(a)).
    pub residence_days_by_sale: i32,
    pub use_test_met: bool,
    /// Share of the ownership period before the move-in (nonqualified use, §121(b)(5)):
    /// that share of the gain is not excludable.
    pub nonqualified_use_fraction: Decimal,
}

/// The plan to convert a replacement into a residence: rent it for the 24 months after the
/// exchange (Rev. Proc. 2008-16 §4.03), then live in it at least 2 years (§121(a)), and sell
/// no earlier than 5 years after acquisition (§121(d)(10)). The seed article stops there;
/// §121(b)(5) also makes the share of the ownership period before the move-in (after 2008)
/// nonqualified use whose gain is not excludable, computed here from the date of receipt
/// [U: whether the tacked holding period of §1223(1) counts is not settled here].
pub fn residence_plan(
    f: &ExchangeFile,
    t: &mut Trace,
    fx: &mut Findings,
) -> Option<ResidencePlanResult> {
    let p = f.residence_plan.as_ref()?;
    let r = f.replacement.iter().find(|r| r.id == p.property)?;
    let until = add_months(r.received, 24);
    let move_in = p.move_in.unwrap_or(until);
    let first121 = first_date_outside_5_years(r.received);
    let earliest_use = add_months(move_in, 24);
    let sale = p.sale.unwrap_or(first121.max(earliest_use));
    let residence_days = days_between(move_in, sale);
    let use_ok = sale >= earliest_use;
    let owned = days_between(r.received, sale);
    let nq = if owned > 0 {
        (Decimal::from(days_between(r.received, move_in)) / Decimal::from(owned)).round_dp(4)
    } else {
        Decimal::ZERO
    };
    t.add("homes.plan.move_in_from", "Rent the replacement at fair rent for the 24 months after the exchange (personal use within the safe-harbor limits): move in no earlier than this date", until.to_string(), "Rev. Proc. 2008-16 §4.03", inputs!["received" => r.received]);
    t.add("homes.plan.first_section121_sale", "First sale date that can use §121 for a home acquired in an exchange (5 years beginning on acquisition)", first121.to_string(), "IRC §121(d)(10)", inputs!["received" => r.received]);
    t.add(
        "homes.plan.sale",
        "Planned sale date (default: the later of the 5-year date and 2 years after move-in)",
        sale,
        "IRC §121(a), (d)(10)",
        inputs!["move in" => move_in],
    );
    t.add("homes.plan.nonqualified_use_fraction", "Share of the ownership (from receipt to sale) before the move-in: nonqualified use whose gain is not excludable (rounded to 4 places for display) [U: tacked holding period]", nq.to_string(), "IRC §121(b)(5)", inputs!["days before move-in" => days_between(r.received, move_in), "days owned" => owned]);
    if move_in < until {
        fx.add_at("residence_plan_early_move_in", Severity::Warning, "residence_plan.move_in", format!("Moving in on {move_in}, before {until}, ends the rental use inside the 24 months after the exchange: the replacement falls outside the Rev. Proc. 2008-16 safe harbor and the intent to hold it for investment at the time of the exchange is open to challenge"), RP2008);
    }
    if sale < first121 {
        fx.add_at("section121_five_year_rule", Severity::Warning, "residence_plan.sale", format!("A sale on {sale} is within 5 years of acquiring {} in the exchange: §121 is not available before {first121}", r.id), "IRC §121(d)(10)");
    }
    if !use_ok {
        fx.add_at("section121_not_available", Severity::Warning, "residence_plan.sale", format!("Living there from {move_in} to {sale} is less than the 2 years of use §121 requires"), "IRC §121(a)");
    }
    fx.add_at(
        "residence_plan",
        Severity::Info,
        "residence_plan",
        format!("Converting {} into a residence: rent it until {until}, move in then at the earliest, and sell no earlier than {first121} (and after 2 years of living there). Even then only part of the gain is excludable: {}% of the ownership period before the move-in is nonqualified use (§121(b)(5)), and the gain equal to depreciation is never excluded (§121(d)(6)).", r.id, (nq * Decimal::ONE_HUNDRED).round_dp(2)),
        "Rev. Proc. 2008-16; IRC §121(a), (b)(5), (d)(6), (d)(10)",
    );
    Some(ResidencePlanResult {
        property: r.id.clone(),
        received: r.received,
        rental_safe_harbor_until: until,
        move_in,
        first_section121_sale: first121,
        sale,
        residence_days_by_sale: residence_days,
        use_test_met: use_ok,
        nonqualified_use_fraction: nq,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use rust_decimal_macros::dec;

    #[test]
    fn personal_use_limit_is_greater_of_14_or_10_percent() {
        let d = date(2026, 1, 1);
        assert!(period_test(d, 100, 14).personal_ok);
        assert!(!period_test(d, 100, 15).personal_ok);
        assert!(period_test(d, 155, 15).personal_ok);
        assert!(!period_test(d, 155, 16).personal_ok);
        assert!(!period_test(d, 13, 0).rental_ok);
    }

    #[test]
    fn periods_and_days() {
        assert_eq!(days_in_period(date(2024, 12, 31)), 366);
        assert_eq!(days_in_period(date(2026, 2, 28)), 365);
        assert_eq!(
            required_periods(Role::Relinquished, date(2026, 3, 1)),
            [date(2026, 2, 28), date(2025, 2, 28)]
        );
        assert_eq!(
            required_periods(Role::Replacement, date(2026, 3, 1)),
            [date(2027, 2, 28), date(2028, 2, 29)]
        );
    }

    #[test]
    fn rp2005_14_example_1() {
        let w = rp2005_14(
            dec!(470000),
            dec!(190000),
            dec!(20000),
            dec!(250000),
            dec!(10000),
            dec!(0),
        );
        assert_eq!(w.excluded_121, dec!(250000));
        assert_eq!(w.recognized, dec!(0));
        assert_eq!(w.deferred_1031, dec!(30000));
        assert_eq!(w.basis_replacement, dec!(430000));
        // Boot above the exclusion is recognized.
        let w = rp2005_14(
            dec!(470000),
            dec!(190000),
            dec!(20000),
            dec!(100000),
            dec!(110000),
            dec!(0),
        );
        assert_eq!(w.recognized, dec!(10000));
        assert_eq!(w.deferred_1031, dec!(170000));
    }

    #[test]
    fn use_test_counts_the_last_five_years() {
        let sale = date(2006, 1, 1);
        assert!(two_of_five_years(
            &[(date(2000, 1, 1), date(2004, 1, 1))],
            sale
        ));
        assert!(!two_of_five_years(
            &[(date(2000, 1, 1), date(2002, 1, 1))],
            sale
        ));
    }

    #[test]
    fn five_year_rule() {
        let a = date(2022, 3, 1);
        assert_eq!(first_date_outside_5_years(a), date(2027, 3, 1));
        assert!(!section121_available(a, date(2027, 2, 28), true));
        assert!(section121_available(a, date(2027, 3, 1), true));
        assert!(!section121_available(a, date(2028, 3, 1), false));
    }

    proptest::proptest! {
        #[test]
        fn rp2005_14_invariants(
            ab in 0i64..1_000_000, gain in -200_000i64..1_000_000, dep in 0i64..200_000,
            limit in proptest::sample::select(vec![0i64, 250_000, 500_000]), boot in 0i64..300_000,
        ) {
            let ar = Decimal::from(ab + gain);
            let boot = Decimal::from(boot).min(ar.max(Decimal::ZERO));
            let (ab, dep, limit) = (Decimal::from(ab), Decimal::from(dep), Decimal::from(limit));
            let w = rp2005_14(ar, ab, dep, limit, boot, Decimal::ZERO);
            proptest::prop_assert!(w.excluded_121 <= limit);
            proptest::prop_assert!(w.excluded_121 >= Decimal::ZERO);
            proptest::prop_assert!(w.recognized <= boot);
            proptest::prop_assert!(w.recognized >= Decimal::ZERO);
            // Depreciation gain is never excluded (§121(d)(6)).
            proptest::prop_assert!(w.excluded_121 <= (w.realized_gain - dep).max(Decimal::ZERO));
            // Basis = FMV of the like-kind property received - deferred gain.
            proptest::prop_assert_eq!(w.basis_replacement, ar - boot - w.deferred_1031);
        }

        #[test]
        fn personal_use_limit_is_monotone(rental in 0u32..366, personal in 1u32..366) {
            let d = date(2026, 1, 1);
            if period_test(d, rental, personal).personal_ok {
                proptest::prop_assert!(period_test(d, rental, personal - 1).personal_ok);
                proptest::prop_assert!(period_test(d, rental + 1, personal).personal_ok);
            }
        }
    }
}
