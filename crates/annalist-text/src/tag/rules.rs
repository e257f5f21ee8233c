//! The tagger's contextual rules, as two tables of named rules. Input: one token's
//! candidate tags (most likely first) and its context — the tags chosen so far to its
//! left, the first candidates to its right, and the clause state (has the clause its
//! finite verb yet?); output: the tag, and the rule's name as the token's `reason`.
//!
//! [`CHOICES`] are tried in order and the first that applies decides; [`REVISIONS`] are
//! then applied in order, each to the tag chosen so far. A rule is a small function of
//! a [`Ctx`]; its name (`rule:…`) is what `annalist explain` prints.
use super::{first_of, Tagger};
use annalist_dict::{LemmaPos, Tag, WordClass};

/// Which kind of ambiguity the candidates hold (first match in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ambiguity {
    /// One candidate, or a word with its own rule ("'s", "that").
    None,
    /// A noun and a verb reading ("strikes", "attack").
    NounVerb,
    /// Past tense or past participle ("killed").
    PastParticiple,
    /// An adjective or a past form ("wounded").
    AdjectivePast,
    /// Base form or present tense ("hold").
    BasePresent,
    /// Another ambiguity the general rules may settle.
    Other,
}

impl Ambiguity {
    pub(super) fn of(word: &str, c: &[Tag]) -> Ambiguity {
        let has = |t: Tag| c.contains(&t);
        if c.len() < 2 || word == "'s" || word == "that" {
            Ambiguity::None
        } else if c.iter().any(|t| t.is_verb()) && c.iter().any(|t| t.is_noun()) {
            Ambiguity::NounVerb
        } else if has(Tag::VBD) && has(Tag::VBN) {
            Ambiguity::PastParticiple
        } else if has(Tag::JJ) && (has(Tag::VBN) || has(Tag::VBD)) {
            Ambiguity::AdjectivePast
        } else if has(Tag::VBP) && has(Tag::VB) {
            Ambiguity::BasePresent
        } else {
            Ambiguity::Other
        }
    }
}

/// What a rule sees at token `i`.
pub(super) struct Ctx<'a> {
    pub i: usize,
    pub n: usize,
    /// The token, lower case.
    pub word: &'a str,
    /// Its candidate tags, most likely first.
    pub cands: &'a [Tag],
    /// Every token's tag: chosen for tokens before `i`, first candidate after.
    pub tags: &'a [Tag],
    pub lowers: &'a [String],
    /// The index looked back from: `i`, or the "(" of a parenthesis that ends at `i - 1`.
    pub pi: usize,
    pub prev: Option<Tag>,
    pub prev_w: &'a str,
    /// The word and tag before `i`, skipping adverbs (an auxiliary's place).
    pub aux_w: &'a str,
    pub aux_t: Option<Tag>,
    /// The next token's first candidate, word and candidates.
    pub next: Option<Tag>,
    pub next_w: &'a str,
    pub next_cands: Option<&'a [Tag]>,
    /// Every token's candidate tags.
    pub all_cands: &'a super::Cands,
    /// The clause already has its finite verb.
    pub finite_seen: bool,
    /// … since the last comma.
    pub finite_since_comma: bool,
    /// A past form chosen as the clause's verb that may yet be a reduced relative.
    pub tentative_past: Option<usize>,
    pub ambiguity: Ambiguity,
    pub tagger: &'a Tagger,
}

impl Ctx<'_> {
    fn has(&self, t: Tag) -> bool {
        self.cands.contains(&t)
    }

    fn first(&self, f: impl Fn(&Tag) -> bool) -> Tag {
        first_of(self.cands, f)
    }

    fn prev_is(&self, f: impl Fn(Tag) -> bool) -> bool {
        self.prev.is_some_and(f)
    }

    fn next_is(&self, f: impl Fn(Tag) -> bool) -> bool {
        self.next.is_some_and(f)
    }

    fn is(&self, class: WordClass, w: &str) -> bool {
        self.tagger.classes.has(class, w)
    }

    /// A determiner, possessive, number or adjective (or a preposition) before: the
    /// word heads a noun phrase.
    fn after_modifier(&self) -> bool {
        self.prev_is(|t| {
            matches!(
                t,
                Tag::DT | Tag::PRPS | Tag::POS | Tag::CD | Tag::WPS | Tag::PDT
            ) || t.is_adjective()
        }) || (self.prev == Some(Tag::IN) && self.prev_w != "that")
    }

    /// A pronoun or noun before (not an object pronoun): a subject.
    fn subject_before(&self) -> bool {
        self.prev_is(|t| {
            matches!(
                t,
                Tag::PRP | Tag::WP | Tag::WDT | Tag::NNS | Tag::NNPS | Tag::NN | Tag::NNP | Tag::EX
            )
        }) && !self.is(WordClass::ObjectPronoun, self.prev_w)
    }

    /// The next token can start a verb's object or complement.
    fn next_starts_np(&self) -> bool {
        self.next_is(|t| {
            matches!(
                t,
                Tag::DT
                    | Tag::PRPS
                    | Tag::NNP
                    | Tag::NNPS
                    | Tag::CD
                    | Tag::PRP
                    | Tag::TO
                    | Tag::JJ
                    | Tag::IN
                    | Tag::RB
                    | Tag::RP
            )
        }) || self.next_w == "that"
    }

    /// The next token can only be a verb.
    fn next_is_verb(&self) -> bool {
        self.next_is(|t| t.is_verb() || t == Tag::MD)
            && !self
                .next_cands
                .is_some_and(|c| c.iter().any(|t| t.is_noun()))
    }

    fn next_first(&self, f: impl Fn(Tag) -> bool) -> bool {
        self.next_cands.is_some_and(|c| f(c[0]))
    }
}

/// What a rule does besides choosing the tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Effect {
    None,
    /// The tentative past form before was a reduced relative: it becomes VBN.
    UndoReducedRelative,
    /// This past form may yet turn out to be a reduced relative.
    MaybeReducedRelative,
}

/// A named contextual rule: given the context and the tag chosen so far, the new tag.
pub(super) struct Rule {
    pub name: &'static str,
    pub apply: fn(&Ctx, Tag) -> Option<Tag>,
    pub effect: Effect,
}

const fn rule(name: &'static str, apply: fn(&Ctx, Tag) -> Option<Tag>) -> Rule {
    Rule {
        name,
        apply,
        effect: Effect::None,
    }
}

