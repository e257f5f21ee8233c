//! Sources found by rule (ARCHITECTURE.md, Policies): for an event whose pattern found
//! no source — the troops a passive de-escalation names; the nation named on an attack
//! the victims died in, or on a weapon or attack; for violence whose only agent is a
//! device, the country where it happens; for a passive arrest, investigation or sanction
//! with no agent, the state that reports it or else the state where it happens.
use super::{PassContext, Rule};
use crate::actors::Actor;
use crate::clauses::Arg;
use crate::events::CodedEvent;
use annalist_dict::{Plover, Sector, WordClass};
use annalist_text::Voice;

/// The source rules, in the order they are tried.
pub const RULES: &[(&str, Rule)] = &[
    ("passive-deescalation", passive_by_those_named),
    ("attack-victims-died-in", attack_victims_died_in),
    ("event-noun-participants", event_noun_participants),
    ("nation-on-weapon", nation_on_weapon),
    ("attack-of-its-author", attack_of_its_author),
    ("unattributed-attack-place", unattributed_attack_place),
    ("passive-reported-by-state", passive_reported_by_state),
    ("passive-arrest-state", passive_arrest_state),
];

/// Fills the source of `ev` by the first rule that applies; returns why.
pub fn fill_source(ev: &mut CodedEvent, cx: &PassContext) -> Option<String> {
    super::run(RULES, ev, cx)
}

/// An event with no source coded from a passive with no "by" phrase.
fn agentless_passive(ev: &CodedEvent, cx: &PassContext) -> bool {
    let p = cx.predicate(ev);
    ev.sources.is_empty()
        && p.vg.voice == Voice::Passive
        && !p.pps.iter().any(|(prep, _)| prep == "by")
}

/// The nation named on an attack or weapon ("Israeli strikes", "a Russian missile"): a
/// country, or an organisation.
fn national_actor<'a>(mut actors: impl Iterator<Item = &'a Actor>) -> Option<Actor> {
    actors
        .find(|x| x.country().is_some() || x.org.is_some())
        .map(|x| Actor {
            modifier: false,
            ..x.clone()
        })
}

/// The first actor of an argument that has a code and is no mere modifier.
fn named_actor(a: &Arg) -> Option<Actor> {
    a.actors
        .iter()
        .find(|a| a.code.is_some() && !a.modifier)
        .cloned()
}

/// "Rebel fighters have been demobilized", "the troops were pulled back": a
/// de-escalation (CAMEO 087x) in the passive without an agent is done by those it
/// names, who lay down arms or pull back; they are its source, and it names no target
/// (rebels' is their state's: `targets::domestic`).
/// Likewise a mobilization ("troops were deployed to the border", "reservists were
/// called up"): those deployed are its source; a target its phrases name stays.
fn passive_by_those_named(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    let p = cx.predicate(ev);
    // Not a bare participle: "troops stationed in the country" describes a state.
    let mobilize = ev.plover == Plover::Mobilize && !p.vg.participle;
    if !((ev.cameo.starts_with("087") || mobilize) && agentless_passive(ev, cx)) {
        return None;
    }
    let own: Vec<Actor> = p
        .subject
        .iter()
        .flat_map(|a| a.actors.iter())
        .filter(|a| a.code.is_some() && !a.modifier)
        .cloned()
        .collect();
    if own.is_empty() {
        return None;
    }
    if mobilize {
        ev.targets
            .retain(|t| !own.iter().any(|a| a.start < t.end && t.start < a.end));
        ev.sources = own;
        return Some("those it names, in the passive (mobilization)");
    }
    ev.sources = own;
    ev.targets.clear();
    Some("those it names, in the passive (de-escalation)")
}

