//! A property's id as the exchange file gives it (`id = "oak"`).
//!
//! An analysis names each property a dozen times (its closing, its identification verdict, its
//! basis, its state…), so the id is cheap to copy: a short id (up to 15 bytes, as most are)
//! is held inline and copied as a value, a longer one is shared behind a reference count
//! (ecow's `EcoString`); neither allocates. It reads, compares, prints and serializes as the
//! text it holds.

use ecow::EcoString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

/// The text of a property's id, shared between the file and every report part naming it.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Id(EcoString);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// As the text, padded and aligned as a `str` would be (`{:<12}`).
impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// As the text itself (`"oak"`), as a `String` would print.
impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Id {
        Id(EcoString::from(s))
    }
}

impl From<String> for Id {
    fn from(s: String) -> Id {
        Id(EcoString::from(s))
    }
}

impl From<&String> for Id {
    fn from(s: &String) -> Id {
        Id(EcoString::from(s.as_str()))
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0.to_string()
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Id> for str {
    fn eq(&self, other: &Id) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Id> for &str {
    fn eq(&self, other: &Id) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Id> for String {
    fn eq(&self, other: &Id) -> bool {
        **self == *other.0
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Id, E> {
                Ok(Id::from(s))
            }
        }
        d.deserialize_str(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_prints_and_serializes_as_its_text() {
        let id: Id = serde_json::from_str(r#""oak""#).unwrap();
        assert_eq!(id, "oak");
        assert_eq!(id.to_string(), "oak");
        assert_eq!(format!("{id:?}"), format!("{:?}", "oak"));
        assert_eq!(format!("[{id:>5}|{id:<5}|{id:.2}]"), "[  oak|oak  |oa]");
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""oak""#);
        let long = Id::from("a property id longer than fifteen bytes");
        assert_eq!(long.clone(), long);
        assert_eq!(long.to_string(), "a property id longer than fifteen bytes");
        assert!(serde_json::from_str::<Id>("3").is_err());
    }
}
