//! Stage 5: actor recognition. Input: tagged tokens and the dictionaries; output: actor
//! mentions (longest match of dictionary phrases over tokens, through an index on each
//! phrase's first word) and, per noun phrase, the actor it denotes: the named mention
//! nearest the head, given a sector by an agent word in the phrase ("Ukrainian drones"
//! → UKR MIL), by a person's role on the document date, or by the seat it names ("the
//! Pentagon" → USA MIL).
use annalist_dict::{Dictionaries, Lexicon, Person, Sector, Tag, WordClass, WordClasses};
use annalist_geo::{Gazetteer, Kind, PlaceId};
use annalist_text::{tokenize, TaggedToken};
use chrono::NaiveDate;
use std::collections::HashMap;

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
    index: HashMap<String, Vec<usize>>,
    people: Vec<Person>,
    /// Heads after which a national adjective names no actor (class NOT_ACTOR).
    not_actor: std::collections::HashSet<String>,
    /// Towns and regions named in text are actors of their country (see `find_places`).
    places: Option<std::sync::Arc<Gazetteer>>,
    /// Common words (the tagger lexicon knows them with a non-proper tag): a town named
    /// like one ("Police", "Split") is only taken after a place preposition.
    common: std::collections::HashSet<String>,
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

impl ActorMatcher {
    pub fn new(d: &Dictionaries) -> ActorMatcher {
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
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
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

    /// Gazetteer places among the words no dictionary phrase took: the longest run of
    /// capitalised proper-noun words (with a trailing region word) that names a town or
    /// region. A run right after or before another unknown proper noun is part of a
    /// longer name ("Paris Hilton"), and a name that is also a common word is taken only
    /// after a place preposition ("in Split"). Which place is meant is decided by the
    /// countries the sentence names, then by population (annalist-geo's `resolve`).
    fn find_places(
        &self,
        doc: &str,
        toks: &[TaggedToken],
        nearby: &[PlaceId],
        out: &mut Vec<Mention>,
    ) {
        let Some(g) = self.places.as_deref() else {
            return;
        };
        // "Paris, Texas": a name followed by a comma and a region or country of another
        // state is that state's town, even when a dictionary took the name as a capital.
        let hint_after = |end: usize| -> Option<(usize, String)> {
            if toks.get(end).is_none_or(|t| t.lower != ",") {
                return None;
            }
            let mut k = end + 1;
            while k < toks.len() && k < end + 4 && toks[k].capitalised {
                k += 1;
            }
            (k > end + 1)
                .then(|| {
                    let h = doc[toks[end + 1].token.start..toks[k - 1].token.end].to_string();
                    (k, h)
                })
                .filter(|(_, h)| g.lookup(h).iter().any(|&id| g.place(id).kind != Kind::City))
        };
        // The countries the sentence's dictionary phrases name, with where they start.
        let sentence_countries: Vec<(usize, String)> = out
            .iter()
            .filter_map(|m| match &self.entries[m.entry].target {
                ActorRef::Country { code, .. }
                | ActorRef::Adjective { code }
                | ActorRef::Group { code, .. } => Some((m.start, code.clone())),
                _ => None,
            })
            .collect();
        for m in out.iter_mut() {
            let (code, seat) = match &self.entries[m.entry].target {
                ActorRef::Country { code, sector } if m.place.is_none() => {
                    (code.clone(), sector.is_some())
                }
                _ => continue,
            };
            // "Lebanese troops deployed in Tripoli": a capital's name used as a place
            // in a sentence about another country is that country's town of the name,
            // if it has one (and not a hamlet: see annalist-geo's population guard).
            let elsewhere = sentence_countries.iter().filter(|(at, _)| *at != m.start);
            let others: Vec<&str> = elsewhere
                .clone()
                .map(|(_, c)| c.as_str())
                .filter(|&c| c != code)
                .collect();
            let name = &doc[toks[m.start].token.start..toks[m.end - 1].token.end];
            if seat
                && !others.is_empty()
                && !elsewhere.clone().any(|(_, c)| *c == code)
                && m.start > 0
                && self
                    .words
                    .has(WordClass::NamePlacePrep, &toks[m.start - 1].lower)
            {
                let ctx = annalist_geo::Context {
                    countries: &others,
                    ..Default::default()
                };
                if let Some(id) = g.resolve_id(name, &ctx) {
                    // Only a town of that very name ("Islamabad" is also an old name
                    // of Chittagong: that does not count).
                    let p = g.place(id);
                    if p.country != code
                        && p.kind == Kind::City
                        && annalist_geo::normalize(&p.name) == annalist_geo::normalize(name)
                    {
                        m.place = Some(id);
                        continue;
                    }
                }
            }
            let Some((k, hint)) = hint_after(m.end) else {
                continue;
            };
            let ctx = annalist_geo::Context {
                admin1_hint: Some(&hint),
                ..Default::default()
            };
            if let Some(id) = g.resolve_id(name, &ctx) {
                if g.place(id).country != code {
                    m.place = Some(id);
                    m.end = k;
                }
            }
        }
        let covered = |i: usize, out: &[Mention]| out.iter().any(|m| m.start <= i && i < m.end);
        let proper = |t: &TaggedToken| {
            t.capitalised
                && matches!(t.tag, Tag::NNP | Tag::NNPS | Tag::JJ | Tag::NN | Tag::NNS)
                // "in March", "on Sunday": calendar words are never places.
                && !crate::dates::Calendar::new(&self.words).calendar_word(&t.lower)
        };
        let country_refs: Vec<&str> = sentence_countries.iter().map(|(_, c)| c.as_str()).collect();
        let max = g.max_words().min(6);
        let mut found = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if !proper(&toks[i]) || covered(i, out) {
                i += 1;
                continue;
            }
            // Longest run of capitalised words first.
            let mut hit = None;
            let mut len = 1;
            while len < max
                && i + len < toks.len()
                && proper(&toks[i + len])
                && !covered(i + len, out)
            {
                len += 1;
            }
            while len > 0 {
                let mut end = i + len;
                let mut name = doc[toks[i].token.start..toks[end - 1].token.end].to_string();
                let with_word = toks
                    .get(end)
                    .is_some_and(|t| annalist_geo::REGION_WORDS.contains(&t.lower.as_str()));
                if with_word {
                    let n2 = format!("{name} {}", toks[end].lower);
                    if !g.lookup(&n2).is_empty() {
                        name = n2;
                        end += 1;
                    }
                }
                if !g.candidates(&name).is_empty() || (with_word && !g.lookup(&name).is_empty()) {
                    hit = Some((end, name));
                    break;
                }
                len -= 1;
            }
            let Some((end, name)) = hit else {
                i += 1;
                continue;
            };
            // Another name's word next to it: unknown, or a person's ("Paul Austin").
            // ("Russian-held", "Houthi-controlled": a compound adjective, not a name.)
            let name_word = |k: usize| {
                toks[k].capitalised
                    && matches!(toks[k].tag, Tag::NNP | Tag::NNPS)
                    && !toks[k]
                        .lower
                        .rsplit_once('-')
                        .is_some_and(|(_, tail)| self.words.has(WordClass::CompoundTail, tail))
                    && out
                        .iter()
                        .find(|m| m.start <= k && k < m.end)
                        .is_none_or(|m| {
                            m.place.is_none()
                                && matches!(self.entries[m.entry].target, ActorRef::Person(_))
                        })
            };
            let before_proper = i > 0 && name_word(i - 1);
            let after_proper = end < toks.len() && name_word(end);
            let single_common = end == i + 1 && self.common.contains(&toks[i].lower);
            let after_preposition =
                i > 0 && self.words.has(WordClass::NamePlacePrep, &toks[i - 1].lower);
            if before_proper || after_proper || (single_common && !after_preposition) {
                i = end;
                continue;
            }
            let hint = hint_after(end);
            let ctx = annalist_geo::Context {
                countries: &country_refs,
                nearby,
                admin1_hint: hint.as_ref().map(|(_, h)| h.as_str()),
            };
            // "Russia's Bryansk region": when a region word follows a town whose
            // region the gazetteer knows under another spelling, the region is meant.
            let region_of = |id: PlaceId| {
                let p = g.place(id);
                if p.kind != Kind::City || annalist_geo::strip_region_word(&name).is_none() {
                    return id;
                }
                p.admin1
                    .as_deref()
                    .and_then(|a| {
                        g.candidates(a).iter().copied().find(|&r| {
                            g.place(r).kind == Kind::Admin1 && g.place(r).country == p.country
                        })
                    })
                    .unwrap_or(id)
            };
            if let Some(id) = g.resolve_id(&name, &ctx).map(region_of) {
                // The hint belongs to the mention when it decided the place.
                let end = match &hint {
                    Some((k, h))
                        if g.place(id).admin1.as_deref().is_some_and(|a| {
                            annalist_geo::normalize(a) == annalist_geo::normalize(h)
                        }) || g.country(&g.place(id).country).is_some_and(|c| {
                            annalist_geo::normalize(&g.place(c).name) == annalist_geo::normalize(h)
                        }) =>
                    {
                        *k
                    }
                    _ => end,
                };
                found.push(Mention {
                    start: i,
                    end,
                    entry: 0,
                    place: Some(id),
                });
                i = end;
                continue;
            }
            i = end;
        }
        out.extend(found);
        // A comma hint taken into a place ("Tripoli, Lebanon") is no mention of its own.
        let spans: Vec<(usize, usize)> = out
            .iter()
            .filter(|m| m.place.is_some())
            .map(|m| (m.start, m.end))
            .collect();
        out.retain(|m| {
            !spans
                .iter()
                .any(|&(a, b)| a <= m.start && m.end <= b && (a, b) != (m.start, m.end))
        });
        out.sort_by_key(|m| m.start);
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

    /// The actor a noun phrase `[start, end)` with head `head` denotes, if any.
    /// `possessor_end` splits "Israel 's | army".
    pub fn resolve_phrase(
        &self,
        doc: &str,
        toks: &[TaggedToken],
        mentions: &[Mention],
        (start, end, head): (usize, usize, usize),
        date: Option<NaiveDate>,
    ) -> Option<Actor> {
        // "the Russian language", "Kurdish culture": a language or culture is no actor
        // (class NOT_ACTOR of nouns.txt).
        if self.not_actor.contains(&toks[head].lemma) {
            return None;
        }
        let inside: Vec<&Mention> = mentions
            .iter()
            .filter(|m| m.start >= start && m.end <= end)
            .collect();
        if inside.is_empty() {
            return None;
        }
        let is_agent = |m: &&Mention| self.is_agent_mention(m);
        // The named mention nearest to (at or before) the head.
        let named = inside
            .iter()
            .filter(|m| !is_agent(m))
            .filter(|m| m.start <= head)
            .max_by_key(|m| (m.end.min(head + 1), m.end))
            .or_else(|| inside.iter().find(|m| !is_agent(m)))
            .copied();
        // The agent word at (or nearest before) the head gives the sector.
        let agent = inside
            .iter()
            .filter(|m| is_agent(m) && m.start <= head)
            .max_by_key(|m| m.end)
            .copied();
        let head_plural = matches!(
            toks[head].tag,
            annalist_dict::Tag::NNS | annalist_dict::Tag::NNPS
        );
        let (first, last) = (
            inside.iter().map(|m| m.start).min().unwrap(),
            inside.iter().map(|m| m.end).max().unwrap(),
        );
        // Take a preceding "the" into the span.
        let span_start = if first > start && toks[first - 1].lower == "the" {
            first - 1
        } else {
            first
        };
        let span_end = if head < end && head + 1 > last {
            head + 1
        } else {
            last
        };
        let span = (toks[span_start].token.start, toks[span_end - 1].token.end);
        let agent_sector = agent.map(|m| match &self.entries[m.entry].target {
            ActorRef::Agent { sector } => *sector,
            _ => unreachable!(),
        });
        let mut rules = Vec::new();
        let mut actor = Actor {
            code: None,
            org: None,
            sector: None,
            start: span.0,
            end: span.1,
            entry: String::new(),
            plural: head_plural,
            person: false,
            modifier: false,
            possessor: false,
            place: None,
        };
        // "Russian-held Melitopol": the holder named in the phrase is the actor, the
        // town only its place.
        let holder = inside.iter().find(|m| {
            m.place.is_none()
                && !is_agent(m)
                && self
                    .words
                    .ends_with(WordClass::HolderSuffix, &toks[m.end - 1].lower)
        });
        let held_place = named.and_then(|m| m.place).filter(|_| holder.is_some());
        let named = if held_place.is_some() {
            holder.copied()
        } else {
            named
        };
        if let (Some(m), Some(g)) = (named.filter(|m| m.place.is_some()), self.places.as_deref()) {
            // A town or region: an actor of its country, as a place (no sector).
            let p = g.place(m.place.unwrap());
            rules.push(format!(
                "gazetteer {} {:?} ({}, {})",
                p.kind,
                p.name,
                p.country,
                if p.kind == Kind::City {
                    p.admin1.as_deref().unwrap_or("-")
                } else {
                    "-"
                }
            ));
            actor.code = Some(p.country.clone());
            actor.place = m.place;
        } else if let Some(m) = named {
            let e = &self.entries[m.entry];
            rules.push(format!("{} {:?}", e.origin, e.phrase));
            match &e.target {
                ActorRef::Country { code, sector } => {
                    actor.code = Some(code.clone());
                    actor.sector = *sector;
                }
                ActorRef::Adjective { code } => {
                    actor.code = Some(code.clone());
                    // "the Palestinians", "Iraqis": the people.
                    if agent.is_none()
                        && m.end == end
                        && toks[m.end - 1].tag == annalist_dict::Tag::NNPS
                    {
                        actor.plural = true;
                    }
                }
                ActorRef::Region { code } => actor.code = Some(code.clone()),
                ActorRef::Organisation { code, org, sector } => {
                    actor.code = Some(code.clone());
                    actor.org = Some(org.clone());
                    actor.sector = *sector;
                }
                ActorRef::Group { code, sector } => {
                    actor.code = Some(code.clone());
                    actor.sector = Some(*sector);
                }
                ActorRef::Person(p) => {
                    actor.person = true;
                    if let Some(role) = self.people[*p].role_on(date) {
                        actor.code = Some(role.code.clone());
                        actor.sector = role.sector.as_deref().map(sector_of);
                        rules.push(
                            format!("role {} {}", role.code, role.title)
                                .trim_end()
                                .to_string(),
                        );
                    }
                }
                ActorRef::Agent { .. } => unreachable!(),
            }
        }
        if let (Some(s), Some(m)) = (&agent_sector, agent) {
            // An agent word gives the sector unless the named actor is a person (whose
            // role decides) or an organisation with its own sector.
            if !actor.person && actor.org.is_none() || actor.sector.is_none() {
                actor.sector = Some(*s);
            }
            let e = &self.entries[m.entry];
            rules.push(format!("agent {} {:?}", e.origin, e.phrase));
            if named.is_none() {
                actor.person = !head_plural
                    && matches!(s.as_str(), "GOV")
                    && toks[head].tag == annalist_dict::Tag::NN;
            }
        }
        if held_place.is_some() {
            actor.place = held_place;
        }
        let _ = doc;
        // "Russian missiles" names the missiles' owner as a modifier only; "Russia's
        // demands" makes Russia the possessor, an argument in its own right.
        let possessor = inside.iter().any(|m| {
            toks.get(m.end)
                .is_some_and(|t| t.tag == annalist_dict::Tag::POS)
        });
        actor.possessor = possessor;
        actor.modifier = !possessor && !inside.iter().any(|m| m.start <= head && head < m.end);
        actor.entry = rules.join("; ");
        Some(actor)
    }
}
