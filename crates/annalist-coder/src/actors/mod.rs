//! Stage 5: actor recognition. Input: tagged tokens and the dictionaries; output: actor
//! mentions (longest match of dictionary phrases over tokens, through an index on each
//! phrase's first word) and, per noun phrase, the actor it denotes: the named mention
//! nearest the head, given a sector by an agent word in the phrase ("Ukrainian drones"
//! → UKR MIL), by a person's role on the document date, or by the seat it names ("the
//! Pentagon" → USA MIL).
use annalist_dict::{Dictionaries, Lexicon, Person, Sector, Tag, WordClass, WordClasses};

mod places;
mod resolve;
use annalist_geo::{Gazetteer, PlaceId};
use annalist_text::{tokenize, TaggedToken};
use rustc_hash::{FxHashMap, FxHashSet};

/// A span `[start, end)` of the matcher's packed phrase words, of their text or of its
/// candidate order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    #[inline]
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    fn len(self) -> usize {
        (self.end - self.start) as usize
    }
}

/// How a phrase word must be capitalised in text to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Any,
    Capital,
    /// As written (an acronym), curly apostrophes straight: this text of the words.
    Exact(Span),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PhraseWord {
    /// Lower case, curly apostrophes straight.
    lower: Span,
    case: Case,
}

/// The words of every phrase of a matcher, packed into one vector and their text into
/// one string, so that compiling 9,000 phrases allocates a handful of times, not once a
/// word.
#[derive(Debug, Clone, Default)]
struct PhraseWords {
    text: String,
    words: Vec<PhraseWord>,
}

impl PhraseWords {
    fn str(&self, s: Span) -> &str {
        &self.text[s.range()]
    }

    /// Does the text at `s` read `word`? (Bytes: the spans lie on character boundaries.)
    #[inline]
    fn reads(&self, s: Span, word: &str) -> bool {
        &self.text.as_bytes()[s.range()] == word.as_bytes()
    }

    /// The words of a phrase (the span [`PhraseWords::add`] returned).
    #[inline]
    fn of(&self, phrase: Span) -> &[PhraseWord] {
        &self.words[phrase.range()]
    }

    fn push_text(&mut self, s: &str) -> Span {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        Span {
            start,
            end: self.text.len() as u32,
        }
    }

    /// Adds the words of `phrase` as the tokenizer splits text, so that they meet its
    /// tokens; returns their span.
    fn add(&mut self, phrase: &str) -> Span {
        match plain_words(phrase) {
            Some(words) => self.add_words(words),
            None => self.add_words(
                tokenize(phrase, 0, phrase.len())
                    .iter()
                    .map(|t| t.text(phrase)),
            ),
        }
    }

    fn add_words<'a>(&mut self, words: impl Iterator<Item = &'a str>) -> Span {
        let start = self.words.len() as u32;
        for w in words {
            let word = self.word(w);
            self.words.push(word);
        }
        Span {
            start,
            end: self.words.len() as u32,
        }
    }

    /// One word: its lower case and the case it asks of text: exact for an acronym (two
    /// or more letters, all capitals), capitalised for a capitalised word, any otherwise.
    fn word(&mut self, w: &str) -> PhraseWord {
        let ascii = w.is_ascii();
        let lower = if ascii {
            let span = self.push_text(w);
            self.text[span.range()].make_ascii_lowercase();
            span
        } else {
            self.push_text(&w.to_lowercase().replace('’', "'"))
        };
        let (letters, capitals, initial) = if ascii {
            let (mut letters, mut capitals) = (0, 0);
            for &c in w.as_bytes() {
                letters += usize::from(c.is_ascii_alphabetic());
                capitals += usize::from(c.is_ascii_uppercase());
            }
            (
                letters,
                capitals,
                w.as_bytes().first().is_some_and(u8::is_ascii_uppercase),
            )
        } else {
            let letters = w.chars().filter(|c| c.is_alphabetic());
            (
                letters.clone().count(),
                letters.filter(|c| c.is_uppercase()).count(),
                w.chars().next().is_some_and(char::is_uppercase),
            )
        };
        let case = if letters >= 2 && capitals == letters {
            Case::Exact(if ascii {
                self.push_text(w)
            } else {
                self.push_text(&w.replace('’', "'"))
            })
        } else if initial {
            Case::Capital
        } else {
            Case::Any
        };
        PhraseWord { lower, case }
    }
}

