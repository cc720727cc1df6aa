//! Who is calling, read once per request. The request's credential (an API token, the
//! calendar feed's `?token=`, or the session cookie) is looked up by [`resolve`], in one
//! statement with the firm's time zone (the request's calendar day) and the data revision
//! (for the kept reads, [`crate::cache`]). The time-zone layer ([`crate::notify::zone::layer`])
//! resolves it before the handler; the extractors ([`crate::extract::Auth`], the web's
//! session) take it from the request instead of reading it again.

use crate::AppState;
use crate::secret::{SESSION_COOKIE, hash_secret};
use axum::http::{HeaderMap, Uri, header, request::Parts};
use likekind_store::{Caller, Result};

/// A credential as the request presents it: its hash, and whether it is an API token (else a
/// session).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub hash: String,
    pub token: bool,
}

impl Credential {
    /// An API token (the bearer header, or the calendar feed's `?token=`), as sent.
    pub fn token(raw: &str) -> Credential {
        Credential {
            hash: hash_secret(raw.trim()),
            token: true,
        }
    }

    /// A session cookie's value, as sent.
    pub fn session(raw: &str) -> Credential {
        Credential {
            hash: hash_secret(raw),
            token: false,
        }
    }
}

/// The caller read for a request's credential (`None`: unknown, expired or revoked).
#[derive(Debug, Clone)]
pub struct Resolved {
    pub credential: Credential,
    pub caller: Option<Caller>,
}

/// The credential that decides the request's calendar day: the calendar feed's `?token=`
/// (calendar applications cannot send headers), else a bearer token, else the session cookie.
pub fn credential(uri: &Uri, headers: &HeaderMap) -> Option<Credential> {
    if uri.path() == "/api/calendar.ics"
        && let Some(t) = feed_token(uri)
    {
        return Some(Credential::token(t));
    }
    if let Some(t) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(Credential::token(t));
    }
    cookie_in(headers, SESSION_COOKIE).map(Credential::session)
}

/// The `?token=` of a calendar feed's address.
pub fn feed_token(uri: &Uri) -> Option<&str> {
    uri.query()
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("token="))
}

/// A cookie's value, from the request's headers.
pub fn cookie_in<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Reads the caller of `c` from the store.
///
/// # Errors
/// A database failure.
pub async fn resolve(st: &AppState, c: Credential) -> Result<Resolved> {
    let caller = if c.token {
        st.store.token_user(&c.hash).await?
    } else {
        st.store
            .session_user(&c.hash, likekind_store::now_unix())
            .await?
    };
    Ok(Resolved {
        credential: c,
        caller,
    })
}

/// The caller of credential `c`: the one the request already resolved when it is for the same
/// credential, else read now (a request the layer did not see, or one whose extractor asks
/// for another credential than the layer chose).
///
/// # Errors
/// A database failure.
pub async fn caller_of(parts: &Parts, st: &AppState, c: Credential) -> Result<Option<Caller>> {
    if let Some(r) = parts.extensions.get::<Resolved>()
        && r.credential == c
    {
        return Ok(r.caller.clone());
    }
    Ok(resolve(st, c).await?.caller)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k.clone(), HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_credential_is_the_feeds_token_then_a_bearer_token_then_the_session() {
        let both = headers(&[
            (header::AUTHORIZATION, "Bearer lk_abc "),
            (header::COOKIE, "theme=dark; likekind_session=s1"),
        ]);
        let feed: Uri = "/api/calendar.ics?x=1&token=lk_feed".parse().unwrap();
        assert_eq!(credential(&feed, &both), Some(Credential::token("lk_feed")));
        let api: Uri = "/api/alerts?token=lk_feed".parse().unwrap();
        assert_eq!(
            credential(&api, &both),
            Some(Credential::token("lk_abc")),
            "?token= counts only for the calendar feed"
        );
        let cookie_only = headers(&[(header::COOKIE, "theme=dark; likekind_session=s1")]);
        assert_eq!(
            credential(&api, &cookie_only),
            Some(Credential::session("s1"))
        );
        assert_eq!(credential(&api, &HeaderMap::new()), None);
    }
}
