//! [`Amount`]: the engine's number, a [`Decimal`] that is cheap when it holds whole cents.
//!
//! Why: `rust_decimal`'s arithmetic is exact but costly (about 44 instructions per add and
//! 66 per compare, none of it inlined across crates), and it was a quarter to a third of the
//! analysis. Almost every figure the engine handles is a whole number of cents well within
//! 64 bits (the file accepts at most two decimals and at most $100B per amount), so an
//! `Amount` holds those as an `i64` count of cents and does the common operations (add,
//! subtract, negate, compare, multiply when the product keeps at most two decimals, round)
//! with integer instructions, inlined. Everything else (division, anything that overflows 64
//! bits, rates and shares with more decimals) converts to `Decimal`, asks it, and stores the
//! answer back. Converting once per computation saved nothing; holding the
//! cheap form from parsing on is what pays.
//!
//! An `Amount` is exactly a `Decimal`: every operation gives the value *and the scale*
//! (the number of decimals written, `5.5` vs `5.50`, and the sign of a zero) that `Decimal`
//! gives, so anything that prints a raw number (`Display`, serde) prints the same text as
//! before. Equality, order and hashing are by value, like `Decimal`'s (`5.5 == 5.50`).
//!
//! Representation, 16 bytes like `Decimal`: `meta < 3` is the cents form, `meta` being the
//! scale (0, 1 or 2) and `lo` the cents as an `i64`; otherwise `meta` has `DEC` set, the
//! scale in its low byte and `NEG` for the sign, and `lo`/`hi` hold the 96-bit magnitude.
//! The form is canonical: a value is in the cents form exactly when its scale is at most 2,
//! it is not a negative zero and its cents fit in an `i64`.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Rem, Sub, SubAssign};
use std::str::FromStr;

/// Set in `meta` for the `Decimal` form.
const DEC: u32 = 1 << 9;
/// Set in `meta` for a negative number in the `Decimal` form.
const NEG: u32 = 1 << 8;
/// Cents per unit of a value with scale 0, 1, 2.
const CENTS_PER: [i64; 3] = [100, 10, 1];

/// An exact decimal number (see the module doc): whole cents as an `i64` when they fit,
/// otherwise a `Decimal`. Every operation gives what `Decimal` gives.
#[derive(Clone, Copy)]
pub struct Amount {
    /// The cents (cents form) or the low 64 bits of the magnitude (`Decimal` form).
    lo: u64,
    /// The high 32 bits of the magnitude (`Decimal` form); 0 in the cents form.
    hi: u32,
    /// The scale (cents form: 0..=2), or `DEC` | `NEG`? | scale.
    meta: u32,
}

impl Amount {
    pub const ZERO: Amount = Amount::cents_scaled(0, 0);
    pub const ONE: Amount = Amount::cents_scaled(100, 0);
    pub const TWO: Amount = Amount::cents_scaled(200, 0);
    pub const TEN: Amount = Amount::cents_scaled(1000, 0);
    pub const ONE_HUNDRED: Amount = Amount::cents_scaled(10000, 0);
    pub const MAX: Amount = Amount::from_decimal(Decimal::MAX);
    pub const MIN: Amount = Amount::from_decimal(Decimal::MIN);

    /// `cents` with `scale` decimals (0..=2) written; `cents` must be a multiple of
    /// 10^(2 - scale).
    #[inline]
    const fn cents_scaled(cents: i64, scale: u32) -> Amount {
        Amount {
            lo: cents as u64,
            hi: 0,
            meta: scale,
        }
    }

    /// The cents, in the cents form.
    #[inline]
    const fn cents_form(self) -> Option<i64> {
        if self.meta < 3 {
            Some(self.lo as i64)
        } else {
            None
        }
    }

    /// `cents` written with `scale` decimals (0..=2), as the parser reads `"12"`, `"12.5"`,
    /// `"12.50"`: `None` when `scale` is more than 2 or `cents` is not a multiple of
    /// 10^(2 - scale).
    #[inline]
    pub const fn from_cents_scaled(cents: i64, scale: u32) -> Option<Amount> {
        if scale <= 2 && cents % CENTS_PER[scale as usize] == 0 {
            Some(Amount::cents_scaled(cents, scale))
        } else {
            None
        }
    }

