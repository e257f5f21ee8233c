//! What the coder knows besides verb patterns and actor phrases: the closed word classes
//! of `dictionaries/classes/*.txt` (reporting verbs, pronouns, prepositions of place,
//! month names …) and the noun classes of `nouns.txt` that shape noun-phrase heads
//! (quantities, light heads, attack and device nouns, settlements …). Built once per
//! [`crate::Coder`] from the [`annalist_dict::Dictionaries`]; read by every stage.
use annalist_dict::{WordClass, WordClasses};
use rustc_hash::FxHashSet;

/// What the coder knows besides patterns and actors: the closed word classes
/// (`classes/*.txt`) and the noun classes that shape noun-phrase heads (`nouns.txt`).
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    /// Closed word classes: reporting verbs, pronouns, prepositions of place …
    pub words: WordClasses,
    /// "700 kg of medicine", "ten days of war games": the head is the "of" phrase's.
    pub quantity: FxHashSet<String>,
    /// "a mediation effort", "the peace process": the noun before counts as head too.
    pub light: FxHashSet<String>,
    /// Nouns that name events and things (every class noun): a phrase headed by one
    /// denotes no actor of its own ("a UN resolution").
    pub things: FxHashSet<String>,
    /// Nouns that name an event by themselves (classes of nouns.txt with a CAMEO code:
    /// "clashes", "talks", "a crackdown").
    pub event_nouns: FxHashSet<String>,
    /// Nouns that take a to-infinitive of their own ("demands to release").
    pub noun_complement: FxHashSet<String>,
    /// Attacks (classes ATTACK and AIRSTRIKE): "Saudi air strikes", "a Russian raid".
    pub attacks: FxHashSet<String>,
    /// Weapons of unattributed violence (class DEVICE): "a car bomb", "a blast".
    pub devices: FxHashSet<String>,
    /// Statement nouns (class STATEMENT_NOUN): "a statement urging …".
    pub statements: FxHashSet<String>,
    /// Definite descriptions that refer back (class ANAPHOR): "the country".
    pub anaphors: FxHashSet<String>,
    /// Anaphors that name a state ("the country's army"; class STATE_ANAPHOR).
    pub state_anaphors: FxHashSet<String>,
    /// Proposals, demands and offers (class PROPOSAL): what one party puts to another.
    pub proposals: FxHashSet<String>,
    /// Measures short of force (class SANCTION): "a ban", "sanctions", "tariffs".
    pub sanctions: FxHashSet<String>,
    /// Bodies of armed people (class TROOPS): "army units", "police officers" are the
    /// actor their modifier names, not things of it.
    pub troops: FxHashSet<String>,
    /// Settlement nouns (class SETTLEMENT): "the city of X" names the place X.
    pub settlements: FxHashSet<String>,
    /// Heads placing an event relative to their "of" phrase (class RELATIVE_PLACE):
    /// "on the outskirts of X".
    pub relative_places: FxHashSet<String>,
}

impl Knowledge {
    pub fn new(d: &annalist_dict::Dictionaries) -> Knowledge {
        let mut r = Knowledge {
            words: d.classes.clone(),
            ..Knowledge::default()
        };
        for c in &d.nouns {
            let set: FxHashSet<String> = c.nouns.iter().cloned().collect();
            if c.nominal.is_some() {
                r.event_nouns.extend(set.iter().cloned());
            }
            match c.name.as_str() {
                "QUANTITY" => r.quantity.extend(set),
                "LIGHT_HEAD" => r.light.extend(set),
                "NOUN_COMPLEMENT" => r.noun_complement.extend(set),
                "STATEMENT_NOUN" => r.statements.extend(set),
                "ANAPHOR" => r.anaphors.extend(set),
                "STATE_ANAPHOR" => r.state_anaphors.extend(set),
                "NOT_ACTOR" => {} // read by the actor matcher
                "SETTLEMENT" => r.settlements.extend(set),
                "RELATIVE_PLACE" => r.relative_places.extend(set),

                _ => {
                    match c.name.as_str() {
                        "ATTACK" | "AIRSTRIKE" => r.attacks.extend(set.iter().cloned()),
                        "DEVICE" => r.devices.extend(set.iter().cloned()),
                        "TROOPS" => r.troops.extend(set.iter().cloned()),
                        "PROPOSAL" => r.proposals.extend(set.iter().cloned()),
                        "SANCTION" => r.sanctions.extend(set.iter().cloned()),
                        _ => {}
                    }
                    r.things.extend(set)
                }
            }
        }
        r
    }

    /// Is `s` a member of the word class `c`?
    #[inline]
    pub fn is(&self, c: WordClass, s: &str) -> bool {
        self.words.has(c, s)
    }

    /// A reciprocal pronoun ("each other", "one another": RECIPROCAL_PRONOUN, members
    /// of two words) starts at token `i`.
    pub fn reciprocal_at(&self, toks: &[annalist_text::TaggedToken], i: usize) -> bool {
        // (Compared word by word: this runs on every noun phrase, and builds no string.)
        let Some([a, b]) = toks.get(i..i + 2) else {
            return false;
        };
        self.words
            .members(WordClass::ReciprocalPronoun)
            .iter()
            .any(|m| m.split_once(' ') == Some((a.lower.as_str(), b.lower.as_str())))
    }
}
