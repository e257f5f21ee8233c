//! Evaluation against gold-standard event records, with the same metrics and rules as
//! the shared `score.py`: actor codes compared on their first three letters, compound
//! actors expanded into one triple per pair, old PLOVER names mapped (FIGHT = ASSAULT,
//! DEMAND = REQUEST, DISAPPROVE = ACCUSE).
//!
//! Gold lines are PLOVER gold-standard records (`text`, `event`, `source`, `target`) or
//! records with an `events` list (`source`, `event`, `alt_event`, `target`,
//! `event_date`).
use annalist_model::{Document, EventRecord};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// One gold event: alternatives for each slot.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldEvent {
    pub sources: Vec<String>,
    pub types: HashSet<String>,
    pub targets: Vec<String>,
    pub date: Option<String>,
}

/// One gold record: a document and the events it should yield.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldRecord {
    pub id: String,
    pub text: String,
    pub date: Option<chrono::NaiveDate>,
    pub events: Vec<GoldEvent>,
}

impl GoldRecord {
    pub fn document(&self) -> Document {
        Document::new(self.id.clone(), self.text.trim().to_string(), self.date)
    }
}

pub fn norm_type(t: &str) -> String {
    let t = t.trim().to_uppercase();
    match t.as_str() {
        "FIGHT" => "ASSAULT".into(),
        "DEMAND" => "REQUEST".into(),
        "DISAPPROVE" => "ACCUSE".into(),
        _ => t,
    }
}

/// The first three letters of a code; `---` and empty mean no code.
pub fn norm_code(c: &str) -> Option<String> {
    let c: String = c.trim().to_uppercase().chars().take(3).collect();
    let c = match c.as_str() {
        "JAP" => "JPN".to_string(),
        "ITL" => "ITA".to_string(),
        _ => c,
    };
    (!c.is_empty() && c != "---").then_some(c)
}

fn actor_codes(v: Option<&serde_json::Value>) -> Vec<String> {
    let items: Vec<&serde_json::Value> = match v {
        Some(serde_json::Value::Array(a)) => a.iter().collect(),
        Some(o @ serde_json::Value::Object(_)) => vec![o],
        _ => vec![],
    };
    items
        .iter()
        .filter_map(|a| a.get("code").and_then(|c| c.as_str()).and_then(norm_code))
        .collect()
}

/// Parses one gold line.
pub fn parse_gold(line: &str) -> Result<GoldRecord, String> {
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let id = v
        .get("id")
        .and_then(|x| x.as_str())
        .ok_or("missing string \"id\"")?
        .to_string();
    let text = v
        .get("text")
        .and_then(|x| x.as_str())
        .ok_or("missing string \"text\"")?
        .to_string();
    let date = v
        .get("pub_date")
        .or_else(|| v.get("date"))
        .and_then(|x| x.as_str())
        .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
    let mut events = Vec::new();
    if let Some(list) = v.get("events").and_then(|e| e.as_array()) {
        for e in list {
            let mut types: HashSet<String> = e
                .get("event")
                .and_then(|t| t.as_str())
                .map(norm_type)
                .into_iter()
                .collect();
            if let Some(alts) = e.get("alt_event").and_then(|a| a.as_array()) {
                types.extend(alts.iter().filter_map(|a| a.as_str()).map(norm_type));
            }
            events.push(GoldEvent {
                sources: actor_codes(e.get("source")),
                types,
                targets: actor_codes(e.get("target")),
                date: e
                    .get("event_date")
                    .and_then(|d| d.as_str())
                    .map(str::to_string),
            });
        }
    } else if let Some(ev) = v.get("event").and_then(|e| e.as_str()) {
        let t = norm_type(ev);
        if !t.is_empty() && t != "DOCUMENT" {
            events.push(GoldEvent {
                sources: actor_codes(v.get("source")),
                types: [t].into_iter().collect(),
                targets: actor_codes(v.get("target")),
                date: None,
            });
        }
    }
    Ok(GoldRecord {
        id,
        text,
        date,
        events,
    })
}

