//! Notifications end to end (issue 15): `likekind serve` processes deliver the outbox to a
//! real SMTP server (Debian's python3-aiosmtpd, `tests/notify/smtp_sink.py`) and to a
//! webhook receiver in this test that verifies every signature and answers 500 first.
//!
//! - `email_and_webhooks_on_sqlite`: the mails' headers, dates in words, links and one-click
//!   unsubscribe; webhook signatures and retries; a dead letter listed and retried.
//! - `sigkill_loop_on_sqlite` / `two_servers_and_sigkill_loop_on_postgres`: at least 20
//!   SIGKILLs during delivery (and, on PostgreSQL, two server processes on one database):
//!   every notification arrives, none twice once counted by its idempotency key (Message-ID,
//!   webhook id), and raw repeats stay within one per kill.
//!
//! Without aiosmtpd these tests say NOT RUN, unless `LIKEKIND_REQUIRE_SMTP=1` (as `.ci/run`
//! sets), which makes a missing SMTP server a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;

use server::Server;

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- the SMTP server

struct Sink {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> &'static str {
    // Debian's interpreter has Debian's python3-aiosmtpd; a python3 earlier on PATH may not.
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// Starts the SMTP sink, or `None` (the test is NOT RUN) when aiosmtpd is missing and not
/// required.
fn sink(name: &str, delay_ms: u64) -> Option<Sink> {
    sink_tls(name, delay_ms, &[])
}

/// [`sink`] speaking TLS: `["starttls" | "smtps", CERT, KEY]`.
fn sink_tls(name: &str, delay_ms: u64, mode: &[&str]) -> Option<Sink> {
    let required = std::env::var("LIKEKIND_REQUIRE_SMTP").is_ok_and(|v| v == "1");
    let has = Command::new(python())
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has {
        assert!(
            !required,
            "LIKEKIND_REQUIRE_SMTP=1 but python3-aiosmtpd is not installed (apt-get install python3-aiosmtpd)"
        );
        eprintln!("{name}: NOT RUN (install python3-aiosmtpd, or set LIKEKIND_REQUIRE_SMTP=1)");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/notify/smtp_sink.py");
    let mut child = Command::new(python())
        .arg(script)
        .arg(dir.path())
        .arg(delay_ms.to_string())
        .args(mode)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("PORT ")
        .and_then(|p| p.parse().ok())
        .expect("the SMTP sink printed its port");
    Some(Sink { child, port, dir })
}

/// One received e-mail.
#[derive(Debug, Clone)]
struct Mail {
    headers: BTreeMap<String, Vec<String>>,
    raw: String,
}

impl Mail {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(&name.to_ascii_lowercase())
            .and_then(|v| v.first())
            .map_or("", String::as_str)
    }
    /// The body with quoted-printable soft breaks undone (lettre uses it for long lines).
    fn body(&self) -> String {
        let b = self.raw.split_once("\r\n\r\n").map_or("", |x| x.1);
        b.replace("=\r\n", "").replace("=3D", "=")
    }
}

fn read_mails(dir: &Path) -> Vec<Mail> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| {
            let raw = String::from_utf8_lossy(&std::fs::read(p).unwrap()).replace("\r\n", "\n");
            let raw = raw.replace('\n', "\r\n");
            let head = raw.split_once("\r\n\r\n").map_or(raw.as_str(), |x| x.0);
            let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
            let mut last: Option<String> = None;
            for line in head.split("\r\n") {
                if line.starts_with([' ', '\t']) {
                    if let Some(k) = &last {
                        if let Some(v) = headers.get_mut(k).and_then(|v| v.last_mut()) {
                            v.push(' ');
                            v.push_str(line.trim());
                        }
                    }
                } else if let Some((k, v)) = line.split_once(':') {
                    let k = k.trim().to_ascii_lowercase();
                    headers
                        .entry(k.clone())
                        .or_default()
                        .push(v.trim().to_string());
                    last = Some(k);
                }
            }
            Mail { headers, raw }
        })
        .collect()
}

// ---------------------------------------------------------------- the webhook receiver

#[derive(Debug, Clone)]
struct Hit {
    id: String,
    body: Value,
    signature_ok: bool,
}

#[derive(Clone)]
struct Receiver {
    port: u16,
    hits: Arc<Mutex<Vec<Hit>>>,
    secret: Arc<Mutex<String>>,
    /// Connections closed before their request was complete (not deliveries).
    incomplete: Arc<std::sync::atomic::AtomicUsize>,
}

/// A webhook receiver: verifies each request's signature with the endpoint's secret, answers
/// 500 to the first request of every id when `fail_first`, else 200 after `delay_ms`.
fn receiver(fail_first: bool, delay_ms: u64) -> Receiver {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let r = Receiver {
        port,
        hits: Arc::default(),
        secret: Arc::default(),
        incomplete: Arc::default(),
    };
    let r2 = r.clone();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(s) = s else { continue };
            let r = r2.clone();
            std::thread::spawn(move || {
                let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                let _ = serve_hook(s, &r, fail_first, delay_ms);
            });
        }
    });
    r
}

