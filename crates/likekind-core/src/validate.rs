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
    // issue 5: planner
    if let Some(p) = &f.plan {
        crate::plan::validate_block(p, &mut e);
    }
    e.finish()
}
