//! The shape of the workspace, checked: no import cycles between the files of any crate, and
//! an engine that depends on nothing that does I/O.
//!
//! How the cycle check works: every `.rs` file under a crate's `src/` is a node (a module
//! file; `lib.rs`/`main.rs`, the crate's table of contents, is left out). Every path that
//! names a module, `crate::a::b::Item`, `super::x`, `self::y`, or a child module by name
//! (`strategies::compare`), is an edge from the file it is written in to the file of the
//! longest module prefix it names; grouped imports (`use crate::{a::{b, c}, d}`) are
//! expanded. Comments, string literals and `#[cfg(test)]` modules are skipped (a unit test
//! may reach anywhere). A strongly connected component of more than one file is a cycle.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Module path (`["timing", "calendar"]`) → file, for every module file of `src`.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read src") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let rel = p.strip_prefix(src).expect("under src");
            let mut segs: Vec<String> = rel
                .iter()
                .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if segs
                .last()
                .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
            {
                segs.pop();
            }
            out.insert(segs, p);
        }
    }
    out
}

/// The code of a file without comments, literals and `#[cfg(test)] mod … { … }` blocks.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut o = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == b'r'
            && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            // raw string r"…", r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                o.push('r');
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == b'"'
                    && b[j + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&h| h == b'#')
                        .count()
                        == hashes
                {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            o.push_str("\"\"");
            i = j;
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            o.push_str("\"\"");
        } else if c == b'\'' {
            // char literal ('x', '\n', '\''); a lifetime ('a) is left alone
            if b.get(i + 1) == Some(&b'\\') {
                i += 2;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
                i += 1;
            } else if b.get(i + 2) == Some(&b'\'') {
                i += 3;
            } else {
                o.push('\'');
                i += 1;
            }
        } else {
            o.push(c as char);
            i += 1;
        }
    }
    strip_test_modules(&o)
}

fn strip_test_modules(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let mut t = after.trim_start();
        // further attributes between `#[cfg(test)]` and the module
        while t.starts_with("#[") {
            match t.find(']') {
                Some(k) => t = t[k + 1..].trim_start(),
                None => break,
            }
        }
        let is_mod =
            t.starts_with("mod ") || t.starts_with("pub mod ") || t.starts_with("pub(crate) mod ");
        let open = t.find(['{', ';']);
        match open {
            Some(k) if is_mod && t.as_bytes()[k] == b'{' => {
                let start = after.len() - t.len() + k;
                let mut depth = 0usize;
                let mut end = after.len();
                for (n, ch) in after[start..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = start + n + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}

#[derive(Debug, PartialEq)]
enum Tok {
    Id(String),
    Sep,
    Open,
    Close,
    Comma,
    Other,
}

fn tokens(code: &str) -> Vec<Tok> {
    let b = code.as_bytes();
    let mut t = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            t.push(Tok::Id(code[s..i].to_string()));
            continue;
        }
        if c == b':' && b.get(i + 1) == Some(&b':') {
            t.push(Tok::Sep);
            i += 2;
            continue;
        }
        match c {
            b'{' => t.push(Tok::Open),
            b'}' => t.push(Tok::Close),
            b',' => t.push(Tok::Comma),
            b' ' | b'\n' | b'\t' | b'\r' => {}
            _ => t.push(Tok::Other),
        }
        i += 1;
    }
    t
}

/// Expands the path starting at `t[i]` (an identifier) into every full path it names.
fn paths_at(t: &[Tok], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut cur = prefix;
    loop {
        match t.get(*i) {
            Some(Tok::Id(s)) => {
                cur.push(s.clone());
                *i += 1;
            }
            Some(Tok::Open) => {
                *i += 1;
                loop {
                    match t.get(*i) {
                        Some(Tok::Close) => {
                            *i += 1;
                            break;
                        }
                        Some(Tok::Comma) => *i += 1,
                        Some(Tok::Id(_)) | Some(Tok::Open) => paths_at(t, i, cur.clone(), out),
                        None => return,
                        _ => *i += 1,
                    }
                }
                return;
            }
            _ => {
                out.push(cur);
                return;
            }
        }
        if t.get(*i) == Some(&Tok::Sep) {
            *i += 1;
        } else {
            out.push(cur);
            return;
        }
    }
}

/// The module files one file refers to.
fn edges(
    module: &[String],
    file: &Path,
    mods: &BTreeMap<Vec<String>, PathBuf>,
) -> BTreeSet<PathBuf> {
    let text = std::fs::read_to_string(file).expect("read");
    let t = tokens(&code_only(&text));
    let mut found = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let starts_path = matches!(&t[i], Tok::Id(_))
            && t.get(i + 1) == Some(&Tok::Sep)
            && !(i > 0 && t[i - 1] == Tok::Sep);
        if starts_path {
            let mut ps = Vec::new();
            paths_at(&t, &mut i, Vec::new(), &mut ps);
            found.extend(ps);
        } else {
            i += 1;
        }
    }
    let mut out = BTreeSet::new();
    for p in found {
        let abs: Vec<String> = match p.first().map(String::as_str) {
            Some("crate") => p[1..].to_vec(),
            Some("self") => module
                .iter()
                .cloned()
                .chain(p[1..].iter().cloned())
                .collect(),
            Some("super") => {
                let mut m = module.to_vec();
                let mut k = 0;
                while p.get(k).is_some_and(|s| s == "super") {
                    m.pop();
                    k += 1;
                }
                m.into_iter().chain(p[k..].iter().cloned()).collect()
            }
            Some(first) => {
                let mut child = module.to_vec();
                child.push(first.to_string());
                if mods.contains_key(&child) {
                    module.iter().cloned().chain(p.iter().cloned()).collect()
                } else {
                    continue;
                }
            }
            None => continue,
        };
        let target = (1..=abs.len())
            .rev()
            .find_map(|n| mods.get(&abs[..n]).filter(|_| n > 0));
        if let Some(f) = target
            && f != file
        {
            out.insert(f.clone());
        }
    }
    out
}

