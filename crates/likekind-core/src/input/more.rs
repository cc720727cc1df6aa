//! The errors after the first in a file the parser cannot read.
//!
//! serde stops at the first field of the wrong kind (or of an unknown name), so a file with
//! five typos would take five rounds to fix. Once the text is known to be well-formed JSON or
//! TOML, it is read again as a tree: the field in error is taken out and the tree read again,
//! until it reads or a limit is met, so that one round lists them all. Only files that fail
//! pay for this (the fast path never comes here).
//!
//! A required field taken out comes back as "missing": that is the error already said, not a
//! new one, so the object holding it is taken out instead (its other fields can no longer be
//! read, which only means fewer errors, never a false one). A list keeps the positions of the
//! file: an item taken out does not renumber the items after it in what is reported.

use super::errors::{InputError, rule_of};
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use std::collections::{BTreeMap, BTreeSet};

/// At most this many errors are listed for one file (the first included): past it the file is
/// likely not an exchange file at all, and the list would bury the point.
pub const MAX_ERRORS: usize = 20;

/// One step of a path in the file as written: a field name or a position in a list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A tree the file was read into (JSON's or TOML's), which can lose a field or a list item.
pub trait Tree: Clone + Sized {
    /// The child a step names, if this is an object (or table) or a list that has it.
    fn child(&mut self, step: &Step) -> Option<&mut Self>;
    /// Takes out the child a step names; false when there is none.
    fn remove(&mut self, step: &Step) -> bool;

    /// Takes out what `path` (positions in the tree as it is now) names; false when the
    /// path does not lead anywhere.
    fn take_out(&mut self, path: &[Step]) -> bool {
        let Some((last, parent)) = path.split_last() else {
            return false;
        };
        let mut at = self;
        for step in parent {
            match at.child(step) {
                Some(next) => at = next,
                None => return false,
            }
        }
        at.remove(last)
    }
}

impl Tree for serde_json::Value {
    fn child(&mut self, step: &Step) -> Option<&mut Self> {
        match (step, self) {
            (Step::Key(k), serde_json::Value::Object(m)) => m.get_mut(k),
            (Step::Index(i), serde_json::Value::Array(a)) => a.get_mut(*i),
            _ => None,
        }
    }

    fn remove(&mut self, step: &Step) -> bool {
        match (step, self) {
            (Step::Key(k), serde_json::Value::Object(m)) => m.remove(k).is_some(),
            (Step::Index(i), serde_json::Value::Array(a)) => {
                (*i < a.len()).then(|| a.remove(*i)).is_some()
            }
            _ => false,
        }
    }
}

impl Tree for toml::Value {
    fn child(&mut self, step: &Step) -> Option<&mut Self> {
        match (step, self) {
            (Step::Key(k), toml::Value::Table(m)) => m.get_mut(k),
            (Step::Index(i), toml::Value::Array(a)) => a.get_mut(*i),
            _ => None,
        }
    }

    fn remove(&mut self, step: &Step) -> bool {
        match (step, self) {
            (Step::Key(k), toml::Value::Table(m)) => m.remove(k).is_some(),
            (Step::Index(i), toml::Value::Array(a)) => {
                (*i < a.len()).then(|| a.remove(*i)).is_some()
            }
            _ => false,
        }
    }
}

/// What has been taken out so far, in the file's own positions, to say where a later error
/// is in the file and to know a "missing field" this reading caused.
#[derive(Default)]
struct Taken {
    /// For each list (by its path in the file), the positions taken out of it.
    items: BTreeMap<Vec<Step>, BTreeSet<usize>>,
    /// Fields taken out (their paths in the file).
    fields: BTreeSet<Vec<Step>>,
}

impl Taken {
    /// A path in the tree as it is now, as a path in the file.
    fn in_file(&self, now: &[Step]) -> Vec<Step> {
        let mut out: Vec<Step> = Vec::with_capacity(now.len());
        for step in now {
            let next = match step {
                Step::Index(k) => Step::Index(self.position_in_file(&out, *k)),
                key => key.clone(),
            };
            out.push(next);
        }
        out
    }

    /// The position in the file of the `k`-th item still in the list at `list`.
    fn position_in_file(&self, list: &[Step], k: usize) -> usize {
        let Some(gone) = self.items.get(list) else {
            return k;
        };
        (0..).filter(|i| !gone.contains(i)).nth(k).unwrap_or(k)
    }

    fn record(&mut self, file_path: &[Step]) {
        match file_path.split_last() {
            Some((Step::Index(i), list)) => {
                self.items.entry(list.to_vec()).or_default().insert(*i);
            }
            Some((Step::Key(_), _)) => {
                self.fields.insert(file_path.to_vec());
            }
            None => {}
        }
    }
}

