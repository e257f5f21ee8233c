//! Stages 3–7 for one sentence: tokens, tags, chunks, actor mentions, predicates (with
//! pronouns resolved and sector-only actors localized), then the events of the
//! predicates, completed by the rule passes (`passes`). Input: a [`SentenceInput`];
//! output: a [`SentenceAnalysis`] that keeps every intermediate result, with match
//! traces when tracing (`explain`).
use crate::actors::{Actor, Mention};
use crate::clauses::{
    definite_sector_anaphora, localize, localize_sole_country, resolve_pronouns,
    share_mention_countries, Arg, Predicate, SentenceView,
};
use crate::events::{CodedEvent, MatchTrace};
use crate::passes::{sources::fill_source, targets::fill_target, PassContext};
use crate::Coder;
use annalist_dict::{Plover, Tag};
use annalist_text::{chunk, tokenize_with, Chunk, ChunkKind, TaggedToken};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// Everything computed for one sentence.
pub struct SentenceAnalysis {
    pub start: usize,
    pub end: usize,
    pub tokens: Vec<TaggedToken>,
    pub chunks: Vec<Chunk>,
    pub mentions: Vec<Mention>,
    pub predicates: Vec<Predicate>,
    pub events: Vec<CodedEvent>,
    pub traces: Vec<MatchTrace>,
}

/// One sentence to analyse, with what the document said before it.
#[derive(Clone, Copy)]
pub struct SentenceInput<'a> {
    /// The whole document text (offsets are into it).
    pub text: &'a str,
    pub date: Option<NaiveDate>,
    /// The sentence's byte span.
    pub start: usize,
    pub end: usize,
    /// The first subject actor of the previous sentence (for pronouns).
    pub previous: Option<&'a Actor>,
    /// The places the document named so far (to choose between towns of one name).
    pub nearby: &'a [annalist_geo::PlaceId],
    /// Record match traces for `explain`.
    pub trace: bool,
}

/// "eastern Democratic Republic of Congo", "the Union of Teachers": a dictionary
/// phrase that the chunker split at a preposition becomes one noun phrase again (head:
/// the last phrase's head).
fn merge_mention_chunks(chunks: Vec<Chunk>, mentions: &[Mention]) -> Vec<Chunk> {
    let mut out = Vec::with_capacity(chunks.len());
    let mut k = 0;
    while k < chunks.len() {
        let c = &chunks[k];
        if let ChunkKind::NounPhrase { possessor_end, .. } = c.kind {
            if let Some(m) = mentions
                .iter()
                .find(|m| m.start >= c.start && m.start < c.end && m.end > c.end)
            {
                let mut j = k;
                while j + 1 < chunks.len()
                    && chunks[j + 1].start < m.end
                    && matches!(
                        chunks[j + 1].kind,
                        ChunkKind::NounPhrase { .. }
                            | ChunkKind::Preposition
                            | ChunkKind::Coordinator
                            | ChunkKind::Punctuation
                    )
                {
                    j += 1;
                }
                if let ChunkKind::NounPhrase { head, .. } = chunks[j].kind {
                    // ("prisoners of war", "the Council of Ministers": the head of a
                    // name joined by a preposition, which the phrase ends with, is its
                    // first noun phrase's; "the Republic of Congo President X" keeps X.)
                    let head = match c.kind {
                        ChunkKind::NounPhrase { head: first, .. }
                            if j > k
                                && matches!(chunks[k + 1].kind, ChunkKind::Preposition)
                                && chunks[j].end == m.end =>
                        {
                            first
                        }
                        _ => head,
                    };
                    if j > k && chunks[j].end >= m.end {
                        out.push(Chunk {
                            kind: ChunkKind::NounPhrase {
                                head,
                                possessor_end,
                                pronoun: false,
                            },
                            start: c.start,
                            end: chunks[j].end,
                        });
                        k = j + 1;
                        continue;
                    }
                }
            }
        }
        out.push(c.clone());
        k += 1;
    }
    out
}

/// What the events coded so far in a sentence mean for the predicates still to code.
#[derive(Default)]
struct CodingState {
    /// Predicates folded into an event (a control's complement and what it governs).
    consumed: HashSet<usize>,
    /// The type each coded predicate gave, and whether it is asserted.
    controller_event: HashMap<usize, (Plover, bool)>,
}

