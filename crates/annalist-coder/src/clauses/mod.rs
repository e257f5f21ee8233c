//! Stage 6: predicate–argument structure. Input: chunks, tagged tokens and actor
//! mentions of one sentence; output: [`Predicate`]s — each verb group with its subject,
//! object and prepositional complements (each an [`Arg`] with its resolved actors), its
//! controller or complement ("agreed | to hold", "urged Iran | to free"), and whether it
//! is a reporting verb. Pronouns are resolved here: inside reported speech to the
//! speaker, otherwise to the nearest earlier actor of matching number in the sentence,
//! then to the previous sentence's first subject.
//!
//! The stage runs as named passes: [`predicates`] builds each verb group's arguments
//! and links controls, clauses, subjects and report scopes; [`subject`] walks back from
//! a verb to its subject; [`args`] turns noun phrases into arguments with their actors;
//! [`coref`] resolves pronouns; [`localize`] gives sector-only actors their country.
use crate::actors::{Actor, ActorMatcher, Mention};
use crate::knowledge::Knowledge;
use annalist_dict::WordClass;
use annalist_text::{Chunk, ChunkKind, TaggedToken, VerbGroup, Voice};
use chrono::NaiveDate;

pub mod args;
pub mod coref;
pub mod localize;
pub mod predicates;
pub mod subject;

pub use coref::resolve_pronouns;
pub use localize::{
    definite_sector_anaphora, localize, localize_sole_country, share_mention_countries,
    sole_country,
};

/// A noun-phrase argument, possibly coordinated ("Israel and Hamas").
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// The noun-phrase chunks.
    pub chunks: Vec<usize>,
    /// The head lemma of each noun phrase.
    pub heads: Vec<String>,
    /// The actors denoted (one per coordinated phrase that has one).
    pub actors: Vec<Actor>,
    /// Index of an unresolved pronoun token ("it", "its troops") awaiting coreference.
    pub pronoun: Option<usize>,
    /// A border heads the phrase (class BORDER_NOUN: "the border with Syria", "the
    /// Torkham crossing with Afghanistan"): its "with" phrase names the neighbour.
    pub border: bool,
}

impl Arg {
    /// A border heads the phrase ("to the border with Syria"): its "with" phrase names
    /// the neighbour, not the place, nor a partner of the event.
    pub fn is_border(&self) -> bool {
        self.border
    }
}

/// A verb group with its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Predicate {
    /// Chunk index of the verb group.
    pub chunk: usize,
    pub vg: VerbGroup,
    /// The lemma patterns are looked up by: the verb, or for "be ready to" the adjective.
    pub lemma: String,
    pub copular: bool,
    pub subject: Option<Arg>,
    pub object: Option<Arg>,
    /// A second object ("gave Iraq aid": Iraq, aid).
    pub object2: Option<Arg>,
    /// (preposition, argument) in order.
    pub pps: Vec<(String, Arg)>,
    /// Prepositional phrases between the subject and the verb ("riots against X are
    /// continuing").
    pub subject_pps: Vec<(String, Arg)>,
    /// The predicate this one is the infinitive/gerund complement of.
    pub controller: Option<usize>,
    pub complement: Option<usize>,
    /// The first predicate of a "that"-clause it governs ("demanded that X …").
    pub clause: Option<usize>,
    /// Not asserted by the text (a gerund after "of"/"from"): never coded alone.
    pub irrealis: bool,
    /// The control noun whose owner does this infinitive ("Spain's decision to
    /// recognise", "a pledge by Chad to withdraw"; class CONTROL_NOUN): the event is
    /// framed by the noun's control kind, its subject is the owner.
    pub framed_by: Option<String>,
    /// An "unless" clause follows: a future event is a conditional threat.
    pub conditional: bool,
    /// An "if" or "unless" clause follows.
    pub if_clause: bool,
    /// A reporting verb ("said", "announced").
    pub speech: bool,
    /// Index of the reporting predicate whose reported clause contains this one.
    pub reported_by: Option<usize>,
    /// Index of the predicate this one is coordinated with ("met and agreed").
    pub coordinated_with: Option<usize>,
    /// What a denial denies: the clause of "denied that …" or of "rejected claims
    /// that …" (class PROPOSITION_NOUN). Its events are negated.
    pub denied: bool,
}

impl Predicate {
    /// Its object is a foreign mission, an embassy or consulate ("closed two
    /// consulates in Puntland"): a place of the source's own country holds another
    /// state's mission, and names no target.
    pub fn acts_on_mission(&self) -> bool {
        self.object
            .as_ref()
            .is_some_and(|o| o.actors.iter().any(Actor::is_mission))
    }

    /// Both clauses have the same noun phrase as subject ("a car bomb exploded …,
    /// killing nine").
    pub fn shares_subject(&self, other: &Predicate) -> bool {
        matches!((&self.subject, &other.subject), (Some(a), Some(b)) if a.chunks == b.chunks)
    }

