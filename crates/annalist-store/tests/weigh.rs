//! What analysts weigh (issue 19) through the store: attribution, confidence, casualty
//! figures, PLOVER mode and context, and the speech acts' `about` links — stored per
//! mention, aggregated per event by the rules of `docs/schema.md`, migrated into a
//! version-3 database, filtered, summed per dyad and exported. Records are built by hand
//! (the coder's own cases are in `tests/coding/`).
mod common;

use annalist_coder::record::{Casualty, Evidence, ReportedBy};
use annalist_coder::{Document, EventRecord};
use annalist_store::export::{export, export_to, Format, CSV_HEADER};
use annalist_store::{DyadPeriod, Filter, Store};
use common::{actor, db_path, doc, open, town};

/// An assault RUSMIL → UKR on 2025-03-03 in Kharkiv, asserted, with nothing else.
fn assault(doc_id: &str) -> EventRecord {
    EventRecord {
        doc_id: doc_id.into(),
        sentence: 0,
        event_type: "ASSAULT".into(),
        cameo: "190".into(),
        quad_class: 4,
        goldstein: -10.0,
        source: actor("RUSMIL"),
        target: Some(actor("UKR")),
        mutual: false,
        negated: false,
        modality: "asserted".into(),
        date: Some("2025-03-03".into()),
        date_precision: Some("day".into()),
        date_text: None,
        document_date: None,
        location: Some(town("Kharkiv")),
        evidence: Evidence {
            trigger: "shelled".into(),
            start: 0,
            end: 7,
            rule: "verbs.txt:1".into(),
            pattern: "shell".into(),
        },
        attribution: "asserted".into(),
        reported_by: None,
        about: Vec::new(),
        confidence: None,
        casualties: Vec::new(),
        mode: None,
        context: None,
    }
}

fn killed(count: u32, high: Option<u32>, text: &str) -> Casualty {
    Casualty {
        kind: "killed".into(),
        count,
        high,
        who: Some("civilians".into()),
        text: text.into(),
        start: 10,
        end: 10 + text.len(),
    }
}

fn claimant(code: Option<&str>, text: &str) -> ReportedBy {
    ReportedBy {
        actor: code.map(actor),
        text: text.into(),
        start: 0,
        end: text.len(),
        verb: "said".into(),
        verb_start: 20,
        verb_end: 24,
    }
}

fn article(id: &str, source: &str) -> Document {
    doc(
        id,
        Some("2025-03-03"),
        source,
        "Words of the article, long enough.",
    )
}

/// One attack, three articles: "12 killed", "15 killed", "at least 15 killed, up to 20".
fn three_articles(s: &mut Store) {
    let mut a = assault("a1");
    a.casualties = vec![killed(12, None, "12 civilians")];
    a.attribution = "claimed".into();
    a.reported_by = Some(claimant(Some("UKRGOV"), "Ukrainian officials"));
    a.confidence = Some(0.61);
    let mut b = assault("a2");
    b.casualties = vec![killed(15, None, "15 civilians")];
    b.attribution = "reported".into();
    b.reported_by = Some(claimant(Some("NGO"), "a monitoring group"));
    b.confidence = Some(0.83);
    b.mode = Some("artillery".into());
    b.context = Some("military".into());
    let mut c = assault("a3");
    c.casualties = vec![killed(15, Some(20), "at least 15 and up to 20 civilians")];
    c.attribution = "claimed".into();
    c.reported_by = Some(claimant(None, "officials"));
    c.confidence = Some(0.7);
    for (d, r) in [
        (article("a1", "wire-a"), a),
        (article("a2", "wire-b"), b),
        (article("a3", "wire-c"), c),
    ] {
        s.ingest(&d, &[r]).unwrap();
    }
}

