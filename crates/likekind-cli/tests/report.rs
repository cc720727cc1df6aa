//! End-to-end tests of `likekind report`, run as a user runs it: the real binary writes each
//! kind of paper for an example file, the PDF is read back with `pdftotext` (Debian's
//! poppler-utils), the same file and date give the same bytes, and a bad request is refused
//! in words without writing a file.
//!
//! Without poppler-utils the text checks are skipped with a message, unless
//! `LIKEKIND_REQUIRE_PDFTOOLS=1` (CI sets it), which makes a missing tool a failure.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run likekind")
}

fn pdftotext_present() -> bool {
    let ok = Command::new("pdftotext").arg("-v").output().is_ok();
    if !ok {
        assert!(
            std::env::var("LIKEKIND_REQUIRE_PDFTOOLS").as_deref() != Ok("1"),
            "pdftotext not found and LIKEKIND_REQUIRE_PDFTOOLS=1: install poppler-utils"
        );
        eprintln!("SKIPPED text checks: pdftotext not found (install poppler-utils)");
    }
    ok
}

fn text_of(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(o.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Writes `kind` for `file` as of Nov 25, 2026 and returns the PDF's path.
fn paper(dir: &Path, file: &str, kind: &str, name: &str) -> PathBuf {
    let out = dir.join(name);
    let o = run(&[
        "report",
        file,
        "-o",
        out.to_str().unwrap(),
        "--kind",
        kind,
        "--as-of",
        "2026-11-25",
    ]);
    assert!(
        matches!(o.status.code(), Some(0) | Some(1)),
        "{file} --kind {kind}: exit {:?}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "{name} is not a PDF");
    out
}

#[test]
fn every_kind_of_paper_is_written_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let report = paper(d, "examples/contract-example.toml", "report", "report.pdf");
    let notice = paper(d, "examples/contract-example.toml", "notice", "notice.pdf");
    let statement = paper(
        d,
        "examples/contract-example.toml",
        "statement",
        "statement.pdf",
    );
    let plan = paper(d, "examples/seed000-boot-500k.toml", "plan", "plan.pdf");
    if !pdftotext_present() {
        return;
    }
    let r = text_of(&report);
    assert!(
        r.contains("Form 8824"),
        "the report has the Form 8824 lines:\n{r}"
    );
    assert!(
        r.contains("Nov 25, 2026"),
        "the report shows its as-of date:\n{r}"
    );
    assert!(
        !r.contains("2026-11-25"),
        "dates are in words, not ISO:\n{r}"
    );
    let n = text_of(&notice);
    assert!(
        n.to_lowercase().contains("signature"),
        "the notice has a signature line:\n{n}"
    );
    let s = text_of(&statement);
    assert!(s.contains('$'), "the statement shows money:\n{s}");
    let p = text_of(&plan);
    assert!(
        p.to_lowercase().contains("recommend"),
        "the plan states its recommendation:\n{p}"
    );
}

/// A statement for a file with no qualified holder (so no (g)(6) release date, Treas. Reg.
/// §1.1031(k)-1(g)(3), (g)(4)(i), (g)(6)) and no release date of its own posts no release of
/// the money left over on a date nobody gave; it says the money is still held and why.
#[test]
fn a_statement_posts_no_release_on_a_date_nobody_gave() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-intermediary.toml");
    let text =
        std::fs::read_to_string(root().join("examples/disqualified-intermediary.toml")).unwrap();
    let start = text.find("[qualified_intermediary]").unwrap();
    let text = text[..start]
        .replace(
            "as_of = \"2026-11-25\"",
            "as_of = \"2026-11-25\"\nqualified_intermediary = false",
        )
        .replace("\nprice = \"400000\"", "\nprice = \"300000\"");
    std::fs::write(&file, text).unwrap();
    let statement = paper(
        dir.path(),
        file.to_str().unwrap(),
        "statement",
        "statement.pdf",
    );
    if !pdftotext_present() {
        return;
    }
    let s = text_of(&statement)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        !s.contains("Exchange funds left over") && s.contains("Released to the taxpayer $0.00"),
        "a release was posted:\n{s}"
    );
    assert!(s.contains("$100,000.00 is held on Nov 25, 2026"), "{s}");
    assert!(
        s.contains("gives no date on which it went to the taxpayer"),
        "{s}"
    );
    assert!(s.contains("No release date applies"), "{s}");
    assert!(
        s.contains("None named (no qualified intermediary held the funds)"),
        "{s}"
    );
    assert!(!s.contains("Releases are limited"), "{s}");
}

#[test]
fn the_same_file_and_date_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = paper(
        dir.path(),
        "examples/contract-example.toml",
        "report",
        "a.pdf",
    );
    let b = paper(
        dir.path(),
        "examples/contract-example.toml",
        "report",
        "b.pdf",
    );
    assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
}

