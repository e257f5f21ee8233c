//! Casualty figures (ACLED-style) from a sentence: "killing at least 20 people", "three
//! soldiers were wounded", "dozens were arrested", "the death toll rose to 31". A
//! casualty word (`CASUALTY_WORD`: kill, die, dead, wound, abduct, arrest … valued by
//! the kind recorded) takes the number phrase that is its object (after an active
//! verb), its subject (before a passive, "die" or an adjective: "20 people were
//! killed", "12 dead") or its modifier ("20 deaths"); "death toll" takes the next
//! figure. A figure is digits ("1,200"), number words ("twenty-five", "two dozen") or a
//! vague quantity (`VAGUE_QUANTITY`: "dozens" = 24–99, the lowest recorded), after a
//! bound (`FIGURE_BOUND`: "at least" N, "more than" N+1, "about" N, "up to" N); the head
//! noun says who (`CASUALTY_GROUP`: civilians, soldiers, police …). Each figure goes to
//! the nearest event of a type it can belong to (killed and injured: ASSAULT, then
//! PROTEST or COERCE; abducted: ASSAULT or COERCE; arrested: COERCE).
use crate::events::CodedEvent;
use crate::sentence::SentenceAnalysis;
use annalist_dict::{Plover, Tag, WordClass, WordClasses};
use annalist_model::Casualty;
use annalist_text::TaggedToken;

/// A figure found in the sentence: the casualty and the token of its casualty word.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub casualty: Casualty,
    pub word: usize,
}

/// A number phrase: lowest value, upper end, token span, the group it names.
#[derive(Debug, Clone, PartialEq)]
struct Figure {
    count: u32,
    high: Option<u32>,
    start: usize,
    end: usize,
    who: Option<String>,
}

fn is_word(t: &TaggedToken) -> bool {
    t.lower.chars().next().is_some_and(|c| c.is_alphanumeric())
}

/// The value of one number token: digits ("1,200"), a number word, "twenty-five".
fn number_value(words: &WordClasses, t: &TaggedToken) -> Option<u32> {
    let w = t.lower.as_str();
    if w.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        if !w.bytes().all(|b| b.is_ascii_digit() || b == b',') {
            return None;
        }
        let digits: String = w.chars().filter(|c| *c != ',').collect();
        let v: u32 = digits.parse().ok()?;
        // A year is no figure ("killed in 2014").
        if !w.contains(',') && digits.len() == 4 && (1900..=2100).contains(&v) {
            return None;
        }
        return Some(v);
    }
    let word = |s: &str| -> Option<u32> {
        if matches!(s, "a" | "an") {
            return None;
        }
        words.value(WordClass::NumberWord, s)?.parse().ok()
    };
    match w.split_once('-') {
        Some((a, b)) => Some(word(a)? + word(b)?),
        None => word(w),
    }
}

