//! The word classes the language stages consult (`dictionaries/classes/text.txt` and
//! `shared.txt`), prepared once: membership tests, the quantifier phrases split into
//! words, the clitics without their apostrophe. Input: the parsed [`WordClasses`];
//! output: a [`TextClasses`] that sentences, tokens, tagger and chunker read.
use annalist_dict::{DictSource, WordClass, WordClasses};
use rustc_hash::FxHashSet;
use std::sync::OnceLock;

/// Word classes as the text stages use them.
#[derive(Debug, Clone)]
pub struct TextClasses {
    classes: WordClasses,
    /// The members of QUANTIFIER split into words, longest first.
    quantifiers: Vec<Vec<String>>,
    /// The members of LATIN_PHRASE split into words, longest first.
    latin: Vec<Vec<String>>,
    /// The first words of the quantifier and Latin phrases: any other word starts none.
    quantifier_first: FxHashSet<String>,
    latin_first: FxHashSet<String>,
    /// The members of CLITIC without their apostrophe ("s", "ll" …).
    clitics: Vec<String>,
}

impl TextClasses {
    /// Prepares the classes for the text stages.
    pub fn new(classes: &WordClasses) -> TextClasses {
        let mut quantifiers: Vec<Vec<String>> = classes
            .members(WordClass::Quantifier)
            .iter()
            .map(|m| m.split(' ').map(str::to_string).collect())
            .collect();
        quantifiers.sort_by_key(|q| std::cmp::Reverse(q.len()));
        let mut latin: Vec<Vec<String>> = classes
            .members(WordClass::LatinPhrase)
            .iter()
            .map(|m| m.split(' ').map(str::to_string).collect())
            .collect();
        latin.sort_by_key(|q| std::cmp::Reverse(q.len()));
        let clitics = classes
            .members(WordClass::Clitic)
            .iter()
            .map(|m| m.trim_start_matches(['\'', '’']).to_lowercase())
            .collect();
        let firsts = |phrases: &[Vec<String>]| phrases.iter().map(|p| p[0].clone()).collect();
        TextClasses {
            classes: classes.clone(),
            quantifier_first: firsts(&quantifiers),
            latin_first: firsts(&latin),
            quantifiers,
            latin,
            clitics,
        }
    }

    /// The classes of the embedded `classes/shared.txt` and `classes/text.txt`, parsed
    /// once: what [`split_sentences`](crate::split_sentences) and
    /// [`tokenize`](crate::tokenize) use when no dictionaries are given.
    pub fn embedded() -> &'static TextClasses {
        static EMBEDDED: OnceLock<TextClasses> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            let mut c = WordClasses::default();
            for path in ["classes/shared.txt", "classes/text.txt"] {
                if let Some(text) = DictSource::embedded_file(path) {
                    // The test suite checks the embedded files; a bad line only drops
                    // its own members here.
                    let _ = c.parse_file(path, text);
                }
            }
            TextClasses::new(&c)
        })
    }

    /// Is `w` (a lower-case word, or a lemma for a lemma class) a member of `class`?
    #[inline]
    pub fn has(&self, class: WordClass, w: &str) -> bool {
        self.classes.has(class, w)
    }

    /// The members of `class`, in file order.
    pub fn members(&self, class: WordClass) -> &[String] {
        self.classes.members(class)
    }

    /// Does `w` end with a member of the suffix class `class`?
    #[inline]
    pub fn ends_with(&self, class: WordClass, w: &str) -> bool {
        self.classes.ends_with(class, w)
    }

    /// The number of words of the longest quantifier phrase whose words are
    /// `word(0)`, `word(1)` …, or 0.
    pub fn quantifier_len<'w>(&self, word: impl Fn(usize) -> &'w str) -> usize {
        if !self.quantifier_first.contains(word(0)) {
            return 0;
        }
        self.quantifiers
            .iter()
            .find(|q| q.iter().enumerate().all(|(k, w)| word(k) == w))
            .map_or(0, Vec::len)
    }

    /// The number of words of the Latin phrase ("de facto") whose words are `word(0)`,
    /// `word(1)` …, or 0.
    pub fn latin_len<'w>(&self, word: impl Fn(usize) -> &'w str) -> usize {
        if !self.latin_first.contains(word(0)) {
            return 0;
        }
        self.latin
            .iter()
            .find(|q| q.iter().enumerate().all(|(k, w)| word(k) == w))
            .map_or(0, Vec::len)
    }

    /// Is `tail` (lower case, without its apostrophe) a clitic ("s", "ll", "re" …)?
    pub fn is_clitic(&self, tail: &str) -> bool {
        self.clitics.iter().any(|c| c == tail)
    }

    /// Does `rest` (lower case, after an apostrophe) start with a clitic that ends there
    /// (not followed by a letter or digit)?
    pub fn starts_with_clitic(&self, rest: &str) -> bool {
        self.clitics.iter().any(|c| {
            rest.starts_with(c.as_str())
                && rest[c.len()..]
                    .chars()
                    .next()
                    .is_none_or(|x| !x.is_alphanumeric())
        })
    }

    /// The longest clitic, in characters (how far the tokenizer looks after an
    /// apostrophe, less one).
    pub fn longest_clitic(&self) -> usize {
        self.clitics
            .iter()
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0)
    }
}
