//! `annalist explain`: every stage's output for a text, printable. Input: the sentence
//! analyses and records of [`crate::Coder::explain`]; output: the [`Explanation`], whose
//! `Display` shows tokens and tags (with the rules that chose them), chunks, actor
//! phrases and their entries, predicates with their arguments, every pattern tried and
//! why it fit or not, the rule passes that fired, and the events.
use crate::actors::ActorMatcher;
use crate::clauses::Arg;
use crate::record::EventRecord;
use crate::sentence::SentenceAnalysis;
use annalist_text::{ChunkKind, Voice};
use std::fmt::Write as _;

/// The result of `explain`: every stage's output, printable.
pub struct Explanation {
    pub text: String,
    pub sentences: Vec<SentenceAnalysis>,
    pub records: Vec<EventRecord>,
    pub(crate) rendered: String,
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.rendered)
    }
}

/// Writes `items` on lines of at most 100 characters, each line indented by two spaces.
fn wrap(r: &mut String, items: impl Iterator<Item = String>) {
    let mut line = String::from(" ");
    for item in items {
        if line.len() + item.len() > 100 {
            let _ = writeln!(r, "{line}");
            line = String::from(" ");
        }
        line.push_str(&item);
    }
    let _ = writeln!(r, "{line}");
}

fn render_tokens(r: &mut String, text: &str, s: &SentenceAnalysis) {
    let _ = writeln!(r, "tokens:");
    wrap(
        r,
        s.tokens.iter().map(|t| {
            let item = format!(" {}/{}", t.token.text(text), t.tag.as_str());
            if t.lemma != t.lower {
                format!("{item}({})", t.lemma)
            } else {
                item
            }
        }),
    );
    let ruled: Vec<String> = s
        .tokens
        .iter()
        .filter(|t| t.reason.starts_with("rule:"))
        .map(|t| {
            format!(
                "{}={} ({})",
                t.token.text(text),
                t.tag.as_str(),
                &t.reason[5..]
            )
        })
        .collect();
    if !ruled.is_empty() {
        let _ = writeln!(r, "tag rules: {}", ruled.join(", "));
    }
}

fn render_chunks(r: &mut String, text: &str, s: &SentenceAnalysis) {
    let _ = writeln!(r, "chunks:");
    wrap(
        r,
        s.chunks.iter().map(|c| {
            let words: Vec<&str> = s.tokens[c.start..c.end]
                .iter()
                .map(|t| t.token.text(text))
                .collect();
            let extra = match &c.kind {
                ChunkKind::Verb(vg) => {
                    let flags: Vec<&str> = [
                        (vg.negated, "neg"),
                        (vg.voice == Voice::Passive, "passive"),
                        (vg.infinitive, "inf"),
                        (vg.gerund, "ger"),
                        (vg.modal.is_some(), "modal"),
                    ]
                    .into_iter()
                    .filter_map(|(on, name)| on.then_some(name))
                    .collect();
                    if flags.is_empty() {
                        String::new()
                    } else {
                        format!("<{}>", flags.join(","))
                    }
                }
                _ => String::new(),
            };
            format!(" [{} {}]{extra}", c.label(), words.join(" "))
        }),
    );
}

fn render_mentions(r: &mut String, text: &str, s: &SentenceAnalysis, actors: &ActorMatcher) {
    let _ = writeln!(r, "actor phrases:");
    for m in &s.mentions {
        let (origin, phrase, target) = actors.describe(m);
        let words = &text[s.tokens[m.start].token.start..s.tokens[m.end - 1].token.end];
        let _ = writeln!(r, "  {words:?} → {target} ({origin}, phrase {phrase:?})");
    }
}

fn render_arg(text: &str, s: &SentenceAnalysis, a: Option<&Arg>) -> String {
    let Some(a) = a else {
        return "-".into();
    };
    let words: Vec<String> = a
        .chunks
        .iter()
        .map(|&k| {
            let c = &s.chunks[k];
            text[s.tokens[c.start].token.start..s.tokens[c.end - 1].token.end].to_string()
        })
        .collect();
    let acts: Vec<String> = a
        .actors
        .iter()
        .map(|x| format!("{} [{}]", x.cameo_actor(), x.entry))
        .collect();
    format!(
        "{:?} {}",
        words.join(" + "),
        if acts.is_empty() {
            "(no actor)".into()
        } else {
            acts.join(", ")
        }
    )
}

fn render_predicates(r: &mut String, text: &str, s: &SentenceAnalysis) {
    let _ = writeln!(r, "predicates:");
    for (pi, p) in s.predicates.iter().enumerate() {
        let _ = writeln!(
            r,
            "  #{pi} {:?}{}{}{}{}",
            p.lemma,
            if p.copular { " (be+adj)" } else { "" },
            if p.speech { " (reporting verb)" } else { "" },
            p.controller
                .map(|c| format!(" (complement of #{c})"))
                .unwrap_or_default(),
            p.reported_by
                .map(|c| format!(" (reported by #{c})"))
                .unwrap_or_default()
        );
        let _ = writeln!(
            r,
            "     subject: {}",
            render_arg(text, s, p.subject.as_ref())
        );
        let _ = writeln!(
            r,
            "     object:  {}",
            render_arg(text, s, p.object.as_ref())
        );
        for (prep, a) in &p.pps {
            let _ = writeln!(r, "     {prep}: {}", render_arg(text, s, Some(a)));
        }
        let _ = writeln!(r, "     patterns tried:");
        for l in &s.traces[pi].lines {
            let _ = writeln!(r, "     {l}");
        }
    }
}

