//! Stage 9: the pipeline. [`Coder`] holds the compiled dictionaries and runs every stage
//! on a [`Document`]: sentences → tokens → tags → chunks → actor mentions → predicates →
//! events → dates → one [`EventRecord`] per (source, target) pair. [`Coder::explain`]
//! runs the same stages on one text and keeps every intermediate result.
use crate::actors::{Actor, ActorMatcher, Mention};
use crate::clauses::{
    localize, localize_sole_country, resolve_pronouns, HeadRules, Predicate, SentenceView,
};
use crate::dates::resolve_clause_date;
use crate::document::Document;
use crate::events::{CodedEvent, EventMatcher, MatchTrace};
use crate::record::{ActorRecord, DateText, EventRecord, Evidence};
use annalist_dict::Dictionaries;
use annalist_text::{chunk, split_sentences, tokenize, Chunk, ChunkKind, TaggedToken, Tagger};
use chrono::NaiveDate;
use std::fmt::Write as _;

/// Policies of the coder.
#[derive(Debug, Clone, Copy, Default)]
pub struct CoderOptions {
    /// Emit negated events ("did not attack", "denied attacking") with `negated: true`
    /// instead of dropping them.
    pub keep_negated: bool,
    /// Emit hypothetical events ("could attack") instead of dropping them.
    pub keep_hypothetical: bool,
}

/// The compiled coder.
pub struct Coder {
    tagger: Tagger,
    actors: ActorMatcher,
    events: EventMatcher,
    heads: HeadRules,
    options: CoderOptions,
}

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

/// The result of `explain`: every stage's output, printable.
pub struct Explanation {
    pub text: String,
    pub sentences: Vec<SentenceAnalysis>,
    pub records: Vec<EventRecord>,
    rendered: String,
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.rendered)
    }
}

