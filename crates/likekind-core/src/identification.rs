//! Identification of replacement property (Reg. 1.1031(k)-1(c)).

use crate::deadlines::Deadlines;
use crate::explain::Trace;
use crate::findings::{Findings, Severity};
use crate::model::ExchangeFile;
use rust_decimal::Decimal;
use serde::Serialize;

/// Which identification rule the exchange meets (contract values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdRule {
    ThreeProperty,
    TwoHundredPercent,
    NinetyFivePercent,
    ReceivedWithin45Days,
    None,
}

/// The verdict on the identification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identification {
    pub valid: bool,
    pub rule: IdRule,
}

/// Judges the identification notices against the three-property, 200% and 95% rules.
pub fn judge(f: &ExchangeFile, d: &Deadlines, t: &mut Trace, fx: &mut Findings) -> Identification {
    let active: Vec<_> = f
        .identified
        .iter()
        .filter(|i| i.identified_on <= d.identification_end)
        .filter(|i| i.revoked_on.is_none_or(|r| r > d.identification_end))
        .collect();
    for (k, i) in f.identified.iter().enumerate() {
        if i.identified_on > d.identification_end {
            fx.add_at(
                "identification_late",
                Severity::Error,
                format!("identified[{k}].identified_on"),
                format!(
                    "{} was identified on {}, after the identification period ended on {}: it does not count",
                    i.id, i.identified_on, d.identification_end
                ),
                "IRC §1031(a)(3)(A); Treas. Reg. §1.1031(k)-1(c)(1)",
            );
        }
    }
    let received_early = f
        .replacement
        .iter()
        .filter(|r| r.received <= d.identification_end)
        .count();
    let relinquished_fmv: Decimal = f.relinquished.iter().map(|r| r.sale_price).sum();
    let id_fmv: Decimal = active.iter().map(|i| i.fmv).sum();
    let (valid, rule) = if active.is_empty() {
        if received_early > 0 && received_early == f.replacement.len() {
            (true, IdRule::ReceivedWithin45Days)
        } else {
            (false, IdRule::None)
        }
    } else if active.len() <= 3 {
        (true, IdRule::ThreeProperty)
    } else if id_fmv <= relinquished_fmv * Decimal::TWO {
        (true, IdRule::TwoHundredPercent)
    } else {
        let received: Decimal = active
            .iter()
            .filter(|i| {
                f.replacement
                    .iter()
                    .any(|r| r.id == i.id && r.received <= d.exchange_end)
            })
            .map(|i| i.fmv)
            .sum();
        if received * Decimal::from(100) >= id_fmv * Decimal::from(95) {
            (true, IdRule::NinetyFivePercent)
        } else {
            (false, IdRule::None)
        }
    };
    t.add(
        "identification.rule",
        "Identification rule met by the notices in force at the end of the identification period",
        format!("{rule:?}"),
        "Treas. Reg. §1.1031(k)-1(c)(4)",
        vec![format!("properties identified = {}", active.len())],
    );
    Identification { valid, rule }
}
