//! Highlighting: a text cut into segments, each marked with the kinds of evidence
//! (source, target, trigger, date, place) whose byte spans cover it. The page renders
//! segments as text nodes, so offsets never have to be converted to UTF-16 in the
//! browser and no text is ever parsed as HTML.
use annalist_model::EventRecord;
use serde::Serialize;

/// One highlighted span: a kind of evidence and its byte offsets into the text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Highlight {
    /// `source`, `target`, `trigger`, `date` or `place`.
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A piece of text and the evidence kinds covering it (empty: plain text).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Segment {
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<&'static str>,
}

/// The highlights of a record, with spans valid in `text` (others are dropped).
pub fn highlights(r: &EventRecord, text: &str) -> Vec<Highlight> {
    let mut out = Vec::new();
    let mut push = |kind, start: usize, end: usize| {
        if start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
        {
            out.push(Highlight {
                kind,
                start,
                end,
                text: text[start..end].to_string(),
            });
        }
    };
    push("source", r.source.start, r.source.end);
    if let Some(t) = &r.target {
        push("target", t.start, t.end);
    }
    push("trigger", r.evidence.start, r.evidence.end);
    if let Some(d) = &r.date_text {
        push("date", d.start, d.end);
    }
    if let Some(l) = &r.location {
        push("place", l.start, l.end);
    }
    out
}

/// Cuts `text[from..to]` at every highlight boundary; each segment lists the kinds that
/// cover it (in the order source, target, trigger, date, place, without repeats).
pub fn segments(text: &str, from: usize, to: usize, marks: &[Highlight]) -> Vec<Segment> {
    let to = to.min(text.len());
    let mut cuts = vec![from, to];
    for m in marks {
        for p in [m.start, m.end] {
            if p > from && p < to {
                cuts.push(p);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let order = ["source", "target", "trigger", "date", "place"];
    let mut out: Vec<Segment> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a >= b || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        let mut kinds: Vec<&'static str> = order
            .iter()
            .copied()
            .filter(|k| {
                marks
                    .iter()
                    .any(|m| m.kind == *k && m.start <= a && b <= m.end)
            })
            .collect();
        kinds.dedup();
        match out.last_mut() {
            Some(last) if last.kinds == kinds => last.text.push_str(&text[a..b]),
            _ => out.push(Segment {
                text: text[a..b].to_string(),
                kinds,
            }),
        }
    }
    out
}

/// The byte span of sentence `index` of `text` (as the coder split it), or the span
/// around the highlights when the index is out of range.
pub fn sentence_span(text: &str, index: usize, marks: &[Highlight]) -> (usize, usize) {
    let spans = annalist_text::split_sentences(text);
    let (mut s, mut e) = match spans.get(index) {
        Some(sp) => (sp.start, sp.end),
        None => (
            marks.iter().map(|m| m.start).min().unwrap_or(0),
            marks.iter().map(|m| m.end).max().unwrap_or(text.len()),
        ),
    };
    // Evidence outside the sentence (a dateline's place, a date from the report) widens it.
    for m in marks {
        s = s.min(m.start);
        e = e.max(m.end);
    }
    (s.min(text.len()), e.min(text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(kind: &'static str, start: usize, end: usize) -> Highlight {
        Highlight {
            kind,
            start,
            end,
            text: String::new(),
        }
    }

    #[test]
    fn nested_spans_cut_into_segments() {
        let text = "Troops shelled the city of Kharkiv on Monday.";
        let marks = [
            h("source", 0, 6),
            h("trigger", 7, 14),
            h("target", 15, 34),
            h("place", 27, 34),
            h("date", 35, 44),
        ];
        let segs = segments(text, 0, text.len(), &marks);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(segs[0].text, "Troops");
        assert_eq!(segs[0].kinds, vec!["source"]);
        let k = segs.iter().find(|s| s.text == "Kharkiv").unwrap();
        assert_eq!(k.kinds, vec!["target", "place"]);
        assert_eq!(segs.last().unwrap().text, ".");
    }
}
