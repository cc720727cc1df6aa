//! Money at the API edge: decimal strings in JSON, integer cents in the store.

use crate::error::ApiError;
use rust_decimal::Decimal;

/// Cents as a decimal string with two places (`-1234.50`).
pub fn show(cents: i64) -> String {
    Decimal::new(cents, 2).to_string()
}

/// Cents as people read them: `$1,234.56`.
pub fn dollars(cents: i64) -> String {
    let c = cents.unsigned_abs();
    let whole = (c / 100).to_string();
    let mut out = String::new();
    for (k, ch) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{}${out}.{:02}", if cents < 0 { "-" } else { "" }, c % 100)
}

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

/// A non-negative amount in dollars as cents.
///
/// # Errors
/// A 422 naming `path`.
pub fn parse_cents(path: &str, s: &str) -> Result<i64, ApiError> {
    let d: Decimal = s.trim().parse().map_err(|_| {
        ApiError::field(
            path,
            "money",
            format!("{s:?} is not an amount such as \"1250.00\""),
        )
    })?;
    if d.scale() > 2 && d.normalize().scale() > 2 {
        return Err(ApiError::field(
            path,
            "money",
            "amounts are in whole cents (at most 2 decimal places)",
        ));
    }
    if d.is_sign_negative() && !d.is_zero() {
        return Err(ApiError::field(
            path,
            "non_negative",
            "the amount cannot be negative",
        ));
    }
    let cents = (d * Decimal::ONE_HUNDRED).normalize();
    i64::try_from(cents)
        .ok()
        .filter(|c| *c <= 100_000_000_000_000)
        .ok_or_else(|| ApiError::field(path, "money", "the amount is too large"))
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
    }
}
