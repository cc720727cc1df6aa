//! The delivery worker `likekind serve` runs: fans new events out, claims due deliveries
//! with a lease, sends them, marks each delivered (or failed with its next attempt, or dead
//! after the retry window), and runs the reminder scheduler now and then.

use super::email::{self, Mailer};
use super::message::{self, Message};
use super::{Settings, next_attempt, schedule, webhook, zone};
use jiff::tz::TimeZone;
use likekind_store::Store;
use likekind_store::outbox::Claimed;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A running worker's parts.
pub struct Worker {
    store: Store,
    settings: Arc<Settings>,
    default_zone: TimeZone,
    mailer: Option<Mailer>,
    tls: Arc<tokio_rustls::rustls::ClientConfig>,
    key: String,
    owner: String,
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

impl Worker {
    /// Prepares a worker.
    ///
    /// # Errors
    /// A bad SMTP URL or From address, or a database failure, in words.
    pub async fn new(
        store: Store,
        settings: Settings,
        default_zone: TimeZone,
    ) -> Result<Worker, String> {
        let extra = match &settings.tls_ca_file {
            Some(p) => super::tls::ExtraRoots::load(p)?,
            None => super::tls::ExtraRoots::default(),
        };
        let tls = super::tls::client_config(&extra)?;
        let pem = settings.tls_ca_file.as_ref().map(|_| extra.pem.as_slice());
        let mailer = match &settings.smtp_url {
            Some(u) => Some(Mailer::trusting(u, &settings.mail_from, pem)?),
            None => None,
        };
        let key = super::unsubscribe_key(&store).await.map_err(|e| {
            format!(
                "the notification key could not be read: {}",
                e.detail.message
            )
        })?;
        let owner = format!("{}-{}", std::process::id(), likekind_store::new_id());
        Ok(Worker {
            store,
            settings: Arc::new(settings),
            default_zone,
            mailer,
            tls,
            key,
            owner,
        })
    }

    /// Runs until the task is dropped.
    pub async fn run(self) {
        let me = Arc::new(self);
        let mut memo = schedule::Memo::default();
        let mut next_schedule = 0i64;
        loop {
            let now = now_ms();
            if now >= next_schedule {
                if let Err(e) = schedule::run(
                    &me.store,
                    &me.default_zone,
                    jiff::Timestamp::now(),
                    &mut memo,
                )
                .await
                {
                    eprintln!("likekind notifications: the reminder scheduler failed: {e}");
                }
                if me.mailer.is_none() {
                    if let Err(e) = me.hold_emails().await {
                        eprintln!("likekind notifications: {e}");
                    }
                }
                next_schedule =
                    now + i64::try_from(me.settings.schedule_every.as_millis()).unwrap_or(i64::MAX);
            }
            match Worker::step(&me).await {
                Ok(0) => tokio::time::sleep(me.settings.poll).await,
                Ok(_) => {}
                Err(e) => {
                    eprintln!("likekind notifications: {e}");
                    tokio::time::sleep(me.settings.poll).await;
                }
            }
        }
    }

    /// Expands new events and delivers one batch, the deliveries side by side (a slow
    /// endpoint does not hold up the others); returns how many deliveries it handled.
    ///
    /// # Errors
    /// A database failure.
    pub async fn step(me: &Arc<Worker>) -> likekind_store::Result<usize> {
        let tz_name = me.default_zone.iana_name().unwrap_or("UTC").to_string();
        while me
            .store
            .expand_events_at(now_ms(), &tz_name, me.settings.digest_time, 100)
            .await?
            > 0
        {}
        let lease = i64::try_from(me.settings.lease.as_millis()).unwrap_or(60_000);
        let claimed = me
            .store
            .claim_deliveries(
                &me.owner,
                now_ms(),
                lease,
                me.settings.batch,
                me.mailer.is_some(),
            )
            .await?;
        let n = claimed.len();
        // A person's digest rows due together go out as one e-mail.
        let mut groups: Vec<Vec<Claimed>> = Vec::new();
        let mut digests: BTreeMap<String, Vec<Claimed>> = BTreeMap::new();
        for c in claimed {
            if c.digest && c.channel == "email" {
                digests.entry(c.target.clone()).or_default().push(c);
            } else {
                groups.push(vec![c]);
            }
        }
        groups.extend(digests.into_values());
        let mut tasks = tokio::task::JoinSet::new();
        for g in groups {
            let w = Arc::clone(me);
            tasks.spawn(async move {
                let r = w.deliver(&g).await;
                w.finish(&g, r).await
            });
        }
        let mut result = Ok(n);
        while let Some(r) = tasks.join_next().await {
            if let Ok(Err(e)) = r {
                result = Err(e);
            }
        }
        result
    }

    /// Without a mail server, e-mails wait (another server sharing the database may have
    /// one), say so where the firm's administrators look, and fail for good once their retry
    /// window is over.
    ///
    /// # Errors
    /// A database failure.
    pub async fn hold_emails(&self) -> likekind_store::Result<u64> {
        let window = i64::try_from(self.settings.retry_window.as_millis()).unwrap_or(i64::MAX);
        self.store
            .hold_unsendable_emails(now_ms(), window, NO_MAIL_WAITING, NO_MAIL_DEAD)
            .await
    }

