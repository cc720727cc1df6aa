//! Words for people: the one place that turns the engine's and the API's field paths, rule
//! and finding codes, ranges, amounts and dates into what a person reads.
//!
//! The engine and the API keep their machine forms (a finding's `code`, an error's `path` and
//! `rule` are a contract); pages, notifications and other human text pass them through here:
//!
//! - [`field`]: `relinquished[0].sale_price` → "the first relinquished property's sale price",
//!   `exchange.funds_released_on` → "the date the funds were released";
//! - [`code`]: `multi_asset_j1_differs` → "Multi-asset exchange: the exchange groups' figures
//!   differ", each code the engine can emit titled in one table (`words/titles.rs`);
//! - [`message`]: a whole message, with its paths, `` `1..=28` `` ranges, `(--growth)` flag
//!   hints, bare amounts (`4400000.00` → `$4,400,000.00`) and ISO dates (`2026-11-15` →
//!   `Nov 15, 2026`) in words;
//! - [`date`] and [`usd`]: the formats themselves (see [`crate::money`]).

mod places;
mod titles;

pub use places::{ends_with_place, location_code, place_name, place_names};

use crate::amount::Amount;
use crate::money::{format_date, format_usd};
use jiff::civil::Date;

/// `Nov 15, 2026`.
pub fn date(d: Date) -> String {
    format_date(d)
}

/// `$1,234.56`.
pub fn usd(d: Amount) -> String {
    format_usd(d)
}

/// Whole cents as `$1,234.56`.
pub fn cents(c: i64) -> String {
    format_usd(Amount::new(c, 2))
}

/// A stored `YYYY-MM-DD` (or an RFC 3339 timestamp) as `Nov 15, 2026`; anything else as is.
pub fn date_str(s: &str) -> String {
    match s.get(..10).and_then(|d| d.parse::<Date>().ok()) {
        Some(d) => format_date(d),
        None => s.to_string(),
    }
}

/// A whole number with its thousands grouped by commas: `4175` → `4,175`, `-1096` → `-1,096`.
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number of days with its unit: `1 day`, `45 days`, `1,096 days`.
pub fn days(n: i64) -> String {
    let unit = if n.unsigned_abs() == 1 { "day" } else { "days" };
    format!("{} {unit}", count(n))
}

/// Whether a figure named `name` (an explanation's step or one of its inputs) is a count of
/// days: it says so ("Days oak was held…", "days held", "number of days…", "suspended
/// days"). Other whole numbers (a tax year, a count of properties) are not.
pub fn counts_days(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    n.starts_with("days ") || n.ends_with(" days") || n == "days" || n.contains("number of days")
}

/// Where a property is, in words, from its `location` code: a State by its name
/// ("California"), a territory as outside the United States ("Puerto Rico (a US territory,
/// outside the United States)", IRC §7701(a)(9)), a foreign country by its name ("Mexico
/// (outside the United States)"). A code that names nothing is given as it is.
pub fn location(code: &str) -> String {
    let code = code.trim();
    if let Some(cc) = code.strip_prefix("foreign:") {
        return match places::country(cc) {
            Some(n) => format!("{n} (outside the United States)"),
            None => format!("a country outside the United States (country code {cc})"),
        };
    }
    match places::us(code) {
        Some((n, false)) => n.to_string(),
        Some((n, true)) => format!("{n} (a US territory, outside the United States)"),
        None => code.to_string(),
    }
}

/// A property as people read it in a sentence or a label: its description when the file
/// gives one ("Duplex, 12 Oak St, Fresno CA"), else its name ([`name`]). The id of a property
/// is the file's key, not a name a reader knows it by; the papers and pages say the same
/// words for the same property.
pub fn property(id: &str, description: &str) -> String {
    let d = description.trim();
    if d.is_empty() {
        name(id)
    } else {
        d.to_string()
    }
}

/// A property's or a party's name for people: the name it was given, or, for a name the
/// program made up because none was given (`property-3`, `party-2`), "Property 3", "Party 2".
pub fn name(id: &str) -> String {
    match generated_at(id) {
        Some((w, n)) if n == id.len() => w,
        _ => id.to_string(),
    }
}

