//! Issue 11, "Never a panic from input": a deterministic fuzz harness, run as an ordinary
//! test (cargo-fuzz needs nightly). Each case is an exchange file made by
//!
//! * structured generation: valid-ish exchanges with extreme values (huge, negative, zero
//!   and malformed money; dates at 0001-01-01, 9999-12-31 and around them; many
//!   properties, over the list limits; missing, empty and duplicate ids; optional blocks);
//! * mutation of the seeds: the files in `examples/` (TOML, and the same files re-serialised
//!   as JSON), plus the `inputs.file` object of any JSON test vector that has one: value
//!   replacement by extremes, duplicated tables, deleted and swapped lines, splices of two
//!   seeds, byte flips, insertions and deletions;
//!
//! and runs what the CLI runs: parse → validate → analyze (with a depreciation schedule and
//! an extreme `today` at times) → JSON report → text report (`likekind-render`) → ICS → plan
//! (with flag overrides, as `likekind plan` checks them) → plan text and JSON. Every step is
//! under `catch_unwind`; a panic is reported with its message and the offending input,
//! written to `CARGO_TARGET_TMPDIR/fuzz-failures/`.
//!
//! Bounded by default (`LIKEKIND_FUZZ_CASES`, default 3000). The long run:
//! `LIKEKIND_FUZZ_CASES=1000000 LIKEKIND_FUZZ_THREADS=2 cargo test --release -p likekind-cli
//! --test fuzz -- --nocapture`. `LIKEKIND_FUZZ_SEED` changes the stream; `LIKEKIND_FUZZ_CASE=N`
//! replays case N alone (each case's generator is seeded by the seed and its index).
//! See TESTING.md.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::{Date, date};
use likekind_core::analyze::{Options, analyze_with, figures};
use likekind_core::plan::{HoldUntil, Overrides};
use likekind_core::{Format, parse_exchange};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// xorshift64*: small, fast and reproducible.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, case: u64) -> Rng {
        let mut r = Rng(seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03);
        for _ in 0..4 {
            r.next();
        }
        r
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const DATES: &[&str] = &[
    "0001-01-01",
    "0001-01-02",
    "0001-12-31",
    "0000-12-31",
    "0000-01-01",
    "-000001-06-30",
    "-009999-01-01",
    "9999-12-31",
    "9999-12-30",
    "9999-12-20",
    "9999-07-01",
    "9999-06-30",
    "9999-03-01",
    "9999-01-01",
    "9998-12-31",
    "9998-07-05",
    "9997-12-31",
    "2026-03-02",
    "2026-02-28",
    "2024-02-29",
    "2026-12-31",
    "2027-01-01",
    "2026-06-15",
    "1900-01-01",
    "1970-01-01",
    "2026-02-29",
    "2026-13-01",
    "2026-00-10",
    "+009999-12-31",
    "20260302",
    "",
];

const MONEY: &[&str] = &[
    "0",
    "-0",
    "0.00",
    "1",
    "-1",
    "0.01",
    "-0.01",
    "0.005",
    "100000000000",
    "-100000000000",
    "100000000000.00",
    "100000000000.01",
    "99999999999.99",
    "-99999999999.99",
    "10000000000000",
    "79228162514264337593543950335",
    "792281625142643375935439503350",
    "1e5",
    "1,000",
    "abc",
    "",
    ".",
    "-",
    "+5",
    " 7",
    "1000000",
    "400000",
    "0000000000000000000000000001",
];

const BARE_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1.5",
    "100000000000",
    "100000000001",
    "1e300",
    "-1e300",
    "1e-300",
    "4294967295",
    "4294967296",
    "-4294967296",
    "9223372036854775807",
    "18446744073709551616",
    "0.1",
    "nan",
    "inf",
];

const PCTS: &[&str] = &[
    "0", "4", "25", "100", "-99.99", "-100", "1000", "0.01", "33.3", "50",
];