fn actor_record(doc: &str, a: &Actor) -> ActorRecord {
    ActorRecord {
        code: a.code.clone().unwrap_or_default(),
        org: a.org.clone(),
        sector: a.sector.clone(),
        cameo_actor: a.cameo_actor(),
        text: doc[a.start..a.end].to_string(),
        start: a.start,
        end: a.end,
        entry: a.entry.clone(),
    }
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

/// The nation named on an attack or weapon ("Israeli strikes", "a Russian missile"): a
/// country, or an organisation.
fn national_actor(a: &crate::clauses::Arg) -> Option<Actor> {
    a.actors
        .iter()
        .find(|x| x.country().is_some() || x.org.is_some())
        .map(|x| Actor {
            modifier: false,
            ..x.clone()
        })
}

/// Sources for an event whose patterns found none (ARCHITECTURE.md, Policies): the
/// nation named on an attack or weapon; for violence whose only agent is a device, the
/// country where it happens; for a passive arrest, investigation or sanction with no
/// agent ("a journalist was arrested in Lebanon"), the state where it happens.
fn fill_source(
    ev: &mut CodedEvent,
    heads: &HeadRules,
    preds: &[Predicate],
    chunks: &[Chunk],
    toks: &[TaggedToken],
) -> Option<&'static str> {
    use annalist_dict::Plover;
    let p = &preds[ev.predicate];
    // Attack and device nouns are the ATTACK/AIRSTRIKE and DEVICE classes of nouns.txt.
    let attack = |a: &crate::clauses::Arg| a.heads.iter().any(|h| heads.attacks.contains(h));
    let device = |a: &crate::clauses::Arg| a.heads.iter().any(|h| heads.devices.contains(h));
    // "Rebel fighters have been demobilized", "the troops were pulled back": a
    // de-escalation (CAMEO 087x) in the passive without an agent is done by those it
    // names, who lay down arms or pull back; they are its source, and it has no target.
    if ev.sources.is_empty()
        && ev.cameo.starts_with("087")
        && p.vg.voice == annalist_text::Voice::Passive
        && !p.pps.iter().any(|(prep, _)| prep == "by")
    {
        let own: Vec<Actor> = p
            .subject
            .iter()
            .flat_map(|a| a.actors.iter())
            .filter(|a| a.code.is_some() && !a.modifier)
            .cloned()
            .collect();
        if !own.is_empty() {
            ev.sources = own;
            ev.targets.clear();
            return Some("those it names, in the passive (de-escalation)");
        }
    }
    // "Nine people died in Saudi air strikes on Sanaa": the nation named on
    // the attack is its source, the "on" phrase its target.
    if ev.sources.is_empty()
        && ev.plover == Plover::Assault
        && p.vg.voice == annalist_text::Voice::Passive
    {
        let by_attack = p.pps.iter().find_map(|(prep, a)| {
            (matches!(prep.as_str(), "in" | "by") && attack(a))
                .then(|| national_actor(a))
                .flatten()
        });
        if let Some(s) = by_attack {
            ev.sources = vec![s];
            if ev.targets.is_empty() {
                if let Some(t) = p
                    .pps
                    .iter()
                    .filter(|(prep, _)| matches!(prep.as_str(), "on" | "against"))
                    .flat_map(|(_, a)| a.actors.iter())
                    .find(|a| a.code.is_some())
                {
                    let mut t = t.clone();
                    t.sector = None;
                    ev.targets = vec![t];
                }
            }
            return Some("the nation named on the attack the victims died in");
        }
    }
    // "Israeli strikes killed five people", "a Russian missile hit the port": the nation
    // named on the weapon or attack is the source.
    if ev.sources.is_empty() && matches!(ev.plover, Plover::Assault | Plover::Coerce) {
        let national = p.agent().filter(|a| attack(a) || device(a));
        if let Some(s) = national.and_then(national_actor) {
            ev.sources = vec![s];
            return Some("the nation named on the weapon or attack");
        }
    }
    // "A car bomb killed five soldiers in Baghdad", "were killed by a roadside bomb
    // outside Basra": violence with no named perpetrator, only a device, is coded to the
    // country where it happens (else the victims' country).
    if ev.sources.is_empty() && ev.plover == Plover::Assault {
        let device_arg = p
            .agent()
            .filter(|a| device(a) && a.actors.iter().all(|x| x.code.is_none()))
            .or_else(|| {
                (p.vg.voice == annalist_text::Voice::Passive)
                    .then(|| {
                        p.pps
                            .iter()
                            .find(|(prep, a)| matches!(prep.as_str(), "in" | "by") && device(a))
                            .map(|(_, a)| a)
                    })
                    .flatten()
            });
        if let Some(dev) = device_arg {
            // The source's words are the device's ("a car bomb").
            let span = dev.chunks.first().zip(dev.chunks.last()).map(|(&a, &b)| {
                (
                    toks[chunks[a].start].token.start,
                    toks[chunks[b].end - 1].token.end,
                )
            });
            let place = p
                .pps
                .iter()
                .filter(|(prep, _)| {
                    matches!(prep.as_str(), "in" | "near" | "outside" | "at" | "inside")
                })
                .flat_map(|(_, a)| a.actors.iter())
                .chain(ev.targets.iter())
                .find(|a| a.country().is_some() && !a.modifier)
                .cloned();
            if let (Some(mut s), Some((start, end))) = (place, span) {
                s.sector = None;
                s.person = false;
                s.start = start;
                s.end = end;
                s.entry = format!("{} (place of an unattributed attack)", s.entry);
                ev.sources = vec![s];
                return Some("the country where an unattributed attack happens");
            }
        }
    }
    // "A journalist was arrested in Lebanon": the state where it happens.
    if !ev.sources.is_empty()
        || p.vg.voice != annalist_text::Voice::Passive
        || p.pps.iter().any(|(prep, _)| prep == "by")
        || !matches!(
            ev.plover,
            Plover::Coerce | Plover::Investigate | Plover::Sanction
        )
    {
        return None;
    }
    let place = p
        .pps
        .iter()
        .filter(|(prep, _)| matches!(prep.as_str(), "in" | "inside"))
        .flat_map(|(_, a)| a.actors.iter())
        .find(|a| a.country().is_some() && !a.person)?;
    let mut s = place.clone();
    s.sector = Some("GOV".into());
    ev.sources = vec![s];
    Some("the state where the passive arrest/investigation happens")
}

