//! The English lexicon the tagger reads: each word's possible Penn Treebank tags (most
//! likely first), the lemma of each inflected form, the closed-class words whose tag is
//! fixed (`lexicon/closed.txt`) and the tags of punctuation marks
//! (`lexicon/punctuation.txt`).
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
    /// Closed-class words (lower case) and their one tag.
    closed: HashMap<String, Tag>,
    /// Punctuation marks and their tag.
    punctuation: HashMap<String, Tag>,
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

    /// Reads `word TAG` lines (one tag a word, each word once): the closed-class table
    /// (`lexicon/closed.txt`) or, with `punctuation`, the marks of
    /// `lexicon/punctuation.txt`.
    pub fn parse_fixed(
        &mut self,
        path: &str,
        text: &str,
        punctuation: bool,
    ) -> Result<(), Vec<DictError>> {
        let mut errs = Vec::new();
        let table = if punctuation {
            &mut self.punctuation
        } else {
            &mut self.closed
        };
        for (n, line) in content_lines(text) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let [word, tag] = f[..] else {
                errs.push(DictError::new(path, n, "expected `word TAG`"));
                continue;
            };
            let Some(tag) = Tag::parse(tag) else {
                errs.push(DictError::new(
                    path,
                    n,
                    format!("unknown tag {tag:?} for {word:?}"),
                ));
                continue;
            };
            if !punctuation && word.chars().any(char::is_uppercase) {
                errs.push(DictError::new(
                    path,
                    n,
                    format!("{word:?}: closed-class words are written in lower case"),
                ));
                continue;
            }
            if table.insert(word.to_string(), tag).is_some() {
                errs.push(DictError::new(path, n, format!("{word:?} is listed twice")));
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    /// The fixed tag of a closed-class word (lower case): "the" → DT, "'s" → POS.
    pub fn closed(&self, lower: &str) -> Option<Tag> {
        self.closed.get(lower).copied()
    }

    /// The tag `lexicon/punctuation.txt` gives a punctuation mark.
    pub fn punctuation(&self, mark: &str) -> Option<Tag> {
        self.punctuation.get(mark).copied()
    }

    /// Every closed-class word and its tag, for validation.
    pub fn closed_words(&self) -> impl Iterator<Item = (&str, Tag)> {
        self.closed.iter().map(|(w, t)| (w.as_str(), *t))
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
    fn closed_and_punctuation_tables() {
        let mut l = Lexicon::default();
        l.parse_fixed("c", "the DT\n'll MD # a clitic\n", false)
            .unwrap();
        assert_eq!(l.closed("the"), Some(Tag::DT));
        assert_eq!(l.closed("'ll"), Some(Tag::MD));
        l.parse_fixed("p", "; :\n“ ``\n", true).unwrap();
        assert_eq!(l.punctuation(";"), Some(Tag::COLON));
        assert_eq!(l.closed(";"), None);
        let e = Lexicon::default()
            .parse_fixed("c", "the DT\nthe DT\nThe DT\na DT NN\nof XX\n", false)
            .unwrap_err();
        let e: Vec<String> = e.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            e,
            [
                "c:2: \"the\" is listed twice",
                "c:3: \"The\": closed-class words are written in lower case",
                "c:4: expected `word TAG`",
                "c:5: unknown tag \"XX\" for \"of\""
            ]
        );
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
