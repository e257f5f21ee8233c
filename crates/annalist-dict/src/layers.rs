//! The imported layer yields to annalist's own entries. After loading, an imported entry
//! (a file under `imported/`) that says what an own entry (or an earlier imported one)
//! already says is dropped: an actor phrase already named, an agent phrase already
//! defined, a verb pattern already written, a noun class already defined. What is left
//! passes the same cross-entry checks as own entries ([`crate::validate`]).
use crate::format::Layer;
use crate::Dictionaries;
use std::collections::HashSet;

/// Drops the shadowed imported entries of `d`; returns how many phrases, patterns and
/// classes were dropped.
pub(crate) fn drop_shadowed(d: &mut Dictionaries) -> usize {
    let mut dropped = 0;
    let own = |o: &crate::format::Origin| o.layer() == Layer::Own;

    // Named actors: one phrase (compared in lower case) names one actor.
    let mut named: HashSet<String> = HashSet::new();
    for c in d
        .countries
        .iter()
        .chain(&d.regions)
        .filter(|c| own(&c.origin))
    {
        for p in c
            .names
            .iter()
            .chain(&c.adjectives)
            .chain(c.seats.iter().map(|s| &s.phrase))
        {
            named.insert(p.to_lowercase());
        }
    }
    for o in d.organisations.iter().filter(|o| own(&o.origin)) {
        named.extend(o.names.iter().map(|n| n.to_lowercase()));
    }
    for g in d.groups.iter().filter(|g| own(&g.origin)) {
        named.extend(g.names.iter().map(|n| n.to_lowercase()));
    }
    for p in d.people.iter().filter(|p| own(&p.origin)) {
        named.extend(p.names.iter().map(|n| n.to_lowercase()));
    }
    // Keeps the names of an imported entry that no earlier entry claims.
    let mut keep = |origin: &crate::format::Origin, names: &mut Vec<String>| -> bool {
        if own(origin) {
            return true;
        }
        let before = names.len();
        names.retain(|n| named.insert(n.to_lowercase()));
        dropped += before - names.len();
        !names.is_empty()
    };
    d.countries.retain_mut(|c| keep(&c.origin, &mut c.names));
    d.regions.retain_mut(|c| keep(&c.origin, &mut c.names));
    d.organisations
        .retain_mut(|o| keep(&o.origin, &mut o.names));
    d.groups.retain_mut(|g| keep(&g.origin, &mut g.names));
    // People may share a name (the one whose role covers the date wins). An imported
    // person one of whose names is an own person's is that person: annalist's record
    // (its roles) wins and the imported one is dropped whole, so that a longer imported
    // name ("President Bush") does not override the own record's dated roles. Otherwise
    // an imported person loses the names that named actors already hold.
    let own_people: HashSet<String> = d
        .people
        .iter()
        .filter(|p| own(&p.origin))
        .flat_map(|p| p.names.iter().map(|n| n.to_lowercase()))
        .collect();
    d.people.retain_mut(|p| {
        if own(&p.origin) {
            return true;
        }
        let before = p.names.len();
        if p.names
            .iter()
            .any(|n| own_people.contains(&n.to_lowercase()))
        {
            p.names.clear();
        } else {
            p.names.retain(|n| !named.contains(&n.to_lowercase()));
        }
        dropped += before - p.names.len();
        !p.names.is_empty()
    });

    let mut agents: HashSet<String> = d
        .agents
        .iter()
        .filter(|a| own(&a.origin))
        .map(|a| a.phrase.to_lowercase())
        .collect();
    let before = d.agents.len();
    d.agents
        .retain(|a| own(&a.origin) || agents.insert(a.phrase.to_lowercase()));
    dropped += before - d.agents.len();

    let mut patterns: HashSet<(bool, String)> = d
        .verbs
        .iter()
        .filter(|v| own(&v.origin))
        .map(|v| (v.copular, v.text.clone()))
        .collect();
    let before = d.verbs.len();
    d.verbs
        .retain(|v| own(&v.origin) || patterns.insert((v.copular, v.text.clone())));
    dropped += before - d.verbs.len();

    let mut classes: HashSet<String> = d
        .nouns
        .iter()
        .filter(|c| own(&c.origin))
        .map(|c| c.name.clone())
        .collect();
    let before = d.nouns.len();
    d.nouns
        .retain(|c| own(&c.origin) || classes.insert(c.name.clone()));
    dropped += before - d.nouns.len();
    dropped
}
