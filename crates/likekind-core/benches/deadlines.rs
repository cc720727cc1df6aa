//! Every deadline of 1,000,000 exchanges: day 45, day 180, the return due date for the
//! entity and tax year (with the §7503 alternative), the exchange end and the weekend and
//! holiday checks. Target: under 1 s for the million on the project machine.
//!
//! Run: `cargo bench -p likekind-core --bench deadlines -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;
use likekind_core::calendar::{YearEnd, add_days};
use likekind_core::deadlines::{self, DeadlineInputs};
use likekind_core::model::Entity;
use std::hint::black_box;

const N: usize = 1_000_000;

fn inputs() -> Vec<DeadlineInputs> {
    let entities = [
        Entity::Individual,
        Entity::Partnership,
        Entity::SCorporation,
        Entity::CCorporation,
        Entity::Trust,
        Entity::Estate,
    ];
    let year_ends = [
        YearEnd::CALENDAR,
        YearEnd { month: 6, day: 30 },
        YearEnd { month: 9, day: 30 },
    ];
    let start = date(2020, 1, 1);
    (0..N)
        .map(|i| DeadlineInputs {
            // Every day of 2020-2035, over and over.
            first_transfer: add_days(start, (i % 5844) as i32),
            entity: entities[i % entities.len()],
            year_end: year_ends[(i / 7) % year_ends.len()],
            extension_filed: i % 2 == 0,
            disaster: None,
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let all = inputs();
    let mut g = c.benchmark_group("deadlines");
    g.sample_size(10);
    g.bench_function("1_000_000_transfer_dates", |b| {
        b.iter(|| {
            let mut late = 0u32;
            for i in &all {
                let d = deadlines::dates(black_box(i));
                late += u32::from(d.identification_end_closed.is_some());
            }
            black_box(late)
        })
    });
    g.bench_function("one_transfer_date", |b| {
        let i = &all[12345];
        b.iter(|| deadlines::dates(black_box(i)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
