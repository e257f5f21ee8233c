//! The predicates of a sentence, built by named passes over its verb groups, in order:
//! 1. `predicate_at`: each verb group with its lemma (`be ADJ` for "is ready"), object,
//!    second object and prepositional complements, and the "if/unless" clauses after it;
//! 2. `link_complements`: controls and their infinitive or gerund complements ("agreed
//!    to hold", "urged X to", "denied attacking");
//! 3. `link_that_clauses`: "demanded that X …";
//! 4. `assign_subjects`: participle adjuncts, describing participles, statement nouns,
//!    coordinated gerunds, else the walk back of `subject`;
//! 5. `share_coordinated_objects`, `complements_take_subjects`;
//! 6. `mark_conditions`: what an if/unless clause states is no event;
//! 7. `scope_reports`: which predicates each reporting verb reports.
use super::{np_bounds, Arg, Predicate, SentenceView};
use crate::knowledge::Knowledge;
use annalist_dict::{Tag, WordClass};
use annalist_text::{ChunkKind, VerbGroup};
use std::collections::HashMap;

/// Predicate index by the chunk index of its verb group.
pub(super) type ByChunk = HashMap<usize, usize>;

/// How a verb group relates to the predicate before it (pass 2).
pub(super) struct Control {
    /// The chunk after the controller's arguments (the controller's verb group is
    /// right before it).
    back: usize,
    /// A gerund after "from/of/to": not asserted ("accused X of attacking").
    via_preposition: bool,
    /// The infinitive completes a noun ("demands to release"), not a verb.
    pub(super) noun_complement: bool,
}