/// Targets for an event whose patterns found none (documented in ARCHITECTURE.md,
/// Policies): a threat's target is the subject of its "if/unless" clause ("threatened to
/// quit the talks unless Israel …"); otherwise the country of a place the event happens
/// in ("resume raids in Somalia", "a base in Djibouti") — of the predicate or of the
/// complement it governs. Mutual events with several sources keep no target.
fn fill_target(
    ev: &mut CodedEvent,
    heads: &HeadRules,
    preds: &[Predicate],
    chunks: &[Chunk],
    toks: &[TaggedToken],
) -> Option<&'static str> {
    if ev.reciprocal && ev.sources.len() > 1 {
        return None;
    }
    let p = &preds[ev.predicate];
    let src_codes: Vec<&str> = ev
        .sources
        .iter()
        .filter_map(|a| a.code.as_deref())
        .collect();
    // A threat's addressee is whoever must act to avoid it, even when the threatened act
    // names a place of its own ("threatened to close the port in Aden if the rebels …").
    if ev.plover == annalist_dict::Plover::Threaten && p.if_clause {
        let marker = (p.chunk + 1..chunks.len()).find(|&k| {
            chunks[k].kind == ChunkKind::ClauseMarker
                && matches!(toks[chunks[k].start].lower.as_str(), "unless" | "if")
        });
        if let Some(m) = marker {
            let conditioned: Vec<Actor> = preds
                .iter()
                .find(|q| q.chunk > m && !q.speech)
                .and_then(|q| q.subject.as_ref())
                .map(|a| {
                    a.actors
                        .iter()
                        .filter(|x| x.code.is_some() && !x.modifier)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            let other = conditioned
                .iter()
                .any(|c| c.code.as_deref().is_some_and(|x| !src_codes.contains(&x)));
            if !conditioned.is_empty() && (ev.targets.is_empty() || other) {
                ev.targets = conditioned;
                return Some("from the subject of the if/unless clause");
            }
        }
    }
    // "blocked roads in defiance of the government", "went on strike in protest
    // against the new law": whom a protest defies is its target, whatever it blocks.
    if ev.plover == annalist_dict::Plover::Protest {
        let defied = p
            .pps
            .iter()
            .filter(|(prep, a)| {
                prep == "in"
                    && a.heads
                        .iter()
                        .any(|h| matches!(h.as_str(), "defiance" | "protest" | "opposition"))
            })
            .flat_map(|(_, a)| a.actors.iter())
            .filter(|a| a.code.as_deref().is_some_and(|c| !src_codes.contains(&c)))
            .cloned()
            .collect::<Vec<_>>();
        if !defied.is_empty() {
            ev.targets = defied;
            return Some("whom the protest defies");
        }
    }
    // A place gives a target only to an event whose source has a code, and not to a
    // meeting: the town where talks are held is their venue ("met in Geneva"), kept in
    // the record's location.
    if !ev.targets.is_empty() || src_codes.is_empty() || ev.plover == annalist_dict::Plover::Consult
    {
        return None;
    }
    let mut q = Some(ev.predicate);
    for _ in 0..3 {
        let Some(i) = q else { break };
        for (prep, arg) in &preds[i].pps {
            // Violence also hits what it is near: "struck villages near Zakho", "on
            // the outskirts of Idlib".
            let near = ev.plover.quad_class() as u8 == 4
                && (matches!(prep.as_str(), "near" | "outside" | "around")
                    || crate::location::relative_place(heads, prep, arg));
            if !matches!(prep.as_str(), "in" | "into" | "inside") && !near {
                continue;
            }
            let place = arg.actors.iter().find(|a| {
                a.country().is_some()
                    && !a.person
                    && !ev
                        .sources
                        .iter()
                        .any(|s| s.start == a.start && s.end == a.end)
            });
            if let Some(a) = place {
                let mut t = a.clone();
                t.sector = None; // a place, not its government
                ev.targets = vec![t];
                return Some("from the place the event happens in");
            }
        }
        q = preds[i].complement;
    }
    // "500,000 workers stopped work on Monday": a protest by people of a country that
    // names no one it is against is against that country's authorities (the CAMEO and
    // ICEWS convention). Not for a state's own protest ("Iran protested strongly").
    if ev.plover == annalist_dict::Plover::Protest {
        let home = ev.sources.iter().find(|a| {
            a.country().is_some()
                && !matches!(a.sector.as_deref(), Some("GOV" | "MIL" | "COP" | "SPY"))
                && !a.person
        });
        if let Some(a) = home {
            // Named by no words of its own: an empty span at the source.
            let mut t = a.clone();
            t.sector = None;
            t.org = None;
            t.end = t.start;
            t.entry = format!("{}; the protesters' own country (implicit)", a.entry);
            ev.targets = vec![t];
            return Some("the protesters' own country");
        }
    }
    // "gunmen killed nine people when they stormed a hotel in Islamabad": violence
    // with no target of its own happens where its source's other clause places it.
    if ev.plover.quad_class() as u8 == 4 {
        let place = crate::location::source_clause_places(ev, preds, |p| {
            matches!(p, "in" | "into" | "inside")
        })
        .find(|a| a.country().is_some() && !a.person && !a.modifier)
        .cloned();
        if let Some(mut t) = place {
            t.sector = None;
            ev.targets = vec![t];
            return Some("from the place its source's other clause names");
        }
    }
    None
}

impl Coder {
    /// A coder with the embedded gazetteer.
    pub fn new(d: &Dictionaries, options: CoderOptions) -> Coder {
        Self::with_gazetteer(d, options, Some(annalist_geo::Gazetteer::shared()))
    }

    /// A coder with gazetteer `g` (`None`: places are not recognised).
    pub fn with_gazetteer(
        d: &Dictionaries,
        options: CoderOptions,
        g: Option<std::sync::Arc<annalist_geo::Gazetteer>>,
    ) -> Coder {
        let mut actors = ActorMatcher::new(d);
        if let Some(g) = g {
            actors = actors.with_places(g, &d.lexicon);
        }
        Coder {
            tagger: Tagger::new(d),
            actors,
            events: EventMatcher::new(d),
            heads: HeadRules::new(d),
            options,
        }
    }

    /// Number of actor phrases and verb patterns compiled.
    pub fn sizes(&self) -> (usize, usize) {
        (self.actors.len(), self.events.len())
    }

    /// Analyses the sentence `start..end` of `text`; `previous` is the last subject
    /// of the document and `nearby` the places it named so far.
    fn analyse(
        &self,
        text: &str,
        date: Option<NaiveDate>,
        (start, end): (usize, usize),
        (previous, nearby): (Option<&Actor>, &[annalist_geo::PlaceId]),
        explain: bool,
    ) -> SentenceAnalysis {
        let toks = tokenize(text, start, end);
        let tokens = self.tagger.tag(text, &toks);
        let mentions = self.actors.find_mentions_near(text, &tokens, nearby);
        let chunks = merge_mention_chunks(chunk(&tokens, self.tagger.classes()), &mentions);
        let view = SentenceView {
            heads: &self.heads,
            doc: text,
            toks: &tokens,
            chunks: &chunks,
            mentions: &mentions,
            matcher: &self.actors,
            date,
        };
        let mut predicates = view.predicates();
        resolve_pronouns(&mut predicates, &tokens, previous);
        localize(&mut predicates);
        if localize_sole_country(&mut predicates) {
            // A speaker placed only now gives its pronouns their country.
            resolve_pronouns(&mut predicates, &tokens, previous);
        }
        let mut events = Vec::new();
        let mut traces = vec![MatchTrace::new(explain); predicates.len()];
        // Main predicates first, then complements that no control pattern folded in
        // ("opened fire to disperse …": the purpose clause is an event of its own).
        let mut order: Vec<usize> = (0..predicates.len())
            .filter(|&i| predicates[i].controller.is_none())
            .collect();
        order.extend((0..predicates.len()).filter(|&i| predicates[i].controller.is_some()));
        let mut consumed = std::collections::HashSet::new();
        // The event each coded predicate gave, and whether it is asserted.
        let mut controller_event: std::collections::HashMap<usize, (annalist_dict::Plover, bool)> =
            std::collections::HashMap::new();
        for i in order {
            if consumed.contains(&i) {
                traces[i].note(|| "  coded through its controller".into());
                continue;
            }
            if predicates[i].irrealis {
                traces[i].note(|| "  not asserted (gerund after a preposition)".into());
                continue;
            }
            let coded = self
                .events
                .code_predicate(i, &predicates, &tokens, &mut traces[i])
                .or_else(|| {
                    let ev = self.events.nominal_subject(i, &predicates, &tokens);
                    if ev.is_some() {
                        traces[i].note(|| {
                            "  the event noun of the subject (grammar:nominal-subject)".into()
                        });
                    }
                    ev
                });
            // "workers affiliated with the union", "the channel, disputed by A and B": a
            // participle that only describes a noun reports no event of its own unless
            // it is violence ("civilians killed in the strike").
            // (What it governs is still folded into it, so nothing else codes it.)
            let descriptive = coded.as_ref().is_some_and(|ev| {
                predicates[i].vg.participle
                    && predicates[i].controller.is_none()
                    && ev.plover.quad_class() as u8 != 4
            });
            // A purpose clause left over from its controller: "demanded a UN presence to
            // protect them" (what is demanded), "began a hunger strike to demand …" (what
            // the protest is for), "must ensure security to allow …" (what an unasserted
            // event would do) — none is an event of its own.
            let content = predicates[i]
                .controller
                .and_then(|q| controller_event.get(&q))
                .is_some_and(|(plover, asserted)| {
                    use annalist_dict::Plover as P;
                    !asserted
                        || matches!(plover, P::Request | P::Threaten)
                        || (*plover == P::Protest
                            && coded.as_ref().is_some_and(|ev| ev.plover == P::Request))
                });
            if content && coded.is_some() {
                traces[i].note(|| "  the content of its controller's event: no event".into());
                continue;
            }
            if let Some(ev) = coded.as_ref() {
                controller_event.insert(i, (ev.plover, !ev.hypothetical && !ev.negated));
            }
            if let Some(mut ev) = self.events.obligation(i, &predicates, &tokens, coded) {
                if let Some(why) = fill_source(&mut ev, &self.heads, &predicates, &chunks, &tokens)
                {
                    traces[i].note(|| format!("  source {why}"));
                }
                if let Some(why) = fill_target(&mut ev, &self.heads, &predicates, &chunks, &tokens)
                {
                    traces[i].note(|| format!("  target {why}"));
                }
                // Everything a folded complement itself governs is folded too.
                let mut stack = ev.consumed.clone();
                while let Some(c) = stack.pop() {
                    if consumed.insert(c) {
                        stack.extend(predicates[c].complement);
                        stack.extend(
                            (0..predicates.len()).filter(|&q| predicates[q].controller == Some(c)),
                        );
                    }
                }
                if descriptive {
                    traces[i].note(|| "  a describing participle: no event".into());
                } else {
                    events.push(ev);
                }
            }
        }
        SentenceAnalysis {
            start,
            end,
            tokens,
            chunks,
            mentions,
            predicates,
            events,
            traces,
        }
    }

    fn records(
        &self,
        (doc_id, text, date): (&str, &str, Option<NaiveDate>),
        (index, dateline): (usize, Option<&crate::record::Location>),
        s: &SentenceAnalysis,
        out: &mut Vec<EventRecord>,
    ) {
        let speech_heads: Vec<usize> = s
            .predicates
            .iter()
            .filter(|p| p.speech)
            .map(|p| p.vg.head)
            .collect();
        let mut seen = std::collections::HashSet::new();
        let first = out.len();
        // Targetless records of a mutual event ("X and Y met"): kept beside the pairwise
        // ones on purpose (see ARCHITECTURE.md, Policies).
        let mut joint = std::collections::HashSet::new();
        for ev in &s.events {
            if (ev.negated && !self.options.keep_negated)
                || (ev.hypothetical && !self.options.keep_hypothetical)
            {
                continue;
            }
            let p = &s.predicates[ev.predicate];
            let head = p.vg.head;
            // Heads of the event's own predicates (controller, complements) do not block.
            let own: Vec<usize> = std::iter::once(ev.predicate)
                .chain(ev.consumed.iter().copied())
                .chain(p.complement)
                .map(|q| s.predicates[q].vg.head)
                .collect();
            let blockers: Vec<usize> = s
                .predicates
                .iter()
                .map(|q| q.vg.head)
                .filter(|h| !own.contains(h))
                .collect();
            // The date the speaker gave the statement: "…, the ministry said Friday".
            let speech_date = || {
                p.reported_by.map(|r| {
                    resolve_clause_date(&s.tokens, s.predicates[r].vg.head, &[], &[], date)
                })
            };
            // "will meet in Geneva on May 2, officials said Friday": an intent or threat is
            // the statement, dated when it was made.
            let future = matches!(
                p.vg.modal.as_deref(),
                Some("will" | "would" | "shall" | "'ll")
            ) && matches!(ev.modality.as_str(), "intent" | "threat");
            let mut d = if future {
                speech_date()
                    .filter(|d| d.tokens.is_some())
                    .unwrap_or(crate::dates::EventDate {
                        date,
                        precision: "day",
                        tokens: None,
                    })
            } else {
                resolve_clause_date(&s.tokens, head, &speech_heads, &blockers, date)
            };
            // Nothing in the clause: a reported event is dated no later than its report.
            if d.tokens.is_none() && !future {
                if let Some(sd) = speech_date().filter(|d| d.tokens.is_some()) {
                    d = sd;
                }
            }
            let date_text = d.tokens.map(|(a, b)| {
                let (st, en) = (s.tokens[a].token.start, s.tokens[b - 1].token.end);
                DateText {
                    text: text[st..en].to_string(),
                    start: st,
                    end: en,
                }
            });
            let location = self
                .actors
                .places()
                .and_then(|g| crate::location::locate(g, &self.heads, text, ev, &s.predicates))
                .or_else(|| {
                    dateline
                        .filter(|_| ev.plover.quad_class() as u8 != 4)
                        .cloned()
                });
            let targets: Vec<Option<&Actor>> = if ev.targets.is_empty() {
                vec![None]
            } else {
                ev.targets.iter().map(Some).collect()
            };
            for (si, src) in ev.sources.iter().enumerate() {
                // "Israel and Egypt signed a treaty": each is the other's target.
                let mutual: Vec<Option<&Actor>>;
                let targets = if ev.reciprocal && ev.targets.is_empty() && ev.sources.len() > 1 {
                    mutual = std::iter::once(None)
                        .chain(
                            ev.sources
                                .iter()
                                .enumerate()
                                .filter(|(j, a)| *j != si && a.code != src.code)
                                .map(|(_, a)| Some(a)),
                        )
                        .collect();
                    if mutual.is_empty() {
                        &targets
                    } else {
                        &mutual
                    }
                } else {
                    &targets
                };
                for &tgt in targets {
                    if tgt.is_some_and(|t| t.start == src.start && t.end == src.end) {
                        continue;
                    }
                    let key = (
                        src.cameo_actor(),
                        ev.cameo.clone(),
                        tgt.map(|t| t.cameo_actor()),
                    );
                    if !seen.insert(key) {
                        continue;
                    }
                    if tgt.is_none() && targets.len() > 1 {
                        joint.insert(out.len());
                    }
                    out.push(EventRecord {
                        doc_id: doc_id.to_string(),
                        sentence: index,
                        event_type: ev.plover.as_str().to_string(),
                        cameo: ev.cameo.clone(),
                        quad_class: ev.plover.quad_class() as u8,
                        goldstein: ev.goldstein,
                        source: actor_record(text, src),
                        target: tgt.map(|t| actor_record(text, t)),
                        negated: ev.negated,
                        modality: ev.modality.clone(),
                        date: d.date.map(|x| x.to_string()),
                        date_precision: d.date.map(|_| d.precision.to_string()),
                        date_text: date_text.clone(),
                        document_date: None,
                        location: location.clone(),
                        evidence: Evidence {
                            trigger: text[ev.trigger.0..ev.trigger.1].to_string(),
                            start: ev.trigger.0,
                            end: ev.trigger.1,
                            rule: ev.rule.clone(),
                            pattern: ev.pattern.clone(),
                        },
                    });
                }
            }
        }
        Self::fold_mentions(out, first, &joint);
    }

    /// One sentence mentions one event once: "police opened fire, killing two" gives
    /// one ASSAULT by the police. Among the sentence's records (from `first` on), a
    /// record repeating the source, type, target and date of an earlier one is dropped,
    /// and so is a targetless record whose source, type and date recur with a target
    /// ("X shelled Y's positions, killing five" → X→Y only). Joint records of mutual
    /// events are kept.
    fn fold_mentions(
        out: &mut Vec<EventRecord>,
        first: usize,
        joint: &std::collections::HashSet<usize>,
    ) {
        let key = |r: &EventRecord| {
            (
                r.source.cameo_actor.clone(),
                r.event_type.clone(),
                r.date.clone(),
            )
        };
        let targeted: std::collections::HashSet<_> = out[first..]
            .iter()
            .filter(|r| r.target.is_some())
            .map(key)
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut i = 0;
        out.retain(|r| {
            let idx = i;
            i += 1;
            if idx < first {
                return true;
            }
            if joint.contains(&idx) {
                return true;
            }
            if r.target.is_none() && targeted.contains(&key(r)) {
                return false;
            }
            seen.insert((key(r), r.target.as_ref().map(|t| t.cameo_actor.clone())))
        });
    }

    fn first_subject(s: &SentenceAnalysis) -> Option<Actor> {
        s.predicates
            .iter()
            .filter_map(|p| p.subject.as_ref())
            .flat_map(|a| a.actors.iter())
            .find(|a| a.code.is_some())
            .cloned()
    }

    /// Codes a document: every event of every sentence, in text order.
    pub fn code(&self, doc: &Document) -> Vec<EventRecord> {
        self.code_counted(doc).0
    }

    /// [`Coder::code`], also returning the number of sentences of the document.
    pub fn code_counted(&self, doc: &Document) -> (Vec<EventRecord>, usize) {
        let mut out = Vec::new();
        let mut previous: Option<Actor> = None;
        let mut places = Vec::new();
        let spans = split_sentences(&doc.text);
        let dateline = self.dateline(&doc.text);
        for (i, span) in spans.iter().enumerate() {
            let s = self.analyse(
                &doc.text,
                doc.date,
                (span.start, span.end),
                (previous.as_ref(), &places),
                false,
            );
            self.records(
                (&doc.id, &doc.text, doc.date),
                (i, dateline.as_ref()),
                &s,
                &mut out,
            );
            if let Some(a) = Self::first_subject(&s) {
                previous = Some(a);
            }
            Self::remember_places(&s, &mut places);
        }
        (out, spans.len())
    }

    /// The place of the document's wire dateline, if any.
    fn dateline(&self, text: &str) -> Option<crate::record::Location> {
        let len = annalist_text::sentence::dateline_len(text);
        if len == 0 {
            return None;
        }
        crate::location::dateline_place(self.actors.places()?, text, len)
    }

    /// The places a sentence named, kept for the document's later sentences ("Paris"
    /// after "Texas"): at most 32, first named first.
    fn remember_places(s: &SentenceAnalysis, places: &mut Vec<annalist_geo::PlaceId>) {
        for id in s.mentions.iter().filter_map(|m| m.place) {
            if places.len() < 32 && !places.contains(&id) {
                places.push(id);
            }
        }
    }

    /// Runs every stage on `text` and renders what each produced.
    pub fn explain(&self, text: &str, date: Option<NaiveDate>) -> Explanation {
        let mut sentences = Vec::new();
        let mut records = Vec::new();
        let mut previous: Option<Actor> = None;
        let mut places = Vec::new();
        let dateline = self.dateline(text);
        for (i, span) in split_sentences(text).iter().enumerate() {
            let s = self.analyse(
                text,
                date,
                (span.start, span.end),
                (previous.as_ref(), &places),
                true,
            );
            self.records(
                ("explain", text, date),
                (i, dateline.as_ref()),
                &s,
                &mut records,
            );
            if let Some(a) = Self::first_subject(&s) {
                previous = Some(a);
            }
            Self::remember_places(&s, &mut places);
            sentences.push(s);
        }
        let mut r = String::new();
        for (i, s) in sentences.iter().enumerate() {
            let _ = writeln!(
                r,
                "sentence {i} [{}..{}]: {}",
                s.start,
                s.end,
                &text[s.start..s.end]
            );
            let _ = writeln!(r, "tokens:");
            let mut line = String::from(" ");
            for t in &s.tokens {
                let item = format!(" {}/{}", t.token.text(text), t.tag.as_str());
                let item = if t.lemma != t.lower {
                    format!("{item}({})", t.lemma)
                } else {
                    item
                };
                if line.len() + item.len() > 100 {
                    let _ = writeln!(r, "{line}");
                    line = String::from(" ");
                }
                line.push_str(&item);
            }
            let _ = writeln!(r, "{line}");
            let ruled: Vec<String> = s
                .tokens
                .iter()
                .filter(|t| t.reason.starts_with("rule:"))
                .map(|t| {
                    format!(
                        "{}={} ({})",
                        t.token.text(text),
                        t.tag.as_str(),
                        &t.reason[5..]
                    )
                })
                .collect();
            if !ruled.is_empty() {
                let _ = writeln!(r, "tag rules: {}", ruled.join(", "));
            }
            let _ = writeln!(r, "chunks:");
            let mut line = String::from(" ");
            for c in &s.chunks {
                let words: Vec<&str> = s.tokens[c.start..c.end]
                    .iter()
                    .map(|t| t.token.text(text))
                    .collect();
                let extra = match &c.kind {
                    ChunkKind::Verb(vg) => {
                        let mut f = vec![];
                        if vg.negated {
                            f.push("neg");
                        }
                        if vg.voice == annalist_text::Voice::Passive {
                            f.push("passive");
                        }
                        if vg.infinitive {
                            f.push("inf");
                        }
                        if vg.gerund {
                            f.push("ger");
                        }
                        if vg.modal.is_some() {
                            f.push("modal");
                        }
                        if f.is_empty() {
                            String::new()
                        } else {
                            format!("<{}>", f.join(","))
                        }
                    }
                    _ => String::new(),
                };
                let item = format!(" [{} {}]{extra}", c.label(), words.join(" "));
                if line.len() + item.len() > 100 {
                    let _ = writeln!(r, "{line}");
                    line = String::from(" ");
                }
                line.push_str(&item);
            }
            let _ = writeln!(r, "{line}");
            let _ = writeln!(r, "actor phrases:");
            for m in &s.mentions {
                let (origin, phrase, target) = self.actors.describe(m);
                let words = &text[s.tokens[m.start].token.start..s.tokens[m.end - 1].token.end];
                let _ = writeln!(r, "  {words:?} → {target} ({origin}, phrase {phrase:?})");
            }
            let _ = writeln!(r, "predicates:");
            let fmt_arg = |a: &Option<crate::clauses::Arg>| -> String {
                match a {
                    None => "-".into(),
                    Some(a) => {
                        let words: Vec<String> = a
                            .chunks
                            .iter()
                            .map(|&k| {
                                let c = &s.chunks[k];
                                text[s.tokens[c.start].token.start..s.tokens[c.end - 1].token.end]
                                    .to_string()
                            })
                            .collect();
                        let acts: Vec<String> = a
                            .actors
                            .iter()
                            .map(|x| format!("{} [{}]", x.cameo_actor(), x.entry))
                            .collect();
                        format!(
                            "{:?} {}",
                            words.join(" + "),
                            if acts.is_empty() {
                                "(no actor)".into()
                            } else {
                                acts.join(", ")
                            }
                        )
                    }
                }
            };
            for (pi, p) in s.predicates.iter().enumerate() {
                let _ = writeln!(
                    r,
                    "  #{pi} {:?}{}{}{}{}",
                    p.lemma,
                    if p.copular { " (be+adj)" } else { "" },
                    if p.speech { " (reporting verb)" } else { "" },
                    p.controller
                        .map(|c| format!(" (complement of #{c})"))
                        .unwrap_or_default(),
                    p.reported_by
                        .map(|c| format!(" (reported by #{c})"))
                        .unwrap_or_default()
                );
                let _ = writeln!(r, "     subject: {}", fmt_arg(&p.subject));
                let _ = writeln!(r, "     object:  {}", fmt_arg(&p.object));
                for (prep, a) in &p.pps {
                    let _ = writeln!(r, "     {prep}: {}", fmt_arg(&Some(a.clone())));
                }
                let _ = writeln!(r, "     patterns tried:");
                for l in &s.traces[pi].lines {
                    let _ = writeln!(r, "     {l}");
                }
            }
        }
        let _ = writeln!(r, "events:");
        if records.is_empty() {
            let _ = writeln!(r, "  (none)");
        }
        for e in &records {
            let _ = writeln!(
                r,
                "  {} {} → {} {} (CAMEO {}, Goldstein {}) {} · trigger {:?} · rule {} [{}] · date {}{}",
                e.source.cameo_actor,
                e.source.text,
                e.target.as_ref().map(|t| format!("{} {}", t.cameo_actor, t.text)).unwrap_or_else(|| "(no target)".into()),
                e.event_type,
                e.cameo,
                e.goldstein,
                e.modality,
                e.evidence.trigger,
                e.evidence.rule,
                e.evidence.pattern,
                e.date.as_deref().unwrap_or("unknown"),
                e.location
                    .as_ref()
                    .map(|l| format!(
                        " · at {} ({}, {}{}, {:.4} {:.4}) from {:?}",
                        l.name,
                        l.precision,
                        l.admin1.as_deref().map(|a| format!("{a}, ")).unwrap_or_default(),
                        l.country,
                        l.lat,
                        l.lon,
                        l.text
                    ))
                    .unwrap_or_default()
            );
        }
        Explanation {
            text: text.to_string(),
            sentences,
            records,
            rendered: r,
        }
    }
}