#[test]
fn three_articles_on_one_attack_count_its_dead_once() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    three_articles(&mut s);
    let events = s.timeline(&Filter::default(), false).unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!(e.mentions, 3);
    assert_eq!(e.casualties.killed, Some(15), "not 12 + 15 + 15 = 42");
    assert_eq!(e.casualties.killed_high, Some(20));
    assert_eq!(e.casualties.injured, None);
    // The most direct attribution: a third party's report beats two claims.
    assert_eq!(e.attribution, "reported");
    assert_eq!(e.reported_by_code.as_deref(), Some("NGO"));
    assert_eq!(e.reported_by_text.as_deref(), Some("a monitoring group"));
    assert_eq!(e.confidence, Some(0.83));
    assert_eq!(e.mode.as_deref(), Some("artillery"));
    assert_eq!(e.context.as_deref(), Some("military"));
    // Per mention, as coded.
    let m = s.mentions_of(e.event).unwrap();
    let got: Vec<(&str, Option<f64>)> = m
        .iter()
        .map(|m| (m.attribution.as_str(), m.confidence))
        .collect();
    assert_eq!(
        got,
        [
            ("claimed", Some(0.61)),
            ("reported", Some(0.83)),
            ("claimed", Some(0.7))
        ]
    );
    // Dyads sum events, not mentions: 15 dead for RUS → UKR in March.
    let dyads = s.dyads(&Filter::default(), DyadPeriod::Month).unwrap();
    assert_eq!(dyads.len(), 1);
    assert_eq!((dyads[0].killed, dyads[0].injured), (15, 0));
    let stats = s.stats().unwrap();
    assert_eq!(stats.killed, 15);
    assert_eq!(stats.events_with_casualties, 1);
    assert_eq!(stats.by_attribution, [("reported".to_string(), 1)]);
}

#[test]
fn replacing_the_article_with_the_highest_figure_lowers_the_events_figure() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    three_articles(&mut s);
    // a3 corrected: 9 dead, no range.
    let mut c = assault("a3");
    c.casualties = vec![killed(9, None, "9 civilians")];
    let mut d = article("a3", "wire-c");
    d.text.push_str(" Corrected.");
    s.ingest(&d, &[c]).unwrap();
    let e = &s.timeline(&Filter::default(), false).unwrap()[0];
    assert_eq!(e.mentions, 3);
    assert_eq!(e.casualties.killed, Some(15));
    assert_eq!(e.casualties.killed_high, Some(15));
    // a3 now asserts the attack: the event is asserted, with no claimant.
    assert_eq!(e.attribution, "asserted");
    assert_eq!(e.reported_by_code, None);
    assert_eq!(e.reported_by_text, None);
}

#[test]
fn figures_of_one_mention_add_up_by_kind() {
    let mut r = assault("x");
    r.casualties = vec![
        killed(3, None, "three soldiers"),
        killed(5, Some(8), "five to eight civilians"),
        Casualty {
            kind: "injured".into(),
            count: 24,
            high: Some(99),
            who: None,
            text: "dozens".into(),
            start: 0,
            end: 6,
        },
    ];
    let f = annalist_store::Figures::of(&r);
    assert_eq!(f.killed, (Some(8), Some(11)));
    assert_eq!(f.injured, (Some(24), Some(99)));
    assert_eq!(f.abducted, (None, None));
    let (_d, p) = db_path();
    let mut s = open(&p);
    s.ingest(&article("x", "w"), &[r]).unwrap();
    let e = &s.timeline(&Filter::default(), false).unwrap()[0];
    assert_eq!(
        e.casualties.render(),
        "killed 8 (up to 11), injured 24 (up to 99)"
    );
}

#[test]
fn a_speech_act_keeps_the_positions_of_the_records_it_mentions() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    let mut accuse = assault("acc");
    accuse.event_type = "ACCUSE".into();
    accuse.cameo = "112".into();
    accuse.quad_class = 3;
    accuse.source = actor("UKRGOV");
    accuse.target = Some(actor("RUS"));
    accuse.about = vec![1];
    let mut attack = assault("acc");
    attack.attribution = "alleged".into();
    attack.reported_by = Some(claimant(Some("UKRGOV"), "Kyiv"));
    s.ingest(&article("acc", "w"), &[accuse, attack]).unwrap();
    let about: Vec<Option<String>> = s
        .connection()
        .prepare("SELECT about FROM mentions ORDER BY ordinal")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(about, [Some("[1]".to_string()), None]);
    // Both events are kept; leaving out claims leaves the accusation only.
    assert_eq!(s.timeline(&Filter::default(), false).unwrap().len(), 2);
    let asserted = s
        .timeline(&Filter::default().without_claims(), false)
        .unwrap();
    assert_eq!(asserted.len(), 1);
    assert_eq!(asserted[0].event_type, "ACCUSE");
    // The document view gives the records back in order with their events.
    let d = s.document("acc").unwrap().unwrap();
    let rec: EventRecord = serde_json::from_str(&d.records[0].1).unwrap();
    assert_eq!(rec.about, [1]);
    let attack_event = d.records[1].0.unwrap();
    assert_ne!(Some(attack_event), d.records[0].0);
    let attack = &s.events_by_id(&[attack_event]).unwrap()[0];
    assert_eq!(
        (
            attack.attribution.as_str(),
            attack.reported_by_code.as_deref()
        ),
        ("alleged", Some("UKRGOV"))
    );
}

