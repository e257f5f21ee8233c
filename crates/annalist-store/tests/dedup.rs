//! Deduplication on hand-written multi-article stories (sentences written for these
//! tests), coded by the real coder: what merges into one event and what must not.
mod common;
use common::*;

const KHARKIV_A: &str = "Russian forces shelled the Ukrainian city of Kharkiv on Tuesday, killing two people, the regional governor said.";
const KHARKIV_B: &str = "Russian troops shelled residential areas of the Ukrainian city of Kharkiv late on Tuesday, officials said on Wednesday.";
const KHARKIV_C: &str =
    "Two people died after Russian artillery shelled Ukrainian districts on Tuesday night.";
const KHARKIV_AGAIN: &str = "Russian forces shelled the Ukrainian city of Kharkiv again on Monday.";
const SHEBEKINO: &str =
    "Ukrainian forces shelled the Russian town of Shebekino on Tuesday, the local governor said.";
const ACCUSATION: &str = "Russia accused Ukraine on Tuesday of shelling civilians.";

fn assault_events(store: &annalist_store::Store) -> Vec<String> {
    summary(store)
        .into_iter()
        .filter(|s| s.contains(" ASSAULT "))
        .collect()
}

#[test]
fn three_articles_on_one_shelling_fold_into_one_event() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    ingest(&mut s, &doc("a", Some("2025-03-04"), "wire-a", KHARKIV_A));
    ingest(&mut s, &doc("b", Some("2025-03-05"), "wire-b", KHARKIV_B));
    ingest(&mut s, &doc("c", Some("2025-03-05"), "wire-a", KHARKIV_C));
    let targeted: Vec<_> = assault_events(&s)
        .into_iter()
        .filter(|e| e.starts_with("RUSMIL>UKR"))
        .collect();
    // Three mentions, three articles, two distinct sources (wire-a twice).
    assert_eq!(targeted, ["RUSMIL>UKR ASSAULT 2025-03-04 3/3/2"]);
    let e = s
        .timeline(
            &annalist_store::Filter {
                pair: Some(("RUS".into(), "UKR".into())),
                ..Default::default()
            },
            true,
        )
        .unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].first_seen.as_deref(), Some("2025-03-04"));
    assert_eq!(e[0].last_seen.as_deref(), Some("2025-03-05"));
    let docs: Vec<_> = e[0]
        .mention_list
        .iter()
        .map(|m| m.doc_id.as_str())
        .collect();
    assert_eq!(docs, ["a", "b", "c"]);
    // Each link carries its evidence: the trigger's offsets point at the word.
    for (m, text) in e[0]
        .mention_list
        .iter()
        .zip([KHARKIV_A, KHARKIV_B, KHARKIV_C])
    {
        assert_eq!(&text[m.start as usize..m.end as usize], m.trigger);
        assert!(m.rule.starts_with("verbs.txt:"), "{}", m.rule);
    }
}

#[test]
fn a_shelling_six_days_later_is_another_event() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    ingest(&mut s, &doc("a", Some("2025-03-04"), "wire-a", KHARKIV_A));
    ingest(
        &mut s,
        &doc("d", Some("2025-03-11"), "wire-a", KHARKIV_AGAIN),
    );
    let targeted: Vec<_> = assault_events(&s)
        .into_iter()
        .filter(|e| e.starts_with("RUSMIL>UKR"))
        .collect();
    assert_eq!(
        targeted,
        [
            "RUSMIL>UKR ASSAULT 2025-03-04 1/1/1",
            "RUSMIL>UKR ASSAULT 2025-03-10 1/1/1"
        ]
    );
}

#[test]
fn tit_for_tat_and_other_event_types_do_not_merge() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    ingest(&mut s, &doc("a", Some("2025-03-04"), "wire-a", KHARKIV_A));
    ingest(&mut s, &doc("s", Some("2025-03-04"), "wire-b", SHEBEKINO));
    ingest(&mut s, &doc("x", Some("2025-03-04"), "wire-c", ACCUSATION));
    let all = summary(&s);
    assert!(
        all.contains(&"RUSMIL>UKR ASSAULT 2025-03-04 1/1/1".to_string()),
        "{all:?}"
    );
    // The accusation is an event of its own; the shelling it alleges ("of shelling
    // civilians": UKR → RUSCVL, same day) is the Shebekino shelling's key and joins it,
    // which stays claimed (by the governor: more direct than an allegation).
    assert!(
        all.contains(&"UKRMIL>RUS ASSAULT 2025-03-04 2/2/2".to_string()),
        "{all:?}"
    );
    assert!(
        all.contains(&"RUS>UKR ACCUSE 2025-03-04 1/1/1".to_string()),
        "{all:?}"
    );
    let events = s.timeline(&Default::default(), false).unwrap();
    let shebekino = events.iter().find(|e| e.source_actor == "UKRMIL").unwrap();
    let attributions: Vec<String> = s
        .mentions_of(shebekino.event)
        .unwrap()
        .into_iter()
        .map(|m| m.attribution)
        .collect();
    assert_eq!(attributions, ["claimed", "alleged"]);
    assert_eq!(shebekino.attribution, "claimed");
    // Nothing else folded: the tit-for-tat shellings and the accusation stay apart.
    let st = s.stats().unwrap();
    assert_eq!((st.events, st.mentions), (3, 4), "{all:?}");
}

