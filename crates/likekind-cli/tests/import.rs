//! `likekind import BOOK`: a book loaded into the tracker in bulk. Each exchange is stored as
//! the API stores one (same file, same summary), an interrupted import run again resumes with
//! no duplicates (also after SIGKILL), and bad entries are named while the rest is imported.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use likekind_store::{Actor, NewUser, PageReq, Role, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_likekind")
}

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A database with one firm: an administrator and a client.
fn firm(dir: &Path) -> (String, Actor) {
    let url = format!("sqlite://{}", dir.join("t.db").display());
    (url.clone(), firm_at(&url, "import.example"))
}

/// A new firm in the database at `url`, its users' e-mails at `domain`.
fn firm_at(url: &str, domain: &str) -> Actor {
    rt().block_on(async {
        let store = Store::open(url).await.unwrap();
        let (firm, admin) = store
            .create_firm(
                "Import QI",
                NewUser {
                    email: format!("admin@{domain}"),
                    name: "Ada Admin".into(),
                    role: Role::Admin,
                    password_hash: "x".into(),
                },
            )
            .await
            .unwrap();
        let actor = Actor {
            firm_id: firm.id.clone(),
            user_id: admin.id.clone(),
        };
        store
            .create_user(
                &actor,
                NewUser {
                    email: format!("client@{domain}"),
                    name: "Cy Client".into(),
                    role: Role::Client,
                    password_hash: "x".into(),
                },
            )
            .await
            .unwrap();
        actor
    })
}

fn import(book: &Path, url: &str, who: &str) -> Output {
    Command::new(bin())
        .args(["import", book.to_str().unwrap(), "--db", url, "--as", who])
        .output()
        .unwrap()
}

fn all_exchanges(url: &str, firm: &str) -> Vec<likekind_store::ExchangeRow> {
    rt().block_on(async {
        let store = Store::open(url).await.unwrap();
        store
            .list_exchanges(
                firm,
                None,
                PageReq {
                    after: None,
                    limit: 100_000,
                },
            )
            .await
            .unwrap()
    })
}

/// Every example imported; each stored summary equals the one the API's write path stores
/// for the same file; running the import again adds nothing; a bad entry is named.
#[test]
fn a_book_is_stored_as_the_api_stores_it_and_never_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (url, actor) = firm(dir.path());
    let book = dir.path().join("book");
    std::fs::create_dir_all(&book).unwrap();
    for p in examples() {
        std::fs::copy(&p, book.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        book.join("zz-bad.toml"),
        "[exchange]\ntype = \"sideways\"\n",
    )
    .unwrap();
    // Saved in a legacy code page: unusable, named, and the rest still imported.
    std::fs::write(
        book.join("zz-latin.toml"),
        b"[taxpayer]\nname = \"Ren\xe9e\"\n".as_slice(),
    )
    .unwrap();
    let n = examples().len();

    let o = import(&book, &url, " Admin@Import.example ");
    let said = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(2), "a bad entry makes it 2: {said}");
    assert!(
        said.contains(&format!("Imported {n} exchanges")),
        "{said}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Named with its problem in words: the field and what is wrong, no path or rule code.
    assert!(
        said.contains("zz-bad.toml: The kind: sideways is not one of the values allowed here"),
        "{said}"
    );
    assert!(
        !said.contains("exchange.type") && !said.contains("[allowed_values]"),
        "{said}"
    );
    assert!(
        said.contains("zz-latin.toml") && said.contains("not UTF-8 (byte 0xE9 at line 2"),
        "{said}"
    );

    let rows = all_exchanges(&url, &actor.firm_id);
    assert_eq!(rows.len(), n);
    rt().block_on(async {
        let store = Store::open(&url).await.unwrap();
        counts_match_the_exchanges(&store, &actor.firm_id).await;
        for row in &rows {
            // Found by its name's words, as the dashboard's search finds one the API stored.
            let q = likekind_store::ListQuery {
                search: row.name.clone(),
                limit: 500,
                ..Default::default()
            };
            let found = store
                .list_exchange_page(&actor.firm_id, jiff::civil::date(2026, 12, 5), &q)
                .await
                .unwrap();
            assert!(found.iter().any(|x| x.id == row.id), "{}", row.name);
        }
        for row in &rows {
            // The API's write path for the same file, and its stored summary.
            let api = store
                .create_exchange(&actor, &row.name, None, &row.file)
                .await
                .unwrap();
            let mine = store.stored_summary(&actor.firm_id, &row.id).await.unwrap();
            let theirs = store.stored_summary(&actor.firm_id, &api.id).await.unwrap();
            assert_eq!(mine, theirs, "{}", row.name);
            assert!(
                mine.1.verdict.is_some(),
                "{}: a verdict is stored",
                row.name
            );
            let audit = store
                .list_audit(
                    &actor.firm_id,
                    &row.id,
                    PageReq {
                        after: None,
                        limit: 100,
                    },
                )
                .await
                .unwrap();
            assert!(
                audit.iter().any(|e| e.action == "exchange.import"
                    && e.actor_id.as_deref() == Some(actor.user_id.as_str())),
                "{}: the import is in the audit log under the importer",
                row.name
            );
        }
    });

    rt().block_on(async {
        let store = Store::open(&url).await.unwrap();
        counts_match_the_exchanges(&store, &actor.firm_id).await;
    });

    // Run again: nothing new (the API-made copies above are not import entries).
    let o = import(&book, &url, "admin@import.example");
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains(&format!("Imported 0 exchanges into the firm as admin@import.example ({n} already there, 0 refused, 2 unusable)")), "{said}");
    assert_eq!(all_exchanges(&url, &actor.firm_id).len(), 2 * n);
}

