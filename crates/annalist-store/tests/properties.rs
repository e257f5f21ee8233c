//! Property tests of the store on random synthetic mentions (a few actors, types,
//! dates of every precision, places, documents ingested, then some replaced): whatever
//! the input, every event keeps the invariants of ARCHITECTURE.md — each mention shares
//! its event's key, its date is compatible with the event's anchor, its place with the
//! event's; every event has mentions and the counts of them; every document has all of
//! its mentions.
mod common;

use annalist_coder::record::Evidence;
use annalist_coder::{Document, EventRecord};
use annalist_store::dedup::{dates_compatible, locations_compatible, DateSpan, Precision};
use annalist_store::{OpenOptions, Store};
use common::actor;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Mention {
    source: &'static str,
    target: Option<&'static str>,
    event_type: &'static str,
    day: Option<(u32, &'static str)>,
    location: Option<&'static str>,
}

fn record(doc: &str, m: &Mention) -> EventRecord {
    let date = m.day.map(|(d, _)| {
        (chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(d as i64))
            .to_string()
    });
    EventRecord {
        doc_id: doc.into(),
        sentence: 0,
        event_type: m.event_type.into(),
        cameo: "190".into(),
        quad_class: 4,
        goldstein: -10.0,
        source: actor(m.source),
        target: m.target.map(actor),
        mutual: false,
        negated: false,
        modality: "asserted".into(),
        date,
        date_precision: m.day.map(|(_, p)| p.to_string()),
        date_text: None,
        document_date: None,
        location: m.location.map(common::town),
        evidence: Evidence {
            trigger: "x".into(),
            start: 0,
            end: 1,
            rule: "verbs.txt:1".into(),
            pattern: "x".into(),
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

fn mention() -> impl Strategy<Value = Mention> {
    (
        prop::sample::select(vec!["RUSMIL", "UKRMIL", "RUS"]),
        prop::option::of(prop::sample::select(vec!["UKR", "RUS", "RUSMIL"])),
        prop::sample::select(vec!["ASSAULT", "ACCUSE"]),
        prop::option::weighted(
            0.9,
            (
                0u32..120,
                prop::sample::select(vec!["day", "day", "day", "week", "month", "year"]),
            ),
        ),
        prop::option::of(prop::sample::select(vec!["Kharkiv", "Odesa"])),
    )
        .prop_map(|(source, target, event_type, day, location)| Mention {
            source,
            target,
            event_type,
            day,
            location,
        })
}

/// Documents (0–4 mentions each), then replacements: (document index, new mentions).
type Corpus = (Vec<Vec<Mention>>, Vec<(usize, Vec<Mention>)>);

fn corpus() -> impl Strategy<Value = Corpus> {
    (
        prop::collection::vec(prop::collection::vec(mention(), 0..4), 1..25),
        prop::collection::vec((0usize..25, prop::collection::vec(mention(), 0..4)), 0..6),
    )
}

/// A mention joined with its event: same key?, mention date and precision, event date
/// and precision, mention and event locations, mention document, event's undated_doc.
type Joined = (
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    i64,
    Option<i64>,
);

fn check_invariants(store: &Store) -> Result<(), TestCaseError> {
    let c = store.connection();
    let one = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    prop_assert_eq!(one("SELECT count(*) FROM mentions WHERE event IS NULL"), 0);
    prop_assert_eq!(
        one("SELECT count(*) FROM events e WHERE mentions = 0 OR mentions != (SELECT count(*) FROM mentions m WHERE m.event = e.event)
             OR articles != (SELECT count(DISTINCT doc) FROM mentions m WHERE m.event = e.event)"),
        0
    );
    prop_assert_eq!(
        one("SELECT count(*) FROM documents d WHERE mention_count != (SELECT count(*) FROM mentions m WHERE m.doc = d.doc)"),
        0
    );
    let mut stmt = c
        .prepare(
            // The merge key: same type; same countries, in either direction when the
            // mention or the event is mutual; actors equal or one a bare country.
            "SELECT m.event_type = e.event_type AND (
                    (m.source_code = e.source_code AND m.target_code = e.target_code
                     AND (m.source_actor = e.source_actor OR m.source_actor = m.source_code OR e.source_actor = e.source_code)
                     AND (m.target_actor = e.target_actor OR m.target_actor = m.target_code OR e.target_actor = e.target_code))
                 OR ((m.mutual OR e.mutual) AND m.source_code = e.target_code AND m.target_code = e.source_code
                     AND (m.source_actor = e.target_actor OR m.source_actor = m.source_code OR e.target_actor = e.target_code)
                     AND (m.target_actor = e.source_actor OR m.target_actor = m.target_code OR e.source_actor = e.source_code))),
                    m.date, m.date_precision, e.date, e.date_precision, m.location, e.location,
                    m.doc, e.undated_doc
             FROM mentions m JOIN events e ON e.event = m.event",
        )
        .unwrap();
    let rows: Vec<Joined> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let span = |d: &str, p: &Option<String>| DateSpan {
        date: chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap(),
        precision: Precision::parse(p.as_deref()),
    };
    for (same_key, md, mp, ed, ep, ml, el, doc, undated_doc) in rows {
        prop_assert!(same_key);
        prop_assert!(
            ml.is_empty() || ml == el,
            "mention at {} in event at {}",
            ml,
            el
        );
        prop_assert!(locations_compatible(&ml, &el));
        match (md, ed) {
            (Some(md), Some(ed)) => prop_assert!(dates_compatible(span(&md, &mp), span(&ed, &ep))),
            (None, None) => prop_assert_eq!(undated_doc, Some(doc)),
            (md, ed) => prop_assert!(false, "dated and undated mixed: {:?} {:?}", md, ed),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn events_keep_their_invariants_through_ingest_and_replacement((docs, replacements) in corpus()) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("p.db"), &OpenOptions::default()).unwrap();
        let ingest = |store: &mut Store, i: usize, text: &str, ms: &[Mention]| {
            let id = format!("d{i}");
            let doc = Document {
                id: id.clone(),
                text: text.into(),
                date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1),
                title: None,
                url: None,
                source: Some(format!("s{}", i % 3)),
                date_basis: None,
            };
            let records: Vec<_> = ms.iter().map(|m| record(&id, m)).collect();
            store.ingest(&doc, &records).unwrap();
        };
        for (i, ms) in docs.iter().enumerate() {
            ingest(&mut store, i, "first version", ms);
        }
        check_invariants(&store)?;
        let mentions_before: i64 = store.connection().query_row("SELECT count(*) FROM mentions", [], |r| r.get(0)).unwrap();
        prop_assert_eq!(mentions_before as usize, docs.iter().map(Vec::len).sum::<usize>());
        for (k, (i, ms)) in replacements.iter().enumerate() {
            let i = i % docs.len();
            ingest(&mut store, i, &format!("version {k}"), ms);
            check_invariants(&store)?;
        }
        let docs_after: i64 = store.connection().query_row("SELECT count(*) FROM documents", [], |r| r.get(0)).unwrap();
        prop_assert_eq!(docs_after as usize, docs.len());
    }
}
