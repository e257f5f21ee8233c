//! Stage 3: part-of-speech tagging. Input: tokens; output: a Penn tag and a lemma per
//! token. Candidates come from the closed-class and punctuation tables
//! (`dictionaries/lexicon/closed.txt`, `punctuation.txt`), the lexicon
//! (`lexicon/words.txt`) and word shape; the contextual rules of [`rules`] (a table of
//! named rules) then settle the noun/verb and past/participle ambiguities news is full
//! of: "Israeli strikes killed" (noun after an adjective), "Russia strikes Ukraine" (verb
//! between two noun phrases), "plans to" (verb before an infinitive), "had agreed"
//! (participle after have), "troops deployed there said" (participle once the clause
//! has its verb).
pub mod model;
mod rules;
pub mod train;

use crate::classes::TextClasses;
use crate::token::{Token, TokenKind};
use annalist_dict::tagger::{N_TAGS, TAGS};
use annalist_dict::{Dictionaries, LemmaPos, Lexicon, Tag, TaggerModel, WordClass, WordClasses};
use model::{
    context_features, key, own_features, tag_mask, History, TokenFeatures, N_CONTEXT, N_OWN, T_DICT,
};
use rules::{Ambiguity, Ctx, Effect, Rule, CHOICES, MAIN_VERB_AFTER_REDUCED_RELATIVE, REVISIONS};
use rustc_hash::FxHashMap;
use std::cell::RefCell;

/// A token with its tag and lemma.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedToken {
    pub token: Token,
    /// The token's text in lower case (quotes and apostrophes normalised to ASCII).
    pub lower: String,
    pub tag: Tag,
    /// Lower-case lemma ("fought" → "fight", "strikes" → "strike").
    pub lemma: String,
    /// Starts with an upper-case letter.
    pub capitalised: bool,
    /// Why the tag was chosen (for `explain`): "lexicon", "closed", "shape", or a rule name.
    pub reason: &'static str,
}

/// Tags tokens with a lexicon, the closed-class tables and the word classes.
#[derive(Debug, Clone)]
pub struct Tagger {
    lexicon: Lexicon,
    classes: TextClasses,
    /// The trained model; without one the contextual rules tag alone.
    model: Option<TaggerModel>,
    /// The contextual rules that override the model (by their `rule:` name).
    constraints: Vec<&'static str>,
    /// Which tagger this is (clones share it; a tagger without its model is another):
    /// the per-thread cache of what it made of each word is kept per tagger.
    id: u64,
}

/// Every rule name a constraint may refer to.
pub fn rule_names() -> impl Iterator<Item = &'static str> {
    rules::CHOICES
        .iter()
        .chain(rules::REVISIONS)
        .map(|r| r.name)
        .chain(["rule:name-particle", "rule:latin-phrase"])
}

/// The rules of `names` (`tagger/constraints.txt`) that override the model, or (for
/// measuring) the comma-separated rule names of the environment variable
/// `ANNALIST_TAG_CONSTRAINTS` ("all" for every rule).
fn constraints(names: &[String]) -> Vec<&'static str> {
    let env = std::env::var("ANNALIST_TAG_CONSTRAINTS").ok();
    let listed: Vec<&str> = match &env {
        Some(v) => v.split(',').map(str::trim).collect(),
        None => names.iter().map(String::as_str).collect(),
    };
    rule_names()
        .filter(|n| listed.iter().any(|x| x == n || *x == "all"))
        .collect()
}

/// A token's lower-case form with typographic apostrophes as ASCII ones (an ASCII word
/// takes the fast path: one allocation, no Unicode tables).
#[inline]
fn lower_form(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase().replace('’', "'")
    }
}

/// The lower-case forms of a sentence's tokens.
fn lower_forms(doc: &str, tokens: &[Token]) -> Vec<String> {
    tokens.iter().map(|t| lower_form(t.text(doc))).collect()
}

/// What the model says of a token by itself: the tag dictionary's tag, else the
/// scores of its own features ([`model::own_features`]).
#[derive(Clone, Copy)]
struct OwnScores {
    dict: Option<Tag>,
    scores: [i32; N_TAGS],
}

impl OwnScores {
    /// The own scores of a token with features `t` under model `m`.
    fn of(m: &TaggerModel, t: &TokenFeatures) -> OwnScores {
        let mut own = OwnScores {
            dict: m.first_tag(key(T_DICT, t.word, 0)),
            scores: [0; N_TAGS],
        };
        if own.dict.is_none() {
            let mut keys = [0u64; N_OWN];
            own_features(t, &mut keys);
            m.add_scores(&keys, &mut own.scores);
        }
        own
    }
}

/// Each token's candidate tags, one slice a token, in one vector.
#[derive(Default)]
struct Cands {
    tags: Vec<Tag>,
    /// The end (in `tags`) of each token's candidates.
    ends: Vec<u32>,
}

impl Cands {
    fn push(&mut self, c: &[Tag]) {
        self.tags.extend_from_slice(c);
        self.ends.push(self.tags.len() as u32);
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> Option<&[Tag]> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.tags[start..end])
    }

    /// The first (most likely) candidate of every token.
    fn firsts(&self) -> Vec<Tag> {
        (0..self.len()).map(|i| self[i][0]).collect()
    }
}

impl std::ops::Index<usize> for Cands {
    type Output = [Tag];
    fn index(&self, i: usize) -> &[Tag] {
        self.get(i).expect("a token of the sentence")
    }
}

