//! The features of the tagger's averaged perceptron: word, suffix, prefix, shape and
//! lexicon features of a token and its neighbours, and the two tags chosen before it.
//! Input: per token a few precomputed hashes ([`TokenFeatures`]); output: the 64-bit
//! keys of [`features`], which `annalist_dict::TaggerModel` (`dictionaries/tagger/
//! model.bin`) weighs. A key is a stable hash of the template and its values ([`key`]);
//! the tag dictionary (frequent words always tagged alike) is the template [`T_DICT`].
//! Hashing and feature extraction allocate nothing. Changing a template means bumping
//! `annalist_dict::tagger::FEATURE_VERSION` and retraining (`scripts/train-tagger`).
use annalist_dict::tagger::N_TAGS;
use annalist_dict::Tag;

/// The history value before the first token.
const START: u64 = N_TAGS as u64;

/// The template of the tag dictionary: a word always tagged alike.
pub const T_DICT: u64 = 255;

/// 64-bit FNV-1a over bytes (stable across platforms and releases).
#[inline]
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &x in b {
        h ^= x as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64's finaliser: spreads the bits of `x`.
#[inline]
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The key of template `t` with values `a`, `b` (never 0: 0 marks an empty slot).
#[inline]
pub fn key(t: u64, a: u64, b: u64) -> u64 {
    let k = mix(mix(t ^ (a << 8)) ^ b.rotate_left(17));
    k.max(1)
}

/// The hashes of one token that its own and its neighbours' features use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TokenFeatures {
    /// The lower-case form.
    pub word: u64,
    /// The last 1, 2, 3 and 4 characters of the lower-case form.
    pub suffix: [u64; 4],
    /// The first character as written.
    pub prefix: u64,
    /// The shape: letters as X/x, digits as d, other characters as themselves, repeats
    /// collapsed, at most 8 classes.
    pub shape: u64,
    /// The tags the lexicon gives the form as written (closed-class and punctuation
    /// tables included), as a bit set.
    pub lex: u64,
    /// … and the lower-case form.
    pub lex_lower: u64,
    /// The lexicon's most likely tag for the word (its first; `words.txt` orders them by
    /// frequency in news and fiction), as 1 + tag index, 0 when unknown.
    pub lex_first: u64,
    /// First word of a sentence (or after an opening quote or bracket).
    pub first: bool,
}

impl TokenFeatures {
    /// The features of a token from its text, lower-case form and lexicon tags.
    pub fn new(text: &str, lower: &str, lex: [u64; 3], first: bool) -> Self {
        let [lex, lex_lower, lex_first] = lex;
        let mut suffix = [0u64; 4];
        let mut k = 0;
        for (pos, _) in lower.char_indices().rev().take(4) {
            suffix[k] = hash_bytes(&lower.as_bytes()[pos..]);
            k += 1;
        }
        // A word shorter than four characters repeats its whole form.
        while k < 4 {
            suffix[k] = if k > 0 { suffix[k - 1] } else { 0 };
            k += 1;
        }
        let prefix = text.chars().next().map_or(0, |c| c as u64);
        TokenFeatures {
            word: hash_bytes(lower.as_bytes()),
            suffix,
            prefix,
            shape: shape(text),
            lex,
            lex_lower,
            lex_first,
            first,
        }
    }
}

/// The shape of a word ("Kyiv" → Xx, "U.S." → X.X., "1,500" → d,d), as a number.
fn shape(text: &str) -> u64 {
    let mut h: u64 = 0;
    let mut last = '\0';
    let mut n = 0;
    for c in text.chars() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if class != last {
            h = h.wrapping_mul(0x100_0000_01b3) ^ class as u64;
            last = class;
            n += 1;
            if n == 8 {
                break;
            }
        }
    }
    h
}

/// Number of feature templates.
pub const N_FEATURES: usize = 27;

/// The history of token `i`: the tags chosen for the two tokens before it.
#[derive(Debug, Clone, Copy)]
pub struct History {
    pub prev: Option<Tag>,
    pub prev2: Option<Tag>,
}

fn tag_value(t: Option<Tag>) -> u64 {
    t.map_or(START, |t| t as u64)
}

/// Number of templates that read token `i` alone ([`own_features`]).
pub const N_OWN: usize = 11;
/// Number of templates that read its history or its neighbours ([`context_features`]).
pub const N_CONTEXT: usize = N_FEATURES - N_OWN;