impl Coder {
    /// Analyses one sentence: every stage up to its coded events.
    pub(crate) fn analyse(&self, input: SentenceInput) -> SentenceAnalysis {
        let (tokens, mentions, chunks, predicates) = self.parse(&input);
        let mut traces = vec![MatchTrace::new(input.trace); predicates.len()];
        let cx = PassContext {
            kn: &self.kn,
            preds: &predicates,
            chunks: &chunks,
            toks: &tokens,
        };
        let events = self.code_predicates(&cx, &mut traces);
        SentenceAnalysis {
            start: input.start,
            end: input.end,
            tokens,
            chunks,
            mentions,
            predicates,
            events,
            traces,
        }
    }

    /// Stages 3–6: tags, actor mentions, chunks and predicates with their actors.
    fn parse(
        &self,
        input: &SentenceInput,
    ) -> (Vec<TaggedToken>, Vec<Mention>, Vec<Chunk>, Vec<Predicate>) {
        let toks = tokenize_with(input.text, input.start, input.end, self.tagger.classes());
        let tokens = self.tagger.tag(input.text, &toks);
        let mentions = self
            .actors
            .find_mentions_near(input.text, &tokens, input.nearby);
        let chunks = merge_mention_chunks(chunk(&tokens, self.tagger.classes()), &mentions);
        let view = SentenceView {
            kn: &self.kn,
            doc: input.text,
            toks: &tokens,
            chunks: &chunks,
            mentions: &mentions,
            matcher: &self.actors,
            date: input.date,
        };
        let mut predicates = view.predicates();
        resolve_pronouns(&mut predicates, &tokens, input.previous, &self.kn);
        definite_sector_anaphora(&mut predicates, &tokens);
        localize(&mut predicates, &tokens, &self.kn);
        share_mention_countries(&mut predicates);
        if localize_sole_country(&mut predicates) {
            // A speaker placed only now gives its pronouns their country.
            resolve_pronouns(&mut predicates, &tokens, input.previous, &self.kn);
        }
        (tokens, mentions, chunks, predicates)
    }

    /// Stage 7: codes main predicates first, then complements that no control pattern
    /// folded in ("opened fire to disperse …": the purpose clause is an event of its own).
    fn code_predicates(&self, cx: &PassContext, traces: &mut [MatchTrace]) -> Vec<CodedEvent> {
        let preds = cx.preds;
        let mut order: Vec<usize> = (0..preds.len())
            .filter(|&i| preds[i].controller.is_none())
            .collect();
        order.extend((0..preds.len()).filter(|&i| preds[i].controller.is_some()));
        let mut state = CodingState::default();
        let mut events = Vec::new();
        for i in order {
            if let Some(ev) = self.code_one(i, cx, &mut state, &mut traces[i]) {
                events.push(ev);
            }
        }
        self.between_events(cx, &mut events);
        self.accompanying_events(cx, &mut events);
        self.owned_events(cx, &mut events, traces);
        // What an accusation alleges is an event too, kept beside it
        // (`EventMatcher::code_allegation`).
        for (i, trace) in traces.iter_mut().enumerate() {
            if events
                .iter()
                .any(|e| e.alleged_by == Some(i) || e.predicate != i && e.consumed.contains(&i))
            {
                continue;
            }
            if let Some(mut ev) = self
                .events
                .code_allegation(i, preds, cx.toks, cx.chunks, trace)
            {
                if let Some(why) = fill_target(&mut ev, cx) {
                    trace.note(|| format!("  target {why}"));
                }
                // Not the same predicate coded twice (an allegation the grammar
                // already coded on its own).
                if !events
                    .iter()
                    .any(|e| e.predicate == ev.predicate && e.plover == ev.plover)
                {
                    events.push(ev);
                }
            }
        }
        events
    }

