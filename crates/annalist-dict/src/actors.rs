//! Actor dictionaries: countries and regions, organisations, named groups, people with
//! dated roles, and agents (generic words that give a sector).
use crate::format::{content_lines, fields, is_code, items, DictError, Origin};
use chrono::NaiveDate;

/// The CAMEO/PLOVER sector (agent) codes a dictionary may use.
/// (Their enum is [`crate::Sector`].)
pub const SECTORS: &[&str] = crate::Sector::CODES;

/// Organisation-class codes allowed in place of a country code.
pub const ORG_CODES: &[&str] = &["IGO", "NGO", "BUS", "MNC", "IMG"];

/// A phrase that names an actor, with the sector it implies (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub phrase: String,
    pub sector: String,
}

/// A state, territory or (in `regions.txt`) a region or bloc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub code: String,
    pub names: Vec<String>,
    pub adjectives: Vec<String>,
    pub seats: Vec<Seat>,
    pub origin: Origin,
}

/// An international or non-governmental organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub code: String,
    pub org: String,
    pub sector: Option<String>,
    pub names: Vec<String>,
    pub origin: Origin,
}

/// A named national actor that is not a state (armed group, party, agency, medium).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub code: String,
    pub sector: String,
    pub names: Vec<String>,
    pub origin: Origin,
}

/// One role a person held: `code sector from..to title`; no dates = the default role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub code: String,
    /// `None` for "country only" (`-` in the file).
    pub sector: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub dated: bool,
    pub title: String,
}

impl Role {
    /// Whether the role was held on `date` (from inclusive, to exclusive).
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.dated && self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date < t)
    }
}

/// A person and the roles they held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub names: Vec<String>,
    pub roles: Vec<Role>,
    pub origin: Origin,
}

impl Person {
    /// The role that applies on `date`: the dated role covering it, else the default
    /// role, else the last dated role's country without a sector. Without a date the
    /// most recent role applies.
    pub fn role_on(&self, date: Option<NaiveDate>) -> Option<Role> {
        if let Some(d) = date {
            if let Some(r) = self.roles.iter().find(|r| r.covers(d)) {
                return Some(r.clone());
            }
            if let Some(r) = self.roles.iter().find(|r| !r.dated) {
                return Some(r.clone());
            }
            return self.roles.last().map(|r| Role {
                sector: None,
                ..r.clone()
            });
        }
        self.roles
            .iter()
            .rev()
            .find(|r| r.dated && r.to.is_none())
            .or_else(|| self.roles.iter().find(|r| !r.dated))
            .or(self.roles.last())
            .cloned()
    }
}

/// A generic word or phrase that gives a sector ("troops" → MIL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    pub phrase: String,
    pub sector: String,
    pub origin: Origin,
}

fn check_sector(path: &str, line: usize, s: &str) -> Result<(), DictError> {
    if crate::Sector::parse(s).is_some() {
        Ok(())
    } else {
        Err(DictError::new(
            path,
            line,
            format!("unknown sector {s:?} (see dictionaries/README.md)"),
        ))
    }
}

fn check_code(path: &str, line: usize, s: &str) -> Result<(), DictError> {
    if is_code(s) {
        Ok(())
    } else {
        Err(DictError::new(
            path,
            line,
            format!("bad actor code {s:?}: expected three capital letters"),
        ))
    }
}

fn names(path: &str, line: usize, field: &str) -> Result<Vec<String>, DictError> {
    let v: Vec<String> = items(field).into_iter().map(str::to_string).collect();
    if v.is_empty() {
        return Err(DictError::new(path, line, "no names given"));
    }
    Ok(v)
}

