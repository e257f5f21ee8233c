//! Targets found by rule (ARCHITECTURE.md, Policies): for an event whose pattern found
//! no target (or, for threats, a lesser one) — the subject of a threat's "if/unless"
//! clause; the doer an accusation's reported clause names; whom a protest defies; the
//! country of a place the event happens in (of the predicate or of the complement it
//! governs); for a protest by a country's people, that country; for violence, the place
//! its source's other clause names. Mutual events with several sources keep no target.
use super::{PassContext, Rule};
use crate::actors::Actor;
use crate::clauses::{Arg, Predicate};
use crate::events::CodedEvent;
use annalist_dict::{Plover, Sector};
use annalist_text::ChunkKind;

/// The target rules, in the order they are tried.
pub const RULES: &[(&str, Rule)] = &[
    ("threat-condition", threat_condition),
    ("accused-in-clause", accused_in_clause),
    ("holder-of-object", holder_of_object),
    ("weapon-hits", weapon_hits),
    ("mobilized-against", mobilized_against),
    ("protest-defies", protest_defies),
    ("place-of-event", place_of_event),
    ("purpose-destination", purpose_destination),
    ("protesters-own-country", protesters_own_country),
    ("counted-victims", counted_victims),
    ("source-clause-place", source_clause_place),
    ("domestic", domestic),
];

/// Fills the target of `ev` by the first rule that applies; returns why.
pub fn fill_target(ev: &mut CodedEvent, cx: &PassContext) -> Option<String> {
    if ev.reciprocal && ev.sources.len() > 1 {
        return None;
    }
    if ev.targets.is_empty() && ev.sources.len() > 1 && done_to_each_other(ev, cx) {
        ev.reciprocal = true;
        return Some("the sources are each other's target (a reciprocal pronoun)".into());
    }
    // (No rule changes a target a mobilization or retreat already has, so one check
    // after them covers targets from the pattern and from the rules.)
    let why = super::run(RULES, ev, cx);
    if own_ground(ev) {
        ev.targets.clear();
        return Some("none: a deployment or withdrawal within the source's own country".into());
    }
    why
}

/// "army units began deploying in southern Lebanon", "their forces completed their
/// withdrawal from the Bosnian town of Gorazde": a mobilization or retreat whose only
/// targets are places of its source's own country is aimed at no one (those places are
/// its location). An actor there (rebels, a government) stays the target, and so does
/// the place for a non-state source ("M23 withdrew from areas of eastern Congo": the
/// state it fights).
fn own_ground(ev: &CodedEvent) -> bool {
    let src = source_codes(ev);
    // (Military retreats only: "allowed aid into Rakhine" is for the people there.)
    let military = ev.plover == Plover::Mobilize
        || (ev.plover == Plover::Retreat && ev.cameo.starts_with("087"));
    military
        && !ev.targets.is_empty()
        && ev
            .sources
            .iter()
            .all(|s| s.sector.is_none_or(Sector::is_state))
        && ev.targets.iter().all(|t| {
            t.sector.is_none()
                && t.org.is_none()
                && !t.person
                && t.code.as_ref().is_some_and(|c| src.contains(c))
        })
}

/// "Kosovo and Serbia accused each other", "clashed with one another": the event's
/// object or one of its phrases is a reciprocal pronoun (RECIPROCAL_PRONOUN).
fn done_to_each_other(ev: &CodedEvent, cx: &PassContext) -> bool {
    let p = cx.predicate(ev);
    let reciprocal = |a: &Arg| {
        a.chunks
            .first()
            .and_then(|&c| cx.chunks.get(c))
            .is_some_and(|c| cx.kn.reciprocal_at(cx.toks, c.start))
    };
    p.patient().is_some_and(reciprocal) || p.pps.iter().any(|(_, a)| reciprocal(a))
}

/// The country codes of the event's sources.
fn source_codes(ev: &CodedEvent) -> Vec<String> {
    ev.sources.iter().filter_map(|a| a.code.clone()).collect()
}

/// The actors of `p`'s doer that `keep` accepts, or `None` when there are none.
fn doers_where(p: &Predicate, keep: impl Fn(&Actor) -> bool) -> Option<Vec<Actor>> {
    let doers: Vec<Actor> = p
        .agent()?
        .actors
        .iter()
        .filter(|a| keep(a))
        .cloned()
        .collect();
    (!doers.is_empty()).then_some(doers)
}

