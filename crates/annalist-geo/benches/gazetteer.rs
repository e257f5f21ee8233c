//! Gazetteer costs: parsing the embedded data once, and lookups per second.
use annalist_geo::{Context, Gazetteer};
use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;

const NAMES: &[&str] = &[
    "Kyiv",
    "Kiev",
    "Kharkov",
    "Paris",
    "Tripoli",
    "Georgia",
    "Kharkiv Oblast",
    "Sindh",
    "Aleppo",
    "Nowhere Town",
    "Odessa",
    "Gaza",
    "Washington",
    "Mosul",
    "Donetsk region",
];

fn bench(c: &mut Criterion) {
    c.bench_function("gazetteer_parse", |b| {
        // `load` of a directory without gazetteer files parses the embedded data afresh.
        b.iter(|| Gazetteer::load(Path::new("/nonexistent")).unwrap())
    });
    let g = Gazetteer::embedded();
    let ctx = Context::default();
    let found = NAMES
        .iter()
        .filter(|n| g.resolve(n, &ctx).is_some())
        .count();
    assert_eq!(
        found,
        NAMES.len() - 1,
        "every name but Nowhere Town resolves"
    );
    c.bench_function("gazetteer_resolve_15_names", |b| {
        b.iter(|| {
            NAMES
                .iter()
                .filter(|n| g.resolve(n, &ctx).is_some())
                .count()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
