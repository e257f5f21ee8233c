//! Prints, for each token of a sentence, the model's three best tags with their scores and
//! each feature template's contribution to the best tag (development aid).
//!
//! `cargo run --release -p annalist-text --example tagger_debug -- "Sentence." [DIR]`
use annalist_dict::tagger::{N_TAGS, TAGS};
use annalist_dict::{DictSource, Dictionaries};
use annalist_text::tag::model::{features, key, History, N_FEATURES, T_DICT};
use annalist_text::{tokenize, Tagger};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = args.first().cloned().unwrap_or_default();
    let source = args
        .get(1)
        .map_or(DictSource::Embedded, |d| DictSource::Directory(d.into()));
    let dicts = Dictionaries::load(&source).unwrap_or_else(|e| panic!("{e:?}"));
    let tagger = Tagger::new(&dicts);
    let m = tagger.model().expect("a model");
    let toks = tokenize(&text, 0, text.len());
    let (feats, _) = tagger.token_features(&text, &toks);
    let tagged = tagger.tag(&text, &toks);
    let mut h = History {
        prev: None,
        prev2: None,
    };
    for (i, t) in tagged.iter().enumerate() {
        let mut keys = [0u64; N_FEATURES];
        features(&feats, i, h, &mut keys);
        let mut scores = [0i32; N_TAGS];
        m.add_scores(&keys, &mut scores);
        let mut order: Vec<usize> = (0..N_TAGS).collect();
        order.sort_by_key(|&k| -scores[k]);
        let dict = m.first_tag(key(T_DICT, feats[i].word, 0));
        print!(
            "{:<14} {:<5} dict={:?} ",
            t.token.text(&text),
            t.tag.as_str(),
            dict.map(|t| t.as_str())
        );
        for &k in &order[..3] {
            print!(" {}={}", TAGS[k].as_str(), scores[k]);
        }
        let (a, b) = (order[0], order[1]);
        let contrib: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(f, k)| {
                let mut s = [0i32; N_TAGS];
                m.add_scores(&[*k], &mut s);
                format!("{f}:{}", s[a] - s[b])
            })
            .collect();
        println!(
            "  [{} vs {}] {}",
            TAGS[a].as_str(),
            TAGS[b].as_str(),
            contrib.join(" ")
        );
        h = History {
            prev: Some(t.tag),
            prev2: h.prev,
        };
    }
}