/// The dashboard's maintained counts (by status, and with a deadline due) equal a count of
/// the stored exchanges, on every day from before the examples' first sale to after their
/// last deadline: the import nets the counts of a whole batch before writing them.
async fn counts_match_the_exchanges(store: &Store, firm: &str) {
    let mut day = jiff::civil::date(2015, 1, 1);
    while day < jiff::civil::date(2030, 1, 1) {
        let (mut kept, kept_due) = store.count_statuses_and_due(firm, None, day).await.unwrap();
        let mut scanned = store
            .count_exchanges_by_status_scan(firm, None, day)
            .await
            .unwrap();
        kept.retain(|c| c.1 != 0);
        scanned.retain(|c| c.1 != 0);
        kept.sort();
        scanned.sort();
        assert_eq!(kept, scanned, "{day}");
        assert_eq!(
            kept_due,
            store.count_due_scan(firm, None, day).await.unwrap(),
            "{day}"
        );
        day = day.saturating_add(jiff::Span::new().days(11));
    }
}

/// Clients cannot import, an unknown user is named, and an empty book is refused.
#[test]
fn only_staff_import() {
    let dir = tempfile::tempdir().unwrap();
    let (url, actor) = firm(dir.path());
    let book = dir.path().join("one");
    std::fs::create_dir_all(&book).unwrap();
    std::fs::copy(&examples()[0], book.join("a.toml")).unwrap();
    let o = import(&book, &url, "client@import.example");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is a client"));
    let o = import(&book, &url, "nobody@import.example");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no user with the e-mail"));
    assert!(all_exchanges(&url, &actor.firm_id).is_empty());
    // An empty book is refused, not reported as a success.
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "\n").unwrap();
    let o = import(&empty, &url, "admin@import.example");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("holds no exchanges"));
}

/// An import killed at random points (SIGKILL, no chance to clean up) and run again ends with
/// every entry stored exactly once.
#[test]
fn killed_imports_resume_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _) = firm(dir.path());
    killed_and_resumed(dir.path(), &url, "import.example");
}

/// The same on PostgreSQL (`LIKEKIND_TEST_PG_URL`), in a firm of its own.
#[test]
fn killed_imports_resume_without_duplicates_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "killed_imports_resume_without_duplicates_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let domain = format!("import-{}.example", std::process::id());
    firm_at(&url, &domain);
    killed_and_resumed(dir.path(), &url, &domain);
}