/// "shelled villages held by Ukrainian troops", "annex territory controlled by Guyana":
/// an object with no actor of its own, described by a participle of holding
/// (HOLDER_VERB) with a "by" agent, belongs to that agent, the target.
fn holder_of_object(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    if !ev.targets.is_empty() {
        return None;
    }
    // The event's predicate, or the complement it governs ("intends to annex …").
    let holder = std::iter::once(ev.predicate)
        .chain(ev.consumed.iter().copied())
        .filter_map(|k| {
            let object = cx.preds[k]
                .patient()
                .filter(|o| o.actors.iter().all(|a| a.code.is_none()))?;
            clause_on(cx, object, |q| {
                q.vg.participle
                    && q.vg.voice == annalist_text::Voice::Passive
                    && cx.kn.is(annalist_dict::WordClass::HolderVerb, &q.lemma)
            })
        })
        .next()
        .map(|k| &cx.preds[k])?;
    // (Not a source itself: "rebels attacked villages held by the rebels" names no one.)
    let same = |a: &Actor| {
        ev.sources
            .iter()
            .any(|s| s.code == a.code && s.sector == a.sector && s.org == a.org)
    };
    ev.targets = doers_where(holder, |a| a.code.is_some() && !same(a))?;
    Some("who holds the object (a participle of holding with a \"by\" agent)")
}

/// The predicate (index) whose subject is the noun phrase `object` ends with and that
/// `fits`: a participle clause on the object ("villages held by …", "a drone striking
/// …").
fn clause_on(cx: &PassContext, object: &Arg, fits: impl Fn(&Predicate) -> bool) -> Option<usize> {
    let last = *object.chunks.last()?;
    cx.preds.iter().position(|q| {
        q.subject
            .as_ref()
            .is_some_and(|s| s.chunks.last() == Some(&last))
            && fits(q)
    })
}

/// "The militia launched a drone striking Haifa": an attack whose object (the weapon)
/// is the subject of a participle clause of its own ("hitting X", "striking X") is aimed
/// at what that clause acts on; the clause is folded into the attack.
fn weapon_hits(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    if !ev.targets.is_empty() || ev.plover != Plover::Assault {
        return None;
    }
    let p = cx.predicate(ev);
    if p.vg.voice != annalist_text::Voice::Active {
        return None;
    }
    let k = clause_on(cx, p.object.as_ref()?, |q| {
        cx.toks[q.vg.head].tag == annalist_dict::Tag::VBG
    })?;
    let clause = &cx.preds[k];
    let sources = source_codes(ev);
    let hit: Vec<Actor> = clause
        .patient()?
        .actors
        .iter()
        .filter(|a| a.code.as_ref().is_some_and(|c| !sources.contains(c)))
        .cloned()
        .collect();
    if hit.is_empty() {
        return None;
    }
    ev.targets = hit;
    // The clause is this attack, not another one by the weapon.
    ev.consumed.push(k);
    Some("what the weapon's participle clause acts on")
}

/// "massed warships for an invasion of Taiwan", "deployed troops to deter an attack by
/// Eritrea": a mobilization is aimed at the actor of the event noun it is "for", else
/// at what its purpose infinitive acts on (its object, or a PURPOSE_TARGET_PREP phrase),
/// else at the other party of a rivalry it comes in ("amid tension with Eritrea").
fn mobilized_against(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    if !ev.targets.is_empty() || ev.plover != Plover::Mobilize {
        return None;
    }
    let src = source_codes(ev);
    // Another country, or a non-state group of the source's own ("deployed troops to
    // fight bandits in Zamfara", "to disperse protesters").
    let other = |a: &Arg| -> Vec<Actor> {
        a.actors
            .iter()
            .filter(|x| {
                !x.modifier
                    && x.code.as_ref().is_some_and(|c| {
                        !src.contains(c) || x.sector.is_some_and(|s| !s.is_state())
                    })
            })
            .cloned()
            .collect()
    };
    let p = cx.predicate(ev);
    let for_event = p
        .pps
        .iter()
        .filter(|(prep, a)| prep == "for" && (cx.names_event(a) || cx.names_attack(a)))
        .map(|(_, a)| other(a))
        .find(|t| !t.is_empty());
    let purpose = || {
        let q = cx
            .preds
            .iter()
            .find(|q| q.controller == Some(ev.predicate))?;
        q.patient()
            .map(other)
            .filter(|t| !t.is_empty())
            .or_else(|| {
                q.pps
                    .iter()
                    .filter(|(prep, _)| cx.kn.is(annalist_dict::WordClass::PurposeTargetPrep, prep))
                    .map(|(_, a)| other(a))
                    .find(|t| !t.is_empty())
            })
    };
    if let Some(t) = for_event {
        ev.targets = t;
        return Some("the actor of the event the mobilization is for");
    }
    if let Some(t) = purpose() {
        ev.targets = t;
        return Some("what the mobilization's purpose clause acts on");
    }
    // "called up reservists amid tension with Eritrea": the other party of a rivalry
    // (RIVALRY_NOUN) the mobilization comes in.
    let rival = p.pps.windows(2).find_map(|w| {
        let (rivalry, with) = (&w[0].1, &w[1]);
        let named = rivalry
            .heads
            .last()
            .is_some_and(|h| cx.kn.is(annalist_dict::WordClass::RivalryNoun, h));
        (named && with.0 == "with").then(|| other(&with.1))
    });
    ev.targets = rival.filter(|t| !t.is_empty())?;
    Some("the other party of the rivalry it comes in")
}

