//! `docs/LAW.md`, the index from each authority the engine relies on to the code that applies
//! it and the tests and vectors that check it, generated from the register of
//! [`likekind_core::law::AUTHORITIES`] and a scan of the engine's code, tests and vectors.
//!
//! The test fails when the committed file is stale, and when the engine cites an authority
//! the register does not know (in its code or in a report it writes). Regenerate with
//! `LIKEKIND_BLESS=1 cargo test -p likekind-core --test law_index`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use likekind_core::law::{AUTHORITIES, Authority, Citation, cited};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn krate() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// A path from the workspace root, with `/` on every system.
fn rel(p: &Path) -> String {
    let root = krate().join("../..").canonicalize().expect("workspace");
    let p = p.canonicalize().expect("file");
    p.strip_prefix(&root)
        .expect("under the workspace")
        .iter()
        .map(|s| s.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The name of the item a line belongs to: the last `fn`, `const`, `struct`, `enum` or
/// `static` above it, or `module` for the module's own docs.
fn item_name(line: &str) -> Option<String> {
    let t = line.trim_start();
    let t = t
        .strip_prefix("pub(crate) ")
        .or_else(|| t.strip_prefix("pub "))
        .unwrap_or(t);
    let t = t.strip_prefix("const fn ").map(|r| ("fn ", r));
    let (kw, rest) = match t {
        Some(x) => x,
        None => {
            let t = line.trim_start();
            let t = t
                .strip_prefix("pub(crate) ")
                .or_else(|| t.strip_prefix("pub "))
                .unwrap_or(t);
            ["fn ", "const ", "struct ", "enum ", "static "]
                .iter()
                .find_map(|k| t.strip_prefix(k).map(|r| (*k, r)))?
        }
    };
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then(|| {
        if kw == "fn " {
            format!("{name}()")
        } else {
            name
        }
    })
}

/// `text` with every `cite!(…)` of the engine written out as the line it makes (the register's
/// constants named, `;` and `,` between citations, `[…]` a list of sections), so the scan reads
/// the citations the code builds from `likekind_core::law` as it reads those in its comments.
fn expand_cites(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("cite!(") {
        out.push_str(&rest[..i]);
        rest = &rest[i + "cite!(".len()..];
        let mut line = String::new();
        let mut list: Option<bool> = None; // inside `[…]`: has its first section been written
        loop {
            let t = rest.trim_start();
            let Some(c) = t.chars().next() else { break };
            rest = &t[c.len_utf8()..];
            match c {
                '"' => {
                    let end = rest.find('"').expect("a closed string");
                    line.push_str(&rest[..end]);
                    rest = &rest[end + 1..];
                }
                ';' => line.push_str("; "),
                ',' => line.push_str(", "),
                '[' => list = Some(false),
                ']' => list = None,
                ')' => break,
                _ => {
                    let n = t
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(t.len());
                    let a = AUTHORITIES
                        .iter()
                        .find(|a| a.name == &t[..n])
                        .unwrap_or_else(|| panic!("cite!: {} is not in the register", &t[..n]));
                    match list {
                        Some(false) => {
                            line.push_str(a.kind.list_prefix());
                            list = Some(true);
                        }
                        Some(true) => {}
                        None => line.push_str(a.kind.prefix()),
                    }
                    line.push_str(a.section);
                    rest = &t[n..];
                }
            }
        }
        out.push('"');
        out.push_str(&line);
        out.push('"');
    }
    out.push_str(rest);
    out
}

/// authority → pinpoint → places.
type Index = BTreeMap<(usize, String), BTreeSet<String>>;

fn key(c: &Citation) -> Option<usize> {
    AUTHORITIES
        .iter()
        .position(|a| a.kind == c.kind && a.section == c.section)
}

struct Scan {
    code: Index,
    tests: BTreeMap<usize, BTreeSet<String>>,
    vectors: BTreeMap<usize, BTreeSet<String>>,
    unknown: BTreeSet<String>,
}

fn scan() -> Scan {
    let mut s = Scan {
        code: Index::new(),
        tests: BTreeMap::new(),
        vectors: BTreeMap::new(),
        unknown: BTreeSet::new(),
    };
    // the engine's code: each citation with the item it is written in
    let mut files = Vec::new();
    rs_files(&krate().join("src"), &mut files);
    for f in &files {
        if f.ends_with("src/law.rs") {
            continue; // the register itself
        }
        let text = expand_cites(&std::fs::read_to_string(f).expect("read"));
        let mut item = "module".to_string();
        let mut in_tests = false;
        // a `///` comment documents the item below it
        let mut pending: Vec<Citation> = Vec::new();
        for line in text.lines() {
            if line.starts_with("mod tests") || line.starts_with("#[cfg(test)]") {
                in_tests = true;
            }
            if line.trim_start().starts_with("///") {
                pending.extend(cited(line));
                continue;
            }
            if line.trim_start().starts_with("#[") {
                continue;
            }
            if let Some(n) = item_name(line) {
                item = n;
            }
            let here = std::mem::take(&mut pending);
            for c in here.into_iter().chain(cited(line)) {
                match key(&c) {
                    Some(k) if in_tests => {
                        s.tests
                            .entry(k)
                            .or_default()
                            .insert(rel(f) + " (unit tests)");
                    }
                    Some(k) => {
                        s.code
                            .entry((k, c.pinpoint.clone()))
                            .or_default()
                            .insert(format!("{}: {item}", rel(f)));
                    }
                    None => {
                        s.unknown.insert(format!("{c} in {}", rel(f)));
                    }
                }
            }
        }
    }
    // the engine's integration tests
    let mut files = Vec::new();
    rs_files(&krate().join("tests"), &mut files);
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        for c in cited(&text) {
            if let Some(k) = key(&c) {
                s.tests.entry(k).or_default().insert(rel(f));
            }
        }
    }
    // the vectors: the source each one ports, and its check
    let mut vectors: Vec<PathBuf> = std::fs::read_dir(krate().join("tests/vectors"))
        .expect("vectors")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    vectors.sort();
    for v in &vectors {
        let j: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(v).expect("read")).expect("json");
        let id = j["id"].as_str().unwrap_or_default();
        let text = format!(
            "{} {}",
            j["source"].as_str().unwrap_or_default(),
            j["notes"]
        );
        for c in cited(&text) {
            if let Some(k) = key(&c) {
                s.vectors.entry(k).or_default().insert(format!("`{id}`"));
            }
        }
    }
    s
}

