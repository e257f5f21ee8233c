//! The PETRARCH verb dictionary (`CAMEO.2.0.txt`) as annalist patterns.
//!
//! ```text
//! &CURRENCY                                  synonym set: `+` members, nouns
//! +MONEY
//! ---  CANCEL   [---]  ---                   verb block: its code for the bare verb
//! +CALL_OFF [160]                            multiword verb (`+` marks the verb) with a code
//! STOP {STOPS STOPPING STOPPED }             verb with its irregular forms
//! - * MEETING                  [040]         pattern: `*` is the verb; object head
//! - * (WITH +)                 [040]         prepositional phrase holding the target
//! - * {AIR RAIDS}              [087]         a phrase whose last word is the head
//! - * &FIGHT                   [0871]        a synonym set
//! - * VISIT                    [042:043]     source→target code : target→source code
//! - MARKET * [---]                           words before the verb; null code
//! ~ a (a b ATTACK) SAY = a b 015             transformation
//! ```
//! Each pattern applies to every verb of its block: it becomes one `verbs.txt` line per
//! verb lemma (`040 | end [meeting]`, `040 | meet | with`), and synonym sets become
//! `nouns.txt` classes named `PETRARCH_NAME`. What annalist's pattern cannot say
//! (constraints before the verb, a source after it, two constrained noun phrases,
//! reverse-only codes, null codes …) is reported or, where a weaker pattern keeps the
//! meaning, approximated with a note (`# … approx: …` on the output line).
use super::names;
use super::{FileReport, Outputs};
use crate::classes::WordClass;
use crate::lexicon::{LemmaPos, Tag};
use crate::Dictionaries;
use std::collections::HashMap;

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq)]
enum El {
    Star,
    Source,
    Target,
    Skip,
    Compound,
    Word(String),
    Synset(String),
    /// `{A B C}`: words (or `&SET`s) of one noun phrase; the last is the head.
    Phrase(Vec<String>),
    /// `(PREP …)`
    Pp(String, Vec<El>),
}

/// Splits a pattern body (between `-` and the code) into elements.
fn parse_elements(body: &str) -> Result<Vec<El>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                let close = chars[i..]
                    .iter()
                    .position(|&x| x == ')')
                    .ok_or("unclosed `(`")?;
                let inner: String = chars[i + 1..i + close].iter().collect();
                let mut els = parse_elements(&inner)?;
                if els.iter().any(|e| matches!(e, El::Pp(..) | El::Star)) {
                    return Err(format!("unexpected `(` or `*` inside ({inner})"));
                }
                let prep = match els.first() {
                    Some(El::Word(w)) => w.clone(),
                    _ => return Err(format!("({inner}) does not start with a preposition")),
                };
                els.remove(0);
                out.push(El::Pp(prep, els));
                i += close + 1;
            }
            '{' => {
                let close = chars[i..]
                    .iter()
                    .position(|&x| x == '}')
                    .ok_or("unclosed `{`")?;
                let inner: String = chars[i + 1..i + close].iter().collect();
                let words: Vec<String> = names::words(&inner)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                if words.is_empty() {
                    return Err("empty `{}`".into());
                }
                out.push(El::Phrase(words));
                i += close + 1;
            }
            ')' | '}' => return Err(format!("unbalanced `{c}`")),
            '*' => {
                out.push(El::Star);
                i += 1;
            }
            '$' => {
                out.push(El::Source);
                i += 1;
            }
            '+' => {
                out.push(El::Target);
                i += 1;
            }
            '^' => {
                out.push(El::Skip);
                i += 1;
            }
            '%' => {
                out.push(El::Compound);
                i += 1;
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !"(){}*$+^%[]".contains(chars[i])
                {
                    i += 1;
                }
                let w: String = chars[start..i].iter().collect();
                if w.is_empty() {
                    return Err(format!("unexpected `{c}`"));
                }
                if let Some(name) = w.strip_prefix('&') {
                    out.push(El::Synset(name.to_string()));
                } else if w.trim_matches('_').contains('_') {
                    out.push(El::Phrase(
                        names::words(&w).into_iter().map(str::to_string).collect(),
                    ));
                } else {
                    out.push(El::Word(w.trim_matches('_').to_string()));
                }
            }
        }
    }
    Ok(out)
}

/// `(BY/WITH X)`: one element list per alternative preposition.
fn alternatives(els: &[El]) -> Vec<Vec<El>> {
    let mut out = vec![Vec::new()];
    for e in els {
        match e {
            El::Pp(p, body) if p.contains('/') => {
                let alts: Vec<&str> = p.split('/').filter(|a| !a.is_empty()).collect();
                out = out
                    .into_iter()
                    .flat_map(|v| {
                        alts.iter().map(move |a| {
                            let mut v = v.clone();
                            v.push(El::Pp(a.to_string(), body.clone()));
                            v
                        })
                    })
                    .collect();
            }
            _ => out.iter_mut().for_each(|v| v.push(e.clone())),
        }
    }
    out
}

