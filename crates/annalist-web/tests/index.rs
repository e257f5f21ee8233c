//! The in-memory filter index selects exactly what the store's SQL filter selects, in the
//! same order: compared on the built-in sample corpus plus the test fixture, over many
//! filters (every actor code and prefix, pairs, types, quads, date ranges, places in
//! several spellings, minimum confidences, attributions, and combinations).
mod common;

use annalist_store::{Filter, OpenOptions, Store};
use annalist_web::index::EventIndex;

const SAMPLE: &str = include_str!("../../../samples/sample.jsonl");

#[test]
fn index_selects_like_sql() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::fixture_db(dir.path());
    {
        let mut store = Store::open(&path, &OpenOptions::default()).unwrap();
        let coder = common::coder();
        annalist_io::read_json_lines("sample", SAMPLE.as_bytes(), &Default::default(), &mut |r| {
            let d = r.unwrap();
            store.ingest(&d, &coder.code(&d)).unwrap();
        });
        // Attributions and confidences of every kind (NULL too), whatever the coder
        // gives today: the filters below must find all of them.
        store
            .connection()
            .execute_batch(
                "UPDATE events SET
                 confidence = CASE WHEN event % 7 = 0 THEN NULL ELSE (event % 10) / 10.0 END,
                 attribution = CASE event % 5 WHEN 0 THEN 'asserted' WHEN 1 THEN 'reported'
                   WHEN 2 THEN 'claimed' WHEN 3 THEN 'alleged' ELSE 'denied' END",
            )
            .unwrap();
    }
    let store = Store::open(
        &path,
        &OpenOptions {
            read_only: true,
            ..Default::default()
        },
    )
    .unwrap();
    let index = EventIndex::load(&store, 0).unwrap();
    let all = store.timeline(&Filter::default(), false).unwrap();
    assert!(all.len() > 30, "{} events", all.len());
    assert_eq!(index.len(), all.len());

    let mut codes: Vec<String> = Vec::new();
    let mut places: Vec<String> = vec!["ukr".into(), "Nowhere".into(), "%".into(), "_".into()];
    let mut dates: Vec<chrono::NaiveDate> = Vec::new();
    for e in &all {
        codes.push(e.source_actor.clone());
        codes.push(e.source_code.clone());
        codes.push(e.source_actor[..e.source_actor.len().min(2)].to_string());
        codes.extend(e.target_actor.clone());
        if let Some(l) = &e.location {
            places.push(l.clone());
            places.push(l.to_lowercase());
            if let Some((name, country)) = l.rsplit_once(", ") {
                places.push(name.to_uppercase());
                places.push(country.to_string());
            }
        }
        if let Some(d) = &e.date {
            dates.push(d.parse().unwrap());
        }
    }
    codes.sort();
    codes.dedup();
    places.sort();
    places.dedup();
    dates.sort();
    dates.dedup();
    let mut filters = vec![Filter::default()];
    for c in &codes {
        filters.push(Filter {
            actor: Some(c.to_lowercase()),
            ..Default::default()
        });
    }
    for (i, a) in codes.iter().enumerate().step_by(3) {
        for b in codes.iter().skip(i % 5).step_by(4) {
            filters.push(Filter {
                pair: Some((a.clone(), b.clone())),
                ..Default::default()
            });
        }
    }
    for t in ["ASSAULT", "consult", "ACCUSE", "AGREE", "PROTEST"] {
        for q in [None, Some(1), Some(3), Some(4)] {
            filters.push(Filter {
                event_type: Some(t.into()),
                quad_class: q,
                ..Default::default()
            });
        }
    }
    for w in dates.windows(3).step_by(2) {
        filters.push(Filter {
            from: Some(w[0]),
            to: Some(w[2]),
            ..Default::default()
        });
        filters.push(Filter {
            from: Some(w[1]),
            actor: Some("RUS".into()),
            ..Default::default()
        });
        filters.push(Filter {
            to: Some(w[1]),
            quad_class: Some(4),
            ..Default::default()
        });
    }
    for p in &places {
        filters.push(Filter {
            location: Some(p.clone()),
            ..Default::default()
        });
    }
    for min in [0.0, 0.35, 0.5, 0.9, 1.0] {
        filters.push(Filter {
            min_confidence: Some(min),
            ..Default::default()
        });
        filters.push(
            Filter {
                min_confidence: Some(min),
                actor: Some("RUS".into()),
                ..Default::default()
            }
            .without_claims(),
        );
    }
    filters.push(Filter::default().without_claims());
    for list in [vec![], vec!["claimed"], vec!["denied", "asserted"]] {
        filters.push(Filter {
            attributions: Some(list.into_iter().map(String::from).collect()),
            ..Default::default()
        });
    }
    let mut nonempty = 0;
    for f in &filters {
        let sql = store.event_ids(f).unwrap();
        assert_eq!(index.event_ids(f), sql, "{f:?}");
        let counts = index.day_counts(f);
        assert_eq!(counts.dated + counts.undated, sql.len() as i64, "{f:?}");
        nonempty += usize::from(!sql.is_empty());
    }
    assert!(
        nonempty > 200,
        "{nonempty} of {} filters select events",
        filters.len()
    );
}