fn render(s: &Scan) -> String {
    let mut o = String::new();
    o.push_str(
        "# The law in likekind\n\n\
         Generated from `likekind_core::law::AUTHORITIES` (crates/likekind-core/src/law.rs) and a scan\n\
         of the engine's code, tests and vectors; do not edit by hand. Regenerate with\n\
         `LIKEKIND_BLESS=1 cargo test -p likekind-core --test law_index`.\n\n\
         From a citation in a finding or an explanation step (`Treas. Reg. §1.1031(k)-1(c)(4)(ii)`):\n\
         find its authority below, then the pinpoint; the table names the file and the function\n\
         (or constant) that applies it. Under the table are the tests that name the authority and\n\
         the vectors (crates/likekind-core/tests/vectors) that port a worked example of it; the vector\n\
         test (`cargo test -p likekind-core --test vectors`) runs every one. In the code each authority\n\
         is a constant of the register, named under its heading below (`IRC_1031`), and every authority\n\
         line is a `cite!` of them (`cite!(IRC_1031 \"(a)(3)(B)\"; REG_1_1031_K_1 \"(b)(2)(ii)\")`):\n\
         a search for the constant finds every place that cites it.\n\n\
         One spelling: `IRC §1031(a)(3)(B)`, `Treas. Reg. §1.1031(k)-1(b)(2)(ii)`, `Rev. Proc. 2008-16`.\n\
         Older prose in some findings still writes a regulation `Reg. 1.1031(k)-1(b)(3)`; it is the\n\
         same provision and is indexed here under its one spelling.\n\n",
    );
    o.push_str("## Contents\n\n");
    for a in AUTHORITIES {
        o.push_str(&format!("- [{a}](#{}): {}\n", anchor(a), a.title));
    }
    for (k, a) in AUTHORITIES.iter().enumerate() {
        o.push_str(&format!(
            "\n<a id=\"{}\"></a>\n## {a}: {}\n\nIn the code: `law::{}`.\n\n",
            anchor(a),
            a.title,
            a.name
        ));
        let rows: Vec<(&String, &BTreeSet<String>)> = s
            .code
            .iter()
            .filter(|((i, _), _)| *i == k)
            .map(|((_, p), v)| (p, v))
            .collect();
        if rows.is_empty() {
            o.push_str("Not cited in the engine's code (named by its tests or vectors only).\n");
        } else {
            o.push_str("| Cited | Where the engine applies it |\n|---|---|\n");
            for (pin, places) in rows {
                let cite = format!("{a}{pin}");
                let places: Vec<String> = places.iter().map(|p| format!("`{p}`")).collect();
                o.push_str(&format!("| {cite} | {} |\n", places.join("<br>")));
            }
        }
        if let Some(t) = s.tests.get(&k) {
            let t: Vec<String> = t.iter().map(|p| format!("`{p}`")).collect();
            o.push_str(&format!("\nTests: {}\n", t.join(", ")));
        }
        if let Some(v) = s.vectors.get(&k) {
            let v: Vec<&str> = v.iter().map(String::as_str).collect();
            o.push_str(&format!("\nVectors: {}\n", v.join(", ")));
        }
    }
    o
}

