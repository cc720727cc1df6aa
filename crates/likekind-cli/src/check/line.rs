//! A summary line of `likekind check`, written straight into the worker's buffer.
//!
//! A book of a million exchanges writes a million of these. Through the derived `Serialize`
//! (a flattened, untagged body; money and dates through `Display`) writing a line took a
//! sixth of the time of analysing its exchange. The bytes are the ones serde_json writes for
//! the derived form: a test holds the two equal.

use jiff::civil::Date;
use likekind_core::Amount;
use likekind_core::money::serialize_money;
use likekind_core::qualification::Outcome;
use serde::Serialize;
use std::io::Write;

/// The figures a book review reads first; names as in the JSON report. Its derived
/// `Serialize` is the form [`write`] is tested against.
#[derive(Serialize)]
pub(super) struct Summary<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) name: Option<&'a str>,
    pub(super) taxpayer: &'a str,
    pub(super) as_of: Date,
    /// `qualification.outcome` of the report.
    pub(super) outcome: Outcome,
    pub(super) settled: bool,
    pub(super) verdict: &'a str,
    pub(super) errors: usize,
    pub(super) warnings: usize,
    #[serde(serialize_with = "serialize_money")]
    pub(super) realized_gain: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub(super) recognized_gain: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub(super) deferred_gain: Amount,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) identification_end: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) exchange_end: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) next_deadline: Option<Next<'a>>,
}

#[derive(Serialize, Clone)]
pub(super) struct Next<'a> {
    pub(super) key: &'a str,
    pub(super) title: &'a str,
    pub(super) date: Date,
    pub(super) days_left: i32,
}

/// `{"source":…,` then the summary's fields, in the order of [`Summary`].
pub(super) fn write(out: &mut Vec<u8>, source: &str, s: &Summary) -> std::io::Result<()> {
    out.extend_from_slice(b"{\"source\":");
    text(out, source)?;
    if let Some(name) = s.name {
        out.extend_from_slice(b",\"name\":");
        text(out, name)?;
    }
    out.extend_from_slice(b",\"taxpayer\":");
    text(out, s.taxpayer)?;
    out.extend_from_slice(b",\"as_of\":");
    date(out, s.as_of)?;
    out.extend_from_slice(b",\"outcome\":");
    serde_json::to_writer(&mut *out, &s.outcome)?;
    out.extend_from_slice(b",\"settled\":");
    out.extend_from_slice(if s.settled { b"true" } else { b"false" });
    out.extend_from_slice(b",\"verdict\":");
    text(out, s.verdict)?;
    out.extend_from_slice(b",\"errors\":");
    number(out, s.errors);
    out.extend_from_slice(b",\"warnings\":");
    number(out, s.warnings);
    out.extend_from_slice(b",\"realized_gain\":");
    money(out, s.realized_gain);
    out.extend_from_slice(b",\"recognized_gain\":");
    money(out, s.recognized_gain);
    out.extend_from_slice(b",\"deferred_gain\":");
    money(out, s.deferred_gain);
    if let Some(d) = s.identification_end {
        out.extend_from_slice(b",\"identification_end\":");
        date(out, d)?;
    }
    if let Some(d) = s.exchange_end {
        out.extend_from_slice(b",\"exchange_end\":");
        date(out, d)?;
    }
    if let Some(n) = &s.next_deadline {
        out.extend_from_slice(b",\"next_deadline\":");
        next(out, n)?;
    }
    out.extend_from_slice(b"}\n");
    Ok(())
}

fn next(out: &mut Vec<u8>, n: &Next) -> std::io::Result<()> {
    out.extend_from_slice(b"{\"key\":");
    text(out, n.key)?;
    out.extend_from_slice(b",\"title\":");
    text(out, n.title)?;
    out.extend_from_slice(b",\"date\":");
    date(out, n.date)?;
    out.extend_from_slice(b",\"days_left\":");
    number(out, n.days_left);
    out.push(b'}');
    Ok(())
}

/// A JSON string, escaped as serde_json escapes it: the quote, the backslash and the control
/// characters below U+0020, nothing else. Text with none of them (nearly every name and
/// source) is copied as it is.
fn text(out: &mut Vec<u8>, s: &str) -> std::io::Result<()> {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        serde_json::to_writer(&mut *out, s)?;
    } else {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
    Ok(())
}

fn number(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Money as the report writes it: a string of dollars with two decimals (`"-5.00"`).
fn money(out: &mut Vec<u8>, d: Amount) {
    let cents = likekind_core::money::cents(d);
    out.push(b'"');
    if cents < 0 {
        out.push(b'-');
    }
    let abs = cents.unsigned_abs();
    number(out, abs / 100);
    let c = (abs % 100) as u8;
    out.extend_from_slice(&[b'.', b'0' + c / 10, b'0' + c % 10, b'"']);
}

/// A date as jiff writes it (`"2026-03-02"`); years outside 0 to 9999 through jiff itself.
fn date(out: &mut Vec<u8>, d: Date) -> std::io::Result<()> {
    let Ok(year) = u16::try_from(d.year()) else {
        return write!(out, "\"{d}\"");
    };
    if year > 9999 {
        return write!(out, "\"{d}\"");
    }
    let two = |n: i8| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    let [m1, m2] = two(d.month());
    let [d1, d2] = two(d.day());
    let y = [
        b'0' + (year / 1000) as u8,
        b'0' + (year / 100 % 10) as u8,
        b'0' + (year / 10 % 10) as u8,
        b'0' + (year % 10) as u8,
    ];
    out.push(b'"');
    out.extend_from_slice(&y);
    out.extend_from_slice(&[b'-', m1, m2, b'-', d1, d2, b'"']);
    Ok(())
}