/// "Nine people died in Saudi air strikes on Sanaa": the nation named on the attack is
/// its source, the "on" phrase its target; with no nation named, the party the attack was
/// "with" ("two soldiers were killed in a gunfight with militants").
fn attack_victims_died_in(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    let p = cx.predicate(ev);
    if !(ev.sources.is_empty() && ev.plover == Plover::Assault && p.vg.voice == Voice::Passive) {
        return None;
    }
    let k = p
        .pps
        .iter()
        .position(|(prep, a)| matches!(prep.as_str(), "in" | "by") && cx.names_attack(a))?;
    // ("two soldiers were killed in a gunfight with militants": else the party the
    // attack was "with".)
    let with = || {
        p.pps
            .get(k + 1)
            .filter(|(prep, _)| prep == "with")
            .and_then(|(_, a)| named_actor(a))
    };
    // (Only a nation named on the attack itself — "Saudi air strikes", "Russia's
    // strikes", "strikes by Russia" —, not the place or the target of a phrase after it:
    // "killed in an airstrike in Gaza", "in air strikes on Sanaa".)
    let on_attack =
        |x: &Actor| x.modifier || x.possessor || crate::clauses::localize::after_by(cx.toks, x);
    let s = national_actor(p.pps[k].1.actors.iter().filter(|x| on_attack(x))).or_else(with)?;
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
    Some("the nation named on the attack the victims died in")
}

/// "Clashes between Chadian and Sudanese troops killed five", "air strikes by the army
/// destroyed the bridge": an event noun as the agent acts through its participants —
/// those it is "by", or the parties "between" which it happens (then a mutual event).
/// So does an event noun that a light verb's agentless passive makes happen ("talks
/// between Sudan and South Sudan were held in Juba").
fn event_noun_participants(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    let p = cx.predicate(ev);
    let agentless = p.vg.voice == Voice::Passive && p.agent().is_none();
    if !ev.sources.is_empty() || !(p.vg.voice == Voice::Active || agentless) {
        return None;
    }
    let subject = p.subject.as_ref().filter(|a| cx.names_event(a))?;
    if subject
        .actors
        .iter()
        .any(|a| a.code.is_some() && !a.modifier)
    {
        return None;
    }
    let coded = |prep: &str| -> Vec<Actor> {
        p.subject_pps
            .iter()
            .filter(|(x, _)| x == prep)
            .flat_map(|(_, a)| a.actors.iter())
            .filter(|a| a.code.is_some())
            .cloned()
            .collect()
    };
    let by = coded("by");
    if !by.is_empty() {
        ev.sources = by;
        return Some("those the event noun of the subject is by");
    }
    let between = coded("between");
    if between.len() > 1 {
        ev.sources = between;
        ev.reciprocal = true;
        ev.targets
            .retain(|t| ev.sources.iter().all(|s| s.code != t.code));
        return Some("the parties the event noun of the subject is between");
    }
    None
}

/// "Israeli strikes killed five people", "a Russian missile hit the port", "the Iranian
/// crackdown killed dozens": the nation named on the weapon, attack or other event
/// noun is the source.
fn nation_on_weapon(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    if !(ev.sources.is_empty() && matches!(ev.plover, Plover::Assault | Plover::Coerce)) {
        return None;
    }
    let p = cx.predicate(ev);
    let national = p
        .agent()
        .filter(|a| cx.names_attack(a) || cx.names_device(a) || cx.names_event(a));
    let s = national.and_then(|a| national_actor(a.actors.iter()))?;
    ev.sources = vec![s];
    Some("the nation named on the weapon or attack")
}