/// A sentence's tokens as the tagger sees them before choosing.
#[derive(Default)]
struct Prepared {
    lowers: Vec<String>,
    feats: Vec<TokenFeatures>,
    cands: Cands,
    reasons: Vec<&'static str>,
    /// With a model: the scores of each token's own features.
    own: Vec<Option<OwnScores>>,
}

/// What the tagger makes of a token from its text, its kind and whether it starts a
/// sentence, whatever the sentence: the same for every occurrence.
struct WordInfo {
    kind: TokenKind,
    first: bool,
    lower: String,
    feats: TokenFeatures,
    cands: Vec<Tag>,
    reason: &'static str,
    own: Option<OwnScores>,
}

/// The [`WordInfo`] of the tokens a thread tagged, by their text, for one tagger and
/// model at a time; emptied when it holds [`WordCache::MAX`] of them, so its memory is
/// bounded whatever the input.
#[derive(Default)]
struct WordCache {
    /// The [`Tagger`]'s and [`TaggerModel`]'s ids of what is kept.
    owner: (u64, u64),
    words: FxHashMap<Box<str>, Vec<WordInfo>>,
    len: usize,
}

impl WordCache {
    const MAX: usize = 1 << 14;

    /// Adds to `out` what `tagger` (with model `m`) makes of token `text`.
    fn push(
        &mut self,
        tagger: &Tagger,
        m: Option<&TaggerModel>,
        (text, kind, first): (&str, TokenKind, bool),
        out: &mut Prepared,
    ) {
        let owner = (tagger.id, m.map_or(0, TaggerModel::id));
        if self.owner != owner {
            self.words.clear();
            self.len = 0;
            self.owner = owner;
        }
        let known = self
            .words
            .get(text)
            .and_then(|v| v.iter().find(|w| w.kind == kind && w.first == first));
        let info = match known {
            Some(w) => w,
            None => {
                let lower = lower_form(text);
                let lex = tagger.lexicon_masks(text, &lower, kind);
                let feats = TokenFeatures::new(text, &lower, lex, first);
                let (cands, reason) = tagger.candidates(text, &lower, kind, first);
                let own = m.map(|m| OwnScores::of(m, &feats));
                if self.len >= Self::MAX {
                    self.words.clear();
                    self.len = 0;
                }
                self.len += 1;
                let v = self.words.entry(text.into()).or_default();
                v.push(WordInfo {
                    kind,
                    first,
                    lower,
                    feats,
                    cands,
                    reason,
                    own,
                });
                v.last().expect("just pushed")
            }
        };
        out.lowers.push(info.lower.clone());
        out.feats.push(info.feats);
        out.cands.push(&info.cands);
        out.reasons.push(info.reason);
        out.own.push(info.own);
    }
}

thread_local! {
    /// Each thread's [`WordCache`] (the tagger is shared between threads).
    static WORD_CACHE: RefCell<WordCache> = RefCell::new(WordCache::default());
}

/// A new [`Tagger::id`].
fn next_tagger_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Is `t` one of the punctuation tags (spelled as punctuation: `.` `,` `(` …)?
fn is_punctuation_tag(t: Tag) -> bool {
    matches!(
        t,
        Tag::PUNCT
            | Tag::COMMA
            | Tag::COLON
            | Tag::QUOTE
            | Tag::LQUOTE
            | Tag::LPAREN
            | Tag::RPAREN
            | Tag::DOLLAR
            | Tag::HASH
    )
}

/// The per-sentence state the rules read and the tagger updates token by token.
struct State {
    tags: Vec<Tag>,
    reasons: Vec<&'static str>,
    finite_seen: bool,
    finite_since_comma: bool,
    tentative_past: Option<usize>,
    fronted_subordinate: bool,
}

impl Tagger {
    /// The tagger of a set of dictionaries (with their model, if they have one, unless
    /// the environment variable `ANNALIST_TAGGER` is `rules`: the contextual rules alone,
    /// as before the model, for comparison).
    pub fn new(d: &Dictionaries) -> Tagger {
        let mut t = Tagger::from_parts(&d.lexicon, &d.classes);
        if std::env::var("ANNALIST_TAGGER").as_deref() != Ok("rules") {
            t.model = d.tagger_model.clone();
        }
        t.constraints = constraints(&d.tagger_constraints);
        t
    }

    /// A tagger from a lexicon and the word classes, without a model.
    pub fn from_parts(lexicon: &Lexicon, classes: &WordClasses) -> Tagger {
        Tagger {
            lexicon: lexicon.clone(),
            classes: TextClasses::new(classes),
            model: None,
            constraints: Vec::new(),
            id: next_tagger_id(),
        }
    }

    /// The same tagger without its model (contextual rules only).
    pub fn without_model(mut self) -> Tagger {
        self.model = None;
        self.id = next_tagger_id();
        self
    }

    /// The model in use, if any.
    pub fn model(&self) -> Option<&TaggerModel> {
        self.model.as_ref()
    }

    /// The word classes of the text stages (for the chunker, sentences and tokens).
    pub fn classes(&self) -> &TextClasses {
        &self.classes
    }

    /// The tag of a punctuation mark: `punctuation.txt`, else the tag spelled like the
    /// mark, else SYM.
    fn punct_tag(&self, mark: &str) -> Tag {
        self.lexicon
            .punctuation(mark)
            .or_else(|| Tag::parse(mark).filter(|&t| is_punctuation_tag(t)))
            // "US$", "HK$": a currency sign (the tokenizer keeps the letters on it).
            .or_else(|| (mark.len() > 1 && mark.ends_with('$')).then_some(Tag::DOLLAR))
            .unwrap_or(Tag::SYM)
    }

