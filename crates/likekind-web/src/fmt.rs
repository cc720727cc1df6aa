//! US formats for people: `$1,234,567.89` and `Mar 2, 2026`.

use jiff::civil::Date;
use likekind_core::Amount;
use likekind_core::explain::{Input, Val};

/// `$1,234,567.89` (the engine's own formatter, so pages and reports agree).
pub fn usd(d: Amount) -> String {
    likekind_core::money::format_usd(d)
}

/// Whole cents as dollars.
pub fn cents(c: i64) -> String {
    usd(Amount::new(c, 2))
}

/// `Mar 2, 2026` (the engine's own formatter, [`likekind_core::money::format_date`]).
pub fn date(d: Date) -> String {
    likekind_core::money::format_date(d)
}

/// A stored `YYYY-MM-DD` (or RFC 3339 timestamp) as `Mar 2, 2026`; anything else as is.
pub fn date_str(s: &str) -> String {
    likekind_core::words::date_str(s)
}

/// A message of the engine or the API in words ([`likekind_core::words::message`]).
pub fn words(m: &str) -> String {
    likekind_core::words::message(m)
}

/// A field path in words ([`likekind_core::words::field`]).
pub fn field(path: &str) -> String {
    likekind_core::words::field(path)
}

/// One problem with an input in words: "The field in words: the message in words"
/// ([`likekind_core::words::problem`]).
pub fn problem(path: &str, message: &str) -> String {
    likekind_core::words::problem(path, message)
}

/// A code (a finding's, an enum's) as a title ([`likekind_core::words::code`]).
pub fn code(c: &str) -> String {
    likekind_core::words::code(c)
}

/// A property's or a party's name: a name the program made up (`property-3`) as "Property
/// 3" ([`likekind_core::words::name`]).
pub fn name(id: &str) -> String {
    likekind_core::words::name(id)
}

/// A property as a label names it: its description, else its name
/// ([`likekind_core::words::property`]), as the PDFs say it.
pub fn property(id: &str, description: &str) -> String {
    likekind_core::words::property(id, description)
}

/// A number of days: "1 day", "1,096 days" ([`likekind_core::words::days`]).
pub fn days(n: i64) -> String {
    likekind_core::words::days(n)
}

/// "in 12 days", "today", "3 days ago".
pub fn countdown(today: Date, d: Date) -> String {
    let n = (d - today).get_days();
    match n {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        n if n > 0 => format!("in {}", days(i64::from(n))),
        n => format!("{} ago", days(-i64::from(n))),
    }
}

/// The tracker's status codes in words (the server's table, which its CSV and refusals use).
pub fn status(s: &str) -> &'static str {
    likekind_server::exchanges::status_words(s)
}

/// Role names in words.
pub fn role(r: likekind_store::Role) -> &'static str {
    match r {
        likekind_store::Role::Admin => "Administrator",
        likekind_store::Role::Coordinator => "Exchange coordinator (QI)",
        likekind_store::Role::Preparer => "Tax preparer (CPA)",
        likekind_store::Role::Client => "Client (exchanger)",
    }
}

/// Parses a dollar amount typed by a person: `$1,250,000.00`, `1250000`, `-$5`. A dollar sign
/// and commas are accepted (they are how US users write money), the commas only between
/// groups of three digits of the whole dollars (`1,250,000.50`): a typo such as `$1,2,3` is
/// refused, never read as another amount ($123). The engine's strict parser reads the rest.
/// The one parser of every amount typed in a form.
///
/// # Errors
/// A message for the form.
pub fn parse_usd(s: &str) -> Result<Amount, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(Amount::ZERO);
    }
    let refused = |why: &str| format!("{s:?} is not an amount of dollars{why}");
    let (neg, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let rest = rest.strip_prefix('$').unwrap_or(rest);
    let (whole, cents) = match rest.split_once('.') {
        Some((w, c)) => (w, Some(c)),
        None => (rest, None),
    };
    if whole.contains(',') {
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or("");
        let lead_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
        let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if !(lead_ok && rest_ok) {
            return Err(refused(
                ": commas go only between groups of three digits, e.g. 1,250,000.50",
            ));
        }
    }
    let mut plain = String::with_capacity(t.len());
    if neg {
        plain.push('-');
    }
    plain.extend(whole.chars().filter(|c| *c != ','));
    if let Some(c) = cents {
        plain.push('.');
        plain.push_str(c);
    }
    likekind_core::money::parse_money(&plain).map_err(|_| refused(""))
}

/// A figure of the engine's explanation as people read it: money as `$1,250,000.00`, a date
/// as `Mar 2, 2026`, yes or no, several figures each named, anything else as the engine
/// prints it. The trace keeps its figures typed, so nothing is guessed from the text (a ratio
/// such as `0.95` stays a ratio).
pub fn figure(v: &Val) -> String {
    match v {
        Val::Money(d) => usd(*d),
        Val::Date(d) => date(*d),
        Val::Num(_) | Val::Int(_) => v.to_string(),
        Val::Bool(true) => "yes".into(),
        Val::Bool(false) => "no".into(),
        Val::List(l) => l.iter().map(input).collect::<Vec<_>>().join("; "),
        Val::Text(t) => words(&t.replace(" = ", ": ")),
    }
}