/// "Islamic State claimed an attack that killed 20 soldiers", "the rebels launched a
/// drone strike that hit a school": violence whose doer is an attack (or device) that
/// an authoring verb of the sentence (ATTACK_AUTHOR_VERB) has as its object is done by
/// that verb's subject — the one who launched, carried out or claimed it.
fn attack_of_its_author(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    if !(ev.sources.is_empty() && ev.plover == Plover::Assault) {
        return None;
    }
    let p = cx.predicate(ev);
    let attack = p
        .agent()
        .filter(|a| (cx.names_attack(a) || cx.names_device(a)) && !a.chunks.is_empty())?;
    // ("vowed to answer any attack that …": an attack named by no one in particular.)
    if cx.nonspecific(attack) {
        return None;
    }
    let author = cx
        .preds
        .iter()
        .filter(|q| q.vg.voice == Voice::Active && cx.kn.is(WordClass::AttackAuthorVerb, &q.lemma))
        .find(|q| q.object.as_ref().is_some_and(|o| o.chunks == attack.chunks))
        .and_then(|q| q.subject.as_ref().and_then(named_actor));
    if let Some(author) = author {
        ev.sources = vec![author];
        return Some("the author of the attack that did it");
    }
    // "Pakistan blamed India for a bombing that killed ten people": the accused of an
    // accusation (ATTRIBUTION_VERB valued alleged) whose "for"/"of" phrase is the attack
    // is its alleged author, when the attack's clause names whom it hit (not "…, which
    // set off a wave of violence").
    if p.patient().is_none_or(|a| a.actors.is_empty()) {
        return None;
    }
    let (q, accused) = cx.preds.iter().enumerate().find_map(|(q, pq)| {
        let alleged = cx.kn.words.value(WordClass::AttributionVerb, &pq.lemma) == Some("alleged");
        let about = pq
            .pps
            .iter()
            .any(|(prep, a)| matches!(prep.as_str(), "for" | "of") && a.chunks == attack.chunks);
        (alleged && about)
            .then(|| pq.object.as_ref().and_then(named_actor))
            .flatten()
            .map(|a| (q, a))
    })?;
    ev.sources = vec![accused];
    ev.alleged_by = Some(q);
    Some("the accused of the attack that did it")
}

/// "A car bomb killed five soldiers in Baghdad", "were killed by a roadside bomb outside
/// Basra": violence with no named perpetrator, only a device, is coded to the country
/// where it happens (else the victims' country); the source's words are the device's.
fn unattributed_attack_place(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    if !(ev.sources.is_empty() && ev.plover == Plover::Assault) {
        return None;
    }
    let p = cx.predicate(ev);
    let device_arg = p
        .agent()
        .filter(|a| cx.names_device(a) && a.actors.iter().all(|x| x.code.is_none()))
        .or_else(|| {
            (p.vg.voice == Voice::Passive)
                .then(|| {
                    p.pps
                        .iter()
                        .find(|(prep, a)| {
                            matches!(prep.as_str(), "in" | "by") && cx.names_device(a)
                        })
                        .map(|(_, a)| a)
                })
                .flatten()
        })?;
    // "any attack that targets its territory": an attack named by no one in particular
    // did not happen.
    if cx.nonspecific(device_arg) {
        return None;
    }
    let span = device_arg
        .chunks
        .first()
        .zip(device_arg.chunks.last())
        .map(|(&a, &b)| {
            (
                cx.toks[cx.chunks[a].start].token.start,
                cx.toks[cx.chunks[b].end - 1].token.end,
            )
        });
    // "outside the Malian town of Gao": the "of" phrase after a place phrase is the
    // place too. "A car bomb exploded outside a police station in Mogadishu, killing
    // nine": the clauses that share the device as subject share their places.
    let clauses: Vec<&crate::clauses::Predicate> = std::iter::once(p)
        .chain(cx.preds.iter().filter(|q| p.shares_subject(q)))
        .collect();
    let place = clauses
        .iter()
        .flat_map(|q| {
            q.pps.iter().enumerate().filter(|&(i, (prep, _))| {
                cx.kn.is(WordClass::DevicePlacePrep, prep)
                    || (prep == "of"
                        && i > 0
                        && cx.kn.is(WordClass::DevicePlacePrep, &q.pps[i - 1].0))
            })
        })
        // "near the Syrian city": a nation named on a settlement names its country.
        .flat_map(|(_, (_, a))| {
            let settlement = crate::location::settlement(cx.kn, a);
            a.actors.iter().map(move |x| (x, settlement))
        })
        .chain(ev.targets.iter().map(|x| (x, false)))
        .find(|(a, settlement)| a.country().is_some() && (!a.modifier || *settlement))
        .map(|(a, _)| Actor {
            modifier: false,
            ..a.clone()
        });
    let (Some(mut s), Some((start, end))) = (place, span) else {
        return None;
    };
    s.sector = None;
    s.person = false;
    s.start = start;
    s.end = end;
    s.entry = format!("{} (place of an unattributed attack)", s.entry);
    ev.sources = vec![s];
    Some("the country where an unattributed attack happens")
}