fn killed_and_resumed(dir: &Path, url: &str, domain: &str) {
    let admin = format!("admin@{domain}");
    let firm_id = rt().block_on(async {
        let store = Store::open(url).await.unwrap();
        store
            .user_for_login(&admin)
            .await
            .unwrap()
            .unwrap()
            .0
            .firm_id
    });
    let n = 3000;
    let path = distinct_book(dir, "book.jsonl", n);
    for wait_ms in [150u64, 400, 900] {
        let mut child = Command::new(bin())
            .args([
                "import",
                path.to_str().unwrap(),
                "--db",
                url,
                "--as",
                &admin,
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        let _ = child.kill();
        let _ = child.wait();
    }
    let o = import(&path, url, &admin);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let rows = all_exchanges(url, &firm_id);
    assert_eq!(rows.len(), n, "every entry exactly once");
    let mut names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), n, "no duplicates");
}

/// A book of `n` distinct exchanges (names differ) in JSON Lines, at `dir/name`.
fn distinct_book(dir: &Path, name: &str, n: usize) -> PathBuf {
    let base: toml::Value =
        toml::from_str(&std::fs::read_to_string(&examples()[1]).unwrap()).unwrap();
    let mut book = String::new();
    for k in 0..n {
        let mut v = serde_json::to_value(&base).unwrap();
        v["exchange"]["name"] = serde_json::Value::String(format!("Book exchange {k}"));
        book.push_str(&serde_json::to_string(&v).unwrap());
        book.push('\n');
    }
    let path = dir.join(name);
    std::fs::write(&path, book).unwrap();
    path
}

/// QA pass 11, defects 2 and 3: two imports of one book at once (on SQLite two writers on one
/// file, as with a server writing to it) both finish (exit 0, no "database is locked", no
/// duplicate key in the output) and store each entry once: the batch another writer got in the
/// way of is tried again, and what the other stored first is then already there.
fn two_at_once(dir: &Path, url: &str, admin: &str, firm_id: &str) {
    let n = 2000;
    let path = distinct_book(dir, "twice.jsonl", n);
    let spawn = || {
        Command::new(bin())
            .args(["import", path.to_str().unwrap(), "--db", url, "--as", admin])
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    for o in [&a, &b] {
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(o.status.code(), Some(0), "{said}");
        assert!(
            !said.contains("locked") && !said.contains("duplicate key"),
            "{said}"
        );
    }
    let rows = all_exchanges(url, firm_id);
    assert_eq!(rows.len(), n, "every entry exactly once");
}

#[test]
fn two_imports_at_once_store_each_entry_once() {
    let dir = tempfile::tempdir().unwrap();
    let (url, actor) = firm(dir.path());
    two_at_once(dir.path(), &url, "admin@import.example", &actor.firm_id);
}

#[test]
fn two_imports_at_once_store_each_entry_once_on_postgres() {
    let Ok(url) = std::env::var("LIKEKIND_TEST_PG_URL") else {
        eprintln!(
            "two_imports_at_once_store_each_entry_once_on_postgres: NOT RUN (set LIKEKIND_TEST_PG_URL)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let domain = format!("twice-{}.example", std::process::id());
    let actor = firm_at(&url, &domain);
    two_at_once(dir.path(), &url, &format!("admin@{domain}"), &actor.firm_id);
}

/// A purchase is recorded once it has closed: a line of the book recording a closing after
/// today (the firm's, as the server judges it) is refused by name and line, with the API's
/// words, and the other lines are imported. A refused line read fine: it is counted and listed
/// apart from an unusable one (which could not be read), and either makes the exit code 2.
#[test]
fn a_line_with_a_purchase_closing_after_today_is_refused_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (url, actor) = firm(dir.path());
    let base: toml::Value = toml::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/contract-example.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    // The real clock's today: the book's closings are a year before it and a year after.
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let sold = today.checked_sub(jiff::Span::new().days(400)).unwrap();
    let past = today.checked_sub(jiff::Span::new().days(365)).unwrap();
    let future = today.checked_add(jiff::Span::new().days(365)).unwrap();
    let mut book = String::new();
    for (k, received) in [past, future, past].into_iter().enumerate() {
        let mut v = serde_json::to_value(&base).unwrap();
        v["exchange"]["name"] = serde_json::json!(format!("Book exchange {k}"));
        v["exchange"].as_object_mut().unwrap().remove("as_of");
        v["relinquished"][0]["transferred"] = serde_json::json!(sold.to_string());
        v["identified"][0]["identified_on"] = serde_json::json!(sold.to_string());
        v["replacement"][0]["received"] = serde_json::json!(received.to_string());
        book.push_str(&serde_json::to_string(&v).unwrap());
        book.push('\n');
    }
    // Line 4 is not an exchange file.
    book.push_str("{\"exchange\": {\"type\": \"sideways\"}}\n");
    let path = dir.path().join("book.jsonl");
    std::fs::write(&path, book).unwrap();
    let o = import(&path, &url, "admin@import.example");
    let said = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a refused line makes it 2: {said}"
    );
    assert!(
        said.contains("Imported 2 exchanges into the firm as admin@import.example (0 already there, 1 refused, 1 unusable)"),
        "{said}"
    );
    // Each under its own heading, by file and line: the refused one with the API's words (no
    // field path, no rule code), the unusable one with the engine's error in words too.
    let words = format!(
        "Refused (they read, but a rule of the tracker does not take them):\n  {book}:2: The closing date of the purchase of Elm Plaza, 400 Elm St, Austin TX, {}, is after today ({}): a purchase is recorded once it has closed.\nUnusable (they could not be read as exchange files):\n  {book}:4: ",
        likekind_core::money::format_date(future),
        likekind_core::money::format_date(today),
        book = path.display()
    );
    assert!(said.contains(&words), "{said}");
    assert!(!said.contains("not_after_today"), "{said}");
    let unusable = format!(
        "  {}:4: The kind: sideways is not one of the values allowed here: delayed, simultaneous, reverse, improvement at column 32. A required field is missing: taxpayer.\n",
        path.display()
    );
    assert!(said.contains(&unusable), "{said}");
    for code in ["exchange.type", "[allowed_values]", "`"] {
        assert!(!said.contains(code), "{code}: {said}");
    }
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim_end(),
        "error: some entries of the book are refused by the tracker or unusable and were not imported"
    );
    let mut names: Vec<String> = all_exchanges(&url, &actor.firm_id)
        .into_iter()
        .map(|r| r.name)
        .collect();
    names.sort();
    assert_eq!(names, ["Book exchange 0", "Book exchange 2"]);
}

