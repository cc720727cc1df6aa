//! Cross-field rules on an [`ExchangeFile`]: every broken rule is reported, not only the
//! first, each with its field path. Syntax was already checked while parsing.

pub mod eligibility;

use crate::amount::Amount;
pub use crate::input::errors::{Errors, LazyPath};
use crate::input::errors::{InputErrors, Item};
use crate::model::{Entity, ExchangeFile, ExchangeType, Location, LocationKind, Reverse};
use crate::timing::calendar::{FIRST_SUPPORTED, YearEnd, checked_add_days, checked_add_months};
use crate::timing::due_date::checked_return_due_date;
use jiff::civil::Date;

/// Records `id` and says whether it was new. A linear scan: a file lists a handful of
/// properties (a 95%-rule identification a few hundred at most), where hashing costs more.
fn first_time<'a>(seen: &mut Vec<&'a str>, id: &'a str) -> bool {
    if seen.contains(&id) {
        false
    } else {
        seen.push(id);
        true
    }
}

/// The location rule's message, or `None` for a valid code (checked without allocating).
fn location_error(s: &str) -> Option<String> {
    if LocationKind::of(s).is_some() {
        return None;
    }
    Location::parse(s).err()
}

/// The most properties a list of the exchange file may hold (`relinquished`, `replacement`,
/// `other_property_given`, `other_property_received`, `plan.other_gains`). With
/// [`crate::money::MAX_AMOUNT`] this bounds every sum the engine forms (the
/// arithmetic is worked out at `MAX_AMOUNT`).
pub const MAX_PROPERTIES: usize = 100;

/// The most entries of `identified` (a 95%-rule identification may list hundreds; their FMVs
/// are only summed and compared, so 1000 × `MAX_AMOUNT` stays far from overflow) and of the
/// lists that hold no money (usage periods, questionnaires, QI services).
pub const MAX_IDENTIFIED: usize = 1000;

/// The most the plan's growth assumption may multiply an amount by over its horizon:
/// (1 + growth)^horizon ≤ 1e10 (e.g. 25% a year for 100 years, or 100% a year for 33).
/// With the amount limits, a projected figure stays below 2.4e24 and a sum of a century of
/// them below 2.4e26, well inside `Decimal` (7.9e28).
pub const MAX_GROWTH_FACTOR: Amount = Amount::from_parts(1410065408, 2, 0, false, 0);

/// Checks that growing an amount by `growth_pct` a year for `horizon_years` stays within
/// [`MAX_GROWTH_FACTOR`] (a horizon outside 1-100 years or a growth rate outside (-100, 100]
/// is the plan's own rule and passes here).
///
/// # Errors
/// The message of the rule, for the caller to attach to its field path.
pub fn check_plan_growth(growth_pct: Amount, horizon_years: i64) -> Result<(), String> {
    if growth_pct <= Amount::ZERO || horizon_years <= 0 {
        return Ok(());
    }
    let step = Amount::ONE + growth_pct / Amount::ONE_HUNDRED;
    let mut factor = Amount::ONE;
    for _ in 0..horizon_years.min(crate::plan::assumptions::MAX_HORIZON_YEARS) {
        factor = match factor.checked_mul(step) {
            Some(v) if v <= MAX_GROWTH_FACTOR => v,
            _ => {
                return Err(format!(
                    "growing {growth_pct}% a year for {horizon_years} years multiplies an amount by more than 10,000,000,000, beyond what the projection computes exactly: lower the growth rate or the horizon"
                ));
            }
        };
    }
    Ok(())
}

