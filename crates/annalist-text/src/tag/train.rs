//! Training the tagger's averaged perceptron (development time: `examples/tagger_train.rs`
//! calls it). Input: gold-tagged sentences with their [`TokenFeatures`]; output: the
//! bytes of `dictionaries/tagger/model.bin` (`annalist_dict::tagger::write_model`). Deterministic: the
//! sentence order of each epoch comes from a fixed-seed generator, so the same data and
//! settings give the same bytes.
use super::model::{features, key, History, TokenFeatures, N_FEATURES, T_DICT};
use annalist_dict::tagger::{write_model, N_TAGS, TAGS};
use annalist_dict::Tag;
use rustc_hash::FxHashMap;

/// One training sentence: token features and gold tags (`None`: not scored, but the
/// gold history still needs a tag: the model's guess is used).
pub struct TrainSentence {
    pub feats: Vec<TokenFeatures>,
    pub gold: Vec<Option<Tag>>,
}

/// Settings of a training run.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub epochs: usize,
    /// A word seen at least this often, with one tag in at least `dict_ratio` of its
    /// occurrences, is tagged by the tag dictionary.
    pub dict_min_count: usize,
    pub dict_ratio: f64,
    /// Stored weight = real weight × scale, rounded; weights that round to 0 are dropped.
    pub scale: f32,
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 10,
            dict_min_count: 20,
            dict_ratio: 0.99,
            scale: 100.0,
            seed: 0x5eed,
        }
    }
}

#[derive(Clone, Copy, Default)]
struct Param {
    w: f32,
    total: f64,
    stamp: u64,
}

/// Averaged perceptron weights during training.
#[derive(Default)]
struct Perceptron {
    weights: FxHashMap<u64, Vec<(u8, Param)>>,
    updates: u64,
}

impl Perceptron {
    fn predict(&self, feats: &[u64]) -> usize {
        let mut scores = [0f32; N_TAGS];
        for f in feats {
            if let Some(ws) = self.weights.get(f) {
                for (t, p) in ws {
                    scores[*t as usize] += p.w;
                }
            }
        }
        let mut best = 0;
        for t in 1..N_TAGS {
            if scores[t] > scores[best] {
                best = t;
            }
        }
        best
    }

    fn update(&mut self, truth: usize, guess: usize, feats: &[u64]) {
        self.updates += 1;
        if truth == guess {
            return;
        }
        let now = self.updates;
        for f in feats {
            let ws = self.weights.entry(*f).or_default();
            for (t, delta) in [(truth, 1.0f32), (guess, -1.0)] {
                let p = match ws.iter_mut().find(|(x, _)| *x as usize == t) {
                    Some((_, p)) => p,
                    None => {
                        ws.push((t as u8, Param::default()));
                        &mut ws.last_mut().unwrap().1
                    }
                };
                p.total += (now - p.stamp) as f64 * p.w as f64;
                p.stamp = now;
                p.w += delta;
            }
        }
    }

    /// The averaged weights.
    fn averaged(&self) -> Vec<(u64, Vec<(u8, f32)>)> {
        let now = self.updates;
        let mut out: Vec<(u64, Vec<(u8, f32)>)> = self
            .weights
            .iter()
            .map(|(k, ws)| {
                let mut v: Vec<(u8, f32)> = ws
                    .iter()
                    .map(|(t, p)| {
                        let total = p.total + (now - p.stamp) as f64 * p.w as f64;
                        (*t, (total / now.max(1) as f64) as f32)
                    })
                    .collect();
                v.sort_by_key(|(t, _)| *t);
                (*k, v)
            })
            .collect();
        out.sort_by_key(|(k, _)| *k);
        out
    }
}

/// A small deterministic generator (xorshift64*), for the epoch order.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// The tag dictionary: words (hashes) frequent and unambiguous enough.
fn tag_dictionary(data: &[TrainSentence], o: &TrainOptions) -> FxHashMap<u64, usize> {
    let mut counts: FxHashMap<u64, [u32; N_TAGS]> = FxHashMap::default();
    for s in data {
        for (f, g) in s.feats.iter().zip(&s.gold) {
            if let Some(g) = g {
                counts.entry(f.word).or_insert([0; N_TAGS])[*g as usize] += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter_map(|(w, c)| {
            let n: u32 = c.iter().sum();
            let (best, &top) = c.iter().enumerate().max_by_key(|(_, &x)| x)?;
            (n as usize >= o.dict_min_count && top as f64 / n as f64 >= o.dict_ratio)
                .then_some((w, best))
        })
        .collect()
}

/// Trains a model; `progress` is told each epoch's training accuracy.
pub fn train(
    data: &[TrainSentence],
    o: &TrainOptions,
    mut progress: impl FnMut(usize, f64),
) -> Vec<u8> {
    let dict = tag_dictionary(data, o);
    let mut model = Perceptron::default();
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Rng(o.seed.max(1));
    let mut feats = [0u64; N_FEATURES];
    for epoch in 0..o.epochs {
        let (mut n, mut ok) = (0usize, 0usize);
        for &si in &order {
            let s = &data[si];
            let mut h = History {
                prev: None,
                prev2: None,
            };
            for i in 0..s.feats.len() {
                let guess = match dict.get(&s.feats[i].word) {
                    Some(&t) => t,
                    None => {
                        features(&s.feats, i, h, &mut feats);
                        let guess = model.predict(&feats);
                        if let Some(g) = s.gold[i] {
                            model.update(g as usize, guess, &feats);
                        }
                        guess
                    }
                };
                if let Some(g) = s.gold[i] {
                    n += 1;
                    ok += (g as usize == guess) as usize;
                }
                h = History {
                    prev: Some(TAGS[guess]),
                    prev2: h.prev,
                };
            }
        }
        progress(epoch + 1, ok as f64 / n.max(1) as f64);
        // Fisher–Yates with the fixed generator.
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
    }
    let mut out: Vec<(u64, Vec<(u8, i16)>)> = model
        .averaged()
        .into_iter()
        .filter_map(|(k, ws)| {
            let q: Vec<(u8, i16)> = ws
                .into_iter()
                .map(|(t, w)| (t, (w * o.scale).round().clamp(-32767.0, 32767.0) as i16))
                .filter(|(_, w)| *w != 0)
                .collect();
            (!q.is_empty()).then_some((k, q))
        })
        .collect();
    let mut dict: Vec<(u64, usize)> = dict.into_iter().collect();
    dict.sort();
    for (w, t) in dict {
        out.push((key(T_DICT, w, 0), vec![(t as u8, 1)]));
    }
    write_model(&out, o.scale)
}
