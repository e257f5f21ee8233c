//! Stage 4: chunking. Input: tagged tokens; output: a flat sequence of chunks — noun
//! phrases (with head, possessor and pronoun marks), verb groups (auxiliaries, modal,
//! negation, tense, voice, infinitive and gerund marks), prepositions, adjectival
//! predicates, coordinators, clause markers ("that", "who", "which", subordinators) and
//! punctuation. Clause structure is read off this sequence by the event stage. The
//! particles, subordinators, quantifiers and time words it knows are word classes
//! (`dictionaries/classes/`).
use crate::classes::TextClasses;
use crate::tag::TaggedToken;
use annalist_dict::{Tag, WordClass};

/// Active or passive voice of a verb group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    Active,
    Passive,
}

/// The grammar of a verb group.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbGroup {
    /// Index of the main verb token.
    pub head: usize,
    pub lemma: String,
    pub negated: bool,
    pub voice: Voice,
    /// The modal verb's lemma ("will", "would", "could" …).
    pub modal: Option<String>,
    /// "to VB" group.
    pub infinitive: bool,
    /// A bare "-ing" group without auxiliary ("…, killing five").
    pub gerund: bool,
    /// Carries tense (has a finite verb, a modal or a finite auxiliary).
    pub finite: bool,
    /// A particle right after the verb ("rule out", "call off").
    pub particle: Option<usize>,
    /// "be" is the main verb (copula).
    pub copula: bool,
    /// Past participle without auxiliary ("troops backed by …", "…, led by").
    pub participle: bool,
}

/// What a chunk is.
#[derive(Debug, Clone, PartialEq)]
pub enum ChunkKind {
    /// A noun phrase; `head` is the head token, `possessor_end` the end of a possessor
    /// ("Israel 's" in "Israel's army"), `pronoun` for personal pronouns.
    NounPhrase {
        head: usize,
        possessor_end: Option<usize>,
        pronoun: bool,
    },
    Verb(VerbGroup),
    /// A preposition (its noun phrase is the next chunk).
    Preposition,
    /// An adjective after a copula ("ready", "open", "willing").
    Adjective,
    /// and / or / but.
    Coordinator,
    /// that / which / who / whom / whose / where / when / subordinators.
    ClauseMarker,
    Adverb,
    Punctuation,
    Other,
}

/// A chunk: tokens `[start, end)` of the sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub kind: ChunkKind,
    pub start: usize,
    pub end: usize,
}

impl Chunk {
    pub fn label(&self) -> &'static str {
        match self.kind {
            ChunkKind::NounPhrase { .. } => "NP",
            ChunkKind::Verb(_) => "VG",
            ChunkKind::Preposition => "PP",
            ChunkKind::Adjective => "ADJP",
            ChunkKind::Coordinator => "CC",
            ChunkKind::ClauseMarker => "SBAR",
            ChunkKind::Adverb => "ADVP",
            ChunkKind::Punctuation => "PUNCT",
            ChunkKind::Other => "O",
        }
    }
}

/// Length of a quantifier before a number ("up to", "at least", "more than", "as many
/// as", "nearly", "about"), or 0.
fn quantifier_len(cl: &TextClasses, toks: &[TaggedToken], i: usize) -> usize {
    let w = |k: usize| toks.get(i + k).map(|t| t.lower.as_str()).unwrap_or("");
    let len = cl.quantifier_len(w);
    // "handed over 20 prisoners": after these verbs "over" is their particle.
    if w(0) == "over"
        && i > 0
        && toks[i - 1].tag.is_verb()
        && cl.has(WordClass::OverParticleVerb, &toks[i - 1].lemma)
    {
        return 0;
    }
    // The number may follow a currency sign ("more than $47 million") or "(half) a"
    // ("more than half a million", "more than a million").
    let mut num = if toks.get(i + len).is_some_and(|t| t.tag == Tag::DOLLAR) {
        i + len + 1
    } else {
        i + len
    };
    while toks
        .get(num)
        .is_some_and(|t| t.tag == Tag::PDT || matches!(t.lower.as_str(), "a" | "an"))
        && num < i + len + 3
    {
        num += 1;
    }
    if len > 0 && toks.get(num).is_some_and(|t| t.tag == Tag::CD) {
        len
    } else {
        0
    }
}

