//! End-to-end: what the eighth QA pass found of field names, parser terms and property ids in
//! text meant for people (its defects 9 and 10), and the closing table's row of exchanges
//! still in progress, driven through the command line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run likekind: {e}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn scratch(name: &str, body: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("likekind-words-qa8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap_or_else(|e| panic!("{e}"));
    p
}

/// "How each date was computed" says what each date is, in words: not the report's keys
/// (`deadlines.day_45 = …`) or a flag written as code (`extension_filed = false`).
#[test]
fn deadlines_explain_each_date_in_words() {
    let o = run(&[
        "deadlines",
        "--transferred",
        "2026-10-30",
        "--as-of",
        "2026-12-07",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let how = out
        .split("How each date was computed:")
        .nth(1)
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        how.contains("Identification period: 45 days after the earliest transfer"),
        "{how}"
    );
    assert!(how.contains(": 2026-12-14"), "{how}");
    for code in ["deadlines.", "extension_filed", " = 20"] {
        assert!(!how.contains(code), "{code:?} in {how}");
    }
}

/// A date that does not exist, on the command line, is refused in words and with exit 2, not
/// with the date parser's "parameter 'day' … must be in range `1..=28`".
#[test]
fn an_impossible_date_on_the_command_line_is_refused_in_words() {
    let o = run(&["deadlines", "--transferred", "2026-02-30"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("February 2026 has 28 days"), "{err}");
    for code in ["parameter", "`", "..="] {
        assert!(!err.contains(code), "{code:?} in {err}");
    }
    let book = example("contract-example.toml");
    let book = book.to_string_lossy();
    let o = run(&["analyze", &book, "--as-of", "2026-13-01"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("a date is written year-month-day"), "{err}");
    assert!(!err.contains("parameter"), "{err}");
}

/// `analyze` names each property by its description, as the PDFs and pages do: the money of
/// each closing, the bases, the states and the explanation's steps.
#[test]
fn analyze_names_properties_by_their_description() {
    let file = example("contract-example.toml");
    let o = run(&[
        "analyze",
        &file.to_string_lossy(),
        "--as-of",
        "2026-12-07",
        "--explain",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    for said in [
        "  Sale of 12-unit apartment building, 12 Oak St, Sacramento CA\n",
        "  Purchase of Elm Plaza, 400 Elm St, Austin TX\n",
        "  Elm Plaza, 400 Elm St, Austin TX         FMV",
        "  12-unit apartment building, 12 Oak St, Sacramento CA (relinquished property): California",
        "Form 593 for 12-unit apartment building",
        "Basis of Elm Plaza, 400 Elm St, Austin TX: line 25",
        "Days 12-unit apartment building, 12 Oak St, Sacramento CA was held",
        "in force: Elm Plaza, 400 Elm St, Austin TX",
    ] {
        assert!(out.contains(said), "{said:?} not in\n{out}");
    }
    for id in [
        "Sale of oak",
        "Purchase of elm",
        ": oak: yes",
        ": elm: yes",
        "in force: elm",
        "cash paid of",
    ] {
        assert!(!out.contains(id), "{id:?} in\n{out}");
    }
}

const OPEN: &str = r#"{"exchange": {"name": "Open one", "as_of": "2026-12-07"}, "taxpayer": {"name": "Pat", "entity": "individual"}, "relinquished": [{"id": "a", "description": "Duplex, 1 A St", "location": "TX", "acquired": "2015-01-05", "transferred": "2026-11-02", "sale_price": "500000", "adjusted_basis": "200000"}], "identified": [{"id": "b", "description": "Fourplex, 2 B St", "fmv": "550000", "identified_on": "2026-11-20"}]}"#;

/// The closing table counts an exchange whose periods are still open apart, with its
/// figures on their own line; a line that is no usable exchange is named in words: a missing
/// field without the column of a closing brace, a line cut short after its last character.
#[test]
fn check_counts_exchanges_in_progress_and_names_bad_lines_in_words() {
    let book = scratch(
        "book.jsonl",
        &format!("{OPEN}\n{{}}\n{{\"exchange\": {{\"name\": \"cut\"\n"),
    );
    let out = book.with_extension("out.jsonl");
    let o = run(&[
        "check",
        &book.to_string_lossy(),
        "--as-of",
        "2026-12-07",
        "-o",
        &out.to_string_lossy(),
    ]);
    let table = text(&o.stdout);
    assert!(
        table.contains("In progress (periods still open)")
            && table
                .lines()
                .any(|l| l.starts_with("  In progress") && l.trim_end().ends_with(" 1")),
        "{table}"
    );
    assert!(
        table.contains("Not counted above: the exchanges in progress"),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("  Taxable sales") && l.trim_end().ends_with(" 0")),
        "an open exchange is not a taxable sale: {table}"
    );
    let missing = table
        .lines()
        .find(|l| l.contains(":2: "))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        missing.contains("A required field is missing: taxpayer"),
        "{missing}"
    );
    assert!(!missing.contains("column"), "{missing}");
    let cut = table
        .lines()
        .find(|l| l.contains(":3: "))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        cut.contains("the text ends in the middle of an object"),
        "{cut}"
    );
    assert!(!cut.contains("column 0"), "{cut}");
    assert!(cut.ends_with(" at column 28"), "{cut}");
}

/// QA8 5: "every property qualifies" is not "nothing is taxed": the closing table counts the
/// exchanges that still recognize gain (boot, IRC §1031(b)) on a row of their own.
#[test]
fn check_counts_exchanges_with_boot() {
    let dir = std::env::temp_dir().join(format!("likekind-words-qa8-boot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    for name in ["seed000-boot-500k.toml", "seed003-consolidation.toml"] {
        std::fs::copy(example(name), dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
    }
    let out = dir.join("out.jsonl");
    let o = run(&[
        "check",
        &dir.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let table = text(&o.stdout);
    let row = |label: &str| {
        table
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .map(|l| l.split_whitespace().last().unwrap_or_default().to_string())
            .unwrap_or_else(|| panic!("{label:?} not in {table}"))
    };
    assert_eq!(row("Exchanges (every property qualifies)"), "2", "{table}");
    assert_eq!(row("of these, with boot taxed"), "1", "{table}");
    assert_eq!(row("Recognized gain"), "$500,000.00", "{table}");
}