/// What a dictionary phrase refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActorRef {
    Country {
        code: String,
        sector: Option<Sector>,
    },
    /// A country adjective or demonym ("Ukrainian", "Iraqis").
    Adjective {
        code: String,
    },
    Region {
        code: String,
    },
    Organisation {
        code: String,
        org: String,
        sector: Option<Sector>,
    },
    Group {
        code: String,
        sector: Sector,
    },
    Person(usize),
    Agent {
        sector: Sector,
    },
}

/// A dictionary entry compiled for matching.
#[derive(Debug, Clone)]
pub struct ActorEntry {
    /// Its words in the matcher's [`PhraseWords`].
    words: Span,
    pub target: ActorRef,
    /// `path:line` of the entry (shared by the phrases of one dictionary line).
    pub origin: std::sync::Arc<str>,
    pub phrase: String,
    /// `origin "phrase"`, as evidence names the entry: written the first time it is
    /// asked for.
    label: std::sync::OnceLock<String>,
}

impl ActorEntry {
    /// The entry as evidence names it: its origin and its phrase, quoted
    /// (`countries.txt:12 "Kenya"`).
    pub fn label(&self) -> &str {
        self.label
            .get_or_init(|| format!("{} {:?}", self.origin, self.phrase))
    }
}

/// `path:line`, written without the formatting machinery (4,000 of them at start-up).
fn origin_text(o: &annalist_dict::format::Origin) -> std::sync::Arc<str> {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = o.line;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut s = String::with_capacity(o.path.len() + 1 + digits.len() - at);
    s.push_str(&o.path);
    s.push(':');
    s.extend(digits[at..].iter().map(|&d| d as char));
    s.into()
}

/// A phrase found in a sentence: tokens `[start, end)`: a dictionary entry, or a
/// place of the gazetteer (`place`; `entry` is then unused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub entry: usize,
    pub place: Option<PlaceId>,
}

/// A resolved actor: codes and the words that named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub code: Option<String>,
    pub org: Option<String>,
    pub sector: Option<Sector>,
    /// Byte span in the document.
    pub start: usize,
    pub end: usize,
    /// Entry origins and rules that produced it (for evidence and `explain`).
    pub entry: String,
    /// Singular/plural and person: used by coreference ("it" vs "they").
    pub plural: bool,
    pub person: bool,
    /// One person named by office ("the Kenyan president", class PERSON_NOUN): "he" or
    /// "she" may refer to it, though it is no named person (who is never a place).
    pub office: bool,
    /// The actor only modifies a phrase whose head is a thing ("a UN resolution",
    /// "Israeli positions"): it may be a target, never a source.
    pub modifier: bool,
    /// Named as a possessor ("Russia's demands").
    pub possessor: bool,
    /// Placed abroad by a modifier of its phrase ("foreign troops", class
    /// FOREIGN_MODIFIER): never given the country of its clause or sentence.
    pub foreign: bool,
    /// The gazetteer place its words name ("Kharkiv"), if a town or region.
    pub place: Option<PlaceId>,
}

/// Actor codes of organisation classes: they name no country and no place.
pub const ORG_CLASSES: &[&str] = annalist_dict::actors::ORG_CODES;

impl Actor {
    /// The actor's country code: its code unless that is an organisation class.
    pub fn country(&self) -> Option<&str> {
        self.code
            .as_deref()
            .filter(|c| self.org.is_none() && !ORG_CLASSES.contains(c))
    }

    /// Named as an embassy or consulate (by its entry): a foreign mission, which is no
    /// place of its host and holds another state's people.
    pub fn is_mission(&self) -> bool {
        self.entry.contains("embassy") || self.entry.contains("consulate")
    }

    /// Gives an actor known only by its sector the country `code`, noting why in its
    /// entry (`how` and the entry it came `from`).
    pub fn localize(&mut self, code: &str, how: &str, from: &str) {
        if self.foreign {
            return;
        }
        self.code = Some(code.to_string());
        self.entry = format!("{}; {how} {from} (localized)", self.entry);
    }

    /// CAMEO-style actor code: code + org (IGOUNO) or code + sector (RUSGOV).
    pub fn cameo_actor(&self) -> String {
        let code = self.code.clone().unwrap_or_else(|| "---".into());
        match (&self.org, &self.sector) {
            (Some(o), _) => format!("{code}{o}"),
            (None, Some(s)) if s.as_str() != code => format!("{code}{s}"),
            _ => code,
        }
    }
}