/// A CAMEO code pair `[A]`, `[A:B]`, `[:B]`, `[---]`.
#[derive(Debug, Clone, PartialEq)]
struct Code {
    /// Source → target (`None`: null `---` or absent).
    forward: Option<String>,
    /// Target → source, for mutual or reciprocal events.
    reverse: Option<String>,
}

fn parse_code(s: &str) -> Result<Code, String> {
    let s = s.trim();
    let one = |x: &str| -> Result<Option<String>, String> {
        let x = x.trim();
        if x.is_empty() || x.chars().all(|c| c == '-') {
            Ok(None)
        } else if x.chars().all(|c| c.is_ascii_digit()) && (2..=4).contains(&x.len()) {
            Ok(Some(x.to_string()))
        } else {
            Err(format!("bad CAMEO code {x:?}"))
        }
    };
    Ok(match s.split_once(':') {
        Some((a, b)) => Code {
            forward: one(a)?,
            reverse: one(b)?,
        },
        None => Code {
            forward: one(s)?,
            reverse: None,
        },
    })
}

/// What annalist can constrain the object (or a prepositional phrase) with.
#[derive(Debug, Clone, PartialEq)]
enum Obj {
    /// Literal heads: one word (a lemma) or two (modifier and head lemma).
    Nouns(Vec<String>),
    Class(String),
}

impl Obj {
    fn render(&self) -> String {
        match self {
            Obj::Nouns(v) => format!("[{}]", v.join("/").replace(' ', "_")),
            Obj::Class(c) => format!("{{{c}}}"),
        }
    }
}

/// The verb-independent part of a converted pattern.
#[derive(Debug, Clone, Default)]
struct Conv {
    particle: Option<String>,
    /// The particle is a verb particle (may be followed by a preposition).
    verb_particle: bool,
    object: Option<Obj>,
    targets: Vec<String>,
    notes: Vec<String>,
}

/// A pattern line, read: its code and one conversion per alternative preposition.
type ParsedPattern = Result<(Code, Vec<Conv>), String>;

/// A verb of a block.
#[derive(Debug, Clone)]
struct Verb {
    line: usize,
    lemma: String,
    copular: bool,
    particle: Option<String>,
    object: Option<Obj>,
    code: Option<Code>,
}

struct Ctx<'a> {
    reference: &'a Dictionaries,
    /// Synonym sets: name (without `&`, `_`) → member lemmas (lower case, words
    /// separated by blanks).
    synsets: HashMap<String, Vec<String>>,
}

