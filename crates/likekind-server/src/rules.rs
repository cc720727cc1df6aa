//! The rules of the API's plain fields, once: each check here has its JSON Schema pattern
//! beside it, and the request types carry the pattern (`#[schema(pattern = ...)]`), so what
//! `/openapi.json` allows is what the server accepts (the contract test sends both sides).

use crate::error::{ApiError, ApiResult};

/// A line of text: not blank, no control characters (its length is checked by the caller's
/// limit). Surrounding spaces are kept out of what is stored.
pub const TEXT_PATTERN: &str =
    r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$";

/// Words that may run over several lines (a reason, a note): at least one character that is
/// not a space. The server trims it and refuses it when nothing is left.
pub const WORDS_PATTERN: &str = r"\S";

/// An administrator's written reason for overriding a rule: at least
/// [`OVERRIDE_REASON_MIN`] characters from its first to its last that is not a space.
pub const OVERRIDE_REASON_PATTERN: &str = r"\S[\s\S]{8,}\S";

/// The fewest characters of an override's reason: a few words saying why, not "x".
pub const OVERRIDE_REASON_MIN: usize = 10;

/// The written reason an administrator gives for overriding a rule (`path`): absent, or
/// [`OVERRIDE_REASON_MIN`] to 2000 characters once the spaces around it are set aside (a
/// reason a person can read later in the audit log and on the client's statement, not "x").
///
/// # Errors
/// 422 on `path`: `required` (blank), `too_short`, `length`.
pub fn override_reason(path: &str, r: Option<&str>) -> ApiResult<Option<String>> {
    let Some(r) = r.map(str::trim) else {
        return Ok(None);
    };
    let n = r.chars().count();
    if n == 0 {
        return Err(ApiError::field(
            path,
            "required",
            "an override needs a written reason",
        ));
    }
    if n < OVERRIDE_REASON_MIN {
        return Err(ApiError::field(
            path,
            "too_short",
            format!(
                "say in a few words why the rule is overridden (at least {OVERRIDE_REASON_MIN} characters): the reason is kept in the audit log and printed on the client's statement"
            ),
        ));
    }
    if n > 2000 {
        return Err(ApiError::field(path, "length", "at most 2000 characters"));
    }
    Ok(Some(r.to_string()))
}

/// A plain file name: a line of text without `/` or `\`.
pub const FILENAME_PATTERN: &str =
    r"^[^/\\\x00-\x1f\x7f-\x9f]*[^/\\\s\x00-\x1f\x7f-\x9f][^/\\\x00-\x1f\x7f-\x9f]*$";

/// An e-mail address: something, `@`, a domain with a dot; no spaces.
pub const EMAIL_PATTERN: &str = r"^[^@ \t\n\f\r]+@[^@ \t\n\f\r]+\.[^@ \t\n\f\r]+$";

/// An amount of dollars, not negative, in whole cents, below a trillion: `"1250.00"`.
pub const MONEY_PATTERN: &str = r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$";

/// An amount of dollars more than zero, in whole cents, below a trillion.
pub const POSITIVE_MONEY_PATTERN: &str =
    r"^([1-9][0-9]{0,11}(\.[0-9]{1,2})?|0\.([1-9][0-9]?|0[1-9]))$";

/// A number of days from 1 to 365, optionally followed by `d`: `14d`.
pub const DAYS_PATTERN: &str = r"^(36[0-5]|3[0-5][0-9]|[12][0-9]{2}|[1-9][0-9]?)d?$";

/// A kind of change in the audit log: an action (`ledger.post`) or its family (`ledger`),
/// lowercase letters, dots and underscores, at most 60.
pub const AUDIT_KIND_PATTERN: &str = r"^[a-z._]{1,60}$";

/// A kind of change as [`AUDIT_KIND_PATTERN`] states it.
///
/// # Errors
/// 422 naming `path`.
pub fn audit_kind<'a>(path: &str, s: &'a str) -> ApiResult<&'a str> {
    if (1..=60).contains(&s.len())
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c == b'.' || c == b'_')
    {
        Ok(s)
    } else {
        Err(ApiError::field(
            path,
            "kind",
            "a kind of change is a word such as ledger, exchange or notice",
        ))
    }
}

/// A day as a query parameter declared `format: date` states it: exactly YYYY-MM-DD (RFC 3339
/// full-date), so what the schema refuses (a time, spaces, an empty value) is refused here too.
///
/// # Errors
/// 422 naming `path`.
pub fn day(path: &str, s: &str) -> ApiResult<jiff::civil::Date> {
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    match s.parse::<jiff::civil::Date>() {
        Ok(d) if shaped => Ok(d),
        _ => Err(ApiError::field(
            path,
            "date",
            format!("\"{s}\" is not a date; give it as YYYY-MM-DD"),
        )),
    }
}