/// The path as the errors write it: `relinquished[1].transferred`.
fn written(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// serde_path_to_error's path as steps; `None` when it holds a step that cannot be followed
/// in the tree (an enum's variant, or a place the parser did not know).
fn steps(p: &serde_path_to_error::Path) -> Option<Vec<Step>> {
    p.iter()
        .map(|s| match s {
            Segment::Seq { index } => Some(Step::Index(*index)),
            Segment::Map { key } => Some(Step::Key(key.clone())),
            _ => None,
        })
        .collect()
}

/// The errors after `first` (whose path is `first_path`, in the file), found by reading `tree`
/// again without each field in error; `words` turns a parser's message into the sentence the
/// errors carry. At most [`MAX_ERRORS`] − 1 are returned.
pub fn after_first<T, F>(
    tree: T,
    first_path: &serde_path_to_error::Path,
    words: impl Fn(&str) -> String,
) -> Vec<InputError>
where
    T: Tree + for<'de> serde::Deserializer<'de>,
    F: DeserializeOwned,
{
    let mut out = Vec::new();
    let Some(first) = steps(first_path) else {
        return out;
    };
    let (mut tree, mut taken) = (tree, Taken::default());
    let mut target = first.clone();
    let mut said = BTreeSet::from([first]);
    for _ in 0..MAX_ERRORS * 3 {
        if out.len() + 1 >= MAX_ERRORS || target.is_empty() {
            break;
        }
        let in_file = taken.in_file(&target);
        if !tree.take_out(&target) {
            break;
        }
        taken.record(&in_file);
        let Err(e) = serde_path_to_error::deserialize::<T, F>(tree.clone()) else {
            break;
        };
        let Some(now) = steps(e.path()) else {
            break;
        };
        // TOML's tree adds the key it was reading on a line of its own ("\nin `replacement`"):
        // the path already says where.
        let text = e.into_inner().to_string();
        let message = text
            .split("\nin `")
            .next()
            .unwrap_or(&text)
            .trim()
            .to_string();
        let where_now = taken.in_file(&now);
        if let Some(field) = missing_field(&message) {
            let mut gone = where_now.clone();
            gone.push(Step::Key(field.to_string()));
            if taken.fields.contains(&gone) {
                // The field this reading took out: take out what holds it instead.
                target = now;
                continue;
            }
        }
        if said.insert(where_now.clone()) {
            out.push(InputError {
                path: written(&where_now),
                rule: rule_of(&message).to_string(),
                message: words(&message),
            });
        }
        // The field in error is taken out next; a field truly missing cannot be, so its
        // holder is (the error's path is the holder's then).
        target = now;
    }
    out
}

/// The field a "missing field `x`" error names.
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use crate::input::{Format, InputErrors, read_file};

    /// A file of two lists with a mistake in several places: an unknown field (which leaves a
    /// required one missing), a date that is no date, a purchase missing its date, and an
    /// amount that is no amount in the purchase after it.
    const BAD: &str = r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "complex"
location = "TX"
acquired = "2008-06-01"
transferred = "2026-02-16"
sale_prise = "5000000"
adjusted_basis = "2000000"
[[identified]]
id = "first"
description = "Rental property 1"
fmv = "1500000"
identified_on = "2026-13-15"
[[replacement]]
id = "first"
location = "TX"
price = "1500000"
[[replacement]]
id = "second"
location = "TX"
received = "2026-06-01"
price = "2000000"
[[replacement]]
id = "third"
location = "TX"
received = "2026-06-01"
price = true
"#;

    fn errors(text: &str, format: Format) -> InputErrors {
        match read_file(text, format) {
            Err(e) => e,
            Ok(_) => panic!("the file should not read"),
        }
    }

    fn listed(e: &InputErrors) -> Vec<(String, String)> {
        e.errors
            .iter()
            .map(|x| (x.path.clone(), x.rule.clone()))
            .collect()
    }

    #[test]
    fn every_field_in_error_is_listed_in_one_round() {
        let e = errors(BAD, Format::Toml);
        let all = listed(&e);
        // The first is the parser's, with its place in the file.
        assert!(e.errors[0].message.contains(" at line "), "{e}");
        for want in [
            ("relinquished[0].sale_prise", "unknown_field"),
            ("relinquished[0]", "required"),
            ("identified[0].identified_on", "date"),
            ("replacement[0]", "required"),
            // Still the third purchase of the file after the first was taken out.
            ("replacement[2].price", "type"),
        ] {
            assert!(
                all.iter().any(|(p, r)| p == want.0 && r == want.1),
                "{want:?} missing from {e}"
            );
        }
        // The others carry no place (the tree has none) and no parser's trailer.
        assert!(
            e.errors[1..].iter().all(|x| !x.message.contains("\nin `")),
            "{e}"
        );
        // No error is said twice, and the field taken out is not reported missing.
        let paths: std::collections::BTreeSet<_> = all.iter().map(|(p, _)| p).collect();
        assert_eq!(paths.len(), all.len(), "{e}");
        assert!(
            !e.errors
                .iter()
                .any(|x| x.message.contains("sale_prise") && x.rule == "required"),
            "{e}"
        );
    }

    #[test]
    fn json_lists_them_all_too() {
        let json = r#"{"exchange": {"as_of": "2026-11-25", "colour": "red"},
            "taxpayer": {"entity": "individual"},
            "relinquished": [{"id": "a", "location": "TX", "acquired": "2008-06-01",
              "transferred": "2026-02-16", "sale_price": [1], "adjusted_basis": "2"}],
            "replacement": [{"id": "b", "location": "TX", "received": "2026-05-01",
              "price": "10", "kind": "spaceship"}]}"#;
        let e = errors(json, Format::Json);
        let all = listed(&e);
        assert_eq!(all[0].0, "exchange.colour", "{e}");
        assert!(
            all.iter().any(|(p, _)| p == "relinquished[0].sale_price"),
            "{e}"
        );
        assert!(all.iter().any(|(p, _)| p == "replacement[0].kind"), "{e}");
    }

    #[test]
    fn a_syntax_error_is_the_only_one() {
        let e = errors("[exchange\nas_of = 1", Format::Toml);
        assert_eq!(e.errors.len(), 1, "{e}");
        let e = errors("{\"exchange\": {", Format::Json);
        assert_eq!(e.errors.len(), 1, "{e}");
    }

    #[test]
    fn the_list_stops_at_its_limit() {
        let mut text = String::from("[exchange]\n");
        for i in 0..40 {
            text.push_str(&format!("unknown_{i:02} = 1\n"));
        }
        let e = errors(&text, Format::Toml);
        assert_eq!(e.errors.len(), super::MAX_ERRORS, "{e}");
    }
}
