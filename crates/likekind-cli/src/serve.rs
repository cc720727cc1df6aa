//! `likekind serve`: the tracker server (HTTP JSON API; OpenAPI at `/openapi.json`).
//!
//! With no `--db` it opens (creating and migrating) an embedded SQLite file at
//! `$XDG_DATA_HOME/likekind/likekind.db`, else `$HOME/.local/share/likekind/likekind.db`,
//! else `./likekind-data/likekind.db`. `--db postgres://...` uses PostgreSQL, which several
//! server processes can share (the server keeps no state of its own).

use crate::UsageError;
use anyhow::Context;
use clap::Args as ClapArgs;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Database URL: sqlite://PATH or postgres://... (default: an embedded SQLite file in the
    /// per-user data directory).
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8031")]
    pub bind: String,
    /// Let anyone create a new firm with POST /api/signup (by default only the first firm of
    /// an empty database can be created that way).
    #[arg(long)]
    pub allow_signup: bool,
    /// Mark session cookies Secure (use behind an HTTPS proxy).
    #[arg(long)]
    pub secure_cookies: bool,
    /// The calendar of firms that set no time zone of their own: an IANA name such as
    /// America/Los_Angeles (default: $LIKEKIND_TIME_ZONE, else UTC).
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Where notification e-mails go out: smtp://user:pass@host:25, starttls://user:pass@host:587
    /// or smtps://user:pass@host:465 (default: $LIKEKIND_SMTP_URL; none: e-mails wait).
    #[arg(long, value_name = "URL")]
    pub smtp_url: Option<String>,
    /// The From address of notification e-mails (default: $LIKEKIND_MAIL_FROM, else
    /// "likekind <noreply@HOST>").
    #[arg(long, value_name = "ADDRESS")]
    pub mail_from: Option<String>,
    /// The address people open the tracker at, for links in e-mails and webhooks (default:
    /// $LIKEKIND_PUBLIC_URL, else http://BIND).
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// A PEM file of certificates to trust besides the usual public ones, for the mail
    /// server's TLS and HTTPS webhooks, e.g. your own certificate authority or a self-signed
    /// mail server (default: $LIKEKIND_TLS_CA_FILE). Certificates are always verified.
    #[arg(long, value_name = "FILE")]
    pub tls_ca_file: Option<PathBuf>,
    /// The time of day daily digests go out, on each firm's calendar, as HH:MM or HH:MM:SS.
    #[arg(long, value_name = "TIME", default_value = "07:00")]
    pub digest_time: String,
    #[command(flatten)]
    pub tuning: NotifyTuning,
}

/// Delivery timing (for tests and unusual deployments).
#[derive(ClapArgs, Debug)]
pub struct NotifyTuning {
    /// First retry delay of a failed delivery in milliseconds (doubles each time).
    #[arg(long, value_name = "MS", default_value_t = 30_000, hide = true)]
    pub notify_backoff_ms: u64,
    /// How long failed deliveries are retried before they are dead-lettered, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 86_400, hide = true)]
    pub notify_retry_secs: u64,
    /// How long a worker holds a claimed delivery, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 120_000, hide = true)]
    pub notify_lease_ms: u64,
    /// How often an idle worker looks for deliveries, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2_000, hide = true)]
    pub notify_poll_ms: u64,
    /// How often the reminder scheduler runs, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 600, hide = true)]
    pub notify_schedule_secs: u64,
}

fn env_or(flag: Option<String>, var: &str) -> Option<String> {
    flag.or_else(|| std::env::var(var).ok().filter(|v| !v.is_empty()))
}

/// The default SQLite file.
fn default_db_path() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".local/share"))
        });
    match base {
        Some(b) => b.join("likekind").join("likekind.db"),
        None => PathBuf::from("likekind-data").join("likekind.db"),
    }
}

