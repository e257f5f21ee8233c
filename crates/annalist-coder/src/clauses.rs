//! Stage 6: predicate–argument structure. Input: chunks, tagged tokens and actor
//! mentions of one sentence; output: [`Predicate`]s — each verb group with its subject,
//! object and prepositional complements (each an [`Arg`] with its resolved actors), its
//! controller or complement ("agreed | to hold", "urged Iran | to free"), and whether it
//! is a reporting verb. Pronouns are resolved here: inside reported speech to the
//! speaker, otherwise to the nearest earlier actor of matching number in the sentence,
//! then to the previous sentence's first subject.
use crate::actors::{Actor, ActorMatcher, Mention};
use crate::knowledge::Knowledge;
use annalist_dict::{Sector, WordClass};
use annalist_text::{Chunk, ChunkKind, TaggedToken, VerbGroup, Voice};
use chrono::NaiveDate;

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
}

impl Predicate {
    /// The doer: the subject, or in the passive the "by" phrase.
    pub fn agent(&self) -> Option<&Arg> {
        match self.vg.voice {
            Voice::Active => self.subject.as_ref(),
            Voice::Passive => self.pps.iter().find(|(p, _)| p == "by").map(|(_, a)| a),
        }
    }

    /// The undergoer: the object, or in the passive the subject.
    pub fn patient(&self) -> Option<&Arg> {
        match self.vg.voice {
            Voice::Active => self.object.as_ref(),
            Voice::Passive => self.subject.as_ref(),
        }
    }

