//! End-to-end: `likekind analyze` on the issue-4 examples (eligibility, related parties,
//! homes, states), checking the JSON report and the exit code.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

/// Runs `likekind analyze FILE --format json`; returns the exit code and the report.
fn analyze(path: &PathBuf) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .arg("analyze")
        .arg(path)
        .args(["--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run likekind: {e}"));
    let code = out.status.code().unwrap_or(-1);
    let text = String::from_utf8_lossy(&out.stdout);
    let v = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {text}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, v)
}

/// Runs on an inline file that must be rejected; returns the exit code and stderr.
fn rejected(name: &str, toml: &str) -> (i32, String) {
    let p = std::env::temp_dir().join(format!("likekind-elig-{}-{name}.toml", std::process::id()));
    std::fs::write(&p, toml).unwrap_or_else(|e| panic!("cannot write {}: {e}", p.display()));
    let out = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .arg("analyze")
        .arg(&p)
        .output()
        .unwrap_or_else(|e| panic!("cannot run likekind: {e}"));
    let _ = std::fs::remove_file(&p);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn finding<'a>(r: &'a Value, code: &str) -> Option<&'a Value> {
    r["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["code"] == code))
}

fn step<'a>(r: &'a Value, key: &str) -> Option<&'a Value> {
    r["explanation"]
        .as_array()
        .and_then(|s| s.iter().find(|x| x["key"] == key))
}

#[test]
fn related_party_early_disposition_recognizes_in_disposition_year() {
    let (code, r) = analyze(&example("related-party-early-disposition.toml"));
    assert_eq!(code, 0, "warnings only");
    assert_eq!(r["form_8824_part_i"]["line_7_related_party"], true);
    let p2 = &r["form_8824_part_ii"];
    assert_eq!(p2["two_year_end"], "2028-02-01");
    assert_eq!(p2["disposition"]["recognized"], "60000.00");
    assert_eq!(p2["disposition"]["recognized_on"], "2027-06-01");
    let years = p2["years"].as_array().map(Vec::len);
    assert_eq!(years, Some(3), "Part II for the exchange year and two more");
    assert_eq!(p2["years"][1]["tax_year_end"], "2027-12-31");
    assert_eq!(p2["years"][1]["line_9"], true);
    assert_eq!(p2["years"][1]["line_10"], false);
    assert_eq!(p2["years"][1]["recognized"], "60000.00");
    assert_eq!(p2["years"][0]["recognized"], "0.00");
    assert!(finding(&r, "related_party").is_some());
    let d = finding(&r, "related_party_disposition").map(|f| f["message"].to_string());
    assert!(d.is_some_and(|m| m.contains("2027-12-31")));
    assert!(step(&r, "related_party.two_year_end").is_some_and(|s| {
        s["authority"]
            .as_str()
            .is_some_and(|a| a.contains("§1031(f)"))
    }));
}

/// Runs `likekind analyze` on inline TOML; returns the exit code and the JSON report.
fn analyze_text(name: &str, toml: &str) -> (i32, Value) {
    let p = std::env::temp_dir().join(format!("likekind-elig-{}-{name}.toml", std::process::id()));
    std::fs::write(&p, toml).unwrap_or_else(|e| panic!("cannot write {}: {e}", p.display()));
    let r = analyze(&p);
    let _ = std::fs::remove_file(&p);
    r
}

/// §1031(f)(1)(C): only a disposition "before the date 2 years after" the last transfer counts.
#[test]
fn related_party_disposition_on_the_two_year_date_is_outside_the_window() {
    let text = std::fs::read_to_string(example("related-party-early-disposition.toml"))
        .unwrap_or_default()
        .replace("as_of = \"2027-07-01\"", "as_of = \"2028-03-01\"");
    for (day, inside) in [
        ("2028-01-31", true),
        ("2028-02-01", false),
        ("2028-02-02", false),
    ] {
        let t = text.replace(
            "disposed_on = \"2027-06-01\"",
            &format!("disposed_on = \"{day}\""),
        );
        let (code, r) = analyze_text(&format!("rp-{day}"), &t);
        assert_eq!(code, 0, "{day}");
        let p2 = &r["form_8824_part_ii"];
        assert_eq!(p2["two_year_end"], "2028-02-01");
        assert_eq!(p2["disposition"]["within_two_years"], inside, "{day}");
        let want = if inside { "60000.00" } else { "0.00" };
        assert_eq!(p2["disposition"]["recognized"], want, "{day}");
        assert_eq!(p2["years"][2]["recognized"], want, "{day}");
        assert_eq!(p2["years"][2]["line_9"], inside, "{day}");
        let f = finding(&r, "related_party_disposition");
        let sev = f.map(|f| f["severity"].clone());
        let want = if inside { "warning" } else { "info" };
        assert_eq!(sev, Some(Value::from(want)), "{day}");
    }
}

