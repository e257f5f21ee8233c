//! The English lexicon the tagger reads: each word's possible Penn Treebank tags (most
//! likely first) and the lemma of each inflected form.
use crate::format::{content_lines, DictError};
use std::collections::HashMap;

macro_rules! tags {
    ($($name:ident = $s:literal),* $(,)?) => {
        /// A Penn Treebank part-of-speech tag.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Tag { $($name),* }
        impl Tag {
            /// Parses a Penn tag such as `NNS`.
            pub fn parse(s: &str) -> Option<Tag> {
                match s { $($s => Some(Tag::$name),)* _ => None }
            }
            /// The Penn spelling of the tag.
            pub fn as_str(self) -> &'static str {
                match self { $(Tag::$name => $s),* }
            }
        }
    };
}

tags! {
    CC = "CC", CD = "CD", DT = "DT", EX = "EX", FW = "FW", IN = "IN", JJ = "JJ", JJR = "JJR",
    JJS = "JJS", LS = "LS", MD = "MD", NN = "NN", NNS = "NNS", NNP = "NNP", NNPS = "NNPS",
    PDT = "PDT", POS = "POS", PRP = "PRP", PRPS = "PRP$", RB = "RB", RBR = "RBR", RBS = "RBS",
    RP = "RP", SYM = "SYM", TO = "TO", UH = "UH", VB = "VB", VBD = "VBD", VBG = "VBG",
    VBN = "VBN", VBP = "VBP", VBZ = "VBZ", WDT = "WDT", WP = "WP", WPS = "WP$", WRB = "WRB",
    PUNCT = ".", COMMA = ",", COLON = ":", QUOTE = "''", LQUOTE = "``", LPAREN = "(",
    RPAREN = ")", DOLLAR = "$", HASH = "#",
}

impl Tag {
    pub fn is_verb(self) -> bool {
        matches!(
            self,
            Tag::VB | Tag::VBD | Tag::VBG | Tag::VBN | Tag::VBP | Tag::VBZ
        )
    }
    pub fn is_noun(self) -> bool {
        matches!(self, Tag::NN | Tag::NNS | Tag::NNP | Tag::NNPS)
    }
    pub fn is_adjective(self) -> bool {
        matches!(self, Tag::JJ | Tag::JJR | Tag::JJS)
    }
    pub fn is_adverb(self) -> bool {
        matches!(self, Tag::RB | Tag::RBR | Tag::RBS)
    }
}

/// Part of speech of a lemma entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LemmaPos {
    Verb,
    Noun,
    Adjective,
}

/// Word → tags and form → lemma tables.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    words: HashMap<String, Vec<Tag>>,
    lemmas: HashMap<(String, LemmaPos), String>,
}

impl Lexicon {
    /// Reads `word TAG [TAG…]` lines; later lines for the same word replace earlier ones
    /// (so the `# corrections` section of words.txt wins).
    pub fn parse_words(&mut self, path: &str, text: &str) -> Result<(), Vec<DictError>> {
        let mut errs = Vec::new();
        for (n, line) in content_lines(text) {
            let mut it = line.split_whitespace();
            let word = it.next().unwrap();
            let mut tags = Vec::new();
            for t in it {
                match Tag::parse(t) {
                    Some(t) => tags.push(t),
                    None => errs.push(DictError::new(
                        path,
                        n,
                        format!("unknown tag {t:?} for {word:?}"),
                    )),
                }
            }
            if tags.is_empty() {
                errs.push(DictError::new(path, n, format!("word {word:?} has no tag")));
                continue;
            }
            self.words.insert(word.to_string(), tags);
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    /// Reads `form lemma POS` lines (POS `V`, `N` or `A`).
    pub fn parse_lemmas(&mut self, path: &str, text: &str) -> Result<(), Vec<DictError>> {
        let mut errs = Vec::new();
        for (n, line) in content_lines(text) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let pos = match f.get(2) {
                Some(&"V") => LemmaPos::Verb,
                Some(&"N") => LemmaPos::Noun,
                Some(&"A") => LemmaPos::Adjective,
                _ => {
                    errs.push(DictError::new(path, n, "expected `form lemma V|N|A`"));
                    continue;
                }
            };
            if f.len() != 3 {
                errs.push(DictError::new(path, n, "expected `form lemma V|N|A`"));
                continue;
            }
            self.lemmas
                .insert((f[0].to_string(), pos), f[1].to_string());
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    /// The tags of `word` as written, else of its lower-case form.
    pub fn tags(&self, word: &str) -> Option<&[Tag]> {
        self.words.get(word).map(|v| v.as_slice())
    }

    /// The lemma of a lower-case form for a part of speech, if it is inflected.
    pub fn lemma(&self, form: &str, pos: LemmaPos) -> Option<&str> {
        self.lemmas
            .get(&(form.to_string(), pos))
            .map(|s| s.as_str())
    }

    /// Adds or replaces a word's tags (used by tests and by run-time additions).
    pub fn insert_word(&mut self, word: &str, tags: Vec<Tag>) {
        self.words.insert(word.to_string(), tags);
    }

    pub fn insert_lemma(&mut self, form: &str, lemma: &str, pos: LemmaPos) {
        self.lemmas
            .insert((form.to_string(), pos), lemma.to_string());
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Every (word, tags) pair, for validation.
    pub fn words(&self) -> impl Iterator<Item = (&str, &[Tag])> {
        self.words.iter().map(|(w, t)| (w.as_str(), t.as_slice()))
    }

    /// Every ((form, pos), lemma) pair, for validation.
    pub fn lemmas(&self) -> impl Iterator<Item = (&str, LemmaPos, &str)> {
        self.lemmas
            .iter()
            .map(|((f, p), l)| (f.as_str(), *p, l.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_corrections() {
        let mut l = Lexicon::default();
        l.parse_words("w", "attacks NNS VBZ\n# corrections\nattacks VBZ NNS\n")
            .unwrap();
        assert_eq!(l.tags("attacks"), Some(&[Tag::VBZ, Tag::NNS][..]));
        let e = l.parse_words("w", "foo XX\n").unwrap_err();
        assert_eq!(e[0].to_string(), "w:1: unknown tag \"XX\" for \"foo\"");
    }

    #[test]
    fn lemmas() {
        let mut l = Lexicon::default();
        l.parse_lemmas("l", "fought fight V\nattacks attack N\n")
            .unwrap();
        assert_eq!(l.lemma("fought", LemmaPos::Verb), Some("fight"));
        assert_eq!(l.lemma("fought", LemmaPos::Noun), None);
        assert!(l.parse_lemmas("l", "x y Z\n").is_err());
    }
}
