//! Stage 9: where an event happened. Input: a coded event, the predicates of its
//! sentence and the gazetteer; output: the [`Location`] of the record, or none.
//!
//! The place is looked for, in order:
//! 1. in the place phrases of the event's own clause, then of the clauses folded into it
//!    and of its controller (and, for a participle clause after a comma, of the clause
//!    whose subject it shares: "exploded in Kirkuk, killing four"):
//!    "in/at/near/outside/into/inside/around/across/throughout X",
//!    "on the outskirts of X", "N km north of X";
//! 2. in the place phrases on its subject ("police in Minsk detained …"), or on the
//!    doer of a passive ("was kidnapped by gunmen in X");
//! 3. for violence and coercion (quad class 4), in its target when the target is a
//!    place or a country ("shelled Kharkiv", "invaded Ukraine");
//! 4. for violence, in the place phrases of another clause of the same source ("killed
//!    nine people when they stormed a hotel in Islamabad");
//! 5. in a town named in the source's own words ("Istanbul's chief prosecutor");
//! 6. for any event but violence, in the document's wire dateline ("WASHINGTON: …"),
//!    where the report was filed (`pipeline`; violence is not assumed to happen where
//!    it is reported from).
//!
//! A retreat also happens where it leaves ("withdrew from the city of Kherson").
//!
//! A town or region of the gazetteer gives `city`/`admin1` precision; a capital named by
//! the country dictionary ("talks in Ankara") is looked up in the gazetteer within its
//! country; a country ("in Ukraine") gives `country` precision at the capital's
//! coordinates. Embassies and consulates, people and organisations are no places.
use crate::actors::Actor;
use crate::clauses::{Arg, Predicate};
use crate::events::CodedEvent;
use crate::knowledge::Knowledge;
use crate::record::Location;
use annalist_dict::WordClass;
use annalist_geo::{Gazetteer, Kind};

/// "on the outskirts of X", "north of X": a phrase placing an event relative to X (its
/// head is of the `RELATIVE_PLACE` class of nouns.txt).
pub fn relative_place(kn: &Knowledge, prep: &str, arg: &Arg) -> bool {
    matches!(prep, "on" | "of") && arg.heads.iter().any(|h| kn.relative_places.contains(h))
}

/// "the city of X": a phrase headed by a `SETTLEMENT` noun of nouns.txt.
pub(crate) fn settlement(kn: &Knowledge, arg: &Arg) -> bool {
    arg.heads.iter().any(|h| kn.settlements.contains(h))
}

/// What the steps of [`locate`] look at: the gazetteer, the knowledge, the document
/// text, the event and its sentence's predicates.
#[derive(Clone, Copy)]
struct Scene<'a> {
    g: &'a Gazetteer,
    kn: &'a Knowledge,
    text: &'a str,
    ev: &'a CodedEvent,
    preds: &'a [Predicate],
}

impl<'a> Scene<'a> {
    #[allow(clippy::type_complexity)]
    fn parts(
        self,
    ) -> (
        &'a Gazetteer,
        &'a Knowledge,
        &'a str,
        &'a CodedEvent,
        &'a [Predicate],
    ) {
        (self.g, self.kn, self.text, self.ev, self.preds)
    }
}

/// The location of `ev`, if its sentence names one.
pub fn locate(
    g: &Gazetteer,
    kn: &Knowledge,
    text: &str,
    ev: &CodedEvent,
    preds: &[Predicate],
) -> Option<Location> {
    let p = &preds[ev.predicate];
    let sc = Scene {
        g,
        kn,
        text,
        ev,
        preds,
    };
    if let Some(l) = own_clause_place(sc) {
        return Some(l);
    }
    // "Police in Minsk detained three Polish reporters": the place phrase on the
    // subject is where it acts.
    let at_subject = p
        .subject_pps
        .iter()
        .filter(|(prep, _)| kn.is(WordClass::PlacePrep, prep))
        .flat_map(|(_, a)| a.actors.iter())
        .find_map(|a| place_of(g, text, a));
    if at_subject.is_some() {
        return at_subject;
    }
    // "… was kidnapped by gunmen in Cameroon's Southwest region": the place on the
    // doer of a passive.
    let at_agent = p
        .pp("by")
        .into_iter()
        .flat_map(|a| a.actors.iter())
        .filter(|a| a.place.is_some())
        .find_map(|a| place_of(g, text, a));
    if at_agent.is_some() {
        return at_agent;
    }
    if ev.plover.quad_class() as u8 == 4 {
        if let Some(l) = violence_place(sc) {
            return Some(l);
        }
    }
    // "Istanbul's chief prosecutor opened an investigation": a town in the source's
    // own words (a gazetteer place, not a capital standing for its government).
    ev.sources
        .iter()
        .filter(|a| a.place.is_some())
        .find_map(|a| {
            place_of(
                g,
                text,
                &Actor {
                    modifier: false,
                    ..a.clone()
                },
            )
        })
}