/// The list-length limits ([`MAX_PROPERTIES`], [`MAX_IDENTIFIED`]). A list over its limit
/// stops validation there: the other rules would only repeat on absurd input.
fn list_limits(f: &ExchangeFile, e: &mut Errors) {
    let mut check = |path: &str, n: usize, max: usize| {
        if n > max {
            e.push(
                path,
                "max_items",
                format!(
                    "{n} entries: at most {max} are accepted (so that every sum and product of amounts the engine forms stays exact)"
                ),
            );
        }
    };
    check("relinquished", f.relinquished.len(), MAX_PROPERTIES);
    check("replacement", f.replacement.len(), MAX_PROPERTIES);
    check(
        "other_property_given",
        f.other_property_given.len(),
        MAX_PROPERTIES,
    );
    check(
        "other_property_received",
        f.other_property_received.len(),
        MAX_PROPERTIES,
    );
    check("identified", f.identified.len(), MAX_IDENTIFIED);
    check("dst", f.dst.len(), MAX_IDENTIFIED);
    check("tic", f.tic.len(), MAX_IDENTIFIED);
    for (i, q) in f.tic.iter().enumerate() {
        check(
            &format!("tic[{i}].inherited_groups"),
            q.inherited_groups.len(),
            MAX_IDENTIFIED,
        );
    }
    for (i, r) in f.relinquished.iter().enumerate() {
        check(
            &format!("relinquished[{i}].usage"),
            r.usage.len(),
            MAX_IDENTIFIED,
        );
    }
    for (i, r) in f.replacement.iter().enumerate() {
        check(
            &format!("replacement[{i}].usage"),
            r.usage.len(),
            MAX_IDENTIFIED,
        );
    }
    if let Some(q) = &f.qualified_intermediary {
        check(
            "qualified_intermediary.services",
            q.services.len(),
            MAX_IDENTIFIED,
        );
    }
    if let Some(p) = &f.plan {
        check("plan.other_gains", p.other_gains.len(), MAX_PROPERTIES);
    }
}

/// A date of the file with its path (made only when needed), when the file gives it.
type DateSink<'a> = dyn FnMut(&dyn Fn() -> String, Option<Date>) + 'a;

/// Every date of the file with its path, for the range rules.
fn all_dates(f: &ExchangeFile, mut each: impl FnMut(&dyn Fn() -> String, Date)) {
    let mut opt = |p: &dyn Fn() -> String, d: Option<Date>| {
        if let Some(d) = d {
            each(p, d);
        }
    };
    property_dates(f, &mut opt);
    situation_dates(f, &mut opt);
    if let Some(r) = &f.reverse {
        reverse_dates(r, &mut opt);
    }
    if let Some(p) = &f.plan {
        plan_dates(p, &mut opt);
    }
}

/// The dates of the exchange, its sales, identifications and purchases.
fn property_dates(f: &ExchangeFile, opt: &mut DateSink<'_>) {
    opt(&|| "exchange.as_of".into(), f.exchange.as_of);
    opt(
        &|| "exchange.funds_released_on".into(),
        f.exchange.funds_released_on,
    );
    for (i, r) in f.relinquished.iter().enumerate() {
        opt(&|| format!("relinquished[{i}].acquired"), Some(r.acquired));
        opt(
            &|| format!("relinquished[{i}].transferred"),
            Some(r.transferred),
        );
        opt(
            &|| format!("relinquished[{i}].placed_in_service"),
            r.placed_in_service,
        );
        for (k, u) in r.usage.iter().enumerate() {
            opt(
                &|| format!("relinquished[{i}].usage[{k}].period_ending"),
                Some(u.period_ending),
            );
        }
    }
    for (i, d) in f.identified.iter().enumerate() {
        opt(
            &|| format!("identified[{i}].identified_on"),
            Some(d.identified_on),
        );
        opt(&|| format!("identified[{i}].revoked_on"), d.revoked_on);
    }
    for (i, r) in f.replacement.iter().enumerate() {
        opt(&|| format!("replacement[{i}].received"), Some(r.received));
        opt(
            &|| format!("replacement[{i}].placed_in_service"),
            r.placed_in_service,
        );
        for (k, u) in r.usage.iter().enumerate() {
            opt(
                &|| format!("replacement[{i}].usage[{k}].period_ending"),
                Some(u.period_ending),
            );
        }
    }
}

