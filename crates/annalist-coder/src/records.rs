//! Stages 8–10 for one sentence: each coded event gets its date (`dates`) and place
//! (`location`) and becomes one [`EventRecord`] per (source, target) pair, with the words
//! that justify every field; repeated and targetless duplicates of one event within the
//! sentence fold into one record (ARCHITECTURE.md, "One mention, one event").
use crate::actors::Actor;
use crate::dates::{resolve_clause_date_in, Calendar, EventDate, Expressions};
use crate::events::CodedEvent;
use crate::record::{ActorRecord, DateText, EventRecord, Evidence, Location, ReportedBy};
use crate::sentence::SentenceAnalysis;
use crate::weigh;
use crate::Coder;
use annalist_dict::{Plover, WordClass};
use chrono::NaiveDate;
use std::collections::HashSet;

/// The document a sentence's records belong to.
#[derive(Clone, Copy)]
pub struct RecordContext<'a> {
    pub doc_id: &'a str,
    pub text: &'a str,
    pub date: Option<NaiveDate>,
    /// The sentence's index in the document.
    pub sentence: usize,
    /// The place of the document's wire dateline, if any.
    pub dateline: Option<&'a Location>,
}

pub(crate) fn actor_record(doc: &str, a: &Actor) -> ActorRecord {
    ActorRecord {
        code: a.code.clone().unwrap_or_default(),
        org: a.org.clone(),
        sector: a.sector.map(|s| s.as_str().to_string()),
        cameo_actor: a.cameo_actor(),
        text: doc[a.start..a.end].to_string(),
        start: a.start,
        end: a.end,
        entry: a.entry.clone(),
    }
}

impl Coder {
    /// Appends the records of sentence `s` to `out`.
    pub(crate) fn records(
        &self,
        cx: &RecordContext,
        s: &SentenceAnalysis,
        out: &mut Vec<EventRecord>,
    ) {
        let mut seen = HashSet::new();
        let first = out.len();
        let kept: Vec<&CodedEvent> = s
            .events
            .iter()
            .filter(|ev| {
                !((ev.negated && !self.options.keep_negated)
                    || (ev.hypothetical && !self.options.keep_hypothetical)
                    || (self.options.require_target && self.targetless(ev)))
            })
            .collect();
        // The event (index into `kept`) of each record pushed for this sentence.
        let mut record_event: Vec<usize> = Vec::new();
        let exprs = std::cell::OnceCell::new();
        // The relative clauses between commas, found once per sentence.
        let relatives = std::cell::OnceCell::new();
        for (k, ev) in kept.iter().enumerate() {
            let ev = *ev;
            let d = self.event_date(cx, s, ev, &exprs, &relatives);
            if background(self, cx, s, ev, &d) {
                continue;
            }
            let date_text = d.tokens.map(|(a, b)| {
                let (st, en) = (s.tokens[a].token.start, s.tokens[b - 1].token.end);
                DateText {
                    text: cx.text[st..en].to_string(),
                    start: st,
                    end: en,
                }
            });
            let location = self.event_location(cx, s, ev);
            let mode = weigh::mode::decide(&self.kn.words, self.events.cameo_table(), s, ev);
            let attribution = weigh::attribution::decide(&self.kn.words, s, ev);
            let reported_by = attribution.claimant.as_ref().map(|c| ReportedBy {
                actor: c.actor.as_ref().map(|a| actor_record(cx.text, a)),
                text: cx.text[c.span.0..c.span.1].to_string(),
                start: c.span.0,
                end: c.span.1,
                verb: cx.text[c.verb.0..c.verb.1].to_string(),
                verb_start: c.verb.0,
                verb_end: c.verb.1,
            });
            for (src, tgt, mutual) in record_pairs(ev) {
                let key = |a: &Actor, b: Option<&Actor>| {
                    (
                        a.cameo_actor(),
                        ev.cameo.clone(),
                        b.map(|t| t.cameo_actor()),
                    )
                };
                if !seen.insert(key(src, tgt))
                    || (mutual && !seen.insert(key(tgt.unwrap(), Some(src))))
                {
                    continue;
                }
                let mut r = EventRecord {
                    doc_id: cx.doc_id.to_string(),
                    sentence: cx.sentence,
                    event_type: ev.plover.as_str().to_string(),
                    cameo: ev.cameo.clone(),
                    quad_class: ev.plover.quad_class() as u8,
                    goldstein: ev.goldstein,
                    source: actor_record(cx.text, src),
                    target: tgt.map(|t| actor_record(cx.text, t)),
                    mutual,
                    negated: ev.negated,
                    modality: ev.modality.clone(),
                    date: d.date.map(|x| x.to_string()),
                    date_precision: d.date.map(|_| d.precision.to_string()),
                    date_text: date_text.clone(),
                    document_date: None,
                    location: location.clone(),
                    evidence: Evidence {
                        trigger: cx.text[ev.trigger.0..ev.trigger.1].to_string(),
                        start: ev.trigger.0,
                        end: ev.trigger.1,
                        rule: ev.rule.clone(),
                        pattern: ev.pattern.clone(),
                    },
                    attribution: attribution.kind.to_string(),
                    reported_by: reported_by.clone(),
                    about: Vec::new(),
                    confidence: None,
                    casualties: Vec::new(),
                    mode: mode.mode.clone(),
                    context: mode.context.clone(),
                };
                r.confidence = Some(weigh::confidence::confidence(
                    self.events.confidence_model(),
                    &r,
                ));
                out.push(r);
                record_event.push(k);
            }
        }
        fold_mentions(out, first, &mut record_event);
        self.attach_casualties(cx, s, &kept, out, first, &record_event);
        link_speech_acts(s, &kept, out, first, &record_event);
    }

