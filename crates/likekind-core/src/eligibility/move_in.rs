//! Moving into a replacement later: rent it through the Rev. Proc. 2008-16 safe-harbor
//! period, live in it two years (§121(a)) and sell no earlier than five years after the
//! exchange (§121(d)(10)); the share of the ownership before the move-in is nonqualified use
//! (§121(b)(5)).

use crate::amount::Amount;
use crate::eligibility::section121::first_date_outside_5_years;
use crate::eligibility::vacation_home::RP2008;
use crate::explain::Trace;
use crate::findings::{Findings, Severity};
use crate::inputs;
use crate::law::cite;
use crate::model::ExchangeFile;
use crate::timing::calendar::{add_months, days_between};
use jiff::civil::Date;
use serde::Serialize;

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
    pub nonqualified_use_fraction: Amount,
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
        (Amount::from(days_between(r.received, move_in)) / Amount::from(owned)).round_dp(4)
    } else {
        Amount::ZERO
    };
    crate::step!(
        t,
        "homes.plan.move_in_from",
        "Rent the replacement at fair rent for the 24 months after the exchange (personal use within the safe-harbor limits): move in no earlier than this date",
        until.to_string(),
        cite!(REV_PROC_2008_16 " §4.03"),
        inputs!["received" => r.received]
    );
    crate::step!(
        t,
        "homes.plan.first_section121_sale",
        "First sale date that can use §121 for a home acquired in an exchange (5 years beginning on acquisition)",
        first121.to_string(),
        cite!(IRC_121 "(d)(10)"),
        inputs!["received" => r.received]
    );
    crate::step!(
        t,
        "homes.plan.sale",
        "Planned sale date (default: the later of the 5-year date and 2 years after move-in)",
        sale,
        cite!(IRC_121 "(a), (d)(10)"),
        inputs!["move in" => move_in],
    );
    crate::step!(
        t,
        "homes.plan.nonqualified_use_fraction",
        "Share of the ownership (from receipt to sale) before the move-in: nonqualified use whose gain is not excludable (rounded to 4 places for display) [U: tacked holding period]",
        nq.to_string(),
        cite!(IRC_121 "(b)(5)"),
        inputs!["days before move-in" => days_between(r.received, move_in), "days owned" => owned]
    );
    let res = ResidencePlanResult {
        property: r.id.to_string(),
        received: r.received,
        rental_safe_harbor_until: until,
        move_in,
        first_section121_sale: first121,
        sale,
        residence_days_by_sale: residence_days,
        use_test_met: use_ok,
        nonqualified_use_fraction: nq,
    };
    plan_findings(&res, fx);
    Some(res)
}

/// What the plan risks (a move-in inside the safe harbor, a sale before §121 is available or
/// after too little use) and the plan itself, in words.
fn plan_findings(p: &ResidencePlanResult, fx: &mut Findings) {
    let (move_in, until, sale, first121) = (
        p.move_in,
        p.rental_safe_harbor_until,
        p.sale,
        p.first_section121_sale,
    );
    let (use_ok, nq) = (p.use_test_met, p.nonqualified_use_fraction);
    if move_in < until {
        crate::finding_at!(
            fx,
            "residence_plan_early_move_in",
            Severity::Warning,
            "residence_plan.move_in",
            format!(
                "Moving in on {move_in}, before {until}, ends the rental use inside the 24 months after the exchange: the replacement falls outside the Rev. Proc. 2008-16 safe harbor and the intent to hold it for investment at the time of the exchange is open to challenge"
            ),
            RP2008
        );
    }
    if sale < first121 {
        crate::finding_at!(
            fx,
            "section121_five_year_rule",
            Severity::Warning,
            "residence_plan.sale",
            format!(
                "A sale on {sale} is within 5 years of acquiring {} in the exchange: §121 is not available before {first121}",
                p.property
            ),
            cite!(IRC_121 "(d)(10)")
        );
    }
    if !use_ok {
        crate::finding_at!(
            fx,
            "section121_not_available",
            Severity::Warning,
            "residence_plan.sale",
            format!(
                "Living there from {move_in} to {sale} is less than the 2 years of use §121 requires"
            ),
            cite!(IRC_121 "(a)")
        );
    }
    crate::finding_at!(
        fx,
        "residence_plan",
        Severity::Info,
        "residence_plan",
        format!(
            "Converting {} into a residence: rent it until {until}, move in then at the earliest, and sell no earlier than {first121} (and after 2 years of living there). Even then only part of the gain is excludable: {}% of the ownership period before the move-in is nonqualified use (§121(b)(5)), and the gain equal to depreciation is never excluded (§121(d)(6)).",
            p.property,
            (nq * Amount::ONE_HUNDRED).round_dp(2)
        ),
        cite!(REV_PROC_2008_16; IRC_121 "(a), (b)(5), (d)(6), (d)(10)"),
    );
}