#[test]
fn related_party_death_exception_and_bad_relationship() {
    let text = std::fs::read_to_string(example("related-party-early-disposition.toml"))
        .unwrap_or_default()
        .replace("# exception = \"death\"", "exception = \"death\"");
    let p = std::env::temp_dir().join(format!("likekind-elig-{}-death.toml", std::process::id()));
    std::fs::write(&p, &text).unwrap_or_else(|e| panic!("{e}"));
    let (_, r) = analyze(&p);
    let _ = std::fs::remove_file(&p);
    assert_eq!(r["form_8824_part_ii"]["disposition"]["recognized"], "0.00");
    assert_eq!(r["form_8824_part_ii"]["years"][1]["line_11"], "death");
    assert!(finding(&r, "related_party_exception").is_some());

    let bad = text.replace("relationship = \"sibling\"", "relationship = \"cousin\"");
    let (code, err) = rejected("cousin", &bad);
    assert_eq!(code, 2);
    assert!(err.contains("related_party.relationship"), "{err}");
    let empty = text.replace("relationship = \"sibling\"", "relationship = \"\"");
    let (code, err) = rejected("norel", &empty);
    assert_eq!(code, 2);
    assert!(err.contains("related_party.relationship"), "{err}");
}

#[test]
fn vacation_home_safe_harbor_pass() {
    let (code, r) = analyze(&example("vacation-home-pass.toml"));
    assert_eq!(code, 0);
    assert_eq!(r["vacation_home_safe_harbor"][0]["verdict"], "met");
    assert!(finding(&r, "vacation_home_safe_harbor_met").is_some());
    assert!(finding(&r, "not_held_for_investment").is_none());
}

#[test]
fn vacation_home_safe_harbor_fail() {
    let (code, r) = analyze(&example("vacation-home-fail.toml"));
    assert_eq!(
        code, 0,
        "outside the safe harbor is a warning, not a failure"
    );
    assert_eq!(r["vacation_home_safe_harbor"][0]["verdict"], "not_met");
    let f = finding(&r, "not_held_for_investment");
    assert_eq!(
        f.map(|f| f["severity"].clone()),
        Some(Value::from("warning"))
    );
    assert_eq!(
        f.map(|f| f["path"].clone()),
        Some(Value::from("relinquished[0].usage"))
    );
}

#[test]
fn usage_days_beyond_a_year_are_an_input_error() {
    let text = std::fs::read_to_string(example("vacation-home-pass.toml"))
        .unwrap_or_default()
        .replace(
            "fair_rental_days = 200, personal_use_days = 20",
            "fair_rental_days = 300, personal_use_days = 80",
        );
    let (code, err) = rejected("days", &text);
    assert_eq!(code, 2);
    assert!(
        err.contains("relinquished[0].usage[0].personal_use_days")
            && err.contains("days_in_period"),
        "{err}"
    );
}

#[test]
fn section121_with_1031_converted_rental() {
    let (code, r) = analyze(&example("section121-converted-rental.toml"));
    assert_eq!(code, 0);
    let w = &r["home_sale"]["whole"];
    assert_eq!(w["realized_gain"], "280000.00");
    assert_eq!(w["excluded_121"], "250000.00");
    assert_eq!(w["recognized"], "0.00");
    assert_eq!(w["deferred_1031"], "30000.00");
    assert_eq!(w["basis_replacement"], "430000.00");
    assert!(finding(&r, "section121_with_1031").is_some());
    assert!(step(&r, "homes.rp2005_14.excluded_121").is_some());
}

#[test]
fn home_office_split() {
    let (code, r) = analyze(&example("home-office-split.toml"));
    assert_eq!(code, 0, "a home with a business part is not an error");
    let s = &r["home_sale"]["split"];
    assert_eq!(s["excluded_121"], "100000.00");
    assert_eq!(s["business_adjusted_basis"], "40000.00");
    assert_eq!(s["deferred_1031"], "80000.00");
    assert_eq!(s["basis_business_replacement"], "40000.00");
    let f = finding(&r, "not_held_for_investment");
    assert_eq!(f.map(|f| f["severity"].clone()), Some(Value::from("info")));
}

#[test]
fn california_to_texas_clawback_and_withholding() {
    let (code, r) = analyze(&example("ca-to-tx-clawback.toml"));
    assert_eq!(code, 0);
    let c = &r["states"]["california_clawback"];
    assert_eq!(c["ftb3840_required_each_year_from"], 2026);
    assert_eq!(c["california_deferred_gain"], "1100000.00");
    assert_eq!(r["states"]["form_593"][0]["withholding"], "66666.67");
    assert!(finding(&r, "california_clawback").is_some_and(|f| {
        f["message"]
            .as_str()
            .is_some_and(|m| m.contains("FTB 3840"))
    }));
    assert!(finding(&r, "california_withholding").is_some());
}

