//! Money: US dollars as [`Amount`] (an exact decimal, whole cents held as an integer), never
//! floating point.
//!
//! The exchange file gives dollars as decimal strings (or bare numbers); the report prints
//! them as strings with exactly two decimals. The engine never rounds except where the law
//! or a form rounds, and each such place says so (see [`round_cents`]).

use crate::amount::Amount;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A dollar amount as the report prints it: a string with exactly two decimals.
///
/// The engine keeps full precision internally; `Usd` only controls how a figure is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Usd(pub Amount);

impl Usd {
    pub const ZERO: Usd = Usd(Amount::ZERO);
}

impl From<Amount> for Usd {
    fn from(d: Amount) -> Self {
        Usd(d)
    }
}

impl From<Decimal> for Usd {
    fn from(d: Decimal) -> Self {
        Usd(Amount::from(d))
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_money(self.0))
    }
}

impl Serialize for Usd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_money(self.0))
    }
}

impl<'de> Deserialize<'de> for Usd {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Usd(deserialize_money(d)?))
    }
}

/// Rounds to the cent, half away from zero (the way closing statements and the IRS round).
///
/// Used only where the engine must split an amount (e.g. basis allocation by relative FMV),
/// never on a figure the law states exactly.
#[inline]
pub fn round_cents(d: Amount) -> Amount {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The amount as a whole number of cents, rounded as [`write_money`] prints it (half a cent
/// away from zero).
pub fn cents(d: impl Into<Amount>) -> i128 {
    let d: Amount = d.into();
    if let Some(c) = d.whole_cents() {
        return i128::from(c);
    }
    let d = d.to_decimal();
    let r = if d.scale() > 2 {
        d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    } else {
        d
    };
    // r has at most two decimals: scale it to exactly two as an integer number of cents.
    r.mantissa()
        * if r.scale() == 0 {
            100
        } else if r.scale() == 1 {
            10
        } else {
            1
        }
}

/// Formats dollars with exactly two decimals: `1250000` → `"1250000.00"`.
///
/// Works on the integer count of cents (the report prints thousands of figures, and this is
/// several times faster than formatting the Decimal itself).
pub fn format_money(d: impl Into<Amount>) -> String {
    let mut s = String::with_capacity(16);
    let _ = write_money(&mut s, d);
    s
}

/// Writes dollars with exactly two decimals (see [`format_money`]) into any writer, so the
/// report can print its figures without a string per figure.
///
/// # Errors
/// Only the writer's own.
pub fn write_money(w: &mut impl fmt::Write, d: impl Into<Amount>) -> fmt::Result {
    let cents = cents(d);
    if cents < 0 {
        w.write_char('-')?;
    }
    let abs = cents.unsigned_abs();
    // Amounts are capped at $100B on input, so cents fit in 64 bits (cheaper to divide);
    // a computed amount beyond that still prints right through the 128-bit path.
    match u64::try_from(abs) {
        Ok(a) => write!(w, "{}.{:02}", a / 100, a % 100),
        Err(_) => write!(w, "{}.{:02}", abs / 100, abs % 100),
    }
}

/// Formats dollars for people: `$1,250,000.00`, negatives in parentheses-free `-$5.00` form.
pub fn format_usd(d: impl Into<Amount>) -> String {
    let mut s = String::with_capacity(20);
    let _ = write_usd(&mut s, d);
    s
}

/// Formats a date for people, the counterpart of [`format_usd`]: `Nov 15, 2026`. Every page,
/// notification, PDF and CLI message shows dates this way (the ISO form stays where a machine
/// reads it).
pub fn format_date(d: jiff::civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = usize::try_from(d.month() - 1).unwrap_or(0).min(11);
    format!("{} {}, {}", MONTHS[m], d.day(), d.year())
}

/// Writes dollars for people (see [`format_usd`]) into any writer.
///
/// # Errors
/// Only the writer's own.
pub fn write_usd(w: &mut impl fmt::Write, d: impl Into<Amount>) -> fmt::Result {
    let mut buf = Small::default();
    write_money(&mut buf, d)?;
    let text = buf.as_str();
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    if neg {
        w.write_char('-')?;
    }
    w.write_char('$')?;
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            w.write_char(',')?;
        }
        w.write_char(ch)?;
    }
    w.write_char('.')?;
    w.write_str(frac)
}