/// Words that date a clause and are never part of a noun phrase ("Israel Tuesday
/// attacked …"): the class TIME_WORD.
fn is_time_word(cl: &TextClasses, lower: &str) -> bool {
    cl.has(WordClass::TimeWord, lower)
}

fn np_start(cl: &TextClasses, t: &TaggedToken) -> bool {
    !is_time_word(cl, &t.lower)
        && matches!(
            t.tag,
            Tag::DT
                | Tag::PDT
                | Tag::PRPS
                | Tag::CD
                | Tag::JJ
                | Tag::JJR
                | Tag::JJS
                | Tag::NN
                | Tag::NNS
                | Tag::NNP
                | Tag::NNPS
                | Tag::PRP
                | Tag::DOLLAR
                | Tag::WPS
        )
}

/// A participle between a determiner, possessive, number or preposition and a noun or
/// adjective modifies the noun: "from neighbouring Lebanon", "to displaced families",
/// "its armed wing", "killed by suspected militants", "an improvised explosive device";
/// so does a past participle right after a lexical verb, before an adjective or common
/// noun ("reject proposed changes", "freed detained activists", "a school sheltering
/// displaced families").
fn attributive_participle(cl: &TextClasses, toks: &[TaggedToken], i: usize) -> bool {
    let next = toks.get(i + 1);
    // "Armed forces from … conducted": a past participle opening the sentence before a
    // noun has no subject to be the verb of.
    let Some(prev) = i.checked_sub(1).map(|k| &toks[k]) else {
        return toks[i].tag == Tag::VBN && next.is_some_and(|n| n.tag.is_noun());
    };
    // An -ing form the tagger left a gerund after a preposition heads its own clause
    // ("while rejecting the claims", "of killing civilians").
    let gerund = toks[i].tag == Tag::VBG
        && prev.tag == Tag::IN
        && !cl.has(WordClass::AdjectivalIng, &toks[i].lower);
    // ("to displaced families": a past participle after "to" is no infinitive.)
    let after_determiner = matches!(toks[i].tag, Tag::VBN | Tag::VBG)
        && !gerund
        && (matches!(prev.tag, Tag::DT | Tag::IN | Tag::PRPS | Tag::POS | Tag::CD)
            || (prev.tag == Tag::TO && toks[i].tag == Tag::VBN))
        && next.is_some_and(|n| n.tag.is_noun() || n.tag.is_adjective());
    let after_verb = toks[i].tag == Tag::VBN
        && matches!(
            prev.tag,
            Tag::VBD | Tag::VBP | Tag::VBZ | Tag::VBG | Tag::VB
        )
        && !cl.has(WordClass::Auxiliary, &prev.lemma)
        && !cl.has(WordClass::ParticipleGovernor, &prev.lower)
        && next.is_some_and(|n| matches!(n.tag, Tag::JJ | Tag::NN | Tag::NNS));
    // "faces mounting pressure", "warned of growing tensions": an adjectival -ing form
    // (ADJECTIVAL_ING) after a verb, before a common noun, is no gerund with an object.
    let adjectival_ing = toks[i].tag == Tag::VBG
        && prev.tag.is_verb()
        && cl.has(WordClass::AdjectivalIng, &toks[i].lower)
        && next.is_some_and(|n| matches!(n.tag, Tag::NN | Tag::NNS));
    after_determiner || after_verb || adjectival_ing
}

/// A participle inside a noun phrase, after its first word and before a noun: "the
/// ruling party", "an armed group" ("a statement urging China", "the Court of Justice
/// accusing Israel": after a noun, before a name, an -ing form starts its own phrase).
fn participle_inside(toks: &[TaggedToken], i: usize) -> bool {
    let Some(next) = toks.get(i + 1) else {
        return false;
    };
    let prev = toks[i - 1].tag;
    match toks[i].tag {
        // ("the Court of Justice accusing Israel": after a name too, unless the -ing
        // form is capitalised as part of it, "the Sierra Leone Broadcasting Corporation".)
        Tag::VBG if next.tag.is_noun() => {
            !((matches!(prev, Tag::NN | Tag::NNS)
                || (matches!(prev, Tag::NNP | Tag::NNPS) && !toks[i].capitalised))
                && matches!(next.tag, Tag::NNP | Tag::NNPS))
        }
        // "an improvised explosive device", "two detained Americans".
        Tag::VBN => {
            let modified = next.tag.is_noun()
                || (next.tag.is_adjective() && toks.get(i + 2).is_some_and(|t| t.tag.is_noun()));
            modified
                && matches!(
                    prev,
                    Tag::DT | Tag::JJ | Tag::RB | Tag::PRPS | Tag::CD | Tag::POS
                )
        }
        _ => false,
    }
}

