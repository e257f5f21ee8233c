//! Queries over the store: the timeline of events (filtered by actor, pair, type, quad
//! class, dates, location), dyad counts per period, and summary statistics; each with a
//! plain-text rendering (the CLI prints it; golden tests pin it).
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;
use serde::Serialize;
use std::fmt::Write;

/// Which events a query reads. Actor codes match by prefix on the CAMEO actor code
/// (`RUSMIL`) or the country/organisation code (`RUS`); `pair` matches either direction.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor: Option<String>,
    pub pair: Option<(String, String)>,
    pub event_type: Option<String>,
    pub quad_class: Option<u8>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub location: Option<String>,
    /// Events whose confidence is under this are left out; events with no confidence
    /// (records coded before confidence existed) are kept.
    pub min_confidence: Option<f64>,
    /// Only events with one of these attributions (`None`: all);
    /// [`Filter::without_claims`] leaves out the claims of a party.
    pub attributions: Option<Vec<String>>,
}

/// Attributions from the most direct to the least (the order an event's attribution is
/// chosen by: the most direct of its mentions').
pub const ATTRIBUTIONS: [&str; 5] = ["asserted", "reported", "claimed", "alleged", "denied"];

/// The attributions of claims by a party: what `--exclude-claims` leaves out.
pub const CLAIMS: [&str; 3] = ["claimed", "alleged", "denied"];

impl Filter {
    /// Leaves out events known only from a party's claims, allegations or denials
    /// (`--exclude-claims`): keeps `asserted` and `reported` events.
    pub fn without_claims(mut self) -> Filter {
        self.attributions = Some(
            ATTRIBUTIONS
                .iter()
                .filter(|a| !CLAIMS.contains(a))
                .map(|a| a.to_string())
                .collect(),
        );
        self
    }

    /// Whether an event with this attribution and confidence passes the attribution and
    /// confidence parts of the filter (the web index applies them with this).
    pub fn admits(&self, attribution: &str, confidence: Option<f64>) -> bool {
        let confident = match (self.min_confidence, confidence) {
            (Some(min), Some(c)) => c >= min,
            _ => true,
        };
        let attributed = self
            .attributions
            .as_ref()
            .is_none_or(|list| list.iter().any(|a| a == attribution));
        confident && attributed
    }
}

/// Casualty figures of an event (or a dyad's sum of them): per kind the lowest number
/// the text supports and the upper end of a range or vague quantity; `None` where no
/// mention gives a figure of that kind. See `docs/schema.md` for how an event's figures
/// come from its mentions.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Casualties {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub killed: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub killed_high: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub injured: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub injured_high: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abducted: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abducted_high: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arrested: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arrested_high: Option<i64>,
}

impl Casualties {
    /// `(kind, lowest, highest)` for each kind with a figure.
    pub fn figures(&self) -> Vec<(&'static str, i64, i64)> {
        [
            ("killed", self.killed, self.killed_high),
            ("injured", self.injured, self.injured_high),
            ("abducted", self.abducted, self.abducted_high),
            ("arrested", self.arrested, self.arrested_high),
        ]
        .into_iter()
        .filter_map(|(k, lo, hi)| lo.map(|lo| (k, lo, hi.unwrap_or(lo).max(lo))))
        .collect()
    }

    /// Whether any figure is given.
    pub fn is_empty(&self) -> bool {
        self.killed.is_none()
            && self.injured.is_none()
            && self.abducted.is_none()
            && self.arrested.is_none()
    }