    /// A whole number of cents, written with two decimals (like `Decimal::new(cents, 2)`).
    #[inline]
    pub const fn from_cents(cents: i64) -> Amount {
        Amount::cents_scaled(cents, 2)
    }

    /// Like [`Decimal::from_parts`].
    pub const fn from_parts(lo: u32, mid: u32, hi: u32, negative: bool, scale: u32) -> Amount {
        Amount::from_decimal(Decimal::from_parts(lo, mid, hi, negative, scale))
    }

    /// `num × 10^-scale`, like [`Decimal::new`].
    ///
    /// # Panics
    /// When `scale` exceeds 28, like `Decimal::new`.
    pub fn new(num: i64, scale: u32) -> Amount {
        Amount::from_decimal(Decimal::new(num, scale))
    }

    /// The same number as an `Amount` (value, scale and sign of zero kept).
    #[inline]
    pub const fn from_decimal(d: Decimal) -> Amount {
        let scale = d.scale();
        let neg = d.is_sign_negative();
        let m = d.mantissa();
        if scale <= 2 && !(neg && m == 0) {
            let c = m * CENTS_PER[scale as usize] as i128;
            if c >= i64::MIN as i128 && c <= i64::MAX as i128 {
                return Amount::cents_scaled(c as i64, scale);
            }
        }
        let mag = m.unsigned_abs();
        Amount {
            lo: mag as u64,
            hi: (mag >> 64) as u32,
            meta: DEC | if neg { NEG } else { 0 } | scale,
        }
    }

    /// The same number as a `Decimal` (value, scale and sign of zero kept).
    #[inline]
    pub fn to_decimal(self) -> Decimal {
        if let Some(c) = self.cents_form() {
            let mag = c.unsigned_abs() / CENTS_PER[self.meta as usize] as u64;
            return Decimal::from_parts(mag as u32, (mag >> 32) as u32, 0, c < 0, self.meta);
        }
        let neg = self.meta & NEG != 0;
        let mut d = Decimal::from_parts(
            self.lo as u32,
            (self.lo >> 32) as u32,
            self.hi,
            neg,
            self.meta & 0xff,
        );
        if neg && d.is_zero() {
            // `from_parts` drops the sign of a zero; `Decimal` arithmetic can make `-0`.
            d.set_sign_negative(true);
        }
        d
    }

    /// A literal as `dec!` reads it (`"-12.50"`, `"0.0375"`, `"1_000"`), at compile time
    /// through [`crate::amt!`].
    ///
    /// # Panics
    /// On text that is not a plain decimal of at most 28 digits (a literal in the code).
    pub const fn lit(s: &str) -> Amount {
        let b = s.as_bytes();
        let (mut i, mut neg, mut mag, mut scale, mut frac) = (0, false, 0u128, 0u32, false);
        while i < b.len() {
            match b[i] {
                b'-' => neg = !neg,
                b'0'..=b'9' => {
                    mag = mag * 10 + (b[i] - b'0') as u128;
                    if frac {
                        scale += 1;
                    }
                }
                b'.' => frac = true,
                b'_' | b' ' | b'+' => {}
                _ => panic!("not a decimal literal"),
            }
            i += 1;
        }
        assert!(mag < 1 << 96 && scale <= 28, "decimal literal out of range");
        let d = Decimal::from_parts(
            mag as u32,
            (mag >> 32) as u32,
            (mag >> 64) as u32,
            neg,
            scale,
        );
        Amount::from_decimal(d)
    }

    /// Applies a `Decimal` operation and stores its result back (out of line, so that the
    /// callers' fast paths inline).
    #[inline(never)]
    fn via(self, f: impl FnOnce(Decimal) -> Decimal) -> Amount {
        Amount::from_decimal(f(self.to_decimal()))
    }