/// "the de facto authorities", "an ad hoc committee": a run of foreign words (a Latin
/// phrase) before a noun or adjective is inside the noun phrase.
fn foreign_modifier(toks: &[TaggedToken], i: usize) -> bool {
    let mut k = i;
    while toks.get(k).is_some_and(|t| t.tag == Tag::FW) {
        k += 1;
    }
    k > i
        && toks
            .get(k)
            .is_some_and(|t| t.tag.is_noun() || t.tag.is_adjective())
}

fn np_inner(cl: &TextClasses, t: &TaggedToken) -> bool {
    !is_time_word(cl, &t.lower)
        && matches!(
            t.tag,
            Tag::DT
                | Tag::CD
                | Tag::JJ
                | Tag::JJR
                | Tag::JJS
                | Tag::NN
                | Tag::NNS
                | Tag::NNP
                | Tag::NNPS
                | Tag::DOLLAR
                | Tag::HASH
        )
}

/// Chunks one tagged sentence; `cl` are the word classes in use
/// ([`Tagger::classes`](crate::Tagger::classes)).
pub fn chunk(toks: &[TaggedToken], cl: &TextClasses) -> Vec<Chunk> {
    let n = toks.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let t = &toks[i];
        // Verb groups: (MD) (RB) (aux)* verb, or "to" + verb; not a participle that
        // modifies a noun ("from neighbouring Lebanon", "the occupied West Bank").
        let starts_vg = (t.tag.is_verb() && !attributive_participle(cl, toks, i))
            || t.tag == Tag::MD
            || (t.tag == Tag::TO && i + 1 < n && vg_continues(&toks[i + 1..]));
        if starts_vg {
            let (vg, end) = verb_group(cl, toks, i);
            out.push(Chunk {
                kind: ChunkKind::Verb(vg),
                start: i,
                end,
            });
            i = end;
            continue;
        }
        // "up to 16", "at least three", "more than 200": a quantifier opens the phrase.
        let q = quantifier_len(cl, toks, i);
        if q > 0 && i + q < n && np_start(cl, &toks[i + q]) {
            let (kind, end) = noun_phrase(cl, toks, i + q);
            out.push(Chunk {
                kind,
                start: i,
                end,
            });
            i = end;
            continue;
        }
        if np_start(cl, t)
            || attributive_participle(cl, toks, i)
            || degree_opens_np(toks, i)
            || foreign_modifier(toks, i)
        {
            let (mut kind, end) = noun_phrase(cl, toks, i);
            // (After "be", or a copular verb: "remained open to talks".)
            let after_copula = matches!(out.last(), Some(Chunk { kind: ChunkKind::Verb(vg), .. })
                if vg.copula || cl.has(WordClass::CopularForm, &toks[vg.head].lower));
            if after_copula
                && toks[i..end]
                    .iter()
                    .all(|t| t.tag.is_adjective() || t.tag.is_adverb())
            {
                kind = ChunkKind::Adjective;
            }
            out.push(Chunk {
                kind,
                start: i,
                end,
            });
            i = end;
            continue;
        }
        let kind = match t.tag {
            Tag::IN | Tag::TO
                if cl.has(WordClass::Subordinator, &t.lower) && !next_is_np_only(cl, toks, i) =>
            {
                ChunkKind::ClauseMarker
            }
            Tag::IN | Tag::TO => ChunkKind::Preposition,
            Tag::WDT | Tag::WP | Tag::WRB => ChunkKind::ClauseMarker,
            Tag::CC => ChunkKind::Coordinator,
            Tag::RB | Tag::RBR | Tag::RBS | Tag::RP => ChunkKind::Adverb,
            _ if is_time_word(cl, &t.lower) => ChunkKind::Adverb,
            Tag::COMMA
            | Tag::PUNCT
            | Tag::COLON
            | Tag::QUOTE
            | Tag::LQUOTE
            | Tag::LPAREN
            | Tag::RPAREN => ChunkKind::Punctuation,
            Tag::EX => ChunkKind::NounPhrase {
                head: i,
                possessor_end: None,
                pronoun: true,
            },
            _ => ChunkKind::Other,
        };
        // "on Thursday morning", "Monday night": a period after a time word is its own.
        let end = if is_time_word(cl, &t.lower)
            && toks
                .get(i + 1)
                .is_some_and(|n| cl.has(WordClass::TimePeriod, &n.lower) && n.tag.is_noun())
        {
            i + 2
        } else {
            i + 1
        };
        out.push(Chunk {
            kind,
            start: i,
            end,
        });
        i = end;
    }
    share_perfect_auxiliary(toks, &mut out);
    out
}