/// A threat's addressee is whoever must act to avoid it, even when the threatened act
/// names a place of its own ("threatened to close the port in Aden if the rebels …"):
/// the subject of its "if/unless" clause.
fn threat_condition(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    let p = cx.predicate(ev);
    if !(ev.plover == Plover::Threaten && p.if_clause) {
        return None;
    }
    let (chunks, toks) = (cx.chunks, cx.toks);
    let m = (p.chunk + 1..chunks.len()).find(|&k| {
        chunks[k].kind == ChunkKind::ClauseMarker
            && matches!(toks[chunks[k].start].lower.as_str(), "unless" | "if")
    })?;
    let conditioned: Vec<Actor> = cx
        .preds
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
    let src = source_codes(ev);
    let other = conditioned
        .iter()
        .any(|c| c.code.as_ref().is_some_and(|x| !src.contains(x)));
    if conditioned.is_empty() || !(ev.targets.is_empty() || other) {
        return None;
    }
    ev.targets = conditioned;
    Some("from the subject of the if/unless clause")
}

/// "Havana charged that the United States had financed the protests", "Baku complained
/// that Armenian forces shelled its posts": an accusation with no target of its own
/// accuses the doer of the clause it reports (another party than the accuser).
fn accused_in_clause(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    if !(matches!(ev.plover, Plover::Accuse | Plover::Investigate) && ev.targets.is_empty()) {
        return None;
    }
    let i = ev.predicate;
    let p = &cx.preds[i];
    let q = p
        .clause
        .or_else(|| (i + 1..cx.preds.len()).find(|&q| cx.preds[q].reported_by == Some(i)))?;
    let src = source_codes(ev);
    ev.targets = doers_where(&cx.preds[q], |a| {
        !a.modifier && a.code.as_ref().is_some_and(|c| !src.contains(c))
    })?;
    Some("the doer of the clause it reports")
}

/// "blocked roads in defiance of the government", "went on strike in protest against
/// the new law": whom a protest defies is its target, whatever it blocks.
fn protest_defies(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    if ev.plover != Plover::Protest {
        return None;
    }
    let src = source_codes(ev);
    let defied = cx
        .predicate(ev)
        .pps
        .iter()
        .filter(|(prep, a)| {
            prep == "in"
                && a.heads
                    .iter()
                    .any(|h| matches!(h.as_str(), "defiance" | "protest" | "opposition"))
        })
        .flat_map(|(_, a)| a.actors.iter())
        .filter(|a| a.code.as_ref().is_some_and(|c| !src.contains(c)))
        .cloned()
        .collect::<Vec<_>>();
    if defied.is_empty() {
        return None;
    }
    ev.targets = defied;
    Some("whom the protest defies")
}