/// The name of a figure a step was computed from, as a label: `extension_filed` → "Return
/// extension", `as of` → "As of".
pub fn input_name(i: &Input) -> String {
    let name = if i.name.contains('_') {
        likekind_core::words::code(&i.name).to_lowercase()
    } else {
        words(&i.name)
    };
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// An input of a step as a label and its figure: `Sale price: $800,000.00`, `Days held:
/// 1,096 days`.
pub fn input(i: &Input) -> String {
    format!("{}: {}", input_name(i), step_figure(&i.name, &i.value))
}

/// The figure of a step (or of an input) named `name`: a count of days as days with its
/// thousands grouped ("4,175 days", as the PDFs say it), anything else as [`figure`].
pub fn step_figure(name: &str, v: &Val) -> String {
    match v {
        Val::Int(n) if likekind_core::words::counts_days(name) => days(*n),
        other => figure(other),
    }
}

/// A file size as people read it: `512 bytes`, `12.3 KB`, `16 MB` (1 KB = 1,024 bytes).
pub fn bytes(n: i64) -> String {
    const KB: i64 = 1024;
    const MB: i64 = 1024 * 1024;
    let tenths = |unit: i64| {
        let t = (n * 10 + unit / 2) / unit;
        if t % 10 == 0 {
            format!("{}", t / 10)
        } else {
            format!("{}.{}", t / 10, t % 10)
        }
    };
    match n {
        1 => "1 byte".into(),
        n if n < KB => format!("{n} bytes"),
        n if n < MB => format!("{} KB", tenths(KB)),
        _ => format!("{} MB", tenths(MB)),
    }
}

/// A count with thousands separators: 1,234.
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// QA: pages said counts of days as bare numbers ("held 4175 days", "in 1096 days"); they
    /// read as the PDFs say them, and a year stays a year.
    #[test]
    fn day_counts_are_grouped() {
        assert_eq!(
            step_figure("Days oak was held before it was given up", &Val::Int(4175)),
            "4,175 days"
        );
        assert_eq!(
            input(&Input::new("suspended days", Val::Int(1096))),
            "Suspended days: 1,096 days"
        );
        assert_eq!(step_figure("Tax year of the gain", &Val::Int(2026)), "2026");
        let t = jiff::civil::date(2026, 1, 1);
        assert_eq!(countdown(t, jiff::civil::date(2029, 1, 1)), "in 1,096 days");
        assert_eq!(
            countdown(jiff::civil::date(2029, 1, 1), t),
            "1,096 days ago"
        );
    }

    /// QA: the names the program made up read as words.
    #[test]
    fn made_up_names_read_as_words() {
        assert_eq!(name("property-3"), "Property 3");
        assert_eq!(name("elm"), "elm");
    }

    #[test]
    fn us_formats() {
        assert_eq!(date(jiff::civil::date(2026, 3, 2)), "Mar 2, 2026");
        assert_eq!(date_str("2026-12-31T10:00:00Z"), "Dec 31, 2026");
        assert_eq!(usd(Amount::new(123_456_789, 2)), "$1,234,567.89");
        assert_eq!(cents(-500), "-$5.00");
        assert_eq!(parse_usd("$1,250,000.50"), Ok(Amount::new(125_000_050, 2)));
        assert!(parse_usd("12abc").is_err());
        // QA: a typo is refused, never read as another amount.
        for bad in [
            "$1,2,3",
            "1,2,3",
            "12,34",
            "1,2345",
            ",123",
            "1,234,",
            "1,,234",
            "$$5",
            "1 000",
            "1,234.5,6",
        ] {
            assert!(parse_usd(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_usd("$1,2,3"), Err("\"$1,2,3\" is not an amount of dollars: commas go only between groups of three digits, e.g. 1,250,000.50".to_string()));
        assert_eq!(parse_usd(" 1,000 "), Ok(Amount::new(1000, 0)));
        assert_eq!(parse_usd("123,456.78"), Ok(Amount::new(12_345_678, 2)));
        assert_eq!(parse_usd("-$5"), Ok(Amount::new(-5, 0)));
        assert_eq!(parse_usd("$-5"), Ok(Amount::new(-5, 0)));
        assert_eq!(parse_usd("999"), Ok(Amount::new(999, 0)));
        let t = jiff::civil::date(2026, 3, 2);
        assert_eq!(countdown(t, jiff::civil::date(2026, 3, 14)), "in 12 days");
        assert_eq!(countdown(t, jiff::civil::date(2026, 2, 28)), "2 days ago");
        assert_eq!(bytes(27), "27 bytes");
        use likekind_core::amt as dec;
        assert_eq!(figure(&Val::Money(dec!(670000))), "$670,000.00");
        assert_eq!(figure(&Val::Money(dec!(-5.5))), "-$5.50");
        assert_eq!(
            input(&Input::new("sale price", Val::Money(dec!(1000000)))),
            "Sale price: $1,000,000.00"
        );
        assert_eq!(
            figure(&Val::Date(jiff::civil::date(2026, 5, 16))),
            "May 16, 2026"
        );
        assert_eq!(figure(&Val::Num(dec!(0.95))), "0.95");
        assert_eq!(figure(&Val::Int(45)), "45");
        assert_eq!(
            figure(&Val::from("three-property rule")),
            "three-property rule"
        );
        assert_eq!(bytes(1536), "1.5 KB");
        assert_eq!(bytes(16 * 1024 * 1024), "16 MB");
        assert_eq!(bytes(1024), "1 KB");
    }
}