    /// Gives each casualty figure of the sentence to the event it belongs to
    /// (`weigh::casualties::assign`), among the events that kept a record, and to every
    /// record of that event.
    fn attach_casualties(
        &self,
        cx: &RecordContext,
        s: &SentenceAnalysis,
        kept: &[&CodedEvent],
        out: &mut [EventRecord],
        first: usize,
        record_event: &[usize],
    ) {
        let found = weigh::casualties::find(&self.kn.words, cx.text, s);
        if found.is_empty() {
            return;
        }
        let mut alive: Vec<usize> = record_event.to_vec();
        alive.sort_unstable();
        alive.dedup();
        let events: Vec<&CodedEvent> = alive.iter().map(|&k| kept[k]).collect();
        let owners = weigh::casualties::assign(s, &events, &found);
        for (f, owner) in found.iter().zip(owners) {
            let Some(o) = owner else { continue };
            for (i, &e) in record_event.iter().enumerate() {
                if e == alive[o] {
                    out[first + i].casualties.push(f.casualty.clone());
                }
            }
        }
    }

    /// An event with no target although its type needs one: every type but the
    /// self-contained MOBILIZE and RETREAT ("troops massed", "the army withdrew") needs a
    /// target, and a mutual event with several sources has them as each other's.
    fn targetless(&self, ev: &CodedEvent) -> bool {
        ev.targets.is_empty()
            && !(ev.reciprocal && ev.sources.len() > 1)
            && !matches!(ev.plover, Plover::Mobilize | Plover::Retreat)
    }

