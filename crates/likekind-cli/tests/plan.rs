//! End-to-end tests of `likekind plan` on the seed 000 example files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn plan_json(file: &std::path::Path, extra: &[&str]) -> Value {
    let path = file.to_string_lossy().to_string();
    let mut args = vec!["plan", path.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON plan")
}

fn strategy<'a>(p: &'a Value, name: &str) -> &'a Value {
    p["strategies"]
        .as_array()
        .expect("strategies[]")
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no strategy {name}"))
}

fn has_finding(p: &Value, code: &str) -> bool {
    p["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["code"] == code)
}

/// A copy of an example with extra text appended (inside its [plan] block).
fn variant(name: &str, extra: &str) -> PathBuf {
    let text = std::fs::read_to_string(example(name)).expect("example");
    let p = std::env::temp_dir().join(format!(
        "likekind-plan-{}-{}-{}",
        std::process::id(),
        extra.len(),
        name
    ));
    std::fs::write(&p, format!("{text}\n{extra}\n")).expect("write");
    p
}

fn bad(args: &[&str], field: &str, rule: &str) {
    let out = run(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(err.contains(field), "field {field} not named: {err}");
    assert!(err.contains(rule), "rule {rule} not named: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn every_strategy_has_the_contract_keys() {
    for f in [
        "contract-example.toml",
        "seed000-failed-1m.toml",
        "seed000-boot-500k.toml",
        "seed000-different-gains.toml",
        "seed000-failed-late.toml",
    ] {
        let p = plan_json(&example(f), &[]);
        let names: Vec<&str> = p["strategies"]
            .as_array()
            .expect("strategies")
            .iter()
            .map(|s| s["name"].as_str().unwrap_or(""))
            .collect();
        let mut want = vec![
            "complete_1031",
            "partial_1031_boot_to_qof",
            "failed_1031_gain_to_qof",
            "sell_pay_tax",
            "installment_sale",
            "dst_fallback",
        ];
        if p["status"] == "partial" {
            want.insert(1, "partial_1031_as_entered");
        }
        assert_eq!(names, want, "{f}");
        assert!(
            p["recommended"]["strategy"].is_string(),
            "{f}: no recommendation"
        );
        for s in p["strategies"].as_array().expect("strategies") {
            for k in [
                "name",
                "eligible",
                "tax_now",
                "deferred",
                "recognition_date",
                "after_tax_value",
                "notes",
            ] {
                assert!(s.get(k).is_some(), "{f}: {} lacks {k}", s["name"]);
            }
            assert!(s["eligible"].is_boolean());
            assert!(s["notes"].is_array());
        }
        for w in p["oz"]["windows"].as_array().expect("oz.windows") {
            for k in ["gain", "start", "end", "authority"] {
                assert!(w[k].is_string(), "{f}: window lacks {k}");
            }
        }
        assert!(has_finding(&p, "plan_rough_estimate"), "{f}");
    }
}

#[test]
fn failed_million_is_rescued_in_2027() {
    let p = plan_json(&example("seed000-failed-1m.toml"), &[]);
    assert_eq!(p["status"], "failed");
    let w = &p["oz"]["windows"][0];
    assert_eq!(w["start"], "2026-08-01");
    assert_eq!(w["end"], "2027-01-27");
    assert_eq!(w["end_if_counted_like_1031"], "2027-01-28");
    assert!(w["authority"].as_str().unwrap_or("").contains("1400Z-2"));
    // The QI can release the funds in 2026, the tax year of the sale: Reg.
    // §1.1031(k)-1(j)(2) cannot apply, so no window starts on the release (rules.md §10.4).
    let windows = p["oz"]["windows"].as_array().cloned().unwrap_or_default();
    assert!(
        windows
            .iter()
            .all(|w| w["start_rule"] != "exchange_funds_released"),
        "{windows:?}"
    );
    let q = strategy(&p, "failed_1031_gain_to_qof");
    assert_eq!(q["eligible"], true);
    assert_eq!(q["tax_now"], "0.00");
    assert_eq!(q["deferred"], "1000000.00");
    // 2027-01-01 is New Year's Day: the plan invests on the first business day of 2027.
    assert_eq!(q["recognition_date"], "2032-01-04");
    assert_eq!(q["basis_step_up"], "100000.00");
    assert_eq!(q["qof"]["investment_date"], "2027-01-04");
    assert_eq!(q["qof"]["invest_to"], "2027-01-27");
    assert_eq!(q["qof"]["forms"]["form_8949"]["code"], "Z");
    assert_eq!(q["qof"]["forms"]["form_8949"]["tax_year"], 2026);
    assert_eq!(q["qof"]["forms"]["form_8997"]["investment_year"], 2027);
    // $300,000 unrecaptured §1250 at 25% + 3.8%, $700,000 at 20% + 3.8%.
    let sell = strategy(&p, "sell_pay_tax");
    assert_eq!(sell["tax_now"], "253000.00");
    assert_eq!(sell["eligible"], true);
    assert_eq!(strategy(&p, "complete_1031")["eligible"], false);
    assert_eq!(strategy(&p, "installment_sale")["eligible"], false);
    assert_eq!(p["recommended"]["strategy"], "failed_1031_gain_to_qof");
    assert!(has_finding(&p, "oz_2027_regime"));
    assert!(has_finding(&p, "oz_election_regulation_caveat"));
    assert!(!has_finding(&p, "oz_2027_regime_unverified"));
    assert!(has_finding(&p, "oz_failed_1031_start_no_authority"));
    assert!(has_finding(&p, "oz_zone_dates"));
    assert!(!has_finding(&p, "oz_zone_end_date_unverified"));
}

#[test]
fn text_puts_the_recommendation_first() {
    let out = run(&[
        "plan",
        example("seed000-failed-1m.toml").to_str().unwrap_or(""),
    ]);
    assert!(out.status.success());
    let t = String::from_utf8_lossy(&out.stdout);
    let rec = t.find("RECOMMENDED:").expect("recommendation");
    let table = t.find("Side by side").expect("table");
    assert!(rec < table);
    assert!(t.contains(
        "invest between Jan 4, 2027 and Jan 27, 2027 to get the 5-year deferral instead of inclusion on Dec 31, 2026"
    ));
    assert!(t.contains("Sell and pay the tax"));
    assert!(
        t.contains("  Horizon                                10 years\n"),
        "{t}"
    );
}

#[test]
fn boot_goes_to_a_qof_and_double_deferral_is_refused() {
    let p = plan_json(&example("seed000-boot-500k.toml"), &[]);
    assert_eq!(p["status"], "partial");
    let s = strategy(&p, "partial_1031_boot_to_qof");
    assert_eq!(s["eligible"], true);
    // The boot's $500,000 of cash must also pay the tax on the inclusion in 2032: invested
    // whole, nothing would be left for it. The fund takes the most the cash can carry,
    // $398,272, the rest of the boot's gain is taxed now, and the plan says how much more
    // money investing all of it would need.
    assert_eq!(s["tax_now"], "24211.26");
    assert_eq!(s["deferred"], "1098272.00");
    assert_eq!(s["qof"]["amount"], "398272.00");
    assert_eq!(
        s["qof"]["forms"]["form_8949"]["column_g_adjustment"],
        "-398272.00"
    );
    assert_eq!(s["qof"]["inclusion"]["amount_included"], "358444.80");
    assert!(
        s["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n.as_str().unwrap_or("").contains("not $500,000.00")),
        "{}",
        s["notes"]
    );
    assert_eq!(p["oz"]["eligible_gain_as_entered"], "500000.00");
    assert_eq!(p["recommended"]["strategy"], "partial_1031_boot_to_qof");
    let as_entered = strategy(&p, "partial_1031_as_entered");
    assert_eq!(as_entered["eligible"], true);
    // $200,000 unrecaptured §1250 at 28.8% + $300,000 at 23.8%.
    assert_eq!(as_entered["tax_now"], "129000.00");
    assert_eq!(as_entered["deferred"], "700000.00");
    // Half the boot in the QOF: the other half is taxed now.
    let half = variant("seed000-boot-500k.toml", "qof_amount = \"250000\"");
    let p = plan_json(&half, &[]);
    let s = strategy(&p, "partial_1031_boot_to_qof");
    assert_eq!(s["qof"]["amount"], "250000.00");
    assert_ne!(s["tax_now"], "0.00");
    let _ = std::fs::remove_file(half);
    // More than the boot's gain: those dollars are deferred by §1031 already.
    let over = variant("seed000-boot-500k.toml", "qof_amount = \"600000\"");
    bad(
        &["plan", over.to_str().unwrap_or("")],
        "plan.qof_amount",
        "no_double_deferral",
    );
    let _ = std::fs::remove_file(over);
}

#[test]
fn different_gains_use_different_tools() {
    let file = example("seed000-different-gains.toml");
    let p = plan_json(&file, &[]);
    assert_eq!(p["status"], "complete");
    assert_eq!(strategy(&p, "complete_1031")["eligible"], true);
    assert_eq!(strategy(&p, "failed_1031_gain_to_qof")["eligible"], false);
    assert_eq!(p["recommended"]["strategy"], "complete_1031");
    let g = &p["oz"]["other_gains"][0];
    assert_eq!(g["gain"], "300000.00");
    assert!(
        g["advice"]
            .as_str()
            .unwrap_or("")
            .contains("2027-01-04 and 2027-04-12")
    );
    assert_eq!(g["inclusion"]["inclusion_date"], "2032-01-04");
    assert!(
        p["oz"]["windows"]
            .as_array()
            .expect("windows")
            .iter()
            .any(|w| w["start"] == "2026-10-15" && w["end"] == "2027-04-12")
    );
    // The exchange's deferred gain cannot also go to a QOF.
    let text = std::fs::read_to_string(&file).expect("example");
    let twice =
        std::env::temp_dir().join(format!("likekind-plan-{}-twice.toml", std::process::id()));
    std::fs::write(
        &twice,
        text.replace(
            "horizon_years = 12",
            "horizon_years = 12\nqof_amount = \"1\"",
        ),
    )
    .expect("write");
    bad(
        &["plan", twice.to_str().unwrap_or("")],
        "plan.qof_amount",
        "no_double_deferral",
    );
    let _ = std::fs::remove_file(twice);
}

#[test]
fn late_failure_straddles_2027_and_keeps_recapture_out() {
    let p = plan_json(&example("seed000-failed-late.toml"), &[]);
    assert_eq!(p["status"], "failed");
    assert_eq!(p["oz"]["ordinary_recapture_not_eligible"], "150000.00");
    assert_eq!(p["oz"]["eligible_gain_if_failed"], "1650000.00");
    let w = p["oz"]["windows"].as_array().expect("windows");
    assert_eq!(w[0]["start"], "2026-10-28");
    assert_eq!(w[0]["end"], "2027-04-25");
    assert_eq!(w[0]["direct_authority"], true);
    // The funds count as received at the end of the exchange period, the return's due date
    // (Treas. Reg. §1.1031(k)-1(j)(2)(iii)(B)); that day is day 1 of the 180.
    assert_eq!(w[1]["start"], "2027-04-15");
    assert_eq!(w[1]["end"], "2027-10-11");
    assert_eq!(w[1]["direct_authority"], false);
    assert!(
        w[1]["authority"]
            .as_str()
            .unwrap_or("")
            .contains("No direct authority")
    );
    let q = strategy(&p, "failed_1031_gain_to_qof");
    assert_eq!(q["eligible"], true);
    assert_eq!(q["relies_on_no_direct_authority"], false);
    // The sale's net cash left outside the fund pays the inclusion's tax in 2032: the fund
    // takes $1,634,335 of the $1,650,000 eligible.
    assert_eq!(q["deferred"], "1634335.00");
    assert_eq!(q["qof"]["investment_date"], "2027-04-20");
    assert_eq!(q["qof"]["invest_to"], "2027-04-25");
    let i = strategy(&p, "installment_sale");
    assert_eq!(i["eligible"], true);
    assert_eq!(i["recognition_date"], "2027-04-15");
    // After the conservative window, only the unsupported reading is left: not recommended.
    let p = plan_json(
        &example("seed000-failed-late.toml"),
        &["--as-of", "2027-05-01"],
    );
    let q = strategy(&p, "failed_1031_gain_to_qof");
    assert_eq!(q["relies_on_no_direct_authority"], true);
    assert_ne!(p["recommended"]["strategy"], "failed_1031_gain_to_qof");
    assert!(has_finding(&p, "oz_window_closed"));
}

#[test]
fn flags_override_and_are_checked() {
    let f = example("seed000-failed-1m.toml");
    let p = plan_json(&f, &["--horizon-years", "15", "--growth", "6"]);
    assert_eq!(p["assumptions"]["horizon_years"], 15);
    assert_eq!(p["assumptions"]["growth_pct"], "6");
    assert_eq!(p["horizon_date"], "2041-11-25");
    let f = f.to_str().unwrap_or("");
    bad(
        &["plan", f, "--horizon-years", "0"],
        "plan.horizon_years",
        "horizon_range",
    );
    bad(
        &["plan", f, "--horizon-years", "200"],
        "plan.horizon_years",
        "horizon_range",
    );
    bad(
        &["plan", f, "--growth", "-100"],
        "plan.growth_pct",
        "growth_range",
    );
    bad(&["plan", f, "--growth", "abc"], "plan.growth_pct", "syntax");
    bad(
        &["plan", f, "--invest-on", "2027-06-01"],
        "plan.qof_investment_date",
        "oz_180_day_window",
    );
    let rate = variant("seed000-failed-1m.toml", "state_rate = \"101\"");
    bad(
        &["plan", rate.to_str().unwrap_or("")],
        "plan.state_rate",
        "tax_rate",
    );
    let _ = std::fs::remove_file(rate);
}

#[test]
fn help_reads_like_a_manual() {
    let out = run(&["plan", "--help"]);
    let t = String::from_utf8_lossy(&out.stdout);
    for s in [
        "[plan]",
        "EXIT CODES",
        "--horizon-years",
        "--growth",
        "2027-01-01",
        "QOF",
    ] {
        assert!(t.contains(s), "help lacks {s}: {t}");
    }
}

/// `likekind plan`: a row mixing §1031 deferral and a QOF investment does not label the whole
/// amount "until" the QOF inclusion date; each amount is labelled under the table.
#[test]
fn qof_amount_alone_is_deferred_until_the_inclusion_date() {
    let text = std::fs::read_to_string(example("seed000-boot-500k.toml"))
        .unwrap_or_default()
        .replace("[plan]", "[plan]\nqof_amount = \"200000\"");
    let p = std::env::temp_dir().join(format!("likekind-plan-{}-qof200.toml", std::process::id()));
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    let out = run(&["plan", p.to_str().unwrap_or("")]);
    let j = plan_json(&p, &[]);
    let _ = std::fs::remove_file(&p);
    assert!(out.status.success());
    let t = String::from_utf8_lossy(&out.stdout);
    let row = t
        .lines()
        .find(|l| l.starts_with("Partial 1031, boot's gain into a QOF"))
        .unwrap_or_default();
    assert!(!row.contains("Jan 4, 2032"), "{row}");
    assert!(
        t.contains("$700,000.00 deferred indefinitely under §1031; $200,000.00 invested in the QOF deferred until Jan 4, 2032; $300,000.00 taxed now"),
        "{t}"
    );
    let s = strategy(&j, "partial_1031_boot_to_qof");
    assert_eq!(s["deferred_indefinitely"], "700000.00");
    assert_eq!(s["deferred_temporarily"], "200000.00");
}

/// The text plan names every strategy in words: for every example, no strategy's key
/// (`strategies[].name`, the recommendation's `strategy`) and no explanation step's key
/// appears in the text, with or without the explanation; the JSON keeps the keys.
#[test]
fn the_text_plan_names_no_strategy_by_its_key() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut planned = 0;
    for f in &files {
        let path = f.to_string_lossy().to_string();
        let json = run(&["plan", &path, "--format", "json"]);
        if !json.status.success() {
            continue;
        }
        planned += 1;
        let p: Value = serde_json::from_slice(&json.stdout).expect("JSON plan");
        let mut keys: Vec<String> = p["strategies"]
            .as_array()
            .expect("strategies[]")
            .iter()
            .map(|s| s["name"].as_str().expect("name").to_string())
            .collect();
        keys.extend(p["recommended"]["strategy"].as_str().map(str::to_string));
        assert!(keys.len() >= 6, "{path}: {keys:?}");
        let steps = p["explanation"].as_array().expect("explanation[]");
        keys.extend(
            steps
                .iter()
                .map(|s| s["key"].as_str().expect("key").to_string()),
        );
        for explain in [false, true] {
            let mut args = vec!["plan", path.as_str()];
            if explain {
                args.push("--explain");
            }
            let out = run(&args);
            assert!(out.status.success(), "{path}");
            let text = String::from_utf8_lossy(&out.stdout);
            for k in &keys {
                assert!(
                    !text.contains(k.as_str()),
                    "{path}: `{k}` in the plan:\n{text}"
                );
            }
            let title = p["strategies"][0]["title"].as_str().expect("title");
            assert!(text.contains(title), "{path}: {title} not named");
        }
    }
    assert!(planned >= 20, "{planned} plans");
}

/// A failed exchange whose gain is reported under the installment method (Treas. Reg.
/// §1.1031(k)-1(j)(2)): besides the transfer and the QI's release, the 180 days may start on
/// the last day of the tax year in which the gain would be recognized (Treas. Reg.
/// §1.1400Z2(a)-1(b)(11)(viii)(B)), read with no direct authority for failed-§1031 gain. On
/// 2026-12-06 the transfer (2025-11-01) and release (2026-04-16) windows have closed, but the
/// one from 2026-12-31 runs to 2027-06-28 (day 1 = the start), so the QOF path is open and an
/// investment in 2027 falls under the amended rules.
#[test]
fn failed_installment_gain_gets_the_year_end_window() {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/verdict_files/failed-installment-with-debt.toml");
    let v = plan_json(&p, &[]);
    let w = v["oz"]["windows"]
        .as_array()
        .expect("windows")
        .iter()
        .find(|w| w["start_rule"] == "exchange_funds_released_year_end")
        .expect("a window from the end of the tax year of the release");
    assert_eq!(w["start"], "2026-12-31");
    assert_eq!(w["end"], "2027-06-28");
    assert_eq!(w["direct_authority"], false);
    assert!(
        w["note"]
            .as_str()
            .is_some_and(|n| n.contains("No direct authority"))
    );
    assert!(
        w["authority"]
            .as_str()
            .is_some_and(|a| a.contains("(b)(11)(viii)(B)"))
    );
    let s = strategy(&v, "failed_1031_gain_to_qof");
    let why = s["eligibility"].as_str().unwrap_or_default();
    assert!(!why.contains("has closed"), "{why}");
    assert!(why.contains("no direct authority"), "{why}");
    assert_eq!(s["relies_on_no_direct_authority"], true);
    assert_eq!(s["qof"]["investment_date"], "2027-01-04");
    assert!(has_finding(&v, "oz_2027_regime"));
}

/// The same for a partial exchange's failed view whose funds would come back in 2027: the
/// year-end window starts on 2027-12-31.
#[test]
fn a_release_in_2027_gets_a_window_from_2027_12_31() {
    let text = r#"
[exchange]
name = "S8b partial with boot and 1245"
as_of = "2026-12-06"
[taxpayer]
name = "T"
entity = "individual"
[[relinquished]]
id = "old"
description = "strip mall 9 Main St"
location = "AZ"
use = "business"
acquired = "2016-02-01"
transferred = "2026-08-15"
sale_price = "1500000"
adjusted_basis = "700000"
depreciation_allowed = "300000"
section1245_depreciation = "80000"
[[identified]]
id = "new"
description = "new building 1 Elm"
fmv = "1300000"
identified_on = "2026-09-01"
[[replacement]]
id = "new"
description = "new building 1 Elm"
location = "AZ"
use = "business"
received = "2026-10-01"
price = "1300000"
land_value = "300000"
"#;
    let p = std::env::temp_dir().join(format!("likekind-plan-s8b-{}.toml", std::process::id()));
    std::fs::write(&p, text).expect("temp file");
    let v = plan_json(&p, &[]);
    let _ = std::fs::remove_file(&p);
    let starts: Vec<(&str, &str)> = v["oz"]["windows"]
        .as_array()
        .expect("windows")
        .iter()
        .map(|w| {
            (
                w["start_rule"].as_str().unwrap_or_default(),
                w["start"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        starts.contains(&("exchange_funds_released_year_end", "2027-12-31")),
        "{starts:?}"
    );
}

/// `likekind plan` as a user runs it: exchange expenses paid at the purchase make the
/// exchange realize less than a plain sale (Form 8824 lines 15-19); the plan's realized gain
/// is the sale's, and a finding gives both figures (IRC §1001).
#[test]
fn plan_says_the_exchange_realizes_another_gain() {
    let p = std::env::temp_dir().join(format!(
        "likekind-plan-{}-expenses.toml",
        std::process::id()
    ));
    std::fs::write(
        &p,
        r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "bldg"
location = "TX"
acquired = "2010-01-01"
transferred = "2026-03-02"
sale_price = "900000"
adjusted_basis = "400000"
[[replacement]]
id = "new"
location = "TX"
received = "2026-04-01"
price = "900000"
exchange_expenses = "5000"
"#,
    )
    .expect("write");
    let plan = plan_json(&p, &[]);
    assert_eq!(plan["realized_gain"], "500000.00", "{plan}");
    assert!(
        has_finding(&plan, "plan_realized_gain_as_entered"),
        "{plan}"
    );
    let said = plan["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "plan_realized_gain_as_entered")
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default()
        .to_string();
    assert!(said.contains("$495,000.00"), "{said}");
    let _ = std::fs::remove_file(&p);
}

/// `likekind plan` as a user runs it on a dealer's sale (IRC §1221(a)(1); Treas. Reg.
/// §1.1400Z2(a)-1(b)(11)(i)): the text says the gain is a dealer's ordinary income that no QOF
/// can take, and the JSON says how much.
#[test]
fn a_dealers_gain_is_not_offered_to_a_qof() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dealer.toml");
    std::fs::write(
        &file,
        r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
extension_filed = true
[[relinquished]]
id = "lots"
location = "TX"
use = "dealer"
acquired = "2010-01-01"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
[[identified]]
id = "a"
description = "Warehouse"
fmv = "1000000"
identified_on = "2026-04-01"
[[replacement]]
id = "a"
location = "TX"
use = "investment"
received = "2026-06-15"
price = "1000000"
"#,
    )
    .unwrap();
    let p = plan_json(&file, &[]);
    assert_eq!(p["oz"]["eligible_gain_if_failed"], "0.00", "{}", p["oz"]);
    assert_eq!(
        p["oz"]["dealer_income_not_eligible"], "600000.00",
        "{}",
        p["oz"]
    );
    let out = run(&["plan", file.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Eligible gain if the exchange fails: $0.00 ($0.00 of ordinary recapture and $600,000.00 of a dealer's ordinary income can never go to a QOF)."),
        "{text}"
    );
}