    /// The cents when the amount is held as whole cents (always, for a whole number of cents
    /// with at most two decimals written that fits an `i64`).
    #[inline]
    pub const fn whole_cents(&self) -> Option<i64> {
        self.cents_form()
    }

    /// The number of decimals written, like [`Decimal::scale`].
    #[inline]
    pub const fn scale(&self) -> u32 {
        self.meta & 0xff
    }

    /// The mantissa (the number without its decimal point), like [`Decimal::mantissa`].
    #[inline]
    pub fn mantissa(&self) -> i128 {
        match self.cents_form() {
            Some(c) => (c / CENTS_PER[self.meta as usize]) as i128,
            None => self.to_decimal().mantissa(),
        }
    }

    #[inline]
    pub const fn is_zero(&self) -> bool {
        self.lo == 0 && self.hi == 0
    }

    #[inline]
    pub const fn is_sign_negative(&self) -> bool {
        match self.cents_form() {
            Some(c) => c < 0,
            None => self.meta & NEG != 0,
        }
    }

    #[inline]
    pub const fn is_sign_positive(&self) -> bool {
        !self.is_sign_negative()
    }

    /// The absolute value, like [`Decimal::abs`].
    #[inline]
    #[must_use]
    pub fn abs(&self) -> Amount {
        match self.cents_form() {
            Some(c) if c != i64::MIN => Amount::cents_scaled(c.abs(), self.meta),
            _ => self.via(|d| d.abs()),
        }
    }

    /// The larger of the two, `self` when they are equal (like [`Decimal::max`]).
    #[inline]
    #[must_use]
    pub fn max(self, other: Amount) -> Amount {
        if self < other { other } else { self }
    }

    /// The smaller of the two, `self` when they are equal (like [`Decimal::min`]).
    #[inline]
    #[must_use]
    pub fn min(self, other: Amount) -> Amount {
        if self > other { other } else { self }
    }

    /// Rounds to `dp` decimals, half to even, like [`Decimal::round_dp`].
    #[inline]
    #[must_use]
    pub fn round_dp(&self, dp: u32) -> Amount {
        self.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven)
    }

    /// Rounds to `dp` decimals with `strategy`, like [`Decimal::round_dp_with_strategy`]
    /// (which returns the number unchanged when it has at most `dp` decimals).
    #[inline]
    #[must_use]
    pub fn round_dp_with_strategy(&self, dp: u32, strategy: RoundingStrategy) -> Amount {
        if self.scale() <= dp {
            return *self;
        }
        match fast_round(*self, dp, strategy) {
            Some(r) => r,
            None => self.via(|d| d.round_dp_with_strategy(dp, strategy)),
        }
    }

    #[must_use]
    pub fn floor(&self) -> Amount {
        self.via(|d| d.floor())
    }

    #[must_use]
    pub fn ceil(&self) -> Amount {
        self.via(|d| d.ceil())
    }

    #[must_use]
    pub fn trunc(&self) -> Amount {
        self.via(|d| d.trunc())
    }

    #[must_use]
    pub fn normalize(&self) -> Amount {
        self.via(|d| d.normalize())
    }

    /// `self + other`, or `None` on overflow, like [`Decimal::checked_add`].
    #[inline]
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        match fast_add(self, other) {
            Some(r) => Some(r),
            None => slow_checked(self, other, Decimal::checked_add),
        }
    }

    /// `self - other`, or `None` on overflow, like [`Decimal::checked_sub`].
    #[inline]
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        match fast_sub(self, other) {
            Some(r) => Some(r),
            None => slow_checked(self, other, Decimal::checked_sub),
        }
    }

    /// `self × other`, or `None` on overflow, like [`Decimal::checked_mul`].
    #[inline]
    pub fn checked_mul(self, other: Amount) -> Option<Amount> {
        match fast_mul(self, other) {
            Some(r) => Some(r),
            None => slow_checked(self, other, Decimal::checked_mul),
        }
    }

    /// `self ÷ other`, or `None` on overflow or division by zero, like
    /// [`Decimal::checked_div`].
    pub fn checked_div(self, other: Amount) -> Option<Amount> {
        self.to_decimal()
            .checked_div(other.to_decimal())
            .map(Amount::from_decimal)
    }

    /// `self % other`, or `None`, like [`Decimal::checked_rem`].
    pub fn checked_rem(self, other: Amount) -> Option<Amount> {
        self.to_decimal()
            .checked_rem(other.to_decimal())
            .map(Amount::from_decimal)
    }
}