pub(crate) fn redact(url: &str) -> String {
    // postgres://user:password@host/db → postgres://user:***@host/db
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((u, _)) => format!("{}{u}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The database URL of `--db`, or the default SQLite file (its folder created).
///
/// # Errors
/// A URL that is neither SQLite nor PostgreSQL, or a folder that cannot be created.
pub(crate) fn db_url(db: Option<&str>) -> anyhow::Result<String> {
    let url = match db {
        Some(u) => u.to_string(),
        None => {
            let path = default_db_path();
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            format!("sqlite://{}", path.display())
        }
    };
    if !(url.starts_with("sqlite:")
        || url.starts_with("postgres:")
        || url.starts_with("postgresql:"))
    {
        return Err(UsageError(format!(
            "--db {url:?}: use sqlite://PATH or postgres://USER@HOST/DB"
        ))
        .into());
    }
    Ok(url)
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let url = db_url(a.db.as_deref())?;
    let addr: std::net::SocketAddr = a.bind.parse().map_err(|_| {
        UsageError(format!(
            "--bind {:?} is not an address such as 127.0.0.1:8031",
            a.bind
        ))
    })?;
    let zone_name = env_or(a.time_zone.clone(), "LIKEKIND_TIME_ZONE");
    let time_zone = match &zone_name {
        Some(n) => likekind_server::notify::zone::parse(n)
            .map_err(|m| UsageError(format!("--time-zone: {m}")))?,
        None => jiff::tz::TimeZone::UTC,
    };
    let public_url = env_or(a.public_url.clone(), "LIKEKIND_PUBLIC_URL")
        .unwrap_or_else(|| format!("http://{addr}"))
        .trim_end_matches('/')
        .to_string();
    let host = public_url
        .split("://")
        .nth(1)
        .and_then(|r| r.split(['/', ':']).next())
        .filter(|h| h.contains('.') && !h.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .unwrap_or("localhost")
        .to_string();
    let digest_time: jiff::civil::Time = a.digest_time.parse().map_err(|_| {
        UsageError(format!(
            "--digest-time {:?} is not a time of day such as 07:00",
            a.digest_time
        ))
    })?;
    let tls_ca_file = a.tls_ca_file.clone().or_else(|| {
        std::env::var_os("LIKEKIND_TLS_CA_FILE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let extra = match &tls_ca_file {
        Some(p) => Some(
            likekind_server::notify::tls::ExtraRoots::load(p)
                .map_err(|m| UsageError(format!("--tls-ca-file: {m}")))?,
        ),
        None => None,
    };
    let t = &a.tuning;
    let notify = likekind_server::notify::Settings {
        smtp_url: env_or(a.smtp_url.clone(), "LIKEKIND_SMTP_URL"),
        mail_from: env_or(a.mail_from.clone(), "LIKEKIND_MAIL_FROM")
            .unwrap_or_else(|| format!("likekind <noreply@{host}>")),
        public_url,
        backoff_base: std::time::Duration::from_millis(t.notify_backoff_ms.max(1)),
        retry_window: std::time::Duration::from_secs(t.notify_retry_secs),
        lease: std::time::Duration::from_millis(t.notify_lease_ms.max(100)),
        poll: std::time::Duration::from_millis(t.notify_poll_ms.max(10)),
        schedule_every: std::time::Duration::from_secs(t.notify_schedule_secs.max(1)),
        digest_time,
        tls_ca_file,
        ..likekind_server::notify::Settings::default()
    };
    if let Some(u) = &notify.smtp_url {
        likekind_server::notify::email::Mailer::trusting(
            u,
            &notify.mail_from,
            extra.as_ref().map(|e| e.pem.as_slice()),
        )
        .map_err(|m| UsageError(format!("--smtp-url / --mail-from: {m}")))?;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        let store = likekind_store::Store::open_migrated(&url)
            .await
            .with_context(|| format!("cannot open the database {}", redact(&url)))?;
        let opened = || format!("cannot open the database {}", redact(&url));
        // After an upgrade that changed how summaries are derived, every exchange's is
        // recomputed: the server listens meanwhile and answers "updating" (minutes on a large
        // book). With nothing to recompute it is ready before it listens, as always.
        let outdated = store.outdated_summaries().await.with_context(opened)?;
        let updating = likekind_web::updating::Updating::new(outdated);
        let worker = if outdated == 0 {
            // The rest of `catch_up`: exchanges changed in bulk outside the store, counted.
            store.count_uncounted().await.with_context(opened)?;
            updating.finish();
            Some(start_notifications(&store, notify.clone(), time_zone.clone()).await?)
        } else {
            None
        };
        let config = likekind_server::Config {
            allow_signup: a.allow_signup,
            secure_cookies: a.secure_cookies,
            time_zone: time_zone.clone(),
            ..likekind_server::Config::default()
        };
        let app = likekind_web::updating::gate(
            likekind_web::app(likekind_server::AppState::new(store.clone(), config)),
            std::sync::Arc::clone(&updating),
        );
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        // Startup lines only: a closed stdout must not stop (or panic) the server.
        let _ = crate::emit(&format!("likekind tracker: database {}", redact(&url)), true);
        let _ = crate::emit(&format!("likekind tracker: listening on http://{local} (open it in a browser; API under /api, OpenAPI at http://{local}/openapi.json)"), true);
        // The update, then the notifications; a failure stops the server with its reason.
        let (failed, failure) = tokio::sync::oneshot::channel::<anyhow::Error>();
        let background = (!updating.is_finished()).then(|| {
            tokio::spawn(async move {
                let started = match update(&store, &updating, &url).await {
                    Ok(()) => start_notifications(&store, notify, time_zone).await,
                    Err(e) => Err(e),
                };
                started.map_err(|e| drop(failed.send(e))).ok()
            })
        });
        let serving = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        });
        tokio::select! {
            served = serving => served.context("the server stopped")?,
            // Without an update (or after one that went well) nothing is ever sent.
            Ok(e) = failure => return Err(e),
        }
        let worker = match background {
            Some(b) => {
                b.abort();
                b.await.ok().flatten()
            }
            None => worker,
        };
        if let Some(w) = worker {
            w.abort();
        }
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The notification worker: delivers the outbox and runs the reminder scheduler (which reads
/// the summaries, so it starts only once they are current).
async fn start_notifications(
    store: &likekind_store::Store,
    notify: likekind_server::notify::Settings,
    zone: jiff::tz::TimeZone,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    likekind_server::notify::worker::spawn(store.clone(), notify, zone)
        .await
        .map_err(|m| anyhow::anyhow!("cannot start notifications: {m}"))
}

/// Brings the stored summaries up to date, saying so on standard output every tenth of the
/// way (an upgrade's recomputation of a large book takes minutes).
async fn update(
    store: &likekind_store::Store,
    updating: &likekind_web::updating::Updating,
    url: &str,
) -> anyhow::Result<()> {
    let _ = crate::emit(
        &format!(
            "likekind tracker: {} Every page answers \"updating\" until it is done.",
            updating.words()
        ),
        true,
    );
    let mut next_tenth = 1;
    store
        .catch_up(|seen| {
            updating.advance(seen);
            let (done, total) = updating.progress();
            if total > 0 && done * 10 >= next_tenth * total && done < total {
                next_tenth = done * 10 / total + 1;
                let _ = crate::emit(&format!("likekind tracker: {}", updating.words()), true);
            }
        })
        .await
        .with_context(|| {
            format!(
                "cannot bring the stored summaries of the database {} up to date",
                redact(url)
            )
        })?;
    updating.finish();
    let _ = crate::emit(
        "likekind tracker: the stored summaries are up to date; every page is open again",
        true,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    }
}