/// A short text on the stack (an amount is at most ~40 characters), so formatting for people
/// does not allocate twice.
struct Small {
    b: [u8; 64],
    n: usize,
}

impl Default for Small {
    fn default() -> Self {
        Small { b: [0; 64], n: 0 }
    }
}

impl Small {
    fn as_str(&self) -> &str {
        // Only whole `&str`s are ever written into it.
        std::str::from_utf8(&self.b[..self.n]).unwrap_or("")
    }
}

impl fmt::Write for Small {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.n + s.len();
        let dst = self.b.get_mut(self.n..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.n = end;
        Ok(())
    }
}

/// Parses a money string: optional sign, digits, optional decimal part; `_` and `,` are not
/// accepted (a typo must not silently change a tax result).
pub fn parse_money(s: &str) -> Result<Amount, String> {
    if let Some(d) = parse_money_fast(s) {
        return Ok(d);
    }
    parse_money_checked(s)
}

/// The common case in one pass over the bytes: `[-+]digits[.digits]` with at most two
/// significant decimals, at most 18 digits and at most 11 before the point (so within
/// [`MAX_AMOUNT`]). Keeps the scale as written (`"5.50"` has scale 2), like
/// `Decimal::from_str`, and gives whole cents without a `Decimal`. Anything else goes to [`parse_money_checked`], which gives the error
/// or handles the unusual form.
fn parse_money_fast(s: &str) -> Option<Amount> {
    let b = s.as_bytes();
    let (neg, body) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    let mut mantissa: i64 = 0;
    let (mut int_digits, mut frac_digits, mut trailing_zeros) = (0u32, 0u32, 0u32);
    let mut in_frac = false;
    for &c in body {
        match c {
            b'0'..=b'9' => {
                if int_digits + frac_digits == 18 {
                    return None;
                }
                mantissa = mantissa * 10 + i64::from(c - b'0');
                if in_frac {
                    frac_digits += 1;
                    trailing_zeros = if c == b'0' { trailing_zeros + 1 } else { 0 };
                } else {
                    int_digits += 1;
                }
            }
            b'.' if !in_frac => in_frac = true,
            _ => return None,
        }
    }
    // At most 11 integer digits is below $100B (MAX_AMOUNT) without comparing Decimals.
    if int_digits == 0 || int_digits > 11 || frac_digits - trailing_zeros > 2 {
        return None;
    }
    let mantissa = if neg { -mantissa } else { mantissa };
    // Straight into whole cents (the common case); "1.500" keeps its written scale.
    match frac_digits {
        0 => Amount::from_cents_scaled(mantissa * 100, 0),
        1 => Amount::from_cents_scaled(mantissa * 10, 1),
        2 => Amount::from_cents_scaled(mantissa, 2),
        _ => Some(Amount::from(Decimal::new(mantissa, frac_digits))),
    }
}

/// [`parse_money`]'s full path: whitespace, a leading `.`, long digit strings, and the
/// error messages.
fn parse_money_checked(s: &str) -> Result<Amount, String> {
    let t = s.trim();
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let ok = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().filter(|&c| c == '.').count() <= 1
        && body.chars().any(|c| c.is_ascii_digit());
    if !ok {
        return Err(format!(
            "invalid amount {s:?}: expected dollars as a decimal number such as \"1250000\" or \"1250000.00\""
        ));
    }
    let d = t
        .parse::<Decimal>()
        .map_err(|e| format!("invalid amount {s:?}: {e}"))?;
    check_range(d)
        .map(Amount::from)
        .map_err(|m| format!("invalid amount {s:?}: {m}"))
}

/// The largest amount accepted: $100 billion.
///
/// Far above any single real-estate closing (the largest are a few billion), and small
/// enough that the engine's arithmetic can never overflow `Decimal` (96-bit mantissa,
/// about 7.9e28) on a valid file. The worst case: a file has at most
/// [`crate::validate::MAX_PROPERTIES`] (100) properties in each list, each with about ten
/// money fields, so even the sum of every amount of every list is below
/// 24 fields × 100 × 1e11 = 2.4e14, and the product of two such sums (the engine multiplies
/// two aggregates when it splits one in proportion to another, e.g. basis by relative FMV or
/// gain by the cash share) is below 5.8e28. A percentage or fraction (at most 1 or 100) and
/// the plan's growth over its horizon (bounded by [`crate::validate::MAX_GROWTH_FACTOR`],
/// 1e10) keep a projected figure below 2.4e24 and a sum of a hundred years of them below
/// 2.4e26. The former limit, $10 trillion, let 29 properties overflow a product.
pub const MAX_AMOUNT: Amount =
    Amount::from_decimal(Decimal::from_parts(1215752192, 23, 0, false, 0));

