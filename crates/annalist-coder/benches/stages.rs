//! Criterion benchmarks of each stage on the sample corpus (elements = sentences):
//! sentence splitting, tokenising, tagging, chunking, actor mentions, clauses (predicate
//! structure), events (pattern matching), dates, and the whole pipeline for comparison. Each stage is measured on
//! the output of the stages before it, prepared outside the timed loop.
use annalist_coder::actors::ActorMatcher;
use annalist_coder::clauses::{HeadRules, SentenceView};
use annalist_coder::{Coder, CoderOptions};
use annalist_dict::Dictionaries;
use annalist_text::{chunk, split_sentences, tokenize, Tagger};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn texts() -> Vec<(String, Option<chrono::NaiveDate>)> {
    include_str!("../../../samples/sample.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["text"].as_str().unwrap().to_string(),
                v["date"]
                    .as_str()
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            )
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    let dicts = Dictionaries::embedded();
    let docs = texts();
    let spans: Vec<(usize, annalist_text::SentenceSpan)> = docs
        .iter()
        .enumerate()
        .flat_map(|(i, (t, _))| split_sentences(t).into_iter().map(move |s| (i, s)))
        .collect();
    let n = spans.len() as u64;
    let tagger = Tagger::new(&dicts.lexicon);
    let tokens: Vec<_> = spans
        .iter()
        .map(|(i, s)| tokenize(&docs[*i].0, s.start, s.end))
        .collect();
    let tagged: Vec<_> = spans
        .iter()
        .zip(&tokens)
        .map(|((i, _), t)| tagger.tag(&docs[*i].0, t))
        .collect();
    let chunks: Vec<_> = tagged.iter().map(|t| chunk(t)).collect();
    let matcher = ActorMatcher::new(&dicts);
    let mentions: Vec<_> = spans
        .iter()
        .zip(&tagged)
        .map(|((i, _), t)| matcher.find_mentions(&docs[*i].0, t))
        .collect();
    let heads = HeadRules::new(&dicts);
    let coder = Coder::new(&dicts, CoderOptions::default());

    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Elements(n));
    g.bench_function("1 split", |b| {
        b.iter(|| {
            docs.iter()
                .map(|(t, _)| split_sentences(t).len())
                .sum::<usize>()
        })
    });
    g.bench_function("2 tokenize", |b| {
        b.iter(|| {
            spans
                .iter()
                .map(|(i, s)| tokenize(&docs[*i].0, s.start, s.end).len())
                .sum::<usize>()
        })
    });
    g.bench_function("3 tag", |b| {
        b.iter(|| {
            spans
                .iter()
                .zip(&tokens)
                .map(|((i, _), t)| tagger.tag(&docs[*i].0, t).len())
                .sum::<usize>()
        })
    });
    g.bench_function("4 chunk", |b| {
        b.iter(|| tagged.iter().map(|t| chunk(t).len()).sum::<usize>())
    });
    g.bench_function("5 actors", |b| {
        b.iter(|| {
            spans
                .iter()
                .zip(&tagged)
                .map(|((i, _), t)| matcher.find_mentions(&docs[*i].0, t).len())
                .sum::<usize>()
        })
    });
    g.bench_function("6 clauses", |b| {
        b.iter(|| {
            spans
                .iter()
                .enumerate()
                .map(|(k, (i, _))| {
                    let view = SentenceView {
                        heads: &heads,
                        doc: &docs[*i].0,
                        toks: &tagged[k],
                        chunks: &chunks[k],
                        mentions: &mentions[k],
                        matcher: &matcher,
                        date: docs[*i].1,
                    };
                    view.predicates().len()
                })
                .sum::<usize>()
        })
    });
    // Predicates prepared outside the loop for the event stage.
    let events = annalist_coder::events::EventMatcher::new(&dicts);
    let preds: Vec<_> = spans
        .iter()
        .enumerate()
        .map(|(k, (i, _))| {
            SentenceView {
                heads: &heads,
                doc: &docs[*i].0,
                toks: &tagged[k],
                chunks: &chunks[k],
                mentions: &mentions[k],
                matcher: &matcher,
                date: docs[*i].1,
            }
            .predicates()
        })
        .collect();
    g.bench_function("7 events", |b| {
        b.iter(|| {
            let mut n = 0;
            for (k, ps) in preds.iter().enumerate() {
                for i in 0..ps.len() {
                    let mut trace = annalist_coder::events::MatchTrace::new(false);
                    n += events
                        .code_predicate(i, ps, &tagged[k], &mut trace)
                        .is_some() as usize;
                }
            }
            n
        })
    });
    g.bench_function("8 dates", |b| {
        b.iter(|| {
            spans
                .iter()
                .zip(&tagged)
                .filter(|((i, _), t)| {
                    annalist_coder::dates::resolve_event_date(t, t.len() / 2, &[], docs[*i].1)
                        .date
                        .is_some()
                })
                .count()
        })
    });
    g.bench_function("all: whole pipeline", |b| {
        b.iter(|| {
            docs.iter()
                .enumerate()
                .map(|(i, (t, d))| {
                    coder
                        .code(&annalist_coder::Document::new(i.to_string(), t.clone(), *d))
                        .len()
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
