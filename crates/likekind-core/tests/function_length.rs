//! Long functions in the engine and the renderer, counted: a function over [`LONG`] lines
//! (from its `fn` line to its closing brace; `#[cfg(test)]` modules left out) asks its reader
//! to hold too much at once. The count may only go down: split a long function into named
//! steps and lower [`CEILING`] with it.
//!
//! `cargo test -p likekind-core --test function_length -- --nocapture` lists them, longest
//! first. When the count was first kept there were 24; there are none now.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

/// Lines a function may have before it counts as long.
const LONG: usize = 100;

/// The most long functions the engine and the renderer may have.
const CEILING: usize = 0;

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The name of the function a line opens, and the line's indentation.
fn fn_at(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start();
    let indent = &line[..line.len() - t.len()];
    let mut t = t;
    for p in ["pub(crate) ", "pub(super) ", "pub ", "const ", "async "] {
        t = t.strip_prefix(p).unwrap_or(t);
    }
    let rest = t.strip_prefix("fn ")?;
    let n = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (n > 0).then(|| (&rest[..n], indent))
}

/// Every function of `text` with its length in lines and its first line (1-based).
fn functions(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.starts_with("#[cfg(test)]") || l.starts_with("mod tests") {
            break;
        }
        if let Some((name, indent)) = fn_at(l) {
            // the signature ends with `{` (a body) or `;` (a declaration)
            let mut j = i;
            while j < lines.len() && !lines[j].trim_end().ends_with(['{', ';']) {
                j += 1;
            }
            if j < lines.len() && lines[j].trim_end().ends_with('{') {
                let close = format!("{indent}}}");
                let mut k = j + 1;
                while k < lines.len() && lines[k] != close {
                    k += 1;
                }
                out.push((k - i + 1, name.to_string(), i + 1));
            }
        }
        i += 1;
    }
    out
}

fn long_functions() -> Vec<(usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for krate in ["likekind-core", "likekind-render"] {
        rs_files(&root.join("crates").join(krate).join("src"), &mut files);
    }
    files.sort();
    let mut long = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let rel = f.strip_prefix(&root).unwrap_or(f).display().to_string();
        for (n, name, line) in functions(&text) {
            if n > LONG {
                long.push((n, format!("{rel}:{line} {name}()")));
            }
        }
    }
    long.sort_by(|a, b| b.cmp(a));
    long
}

#[test]
fn the_checker_measures_a_function() {
    let text = "pub fn a(\n    x: u8,\n) -> u8 {\n    x\n}\nfn decl();\nimpl T {\n    fn b() {\n        if x {\n        }\n    }\n}\n#[cfg(test)]\nmod tests {\n    fn long() {\n    }\n}\n";
    let f = functions(text);
    assert_eq!(f, [(5, "a".into(), 1), (4, "b".into(), 8)]);
}

#[test]
#[allow(
    clippy::absurd_extreme_comparisons,
    reason = "the ceiling has come down to 0; the check keeps its general form"
)]
fn long_functions_only_get_fewer() {
    let long = long_functions();
    for (n, at) in &long {
        println!("{n:>4} {at}");
    }
    println!("{} functions over {LONG} lines", long.len());
    assert!(
        long.len() <= CEILING,
        "{} functions over {LONG} lines, more than the {CEILING} allowed: split the new one into named steps",
        long.len()
    );
}