    /// Compact text: `killed 15 (up to 20), injured 3`.
    pub fn render(&self) -> String {
        self.figures()
            .into_iter()
            .map(|(k, lo, hi)| {
                if hi > lo {
                    format!("{k} {lo} (up to {hi})")
                } else {
                    format!("{k} {lo}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One mention of an event: where it was read and the words that justify it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MentionRow {
    pub doc_id: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub document_date: Option<String>,
    pub sentence: i64,
    pub trigger: String,
    pub start: i64,
    pub end: i64,
    pub rule: String,
    pub date: Option<String>,
    pub date_precision: Option<String>,
    /// `asserted`, `reported`, `claimed`, `alleged` or `denied`.
    pub attribution: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

/// One deduplicated event.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventRow {
    pub event: i64,
    pub date: Option<String>,
    pub date_precision: Option<String>,
    pub source_actor: String,
    pub source_code: String,
    /// `None` for events without a target.
    pub target_actor: Option<String>,
    pub target_code: Option<String>,
    pub event_type: String,
    pub cameo: String,
    pub quad_class: i64,
    pub goldstein: f64,
    pub location: Option<String>,
    pub mentions: i64,
    pub articles: i64,
    pub sources: i64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// One event standing for both directions between source and target ("X and Y
    /// met"); `dyads` counts it for each.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub mutual: bool,
    /// The most direct attribution among its mentions (asserted > reported > claimed >
    /// alleged > denied).
    pub attribution: String,
    /// The claimant of the first mention with that attribution: its CAMEO actor code
    /// when coded, and its words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported_by_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported_by_text: Option<String>,
    /// The highest confidence among its mentions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// PLOVER mode and context of the first mention that has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Per kind, the highest figure any one mention gives (never summed over mentions).
    #[serde(flatten)]
    pub casualties: Casualties,
    /// Filled when asked for (`timeline --json`, exports).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mention_list: Vec<MentionRow>,
}

/// A stored document (for the web API's document view).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocumentRow {
    pub id: String,
    pub date: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub text: String,
    pub ingested_at: String,
    /// `(event id, the record as JSON)` for each record coded from it, in order.
    #[serde(skip)]
    pub records: Vec<(Option<i64>, String)>,
}

/// Dyad aggregation period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DyadPeriod {
    Day,
    Week,
    Month,
}

impl DyadPeriod {
    /// The period a date falls in: `2025-03-04`, ISO week `2025-W10`, or `2025-03`.
    pub fn key(self, d: NaiveDate) -> String {
        match self {
            DyadPeriod::Day => d.to_string(),
            DyadPeriod::Week => {
                let w = d.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            DyadPeriod::Month => format!("{}-{:02}", d.year(), d.month()),
        }
    }
}

/// Events of one directed dyad in one period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DyadRow {
    pub period: String,
    pub source: String,
    pub target: String,
    /// Events per quad class 1..4 (verbal coop., material coop., verbal conflict,
    /// material conflict).
    pub quad: [i64; 4],
    pub events: i64,
    pub goldstein: f64,
    /// The events' killed and injured figures summed (each event's lowest figure; events
    /// without one add nothing).
    pub killed: i64,
    pub injured: i64,
}

/// Summary of a store.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    pub schema_version: i64,
    pub documents: i64,
    pub documents_with_events: i64,
    pub mentions: i64,
    pub events: i64,
    pub merged_events: i64,
    pub undated_events: i64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub by_type: Vec<(String, i64)>,
    /// Events per attribution, most direct first (attributions with no event left out).
    pub by_attribution: Vec<(String, i64)>,
    /// Events with a confidence, and their mean confidence.
    pub with_confidence: i64,
    pub mean_confidence: Option<f64>,
    /// Events with a casualty figure, and the figures summed over events (each event's
    /// lowest figure).
    pub events_with_casualties: i64,
    pub killed: i64,
    pub injured: i64,
    pub abducted: i64,
    pub arrested: i64,
    pub file_bytes: u64,
}

struct Sql {
    clauses: Vec<String>,
    values: Vec<Value>,
}

impl Sql {
    fn bind(&mut self, v: impl Into<Value>) -> String {
        self.values.push(v.into());
        format!("?{}", self.values.len())
    }

    /// `column` starts with `prefix`.
    fn prefix(&mut self, column: &str, prefix: &str) -> String {
        let p = self.bind(prefix.to_uppercase());
        format!("substr({column}, 1, length({p})) = {p}")
    }

    fn actor(&mut self, side: &str, code: &str) -> String {
        let a = self.prefix(&format!("{side}_actor"), code);
        let c = self.prefix(&format!("{side}_code"), code);
        format!("({a} OR {c})")
    }
}

impl Filter {
    fn sql(&self) -> Sql {
        let mut q = Sql {
            clauses: Vec::new(),
            values: Vec::new(),
        };
        if let Some(a) = &self.actor {
            let s = q.actor("source", a);
            let t = q.actor("target", a);
            q.clauses.push(format!("({s} OR {t})"));
        }
        if let Some((a, b)) = &self.pair {
            let sa = q.actor("source", a);
            let tb = q.actor("target", b);
            let sb = q.actor("source", b);
            let ta = q.actor("target", a);
            q.clauses
                .push(format!("(({sa} AND {tb}) OR ({sb} AND {ta}))"));
        }
        if let Some(t) = &self.event_type {
            let p = q.bind(t.to_uppercase());
            q.clauses.push(format!("event_type = {p}"));
        }
        if let Some(c) = self.quad_class {
            let p = q.bind(c as i64);
            q.clauses.push(format!("quad_class = {p}"));
        }
        if let Some(d) = self.from {
            let p = q.bind(d.to_string());
            q.clauses.push(format!("date >= {p}"));
        }
        if let Some(d) = self.to {
            let p = q.bind(d.to_string());
            q.clauses.push(format!("date <= {p}"));
        }
        if let Some(l) = &self.location {
            let p = q.bind(l.clone());
            // A place name ("Odesa"), its key ("Odesa, UKR") or a country ("UKR").
            q.clauses.push(format!(
                "(location = {p} COLLATE NOCASE OR location LIKE {p} || ', %' \
                 OR location LIKE '%, ' || {p})"
            ));
        }
        if let Some(min) = self.min_confidence {
            let p = q.bind(min);
            q.clauses
                .push(format!("(confidence IS NULL OR confidence >= {p})"));
        }
        if let Some(list) = &self.attributions {
            let ps: Vec<String> = list.iter().map(|a| q.bind(a.clone())).collect();
            if ps.is_empty() {
                q.clauses.push("0".into());
            } else {
                q.clauses
                    .push(format!("attribution IN ({})", ps.join(", ")));
            }
        }
        q
    }
}

const EVENT_COLUMNS: &str = "event, date, date_precision, source_actor, source_code, target_actor, target_code,
    event_type, cameo, quad_class, goldstein, location, mentions, articles, sources, first_seen, last_seen, mutual,
    attribution, reported_by_code, reported_by_text, confidence, mode, context,
    killed, killed_high, injured, injured_high, abducted, abducted_high, arrested, arrested_high";

fn none_if_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn event_row(r: &rusqlite::Row) -> rusqlite::Result<EventRow> {
    Ok(EventRow {
        event: r.get(0)?,
        date: r.get(1)?,
        date_precision: r.get(2)?,
        source_actor: r.get(3)?,
        source_code: r.get(4)?,
        target_actor: none_if_empty(r.get(5)?),
        target_code: none_if_empty(r.get(6)?),
        event_type: r.get(7)?,
        cameo: r.get(8)?,
        quad_class: r.get(9)?,
        goldstein: r.get(10)?,
        location: none_if_empty(r.get(11)?),
        mentions: r.get(12)?,
        articles: r.get(13)?,
        sources: r.get(14)?,
        first_seen: r.get(15)?,
        last_seen: r.get(16)?,
        mutual: r.get(17)?,
        attribution: r.get(18)?,
        reported_by_code: r.get(19)?,
        reported_by_text: r.get(20)?,
        confidence: r.get(21)?,
        mode: r.get(22)?,
        context: r.get(23)?,
        casualties: Casualties {
            killed: r.get(24)?,
            killed_high: r.get(25)?,
            injured: r.get(26)?,
            injured_high: r.get(27)?,
            abducted: r.get(28)?,
            abducted_high: r.get(29)?,
            arrested: r.get(30)?,
            arrested_high: r.get(31)?,
        },
        mention_list: Vec::new(),
    })
}

impl Store {
    /// Events matching the filter, by date (undated last), then event id; with their
    /// mentions when `with_mentions`.
    pub fn timeline(
        &self,
        filter: &Filter,
        with_mentions: bool,
    ) -> Result<Vec<EventRow>, StoreError> {
        let mut rows = Vec::new();
        self.for_each_event(filter, with_mentions, |e| {
            rows.push(e);
            Ok(())
        })?;
        Ok(rows)
    }

    /// Streams the events matching the filter (timeline order) to `f`.
    pub fn for_each_event(
        &self,
        filter: &Filter,
        with_mentions: bool,
        mut f: impl FnMut(EventRow) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let q = filter.sql();
        let mut sql = format!("SELECT {EVENT_COLUMNS} FROM events");
        if !q.clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&q.clauses.join(" AND "));
        }
        sql.push_str(" ORDER BY date IS NULL, date, event");
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(q.values.iter()))
            .map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let mut e = event_row(r).map_err(|e| self.err(e))?;
            if with_mentions {
                e.mention_list = self.mentions_of(e.event)?;
            }
            f(e)?;
        }
        Ok(())
    }

    /// The mentions of an event, in ingestion order.
    pub fn mentions_of(&self, event: i64) -> Result<Vec<MentionRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT d.id, d.source, d.url, d.date, m.sentence, m.trigger, m.trigger_start, m.trigger_end,
                 m.rule, m.date, m.date_precision, m.attribution, m.confidence
                 FROM mentions m JOIN documents d ON d.doc = m.doc WHERE m.event = ?1 ORDER BY m.mention",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([event], |r| {
                Ok(MentionRow {
                    doc_id: r.get(0)?,
                    source: r.get(1)?,
                    url: r.get(2)?,
                    document_date: r.get(3)?,
                    sentence: r.get(4)?,
                    trigger: r.get(5)?,
                    start: r.get(6)?,
                    end: r.get(7)?,
                    rule: r.get(8)?,
                    date: r.get(9)?,
                    date_precision: r.get(10)?,
                    attribution: r.get(11)?,
                    confidence: r.get(12)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The ids of the events matching the filter, in timeline order (date, undated
    /// last, then id): the web API pages through them.
    pub fn event_ids(&self, filter: &Filter) -> Result<Vec<i64>, StoreError> {
        let q = filter.sql();
        let mut sql = String::from("SELECT event FROM events");
        if !q.clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&q.clauses.join(" AND "));
        }
        sql.push_str(" ORDER BY date IS NULL, date, event");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(q.values.iter()), |r| r.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The events with these ids, in the order given; unknown ids are skipped.
    pub fn events_by_id(&self, ids: &[i64]) -> Result<Vec<EventRow>, StoreError> {
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE event IN (SELECT value FROM json_each(?1))"
            ))
            .map_err(|e| self.err(e))?;
        let mut found: std::collections::HashMap<i64, EventRow> = stmt
            .query_map([list], event_row)
            .map_err(|e| self.err(e))?
            .map(|r| r.map(|e| (e.event, e)))
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// The coded records of an event's mentions (the `annalist code` output, with every
    /// offset), each with its document's id, in ingestion order.
    pub fn mention_records(&self, event: i64) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT d.id, m.record FROM mentions m JOIN documents d ON d.doc = m.doc
                 WHERE m.event = ?1 ORDER BY m.mention",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([event], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// A stored document by its id, with the records coded from it and the event each
    /// record belongs to.
    pub fn document(&self, id: &str) -> Result<Option<DocumentRow>, StoreError> {
        use rusqlite::OptionalExtension;
        let doc = self
            .conn
            .query_row(
                "SELECT doc, id, date, title, url, source, text, ingested_at FROM documents WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        DocumentRow {
                            id: r.get(1)?,
                            date: r.get(2)?,
                            title: r.get(3)?,
                            url: r.get(4)?,
                            source: r.get(5)?,
                            text: r.get(6)?,
                            ingested_at: r.get(7)?,
                            records: Vec::new(),
                        },
                    ))
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((rowid, mut doc)) = doc else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT event, record FROM mentions WHERE doc = ?1 ORDER BY ordinal")
            .map_err(|e| self.err(e))?;
        doc.records = stmt
            .query_map([rowid], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        Ok(Some(doc))
    }

    /// Every actor code (CAMEO actor code, source or target) with its number of events.
    pub fn actors(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a, count(*) FROM (SELECT source_actor AS a FROM events
                 UNION ALL SELECT target_actor FROM events WHERE target_actor != '')
                 GROUP BY a ORDER BY count(*) DESC, a",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Counts per quad class and summed Goldstein per directed dyad (country or
    /// organisation codes) and period. Events without a target or a date are left out.
    pub fn dyads(&self, filter: &Filter, by: DyadPeriod) -> Result<Vec<DyadRow>, StoreError> {
        let mut map: std::collections::BTreeMap<(String, String, String), DyadRow> =
            Default::default();
        self.for_each_event(filter, false, |e| {
            let (Some(date), Some(target)) = (&e.date, &e.target_code) else {
                return Ok(());
            };
            let Ok(d) = NaiveDate::parse_from_str(date, "%Y-%m-%d") else {
                return Ok(());
            };
            let period = by.key(d);
            // A mutual event counts for both directions.
            let reverse = e.mutual.then(|| (target.clone(), e.source_code.clone()));
            for (source, target) in
                std::iter::once((e.source_code.clone(), target.clone())).chain(reverse)
            {
                let row = map
                    .entry((period.clone(), source.clone(), target.clone()))
                    .or_insert_with(|| DyadRow {
                        period: period.clone(),
                        source,
                        target,
                        quad: [0; 4],
                        events: 0,
                        goldstein: 0.0,
                        killed: 0,
                        injured: 0,
                    });
                if (1..=4).contains(&e.quad_class) {
                    row.quad[e.quad_class as usize - 1] += 1;
                }
                row.events += 1;
                row.goldstein += e.goldstein;
                row.killed += e.casualties.killed.unwrap_or(0);
                row.injured += e.casualties.injured.unwrap_or(0);
            }
            Ok(())
        })?;
        Ok(map.into_values().collect())
    }

    /// Summary counts.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let one = |sql: &str| -> Result<i64, StoreError> {
            self.conn
                .query_row(sql, [], |r| r.get(0))
                .map_err(|e| self.err(e))
        };
        let (first_date, last_date) = self
            .conn
            .query_row(
                "SELECT min(date), max(date) FROM events WHERE date IS NOT NULL",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        let mut stmt = self
            .conn
            .prepare("SELECT event_type, count(*) FROM events GROUP BY event_type ORDER BY count(*) DESC, event_type")
            .map_err(|e| self.err(e))?;
        let by_type = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT attribution, count(*) FROM events GROUP BY attribution ORDER BY CASE attribution
                 WHEN 'asserted' THEN 0 WHEN 'reported' THEN 1 WHEN 'claimed' THEN 2
                 WHEN 'alleged' THEN 3 WHEN 'denied' THEN 4 ELSE 5 END, attribution",
            )
            .map_err(|e| self.err(e))?;
        let by_attribution = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        let (with_confidence, mean_confidence) = self
            .conn
            .query_row(
                "SELECT count(confidence), avg(confidence) FROM events",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        let sums: [i64; 5] = self
            .conn
            .query_row(
                "SELECT count(*) FILTER (WHERE coalesce(killed, injured, abducted, arrested) IS NOT NULL),
                 coalesce(sum(killed), 0), coalesce(sum(injured), 0), coalesce(sum(abducted), 0),
                 coalesce(sum(arrested), 0) FROM events",
                [],
                |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]),
            )
            .map_err(|e| self.err(e))?;
        let file_bytes = ["", "-wal"]
            .iter()
            .filter_map(|s| {
                let mut p = self.path.clone().into_os_string();
                p.push(s);
                std::fs::metadata(p).ok().map(|m| m.len())
            })
            .sum();
        Ok(Stats {
            schema_version: one("PRAGMA user_version")?,
            documents: one("SELECT count(*) FROM documents")?,
            documents_with_events: one("SELECT count(*) FROM documents WHERE mention_count > 0")?,
            mentions: one("SELECT count(*) FROM mentions")?,
            events: one("SELECT count(*) FROM events")?,
            merged_events: one("SELECT count(*) FROM events WHERE mentions > 1")?,
            undated_events: one("SELECT count(*) FROM events WHERE date IS NULL")?,
            first_date,
            last_date,
            by_type,
            by_attribution,
            with_confidence,
            mean_confidence,
            events_with_casualties: sums[0],
            killed: sums[1],
            injured: sums[2],
            abducted: sums[3],
            arrested: sums[4],
            file_bytes,
        })
    }
}