/// The keys of [`features`] that depend on the token alone (its form, shape, lexicon
/// tags and whether it starts a sentence): the same for every occurrence of the token,
/// so their scores can be kept.
pub fn own_features(t: &TokenFeatures, out: &mut [u64; N_OWN]) {
    *out = [
        key(0, 0, 0),
        key(1, t.word, 0),
        key(2, t.suffix[0], 0),
        key(3, t.suffix[1], 0),
        key(4, t.suffix[2], 0),
        key(5, t.suffix[3], 0),
        key(6, t.prefix, 0),
        key(7, t.shape, t.first as u64),
        key(8, t.lex, 0),
        key(9, t.lex_lower, 0),
        key(24, t.lex_first, 0),
    ];
}

/// The other keys of [`features`]: those that read the tags before token `i` or its
/// neighbours.
pub fn context_features(toks: &[TokenFeatures], i: usize, h: History, out: &mut [u64; N_CONTEXT]) {
    const NONE: TokenFeatures = TokenFeatures {
        word: 1,
        suffix: [1; 4],
        prefix: 1,
        shape: 1,
        lex: 1 << 63,
        lex_lower: 1 << 63,
        lex_first: 99,
        first: false,
    };
    let t = &toks[i];
    let get = |k: isize| {
        let j = i as isize + k;
        if j < 0 || j as usize >= toks.len() {
            &NONE
        } else {
            &toks[j as usize]
        }
    };
    let (p1, p2) = (get(-1), get(-2));
    let (n1, n2) = (get(1), get(2));
    let pt = tag_value(h.prev);
    let pt2 = tag_value(h.prev2);
    *out = [
        key(10, pt, 0),
        key(11, pt, pt2),
        key(12, pt, t.word),
        key(13, p1.word, 0),
        key(14, p1.suffix[2], 0),
        key(15, p2.word, 0),
        key(16, n1.word, 0),
        key(17, n1.suffix[2], 0),
        key(18, n2.word, 0),
        key(19, n1.lex, 0),
        key(20, pt, t.lex),
        key(21, t.lex, n1.lex),
        key(22, p1.word, t.word),
        key(23, t.word, n1.word),
        key(25, pt, t.lex_first),
        key(26, t.lex_first, n1.lex_first),
    ];
}

/// The feature keys of token `i` of `toks` given its history: templates 0 to 26, the
/// token's own ([`own_features`]) and its context's ([`context_features`]).
pub fn features(toks: &[TokenFeatures], i: usize, h: History, out: &mut [u64; N_FEATURES]) {
    let (mut own, mut context) = ([0u64; N_OWN], [0u64; N_CONTEXT]);
    own_features(&toks[i], &mut own);
    context_features(toks, i, h, &mut context);
    out[..10].copy_from_slice(&own[..10]);
    out[10..24].copy_from_slice(&context[..14]);
    out[24] = own[10];
    out[25..].copy_from_slice(&context[14..]);
}

/// The bit set of a list of tags.
pub fn tag_mask(tags: &[Tag]) -> u64 {
    tags.iter().fold(0, |m, &t| m | 1 << t as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_stable_and_distinct() {
        let a = TokenFeatures::new("Strikes", "strikes", [0, 0, 0], true);
        let b = TokenFeatures::new("hit", "hit", [0, 0, 0], false);
        assert_eq!(a.word, hash_bytes(b"strikes"));
        assert_eq!(a.suffix[2], hash_bytes(b"kes"));
        assert_eq!(
            b.suffix[3], b.suffix[2],
            "a short word repeats its whole form"
        );
        assert_ne!(shape("Kyiv"), shape("kyiv"));
        assert_eq!(shape("Kyiv"), shape("Lviv"));
        let toks = [a, b];
        let h = History {
            prev: None,
            prev2: None,
        };
        let mut f = [0u64; N_FEATURES];
        features(&toks, 0, h, &mut f);
        let mut g = f.to_vec();
        g.sort_unstable();
        g.dedup();
        assert_eq!(g.len(), N_FEATURES, "no two templates share a key");
        // The model was trained with feature k of template k.
        let t = &toks[0];
        assert_eq!(f[1], key(1, t.word, 0));
        assert_eq!(f[9], key(9, t.lex_lower, 0));
        assert_eq!(f[10], key(10, START, 0));
        assert_eq!(f[16], key(16, toks[1].word, 0));
        assert_eq!(f[23], key(23, t.word, toks[1].word));
        assert_eq!(f[24], key(24, t.lex_first, 0));
        assert_eq!(f[25], key(25, START, t.lex_first));
        assert_eq!(f[26], key(26, t.lex_first, toks[1].lex_first));
        // Pinned: a model file depends on these values.
        assert_eq!(key(1, hash_bytes(b"the"), 0), key(1, hash_bytes(b"the"), 0));
        assert_eq!(hash_bytes(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