    async fn finish(&self, rows: &[Claimed], r: Result<(), Failure>) -> likekind_store::Result<()> {
        for c in rows {
            match &r {
                Ok(()) => self.store.mark_delivered(&c.id).await?,
                Err(f) => {
                    // A failure that no retry can mend (no such person or endpoint any more,
                    // an address that is not one) is dead at once.
                    let next = if f.permanent {
                        None
                    } else {
                        next_attempt(&self.settings, c.attempts, c.created_ms, now_ms())
                    };
                    self.store
                        .mark_failed(&c.id, &self.owner, &f.error, next)
                        .await?;
                }
            }
        }
        Ok(())
    }

    async fn firm_today(&self, firm_id: &str) -> jiff::civil::Date {
        let setting = self
            .store
            .firm_notify_settings(firm_id)
            .await
            .ok()
            .and_then(|s| s.time_zone);
        zone::today_in(&zone::of_setting(setting.as_deref(), &self.default_zone))
    }

    fn words(&self, c: &Claimed, today: jiff::civil::Date) -> Message {
        message::render(
            &c.event_kind,
            &c.event_data,
            c.exchange_id.as_deref(),
            &self.settings.public_url,
            today,
        )
    }

    /// Sends one delivery (or one digest of several for the same person).
    async fn deliver(&self, rows: &[Claimed]) -> Result<(), Failure> {
        let Some(first) = rows.first() else {
            return Ok(());
        };
        let Some((address, name_or_secret)) = &first.address else {
            return Err(Failure::permanent(if first.channel == "email" {
                "the person is no longer an active user of the firm"
            } else {
                "the webhook endpoint was removed"
            }));
        };
        let today = self.firm_today(&first.firm_id).await;
        if first.channel == "webhook" {
            let m = self.words(first, today);
            let body = json!({
                "id": first.id,
                "event": first.event_kind,
                "exchange": first.exchange_id.as_ref().map(|x| json!({
                    "id": x,
                    "name": first.event_data.get("exchange_name"),
                    "url": format!("{}/exchanges/{x}", self.settings.public_url),
                })),
                "data": first.event_data,
                "subject": m.subject,
                "text": format!("{} {}", m.what, m.todo),
                "link": m.link,
            });
            let bytes =
                serde_json::to_vec(&body).map_err(|e| Failure::permanent(&e.to_string()))?;
            return webhook::post(
                address,
                name_or_secret,
                &first.id,
                bytes,
                self.settings.send_timeout,
                &self.tls,
            )
            .await
            .map_err(Failure::retry);
        }
        let Some(mailer) = &self.mailer else {
            return Err(Failure::retry(
                "no mail server is configured (likekind serve --smtp-url)".into(),
            ));
        };
        let items: Vec<Message> = rows.iter().map(|c| self.words(c, today)).collect();
        let subject = if items.len() == 1 {
            items[0].subject.clone()
        } else {
            format!(
                "Your daily summary: {} notifications for {}",
                items.len(),
                message::date_words(today)
            )
        };
        let event = if rows.len() == 1 {
            first.event_kind.as_str()
        } else {
            "all"
        };
        let user = first.user_id.as_deref().unwrap_or("");
        let domain = mailer.from().email.domain().to_string();
        let mail = email::Mail {
            to_address: address,
            to_name: name_or_secret,
            subject,
            items: &items,
            id: &first.id,
            domain: &domain,
            unsubscribe: super::unsubscribe_urls(&self.settings.public_url, &self.key, user, event),
        };
        let m = email::build(mailer.from(), &mail).map_err(|e| Failure::permanent(&e))?;
        tokio::time::timeout(self.settings.send_timeout, mailer.send(m))
            .await
            .map_err(|_| Failure::retry("the mail server did not answer in time".into()))?
            .map_err(Failure::retry)
    }
}

/// Why an e-mail waits on a server without a mail server.
pub const NO_MAIL_WAITING: &str = "E-mail is not configured on the server (likekind serve --smtp-url): the e-mail waits until it is";
/// Why such an e-mail failed for good.
pub const NO_MAIL_DEAD: &str = "E-mail is not configured on the server (likekind serve --smtp-url): the e-mail could not be sent within the retry window";

/// Why a delivery failed, and whether trying again could help.
#[derive(Debug)]
struct Failure {
    error: String,
    permanent: bool,
}

impl Failure {
    fn retry(error: String) -> Failure {
        Failure {
            error,
            permanent: false,
        }
    }
    fn permanent(error: &str) -> Failure {
        Failure {
            error: error.to_string(),
            permanent: true,
        }
    }
}

/// Starts the worker as a task of the current runtime.
///
/// # Errors
/// A bad SMTP URL or From address, or a database failure, in words.
pub async fn spawn(
    store: Store,
    settings: Settings,
    default_zone: TimeZone,
) -> Result<tokio::task::JoinHandle<()>, String> {
    let w = Worker::new(store, settings, default_zone).await?;
    Ok(tokio::spawn(w.run()))
}
