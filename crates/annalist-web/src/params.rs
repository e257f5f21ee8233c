//! Query-string parameters: each endpoint names the parameters it accepts; an unknown
//! parameter or a bad value is a 400 with a message naming it.
use crate::error::ApiError;
use annalist_store::{DyadPeriod, Filter};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The filter parameters every event query accepts.
pub(crate) const FILTER_KEYS: &[&str] = &[
    "actor",
    "pair",
    "type",
    "quad",
    "from",
    "to",
    "location",
    "min_confidence",
    "attribution",
];

/// The PLOVER event types (the `type` filter is checked against them).
pub(crate) const PLOVER_TYPES: &[&str] = &[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "INVESTIGATE",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "SANCTION",
    "PROTEST",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// Parsed query parameters of one request.
pub(crate) struct Params(BTreeMap<String, String>);

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::bad_request(msg)
}

fn actor_code(name: &str, v: &str) -> Result<String, ApiError> {
    let v = v.trim();
    if v.is_empty() || v.len() > 32 || !v.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad(format!(
            "{name}={v:?}: expected an actor code (letters and digits, e.g. RUS or RUSMIL)"
        )));
    }
    Ok(v.to_ascii_uppercase())
}

/// `attribution=asserted,reported`: the attributions to keep, each one of
/// [`annalist_store::ATTRIBUTIONS`].
fn attributions(v: &str) -> Result<Vec<String>, ApiError> {
    let mut list = Vec::new();
    for a in v.split(',').map(|a| a.trim().to_ascii_lowercase()) {
        if !annalist_store::ATTRIBUTIONS.contains(&a.as_str()) {
            return Err(bad(format!(
                "attribution={v:?}: expected attributions separated by commas, each one of {}",
                annalist_store::ATTRIBUTIONS.join(", ")
            )));
        }
        if !list.contains(&a) {
            list.push(a);
        }
    }
    Ok(list)
}

impl Params {
    /// Parses `query`; any key outside `allowed` or given twice is an error.
    pub(crate) fn parse(query: Option<&str>, allowed: &[&str]) -> Result<Params, ApiError> {
        let mut map = BTreeMap::new();
        for (k, v) in form_pairs(query.unwrap_or("")) {
            if !allowed.contains(&k.as_str()) {
                return Err(bad(format!(
                    "unknown parameter {k:?}; this endpoint accepts: {}",
                    allowed.join(", ")
                )));
            }
            if map.insert(k.clone(), v).is_some() {
                return Err(bad(format!("parameter {k:?} given twice")));
            }
        }
        Ok(Params(map))
    }

