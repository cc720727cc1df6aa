//! E-mail over SMTP (lettre): plain text and HTML, the Message-ID from the delivery's id (so
//! a repeat after a crash is recognisably the same message), and one-click unsubscribe
//! (RFC 8058: `List-Unsubscribe` and `List-Unsubscribe-Post`).

use super::message::{Message, esc};
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// An SMTP connection configuration.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

/// Reads an SMTP URL: `smtp://` (no TLS), `smtp://...?tls=required` or `starttls://`
/// (STARTTLS), `smtps://` (TLS from the start); user and password in the URL.
///
/// # Errors
/// A URL lettre does not accept, in words.
pub fn transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    transport_trusting(url, None)
}

/// The host of an SMTP URL (no user, password or port).
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |x| x.1);
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |x| x.1);
    match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    }
}

/// [`transport`], trusting the certificates of `extra` (a PEM file's text) besides the
/// public roots when the URL asks for TLS. The certificate is always verified.
///
/// # Errors
/// A URL lettre does not accept, or certificates it cannot read, in words.
pub fn transport_trusting(
    url: &str,
    extra: Option<&[u8]>,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let url = match url.strip_prefix("starttls://") {
        Some(rest) => {
            let sep = if rest.contains('?') { '&' } else { '?' };
            format!("smtp://{rest}{sep}tls=required")
        }
        None => url.to_string(),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url).map_err(|e| {
        format!("the SMTP URL is not one such as smtp://user:password@host:25, starttls://user:password@host:587 or smtps://user:password@host:465 ({e})")
    })?;
    if let Some(pem) = extra {
        use tokio_rustls::rustls::pki_types::CertificateDer;
        use tokio_rustls::rustls::pki_types::pem::PemObject;
        if !CertificateDer::pem_slice_iter(pem).any(|c| c.is_ok()) {
            return Err(
                "the certificate file holds no certificate (-----BEGIN CERTIFICATE-----)".into(),
            );
        }
        let query = url.split_once('?').map_or("", |x| x.1);
        let has = |kv: &str| query.split('&').any(|q| q == kv);
        let params = || {
            let cert = Certificate::from_pem(pem)
                .map_err(|e| format!("the certificate file cannot be read: {e}"))?;
            TlsParameters::builder(host_of(&url).to_string())
                .add_root_certificate(cert)
                .build()
                .map_err(|e| format!("TLS for the mail server cannot be set up: {e}"))
        };
        if url.starts_with("smtps://") {
            builder = builder.tls(Tls::Wrapper(params()?));
        } else if has("tls=required") {
            builder = builder.tls(Tls::Required(params()?));
        } else if has("tls=opportunistic") {
            builder = builder.tls(Tls::Opportunistic(params()?));
        }
    }
    Ok(builder
        .timeout(Some(std::time::Duration::from_secs(30)))
        .build())
}

impl Mailer {
    /// A mailer for `url` sending from `from` (`Name <address>`).
    ///
    /// # Errors
    /// A bad URL or From address, in words.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        Mailer::trusting(url, from, None)
    }

    /// [`Mailer::new`], trusting the certificates of `extra` (a PEM file's text) besides the
    /// public roots.
    ///
    /// # Errors
    /// A bad URL, From address or certificate file, in words.
    pub fn trusting(url: &str, from: &str, extra: Option<&[u8]>) -> Result<Mailer, String> {
        Ok(Mailer {
            transport: transport_trusting(url, extra)?,
            from: from.parse().map_err(|_| {
                format!("{from:?} is not an e-mail address such as likekind <noreply@example.com>")
            })?,
        })
    }

    /// The From address.
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// Sends one e-mail.
    ///
    /// # Errors
    /// What the server answered, in words.
    pub async fn send(&self, m: lettre::Message) -> Result<(), String> {
        self.transport
            .send(m)
            .await
            .map(|_| ())
            .map_err(|e| format!("the mail server refused or could not be reached: {e}"))
    }
}

#[derive(Clone)]
struct ListUnsubscribe(String);
impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[derive(Clone)]
struct ListUnsubscribePost;
impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}

/// What one e-mail says: one or more notifications (a daily digest has several).
pub struct Mail<'a> {
    pub to_address: &'a str,
    pub to_name: &'a str,
    pub subject: String,
    pub items: &'a [Message],
    /// The Message-ID's local part (the delivery id).
    pub id: &'a str,
    /// The domain of the Message-ID.
    pub domain: &'a str,
    /// (one-click POST URL, page URL).
    pub unsubscribe: (String, String),
}

/// Builds the e-mail.
///
/// # Errors
/// An address lettre refuses, in words.
pub fn build(from: &Mailbox, m: &Mail<'_>) -> Result<lettre::Message, String> {
    let to: Mailbox = format!(
        "{} <{}>",
        m.to_name.replace(['<', '>', '"'], ""),
        m.to_address
    )
    .parse()
    .or_else(|_| m.to_address.parse())
    .map_err(|_| format!("{:?} is not an e-mail address", m.to_address))?;
    let mut text = String::new();
    let mut html = String::from(
        "<!doctype html><html><body style=\"font-family: sans-serif; line-height: 1.4\">",
    );
    for it in m.items {
        text.push_str(&format!(
            "{}\n\n{}\n\nWhat to do: {}\n\n{}: {}\n\n",
            it.subject, it.what, it.todo, it.link_words, it.link
        ));
        html.push_str(&format!(
            "<h2 style=\"font-size: 1.1em\">{}</h2><p>{}</p><p><strong>What to do:</strong> {}</p><p><a href=\"{}\">{}</a></p>",
            esc(&it.subject),
            esc(&it.what),
            esc(&it.todo),
            esc(&it.link),
            esc(&it.link_words)
        ));
    }
    text.push_str(&format!(
        "-- \nYou receive this because of your notification settings. To stop these e-mails, open {}\n",
        m.unsubscribe.1
    ));
    html.push_str(&format!(
        "<hr><p style=\"font-size: 0.85em; color: #555\">You receive this because of your notification settings. <a href=\"{}\">Unsubscribe</a></p></body></html>",
        esc(&m.unsubscribe.1)
    ));
    lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.subject.clone())
        .message_id(Some(format!("<{}@{}>", m.id, m.domain)))
        .date(std::time::SystemTime::now())
        .header(ListUnsubscribe(format!("<{}>", m.unsubscribe.0)))
        .header(ListUnsubscribePost)
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| format!("the e-mail could not be built: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_of_an_smtp_url() {
        assert_eq!(
            host_of("smtps://u:p@mail.example.com:465"),
            "mail.example.com"
        );
        assert_eq!(host_of("smtp://127.0.0.1:25?tls=required"), "127.0.0.1");
        assert_eq!(host_of("smtp://u:p%40x@[::1]:587/ehlo"), "::1");
        assert_eq!(host_of("smtp://mail.example.com"), "mail.example.com");
    }

    #[test]
    fn extra_roots_need_a_certificate() {
        assert!(transport_trusting("smtps://127.0.0.1:465", Some(b"no pem here")).is_err());
        assert!(transport_trusting("smtp://127.0.0.1:25", None).is_ok());
    }
}