impl Ctx<'_> {
    fn tags(&self, w: &str) -> &[Tag] {
        self.reference.lexicon.tags(w).unwrap_or(&[])
    }
    fn known(&self, w: &str) -> bool {
        self.reference.lexicon.tags(w).is_some()
    }
    fn is_prep(&self, w: &str) -> bool {
        self.tags(w)
            .iter()
            .any(|t| matches!(t, Tag::IN | Tag::TO | Tag::RP))
    }
    fn is_particle(&self, w: &str) -> bool {
        self.reference.classes.has(WordClass::VerbParticle, w) || self.is_prep(w)
    }
    fn is_noun(&self, w: &str) -> bool {
        !self.known(w)
            || self.tags(w).iter().any(|t| t.is_noun())
            || self.reference.lexicon.lemma(w, LemmaPos::Noun).is_some()
    }
    /// A word that can head a noun phrase in a pattern: a noun, or a verb or adjective
    /// the pattern uses as one ("KILLING", "OFFENSIVE"); not a pure adverb or
    /// preposition.
    fn nounish(&self, w: &str) -> bool {
        self.is_noun(w)
            || self
                .tags(w)
                .iter()
                .any(|t| t.is_verb() || t.is_adjective() || *t == Tag::CD)
    }
    fn noun_lemma(&self, w: &str) -> String {
        let w = w.to_lowercase();
        self.reference
            .lexicon
            .lemma(&w, LemmaPos::Noun)
            .map(str::to_string)
            .unwrap_or(w)
    }
    fn class_name(name: &str) -> String {
        let n: String = name
            .trim_matches('_')
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        format!("PETRARCH_{n}")
    }
    fn synset_key(name: &str) -> String {
        name.trim_matches('_').to_ascii_uppercase()
    }

    /// A noun phrase of a pattern (`WORD`, `&SET`, `{A B}`) as an annalist object.
    fn object(&self, el: &El, notes: &mut Vec<String>) -> Result<Obj, String> {
        match el {
            El::Word(w) => {
                let lw = w.to_lowercase();
                if !self.nounish(&lw) {
                    return Err(format!(
                        "{w} is not a noun: annalist constrains the head noun of a phrase"
                    ));
                }
                Ok(Obj::Nouns(vec![self.noun_lemma(&lw)]))
            }
            El::Synset(s) => {
                let key = Self::synset_key(s);
                if !self.synsets.contains_key(&key) {
                    return Err(format!("synonym set &{s} is not defined above"));
                }
                Ok(Obj::Class(Self::class_name(s)))
            }
            El::Phrase(words) => {
                let items: Vec<&String> = if words.len() > 2 {
                    notes.push(format!(
                        "{{{}}}: only the last two words (annalist's heads are a word and its modifier)",
                        words.join(" ")
                    ));
                    words[words.len() - 2..].iter().collect()
                } else {
                    words.iter().collect()
                };
                // Each word's alternatives: a synonym set's members, or the word.
                let alts = |w: &str, head: bool| -> Result<Vec<String>, String> {
                    match w.strip_prefix('&') {
                        Some(s) => {
                            let members = self
                                .synsets
                                .get(&Self::synset_key(s))
                                .ok_or_else(|| format!("synonym set &{s} is not defined above"))?;
                            Ok(members
                                .iter()
                                .map(|m| {
                                    let last = m.rsplit(' ').next().unwrap_or(m);
                                    last.to_string()
                                })
                                .collect())
                        }
                        None if head => Ok(vec![self.noun_lemma(w)]),
                        None => Ok(vec![w.to_lowercase()]),
                    }
                };
                let head = alts(items[items.len() - 1], true)?;
                if items.len() == 1 {
                    return Ok(Obj::Nouns(head));
                }
                let modifier = alts(items[0], false)?;
                if modifier.len() * head.len() > 400 {
                    return Err(format!(
                        "{{{}}} expands to more than 400 heads",
                        words.join(" ")
                    ));
                }
                let mut v = Vec::new();
                for m in &modifier {
                    for h in &head {
                        let x = format!("{m} {h}");
                        if !v.contains(&x) {
                            v.push(x);
                        }
                    }
                }
                Ok(Obj::Nouns(v))
            }
            _ => Err("expected a noun phrase".into()),
        }
    }

    /// Converts what a pattern says about the words around the verb.
    fn convert(&self, els: &[El]) -> Result<Conv, String> {
        let stars = els.iter().filter(|e| **e == El::Star).count();
        if stars != 1 {
            return Err(format!(
                "{} `*` (the verb's place): expected one",
                if stars == 0 { "no" } else { "more than one" }
            ));
        }
        let at = els.iter().position(|e| *e == El::Star).unwrap();
        let (pre, post) = (&els[..at], &els[at + 1..]);
        for e in pre {
            match e {
                El::Source => {} // the subject is the source: annalist's default
                El::Target => {
                    return Err(
                        "`+` before the verb (the target as subject): not expressible".into(),
                    )
                }
                El::Compound => {
                    return Err("`%` (compound actors) is not expressible".into());
                }
                _ => {
                    return Err(
                        "words before the verb (constraints on the subject): annalist patterns constrain only what follows the verb"
                            .into(),
                    )
                }
            }
        }
        // Normalise: particles, implicit prepositional phrases ("TOWARD +").
        #[derive(Debug)]
        enum Item {
            Particle(String),
            Noun(El),
            Pp(String, Vec<El>),
            Target,
        }
        let mut items: Vec<Item> = Vec::new();
        let mut i = 0;
        while i < post.len() {
            let e = &post[i];
            i += 1;
            match e {
                El::Word(w) => {
                    let lw = w.to_lowercase();
                    if items.is_empty() && self.is_particle(&lw) && !self.is_noun(&lw) {
                        items.push(Item::Particle(lw));
                    } else if self.is_prep(&lw) && !self.is_noun(&lw) {
                        let mut body = Vec::new();
                        if let Some(next) = post.get(i) {
                            if matches!(
                                next,
                                El::Word(_)
                                    | El::Synset(_)
                                    | El::Phrase(_)
                                    | El::Target
                                    | El::Source
                                    | El::Skip
                            ) {
                                body.push(next.clone());
                                i += 1;
                            }
                        }
                        items.push(Item::Pp(lw, body));
                    } else if self.nounish(&lw) {
                        items.push(Item::Noun(e.clone()));
                    } else {
                        return Err(format!(
                            "{w} after the verb is neither a noun nor a preposition (PETRARCH word order; annalist constrains head nouns)"
                        ));
                    }
                }
                El::Synset(_) | El::Phrase(_) => items.push(Item::Noun(e.clone())),
                El::Pp(p, body) => items.push(Item::Pp(p.to_lowercase(), body.clone())),
                El::Target => {
                    // `(AGAINST) +`: the target of the bare phrase before it.
                    if let Some(Item::Pp(_, body)) = items.last_mut() {
                        if body.is_empty() {
                            body.push(El::Target);
                            continue;
                        }
                    }
                    items.push(Item::Target);
                }
                El::Source => {
                    return Err(
                        "`$` after the verb (the source in the object or a phrase): annalist's source is the subject or the passive's by-phrase"
                            .into(),
                    )
                }
                El::Skip => {}
                El::Compound => return Err("`%` (compound actors) is not expressible".into()),
                El::Star => unreachable!(),
            }
        }
        let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase());
        for item in &items {
            match item {
                Item::Particle(p) | Item::Pp(p, _) if !word(p) => {
                    return Err(format!("{p:?} is not a preposition"))
                }
                _ => {}
            }
        }
        let mut c = Conv::default();
        let mut it = items.into_iter().peekable();
        if let Some(Item::Particle(_)) = it.peek() {
            if let Some(Item::Particle(p)) = it.next() {
                c.particle = Some(p);
                c.verb_particle = true;
            }
        }
        let mut seen_pp = false;
        let mut pp_constraint = false;
        for item in it {
            match item {
                Item::Particle(_) => unreachable!(),
                Item::Target => {} // the object is the target: annalist's default
                Item::Noun(e) => {
                    if c.object.is_some() || seen_pp {
                        return Err(format!(
                            "a second noun ({}) after the {}: annalist constrains one noun phrase",
                            show(&e),
                            if seen_pp {
                                "prepositional phrase"
                            } else {
                                "object"
                            }
                        ));
                    }
                    c.object = Some(self.object(&e, &mut c.notes)?);
                }
                Item::Pp(prep, body) => {
                    seen_pp = true;
                    if body.contains(&El::Source) {
                        return Err(format!(
                            "`$` in ({} …): the source in a phrase is not expressible",
                            prep.to_uppercase()
                        ));
                    }
                    let target = body.contains(&El::Target);
                    let nouns: Vec<&El> = body
                        .iter()
                        .filter(|e| matches!(e, El::Word(_) | El::Synset(_) | El::Phrase(_)))
                        .collect();
                    if nouns.len() > 1 {
                        c.notes
                            .push(format!("({} …): only its first noun", prep.to_uppercase()));
                    }
                    let can_be_particle = c.object.is_none()
                        && !pp_constraint
                        && match &c.particle {
                            None => true,
                            Some(p) => c.verb_particle && !p.contains(' '),
                        };
                    let join = |c: &mut Conv| {
                        c.particle = Some(match c.particle.take() {
                            Some(p) => format!("{p} {prep}"),
                            None => prep.clone(),
                        });
                        c.verb_particle = false;
                    };
                    if target {
                        if let Some(n) = nouns.first() {
                            c.notes.push(format!(
                                "({} + {}): the noun is dropped, the phrase holds the target",
                                prep.to_uppercase(),
                                show(n)
                            ));
                        } else if can_be_particle {
                            // `* (TO +)`: the phrase is required and holds the target.
                            join(&mut c);
                            pp_constraint = true;
                        }
                        if !c.targets.contains(&prep) {
                            c.targets.push(prep.clone());
                        }
                    } else if let Some(n) = nouns.first() {
                        if can_be_particle {
                            let o = self.object(n, &mut c.notes)?;
                            join(&mut c);
                            c.object = Some(o);
                            pp_constraint = true;
                        } else {
                            c.notes.push(format!(
                                "({} {}) dropped: annalist constrains one noun phrase",
                                prep.to_uppercase(),
                                show(n)
                            ));
                        }
                    } else if can_be_particle {
                        join(&mut c);
                        pp_constraint = true;
                    } else {
                        c.notes.push(format!(
                            "({}) is a target preposition, not a required phrase",
                            prep.to_uppercase()
                        ));
                        if !c.targets.contains(&prep) {
                            c.targets.push(prep.clone());
                        }
                    }
                }
            }
        }
        Ok(c)
    }
}

