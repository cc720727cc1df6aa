//! The report's figures follow the one qualification verdict, through the CLI as a user runs
//! it: `analyze --format json` and `plan --format json` on the files in `verdict_files/`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn files() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verdict_files")
}

fn run(cmd: &str, file: &str) -> (Option<i32>, Value) {
    run_path(cmd, &files().join(file))
}

fn run_path(cmd: &str, path: &Path) -> (Option<i32>, Value) {
    let file = path.display();
    let o = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args([cmd, path.to_str().unwrap(), "--format", "json"])
        .output()
        .expect("run likekind");
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{file}: not JSON ({e}): {}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code(), v)
}

fn codes(r: &Value) -> Vec<String> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// A $500,000 sale with $200,000 basis; the replacement identified one day late and bought.
/// It is "treated as property which is not of a like kind" (Reg. 1.1031(k)-1(c)(7) Ex. 1):
/// a taxable sale, every figure says so, and the planner agrees.
#[test]
fn identified_one_day_late_is_a_taxable_sale_in_every_figure() {
    let (code, r) = run("analyze", "identified-one-day-late.toml");
    assert_eq!(code, Some(1));
    assert_eq!(r["qualification"]["outcome"], "taxable_sale");
    assert_eq!(r["qualification"]["form_8824_filed"], false);
    assert_eq!(r["gain"]["realized"], "300000.00");
    assert_eq!(r["gain"]["recognized"], "300000.00");
    assert_eq!(r["gain"]["deferred"], "0.00");
    assert_eq!(r["form_8824"]["line_24"], "0.00");
    assert_eq!(r["form_8824"]["line_25"], "0.00");
    let b = &r["replacement_basis"][0];
    assert_eq!(
        (b["id"].as_str(), b["basis"].as_str()),
        (Some("E"), Some("500000.00"))
    );
    assert_eq!(b["like_kind"], false);
    assert!(
        b["reason"]
            .as_str()
            .unwrap()
            .contains("after the identification period")
    );
    assert!(codes(&r).contains(&"taxable_sale".to_string()));
    assert!(codes(&r).contains(&"identification_late".to_string()));
    // The figures had it qualified are there, labelled, for planning.
    let alt = &r["qualification"]["if_qualified"];
    assert_eq!(alt["deferred"], "300000.00");
    assert!(alt["label"].as_str().unwrap().contains("planning"));
    let (_, p) = run("plan", "identified-one-day-late.toml");
    assert_eq!(p["status"], "failed");
    let sell = p["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "sell_pay_tax")
        .unwrap();
    assert_eq!(sell["gain_recognized_now"], "300000.00");
}

/// Cash taken out at the sale closing and own cash added at a later purchase: the lines follow
/// Reg. 1.1031(k)-1(j)(3) Example 2 (no netting); the (j)-1 netted figure is shown beside it.
#[test]
fn multi_property_deferred_exchange_shows_the_j1_netted_alternative() {
    let (_, r) = run("analyze", "cash-out-early-cash-in-late.toml");
    assert_eq!(r["gain"]["recognized"], "100000.00");
    assert_eq!(r["multi_asset"]["total_recognized"], "0.00");
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "multi_asset_j1_differs")
        .expect("the (j)-1 alternative");
    assert!(f["message"].as_str().unwrap().contains("$0.00"));
    assert!(
        f["authority"]
            .as_str()
            .unwrap()
            .contains("(j)(3) Example 2")
    );
}

/// Rev. Proc. 2005-14 Example 1: §121 first, boot only beyond the exclusion, the exclusion
/// counted as recognized for the basis.
#[test]
fn section_121_with_1031_reaches_the_lines_and_the_basis() {
    let (_, r) = run("analyze", "home-converted-to-rental.toml");
    assert_eq!(r["gain"]["realized"], "280000.00");
    assert_eq!(r["gain"]["excluded_121"], "250000.00");
    assert_eq!(r["gain"]["recognized"], "0.00");
    assert_eq!(r["gain"]["deferred"], "30000.00");
    assert_eq!(r["form_8824"]["line_23"], "0.00");
    assert_eq!(r["form_8824"]["line_24"], "30000.00");
    assert_eq!(r["form_8824"]["line_25"], "430000.00");
    assert_eq!(r["replacement_basis"][0]["basis"], "430000.00");
}