/// The dates of the special situations: related party, eligibility, home sale, residence
/// plan, intermediary's services, death and disaster.
fn situation_dates(f: &ExchangeFile, opt: &mut DateSink<'_>) {
    if let Some(rp) = &f.related_party {
        opt(&|| "related_party.disposed_on".into(), rp.disposed_on);
    }
    if let Some(el) = &f.eligibility {
        opt(
            &|| "eligibility.planned_sale_of_replacement".into(),
            el.planned_sale_of_replacement,
        );
    }
    if let Some(h) = &f.home_sale {
        opt(
            &|| "home_sale.acquired_in_exchange_on".into(),
            h.acquired_in_exchange_on,
        );
    }
    if let Some(p) = &f.residence_plan {
        opt(&|| "residence_plan.move_in".into(), p.move_in);
        opt(&|| "residence_plan.sale".into(), p.sale);
    }
    if let Some(q) = &f.qualified_intermediary {
        for (i, s) in q.services.iter().enumerate() {
            opt(
                &|| format!("qualified_intermediary.services[{i}].last_on"),
                Some(s.last_on),
            );
        }
    }
    if let Some(d) = &f.death {
        opt(&|| "death.date".into(), Some(d.date));
    }
    if let Some(d) = &f.disaster {
        opt(&|| "disaster.disaster_date".into(), d.disaster_date);
        opt(&|| "disaster.declared_on".into(), d.declared_on);
        opt(&|| "disaster.postponement_date".into(), d.postponement_date);
    }
}

/// The dates of a reverse exchange.
fn reverse_dates(r: &Reverse, opt: &mut DateSink<'_>) {
    for (name, v) in [
        (
            "qualified_indicia_transferred",
            r.qualified_indicia_transferred,
        ),
        ("qeaa_signed", r.qeaa_signed),
        ("relinquished_identified_on", r.relinquished_identified_on),
        (
            "taxpayer_last_owned_replacement_on",
            r.taxpayer_last_owned_replacement_on,
        ),
        ("eat_transferred_on", r.eat_transferred_on),
    ] {
        opt(&|| format!("reverse.{name}"), v);
    }
}

/// The dates of the plan: the fund investment and the other gains.
fn plan_dates(p: &crate::plan::assumptions::PlanBlock, opt: &mut DateSink<'_>) {
    opt(&|| "plan.qof_investment_date".into(), p.qof_investment_date);
    for (i, g) in p.other_gains.iter().enumerate() {
        opt(
            &|| format!("plan.other_gains[{i}].recognized_on"),
            Some(g.recognized_on),
        );
        opt(
            &|| format!("plan.other_gains[{i}].entity_year_end"),
            g.entity_year_end,
        );
        opt(
            &|| format!("plan.other_gains[{i}].entity_return_due"),
            g.entity_return_due,
        );
    }
}

/// From this date on, derived deadlines are checked against the end of the calendar.
const NEAR_THE_END: jiff::civil::Date = jiff::civil::date(9990, 1, 1);

/// The date-range rules: no date before [`FIRST_SUPPORTED`], and no date whose
/// derived deadlines would fall after 9999-12-31 (the last date there is), so that no
/// deadline is ever clamped to a day before its start.
fn date_limits(f: &ExchangeFile, e: &mut Errors) {
    const RULE: &str = "date_range";
    all_dates(f, |p, d| {
        if d < FIRST_SUPPORTED {
            e.push(
                p(),
                RULE,
                format!(
                    "{d} is too early: dates before 0001-01-01 are not supported (the engine looks back up to five years from a date)"
                ),
            );
        }
    });
    let ye = YearEnd::parse(&f.taxpayer.tax_year_end).unwrap_or(YearEnd::CALENDAR);
    let late = |what: &str| format!("too late: {what} would end after 9999-12-31");
    for (i, r) in f.relinquished.iter().enumerate() {
        // Before 9990 every deadline of a transfer (at most two years on) is representable:
        // the due-date computation is done only near the end of the calendar.
        if r.transferred >= FIRST_SUPPORTED
            && r.transferred >= NEAR_THE_END
            && let Err(m) = check_transfer_date(f.taxpayer.entity, ye, r.transferred)
        {
            e.push(format!("relinquished[{i}].transferred"), RULE, m);
        }
    }
    for (i, r) in f.replacement.iter().enumerate() {
        if r.received >= NEAR_THE_END && ye.checked_year_end_containing(r.received).is_none() {
            e.push(
                format!("replacement[{i}].received"),
                RULE,
                late("the tax year that contains it"),
            );
        }
    }
    if let Some(d) = f.exchange.funds_released_on
        && d >= NEAR_THE_END
        && ye.checked_year_end_containing(d).is_none()
    {
        e.push(
            "exchange.funds_released_on",
            RULE,
            late("the tax year that contains it"),
        );
    }
    if let Some(q) = f
        .reverse
        .as_ref()
        .and_then(|r| r.qualified_indicia_transferred)
        && checked_add_days(q, 180).is_none()
    {
        e.push(
            "reverse.qualified_indicia_transferred",
            RULE,
            late("the 180-day period of Rev. Proc. 2000-37 §4.2(5)"),
        );
    }
    if let Some(rp) = &f.related_party {
        let window = late("the two-year related-party period (IRC §1031(f)(1)(C))");
        let mut all_fit = true;
        for (i, r) in f.relinquished.iter().enumerate() {
            if checked_add_months(r.transferred, 24).is_none() {
                all_fit = false;
                e.push(
                    format!("relinquished[{i}].transferred"),
                    RULE,
                    window.clone(),
                );
            }
        }
        for (i, r) in f.replacement.iter().enumerate() {
            if checked_add_months(r.received, 24).is_none() {
                all_fit = false;
                e.push(format!("replacement[{i}].received"), RULE, window.clone());
            }
        }
        let last = f
            .relinquished
            .iter()
            .map(|r| r.transferred)
            .chain(f.replacement.iter().map(|r| r.received))
            .max();
        if all_fit
            && let Some(last) = last
            && checked_add_months(last, 24)
                .and_then(|d| checked_add_days(d, i64::from(rp.suspended_days)))
                .is_none()
        {
            e.push(
                "related_party.suspended_days",
                RULE,
                format!(
                    "{} days: the two-year related-party period extended by them (IRC §1031(g)) would end after 9999-12-31",
                    rp.suspended_days
                ),
            );
        }
    }
}