#[test]
fn the_confidence_filter_keeps_events_without_a_confidence() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    let mut low = assault("low");
    low.confidence = Some(0.3);
    let mut high = assault("high");
    high.confidence = Some(0.9);
    high.date = Some("2025-04-10".into());
    let mut none = assault("none");
    none.date = Some("2025-05-20".into());
    for r in [low, high, none] {
        s.ingest(&article(&r.doc_id.clone(), "w"), &[r]).unwrap();
    }
    let ids = |f: Filter| -> Vec<Option<f64>> {
        s.timeline(&f, false)
            .unwrap()
            .iter()
            .map(|e| e.confidence)
            .collect()
    };
    assert_eq!(ids(Filter::default()), [Some(0.3), Some(0.9), None]);
    let f = Filter {
        min_confidence: Some(0.5),
        ..Default::default()
    };
    assert_eq!(ids(f.clone()), [Some(0.9), None]);
    assert_eq!(s.event_ids(&f).unwrap().len(), 2);
    let f = Filter {
        min_confidence: Some(0.9),
        ..Default::default()
    };
    assert_eq!(ids(f), [Some(0.9), None], "the bound is inclusive");
}

/// A version-3 database as the schema of that version made it, with rows, migrates to
/// the latest version keeping every row and filling the new columns from the stored
/// records.
#[test]
fn a_version_3_database_migrates_and_keeps_its_rows() {
    let (_d, p) = db_path();
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        for script in &annalist_store::schema::MIGRATIONS[..3] {
            c.execute_batch(script).unwrap();
        }
        c.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 3;
             INSERT INTO meta VALUES ('application', 'annalist'), ('schema_version', '3');",
            annalist_store::schema::APPLICATION_ID
        ))
        .unwrap();
        // Two documents on one attack; the first record was made before issue 19 (no
        // new fields in its JSON), the second carries them.
        let old = serde_json::json!({
            "doc_id": "old", "sentence": 0, "event_type": "ASSAULT", "cameo": "190",
            "quad_class": 4, "goldstein": -10.0,
            "source": {"code": "RUS", "sector": "MIL", "cameo_actor": "RUSMIL", "text": "Russian forces",
                       "start": 0, "end": 14, "entry": "t"},
            "target": {"code": "UKR", "cameo_actor": "UKR", "text": "Ukraine", "start": 20, "end": 27, "entry": "t"},
            "negated": false, "modality": "asserted", "date": "2025-03-03", "date_precision": "day",
            "location": null,
            "evidence": {"trigger": "shelled", "start": 15, "end": 22, "rule": "verbs.txt:1", "pattern": "shell"}
        });
        let mut new = assault("new");
        new.location = None;
        new.attribution = "claimed".into();
        new.reported_by = Some(claimant(Some("UKRGOV"), "Ukrainian officials"));
        new.confidence = Some(0.75);
        new.mode = Some("artillery".into());
        new.context = Some("military".into());
        new.about = vec![0];
        new.casualties = vec![
            killed(4, Some(6), "four to six people"),
            killed(2, None, "two soldiers"),
            Casualty {
                kind: "injured".into(),
                count: 11,
                high: None,
                who: None,
                text: "11".into(),
                start: 0,
                end: 2,
            },
        ];
        let new = serde_json::to_value(&new).unwrap();
        c.execute_batch(
            "INSERT INTO documents VALUES (1, 'old', 'h1', '2025-03-03', NULL, NULL, 'a', 'text', 1, '2025-03-04T00:00:00Z');
             INSERT INTO documents VALUES (2, 'new', 'h2', '2025-03-03', NULL, NULL, 'b', 'text', 1, '2025-03-04T00:00:00Z');
             INSERT INTO events (event, source_actor, source_code, target_actor, target_code, event_type, cameo,
                quad_class, goldstein, date, date_precision, day, location, mentions, articles, sources,
                first_seen, last_seen)
             VALUES (1, 'RUSMIL', 'RUS', 'UKR', 'UKR', 'ASSAULT', '190', 4, -10.0, '2025-03-03', 'day', 20150, '',
                2, 2, 2, '2025-03-03', '2025-03-03');",
        )
        .unwrap();
        for (i, (doc, rec)) in [(1, old), (2, new)].into_iter().enumerate() {
            c.execute(
                "INSERT INTO mentions (doc, ordinal, event, sentence, event_type, cameo, quad_class, goldstein,
                 source_actor, source_code, target_actor, target_code, modality, date, date_precision,
                 location, trigger, trigger_start, trigger_end, rule, record)
                 VALUES (?1, 0, 1, 0, 'ASSAULT', '190', 4, -10.0, 'RUSMIL', 'RUS', 'UKR', 'UKR', 'asserted',
                 '2025-03-03', 'day', '', 'shelled', 15, 22, 'verbs.txt:1', ?2)",
                rusqlite::params![doc, rec.to_string()],
            )
            .unwrap();
            assert_eq!(c.last_insert_rowid(), i as i64 + 1);
        }
    }
    let mut s = open(&p);
    let version: i64 = s
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, annalist_store::schema::latest());
    let stats = s.stats().unwrap();
    assert_eq!((stats.documents, stats.mentions, stats.events), (2, 2, 1));
    let e = &s.timeline(&Filter::default(), false).unwrap()[0];
    assert_eq!((e.mentions, e.articles), (2, 2));
    // The old record is asserted: the event is too, with no claimant.
    assert_eq!(e.attribution, "asserted");
    assert_eq!(e.reported_by_code, None);
    assert_eq!(e.confidence, Some(0.75));
    assert_eq!(e.casualties.killed, Some(6));
    assert_eq!(e.casualties.killed_high, Some(8));
    assert_eq!(e.casualties.injured, Some(11));
    assert_eq!(e.casualties.injured_high, Some(11));
    assert_eq!(e.mode.as_deref(), Some("artillery"));
    let row: (String, Option<String>, Option<String>, Option<String>) = s
        .connection()
        .query_row(
            "SELECT attribution, reported_by_code, reported_by_text, about FROM mentions WHERE mention = 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        row,
        (
            "claimed".into(),
            Some("UKRGOV".into()),
            Some("Ukrainian officials".into()),
            Some("[0]".into())
        )
    );
    // A backfilled mention and one written by ingest agree: ingesting the same record
    // in a fresh database gives the same mention columns.
    let cols = "attribution, reported_by_code, reported_by_text, about, confidence, mode, context, \
                killed, killed_high, injured, injured_high, abducted, abducted_high, arrested, arrested_high";
    let migrated = mention_columns(&s, cols, "new");
    let (_d2, p2) = db_path();
    let mut fresh = open(&p2);
    let rec: String = s
        .connection()
        .query_row("SELECT record FROM mentions WHERE mention = 2", [], |r| {
            r.get(0)
        })
        .unwrap();
    let rec: EventRecord = serde_json::from_str(&rec).unwrap();
    fresh.ingest(&article("new", "b"), &[rec]).unwrap();
    assert_eq!(mention_columns(&fresh, cols, "new"), migrated);
    // The migrated database takes new documents, which merge into the old event.
    let mut more = assault("more");
    more.location = None;
    more.casualties = vec![killed(30, None, "30 people")];
    s.ingest(&article("more", "c"), &[more]).unwrap();
    let e = &s.timeline(&Filter::default(), false).unwrap()[0];
    assert_eq!((e.mentions, e.casualties.killed), (3, Some(30)));
}

