//! One checker per group of `check_kind`s. A checker maps a vector's inputs onto the engine's
//! public API and returns what the engine computed, keyed by the vector's flattened
//! `expected` key names (`results.case.key`).

mod f8824;
mod oz;

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
        "oz_window" => oz::oz_window(&inputs),
        "oz_1031" => oz::oz_1031(&inputs),
        "oz_incl" => oz::oz_incl(&inputs),
        "oz_incl_cases" => oz::oz_incl_cases(&inputs),
        "oz_pship" => oz::oz_pship(&inputs),
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
pub fn money(inputs: &Map<String, Value>, key: &str) -> Result<rust_decimal::Decimal, String> {
    use std::str::FromStr;
    match inputs.get(key) {
        None | Some(Value::Null) => Ok(rust_decimal::Decimal::ZERO),
        Some(Value::String(s)) => {
            rust_decimal::Decimal::from_str(s).map_err(|e| format!("{key}: {e}"))
        }
        Some(Value::Number(n)) => {
            rust_decimal::Decimal::from_str(&n.to_string()).map_err(|e| format!("{key}: {e}"))
        }
        Some(other) => Err(format!("{key}: not money: {other}")),
    }
}

/// Formats money the way vectors write it.
pub fn m(d: rust_decimal::Decimal) -> Value {
    Value::String(likekind_core::money::format_money(d))
}