/// `base` plus 0 to `spread` days (a plausible later date), or any date at times.
fn near(r: &mut Rng, base: Date, spread: usize) -> String {
    if r.chance(8) {
        return random_date(r);
    }
    base.checked_add(jiff::Span::new().days(r.below(spread + 1) as i64))
        .map(|d| d.to_string())
        .unwrap_or_else(|_| "9999-12-31".into())
}

fn random_date(r: &mut Rng) -> String {
    if r.chance(2) {
        return (*r.pick(DATES)).to_string();
    }
    let year = match r.below(5) {
        0 => 1 + r.below(30) as i32,
        1 => 9970 + r.below(30) as i32,
        _ => 1980 + r.below(80) as i32,
    };
    let month = 1 + r.below(12);
    let days = if r.chance(8) { 31 } else { 28 };
    format!("{year:04}-{month:02}-{:02}", 1 + r.below(days))
}

fn random_money(r: &mut Rng) -> String {
    if !r.chance(4) {
        return format!("\"{}\"", r.below(5_000_000));
    }
    match r.below(6) {
        0 | 1 => format!("\"{}\"", r.pick(MONEY)),
        2 => r.pick(BARE_NUMBERS).to_string(),
        3 => format!("\"{}\"", r.below(100_000_000_001)),
        4 => format!("\"{}.{:02}\"", r.next() % 100_000_000_000, r.below(100)),
        _ => format!("\"{}\"", r.below(2_000_000)),
    }
}

fn random_value(r: &mut Rng) -> String {
    match r.below(7) {
        0 | 1 => format!("\"{}\"", random_date(r)),
        2 | 3 => random_money(r),
        4 => r.pick(&["true", "false"]).to_string(),
        5 => format!("\"{}\"", r.pick(PCTS)),
        _ => r
            .pick(&["\"x\"", "\"\"", "[]", "{}", "\"foreign:XX\"", "\"CA\""])
            .to_string(),
    }
}

