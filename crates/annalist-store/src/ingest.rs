//! Ingest: one document and its coded records in one transaction. A document already
//! stored with the same content hash is left alone; a changed one has its mentions
//! replaced and the events they formed recomputed, all or nothing.
use crate::dedup::{self, Candidate, DateSpan, Precision};
use crate::{Document, EventRecord, Store, StoreError};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// What ingesting a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new document.
    Added,
    /// The same id and content were already stored: nothing changed.
    Unchanged,
    /// The id was stored with other content: its mentions were replaced.
    Replaced,
}

/// The content hash of a document: SHA-256 over its fields (id, text, date, title, url,
/// source), each prefixed with its length so no two documents collide by shifting text
/// between fields.
pub fn content_hash(doc: &Document) -> String {
    let mut h = Sha256::new();
    let date = doc.date.map(|d| d.to_string());
    for field in [
        Some(doc.id.as_str()),
        Some(doc.text.as_str()),
        date.as_deref(),
        doc.title.as_deref(),
        doc.url.as_deref(),
        doc.source.as_deref(),
    ] {
        match field {
            Some(s) => {
                h.update((s.len() as u64 + 1).to_le_bytes());
                h.update(s.as_bytes());
            }
            None => h.update(0u64.to_le_bytes()),
        }
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in h.finalize() {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
}

/// The fields of a mention the merge rule reads.
struct MentionKey {
    mention: i64,
    doc: i64,
    source_actor: String,
    target_actor: String,
    event_type: String,
    cameo: String,
    quad_class: i64,
    goldstein: f64,
    source_code: String,
    target_code: String,
    date: Option<String>,
    precision: Option<String>,
    location: String,
    /// One record for both directions: it joins events of either direction.
    mutual: bool,
}

impl Store {
    /// Stores a document and the records the coder made for it, in one transaction.
    pub fn ingest(
        &mut self,
        doc: &Document,
        records: &[EventRecord],
    ) -> Result<Outcome, StoreError> {
        let hash = content_hash(doc);
        let now = chrono_now();
        let (path, busy) = (self.path.clone(), self.busy_timeout);
        let err = |e| crate::sqlite_error(&path, busy, e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut touched = BTreeSet::new();
        let result = ingest_in(&tx, doc, records, &hash, &now, &mut touched).and_then(|o| {
            touched.iter().try_for_each(|&e| recount(&tx, e))?;
            Ok(o)
        });
        match result {
            Ok(Outcome::Unchanged) => {
                tx.rollback().map_err(err)?;
                Ok(Outcome::Unchanged)
            }
            Ok(o) => {
                tx.commit().map_err(err)?;
                Ok(o)
            }
            Err(e) => {
                drop(tx);
                Err(err(e))
            }
        }
    }
}

impl Store {
    /// Stores documents and the records the coder made for each in one transaction,
    /// each document in a savepoint of its own: every document gets the outcome
    /// [`Store::ingest`] would give it (all or nothing, unchanged ones left alone), with
    /// one commit for the lot instead of one per document. Stops at the first document
    /// that fails: the documents before it are committed, it and those after it are not;
    /// the error comes with the outcomes of the stored ones.
    pub fn ingest_batch(
        &mut self,
        docs: &[(Document, Vec<EventRecord>)],
    ) -> Result<Vec<Outcome>, (Vec<Outcome>, StoreError)> {
        let (path, busy) = (self.path.clone(), self.busy_timeout);
        let err = |e| crate::sqlite_error(&path, busy, e);
        let mut outcomes = Vec::with_capacity(docs.len());
        if docs.is_empty() {
            return Ok(outcomes);
        }
        let mut tx = match self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        {
            Ok(tx) => tx,
            Err(e) => return Err((outcomes, err(e))),
        };
        // The events whose mentions changed, recounted once at the end (a recount
        // reads mentions only, and nothing before it reads what it writes).
        let mut touched = BTreeSet::new();
        let mut failed = None;
        for (k, (doc, records)) in docs.iter().enumerate() {
            let hash = content_hash(doc);
            let now = chrono_now();
            let mut own = BTreeSet::new();
            let one = tx.savepoint().and_then(|mut sp| {
                match ingest_in(&sp, doc, records, &hash, &now, &mut own)? {
                    Outcome::Unchanged => {
                        sp.rollback()?;
                        Ok(Outcome::Unchanged)
                    }
                    o => sp.commit().map(|()| o),
                }
            });
            match one {
                Ok(o) => {
                    outcomes.push(o);
                    touched.extend(own);
                }
                Err(e) => {
                    // (Its savepoint was rolled back when it was dropped.)
                    failed = Some((k, err(e)));
                    break;
                }
            }
        }
        let stored = failed.as_ref().map_or(docs.len(), |f| f.0);
        let finished = match touched.iter().try_for_each(|&e| recount(&tx, e)) {
            Ok(()) => tx.commit(),
            Err(e) => {
                drop(tx);
                Err(e)
            }
        };
        match (finished, failed) {
            (Ok(()), None) => Ok(outcomes),
            (Ok(()), Some((_, e))) => Err((outcomes, e)),
            // The transaction is lost (SQLite may undo it all on a full disk): the
            // documents are stored one at a time, as far as they go.
            (Err(_), failed) => {
                let mut outcomes = Vec::with_capacity(stored);
                for (doc, records) in &docs[..stored] {
                    match self.ingest(doc, records) {
                        Ok(o) => outcomes.push(o),
                        Err(e2) => return Err((outcomes, e2)),
                    }
                }
                match failed {
                    Some((_, e)) => Err((outcomes, e)),
                    None => Ok(outcomes),
                }
            }
        }
    }
}

pub(crate) fn chrono_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

fn ingest_in(
    tx: &Connection,
    doc: &Document,
    records: &[EventRecord],
    hash: &str,
    now: &str,
    touched: &mut BTreeSet<i64>,
) -> rusqlite::Result<Outcome> {
    let existing: Option<(i64, String)> = tx
        .prepare_cached("SELECT doc, content_hash FROM documents WHERE id = ?1")?
        .query_row([&doc.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let date = doc.date.map(|d| d.to_string());
    let mut orphans = Vec::new();
    let (doc_row, outcome) = match existing {
        Some((_, ref h)) if h == hash => return Ok(Outcome::Unchanged),
        Some((row, _)) => {
            // Detach every mention of the events this document's mentions formed; the
            // events go, and the other documents' mentions are merged again below.
            let events: Vec<i64> = tx
                .prepare_cached(
                    "SELECT DISTINCT event FROM mentions WHERE doc = ?1 AND event IS NOT NULL",
                )?
                .query_map([row], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            tx.prepare_cached("DELETE FROM mentions WHERE doc = ?1")?
                .execute([row])?;
            for e in events {
                let ids: Vec<i64> = tx
                    .prepare_cached("SELECT mention FROM mentions WHERE event = ?1")?
                    .query_map([e], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                orphans.extend(ids);
                tx.prepare_cached("UPDATE mentions SET event = NULL WHERE event = ?1")?
                    .execute([e])?;
                tx.prepare_cached("DELETE FROM events WHERE event = ?1")?
                    .execute([e])?;
            }
            tx.prepare_cached(
                "UPDATE documents SET content_hash = ?2, date = ?3, title = ?4, url = ?5, source = ?6,
                 text = ?7, mention_count = ?8, ingested_at = ?9 WHERE doc = ?1",
            )?
            .execute(params![
                row,
                hash,
                date,
                doc.title,
                doc.url,
                doc.source,
                doc.text,
                records.len() as i64,
                now
            ])?;
            (row, Outcome::Replaced)
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO documents (id, content_hash, date, title, url, source, text, mention_count, ingested_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                doc.id,
                hash,
                date,
                doc.title,
                doc.url,
                doc.source,
                doc.text,
                records.len() as i64,
                now
            ])?;
            (tx.last_insert_rowid(), Outcome::Added)
        }
    };
    // Older mentions first, in their original order, then the new ones.
    orphans.sort_unstable();
    for m in orphans {
        let key = tx
            .prepare_cached(
                "SELECT mention, doc, source_actor, target_actor, event_type, cameo, quad_class, goldstein,
                 source_code, target_code, date, date_precision, location, mutual FROM mentions WHERE mention = ?1",
            )?
            .query_row([m], |r| {
                Ok(MentionKey {
                    mention: r.get(0)?,
                    doc: r.get(1)?,
                    source_actor: r.get(2)?,
                    target_actor: r.get(3)?,
                    event_type: r.get(4)?,
                    cameo: r.get(5)?,
                    quad_class: r.get(6)?,
                    goldstein: r.get(7)?,
                    source_code: r.get(8)?,
                    target_code: r.get(9)?,
                    date: r.get(10)?,
                    precision: r.get(11)?,
                    location: r.get(12)?,
                    mutual: r.get(13)?,
                })
            })?;
        let e = attach(tx, &key)?;
        touched.insert(e);
    }
    for (ordinal, rec) in records.iter().enumerate() {
        let location = dedup::location_key(rec.location.as_ref());
        let (target_actor, target_code) = rec
            .target
            .as_ref()
            .map(|t| (t.cameo_actor.clone(), t.code.clone()))
            .unwrap_or_default();
        let json = serde_json::to_string(rec).expect("records serialise");
        let figures = Figures::of(rec);
        let reported_by = rec.reported_by.as_ref();
        // `about`: positions among this document's records = `mentions.ordinal`.
        let about = (!rec.about.is_empty())
            .then(|| serde_json::to_string(&rec.about).expect("positions serialise"));
        tx.prepare_cached(
            "INSERT INTO mentions (doc, ordinal, sentence, event_type, cameo, quad_class, goldstein,
             source_actor, source_code, target_actor, target_code, modality, date, date_precision,
             location, trigger, trigger_start, trigger_end, rule, record, mutual,
             attribution, reported_by_code, reported_by_text, about, confidence, mode, context,
             killed, killed_high, injured, injured_high, abducted, abducted_high, arrested, arrested_high)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
             ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36)",
        )?
        .execute(params![
            doc_row,
            ordinal as i64,
            rec.sentence as i64,
            rec.event_type,
            rec.cameo,
            rec.quad_class as i64,
            rec.goldstein as f64,
            rec.source.cameo_actor,
            rec.source.code,
            target_actor,
            target_code,
            rec.modality,
            rec.date,
            rec.date_precision,
            location,
            rec.evidence.trigger,
            rec.evidence.start as i64,
            rec.evidence.end as i64,
            rec.evidence.rule,
            json,
            rec.mutual,
            rec.attribution,
            reported_by.and_then(|r| r.actor.as_ref()).map(|a| a.cameo_actor.as_str()),
            reported_by.map(|r| r.text.as_str()),
            about,
            // The f32's shortest decimal (0.82, not 0.8199999928): as the JSON has it.
            rec.confidence
                .and_then(|c| c.to_string().parse::<f64>().ok()),
            rec.mode,
            rec.context,
            figures.killed.0,
            figures.killed.1,
            figures.injured.0,
            figures.injured.1,
            figures.abducted.0,
            figures.abducted.1,
            figures.arrested.0,
            figures.arrested.1,
        ])?;
        let key = MentionKey {
            mention: tx.last_insert_rowid(),
            doc: doc_row,
            source_actor: rec.source.cameo_actor.clone(),
            target_actor,
            event_type: rec.event_type.clone(),
            cameo: rec.cameo.clone(),
            quad_class: rec.quad_class as i64,
            goldstein: rec.goldstein as f64,
            source_code: rec.source.code.clone(),
            target_code,
            date: rec.date.clone(),
            precision: rec.date_precision.clone(),
            location,
            mutual: rec.mutual,
        };
        touched.insert(attach(tx, &key)?);
    }
    Ok(outcome)
}

fn parse_day(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// An event a mention may join: its key fields as stored.
struct Keyed {
    event: i64,
    day: Option<i64>,
    precision: Option<String>,
    location: String,
    source_actor: String,
    target_actor: String,
    source_code: String,
    mutual: bool,
}

/// Whether two actor codes of the same country may be one actor: equal, or one of them
/// is the bare country (a missing sector is compatible with any sector).
fn actors_compatible(a: &str, b: &str, country: &str) -> bool {
    a == b || a == country || b == country
}

impl MentionKey {
    /// How `e` (found by country codes, either direction) has this mention's key: `Some
    /// (true)` in the same direction with compatible actors, `Some(false)` in the reverse
    /// direction when the mention or the event is mutual, else `None`.
    fn direction(&self, e: &Keyed) -> Option<bool> {
        let fits = |src: &str, tgt: &str| {
            actors_compatible(src, &self.source_actor, &self.source_code)
                && actors_compatible(tgt, &self.target_actor, &self.target_code)
        };
        // (The lookup found the countries in one order or the other: which one?)
        if e.source_code == self.source_code && fits(&e.source_actor, &e.target_actor) {
            return Some(true);
        }
        let reverse = (self.mutual || e.mutual)
            && !self.target_code.is_empty()
            && e.source_code == self.target_code
            && fits(&e.target_actor, &e.source_actor);
        reverse.then_some(false)
    }
}

/// Puts a mention into its event (found by the merge rule, or new); returns the event.
fn attach(tx: &Connection, m: &MentionKey) -> rusqlite::Result<i64> {
    let span = m.date.as_deref().and_then(parse_day).map(|date| DateSpan {
        date,
        precision: Precision::parse(m.precision.as_deref()),
    });
    let keyed = |r: &rusqlite::Row| -> rusqlite::Result<Keyed> {
        Ok(Keyed {
            event: r.get(0)?,
            day: r.get(1)?,
            precision: r.get(2)?,
            location: r.get(3)?,
            source_actor: r.get(4)?,
            target_actor: r.get(5)?,
            mutual: r.get(6)?,
            source_code: r.get(7)?,
        })
    };
    // Events of the same countries and type, in either direction; `direction` decides.
    let found = match span {
        None => tx
            .prepare_cached(
                "SELECT event, day, date_precision, location, source_actor, target_actor, mutual, source_code
                 FROM events WHERE event_type = ?3 AND day IS NULL AND undated_doc = ?4 AND location = ?5
                 AND ((source_code = ?1 AND target_code = ?2) OR (source_code = ?2 AND target_code = ?1))
                 ORDER BY event",
            )?
            .query_map(
                params![m.source_code, m.target_code, m.event_type, m.doc, m.location],
                keyed,
            )?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .find(|e| m.direction(e).is_some()),
        Some(span) => {
            let day = dedup::day_number(span.date);
            let reach = Precision::Year.max_days();
            let keyed: Vec<Keyed> = tx
                .prepare_cached(
                    "SELECT event, day, date_precision, location, source_actor, target_actor, mutual, source_code
                     FROM events WHERE event_type = ?3 AND day BETWEEN ?4 AND ?5
                     AND ((source_code = ?1 AND target_code = ?2) OR (source_code = ?2 AND target_code = ?1))",
                )?
                .query_map(
                    params![
                        m.source_code,
                        m.target_code,
                        m.event_type,
                        day - reach,
                        day + reach
                    ],
                    keyed,
                )?
                .collect::<Result<_, _>>()?;
            let candidates: Vec<Candidate> = keyed
                .iter()
                .filter(|e| m.direction(e).is_some() && e.day.is_some())
                .map(|e| Candidate {
                    event: e.event,
                    anchor: DateSpan {
                        date: dedup::from_day_number(e.day.unwrap()),
                        precision: Precision::parse(e.precision.as_deref()),
                    },
                    location: e.location.clone(),
                })
                .collect();
            dedup::choose(span, &m.location, &candidates)
                .and_then(|id| keyed.into_iter().find(|e| e.event == id))
        }
    };
    let event = match found {
        Some(e) => {
            if !m.location.is_empty() {
                // The first mention that names the place gives it to the event.
                tx.prepare_cached(
                    "UPDATE events SET location = ?2 WHERE event = ?1 AND location = ''",
                )?
                .execute(params![e.event, m.location])?;
            }
            if m.mutual && !e.mutual {
                tx.prepare_cached("UPDATE events SET mutual = 1 WHERE event = ?1")?
                    .execute([e.event])?;
            }
            // A bare country takes the sector a later mention gives ("Russia" then
            // "Russian forces": RUSMIL), in the event's own direction.
            let forward = m.direction(&e) == Some(true);
            if forward && e.source_actor == m.source_code && m.source_actor != m.source_code {
                tx.prepare_cached("UPDATE events SET source_actor = ?2 WHERE event = ?1")?
                    .execute(params![e.event, m.source_actor])?;
            }
            e.event
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO events (source_actor, source_code, target_actor, target_code, event_type, cameo,
                 quad_class, goldstein, date, date_precision, day, location, undated_doc, mutual)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                m.source_actor,
                m.source_code,
                m.target_actor,
                m.target_code,
                m.event_type,
                m.cameo,
                m.quad_class,
                m.goldstein,
                span.map(|s| s.date.to_string()),
                span.map(|_| m.precision.clone().unwrap_or_else(|| "day".into())),
                span.map(|s| dedup::day_number(s.date)),
                m.location,
                span.is_none().then_some(m.doc),
                m.mutual
            ])?;
            tx.last_insert_rowid()
        }
    };
    tx.prepare_cached("UPDATE mentions SET event = ?2 WHERE mention = ?1")?
        .execute(params![m.mention, event])?;
    Ok(event)
}

/// A mention's casualty figures per kind: `(lowest, highest)` — the sums of its
/// record's figures of that kind (each figure a distinct group: "3 soldiers and 5
/// civilians were killed" → 8), the highest taking each figure's upper end where the text
/// gives a range or a vague quantity; `None` where the record gives no figure of the kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    pub killed: (Option<i64>, Option<i64>),
    pub injured: (Option<i64>, Option<i64>),
    pub abducted: (Option<i64>, Option<i64>),
    pub arrested: (Option<i64>, Option<i64>),
}

impl Figures {
    /// The figures of one record.
    pub fn of(rec: &EventRecord) -> Figures {
        let mut f = Figures::default();
        for c in &rec.casualties {
            let slot = match c.kind.as_str() {
                "killed" => &mut f.killed,
                "injured" => &mut f.injured,
                "abducted" => &mut f.abducted,
                "arrested" => &mut f.arrested,
                _ => continue,
            };
            let high = c.high.unwrap_or(c.count).max(c.count);
            slot.0 = Some(slot.0.unwrap_or(0) + c.count as i64);
            slot.1 = Some(slot.1.unwrap_or(0) + high as i64);
        }
        f
    }
}

/// Writes an event's recounted columns (`?1` the event, then its 19 values in order).
const UPDATE_EVENT_COUNTS: &str = "UPDATE events SET mentions = ?2, articles = ?3, sources = ?4,
        first_seen = ?5, last_seen = ?6, confidence = ?7, killed = ?8, killed_high = ?9,
        injured = ?10, injured_high = ?11, abducted = ?12, abducted_high = ?13, arrested = ?14,
        arrested_high = ?15, attribution = ?16, reported_by_code = ?17, reported_by_text = ?18,
        mode = ?19, context = ?20
    WHERE event = ?1";

/// Recomputes an event from its mentions: the counts — mentions, articles (distinct
/// documents), sources (distinct `source` fields; a document without one counts as its
/// own source), first and last seen (earliest and latest document dates) — and what
/// analysts weigh (docs/schema.md, "What analysts weigh"):
/// - `attribution`: the most direct of its mentions' attributions, in the order
///   asserted > reported > claimed > alleged > denied (an event one article states is
///   asserted however many parties also claim it), with the claimant of the first
///   mention (ingestion order) that has that attribution;
/// - `confidence`: the highest of its mentions' (NULL when none has one);
/// - casualties: per kind, the highest figure any one mention gives, and the highest
///   upper end — never a sum over mentions, so five articles on one attack count its
///   dead once;
/// - `mode`, `context`: of the first mention that has one.
fn recount(tx: &Connection, event: i64) -> rusqlite::Result<()> {
    use rusqlite::types::Value;
    use rusqlite::OptionalExtension;
    // Read the aggregates, then write plain values: an UPDATE whose values are
    // subqueries on a bound parameter is re-prepared by SQLite on every execution,
    // which cost more than half of ingest.
    // An event of one mention (most of them): its aggregates are that mention's
    // values, read in one row (the same values the queries below give it).
    let sole: Option<Vec<Value>> = tx
        .prepare_cached(
            "SELECT count(*) = 1, 1, 1, max(d.date), max(d.date), max(m.confidence),
                    max(m.killed), max(m.killed_high), max(m.injured), max(m.injured_high),
                    max(m.abducted), max(m.abducted_high), max(m.arrested), max(m.arrested_high),
                    max(m.attribution), max(m.reported_by_code), max(m.reported_by_text),
                    max(m.mode), max(m.context)
             FROM mentions m JOIN documents d ON d.doc = m.doc WHERE m.event = ?1",
        )?
        .query_row([event], |r| {
            if r.get::<_, bool>(0)? {
                (0..19)
                    .map(|i| r.get::<_, Value>(i))
                    .collect::<rusqlite::Result<_>>()
                    .map(Some)
            } else {
                Ok(None)
            }
        })?;
    if let Some(mut values) = sole {
        values[0] = Value::Integer(1);
        let mut all = vec![Value::Integer(event)];
        all.extend(values);
        tx.prepare_cached(UPDATE_EVENT_COUNTS)?
            .execute(rusqlite::params_from_iter(all))?;
        return Ok(());
    }
    let counts: Vec<Value> = tx
        .prepare_cached(
            "SELECT count(*), count(DISTINCT m.doc), count(DISTINCT coalesce(d.source, '#' || d.id)),
                    min(d.date), max(d.date), max(m.confidence),
                    max(m.killed), max(m.killed_high), max(m.injured), max(m.injured_high),
                    max(m.abducted), max(m.abducted_high), max(m.arrested), max(m.arrested_high)
             FROM mentions m JOIN documents d ON d.doc = m.doc WHERE m.event = ?1",
        )?
        .query_row([event], |r| (0..14).map(|i| r.get::<_, Value>(i)).collect())?;
    let claim: (Value, Value, Value) = tx
        .prepare_cached(
            "SELECT attribution, reported_by_code, reported_by_text FROM mentions
             WHERE event = ?1 ORDER BY CASE attribution WHEN 'asserted' THEN 0 WHEN 'reported' THEN 1
             WHEN 'claimed' THEN 2 WHEN 'alleged' THEN 3 WHEN 'denied' THEN 4 ELSE 5 END, mention
             LIMIT 1",
        )?
        .query_row([event], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .unwrap_or((Value::Null, Value::Null, Value::Null));
    let first = |col: &str| -> rusqlite::Result<Value> {
        Ok(tx
            .prepare_cached(&format!(
                "SELECT {col} FROM mentions WHERE event = ?1 AND {col} IS NOT NULL
                 ORDER BY mention LIMIT 1"
            ))?
            .query_row([event], |r| r.get(0))
            .optional()?
            .unwrap_or(Value::Null))
    };
    let (mode, context) = (first("mode")?, first("context")?);
    let mut values: Vec<Value> = vec![Value::Integer(event)];
    values.extend(counts);
    values.extend([claim.0, claim.1, claim.2, mode, context]);
    tx.prepare_cached(UPDATE_EVENT_COUNTS)?
        .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}