fn serve_hook<S: Read + Write>(
    s: S,
    r: &Receiver,
    fail_first: bool,
    delay_ms: u64,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(s);
    let mut headers = BTreeMap::new();
    let mut line = String::new();
    // A connection closed before its request was complete (a sender SIGKILLed between
    // connecting and writing) is no delivery: it is not counted. Counting it as one with an
    // empty id is what once made 65 "distinct" deliveries of 64 events.
    let cut = || {
        r.incomplete
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    };
    if reader.read_line(&mut line)? == 0 {
        return cut();
    }
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return cut();
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    if reader.read_exact(&mut body).is_err() {
        return cut();
    }
    let id = headers
        .get("likekind-webhook-id")
        .cloned()
        .unwrap_or_default();
    let ts = headers
        .get("likekind-webhook-timestamp")
        .cloned()
        .unwrap_or_default();
    let sig = headers
        .get("likekind-webhook-signature")
        .cloned()
        .unwrap_or_default();
    // The verification the docs give receivers: HMAC-SHA256(secret, timestamp + "." + body).
    let secret = r.secret.lock().unwrap().clone();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(ts.as_bytes());
    mac.update(b".");
    mac.update(&body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let fresh = ts
        .parse::<i64>()
        .is_ok_and(|t| (jiff::Timestamp::now().as_second() - t).abs() < 300);
    let signature_ok = sig == format!("v1={expected}") && fresh && !secret.is_empty();
    std::thread::sleep(Duration::from_millis(delay_ms));
    let first = {
        let mut hits = r.hits.lock().unwrap();
        let first = !hits.iter().any(|h| h.id == id);
        hits.push(Hit {
            id: id.clone(),
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
            signature_ok,
        });
        first
    };
    let status = if fail_first && first {
        "500 Internal Server Error"
    } else {
        "200 OK"
    };
    let s = reader.get_mut();
    write!(
        s,
        "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    s.flush()?;
    Ok(())
}

// ---------------------------------------------------------------- the server

fn start(db: &str, smtp_port: u16, extra: &[&str]) -> Server {
    start_with(db, Some(&format!("smtp://127.0.0.1:{smtp_port}")), extra)
}

/// A server sending e-mail to `smtp` (an SMTP URL), or with no mail server.
fn start_with(db: &str, smtp: Option<&str>, extra: &[&str]) -> Server {
    let mut args = vec![
        "serve",
        "--db",
        db,
        "--bind",
        "127.0.0.1:0",
        "--allow-signup",
    ];
    if let Some(u) = smtp {
        args.extend_from_slice(&["--smtp-url", u]);
    }
    args.extend_from_slice(&[
        "--mail-from",
        "Example QI <reminders@qi.example>",
        "--public-url",
        "https://tracker.qi.example",
        "--notify-backoff-ms",
        "200",
        "--notify-poll-ms",
        "50",
        "--notify-schedule-secs",
        "1",
    ]);
    args.extend_from_slice(extra);
    server::start(&args)
}

/// One HTTP/1.1 request; returns the status and the JSON body (Null when none).
fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// Logs in and returns an API token.
fn token_for(a: &str, email: &str, password: &str) -> String {
    let mut st = TcpStream::connect(a).unwrap();
    let b = json!({"email": email, "password": password}).to_string();
    write!(st, "POST /api/login HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}", b.len()).unwrap();
    let mut buf = String::new();
    st.read_to_string(&mut buf).unwrap();
    let cookie = buf
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .expect("logged in")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf: Value = serde_json::from_str(buf.split_once("\r\n\r\n").unwrap().1).unwrap();
    let mut st = TcpStream::connect(a).unwrap();
    let b = json!({"name": "test"}).to_string();
    write!(st, "POST /api/tokens HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\nCookie: {cookie}\r\nX-CSRF-Token: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}", csrf["csrf_token"].as_str().unwrap(), b.len()).unwrap();
    let mut buf = String::new();
    st.read_to_string(&mut buf).unwrap();
    let v: Value = serde_json::from_str(buf.split_once("\r\n\r\n").unwrap().1).unwrap();
    v["token"].as_str().unwrap().to_string()
}

const PW: &str = "correct horse battery";

struct Firm {
    admin: String,
    coordinator: String,
    admin_email: String,
    coord_email: String,
}

/// A firm with an admin and a coordinator (the second approver), unique e-mail addresses.
fn firm(a: &str, tag: &str) -> Firm {
    let n = jiff::Timestamp::now().as_nanosecond();
    let n = n % 1_000_000_000_000;
    let admin_email = format!("admin-{n}@qi.example");
    let (s, v) = http(
        a,
        "POST",
        "/api/signup",
        None,
        Some(
            &json!({"firm_name": format!("QI {tag}"), "email": admin_email, "name": "Ada Admin", "password": PW}),
        ),
    );
    assert_eq!(s, 200, "{v}");
    let admin = token_for(a, &admin_email, PW);
    let coord_email = format!("coord-{n}@qi.example");
    let (s, v) = http(
        a,
        "POST",
        "/api/users",
        Some(&admin),
        Some(
            &json!({"email": coord_email, "name": "Cora Coordinator", "role": "coordinator", "password": PW}),
        ),
    );
    assert_eq!(s, 201, "{v}");
    let coordinator = token_for(a, &coord_email, PW);
    Firm {
        admin,
        coordinator,
        admin_email,
        coord_email,
    }
}

fn add_webhook(a: &str, f: &Firm, r: &Receiver) -> String {
    let (s, v) = http(
        a,
        "POST",
        "/api/webhooks",
        Some(&f.admin),
        Some(&json!({"url": format!("http://127.0.0.1:{}/hooks", r.port), "description": "test"})),
    );
    assert_eq!(s, 201, "{v}");
    let secret = v["secret"].as_str().unwrap().to_string();
    *r.secret.lock().unwrap() = secret;
    v["endpoint"]["id"].as_str().unwrap().to_string()
}

fn today_utc() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// An exchange whose sale closed `ago` days ago (UTC), with `receipt` dollars in its ledger.
fn exchange(a: &str, f: &Firm, name: &str, ago: i32, receipt: &str) -> String {
    let sold = likekind_core::calendar::add_days(today_utc(), -ago);
    // Four properties identified, more than three and more than 200%: the identification is
    // not valid yet, so day 45 still has its reminders; elm's purchase closed today, within
    // the 45 days, so elm counts as identified ((c)(4)(ii)) and disbursements pay its
    // recorded closing (Treas. Reg. §1.1031(k)-1(g)(6)); the exchange stays open.
    let file = json!({"taxpayer": {"entity": "individual"}, "relinquished": [{"id": "oak", "location": "CA", "acquired": "2015-06-01", "transferred": sold.to_string(), "sale_price": "1000000", "adjusted_basis": "400000"}],
        "identified": [{"id": "elm", "description": "12 Elm St", "fmv": "600000", "identified_on": sold.to_string()},
                       {"id": "ash", "description": "1 Ash Ave", "fmv": "600000", "identified_on": sold.to_string()},
                       {"id": "fir", "description": "3 Fir Rd", "fmv": "600000", "identified_on": sold.to_string()},
                       {"id": "oak2", "description": "9 Oak Ct", "fmv": "600000", "identified_on": sold.to_string()}],
        "replacement": [{"id": "elm", "location": "TX", "received": today_utc().to_string(), "price": "600000"}]});
    let (s, ex) = http(
        a,
        "POST",
        "/api/exchanges",
        Some(&f.coordinator),
        Some(&json!({"name": name, "file": file})),
    );
    assert_eq!(s, 201, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    let (s, v) = http(
        a,
        "POST",
        &format!("/api/exchanges/{id}/ledger"),
        Some(&f.coordinator),
        Some(&json!({"kind": "receipt", "amount": receipt, "memo": "sale proceeds"})),
    );
    assert_eq!(s, 201, "{v}");
    id
}

fn wait_until(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn words_date(d: jiff::civil::Date) -> String {
    d.strftime("%b %-d, %Y").to_string()
}

// ---------------------------------------------------------------- the stories

#[test]
fn email_and_webhooks_on_sqlite() {
    let Some(smtp) = sink("email_and_webhooks_on_sqlite", 0) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("n.db").display());
    let srv = start(&db, smtp.port, &["--notify-retry-secs", "3"]);
    let a = srv.addr.clone();
    let f = firm(&a, "mail");
    let hooks = receiver(true, 0);
    add_webhook(&a, &f, &hooks);
    // A webhook endpoint that never answers: its deliveries end as dead letters (3 s window).
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let (s, v) = http(
        &a,
        "POST",
        "/api/webhooks",
        Some(&f.admin),
        Some(&json!({"url": format!("http://127.0.0.1:{closed_port}/gone")})),
    );
    assert_eq!(s, 201, "{v}");
    let dead_endpoint = v["endpoint"]["id"].as_str().unwrap().to_string();

    // Day 45 seven days from now: the scheduler sends the 7-day reminder.
    let x = exchange(&a, &f, "Oak Street", 38, "500000.00");
    let day45 = likekind_core::calendar::add_days(today_utc(), 7);
    // A disbursement above the threshold waits for a second approval; the admin approves it.
    let (s, v) = http(
        &a,
        "POST",
        &format!("/api/exchanges/{x}/ledger"),
        Some(&f.coordinator),
        Some(
            &json!({"kind": "disbursement", "amount": "150000.00", "memo": "deposit on Elm", "property": "elm"}),
        ),
    );
    assert_eq!(s, 202, "{v}");
    let ap = v["approval"]["id"].as_str().unwrap().to_string();
    let (s, v) = http(
        &a,
        "POST",
        &format!("/api/exchanges/{x}/approvals/{ap}/approve"),
        Some(&f.admin),
        Some(&json!({})),
    );
    assert_eq!(s, 200, "{v}");

    // The admin hears of all three by e-mail.
    let subject_of = |m: &Mail| m.header("subject").to_string();
    wait_until("three e-mails to the admin", 60, || {
        read_mails(smtp.dir.path())
            .iter()
            .filter(|m| m.header("to").contains(&f.admin_email))
            .count()
            >= 3
    });
    let mails = read_mails(smtp.dir.path());
    let admin_mails: Vec<&Mail> = mails
        .iter()
        .filter(|m| m.header("to").contains(&f.admin_email))
        .collect();
    let reminder = admin_mails
        .iter()
        .find(|m| subject_of(m).starts_with("Identification deadline"))
        .expect("the day-45 reminder");
    assert_eq!(
        subject_of(reminder),
        format!(
            "Identification deadline in 7 days for \"Oak Street\": {}",
            words_date(day45)
        )
    );
    let body = reminder.body();
    assert!(
        body.contains(&format!("ends on {}", words_date(day45))),
        "{body}"
    );
    assert!(
        body.contains(&format!(
            "https://tracker.qi.example/exchanges/{x}/identify"
        )),
        "{body}"
    );
    assert!(body.contains("Content-Type: text/plain"), "{body}");
    assert!(body.contains("Content-Type: text/html"), "{body}");
    assert!(
        !body.contains(&x[..8]) || body.contains("/exchanges/"),
        "no bare ids in the words"
    );
    assert!(reminder.header("from").contains("reminders@qi.example"));
    assert!(
        reminder
            .header("date")
            .contains(&today_utc().year().to_string())
    );
    assert!(
        reminder.header("message-id").ends_with("@qi.example>"),
        "{}",
        reminder.header("message-id")
    );
    assert_eq!(
        reminder.header("list-unsubscribe-post"),
        "List-Unsubscribe=One-Click"
    );
    let approval = admin_mails
        .iter()
        .find(|m| subject_of(m).contains("awaits a second approval"))
        .expect("the approval e-mail");
    assert_eq!(
        subject_of(approval),
        "A disbursement of $150,000.00 awaits a second approval for \"Oak Street\""
    );
    let released = admin_mails
        .iter()
        .find(|m| subject_of(m).contains("disbursed"))
        .expect("the funds-released e-mail");
    assert!(
        released.body().contains(&format!(
            "$150,000.00 was disbursed from the funds of \"Oak Street\" on {0} (toward the purchase of 12 Elm St, closed {0}).",
            words_date(today_utc())
        )),
        "{}",
        released.body()
    );
    assert!(
        approval.body().contains(&format!(
            "A disbursement of $150,000.00 (toward the purchase of 12 Elm St, closed {}) from the funds of \"Oak Street\"",
            words_date(today_utc())
        )),
        "{}",
        approval.body()
    );
    // Every Message-ID is distinct.
    let ids: BTreeSet<&str> = mails.iter().map(|m| m.header("message-id")).collect();
    assert_eq!(ids.len(), mails.len());

    // One-click unsubscribe (RFC 8058) from the approval e-mail's header: a POST.
    let lu = approval.header("list-unsubscribe");
    let url = lu.trim_start_matches('<').trim_end_matches('>');
    let path = url.strip_prefix("https://tracker.qi.example").unwrap();
    let (s, v) = http(&a, "POST", path, None, None);
    assert_eq!(s, 200, "{v}");
    assert!(
        v["message"].as_str().unwrap().contains("second approval"),
        "{v}"
    );
    // A forged link is refused.
    let forged = path.replace("sig=", "sig=0");
    assert_eq!(http(&a, "POST", &forged, None, None).0, 403);
    let (_, p) = http(
        &a,
        "GET",
        "/api/notifications/preferences",
        Some(&f.admin),
        None,
    );
    assert!(
        !p["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "approval_awaiting"),
        "{p}"
    );
    assert!(
        p["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "funds_released")
    );
    // The next request for approval reaches the webhook but no longer the admin's inbox.
    let (s, v) = http(
        &a,
        "POST",
        &format!("/api/exchanges/{x}/ledger"),
        Some(&f.coordinator),
        Some(
            &json!({"kind": "disbursement", "amount": "120000.00", "memo": "second deposit", "property": "elm"}),
        ),
    );
    assert_eq!(s, 202, "{v}");
    wait_until("the webhook hears of the second approval", 60, || {
        hooks
            .hits
            .lock()
            .unwrap()
            .iter()
            .filter(|h| h.body["event"] == "approval_awaiting")
            .map(|h| h.id.clone())
            .collect::<BTreeSet<_>>()
            .len()
            == 2
    });
    // The webhook's data names the purchase closing the disbursement pays, as the e-mail does.
    let closing = hooks
        .hits
        .lock()
        .unwrap()
        .iter()
        .find(|h| h.body["event"] == "approval_awaiting")
        .map(|h| h.body["data"]["closing"].clone())
        .unwrap_or_default();
    assert_eq!(
        closing,
        format!("12 Elm St, closed {}", words_date(today_utc())),
        "{closing}"
    );
    std::thread::sleep(Duration::from_secs(1));
    let approvals_to_admin = read_mails(smtp.dir.path())
        .iter()
        .filter(|m| {
            m.header("to").contains(&f.admin_email)
                && m.header("subject").contains("awaits a second approval")
        })
        .count();
    assert_eq!(approvals_to_admin, 1, "unsubscribed: no second e-mail");

    // Webhooks: every request signed right; every id first answered 500, then retried.
    wait_until("webhook retries", 60, || {
        let hits = hooks.hits.lock().unwrap();
        let ids: BTreeSet<&str> = hits.iter().map(|h| h.id.as_str()).collect();
        ids.len() >= 4
            && ids
                .iter()
                .all(|id| hits.iter().filter(|h| h.id == *id).count() >= 2)
    });
    let hits = hooks.hits.lock().unwrap().clone();
    assert!(
        hits.iter().all(|h| h.signature_ok),
        "every signature verifies"
    );
    let events: BTreeSet<&str> = hits
        .iter()
        .filter_map(|h| h.body["event"].as_str())
        .collect();
    for e in [
        "deadline_identification",
        "approval_awaiting",
        "funds_released",
    ] {
        assert!(events.contains(e), "webhook event {e} missing: {events:?}");
    }
    let r = hits
        .iter()
        .find(|h| h.body["event"] == "deadline_identification")
        .unwrap();
    assert_eq!(r.body["exchange"]["name"], "Oak Street");
    assert_eq!(r.body["data"]["date"], day45.to_string());

    // The endpoint that never answers: dead letters after the retry window, listed and
    // retryable through the API.
    wait_until("dead letters", 60, || {
        let (_, v) = http(
            &a,
            "GET",
            "/api/notifications/deliveries?status=dead",
            Some(&f.admin),
            None,
        );
        v["items"].as_array().is_some_and(|i| i.len() >= 4)
    });
    let (_, v) = http(
        &a,
        "GET",
        "/api/notifications/deliveries?status=dead",
        Some(&f.admin),
        None,
    );
    let dead = &v["items"][0];
    assert_eq!(dead["channel"], "webhook");
    assert!(
        dead["to"]
            .as_str()
            .unwrap()
            .contains(&closed_port.to_string())
    );
    assert!(dead["attempts"].as_i64().unwrap() >= 2, "{dead}");
    assert!(
        dead["last_error"]
            .as_str()
            .unwrap()
            .contains("could not connect"),
        "{dead}"
    );
    let did = dead["id"].as_str().unwrap();
    // A coordinator may not retry; the admin may, once.
    let (s, _) = http(
        &a,
        "POST",
        &format!("/api/notifications/deliveries/{did}/retry"),
        Some(&f.coordinator),
        None,
    );
    assert_eq!(s, 403);
    let (s, v) = http(
        &a,
        "POST",
        &format!("/api/notifications/deliveries/{did}/retry"),
        Some(&f.admin),
        None,
    );
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "pending");
    assert_eq!(v["attempts"], 0);
    // Removing the endpoint: nothing more goes to it.
    let (s, _) = http(
        &a,
        "DELETE",
        &format!("/api/webhooks/{dead_endpoint}"),
        Some(&f.admin),
        None,
    );
    assert_eq!(s, 204);
    let (_, list) = http(&a, "GET", "/api/webhooks", Some(&f.admin), None);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(
        list[0].get("secret").is_none(),
        "the secret is shown once only"
    );
}

/// Makes `n` notification events quickly: disbursements below the approval threshold
/// (each one "funds released", to the admin, the coordinator and the webhook).
fn burst(a: &str, f: &Firm, x: &str, from: usize, n: usize) {
    for k in from..from + n {
        let (s, v) = http(
            a,
            "POST",
            &format!("/api/exchanges/{x}/ledger"),
            Some(&f.coordinator),
            Some(
                &json!({"kind": "disbursement", "amount": format!("{k}.00"), "memo": format!("d{k}"), "property": "elm"}),
            ),
        );
        assert_eq!(s, 201, "{v}");
    }
}

/// The kill loop: `servers` processes on `db`; SIGKILLs one of them every so often while
/// deliveries are in flight, restarting it each time, until `kills` kills; then waits for
/// everything to arrive and counts at the receivers.
fn kill_loop(name: &str, db: &str, servers: usize, kills: usize) {
    let Some(smtp) = sink(name, 25) else {
        return;
    };
    let hooks = receiver(false, 30);
    let extra = ["--notify-lease-ms", "2000", "--notify-retry-secs", "600"];
    let mut procs: Vec<Server> = (0..servers).map(|_| start(db, smtp.port, &extra)).collect();
    let a = procs[0].addr.clone();
    let f = firm(&a, name);
    add_webhook(&a, &f, &hooks);
    // Far from any deadline (no reminders): only the burst's events.
    let x = exchange(&a, &f, "Kill Loop", 2, "900000.00");
    let events = 60usize;
    burst(&a, &f, &x, 1, events);
    let mut done = 0usize;
    let mut k = 0usize;
    let start_t = Instant::now();
    while done < kills {
        // Let deliveries run a little, then kill one server mid-flight and restart it.
        std::thread::sleep(Duration::from_millis(150 + (k as u64 * 37) % 200));
        let i = k % servers;
        procs[i].child.kill().unwrap();
        procs[i].child.wait().unwrap();
        done += 1;
        k += 1;
        procs[i] = start(db, smtp.port, &extra);
        // Keep work in flight: more events now and then (through a live server).
        if done.is_multiple_of(5) {
            let live = procs[i].addr.clone();
            burst(&live, &f, &x, events + done, 1);
        }
        assert!(
            start_t.elapsed() < Duration::from_secs(240),
            "kill loop too slow"
        );
    }
    let total_events = events + kills / 5;
    // Every event: an e-mail to each of the two staff, and one webhook.
    let want_mails = total_events * 2;
    let my_mails = |ms: &[Mail]| -> Vec<Mail> {
        ms.iter()
            .filter(|m| {
                m.header("subject").contains("\"Kill Loop\"")
                    && (m.header("to").contains(&f.admin_email)
                        || m.header("to").contains(&f.coord_email))
            })
            .cloned()
            .collect()
    };
    wait_until("every notification delivered", 180, || {
        let mails = my_mails(&read_mails(smtp.dir.path()));
        let ids: BTreeSet<String> = mails
            .iter()
            .map(|m| m.header("message-id").to_string())
            .collect();
        let hook_ids: BTreeSet<String> = hooks
            .hits
            .lock()
            .unwrap()
            .iter()
            .filter(|h| h.body["exchange"]["id"] == x.as_str())
            .map(|h| h.id.clone())
            .collect();
        ids.len() >= want_mails && hook_ids.len() >= total_events
    });
    std::thread::sleep(Duration::from_secs(2));
    let mails = my_mails(&read_mails(smtp.dir.path()));
    let ids: BTreeSet<String> = mails
        .iter()
        .map(|m| m.header("message-id").to_string())
        .collect();
    // Zero lost, zero duplicates by idempotency key: exactly one Message-ID per (event,
    // person); each (amount, recipient) once.
    assert_eq!(ids.len(), want_mails, "distinct e-mails");
    let per_item: BTreeSet<(String, String)> = mails
        .iter()
        .map(|m| (m.header("subject").to_string(), m.header("to").to_string()))
        .collect();
    assert_eq!(
        per_item.len(),
        want_mails,
        "one e-mail per event and person"
    );
    // This exchange's deliveries only: the database is shared with other tests, whose
    // leftover deliveries may reach a receiver that took over their address's port.
    let hits: Vec<Hit> = hooks
        .hits
        .lock()
        .unwrap()
        .iter()
        .filter(|h| h.body["exchange"]["id"] == x.as_str())
        .cloned()
        .collect();
    let hook_ids: BTreeSet<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(hook_ids.len(), total_events, "distinct webhook deliveries");
    let memos: BTreeSet<&str> = hits
        .iter()
        .filter_map(|h| h.body["data"]["memo"].as_str())
        .collect();
    assert_eq!(memos.len(), total_events, "one webhook per event");
    assert!(hits.iter().all(|h| h.signature_ok));
    // At-least-once: a kill can repeat what was in flight (at most one batch of 20 claimed
    // deliveries per process), never more than that.
    let repeats = (mails.len() - ids.len()) + (hits.len() - hook_ids.len());
    eprintln!(
        "{name}: {kills} kills, {} e-mails and {} webhooks received for {} and {} deliveries ({repeats} repeats, dropped by idempotency key; {} webhook connections cut before a whole request)",
        mails.len(),
        hits.len(),
        want_mails,
        total_events,
        hooks.incomplete.load(std::sync::atomic::Ordering::Relaxed)
    );
    assert!(repeats <= kills * 20, "{repeats} repeats for {kills} kills");
    // The outbox agrees: nothing pending or dead for this firm.
    let a = procs[0].addr.clone();
    for status in ["pending", "dead"] {
        let (_, v) = http(
            &a,
            "GET",
            &format!("/api/notifications/deliveries?status={status}"),
            Some(&f.admin),
            None,
        );
        assert_eq!(v["items"].as_array().unwrap().len(), 0, "{status}: {v}");
    }
}

#[test]
fn sigkill_loop_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("k.db").display());
    kill_loop("sigkill_loop_on_sqlite", &db, 1, 20);
}

#[test]
fn two_servers_and_sigkill_loop_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!("two_servers_and_sigkill_loop_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)");
        return;
    };
    kill_loop("two_servers_and_sigkill_loop_on_postgres", &url, 2, 20);
}

