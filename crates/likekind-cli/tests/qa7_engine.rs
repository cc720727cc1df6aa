//! End-to-end, through `likekind analyze`: what the seventh QA pass found in the engine's
//! words (files in tests/qa7, made from the examples with one fact changed).
//!
//! - A reverse exchange finished on the day of the sale is not told to file an extension "to
//!   keep the full 180 days": the periods counted from the sale do not apply to it (IRC
//!   §1031(a)(3); Rev. Proc. 2000-37).
//! - An improvement exchange whose $200,000 of improvements were not in place when received
//!   (Treas. Reg. §1.1031(k)-1(e)(4)) does not say "every property received qualifies".
//! - A value at death below the decedent's basis is a step-down (IRC §1014(a)): no deferred
//!   gain is "never taxed", and the loss lost is shown.
//! - Oregon's annual Form OR-24 is cited, not marketing pages.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn file(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/qa7")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn analyze(path: &str, as_of: &str, json: bool) -> String {
    let mut args = vec!["analyze", path, "--as-of", as_of];
    if json {
        args.extend(["--format", "json"]);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(&args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run likekind: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn report(name: &str, as_of: &str) -> Value {
    let out = analyze(&file(name), as_of, true);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {out}"))
}

fn finding<'a>(v: &'a Value, code: &str) -> Option<&'a Value> {
    v["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["code"] == code))
}

#[test]
fn a_reverse_exchange_done_at_the_sale_needs_no_extension() {
    let v = report("09-reverse-holiday.toml", "2027-01-05");
    assert!(
        finding(&v, "exchange_period_cut_by_return_due_date").is_none(),
        "{}",
        v["findings"]
    );
    let text = analyze(&file("09-reverse-holiday.toml"), "2027-01-05", false);
    assert!(!text.contains("Form 4868"), "{text}");
    assert!(text.contains("do not apply"), "{text}");
}

#[test]
fn improvements_not_in_place_are_said_in_the_verdict() {
    let v = report("11-improvement.toml", "2026-12-07");
    let words = v["qualification"]["summary"].as_str().unwrap_or_default();
    assert!(!words.contains("Every property"), "{words}");
    assert!(words.contains("$200,000.00 of improvements"), "{words}");
    let text = analyze(&file("11-improvement.toml"), "2026-12-07", false);
    assert!(text.contains("not of a like kind: $200,000.00"), "{text}");
}

#[test]
fn a_value_below_basis_at_death_is_a_step_down() {
    let v = report("13-death-stepdown.toml", "2026-12-07");
    assert_eq!(v["death"]["heir_basis"], "200000.00", "{}", v["death"]);
    assert_eq!(v["death"]["deferred_gain_eliminated"], "0.00");
    assert_eq!(v["death"]["total_gain_eliminated"], "-50000.00");
    assert!(finding(&v, "step_up_at_death").is_none());
    let down = finding(&v, "step_down_at_death").map(|f| f["message"].clone());
    let words = down.as_ref().and_then(Value::as_str).unwrap_or_default();
    assert!(words.contains("$50,000.00 loss"), "{words}");
    assert!(!words.contains("is never taxed"), "{words}");
    let text = analyze(&file("13-death-stepdown.toml"), "2026-12-07", false);
    assert!(text.contains("Basis stepped down at death"), "{text}");
    assert!(!text.contains("Step-up at death"), "{text}");
    assert!(
        text.contains("loss built in at death (lost) $50,000.00"),
        "{text}"
    );
}

#[test]
fn oregon_cites_its_form_not_marketing_pages() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/special-multi-asset.toml")
        .to_string_lossy()
        .into_owned();
    let out = analyze(&path, "2026-12-07", true);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e})"));
    let f = finding(&v, "state_clawback_unconfirmed").unwrap_or_else(|| panic!("no finding"));
    let said = f.to_string();
    assert!(said.contains("Form OR-24"), "{said}");
    assert!(!said.contains("[S:"), "{said}");
    assert!(!said.contains("Accruit"), "{said}");
}