/// A vacation home its owners used and never rented, sold at a loss: property held for
/// personal use, whose loss is not deductible (§165(c)); the finding says the facts could
/// make it investment property. The same house rented at a fair rental: a deductible loss.
#[test]
fn never_rented_vacation_home_loss_is_not_deductible() {
    let (_, r) = run("analyze", "vacation-home-loss.toml");
    assert_eq!(r["qualification"]["outcome"], "taxable_sale");
    assert_eq!(r["gain"]["realized"], "-50000.00");
    assert_eq!(r["gain"]["recognized"], "0.00");
    assert_eq!(r["gain"]["loss_not_deductible"], "-50000.00");
    let said = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "loss_not_deductible")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .unwrap();
    assert!(said.contains("never rented"), "{said}");

    let dir = tempfile::tempdir().unwrap();
    let rented = dir.path().join("rented.toml");
    let text = std::fs::read_to_string(files().join("vacation-home-loss.toml"))
        .unwrap()
        .replace(
            "fair_rental_days = 0, personal_use_days = 60",
            "fair_rental_days = 200, personal_use_days = 14",
        );
    std::fs::write(&rented, text).unwrap();
    let (_, r) = run_path("analyze", &rented);
    assert_eq!(r["gain"]["recognized"], "-50000.00");
    assert!(r["gain"]["loss_not_deductible"].is_null());
}

/// A home given up is not exchanged (§1031(a)(1)): a taxable sale whose loss is not
/// deductible (§165(c)); no finding suggests a sale would let the loss be deducted.
#[test]
fn personal_residence_loss_is_neither_deferred_nor_deductible() {
    let (_, r) = run("analyze", "personal-residence-loss.toml");
    assert_eq!(r["qualification"]["outcome"], "taxable_sale");
    assert_eq!(r["gain"]["realized"], "-50000.00");
    assert_eq!(r["gain"]["recognized"], "0.00");
    assert_eq!(r["gain"]["deferred"], "0.00");
    assert_eq!(r["gain"]["loss_not_deductible"], "-50000.00");
    assert_eq!(r["replacement_basis"][0]["basis"], "400000.00");
    assert!(codes(&r).contains(&"loss_not_deductible".to_string()));
    let text = serde_json::to_string(&r["findings"]).unwrap();
    assert!(!text.contains("would let the loss be deducted"));
}

/// Other property only given up is reported on lines 12-14: no "don't complete lines 12-18".
#[test]
fn other_property_only_given_up_is_not_a_multi_asset_exchange() {
    let (_, r) = run("analyze", "equipment-given-up.toml");
    assert_eq!(r["form_8824"]["line_14"], "20000.00");
    assert!(!codes(&r).contains(&"multi_asset_exchange".to_string()));
}

/// Straight-line depreciation carried into the replacement never exceeds the gain deferred.
#[test]
fn unrecaptured_1250_carried_over_is_capped_by_the_deferred_gain() {
    let (_, r) = run("analyze", "depreciation-beyond-deferred-gain.toml");
    assert_eq!(r["gain"]["deferred"], "100000.00");
    assert_eq!(r["gain"]["unrecaptured_1250_deferred"], "100000.00");
}

/// Puerto Rico is outside the United States for §1031(h) (§7701(a)(9)): Texas property for
/// a San Juan building is a taxable sale, and the figures say so.
#[test]
fn texas_for_puerto_rico_is_a_taxable_sale() {
    let (code, r) = run("analyze", "texas-for-puerto-rico.toml");
    assert_eq!(code, Some(1));
    assert_eq!(r["qualification"]["outcome"], "taxable_sale");
    assert_eq!(r["gain"]["recognized"], "300000.00");
    assert_eq!(r["replacement_basis"][0]["basis"], "500000.00");
    assert_eq!(r["replacement_basis"][0]["like_kind"], false);
    assert!(codes(&r).contains(&"not_like_kind_foreign".to_string()));
}

/// A failed exchange that realizes a loss: the loss is recognized on the sale (IRC §165(a)),
/// nothing is deferred, and the steps beside lines 20, 24 and 25 say the figures printed
/// (no "deferred loss", no carried-over basis).
#[test]
fn a_taxable_sale_at_a_loss_defers_nothing_in_any_figure_or_step() {
    let (_, r) = run("analyze", "taxable-sale-at-a-loss.toml");
    assert_eq!(r["qualification"]["outcome"], "taxable_sale");
    assert_eq!(r["gain"]["recognized"], "-450000.00");
    assert_eq!(r["gain"]["deferred"], "0.00");
    assert_eq!(r["form_8824"]["line_24"], "0.00");
    assert_eq!(r["form_8824"]["line_25"], "0.00");
    let step = |k: &str| {
        r["explanation"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == k)
            .cloned()
            .unwrap()
    };
    assert!(
        !step("form_8824.line_20")["step"]
            .as_str()
            .unwrap()
            .contains("never recognized")
    );
    assert_eq!(step("form_8824.line_24")["value"], "0.00");
    assert_eq!(step("form_8824.line_25")["value"], "0.00");
}

/// Every Form 8824 line's explanation step gives the figure the report prints on that line,
/// over every verdict file and every example: a later rule that overrides a line restates
/// its step.
#[test]
fn every_form_8824_step_says_the_line_printed() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut paths = Vec::new();
    for dir in [files(), examples] {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                paths.push(p);
            }
        }
    }
    assert!(paths.len() > 30, "{}", paths.len());
    for p in paths {
        let (_, r) = run_path("analyze", &p);
        for s in r["explanation"].as_array().unwrap() {
            let key = s["key"].as_str().unwrap();
            if let Some(line) = key.strip_prefix("form_8824.line_") {
                let printed = &r["form_8824"][format!("line_{line}")];
                if printed.is_string() {
                    assert_eq!(&s["value"], printed, "{}: {key}", p.display());
                }
            }
        }
    }
}

