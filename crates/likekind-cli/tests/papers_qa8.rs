//! End-to-end, through `likekind report`: what the eighth QA pass found in the papers, read
//! back with `pdftotext` (files in tests/qa8 and the examples).
//!
//! - The intermediary's statement of an open exchange, dated Dec 6, 2026, showed the release
//!   the engine assumes for the Form 8824 figures ("Apr 16, 2027 Released to the taxpayer") as
//!   a posting and "Balance held $0.00". A statement shows only what happened on or before its
//!   date; the release still to come is said apart (Treas. Reg. §1.1031(k)-1(g)(6)).
//! - The identification notice called an intermediary the engine finds disqualified a
//!   "qualified intermediary" and did not warn that a notice delivered only to it identifies
//!   nothing (Treas. Reg. §1.1031(k)-1(c)(2)).
//! - The notice listing more than the three-property and 200% rules allow did not warn of
//!   the 95% rule (Treas. Reg. §1.1031(k)-1(c)(4)(ii)).
//! - Property ids stood in for names ("Sold: oak", "oak is California real property").
//!
//! Without poppler-utils the checks are skipped with a message, unless
//! `LIKEKIND_REQUIRE_PDFTOOLS=1`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn pdftotext_present() -> bool {
    let ok = Command::new("pdftotext").arg("-v").output().is_ok();
    if !ok {
        assert!(
            std::env::var("LIKEKIND_REQUIRE_PDFTOOLS").as_deref() != Ok("1"),
            "pdftotext not found and LIKEKIND_REQUIRE_PDFTOOLS=1: install poppler-utils"
        );
        eprintln!("SKIPPED: pdftotext not found (install poppler-utils)");
    }
    ok
}

/// The paper `kind` of `file` as of `as_of`, as text: with `-layout` (`layout`) for the
/// tables, or flowing, with every run of white space one space, for sentences.
fn paper(file: &str, kind: &str, as_of: &str, layout: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("paper.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(["report", file, "--kind", kind, "--as-of", as_of, "-o"])
        .arg(&out)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut args = vec![];
    if layout {
        args.push("-layout");
    }
    let t = Command::new("pdftotext")
        .args(args)
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let t = String::from_utf8_lossy(&t.stdout).to_string();
    if layout {
        t
    } else {
        t.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

fn h_id14() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/qa8/h-id14.toml")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn the_statement_of_an_open_exchange_holds_the_funds() {
    if !pdftotext_present() {
        return;
    }
    let t = paper(&h_id14(), "statement", "2026-12-06", true);
    assert!(t.contains("Statement date"), "{t}");
    assert!(!t.contains("Apr 16, 2027 Released"), "{t}");
    let held = t
        .lines()
        .find(|l| l.trim_start().starts_with("Balance held"))
        .unwrap_or_default();
    assert!(held.contains("$1,250,000.00"), "{t}");
    let released = t
        .lines()
        .find(|l| l.trim_start().starts_with("Released to the taxpayer "))
        .unwrap_or_default();
    assert!(released.contains("$0.00"), "{t}");
    let flat = paper(&h_id14(), "statement", "2026-12-06", false);
    assert!(
        flat.contains("Not yet released: $1,250,000.00 is held on Dec 6, 2026."),
        "{flat}"
    );
    assert!(flat.contains("on or after Apr 16, 2027"), "{flat}");
    assert!(
        flat.contains("Released to the taxpayer: nothing yet."),
        "{flat}"
    );
    // Once the day has come and gone, the file's inferred release is on the statement.
    let later = paper(&h_id14(), "statement", "2027-04-20", true);
    assert!(later.contains("Apr 16, 2027 Released"), "{later}");
}

#[test]
fn a_notice_to_a_disqualified_intermediary_is_not_called_qualified() {
    if !pdftotext_present() {
        return;
    }
    let t = paper(
        "examples/disqualified-intermediary.toml",
        "notice",
        "2026-12-06",
        false,
    );
    assert!(
        !t.contains("Smith CPA Exchange Services, qualified intermediary"),
        "{t}"
    );
    assert!(
        t.contains(
            "Before signing: Do not deliver this notice only to Smith CPA Exchange Services"
        ),
        "{t}"
    );
    assert!(t.contains("disqualified person"), "{t}");
    assert!(t.contains("escrow or title company"), "{t}");
    assert!(t.contains("(c)(2)"), "{t}");
    assert!(!t.contains("Received for the intermediary by"), "{t}");
}

#[test]
fn an_over_identifying_notice_warns_of_the_95_percent_rule() {
    if !pdftotext_present() {
        return;
    }
    let t = paper(
        "examples/over-identification-95-percent.toml",
        "notice",
        "2026-11-25",
        false,
    );
    assert!(
        t.contains("Before signing: This notice identifies 4 properties worth $2,100,000.00"),
        "{t}"
    );
    assert!(
        t.contains("at least $1,995,000.00 (95% of the value identified)"),
        "{t}"
    );
    assert!(t.contains("(c)(4)(ii)"), "{t}");
}

#[test]
fn papers_call_a_property_by_its_description() {
    if !pdftotext_present() {
        return;
    }
    let t = paper(&h_id14(), "report", "2026-12-06", false);
    assert!(t.contains("Sold: Duplex, 12 Oak St, Fresno CA"), "{t}");
    assert!(
        t.contains("Identified: Office building, 9 Elm St, Reno NV"),
        "{t}"
    );
    assert!(t.contains("Sale of Duplex, 12 Oak St, Fresno CA"), "{t}");
    assert!(
        t.contains("Duplex, 12 Oak St, Fresno CA is California real property"),
        "{t}"
    );
    for id in [
        "Sold: oak",
        "Sale of oak",
        "oak is California",
        "Identified: elm",
    ] {
        assert!(!t.contains(id), "{id}: {t}");
    }
    let s = paper(&h_id14(), "statement", "2026-12-06", false);
    assert!(s.contains("Sale of Duplex, 12 Oak St, Fresno CA"), "{s}");
}