/// The reason of the rule that re-tags a reduced relative.
pub(super) const REDUCED_RELATIVE: &str = "rule:reduced-relative";
/// The reason of the rule whose verb follows a reduced relative.
pub(super) const MAIN_VERB_AFTER_REDUCED_RELATIVE: &str = "rule:main-verb-after-reduced-relative";

/// Rules that choose among the candidates; the first that applies decides.
pub(super) const CHOICES: &[Rule] = &[
    rule("rule:is-contraction", is_contraction),
    rule("rule:plural-possessive", plural_possessive),
    rule("rule:that-determiner", that_determiner),
    rule("rule:that-relative", that_relative),
    rule(
        "rule:noun-after-prepositional-to",
        noun_after_prepositional_to,
    ),
    rule("rule:base-after-to-or-modal", base_after_to_or_modal),
    rule("rule:base-after-negated-aux", base_after_negated_aux),
    rule("rule:participle-after-have", participle_after_have),
    rule("rule:participle-after-be", participle_after_be),
    rule("rule:gerund-with-object", gerund_with_object),
    rule("rule:gerund-after-comma", gerund_after_comma),
    rule("rule:gerund-after-preposition", gerund_after_preposition),
    rule("rule:gerund-as-subject", gerund_as_subject),
    rule("rule:noun-before-infinitive", noun_before_infinitive),
    rule("rule:noun-before-finite-verb", noun_before_finite_verb),
    rule("rule:sole-verb-after-subject", sole_verb_after_subject),
    rule(
        "rule:verb-after-subordinated-name",
        verb_after_subordinated_name,
    ),
    rule("rule:noun-after-modifier", noun_after_modifier),
    rule("rule:noun-after-counted-names", noun_after_counted_names),
    rule("rule:noun-closing-object", noun_closing_object),
    rule("rule:noun-compound", noun_compound),
    rule("rule:noun-before-verb", noun_before_verb),
    rule("rule:noun-at-clause-start", noun_at_clause_start),
    rule("rule:verb-after-parenthesis", verb_after_parenthesis),
    rule("rule:verb-after-subject", verb_after_subject),
    rule("rule:verb-after-pronoun", verb_after_pronoun),
    rule("rule:coordinated-verb", coordinated_verb),
    rule("rule:noun-after-finite-verb", noun_after_finite_verb),
    rule("rule:noun-after-verb", noun_after_verb),
    rule("rule:coordinated-past", coordinated_past),
    rule(
        "rule:verb-after-relative-clause",
        verb_after_relative_clause,
    ),
    rule("rule:attribution-past", attribution_past),
    Rule {
        name: MAIN_VERB_AFTER_REDUCED_RELATIVE,
        apply: main_verb_after_reduced_relative,
        effect: Effect::UndoReducedRelative,
    },
    rule("rule:participle-after-finite", participle_after_finite),
    Rule {
        name: "rule:past-as-first-verb",
        apply: past_as_first_verb,
        effect: Effect::MaybeReducedRelative,
    },
    rule("rule:adjective-before-noun", adjective_before_noun),
    rule("rule:past-after-subject", past_after_subject),
    rule("rule:present-after-plural", present_after_plural),
];

/// Rules applied in order after the choice, each to the tag chosen so far.
pub(super) const REVISIONS: &[Rule] = &[
    rule("rule:about-to", about_to),
    rule("rule:adjectival-participle", adjectival_participle),
    rule("rule:adverb-before-participle", adverb_before_participle),
    rule("rule:participle-as-adjective", participle_as_adjective),
    rule("rule:participle-as-attribute", participle_as_attribute),
    rule("rule:noun-closing-phrase", noun_closing_phrase),
    rule("rule:capitalised-adjective", capitalised_adjective),
];

/// "Nigerian soldiers", "Ugandan and Rwandan officers", "Sunni clerics": a capitalised
/// word the lexicon knows both as a name and as an adjective, or only as a capitalised
/// adjective ("Kuwaiti JJ"), before a common noun (or coordinated with such an adjective
/// before one), is the adjective (EWT tags such words JJ 494 times and NNP 39 times
/// before a lower-case noun). Before a name ("the Iraqi National Congress") it stays
/// the model's.
fn capitalised_adjective(x: &Ctx, _: Tag) -> Option<Tag> {
    if !x.has(Tag::JJ) {
        return None;
    }
    let common = |j: usize| {
        x.all_cands
            .get(j)
            .and_then(|c| c.first())
            .is_some_and(|t| matches!(t, Tag::NN | Tag::NNS))
    };
    let adjective = |j: usize| x.all_cands.get(j).is_some_and(|c| c.contains(&Tag::JJ));
    let coordinated =
        matches!(x.next_w, "and" | "or" | ",") && adjective(x.i + 2) && common(x.i + 3);
    // (A lexicon entry with both readings is a capitalised form: "Nigerian JJ NNP"; so is
    // an adjective the lexicon knows capitalised and not in lower case. The lexicon is
    // asked last: only before a common noun.)
    ((common(x.i + 1) || coordinated) && (x.has(Tag::NNP) || capitalised_entry(x)))
        .then_some(Tag::JJ)
}

/// The lexicon knows the word only capitalised ("Kuwaiti JJ"; not "kuwaiti").
fn capitalised_entry(x: &Ctx) -> bool {
    let w = x.word.as_bytes();
    if w.is_empty() || w.len() > 32 || !w[0].is_ascii_lowercase() {
        return false;
    }
    let mut buf = [0u8; 32];
    buf[..w.len()].copy_from_slice(w);
    buf[0] = buf[0].to_ascii_uppercase();
    let lex = &x.tagger.lexicon;
    std::str::from_utf8(&buf[..w.len()]).is_ok_and(|cap| {
        lex.tags(x.word).is_none() && lex.tags(cap).is_some_and(|t| t.contains(&Tag::JJ))
    })
}

/// "launched a ground offensive in Rafah", "the official in charge": a word that may be
/// an adjective or a noun, closing a noun phrase (after its determiner, adjective or
/// noun, before no noun or adjective), is the noun.
fn noun_closing_phrase(x: &Ctx, chosen: Tag) -> Option<Tag> {
    (chosen == Tag::JJ
        && x.has(Tag::NN)
        && x.prev_is(|t| {
            matches!(
                t,
                Tag::DT | Tag::JJ | Tag::NN | Tag::NNP | Tag::PRPS | Tag::POS
            )
        })
        && !x.next_is(|t| t.is_noun() || t.is_adjective() || t == Tag::CD))
    .then_some(Tag::NN)
}