/// Dollars and cents only, within ±[`MAX_AMOUNT`].
fn check_range(d: Decimal) -> Result<Decimal, String> {
    if d.normalize().scale() > 2 {
        return Err("more than two decimals: amounts are dollars and cents".into());
    }
    if d.abs() > MAX_AMOUNT.to_decimal() {
        return Err(
            "larger than the limit of $100,000,000,000 per amount (so that every sum and product the engine forms stays exact)"
                .into(),
        );
    }
    Ok(d)
}

/// An amount too large for the engine's exact arithmetic. Validated input never produces
/// one (see [`MAX_AMOUNT`]); the checked computations return it instead of panicking when
/// called directly with larger figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "arithmetic overflow computing {what}: the amounts are too large to compute exactly (an exchange file allows at most $100,000,000,000 per amount)"
)]
pub struct Overflow {
    /// The figure being computed.
    pub what: &'static str,
}

/// `a × b ÷ c` (a share of `a` in the proportion `b : c`), exact when the product fits and
/// dividing first when it does not; `None` when even that overflows or `c` is zero.
pub fn mul_div(a: Amount, b: Amount, c: Amount) -> Option<Amount> {
    if c.is_zero() {
        return None;
    }
    match a.checked_mul(b) {
        Some(p) => p.checked_div(c),
        None => a.checked_mul(b.checked_div(c)?),
    }
}

/// The sum of `values`, or `None` on overflow (`Decimal`'s `+` and `Sum` panic).
pub fn checked_sum(values: impl IntoIterator<Item = Amount>) -> Option<Amount> {
    values
        .into_iter()
        .try_fold(Amount::ZERO, |acc, v| acc.checked_add(v))
}

/// Serde helper: money as a decimal string, or a bare integer or float number.
///
/// A bare float is converted through its shortest decimal representation, which is exact for
/// any amount a person types (e.g. `1250.5`); strings are preferred and documented.
pub fn deserialize_money<'de, D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
    d.deserialize_any(DecimalVisitor {
        expecting: "an amount of dollars as a decimal string such as \"1250000.00\"",
        parse: parse_money,
    })
}

/// Serde helper: a decimal that is not money (a fraction, a percentage), with no cents limit.
pub fn deserialize_plain_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
    d.deserialize_any(DecimalVisitor {
        expecting: "a decimal number as a string such as \"0.25\"",
        parse: |s| {
            s.trim()
                .parse::<Amount>()
                .map_err(|e| format!("invalid number {s:?}: {e}"))
        },
    })
}

/// Reads a decimal from a string or a bare number, checking it with `parse`.
struct DecimalVisitor {
    expecting: &'static str,
    parse: fn(&str) -> Result<Amount, String>,
}

impl serde::de::Visitor<'_> for DecimalVisitor {
    type Value = Amount;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
        (self.parse)(v).map_err(E::custom)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
        (self.parse)(&v.to_string()).map_err(E::custom)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
        (self.parse)(&v.to_string()).map_err(E::custom)
    }
    // Bare TOML/JSON floats arrive as binary floating point; the shortest round-trip text
    // of the value is what the person typed, so parse that text.
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Amount, E> {
        if !v.is_finite() {
            return Err(E::custom("invalid number: not finite"));
        }
        (self.parse)(&format!("{v}")).map_err(E::custom)
    }
}

/// Serde helper for optional money fields.
pub fn deserialize_opt_money<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Amount>, D::Error> {
    deserialize_money(d).map(Some)
}

/// Serialises an amount as money (two decimals, string).
pub fn serialize_money<S: Serializer>(d: &Amount, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&Money(*d))
}

/// Money printed by [`write_money`]: serialised straight into the output, no string made.
struct Money(Amount);

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_money(f, self.0)
    }
}

