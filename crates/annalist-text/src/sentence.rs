//! Stage 1: sentence splitting. Input: a document's text; output: the byte spans of its
//! sentences. A sentence ends at `.`, `!` or `?` (with any closing quotes or brackets)
//! followed by white space and a capital, digit or opening quote, unless the word before
//! the stop is an abbreviation ("Gen.", "Jan.", "St."), an initial ("George W. Bush") or
//! a dotted acronym ("U.S.") followed by a word that does not start sentences. A blank
//! line always ends a sentence. Decimal numbers ("1.5") never split. The abbreviations
//! and the words that start a sentence after an acronym are the word classes
//! SENTENCE_ABBREVIATION and SENTENCE_STARTER (`dictionaries/classes/text.txt`).
use crate::classes::TextClasses;
use annalist_dict::WordClass;

/// A sentence's byte span in the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    pub start: usize,
    pub end: usize,
}

/// The length of a wire dateline at the start of a document ("MOSCOW: ", "Amman, May 19
/// (Petra) -- ", "(CNN) — ", "BAKU, March 6. /TASS/. "), 0 when there is none. A
/// dateline is at most eight words, each starting with a capital, a digit, `(` or `/`,
/// ended by a colon or a dash (or, when it holds a digit or is a `/AGENCY/` tag, a
/// period) and followed by a capitalised word or a quote.
pub fn dateline_len(text: &str) -> usize {
    dateline_len_with(text, TextClasses::embedded())
}

/// [`dateline_len`] with the word classes of the dictionaries in use.
pub fn dateline_len_with(text: &str, cl: &TextClasses) -> usize {
    let mut total = 0;
    for _ in 0..2 {
        let rest = &text[total..];
        let lead = rest.len() - rest.trim_start().len();
        let n = one_dateline(cl, &rest[lead..]);
        if n == 0 {
            break;
        }
        total += lead + n;
    }
    total
}

/// The leftmost dateline separator in `window`: a DATELINE_MARK followed by a space, or a
/// DATELINE_DASH with a space on each side (the longest mark at a place wins). Returns
/// the byte offset where the dateline's words end, the offset after the mark, and
/// whether the mark is a period.
fn dateline_separator(cl: &TextClasses, window: &str) -> Option<(usize, usize, bool)> {
    // The first bytes of the marks: other positions are skipped without comparing.
    let mut first = [false; 256];
    for m in cl
        .members(WordClass::DatelineMark)
        .iter()
        .chain(cl.members(WordClass::DatelineDash))
    {
        match m.as_bytes().first() {
            Some(&b) => first[b as usize] = true,
            None => first = [true; 256],
        }
    }
    window.char_indices().find_map(|(p, _)| {
        if !first[window.as_bytes()[p] as usize] {
            return None;
        }
        let rest = &window[p..];
        let marks = cl
            .members(WordClass::DatelineMark)
            .iter()
            .map(|m| (m, false));
        let dashes = cl
            .members(WordClass::DatelineDash)
            .iter()
            .map(|m| (m, true));
        marks
            .chain(dashes)
            .filter(|(m, spaced)| {
                rest.starts_with(m.as_str())
                    && rest[m.len()..].starts_with(' ')
                    && (!spaced || window[..p].ends_with(' '))
            })
            .max_by_key(|(m, _)| m.len())
            .map(|(m, _)| (p, p + m.len(), m == "."))
    })
}

fn one_dateline(cl: &TextClasses, text: &str) -> usize {
    let mut cut = text.len().min(90);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &text[..cut];
    let Some((pos, sep_end, period)) = dateline_separator(cl, window) else {
        return 0;
    };
    let prefix = &text[..pos];
    let words: Vec<&str> = prefix.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 {
        return 0;
    }
    let word_ok = |w: &&str| {
        w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '(' || c == '/')
    };
    if !words.iter().all(word_ok) {
        return 0;
    }
    if period {
        let tag = words.len() == 1 && words[0].starts_with('/') && words[0].ends_with('/');
        if !tag && !prefix.contains(|c: char| c.is_ascii_digit()) {
            return 0;
        }
    }
    let after = &text[sep_end..];
    let body = after.trim_start();
    if !body.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || "\"“'‘/(".contains(c))
    {
        return 0;
    }
    text.len() - body.len()
}

/// Splits `text` into sentence spans (trimmed of surrounding white space) with the
/// embedded word classes. A wire dateline at the start (see [`dateline_len`]) belongs to
/// no sentence.
pub fn split_sentences(text: &str) -> Vec<SentenceSpan> {
    split_sentences_with(text, TextClasses::embedded())
}