fn render_record(e: &EventRecord) -> String {
    let location = e
        .location
        .as_ref()
        .map(|l| {
            format!(
                " · at {} ({}, {}{}, {:.4} {:.4}) from {:?}",
                l.name,
                l.precision,
                l.admin1
                    .as_deref()
                    .map(|a| format!("{a}, "))
                    .unwrap_or_default(),
                l.country,
                l.lat,
                l.lon,
                l.text
            )
        })
        .unwrap_or_default();
    format!(
        "  {} {} {} {} {} (CAMEO {}, Goldstein {}) {} · trigger {:?} · rule {} [{}] · date {}{}",
        e.source.cameo_actor,
        e.source.text,
        if e.mutual { "↔" } else { "→" },
        e.target
            .as_ref()
            .map(|t| format!("{} {}", t.cameo_actor, t.text))
            .unwrap_or_else(|| "(no target)".into()),
        e.event_type,
        e.cameo,
        e.goldstein,
        e.modality,
        e.evidence.trigger,
        e.evidence.rule,
        e.evidence.pattern,
        e.date.as_deref().unwrap_or("unknown"),
        location
    )
}

/// Renders every sentence's stages, then the records.
pub(crate) fn render(
    text: &str,
    sentences: &[SentenceAnalysis],
    records: &[EventRecord],
    coder: &crate::Coder,
) -> String {
    let actors = &coder.actors;
    let mut r = String::new();
    for (i, s) in sentences.iter().enumerate() {
        let _ = writeln!(
            r,
            "sentence {i} [{}..{}]: {}",
            s.start,
            s.end,
            &text[s.start..s.end]
        );
        render_tokens(&mut r, text, s);
        render_chunks(&mut r, text, s);
        render_mentions(&mut r, text, s, actors);
        render_predicates(&mut r, text, s);
        render_weighed(&mut r, text, s, coder);
    }
    let _ = writeln!(r, "events:");
    if records.is_empty() {
        let _ = writeln!(r, "  (none)");
    }
    for (i, e) in records.iter().enumerate() {
        let _ = writeln!(r, "{}", render_record(e));
        let _ = writeln!(r, "{}", render_weights(i, e, coder));
    }
    r
}

/// How mode, attribution and casualties were decided for each event of a sentence.
fn render_weighed(r: &mut String, text: &str, s: &SentenceAnalysis, coder: &crate::Coder) {
    use crate::weigh::{attribution, casualties, mode};
    if s.events.is_empty() {
        return;
    }
    let words = &coder.kn.words;
    let _ = writeln!(r, "weighed:");
    for ev in &s.events {
        let m = mode::decide(words, coder.events.cameo_table(), s, ev);
        let a = attribution::decide(words, s, ev);
        let claim = a
            .claimant
            .as_ref()
            .map(|c| {
                format!(
                    " by {:?} ({}) via {:?}",
                    &text[c.span.0..c.span.1],
                    c.actor
                        .as_ref()
                        .map(|x| x.cameo_actor())
                        .unwrap_or_else(|| "no actor".into()),
                    &text[c.verb.0..c.verb.1]
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            r,
            "  {:?} {}: mode {} ({}), context {}; {}{} ({})",
            &text[ev.trigger.0..ev.trigger.1],
            ev.plover.as_str(),
            m.mode.as_deref().unwrap_or("-"),
            m.reason(&ev.cameo),
            m.context.as_deref().unwrap_or("-"),
            a.kind,
            claim,
            a.reason
        );
    }
    for f in casualties::find(words, text, s) {
        let c = &f.casualty;
        let _ = writeln!(
            r,
            "  casualties: {} {}{}{} from {:?} (word {:?})",
            c.kind,
            c.count,
            c.high.map(|h| format!("–{h}")).unwrap_or_default(),
            c.who
                .as_deref()
                .map(|w| format!(" {w}"))
                .unwrap_or_default(),
            c.text,
            s.tokens[f.word].token.text(text)
        );
    }
}

/// A record's confidence and the features that weighed most.
fn render_weights(i: usize, e: &EventRecord, coder: &crate::Coder) -> String {
    let x = crate::weigh::confidence::features(e);
    let w = &coder.events.confidence_model().weights;
    let mut parts: Vec<(f32, &str)> = annalist_dict::confidence::FEATURES
        .iter()
        .zip(x.iter().zip(w))
        .filter(|(_, (x, _))| **x != 0.0)
        .map(|(f, (x, w))| (x * w, *f))
        .collect();
    parts.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    let shown: Vec<String> = parts
        .iter()
        .take(4)
        .map(|(v, f)| format!("{f} {v:+.2}"))
        .collect();
    format!(
        "    #{i} confidence {:.2} ({}) · attribution {}{}{}",
        e.confidence.unwrap_or(0.0),
        shown.join(", "),
        e.attribution,
        if e.about.is_empty() {
            String::new()
        } else {
            format!(" · about {:?}", e.about)
        },
        if e.casualties.is_empty() {
            String::new()
        } else {
            format!(
                " · casualties {}",
                e.casualties
                    .iter()
                    .map(|c| format!("{} {}", c.kind, c.count))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    )
}
