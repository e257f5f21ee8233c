//! Criterion benchmark of the tagger (elements = words) on the sentences of the built-in
//! sample corpus, news-length sentences written by the team: the trained model with its
//! constraints (the default), and the contextual rules alone. Divide the time per word
//! by 25 for a 25-word sentence.
use annalist_dict::Dictionaries;
use annalist_text::{split_sentences, tokenize, Tagger, Token};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn sentences() -> Vec<(String, Vec<Token>)> {
    include_str!("../../../samples/sample.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .flat_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("sample line is JSON");
            let text = v["text"].as_str().unwrap_or_default().to_string();
            split_sentences(&text)
                .into_iter()
                .map(|s| (text.clone(), tokenize(&text, s.start, s.end)))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn tagger(c: &mut Criterion) {
    let dicts = Dictionaries::embedded();
    let model = Tagger::new(&dicts);
    assert!(
        model.model().is_some(),
        "the embedded dictionaries carry a model"
    );
    let rules = Tagger::new(&dicts).without_model();
    let sents = sentences();
    let words: usize = sents.iter().map(|(_, t)| t.len()).sum();
    assert!(
        sents.len() > 40 && words > 500,
        "{} sentences, {words} words",
        sents.len()
    );
    let mut g = c.benchmark_group("tagger");
    g.throughput(Throughput::Elements(words as u64));
    for (name, t) in [("model", &model), ("rules", &rules)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                sents
                    .iter()
                    .map(|(text, toks)| t.tag(text, toks).len())
                    .sum::<usize>()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, tagger);
criterion_main!(benches);