fn show(e: &El) -> String {
    match e {
        El::Word(w) => w.clone(),
        El::Synset(s) => format!("&{s}"),
        El::Phrase(w) => format!("{{{}}}", w.join(" ")),
        _ => "?".into(),
    }
}

/// Parses a verb line: `WORD`, `WORD {FORMS}`, `+WORD_PARTICLE {…} [code]`.
fn parse_verb(ctx: &Ctx, n: usize, line: &str) -> Result<(Verb, Vec<String>), String> {
    let mut notes = Vec::new();
    let (head, rest) = match line.find(['{', '[']) {
        Some(k) => (line[..k].trim(), &line[k..]),
        None => (line.trim(), ""),
    };
    let mut forms = "";
    let mut code = None;
    let mut r = rest;
    while let Some(c) = r.chars().next() {
        let close = if c == '{' { '}' } else { ']' };
        let end = r
            .find(close)
            .ok_or_else(|| format!("unclosed `{c}` in {line:?}"))?;
        if c == '{' {
            forms = &r[1..end];
        } else {
            code = Some(parse_code(&r[1..end])?);
        }
        r = r[end + 1..].trim_start();
        if !r.is_empty() && !r.starts_with(['{', '[']) {
            return Err(format!("unexpected {r:?} after the verb"));
        }
    }
    let words: Vec<&str> = names::words(head);
    if words.is_empty() {
        return Err("no verb".into());
    }
    let vi = match words.iter().position(|w| w.starts_with('+')) {
        Some(i) => i,
        None if words.len() == 1 => 0,
        None => return Err(format!("{head}: several words and no `+` marking the verb")),
    };
    if vi > 0 {
        return Err(format!(
            "{head}: words before the verb: annalist patterns start at the verb"
        ));
    }
    let vw = words[0].trim_start_matches('+').to_lowercase();
    // The forms' verbs: `+IS_DETERMINED {+WAS_DETERMINED +BE_DETERMINED}` is `be`.
    let form_verbs: Vec<String> = forms
        .split([' ', ','])
        .filter_map(|f| {
            names::words(f)
                .first()
                .map(|w| w.trim_start_matches('+').to_lowercase())
        })
        .collect();
    let lemma = ctx
        .reference
        .lexicon
        .lemma(&vw, LemmaPos::Verb)
        .map(str::to_string)
        .unwrap_or_else(|| {
            if form_verbs.iter().any(|f| f == "be") {
                "be".to_string()
            } else {
                vw.clone()
            }
        });
    let verb_tags = |w: &str| ctx.tags(w).iter().any(|t| t.is_verb());
    if ctx.known(&lemma) && !verb_tags(&lemma) && !verb_tags(&vw) {
        return Err(format!(
            "{} is never a verb in annalist's lexicon (the tagger never makes it a predicate)",
            vw.to_uppercase()
        ));
    }
    let mut v = Verb {
        line: n,
        lemma,
        copular: false,
        particle: None,
        object: None,
        code,
    };
    let after: Vec<String> = words[1..].iter().map(|w| w.to_lowercase()).collect();
    if v.lemma == "be" {
        match after.as_slice() {
            [adj] => {
                v.copular = true;
                v.lemma = adj.clone();
            }
            _ => return Err(format!("{head}: `be` needs one adjective")),
        }
    } else {
        match after.as_slice() {
            [] => {}
            [p] if ctx.is_particle(p) && !ctx.is_noun(p) => v.particle = Some(p.clone()),
            [o] if ctx.is_noun(o) || ctx.tags(o).iter().any(|t| t.is_verb()) => {
                v.object = Some(Obj::Nouns(vec![ctx.noun_lemma(o)]))
            }
            [p, q] if ctx.is_particle(p) && ctx.is_prep(q) => {
                v.particle = Some(format!("{p} {q}"))
            }
            [p, o] if ctx.is_prep(p) && ctx.nounish(o) => {
                v.particle = Some(p.clone());
                v.object = Some(Obj::Nouns(vec![ctx.noun_lemma(o)]));
            }
            _ => {
                return Err(format!(
                    "{head}: the words after the verb are not a particle, a preposition and a noun, or an object noun"
                ))
            }
        }
    }
    // Irregular forms: the tagger must know them as forms of the lemma.
    for f in forms.split([' ', ',']).filter(|f| !f.trim().is_empty()) {
        let fw = names::words(f)
            .first()
            .map(|w| w.trim_start_matches('+').to_lowercase())
            .unwrap_or_default();
        let base = if v.copular { "be" } else { v.lemma.as_str() };
        if !fw.is_empty()
            && fw != base
            && ctx.reference.lexicon.lemma(&fw, LemmaPos::Verb) != Some(base)
            && !v.copular
        {
            notes.push(format!(
                "form {} is not a form of {base:?} in annalist's lexicon (lexicon/lemmas.txt)",
                fw.to_uppercase()
            ));
        }
    }
    Ok((v, notes))
}