/// An operation the cents form cannot do, through `Decimal` (kept out of line so that the
/// fast path inlines).
#[cold]
#[inline(never)]
fn slow(a: Amount, b: Amount, f: fn(Decimal, Decimal) -> Decimal) -> Amount {
    Amount::from_decimal(f(a.to_decimal(), b.to_decimal()))
}

/// A checked operation the cents form cannot do, through `Decimal`.
#[cold]
#[inline(never)]
fn slow_checked(
    a: Amount,
    b: Amount,
    f: fn(Decimal, Decimal) -> Option<Decimal>,
) -> Option<Amount> {
    f(a.to_decimal(), b.to_decimal()).map(Amount::from_decimal)
}

/// A comparison with a number in the `Decimal` form.
#[cold]
#[inline(never)]
fn slow_cmp(a: Amount, b: Amount) -> Ordering {
    a.to_decimal().cmp(&b.to_decimal())
}

/// Both in the cents form: their cents and the larger scale.
#[inline]
fn both_cents(a: Amount, b: Amount) -> Option<(i64, i64, u32)> {
    if (a.meta | b.meta) < 3 {
        Some((a.lo as i64, b.lo as i64, a.meta.max(b.meta)))
    } else {
        None
    }
}

/// `a + b` in the cents form, as `Decimal` does it: `0 + b` is `b` and `a + 0` is `a` as
/// written; otherwise the larger scale; a zero sum is a positive zero.
#[inline]
fn fast_add(a: Amount, b: Amount) -> Option<Amount> {
    let (x, y, scale) = both_cents(a, b)?;
    if x == 0 {
        return Some(b);
    }
    if y == 0 {
        return Some(a);
    }
    Some(Amount::cents_scaled(x.checked_add(y)?, scale))
}

/// `a - b` in the cents form, as `Decimal` does it: `0 - b` is `-b` (`b` itself when it is a
/// zero) and `a - 0` is `a` as written; otherwise the larger scale.
#[inline]
fn fast_sub(a: Amount, b: Amount) -> Option<Amount> {
    let (x, y, scale) = both_cents(a, b)?;
    if x == 0 {
        return if y == 0 {
            Some(b)
        } else {
            Some(Amount::cents_scaled(y.checked_neg()?, b.meta))
        };
    }
    if y == 0 {
        return Some(a);
    }
    Some(Amount::cents_scaled(x.checked_sub(y)?, scale))
}

/// `a × b` in the cents form when the product keeps at most two decimals (the scales add,
/// as in `Decimal`); a zero factor gives a plain `0`.
#[inline]
fn fast_mul(a: Amount, b: Amount) -> Option<Amount> {
    if a.is_zero() || b.is_zero() {
        return Some(Amount::ZERO);
    }
    let (x, y, _) = both_cents(a, b)?;
    match (a.meta, b.meta) {
        (0, s) => Some(Amount::cents_scaled(y.checked_mul(x / 100)?, s)),
        (s, 0) => Some(Amount::cents_scaled(x.checked_mul(y / 100)?, s)),
        (1, 1) => Some(Amount::cents_scaled((x / 10).checked_mul(y / 10)?, 2)),
        _ => None,
    }
}