/// Checks that every deadline of a transfer on `t` can be represented: no earlier than
/// 0001-01-01, and day 180 and the due date of the return for its tax year (with the
/// extension, and moved by IRC §7503) no later than 9999-12-31. Shared by validation and the
/// `deadlines` command.
///
/// # Errors
/// The rule's message (`too early: ...` / `too late: ...`).
pub fn check_transfer_date(entity: Entity, ye: YearEnd, t: Date) -> Result<(), String> {
    if t < FIRST_SUPPORTED {
        return Err(format!(
            "{t} is too early: dates before 0001-01-01 are not supported (the engine looks back up to five years from a date)"
        ));
    }
    if checked_add_days(t, 180).is_none() {
        return Err(
            "too late: the 180-day exchange period (IRC §1031(a)(3)(B)(i)) would end after 9999-12-31"
                .into(),
        );
    }
    if checked_return_due_date(entity, ye, t).is_err() {
        return Err("too late: the return for the tax year of this transfer would be due after 9999-12-31 (its due date, with the extension, can end the exchange period: IRC §1031(a)(3)(B)(ii))".into());
    }
    Ok(())
}

/// The plan block's growth over its horizon (see [`check_plan_growth`]).
fn plan_limits(f: &ExchangeFile, e: &mut Errors) {
    let Some(p) = &f.plan else { return };
    if p.growth_pct.is_none() && p.horizon_years.is_none() {
        return;
    }
    let growth = p
        .growth_pct
        .or_else(|| crate::plan::assumptions::defaults::GROWTH_PCT.parse().ok())
        .unwrap_or(Amount::ZERO);
    let horizon = p
        .horizon_years
        .unwrap_or(crate::plan::assumptions::defaults::HORIZON_YEARS);
    if let Err(m) = check_plan_growth(growth, horizon) {
        e.push(
            if p.growth_pct.is_some() {
                "plan.growth_pct"
            } else {
                "plan.horizon_years"
            },
            "growth_range",
            m,
        );
    }
}

/// Checks every cross-field rule of the contract.
///
/// # Errors
/// All broken rules, each naming its field path and rule.
pub fn validate(f: &ExchangeFile) -> Result<(), InputErrors> {
    let mut e = Errors::default();
    // limits that keep every computation representable (never a panic).
    list_limits(f, &mut e);
    if !e.0.is_empty() {
        return e.finish();
    }
    date_limits(f, &mut e);
    plan_limits(f, &mut e);
    if f.relinquished.is_empty() {
        e.push(
            "relinquished",
            "required",
            "at least one [[relinquished]] property is required: an exchange gives something up",
        );
    }
    crate::timing::calendar::validate_year_end(&f.taxpayer.tax_year_end, &mut e);

    let ids = relinquished_rules(f, &mut e);
    let earliest = f.first_transfer();
    replacement_rules(f, &ids, earliest, &mut e);
    identified_rules(f, &mut e);
    other_property_rules(f, &mut e);
    eligibility::check(f, &mut e);
    special_situations(f, &mut e);
    deadline_blocks(f, &mut e);
    related_party_rules(f, earliest, &mut e);
    // planner
    if let Some(p) = &f.plan {
        crate::plan::assumptions::validate_block(p, &mut e);
    }
    e.finish()
}

