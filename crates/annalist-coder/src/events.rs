//! Stage 7: event recognition. Input: predicates; output: coded events. Each predicate
//! is matched against the verb patterns of its lemma (`verbs.txt`): particle, object
//! class and complement must fit; the most specific fitting pattern wins. A control
//! pattern ("agree to VP", "urge NP to VP", "refuse to VP") codes the event of its
//! complement through the combination table (intent to meet → 036, threat to attack →
//! 138 …); a future modal ("would allow") is an intent or threat; a hypothetical modal
//! ("could", "might") or a negation marks the event, which the pipeline then drops or
//! keeps by policy. Every attempt is recorded for `explain`.
use crate::actors::Actor;
use crate::clauses::{Arg, Predicate};
use annalist_dict::{
    CameoTable, Complement, ControlKind, Dictionaries, PatternAction, PatternObject, Plover,
    QuadClass, Sector, Tag, VerbPattern, WordClass, WordClasses,
};
use annalist_text::{ChunkKind, TaggedToken};
use std::collections::{HashMap, HashSet};

/// A coded event before it is split into (source, target) records.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedEvent {
    pub predicate: usize,
    pub cameo: String,
    pub plover: Plover,
    pub goldstein: f32,
    pub sources: Vec<Actor>,
    pub targets: Vec<Actor>,
    pub negated: bool,
    pub hypothetical: bool,
    pub modality: String,
    /// Byte span of the trigger words.
    pub trigger: (usize, usize),
    pub rule: String,
    pub pattern: String,
    /// Predicates folded into this event (a control's complement and its own).
    pub consumed: Vec<usize>,
    /// A mutual event ("X and Y met"): without a target, each source is the others'
    /// target (pattern target `each`).
    pub reciprocal: bool,
    /// The content of an accusation ("X accused Y of shelling Z": the shelling): the
    /// accusing predicate.
    pub alleged_by: Option<usize>,
}

/// CAMEO's "demonstrate military or police power" (MOBILIZE): a weapons test.
const SHOW_OF_FORCE: &str = "150";
/// CAMEO's "make a visit" (CONSULT), "mobilize or increase armed forces" (MOBILIZE) and
/// "provide military protection or peacekeeping" (AID): forces arriving somewhere.
const VISIT: &str = "042";
const DEPLOYMENT: &str = "154";
/// Protest violently, riot.
const RIOT: &str = "145";
/// Strike or boycott of labour.
const LABOUR_STRIKE: &str = "143";
/// Imposing a blockade or restricting movement (COERCE).
const BLOCKADE: &str = "191";
const PEACEKEEPING: &str = "074";
/// Complain officially (ACCUSE).
const COMPLAINT: &str = "114";
/// Demonstrate or rally (PROTEST), and occupying territory (COERCE).
const DEMONSTRATE: &str = "141";
const OCCUPY: &str = "192";
/// How an actor placed by the doer of an event noun is noted (`EventMatcher::owned_event`).
const DOER_PLACED: &str = "the event noun's doer";
/// Coerce, not specified: a search by police or investigators.
const COERCE: &str = "170";
const ENDORSE: &str = "051";
const AID: &str = "070";
const MILITARY_AID: &str = "072";

/// The prepositional phrase right after the noun phrase ending at chunk `last` (its
/// preposition is chunk `last + 1`).
fn phrase_after(p: &Predicate, last: usize) -> Option<&(String, Arg)> {
    p.pps
        .iter()
        .find(|(_, a)| a.chunks.first() == Some(&(last + 2)))
}

/// The "to/from/for X" phrase completing the noun whose phrase ends at chunk `last`,
/// past "of" phrases naming no actor (or one so completed): "a ban on arms exports to
/// Israel", "on imports of fruit from Moldova", "curbs on visas for Cuban officials".
fn completing_phrase(p: &Predicate, mut last: usize) -> Option<&Arg> {
    loop {
        let (pr, a) = phrase_after(p, last)?;
        match pr.as_str() {
            "to" | "from" | "for" => return Some(a),
            // ("of fruit from Moldova" may already hold the country it completes.)
            "of" if a.actors.iter().any(|x| x.code.is_some()) => return Some(a),
            "of" => last = *a.chunks.last()?,
            _ => return None,
        }
    }
}

/// The civilians of a country-or-place actor, found by `how` (implicit).
fn people_of(place: &Actor, how: &str) -> Actor {
    let mut people = place.clone();
    people.sector = Some(Sector::Cvl);
    people.person = false;
    people.modifier = false;
    people.possessor = false;
    people.entry = format!("{}; the people of {how} (implicit)", place.entry);
    people
}

/// The compiled event patterns.
pub struct EventMatcher {
    patterns: Vec<VerbPattern>,
    by_lemma: HashMap<String, Vec<usize>>,
    classes: HashMap<String, HashSet<String>>,
    combos: HashMap<(ControlKind, Plover), String>,
    /// Codes that need a partner → their code when done alone (`solo` lines).
    solos: HashMap<String, String>,
    /// Event nouns: lemma (or "modifier lemma") → (CAMEO code, target prepositions).
    nominals: HashMap<String, (String, Vec<String>)>,
    /// Event nouns made from verbs (`derivations.txt`): noun lemma → verb lemmas.
    derivations: HashMap<String, Vec<String>>,
    /// Lemmas with a `NOMINAL` pattern ("announce NP"): light verbs.
    light_verbs: HashSet<String>,
    cameo: CameoTable,
    /// The weights of the records' confidence (`confidence.txt`).
    confidence: annalist_dict::ConfidenceModel,
    /// Word classes: neutral particles, future modals, verbs of occurrence, possessive
    /// pronouns.
    words: WordClasses,
}

/// The outcome of matching one predicate, for `explain`.
#[derive(Debug, Clone, Default)]
pub struct MatchTrace {
    pub lines: Vec<String>,
    /// Only `explain` records lines; coding skips the formatting.
    pub enabled: bool,
}

impl MatchTrace {
    pub fn new(enabled: bool) -> Self {
        MatchTrace {
            lines: Vec::new(),
            enabled,
        }
    }

    /// Records a line when tracing; the line is built only then.
    pub fn note(&mut self, line: impl FnOnce() -> String) {
        if self.enabled {
            self.lines.push(line());
        }
    }
}

/// Why a pattern does not fit a predicate (printed by `explain` only).
#[derive(Debug, Clone, Copy)]
enum Miss<'p> {
    NeedsCopula,
    Adjectival,
    NeedsObject,
    ObjectNotIn(Option<&'p Arg>, &'p PatternObject),
    NamesNoEvent(Option<&'p Arg>),
    NoParticle(&'p str),
    NoPhrase(&'p str),
    OtherParticle(&'p str),
    ObjectBeforeInfinitive,
    NeedsComplement(Complement),
    Naming,
}

impl std::fmt::Display for Miss<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let heads = |t: &Option<&Arg>| t.map(|t| t.heads.join("/")).unwrap_or_default();
        match self {
            Miss::NeedsCopula => write!(f, "needs `be ADJ`"),
            Miss::Adjectival => write!(f, "predicate is adjectival"),
            Miss::NeedsObject => write!(f, "needs an object"),
            Miss::ObjectNotIn(t, obj) => {
                write!(f, "object head {:?} not in {}", heads(t), describe(obj))
            }
            Miss::NamesNoEvent(t) => write!(f, "object head {:?} names no event", heads(t)),
            Miss::NoParticle(p) => write!(f, "no particle {p:?}"),
            Miss::NoPhrase(p) => write!(f, "no {p:?} phrase"),
            Miss::OtherParticle(p) => write!(f, "predicate has particle {p:?}"),
            Miss::Naming => write!(f, "names its object (NAMING_VERB with a second object)"),
            Miss::ObjectBeforeInfinitive => {
                write!(f, "an object comes between the verb and its infinitive")
            }
            Miss::NeedsComplement(c) => write!(
                f,
                "needs a {} complement",
                match c {
                    Complement::Infinitive => "to-infinitive",
                    Complement::Gerund => "gerund",
                    Complement::Clause => "clause",
                }
            ),
        }
    }
}

/// What a matched pattern yields before actors are attached.
struct Fit<'p> {
    pattern: &'p VerbPattern,
    theme: Option<&'p Arg>,
}

/// A control pattern's kind and the code it gives without a coded complement.
#[derive(Clone, Copy)]
struct Control<'a> {
    kind: ControlKind,
    fallback: Option<&'a str>,
}

/// The predicates and tokens of a sentence.
#[derive(Clone, Copy)]
struct Sentence<'a> {
    preds: &'a [Predicate],
    toks: &'a [TaggedToken],
}

/// A predicate whose pattern matched, with what every kind of pattern needs.
struct Matched<'p> {
    i: usize,
    p: &'p Predicate,
    /// The agent's actors (not those that only modify a thing).
    sources: Vec<Actor>,
    /// Byte span of the verb (and its particle).
    trigger: (usize, usize),
    negated: bool,
    /// "could", "might", "may" without a condition.
    hypothetical: bool,
    /// "will", "would" …, or a possibility tied to a condition.
    future: bool,
}

impl Matched<'_> {
    /// The event of CAMEO `code` (with its PLOVER type and Goldstein value) that the
    /// pattern of `fit` gives, asserted, with `targets`.
    fn event(
        &self,
        code: &str,
        (plover, goldstein): (Plover, f32),
        fit: &Fit,
        targets: Vec<Actor>,
    ) -> CodedEvent {
        CodedEvent {
            predicate: self.i,
            cameo: code.to_string(),
            plover,
            goldstein,
            sources: self.sources.clone(),
            targets,
            negated: self.negated,
            hypothetical: self.hypothetical,
            modality: "asserted".into(),
            trigger: self.trigger,
            rule: fit.pattern.rule_id(),
            pattern: fit.pattern.text.clone(),
            consumed: Vec::new(),
            reciprocal: fit.pattern.target.iter().any(|t| t == "each"),
            alleged_by: None,
        }
    }
}

/// "out" right after the verb and before "of" ("pulled out of"), which the chunker
/// leaves as a preposition.
fn out_of_after<'t>(p: &Predicate, toks: &'t [TaggedToken]) -> Option<&'t str> {
    // ("drove the fighters out of two villages": after the object's words too.)
    let mut k = p.vg.head + 1;
    if p.object.is_some() {
        while toks.get(k).is_some_and(|t| {
            t.tag.is_noun()
                || t.tag.is_adjective()
                || matches!(t.tag, Tag::DT | Tag::CD | Tag::PRPS | Tag::POS)
        }) {
            k += 1;
        }
    }
    match toks.get(k..k + 2) {
        Some([a, b]) if a.lower == "out" && b.lower == "of" => Some(a.lower.as_str()),
        _ => None,
    }
}

