//! The reports of every example, byte for byte: the JSON report, the text report with its
//! explanation and the plan (JSON) of every file in `examples/` and in `tests/verdict_files/`,
//! as of a fixed date, compared with the files in `tests/reports/`.
//!
//! A refactoring of the engine must leave every byte of these as it was. A change that means
//! to change a report regenerates them and shows the difference in review:
//! `LIKEKIND_BLESS=1 cargo test -p likekind-cli --test reports`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The report date of every run: fixed, so the status lines do not age.
const AS_OF: &str = "2026-11-25";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every example file, as a path from the workspace root.
fn files() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["examples", "crates/likekind-cli/tests/verdict_files"] {
        for e in std::fs::read_dir(root().join(dir)).expect("read dir") {
            let name = e.expect("entry").file_name().to_string_lossy().to_string();
            if name.ends_with(".toml") || name.ends_with(".json") {
                out.push(format!("{dir}/{name}"));
            }
        }
    }
    out.sort();
    out
}

/// What the binary writes for `args`, with its exit status on a last line.
fn output(args: &[&str]) -> Vec<u8> {
    let o = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run likekind");
    let mut out = o.stdout;
    out.extend_from_slice(format!("-- exit {:?}\n", o.status.code()).as_bytes());
    out
}

#[test]
fn every_report_is_as_recorded() {
    let bless = std::env::var_os("LIKEKIND_BLESS").is_some();
    let dir = root().join("crates/likekind-cli/tests/reports");
    let mut differ = Vec::new();
    let files = files();
    assert!(
        files.len() >= 30,
        "expected the examples, found {}",
        files.len()
    );
    for file in &files {
        let stem = Path::new(file)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let runs: [(&str, Vec<&str>); 3] = [
            (
                "json",
                vec!["analyze", file, "--as-of", AS_OF, "--format", "json"],
            ),
            ("txt", vec!["analyze", file, "--as-of", AS_OF, "--explain"]),
            (
                "plan.json",
                vec!["plan", file, "--as-of", AS_OF, "--format", "json"],
            ),
        ];
        for (ext, args) in runs {
            let got = output(&args);
            let path = dir.join(format!("{stem}.{ext}"));
            if bless {
                std::fs::write(&path, &got).expect("write");
                continue;
            }
            match std::fs::read(&path) {
                Ok(want) if want == got => {}
                Ok(_) => differ.push(format!(
                    "{} differs from `likekind {}`",
                    path.display(),
                    args.join(" ")
                )),
                Err(_) => differ.push(format!("{} is missing", path.display())),
            }
        }
    }
    assert!(
        differ.is_empty(),
        "reports changed:\n{}\nIf the change is meant, regenerate with LIKEKIND_BLESS=1 cargo test -p likekind-cli --test reports and review the diff.",
        differ.join("\n")
    );
}

/// The words a person would not read in a text report: a snake_case code (`day_180`,
/// `three_property`, `real_property_us`, in parentheses or not), a `name = value` dump of a
/// fact (`extension_filed = false`, `growth pct = 4`) or an amount without its dollar sign
/// (`1100000.00`). Each offending line, with what offends in it.
fn codes_in(text: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for line in text.lines() {
        let tokens: Vec<&str> = line
            .split(|c: char| {
                !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$' || c == ',')
            })
            .filter(|t| !t.is_empty())
            .collect();
        for t in &tokens {
            let t = t.trim_end_matches(['.', ',']);
            let snake = t.contains('_')
                && t.split('_').all(|p| {
                    !p.is_empty()
                        && p.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                });
            let bare_amount = !t.starts_with('$')
                && t.split_once('.').is_some_and(|(i, f)| {
                    i.len() >= 3
                        && f.len() == 2
                        && i.bytes().all(|b| b.is_ascii_digit())
                        && f.bytes().all(|b| b.is_ascii_digit())
                });
            if snake || bare_amount {
                bad.push(format!("`{t}` in: {line}"));
            }
        }
        // `name = value`, the value a yes/no or a bare number: a dump of a fact.
        for (k, _) in line.match_indices(" = ") {
            let after = line[k + 3..]
                .split([' ', ';', ',', ')'])
                .next()
                .unwrap_or("");
            let fact = matches!(after, "true" | "false")
                || (!after.is_empty() && after.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
            let named = line[..k].ends_with(|c: char| c.is_ascii_lowercase());
            if fact && named {
                bad.push(format!("`= {after}` in: {line}"));
            }
        }
    }
    bad
}

#[test]
fn the_check_for_codes_can_fail() {
    for line in [
        "  Exchange period ends    2026-08-29 (day_180)",
        "    OVERDUE: reverse_qeaa",
        "Exchange group real_property_us: FMV given",
        "  total sales price: 2000000.00",
        "without extension (the return extension = false)",
        "growth pct = 4",
    ] {
        assert!(!codes_in(line).is_empty(), "{line}");
    }
    for line in [
        "  Exchange period ends    Aug 29, 2026 (day 180: the exchange period ends)",
        "  Sale price      $2,000,000.00   0.95 of it; Rev. Proc. 2000-37 §4.02",
        "  Line 24: deferred gain or (loss) = line 19 - line 23: $1,100,000.00",
    ] {
        assert_eq!(codes_in(line), Vec::<String>::new(), "{line}");
    }
}

/// The text report of every example (`likekind analyze FILE`, with and without the
/// explanation) reads as words: no codes, no `name = value` dumps, no bare amounts.
#[test]
fn every_text_report_is_in_words() {
    let mut bad = Vec::new();
    for file in files().iter().filter(|f| f.starts_with("examples/")) {
        for args in [
            vec!["analyze", file.as_str(), "--as-of", AS_OF],
            vec!["analyze", file.as_str(), "--as-of", AS_OF, "--explain"],
        ] {
            let out = String::from_utf8_lossy(&output(&args)).to_string();
            for b in codes_in(&out) {
                bad.push(format!("{file}: {b}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "codes in the text reports:\n{}",
        bad.join("\n")
    );
}

/// The text plan of every example (`likekind plan FILE`, with and without the explanation)
/// reads as words too: findings by their titles, assumptions by their names, the
/// explanation's steps as sentences, amounts in dollars.
#[test]
fn every_text_plan_is_in_words() {
    let mut bad = Vec::new();
    let mut planned = 0;
    for file in files().iter().filter(|f| f.starts_with("examples/")) {
        for args in [
            vec!["plan", file.as_str(), "--as-of", AS_OF],
            vec!["plan", file.as_str(), "--as-of", AS_OF, "--explain"],
        ] {
            let out = String::from_utf8_lossy(&output(&args)).to_string();
            if out.starts_with("Plan: ") {
                planned += 1;
            }
            for b in codes_in(&out) {
                bad.push(format!("{file}: {b}"));
            }
        }
    }
    assert!(
        planned >= 20,
        "expected plans of the examples, got {planned}"
    );
    assert!(
        bad.is_empty(),
        "codes in the text plans:\n{}",
        bad.join("\n")
    );
}