/// Step 1: the place phrases of the event's own clause, the clauses folded into it, its
/// complement and controller, and — for a participle clause — the clause whose subject
/// it shares.
fn own_clause_place(sc: Scene) -> Option<Location> {
    let (g, kn, text, ev, preds) = sc.parts();
    let p = &preds[ev.predicate];
    let mut clauses = vec![ev.predicate];
    clauses.extend(ev.consumed.iter().copied());
    clauses.extend(p.complement);
    clauses.extend(p.controller);
    // "A car bomb exploded in Kirkuk, killing four": a participle clause after a comma
    // happens where the clause whose subject it shares does.
    if p.vg.gerund {
        clauses
            .extend((0..preds.len()).filter(|&i| i != ev.predicate && p.shares_subject(&preds[i])));
    }
    // "withdrew from the city of Kherson": a retreat happens where it leaves.
    let retreat = ev.plover == annalist_dict::Plover::Retreat;
    for &i in &clauses {
        let pps = &preds[i].pps;
        for (n, (prep, arg)) in pps.iter().enumerate() {
            let placing = kn.is(WordClass::PlacePrep, prep)
                || relative_place(kn, prep, arg)
                || (retreat && prep == "from");
            if !placing {
                continue;
            }
            // "from the city of Kherson": the town the settlement noun introduces.
            let named = pps
                .get(n + 1)
                .filter(|(p2, _)| p2 == "of" && settlement(kn, arg))
                .and_then(|(_, a2)| a2.actors.iter().find_map(|a| place_of(g, text, a)));
            // "near a Syrian town": a nation named on a settlement is its country.
            let in_settlement = settlement(kn, arg);
            let here = |a: &Actor| {
                let mut a = a.clone();
                a.modifier &= !in_settlement;
                place_of(g, text, &a)
            };
            if let Some(l) = named.or_else(|| arg.actors.iter().find_map(here)) {
                return Some(l);
            }
        }
    }
    None
}

/// Step 3: for violence and coercion, the town after a settlement noun, where an attack
/// in the subject hits, the target, or another clause of the same source.
fn violence_place(sc: Scene) -> Option<Location> {
    let (g, kn, text, ev, preds) = sc.parts();
    let p = &preds[ev.predicate];
    // "shelled the Ukrainian city of Kharkiv": the town named after a settlement
    // noun, then the target itself.
    let settled = p.object.as_ref().is_some_and(|o| settlement(kn, o));
    if settled {
        let named = p
            .pps
            .iter()
            .filter(|(prep, _)| prep == "of")
            .flat_map(|(_, a)| a.actors.iter())
            .filter(|a| a.place.is_some())
            .find_map(|a| place_of(g, text, a));
        if named.is_some() {
            return named;
        }
    }
    // "A drone strike on a market in Idlib killed …": where the attack that is the
    // subject hits or happens.
    let hit = p
        .attack_places(kn, WordClass::PlacePrep)
        .find_map(|a| place_of(g, text, a));
    if hit.is_some() {
        return hit;
    }
    // "the Lebanese town of X" with X unknown: the country the settlement is in.
    let as_place = |a: &Actor| {
        let mut a = a.clone();
        a.modifier &= !settled;
        a
    };
    // "Algeria revoked the accreditation of a French news agency": people coerced
    // by another state are not where their nation is (only a place or a country
    // itself is); by their own state ("police arrested Georgian protesters") they are.
    let coerced = ev.plover == annalist_dict::Plover::Coerce;
    let domestic = |a: &Actor| {
        ev.sources
            .iter()
            .any(|s| s.country().is_some() && s.country() == a.country())
    };
    // "massed warships for an invasion of Taiwan", "mobilized reservists to counter
    // threats from Belarus": a mobilization is where its troops go, not where its
    // adversary is, so only a target it moves to (its object or a phrase of its own
    // clause other than "for") places it.
    let mobilized = ev.plover == annalist_dict::Plover::Mobilize;
    let moved_to = |t: &Actor| {
        p.object
            .iter()
            .chain(
                p.pps
                    .iter()
                    .filter(|(prep, _)| prep != "for")
                    .map(|(_, a)| a),
            )
            .any(|a| a.actors.iter().any(|x| x.start == t.start))
    };
    if let Some(l) = ev
        .targets
        .iter()
        .filter(|a| !mobilized || moved_to(a))
        .filter(|a| !coerced || a.place.is_some() || a.sector.is_none() || domestic(a))
        .find_map(|a| place_of(g, text, &as_place(a)))
    {
        return Some(l);
    }
    let found = source_clause_places(ev, preds, |prep| kn.is(WordClass::PlacePrep, prep))
        .find_map(|a| place_of(g, text, a));
    if found.is_some() {
        return found;
    }
    None
}