impl SentenceView<'_> {
    /// Builds the predicates of the sentence.
    pub fn predicates(&self) -> Vec<Predicate> {
        let mut preds: Vec<Predicate> = Vec::new();
        let mut by_chunk = ByChunk::new();
        for (k, c) in self.chunks.iter().enumerate() {
            if let ChunkKind::Verb(vg) = &c.kind {
                by_chunk.insert(k, preds.len());
                preds.push(self.predicate_at(k, vg));
            }
        }
        self.link_complements(&mut preds, &by_chunk);
        self.gerund_lists(&mut preds);
        self.link_that_clauses(&mut preds);
        self.assign_subjects(&mut preds, &by_chunk);
        self.owned_control_nouns(&mut preds);
        self.subordinate_gerunds(&mut preds);
        share_coordinated_objects(&mut preds);
        complements_take_subjects(&mut preds, self.kn);
        self.mark_conditions(&mut preds);
        self.scope_reports(&mut preds);
        self.mark_denials(&mut preds);
        preds
    }

    /// Pass 1: the predicate of the verb group at chunk `k`.
    fn predicate_at(&self, k: usize, vg: &VerbGroup) -> Predicate {
        let (lemma, copular, after) = self.adjectival(k, vg);
        let (object, object2, shifted_as, j) = self.objects(after);
        // "sent the ambassador back", "called the strike off", "handed the town over": a
        // particle after the object is the verb's (PARTICLE_NOT_PREPOSITION,
        // PARTICLE_AFTER_OBJECT).
        // (One phrase may come between: "sent the ambassador in Mogadishu back".)
        let mut vg = vg.clone();
        let particle_at = |c: usize| {
            self.chunks.get(c).filter(|c| {
                c.kind == ChunkKind::Adverb
                    && c.end == c.start + 1
                    && [
                        WordClass::ParticleNotPreposition,
                        WordClass::ParticleAfterObject,
                    ]
                    .iter()
                    .any(|&class| self.kn.is(class, &self.toks[c.start].lower))
            })
        };
        if vg.particle.is_none() && object.is_some() {
            let between = self.is_prep(j, &[]) && self.is_np(j + 1);
            if let Some(c) = particle_at(j).or_else(|| particle_at(j + 2).filter(|_| between)) {
                vg.particle = Some(c.start);
            }
        }
        let pps = self.complements(j, shifted_as);
        // The "if"/"unless" clauses that follow: (an "unless", an "if" or "unless").
        let (unless, if_or_unless) = self.chunks[k + 1..]
            .iter()
            .filter(|c| matches!(c.kind, ChunkKind::ClauseMarker))
            .map(|c| self.toks[c.start].lower.as_str())
            .fold((false, false), |(u, a), w| {
                (u || w == "unless", a || matches!(w, "if" | "unless"))
            });
        let speech = self.kn.is(WordClass::SpeechVerb, &lemma) && !copular;
        Predicate {
            chunk: k,
            vg,
            lemma,
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
            framed_by: None,
            // "will withdraw unless …" is a threat; "will meet him if …" a conditional
            // promise, still an intent.
            conditional: unless,
            if_clause: if_or_unless,
            speech,
            reported_by: None,
            coordinated_with: None,
            denied: false,
        }
    }

    /// An auxiliary-only or copula group, or a linking verb (LINKING_VERB: "remained
    /// committed to"), followed by an adjective ("is ready"): the adjective is the
    /// lemma. Returns (lemma, copular, the chunk after the predicate).
    fn adjectival(&self, k: usize, vg: &VerbGroup) -> (String, bool, usize) {
        let mut after = k + 1;
        // "had \"attacked\" Ukrainian ports": the quote closing a quoted verb is passed
        // over, as adverbs are.
        let quote = |i: usize| self.kn.is(WordClass::QuoteMark, &self.toks[i].lower);
        let mut before = k;
        while before > 0 && matches!(self.chunks[before - 1].kind, ChunkKind::Adverb) {
            before -= 1;
        }
        let quoted_verb = (self.chunks[k].start..self.chunks[k].end).any(quote)
            || before.checked_sub(1).is_some_and(|b| {
                self.chunks[b].kind == ChunkKind::Punctuation && quote(self.chunks[b].start)
            });
        while self.chunks.get(after).is_some_and(|c| {
            matches!(c.kind, ChunkKind::Adverb)
                || (quoted_verb && c.kind == ChunkKind::Punctuation && quote(c.start))
        }) {
            after += 1;
        }
        if vg.copula || self.kn.is(WordClass::LinkingVerb, &vg.lemma) {
            if let Some(c2) = self.chunks.get(after) {
                if matches!(c2.kind, ChunkKind::Adjective) {
                    return (self.toks[c2.end - 1].lemma.clone(), true, after + 1);
                }
            }
        }
        (vg.lemma.clone(), false, after)
    }

    /// The object and second object from chunk `j`, with an "as" phrase that comes
    /// first ("condemned as illegal Turkey's drilling"); returns them and the chunk
    /// after them.
    fn objects(&self, mut j: usize) -> (Option<Arg>, Option<Arg>, Option<Arg>, usize) {
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
        // "said last night that …", "announced this week": a time phrase is no object.
        if self.is_np(j) && self.time_phrase(j) {
            j += 1;
        }
        // 'condemned "the massacre" by …': quotation marks around the object.
        let quote = |k: usize| {
            self.chunks.get(k).is_some_and(|c| {
                c.kind == ChunkKind::Punctuation
                    && matches!(self.toks[c.start].tag, Tag::LQUOTE | Tag::QUOTE)
                    && self.toks[c.start].lower != "'"
            })
        };
        let mut closing = false;
        if quote(j) && self.is_np(j + 1) && !self.is_finite_vg(j + 2) {
            j += 1;
            closing = true;
        }
        // "announced on Tuesday the closure of …", "expelled on Friday two diplomats":
        // a weekday phrase between the verb and its object.
        if self.is_prep(j, &["on"])
            && self.chunks.get(j + 1).is_some_and(|c| {
                c.kind == ChunkKind::Adverb
                    && (c.start..c.end).any(|i| self.kn.is(WordClass::Weekday, &self.toks[i].lower))
            })
            && self.is_np(j + 2)
        {
            j += 2;
        }
        let mut shifted_as = None;
        if self.is_prep(j, &["as"]) && self.is_np(j + 1) && self.is_np(j + 2) {
            let (a, last) = self.arg_at(j + 1, true);
            if last == j + 1 {
                shifted_as = Some(a);
                j += 2;
            }
        }
        let (mut object, mut object2) = (None, None);
        if self.is_np(j) {
            let (a, last) = self.arg_at(j, true);
            object = Some(a);
            j = last + 1;
            if closing && quote(j) {
                j += 1;
            }
            if self.is_np(j) && !self.is_finite_vg(j + 1) && self.distance_to(j).is_none() {
                let (a2, last2) = self.arg_at(j, true);
                object2 = Some(a2);
                j = last2 + 1;
            }
        }
        (object, object2, shifted_as, j)
    }

    /// The prepositional complements from chunk `j` on (after a leading "as" phrase).
    fn complements(&self, mut j: usize, shifted_as: Option<Arg>) -> Vec<(String, Arg)> {
        let mut pps = Vec::new();
        if let Some(a) = shifted_as {
            pps.push(("as".to_string(), a));
        }
        while j < self.chunks.len() {
            match &self.chunks[j].kind {
                ChunkKind::Preposition if self.is_np(j + 1) => {
                    let mut prep = self.toks[self.chunks[j].start].lower.clone();
                    // "outside of the city": a place preposition before "of" is the
                    // preposition.
                    if prep == "of"
                        && j > 0
                        && matches!(
                            self.chunks[j - 1].kind,
                            ChunkKind::Adverb | ChunkKind::Preposition
                        )
                    {
                        let w = &self.toks[self.chunks[j - 1].end - 1].lower;
                        if self.kn.is(WordClass::PlacePrep, w) {
                            prep = w.clone();
                        }
                    }
                    if (prep == "of" || prep == "from") && self.after_distance(j) {
                        prep = "near".to_string();
                    }
                    let (a, last) = self.arg_at(j + 1, true);
                    pps.push((prep, a));
                    j = last + 1;
                }
                ChunkKind::Adverb | ChunkKind::Other => j += 1,
                ChunkKind::Preposition => j += 1,
                // "returned to Geneva this week for talks": a time phrase between
                // two complements.
                ChunkKind::NounPhrase { .. } if self.time_phrase(j) && self.is_prep(j + 1, &[]) => {
                    j += 1
                }
                // "militants about 50 km (30 miles) northeast of X": on to the "of".
                ChunkKind::NounPhrase { .. } => match self.distance_to(j) {
                    Some(k) => j = k,
                    None => break,
                },
                _ => break,
            }
        }
        pps
    }

    /// "about 50 km (30 miles) northeast of X", "20 miles from X": the "of"/"from" at
    /// chunk `j` follows a distance (a unit of DISTANCE_UNIT, a bracketed conversion,
    /// a compass point of COMPASS_POINT), so its phrase is a place the event is near.
    fn after_distance(&self, j: usize) -> bool {
        let Some(mut t) = self.chunks.get(j).and_then(|c| c.start.checked_sub(1)) else {
            return false;
        };
        if self.kn.is(WordClass::CompassPoint, &self.toks[t].lower) {
            let Some(u) = t.checked_sub(1) else {
                return false;
            };
            t = u;
        }
        if self.toks[t].lower == ")" {
            match (0..t).rev().find(|&u| self.toks[u].lower == "(") {
                Some(u) if u > 0 => t = u - 1,
                _ => return false,
            }
        }
        self.kn.is(WordClass::DistanceUnit, &self.toks[t].lemma)
    }

    /// The "of"/"from" chunk that ends a distance starting at chunk `j` (a noun phrase
    /// with a DISTANCE_UNIT, a bracketed conversion, a COMPASS_POINT).
    fn distance_to(&self, j: usize) -> Option<usize> {
        let c = self.chunks.get(j)?;
        if !(c.start..c.end).any(|t| self.kn.is(WordClass::DistanceUnit, &self.toks[t].lemma)) {
            return None;
        }
        (j + 1..(j + 6).min(self.chunks.len()))
            .find(|&k| self.is_prep(k, &["of", "from"]))
            .filter(|&k| self.after_distance(k))
    }

    /// Pass 2: controllers and complements: "agreed to hold", "urged X to", "called on
    /// X to", "is ready to", "denied attacking".
    fn link_complements(&self, preds: &mut [Predicate], by_chunk: &ByChunk) {
        for p in 0..preds.len() {
            let vg = &preds[p].vg;
            if !(vg.infinitive || vg.gerund) {
                continue;
            }
            let c = self.control(preds[p].chunk, vg);
            if c.noun_complement {
                preds[p].irrealis = true;
                continue;
            }
            // "the country's path to joining the alliance": a gerund after a noun's
            // "to" is not asserted, controller or not ("in charge of investigating" is).
            let k = preds[p].chunk;
            if c.via_preposition && k > 0 && self.toks[self.chunks[k - 1].start].lower == "to" {
                preds[p].irrealis = true;
            }
            if c.back == k {
                // "called on Arabs to unite and mobilize": an infinitive coordinated
                // with an earlier one has its controller and its reality.
                if let Some(q) = self.coordinated_infinitive(k, by_chunk) {
                    preds[p].controller = preds[q].controller;
                    preds[p].irrealis = preds[q].irrealis;
                    continue;
                }
            }
            if c.back == 0 {
                continue;
            }
            if let Some(&q) = by_chunk.get(&(c.back - 1)) {
                if q != p && preds[q].complement.is_none() {
                    preds[q].complement = Some(p);
                    preds[p].controller = Some(q);
                    // "accused X of attacking", "refrained from firing": what the gerund
                    // says is not asserted.
                    preds[p].irrealis = c.via_preposition;
                }
            }
        }
    }

    /// The infinitive predicate that the infinitive at chunk `k` is coordinated with: back
    /// over quotes and adverbs to a conjunction, then over the first one's object and
    /// phrases (at most six chunks) to its verb group.
    fn coordinated_infinitive(&self, k: usize, by_chunk: &ByChunk) -> Option<usize> {
        let quote = |c: &annalist_text::Chunk| {
            c.kind == ChunkKind::Punctuation
                && matches!(self.toks[c.start].tag, Tag::LQUOTE | Tag::QUOTE)
        };
        let mut j = k;
        while j > 0 && (quote(&self.chunks[j - 1]) || self.chunks[j - 1].kind == ChunkKind::Adverb)
        {
            j -= 1;
        }
        if j == 0 || self.chunks[j - 1].kind != ChunkKind::Coordinator {
            return None;
        }
        for v in (j.saturating_sub(7)..j - 1).rev() {
            match &self.chunks[v].kind {
                ChunkKind::Verb(vg) => {
                    return by_chunk.get(&v).copied().filter(|_| vg.infinitive);
                }
                ChunkKind::NounPhrase { .. }
                | ChunkKind::Preposition
                | ChunkKind::Adjective
                | ChunkKind::Adverb => {}
                _ if quote(&self.chunks[v]) => {}
                _ => return None,
            }
        }
        None
    }

    /// Pass 2b: "accused Chad of torturing prisoners, ignoring court orders and
    /// silencing journalists": gerunds listed after an unasserted gerund (by a comma or
    /// a conjunction, with only phrases between) are unasserted too.
    fn gerund_lists(&self, preds: &mut [Predicate]) {
        for p in 1..preds.len() {
            let q = p - 1;
            if !(preds[p].vg.gerund && preds[q].vg.gerund && preds[q].irrealis)
                || preds[p].controller.is_some()
                || preds[p].irrealis
            {
                continue;
            }
            let between = &self.chunks[preds[q].chunk + 1..preds[p].chunk];
            let listed = between.last().is_some_and(|c| {
                c.kind == ChunkKind::Coordinator || self.toks[c.start].lower == ","
            }) && between.iter().all(|c| match c.kind {
                ChunkKind::NounPhrase { .. }
                | ChunkKind::Preposition
                | ChunkKind::Adjective
                | ChunkKind::Adverb
                | ChunkKind::Coordinator => true,
                ChunkKind::Punctuation => self.toks[c.start].lower == ",",
                _ => false,
            });
            if listed {
                preds[p].irrealis = true;
            }
        }
    }

    /// From the infinitive or gerund at chunk `k` back over an object phrase, "on NP",
    /// an adjective and adverbs, to where its controller should be.
    pub(super) fn control(&self, k: usize, vg: &VerbGroup) -> Control {
        let mut c = Control {
            back: k,
            via_preposition: false,
            noun_complement: false,
        };
        // How far back a controller may be (further over a relative clause).
        let mut reach = 6;
        while c.back > 0 {
            let back = c.back;
            let chunk = &self.chunks[back - 1];
            match chunk.kind {
                ChunkKind::Adverb | ChunkKind::Adjective => c.back -= 1,
                // "demands to release", "plans to sell": the infinitive completes the
                // noun, it is no complement of the verb and is not asserted.
                ChunkKind::NounPhrase { head, .. }
                    if vg.infinitive
                        && (self.kn.noun_complement.contains(&self.toks[head].lemma)
                            || self.relative_infinitive(back - 1)) =>
                {
                    c.noun_complement = true;
                    break;
                }
                ChunkKind::NounPhrase { .. } if vg.infinitive => c.back -= 1,
                ChunkKind::Coordinator
                    if vg.infinitive && back < k && back >= 2 && self.is_np(back - 2) =>
                {
                    c.back -= 1
                }
                ChunkKind::Preposition if vg.infinitive && back < k => c.back -= 1,
                // "will allow refugees who have lived in X for years to return": a
                // relative clause on an object-control verb's object is passed over.
                ChunkKind::Verb(_)
                    if vg.infinitive && back < k && self.relative_on_object(back - 1) =>
                {
                    c.back -= 2;
                    reach = 10;
                }
                ChunkKind::Preposition
                    if vg.gerund && self.is_prep_of(back - 1, WordClass::GerundControlPrep) =>
                {
                    c.via_preposition = true;
                    c.back -= 1
                }
                ChunkKind::NounPhrase { .. } if vg.gerund && back < k && back >= 2 => c.back -= 1,
                // "accused Ukraine on Tuesday of shelling": a phrase between the object
                // and the gerund's preposition is passed over.
                ChunkKind::Preposition if vg.gerund && c.via_preposition && back < k => c.back -= 1,
                _ => break,
            }
            if k - c.back > reach {
                break;
            }
        }
        c
    }

    /// Pass 4a: "Kenya welcomed Ethiopia's decision to withdraw", "a pledge by Chad to
    /// send troops": an infinitive completing a control noun (CONTROL_NOUN) whose owner
    /// the text names — a possessor in its phrase or a "by"/"of" phrase right after it —
    /// is the owner's act, framed by the noun ("decision" acts, "pledge" intends).
    fn owned_control_nouns(&self, preds: &mut [Predicate]) {
        for p in preds.iter_mut() {
            if !(p.vg.infinitive && p.irrealis && p.controller.is_none()) {
                continue;
            }
            let c = self.control(p.chunk, &p.vg);
            if !c.noun_complement || c.back == 0 {
                continue;
            }
            let j = c.back - 1;
            let Some((_, _, head, _)) = np_bounds(&self.chunks[j]) else {
                continue;
            };
            let noun = &self.toks[head].lemma;
            if self.kn.words.value(WordClass::ControlNoun, noun).is_none() {
                continue;
            }
            let by_phrase =
                self.is_prep(j + 1, &["by", "of"]) && self.is_np(j + 2) && j + 2 < p.chunk;
            let owner = if by_phrase {
                Some(self.arg_at(j + 2, false).0).filter(|a| !a.actors.is_empty())
            } else {
                let own = self.arg_at(j, false).0;
                let possessed = own.actors.iter().any(|a| a.possessor)
                    || own.pronoun.is_some_and(|t| {
                        self.kn
                            .is(WordClass::PossessivePronoun, &self.toks[t].lower)
                    });
                Some(own).filter(|_| possessed)
            };
            if let Some(owner) = owner {
                p.subject = Some(owner);
                p.irrealis = false;
                p.framed_by = Some(noun.clone());
            }
        }
    }

    /// The verb group at chunk `v` opens a relative clause ("who", "that") on the object
    /// of an object-control verb: `[VG allow] [NP refugees] [who] [VG have lived]`.
    fn relative_on_object(&self, v: usize) -> bool {
        v >= 3
            && self.chunks[v - 1].kind == ChunkKind::ClauseMarker
            && self.is_np(v - 2)
            && matches!(&self.chunks[v - 3].kind, ChunkKind::Verb(cv)
                if self.kn.is(WordClass::ObjectControlVerb, &self.toks[cv.head].lemma))
    }

    /// "the deadliest strikes to hit the capital": the noun phrase at chunk `j` has a
    /// superlative or an ordinal, so an infinitive after it is its relative clause —
    /// unless the phrase is a copula's ("Armenia became the first country to …").
    fn relative_infinitive(&self, j: usize) -> bool {
        let c = &self.chunks[j];
        let ranked = self.toks[c.start..c.end].iter().any(|t| {
            t.tag == Tag::JJS || self.kn.is(WordClass::InfinitiveRelativeModifier, &t.lower)
        });
        let copula = j > 0
            && matches!(&self.chunks[j - 1].kind, ChunkKind::Verb(vg)
                if self.kn.is(WordClass::LinkingVerb, &self.toks[vg.head].lemma));
        ranked && !copula
    }

    /// Pass 3: "demanded that X …": the first predicate of the clause. Time adverbials
    /// may come between ("demanded on Friday that …").
    fn link_that_clauses(&self, preds: &mut [Predicate]) {
        for p in 0..preds.len() {
            let mut j = preds[p].chunk + 1;
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
            // "warned Israel that …", "assured Turkey that …": whom it is said to comes
            // first (ADDRESSEE_VERB, and an actor), then the clause.
            if let Some(o) = preds[p].object.as_ref().filter(|o| {
                o.chunks.first() == Some(&j)
                    && o.actors
                        .iter()
                        .any(|a| a.code.is_some() || a.sector.is_some())
                    && self.kn.is(WordClass::AddresseeVerb, &preds[p].lemma)
            }) {
                j = o.chunks.last().map_or(j, |&l| l + 1);
            }
            let marker = self.chunks.get(j).is_some_and(|c| {
                matches!(c.kind, ChunkKind::ClauseMarker) && self.toks[c.start].lower == "that"
            });
            if marker {
                preds[p].clause = (p + 1..preds.len())
                    .find(|&q| preds[q].chunk > j && preds[q].controller.is_none());
            }
        }
    }

    /// Pass 4: the subject of every predicate that is no complement.
    fn assign_subjects(&self, preds: &mut [Predicate], by_chunk: &ByChunk) {
        for p in 0..preds.len() {
            if preds[p].controller.is_some() || self.shared_subject(preds, p) {
                continue;
            }
            let (subj, coord) = self.find_subject(preds[p].chunk, by_chunk);
            if let Some(q) = coord {
                preds[p].coordinated_with = Some(q);
                preds[p].subject = preds[q].subject.clone();
                continue;
            }
            // "riots against Israeli policies are continuing": the prepositional phrases
            // between the subject and its verb.
            if let Some(last) = subj.as_ref().and_then(|a| a.chunks.last().copied()) {
                let mut k = last + 1;
                while k + 1 < preds[p].chunk && self.is_prep(k, &[]) && self.is_np(k + 1) {
                    let prep = self.toks[self.chunks[k].start].lower.clone();
                    // (The verb is this subject's: a coordination here opens no clause.)
                    let (a, end) = self.arg_at(k + 1, false);
                    preds[p].subject_pps.push((prep, a));
                    k = end + 1;
                }
            }
            preds[p].subject = subj;
        }
    }

    /// Pass 4b: "while rejecting the claims", "after meeting the envoy": a gerund right
    /// after a subordinator has the subject of the clause it is attached to — the next
    /// finite verb's when it opens the sentence or follows a comma ("Kenya, while
    /// rejecting …, warned"), else the finite verb's before it ("Kenya warned Uganda
    /// while rejecting …").
    fn subordinate_gerunds(&self, preds: &mut [Predicate]) {
        for p in 0..preds.len() {
            let k = preds[p].chunk;
            if !preds[p].vg.gerund || preds[p].subject.is_some() || k == 0 {
                continue;
            }
            let m = &self.chunks[k - 1];
            let w = self.toks[m.start].lower.as_str();
            if !matches!(m.kind, ChunkKind::ClauseMarker | ChunkKind::Preposition)
                || !self.kn.is(WordClass::SubordinatingPrep, w)
            {
                continue;
            }
            let fronted = k < 2
                || (self.chunks[k - 2].kind == ChunkKind::Punctuation
                    && self.toks[self.chunks[k - 2].start].lower == ",");
            let main = |q: &usize| {
                preds[*q].vg.finite
                    && preds[*q].controller.is_none()
                    && !preds[*q].speech
                    && preds[*q]
                        .subject
                        .as_ref()
                        .is_some_and(|a| !a.actors.is_empty())
            };
            let q = if fronted {
                (p + 1..preds.len()).find(main)
            } else {
                (0..p).rev().find(main)
            };
            if let Some(q) = q {
                preds[p].subject = preds[q].subject.clone();
            }
        }
    }

    /// Subjects that come from another predicate or the phrase before a participle;
    /// true when predicate `p` got one.
    fn shared_subject(&self, preds: &mut [Predicate], p: usize) -> bool {
        let k = preds[p].chunk;
        let after = |kind: ChunkKind, w: &str| {
            k > 0
                && self.chunks[k - 1].kind == kind
                && self.toks[self.chunks[k - 1].start].lower == w
        };
        // ", killing five": a participial adjunct shares the main clause's subject.
        if preds[p].vg.gerund && after(ChunkKind::Punctuation, ",") {
            // "…, officials said, blaming the strike on Turkey": right after a reporting
            // verb, the gerund is the speaker's.
            if let Some(q) = (0..p).rev().find(|&q| preds[q].vg.finite) {
                if preds[q].speech && preds[q].chunk + 2 == k && preds[q].subject.is_some() {
                    preds[p].subject = preds[q].subject.clone();
                    return true;
                }
            }
            if let Some(q) = (0..p)
                .rev()
                .find(|&q| preds[q].vg.finite && preds[q].controller.is_none() && !preds[q].speech)
            {
                // "their truck struck a landmine, killing four": the device kills, not
                // the subject that ran into it (UNDERGO_VERB with a DEVICE object).
                let device = preds[q].object.as_ref().filter(|o| {
                    self.kn.is(WordClass::UndergoVerb, &preds[q].lemma)
                        && o.heads.iter().any(|h| self.kn.devices.contains(h))
                });
                if let Some(d) = device {
                    preds[p].subject = Some(d.clone());
                    return true;
                }
                preds[p].subject = preds[q].subject.clone();
                preds[p].coordinated_with = Some(q);
                return true;
            }
        }
        // "… near the islands, claimed by both states": a past participle after a comma
        // describes the phrase just before it.
        if preds[p].vg.participle
            && !preds[p].vg.finite
            && k >= 2
            && after(ChunkKind::Punctuation, ",")
            && self.is_np(k - 2)
        {
            let mut first = k - 2;
            while first >= 2 && self.is_prep(first - 1, &["of"]) && self.is_np(first - 2) {
                first -= 2;
            }
            preds[p].subject = Some(self.arg_at(first, false).0);
            return true;
        }
        if self.statement_subject(preds, p) {
            return true;
        }
        // ", killing one and arresting twelve": a gerund coordinated with a gerund
        // adjunct shares its subject.
        if preds[p].vg.gerund
            && (after(ChunkKind::Coordinator, "and") || after(ChunkKind::Coordinator, "or"))
        {
            if let Some(q) = (0..p).rev().find(|&q| preds[q].vg.gerund) {
                preds[p].subject = preds[q].subject.clone();
                preds[p].coordinated_with = Some(q);
                return true;
            }
        }
        false
    }

    /// "issued a statement demanding …": a participle on a statement noun that is a
    /// verb's object speaks for that verb's subject — or for the author the noun names
    /// ("vetoed an EU statement condemning China"); a statement vetoed or blocked
    /// (BLOCKING_VERB) says nothing.
    /// ("sent a letter to the UN accusing Togo", "issued a statement on Monday urging
    /// Uganda": past the phrases and adverbs that follow the noun.)
    fn statement_subject(&self, preds: &mut [Predicate], p: usize) -> bool {
        let k = preds[p].chunk;
        let mut n = k;
        while n >= 3
            && matches!(
                self.chunks[n - 1].kind,
                ChunkKind::NounPhrase { .. } | ChunkKind::Adverb
            )
            && self.is_prep(n - 2, &[])
            && self.is_np(n - 3)
        {
            n -= 2;
        }
        if n >= 2 && self.chunks[n - 1].kind == ChunkKind::Adverb && self.is_np(n - 2) {
            n -= 1;
        }
        if preds[p].vg.gerund && n > 0 && self.is_np(n - 1) {
            let (_, _, h, _) = np_bounds(&self.chunks[n - 1]).unwrap();
            if self.kn.statements.contains(&self.toks[h].lemma) {
                if let Some(q) = (0..p).rev().find(|&q| {
                    preds[q]
                        .object
                        .as_ref()
                        .is_some_and(|o| o.chunks.contains(&(n - 1)))
                }) {
                    let (mut own, _) = self.arg_at(n - 1, false);
                    // (Named within the noun's own words: "a case at the ICJ" is no
                    // case of the court's.)
                    let c = &self.chunks[n - 1];
                    let (cs, ce) = (
                        self.toks[c.start].token.start,
                        self.toks[c.end - 1].token.end,
                    );
                    let authored = own
                        .actors
                        .iter()
                        .any(|a| a.code.is_some() && a.start >= cs && a.end <= ce);
                    // ("an EU statement": the nation or body on the noun is its author.)
                    for a in own.actors.iter_mut() {
                        a.modifier = false;
                        a.possessor = false;
                    }
                    preds[p].subject = if authored {
                        Some(own)
                    } else {
                        preds[q].subject.clone()
                    };
                    if self.kn.is(WordClass::BlockingVerb, &preds[q].lemma) {
                        preds[p].irrealis = true;
                    }
                    return true;
                }
            }
        }
        false
    }

    /// Pass 6: "will boycott the vote unless the commission is reformed": what an
    /// if/unless clause states is a condition, not an event; so is a clause of time
    /// (TIME_SUBORDINATOR) with a present verb when another clause is future ("will
    /// arrest anyone when the union marches").
    fn mark_conditions(&self, preds: &mut [Predicate]) {
        let future = preds.iter().any(|q| {
            q.vg.modal
                .as_deref()
                .is_some_and(|m| self.kn.is(WordClass::FutureModal, m) && m != "would")
        });
        for (m, c) in self.chunks.iter().enumerate() {
            let w = self.toks[c.start].lower.as_str();
            let time = future && self.kn.is(WordClass::TimeSubordinator, w);
            let condition = c.kind == ChunkKind::ClauseMarker && matches!(w, "if" | "unless");
            let time = time
                && matches!(
                    c.kind,
                    ChunkKind::ClauseMarker | ChunkKind::Preposition | ChunkKind::Adverb
                );
            if !(condition || time) {
                continue;
            }
            let Some(first) = (0..preds.len()).find(|&q| preds[q].chunk > m && !preds[q].speech)
            else {
                continue;
            };
            let present = matches!(self.toks[preds[first].vg.head].tag, Tag::VBZ | Tag::VBP)
                && preds[first].vg.modal.is_none();
            if time && !(present && preds[first].chunk <= m + 2) {
                continue;
            }
            // "if Washington got involved or targeted Yemen": the verbs coordinated with
            // the condition's are conditions too; so is every clause of a condition that
            // follows its main clause, up to "but" or ";" ("will react if Turkey sends
            // ships and its navy escorts them").
            let postposed = preds.iter().any(|q| q.chunk < m && !q.speech);
            // (", and …" opens a new main clause too.)
            let end = (m..self.chunks.len())
                .find(|&d| {
                    let w = self.toks[self.chunks[d].start].lower.as_str();
                    w == "but"
                        || w == ";"
                        || (w == ","
                            && self
                                .chunks
                                .get(d + 1)
                                .is_some_and(|c| c.kind == ChunkKind::Coordinator))
                })
                .unwrap_or(self.chunks.len());
            if preds[first].chunk >= end {
                continue;
            }
            let mut marked = vec![first];
            for (r, q) in preds.iter().enumerate().skip(first + 1) {
                let in_clause = postposed && q.chunk < end && !q.speech;
                if in_clause || q.coordinated_with.is_some_and(|c| marked.contains(&c)) {
                    marked.push(r);
                }
            }
            let mut stack = marked;
            while let Some(q) = stack.pop() {
                if !preds[q].irrealis {
                    preds[q].irrealis = true;
                    stack.extend(preds[q].complement);
                }
            }
        }
    }

    /// Pass 7: the predicates each reporting verb reports.
    fn scope_reports(&self, preds: &mut [Predicate]) {
        for s in 0..preds.len() {
            if !preds[s].speech || preds[s].controller.is_some() {
                continue;
            }
            // "Brazil announced it had begun …": the noun phrase after the verb is the
            // reported clause's subject, not an object.
            if preds[s]
                .object
                .as_ref()
                .is_some_and(|o| self.opens_clause(o))
            {
                preds[s].object = None;
            }
            let end = report_end(preds, s);
            let later: Vec<usize> = (s + 1..end).collect();
            // "told the envoy that …": whom it is said to, then the clause (linked after
            // the addressee by `link_that_clauses`).
            let told_that = preds[s].object.is_some() && preds[s].clause.is_some();
            let scope: Vec<usize> = if later.iter().any(|&q| preds[q].chunk > preds[s].chunk)
                && (preds[s].object.is_none() || told_that)
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
    }

    /// Pass 8: what a denial (ATTRIBUTION_VERB valued `denied`) denies: its that-clause
    /// ("denied that its troops had crossed"), or the that-clause of its object noun
    /// when that states a proposition ("rejected claims by Kyiv that …", class
    /// PROPOSITION_NOUN). The clause's first predicate, what is coordinated with it and
    /// what it controls are `denied`, reported by the denial.
    fn mark_denials(&self, preds: &mut [Predicate]) {
        for d in 0..preds.len() {
            if preds[d].vg.negated
                || self
                    .kn
                    .words
                    .value(WordClass::AttributionVerb, &preds[d].lemma)
                    != Some("denied")
            {
                continue;
            }
            // "denied its drones had attacked …": the noun phrase after the verb is the
            // denied clause's subject, as after a reporting verb.
            let bare = preds[d].clause.is_none()
                && preds[d].object.as_ref().is_some_and(|o| {
                    self.subject_of_clause(o)
                        && !o
                            .heads
                            .last()
                            .is_some_and(|h| self.kn.is(WordClass::PropositionNoun, h))
                });
            let first = if bare {
                let after = preds[d]
                    .object
                    .as_ref()
                    .and_then(|o| o.chunks.last().copied());
                preds[d].object = None;
                (d + 1..preds.len()).find(|&q| {
                    after.is_some_and(|a| preds[q].chunk > a) && preds[q].controller.is_none()
                })
            } else {
                preds[d]
                    .clause
                    .or_else(|| self.proposition_clause(preds, d))
            };
            let Some(first) = first else {
                continue;
            };
            let mut marked = vec![first];
            for (q, pq) in preds.iter().enumerate().skip(first + 1) {
                let under = pq
                    .controller
                    .or(pq.coordinated_with)
                    .is_some_and(|c| marked.contains(&c));
                if under {
                    marked.push(q);
                }
            }
            for q in marked {
                preds[q].denied = true;
                if preds[q].reported_by.is_none() {
                    preds[q].reported_by = Some(d);
                }
            }
        }
    }

    /// The first predicate of the that-clause on denial `d`'s object noun, when the
    /// noun states a proposition: "dismissed reports that …", "denied Kyiv's claims
    /// that …", "rejected accusations by Kosovo that …" (one phrase may come between).
    /// The clause has a subject of its own: "reports that emerged" is a relative clause.
    fn proposition_clause(&self, preds: &[Predicate], d: usize) -> Option<usize> {
        let o = preds[d].object.as_ref()?;
        if !self.kn.is(WordClass::PropositionNoun, o.heads.last()?) {
            return None;
        }
        let mut j = *o.chunks.last()? + 1;
        if self.is_prep(j, &[]) && self.is_np(j + 1) {
            j += 2;
        }
        let that = self.chunks.get(j).is_some_and(|c| {
            c.kind == ChunkKind::ClauseMarker && self.toks[c.start].lower == "that"
        });
        if !that || !self.is_np(j + 1) {
            return None;
        }
        (d + 1..preds.len()).find(|&q| preds[q].chunk > j + 1 && preds[q].controller.is_none())
    }

    /// An object that is the subject of a clause: a finite verb follows it, with at most
    /// its prepositional phrases between ("denied its jets over the sea had fired").
    fn subject_of_clause(&self, o: &Arg) -> bool {
        o.chunks.last().is_some_and(|&c| {
            let mut j = c + 1;
            while self.is_prep(j, &[]) && self.is_np(j + 1) {
                j += 2;
            }
            self.is_finite_vg(j)
        })
    }

    /// A reporting verb's "object" that is the subject of the clause it reports: a
    /// finite verb follows it (the rest of a coordination, or its prepositional phrases,
    /// may come between: "said Saudi and Emirati forces must …", "said the curfew in
    /// Kano had been lifted").
    fn opens_clause(&self, o: &Arg) -> bool {
        o.chunks.last().is_some_and(|&c| {
            let mut j = c + 1;
            while self.is_np(j)
                || self.chunks.get(j).is_some_and(|x| {
                    x.kind == ChunkKind::Coordinator
                        || (x.kind == ChunkKind::Punctuation && self.toks[x.start].lower == ",")
                        // "said the curfew in Kano had been lifted"
                        || (x.kind == ChunkKind::Preposition && self.is_np(j + 1))
                })
            {
                j += 1;
            }
            self.is_finite_vg(j)
        })
    }
}

