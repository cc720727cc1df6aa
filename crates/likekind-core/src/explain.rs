//! The explanation trace: every computed figure as a step with its inputs, its value and the
//! authority behind it, so a person can check the engine line by line.
//!
//! Values are kept typed ([`Val`]: money, dates, counts, text) and turned into text only when
//! the report is written (JSON, text, HTML). An analysis records some fifty steps with a
//! hundred and fifty inputs; formatting them all up front cost more than the tax computation
//! itself, and most callers (the tracker's dashboard, the planner's comparisons, batch runs)
//! never print them. The printed form is the same either way.

use crate::amount::Amount;
use crate::money::write_money;
use jiff::civil::Date;
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// Text that is usually a literal: borrowed when static, owned when built from the facts.
pub type Text = Cow<'static, str>;

/// A figure in the trace, formatted only when printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// Dollars, printed with exactly two decimals (`1250000.00`, rounded half away from zero
    /// if the amount has more decimals).
    Money(Amount),
    /// A civil date, ISO 8601 (`2026-03-02`).
    Date(Date),
    /// A whole number (days, counts, years).
    Int(i64),
    /// A plain decimal as computed (ratios, percentages, rates).
    Num(Amount),
    /// `true` / `false`.
    Bool(bool),
    /// Words.
    Text(Text),
    /// Several named figures, printed `a = 1; b = 2`.
    List(Vec<Input>),
}

/// Money for the trace: the typed counterpart of [`crate::money::format_money`].
pub fn money(d: Amount) -> Val {
    Val::Money(d)
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::Money(d) => write_money(f, *d),
            Val::Date(d) => fmt::Display::fmt(d, f),
            Val::Int(n) => fmt::Display::fmt(n, f),
            Val::Num(d) => fmt::Display::fmt(d, f),
            Val::Bool(b) => fmt::Display::fmt(b, f),
            Val::Text(t) => f.write_str(t),
            Val::List(l) => write_list(f, l),
        }
    }
}

impl Serialize for Val {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Text(t) => s.serialize_str(t),
            other => s.collect_str(other),
        }
    }
}

