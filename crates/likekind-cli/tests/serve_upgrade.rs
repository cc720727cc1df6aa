//! `likekind serve` after an upgrade that changed how the stored summaries are derived:
//! the server listens at once, says on its output that it is bringing every exchange's
//! summary up to date and how far it has come, and once it says it is done every summary
//! is the one the API writes for the exchange as it stands, and pages answer again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;

use likekind_store::{Actor, NewUser, PageReq, Role, Store};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A firm in the database at `url` holding every example exchange file, imported by the
/// CLI as a firm would load its book.
fn firm_with_examples(url: &str) -> Actor {
    let actor = rt().block_on(async {
        let store = Store::open(url).await.unwrap();
        let (firm, admin) = store
            .create_firm(
                "Upgrade QI",
                NewUser {
                    email: "admin@upgrade.example".into(),
                    name: "Ada Admin".into(),
                    role: Role::Admin,
                    password_hash: "x".into(),
                },
            )
            .await
            .unwrap();
        Actor {
            firm_id: firm.id,
            user_id: admin.id,
        }
    });
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let out = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(["import", examples.to_str().unwrap(), "--db", url])
        .args(["--as", "admin@upgrade.example"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    actor
}

/// Every stored summary of the firm, by exchange id, read without refreshing anything.
fn summaries(url: &str, firm: &str) -> Vec<(String, i64, likekind_store::summary::Summary)> {
    rt().block_on(async {
        let store = Store::open_migrated(url).await.unwrap();
        let rows = store
            .list_exchanges(
                firm,
                None,
                PageReq {
                    after: None,
                    limit: 10_000,
                },
            )
            .await
            .unwrap();
        let mut out = Vec::new();
        for r in rows {
            let (version, s) = store.stored_summary(firm, &r.id).await.unwrap();
            out.push((r.id, version, s));
        }
        out
    })
}

/// `GET path` with this `Accept`: the status and the body.
fn get(addr: &str, path: &str, accept: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|x| x.parse().ok())
        .unwrap();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string());
    (status, body.unwrap_or_default())
}

/// The server's lines, read until one contains `words`.
fn until(rx: &std::sync::mpsc::Receiver<String>, lines: &mut Vec<String>, words: &str) {
    while !lines.last().is_some_and(|l| l.contains(words)) {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no line with {words:?}: {lines:#?}"));
        lines.push(line);
    }
}

#[test]
fn a_server_after_an_upgrade_brings_every_summary_up_to_date_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("u.db").display());
    let firm = firm_with_examples(&url).firm_id;
    let before = summaries(&url, &firm);
    assert!(before.len() >= 30, "{} exchanges", before.len());

    // What an upgrade finds: every summary from an older derivation, and wrong by now.
    rt().block_on(async {
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .unwrap();
        sqlx::query(
            "UPDATE exchanges SET summary_version = 0, verdict_summary = 'stale', \
             identification_end = NULL",
        )
        .execute(&pool)
        .await
        .unwrap();
    });
    assert!(summaries(&url, &firm).iter().all(|(_, v, _)| *v == 0));

    // Another writer holds the database while the server starts, so its update waits: what
    // people and scripts get meanwhile is seen, not raced.
    let holder = rt();
    let (pool, held) = holder.block_on(async {
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .unwrap();
        let mut tx = pool.begin().await.unwrap();
        sqlx::query("UPDATE exchanges SET summary_version = 0")
            .execute(&mut *tx)
            .await
            .unwrap();
        (pool, tx)
    });
    // `start` returns at the "listening" line: everything after it is read from here on.
    let srv = server::start(&["serve", "--db", &url, "--bind", "127.0.0.1:0"]);
    let addr = srv.addr.clone();
    let mut lines = Vec::new();
    let n = before.len();
    // It listens before it begins, so people are told why they wait.
    until(
        &srv.lines,
        &mut lines,
        &format!(
            "Bringing the stored summaries of {n} exchanges up to date after an upgrade: 0 done (0%). Every page answers \"updating\" until it is done."
        ),
    );
    let progress = format!("{n} exchanges up to date after an upgrade: 0 done (0%)");
    let (code, page) = get(&addr, "/", "text/html");
    assert_eq!(code, 503, "{page}");
    assert!(
        page.contains("<h1>Updating after an upgrade</h1>"),
        "{page}"
    );
    assert!(page.contains(&progress), "{page}");
    let (code, body) = get(&addr, "/api/exchanges", "application/json");
    assert_eq!(code, 503, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["code"], "updating", "{v}");
    assert!(
        v["error"]["message"].as_str().unwrap().contains(&progress),
        "{v}"
    );

    holder.block_on(async move {
        held.rollback().await.unwrap();
        pool.close().await;
    });
    until(&srv.lines, &mut lines, "every page is open again");
    assert_eq!(get(&addr, "/login", "text/html").0, 200);

    let after = summaries(&url, &firm);
    drop(srv);
    assert_eq!(after.len(), n);
    for ((id, version, s), (id_after, version_after, s_after)) in before.iter().zip(&after) {
        assert_eq!(id, id_after);
        assert_eq!(version, version_after, "{id}: the current derivation");
        assert_eq!(s, s_after, "{id}: the summary the API wrote");
    }
}
