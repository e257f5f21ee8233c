//! Arguments: a noun phrase (with its coordinated phrases and the "of/in/from X" that
//! completes it) as an [`Arg`] with the actors it denotes, resolved through the actor
//! matcher; quantities ("dozens of students"), anaphors ("the country"), possessive
//! pronouns, bracketed acronyms and time phrases ("last night").
use super::{np_bounds, Arg, SentenceView};
use crate::actors::Actor;
use annalist_dict::WordClass;
use annalist_text::ChunkKind;

impl SentenceView<'_> {
    /// The head at token `head` counts what its "of" phrase names: a quantity noun
    /// (QUANTITY: "dozens of students", "a barrage of rockets") or a number ("40 of the
    /// 52 drones", "three of the victims").
    fn counts(&self, head: usize) -> bool {
        let t = &self.toks[head];
        t.tag == annalist_dict::Tag::CD || self.kn.quantity.contains(&t.lemma)
    }

    /// The actor of the noun phrase at chunk `k`, completed by a following "of/in/from
    /// X" when the phrase itself names no country ("the police in Iraq").
    pub(super) fn np_actor(&self, k: usize) -> (Option<Actor>, Option<usize>) {
        let (s, e, head, pronoun) = np_bounds(&self.chunks[k]).unwrap();
        // "with each other in Dhaka": a reciprocal pronoun denotes the clause's parties.
        if self.kn.reciprocal_at(self.toks, s) {
            return (None, None);
        }
        // "dozens of students", "a group of refugees": a quantity denotes
        // what it counts.
        if self.counts(head) && self.is_prep(k + 1, &["of"]) && self.is_np(k + 2) {
            let (inner, pron) = self.np_actor(k + 2);
            if let Some(mut a) = inner {
                a.start = a.start.min(self.toks[s].token.start);
                return (Some(a), pron);
            }
        }
        let actor = self
            .matcher
            .resolve_phrase(self.toks, self.mentions, (s, e, head), self.date);
        // "its allies", "Russia's neighbours": a noun of relation (RELATIONAL_NOUN) owned
        // by an actor denotes others, not the owner.
        // ("his Ugandan counterpart" names its own nation.)
        if self.relation_of_owner((s, e, head), actor.as_ref()) {
            // ("urging its counterpart to sign": a word for the other party refers to it
            // as a pronoun would.)
            if self
                .kn
                .is(WordClass::OtherPartyAnaphor, &self.toks[head].lower)
                && actor.as_ref().is_none_or(|a| a.code.is_none())
            {
                return (Some(self.unresolved((s, e), head)), Some(head));
            }
            return (None, None);
        }
        // "the country", "the group": a definite description refers back like a pronoun.
        let anaphor = e == s + 2
            && self.toks[s].lower == "the"
            && actor
                .as_ref()
                .is_none_or(|a| a.code.is_none() && a.sector.is_none())
            && self.kn.anaphors.contains(&self.toks[head].lower);
        // "the country's army": such a description as the possessor, likewise.
        let possessor_anaphor = match self.chunks[k].kind {
            ChunkKind::NounPhrase {
                possessor_end: Some(pe),
                ..
            } => (pe == s + 3
                && self.toks[s].lower == "the"
                && self.kn.state_anaphors.contains(&self.toks[s + 1].lower)
                // (An agent of it: "the country's west" is a place, left to the places.)
                && actor.as_ref().is_some_and(|a| a.code.is_none() && a.sector.is_some()))
            .then_some(s + 1),
            _ => None,
        };
        // A possessive pronoun ("its troops") or a pronoun to resolve.
        let pron = if anaphor {
            Some(head)
        } else if let Some(t) = possessor_anaphor {
            Some(t)
        } else if pronoun {
            Some(s)
        } else {
            (s..e)
                .find(|&i| self.toks[i].tag == annalist_dict::Tag::PRPS)
                .filter(|_| actor.as_ref().is_none_or(|a| a.code.is_none()))
        };
        // "its troops from X": the possessor owns the phrase, X is another argument.
        // "terrorist activities in Israel": an agent word that only modifies a thing does
        // not make the thing an actor of the place.
        // "ethnic Albanians in Serbia": a nationality marked as ethnic (ETHNIC_MARKER)
        // yields to the country the phrase places its people in.
        let ethnic = (s..head).any(|i| self.kn.is(WordClass::EthnicMarker, &self.toks[i].lower));
        // "peacekeepers in South Sudan": a peacekeeping force (class PEACEKEEPING) is
        // owned by an "of/from X" only, never by where it serves.
        let peacekeeping = pron.is_none()
            && actor.as_ref().is_some_and(|a| a.code.is_none())
            && (s..=head).any(|i| self.kn.is(WordClass::Peacekeeping, &self.toks[i].lower));
        if pron.is_none()
            && (ethnic
                || actor
                    .as_ref()
                    .is_none_or(|a| a.code.is_none() && !a.modifier))
            && (!peacekeeping || self.is_prep(k + 1, &["of", "from"]))
        {
            if let Some(merged) = self.completed_by_phrase(k, head, actor.as_ref()) {
                return (Some(merged), None);
            }
        }
        // With no owner of its own, a peacekeeping force is an international
        // organisation's, placed abroad.
        let actor = actor.map(|mut a| {
            if peacekeeping {
                a.code = Some("IGO".to_string());
                a.foreign = true;
                a.entry = format!("{}; peacekeeping, no owner: IGO", a.entry);
            }
            a
        });
        // "some positions of its armed forces": a thing of an agent owned by a pronoun
        // is that agent's, the pronoun to resolve.
        let (mut actor, pron) = match (actor, pron) {
            (None, None) => self.pronoun_owner_of(k).unzip(),
            other => other,
        };
        if let (Some(a), Some(p)) = (&mut actor, pron) {
            let _ = p;
            if a.code.is_none() {
                a.start = a.start.min(self.toks[s].token.start);
            }
        }
        if let (None, Some(pi)) = (&actor, pron) {
            actor = Some(self.unresolved((s, e), pi));
        }
        (actor, pron)
    }

    /// An actor yet to be resolved for tokens `[s, e)`, referred to by the pronoun or
    /// anaphor at `pi` (its number and person).
    fn unresolved(&self, (s, e): (usize, usize), pi: usize) -> Actor {
        let tok = &self.toks[pi];
        Actor {
            code: None,
            org: None,
            sector: None,
            start: self.toks[s].token.start,
            end: self.toks[e - 1].token.end,
            entry: String::new(),
            plural: self.kn.is(WordClass::PluralPronoun, &tok.lower)
                || tok.tag == annalist_dict::Tag::NNS,
            person: self.kn.is(WordClass::PersonPronoun, &tok.lower),
            modifier: false,
            possessor: false,
            office: false,
            foreign: false,
            place: None,
        }
    }

    /// The agent of the "of" phrase after noun phrase `k` when a possessive pronoun
    /// owns it ("positions of its armed forces"), with the pronoun's token.
    fn pronoun_owner_of(&self, k: usize) -> Option<(Actor, usize)> {
        if !(self.is_prep(k + 1, &["of"]) && self.is_np(k + 2)) {
            return None;
        }
        let (s2, e2, h2, _) = np_bounds(&self.chunks[k + 2])?;
        let p = (s2..e2).find(|&i| self.toks[i].tag == annalist_dict::Tag::PRPS)?;
        let inner = self
            .matcher
            .resolve_phrase(self.toks, self.mentions, (s2, e2, h2), self.date)
            .filter(|a| a.code.is_none() && a.sector.is_some())?;
        let (s, _, _, _) = np_bounds(&self.chunks[k])?;
        Some((
            Actor {
                start: self.toks[s].token.start,
                ..inner
            },
            p,
        ))
    }

    /// A noun of relation (RELATIONAL_NOUN) owned by an actor or a possessive pronoun:
    /// "its allies", "Russia's neighbours", "Israel's militia ally" denote others than
    /// the owner. ("his Ugandan counterpart" names its own nation.)
    fn relation_of_owner(
        &self,
        (s, e, head): (usize, usize, usize),
        actor: Option<&Actor>,
    ) -> bool {
        let own_code = actor.is_some_and(|a| a.code.is_some() && !a.possessor);
        self.kn
            .is(WordClass::RelationalNoun, &self.toks[head].lemma)
            && ((!own_code && (s..e).any(|i| self.toks[i].tag == annalist_dict::Tag::PRPS))
                || actor.is_some_and(|a| a.possessor))
    }

    /// The actor of the noun phrase at chunk `k` (head `head`, actor so far `actor`)
    /// completed by the "of/in/from/at/by X" phrase after it, when X names a country or
    /// organisation: "the police in Iraq", "an offer from Qatar" (X owns the thing),
    /// "engineers from a Turkish firm" — but "withdrew troops from Syria" leaves Syria
    /// to the verb, and "talks in X" only places the talks.
    fn completed_by_phrase(&self, k: usize, head: usize, actor: Option<&Actor>) -> Option<Actor> {
        // "calls by X", "an offer from X" name their actor in a "by"/"from" phrase.
        let thing_head = self.kn.things.contains(&self.toks[head].lemma);
        let after_verb = k > 0 && matches!(self.chunks[k - 1].kind, ChunkKind::Verb(_));
        // "withdrew troops from Armenia", "pulled its forces from Syria": after a verb of
        // moving one's own forces (OWN_OBJECT_VERB) "from X" is the place left.
        let moves_own = after_verb
            && matches!(&self.chunks[k - 1].kind, ChunkKind::Verb(vg)
                if self.kn.is(WordClass::OwnObjectVerb, &vg.lemma));
        // "the plan proposed by the EU": a thing's participle names its author.
        // ("a truce brokered by Qatar": a go-between, BROKER_VERB, is no author.)
        let k = if thing_head
            && matches!(&self.chunks.get(k + 1).map(|c| &c.kind),
                Some(ChunkKind::Verb(vg)) if vg.participle && !vg.finite
                    && !self.kn.is(WordClass::BrokerVerb, &vg.lemma))
            && self.is_prep(k + 2, &["by"])
        {
            k + 1
        } else {
            k
        };
        let completes = if moves_own && self.is_prep(k + 1, &["from"]) {
            false
        } else if thing_head {
            self.is_prep_of(k + 1, WordClass::ThingActorPrep)
        } else if after_verb {
            self.is_prep_of(k + 1, WordClass::ObjectActorPrep)
        } else {
            self.is_prep_of(k + 1, WordClass::PhraseActorPrep)
        };
        if !(completes && self.is_np(k + 2)) {
            return None;
        }
        let (s2, e2, h2, _) = np_bounds(&self.chunks[k + 2]).unwrap();
        let inner =
            self.matcher
                .resolve_phrase(self.toks, self.mentions, (s2, e2, h2), self.date)?;
        // ("Members of an armed gang kidnapped …": a head with no actor of its own takes
        // the sector its phrase names, for localization to place.)
        if inner.code.is_none() {
            return (actor.is_none() && inner.sector.is_some() && !thing_head).then_some(inner);
        }
        // "the commander of Israel's militia ally": the ally is not Israel, and its
        // commander belongs to no country of the sentence.
        if self.relation_of_owner((s2, e2, h2), Some(&inner)) {
            return actor.map(|a| Actor {
                foreign: true,
                ..a.clone()
            });
        }
        // "an offer from X", "calls by X", "the demands of X": X owns the thing.
        let owner = thing_head && self.is_prep(k + 1, &["of", "from", "by"]);
        Some(match actor {
            Some(a) => Actor {
                code: inner.code.clone(),
                org: inner.org.clone(),
                sector: a.sector.or(inner.sector),
                start: a.start.min(inner.start),
                end: a.end.max(inner.end),
                entry: format!("{}; {} (of/in phrase)", a.entry, inner.entry),
                plural: a.plural,
                person: a.person,
                office: a.office,
                modifier: a.modifier && inner.modifier,
                possessor: owner,
                foreign: false,
                place: inner.place,
            },
            None => Actor {
                possessor: owner,
                ..inner
            },
        })
    }

    /// An argument starting at noun phrase `k`, with coordination; returns the last
    /// chunk used.
    pub(super) fn arg_at(&self, k: usize, stop_before_clause: bool) -> (Arg, usize) {
        let (mut arg, last) = self.phrases_at(k, stop_before_clause);
        arg.border = arg
            .heads
            .iter()
            .any(|h| self.kn.is(WordClass::BorderNoun, h));
        (arg, last)
    }

    /// [`SentenceView::arg_at`] but for what is decided over the whole argument.
    fn phrases_at(&self, k: usize, stop_before_clause: bool) -> (Arg, usize) {
        let mut arg = Arg {
            chunks: vec![],
            heads: vec![],
            actors: vec![],
            pronoun: None,
            border: false,
        };
        let mut j = k;
        let mut bare_adjectives = Vec::new();
        loop {
            let (_, _, head, _) = np_bounds(&self.chunks[j]).unwrap();
            arg.chunks.push(j);
            let head_lemma = self.toks[head].lemma.clone();
            self.push_heads(&mut arg.heads, j);
            // "part of a military aid programme": a quantity's heads include what it
            // counts; a sum counts what it is "in" too ("$47 million in aid").
            let sum = {
                let c = &self.chunks[j];
                (c.start..c.end).any(|i| {
                    self.toks[i].tag == annalist_dict::Tag::DOLLAR
                        || self.kn.is(WordClass::MoneyUnit, &self.toks[i].lemma)
                })
            };
            if (self.counts(head) || sum)
                && (self.is_prep(j + 1, &["of"]) || (sum && self.is_prep(j + 1, &["in"])))
                && self.is_np(j + 2)
            {
                let mut counted = Vec::new();
                self.push_heads(&mut counted, j + 2);
                let last = arg.heads.pop();
                arg.heads.extend(counted);
                arg.heads.extend(last);
            }
            let (actor, pron) = self.np_actor(j);
            // A phrase that is only a nationality adjective ("Armenian" of "Armenian and
            // Azerbaijani troops") shares the noun of the coordination's last phrase.
            if actor.is_some() && self.toks[head].tag.is_adjective() {
                bare_adjectives.push(arg.actors.len());
            }
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
            while np_bounds(&self.chunks[q]).is_some_and(|(_, _, h, _)| self.counts(h))
                && self.is_prep(q + 1, &["of"])
                && self.is_np(q + 2)
            {
                q += 2;
            }
            if q > j {
                next = q + 1;
            }
            if self.is_prep_of(next, WordClass::CompletingPrep)
                && self.is_np(next + 1)
                && arg
                    .actors
                    .last()
                    .is_some_and(|a| a.entry.contains("(of/in phrase)"))
            {
                next += 2;
            }
            if next == j + 1 {
                next = self.event_noun_of_list(j, &head_lemma, &mut arg, stop_before_clause);
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
            scope_coordination(&mut arg, &bare_adjectives);
            return (arg, if next > j + 1 { next - 1 } else { j });
        }
    }

    /// "the withdrawal of Indian and Chinese troops": an event noun's "of" phrase that is
    /// a whole coordination makes each conjunct an actor of the event (in place of the
    /// first conjunct's, which the noun phrase took); so does the "of" list of a head
    /// whose actor came from that phrase ("ships of Liberia and Greece"). Returns the
    /// chunk after what was used (`j + 1` when nothing was).
    fn event_noun_of_list(
        &self,
        j: usize,
        head_lemma: &str,
        arg: &mut Arg,
        stop_before_clause: bool,
    ) -> usize {
        let of = j + 1;
        // "damaging ships of Liberia and Greece": a head whose actor is only the "of"
        // phrase's takes the whole list too.
        let of_actor = self.is_np(of + 1)
            && arg
                .actors
                .last()
                .is_some_and(|a| a.start >= self.toks[self.chunks[of + 1].start].token.start);
        let list = (self.kn.event_nouns.contains(head_lemma) || of_actor)
            && self.is_prep(of, &["of"])
            && self.is_np(of + 1)
            && self.chunks.get(of + 2).is_some_and(|c| {
                c.kind == ChunkKind::Coordinator && self.toks[c.start].lower == "and"
            });
        if !list {
            return of;
        }
        let (inner, last) = self.arg_at(of + 1, stop_before_clause);
        if inner.actors.len() < 2 {
            return of;
        }
        let of_start = self.toks[self.chunks[of + 1].start].token.start;
        arg.actors.retain(|a| a.start < of_start);
        arg.actors.extend(inner.actors.into_iter().map(|a| Actor {
            entry: format!("{} (of phrase of {head_lemma:?})", a.entry),
            ..a
        }));
        last + 1
    }

    /// The heads a noun phrase offers to patterns: "hunger strike" (the compound),
    /// "aid" of "aid programme" (before a light head), then the head lemma itself.
    pub(super) fn push_heads(&self, heads: &mut Vec<String>, k: usize) {
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
    pub(super) fn bracketed_acronym(&self, mut k: usize) -> Option<Actor> {
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
    pub(super) fn time_phrase(&self, k: usize) -> bool {
        let (s, e, head, _) = np_bounds(&self.chunks[k]).unwrap();
        self.kn.is(WordClass::TimeNoun, &self.toks[head].lower)
            && (s..head).all(|i| self.kn.is(WordClass::TimeModifier, &self.toks[i].lower))
            && e == head + 1
    }

    /// After "X, Y" an "and Z" must follow for a comma list.
    pub(super) fn list_continues(&self, k: usize) -> bool {
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
}

/// Sectors and nations spread over a coordination: "Pakistani and Indian troops" (the
/// noun's sector scopes back over bare nationality adjectives, at `bare_adjectives`),
/// "Israeli helicopters and tanks" (a national modifier scopes forward).
fn scope_coordination(arg: &mut Arg, bare_adjectives: &[usize]) {
    // "Pakistani and Indian troops": the noun's sector scopes back over the bare
    // nationality adjectives coordinated with it.
    if let Some(last) = arg.actors.last().filter(|a| a.sector.is_some()).cloned() {
        let n = arg.actors.len() - 1;
        for &b in bare_adjectives.iter().filter(|&&b| b < n) {
            let a = &mut arg.actors[b];
            if a.sector.is_none() && a.org.is_none() && !a.person {
                a.sector = last.sector;
                a.modifier = last.modifier;
                a.entry = format!("{}; sector of the coordinated noun", a.entry);
            }
        }
    }
    // "met the foreign ministers of Egypt and Jordan": the sector the head gave the first
    // country through its "of" phrase is the bare countries' after it too.
    if let Some(first) = arg
        .actors
        .first()
        .filter(|a| a.sector.is_some() && a.entry.ends_with("(of/in phrase)"))
        .cloned()
    {
        for a in arg.actors.iter_mut().skip(1) {
            if a.sector.is_none() && a.org.is_none() && !a.person && a.code.is_some() {
                a.sector = first.sector;
                a.entry = format!(
                    "{}; sector of the head of {:?} (distributed)",
                    a.entry, first.entry
                );
            }
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
}
