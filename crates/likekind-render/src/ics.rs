//! iCalendar (RFC 5545) export of an exchange's deadlines, written by hand so that every byte
//! is under our control (and deterministic): all-day events (`DTSTART;VALUE=DATE`, with the
//! exclusive `DTEND` the day after, RFC 5545 §3.6.1), stable UIDs built from the exchange and
//! the deadline's key (re-importing updates the events instead of duplicating them), a
//! `DTSTAMP` derived from the report date (no clock), display alarms 30, 14, 7 and 1 days
//! before each deadline, and the authority in the description. Text is escaped (§3.3.11) and
//! lines are folded at 75 octets (§3.1) with CRLF line ends.

use jiff::civil::Date;
use likekind_core::Report;
use likekind_core::status::Milestone;

/// Days before a deadline at which a reminder fires.
pub const ALARM_DAYS: [u32; 4] = [30, 14, 7, 1];

/// A calendar of `milestones` for the exchange identified by `uid_base`.
pub fn calendar(name: &str, uid_base: &str, milestones: &[Milestone], as_of: Date) -> String {
    feed(name, &[(uid_base.to_string(), milestones.to_vec())], as_of)
}

/// A calendar of several exchanges (e.g. a user's feed): each `(uid_base, milestones)` pair is
/// one exchange, and each milestone's UID is `uid_base-key`, so re-importing updates events.
pub fn feed(name: &str, exchanges: &[(String, Vec<Milestone>)], as_of: Date) -> String {
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
    let stamp = format!("{}T000000Z", compact(as_of));
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
            for d in ALARM_DAYS {
                line(&mut out, "BEGIN:VALARM");
                line(&mut out, "ACTION:DISPLAY");
                line(
                    &mut out,
                    &format!(
                        "DESCRIPTION:{}",
                        escape(&format!(
                            "{} in {d} day{} ({})",
                            m.title,
                            if d == 1 { "" } else { "s" },
                            likekind_core::money::format_date(m.date)
                        ))
                    ),
                );
                line(&mut out, &format!("TRIGGER:-P{d}D"));
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
}
