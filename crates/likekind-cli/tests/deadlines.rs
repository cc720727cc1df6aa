//! End-to-end tests of `likekind deadlines` and the deadline parts of `likekind analyze`:
//! the real binary, real files, exit codes and output.

#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic on broken fixtures

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_likekind"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run likekind")
}

fn json(args: &[&str]) -> Value {
    let o = run(args);
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("json output")
}

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Writes an exchange file to the test's temporary folder.
fn file(name: &str, text: &str) -> String {
    let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&p, text).expect("write temp file");
    p.to_string_lossy().into_owned()
}

fn codes(r: &Value) -> Vec<String> {
    r["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn each_entity_type_gets_its_own_due_date() {
    // Transfer 2026-11-15: day 180 = 2027-05-14.
    for (entity, due, extended, end) in [
        ("individual", "2027-04-15", "2027-10-15", "2027-04-15"),
        ("partnership", "2027-03-15", "2027-09-15", "2027-03-15"),
        ("s_corporation", "2027-03-15", "2027-09-15", "2027-03-15"),
        ("c_corporation", "2027-04-15", "2027-10-15", "2027-04-15"),
        ("trust", "2027-04-15", "2027-09-30", "2027-04-15"),
        ("estate", "2027-04-15", "2027-09-30", "2027-04-15"),
    ] {
        let r = json(&[
            "deadlines",
            "--transferred",
            "2026-11-15",
            "--entity",
            entity,
            "--format",
            "json",
            "--as-of",
            "2026-11-25",
        ]);
        let d = &r["deadlines"];
        assert_eq!(d["return_due_date_original"], due, "{entity}");
        assert_eq!(d["return_due_date_extended"], extended, "{entity}");
        assert_eq!(d["exchange_end"], end, "{entity}");
        assert_eq!(d["exchange_end_rule"], "return_due_date", "{entity}");
        assert_eq!(d["day_180"], "2027-05-14");
    }
}

#[test]
fn june_30_c_corporation_uses_the_september_15_due_date() {
    let r = json(&[
        "deadlines",
        "--transferred",
        "2026-06-20",
        "--entity",
        "c_corporation",
        "--tax-year-end",
        "06-30",
        "--format",
        "json",
        "--as-of",
        "2026-06-21",
    ]);
    assert_eq!(r["deadlines"]["return_due_date"], "2026-09-15");
    assert_eq!(r["deadlines"]["exchange_end"], "2026-09-15");
    assert_eq!(r["deadlines"]["exchange_end_with_extension"], "2026-12-17");
}

#[test]
fn late_year_transfer_with_and_without_extension() {
    let base = [
        "deadlines",
        "--transferred",
        "2026-10-30",
        "--format",
        "json",
        "--as-of",
        "2026-11-25",
    ];
    let without = json(&base);
    assert_eq!(without["deadlines"]["exchange_end"], "2027-04-15");
    assert_eq!(without["deadlines"]["exchange_end_rule"], "return_due_date");
    assert!(codes(&without).contains(&"exchange_period_cut_by_return_due_date".to_string()));
    let mut with: Vec<&str> = base.to_vec();
    with.push("--extension");
    let with = json(&with);
    assert_eq!(with["deadlines"]["exchange_end"], "2027-04-28");
    assert_eq!(with["deadlines"]["exchange_end_rule"], "day_180");
    assert!(!codes(&with).contains(&"exchange_period_cut_by_return_due_date".to_string()));
    // Status: days left counted from --as-of.
    assert_eq!(with["status"]["next"], "identification_end");
    assert_eq!(with["status"]["next_days_left"], 19);
    // The text names the next date and each note by its title, not by its code.
    let text = run(&[
        "deadlines",
        "--transferred",
        "2026-10-30",
        "--as-of",
        "2026-11-25",
    ]);
    let text = String::from_utf8_lossy(&text.stdout);
    let next = text
        .lines()
        .find(|l| l.trim_start().starts_with("Next:"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(!next.contains("identification_end"), "{next}");
    assert!(next.contains("dentification"), "{next}");
    assert!(
        !text.contains("exchange_period_cut_by_return_due_date"),
        "{text}"
    );
}

#[test]
fn day_45_on_a_weekend_is_flagged_and_not_moved() {
    let r = json(&[
        "analyze",
        &example("weekend-day-45.toml"),
        "--format",
        "json",
    ]);
    assert_eq!(r["deadlines"]["identification_end"], "2027-02-13");
    assert_eq!(
        r["deadlines"]["identification_end_if_7503_applies"],
        "2027-02-16"
    );
    assert!(codes(&r).contains(&"deadline_on_weekend_or_holiday".to_string()));
    let text =
        String::from_utf8(run(&["deadlines", "--transferred", "2026-12-30"]).stdout).expect("utf8");
    assert!(text.contains("2027-02-13 (Saturday: no roll)"), "{text}");
}

const OVER: &str = r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "x"
location = "CA"
acquired = "2015-01-01"
transferred = "2026-03-02"
sale_price = "100000"
adjusted_basis = "40000"
[[identified]]
id = "v"
fmv = "50000"
identified_on = "2026-03-10"
[[identified]]
id = "w"
fmv = "70000"
identified_on = "2026-03-10"
[[identified]]
id = "y"
fmv = "90000"
identified_on = "2026-03-20"
[[identified]]
id = "z"
fmv = "100000"
identified_on = "2026-03-20"
[[replacement]]
id = "y"
location = "CA"
received = "2026-06-01"
price = "90000"
"#;

#[test]
fn over_identification_without_the_95_percent_rule_fails() {
    let p = file("over.toml", OVER);
    let o = run(&["analyze", &p, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "an error finding");
    let r: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(r["identification"]["valid"], false);
    assert_eq!(r["identification"]["rule"], "none");
    assert_eq!(r["identification"]["aggregate_identified_fmv"], "310000.00");
    assert_eq!(r["identification"]["like_kind_fmv_received"], "0.00");
    assert!(codes(&r).contains(&"identification_invalid".to_string()));
}

#[test]
fn over_identification_rescued_by_95_percent() {
    let r = json(&[
        "analyze",
        &example("over-identification-95-percent.toml"),
        "--format",
        "json",
    ]);
    assert_eq!(r["identification"]["valid"], true);
    assert_eq!(r["identification"]["rule"], "ninety_five_percent");
    assert_eq!(r["identification"]["three_property_rule"], false);
    assert_eq!(r["identification"]["two_hundred_percent_rule"], false);
    assert!(codes(&r).contains(&"identification_rescued_by_95_percent".to_string()));
    assert!(!codes(&r).contains(&"identification_invalid".to_string()));
}

#[test]
fn reverse_exchange_dates_and_prior_ownership() {
    let r = json(&[
        "analyze",
        &example("reverse-exchange.toml"),
        "--format",
        "json",
    ]);
    let rev = &r["reverse"];
    assert_eq!(rev["qeaa_signed_by"], "2026-03-09");
    assert_eq!(rev["relinquished_identified_by"], "2026-04-16");
    assert_eq!(rev["transfers_completed_by"], "2026-08-29");
    assert_eq!(rev["qeaa_timely"], true);
    let text = std::fs::read_to_string(example("reverse-exchange.toml")).expect("example");
    let owned = text.replace(
        "# taxpayer_last_owned_replacement_on",
        "taxpayer_last_owned_replacement_on",
    );
    let o = run(&[
        "analyze",
        &file("reverse-owned.toml", &owned),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let r: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(r["reverse"]["prior_ownership"]["days_between"], 51);
    assert!(codes(&r).contains(&"reverse_prior_ownership".to_string()));
    // Receiving back one's own property is no exchange: the figures say so too.
    assert_eq!(r["qualification"]["outcome"], "taxable_sale");
    assert_eq!(
        r["replacement_basis"][0]["like_kind"], false,
        "{}",
        r["replacement_basis"]
    );
    assert_eq!(r["gain"]["deferred"], "0.00");
}

#[test]
fn disaster_postponement_from_the_exchange_file() {
    let text = OVER.replace(
        "[taxpayer]",
        "[disaster]\ndisaster_date = \"2026-04-01\"\npostponement_date = \"2026-07-31\"\naffected_taxpayer = true\n\n[taxpayer]",
    );
    let r = json(&["analyze", &file("disaster.toml", &text), "--format", "json"]);
    // Day 45 (2026-04-16) is after the disaster date: later of +120 days and 2026-07-31.
    assert_eq!(r["deadlines"]["identification_end"], "2026-08-14");
    assert_eq!(r["deadlines"]["exchange_end"], "2026-12-27");
    assert_eq!(r["deadlines"]["exchange_end_rule"], "disaster_postponement");
    assert_eq!(r["deadlines"]["disaster"]["section17_eligible"], true);
}

#[test]
fn bad_input_is_exit_code_2_with_the_field_and_rule() {
    let o = run(&[
        "deadlines",
        "--transferred",
        "2026-03-02",
        "--entity",
        "llc",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("s_corporation"));

    let o = run(&[
        "deadlines",
        "--transferred",
        "2026-03-02",
        "--tax-year-end",
        "02-30",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("--tax-year-end") && e.contains("§441(e)"), "{e}");

    let bad = OVER.replace(
        "[taxpayer]",
        "[disaster]\naffected_taxpayer = true\n\n[taxpayer]",
    );
    let o = run(&["analyze", &file("disaster-bad.toml", &bad)]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("disaster.postponement_date") && e.contains("rev_proc_2018_58"),
        "{e}"
    );
    assert!(e.contains("disaster.disaster_date"), "{e}");

    let bad_entity = OVER.replace("entity = \"individual\"", "entity = \"llc\"");
    let o = run(&["analyze", &file("entity-bad.toml", &bad_entity)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("taxpayer.entity"));
    assert!(o.stderr.len() < 4000 && !String::from_utf8_lossy(&o.stderr).contains("panicked"));
}

#[test]
fn deadlines_calendar_parses_back() {
    let o = run(&[
        "deadlines",
        "--transferred",
        "2026-10-30",
        "--format",
        "ics",
        "--as-of",
        "2026-11-25",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).expect("utf8");
    let unfolded = icalendar::parser::unfold(&text);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    let events: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert_eq!(events.len(), 3, "day 45, exchange end, file the extension");
    let prop = |c: &icalendar::parser::Component, k: &str| {
        c.find_prop(k)
            .map(|p| p.val.as_str().to_string())
            .unwrap_or_default()
    };
    assert_eq!(prop(events[0], "DTSTART"), "20261214");
    assert_eq!(prop(events[0], "DTEND"), "20261215");
    assert_eq!(
        prop(events[0], "UID"),
        "transfer-2026-10-30-individual-identification-end@likekind"
    );
    assert_eq!(prop(events[0], "DTSTAMP"), "20261125T000000Z");
    assert_eq!(prop(events[1], "DTSTART"), "20270415");
    let again = run(&[
        "deadlines",
        "--transferred",
        "2026-10-30",
        "--format",
        "ics",
        "--as-of",
        "2026-11-25",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        text,
        "deterministic"
    );
}

const LATE: &str = r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
extension_filed = true
[[relinquished]]
id = "x"
location = "CA"
acquired = "2015-01-01"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
[[identified]]
id = "late"
fmv = "300000"
identified_on = "2026-04-17"
[[identified]]
id = "slow"
fmv = "300000"
identified_on = "2026-04-01"
[[replacement]]
id = "late"
location = "CA"
received = "2026-06-01"
price = "300000"
[[replacement]]
id = "slow"
location = "CA"
received = "2026-08-30"
price = "300000"
[[replacement]]
id = "never"
location = "CA"
received = "2026-07-01"
price = "400000"
"#;

#[test]
fn late_identification_late_receipt_and_unidentified_replacement() {
    let o = run(&["analyze", &file("late.toml", LATE), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let r: Value = serde_json::from_slice(&o.stdout).expect("json");
    let c = codes(&r);
    for code in [
        "identification_late",
        "replacement_late",
        "replacement_not_identified",
    ] {
        assert!(c.contains(&code.to_string()), "{code} in {c:?}");
    }
    assert_eq!(r["identification"]["like_kind_fmv_received"], "0.00");
    assert_eq!(
        r["identification"]["non_like_kind_fmv_received"],
        "1000000.00"
    );
    let standing: Vec<&str> = r["identification"]["properties"]
        .as_array()
        .expect("properties")
        .iter()
        .filter_map(|p| p["standing"].as_str())
        .collect();
    assert_eq!(
        standing,
        ["identified_late", "received_late", "not_identified"]
    );
    assert_eq!(r["status"]["overdue"], serde_json::json!(["exchange_end"]));
}

#[test]
fn improvements_not_in_place_are_not_like_kind() {
    let text = r#"
[exchange]
type = "improvement"
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
extension_filed = true
[[relinquished]]
id = "x"
location = "CA"
acquired = "2015-01-01"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
[[identified]]
id = "lot"
description = "Lot 7 with a warehouse to be built"
fmv = "1000000"
identified_on = "2026-04-01"
[[replacement]]
id = "lot"
location = "CA"
received = "2026-08-28"
price = "1000000"
improvements_identified = "600000"
improvements_in_place = "300000"
"#;
    let r = json(&["analyze", &file("improve.toml", text), "--format", "json"]);
    let c = codes(&r);
    assert!(
        c.contains(&"improvements_not_in_place".to_string()),
        "{c:?}"
    );
    // The price, improvements as identified included, is the identified 1,000,000:
    // substantially the same.
    assert!(
        !c.contains(&"replacement_not_substantially_same".to_string()),
        "{c:?}"
    );
    // The 300,000 not in place is not like-kind property: boot (Reg. 1.1031(k)-1(e)(4)).
    assert_eq!(r["form_8824"]["line_15"], "300000.00");
    assert_eq!(r["form_8824"]["line_16"], "700000.00");
    let small = text.replace("price = \"1000000\"", "price = \"700000\"");
    let r = json(&[
        "analyze",
        &file("improve-small.toml", &small),
        "--format",
        "json",
    ]);
    assert!(codes(&r).contains(&"replacement_not_substantially_same".to_string()));
}

/// Treas. Reg. §1.1031(k)-1(c)(2): an identification made before the transfer (in the
/// exchange agreement) is made before the end of the identification period: not an input error.
#[test]
fn identification_before_the_transfer_is_accepted() {
    let text = r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "x"
location = "CA"
acquired = "2015-01-01"
transferred = "2026-03-02"
sale_price = "100000"
adjusted_basis = "40000"
[[identified]]
id = "y"
fmv = "100000"
identified_on = "2026-02-10"
[[replacement]]
id = "y"
location = "CA"
received = "2026-06-01"
price = "100000"
"#;
    let o = run(&["analyze", &file("early-id.toml", text), "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(r["identification"]["valid"], true);
    assert_eq!(r["identification"]["rule"], "three_property");
    assert_eq!(r["form_8824_part_i"]["line_5"], "2026-02-10");
    assert!(!codes(&r).contains(&"identification_late".to_string()));
    assert_eq!(r["gain"]["recognized"], "0.00");
}

/// Rev. Proc. 2018-58 §17 postpones day 180 past the unextended return due date (IRC
/// §1031(a)(3)(B)(ii)): the report counts the days lost from the postponed date (never a
/// negative count), does not call the Thursday due date a weekend, and every alternative end
/// agrees with `exchange_end`.
#[test]
fn disaster_postponement_cut_by_the_due_date_without_extension() {
    let text = r#"
[exchange]
as_of = "2026-11-25"
[disaster]
disaster_date = "2026-09-01"
postponement_date = "2027-01-15"
affected_taxpayer = true
[taxpayer]
entity = "individual"
[[relinquished]]
id = "x"
location = "TX"
acquired = "2015-01-01"
transferred = "2026-08-01"
sale_price = "100000"
adjusted_basis = "40000"
[[identified]]
id = "y"
fmv = "100000"
identified_on = "2026-09-10"
[[replacement]]
id = "y"
location = "TX"
received = "2027-03-01"
price = "100000"
"#;
    let r = json(&[
        "analyze",
        &file("disaster-cut.toml", text),
        "--format",
        "json",
    ]);
    let d = &r["deadlines"];
    assert_eq!(d["day_180"], "2027-01-28");
    assert_eq!(d["disaster"]["postponed_day_180"], "2027-05-28");
    assert_eq!(d["exchange_end"], "2027-04-15");
    assert_eq!(d["exchange_end_rule"], "return_due_date");
    assert_eq!(d["exchange_end_without_extension"], "2027-04-15");
    assert_eq!(d["exchange_end_with_extension"], "2027-05-28");
    assert_eq!(d["exchange_end_if_7503_applies"], "2027-04-15");
    assert_eq!(d["identification_end"], "2027-01-15");
    assert_eq!(d["identification_end_if_7503_applies"], "2027-01-15");
    let c = codes(&r);
    assert!(
        !c.contains(&"return_due_date_on_weekend_or_holiday".to_string()),
        "{c:?}"
    );
    assert!(c.contains(&"disaster_postponement_cut_by_return_due_date".to_string()));
    let cut = r["findings"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|f| f["code"] == "exchange_period_cut_by_return_due_date")
        })
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default()
        .to_string();
    assert!(cut.contains("43 days are lost"), "{cut}");
    let all = serde_json::to_string(&r).expect("json");
    assert!(!all.contains(" -77") && !all.contains("−77"), "{cut}");
}

/// QA: nothing identified by day 45 settles the exchange as a taxable sale, yet the status
/// still counted down to day 180 ("Next: exchange period ends on Aug 1, 2026") and called
/// day 45 "overdue". Day 180 no longer applies: it is not the next deadline, the text says
/// so, day 45 was missed, and the calendar keeps the date without reminders.
#[test]
fn a_failed_exchange_counts_down_to_nothing() {
    let failed = file(
        "failed-day-45.toml",
        r#"
[exchange]
type = "delayed"
as_of = "2026-05-01"
[taxpayer]
name = "Pat Doe"
entity = "individual"
[[relinquished]]
id = "a"
location = "CA"
acquired = "2015-01-01"
transferred = "2026-02-02"
sale_price = "500000"
adjusted_basis = "200000"
"#,
    );
    let r = json(&["analyze", &failed, "--format", "json"]);
    assert_eq!(r["qualification"]["outcome"], "taxable_sale");
    assert_eq!(r["qualification"]["settled"], true);
    let st = &r["status"];
    assert!(st.get("next").is_none(), "{st}");
    assert!(st.get("next_days_left").is_none(), "{st}");
    let state = |key: &str| {
        st["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == key)
            .map(|i| i["state"].clone())
            .unwrap()
    };
    assert_eq!(state("exchange_end"), "no_longer_applies");
    assert_eq!(state("identification_end"), "overdue");
    let o = run(&["analyze", &failed]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("no longer applies: the exchange failed"),
        "{text}"
    );
    assert!(!text.contains("Next:"), "{text}");
    assert!(
        text.contains("Missed: 1031: identification period ends (day 45)"),
        "{text}"
    );
    let o = run(&["analyze", &failed, "--format", "ics"]);
    let ics = String::from_utf8_lossy(&o.stdout).replace("\r\n ", "");
    let events: Vec<&str> = ics.split("BEGIN:VEVENT").skip(1).collect();
    let day_180 = events
        .iter()
        .find(|e| e.contains("exchange period ends"))
        .expect("day 180 on the calendar");
    assert!(!day_180.contains("VALARM"), "{day_180}");
    // The same exchange on Mar 1, still in its identification period: day 180 counts.
    let open = file(
        "open-day-45.toml",
        &std::fs::read_to_string(&failed)
            .unwrap()
            .replace("2026-05-01", "2026-03-01"),
    );
    let r = json(&["analyze", &open, "--format", "json"]);
    assert_eq!(r["qualification"]["settled"], false);
    assert_eq!(r["status"]["next"], "identification_end");
}