/// Over-identified, but one property was received within the identification period: it still
/// counts (Treas. Reg. §1.1031(k)-1(c)(4)(ii)(A)), so the exchange is partial, not failed:
/// the invalid identification is a warning and the exit code is not the failure's.
#[test]
fn over_identification_saved_by_a_property_received_early_is_no_failure() {
    let (code, r) = run("analyze", "over-identified-one-received-early.toml");
    assert_eq!(r["qualification"]["outcome"], "partial_exchange");
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "identification_invalid")
        .cloned()
        .unwrap();
    assert_eq!(f["severity"], "warning");
    assert_eq!(code, Some(0));
}

/// QA12 D3: a closing scheduled after day 180 while day 180 is still ahead. The report,
/// the text verdict and the plan agree: not settled, "will fail unless" the closing moves to
/// day 180, and "Complete the 1031 exchange" stays available on that condition.
#[test]
fn a_failure_still_ahead_is_not_settled_in_any_output() {
    let (code, r) = run("analyze", "closing-scheduled-after-day-180.toml");
    assert_eq!(code, Some(0));
    let q = &r["qualification"];
    assert_eq!(q["outcome"], "taxable_sale");
    assert_eq!(q["settled"], false);
    assert_eq!(q["unless"]["by"], "2026-08-29");
    assert!(
        q["summary"].as_str().unwrap().contains("will fail unless"),
        "{}",
        q["summary"]
    );
    let exchange_end = r["status"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "exchange_end")
        .unwrap();
    assert_eq!(exchange_end["state"], "upcoming");
    let (_, p) = run("plan", "closing-scheduled-after-day-180.toml");
    assert_eq!(p["status"], "in_progress");
    let complete = p["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "complete_1031")
        .unwrap();
    assert_eq!(complete["eligible"], true);
    assert!(
        complete["eligibility"]
            .as_str()
            .unwrap()
            .contains("will fail unless"),
        "{}",
        complete["eligibility"]
    );
    let text = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args([
            "analyze",
            files()
                .join("closing-scheduled-after-day-180.toml")
                .to_str()
                .unwrap(),
        ])
        .output()
        .expect("run likekind");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("NOT SETTLED"), "{text}");
    assert!(!text.contains("no longer applies"), "{text}");
}

/// QA12 D1, D7: the "intermediary" prepared the taxpayer's return, so it is a disqualified
/// person holding the money as the taxpayer's agent (Treas. Reg. §1.1031(k)-1(f)(2), (k)):
/// the $400,000 was received at the 2026-11-02 closing. Every output says so: the gain is
/// 2026's, with no installment method and no Form 6252 (IRC §453(b)(1); (j)(2) needs a
/// qualified intermediary), the property bought is not like-kind property, and the plan
/// neither offers installment reporting nor starts a QOF window on a release.
#[test]
fn a_disqualified_intermediary_s_money_is_the_taxpayer_s_at_closing_in_every_output() {
    let file = "disqualified-intermediary-across-the-year-end.toml";
    let (code, r) = run("analyze", file);
    assert_eq!(code, Some(1));
    assert_eq!(
        r["qualification"]["exchange_reason"]["code"],
        "disqualified_intermediary"
    );
    assert_eq!(r["qualification"]["received"][0]["like_kind"], false);
    assert_eq!(r["replacement_basis"][0]["like_kind"], false);
    let y = &r["recognition_years"];
    assert_eq!(y["installment_method"], false);
    assert_eq!(y["received_on"], "2026-11-02");
    assert!(y.get("form_6252").is_none());
    assert_eq!(y["years"][0]["tax_year"], 2026);
    assert_eq!(y["years"][0]["gain"], "250000.00");
    let c = codes(&r);
    for gone in [
        "installment_reporting",
        "qualified_intermediary_assumed",
        "funds_release_date_inferred",
    ] {
        assert!(!c.contains(&gone.to_string()), "{gone}");
    }
    let json = r.to_string();
    assert!(!json.contains("Form 6252"), "{json}");
    let text = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(["analyze", files().join(file).to_str().unwrap()])
        .output()
        .expect("run likekind");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Year of recognition (no installment method)"),
        "{text}"
    );
    assert!(!text.contains("Form 6252"), "{text}");
    let (_, p) = run("plan", file);
    let inst = p["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "installment_sale")
        .unwrap();
    assert_eq!(inst["eligible"], false);
    assert!(inst["after_tax_value"].is_null());
    for w in p["oz"]["windows"].as_array().unwrap() {
        assert_eq!(w["start"], "2026-11-02", "{w}");
    }
    assert!(!p.to_string().contains("QI's release"), "{p}");
}
