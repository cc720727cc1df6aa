//! `likekind serve` end to end over loopback: the server starts on an embedded SQLite file,
//! takes a stream of ledger postings, and is killed with SIGKILL in the middle. After a
//! restart every acknowledged posting is there, none is partial, and the balance is the sum.
//! Bounded: at most 400 postings or 20 seconds, 127.0.0.1 only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;

use server::Server;

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn start(db: &str) -> Server {
    server::start(&["serve", "--db", db, "--bind", "127.0.0.1:0"])
}

/// One HTTP/1.1 request on a fresh connection; returns the status and the JSON body.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let text = String::from_utf8_lossy(&buf);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|x| x.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let v = serde_json::from_str(body).map_err(|_| std::io::Error::other("incomplete body"))?;
    Ok((status, v))
}

#[test]
fn sigkill_mid_stream_loses_no_acknowledged_posting() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("d.db").display());
    let mut srv = start(&db);
    let a = srv.addr.clone();
    let (s, v) = http(&a, "POST", "/api/signup", None, Some(&json!({"firm_name": "D", "email": "d@d.example", "name": "D", "password": "correct horse battery"}))).unwrap();
    assert_eq!(s, 200, "{v}");
    // A script's token: log in (session cookie + CSRF token), then create an API token.
    let token = {
        let mut st = TcpStream::connect(&a).unwrap();
        let b = json!({"email": "d@d.example", "password": "correct horse battery"}).to_string();
        write!(st, "POST /api/login HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}", b.len()).unwrap();
        let mut buf = String::new();
        st.read_to_string(&mut buf).unwrap();
        let cookie = buf
            .lines()
            .find_map(|l| l.strip_prefix("set-cookie: "))
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let csrf: Value = serde_json::from_str(buf.split_once("\r\n\r\n").unwrap().1).unwrap();
        let mut st = TcpStream::connect(&a).unwrap();
        let b = json!({"name": "stream"}).to_string();
        write!(st, "POST /api/tokens HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\nCookie: {cookie}\r\nX-CSRF-Token: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}", csrf["csrf_token"].as_str().unwrap(), b.len()).unwrap();
        let mut buf = String::new();
        st.read_to_string(&mut buf).unwrap();
        let v: Value = serde_json::from_str(buf.split_once("\r\n\r\n").unwrap().1).unwrap();
        v["token"].as_str().unwrap().to_string()
    };
    let file = json!({"taxpayer": {"entity": "individual"}, "relinquished": [{"id": "oak", "location": "CA", "acquired": "2015-06-01", "transferred": "2026-03-02", "sale_price": "1000000", "adjusted_basis": "400000"}]});
    let (s, ex) = http(
        &a,
        "POST",
        "/api/exchanges",
        Some(&token),
        Some(&json!({"name": "D", "file": file})),
    )
    .unwrap();
    assert_eq!(s, 201, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();

    // Stream postings from a thread; kill the server while it runs.
    let (tx, rx) = mpsc::channel::<(i64, String)>();
    let (a2, id2, tok2) = (a.clone(), id.clone(), token.clone());
    let streamer = std::thread::spawn(move || {
        let start = Instant::now();
        for k in 1..=400i64 {
            if start.elapsed() > Duration::from_secs(20) {
                break;
            }
            // Receipts of k cents, so each posting is identifiable by its amount.
            let body = json!({"kind": "receipt", "amount": format!("{}.{:02}", k / 100, k % 100), "memo": format!("p{k}")});
            match http(
                &a2,
                "POST",
                &format!("/api/exchanges/{id2}/ledger"),
                Some(&tok2),
                Some(&body),
            ) {
                Ok((201, v)) => {
                    let _ = tx.send((k, v["posting"]["id"].as_str().unwrap_or("").to_string()));
                }
                _ => break, // the server is gone: this one was never acknowledged
            }
        }
    });
    // Let some postings through, then SIGKILL (Child::kill sends SIGKILL on Unix).
    let mut acked = Vec::new();
    while acked.len() < 25 {
        acked.push(
            rx.recv_timeout(Duration::from_secs(60))
                .expect("postings are acknowledged"),
        );
    }
    srv.child.kill().unwrap();
    srv.child.wait().unwrap();
    streamer.join().unwrap();
    acked.extend(rx.try_iter());
    assert!(acked.len() < 400, "the kill happened mid-stream");

    // Restart on the same file and read the ledger back.
    let mut srv = start(&db);
    let a = srv.addr.clone();
    let (s, l) = http(
        &a,
        "GET",
        &format!("/api/exchanges/{id}/ledger?limit=500"),
        Some(&token),
        None,
    )
    .unwrap();
    assert_eq!(s, 200, "{l}");
    let items = l["items"].as_array().unwrap();
    // Every acknowledged posting is there.
    for (k, pid) in &acked {
        assert!(
            items
                .iter()
                .any(|p| p["id"] == pid.as_str() && p["memo"] == format!("p{k}")),
            "acknowledged posting p{k} lost"
        );
    }
    // At most the one in flight beyond them, none partial: sequence 1..n, running balances right.
    assert!(
        items.len() == acked.len() || items.len() == acked.len() + 1,
        "{} stored, {} acknowledged",
        items.len(),
        acked.len()
    );
    let mut running = rust_decimal::Decimal::ZERO;
    for (i, p) in items.iter().enumerate() {
        assert_eq!(p["seq"], i as i64 + 1);
        let amt: rust_decimal::Decimal = p["amount"].as_str().unwrap().parse().unwrap();
        assert_eq!(p["memo"], format!("p{}", i + 1));
        running += amt;
        assert_eq!(
            p["balance_after"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap(),
            running
        );
    }
    assert_eq!(
        l["balance"]
            .as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap(),
        running
    );
    // The audit log has exactly one record per posting (same transaction).
    let (_, au) = http(
        &a,
        "GET",
        &format!("/api/exchanges/{id}/audit?limit=500"),
        Some(&token),
        None,
    )
    .unwrap();
    let posts = au["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["action"] == "ledger.post")
        .count();
    assert_eq!(posts, items.len());
    srv.child.kill().unwrap();
    srv.child.wait().unwrap();
}
