//! The certificates notifications trust: the usual public roots (Mozilla's, as shipped with
//! `webpki-roots`) plus, optionally, the certificates of a PEM file given with
//! `likekind serve --tls-ca-file` (`LIKEKIND_TLS_CA_FILE`): a company's own certificate
//! authority, or a mail server's self-signed certificate. Both the mail server's TLS
//! (STARTTLS or TLS from the start) and HTTPS webhooks use them. Certificates are always
//! verified (the host name included); there is no way to turn that off.

use std::path::Path;
use std::sync::Arc;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::pki_types::pem::PemObject;

/// Extra certificates to trust, as read from a PEM file.
#[derive(Debug, Clone, Default)]
pub struct ExtraRoots {
    /// The file's text (lettre reads it again for the mail server).
    pub pem: Vec<u8>,
    /// Its certificates.
    pub certs: Vec<CertificateDer<'static>>,
}

impl ExtraRoots {
    /// Reads the certificates of a PEM file.
    ///
    /// # Errors
    /// A file that cannot be read or holds no certificate, in words.
    pub fn load(path: &Path) -> Result<ExtraRoots, String> {
        let pem = std::fs::read(path).map_err(|e| {
            format!(
                "the certificate file {} cannot be read: {e}",
                path.display()
            )
        })?;
        let certs = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| {
                format!(
                    "the certificate file {} is not a PEM file of certificates (-----BEGIN CERTIFICATE-----)",
                    path.display()
                )
            })?;
        if certs.is_empty() {
            return Err(format!(
                "the certificate file {} holds no certificate (-----BEGIN CERTIFICATE-----)",
                path.display()
            ));
        }
        Ok(ExtraRoots { pem, certs })
    }
}

/// The TLS client configuration of HTTPS webhooks: public roots plus `extra`.
///
/// # Errors
/// A certificate rustls refuses as a root, or no TLS, in words.
pub fn client_config(extra: &ExtraRoots) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for c in &extra.certs {
        roots
            .add(c.clone())
            .map_err(|e| format!("a certificate of the certificate file cannot be trusted: {e}"))?;
    }
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map(|b| Arc::new(b.with_root_certificates(roots).with_no_client_auth()))
        .map_err(|e| format!("TLS is not available: {e}"))
}