/// Builds the annalist pattern text for `verb` with `conv`.
fn combine(verb: &Verb, conv: &Conv) -> Result<(String, Vec<String>), String> {
    let particle = match (&verb.particle, &conv.particle) {
        (None, p) => p.clone(),
        (Some(v), None) => Some(v.clone()),
        // `+MEET_WITH` with `* (WITH +)`: the same preposition.
        (Some(v), Some(p)) if v == p || v.ends_with(&format!(" {p}")) => Some(v.clone()),
        (Some(v), Some(p)) if !v.contains(' ') && !p.contains(' ') && !conv.verb_particle => {
            Some(format!("{v} {p}"))
        }
        (Some(v), Some(p)) => {
            return Err(format!(
                "the verb's particle {v:?} and the pattern's {p:?}: at most a particle and a preposition"
            ))
        }
    };
    let object = match (&verb.object, &conv.object) {
        (Some(v), None) if conv.particle.is_none() => Some(v.clone()),
        (Some(v), _) => {
            return Err(format!(
                "the multiword verb fixes its object {}; the pattern constrains another phrase",
                v.render()
            ))
        }
        (None, o) => o.clone(),
    };
    let mut text = String::new();
    if verb.copular {
        text.push_str("be ");
    }
    text.push_str(&verb.lemma);
    if let Some(p) = &particle {
        text.push(' ');
        text.push_str(p);
    }
    if let Some(o) = &object {
        text.push(' ');
        text.push_str(&o.render());
    }
    Ok((text, conv.targets.clone()))
}

