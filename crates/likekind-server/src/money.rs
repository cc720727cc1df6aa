//! Money at the API edge: decimal strings in JSON, integer cents in the store.

use crate::error::ApiError;
use rust_decimal::Decimal;

pub use crate::cents::{dollars, show};

/// A positive amount in dollars (at most 2 decimal places) as cents.
///
/// # Errors
/// A 422 naming `path` when it is not a positive amount of whole cents.
pub fn parse_positive(path: &str, s: &str) -> Result<i64, ApiError> {
    let cents = parse_cents(path, s)?;
    if cents <= 0 {
        return Err(ApiError::field(
            path,
            "positive",
            "the amount must be more than zero",
        ));
    }
    Ok(cents)
}

/// Whether `s` is written as [`crate::rules::MONEY_PATTERN`] says: digits without a sign or
/// leading zeros (at most 12 before the point), and at most 2 after it.
fn well_formed(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    digits(int)
        && int.len() <= 12
        && (int == "0" || !int.starts_with('0'))
        && frac.is_none_or(|f| digits(f) && f.len() <= 2)
}

/// A non-negative amount in dollars as cents, written as [`crate::rules::MONEY_PATTERN`] says.
///
/// # Errors
/// A 422 naming `path`.
pub fn parse_cents(path: &str, s: &str) -> Result<i64, ApiError> {
    if let Some(rest) = s.strip_prefix('-')
        && well_formed(rest)
    {
        return Err(ApiError::field(
            path,
            "non_negative",
            "the amount cannot be negative",
        ));
    }
    if !well_formed(s) {
        return Err(ApiError::field(
            path,
            "money",
            format!(
                "{s:?} is not an amount such as \"1250.00\": digits, at most 2 after the point, below a trillion dollars"
            ),
        ));
    }
    let d: Decimal = s
        .parse()
        .map_err(|_| ApiError::field(path, "money", format!("{s:?} is not an amount")))?;
    let cents = (d * Decimal::ONE_HUNDRED).normalize();
    i64::try_from(cents).map_err(|_| ApiError::field(path, "money", "the amount is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_shows_cents() {
        assert_eq!(parse_cents("a", "1250.5").ok(), Some(125_050));
        assert_eq!(parse_cents("a", "0").ok(), Some(0));
        assert_eq!(show(125_050), "1250.50");
        assert_eq!(show(-5), "-0.05");
        assert!(parse_cents("a", "1.005").is_err());
        assert!(parse_cents("a", "-1").is_err());
        assert!(parse_cents("a", "abc").is_err());
        assert!(parse_positive("a", "0.00").is_err());
        assert!(parse_cents("a", "1e30").is_err());
        for bad in [
            "",
            " 1",
            "+1",
            "01",
            "1.",
            ".5",
            "-0",
            "1000000000000",
            "1,000",
        ] {
            assert!(parse_cents("a", bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_cents("a", "999999999999.99").ok(),
            Some(99_999_999_999_999)
        );
        assert_eq!(parse_cents("a", "0.01").ok(), Some(1));
    }
}
