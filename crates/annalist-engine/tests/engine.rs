//! The streaming engine: output in input order whatever the threads and batch sizes,
//! batches bounded by count and bytes, progress after each batch, a failing sink stops
//! the coding, read errors pass through with `file:line`, `--order` dates a feed.
use annalist_engine::{
    code_inputs, BatchLimits, Coded, CodedSink, Counts, Engine, Input, JsonLines, Reading,
    Resources,
};
use annalist_model::Document;
use std::sync::{Arc, OnceLock};

fn coder() -> Arc<annalist_engine::Coder> {
    static CODER: OnceLock<Arc<annalist_engine::Coder>> = OnceLock::new();
    CODER
        .get_or_init(|| {
            Arc::new(
                Resources::load(None)
                    .unwrap()
                    .coder(annalist_engine::CoderOptions::default()),
            )
        })
        .clone()
}

/// Invented sentences, written for this test.
fn docs(n: usize) -> Vec<Document> {
    let texts = [
        "Chilean police arrested forty protesters in Santiago on Monday.",
        "The foreign minister of Norway met his Finnish counterpart in Oslo.",
        "Nothing of political note happened at the village fair.",
        "Rebels attacked an army base near Goma, killing two soldiers.",
    ];
    (0..n)
        .map(|i| {
            Document::new(
                format!("d{i}"),
                texts[i % texts.len()],
                chrono::NaiveDate::from_ymd_opt(2025, 3, 1 + (i % 28) as u32),
            )
        })
        .collect()
}

fn code_all(engine: &Engine, docs: &[Document]) -> (Vec<u8>, Counts, usize) {
    let mut batches = 0;
    let mut stream = engine
        .stream(JsonLines::new(Vec::new()))
        .on_progress(|_| batches += 1);
    for d in docs {
        stream.push(d.clone(), None);
    }
    let (sink, counts) = stream.finish().unwrap();
    (sink.into_inner(), counts, batches)
}

#[test]
fn output_is_in_input_order_whatever_the_threads_and_batches() {
    let docs = docs(203);
    let one = Engine::new(coder(), Some(1)).unwrap();
    let (expected, counts, _) = code_all(&one, &docs);
    assert_eq!(counts.documents, 203);
    assert!(counts.events > 100, "{counts:?}");
    let ids: Vec<String> = String::from_utf8(expected.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["doc_id"].to_string())
        .collect();
    let mut sorted_by_input = ids.clone();
    sorted_by_input.sort_by_key(|id| id.trim_matches('"')[1..].parse::<usize>().unwrap());
    assert_eq!(ids, sorted_by_input, "records follow the input order");
    for (threads, limits) in [
        (Some(2), BatchLimits::default()),
        (
            Some(3),
            BatchLimits {
                documents: 7,
                bytes: 1 << 20,
            },
        ),
        (
            None,
            BatchLimits {
                documents: 1000,
                bytes: 500,
            },
        ),
    ] {
        let engine = Engine::new(coder(), threads).unwrap().with_limits(limits);
        let (got, c, _) = code_all(&engine, &docs);
        assert_eq!(got, expected, "{threads:?} {limits:?}");
        assert_eq!(c, counts);
    }
}

#[test]
fn batches_close_on_count_or_bytes_and_report_progress() {
    let docs = docs(40);
    let by_count = Engine::new(coder(), Some(2))
        .unwrap()
        .with_limits(BatchLimits {
            documents: 10,
            bytes: 1 << 30,
        });
    assert_eq!(code_all(&by_count, &docs).2, 4);
    // Every text is over 50 bytes: each document closes its batch.
    let by_bytes = Engine::new(coder(), Some(2))
        .unwrap()
        .with_limits(BatchLimits {
            documents: 1000,
            bytes: 50,
        });
    assert_eq!(code_all(&by_bytes, &docs).2, 40);
}

/// A sink that fails on its third document.
struct Failing(usize);

impl CodedSink for Failing {
    type Item = String;
    type Error = String;
    fn prepare(c: Coded) -> String {
        c.doc.id
    }
    fn take(&mut self, id: String) -> Result<(), String> {
        self.0 += 1;
        if self.0 == 3 {
            Err(format!("disk full at {id}"))
        } else {
            Ok(())
        }
    }
}