/// Predicate `p` as a plain asserted active clause of its own, with `doer` as subject,
/// `object` and phrases `pps`: no control, complement, clause, modality, negation or
/// particle (an event noun read as its verb, `EventMatcher::owned_event`).
fn plain_clause(
    p: &Predicate,
    doer: Arg,
    object: Option<Arg>,
    pps: Vec<(String, Arg)>,
) -> Predicate {
    let mut stand = p.clone();
    stand.subject = Some(doer);
    stand.object = object;
    stand.object2 = None;
    stand.pps = pps;
    stand.subject_pps = Vec::new();
    (stand.controller, stand.complement, stand.clause) = (None, None, None);
    (stand.irrealis, stand.speech, stand.copular, stand.denied) = (false, false, false, false);
    (stand.conditional, stand.if_clause) = (false, false);
    stand.framed_by = None;
    stand.coordinated_with = None;
    stand.vg.voice = annalist_text::Voice::Active;
    (stand.vg.negated, stand.vg.modal, stand.vg.particle) = (false, None, None);
    stand
}

/// An event an owned event noun codes is kept when it is a deed done to someone named
/// (by forces its "of" phrase names, `movers`, only their withdrawal or deployment):
/// a material event or a sanction (not a demand, a refusal or a declaration, said
/// rather than done), asserted, with a coded target; a target placed by the doer's
/// country only in a conflict (an arrest, a killing: "Sweden's extradition of a Kurdish
/// militant" is not to Sweden).
fn owned_deed(ev: &CodedEvent, movers: bool) -> bool {
    // (Forces named by the "of" phrase only move: a withdrawal or a deployment.)
    if movers && !(ev.cameo.starts_with("087") || ev.cameo.starts_with("15")) {
        return false;
    }
    let deed = matches!(
        ev.plover.quad_class(),
        QuadClass::MaterialCooperation | QuadClass::MaterialConflict
    ) || ev.plover == Plover::Sanction;
    let placed_by_doer = ev.targets.iter().any(|a| a.entry.contains(DOER_PLACED));
    deed && (!placed_by_doer || ev.plover.is_conflict())
        && ev.modality == "asserted"
        && !ev.negated
        && !ev.hypothetical
        && ev.targets.iter().any(|a| a.code.is_some())
}

/// The byte offset where an argument's last chunk ends.
fn phrase_end(a: &Arg, toks: &[TaggedToken], chunks: &[annalist_text::Chunk]) -> usize {
    a.chunks
        .last()
        .and_then(|&c| chunks.get(c))
        .and_then(|c| toks.get(c.end.checked_sub(1)?))
        .map_or(0, |t| t.token.end)
}

