//! Headless Chromium for the page tests, driven over WebDriver (`fantoccini`): finding
//! chromedriver (or saying the test did not run), starting it on a free port with a fresh
//! profile, and the few steps every browser test takes as a person would (type, click, wait
//! for htmx to swap the text in).

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Debian's chromedriver, or `None` after saying the browser test did not run. Without it
/// the test passes, unless `LIKEKIND_REQUIRE_BROWSER` is set (CI), where it fails.
pub fn driver_or_skip() -> Option<PathBuf> {
    let found = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() {
        println!("BROWSER TEST DID NOT RUN: chromedriver not found (install with .ci/browser.sh)");
        assert!(
            std::env::var_os("LIKEKIND_REQUIRE_BROWSER").is_none(),
            "LIKEKIND_REQUIRE_BROWSER is set but chromedriver is not installed"
        );
    }
    found
}

/// The chromedriver process, stopped when the test ends.
pub struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Chromium, headless at 1280×900 with a fresh profile (kept while the test runs), driven by
/// chromedriver on a free port; `extra` adds Chromium arguments.
pub async fn start(driver: &Path, extra: &[&str]) -> (Driver, Client, tempfile::TempDir) {
    let port = free_port();
    let d = Driver(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let profile = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=en-US",
        "--window-size=1280,900",
    ]
    .iter()
    .chain(extra)
    .map(|a| (*a).to_string())
    .collect();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": "/usr/bin/chromium", "args": args }),
    );
    for _ in 0..50 {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return (d, c, profile),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    panic!("chromedriver did not start");
}

/// Types `text` into the field, replacing what was there.
pub async fn fill(c: &Client, css: &str, text: &str) {
    let e = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css}"));
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

/// Date inputs take their value from script: typing into them depends on the locale.
pub async fn set_date(c: &Client, id: &str, v: &str) {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![json!(id), json!(v)],
    )
    .await
    .unwrap();
}

/// Chooses the option with `value` in a `<select>`.
pub async fn select(c: &Client, css: &str, value: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css}"))
        .select_by_value(value)
        .await
        .unwrap();
}

pub async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css}"))
        .click()
        .await
        .unwrap();
}

/// Waits until the element's text contains `want` (htmx swaps after a short delay), trying
/// `tries` times 100 ms apart.
pub async fn wait_text_for(c: &Client, css: &str, want: &str, tries: u32) -> String {
    let mut last = String::new();
    for _ in 0..tries {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            last = e.text().await.unwrap_or_default();
            if last.contains(want) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never showed {want:?}; last text: {last}");
}

/// [`wait_text_for`] for up to five seconds.
pub async fn wait_text(c: &Client, css: &str, want: &str) -> String {
    wait_text_for(c, css, want, 50).await
}