/// The actors of the place phrases (prepositions `prep` accepts) of the other clauses
/// whose subject is the event's source: "gunmen killed nine people when they stormed a
/// hotel in Islamabad" → Islamabad.
pub fn source_clause_places<'a>(
    ev: &'a CodedEvent,
    preds: &'a [Predicate],
    prep: impl Fn(&str) -> bool + Copy + 'a,
) -> impl Iterator<Item = &'a Actor> + 'a {
    source_clauses(ev, preds).flat_map(move |q| {
        q.pps
            .iter()
            .filter(move |(p, _)| prep(p))
            .flat_map(|(_, a)| a.actors.iter())
    })
}

/// The other clauses whose subject is the event's source.
pub fn source_clauses<'a>(
    ev: &'a CodedEvent,
    preds: &'a [Predicate],
) -> impl Iterator<Item = &'a Predicate> + 'a {
    let own = |a: &Actor| a.code.is_some() && ev.sources.iter().any(|s| s.code == a.code);
    preds
        .iter()
        .enumerate()
        .filter(move |&(i, q)| {
            i != ev.predicate && q.subject.as_ref().is_some_and(|a| a.actors.iter().any(own))
        })
        .map(|(_, q)| q)
}

/// The location of place `id` as named by the words `start..end` of `text`.
fn location_at(
    g: &Gazetteer,
    id: annalist_geo::PlaceId,
    text: &str,
    start: usize,
    end: usize,
) -> Location {
    let p = g.place(id);
    Location {
        name: p.name.clone(),
        // Only a town is in a region.
        admin1: match p.kind {
            Kind::City => p.admin1.clone(),
            _ => None,
        },
        country: p.country.clone(),
        lat: p.lat,
        lon: p.lon,
        precision: p.kind.as_str().to_string(),
        text: text.get(start..end).unwrap_or("").to_string(),
        start,
        end,
    }
}

/// The place a wire dateline names ("KHAN YOUNIS: …", "Amman, May 19 (Petra) --"):
/// where the report was filed. `len` is the dateline's length (`dateline_len`).
pub fn dateline_place(g: &Gazetteer, text: &str, len: usize) -> Option<Location> {
    let line = text.get(..len)?;
    let lead = line.len() - line.trim_start().len();
    let name_end = line[lead..]
        .find([',', ':', '(', '/', '—', '–'])
        .map(|k| lead + k)
        .unwrap_or(line.len());
    let name = line[lead..name_end]
        .trim_end_matches([' ', '-', '.'])
        .trim();
    if name.is_empty() || name.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let id = g.resolve_id(name, &annalist_geo::Context::default())?;
    Some(location_at(g, id, text, lead, lead + name.len()))
}

/// The place an actor names: its gazetteer place, a capital of its country, or the
/// country itself.
fn place_of(g: &Gazetteer, text: &str, a: &Actor) -> Option<Location> {
    // Places are named: "in its elections" places nothing.
    if a.person || a.modifier || a.is_mission() || a.entry.contains("coreference") {
        return None;
    }
    let words = text.get(a.start..a.end).unwrap_or("");
    let at = |id| location_at(g, id, text, a.start, a.end);
    if let Some(id) = a.place {
        return Some(at(id));
    }
    let country = a.country()?;
    // "in Kyiv", "talks in Ankara": a capital of the country dictionary.
    let bare = words.strip_prefix("the ").unwrap_or(words);
    let in_country = |kind: Kind| {
        g.candidates(bare)
            .iter()
            .copied()
            .find(|&id| g.place(id).country == country && g.place(id).kind == kind)
    };
    // The country's own name is the country, not a town called after it ("in
    // Mozambique" is not Ilha de Moçambique); another bare name is the town before the
    // region of the same name ("Tel Aviv").
    let town = in_country(Kind::Country)
        .or_else(|| in_country(Kind::City))
        .or_else(|| in_country(Kind::Admin1));
    if let Some(id) = town {
        return Some(at(id));
    }
    g.country(country).map(at)
}
