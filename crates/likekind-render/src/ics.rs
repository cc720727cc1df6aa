//! iCalendar (RFC 5545) export of an exchange's deadlines, written by hand so that every byte
//! is under our control: all-day events (`DTSTART;VALUE=DATE`, with the exclusive `DTEND` the
//! day after, RFC 5545 §3.6.1), stable UIDs built from the exchange and the deadline's key
//! (re-importing updates the events instead of duplicating them), display alarms before each
//! deadline, and the authority in the description. Text is escaped (§3.3.11) and lines are
//! folded at 75 octets (§3.1) with CRLF line ends.
//!
//! No clock is read here: the caller says when the calendar was made and when the alarms
//! fire ([`Options`]). The command line derives both from its report date (the same bytes for
//! the same input); the tracker's feed passes the time of the request and the firm's lead
//! times.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::Offset;
use likekind_core::Report;
use likekind_core::status::Milestone;

/// Days before a deadline at which a reminder fires, where the caller sets none.
pub const ALARM_DAYS: [u32; 4] = [30, 14, 7, 1];

/// How a calendar is stamped and reminded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Every event's `DTSTAMP`: when the calendar was made, written in UTC (RFC 5545
    /// §3.8.7.2).
    pub stamp: Timestamp,
    /// Days before each deadline at which a display alarm fires (0: on the day).
    pub alarm_days: Vec<u32>,
}

impl Options {
    /// What the command line writes, with no clock: stamped at 00:00 UTC of the report date
    /// `as_of`, alarms [`ALARM_DAYS`]. The same input gives the same bytes.
    pub fn of_report_date(as_of: Date) -> Options {
        Options {
            stamp: Offset::UTC
                .to_timestamp(as_of.to_datetime(jiff::civil::Time::midnight()))
                .unwrap_or(Timestamp::UNIX_EPOCH),
            alarm_days: ALARM_DAYS.to_vec(),
        }
    }
}

/// A calendar of `milestones` for the exchange identified by `uid_base`.
pub fn calendar(name: &str, uid_base: &str, milestones: &[Milestone], as_of: Date) -> String {
    feed(name, &[(uid_base.to_string(), milestones.to_vec())], as_of)
}

/// A calendar of several exchanges (e.g. a user's feed): each `(uid_base, milestones)` pair is
/// one exchange, and each milestone's UID is `uid_base-key`, so re-importing updates events.
/// Stamped and reminded as the command line does ([`Options::of_report_date`]).
pub fn feed(name: &str, exchanges: &[(String, Vec<Milestone>)], as_of: Date) -> String {
    feed_with(name, exchanges, &Options::of_report_date(as_of))
}