    /// The doer: the subject, or in the passive the "by" phrase.
    pub fn agent(&self) -> Option<&Arg> {
        match self.vg.voice {
            Voice::Active => self.subject.as_ref(),
            Voice::Passive => self.pps.iter().find(|(p, _)| p == "by").map(|(_, a)| a),
        }
    }

    /// Every argument: subject, object, prepositional phrases, the subject's phrases.
    pub fn args(&self) -> impl Iterator<Item = &Arg> {
        self.subject
            .iter()
            .chain(self.object.iter())
            .chain(self.pps.iter().map(|(_, a)| a))
            .chain(self.subject_pps.iter().map(|(_, a)| a))
    }

    /// [`Predicate::args`], mutable.
    pub fn args_mut(&mut self) -> impl Iterator<Item = &mut Arg> {
        self.subject
            .iter_mut()
            .chain(self.object.iter_mut())
            .chain(self.pps.iter_mut().map(|(_, a)| a))
            .chain(self.subject_pps.iter_mut().map(|(_, a)| a))
    }

    /// The undergoer: the object, or in the passive the subject.
    pub fn patient(&self) -> Option<&Arg> {
        match self.vg.voice {
            Voice::Active => self.object.as_ref(),
            Voice::Passive => self.subject.as_ref(),
        }
    }

    /// Is the subject an attack or a weapon ("A Russian strike on X killed …")?
    pub fn attack_subject(&self, kn: &Knowledge) -> bool {
        self.subject.as_ref().is_some_and(|a| {
            a.heads
                .iter()
                .any(|h| kn.attacks.contains(h) || kn.devices.contains(h))
        })
    }

    /// The places an attack that is the subject hits or happens in: the actors (no
    /// persons) of its "on" phrases and of those whose preposition is of `class` ("a
    /// drone strike on a market in Idlib"). None when the subject is no attack.
    pub fn attack_places<'a>(
        &'a self,
        kn: &'a Knowledge,
        class: WordClass,
    ) -> impl Iterator<Item = &'a Actor> + 'a {
        let attack = self.attack_subject(kn);
        self.subject_pps
            .iter()
            .filter(move |(prep, _)| attack && (prep == "on" || kn.is(class, prep)))
            .flat_map(|(_, a)| a.actors.iter())
            .filter(|a| !a.person)
    }

    /// The first argument introduced by one of `preps`.
    pub fn pp(&self, prep: &str) -> Option<&Arg> {
        self.pps
            .iter()
            .find(|(p, a)| p == prep && !a.actors.is_empty())
            .map(|(_, a)| a)
    }

    /// A "with" phrase that follows a border (the object or a phrase: "drills near the
    /// border with Chad"): it names the neighbour, not a partner.
    pub fn with_of_border(&self, a: &Arg) -> bool {
        let Some(k) = self
            .pps
            .iter()
            .position(|(p, x)| p == "with" && std::ptr::eq(x, a))
        else {
            return false;
        };
        match k.checked_sub(1) {
            Some(b) => self.pps[b].1.is_border(),
            None => self.object.as_ref().is_some_and(Arg::is_border),
        }
    }
}

/// Everything the clause stage needs about one sentence.
pub struct SentenceView<'a> {
    pub kn: &'a Knowledge,
    pub doc: &'a str,
    pub toks: &'a [TaggedToken],
    pub chunks: &'a [Chunk],
    pub mentions: &'a [Mention],
    pub matcher: &'a ActorMatcher,
    pub date: Option<NaiveDate>,
}

/// A noun phrase's (start, end, head, pronoun), or `None` for another chunk.
fn np_bounds(c: &Chunk) -> Option<(usize, usize, usize, bool)> {
    match c.kind {
        ChunkKind::NounPhrase { head, pronoun, .. } => Some((c.start, c.end, head, pronoun)),
        _ => None,
    }
}

impl SentenceView<'_> {
    fn is_np(&self, k: usize) -> bool {
        self.chunks
            .get(k)
            .is_some_and(|c| matches!(c.kind, ChunkKind::NounPhrase { .. }))
    }

    fn is_comma(&self, k: usize) -> bool {
        self.chunks
            .get(k)
            .is_some_and(|c| c.kind == ChunkKind::Punctuation && self.toks[c.start].lower == ",")
    }

    fn is_prep(&self, k: usize, words: &[&str]) -> bool {
        self.chunks.get(k).is_some_and(|c| {
            matches!(c.kind, ChunkKind::Preposition)
                && (words.is_empty() || words.contains(&self.toks[c.start].lower.as_str()))
        })
    }

    /// Is chunk `k` a preposition of the word class `class`?
    fn is_prep_of(&self, k: usize, class: WordClass) -> bool {
        self.chunks.get(k).is_some_and(|c| {
            matches!(c.kind, ChunkKind::Preposition) && self.kn.is(class, &self.toks[c.start].lower)
        })
    }

    fn is_finite_vg(&self, k: usize) -> bool {
        self.chunks
            .get(k)
            .is_some_and(|c| matches!(&c.kind, ChunkKind::Verb(vg) if vg.finite))
    }
}
