//! End-to-end tests of `likekind analyze`, `init` and the help, run as a user runs them:
//! the real binary on the files in `examples/` and on malformed files.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_likekind"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(root())
        .output()
        .expect("run likekind")
}

fn json_of(file: &str) -> Value {
    let o = run(&["analyze", file, "--format", "json"]);
    assert!(
        matches!(o.status.code(), Some(0) | Some(1)),
        "{file}: exit {:?}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{file}: not JSON: {e}"))
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("likekind-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write temp file");
    p
}

#[test]
fn every_example_analyses() {
    let mut n = 0;
    for e in std::fs::read_dir(root().join("examples")).expect("examples/") {
        let p = e.expect("entry").path();
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
        if ext != "toml" && ext != "json" {
            continue;
        }
        let rel = format!(
            "examples/{}",
            p.file_name().and_then(|x| x.to_str()).unwrap_or("")
        );
        let r = json_of(&rel);
        for key in [
            "deadlines",
            "identification",
            "form_8824",
            "gain",
            "boot",
            "replacement_basis",
            "findings",
            "explanation",
        ] {
            assert!(r.get(key).is_some(), "{rel}: report lacks {key}");
        }
        let text = run(&["analyze", &rel]);
        assert!(
            String::from_utf8_lossy(&text.stdout).contains("Form 8824, Part III"),
            "{rel}: text report"
        );
        n += 1;
    }
    assert!(n >= 7, "expected the seed examples, found {n}");
}

