//! `analyze::figures` is `analyze` without words: on every example exchange file, judged on
//! several days, its report is the full report with the explanation, the findings' messages,
//! the milestones' descriptions and the multi-asset statement left out, and the parts only a
//! whole report shows (Form 8824 Part I, the bases of the property received, the what-if of a
//! failed exchange) empty, and nothing else different.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::{Date, date};
use likekind_core::analyze::{analyze, figures};
use likekind_core::model::ExchangeFile;
use likekind_core::{Format, parse_exchange};
use serde_json::Value;
use std::path::PathBuf;

/// The report as JSON with the words and the parts `figures` leaves out removed.
fn without_words(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        for part in [
            "explanation",
            "form_8824_part_i",
            "replacement_basis",
            "other_property_basis",
        ] {
            o.remove(part);
        }
    }
    if let Some(q) = v.get_mut("qualification").and_then(Value::as_object_mut) {
        q.remove("if_qualified");
    }
    if let Some(fx) = v.get_mut("findings").and_then(Value::as_array_mut) {
        for f in fx {
            f["message"] = Value::from("");
        }
    }
    if let Some(m) = v.get_mut("multi_asset").and_then(Value::as_object_mut) {
        m.insert("statement".into(), Value::from(""));
    }
    if let Some(items) = v.pointer_mut("/status/items").and_then(Value::as_array_mut) {
        for i in items {
            i["description"] = Value::from("");
        }
    }
    v
}

/// Checks one file on one day; returns how many findings and steps the full report had.
fn same_figures(name: &str, f: &ExchangeFile, today: Date) -> (usize, usize) {
    let full = analyze(f, today);
    let quick = figures(f, today);
    assert!(
        quick.explanation.is_empty(),
        "{name} {today}: steps recorded"
    );
    assert!(
        quick.replacement_basis.is_empty()
            && quick.other_property_basis.is_empty()
            && quick.qualification.if_qualified.is_none()
            && quick.form_8824_part_i.line_1.is_empty(),
        "{name} {today}: a part only a whole report shows was computed"
    );
    assert!(
        quick.findings.iter().all(|x| x.message.is_empty()),
        "{name} {today}: messages written"
    );
    assert!(
        quick
            .multi_asset
            .as_ref()
            .is_none_or(|m| m.statement.is_empty()),
        "{name} {today}: multi-asset statement written"
    );
    let described = |r: &likekind_core::Report| {
        r.status.as_ref().map_or(0, |s| {
            s.items
                .iter()
                .filter(|i| !i.milestone.description.is_empty())
                .count()
        })
    };
    // Reverse exchanges' milestones have fixed descriptions, kept in both. The full report
    // describes at least the two periods (the release of the funds is a milestone only with
    // a qualified intermediary, escrow or trust holding them).
    assert!(
        described(&quick) <= 3 && described(&full) >= 2,
        "{name} {today}: milestone descriptions"
    );
    let a = without_words(serde_json::to_value(&full).unwrap());
    let b = without_words(serde_json::to_value(&*quick).unwrap());
    assert_eq!(
        a, b,
        "{name} on {today}: the figures differ from the report's"
    );
    (full.findings.len(), full.explanation.len())
}

#[test]
fn figures_are_the_report_without_its_words() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "{} examples", files.len());
    let (mut findings, mut steps) = (0, 0);
    for p in &files {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(p).unwrap();
        let mut x = parse_exchange(&text, Format::Toml).unwrap_or_else(|e| panic!("{name}: {e}"));
        // The file's own date, then days inside and after the periods of most examples.
        let own = same_figures(&name, x.file(), date(2026, 12, 3));
        findings += own.0;
        steps += own.1;
        for day in [date(2026, 3, 20), date(2026, 7, 1), date(2027, 6, 1)] {
            x.set_as_of(day);
            let (f, s) = same_figures(&name, x.file(), day);
            findings += f;
            steps += s;
        }
    }
    // The comparison had words to leave out.
    assert!(
        findings > 250 && steps > 4000,
        "{findings} findings, {steps} steps"
    );
}
