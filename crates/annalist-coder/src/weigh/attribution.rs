//! Attribution: who the text says an event on. An event whose clause is reported
//! speech ("Ukrainian officials said Russian forces shelled Kharkiv") or stands with
//! "according to X" is `reported_by` the speaker (the reporting verb's agent) with the
//! verb; its `attribution` is
//! - `alleged` or `denied` when the reporting verb says so (`ATTRIBUTION_VERB`:
//!   "accused", "denied") or a marker in the clause does (`ALLEGED_MARKER`:
//!   "allegedly", "reportedly");
//! - `reported` when the speaker is a third party: media, witnesses, an NGO or an
//!   international body (`THIRD_PARTY_SPEAKER`, sectors MED/NGO/IGO/HRI, organisation
//!   codes), or a country that is neither the event's source nor its target;
//! - `claimed` when the speaker is a party: of the country of the event's source or
//!   target, or a state organ the sentence gives no other country;
//! - `asserted` when the text states the event itself.
use super::arg_tokens;
use crate::actors::{Actor, ORG_CLASSES};
use crate::clauses::Arg;
use crate::events::CodedEvent;
use crate::sentence::SentenceAnalysis;
use annalist_dict::{Sector, WordClass, WordClasses};

/// The attribution of one event and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    pub kind: &'static str,
    /// The claimant (words and the actor they name) and the reporting verb.
    pub claimant: Option<Claimant>,
    /// The rule that decided the kind (`explain` adds the claimant and verb).
    pub reason: &'static str,
}

/// Who says it: the claimant's words, actor and the reporting words, as byte spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimant {
    pub span: (usize, usize),
    pub actor: Option<Actor>,
    pub verb: (usize, usize),
    /// The claimant phrase's head lemma ("officials", "witness").
    pub head: String,
}

/// The reporting predicate whose clause holds `ev`: its own report, or its
/// controller's (at most four steps up).
fn report_of(s: &SentenceAnalysis, ev: &CodedEvent) -> Option<usize> {
    let mut q = ev.predicate;
    for _ in 0..4 {
        let p = s.predicates.get(q)?;
        if let Some(r) = p.reported_by.filter(|&r| r != ev.predicate) {
            return Some(r);
        }
        q = p.controller.or(p.coordinated_with)?;
    }
    None
}

fn claimant_of_arg(s: &SentenceAnalysis, a: &Arg, verb: (usize, usize)) -> Option<Claimant> {
    let toks: Vec<usize> = arg_tokens(s, a).collect();
    let (first, last) = (*toks.first()?, *toks.last()?);
    let actor = a
        .actors
        .iter()
        .find(|x| !x.modifier && x.code.is_some())
        .or_else(|| a.actors.first())
        .cloned();
    Some(Claimant {
        span: (s.tokens[first].token.start, s.tokens[last].token.end),
        actor,
        verb,
        head: a.heads.last().cloned().unwrap_or_default(),
    })
}

/// "…, according to state media": the phrase after "according to" up to the next
/// punctuation, with the first actor any argument found inside it.
fn according_to(s: &SentenceAnalysis) -> Option<Claimant> {
    let i = (0..s.tokens.len().saturating_sub(2))
        .find(|&i| s.tokens[i].lower == "according" && s.tokens[i + 1].lower == "to")?;
    let start = i + 2;
    let mut end = start;
    // Up to the next punctuation mark, at most eight words.
    while end < s.tokens.len()
        && end < start + 8
        && s.tokens[end]
            .lower
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '\'')
    {
        end += 1;
    }
    if end == start {
        return None;
    }
    let span = (s.tokens[start].token.start, s.tokens[end - 1].token.end);
    let actor = s
        .predicates
        .iter()
        .flat_map(|p| {
            [&p.subject, &p.object, &p.object2]
                .into_iter()
                .flatten()
                .chain(p.pps.iter().map(|(_, a)| a))
        })
        .flat_map(|a| a.actors.iter())
        .find(|a| a.start >= span.0 && a.end <= span.1)
        .cloned();
    Some(Claimant {
        span,
        actor,
        verb: (s.tokens[i].token.start, s.tokens[i + 1].token.end),
        head: s.tokens[end - 1].lemma.clone(),
    })
}

