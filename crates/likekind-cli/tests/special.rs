//! End-to-end: `likekind analyze` on the special-situation examples (issue 4).

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run likekind: {e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn json(name: &str, extra: &[&str]) -> Value {
    let path = example(name);
    let p = path.to_string_lossy().into_owned();
    let mut args = vec!["analyze", p.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let (_, out) = run(&args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {out}"))
}

fn codes(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn personal_property_received_gets_a_j1_statement() {
    let v = json("special-multi-asset.toml", &[]);
    let ma = &v["multi_asset"];
    assert_eq!(ma["groups"][0]["id"], "real_property_us");
    assert_eq!(ma["groups"][0]["deficiency"], "50000.00");
    assert_eq!(ma["groups"][0]["gain_recognized"], "50000.00");
    assert_eq!(ma["groups"][0]["basis_received"], "400000.00");
    assert_eq!(ma["residual_group"]["side"], "received");
    assert_eq!(ma["residual_group"]["fmv"], "50000.00");
    assert_eq!(ma["total_recognized"], "50000.00");
    assert!(
        ma["statement"]
            .as_str()
            .is_some_and(|s| s.contains("lines 12-18 not completed"))
    );
    let (_, text) = run(&[
        "analyze",
        &example("special-multi-asset.toml").to_string_lossy(),
    ]);
    assert!(text.contains("Multi-asset exchange (Treas. Reg. §1.1031(j)-1)"));
}

#[test]
fn cost_segregation_1245_recapture_without_boot() {
    let v = json("special-cost-segregation.toml", &[]);
    assert_eq!(v["form_8824"]["line_20"], "0.00");
    assert_eq!(v["form_8824"]["line_21"], "80000.00");
    assert_eq!(v["character"]["section1245_recapture"], "80000.00");
    assert_eq!(v["character"]["form_4797_line_16"], "80000.00");
    assert_eq!(v["character"]["section1245_carried_to_replacement"], "0.00");
    let routes = v["character"]["routing"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(routes.iter().any(|r| {
        r["reported_on"]
            .as_str()
            .is_some_and(|s| s.contains("Form 4797 line 16"))
    }));
    assert!(codes(&v).contains(&"recapture_without_boot".to_string()));
}

#[test]
fn pre_1987_building_for_land_recaptures_additional_depreciation() {
    let v = json("special-pre1987-building-for-land.toml", &[]);
    assert_eq!(v["form_8824"]["line_21"], "50000.00");
    assert_eq!(v["character"]["section1250_recapture"], "50000.00");
    assert_eq!(v["character"]["line_22"], "0.00");
    // Land is not §1250 property: no unrecaptured §1250 gain is carried into it.
    assert_eq!(
        v["character"]["unrecaptured_1250_carried_to_replacement"],
        "0.00"
    );
    assert!(codes(&v).contains(&"recapture_without_boot".to_string()));
}

#[test]
fn depreciation_schedule_splits_exchanged_and_excess_basis() {
    let v = json("special-depreciation.toml", &["--depreciation", "3"]);
    let d = &v["depreciation"][0];
    assert_eq!(d["replacement"], "fourplex");
    assert_eq!(d["exchanged_basis"], "175000.00");
    assert_eq!(d["excess_basis"], "125000.00");
    assert_eq!(d["remaining_recovery_years"], "17.5");
    let s = &d["schedule"];
    assert_eq!(s[0]["year"], 2026);
    assert_eq!(s[0]["relinquished"], "416.67");
    assert_eq!(s[0]["exchanged_basis"], "9583.33");
    assert_eq!(s[0]["excess_basis"], "4356.06");
    assert_eq!(s[1]["exchanged_basis"], "10000.00");
    assert_eq!(s.as_array().map(Vec::len), Some(3));
    // Without the flag there is no schedule.
    let plain = json("special-depreciation.toml", &[]);
    assert!(plain.get("depreciation").is_none());
    let (code, text) = run(&[
        "analyze",
        &example("special-depreciation.toml").to_string_lossy(),
        "--depreciation",
        "2",
    ]);
    assert_eq!(code, Some(0));
    assert!(text.contains("Depreciation of fourplex"));
    assert!(text.contains("$9,583.33"));
    // Zero years is refused.
    let (code, _) = run(&[
        "analyze",
        &example("special-depreciation.toml").to_string_lossy(),
        "--depreciation",
        "0",
    ]);
    assert_ne!(code, Some(0));
}

#[test]
fn straddle_exchange_reports_installment_gain_next_year() {
    let v = json("special-straddle.toml", &[]);
    let y = &v["recognition_years"];
    assert_eq!(y["installment_method"], true);
    assert_eq!(y["year_of_transfer"], 2026);
    assert_eq!(y["years"][0]["tax_year"], 2026);
    assert_eq!(y["years"][0]["gain"], "0.00");
    assert_eq!(y["years"][1]["tax_year"], 2027);
    assert_eq!(y["years"][1]["gain"], "200000.00");
    assert_eq!(y["years"][1]["unrecaptured_1250"], "60000.00");
    assert_eq!(y["form_6252"]["contract_price"], "500000.00");
    assert!(codes(&v).contains(&"installment_reporting".to_string()));
    assert!(
        v["character"]["line_22_reported_on"]
            .as_str()
            .is_some_and(|s| s.contains("Form 6252"))
    );
}

#[test]
fn death_steps_up_basis_and_ends_deferral() {
    let v = json("special-death.toml", &[]);
    assert_eq!(v["death"]["heir_basis"], "1200000.00");
    assert_eq!(v["death"]["deferred_gain_eliminated"], "750000.00");
    assert!(codes(&v).contains(&"step_up_at_death".to_string()));
}

#[test]
fn depreciation_larger_than_basis_is_an_input_error() {
    let dir = std::env::temp_dir().join(format!("likekind-special-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let src = std::fs::read_to_string(example("special-depreciation.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let bad = src.replace(
        "depreciable_basis = \"275000\"",
        "depreciable_basis = \"90000\"",
    );
    let p = dir.join("bad.toml");
    std::fs::write(&p, bad).unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(["analyze", &p.to_string_lossy()])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("relinquished[0].depreciation_allowed"),
        "stderr: {err}"
    );
    assert!(err.contains("depreciation_within_basis"), "stderr: {err}");
}
