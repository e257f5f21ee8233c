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

/// The order kinds are listed in a segment.
const KINDS: [&str; 5] = ["source", "target", "trigger", "date", "place"];

/// Cuts `text[from..to]` at every highlight boundary; each segment lists the kinds that
/// cover it (in the order source, target, trigger, date, place, without repeats).
///
/// One sweep over the sorted boundaries with a count of open highlights per kind:
/// O((n + m) log m) for m highlights, so a text with many records cannot make a request
/// cost the square of its highlights. Boundaries that are not character boundaries
/// (never made by [`highlights`]) are not cut at.
pub fn segments(text: &str, from: usize, to: usize, marks: &[Highlight]) -> Vec<Segment> {
    let to = to.min(text.len());
    let from = from.min(to);
    // (position, kind, +1 opens / -1 closes), clipped to the range.
    let mut bounds: Vec<(usize, usize, i32)> = Vec::with_capacity(marks.len() * 2);
    for m in marks {
        let Some(k) = KINDS.iter().position(|k| *k == m.kind) else {
            continue;
        };
        let (s, e) = (m.start.max(from), m.end.min(to));
        if s < e {
            bounds.push((s, k, 1));
            bounds.push((e, k, -1));
        }
    }
    bounds.sort_unstable();
    let mut open = [0i32; KINDS.len()];
    let mut out: Vec<Segment> = Vec::new();
    let mut at = from;
    let mut i = 0;
    while at < to {
        while i < bounds.len() && bounds[i].0 <= at {
            open[bounds[i].1] += bounds[i].2;
            i += 1;
        }
        // The next cut that is a character boundary (the end of the range at the latest).
        let mut next = to;
        while i < bounds.len() {
            let p = bounds[i].0;
            if p >= to {
                break;
            }
            if text.is_char_boundary(p) {
                next = p;
                break;
            }
            open[bounds[i].1] += bounds[i].2;
            i += 1;
        }
        if !text.is_char_boundary(at) || !text.is_char_boundary(next) {
            at = next;
            continue;
        }
        let kinds: Vec<&'static str> = KINDS
            .iter()
            .zip(open)
            .filter(|(_, n)| *n > 0)
            .map(|(k, _)| *k)
            .collect();
        let piece = &text[at..next];
        match out.last_mut() {
            Some(last) if last.kinds == kinds => last.text.push_str(piece),
            _ => out.push(Segment {
                text: piece.to_string(),
                kinds,
            }),
        }
        at = next;
    }
    out
}

/// The sentences of `text` as the coder splits them (byte spans), computed once per
/// document when several of its mentions are shown.
pub fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    annalist_text::split_sentences(text)
        .iter()
        .map(|s| (s.start, s.end))
        .collect()
}

/// The byte span of sentence `index` (of `spans`, as [`sentence_spans`] split the
/// text), or the span around the highlights when the index is out of range;
/// `text_len`: the text's length.
pub fn span_of_sentence(
    spans: &[(usize, usize)],
    text_len: usize,
    index: usize,
    marks: &[Highlight],
) -> (usize, usize) {
    let (mut s, mut e) = match spans.get(index) {
        Some(sp) => *sp,
        None => (
            marks.iter().map(|m| m.start).min().unwrap_or(0),
            marks.iter().map(|m| m.end).max().unwrap_or(text_len),
        ),
    };
    // Evidence outside the sentence (a dateline's place, a date from the report) widens it.
    for m in marks {
        s = s.min(m.start);
        e = e.max(m.end);
    }
    (s.min(text_len), e.min(text_len))
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
        // Overlapping spans of one kind count once; a sub-range is cut the same way.
        let marks = [h("source", 0, 14), h("source", 7, 34), h("date", 35, 44)];
        let segs = segments(text, 7, 40, &marks);
        assert_eq!(
            segs.iter()
                .map(|s| (s.text.as_str(), s.kinds.clone()))
                .collect::<Vec<_>>(),
            vec![
                ("shelled the city of Kharkiv", vec!["source"]),
                (" ", vec![]),
                ("on Mo", vec!["date"]),
            ]
        );
    }

    /// Issue 18, finding 1: segmenting cost the square of the number of highlights (a
    /// 0.5 MB text stalled the API for minutes). 200,000 highlights must segment in
    /// well under the time the quadratic cut took (hours).
    #[test]
    fn many_highlights_segment_in_linear_time() {
        let word = "Troops shelled towns. ";
        let text = word.repeat(40_000);
        let mut marks = Vec::new();
        for (i, _) in text.match_indices(word) {
            marks.push(h("source", i, i + 6));
            marks.push(h("trigger", i + 7, i + 14));
            marks.push(h("target", i + 15, i + 20));
            marks.push(h("place", i, i + 20));
            marks.push(h("date", i + 15, i + 21));
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let t = text.clone();
        std::thread::spawn(move || {
            let _ = tx.send(segments(&t, 0, t.len(), &marks));
        });
        let segs = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("200,000 highlights took over a minute to segment");
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(segs[0].text, "Troops");
        assert_eq!(segs[0].kinds, vec!["source", "place"]);
        assert_eq!(segs.len(), 40_000 * 7);
    }
}