/// The compiled actor dictionaries.
pub struct ActorMatcher {
    entries: Vec<ActorEntry>,
    /// The words of the entries.
    words_of: PhraseWords,
    /// First word → the span of `order` holding the entries that start with it, longest
    /// first, named actors before agents of the same length, then in dictionary order.
    index: FxHashMap<Box<str>, Span>,
    /// Entry numbers with their words, grouped by first word (see `index`): the words
    /// are read beside the number, so that trying a candidate touches no entry.
    order: Vec<(u32, Span)>,
    people: Vec<Person>,
    /// Heads after which a national adjective names no actor (class NOT_ACTOR).
    not_actor: FxHashSet<String>,
    /// Towns and regions named in text are actors of their country (see `find_places`).
    places: Option<std::sync::Arc<Gazetteer>>,
    /// The tagger's lexicon, which tells common words (see [`ActorMatcher::is_common`]):
    /// a town named like one ("Police", "Split") is only taken after a place preposition.
    lexicon: Lexicon,
    /// Word classes: prepositions before a town (NAME_PLACE_PREP), holder compounds
    /// (HOLDER_SUFFIX, "Russian-held"), descriptive compounds (COMPOUND_TAIL).
    words: WordClasses,
    /// One-word names and adjectives of countries of [`MISSPELT_MIN`] letters or more,
    /// lower case, by first letter (`a`..`z`), for [`ActorMatcher::misspelt_country`].
    country_words: Vec<Vec<(Box<str>, u32)>>,
    /// Every holder suffix ("-held", "-led") has a hyphen: a word without one is no
    /// holder compound, and most words need not be tried against each suffix.
    holder_suffixes_hyphenated: bool,
}

/// The shortest word read as a misspelt country name: below it one edit turns too many
/// names into others.
const MISSPELT_MIN: usize = 6;

/// Are `a` and `b` one edit apart: one letter inserted, deleted, replaced, or two
/// neighbours swapped ("Ethopia", "Phillippines", "Columbian", "Isreal")?
fn one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let p = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    match long.len() - short.len() {
        0 if p == short.len() => false,
        0 => {
            short[p + 1..] == long[p + 1..]
                || (p + 1 < short.len()
                    && short[p] == long[p + 1]
                    && short[p + 1] == long[p]
                    && short[p + 2..] == long[p + 2..])
        }
        1 => short[p..] == long[p + 1..],
        _ => false,
    }
}

/// See [`ActorMatcher::country_words`].
fn country_words(entries: &[ActorEntry], words_of: &PhraseWords) -> Vec<Vec<(Box<str>, u32)>> {
    let mut out = vec![Vec::new(); 26];
    for (i, e) in entries.iter().enumerate() {
        let words = words_of.of(e.words);
        let w = words_of.str(words[0].lower);
        if words.len() == 1
            && matches!(
                e.target,
                ActorRef::Country { .. } | ActorRef::Adjective { .. }
            )
            && w.len() >= MISSPELT_MIN
            && w.bytes().all(|c| c.is_ascii_lowercase())
        {
            out[(w.as_bytes()[0] - b'a') as usize].push((Box::from(w), i as u32));
        }
    }
    out
}

/// The sector of a dictionary's sector code (validated when the dictionaries load; an
/// unknown code, possible only in unvalidated test data, reads as GOV).
fn sector_of(code: &str) -> Sector {
    Sector::parse(code).unwrap_or(Sector::Gov)
}

/// The words of a phrase of ASCII letters, single spaces and hyphens between letters
/// ("Jimmy Carter", "al-Qaeda"), which the tokenizer splits at the spaces and nowhere
/// else (a hyphen followed by a letter continues a word; a test checks every dictionary
/// phrase): most phrases, compiled without running the tokenizer.
fn plain_words(phrase: &str) -> Option<std::str::Split<'_, char>> {
    let b = phrase.as_bytes();
    let letter = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphabetic);
    let plain = !b.is_empty()
        && letter(0)
        && letter(b.len() - 1)
        && (0..b.len()).all(|i| match b[i] {
            b' ' | b'-' => letter(i - 1) && letter(i + 1),
            c => c.is_ascii_alphabetic(),
        });
    plain.then(|| phrase.split(' '))
}