fn control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// A line of text of 1 to `max` characters (as sent), not blank, without control characters;
/// returns it without surrounding spaces.
///
/// # Errors
/// 422 naming `path`.
pub fn text(path: &str, s: &str, max: usize) -> ApiResult<String> {
    if s.chars().count() > max || s.chars().any(control) || s.trim().is_empty() {
        return Err(ApiError::field(
            path,
            "length",
            format!("between 1 and {max} characters, not only spaces, without control characters"),
        ));
    }
    Ok(s.trim().to_string())
}

/// A plain file name of 1 to 255 characters: a line of text without `/` or `\`.
///
/// # Errors
/// 422 naming `path`.
pub fn filename(path: &str, s: &str) -> ApiResult<String> {
    if s.contains(['/', '\\']) {
        return Err(ApiError::field(
            path,
            "filename",
            "a plain file name of 1 to 255 characters, without / or \\",
        ));
    }
    text(path, s, 255).map_err(|_| {
        ApiError::field(
            path,
            "filename",
            "a plain file name of 1 to 255 characters, without / or \\",
        )
    })
}

/// An e-mail address of at most 254 characters, in lowercase.
///
/// # Errors
/// 422 naming `path`.
pub fn email(path: &str, s: &str) -> ApiResult<String> {
    let bad = |c: char| matches!(c, '@' | ' ' | '\t' | '\n' | '\u{c}' | '\r');
    let ok = s.chars().count() <= 254
        && s.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !local.contains(bad)
                && domain.split_once('.').is_some_and(|_| {
                    // a dot with something on each side, somewhere in the domain
                    !domain.contains(bad)
                        && domain
                            .char_indices()
                            .any(|(i, c)| c == '.' && i > 0 && i + 1 < domain.len())
                })
        });
    if !ok {
        return Err(ApiError::field(
            path,
            "email",
            "not an e-mail address (name@example.com, without spaces)",
        ));
    }
    Ok(s.to_ascii_lowercase())
}

/// A number of days from 1 to 365 (`14` or `14d`).
///
/// # Errors
/// 422 naming `path`.
pub fn days(path: &str, s: &str) -> ApiResult<i64> {
    let digits = s.strip_suffix('d').unwrap_or(s);
    let n = if digits.is_empty()
        || digits.len() > 3
        || digits.starts_with('0')
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        None
    } else {
        digits.parse::<i64>().ok()
    };
    match n {
        Some(n) if (1..=365).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::field(path, "range", "between 1 and 365 days")),
        None => Err(ApiError::field(
            path,
            "duration",
            "a number of days such as \"14d\" (1 to 365)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_kinds_as_the_schema_states_them() {
        assert!(day("d", "2026-02-28").is_ok());
        for bad in [
            "",
            " 2026-02-28",
            "2026-02-30",
            "2026-02-28T10:00",
            "20260228",
            "+2026-02-2",
        ] {
            assert!(day("d", bad).is_err(), "{bad:?}");
        }
        assert_eq!(audit_kind("k", "ledger.post").ok(), Some("ledger.post"));
        for bad in ["", "Ledger", "ledger post", &"x".repeat(61)] {
            assert!(audit_kind("k", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn text_and_names() {
        assert_eq!(text("n", "  Oak  ", 200).ok().as_deref(), Some("Oak"));
        assert!(text("n", "", 200).is_err());
        assert!(text("n", "   ", 200).is_err());
        assert!(text("n", "a\u{1c}", 200).is_err());
        assert!(text("n", &"x".repeat(201), 200).is_err());
        assert!(text("n", &"x".repeat(200), 200).is_ok());
        assert!(filename("f", "a/b.pdf").is_err());
        assert!(filename("f", "deed.pdf").is_ok());
    }

    #[test]
    fn emails() {
        assert_eq!(
            email("e", "A@Example.com").ok().as_deref(),
            Some("a@example.com")
        );
        for bad in ["", "a", "@b.c", "a@b", "a@.c", "a@b.", "a b@c.d", "a@b@c.d"] {
            assert!(email("e", bad).is_err(), "{bad}");
        }
        assert!(email("e", "a@b.c.d").is_ok());
    }

    #[test]
    fn day_counts() {
        assert_eq!(days("w", "14d").ok(), Some(14));
        assert_eq!(days("w", "365").ok(), Some(365));
        for bad in ["", "d", "0", "014", "366", "+14", "14dd", "1e2"] {
            assert!(days("w", bad).is_err(), "{bad}");
        }
    }
}