/// Each relinquished property: its id once, its location, its dates in order, no negative
/// amount, the parts of its depreciation within the whole. Returns the ids.
fn relinquished_rules<'a>(f: &'a ExchangeFile, e: &mut Errors) -> Vec<&'a str> {
    let mut ids: Vec<&str> = Vec::with_capacity(f.relinquished.len());
    for (i, r) in f.relinquished.iter().enumerate() {
        let p = Item("relinquished", i);
        if r.id.trim().is_empty() {
            e.push(format!("{p}.id"), "required", "an id is required");
        } else if !first_time(&mut ids, &r.id) {
            e.push(
                format!("{p}.id"),
                "unique",
                format!("id {:?} is used twice", r.id),
            );
        }
        if let Some(m) = location_error(&r.location) {
            e.push(format!("{p}.location"), "location", m);
        }
        if r.acquired > r.transferred {
            e.push(
                format!("{p}.acquired"),
                "date_order",
                format!(
                    "acquired {} is after transferred {}: a property is acquired before it is given up",
                    r.acquired, r.transferred
                ),
            );
        }
        for (name, v) in [
            ("sale_price", r.sale_price),
            ("adjusted_basis", r.adjusted_basis),
            ("depreciation_allowed", r.depreciation_allowed),
            ("additional_depreciation", r.additional_depreciation),
            ("section1245_depreciation", r.section1245_depreciation),
            ("liabilities_relieved", r.liabilities_relieved),
            ("exchange_expenses", r.exchange_expenses),
            ("other_closing_costs", r.other_closing_costs),
        ] {
            e.non_negative(|| format!("{p}.{name}"), v);
        }
        if let Some(c) = r.cash_received {
            e.non_negative(|| format!("{p}.cash_received"), c);
        }
        if let Some(a) = r.liabilities_assumed_by_buyer {
            e.non_negative(|| format!("{p}.liabilities_assumed_by_buyer"), a);
            if a > r.liabilities_relieved {
                e.push(
                    format!("{p}.liabilities_assumed_by_buyer"),
                    "assumed_within_relieved",
                    format!(
                        "liabilities_assumed_by_buyer {a} exceeds liabilities_relieved {}: the buyer can assume only debt the sale relieved",
                        r.liabilities_relieved
                    ),
                );
            }
        }
        if r.additional_depreciation + r.section1245_depreciation > r.depreciation_allowed {
            e.push(
                format!("{p}.depreciation_allowed"),
                "depreciation_parts",
                format!(
                    "additional_depreciation ({}) plus section1245_depreciation ({}) exceed depreciation_allowed ({}): they are parts of it",
                    r.additional_depreciation, r.section1245_depreciation, r.depreciation_allowed
                ),
            );
        }
    }

    ids
}