/// "ordered the army to …": state forces named without a country are the orderer's
/// own (the country of the first source that has one).
fn own_forces(fit: &Fit, sources: &[Actor]) -> Vec<Actor> {
    let Some(home) = sources.iter().find_map(|s| s.country()) else {
        return Vec::new();
    };
    fit.theme
        .map(|a| {
            a.actors
                .iter()
                .filter(|t| t.code.is_none() && t.sector.is_some_and(Sector::is_state_force))
                .cloned()
                .map(|mut t| {
                    t.code = Some(home.to_string());
                    t
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Whether predicate `p` is in a past tense ("entered", "had entered", "was seized"):
/// no modal, and a past form or a form of "have" in its verb group.
fn past_clause(p: &Predicate, toks: &[TaggedToken]) -> bool {
    if p.vg.modal.is_some() {
        return false;
    }
    let mut k = p.vg.head + 1;
    while k > 0 {
        k -= 1;
        let t = &toks[k];
        if t.tag == Tag::VBD || (k < p.vg.head && t.lemma == "have") {
            return true;
        }
        if !(t.tag.is_verb() || t.tag == Tag::RB) {
            return false;
        }
    }
    false
}

/// Whether some actor of `a` is of a country some actor of `b` is of.
fn shares_country(a: &[Actor], b: &[Actor]) -> bool {
    a.iter()
        .filter_map(Actor::country)
        .any(|c| b.iter().any(|s| s.country() == Some(c)))
}

fn coded_actors(arg: Option<&Arg>) -> Vec<Actor> {
    arg.map(|a| {
        a.actors
            .iter()
            .filter(|a| a.code.is_some())
            .cloned()
            .collect()
    })
    .unwrap_or_default()
}

impl EventMatcher {
    /// The CAMEO codes (types, Goldstein values, PLOVER modes and contexts).
    pub fn cameo_table(&self) -> &CameoTable {
        &self.cameo
    }

    /// The confidence model (`confidence.txt`).
    pub fn confidence_model(&self) -> &annalist_dict::ConfidenceModel {
        &self.confidence
    }

    pub fn new(d: &Dictionaries) -> EventMatcher {
        let mut by_lemma: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in d.verbs.iter().enumerate() {
            by_lemma.entry(p.lemma.clone()).or_default().push(i);
        }
        // The most specific first; between object constraints, the narrower one ("carry
        // out {AIRSTRIKE}" before "carry out {ATTACK}"), else file order.
        let class_sizes: HashMap<&str, usize> = d
            .nouns
            .iter()
            .map(|c| (c.name.as_str(), c.nouns.len()))
            .collect();
        let breadth = |i: usize| match &d.verbs[i].object {
            PatternObject::Class(name) => class_sizes
                .get(name.as_str())
                .copied()
                .unwrap_or(usize::MAX),
            PatternObject::Nouns(list) => list.len(),
            _ => usize::MAX,
        };
        for v in by_lemma.values_mut() {
            v.sort_by_key(|&i| (std::cmp::Reverse(d.verbs[i].specificity()), breadth(i)));
        }
        let classes = d
            .nouns
            .iter()
            .map(|c| (c.name.clone(), c.nouns.iter().cloned().collect()))
            .collect();
        let combos = d
            .combinations
            .iter()
            .filter_map(|c| Some(((c.kind, Plover::parse(&c.complement_type)?), c.code.clone())))
            .collect();
        let mut nominals = HashMap::new();
        for c in &d.nouns {
            if let Some((code, preps)) = &c.nominal {
                for n in &c.nouns {
                    nominals
                        .entry(n.clone())
                        .or_insert_with(|| (code.clone(), preps.clone()));
                }
            }
        }
        let derivations = d
            .derivations
            .iter()
            .map(|dv| (dv.noun.clone(), dv.verbs.clone()))
            .collect();
        let light_verbs = d
            .verbs
            .iter()
            .filter(|v| v.action == PatternAction::Nominal)
            .map(|v| v.lemma.clone())
            .collect();
        EventMatcher {
            light_verbs,
            patterns: d.verbs.clone(),
            by_lemma,
            classes,
            combos,
            solos: d
                .solos
                .iter()
                .map(|s| (s.code.clone(), s.alone.clone()))
                .collect(),
            nominals,
            derivations,
            cameo: d.cameo.clone(),
            confidence: d.confidence.clone(),
            words: d.classes.clone(),
        }
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// An actor found only through a possessive pronoun of the object ("called off its
    /// strike", "renewed their demand"): the pronoun names the subject or the speaker,
    /// who is not the target of their own act.
    fn possessive_pronoun(&self, a: &Actor) -> bool {
        // (Its own words only: not those of the actor a localized one took its country
        // from, "fighters" placed by "its troops".)
        let own = match a.entry.rfind(" (localized)") {
            Some(k) => &a.entry[..a.entry[..k].rfind("; ").unwrap_or(0)],
            None => a.entry.as_str(),
        };
        own.split("coreference \"").skip(1).any(|rest| {
            rest.split_once('\x22')
                .is_some_and(|(w, _)| self.words.has(WordClass::PossessivePronoun, w))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    fn head_in(&self, obj: &PatternObject, heads: &[String]) -> bool {
        match obj {
            PatternObject::Class(c) => self
                .classes
                .get(c)
                .is_some_and(|set| heads.iter().any(|h| set.contains(h))),
            PatternObject::Nouns(ns) => heads.iter().any(|h| ns.contains(h)),
            _ => true,
        }
    }

    /// Tries one pattern on a predicate; `Err` says why it does not fit.
    fn fit<'p>(
        &self,
        pat: &'p VerbPattern,
        p: &'p Predicate,
        preds: &[Predicate],
        toks: &'p [TaggedToken],
    ) -> Result<Fit<'p>, Miss<'p>> {
        if pat.copular != p.copular {
            return Err(if pat.copular {
                Miss::NeedsCopula
            } else {
                Miss::Adjectival
            });
        }
        // "called the strikes a violation": a verb of naming with a second object
        // (NAMING_VERB) names its object; it does nothing to it. Only a pattern on what
        // it is named fits ("call {PEJORATIVE}": an accusation of the object).
        if p.object2.is_some() && self.words.has(WordClass::NamingVerb, &p.lemma) {
            let on_name = match &pat.object {
                obj @ (PatternObject::Class(_) | PatternObject::Nouns(_)) => p
                    .object2
                    .as_ref()
                    .is_some_and(|t| self.head_in(obj, &t.heads)),
                _ => false,
            };
            if !on_name || pat.particle.is_some() {
                return Err(Miss::Naming);
            }
        }
        let mut theme = self.particle_theme(pat, p, toks)?;
        match &pat.object {
            PatternObject::Any => {}
            PatternObject::Required => {
                if theme.is_none() {
                    return Err(Miss::NeedsObject);
                }
            }
            obj => {
                let ok_theme = theme.is_some_and(|t| self.head_in(obj, &t.heads));
                let ok_second = p
                    .object2
                    .as_ref()
                    .is_some_and(|t| self.head_in(obj, &t.heads));
                if ok_second {
                    theme = p.object2.as_ref();
                } else if !ok_theme {
                    return Err(Miss::ObjectNotIn(theme, obj));
                }
            }
        }
        if let Some(prep) = &pat.event_prep {
            // "claimed responsibility for the bombing": the event noun is in the phrase.
            let phrase = p.pps.iter().find(|(x, _)| x == prep).map(|(_, a)| a);
            theme = Some(phrase.ok_or(Miss::NoPhrase(prep))?);
        }
        // ("released a statement", "fought crime": a NOMINAL pattern whose object class
        // or nouns name no event — `release {DOCUMENT}`, `fight [crime/…]` — fits, and
        // codes nothing, so that no other pattern of the verb does.)
        let constrained = matches!(
            pat.object,
            PatternObject::Class(_) | PatternObject::Nouns(_)
        ) && pat.event_prep.is_none();
        if pat.action == PatternAction::Nominal
            && !constrained
            && theme.and_then(|t| self.nominal_of(t)).is_none()
        {
            return Err(Miss::NamesNoEvent(theme));
        }
        Self::complement_fits(pat, p, preds)?;
        Ok(Fit {
            pattern: pat,
            theme,
        })
    }

    /// The particle or preposition a pattern needs ("pull out of X", "call on X",
    /// "rule out"), and the theme it leaves: the object, or the phrase of the
    /// preposition. A verb with another particle is another verb ("set up" is not "set").
    fn particle_theme<'p>(
        &self,
        pat: &'p VerbPattern,
        p: &'p Predicate,
        toks: &'p [TaggedToken],
    ) -> Result<Option<&'p Arg>, Miss<'p>> {
        let vg_particle = p.vg.particle.map(|i| toks[i].lower.as_str());
        let mut theme: Option<&Arg> = p.patient();
        if let Some(part) = &pat.particle {
            // "pulled out of the town": the chunker reads "out of" as one preposition;
            // for a pattern that names the particle, "out" is the verb's.
            let vg_particle = vg_particle.or_else(|| out_of_after(p, toks));
            let (first, second) = match part.split_once(' ') {
                Some((a, b)) => (a, Some(b)),
                None => (part.as_str(), None),
            };
            let prep_arg = |prep: &str| p.pps.iter().find(|(x, _)| x == prep).map(|(_, a)| a);
            match second {
                // "pull out of X": the verb's particle, then a prepositional phrase.
                Some(prep) => {
                    if vg_particle != Some(first) {
                        return Err(Miss::NoParticle(first));
                    }
                    theme = Some(prep_arg(prep).ok_or(Miss::NoPhrase(prep))?);
                }
                None if vg_particle == Some(first) => {
                    // "ruled out talks": the object follows the particle.
                }
                None => match prep_arg(first) {
                    // "called on Iran", "agreed to the plan": the preposition's phrase
                    // is the theme unless the verb has an object of its own ("call X
                    // off"); in the passive the subject stays the theme.
                    Some(a) if p.vg.voice == annalist_text::Voice::Active && p.object.is_none() => {
                        theme = Some(a)
                    }
                    // "threatened Iran with sanctions": the class is checked on the
                    // preposition's phrase; the object stays the target.
                    Some(a)
                        if matches!(
                            pat.object,
                            PatternObject::Class(_) | PatternObject::Nouns(_)
                        ) =>
                    {
                        theme = Some(a)
                    }
                    Some(_) => {}
                    // "refrained from shelling": the preposition before a gerund
                    // complement.
                    None if pat.complement == Some(Complement::Gerund)
                        && (p.vg.head + 1..(p.vg.head + 4).min(toks.len())).any(|k| {
                            toks[k].lower == first
                                && toks.get(k + 1).is_some_and(|t| t.tag == Tag::VBG)
                        }) => {}
                    None => return Err(Miss::NoParticle(part)),
                },
            }
        } else if let Some(vp) = vg_particle {
            // A verb with a particle is another verb ("set up" is not "set").
            if !self.words.has(WordClass::NeutralParticle, vp) {
                return Err(Miss::OtherParticle(vp));
            }
        }
        Ok(theme)
    }

    /// A pattern's complement (`to VP`, `VPing`, `S`) must be the predicate's.
    fn complement_fits(
        pat: &VerbPattern,
        p: &Predicate,
        preds: &[Predicate],
    ) -> Result<(), Miss<'static>> {
        if let Some(c) = pat.complement {
            // "continued their hunger strike to demand …": with an object between them, an
            // infinitive is a purpose clause, not the complement of "continue to VP".
            if c == Complement::Infinitive
                && pat.object == PatternObject::Any
                && pat.particle.is_none()
                && p.object.is_some()
            {
                return Err(Miss::ObjectBeforeInfinitive);
            }
            let comp = p.complement.map(|i| &preds[i]);
            let ok = match (c, comp) {
                (Complement::Infinitive, Some(q)) => q.vg.infinitive,
                (Complement::Gerund, Some(q)) => q.vg.gerund,
                (Complement::Clause, _) => p.clause.is_some(),
                _ => false,
            };
            if !ok {
                return Err(Miss::NeedsComplement(c));
            }
        }
        Ok(())
    }

    /// The target of an event pattern: the object or the first prepositional phrase
    /// the pattern names that holds an actor.
    fn target_of(&self, fit: &Fit, p: &Predicate, toks: &[TaggedToken]) -> Vec<Actor> {
        let mut t = self.target_actors(fit, p, toks);
        // "called off its strike": the owner is the subject itself.
        let subject = coded_actors(p.agent());
        t.retain(|a| !(self.possessive_pronoun(a) && subject.iter().any(|s| s.code == a.code)));
        t
    }

    /// The pattern codes violence (ASSAULT).
    fn violence(&self, fit: &Fit) -> bool {
        match &fit.pattern.action {
            PatternAction::Event(code) => {
                self.code_info(code).map(|(p, _)| p) == Some(Plover::Assault)
            }
            _ => false,
        }
    }

    fn target_actors(&self, fit: &Fit, p: &Predicate, toks: &[TaggedToken]) -> Vec<Actor> {
        let particle_in_vg = p.vg.particle.map(|i| toks[i].lower.clone());
        // "protested to Israel over the deaths of Egyptian soldiers": a phrase that names
        // only the source's own country yields to a later place naming another (the
        // object does not yield).
        // (Looked up only when a phrase names actors: no allocation on the hot path.)
        let source_country = |c: &str| {
            p.agent()
                .is_some_and(|a| a.actors.iter().any(|x| x.country() == Some(c)))
        };
        let own = |acts: &[Actor]| acts.iter().all(|a| a.country().is_some_and(source_country));
        let mut own_first: Option<Vec<Actor>> = None;
        for spec in &fit.pattern.target {
            if spec == "each" {
                continue;
            }
            let acts = if spec == "obj" {
                // The object (in the passive, the subject); failing that the theme,
                // whose adjective may name the target ("Israeli positions").
                // "rejected the annexation of Crimea by Russia": the doer of the act
                // the object names is the target, not what the act was done to.
                let a = coded_actors(self.object_doer(p));
                let a = if a.is_empty() {
                    coded_actors(p.patient())
                } else {
                    a
                };
                let a = if a.is_empty() {
                    coded_actors(fit.theme)
                } else {
                    a
                };
                let a = if a.is_empty() {
                    // "rejected pressure from the EU", "accepted an offer by Iran": the
                    // author named right after an object with no actor of its own.
                    coded_actors(self.object_author(p))
                } else {
                    a
                };
                // "closed its border with Afghanistan": the neighbour (not the owner of
                // the border), when the object is the border ("repelled an attack near
                // the border with Niger" is no act on Niger).
                let border = p.object.as_ref().is_some_and(Arg::is_border);
                match p.pp("with").filter(|w| border && p.with_of_border(w)) {
                    Some(w) => coded_actors(Some(w)),
                    None => a,
                }
            } else if particle_in_vg.as_deref() == Some(spec.as_str())
                || (fit.pattern.particle.as_deref() == Some(spec.as_str()) && p.pp(spec).is_none())
            {
                coded_actors(p.patient())
            } else {
                // "along its border with Venezuela": the neighbour is the target.
                let arg = p.pp(spec);
                let raw = p.pps.iter().find(|(pr, _)| pr == spec).map(|(_, a)| a);
                let border = raw.is_some_and(Arg::is_border);
                match p.pp("with").filter(|_| border) {
                    Some(w) => coded_actors(Some(w)),
                    // "retaliate against any attack by X": the doer of the act named.
                    // "lifted its ban on arms exports to Israel", "curbs on flights
                    // from Russia": else the phrase completing its noun.
                    None if arg.is_none() => raw
                        .and_then(|r| {
                            let last = *r.chunks.last()?;
                            self.doer_after(p, last, true)
                                .or_else(|| completing_phrase(p, last))
                        })
                        .map(|d| coded_actors(Some(d)))
                        .unwrap_or_default(),
                    // "held drills near the border with Chad": no partner of a mutual
                    // event.
                    None if spec == "with"
                        && fit.pattern.target.iter().any(|t| t == "each")
                        && arg.is_some_and(|a| p.with_of_border(a)) =>
                    {
                        Vec::new()
                    }
                    None => coded_actors(arg),
                }
            };
            if !acts.is_empty() {
                // ("deployed troops against drug gangs near the Brazilian border": whom
                // it is against is named as such, of whatever country.)
                if spec == "obj" || spec == "against" || !own(&acts) {
                    return acts;
                }
                own_first.get_or_insert(acts);
            }
        }
        if let Some(acts) = own_first.filter(|_| !p.acts_on_mission()) {
            return acts;
        }
        // "rejected Russia's demands", "rejected an Indian proposal": the possessor or
        // the national modifier of a constrained object is the target when no listed
        // place holds one (not an "in X" phrase: "talks in Ankara" has no target).
        // Not for violence: the nation on a weapon or an attack fired or launched
        // ("launched Russian drones", "carried out an Israeli strike") is its doer's.
        if !self.violence(fit)
            && matches!(
                fit.pattern.object,
                PatternObject::Class(_) | PatternObject::Nouns(_)
            )
        {
            // A possessor wins over modifiers ("Sweden's NATO membership bid" → Sweden),
            // and so does a possessive pronoun: one that names the subject itself
            // ("called off its strike", "renewed their demand") is no target and is
            // dropped with the subject's other actors; one that names another party
            // ("Russia rejected its offer", coreference) is the target.
            let owner = |a: &Actor| a.possessor || self.possessive_pronoun(a);
            let owners: Vec<Actor> = coded_actors(fit.theme)
                .into_iter()
                .filter(|a| owner(a) || a.modifier)
                .collect();
            if owners.iter().any(owner) {
                return owners.into_iter().filter(owner).collect();
            }
            return owners;
        }
        Vec::new()
    }

    /// The "from"/"by" phrase right after an active predicate's object ("pressure from
    /// the EU"): who the object comes from.
    fn object_author<'p>(&self, p: &'p Predicate) -> Option<&'p Arg> {
        if p.vg.voice != annalist_text::Voice::Active {
            return None;
        }
        let object = p.object.as_ref()?;
        // Only a thing or an official body has an author ("a delegation from Togo"):
        // "rescued 12 traders from jihadists" names whom they were taken from (a noun of
        // no nouns.txt class and no state agent, or of people's classes).
        let head = object.heads.last()?;
        let thing = self.classes.iter().any(|(name, set)| {
            !matches!(name.as_str(), "TROOPS" | "PRISONER") && set.contains(head)
        });
        let body = object
            .actors
            .iter()
            .any(|a| a.code.is_none() && a.sector.is_some_and(|s| s.is_state()));
        if !thing && !body {
            return None;
        }
        let last = *object.chunks.last()?;
        phrase_after(p, last)
            .filter(|(pr, _)| matches!(pr.as_str(), "from" | "by"))
            .map(|(_, a)| a)
    }

    /// The "by" phrase after an active predicate's object and the "of" (and "as")
    /// phrases on it ("the recognition of Somaliland by Israel"): the doer of the act
    /// the object names.
    fn object_doer<'p>(&self, p: &'p Predicate) -> Option<&'p Arg> {
        let last = *p.object.as_ref()?.chunks.last()?;
        self.doer_after(p, last, false)
    }

    /// The "by" phrase that names the doer of the act a noun phrase ending at chunk
    /// `last` names: after "of" (and "as") phrases on it, or, with `direct`, right after
    /// it ("retaliate against any provocation by X": a phrase with no actor of its own).
    fn doer_after<'p>(&self, p: &'p Predicate, mut last: usize, direct: bool) -> Option<&'p Arg> {
        if p.vg.voice != annalist_text::Voice::Active {
            return None;
        }
        let mut through_of = direct;
        loop {
            let (pr, a) = phrase_after(p, last)?;
            match pr.as_str() {
                // ("the recognition of X as a state by Y")
                "of" | "as" => {
                    through_of |= pr == "of";
                    last = *a.chunks.last()?;
                }
                "by" if through_of => return Some(a),
                _ => return None,
            }
        }
    }

    /// The event an object noun names ("hunger strike" → 142, "withdrawal" → 0874).
    fn nominal_of(&self, arg: &Arg) -> Option<&(String, Vec<String>)> {
        arg.heads.iter().find_map(|h| self.nominals.get(h))
    }

    fn code_info(&self, code: &str) -> Option<(Plover, f32)> {
        self.cameo.get(code).map(|c| (c.plover, c.goldstein))
    }

    /// Codes predicate `i` (and, through control patterns, its complement). Returns
    /// `None` when no pattern fits.
    pub fn code_predicate(
        &self,
        i: usize,
        preds: &[Predicate],
        toks: &[TaggedToken],
        trace: &mut MatchTrace,
    ) -> Option<CodedEvent> {
        let p = &preds[i];
        // "Ukraine received military aid from Germany": what an undergoing verb's
        // "by"/"from" phrase does to the subject comes before the verb's own sense
        // ("received the envoy").
        if self.words.has(WordClass::UndergoVerb, &p.lemma)
            && p.pps.iter().any(|(pr, _)| pr == "by" || pr == "from")
        {
            if let Some(ev) = self.code_derived(i, preds, toks, trace) {
                return Some(ev);
            }
        }
        let Some(fit) = self.best_fit(p, preds, toks, trace) else {
            return self.code_derived(i, preds, toks, trace);
        };
        let head = &toks[p.vg.head].token;
        let mut trigger = (head.start, head.end);
        // (A particle after the object — "sent the envoy back" — is not in the trigger:
        // the object's words are the target's.)
        if let Some(pt) = p.vg.particle.filter(|&pt| pt <= p.vg.head + 2) {
            trigger.1 = trigger.1.max(toks[pt].token.end);
        }
        let modal = p.vg.modal.as_deref().unwrap_or("");
        // "may halt its mediation if …", "could strike if …": a possibility tied to a
        // condition is a threat (or a conditional offer), not a mere hypothesis.
        let conditioned = matches!(modal, "could" | "might" | "may") && p.if_clause;
        let m = Matched {
            i,
            p,
            sources: coded_actors(p.agent())
                .into_iter()
                .filter(|a| !a.modifier)
                .collect(),
            trigger,
            // ("failed to reach a deal": a NEGATIVE_IMPLICATIVE controller negates.)
            negated: p.vg.negated ^ self.words.has(WordClass::NegativeImplicative, &p.lemma),
            hypothetical: matches!(modal, "could" | "might" | "may") && !conditioned,
            future: self.words.has(WordClass::FutureModal, modal) || conditioned,
        };
        match &fit.pattern.action {
            PatternAction::Event(code) => self.code_event(code, &fit, m, toks),
            PatternAction::Nominal => self.code_nominal(&fit, m),
            PatternAction::Control { kind, fallback } => {
                let control = Control {
                    kind: *kind,
                    fallback: fallback.as_deref(),
                };
                self.code_control(control, &fit, m, Sentence { preds, toks }, trace)
            }
        }
    }

    /// "announced the expulsion of the ambassador": a light verb (a `NOMINAL` pattern)
    /// whose object noun names no event of nouns.txt but is made from a verb
    /// (`derivations.txt`) is coded as that verb, the noun's of-phrase its object and the
    /// noun's other phrases its own ("expel the ambassador").
    fn code_derived(
        &self,
        i: usize,
        preds: &[Predicate],
        toks: &[TaggedToken],
        trace: &mut MatchTrace,
    ) -> Option<CodedEvent> {
        let p = &preds[i];
        let object = p
            .object
            .as_ref()
            .filter(|_| self.light_verbs.contains(&p.lemma))?;
        let noun = object.heads.last()?;
        if let Some(kind) = self
            .words
            .value(WordClass::ControlNoun, noun)
            .and_then(ControlKind::parse)
        {
            return self.code_control_noun(i, kind, preds, toks, trace);
        }
        let verbs = self.derivations.get(noun)?;
        let mut derived = p.clone();
        derived.object = None;
        if let Some(k) = derived.pps.iter().position(|(pr, _)| pr == "of") {
            derived.object = Some(derived.pps.remove(k).1);
        }
        derived.speech = false;
        // "Pakistan faces pressure from the IMF" (UNDERGO_VERB): the "by"/"from" phrase
        // does it to the subject; with no such phrase nothing is coded.
        if self.words.has(WordClass::UndergoVerb, &p.lemma) {
            let k = derived
                .pps
                .iter()
                .position(|(pr, _)| pr == "by" || pr == "from")?;
            let doer = derived.pps.remove(k).1;
            // The subject undergoes it ("Egypt received a loan of $3 billion from the
            // IMF": the IMF lends to Egypt), unless the "of" phrase names who does
            // ("Ukraine suffered the shelling of its towns by Russia").
            let of_names_actor = derived.object.as_ref().is_some_and(|o| {
                !o.actors.is_empty() && doer.actors.iter().all(|d| !o.actors.contains(d))
            });
            if !of_names_actor {
                derived.object = derived.subject.take();
            }
            derived.subject = Some(doer);
        }
        verbs.iter().find_map(|v| {
            derived.lemma = v.clone();
            trace.note(|| format!("  derived noun {noun:?} → verb {v:?} (derivations.txt)"));
            let mut ev = self.code_in_place_of(i, derived.clone(), preds, toks, trace)?;
            ev.rule = format!("{} via derivations.txt [{noun} → {v}]", ev.rule);
            Some(ev)
        })
    }

    /// "X accused Y of shelling Z", "blamed Y for the attack on Z": the content of an
    /// accusation (a predicate whose lemma is an `ATTRIBUTION_VERB` valued `alleged`) is
    /// an event of its own, coded with the accused as its source: the gerund complement
    /// (predicate `q`), or the "of"/"for" phrase that starts with a gerund or names an
    /// event noun made from a verb (`derivations.txt`), whose later words and the
    /// phrases after it are its object and complements. The event is `alleged_by` the
    /// accusation; `None` when nothing of it codes.
    pub fn code_allegation(
        &self,
        i: usize,
        preds: &[Predicate],
        toks: &[TaggedToken],
        chunks: &[annalist_text::Chunk],
        trace: &mut MatchTrace,
    ) -> Option<CodedEvent> {
        let p = &preds[i];
        if self.words.value(WordClass::AttributionVerb, &p.lemma) != Some("alleged") {
            return None;
        }
        let accused = p.object.clone().filter(|a| !a.actors.is_empty())?;
        let mut ev = if let Some(q) = (i + 1..preds.len()).find(|&q| preds[q].controller == Some(i))
        {
            let mut comp = preds[q].clone();
            comp.subject = Some(accused);
            comp.irrealis = false;
            comp.controller = None;
            trace.note(|| format!("  accusation: {:?} by the accused", comp.lemma));
            self.code_in_place_of(q, comp, preds, toks, trace)?
        } else {
            let k = p.pps.iter().position(|(pr, _)| pr == "of" || pr == "for")?;
            let phrase = &p.pps[k].1;
            let (lemma, after, trigger) = self.allegation_head(phrase, toks, chunks)?;
            let mut content = p.clone();
            content.lemma = lemma.clone();
            content.subject = Some(accused);
            content.speech = false;
            content.object = Some(Arg {
                actors: phrase
                    .actors
                    .iter()
                    .filter(|a| a.start >= after)
                    .cloned()
                    .collect(),
                ..phrase.clone()
            })
            // The gerund's own words after it ("firing rockets") stay its object even
            // without an actor: patterns look at the head.
            .filter(|a| !a.actors.is_empty() || after < phrase_end(phrase, toks, chunks));
            content.pps = p.pps[k + 1..].to_vec();
            content.complement = None;
            content.clause = None;
            trace.note(|| format!("  accusation: {lemma:?} by the accused"));
            let mut ev = self.code_in_place_of(i, content, preds, toks, trace)?;
            ev.trigger = trigger;
            ev
        };
        ev.alleged_by = Some(i);
        Some(ev)
    }

    /// The verb an accusation's phrase names: its first word as a gerund ("firing
    /// rockets" → fire; the words after it are the object), or its head noun if it
    /// names an event and is, or is made from, a verb ("the attack" → attack; the
    /// phrase has no object). Returns the verb and the byte offset after which the
    /// phrase's actors are the object.
    fn allegation_head(
        &self,
        phrase: &Arg,
        toks: &[TaggedToken],
        chunks: &[annalist_text::Chunk],
    ) -> Option<(String, usize, (usize, usize))> {
        let c = chunks.get(*phrase.chunks.first()?)?;
        let first = toks.get(c.start)?;
        // A gerund, or an "-ing" noun made from a verb ("shelling", "bombing").
        let gerund = if first.tag == annalist_dict::Tag::VBG {
            Some(first.lemma.clone())
        } else if first.lower.ends_with("ing") {
            self.derivations
                .get(&first.lemma)
                .and_then(|v| v.first().cloned())
                .or_else(|| {
                    self.by_lemma
                        .contains_key(&first.lemma)
                        .then(|| first.lemma.clone())
                })
        } else {
            None
        };
        if let Some(verb) = gerund {
            let span = (first.token.start, first.token.end);
            return Some((verb, first.token.end, span));
        }
        let head = phrase.heads.first()?;
        let ChunkKind::NounPhrase { head: h, .. } = c.kind else {
            return None;
        };
        let span = (toks.get(h)?.token.start, toks.get(h)?.token.end);
        let end = toks.get(c.end.checked_sub(1)?)?.token.end;
        if let Some(verbs) = self.derivations.get(head) {
            return Some((verbs.first()?.clone(), end, span));
        }
        (self.nominals.contains_key(head) && self.by_lemma.contains_key(head))
            .then(|| (head.clone(), end, span))
    }

    /// "condemned Russia's capture of two towns", "the arrest of an activist by police
    /// sparked riots": a deed (a material event, or a sanction: `owned_deed`) named by
    /// an event noun made from a verb (`derivations.txt`) whose own phrase names its doer
    /// — a possessor or modifier before the noun ("Mali's expulsion", "the Israeli
    /// bombardment"), else a "by" phrase right after its "of" phrase, else forces its
    /// "of" phrase names for their own movement ("the deployment of Rwandan troops") —
    /// is coded as that verb done by that doer, the "of" phrase its object and the later
    /// phrases (`after`, those following `noun` in predicate `i`) its own. The caller has
    /// decided that the clause states the event as done; the event is `i`'s, its trigger
    /// the noun.
    pub fn owned_event(
        &self,
        i: usize,
        (noun, after): (&Arg, &[(String, Arg)]),
        preds: &[Predicate],
        toks: &[TaggedToken],
        chunks: &[annalist_text::Chunk],
        trace: &mut MatchTrace,
    ) -> Option<CodedEvent> {
        let (&c, &last) = (noun.chunks.first()?, noun.chunks.last()?);
        let ChunkKind::NounPhrase { head: h, .. } = chunks.get(c)?.kind else {
            return None;
        };
        // (A common noun: "The Associated Press" names no pressing.)
        if !matches!(toks.get(h)?.tag, Tag::NN | Tag::NNS) {
            return None;
        }
        let lemma = &toks[h].lemma;
        let verbs = self.derivations.get(lemma)?;
        // Nor a noun that names the doers themselves, an actor's own words ("Somali
        // forces", "its air defences").
        let quoted = format!("{}\"", toks[h].lower);
        if noun.actors.iter().any(|a| a.entry.contains(&quoted)) {
            return None;
        }
        let (from, to) = (toks[chunks[c].start].token.start, toks[h].token.start);
        let own: Vec<Actor> = noun
            .actors
            .iter()
            // (An actor's span may run to the end of its phrase: "Mali's expulsion".)
            .filter(|a| a.code.is_some() && a.start >= from && a.start < to)
            .cloned()
            .collect();
        // The phrases that follow the noun, each right after the one before.
        let mut next = last + 2;
        let mut rest: Vec<(String, Arg)> = Vec::new();
        for (pr, a) in after {
            if a.chunks.first() != Some(&next) {
                break;
            }
            next = a.chunks.last()? + 2;
            rest.push((pr.clone(), a.clone()));
        }
        let mut object = (rest.first().is_some_and(|(pr, _)| pr == "of")).then(|| rest.remove(0).1);
        // "the withdrawal of Turkish troops from X": forces that move are the doers of
        // their own movement (kept only as a withdrawal or deployment, `owned_deed`).
        let forces = |a: &Arg| {
            a.actors.iter().any(|x| {
                x.country().is_some() && x.sector.is_some_and(|s| s.is_armed() || s == Sector::Cop)
            })
        };
        let mut movers = false;
        let doer = if !own.is_empty() {
            // ("The Chinese blockade of …": the nation on the noun is its doer, no mere
            // modifier.)
            Arg {
                actors: own
                    .into_iter()
                    .map(|a| Actor {
                        modifier: false,
                        ..a
                    })
                    .collect(),
                ..noun.clone()
            }
        } else if object.is_some() && rest.first().is_some_and(|(pr, _)| pr == "by") {
            // "the arrest of X by police": the "by" phrase right after the "of" phrase.
            rest.remove(0).1
        } else if let Some(o) = object.as_ref().filter(|o| forces(o)) {
            movers = true;
            o.clone()
        } else {
            return None;
        };
        if !doer.actors.iter().any(|a| a.code.is_some()) {
            return None;
        }
        // "France condemned the arrest of opposition leaders by Turkish police": an
        // actor of the noun's phrases placed only by the clause around it is of the
        // doer's country.
        if let Some(c) = doer.actors.iter().find_map(|a| a.country()) {
            let c = c.to_string();
            let args = object.iter_mut().chain(rest.iter_mut().map(|(_, a)| a));
            for a in args.flat_map(|a| a.actors.iter_mut()) {
                if a.entry.contains("(localized)") {
                    a.localize(&c, "the country of", DOER_PLACED);
                }
            }
        }
        let mut stand = plain_clause(&preds[i], doer, object, rest);
        let span = (toks[h].token.start, toks[h].token.end);
        verbs.iter().find_map(|v| {
            stand.lemma = v.clone();
            trace.note(|| format!("  event noun {lemma:?} of its own doer → verb {v:?}"));
            let mut ev = self.code_in_place_of(i, stand.clone(), preds, toks, trace)?;
            if !owned_deed(&ev, movers) {
                return None;
            }
            ev.trigger = span;
            ev.rule = format!(
                "grammar:owned-event-noun + {} via derivations.txt [{lemma} → {v}]",
                ev.rule
            );
            Some(ev)
        })
    }

    /// Codes `stand_in`, a predicate built from predicate `i` (a light verb's object read
    /// as a verb), as if it stood in the sentence; the event is `i`'s.
    fn code_in_place_of(
        &self,
        i: usize,
        stand_in: Predicate,
        preds: &[Predicate],
        toks: &[TaggedToken],
        trace: &mut MatchTrace,
    ) -> Option<CodedEvent> {
        let mut with = preds.to_vec();
        with.push(stand_in);
        let j = with.len() - 1;
        let mut ev = self.code_predicate(j, &with, toks, trace)?;
        ev.predicate = i;
        ev.consumed.retain(|&c| c != j);
        Some(ev)
    }

    /// "Ethiopia's decision to withdraw", "a pledge by Chad to send troops": an event
    /// done by a control noun's owner is framed by the noun's control kind
    /// (CONTROL_NOUN; `Predicate::framed_by`). True when it was.
    pub fn framed_by_noun(&self, ev: &mut CodedEvent, noun: &str) -> bool {
        let Some(kind) = self
            .words
            .value(WordClass::ControlNoun, noun)
            .and_then(ControlKind::parse)
        else {
            return false;
        };
        if ev.modality == "asserted" {
            self.apply_control(ev, kind, None);
        }
        ev.rule = format!("classes/coder.txt CONTROL_NOUN {noun:?} + {}", ev.rule);
        true
    }

    /// "announced plans to expel the envoy": the infinitive whose subject is the light
    /// verb's object noun, coded with the light verb's subject and framed by the noun's
    /// control kind (`CONTROL_NOUN`).
    fn code_control_noun(
        &self,
        i: usize,
        kind: ControlKind,
        preds: &[Predicate],
        toks: &[TaggedToken],
        trace: &mut MatchTrace,
    ) -> Option<CodedEvent> {
        let p = &preds[i];
        let object = p.object.as_ref()?;
        let q = (i + 1..preds.len()).find(|&q| {
            preds[q].vg.infinitive
                && preds[q]
                    .subject
                    .as_ref()
                    .is_some_and(|s| s.chunks == object.chunks)
        })?;
        let mut comp = preds[q].clone();
        comp.subject = p.agent().cloned();
        comp.irrealis = false;
        trace.note(|| {
            format!(
                "  control noun {:?} frames {:?}",
                object.heads.last(),
                preds[q].lemma
            )
        });
        let mut ev = self.code_in_place_of(i, comp, preds, toks, trace)?;
        ev.consumed.push(q);
        let head = &toks[p.vg.head].token;
        ev.trigger = (head.start.min(ev.trigger.0), head.end.max(ev.trigger.1));
        ev.rule = format!("classes/coder.txt CONTROL_NOUN + {}", ev.rule);
        if ev.modality == "asserted" {
            self.apply_control(&mut ev, kind, None);
        }
        Some(ev)
    }

    /// The most specific pattern of the predicate's lemma that fits (patterns are
    /// sorted by specificity); every attempt is traced.
    fn best_fit<'p>(
        &'p self,
        p: &'p Predicate,
        preds: &[Predicate],
        toks: &'p [TaggedToken],
        trace: &mut MatchTrace,
    ) -> Option<Fit<'p>> {
        let cands = self
            .by_lemma
            .get(&p.lemma)
            .map(|v| v.as_slice())
            .unwrap_or(&[]);
        if cands.is_empty() {
            trace.note(|| format!("  {:?}: no pattern for this lemma", p.lemma));
            return None;
        }
        let mut chosen = None;
        for &pi in cands {
            let pat = &self.patterns[pi];
            match self.fit(pat, p, preds, toks) {
                Ok(f) => {
                    trace.note(|| format!("  {} {:?}: fits", pat.origin, pat.text));
                    if chosen.is_none() {
                        chosen = Some(f);
                    }
                    // The most specific pattern wins; only `explain` wants the others.
                    if !trace.enabled {
                        break;
                    }
                }
                Err(why) => trace.note(|| format!("  {} {:?}: {why}", pat.origin, pat.text)),
            }
        }
        chosen
    }

    /// A future modal makes an event an intent or a threat ("would allow", "will
    /// attack"; "will withdraw … unless …": a conditional promise is a threat). A
    /// request to come is an intent, not a threat ("would ask the UN for help").
    fn future_control(&self, ev: &mut CodedEvent, m: &Matched) {
        let hostile = ev.plover.is_conflict() && ev.plover != Plover::Request;
        let kind = if hostile || m.p.conditional {
            ControlKind::Threat
        } else {
            ControlKind::Intent
        };
        self.apply_control(ev, kind, None);
    }

    /// A pattern with a CAMEO code: the event itself.
    fn code_event(
        &self,
        code: &str,
        fit: &Fit,
        m: Matched,
        toks: &[TaggedToken],
    ) -> Option<CodedEvent> {
        let (plover, goldstein) = self.code_info(code)?;
        let targets = self.target_of(fit, m.p, toks);
        let mut ev = m.event(code, (plover, goldstein), fit, targets);
        // "allowed the opposition to hold a rally", "ordered the envoy to leave": what a
        // verb of permission or command (PERMISSION_VERB) lets or tells others do is
        // not done by saying so; its complement is part of this event.
        if fit.pattern.complement == Some(Complement::Infinitive)
            && self.words.has(WordClass::PermissionVerb, &m.p.lemma)
        {
            ev.consumed.extend(m.p.complement);
        }
        if m.future && m.negated && !plover.is_conflict() {
            // "will not attend", "would not meet the demands": a refusal.
            ev.negated = false;
            self.apply_control(&mut ev, ControlKind::Refusal, None);
        } else if m.future && !m.negated {
            self.future_control(&mut ev, &m);
        }
        Some(ev)
    }

    /// A light verb whose object noun names the event ("held talks", "began a hunger
    /// strike"): the noun's event, its target from the noun's prepositions.
    fn code_nominal(&self, fit: &Fit, m: Matched) -> Option<CodedEvent> {
        let p = m.p;
        let (code, preps) = fit.theme.and_then(|t| self.nominal_of(t))?.clone();
        let (plover, goldstein) = self.code_info(&code)?;
        if self.words.has(WordClass::UndergoVerb, &p.lemma) {
            return self.undergone(fit, &m, &code, (plover, goldstein));
        }
        let mut targets = preps
            .iter()
            .map(|pr| coded_actors(p.pp(pr)))
            .find(|a| !a.is_empty())
            .unwrap_or_default();
        // (Not the doer's own country.)
        let other = |a: &Actor| !m.sources.iter().any(|s| s.code == a.code);
        if targets.is_empty() {
            targets = coded_actors(fit.theme).into_iter().filter(other).collect();
        }
        // "The Iranian minister arrived in Moscow for talks": a mutual event that one
        // party came to is held with the host its destination names (not when the
        // parties are the coordinated subject: "X and Y met in Geneva for talks").
        let mutual = preps.iter().any(|p| p == "each");
        let one_party = m
            .sources
            .iter()
            .all(|s| Some(&s.code) == m.sources.first().map(|f| &f.code));
        if targets.is_empty() && mutual && one_party {
            targets = ["to", "in"]
                .iter()
                .map(|pr| coded_actors(p.pp(pr)))
                .find(|a| !a.is_empty())
                .unwrap_or_default()
                .into_iter()
                .filter(other)
                .collect();
        }
        let mut ev = m.event(&code, (plover, goldstein), fit, targets);
        // "India and Japan stepped up their cooperation": a noun marked `each` in
        // nouns.txt is mutual, as a verb pattern marked so is.
        ev.reciprocal = mutual;
        if m.future && !m.negated {
            self.future_control(&mut ev, &m);
        }
        Some(ev)
    }

    /// "Kharkiv suffered a Russian missile attack", "the convoy came under fire from
    /// militants" (UNDERGO_VERB): the subject undergoes the event the object names; its
    /// doer is the nation named on the noun, else the "by"/"from" phrase. None is coded
    /// when no doer is named.
    fn undergone(
        &self,
        fit: &Fit,
        m: &Matched,
        code: &str,
        info: (Plover, f32),
    ) -> Option<CodedEvent> {
        let unmodified = |a: Actor| Actor {
            modifier: false,
            ..a
        };
        // (Not the subject itself — "suffered its worst attack" —, but another actor
        // of its country may be: "Turkish soldiers died in a PKK attack".)
        let mut doers: Vec<Actor> = coded_actors(fit.theme)
            .into_iter()
            .filter(|a| {
                !m.sources
                    .iter()
                    .any(|s| s.code == a.code && s.sector == a.sector)
            })
            .map(unmodified)
            .collect();
        if doers.is_empty() {
            doers = ["by", "from"]
                .iter()
                .map(|pr| coded_actors(m.p.pp(pr)))
                .find(|a| !a.is_empty())?;
        }
        // ("Ukrainian positions came under fire": what the subject names is hit.)
        let undergoers = coded_actors(m.p.subject.as_ref())
            .into_iter()
            .map(unmodified)
            .collect();
        let mut ev = m.event(code, info, fit, undergoers);
        ev.sources = doers;
        Some(ev)
    }

    /// A control pattern ("agree to VP", "urge NP to VP", "refuse to VP"): the event of
    /// its complement, reframed through the combination table; without one, the
    /// pattern's fallback code.
    fn code_control(
        &self,
        control: Control,
        fit: &Fit,
        m: Matched,
        sentence: Sentence,
        trace: &mut MatchTrace,
    ) -> Option<CodedEvent> {
        let Control { kind, fallback } = control;
        let Sentence { preds, toks } = sentence;
        let p = m.p;
        let comp_index = match fit.pattern.complement {
            Some(Complement::Clause) => p.clause,
            _ => p.complement,
        };
        let comp = comp_index.and_then(|c| {
            let mut sub = MatchTrace::new(trace.enabled);
            let r = self.code_predicate(c, preds, toks, &mut sub);
            trace.note(|| format!("  complement {:?}:", preds[c].lemma));
            trace
                .lines
                .extend(sub.lines.into_iter().map(|l| format!("  {l}")));
            r
        });
        let mut theme_actors = coded_actors(fit.theme);
        if kind == ControlKind::Request && fit.pattern.complement == Some(Complement::Clause) {
            // "demanded that the US cancel …": the clause's subject is asked.
            if let Some(c) = comp_index {
                theme_actors = coded_actors(preds[c].subject.as_ref());
            }
        }
        let consumed: Vec<usize> = comp_index.into_iter().collect();
        // "warned that Russia was preparing to invade": a clause in which another party
        // acts is a warning about that party, not the speaker's threat; the clause is
        // coded on its own.
        let clause = fit.pattern.complement == Some(Complement::Clause);
        // Nor is a clause in the past ("warned that warships had entered its waters"):
        // it reports what happened.
        if kind == ControlKind::Threat
            && clause
            && (comp
                .as_ref()
                .is_some_and(|ev| !shares_country(&ev.sources, &m.sources))
                || comp_index.is_some_and(|c| past_clause(&preds[c], toks)))
        {
            return None;
        }
        let Some(ev) = comp else {
            let code = fallback?;
            let (plover, goldstein) = self.code_info(code)?;
            let mut targets = theme_actors;
            if targets.is_empty() {
                targets = self.target_of(fit, p, toks);
            }
            // "agreed to expand trade with Beijing", "vowed to help Syria": with no
            // target of its own, the one the complement acts on or with.
            if let Some(q) = comp_index.filter(|_| targets.is_empty()).map(|c| &preds[c]) {
                targets = coded_actors(q.object.as_ref());
                if targets.is_empty() {
                    targets = self
                        .words
                        .members(WordClass::ComplementTargetPrep)
                        .iter()
                        .map(|pr| coded_actors(q.pp(pr)))
                        .find(|a| !a.is_empty())
                        .unwrap_or_default();
                }
                // "warned that China would pay a price": a threat's clause names the
                // threatened as its subject.
                if targets.is_empty() && clause && kind == ControlKind::Threat {
                    targets = coded_actors(q.subject.as_ref());
                    targets.retain(|t| !shares_country(std::slice::from_ref(t), &m.sources));
                }
            }
            let mut ev = m.event(code, (plover, goldstein), fit, targets);
            ev.modality = kind.as_str().into();
            ev.consumed = consumed;
            return Some(ev);
        };
        if kind == ControlKind::Request && theme_actors.is_empty() {
            theme_actors = own_forces(fit, &m.sources);
        }
        Some(self.controlled(kind, fit, m, ev, theme_actors, consumed))
    }

    /// The complement's event `ev` under control `kind`, with the control's sources and
    /// its theme's actors (`theme_actors`) as the asked or targeted.
    fn controlled(
        &self,
        kind: ControlKind,
        fit: &Fit,
        m: Matched,
        mut ev: CodedEvent,
        theme_actors: Vec<Actor>,
        consumed: Vec<usize>,
    ) -> CodedEvent {
        // "the minister ordered the navy to withdraw", "told the police to detain them":
        // an order to one's own forces is the act itself, done by those ordered.
        let own_order = kind == ControlKind::Request
            && fit.pattern.complement != Some(Complement::Clause)
            && !theme_actors.is_empty()
            && theme_actors.iter().all(|t| {
                t.sector.is_some_and(Sector::is_state)
                    && t.country()
                        .is_some_and(|c| m.sources.iter().any(|s| s.code.as_deref() == Some(c)))
            });
        ev.predicate = m.i;
        ev.consumed.extend(consumed);
        ev.reciprocal |= fit.pattern.target.iter().any(|t| t == "each");
        ev.trigger = (m.trigger.0.min(ev.trigger.0), m.trigger.1.max(ev.trigger.1));
        ev.pattern = format!("{} + {}", fit.pattern.text, ev.pattern);
        ev.negated = ev.negated || m.negated;
        if own_order {
            ev.sources = theme_actors;
            ev.rule = format!("{} + {} (own forces)", fit.pattern.rule_id(), ev.rule);
            return ev;
        }
        // "would start firing missiles at X": a future act is a threat (or an intent).
        let future_act = kind == ControlKind::Act && m.future && !m.negated;
        let conditional = m.p.conditional;
        // An act's complement shares its subject, and was coded with it (localized in
        // its own clause): keep those sources.
        if kind != ControlKind::Act || ev.sources.is_empty() {
            ev.sources = m.sources;
        }
        ev.rule = format!("{} + {}", fit.pattern.rule_id(), ev.rule);
        if kind == ControlKind::Request && !theme_actors.is_empty() {
            // "urged Iran to free the sailors": Iran is asked.
            ev.targets = theme_actors;
        } else if ev.targets.is_empty() {
            ev.targets = theme_actors;
        }
        self.apply_control(&mut ev, kind, Some(fit));
        if future_act && ev.modality == "asserted" {
            let kind = if ev.plover.is_conflict() || conditional {
                ControlKind::Threat
            } else {
                ControlKind::Intent
            };
            self.apply_control(&mut ev, kind, None);
        }
        ev
    }

    /// "Clashes broke out between Armenian and Azerbaijani troops", "Palestinian riots are
    /// continuing": an event noun as the subject of a verb of occurrence is the event.
    /// Its sources are the parties "between" which it happens, else the nations named
    /// on the noun.
    pub fn nominal_subject(
        &self,
        i: usize,
        preds: &[Predicate],
        toks: &[TaggedToken],
    ) -> Option<CodedEvent> {
        let p = &preds[i];
        if p.vg.voice != annalist_text::Voice::Active {
            // "protests were witnessed in several counties": seen happen, in a place.
            let seen = self.words.has(WordClass::OccurrenceSeenVerb, &p.lemma)
                && p.subject
                    .as_ref()
                    .is_some_and(|s| self.nominal_of(s).is_some())
                && p.pp("by").is_none();
            return if seen {
                self.nominal_event(i, p, toks, true, preds)
            } else {
                None
            };
        }
        if self.words.has(WordClass::OccurrenceSeenVerb, &p.lemma)
            && p.object
                .as_ref()
                .is_some_and(|o| self.nominal_of(o).is_some())
        {
            // "The capital saw protests": as if "protests swept the capital".
            let mut seen = p.clone();
            std::mem::swap(&mut seen.subject, &mut seen.object);
            seen.subject_pps = Vec::new();
            return self.nominal_event(i, &seen, toks, true, preds);
        }
        let occurrence = self.words.has(WordClass::OccurrenceVerb, &p.lemma);
        let in_place = self.words.has(WordClass::OccurrencePlaceVerb, &p.lemma);
        let toll = self.words.has(WordClass::OccurrenceTollVerb, &p.lemma);
        if !(occurrence || in_place || toll) {
            return None;
        }
        // "break out", "go on", "take place" need their word: a particle or the object.
        let next =
            p.vg.particle
                .or(Some(p.vg.head + 1).filter(|&k| k < toks.len()))
                .map(|k| toks[k].lower.as_str());
        let object_head = p.object.as_ref().and_then(|o| o.heads.last());
        match self.words.value(WordClass::OccurrenceVerb, &p.lemma) {
            Some(w) if next != Some(w) && object_head.map(String::as_str) != Some(w) => {
                return None
            }
            Some(_) => {}
            None if p.object.is_some() && !in_place && !toll => return None,
            None => {}
        }
        self.nominal_event(i, p, toks, in_place, preds)
    }

    /// "died in clashes between protesters and police", "condemned fighting between the
    /// army and the RSF": a noun of violence anywhere in predicate `i`'s phrases whose
    /// "between" phrase names its parties is their mutual event. `noun` is the
    /// event noun's phrase, `between` its "between" phrase, `trigger` the noun's span.
    pub fn between_event(
        &self,
        i: usize,
        (noun, between): (&Arg, &Arg),
        trigger: (usize, usize),
        preds: &[Predicate],
        toks: &[TaggedToken],
    ) -> Option<CodedEvent> {
        // (Only the parties "between" whom it happens make it an event here.)
        if !between.actors.iter().any(|a| a.code.is_some()) {
            return None;
        }
        // The noun as the subject of its own clause, its "between" phrase on it.
        let named = Predicate {
            subject: Some(noun.clone()),
            subject_pps: vec![("between".to_string(), between.clone())],
            object: None,
            pps: Vec::new(),
            ..preds[i].clone()
        };
        let mut ev = self.nominal_event(i, &named, toks, false, preds)?;
        // Violence, which happens: a truce or talks named in passing ("to monitor the
        // ceasefire between A and B") may be past or to come.
        if ev.plover.quad_class() as u8 != 4 {
            return None;
        }
        ev.trigger = trigger;
        ev.rule = "grammar:event-noun-between".into();
        ev.pattern = "EVENT-NOUN between X and Y".into();
        Some(ev)
    }

    /// "freed prisoners as part of talks with X", "struck the camp in coordination with
    /// X": a mutual event noun (a nouns.txt class with a "with" target and `each`) in an
    /// adjunct of predicate `i` is an event of the clause's doer `doer` with the party
    /// its "with" phrase `with` names. `noun`: the noun's lemmas (head, compound);
    /// `trigger`: the noun's span. (The caller passes no modal clause: nothing of it is
    /// hypothetical.)
    pub fn accompanying_event(
        &self,
        i: usize,
        (doer, noun, with): (&Arg, &[String], &Arg),
        trigger: (usize, usize),
    ) -> Option<CodedEvent> {
        let (code, preps) = noun.iter().find_map(|n| self.nominals.get(n))?;
        if !(preps.iter().any(|p| p == "with") && preps.iter().any(|p| p == "each")) {
            return None;
        }
        let (plover, goldstein) = self.code_info(code)?;
        let sources: Vec<Actor> = coded_actors(Some(doer))
            .into_iter()
            .map(|mut a| {
                a.modifier = false;
                a
            })
            .collect();
        let targets = coded_actors(Some(with));
        if sources.is_empty() || targets.is_empty() {
            return None;
        }
        Some(CodedEvent {
            predicate: i,
            cameo: code.clone(),
            plover,
            goldstein,
            sources,
            targets,
            negated: false,
            hypothetical: false,
            modality: "asserted".into(),
            trigger,
            rule: "grammar:event-noun-adjunct".into(),
            pattern: "VP in/during/as part of EVENT-NOUN with X".into(),
            consumed: Vec::new(),
            reciprocal: true,
            alleged_by: None,
        })
    }

    /// The event an event-noun subject names (`nominal_subject`); `in_place`: the object
    /// is the place it happens in; `preds`: the sentence's predicates.
    fn nominal_event(
        &self,
        i: usize,
        p: &Predicate,
        toks: &[TaggedToken],
        in_place: bool,
        preds: &[Predicate],
    ) -> Option<CodedEvent> {
        let subj = p.subject.as_ref()?;
        let (code, preps) = self.nominal_of(subj)?.clone();
        let (plover, goldstein) = self.code_info(&code)?;
        let subject_pp = |pr: &str| {
            p.subject_pps
                .iter()
                .find(|(x, a)| x == pr && !a.actors.is_empty())
                .map(|(_, a)| a)
        };
        let between_arg = p.pp("between").or_else(|| subject_pp("between"));
        let between = coded_actors(between_arg);
        // "Clashes between rival militias": one party named in the plural fights itself.
        let within = between.len() == 1 && between_arg.is_some_and(|a| a.actors.len() == 1);
        let (mut sources, reciprocal) = if between.len() > 1 || within {
            let several = between.len() > 1;
            (between, several)
        } else {
            (coded_actors(Some(subj)), false)
        };
        if sources.is_empty() && plover == Plover::Protest {
            // "Protests swept Nigeria", "rallies took place across Kenya": protests with no
            // one named are by the people of the place they happen in.
            sources = self.people_of_place(p, in_place).into_iter().collect();
        }
        if sources.is_empty() && plover == Plover::Protest {
            // "Tension was high across Ghana as protests took place in several cities":
            // with no place of their own, the people of the sentence's only country.
            sources = crate::clauses::sole_country(preds)
                .map(|c| people_of(c, "the sentence's only country"))
                .into_iter()
                .collect();
        }
        if sources.is_empty() {
            return None;
        }
        let targets = if reciprocal {
            Vec::new()
        } else if within {
            // The other side is the same actor, named by no words of its own.
            sources
                .iter()
                .map(|a| {
                    let mut t = a.clone();
                    t.modifier = false;
                    t.end = t.start;
                    t
                })
                .collect()
        } else {
            preps
                .iter()
                .map(|pr| coded_actors(p.pp(pr).or_else(|| subject_pp(pr))))
                .find(|a| !a.is_empty())
                // "an Israeli strike hit Gaza": the place struck.
                // (A protest's place is where it is, not whom it is against.)
                .or_else(|| {
                    (in_place && plover != Plover::Protest).then(|| coded_actors(p.object.as_ref()))
                })
                .unwrap_or_default()
        };
        let head = &toks[p.vg.head].token;
        Some(CodedEvent {
            predicate: i,
            cameo: code,
            plover,
            goldstein,
            sources: sources
                .into_iter()
                .map(|mut a| {
                    a.modifier = false;
                    a
                })
                .collect(),
            targets,
            negated: p.vg.negated,
            hypothetical: matches!(p.vg.modal.as_deref(), Some("could" | "might" | "may")),
            modality: "asserted".into(),
            trigger: (head.start, head.end),
            rule: "grammar:nominal-subject".into(),
            pattern: "EVENT-NOUN continues/erupts/breaks out".into(),
            consumed: Vec::new(),
            reciprocal,
            alleged_by: None,
        })
    }

    /// The civilians of the country where a predicate happens: its object place ("swept
    /// Nigeria") or the first place phrase ("across Kenya").
    fn people_of_place(&self, p: &Predicate, in_place: bool) -> Option<Actor> {
        let place = in_place
            .then_some(p.object.as_ref())
            .flatten()
            .into_iter()
            .chain(
                p.pps
                    .iter()
                    .filter(|(pr, _)| self.words.has(WordClass::PlacePrep, pr))
                    .map(|(_, a)| a),
            )
            .flat_map(|a| a.actors.iter())
            .find(|a| a.country().is_some() && a.org.is_none())?;
        Some(people_of(place, "the place"))
    }

    /// "The navy held drills off the coast": an act that needs a partner (`solo` lines of
    /// verbs.txt) with no target and one party is the act done alone. Returns whether
    /// the event was recoded.
    pub fn alone(&self, ev: &mut CodedEvent) -> bool {
        let parties: HashSet<Option<&str>> = ev.sources.iter().map(|a| a.code.as_deref()).collect();
        let Some(code) = self.solos.get(&ev.cameo) else {
            return false;
        };
        if !ev.targets.is_empty() || parties.len() > 1 {
            return false;
        }
        let code = code.clone();
        let recoded = self.recode(ev, &code);
        if recoded {
            ev.reciprocal = false;
        }
        recoded
    }

    /// Gives `ev` the CAMEO `code` with its PLOVER type and Goldstein value; false (and
    /// `ev` unchanged) for a code cameo.txt does not have.
    fn recode(&self, ev: &mut CodedEvent, code: &str) -> bool {
        let Some((plover, goldstein)) = self.code_info(code) else {
            return false;
        };
        ev.cameo = code.to_string();
        ev.plover = plover;
        ev.goldstein = goldstein;
        true
    }

    /// "North Korea fired two missiles into the sea": weapons fired into open water at
    /// no one are a show of force — a weapons test (`solo` of the attack: CAMEO 150,
    /// MOBILIZE) —, not an attack on the source's own country. The predicate has a
    /// directional phrase (WATER_PREP) headed by open water (WATER) and the event no
    /// target. Returns whether the event was recoded.
    pub fn into_open_water(&self, ev: &mut CodedEvent, p: &Predicate) -> bool {
        if ev.plover != Plover::Assault || !ev.targets.is_empty() {
            return false;
        }
        let water = p.pps.iter().any(|(prep, a)| {
            self.words.has(WordClass::WaterPrep, prep)
                && a.actors.is_empty()
                && a.heads.iter().any(|h| self.words.has(WordClass::Water, h))
        });
        // "at a tanker in the Red Sea": an aim named elsewhere is an attack ("on March
        // 5" is a date, no aim).
        let date = |h: &str| {
            h.split(' ').all(|w| {
                self.words.has(WordClass::Month, w) || w.chars().all(|c| c.is_ascii_digit())
            })
        };
        let aimed = p.pps.iter().any(|(prep, a)| {
            matches!(prep.as_str(), "at" | "on" | "against") && a.heads.iter().any(|h| !date(h))
        });
        water && !aimed && self.recode(ev, SHOW_OF_FORCE)
    }

    /// "French troops arrived in Chad": a visit (042) by armed forces is their deployment
    /// there (154, MOBILIZE), and by `peacekeepers` the protection they bring (074,
    /// AID; asked only of such a visit). Returns whether the event was recoded.
    pub fn forces_arrive(&self, ev: &mut CodedEvent, peacekeepers: impl FnOnce() -> bool) -> bool {
        if ev.cameo != VISIT
            || ev.sources.is_empty()
            || !ev
                .sources
                .iter()
                .all(|a| matches!(a.sector, Some(Sector::Mil | Sector::Cop)))
        {
            return false;
        }
        let code = if peacekeepers() {
            PEACEKEEPING
        } else {
            DEPLOYMENT
        };
        self.recode(ev, code)
    }

    /// "the rebels, backed by Rwandan troops": backing (051 or 070, of a BACKING_VERB) by armed
    /// forces is military aid (072). Returns whether the event was recoded.
    pub fn armed_backing(&self, ev: &mut CodedEvent, lemma: &str) -> bool {
        if !(ev.cameo == ENDORSE || ev.cameo == AID)
            || !self.words.has(WordClass::BackingVerb, lemma)
            || ev.sources.is_empty()
            || !ev.sources.iter().all(|a| a.sector == Some(Sector::Mil))
        {
            return false;
        }
        self.recode(ev, MILITARY_AID)
    }

    /// "Protesters ransacked parliament", "students set fire to police posts": property
    /// seized or destroyed (171x) by unarmed civilians — protesters, students, workers,
    /// farmers, the opposition — is a riot (145, PROTEST), as CAMEO codes violent protest.
    /// Returns whether the event was recoded.
    pub fn riot(&self, ev: &mut CodedEvent) -> bool {
        if !ev.cameo.starts_with("171")
            || ev.sources.is_empty()
            || !ev.sources.iter().all(|a| {
                a.sector
                    .is_some_and(|s| s.is_unarmed_domestic() || s == Sector::Agr)
            })
        {
            return false;
        }
        self.recode(ev, RIOT)
    }

    /// "Protesters attacked a police station", "a mob lynched two men": violence (18x,
    /// 19x) or seizure (171x) by a subject headed by a PROTESTER_NOUN is a riot (145,
    /// PROTEST). Returns whether the event was recoded.
    pub fn protesters_riot(&self, ev: &mut CodedEvent, p: &Predicate) -> bool {
        // (The doer: "police were attacked by protesters" too.)
        // (A head is listed bare and with its modifier: "angry protester", "protester".)
        let protesters = p.agent().is_some_and(|a| {
            a.heads
                .iter()
                .any(|h| self.words.has(WordClass::ProtesterNoun, h))
        });
        let violent = ["18", "19", "171"].iter().any(|c| ev.cameo.starts_with(c));
        if !protesters || !violent {
            return false;
        }
        self.recode(ev, RIOT)
    }

    /// "Doctors took part in a strike", "teachers staged a strike": an attack named by a
    /// noun of CIVIL_STRIKE_NOUN (the object or a phrase of the predicate) and done by
    /// civil society alone — no armed, police or government actor — is a labour strike
    /// (143). Returns whether the event was recoded.
    pub fn labour_strike(&self, ev: &mut CodedEvent, p: &Predicate) -> bool {
        let civil = |a: &Actor| {
            a.sector
                .is_some_and(|s| !s.is_armed() && !s.is_state_force() && s != Sector::Gov)
        };
        let named = p
            .object
            .iter()
            .chain(p.pps.iter().map(|(_, a)| a))
            .flat_map(|a| a.heads.iter())
            .any(|h| self.words.has(WordClass::CivilStrikeNoun, h));
        if ev.plover != Plover::Assault
            || !named
            || ev.sources.is_empty()
            || !ev.sources.iter().all(civil)
        {
            return false;
        }
        self.recode(ev, LABOUR_STRIKE)
    }

    /// "Berlin summoned the Russian envoy to protest the expulsion": a demonstration
    /// (141) made by summoning an envoy (SUMMON_VERB) is a formal complaint (114,
    /// ACCUSE), and a complaint so made is made to the envoy's state. Returns whether
    /// the event was recoded.
    pub fn summoned_protest(&self, ev: &mut CodedEvent, p: &Predicate) -> bool {
        let complaint = ev.cameo == DEMONSTRATE || ev.plover == Plover::Accuse;
        if !complaint || !self.words.has(WordClass::SummonVerb, &p.lemma) {
            return false;
        }
        // (Made to the envoy's state, whatever the protested act was done to.)
        let envoy = coded_actors(p.object.as_ref());
        if !envoy.is_empty() {
            ev.targets = envoy;
        }
        if ev.cameo == DEMONSTRATE {
            return self.recode(ev, COMPLAINT);
        }
        true
    }

    /// "Rebels marched into the provincial capital", "troops paraded through the city": a
    /// demonstration (141) by armed forces alone — military, rebels, armed groups — is no
    /// protest: marching into a place occupies it (192, COERCE), anywhere else it is a
    /// show of force (150, MOBILIZE). Returns whether the event was recoded.
    pub fn armed_march(&self, ev: &mut CodedEvent, p: &Predicate) -> bool {
        if !ev.cameo.starts_with(DEMONSTRATE)
            || ev.sources.is_empty()
            || !ev
                .sources
                .iter()
                .all(|a| a.sector.is_some_and(Sector::is_armed))
        {
            return false;
        }
        let into = p.pps.iter().any(|(prep, _)| prep == "into");
        self.recode(ev, if into { OCCUPY } else { SHOW_OF_FORCE })
    }

    /// "Police raided the offices of an opposition party", "investigators raided the
    /// presidential office": a raid (RAID_VERB) by police, investigators, the judiciary
    /// or intelligence alone on no armed actor is a coercive search (170, COERCE), not
    /// military force (a raid on a militant hideout stays an assault). Returns whether
    /// the event was recoded.
    pub fn police_raid(&self, ev: &mut CodedEvent, p: &Predicate) -> bool {
        let police = |a: &Actor| matches!(a.sector, Some(Sector::Cop | Sector::Jud | Sector::Spy));
        let unarmed = |a: &Actor| a.sector.is_none_or(|s| !s.is_armed() && s != Sector::Crm);
        if ev.plover != Plover::Assault
            || !self.words.has(WordClass::RaidVerb, &p.lemma)
            || ev.sources.is_empty()
            || !ev.sources.iter().all(police)
            || !ev.targets.iter().all(unarmed)
        {
            return false;
        }
        self.recode(ev, COERCE)
    }

    /// "Chinese coast guard ships blocked a Philippine supply mission": obstructing
    /// passage (144, a protest when the public does it) done by the state alone — a
    /// country, its government or its forces — restricts movement (191, COERCE).
    /// Returns whether the event was recoded.
    pub fn state_blockade(&self, ev: &mut CodedEvent) -> bool {
        let state = |a: &Actor| a.code.is_some() && a.sector.is_none_or(Sector::is_state);
        if !ev.cameo.starts_with("144") || ev.sources.is_empty() || !ev.sources.iter().all(state) {
            return false;
        }
        self.recode(ev, BLOCKADE)
    }

    /// "X said Y must stop …": an obligation in reported speech is the speaker's
    /// request of the clause's subject. `ev` is what the predicate coded by itself.
    pub fn obligation(
        &self,
        i: usize,
        preds: &[Predicate],
        toks: &[TaggedToken],
        ev: Option<CodedEvent>,
    ) -> Option<CodedEvent> {
        let p = &preds[i];
        if !matches!(p.vg.modal.as_deref(), Some("must") | Some("should")) || p.vg.negated {
            return ev;
        }
        // Without a speaker to ask it, an obligation ("a reminder that Iraq must
        // cooperate", "Y should withdraw") is still not something that happened.
        let unasserted = |ev: Option<CodedEvent>| {
            ev.map(|mut e| {
                e.hypothetical = true;
                e
            })
        };
        let Some(s) = p.reported_by else {
            return unasserted(ev);
        };
        let speaker: Vec<Actor> = coded_actors(preds[s].agent())
            .into_iter()
            .filter(|a| !a.modifier)
            .collect();
        let asked = coded_actors(p.subject.as_ref());
        if speaker.is_empty() || asked.is_empty() {
            return unasserted(ev);
        }
        let head = &toks[p.vg.head].token;
        let mut ev = ev.unwrap_or_else(|| {
            let (plover, goldstein) = self.code_info("100").unwrap_or((Plover::Request, -5.0));
            CodedEvent {
                predicate: i,
                cameo: "100".into(),
                plover,
                goldstein,
                sources: vec![],
                targets: vec![],
                negated: false,
                hypothetical: false,
                modality: "request".into(),
                trigger: (head.start, head.end),
                rule: "grammar:obligation".into(),
                pattern: "X said Y must VP".into(),
                consumed: vec![],
                reciprocal: false,
                alleged_by: None,
            }
        });
        if ev.modality != "request" {
            self.apply_control(&mut ev, ControlKind::Request, None);
        }
        ev.sources = speaker;
        ev.targets = asked;
        ev.hypothetical = false;
        Some(ev)
    }

    /// Reframes a complement's event by its control: intent to meet → 036 etc.
    fn apply_control(&self, ev: &mut CodedEvent, kind: ControlKind, _fit: Option<&Fit>) {
        if kind == ControlKind::Denial {
            ev.negated = true;
            ev.modality = "denial".into();
            return;
        }
        // "decided to launch an investigation": the investigation, as it is.
        if kind == ControlKind::Act {
            return;
        }
        // "warned that it would retaliate": a threat framed as a threat keeps its code.
        if kind == ControlKind::Threat && ev.plover == Plover::Threaten {
            ev.modality = kind.as_str().into();
            return;
        }
        let code = self
            .combos
            .get(&(kind, ev.plover))
            .cloned()
            .unwrap_or_else(|| {
                match kind {
                    ControlKind::Intent => "030",
                    ControlKind::Threat => "130",
                    ControlKind::Refusal => "120",
                    ControlKind::Request => "100",
                    ControlKind::Denial | ControlKind::Act => unreachable!(),
                }
                .to_string()
            });
        if let Some((plover, goldstein)) = self.code_info(&code) {
            ev.cameo = code;
            ev.plover = plover;
            ev.goldstein = goldstein;
        }
        ev.modality = kind.as_str().into();
    }
}

fn describe(o: &PatternObject) -> String {
    match o {
        PatternObject::Class(c) => format!("{{{c}}}"),
        PatternObject::Nouns(n) => format!("[{}]", n.join("|")),
        PatternObject::Required => "NP".into(),
        PatternObject::Any => "any".into(),
    }
}