// ---- words with their own rule

/// "it's", "he's", "there's": "is", not the possessive.
fn is_contraction(x: &Ctx, _: Tag) -> Option<Tag> {
    (x.word == "'s" && x.is(WordClass::IsContractionHost, x.prev_w)).then_some(Tag::VBZ)
}

/// "accepted that proposal": before a singular common noun ("that forces" is a clause:
/// the determiner of plurals is "those"), after a preposition or a verb (not
/// a reporting verb: "said that army units began" opens the reported clause).
fn that_determiner(x: &Ctx, _: Tag) -> Option<Tag> {
    (x.word == "that"
        && x.next_is(|t| t == Tag::NN)
        && x.prev_is(|t| t == Tag::IN || t.is_verb())
        && !x.tagger.is_speech_form(x.prev_w)
        && x.next_cands.is_some_and(|c| c.iter().all(|t| !t.is_verb())))
    .then_some(Tag::DT)
}

/// "the town that fell": after a noun and before a verb, a relative pronoun.
fn that_relative(x: &Ctx, _: Tag) -> Option<Tag> {
    (x.word == "that" && x.prev_is(Tag::is_noun) && x.next_is(|t| t.is_verb() || t == Tag::MD))
        .then_some(Tag::WDT)
}

// ---- any ambiguity

/// A finite verb form or a modal.
fn finite(t: &Tag) -> bool {
    matches!(t, Tag::VBD | Tag::VBZ | Tag::VBP | Tag::MD)
}

fn ambiguous(x: &Ctx) -> bool {
    x.ambiguity != Ambiguity::None
}

/// "bowed to pressure", "yielded to demands": after a verb whose "to" introduces a
/// noun phrase (PREPOSITIONAL_TO_VERB), a word with a noun reading is the noun, unless
/// a determiner follows it.
fn noun_after_prepositional_to(x: &Ctx, _: Tag) -> Option<Tag> {
    if !(x.prev_w == "to" && x.i >= 2 && x.cands.iter().any(|t| t.is_noun())) {
        return None;
    }
    // ("summoned the ambassador to protest the expulsion": a base form before a
    // determiner is an infinitive with its object, not the noun.)
    if x.has(Tag::VB) && x.next_is(|t| matches!(t, Tag::DT | Tag::PRPS)) {
        return None;
    }
    // ("caved in to demands": back over a particle.)
    let mut v = x.i - 2;
    if v > 0 && x.is(WordClass::VerbParticle, &x.lowers[v]) {
        v -= 1;
    }
    let verb = &x.lowers[v];
    let lemma = x.tagger.lemma(verb, Tag::VBD);
    // "set fire to police stations", "damage to power lines": a noun's "to".
    let noun = x.i - 2;
    let after_noun = x.tags[noun].is_noun()
        && x.is(
            WordClass::PrepositionalToNoun,
            &x.tagger.lemma(&x.lowers[noun], x.tags[noun]),
        );
    (after_noun
        || x.is(WordClass::PrepositionalToVerb, &lemma)
        || x.is(WordClass::PrepositionalToVerb, verb))
    .then(|| x.first(|t| t.is_noun()))
}

/// "to attack", "will attack".
fn base_after_to_or_modal(x: &Ctx, _: Tag) -> Option<Tag> {
    (ambiguous(x) && matches!(x.aux_t, Some(Tag::TO) | Some(Tag::MD)) && x.has(Tag::VB))
        .then_some(Tag::VB)
}

/// "did not attack", "won't sign".
fn base_after_negated_aux(x: &Ctx, _: Tag) -> Option<Tag> {
    (ambiguous(x)
        && (x.prev_w == "n't" || x.prev_w == "not")
        && x.has(Tag::VB)
        && x.i >= 2
        && x.is(WordClass::NegatedAux, &x.lowers[x.i - 2]))
    .then_some(Tag::VB)
}

/// "had agreed".
fn participle_after_have(x: &Ctx, _: Tag) -> Option<Tag> {
    (ambiguous(x) && x.is(WordClass::HaveForm, x.aux_w) && x.has(Tag::VBN)).then_some(Tag::VBN)
}

/// "was killed", "were fleeing"; "is open" stays an adjective.
fn participle_after_be(x: &Ctx, _: Tag) -> Option<Tag> {
    if !(ambiguous(x)
        && x.is(WordClass::BeForm, x.aux_w)
        && x.aux_t.is_some_and(Tag::is_verb)
        && (x.has(Tag::VBN) || x.has(Tag::VBG)))
    {
        return None;
    }
    Some(if x.has(Tag::VBN) {
        Tag::VBN
    } else if x.has(Tag::JJ) {
        Tag::JJ
    } else {
        Tag::VBG
    })
}

/// "denied bombing a hospital", "began shelling the town": a gerund with its object.
fn gerund_with_object(x: &Ctx, _: Tag) -> Option<Tag> {
    (ambiguous(x)
        && x.has(Tag::VBG)
        && x.prev_is(Tag::is_verb)
        && x.next_is(|t| {
            matches!(
                t,
                Tag::DT | Tag::PRPS | Tag::CD | Tag::NNP | Tag::NNPS | Tag::JJ
            )
        }))
    .then_some(Tag::VBG)
}

/// "shelled the port, damaging two ships", "fired on the crowd, killing three": after a
/// comma, an -ing form with a determiner, possessive, number or name after it opens a
/// participle clause.
fn gerund_after_comma(x: &Ctx, _: Tag) -> Option<Tag> {
    // "…, damaging ships of Turkey": after a clause with its verb, also before a bare
    // noun (not an adjectival -ing such as "leading").
    let bare_object = x.finite_seen
        && !x.is(WordClass::AdjectivalIng, x.word)
        && x.next_is(|t| matches!(t, Tag::NN | Tag::NNS));
    (x.has(Tag::VBG)
        && x.prev_w == ","
        && (bare_object
            || x.next_is(|t| matches!(t, Tag::DT | Tag::PRPS | Tag::CD | Tag::NNP | Tag::NNPS))))
    .then_some(Tag::VBG)
}

