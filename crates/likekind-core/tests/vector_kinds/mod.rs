//! One checker per group of `check_kind`s. A checker maps a vector's inputs onto the engine's
//! public API and returns what the engine computed, keyed by the vector's flattened
//! `expected` key names (`results.case.key`).

mod deadlines;
mod eligibility;
mod exchange;
mod f8824;
mod oz;
mod special;

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What a checker made of a vector.
pub enum Outcome {
    /// The figures the engine computed, under the vector's key names.
    Values(BTreeMap<String, Value>),
    /// The engine rejected the vector's inputs (a failure).
    Error(String),
    /// No checker for this kind yet (printed, not silently skipped).
    UnknownKind,
}

/// Dispatches on `check_kind`.
pub fn check(kind: &str, v: &Value) -> Outcome {
    let inputs = v["inputs"].as_object().cloned().unwrap_or_default();
    let result = match kind {
        "f8824" => f8824::f8824(&inputs),
        "alloc" => f8824::alloc(&inputs),
        // eligibility, related parties, homes, states
        "rp1031f" => eligibility::rp1031f(&inputs),
        "rp2008_16" => eligibility::rp2008_16(&inputs),
        "rp2005_14" => eligibility::rp2005_14(&inputs),
        "rp2005_14_split" => eligibility::rp2005_14_split(&inputs),
        "sec121d10" => eligibility::sec121d10(&inputs),
        "ca593" => eligibility::ca593(&inputs),
        "tic" => eligibility::tic(&inputs),
        "qualitative" => match eligibility::qualitative(v["id"].as_str().unwrap_or(""), &inputs) {
            Some(r) => r,
            None => return Outcome::UnknownKind,
        },
        "j1" => special::j1(&inputs),
        "d168" => special::d168(&inputs),
        "d168_out" => special::d168_out(&inputs),
        "straddle" => special::straddle(&inputs, &v["expected"]),
        "s1014" => special::s1014(&inputs),
        "deadline" => deadlines::deadline(&inputs),
        "disaster" => deadlines::disaster(&inputs),
        "ident" => deadlines::ident(&inputs),
        "ident_revoke" => deadlines::ident_revoke(&inputs),
        "incidental" => deadlines::incidental(&inputs),
        "reverse" => deadlines::reverse(&inputs),
        "reverse_2004_51" => deadlines::reverse_2004_51(&inputs),
        "g6" => deadlines::g6(&inputs),
        "oz_window" => oz::oz_window(&inputs),
        "oz_1031" => oz::oz_1031(&inputs),
        "oz_incl" => oz::oz_incl(&inputs),
        "oz_incl_cases" => oz::oz_incl_cases(&inputs),
        "oz_pship" => oz::oz_pship(&inputs),
        "exchange" => exchange::exchange(&inputs, &v["expected"]),
        _ => return Outcome::UnknownKind,
    };
    match result {
        Ok(values) => Outcome::Values(values),
        Err(e) => Outcome::Error(e),
    }
}

/// Vectors whose expected figure contradicts the law, with the citation (the engine stays
/// on the law). Empty until one is found.
pub fn known_difference(_id: &str, _key: &str) -> Option<&'static str> {
    None
}

/// Reads a money input (decimal string); absent = 0.
pub fn money(inputs: &Map<String, Value>, key: &str) -> Result<likekind_core::Amount, String> {
    use std::str::FromStr;
    match inputs.get(key) {
        None | Some(Value::Null) => Ok(likekind_core::Amount::ZERO),
        Some(Value::String(s)) => {
            likekind_core::Amount::from_str(s).map_err(|e| format!("{key}: {e}"))
        }
        Some(Value::Number(n)) => {
            likekind_core::Amount::from_str(&n.to_string()).map_err(|e| format!("{key}: {e}"))
        }
        Some(other) => Err(format!("{key}: not money: {other}")),
    }
}

/// Formats money the way vectors write it.
pub fn m(d: likekind_core::Amount) -> Value {
    Value::String(likekind_core::money::format_money(d))
}