/// A coded event reduced to what is scored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Predicted {
    pub source: Option<String>,
    pub event_type: String,
    pub target: Option<String>,
    pub date: Option<String>,
}

impl From<&EventRecord> for Predicted {
    fn from(e: &EventRecord) -> Self {
        Predicted {
            source: norm_code(&e.source.code),
            event_type: e.event_type.clone(),
            target: e.target.as_ref().and_then(|t| norm_code(&t.code)),
            date: e.date.clone(),
        }
    }
}

/// The scores of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub records: usize,
    pub with_events: usize,
    pub quiet: usize,
    pub type_ok: usize,
    pub dyad_ok: usize,
    pub quiet_ok: usize,
    pub tp_pred: usize,
    pub n_pred: usize,
    pub tp_gold: usize,
    pub n_gold: usize,
    pub date_ok: usize,
    pub date_n: usize,
    /// (id, text, what gold has, what was predicted) for records not fully right.
    pub misses: Vec<(String, String, String, String)>,
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

impl Report {
    pub fn type_accuracy(&self) -> f64 {
        pct(self.type_ok, self.with_events)
    }
    pub fn dyad_accuracy(&self) -> f64 {
        pct(self.dyad_ok, self.with_events)
    }
    pub fn precision(&self) -> f64 {
        pct(self.tp_pred, self.n_pred)
    }
    pub fn recall(&self) -> f64 {
        pct(self.tp_gold, self.n_gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// The report as text: misses (up to `max_misses`), then the metrics.
    pub fn render(&self, max_misses: usize) -> String {
        let mut s = String::new();
        for (id, text, gold, pred) in self.misses.iter().take(max_misses) {
            let _ = writeln!(
                s,
                "--- {id}: {}",
                text.chars().take(200).collect::<String>()
            );
            let _ = writeln!(s, "    gold: {gold}");
            let _ = writeln!(s, "    pred: {pred}");
        }
        let _ = writeln!(
            s,
            "records: {} ({} with events, {} without)",
            self.records, self.with_events, self.quiet
        );
        let _ = writeln!(
            s,
            "type accuracy:  {:5.1}%  ({}/{})",
            self.type_accuracy(),
            self.type_ok,
            self.with_events
        );
        let _ = writeln!(
            s,
            "dyad accuracy:  {:5.1}%  ({}/{})",
            self.dyad_accuracy(),
            self.dyad_ok,
            self.with_events
        );
        let _ = writeln!(
            s,
            "quiet accuracy: {:5.1}%  ({}/{})",
            pct(self.quiet_ok, self.quiet),
            self.quiet_ok,
            self.quiet
        );
        let _ = writeln!(
            s,
            "triples: precision {:5.1}%  recall {:5.1}%  F1 {:5.1}%  ({}/{} predicted, {}/{} gold)",
            self.precision(),
            self.recall(),
            self.f1(),
            self.tp_pred,
            self.n_pred,
            self.tp_gold,
            self.n_gold
        );
        if self.date_n > 0 {
            let _ = writeln!(
                s,
                "date accuracy:  {:5.1}%  ({}/{})",
                pct(self.date_ok, self.date_n),
                self.date_ok,
                self.date_n
            );
        }
        let _ = writeln!(
            s,
            "summary: type {:.1} triple-F1 {:.1} dyad {:.1}",
            self.type_accuracy(),
            self.f1(),
            self.dyad_accuracy()
        );
        s
    }
}

fn show_gold(g: &[GoldEvent]) -> String {
    g.iter()
        .map(|e| {
            let mut t: Vec<&String> = e.types.iter().collect();
            t.sort();
            format!("{:?} {:?} {:?}", e.sources, t, e.targets)
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn show_pred(p: &[Predicted]) -> String {
    if p.is_empty() {
        return "(nothing)".into();
    }
    p.iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e.source.as_deref().unwrap_or("-"),
                e.event_type,
                e.target.as_deref().unwrap_or("-")
            )
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Scores predictions (by document id) against gold records.
pub fn score(gold: &[GoldRecord], preds: &HashMap<String, Vec<Predicted>>) -> Report {
    let mut r = Report {
        records: gold.len(),
        ..Default::default()
    };
    let empty = Vec::new();
    for rec in gold {
        let pev = preds.get(&rec.id).unwrap_or(&empty);
        if rec.events.is_empty() {
            r.quiet += 1;
            r.n_pred += pev.len();
            if pev.is_empty() {
                r.quiet_ok += 1;
            } else {
                r.misses.push((
                    rec.id.clone(),
                    rec.text.clone(),
                    "no event".into(),
                    show_pred(pev),
                ));
            }
            continue;
        }
        r.with_events += 1;
        let all_types: HashSet<&String> = rec.events.iter().flat_map(|g| g.types.iter()).collect();
        if pev.iter().any(|p| all_types.contains(&p.event_type)) {
            r.type_ok += 1;
        }
        let in_slot = |code: &Option<String>, slot: &[String]| match code {
            None => slot.is_empty(),
            Some(c) => slot.contains(c),
        };
        if pev.iter().any(|p| {
            rec.events
                .iter()
                .any(|g| in_slot(&p.source, &g.sources) && in_slot(&p.target, &g.targets))
        }) {
            r.dyad_ok += 1;
        }
        let mut matched = HashSet::new();
        for g in &rec.events {
            r.n_gold += 1;
            let hits: Vec<usize> = pev
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    in_slot(&p.source, &g.sources)
                        && g.types.contains(&p.event_type)
                        && in_slot(&p.target, &g.targets)
                })
                .map(|(i, _)| i)
                .collect();
            if !hits.is_empty() {
                r.tp_gold += 1;
                if let Some(d) = &g.date {
                    r.date_n += 1;
                    if hits.iter().any(|&i| pev[i].date.as_ref() == Some(d)) {
                        r.date_ok += 1;
                    }
                }
                matched.extend(hits);
            }
        }
        r.n_pred += pev.len();
        r.tp_pred += matched.len();
        if matched.is_empty() || matched.len() < pev.len() {
            r.misses.push((
                rec.id.clone(),
                rec.text.clone(),
                show_gold(&rec.events),
                show_pred(pev),
            ));
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_like_the_reference_scorer() {
        let gold = vec![
            parse_gold(r#"{"id":"a","text":"x","event":"FIGHT","source":[{"code":"RUSMIL"}],"target":[{"code":"UKR"}]}"#).unwrap(),
            parse_gold(r#"{"id":"b","text":"y","events":[{"source":[{"code":"USA"},{"code":"JOR"}],"event":"AGREE","alt_event":["SUPPORT"],"target":[]}]}"#).unwrap(),
            parse_gold(r#"{"id":"c","text":"z","events":[]}"#).unwrap(),
        ];
        let p = |s: &str, t: &str, g: Option<&str>| Predicted {
            source: Some(s.into()),
            event_type: t.into(),
            target: g.map(|x| x.into()),
            date: None,
        };
        let preds: HashMap<String, Vec<Predicted>> = [
            (
                "a".to_string(),
                vec![
                    p("RUS", "ASSAULT", Some("UKR")),
                    p("RUS", "THREATEN", Some("UKR")),
                ],
            ),
            ("b".to_string(), vec![p("JOR", "SUPPORT", None)]),
            ("c".to_string(), vec![p("USA", "ACCUSE", None)]),
        ]
        .into_iter()
        .collect();
        let r = score(&gold, &preds);
        assert_eq!(
            (r.type_ok, r.dyad_ok, r.with_events, r.quiet_ok),
            (2, 2, 2, 0)
        );
        assert_eq!((r.tp_pred, r.n_pred, r.tp_gold, r.n_gold), (2, 4, 2, 2));
        assert!((r.f1() - 66.666).abs() < 0.01);
    }
}