fn mention_columns(s: &Store, cols: &str, doc_id: &str) -> Vec<rusqlite::types::Value> {
    let sql =
        format!("SELECT {cols} FROM mentions m JOIN documents d ON d.doc = m.doc WHERE d.id = ?1");
    s.connection()
        .query_row(&sql, [doc_id], |r| {
            (0..r.as_ref().column_count())
                .map(|i| r.get::<_, rusqlite::types::Value>(i))
                .collect()
        })
        .unwrap()
}

#[test]
fn exports_carry_the_new_columns_read_back_typed() {
    let (dir, p) = db_path();
    let mut s = open(&p);
    three_articles(&mut s);
    let mut quiet = assault("q");
    quiet.date = Some("2025-04-01".into());
    s.ingest(&article("q", "w"), &[quiet]).unwrap();

    // CSV: header and values by name.
    let mut csv_bytes = Vec::new();
    export_to(&s, &Filter::default(), Format::Csv, &mut csv_bytes).unwrap();
    let mut r = csv::Reader::from_reader(csv_bytes.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, CSV_HEADER);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let col = |row: &csv::StringRecord, name: &str| {
        row[CSV_HEADER.iter().position(|h| *h == name).unwrap()].to_string()
    };
    assert_eq!(col(&rows[0], "killed"), "15");
    assert_eq!(col(&rows[0], "killed_high"), "20");
    assert_eq!(col(&rows[0], "injured"), "");
    assert_eq!(col(&rows[0], "attribution"), "reported");
    assert_eq!(col(&rows[0], "reported_by_code"), "NGO");
    assert_eq!(col(&rows[0], "confidence"), "0.83");
    assert_eq!(col(&rows[0], "mode"), "artillery");
    assert_eq!(col(&rows[1], "attribution"), "asserted");
    assert_eq!(col(&rows[1], "confidence"), "");
    assert_eq!(col(&rows[1], "killed"), "");

    // JSON Lines: typed JSON values.
    let mut jsonl = Vec::new();
    export_to(&s, &Filter::default(), Format::Jsonl, &mut jsonl).unwrap();
    let first: serde_json::Value =
        serde_json::from_str(std::str::from_utf8(&jsonl).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(first["killed"], 15);
    assert_eq!(first["killed_high"], 20);
    assert_eq!(first["confidence"], 0.83);
    assert_eq!(first["attribution"], "reported");
    assert_eq!(first["mention_list"][0]["attribution"], "claimed");

    // PLOVER: its own names for mode, context and fatalities.
    let mut plover = Vec::new();
    export_to(&s, &Filter::default(), Format::Plover, &mut plover).unwrap();
    let lines: Vec<serde_json::Value> = std::str::from_utf8(&plover)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["mode"], "artillery");
    assert_eq!(lines[0]["context"], serde_json::json!(["military"]));
    assert_eq!(lines[0]["fatalities"], 15);
    assert_eq!(lines[0]["casualties"]["killed_high"], 20);
    assert_eq!(lines[1]["mode"], "");
    assert_eq!(lines[1]["context"], serde_json::json!([]));
    assert!(lines[1]["fatalities"].is_null());

    // Parquet, read back by the parquet crate's Arrow reader: typed columns.
    let pq = dir.path().join("pq");
    export(&s, &Filter::default(), Format::Parquet, &pq).unwrap();
    let file = std::fs::File::open(pq.join("month=2025-03/part-0.parquet")).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let batches: Vec<_> = reader.map(Result::unwrap).collect();
    let b = &batches[0];
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type};
    use arrow_array::Array;
    let killed = b
        .column_by_name("killed")
        .unwrap()
        .as_primitive::<Int64Type>();
    assert_eq!(killed.value(0), 15);
    let high = b
        .column_by_name("killed_high")
        .unwrap()
        .as_primitive::<Int64Type>();
    assert_eq!(high.value(0), 20);
    let injured = b
        .column_by_name("injured")
        .unwrap()
        .as_primitive::<Int64Type>();
    assert!(injured.is_null(0));
    let conf = b
        .column_by_name("confidence")
        .unwrap()
        .as_primitive::<Float64Type>();
    assert_eq!(conf.value(0), 0.83);
    let attribution = b.column_by_name("attribution").unwrap().as_string::<i32>();
    assert_eq!(attribution.value(0), "reported");
    let april = std::fs::File::open(pq.join("month=2025-04/part-0.parquet")).unwrap();
    let b = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(april)
        .unwrap()
        .build()
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert!(b.column_by_name("confidence").unwrap().is_null(0));
    assert_eq!(
        b.column_by_name("attribution")
            .unwrap()
            .as_string::<i32>()
            .value(0),
        "asserted"
    );
}