/// A place gives a target only to an event whose source has a code, and not to a
/// meeting: the town where talks are held is their venue ("met in Geneva"), kept in the
/// record's location. Otherwise the country of the place the event happens in ("resumed
/// raids in Somalia"), of the predicate or of the complements it governs; violence also
/// hits what it is near ("struck villages near Zakho", "on the outskirts of Idlib").
fn place_of_event(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    if !ev.targets.is_empty() || source_codes(ev).is_empty() || ev.plover == Plover::Consult {
        return None;
    }
    let violent = ev.plover.quad_class() as u8 == 4;
    let mut q = Some(ev.predicate);
    for _ in 0..3 {
        let Some(i) = q else { break };
        for (prep, arg) in &cx.preds[i].pps {
            let near = violent
                && (matches!(prep.as_str(), "near" | "outside" | "around")
                    || crate::location::relative_place(cx.kn, prep, arg));
            if !matches!(prep.as_str(), "in" | "into" | "inside") && !near {
                continue;
            }
            // (A foreign mission in the source's own country is another state's.)
            let mission = cx.preds[i].acts_on_mission();
            let others_mission =
                |a: &Actor| mission && ev.sources.iter().any(|s| s.country() == a.country());
            let place = arg.actors.iter().find(|a| {
                a.country().is_some()
                    && !others_mission(a)
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
        q = cx.preds[i].complement;
    }
    None
}

/// "The UN sent experts to Bosnia to investigate …", "flew to Kyiv to show support":
/// a purpose clause's event with no target acts on the country its controller goes or
/// sends to (not a meeting: the destination is its venue).
fn purpose_destination(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    if !ev.targets.is_empty() || source_codes(ev).is_empty() || ev.plover == Plover::Consult {
        return None;
    }
    let c = cx.preds[ev.predicate].controller?;
    let place = cx.preds[c]
        .pps
        .iter()
        .filter(|(prep, _)| matches!(prep.as_str(), "to" | "into"))
        .flat_map(|(_, arg)| arg.actors.iter())
        .find(|a| {
            a.country().is_some()
                && !a.person
                && !ev.sources.iter().any(|s| s.country() == a.country())
        })?;
    let mut t = place.clone();
    t.sector = None;
    ev.targets = vec![t];
    Some("the destination of the clause it is the purpose of")
}

/// "500,000 workers stopped work on Monday": a protest by people of a country that
/// names no one it is against is against that country's authorities (the CAMEO and
/// ICEWS convention). Not for a state's own protest ("Iran protested strongly"). The
/// target is named by no words of its own: an empty span at the source.
fn protesters_own_country(ev: &mut CodedEvent, _cx: &PassContext) -> Option<&'static str> {
    if !ev.targets.is_empty() || source_codes(ev).is_empty() || ev.plover != Plover::Protest {
        return None;
    }
    let a = ev
        .sources
        .iter()
        .find(|a| a.country().is_some() && !a.sector.is_some_and(Sector::is_state) && !a.person)?;
    let mut t = a.clone();
    t.sector = None;
    t.org = None;
    t.end = t.start;
    t.entry = format!("{}; the protesters' own country (implicit)", a.entry);
    ev.targets = vec![t];
    Some("the protesters' own country")
}

/// "Gunmen attacked peacekeepers in Mali, killing two": violence whose object is only
/// a number counts the victims of its source's other clause, who are its target.
fn counted_victims(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    if !ev.targets.is_empty() || source_codes(ev).is_empty() || ev.plover.quad_class() as u8 != 4 {
        return None;
    }
    let object = cx.predicate(ev).object.as_ref()?;
    let counted = object.actors.is_empty()
        && object.chunks.len() == 1
        && cx.chunks[object.chunks[0]].end > 0
        && cx.toks[cx.chunks[object.chunks[0]].end - 1].tag == annalist_dict::Tag::CD;
    if !counted {
        return None;
    }
    let t = crate::location::source_clauses(ev, cx.preds)
        // (Whom it struck: its object, or what it fired was aimed "against"/"at".)
        .flat_map(|q| {
            let fired = q
                .object
                .as_ref()
                .filter(|o| cx.names_device(o) || cx.names_attack(o));
            q.object.iter().filter(move |_| fired.is_none()).chain(
                q.pps
                    .iter()
                    .filter(move |(p, _)| fired.is_some() && matches!(p.as_str(), "against" | "at"))
                    .map(|(_, a)| a),
            )
        })
        .flat_map(|a| a.actors.iter())
        .find(|a| {
            (a.code.is_some() || a.sector.is_some())
                && !a.modifier
                && !ev
                    .sources
                    .iter()
                    .any(|s| (s.start, s.end) == (a.start, a.end))
        })?
        .clone();
    ev.targets = vec![t];
    Some("the victims its source's other clause names, which its number counts")
}

/// "gunmen killed nine people when they stormed a hotel in Islamabad": violence with
/// no target of its own happens where its source's other clause places it.
fn source_clause_place(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    if !ev.targets.is_empty()
        || source_codes(ev).is_empty()
        || ev.plover == Plover::Consult
        || ev.plover.quad_class() as u8 != 4
    {
        return None;
    }
    let mut t = crate::location::source_clause_places(ev, cx.preds, |p| {
        matches!(p, "in" | "into" | "inside")
    })
    .find(|a| a.country().is_some() && !a.person && !a.modifier)
    .cloned()?;
    t.sector = None;
    ev.targets = vec![t];
    Some("from the place its source's other clause names")
}

/// "The junta banned rallies", "Lawmakers demanded an inquiry": an event whose target
/// no words name, in a sentence that names no country but its source's, is domestic —
/// aimed at its source's own country (the CAMEO/ICEWS convention for domestic events).
/// The target has an empty span at the source. Not for the self-contained MOBILIZE and
/// RETREAT, for protests (their own rule) and threats (aimed at an adversary), nor for
/// mutual events, nor for an attack named with its nation ("a Russian
/// drone attack"), nor when an actor is placed abroad ("foreign troops").
fn domestic(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    // Protests have their own rule (a state's protest is diplomatic, aimed abroad);
    // threats of retaliation are aimed at an adversary.
    // A rebel group's truce or disarmament ("the ELN announced a ceasefire") is
    // towards its state, though.
    let rebels = !ev.sources.is_empty() && ev.sources.iter().all(|a| a.sector == Some(Sector::Reb));
    if !ev.targets.is_empty()
        || matches!(ev.plover, Plover::Protest | Plover::Threaten)
        || (matches!(ev.plover, Plover::Mobilize | Plover::Retreat)
            && !(rebels && ev.plover == Plover::Retreat))
    {
        return None;
    }
    // "Two civilians were killed in a Russian drone attack": a nation named on an attack
    // is the attacker, and the victims are rarely its own. An attack named without a
    // nation changes nothing ("the Sudanese army killed 12 civilians in an air strike"
    // is domestic like "the Sudanese army killed 12 civilians").
    let p = cx.predicate(ev);
    let national =
        |a: &crate::clauses::Arg| a.actors.iter().any(|x| x.modifier && x.country().is_some());
    let attack = p
        .agent()
        .is_some_and(|a| (cx.names_attack(a) || cx.names_device(a)) && national(a))
        || p.pps.iter().any(|(prep, a)| {
            matches!(prep.as_str(), "in" | "by") && cx.names_attack(a) && national(a)
        });
    if attack {
        return None;
    }
    // "appealed to its allies", "thanked its partners": others, unnamed, are the target.
    let relational = p
        .object
        .iter()
        .chain(p.pps.iter().map(|(_, a)| a))
        .any(|a| {
            a.heads
                .iter()
                .any(|h| cx.kn.is(annalist_dict::WordClass::RelationalNoun, h))
        });
    if relational {
        return None;
    }
    let src = ev.sources.iter().find(|a| a.country().is_some())?;
    let home = src.country()?;

    // A third party that only reports ("…, Human Rights Watch said") is no participant;
    // a country that reports still is (its own forces may be the target). A news outlet
    // that reports or is told ("sources told AFP") is none either.
    let named_elsewhere = cx
        .preds
        .iter()
        .flat_map(|p| {
            p.subject
                .iter()
                .map(move |a| (a, p.speech))
                .chain(p.object.iter().map(|a| (a, false)))
                .chain(p.pps.iter().map(|(_, a)| (a, false)))
                .chain(p.subject_pps.iter().map(|(_, a)| (a, false)))
                .flat_map(move |(a, speaker)| a.actors.iter().map(move |x| (x, speaker, p.speech)))
        })
        .filter(|(a, _, speech)| !(*speech && a.sector == Some(annalist_dict::Sector::Med)))
        .any(|(a, speaker, _)| {
            a.country().is_some_and(|c| c != home) || (a.org.is_some() && !speaker) || a.foreign
        });
    if named_elsewhere || ev.sources.iter().any(|a| a.country() != Some(home)) {
        return None;
    }
    let mut t = src.clone();
    t.sector = None;
    t.org = None;
    t.person = false;
    t.end = t.start;
    t.entry = format!("{}; the source's own country (domestic)", src.entry);
    ev.targets = vec![t];
    Some("the source's own country: the sentence names no other")
}