/// "had revoked his immunity and instructed the police", "will have left and taken":
/// a bare past participle after a conjunction, in a clause whose previous verb group is
/// an active perfect ("have" + participle), shares that auxiliary: it is an active,
/// finite verb, not a passive modifier ("were arrested and deported" stays passive).
fn share_perfect_auxiliary(toks: &[TaggedToken], chunks: &mut [Chunk]) {
    for k in 1..chunks.len() {
        let bare = matches!(&chunks[k].kind, ChunkKind::Verb(vg) if vg.participle);
        if !bare || chunks[k - 1].kind != ChunkKind::Coordinator {
            continue;
        }
        // The previous verb group, with only noun phrases, prepositions, adverbs and
        // the conjunction between.
        let Some(j) = (0..k - 1).rev().find(|&j| {
            !matches!(
                chunks[j].kind,
                ChunkKind::NounPhrase { .. } | ChunkKind::Preposition | ChunkKind::Adverb
            )
        }) else {
            continue;
        };
        let ChunkKind::Verb(p) = &chunks[j].kind else {
            continue;
        };
        let perfect = p.voice == Voice::Active
            && !p.participle
            && toks[p.head].tag == Tag::VBN
            && (chunks[j].start..p.head).any(|a| toks[a].lemma == "have");
        if perfect {
            let finite = p.finite;
            if let ChunkKind::Verb(vg) = &mut chunks[k].kind {
                vg.voice = Voice::Active;
                vg.participle = false;
                vg.finite = finite;
            }
        }
    }
}

/// A subordinator that is really a preposition here: "after talks", "since 2022",
/// "as president" — it is followed by a noun phrase and then no verb.
fn next_is_np_only(cl: &TextClasses, toks: &[TaggedToken], i: usize) -> bool {
    if cl.has(WordClass::ClauseSubordinator, &toks[i].lower) {
        return false;
    }
    // Look ahead: a noun phrase, then a verb → clause; otherwise preposition.
    let mut j = i + 1;
    if j >= toks.len() || !np_start(cl, &toks[j]) {
        return toks.get(j).is_some_and(|t| t.tag == Tag::VBG);
    }
    let (_, end) = noun_phrase(cl, toks, j);
    j = end;
    !(j < toks.len() && (matches!(toks[j].tag, Tag::VBD | Tag::VBZ | Tag::VBP | Tag::MD)))
}

fn vg_continues(rest: &[TaggedToken]) -> bool {
    let mut j = 0;
    while j < rest.len() && rest[j].tag.is_adverb() {
        j += 1;
    }
    rest.get(j)
        .is_some_and(|t| t.tag == Tag::VB || (t.tag.is_verb() && t.lemma == "be"))
}

/// "would \"be withdrawn\"": a quotation mark at `i` opening inside a verb group — after
/// a modal or an auxiliary, before a verb — belongs to it.
fn quote_in_group(
    cl: &TextClasses,
    toks: &[TaggedToken],
    i: usize,
    verbs: &[usize],
    modal: bool,
) -> bool {
    matches!(toks[i].tag, Tag::LQUOTE | Tag::QUOTE)
        && toks.get(i + 1).is_some_and(|x| x.tag.is_verb())
        && (verbs.last().is_some_and(|&v| is_aux(cl, &toks[v])) || (verbs.is_empty() && modal))
}