#[test]
fn a_bad_request_is_refused_in_words_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never.pdf");
    // An unknown kind of paper: clap names the choices.
    let o = run(&[
        "report",
        "examples/contract-example.toml",
        "-o",
        out.to_str().unwrap(),
        "--kind",
        "invoice",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("invoice") && err.contains("notice"), "{err}");
    assert!(!out.exists());
    // A file that is not an exchange file: named, with what is wrong, and no PDF.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[exchange]\nname = 3\n").unwrap();
    let o = run(&["report", bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.toml") && err.contains("not a usable exchange file"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_refused_request_keeps_the_old_paper_and_a_good_one_replaces_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.pdf");
    std::fs::write(&out, b"the paper from last week").unwrap();
    let o = run(&[
        "report",
        "examples/contract-example.toml",
        "-o",
        out.to_str().unwrap(),
        "--as-of",
        "2026-02-30",
    ]);
    assert_eq!(o.status.code(), Some(2), "an impossible date is refused");
    assert_eq!(std::fs::read(&out).unwrap(), b"the paper from last week");
    let out = paper(
        dir.path(),
        "examples/contract-example.toml",
        "report",
        "report.pdf",
    );
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(
        left,
        vec!["report.pdf".to_string()],
        "no temporary file is left"
    );
    // A folder that does not exist: refused in words, naming the path.
    let missing = dir.path().join("no-such-folder").join("r.pdf");
    let o = run(&[
        "report",
        "examples/contract-example.toml",
        "-o",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot write") && err.contains("r.pdf"),
        "{err}"
    );
}

/// Treas. Reg. §1.1031(k)-1(c)(3): the street address and the legal description given in the
/// exchange file are printed on the notice for signature.
#[test]
fn the_notice_prints_the_files_street_address_and_legal_description() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string(root().join("examples/contract-example.toml")).unwrap();
    let with = src.replacen(
        "description = \"Elm Plaza, 400 Elm St, Austin TX\"\nfmv",
        "description = \"Elm Plaza\"\naddress = \"400 Elm St, Austin, TX 78701\"\nlegal_description = \"Lot 7, Block 3, Elm Addition, Travis County, Texas\"\nfmv",
        1,
    );
    assert_ne!(
        with, src,
        "the example's identification is where the test expects it"
    );
    let file = dir.path().join("elm.toml");
    std::fs::write(&file, with).unwrap();
    let notice = paper(dir.path(), file.to_str().unwrap(), "notice", "notice.pdf");
    if !pdftotext_present() {
        return;
    }
    let t = text_of(&notice)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        t.contains("Street address: 400 Elm St, Austin, TX 78701"),
        "{t}"
    );
    assert!(
        t.contains("Legal description: Lot 7, Block 3, Elm Addition, Travis County, Texas"),
        "{t}"
    );
    assert!(!t.contains("Description missing"), "{t}");
}

/// `-o` naming the exchange file itself is refused before anything is written: the file is
/// still the exchange file afterwards, not a PDF.
#[test]
fn the_paper_never_replaces_the_exchange_file() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("x.toml");
    let text = std::fs::read(root().join("examples/reverse-exchange.toml")).unwrap();
    std::fs::write(&file, &text).unwrap();
    let f = file.to_str().unwrap();
    let o = run(&["report", f, "-o", f]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("is the file being read"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), text);
}

/// Words a PDF must carry that no other test reads from the paper itself: a plan's path that
/// is not available says its figures are hypothetical, and a report whose exchange will fail
/// unless something changes in time (IRC §1031(a)(3)) says its Form 8824 lines are not to be
/// filed as entered.
#[test]
fn a_plan_and_a_pending_report_say_what_their_figures_are() {
    let dir = tempfile::tempdir().unwrap();
    let plan = paper(
        dir.path(),
        "examples/contract-example.toml",
        "plan",
        "plan.pdf",
    );
    let pending = dir.path().join("pending.pdf");
    let o = run(&[
        "report",
        "crates/likekind-core/tests/qa12/s03_received_late.toml",
        "-o",
        pending.to_str().unwrap(),
        "--kind",
        "report",
        "--as-of",
        "2026-07-01",
    ]);
    assert!(
        matches!(o.status.code(), Some(0) | Some(1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    if !pdftotext_present() {
        return;
    }
    let words = |pdf: &Path| {
        text_of(pdf)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let p = words(&plan);
    assert!(p.contains("No (figures hypothetical)"), "{p}");
    let r = words(&pending);
    assert!(r.contains("Not to be filed as entered."), "{r}");
    assert!(r.contains("will fail (not settled yet"), "{r}");
    assert!(!r.contains("Not to be filed. The exchange fails"), "{r}");
}