/// Each replacement property: its id once (and not a relinquished one's), its location, no
/// negative amount, its parts within its price, received after the first transfer.
fn replacement_rules(f: &ExchangeFile, ids: &[&str], earliest: Option<Date>, e: &mut Errors) {
    let mut rids: Vec<&str> = Vec::with_capacity(f.replacement.len());
    for (i, r) in f.replacement.iter().enumerate() {
        let p = Item("replacement", i);
        if r.id.trim().is_empty() {
            e.push(format!("{p}.id"), "required", "an id is required");
        } else if !first_time(&mut rids, &r.id) || ids.contains(&r.id.as_str()) {
            e.push(
                format!("{p}.id"),
                "unique",
                format!("id {:?} is used twice", r.id),
            );
        }
        if let Some(m) = location_error(&r.location) {
            e.push(format!("{p}.location"), "location", m);
        }
        for (name, v) in [
            ("price", r.price),
            ("liabilities_assumed", r.liabilities_assumed),
            ("exchange_expenses", r.exchange_expenses),
            ("other_closing_costs", r.other_closing_costs),
            ("personal_property", r.personal_property),
            ("section1245_value", r.section1245_value),
        ] {
            e.non_negative(|| format!("{p}.{name}"), v);
        }
        if let Some(c) = r.cash_paid {
            e.non_negative(|| format!("{p}.cash_paid"), c);
        }
        if let Some(l) = r.land_value {
            e.non_negative(|| format!("{p}.land_value"), l);
            if l > r.price {
                e.push(
                    format!("{p}.land_value"),
                    "land_within_price",
                    format!("land_value {l} exceeds price {}", r.price),
                );
            }
        }
        // A negative price is refused above on its own: its parts cannot be judged against it
        // (the check would only repeat that problem on a field the person may not have
        // filled in, e.g. the calculator's, which has no §1245 value).
        if r.price >= crate::Amount::ZERO
            && r.section1245_value + r.land_value.unwrap_or_default() > r.price
        {
            e.push(
                format!("{p}.section1245_value"),
                "components_within_price",
                "section1245_value plus land_value exceed price: they are parts of it",
            );
        }
        if let Some(t) = earliest {
            if r.received < t && f.exchange.kind != ExchangeType::Reverse {
                e.push(
                    format!("{p}.received"),
                    "date_order",
                    format!(
                        "received {} is before the first transfer {t}: in a {} exchange the replacement comes after the sale (a reverse exchange is `type = \"reverse\"`)",
                        r.received,
                        match f.exchange.kind {
                            ExchangeType::Simultaneous => "simultaneous",
                            ExchangeType::Improvement => "improvement",
                            _ => "delayed",
                        }
                    ),
                );
            }
        }
    }
}

/// Each identification: its id once, no negative amount, a revocation after it.
fn identified_rules(f: &ExchangeFile, e: &mut Errors) {
    let mut iids: Vec<&str> = Vec::with_capacity(f.identified.len());
    for (i, d) in f.identified.iter().enumerate() {
        let p = Item("identified", i);
        if d.id.trim().is_empty() {
            e.push(format!("{p}.id"), "required", "an id is required");
        } else if !first_time(&mut iids, &d.id) {
            e.push(
                format!("{p}.id"),
                "unique",
                format!("id {:?} is identified twice", d.id),
            );
        }
        e.non_negative(|| format!("{p}.fmv"), d.fmv);
        e.non_negative(
            || format!("{p}.incidental_personal_property"),
            d.incidental_personal_property,
        );
        // An identification dated before the first transfer is valid input: Treas. Reg.
        // §1.1031(k)-1(c)(2) allows identification in the written exchange agreement, and
        // (b)(2)(i) and (c)(1) only require it "on or before the end of the identification
        // period", which (b)(2)(i) starts at the transfer.
        if let Some(rv) = d.revoked_on {
            if rv < d.identified_on {
                e.push(
                    format!("{p}.revoked_on"),
                    "date_order",
                    format!(
                        "revoked_on {rv} is before identified_on {}",
                        d.identified_on
                    ),
                );
            }
        }
    }
}

/// Other property given and received: no negative amount.
fn other_property_rules(f: &ExchangeFile, e: &mut Errors) {
    for (i, o) in f.other_property_given.iter().enumerate() {
        e.non_negative(|| format!("other_property_given[{i}].fmv"), o.fmv);
        e.non_negative(
            || format!("other_property_given[{i}].adjusted_basis"),
            o.adjusted_basis,
        );
        if let Some(d) = o.depreciation_allowed {
            e.non_negative(
                || format!("other_property_given[{i}].depreciation_allowed"),
                d,
            );
        }
    }
    for (i, o) in f.other_property_received.iter().enumerate() {
        e.non_negative(|| format!("other_property_received[{i}].fmv"), o.fmv);
    }
}

/// A related party: its relationship, and a disposition after the exchange.
fn related_party_rules(f: &ExchangeFile, earliest: Option<Date>, e: &mut Errors) {
    if let Some(rp) = &f.related_party {
        if rp.relationship.trim().is_empty() {
            e.push(
                "related_party.relationship",
                "required",
                "a related party needs its relationship (§267(b) / §707(b)(1)), e.g. \"sibling\"",
            );
        }
        if let (Some(d), Some(t)) = (rp.disposed_on, earliest) {
            if d < t {
                e.push(
                    "related_party.disposed_on",
                    "date_order",
                    format!("disposed_on {d} is before the exchange's first transfer {t}"),
                );
            }
        }
    }
}

