//! Issue 11, "Never a panic from input", end to end: the real binary on input at and past
//! the limits, and with its output pipe closed early (`likekind analyze FILE | head -1`).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_likekind"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(root())
        .output()
        .expect("run likekind")
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("likekind-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write temp file");
    p
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The reported case: 29 properties at $10 trillion each made `analyze` panic (exit 101).
#[test]
fn twenty_nine_at_ten_trillion_is_an_input_error() {
    let mut text = String::from(
        "[exchange]\nfunds_released_on = \"2027-02-01\"\nbona_fide_intent = true\n[taxpayer]\nentity = \"individual\"\n",
    );
    for k in 0..29 {
        text.push_str(&format!(
            "[[relinquished]]\nid = \"r{k}\"\nlocation = \"NY\"\nacquired = \"2000-01-01\"\ntransferred = \"2026-11-02\"\nsale_price = \"10000000000000\"\nadjusted_basis = \"1\"\n"
        ));
    }
    let p = temp_file("ten-trillion.toml", &text);
    let o = run(&["analyze", p.to_str().unwrap(), "--format", "json"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("relinquished[0].sale_price"), "{err}");
    assert!(err.contains("$100,000,000,000"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_transfer_at_the_end_of_the_calendar_is_an_input_error() {
    let text = "[taxpayer]\nentity = \"individual\"\n[[relinquished]]\nid = \"a\"\nlocation = \"CA\"\nacquired = \"2015-06-01\"\ntransferred = \"9999-12-20\"\nsale_price = \"1000000\"\nadjusted_basis = \"400000\"\n";
    let p = temp_file("late.toml", text);
    let o = run(&["analyze", p.to_str().unwrap(), "--format", "json"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "relinquished[0].transferred: [date_range] too late: the 180-day exchange period"
        ),
        "{err}"
    );
    let o = run(&["deadlines", "--transferred", "9999-12-20"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--transferred: [date_range] too late"));
    let o = run(&[
        "deadlines",
        "--transferred",
        "9999-05-01",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("would be due after 9999-12-31"));
    let o = run(&[
        "deadlines",
        "--transferred",
        "9998-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A file saved in another encoding is refused with the encoding (and where) named, and one
/// with a UTF-8 byte order mark is read as without it.
#[test]
fn a_file_in_another_encoding_says_which() {
    let text = std::fs::read_to_string(root().join("examples/reverse-exchange.toml")).unwrap();
    let p = temp_file("bom.json", "");
    std::fs::write(
        &p,
        [
            &b"\xef\xbb\xbf"[..],
            br#"{"taxpayer":{"entity":"individual"}}"#,
        ]
        .concat(),
    )
    .unwrap();
    let o = run(&["analyze", p.to_str().unwrap(), "--format", "json"]);
    // Past the encoding: the file's own error (no property) is what is reported.
    assert!(!stderr(&o).contains("syntax"), "{}", stderr(&o));

    let mut utf16 = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_be_bytes());
    }
    let p = temp_file("utf16.toml", "");
    std::fs::write(&p, utf16).unwrap();
    let o = run(&["analyze", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("UTF-16 (big-endian), not UTF-8"),
        "{}",
        stderr(&o)
    );

    // Saved as UTF-16 without a byte order mark, and a file that is not text at all.
    let unmarked: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let image = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    for (name, bytes, said) in [
        (
            "unmarked.toml",
            unmarked,
            "UTF-16 (little-endian), not UTF-8",
        ),
        (
            "image.toml",
            image,
            "this is not a text file (it holds a zero byte)",
        ),
    ] {
        let p = temp_file(name, "");
        std::fs::write(&p, bytes).unwrap();
        let o = run(&["analyze", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(said), "{name}: {}", stderr(&o));
    }

    let p = temp_file("cp1252.toml", "");
    std::fs::write(&p, text.replacen("Dana", "Ren\u{e9}e", 1)).unwrap();
    let mut bytes = std::fs::read(&p).unwrap();
    let at = bytes.windows(2).position(|w| w == [0xC3, 0xA9]).unwrap();
    bytes.splice(at..at + 2, [0xE9]);
    std::fs::write(&p, &bytes).unwrap();
    let o = run(&["analyze", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let line = text[..text.find("Dana").unwrap()].lines().count();
    assert!(
        stderr(&o).contains(&format!("not UTF-8 (byte 0xE9 at line {line}")),
        "{}",
        stderr(&o)
    );
}

/// `--db` naming a file that is not a database (here the book itself) is refused at once,
/// in words, and the file is left as it was.
#[test]
fn a_database_path_that_is_not_a_database_is_named_at_once() {
    let book = temp_file("not-a-db.jsonl", "{\"exchange\": {}}\n");
    let b = book.to_str().unwrap();
    let started = std::time::Instant::now();
    let o = run(&[
        "import",
        b,
        "--db",
        &format!("sqlite://{b}"),
        "--as",
        "a@b.example",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the file is not an SQLite database"),
        "{}",
        stderr(&o)
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "at once"
    );
    assert_eq!(
        std::fs::read_to_string(&book).unwrap(),
        "{\"exchange\": {}}\n"
    );
}

#[test]
fn plan_flags_past_the_growth_limit_are_an_input_error() {
    let o = run(&[
        "plan",
        "examples/seed000-failed-1m.toml",
        "--growth",
        "100",
        "--horizon-years",
        "100",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("plan.growth_pct (--growth): [growth_range]"),
        "{err}"
    );
}

/// Runs `likekind ARGS` with its stdout a pipe that the reader closes after reading `keep`
/// bytes (0: before the child writes anything), like `| head -c KEEP`.
fn run_with_closed_pipe(args: &[&str], keep: usize) -> Output {
    let mut child = bin()
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn likekind");
    let mut out = child.stdout.take().expect("stdout");
    if keep > 0 {
        let mut buf = vec![0u8; keep];
        let _ = out.read_exact(&mut buf);
    }
    drop(out);
    child.wait_with_output().expect("wait")
}

/// A file whose text report is far larger than a pipe's buffer (64 KiB), so the write
/// after the reader is gone surely fails with EPIPE.
fn big_file() -> PathBuf {
    let mut text = String::from(
        "[taxpayer]\nentity = \"individual\"\n[[relinquished]]\nid = \"a\"\nlocation = \"CA\"\nacquired = \"2015-06-01\"\ntransferred = \"2026-03-02\"\nsale_price = \"100000000\"\nadjusted_basis = \"400000\"\n",
    );
    for k in 0..100 {
        text.push_str(&format!(
            "[[identified]]\nid = \"p{k}\"\ndescription = \"Property number {k} with a long description to make the report long\"\nfmv = \"1000000\"\nidentified_on = \"2026-03-10\"\n[[replacement]]\nid = \"p{k}\"\ndescription = \"Property number {k} with a long description to make the report long\"\nlocation = \"TX\"\nreceived = \"2026-06-15\"\nprice = \"1000000\"\n"
        ));
    }
    temp_file("big.toml", &text)
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let big = big_file();
    let big = big.to_str().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["analyze", big, "--explain"],
        vec!["analyze", big, "--format", "json"],
        vec!["analyze", big, "--format", "ics"],
        vec!["analyze", "examples/contract-example.toml"],
        vec![
            "deadlines",
            "--transferred",
            "2026-03-02",
            "--as-of",
            "2026-03-02",
        ],
        vec![
            "deadlines",
            "--transferred",
            "2026-03-02",
            "--format",
            "json",
        ],
        vec![
            "deadlines",
            "--transferred",
            "2026-03-02",
            "--format",
            "ics",
        ],
        vec!["plan", "examples/seed000-failed-1m.toml", "--explain"],
        vec![
            "plan",
            "examples/seed000-failed-1m.toml",
            "--format",
            "json",
        ],
        vec!["init", "-"],
    ];
    for args in &cases {
        for keep in [0, 1, 100] {
            let o = run_with_closed_pipe(args, keep);
            let err = stderr(&o);
            // The status the command would have had anyway (0, or 1 for an error finding):
            // never 101 (a panic) and nothing on stderr.
            assert!(
                matches!(o.status.code(), Some(0) | Some(1)),
                "{args:?} keep {keep}: status {:?}\n{err}",
                o.status
            );
            assert!(err.is_empty(), "{args:?} keep {keep}: {err}");
        }
    }
}
