//! Stage 2: tokenisation. Input: the document text and a sentence span; output: tokens
//! with byte offsets into the document. Possessive `'s` and contractions (`n't`, `'ll`)
//! are split off; hyphenated words ("pro-Russian", "al-Qaeda"), dotted acronyms ("U.S.",
//! "a.m."), known abbreviations ("Gen."), numbers ("1,500", "3.5", "2025-03-08", "3-4")
//! stay whole; quotes (`"`, `“”`, ``` `` ``` and `''`) and other punctuation are tokens of
//! their own.

/// What a token is, before tagging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

/// A token: its byte span in the document and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

impl Token {
    pub fn text<'a>(&self, doc: &'a str) -> &'a str {
        &doc[self.start..self.end]
    }
}

const KEEP_PERIOD: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov", "sen", "rep",
    "rev", "st", "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec", "inc", "corp", "ltd",
    "co", "vs", "jr", "sr", "prof", "brig", "lieut", "cmdr", "no",
];

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Tokenises `doc[start..end]`.
pub fn tokenize(doc: &str, start: usize, end: usize) -> Vec<Token> {
    let s = &doc[start..end];
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let n = chars.len();
    let pos = |k: usize| if k < n { chars[k].0 } else { s.len() };
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let b = pos(i);
        // Two-character quotes and dashes.
        if (c == '`' || c == '\'' || c == '-') && i + 1 < n && chars[i + 1].1 == c {
            let mut j = i + 2;
            while c == '-' && j < n && chars[j].1 == '-' {
                j += 1;
            }
            out.push(Token {
                start: start + b,
                end: start + pos(j),
                kind: TokenKind::Punct,
            });
            i = j;
            continue;
        }
        if c.is_alphanumeric() {
            // A word or number: letters, digits and joiners (- . , ' inside).
            let mut j = i + 1;
            while j < n {
                let cj = chars[j].1;
                if cj.is_alphanumeric() {
                    j += 1;
                    continue;
                }
                let next_alnum = j + 1 < n && chars[j + 1].1.is_alphanumeric();
                let prev_digit = chars[j - 1].1.is_ascii_digit();
                let next_digit = j + 1 < n && chars[j + 1].1.is_ascii_digit();
                match cj {
                    '-' | '‐' if next_alnum => j += 1,
                    '.' | ',' | ':' if prev_digit && next_digit => j += 1,
                    '.' if next_alnum && chars[j + 1].1.is_alphabetic() && j - i <= 3 => j += 1, // U.S, a.m
                    '/' if prev_digit && next_digit => j += 1,
                    '&' if next_alnum && chars[j - 1].1.is_uppercase() => j += 1, // AT&T
                    c2 if is_apostrophe(c2) && next_alnum => {
                        // Split possessive 's and contractions; keep d'Ivoire, O'Brien.
                        let rest: String = chars[j + 1..]
                            .iter()
                            .take(3)
                            .map(|x| x.1)
                            .collect::<String>()
                            .to_lowercase();
                        let tail_is = |t: &str| {
                            rest.starts_with(t)
                                && rest[t.len()..]
                                    .chars()
                                    .next()
                                    .is_none_or(|x| !x.is_alphanumeric())
                        };
                        if tail_is("s")
                            || tail_is("ll")
                            || tail_is("re")
                            || tail_is("ve")
                            || tail_is("d")
                            || tail_is("m")
                            || (tail_is("t") && matches!(chars[j - 1].1, 'n' | 'N'))
                        {
                            break;
                        }
                        j += 1;
                    }
                    _ => break,
                }
            }
            let mut word = &s[b..pos(j)];
            let mut stop = j;
            // "n't": split "didn't" → "did" + "n't".
            if j < n && is_apostrophe(chars[j].1) && word.len() > 1 && word.ends_with(['n', 'N']) {
                let rest: String = chars[j + 1..]
                    .iter()
                    .take(2)
                    .map(|x| x.1)
                    .collect::<String>()
                    .to_lowercase();
                if rest.starts_with('t')
                    && rest[1..]
                        .chars()
                        .next()
                        .is_none_or(|x| !x.is_alphanumeric())
                {
                    let nb = pos(j) - 1;
                    out.push(Token {
                        start: start + b,
                        end: start + nb,
                        kind: TokenKind::Word,
                    });
                    out.push(Token {
                        start: start + nb,
                        end: start + pos(j + 2),
                        kind: TokenKind::Word,
                    });
                    i = j + 2;
                    continue;
                }
            }
            // Keep the final period of dotted acronyms and known abbreviations.
            if stop < n && chars[stop].1 == '.' {
                let lower = word.to_lowercase();
                let dotted =
                    word.contains('.') && word.chars().all(|c| c.is_alphabetic() || c == '.');
                if dotted
                    || KEEP_PERIOD.contains(&lower.as_str())
                    || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
                {
                    stop += 1;
                    word = &s[b..pos(stop)];
                }
            }
            let kind = if word.chars().next().is_some_and(|c| c.is_ascii_digit())
                && word
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | ':' | '/'))
            {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            out.push(Token {
                start: start + b,
                end: start + pos(stop),
                kind,
            });
            i = stop;
            continue;
        }
        if is_apostrophe(c) && i + 1 < n && chars[i + 1].1.is_alphabetic() {
            // 's 'll 're 've 'd 'm as their own tokens.
            let mut j = i + 1;
            while j < n && chars[j].1.is_alphabetic() {
                j += 1;
            }
            let w = s[pos(i + 1)..pos(j)].to_lowercase();
            if matches!(w.as_str(), "s" | "ll" | "re" | "ve" | "d" | "m") {
                out.push(Token {
                    start: start + b,
                    end: start + pos(j),
                    kind: TokenKind::Word,
                });
                i = j;
                continue;
            }
        }
        // "..." as one token.
        if c == '.' && i + 2 < n && chars[i + 1].1 == '.' && chars[i + 2].1 == '.' {
            out.push(Token {
                start: start + b,
                end: start + pos(i + 3),
                kind: TokenKind::Punct,
            });
            i += 3;
            continue;
        }
        out.push(Token {
            start: start + b,
            end: start + pos(i + 1),
            kind: TokenKind::Punct,
        });
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        tokenize(s, 0, s.len()).iter().map(|t| t.text(s)).collect()
    }

    #[test]
    fn possessives_and_contractions() {
        assert_eq!(
            toks("Israel's army didn't retreat"),
            vec!["Israel", "'s", "army", "did", "n't", "retreat"]
        );
        assert_eq!(
            toks("the allies' plan; it'll"),
            vec!["the", "allies", "'", "plan", ";", "it", "'ll"]
        );
        assert_eq!(
            toks("Côte d'Ivoire’s leader"),
            vec!["Côte", "d'Ivoire", "’s", "leader"]
        );
    }

    #[test]
    fn hyphens_acronyms_numbers() {
        assert_eq!(
            toks("pro-Russian U.S. forces fired 1,500.5 shells on 2025-03-08, Gen. Lee said."),
            vec![
                "pro-Russian",
                "U.S.",
                "forces",
                "fired",
                "1,500.5",
                "shells",
                "on",
                "2025-03-08",
                ",",
                "Gen.",
                "Lee",
                "said",
                "."
            ]
        );
        assert_eq!(
            toks("March 3-4 at 5 p.m."),
            vec!["March", "3-4", "at", "5", "p.m."]
        );
    }

    #[test]
    fn quotes_and_offsets() {
        let s = "``without conditions'' and “now”";
        assert_eq!(
            toks(s),
            vec!["``", "without", "conditions", "''", "and", "“", "now", "”"]
        );
        let t = tokenize(s, 0, s.len());
        for tok in &t {
            assert!(s.is_char_boundary(tok.start) && s.is_char_boundary(tok.end));
        }
    }

    #[test]
    fn sentence_final_period_is_separate() {
        assert_eq!(toks("He left Moscow."), vec!["He", "left", "Moscow", "."]);
        assert_eq!(toks("aid to the U.S."), vec!["aid", "to", "the", "U.S."]);
    }
}