fn findings(r: &Value) -> Vec<String> {
    r["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn contract_example_matches_the_law() {
    let r = json_of("examples/contract-example.toml");
    let l = &r["form_8824"];
    // verification.md §1.5(a): expenses paid from proceeds are constructively received.
    assert_eq!(l["line_15"], "370000.00");
    assert_eq!(l["line_19"], "570000.00");
    assert_eq!(l["line_23"], "370000.00");
    assert_eq!(l["line_25"], "400000.00");
    assert_eq!(r["boot"]["net_liabilities"], "50000.00");
    assert_eq!(r["deadlines"]["identification_end"], "2026-04-16");
    assert_eq!(r["deadlines"]["day_180"], "2026-08-29");
    assert_eq!(r["deadlines"]["exchange_end_rule"], "day_180");
    assert_eq!(r["replacement_basis"][0]["id"], "elm");
    assert_eq!(r["replacement_basis"][0]["basis"], "400000.00");
    let codes = findings(&r);
    assert!(codes.contains(&"cash_boot".to_string()));
    assert!(codes.contains(&"mortgage_boot".to_string()));
}

#[test]
fn seed_alex_boot_is_mortgage_boot_not_cash() {
    let r = json_of("examples/seed001-alex-boot.toml");
    assert_eq!(r["boot"]["cash"], "0.00");
    assert_eq!(r["boot"]["net_liabilities"], "200000.00");
    assert_eq!(r["gain"]["recognized"], "200000.00");
    assert_eq!(r["money"]["purchases"][0]["cash_paid"], "100000.00");
    assert!(findings(&r).contains(&"own_cash_needed".to_string()));
}

#[test]
fn seed_debt_boot_is_100k_not_150k() {
    let r = json_of("examples/seed004-debt-boot.toml");
    assert_eq!(r["boot"]["net_liabilities"], "100000.00");
    assert_eq!(r["gain"]["recognized"], "100000.00");
    assert_eq!(r["form_8824"]["line_25"], "350000.00");
}

#[test]
fn seed_allocations() {
    let r = json_of("examples/seed003-one-for-two.toml");
    assert_eq!(r["replacement_basis"][0]["basis"], "240000.00");
    assert_eq!(r["replacement_basis"][1]["basis"], "160000.00");
    let r = json_of("examples/seed003-apartment-into-three.toml");
    let b: Vec<&str> = r["replacement_basis"]
        .as_array()
        .expect("array")
        .iter()
        .map(|x| x["basis"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(b, ["600000.00", "800000.00", "600000.00"]);
    assert_eq!(r["gain"]["deferred"], "3000000.00");
    let r = json_of("examples/seed003-consolidation.toml");
    assert_eq!(r["gain"]["recognized"], "0.00");
    assert_eq!(r["money"]["purchases"][0]["cash_paid"], "70000.00");
    let r = json_of("examples/seed002-lot-at-a-loss.toml");
    assert_eq!(r["gain"]["realized"], "-100000.00");
    assert_eq!(r["gain"]["recognized"], "0.00");
    assert_eq!(r["replacement_basis"][0]["basis"], "200000.00");
    assert!(findings(&r).contains(&"realized_loss_not_recognized".to_string()));
}

#[test]
fn json_report_snapshot() {
    let r = json_of("examples/contract-example.toml");
    insta::assert_json_snapshot!("contract_example_report", r);
}

#[test]
fn text_report_snapshot() {
    let o = run(&["analyze", "examples/seed001-alex-boot.toml", "--explain"]);
    insta::assert_snapshot!("alex_text_report", String::from_utf8_lossy(&o.stdout));
}

const BASE: &str = r#"
[taxpayer]
entity = "individual"

[[relinquished]]
id = "a"
location = "CA"
acquired = "2015-06-01"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"

[[replacement]]
id = "b"
location = "TX"
received = "2026-05-01"
price = "1000000"
"#;

fn expect_input_error(name: &str, text: &str, must_mention: &[&str]) {
    let p = temp_file(name, text);
    let o = bin().args(["analyze"]).arg(&p).output().expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{name}: exit code; stderr: {err}");
    for m in must_mention {
        assert!(
            err.contains(m),
            "{name}: stderr should mention {m:?}: {err}"
        );
    }
    assert!(!err.contains("panicked"), "{name}: panic: {err}");
}

#[test]
fn malformed_inputs_exit_2_naming_the_field() {
    expect_input_error(
        "unknown.toml",
        &BASE.replace("sale_price", "sale_prise"),
        &["relinquished[0]", "unknown_field", "sale_prise"],
    );
    expect_input_error(
        "date.toml",
        &BASE.replace("2026-05-01", "2026-02-30"),
        &["replacement[0].received"],
    );
    expect_input_error(
        "neg.toml",
        &BASE.replace("\"1000000\"\nadjusted", "\"-5\"\nadjusted"),
        &["relinquished[0].sale_price", "non_negative"],
    );
    expect_input_error(
        "missing.toml",
        &BASE.replace("adjusted_basis = \"400000\"\n", ""),
        &["adjusted_basis", "required"],
    );
    expect_input_error(
        "order.toml",
        &BASE.replace("2026-05-01", "2026-01-01"),
        &["replacement[0].received", "date_order"],
    );
    expect_input_error(
        "acq.toml",
        &BASE.replace("2015-06-01", "2027-01-01"),
        &["relinquished[0].acquired", "date_order"],
    );
    expect_input_error(
        "entity.toml",
        &BASE.replace("individual", "llc"),
        &["taxpayer.entity"],
    );
    expect_input_error(
        "year_end.toml",
        &BASE.replace(
            "entity = \"individual\"",
            "entity = \"individual\"\ntax_year_end = \"02-30\"",
        ),
        &["taxpayer.tax_year_end"],
    );
    expect_input_error(
        "money.toml",
        &BASE.replace("\"400000\"", "\"400,000\""),
        &["relinquished[0].adjusted_basis"],
    );
    expect_input_error("syntax.toml", "[taxpayer\nentity=", &["TOML"]);
    expect_input_error(
        "bad.json",
        "{\"taxpayer\": {\"entity\": \"individual\"}, \"relinquished\": [{\"id\": 5}]}",
        &["relinquished[0].id"],
    );
    expect_input_error(
        "empty.toml",
        "[taxpayer]\nentity = \"individual\"\n",
        &["relinquished", "required"],
    );
    let o = run(&["analyze", "no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read"));
}

#[test]
fn several_errors_are_all_reported() {
    let text = BASE
        .replace("\"1000000\"\nadjusted", "\"-5\"\nadjusted")
        .replace("2015-06-01", "2027-01-01");
    let p = temp_file("several.toml", &text);
    let o = bin().args(["analyze"]).arg(&p).output().expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("sale_price") && err.contains("acquired"),
        "{err}"
    );
}

#[test]
fn error_findings_exit_1() {
    let text = BASE.replace("location = \"TX\"", "location = \"foreign:MX\"");
    let p = temp_file("foreign.toml", &text);
    let o = bin()
        .args(["analyze", "--format", "json"])
        .arg(&p)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    let r: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(findings(&r).contains(&"not_like_kind_foreign".to_string()));
}

#[test]
fn unbalanced_money_is_reported_with_the_gap() {
    let text = BASE
        .replace(
            "sale_price = \"1000000\"",
            "sale_price = \"1000000\"\ncash_received = \"0\"",
        )
        .replace(
            "\nprice = \"1000000\"",
            "\nprice = \"900000\"\ncash_paid = \"0\"",
        );
    let p = temp_file("unbalanced.toml", &text);
    let o = bin()
        .args(["analyze", "--format", "json"])
        .arg(&p)
        .output()
        .expect("run");
    let r: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(findings(&r).contains(&"unbalanced_exchange".to_string()));
    assert_eq!(r["money"]["gap"], "100000.00");
}

#[test]
fn json_and_toml_give_the_same_report() {
    let toml_r = json_of("examples/contract-example.toml");
    let file: Value = {
        let t =
            std::fs::read_to_string(root().join("examples/contract-example.toml")).expect("read");
        let v: toml_like::Table = toml_like::parse(&t);
        v
    };
    let p = temp_file(
        "contract.json",
        &serde_json::to_string(&file).expect("json"),
    );
    let o = bin()
        .args(["analyze", "--format", "json"])
        .arg(&p)
        .output()
        .expect("run");
    let json_r: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(toml_r["form_8824"], json_r["form_8824"]);
    assert_eq!(toml_r["replacement_basis"], json_r["replacement_basis"]);
}

/// Converts the example TOML to JSON through the engine's own model, so the JSON form is the
/// same structure (the contract says TOML and JSON are one structure).
mod toml_like {
    pub type Table = serde_json::Value;
    pub fn parse(t: &str) -> Table {
        let f =
            likekind_core::parse_exchange(t, likekind_core::Format::Toml).expect("valid example");
        serde_json::to_value(&f).expect("serialise")
    }
}

#[test]
fn as_of_flag_overrides_the_file() {
    let r = {
        let o = run(&[
            "analyze",
            "examples/contract-example.toml",
            "--format",
            "json",
            "--as-of",
            "2026-04-01",
        ]);
        serde_json::from_slice::<Value>(&o.stdout).expect("json")
    };
    assert_eq!(r["exchange"]["as_of"], "2026-04-01");
    let o = run(&[
        "analyze",
        "examples/contract-example.toml",
        "--as-of",
        "2026-13-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn help_reads_like_a_manual() {
    let o = run(&["--help"]);
    let h = String::from_utf8_lossy(&o.stdout);
    assert!(h.contains("analyze") && h.contains("EXIT CODES"), "{h}");
    let o = run(&["help", "analyze"]);
    let h = String::from_utf8_lossy(&o.stdout);
    assert!(
        h.contains("--explain") && h.contains("--as-of") && h.contains("--format"),
        "{h}"
    );
}

#[test]
fn init_writes_an_example_that_analyses() {
    let dir = std::env::temp_dir().join(format!("likekind-init-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let p = dir.join("x.toml");
    let _ = std::fs::remove_file(&p);
    let o = bin().arg("init").arg(&p).output().expect("run");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = bin().arg("init").arg(&p).output().expect("run");
    assert_eq!(o.status.code(), Some(2), "refuses to overwrite");
    let o = bin()
        .args(["analyze", "--format", "json"])
        .arg(&p)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn an_open_exchange_is_reported_in_progress() {
    let r = json_of("examples/weekend-day-45.toml");
    assert!(findings(&r).contains(&"exchange_in_progress".to_string()));
    let o = run(&["analyze", "examples/weekend-day-45.toml"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("IN PROGRESS"));
    // The same exchange judged after its period has ended is no longer in progress.
    let o = run(&[
        "analyze",
        "examples/weekend-day-45.toml",
        "--format",
        "json",
        "--as-of",
        "2027-06-01",
    ]);
    let r: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(!findings(&r).contains(&"exchange_in_progress".to_string()));
}

/// A reverse exchange's text report gives its Rev. Proc. 2000-37 dates first; the periods
/// counted from the sale appear only when a replacement was received after the sale, and say
/// that they also apply (IRC §1031(a)(3)).
#[test]
fn reverse_text_report_dates_follow_the_timeline() {
    let example = std::fs::read_to_string(root().join("examples/reverse-exchange.toml"))
        .expect("read the reverse example");
    let dates = |text: &str, name: &str| {
        let p = temp_file(name, text);
        let o = run(&["analyze", p.to_str().expect("utf-8 path")]);
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        let start = out.find("Dates\n").expect("a Dates section");
        let end = out[start..].find("Status as of").expect("the status") + start;
        out[start..end].to_string()
    };
    let parked = dates(&example, "reverse-parked.toml");
    let reverse_at = parked
        .find("Reverse: accommodation agreement")
        .expect(&parked);
    assert!(reverse_at < parked.find("Sale of the property given up").expect(&parked));
    assert!(!parked.contains("Identification period ends"), "{parked}");
    assert!(
        parked.contains("periods counted from the sale do not apply"),
        "{parked}"
    );
    // A second replacement received after the sale brings the forward periods back.
    let later = example.replace(
        "[[replacement]]",
        "[[identified]]\nid = \"elm\"\nfmv = \"50000\"\nidentified_on = \"2026-07-20\"\n\n[[replacement]]\nid = \"elm\"\nlocation = \"ID\"\nreceived = \"2026-08-10\"\nprice = \"50000\"\n\n[[replacement]]",
    );
    let both = dates(&later, "reverse-later.toml");
    assert!(
        both.contains("Aug 29, 2026 (also applies: received after the sale)"),
        "{both}"
    );
    assert!(!both.contains("do not apply"), "{both}");
    // The sale's identification is named for what it governs, not as the reverse exchange's.
    assert!(
        both.contains("Identification of property received after sale"),
        "{both}"
    );
    assert!(!both.contains("  Identification  "), "{both}");
}

/// Treas. Reg. §1.1031(k)-1(j)(2)(iii)(B), (g)(6)(i), (b)(2): property identified and never
/// bought, the exchange period ending at midnight on December 31 (a sale on Jul 4, 2026).
/// Whether the funds released after it are received in the year that ends or the next is not
/// settled: the JSON report carries the warning, and the text report says it in words, with
/// the uncertainty named and no machine date.
#[test]
fn an_exchange_period_ending_with_the_tax_year_is_said_uncertain() {
    let text = r#"
[exchange]
as_of = "2027-06-30"
qualified_intermediary = true
bona_fide_intent = true
[taxpayer]
entity = "individual"
[[relinquished]]
id = "rel"
location = "NV"
use = "business"
acquired = "2014-01-10"
transferred = "2026-07-04"
sale_price = "1000000"
adjusted_basis = "400000"
[[identified]]
id = "x"
fmv = "1000000"
identified_on = "2026-08-01"
"#;
    let p = temp_file("year-end-boundary.toml", text);
    let path = p.to_str().expect("utf-8 path");
    let o = run(&["analyze", "--format", "json", path]);
    let r: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(r["deadlines"]["exchange_end"], "2026-12-31", "{r}");
    assert!(
        findings(&r).contains(&"exchange_period_ends_with_tax_year".to_string()),
        "{:?}",
        findings(&r)
    );
    let o = run(&["analyze", path]);
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out
        .lines()
        .find(|l| l.contains("the last day of your tax year"))
        .unwrap_or_else(|| panic!("no year-end warning in:\n{out}"));
    assert!(line.contains("Dec 31, 2026"), "{line}");
    assert!(line.contains("uncertain"), "{line}");
    assert!(
        !line.contains("[U]") && !line.contains("2026-12-31"),
        "{line}"
    );
}