    /// "died in clashes between protesters and police": event nouns in a predicate's
    /// object or phrases whose "between" phrase names the parties
    /// (`EventMatcher::between_event`), unless a predicate already coded that event.
    fn between_events(&self, cx: &PassContext, events: &mut Vec<CodedEvent>) {
        let preds = cx.preds;
        for (i, p) in preds.iter().enumerate() {
            let args = p.object.iter().chain(
                p.pps
                    .iter()
                    .filter(|(pr, _)| pr != "between")
                    .map(|(_, a)| a),
            );
            for noun in args {
                let Some(&last) = noun.chunks.last() else {
                    continue;
                };
                let Some((_, between)) = p
                    .pps
                    .iter()
                    .find(|(pr, b)| pr == "between" && b.chunks.first() == Some(&(last + 2)))
                else {
                    continue;
                };
                let head = &cx.toks[np_head(&cx.chunks[last])].token;
                let Some(ev) = self.events.between_event(
                    i,
                    (noun, between),
                    (head.start, head.end),
                    preds,
                    cx.toks,
                ) else {
                    continue;
                };
                push_new(events, ev, |e| &e.sources);
            }
        }
    }

    /// "freed prisoners as part of talks with X", "raided the camp in coordination with
    /// X": a mutual event noun after an adjunct preposition (`ADJUNCT_EVENT_PREP`, a
    /// value being the word before it: "part" for "of"), its "with" phrase naming a party,
    /// is the clause's doer's event with that party (`EventMatcher::accompanying_event`).
    fn accompanying_events(&self, cx: &PassContext, events: &mut Vec<CodedEvent>) {
        use annalist_dict::WordClass::AdjunctEventPrep;
        let preds = cx.preds;
        for (i, p) in preds.iter().enumerate() {
            // (Talks "after" which something will happen may be to come too.)
            if p.irrealis || p.speech || p.vg.modal.is_some() {
                continue;
            }
            let doer = p
                .agent()
                .or_else(|| p.controller.and_then(|c| preds[c].agent()));
            let Some(doer) = doer else {
                continue;
            };
            for (_, with) in p.pps.iter().filter(|(pr, _)| pr == "with") {
                let Some(c) = with.chunks.first().and_then(|&c| c.checked_sub(3)) else {
                    continue;
                };
                let (lead, noun) = (&cx.chunks[c], &cx.chunks[c + 1]);
                let prep = cx.toks[lead.start].lower.as_str();
                let before = lead.start.checked_sub(1).map(|k| cx.toks[k].lemma.as_str());
                let fits = lead.kind == ChunkKind::Preposition
                    && self.kn.is(AdjunctEventPrep, prep)
                    && self
                        .kn
                        .words
                        .value(AdjunctEventPrep, prep)
                        .is_none_or(|w| before == Some(w));
                if !fits || !matches!(noun.kind, ChunkKind::NounPhrase { .. }) {
                    continue;
                }
                let h = np_head(noun);
                let mut lemmas = vec![cx.toks[h].lemma.clone()];
                if h > noun.start {
                    lemmas.insert(0, format!("{} {}", cx.toks[h - 1].lower, cx.toks[h].lemma));
                }
                let head = &cx.toks[h].token;
                let Some(ev) = self.events.accompanying_event(
                    i,
                    (doer, &lemmas, with),
                    (head.start, head.end),
                ) else {
                    continue;
                };
                push_new(events, ev, |e| &e.targets);
            }
        }
    }

