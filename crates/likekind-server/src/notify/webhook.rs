//! Webhooks: a JSON POST to each of the firm's endpoints, signed with the endpoint's secret.
//!
//! Headers: `Likekind-Webhook-Id` (the delivery's id: the same on every retry, so a
//! receiver can drop repeats), `Likekind-Webhook-Timestamp` (unix seconds) and
//! `Likekind-Webhook-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`.
//! Any 2xx answer is a delivery; anything else (or no answer in time) is retried.

use axum::body::Bytes;
use axum::http::{Request, Uri, header};
use http_body_util::Full;
use hyper_util::rt::TokioIo;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;

/// The id header.
pub const ID_HEADER: &str = "likekind-webhook-id";
/// The timestamp header.
pub const TIMESTAMP_HEADER: &str = "likekind-webhook-timestamp";
/// The signature header.
pub const SIGNATURE_HEADER: &str = "likekind-webhook-signature";

/// The signature header's value for `body` sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut msg = format!("{timestamp}.").into_bytes();
    msg.extend_from_slice(body);
    format!("v1={}", super::hmac_hex(secret.as_bytes(), &msg))
}

/// Checks a webhook URL: `http://` or `https://` with a host.
///
/// # Errors
/// What is wrong, in words.
pub fn check_url(url: &str) -> Result<Uri, String> {
    let bad = || format!("{url:?} is not a web address such as https://example.com/hooks/likekind");
    let uri: Uri = url.parse().map_err(|_| bad())?;
    match (uri.scheme_str(), uri.host()) {
        (Some("http" | "https"), Some(h)) if !h.is_empty() => Ok(uri),
        _ => Err(bad()),
    }
}

async fn send<T>(io: T, req: Request<Full<Bytes>>) -> Result<u16, String>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| format!("the endpoint did not speak HTTP: {e}"))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let resp = sender
        .send_request(req)
        .await
        .map_err(|e| format!("the endpoint did not answer: {e}"))?;
    Ok(resp.status().as_u16())
}

/// POSTs `body` to `url`, signed; `Ok` on a 2xx answer. HTTPS is verified against `tls`
/// ([`super::tls::client_config`]).
///
/// # Errors
/// No connection, no answer in `timeout`, or a status other than 2xx, in words.
pub async fn post(
    url: &str,
    secret: &str,
    id: &str,
    body: Vec<u8>,
    timeout: Duration,
    tls: &Arc<tokio_rustls::rustls::ClientConfig>,
) -> Result<(), String> {
    let uri = check_url(url)?;
    let https = uri.scheme_str() == Some("https");
    let host = uri.host().unwrap_or("").to_string();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let ts = jiff::Timestamp::now().as_second();
    let path = uri
        .path_and_query()
        .map_or("/".to_string(), |p| p.as_str().to_string());
    let host_header = match uri.port_u16() {
        Some(p) => format!("{host}:{p}"),
        None => host.clone(),
    };
    let req = Request::post(path)
        .header(header::HOST, host_header)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::USER_AGENT, "likekind-webhooks/1")
        .header(ID_HEADER, id)
        .header(TIMESTAMP_HEADER, ts.to_string())
        .header(SIGNATURE_HEADER, signature(secret, ts, &body))
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| format!("the request could not be built: {e}"))?;
    let work = async {
        let tcp = TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| format!("could not connect to {host}:{port}: {e}"))?;
        if https {
            let name = tokio_rustls::rustls::pki_types::ServerName::try_from(host.clone())
                .map_err(|_| format!("{host} is not a host name"))?;
            let tls = tokio_rustls::TlsConnector::from(Arc::clone(tls))
                .connect(name, tcp)
                .await
                .map_err(|e| format!("TLS with {host} failed: {e}"))?;
            send(tls, req).await
        } else {
            send(tcp, req).await
        }
    };
    let status = tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| format!("no answer within {} seconds", timeout.as_secs()))??;
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(format!("the endpoint answered HTTP {status}"))
    }
}
