//! Pages kept drawn for the data revision ([`likekind_server::cache`]). A drawn page holds a
//! stand-in where the session's form token goes (in every form and the log-out button); the
//! token is put in for each request, so one person's two sessions each get their own.

use crate::session::Web;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

/// What a kept drawing holds in place of the session's form token: random for each server
/// process (from the standard library's randomly seeded hasher), so no text typed into an
/// exchange can be taken for it.
fn stand_in() -> &'static str {
    static STAND_IN: OnceLock<String> = OnceLock::new();
    STAND_IN.get_or_init(|| {
        let half = || RandomState::new().build_hasher().finish();
        format!("kept-form-token-{:016x}{:016x}", half(), half())
    })
}

/// The person as a kept drawing sees them: their own token replaced by the stand-in.
pub fn masked(w: &Web) -> Web {
    let mut m = w.clone();
    m.csrf = stand_in().to_string();
    m
}

/// A kept drawing with this session's form token put in (one copy, sized at once).
pub fn with_token(page: &str, token: &str) -> String {
    let s = stand_in();
    let n = page.matches(s).count();
    let mut out = String::with_capacity(page.len() + n * token.len());
    let mut rest = page;
    while let Some(i) = rest.find(s) {
        out.push_str(&rest[..i]);
        out.push_str(token);
        rest = &rest[i + s.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_goes_wherever_the_stand_in_is() {
        let s = stand_in();
        assert!(s.len() > 40, "long enough not to be typed by chance");
        let page = format!("<input value=\"{s}\"><p>x</p><input value=\"{s}\">");
        assert_eq!(
            with_token(&page, "tok"),
            "<input value=\"tok\"><p>x</p><input value=\"tok\">"
        );
        assert_eq!(with_token("no forms", "tok"), "no forms");
    }
}