/// Pass 5a: "donated and delivered X to Y": the first verb shares the second's object.
fn share_coordinated_objects(preds: &mut [Predicate]) {
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
}

/// Pass 5b: complements take their subject from the controller (or its object for
/// requests: "urged Iran to free" → Iran frees, decided by the event patterns).
fn complements_take_subjects(preds: &mut [Predicate], kn: &Knowledge) {
    for p in 0..preds.len() {
        if let Some(q) = preds[p].controller {
            preds[p].subject = controlled_subject(preds, p, q, kn);
        }
    }
}

/// The subject of complement `p` of controller `q`: the controller's subject, or its
/// object when the controller is an accusation and `p` its gerund ("accused Russia of
/// plotting …"), or an object-control verb (OBJECT_CONTROL_VERB) and the infinitive
/// follows an object naming an actor ("helped Iraqi troops repel the attack", "allowed
/// the opposition to hold a rally").
pub(super) fn controlled_subject(
    preds: &[Predicate],
    p: usize,
    q: usize,
    kn: &Knowledge,
) -> Option<Arg> {
    let object = preds[q].object.as_ref().filter(|o| {
        preds[p].vg.infinitive
            && kn.is(WordClass::ObjectControlVerb, &preds[q].lemma)
            && !o.actors.is_empty()
            && o.chunks.last().is_some_and(|&c| c + 1 == preds[p].chunk)
    });
    // "accused Russia of plotting to overthrow …": the gerund of an accusation is the
    // accused's, and so is what it controls in turn.
    let accused = preds[q].object.as_ref().filter(|o| {
        preds[p].vg.gerund
            && kn.words.value(WordClass::AttributionVerb, &preds[q].lemma) == Some("alleged")
            && !o.actors.is_empty()
    });
    object.or(accused).or(preds[q].subject.as_ref()).cloned()
}

/// The reported clause of report `s` ends where another speaker's report begins:
/// "Chad announced it had sealed its frontier after Khartoum said it planned to expel
/// traders" — "planned" is Khartoum's.
fn report_end(preds: &[Predicate], s: usize) -> usize {
    (s + 1..preds.len())
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
        .unwrap_or(preds.len())
}
