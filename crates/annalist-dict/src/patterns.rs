//! Event patterns: verb patterns (`verbs.txt`), the noun classes they refer to
//! (`nouns.txt`), and the rules that combine a control verb ("agreed to", "threatened
//! to", "urged … to") with the event of its complement. The line syntax is documented at
//! the top of `verbs.txt`.
use crate::format::{content_lines, fields, items, DictError, Layer, Origin};

/// What a control predicate says about the event of its complement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ControlKind {
    /// "agreed to", "pledged to", "is ready to": the subject will do it.
    Intent,
    /// "decided to", "moved to", "voted to": the complement's event itself, done by the
    /// subject ("decided to launch an investigation" is the investigation).
    Act,
    /// "threatened to", "warned it would".
    Threat,
    /// "refused to", "ruled out", "declined to".
    Refusal,
    /// "urged X to", "called on X to", "asked X to": the target is asked to do it.
    Request,
    /// "denied attacking": the event is negated.
    Denial,
}

impl ControlKind {
    pub fn parse(s: &str) -> Option<ControlKind> {
        Some(match s {
            "INTENT" => ControlKind::Intent,
            "ACT" => ControlKind::Act,
            "THREAT" => ControlKind::Threat,
            "REFUSAL" => ControlKind::Refusal,
            "REQUEST" => ControlKind::Request,
            "DENIAL" => ControlKind::Denial,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ControlKind::Intent => "intent",
            ControlKind::Act => "asserted",
            ControlKind::Threat => "threat",
            ControlKind::Refusal => "refusal",
            ControlKind::Request => "request",
            ControlKind::Denial => "denial",
        }
    }
}

/// The constraint a pattern puts on the first noun phrase after the verb (and particle).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternObject {
    /// No constraint.
    Any,
    /// The head noun's lemma belongs to a class of `nouns.txt` (`{ATTACK}`).
    Class(String),
    /// The head noun's lemma is one of these (`[tie/relation]`).
    Nouns(Vec<String>),
    /// A noun phrase must be there (`NP`): the person asked, warned, urged.
    Required,
}

/// Which complement a control pattern takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Complement {
    /// `to VP`
    Infinitive,
    /// `VPing`
    Gerund,
    /// `that S` / a finite clause ("warned it would")
    Clause,
}

/// What a pattern codes when it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternAction {
    /// A CAMEO event code.
    Event(String),
    /// A control predicate; `fallback` is coded when the complement carries no event
    /// (none = code nothing, e.g. "declined to comment").
    Control {
        kind: ControlKind,
        fallback: Option<String>,
    },
    /// A light or aspectual verb ("began a hunger strike", "completed its withdrawal"):
    /// the event is the one its object noun names (`nouns.txt`, third field).
    Nominal,
}

/// One line of `verbs.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbPattern {
    pub action: PatternAction,
    /// Verb lemma; for adjectival predicates ("be ready to VP") the adjective.
    pub lemma: String,
    pub copular: bool,
    pub particle: Option<String>,
    pub object: PatternObject,
    pub complement: Option<Complement>,
    /// Where the target is: `obj` (the object noun phrase) and/or prepositions.
    pub target: Vec<String>,
    /// `NOMINAL` patterns only: the preposition after the object whose phrase names the
    /// event ("claim [responsibility] for NP": "claimed responsibility for the attack").
    pub event_prep: Option<String>,
    /// The pattern as written, for `explain` and evidence.
    pub text: String,
    pub origin: Origin,
    /// annalist's own patterns are tried before imported ones (`imported/verbs/…`).
    pub layer: Layer,
}

impl VerbPattern {
    /// The rule id reported in evidence: `verbs.txt:LINE`.
    pub fn rule_id(&self) -> String {
        self.origin.to_string()
    }

    /// The rank by which patterns of one lemma are tried, highest first: annalist's own
    /// patterns rank above every imported one (the lower layer applies only where none of
    /// annalist's fits); within a layer, more specific patterns win: object constraints,
    /// particles and complements count.
    pub fn specificity(&self) -> u32 {
        let mut s = match self.layer {
            Layer::Own => 100,
            Layer::Imported => 0,
        };
        if matches!(
            self.object,
            PatternObject::Class(_) | PatternObject::Nouns(_)
        ) {
            s += 4;
        }
        if self.particle.is_some() {
            s += 2;
        }
        if self.complement.is_some() {
            s += 2;
        }
        if matches!(self.object, PatternObject::Required) {
            s += 1;
        }
        s
    }
}

