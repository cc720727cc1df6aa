//! Every code the engine can emit has a title in words (`likekind_core::words::title`), so a
//! page, a PDF, an e-mail or the CLI never shows a code worded mechanically from its parts.
//!
//! The codes are read from the engine's source, comments and `#[cfg(test)]` modules left
//! out:
//!
//! - findings: the code argument of every `finding!` and `finding_at!`;
//! - why a property does not qualify: `reason("…", …)` and `Reason { code: "…", … }`;
//! - milestones: `Milestone { key: "…", … }`;
//! - the planner's strategies: `Strategy { name: "…", … }` and
//!   `Strategy::not_available("…", …)`;
//! - the steps of the planner (`plan/`) and of the Opportunity Zone rules (`oz/`): the key
//!   of every `step!`, a key built with `format!` expanded over the strategies' keys or the
//!   windows' start rules;
//! - the rules of the plan's inputs (`plan/`, `oz/`): `InputErrors::one(path, "…", …)`,
//!   `push(path, "…", …)`, `check_pct(path, value, "…", …)` and `non_negative`.
//!
//! A site whose code is not a literal fails the test: a code the scan cannot read could have
//! no title. A second test runs the engine and the planner on every example and checks the
//! codes they actually emit are among those read.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

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

/// The length of the string literal (plain or raw) starting at `i`, if one does.
fn literal_len(b: &[u8], i: usize) -> Option<usize> {
    if b[i] == b'"' {
        let mut j = i + 1;
        while j < b.len() && b[j] != b'"' {
            j += if b[j] == b'\\' { 2 } else { 1 };
        }
        return Some(j + 1 - i);
    }
    if b[i] == b'r' && (i == 0 || !is_ident(b[i - 1])) {
        let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
        if b.get(i + 1 + hashes) == Some(&b'"') {
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let from = i + 2 + hashes;
            let end = b[from..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(b.len(), |p| from + p + close.len());
            return Some(end - i);
        }
    }
    None
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The code of a file: comments blanked, string literals kept, and nothing from the first
/// `#[cfg(test)]` at the start of a line on (the unit tests).
fn code_of(text: &str) -> String {
    let text = text.find("\n#[cfg(test)]").map_or(text, |at| &text[..at]);
    let b = text.as_bytes();
    let mut o = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if let Some(n) = literal_len(b, i) {
            let n = n.min(b.len() - i);
            o.extend_from_slice(&b[i..i + n]);
            i += n;
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            let end = text[i + 2..].find("*/").map_or(b.len(), |p| i + 4 + p);
            i = end;
        } else if b[i] == b'\'' && b.get(i + 2) == Some(&b'\'') {
            // A character literal such as '(' must not open a group.
            o.extend_from_slice(b"' '");
            i += 3;
        } else {
            o.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(o).expect("utf-8")
}

/// The top-level parts, split at commas, of the group opened at `open` (`(`, `{` or `[`).
fn parts(code: &str, open: usize) -> Vec<String> {
    let b = code.as_bytes();
    let mut depth = 0;
    let mut out = Vec::new();
    let mut start = open + 1;
    let mut i = open;
    while i < b.len() {
        if let Some(n) = literal_len(b, i) {
            i += n;
            continue;
        }
        match b[i] {
            b'(' | b'{' | b'[' => depth += 1,
            b')' | b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    out.push(code[start..i].trim().to_string());
                    break;
                }
            }
            b',' if depth == 1 => {
                out.push(code[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.retain(|p| !p.is_empty());
    out
}

/// The text of a plain string literal, alone or followed by `.into()`/`.to_string()`.
fn literal(arg: &str) -> Option<String> {
    let a = arg
        .trim()
        .trim_end_matches(".into()")
        .trim_end_matches(".to_string()")
        .trim();
    let inner = a.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('"')).then(|| inner.to_string())
}

/// Where `needle` occurs in `code` as a use, not inside a longer name, nor as the name of a
/// definition (`fn x(`, `struct X {`, `impl X {`, `-> X {`).
fn uses<'a>(code: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    code.match_indices(needle).filter_map(move |(at, _)| {
        let before = code[..at].trim_end();
        let glued = code[..at]
            .bytes()
            .next_back()
            .is_some_and(|c| is_ident(c) || c == b'$');
        let defined = ["fn", "struct", "impl", "->", "enum"]
            .iter()
            .any(|d| before.ends_with(d));
        (!glued && !defined).then_some(at)
    })
}

/// The value of field `name` of the struct literal opened at `brace` (`name` itself when
/// written shorthand).
fn field(code: &str, brace: usize, name: &str) -> Option<String> {
    parts(code, brace).into_iter().find_map(|p| {
        if p == name {
            return Some(p);
        }
        p.strip_prefix(name)
            .and_then(|r| r.trim_start().strip_prefix(':'))
            .map(|v| v.trim().to_string())
    })
}

/// What the scan read: the codes, and the sites whose code it could not read.
#[derive(Default)]
struct Scan {
    codes: BTreeSet<String>,
    strategies: BTreeSet<String>,
    unreadable: Vec<String>,
}

impl Scan {
    fn take(&mut self, file: &str, what: &str, arg: Option<&String>) -> Option<String> {
        match arg.and_then(|a| literal(a)) {
            Some(c) => {
                self.codes.insert(c.clone());
                Some(c)
            }
            None => {
                let arg = arg.map_or("(nothing)", String::as_str);
                self.unreadable.push(format!("{file}: {what} {arg}"));
                None
            }
        }
    }
}

/// The values `fn serde_key` of `oz/window.rs` gives the windows' start rules.
fn start_rules(window_rs: &str) -> Vec<String> {
    let code = code_of(window_rs);
    let at = code
        .find("fn serde_key")
        .expect("fn serde_key in oz/window.rs");
    let body = &code[at..];
    let body = &body[..body.find("\n}").unwrap_or(body.len())];
    body.split("=>")
        .skip(1)
        .filter_map(|s| literal(s.split(',').next().unwrap_or("")))
        .collect()
}

/// Every code read from the engine's source.
fn scan() -> Scan {
    let mut files = Vec::new();
    rs_files(&src(), &mut files);
    files.sort();
    let mut s = Scan::default();
    let mut format_keys: Vec<(String, String)> = Vec::new();
    for p in &files {
        let rel = p
            .strip_prefix(src())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with("words") {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(p).expect("read"));
        let planner = rel.starts_with("plan/") || rel.starts_with("oz/");
        for m in ["finding!(", "finding_at!("] {
            for at in uses(&code, m) {
                let a = parts(&code, at + m.len() - 1);
                s.take(&rel, m, a.get(1));
            }
        }
        for at in uses(&code, "reason(") {
            let a = parts(&code, at + "reason".len());
            s.take(&rel, "reason(", a.first());
        }
        for (ty, key) in [
            ("Reason {", "code"),
            ("Milestone {", "key"),
            ("Strategy {", "name"),
        ] {
            for at in uses(&code, ty) {
                let v = field(&code, at + ty.len() - 1, key);
                if v.is_none() && ty == "Strategy {" {
                    // `Strategy { tax_now, ..Strategy::not_available("key", …) }`.
                    continue;
                }
                if v.as_deref()
                    .is_some_and(|v| v.trim_end_matches(".into()") == key)
                {
                    // Passed through (`fn reason(code, …)`): its callers give the code.
                    continue;
                }
                if let Some(c) = s.take(&rel, ty, v.as_ref())
                    && ty == "Strategy {"
                {
                    s.strategies.insert(c);
                }
            }
        }
        for at in uses(&code, "not_available(") {
            let a = parts(&code, at + "not_available".len());
            if let Some(c) = s.take(&rel, "not_available(", a.first()) {
                s.strategies.insert(c);
            }
        }
        if !planner {
            continue;
        }
        for at in uses(&code, "step!(") {
            let a = parts(&code, at + "step!".len());
            let key = a.get(1).cloned().unwrap_or_default();
            if let Some(f) = key.strip_prefix("format!") {
                let pattern = literal(parts(f, 0).first().map_or("", |x| x));
                match pattern {
                    Some(pat) if pat.matches("{}").count() == 1 => {
                        format_keys.push((rel.clone(), pat));
                    }
                    _ => s.unreadable.push(format!("{rel}: step! key {key}")),
                }
            } else {
                s.take(&rel, "step!", Some(&key));
            }
        }
        for (call, arg) in [("InputErrors::one(", 1), ("check_pct(", 2)] {
            for at in uses(&code, call) {
                let a = parts(&code, at + call.len() - 1);
                if a.len() > 2 {
                    s.take(&rel, call, a.get(arg));
                }
            }
        }
        for at in uses(&code, "push(") {
            let a = parts(&code, at + "push".len());
            // A rule broken: `e.push(path, "rule", message)`; a rule passed down as a
            // variable is read where it is given (`check_pct`).
            if a.len() == 3 && literal(&a[1]).is_some() {
                s.take(&rel, "push(", a.get(1));
            }
        }
        if uses(&code, "non_negative(").next().is_some() {
            s.codes.insert("non_negative".into());
        }
    }
    let rules = start_rules(&std::fs::read_to_string(src().join("oz/window.rs")).unwrap());
    for (rel, pat) in format_keys {
        let values: Vec<String> = if pat.starts_with("plan.") {
            s.strategies.iter().cloned().collect()
        } else if pat.starts_with("oz.window.") {
            rules.clone()
        } else {
            s.unreadable
                .push(format!("{rel}: step! key format!({pat:?})"));
            continue;
        };
        for v in values {
            s.codes.insert(pat.replace("{}", &v));
        }
    }
    s
}

#[test]
fn every_code_the_engine_can_emit_has_a_title() {
    let s = scan();
    assert!(
        s.unreadable.is_empty(),
        "codes the scan cannot read (write them as literals, or teach this test their values):\n{}",
        s.unreadable.join("\n")
    );
    // The scan reads what it should: a code of each kind.
    for known in [
        "taxable_sale",
        "oz_window_closed",
        "received_late",
        "disqualified_intermediary",
        "identification_end",
        "reverse_transfers",
        "complete_1031",
        "failed_1031_gain_to_qof",
        "plan.status",
        "plan.sell_pay_tax.after_tax_value",
        "oz.inclusion_date",
        "oz.window.exchange_transfer_date",
        "oz_180_day_window",
        "horizon_range",
        "tax_rate",
    ] {
        assert!(s.codes.contains(known), "{known} not read: {:?}", s.codes);
    }
    assert_eq!(s.strategies.len(), 7, "{:?}", s.strategies);
    let untitled: Vec<&String> = s
        .codes
        .iter()
        .filter(|c| likekind_core::words::title(c).is_none())
        .collect();
    assert!(
        untitled.is_empty(),
        "codes with no title in crates/likekind-core/src/words/titles.rs: {untitled:?}"
    );
}

/// The strategies are called the same in the plan and in the words of their keys.
#[test]
fn a_strategy_s_title_is_the_title_of_its_key() {
    for (name, text) in examples() {
        let Some(p) = plan_of(&text) else { continue };
        for s in &p.strategies {
            assert_eq!(
                likekind_core::words::title(&s.name),
                Some(s.title.as_str()),
                "{name}: {}",
                s.name
            );
        }
    }
}

fn examples() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read_to_string(&p).expect("read"))
        })
        .collect();
    out.sort();
    out
}