    /// "The arrest of an activist by police sparked riots", "Cambodia condemned
    /// Thailand's shelling of a temple", "protests erupted after Mali's expulsion of the
    /// envoy": an event noun whose own phrase names its doer
    /// (`EventMatcher::owned_event`) is an event where its clause states it as done: as
    /// the subject of an active clause neither negated nor hypothetical (of a passive
    /// only when that is a reaction), as the object or in a phrase of a verbal reaction
    /// to it (an asserted event of a type in [`REACTION_TYPES`]), or after a preposition
    /// of circumstance (`CIRCUMSTANCE_PREP`: "after", "following", "amid" …). Not the
    /// object of a call, a threat or a plan ("called for the arrest of X by police").
    fn owned_events(
        &self,
        cx: &PassContext,
        events: &mut Vec<CodedEvent>,
        traces: &mut [MatchTrace],
    ) {
        use annalist_dict::WordClass::{CircumstancePrep, FutureModal, UnrealAdjective};
        let preds = cx.preds;
        for (i, p) in preds.iter().enumerate() {
            // (Nor in a clause to come or only possible: "X's expulsion would anger Y".)
            let modal = p.vg.modal.as_deref().unwrap_or("");
            // ("… remains unlikely": an event that may or may not come.)
            if p.irrealis
                || p.denied
                || p.vg.negated
                || self.kn.is(FutureModal, modal)
                || matches!(modal, "could" | "might" | "may")
                || (p.copular && self.kn.is(UnrealAdjective, &p.lemma))
            {
                continue;
            }
            let mut nouns: Vec<(&Arg, &[(String, Arg)])> = Vec::new();
            let reaction = events.iter().any(|e| {
                e.predicate == i
                    && e.modality == "asserted"
                    && !e.negated
                    && REACTION_TYPES.contains(&e.plover)
            });
            // (The subject of a passive undergoes its verb: "Kenya's deployment of police
            // was delayed" did not happen; "… was condemned by the UN" did.)
            let passive = p.vg.voice == annalist_text::Voice::Passive;
            if let Some(s) = p.subject.as_ref().filter(|_| !passive || reaction) {
                nouns.push((s, &p.subject_pps));
            }
            if let Some(o) = p.object.as_ref().filter(|_| reaction) {
                nouns.push((o, &p.pps));
            }
            // (A reaction's phrases too: "complained to the UN about X's bombardment of
            // Y"; not "of"/"for", what an accusation alleges.)
            for (k, (pr, a)) in p.pps.iter().enumerate() {
                let about = reaction && pr != "of" && pr != "for";
                if about || self.kn.is(CircumstancePrep, pr) {
                    nouns.push((a, &p.pps[k + 1..]));
                }
            }
            for noun in nouns {
                let Some(ev) =
                    self.events
                        .owned_event(i, noun, preds, cx.toks, cx.chunks, &mut traces[i])
                else {
                    continue;
                };
                // (Not again what another mechanism coded between the same two actors:
                // "Russia's invasion of Ukraine displaced millions".)
                let same = |a: &[Actor], b: &[Actor]| {
                    a.iter().any(|x| b.iter().any(|y| x.start == y.start))
                };
                if events
                    .iter()
                    .any(|e| same(&e.sources, &ev.sources) && same(&e.targets, &ev.targets))
                {
                    continue;
                }
                push_new(events, ev, |e| &e.sources);
            }
        }
    }

    /// "Ethiopia's decision to withdraw", "the Taliban rejected its demand to …": an
    /// event done by the owner of a control noun, framed by the noun; a demand answered
    /// (RESPONSE_VERB) was made of the one who answers it.
    fn framed_by_noun(
        &self,
        i: usize,
        preds: &[crate::clauses::Predicate],
        ev: &mut CodedEvent,
        trace: &mut MatchTrace,
    ) {
        let Some(noun) = preds[i].framed_by.as_deref() else {
            return;
        };
        if self.events.framed_by_noun(ev, noun) {
            trace.note(|| format!("  done by the owner of {noun:?} (CONTROL_NOUN)"));
        }
        if ev.targets.is_empty() && ev.plover == annalist_dict::Plover::Request {
            let noun_np = preds[i].subject.as_ref().map(|a| &a.chunks);
            let answerer = preds.iter().find(|q| {
                self.kn.is(annalist_dict::WordClass::ResponseVerb, &q.lemma)
                    && q.object.as_ref().map(|o| &o.chunks) == noun_np
            });
            if let Some(a) = answerer.and_then(|q| q.subject.as_ref()) {
                ev.targets = a
                    .actors
                    .iter()
                    .filter(|x| x.code.is_some())
                    .cloned()
                    .collect();
                trace.note(|| "  target: the one who answers the demand".into());
            }
        }
    }