/// A name made up by the program at the start of `s` (`property-3`, `party-2`, not followed
/// by a letter, digit, `-` or `_`) in words ("Property 3"), with its length.
fn generated_at(s: &str) -> Option<(String, usize)> {
    let (word, rest) = if let Some(r) = s.strip_prefix("property-") {
        ("Property", r)
    } else if let Some(r) = s.strip_prefix("party-") {
        ("Party", r)
    } else {
        return None;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let next = rest[digits..].chars().next();
    if digits == 0
        || digits > 6
        || next.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let n = s.len() - rest.len() + digits;
    Some((format!("{word} {}", &rest[..digits]), n))
}

/// A count of days at the start of `s` written without its thousands grouped (`4175 days`,
/// `1096 day`): the count grouped (`4,175`), and the length of the digits.
fn day_count_at(s: &str) -> Option<(String, usize)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n < 4 || !s[n..].starts_with(" day") {
        return None;
    }
    let after = s[n + 4..].chars().next();
    if after.is_some_and(|c| c.is_alphanumeric() && c != 's') {
        return None;
    }
    s[..n].parse::<i64>().ok().map(|v| (count(v), n))
}

/// What a field (the last part of a path) is called.
fn label(name: &str) -> Option<&'static str> {
    Some(match name {
        "id" => "name",
        "name" => "name",
        "description" => "description",
        "type" | "kind" => "kind",
        "as_of" => "date the exchange is judged at",
        "entity" => "type",
        "tax_year_end" => "end of the tax year",
        "extension_filed" => "return extension",
        "state" => "state",
        "location" => "location",
        "use" => "use",
        "acquired" => "date acquired",
        "transferred" => "date of the sale closing",
        "sale_price" => "sale price",
        "adjusted_basis" => "adjusted basis",
        "depreciation_allowed" => "depreciation allowed",
        "additional_depreciation" => "additional depreciation",
        "section1245_depreciation" => "section 1245 depreciation",
        "liabilities_relieved" => "debt paid off or assumed by the buyer",
        "exchange_expenses" => "exchange expenses",
        "other_closing_costs" => "other closing costs",
        "cash_received" => "cash received",
        "liabilities_assumed_by_buyer" => "debt the buyer assumed",
        "fmv" => "fair market value",
        "identified_on" => "date identified",
        "revoked_on" => "date revoked",
        "incidental_personal_property" => "incidental personal property",
        "received" => "date received",
        "price" => "price",
        "liabilities_assumed" => "new debt assumed",
        "cash_paid" => "own cash paid",
        "personal_property" => "personal property received",
        "land_value" => "land value",
        "relationship" => "relationship",
        "disposed_on" => "date of the disposition",
        "funds_released_on" => "date the funds were released",
        "released_on" => "date of release",
        "on_date" | "date" | "on" => "date",
        "posted_on" => "date posted",
        "value_date" => "bank value date",
        "amount" | "amount_cents" => "amount",
        "approval_threshold" => "approval threshold",
        "email" => "e-mail address",
        "password" => "password",
        "firm_name" => "firm name",
        "role" => "role",
        "note" | "memo" => "note",
        "reason" | "override_reason" => "reason",
        "url" => "address (URL)",
        "time_zone" => "time zone",
        "delivered_on" => "date delivered",
        "received_by" => "received by",
        "growth_pct" | "growth" => "growth rate",
        "horizon" | "horizon_years" => "planning horizon",
        "days" | "days_before" => "number of days",
        "file" => "file",
        "written" => "written revocation",
        "text" => "pasted text",
        "body" => "request",
        "client_id" => "client",
        "coordinator_id" => "coordinator",
        "exchange_id" => "exchange",
        "user_id" | "actor_id" | "actor" => "person",
        "limit" => "number of rows",
        "after" => "page",
        "from" => "first date",
        "to" => "last date",
        _ => return None,
    })
}

/// What one element of a list is called.
fn noun(list: &str) -> Option<&'static str> {
    Some(match list {
        "relinquished" => "relinquished property",
        "replacement" => "replacement property",
        "identified" => "identified property",
        "properties" => "property",
        "other_property_given" => "other property given",
        "other_property_received" => "other property received",
        "notices" => "notice",
        "postings" => "posting",
        "items" => "item",
        "documents" => "document",
        "parties" => "party",
        "webhooks" => "webhook",
        "co_owners" => "co-owner",
        _ => return None,
    })
}

/// A part of a path that holds fields and is named for them ("the taxpayer's name").
fn owner(name: &str) -> Option<&'static str> {
    Some(match name {
        "taxpayer" => "the taxpayer",
        "related_party" => "the related party",
        "plan" | "exchange" | "file" | "body" | "query" | "request" | "settings" | "form" => {
            return Some("");
        }
        _ => return None,
    })
}