/// Serialises an optional amount as money.
pub fn serialize_opt_money<S: Serializer>(d: &Option<Amount>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(v) => s.collect_str(&Money(*v)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt as dec;

    #[test]
    fn formats_dates_and_dollars_for_people() {
        assert_eq!(format_date(jiff::civil::date(2026, 11, 15)), "Nov 15, 2026");
        assert_eq!(format_date(jiff::civil::date(2027, 1, 2)), "Jan 2, 2027");
        assert_eq!(format_date(jiff::civil::date(2026, 12, 31)), "Dec 31, 2026");
        assert_eq!(format_usd(dec!(1234.56)), "$1,234.56");
        assert_eq!(format_usd(dec!(-5)), "-$5.00");
    }

    #[test]
    fn formats_two_decimals() {
        assert_eq!(format_money(dec!(1250000)), "1250000.00");
        assert_eq!(format_money(dec!(-5000.5)), "-5000.50");
        assert_eq!(format_money(dec!(0.005)), "0.01");
        assert_eq!(format_money(dec!(-0.001)), "0.00");
    }

    #[test]
    fn formats_for_people() {
        assert_eq!(format_usd(dec!(1250000)), "$1,250,000.00");
        assert_eq!(format_usd(dec!(-999.5)), "-$999.50");
        assert_eq!(format_usd(dec!(100)), "$100.00");
    }

    #[test]
    fn fast_path_agrees_with_the_checked_path() {
        for s in [
            "0",
            "1250000",
            "1250000.00",
            "-5000.5",
            "+12.30",
            "1.500",
            "0.01",
            "10000000000000",
            "10000000000000.00",
            "-10000000000000",
            "9999999999999.99",
            "100000000000",
            "100000000000.00",
            "99999999999.99",
            "-99999999999",
            "007",
            "1.",
            "5.0000",
        ] {
            // The fast path either declines (the checked path decides) or agrees exactly.
            if let Some(fast) = parse_money_fast(s) {
                let checked = parse_money_checked(s);
                assert_eq!(Ok(fast), checked, "{s}");
                assert_eq!(Ok(fast.scale()), checked.map(|d| d.scale()), "{s}");
            }
            assert_eq!(parse_money(s), parse_money_checked(s), "{s}");
        }
        for s in [
            "1250000",
            "1250000.00",
            "-5000.5",
            "99999999999.99",
            "1.500",
        ] {
            assert!(parse_money_fast(s).is_some(), "{s} takes the fast path");
        }
        for s in [
            "",
            "-",
            ".",
            "1.001",
            "1,000",
            "12x",
            " 5",
            "1..2",
            "100000000000000",
            "1e5",
        ] {
            assert_eq!(parse_money_fast(s), None, "{s}");
        }
    }

    #[test]
    fn parses_strict() {
        assert_eq!(parse_money("1250000.00"), Ok(dec!(1250000)));
        assert_eq!(parse_money("-5000.5"), Ok(dec!(-5000.5)));
        assert!(parse_money("1,000").is_err());
        assert!(parse_money("12x").is_err());
        assert!(parse_money("").is_err());
        assert!(parse_money(".").is_err());
        assert!(parse_money("1.001").is_err());
        assert_eq!(parse_money("1.100"), Ok(dec!(1.1)));
        assert!(parse_money("100000000000").is_ok());
        assert!(parse_money("-100000000000.00").is_ok());
        assert!(parse_money("100000000000.01").is_err());
        assert!(parse_money("10000000000000").is_err());
        assert!(parse_money("99999999999999999999999999999").is_err());
        assert_eq!(MAX_AMOUNT, dec!(100000000000));
    }

    #[test]
    fn checked_helpers() {
        assert_eq!(mul_div(dec!(10), dec!(3), dec!(4)), Some(dec!(7.5)));
        assert_eq!(mul_div(dec!(10), dec!(3), dec!(0)), None);
        let big = Amount::MAX / dec!(2);
        assert_eq!(mul_div(big, dec!(1000), dec!(2000)), Some(big / dec!(2)));
        assert_eq!(mul_div(Amount::MAX, Amount::MAX, dec!(0.5)), None);
        assert_eq!(checked_sum([dec!(1), dec!(2)]), Some(dec!(3)));
        assert_eq!(checked_sum([Amount::MAX, dec!(1)]), None);
    }
}