    /// The named recodes whose type depends on who does it or how: forces arriving
    /// (a deployment), property attacked by civilians (a riot), a strike by civil
    /// society (a labour strike), passage blocked by the state (a blockade), a police
    /// raid (a search), fire into open water (a weapons test).
    fn recode_by_doer(
        &self,
        ev: &mut CodedEvent,
        p: &Predicate,
        cx: &PassContext,
        trace: &mut MatchTrace,
    ) {
        // (Peacekeepers: a PEACEKEEPING word anywhere in the agent's phrases, "the first
        // contingent of UN peacekeepers" included.)
        let peacekeepers = || {
            p.agent()
                .into_iter()
                .chain(p.subject_pps.iter().map(|(_, a)| a))
                .flat_map(|a| a.chunks.iter())
                .any(|&c| {
                    let ch = &cx.chunks[c];
                    cx.toks[ch.start..ch.end]
                        .iter()
                        .any(|t| self.kn.is(annalist_dict::WordClass::Peacekeeping, &t.lower))
                })
        };
        // Each recode, when it applies, says why and what the event became.
        let mut noted = |recoded: bool, ev: &CodedEvent, why: &str, what: &str| {
            if recoded {
                trace.note(|| format!("  {why}: coded {} ({what})", ev.cameo));
            }
        };
        let r = self.events.forces_arrive(ev, peacekeepers);
        noted(r, ev, "forces arriving", "a deployment");
        let r = self.events.armed_backing(ev, &p.lemma);
        noted(r, ev, "backing by armed forces", "military aid");
        let r = self.events.riot(ev);
        noted(r, ev, "property attacked by civilians", "a riot");
        let r = self.events.protesters_riot(ev, p);
        noted(r, ev, "violence by protesters", "a riot");
        let r = self.events.labour_strike(ev, p);
        noted(r, ev, "a strike by civil society", "a labour strike");
        let r = self.events.summoned_protest(ev, p);
        noted(
            r,
            ev,
            "a protest made by summoning an envoy",
            "a formal complaint",
        );
        let r = self.events.armed_march(ev, p);
        noted(
            r,
            ev,
            "a march by armed forces",
            "an occupation or a show of force",
        );
        let r = self.events.state_blockade(ev);
        noted(r, ev, "passage blocked by the state", "a blockade");
        let r = self.events.police_raid(ev, p);
        noted(
            r,
            ev,
            "a raid by police on no armed actor",
            "a coercive search",
        );
        let r = self.events.into_open_water(ev, p);
        noted(r, ev, "fired into open water at no one", "a weapons test");
    }

    /// "India's ban on rice exports hit importers", "US sanctions hit Iran's economy": a
    /// violent verb whose subject is a measure short of force (SANCTION), or whose object
    /// is no one ("battled the wildfires", "fight corruption": IMPERSONAL_FOE), is a
    /// figure of speech; so is a threat of such violence ("vowed to fight corruption").
    fn figurative(&self, i: usize, cx: &PassContext, ev: &CodedEvent) -> bool {
        let preds = cx.preds;
        let measure = |h: &String| {
            self.kn.sanctions.contains(h)
                && !self.kn.attacks.contains(h)
                && !self.kn.devices.contains(h)
        };
        let impersonal = |h: &String| self.kn.is(annalist_dict::WordClass::ImpersonalFoe, h);
        // ("launched a campaign against locust swarms": the foe of an event noun is in
        // its "against" phrase.)
        let no_one = |j: usize| {
            preds[j]
                .patient()
                .is_some_and(|a| a.heads.last().is_some_and(impersonal))
                || preds[j].pps.iter().any(|(p, a)| {
                    p == "against" && a.actors.is_empty() && a.heads.last().is_some_and(impersonal)
                })
        };
        let complement = || {
            preds
                .iter()
                .enumerate()
                .any(|(j, q)| q.controller == Some(i) && no_one(j))
        };
        (ev.plover == Plover::Assault
            && (preds[i]
                .agent()
                .is_some_and(|a| a.heads.last().is_some_and(measure))
                || no_one(i)
                || self.accident(i, preds)
                || self.game_or_figure(&preds[i], cx)))
            || (matches!(ev.plover, Plover::Assault | Plover::Threaten) && complement())
    }

