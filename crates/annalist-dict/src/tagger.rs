//! The tagger's trained model (`dictionaries/tagger/model.bin`): the weights of an
//! averaged perceptron (annalist-text's `tag::model` computes the features, its
//! `examples/tagger_train.rs` trains them on UD English-EWT). The file is read in place,
//! without parsing: loading checks the header and the sizes only.
//!
//! Format (little-endian):
//!
//! ```text
//! magic    b"ANTAGGER"          8 bytes
//! version  u32 = FORMAT_VERSION   features  u32 = FEATURE_VERSION
//! tags     u32 = 45               scale     f32 (stored weight = weight × scale)
//! capacity u32 (a power of two)   pairs     u32
//! table    capacity × { key u64 (0 = empty), first pair u32, pair count u32 }
//! pairs    pairs × { tag u8 (index in TAGS), 0 u8, weight i16 }
//! ```
//!
//! The table is open addressing with linear probing from `key & (capacity - 1)`; a
//! feature key is a 64-bit hash of a feature template and its values.
use crate::source::Blob;
use crate::Tag;

/// Number of tags.
pub const N_TAGS: usize = 45;

/// Every tag, by its index in the model (the declaration order of [`Tag`]).
pub const TAGS: [Tag; N_TAGS] = {
    use Tag::*;
    [
        CC, CD, DT, EX, FW, IN, JJ, JJR, JJS, LS, MD, NN, NNS, NNP, NNPS, PDT, POS, PRP, PRPS, RB,
        RBR, RBS, RP, SYM, TO, UH, VB, VBD, VBG, VBN, VBP, VBZ, WDT, WP, WPS, WRB, PUNCT, COMMA,
        COLON, QUOTE, LQUOTE, LPAREN, RPAREN, DOLLAR, HASH,
    ]
};

pub const MAGIC: &[u8; 8] = b"ANTAGGER";
pub const FORMAT_VERSION: u32 = 1;
/// The version of the feature templates the model was trained with (annalist-text's
/// `tag::model::features`): bump it with every change there, and retrain.
pub const FEATURE_VERSION: u32 = 2;
const HEADER: usize = 8 + 4 * 6;
const SLOT: usize = 16;
const PAIR: usize = 4;

/// A problem with a model file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tagger model: {0}")]
pub struct ModelError(pub String);

/// One slot of the feature table: the feature's key (0 = empty) and its pairs.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: u64,
    first: u32,
    count: u32,
}

/// A feature with at least this many pairs is also kept as a dense row of weights,
/// added to the scores a vector at a time instead of pair by pair.
const DENSE_MIN: usize = 10;
/// Length of the scores while adding: a power of two above [`N_TAGS`], so that a tag
/// index masked with `ROW - 1` needs no bounds check.
const ROW: usize = 64;
/// Length of a dense row: [`N_TAGS`] rounded up to whole vector registers.
const DENSE: usize = 48;
/// In a decoded slot, `count` holds the number of pairs in its low 8 bits and 1 + the
/// index of the feature's dense row above them (0: no dense row).
const COUNT_BITS: u32 = 8;

