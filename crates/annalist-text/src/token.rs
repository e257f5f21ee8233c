//! Stage 2: tokenisation. Input: the document text and a sentence span; output: tokens
//! with byte offsets into the document. Possessive `'s` and contractions (`n't`, `'ll`)
//! are split off; hyphenated words ("pro-Russian", "al-Qaeda"), dotted acronyms ("U.S.",
//! "a.m."), known abbreviations ("Gen."), numbers ("1,500", "3.5", "2025-03-08", "3-4")
//! stay whole; quotes (`"`, `“”`, ``` `` ``` and `''`) and other punctuation are tokens of
//! their own. The abbreviations and clitics are the word classes ABBREVIATION and CLITIC
//! (`dictionaries/classes/text.txt`).
use crate::classes::TextClasses;
use annalist_dict::WordClass;

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

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Tokenises `doc[start..end]` with the embedded word classes.
pub fn tokenize(doc: &str, start: usize, end: usize) -> Vec<Token> {
    tokenize_with(doc, start, end, TextClasses::embedded())
}

/// The characters of a sentence with their byte offsets, and the classes in use.
struct Scanner<'a> {
    s: &'a str,
    /// Byte offset of `s` in the document.
    base: usize,
    chars: Vec<(usize, char)>,
    classes: &'a TextClasses,
}

impl Scanner<'_> {
    fn len(&self) -> usize {
        self.chars.len()
    }

    fn ch(&self, k: usize) -> char {
        self.chars[k].1
    }

    /// Byte offset (in `s`) of character `k`, or the end.
    fn pos(&self, k: usize) -> usize {
        self.chars.get(k).map_or(self.s.len(), |c| c.0)
    }

    fn token(&self, from: usize, to: usize, kind: TokenKind) -> Token {
        Token {
            start: self.base + self.pos(from),
            end: self.base + self.pos(to),
            kind,
        }
    }

    /// Up to `len` characters from `k` on, lower case.
    fn lower_from(&self, k: usize, len: usize) -> String {
        self.chars[k.min(self.len())..]
            .iter()
            .take(len)
            .map(|x| x.1)
            .collect::<String>()
            .to_lowercase()
    }

    /// The end (character index) of the word or number starting at `i`: letters,
    /// digits and joiners (- . , ' inside).
    fn word_end(&self, i: usize) -> usize {
        let n = self.len();
        let mut j = i + 1;
        while j < n {
            let cj = self.ch(j);
            if cj.is_alphanumeric() {
                j += 1;
                continue;
            }
            let next_alnum = j + 1 < n && self.ch(j + 1).is_alphanumeric();
            let prev_digit = self.ch(j - 1).is_ascii_digit();
            let next_digit = j + 1 < n && self.ch(j + 1).is_ascii_digit();
            match cj {
                '-' | '‐' if next_alnum => j += 1,
                '.' | ',' | ':' if prev_digit && next_digit => j += 1,
                '.' if next_alnum && self.ch(j + 1).is_alphabetic() && j - i <= 3 => j += 1, // U.S, a.m
                '/' if prev_digit && next_digit => j += 1,
                '&' if next_alnum && self.ch(j - 1).is_uppercase() => j += 1, // AT&T
                c2 if is_apostrophe(c2) && next_alnum => {
                    // Split possessive 's and contractions; keep d'Ivoire, O'Brien.
                    let rest = self.lower_from(j + 1, self.classes.longest_clitic() + 1);
                    if self.classes.starts_with_clitic(&rest)
                        || (ends_clitic_t(&rest) && matches!(self.ch(j - 1), 'n' | 'N'))
                    {
                        break;
                    }
                    j += 1;
                }
                _ => break,
            }
        }
        j
    }

    /// Does the word `i..j` end in "n" followed by "'t" (as in "didn't")?
    fn splits_nt(&self, i: usize, j: usize) -> bool {
        j < self.len()
            && is_apostrophe(self.ch(j))
            && self.pos(j) - self.pos(i) > 1
            && matches!(self.ch(j - 1), 'n' | 'N')
            && ends_clitic_t(&self.lower_from(j + 1, 2))
    }

    /// Keeps the final period of a dotted acronym, a known abbreviation or an initial:
    /// the new end of the word `i..j`.
    fn keep_period(&self, i: usize, j: usize) -> usize {
        if j >= self.len() || self.ch(j) != '.' {
            return j;
        }
        let word = &self.s[self.pos(i)..self.pos(j)];
        let lower = word.to_lowercase();
        let dotted = word.contains('.') && word.chars().all(|c| c.is_alphabetic() || c == '.');
        if dotted
            || self.classes.has(WordClass::Abbreviation, &lower)
            // A capitalised abbreviation that never ends a sentence ("Thu.", "Jul.").
            || (word.starts_with(char::is_uppercase)
                && self.classes.has(WordClass::SentenceAbbreviation, &lower))
            || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
        {
            j + 1
        } else {
            j
        }
    }

    /// A clitic written after an apostrophe at `i` ("'s", "'ll"): its end, if it is one.
    fn clitic_end(&self, i: usize) -> Option<usize> {
        if !(is_apostrophe(self.ch(i)) && i + 1 < self.len() && self.ch(i + 1).is_alphabetic()) {
            return None;
        }
        let mut j = i + 1;
        while j < self.len() && self.ch(j).is_alphabetic() {
            j += 1;
        }
        let w = self.s[self.pos(i + 1)..self.pos(j)].to_lowercase();
        self.classes.is_clitic(&w).then_some(j)
    }
}

