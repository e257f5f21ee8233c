//! The English lexicon the tagger reads: each word's possible Penn Treebank tags (most
//! likely first), the lemma of each inflected form, the closed-class words whose tag is
//! fixed (`lexicon/closed.txt`) and the tags of punctuation marks
//! (`lexicon/punctuation.txt`).
//!
//! The embedded `words.txt` and `lemmas.txt` are compiled by the build script
//! ([`compile`], `build.rs`) into read-in-place tables ([`CompiledLexicon`]), so the
//! program parses none of their 150,000 lines at start-up; files given with
//! `--dictionaries DIR` are parsed as text into hash maps that take their place.
use crate::format::{content_lines, DictError};
use annalist_table::{Table, TableError, TableWriter};
use rustc_hash::FxHashMap;
use std::sync::Arc;

macro_rules! tags {
    ($($name:ident = $s:literal),* $(,)?) => {
        /// A Penn Treebank part-of-speech tag.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Tag { $($name),* }
        impl Tag {
            /// Every tag, in declaration order (`Tag::ALL[t as usize] == t`).
            pub const ALL: &'static [Tag] = &[$(Tag::$name),*];
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

impl LemmaPos {
    /// The letter of `lemmas.txt`: `V`, `N` or `A`.
    pub fn parse(s: &str) -> Option<LemmaPos> {
        match s {
            "V" => Some(LemmaPos::Verb),
            "N" => Some(LemmaPos::Noun),
            "A" => Some(LemmaPos::Adjective),
            _ => None,
        }
    }

    const ALL: [LemmaPos; 3] = [LemmaPos::Verb, LemmaPos::Noun, LemmaPos::Adjective];
}

/// The compiled forms of the embedded `words.txt` and `lemmas.txt` (see [`compile`]).
#[derive(Debug)]
pub struct CompiledLexicon {
    /// Word → index of its tag list in `tag_lists` (`u16`, little-endian).
    words: Table<'static>,
    /// The distinct tag lists of the words, most likely tag first.
    tag_lists: Vec<Vec<Tag>>,
    /// Form → lemma, one table per [`LemmaPos`] (verb, noun, adjective).
    lemmas: [Table<'static>; 3],
    /// The bytes of the word table and the lemma tables, for [`CompiledLexicon::check`].
    bytes: [&'static [u8]; 4],
}

/// The bytes of a compiled lexicon: the word table, the tag lists (`u16` count, then
/// per list a length byte and one byte per tag, [`Tag::ALL`] indices) and the three
/// lemma tables.
#[derive(Debug, Clone, Default)]
pub struct CompiledBytes {
    pub words: Vec<u8>,
    pub tag_lists: Vec<u8>,
    pub lemmas: [Vec<u8>; 3],
}

impl CompiledLexicon {
    /// Reads compiled tables (the build script's output): the tag lists are decoded and
    /// the tables' headers checked; their entries are trusted, as start-up must not walk
    /// 150,000 of them ([`CompiledLexicon::check`] does, in the tests).
    pub fn new(
        words: &'static [u8],
        tag_lists: &[u8],
        lemmas: [&'static [u8]; 3],
    ) -> Result<CompiledLexicon, TableError> {
        let bad = |m: &str| TableError(format!("lexicon tag lists: {m}"));
        let n = u16::from_le_bytes([
            *tag_lists.first().ok_or_else(|| bad("empty"))?,
            *tag_lists.get(1).ok_or_else(|| bad("truncated"))?,
        ]) as usize;
        let mut lists = Vec::with_capacity(n);
        let mut at = 2;
        for _ in 0..n {
            let len = *tag_lists.get(at).ok_or_else(|| bad("truncated"))? as usize;
            let list = tag_lists
                .get(at + 1..at + 1 + len)
                .ok_or_else(|| bad("truncated"))?
                .iter()
                .map(|&b| {
                    Tag::ALL
                        .get(b as usize)
                        .copied()
                        .ok_or_else(|| bad("bad tag"))
                })
                .collect::<Result<Vec<Tag>, _>>()?;
            lists.push(list);
            at += 1 + len;
        }
        Ok(CompiledLexicon {
            words: Table::trusted(words)?,
            tag_lists: lists,
            lemmas: [
                Table::trusted(lemmas[0])?,
                Table::trusted(lemmas[1])?,
                Table::trusted(lemmas[2])?,
            ],
            bytes: [words, lemmas[0], lemmas[1], lemmas[2]],
        })
    }

    /// Checks what [`CompiledLexicon::new`] trusts: every table entry in bounds, every
    /// word's value an index of a tag list, every lemma UTF-8.
    pub fn check(&self) -> Result<(), TableError> {
        for b in self.bytes {
            Table::new(b)?;
        }
        for (w, v) in self.words.iter() {
            if v.len() != 2 || u16::from_le_bytes([v[0], v[1]]) as usize >= self.tag_lists.len() {
                return Err(TableError(format!(
                    "lexicon: word {:?}: bad tag list",
                    String::from_utf8_lossy(w)
                )));
            }
        }
        for t in &self.lemmas {
            for (f, l) in t.iter() {
                if std::str::from_utf8(f).is_err() || std::str::from_utf8(l).is_err() {
                    return Err(TableError(format!(
                        "lexicon: lemma of {:?} is not UTF-8",
                        String::from_utf8_lossy(f)
                    )));
                }
            }
        }
        Ok(())
    }

    #[inline]
    fn tags(&self, word: &str) -> Option<&[Tag]> {
        let v = self.words.get(word.as_bytes())?;
        Some(&self.tag_lists[u16::from_le_bytes([v[0], v[1]]) as usize])
    }

    #[inline]
    fn lemma(&self, form: &str, pos: LemmaPos) -> Option<&'static str> {
        std::str::from_utf8(self.lemmas[pos as usize].get(form.as_bytes())?).ok()
    }
}

/// Compiles `words.txt` and `lemmas.txt` (with the meaning [`Lexicon::parse_words`] and
/// [`Lexicon::parse_lemmas`] give them) into the tables of a [`CompiledLexicon`]. The
/// build script runs it on the embedded files.
pub fn compile(words: &str, lemmas: &str) -> Result<CompiledBytes, Vec<DictError>> {
    let mut lex = Lexicon::default();
    let mut errs = Vec::new();
    if let Err(e) = lex.parse_words("lexicon/words.txt", words) {
        errs.extend(e);
    }
    if let Err(e) = lex.parse_lemmas("lexicon/lemmas.txt", lemmas) {
        errs.extend(e);
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    // Entries in file order (the maps' own order is arbitrary), so that the bytes are
    // the same on every build.
    let mut lists: Vec<Vec<Tag>> = Vec::new();
    let mut list_index: FxHashMap<Vec<Tag>, u16> = FxHashMap::default();
    let mut w = TableWriter::new();
    for (_, line) in content_lines(words) {
        let word = line.split_whitespace().next().unwrap_or("");
        let tags = &lex.words[word];
        let i = *list_index.entry(tags.clone()).or_insert_with(|| {
            lists.push(tags.clone());
            (lists.len() - 1) as u16
        });
        w.insert(word.as_bytes(), &i.to_le_bytes());
    }
    let mut out = CompiledBytes {
        words: w.finish(),
        ..Default::default()
    };
    out.tag_lists
        .extend_from_slice(&(lists.len() as u16).to_le_bytes());
    for l in &lists {
        out.tag_lists.push(l.len() as u8);
        out.tag_lists.extend(l.iter().map(|&t| t as u8));
    }
    let mut tables = [TableWriter::new(), TableWriter::new(), TableWriter::new()];
    for (_, line) in content_lines(lemmas) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let pos = LemmaPos::parse(f[2]).expect("checked by parse_lemmas");
        tables[pos as usize].insert(f[0].as_bytes(), lex.lemmas[pos as usize][f[0]].as_bytes());
    }
    out.lemmas = tables.map(|t| t.finish());
    Ok(out)
}

/// Word → tags and form → lemma tables: the compiled embedded tables, under the
/// entries parsed from text or inserted, which take precedence.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// The compiled `words.txt`, unless a `words.txt` was parsed instead.
    compiled_words: Option<Arc<CompiledLexicon>>,
    /// The compiled `lemmas.txt`, unless a `lemmas.txt` was parsed instead.
    compiled_lemmas: Option<Arc<CompiledLexicon>>,
    words: FxHashMap<String, Vec<Tag>>,
    /// Form → lemma, per [`LemmaPos`].
    lemmas: [FxHashMap<String, String>; 3],
    /// Closed-class words (lower case) and their one tag.
    closed: FxHashMap<String, Tag>,
    /// Punctuation marks and their tag.
    punctuation: FxHashMap<String, Tag>,
}

impl Lexicon {
    /// Reads `word TAG [TAG…]` lines; later lines for the same word replace earlier ones
    /// (so the `# corrections` section of words.txt wins).
    pub fn parse_words(&mut self, path: &str, text: &str) -> Result<(), Vec<DictError>> {
        self.compiled_words = None;
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
        self.compiled_lemmas = None;
        let mut errs = Vec::new();
        for (n, line) in content_lines(text) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let pos = match f.get(2).and_then(|p| LemmaPos::parse(p)) {
                Some(p) => p,
                None => {
                    errs.push(DictError::new(path, n, "expected `form lemma V|N|A`"));
                    continue;
                }
            };
            if f.len() != 3 {
                errs.push(DictError::new(path, n, "expected `form lemma V|N|A`"));
                continue;
            }
            self.lemmas[pos as usize].insert(f[0].to_string(), f[1].to_string());
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

    /// Uses the compiled tables of the embedded `words.txt` and `lemmas.txt` (as
    /// [`Lexicon::parse_words`] and [`Lexicon::parse_lemmas`] of those files would).
    pub fn use_compiled(&mut self, c: Arc<CompiledLexicon>) {
        self.compiled_words = Some(c.clone());
        self.compiled_lemmas = Some(c);
    }

    /// The tags of `word` as written.
    #[inline]
    pub fn tags(&self, word: &str) -> Option<&[Tag]> {
        if !self.words.is_empty() {
            if let Some(v) = self.words.get(word) {
                return Some(v.as_slice());
            }
        }
        self.compiled_words.as_ref()?.tags(word)
    }

    /// The lemma of a lower-case form for a part of speech, if it is inflected.
    #[inline]
    pub fn lemma(&self, form: &str, pos: LemmaPos) -> Option<&str> {
        let own = &self.lemmas[pos as usize];
        if !own.is_empty() {
            if let Some(l) = own.get(form) {
                return Some(l.as_str());
            }
        }
        self.compiled_lemmas.as_ref()?.lemma(form, pos)
    }

    /// Adds or replaces a word's tags (used by tests and by run-time additions).
    pub fn insert_word(&mut self, word: &str, tags: Vec<Tag>) {
        self.words.insert(word.to_string(), tags);
    }

    pub fn insert_lemma(&mut self, form: &str, lemma: &str, pos: LemmaPos) {
        self.lemmas[pos as usize].insert(form.to_string(), lemma.to_string());
    }

    /// Number of words with tags.
    pub fn len(&self) -> usize {
        self.words.len() + self.compiled_only_words().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The compiled words that no parsed or inserted entry replaces.
    fn compiled_only_words(&self) -> impl Iterator<Item = (&str, &[Tag])> {
        self.compiled_words.iter().flat_map(move |c| {
            c.words.iter().filter_map(move |(w, v)| {
                let w = std::str::from_utf8(w).ok()?;
                (!self.words.contains_key(w))
                    .then(|| &c.tag_lists[u16::from_le_bytes([v[0], v[1]]) as usize][..])
                    .map(|t| (w, t))
            })
        })
    }

    /// Every (word, tags) pair, for validation.
    pub fn words(&self) -> impl Iterator<Item = (&str, &[Tag])> {
        self.words
            .iter()
            .map(|(w, t)| (w.as_str(), t.as_slice()))
            .chain(self.compiled_only_words())
    }

    /// Every ((form, pos), lemma) pair, for validation.
    pub fn lemmas(&self) -> impl Iterator<Item = (&str, LemmaPos, &str)> {
        let own = LemmaPos::ALL.into_iter().flat_map(move |p| {
            self.lemmas[p as usize]
                .iter()
                .map(move |(f, l)| (f.as_str(), p, l.as_str()))
        });
        let compiled = self.compiled_lemmas.iter().flat_map(move |c| {
            LemmaPos::ALL.into_iter().flat_map(move |p| {
                c.lemmas[p as usize].iter().filter_map(move |(f, l)| {
                    let f = std::str::from_utf8(f).ok()?;
                    let l = std::str::from_utf8(l).ok()?;
                    (!self.lemmas[p as usize].contains_key(f)).then_some((f, p, l))
                })
            })
        });
        own.chain(compiled)
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

    /// A compiled lexicon from text (the tables leaked: tests only).
    fn compiled(words: &str, lemmas: &str) -> Lexicon {
        let c = compile(words, lemmas).unwrap();
        let leak = |v: Vec<u8>| -> &'static [u8] { Box::leak(v.into_boxed_slice()) };
        let [v, n, a] = c.lemmas;
        let mut l = Lexicon::default();
        l.use_compiled(Arc::new(
            CompiledLexicon::new(leak(c.words), &c.tag_lists, [leak(v), leak(n), leak(a)]).unwrap(),
        ));
        l
    }

    #[test]
    fn compiled_tables_keep_the_last_line_and_yield_to_inserted_entries() {
        let mut l = compiled(
            "attacks NNS VBZ\nfought VBD VBN\n# corrections\nattacks VBZ NNS\n",
            "fought fight V\nattacks attack N\nattacks attack V\n",
        );
        assert_eq!(l.tags("attacks"), Some(&[Tag::VBZ, Tag::NNS][..]));
        assert_eq!(l.tags("fought"), Some(&[Tag::VBD, Tag::VBN][..]));
        assert_eq!(l.tags("Attacks"), None);
        assert_eq!(l.lemma("fought", LemmaPos::Verb), Some("fight"));
        assert_eq!(l.lemma("fought", LemmaPos::Noun), None);
        assert_eq!(l.lemma("attacks", LemmaPos::Noun), Some("attack"));
        assert_eq!(l.len(), 2);
        l.insert_word("fought", vec![Tag::VBN]);
        l.insert_lemma("fought", "fighted", LemmaPos::Verb);
        assert_eq!(l.tags("fought"), Some(&[Tag::VBN][..]));
        assert_eq!(l.lemma("fought", LemmaPos::Verb), Some("fighted"));
        assert_eq!(l.len(), 2);
        assert_eq!(l.lemmas().count(), 3);
        // Parsing a words file replaces the compiled words (as a directory's file does).
        l.parse_words("w", "strikes NNS\n").unwrap();
        assert_eq!(l.tags("attacks"), None);
        assert_eq!(l.tags("strikes"), Some(&[Tag::NNS][..]));
        assert!(compile("foo XX\n", "").is_err());
    }

    #[test]
    fn the_check_finds_what_reading_trusts() {
        let c = compile("attacks NNS VBZ\n", "fought fight V\n").unwrap();
        let leak = |v: Vec<u8>| -> &'static [u8] { Box::leak(v.into_boxed_slice()) };
        let [v, n, a] = c.lemmas;
        let (v, n, a) = (leak(v), leak(n), leak(a));
        let words = leak(c.words);
        assert!(CompiledLexicon::new(words, &c.tag_lists, [v, n, a])
            .unwrap()
            .check()
            .is_ok());
        // No tag lists: the word's list is missing, which only the check sees.
        let e = CompiledLexicon::new(words, &[0, 0], [v, n, a])
            .unwrap()
            .check()
            .unwrap_err();
        assert!(e.to_string().contains("\"attacks\": bad tag list"), "{e}");
        // A cut word table: its header is fine, an entry is not.
        let cut = &words[..words.len() - 1];
        let c = CompiledLexicon::new(cut, &c.tag_lists, [v, n, a]).unwrap();
        assert!(c.check().is_err());
    }

    #[test]
    fn the_compiled_embedded_lexicon_says_what_its_text_says() {
        let text = |p| crate::DictSource::embedded_file(p).unwrap();
        let mut parsed = Lexicon::default();
        parsed
            .parse_words("lexicon/words.txt", text("lexicon/words.txt"))
            .unwrap();
        parsed
            .parse_lemmas("lexicon/lemmas.txt", text("lexicon/lemmas.txt"))
            .unwrap();
        let mut compiled = Lexicon::default();
        let tables = crate::DictSource::compiled_lexicon();
        tables.check().unwrap();
        compiled.use_compiled(tables);
        assert_eq!(compiled.len(), parsed.len());
        for (w, tags) in parsed.words() {
            assert_eq!(compiled.tags(w), Some(tags), "{w}");
        }
        assert_eq!(compiled.lemmas().count(), parsed.lemmas().count());
        for (f, p, l) in parsed.lemmas() {
            assert_eq!(compiled.lemma(f, p), Some(l), "{f} {p:?}");
        }
    }
}