fn verb_group(cl: &TextClasses, toks: &[TaggedToken], start: usize) -> (VerbGroup, usize) {
    let n = toks.len();
    let mut i = start;
    let mut infinitive = false;
    let mut modal = None;
    let mut negated = false;
    let mut finite = false;
    let mut last_verb = start;
    let mut verbs: Vec<usize> = Vec::new();
    if toks[i].tag == Tag::TO {
        infinitive = true;
        i += 1;
    } else if bare_infinitive(cl, toks, start) || coordinated_infinitive(toks, start) {
        infinitive = true;
    }
    while i < n {
        let t = &toks[i];
        if t.tag == Tag::MD {
            modal = Some(t.lemma.clone());
            finite = true;
        } else if t.tag.is_adverb() {
            if matches!(t.lower.as_str(), "not" | "n't" | "never")
                || (t.lower == "no" && toks.get(i + 1).is_some_and(|x| x.lower == "longer"))
            {
                negated = true;
            }
            // Adverbs belong to a verb group only if a verb follows.
            let mut j = i;
            while j < n && toks[j].tag.is_adverb() {
                j += 1;
            }
            if !(j < n && (toks[j].tag.is_verb() || toks[j].tag == Tag::MD))
                || verbs.last().is_some_and(|&v| !is_aux(cl, &toks[v]))
            {
                break;
            }
        } else if t.tag.is_verb() {
            if let Some(&v) = verbs.last() {
                if !is_aux(cl, &toks[v]) {
                    break;
                }
                // An auxiliary is followed only by a verb form it can govern.
                let aux = &toks[v];
                let ok = match aux.lemma.as_str() {
                    "be" => matches!(t.tag, Tag::VBN | Tag::VBG) || (t.lemma == "be"),
                    "have" => t.tag == Tag::VBN || t.lower == "been" || t.tag == Tag::VBD,
                    "do" => matches!(t.tag, Tag::VB | Tag::VBP),
                    _ => true,
                };
                if !ok {
                    break;
                }
            }
            if matches!(t.tag, Tag::VBD | Tag::VBZ | Tag::VBP) {
                finite = true;
            }
            verbs.push(i);
            last_verb = i;
        } else if quote_in_group(cl, toks, i, &verbs, modal.is_some()) {
        } else {
            break;
        }
        i += 1;
    }
    if verbs.is_empty() {
        // A modal with no verb ("it would.") — treat the modal as the head.
        last_verb = if infinitive { start + 1 } else { start };
        i = i.max(start + 1);
    }
    let head = last_verb;
    let head_tok = &toks[head];
    // Passive: a form of be (or get) directly governing a past participle.
    let passive = verbs.len() >= 2 && head_tok.tag == Tag::VBN && {
        let prev = &toks[verbs[verbs.len() - 2]];
        prev.lemma == "be" || prev.lemma == "get"
    };
    // Particle: "rule out", "called off" (not when a noun phrase with "on" as
    // preposition is clearly meant — the event stage checks the pattern anyway).
    let mut particle = None;
    let mut end = i;
    if end < n
        && quantifier_len(cl, toks, end) == 0
        && (toks[end].tag == Tag::RP
            || (toks[end].tag == Tag::RB && cl.has(WordClass::VerbParticle, &toks[end].lower))
            // "ruled out giving back", "called off the strike": these are rarely
            // prepositions right after a verb (but "out of" is one).
            // ("pushed back hundreds": also when tagged an adjective.)
            || (matches!(toks[end].tag, Tag::IN | Tag::JJ)
                && cl.has(WordClass::ParticleNotPreposition, &toks[end].lower)
                && toks.get(end + 1).is_none_or(|t| t.lower != "of")))
    {
        particle = Some(end);
        end += 1;
    }
    let copula = head_tok.lemma == "be";
    let gerund = !infinitive && verbs.len() == 1 && head_tok.tag == Tag::VBG && modal.is_none();
    let participle = !infinitive && verbs.len() == 1 && head_tok.tag == Tag::VBN && modal.is_none();
    (
        VerbGroup {
            head,
            lemma: head_tok.lemma.clone(),
            negated,
            // A bare past participle modifies a noun passively ("troops backed by Iran").
            voice: if passive || participle {
                Voice::Passive
            } else {
                Voice::Active
            },
            modal,
            infinitive,
            gerund,
            finite: finite && !infinitive,
            particle,
            copula,
            participle,
        },
        end,
    )
}

