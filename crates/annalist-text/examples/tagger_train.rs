//! Trains the tagger's averaged perceptron on gold-tagged CoNLL-U files (UD
//! English-EWT's train split) and writes the model (`dictionaries/tagger/model.bin`).
//! The features use the lexicon, closed-class tables and word classes of the
//! dictionaries (embedded, or `--dictionaries DIR`), as tagging does. Deterministic:
//! the same data, dictionaries and settings give the same bytes.
//!
//! ```text
//! cargo run --release -p annalist-text --example tagger_train -- \
//!     --out dictionaries/tagger/model.bin [--epochs N] [--dictionaries DIR] TRAIN.conllu...
//! ```
//! (`scripts/train-tagger` runs it with the settings of the committed model.)
use annalist_dict::Tag;
use annalist_dict::{DictSource, Dictionaries};
use annalist_text::conllu;
use annalist_text::tag::model::{tag_mask, TokenFeatures};
use annalist_text::tag::train::{train, TrainOptions, TrainSentence};
use annalist_text::Tagger;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut files = Vec::new();
    // Files whose tags come from another tagger: a tag the lexicon rules out is dropped.
    let mut silver: Vec<String> = Vec::new();
    let mut out = None;
    let mut dir = None;
    let mut o = TrainOptions::default();
    let mut i = 0;
    while i < args.len() {
        let val = || args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--out" => out = Some(val()),
            "--dictionaries" => dir = Some(val()),
            "--epochs" => o.epochs = val().parse().expect("--epochs N"),
            "--dict-min-count" => o.dict_min_count = val().parse().expect("--dict-min-count N"),
            "--dict-ratio" => o.dict_ratio = val().parse().expect("--dict-ratio R"),
            "--scale" => o.scale = val().parse().expect("--scale S"),
            "--seed" => o.seed = val().parse().expect("--seed N"),
            "--silver" => silver.push(val()),
            f => {
                files.push(f.to_string());
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    let (Some(out), false) = (out, files.is_empty()) else {
        eprintln!(
            "usage: tagger_train --out FILE [--epochs N] [--seed N] [--dictionaries DIR] [--silver FILE.conllu]... FILE.conllu..."
        );
        std::process::exit(2);
    };
    let source = match dir {
        Some(d) => DictSource::Directory(d.into()),
        None => DictSource::Embedded,
    };
    let dicts = Dictionaries::load_without_model(&source).unwrap_or_else(|errs| {
        for e in errs {
            eprintln!("{e}");
        }
        std::process::exit(1)
    });
    let tagger = Tagger::new(&dicts).without_model();
    let mut data = Vec::new();
    let (mut kept, mut dropped) = (0usize, 0usize);
    for f in files.iter().chain(&silver) {
        let checked = silver.contains(f);
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| {
            eprintln!("{f}: {e}");
            std::process::exit(1)
        });
        let sentences = conllu::parse(&text).unwrap_or_else(|e| {
            eprintln!("{f}:{e}");
            std::process::exit(1)
        });
        for s in sentences {
            let (doc, toks) = s.document();
            let (feats, _) = tagger.token_features(&doc, &toks);
            let mut gold: Vec<_> = s.tokens.iter().map(|t| t.tag).collect();
            if checked {
                for ((g, f), t) in gold.iter_mut().zip(&feats).zip(&s.tokens) {
                    if let Some(tag) = *g {
                        if lexicon_allows(f, tag, &t.form) {
                            kept += 1;
                        } else {
                            if std::env::var("SHOW_DROPPED").is_ok() {
                                println!("{} {}", t.form, tag.as_str());
                            }
                            *g = None;
                            dropped += 1;
                        }
                    }
                }
            }
            data.push(TrainSentence { feats, gold });
        }
    }
    eprintln!("{} sentences; {o:?}", data.len());
    if !silver.is_empty() {
        eprintln!("silver tags: {kept} kept, {dropped} that the lexicon rules out dropped");
    }
    let bytes = train(&data, &o, |epoch, acc| {
        eprintln!("epoch {epoch}: training accuracy {:.2}%", acc * 100.0)
    });
    std::fs::write(&out, &bytes).unwrap_or_else(|e| {
        eprintln!("{out}: {e}");
        std::process::exit(1)
    });
    eprintln!("{out}: {} bytes", bytes.len());
}

/// A silver verb tag is kept unless the lexicon knows the word and not with that tag
/// ("retook" is no present, "wildfires" no verb).
fn lexicon_allows(f: &TokenFeatures, tag: Tag, form: &str) -> bool {
    let known = f.lex | f.lex_lower;
    let _ = form;
    !tag.is_verb() || known == 0 || known & tag_mask(&[tag]) != 0
}