/// "responsibility for hijacking Jaffar Express", "accused of shelling Kharkiv": after a
/// preposition, an -ing form followed by a name or a determiner is a gerund with its
/// object (not an adjectival -ing such as "leading", not before a weekday).
fn gerund_after_preposition(x: &Ctx, _: Tag) -> Option<Tag> {
    (x.has(Tag::VBG)
        && x.prev == Some(Tag::IN)
        && !x.is(WordClass::AdjectivalIng, x.word)
        && !x.is(WordClass::TimeWord, x.next_w)
        && x.next_is(|t| {
            matches!(
                t,
                Tag::DT | Tag::PRPS | Tag::CD | Tag::NNP | Tag::NNPS | Tag::JJ
            )
        }))
    .then_some(Tag::VBG)
}

// ---- noun or verb

fn noun_verb(x: &Ctx) -> bool {
    x.ambiguity == Ambiguity::NounVerb
}

/// "Israeli strikes", "the attack", "its plans".
fn noun_after_modifier(x: &Ctx, _: Tag) -> Option<Tag> {
    // "after meeting the envoy": an -ing form after a preposition with a determiner
    // after it is a gerund with its object, not a noun; so is one with an infinitive
    // after it ("of planning to attack") or a particle ("of shooting down a drone").
    let gerund = x.has(Tag::VBG)
        && x.prev == Some(Tag::IN)
        && (x.next_is(|t| matches!(t, Tag::DT | Tag::PRPS | Tag::CD | Tag::TO))
            || x.is(WordClass::ParticleNotPreposition, x.next_w));
    // ("a police post": a noun that modifies the next one is singular, where the
    // lexicon allows it; "riot police have beaten": the head takes its first reading.)
    let modifier = x.has(Tag::NN) && x.next_first(|t| matches!(t, Tag::NN | Tag::NNS));
    // ("the ruling party", "a leading role": before a noun, a word the lexicon also
    // knows as an adjective or a participle is left to the model.)
    let attribute = (x.has(Tag::JJ) || x.has(Tag::VBG)) && x.next_first(Tag::is_noun);
    (noun_verb(x) && x.after_modifier() && !gerund && !attribute).then(|| {
        if modifier {
            Tag::NN
        } else {
            x.first(|t| t.is_noun())
        }
    })
}

/// "50 Islamic State suspects", "two Hamas fighters": after a number and the names that
/// modify what it counts (an adjective may open the name: "Islamic"), a word that may
/// be a noun is the counted noun.
fn noun_after_counted_names(x: &Ctx, _: Tag) -> Option<Tag> {
    if !noun_verb(x) {
        return None;
    }
    let mut j = x.pi;
    let mut names = false;
    while j > 0
        && (matches!(x.tags[j - 1], Tag::NNP | Tag::NNPS)
            || (x.tags[j - 1] == Tag::JJ && x.tags[j] == Tag::NNP))
    {
        names |= x.tags[j - 1] != Tag::JJ;
        j -= 1;
    }
    (names && j > 0 && x.tags[j - 1] == Tag::CD).then(|| x.first(|t| t.is_noun()))
}

/// "withdrew the foreign agents bill after …": in the object of a finite verb that does
/// not report speech, a word that may be a noun after a plural noun and before a
/// preposition or the end (so with no object of its own) closes the noun phrase.
fn noun_closing_object(x: &Ctx, _: Tag) -> Option<Tag> {
    let open_next = x
        .next
        .is_none_or(|t| matches!(t, Tag::IN | Tag::TO | Tag::COMMA | Tag::PUNCT | Tag::COLON));
    if !(noun_verb(x) && x.prev == Some(Tag::NNS) && open_next) {
        return None;
    }
    let mut j = x.pi;
    while j > 0 && (x.tags[j - 1].is_noun() || x.tags[j - 1].is_adjective()) {
        j -= 1;
    }
    if !(j >= 2 && matches!(x.tags[j - 1], Tag::DT | Tag::PRPS)) {
        return None;
    }
    let (vt, vw) = (x.tags[j - 2], &x.lowers[j - 2]);
    let lemma = x.tagger.lexicon.lemma(vw, LemmaPos::Verb).unwrap_or(vw);
    let reports = x.is(WordClass::SpeechVerb, lemma) || x.is(WordClass::ReportingVerb, lemma);
    (matches!(vt, Tag::VBD | Tag::VBZ | Tag::VBP) && !reports).then(|| x.first(|t| t.is_noun()))
}

/// "a phone call", "the peace deal": after a singular noun in a noun phrase a base form
/// cannot be the verb (no agreement).
fn noun_compound(x: &Ctx, _: Tag) -> Option<Tag> {
    (noun_verb(x)
        && x.prev == Some(Tag::NN)
        && x.has(Tag::NN)
        && !x.has(Tag::VBZ)
        && !x.has(Tag::VBD)
        && x.pi >= 2
        && matches!(x.tags[x.pi - 2], Tag::DT | Tag::PRPS | Tag::JJ | Tag::POS))
    .then_some(Tag::NN)
}

/// "Fighting in the north continued", "Shelling of the port resumed": an -ing form
/// opening the sentence, with a noun reading, followed by a preposition and then by a
/// finite verb before any comma, is the subject noun ("Speaking at the summit, the
/// minister said" opens a participle clause: a comma comes first).
fn gerund_as_subject(x: &Ctx, _: Tag) -> Option<Tag> {
    if !(x.prev.is_none() && x.has(Tag::VBG) && x.has(Tag::NN) && x.next == Some(Tag::IN)) {
        return None;
    }
    // ("Fighting between A and B spread to …": a word after a noun that may be a
    // finite verb counts.)
    let may_be_finite = |j: usize| x.tags[j - 1].is_noun() && x.all_cands[j].iter().any(finite);
    (x.i + 1..x.n)
        .find(|&j| x.lowers[j] == "," || finite(&x.tags[j]) || may_be_finite(j))
        .is_some_and(|j| x.lowers[j] != ",")
        .then_some(Tag::NN)
}

