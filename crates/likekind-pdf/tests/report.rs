//! The exchange report PDF read back with `pdftotext` (Debian's poppler-utils): the figures
//! printed are the JSON report's, for every example file, and the bytes are reproducible.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use likekind_core::{Format, analyze, parse_exchange};
use std::path::Path;
use std::process::Command;

fn text_of(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.pdf");
    std::fs::write(&p, pdf).unwrap();
    let o = Command::new("pdftotext").args(["-layout", p.to_str().unwrap(), "-"]).output().ok()?;
    Some(String::from_utf8_lossy(&o.stdout).to_string())
}

#[test]
fn every_example_prints_the_reports_figures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let x = parse_exchange(&std::fs::read_to_string(&p).unwrap(), Format::Toml).unwrap();
        let as_of = x.exchange.as_of.unwrap_or(jiff::civil::date(2026, 12, 1));
        let r = analyze(&x, as_of);
        let pdf = likekind_pdf::exchange_report(&x, &r).unwrap();
        assert_eq!(pdf, likekind_pdf::exchange_report(&x, &r).unwrap(), "reproducible");
        let Some(t) = text_of(&pdf) else {
            eprintln!("pdftotext NOT FOUND: figures not checked");
            return;
        };
        let usd = likekind_core::money::format_usd;
        for (what, v) in [
            ("realized", r.gain.realized),
            ("recognized", r.gain.recognized),
            ("deferred", r.gain.deferred),
            ("line 25", r.form_8824.line_25),
            ("line 15", r.form_8824.line_15),
        ] {
            assert!(t.contains(&usd(v)), "{}: {what} {} not printed", p.display(), usd(v));
        }
        for b in &r.replacement_basis {
            assert!(t.contains(&usd(b.basis)), "{}: basis of {}", p.display(), b.id);
        }
        assert!(t.contains(r.qualification.outcome.words()), "{}", p.display());
        n += 1;
    }
    assert!(n >= 10);
}