/// Whole cents with more decimals written than `dp` (so `dp` is 0 or 1), rounded to `dp`
/// decimals as `Decimal` rounds: the magnitude's quotient, moved away from zero as the
/// strategy says, with the sign of the number (a zero result is a positive zero).
#[inline]
#[allow(deprecated)] // Decimal still accepts the old strategy names: so must this.
fn fast_round(a: Amount, dp: u32, strategy: RoundingStrategy) -> Option<Amount> {
    let c = a.cents_form()?;
    let neg = c < 0;
    // The mantissa's magnitude, and the power of ten it is divided by.
    let mag = c.unsigned_abs() / CENTS_PER[a.meta as usize] as u64;
    let div: u64 = if a.meta - dp == 1 { 10 } else { 100 };
    let (q, r, half) = (mag / div, mag % div, div / 2);
    let up = match strategy {
        RoundingStrategy::MidpointNearestEven | RoundingStrategy::BankersRounding => {
            r > half || (r == half && q & 1 == 1)
        }
        RoundingStrategy::MidpointAwayFromZero | RoundingStrategy::RoundHalfUp => r >= half,
        RoundingStrategy::MidpointTowardZero | RoundingStrategy::RoundHalfDown => r > half,
        RoundingStrategy::AwayFromZero | RoundingStrategy::RoundUp => r != 0,
        RoundingStrategy::ToPositiveInfinity => !neg && r != 0,
        RoundingStrategy::ToNegativeInfinity => neg && r != 0,
        RoundingStrategy::ToZero | RoundingStrategy::RoundDown => false,
    };
    let q = i64::try_from(q + u64::from(up)).ok()?;
    let cents = q.checked_mul(CENTS_PER[dp as usize])?;
    Some(Amount::cents_scaled(if neg { -cents } else { cents }, dp))
}

impl Default for Amount {
    #[inline]
    fn default() -> Self {
        Amount::ZERO
    }
}

impl From<Decimal> for Amount {
    #[inline]
    fn from(d: Decimal) -> Self {
        Amount::from_decimal(d)
    }
}

impl From<Amount> for Decimal {
    #[inline]
    fn from(a: Amount) -> Self {
        a.to_decimal()
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Amount {
            #[inline]
            fn from(n: $t) -> Self {
                Amount::from_decimal(Decimal::from(n))
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl PartialEq for Amount {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        match both_cents(*self, *other) {
            Some((x, y, _)) => x == y,
            None => slow_cmp(*self, *other) == Ordering::Equal,
        }
    }
}

impl Eq for Amount {}

impl PartialOrd for Amount {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Amount {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        match both_cents(*self, *other) {
            Some((x, y, _)) => x.cmp(&y),
            None => slow_cmp(*self, *other),
        }
    }
}

impl Hash for Amount {
    /// By value: whole cents hash as their `i64` whatever the form or scale.
    fn hash<H: Hasher>(&self, state: &mut H) {
        if let Some(c) = self.cents_form() {
            return c.hash(state);
        }
        let n = Amount::from_decimal(self.to_decimal().normalize());
        match n.cents_form() {
            Some(c) => c.hash(state),
            None if n.is_zero() => 0i64.hash(state),
            None => n.to_decimal().hash(state),
        }
    }
}

impl PartialEq<Decimal> for Amount {
    fn eq(&self, other: &Decimal) -> bool {
        self.to_decimal() == *other
    }
}

impl PartialEq<Amount> for Decimal {
    fn eq(&self, other: &Amount) -> bool {
        *self == other.to_decimal()
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_decimal(), f)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_decimal(), f)
    }
}

impl FromStr for Amount {
    type Err = rust_decimal::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::from_str(s).map(Amount::from_decimal)
    }
}

impl Serialize for Amount {
    /// As `Decimal` serialises: its text, as a string.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Serialize::serialize(&self.to_decimal(), s)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <Decimal as Deserialize>::deserialize(d).map(Amount::from_decimal)
    }
}

impl Add for Amount {
    type Output = Amount;
    #[inline]
    fn add(self, other: Amount) -> Amount {
        match fast_add(self, other) {
            Some(r) => r,
            None => slow(self, other, |a, b| a + b),
        }
    }
}

