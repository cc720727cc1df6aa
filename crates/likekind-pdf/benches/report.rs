//! The exchange report as PDF for a 3-relinquished / 5-replacement exchange (the engine's
//! `analyze` bench exchange), analysis included (issue 14 target: under 50 ms per report).
//! Run: `cargo bench -p likekind-pdf --bench report`.
//!
//! Each iteration typesets a different exchange (names, prices, debts and dates change), cycling
//! through more variants than Typst's memo cache keeps, so what is measured is a firm printing
//! the reports of different exchanges one after another, never the same document twice from
//! the cache.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use likekind_core::analyze::{Options, analyze_with};
use likekind_core::{Format, parse_exchange};
use std::hint::black_box;

/// The same allocator as the `likekind` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// More than the PDF crate's memo cache keeps (8 reports), so no iteration finds its own
/// document cached.
const VARIANTS: usize = 16;

fn exchange_text(v: usize) -> String {
    let mut s = format!(
        "[exchange]\nname = \"bench {v}\"\nas_of = \"2026-11-25\"\n[taxpayer]\nname = \"Client {v} LLC\"\nentity = \"partnership\"\n",
    );
    for k in 0..3 {
        s.push_str(&format!(
            "[[relinquished]]\nid = \"r{k}\"\ndescription = \"Building {k}, {} Main Street\"\nlocation = \"CA\"\nacquired = \"2012-01-0{}\"\ntransferred = \"2026-03-0{}\"\nsale_price = \"{}\"\nadjusted_basis = \"{}\"\ndepreciation_allowed = \"150000\"\nliabilities_relieved = \"{}\"\nexchange_expenses = \"25000.50\"\nother_closing_costs = \"1200\"\n",
            100 + v,
            k + 1,
            k + 2,
            1_000_000 + k * 250_000 + v * 1_337,
            400_000 + k * 10_000 + v * 211,
            300_000 + k * 50_000 + v * 97
        ));
    }
    for k in 0..5 {
        s.push_str(&format!(
            "[[identified]]\nid = \"p{k}\"\ndescription = \"Property {k}, {} Oak Avenue\"\nfmv = \"{}\"\nidentified_on = \"2026-04-0{}\"\n",
            200 + v,
            700_000 + k * 10_000 + v * 1_000,
            k + 1
        ));
    }
    for k in 0..5 {
        s.push_str(&format!(
            "[[replacement]]\nid = \"p{k}\"\ndescription = \"Property {k}, {} Oak Avenue\"\nlocation = \"TX\"\nreceived = \"2026-06-1{k}\"\nprice = \"{}\"\nliabilities_assumed = \"{}\"\nexchange_expenses = \"3000\"\nland_value = \"100000\"\n",
            200 + v,
            700_000 + k * 10_000 + v * 1_000,
            200_000 + k * 5_000 + v * 313
        ));
    }
    s
}

fn bench(c: &mut Criterion) {
    let today = jiff::civil::date(2026, 11, 25);
    let files: Vec<_> = (0..VARIANTS)
        .map(|v| parse_exchange(&exchange_text(v), Format::Toml).expect("valid bench file"))
        .collect();
    let f = &files[0];
    // The first report loads the fonts and the templates once per process.
    let started = std::time::Instant::now();
    let r = analyze_with(f, today, Options::default());
    let first = likekind_pdf::exchange_report(f, &r).expect("report");
    eprintln!(
        "first report (fonts and templates loaded): {:?}, {} bytes",
        started.elapsed(),
        first.len()
    );
    let mut next = (0..VARIANTS).cycle();
    c.bench_function("analyze_and_report_pdf_3x5", |b| {
        b.iter(|| {
            let f = &files[next.next().unwrap_or(0)];
            let r = analyze_with(black_box(f), today, Options::default());
            black_box(likekind_pdf::exchange_report(f, &r).expect("report"))
        })
    });
    let depreciated: Vec<_> = files
        .iter()
        .map(|f| {
            let options = Options {
                depreciation_years: Some(10),
            };
            analyze_with(f, today, options)
        })
        .collect();
    c.bench_function("report_pdf_with_depreciation_3x5", |b| {
        b.iter(|| {
            let v = next.next().unwrap_or(0);
            let (f, r) = (&files[v], &depreciated[v]);
            black_box(likekind_pdf::exchange_report(f, black_box(r)).expect("report"))
        })
    });
    c.bench_function("notice_pdf_3x5", |b| {
        b.iter(|| {
            let v = next.next().unwrap_or(0);
            let (f, r) = (&files[v], &depreciated[v]);
            black_box(
                likekind_pdf::identification_notice(f, black_box(r), Some("Acme Exchange LLC"))
                    .expect("notice"),
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
