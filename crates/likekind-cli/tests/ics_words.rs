//! The calendars the CLI writes (`analyze --format ics` for every example file, `deadlines
//! --format ics`): what a person reads in their calendar (each event's SUMMARY and
//! DESCRIPTION, and each reminder's DESCRIPTION) is in words: dates as `Apr 16, 2026`, no ISO
//! date, no enum name (`ExchangePeriodEnd`, `Rule::…`) and no snake_case code; the machine
//! fields (DTSTART, DTEND, DTSTAMP) stay machine dates.

#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic on broken fixtures

use icalendar::parser::{Component, read_calendar, unfold};
use std::path::PathBuf;
use std::process::Command;

fn ics(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(args)
        .output()
        .expect("run likekind");
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf8")
}

/// `YYYY-MM-DD` anywhere in `s`.
fn iso_date(s: &str) -> Option<&str> {
    s.as_bytes()
        .windows(10)
        .position(|w| {
            w.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            })
        })
        .map(|i| &s[i..i + 10])
}

/// A word that is a program's name rather than a person's: `snake_case`, `CamelCase` (a
/// capital after a small letter) or a path with `::`.
fn code_word(s: &str) -> Option<&str> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .find(|w| {
            let b = w.as_bytes();
            let snake = w.contains('_') && w.chars().any(|c| c.is_ascii_alphabetic());
            let camel = b
                .windows(2)
                .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase());
            snake || camel || w.contains("::")
        })
}

fn prop(c: &Component, k: &str) -> String {
    c.find_prop(k)
        .map(|p| p.val.as_str().to_string())
        .unwrap_or_default()
}

/// Checks one calendar; the number of events.
fn check(what: &str, text: &str) -> usize {
    let unfolded = unfold(text);
    let cal = read_calendar(&unfolded).unwrap_or_else(|e| panic!("{what}: {e}"));
    let events: Vec<&Component> = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    for e in &events {
        for k in ["DTSTART", "DTEND"] {
            let v = prop(e, k);
            assert!(
                v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()),
                "{what}: {k} stays a machine date: {v:?}"
            );
        }
        let stamp = prop(e, "DTSTAMP");
        assert!(
            stamp.len() == 16 && stamp.ends_with("T000000Z"),
            "{what}: {stamp}"
        );
        let mut read: Vec<(String, String)> = vec![
            ("SUMMARY".into(), prop(e, "SUMMARY")),
            ("DESCRIPTION".into(), prop(e, "DESCRIPTION")),
        ];
        for a in e.components.iter().filter(|a| a.name.as_str() == "VALARM") {
            read.push(("VALARM DESCRIPTION".into(), prop(a, "DESCRIPTION")));
        }
        for (k, v) in read {
            assert!(!v.trim().is_empty(), "{what}: empty {k}");
            assert!(
                iso_date(&v).is_none(),
                "{what}: ISO date {:?} in the {k} people read: {v}",
                iso_date(&v)
            );
            assert!(
                code_word(&v).is_none(),
                "{what}: code {:?} in the {k} people read: {v}",
                code_word(&v)
            );
        }
    }
    events.len()
}

#[test]
fn every_examples_calendar_reads_in_words() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() > 10, "the examples are there");
    let mut events = 0;
    for f in &files {
        let path = f.to_string_lossy();
        let text = ics(&["analyze", &path, "--format", "ics"]);
        events += check(&path, &text);
    }
    assert!(events > files.len(), "the calendars have events: {events}");
}

#[test]
fn the_deadline_calculators_calendar_reads_in_words() {
    for entity in ["individual", "partnership", "c_corporation"] {
        let text = ics(&[
            "deadlines",
            "--transferred",
            "2026-10-30",
            "--entity",
            entity,
            "--format",
            "ics",
            "--as-of",
            "2026-11-25",
        ]);
        assert!(check(entity, &text) >= 3, "{text}");
        // The reminders say the date in words.
        assert!(unfold(&text).contains("(Dec 14\\, 2026)"), "{text}");
    }
}

#[test]
fn the_checks_find_what_they_look_for() {
    assert_eq!(iso_date("due 2026-04-16 then"), Some("2026-04-16"));
    assert_eq!(iso_date("Apr 16, 2026 (Rev. Proc. 2008-16)"), None);
    assert_eq!(
        code_word("end (ExchangePeriodEnd)"),
        Some("ExchangePeriodEnd")
    );
    assert_eq!(code_word("rule three_property"), Some("three_property"));
    assert_eq!(
        code_word("Rule::ThreeProperty"),
        Some("Rule::ThreeProperty")
    );
    assert_eq!(
        code_word("IRC §1031(a)(3)(A); Treas. Reg. §1.1031(k)-1(b)(2)"),
        None
    );
}
