//! End-to-end, `likekind deadlines`: what the eighth QA pass found about fiscal years (IRC
//! §441(e): a fiscal year ends on the last day of a month).

use serde_json::Value;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run likekind: {e}"))
}

fn exchange_end(year_end: &str) -> Value {
    let o = run(&[
        "deadlines",
        "--transferred",
        "2028-02-29",
        "--tax-year-end",
        year_end,
        "--as-of",
        "2026-12-07",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    v
}

/// A sale on Feb 29, 2028 by a taxpayer whose year ends in February: the year ends that day,
/// the return is due Jun 15, 2028 (IRC §6072(a)), and without an extension that ends the
/// exchange period (IRC §1031(a)(3)(B)(ii)), whether the year end is written 02-28 or 02-29.
#[test]
fn a_leap_day_sale_falls_in_the_year_that_ends_in_february() {
    for ye in ["02-28", "02-29"] {
        let v = exchange_end(ye);
        let d = if v["deadlines"].is_object() {
            &v["deadlines"]
        } else {
            &v
        };
        assert_eq!(d["tax_year_end"], "2028-02-29", "{ye}: {v}");
        assert_eq!(d["exchange_end"], "2028-06-15", "{ye}: {v}");
    }
}

/// A day that is not the last of its month is refused in words, with the rule.
#[test]
fn a_mid_month_year_end_is_refused() {
    let o = run(&[
        "deadlines",
        "--transferred",
        "2026-10-30",
        "--tax-year-end",
        "06-15",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("last day of a month"), "{err}");
    assert!(!err.contains("[tax_year_end]"), "{err}");
}

/// QA8 6: a completed exchange (identified Nov 5, received Nov 20, 2026) has no next
/// deadline in a book's check: the extension that would keep day 180 is not needed once all
/// the property is received (IRC §1031(a)(3)).
#[test]
fn a_completed_exchange_has_no_next_deadline() {
    let book = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/qa8");
    let out = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("qa8-check.jsonl");
    let _ = std::fs::remove_file(&out);
    let o = run(&[
        "check",
        &book.to_string_lossy(),
        "--as-of",
        "2026-12-06",
        "-o",
        &out.to_string_lossy(),
    ]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(!table.contains("file the extension"), "{table}");
    let lines = std::fs::read_to_string(&out).unwrap_or_default();
    let v: Value = serde_json::from_str(lines.lines().next().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}: {lines}"));
    assert_eq!(v["settled"], true, "{v}");
    assert_eq!(v["outcome"], "exchange", "{v}");
    assert!(v.get("next_deadline").is_none(), "{v}");
}