/// The timeline as text, grouped by day (an event's anchor date; week and month
/// precision are marked), each event with its counts and up to three mentions.
pub fn render_timeline(events: &[EventRow]) -> String {
    let mut out = String::new();
    let mut day: Option<Option<&str>> = None;
    for e in events {
        if day != Some(e.date.as_deref()) {
            day = Some(e.date.as_deref());
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", e.date.as_deref().unwrap_or("undated"));
        }
        let precision = match e.date_precision.as_deref() {
            Some("week") => " (week of)",
            Some("month") => " (month)",
            Some("year") => " (year)",
            _ => "",
        };
        let _ = write!(
            out,
            "  #{} {} {} {} {} (CAMEO {}, quad {}, Goldstein {:+.1}){}",
            e.event,
            e.source_actor,
            if e.mutual { "↔" } else { "→" },
            e.target_actor.as_deref().unwrap_or("-"),
            e.event_type,
            e.cameo,
            e.quad_class,
            e.goldstein,
            precision
        );
        if let Some(l) = &e.location {
            let _ = write!(out, " at {l}");
        }
        if e.attribution != "asserted" {
            let _ = write!(out, " [{}{}]", e.attribution, claimant(e));
        }
        let _ = write!(
            out,
            " · {} mention{}, {} article{}, {} source{}",
            e.mentions,
            if e.mentions == 1 { "" } else { "s" },
            e.articles,
            if e.articles == 1 { "" } else { "s" },
            e.sources,
            if e.sources == 1 { "" } else { "s" },
        );
        if let Some(c) = e.confidence {
            let _ = write!(out, " · confidence {c:.2}");
        }
        if !e.casualties.is_empty() {
            let _ = write!(out, " · {}", e.casualties.render());
        }
        out.push('\n');
        for m in e.mention_list.iter().take(3) {
            let _ = writeln!(
                out,
                "      {} \"{}\" [{}..{}]{}",
                m.doc_id,
                m.trigger,
                m.start,
                m.end,
                m.source
                    .as_deref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default()
            );
        }
        if e.mention_list.len() > 3 {
            let _ = writeln!(out, "      … {} more", e.mention_list.len() - 3);
        }
    }
    out
}