/// "The unrest spread to other cities": a word with a noun and a past reading after
/// the subject, before a preposition or determiner, in a clause where nothing after it
/// can be a finite verb, is the clause's verb; so is a base form after "that" and a
/// one-word subject ("demanded that Kabul act against …", the subjunctive).
fn sole_verb_after_subject(x: &Ctx, _: Tag) -> Option<Tag> {
    let subjunctive = x.i >= 2 && x.lowers[x.i - 2] == "that" && x.has(Tag::VB);
    // "Chad hosts more than a million refugees", "Chad hosts hundreds of …": a present
    // after a name.
    let present = x.has(Tag::VBZ) && x.prev == Some(Tag::NNP);
    if !(noun_verb(x)
        && (x.has(Tag::VBD) || subjunctive || present)
        && x.subject_before()
        && !x.finite_seen
        && (x.next_is(|t| matches!(t, Tag::IN | Tag::TO | Tag::DT | Tag::PRPS))
            || (present && x.next_is(|t| matches!(t, Tag::JJR | Tag::CD | Tag::RB | Tag::NNS)))
            // ("Ukraine shot down 30 drones": a particle before the object.)
            || (x.is(WordClass::ParticleNotPreposition, x.next_w)
                && x.all_cands.get(x.i + 2).and_then(|c| c.first()).is_some_and(|t| {
                    matches!(t, Tag::CD | Tag::DT | Tag::PRPS | Tag::JJ) || t.is_noun()
                }))
            || (x.next_w == "dead" && x.i + 2 < x.n)))
    {
        return None;
    }
    (!verb_before_comma(x)).then_some(if x.has(Tag::VBD) {
        Tag::VBD
    } else if subjunctive {
        Tag::VB
    } else {
        Tag::VBZ
    })
}

/// "will retaliate if Israel strikes, …", "unless Hamas attacks again": a clause's
/// name subject right after a subordinator (CLAUSE_SUBORDINATOR) is followed by that
/// clause's verb, when no other verb comes before the next comma.
fn verb_after_subordinated_name(x: &Ctx, _: Tag) -> Option<Tag> {
    let opened = x.pi >= 2
        && x.prev == Some(Tag::NNP)
        && x.is(WordClass::ClauseSubordinator, &x.lowers[x.pi - 2]);
    let closes = x.next.is_none_or(|t| {
        matches!(
            t,
            Tag::COMMA | Tag::PUNCT | Tag::DT | Tag::PRPS | Tag::RB | Tag::IN
        )
    });
    if !(noun_verb(x) && opened && closes && (x.has(Tag::VBZ) || x.has(Tag::VBD))) {
        return None;
    }
    (!verb_before_comma(x)).then_some(if x.has(Tag::VBZ) { Tag::VBZ } else { Tag::VBD })
}

/// Another verb or modal comes after `x` before the next comma or semicolon. (A past
/// form right before "by" is no other verb: "shot down 31 of the drones launched by
/// Russia" has one; nor is an infinitive.)
fn verb_before_comma(x: &Ctx) -> bool {
    (x.i + 1..x.n)
        .take_while(|&j| x.lowers[j] != "," && x.lowers[j] != ";")
        .any(|j| {
            let passive = matches!(x.tags[j], Tag::VBD | Tag::VBN)
                && x.lowers.get(j + 1).is_some_and(|w| w == "by");
            // ("Tanzania plans to expel …": an infinitive is no verb of the clause.)
            let infinitive = x.tags[j] == Tag::VB && x.lowers[j - 1] == "to";
            (x.tags[j].is_verb() || x.tags[j] == Tag::MD) && !passive && !infinitive
        })
}

/// "Tanzania plans to expel refugees were shelved", "Kenya's bids to host talks have
/// failed": a word that may be a plural noun or a present, after a noun and before
/// "to", is the noun when the clause's verb comes after the infinitive's phrase: a
/// word that can only be a finite verb ("were", "has"), before any comma, conjunction
/// or relative word.
fn noun_before_infinitive(x: &Ctx, _: Tag) -> Option<Tag> {
    if !(x.has(Tag::NNS)
        && x.has(Tag::VBZ)
        && x.next_w == "to"
        && x.prev_is(Tag::is_noun)
        && !x.finite_seen)
    {
        return None;
    }
    let boundary = |t: &Tag| matches!(t, Tag::CC | Tag::COMMA | Tag::COLON | Tag::WDT | Tag::WP);
    for c in (x.i + 3..x.n).filter_map(|j| x.all_cands.get(j)) {
        if c.iter().any(boundary) {
            return None;
        }
        if c.iter().all(finite) {
            return Some(Tag::NNS);
        }
    }
    None
}

/// "the United Nations’ envoy", "the rebels' demands": a lone apostrophe after a plural
/// noun, before the possessed noun phrase, with no single quote opened before it, is the
/// possessive.
fn plural_possessive(x: &Ctx, _: Tag) -> Option<Tag> {
    let apostrophe = |w: &str| matches!(w, "’" | "'");
    if !(apostrophe(x.word) && x.i > 0 && x.lowers[x.i - 1].ends_with('s')) {
        return None;
    }
    let plural = x.prev_is(|t| matches!(t, Tag::NNS | Tag::NNPS | Tag::NNP));
    let opened = x.lowers[..x.i - 1]
        .iter()
        .any(|w| w == "‘" || apostrophe(w));
    let possessed = x.next_first(|t| {
        t.is_noun() || t.is_adjective() || matches!(t, Tag::CD | Tag::VBG | Tag::VBN)
    });
    (plural && possessed && !opened).then_some(Tag::POS)
}

/// "clashes once again broke out", "the talks were": a word that may be a noun or a
/// verb, before a word (adverbs may come between) that can only be a finite verb, is the
/// noun: two finite verbs do not follow each other.
fn noun_before_finite_verb(x: &Ctx, _: Tag) -> Option<Tag> {
    // ("Mine does": a pronoun reading is left to the model.)
    if !noun_verb(x) || x.has(Tag::PRP) {
        return None;
    }
    let next = (x.i + 1..x.n)
        .filter_map(|j| x.all_cands.get(j))
        .find(|c| !c.iter().all(|t| t.is_adverb()))?;
    next.iter().all(finite).then(|| x.first(|t| t.is_noun()))
}

/// "the strikes killed": a verb follows.
fn noun_before_verb(x: &Ctx, _: Tag) -> Option<Tag> {
    (noun_verb(x) && x.next_is_verb()).then(|| x.first(|t| t.is_noun()))
}

