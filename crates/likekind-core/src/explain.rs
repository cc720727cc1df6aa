//! The explanation trace: every computed figure as a step with its inputs, its value and the
//! authority behind it, so a person can check the engine line by line.

use serde::Serialize;

/// One computed figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Stable key of the figure, e.g. `form_8824.line_15` or `deadlines.day_180`.
    pub key: String,
    /// What was computed and how, in words.
    pub step: String,
    /// The result, as the report prints it.
    pub value: String,
    /// IRC section, regulation, revenue procedure or form instruction.
    pub authority: String,
    /// The figures it was computed from, `name = value`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
}

/// Collects steps in the order they were computed.
#[derive(Debug, Default, Clone)]
pub struct Trace {
    pub steps: Vec<Step>,
}

impl Trace {
    /// Records a step and returns nothing; `value` is already formatted.
    pub fn add(
        &mut self,
        key: &str,
        step: impl Into<String>,
        value: impl Into<String>,
        authority: &str,
        inputs: Vec<String>,
    ) {
        self.steps.push(Step {
            key: key.to_string(),
            step: step.into(),
            value: value.into(),
            authority: authority.to_string(),
            inputs,
        });
    }
}

/// Builds an input line `name = value` for a step.
#[macro_export]
macro_rules! inputs {
    ($($name:expr => $val:expr),* $(,)?) => {
        vec![$(format!("{} = {}", $name, $val)),*]
    };
}