/// A named class of nouns (`nouns.txt`), e.g. ATTACK = attack, strike, raid …
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NounClass {
    pub name: String,
    pub nouns: Vec<String>,
    /// CAMEO code when a noun of this class is itself the event ("talks with", "an
    /// attack on"), with the prepositions that introduce its target.
    pub nominal: Option<(String, Vec<String>)>,
    pub origin: Origin,
}

/// An event noun made from verbs (`derivations.txt`): "expulsion" → expel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    pub noun: String,
    pub verbs: Vec<String>,
    pub origin: Origin,
}

/// Parses `derivations.txt`: `noun | verb [verb…]`, lower-case single words.
pub fn parse_derivations(path: &str, text: &str) -> Result<Vec<Derivation>, Vec<DictError>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_lowercase() || c == '-');
    for (n, line) in content_lines(text) {
        let f = fields(line);
        let verbs: Vec<String> = f
            .get(1)
            .map(|v| v.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        if f.len() != 2 || !word(f[0]) || verbs.is_empty() || !verbs.iter().all(|v| word(v)) {
            errs.push(DictError::new(
                path,
                n,
                "expected `noun | verb [verb…]` (lower-case words)",
            ));
            continue;
        }
        out.push(Derivation {
            noun: f[0].to_string(),
            verbs,
            origin: Origin {
                path: path.to_string(),
                line: n,
            },
        });
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// A combination rule: control kind × complement PLOVER type → CAMEO code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Combination {
    pub kind: ControlKind,
    pub complement_type: String,
    pub code: String,
    pub origin: Origin,
}

fn is_cameo(s: &str) -> bool {
    (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses `nouns.txt`: `CLASS | nouns [| CAMEO targetpreps…]`.
pub fn parse_nouns(path: &str, text: &str) -> Result<Vec<NounClass>, Vec<DictError>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (n, line) in content_lines(text) {
        let f = fields(line);
        let name_ok = f[0].bytes().next().is_some_and(|b| b.is_ascii_uppercase())
            && f[0]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !(2..=3).contains(&f.len()) || !name_ok {
            errs.push(DictError::new(
                path,
                n,
                "expected `CLASS | nouns [| CAMEO preps]`",
            ));
            continue;
        }
        let nominal = match f.get(2).filter(|s| !s.is_empty()) {
            Some(s) => {
                let mut w = s.split_whitespace();
                let code = w.next().unwrap();
                if !is_cameo(code) {
                    errs.push(DictError::new(path, n, format!("bad CAMEO code {code:?}")));
                    continue;
                }
                Some((code.to_string(), w.map(str::to_string).collect()))
            }
            None => None,
        };
        out.push(NounClass {
            name: f[0].to_string(),
            nouns: items(f[1]).into_iter().map(|s| s.to_lowercase()).collect(),
            nominal,
            origin: Origin {
                path: path.to_string(),
                line: n,
            },
        });
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// Parses `verbs.txt` (see its header for the syntax). Combination lines
/// (`combine | KIND | TYPE | CAMEO`) are returned by [`parse_combinations`].
pub fn parse_verbs(path: &str, text: &str) -> Result<Vec<VerbPattern>, Vec<DictError>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (n, line) in content_lines(text) {
        if line.starts_with("combine") || line.starts_with("solo") {
            continue;
        }
        match parse_verb_line(path, n, line) {
            Ok(p) => out.push(p),
            Err(e) => errs.push(e),
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// A code that needs a partner, and the code of the same act done alone (`verbs.txt`,
/// `solo | CAMEO | CAMEO`): military drills with nobody to hold them with (no target,
/// one source) are a show of force, not military cooperation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solo {
    pub code: String,
    pub alone: String,
    pub origin: Origin,
}

/// Parses the `solo | CAMEO | CAMEO` lines of `verbs.txt`.
pub fn parse_solos(path: &str, text: &str) -> Result<Vec<Solo>, Vec<DictError>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (n, line) in content_lines(text) {
        if !line.starts_with("solo") {
            continue;
        }
        let f = fields(line);
        if f.len() == 3 && f[0] == "solo" && is_cameo(f[1]) && is_cameo(f[2]) {
            out.push(Solo {
                code: f[1].to_string(),
                alone: f[2].to_string(),
                origin: Origin {
                    path: path.to_string(),
                    line: n,
                },
            });
        } else {
            errs.push(DictError::new(path, n, "expected `solo | CAMEO | CAMEO`"));
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// Parses the `combine | KIND | PLOVER | CAMEO` lines of `verbs.txt`.
pub fn parse_combinations(path: &str, text: &str) -> Result<Vec<Combination>, Vec<DictError>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (n, line) in content_lines(text) {
        if !line.starts_with("combine") {
            continue;
        }
        let f = fields(line);
        let kind = f.get(1).and_then(|k| ControlKind::parse(k));
        match (f.len(), kind) {
            (4, Some(kind)) if is_cameo(f[3]) && crate::Plover::parse(f[2]).is_some() => {
                out.push(Combination {
                    kind,
                    complement_type: f[2].to_string(),
                    code: f[3].to_string(),
                    origin: Origin {
                        path: path.to_string(),
                        line: n,
                    },
                })
            }
            _ => errs.push(DictError::new(
                path,
                n,
                "expected `combine | KIND | PLOVER | CAMEO`",
            )),
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

fn parse_verb_line(path: &str, n: usize, line: &str) -> Result<VerbPattern, DictError> {
    let err = |m: String| DictError::new(path, n, m);
    let f = fields(line);
    if !(2..=4).contains(&f.len()) {
        return Err(err(
            "expected `ACTION | pattern [| target] [| example]`".into()
        ));
    }
    let mut a = f[0].split_whitespace();
    let first = a.next().unwrap_or("");
    let action = if is_cameo(first) {
        PatternAction::Event(first.to_string())
    } else if let Some(kind) = ControlKind::parse(first) {
        let fallback = a.next().map(str::to_string);
        if let Some(fb) = &fallback {
            if !is_cameo(fb) {
                return Err(err(format!("bad fallback CAMEO code {fb:?}")));
            }
        }
        PatternAction::Control { kind, fallback }
    } else if first == "NOMINAL" {
        PatternAction::Nominal
    } else {
        return Err(err(format!(
            "action must be a CAMEO code, NOMINAL or INTENT/THREAT/REFUSAL/REQUEST/DENIAL, found {first:?}"
        )));
    };
    let mut words = f[1].split_whitespace().peekable();
    let mut copular = false;
    let mut lemma = words
        .next()
        .ok_or_else(|| err("empty pattern".into()))?
        .to_string();
    if lemma == "be" {
        copular = true;
        lemma = words
            .next()
            .ok_or_else(|| err("`be` needs an adjective".into()))?
            .to_string();
    }
    let mut particle: Option<String> = None;
    let mut object = PatternObject::Any;
    let mut complement = None;
    let mut event_prep = None;
    while let Some(w) = words.next() {
        if w == "NP" {
            object = PatternObject::Required;
        } else if let Some(c) = w.strip_prefix('{').and_then(|c| c.strip_suffix('}')) {
            object = PatternObject::Class(c.to_string());
        } else if let Some(c) = w.strip_prefix('[').and_then(|c| c.strip_suffix(']')) {
            // `_` joins the words of a two-word head ("[humanitarian_aid]").
            object = PatternObject::Nouns(
                c.split('/')
                    .map(|s| s.to_lowercase().replace('_', " "))
                    .collect(),
            );
        } else if w == "to" && words.peek() == Some(&"VP") {
            words.next();
            complement = Some(Complement::Infinitive);
        } else if w == "VPing" {
            complement = Some(Complement::Gerund);
        } else if w == "S" {
            complement = Some(Complement::Clause);
        } else if action == PatternAction::Nominal
            && matches!(
                object,
                PatternObject::Class(_) | PatternObject::Nouns(_) | PatternObject::Required
            )
            && w.bytes().all(|b| b.is_ascii_lowercase())
            && words.peek() == Some(&"NP")
        {
            // "claim [responsibility] for NP", "put NP on NP": the event noun is in this
            // phrase.
            words.next();
            event_prep = Some(w.to_string());
        } else if w.bytes().all(|b| b.is_ascii_lowercase())
            && object == PatternObject::Any
            && complement.is_none()
        {
            // A particle or preposition; two words ("out of") are a particle and the
            // preposition after it.
            particle = Some(match particle {
                None => w.to_string(),
                Some(p) if !p.contains(' ') => format!("{p} {w}"),
                Some(_) => return Err(err(format!("at most two particle words in {:?}", f[1]))),
            });
        } else {
            return Err(err(format!("unexpected {w:?} in pattern {:?}", f[1])));
        }
    }
    if matches!(action, PatternAction::Control { .. }) && complement.is_none() {
        return Err(err(
            "a control pattern needs a complement: `to VP`, `VPing` or `S`".into(),
        ));
    }
    let target: Vec<String> = match f
        .get(2)
        .map(|s| s.split_whitespace().map(str::to_string).collect::<Vec<_>>())
    {
        Some(v) if !v.is_empty() => v,
        _ => vec!["obj".to_string()],
    };
    Ok(VerbPattern {
        action,
        lemma,
        copular,
        particle,
        object,
        complement,
        target,
        event_prep,
        text: f[1].to_string(),
        origin: Origin {
            path: path.to_string(),
            line: n,
        },
        layer: Layer::of_path(path),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_syntax() {
        let v = parse_verbs(
            "verbs.txt",
            "190 | launch {ATTACK} | on against\nREQUEST 100 | call on NP to VP | on\nREFUSAL | decline to VP\n046 | be open to [talks/talk]\n164 | pull out of {TALKS}\n",
        )
        .unwrap();
        assert_eq!(v[0].object, PatternObject::Class("ATTACK".into()));
        assert_eq!(v[0].target, vec!["on", "against"]);
        assert_eq!(v[1].particle.as_deref(), Some("on"));
        assert_eq!(v[1].object, PatternObject::Required);
        assert_eq!(
            v[1].action,
            PatternAction::Control {
                kind: ControlKind::Request,
                fallback: Some("100".into())
            }
        );
        assert_eq!(v[2].complement, Some(Complement::Infinitive));
        assert!(v[3].copular);
        assert_eq!(v[3].lemma, "open");
        assert_eq!(v[3].rule_id(), "verbs.txt:4");
        assert_eq!(
            v[3].object,
            PatternObject::Nouns(vec!["talks".into(), "talk".into()])
        );
        assert_eq!(v[4].particle.as_deref(), Some("out of"));
        assert_eq!(v[4].layer, Layer::Own);
    }

    #[test]
    fn imported_patterns_rank_below_own_ones_and_literal_heads_may_have_two_words() {
        let own = parse_verbs("verbs.txt", "190 | attack\n").unwrap();
        let imp = parse_verbs(
            "imported/verbs/x.txt",
            "073 | deliver [humanitarian_aid/food] | to\n",
        )
        .unwrap();
        assert_eq!(imp[0].layer, Layer::Imported);
        assert_eq!(
            imp[0].object,
            PatternObject::Nouns(vec!["humanitarian aid".into(), "food".into()])
        );
        // The most specific imported pattern still ranks below the least specific own one.
        assert!(own[0].specificity() > imp[0].specificity());
        let n = parse_nouns("imported/nouns/x.txt", "PETRARCH_AUXVERB1 | was\n").unwrap();
        assert_eq!(n[0].name, "PETRARCH_AUXVERB1");
        assert!(parse_nouns("nouns.txt", "1ABC | x\n").is_err());
    }

    #[test]
    fn pattern_errors() {
        assert!(parse_verbs("v", "19x | attack\n").is_err());
        assert!(parse_verbs("v", "INTENT | agree\n").unwrap_err()[0]
            .message
            .contains("complement"));
        assert!(parse_verbs("v", "190 | attack Foo\n").is_err());
        let c = parse_combinations(
            "v",
            "combine | INTENT | CONSULT | 036\ncombine | X | Y | 1\n",
        );
        assert!(c.is_err());
    }

    #[test]
    fn event_phrase_and_solo_lines() {
        let v = parse_verbs(
            "v",
            "NOMINAL | claim [responsibility] for NP\nsolo | 062 | 150\n190 | attack\n",
        )
        .unwrap();
        assert_eq!(v.len(), 2, "solo lines are no patterns");
        assert_eq!(v[0].event_prep.as_deref(), Some("for"));
        assert_eq!(v[1].event_prep, None);
        // Only NOMINAL patterns with an object constraint take an event phrase.
        assert!(parse_verbs("v", "190 | claim [responsibility] for NP\n").is_err());
        let s = parse_solos("v", "solo | 062 | 150\n190 | attack\n").unwrap();
        assert_eq!((s[0].code.as_str(), s[0].alone.as_str()), ("062", "150"));
        assert_eq!(s[0].origin.line, 1);
        let e = parse_solos("v", "solo | 062\n").unwrap_err();
        assert!(e[0].message.contains("solo | CAMEO | CAMEO"));
    }
}