#[test]
fn dst_questionnaire_failing() {
    let (code, r) = analyze(&example("dst-failing.toml"));
    assert_eq!(
        code, 1,
        "a DST that is a business entity fails the exchange"
    );
    let f = finding(&r, "dst_business_entity");
    assert!(f.is_some_and(|f| {
        f["message"]
            .as_str()
            .is_some_and(|m| m.contains("reinvest_sale_proceeds"))
    }));
    // A questionnaire for a property that is not a DST interest is a contradiction.
    let text = std::fs::read_to_string(example("dst-failing.toml"))
        .unwrap_or_default()
        .replace("interest = \"dst\"", "interest = \"fee\"");
    let (code, err) = rejected("dstfee", &text);
    assert_eq!(code, 2);
    assert!(
        err.contains("dst[0].property") && err.contains("interest_mismatch"),
        "{err}"
    );
}

#[test]
fn tic_over_35_owners() {
    let (code, r) = analyze(&example("tic-over-35.toml"));
    assert_eq!(code, 0);
    let f = finding(&r, "tic_guidelines_not_met");
    assert!(f.is_some_and(|f| {
        f["message"]
            .as_str()
            .is_some_and(|m| m.contains("38 co-owners"))
    }));
    assert_eq!(
        step(&r, "eligibility.tic.tic1.co_owners").map(|s| s["value"].clone()),
        Some(Value::from("38"))
    );
}

#[test]
fn foreign_property_is_not_like_kind() {
    let (code, r) = analyze(&example("foreign-property.toml"));
    assert_eq!(code, 1);
    let f = finding(&r, "not_like_kind_foreign");
    assert_eq!(f.map(|f| f["severity"].clone()), Some(Value::from("error")));
    assert_eq!(
        f.map(|f| f["path"].clone()),
        Some(Value::from("replacement[0].location"))
    );
}

#[test]
fn residence_plan_dates() {
    let (code, r) = analyze(&example("residence-plan.toml"));
    assert_eq!(code, 0);
    let p = &r["residence_plan"];
    assert_eq!(p["rental_safe_harbor_until"], "2028-06-15");
    assert_eq!(p["first_section121_sale"], "2031-06-15");
    assert_eq!(p["use_test_met"], true);
    assert_eq!(p["nonqualified_use_fraction"], "0.4003");
}

#[test]
fn short_hold_is_flagged_with_the_reason() {
    let text = std::fs::read_to_string(example("foreign-property.toml"))
        .unwrap_or_default()
        .replace("acquired = \"2014-02-03\"", "acquired = \"2025-09-01\"")
        .replace("foreign:MX", "TX");
    let p = std::env::temp_dir().join(format!("likekind-elig-{}-short.toml", std::process::id()));
    std::fs::write(&p, &text).unwrap_or_else(|e| panic!("{e}"));
    let (_, r) = analyze(&p);
    let _ = std::fs::remove_file(&p);
    let f = finding(&r, "short_holding_period");
    assert!(f.is_some_and(|f| {
        f["severity"] == "warning"
            && f["message"].as_str().is_some_and(|m| {
                m.contains("no minimum holding period") && m.contains("facts and circumstances")
            })
    }));
}

#[test]
fn disqualified_intermediary_fails_the_safe_harbor() {
    let (code, r) = analyze(&example("disqualified-intermediary.toml"));
    assert_eq!(code, 1);
    assert!(finding(&r, "disqualified_person").is_some_and(|f| f["severity"] == "error"));
    // Services that ended more than 2 years before the first transfer do not count.
    let text = std::fs::read_to_string(example("disqualified-intermediary.toml"))
        .unwrap_or_default()
        .replace("last_on = \"2026-03-15\"", "last_on = \"2024-04-30\"");
    let p = std::env::temp_dir().join(format!("likekind-elig-{}-qi.toml", std::process::id()));
    std::fs::write(&p, &text).unwrap_or_else(|e| panic!("{e}"));
    let (code, r) = analyze(&p);
    let _ = std::fs::remove_file(&p);
    assert_eq!(code, 0);
    assert!(finding(&r, "disqualified_person").is_none());
    assert!(finding(&r, "qualified_intermediary_not_disqualified").is_some());
}

/// IRC §1031(h), §7701(a)(9): a Texas property for a Puerto Rico property is not like-kind.
#[test]
fn texas_for_puerto_rico_is_not_like_kind() {
    let text = std::fs::read_to_string(example("foreign-property.toml")).unwrap_or_default();
    let pr = with_replacement_location(&text, "PR");
    let (code, r) = analyze_text("tx-pr", &pr);
    assert_eq!(code, 1, "an error finding");
    let f = finding(&r, "not_like_kind_foreign");
    assert_eq!(f.map(|f| f["severity"].clone()), Some(Value::from("error")));
    assert!(
        f.and_then(|f| f["message"].as_str())
            .is_some_and(|m| m.contains("Puerto Rico")),
        "{f:?}"
    );
    let u = finding(&r, "territory_property_uncertain");
    assert!(
        u.and_then(|u| u["authority"].as_str())
            .is_some_and(|a| a.contains("§7701(a)(9)") && a.contains("§§932, 935")),
        "{u:?}"
    );
}

/// Replaces the foreign replacement location of `foreign-property.toml` with `code`.
fn with_replacement_location(text: &str, code: &str) -> String {
    text.lines()
        .map(|l| {
            if l.trim_start().starts_with("location = \"foreign:") {
                format!("location = \"{code}\"")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