/// Is an "allegedly"-type marker within the event's clause (its subject up to its
/// trigger, or the three words before the trigger)?
fn marked_alleged(words: &WordClasses, s: &SentenceAnalysis, ev: &CodedEvent) -> bool {
    let trig = super::trigger_token(s, ev);
    let from = s
        .predicates
        .get(ev.predicate)
        .and_then(|p| p.subject.as_ref())
        .and_then(|a| arg_tokens(s, a).min())
        .filter(|&f| f < trig)
        .unwrap_or(trig.saturating_sub(3));
    // The trigger itself ("alleged" as a verb) is no marker; nor is one that modifies
    // another verb before the trigger ("rebels, reportedly backed by X, seized").
    let verb_between = |i: usize| {
        s.predicates
            .iter()
            .any(|p| i < p.vg.head && p.vg.head < trig)
    };
    (from.min(trig.saturating_sub(3))..trig)
        .any(|i| words.has(WordClass::AllegedMarker, &s.tokens[i].lower) && !verb_between(i))
}

fn is_third_party(words: &WordClasses, c: &Claimant) -> bool {
    words.has(WordClass::ThirdPartySpeaker, &c.head)
        || c.actor.as_ref().is_some_and(|a| {
            matches!(
                a.sector,
                Some(Sector::Med) | Some(Sector::Ngo) | Some(Sector::Igo) | Some(Sector::Hri)
            ) || a.org.is_some()
                || a.code.as_deref().is_some_and(|c| ORG_CLASSES.contains(&c))
        })
}

/// Decides the attribution of `ev`.
pub fn decide(words: &WordClasses, s: &SentenceAnalysis, ev: &CodedEvent) -> Attribution {
    // What an accusation alleges is reported by the accuser.
    let report = ev.alleged_by.or_else(|| report_of(s, ev));
    let claimant = match report {
        Some(r) => {
            let p = &s.predicates[r];
            let h = &s.tokens[p.vg.head].token;
            p.agent()
                .and_then(|a| claimant_of_arg(s, a, (h.start, h.end)))
                .or(Some(Claimant {
                    span: (h.start, h.start),
                    actor: None,
                    verb: (h.start, h.end),
                    head: String::new(),
                }))
        }
        None => according_to(s).filter(|c| c.span.0 > ev.trigger.1 || c.verb.1 <= ev.trigger.0),
    };
    let verb_class =
        report.and_then(|r| words.value(WordClass::AttributionVerb, &s.predicates[r].lemma));
    let (kind, reason) = if let Some(v) = verb_class {
        (
            if v == "denied" { "denied" } else { "alleged" },
            "the reporting verb is an ATTRIBUTION_VERB",
        )
    } else if marked_alleged(words, s, ev) {
        ("alleged", "ALLEGED_MARKER in the clause")
    } else if let Some(c) = &claimant {
        party_or_third(words, c, ev)
    } else {
        ("asserted", "stated by the text")
    };
    Attribution {
        kind,
        claimant,
        reason,
    }
}

/// `claimed` by a party to the event or `reported` by a third party.
fn party_or_third(
    words: &WordClasses,
    c: &Claimant,
    ev: &CodedEvent,
) -> (&'static str, &'static str) {
    if is_third_party(words, c) {
        return ("reported", "a third-party speaker");
    }
    let parties: Vec<&str> = ev
        .sources
        .iter()
        .chain(&ev.targets)
        .filter_map(|a| a.country())
        .collect();
    match c.actor.as_ref() {
        Some(a) => match a.country() {
            Some(cc) if parties.contains(&cc) => ("claimed", "the speaker's country is a party"),
            Some(_) => ("reported", "the speaker's country is not a party"),
            None if a.sector.is_some_and(|s| s.is_state()) => {
                ("claimed", "a state organ with no other country given")
            }
            None => ("reported", "the speaker is no party"),
        },
        None => ("reported", "the speaker names no actor"),
    }
}
