//! Fits the confidence model on gold-standard files and prints its reliability.
//!
//! ```text
//! cargo run --release -p annalist-coder --example calibrate -- GOLD.jsonl… > dictionaries/confidence.txt
//! cargo run --release -p annalist-coder --example calibrate -- --table GOLD.jsonl…
//! ```
//!
//! Codes every gold document with the built-in dictionaries, labels each record correct
//! when its (source, type, target) triple matches a gold triple (the rules of
//! `../shared/eval/score.py`: codes by their first three letters, a joint gold event
//! matched by a directed record between two of its sources, a mutual record matching
//! either direction), and fits a logistic regression of the labels on the record's
//! features (`weigh::confidence::features`, L2-regularised, gradient descent). Prints
//! `confidence.txt` on standard output; on standard error, for each file, the
//! reliability table (per decile of confidence: records, mean confidence, share
//! correct) and the triple precision of all records and of those at confidence ≥ 0.5.
//! With `--table`, fits nothing and reports the model the dictionaries carry.
use annalist_coder::weigh::confidence::{confidence, features};
use annalist_coder::{Coder, CoderOptions, EventRecord};
use annalist_dict::confidence::FEATURES;
use annalist_dict::{ConfidenceModel, Dictionaries};
use annalist_eval::{norm_code, parse_gold, GoldRecord};
use std::collections::HashSet;

type Triple = (Option<String>, String, Option<String>);

fn gold_triples(g: &annalist_eval::GoldEvent) -> HashSet<Triple> {
    let opt = |v: &[String]| -> Vec<Option<String>> {
        if v.is_empty() {
            vec![None]
        } else {
            v.iter().cloned().map(Some).collect()
        }
    };
    let mut out = HashSet::new();
    for s in opt(&g.sources) {
        for t in &g.types {
            for x in opt(&g.targets) {
                out.insert((s.clone(), t.clone(), x.clone()));
            }
        }
    }
    if g.sources.len() > 1 && g.targets.is_empty() {
        for a in &g.sources {
            for b in &g.sources {
                if a != b {
                    for t in &g.types {
                        out.insert((Some(a.clone()), t.clone(), Some(b.clone())));
                    }
                }
            }
        }
    }
    out
}

fn correct(r: &EventRecord, gold: &GoldRecord) -> bool {
    let s = norm_code(&r.source.code);
    let t = r.target.as_ref().and_then(|t| norm_code(&t.code));
    let ty = annalist_eval::norm_type(&r.event_type);
    let mut mine: Vec<Triple> = vec![(s.clone(), ty.clone(), t.clone())];
    if r.mutual && s.is_some() && t.is_some() {
        mine.push((t.clone(), ty.clone(), s.clone()));
        mine.push((s, ty.clone(), None));
        mine.push((t, ty, None));
    }
    gold.events
        .iter()
        .any(|g| mine.iter().any(|m| gold_triples(g).contains(m)))
}

struct Sample {
    file: usize,
    x: Vec<f32>,
    y: f32,
    record: EventRecord,
}

fn fit(samples: &[Sample]) -> Vec<f32> {
    let n = FEATURES.len();
    let mut w = vec![0f32; n];
    let (lr, l2) = (1.0f32, 0.005f32);
    for _ in 0..20000 {
        let mut g = vec![0f32; n];
        for s in samples {
            let z: f32 = w.iter().zip(&s.x).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            for (gi, xi) in g.iter_mut().zip(&s.x) {
                *gi += (p - s.y) * xi;
            }
        }
        for i in 0..n {
            let reg = if i == 0 { 0.0 } else { l2 * w[i] };
            w[i] -= lr * (g[i] / samples.len() as f32 + reg);
        }
    }
    w
}

fn report(name: &str, scored: &[(f32, bool)]) {
    eprintln!("== {name}: {} records", scored.len());
    eprintln!("  decile      n   mean conf   share correct   gap");
    for d in 0..10 {
        let lo = d as f32 / 10.0;
        let inb: Vec<&(f32, bool)> = scored
            .iter()
            .filter(|(c, _)| *c >= lo && (*c < lo + 0.1 || (d == 9 && *c <= 1.0)))
            .collect();
        if inb.is_empty() {
            continue;
        }
        let mean = inb.iter().map(|(c, _)| c).sum::<f32>() / inb.len() as f32;
        let share = inb.iter().filter(|(_, ok)| *ok).count() as f32 / inb.len() as f32;
        eprintln!(
            "  {:.1}-{:.1} {:6}   {:9.2}   {:13.2}   {:+.2}",
            lo,
            lo + 0.1,
            inb.len(),
            mean,
            share,
            share - mean
        );
    }
    // Equal-count deciles: the records sorted by confidence, cut in ten groups.
    let mut sorted: Vec<&(f32, bool)> = scored.iter().collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    eprintln!("  equal-count decile   n   mean conf   share correct   gap");
    for d in 0..10 {
        let (a, b) = (d * sorted.len() / 10, (d + 1) * sorted.len() / 10);
        if a == b {
            continue;
        }
        let g = &sorted[a..b];
        let mean = g.iter().map(|(c, _)| c).sum::<f32>() / g.len() as f32;
        let share = g.iter().filter(|(_, ok)| *ok).count() as f32 / g.len() as f32;
        eprintln!(
            "  {:>18} {:4}   {:9.2}   {:13.2}   {:+.2}",
            d + 1,
            g.len(),
            mean,
            share,
            share - mean
        );
    }
    let prec = |v: Vec<&(f32, bool)>| {
        let n = v.len();
        (
            v.iter().filter(|(_, ok)| *ok).count() as f32 / n.max(1) as f32 * 100.0,
            n,
        )
    };
    let (p_all, n_all) = prec(scored.iter().collect());
    let (p_hi, n_hi) = prec(scored.iter().filter(|(c, _)| *c >= 0.5).collect());
    eprintln!(
        "  triple precision: all {p_all:.1}% ({n_all}); confidence >= 0.5: {p_hi:.1}% ({n_hi})"
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let table_only = args.iter().any(|a| a == "--table");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() {
        eprintln!("usage: calibrate [--table] GOLD.jsonl…");
        std::process::exit(2);
    }
    let dicts = Dictionaries::embedded();
    let coder = Coder::new(&dicts, CoderOptions::default());
    let mut samples = Vec::new();
    for (fi, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            eprintln!("{path}: {e}");
            std::process::exit(1)
        });
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let gold = parse_gold(line).unwrap_or_else(|e| {
                eprintln!("{path}:{}: {e}", n + 1);
                std::process::exit(1)
            });
            for r in coder.code(&gold.document()) {
                samples.push(Sample {
                    file: fi,
                    x: features(&r),
                    y: if correct(&r, &gold) { 1.0 } else { 0.0 },
                    record: r,
                });
            }
        }
    }
    let model = if table_only {
        dicts.confidence.clone()
    } else {
        let w = fit(&samples);
        println!("# The confidence model: FEATURE | weight | what it measures. Fitted by");
        println!("# `cargo run --release -p annalist-coder --example calibrate -- GOLD…` on the");
        println!("# development files (logistic regression; see crates/annalist-coder/src/weigh/confidence.rs).");
        for (f, wi) in FEATURES.iter().zip(&w) {
            println!("{f} | {wi:.3}");
        }
        ConfidenceModel { weights: w }
    };
    for (fi, path) in files.iter().enumerate() {
        let scored: Vec<(f32, bool)> = samples
            .iter()
            .filter(|s| s.file == fi)
            .map(|s| (confidence(&model, &s.record), s.y > 0.5))
            .collect();
        report(path, &scored);
    }
}
