//! Importing dictionaries of the PETRARCH/TABARI family (`CAMEO.*.actors`,
//! `CAMEO.*.agents`) into annalist's formats, so users can bring dictionaries they
//! already maintain.
//!
//! Input lines understood:
//! ```text
//! # comment                              (also `<!-- … -->` lines and `===` headers)
//! JOHN_KERRY_ [USAELI 19430101-20130201] [USAGOV 20130201-20170120]
//! +JOHN_FORBES_KERRY                     synonym of the entry above
//! +SECRETARY_KERRY
//! BARACK_OBAMA [USAELI <20090120] [USAGOV >20090120]
//! AFGHANISTAN_ [AFG]
//! POLICE_ [~COP]                         an agent (agents file), `~` marks the sector
//! ARMY_ [~MIL] {comment}
//! ```
//! Codes are CAMEO actor codes: the first three letters are the country or organisation
//! class (USA, IGO, NGO …), the next three the sector (GOV, MIL …); further role letters
//! are dropped (reported as a note). `>D` is "from D", `<D` "until D", `D1-D2` a range.
//!
//! Output: lines in the `people/*.txt` format (`names | CODE SECTOR FROM..TO; …`) for
//! actors and in the `agents.txt` format (`SECTOR | words`) for agents. A line that cannot
//! be read is reported as `path:line: problem` and skipped; the rest is imported.
use crate::format::DictError;
use crate::SECTORS;

/// The result of an import.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Imported {
    /// `people/*.txt` lines.
    pub people: Vec<String>,
    /// `(sector, phrase)` pairs for agents.
    pub agents: Vec<(String, String)>,
    /// Lines that could not be imported.
    pub errors: Vec<DictError>,
    /// Things dropped on the way (extra role letters …), as `path:line: note`.
    pub notes: Vec<String>,
}

struct Entry {
    line: usize,
    names: Vec<String>,
    roles: Vec<String>,
}