/// "Strikes continued", "…, attacks on …".
fn noun_at_clause_start(x: &Ctx, _: Tag) -> Option<Tag> {
    let start = x.prev.is_none()
        || (x.prev_is(|t| {
            matches!(
                t,
                Tag::COMMA | Tag::LQUOTE | Tag::QUOTE | Tag::CC | Tag::COLON
            )
        }) && !x.finite_seen);
    (noun_verb(x) && start).then(|| x.first(|t| t.is_noun()))
}

/// "Russia strikes Ukraine": between a subject and an object, the clause's verb.
fn verb_after_subject(x: &Ctx, _: Tag) -> Option<Tag> {
    if !(noun_verb(x) && x.subject_before() && !x.finite_seen && x.next_starts_np()) {
        return None;
    }
    let finite = x.first(|t| t.is_verb() && *t != Tag::VB && *t != Tag::VBN && *t != Tag::VBG);
    Some(if finite.is_verb() {
        finite
    } else {
        x.first(|t| t.is_verb())
    })
}

/// "The army (KDF) plans to …": after a subject and its parenthesis, the verb.
fn verb_after_parenthesis(x: &Ctx, t: Tag) -> Option<Tag> {
    if x.pi == x.i {
        return None;
    }
    verb_after_subject(x, t)
}

/// "they attack", "which plans".
fn verb_after_pronoun(x: &Ctx, _: Tag) -> Option<Tag> {
    (noun_verb(x)
        && x.subject_before()
        && !x.finite_seen
        && matches!(x.prev, Some(Tag::PRP) | Some(Tag::WP) | Some(Tag::WDT)))
    .then(|| x.first(|t| t.is_verb()))
}

/// "… and plans to": a second verb of the clause.
fn coordinated_verb(x: &Ctx, _: Tag) -> Option<Tag> {
    (noun_verb(x) && x.prev == Some(Tag::CC) && x.finite_seen && x.next_starts_np())
        .then(|| x.first(|t| matches!(t, Tag::VBD | Tag::VBZ | Tag::VBP)))
}

/// "stopped work", "resumed talks": right after a finite verb that takes no bare
/// infinitive (unlike "help rebuild", "let go"), a noun, not a base form.
fn noun_after_finite_verb(x: &Ctx, _: Tag) -> Option<Tag> {
    if !(noun_verb(x) && x.prev_is(|t| matches!(t, Tag::VBD | Tag::VBZ | Tag::VBP))) {
        return None;
    }
    let verb = x
        .tagger
        .lexicon
        .lemma(x.prev_w, LemmaPos::Verb)
        .unwrap_or(x.prev_w);
    if x.is(WordClass::BareInfinitiveVerb, verb) {
        return None;
    }
    // ("began shelling positions": after a GERUND_VERB an -ing form before a noun phrase
    // is its gerund.)
    let object = x
        .next_is(|t| t.is_noun() || t.is_adjective() || matches!(t, Tag::DT | Tag::PRPS | Tag::CD));
    Some(
        if x.has(Tag::VBG) && x.is(WordClass::GerundVerb, verb) && object {
            Tag::VBG
        } else {
            x.first(|t| t.is_noun())
        },
    )
}

/// "launched attacks": once the clause has its verb.
fn noun_after_verb(x: &Ctx, _: Tag) -> Option<Tag> {
    (noun_verb(x) && (x.finite_seen || x.prev_is(Tag::is_verb))).then(|| x.first(|t| t.is_noun()))
}

// ---- past or participle: the clause's first verb after its subject is past; after a
// finite verb it is a participle (reduced relative or passive), unless coordinated.

fn past_participle(x: &Ctx) -> bool {
    x.ambiguity == Ambiguity::PastParticiple
}

/// "The group, which has broken away from the rebels, handed over …", "Senegal's
/// president, who won the election, pardoned …": a past form right after the comma that
/// closes a relative clause set off by commas after the subject, while the main clause
/// has no verb yet, is the main clause's verb.
fn verb_after_relative_clause(x: &Ctx, _: Tag) -> Option<Tag> {
    if !(past_participle(x) && x.i >= 4 && x.lowers[x.i - 1] == ",") {
        return None;
    }
    let close = x.i - 1;
    let open = (0..close).rev().find(|&k| x.lowers[k] == ",")?;
    let relative = open >= 1
        && matches!(x.tags[open + 1], Tag::WDT | Tag::WP)
        && x.tags[open - 1].is_noun()
        && x.tags[open + 2..close].iter().any(finite);
    (relative && !x.tags[..open].iter().any(finite)).then_some(Tag::VBD)
}

/// "donated and (personally) delivered".
fn coordinated_past(x: &Ctx, _: Tag) -> Option<Tag> {
    (past_participle(x) && (x.prev == Some(Tag::CC) || x.aux_t == Some(Tag::CC)) && x.finite_seen)
        .then(|| {
            // "were arrested and (later) deported by police": a participle coordinated
            // with a passive one shares its auxiliary.
            if coordinated_with_passive(x) || coordinated_under_auxiliary(x) {
                Tag::VBN
            } else {
                Tag::VBD
            }
        })
}

/// The conjunction before `x` (adverbs skipped) follows a passive participle: a VBN
/// whose auxiliary (adverbs skipped) is a form of "be".
fn coordinated_with_passive(x: &Ctx) -> bool {
    let adverb = |j: usize| matches!(x.tags[j], Tag::RB | Tag::RBR | Tag::RBS);
    let back = |mut j: usize| {
        while j > 0 && adverb(j - 1) {
            j -= 1;
        }
        j.checked_sub(1)
    };
    let Some(cc) = back(x.i).filter(|&c| x.tags[c] == Tag::CC) else {
        return false;
    };
    let Some(part) = back(cc).filter(|&v| x.tags[v] == Tag::VBN) else {
        return false;
    };
    back(part)
        .is_some_and(|a| x.tags[a].is_verb() && x.tagger.lemma(&x.lowers[a], x.tags[a]) == "be")
}