/// The optional depreciation, straddle and death fields.
fn special_situations(f: &ExchangeFile, e: &mut Errors) {
    for (i, r) in f.relinquished.iter().enumerate() {
        let p = Item("relinquished", i);
        if let Some(b) = r.depreciable_basis {
            e.non_negative(|| format!("{p}.depreciable_basis"), b);
            if r.depreciation_allowed > b {
                e.push(
                    format!("{p}.depreciation_allowed"),
                    "depreciation_within_basis",
                    format!(
                        "depreciation_allowed ({}) is larger than the depreciable basis ({b}): depreciation can never exceed the basis it recovers (IRC §§167(c), 168)",
                        r.depreciation_allowed
                    ),
                );
            }
        }
        if let Some(y) = r.recovery_years
            && (y < Amount::ONE || y > Amount::from(50))
        {
            e.push(
                format!("{p}.recovery_years"),
                "recovery_years",
                format!(
                    "recovery_years must be a MACRS period in years from 1 to 50, e.g. 27.5 or 39 (got {y})"
                ),
            );
        }
        if let Some(d) = r.placed_in_service {
            if d > r.transferred {
                e.push(
                    format!("{p}.placed_in_service"),
                    "date_order",
                    format!(
                        "placed_in_service {d} is after transferred {}",
                        r.transferred
                    ),
                );
            }
            if d < r.acquired {
                e.push(format!("{p}.placed_in_service"), "date_order", format!("placed_in_service {d} is before acquired {}: a property is placed in service after it is acquired", r.acquired));
            }
        }
    }
    for (i, r) in f.replacement.iter().enumerate() {
        let p = Item("replacement", i);
        if let Some(y) = r.recovery_years
            && (y < Amount::ONE || y > Amount::from(50))
        {
            e.push(
                format!("{p}.recovery_years"),
                "recovery_years",
                format!(
                    "recovery_years must be a MACRS period in years from 1 to 50, e.g. 27.5 or 39 (got {y})"
                ),
            );
        }
        if let Some(d) = r.placed_in_service
            && d < r.received
        {
            e.push(format!("{p}.placed_in_service"), "date_order", format!("placed_in_service {d} is before received {}: property is placed in service once you hold it", r.received));
        }
    }
    let first = f.first_transfer();
    if let (Some(d), Some(t)) = (f.exchange.funds_released_on, first)
        && d < t
    {
        e.push(
            "exchange.funds_released_on",
            "date_order",
            format!("funds_released_on {d} is before the first transfer {t}"),
        );
    }
    if let Some(dd) = &f.death {
        e.non_negative("death.fmv_at_death", dd.fmv_at_death);
        if let Some(a) = dd.alternate_valuation {
            e.non_negative("death.alternate_valuation", a);
        }
        if let Some(t) = first
            && dd.date < t
        {
            e.push("death.date", "date_order", format!("death.date {} is before the exchange's first transfer {t}: this block describes a death after the exchange", dd.date));
        } else if let Some(r) = f
            .replacement
            .iter()
            .filter(|r| r.received > dd.date)
            .max_by_key(|r| r.received)
        {
            // §1014 steps up property the decedent held at death; a death between the sale
            // and the receipt leaves a claim to the exchange funds, whose gain may be income in
            // respect of a decedent (§691, §1014(c)): not this block's computation.
            e.push("death.date", "date_order", format!("death.date {} is before {} was received on {}: this block describes the step-up of a replacement the owner held at death (IRC §1014(a)); a death during the exchange period is not computed here (the gain on the owner's sale may be income in respect of a decedent, IRC §691 and §1014(c), and whether the estate's completion of the exchange defers it is not settled)", dd.date, r.id, r.received));
        }
    }
}

