//! The calendar export parsed back with a real iCalendar parser (the `icalendar` crate):
//! dates, exclusive DTEND, stable UIDs, deterministic DTSTAMP, alarms and authority.

#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic on broken fixtures

use icalendar::parser::{Component, read_calendar, unfold};
use likekind_core::{Format, analyze, parse_exchange};

const FILE: &str = r#"
[exchange]
name = "Oak Street to Elm Plaza"
as_of = "2026-03-20"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "oak"
location = "CA"
acquired = "2015-06-01"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
[[identified]]
id = "elm"
description = "Elm Plaza, 400 Elm St, Austin TX"
fmv = "1000000"
identified_on = "2026-04-10"
"#;

fn ics(text: &str) -> String {
    let f = parse_exchange(text, Format::Toml).expect("valid file");
    likekind_render::ics::report(&analyze(&f, jiff::civil::date(2026, 3, 20)))
}

fn prop(c: &Component, k: &str) -> String {
    c.find_prop(k)
        .map(|p| p.val.as_str().to_string())
        .unwrap_or_default()
}

/// (UID, DTSTART, DTEND, DTSTAMP, DESCRIPTION, alarm triggers) of each event.
type Event = (String, String, String, String, String, Vec<String>);

fn events(text: &str) -> Vec<Event> {
    let unfolded = unfold(text);
    let cal = read_calendar(&unfolded).expect("parses as iCalendar");
    assert_eq!(
        cal.properties
            .iter()
            .find(|p| p.name.as_str() == "VERSION")
            .map(|p| p.val.as_str()),
        Some("2.0")
    );
    cal.components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|e| {
            let triggers = e
                .components
                .iter()
                .filter(|a| a.name.as_str() == "VALARM")
                .map(|a| {
                    assert_eq!(prop(a, "ACTION"), "DISPLAY");
                    prop(a, "TRIGGER")
                })
                .collect();
            (
                prop(e, "UID"),
                prop(e, "DTSTART"),
                prop(e, "DTEND"),
                prop(e, "DTSTAMP"),
                prop(e, "DESCRIPTION"),
                triggers,
            )
        })
        .collect()
}

#[test]
fn report_calendar_round_trips() {
    let text = ics(FILE);
    assert!(
        text.lines().all(|l| l.len() <= 76),
        "folded at 75 octets + CR"
    );
    assert!(text.contains("\r\n"));
    let ev = events(&text);
    let by_uid = |k: &str| {
        ev.iter()
            .find(|e| e.0 == format!("oak-street-to-elm-plaza-{k}@likekind"))
            .unwrap_or_else(|| panic!("no event {k} in {ev:?}"))
    };
    let id = by_uid("identification-end");
    assert_eq!((id.1.as_str(), id.2.as_str()), ("20260416", "20260417"));
    assert_eq!(id.3, "20260320T000000Z");
    assert!(id.4.contains("Authority: IRC §1031(a)(3)(A)"), "{}", id.4);
    assert_eq!(id.5, ["-P30D", "-P14D", "-P7D", "-P1D"]);
    let end = by_uid("exchange-end");
    assert_eq!((end.1.as_str(), end.2.as_str()), ("20260829", "20260830"));
    let release = by_uid("funds-release");
    assert!(release.5.is_empty(), "no reminders for an informative date");
    // People read the descriptions and reminders: dates in words, no enum names, no ISO dates.
    for l in text
        .replace("\r\n ", "")
        .lines()
        .filter(|l| l.starts_with("DESCRIPTION:"))
    {
        let has_iso = l.as_bytes().windows(10).any(|w| {
            w.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            })
        });
        assert!(!has_iso, "ISO date shown to people: {l}");
        assert!(
            !l.contains("(ExchangePeriodEnd)") && !l.contains("Rule::"),
            "{l}"
        );
    }
    let unfolded = text.replace("\r\n ", "");
    assert!(
        unfolded.contains("(Apr 16\\, 2026)"),
        "reminders give the date in words"
    );
}

#[test]
fn uids_are_stable_when_dates_change() {
    let a = events(&ics(FILE));
    let moved = FILE
        .replace(
            "transferred = \"2026-03-02\"",
            "transferred = \"2026-03-05\"",
        )
        .replace("as_of = \"2026-03-20\"", "as_of = \"2026-03-25\"");
    let b = events(&ics(&moved));
    let uids = |v: &Vec<Event>| {
        let mut u: Vec<String> = v.iter().map(|e| e.0.clone()).collect();
        u.sort();
        u
    };
    assert_eq!(uids(&a), uids(&b), "same events, updated in place");
    assert_ne!(a[0].1, b[0].1, "with new dates");
    assert_eq!(b[0].3, "20260325T000000Z", "DTSTAMP from as_of");
}