    pub(crate) fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(|s| s.as_str()).filter(|s| !s.is_empty())
    }

    fn date(&self, k: &str) -> Result<Option<NaiveDate>, ApiError> {
        self.get(k)
            .map(|v| {
                annalist_io::parse_date(v)
                    .ok_or_else(|| bad(format!("{k}={v:?}: expected a date YYYY-MM-DD")))
            })
            .transpose()
    }

    /// The event filter.
    pub(crate) fn filter(&self) -> Result<Filter, ApiError> {
        let actor = self
            .get("actor")
            .map(|a| actor_code("actor", a))
            .transpose()?;
        let pair = match self.get("pair") {
            None => None,
            Some(p) => match p.split_once(',') {
                Some((a, b)) => Some((actor_code("pair", a)?, actor_code("pair", b)?)),
                None => return Err(bad(format!("pair={p:?}: expected two actor codes, A,B"))),
            },
        };
        let event_type = match self.get("type") {
            None => None,
            Some(t) => {
                let up = t.trim().to_ascii_uppercase();
                if !PLOVER_TYPES.contains(&up.as_str()) {
                    return Err(bad(format!(
                        "type={t:?}: expected a PLOVER type ({})",
                        PLOVER_TYPES.join(", ")
                    )));
                }
                Some(up)
            }
        };
        let quad_class = match self.get("quad") {
            None => None,
            Some(q) => match q.parse::<u8>() {
                Ok(n @ 1..=4) => Some(n),
                _ => return Err(bad(format!("quad={q:?}: expected 1, 2, 3 or 4"))),
            },
        };
        let from = self.date("from")?;
        let to = self.date("to")?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(bad(format!("from={f} is after to={t}")));
            }
        }
        let location = match self.get("location") {
            Some(l) if l.len() > 200 => return Err(bad("location: longer than 200 bytes")),
            l => l.map(|s| s.trim().to_string()),
        };
        let min_confidence = self
            .get("min_confidence")
            .map(|v| {
                annalist_engine::parse_min_confidence(v)
                    .map(|c| c.to_string().parse::<f64>().unwrap_or(c as f64))
                    .map_err(|e| bad(format!("min_confidence={e}")))
            })
            .transpose()?;
        let attributions = self.get("attribution").map(attributions).transpose()?;
        Ok(Filter {
            actor,
            pair,
            event_type,
            quad_class,
            from,
            to,
            location,
            min_confidence,
            attributions,
        })
    }

    /// A non-negative integer parameter, at most `max`.
    pub(crate) fn number(&self, k: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        match self.get(k) {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                _ => Err(bad(format!(
                    "{k}={v:?}: expected a whole number from 0 to {max}"
                ))),
            },
        }
    }

    /// `by=day|week|month`.
    pub(crate) fn period(&self, default: DyadPeriod) -> Result<DyadPeriod, ApiError> {
        match self.get("by") {
            None => Ok(default),
            Some("day") => Ok(DyadPeriod::Day),
            Some("week") => Ok(DyadPeriod::Week),
            Some("month") => Ok(DyadPeriod::Month),
            Some(v) => Err(bad(format!("by={v:?}: expected day, week or month"))),
        }
    }

    /// A canonical form of the parameters (sorted), for cache keys.
    pub(crate) fn canonical(&self, skip: &[&str]) -> String {
        self.0
            .iter()
            .filter(|(k, v)| !skip.contains(&k.as_str()) && !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// `application/x-www-form-urlencoded` pairs (`+` is a space, `%XX` a byte).
fn form_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_form_values() {
        assert_eq!(decode("a+b%2Cc"), "a b,c");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("%e2%80%94"), "—");
    }

    #[test]
    fn rejects_unknown_and_bad_values() {
        assert!(Params::parse(Some("actor=RUS&colour=red"), FILTER_KEYS).is_err());
        let p = Params::parse(Some("quad=7"), FILTER_KEYS).unwrap();
        assert!(p.filter().is_err());
        let p = Params::parse(Some("pair=RUS,UKR&from=2025-01-01"), FILTER_KEYS).unwrap();
        let f = p.filter().unwrap();
        assert_eq!(f.pair, Some(("RUS".into(), "UKR".into())));
    }

    #[test]
    fn confidence_and_attribution_are_checked() {
        for bad in [
            "min_confidence=2",
            "min_confidence=-0.5",
            "min_confidence=sure",
        ] {
            let p = Params::parse(Some(bad), FILTER_KEYS).unwrap();
            let e = p.filter().unwrap_err();
            assert!(e.message.contains("from 0 to 1"), "{bad}: {}", e.message);
        }
        for bad in ["attribution=rumoured", "attribution=asserted,,claimed"] {
            let p = Params::parse(Some(bad), FILTER_KEYS).unwrap();
            let e = p.filter().unwrap_err();
            assert!(
                e.message.contains("each one of asserted"),
                "{bad}: {}",
                e.message
            );
        }
        let p = Params::parse(
            Some("min_confidence=0.7&attribution=Asserted%2Creported"),
            FILTER_KEYS,
        )
        .unwrap();
        let f = p.filter().unwrap();
        assert_eq!(f.min_confidence, Some(0.7));
        assert_eq!(
            f.attributions,
            Some(vec!["asserted".to_string(), "reported".to_string()])
        );
    }
}
