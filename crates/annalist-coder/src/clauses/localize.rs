//! Localization (ARCHITECTURE.md, Policies, "Targets found by rule" and "Sole
//! country"): actors known only by their sector (protesters, police, rebels) take the
//! country of the place their clause names, of the clause's subject, of what they act
//! on, or of the only country the sentence names.
use super::{Arg, Predicate};
use crate::actors::Actor;
use crate::knowledge::Knowledge;
use annalist_dict::{Sector, Tag, WordClass};
use annalist_text::{TaggedToken, Voice};

/// "Protesters in Nairobi stormed parliament": an actor known only by its sector
/// (protesters, police, rebels) takes the country of the place its clause names with
/// "in/at/near/outside/across" (a capital counts for its country). Organisations and
/// named actors are never changed.
pub fn localize(preds: &mut [Predicate], toks: &[TaggedToken], kn: &Knowledge) {
    let accuser = accusers(preds, kn);
    for (i, p) in preds.iter_mut().enumerate() {
        localize_coordinated(p);
        // "marched on the Indian capital", "in a Syrian town": a nation named on a
        // settlement noun is the place's country.
        // ("fired on a Lebanese village": the target's place, never the armed subject's.)
        let named =
            p.pps
                .iter()
                .filter_map(|(prep, a)| {
                    let settled = crate::location::settlement(kn, a);
                    (kn.is(WordClass::LocalizingPrep, prep) || (prep == "on" && settled))
                        .then_some((a, settled, prep == "on"))
                })
                .flat_map(|(a, settled, on)| a.actors.iter().map(move |x| (x, settled, on)))
                // "in a Russian drone attack" names no place, nor does "outside the Russian
                // embassy": only countries and their cities do.
                .filter(|&(a, settled, _)| {
                    !a.person && (!a.modifier || settled) && !a.is_mission() && !after_by(toks, a)
                })
                .find_map(|(a, _, on)| country_entry(a).map(|e| (e, on)));
        let aimed_at = named.as_ref().is_some_and(|(_, on)| *on);
        let place = named
            .map(|(e, _)| e)
            // "A drone strike on a market in Idlib killed …": the place an attack in the
            // subject is aimed at or happens in.
            .or_else(|| {
                p.attack_places(kn, WordClass::LocalizingPrep)
                    .filter(|a| !a.modifier)
                    .find_map(country_entry)
            })
            // "Clashes between rival militias rocked the Libyan capital": what a verb of
            // occurrence sweeps or rocks is the place of its clause.
            .or_else(|| {
                p.object
                    .as_ref()
                    .filter(|_| kn.is(WordClass::OccurrencePlaceVerb, &p.lemma))
                    .and_then(|o| {
                        o.actors
                            .iter()
                            .filter(|a| !a.person)
                            .find_map(country_entry)
                    })
            });
        // "Iraqi police arrested protesters": unarmed domestic actors known only by their
        // sector belong to the country of the clause's subject.
        let home = p
            .subject
            .as_ref()
            .and_then(|a| a.actors.iter().find_map(country_entry));
        // Not when armed forces act: "gunmen shot four people" says nothing
        // of the victims' country.
        // Nor when the subject is an attack ("a Russian strike on X killed five people").
        let armed_subject = p.attack_subject(kn)
            || p.subject
                .as_ref()
                .is_some_and(|a| a.actors.iter().any(armed));
        if let Some(h) = &accuser[i] {
            give_home(p, h, Sector::is_unarmed_domestic);
        } else if let Some(h) = home.as_ref().filter(|_| !armed_subject) {
            give_home(p, h, Sector::is_unarmed_domestic);
        }
        // "Protesters stormed Kenya's parliament", "gunmen killed Iraqi soldiers": with no
        // place named, unarmed or irregular actors take the country of what they act on.
        if place.is_none() {
            let acted_on = p
                .object
                .as_ref()
                .and_then(|o| o.actors.iter().find_map(country_entry));
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
        // The parties of an event noun in the subject ("clashes between militias in
        // Tripoli") belong there too.
        for arg in [p.subject.as_mut(), p.object.as_mut()]
            .into_iter()
            .flatten()
            .chain(
                // ("clashed with police in London": the partner is there too.)
                p.pps
                    .iter_mut()
                    .filter(|(prep, _)| (passive && prep == "by") || prep == "with")
                    .map(|(_, a)| a),
            )
            .chain(
                p.subject_pps
                    .iter_mut()
                    .filter(|(prep, _)| prep == "between")
                    .map(|(_, a)| a),
            )
        {
            for a in arg.actors.iter_mut() {
                if open(a) && a.sector.is_some() && !(aimed_at && armed(a)) {
                    a.localize(&code, "place", &entry);
                }
            }
        }
    }
}

/// "Saudi jets bombed Houthi bases near Sanaa after the Iran-aligned rebels launched
/// drones at Riyadh": a definite description known only by its sector ("the rebels", "the
/// militants") refers back to the nearest earlier actor of the sentence with that
/// sector and a country, and takes its country (before any place does: the place an
/// attack is aimed at is not the attackers'). Organisations and named actors are never
/// changed; an indefinite or bare plural ("rebels attacked …") is left to the place.
/// With no such actor, a definite description of the state ("the army", "the police",
/// "the government") in a clause reported by a state's speaker is that speaker's state:
/// "Venezuela's defence minister said the army had arrested …".
pub fn definite_sector_anaphora(preds: &mut [Predicate], toks: &[TaggedToken]) {
    let open = |a: &Actor| open(a) && a.sector.is_some();
    // (Most sentences have no such actor: nothing to gather then.)
    if !preds
        .iter()
        .flat_map(|p| p.args())
        .flat_map(|a| a.actors.iter())
        .any(open)
    {
        return;
    }
    let known: Vec<(usize, Sector, String, String)> = preds
        .iter()
        .flat_map(|p| p.args())
        .flat_map(|a| a.actors.iter())
        .filter(|a| a.org.is_none() && !a.person)
        .filter_map(|a| {
            Some((
                a.start,
                a.sector?,
                a.country()?.to_string(),
                a.entry.clone(),
            ))
        })
        .collect();
    // The state a predicate's speaker speaks for, if any.
    let speaker_state = |p: &Predicate| -> Option<(String, String)> {
        let s = &preds[p.reported_by?];
        // (A state's name or an actor of its government or forces; not a party,
        // group or organisation.)
        let a = s.subject.as_ref()?.actors.iter().find(|a| {
            a.country().is_some() && a.org.is_none() && a.sector.is_none_or(Sector::is_state)
        })?;
        Some((a.country()?.to_string(), a.entry.clone()))
    };
    let speakers: Vec<Option<(String, String)>> = preds.iter().map(speaker_state).collect();
    for (p, speaker) in preds.iter_mut().zip(speakers) {
        for arg in p.args_mut() {
            for a in arg.actors.iter_mut() {
                let Some(sector) = a.sector else { continue };
                if !open(a) || !definite(toks, a.start) {
                    continue;
                }
                let antecedent = known
                    .iter()
                    .filter(|(start, s, _, _)| *start < a.start && *s == sector)
                    .max_by_key(|(start, ..)| *start);
                if let Some((_, _, code, entry)) = antecedent {
                    a.localize(code, "the earlier actor of its sector", entry);
                } else if let Some((code, entry)) = speaker.as_ref().filter(|_| sector.is_state()) {
                    a.localize(code, "the state its speaker speaks for", entry);
                }
            }
        }
    }
}

/// Whether the noun phrase holding the word at byte `start` opens with "the": the
/// words before it back to a determiner are modifiers (adjectives, participles, nouns,
/// hyphenated compounds).
fn definite(toks: &[TaggedToken], start: usize) -> bool {
    let Some(i) = toks.iter().position(|t| t.token.start == start) else {
        return false;
    };
    // (The matcher takes a preceding "the" into the actor's span.)
    if toks[i].lower == "the" {
        return true;
    }
    for t in toks[..i].iter().rev() {
        if t.tag == Tag::DT {
            return t.lower == "the";
        }
        if !(t.tag.is_adjective() || t.tag.is_noun() || matches!(t.tag, Tag::VBN | Tag::VBG)) {
            return false;
        }
    }
    false
}

/// An actor's country code and dictionary entry, if it has a country.
/// "Russia accused Ukraine of shelling civilians": the victims of what an accusation
/// alleges are the accuser's people, as they are when the deed is a noun ("of the
/// shelling of civilians"): per predicate, the country of the accuser whose allegation
/// it is.
fn accusers(preds: &[Predicate], kn: &Knowledge) -> Vec<Option<(String, String)>> {
    preds
        .iter()
        .map(|p| {
            let q = &preds[p.controller?];
            (kn.words.value(WordClass::AttributionVerb, &q.lemma) == Some("alleged"))
                .then(|| q.subject.as_ref()?.actors.iter().find_map(country_entry))
                .flatten()
        })
        .collect()
}

/// "killed in air strikes by Russia on Sumy", "strikes by Russia": an actor right after
/// "by" is the agent of what its phrase names, no place.
pub(crate) fn after_by(toks: &[TaggedToken], a: &Actor) -> bool {
    // (Tokens are in text order: the actor's first token is found by its offset.)
    toks.binary_search_by_key(&a.start, |t| t.token.start)
        .is_ok_and(|i| i > 0 && toks[i - 1].lower == "by")
}

fn country_entry(a: &Actor) -> Option<(String, String)> {
    a.country().map(|c| (c.to_string(), a.entry.clone()))
}

/// "South Sudan's government and rebels signed a ceasefire": an actor known only by its
/// sector (no country, organisation or modifier), coordinated with one of a state, is of
/// that state.
fn localize_coordinated(p: &mut Predicate) {
    for arg in p.args_mut() {
        let Some((code, entry)) = arg.actors.iter().find_map(country_entry) else {
            continue;
        };
        for a in arg.actors.iter_mut() {
            if open(a) && a.sector.is_some() {
                a.localize(&code, "coordinated with", &entry);
            }
        }
    }
}

/// An actor open to localization: no country, no organisation, not a mere modifier
/// (the callers ask for a sector too, or the sectors they place).
fn open(a: &Actor) -> bool {
    a.code.is_none() && !a.modifier && a.org.is_none()
}

/// An armed actor: military, rebels, militias.
fn armed(a: &Actor) -> bool {
    a.sector.is_some_and(Sector::is_armed)
}

/// The one country the clauses name, if they name exactly one: the first actor of it.
/// Organisations (IGO, NGO …) do not count as countries; nor does a national modifier
/// ("a Russian drone attack" names the attacker, not the victims' country) or the
/// neighbour of a border ("troops moved to the border with Syria").
pub fn sole_country(preds: &[Predicate]) -> Option<&Actor> {
    let mut found: Option<&Actor> = None;
    for p in preds {
        let border = p.pps.iter().any(|(_, a)| a.is_border());
        let between = p
            .subject_pps
            .iter()
            .filter(|(pr, _)| pr == "between")
            .map(|(_, a)| a);
        for arg in p
            .subject
            .iter()
            .chain(p.object.iter())
            .chain(
                p.pps
                    .iter()
                    .filter(|(pr, _)| !(border && pr == "with"))
                    .map(|(_, a)| a),
            )
            .chain(between)
        {
            // "security sources telling AFP that …": a news outlet a report is given to
            // or comes from passes it on and says nothing of where things happened.
            let conduit = |a: &Actor| p.speech && a.sector == Some(Sector::Med);
            for a in arg
                .actors
                .iter()
                .filter(|a| (!a.modifier || a.possessor) && !conduit(a))
            {
                match (found, a.country()) {
                    (_, None) => {}
                    (None, Some(_)) => found = Some(a),
                    (Some(f), Some(c)) if f.country() != Some(c) => return None,
                    (Some(_), Some(_)) => {}
                }
            }
        }
    }
    found
}

/// "The party said it would boycott Algeria's elections": when the clauses name one
/// country and no other ([`sole_country`]), an actor known only by its sector that no
/// earlier rule placed belongs to it when it is an agent (the subject, or the "by"
/// phrase of a passive).
pub fn localize_sole_country(preds: &mut [Predicate]) -> bool {
    let Some(sole) = sole_country(preds) else {
        return false;
    };
    let (code, entry) = (
        sole.country().unwrap_or_default().to_string(),
        sole.entry.clone(),
    );
    let (code, entry) = (&code, &entry);
    let mut changed = false;
    // Where armed actors act, only agents: the victims of "troops shelled Eritrean
    // positions, killing ten soldiers" are not the troops' compatriots.
    for p in preds.iter_mut() {
        let passive = p.vg.voice == Voice::Passive;
        // "the army would defend its borders against Eritrea", "troops invaded
        // Eritrea": the agent is not of the country its clause opposes.
        let opposes = |a: &Arg| a.actors.iter().any(|x| x.country() == Some(code.as_str()));
        let opposed = p
            .pps
            .iter()
            .any(|(prep, a)| prep == "against" && opposes(a))
            || (!passive
                && p.subject.iter().flat_map(|a| a.actors.iter()).any(armed)
                && p.object.as_ref().is_some_and(|o| {
                    o.actors
                        .iter()
                        .any(|x| !x.modifier && !x.possessor && x.country() == Some(code.as_str()))
                }));
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
            // "Fighting between the army and the RSF killed …": the parties of an event
            // noun in the subject are its agents.
            .chain(
                p.subject_pps
                    .iter_mut()
                    .filter(|(prep, _)| prep == "between")
                    .map(|(_, a)| (a, true)),
            )
            .filter(|(_, agent)| (*agent || !armed) && !(*agent && opposed))
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

/// "The rebels, who are backed by Rwanda, captured Sake": the same words as the subject
/// of two clauses (a relative clause and its main clause, coordinated verbs) are one
/// actor: one placed in one clause is placed in the other. (Subjects only: an object
/// that is also a complement's subject, "instructed the police to expel him", was
/// placed by what that complement acts on.)
pub fn share_mention_countries(preds: &mut [Predicate]) {
    let placed: Vec<(usize, usize, String, String)> = preds
        .iter()
        .filter_map(|p| p.subject.as_ref())
        .flat_map(|a| a.actors.iter())
        .filter(|a| a.entry.contains("(localized)"))
        .filter_map(|a| Some((a.start, a.end, a.code.clone()?, a.entry.clone())))
        .collect();
    if placed.is_empty() {
        return;
    }
    for p in preds.iter_mut() {
        let Some(arg) = p.subject.as_mut() else {
            continue;
        };
        for a in arg.actors.iter_mut().filter(|a| a.code.is_none()) {
            if let Some((_, _, code, entry)) = placed
                .iter()
                .find(|(s, e, _, _)| *s == a.start && *e == a.end)
            {
                a.localize(code, "the same words in another clause:", entry);
            }
        }
    }
}