/// The output of one (pattern, verb) pair before de-duplication.
struct Candidate {
    code: String,
    text: String,
    targets: Vec<String>,
    notes: Vec<String>,
}

impl Candidate {
    fn render(&self, file: &str, line: usize) -> String {
        let target = if self.targets.is_empty() {
            String::new()
        } else {
            format!(" | {}", self.targets.join(" "))
        };
        let approx = if self.notes.is_empty() {
            String::new()
        } else {
            format!(" approx: {}", self.notes.join("; "))
        };
        format!(
            "{} | {}{target}    # {file}:{line}{approx}",
            self.code, self.text
        )
    }
}

/// Imports a verb dictionary.
pub(crate) fn import_verbs(
    file: &str,
    text: &str,
    reference: &Dictionaries,
    report: &mut FileReport,
    out: &mut Outputs,
) {
    let mut ctx = Ctx {
        reference,
        synsets: HashMap::new(),
    };
    // Pass 1: synonym sets (defined before use, as PETRARCH requires) and the line kinds.
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split(['#', ';']).next().unwrap_or("").trim()))
        .collect();
    /// A synonym set as read: name, line, members with their lines.
    type SynsetLines = Vec<(String, usize, Vec<(usize, String)>)>;
    let mut synset_lines: SynsetLines = Vec::new();
    let mut in_blocks = false;
    for &(n, l) in &lines {
        if l.is_empty() {
            continue;
        }
        if l.starts_with("---") {
            in_blocks = true;
        }
        if let Some(name) = l.strip_prefix('&') {
            if in_blocks {
                continue;
            }
            synset_lines.push((name.trim().to_string(), n, Vec::new()));
        } else if let (Some(m), false) = (l.strip_prefix('+'), in_blocks) {
            match synset_lines.last_mut() {
                Some(s) => s.2.push((n, m.trim().to_string())),
                None => report.report(n, "member with no synonym set (`&NAME`) above it"),
            }
        }
    }
    for (name, n, members) in &synset_lines {
        let mut v: Vec<String> = Vec::new();
        for (l, m) in members {
            let words: Vec<String> = names::words(m).iter().map(|w| w.to_lowercase()).collect();
            if words.is_empty() || m.contains(['$', '+', '%', '^', '|', '[', '{']) {
                report.report(*l, format!("bad synonym {m:?}"));
                continue;
            }
            let mut words = words;
            let last = words.pop().unwrap();
            words.push(ctx.noun_lemma(&last));
            let member = words.join(" ");
            if words.len() > 2 {
                report.approximate(
                    *l,
                    format!("{member:?}: annalist's heads are at most two words; never matches"),
                );
            } else {
                report.converted(*l);
            }
            if !v.contains(&member) {
                v.push(member);
            }
        }
        if v.is_empty() {
            report.report(*n, format!("synonym set &{name} has no member"));
            continue;
        }
        let key = Ctx::synset_key(name);
        if ctx.synsets.contains_key(&key) {
            report.report(*n, format!("synonym set &{name} is defined twice"));
            continue;
        }
        out.push(
            "nouns",
            format!(
                "{} | {}    # {file}:{n}",
                Ctx::class_name(name),
                v.join("; ")
            ),
        );
        report.converted(*n);
        ctx.synsets.insert(key, v);
    }

    // Pass 2: verb blocks.
    struct Block {
        line: usize,
        code: Option<Code>,
        verbs: Vec<Verb>,
        /// Each pattern line: its code and one conversion per alternative preposition.
        patterns: Vec<(usize, ParsedPattern)>,
    }
    let mut blocks: Vec<Block> = Vec::new();
    for &(n, l) in &lines {
        if l.is_empty() {
            continue;
        }
        if l.starts_with("---") {
            let inner = l.trim_matches('-').trim();
            let code = inner
                .find('[')
                .and_then(|a| inner[a + 1..].find(']').map(|b| &inner[a + 1..a + 1 + b]));
            match code.map(parse_code).transpose() {
                Ok(code) => blocks.push(Block {
                    line: n,
                    code,
                    verbs: Vec::new(),
                    patterns: Vec::new(),
                }),
                Err(e) => {
                    report.report(n, e);
                    blocks.push(Block {
                        line: n,
                        code: None,
                        verbs: Vec::new(),
                        patterns: Vec::new(),
                    });
                }
            }
            continue;
        }
        let Some(block) = blocks.last_mut() else {
            continue; // synonym sets and headers before the first block
        };
        if l.starts_with('~') {
            report.report(
                n,
                "transformation (`~`): annalist combines a verb with its complement's event through the `combine` lines of verbs.txt",
            );
        } else if l.starts_with('&') {
            report.report(
                n,
                "synonym set defined after the verb blocks (PETRARCH requires them before use)",
            );
        } else if let Some(body) = l.strip_prefix('-') {
            let parsed = (|| {
                let open = body.rfind('[').ok_or("no `[code]`")?;
                let close = body[open..].find(']').ok_or("unclosed `[`")? + open;
                if !body[close + 1..].trim().is_empty() {
                    return Err(format!(
                        "unexpected {:?} after the code",
                        body[close + 1..].trim()
                    ));
                }
                let code = parse_code(&body[open + 1..close])?;
                let els = parse_elements(&body[..open])?;
                let convs = alternatives(&els)
                    .iter()
                    .map(|els| ctx.convert(els))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((code, convs))
            })();
            block.patterns.push((n, parsed));
        } else {
            match parse_verb(&ctx, n, l) {
                Ok((v, notes)) => {
                    for note in notes {
                        report.note(n, note);
                    }
                    block.verbs.push(v);
                }
                Err(e) => report.report(n, e),
            }
        }
    }

    // Pass 3: every pattern for every verb of its block.
    let cameo = &reference.cameo;
    let code_ok = |c: &str| -> Result<(), String> {
        if cameo.get(c).is_some() {
            Ok(())
        } else if c.starts_with("01") {
            Err(format!(
                "CAMEO {c} is a public statement: no PLOVER type, annalist codes none"
            ))
        } else {
            Err(format!("CAMEO {c} is not in cameo.txt (no PLOVER type)"))
        }
    };
    /// A candidate output line and where it comes from.
    struct Pending {
        block: usize,
        verb: usize,
        /// The line it is written for (a pattern, a verb, or a block header).
        line: usize,
        copular: bool,
        /// The bare verb (its own or its block's code), not a pattern.
        bare: bool,
        cand: Candidate,
    }
    let mut pending: Vec<Pending> = Vec::new();
    for (bi, block) in blocks.iter().enumerate() {
        // The bare verb: its own code, else the block's.
        for (vi, v) in block.verbs.iter().enumerate() {
            let (code, from_block) = match (&v.code, &block.code) {
                (Some(c), _) => (c.clone(), false),
                (None, Some(c)) => (c.clone(), true),
                (None, None) => continue,
            };
            let Some(fwd) = code.forward.clone() else {
                continue; // null: the bare verb codes nothing, as in annalist
            };
            let at = if from_block { block.line } else { v.line };
            if let Err(e) = code_ok(&fwd) {
                report.report(at, e);
                continue;
            }
            let (text, mut targets) = match combine(v, &Conv::default()) {
                Ok(x) => x,
                Err(e) => {
                    report.report(v.line, e);
                    continue;
                }
            };
            let mut notes = Vec::new();
            match &code.reverse {
                Some(r) if *r == fwd => targets.push("each".into()),
                Some(r) => notes.push(format!("the reverse code {r} is dropped")),
                None => {}
            }
            pending.push(Pending {
                block: bi,
                verb: vi,
                line: at,
                copular: v.copular,
                bare: true,
                cand: Candidate {
                    code: fwd,
                    text,
                    targets,
                    notes,
                },
            });
        }
        for (pl, parsed) in &block.patterns {
            let (code, convs) = match parsed {
                Ok(x) => x,
                Err(e) => {
                    report.report(*pl, e.clone());
                    continue;
                }
            };
            let Some(fwd) = code.forward.clone() else {
                report.report(
                    *pl,
                    if code.reverse.is_some() {
                        "reverse-only code `[:CODE]` (the target acts on the source): not expressible"
                    } else {
                        "null code `[---]`: annalist has no pattern that codes nothing (the verb's other patterns may then apply)"
                    },
                );
                continue;
            };
            if let Err(e) = code_ok(&fwd) {
                report.report(*pl, e);
                continue;
            }
            if block.verbs.is_empty() {
                report.report(*pl, "no verb in this block converts");
                continue;
            }
            for (vi, v) in block.verbs.iter().enumerate() {
                for conv in convs {
                    let (text, mut targets) = match combine(v, conv) {
                        Ok(x) => x,
                        Err(e) => {
                            report.report(*pl, format!("for {}: {e}", v.lemma));
                            continue;
                        }
                    };
                    let mut notes = conv.notes.clone();
                    match &code.reverse {
                        Some(r) if *r == fwd && !targets.iter().any(|t| t == "each") => {
                            targets.push("each".into())
                        }
                        Some(r) if *r == fwd => {}
                        Some(r) => notes.push(format!("the reverse code {r} is dropped")),
                        None => {}
                    }
                    pending.push(Pending {
                        block: bi,
                        verb: vi,
                        line: *pl,
                        copular: v.copular,
                        bare: false,
                        cand: Candidate {
                            code: fwd.clone(),
                            text,
                            targets,
                            notes,
                        },
                    });
                }
            }
        }
    }
    // Exact conversions first, so that an approximation (a pattern that lost a
    // constraint) never takes the place of an exact pattern; then file order.
    // Patterns before bare verbs, whose pattern text is the most general.
    pending.sort_by_key(|p| (!p.cand.notes.is_empty(), p.bare));
    let mut written: HashMap<(bool, String), (usize, String, Vec<String>)> = HashMap::new();
    let mut used: Vec<Vec<bool>> = blocks.iter().map(|b| vec![false; b.verbs.len()]).collect();
    for p in &pending {
        match emit(&mut written, p.copular, &p.cand, p.line, file, out) {
            Ok(()) => {
                used[p.block][p.verb] = true;
                report.converted(p.line);
                report.converted(blocks[p.block].verbs[p.verb].line);
                for note in &p.cand.notes {
                    report.approximate(p.line, note.clone());
                }
            }
            Err(e) => report.report(p.line, e),
        }
    }
    for (block, used) in blocks.iter().zip(&used) {
        for (v, &u) in block.verbs.iter().zip(used) {
            if !u {
                report.report(
                    v.line,
                    format!(
                        "{}: codes nothing alone (null code) and no pattern of its block converts for it",
                        v.lemma
                    ),
                );
            }
        }
        if used.iter().any(|&u| u) {
            report.converted(block.line);
        } else {
            report.report(block.line, "no verb or pattern of this block converts");
        }
    }
}