/// ` by CODE ("words")`, ` by "words"` or nothing: who makes an event's claim.
fn claimant(e: &EventRow) -> String {
    match (&e.reported_by_code, &e.reported_by_text) {
        (Some(c), Some(t)) => format!(" by {c} ({t:?})"),
        (Some(c), None) => format!(" by {c}"),
        (None, Some(t)) => format!(" by {t:?}"),
        (None, None) => String::new(),
    }
}

/// Dyad rows as an aligned table.
pub fn render_dyads(rows: &[DyadRow]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<10} {:<6} {:<6} {:>5} {:>5} {:>5} {:>5} {:>6} {:>9} {:>6} {:>7}",
        "period",
        "source",
        "target",
        "q1",
        "q2",
        "q3",
        "q4",
        "events",
        "goldstein",
        "killed",
        "injured"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{:<10} {:<6} {:<6} {:>5} {:>5} {:>5} {:>5} {:>6} {:>9.1} {:>6} {:>7}",
            r.period,
            r.source,
            r.target,
            r.quad[0],
            r.quad[1],
            r.quad[2],
            r.quad[3],
            r.events,
            r.goldstein,
            r.killed,
            r.injured
        );
    }
    out
}

/// Statistics as text.
pub fn render_stats(s: &Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "schema version   {}", s.schema_version);
    let _ = writeln!(
        out,
        "documents        {} ({} with events)",
        s.documents, s.documents_with_events
    );
    let _ = writeln!(out, "mentions         {}", s.mentions);
    let _ = writeln!(
        out,
        "events           {} ({} merged from several mentions, {} undated)",
        s.events, s.merged_events, s.undated_events
    );
    if let (Some(a), Some(b)) = (&s.first_date, &s.last_date) {
        let _ = writeln!(out, "dates            {a} .. {b}");
    }
    let _ = writeln!(out, "file size        {} bytes", s.file_bytes);
    for (t, n) in &s.by_type {
        let _ = writeln!(out, "  {t:<12} {n}");
    }
    let attributions: Vec<String> = s
        .by_attribution
        .iter()
        .map(|(a, n)| format!("{a} {n}"))
        .collect();
    if !attributions.is_empty() {
        let _ = writeln!(out, "attribution      {}", attributions.join(", "));
    }
    if let Some(m) = s.mean_confidence {
        let _ = writeln!(
            out,
            "confidence       mean {m:.2} over {} events",
            s.with_confidence
        );
    }
    let _ = writeln!(
        out,
        "casualties       {} events: killed {}, injured {}, abducted {}, arrested {}",
        s.events_with_casualties, s.killed, s.injured, s.abducted, s.arrested
    );
    out
}
