//! Measures the tagger against gold Penn tags (a CoNLL-U file such as UD English-EWT's
//! test split): the gold tokens are given to `Tagger::tag`, EWT's conventions are mapped
//! to Penn's (`annalist_text::conllu::map_xpos`), and the tool prints the accuracy over
//! all scored tokens, the accuracy of the noun/verb/adjective/participle distinction,
//! accuracy by tag reason, and the most frequent confusions.
//!
//! ```text
//! cargo run --release -p annalist-text --example tagger_eval -- \
//!     ../shared/reference/ud-english-ewt/en_ewt-ud-test.conllu [--dictionaries DIR] [--errors N] \
//!     [--rule rule:NAME]
//! ```
//!
//! `--rule` also lists every token that rule tagged, with the gold tag and its sentence.
use annalist_dict::{DictSource, Dictionaries, Tag};
use annalist_text::conllu;
use annalist_text::Tagger;
use std::collections::HashMap;

/// The coarse class that clause structure depends on: noun, verb (finite or base),
/// adjective, participle (VBN, VBG), or other.
fn coarse(t: Tag) -> &'static str {
    match t {
        Tag::NN | Tag::NNS | Tag::NNP | Tag::NNPS => "N",
        Tag::VB | Tag::VBD | Tag::VBP | Tag::VBZ => "V",
        Tag::JJ | Tag::JJR | Tag::JJS => "A",
        Tag::VBN | Tag::VBG => "P",
        _ => "-",
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut path = None;
    let mut dir = None;
    let mut show = 10;
    let mut rule = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--dictionaries" => {
                dir = args.get(i + 1).cloned();
                i += 1;
            }
            "--rule" => {
                rule = args.get(i + 1).cloned();
                i += 1;
            }
            "--errors" => {
                show = args.get(i + 1).and_then(|s| s.parse().ok()).unwrap_or(10);
                i += 1;
            }
            p => path = Some(p.to_string()),
        }
        i += 1;
    }
    let Some(path) = path else {
        eprintln!("usage: tagger_eval FILE.conllu [--dictionaries DIR] [--errors N]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    let sentences = conllu::parse(&text).unwrap_or_else(|e| {
        eprintln!("{path}:{e}");
        std::process::exit(1)
    });
    let source = match dir {
        Some(d) => DictSource::Directory(d.into()),
        None => DictSource::Embedded,
    };
    let dicts = Dictionaries::load(&source).unwrap_or_else(|errs| {
        for e in errs {
            eprintln!("{e}");
        }
        std::process::exit(1)
    });
    let tagger = Tagger::new(&dicts);
    let (mut n, mut ok, mut nvap, mut nvap_ok, mut unscored) = (0usize, 0usize, 0, 0, 0);
    let mut confusion: HashMap<(Tag, Tag), usize> = HashMap::new();
    let mut by_reason: HashMap<&'static str, (usize, usize)> = HashMap::new();
    let mut examples: HashMap<(Tag, Tag), Vec<String>> = HashMap::new();
    // (EXAMPLES=N in the environment: N examples of each error, default 3.)
    let n_examples: usize = std::env::var("EXAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let started = std::time::Instant::now();
    for s in &sentences {
        let (doc, toks) = s.document();
        let tagged = tagger.tag(&doc, &toks);
        for (k, (g, t)) in s.tokens.iter().zip(&tagged).enumerate() {
            let Some(gold) = g.tag else {
                unscored += 1;
                continue;
            };
            n += 1;
            if rule.as_deref() == Some(t.reason) {
                let words: Vec<&str> = s.tokens.iter().map(|t| t.form.as_str()).collect();
                println!(
                    "{} {} gold {} [{}]: {}",
                    if t.tag == gold { "ok " } else { "BAD" },
                    t.tag.as_str(),
                    gold.as_str(),
                    s.tokens[k].form,
                    words.join(" ")
                );
            }
            let r = by_reason.entry(t.reason).or_default();
            r.0 += 1;
            if t.tag == gold {
                ok += 1;
                r.1 += 1;
            } else {
                *confusion.entry((gold, t.tag)).or_default() += 1;
                let ex = examples.entry((gold, t.tag)).or_default();
                if ex.len() < n_examples {
                    let from = k.saturating_sub(3);
                    let to = (k + 3).min(s.tokens.len());
                    let ctx: Vec<String> = (from..to)
                        .map(|j| {
                            if j == k {
                                format!("[{}]", s.tokens[j].form)
                            } else {
                                s.tokens[j].form.clone()
                            }
                        })
                        .collect();
                    ex.push(format!("{} ({})", ctx.join(" "), t.reason));
                }
            }
            if coarse(gold) != "-" {
                nvap += 1;
                if coarse(t.tag) == coarse(gold) {
                    nvap_ok += 1;
                }
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!(
        "{path}: {} sentences, {n} scored tokens ({unscored} without a Penn tag)",
        sentences.len()
    );
    println!(
        "accuracy (Penn tags, EWT conventions mapped): {:.2}%",
        pct(ok, n)
    );
    println!(
        "noun/verb/adjective/participle (over {nvap} gold N/V/A/P tokens): {:.2}%",
        pct(nvap_ok, nvap)
    );
    println!(
        "tagging time: {:.1} µs per sentence (including the gold-token setup)",
        secs * 1e6 / sentences.len().max(1) as f64
    );
    let mut reasons: Vec<_> = by_reason.into_iter().collect();
    reasons.sort_by_key(|(_, (c, _))| std::cmp::Reverse(*c));
    println!("by reason (tokens, accuracy):");
    for (r, (c, good)) in reasons {
        println!("  {r:<40} {c:>6} {:>6.2}%", pct(good, c));
    }
    let mut conf: Vec<_> = confusion.into_iter().collect();
    conf.sort_by_key(|&((g, p), c)| (std::cmp::Reverse(c), g.as_str(), p.as_str()));
    println!("most frequent errors (gold → tagged):");
    for ((g, p), c) in conf.iter().take(show) {
        println!("  {:>5} {} → {}", c, g.as_str(), p.as_str());
        for e in &examples[&(*g, *p)] {
            println!("          {e}");
        }
    }
}
