//! PLOVER mode and context. The CAMEO code's row of `cameo.txt` gives both (from the
//! CAMEO→PLOVER table); where it gives no mode, the mode is found in the words of the
//! event — the trigger and the predicate's arguments — by the type's mode class in
//! `classes/coder.txt` (`ASSAULT_MODE`: "airstrike=aerial", "shell=artillery", "car
//! bomb=explosives" …; the member listed first wins): "troops attacked the town" keeps
//! the table's mode, "killed in an air strike" becomes `aerial`, "gunmen abducted"
//! `abduct`.
use super::{arg_tokens, tokens_in};
use crate::events::CodedEvent;
use crate::sentence::SentenceAnalysis;
use annalist_dict::{CameoTable, Plover, WordClass, WordClasses};

/// The mode and context of an event and what decided the mode.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeDecision {
    pub mode: Option<String>,
    pub context: Option<String>,
    /// The mode class and the member that refined the mode, if a word did.
    pub word: Option<(WordClass, String)>,
}

impl ModeDecision {
    /// What decided the mode, for `explain`: `cameo.txt CODE` or `CLASS "word"`.
    pub fn reason(&self, cameo: &str) -> String {
        match &self.word {
            Some((class, w)) => format!("{} {w:?}", class.name()),
            None => format!("cameo.txt {cameo}"),
        }
    }
}

/// The mode class of a PLOVER type, if its mode can be refined from words.
fn mode_class(p: Plover) -> Option<WordClass> {
    Some(match p {
        Plover::Assault => WordClass::AssaultMode,
        Plover::Coerce => WordClass::CoerceMode,
        Plover::Protest => WordClass::ProtestMode,
        Plover::Consult => WordClass::ConsultMode,
        Plover::Mobilize => WordClass::MobilizeMode,
        _ => return None,
    })
}

/// Decides the mode and context of `ev`.
pub fn decide(
    words: &WordClasses,
    cameo: &CameoTable,
    s: &SentenceAnalysis,
    ev: &CodedEvent,
) -> ModeDecision {
    let row = cameo.get(&ev.cameo);
    let mut d = ModeDecision {
        mode: row.and_then(|r| r.mode.clone()),
        context: row.and_then(|r| r.context.clone()),
        word: None,
    };
    // Words refine only where the CAMEO code alone says nothing.
    let Some(class) = mode_class(ev.plover).filter(|_| d.mode.is_none()) else {
        return d;
    };
    // The words of the event: its trigger and the arguments of its predicate ("killed
    // in an air strike").
    let mut args: Vec<usize> = tokens_in(s, ev.trigger).collect();
    if let Some(p) = s.predicates.get(ev.predicate) {
        let phrases = [&p.subject, &p.object, &p.object2]
            .into_iter()
            .flatten()
            .chain(p.pps.iter().map(|(_, a)| a));
        for a in phrases {
            args.extend(arg_tokens(s, a));
        }
    }
    args.sort_unstable();
    args.dedup();
    let best = best_word(words, class, s, &args);
    if let Some((_, w)) = best {
        if let Some(m) = words.value(class, &w) {
            d.mode = Some(m.to_string());
            d.word = Some((class, w));
        }
    }
    d
}

/// The member of `class` among the lemmas of `toks` (single words, or two adjacent
/// words as "lemma lemma") listed first in the class.
fn best_word(
    words: &WordClasses,
    class: WordClass,
    s: &SentenceAnalysis,
    toks: &[usize],
) -> Option<(usize, String)> {
    let members = words.members(class);
    let rank = |m: &str| members.iter().position(|x| x == m).unwrap_or(usize::MAX);
    let mut best: Option<(usize, String)> = None;
    for &i in toks {
        let lemma = s.tokens[i].lemma.as_str();
        let pair = s
            .tokens
            .get(i + 1)
            .filter(|_| toks.contains(&(i + 1)))
            .map(|n| format!("{lemma} {}", n.lemma));
        for cand in pair.iter().map(String::as_str).chain([lemma]) {
            if words.has(class, cand) && best.as_ref().is_none_or(|(r, _)| rank(cand) < *r) {
                best = Some((rank(cand), cand.to_string()));
            }
        }
    }
    best
}
