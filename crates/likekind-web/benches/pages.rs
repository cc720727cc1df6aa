//! Server-side render time of the dashboard and the exchange page with 10,000 exchanges in
//! SQLite, through the whole router (session lookup, store, engine, HTML), one request at a
//! time. Prints p50, p99 and max over the samples.
//!
//! `cargo bench -p likekind-web --bench pages` (env `LIKEKIND_BENCH_OPEN`: how many of the
//! 10,000 are open, default 1,000; the rest are completed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use likekind_server::auth::hash_secret;
use likekind_server::{AppState, Config};
use likekind_store::{Actor, NewEvent, NewUser, Phase, Role, Store};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const TOTAL: usize = 10_000;

fn file(k: usize) -> String {
    let m = 1 + (k % 9);
    let d = 1 + (k % 27);
    format!(
        r#"{{"taxpayer":{{"name":"Taxpayer {k}","entity":"individual"}},
        "relinquished":[{{"id":"r{k}","description":"{k} Main St","location":"CA","acquired":"2015-06-01","transferred":"2026-0{m}-{d:02}","sale_price":"{}","adjusted_basis":"400000","liabilities_relieved":"300000","exchange_expenses":"30000"}}],
        "identified":[{{"id":"p{k}","description":"{k} Elm St","fmv":"900000","identified_on":"2026-0{m}-{d:02}"}}]}}"#,
        1_000_000 + k
    )
}

fn stats(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let p = |q: f64| {
        v[((v.len() as f64 * q).ceil() as usize)
            .saturating_sub(1)
            .min(v.len() - 1)]
    };
    println!(
        "{name}: n={} p50={:.2} ms p99={:.2} ms max={:.2} ms",
        v.len(),
        p(0.50).as_secs_f64() * 1e3,
        p(0.99).as_secs_f64() * 1e3,
        v[v.len() - 1].as_secs_f64() * 1e3
    );
}

fn main() {
    let open: usize = std::env::var("LIKEKIND_BENCH_OPEN")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&format!(
            "sqlite://{}",
            dir.path().join("bench.db").display()
        ))
        .await
        .unwrap();
        let (_f, user) = store
            .create_firm(
                "Bench QI",
                NewUser {
                    email: "b@bench.test".into(),
                    name: "Bench".into(),
                    role: Role::Admin,
                    password_hash: "unused".into(),
                },
            )
            .await
            .unwrap();
        let actor = Actor {
            firm_id: user.firm_id.clone(),
            user_id: user.id.clone(),
        };
        let t0 = Instant::now();
        let mut some_id = String::new();
        for k in 0..TOTAL {
            let ex = store
                .create_exchange(&actor, &format!("Exchange {k:05}"), None, &file(k))
                .await
                .unwrap();
            if k >= open {
                store
                    .add_event(
                        &actor,
                        &ex.id,
                        NewEvent {
                            kind: "relinquished_closed",
                            on_date: "2026-03-01",
                            note: "",
                            phase: Some(Phase::RelinquishedClosed),
                            require_zero_balance: false,
                            expected_version: None,
                        },
                    )
                    .await
                    .unwrap();
                store
                    .add_event(
                        &actor,
                        &ex.id,
                        NewEvent {
                            kind: "completed",
                            on_date: "2026-06-01",
                            note: "",
                            phase: Some(Phase::Completed),
                            require_zero_balance: true,
                            expected_version: None,
                        },
                    )
                    .await
                    .unwrap();
            }
            if k == open / 2 {
                some_id = ex.id.clone();
            }
        }
        println!(
            "seeded {TOTAL} exchanges ({open} open) in {:.1} s",
            t0.elapsed().as_secs_f64()
        );
        store
            .create_session(
                &hash_secret("benchtoken"),
                &user.id,
                "csrf",
                likekind_store::now_unix() + 3600,
            )
            .await
            .unwrap();
        let cfg = Config {
            today: Some(jiff::civil::date(2026, 5, 1)),
            ..Config::default()
        };
        let app = likekind_web::app(AppState::new(store, cfg));
        let get = |uri: String| {
            let app = app.clone();
            async move {
                let req = Request::get(uri)
                    .header(header::COOKIE, "likekind_session=benchtoken")
                    .body(Body::empty())
                    .unwrap();
                let t = Instant::now();
                let r = app.oneshot(req).await.unwrap();
                assert!(r.status().is_success(), "{}", r.status());
                let b = r.into_body().collect().await.unwrap().to_bytes();
                assert!(b.len() > 1000);
                t.elapsed()
            }
        };
        for (name, uri, n) in [
            ("dashboard", "/".to_string(), 100),
            ("exchange page", format!("/exchanges/{some_id}"), 500),
        ] {
            for _ in 0..5 {
                get(uri.clone()).await;
            }
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                v.push(get(uri.clone()).await);
            }
            stats(name, v);
        }
    });
}
