//! Reading an exchange file (TOML or JSON, same structure) into an [`ExchangeFile`], with
//! every error naming the field path (`relinquished[1].transferred`) and the rule broken.

pub mod errors;
mod more;
pub mod text;

pub use errors::{InputError, InputErrors, Item};

use errors::rule_of;

use crate::exchange::Exchange;
use crate::model::ExchangeFile;

/// The two encodings of the same structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// Chooses by file extension (`.toml` / `.json`); anything else is tried as TOML.
    pub fn from_path(path: &str) -> Format {
        if path.to_ascii_lowercase().ends_with(".json") {
            Format::Json
        } else {
            Format::Toml
        }
    }
}

/// Parses and validates an exchange file: the result is a validated [`Exchange`] with its
/// derived facts, never the raw file.
///
/// # Errors
/// Syntax and type errors (every field of the wrong kind or name, each with its path, see
/// [`read_file`]), then every cross-field rule broken.
pub fn parse_exchange(text: &str, format: Format) -> Result<Exchange, InputErrors> {
    Exchange::validate(read_file(text, format)?)
}

/// Reads an exchange file's structure without its cross-field rules: the first step of
/// [`parse_exchange`], for a caller that must tell a person whether the problems it lists are
/// all of them. The parser stops at the first problem it meets (text that is not TOML or
/// JSON, a field the contract does not have, a value of the wrong kind); the file is then
/// read again without each field in error, so that every such field is listed (up to
/// twenty), the first with its place in the file. The rules checked afterwards are all
/// listed too, once the file reads.
///
/// # Errors
/// The syntax error, or the fields of the wrong kind or name, each with its path (the first
/// with its place).
pub fn read_file(text: &str, format: Format) -> Result<ExchangeFile, InputErrors> {
    let text = without_bom(text);
    match format {
        Format::Json => parse_json(text),
        Format::Toml => parse_toml(text),
    }
}

/// The text without a leading byte order mark (U+FEFF), which Windows editors and
/// spreadsheet exports write at the start of a UTF-8 file. RFC 8259 section 8.1: parsers "MAY
/// ignore the presence of a byte order mark rather than treating it as an error"; TOML
/// parsers skip it too. It carries no data, so a file that has one is read as without it.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Parses JSON; the path-tracking deserializer runs only when the fast one fails, so that
/// good input pays nothing for error reporting.
fn parse_json(text: &str) -> Result<ExchangeFile, InputErrors> {
    // serde would also take a struct written as an array of its fields in order; an exchange
    // file is one object, so anything else is refused before it is read.
    if !text.trim_start().starts_with('{') {
        return Err(InputErrors::one(
            "",
            "type",
            "an exchange file in JSON is one object: it starts with `{`",
        ));
    }
    if let Ok(f) = serde_json::from_str(text) {
        return Ok(f);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = clean_path(&e.path().to_string());
        // The text is well-formed when the error is of a field: the others are read from
        // its tree (see `more`).
        let more = match serde_json::from_str::<serde_json::Value>(text) {
            Ok(tree) => more::after_first::<_, ExchangeFile>(tree, e.path(), plain),
            Err(_) => Vec::new(),
        };
        let inner = e.into_inner();
        let rule = if inner.is_syntax() || inner.is_eof() {
            "syntax"
        } else {
            rule_of(&inner.to_string())
        };
        // serde_json ends its message with " at line L column C" (nothing when it has no
        // place); the place is written as for TOML.
        let said = inner.to_string();
        let place = format!(" at line {} column {}", inner.line(), inner.column());
        let message = match said.strip_suffix(&place) {
            // A missing field is "found" at the end of the object that lacks it: a column
            // there sends the reader to a closing brace, so the field's name says it alone.
            Some(msg) if msg.starts_with("missing field ") => plain(msg),
            Some(msg) if inner.line() > 0 => {
                format!("{}{}", plain(msg), at(text, inner.line(), inner.column()))
            }
            _ => plain(&said),
        };
        InputErrors::first_then(path, rule, message, more)
    })
}