#[test]
fn two_attacks_the_same_day_in_two_cities_stay_two_events() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    let day = Some(("2025-03-04", "day"));
    ingest_with(
        &mut s,
        &doc("k1", Some("2025-03-04"), "wire-a", KHARKIV_A),
        day,
        Some("Kharkiv"),
    );
    ingest_with(
        &mut s,
        &doc(
            "o1",
            Some("2025-03-04"),
            "wire-b",
            KHARKIV_A.replace("Kharkiv", "Odesa").as_str(),
        ),
        day,
        Some("Odesa"),
    );
    ingest_with(
        &mut s,
        &doc(
            "o2",
            Some("2025-03-05"),
            "wire-c",
            KHARKIV_B.replace("Kharkiv", "Odesa").as_str(),
        ),
        day,
        Some("Odesa"),
    );
    // No place: compatible with both; joins the oldest of the equally near events.
    ingest_with(
        &mut s,
        &doc("n", Some("2025-03-05"), "wire-d", KHARKIV_C),
        day,
        None,
    );
    let events = s
        .timeline(
            &annalist_store::Filter {
                pair: Some(("RUSMIL".into(), "UKR".into())),
                ..Default::default()
            },
            true,
        )
        .unwrap();
    let got: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e.location.clone().unwrap_or_default(),
                e.mention_list
                    .iter()
                    .map(|m| m.doc_id.clone())
                    .collect::<Vec<_>>()
                    .join(","),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Kharkiv, UKR".to_string(), "k1,n".to_string()),
            ("Odesa, UKR".to_string(), "o1,o2".to_string())
        ]
    );
    // The location filter finds each.
    let odesa = s
        .timeline(
            &annalist_store::Filter {
                location: Some("odesa".into()),
                ..Default::default()
            },
            false,
        )
        .unwrap();
    assert!(
        !odesa.is_empty()
            && odesa
                .iter()
                .all(|e| e.location.as_deref() == Some("Odesa, UKR"))
    );
}

#[test]
fn month_precision_merges_within_the_calendar_month_only() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    let march = "Iran and Iraq signed a trade agreement in March, the two governments said.";
    let march2 = "Iraq and Iran signed a trade deal earlier this month, officials in Baghdad said.";
    ingest(&mut s, &doc("m1", Some("2025-03-20"), "wire-a", march));
    ingest(&mut s, &doc("m2", Some("2025-03-28"), "wire-b", march2));
    // Next month's "earlier this month" is April: another event.
    ingest(&mut s, &doc("m3", Some("2025-04-10"), "wire-b", march2));
    let got: Vec<_> = summary(&s)
        .into_iter()
        .filter(|e| e.starts_with("IRN<>IRQ"))
        .collect();
    // "Iran and Iraq" and "Iraq and Iran" are one mutual event in either order.
    assert_eq!(
        got,
        [
            "IRN<>IRQ SUPPORT 2025-03-01 2/2/2",
            "IRN<>IRQ SUPPORT 2025-04-01 1/1/1"
        ]
    );
}

#[test]
fn a_daily_series_does_not_chain_into_one_event() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    for (i, day) in ["2025-03-04", "2025-03-05", "2025-03-06"]
        .iter()
        .enumerate()
    {
        ingest_with(
            &mut s,
            &doc(&format!("day{i}"), Some(day), "wire-a", KHARKIV_A),
            Some((day, "day")),
            None,
        );
    }
    let got: Vec<_> = assault_events(&s)
        .into_iter()
        .filter(|e| e.starts_with("RUSMIL>UKR"))
        .collect();
    // Anchored on the 4th: the 5th joins (±1), the 6th is two days from the anchor.
    assert_eq!(
        got,
        [
            "RUSMIL>UKR ASSAULT 2025-03-04 2/2/1",
            "RUSMIL>UKR ASSAULT 2025-03-06 1/1/1"
        ]
    );
}

