//! Stage 5: actor recognition. Input: tagged tokens and the dictionaries; output: actor
//! mentions (longest match of dictionary phrases over tokens, through an index on each
//! phrase's first word) and, per noun phrase, the actor it denotes: the named mention
//! nearest the head, given a sector by an agent word in the phrase ("Ukrainian drones"
//! → UKR MIL), by a person's role on the document date, or by the seat it names ("the
//! Pentagon" → USA MIL).
use annalist_dict::{Dictionaries, Person};
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
        sector: Option<String>,
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
        sector: Option<String>,
    },
    Group {
        code: String,
        sector: String,
    },
    Person(usize),
    Agent {
        sector: String,
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

/// A phrase found in a sentence: tokens `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub entry: usize,
}

/// A resolved actor: codes and the words that named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub code: Option<String>,
    pub org: Option<String>,
    pub sector: Option<String>,
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
}

/// Actor codes of organisation classes: they name no country and no place.
pub const ORG_CLASSES: &[&str] = &["IGO", "NGO", "BUS", "MNC", "IMG"];

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
            (None, Some(s)) if s != &code => format!("{code}{s}"),
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
                        sector: Some(s.sector.clone()),
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
                        sector: g.sector.clone(),
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
                        sector: g.sector.clone(),
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
                    sector: a.sector.clone(),
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
        }
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
            // "Saudi-led coalition", "French-led troops": the leader is the actor.
            if found.is_none() {
                if let Some(prefix) = toks[i].lower.strip_suffix("-led") {
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
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
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
        let is_agent =
            |m: &&Mention| matches!(self.entries[m.entry].target, ActorRef::Agent { .. });
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
            ActorRef::Agent { sector } => sector.clone(),
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
        };
        if let Some(m) = named {
            let e = &self.entries[m.entry];
            rules.push(format!("{} {:?}", e.origin, e.phrase));
            match &e.target {
                ActorRef::Country { code, sector } => {
                    actor.code = Some(code.clone());
                    actor.sector = sector.clone();
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
                    actor.sector = sector.clone();
                }
                ActorRef::Group { code, sector } => {
                    actor.code = Some(code.clone());
                    actor.sector = Some(sector.clone());
                }
                ActorRef::Person(p) => {
                    actor.person = true;
                    if let Some(role) = self.people[*p].role_on(date) {
                        actor.code = Some(role.code.clone());
                        actor.sector = role.sector.clone();
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
                actor.sector = Some(s.clone());
            }
            let e = &self.entries[m.entry];
            rules.push(format!("agent {} {:?}", e.origin, e.phrase));
            if named.is_none() {
                actor.person = !head_plural
                    && matches!(s.as_str(), "GOV")
                    && toks[head].tag == annalist_dict::Tag::NN;
            }
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
