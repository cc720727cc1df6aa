//! The input rules of the eligibility blocks: related parties, the usage of dwellings, the
//! DST and TIC questionnaires, the home sale, the plan to move in, the qualified intermediary
//! and a planned sale. Contradictions are errors with their paths; the order of the rules is
//! the order the errors are listed in.

use crate::amount::Amount;
use crate::input::errors::{Errors, Item};
use crate::model::{ExchangeFile, Interest, UsagePeriod};
use std::collections::HashSet;

/// Every rule of the eligibility blocks, in order.
pub fn check(f: &ExchangeFile, e: &mut Errors) {
    related_party(f, e);
    usage_periods(f, e);
    ownership_questionnaires(f, e);
    home_sale(f, e);
    residence_plan(f, e);
    qualified_intermediary(f, e);
    planned_sale(f, e);
}

/// The related-party block: a known relationship (§267(b), §707(b)(1)), and a disposition date
/// for the facts that describe the disposition.
fn related_party(f: &ExchangeFile, e: &mut Errors) {
    if let Some(rp) = &f.related_party {
        if !rp.relationship.trim().is_empty()
            && let Err(m) = crate::eligibility::related_party::relationship(&rp.relationship)
        {
            e.push("related_party.relationship", "relationship", m);
        }
        if rp.disposed_on.is_none() {
            if rp.disposed_by.is_some() {
                e.push(
                    "related_party.disposed_by",
                    "requires",
                    "disposed_by says who disposed of the property, but disposed_on is not given",
                );
            }
            if rp.exception.is_some() {
                e.push(
                    "related_party.exception",
                    "requires",
                    "a §1031(f)(2) exception applies to a disposition: give disposed_on",
                );
            }
        }
    }
}

/// The usage of a dwelling unit in each 12-month period (Rev. Proc. 2008-16): the days fit
/// the period and no period is given twice.
fn usage_periods(f: &ExchangeFile, e: &mut Errors) {
    let usage = |path: String, u: &[UsagePeriod], e: &mut Errors| {
        let mut seen = HashSet::new();
        for (k, p) in u.iter().enumerate() {
            let pp = format!("{path}.usage[{k}]");
            let days = crate::eligibility::vacation_home::days_in_period(p.period_ending);
            for (name, v) in [
                ("fair_rental_days", p.fair_rental_days),
                ("personal_use_days", p.personal_use_days),
            ] {
                if i64::from(v) > i64::from(days) {
                    e.push(
                        format!("{pp}.{name}"),
                        "days_in_period",
                        format!(
                            "{v} days exceed the {days} days of the 12-month period ending {}",
                            p.period_ending
                        ),
                    );
                }
            }
            if i64::from(p.fair_rental_days) + i64::from(p.personal_use_days) > i64::from(days) {
                e.push(
                    format!("{pp}.personal_use_days"),
                    "days_in_period",
                    format!(
                        "fair_rental_days + personal_use_days = {} exceed the {days} days of the 12-month period ending {}",
                        u64::from(p.fair_rental_days) + u64::from(p.personal_use_days),
                        p.period_ending
                    ),
                );
            }
            if !seen.insert(p.period_ending) {
                e.push(
                    format!("{pp}.period_ending"),
                    "unique",
                    format!("the period ending {} is given twice", p.period_ending),
                );
            }
        }
    };
    for (i, r) in f.relinquished.iter().enumerate() {
        if !r.usage.is_empty() {
            usage(format!("relinquished[{i}]"), &r.usage, e);
        }
    }
    for (i, r) in f.replacement.iter().enumerate() {
        if !r.usage.is_empty() {
            usage(format!("replacement[{i}]"), &r.usage, e);
        }
    }
}

/// The DST and TIC questionnaires (Rev. Rul. 2004-86, Rev. Proc. 2002-22): each names a
/// property held in that form, once.
fn ownership_questionnaires(f: &ExchangeFile, e: &mut Errors) {
    let interest_of = |id: &str| {
        f.relinquished
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.interest)
            .or_else(|| {
                f.replacement
                    .iter()
                    .find(|r| r.id == id)
                    .map(|r| r.interest)
            })
    };
    let mut check_q = |path: String, id: &str, want: Interest, seen: &mut HashSet<String>| {
        match interest_of(id) {
            None => e.push(
                format!("{path}.property"),
                "reference",
                format!("no relinquished or replacement property has id {id:?}"),
            ),
            Some(i) if i != want => e.push(
                format!("{path}.property"),
                "interest_mismatch",
                format!(
                    "{id} has interest = {:?} but this block is a {} questionnaire: set interest = {:?} on it",
                    i.as_str(),
                    want.as_str(),
                    want.as_str()
                ),
            ),
            _ => {}
        }
        if !seen.insert(id.to_string()) {
            e.push(
                format!("{path}.property"),
                "unique",
                format!("{id} has two questionnaires"),
            );
        }
    };
    let mut seen = HashSet::new();
    for (i, q) in f.dst.iter().enumerate() {
        check_q(format!("dst[{i}]"), &q.property, Interest::Dst, &mut seen);
    }
    let mut seen = HashSet::new();
    for (i, q) in f.tic.iter().enumerate() {
        check_q(format!("tic[{i}]"), &q.property, Interest::Tic, &mut seen);
    }
    for (i, q) in f.tic.iter().enumerate() {
        let p = Item("tic", i);
        if q.co_owners == 0 {
            e.push(
                format!("{p}.co_owners"),
                "positive",
                "a TIC has at least one co-owner",
            );
        }
        let inherited: u64 = q.inherited_groups.iter().map(|g| u64::from(*g)).sum();
        if u64::from(q.married_couples) * 2 + inherited > u64::from(q.co_owners) {
            e.push(
                format!("{p}.married_couples"),
                "co_owner_count",
                format!(
                    "{} married couples (2 persons each) and {inherited} heirs are more persons than the {} co-owners",
                    q.married_couples, q.co_owners
                ),
            );
        }
        for (k, g) in q.inherited_groups.iter().enumerate() {
            if *g < 2 {
                e.push(
                    format!("{p}.inherited_groups[{k}]"),
                    "group_size",
                    "a group of heirs has at least 2 persons",
                );
            }
        }
    }
}

