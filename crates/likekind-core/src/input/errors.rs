//! What is wrong with an input, as data: each error names its field path and the rule it
//! breaks, and every error is collected, not only the first.

use crate::amount::Amount;
use serde::Serialize;
use std::fmt;

/// One thing wrong with the input: where, which rule, and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// Field path in the exchange file, e.g. `relinquished[1].transferred` (empty = whole file).
    pub path: String,
    /// Short rule name, e.g. `syntax`, `required`, `non_negative`, `date_order`.
    pub rule: String,
    pub message: String,
}

impl InputError {
    /// The problem as a person reads it: the field and what is wrong with it in words, without
    /// the field path or the rule's code ([`crate::words::problem`]). The [`fmt::Display`]
    /// form, `path: [rule] message`, is the machine-readable one (the JSON Lines of
    /// `likekind check` carry it).
    pub fn words(&self) -> String {
        crate::words::problem(&self.path, &self.message)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "[{}] {}", self.rule, self.message)
        } else {
            write!(f, "{}: [{}] {}", self.path, self.rule, self.message)
        }
    }
}

/// All the errors found in one input; never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{}", display_all(.errors))]
pub struct InputErrors {
    pub errors: Vec<InputError>,
}

fn display_all(errors: &[InputError]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

impl InputErrors {
    /// The parser's first error (with its place in the file), then the others found after
    /// it.
    pub fn first_then(
        path: impl Into<String>,
        rule: &str,
        message: impl Into<String>,
        more: Vec<InputError>,
    ) -> Self {
        let mut all = InputErrors::one(path, rule, message);
        all.errors.extend(more);
        all
    }

    pub fn one(path: impl Into<String>, rule: &str, message: impl Into<String>) -> Self {
        InputErrors {
            errors: vec![InputError {
                path: path.into(),
                rule: rule.to_string(),
                message: message.into(),
            }],
        }
    }
}

/// `relinquished[2]`: a list item's field path, written out only when an error or finding
/// names it (valid files pay nothing for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item(pub &'static str, pub usize);

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

/// A field path, given directly or as a closure that builds it on demand.
pub trait LazyPath {
    fn path(self) -> String;
}

impl LazyPath for &str {
    fn path(self) -> String {
        self.to_string()
    }
}

impl LazyPath for String {
    fn path(self) -> String {
        self
    }
}

impl<F: FnOnce() -> String> LazyPath for F {
    fn path(self) -> String {
        self()
    }
}

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

    /// Money that cannot be negative (prices, bases, expenses, liabilities). The path is
    /// built only when there is an error, so valid files pay nothing for it.
    pub fn non_negative(&mut self, path: impl LazyPath, v: Amount) {
        if v.is_sign_negative() && !v.is_zero() {
            self.push(
                path.path(),
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

/// The rule a value broke, from the deserializer's message: the one classifier of input
/// errors, used for exchange files (TOML and JSON) and for the bodies of the API, so the same
/// mistake is named the same everywhere. Syntax errors (text that is not TOML or JSON at all)
/// are named `syntax` by the parser before this is asked.
///
/// `unknown_field` (a key the contract does not have), `required` (a key it needs),
/// `allowed_values` (a word outside the list), `date` (not a calendar date, such as
/// 2026-02-30: the rule broken is the calendar's, whatever the field), and `type` for every
/// other value of the wrong kind (text where a number belongs).
///
/// ```
/// use likekind_core::input::errors::rule_of;
/// assert_eq!(rule_of("parsed day is not valid for month"), "date");
/// assert_eq!(rule_of("invalid type: string \"abc\", expected a decimal"), "type");
/// ```
pub fn rule_of(message: &str) -> &'static str {
    if message.contains("unknown field") {
        "unknown_field"
    } else if message.contains("missing field") {
        "required"
    } else if message.contains("unknown variant") {
        "allowed_values"
    } else if message.contains("date")
        || message.contains("day")
        || message.contains("month")
        || message.contains("four digit year")
    {
        "date"
    } else {
        "type"
    }
}

#[cfg(test)]
mod tests {
    use super::rule_of;

    #[test]
    fn one_name_per_mistake() {
        assert_eq!(
            rule_of("unknown field `colour`, expected one of"),
            "unknown_field"
        );
        assert_eq!(rule_of("missing field `entity`"), "required");
        // An empty date (jiff's words).
        assert_eq!(
            rule_of(
                "expected four digit year (or leading sign for six digit year), but found end of input"
            ),
            "date"
        );
        assert_eq!(
            rule_of("unknown variant `bribe`, expected `receipt`"),
            "allowed_values"
        );
        assert_eq!(
            rule_of("invalid date: parsed day is not valid for month"),
            "date"
        );
        assert_eq!(
            rule_of("invalid type: integer `5`, expected a string"),
            "type"
        );
    }
}