/// "The government said the bill would be withdrawn", "Somalia said the envoy had been
/// expelled": an act of state in the passive with no agent, reported by a state (a
/// country, its government or forces, or one of its leaders), is that state's. Not
/// violence ("the ministry said three soldiers were killed" names no killer), protest
/// or speech.
fn passive_reported_by_state(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    let p = cx.predicate(ev);
    // Not a bare participle: "troops stationed in the country" describes a state.
    if !agentless_passive(ev, cx)
        || p.vg.participle
        || matches!(
            ev.plover,
            Plover::Assault | Plover::Protest | Plover::Accuse | Plover::Threaten
        )
    {
        return None;
    }
    let speaker = cx.preds.get(p.reported_by?)?.agent()?;
    // "Omdurman radio said": a speaker of another sector (media, NGOs) is no state.
    if speaker
        .actors
        .iter()
        .any(|a| a.sector.is_some_and(|s| !s.is_state()))
    {
        return None;
    }
    let state = speaker.actors.iter().find(|a| {
        // (A town of the gazetteer — "Omdurman radio" — is no state.)
        a.code.is_some()
            && a.org.is_none()
            && a.place.is_none()
            && !a.modifier
            && (a.person || a.sector.is_none_or(Sector::is_state))
    })?;
    ev.sources = vec![state.clone()];
    Some("the state that reports its own act in the passive")
}

/// "A journalist was arrested in Lebanon": an arrest, investigation, charge or sanction in the
/// passive with no agent is the act of the state where it happens (a deportation or an
/// expulsion: the state it is from). So is a conviction or sentence (CAMEO 116), by its courts ("the
/// opposition leader was sentenced to five years").
fn passive_arrest_state(ev: &mut CodedEvent, cx: &PassContext) -> Option<&'static str> {
    let p = cx.predicate(ev);
    let verdict = ev.cameo.starts_with("116");
    // ("was detained and charged with sedition": a charge of a crime, 112, against a
    // person or a group — "Beijing was accused of harassing vessels" is a state
    // accused by another.)
    let charge = ev.cameo == "112"
        && p.subject
            .iter()
            .flat_map(|a| a.actors.iter())
            .all(|a| a.person || a.office || a.sector.is_some_and(|s| !s.is_state()));
    if !agentless_passive(ev, cx)
        || !(verdict
            || charge
            || matches!(
                ev.plover,
                Plover::Coerce | Plover::Investigate | Plover::Sanction
            ))
    {
        return None;
    }
    let placed = |preps: &[&str]| {
        p.pps
            .iter()
            .filter(|(prep, _)| preps.contains(&prep.as_str()))
            .flat_map(|(_, a)| a.actors.iter())
            .find(|a| a.country().is_some() && !a.person)
    };
    // "were deported to Afghanistan from Pakistan", "inspectors were expelled from
    // Iran": a deportation or expulsion is the act of the state it is from.
    let from = (ev.cameo.starts_with("174") || ev.cameo.starts_with("166"))
        .then(|| placed(&["from"]))
        .flatten();
    let place = from.or_else(|| placed(&["in", "inside"]));
    // Without a place: a domestic actor arrested or investigated ("the opposition
    // leader was arrested", "the former minister is being investigated") is so by
    // its own state. A bare nationality ("two Americans") says nothing of where.
    let (state, why) = match place {
        Some(pl) => (
            pl,
            "the state where the passive arrest/investigation happens",
        ),
        None => (
            p.subject.iter().flat_map(|a| a.actors.iter()).find(|a| {
                a.country().is_some() && !a.modifier && (a.person || a.sector.is_some())
            })?,
            "the state of the domestic actor arrested/investigated (passive, no place)",
        ),
    };
    let mut s = state.clone();
    s.sector = Some(if verdict { Sector::Jud } else { Sector::Gov });
    s.org = None;
    if place.is_none() {
        // No words name this source: an empty span at the trigger.
        s.person = false;
        s.start = ev.trigger.0;
        s.end = ev.trigger.0;
        s.entry = format!("{} (its own state, implicit)", s.entry);
    }
    ev.sources = vec![s];
    Some(why)
}