    /// The date of an event (ARCHITECTURE.md, Policies, "Dates").
    /// (`exprs`: the sentence's time expressions, once found.)
    fn event_date(
        &self,
        cx: &RecordContext,
        s: &SentenceAnalysis,
        ev: &CodedEvent,
        exprs: &std::cell::OnceCell<Expressions>,
        relatives: &std::cell::OnceCell<Vec<(usize, usize)>>,
    ) -> EventDate {
        let cal = Calendar::new(&self.kn.words);
        let exprs = exprs.get_or_init(|| Expressions::of(&s.tokens, cal));
        let relatives = relatives.get_or_init(|| relative_clause_spans(self, s));
        let own_exprs;
        let exprs = if relatives.is_empty() {
            exprs
        } else {
            own_exprs = exprs.outside(relatives, s.predicates[ev.predicate].vg.head);
            &own_exprs
        };
        let speech_heads: Vec<usize> = s
            .predicates
            .iter()
            .filter(|p| p.speech)
            .map(|p| p.vg.head)
            .collect();
        let p = &s.predicates[ev.predicate];
        // Heads of the event's own predicates (controller, complements) do not block.
        let own: Vec<usize> = std::iter::once(ev.predicate)
            .chain(ev.consumed.iter().copied())
            .chain(p.complement)
            .map(|q| s.predicates[q].vg.head)
            .collect();
        // (A relative clause the event is outside of blocks nothing: "shelled Kherson,
        // recaptured by Ukraine in 2022, on Sunday".)
        let trigger = p.vg.head;
        let inside = |h: usize, &(a, b): &(usize, usize)| a <= h && h < b;
        // (Nor does a verb sharing the event's subject: "was arrested and charged with
        // fraud on Saturday" dates both.)
        let coordinated = |q: usize| {
            s.predicates[q].coordinated_with == Some(ev.predicate) || p.coordinated_with == Some(q)
        };
        let blockers: Vec<usize> = s
            .predicates
            .iter()
            .enumerate()
            .filter(|&(q, _)| !coordinated(q))
            .map(|(_, q)| q.vg.head)
            .filter(|h| !own.contains(h))
            .filter(|&h| {
                !relatives
                    .iter()
                    .any(|r| inside(h, r) && !inside(trigger, r))
            })
            .collect();
        // The date the speaker gave the statement: "…, the ministry said Friday".
        let speech_date = || {
            p.reported_by.map(|r| {
                let head = s.predicates[r].vg.head;
                resolve_clause_date_in(exprs, &s.tokens, head, &[], &[], cx.date)
            })
        };
        // "will meet in Geneva on May 2, officials said Friday": an intent or threat is
        // the statement, dated when it was made.
        let future =
            p.vg.modal
                .as_deref()
                .is_some_and(|m| self.kn.is(WordClass::FutureModal, m))
                && matches!(ev.modality.as_str(), "intent" | "threat");
        if future {
            return speech_date()
                .filter(|d| d.tokens.is_some())
                .unwrap_or(EventDate {
                    date: cx.date,
                    precision: "day",
                    tokens: None,
                });
        }
        let d = resolve_clause_date_in(
            exprs,
            &s.tokens,
            p.vg.head,
            &speech_heads,
            &blockers,
            cx.date,
        );
        // Nothing in the clause: a reported event is dated no later than its report.
        if d.tokens.is_none() {
            if let Some(sd) = speech_date().filter(|d| d.tokens.is_some()) {
                return sd;
            }
        }
        d
    }

    /// The place of an event: its clause's place (`location`), else — except for
    /// violence — the document's dateline.
    fn event_location(
        &self,
        cx: &RecordContext,
        s: &SentenceAnalysis,
        ev: &CodedEvent,
    ) -> Option<Location> {
        self.actors
            .places()
            .and_then(|g| crate::location::locate(g, &self.kn, cx.text, ev, &s.predicates))
            .or_else(|| {
                cx.dateline
                    .filter(|_| ev.plover.quad_class() as u8 != 4)
                    .cloned()
            })
    }
}