impl From<&'static str> for Val {
    fn from(s: &'static str) -> Self {
        Val::Text(Cow::Borrowed(s))
    }
}
impl From<String> for Val {
    fn from(s: String) -> Self {
        Val::Text(Cow::Owned(s))
    }
}
impl From<Text> for Val {
    fn from(s: Text) -> Self {
        Val::Text(s)
    }
}
impl From<Date> for Val {
    fn from(d: Date) -> Self {
        Val::Date(d)
    }
}
impl From<bool> for Val {
    fn from(b: bool) -> Self {
        Val::Bool(b)
    }
}
macro_rules! int_val {
    ($($t:ty),*) => {$(
        impl From<$t> for Val {
            fn from(n: $t) -> Self {
                Val::Int(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_val!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

/// Writes figures as one line, `a = 1; b = 2`.
fn write_list(w: &mut impl fmt::Write, l: &[Input]) -> fmt::Result {
    for (k, i) in l.iter().enumerate() {
        if k > 0 {
            w.write_str("; ")?;
        }
        write!(w, "{i}")?;
    }
    Ok(())
}

/// One figure a step was computed from: `name = value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub name: Text,
    pub value: Val,
}

impl Input {
    pub fn new(name: impl Into<Text>, value: impl Into<Val>) -> Self {
        Input {
            name: name.into(),
            value: value.into(),
        }
    }
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.name, self.value)
    }
}

impl Serialize for Input {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One computed figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Stable key of the figure, e.g. `form_8824.line_15` or `deadlines.day_180`.
    pub key: Text,
    /// What was computed and how, in words.
    pub step: Text,
    /// The result, as the report prints it.
    pub value: Val,
    /// IRC section, regulation, revenue procedure or form instruction.
    pub authority: Text,
    /// The figures it was computed from, printed `name = value`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
}

impl Step {
    /// The inputs as one line, `a = 1; b = 2`.
    pub fn inputs_line(&self) -> String {
        let mut o = String::new();
        let _ = write_list(&mut o, &self.inputs);
        o
    }
}

/// Collects steps in the order they were computed.
#[derive(Debug, Default, Clone)]
pub struct Trace {
    pub steps: Vec<Step>,
    /// Keeps no steps: see [`Trace::with_words`].
    quiet: bool,
}

impl Trace {
    /// A trace that keeps its steps (`words`), or none, for callers that read only the
    /// figures and the verdict (a book's summaries): the engine records every step through
    /// [`step!`](crate::step), which then builds neither its words nor its inputs.
    pub fn with_words(words: bool) -> Trace {
        Trace {
            steps: Vec::new(),
            quiet: !words,
        }
    }

    /// Whether steps are kept.
    pub fn records(&self) -> bool {
        !self.quiet
    }

    /// Records a step.
    pub fn add(
        &mut self,
        key: impl Into<Text>,
        step: impl Into<Text>,
        value: impl Into<Val>,
        authority: impl Into<Text>,
        inputs: Vec<Input>,
    ) {
        if self.steps.capacity() == 0 {
            // An analysis records about fifty steps: one allocation instead of six.
            self.steps.reserve(64);
        }
        self.steps.push(Step {
            key: key.into(),
            step: step.into(),
            value: value.into(),
            authority: authority.into(),
            inputs,
        });
    }
}

impl Trace {
    /// Replaces the step recorded under `key` (or records it when there is none): for a
    /// figure a later rule overrides, so that the step shown beside the figure says the
    /// figure the report prints.
    pub fn restate(
        &mut self,
        key: &str,
        step: impl Into<Text>,
        value: impl Into<Val>,
        authority: impl Into<Text>,
        inputs: Vec<Input>,
    ) {
        if self.quiet {
            return;
        }
        let new = Step {
            key: key.to_string().into(),
            step: step.into(),
            value: value.into(),
            authority: authority.into(),
            inputs,
        };
        match self.steps.iter_mut().find(|s| s.key.as_ref() == key) {
            Some(old) => *old = new,
            None => self.steps.push(new),
        }
    }
}

/// Records a step (the arguments of [`Trace::add`]) when the trace keeps steps; otherwise
/// none of the arguments is evaluated (see [`Trace::with_words`]).
#[doc(hidden)]
#[macro_export]
macro_rules! step {
    ($t:expr, $($arg:expr),+ $(,)?) => {
        if $t.records() {
            $t.add($($arg),+)
        }
    };
}

/// Builds the inputs of a step: `inputs!["line 25" => money(x), "FMV" => money(y)]`.
#[macro_export]
macro_rules! inputs {
    ($($name:expr => $val:expr),* $(,)?) => {
        vec![$($crate::explain::Input::new($name, $val)),*]
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;

    #[test]
    fn prints_as_before() {
        let mut t = Trace::default();
        crate::step!(
            t,
            "form_8824.line_15",
            "Cash received",
            money(amt!(1250000)),
            "IRC §1031(b)",
            crate::inputs!["cash" => money(amt!(-5.5)), "day" => jiff::civil::date(2026, 3, 2), "n" => 3usize, "ok" => true, "why" => "text"],
        );
        let s = &t.steps[0];
        assert_eq!(s.value.to_string(), "1250000.00");
        assert_eq!(
            s.inputs_line(),
            "cash = -5.50; day = 2026-03-02; n = 3; ok = true; why = text"
        );
        assert_eq!(
            Val::List(s.inputs[..2].to_vec()).to_string(),
            "cash = -5.50; day = 2026-03-02"
        );
        let j = serde_json::to_value(s).unwrap();
        assert_eq!(j["value"], "1250000.00");
        assert_eq!(j["inputs"][1], "day = 2026-03-02");
        assert_eq!(j["key"], "form_8824.line_15");
    }

    #[test]
    fn rounds_money_half_away_from_zero() {
        assert_eq!(money(amt!(0.005)).to_string(), "0.01");
        assert_eq!(money(amt!(-0.005)).to_string(), "-0.01");
        assert_eq!(money(amt!(0)).to_string(), "0.00");
        assert_eq!(money(amt!(12.3)).to_string(), "12.30");
    }
}
