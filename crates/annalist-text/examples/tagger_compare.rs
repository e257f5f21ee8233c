//! Tags the `text` of JSON Lines documents (the dev files, the sample) with the trained
//! model and with the contextual rules alone, and prints how often each tag changed
//! (rules → model), with examples; `--dump FILE` writes every sentence's tokens and the
//! model's tags as JSON Lines (`{"words", "spaces", "tags", "reasons"}`) for
//! `scripts/spacy-agreement` (with `--rules`, the rules' tags). Output is for the
//! terminal: never commit it (dev text).
//!
//! ```text
//! cargo run --release -p annalist-text --example tagger_compare -- FILE.jsonl... \
//!     [--dictionaries DIR] [--dump OUT.jsonl] [--show N]
//! ```
use annalist_dict::{DictSource, Dictionaries, Tag};
use annalist_text::{split_sentences, tokenize, Tagger};
use std::collections::HashMap;
use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut files, mut dir, mut dump, mut show) = (Vec::new(), None, None, 20usize);
    let mut dump_rules = false;
    let mut i = 0;
    while i < args.len() {
        let val = || args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--dictionaries" => dir = Some(val()),
            "--dump" => dump = Some(val()),
            "--show" => show = val().parse().unwrap_or(20),
            "--rules" => {
                dump_rules = true;
                i += 1;
                continue;
            }
            f => {
                files.push(f.to_string());
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    let source = dir.map_or(DictSource::Embedded, |d| DictSource::Directory(d.into()));
    let dicts = Dictionaries::load(&source).unwrap_or_else(|errs| {
        errs.iter().for_each(|e| eprintln!("{e}"));
        std::process::exit(1)
    });
    let model = Tagger::new(&dicts);
    let rules = Tagger::new(&dicts).without_model();
    let mut out = dump.map(|p| std::io::BufWriter::new(std::fs::File::create(p).unwrap()));
    let mut changes: HashMap<(Tag, Tag), (usize, Vec<String>)> = HashMap::new();
    let (mut n, mut same) = (0usize, 0usize);
    for f in &files {
        for line in std::fs::read_to_string(f).unwrap().lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let text = v["text"].as_str().unwrap_or_default();
            for s in split_sentences(text) {
                let toks = tokenize(text, s.start, s.end);
                let a = rules.tag(text, &toks);
                let b = model.tag(text, &toks);
                for k in 0..toks.len() {
                    n += 1;
                    if a[k].tag == b[k].tag {
                        same += 1;
                        continue;
                    }
                    let e = changes.entry((a[k].tag, b[k].tag)).or_default();
                    e.0 += 1;
                    if e.1.len() < 4 {
                        let from = k.saturating_sub(4);
                        let to = (k + 4).min(toks.len());
                        let ctx: Vec<String> = (from..to)
                            .map(|j| {
                                let w = toks[j].text(text);
                                if j == k {
                                    format!("[{w}]")
                                } else {
                                    w.to_string()
                                }
                            })
                            .collect();
                        e.1.push(format!(
                            "{} ({} | {})",
                            ctx.join(" "),
                            a[k].reason,
                            b[k].reason
                        ));
                    }
                }
                if let Some(o) = out.as_mut() {
                    let words: Vec<&str> = toks.iter().map(|t| t.text(text)).collect();
                    let spaces: Vec<bool> = (0..toks.len())
                        .map(|k| toks.get(k + 1).is_some_and(|n| n.start > toks[k].end))
                        .collect();
                    let d = if dump_rules { &a } else { &b };
                    let tags: Vec<&str> = d.iter().map(|t| t.tag.as_str()).collect();
                    let reasons: Vec<&str> = d.iter().map(|t| t.reason).collect();
                    let rule_tags: Vec<&str> = a.iter().map(|t| t.tag.as_str()).collect();
                    let j = serde_json::json!({"words": words, "spaces": spaces, "tags": tags,
                        "reasons": reasons, "rule_tags": rule_tags});
                    writeln!(o, "{j}").unwrap();
                }
            }
        }
    }
    println!(
        "{n} tokens, {:.2}% tagged alike by the rules and the model",
        100.0 * same as f64 / n.max(1) as f64
    );
    let mut v: Vec<_> = changes.into_iter().collect();
    v.sort_by_key(|(k, (c, _))| (std::cmp::Reverse(*c), k.0.as_str(), k.1.as_str()));
    for ((a, b), (c, ex)) in v.iter().take(show) {
        println!("{c:>6} {} → {}", a.as_str(), b.as_str());
        for e in ex {
            println!("         {e}");
        }
    }
}