/// The token spans of the relative clauses set off by commas (", which …," and
/// ", who …," up to the next comma or the end), and of those right on their noun
/// ("the crossing which had reopened in March", "property seized in the 1970s", up to
/// the next comma or conjunction).
fn relative_clause_spans(coder: &Coder, s: &SentenceAnalysis) -> Vec<(usize, usize)> {
    use annalist_text::ChunkKind;
    let comma = |i: usize| s.tokens.get(i).is_some_and(|t| t.lower == ",");
    s.chunks
        .iter()
        .enumerate()
        .filter_map(|(k, c)| {
            let w = s.tokens[c.start].lower.as_str();
            let to_break = |k: usize| {
                s.chunks[k..]
                    .iter()
                    .find(|n| {
                        n.kind == ChunkKind::Coordinator
                            || (n.kind == ChunkKind::Punctuation && comma(n.start))
                    })
                    .map_or(s.tokens.len(), |n| n.start)
            };
            // "the return of property seized by the army in the 1970s": a passive
            // participle right on its noun (a reduced relative) likewise.
            if matches!(c.kind, ChunkKind::Verb(_)) {
                return reduced_relative(s, k).then(|| (c.start, to_break(k + 1)));
            }
            if c.kind != ChunkKind::ClauseMarker || c.start == 0 {
                return None;
            }
            let pronoun = coder.kn.is(annalist_dict::WordClass::RelativePronoun, w);
            if pronoun && comma(c.start - 1) {
                let end = (c.start..s.tokens.len())
                    .find(|&i| comma(i))
                    .unwrap_or(s.tokens.len());
                return Some((c.start, end));
            }
            // "closed the crossing which had reopened in March and arrested …": a
            // relative clause right on its noun runs to the next comma or coordinator.
            let on_noun = (pronoun || w == "that")
                && k > 0
                && matches!(s.chunks[k - 1].kind, ChunkKind::NounPhrase { .. })
                && s.chunks
                    .get(k + 1)
                    .is_some_and(|n| matches!(n.kind, ChunkKind::Verb(_)));
            on_noun.then(|| (c.start, to_break(k + 1)))
        })
        .collect()
}

/// The verb group at chunk `k` is a passive participle with its "by" phrase on the noun
/// before it, or set off by a comma after it: a reduced relative ("property seized by
/// the army", "Kherson, recaptured by Ukraine,").
fn reduced_relative(s: &SentenceAnalysis, k: usize) -> bool {
    use annalist_text::ChunkKind;
    let ChunkKind::Verb(vg) = &s.chunks[k].kind else {
        return false;
    };
    vg.participle
        && !vg.finite
        && vg.voice == annalist_text::Voice::Passive
        && k > 0
        && (matches!(s.chunks[k - 1].kind, ChunkKind::NounPhrase { .. })
            || s.tokens[s.chunks[k - 1].start].lower == ",")
        && s.chunks
            .get(k + 1)
            .is_some_and(|c| c.kind == ChunkKind::Preposition && s.tokens[c.start].lower == "by")
}

/// "The junta, which seized power in 2020, expelled …": an event of a relative clause
/// that its own time words date more than a year before the document is background to
/// the story, not news; it is not coded.
fn background(
    coder: &Coder,
    cx: &RecordContext,
    s: &SentenceAnalysis,
    ev: &CodedEvent,
    d: &crate::dates::EventDate,
) -> bool {
    let (Some(doc), Some(date), Some(_)) = (cx.date, d.date, d.tokens) else {
        return false;
    };
    let p = &s.predicates[ev.predicate];
    let k = p.chunk;
    let relative = k > 0
        && s.chunks[k - 1].kind == annalist_text::ChunkKind::ClauseMarker
        && coder.kn.is(
            annalist_dict::WordClass::RelativePronoun,
            &s.tokens[s.chunks[k - 1].start].lower,
        );
    // "the return of property seized by the army in the 1970s", "Kherson, recaptured by
    // Ukraine in 2022,": a passive participle on a noun (a reduced relative) tells the
    // noun's story too.
    let reduced = p.controller.is_none() && reduced_relative(s, k);
    (relative || reduced) && (doc - date).num_days() > 365
}