/// [`feed`] stamped and reminded as `o` says.
pub fn feed_with(name: &str, exchanges: &[(String, Vec<Milestone>)], o: &Options) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        concat!(
            "PRODID:-//likekind//likekind ",
            env!("CARGO_PKG_VERSION"),
            "//EN"
        ),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        line(&mut out, l);
    }
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    let stamp = utc(o.stamp);
    // Soonest alarm last, each once.
    let mut alarm_days = o.alarm_days.clone();
    alarm_days.sort_unstable_by(|a, b| b.cmp(a));
    alarm_days.dedup();
    for (uid_base, m) in exchanges
        .iter()
        .flat_map(|(b, ms)| ms.iter().map(move |m| (b, m)))
    {
        line(&mut out, "BEGIN:VEVENT");
        line(
            &mut out,
            &format!("UID:{uid_base}-{}@likekind", slug(&m.key)),
        );
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(&mut out, &format!("DTSTART;VALUE=DATE:{}", compact(m.date)));
        let end = m.date.tomorrow().unwrap_or(m.date);
        line(&mut out, &format!("DTEND;VALUE=DATE:{}", compact(end)));
        line(&mut out, &format!("SUMMARY:{}", escape(&m.title)));
        line(
            &mut out,
            &format!(
                "DESCRIPTION:{}",
                escape(&format!(
                    "{}\n\nAuthority: {}",
                    likekind_core::words::message(&m.description),
                    m.authority
                ))
            ),
        );
        line(&mut out, "CATEGORIES:1031 exchange");
        line(&mut out, "TRANSP:TRANSPARENT");
        if m.deadline {
            for &d in &alarm_days {
                line(&mut out, "BEGIN:VALARM");
                line(&mut out, "ACTION:DISPLAY");
                let when = match d {
                    0 => "today".to_string(),
                    1 => "in 1 day".to_string(),
                    d => format!("in {d} days"),
                };
                line(
                    &mut out,
                    &format!(
                        "DESCRIPTION:{}",
                        escape(&format!(
                            "{} {when} ({})",
                            m.title,
                            likekind_core::money::format_date(m.date)
                        ))
                    ),
                );
                // Before the event's start (RFC 5545 §3.8.6.3); on the day, at its start.
                if d == 0 {
                    line(&mut out, "TRIGGER:PT0S");
                } else {
                    line(&mut out, &format!("TRIGGER:-P{d}D"));
                }
                line(&mut out, "END:VALARM");
            }
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// The calendar of an analysis report: every milestone of its status (a deadline that no
/// longer applies, the exchange having failed, without reminders).
pub fn report(r: &Report) -> String {
    let items: Vec<Milestone> = r
        .status
        .as_ref()
        .map(likekind_core::status::Status::calendar_milestones)
        .unwrap_or_default();
    let base = match &r.exchange.name {
        Some(n) if !n.trim().is_empty() => slug(n),
        _ => {
            let ids: Vec<&str> = r.money.sales.iter().map(|s| s.id.as_str()).collect();
            format!("exchange-{}", slug(&ids.join("-")))
        }
    };
    let name = r
        .exchange
        .name
        .clone()
        .unwrap_or_else(|| "1031 exchange deadlines".into());
    calendar(&name, &base, &items, r.exchange.as_of)
}

/// `YYYYMMDD`.
fn compact(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// `YYYYMMDDTHHMMSSZ`: a date-time in UTC (RFC 5545 §3.3.5, form #2).
fn utc(t: Timestamp) -> String {
    let dt = Offset::UTC.to_datetime(t);
    format!(
        "{}T{:02}{:02}{:02}Z",
        compact(dt.date()),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// Lowercase letters, digits and single dashes: safe in a UID.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "x".into() } else { out }
}

/// RFC 5545 §3.3.11 TEXT escaping.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (never inside a UTF-8 character), CRLF ended.
fn line(out: &mut String, l: &str) {
    let mut width = 0;
    for c in l.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_long_lines_at_75_octets_and_escapes() {
        let mut o = String::new();
        line(&mut o, &format!("DESCRIPTION:{}", "é".repeat(60)));
        for l in o.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    fn deadline() -> Milestone {
        Milestone {
            key: "identification_end".into(),
            title: "Identification deadline".into(),
            date: jiff::civil::date(2026, 4, 16),
            description: "Identify the replacement property".into(),
            authority: "IRC §1031(a)(3)(A)".into(),
            done: None,
            deadline: true,
        }
    }

    #[test]
    fn the_stamp_is_the_instant_given_in_utc_and_the_alarms_the_days_given() {
        let stamp: Timestamp = "2026-12-06T15:04:05.9-08:00".parse().unwrap();
        let o = Options {
            stamp,
            alarm_days: vec![1, 30, 0, 14, 2, 7, 1],
        };
        let text = feed_with("F", &[("exch-1".into(), vec![deadline()])], &o);
        let text = text.replace("\r\n ", "");
        assert!(text.contains("\r\nDTSTAMP:20261206T230405Z\r\n"), "{text}");
        let triggers: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim_end().strip_prefix("TRIGGER:"))
            .collect();
        assert_eq!(triggers, ["-P30D", "-P14D", "-P7D", "-P2D", "-P1D", "PT0S"]);
        assert!(text.contains(" today ("), "{text}");
        assert!(text.contains(" in 1 day ("), "{text}");
        // The command line's stamp and alarms, derived from its report date.
        let cli = feed(
            "F",
            &[("exch-1".into(), vec![deadline()])],
            jiff::civil::date(2026, 3, 20),
        );
        assert!(cli.contains("\r\nDTSTAMP:20260320T000000Z\r\n"), "{cli}");
        assert_eq!(cli.matches("TRIGGER:").count(), ALARM_DAYS.len());
    }
}