/// The entries being compiled, their words, and the origin of the last one (line, length
/// of the path, text), which the other phrases of its line share.
struct EntryCompiler {
    entries: Vec<ActorEntry>,
    words: PhraseWords,
    last: Option<(usize, usize, std::sync::Arc<str>)>,
}

impl EntryCompiler {
    /// Sized once for the phrases of `d`: growing by doubling would copy and touch twice
    /// the memory.
    fn sized_for(d: &Dictionaries) -> EntryCompiler {
        let phrases: Vec<&String> = d
            .countries
            .iter()
            .chain(&d.regions)
            .flat_map(|c| {
                c.names
                    .iter()
                    .chain(&c.adjectives)
                    .chain(c.seats.iter().map(|s| &s.phrase))
            })
            .chain(d.organisations.iter().flat_map(|g| &g.names))
            .chain(d.groups.iter().flat_map(|g| &g.names))
            .chain(d.people.iter().flat_map(|p| &p.names))
            .chain(d.agents.iter().map(|a| &a.phrase))
            .collect();
        EntryCompiler {
            entries: Vec::with_capacity(phrases.len()),
            words: PhraseWords {
                text: String::with_capacity(2 * phrases.iter().map(|p| p.len()).sum::<usize>()),
                words: Vec::with_capacity(3 * phrases.len()),
            },
            last: None,
        }
    }

    /// Adds `phrase` (if it has words) naming `target`, read at `origin`.
    fn add(&mut self, phrase: &str, target: ActorRef, origin: &annalist_dict::format::Origin) {
        let span = self.words.add(phrase);
        if span.len() == 0 {
            return;
        }
        let text = match &self.last {
            Some((line, path_len, text))
                if *line == origin.line
                    && *path_len == origin.path.len()
                    && text.starts_with(origin.path.as_str()) =>
            {
                text.clone()
            }
            _ => {
                let text = origin_text(origin);
                self.last = Some((origin.line, origin.path.len(), text.clone()));
                text
            }
        };
        self.entries.push(ActorEntry {
            words: span,
            target,
            origin: text,
            phrase: phrase.to_string(),
            label: std::sync::OnceLock::new(),
        });
    }
}

/// Every phrase of the actor dictionaries, compiled for matching: countries (names,
/// adjectives, seats), regions, organisations, groups, people, agents.
fn compile_entries(d: &Dictionaries) -> (Vec<ActorEntry>, PhraseWords) {
    let mut c = EntryCompiler::sized_for(d);
    let mut add = |phrase: &str, target: ActorRef, origin: &annalist_dict::format::Origin| {
        c.add(phrase, target, origin)
    };
    for c in &d.countries {
        let o = &c.origin;
        for n in &c.names {
            add(
                n,
                ActorRef::Country {
                    code: c.code.clone(),
                    sector: None,
                },
                o,
            );
        }
        for a in &c.adjectives {
            add(
                a,
                ActorRef::Adjective {
                    code: c.code.clone(),
                },
                o,
            );
        }
        for s in &c.seats {
            add(
                &s.phrase,
                ActorRef::Country {
                    code: c.code.clone(),
                    sector: Some(sector_of(&s.sector)),
                },
                o,
            );
        }
    }
    for r in &d.regions {
        let o = &r.origin;
        for n in r.names.iter().chain(&r.adjectives) {
            add(
                n,
                ActorRef::Region {
                    code: r.code.clone(),
                },
                o,
            );
        }
        for s in &r.seats {
            add(
                &s.phrase,
                ActorRef::Region {
                    code: r.code.clone(),
                },
                o,
            );
        }
    }
    for g in &d.organisations {
        let o = &g.origin;
        for n in &g.names {
            add(
                n,
                ActorRef::Organisation {
                    code: g.code.clone(),
                    org: g.org.clone(),
                    sector: g.sector.as_deref().map(sector_of),
                },
                o,
            );
        }
    }
    for g in &d.groups {
        let o = &g.origin;
        for n in &g.names {
            add(
                n,
                ActorRef::Group {
                    code: g.code.clone(),
                    sector: sector_of(&g.sector),
                },
                o,
            );
        }
    }
    for (i, p) in d.people.iter().enumerate() {
        for n in &p.names {
            add(n, ActorRef::Person(i), &p.origin);
        }
    }
    for a in &d.agents {
        add(
            &a.phrase,
            ActorRef::Agent {
                sector: sector_of(&a.sector),
            },
            &a.origin,
        );
    }
    (c.entries, c.words)
}

