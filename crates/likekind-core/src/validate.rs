//! Cross-field rules on an [`ExchangeFile`]: every broken rule is reported, not only the
//! first, each with its field path. Syntax was already checked while parsing.

use crate::input::{InputError, InputErrors};
use crate::model::{ExchangeFile, ExchangeType, Location};
use rust_decimal::Decimal;
use std::collections::HashSet;

/// Collects input errors with their paths.
#[derive(Default)]
pub struct Errors(pub Vec<InputError>);

impl Errors {
    pub fn push(&mut self, path: impl Into<String>, rule: &str, message: impl Into<String>) {
        self.0.push(InputError {
            path: path.into(),
            rule: rule.to_string(),
            message: message.into(),
        });
    }

    /// Money that cannot be negative (prices, bases, expenses, liabilities).
    pub fn non_negative(&mut self, path: impl Into<String>, v: Decimal) {
        if v.is_sign_negative() && !v.is_zero() {
            self.push(
                path,
                "non_negative",
                format!("must not be negative (got {v})"),
            );
        }
    }

    pub fn finish(self) -> Result<(), InputErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(InputErrors { errors: self.0 })
        }
    }
}

/// Checks every cross-field rule of the contract.
///
/// # Errors
/// All broken rules, each naming its field path and rule.
pub fn validate(f: &ExchangeFile) -> Result<(), InputErrors> {
    let mut e = Errors::default();
    if f.relinquished.is_empty() {
        e.push(
            "relinquished",
            "required",
            "at least one [[relinquished]] property is required: an exchange gives something up",
        );
    }
    crate::calendar::validate_year_end(&f.taxpayer.tax_year_end, &mut e);

    let mut ids = HashSet::new();
    for (i, r) in f.relinquished.iter().enumerate() {
        let p = format!("relinquished[{i}]");
        if r.id.trim().is_empty() {
            e.push(format!("{p}.id"), "required", "an id is required");
        } else if !ids.insert(("r", r.id.as_str())) {
            e.push(
                format!("{p}.id"),
                "unique",
                format!("id {:?} is used twice", r.id),
            );
        }
        if let Err(m) = Location::parse(&r.location) {
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
            e.non_negative(format!("{p}.{name}"), v);
        }
        if let Some(c) = r.cash_received {
            e.non_negative(format!("{p}.cash_received"), c);
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

    let earliest = f.relinquished.iter().map(|r| r.transferred).min();
    let mut rids = HashSet::new();
    for (i, r) in f.replacement.iter().enumerate() {
        let p = format!("replacement[{i}]");
        if r.id.trim().is_empty() {
            e.push(format!("{p}.id"), "required", "an id is required");
        } else if !rids.insert(r.id.as_str()) || ids.contains(&("r", r.id.as_str())) {
            e.push(
                format!("{p}.id"),
                "unique",
                format!("id {:?} is used twice", r.id),
            );
        }
        if let Err(m) = Location::parse(&r.location) {
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
            e.non_negative(format!("{p}.{name}"), v);
        }
        if let Some(c) = r.cash_paid {
            e.non_negative(format!("{p}.cash_paid"), c);
        }
        if let Some(l) = r.land_value {
            e.non_negative(format!("{p}.land_value"), l);
            if l > r.price {
                e.push(
                    format!("{p}.land_value"),
                    "land_within_price",
                    format!("land_value {l} exceeds price {}", r.price),
                );
            }
        }
        if r.section1245_value + r.land_value.unwrap_or_default() > r.price {
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

    let mut iids = HashSet::new();
    for (i, d) in f.identified.iter().enumerate() {
        let p = format!("identified[{i}]");
        if d.id.trim().is_empty() {
            e.push(format!("{p}.id"), "required", "an id is required");
        } else if !iids.insert(d.id.as_str()) {
            e.push(
                format!("{p}.id"),
                "unique",
                format!("id {:?} is identified twice", d.id),
            );
        }
        e.non_negative(format!("{p}.fmv"), d.fmv);
        e.non_negative(
            format!("{p}.incidental_personal_property"),
            d.incidental_personal_property,
        );
        if let Some(t) = earliest {
            if d.identified_on < t && f.exchange.kind != ExchangeType::Reverse {
                e.push(
                    format!("{p}.identified_on"),
                    "date_order",
                    format!(
                        "identified_on {} is before the first transfer {t}: the identification period begins with the transfer (Reg. 1.1031(k)-1(b)(2)(i)); identification in the exchange agreement is dated the day of the transfer",
                        d.identified_on
                    ),
                );
            }
        }
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

    for (i, o) in f.other_property_given.iter().enumerate() {
        e.non_negative(format!("other_property_given[{i}].fmv"), o.fmv);
        e.non_negative(
            format!("other_property_given[{i}].adjusted_basis"),
            o.adjusted_basis,
        );
    }
    for (i, o) in f.other_property_received.iter().enumerate() {
        e.non_negative(format!("other_property_received[{i}].fmv"), o.fmv);
    }
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
    deadline_blocks(f, &mut e);
    e.finish()
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
    for (k, r) in f.replacement.iter().enumerate() {
        if let Some(v) = r.improvements_identified {
            e.non_negative(format!("replacement[{k}].improvements_identified"), v);
        }
        if let Some(v) = r.improvements_in_place {
            e.non_negative(format!("replacement[{k}].improvements_in_place"), v);
            if r.improvements_identified.is_none() {
                e.push(
                    format!("replacement[{k}].improvements_identified"),
                    "required",
                    "improvements_in_place needs improvements_identified (the improvements as identified, Reg. 1.1031(k)-1(e)(2))",
                );
            }
        }
    }
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
