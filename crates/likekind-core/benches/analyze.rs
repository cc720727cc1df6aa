//! `analyze` on a 3-relinquished / 5-replacement exchange, parse included (the performance target:
//! under 20 µs per exchange). Run: `cargo bench -p likekind-core --bench analyze`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use likekind_core::{Format, analyze, parse_exchange};
use std::hint::black_box;

/// The same allocator as the `likekind` binary (CLI and server), so the numbers are what
/// a user gets.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn exchange_text() -> String {
    let mut s = String::from(
        "[exchange]\nname = \"bench\"\nas_of = \"2026-11-25\"\n[taxpayer]\nentity = \"partnership\"\n",
    );
    for k in 0..3 {
        s.push_str(&format!(
            "[[relinquished]]\nid = \"r{k}\"\ndescription = \"Building {k}\"\nlocation = \"CA\"\nacquired = \"2012-01-0{}\"\ntransferred = \"2026-03-0{}\"\nsale_price = \"{}\"\nadjusted_basis = \"{}\"\ndepreciation_allowed = \"150000\"\nliabilities_relieved = \"{}\"\nexchange_expenses = \"25000.50\"\nother_closing_costs = \"1200\"\n",
            k + 1, k + 2, 1_000_000 + k * 250_000, 400_000 + k * 10_000, 300_000 + k * 50_000
        ));
    }
    for k in 0..5 {
        s.push_str(&format!(
            "[[identified]]\nid = \"p{k}\"\ndescription = \"Property {k}\"\nfmv = \"{}\"\nidentified_on = \"2026-04-0{}\"\n",
            700_000 + k * 10_000, k + 1
        ));
    }
    for k in 0..5 {
        s.push_str(&format!(
            "[[replacement]]\nid = \"p{k}\"\ndescription = \"Property {k}\"\nlocation = \"TX\"\nreceived = \"2026-06-1{k}\"\nprice = \"{}\"\nliabilities_assumed = \"{}\"\nexchange_expenses = \"3000\"\nland_value = \"100000\"\n",
            700_000 + k * 10_000, 200_000 + k * 5_000
        ));
    }
    s
}

fn bench(c: &mut Criterion) {
    let text = exchange_text();
    let today = jiff::civil::date(2026, 11, 25);
    c.bench_function("parse_and_analyze_3x5", |b| {
        b.iter(|| {
            let f = parse_exchange(black_box(&text), Format::Toml).expect("valid bench file");
            black_box(analyze(&f, today))
        })
    });
    let f = parse_exchange(&text, Format::Toml).expect("valid bench file");
    // The same document in JSON (the fields the TOML gives, as a person or a client would
    // write them), not the engine's own serialisation, which spells out every default.
    let table: toml::Table = toml::from_str(&text).expect("valid TOML");
    let json = serde_json::to_string(&table).expect("serialise");
    assert_eq!(
        parse_exchange(&json, Format::Json).expect("valid JSON"),
        f,
        "the JSON and TOML bench files are the same exchange"
    );
    c.bench_function("parse_json_and_analyze_3x5", |b| {
        b.iter(|| {
            let f = parse_exchange(black_box(&json), Format::Json).expect("valid bench file");
            black_box(analyze(&f, today))
        })
    });
    c.bench_function("parse_toml_only_3x5", |b| {
        b.iter(|| parse_exchange(black_box(&text), Format::Toml).expect("valid"))
    });
    c.bench_function("parse_json_only_3x5", |b| {
        b.iter(|| parse_exchange(black_box(&json), Format::Json).expect("valid"))
    });
    c.bench_function("analyze_only_3x5", |b| {
        b.iter(|| black_box(analyze(black_box(&f), today)))
    });
    // The explanation's figures are formatted when the report is written: this is that cost
    // (the CLI's `--format json` and the API pay it; the dashboard and batch checks do not).
    let report = analyze(&f, today);
    c.bench_function("report_to_json_3x5", |b| {
        b.iter(|| serde_json::to_string(black_box(&report)).expect("serialise"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