fn collect<T>(
    text: &str,
    mut f: impl FnMut(usize, &str) -> Result<T, DictError>,
) -> Result<Vec<T>, Vec<DictError>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (n, line) in content_lines(text) {
        match f(n, line) {
            Ok(v) => out.push(v),
            Err(e) => errs.push(e),
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// `CODE | names | adjectives | seats` (countries.txt, regions.txt).
pub fn parse_countries(path: &str, text: &str) -> Result<Vec<Country>, Vec<DictError>> {
    collect(text, |n, line| {
        let f = fields(line);
        if f.len() < 2 || f.len() > 4 {
            return Err(DictError::new(
                path,
                n,
                format!(
                    "expected `CODE | names | adjectives | seats`, found {} fields",
                    f.len()
                ),
            ));
        }
        check_code(path, n, f[0])?;
        let mut seats = Vec::new();
        for item in items(f.get(3).copied().unwrap_or("")) {
            let (phrase, sector) = match item.rsplit_once('=') {
                Some((p, s)) => (p.trim(), s.trim()),
                None => (item, "GOV"),
            };
            check_sector(path, n, sector)?;
            seats.push(Seat {
                phrase: phrase.to_string(),
                sector: sector.to_string(),
            });
        }
        Ok(Country {
            code: f[0].to_string(),
            names: items(f[1]).into_iter().map(str::to_string).collect(),
            adjectives: items(f.get(2).copied().unwrap_or(""))
                .into_iter()
                .map(str::to_string)
                .collect(),
            seats,
            origin: Origin {
                path: path.to_string(),
                line: n,
            },
        })
    })
}

/// `CODE ORG [SECTOR] | names` (organisations.txt).
pub fn parse_organisations(path: &str, text: &str) -> Result<Vec<Organisation>, Vec<DictError>> {
    collect(text, |n, line| {
        let f = fields(line);
        if f.len() != 2 {
            return Err(DictError::new(
                path,
                n,
                "expected `CODE ORG [SECTOR] | names`",
            ));
        }
        let head: Vec<&str> = f[0].split_whitespace().collect();
        if head.len() < 2 || head.len() > 3 {
            return Err(DictError::new(
                path,
                n,
                format!("expected `CODE ORG [SECTOR]`, found {:?}", f[0]),
            ));
        }
        check_code(path, n, head[0])?;
        if !ORG_CODES.contains(&head[0]) {
            return Err(DictError::new(
                path,
                n,
                format!(
                    "organisation code must be one of {ORG_CODES:?}, found {:?}",
                    head[0]
                ),
            ));
        }
        if !head[1]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(DictError::new(
                path,
                n,
                format!(
                    "org short name must be capitals/digits, found {:?}",
                    head[1]
                ),
            ));
        }
        if let Some(s) = head.get(2) {
            check_sector(path, n, s)?;
        }
        Ok(Organisation {
            code: head[0].to_string(),
            org: head[1].to_string(),
            sector: head.get(2).map(|s| s.to_string()),
            names: names(path, n, f[1])?,
            origin: Origin {
                path: path.to_string(),
                line: n,
            },
        })
    })
}

/// `CODE SECTOR | names` (groups.txt).
pub fn parse_groups(path: &str, text: &str) -> Result<Vec<Group>, Vec<DictError>> {
    collect(text, |n, line| {
        let f = fields(line);
        let head: Vec<&str> = f[0].split_whitespace().collect();
        if f.len() != 2 || head.len() != 2 {
            return Err(DictError::new(path, n, "expected `CODE SECTOR | names`"));
        }
        check_code(path, n, head[0])?;
        check_sector(path, n, head[1])?;
        Ok(Group {
            code: head[0].to_string(),
            sector: head[1].to_string(),
            names: names(path, n, f[1])?,
            origin: Origin {
                path: path.to_string(),
                line: n,
            },
        })
    })
}

/// `YYYY-MM-DD`, `YYYY-MM` (first of the month) or `YYYY` (1 January).
pub fn parse_loose_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.split('-');
    let year = parts.next()?;
    let mut num = |default: u32| parts.next().map_or(Some(default), |p| p.parse().ok());
    let (month, day) = (num(1)?, num(1)?);
    if parts.next().is_some() || year.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month, day)
}

fn parse_role(path: &str, n: usize, s: &str) -> Result<Role, DictError> {
    let mut words = s.split_whitespace();
    let code = words
        .next()
        .ok_or_else(|| DictError::new(path, n, "empty role"))?;
    check_code(path, n, code)?;
    let sector = words.next().ok_or_else(|| {
        DictError::new(
            path,
            n,
            format!("role {s:?} has no sector (use `-` for none)"),
        )
    })?;
    let sector = if sector == "-" {
        None
    } else {
        check_sector(path, n, sector)?;
        Some(sector.to_string())
    };
    let mut rest = words.peekable();
    // The title: the remaining words, one space between them.
    let title = |words: &mut dyn Iterator<Item = &str>| {
        let mut t = String::new();
        for w in words {
            if !t.is_empty() {
                t.push(' ');
            }
            t.push_str(w);
        }
        t
    };
    let (dated, from, to, title) = match rest.peek().copied() {
        Some(w) if w.contains("..") => {
            rest.next();
            let (a, b) = w.split_once("..").unwrap();
            let date = |x: &str| -> Result<Option<NaiveDate>, DictError> {
                if x.is_empty() {
                    Ok(None)
                } else {
                    parse_loose_date(x).map(Some).ok_or_else(|| {
                        DictError::new(path, n, format!("bad date {x:?} in role {s:?}"))
                    })
                }
            };
            let (from, to) = (date(a)?, date(b)?);
            if let (Some(f), Some(t)) = (from, to) {
                if f >= t {
                    return Err(DictError::new(
                        path,
                        n,
                        format!("role {s:?} ends before it starts"),
                    ));
                }
            }
            (true, from, to, title(&mut rest))
        }
        _ => (false, None, None, title(&mut rest)),
    };
    Ok(Role {
        code: code.to_string(),
        sector,
        from,
        to,
        dated,
        title,
    })
}