/// The optional blocks of the deadlines work: `[disaster]`, `[reverse]`, improvements.
fn deadline_blocks(f: &ExchangeFile, e: &mut Errors) {
    if let Some(d) = &f.disaster {
        const RULE: &str = "rev_proc_2018_58";
        if d.disaster_date.is_none() {
            e.push(
                "disaster.disaster_date",
                RULE,
                "a [disaster] block needs disaster_date: the date the disaster began as stated in the IRS notice (Rev. Proc. 2018-58 §17 postpones only deadlines falling on or after it)",
            );
        }
        if d.postponement_date.is_none() {
            e.push(
                "disaster.postponement_date",
                RULE,
                "a [disaster] block needs postponement_date: the general postponement date of the IRS notice or news release (Rev. Proc. 2018-58 §17 postpones to the later of 120 days and that date)",
            );
        }
        if let (Some(a), Some(b)) = (d.disaster_date, d.postponement_date)
            && b < a
        {
            e.push(
                "disaster.postponement_date",
                "date_order",
                format!("postponement_date {b} is before disaster_date {a}"),
            );
        }
        if let (Some(a), Some(b)) = (d.declared_on, d.disaster_date)
            && a < b
        {
            e.push(
                    "disaster.declared_on",
                    "date_order",
                    format!("declared_on {a} is before disaster_date {b}: a disaster is declared after it begins"),
                );
        }
    }
    if let Some(r) = &f.reverse {
        const RULE: &str = "rev_proc_2000_37";
        if f.exchange.kind != ExchangeType::Reverse {
            e.push(
                "reverse",
                RULE,
                "a [reverse] block describes a parking arrangement: set [exchange] type = \"reverse\"",
            );
        }
        match r.qualified_indicia_transferred {
            None => e.push(
                "reverse.qualified_indicia_transferred",
                RULE,
                "a [reverse] block needs qualified_indicia_transferred: the date the EAT received qualified indicia of ownership, from which the 5-business-day, 45-day and 180-day deadlines run",
            ),
            Some(q) => {
                for (name, v) in [
                    ("qeaa_signed", r.qeaa_signed),
                    ("relinquished_identified_on", r.relinquished_identified_on),
                    ("eat_transferred_on", r.eat_transferred_on),
                ] {
                    if let Some(v) = v && v < q && name != "qeaa_signed" {
                            e.push(
                                format!("reverse.{name}"),
                                "date_order",
                                format!("{name} {v} is before qualified_indicia_transferred {q}"),
                            );
                        }
                }
                if let Some(l) = r.taxpayer_last_owned_replacement_on && l > q {
                        e.push(
                            "reverse.taxpayer_last_owned_replacement_on",
                            "date_order",
                            format!("taxpayer_last_owned_replacement_on {l} is after qualified_indicia_transferred {q}"),
                        );
                    }
            }
        }
    }
    improvement_rules(f, e);
    for (k, i) in f.identified.iter().enumerate() {
        if i.incidental_personal_property > i.fmv {
            e.push(
                format!("identified[{k}].incidental_personal_property"),
                "within_fmv",
                "incidental_personal_property is part of fmv and cannot exceed it",
            );
        }
    }
}

/// The improvements of an improvement exchange: amounts, within the price that includes
/// them, and the ones in place only with the ones identified (Treas. Reg. §1.1031(k)-1(e)(2)-(4)).
fn improvement_rules(f: &ExchangeFile, e: &mut Errors) {
    for (k, r) in f.replacement.iter().enumerate() {
        // `price` includes the improvements (built or to be built): neither can exceed it.
        for (name, v) in [
            ("improvements_identified", r.improvements_identified),
            ("improvements_in_place", r.improvements_in_place),
        ] {
            if let Some(v) = v.filter(|v| *v > r.price && r.price >= crate::Amount::ZERO) {
                e.push(
                    format!("replacement[{k}].{name}"),
                    "within_price",
                    format!(
                        "{name} {v} exceeds price {}: the price includes the improvements",
                        r.price
                    ),
                );
            }
        }
        if let Some(v) = r.improvements_identified {
            e.non_negative(|| format!("replacement[{k}].improvements_identified"), v);
        }
        if let Some(v) = r.improvements_in_place {
            e.non_negative(|| format!("replacement[{k}].improvements_in_place"), v);
            if r.improvements_identified.is_none() {
                e.push(
                    format!("replacement[{k}].improvements_identified"),
                    "required",
                    "improvements_in_place needs improvements_identified (the improvements as identified, Reg. 1.1031(k)-1(e)(2))",
                );
            }
        }
    }
}
