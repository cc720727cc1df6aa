//! Notifications (issue 15): e-mail and signed webhooks from the durable outbox the store
//! keeps (`likekind_store::outbox`), reminders on the firm's own calendar day.
//!
//! - [`zone`]: the firm's time zone, and "today" on its calendar for every request.
//! - [`schedule`]: the reminder scheduler (deadline lead times, idle funds, the related-party
//!   and Opportunity Zone windows), enqueueing with idempotency keys.
//! - [`worker`]: the delivery worker `likekind serve` runs (claim with a lease, deliver, mark
//!   delivered; exponential backoff for the retry window, then dead-letter).
//! - [`email`] (SMTP with lettre), [`webhook`] (HMAC-SHA256 signed JSON over HTTP(S)),
//!   [`message`] (the words of each notification) and [`api`] (the HTTP operations).

pub mod api;
pub mod email;
pub mod message;
pub mod schedule;
pub mod tls;
pub mod webhook;
pub mod worker;
pub mod zone;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

/// How the notification worker runs. [`Settings::default`] is for production.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `smtp://user:pass@host:port` (plain), `smtp://...?tls=required` or
    /// `starttls://user:pass@host:port` (STARTTLS), `smtps://user:pass@host:port` (TLS);
    /// `None`: e-mails wait (and are dead-lettered after the retry window).
    pub smtp_url: Option<String>,
    /// The From address of e-mails.
    pub mail_from: String,
    /// The address people open links at, e.g. `https://qi.example.com` (no trailing slash).
    pub public_url: String,
    /// First retry delay; each next one doubles (up to `backoff_max`).
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// How long a delivery is retried before it is dead-lettered.
    pub retry_window: Duration,
    /// How long a claimed delivery is held by its worker before another may take it.
    pub lease: Duration,
    /// How often the worker looks for work when idle.
    pub poll: Duration,
    /// How often the reminder scheduler runs.
    pub schedule_every: Duration,
    /// The time of day daily digests go out, on each firm's calendar (07:00).
    pub digest_time: jiff::civil::Time,
    /// A PEM file of certificates to trust besides the usual public roots, for the mail
    /// server's TLS and HTTPS webhooks (e.g. a company's own certificate authority).
    pub tls_ca_file: Option<std::path::PathBuf>,
    /// Deliveries claimed at once.
    pub batch: i64,
    /// Time allowed for one delivery (connect, send, answer).
    pub send_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            smtp_url: None,
            mail_from: "likekind <noreply@localhost>".into(),
            public_url: "http://127.0.0.1:8031".into(),
            backoff_base: Duration::from_secs(30),
            backoff_max: Duration::from_secs(3600),
            retry_window: Duration::from_secs(24 * 3600),
            lease: Duration::from_secs(120),
            poll: Duration::from_secs(2),
            schedule_every: Duration::from_secs(600),
            digest_time: likekind_store::outbox::DIGEST_TIME,
            tls_ca_file: None,
            batch: 20,
            send_timeout: Duration::from_secs(30),
        }
    }
}

/// HMAC-SHA256 of `msg` under `key`, lowercase hex.
pub fn hmac_hex(key: &[u8], msg: &[u8]) -> String {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(msg);
            crate::auth::hex(&m.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// The name under which the unsubscribe-link key is kept in the database.
pub const UNSUBSCRIBE_KEY: &str = "unsubscribe_hmac";

/// The key that signs unsubscribe links, shared by every server process (made once).
///
/// # Errors
/// A database failure, or no randomness.
pub async fn unsubscribe_key(store: &likekind_store::Store) -> crate::error::ApiResult<String> {
    let fresh = crate::auth::random_secret()?;
    Ok(store.server_secret(UNSUBSCRIBE_KEY, &fresh).await?)
}

/// The signature of an unsubscribe link for `user_id` and `event` (`all` or an event kind).
pub fn unsubscribe_sig(key: &str, user_id: &str, event: &str) -> String {
    hmac_hex(
        key.as_bytes(),
        format!("unsubscribe:{user_id}:{event}").as_bytes(),
    )
}

/// The one-click unsubscribe URL (RFC 8058) and the page people open from the e-mail.
pub fn unsubscribe_urls(
    public_url: &str,
    key: &str,
    user_id: &str,
    event: &str,
) -> (String, String) {
    let q = format!(
        "user={user_id}&event={event}&sig={}",
        unsubscribe_sig(key, user_id, event)
    );
    (
        format!("{public_url}/api/notifications/unsubscribe?{q}"),
        format!("{public_url}/notifications/unsubscribe?{q}"),
    )
}

/// The next attempt after `attempts` failed ones (unix ms), or `None` when the retry window
/// (from `created_ms`) would be over: exponential backoff from `base`, at most `max`.
pub fn next_attempt(s: &Settings, attempts: i64, created_ms: i64, now_ms: i64) -> Option<i64> {
    let base = i64::try_from(s.backoff_base.as_millis()).unwrap_or(i64::MAX);
    let max = i64::try_from(s.backoff_max.as_millis()).unwrap_or(i64::MAX);
    let shift = u32::try_from((attempts - 1).clamp(0, 40)).unwrap_or(40);
    let delay = base.saturating_mul(1i64 << shift).min(max);
    let next = now_ms.saturating_add(delay);
    let window = i64::try_from(s.retry_window.as_millis()).unwrap_or(i64::MAX);
    (next <= created_ms.saturating_add(window)).then_some(next)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        assert_eq!(
            hmac_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn backoff_doubles_then_dead_letters_after_the_window() {
        let s = Settings {
            backoff_base: Duration::from_secs(30),
            backoff_max: Duration::from_secs(3600),
            retry_window: Duration::from_secs(24 * 3600),
            ..Settings::default()
        };
        assert_eq!(next_attempt(&s, 1, 0, 0), Some(30_000));
        assert_eq!(next_attempt(&s, 2, 0, 0), Some(60_000));
        assert_eq!(next_attempt(&s, 3, 0, 0), Some(120_000));
        assert_eq!(next_attempt(&s, 30, 0, 0), Some(3_600_000));
        let day = 24 * 3600 * 1000;
        assert_eq!(next_attempt(&s, 30, 0, day - 3_600_000), Some(day));
        assert_eq!(next_attempt(&s, 30, 0, day - 3_599_999), None);
    }
}