// ---------------------------------------------------------------- reminders and the digest

/// A time zone whose calendar day differs from UTC's right now (Kiritimati is UTC+14, Pago
/// Pago UTC-11: at any moment one of them is on another day than UTC), so a server that
/// judged "today" in UTC would give other dates and days left.
fn zone_off_utc() -> (&'static str, jiff::civil::Date) {
    for z in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {
        let d = jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::get(z).unwrap())
            .date();
        if d != today_utc() {
            return (z, d);
        }
    }
    unreachable!("Kiritimati or Pago Pago is on another day than UTC")
}

fn add_days(d: jiff::civil::Date, n: i32) -> jiff::civil::Date {
    likekind_core::calendar::add_days(d, n)
}

fn new_exchange(a: &str, f: &Firm, name: &str, file: &Value) -> String {
    let (s, ex) = http(
        a,
        "POST",
        "/api/exchanges",
        Some(&f.coordinator),
        Some(&json!({"name": name, "file": file})),
    );
    assert_eq!(s, 201, "{ex}");
    ex["id"].as_str().unwrap().to_string()
}

/// The related-party two-year window, the Opportunity Zone window of a failed exchange and
/// funds idle after their release date, end to end: the scheduler of `likekind serve`
/// enqueues each on the firm's calendar day (a zone on another day than UTC) at the lead
/// times; the admin receives each as its own e-mail, the webhook each signed, and the
/// coordinator, who chose the daily digest, ONE e-mail holding all three at the digest time.
#[test]
fn reminders_and_a_daily_digest_on_sqlite() {
    let Some(smtp) = sink("reminders_and_a_daily_digest_on_sqlite", 0) else {
        return;
    };
    let (zone, today) = zone_off_utc();
    let tz = jiff::tz::TimeZone::get(zone).unwrap();
    // The digest goes out a little after the events are made: at this time on the firm's
    // calendar (the next day's, should it be past).
    let digest_at = (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(25))
        .to_zoned_datetime(tz.clone())
        .time();
    let digest_time = digest_at.strftime("%H:%M:%S").to_string();
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let srv = start(&db, smtp.port, &["--digest-time", &digest_time]);
    let a = srv.addr.clone();
    let f = firm(&a, "reminders");
    let (s, v) = http(
        &a,
        "PATCH",
        "/api/notifications/settings",
        Some(&f.admin),
        Some(&json!({"time_zone": zone})),
    );
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["today"], today.to_string(), "{v}");
    let (s, v) = http(
        &a,
        "PUT",
        "/api/notifications/preferences",
        Some(&f.coordinator),
        Some(
            &json!({"events": ["related_party_window", "oz_window", "funds_idle"], "mode": "digest"}),
        ),
    );
    assert_eq!(s, 200, "{v}");
    let hooks = receiver(false, 0);
    add_webhook(&a, &f, &hooks);

    // 1. With a related party: the last transfer (the replacement received) two years before
    //    the window ends, seven days from the firm's today.
    let rp_end = add_days(today, 7);
    let received = likekind_core::calendar::add_months(rp_end, -24);
    assert_eq!(likekind_core::calendar::add_months(received, 24), rp_end);
    let sold = add_days(received, -60);
    let rp = new_exchange(
        &a,
        &f,
        "Family Swap",
        &json!({"taxpayer": {"entity": "individual"},
            "relinquished": [{"id": "oak", "location": "CA", "acquired": "2010-06-01", "transferred": sold.to_string(), "sale_price": "800000", "adjusted_basis": "300000"}],
            "identified": [{"id": "elm", "description": "12 Elm St", "fmv": "900000", "identified_on": add_days(sold, 10).to_string()}],
            "replacement": [{"id": "elm", "description": "12 Elm St", "location": "CA", "received": received.to_string(), "price": "900000"}],
            "related_party": {"name": "Pat Sibling", "relationship": "sibling"}}),
    );
    // 2. Failed (nothing identified by day 45): the Opportunity Zone window of its gain ends
    //    two days from the firm's today (180 days from the sale, that day included).
    let oz_end = add_days(today, 2);
    let oz_sold = add_days(oz_end, -179);
    assert_eq!(likekind_core::oz::window::last_day(oz_sold), oz_end);
    let oz = new_exchange(
        &a,
        &f,
        "Lost Deal",
        &json!({"taxpayer": {"entity": "individual"},
            "relinquished": [{"id": "oak", "location": "CA", "acquired": "2012-06-01", "transferred": oz_sold.to_string(), "sale_price": "700000", "adjusted_basis": "200000"}]}),
    );
    // 3. Nothing identified 60 days after the sale: $250,000 still held although the funds
    //    could go back to the taxpayer.
    let idle_sold = add_days(today, -60);
    let idle = new_exchange(
        &a,
        &f,
        "Idle Cash",
        &json!({"taxpayer": {"entity": "individual"},
            "relinquished": [{"id": "oak", "location": "CA", "acquired": "2012-06-01", "transferred": idle_sold.to_string(), "sale_price": "250000", "adjusted_basis": "100000"}]}),
    );
    let (s, v) = http(
        &a,
        "POST",
        &format!("/api/exchanges/{idle}/ledger"),
        Some(&f.coordinator),
        Some(&json!({"kind": "receipt", "amount": "250000.00", "memo": "sale proceeds"})),
    );
    assert_eq!(s, 201, "{v}");
    // The release date the tracker shows for it (its idle-funds alert).
    let (s, al) = http(&a, "GET", "/api/alerts", Some(&f.admin), None);
    assert_eq!(s, 200, "{al}");
    let release: jiff::civil::Date = al
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "idle_funds" && x["exchange_id"] == idle.as_str())
        .and_then(|x| x["date"].as_str())
        .unwrap_or_else(|| panic!("an idle-funds alert: {al}"))
        .parse()
        .unwrap();
    assert!(release < today);

    // The admin: one e-mail each, as soon as the scheduler runs.
    let to = |m: &Mail, who: &str| m.header("to").contains(who);
    wait_until("three reminders to the admin", 60, || {
        read_mails(smtp.dir.path())
            .iter()
            .filter(|m| to(m, &f.admin_email))
            .count()
            >= 3
    });
    let mails = read_mails(smtp.dir.path());
    let admin: Vec<&Mail> = mails.iter().filter(|m| to(m, &f.admin_email)).collect();
    assert_eq!(admin.len(), 3, "one e-mail per reminder");
    let find = |start: &str| -> &Mail {
        admin
            .iter()
            .find(|m| m.header("subject").starts_with(start))
            .unwrap_or_else(|| {
                panic!(
                    "{start}: {:?}",
                    admin
                        .iter()
                        .map(|m| m.header("subject"))
                        .collect::<Vec<_>>()
                )
            })
    };
    let url = "https://tracker.qi.example/exchanges";
    let m = find("Related-party");
    assert_eq!(
        m.header("subject"),
        format!(
            "Related-party two-year window ends in 7 days for \"Family Swap\": {}",
            words_date(rp_end)
        )
    );
    let b = m.body();
    assert!(
        b.contains(&format!(
            "The two-year related-party window of \"Family Swap\" ends on {}, in 7 days.",
            words_date(rp_end)
        )),
        "{b}"
    );
    assert!(
        b.contains("What to do: A sale of the exchanged property by either party before that day"),
        "{b}"
    );
    assert!(
        b.contains(&format!("Open \"Family Swap\": {url}/{rp}\n"))
            || b.contains(&format!("Open \"Family Swap\": {url}/{rp}\r\n")),
        "{b}"
    );
    let m = find("Opportunity Zone");
    assert_eq!(
        m.header("subject"),
        format!(
            "Opportunity Zone window ends in 2 days for \"Lost Deal\": {}",
            words_date(oz_end)
        )
    );
    let b = m.body();
    assert!(
        b.contains(&format!(
            "Qualified Opportunity Fund ends on {}, in 2 days",
            words_date(oz_end)
        )),
        "{b}"
    );
    assert!(
        b.contains("What to do: If the taxpayer wants to defer that gain"),
        "{b}"
    );
    assert!(b.contains(&format!("{url}/{oz}")), "{b}");
    let m = find("Funds still held");
    assert_eq!(
        m.header("subject"),
        format!(
            "Funds still held for \"Idle Cash\" after {}",
            words_date(release)
        )
    );
    let b = m.body();
    assert!(
        b.contains(&format!(
            "\"Idle Cash\" still holds $250,000.00, though the funds could go back to the taxpayer from {}.",
            words_date(release)
        )),
        "{b}"
    );
    assert!(
        b.contains("What to do: Release or disburse the remaining funds"),
        "{b}"
    );
    assert!(b.contains(&format!("{url}/{idle}/ledger")), "{b}");
    for m in &admin {
        assert!(
            m.header("list-unsubscribe")
                .contains("/api/notifications/unsubscribe?")
        );
        assert!(m.body().contains("Content-Type: text/html"));
    }

    // The webhook: each signed, with its date and lead time.
    wait_until("three webhooks", 60, || {
        hooks.hits.lock().unwrap().len() >= 3
    });
    let hits = hooks.hits.lock().unwrap().clone();
    assert!(hits.iter().all(|h| h.signature_ok));
    let hit = |e: &str| {
        hits.iter()
            .find(|h| h.body["event"] == e)
            .unwrap_or_else(|| panic!("{e}: {hits:?}"))
            .body
            .clone()
    };
    let h = hit("related_party_window");
    assert_eq!(h["exchange"]["id"], rp.as_str());
    assert_eq!(h["data"]["date"], rp_end.to_string());
    assert_eq!(h["data"]["lead_days"], 7);
    let h = hit("oz_window");
    assert_eq!(h["exchange"]["name"], "Lost Deal");
    assert_eq!(h["data"]["date"], oz_end.to_string());
    assert_eq!(h["data"]["lead_days"], 2);
    let h = hit("funds_idle");
    assert_eq!(h["data"]["amount_cents"], 25_000_000);
    assert_eq!(h["data"]["date"], release.to_string());

    // The coordinator: nothing before the digest time, then ONE e-mail with all three.
    assert!(
        !read_mails(smtp.dir.path())
            .iter()
            .any(|m| to(m, &f.coord_email)),
        "the digest waits for its time"
    );
    wait_until("the daily digest", 90, || {
        read_mails(smtp.dir.path())
            .iter()
            .any(|m| to(m, &f.coord_email))
    });
    std::thread::sleep(Duration::from_secs(2));
    let mails = read_mails(smtp.dir.path());
    let digest: Vec<&Mail> = mails.iter().filter(|m| to(m, &f.coord_email)).collect();
    assert_eq!(digest.len(), 1, "one digest e-mail");
    let d = digest[0];
    assert_eq!(
        d.header("subject"),
        format!(
            "Your daily summary: 3 notifications for {}",
            words_date(today)
        )
    );
    assert!(d.header("from").contains("reminders@qi.example"));
    assert!(d.header("message-id").ends_with("@qi.example>"));
    assert!(!d.header("date").is_empty());
    let b = d.body();
    for line in [
        format!(
            "Related-party two-year window ends in 7 days for \"Family Swap\": {}",
            words_date(rp_end)
        ),
        format!(
            "Opportunity Zone window ends in 2 days for \"Lost Deal\": {}",
            words_date(oz_end)
        ),
        format!(
            "Funds still held for \"Idle Cash\" after {}",
            words_date(release)
        ),
        format!("{url}/{rp}"),
        format!("{url}/{oz}"),
        format!("{url}/{idle}/ledger"),
        "$250,000.00".to_string(),
    ] {
        assert!(b.contains(&line), "the digest lacks {line:?}: {b}");
    }
    assert!(b.contains("Content-Type: text/html"), "{b}");
    // Unsubscribing from the digest stops every e-mail (one click, RFC 8058).
    assert_eq!(
        d.header("list-unsubscribe-post"),
        "List-Unsubscribe=One-Click"
    );
    let lu = d.header("list-unsubscribe");
    assert!(lu.contains("event=all"), "{lu}");
    let path = lu
        .trim_start_matches('<')
        .trim_end_matches('>')
        .strip_prefix("https://tracker.qi.example")
        .unwrap()
        .to_string();
    let (s, v) = http(&a, "POST", &path, None, None);
    assert_eq!(s, 200, "{v}");
    let (_, p) = http(
        &a,
        "GET",
        "/api/notifications/preferences",
        Some(&f.coordinator),
        None,
    );
    assert_eq!(p["mode"], "off", "{p}");
    // Nothing is enqueued twice while the scheduler keeps running.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        read_mails(smtp.dir.path())
            .iter()
            .filter(|m| to(m, &f.admin_email))
            .count(),
        3
    );
    assert_eq!(hooks.hits.lock().unwrap().len(), 3);
}