/// Every cycle (strongly connected component of more than one file) of a crate.
fn cycles(krate: &str) -> Vec<Vec<String>> {
    let src = workspace().join("crates").join(krate).join("src");
    let mods = modules(&src);
    let files: Vec<(&Vec<String>, &PathBuf)> = mods.iter().filter(|(m, _)| !m.is_empty()).collect();
    let index: BTreeMap<&PathBuf, usize> = files
        .iter()
        .enumerate()
        .map(|(k, (_, f))| (*f, k))
        .collect();
    let adj: Vec<Vec<usize>> = files
        .iter()
        .map(|(m, f)| {
            edges(m, f, &mods)
                .iter()
                .filter_map(|g| index.get(g).copied())
                .collect()
        })
        .collect();
    // Tarjan's strongly connected components
    struct S<'a> {
        adj: &'a [Vec<usize>],
        idx: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        st: Vec<usize>,
        n: usize,
        comps: Vec<Vec<usize>>,
    }
    fn go(s: &mut S, v: usize) {
        s.idx[v] = Some(s.n);
        s.low[v] = s.n;
        s.n += 1;
        s.st.push(v);
        s.on[v] = true;
        for &w in &s.adj[v] {
            match s.idx[w] {
                None => {
                    go(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on[w] => s.low[v] = s.low[v].min(iw),
                _ => {}
            }
        }
        if Some(s.low[v]) == s.idx[v] {
            let mut c = Vec::new();
            while let Some(w) = s.st.pop() {
                s.on[w] = false;
                c.push(w);
                if w == v {
                    break;
                }
            }
            if c.len() > 1 {
                s.comps.push(c);
            }
        }
    }
    let n = files.len();
    let mut s = S {
        adj: &adj,
        idx: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        st: vec![],
        n: 0,
        comps: vec![],
    };
    for v in 0..n {
        if s.idx[v].is_none() {
            go(&mut s, v);
        }
    }
    s.comps
        .iter()
        .map(|c| {
            let mut names: Vec<String> = c
                .iter()
                .map(|&k| {
                    files[k]
                        .1
                        .strip_prefix(&src)
                        .expect("src")
                        .display()
                        .to_string()
                })
                .collect();
            names.sort();
            names
        })
        .collect()
}

#[test]
fn the_checker_finds_a_cycle() {
    let dir = std::env::temp_dir().join(format!("likekind-arch-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("a")).expect("mkdir");
    std::fs::write(src.join("lib.rs"), "pub mod a; pub mod b;").expect("write");
    std::fs::write(
        src.join("a/mod.rs"),
        "pub mod c;\nuse crate::b::X; // crate::c::Y\n",
    )
    .expect("write");
    std::fs::write(src.join("a/c.rs"), "fn f() { let s = \"crate::b::Z\"; }\n#[cfg(test)]\n#[allow(unused)]\nmod tests { use crate::b::T; }\n").expect("write");
    std::fs::write(src.join("b.rs"), "use crate::{a::{self, c::Q}, x};\n").expect("write");
    let mods = modules(&src);
    let e = |m: &[&str]| {
        let key: Vec<String> = m.iter().map(|s| s.to_string()).collect();
        edges(&key, &mods[&key], &mods)
            .iter()
            .map(|p| p.strip_prefix(&src).expect("src").display().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(e(&["a"]), ["b.rs"]);
    assert_eq!(
        e(&["a", "c"]),
        Vec::<String>::new(),
        "strings and test modules are not edges"
    );
    assert_eq!(e(&["b"]), ["a/c.rs", "a/mod.rs"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The crates whose files must not import each other in a circle.
const CHECKED: &[&str] = &[
    "likekind-core",
    "likekind-render",
    "likekind-store",
    "likekind-server",
    "likekind-cli",
    "likekind-web",
];

#[test]
fn no_import_cycles_in_any_crate() {
    let mut bad = Vec::new();
    for krate in CHECKED {
        for c in cycles(krate) {
            bad.push(format!("{krate}: {}", c.join(" ↔ ")));
        }
    }
    assert!(
        bad.is_empty(),
        "import cycles between files (make the imports flow one way):\n{}",
        bad.join("\n")
    );
}

/// `cargo test -p likekind-core --test architecture -- --ignored --nocapture module_edges`
/// prints every file's imports, to see where a cycle comes from.
#[test]
#[ignore]
fn module_edges() {
    let krate = std::env::var("LIKEKIND_CRATE").unwrap_or_else(|_| "likekind-core".into());
    let src = workspace().join("crates").join(&krate).join("src");
    let mods = modules(&src);
    for (m, f) in &mods {
        for g in edges(m, f, &mods) {
            println!(
                "{} -> {}",
                f.strip_prefix(&src).expect("src").display(),
                g.strip_prefix(&src).expect("src").display()
            );
        }
    }
}

/// The engine's comments cite the law (or a document in this repository), never notes that
/// live outside it.
#[test]
fn engine_comments_cite_the_law_not_outside_notes() {
    let src = workspace().join("crates/likekind-core/src");
    let mut bad = Vec::new();
    for (_, f) in modules(&src) {
        let text = std::fs::read_to_string(&f).expect("read");
        for (n, line) in text.lines().enumerate() {
            if [
                "rules.md",
                "verification.md",
                "shared/spec",
                "shared/domain",
            ]
            .iter()
            .any(|w| line.contains(w))
            {
                bad.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(bad.is_empty(), "cite the law instead:\n{}", bad.join("\n"));
}

/// What the engine may depend on: numbers, dates, serde and its formats, error derives, and
/// `ecow`'s cheaply cloned strings (the property ids). None of them reads files, the
/// network, the environment or the clock on its own.
const ENGINE_DEPENDENCIES: &[&str] = &[
    "ecow",
    "jiff",
    "rust_decimal",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "thiserror",
    "toml",
];

/// Crates that do I/O (or run an async runtime): none may be reached from the engine, not
/// even through another dependency.
const IO_CRATES: &[&str] = &[
    "tokio",
    "mio",
    "socket2",
    "hyper",
    "reqwest",
    "axum",
    "tower",
    "sqlx",
    "sqlx-core",
    "libsqlite3-sys",
    "rusqlite",
    "postgres",
    "tokio-postgres",
    "notify",
    "walkdir",
    "tempfile",
    "ureq",
    "native-tls",
    "rustls",
    "mimalloc",
    "iana-time-zone",
    "jiff-tzdb-platform",
];

/// `[dependencies]` of a Cargo.toml (the names only).
fn normal_dependencies(manifest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in manifest.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            inside = t == "[dependencies]";
            continue;
        }
        if inside && let Some((name, _)) = t.split_once(['=', '.']) {
            let name = name.trim();
            if !name.is_empty() && !name.starts_with('#') {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// Every package reachable from `roots` in Cargo.lock (name → its dependencies).
fn reachable(lock: &str, roots: &[String]) -> BTreeSet<String> {
    let mut deps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pkg in lock.split("[[package]]").skip(1) {
        let name = pkg
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .map(|n| n.trim_matches('"').to_string())
            .unwrap_or_default();
        let list = pkg
            .split_once("dependencies = [")
            .map(|(_, r)| r.split(']').next().unwrap_or(""))
            .unwrap_or("");
        let names: Vec<String> = list
            .split(',')
            .map(|d| d.trim().trim_matches('"'))
            .filter(|d| !d.is_empty())
            .map(|d| d.split(' ').next().unwrap_or(d).to_string())
            .collect();
        deps.entry(name).or_default().extend(names);
    }
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.iter().map(|r| r.replace('_', "-")).collect();
    stack.extend(roots.iter().cloned());
    while let Some(n) = stack.pop() {
        if let Some(ds) = deps.get(&n)
            && seen.insert(n.clone())
        {
            stack.extend(ds.iter().cloned());
        }
    }
    seen
}

#[test]
fn the_engine_depends_on_nothing_that_does_io() {
    let manifest = std::fs::read_to_string(workspace().join("crates/likekind-core/Cargo.toml"))
        .expect("Cargo.toml");
    let direct = normal_dependencies(&manifest);
    assert!(
        direct.len() >= 5,
        "read {direct:?} from the engine's [dependencies]"
    );
    let extra: Vec<&String> = direct
        .iter()
        .filter(|d| !ENGINE_DEPENDENCIES.contains(&d.as_str()))
        .collect();
    assert!(
        extra.is_empty(),
        "the engine gained a dependency {extra:?}: the engine is pure (no I/O, no clock); if it \
         truly does no I/O, add it to ENGINE_DEPENDENCIES with the reason"
    );
    let lock = std::fs::read_to_string(workspace().join("Cargo.lock")).expect("Cargo.lock");
    let all = reachable(&lock, &direct);
    assert!(all.contains("serde"), "Cargo.lock was not read: {all:?}");
    let io: Vec<&&str> = IO_CRATES.iter().filter(|c| all.contains(**c)).collect();
    assert!(
        io.is_empty(),
        "the engine reaches crates that do I/O: {io:?}"
    );
    // the check sees what it looks for: the server does reach them
    let server = reachable(&lock, &["likekind-server".to_string()]);
    assert!(
        server.contains("tokio") && server.contains("sqlx"),
        "Cargo.lock walk is blind"
    );
}

#[test]
fn the_engine_code_reads_no_file_clock_or_environment() {
    const FORBIDDEN: &[&str] = &[
        "std::fs",
        "std::net",
        "std::env",
        "std::process",
        "std::io::stdin",
        "std::io::stdout",
        "SystemTime",
        "Instant::now",
        "Timestamp::now",
        "Zoned::now",
        "Date::today",
        "TimeZone::system",
        "println!",
        "eprintln!",
        "print!",
        "eprint!",
        "dbg!",
        "tokio",
        "async fn",
        ".await",
        "unsafe",
    ];
    let src = workspace().join("crates/likekind-core/src");
    let mut bad = Vec::new();
    for (_, f) in modules(&src) {
        let code = code_only(&std::fs::read_to_string(&f).expect("read"));
        for w in FORBIDDEN {
            if code.contains(w) {
                bad.push(format!("{}: {w}", f.display()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "the engine is pure (today's date is an argument):\n{}",
        bad.join("\n")
    );
    // the check sees what it looks for
    assert!(code_only("fn f() { std::fs::read(\"x\"); }").contains("std::fs"));
    assert!(!code_only("// std::fs\nfn f() { let s = \"std::fs\"; }").contains("std::fs"));
}