/// `1` → "first", `12` → "12th".
fn ordinal(n: usize) -> String {
    const W: [&str; 10] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    if let Some(w) = W.get(n.wrapping_sub(1)) {
        return (*w).to_string();
    }
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A snake_case name as plain words: `funds_released_on` → "funds released on".
fn plain(name: &str) -> String {
    let s = name.trim_matches('_').replace('_', " ");
    match s.strip_suffix(" id") {
        Some(rest) => rest.to_string(),
        None => s,
    }
}

/// A field path of the exchange file or of an API request in words:
/// `relinquished[0].sale_price` → "the first relinquished property's sale price",
/// `properties[1].id` → "the second property's name", `exchange.funds_released_on` → "the
/// date the funds were released", `taxpayer.name` → "the taxpayer's name".
pub fn field(path: &str) -> String {
    // A command-line hint such as `plan.growth_pct (--growth)` is not part of the name.
    let path = path.split(" (--").next().unwrap_or(path).trim();
    if path.is_empty() {
        return "the request".into();
    }
    let mut whose = String::new();
    let mut last: Option<String> = None;
    let parts: Vec<&str> = path.split('.').filter(|p| !p.is_empty()).collect();
    for (k, part) in parts.iter().enumerate() {
        let is_last = k + 1 == parts.len();
        let (name, index) = match part.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (*part, None),
        };
        if let Some(i) = index {
            let n = match noun(name) {
                Some(n) => n.to_string(),
                None => {
                    let p = plain(name);
                    p.strip_suffix('s')
                        .map_or_else(|| p.clone(), str::to_string)
                }
            };
            let this = format!("the {} {n}", ordinal(i + 1));
            whose = if whose.is_empty() {
                this
            } else {
                format!("{whose}, {this}")
            };
            if is_last {
                return whose;
            }
            continue;
        }
        if !is_last {
            match owner(name) {
                Some("") => {}
                Some(o) => whose = o.to_string(),
                None => whose = format!("the {}", plain(name)),
            }
            continue;
        }
        last = Some(label(name).map_or_else(|| plain(name), str::to_string));
    }
    match last {
        Some(l) if whose.is_empty() => format!("the {l}"),
        Some(l) => format!("{whose}'s {l}"),
        None if whose.is_empty() => "the request".into(),
        None => whose,
    }
}

/// One problem with an input as a person reads it: the field in words, capitalised, then
/// what is wrong with it in words ([`message`]): `relinquished[0].sale_price` with "must not
/// be negative (got -5)" → "The first relinquished property's sale price: must not be
/// negative (got -5)". A problem of the whole input (no path) is its message alone. The
/// engine's and the API's rule codes are not said: the message says what the rule asks.
pub fn problem(path: &str, message: &str) -> String {
    let said = self::message(message);
    if path.trim().is_empty() {
        return capitalised(&said);
    }
    format!("{}: {said}", capitalised(&field(path)))
}

/// `s` with its first letter in upper case.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The title of a code the engine can emit (a finding's, a reason's, a milestone's, a
/// strategy's, a planner or Opportunity Zone step's, a rule's) or of an API error code, as
/// the table in `words/titles.rs` has it; `None` for a code without one, which [`code`]
/// then words from its parts. `tests/code_titles.rs` fails on an engine code without one.
pub fn title(code: &str) -> Option<&'static str> {
    titles::title(code)
}

/// A code (a finding's, a rule's, an error's, an enum's) as a title: its [`title`]
/// (`multi_asset_j1_differs` → "Multi-asset exchange: the exchange groups' figures differ",
/// `ExchangePeriodEnd` → "End of the exchange period"), or else words made from its parts
/// (`ReturnDueDate` → "Return due date").
pub fn code(c: &str) -> String {
    if let Some(t) = title(c) {
        return t.to_string();
    }
    // CamelCase (an enum's name) → words.
    let mut spaced = String::with_capacity(c.len() + 8);
    for (i, ch) in c.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            spaced.push('_');
        }
        spaced.push(ch.to_ascii_lowercase());
    }
    let words: Vec<String> = spaced
        .split(['_', '.', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "oz" => "Opportunity Zone".to_string(),
            "qi" => "QI".to_string(),
            "fmv" => "fair market value".to_string(),
            "pct" => "percent".to_string(),
            "dst" => "DST".to_string(),
            "tic" => "tenancy-in-common".to_string(),
            "niit" => "net investment income tax".to_string(),
            "qeaa" => "QEAA".to_string(),
            "ca" => "California".to_string(),
            w if w.starts_with("section") && w.len() > 7 => format!("section {}", &w[7..]),
            w => w.to_string(),
        })
        .collect();
    let s = words.join(" ");
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    if let Some(f) = chars.next() {
        out.extend(f.to_uppercase());
    }
    out.extend(chars);
    out
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'
}

