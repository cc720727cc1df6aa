//! Cents written out: as the API's decimal strings and as people read them.

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