// ---------------------------------------------------------------- no mail server

/// Without `--smtp-url`, e-mails wait and say why on the deliveries list (a server with a
/// mail server sharing the database would still send them), and fail for good once their
/// retry window is over; webhooks go out meanwhile.
#[test]
fn email_not_configured_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("e.db").display());
    let srv = start_with(&db, None, &["--notify-retry-secs", "4"]);
    let a = srv.addr.clone();
    let f = firm(&a, "no-mail");
    let hooks = receiver(false, 0);
    add_webhook(&a, &f, &hooks);
    let x = exchange(&a, &f, "No Mail", 2, "300000.00");
    burst(&a, &f, &x, 1, 1);
    wait_until("the webhook", 30, || !hooks.hits.lock().unwrap().is_empty());
    let emails = |status: &str| -> Vec<Value> {
        let (s, v) = http(
            &a,
            "GET",
            &format!("/api/notifications/deliveries?status={status}"),
            Some(&f.admin),
            None,
        );
        assert_eq!(s, 200, "{v}");
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["channel"] == "email")
            .cloned()
            .collect()
    };
    wait_until("the e-mails say why they wait", 30, || {
        let p = emails("pending");
        p.len() == 2
            && p.iter().all(|d| {
                d["last_error"]
                    .as_str()
                    .is_some_and(|e| e.contains("E-mail is not configured on the server"))
            })
    });
    assert!(emails("delivered").is_empty());
    wait_until("the e-mails fail for good after the window", 30, || {
        emails("dead").len() == 2
    });
    let dead = emails("dead");
    assert!(
        dead[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("could not be sent within the retry window"),
        "{dead:?}"
    );
    assert_eq!(dead[0]["attempts"], 0, "never handed to a mail server");
    assert!(emails("pending").is_empty());
}

