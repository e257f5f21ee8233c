//! What the actor, agent and verb importers share: PETRARCH phrases (words joined by
//! `_` or blanks, in capitals) as annalist phrases, TABARI dates (`YYYYMMDD` or
//! `YYMMDD`), and CAMEO actor codes (`USAGOV`, `IGOUNOREFHCR`) as annalist's country or
//! organisation code and sector.
use crate::actors::{ORG_CODES, SECTORS};
use crate::classes::WordClass;
use crate::lexicon::Tag;
use crate::Dictionaries;
use chrono::NaiveDate;

/// The words of a PETRARCH phrase: `_` and blanks separate words.
pub fn words(phrase: &str) -> Vec<&str> {
    phrase
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect()
}

/// A name in annalist's spelling: "JOHN_FORBES_KERRY_" → "John Forbes Kerry". Words
/// without a vowel and dotted initials ("U.N.") stay in capitals (matched as written);
/// name particles (class `NAME_PARTICLE`: bin, al, van …) and function words (only
/// determiners, prepositions or conjunctions in the lexicon: of, the, and) are lower
/// case (any spelling); two-letter words stay in capitals ("UN", "US": matched exactly,
/// so the pronoun "us" is not the United States); other words are Title Case, which
/// matches any capitalised spelling ("Nato" matches "NATO"). Words the file writes in
/// lower case keep their case.
pub fn name(phrase: &str, reference: &Dictionaries) -> String {
    words(phrase)
        .iter()
        .map(|w| {
            let lower = w.to_lowercase();
            let function = reference.lexicon.tags(&lower).is_some_and(|t| {
                t.iter()
                    .all(|t| matches!(t, Tag::IN | Tag::DT | Tag::CC | Tag::TO))
            });
            if reference.classes.has(WordClass::NameParticle, &lower) || function {
                return lower;
            }
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            let has_vowel = letters.iter().any(|c| "AEIOUYaeiouy".contains(*c));
            let initials = w.contains('.')
                && w.split('.')
                    .all(|part| part.chars().filter(|c| c.is_alphabetic()).count() <= 1);
            if letters.iter().any(|c| c.is_lowercase())
                || !has_vowel
                || initials
                || letters.len() <= 2
            {
                w.to_string()
            } else {
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

/// A TABARI date: `YYYYMMDD`, or `YYMMDD` with YY ≤ 30 in the 2000s and the others in
/// the 1900s (the files write earlier years with four digits).
pub fn date(d: &str) -> Option<NaiveDate> {
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, rest) = match d.len() {
        8 => (d[..4].parse::<i32>().ok()?, &d[4..]),
        6 => {
            let yy = d[..2].parse::<i32>().ok()?;
            (if yy <= 30 { 2000 + yy } else { 1900 + yy }, &d[2..])
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, rest[..2].parse().ok()?, rest[2..].parse().ok()?)
}

/// A CAMEO actor code with its date restriction, as annalist sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Country, region or organisation-class code (`USA`, `WAF`, `IGO`).
    pub code: String,
    /// For an organisation class, the organisation (`UNO` of `IGOUNO`).
    pub org: Option<String>,
    pub sector: Option<String>,
    /// From (inclusive) and to (exclusive), annalist's convention.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub dated: bool,
    /// What the code said that annalist drops (role letters, a second sector …).
    pub dropped: Vec<String>,
}

impl Role {
    /// `CODE SECTOR FROM..TO` in the `people/*.txt` syntax (`-` for no sector).
    pub fn people_role(&self) -> String {
        let mut s = format!("{} {}", self.code, self.sector.as_deref().unwrap_or("-"));
        if self.dated {
            let d = |x: Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
            s.push_str(&format!(" {}..{}", d(self.from), d(self.to)));
        }
        s
    }

    /// Whether two dated roles share a day.
    pub fn overlaps(&self, other: &Role) -> bool {
        self.dated
            && other.dated
            && self.from.is_none_or(|f| other.to.is_none_or(|t| f < t))
            && other.from.is_none_or(|f| self.to.is_none_or(|t| f < t))
    }
}

/// The sector a CAMEO role segment gives: a sector annalist knows, or `REL` for a
/// religion code (class `CAMEO_RELIGION`); `None` for anything else.
pub fn sector_of(seg: &str, reference: &Dictionaries) -> Option<(String, bool)> {
    if SECTORS.contains(&seg) {
        Some((seg.to_string(), true))
    } else if reference
        .classes
        .has(WordClass::CameoReligion, &seg.to_lowercase())
    {
        Some(("REL".to_string(), false))
    } else {
        None
    }
}

/// Whether `code` is a country or region code of `reference`.
pub fn known_place(code: &str, reference: &Dictionaries) -> bool {
    reference
        .countries
        .iter()
        .chain(&reference.regions)
        .any(|c| c.code == code)
}

/// Reads the inside of a code bracket: `USAGOV`, `USAGOV >20130201`, `IGOUNO
/// 611130-711231`. Restrictions: `>D` from D, `<D` until D, `D1-D2` between, the
/// limits included (annalist's end is exclusive: one day is added).
pub fn role(inner: &str, reference: &Dictionaries) -> Result<Role, String> {
    let mut parts = inner.split_whitespace();
    let raw = parts.next().ok_or("empty code `[]`")?;
    let mut restriction = parts.next().map(str::to_string);
    // `> 140608`: a blank after the comparison sign.
    if let Some(r) = restriction.as_mut().filter(|r| *r == ">" || *r == "<") {
        r.push_str(parts.next().unwrap_or(""));
    }
    if let Some(extra) = parts.next() {
        return Err(format!("unexpected {extra:?} after the date restriction"));
    }
    let code = raw.to_ascii_uppercase();
    if code.chars().all(|c| c == '-') {
        return Err("null code `---`: no actor".into());
    }
    if code.len() < 3 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!("bad actor code {raw:?}"));
    }
    let first = &code[..3];
    let org_class = ORG_CODES.contains(&first);
    if !org_class && !known_place(first, reference) {
        return Err(format!(
            "unknown country or region code {first:?} in {raw:?} (not in countries.txt or regions.txt)"
        ));
    }
    let segs: Vec<&str> = (3..code.len())
        .step_by(3)
        .map(|i| &code[i..(i + 3).min(code.len())])
        .collect();
    let mut dropped = Vec::new();
    let mut org = None;
    let mut rest: &[&str] = &segs;
    if org_class {
        if let Some((o, r)) = segs.split_first() {
            if o.len() == 3 {
                org = Some(o.to_string());
                rest = r;
            }
        }
    }
    let mut sector = None;
    for s in rest {
        match (sector.is_none(), sector_of(s, reference)) {
            (true, Some((sec, exact))) => {
                if !exact {
                    dropped.push(format!("religion {s} coded as sector REL"));
                }
                sector = Some(sec);
            }
            _ => dropped.push(format!("role letters {s} dropped")),
        }
    }
    let mut r = Role {
        code: first.to_string(),
        org,
        sector,
        from: None,
        to: None,
        dated: false,
        dropped,
    };
    if let Some(res) = restriction.as_deref() {
        let bad = || format!("bad date restriction {res:?} (dates are YYYYMMDD or YYMMDD)");
        let next = |d: NaiveDate| d.succ_opt().ok_or_else(bad);
        r.dated = true;
        if let Some(d) = res.strip_prefix('>') {
            r.from = Some(date(d).ok_or_else(bad)?);
        } else if let Some(d) = res.strip_prefix('<') {
            r.to = Some(next(date(d).ok_or_else(bad)?)?);
        } else if let Some((a, b)) = res.split_once('-') {
            let (a, b) = (date(a).ok_or_else(bad)?, date(b).ok_or_else(bad)?);
            if a > b {
                return Err(format!("date range {res:?} ends before it starts"));
            }
            r.from = Some(a);
            r.to = Some(next(b)?);
        } else {
            return Err(bad());
        }
    }
    Ok(r)
}

/// The regular plural PETRARCH generates for a phrase's last word (agents, synonym
/// sets): `-S`, `-IES` after a consonant and `Y`, `-ES` after `S`, `X`, `CH`, `SH`.
pub fn plural(phrase: &str) -> String {
    let upper = phrase.to_uppercase();
    let ends = |s: &str| upper.ends_with(s);
    if ends("SS") || ends("X") || ends("CH") || ends("SH") {
        format!("{phrase}es")
    } else if ends("Y")
        && !upper
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|c| "AEIOU".contains(c))
    {
        format!("{}ies", &phrase[..phrase.len() - 1])
    } else {
        format!("{phrase}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> Dictionaries {
        Dictionaries::embedded()
    }

    #[test]
    fn names_keep_acronyms_initials_and_particles() {
        let r = reference();
        assert_eq!(name("UNITED_NATIONS_", &r), "United Nations");
        assert_eq!(name("U.N._", &r), "U.N.");
        assert_eq!(name("OSAMA_BIN_LADEN", &r), "Osama bin Laden");
        assert_eq!(name("SPLM", &r), "SPLM");
        assert_eq!(
            name("VIRGILIO_ FONTES_PEREIRA_", &r),
            "Virgilio Fontes Pereira"
        );
        assert_eq!(
            name("Albanian leader Ibrahim", &r),
            "Albanian leader Ibrahim"
        );
        assert_eq!(name("BAN_KI-MOON", &r), "Ban Ki-moon");
        assert_eq!(name("UN_", &r), "UN");
        assert_eq!(
            name("UNITED_NATIONS_COMMISSION_FOR_HUMAN_RIGHTS", &r),
            "United Nations Commission for Human Rights"
        );
    }

    #[test]
    fn six_digit_years_pivot_at_1930() {
        assert_eq!(date("070723"), NaiveDate::from_ymd_opt(2007, 7, 23));
        assert_eq!(date("320101"), NaiveDate::from_ymd_opt(1932, 1, 1));
        assert_eq!(date("19270101"), NaiveDate::from_ymd_opt(1927, 1, 1));
        assert_eq!(date("2004017"), None);
        assert_eq!(date("991301"), None);
    }

    #[test]
    fn codes_split_into_country_org_and_sector() {
        let r = reference();
        let x = role("AZEGOVBUS 030101-051031", &r).unwrap();
        assert_eq!((x.code.as_str(), x.sector.as_deref()), ("AZE", Some("GOV")));
        assert_eq!(x.from, NaiveDate::from_ymd_opt(2003, 1, 1));
        assert_eq!(x.to, NaiveDate::from_ymd_opt(2005, 11, 1), "end included");
        assert_eq!(x.dropped, ["role letters BUS dropped"]);
        let x = role("IGOUNOREFHCR", &r).unwrap();
        assert_eq!(x.org.as_deref(), Some("UNO"));
        assert_eq!(x.sector.as_deref(), Some("REF"));
        let x = role("usagov >20170120", &r).unwrap();
        assert_eq!(x.people_role(), "USA GOV 2017-01-20..");
        assert!(role("XYZGOV", &r).unwrap_err().contains("unknown country"));
        assert!(role("---", &r).unwrap_err().contains("null code"));
        assert!(role("USAGOV 2004017-20061201", &r).is_err());
        assert!(role("USAGOV 20100101-20090101", &r)
            .unwrap_err()
            .contains("ends before"));
    }

    #[test]
    fn plurals() {
        assert_eq!(plural("army"), "armies");
        assert_eq!(plural("attorney"), "attorneys");
        assert_eq!(plural("boss"), "bosses");
        assert_eq!(plural("farmer"), "farmers");
    }
}
