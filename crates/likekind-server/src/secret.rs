//! The secrets of a session: the cookie's name, how a token is kept at rest (hashed) and
//! how two secrets are compared (in constant time). Shared by the login (`auth`) and the
//! request extractors (`extract`), so neither has to reach into the other.

use sha2::{Digest, Sha256};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "likekind_session";

/// SHA-256 of a secret, lowercase hex: how session and API tokens are kept at rest.
pub fn hash_secret(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Compares secrets in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