    /// The first argument introduced by one of `preps`.
    pub fn pp(&self, prep: &str) -> Option<&Arg> {
        self.pps
            .iter()
            .find(|(p, a)| p == prep && !a.actors.is_empty())
            .map(|(_, a)| a)
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

    /// The actor of the noun phrase at chunk `k`, completed by a following "of/in/from
    /// X" when the phrase itself names no country ("the police in Iraq").
    fn np_actor(&self, k: usize) -> (Option<Actor>, Option<usize>) {
        let (s, e, head, pronoun) = np_bounds(&self.chunks[k]).unwrap();
        // "dozens of students", "a group of refugees": a quantity denotes
        // what it counts.
        if self.kn.quantity.contains(&self.toks[head].lemma)
            && self.is_prep(k + 1, &["of"])
            && self.is_np(k + 2)
        {
            let (inner, pron) = self.np_actor(k + 2);
            if let Some(mut a) = inner {
                a.start = a.start.min(self.toks[s].token.start);
                return (Some(a), pron);
            }
        }
        let mut actor = self.matcher.resolve_phrase(
            self.doc,
            self.toks,
            self.mentions,
            (s, e, head),
            self.date,
        );
        // "the country", "the group": a definite description refers back like a pronoun.
        let anaphor = e == s + 2
            && self.toks[s].lower == "the"
            && actor
                .as_ref()
                .is_none_or(|a| a.code.is_none() && a.sector.is_none())
            && self.kn.anaphors.contains(&self.toks[head].lower);
        // A possessive pronoun ("its troops") or a pronoun to resolve.
        let pron = if anaphor {
            Some(head)
        } else if pronoun {
            Some(s)
        } else {
            (s..e)
                .find(|&i| self.toks[i].tag == annalist_dict::Tag::PRPS)
                .filter(|_| actor.as_ref().is_none_or(|a| a.code.is_none()))
        };
        // "calls by X", "an offer from X" name their actor in a "by"/"from" phrase.
        let thing_head = self.kn.things.contains(&self.toks[head].lemma);
        // "Engineers from a Turkish firm said": a "from" phrase names the actor of a
        // phrase that is no verb's object ("withdrew troops from Syria": Syria is the
        // verb's own argument).
        let after_verb = k > 0 && matches!(self.chunks[k - 1].kind, ChunkKind::Verb(_));
        let completes = if thing_head {
            self.is_prep_of(k + 1, WordClass::ThingActorPrep)
        } else if after_verb {
            self.is_prep(k + 1, &["of", "in", "at"])
        } else {
            self.is_prep_of(k + 1, WordClass::PhraseActorPrep)
        };
        // "its troops from X": the possessor owns the phrase, X is another argument.
        // "terrorist activities in Israel": an agent word that only modifies a thing does
        // not make the thing an actor of the place.
        if pron.is_none()
            && actor
                .as_ref()
                .is_none_or(|a| a.code.is_none() && !a.modifier)
            && completes
            && self.is_np(k + 2)
        {
            let (s2, e2, h2, _) = np_bounds(&self.chunks[k + 2]).unwrap();
            if let Some(inner) = self.matcher.resolve_phrase(
                self.doc,
                self.toks,
                self.mentions,
                (s2, e2, h2),
                self.date,
            ) {
                if inner.code.is_some() {
                    // "an offer from X", "calls by X", "the demands of X": X owns the
                    // thing; "talks in X" only places it.
                    let owner = thing_head && self.is_prep(k + 1, &["of", "from", "by"]);
                    let merged = match actor {
                        Some(a) => Actor {
                            code: inner.code.clone(),
                            org: inner.org.clone(),
                            sector: a.sector.or(inner.sector),
                            start: a.start.min(inner.start),
                            end: a.end.max(inner.end),
                            entry: format!("{}; {} (of/in phrase)", a.entry, inner.entry),
                            plural: a.plural,
                            person: a.person,
                            modifier: a.modifier && inner.modifier,
                            possessor: owner,
                            place: inner.place,
                        },
                        None => Actor {
                            possessor: owner,
                            ..inner
                        },
                    };
                    return (Some(merged), None);
                }
            }
        }
        if let (Some(a), Some(p)) = (&mut actor, pron) {
            let _ = p;
            if a.code.is_none() {
                a.start = a.start.min(self.toks[s].token.start);
            }
        }
        if let (None, Some(pi)) = (&actor, pron) {
            let t = &self.toks[s];
            let tok = &self.toks[pi];
            actor = Some(Actor {
                code: None,
                org: None,
                sector: None,
                start: t.token.start,
                end: self.toks[e - 1].token.end,
                entry: String::new(),
                plural: self.kn.is(WordClass::PluralPronoun, &tok.lower),
                person: self.kn.is(WordClass::PersonPronoun, &tok.lower),
                modifier: false,
                possessor: false,
                place: None,
            });
        }
        (actor, pron)
    }

    /// An argument starting at noun phrase `k`, with coordination; returns the last
    /// chunk used.
    fn arg_at(&self, k: usize, stop_before_clause: bool) -> (Arg, usize) {
        let mut arg = Arg {
            chunks: vec![],
            heads: vec![],
            actors: vec![],
            pronoun: None,
        };
        let mut j = k;
        loop {
            let (_, _, head, _) = np_bounds(&self.chunks[j]).unwrap();
            arg.chunks.push(j);
            let head_lemma = self.toks[head].lemma.clone();
            self.push_heads(&mut arg.heads, j);
            // "part of a military aid programme": a quantity's heads include what it counts.
            if self.kn.quantity.contains(&head_lemma)
                && self.is_prep(j + 1, &["of"])
                && self.is_np(j + 2)
            {
                let mut counted = Vec::new();
                self.push_heads(&mut counted, j + 2);
                let last = arg.heads.pop();
                arg.heads.extend(counted);
                arg.heads.extend(last);
            }
            let (actor, pron) = self.np_actor(j);
            if let Some(mut a) = actor {
                // Only things named after an actor are modifier-only; an unknown
                // head ("Palestinian bombers") still denotes the actor.
                a.modifier = a.modifier
                    && self.kn.things.contains(&head_lemma)
                    && !self.kn.troops.contains(&head_lemma);
                arg.actors.push(a);
            }
            if pron.is_some() && arg.pronoun.is_none() {
                arg.pronoun = pron;
            }
            // Skip "of/in/from X" completing the phrase.
            let mut next = j + 1;
            let mut q = j;
            while np_bounds(&self.chunks[q])
                .is_some_and(|(_, _, h, _)| self.kn.quantity.contains(&self.toks[h].lemma))
                && self.is_prep(q + 1, &["of"])
                && self.is_np(q + 2)
            {
                q += 2;
            }
            if q > j {
                next = q + 1;
            }
            if self.is_prep(next, &["of", "in", "from"])
                && self.is_np(next + 1)
                && arg
                    .actors
                    .last()
                    .is_some_and(|a| a.entry.contains("(of/in phrase)"))
            {
                next += 2;
            }
            // "X and Y", "X, Y and Z", "X, Y, and Z" (the comma before "and" is skipped).
            if j > k
                && self.chunks.get(next).is_some_and(|c| {
                    c.kind == ChunkKind::Punctuation && self.toks[c.start].lower == ","
                })
                && self.chunks.get(next + 1).is_some_and(|c| {
                    c.kind == ChunkKind::Coordinator
                        && matches!(self.toks[c.start].lower.as_str(), "and" | "or")
                })
                && self.is_np(next + 2)
            {
                next += 1;
            }
            let coord = self.chunks.get(next).is_some_and(|c| match c.kind {
                ChunkKind::Coordinator => matches!(self.toks[c.start].lower.as_str(), "and" | "or"),
                ChunkKind::Punctuation => {
                    self.toks[c.start].lower == ","
                        && self.is_np(next + 1)
                        && self.list_continues(next + 1)
                }
                _ => false,
            });
            if coord && self.is_np(next + 1) {
                // Not when the next phrase is the subject of a new clause.
                let (_, after) = (0, next + 2);
                if stop_before_clause
                    && self.is_finite_vg(after)
                    && self.toks[self.chunks[next].start].lower != ","
                {
                    return (arg, j);
                }
                j = next + 1;
                continue;
            }
            if arg.actors.iter().all(|a| a.country().is_none()) {
                if let Some(a) = self.bracketed_acronym(next) {
                    arg.actors = vec![a];
                }
            }
            // "Israeli helicopters and tanks": a national modifier scopes over the
            // conjuncts of the same sector that follow it.
            for n in 1..arg.actors.len() {
                let (prev, rest) = arg.actors.split_at_mut(n);
                let (p, a) = (&prev[n - 1], &mut rest[0]);
                if a.code.is_none() && !a.person && a.sector.is_some() && a.sector == p.sector {
                    if let Some(c) = p.country().map(str::to_string) {
                        let from = p.entry.clone();
                        a.localize(&c, "modifier of the coordination", &from);
                    }
                }
            }
            return (arg, if next > j + 1 { next - 1 } else { j });
        }
    }

    /// The heads a noun phrase offers to patterns: "hunger strike" (the compound),
    /// "aid" of "aid programme" (before a light head), then the head lemma itself.
    fn push_heads(&self, heads: &mut Vec<String>, k: usize) {
        let (s0, _, head, _) = np_bounds(&self.chunks[k]).unwrap();
        let head_lemma = self.toks[head].lemma.clone();
        if head > s0
            && (self.toks[head - 1].tag.is_noun() || self.toks[head - 1].tag.is_adjective())
        {
            heads.push(format!("{} {}", self.toks[head - 1].lower, head_lemma));
        }
        if self.kn.light.contains(&head_lemma) && head > s0 && self.toks[head - 1].tag.is_noun() {
            heads.push(self.toks[head - 1].lemma.clone());
        }
        heads.push(head_lemma);
    }

    /// "the Forces for the Defence of Democracy (FDD)": a name whose words code no
    /// country is followed by its acronym in brackets, and the acronym is in the
    /// dictionaries. `k` is the chunk after the name's first phrase; the name may go on
    /// with capitalised prepositional phrases ("for Defence", "of Democracy").
    fn bracketed_acronym(&self, mut k: usize) -> Option<Actor> {
        let is = |k: usize, w: &str| {
            self.chunks
                .get(k)
                .is_some_and(|c| c.kind == ChunkKind::Punctuation && self.toks[c.start].lower == w)
        };
        for _ in 0..4 {
            if is(k, "(") {
                break;
            }
            let capitalised = self.is_np(k + 1) && {
                let (s, e, _, _) = np_bounds(&self.chunks[k + 1]).unwrap();
                (s..e).all(|i| self.toks[i].capitalised || self.toks[i].lower == "the")
            };
            if !(self.is_prep(k, &["of", "for"]) && capitalised) {
                return None;
            }
            k += 2;
        }
        if !(is(k, "(") && self.is_np(k + 1) && is(k + 2, ")")) {
            return None;
        }
        let (s, e, _, _) = np_bounds(&self.chunks[k + 1]).unwrap();
        if e != s + 1
            || !self.toks[s]
                .token
                .text(self.doc)
                .chars()
                .all(|c| c.is_uppercase())
        {
            return None;
        }
        let (a, _) = self.np_actor(k + 1);
        a.filter(|a| a.code.is_some())
    }

    /// "last night", "this week", "earlier this month": a noun phrase that only says
    /// when.
    fn time_phrase(&self, k: usize) -> bool {
        let (s, e, head, _) = np_bounds(&self.chunks[k]).unwrap();
        self.kn.is(WordClass::TimeNoun, &self.toks[head].lower)
            && (s..head).all(|i| self.kn.is(WordClass::TimeModifier, &self.toks[i].lower))
            && e == head + 1
    }

    /// After "X, Y" an "and Z" must follow for a comma list.
    fn list_continues(&self, k: usize) -> bool {
        let mut j = k;
        while self.is_np(j) {
            match self
                .chunks
                .get(j + 1)
                .map(|c| (&c.kind, self.toks[c.start].lower.as_str()))
            {
                Some((ChunkKind::Coordinator, "and" | "or")) => return true,
                Some((ChunkKind::Punctuation, ",")) => {
                    // "Y, and Z"
                    if self.chunks.get(j + 2).is_some_and(|c| {
                        c.kind == ChunkKind::Coordinator
                            && matches!(self.toks[c.start].lower.as_str(), "and" | "or")
                    }) {
                        return true;
                    }
                    j += 2
                }
                _ => return false,
            }
        }
        false
    }

    /// Builds the predicates of the sentence.
    pub fn predicates(&self) -> Vec<Predicate> {
        let mut preds: Vec<Predicate> = Vec::new();
        let mut by_chunk = std::collections::HashMap::new();
        for (k, c) in self.chunks.iter().enumerate() {
            let ChunkKind::Verb(vg) = &c.kind else {
                continue;
            };
            // An auxiliary-only or copula group followed by an adjective: "is ready".
            let mut lemma = vg.lemma.clone();
            let mut copular = false;
            let mut after = k + 1;
            while self
                .chunks
                .get(after)
                .is_some_and(|c| matches!(c.kind, ChunkKind::Adverb))
            {
                after += 1;
            }
            if vg.copula {
                if let Some(c2) = self.chunks.get(after) {
                    if matches!(c2.kind, ChunkKind::Adjective) {
                        lemma = self.toks[c2.end - 1].lemma.clone();
                        copular = true;
                        after += 1;
                    }
                }
            }
            // Object and second object.
            let mut object = None;
            let mut object2 = None;
            let mut j = after;
            // "warned it would close …", "feared they would …": a subject pronoun right
            // before a finite verb opens a clause; it is no object.
            if self.chunks.get(j).is_some_and(|c| {
                matches!(c.kind, ChunkKind::NounPhrase { pronoun: true, .. })
                    && self
                        .kn
                        .is(WordClass::SubjectPronoun, &self.toks[c.start].lower)
            }) && self.is_finite_vg(j + 1)
            {
                j = self.chunks.len();
            }
            // "said last night that …", "announced this week": a time phrase is no
            // object.
            if self.is_np(j) && self.time_phrase(j) {
                j += 1;
            }
            let mut shifted_as = None;
            // "condemned as illegal Turkey's drilling": the "as" phrase comes first.
            if self.is_prep(j, &["as"]) && self.is_np(j + 1) && self.is_np(j + 2) {
                let (a, last) = self.arg_at(j + 1, true);
                if last == j + 1 {
                    shifted_as = Some(a);
                    j += 2;
                }
            }
            if self.is_np(j) {
                let (a, last) = self.arg_at(j, true);
                object = Some(a);
                j = last + 1;
                if self.is_np(j) && !self.is_finite_vg(j + 1) {
                    let (a2, last2) = self.arg_at(j, true);
                    object2 = Some(a2);
                    j = last2 + 1;
                }
            }
            // Prepositional complements.
            let mut pps = Vec::new();
            if let Some(a) = shifted_as {
                pps.push(("as".to_string(), a));
            }
            while j < self.chunks.len() {
                match &self.chunks[j].kind {
                    ChunkKind::Preposition if self.is_np(j + 1) => {
                        let prep = self.toks[self.chunks[j].start].lower.clone();
                        let (a, last) = self.arg_at(j + 1, true);
                        pps.push((prep, a));
                        j = last + 1;
                    }
                    ChunkKind::Adverb | ChunkKind::Other => j += 1,
                    ChunkKind::Preposition => j += 1,
                    _ => break,
                }
            }
            // The "if"/"unless" clauses that follow: (an "unless", an "if" or "unless").
            let (unless, if_or_unless) = self.chunks[k + 1..]
                .iter()
                .filter(|c| matches!(c.kind, ChunkKind::ClauseMarker))
                .map(|c| self.toks[c.start].lower.as_str())
                .fold((false, false), |(u, a), w| {
                    (u || w == "unless", a || matches!(w, "if" | "unless"))
                });
            by_chunk.insert(k, preds.len());
            preds.push(Predicate {
                chunk: k,
                vg: vg.clone(),
                lemma: lemma.clone(),
                copular,
                subject: None,
                object,
                object2,
                pps,
                subject_pps: Vec::new(),
                controller: None,
                complement: None,
                clause: None,
                irrealis: false,
                // "will withdraw unless …" is a threat; "will meet him if …" a
                // conditional promise, still an intent.
                conditional: unless,
                if_clause: if_or_unless,
                speech: self.kn.is(WordClass::SpeechVerb, &lemma) && !copular,
                reported_by: None,
                coordinated_with: None,
            });
        }
        // Controllers and complements: "agreed to hold", "urged X to", "called on X to",
        // "is ready to", "denied attacking".
        for p in 0..preds.len() {
            let k = preds[p].chunk;
            let vg = &preds[p].vg;
            if !(vg.infinitive || vg.gerund) {
                continue;
            }
            let mut back = k;
            let mut via_preposition = false;
            let mut noun_complement = false;
            // Skip an object NP, "on NP", an adjective, adverbs.
            loop {
                if back == 0 {
                    break;
                }
                let c = &self.chunks[back - 1];
                match c.kind {
                    ChunkKind::Adverb | ChunkKind::Adjective => back -= 1,
                    // "demands to release", "plans to sell": the infinitive completes
                    // the noun, it is no complement of the verb and is not asserted.
                    ChunkKind::NounPhrase { head, .. }
                        if vg.infinitive
                            && self.kn.noun_complement.contains(&self.toks[head].lemma) =>
                    {
                        noun_complement = true;
                        break;
                    }
                    ChunkKind::NounPhrase { .. } if vg.infinitive => back -= 1,
                    ChunkKind::Coordinator
                        if vg.infinitive && back < k && back >= 2 && self.is_np(back - 2) =>
                    {
                        back -= 1
                    }
                    ChunkKind::Preposition if vg.infinitive && back < k => back -= 1,
                    ChunkKind::Preposition
                        if vg.gerund
                            && matches!(
                                self.toks[c.start].lower.as_str(),
                                "from" | "of" | "to"
                            ) =>
                    {
                        via_preposition = true;
                        back -= 1
                    }
                    ChunkKind::NounPhrase { .. } if vg.gerund && back < k && back >= 2 => back -= 1,
                    _ => break,
                }
                if k - back > 6 {
                    break;
                }
            }
            if noun_complement {
                preds[p].irrealis = true;
                continue;
            }
            if back > 0 {
                if let Some(&q) = by_chunk.get(&(back - 1)) {
                    if q != p && preds[q].complement.is_none() {
                        preds[q].complement = Some(p);
                        preds[p].controller = Some(q);
                        // "accused X of attacking", "refrained from firing": what
                        // the gerund says is not asserted.
                        preds[p].irrealis = via_preposition;
                    }
                }
            }
        }
        // "demanded that X …": the first predicate of the clause.
        for p in 0..preds.len() {
            let k = preds[p].chunk;
            // "demanded on Friday that …": time adverbials may come between.
            let mut j = k + 1;
            loop {
                match self.chunks.get(j).map(|c| &c.kind) {
                    Some(ChunkKind::Adverb) => j += 1,
                    Some(ChunkKind::Preposition)
                        if self
                            .chunks
                            .get(j + 1)
                            .is_some_and(|c| c.kind == ChunkKind::Adverb) =>
                    {
                        j += 2
                    }
                    _ => break,
                }
            }
            let marker = self.chunks.get(j).is_some_and(|c| {
                matches!(c.kind, ChunkKind::ClauseMarker) && self.toks[c.start].lower == "that"
            });
            if marker {
                preds[p].clause = (p + 1..preds.len())
                    .find(|&q| preds[q].chunk > j && preds[q].controller.is_none());
            }
        }
        // Subjects.
        for p in 0..preds.len() {
            if preds[p].controller.is_some() {
                continue;
            }
            // ", killing five": a participial adjunct shares the main clause's subject.
            let k = preds[p].chunk;
            if preds[p].vg.gerund
                && k > 0
                && self.chunks[k - 1].kind == ChunkKind::Punctuation
                && self.toks[self.chunks[k - 1].start].lower == ","
            {
                if let Some(q) = (0..p).rev().find(|&q| {
                    preds[q].vg.finite && preds[q].controller.is_none() && !preds[q].speech
                }) {
                    preds[p].subject = preds[q].subject.clone();
                    preds[p].coordinated_with = Some(q);
                    continue;
                }
            }
            // "… near the islands, claimed by both states": a past participle
            // after a comma describes the phrase just before it.
            if preds[p].vg.participle
                && !preds[p].vg.finite
                && k >= 2
                && self.chunks[k - 1].kind == ChunkKind::Punctuation
                && self.toks[self.chunks[k - 1].start].lower == ","
                && self.is_np(k - 2)
            {
                let mut first = k - 2;
                while first >= 2 && self.is_prep(first - 1, &["of"]) && self.is_np(first - 2) {
                    first -= 2;
                }
                let (a, _) = self.arg_at(first, false);
                preds[p].subject = Some(a);
                continue;
            }
            // "issued a statement demanding …": a participle on a statement noun that is
            // a verb's object speaks for that verb's subject.
            if preds[p].vg.gerund && k > 0 && self.is_np(k - 1) {
                let (_, _, h, _) = np_bounds(&self.chunks[k - 1]).unwrap();
                if self.kn.statements.contains(&self.toks[h].lemma) {
                    if let Some(q) = (0..p).rev().find(|&q| {
                        preds[q]
                            .object
                            .as_ref()
                            .is_some_and(|o| o.chunks.contains(&(k - 1)))
                    }) {
                        preds[p].subject = preds[q].subject.clone();
                        continue;
                    }
                }
            }
            // ", killing one and arresting twelve": a gerund coordinated with a gerund
            // adjunct shares its subject.
            if preds[p].vg.gerund
                && k > 0
                && self.chunks[k - 1].kind == ChunkKind::Coordinator
                && matches!(
                    self.toks[self.chunks[k - 1].start].lower.as_str(),
                    "and" | "or"
                )
            {
                if let Some(q) = (0..p).rev().find(|&q| preds[q].vg.gerund) {
                    preds[p].subject = preds[q].subject.clone();
                    preds[p].coordinated_with = Some(q);
                    continue;
                }
            }
            let (subj, coord) = self.find_subject(preds[p].chunk, &by_chunk);
            if let Some(q) = coord {
                preds[p].coordinated_with = Some(q);
                preds[p].subject = preds[q].subject.clone();
            } else {
                // "riots against Israeli policies are continuing": the prepositional
                // phrases between the subject and its verb.
                if let Some(last) = subj.as_ref().and_then(|a| a.chunks.last().copied()) {
                    let mut k = last + 1;
                    while k + 1 < preds[p].chunk && self.is_prep(k, &[]) && self.is_np(k + 1) {
                        let prep = self.toks[self.chunks[k].start].lower.clone();
                        let (a, end) = self.arg_at(k + 1, true);
                        preds[p].subject_pps.push((prep, a));
                        k = end + 1;
                    }
                }
                preds[p].subject = subj;
            }
        }
        // "donated and delivered X to Y": the first verb shares the second's object.
        for q in 0..preds.len() {
            if let Some(p) = preds[q].coordinated_with {
                if p < q
                    && preds[p].object.is_none()
                    && preds[p].pps.is_empty()
                    && preds[p].chunk + 3 >= preds[q].chunk
                {
                    preds[p].object = preds[q].object.clone();
                    preds[p].pps = preds[q].pps.clone();
                }
            }
        }
        // Complements take their subject from the controller (or its object for
        // requests: "urged Iran to free" → Iran frees).
        for p in 0..preds.len() {
            if let Some(q) = preds[p].controller {
                preds[p].subject = preds[q].subject.clone();
            }
        }
        // "will boycott the vote unless the commission is reformed": what an
        // if/unless clause states is a condition, not an event.
        for (m, c) in self.chunks.iter().enumerate() {
            if c.kind != ChunkKind::ClauseMarker
                || !matches!(self.toks[c.start].lower.as_str(), "if" | "unless")
            {
                continue;
            }
            let Some(first) = (0..preds.len()).find(|&q| preds[q].chunk > m && !preds[q].speech)
            else {
                continue;
            };
            let mut stack = vec![first];
            while let Some(q) = stack.pop() {
                if !preds[q].irrealis {
                    preds[q].irrealis = true;
                    stack.extend(preds[q].complement);
                }
            }
        }
        // Reported speech scopes.
        for s in 0..preds.len() {
            if !preds[s].speech || preds[s].controller.is_some() {
                continue;
            }
            // "Brazil announced it had begun …": the noun phrase after the verb is the
            // reported clause's subject, not an object.
            let clause_subject = preds[s].object.as_ref().is_some_and(|o| {
                o.chunks.last().is_some_and(|&c| {
                    // "said Saudi and Emirati forces must …": the rest of a coordination
                    // may come before the verb.
                    let mut j = c + 1;
                    while self.is_np(j)
                        || self.chunks.get(j).is_some_and(|x| {
                            x.kind == ChunkKind::Coordinator
                                || (x.kind == ChunkKind::Punctuation
                                    && self.toks[x.start].lower == ",")
                        })
                    {
                        j += 1;
                    }
                    self.is_finite_vg(j)
                })
            });
            if clause_subject {
                preds[s].object = None;
            }
            // The reported clause ends where another speaker's report begins:
            // "Chad announced it had sealed its frontier after Khartoum said it planned
            // to expel traders" — "planned" is Khartoum's.
            let end = (s + 1..preds.len())
                .find(|&q| {
                    preds[q].speech
                        && preds[q].controller.is_none()
                        && preds[q].chunk > preds[s].chunk
                        && (q + 1..preds.len()).any(|r| preds[r].chunk > preds[q].chunk)
                        && preds[q]
                            .subject
                            .as_ref()
                            .is_some_and(|a| a.actors.iter().any(|a| a.code.is_some()))
                })
                .unwrap_or(preds.len());
            let later: Vec<usize> = (s + 1..end).collect();
            let scope: Vec<usize> = if later.iter().any(|&q| preds[q].chunk > preds[s].chunk)
                && preds[s].object.is_none()
            {
                later
            } else if preds[s].object.is_none() && s > 0 {
                (0..s).filter(|&q| preds[q].reported_by.is_none()).collect()
            } else {
                vec![]
            };
            for q in scope {
                if preds[q].reported_by.is_none() && !preds[q].speech {
                    preds[q].reported_by = Some(s);
                }
            }
        }
        preds
    }

    /// Walks back from the verb group at chunk `k` to its subject. Returns the subject
    /// or the predicate it is coordinated with ("met and agreed").
    fn find_subject(
        &self,
        k: usize,
        by_chunk: &std::collections::HashMap<usize, usize>,
    ) -> (Option<Arg>, Option<usize>) {
        let mut j = k;
        let mut crossed_comma = false;
        while j > 0 {
            j -= 1;
            let c = &self.chunks[j];
            match &c.kind {
                ChunkKind::Adverb | ChunkKind::Other | ChunkKind::Adjective => {}
                ChunkKind::Punctuation => {
                    let w = self.toks[c.start].lower.as_str();
                    if w == "," {
                        crossed_comma = true;
                    } else if self.kn.is(WordClass::QuoteMark, w) {
                    } else if w == ")" {
                        // "the Republic of Korea (ROK) withdraw":
                        // skip the parenthesis back to its opening bracket.
                        while j > 0 && self.toks[self.chunks[j].start].lower != "(" {
                            j -= 1;
                        }
                    } else {
                        return (None, None);
                    }
                }
                ChunkKind::NounPhrase { .. } => {
                    if j > 0 && matches!(self.chunks[j - 1].kind, ChunkKind::Preposition) {
                        // "after the council in Niamey voted": a subordinator
                        // before a finite verb's phrase opens a clause; its phrase is
                        // the subject.
                        let subordinator = self.is_prep_of(j - 1, WordClass::SubordinatingPrep)
                            && self.is_finite_vg(k)
                            && self.chunks[j + 1..k].iter().all(|c| {
                                matches!(c.kind, ChunkKind::NounPhrase { .. } | ChunkKind::Adverb)
                                    || (matches!(c.kind, ChunkKind::Preposition)
                                        && matches!(
                                            self.toks[c.start].lower.as_str(),
                                            "of" | "in" | "from"
                                        ))
                            });
                        if !subordinator {
                            j -= 1;
                            continue;
                        }
                    }
                    // Start of a coordination: walk to its first phrase.
                    // A comma links a list only once "and"/"or" has been crossed:
                    // "A, B and C said" is a list, "A, B said" an apposition.
                    let mut first = j;
                    let mut listed = false;
                    while first >= 2
                        && self.is_np(first - 2)
                        && self.chunks.get(first - 1).is_some_and(|c| {
                            let and = matches!(c.kind, ChunkKind::Coordinator)
                                && matches!(self.toks[c.start].lower.as_str(), "and" | "or");
                            let comma = matches!(c.kind, ChunkKind::Punctuation)
                                && self.toks[c.start].lower == ",";
                            and || (comma && listed)
                        })
                        && !(first >= 3
                            && matches!(self.chunks[first - 3].kind, ChunkKind::Preposition))
                    {
                        listed = true;
                        first -= 2;
                    }
                    // "X, the foreign minister, said" — prefer the phrase before the
                    // apposition when the nearer one names no actor.
                    let (arg, _) = self.arg_at(first, false);
                    if arg.actors.is_empty() && crossed_comma {
                        continue;
                    }
                    // "The National Union of X (NUX), the umbrella union, said": an
                    // apposition that names no country yields to the phrase it renames
                    // when that one does.
                    // "The Economic Community of West African States (ECOWAS) summit agreed".
                    if arg.actors.is_empty()
                        && first >= 2
                        && self.toks[self.chunks[first - 1].start].lower == ")"
                        && self.is_np(first - 2)
                    {
                        let (a2, _) = self.arg_at(first - 2, false);
                        if !a2.actors.is_empty() {
                            return (Some(a2), None);
                        }
                    }
                    let no_country = arg.actors.iter().all(|a| a.country().is_none());
                    if no_country
                        && first >= 2
                        && matches!(self.chunks[first - 1].kind, ChunkKind::Punctuation)
                        && self.toks[self.chunks[first - 1].start].lower == ","
                    {
                        let mut e = first - 2;
                        // Skip an acronym in brackets: "(NUX)".
                        if self.toks[self.chunks[e].start].lower == ")" {
                            while e > 0 && self.toks[self.chunks[e].start].lower != "(" {
                                e -= 1;
                            }
                            e = e.saturating_sub(1);
                        }
                        if self.is_np(e) {
                            let mut f = e;
                            while f >= 2 && self.is_prep(f - 1, &["of"]) && self.is_np(f - 2) {
                                f -= 2;
                            }
                            let (a2, _) = self.arg_at(f, false);
                            let better = if arg.actors.is_empty() {
                                !a2.actors.is_empty()
                            } else {
                                a2.actors.iter().any(|a| a.country().is_some())
                            };
                            if better {
                                return (Some(a2), None);
                            }
                        }
                    }
                    return (Some(arg), None);
                }
                ChunkKind::ClauseMarker => {
                    let w = self.toks[c.start].lower.as_str();
                    if matches!(w, "who" | "which" | "that") && j + 1 == k
                        || (j + 1 < k
                            && self.chunks[j + 1..k]
                                .iter()
                                .all(|c| matches!(c.kind, ChunkKind::Adverb)))
                    {
                        // Relative clause: the antecedent.
                        let mut a = j;
                        while a > 0 {
                            a -= 1;
                            if self.is_np(a) {
                                // "an agreement in Manila that allows …", "the leader of
                                // the group, who …": the relative clause belongs to the
                                // head of the phrase chain, not to the place or the
                                // group named in its prepositional phrase.
                                while a >= 2
                                    && self.is_prep_of(a - 1, WordClass::ChainingPrep)
                                    && self.is_np(a - 2)
                                    && w != "where"
                                {
                                    a -= 2;
                                }
                                let (arg, _) = self.arg_at(a, false);
                                return (Some(arg), None);
                            }
                            if !matches!(self.chunks[a].kind, ChunkKind::Punctuation) {
                                break;
                            }
                        }
                    }
                    return (None, None);
                }
                ChunkKind::Coordinator => {
                    if j > 0 {
                        if let Some(&q) = by_chunk.get(&(j - 1)) {
                            return (None, Some(q));
                        }
                        // "X attacked Y and killed Z": the coordinated verb is further back.
                        let mut b = j;
                        while b > 0 {
                            b -= 1;
                            if let Some(&q) = by_chunk.get(&b) {
                                if matches!(&self.chunks[b].kind, ChunkKind::Verb(vg) if vg.finite)
                                    && self.chunks[b + 1..j]
                                        .iter()
                                        .all(|c| !matches!(c.kind, ChunkKind::ClauseMarker))
                                {
                                    let vg_here = matches!(&self.chunks[k].kind, ChunkKind::Verb(vg) if vg.finite);
                                    if vg_here && !self.is_np(j + 1) {
                                        return (None, Some(q));
                                    }
                                }
                                break;
                            }
                        }
                    }
                }
                // "The UN agency working in Yemen said": a participle phrase after the
                // subject is passed over.
                ChunkKind::Verb(vg)
                    if !vg.finite && (vg.gerund || vg.participle) && j > 0 && self.is_np(j - 1) => {
                }
                ChunkKind::Verb(_) => {
                    if let Some(&q) = by_chunk.get(&j) {
                        let _ = q;
                    }
                    return (None, None);
                }
                ChunkKind::Preposition => {}
            }
        }
        (None, None)
    }
}

/// Resolves pronoun arguments: reported speech → the speaker; otherwise the nearest
/// earlier actor in the sentence of matching number; otherwise `previous` (the first
/// subject actor of the previous sentence of the document).
/// "Protesters in Nairobi stormed parliament": an actor known only by its sector
/// (protesters, police, rebels) takes the country of the place its clause names with
/// "in/at/near/outside/across" (a capital counts for its country). Organisations and
/// named actors are never changed.
pub fn localize(preds: &mut [Predicate], kn: &Knowledge) {
    // Only an actor with no country, no organisation and a sector is localized.
    let open = |a: &Actor| a.code.is_none() && !a.modifier && a.org.is_none();
    for p in preds.iter_mut() {
        let place = p
            .pps
            .iter()
            .filter(|(prep, _)| kn.is(WordClass::LocalizingPrep, prep))
            .flat_map(|(_, a)| a.actors.iter())
            // "in a Russian drone attack" names no place, nor does "outside the Russian
            // embassy": only countries and their cities do.
            .filter(|a| {
                !a.person
                    && !a.modifier
                    && !a.entry.contains("embassy")
                    && !a.entry.contains("consulate")
            })
            .find_map(|a| a.country().map(|c| (c.to_string(), a.entry.clone())));
        // "Iraqi police arrested protesters": unarmed domestic actors known only by their
        // sector belong to the country of the clause's subject.
        let home = p.subject.as_ref().and_then(|a| {
            a.actors
                .iter()
                .find_map(|x| x.country().map(|c| (c.to_string(), x.entry.clone())))
        });
        // Not when armed forces act: "gunmen shot four people" says nothing
        // of the victims' country.
        let armed_subject = p
            .subject
            .as_ref()
            .is_some_and(|a| a.actors.iter().any(armed));
        if let Some(h) = home.as_ref().filter(|_| !armed_subject) {
            give_home(p, h, Sector::is_unarmed_domestic);
        }
        // "Protesters stormed Kenya's parliament", "gunmen killed Iraqi soldiers": with no
        // place named, unarmed or irregular actors take the country of what they act on.
        if place.is_none() {
            let acted_on = p.object.as_ref().and_then(|o| {
                o.actors
                    .iter()
                    .find_map(|a| a.country().map(|c| (c.to_string(), a.entry.clone())))
            });
            if let (Some((code, entry)), Some(subj)) = (acted_on, p.subject.as_mut()) {
                for a in subj.actors.iter_mut() {
                    let irregular = a.sector.is_some_and(|s| {
                        s.is_unarmed_domestic() || s.is_irregular() || s == Sector::Cop
                    });
                    if open(a) && irregular {
                        a.localize(&code, "country of the object", &entry);
                    }
                }
            }
        }
        let Some((code, entry)) = place else {
            // "Burmese troops captured a guerrilla stronghold": with no place named,
            // irregular armed actors acted on belong to the subject's country.
            if let Some(h) = &home {
                give_home(p, h, Sector::is_irregular);
            }
            continue;
        };
        // In the passive the agent is the "by" phrase ("killed … by jihadists in …").
        let passive = p.vg.voice == Voice::Passive;
        for arg in [p.subject.as_mut(), p.object.as_mut()]
            .into_iter()
            .flatten()
            .chain(
                p.pps
                    .iter_mut()
                    .filter(|(prep, _)| passive && prep == "by")
                    .map(|(_, a)| a),
            )
        {
            for a in arg.actors.iter_mut() {
                if open(a) && a.sector.is_some() {
                    a.localize(&code, "place", &entry);
                }
            }
        }
    }
}

/// An armed actor: military, rebels, militias.
fn armed(a: &Actor) -> bool {
    a.sector.is_some_and(Sector::is_armed)
}

/// "The party said it would boycott Algeria's elections": when the clauses name one
/// country and no other, an actor known only by its sector that no earlier rule placed
/// belongs to it when it is an agent (the subject, or the "by" phrase of a passive).
/// Organisations (IGO, NGO …) do not count as countries.
pub fn localize_sole_country(preds: &mut [Predicate]) -> bool {
    let mut countries: Vec<(String, String)> = Vec::new();
    for p in preds.iter() {
        for arg in p
            .subject
            .iter()
            .chain(p.object.iter())
            .chain(p.pps.iter().map(|(_, a)| a))
        {
            for a in &arg.actors {
                // "a Russian drone attack" names the attacker, not the victims' country.
                if a.modifier && !a.possessor {
                    continue;
                }
                if let Some(c) = a.country() {
                    if !countries.iter().any(|(x, _)| x == c) {
                        countries.push((c.to_string(), a.entry.clone()));
                    }
                }
            }
        }
    }
    let [(code, entry)] = countries.as_slice() else {
        return false;
    };
    let mut changed = false;
    // Where armed actors act, only agents: the victims of "troops shelled Eritrean
    // positions, killing ten soldiers" are not the troops' compatriots.
    for p in preds.iter_mut() {
        let passive = p.vg.voice == Voice::Passive;
        let armed = p
            .subject
            .iter()
            .chain(
                p.pps
                    .iter()
                    .filter(|(prep, _)| prep == "by")
                    .map(|(_, a)| a),
            )
            .flat_map(|a| a.actors.iter())
            .any(armed);
        let args = p
            .subject
            .iter_mut()
            .map(|a| (a, !passive))
            .chain(p.object.iter_mut().map(|a| (a, false)))
            .chain(
                p.pps
                    .iter_mut()
                    .map(|(prep, a)| (a, passive && prep.as_str() == "by")),
            )
            .filter(|(_, agent)| *agent || !armed)
            .map(|(a, _)| a);
        for arg in args {
            for a in arg.actors.iter_mut() {
                if a.code.is_none() && !a.modifier && a.org.is_none() && a.sector.is_some() {
                    a.localize(code, "sole country of the sentence", entry);
                    changed = true;
                }
            }
        }
    }
    changed
}

/// Gives the subject's country (`home`: code, entry) to the object's and complements'
/// actors known only by a sector that `sector_ok` accepts.
fn give_home(p: &mut Predicate, home: &(String, String), sector_ok: impl Fn(Sector) -> bool) {
    let (code, entry) = home;
    for arg in [p.object.as_mut()]
        .into_iter()
        .flatten()
        .chain(p.pps.iter_mut().map(|(_, a)| a))
    {
        for a in arg.actors.iter_mut() {
            if a.code.is_none()
                && !a.modifier
                && a.org.is_none()
                && a.sector.is_some_and(&sector_ok)
            {
                a.localize(code, "home of the subject", entry);
            }
        }
    }
}

pub fn resolve_pronouns(
    preds: &mut [Predicate],
    toks: &[TaggedToken],
    previous: Option<&Actor>,
    kn: &Knowledge,
) {
    let speaker = |p: &Predicate, preds: &[Predicate]| -> Option<Actor> {
        p.reported_by
            .and_then(|s| preds[s].subject.as_ref())
            .and_then(|a| a.actors.iter().find(|a| a.code.is_some()).cloned())
    };
    // Candidate antecedents in sentence order: (token position, actor).
    let mut antecedents: Vec<(usize, Actor)> = Vec::new();
    for p in preds.iter() {
        for a in p
            .subject
            .iter()
            .chain(p.object.iter())
            .chain(p.pps.iter().map(|(_, a)| a))
        {
            for act in &a.actors {
                // "a Senegalese plan" names no one a pronoun can refer to.
                if act.code.is_some() && !act.modifier {
                    antecedents.push((act.start, act.clone()));
                }
            }
        }
    }
    antecedents.sort_by_key(|(s, _)| *s);
    antecedents.dedup_by(|a, b| a.1 == b.1);
    for i in 0..preds.len() {
        let spk = speaker(&preds[i], preds);
        // "Peru apologized to Chile for a raid by some of its patrol boats": a possessive in the
        // object or a prepositional phrase names the clause's own subject first.
        let own_subject = preds[i].subject.as_ref().and_then(|a| {
            a.actors
                .iter()
                .find(|a| a.code.is_some() && !a.modifier)
                .cloned()
        });
        let subject_pronoun = preds[i].subject.as_ref().and_then(|a| a.pronoun);
        let fix = |arg: &mut Arg| {
            let Some(pt) = arg.pronoun else { return };
            let w = toks[pt].lower.as_str();
            let plural = kn.is(WordClass::PluralPronoun, w);
            let pos = toks[pt].token.start;
            // "he would only welcome him": an object pronoun is not its clause's
            // speaker or subject; the nearest other person is meant.
            let ante = if matches!(w, "him" | "them") {
                let me = spk.as_ref().map(|s| (s.start, s.end));
                antecedents
                    .iter()
                    .rev()
                    .filter(|(s, a)| {
                        *s < pos
                            && Some((a.start, a.end)) != me
                            && a.code != spk.as_ref().and_then(|x| x.code.clone())
                            && (plural == a.plural || (!a.person && plural))
                    })
                    .map(|(_, a)| a.clone())
                    .next()
            } else if kn.is(WordClass::FirstPersonPronoun, w) {
                spk.clone()
            } else {
                let possessive = kn.is(WordClass::PossessivePronoun, w);
                let own = own_subject.clone().filter(|a| {
                    possessive
                        && Some(pt) != subject_pronoun
                        && a.start < pos
                        && (plural == a.plural || (!a.person && plural))
                        && a.person == matches!(w, "his" | "her")
                });
                spk.clone()
                    .filter(|s| !plural || s.plural || s.org.is_some() || s.sector.is_some())
                    .or(own)
                    .or_else(|| {
                        antecedents
                            .iter()
                            .rev()
                            .filter(|(s, a)| {
                                *s < pos
                                    && (plural == a.plural || (!a.person && plural))
                                    && a.person == kn.is(WordClass::PersonPronoun, w)
                            })
                            .map(|(_, a)| a.clone())
                            .next()
                    })
                    .or_else(|| previous.cloned())
            };
            if let Some(ante) = ante {
                for a in arg.actors.iter_mut().filter(|a| a.code.is_none()) {
                    a.code = ante.code.clone();
                    a.org = ante.org.clone();
                    if a.sector.is_none() {
                        a.sector = ante.sector;
                    }
                    a.entry = format!(
                        "{}coreference {w:?} → {}",
                        if a.entry.is_empty() {
                            String::new()
                        } else {
                            format!("{}; ", a.entry)
                        },
                        ante.cameo_actor()
                    );
                }
            }
        };
        let mut p = preds[i].clone();
        if let Some(s) = p.subject.as_mut() {
            fix(s);
        }
        if let Some(o) = p.object.as_mut() {
            fix(o);
        }
        for (_, a) in p.pps.iter_mut() {
            fix(a);
        }
        preds[i] = p;
    }
    // Complements and coordinated verbs share the (now resolved) subject.
    for i in 0..preds.len() {
        if let Some(q) = preds[i].controller.or(preds[i].coordinated_with) {
            if q < i {
                preds[i].subject = preds[q].subject.clone();
            }
        }
    }
}