    /// Candidate tags for one token, most likely first, and the reason.
    fn candidates(
        &self,
        text: &str,
        lower: &str,
        kind: TokenKind,
        first: bool,
    ) -> (Vec<Tag>, &'static str) {
        match kind {
            TokenKind::Punct => return (vec![self.punct_tag(text)], "closed"),
            TokenKind::Number => return (vec![Tag::CD], "shape"),
            TokenKind::Word => {}
        }
        // "US", "IS": an all-capitals word is an acronym, not the pronoun "us" or "is".
        let acronym = text.len() > 1 && text.chars().all(|c| c.is_ascii_uppercase() || c == '.');
        if let Some(t) = self.lexicon.closed(lower).filter(|_| !acronym) {
            // "that" may be a determiner/relative; "'s" may be "is"; "as" etc. stay IN.
            return (vec![t], "closed");
        }
        let cap = text.chars().next().is_some_and(char::is_uppercase);
        if let Some(t) = self.lexicon.tags(text) {
            if !(first
                && cap
                && t.iter().all(|t| matches!(t, Tag::NNP | Tag::NNPS))
                && self.lexicon.tags(lower).is_some())
            {
                return (t.to_vec(), "lexicon");
            }
        }
        if cap && !first {
            // A capitalised word inside a sentence is a name unless the lexicon knows
            // its capitalised form.
            if text.len() > 1 && text.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()) {
                return (vec![Tag::NNP], "shape");
            }
            if let Some(t) = self.lexicon.tags(lower) {
                if t.iter().any(|t| t.is_adjective())
                    && self.classes.ends_with(WordClass::NationalitySuffix, lower)
                {
                    return (vec![Tag::JJ], "shape");
                }
            }
            return (vec![Tag::NNP], "shape");
        }
        if let Some(t) = self.lexicon.tags(lower) {
            return (t.to_vec(), "lexicon");
        }
        if cap {
            return (vec![Tag::NNP], "shape");
        }
        (self.shape_tags(lower), "shape")
    }

    /// The lower-case forms, features, candidates (with their reasons) and, with a
    /// model, own scores of a sentence's tokens, each word's taken from this thread's
    /// [`WordCache`] when it was seen before.
    fn prepare(&self, m: Option<&TaggerModel>, doc: &str, tokens: &[Token]) -> Prepared {
        WORD_CACHE.with(|cache| match cache.try_borrow_mut() {
            Ok(mut cache) => self.prepare_with(m, doc, tokens, &mut cache),
            Err(_) => self.prepare_with(m, doc, tokens, &mut WordCache::default()),
        })
    }

    fn prepare_with(
        &self,
        m: Option<&TaggerModel>,
        doc: &str,
        tokens: &[Token],
        cache: &mut WordCache,
    ) -> Prepared {
        let n = tokens.len();
        let mut out = Prepared {
            lowers: Vec::with_capacity(n),
            feats: Vec::with_capacity(n),
            cands: Cands {
                tags: Vec::with_capacity(2 * n),
                ends: Vec::with_capacity(n),
            },
            reasons: Vec::with_capacity(n),
            own: Vec::with_capacity(n),
        };
        let mut first = true;
        for (k, t) in tokens.iter().enumerate() {
            let text = t.text(doc);
            cache.push(self, m, (text, t.kind, first), &mut out);
            // A capitalised first word before another capitalised word is part of a
            // name ("North Korea", "South Sudan"), not the common word.
            let name_start = first
                && text.chars().next().is_some_and(char::is_uppercase)
                && tokens
                    .get(k + 1)
                    .is_some_and(|n| n.text(doc).chars().next().is_some_and(char::is_uppercase))
                && self
                    .lexicon
                    .tags(text)
                    .is_some_and(|t| t.contains(&Tag::NNP));
            if name_start {
                let c = &mut out.cands;
                let start = if k == 0 { 0 } else { c.ends[k - 1] as usize };
                c.tags.truncate(start);
                c.tags.push(Tag::NNP);
                c.ends[k] = c.tags.len() as u32;
                out.reasons[k] = "rule:name-at-sentence-start";
            }
            first = matches!(t.kind, TokenKind::Punct)
                && self.classes.has(WordClass::SentenceStartMark, text);
        }
        out
    }

    /// "Hans van den Broek", "Osama bin Laden": name particles between capitalised
    /// words are part of the name. Decided before the contextual rules so that a
    /// particle that is also a verb ("bin") never opens a clause.
    fn name_particles(
        &self,
        doc: &str,
        tokens: &[Token],
        cands: &Cands,
        lowers: &[String],
    ) -> Vec<bool> {
        let cap = |k: usize| {
            tokens
                .get(k)
                .is_some_and(|t| t.text(doc).chars().next().is_some_and(char::is_uppercase))
        };
        (0..tokens.len())
            .map(|i| {
                i > 0
                    && self.classes.has(WordClass::NameParticle, &lowers[i])
                    && !cap(i)
                    && (cap(i - 1) || cands[i - 1][0] == Tag::NNP)
                    && (cap(i + 1)
                        || lowers
                            .get(i + 1)
                            .is_some_and(|w| self.classes.has(WordClass::NameParticleSecond, w)))
            })
            .collect()
    }

    /// Is `w` (lower case) a form of a verb that introduces a reported clause, a
    /// SPEECH_VERB or a REPORTING_VERB ("said", "claims")?
    fn is_speech_form(&self, w: &str) -> bool {
        let lemma = self.lexicon.lemma(w, LemmaPos::Verb).unwrap_or(w);
        self.classes.has(WordClass::SpeechVerb, lemma)
            || self.classes.has(WordClass::ReportingVerb, lemma)
    }

    /// The tokens of a Latin phrase ("de facto", "ad hoc"): foreign words.
    fn latin_phrases(&self, lowers: &[String]) -> Vec<bool> {
        let mut out = vec![false; lowers.len()];
        let mut i = 0;
        while i < lowers.len() {
            let w = |k: usize| lowers.get(i + k).map_or("", String::as_str);
            match self.classes.latin_len(w) {
                0 => i += 1,
                len => {
                    out[i..i + len].iter_mut().for_each(|b| *b = true);
                    i += len;
                }
            }
        }
        out
    }

    /// The sentence opens with a subordinate clause ("After the vote ended, …", "Two
    /// days after the vote ended, …"): a fronted subordinator, after at most four words
    /// of a time phrase (SUBORDINATOR_LEAD).
    fn fronted_subordinate(&self, lowers: &[String]) -> bool {
        lowers
            .iter()
            .take(5)
            .position(|w| !self.classes.has(WordClass::SubordinatorLead, w))
            .is_some_and(|k| self.classes.has(WordClass::FrontedSubordinator, &lowers[k]))
    }

    /// A new clause starts after `w` (tagged `tag`): its verb is still to come.
    fn clause_opener(&self, w: &str, tag: Tag) -> bool {
        // (";" cannot be written in a class: it separates members.)
        self.classes.has(WordClass::ClauseOpener, w) || w == ";" || tag == Tag::LQUOTE
    }

    /// The context of token `i` for the rules.
    fn context<'a>(
        &'a self,
        i: usize,
        cands: &'a Cands,
        lowers: &'a [String],
        st: &'a State,
    ) -> Ctx<'a> {
        let tags = &st.tags;
        // "the Republic of Korea (ROK) withdraw …": a parenthesis is skipped when
        // looking back.
        let mut pi = i;
        if i > 0 && lowers[i - 1] == ")" {
            if let Some(open) = (0..i - 1).rev().find(|&j| lowers[j] == "(") {
                pi = open;
            }
        }
        // Adverbs and quotes are skipped when looking back for auxiliaries ("had
        // \"neutralised\"").
        let mut k = i;
        while k > 0 && (tags[k - 1].is_adverb() || matches!(tags[k - 1], Tag::QUOTE | Tag::LQUOTE))
        {
            k -= 1;
        }
        Ctx {
            i,
            n: cands.len(),
            word: &lowers[i],
            cands: &cands[i],
            tags,
            lowers,
            pi,
            prev: (pi > 0).then(|| tags[pi - 1]),
            prev_w: if pi > 0 { &lowers[pi - 1] } else { "" },
            aux_w: if k > 0 { &lowers[k - 1] } else { "" },
            aux_t: (k > 0).then(|| tags[k - 1]),
            next: cands.get(i + 1).map(|c| c[0]),
            next_w: lowers.get(i + 1).map_or("", String::as_str),
            next_cands: cands.get(i + 1),
            all_cands: cands,
            finite_seen: st.finite_seen,
            finite_since_comma: st.finite_since_comma,
            tentative_past: st.tentative_past,
            ambiguity: Ambiguity::of(&lowers[i], &cands[i]),
            tagger: self,
        }
    }

    /// Tags the tokens of one sentence.
    pub fn tag(&self, doc: &str, tokens: &[Token]) -> Vec<TaggedToken> {
        match &self.model {
            Some(m) => self.tag_with_model(m, doc, tokens),
            None => self.tag_with_rules(doc, tokens),
        }
    }

    /// The lexicon's tags of a token: as bit sets, of the form as written (with the
    /// closed-class and punctuation tables) and, for a word with capitals, of its
    /// lower-case form; and the most likely tag (1 + index, 0 when unknown).
    fn lexicon_masks(&self, text: &str, lower: &str, kind: TokenKind) -> [u64; 3] {
        let first = |t: &[Tag]| t.first().map_or(0, |&t| t as u64 + 1);
        match kind {
            TokenKind::Punct => {
                let t = self.punct_tag(text);
                [tag_mask(&[t]), 0, t as u64 + 1]
            }
            TokenKind::Number => {
                let t = self.lexicon.tags(text).unwrap_or(&[Tag::CD]);
                [tag_mask(t), 0, first(t)]
            }
            TokenKind::Word => {
                let acronym =
                    text.len() > 1 && text.chars().all(|c| c.is_ascii_uppercase() || c == '.');
                let own = self.lexicon.tags(text);
                let low = (text != lower).then(|| self.lexicon.tags(lower)).flatten();
                let (lex, top) = match self.lexicon.closed(lower).filter(|_| !acronym) {
                    Some(t) => (tag_mask(&[t]), t as u64 + 1),
                    None => (own.map_or(0, tag_mask), own.or(low).map_or(0, first)),
                };
                [lex, low.map_or(0, tag_mask), top]
            }
        }
    }

    /// The model's view of each token of a sentence, and the lower-case forms.
    pub fn token_features(&self, doc: &str, tokens: &[Token]) -> (Vec<TokenFeatures>, Vec<String>) {
        let lowers = lower_forms(doc, tokens);
        (self.token_features_of(doc, tokens, &lowers), lowers)
    }

    /// [`Tagger::token_features`] given the lower-case forms.
    fn token_features_of(
        &self,
        doc: &str,
        tokens: &[Token],
        lowers: &[String],
    ) -> Vec<TokenFeatures> {
        let mut feats = Vec::with_capacity(tokens.len());
        let mut first = true;
        for (t, lower) in tokens.iter().zip(lowers) {
            let text = t.text(doc);
            let lex = self.lexicon_masks(text, lower, t.kind);
            feats.push(TokenFeatures::new(text, lower, lex, first));
            first = matches!(t.kind, TokenKind::Punct)
                && self.classes.has(WordClass::SentenceStartMark, text);
        }
        feats
    }

    /// The model's tag for token `i` of a sentence, given the tags before it: the tag
    /// dictionary's, else the best score of its features (`own`: the scores of those
    /// of the token alone).
    fn model_tag(
        &self,
        m: &TaggerModel,
        feats: &[TokenFeatures],
        i: usize,
        tags: &[Tag],
        own: &OwnScores,
    ) -> Tag {
        if let Some(t) = own.dict {
            return t;
        }
        let h = History {
            prev: i.checked_sub(1).map(|k| tags[k]),
            prev2: i.checked_sub(2).map(|k| tags[k]),
        };
        let mut keys = [0u64; N_CONTEXT];
        context_features(feats, i, h, &mut keys);
        let mut scores = own.scores;
        m.add_scores(&keys, &mut scores);
        let best = (1..N_TAGS).fold(0, |b, t| if scores[t] > scores[b] { t } else { b });
        TAGS[best]
    }

    /// Tags a sentence with the model, greedily from left to right; a contextual rule
    /// that is one of the [`CONSTRAINTS`] overrides the model's choice (and is named as
    /// the token's reason); the clause state of the rules follows the chosen tags.
    fn tag_with_model(&self, m: &TaggerModel, doc: &str, tokens: &[Token]) -> Vec<TaggedToken> {
        let Prepared {
            lowers,
            feats,
            cands,
            mut reasons,
            own,
        } = self.prepare(Some(m), doc, tokens);
        let particle = self.name_particles(doc, tokens, &cands, &lowers);
        let latin = self.latin_phrases(&lowers);
        let mut st = State {
            tags: cands.firsts(),
            reasons: vec!["model"; tokens.len()],
            finite_seen: false,
            finite_since_comma: false,
            tentative_past: None,
            fronted_subordinate: self.fronted_subordinate(&lowers),
        };
        for i in 0..tokens.len() {
            // (By reference: the scores are 45 integers, copied once below.)
            let own = own[i].as_ref().expect("prepared with the model");
            let model = self.model_tag(m, &feats, i, &st.tags, own);
            if latin[i] && self.constraints.contains(&"rule:latin-phrase") {
                st.tags[i] = Tag::FW;
                st.reasons[i] = "rule:latin-phrase";
                continue;
            }
            if particle[i] && self.constraints.contains(&"rule:name-particle") {
                st.tags[i] = Tag::NNP;
                st.reasons[i] = "rule:name-particle";
                continue;
            }
            // The rules decide with the model's choices to the left.
            st.reasons[i] = reasons[i];
            let (rule, reason, effect) = self.decide(i, &cands, &lowers, &st);
            let constraint = self.constraints.contains(&reason);
            let (tag, reason, effect) = if rule != model && constraint {
                (rule, reason, effect)
            } else if constraint {
                // The rule agrees: the model's choice, with the rule's effect on the
                // clause state (a past form that may yet be a reduced relative).
                (model, "model", effect)
            } else {
                (model, "model", Effect::None)
            };
            self.commit(i, tag, reason, effect, &lowers, &mut st);
            reasons[i] = reason;
        }
        self.finish(doc, tokens, st.tags, lowers, st.reasons)
    }

    /// The tagged tokens, with their lemmas.
    fn finish(
        &self,
        doc: &str,
        tokens: &[Token],
        tags: Vec<Tag>,
        lowers: Vec<String>,
        reasons: Vec<&'static str>,
    ) -> Vec<TaggedToken> {
        tokens
            .iter()
            .zip(tags)
            .zip(lowers)
            .zip(reasons)
            .map(|(((t, tag), lower), reason)| {
                let lemma = self.lemma(&lower, tag);
                TaggedToken {
                    capitalised: t.text(doc).chars().next().is_some_and(char::is_uppercase),
                    token: t.clone(),
                    lower,
                    tag,
                    lemma,
                    reason,
                }
            })
            .collect()
    }

    /// Tags a sentence with the lexicon and the contextual rules alone.
    fn tag_with_rules(&self, doc: &str, tokens: &[Token]) -> Vec<TaggedToken> {
        let Prepared {
            lowers,
            cands,
            reasons,
            ..
        } = self.prepare(None, doc, tokens);
        let particle = self.name_particles(doc, tokens, &cands, &lowers);
        let latin = self.latin_phrases(&lowers);
        let mut st = State {
            tags: cands.firsts(),
            reasons,
            finite_seen: false,
            finite_since_comma: false,
            tentative_past: None,
            fronted_subordinate: self.fronted_subordinate(&lowers),
        };
        for i in 0..tokens.len() {
            if latin[i] {
                st.tags[i] = Tag::FW;
                st.reasons[i] = "rule:latin-phrase";
                continue;
            }
            if particle[i] {
                st.tags[i] = Tag::NNP;
                st.reasons[i] = "rule:name-particle";
                continue;
            }
            // "will no longer tolerate": an adverb of negation, not a determiner.
            if (lowers[i] == "no" && lowers.get(i + 1).is_some_and(|w| w == "longer"))
                || (lowers[i] == "longer" && i > 0 && lowers[i - 1] == "no")
            {
                st.tags[i] = Tag::RB;
                st.reasons[i] = "rule:no-longer";
                continue;
            }
            let (tag, reason, effect) = self.decide(i, &cands, &lowers, &st);
            self.commit(i, tag, reason, effect, &lowers, &mut st);
        }
        self.finish(doc, tokens, st.tags, lowers, st.reasons)
    }

    /// The tag of token `i`: the first choice rule that applies (else the first
    /// candidate), then every revision in turn.
    fn decide(
        &self,
        i: usize,
        cands: &Cands,
        lowers: &[String],
        st: &State,
    ) -> (Tag, &'static str, Effect) {
        let x = self.context(i, cands, lowers, st);
        let c = x.cands;
        let (mut chosen, mut reason, mut effect) = CHOICES
            .iter()
            .find_map(|r: &Rule| (r.apply)(&x, c[0]).map(|t| (t, r.name, r.effect)))
            .unwrap_or((c[0], st.reasons[i], Effect::None));
        if effect == Effect::MaybeReducedRelative && !rules::may_be_reduced_relative(&x) {
            effect = Effect::None;
        }
        if chosen == Tag::VBD && !c.contains(&Tag::VBD) {
            chosen = c[0];
        }
        for r in REVISIONS {
            if let Some(t) = (r.apply)(&x, chosen) {
                chosen = t;
                reason = r.name;
            }
        }
        (chosen, reason, effect)
    }

    /// Records token `i`'s tag and updates the clause state.
    fn commit(
        &self,
        i: usize,
        chosen: Tag,
        reason: &'static str,
        effect: Effect,
        lowers: &[String],
        st: &mut State,
    ) {
        let w = lowers[i].as_str();
        match effect {
            Effect::UndoReducedRelative => {
                if let Some(r) = st.tentative_past.take() {
                    st.tags[r] = Tag::VBN;
                    st.reasons[r] = rules::REDUCED_RELATIVE;
                }
            }
            Effect::MaybeReducedRelative => st.tentative_past = Some(i),
            Effect::None => {}
        }
        // "a militia backed by Iran says …", "… trained abroad will return", "officials
        // involved in the scheme were arrested": a finite verb (of the past tense only
        // "was"/"were", or any after a "by" agent) or a modal after the noun that follows
        // a tentative past form makes that form a reduced relative.
        if let Some(r) = st.tentative_past {
            let be_past = chosen == Tag::VBD && self.classes.has(WordClass::BeForm, w);
            // ("rebels backed by Rwanda seized Goma": a past form with a "by" agent is
            // a participle when any past verb follows the agent.)
            let by_agent = chosen == Tag::VBD && lowers.get(r + 1).is_some_and(|x| x == "by");
            if r != i
                && (matches!(chosen, Tag::VBZ | Tag::VBP | Tag::MD) || be_past || by_agent)
                && i > 0
                && st.tags[i - 1].is_noun()
            {
                st.tags[r] = Tag::VBN;
                st.reasons[r] = rules::REDUCED_RELATIVE;
                st.tentative_past = None;
            }
        }
        st.tags[i] = chosen;
        st.reasons[i] = reason;
        let opener = self.clause_opener(w, chosen);
        // ("gear needed for extended visits will be …": a participle after a preposition,
        // determiner or adjective is an attribute, not another verb.)
        let attribute = matches!(chosen, Tag::VBN | Tag::VBG)
            && i > 0
            && matches!(
                st.tags[i - 1],
                Tag::IN | Tag::DT | Tag::PRPS | Tag::POS | Tag::JJ | Tag::CD
            );
        // Another verb or a new clause in between: no reduced relative to undo.
        if (chosen.is_verb() || chosen == Tag::MD || opener)
            && !attribute
            && st.tentative_past != Some(i)
            && reason != MAIN_VERB_AFTER_REDUCED_RELATIVE
        {
            st.tentative_past = None;
        }
        let finite = matches!(chosen, Tag::VBD | Tag::VBZ | Tag::VBP);
        if finite || chosen == Tag::MD {
            st.finite_seen = true;
            st.finite_since_comma = true;
        }
        if chosen == Tag::COMMA {
            st.tentative_past = None;
            st.finite_since_comma = false;
            // "After the meeting ended, the Taliban rejected …": the comma closes a
            // fronted subordinate clause; the main clause's verb comes next.
            if st.fronted_subordinate {
                st.finite_seen = false;
                st.fronted_subordinate = false;
            }
        }
        // "…, and Israeli jets bombed Beirut": a conjunction after a comma opens a clause.
        let new_clause = chosen == Tag::CC && i > 0 && st.tags[i - 1] == Tag::COMMA;
        if opener
            || new_clause
            || chosen == Tag::WDT
            || chosen == Tag::WP
            || (finite && self.is_speech_form(w))
        {
            // "Ukraine said its troops destroyed …": a reported clause begins.
            st.finite_seen = false;
        }
    }

    /// The lemma of a lower-case word for its tag.
    pub fn lemma(&self, lower: &str, tag: Tag) -> String {
        let pos = if tag.is_verb() || tag == Tag::MD {
            LemmaPos::Verb
        } else if tag.is_noun() {
            LemmaPos::Noun
        } else if tag.is_adjective() {
            LemmaPos::Adjective
        } else {
            return lower.to_string();
        };
        if let Some(l) = self.lexicon.lemma(lower, pos) {
            // "retook" → "re-take" in the table: the lemma is written as the form is;
            // "re-opened" → "re-open" is the word known whole, "reopen".
            if l.contains('-') {
                let whole = l.replace('-', "");
                if !lower.contains('-') || self.lexicon.tags(&whole).is_some() {
                    return whole;
                }
            }
            return l.to_string();
        }
        // A hyphenated form of a word the table knows whole is that word ("re-opened" →
        // "reopen", "co-operate" → "cooperate"); another hyphenated compound inflects its
        // last part: "test-fired" → "test-fire", "car-bombs" → "car-bomb".
        if lower.contains('-') {
            let joined = lower.replace('-', "");
            let whole = self.lemma(&joined, tag);
            if self.lexicon.tags(&whole).is_some() {
                return whole;
            }
        }
        // "court-martialled" → "court-martial": a regular form of a hyphenated verb the
        // lexicon knows.
        if pos == LemmaPos::Verb && lower.contains('-') {
            if let Some(b) = self.regular_verb_lemma(lower) {
                return b;
            }
        }
        if let Some((head, last)) = lower.rsplit_once('-') {
            if !head.is_empty() && !last.is_empty() {
                return format!("{head}-{}", self.lemma(last, tag));
            }
        }
        if pos == LemmaPos::Verb {
            if self.classes.has(WordClass::BeForm, lower) {
                return "be".to_string();
            }
            if self.classes.has(WordClass::HaveForm, lower) {
                return "have".to_string();
            }
            if lower == "does" || lower == "did" {
                return "do".to_string();
            }
        }
        if pos == LemmaPos::Verb {
            if let Some(b) = self.regular_verb_lemma(lower) {
                return b;
            }
        }
        if matches!(tag, Tag::NNS) {
            if let Some(s) = lower.strip_suffix("ies") {
                return format!("{s}y");
            }
            if let Some(s) = lower.strip_suffix('s') {
                if !s.ends_with('s') {
                    return s.to_string();
                }
            }
        }
        lower.to_string()
    }
}