/// The (source, target, mutual) records of an event. "Israel and Egypt signed a
/// treaty": a mutual event without a target is one record per pair of its sources (of
/// different codes), in text order, marked mutual — it stands for both directions.
/// Otherwise one record per source and target (or per source, without a target),
/// marked mutual when it is an asserted meeting of its own pattern between different
/// actors ("Xi met Lula"). A record never has the same words as source and target.
fn record_pairs(ev: &CodedEvent) -> Vec<(&Actor, Option<&Actor>, bool)> {
    let mut out = Vec::new();
    if ev.reciprocal && ev.targets.is_empty() && ev.sources.len() > 1 {
        for (i, a) in ev.sources.iter().enumerate() {
            for b in &ev.sources[i + 1..] {
                // "Clashes between police and protesters in Dhaka": parties of one
                // country with different sectors are distinct.
                if a.code != b.code || a.sector != b.sector {
                    let (x, y) = if a.start <= b.start { (a, b) } else { (b, a) };
                    out.push((x, Some(y), true));
                }
            }
        }
        if !out.is_empty() {
            return out;
        }
    }
    // "Xi met Lula in Brasilia", "Morocco held talks with the US": an asserted meeting
    // or consultation of its own verb or noun (no control over it: "refused to meet"
    // is not mutual) is held by both, whichever is named first. (Other mutual
    // patterns are mutual only between coordinated parties: "X cut ties with Y" is
    // X's act.)
    let mutual = ev.reciprocal
        && ev.plover == annalist_dict::Plover::Consult
        && ev.modality == "asserted"
        && !ev.rule.contains(" + ");
    for src in &ev.sources {
        if ev.targets.is_empty() {
            out.push((src, None, false));
        }
        for t in &ev.targets {
            if !(t.start == src.start && t.end == src.end) {
                out.push((
                    src,
                    Some(t),
                    mutual && (t.code != src.code || t.sector != src.sector),
                ));
            }
        }
    }
    out
}

/// One sentence mentions one event once: "police opened fire, killing two" gives one
/// ASSAULT by the police. Among the sentence's records (from `first` on), a record
/// repeating the source, type, target and date of an earlier one is dropped, and so is
/// a targetless record (or one whose target no words name) whose source, type and date
/// recur with a named target ("X shelled Y's positions, killing five" → X→Y only).
fn fold_mentions(out: &mut Vec<EventRecord>, first: usize, owners: &mut Vec<usize>) {
    let key = |r: &EventRecord| {
        (
            r.source.cameo_actor.clone(),
            r.event_type.clone(),
            r.date.clone(),
        )
    };
    // A target no words name (implicit: the protesters' or the source's own country)
    // counts as none here.
    let named = |r: &EventRecord| r.target.as_ref().is_some_and(|t| t.start < t.end);
    let targeted: HashSet<_> = out[first..].iter().filter(|r| named(r)).map(key).collect();
    let mut seen = HashSet::new();
    let keep: Vec<bool> = out[first..]
        .iter()
        .map(|r| {
            (named(r) || !targeted.contains(&key(r)))
                && seen.insert((key(r), r.target.as_ref().map(|t| t.cameo_actor.clone())))
        })
        .collect();
    let mut i = 0;
    out.retain(|_| {
        i += 1;
        i <= first || keep[i - 1 - first]
    });
    let mut i = 0;
    owners.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// A speech act that is itself an event ("X accused Y of …", "X threatened to …", "X
/// demanded that …") is `about` the records of the events in the clauses it governs:
/// predicates it reports, its that-clause and complement, and what those govern in turn
/// — unless folded into the speech act itself.
fn link_speech_acts(
    s: &SentenceAnalysis,
    kept: &[&CodedEvent],
    out: &mut [EventRecord],
    first: usize,
    record_event: &[usize],
) {
    for (k, ev) in kept.iter().enumerate() {
        // Speech acts are verbal (quad classes 1 and 3).
        if !matches!(ev.plover.quad_class() as u8, 1 | 3) {
            continue;
        }
        let mut governed: Vec<usize> = Vec::new();
        let mut stack = vec![ev.predicate];
        while let Some(p) = stack.pop() {
            for (q, pq) in s.predicates.iter().enumerate() {
                let under = pq.reported_by == Some(p)
                    || pq.controller == Some(p)
                    || s.predicates[p].clause == Some(q)
                    || s.predicates[p].complement == Some(q);
                if under && q != ev.predicate && !governed.contains(&q) {
                    governed.push(q);
                    stack.push(q);
                }
            }
        }
        governed.retain(|q| !ev.consumed.contains(q));
        let about: Vec<usize> = record_event
            .iter()
            .enumerate()
            .filter(|(_, &e)| {
                e != k
                    && (governed.contains(&kept[e].predicate)
                        || kept[e].alleged_by == Some(ev.predicate))
            })
            .map(|(i, _)| first + i)
            .collect();
        for (i, &e) in record_event.iter().enumerate() {
            if e == k {
                out[first + i].about = about.clone();
            }
        }
    }
}