/// A bound before a figure ("at least"): its effect and the number of tokens.
fn bound_at(words: &WordClasses, toks: &[TaggedToken], i: usize) -> Option<(String, usize)> {
    for n in (1..=3).rev() {
        if i + n > toks.len() {
            continue;
        }
        let phrase = toks[i..i + n]
            .iter()
            .map(|t| t.lower.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(v) = words.value(WordClass::FigureBound, &phrase) {
            return Some((v.to_string(), n));
        }
    }
    None
}

/// The figure starting at token `i`, if any.
fn figure_at(words: &WordClasses, toks: &[TaggedToken], i: usize) -> Option<Figure> {
    let mut j = i;
    let bound = bound_at(words, toks, j);
    if let Some((_, n)) = &bound {
        j += n;
    }
    // "between 10 and 15"
    let between = toks.get(j).is_some_and(|t| t.lower == "between");
    if between {
        j += 1;
    }
    let t = toks.get(j)?;
    let (mut count, mut high, vague);
    if let Some((lo, hi)) = words
        .value(WordClass::VagueQuantity, &t.lower)
        .and_then(|v| v.split_once('-'))
    {
        count = lo.parse().ok()?;
        high = hi.parse().ok();
        vague = true;
        j += 1;
    } else if matches!(t.lower.as_str(), "a" | "an")
        && toks.get(j + 1).is_some_and(|n| {
            words.has(WordClass::VagueQuantity, &n.lower)
                || matches!(
                    words.value(WordClass::NumberWord, &n.lower),
                    Some("12") | Some("100") | Some("1000")
                )
        })
    {
        // "a dozen", "a hundred", "a few", "a handful"
        let n = &toks[j + 1];
        if let Some((lo, hi)) = words
            .value(WordClass::VagueQuantity, &n.lower)
            .and_then(|v| v.split_once('-'))
        {
            count = lo.parse().ok()?;
            high = hi.parse().ok();
        } else {
            count = words.value(WordClass::NumberWord, &n.lower)?.parse().ok()?;
            high = None;
        }
        vague = true;
        j += 2;
    } else {
        count = number_value(words, t)?;
        high = None;
        vague = false;
        j += 1;
        // "two dozen", "three hundred"
        if let Some(m) = toks.get(j).and_then(|n| {
            matches!(n.lower.as_str(), "dozen" | "hundred" | "thousand")
                .then(|| number_value(words, n))
                .flatten()
        }) {
            count *= m;
            j += 1;
        }
        // "10 to 15", "10-15", "between 10 and 15"
        let joiner = toks.get(j).map(|n| n.lower.as_str());
        if matches!(joiner, Some("to") | Some("or") | Some("-"))
            || (between && joiner == Some("and"))
        {
            if let Some(h) = toks.get(j + 1).and_then(|n| number_value(words, n)) {
                if h > count {
                    high = Some(h);
                    j += 2;
                }
            }
        }
    }
    match bound.as_ref().map(|(v, _)| v.as_str()) {
        Some("above") => count += 1,
        Some("max") => high = Some(high.unwrap_or(count)),
        _ => {}
    }
    // The noun phrase the figure counts: "people", "civilians", "of them", "others".
    let mut who = None;
    let mut k = j;
    if vague && toks.get(k).is_some_and(|t| t.lower == "of") {
        k += 1;
    }
    let np_start = k;
    while k < toks.len() && k < np_start + 4 {
        let t = &toks[k];
        if words.has(WordClass::CasualtyWord, &t.lemma) && k > np_start {
            break;
        }
        if !(t.tag.is_noun() || t.tag.is_adjective())
            || words.has(WordClass::CasualtyWord, &t.lemma)
        {
            break;
        }
        k += 1;
    }
    if k > np_start {
        let head = &toks[k - 1];
        if words.has(WordClass::TimeNoun, &head.lemma) {
            return None;
        }
        let pair = (k >= np_start + 2).then(|| format!("{} {}", toks[k - 2].lemma, head.lemma));
        who = pair
            .as_deref()
            .and_then(|p| words.value(WordClass::CasualtyGroup, p))
            .or_else(|| words.value(WordClass::CasualtyGroup, &head.lemma))
            .or_else(|| words.value(WordClass::CasualtyGroup, &head.lower))
            .map(str::to_string);
        j = k;
    }
    Some(Figure {
        count,
        high,
        start: i,
        end: j,
        who,
    })
}

/// The figure whose phrase ends right before token `end` (exclusive), starting as far
/// left as possible (so that "at least" belongs to it).
fn figure_ending(words: &WordClasses, toks: &[TaggedToken], end: usize) -> Option<Figure> {
    (end.saturating_sub(8)..end).find_map(|j| figure_at(words, toks, j).filter(|f| f.end == end))
}

/// Skips auxiliaries and adverbs leftwards from `i` (inclusive): "were", "have been",
/// "reportedly".
fn skip_aux_left(toks: &[TaggedToken], mut i: usize) -> usize {
    while i > 0 {
        let t = &toks[i - 1];
        if matches!(t.lemma.as_str(), "be" | "have" | "get") || t.tag.is_adverb() {
            i -= 1;
        } else {
            break;
        }
    }
    i
}

/// Every casualty figure of the sentence.
pub fn find(words: &WordClasses, doc: &str, s: &SentenceAnalysis) -> Vec<Found> {
    let toks = &s.tokens;
    let mut out: Vec<Found> = Vec::new();
    for (w, t) in toks.iter().enumerate() {
        let Some(kind) = words
            .value(WordClass::CasualtyWord, &t.lemma)
            .or_else(|| words.value(WordClass::CasualtyWord, &t.lower))
        else {
            continue;
        };
        let before = || figure_ending(words, toks, skip_aux_left(toks, w));
        let after = || {
            if t.lemma == "death" && toks.get(w + 1).is_some_and(|n| n.lower == "toll") {
                // "the death toll rose to 31", "a death toll of at least 12"
                return (w + 2..(w + 8).min(toks.len()))
                    .take_while(|&j| is_word(&toks[j]))
                    .find_map(|j| figure_at(words, toks, j));
            }
            figure_at(words, toks, w + 1)
        };
        // An active verb counts its object ("killed 20"); a passive, a participle,
        // "die", an adjective or a noun its subject or modifier ("20 were killed",
        // "20 dead", "20 deaths").
        let active = t.tag.is_verb() && t.tag != Tag::VBN && t.lemma != "die";
        let found = if active {
            // "seven others wounded" read as a past tense: the figure before it.
            after().or_else(before)
        } else {
            before().or_else(|| (t.lemma == "death").then(after).flatten())
        };
        let Some(f) = found else {
            continue;
        };
        let (start, end) = (toks[f.start].token.start, toks[f.end - 1].token.end);
        if out
            .iter()
            .any(|o| o.casualty.kind == kind && o.casualty.start == start)
        {
            continue;
        }
        out.push(Found {
            casualty: Casualty {
                kind: kind.to_string(),
                count: f.count,
                high: f.high,
                who: f.who,
                text: doc[start..end].to_string(),
                start,
                end,
            },
            word: w,
        });
    }
    out
}

/// The types a casualty of `kind` can belong to, most likely first.
fn owners(kind: &str) -> &'static [Plover] {
    match kind {
        "arrested" => &[Plover::Coerce],
        "abducted" => &[Plover::Assault, Plover::Coerce],
        _ => &[Plover::Assault, Plover::Protest, Plover::Coerce],
    }
}

/// For each figure, the index (into `events`) of the event it belongs to: the event
/// whose trigger is the casualty word, else of the most likely type, nearest.
pub fn assign(s: &SentenceAnalysis, events: &[&CodedEvent], found: &[Found]) -> Vec<Option<usize>> {
    found
        .iter()
        .map(|f| {
            let w = &s.tokens[f.word].token;
            let kinds = owners(&f.casualty.kind);
            events
                .iter()
                .enumerate()
                .filter_map(|(i, ev)| {
                    let rank = kinds.iter().position(|p| *p == ev.plover)?;
                    let own = ev.trigger.0 <= w.start && w.end <= ev.trigger.1;
                    let dist = super::trigger_token(s, ev).abs_diff(f.word);
                    Some(((!own) as usize, rank, dist, i))
                })
                .min()
                .map(|(_, _, _, i)| i)
        })
        .collect()
}