impl ActorMatcher {
    pub fn new(d: &Dictionaries) -> ActorMatcher {
        let (entries, words_of) = compile_entries(d);
        // Each entry's first word, numbered in order of first appearance.
        let mut first: FxHashMap<&str, u32> = FxHashMap::default();
        let mut keys = Vec::new();
        let group: Vec<u32> = entries
            .iter()
            .map(|e| {
                let w = words_of.str(words_of.of(e.words)[0].lower);
                *first.entry(w).or_insert_with(|| {
                    keys.push(w);
                    keys.len() as u32 - 1
                })
            })
            .collect();
        // The entries grouped by first word, in dictionary order within a group.
        let mut ends = vec![0u32; keys.len()];
        for &g in &group {
            ends[g as usize] += 1;
        }
        let mut at = 0;
        for n in ends.iter_mut() {
            at += *n;
            *n = at;
        }
        let mut next: Vec<u32> = std::iter::once(0)
            .chain(ends.iter().copied())
            .take(keys.len())
            .collect();
        let mut order = vec![0u32; entries.len()];
        for (i, &g) in group.iter().enumerate() {
            order[next[g as usize] as usize] = i as u32;
            next[g as usize] += 1;
        }
        let mut index = FxHashMap::default();
        index.reserve(keys.len());
        let mut start = 0;
        for (key, end) in keys.iter().zip(ends) {
            let span = Span { start, end };
            // Longest first; named actors before agents of the same length (stable).
            order[span.range()].sort_by_key(|&i| {
                let e = &entries[i as usize];
                (
                    std::cmp::Reverse(e.words.len()),
                    matches!(e.target, ActorRef::Agent { .. }),
                )
            });
            index.insert(Box::from(*key), span);
            start = end;
        }
        let order = order
            .iter()
            .map(|&e| (e, entries[e as usize].words))
            .collect();
        ActorMatcher {
            index,
            order,
            people: d.people.clone(),
            not_actor: d
                .nouns
                .iter()
                .filter(|c| c.name == "NOT_ACTOR")
                .flat_map(|c| c.nouns.iter().cloned())
                .collect(),
            places: None,
            lexicon: Lexicon::default(),
            words: d.classes.clone(),
            holder_suffixes_hyphenated: d
                .classes
                .members(WordClass::HolderSuffix)
                .iter()
                .all(|s| s.contains('-')),
            country_words: country_words(&entries, &words_of),
            entries,
            words_of,
        }
    }

    /// A capitalised word of [`MISSPELT_MIN`] letters or more that no dictionary,
    /// the lexicon or the gazetteer knows, one edit from names of exactly one country:
    /// that country's entry (wire copy misspells names, "Ethopia has agreed …").
    fn misspelt_country(&self, doc: &str, t: &TaggedToken) -> Option<usize> {
        let w = t.lower.as_bytes();
        if !t.capitalised
            || w.len() < MISSPELT_MIN
            || !w.iter().all(u8::is_ascii_lowercase)
            || self.known_word(doc, t)
            || self
                .places
                .as_deref()
                .is_some_and(|g| !g.candidates_by_key(&t.lower).is_empty())
        {
            return None;
        }
        let mut near = self.country_words[(w[0] - b'a') as usize]
            .iter()
            .filter(|(name, _)| one_edit(name.as_bytes(), w))
            .map(|&(_, e)| e as usize);
        let first = near.next()?;
        let code = |e: usize| match &self.entries[e].target {
            ActorRef::Country { code, .. } | ActorRef::Adjective { code } => code.as_str(),
            _ => "",
        };
        near.all(|e| code(e) == code(first)).then_some(first)
    }

    /// Recognise the towns and regions of `g` as actors of their country. `lex` tells
    /// which of their one-word names are also common words.
    pub fn with_places(mut self, g: std::sync::Arc<Gazetteer>, lex: &Lexicon) -> ActorMatcher {
        self.lexicon = lex.clone();
        self.places = Some(g);
        self
    }