/// Does `t` look like a field path or a snake_case code (not an ordinary word, a number, an
/// e-mail address or a web address)?
fn looks_like_path(t: &str) -> bool {
    let b = t.as_bytes();
    if b.is_empty() || !b[0].is_ascii_lowercase() {
        return false;
    }
    if !b
        .iter()
        .all(|&c| is_ident_byte(c) || c == b'.' || c == b'[' || c == b']')
    {
        return false;
    }
    if t.contains("..") || t.ends_with('.') {
        return false;
    }
    let indexed = t.contains('[') && t.contains(']');
    let dotted = t.split('.').count() > 1
        && t.split('.').all(|p| {
            p.split('[')
                .next()
                .is_some_and(|n| !n.is_empty() && n.bytes().all(is_ident_byte))
        })
        && (t.contains('_')
            || t.split('.').any(|p| {
                owner(p.split('[').next().unwrap_or("")).is_some()
                    || noun(p.split('[').next().unwrap_or("")).is_some()
            }));
    let snake = t.contains('_') && !t.starts_with('_') && !t.ends_with('_');
    indexed || dotted || snake
}

/// An ISO date at the start of `s` (`2026-11-15`, not followed by another digit).
fn iso_date_at(s: &str) -> Option<(Date, usize)> {
    let head = s.get(..10)?;
    let b = head.as_bytes();
    let shape = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    if !shape || s.as_bytes().get(10).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    head.parse::<Date>().ok().map(|d| (d, 10))
}