    /// "Copper output hit a record", "the national team beat Ghana 3-1": the subject is a
    /// figure (STATISTIC_NOUN) or a side in a game (SPORTS_NOUN), or a score follows the
    /// object.
    fn game_or_figure(&self, p: &Predicate, cx: &PassContext) -> bool {
        use annalist_dict::WordClass::{SportsNoun, StatisticNoun};
        let side = p.agent().is_some_and(|a| {
            a.heads
                .last()
                .is_some_and(|h| self.kn.is(StatisticNoun, h) || self.kn.is(SportsNoun, h))
        });
        // (The score inside the object's phrase, "[Argentina 3-1]", or right after it.)
        side || p.object.as_ref().is_some_and(|o| {
            o.chunks.last().is_some_and(|&c| {
                let end = cx
                    .chunks
                    .get(c + 1)
                    .map_or(cx.chunks[c].end, |n| n.start + 1);
                (cx.chunks[c].start..end.min(cx.toks.len())).any(|t| is_score(&cx.toks[t].lower))
            })
        })
    }

    /// "An earthquake killed 50 people", "a helicopter collided with a jet, killing all
    /// 67 aboard": the subject is a natural force or an accident (NATURAL_FORCE), or the
    /// clause is a participle clause sharing the subject of an accident's verb
    /// (ACCIDENT_VERB) before it.
    fn accident(&self, i: usize, preds: &[Predicate]) -> bool {
        use annalist_dict::WordClass::{AccidentVerb, NaturalForce};
        let p = &preds[i];
        let force = p
            .agent()
            .is_some_and(|a| a.heads.last().is_some_and(|h| self.kn.is(NaturalForce, h)));
        let first = |q: &Predicate| q.subject.as_ref().and_then(|a| a.chunks.first().copied());
        let after_accident = p.vg.gerund
            && first(p).is_some()
            && preds[..i]
                .iter()
                .any(|q| self.kn.is(AccidentVerb, &q.lemma) && first(q) == first(p));
        force || after_accident
    }

    /// Codes predicate `i`, unless it was folded into an earlier event or is not
    /// asserted; runs the source and target passes on what it gives.
    fn code_one(
        &self,
        i: usize,
        cx: &PassContext,
        state: &mut CodingState,
        trace: &mut MatchTrace,
    ) -> Option<CodedEvent> {
        let preds = cx.preds;
        if state.consumed.contains(&i) {
            trace.note(|| "  coded through its controller".into());
            return None;
        }
        // ("accused Kosovo of planning to attack": what an unasserted gerund controls is
        // not asserted either.)
        if preds[i].irrealis || preds[i].controller.is_some_and(|c| preds[c].irrealis) {
            trace.note(|| "  not asserted (gerund after a preposition)".into());
            return None;
        }
        let coded = self
            .events
            .code_predicate(i, preds, cx.toks, trace)
            .filter(|ev| {
                let f = self.figurative(i, cx, ev);
                if f {
                    trace.note(|| "  no violence against anyone: a figure of speech, a natural force or an accident".into());
                }
                !f
            })
            .or_else(|| {
                let ev = self.events.nominal_subject(i, preds, cx.toks);
                if ev.is_some() {
                    trace.note(|| {
                        "  the event noun of the subject (grammar:nominal-subject)".into()
                    });
                }
                ev
            });
        // "workers affiliated with the union", "the channel, disputed by A and B": a
        // participle that only describes a noun reports no event of its own unless it is
        // violence ("civilians killed in the strike"). (What it governs is still folded
        // into it, so nothing else codes it.) A participle coordinated with the finite
        // verb group right before it shares its auxiliary ("was detained and accused of
        // sedition"); an aside that names who backs the noun ("the rebels, backed by
        // Rwanda,") states that backing.
        let k = preds[i].chunk;
        let coordinated = preds[i]
            .coordinated_with
            .is_some_and(|q| preds[q].vg.finite && preds[q].chunk + 2 == k);
        let descriptive = coded.as_ref().is_some_and(|ev| {
            preds[i].vg.participle
                && !coordinated
                && preds[i].controller.is_none()
                && ev.plover.quad_class() as u8 != 4
                && !(matches!(ev.plover, Plover::Support | Plover::Aid)
                    && !ev.sources.is_empty()
                    && aside(cx.toks, preds[i].vg.head))
        });
        if coded.is_some() && content_of_controller(i, preds, state, coded.as_ref()) {
            trace.note(|| "  the content of its controller's event: no event".into());
            return None;
        }
        let mut ev = self.events.obligation(i, preds, cx.toks, coded)?;
        // (After the obligation: "should deploy police to protect …" is not asserted, and
        // "said X must open the crossings to allow …" is a request; the purpose clause
        // of either is no event of its own.)
        state
            .controller_event
            .insert(i, (ev.plover, !ev.hypothetical && !ev.negated));
        if preds[i].denied && !ev.negated {
            trace.note(|| "  denied (the clause of a denial): negated".into());
            ev.negated = true;
            ev.modality = "denial".into();
        }
        self.framed_by_noun(i, preds, &mut ev, trace);
        if self.events.alone(&mut ev) {
            trace.note(|| format!("  no partner: coded {} (solo, verbs.txt)", ev.cameo));
        }
        self.recode_by_doer(&mut ev, &preds[i], cx, trace);
        if let Some(why) = fill_source(&mut ev, cx) {
            trace.note(|| format!("  source {why}"));
        }
        if let Some(why) = fill_target(&mut ev, cx) {
            trace.note(|| format!("  target {why}"));
        }
        // Everything a folded complement itself governs is folded too.
        let mut stack = ev.consumed.clone();
        while let Some(c) = stack.pop() {
            if state.consumed.insert(c) {
                stack.extend(preds[c].complement);
                stack.extend((0..preds.len()).filter(|&q| preds[q].controller == Some(c)));
            }
        }
        if descriptive {
            trace.note(|| "  a describing participle: no event".into());
            return None;
        }
        Some(ev)
    }
}