// ---------------------------------------------------------------- TLS

/// A certificate for 127.0.0.1, made with the openssl command: (dir, cert.pem, key.pem).
fn certificate(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let cert = dir.join(format!("{name}-cert.pem"));
    let key = dir.join(format!("{name}-key.pem"));
    let st = Command::new("/usr/bin/openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .args([
            "-subj",
            &format!("/CN={name}"),
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "extendedKeyUsage=serverAuth",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl runs");
    assert!(st.success(), "openssl made a certificate");
    (cert, key)
}

/// A webhook receiver over HTTPS (rustls) with the certificate `cert`/`key`.
fn tls_receiver(cert: &Path, key: &Path) -> Receiver {
    use tokio_rustls::rustls;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(key).unwrap();
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap(),
    );
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let r = Receiver {
        port: l.local_addr().unwrap().port(),
        hits: Arc::default(),
        secret: Arc::default(),
        incomplete: Arc::default(),
    };
    let r2 = r.clone();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(s) = s else { continue };
            let r = r2.clone();
            let config = Arc::clone(&config);
            std::thread::spawn(move || {
                let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let _ = serve_hook(rustls::StreamOwned::new(conn, s), &r, false, 0);
            });
        }
    });
    r
}

fn add_https_webhook(a: &str, f: &Firm, r: &Receiver) {
    let (s, v) = http(
        a,
        "POST",
        "/api/webhooks",
        Some(&f.admin),
        Some(&json!({"url": format!("https://127.0.0.1:{}/hooks", r.port)})),
    );
    assert_eq!(s, 201, "{v}");
    *r.secret.lock().unwrap() = v["secret"].as_str().unwrap().to_string();
}