/// The home-sale block (§121 with §1031, Rev. Proc. 2005-14).
fn home_sale(f: &ExchangeFile, e: &mut Errors) {
    if let Some(h) = &f.home_sale {
        match f.relinquished.iter().find(|r| r.id == h.property) {
            None => e.push(
                "home_sale.property",
                "reference",
                format!("no relinquished property has id {:?}", h.property),
            ),
            Some(r) => {
                if let Some(d) = h.depreciation_after_1997_05_06 {
                    e.non_negative("home_sale.depreciation_after_1997_05_06", d);
                    if d > r.depreciation_allowed {
                        e.push(
                            "home_sale.depreciation_after_1997_05_06",
                            "depreciation_parts",
                            format!(
                                "{d} exceeds the property's depreciation_allowed {}",
                                r.depreciation_allowed
                            ),
                        );
                    }
                }
                if h.ownership_and_use_test_met
                    && r.acquired > crate::timing::calendar::add_months(r.transferred, -24)
                {
                    e.push(
                        "home_sale.ownership_and_use_test_met",
                        "contradiction",
                        format!(
                            "{} was acquired {}, less than 2 years before the sale on {}: the ownership test of §121(a) cannot be met",
                            r.id, r.acquired, r.transferred
                        ),
                    );
                }
                for (k, p) in h.nonqualified_use.iter().enumerate() {
                    if p.from > p.to || p.from < r.acquired || p.to > r.transferred {
                        e.push(
                            format!("home_sale.nonqualified_use[{k}]"),
                            "date_order",
                            format!(
                                "the period {} to {} must run forward within the ownership, {} to {}",
                                p.from, p.to, r.acquired, r.transferred
                            ),
                        );
                    }
                }
                if let Some(a) = h.acquired_in_exchange_on
                    && a > r.transferred
                {
                    e.push(
                        "home_sale.acquired_in_exchange_on",
                        "date_order",
                        format!("{a} is after the sale on {}", r.transferred),
                    );
                }
            }
        }
        if h.exclusion_limit <= Amount::ZERO || h.exclusion_limit > Amount::from(500_000) {
            e.push(
                "home_sale.exclusion_limit",
                "section121_limit",
                format!(
                    "{} is not a §121(b) limit: 250000 (500000 for a qualifying joint return), or less when reduced under §121(c)",
                    h.exclusion_limit
                ),
            );
        }
        if let Some(b) = &h.business_part
            && (b.fraction <= Amount::ZERO || b.fraction >= Amount::ONE)
        {
            e.push(
                "home_sale.business_part.fraction",
                "fraction",
                format!("{} must be between 0 and 1 (exclusive)", b.fraction),
            );
        }
    }
}

/// The plan to move into a replacement later (§121(a), (d)(10)).
fn residence_plan(f: &ExchangeFile, e: &mut Errors) {
    if let Some(p) = &f.residence_plan {
        match f.replacement.iter().find(|r| r.id == p.property) {
            None => e.push(
                "residence_plan.property",
                "reference",
                format!("no replacement property has id {:?}", p.property),
            ),
            Some(r) => {
                if let Some(m) = p.move_in
                    && m < r.received
                {
                    e.push(
                        "residence_plan.move_in",
                        "date_order",
                        format!(
                            "move_in {m} is before the replacement was received {}",
                            r.received
                        ),
                    );
                }
                let mi = p.move_in.unwrap_or(r.received);
                if let Some(s) = p.sale
                    && s < mi
                {
                    e.push(
                        "residence_plan.sale",
                        "date_order",
                        format!("sale {s} is before the move-in {mi}"),
                    );
                }
            }
        }
    }
}

/// The qualified intermediary's facts (Treas. Reg. §1.1031(k)-1(k)).
fn qualified_intermediary(f: &ExchangeFile, e: &mut Errors) {
    if let Some(q) = &f.qualified_intermediary {
        for (name, v) in [
            ("ownership_with_taxpayer_pct", q.ownership_with_taxpayer_pct),
            ("ownership_with_agent_pct", q.ownership_with_agent_pct),
        ] {
            if let Some(v) = v
                && (v < Amount::ZERO || v > Amount::ONE_HUNDRED)
            {
                e.push(
                    format!("qualified_intermediary.{name}"),
                    "percent",
                    format!("{v} is not a percentage between 0 and 100"),
                );
            }
        }
        if q.bank_affiliate_of_broker_only && q.ownership_with_agent_pct.is_none() {
            e.push(
                "qualified_intermediary.bank_affiliate_of_broker_only",
                "requires",
                "the bank-affiliate exception is about a relationship with an agent: give ownership_with_agent_pct",
            );
        }
    }
}

/// A planned sale of the replacement comes after it is received.
fn planned_sale(f: &ExchangeFile, e: &mut Errors) {
    if let Some(s) = f
        .eligibility
        .as_ref()
        .and_then(|el| el.planned_sale_of_replacement)
        && let Some(last) = f.replacement.iter().map(|r| r.received).max()
        && s < last
    {
        e.push(
            "eligibility.planned_sale_of_replacement",
            "date_order",
            format!("{s} is before the replacement is received ({last})"),
        );
    }
}