impl Sub for Amount {
    type Output = Amount;
    #[inline]
    fn sub(self, other: Amount) -> Amount {
        match fast_sub(self, other) {
            Some(r) => r,
            None => slow(self, other, |a, b| a - b),
        }
    }
}

impl Mul for Amount {
    type Output = Amount;
    #[inline]
    fn mul(self, other: Amount) -> Amount {
        match fast_mul(self, other) {
            Some(r) => r,
            None => slow(self, other, |a, b| a * b),
        }
    }
}

impl Div for Amount {
    type Output = Amount;
    fn div(self, other: Amount) -> Amount {
        Amount::from_decimal(self.to_decimal() / other.to_decimal())
    }
}

impl Rem for Amount {
    type Output = Amount;
    fn rem(self, other: Amount) -> Amount {
        Amount::from_decimal(self.to_decimal() % other.to_decimal())
    }
}

impl Neg for Amount {
    type Output = Amount;
    /// Like `Decimal`: flips the sign, so `-0` is a negative zero.
    #[inline]
    fn neg(self) -> Amount {
        match self.cents_form() {
            Some(c) if c != 0 && c != i64::MIN => Amount::cents_scaled(-c, self.meta),
            _ => self.via(|d| -d),
        }
    }
}

impl AddAssign for Amount {
    #[inline]
    fn add_assign(&mut self, other: Amount) {
        *self = *self + other;
    }
}

impl SubAssign for Amount {
    #[inline]
    fn sub_assign(&mut self, other: Amount) {
        *self = *self - other;
    }
}

impl MulAssign for Amount {
    #[inline]
    fn mul_assign(&mut self, other: Amount) {
        *self = *self * other;
    }
}

impl DivAssign for Amount {
    fn div_assign(&mut self, other: Amount) {
        *self = *self / other;
    }
}

impl Sum for Amount {
    /// From `0`, adding in order, like `Decimal`'s.
    #[inline]
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Self {
        iter.fold(Amount::ZERO, |acc, v| acc + v)
    }
}

impl<'a> Sum<&'a Amount> for Amount {
    #[inline]
    fn sum<I: Iterator<Item = &'a Amount>>(iter: I) -> Self {
        iter.fold(Amount::ZERO, |acc, v| acc + *v)
    }
}

/// The operators on references, as `Decimal` has them.
macro_rules! by_ref {
    ($($tr:ident $f:ident),*) => {$(
        impl $tr<&Amount> for Amount {
            type Output = Amount;
            #[inline]
            fn $f(self, other: &Amount) -> Amount {
                $tr::$f(self, *other)
            }
        }
        impl $tr<Amount> for &Amount {
            type Output = Amount;
            #[inline]
            fn $f(self, other: Amount) -> Amount {
                $tr::$f(*self, other)
            }
        }
        impl $tr<&Amount> for &Amount {
            type Output = Amount;
            #[inline]
            fn $f(self, other: &Amount) -> Amount {
                $tr::$f(*self, *other)
            }
        }
    )*};
}
by_ref!(Add add, Sub sub, Mul mul, Div div, Rem rem);

impl Neg for &Amount {
    type Output = Amount;
    #[inline]
    fn neg(self) -> Amount {
        -*self
    }
}

impl AddAssign<&Amount> for Amount {
    #[inline]
    fn add_assign(&mut self, other: &Amount) {
        *self = *self + *other;
    }
}

impl SubAssign<&Amount> for Amount {
    #[inline]
    fn sub_assign(&mut self, other: &Amount) {
        *self = *self - *other;
    }
}