/// QA pass 11, defect 4: a book imported, one line's sale price corrected, imported again.
/// The corrected line is named as an exchange already in the firm and not imported (a second
/// exchange, with its own ledger and deadlines, for one sale); the unchanged lines are
/// already there. With `--allow-same-name` it is stored as another exchange.
#[test]
fn a_corrected_line_imported_again_is_not_a_second_exchange() {
    let dir = tempfile::tempdir().unwrap();
    let (url, actor) = firm(dir.path());
    let first = distinct_book(dir.path(), "first.jsonl", 3);
    let o = import(&first, &url, "admin@import.example");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let text = std::fs::read_to_string(&first).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut v: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    v["relinquished"][0]["sale_price"] = serde_json::json!("1234567.89");
    lines[1] = serde_json::to_string(&v).unwrap();
    let corrected = dir.path().join("corrected.jsonl");
    std::fs::write(&corrected, lines.join("\n") + "\n").unwrap();

    let o = import(&corrected, &url, "admin@import.example");
    let said = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(2), "{said}");
    assert!(
        said.contains("Imported 0 exchanges into the firm as admin@import.example (2 already there, 0 refused, 0 unusable, 1 named as an exchange already in the firm)"),
        "{said}"
    );
    let line = format!(
        "  {}:2: an exchange named “Book exchange 1” is already in the firm\n",
        corrected.display()
    );
    assert!(said.contains(&line), "{said}");
    assert!(said.contains("--allow-same-name"), "{said}");
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim_end(),
        "error: some entries of the book are named as an exchange already in the firm and were not imported"
    );
    assert_eq!(all_exchanges(&url, &actor.firm_id).len(), 3);

    // Asked for: stored as another exchange of that name.
    let o = Command::new(bin())
        .args(["import", corrected.to_str().unwrap(), "--db", &url])
        .args(["--as", "admin@import.example", "--allow-same-name"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(said.contains("Imported 1 exchange into the firm"), "{said}");
    let rows = all_exchanges(&url, &actor.firm_id);
    assert_eq!(
        rows.iter().filter(|r| r.name == "Book exchange 1").count(),
        2
    );
}