    /// Is `w` (lower case) a common word that names a place: a lower-case ASCII word the
    /// gazetteer knows and the lexicon tags other than as a proper noun ("split",
    /// "police")? Asked of the place names found, instead of listing every such word at
    /// start-up.
    fn is_common(&self, w: &str) -> bool {
        w.bytes().all(|c| c.is_ascii_lowercase())
            && self
                .places
                .as_deref()
                .is_some_and(|g| !g.candidates_by_key(w).is_empty())
            && self
                .lexicon
                .tags(w)
                .is_some_and(|tags| tags.iter().any(|t| !matches!(t, Tag::NNP | Tag::NNPS)))
    }

    /// Does the lexicon know the word `t`, as written or in lower case ("Germain",
    /// "Hannah" are names it lists)?
    pub(crate) fn known_word(&self, doc: &str, t: &TaggedToken) -> bool {
        self.lexicon.tags(&t.lower).is_some() || self.lexicon.tags(t.token.text(doc)).is_some()
    }

    /// The gazetteer in use, if any.
    pub fn places(&self) -> Option<&Gazetteer> {
        self.places.as_deref()
    }

    /// Origin and phrase of a mention, for `explain`.
    pub fn describe(&self, m: &Mention) -> (String, String, String) {
        match (m.place, self.places.as_deref()) {
            (Some(id), Some(g)) => {
                let p = g.place(id);
                (
                    format!("gazetteer/places.tsv {} {}", p.kind, p.id),
                    p.name.clone(),
                    format!("Place {{ code: {:?}, kind: {} }}", p.country, p.kind),
                )
            }
            _ => {
                let e = &self.entries[m.entry];
                (
                    e.origin.to_string(),
                    e.phrase.clone(),
                    format!("{:?}", e.target),
                )
            }
        }
    }

