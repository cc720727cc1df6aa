//! The word-valued fields of the exchange file (`entity`, `use`, `type`, `interest`…) read as
//! people write them.
//!
//! The contract's spelling is snake_case (`s_corporation`) and is always what is written
//! back; the pages, the forms and the errors say the same values in words ("s corporation").
//! So a value is also accepted in any case and with a space or a hyphen where the contract
//! has an underscore ("S corporation", "S-Corporation", "Individual"): a value said in words
//! and typed back must not be refused. Nothing else is guessed (no abbreviations, no
//! synonyms): a value that is none of these is an error listing the allowed values in words.
//!
//! The contract's own spelling is matched first, as a plain string comparison, so a file
//! written as the contract has it pays nothing more than before (parse speed is benchmarked),
//! and no spelling allocates.

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// True when `typed` is `canonical` (lower-case snake_case) in any letter case, with a space
/// or a hyphen for any underscore, and with spaces around it ignored.
pub fn same_word(typed: &str, canonical: &str) -> bool {
    let typed = typed.trim();
    typed.len() == canonical.len()
        && typed
            .bytes()
            .zip(canonical.bytes())
            .all(|(t, c)| t.to_ascii_lowercase() == c || (c == b'_' && (t == b' ' || t == b'-')))
}

/// The value among `words` (canonical spelling, value) that `typed` names, if any: the exact
/// spelling first, then [`same_word`].
pub fn find<T: Copy>(typed: &str, words: &[(&str, T)]) -> Option<T> {
    words
        .iter()
        .find(|(w, _)| *w == typed)
        .or_else(|| words.iter().find(|(w, _)| same_word(typed, w)))
        .map(|(_, v)| *v)
}

/// The allowed values in words, as serde lists a variant's ("`a`", "`a` or `b`", "one of `a`,
/// `b`, `c`"), so the input's error reading ([`crate::words`]) says them as any list.
pub fn allowed(words: &[&str]) -> String {
    let said: Vec<String> = words
        .iter()
        .map(|w| format!("`{}`", w.replace('_', " ")))
        .collect();
    match said.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        all => format!("one of {}", all.join(", ")),
    }
}

/// Reads one word-valued field with [`find`]; anything else is the error serde gives an
/// unknown variant ("unknown variant `x`, expected …", which the input's errors classify as
/// `allowed_values`), with the allowed values listed in words.
///
/// # Errors
/// A value that is not a string, or a string that names none of `words`.
pub fn deserialize<'de, D: Deserializer<'de>, T: Copy>(
    d: D,
    words: &'static [(&'static str, T)],
) -> Result<T, D::Error> {
    d.deserialize_str(Words(words))
}

struct Words<T: 'static>(&'static [(&'static str, T)]);

impl<T: Copy> Visitor<'_> for Words<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.iter().map(|(w, _)| *w).collect();
        write!(f, "{}", allowed(&names))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        find(v, self.0).ok_or_else(|| {
            let names: Vec<&str> = self.0.iter().map(|(w, _)| *w).collect();
            E::custom(format_args!(
                "unknown variant `{v}`, expected {}",
                allowed(&names)
            ))
        })
    }
}

/// `impl Deserialize` for a word-valued enum of the exchange file, from its variants and
/// their contract spellings (the same as its `#[serde(rename_all = "snake_case")]`
/// serialisation, which a unit test checks).
macro_rules! words_enum {
    ($ty:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value with its spelling in the exchange file.
            pub const WORDS: &'static [(&'static str, $ty)] = &[$(($word, $ty::$variant)),+];
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::spelling::deserialize(d, $ty::WORDS)
            }
        }
    };
}
pub(crate) use words_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_as_people_write_them() {
        for typed in [
            "s_corporation",
            "s corporation",
            "S corporation",
            "S-Corporation",
            "S_CORPORATION",
            " s corporation ",
        ] {
            assert!(same_word(typed, "s_corporation"), "{typed:?}");
        }
        for typed in [
            "scorporation",
            "s  corporation",
            "s.corporation",
            "s corp",
            "",
            "s_corporations",
        ] {
            assert!(!same_word(typed, "s_corporation"), "{typed:?}");
        }
        // A non-ASCII letter is never equal to an ASCII one (no case folding past ASCII).
        assert!(!same_word("ínvestment", "investment"));
        let words = [("fee", 1), ("tic", 2)];
        assert_eq!(find("TIC", &words), Some(2));
        assert_eq!(find("fees", &words), None);
    }

    #[test]
    fn allowed_values_in_words() {
        assert_eq!(allowed(&["fee"]), "`fee`");
        assert_eq!(
            allowed(&["taxpayer", "related_party"]),
            "`taxpayer` or `related party`"
        );
        assert_eq!(allowed(&["a", "b_c", "d"]), "one of `a`, `b c`, `d`");
    }
}