/// Parses TOML, with the same fast path as [`parse_json`].
fn parse_toml(text: &str) -> Result<ExchangeFile, InputErrors> {
    if let Ok(f) = toml::from_str(text) {
        return Ok(f);
    }
    let de = toml::Deserializer::parse(text).map_err(|e| {
        let at = where_in(text, e.span());
        InputErrors::one("", "syntax", format!("not valid TOML: {}{at}", e.message()))
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = clean_path(&e.path().to_string());
        // The text parsed as TOML: the other fields in error are read from its tree (see
        // `more`).
        let more = match text.parse::<toml::Table>() {
            Ok(tree) => {
                more::after_first::<_, ExchangeFile>(toml::Value::Table(tree), e.path(), plain)
            }
            Err(_) => Vec::new(),
        };
        let inner = e.into_inner();
        let at = where_in(text, inner.span());
        let message = format!("{}{at}", plain(inner.message()));
        InputErrors::first_then(path, rule_of(inner.message()), message, more)
    })
}

/// Where a TOML error's span starts, written by [`at`]; nothing without a span.
fn where_in(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(start) = span.map(|s| s.start.min(text.len())) else {
        return String::new();
    };
    // A span always starts on a character boundary; a stray one would only shift the column.
    let before = text.get(..start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    at(text, line, column)
}

/// " at line L column C" (from 1, columns in characters): the person fixing the file is sent
/// to the place. A text of one line (a line of a JSON Lines book, named by its own line
/// number there, or a request body) gets " at column C" alone: "line 1" would read as a
/// second, contradicting line number.
fn at(text: &str, line: usize, column: usize) -> String {
    let body = text.trim_end();
    if body.contains('\n') {
        format!(" at line {line} column {column}")
    } else if line > 1 || column == 0 {
        // Past the end of a one-line text (the parser counted the line break that ends a
        // line of a book): the place is just after its last character, not "column 0".
        format!(" at column {}", body.chars().count() + 1)
    } else {
        format!(" at column {column}")
    }
}

/// serde_path_to_error prints `.` for the root and `?` for a position it does not know (a
/// syntax error inside an object): the path is what is known, `relinquished[0].?` is
/// `relinquished[0]`, so no `?` is said to a person as a field.
fn clean_path(p: &str) -> String {
    if p == "." {
        return String::new();
    }
    p.split('.')
        .filter(|part| *part != "?")
        .collect::<Vec<_>>()
        .join(".")
}

/// The parser's message with the program's own type names replaced by what the file holds
/// there ("expected struct Relinquished" is a name only this code knows). serde_json's
/// " at line L column C" is kept: it points into the file.
fn plain(msg: &str) -> String {
    let mut out = msg.replace("expected a sequence", "expected a list (an array)");
    while let Some(at) = out.find("expected struct ") {
        let name_at = at + "expected struct ".len();
        let end = out[name_at..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .map_or(out.len(), |n| name_at + n);
        out.replace_range(at..end, "expected a table of fields (a JSON object)");
    }
    sentence(&out)
}

/// A parser's message (serde's, from a request body or a query string) as a sentence a person
/// reads: the same words the exchange file's errors use ([`plain`]), for the API and the pages.
pub fn in_words(msg: &str) -> String {
    plain(msg)
}

/// "invalid type: floating point `10.5`, expected a string" as a sentence: what was written and
/// what this field takes ("the number 10.5 where text in quotes is expected").
fn invalid_type(rest: &str) -> Option<String> {
    let (got, expected) = rest.rsplit_once(", expected ")?;
    let value = |s: &str| s.trim_matches('`').to_string();
    let got = if let Some(v) = got.strip_prefix("floating point ") {
        format!("the number {}", value(v))
    } else if let Some(v) = got.strip_prefix("integer ") {
        format!("the number {}", value(v))
    } else if let Some(v) = got.strip_prefix("string ") {
        format!("the text {v}")
    } else if let Some(v) = got.strip_prefix("boolean ") {
        format!("{} (yes or no)", value(v))
    } else {
        match got {
            "null" => "nothing (null)".to_string(),
            "map" => "a table of fields (a JSON object)".to_string(),
            "sequence" => "a list".to_string(),
            other => other.to_string(),
        }
    };
    let expected = match expected {
        "a string" => {
            "text in quotes (an amount or a date is written as text, as in \"10.50\" or \"2026-03-02\")"
        }
        "a boolean" => "true or false",
        "a sequence" => "a list (an array)",
        other => other,
    };
    Some(format!("{got} where {expected} is expected"))
}

/// The parser's own phrases as sentences a person reads once the field is said in words
/// (the error's path already names the field, so the message says what is wrong with it):
/// "unknown field `x`, expected one of …" becomes "there is no such field here (the fields
/// here are …)", "unknown variant `x`, expected one of …" becomes "`x` is not one of the
/// values allowed here: …", "missing field `x`" becomes "a required field is missing: `x`",
/// and "EOF while parsing an object" becomes "the text ends in the middle of an object".
fn sentence(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let after = rest.find('`').map_or("", |end| &rest[end + 1..]);
        return match after.strip_prefix(", expected one of ") {
            Some(list) => with_place(list, |l| {
                format!("there is no such field here (the fields here are {l})")
            }),
            None => match after.strip_prefix(", expected ") {
                Some(one) => with_place(one, |l| {
                    format!("there is no such field here (the field here is {l})")
                }),
                None => with_place(after.trim_start_matches(", there are no fields"), |_| {
                    "there is no such field here (this part of the file has no fields)".into()
                }),
            },
        };
    }
    if let Some(rest) = msg.strip_prefix("unknown variant ") {
        let end = rest[1.min(rest.len())..]
            .find('`')
            .map_or(rest.len(), |n| n + 2);
        let (value, after) = rest.split_at(end.min(rest.len()));
        let list = after
            .strip_prefix(", expected one of ")
            .or_else(|| after.strip_prefix(", expected "));
        if let Some(list) = list {
            return with_place(list, |l| {
                format!("{value} is not one of the values allowed here: {l}")
            });
        }
    }
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return format!("a required field is missing: {rest}");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ")
        && let Some(said) = with_place_opt(rest, invalid_type)
    {
        return said;
    }
    if msg.starts_with("invalid length ") && msg.contains("expected a table of fields") {
        return with_place(msg, |_| {
            "a list where a table of fields (a JSON object) is expected".to_string()
        });
    }
    if let Some(d) = date_problem(msg) {
        return d;
    }
    msg.replace("EOF while parsing ", "the text ends in the middle of ")
}

/// The date parser's messages ("parsed date is not valid: parameter 'day' for 2010-02 is
/// invalid, must be from 1 to 28", "failed to parse four digit integer as year: …") as a
/// sentence: which day the month lacks, or how a date is written.
fn date_problem(msg: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let plain = msg.replace('`', "");
    if let Some(rest) = plain.strip_prefix("parsed date is not valid: parameter 'day' for ") {
        let (ym, after) = rest.split_once(' ')?;
        let (y, mo) = ym.split_once('-')?;
        let month = MONTHS.get(mo.parse::<usize>().ok()?.checked_sub(1)?)?;
        let days = after
            .split("1..=")
            .nth(1)
            .or_else(|| after.split("from 1 to ").nth(1))?;
        let days: String = days.chars().take_while(char::is_ascii_digit).collect();
        return Some(with_place(&plain, |_| {
            format!("not a date: {month} {y} has {days} days")
        }));
    }
    // An empty or cut-short date: "expected four digit year (or leading sign for six digit
    // year), but found end of input".
    let about_a_date = (msg.starts_with("failed to parse") || msg.contains("four digit year"))
        && ["year", "month", "day", "date"]
            .iter()
            .any(|w| msg.contains(w));
    (about_a_date || msg.starts_with("parsed date is not valid")).then(|| {
        with_place(&plain, |_| {
            "not a date: a date is written year-month-day, as in \"2026-03-02\"".to_string()
        })
    })
}

/// `say` applied to the message's body, the " at line L column C" it ends with kept after it.
/// [`with_place`] for a saying that may not apply (then `None`).
fn with_place_opt(body: &str, say: impl Fn(&str) -> Option<String>) -> Option<String> {
    match body
        .rfind(" at line ")
        .or_else(|| body.rfind(" at column "))
    {
        Some(at) => say(&body[..at]).map(|s| format!("{s}{}", &body[at..])),
        None => say(body),
    }
}

fn with_place(body: &str, say: impl Fn(&str) -> String) -> String {
    match body
        .rfind(" at line ")
        .or_else(|| body.rfind(" at column "))
    {
        Some(at) => format!("{}{}", say(&body[..at]), &body[at..]),
        None => say(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_jargon_in_words() {
        assert_eq!(
            in_words("invalid type: floating point `10.5`, expected a string"),
            "the number 10.5 where text in quotes (an amount or a date is written as text, as in \"10.50\" or \"2026-03-02\") is expected"
        );
        assert_eq!(
            in_words("invalid type: integer `5`, expected a boolean at column 12"),
            "the number 5 where true or false is expected at column 12"
        );
        assert_eq!(
            in_words("invalid length 1, expected struct NewExchangeReq with 3 elements"),
            "a list where a table of fields (a JSON object) is expected"
        );
        assert_eq!(
            in_words("unknown variant `bogus`, expected `receipt` or `release`"),
            "`bogus` is not one of the values allowed here: `receipt` or `release`"
        );
    }

    const MIN: &str = r#"
[taxpayer]
entity = "individual"

[[relinquished]]
id = "a"
location = "CA"
acquired = "2015-06-01"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
"#;

    #[test]
    fn parses_minimal_toml() {
        let f = parse_exchange(MIN, Format::Toml).expect("valid");
        assert_eq!(f.relinquished.len(), 1);
        assert_eq!(f.taxpayer.tax_year_end, "12-31");
    }

    /// The values the pages and the errors say in words ("s corporation") are read back in
    /// any case and with spaces or hyphens, from TOML and JSON, and written back in the
    /// contract's snake_case; an unknown value lists the allowed values in words.
    #[test]
    fn word_values_as_people_write_them() {
        for typed in [
            "S corporation",
            "S-Corporation",
            "s_corporation",
            "S CORPORATION",
        ] {
            let toml = MIN
                .replace("\"individual\"", &format!("{typed:?}"))
                .replace(
                    "adjusted_basis = \"400000\"",
                    "adjusted_basis = \"400000\"\nuse = \"Vacation-Home\"\ninterest = \"TIC\"",
                );
            let f = parse_exchange(&toml, Format::Toml)
                .expect(typed)
                .into_file();
            assert_eq!(f.taxpayer.entity, crate::model::Entity::SCorporation);
            assert_eq!(f.relinquished[0].interest, crate::model::Interest::Tic);
            let json = serde_json::to_string(&f).expect("write");
            assert!(json.contains("\"entity\":\"s_corporation\""), "{json}");
            assert!(json.contains("\"use\":\"vacation_home\""), "{json}");
            assert!(json.contains("\"interest\":\"tic\""), "{json}");
            let again = parse_exchange(&json.replace("s_corporation", typed), Format::Json)
                .expect(typed)
                .into_file();
            assert_eq!(again.taxpayer.entity, crate::model::Entity::SCorporation);
        }
        let e = parse_exchange(&MIN.replace("individual", "sole trader"), Format::Toml)
            .expect_err("unknown");
        assert_eq!(e.errors[0].rule, "allowed_values", "{e}");
        assert_eq!(e.errors[0].path, "taxpayer.entity", "{e}");
        let w = e.errors[0].words();
        assert!(
            w.starts_with("The taxpayer's type: sole trader is not one of the values allowed here: individual, partnership, s corporation, c corporation, trust, estate"),
            "{w}"
        );
        let e = parse_exchange(&MIN.replace("individual", "s corp"), Format::Toml)
            .expect_err("no abbreviations");
        assert_eq!(e.errors[0].rule, "allowed_values", "{e}");
    }

    #[test]
    fn a_byte_order_mark_is_read_as_nothing() {
        let json = r#"{"taxpayer":{"entity":"individual"},"relinquished":[{"id":"a","location":"CA","acquired":"2015-06-01","transferred":"2026-03-02","sale_price":"1000000","adjusted_basis":"400000"}]}"#;
        for (text, format) in [(json, Format::Json), (MIN, Format::Toml)] {
            let plain = parse_exchange(text, format).expect("valid");
            let marked = parse_exchange(&format!("\u{feff}{text}"), format).expect("valid");
            assert_eq!(marked.relinquished.len(), plain.relinquished.len());
            assert_eq!(
                marked.relinquished[0].sale_price,
                plain.relinquished[0].sale_price
            );
        }
        // Only a leading mark: one inside the text is still an error.
        let inside = json.replacen(',', ",\u{feff}", 1);
        assert!(parse_exchange(&inside, Format::Json).is_err());
    }

    #[test]
    fn type_errors_name_what_the_file_holds_not_the_program_s_types() {
        let e = parse_exchange(r#"{"exchange": 7, "taxpayer": {}}"#, Format::Json)
            .expect_err("not an object");
        let m = e.errors[0].message.clone();
        assert!(
            m.contains("the number 7 where a table of fields (a JSON object) is expected"),
            "{m}"
        );
        assert!(!m.contains("struct"), "{m}");
        let bad = MIN.replace("[[relinquished]]", "relinquished = 5\n[[replacement]]");
        let e = parse_exchange(&bad, Format::Toml).expect_err("not a list");
        assert!(!e.to_string().contains("struct"), "{e}");
        for array in ["[1, 2]", "42", "null", "\"x\""] {
            let e = parse_exchange(array, Format::Json).expect_err("not an object");
            assert_eq!(e.errors[0].path, "");
            assert!(e.errors[0].message.contains("one object"), "{e}");
        }
    }

    #[test]
    fn unknown_field_names_its_path() {
        let bad = MIN.replace("sale_price", "sale_prize");
        let e = parse_exchange(&bad, Format::Toml).expect_err("typo");
        assert!(e.errors[0].path.starts_with("relinquished[0]"), "{e}");
        assert_eq!(e.errors[0].rule, "unknown_field");
    }

    #[test]
    fn impossible_date_names_its_path() {
        let bad = MIN.replace("2026-03-02", "2026-02-30");
        let e = parse_exchange(&bad, Format::Toml).expect_err("date");
        assert_eq!(e.errors[0].path, "relinquished[0].transferred", "{e}");
    }

    /// QA: an empty date said "expected four digit year (or leading sign for six digit year),
    /// but found end of input", as a `type` error.
    #[test]
    fn an_empty_date_is_said_in_words() {
        for format in [Format::Toml, Format::Json] {
            let text = match format {
                Format::Toml => MIN.replace("\"2026-03-02\"", "\"\""),
                Format::Json => r#"{"taxpayer":{"entity":"partnership"},"relinquished":[{"id":"a","location":"TX",
          "acquired":"2015-06-01","transferred":"","sale_price":"1","adjusted_basis":"1"}]}"#
                    .to_string(),
            };
            let e = parse_exchange(&text, format).expect_err("empty date");
            assert_eq!(e.errors[0].rule, "date", "{e}");
            assert!(
                e.errors[0]
                    .message
                    .contains("a date is written year-month-day"),
                "{e}"
            );
            assert!(!e.errors[0].message.contains("four digit"), "{e}");
        }
    }

    /// The same impossible date is a `date` error in a TOML file, a JSON file and an API body
    /// (the server asks the same classifier).
    #[test]
    fn impossible_date_is_a_date_error_in_every_format() {
        let bad = MIN.replace("2026-03-02", "2026-02-30");
        let e = parse_exchange(&bad, Format::Toml).expect_err("date");
        assert_eq!(e.errors[0].rule, "date", "{e}");
        let j = r#"{"taxpayer":{"entity":"partnership"},"relinquished":[{"id":"a","location":"TX",
          "acquired":"2015-06-01","transferred":"2026-02-30","sale_price":"1","adjusted_basis":"1"}]}"#;
        let e = parse_exchange(j, Format::Json).expect_err("date");
        assert_eq!(e.errors[0].rule, "date", "{e}");
        let e = parse_exchange(
            &j.replace("2026-02-30", "2026-03-02")
                .replace("\"1\"}", "\"1\",}"),
            Format::Json,
        )
        .expect_err("syntax");
        assert_eq!(e.errors[0].rule, "syntax", "{e}");
        let e = parse_exchange(
            &j.replace("2026-02-30", "2026-03-02")
                .replace("\"sale_price\":\"1\"", "\"sale_price\":true"),
            Format::Json,
        )
        .expect_err("type");
        assert_eq!(e.errors[0].rule, "type", "{e}");
    }

    /// A TOML error points into the file, as serde_json's do: syntax at the bad value, a
    /// wrong type at the value of the field named.
    #[test]
    fn toml_errors_say_where_in_the_file() {
        let e = parse_exchange("x = 1\ngarbage = \n", Format::Toml).expect_err("syntax");
        assert_eq!(e.errors[0].rule, "syntax", "{e}");
        assert!(e.errors[0].message.ends_with(" at line 2 column 11"), "{e}");
        let bad = MIN.replace(
            "entity = \"individual\"",
            "entity = \"individual\"\nname = 3",
        );
        let e = parse_exchange(&bad, Format::Toml).expect_err("type");
        assert_eq!(e.errors[0].path, "taxpayer.name", "{e}");
        assert_eq!(e.errors[0].rule, "type", "{e}");
        assert!(e.errors[0].message.ends_with(" at line 4 column 8"), "{e}");
        // Past the end of the text and without a span: nothing is invented.
        assert_eq!(where_in("a\nbc", Some(9..10)), " at line 2 column 3");
        assert_eq!(where_in("é\nx", Some(3..4)), " at line 2 column 1");
        assert_eq!(where_in("abc", None), "");
        // One line (a trailing line end does not count): only the column.
        assert_eq!(where_in("abc = \n", Some(6..7)), " at column 7");
    }

    /// JSON errors say where as TOML's do: line and column in a file of several lines, the
    /// column alone in one line (a line of a JSON Lines book is named by the book's line).
    #[test]
    fn json_errors_say_where_in_the_text() {
        let e = parse_exchange("{\"exchange\": 7}", Format::Json).expect_err("type");
        assert_eq!(e.errors[0].rule, "type", "{e}");
        assert!(e.errors[0].message.ends_with(" at column 14"), "{e}");
        let e = parse_exchange("{\n\"exchange\": 7}\n", Format::Json).expect_err("type");
        assert!(e.errors[0].message.ends_with(" at line 2 column 13"), "{e}");
        let e = parse_exchange("{\"exchange\": {", Format::Json).expect_err("eof");
        assert_eq!(e.errors[0].rule, "syntax", "{e}");
        assert!(e.errors[0].message.ends_with(" at column 14"), "{e}");
    }

    /// Each of the parser's errors reads as a sentence once its field is said in words: no
    /// field path, no rule code, no `?` for a place the parser does not know, no parser
    /// jargon ("unknown variant", "EOF"), no backticks.
    /// QA8 9: a missing field is not placed at the brace that closes its object, and a line
    /// of a book cut off short is placed after its last character, not at "column 0".
    #[test]
    fn places_a_reader_can_find() {
        #[allow(clippy::expect_used)]
        let e = parse_exchange("{}", Format::Json).expect_err("no taxpayer");
        assert!(!e.errors[0].words().contains("column"), "{e}");
        #[allow(clippy::expect_used)]
        let e =
            parse_exchange("{\"exchange\": {\"name\": \"x\"\n", Format::Json).expect_err("cut off");
        let w = e.errors[0].words();
        assert!(w.ends_with(" at column 26"), "{w}");
    }

    #[test]
    fn parse_errors_read_as_words() {
        let j = r#"{"taxpayer":{"entity":"partnership"},"relinquished":[{"id":"a","location":"TX","acquired":"2015-06-01","transferred":"2026-03-02","sale_price":"1","adjusted_basis":"1"}]}"#;
        let cases: [(String, Format, &str); 12] = [
            (
                MIN.replace("sale_price", "sale_prize"),
                Format::Toml,
                "The first relinquished property's sale prize: there is no such field here (the fields here are id, description,",
            ),
            (
                MIN.replace("entity = \"individual\"", "name = \"x\""),
                Format::Toml,
                "The taxpayer: a required field is missing: entity at line 2 column 1",
            ),
            (
                MIN.replace("individual", "robot"),
                Format::Toml,
                "The taxpayer's type: robot is not one of the values allowed here: individual, partnership,",
            ),
            (
                j.replace("partnership", "robot"),
                Format::Json,
                "The taxpayer's type: robot is not one of the values allowed here: individual, partnership,",
            ),
            (
                j.replace("\"1\"}", "\"1\",}"),
                Format::Json,
                "The first relinquished property: trailing comma at column 169",
            ),
            (
                "{\"exchange\": {".into(),
                Format::Json,
                "The exchange: the text ends in the middle of an object at column 14",
            ),
            (
                "{\"exchange\": {\"name\": \"x\"\n".into(),
                Format::Json,
                "The exchange: the text ends in the middle of an object at column 26",
            ),
            (
                MIN.replace("\"1000000\"", "\"-5\""),
                Format::Toml,
                "The first relinquished property's sale price: must not be negative (got -5)",
            ),
            (
                "x = 1\ngarbage = \n".into(),
                Format::Toml,
                "Not valid TOML: string values must be quoted",
            ),
            (
                MIN.replace("2015-06-01", "2010-02-30"),
                Format::Toml,
                "The first relinquished property's date acquired: not a date: February 2010 has 28 days",
            ),
            (
                MIN.replace("2026-03-02", "03/02/2026"),
                Format::Toml,
                "The first relinquished property's date of the sale closing: not a date: a date is written year-month-day, as in \"2026-03-02\"",
            ),
            (
                "{}".into(),
                Format::Json,
                "A required field is missing: taxpayer",
            ),
        ];
        for (text, format, said) in cases {
            let e = parse_exchange(&text, format).expect_err(said);
            let w = e.errors[0].words();
            assert!(w.starts_with(said), "{w}\n(raw: {e})");
            for code in [
                "`",
                "?",
                "_",
                "unknown variant",
                "unknown field",
                "EOF",
                "[",
                "]",
            ] {
                assert!(!w.contains(code), "{code:?} in {w}");
            }
        }
        // The machine form keeps the path and the rule.
        let e = parse_exchange(&MIN.replace("sale_price", "sale_prize"), Format::Toml)
            .expect_err("typo");
        let raw = e.errors[0].to_string();
        assert!(
            raw.starts_with("relinquished[0].sale_prize: [unknown_field] there is no such field here (the fields here are `id`,"),
            "{raw}"
        );
        assert!(raw.contains("`sale_price`"), "{raw}");
    }

    #[test]
    fn json_same_structure() {
        let j = r#"{"taxpayer":{"entity":"partnership"},"relinquished":[{"id":"a","location":"TX",
          "acquired":"2015-06-01","transferred":"2026-03-02","sale_price":1000000,"adjusted_basis":"400000.50"}]}"#;
        let f = parse_exchange(j, Format::Json).expect("valid");
        assert_eq!(f.relinquished[0].adjusted_basis.to_string(), "400000.50");
        let bad = j.replace("1000000", "\"abc\"");
        let e = parse_exchange(&bad, Format::Json).expect_err("money");
        assert_eq!(e.errors[0].path, "relinquished[0].sale_price", "{e}");
    }
}
