//! Cross-entry checks applied to every dictionary entry by the test suite: known codes,
//! no duplicate keys, dates in order, no role overlaps a person cannot have, patterns
//! that refer only to known CAMEO codes and noun classes.
use crate::format::{DictError, Origin};
use crate::patterns::{PatternAction, PatternObject};
use crate::Dictionaries;
use std::collections::{HashMap, HashSet};

fn err(o: &Origin, m: String) -> DictError {
    DictError::new(&o.path, o.line, m)
}

/// Returns every problem found; empty when the dictionaries are consistent.
pub fn validate(d: &Dictionaries) -> Vec<DictError> {
    let mut errs = d.classes.check(&d.lexicon);
    // The embedded model is checked by the test suite (`tests/entries.rs`), a model read
    // from a directory here.
    if let Some(Err(e)) = d
        .tagger_model
        .as_ref()
        .filter(|m| !m.is_embedded())
        .map(|m| m.validate())
    {
        errs.push(DictError::new("tagger/model.bin", 0, e.to_string()));
    }

    // Named actors: a phrase names one actor only.
    let mut phrases: HashMap<String, Origin> = HashMap::new();
    let mut claim = |phrase: &str, o: &Origin, errs: &mut Vec<DictError>| {
        if let Some(prev) = phrases.get(phrase) {
            if prev != o {
                errs.push(err(
                    o,
                    format!("phrase {phrase:?} already names the actor at {prev}"),
                ));
            }
        } else {
            phrases.insert(phrase.to_string(), o.clone());
        }
    };
    let mut codes = HashSet::new();
    for c in d.countries.iter().chain(&d.regions) {
        // An imported country line adds names to a code (see `layers`).
        if c.origin.layer() == crate::Layer::Own && !codes.insert(c.code.clone()) {
            errs.push(err(&c.origin, format!("code {} is listed twice", c.code)));
        }
        for p in c
            .names
            .iter()
            .chain(&c.adjectives)
            .chain(c.seats.iter().map(|s| &s.phrase))
        {
            claim(p, &c.origin, &mut errs);
        }
    }
    for o in &d.organisations {
        for p in &o.names {
            claim(p, &o.origin, &mut errs);
        }
    }
    for g in &d.groups {
        for p in &g.names {
            claim(p, &g.origin, &mut errs);
        }
    }

    // People: names unique within a person; dated roles in different countries
    // must not overlap.
    for p in &d.people {
        let mut seen = HashSet::new();
        for n in &p.names {
            if !seen.insert(n) {
                errs.push(err(
                    &p.origin,
                    format!("name {n:?} is listed twice for this person"),
                ));
            }
        }
        let dated: Vec<_> = p.roles.iter().filter(|r| r.dated).collect();
        for (i, a) in dated.iter().enumerate() {
            for b in &dated[i + 1..] {
                let overlap = a.from.is_none_or(|af| b.to.is_none_or(|bt| af < bt))
                    && b.from.is_none_or(|bf| a.to.is_none_or(|at| bf < at));
                if overlap && a.code != b.code {
                    errs.push(err(
                        &p.origin,
                        format!(
                            "roles in {} and {} overlap: a person cannot hold both",
                            a.code, b.code
                        ),
                    ));
                }
            }
        }
        if p.roles.iter().filter(|r| !r.dated).count() > 1 {
            errs.push(err(
                &p.origin,
                "more than one default (undated) role".into(),
            ));
        }
    }

    // Agents: one sector per phrase.
    let mut agents: HashMap<&str, &Origin> = HashMap::new();
    for a in &d.agents {
        if let Some(prev) = agents.insert(a.phrase.as_str(), &a.origin) {
            errs.push(err(
                &a.origin,
                format!("agent {:?} already defined at {prev}", a.phrase),
            ));
        }
    }

    // Patterns refer to known codes and classes.
    let classes: HashSet<&str> = d.nouns.iter().map(|c| c.name.as_str()).collect();
    let mut class_names = HashSet::new();
    for c in &d.nouns {
        if !class_names.insert(&c.name) {
            errs.push(err(
                &c.origin,
                format!("noun class {} defined twice", c.name),
            ));
        }
        if let Some((code, _)) = &c.nominal {
            if d.cameo.get(code).is_none() {
                errs.push(err(&c.origin, format!("unknown CAMEO code {code}")));
            }
        }
    }
    // Every derivation's verbs have patterns; a noun is listed once.
    let lemmas: HashSet<&str> = d
        .verbs
        .iter()
        .filter_map(|v| v.text.split_whitespace().next())
        .collect();
    let mut derived = HashSet::new();
    for dv in &d.derivations {
        if !derived.insert(dv.noun.as_str()) {
            errs.push(err(&dv.origin, format!("noun {:?} listed twice", dv.noun)));
        }
        for verb in &dv.verbs {
            if !lemmas.contains(verb.as_str()) {
                errs.push(err(
                    &dv.origin,
                    format!("verb {verb:?} has no pattern in verbs.txt"),
                ));
            }
        }
    }
    let mut keys = HashMap::new();
    for v in &d.verbs {
        let code = match &v.action {
            PatternAction::Event(c) => Some(c),
            PatternAction::Control { fallback, .. } => fallback.as_ref(),
            PatternAction::Nominal => None,
        };
        if let Some(c) = code {
            if d.cameo.get(c).is_none() {
                errs.push(err(&v.origin, format!("unknown CAMEO code {c}")));
            }
        }
        if let PatternObject::Class(c) = &v.object {
            if !classes.contains(c.as_str()) {
                errs.push(err(
                    &v.origin,
                    format!("unknown noun class {{{c}}} (see nouns.txt)"),
                ));
            }
        }
        let key = (v.copular, v.text.clone());
        if let Some(prev) = keys.insert(key, v.origin.clone()) {
            errs.push(err(
                &v.origin,
                format!("pattern {:?} already defined at {prev}", v.text),
            ));
        }
    }
    for c in &d.combinations {
        if d.cameo.get(&c.code).is_none() {
            errs.push(err(&c.origin, format!("unknown CAMEO code {}", c.code)));
        }
    }
    for s in &d.solos {
        for code in [&s.code, &s.alone] {
            if d.cameo.get(code).is_none() {
                errs.push(err(&s.origin, format!("unknown CAMEO code {code}")));
            }
        }
    }
    errs
}