/// An [`Amount`] literal, read at compile time like `rust_decimal`'s `dec!`: `amt!(1250.50)`,
/// `amt!(-5)`, `amt!(0.0375)`.
#[macro_export]
macro_rules! amt {
    ($($t:tt)+) => {
        const { $crate::amount::Amount::lit(stringify!($($t)+)) }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::hash_map::DefaultHasher;

    /// The exact `Decimal` an `Amount` stands for, as raw bits: value, scale and sign of zero.
    fn bits(a: Amount) -> [u8; 16] {
        a.to_decimal().serialize()
    }

    fn same(a: Amount, d: Decimal, what: &str) {
        assert_eq!(bits(a), d.serialize(), "{what}: {a} vs {d}");
        assert_eq!(a.to_string(), d.to_string(), "{what}");
        // Canonical: the form is a function of the Decimal.
        let c = Amount::from_decimal(d);
        assert_eq!((a.lo, a.hi, a.meta), (c.lo, c.hi, c.meta), "{what}: form");
    }

    fn hash_of(a: Amount) -> u64 {
        let mut h = DefaultHasher::new();
        a.hash(&mut h);
        h.finish()
    }

    fn dec(m: i128, scale: u32) -> Decimal {
        Decimal::from_i128_with_scale(m, scale)
    }

    #[test]
    fn forms() {
        assert_eq!(Amount::lit("5.50").whole_cents(), Some(550));
        assert_eq!(Amount::lit("5.5").scale(), 1);
        assert_eq!(Amount::lit("5.500").whole_cents(), None);
        assert_eq!(Amount::lit("5.500"), Amount::lit("5.5"));
        assert_eq!(hash_of(Amount::lit("5.500")), hash_of(Amount::lit("5.5")));
        assert_eq!(crate::amt!(-12.50).to_string(), "-12.50");
        assert_eq!(crate::amt!(0.0375).to_string(), "0.0375");
        assert_eq!(crate::amt!(1_000), Amount::from(1000));
        assert_eq!(Amount::MAX.to_decimal(), Decimal::MAX);
        assert_eq!(Amount::ONE_HUNDRED.to_decimal().to_string(), "100");
        assert_eq!(Amount::from_cents(-1).to_string(), "-0.01");
        assert_eq!(Amount::from_cents_scaled(15, 1), None);
        let negative_zero = -Amount::lit("0.00");
        assert_eq!(negative_zero.to_string(), "-0.00");
        assert!(negative_zero.is_zero() && negative_zero == Amount::ZERO);
        assert_eq!(hash_of(negative_zero), hash_of(Amount::ZERO));
        assert_eq!(std::mem::size_of::<Amount>(), 16);
    }

    #[test]
    fn serde_as_decimal() {
        for s in [
            "5.5",
            "5.50",
            "-0.001",
            "123456789012345678901234.5",
            "0",
            "-7",
        ] {
            let d: Decimal = s.parse().unwrap_or_default();
            let a = Amount::from(d);
            assert_eq!(
                serde_json::to_string(&a).ok(),
                serde_json::to_string(&d).ok()
            );
            let back: Option<Amount> = serde_json::from_str(&format!("\"{s}\"")).ok();
            assert_eq!(back.map(bits), Some(d.serialize()));
            assert_eq!(s.parse::<Amount>().map(bits), Ok(d.serialize()));
        }
    }

    /// Decimals of every kind the engine meets: whole cents written with 0–2 decimals
    /// (small, and near the i64 limits), zeros and negative zeros, and any Decimal.
    fn any_decimal() -> impl Strategy<Value = Decimal> {
        let cents_near_limits = prop_oneof![
            (i64::MAX - 1000)..=i64::MAX,
            i64::MIN..=(i64::MIN + 1000),
            (i64::MAX / 100 - 1000)..=(i64::MAX / 100 + 1000),
            (i64::MIN / 100 - 1000)..=(i64::MIN / 100 + 1000),
            any::<i64>(),
        ];
        prop_oneof![
            4 => (-10_000_000_000_000i64..10_000_000_000_000, 0u32..=2)
                .prop_map(|(m, s)| dec(m.into(), s)),
            2 => (-1000i64..1000, 0u32..=2).prop_map(|(m, s)| dec(m.into(), s)),
            2 => (cents_near_limits, 0u32..=2).prop_map(|(m, s)| dec(m.into(), s)),
            1 => (0u32..=28, any::<bool>()).prop_map(|(s, neg)| {
                let mut z = dec(0, s);
                z.set_sign_negative(neg);
                z
            }),
            2 => (any::<i64>(), 0u32..=28).prop_map(|(m, s)| dec(m.into(), s)),
            1 => (any::<u128>(), any::<bool>(), 0u32..=28).prop_map(|(m, neg, s)| {
                let m = i128::try_from(m >> 32).unwrap_or(0);
                dec(if neg { -m } else { m }, s)
            }),
        ]
    }

    type DecimalOp = fn(Decimal, Decimal) -> Option<Decimal>;

    fn binary(x: Decimal, y: Decimal) {
        let (a, b) = (Amount::from(x), Amount::from(y));
        same(a, x, "from");
        assert_eq!(a.cmp(&b), x.cmp(&y), "cmp {x} {y}");
        assert_eq!(a == b, x == y, "eq {x} {y}");
        if a == b {
            assert_eq!(hash_of(a), hash_of(b), "hash {x} {y}");
        }
        same(a.max(b), x.max(y), "max");
        same(a.min(b), x.min(y), "min");
        let ops: [(&str, DecimalOp); 5] = [
            ("add", Decimal::checked_add),
            ("sub", Decimal::checked_sub),
            ("mul", Decimal::checked_mul),
            ("div", Decimal::checked_div),
            ("rem", Decimal::checked_rem),
        ];
        let checked: [fn(Amount, Amount) -> Option<Amount>; 5] = [
            Amount::checked_add,
            Amount::checked_sub,
            Amount::checked_mul,
            Amount::checked_div,
            Amount::checked_rem,
        ];
        let plain: [fn(Amount, Amount) -> Amount; 5] = [
            |a, b| a + b,
            |a, b| a - b,
            |a, b| a * b,
            |a, b| a / b,
            |a, b| a % b,
        ];
        for (i, (name, op)) in ops.iter().enumerate() {
            let want = op(x, y);
            assert_eq!(
                checked[i](a, b).map(bits),
                want.map(|d| d.serialize()),
                "{name} {x} {y}"
            );
            if let Some(d) = want {
                same(plain[i](a, b), d, name);
            }
        }
        if let Some(d) = x.checked_add(y) {
            let mut s = a;
            s += b;
            same(s, d, "+=");
            same([a, b].iter().sum(), [x, y].iter().sum(), "sum");
        }
    }

    fn unary(x: Decimal, dp: u32) {
        let a = Amount::from(x);
        same(-a, -x, "neg");
        same(a.abs(), x.abs(), "abs");
        same(a.round_dp(dp), x.round_dp(dp), "round_dp");
        for st in [
            RoundingStrategy::MidpointAwayFromZero,
            RoundingStrategy::MidpointNearestEven,
            RoundingStrategy::MidpointTowardZero,
            RoundingStrategy::ToZero,
            RoundingStrategy::AwayFromZero,
            RoundingStrategy::ToPositiveInfinity,
            RoundingStrategy::ToNegativeInfinity,
        ] {
            same(
                a.round_dp_with_strategy(dp, st),
                x.round_dp_with_strategy(dp, st),
                "round",
            );
        }
        same(a.floor(), x.floor(), "floor");
        same(a.ceil(), x.ceil(), "ceil");
        same(a.trunc(), x.trunc(), "trunc");
        same(a.normalize(), x.normalize(), "normalize");
        assert_eq!(a.is_zero(), x.is_zero());
        assert_eq!(a.is_sign_negative(), x.is_sign_negative());
        assert_eq!(a.scale(), x.scale());
        assert_eq!(a.mantissa(), x.mantissa());
        assert_eq!(
            hash_of(a),
            hash_of(Amount::from(x.normalize())),
            "hash by value {x}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn every_operation_agrees_with_decimal(x in any_decimal(), y in any_decimal(), dp in 0u32..=4) {
            binary(x, y);
            binary(y, x);
            binary(x, x);
            unary(x, dp);
            // The same value at a larger scale: equal, same hash.
            if let Some(wider) = x.checked_mul(dec(1000, 3)) {
                binary(x, wider);
            }
        }
    }
}