/// Writes a candidate unless its pattern text is taken: an earlier line with the same
/// code is the same entry; one with another code wins (first come).
fn emit(
    written: &mut HashMap<(bool, String), (usize, String, Vec<String>)>,
    copular: bool,
    cand: &Candidate,
    line: usize,
    file: &str,
    out: &mut Outputs,
) -> Result<(), String> {
    let key = (copular, cand.text.clone());
    if let Some((l, code, _)) = written.get(&key) {
        // The same code (perhaps with other target places): the same entry.
        if *code == cand.code {
            return Ok(());
        }
        return Err(format!(
            "{:?} is already written from line {l} with code {code} (first wins)",
            cand.text
        ));
    }
    written.insert(key, (line, cand.code.clone(), cand.targets.clone()));
    out.push("verbs", cand.render(file, line));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements() {
        let e = parse_elements("* {HUMANITARIAN AID} (TO +) &FOOD").unwrap();
        assert_eq!(
            e,
            vec![
                El::Star,
                El::Phrase(vec!["HUMANITARIAN".into(), "AID".into()]),
                El::Pp("TO".into(), vec![El::Target]),
                El::Synset("FOOD".into()),
            ]
        );
        assert_eq!(
            parse_elements("*SCEPTICAL").unwrap(),
            vec![El::Star, El::Word("SCEPTICAL".into())]
        );
        assert!(parse_elements("* (TO").is_err());
    }

    #[test]
    fn codes() {
        let c = parse_code("042:043").unwrap();
        assert_eq!(c.forward.as_deref(), Some("042"));
        assert_eq!(c.reverse.as_deref(), Some("043"));
        assert_eq!(parse_code("---").unwrap().forward, None);
        assert_eq!(parse_code(":054").unwrap().forward, None);
        assert!(parse_code("0x4").is_err());
    }
}
