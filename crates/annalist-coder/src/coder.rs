//! The [`Coder`]: the compiled dictionaries and the one loop over a document's
//! sentences that every entry point shares. [`Coder::code`] runs it for records;
//! [`Coder::explain`] runs the same loop with tracing on and keeps every intermediate
//! result. Per sentence: `sentence` (stages 3–7 and the rule passes), then `records`
//! (dates, places, one record per source–target pair).
use crate::actors::{Actor, ActorMatcher};
use crate::document::Document;
use crate::events::EventMatcher;
use crate::explain::Explanation;
use crate::knowledge::Knowledge;
use crate::record::{EventRecord, Location};
use crate::records::RecordContext;
use crate::sentence::{SentenceAnalysis, SentenceInput};
use annalist_dict::Dictionaries;
use annalist_geo::{Gazetteer, PlaceId};
use annalist_text::split_sentences_with;
use chrono::NaiveDate;
use std::sync::Arc;

/// Policies of the coder.
#[derive(Debug, Clone, Copy, Default)]
pub struct CoderOptions {
    /// Emit negated events ("did not attack", "denied attacking") with `negated: true`
    /// instead of dropping them.
    pub keep_negated: bool,
    /// Emit hypothetical events ("could attack") instead of dropping them.
    pub keep_hypothetical: bool,
    /// Drop events whose target was not found when their type needs one
    /// (ARCHITECTURE.md, Policies, "Missing target"); by default they are kept with
    /// `"target": null`.
    pub require_target: bool,
}

/// The compiled coder.
pub struct Coder {
    pub(crate) tagger: annalist_text::Tagger,
    pub(crate) actors: ActorMatcher,
    pub(crate) events: EventMatcher,
    pub(crate) kn: Knowledge,
    pub(crate) options: CoderOptions,
}

/// What one pass over a document produced.
struct DocumentRun {
    records: Vec<EventRecord>,
    /// Every sentence's analysis, kept only when tracing.
    sentences: Vec<SentenceAnalysis>,
    sentence_count: usize,
}

impl Coder {
    /// A coder with the embedded gazetteer.
    pub fn new(d: &Dictionaries, options: CoderOptions) -> Coder {
        Self::with_gazetteer(d, options, Some(Gazetteer::shared()))
    }

    /// A coder with gazetteer `g` (`None`: places are not recognised).
    pub fn with_gazetteer(
        d: &Dictionaries,
        options: CoderOptions,
        g: Option<Arc<Gazetteer>>,
    ) -> Coder {
        let mut actors = ActorMatcher::new(d);
        if let Some(g) = g {
            actors = actors.with_places(g, &d.lexicon);
        }
        Coder {
            tagger: annalist_text::Tagger::new(d),
            actors,
            events: EventMatcher::new(d),
            kn: Knowledge::new(d),
            options,
        }
    }

    /// Number of actor phrases and verb patterns compiled.
    pub fn sizes(&self) -> (usize, usize) {
        (self.actors.len(), self.events.len())
    }

    /// Codes a document: every event of every sentence, in text order.
    pub fn code(&self, doc: &Document) -> Vec<EventRecord> {
        self.code_counted(doc).0
    }

    /// [`Coder::code`], also returning the number of sentences of the document.
    pub fn code_counted(&self, doc: &Document) -> (Vec<EventRecord>, usize) {
        let run = self.run(&doc.id, &doc.text, doc.date, false);
        (run.records, run.sentence_count)
    }

    /// Runs every stage on `text` and keeps what each produced.
    pub fn explain(&self, text: &str, date: Option<NaiveDate>) -> Explanation {
        let run = self.run("explain", text, date, true);
        let rendered = crate::explain::render(text, &run.sentences, &run.records, self);
        Explanation {
            text: text.to_string(),
            sentences: run.sentences,
            records: run.records,
            rendered,
        }
    }

    /// The one loop over a document's sentences: each sentence is analysed with the
    /// previous sentence's first subject (for pronouns) and the places named so far (to
    /// choose between towns of one name), then turned into records.
    fn run(&self, doc_id: &str, text: &str, date: Option<NaiveDate>, trace: bool) -> DocumentRun {
        let mut records = Vec::new();
        let mut sentences = Vec::new();
        let mut previous: Option<Actor> = None;
        let mut places = Vec::new();
        let dateline = self.dateline(text);
        let spans = split_sentences_with(text, self.tagger.classes());
        for (i, span) in spans.iter().enumerate() {
            let s = self.analyse(SentenceInput {
                text,
                date,
                start: span.start,
                end: span.end,
                previous: previous.as_ref(),
                nearby: &places,
                trace,
            });
            let cx = RecordContext {
                doc_id,
                text,
                date,
                sentence: i,
                dateline: dateline.as_ref(),
            };
            self.records(&cx, &s, &mut records);
            if let Some(a) = first_subject(&s) {
                previous = Some(a);
            }
            remember_places(&s, &mut places);
            if trace {
                sentences.push(s);
            }
        }
        DocumentRun {
            records,
            sentences,
            sentence_count: spans.len(),
        }
    }

    /// The place of the document's wire dateline, if any.
    fn dateline(&self, text: &str) -> Option<Location> {
        let len = annalist_text::sentence::dateline_len_with(text, self.tagger.classes());
        if len == 0 {
            return None;
        }
        crate::location::dateline_place(self.actors.places()?, text, len)
    }
}

/// The first subject actor of a sentence with a code: what "it" refers to next.
fn first_subject(s: &SentenceAnalysis) -> Option<Actor> {
    s.predicates
        .iter()
        .filter_map(|p| p.subject.as_ref())
        .flat_map(|a| a.actors.iter())
        .find(|a| a.code.is_some())
        .cloned()
}

/// The places a sentence named, kept for the document's later sentences ("Paris" after
/// "Texas"): at most 32, first named first.
fn remember_places(s: &SentenceAnalysis, places: &mut Vec<PlaceId>) {
    for id in s.mentions.iter().filter_map(|m| m.place) {
        if places.len() < 32 && !places.contains(&id) {
            places.push(id);
        }
    }
}