/// "JOHN_FORBES_KERRY_" → "John Forbes Kerry"; words without a vowel or of two capitals
/// ("UN", "US") stay in capitals (matched exactly); other words are Title Case, which
/// matches any capitalised spelling ("Plo" matches "PLO").
pub fn phrase_from_petrarch(p: &str) -> String {
    p.trim_matches('_')
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let has_vowel = w.chars().any(|c| "AEIOUaeiou".contains(c));
            // Name particles are written in lower case, which matches any spelling.
            if matches!(
                w.to_lowercase().as_str(),
                "bin"
                    | "ibn"
                    | "al"
                    | "el"
                    | "de"
                    | "da"
                    | "del"
                    | "der"
                    | "van"
                    | "von"
                    | "la"
                    | "le"
            ) {
                return w.to_lowercase();
            }
            if !has_vowel || w.len() <= 2 && w.chars().all(|c| c.is_ascii_uppercase()) {
                w.to_string()
            } else {
                let lower = w.to_lowercase();
                let mut cs = lower.chars();
                match cs.next() {
                    Some(f) => f.to_uppercase().chain(cs).collect(),
                    None => String::new(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn date(d: &str) -> Option<String> {
    let d = d.trim();
    if d.len() != 8 || !d.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let s = format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]);
    chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()?;
    Some(s)
}

/// One bracketed code with its date restriction → a role (`USA GOV 2013-02-01..`).
fn role(
    path: &str,
    line: usize,
    inner: &str,
    notes: &mut Vec<String>,
) -> Result<String, DictError> {
    let mut parts = inner.split_whitespace();
    let code = parts
        .next()
        .ok_or_else(|| DictError::new(path, line, "empty code in brackets"))?;
    if code.len() < 3 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(DictError::new(
            path,
            line,
            format!("bad actor code {code:?}"),
        ));
    }
    let country = &code[..3];
    // Organisation classes carry the organisation next ("IGOUNOGOV"): it is dropped, the
    // role code keeps the class.
    let org_class = matches!(country, "IGO" | "NGO" | "IMG" | "MNC" | "BUS");
    let at = if org_class && code.len() >= 6 {
        notes.push(format!(
            "{path}:{line}: organisation {:?} of {code} dropped",
            &code[3..6]
        ));
        6
    } else {
        3
    };
    let sector = code.get(at..at + 3);
    if code.len() > at + 3 {
        notes.push(format!(
            "{path}:{line}: role letters {:?} of {code} dropped",
            &code[at + 3..]
        ));
    }
    let sector = match sector {
        Some(s) if SECTORS.contains(&s) => s.to_string(),
        Some(s) => {
            notes.push(format!(
                "{path}:{line}: sector {s:?} of {code} unknown, kept as country only"
            ));
            "-".to_string()
        }
        None => "-".to_string(),
    };
    let dates = match parts.next() {
        None => String::new(),
        Some(r) => {
            let bad = || DictError::new(path, line, format!("bad date restriction {r:?}"));
            if let Some(d) = r.strip_prefix('>') {
                format!(" {}..", date(d).ok_or_else(bad)?)
            } else if let Some(d) = r.strip_prefix('<') {
                format!(" ..{}", date(d).ok_or_else(bad)?)
            } else if let Some((a, b)) = r.split_once('-') {
                let (a, b) = (date(a).ok_or_else(bad)?, date(b).ok_or_else(bad)?);
                if a >= b {
                    return Err(DictError::new(
                        path,
                        line,
                        format!("date range {r:?} ends before it starts"),
                    ));
                }
                format!(" {a}..{b}")
            } else {
                return Err(bad());
            }
        }
    };
    Ok(format!("{country} {sector}{dates}"))
}

/// Imports a PETRARCH/TABARI actors or agents file.
pub fn import_petrarch(path: &str, text: &str) -> Imported {
    let mut out = Imported::default();
    let mut entries: Vec<Entry> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        // Comments: "#", "<!-- … -->", "===" section headers; trailing "{…}" comments.
        let line = raw.split('#').next().unwrap_or("");
        let line = match line.find('{') {
            Some(k) => &line[..k],
            None => line,
        };
        let line = line.trim();
        if line.is_empty()
            || line.starts_with("<!--")
            || line.starts_with("===")
            || line.starts_with("---")
        {
            continue;
        }
        if let Some(syn) = line.strip_prefix('+') {
            let syn = syn.split('[').next().unwrap_or("").trim();
            match entries.last_mut() {
                Some(e) if !syn.is_empty() => e.names.push(phrase_from_petrarch(syn)),
                _ => out.errors.push(DictError::new(
                    path,
                    n,
                    "synonym line with no entry above it",
                )),
            }
            continue;
        }
        let (phrase, codes) = match line.find('[') {
            Some(k) => (line[..k].trim(), &line[k..]),
            None => (line, ""),
        };
        if phrase.is_empty() || phrase.contains(char::is_whitespace) {
            out.errors.push(DictError::new(
                path,
                n,
                format!("expected `PHRASE_ [CODE …]`, found {line:?}"),
            ));
            continue;
        }
        let mut roles = Vec::new();
        let mut agent = None;
        let mut bad = false;
        for chunk in codes.split('[').skip(1) {
            let Some(inner) = chunk.split(']').next().map(str::trim) else {
                continue;
            };
            if let Some(s) = inner.strip_prefix('~') {
                let s = s.trim();
                let s = if s.len() >= 3 { &s[..3] } else { s };
                if SECTORS.contains(&s) {
                    agent = Some(s.to_string());
                } else {
                    out.errors.push(DictError::new(
                        path,
                        n,
                        format!("unknown agent sector {s:?}"),
                    ));
                    bad = true;
                }
                continue;
            }
            match role(path, n, inner, &mut out.notes) {
                Ok(r) => roles.push(r),
                Err(e) => {
                    out.errors.push(e);
                    bad = true;
                }
            }
        }
        if bad {
            continue;
        }
        let name = phrase_from_petrarch(phrase);
        if let Some(sector) = agent {
            out.agents.push((sector, name.to_lowercase()));
            continue;
        }
        if roles.is_empty() {
            // A bare phrase: a synonym block's head with its code on a later line is not
            // part of this format; report it.
            out.errors
                .push(DictError::new(path, n, format!("{phrase:?} has no code")));
            continue;
        }
        entries.push(Entry {
            line: n,
            names: vec![name],
            roles,
        });
    }
    for e in entries {
        let mut names: Vec<String> = Vec::new();
        for nm in e.names {
            if !names.contains(&nm) {
                names.push(nm);
            }
        }
        // Dated roles first, the undated one (the default) last.
        let (mut dated, undated): (Vec<String>, Vec<String>) =
            e.roles.into_iter().partition(|r| r.contains(".."));
        dated.extend(undated.into_iter().take(1));
        out.people.push(format!(
            "{} | {}    # line {}",
            names.join("; "),
            dated.join("; "),
            e.line
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_with_dates_and_synonyms() {
        let text = "\
# a comment
ABEBE_KEBEDE_ [ETHELI 19900101-20050601] [ETHGOV >20050601] {president from 2005}
+PRESIDENT_KEBEDE
NORTHLAND_ [NRL]
UN_ENVOY_SMITH [IGOUNOGOV <20101231]
";
        let im = import_petrarch("a.actors", text);
        assert!(im.errors.is_empty(), "{:?}", im.errors);
        assert_eq!(
            im.people[0],
            "Abebe Kebede; President Kebede | ETH ELI 1990-01-01..2005-06-01; ETH GOV 2005-06-01..    # line 2"
        );
        assert_eq!(im.people[1], "Northland | NRL -    # line 4");
        assert_eq!(
            im.people[2],
            "UN Envoy Smith | IGO GOV ..2010-12-31    # line 5"
        );
        assert_eq!(im.notes.len(), 1, "{:?}", im.notes); // the organisation UNO is dropped
    }

    #[test]
    fn agents_and_bad_lines() {
        let text = "BORDER_GUARDS_ [~MIL]\nTRIBAL_ELDERS [~ELI]\nBROKEN LINE\nX_ [USAGOV 2010-2009]\n+ORPHAN\n";
        let im = import_petrarch("b.agents", text);
        assert_eq!(
            im.agents,
            vec![
                ("MIL".into(), "border guards".into()),
                ("ELI".into(), "tribal elders".into())
            ]
        );
        let msgs: Vec<String> = im.errors.iter().map(|e| e.to_string()).collect();
        assert!(msgs[0].starts_with("b.agents:3: expected"), "{msgs:?}");
        assert!(
            msgs[1].starts_with("b.agents:4: bad date restriction"),
            "{msgs:?}"
        );
        assert!(
            msgs[2].starts_with("b.agents:5: synonym line with no entry"),
            "{msgs:?}"
        );
        assert_eq!(msgs.len(), 3);
    }

    #[test]
    fn phrases() {
        assert_eq!(phrase_from_petrarch("UNITED_NATIONS_"), "United Nations");
        // A capitalised entry word matches the word in any capitalisation that starts
        // with a capital ("Plo" matches "PLO"), so acronyms survive Title Case.
        assert_eq!(phrase_from_petrarch("PLO"), "Plo");
        assert_eq!(phrase_from_petrarch("OSAMA_BIN_LADEN"), "Osama bin Laden");
        assert_eq!(phrase_from_petrarch("US"), "US");
    }
}
