//! Criterion benchmarks of each stage on the sample corpus (elements = sentences):
//! sentence splitting, tokenising, tagging, chunking, actor mentions, clauses (predicate
//! structure), events (pattern matching), dates, and the whole pipeline for comparison.
//! Each stage is one function over all sentences: it is timed on the output of the
//! stages before it, which the same functions prepare outside the timed loop.
use annalist_coder::actors::ActorMatcher;
use annalist_coder::clauses::SentenceView;
use annalist_coder::events::{EventMatcher, MatchTrace};
use annalist_coder::Knowledge;
use annalist_coder::{Coder, CoderOptions};
use annalist_dict::Dictionaries;
use annalist_text::{chunk, split_sentences, tokenize, Tagger};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

mod common;

fn stages(c: &mut Criterion) {
    let dicts = Dictionaries::embedded();
    let docs = common::sample_docs();
    let text = |i: usize| docs[i].text.as_str();
    let tagger = Tagger::new(&dicts);
    let matcher = ActorMatcher::new(&dicts);
    let kn = Knowledge::new(&dicts);
    let events = EventMatcher::new(&dicts);
    let coder = Coder::new(&dicts, CoderOptions::default());

    // The stages, each over every sentence of the corpus.
    let split = || -> Vec<(usize, annalist_text::SentenceSpan)> {
        docs.iter()
            .enumerate()
            .flat_map(|(i, d)| split_sentences(&d.text).into_iter().map(move |s| (i, s)))
            .collect()
    };
    let spans = split();
    let tokenize_all = || -> Vec<_> {
        spans
            .iter()
            .map(|(i, s)| tokenize(text(*i), s.start, s.end))
            .collect()
    };
    let tokens = tokenize_all();
    let tag_all = || -> Vec<_> {
        spans
            .iter()
            .zip(&tokens)
            .map(|((i, _), t)| tagger.tag(text(*i), t))
            .collect()
    };
    let tagged = tag_all();
    let chunk_all = || -> Vec<_> { tagged.iter().map(|t| chunk(t, tagger.classes())).collect() };
    let chunks = chunk_all();
    let mentions_all = || -> Vec<_> {
        spans
            .iter()
            .zip(&tagged)
            .map(|((i, _), t)| matcher.find_mentions(text(*i), t))
            .collect()
    };
    let mentions = mentions_all();
    let clauses_all = || -> Vec<_> {
        spans
            .iter()
            .enumerate()
            .map(|(k, (i, _))| {
                SentenceView {
                    kn: &kn,
                    doc: text(*i),
                    toks: &tagged[k],
                    chunks: &chunks[k],
                    mentions: &mentions[k],
                    matcher: &matcher,
                    date: docs[*i].date,
                }
                .predicates()
            })
            .collect()
    };
    let preds = clauses_all();
    let events_all = || {
        let mut n = 0;
        for (k, ps) in preds.iter().enumerate() {
            for i in 0..ps.len() {
                let mut trace = MatchTrace::new(false);
                n += events
                    .code_predicate(i, ps, &tagged[k], &mut trace)
                    .is_some() as usize;
            }
        }
        n
    };
    let dates_all = || {
        spans
            .iter()
            .zip(&tagged)
            .filter(|((i, _), t)| {
                annalist_coder::dates::resolve_event_date(
                    annalist_coder::dates::Calendar::new(&dicts.classes),
                    t,
                    t.len() / 2,
                    &[],
                    docs[*i].date,
                )
                .date
                .is_some()
            })
            .count()
    };

    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Elements(spans.len() as u64));
    g.bench_function("1 split", |b| b.iter(split));
    g.bench_function("2 tokenize", |b| b.iter(tokenize_all));
    g.bench_function("3 tag", |b| b.iter(tag_all));
    g.bench_function("4 chunk", |b| b.iter(chunk_all));
    g.bench_function("5 actors", |b| b.iter(mentions_all));
    g.bench_function("6 clauses", |b| b.iter(clauses_all));
    g.bench_function("7 events", |b| b.iter(events_all));
    g.bench_function("8 dates", |b| b.iter(dates_all));
    g.bench_function("all: whole pipeline", |b| {
        b.iter(|| docs.iter().map(|d| coder.code(d).len()).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