/// A bare amount at the start of `s` (`4400000.00`: digits, a point, exactly two digits, not
/// followed by another digit or `%`), with its length. `0.95` and `1.50` stay as they are
/// (ratios and multipliers are written that way too).
fn amount_at(s: &str) -> Option<(Amount, usize)> {
    let b = s.as_bytes();
    let int = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if int == 0 || b.get(int) != Some(&b'.') {
        return None;
    }
    let frac = b[int + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if frac != 2 || matches!(b.get(int + 3), Some(b'%')) {
        return None;
    }
    if int == 1 && matches!(b[0], b'0' | b'1') {
        return None;
    }
    let n = int + 3;
    s.get(..n)?.parse::<Amount>().ok().map(|d| (d, n))
}

/// A range written the program's way at the start of `s`: `1..=28` or `1..28` (exclusive).
fn range_at(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let lo = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if lo == 0 || s.get(lo..lo + 2) != Some("..") {
        return None;
    }
    let (incl, start) = if b.get(lo + 2) == Some(&b'=') {
        (true, lo + 3)
    } else {
        (false, lo + 2)
    };
    let hi = b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
    if hi == 0 {
        return None;
    }
    let a = &s[..lo];
    let z = &s[start..start + hi];
    let words = if incl {
        format!("from {a} to {z}")
    } else {
        format!("from {a} to less than {z}")
    };
    Some((words, start + hi))
}

/// The engine's mark of a point of law that is uncertain (`[U]`) in words: "[U] uncertain:
/// x" and "[U] x" read "Uncertain: x"; a mark after a word that already says so ("is
/// unsettled [U]") goes; any other reads "(uncertain)". The engine keeps the mark in its
/// JSON; people read the word.
pub fn uncertainty(m: &str) -> std::borrow::Cow<'_, str> {
    if !m.contains("[U]") {
        return std::borrow::Cow::Borrowed(m);
    }
    let mut out = String::with_capacity(m.len() + 16);
    let mut rest = m;
    while let Some(at) = rest.find("[U]") {
        let (before, after) = rest.split_at(at);
        let after = &after[3..];
        if let Some(x) = after
            .strip_prefix(" uncertain: ")
            .or_else(|| after.strip_prefix(" "))
            .filter(|_| before.is_empty() || before.ends_with(' ') || before.ends_with('('))
        {
            out.push_str(before);
            out.push_str("Uncertain: ");
            rest = x;
            continue;
        }
        let word = before.trim_end();
        out.push_str(word);
        if !(word.ends_with("uncertain") || word.ends_with("unsettled")) {
            out.push_str(" (uncertain)");
        }
        rest = after;
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// An authority as people read it: the engine's marks of how far a citation was checked
/// become words ("[P-mem]": the paragraph was not checked against the primary text; "[S]":
/// secondary sources only; "[P]", checked, goes) and the mark of an uncertain point reads as
/// in [`uncertainty`]. The JSON keeps the marks.
pub fn authority(a: &str) -> std::borrow::Cow<'_, str> {
    if !a.contains('[') {
        return std::borrow::Cow::Borrowed(a);
    }
    let a = a
        .replace(
            " [P-mem]",
            " (paragraph not checked against the primary text)",
        )
        .replace(
            "[P-mem]",
            "(paragraph not checked against the primary text)",
        )
        .replace(" [S]", " (secondary sources only)")
        .replace("[S]", "(secondary sources only)")
        .replace(" [P]", "")
        .replace("[P]", "");
    std::borrow::Cow::Owned(uncertainty(&a).into_owned())
}

/// A whole message in words: field paths become their names ([`field`]), snake_case codes
/// their titles in lower case, `` `1..=28` `` becomes "from 1 to 28", command-line hints like
/// `(--growth)` go, bare amounts become `$4,400,000.00` and ISO dates `Nov 15, 2026`, and the
/// mark of an uncertain point of law reads as a word ([`uncertainty`]).
///
/// A message already in words comes back unchanged.
pub fn message(m: &str) -> String {
    paths_and_figures(&uncertainty(&facts_to_set(m)))
}

/// The engine's requests for a fact only the taxpayer knows, or its notes of a fact it
/// assumed, written as `name = value`: in sentences, saying where the fact is given.
const FACTS: [(&str, &str); 4] = [
    (
        "set exchange.bona_fide_intent = true or false.",
        "say whether you intended in good faith to do an exchange: in the exchange file, under the exchange, record the bona fide intent as true (yes) or false (no), on the page that edits the facts of the exchange or in the file you import.",
    ),
    (
        "without extension (extension_filed = false)",
        "without an extension (none is recorded; if the return is extended, say so when you open the exchange or in the exchange file)",
    ),
    (
        "(extension_filed = false)",
        "(no extension of the return is recorded)",
    ),
    ("(extension_filed = true)", "(the return is extended)"),
];

fn facts_to_set(m: &str) -> std::borrow::Cow<'_, str> {
    const DEFAULTS: &str = "(defaults used: ";
    if !FACTS.iter().any(|(code, _)| m.contains(code))
        && !m.contains(DEFAULTS)
        && !m.contains("(status: ")
    {
        return std::borrow::Cow::Borrowed(m);
    }
    let mut out = m.to_string();
    for (code, words) in FACTS {
        out = out.replace(code, words);
    }
    // The planner's defaults, `(defaults used: growth_pct = 4, qrof = false)`.
    if let Some(at) = out.find(DEFAULTS) {
        let from = at + DEFAULTS.len();
        if let Some(len) = out[from..].find(')') {
            let list = out[from..from + len]
                .split(", ")
                .map(|item| match item.split_once(" = ") {
                    Some((name, value)) => assumption(name, value),
                    None => item.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            out.replace_range(from..from + len, &list);
        }
    }
    // The planner's `(status: complete)`: where the exchange stands, in a sentence.
    for (status, words) in [
        (
            "(status: complete)",
            "(the exchange is complete as entered)",
        ),
        (
            "(status: partial: boot is recognized)",
            "(the exchange as entered is partial: boot is recognized)",
        ),
        (
            "(status: in progress)",
            "(the exchange is still in progress)",
        ),
        ("(status: failed)", "(the exchange as entered has failed)"),
    ] {
        out = out.replace(status, words);
    }
    std::borrow::Cow::Owned(out)
}

/// One of the planner's assumptions, `name = value` as the engine notes it, in words:
/// `growth_pct = 4` → "growth of 4% a year", `qrof = false` → "not a qualified rural
/// opportunity fund".
pub fn assumption(name: &str, value: &str) -> String {
    let rate = |what: &str| format!("{what} of {value}%");
    match name {
        "growth_pct" => format!("growth of {value}% a year"),
        "yield_pct" => format!("a yield of {value}% a year paid out"),
        "federal_capital_gain_rate" => rate("a federal capital gain rate"),
        "ordinary_rate" => rate("an ordinary income rate"),
        "unrecaptured_1250_rate" => rate("an unrecaptured section 1250 gain rate"),
        "niit_rate" => rate("a net investment income tax rate"),
        "state_rate" => rate("a state tax rate"),
        "horizon_years" => format!("a horizon of {value} years"),
        "hold_until" if value == "sale" => "everything sold at the horizon".to_string(),
        "hold_until" if value == "death" => "held until death".to_string(),
        "qrof" if value == "false" => "not a qualified rural opportunity fund".to_string(),
        "qrof" if value == "true" => "a qualified rural opportunity fund".to_string(),
        _ => format!("{} {value}", plain(name)),
    }
}

/// A title inside a sentence: lower case, but for the words written in capitals (`US`,
/// `QEAA`, `DST`) and single capital letters (the `S` of an S corporation), which stay as
/// they are.
fn in_sentence(title: &str) -> String {
    title
        .split(' ')
        .map(|w| {
            let capitals = w.chars().filter(char::is_ascii_uppercase).count();
            if capitals > 1 || (capitals == 1 && w.chars().count() == 1) {
                w.to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a path, code, amount or date may start after `p`: not inside a word, a number, a
/// path or a section number (an amount never follows `§`).
fn starts_a_token(p: char) -> bool {
    !(p.is_alphanumeric() || matches!(p, '_' | '.' | '$' | '-' | '/' | ':' | '@' | ',' | '§'))
}

/// A figure at the start of `s` in words, with its length: an ISO date (`Nov 15, 2026`), a
/// bare amount (`$4,400,000.00`) or a count of days with its thousands grouped (`4,175`).
fn figure_at(s: &str) -> Option<(String, usize)> {
    iso_date_at(s)
        .map(|(d, n)| (format_date(d), n))
        .or_else(|| amount_at(s).map(|(d, n)| (format_usd(d), n)))
        .or_else(|| day_count_at(s))
}

/// [`message`] after the uncertainty marks: paths, codes, ranges, hints, amounts and dates.
fn paths_and_figures(m: &str) -> String {
    let mut out = String::with_capacity(m.len() + 16);
    let mut i = 0;
    let b = m.as_bytes();
    while i < m.len() {
        let rest = &m[i..];
        let prev = if i == 0 {
            None
        } else {
            m[..i].chars().next_back()
        };
        let boundary = prev.is_none_or(starts_a_token);
        // ` (--flag)` hints of the command line.
        if rest.starts_with(" (--") {
            if let Some(end) = rest.find(')') {
                if rest[4..end]
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c == b'-')
                {
                    i += end + 1;
                    continue;
                }
            }
        }
        if b[i] == b'`' {
            i += 1;
            continue;
        }
        // A figure in double quotes is a value as typed or an example of how to type one
        // ("1250000.00"): said as written, not turned into dollars or a date. (Quoted words,
        // such as a value to set, are still said in words below.)
        if b[i] == b'"' {
            if let Some(end) = rest[1..].find('"') {
                let quoted = &rest[1..=end];
                if quoted.bytes().any(|c| c.is_ascii_digit()) {
                    out.push_str(&rest[..end + 2]);
                    i += end + 2;
                    continue;
                }
            }
        }
        if boundary && b[i].is_ascii_digit() {
            if let Some((w, n)) = range_at(rest) {
                if let Some(head) = out.strip_suffix("in range ") {
                    out.truncate(head.len());
                }
                out.push_str(&w);
                i += n;
                continue;
            }
            if let Some((w, n)) = figure_at(rest) {
                out.push_str(&w);
                i += n;
                continue;
            }
        }
        if boundary && let Some((w, n)) = generated_at(rest) {
            out.push_str(&w);
            i += n;
            continue;
        }
        if boundary && b[i].is_ascii_lowercase() {
            let n = rest
                .bytes()
                .take_while(|&c| is_ident_byte(c) || c == b'.' || c == b'[' || c == b']')
                .count();
            let mut tok = &rest[..n];
            // A sentence's full stop is not part of the path.
            while let Some(t) = tok.strip_suffix('.') {
                tok = t;
            }
            let next = rest[tok.len()..].chars().next();
            let attached = next.is_some_and(|c| c == '@' || c == '/' || c.is_ascii_uppercase());
            if !attached && looks_like_path(tok) {
                let words = if tok.contains('.') || tok.contains('[') || label(tok).is_some() {
                    field(tok)
                } else {
                    in_sentence(&code(tok))
                };
                // "the x: must …" at the start of a message reads better capitalised.
                let words = if out.is_empty() {
                    capitalised(&words)
                } else {
                    words
                };
                out.push_str(&words);
                i += tok.len();
                continue;
            }
            let keep = tok.len().max(1);
            out.push_str(&rest[..keep]);
            i += keep;
            continue;
        }
        let ch = rest.chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;

    /// A value in double quotes is said as typed: the example of how to write an amount is
    /// not turned into dollars (which the same message refuses).
    #[test]
    fn quoted_values_are_said_as_typed() {
        assert_eq!(
            message(
                "invalid amount \"$1,250,000.00\": expected dollars as a decimal number such as \"1250000\" or \"1250000.00\""
            ),
            "invalid amount \"$1,250,000.00\": expected dollars as a decimal number such as \"1250000\" or \"1250000.00\""
        );
        assert_eq!(
            message("paid 1500.00 on 2026-03-02"),
            "paid $1,500.00 on Mar 2, 2026"
        );
    }

    /// QA: places read as words, not codes ("foreign:MX" was printed on the notice).
    #[test]
    fn locations_read_as_places() {
        assert_eq!(location("CA"), "California");
        assert_eq!(location("DC"), "District of Columbia");
        assert_eq!(location("foreign:MX"), "Mexico (outside the United States)");
        assert_eq!(
            location("PR"),
            "Puerto Rico (a US territory, outside the United States)"
        );
        assert_eq!(
            location("foreign:GB"),
            "United Kingdom (outside the United States)"
        );
        // Two letters that are no country in the table: still not a bare code.
        assert_eq!(
            location("foreign:XK"),
            "a country outside the United States (country code XK)"
        );
        assert_eq!(location("ZZ"), "ZZ");
    }

    /// QA: day counts have their thousands grouped, on pages, papers and in messages.
    #[test]
    fn day_counts_are_grouped() {
        assert_eq!(count(4175), "4,175");
        assert_eq!(count(-1096), "-1,096");
        assert_eq!(count(999), "999");
        assert_eq!(days(1), "1 day");
        assert_eq!(days(1096), "1,096 days");
        assert_eq!(
            message("oak was held 4175 days (less than two years)"),
            "oak was held 4,175 days (less than two years)"
        );
        assert_eq!(message("plus 1096 day"), "plus 1,096 day");
        assert_eq!(message("held 45 days in 2026"), "held 45 days in 2026");
        assert!(counts_days("Days oak was held before it was given up"));
        assert!(counts_days("suspended days"));
        assert!(!counts_days("tax year"));
    }

    /// QA: a name the program made up ("property-3") is not shown as if it were a name.
    #[test]
    fn made_up_names_read_as_words() {
        assert_eq!(name("property-3"), "Property 3");
        assert_eq!(name("party-2"), "Party 2");
        assert_eq!(name("oak"), "oak");
        assert_eq!(name("property-3b"), "property-3b");
        assert_eq!(
            message("property-3 was held 100 days; third-party-2 is not"),
            "Property 3 was held 100 days; third-party-2 is not"
        );
    }

    /// An S or C corporation keeps its capital letter inside a sentence.
    #[test]
    fn corporations_keep_their_letter() {
        assert_eq!(
            message("Statutory due date of the s_corporation return"),
            "Statutory due date of the S corporation return"
        );
        assert_eq!(message("(c_corporation)"), "(C corporation)");
    }

    /// A section number of a revenue procedure or notice is no amount.
    #[test]
    fn section_numbers_are_not_dollars() {
        assert_eq!(
            message("Notice 2026-40 §4.02(2); Rev. Proc. 2002-22 §6.02: 38 owners; 1500.00 paid"),
            "Notice 2026-40 §4.02(2); Rev. Proc. 2002-22 §6.02: 38 owners; $1,500.00 paid"
        );
    }

    #[test]
    fn authorities_in_words() {
        assert_eq!(
            authority("Cal. Rev. & Tax. Code §18662 [P-mem]; Form 593 instructions [S]"),
            "Cal. Rev. & Tax. Code §18662 (paragraph not checked against the primary text); Form 593 instructions (secondary sources only)"
        );
        assert_eq!(authority("IRC §7503 [U]"), "IRC §7503 (uncertain)");
        assert_eq!(authority("IRC §1031(a) [P]"), "IRC §1031(a)");
        assert!(matches!(
            authority("IRC §1031(a)"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn uncertain_points_in_words() {
        assert_eq!(
            uncertainty("rules. [U] uncertain: the special rules apply"),
            "rules. Uncertain: the special rules apply"
        );
        assert_eq!(
            uncertainty("[U] uncertain: no IRS regulation says"),
            "Uncertain: no IRS regulation says"
        );
        assert_eq!(
            uncertainty(" [U] Outside the safe harbor"),
            " Uncertain: Outside the safe harbor"
        );
        assert_eq!(
            uncertainty("the cap is unsettled [U]; the statutory date"),
            "the cap is unsettled; the statutory date"
        );
        assert_eq!(
            uncertainty("\"beginning on the date\" is uncertain [U])"),
            "\"beginning on the date\" is uncertain)"
        );
        assert_eq!(
            uncertainty("capped at one year [U])"),
            "capped at one year (uncertain))"
        );
        assert_eq!(
            uncertainty("(a)(3)(B)(ii) ([U] uncertain: whether §7503 moves it)"),
            "(a)(3)(B)(ii) (Uncertain: whether §7503 moves it)"
        );
        assert_eq!(uncertainty("no mark"), "no mark");
        assert!(!message("is unsettled [U]. Act early").contains("[U]"));
    }

    #[test]
    fn paths_in_words() {
        assert_eq!(field("properties[0].id"), "the first property's name");
        assert_eq!(
            field("exchange.funds_released_on"),
            "the date the funds were released"
        );
        assert_eq!(
            field("file.relinquished[0].sale_price"),
            "the first relinquished property's sale price"
        );
        assert_eq!(
            field("replacement[11].price"),
            "the 12th replacement property's price"
        );
        assert_eq!(field("taxpayer.name"), "the taxpayer's name");
        assert_eq!(field("plan.growth_pct"), "the growth rate");
        assert_eq!(field("plan.growth_pct (--growth)"), "the growth rate");
        assert_eq!(field("identified[2]"), "the third identified property");
        assert_eq!(field("horizon"), "the planning horizon");
        assert_eq!(field("some_new_field"), "the some new field");
    }

    #[test]
    fn problems_in_words() {
        assert_eq!(
            problem(
                "relinquished[0].sale_price",
                "must not be negative (got -5)"
            ),
            "The first relinquished property's sale price: must not be negative (got -5)"
        );
        assert_eq!(
            problem(
                "relinquished[0].acquired",
                "acquired 2027-01-01 is after transferred 2026-03-02"
            ),
            "The first relinquished property's date acquired: acquired Jan 1, 2027 is after transferred Mar 2, 2026"
        );
        // A problem of the whole input: its message alone, as a sentence.
        assert_eq!(
            problem("", "not valid TOML: a table is opened twice"),
            "Not valid TOML: a table is opened twice"
        );
    }

    #[test]
    fn codes_in_words() {
        assert_eq!(
            code("multi_asset_j1_differs"),
            "Multi-asset exchange: the exchange groups' figures differ"
        );
        assert_eq!(
            code("identification_late"),
            "Identified after the identification period"
        );
        assert_eq!(code("ExchangePeriodEnd"), "End of the exchange period");
        assert_eq!(code("ReturnDueDate"), "Return due date");
        assert_eq!(
            code("oz_window_closed"),
            "QOF investment: the 180 days from the transfer have ended"
        );
        // A code with no title is worded from its parts.
        assert_eq!(code("oz_new_rule"), "Opportunity Zone new rule");
        assert_eq!(code("section121_limit"), "Section 121 limit");
    }

    #[test]
    fn messages_in_words() {
        assert_eq!(
            message("properties[0].id: id \"elm\" is identified twice"),
            "The first property's name: id \"elm\" is identified twice"
        );
        assert_eq!(
            message("exchange.funds_released_on is not given"),
            "The date the funds were released is not given"
        );
        assert_eq!(
            message("plan.growth_pct (--growth) must be in range `1..=28`"),
            "The growth rate must be from 1 to 28"
        );
        assert_eq!(
            message("4 properties worth 4400000.00 … needs 4180000.00."),
            "4 properties worth $4,400,000.00 … needs $4,180,000.00."
        );
        assert_eq!(
            message("identified on 2026-11-15, after the deadline."),
            "identified on Nov 15, 2026, after the deadline."
        );
        // Already in words, or not ours to change: unchanged.
        for m in [
            "The sale closed on Nov 15, 2026 for $1,000,000.00.",
            "95% of 0.95 and 1.50 times; e.g. see https://irs.gov/a_b and ada@x_y.example.",
            "Rev. Rul. 72-456 and §1.1031(k)-1(g)(6); version 2.0",
        ] {
            assert_eq!(message(m), m);
        }
        assert_eq!(
            message("rule non_negative failed"),
            "rule must not be negative failed"
        );
        assert_eq!(date_str("2026-12-31T10:00:00Z"), "Dec 31, 2026");
        assert_eq!(
            message("Exchange group real_property_us: the QEAA"),
            "Exchange group US real property: the QEAA"
        );
        let m = message(
            "The engine cannot judge this: set exchange.bona_fide_intent = true or false. Until then",
        );
        assert!(m.contains("say whether you intended in good faith"), "{m}");
        assert!(!m.contains(" = "), "{m}");
        let m = message(
            "a rough estimate (defaults used: growth_pct = 4, horizon_years = 10, hold_until = sale, qrof = false): no brackets",
        );
        assert_eq!(
            m,
            "a rough estimate (defaults used: growth of 4% a year, a horizon of 10 years, everything sold at the horizon, not a qualified rural opportunity fund): no brackets"
        );
        assert_eq!(
            message("applies only if the exchange fails (status: complete); shown"),
            "applies only if the exchange fails (the exchange is complete as entered); shown"
        );
        let m = message("the tax year, without extension (extension_filed = false)");
        assert!(m.contains("without an extension (none is recorded"), "{m}");
        assert!(!m.contains(" = "), "{m}");
        assert_eq!(usd(amt!(1234.5)), "$1,234.50");
        assert_eq!(cents(70_000_000), "$700,000.00");
    }
}