/// "will help rebuild the bridge", "helped Haiti rebuild schools", "let the convoys
/// pass": a base form after a verb of BARE_INFINITIVE_VERB (its object, a short noun
/// phrase, may come between) is an infinitive without "to".
fn bare_infinitive(cl: &TextClasses, toks: &[TaggedToken], start: usize) -> bool {
    // (After a plural object the tagger may read the base form as a present: "helped
    // Iraqi troops repel …".)
    if !matches!(toks[start].tag, Tag::VB | Tag::VBP) || start == 0 {
        return false;
    }
    let mut j = start;
    while j > 0 && start - j < 4 && {
        let t = toks[j - 1].tag;
        t.is_noun() || matches!(t, Tag::DT | Tag::PRP | Tag::PRPS | Tag::JJ | Tag::CD)
    } {
        j -= 1;
    }
    let object = j < start;
    (toks[start].tag == Tag::VB || object) && j > 0 && {
        let v = &toks[j - 1];
        v.tag.is_verb() && !is_aux(cl, v) && cl.has(WordClass::BareInfinitiveVerb, &v.lemma)
    }
}

/// "urged them to unite and ``mobilize''", "to halt the raids and return to talks": a
/// base form after a conjunction (quotes and adverbs may come between) whose clause so
/// far is a to-infinitive is an infinitive too (the "to" is shared). A present form is
/// not ("to hold talks and says"), nor a base form after a modal ("will halt and
/// return" shares the modal).
fn coordinated_infinitive(toks: &[TaggedToken], start: usize) -> bool {
    if toks[start].tag != Tag::VB {
        return false;
    }
    let skip = |t: &TaggedToken| matches!(t.tag, Tag::LQUOTE | Tag::QUOTE) || t.tag.is_adverb();
    let mut j = start;
    while j > 0 && skip(&toks[j - 1]) {
        j -= 1;
    }
    if j == 0 || toks[j - 1].tag != Tag::CC {
        return false;
    }
    // Back over the first infinitive's object and phrases to its verb.
    for k in (j.saturating_sub(10)..j - 1).rev() {
        let t = &toks[k];
        if t.tag.is_verb() {
            let mut m = k;
            while m > 0 && toks[m - 1].tag.is_adverb() {
                m -= 1;
            }
            return t.tag == Tag::VB && m > 0 && toks[m - 1].tag == Tag::TO;
        }
        if matches!(
            t.tag,
            Tag::COMMA | Tag::COLON | Tag::WDT | Tag::WP | Tag::CC | Tag::MD
        ) {
            return false;
        }
    }
    false
}

/// "of mostly Christian eastern Beirut", "in largely Kurdish areas": an adverb of degree
/// after a preposition, before adjectives and their noun, opens the noun phrase.
fn degree_opens_np(toks: &[TaggedToken], i: usize) -> bool {
    toks[i].tag == Tag::RB
        && i > 0
        && toks[i - 1].tag == Tag::IN
        && toks.get(i + 1).is_some_and(|t| t.tag.is_adjective())
        && toks[i + 1..]
            .iter()
            .take(4)
            .take_while(|t| t.tag.is_adjective() || t.tag.is_noun())
            .any(|t| t.tag.is_noun())
}

fn is_aux(cl: &TextClasses, t: &TaggedToken) -> bool {
    cl.has(WordClass::Auxiliary, &t.lemma)
}

/// A possessive at `i` ending a possessor ("Israel 's army", "the allies ' plan",
/// "Maduro's “days are numbered”"): where the possessed phrase starts, and whether a
/// quotation opened there.
fn possessive(
    cl: &TextClasses,
    toks: &[TaggedToken],
    i: usize,
    quoted: bool,
) -> Option<(usize, bool)> {
    let n = toks.len();
    // ("Serbia's de facto leader", "Kenya's disputed election": a Latin phrase or an
    // attributive participle opens the possessed phrase too.)
    let opens = |k: usize| {
        k < n
            && (np_start(cl, &toks[k])
                || foreign_modifier(toks, k)
                || attributive_participle(cl, toks, k))
            && toks[k].tag != Tag::PRP
    };
    if i < n
        && (toks[i].tag == Tag::POS
            || (toks[i].lower == "'" && i > 0 && toks[i - 1].lower.ends_with('s')))
        && opens(i + 1)
    {
        return Some((i + 1, false));
    }
    (i + 2 < n
        && toks[i].tag == Tag::POS
        && toks[i + 1].tag == Tag::LQUOTE
        && !quoted
        && opens(i + 2))
    .then_some((i + 2, true))
}

