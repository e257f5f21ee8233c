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

/// How a phrase word must be capitalised in text to match.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Case {
    Any,
    Capital,
    Exact(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PhraseWord {
    lower: String,
    case: Case,
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
    words: Vec<PhraseWord>,
    pub target: ActorRef,
    /// `path:line` of the entry.
    pub origin: String,
    pub phrase: String,
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
    /// The actor only modifies a phrase whose head is a thing ("a UN resolution",
    /// "Israeli positions"): it may be a target, never a source.
    pub modifier: bool,
    /// Named as a possessor ("Russia's demands").
    pub possessor: bool,
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

    /// Gives an actor known only by its sector the country `code`, noting why in its
    /// entry (`how` and the entry it came `from`).
    pub fn localize(&mut self, code: &str, how: &str, from: &str) {
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
    index: FxHashMap<String, Vec<usize>>,
    people: Vec<Person>,
    /// Heads after which a national adjective names no actor (class NOT_ACTOR).
    not_actor: FxHashSet<String>,
    /// Towns and regions named in text are actors of their country (see `find_places`).
    places: Option<std::sync::Arc<Gazetteer>>,
    /// Common words (the tagger lexicon knows them with a non-proper tag): a town named
    /// like one ("Police", "Split") is only taken after a place preposition.
    common: FxHashSet<String>,
    /// Word classes: prepositions before a town (NAME_PLACE_PREP), holder compounds
    /// (HOLDER_SUFFIX, "Russian-held"), descriptive compounds (COMPOUND_TAIL).
    words: WordClasses,
}

/// The sector of a dictionary's sector code (validated when the dictionaries load; an
/// unknown code, possible only in unvalidated test data, reads as GOV).
fn sector_of(code: &str) -> Sector {
    Sector::parse(code).unwrap_or(Sector::Gov)
}

fn compile_phrase(phrase: &str) -> Vec<PhraseWord> {
    tokenize(phrase, 0, phrase.len())
        .iter()
        .map(|t| {
            let w = t.text(phrase);
            let lower = w.to_lowercase().replace('’', "'");
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            let case = if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
                Case::Exact(w.replace('’', "'"))
            } else if w.chars().next().is_some_and(char::is_uppercase) {
                Case::Capital
            } else {
                Case::Any
            };
            PhraseWord { lower, case }
        })
        .collect()
}

/// Every phrase of the actor dictionaries, compiled for matching: countries (names,
/// adjectives, seats), regions, organisations, groups, people, agents.
fn compile_entries(d: &Dictionaries) -> Vec<ActorEntry> {
    let mut entries = Vec::new();
    let mut add = |phrase: &str, target: ActorRef, origin: String| {
        let words = compile_phrase(phrase);
        if !words.is_empty() {
            entries.push(ActorEntry {
                words,
                target,
                origin,
                phrase: phrase.to_string(),
            });
        }
    };
    for c in &d.countries {
        let o = c.origin.to_string();
        for n in &c.names {
            add(
                n,
                ActorRef::Country {
                    code: c.code.clone(),
                    sector: None,
                },
                o.clone(),
            );
        }
        for a in &c.adjectives {
            add(
                a,
                ActorRef::Adjective {
                    code: c.code.clone(),
                },
                o.clone(),
            );
        }
        for s in &c.seats {
            add(
                &s.phrase,
                ActorRef::Country {
                    code: c.code.clone(),
                    sector: Some(sector_of(&s.sector)),
                },
                o.clone(),
            );
        }
    }
    for r in &d.regions {
        let o = r.origin.to_string();
        for n in r.names.iter().chain(&r.adjectives) {
            add(
                n,
                ActorRef::Region {
                    code: r.code.clone(),
                },
                o.clone(),
            );
        }
        for s in &r.seats {
            add(
                &s.phrase,
                ActorRef::Region {
                    code: r.code.clone(),
                },
                o.clone(),
            );
        }
    }
    for g in &d.organisations {
        for n in &g.names {
            add(
                n,
                ActorRef::Organisation {
                    code: g.code.clone(),
                    org: g.org.clone(),
                    sector: g.sector.as_deref().map(sector_of),
                },
                g.origin.to_string(),
            );
        }
    }
    for g in &d.groups {
        for n in &g.names {
            add(
                n,
                ActorRef::Group {
                    code: g.code.clone(),
                    sector: sector_of(&g.sector),
                },
                g.origin.to_string(),
            );
        }
    }
    for (i, p) in d.people.iter().enumerate() {
        for n in &p.names {
            add(n, ActorRef::Person(i), p.origin.to_string());
        }
    }
    for a in &d.agents {
        add(
            &a.phrase,
            ActorRef::Agent {
                sector: sector_of(&a.sector),
            },
            a.origin.to_string(),
        );
    }
    entries
}

impl ActorMatcher {
    pub fn new(d: &Dictionaries) -> ActorMatcher {
        let entries = compile_entries(d);
        let mut index: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, e) in entries.iter().enumerate() {
            index.entry(e.words[0].lower.clone()).or_default().push(i);
        }
        for v in index.values_mut() {
            // Longest first; named actors before agents of the same length.
            v.sort_by_key(|&i| {
                (
                    std::cmp::Reverse(entries[i].words.len()),
                    matches!(entries[i].target, ActorRef::Agent { .. }),
                )
            });
        }
        ActorMatcher {
            entries,
            index,
            people: d.people.clone(),
            not_actor: d
                .nouns
                .iter()
                .filter(|c| c.name == "NOT_ACTOR")
                .flat_map(|c| c.nouns.iter().cloned())
                .collect(),
            places: None,
            common: Default::default(),
            words: d.classes.clone(),
        }
    }

    /// Recognise the towns and regions of `g` as actors of their country. `lex` tells
    /// which of their one-word names are also common words.
    pub fn with_places(mut self, g: std::sync::Arc<Gazetteer>, lex: &Lexicon) -> ActorMatcher {
        self.common = lex
            .words()
            .filter(|(w, tags)| {
                w.chars().all(|c| c.is_ascii_lowercase())
                    && !g.candidates_by_key(w).is_empty()
                    && tags.iter().any(|t| !matches!(t, Tag::NNP | Tag::NNPS))
            })
            .map(|(w, _)| w.to_string())
            .collect();
        self.places = Some(g);
        self
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
                    e.origin.clone(),
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

    fn word_matches(w: &PhraseWord, t: &TaggedToken, doc: &str) -> bool {
        if w.lower != t.lower {
            return false;
        }
        match &w.case {
            Case::Any => true,
            Case::Capital => t.capitalised,
            Case::Exact(s) => t.token.text(doc).replace('’', "'") == *s,
        }
    }

    /// Longest-match mentions in a sentence, left to right, non-overlapping.
    /// The longest dictionary phrase starting at token `i` (entries are sorted longest
    /// first in the index).
    fn phrase_at(&self, doc: &str, toks: &[TaggedToken], i: usize) -> Option<(usize, usize)> {
        let cands = self.index.get(&toks[i].lower)?;
        cands.iter().find_map(|&e| {
            let words = &self.entries[e].words;
            (i + words.len() <= toks.len()
                && words
                    .iter()
                    .zip(&toks[i..])
                    .all(|(w, t)| Self::word_matches(w, t, doc)))
            .then_some((e, words.len()))
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
            if found.is_none() {
                if let Some(prefix) = self
                    .words
                    .members(WordClass::HolderSuffix)
                    .iter()
                    .map(String::as_str)
                    .chain(["-led"])
                    .find_map(|suf| toks[i].lower.strip_suffix(suf))
                {
                    let capitalised = toks[i].capitalised;
                    found = self.index.get(prefix).and_then(|cands| {
                        cands
                            .iter()
                            .find(|&&e| {
                                let w = &self.entries[e].words;
                                w.len() == 1
                                    && match &w[0].case {
                                        Case::Any => true,
                                        Case::Capital => capitalised,
                                        Case::Exact(x) => {
                                            toks[i].token.text(doc).starts_with(x.as_str())
                                        }
                                    }
                            })
                            .map(|&e| (e, 1))
                    });
                }
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
        out
    }
}