#[test]
fn a_failing_sink_stops_the_stream_with_its_error() {
    let engine = Engine::new(coder(), Some(2))
        .unwrap()
        .with_limits(BatchLimits {
            documents: 2,
            bytes: 1 << 20,
        });
    let mut stream = engine.stream(Failing(0));
    for d in docs(50) {
        stream.push(d, None);
    }
    assert_eq!(stream.counts().documents, 2);
    assert_eq!(stream.finish().err().unwrap(), "disk full at d2");
}

#[test]
fn read_errors_pass_through_and_a_feed_order_dates_undated_documents() {
    let text = concat!(
        r#"{"id":"a","text":"Turkish troops shelled Kurdish positions on Tuesday."}"#,
        "\n{broken\n",
        r#"{"id":"b","date":"2025-03-07","text":"Nothing of note."}"#,
        "\n"
    );
    let engine = Engine::new(coder(), Some(1)).unwrap();
    let mut stream = engine.stream(JsonLines::new(Vec::new()));
    let mut errors = Vec::new();
    let reading = Reading {
        inputs: vec![Input::JsonLines {
            name: "<feed>",
            text,
        }],
        order: Some(annalist_coder::order::FeedOrder::OldestFirst),
        ..Default::default()
    };
    let rejected = code_inputs(&mut stream, &reading, &mut |e| errors.push(e.to_string()));
    assert_eq!(rejected.rejected, 1);
    assert_eq!(rejected.skipped, 0);
    assert!(
        errors[0].starts_with("<feed>:2: malformed JSON"),
        "{errors:?}"
    );
    let (sink, _) = stream.finish().unwrap();
    let out = String::from_utf8(sink.into_inner()).unwrap();
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["doc_id"], "a");
    // Tuesday, the last before the next document's Friday 2025-03-07.
    assert_eq!(first["document_date"]["date"], "2025-03-04");
    assert_eq!(first["document_date"]["basis"], "inferred");
}

/// Three records of one document (made from a real one) with confidences 0.9, 0.2 and
/// none; the first speaks about the other two.
fn three_records() -> Vec<annalist_model::EventRecord> {
    let doc = &docs(4)[3];
    let base = coder()
        .code(doc)
        .into_iter()
        .next()
        .expect("the sentence codes");
    let mut recs = vec![base.clone(), base.clone(), base];
    recs[0].confidence = Some(0.9);
    recs[0].about = vec![1, 2];
    recs[1].confidence = Some(0.2);
    recs[2].confidence = None;
    recs
}

#[test]
fn records_under_the_minimum_confidence_go_and_links_are_renumbered() {
    let kept = annalist_engine::retain_confident(three_records(), 0.5);
    let conf: Vec<Option<f32>> = kept.iter().map(|r| r.confidence).collect();
    assert_eq!(conf, [Some(0.9), None], "no confidence: kept");
    // The link to the dropped record goes; the one to the old position 2 is now 1.
    assert_eq!(kept[0].about, [1]);
    // The bound is inclusive, and 0 keeps everything.
    assert_eq!(
        annalist_engine::retain_confident(three_records(), 0.9).len(),
        2
    );
    assert_eq!(
        annalist_engine::retain_confident(three_records(), 0.0).len(),
        3
    );
}

#[test]
fn the_engine_applies_the_minimum_confidence_on_every_path() {
    let docs = docs(9);
    for threads in [Some(1), Some(2)] {
        let engine = Engine::new(coder(), threads)
            .unwrap()
            .with_min_confidence(Some(0.6))
            .with_limits(BatchLimits {
                documents: 4,
                bytes: 1 << 20,
            });
        let (bytes, counts, _) = code_all(&engine, &docs);
        let expected: Vec<annalist_model::EventRecord> = docs
            .iter()
            .flat_map(|d| annalist_engine::retain_confident(coder().code(d), 0.6))
            .collect();
        let got: Vec<annalist_model::EventRecord> = String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(got, expected, "{threads:?} threads");
        assert_eq!(counts.events, expected.len());
        assert!(got.iter().all(|r| r.confidence.is_none_or(|c| c >= 0.6)));
    }
    for bad in ["1.5", "-0.1", "high", "", "NaN"] {
        let e = annalist_engine::parse_min_confidence(bad).unwrap_err();
        assert!(e.contains("from 0 to 1"), "{bad}: {e}");
    }
    assert_eq!(annalist_engine::parse_min_confidence(" 0.25 "), Ok(0.25));
}
