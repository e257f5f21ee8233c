//! Confidence: how likely a record is a correct (source, type, target) triple. The
//! features ([`annalist_dict::confidence::FEATURES`]) are read off the record's own
//! evidence — how the pattern fired (own verb pattern, a control combination, a
//! grammar rule, a derived event noun, the imported layer; how specific the pattern
//! is), how each actor was resolved (a named dictionary entry, a person's role, a
//! sector word whose country came from elsewhere, localisation, coreference, the
//! gazetteer, a rule's implicit target), modality, negation, reported speech, and the
//! distance between the trigger and its actors — and weighed by the logistic model of
//! `dictionaries/confidence.txt`, fitted on the development files (`examples/
//! calibrate.rs`, which also prints the reliability table).
use annalist_dict::confidence::FEATURES;
use annalist_dict::ConfidenceModel;
use annalist_model::{ActorRecord, EventRecord};

fn flag(b: bool) -> f32 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// A named entry (a line of countries.txt, organisations.txt, groups.txt, regions.txt or
/// people/) heads the actor, not an agent word, the gazetteer or coreference.
fn named(a: &ActorRecord) -> bool {
    let first = a.entry.split([' ', ';']).next().unwrap_or("");
    first.contains(".txt:") && !first.starts_with("agents")
}

/// Distance between the trigger and an actor in bytes, on a log scale (0 at the
/// trigger, 1 at ~150 bytes).
fn distance(r: &EventRecord, a: &ActorRecord) -> f32 {
    let d = if a.end <= r.evidence.start {
        r.evidence.start - a.end
    } else {
        a.start.saturating_sub(r.evidence.end)
    };
    ((1 + d) as f32).ln() / 5.0
}

/// The features of a record, in [`FEATURES`] order.
pub fn features(r: &EventRecord) -> Vec<f32> {
    let src = &r.source;
    let tgt = r.target.as_ref();
    let rule = r.evidence.rule.as_str();
    let t = |f: &dyn Fn(&ActorRecord) -> bool| flag(tgt.is_some_and(f));
    let v = vec![
        1.0,
        flag(rule.contains(" + ")),
        flag(rule.starts_with("grammar:") || rule.starts_with("classes/")),
        flag(rule.contains("derivations.txt")),
        flag(rule.contains("imported")),
        flag(r.evidence.pattern.contains([' ', '[', '{'])),
        flag(named(src)),
        flag(src.entry.starts_with("people/")),
        flag(src.entry.starts_with("agent")),
        flag(src.entry.contains("(localized)")),
        flag(src.entry.contains("coreference")),
        flag(src.entry.contains("gazetteer")),
        flag(tgt.is_none()),
        t(&|a| a.entry.contains("(domestic)") || a.entry.contains("(implicit)")),
        t(&|a| a.entry.contains("(localized)")),
        t(&|a| a.entry.contains("coreference")),
        t(&|a| a.entry.contains("gazetteer")),
        t(&|a| a.code.get(..3).is_some() && a.code.get(..3) == src.code.get(..3)),
        flag(r.modality != "asserted"),
        flag(r.negated),
        flag(r.attribution != "asserted"),
        flag(r.mutual),
        distance(r, src),
        tgt.map_or(0.0, |a| distance(r, a)),
        flag(matches!(r.quad_class, 1 | 3)),
    ];
    debug_assert_eq!(v.len(), FEATURES.len());
    v
}

/// The record's confidence under `model`, rounded to two decimals.
pub fn confidence(model: &ConfidenceModel, r: &EventRecord) -> f32 {
    (model.score(&features(r)) * 100.0).round() / 100.0
}