    fn is_agent_mention(&self, m: &Mention) -> bool {
        m.place.is_none() && matches!(self.entries[m.entry].target, ActorRef::Agent { .. })
    }
    pub fn entry(&self, i: usize) -> &ActorEntry {
        &self.entries[i]
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    #[inline]
    fn word_matches(&self, w: &PhraseWord, t: &TaggedToken, doc: &str) -> bool {
        self.words_of.reads(w.lower, &t.lower) && self.case_matches(w.case, t, doc)
    }

    #[inline]
    fn case_matches(&self, case: Case, t: &TaggedToken, doc: &str) -> bool {
        match case {
            Case::Any => true,
            Case::Capital => t.capitalised,
            Case::Exact(s) => self.words_of.reads(s, &t.token.text(doc).replace('’', "'")),
        }
    }

    /// The entries whose first word is `lower`, in the order they are tried.
    #[inline]
    fn candidates(&self, lower: &str) -> Option<&[(u32, Span)]> {
        self.index.get(lower).map(|s| &self.order[s.range()])
    }

    /// Longest-match mentions in a sentence, left to right, non-overlapping.
    /// The longest dictionary phrase starting at token `i` (entries are sorted longest
    /// first in the index).
    fn phrase_at(&self, doc: &str, toks: &[TaggedToken], i: usize) -> Option<(usize, usize)> {
        let cands = self.candidates(&toks[i].lower)?;
        let (first, rest) = toks[i..].split_first()?;
        // Every candidate's first word is the token's lower case (the index's key): of
        // that word only the case is left to check.
        cands.iter().find_map(|&(e, words)| {
            let words = self.words_of.of(words);
            (words.len() <= 1 + rest.len()
                && self.case_matches(words[0].case, first, doc)
                && words[1..]
                    .iter()
                    .zip(rest)
                    .all(|(w, t)| self.word_matches(w, t, doc)))
            .then_some((e as usize, words.len()))
        })
    }

    pub fn find_mentions(&self, doc: &str, toks: &[TaggedToken]) -> Vec<Mention> {
        self.find_mentions_near(doc, toks, &[])
    }

    /// [`ActorMatcher::find_mentions`], with the places the document named before
    /// (`nearby`) to decide between towns of one name.
    pub fn find_mentions_near(
        &self,
        doc: &str,
        toks: &[TaggedToken],
        nearby: &[PlaceId],
    ) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let mut found = self.phrase_at(doc, toks, i);
            // "the West Bank": a phrase starting inside this one that reaches further
            // wins ("West Bank" over "the West").
            if let Some((_, len)) = found {
                if (i + 1..i + len).any(|j| {
                    self.phrase_at(doc, toks, j)
                        .is_some_and(|(_, l2)| j + l2 > i + len)
                }) {
                    found = None;
                }
            }
            // "Saudi-led coalition", "French-led troops": the leader is the actor;
            // "Russian-held Melitopol": the holder is (see `resolve_phrase`).
            let maybe_holder = !self.holder_suffixes_hyphenated || toks[i].lower.contains('-');
            if found.is_none() && maybe_holder {
                if let Some(prefix) = self
                    .words
                    .members(WordClass::HolderSuffix)
                    .iter()
                    .map(String::as_str)
                    .chain(["-led"])
                    .find_map(|suf| toks[i].lower.strip_suffix(suf))
                {
                    let capitalised = toks[i].capitalised;
                    found = self.candidates(prefix).and_then(|cands| {
                        cands
                            .iter()
                            .find(|&&(_, w)| {
                                let w = self.words_of.of(w);
                                w.len() == 1
                                    && match w[0].case {
                                        Case::Any => true,
                                        Case::Capital => capitalised,
                                        Case::Exact(x) => toks[i]
                                            .token
                                            .text(doc)
                                            .starts_with(self.words_of.str(x)),
                                    }
                            })
                            .map(|&(e, _)| (e as usize, 1))
                    });
                }
            }
            if found.is_none() {
                found = self.misspelt_country(doc, &toks[i]).map(|e| (e, 1));
            }
            match found {
                Some((e, len)) => {
                    out.push(Mention {
                        start: i,
                        end: i + len,
                        entry: e,
                        place: None,
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        self.find_places(doc, toks, nearby, &mut out);
        self.drop_given_names(toks, &mut out);
        self.drop_name_tails(toks, &mut out);
        out
    }

    /// "Mocimboa da Praia": a one-word town or capital after a name and its particle
    /// (NAME_PARTICLE) ends a longer name, and names neither ("Santiago de Cuba" keeps
    /// the country, which places the town).
    fn drop_name_tails(&self, toks: &[TaggedToken], out: &mut Vec<Mention>) {
        out.retain(|m| {
            let tail = m.end == m.start + 1
                && m.start >= 2
                && (m.place.is_some()
                    || matches!(
                        self.entries[m.entry].target,
                        ActorRef::Country {
                            sector: Some(_),
                            ..
                        }
                    ))
                && self
                    .words
                    .has(WordClass::NameParticle, &toks[m.start - 1].lower)
                && toks[m.start - 2].capitalised
                && matches!(toks[m.start - 2].tag, Tag::NNP | Tag::NNPS);
            !tail
        });
    }

    /// "Defence Minister Aden Duale", "President Jordan Smith": a one-word country or
    /// city name right after a title (an agent phrase) and before another capitalised
    /// name is the person's given name, not the place.
    fn drop_given_names(&self, toks: &[TaggedToken], out: &mut Vec<Mention>) {
        let given: Vec<usize> = (1..out.len())
            .filter(|&k| {
                let (m, before) = (&out[k], &out[k - 1]);
                let next = toks.get(m.end);
                m.end == m.start + 1
                    && (m.place.is_some()
                        || matches!(self.entries[m.entry].target, ActorRef::Country { .. }))
                    && self.is_agent_mention(before)
                    && before.end == m.start
                    && next.is_some_and(|t| t.capitalised && matches!(t.tag, Tag::NNP | Tag::NNPS))
                    && out.get(k + 1).is_none_or(|n| n.start > m.end)
            })
            .collect();
        for k in given.into_iter().rev() {
            out.remove(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A phrase's words as text: lower case and the case asked.
    fn view(p: &PhraseWords, span: Span) -> Vec<(String, String)> {
        p.of(span)
            .iter()
            .map(|w| {
                let case = match w.case {
                    Case::Any => "any".to_string(),
                    Case::Capital => "capital".to_string(),
                    Case::Exact(s) => format!("exact {}", p.str(s)),
                };
                (p.str(w.lower).to_string(), case)
            })
            .collect()
    }

    /// The tokenizer's words of a phrase, compiled as before the plain-word path.
    fn tokenized(phrase: &str) -> Vec<(String, String)> {
        let mut p = PhraseWords::default();
        let span = p.add_words(
            tokenize(phrase, 0, phrase.len())
                .iter()
                .map(|t| t.text(phrase)),
        );
        view(&p, span)
    }

    fn compiled(phrase: &str) -> Vec<(String, String)> {
        let mut p = PhraseWords::default();
        let span = p.add(phrase);
        view(&p, span)
    }

    #[test]
    fn one_edit_is_one_insertion_deletion_replacement_or_swap() {
        for (a, b) in [
            ("ethiopia", "ethopia"),
            ("philippines", "phillippines"),
            ("colombian", "columbian"),
            ("israel", "isreal"),
            ("kuwaiti", "kuwaity"),
            ("kenya", "xkenya"),
        ] {
            assert!(one_edit(a.as_bytes(), b.as_bytes()), "{a} {b}");
            assert!(one_edit(b.as_bytes(), a.as_bytes()), "{b} {a}");
        }
        for (a, b) in [
            ("israel", "israel"),
            ("israel", "iserla"),
            ("guinea", "guinan"),
            ("austria", "australia"),
            ("niger", "nigeria"),
            ("ab", "ba c"),
        ] {
            assert!(!one_edit(a.as_bytes(), b.as_bytes()), "{a} {b}");
        }
    }

    #[test]
    fn plain_phrases_split_as_the_tokenizer_splits_them() {
        let d = Dictionaries::embedded();
        let (entries, words) = compile_entries(&d);
        assert!(entries.len() > 5000, "{} phrases", entries.len());
        let plain = entries
            .iter()
            .filter(|e| plain_words(&e.phrase).is_some())
            .count();
        assert!(plain * 2 > entries.len(), "{plain} plain phrases");
        for e in &entries {
            assert_eq!(
                view(&words, e.words),
                tokenized(&e.phrase),
                "{:?}",
                e.phrase
            );
        }
        for p in [
            "cannot",
            "Defence Ministry",
            "UN",
            "Sana a",
            "x",
            "al-Qaeda",
            "Abu-Bakr al-Sadr",
        ] {
            assert!(plain_words(p).is_some(), "{p}");
            assert_eq!(compiled(p), tokenized(p), "{p:?}");
        }
        for p in [
            "U.S.",
            "Côte d’Ivoire",
            "the  army",
            " army",
            "army ",
            "pro--Russian",
            "anti-",
            "-led",
            "x - y",
            "a- b",
            "O'Brien",
            "G7",
        ] {
            assert!(plain_words(p).is_none(), "{p}");
            assert_eq!(compiled(p), tokenized(p), "{p:?}");
        }
    }

    #[test]
    fn phrase_words_ask_for_the_case_they_are_written_in() {
        let w = |s: &str| compiled(s).remove(0);
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(w("NATO"), pair("nato", "exact NATO"));
        assert_eq!(w("Kyiv"), pair("kyiv", "capital"));
        assert_eq!(w("troops"), pair("troops", "any"));
        assert_eq!(
            w("A"),
            pair("a", "capital"),
            "one capital letter is no acronym"
        );
        assert_eq!(w("ÉTAT"), pair("état", "exact ÉTAT"));
        let mut p = PhraseWords::default();
        let span = p.add_words(["Ansar’s"].into_iter());
        assert_eq!(view(&p, span), [pair("ansar's", "capital")]);
    }

    #[test]
    fn origins_read_path_and_line() {
        let o = |line| annalist_dict::format::Origin {
            path: "people/x.txt".into(),
            line,
        };
        for line in [0, 7, 10, 1151, 4_000_000_000] {
            assert_eq!(&*origin_text(&o(line)), o(line).to_string());
        }
    }

    #[test]
    fn candidates_are_tried_longest_first_and_agents_last() {
        let d = Dictionaries::embedded();
        let m = ActorMatcher::new(&d);
        let mut seen = 0;
        for (key, span) in &m.index {
            let entries: Vec<u32> = m.order[span.range()].iter().map(|c| c.0).collect();
            for (&e, &(_, words)) in entries.iter().zip(&m.order[span.range()]) {
                assert_eq!(words, m.entries[e as usize].words);
                let w = m.words_of.of(words);
                assert_eq!(m.words_of.str(w[0].lower), &**key);
            }
            // Longest first, named actors before agents, then in dictionary order.
            let rank = |e: u32| {
                let entry = &m.entries[e as usize];
                (
                    std::cmp::Reverse(entry.words.len()),
                    matches!(entry.target, ActorRef::Agent { .. }),
                    e,
                )
            };
            for pair in entries.windows(2) {
                assert!(rank(pair[0]) < rank(pair[1]), "{key}");
            }
            seen += entries.len();
        }
        assert_eq!(seen, m.len(), "every entry is a candidate once");
    }
}