/// A valid-ish exchange built field by field, with extremes.
fn generate(r: &mut Rng) -> String {
    let mut t = String::new();
    let kinds = ["delayed", "simultaneous", "reverse", "improvement", "bogus"];
    t.push_str("[exchange]\n");
    if !r.chance(4) {
        t.push_str(&format!("type = \"{}\"\n", r.pick(&kinds)));
    }
    if r.chance(3) {
        t.push_str(&format!("as_of = \"{}\"\n", random_date(r)));
    }
    if r.chance(3) {
        t.push_str(&format!("funds_released_on = \"{}\"\n", random_date(r)));
    }
    if r.chance(3) {
        t.push_str(&format!("bona_fide_intent = {}\n", r.chance(2)));
    }
    let entities = [
        "individual",
        "partnership",
        "s_corporation",
        "c_corporation",
        "trust",
        "estate",
    ];
    t.push_str(&format!("[taxpayer]\nentity = \"{}\"\n", r.pick(&entities)));
    if r.chance(3) {
        t.push_str(&format!(
            "tax_year_end = \"{}\"\n",
            r.pick(&["12-31", "06-30", "02-29", "09-30", "01-31", "13-01", "6-30"])
        ));
    }
    if r.chance(3) {
        t.push_str(&format!("extension_filed = {}\n", r.chance(2)));
    }
    let count = |r: &mut Rng| match r.below(10) {
        0 => 0,
        1 => 100 + r.below(3),
        2 => 20 + r.below(30),
        _ => 1 + r.below(4),
    };
    let id = |r: &mut Rng, prefix: &str, k: usize| match r.below(40) {
        0 => String::new(),
        1 => "dup".to_string(),
        2 => " ".to_string(),
        _ => format!("{prefix}{k}"),
    };
    let uses = [
        "investment",
        "business",
        "personal_residence",
        "vacation_home",
        "dealer",
    ];
    let locations = [
        "CA",
        "TX",
        "NY",
        "CA",
        "TX",
        "NY",
        "FL",
        "foreign:MX",
        "foreign:XX",
        "ZZ",
        "PR",
        "",
    ];
    let n_rel = count(r);
    let base = match r.below(6) {
        0 => *r.pick(&[
            date(1, 1, 1),
            date(1, 3, 1),
            date(9998, 12, 31),
            date(9998, 7, 1),
            date(9999, 6, 1),
            date(9999, 12, 20),
            date(2026, 12, 31),
            date(2024, 2, 29),
        ]),
        _ => date(
            2020 + r.below(8) as i16,
            1 + r.below(12) as i8,
            1 + r.below(28) as i8,
        ),
    };
    let shared_date = base.to_string();
    for k in 0..n_rel {
        t.push_str("[[relinquished]]\n");
        t.push_str(&format!("id = \"{}\"\n", id(r, "r", k)));
        t.push_str(&format!("location = \"{}\"\n", r.pick(&locations)));
        if r.chance(2) {
            t.push_str(&format!("use = \"{}\"\n", r.pick(&uses)));
        }
        let acq = if r.chance(6) {
            random_date(r)
        } else {
            date(
                1990 + r.below(30) as i16,
                1 + r.below(12) as i8,
                1 + r.below(28) as i8,
            )
            .min(base)
            .to_string()
        };
        t.push_str(&format!("acquired = \"{acq}\"\n"));
        let tr = if r.chance(2) {
            shared_date.clone()
        } else {
            near(r, base, 20)
        };
        t.push_str(&format!("transferred = \"{tr}\"\n"));
        for f in [
            "sale_price",
            "adjusted_basis",
            "depreciation_allowed",
            "additional_depreciation",
            "section1245_depreciation",
            "liabilities_relieved",
            "exchange_expenses",
            "other_closing_costs",
            "cash_received",
            "depreciable_basis",
        ] {
            if f == "sale_price" || f == "adjusted_basis" || r.chance(2) {
                t.push_str(&format!("{f} = {}\n", random_money(r)));
            }
        }
        if r.chance(4) {
            t.push_str(&format!(
                "recovery_years = \"{}\"\n",
                r.pick(&["27.5", "39", "0.01", "1", "50", "51", "0"])
            ));
        }
        if r.chance(4) {
            t.push_str(&format!("placed_in_service = \"{}\"\n", random_date(r)));
        }
    }
    for k in 0..count(r) {
        t.push_str("[[identified]]\n");
        t.push_str(&format!("id = \"{}\"\n", id(r, "p", k)));
        t.push_str(&format!("fmv = {}\n", random_money(r)));
        let on = near(r, base, 50);
        t.push_str(&format!("identified_on = \"{on}\"\n"));
        if r.chance(5) {
            t.push_str(&format!("revoked_on = \"{}\"\n", random_date(r)));
        }
        if r.chance(5) {
            t.push_str(&format!(
                "incidental_personal_property = {}\n",
                random_money(r)
            ));
        }
    }
    for k in 0..count(r) {
        t.push_str("[[replacement]]\n");
        t.push_str(&format!("id = \"{}\"\n", id(r, "p", k)));
        t.push_str(&format!("location = \"{}\"\n", r.pick(&locations)));
        if r.chance(2) {
            t.push_str(&format!("use = \"{}\"\n", r.pick(&uses)));
        }
        let rc = if r.chance(4) {
            shared_date.clone()
        } else {
            near(r, base, 200)
        };
        t.push_str(&format!("received = \"{rc}\"\n"));
        for f in [
            "price",
            "liabilities_assumed",
            "cash_paid",
            "exchange_expenses",
            "other_closing_costs",
            "personal_property",
            "land_value",
        ] {
            if f == "price" || r.chance(2) {
                t.push_str(&format!("{f} = {}\n", random_money(r)));
            }
        }
    }
    for k in 0..(if r.chance(3) { count(r) } else { 0 }) {
        t.push_str(&format!(
            "[[other_property_given]]\ndescription = \"g{k}\"\nfmv = {}\nadjusted_basis = {}\n",
            random_money(r),
            random_money(r)
        ));
    }
    for k in 0..(if r.chance(3) { count(r) } else { 0 }) {
        t.push_str(&format!(
            "[[other_property_received]]\ndescription = \"o{k}\"\nfmv = {}\n",
            random_money(r)
        ));
        if r.chance(2) {
            t.push_str("installment_obligation = true\n");
        }
    }
    if r.chance(4) {
        t.push_str(&format!(
            "[related_party]\nname = \"Pat\"\nrelationship = \"{}\"\n",
            r.pick(&["sibling", "spouse", "", "stranger"])
        ));
        if r.chance(2) {
            let d = near(r, base, 1000);
            t.push_str(&format!("disposed_on = \"{d}\"\n"));
        }
        if r.chance(2) {
            t.push_str(&format!(
                "suspended_days = {}\n",
                r.pick(&["0", "1", "4294967295", "2000000", "7300000", "-1"])
            ));
        }
    }
    if r.chance(4) {
        t.push_str("[plan]\n");
        if r.chance(2) {
            t.push_str(&format!(
                "horizon_years = {}\n",
                r.pick(&["1", "10", "100", "0", "101", "-5", "9223372036854775807"])
            ));
        }
        if r.chance(2) {
            t.push_str(&format!("growth_pct = \"{}\"\n", r.pick(PCTS)));
        }
        if r.chance(3) {
            t.push_str(&format!("yield_pct = \"{}\"\n", r.pick(PCTS)));
        }
        if r.chance(3) {
            t.push_str(&format!("qof_investment_date = \"{}\"\n", random_date(r)));
        }
        if r.chance(3) {
            t.push_str(&format!("qof_amount = {}\n", random_money(r)));
        }
    }
    if r.chance(6) {
        t.push_str(&format!(
            "[death]\ndate = \"{}\"\nfmv_at_death = {}\n",
            random_date(r),
            random_money(r)
        ));
    }
    if r.chance(6) {
        t.push_str(&format!(
            "[disaster]\ndisaster_date = \"{}\"\npostponement_date = \"{}\"\naffected_taxpayer = true\n",
            random_date(r),
            random_date(r)
        ));
    }
    t
}