/// `names | role; role; …` (people.txt, people/*.txt).
pub fn parse_people(path: &str, text: &str) -> Result<Vec<Person>, Vec<DictError>> {
    collect(text, |n, line| {
        let f = fields(line);
        if f.len() != 2 {
            return Err(DictError::new(path, n, "expected `names | role; role; …`"));
        }
        let roles = items(f[1])
            .into_iter()
            .map(|r| parse_role(path, n, r))
            .collect::<Result<Vec<_>, _>>()?;
        if roles.is_empty() {
            return Err(DictError::new(path, n, "a person needs at least one role"));
        }
        Ok(Person {
            names: names(path, n, f[0])?,
            roles,
            origin: Origin {
                path: path.to_string(),
                line: n,
            },
        })
    })
}

/// `SECTOR | words` (agents.txt).
pub fn parse_agents(path: &str, text: &str) -> Result<Vec<Agent>, Vec<DictError>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (n, line) in content_lines(text) {
        let f = fields(line);
        if f.len() != 2 {
            errs.push(DictError::new(path, n, "expected `SECTOR | words`"));
            continue;
        }
        if let Err(e) = check_sector(path, n, f[0]) {
            errs.push(e);
            continue;
        }
        for w in items(f[1]) {
            out.push(Agent {
                phrase: w.to_string(),
                sector: f[0].to_string(),
                origin: Origin {
                    path: path.to_string(),
                    line: n,
                },
            });
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_line_with_seat_sectors() {
        let c = parse_countries(
            "c.txt",
            "USA | United States; U.S. | American | Washington; Pentagon=MIL\n",
        )
        .unwrap();
        assert_eq!(
            c[0].seats[1],
            Seat {
                phrase: "Pentagon".into(),
                sector: "MIL".into()
            }
        );
        assert_eq!(c[0].names, vec!["United States", "U.S."]);
    }

    #[test]
    fn bad_sector_names_file_and_line() {
        let e = parse_countries("c.txt", "# x\n\nUSA | US | | Pentagon=XXX\n").unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "c.txt:3: unknown sector \"XXX\" (see dictionaries/README.md)"
        );
    }

    #[test]
    fn person_roles_resolve_by_date() {
        let p = parse_people(
            "p.txt",
            "Donald Trump; Trump | USA GOV 2017-01-20..2021-01-20 president; USA GOV 2025-01-20.. president; USA OPP\n",
        )
        .unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(
            p[0].role_on(d("2018-03-01")).unwrap().sector.as_deref(),
            Some("GOV")
        );
        assert_eq!(
            p[0].role_on(d("2022-06-01")).unwrap().sector.as_deref(),
            Some("OPP")
        );
        assert_eq!(
            p[0].role_on(d("2025-01-20")).unwrap().sector.as_deref(),
            Some("GOV")
        );
        assert_eq!(
            p[0].role_on(d("2021-01-20")).unwrap().sector.as_deref(),
            Some("OPP")
        );
    }

    #[test]
    fn role_titles_keep_their_words() {
        let p = parse_people(
            "p.txt",
            "A B | FRA GOV 2010..2012 prime   minister; FRA OPP  party leader ; FRA -\n",
        )
        .unwrap();
        let titles: Vec<&str> = p[0].roles.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["prime minister", "party leader", ""]);
        assert!(p[0].roles[0].dated && !p[0].roles[1].dated);
        assert_eq!(p[0].roles[2].sector, None);
    }

    #[test]
    fn role_dates_must_be_ordered() {
        let e = parse_people("p.txt", "X Y | FRA GOV 2010..2005 president\n").unwrap_err();
        assert!(e[0].message.contains("ends before it starts"));
    }

    #[test]
    fn loose_dates() {
        assert_eq!(
            parse_loose_date("1999"),
            NaiveDate::from_ymd_opt(1999, 1, 1)
        );
        assert_eq!(
            parse_loose_date("1999-08"),
            NaiveDate::from_ymd_opt(1999, 8, 1)
        );
        assert_eq!(parse_loose_date("1999-02-30"), None);
        assert_eq!(parse_loose_date("99"), None);
        assert_eq!(
            parse_loose_date("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        for bad in [
            "",
            "2024-",
            "2024-1-2-3",
            "20245",
            "2024-x",
            "2024-13",
            "-2024",
        ] {
            assert_eq!(parse_loose_date(bad), None, "{bad:?}");
        }
    }
}
