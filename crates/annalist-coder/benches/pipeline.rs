//! Criterion benchmark of the whole pipeline on the built-in sample corpus: reports
//! sentences per second (throughput in elements = sentences).
use annalist_coder::{Coder, CoderOptions, Document};
use annalist_dict::Dictionaries;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn sample_docs() -> Vec<Document> {
    include_str!("../../../samples/sample.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("sample line is JSON");
            Document::new(
                v["id"].as_str().unwrap_or_default(),
                v["text"].as_str().unwrap_or_default(),
                v["date"]
                    .as_str()
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            )
        })
        .collect()
}

fn pipeline(c: &mut Criterion) {
    let dicts = Dictionaries::embedded();
    let coder = Coder::new(&dicts, CoderOptions::default());
    let docs = sample_docs();
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
    g.finish();

    // The dating stage alone, on every sentence of the sample (tagged beforehand), with
    // each sentence's middle token as trigger: compare with the pipeline's time.
    let tagger = annalist_text::Tagger::new(&dicts.lexicon);
    let tagged: Vec<(Vec<annalist_text::TaggedToken>, Option<chrono::NaiveDate>)> = docs
        .iter()
        .flat_map(|d| {
            annalist_text::split_sentences(&d.text)
                .into_iter()
                .map(|s| {
                    let toks = annalist_text::tokenize(&d.text, s.start, s.end);
                    (tagger.tag(&d.text, &toks), d.date)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut g = c.benchmark_group("dates");
    g.throughput(Throughput::Elements(sentences as u64));
    g.bench_function("date every sample sentence (elements = sentences)", |b| {
        b.iter(|| {
            tagged
                .iter()
                .filter(|(t, date)| {
                    annalist_coder::dates::resolve_event_date(t, t.len() / 2, &[], *date)
                        .date
                        .is_some()
                })
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