impl Tagger {
    /// The base of a regular inflection the lemma table lacks: "shelled" → "shell",
    /// "stopped" → "stop", "carried" → "carry", "raiding" → "raid", "bombs" → "bomb";
    /// a candidate counts only if the lexicon knows it as a base verb.
    fn regular_verb_lemma(&self, lower: &str) -> Option<String> {
        let is_base = |w: &str| {
            self.lexicon
                .tags(w)
                .is_some_and(|t| t.contains(&Tag::VB) || t.contains(&Tag::VBP))
        };
        let mut cands: Vec<String> = Vec::new();
        for suffix in ["ed", "ing"] {
            if let Some(stem) = lower.strip_suffix(suffix) {
                cands.push(stem.to_string());
                cands.push(format!("{stem}e"));
                // "stopped" → "stop": a doubled final letter (ASCII, so the cut is a
                // character boundary whatever the word).
                let b = stem.as_bytes();
                if b.len() >= 2 && b[b.len() - 1].is_ascii() && b[b.len() - 1] == b[b.len() - 2] {
                    cands.push(stem[..stem.len() - 1].to_string());
                }
                if let Some(y) = stem.strip_suffix('i') {
                    cands.push(format!("{y}y"));
                }
            }
        }
        if let Some(stem) = lower.strip_suffix("ies") {
            cands.push(format!("{stem}y"));
        }
        if let Some(stem) = lower.strip_suffix("es") {
            cands.push(stem.to_string());
        }
        if let Some(stem) = lower.strip_suffix('s') {
            cands.push(stem.to_string());
        }
        // "torched" → "torch": a verb made from a noun that the table knows only as a
        // noun.
        let is_noun = |w: &str| self.lexicon.tags(w).is_some_and(|t| t.contains(&Tag::NN));
        cands
            .iter()
            .find(|c| c.len() >= 2 && is_base(c))
            .or_else(|| cands.iter().find(|c| c.len() >= 3 && is_noun(c)))
            .cloned()
    }
}

