//! Shared test helpers: the whole app on a temp SQLite file, and a tiny browser-like client
//! (cookies, CSRF token scraped from the page, form posts) for in-process page tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use likekind_server::{AppState, Config};
use likekind_store::Store;
use tower::ServiceExt;

pub mod chrome;
pub mod words;

pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 5, 1)
}

/// The app on `store`, with the configuration changed by `f` (e.g. another today).
pub fn app_on(store: &Store, f: impl FnOnce(&mut Config)) -> Router {
    let mut cfg = Config {
        today: Some(today()),
        ..Config::default()
    };
    f(&mut cfg);
    likekind_web::app(AppState::new(store.clone(), cfg))
}

pub async fn app() -> (Router, Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::open(&url).await.unwrap();
    let cfg = Config {
        today: Some(today()),
        ..Config::default()
    };
    (
        likekind_web::app(AppState::new(store.clone(), cfg)),
        store,
        dir,
    )
}

/// The examples' own date (their `as_of`, 2026-11-25): by then their purchases have closed,
/// so a test importing one as it is runs on that day (a purchase is recorded once it has
/// closed; on [`today`] the contract example's closing of 2026-06-15 is still to come).
pub fn examples_today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 25)
}

/// [`app`] on [`examples_today`].
pub async fn app_after_examples() -> (Router, Store, tempfile::TempDir) {
    let (_, store, dir) = app().await;
    let app = app_on(&store, |c| c.today = Some(examples_today()));
    (app, store, dir)
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

pub struct Resp {
    pub status: StatusCode,
    pub location: Option<String>,
    pub cookie: Option<String>,
    pub body: String,
}

/// A person with a cookie jar of one cookie. Every HTML page it fetches is scanned for
/// codes a person must not read ([`words::assert_in_words`]) unless `unscanned` is set.
#[derive(Clone, Default)]
pub struct Browser {
    pub cookie: Option<String>,
    pub csrf: String,
    pub unscanned: bool,
}

impl Browser {
    pub async fn send(
        &mut self,
        app: &Router,
        method: &str,
        uri: &str,
        form: &[(&str, &str)],
        htmx: bool,
    ) -> Resp {
        let mut b = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "localhost")
            .header(header::ACCEPT, "text/html,application/xhtml+xml");
        if let Some(c) = &self.cookie {
            b = b.header(header::COOKIE, c.clone());
        }
        if htmx {
            b = b.header("hx-request", "true");
        }
        let body = if method == "POST" {
            b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            let mut pairs: Vec<String> = form
                .iter()
                .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
                .collect();
            if !form.iter().any(|(k, _)| *k == "_csrf") {
                pairs.push(format!("_csrf={}", self.csrf));
            }
            Body::from(pairs.join("&"))
        } else {
            Body::empty()
        };
        let r = app.clone().oneshot(b.body(body).unwrap()).await.unwrap();
        self.finish(r).await
    }

    /// Posts a `multipart/form-data` form (a form with file inputs) as a browser does: text
    /// fields, then files as `(field, filename, bytes)`. The CSRF token is added when absent.
    pub async fn multipart(
        &mut self,
        app: &Router,
        uri: &str,
        form: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Resp {
        const BOUNDARY: &str = "----likekindTestBoundary7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        let mut fields: Vec<(String, String)> = form
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if !form.iter().any(|(k, _)| *k == "_csrf") {
            fields.insert(0, ("_csrf".into(), self.csrf.clone()));
        }
        for (k, v) in &fields {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        for (k, name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let mut b = Request::builder()
            .method("POST")
            .uri(uri)
            .header(header::HOST, "localhost")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            );
        if let Some(c) = &self.cookie {
            b = b.header(header::COOKIE, c.clone());
        }
        let r = app
            .clone()
            .oneshot(b.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        self.finish(r).await
    }

    /// Reads a response: status, redirect, cookie, body (and the page's CSRF token).
    async fn finish(&mut self, r: axum::response::Response) -> Resp {
        let status = r.status();
        let location = r
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let cookie = r
            .headers()
            .get(header::SET_COOKIE)
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
        if let Some(c) = &cookie {
            self.cookie = Some(c.clone());
        }
        let html = r
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("text/html"));
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8_lossy(&bytes).to_string();
        if html && !self.unscanned {
            words::assert_in_words(&format!("a page answered {status}"), &body);
        }
        if let Some(i) = body.find("name=\"_csrf\" value=\"") {
            let rest = &body[i + 20..];
            self.csrf = rest[..rest.find('"').unwrap()].to_string();
        }
        Resp {
            status,
            location,
            cookie,
            body,
        }
    }

    /// A download: status, headers and the raw bytes.
    pub async fn download(
        &mut self,
        app: &Router,
        uri: &str,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let mut b = Request::builder()
            .method("GET")
            .uri(uri)
            .header(header::HOST, "localhost");
        if let Some(c) = &self.cookie {
            b = b.header(header::COOKIE, c.clone());
        }
        let r = app
            .clone()
            .oneshot(b.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        (status, headers, bytes.to_vec())
    }

    pub async fn get(&mut self, app: &Router, uri: &str) -> Resp {
        self.send(app, "GET", uri, &[], false).await
    }

    pub async fn post(&mut self, app: &Router, uri: &str, form: &[(&str, &str)]) -> Resp {
        self.send(app, "POST", uri, form, false).await
    }
}

pub const PASSWORD: &str = "correct horse battery";

/// First run: creates the firm and logs its admin in.
pub async fn admin(app: &Router) -> Browser {
    let mut b = Browser::default();
    let r = b
        .post(
            app,
            "/setup",
            &[
                ("firm_name", "Acme Exchange Co"),
                ("name", "Ada Admin"),
                ("email", "ada@acme.test"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    b.get(app, "/").await;
    b
}

/// Adds a user through the Users page and logs them in.
pub async fn user(
    app: &Router,
    admin: &mut Browser,
    name: &str,
    email: &str,
    role: &str,
) -> Browser {
    admin.get(app, "/users").await;
    let r = admin
        .post(
            app,
            "/users",
            &[
                ("name", name),
                ("email", email),
                ("role", role),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    login(app, email).await
}

/// Logs a person in through the login form, in a browser of its own (a new session).
pub async fn login(app: &Router, email: &str) -> Browser {
    let mut b = Browser::default();
    let r = b
        .post(app, "/login", &[("email", email), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    b.get(app, "/").await;
    b
}

/// The user id of a client, from the new-exchange form's select.
pub fn option_value(body: &str, label_start: &str) -> String {
    let i = body.find(label_start).expect("option");
    let before = &body[..i];
    let v = before.rfind("value=\"").unwrap();
    let rest = &before[v + 7..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// Opens an exchange through the form; its id.
pub async fn new_exchange(app: &Router, b: &mut Browser, name: &str, client_id: &str) -> String {
    b.get(app, "/exchanges/new").await;
    let r = b
        .post(
            app,
            "/exchanges/new",
            &[
                ("name", name),
                ("client_id", client_id),
                ("taxpayer", "Dana Investor"),
                ("entity", "individual"),
                ("rel_id", "oak"),
                ("rel_description", "12 Oak St, Sacramento CA"),
                ("rel_location", "CA"),
                ("acquired", "2015-06-01"),
                ("transferred", "2026-04-01"),
                ("sale_price", "$1,000,000"),
                ("adjusted_basis", "400,000"),
                ("depreciation", "0"),
                ("liabilities", "300000"),
                ("expenses", "30000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location
        .unwrap()
        .trim_start_matches("/exchanges/")
        .to_string()
}

/// An exchange with its sale closed and proceeds of $670,000 received; (admin, client, id).
pub async fn funded(app: &Router) -> (Browser, Browser, String) {
    let mut a = admin(app).await;
    let client = user(app, &mut a, "Dana Investor", "dana@client.test", "client").await;
    let r = a.get(app, "/exchanges/new").await;
    let dana = option_value(&r.body, "Dana Investor &lt;dana@client.test&gt;");
    let id = new_exchange(app, &mut a, "Oak Street to Elm Plaza", &dana).await;
    a.get(app, &format!("/exchanges/{id}")).await;
    let r = a
        .post(
            app,
            &format!("/exchanges/{id}/closed"),
            &[("on_date", "2026-04-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    a.get(app, &format!("/exchanges/{id}/ledger")).await;
    let r = a
        .post(
            app,
            &format!("/exchanges/{id}/ledger"),
            &[
                ("kind", "receipt"),
                ("amount", "670,000"),
                ("posted_on", "2026-04-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    (a, client, id)
}

/// The id of a person's row on the users page.
pub fn user_id(body: &str, name: &str) -> String {
    let i = body
        .find(&format!("<th scope=\"row\">{name}</th>"))
        .unwrap();
    let row = body[..i].rfind("id=\"user-").unwrap() + 9;
    body[row..row + body[row..].find('"').unwrap()].to_string()
}