/// The verb before the conjunction has an auxiliary that the past form shares: a modal
/// or "have" ("has seized the town and killed …", "will be tried and sentenced"), or
/// "be" when no object follows ("is correct and promptly delivered"; "were driven out
/// and seized the town" keeps its past tense).
fn coordinated_under_auxiliary(x: &Ctx) -> bool {
    let Some(v) = (0..x.i)
        .rev()
        .find(|&j| x.tags[j].is_verb() || matches!(x.tags[j], Tag::MD | Tag::WDT | Tag::WP))
    else {
        return false;
    };
    let mut aux = v;
    if x.tags[v] == Tag::VBN {
        let mut k = v;
        while k > 0 && x.tags[k - 1] == Tag::RB {
            k -= 1;
        }
        match k.checked_sub(1) {
            Some(a) => aux = a,
            None => return false,
        }
    }
    let w = x.lowers[aux].as_str();
    x.tags[aux] == Tag::MD
        || x.is(WordClass::HaveForm, w)
        || (x.is(WordClass::BeForm, w) && !x.next_starts_np())
}

/// ", diplomatic sources said on Wednesday": a new clause's verb.
fn attribution_past(x: &Ctx, _: Tag) -> Option<Tag> {
    (past_participle(x)
        && !x.finite_since_comma
        && x.prev_is(|t| t.is_noun() || t == Tag::PRP)
        && x.finite_seen
        && (x.i + 1 == x.n
            || matches!(x.next, Some(Tag::PUNCT) | Some(Tag::COMMA) | Some(Tag::IN))
            || x.next_w == "that"
            || x.is(WordClass::TimeWord, x.next_w)))
    .then_some(Tag::VBD)
}

/// "workers affiliated with the union stopped work": the first past form, followed by
/// its preposition, was a reduced relative; the main verb is this one, with its object.
fn main_verb_after_reduced_relative(x: &Ctx, _: Tag) -> Option<Tag> {
    // "Gabon expelled on Thursday three diplomats accused of spying": a day named
    // right after the first past form, then a noun phrase, makes that form the verb
    // with a time phrase before its object.
    let dated = x.tentative_past.is_some_and(|r| {
        x.lowers.get(r + 1).is_some_and(|w| w == "on")
            && x.lowers
                .get(r + 2)
                .is_some_and(|w| x.is(WordClass::TimeWord, w))
            && r + 3 < x.i
            && !matches!(x.tags[r + 3], Tag::IN | Tag::TO)
    });
    // ("Farmers marched through a town surrounded by troops": a past form before "by"
    // is a passive participle, not the main verb.)
    (past_participle(x)
        && !dated
        && x.next_w != "by"
        && x.tentative_past.is_some()
        && x.finite_seen
        && x.prev_is(Tag::is_noun)
        && x.next_is(|t| {
            t.is_noun() || matches!(t, Tag::DT | Tag::PRPS | Tag::CD | Tag::JJ | Tag::IN)
        }))
    .then_some(Tag::VBD)
}

/// "troops deployed there said", "the agreed plan".
fn participle_after_finite(x: &Ctx, _: Tag) -> Option<Tag> {
    (past_participle(x) && (x.finite_seen || x.prev_is(|t| t == Tag::IN || t == Tag::DT)))
        .then_some(Tag::VBN)
}

/// "Rebels seized the town".
fn past_as_first_verb(x: &Ctx, _: Tag) -> Option<Tag> {
    // "Syrian rebels, backed by Turkey, captured …" ("…, reportedly backed by …"): a
    // past form set off by a comma after its noun and followed by "by" is a
    // participle, not the clause's verb.
    let mut c = x.i;
    while c > 0 && x.tags[c - 1] == Tag::RB {
        c -= 1;
    }
    if x.next_w == "by" && c >= 2 && x.lowers[c - 1] == "," && x.tags[c - 2].is_noun() {
        return None;
    }
    // A past tense needs a subject before it ("Highly recommended.", "Please let us
    // know", "Attached is the list": none), and is not itself the subject of "be".
    let subject = x.tags[..c]
        .iter()
        .any(|t| t.is_noun() || matches!(t, Tag::PRP | Tag::EX | Tag::CD | Tag::WP | Tag::WDT));
    let before_be = x.is(WordClass::BeForm, x.next_w);
    // ("Moslem armed forces attacked": a participle the lexicon also knows as an
    // adjective, before a noun, is left to the model when a finite verb follows; the
    // clause's only verb stays its verb: "Russia armed rebels in Ukraine".)
    let finite_ahead =
        || (x.i + 2..x.n).any(|j| x.all_cands.get(j).is_some_and(|c| c.iter().any(finite)));
    let adjective = x.has(Tag::JJ) && x.next_is(Tag::is_noun) && finite_ahead();
    // ("a school sheltering displaced families": a past form between a gerund or a base
    // verb and a noun is that verb's object's attribute.)
    let attribute = matches!(x.prev, Some(Tag::VBG | Tag::VB)) && x.next_is(Tag::is_noun);
    (past_participle(x)
        && subject
        && !before_be
        && !adjective
        && !attribute
        && !after_phrase_of_verb(x, c))
    .then_some(Tag::VBD)
}

/// "said in a statement released on Monday", "…, during a ceremony held at …": the noun
/// phrase just before the past form (from `c`) is the object of a preposition that
/// follows a verb or a comma, so the clause has no subject there — the form modifies
/// that noun. ("Rebels in the east seized …": the phrase's preposition follows a noun;
/// "said on Monday militants seized …": a weekday is not part of the phrase.)
fn after_phrase_of_verb(x: &Ctx, c: usize) -> bool {
    let mut j = c;
    while j > 0
        && (x.tags[j - 1].is_noun() || x.tags[j - 1].is_adjective() || x.tags[j - 1] == Tag::CD)
        && !x.is(WordClass::TimeWord, &x.lowers[j - 1])
    {
        j -= 1;
    }
    if j == c {
        return false;
    }
    if j > 0 && matches!(x.tags[j - 1], Tag::DT | Tag::PRPS) {
        j -= 1;
    }
    j >= 2
        && x.tags[j - 1] == Tag::IN
        && !x.is(WordClass::ClauseOpener, &x.lowers[j - 1])
        && (x.tags[j - 2].is_verb() || x.tags[j - 2] == Tag::COMMA)
}

