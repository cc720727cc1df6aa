//! Test harness: the app in-process (no socket), on a temp SQLite file or on the PostgreSQL
//! named by `LIKEKIND_TEST_PG_URL`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use likekind_server::{AppState, Config};
use likekind_store::Store;
use serde_json::{Value, json};
use tower::ServiceExt;

pub mod oak;

/// One test run on SQLite and, with `LIKEKIND_TEST_PG_URL`, on PostgreSQL (else said "NOT
/// RUN"): `on_both!(body, name_on_sqlite, name_on_postgres)`.
#[allow(unused_macros)]
macro_rules! on_both {
    ($name:ident, $sqlite:ident, $pg:ident) => {
        #[tokio::test]
        async fn $sqlite() {
            $name(&sqlite().await).await;
        }

        #[tokio::test]
        async fn $pg() {
            let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
                eprintln!(concat!(
                    stringify!($pg),
                    ": NOT RUN (set LIKEKIND_TEST_PG_URL)"
                ));
                return;
            };
            $name(&at_url(&url).await).await;
        }
    };
}

pub struct TestApp {
    pub app: Router,
    pub store: Store,
    pub _dir: Option<tempfile::TempDir>,
}

/// Who a request is sent as.
#[derive(Clone, Debug)]
pub enum As {
    Nobody,
    Token(String),
    /// Session cookie and CSRF token.
    Session(String, String),
}

pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 5, 1)
}

pub fn config() -> Config {
    Config {
        allow_signup: true,
        today: Some(today()),
        ..Config::default()
    }
}

pub async fn sqlite() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::open(&url).await.unwrap();
    TestApp {
        app: likekind_server::app(AppState::new(store.clone(), config())),
        store,
        _dir: Some(dir),
    }
}

pub async fn at_url(url: &str) -> TestApp {
    let store = Store::open(url).await.unwrap();
    TestApp {
        app: likekind_server::app(AppState::new(store.clone(), config())),
        store,
        _dir: None,
    }
}

/// A unique suffix so tests can share one PostgreSQL database.
pub fn uniq() -> String {
    uuid_like()
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{t:x}{}", N.fetch_add(1, Ordering::Relaxed))
}

impl TestApp {
    /// The same database seen by a server whose clock says `today`.
    pub fn on(&self, today: jiff::civil::Date) -> TestApp {
        let config = Config {
            today: Some(today),
            ..config()
        };
        TestApp {
            app: likekind_server::app(AppState::new(self.store.clone(), config)),
            store: self.store.clone(),
            _dir: None,
        }
    }

    pub async fn raw(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        (status, headers, body)
    }

