//! The PDFs read back with `pdftotext` (Debian's poppler-utils): for every example file, every
//! amount printed is one of the engine's own figures for that file (the JSON report, the plan,
//! or the file's facts), the key figures are all printed, dates and words are for people, and
//! the bytes are reproducible. `pdftoppm` renders each page to PNG under
//! `target/screenshots/` for review.
//!
//! Without poppler-utils the checks are skipped with a message, unless
//! `LIKEKIND_REQUIRE_PDFTOOLS=1` (CI sets it), which makes a missing tool a failure.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use likekind_core::analyze::{Options, analyze_with};
use likekind_core::plan::{Overrides, resolve};
use likekind_core::{ExchangeFile, Format, Report, parse_exchange};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

/// Whether poppler-utils is there; without it, fail under `LIKEKIND_REQUIRE_PDFTOOLS=1`.
fn tools() -> bool {
    let ok = Command::new("pdftotext").arg("-v").output().is_ok()
        && Command::new("pdftoppm").arg("-v").output().is_ok();
    if !ok {
        assert!(
            std::env::var("LIKEKIND_REQUIRE_PDFTOOLS").as_deref() != Ok("1"),
            "pdftotext/pdftoppm not found and LIKEKIND_REQUIRE_PDFTOOLS=1: install poppler-utils"
        );
        eprintln!("SKIPPED: pdftotext/pdftoppm not found (install poppler-utils)");
    }
    ok
}

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.pdf");
    std::fs::write(&p, pdf).unwrap();
    let o = Command::new("pdftotext")
        .args(["-layout", p.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(o.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn pages_of(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.pdf");
    std::fs::write(&p, pdf).unwrap();
    let o = Command::new("pdfinfo").arg(&p).output().unwrap();
    let info = String::from_utf8_lossy(&o.stdout).to_string();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Renders every page to `target/screenshots/{name}-N.png`.
fn screenshots(pdf: &[u8], name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{name}.pdf"));
    std::fs::write(&p, pdf).unwrap();
    let st = Command::new("pdftoppm")
        .args(["-png", "-r", "70", p.to_str().unwrap()])
        .arg(dir.join(name))
        .status()
        .unwrap();
    assert!(st.success(), "pdftoppm failed for {name}");
}

fn examples() -> Vec<(String, ExchangeFile)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v.into_iter()
        .map(|p| {
            let x = parse_exchange(&std::fs::read_to_string(&p).unwrap(), Format::Toml)
                .unwrap()
                .into_file();
            (p.file_stem().unwrap().to_string_lossy().to_string(), x)
        })
        .collect()
}

fn report_of(x: &mut ExchangeFile) -> Report {
    let as_of = x.exchange.as_of.unwrap_or(jiff::civil::date(2026, 12, 1));
    x.exchange.as_of = Some(as_of);
    analyze_with(
        x,
        as_of,
        Options {
            depreciation_years: Some(5),
        },
    )
}

/// Every amount in a JSON value (decimal strings), as absolute values.
fn amounts_in(v: &Value, out: &mut BTreeSet<Decimal>) {
    match v {
        Value::String(s) => {
            if let Ok(d) = Decimal::from_str(s) {
                out.insert(d.abs().round_dp(2));
            }
            // Amounts the engine wrote into its sentences (notes, reasons, messages).
            for (_, d) in amounts_printed(s) {
                out.insert(d.abs());
            }
            // ... and bare amounts inside lists of figures ("basis = 50000.00; ...").
            for w in s.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
                let w = w.trim_end_matches('.');
                if w.len() > 3
                    && w.as_bytes()[w.len() - 3] == b'.'
                    && let Ok(d) = Decimal::from_str(w)
                {
                    out.insert(d);
                }
            }
        }
        Value::Number(n) => {
            if let Ok(d) = Decimal::from_str(&n.to_string()) {
                out.insert(d.abs().round_dp(2));
            }
        }
        Value::Array(a) => a.iter().for_each(|x| amounts_in(x, out)),
        Value::Object(o) => o.values().for_each(|x| amounts_in(x, out)),
        _ => {}
    }
}

/// Every `$1,234.56` printed, as absolute values.
fn amounts_printed(t: &str) -> Vec<(String, Decimal)> {
    let mut out = Vec::new();
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b',' || b[j] == b'.') {
                j += 1;
            }
            let printed = t[i + 1..j].trim_end_matches('.');
            // Money is printed with cents ($1,234.56); "$500K" in a name is no figure.
            let with_cents = printed.len() > 3 && printed.as_bytes()[printed.len() - 3] == b'.';
            let raw = printed.replace(',', "");
            if let (true, Ok(d)) = (with_cents, Decimal::from_str(&raw)) {
                out.push((t[i..j].to_string(), d.round_dp(2)));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// What no page may show: field paths or codes in snake_case, ISO dates, bare amounts with
/// more than two decimals.
fn for_people(t: &str, what: &str, file: &ExchangeFile) {
    // A field path, even with its underscores printed as spaces ("set exchange.bona fide
    // intent"): a section of the file followed by a dot and a lowercase word.
    for section in [
        "exchange.",
        "taxpayer.",
        "relinquished",
        "replacement[",
        "identified[",
        "plan.",
    ] {
        for (at, _) in t.match_indices(section) {
            let rest = &t[at + section.len()..];
            let path = section.ends_with('[')
                || (section.ends_with('.') && rest.starts_with(|c: char| c.is_ascii_lowercase()))
                || rest.starts_with("[");
            let near: String = t[at..].chars().take(40).collect();
            assert!(!path, "{what}: shows a field path at {near:?}");
        }
    }
    // The person's own words (names, descriptions) are theirs to write.
    let mut own = String::new();
    strings_in(&serde_json::to_value(file).unwrap(), &mut own);
    let split = |c: char| c.is_whitespace() || ";:()[]\"'".contains(c);
    let own: BTreeSet<&str> = own
        .split(split)
        .map(|w| w.trim_matches(|c| c == '.' || c == ','))
        .collect();
    for w in t.split(split) {
        let w = w.trim_matches(|c| c == '.' || c == ',');
        if own.contains(w) {
            continue;
        }
        let snake = w.contains('_')
            && w.split('_').all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
        assert!(!snake, "{what}: shows the code {w:?}");
        let iso = w.len() == 10
            && w.as_bytes()[4] == b'-'
            && w.as_bytes()[7] == b'-'
            && w[..4].chars().all(|c| c.is_ascii_digit());
        assert!(!iso, "{what}: shows the ISO date {w:?}");
        let bare_amount = w.len() > 3
            && w.as_bytes()[w.len() - 3] == b'.'
            && w.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == ',')
            && w.chars().next().is_some_and(|c| c.is_ascii_digit());
        assert!(!bare_amount, "{what}: shows the unformatted amount {w:?}");
    }
}

fn strings_in(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => {
            out.push(' ');
            out.push_str(s);
        }
        Value::Array(a) => a.iter().for_each(|x| strings_in(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings_in(x, out)),
        _ => {}
    }
}

fn check_every_amount(t: &str, allowed: &BTreeSet<Decimal>, what: &str) {
    for (s, d) in amounts_printed(t) {
        assert!(
            allowed.contains(&d),
            "{what}: {s} is printed but is no figure of the engine's output"
        );
    }
}

fn usd(d: impl Into<Decimal>) -> String {
    let d: Decimal = d.into();
    likekind_core::money::format_usd(d)
}

/// The words `pdftotext -layout` gives, with runs of spaces made one (columns).
fn squeeze(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text with no white space at all: phrases are compared this way, whatever the line breaks
/// of the page.
fn bare(t: &str) -> String {
    t.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text in reading order (no layout), white space removed.
fn reading(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.pdf");
    std::fs::write(&p, pdf).unwrap();
    let o = Command::new("pdftotext")
        .args([p.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    bare(&String::from_utf8_lossy(&o.stdout))
}

/// `text` contains `phrase`, line breaks aside.
fn has(text: &str, phrase: &str) -> bool {
    text.contains(&bare(phrase))
}

#[test]
fn every_example_report_prints_the_reports_figures() {
    if !tools() {
        return;
    }
    let mut n = 0;
    for (name, mut x) in examples() {
        let r = report_of(&mut x);
        let pdf = likekind_pdf::exchange_report(&x, &r).unwrap();
        assert_eq!(
            pdf,
            likekind_pdf::exchange_report(&x, &r).unwrap(),
            "{name}: reproducible"
        );
        assert!(pdf.starts_with(b"%PDF-"), "{name}");
        screenshots(&pdf, &format!("report-{name}"));
        let t = text_of(&pdf);
        let flat = reading(&pdf);
        // The marks of how far a citation was checked read as words.
        for mark in ["[P-mem]", "[S]", "[P]", "[U]"] {
            assert!(!t.contains(mark), "{name}: prints the mark {mark}");
        }
        // An intermediary the verdict finds disqualified is never called qualified.
        if r.qualification
            .exchange_reason
            .as_ref()
            .is_some_and(|w| w.code == "disqualified_intermediary")
        {
            assert!(
                !has(&flat, "Qualified intermediary"),
                "{name}: called qualified"
            );
            assert!(
                !has(&flat, "A qualified intermediary held"),
                "{name}: assumed qualified"
            );
            assert!(has(&flat, "a disqualified person"), "{name}: not said");
        }
        let j = serde_json::to_value(&r).unwrap();
        let mut allowed = BTreeSet::new();
        amounts_in(&j, &mut allowed);
        amounts_in(&serde_json::to_value(&x).unwrap(), &mut allowed);
        check_every_amount(&t, &allowed, &name);
        // The key figures are all there.
        let f = &j["form_8824"];
        for line in 12..=25 {
            let v = Decimal::from_str(f[format!("line_{line}")].as_str().unwrap()).unwrap();
            assert!(
                t.contains(&usd(v)),
                "{name}: Form 8824 line {line} {} not printed",
                usd(v)
            );
        }
        for (what, v) in [
            ("realized", r.gain.realized),
            ("recognized", r.gain.recognized),
            ("deferred", r.gain.deferred),
            ("ordinary recapture", r.gain.ordinary_recapture),
            ("unrecaptured 1250", r.gain.unrecaptured_1250),
            ("funds in", r.money.exchange_funds_in),
            ("funds out", r.money.exchange_funds_out),
            ("returned", r.money.returned_to_taxpayer),
        ] {
            assert!(t.contains(&usd(v)), "{name}: {what} {} not printed", usd(v));
        }
        for b in &r.replacement_basis {
            assert!(t.contains(&usd(b.basis)), "{name}: basis of {}", b.id);
        }
        for s in &r.money.sales {
            assert!(
                t.contains(&usd(s.to_exchange_funds)),
                "{name}: sale {}",
                s.id
            );
        }
        for y in r.depreciation.iter().flat_map(|d| &d.result.schedule) {
            assert!(t.contains(&usd(y.total)), "{name}: depreciation {}", y.year);
        }
        // The verdict, the form's line numbers and captions, the as-of date on every page.
        assert!(has(&flat, r.qualification.outcome.words()), "{name}");
        assert!(
            has(&flat, "Realized gain or (loss): line 17 minus line 18"),
            "{name}"
        );
        assert!(has(&flat, "not a substitute Form 8824"), "{name}");
        let as_of = format!("As of {}", words(r.exchange.as_of));
        let pages = pages_of(&pdf);
        assert!(pages >= 2, "{name}: {pages} pages");
        assert!(
            t.split('\u{c}')
                .filter(|p| !p.trim().is_empty())
                .all(|p| p.contains(&as_of)),
            "{name}: the as-of date is not on every page"
        );
        if r.qualification.form_8824_filed {
            assert!(has(&flat, "Form 8824 is filed for this exchange"), "{name}");
        } else {
            assert!(has(&flat, "Form 8824 is not filed"), "{name}");
            assert!(has(&flat, "Not to be filed"), "{name}");
        }
        if let Some(m) = &r.multi_asset {
            assert!(has(&flat, "Treas. Reg. §1.1031(j)-1"), "{name}");
            let first = m.statement.lines().next().unwrap_or_default();
            assert!(has(&flat, first), "{name}: (j)-1 statement");
        }
        for f in &r.findings {
            // The engine's marks (an uncertain point, how far a citation was checked) are
            // printed as words.
            let authority = likekind_core::words::authority(&f.authority);
            assert!(has(&flat, &authority), "{name}: authority {authority}");
        }
        assert!(
            !t.contains("[U]"),
            "{name}: an uncertainty mark printed as a code"
        );
        for_people(&t, &name, &x);
        n += 1;
    }
    assert!(n >= 25, "{n} examples");
}

fn words(d: jiff::civil::Date) -> String {
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {}, {}",
        M[usize::try_from(d.month() - 1).unwrap()],
        d.day(),
        d.year()
    )
}

#[test]
fn the_same_file_and_date_give_the_same_bytes_and_another_date_other_bytes() {
    let (_, mut x) = examples()
        .into_iter()
        .find(|(n, _)| n == "seed003-apartment-into-three")
        .unwrap();
    let r = report_of(&mut x);
    let a = likekind_pdf::exchange_report(&x, &r).unwrap();
    let b = likekind_pdf::exchange_report(&x.clone(), &r.clone()).unwrap();
    assert_eq!(a, b);
    // The document date is the as-of date: no clock in the bytes.
    let later = jiff::civil::date(2027, 6, 30);
    let mut y = x.clone();
    y.exchange.as_of = Some(later);
    let r2 = analyze_with(&y, later, Options::default());
    let c = likekind_pdf::exchange_report(&y, &r2).unwrap();
    assert_ne!(a, c);
    let s = String::from_utf8_lossy(&a);
    let stamp = format!(
        "{:04}{:02}{:02}",
        r.exchange.as_of.year(),
        r.exchange.as_of.month(),
        r.exchange.as_of.day()
    );
    assert!(
        s.contains(&format!("D:{stamp}")),
        "the creation date is the as-of date"
    );
    // Tagged: a structure tree (Typst 0.14 writes one by default).
    assert!(s.contains("/StructTreeRoot"), "tagged PDF");
    assert!(s.contains("/MarkInfo"), "tagged PDF");
}

#[test]
fn every_example_with_identified_property_has_a_notice_for_signature() {
    if !tools() {
        return;
    }
    let mut n = 0;
    for (name, mut x) in examples() {
        let r = report_of(&mut x);
        let made = likekind_pdf::identification_notice(&x, &r, Some("Acme Exchange LLC"));
        if x.identified.is_empty() {
            assert!(
                matches!(made, Err(likekind_pdf::PdfError::NotApplicable(_))),
                "{name}"
            );
            continue;
        }
        let pdf = made.unwrap();
        assert_eq!(
            pdf,
            likekind_pdf::identification_notice(&x, &r, Some("Acme Exchange LLC")).unwrap()
        );
        screenshots(&pdf, &format!("notice-{name}"));
        let t = text_of(&pdf);
        let flat = reading(&pdf);
        let mut allowed = BTreeSet::new();
        amounts_in(&serde_json::to_value(&r).unwrap(), &mut allowed);
        amounts_in(&serde_json::to_value(&x).unwrap(), &mut allowed);
        check_every_amount(&t, &allowed, &name);
        let d = r.deadlines.as_ref().unwrap();
        assert!(
            has(
                &flat,
                &format!("on or before {}", words(d.identification_end))
            ),
            "{name}: last day"
        );
        assert!(
            has(&flat, "Acme Exchange LLC, qualified intermediary"),
            "{name}"
        );
        assert!(has(&flat, "Signature of the taxpayer"), "{name}");
        assert!(has(&flat, "Date"), "{name}");
        assert!(has(&flat, "Treas. Reg. §1.1031(k)-1(c)(2)"), "{name}");
        for p in x.identified.iter().filter(|p| p.revoked_on.is_none()) {
            assert!(t.contains(&usd(p.fmv)), "{name}: {} value", p.id);
            if !p.description.is_empty() {
                let first: String = p
                    .description
                    .split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(has(&flat, &first), "{name}: {} described", p.id);
            }
        }
        // What the taxpayer signs and the intermediary receives is the designation, not the
        // engine's judgment of it.
        for judged in [
            "engine",
            "The rule this list relies on",
            "None of the rules is met",
            "meets the identification rules",
        ] {
            assert!(!has(&flat, judged), "{name}: {judged}");
        }
        for_people(&t, &name, &x);
        n += 1;
    }
    assert!(n >= 20, "{n} notices");
}

/// Reg. 1.1031(k)-1(c)(3): the notice prints the street address and the legal description
/// when the file gives them, and warns before signing when nothing describes a property.
#[test]
fn the_notice_prints_address_and_legal_description_and_flags_an_undescribed_property() {
    if !tools() {
        return;
    }
    let (_, mut x) = examples()
        .into_iter()
        .find(|(n, _)| n == "contract-example")
        .expect("contract-example.toml");
    let mut second = x.identified[0].clone();
    second.id = "pine".into();
    x.identified.push(second);
    x.identified[0].address = Some("400 Elm St, Austin, TX 78701".into());
    x.identified[0].legal_description =
        Some("Lot 7, Block 3, Elm Addition, Travis County, Texas".into());
    x.identified[1].description = String::new();
    x.identified[1].revoked_on = None;
    let r = report_of(&mut x);
    let pdf = likekind_pdf::identification_notice(&x, &r, Some("Acme Exchange LLC")).unwrap();
    let flat = reading(&pdf);
    assert!(
        has(&flat, "Street address: 400 Elm St, Austin, TX 78701"),
        "{flat}"
    );
    assert!(
        has(
            &flat,
            "Legal description: Lot 7, Block 3, Elm Addition, Travis County, Texas"
        ),
        "{flat}"
    );
    assert!(
        has(&flat, "Description missing: write the legal description"),
        "{flat}"
    );
    assert!(has(&flat, "Treas. Reg. §1.1031(k)-1(c)(3)"), "{flat}");
    // An address alone describes the property: no warning for it.
    x.identified[1].address = Some("9 Pine Rd, Reno, NV 89501".into());
    let pdf = likekind_pdf::identification_notice(&x, &r, Some("Acme Exchange LLC")).unwrap();
    let flat = reading(&pdf);
    assert!(
        has(&flat, "Street address: 9 Pine Rd, Reno, NV 89501"),
        "{flat}"
    );
    assert!(!has(&flat, "Description missing"), "{flat}");
}

#[test]
fn every_example_has_a_statement_of_its_exchange_account() {
    if !tools() {
        return;
    }
    for (name, mut x) in examples() {
        let r = report_of(&mut x);
        let mut st = likekind_pdf::statement_from_file(&x, &r);
        st.intermediary = "Acme Exchange LLC".into();
        let pdf = likekind_pdf::qi_statement(&x, &r, &st).unwrap();
        screenshots(&pdf, &format!("statement-{name}"));
        let t = text_of(&pdf);
        let flat = reading(&pdf);
        let mut allowed = BTreeSet::new();
        amounts_in(&serde_json::to_value(&r).unwrap(), &mut allowed);
        for p in &st.postings {
            allowed.insert(p.balance_after.abs().into());
            assert!(
                t.contains(&usd(p.amount.abs())),
                "{name}: posting {}",
                usd(p.amount)
            );
            assert!(
                t.contains(&usd(p.balance_after)),
                "{name}: balance {}",
                usd(p.balance_after)
            );
        }
        allowed.insert(Decimal::ZERO);
        check_every_amount(&t, &allowed, &name);
        // The balance held is the funds in less the funds out less what was returned.
        // A release dated after the statement date (assumed for the Form 8824 figures) is not
        // a posting: the funds are still held then (QA8, Treas. Reg. §1.1031(k)-1(g)(6)).
        let released: likekind_core::Amount = st
            .postings
            .iter()
            .filter(|p| p.movement == likekind_pdf::Movement::Release)
            .map(|p| -p.amount)
            .sum();
        assert!(
            released.is_zero() || released == r.money.returned_to_taxpayer,
            "{name}"
        );
        let held = r.money.exchange_funds_in - r.money.exchange_funds_out - released;
        if !st.postings.is_empty() {
            assert_eq!(st.postings.last().unwrap().balance_after, held, "{name}");
        }
        if let Some(c) = &r.constructive_receipt {
            assert!(
                has(&flat, &format!("from {}", words(c.earliest.earliest))),
                "{name}: (g)(6) date"
            );
            assert!(has(&flat, c.earliest.authority), "{name}");
        } else if r.deadlines.is_some() {
            // No qualified intermediary held the funds: the statement says why no (g)(6)
            // release date applies, not that nothing was given up (Treas. Reg.
            // §1.1031(k)-1(g)(4)(i), (k)).
            assert!(has(&flat, "No release date applies:"), "{name}: {flat}");
            assert!(!has(&flat, "No property has been given up yet"), "{name}");
        }
        for_people(&t, &name, &x);
    }
}

#[test]
fn every_example_with_a_plan_has_the_plan_as_pdf() {
    if !tools() {
        return;
    }
    let mut n = 0;
    for (name, mut x) in examples() {
        if x.plan.is_none() {
            continue;
        }
        let r = report_of(&mut x);
        let a = resolve(x.plan.as_ref(), &Overrides::default()).unwrap();
        let p = likekind_core::plan::plan(&x, &r, &a).unwrap();
        let pdf = likekind_pdf::plan(&x, &r, &a, &p).unwrap();
        assert_eq!(
            pdf,
            likekind_pdf::plan(&x, &r, &a, &p).unwrap(),
            "{name}: reproducible"
        );
        screenshots(&pdf, &format!("plan-{name}"));
        let t = text_of(&pdf);
        let flat = reading(&pdf);
        let mut allowed = BTreeSet::new();
        amounts_in(&serde_json::to_value(&p).unwrap(), &mut allowed);
        amounts_in(&serde_json::to_value(&x).unwrap(), &mut allowed);
        // The chart's table: each year is the engine's plan at that horizon.
        for y in 1..=a.horizon_years.min(40) {
            let mut ay = a.clone();
            ay.horizon_years = y;
            let py = likekind_core::plan::plan(&x, &r, &ay).unwrap();
            amounts_in(&serde_json::to_value(&py).unwrap(), &mut allowed);
        }
        check_every_amount(&t, &allowed, &name);
        for s in &p.strategies {
            assert!(has(&flat, &s.title), "{name}: {}", s.title);
            assert!(t.contains(&usd(s.tax_now)), "{name}: {} tax now", s.title);
            assert!(
                t.contains(&usd(s.tax_later)),
                "{name}: {} every tax after now",
                s.title
            );
            if let Some(v) = s.after_tax_value {
                assert!(t.contains(&usd(v)), "{name}: {} after tax", s.title);
            }
            if let Some(q) = &s.qof {
                assert!(has(&flat, "Form 8997"), "{name}");
                assert!(
                    t.contains(&usd(q.forms.form_8997.deferred_gain_invested)),
                    "{name}"
                );
                assert!(
                    t.contains(&usd(q.forms.form_8949.column_g_adjustment.abs())),
                    "{name}"
                );
            }
        }
        if let Some(rec) = &p.recommended {
            let title = &p
                .strategies
                .iter()
                .find(|s| s.name == rec.strategy)
                .unwrap()
                .title;
            assert!(
                has(&flat, &format!("Recommended: {}", squeeze(title))),
                "{name}"
            );
        }
        assert!(t.contains(&usd(p.equity)), "{name}");
        assert!(has(&flat, "Federal capital gain rate"), "{name}");
        for_people(&t, &name, &x);
        n += 1;
    }
    assert!(n >= 4, "{n} plans");
}

/// The identification notice is the taxpayer's designation sent to the intermediary (Treas.
/// Reg. §1.1031(k)-1(c)(2)): a late list gets no verdict printed on it (the report says the
/// identification was late), and no property carries a bare location code under its
/// description; the last day to deliver it is still said.
#[test]
fn the_notice_carries_no_judgment_and_no_location_code() {
    if !tools() {
        return;
    }
    let (_, mut x) = examples()
        .into_iter()
        .find(|(n, _)| n == "contract-example")
        .expect("contract-example.toml");
    let r = report_of(&mut x);
    let end = r.deadlines.as_ref().unwrap().identification_end;
    for i in x.identified.iter_mut() {
        i.identified_on = end.tomorrow().unwrap();
        i.revoked_on = None;
    }
    let r = report_of(&mut x);
    let id = r.identification.as_ref().unwrap();
    assert!(!id.valid && id.properties_counted == 0, "{id:?}");
    let pdf = likekind_pdf::identification_notice(&x, &r, Some("Acme Exchange LLC")).unwrap();
    let flat = reading(&pdf);
    let t = text_of(&pdf);
    assert!(
        has(&flat, &format!("on or before {}", words(end))),
        "{flat}"
    );
    for judged in [
        "engine",
        "judgment",
        "the identification was late",
        "None of the rules is met",
        "exceeds both",
        "0 properties worth",
    ] {
        assert!(!has(&flat, judged), "{judged}: {flat}");
    }
    // The replacement's location ("TX") is not printed as a line of its own.
    let replacement_location = &x.replacement[0].location;
    assert!(
        !t.lines().any(|l| l.trim() == replacement_location),
        "a bare location line: {t}"
    );
}

/// The report says a count of days as days ("3,927 days"), not as a bare number.
#[test]
fn the_report_says_days_held_in_days() {
    if !tools() {
        return;
    }
    let (_, mut x) = examples()
        .into_iter()
        .find(|(n, _)| n == "contract-example")
        .expect("contract-example.toml");
    let r = report_of(&mut x);
    let held = r
        .explanation
        .iter()
        .find(|s| s.step.starts_with("Days ") && s.step.contains("was held"))
        .expect("a holding-period step");
    let likekind_core::explain::Val::Int(n) = held.value else {
        panic!("days are a whole number: {:?}", held.value);
    };
    assert!(n >= 1000, "the example holds for years: {n}");
    let pdf = likekind_pdf::exchange_report(&x, &r).unwrap();
    let flat = reading(&pdf);
    let grouped = format!("{},{:03}", n / 1000, n % 1000);
    assert!(has(&flat, &format!("Result: {grouped} days")), "{flat}");
    assert!(!has(&flat, &format!("Result: {n}")), "{flat}");
}

/// The statement's release dates read as sentences: "from" a date, or why there is none yet
/// (never "from not yet received").
#[test]
fn the_statement_says_why_a_release_date_is_not_yet_known() {
    if !tools() {
        return;
    }
    let (_, mut x) = examples()
        .into_iter()
        .find(|(n, _)| n == "contract-example")
        .expect("contract-example.toml");
    // Nothing received yet: no day for the release on receipt of all the property.
    x.replacement.clear();
    let r = report_of(&mut x);
    let c = r.constructive_receipt.as_ref().expect("release dates");
    assert_eq!(c.if_all_identified_received, None);
    let st = likekind_pdf::statement_from_file(&x, &r);
    let pdf = likekind_pdf::qi_statement(&x, &r, &st).unwrap();
    let flat = reading(&pdf);
    assert!(!has(&flat, "from not yet"), "{flat}");
    assert!(
        has(
            &flat,
            "On receipt of all the identified property none yet: not all the identified property has been received in time"
        ),
        "{flat}"
    );
    assert!(
        has(
            &flat,
            &format!(
                "After the exchange period from {}",
                words(c.after_exchange_period)
            )
        ),
        "{flat}"
    );
}

/// The planner's defaults and the exchange's status read as words in the plan PDF, not as
/// `growth pct = 4 … qrof = false` or `(status: complete)`.
#[test]
fn the_plan_pdf_words_its_defaults_and_status() {
    if !tools() {
        return;
    }
    let mut seen = 0;
    for (name, mut x) in examples() {
        if x.plan.is_none() {
            continue;
        }
        let r = report_of(&mut x);
        // Every assumption left to its default.
        let a = resolve(None, &Overrides::default()).unwrap();
        let p = likekind_core::plan::plan(&x, &r, &a).unwrap();
        let pdf = likekind_pdf::plan(&x, &r, &a, &p).unwrap();
        let flat = squeeze(&text_of(&pdf));
        for dump in [
            "growth pct",
            "qrof",
            "= false",
            "= true",
            "= 4",
            "(status:",
            "hold until = ",
        ] {
            assert!(!flat.contains(dump), "{name}: `{dump}` in the plan: {flat}");
        }
        assert!(has(&reading(&pdf), "growth of 4% a year"), "{name}: {flat}");
        assert!(
            has(&reading(&pdf), "not a qualified rural opportunity fund"),
            "{name}: {flat}"
        );
        seen += 1;
    }
    assert!(seen >= 1);
}

/// QA: the notice's "Property given up" line printed the location code ("foreign:MX", "CA");
/// it says the place. A revoked identification with no description and a name the program
/// made up ("property-3") reads "Property 3", not the made-up name.
#[test]
fn the_notice_says_places_and_no_made_up_names() {
    if !tools() {
        return;
    }
    let (_, mut x) = examples()
        .into_iter()
        .find(|(n, _)| n == "contract-example")
        .expect("contract-example.toml");
    let mut gone = x.identified[0].clone();
    gone.id = "property-3".into();
    gone.description = String::new();
    gone.address = None;
    gone.legal_description = None;
    gone.revoked_on = Some(gone.identified_on);
    x.identified.push(gone);
    let r = report_of(&mut x);
    let pdf = likekind_pdf::identification_notice(&x, &r, Some("Acme Exchange LLC")).unwrap();
    let flat = reading(&pdf);
    // QA: "Sacramento CA, CA": a description that ends with its State says the place already.
    assert!(
        has(&flat, "12 Oak St, Sacramento CA, transferred"),
        "{flat}"
    );
    assert!(!has(&flat, "Sacramento CA, California"), "{flat}");
    assert!(has(&flat, "Property 3 (revoked"), "{flat}");
    assert!(!flat.contains("property-3"), "{flat}");

    x.relinquished[0].description = "12-unit apartment building, 12 Oak St, Sacramento".into();
    let r = report_of(&mut x);
    let pdf = likekind_pdf::identification_notice(&x, &r, Some("Acme Exchange LLC")).unwrap();
    let flat = reading(&pdf);
    assert!(has(&flat, "Sacramento, California, transferred"), "{flat}");

    x.relinquished[0].location = "foreign:MX".into();
    let r = report_of(&mut x);
    let pdf = likekind_pdf::identification_notice(&x, &r, Some("Acme Exchange LLC")).unwrap();
    let flat = reading(&pdf);
    assert!(
        has(&flat, "Mexico (outside the United States), transferred"),
        "{flat}"
    );
    assert!(!flat.contains("foreign:"), "{flat}");
}

/// QA: the report printed location codes beside each property ("CA", "TX") and a name the
/// program made up as if it were one ("Sale of property-1"); it says the places and
/// "Property 1".
#[test]
fn the_report_says_places_and_no_made_up_names() {
    if !tools() {
        return;
    }
    let (_, mut x) = examples()
        .into_iter()
        .find(|(n, _)| n == "contract-example")
        .expect("contract-example.toml");
    x.relinquished[0].id = "property-1".into();
    // Descriptions that end with their State ("…, Sacramento CA") say the place already: not
    // followed by ", California" again.
    let r = report_of(&mut x);
    let pdf = likekind_pdf::exchange_report(&x, &r).unwrap();
    let flat = reading(&pdf);
    // A property with a description is called by it (QA8); "Property 1" in the table.
    assert!(
        has(
            &flat,
            "Sale of 12-unit apartment building, 12 Oak St, Sacramento CA"
        ),
        "{flat}"
    );
    assert!(has(&flat, "Property 1"), "{flat}");
    assert!(!flat.contains("property-1"), "{flat}");
    assert!(!has(&flat, "Sacramento CA, California"), "{flat}");
    assert!(!has(&flat, "Austin TX, Texas"), "{flat}");
    x.relinquished[0].description = "12-unit apartment building, 12 Oak St, Sacramento".into();
    for p in &mut x.replacement {
        p.description = "Elm Plaza, 400 Elm St, Austin".into();
    }
    let r = report_of(&mut x);
    let pdf = likekind_pdf::exchange_report(&x, &r).unwrap();
    let flat = reading(&pdf);
    assert!(has(&flat, "Sacramento, California"), "{flat}");
    assert!(has(&flat, "Austin, Texas"), "{flat}");
}