#[test]
fn undated_mentions_merge_only_within_their_document() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    let one = "Russian forces shelled the Ukrainian city of Kharkiv.";
    let two = "Russian forces shelled the Ukrainian city of Kharkiv. Hours later Russian troops shelled Kharkiv again.";
    ingest(&mut s, &doc("u1", None, "wire-a", one));
    ingest(&mut s, &doc("u2", None, "wire-b", one));
    ingest(&mut s, &doc("u3", None, "wire-c", two));
    let got: Vec<_> = summary(&s)
        .into_iter()
        .filter(|e| e.starts_with("RUSMIL>UKR"))
        .collect();
    assert_eq!(
        got,
        [
            "RUSMIL>UKR ASSAULT undated 1/1/1",
            "RUSMIL>UKR ASSAULT undated 1/1/1",
            "RUSMIL>UKR ASSAULT undated 2/1/1"
        ]
    );
}

#[test]
fn reingesting_the_same_document_changes_nothing() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    let a = doc("a", Some("2025-03-04"), "wire-a", KHARKIV_A);
    let b = doc("b", Some("2025-03-05"), "wire-b", KHARKIV_B);
    assert_eq!(ingest(&mut s, &a), annalist_store::Outcome::Added);
    assert_eq!(ingest(&mut s, &b), annalist_store::Outcome::Added);
    let before = dump(&s);
    assert_eq!(ingest(&mut s, &a), annalist_store::Outcome::Unchanged);
    assert_eq!(ingest(&mut s, &b), annalist_store::Outcome::Unchanged);
    assert_eq!(dump(&s), before);
}

#[test]
fn a_changed_document_replaces_its_mentions_and_events_are_recomputed() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    ingest(&mut s, &doc("a", Some("2025-03-04"), "wire-a", KHARKIV_A));
    ingest(&mut s, &doc("b", Some("2025-03-05"), "wire-b", KHARKIV_B));
    assert!(summary(&s).contains(&"RUSMIL>UKR ASSAULT 2025-03-04 2/2/2".to_string()));
    // b is corrected: it was about aid, not shelling.
    let aid = "Turkey sent humanitarian aid to Syria on Wednesday.";
    assert_eq!(
        ingest(&mut s, &doc("b", Some("2025-03-05"), "wire-b", aid)),
        annalist_store::Outcome::Replaced
    );
    let all = summary(&s);
    assert!(
        all.contains(&"RUSMIL>UKR ASSAULT 2025-03-04 1/1/1".to_string()),
        "{all:?}"
    );
    assert!(
        all.contains(&"TUR>SYR AID 2025-03-05 1/1/1".to_string()),
        "{all:?}"
    );
    // a is corrected too: the shelling event has no mention left and disappears.
    let aid_tuesday = "Turkey sent humanitarian aid to Syria on Tuesday.";
    ingest(&mut s, &doc("a", Some("2025-03-04"), "wire-a", aid_tuesday));
    let all = summary(&s);
    assert!(all.iter().all(|e| !e.contains("ASSAULT")), "{all:?}");
    // Tuesday's aid joins Wednesday's (one day apart), anchored on the first mention.
    assert!(
        all.contains(&"TUR>SYR AID 2025-03-05 2/2/2".to_string()),
        "{all:?}"
    );
    let st = s.stats().unwrap();
    assert_eq!((st.documents, st.mentions, st.events), (2, 2, 1));
    // No orphan: every mention belongs to an event, every event has its mentions.
    let orphans: i64 = s
        .connection()
        .query_row(
            "SELECT (SELECT count(*) FROM mentions WHERE event IS NULL)
                  + (SELECT count(*) FROM events e WHERE mentions != (SELECT count(*) FROM mentions m WHERE m.event = e.event))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
}

#[test]
fn a_mutual_event_joins_either_direction_and_a_bare_country_any_sector() {
    let (_d, p) = db_path();
    let mut s = open(&p);
    // Written in three ways: a directed meeting, the pair in either order.
    let a = "Chile's president met Peru's president in Lima on Monday.";
    let b = "Peru and Chile held talks in Lima on Monday.";
    let c = "Chile and Peru held talks in Lima on Monday.";
    ingest(&mut s, &doc("a", Some("2025-05-06"), "wire-a", a));
    ingest(&mut s, &doc("b", Some("2025-05-06"), "wire-b", b));
    ingest(&mut s, &doc("c", Some("2025-05-06"), "wire-c", c));
    let got: Vec<_> = summary(&s)
        .into_iter()
        .filter(|e| e.contains("CHL") && e.contains("PER"))
        .collect();
    assert_eq!(got.len(), 1, "one meeting, not {got:?}");
    assert!(
        got[0].contains("<>") && got[0].ends_with("3/3/3"),
        "{got:?}"
    );
    // It counts for both directions in the actor pairs.
    let dyads = s
        .dyads(&Default::default(), annalist_store::DyadPeriod::Month)
        .unwrap();
    let pairs: Vec<_> = dyads
        .iter()
        .filter(|d| d.events > 0)
        .map(|d| format!("{}>{}", d.source, d.target))
        .collect();
    assert!(
        pairs.contains(&"CHL>PER".to_string()) && pairs.contains(&"PER>CHL".to_string()),
        "{pairs:?}"
    );
}