/// The head token of noun-phrase chunk `c`.
fn np_head(c: &Chunk) -> usize {
    match c.kind {
        ChunkKind::NounPhrase { head, .. } => head,
        _ => c.start,
    }
}

/// The types of a verbal reaction to an event noun its object names ("condemned X's
/// shelling of Y", "welcomed X's release of Y"): the event itself took place.
/// (Not a rejection: "rejected the planned deployment of troops" may stop it.)
const REACTION_TYPES: &[Plover] = &[
    Plover::Accuse,
    Plover::Support,
    Plover::Protest,
    Plover::Investigate,
];

/// Adds `ev` unless an event of its type already names one of its actors (the same
/// words) in the role `role` picks: a grammar pass does not code again what a pattern
/// or an earlier pass coded.
fn push_new(events: &mut Vec<CodedEvent>, ev: CodedEvent, role: fn(&CodedEvent) -> &[Actor]) {
    let done = events.iter().any(|e| {
        e.plover == ev.plover
            && role(e)
                .iter()
                .any(|s| role(&ev).iter().any(|t| t.start == s.start))
    });
    if !done {
        events.push(ev);
    }
}

/// Whether the participle at token `head` opens an aside set off by a comma ("the
/// rebels, reportedly backed by Rwanda, …").
fn aside(toks: &[TaggedToken], head: usize) -> bool {
    let mut k = head;
    while k > 0 && toks[k - 1].tag == Tag::RB {
        k -= 1;
    }
    k > 0 && toks[k - 1].lower == ","
}

/// A purpose clause left over from its controller: "demanded a UN presence to protect
/// them" (what is demanded), "began a hunger strike to demand …", "took to the streets
/// to oppose the cuts" (what the protest is for), "must ensure security to allow …" (what an unasserted event would do) — none
/// is an event of its own.
fn content_of_controller(
    i: usize,
    preds: &[Predicate],
    state: &CodingState,
    coded: Option<&CodedEvent>,
) -> bool {
    preds[i]
        .controller
        .and_then(|q| state.controller_event.get(&q))
        .is_some_and(|(plover, asserted)| {
            !asserted
                || matches!(plover, Plover::Request | Plover::Threaten)
                || (*plover == Plover::Protest
                    && coded.is_some_and(|ev| {
                        matches!(
                            ev.plover,
                            Plover::Request | Plover::Accuse | Plover::Reject | Plover::Protest
                        )
                    }))
        })
}

/// A game's score ("3-1", "10–8").
fn is_score(w: &str) -> bool {
    let mut parts = w.split(['-', '–']);
    let num = |p: Option<&str>| {
        p.is_some_and(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    num(parts.next()) && num(parts.next()) && parts.next().is_none()
}
