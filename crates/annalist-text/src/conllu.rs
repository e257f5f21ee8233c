//! Gold-tagged sentences from CoNLL-U text (Universal Dependencies treebanks such as
//! UD English-EWT), for measuring and training the tagger; not a pipeline stage. Input:
//! the text of a `.conllu` file; output: per sentence its word forms and gold Penn tags
//! (the XPOS column) mapped to annalist's tag set ([`map_xpos`]). Multi-word token lines
//! (`3-4`) and empty nodes (`5.1`) are skipped: the syntactic words are the tokens.
use crate::token::{Token, TokenKind};
use annalist_dict::Tag;

/// One gold token: its form and its tag (`None`: no Penn tag, not scored).
#[derive(Debug, Clone, PartialEq)]
pub struct GoldToken {
    pub form: String,
    pub xpos: String,
    pub tag: Option<Tag>,
}

/// A sentence of gold tokens.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoldSentence {
    pub tokens: Vec<GoldToken>,
}

/// A problem in a CoNLL-U file: line and message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ConlluError {
    pub line: usize,
    pub message: String,
}

/// EWT's tags in annalist's (Penn Treebank) tag set. EWT follows the Penn conventions of
/// OntoNotes, which differ for brackets (`-LRB-` → `(`, `-RRB-` → `)`), hyphens between
/// the parts of a split compound (`HYPH` → `:`, as a dash), other punctuation and
/// emoticons (`NFP` → `SYM`), e-mail and web addresses (`ADD` → `NN`) and a split-off
/// prefix (`AFX` → `JJ`). `GW` (a piece of a word split by a typo) and `XX` have no
/// Penn tag and are not scored. EWT also tags the preposition "to" `IN`, where Penn tags
/// every "to" `TO`: [`parse`] maps it.
pub fn map_xpos(xpos: &str) -> Option<Tag> {
    match xpos {
        "-LRB-" => Some(Tag::LPAREN),
        "-RRB-" => Some(Tag::RPAREN),
        "HYPH" => Some(Tag::COLON),
        "NFP" => Some(Tag::SYM),
        "ADD" => Some(Tag::NN),
        "AFX" => Some(Tag::JJ),
        "GW" | "XX" | "_" => None,
        t => Tag::parse(t),
    }
}

/// Reads every sentence of a CoNLL-U text.
pub fn parse(text: &str) -> Result<Vec<GoldSentence>, ConlluError> {
    let mut out = Vec::new();
    let mut cur = GoldSentence::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !cur.tokens.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 10 {
            return Err(ConlluError {
                line: n + 1,
                message: format!("expected 10 tab-separated fields, found {}", f.len()),
            });
        }
        if f[0].contains('-') || f[0].contains('.') {
            continue;
        }
        if !(f[4] == "_" || map_xpos(f[4]).is_some() || f[4] == "GW" || f[4] == "XX") {
            return Err(ConlluError {
                line: n + 1,
                message: format!("unknown XPOS tag {:?}", f[4]),
            });
        }
        let mut tag = map_xpos(f[4]);
        if tag == Some(Tag::IN) && f[1].eq_ignore_ascii_case("to") {
            tag = Some(Tag::TO);
        }
        cur.tokens.push(GoldToken {
            form: f[1].to_string(),
            xpos: f[4].to_string(),
            tag,
        });
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// The kind the tokenizer would give a gold token's form: a number, a word (or a clitic
/// such as "'s"), or punctuation.
pub fn token_kind(form: &str) -> TokenKind {
    let mut chars = form.chars();
    let first = chars.next().unwrap_or(' ');
    if first.is_ascii_digit()
        && form
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | ':' | '/'))
    {
        TokenKind::Number
    } else if first.is_alphanumeric()
        || ((first == '\'' || first == '’') && chars.next().is_some_and(char::is_alphabetic))
    {
        TokenKind::Word
    } else {
        TokenKind::Punct
    }
}

impl GoldSentence {
    /// The sentence as a document (forms joined by single spaces) and its tokens.
    pub fn document(&self) -> (String, Vec<Token>) {
        let mut doc = String::new();
        let mut toks = Vec::with_capacity(self.tokens.len());
        for t in &self.tokens {
            if !doc.is_empty() {
                doc.push(' ');
            }
            let start = doc.len();
            doc.push_str(&t.form);
            toks.push(Token {
                start,
                end: doc.len(),
                kind: token_kind(&t.form),
            });
        }
        (doc, toks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sentences_maps_tags_and_skips_ranges() {
        let text = "# sent_id = 1\n1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tdo\tdo\tAUX\tVBP\t_\t_\t_\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t_\t_\t_\t_\n3\t(\t(\tPUNCT\t-LRB-\t_\t_\t_\t_\t_\n\n1\tanti\tanti\tX\tAFX\t_\t_\t_\t_\t_\n";
        let s = parse(text).unwrap();
        assert_eq!(s.len(), 2);
        let tags: Vec<_> = s[0].tokens.iter().map(|t| t.tag).collect();
        assert_eq!(tags, [Some(Tag::VBP), Some(Tag::RB), Some(Tag::LPAREN)]);
        assert_eq!(s[1].tokens[0].tag, Some(Tag::JJ));
        let (doc, toks) = s[0].document();
        assert_eq!(doc, "do n't (");
        assert_eq!(
            toks.iter().map(|t| t.kind).collect::<Vec<_>>(),
            [TokenKind::Word, TokenKind::Word, TokenKind::Punct]
        );
        let e = parse("1\tx\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 1: expected 10 tab-separated fields, found 2"
        );
    }
}
