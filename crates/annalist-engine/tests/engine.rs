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
    assert_eq!(rejected, 1);
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