/// Does `rest` start with a "t" that ends the word (the end of "n't")?
fn ends_clitic_t(rest: &str) -> bool {
    rest.starts_with('t')
        && rest[1..]
            .chars()
            .next()
            .is_none_or(|x| !x.is_alphanumeric())
}

/// The characters of `s` with their byte offsets. Most sentences are ASCII: their bytes
/// are their characters, without decoding UTF-8 one character at a time.
fn char_offsets(s: &str) -> Vec<(usize, char)> {
    if s.is_ascii() {
        s.bytes().enumerate().map(|(k, b)| (k, b as char)).collect()
    } else {
        s.char_indices().collect()
    }
}

/// Tokenises `doc[start..end]` with the given word classes (abbreviations, clitics).
pub fn tokenize_with(doc: &str, start: usize, end: usize, classes: &TextClasses) -> Vec<Token> {
    let s = &doc[start..end];
    let sc = Scanner {
        s,
        base: start,
        chars: char_offsets(s),
        classes,
    };
    let mut out = Vec::new();
    let n = sc.len();
    let mut i = 0;
    while i < n {
        let c = sc.ch(i);
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // Two-character quotes and dashes.
        if (c == '`' || c == '\'' || c == '-') && i + 1 < n && sc.ch(i + 1) == c {
            let mut j = i + 2;
            while c == '-' && j < n && sc.ch(j) == '-' {
                j += 1;
            }
            out.push(sc.token(i, j, TokenKind::Punct));
            i = j;
            continue;
        }
        if c.is_alphanumeric() {
            let j = sc.word_end(i);
            // "US$1.80", "HK$3", "A$5": a currency sign spelled with a country's letters
            // is one sign (no country is named).
            if j < n
                && sc.ch(j) == '$'
                && j - i <= 3
                && (i..j).all(|k| sc.ch(k).is_ascii_uppercase())
            {
                out.push(sc.token(i, j + 1, TokenKind::Punct));
                i = j + 1;
                continue;
            }
            // "n't": split "didn't" → "did" + "n't".
            if sc.splits_nt(i, j) {
                let nb = sc.pos(j) - 1;
                out.push(Token {
                    start: start + sc.pos(i),
                    end: start + nb,
                    kind: TokenKind::Word,
                });
                out.push(Token {
                    start: start + nb,
                    end: start + sc.pos(j + 2),
                    kind: TokenKind::Word,
                });
                i = j + 2;
                continue;
            }
            let stop = sc.keep_period(i, j);
            let word = &s[sc.pos(i)..sc.pos(stop)];
            let kind = if word.chars().next().is_some_and(|c| c.is_ascii_digit())
                && word
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | ':' | '/'))
            {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            out.push(sc.token(i, stop, kind));
            i = stop;
            continue;
        }
        // 's 'll 're 've 'd 'm as their own tokens.
        if let Some(j) = sc.clitic_end(i) {
            out.push(sc.token(i, j, TokenKind::Word));
            i = j;
            continue;
        }
        // "..." as one token.
        if c == '.' && i + 2 < n && sc.ch(i + 1) == '.' && sc.ch(i + 2) == '.' {
            out.push(sc.token(i, i + 3, TokenKind::Punct));
            i += 3;
            continue;
        }
        out.push(sc.token(i, i + 1, TokenKind::Punct));
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
    fn currency_signs_with_letters() {
        assert_eq!(
            toks("from US$1.80 to HK$3, not US $4"),
            vec!["from", "US$", "1.80", "to", "HK$", "3", ",", "not", "US", "$", "4"]
        );
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