    pub fn request(method: &str, path: &str, who: &As, body: Option<&Value>) -> Request<Body> {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "localhost");
        match who {
            As::Nobody => {}
            As::Token(t) => b = b.header(header::AUTHORIZATION, format!("Bearer {t}")),
            As::Session(c, csrf) => {
                b = b
                    .header(header::COOKIE, format!("likekind_session={c}"))
                    .header("x-csrf-token", csrf.as_str())
            }
        }
        match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        }
    }

    /// [`TestApp::request`] with `body` sent as it is, as JSON: malformed JSON too.
    pub fn request_text(method: &str, path: &str, who: &As, body: &str) -> Request<Body> {
        let mut r = Self::request(method, path, who, None);
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/json"),
        );
        *r.body_mut() = Body::from(body.to_string());
        r
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        who: &As,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        Self::answer(
            method,
            path,
            self.raw(Self::request(method, path, who, body.as_ref()))
                .await,
        )
    }

    /// [`TestApp::call`] with the body sent as it is ([`TestApp::request_text`]).
    pub async fn call_text(
        &self,
        method: &str,
        path: &str,
        who: &As,
        body: &str,
    ) -> (StatusCode, Value) {
        Self::answer(
            method,
            path,
            self.raw(Self::request_text(method, path, who, body)).await,
        )
    }

    /// The answer as JSON, checked: never a 500, an error always in the one shape.
    fn answer(
        method: &str,
        path: &str,
        (s, _, b): (StatusCode, axum::http::HeaderMap, Vec<u8>),
    ) -> (StatusCode, Value) {
        let v = if b.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&b).unwrap_or(Value::String(String::from_utf8_lossy(&b).into()))
        };
        assert_ne!(
            s,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{method} {path} gave 500: {v}"
        );
        if !s.is_success() {
            assert!(
                v["error"]["code"].is_string(),
                "{method} {path}: error not in the one shape: {v}"
            );
        }
        (s, v)
    }

    pub async fn get(&self, path: &str, who: &As) -> (StatusCode, Value) {
        self.call("GET", path, who, None).await
    }

    pub async fn post(&self, path: &str, who: &As, body: Value) -> (StatusCode, Value) {
        self.call("POST", path, who, Some(body)).await
    }

    /// Signs a firm up; returns the admin's session, user id and firm id.
    pub async fn signup(&self, firm: &str) -> (As, String, String) {
        let email = format!("admin-{}@{firm}.example", uniq());
        let (s, h, b) = self
            .raw(Self::request("POST", "/api/signup", &As::Nobody, Some(&json!({
                "firm_name": firm, "email": email, "name": "Admin", "password": "correct horse battery"
            }))))
            .await;
        assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
        let v: Value = serde_json::from_slice(&b).unwrap();
        (
            As::Session(cookie_of(&h), v["csrf_token"].as_str().unwrap().to_string()),
            v["user"]["id"].as_str().unwrap().to_string(),
            v["user"]["firm_id"].as_str().unwrap().to_string(),
        )
    }

    /// Adds a user with `role` and returns a bearer token for them and their id.
    pub async fn user(&self, admin: &As, role: &str) -> (As, String) {
        self.user_named(admin, role, role).await
    }

    /// Adds a user with `role` and `name` and returns a bearer token for them and their id.
    pub async fn user_named(&self, admin: &As, role: &str, name: &str) -> (As, String) {
        let email = format!("{role}-{}@example.com", uniq());
        let (s, u) = self
            .post("/api/users", admin, json!({"email": email, "name": name, "role": role, "password": "correct horse battery"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{u}");
        let (_, h, b) = self
            .raw(Self::request(
                "POST",
                "/api/login",
                &As::Nobody,
                Some(&json!({"email": email, "password": "correct horse battery"})),
            ))
            .await;
        let l: Value = serde_json::from_slice(&b).unwrap();
        let session = As::Session(cookie_of(&h), l["csrf_token"].as_str().unwrap().to_string());
        let (s, t) = self
            .post("/api/tokens", &session, json!({"name": "test"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{t}");
        (
            As::Token(t["token"].as_str().unwrap().to_string()),
            u["id"].as_str().unwrap().to_string(),
        )
    }
}

pub fn cookie_of(h: &axum::http::HeaderMap) -> String {
    let c = h.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    c.split(';')
        .next()
        .unwrap()
        .trim_start_matches("likekind_session=")
        .to_string()
}

/// An exchange file: oak sold 2026-03-02 for $1,000,000 (basis $400,000).
pub fn file() -> Value {
    json!({
        "exchange": {"name": "Oak for Elm"},
        "taxpayer": {"name": "Pat Doe", "entity": "individual"},
        "relinquished": [{"id": "oak", "location": "CA", "acquired": "2015-06-01", "transferred": "2026-03-02",
                           "sale_price": "1000000", "adjusted_basis": "400000"}]
    })
}

/// The same file with elm received on 2026-04-25: after day 45 (2026-04-16), before the
/// tests' today (a purchase is recorded once it has closed).
pub fn file_with_elm() -> Value {
    let mut f = file();
    f["replacement"] =
        json!([{"id": "elm", "location": "TX", "received": "2026-04-25", "price": "1000000"}]);
    f
}

impl TestApp {
    /// Records a purchase closing on an exchange (`PATCH` with the file's replacement added):
    /// `rid` received on `received` for `price`, with `loan` of new debt. A disbursement pays
    /// only a recorded closing (Treas. Reg. §1.1031(k)-1(g)(6)).
    pub async fn record_closing(
        &self,
        who: &As,
        id: &str,
        rid: &str,
        received: &str,
        price: &str,
        loan: &str,
    ) -> (StatusCode, Value) {
        let (_, cur) = self.get(&format!("/api/exchanges/{id}"), who).await;
        let mut f = cur["file"].clone();
        let rep = json!({"id": rid, "location": "TX", "received": received, "price": price,
                         "liabilities_assumed": loan});
        match f["replacement"].as_array_mut() {
            Some(list) => list.push(rep),
            None => f["replacement"] = json!([rep]),
        }
        self.call(
            "PATCH",
            &format!("/api/exchanges/{id}"),
            who,
            Some(json!({"version": cur["version"], "file": f})),
        )
        .await
    }
}

impl TestApp {
    /// [`TestApp::record_closing`] on the day the purchase closed (`received`, `YYYY-MM-DD`),
    /// as the intermediary records a closing it pays. A closing dated within the 45-day
    /// identification period but recorded only after it counts as identified only on the
    /// ledger's evidence (Treas. Reg. §1.1031(k)-1(c)(1)), so a test of a closing within the
    /// period records it then.
    pub async fn record_closing_that_day(
        &self,
        who: &As,
        id: &str,
        rid: &str,
        received: &str,
        price: &str,
        loan: &str,
    ) -> (StatusCode, Value) {
        let day: jiff::civil::Date = received.parse().unwrap();
        self.on(day)
            .record_closing(who, id, rid, received, price, loan)
            .await
    }
}

/// A purchase closing to record: `property` received on `received` for `price`, with `loan`
/// of new debt.
#[derive(Clone, Copy, Debug)]
pub struct Purchase<'a> {
    pub property: &'a str,
    pub received: &'a str,
    pub price: &'a str,
    pub loan: &'a str,
}

impl TestApp {
    /// Pays `amount` from the exchange funds to the recorded purchase closing of `property`
    /// (a disbursement, with `memo`): the API's answer (201 posted, 202 waiting for a second
    /// approval, 422 refused).
    pub async fn pay_closing(
        &self,
        who: &As,
        id: &str,
        property: &str,
        amount: &str,
        memo: &str,
    ) -> (StatusCode, Value) {
        self.post(
            &format!("/api/exchanges/{id}/ledger"),
            who,
            json!({"kind": "disbursement", "amount": amount, "property": property, "memo": memo}),
        )
        .await
    }

    /// Records a purchase closing on the day it closed ([`TestApp::record_closing_that_day`],
    /// which must be accepted), then pays `amount` to it on the tracker's today
    /// ([`TestApp::pay_closing`], no memo): the answer to the payment.
    pub async fn record_and_pay(
        &self,
        who: &As,
        id: &str,
        p: Purchase<'_>,
        amount: &str,
    ) -> (StatusCode, Value) {
        let (s, v) = self
            .record_closing_that_day(who, id, p.property, p.received, p.price, p.loan)
            .await;
        assert_eq!(
            s,
            StatusCode::OK,
            "the purchase of {} recorded: {v}",
            p.property
        );
        self.pay_closing(who, id, p.property, amount, "").await
    }
}