fn first_of(c: &[Tag], f: impl Fn(&Tag) -> bool) -> Tag {
    c.iter().copied().find(|t| f(t)).unwrap_or(c[0])
}

impl Tagger {
    /// Tags for a word the lexicon does not know, from its shape.
    fn shape_tags(&self, lower: &str) -> Vec<Tag> {
        if lower.ends_with("ing") && lower.len() > 5 {
            vec![Tag::VBG, Tag::NN]
        } else if lower.ends_with("ed") && lower.len() > 4 {
            vec![Tag::VBD, Tag::VBN, Tag::JJ]
        } else if lower.ends_with("ly") && lower.len() > 4 {
            vec![Tag::RB]
        } else if lower.contains('-') {
            vec![Tag::JJ, Tag::NN]
        } else if lower.ends_with('s') && lower.len() > 3 && !lower.ends_with("ss") {
            vec![Tag::NNS, Tag::VBZ]
        } else if self.classes.ends_with(WordClass::AdjectiveSuffix, lower) {
            vec![Tag::JJ]
        } else {
            vec![Tag::NN]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;
    use annalist_dict::DictSource;

    /// A tagger over a small lexicon plus the embedded closed-class tables and classes.
    fn tagger(mut l: Lexicon) -> Tagger {
        for (p, punct) in [
            ("lexicon/closed.txt", false),
            ("lexicon/punctuation.txt", true),
        ] {
            l.parse_fixed(p, DictSource::embedded_file(p).unwrap(), punct)
                .unwrap();
        }
        Tagger {
            lexicon: l,
            classes: TextClasses::embedded().clone(),
            model: None,
            constraints: Vec::new(),
            id: next_tagger_id(),
        }
    }

    /// What a tagger made of a word on this thread is its own: another tagger (another
    /// lexicon) asked next about the same words gets its answer, not the first one's.
    #[test]
    fn each_tagger_keeps_its_own_words() {
        let s = "Rebels blorf the town.";
        let toks = tokenize(s, 0, s.len());
        let mut verbs = lex();
        verbs.insert_word("blorf", vec![Tag::VBD]);
        let mut nouns = lex();
        nouns.insert_word("blorf", vec![Tag::NN]);
        let (a, b) = (tagger(verbs), tagger(nouns));
        for _ in 0..2 {
            assert_eq!(a.tag(s, &toks)[1].tag, Tag::VBD);
            assert_eq!(b.tag(s, &toks)[1].tag, Tag::NN);
            assert_eq!(a.clone().tag(s, &toks)[1].tag, Tag::VBD);
        }
    }

    /// A doubled final byte inside a multi-byte letter is no doubled consonant: the
    /// lemma guess must not cut the letter (found by fuzzing).
    #[test]
    fn regular_lemma_never_cuts_a_character() {
        let t = tagger(Lexicon::default());
        for w in ["\u{c6db}ed", "é\u{c6db}ing", "ßßed", "stopped"] {
            let _ = t.regular_verb_lemma(w);
        }
    }

    fn lex() -> Lexicon {
        let mut l = Lexicon::default();
        for (w, t) in [
            ("strikes", "NNS VBZ"),
            ("killed", "VBD VBN"),
            ("attacks", "NNS VBZ"),
            ("plans", "NNS VBZ"),
            ("talks", "NNS VBZ"),
            ("Israeli", "JJ NNP"),
            ("civilians", "NNS"),
            ("agreed", "VBD VBN"),
            ("hold", "VB VBP NN"),
            ("ended", "VBD VBN"),
            ("troops", "NNS"),
            ("deployed", "VBD VBN"),
            ("there", "EX RB"),
            ("said", "VBD VBN"),
            ("attack", "NN VB VBP"),
            ("calls", "VBZ NNS"),
            ("for", "IN"),
            ("restraint", "NN"),
            ("met", "VBD VBN"),
            ("Gaza", "NNP"),
        ] {
            l.insert_word(w, t.split(' ').map(|t| Tag::parse(t).unwrap()).collect());
        }
        l.insert_lemma("strikes", "strike", LemmaPos::Noun);
        l.insert_lemma("strikes", "strike", LemmaPos::Verb);
        l.insert_lemma("killed", "kill", LemmaPos::Verb);
        l
    }

    fn tags(s: &str) -> Vec<String> {
        let t = tagger(lex());
        t.tag(s, &tokenize(s, 0, s.len()))
            .iter()
            .map(|t| format!("{}/{}", t.lower, t.tag.as_str()))
            .collect()
    }

    #[test]
    fn noun_after_adjective_verb_after_subject() {
        assert_eq!(
            tags("Israeli strikes killed civilians"),
            vec!["israeli/JJ", "strikes/NNS", "killed/VBD", "civilians/NNS"]
        );
        assert_eq!(
            tags("Russia strikes Gaza"),
            vec!["russia/NNP", "strikes/VBZ", "gaza/NNP"]
        );
    }

    #[test]
    fn infinitive_participle_and_plural_nouns() {
        assert_eq!(tags("Russia plans to attack")[1], "plans/VBZ");
        assert_eq!(tags("Russia plans to attack")[3], "attack/VB");
        assert_eq!(tags("The talks ended")[1], "talks/NNS");
        assert_eq!(tags("The troops had agreed")[3], "agreed/VBN");
        assert_eq!(tags("Russia calls for restraint")[1], "calls/VBZ");
    }

    #[test]
    fn lemmas() {
        let t = tagger(lex());
        let s = "Israeli strikes killed";
        let r = t.tag(s, &tokenize(s, 0, s.len()));
        assert_eq!(r[1].lemma, "strike");
        assert_eq!(r[2].lemma, "kill");
        // A hyphenated compound inflects its last part.
        let s = "Rebels test-killed";
        let r = t.tag(s, &tokenize(s, 0, s.len()));
        assert_eq!(r[1].lemma, "test-kill");
        // A hyphenated form of a word known whole takes the whole word's lemma.
        let mut l = lex();
        l.insert_word("re-took", vec![Tag::VBD]);
        l.insert_lemma("re-took", "re-take", LemmaPos::Verb);
        l.insert_word("retake", vec![Tag::VB]);
        let t = tagger(l);
        let s = "Rebels re-took";
        let r = t.tag(s, &tokenize(s, 0, s.len()));
        assert_eq!(r[1].lemma, "retake");
    }
}

#[cfg(test)]
mod data_tests {
    use super::*;

    /// Every constraint the dictionaries list names a rule of the tagger.
    #[test]
    fn constraints_name_known_rules() {
        let text = annalist_dict::DictSource::embedded_file("tagger/constraints.txt").unwrap();
        let names =
            annalist_dict::tagger::parse_constraints("tagger/constraints.txt", text).unwrap();
        assert!(names.len() > 5);
        for n in &names {
            assert!(rule_names().any(|r| r == n), "unknown rule {n}");
        }
    }
}
