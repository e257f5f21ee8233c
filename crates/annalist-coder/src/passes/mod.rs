//! Stage 7b: the rule passes that complete a coded event after its pattern matched.
//! Input: a [`CodedEvent`] and the analysed sentence ([`PassContext`]); output: the
//! same event with a source ([`sources`]) or a target ([`targets`]) its pattern could
//! not find. Each pass is a table of named rules tried in order; the first that applies
//! says why (the reason `explain` prints), and the policies they implement are stated in
//! ARCHITECTURE.md ("Sources found by rule", "Targets found by rule").
use crate::clauses::{Arg, Predicate};
use crate::events::CodedEvent;
use crate::knowledge::Knowledge;
use annalist_text::{Chunk, TaggedToken};

pub mod sources;
pub mod targets;

/// The sentence a rule pass looks at.
#[derive(Clone, Copy)]
pub struct PassContext<'a> {
    pub kn: &'a Knowledge,
    pub preds: &'a [Predicate],
    pub chunks: &'a [Chunk],
    pub toks: &'a [TaggedToken],
}

impl PassContext<'_> {
    /// The predicate an event was coded from.
    pub fn predicate(&self, ev: &CodedEvent) -> &Predicate {
        &self.preds[ev.predicate]
    }

    /// An attack noun heads the argument ("Saudi air strikes"; classes ATTACK and
    /// AIRSTRIKE of nouns.txt).
    pub fn names_attack(&self, a: &Arg) -> bool {
        a.heads.iter().any(|h| self.kn.attacks.contains(h))
    }

    /// An event noun heads the argument ("clashes", "air strikes"; a class of nouns.txt
    /// with a CAMEO code).
    pub fn names_event(&self, a: &Arg) -> bool {
        a.heads.iter().any(|h| self.kn.event_nouns.contains(h))
    }

    /// A device noun heads the argument ("a car bomb"; class DEVICE).
    pub fn names_device(&self, a: &Arg) -> bool {
        a.heads.iter().any(|h| self.kn.devices.contains(h))
    }

    /// The argument names no one in particular ("any attack that targets its
    /// territory": its first word is a NONSPECIFIC_DETERMINER).
    pub fn nonspecific(&self, a: &Arg) -> bool {
        a.chunks.first().is_some_and(|&c| {
            let w = &self.toks[self.chunks[c].start].lower;
            self.kn
                .is(annalist_dict::WordClass::NonspecificDeterminer, w)
        })
    }
}

/// A named rule of a pass: it changes the event and says why, or leaves it alone.
pub type Rule = fn(&mut CodedEvent, &PassContext) -> Option<&'static str>;

/// Tries `rules` in order; the first that applies gives the reason.
pub fn run(
    rules: &[(&'static str, Rule)],
    ev: &mut CodedEvent,
    cx: &PassContext,
) -> Option<String> {
    rules
        .iter()
        .find_map(|(name, rule)| rule(ev, cx).map(|why| format!("{why} ({name})")))
}
