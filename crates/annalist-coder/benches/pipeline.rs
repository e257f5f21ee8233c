//! Criterion benchmark of the whole pipeline on the built-in sample corpus: reports
//! sentences per second (throughput in elements = sentences). Each stage on its own is
//! in `stages.rs`.
use annalist_coder::{Coder, CoderOptions};
use annalist_dict::Dictionaries;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

mod common;

fn pipeline(c: &mut Criterion) {
    let dicts = Dictionaries::embedded();
    let coder = Coder::new(&dicts, CoderOptions::default());
    let docs = common::sample_docs();
    let sentences: usize = docs
        .iter()
        .map(|d| annalist_text::split_sentences(&d.text).len())
        .sum();
    assert!(
        sentences >= 40,
        "the sample corpus has at least 40 sentences"
    );
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Elements(sentences as u64));
    g.bench_function("code sample corpus (elements = sentences)", |b| {
        b.iter(|| docs.iter().map(|d| coder.code(d).len()).sum::<usize>())
    });
    // The same without the gazetteer: what place recognition and locations cost.
    let no_places = Coder::with_gazetteer(&dicts, CoderOptions::default(), None);
    g.bench_function("code sample corpus without gazetteer", |b| {
        b.iter(|| docs.iter().map(|d| no_places.code(d).len()).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