/// One line-level or byte-level change to a TOML text.
fn mutate_toml(r: &mut Rng, text: &str, seeds: &[Seed]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    match r.below(9) {
        0..=3 => {
            // Replace the value of a `key = value` line by an extreme.
            let cands: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains(" = ") && !lines[i].trim_start().starts_with('#'))
                .collect();
            if let Some(&i) = cands.get(r.below(cands.len())) {
                let key = lines[i].split(" = ").next().unwrap_or("x").to_string();
                let old = lines[i].split(" = ").nth(1).unwrap_or("").to_string();
                let v = if old.starts_with("\"") && old.len() >= 11 && old.as_bytes()[5] == b'-' {
                    format!("\"{}\"", random_date(r))
                } else if old.starts_with("\"")
                    && old[1..].starts_with(|c: char| c.is_ascii_digit())
                {
                    random_money(r)
                } else {
                    random_value(r)
                };
                lines[i] = format!("{key} = {v}");
            }
        }
        4 => {
            // Duplicate an array-of-tables block many times.
            let starts: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].starts_with("[["))
                .collect();
            if let Some(&s) = starts.get(r.below(starts.len())) {
                let end = (s + 1..lines.len())
                    .find(|&i| lines[i].starts_with('['))
                    .unwrap_or(lines.len());
                let block: Vec<String> = lines[s..end].to_vec();
                let times = *r.pick(&[1usize, 2, 5, 99, 100, 101, 1001]);
                let rename = r.chance(2);
                let mut extra = Vec::new();
                for k in 0..times {
                    for l in &block {
                        if rename && l.starts_with("id = ") {
                            extra.push(format!("id = \"dup{k}\""));
                        } else {
                            extra.push(l.clone());
                        }
                    }
                }
                lines.splice(end..end, extra);
            }
        }
        5 => {
            let i = r.below(lines.len());
            lines.remove(i);
        }
        6 => {
            let (a, b) = (r.below(lines.len()), r.below(lines.len()));
            lines.swap(a, b);
        }
        7 => {
            // Splice lines of another seed.
            let other = &r.pick(seeds).toml;
            let ol: Vec<&str> = other.lines().collect();
            if !ol.is_empty() {
                let a = r.below(ol.len());
                let b = (a + 1 + r.below(20)).min(ol.len());
                let at = r.below(lines.len() + 1);
                lines.splice(at..at, ol[a..b].iter().map(|s| s.to_string()));
            }
        }
        _ => return mutate_bytes(r, text),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn mutate_bytes(r: &mut Rng, text: &str) -> String {
    let mut b = text.as_bytes().to_vec();
    for _ in 0..1 + r.below(4) {
        let i = r.below(b.len() + 1);
        match r.below(4) {
            0 if i < b.len() => b[i] ^= 1 << r.below(8),
            1 if i < b.len() => {
                b.remove(i);
            }
            2 => b.insert(i, *r.pick(b"0123456789-.\"=[]{},\n\\ e+x\xff")),
            _ if i < b.len() => b[i] = *r.pick(b"09-.\"\n"),
            _ => {}
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

fn extreme_json(r: &mut Rng) -> serde_json::Value {
    use serde_json::Value;
    match r.below(8) {
        0 | 1 => Value::String(random_date(r)),
        2 | 3 => Value::String((*r.pick(MONEY)).to_string()),
        4 => {
            let n: &&str = r.pick(BARE_NUMBERS);
            serde_json::from_str(n).unwrap_or(Value::Null)
        }
        5 => Value::Bool(r.chance(2)),
        6 => Value::Null,
        _ => Value::Array(vec![]),
    }
}

/// One structural change to a JSON value, at a random depth.
fn mutate_json(r: &mut Rng, v: &mut serde_json::Value) {
    let depth = 1 + r.below(5);
    mutate_json_at(r, v, depth);
}

fn mutate_json_at(r: &mut Rng, v: &mut serde_json::Value, depth: usize) {
    use serde_json::Value;
    if depth > 0 && r.below(4) != 0 {
        match v {
            Value::Object(m) if !m.is_empty() => {
                let k = m.keys().nth(r.below(m.len())).cloned().unwrap_or_default();
                if let Some(c) = m.get_mut(&k) {
                    mutate_json_at(r, c, depth - 1);
                    return;
                }
            }
            Value::Array(a) if !a.is_empty() => {
                let i = r.below(a.len());
                mutate_json_at(r, &mut a[i], depth - 1);
                return;
            }
            _ => {}
        }
    }
    match v {
        Value::Object(m) if !m.is_empty() => {
            let k = m.keys().nth(r.below(m.len())).cloned().unwrap_or_default();
            match r.below(3) {
                0 => {
                    m.remove(&k);
                }
                1 => {
                    m.insert(k, extreme_json(r));
                }
                _ => {
                    m.insert("unknown_field".into(), Value::Bool(true));
                }
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let e = a[r.below(a.len())].clone();
            for _ in 0..*r.pick(&[1usize, 50, 100, 1001]) {
                a.push(e.clone());
            }
        }
        other => *other = extreme_json(r),
    }
}

struct Seed {
    toml: String,
    json: Option<serde_json::Value>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seeds() -> Vec<Seed> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for p in paths {
        let toml = std::fs::read_to_string(&p).expect("read example");
        let json = parse_exchange(&toml, Format::Toml)
            .ok()
            .and_then(|f| serde_json::to_value(&f).ok());
        out.push(Seed { toml, json });
    }
    // Any test vector carrying a whole exchange file (`inputs.file`).
    let vectors = root().join("crates/likekind-core/tests/vectors");
    if let Ok(rd) = std::fs::read_dir(vectors) {
        let mut vs: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        vs.sort();
        for p in vs {
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            if let Some(f) = v.get("inputs").and_then(|i| i.get("file")) {
                out.push(Seed {
                    toml: String::new(),
                    json: Some(f.clone()),
                });
            }
        }
    }
    out
}

/// The input of one case, and which format it is read as.
fn case_input(seed: u64, case: u64, seeds: &[Seed]) -> (String, Format, Rng) {
    let mut r = Rng::new(seed, case);
    let (text, fmt) = match r.below(10) {
        0..=2 => (generate(&mut r), Format::Toml),
        3 => {
            // A generated exchange as JSON (through the TOML parser's value).
            let t = generate(&mut r);
            match toml::from_str::<serde_json::Value>(&t) {
                Ok(v) => (v.to_string(), Format::Json),
                Err(_) => (t, Format::Toml),
            }
        }
        4..=7 => {
            let s = r.pick(seeds);
            let mut t = if s.toml.is_empty() {
                generate(&mut r)
            } else {
                s.toml.clone()
            };
            let n = 1 + if r.chance(3) { r.below(4) } else { 0 };
            for _ in 0..n {
                t = mutate_toml(&mut r, &t, seeds);
            }
            (t, Format::Toml)
        }
        _ => {
            let s = r.pick(seeds);
            let mut v = s.json.clone().unwrap_or(serde_json::Value::Null);
            let n = 1 + if r.chance(3) { r.below(4) } else { 0 };
            for _ in 0..n {
                mutate_json(&mut r, &mut v);
            }
            let mut t = v.to_string();
            if r.chance(4) {
                t = mutate_bytes(&mut r, &t);
            }
            (t, Format::Json)
        }
    };
    (text, fmt, r)
}

/// How far the cases got: parsed and analysed, planned.
static ANALYZED: AtomicU64 = AtomicU64::new(0);
static PLANNED: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The whole pipeline of the CLI on one input.
fn pipeline(text: &str, fmt: Format, r: &mut Rng) {
    let Ok(file) = parse_exchange(text, fmt) else {
        return;
    };
    let today = match r.below(8) {
        0 => Date::MAX,
        1 => date(1, 1, 1),
        2 => Date::MIN,
        _ => date(2026, 12, 3),
    };
    let opts = Options {
        depreciation_years: if r.chance(3) {
            Some(1 + r.below(60) as u16)
        } else {
            None
        },
    };
    let report = analyze_with(&file, today, opts);
    let n = ANALYZED.fetch_add(1, Ordering::Relaxed);
    if n.is_multiple_of(4) && opts.depreciation_years.is_none() {
        // The analysis without words (a book's summaries) reaches the same verdict and
        // figures on the same extremes.
        let quick = figures(&file, today);
        // The what-if of a failed exchange is only in the whole report.
        let mut q = report.qualification.clone();
        q.if_qualified = None;
        assert_eq!(quick.qualification, q);
        let gain = |g| serde_json::to_value(g).ok();
        assert_eq!(gain(&quick.gain), gain(&report.gain));
        let codes = |fx: &[likekind_core::findings::Finding]| {
            fx.iter()
                .map(|f| (f.code.clone(), f.severity))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&quick.findings), codes(&report.findings));
    }
    let _ = serde_json::to_string(&report).expect("report serializes");
    let _ = likekind_render::json(&report);
    let _ = likekind_render::text::render(&report, &file, r.chance(2));
    let _ = likekind_render::ics::report(&report);
    let ov = Overrides {
        horizon_years: if r.chance(3) {
            Some(*r.pick(&[1i64, 10, 100, 0, 101, -1, i64::MAX]))
        } else {
            None
        },
        growth_pct: if r.chance(3) {
            r.pick(PCTS).parse().ok()
        } else {
            None
        },
        hold_until: if r.chance(3) {
            Some(if r.chance(2) {
                HoldUntil::Sale
            } else {
                HoldUntil::Death
            })
        } else {
            None
        },
        qof_investment_date: if r.chance(4) {
            random_date(r).parse().ok()
        } else {
            None
        },
    };
    let Ok(a) = likekind_core::plan::resolve(file.plan.as_ref(), &ov) else {
        return;
    };
    // As `likekind plan` does: the flags' growth over the horizon is checked first.
    if likekind_core::validate::check_plan_growth(a.growth_pct, i64::from(a.horizon_years)).is_err()
    {
        return;
    }
    let plan_report = analyze_with(&file, today, Options::default());
    if let Ok(p) = likekind_core::plan::plan(&file, &plan_report, &a) {
        PLANNED.fetch_add(1, Ordering::Relaxed);
        let _ = likekind_render::plan::render(&p, r.chance(2));
        let _ = likekind_render::plan::json(&p);
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .unwrap_or(default)
}

#[test]
fn no_input_makes_the_engine_panic() {
    let cases = env_u64("LIKEKIND_FUZZ_CASES", 3000);
    let seed = env_u64("LIKEKIND_FUZZ_SEED", 11);
    let threads = env_u64("LIKEKIND_FUZZ_THREADS", 1).clamp(1, 64);
    let only = std::env::var("LIKEKIND_FUZZ_CASE")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    let seeds = seeds();
    assert!(!seeds.is_empty());
    std::panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|l| *l.borrow_mut() = Some(info.to_string()));
    }));
    // Distinct panics (by message and location) → (count, first case, its input).
    let found: Mutex<BTreeMap<String, (u64, u64, String)>> = Mutex::new(BTreeMap::new());
    let started = Instant::now();
    let run = |t: u64| {
        let mut i = t;
        while i < cases {
            let case = only.unwrap_or(i);
            let (text, fmt, mut r) = case_input(seed, case, &seeds);
            let ok = catch_unwind(AssertUnwindSafe(|| pipeline(&text, fmt, &mut r)));
            if ok.is_err() {
                let msg = LAST_PANIC
                    .with(|l| l.borrow_mut().take())
                    .unwrap_or_else(|| "unknown panic".into());
                let mut f = found.lock().unwrap_or_else(|e| e.into_inner());
                let e = f.entry(msg).or_insert((0, case, text.clone()));
                e.0 += 1;
                if text.len() < e.2.len() {
                    e.1 = case;
                    e.2 = text;
                }
            }
            if t == 0 && i > 0 && i % 100_000 < threads {
                eprintln!("fuzz: {i} cases, {:.0} s", started.elapsed().as_secs_f64());
            }
            if only.is_some() {
                break;
            }
            i += threads;
        }
    };
    std::thread::scope(|s| {
        for t in 0..threads {
            let run = &run;
            s.spawn(move || run(t));
        }
    });
    let _ = std::panic::take_hook();
    let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    eprintln!(
        "fuzz: {cases} cases (seed {seed}, {threads} thread(s)) in {:.1} s: {} parsed and analysed, {} planned; {} distinct panic(s)",
        started.elapsed().as_secs_f64(),
        ANALYZED.load(Ordering::Relaxed),
        PLANNED.load(Ordering::Relaxed),
        found.len()
    );
    if !found.is_empty() {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
        let _ = std::fs::create_dir_all(&dir);
        let mut report = String::new();
        for (k, (msg, (n, case, text))) in found.iter().enumerate() {
            let p = dir.join(format!("panic-{k}-case-{case}.txt"));
            let _ = std::fs::write(&p, text);
            report.push_str(&format!(
                "\n--- {n} case(s), first shortest: case {case} (input in {})\n{msg}\n{}\n",
                p.display(),
                if text.len() < 3000 {
                    text.as_str()
                } else {
                    "(long input, see the file)"
                }
            ));
        }
        panic!(
            "the engine panicked on {} distinct input(s):{report}",
            found.len()
        );
    }
}