fn noun_phrase(cl: &TextClasses, toks: &[TaggedToken], start: usize) -> (ChunkKind, usize) {
    let n = toks.len();
    if matches!(toks[start].tag, Tag::PRP | Tag::EX) {
        return (
            ChunkKind::NounPhrase {
                head: start,
                possessor_end: None,
                pronoun: true,
            },
            start + 1,
        );
    }
    let mut i = start;
    let mut possessor_end = None;
    let mut head = start;
    // "an “immediate ceasefire”": quotation marks inside a phrase belong to it.
    let mut quoted = false;
    // "a very productive call": an adverb before an adjective inside the phrase.
    let degree = |i: usize| toks[i].tag == Tag::RB && i + 1 < n && toks[i + 1].tag.is_adjective();
    loop {
        let seg_start = i;
        if i < n && matches!(toks[i].tag, Tag::DT | Tag::PDT | Tag::PRPS | Tag::WPS) {
            i += 1;
        }
        while i < n
            && (np_inner(cl, &toks[i])
                || foreign_modifier(toks, i)
                || (i == seg_start && attributive_participle(cl, toks, i))
                || ((i > seg_start || i == start) && degree(i))
                || (!quoted
                    && i > seg_start
                    && matches!(toks[i].tag, Tag::LQUOTE | Tag::QUOTE)
                    && toks[i].lower != "'"
                    && i + 1 < n
                    && (np_inner(cl, &toks[i + 1]) || degree(i + 1)))
                || (quoted && matches!(toks[i].tag, Tag::LQUOTE | Tag::QUOTE))
                || (i > seg_start && participle_inside(toks, i)))
        {
            // Stop before a determiner that starts a new phrase ("gave Iraq the …").
            if i > seg_start && matches!(toks[i].tag, Tag::DT) {
                break;
            }
            // "tested a missile last week": a time phrase after a noun is its own.
            if i > seg_start
                && toks[i - 1].tag.is_noun()
                && cl.has(WordClass::TimeDeictic, &toks[i].lower)
                && toks
                    .get(i + 1)
                    .is_some_and(|t| cl.has(WordClass::TimePeriod, &t.lower))
            {
                break;
            }
            // "… as illegal Turkey's drilling": a name with a possessive after a common
            // noun starts a new phrase.
            if i > seg_start
                && matches!(toks[i].tag, Tag::NNP | Tag::NNPS)
                && matches!(toks[i - 1].tag, Tag::NN | Tag::NNS)
            {
                let mut k = i;
                while k < n && matches!(toks[k].tag, Tag::NNP | Tag::NNPS) {
                    k += 1;
                }
                if k < n && toks[k].tag == Tag::POS {
                    break;
                }
            }
            if matches!(toks[i].tag, Tag::LQUOTE | Tag::QUOTE) {
                quoted = !quoted;
            } else if toks[i].tag.is_noun() || toks[i].tag == Tag::CD || toks[i].tag.is_adjective()
            {
                head = i;
            }
            i += 1;
        }
        // Possessive: "Israel 's army", "the allies ' plan".
        if i > seg_start {
            if let Some((next, quote)) = possessive(cl, toks, i, quoted) {
                possessor_end = Some(i + 1);
                quoted |= quote;
                i = next;
                continue;
            }
        }
        break;
    }
    if i == start {
        i = start + 1;
        head = start;
    }
    // Prefer a noun as head over a trailing adjective/number ("the two").
    let last_noun = (start..i).rev().find(|&k| toks[k].tag.is_noun());
    if let Some(k) = last_noun {
        if possessor_end.is_none_or(|p| k >= p) {
            head = k;
        }
    }
    (
        ChunkKind::NounPhrase {
            head,
            possessor_end,
            pronoun: false,
        },
        i,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tag::TaggedToken;
    use crate::token::{Token, TokenKind};

    /// Builds tagged tokens from "word/TAG/lemma" items.
    fn tt(s: &str) -> Vec<TaggedToken> {
        s.split(' ')
            .enumerate()
            .map(|(i, w)| {
                let p: Vec<&str> = w.split('/').collect();
                TaggedToken {
                    token: Token {
                        start: i,
                        end: i + 1,
                        kind: TokenKind::Word,
                    },
                    lower: p[0].to_lowercase(),
                    tag: Tag::parse(p[1]).unwrap(),
                    lemma: p.get(2).unwrap_or(&p[0]).to_lowercase(),
                    capitalised: p[0].chars().next().unwrap().is_uppercase(),
                    reason: "test",
                }
            })
            .collect()
    }

    fn labels(c: &[Chunk]) -> String {
        c.iter()
            .map(|c| format!("{}[{}-{}]", c.label(), c.start, c.end))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The chunks of "word/TAG/lemma" items, as labels.
    fn chunked(s: &str) -> String {
        labels(&chunk(&tt(s), TextClasses::embedded()))
    }

    #[test]
    fn degree_adverb_after_preposition_opens_the_noun_phrase() {
        assert_eq!(
            chunked("in/IN largely/RB Kurdish/JJ areas/NNS"),
            "PP[0-1] NP[1-4]"
        );
        // Not before a bare adjective, nor after a verb.
        assert_ne!(
            chunked("remained/VBD largely/RB peaceful/JJ"),
            "VG[0-1] NP[1-3]"
        );
        assert!(chunked("of/IN mostly/RB peaceful/JJ ./.").starts_with("PP[0-1] ADVP[1-2]"));
    }

    #[test]
    fn an_ing_form_between_names_opens_its_own_phrase() {
        assert_eq!(
            chunked("the/DT Court/NNP of/IN Justice/NNP accusing/VBG/accuse Israel/NNP"),
            "NP[0-2] PP[2-3] NP[3-4] VG[4-5] NP[5-6]"
        );
        // Capitalised, it is part of the name.
        assert_eq!(
            chunked("the/DT Sierra/NNP Leone/NNP Broadcasting/VBG/broadcast Corporation/NNP"),
            "NP[0-5]"
        );
        // Before a common noun it still modifies it.
        assert_eq!(
            chunked("the/DT Kenyan/NNP ruling/VBG/rule party/NN"),
            "NP[0-4]"
        );
    }

    #[test]
    fn np_vg_pp_with_possessor() {
        let t = tt("Israel/NNP 's/POS army/NN has/VBZ/have not/RB attacked/VBN/attack the/DT town/NN near/IN Gaza/NNP");
        let c = chunk(&t, TextClasses::embedded());
        assert_eq!(labels(&c), "NP[0-3] VG[3-6] NP[6-8] PP[8-9] NP[9-10]");
        assert_eq!(
            c[0].kind,
            ChunkKind::NounPhrase {
                head: 2,
                possessor_end: Some(2),
                pronoun: false
            }
        );
        let ChunkKind::Verb(vg) = &c[1].kind else {
            panic!()
        };
        assert!(vg.negated && vg.finite && vg.voice == Voice::Active && vg.lemma == "attack");
    }

    #[test]
    fn passive_infinitive_particle() {
        let t = tt("The/DT base/NN was/VBD/be attacked/VBN/attack by/IN rebels/NNS who/WP agreed/VBD/agree to/TO hold/VB talks/NNS and/CC ruled/VBD/rule out/RP talks/NNS");
        let c = chunk(&t, TextClasses::embedded());
        assert_eq!(labels(&c), "NP[0-2] VG[2-4] PP[4-5] NP[5-6] SBAR[6-7] VG[7-8] VG[8-10] NP[10-11] CC[11-12] VG[12-14] NP[14-15]");
        let ChunkKind::Verb(vg) = &c[1].kind else {
            panic!()
        };
        assert_eq!(vg.voice, Voice::Passive);
        let ChunkKind::Verb(inf) = &c[6].kind else {
            panic!()
        };
        assert!(inf.infinitive && inf.lemma == "hold" && !inf.finite);
        let ChunkKind::Verb(ro) = &c[9].kind else {
            panic!()
        };
        assert_eq!(ro.particle, Some(13));
    }

    #[test]
    fn modal_and_copula() {
        let t = tt("Iran/NNP would/MD be/VB ready/JJ to/TO discuss/VB it/PRP");
        let c = chunk(&t, TextClasses::embedded());
        assert_eq!(labels(&c), "NP[0-1] VG[1-3] ADJP[3-4] VG[4-6] NP[6-7]");
        let ChunkKind::Verb(vg) = &c[1].kind else {
            panic!()
        };
        assert!(vg.copula && vg.modal.as_deref() == Some("would"));
    }
}