/// STARTTLS and TLS from the start (SMTPS) to aiosmtpd with a certificate made for the test,
/// and an HTTPS webhook receiver with it: trusted through `--tls-ca-file`, delivered over TLS
/// and signed. Without that file the same certificate is refused: nothing is sent, the
/// deliveries are retried and then dead-lettered with the reason.
#[test]
fn tls_mail_and_webhooks_on_sqlite() {
    let certs = tempfile::tempdir().unwrap();
    let (cert, key) = certificate(certs.path(), "127.0.0.1");
    let (cert_s, key_s) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let Some(starttls) = sink_tls(
        "tls_mail_and_webhooks_on_sqlite",
        0,
        &["starttls", cert_s, key_s],
    ) else {
        return;
    };
    let smtps = sink_tls(
        "tls_mail_and_webhooks_on_sqlite",
        0,
        &["smtps", cert_s, key_s],
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, smtp: String, trust: bool, extra: &[&str]| {
        let db = format!(
            "sqlite://{}",
            dir.path().join(format!("{name}.db")).display()
        );
        let mut args: Vec<&str> = extra.to_vec();
        if trust {
            args.extend_from_slice(&["--tls-ca-file", cert_s]);
        }
        let srv = start_with(&db, Some(&smtp), &args);
        let f = firm(&srv.addr, name);
        (srv, f)
    };
    // Trusted: STARTTLS (with the webhook over HTTPS) and SMTPS.
    let (srv1, f1) = run(
        "starttls",
        format!("starttls://127.0.0.1:{}", starttls.port),
        true,
        &[],
    );
    let hooks = tls_receiver(&cert, &key);
    add_https_webhook(&srv1.addr, &f1, &hooks);
    let x1 = exchange(&srv1.addr, &f1, "Secure One", 2, "300000.00");
    burst(&srv1.addr, &f1, &x1, 1, 1);
    let (srv2, f2) = run(
        "smtps",
        format!("smtps://127.0.0.1:{}", smtps.port),
        true,
        &[],
    );
    let x2 = exchange(&srv2.addr, &f2, "Secure Two", 2, "300000.00");
    burst(&srv2.addr, &f2, &x2, 2, 1);
    for (sink, f, what) in [(&starttls, &f1, "STARTTLS"), (&smtps, &f2, "SMTPS")] {
        wait_until(what, 60, || {
            read_mails(sink.dir.path())
                .iter()
                .filter(|m| {
                    m.header("to").contains(&f.admin_email)
                        || m.header("to").contains(&f.coord_email)
                })
                .count()
                >= 2
        });
        for m in read_mails(sink.dir.path()) {
            assert_eq!(m.header("x-sink-tls"), "yes", "{what}: over TLS");
            assert!(m.header("subject").contains("disbursed"), "{what}");
        }
    }
    wait_until("the HTTPS webhook", 60, || {
        !hooks.hits.lock().unwrap().is_empty()
    });
    let hits = hooks.hits.lock().unwrap().clone();
    assert!(hits.iter().all(|h| h.signature_ok), "signed");
    assert_eq!(hits[0].body["event"], "funds_released");
    assert_eq!(hits[0].body["exchange"]["name"], "Secure One");

    // Not trusted: the same certificate without --tls-ca-file is refused, nothing is sent.
    let before = read_mails(starttls.dir.path()).len();
    let (srv3, f3) = run(
        "untrusted",
        format!("starttls://127.0.0.1:{}", starttls.port),
        false,
        &["--notify-retry-secs", "3"],
    );
    let refused = tls_receiver(&cert, &key);
    add_https_webhook(&srv3.addr, &f3, &refused);
    let x3 = exchange(&srv3.addr, &f3, "Untrusted", 2, "300000.00");
    burst(&srv3.addr, &f3, &x3, 3, 1);
    let list = |status: &str| -> Vec<Value> {
        let (_, v) = http(
            &srv3.addr,
            "GET",
            &format!("/api/notifications/deliveries?status={status}"),
            Some(&f3.admin),
            None,
        );
        v["items"].as_array().unwrap().clone()
    };
    wait_until("the refused deliveries dead-lettered", 60, || {
        list("dead").len() == 3
    });
    let dead = list("dead");
    for d in &dead {
        let e = d["last_error"].as_str().unwrap();
        assert!(
            e.to_lowercase().contains("certificate") || e.contains("UnknownIssuer"),
            "{d}"
        );
        assert!(d["attempts"].as_i64().unwrap() >= 2, "retried first: {d}");
    }
    assert!(list("delivered").is_empty());
    assert_eq!(
        read_mails(starttls.dir.path()).len(),
        before,
        "no e-mail sent"
    );
    assert!(refused.hits.lock().unwrap().is_empty(), "no webhook sent");
    drop((srv1, srv2, srv3));
}

/// `--tls-ca-file` must name a PEM file of certificates, and `--digest-time` a time of day:
/// the server refuses to start otherwise, saying why.
#[test]
fn tls_ca_file_and_digest_time_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let not_pem = dir.path().join("notes.txt");
    std::fs::write(&not_pem, "not a certificate\n").unwrap();
    let missing = dir.path().join("missing.pem");
    for (args, words) in [
        (
            vec!["--tls-ca-file", missing.to_str().unwrap()],
            "cannot be read",
        ),
        (
            vec!["--tls-ca-file", not_pem.to_str().unwrap()],
            "holds no certificate",
        ),
        (
            vec!["--digest-time", "7am"],
            "is not a time of day such as 07:00",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_likekind"))
            .args(["serve", "--db", &db, "--bind", "127.0.0.1:0"])
            .args(&args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(words), "{args:?}: {err}");
    }
}
