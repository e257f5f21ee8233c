//! Stage 9: where an event happened. Input: a coded event, the predicates of its
//! sentence and the gazetteer; output: the [`Location`] of the record, or none.
//!
//! The place is looked for, in order:
//! 1. in the place phrases of the event's own clause, then of the clauses folded into it
//!    and of its controller: "in/at/near/outside/into/inside/around/across/throughout X",
//!    "on the outskirts of X", "N km north of X";
//! 2. for violence and coercion (quad class 4), in its target when the target is a
//!    place or a country ("shelled Kharkiv", "invaded Ukraine");
//! 3. for violence, in the place phrases of another clause of the same source ("killed
//!    23 people when they blew themselves up in Tel Aviv").
//!
//! A town or region of the gazetteer gives `city`/`admin1` precision; a capital named by
//! the country dictionary ("talks in Ankara") is looked up in the gazetteer within its
//! country; a country ("in Ukraine") gives `country` precision at the capital's
//! coordinates. Embassies and consulates, people and organisations are no places.
use crate::actors::Actor;
use crate::clauses::Predicate;
use crate::events::CodedEvent;
use crate::record::Location;
use annalist_geo::{Gazetteer, Kind};

/// Prepositions whose phrase places an event.
const PLACE_PREPOSITIONS: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "into",
    "inside",
    "around",
    "across",
    "throughout",
];

/// Heads of "on the outskirts of X", "N km north of X": the place is in the "of" phrase
/// the head took in.
const RELATIVE_HEADS: &[&str] = &[
    "outskirt",
    "outskirts",
    "edge",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "vicinity",
];

/// "on the outskirts of X", "north of X": a phrase placing an event relative to X.
pub fn relative_place(prep: &str, arg: &crate::clauses::Arg) -> bool {
    matches!(prep, "on" | "of")
        && arg
            .heads
            .iter()
            .any(|h| RELATIVE_HEADS.contains(&h.as_str()))
}

/// The location of `ev`, if its sentence names one.
pub fn locate(g: &Gazetteer, text: &str, ev: &CodedEvent, preds: &[Predicate]) -> Option<Location> {
    let p = &preds[ev.predicate];
    let mut clauses = vec![ev.predicate];
    clauses.extend(ev.consumed.iter().copied());
    clauses.extend(p.complement);
    clauses.extend(p.controller);
    for &i in &clauses {
        for (prep, arg) in &preds[i].pps {
            let placing = PLACE_PREPOSITIONS.contains(&prep.as_str()) || relative_place(prep, arg);
            if !placing {
                continue;
            }
            if let Some(l) = arg.actors.iter().find_map(|a| place_of(g, text, a)) {
                return Some(l);
            }
        }
    }
    if ev.plover.quad_class() as u8 == 4 {
        if let Some(l) = ev.targets.iter().find_map(|a| place_of(g, text, a)) {
            return Some(l);
        }
        let own = |a: &Actor| a.code.is_some() && ev.sources.iter().any(|s| s.code == a.code);
        for (i, q) in preds.iter().enumerate() {
            if i == ev.predicate || !q.subject.as_ref().is_some_and(|a| a.actors.iter().any(own)) {
                continue;
            }
            let found = q
                .pps
                .iter()
                .filter(|(prep, _)| PLACE_PREPOSITIONS.contains(&prep.as_str()))
                .flat_map(|(_, a)| a.actors.iter())
                .find_map(|a| place_of(g, text, a));
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

/// The place an actor names: its gazetteer place, a capital of its country, or the
/// country itself.
fn place_of(g: &Gazetteer, text: &str, a: &Actor) -> Option<Location> {
    if a.person || a.modifier || a.entry.contains("embassy") || a.entry.contains("consulate") {
        return None;
    }
    let words = text.get(a.start..a.end).unwrap_or("");
    let at = |id: annalist_geo::PlaceId| {
        let p = g.place(id);
        Location {
            name: p.name.clone(),
            admin1: match p.kind {
                Kind::City => p.admin1.clone(),
                _ => None,
            },
            country: p.country.clone(),
            lat: p.lat,
            lon: p.lon,
            precision: p.kind.as_str().to_string(),
            text: words.to_string(),
            start: a.start,
            end: a.end,
        }
    };
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
    // A bare name is the town before the region of the same name ("Tel Aviv").
    let town = in_country(Kind::City).or_else(|| in_country(Kind::Admin1));
    if let Some(id) = town {
        return Some(at(id));
    }
    g.country(country).map(at)
}