fn anchor(a: &Authority) -> String {
    a.to_string()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => Some(c.to_ascii_lowercase()),
            ' ' | '.' | '-' | '(' | ')' => Some('-'),
            _ => None,
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[test]
fn every_authority_cited_by_the_engine_is_in_the_register() {
    let s = scan();
    assert!(
        s.unknown.is_empty(),
        "the engine cites authorities that likekind_core::law::AUTHORITIES does not list (add them there):\n{}",
        s.unknown.iter().cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn every_authority_a_report_prints_is_in_the_register() {
    // the recorded reports of every example (crates/likekind-cli/tests/reports)
    let dir = krate().join("../likekind-cli/tests/reports");
    let mut unknown = BTreeSet::new();
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("reports") {
        let p = e.expect("entry").path();
        if !p.to_string_lossy().ends_with(".json") {
            continue;
        }
        let text = std::fs::read_to_string(&p).expect("read");
        for line in text.lines() {
            let t = line.trim_start();
            if let Some(v) = t.strip_prefix("\"authority\": ") {
                n += 1;
                for c in cited(v) {
                    if c.authority().is_none() {
                        unknown.insert(c.to_string());
                    }
                }
            }
        }
    }
    assert!(n > 1000, "expected the reports' authority lines, found {n}");
    assert!(
        unknown.is_empty(),
        "reports cite authorities the register does not list:\n{}",
        unknown.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn law_md_is_current() {
    let s = scan();
    let want = render(&s);
    let path = krate().join("../../docs/LAW.md");
    if std::env::var_os("LIKEKIND_BLESS").is_some() {
        std::fs::write(&path, &want).expect("write docs/LAW.md");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/LAW.md is stale: regenerate it with `LIKEKIND_BLESS=1 cargo test -p likekind-core --test law_index` and commit it"
    );
    // every authority in the register is applied by the code or checked by a test or vector
    let unused: Vec<String> = AUTHORITIES
        .iter()
        .enumerate()
        .filter(|(k, _)| {
            !(s.code.keys().any(|(i, _)| i == k)
                || s.tests.contains_key(k)
                || s.vectors.contains_key(k))
        })
        .map(|(_, a)| a.to_string())
        .collect();
    assert!(
        unused.is_empty(),
        "in the register but cited nowhere (remove them from likekind_core::law::AUTHORITIES): {}",
        unused.join(", ")
    );
}