fn plan_of(text: &str) -> Option<likekind_core::plan::Plan> {
    use likekind_core::plan::{Overrides, resolve};
    let f = likekind_core::parse_exchange(text, likekind_core::Format::Toml).ok()?;
    let as_of = f.exchange.as_of.unwrap_or(jiff::civil::date(2026, 11, 25));
    let r = likekind_core::analyze(&f, as_of);
    let a = resolve(f.plan.as_ref(), &Overrides::default()).ok()?;
    likekind_core::plan::plan(&f, &r, &a).ok()
}

/// The codes the engine and the planner emit for the examples are among those the scan
/// reads, so the scan misses no way of emitting a code these files reach.
#[test]
fn the_codes_emitted_for_the_examples_are_read_from_the_source() {
    let read = scan().codes;
    let mut emitted = BTreeSet::new();
    for (_, text) in examples() {
        let Ok(f) = likekind_core::parse_exchange(&text, likekind_core::Format::Toml) else {
            continue;
        };
        let as_of = f.exchange.as_of.unwrap_or(jiff::civil::date(2026, 11, 25));
        let r = likekind_core::analyze(&f, as_of);
        emitted.extend(r.findings.iter().map(|x| x.code.to_string()));
        let q = &r.qualification;
        let reasons = q.given.iter().flat_map(|g| [&g.reason, &g.caution]);
        let reasons = reasons.chain(q.received.iter().flat_map(|g| [&g.reason, &g.caution]));
        let reasons = reasons.chain(std::iter::once(&q.exchange_reason));
        emitted.extend(reasons.flatten().map(|x| x.code.to_string()));
        if let Some(st) = &r.status {
            emitted.extend(st.items.iter().map(|i| i.milestone.key.to_string()));
        }
        let oz_steps = r.explanation.iter().filter(|x| x.key.starts_with("oz."));
        emitted.extend(oz_steps.map(|x| x.key.to_string()));
        if let Some(p) = plan_of(&text) {
            emitted.extend(p.findings.iter().map(|x| x.code.to_string()));
            emitted.extend(p.strategies.iter().map(|x| x.name.clone()));
            let steps = p.explanation.iter().map(|x| x.key.to_string());
            emitted.extend(steps.filter(|k| k.starts_with("plan.") || k.starts_with("oz.")));
        }
    }
    assert!(emitted.len() > 40, "{emitted:?}");
    let missed: Vec<&String> = emitted.difference(&read).collect();
    assert!(
        missed.is_empty(),
        "emitted but not read from the source: {missed:?}"
    );
}