/// A trained model: the file's bytes, and its table and pairs decoded once into typed
/// arrays (a few milliseconds at start-up) so that scoring reads aligned values; the
/// features with many pairs also as dense rows.
#[derive(Debug, Clone)]
pub struct TaggerModel {
    bytes: Blob,
    scale: f32,
    mask: usize,
    slots: std::sync::Arc<[Slot]>,
    /// `(tag index, weight)` pairs.
    pairs: std::sync::Arc<[(u8, i16)]>,
    /// The weights of the features with at least [`DENSE_MIN`] pairs, by tag index.
    rows: std::sync::Arc<[[i32; DENSE]]>,
    n_pairs: usize,
    /// Which model this is (clones share it): a cache of scores keyed by it never
    /// mixes two models' weights.
    id: u64,
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl TaggerModel {
    /// Checks the header and the sizes; the table is used in place.
    pub fn new(bytes: Blob) -> Result<TaggerModel, ModelError> {
        let b: &[u8] = &bytes;
        if b.len() < HEADER || &b[..8] != MAGIC {
            return Err(ModelError("not an annalist tagger model".into()));
        }
        let (version, feats, tags) = (u32_at(b, 8), u32_at(b, 12), u32_at(b, 16));
        if version != FORMAT_VERSION || feats != FEATURE_VERSION || tags as usize != N_TAGS {
            return Err(ModelError(format!(
                "format {version}, features {feats}, {tags} tags; this build reads format \
                 {FORMAT_VERSION}, features {FEATURE_VERSION}, {N_TAGS} tags (retrain it with \
                 scripts/train-tagger)"
            )));
        }
        let scale = f32::from_le_bytes([b[20], b[21], b[22], b[23]]);
        let capacity = u32_at(b, 24) as usize;
        let n_pairs = u32_at(b, 28) as usize;
        if !capacity.is_power_of_two() || scale.is_nan() || scale <= 0.0 {
            return Err(ModelError("bad table capacity or weight scale".into()));
        }
        let pairs_at = HEADER + capacity * SLOT;
        let expected = pairs_at + n_pairs * PAIR;
        if b.len() != expected {
            return Err(ModelError(format!(
                "{} bytes, the header says {expected}",
                b.len()
            )));
        }
        let pairs: std::sync::Arc<[(u8, i16)]> = b[pairs_at..]
            .chunks_exact(PAIR)
            .map(|c| (c[0], i16::from_le_bytes([c[2], c[3]])))
            .collect();
        let mut rows: Vec<[i32; DENSE]> = Vec::new();
        let mut too_many = None;
        let slots: std::sync::Arc<[Slot]> = b[HEADER..pairs_at]
            .chunks_exact(SLOT)
            .enumerate()
            .map(|(s, c)| {
                let key = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
                let (first, count) = (u32_at(c, 8), u32_at(c, 12));
                if count as usize > N_TAGS {
                    too_many.get_or_insert(s);
                    return Slot {
                        key,
                        first,
                        count: 0,
                    };
                }
                // A slot out of range stays as it was, for `validate` to report.
                let fits = (first as usize).saturating_add(count as usize) <= n_pairs;
                if key == 0 || !fits {
                    return Slot { key, first, count };
                }
                let own = &pairs[first as usize..(first + count) as usize];
                if own.len() < DENSE_MIN || own.iter().any(|&(t, _)| t as usize >= N_TAGS) {
                    return Slot { key, first, count };
                }
                let mut row = [0i32; DENSE];
                for &(t, w) in own {
                    row[t as usize] += w as i32;
                }
                rows.push(row);
                Slot {
                    key,
                    first,
                    count: count | (rows.len() as u32) << COUNT_BITS,
                }
            })
            .collect();
        if let Some(s) = too_many {
            // A feature has at most one pair per tag.
            return Err(ModelError(format!("slot {s}: more pairs than tags")));
        }
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(TaggerModel {
            scale,
            mask: capacity - 1,
            slots,
            pairs,
            rows: rows.into(),
            n_pairs,
            bytes,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// This model's identity: equal for clones, different for any two models read
    /// separately (even from the same bytes).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Is this the model compiled into the program (which the test suite validates,
    /// so that [`crate::Dictionaries::validate`] need not at every start-up)?
    pub fn is_embedded(&self) -> bool {
        matches!(self.bytes, Blob::Static(_))
    }

    /// Checks every slot and pair (the test suite does; loading does not).
    pub fn validate(&self) -> Result<(), ModelError> {
        for s in 0..=self.mask {
            let (k, first, count) = self.slot(s);
            if k != 0 && first + count > self.n_pairs {
                return Err(ModelError(format!("slot {s}: pairs out of range")));
            }
        }
        for p in 0..self.n_pairs {
            if self.pair(p).0 >= N_TAGS {
                return Err(ModelError(format!("pair {p}: tag out of range")));
            }
        }
        Ok(())
    }

    /// Size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Number of features stored.
    pub fn features(&self) -> usize {
        (0..=self.mask).filter(|&s| self.slot(s).0 != 0).count()
    }

    /// Stored weight = weight × scale.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    #[inline]
    fn slot(&self, s: usize) -> (u64, usize, usize) {
        let x = self.slots[s];
        (
            x.key,
            x.first as usize,
            (x.count & ((1 << COUNT_BITS) - 1)) as usize,
        )
    }

    /// The pairs of feature `key`: (first pair, count).
    #[inline]
    fn find(&self, key: u64) -> Option<(usize, usize)> {
        let mut s = key as usize & self.mask;
        loop {
            let (k, first, count) = self.slot(s);
            if k == key {
                return Some((first, count));
            }
            if k == 0 {
                return None;
            }
            s = (s + 1) & self.mask;
        }
    }

    #[inline]
    fn pair(&self, p: usize) -> (usize, i32) {
        let (t, w) = self.pairs[p];
        (t as usize, w as i32)
    }

    /// The first tag stored for feature `key` (the tag dictionary's entries have one).
    #[inline]
    pub fn first_tag(&self, key: u64) -> Option<Tag> {
        let (first, count) = self.find(key)?;
        (count > 0).then(|| TAGS[self.pair(first).0])
    }

    /// Adds the weights of the features `keys` to `scores` (indexed like [`TAGS`]).
    #[inline]
    pub fn add_scores(&self, keys: &[u64], scores: &mut [i32; N_TAGS]) {
        // Integer sums: the order of the additions changes no score. Dense rows add
        // into `dense` (whose lanes the compiler keeps in vector registers), pairs into
        // `acc`.
        let mut acc = [0i32; ROW];
        let mut dense = [0i32; DENSE];
        // The table is larger than the caches and every key lands on a random slot:
        // read each key's first slot in a loop of loads alone, with no branch on a
        // loaded value between them, so that the processor has them all in flight at
        // once; the loop below, whose branches wait on each load, then finds them in
        // the cache. (`lead` only keeps the loads.)
        let lead = keys
            .iter()
            .fold(0, |l, &f| l ^ self.slots[f as usize & self.mask].key);
        std::hint::black_box(lead);
        for &f in keys {
            let mut s = f as usize & self.mask;
            let x = loop {
                let x = self.slots[s];
                if x.key == f || x.key == 0 {
                    break x;
                }
                s = (s + 1) & self.mask;
            };
            if x.key == 0 {
                continue;
            }
            let row = (x.count >> COUNT_BITS) as usize;
            if row > 0 {
                let w = &self.rows[row - 1];
                for k in 0..DENSE {
                    dense[k] += w[k];
                }
            } else {
                let (first, count) = (x.first as usize, x.count as usize);
                for &(t, w) in &self.pairs[first..first + count] {
                    acc[t as usize & (ROW - 1)] += w as i32;
                }
            }
        }
        for ((s, a), d) in scores.iter_mut().zip(acc).zip(dense) {
            *s += a + d;
        }
    }
}

/// Reads `tagger/constraints.txt`: one rule name (`rule:…`) a line. (Whether a name is
/// a rule the tagger has is checked by annalist-text's tests.)
pub fn parse_constraints(path: &str, text: &str) -> Result<Vec<String>, Vec<crate::DictError>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (n, line) in crate::format::content_lines(text) {
        if !line.starts_with("rule:") || line.contains(char::is_whitespace) {
            errs.push(crate::DictError::new(
                path,
                n,
                "expected a rule name such as `rule:noun-compound`",
            ));
        } else {
            out.push(line.to_string());
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// Serialises features `(key, [(tag index, stored weight)])` into the model format.
pub fn write_model(features: &[(u64, Vec<(u8, i16)>)], scale: f32) -> Vec<u8> {
    let capacity = ((features.len() as f64 / 0.7) as usize + 1).next_power_of_two();
    let mask = capacity - 1;
    let mut table = vec![(0u64, 0u32, 0u32); capacity];
    let mut pairs: Vec<(u8, i16)> = Vec::new();
    for (k, ws) in features {
        let mut s = *k as usize & mask;
        while table[s].0 != 0 {
            s = (s + 1) & mask;
        }
        table[s] = (*k, pairs.len() as u32, ws.len() as u32);
        pairs.extend_from_slice(ws);
    }
    let mut out = Vec::with_capacity(HEADER + capacity * SLOT + pairs.len() * PAIR);
    out.extend_from_slice(MAGIC);
    for v in [FORMAT_VERSION, FEATURE_VERSION, N_TAGS as u32] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&scale.to_le_bytes());
    out.extend_from_slice(&(capacity as u32).to_le_bytes());
    out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
    for (k, first, count) in table {
        out.extend_from_slice(&k.to_le_bytes());
        out.extend_from_slice(&first.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
    }
    for (t, w) in pairs {
        out.extend_from_slice(&[t, 0]);
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_indices_follow_the_declaration_order() {
        for (i, t) in TAGS.iter().enumerate() {
            assert_eq!(*t as usize, i, "{t:?}");
        }
    }

    #[test]
    fn a_written_model_reads_back_and_bad_files_are_refused() {
        let bytes = write_model(
            &[(77, vec![(Tag::NN as u8, 300), (Tag::VB as u8, 200)])],
            100.0,
        );
        let m = TaggerModel::new(Blob::Owned(bytes.clone().into())).unwrap();
        m.validate().unwrap();
        let mut s = [0; N_TAGS];
        m.add_scores(&[77, 78], &mut s);
        assert_eq!((s[Tag::NN as usize], s[Tag::VB as usize]), (300, 200));
        assert_eq!(m.first_tag(77), Some(Tag::NN));
        assert_eq!(m.first_tag(78), None);
        assert!(TaggerModel::new(Blob::Static(b"ANTAGGERxx")).is_err());
        assert_ne!(
            m.id(),
            TaggerModel::new(Blob::Owned(bytes.clone().into()))
                .unwrap()
                .id()
        );
        assert_eq!(m.id(), m.clone().id());
        let e = TaggerModel::new(Blob::Owned(bytes[..bytes.len() - 1].into())).unwrap_err();
        assert!(e.to_string().contains("the header says"), "{e}");
    }

    /// A feature with many pairs (a dense row) and one with few score alike.
    #[test]
    fn dense_rows_score_like_pairs() {
        let many: Vec<(u8, i16)> = (0..N_TAGS as u8).map(|t| (t, t as i16 * 7 - 100)).collect();
        let few = vec![(Tag::NN as u8, -40), (Tag::VBD as u8, 25)];
        let bytes = write_model(&[(5, many.clone()), (9, few.clone())], 100.0);
        let m = TaggerModel::new(Blob::Owned(bytes.into())).unwrap();
        m.validate().unwrap();
        assert_eq!(m.rows.len(), 1, "only the feature with many pairs is dense");
        let mut s = [0; N_TAGS];
        m.add_scores(&[5, 9, 5, 11], &mut s);
        let mut expected = [0; N_TAGS];
        for (t, w) in many.iter().chain(&few).chain(&many) {
            expected[*t as usize] += *w as i32;
        }
        assert_eq!(s, expected);
        assert_eq!(m.first_tag(5), Some(TAGS[0]));
    }
}