/// [`split_sentences`] with the word classes of the dictionaries in use.
pub fn split_sentences_with(text: &str, classes: &TextClasses) -> Vec<SentenceSpan> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = dateline_len_with(text, classes);
    let mut i = start;
    let push = |out: &mut Vec<SentenceSpan>, s: usize, e: usize| {
        // A stop right before a blank line has already ended the sentence.
        if s >= e {
            return;
        }
        let seg = &text[s..e];
        let lead = seg.len() - seg.trim_start().len();
        let trail = seg.len() - seg.trim_end().len();
        if lead + trail < seg.len() {
            out.push(SentenceSpan {
                start: s + lead,
                end: e - trail,
            });
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        // Blank line: paragraph break.
        if b == b'\n' {
            let mut j = i + 1;
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t' || bytes[j] == b'\r') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'\n' {
                push(&mut out, start, i);
                start = j + 1;
                i = j + 1;
                continue;
            }
        }
        if b == b'.' || b == b'!' || b == b'?' {
            // Extend over repeated stops and closing quotes/brackets.
            let mut end = i + 1;
            while end < bytes.len()
                && matches!(bytes[end], b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']')
            {
                end += 1;
            }
            // Unicode closing quotes ” ’ (3 bytes each).
            while text[end..].starts_with('”') || text[end..].starts_with('’') {
                end += 3;
            }
            if end >= bytes.len() {
                break;
            }
            if !bytes[end].is_ascii_whitespace() {
                i = end;
                continue;
            }
            let mut next = end;
            while next < bytes.len() && bytes[next].is_ascii_whitespace() {
                next += 1;
            }
            if next >= bytes.len() {
                break;
            }
            let next_word: &str = text[next..]
                .split(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("");
            let next_char = next_word.chars().next().unwrap_or(' ');
            let opens = next_char.is_uppercase()
                || next_char.is_ascii_digit()
                || matches!(next_char, '"' | '\'' | '(' | '[' | '“' | '‘' | '`');
            if opens && (b != b'.' || period_ends_sentence(classes, text, start, i, next_word)) {
                push(&mut out, start, end);
                start = next;
            }
            i = end;
            continue;
        }
        i += 1;
    }
    push(&mut out, start, text.len());
    out
}

/// Whether the period at `dot` ends a sentence, judging by the word before it.
fn period_ends_sentence(
    classes: &TextClasses,
    text: &str,
    start: usize,
    dot: usize,
    next_word: &str,
) -> bool {
    let before = &text[start..dot];
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return true;
    }
    let lower = word.to_lowercase();
    if classes.has(WordClass::SentenceAbbreviation, &lower) {
        return false;
    }
    // An initial: one capital letter ("W." in "George W. Bush").
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return false;
        }
    }
    // A dotted acronym ("U.S", "U.N"): ends the sentence only before a typical starter.
    if word.contains('.') && word.chars().all(|c| c.is_alphabetic() || c == '.') {
        let nw = next_word.trim_matches(|c: char| !c.is_alphanumeric());
        return is_sentence_starter(classes, nw);
    }
    true
}

/// Is `w` a SENTENCE_STARTER written capitalised ("The", not "THE" or "the")?
fn is_sentence_starter(classes: &TextClasses, w: &str) -> bool {
    let lower = w.to_lowercase();
    let mut chars = lower.chars();
    let capitalised = chars
        .next()
        .is_some_and(|c| w.starts_with(c.to_uppercase().collect::<String>().as_str()))
        && w.ends_with(chars.as_str());
    capitalised && classes.has(WordClass::SentenceStarter, &lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        split_sentences(t)
            .iter()
            .map(|s| &t[s.start..s.end])
            .collect()
    }

    #[test]
    fn datelines_are_not_sentences() {
        let cases = [
            (
                "MOSCOW: Russia said it would respond.",
                "Russia said it would respond.",
            ),
            (
                "LAGOS, June 3 (Reuters) -- Gunmen attacked a bus.",
                "Gunmen attacked a bus.",
            ),
            ("(AFP) — Rebels seized the town.", "Rebels seized the town."),
            (
                "OSLO, May 2. /NTB/. Norway expelled a diplomat.",
                "Norway expelled a diplomat.",
            ),
            (
                "Nairobi — Kenya closed its border.",
                "Kenya closed its border.",
            ),
        ];
        for (text, first) in cases {
            assert_eq!(sents(text)[0], first, "{text}");
        }
        // Regression (property test): a stop right before a blank line.
        assert_eq!(sents(".\n\nRussia"), [".", "Russia"]);
        // Regression (property test): the look-ahead window never splits a character.
        let long = format!("{}Ⴭ: Rebels attacked.", "x".repeat(88));
        assert_eq!(dateline_len(&long), 0);
        // Ordinary sentences keep their words.
        for text in [
            "The minister said: We will respond.",
            "Kenya closed its border. Uganda protested.",
            "Officials in Kabul - the capital - said so.",
        ] {
            assert_eq!(dateline_len(text), 0, "{text}");
        }
    }

    #[test]
    fn abbreviations_initials_and_decimals() {
        let t = "Gen. Smith met U.S. envoys in St. Petersburg on Jan. 5. George W. Bush paid $1.5 bn. The talks ended.";
        assert_eq!(
            sents(t),
            vec![
                "Gen. Smith met U.S. envoys in St. Petersburg on Jan. 5.",
                "George W. Bush paid $1.5 bn.",
                "The talks ended."
            ]
        );
    }

    #[test]
    fn acronym_at_sentence_end_and_quotes() {
        let t = "The aid came from the U.S. The minister said: \"We are ready.\" Talks follow!";
        assert_eq!(
            sents(t),
            vec![
                "The aid came from the U.S.",
                "The minister said: \"We are ready.\"",
                "Talks follow!"
            ]
        );
    }

    #[test]
    fn paragraphs_and_offsets() {
        let t = "  First line without stop\n\nSecond one.  ";
        let s = split_sentences(t);
        assert_eq!(s.len(), 2);
        assert_eq!(&t[s[0].start..s[0].end], "First line without stop");
        assert_eq!(&t[s[1].start..s[1].end], "Second one.");
    }

    #[test]
    fn lowercase_after_period_does_not_split() {
        assert_eq!(
            sents("He left at 5 p.m. on Friday. Then x."),
            vec!["He left at 5 p.m. on Friday.", "Then x."]
        );
    }
}