/// A past form right after a noun and before a preposition may be a reduced relative
/// ("workers affiliated with …"), undone if a main verb follows.
pub(super) fn may_be_reduced_relative(x: &Ctx) -> bool {
    // ("the vessel, BRP Cabra, anchored at the shoal has left …": after an apposition.)
    let after_apposition =
        x.prev_w == "," && x.pi >= 2 && (x.tags[x.pi - 2].is_noun() || x.tags[x.pi - 2] == Tag::CD);
    // ("an elephant named Olly received …": a naming verb before a name.)
    let named = x.is(WordClass::NamingParticiple, x.word)
        && matches!(x.next, Some(Tag::NNP) | Some(Tag::NNPS) | Some(Tag::DT));
    (matches!(x.next, Some(Tag::IN) | Some(Tag::TO)) || named)
        && (x.prev_is(Tag::is_noun) || after_apposition)
}

// ---- adjective or past form

fn adjective_past(x: &Ctx) -> bool {
    x.ambiguity == Ambiguity::AdjectivePast
}

/// "wounded soldiers": before a noun while the clause has no verb yet.
fn adjective_before_noun(x: &Ctx, _: Tag) -> Option<Tag> {
    (adjective_past(x) && x.next_is(Tag::is_noun) && !x.finite_seen).then_some(Tag::JJ)
}

/// "the army retreated": after its subject, the clause's verb.
fn past_after_subject(x: &Ctx, _: Tag) -> Option<Tag> {
    (adjective_past(x) && !x.finite_seen && x.prev_is(|t| t.is_noun() || t == Tag::PRP))
        .then(|| x.first(|t| *t == Tag::VBD))
}

// ---- base form or present

/// "rebels hold the town".
fn present_after_plural(x: &Ctx, _: Tag) -> Option<Tag> {
    (x.ambiguity == Ambiguity::BasePresent
        && !x.finite_seen
        && x.prev_is(|t| matches!(t, Tag::NNS | Tag::NNPS | Tag::PRP)))
    .then_some(Tag::VBP)
}

// ---- revisions

/// "is about to restore": after "be" and before "to", the adjectival predicate of
/// imminence.
fn about_to(x: &Ctx, _: Tag) -> Option<Tag> {
    (x.word == "about" && x.is(WordClass::BeForm, x.prev_w) && x.next_w == "to").then_some(Tag::JJ)
}

/// "is determined to", "is inclined to": after "be" and before "to", these participles
/// are adjectives (ADJECTIVAL_PARTICIPLE), not passives.
fn adjectival_participle(x: &Ctx, _: Tag) -> Option<Tag> {
    (x.is(WordClass::AdjectivalParticiple, x.word)
        && (x.is(WordClass::BeForm, x.aux_w) || x.is(WordClass::CopularForm, x.aux_w))
        && x.next_w == "to")
        .then_some(Tag::JJ)
}

/// "has twice flatly rejected": an adjective between an auxiliary and a participle
/// works as an adverb.
fn adverb_before_participle(x: &Ctx, chosen: Tag) -> Option<Tag> {
    (chosen == Tag::JJ
        && (x.is(WordClass::HaveForm, x.aux_w) || x.is(WordClass::BeForm, x.aux_w))
        && x.aux_t.is_some_and(Tag::is_verb)
        && x.next_cands
            .is_some_and(|n| n.contains(&Tag::VBN) || n.contains(&Tag::VBD)))
    .then_some(Tag::RB)
}

/// "reject proposed changes", "freed detained activists": a participle right after a
/// finite lexical verb, before an adjective or common noun, is an adjective.
fn participle_as_adjective(x: &Ctx, chosen: Tag) -> Option<Tag> {
    (chosen == Tag::VBN
        && x.prev_is(|t| matches!(t, Tag::VBD | Tag::VBP | Tag::VBZ))
        && !x.is(WordClass::BeForm, x.prev_w)
        && !x.is(WordClass::HaveForm, x.prev_w)
        && !x.is(WordClass::ParticipleGovernor, x.prev_w)
        && x.next_first(|t| matches!(t, Tag::JJ | Tag::NN | Tag::NNS)))
    .then_some(Tag::JJ)
}

/// "from neighbouring Lebanon", "the ruling party", "its armed struggle", "killed by
/// suspected jihadists": a participle between a determiner, possessive, number or
/// preposition and a noun is an adjective.
fn participle_as_attribute(x: &Ctx, chosen: Tag) -> Option<Tag> {
    let participle = matches!(chosen, Tag::VBG | Tag::VBN)
        || (chosen == Tag::VBD
            && x.has(Tag::VBN)
            && x.prev_is(|t| matches!(t, Tag::DT | Tag::PRPS | Tag::POS | Tag::CD)));
    // "between rival armed groups", "the two newly elected presidents": an adjective
    // (or adverb) between such a word and the participle keeps it in the noun phrase.
    let np_start = |t: Tag| matches!(t, Tag::DT | Tag::IN | Tag::PRPS | Tag::POS | Tag::CD);
    let inside = x.pi >= 2
        && x.prev_is(|t| t.is_adjective() || t == Tag::RB)
        && np_start(x.tags[x.pi - 2])
        && x.lowers[x.pi - 2] != "that";
    // "Armed forces from … conducted": a past form opening the sentence has no subject
    // to be the verb of; before a noun it is an attribute.
    let at_start = x.prev.is_none();
    let participle = participle || ((inside || at_start) && chosen == Tag::VBD && x.has(Tag::VBN));
    // After a preposition an -ing form is a gerund ("of killing civilians", "while
    // rejecting the claims") unless it is one of the adjectival ones.
    let gerund = chosen == Tag::VBG
        && (x.prev == Some(Tag::IN) || (inside && x.tags[x.pi - 2] == Tag::IN))
        && !x.is(WordClass::AdjectivalIng, &x.lowers[x.i]);
    // The tag stays a participle (Penn and EWT tag "the linked article" VBN, "the
    // ruling party" VBG): a past form becomes the participle, and the chunker keeps an
    // attributive participle inside its noun phrase.
    (participle
        && !gerund
        && chosen != Tag::VBG
        && x.has(Tag::VBN)
        && (x.prev_is(np_start) || inside || at_start)
        && x.next_first(|t| t.is_noun() || t.is_adjective()))
    .then_some(if x.has(Tag::JJ) { Tag::JJ } else { Tag::VBN })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_unique_and_prefixed() {
        let mut seen = std::collections::HashSet::new();
        for r in CHOICES.iter().chain(REVISIONS) {
            assert!(r.name.starts_with("rule:"), "{}", r.name);
            assert!(seen.insert(r.name), "{} twice", r.name);
        }
        assert!(!seen.contains(REDUCED_RELATIVE));
    }
}
