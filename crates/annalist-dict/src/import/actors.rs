//! Actor and agent files of PETRARCH/TABARI.
//!
//! An actor file is a series of records: a primary phrase, then `+` synonym lines, then
//! code lines (`[CODE]` or `[CODE DATE-RESTRICTION]`, usually tab-indented); codes may
//! also stand on the primary or a synonym line, several to a line. A record ends where
//! the next primary phrase begins, so a synonym belongs to the record above it even
//! when the codes come after it. Phrases join words with `_` or blanks. `#` and `;`
//! start comments; lines starting with `<` are markup.
//!
//! ```text
//! ABDUL_QADIR_  # CountryInfo.txt          primary phrase
//! +NUR_TARAKI_                             synonym
//!     [AFGELI 620101-780427]               dated role (limits included)
//!     [AFGELI]                             default role
//! UN_ [IGOUNO]                             code on the primary line
//! ```
//! A record with a dated role becomes a person (`people/`); one with a single undated
//! code becomes a state name (`countries/`, `regions/`: a country code alone), an
//! organisation (`organisations/`: `IGOUNO…`) or a named group (`groups/`: country and
//! sector).
//!
//! An agent file has one entry a line: `PHRASE {PLURAL} [~CODE]` (`{}`: no plural,
//! none given: the regular one), `[CODE~]` for organisation classes, and `!NAME! = A,
//! B` substitution sets used inside phrases (`CONGRESS!PERSON!`).
use super::names::{self, Role};
use super::{FileReport, Outputs, Seen};
use crate::actors::SECTORS;
use crate::Dictionaries;
use std::collections::HashMap;

/// The content of a line: without comments (`#`, `;`), trimmed.
fn content(raw: &str) -> &str {
    raw.split(['#', ';']).next().unwrap_or("").trim()
}

/// Splits `text` into the phrase part and the bracketed codes: `(phrase, [(inner)],
/// trailing text)`. A bracket closed by `}` is accepted (a common typo) with a note.
fn split_codes(text: &str) -> (&str, Vec<&str>, Vec<String>) {
    let Some(k) = text.find('[') else {
        return (text, Vec::new(), Vec::new());
    };
    let (phrase, mut rest) = text.split_at(k);
    let mut codes = Vec::new();
    let mut notes = Vec::new();
    while let Some(open) = rest.find('[') {
        let junk = rest[..open].trim();
        if !junk.is_empty() {
            notes.push(format!("text between codes ignored: {junk:?}"));
        }
        let after = &rest[open + 1..];
        let close = after.find([']', '}']).unwrap_or(after.len());
        if after[close..].starts_with('}') {
            notes.push("code bracket closed by `}`".to_string());
        }
        codes.push(after[..close].trim());
        rest = after.get(close + 1..).unwrap_or("");
    }
    let junk = rest.trim();
    if !junk.is_empty() {
        notes.push(format!("text after the codes ignored: {junk:?}"));
    }
    (phrase, codes, notes)
}

/// The phrases of a primary or synonym line: a `+` after a blank or next to `_` starts
/// another synonym ("+TAIOAN_ +TAWIAN_"); a `+` inside a word is part of it ("B+H").
fn phrases(text: &str) -> Vec<String> {
    let spaced = text.replace("_+", " +").replace("+_", " +");
    let mut out: Vec<String> = Vec::new();
    for tok in spaced.split_whitespace() {
        match tok.strip_prefix('+') {
            Some(t) => out.push(t.to_string()),
            None => match out.last_mut() {
                Some(last) => {
                    last.push(' ');
                    last.push_str(tok);
                }
                None => out.push(tok.to_string()),
            },
        }
    }
    out.retain(|p| !names::words(p).is_empty());
    out
}

/// `p` without its `(…)` parts; the inside when nothing else is left.
fn strip_brackets(p: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in p.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    if names::words(&out).is_empty() {
        p.replace(['(', ')'], " ")
    } else {
        out
    }
}

struct Record {
    /// (line, phrase as written)
    names: Vec<(usize, String)>,
    /// (line, code as written)
    codes: Vec<(usize, String)>,
}

/// Imports an actors file.
pub(crate) fn import_actors(
    file: &str,
    text: &str,
    reference: &Dictionaries,
    seen: &mut Seen,
    report: &mut FileReport,
    out: &mut Outputs,
) {
    let mut current: Option<Record> = None;
    // The previous line belonged to the current record (no blank or comment between).
    let mut adjacent = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = content(raw);
        if line.is_empty() || line.starts_with('<') {
            adjacent = false;
            continue;
        }
        let (phrase_part, codes, notes) = split_codes(line);
        for note in notes {
            report.note(n, note);
        }
        let is_synonym = phrase_part.starts_with('+');
        // A primary phrase starts a record, except right after a record that has no
        // code yet: consecutive primaries share the codes below them ("IVO_JOSIPOVIC_",
        // "PRESIDENT_JOSIPOVIC_", then the code lines).
        let joins = adjacent && current.as_ref().is_some_and(|r| r.codes.is_empty());
        adjacent = true;
        if !is_synonym && !phrase_part.trim().is_empty() && !joins {
            if let Some(r) = current.take() {
                finish(file, r, reference, seen, report, out);
            }
            current = Some(Record {
                names: Vec::new(),
                codes: Vec::new(),
            });
        }
        let Some(rec) = current.as_mut() else {
            report.report(
                n,
                if is_synonym {
                    "synonym with no entry above it"
                } else {
                    "codes with no entry above them"
                },
            );
            continue;
        };
        for p in phrases(phrase_part.trim()) {
            rec.names.push((n, p));
        }
        for c in codes {
            rec.codes.push((n, c.to_string()));
        }
    }
    if let Some(r) = current.take() {
        finish(file, r, reference, seen, report, out);
    }
}

/// Converts one record and writes it where it belongs.
fn finish(
    file: &str,
    rec: Record,
    reference: &Dictionaries,
    seen: &mut Seen,
    report: &mut FileReport,
    out: &mut Outputs,
) {
    let first = rec.names.first().map(|(l, _)| *l).unwrap_or(0);
    let head = rec
        .names
        .first()
        .map(|(_, p)| p.clone())
        .unwrap_or_default();
    // Codes → roles; a bad code is reported on its line.
    let mut roles: Vec<(usize, Role)> = Vec::new();
    for (l, c) in &rec.codes {
        match names::role(c, reference) {
            Ok(r) => roles.push((*l, r)),
            Err(e) => report.report(*l, format!("[{c}]: {e}")),
        }
    }
    let every_line = |report: &mut FileReport, why: &str| {
        for (l, _) in &rec.names {
            report.report(*l, why.to_string());
        }
        for (l, _) in &rec.codes {
            report.report(*l, why.to_string());
        }
    };
    if roles.is_empty() {
        let why = if rec.codes.is_empty() {
            format!("{head:?} has no code (none on its line or on the lines after it)")
        } else {
            format!("{head:?} has no usable code")
        };
        every_line(report, &why);
        return;
    }
    // Names: converted, checked, de-duplicated within the record.
    let mut names: Vec<(usize, String)> = Vec::new();
    for (l, p) in &rec.names {
        if p.contains(['[', ']', '{', '}', '|', ';']) {
            report.report(*l, format!("stray bracket or bar in the phrase {p:?}"));
            continue;
        }
        // "CONGO_(DRC)", "SAMOA_(AMERICAN)": the bracketed part disambiguates for
        // PETRARCH's readers; in text it is rarely written so.
        let bare = strip_brackets(p);
        if bare != *p {
            report.approximate(*l, format!("{p:?}: the part in brackets is dropped"));
        }
        let nm = names::name(&bare, reference);
        if nm.is_empty() {
            report.report(*l, format!("no words in the phrase {p:?}"));
            continue;
        }
        if names
            .iter()
            .any(|(_, x)| x.to_lowercase() == nm.to_lowercase())
        {
            report.converted(*l); // the same name again (another spelling of `_`)
            continue;
        }
        names.push((*l, nm));
    }
    let person = roles.iter().any(|(_, r)| r.dated);
    if person {
        finish_person(file, first, names, roles, report, out);
        return;
    }
    // A named actor: the first code; names already taken by earlier entries are dropped.
    let (code_line, role) = roles[0].clone();
    for (l, r) in roles.iter().skip(1) {
        report.approximate(
            *l,
            format!(
                "a second undated code [{}] for the same entry is dropped",
                r.people_role()
            ),
        );
    }
    let here = format!("{file}:{first}");
    let target = format!(
        "{}{}{}",
        role.code,
        role.org
            .as_deref()
            .map(|o| format!(" {o}"))
            .unwrap_or_default(),
        role.sector
            .as_deref()
            .map(|s| format!(" {s}"))
            .unwrap_or_default()
    );
    let mut kept = Vec::new();
    for (l, nm) in names {
        match seen.named.get(&nm.to_lowercase()) {
            // The same name for the same actor again: nothing is lost.
            Some((at, t)) if *t == target => {
                report.converted(l);
                report.note(l, format!("{nm:?} is also given at {at}"));
            }
            Some((at, t)) => report.report(
                l,
                format!("{nm:?} already names the entry at {at} ({t}; first wins)"),
            ),
            None => {
                seen.named
                    .insert(nm.to_lowercase(), (here.clone(), target.clone()));
                kept.push((l, nm));
            }
        }
    }
    if kept.is_empty() {
        if rec
            .names
            .iter()
            .any(|(l, _)| report.outcome(*l) != super::Outcome::Reported)
        {
            for (l, _) in &rec.codes {
                report.converted(*l);
            }
        } else {
            every_line(
                report,
                "every name of this entry is taken by an earlier entry",
            );
        }
        return;
    }
    let region = reference.regions.iter().any(|c| c.code == role.code);
    let org_class = crate::actors::ORG_CODES.contains(&role.code.as_str());
    let list = kept
        .iter()
        .map(|(_, n)| n.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let (kind, line) = match (&role.org, &role.sector) {
        (Some(org), sector) => (
            "organisations",
            format!(
                "{} {org}{} | {list}",
                role.code,
                sector
                    .as_deref()
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default()
            ),
        ),
        (None, Some(sector)) => ("groups", format!("{} {sector} | {list}", role.code)),
        (None, None) if org_class => {
            // A bare organisation class ("[NGO]"): a group of that class.
            let sector = match role.code.as_str() {
                "IGO" | "NGO" => role.code.as_str(),
                "IMG" => "UAF",
                _ => "BUS",
            };
            report.approximate(
                code_line,
                format!("bare [{}] is coded as sector {sector}", role.code),
            );
            ("groups", format!("{} {sector} | {list}", role.code))
        }
        (None, None) => (
            if region { "regions" } else { "countries" },
            format!("{} | {list} | |", role.code),
        ),
    };
    out.push(kind, format!("{line}    # {here}"));
    for (l, _) in &kept {
        report.converted(*l);
    }
    report.converted(code_line);
    for d in &role.dropped {
        report.approximate(code_line, d.clone());
    }
}

/// A record with dated roles: a person of `people/`. annalist keeps one default role
/// and holds one country at a time: a later default, or a dated role overlapping an
/// earlier one of another country, is dropped with a note.
fn finish_person(
    file: &str,
    first: usize,
    names: Vec<(usize, String)>,
    roles: Vec<(usize, Role)>,
    report: &mut FileReport,
    out: &mut Outputs,
) {
    let mut kept: Vec<(usize, Role)> = Vec::new();
    let mut default: Option<(usize, Role)> = None;
    for (l, r) in roles {
        if !r.dated {
            match &default {
                None => default = Some((l, r)),
                Some((dl, _)) => report.approximate(
                    l,
                    format!(
                        "a second default role [{}] is dropped (line {dl} gives one)",
                        r.people_role()
                    ),
                ),
            }
            continue;
        }
        // TABARI limits are inclusive: a role that begins on the day another ends
        // (`[USAGOV 981022-010811] [IGOUNO >010811]`) shares that day only through the
        // conversion; the earlier role then ends where the later begins.
        for (_, k) in kept.iter_mut() {
            if k.code != r.code && k.overlaps(&r) {
                let day = |d: Option<chrono::NaiveDate>| d.and_then(|d| d.succ_opt());
                if r.from.is_some() && k.to == day(r.from) {
                    k.to = r.from;
                }
            }
        }
        if let Some((kl, k)) = kept
            .iter()
            .find(|(_, k)| k.code != r.code && k.overlaps(&r))
        {
            report.approximate(
                l,
                format!(
                    "role [{}] overlaps the {} role of line {kl}: annalist holds one country at a time; dropped",
                    r.people_role(),
                    k.code
                ),
            );
            continue;
        }
        kept.push((l, r));
    }
    kept.extend(default);
    let mut list: Vec<String> = Vec::new();
    for (l, r) in &kept {
        report.converted(*l);
        if let Some(org) = &r.org {
            report.approximate(*l, format!("organisation {org} of a person's role dropped"));
        }
        for d in &r.dropped {
            report.approximate(*l, d.clone());
        }
        list.push(r.people_role());
    }
    let name_list = names
        .iter()
        .map(|(_, n)| n.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    for (l, _) in &names {
        report.converted(*l);
    }
    out.push(
        "people",
        format!("{name_list} | {}    # {file}:{first}", list.join("; ")),
    );
}

/// Imports an agents file.
pub(crate) fn import_agents(
    file: &str,
    text: &str,
    reference: &Dictionaries,
    seen: &mut Seen,
    report: &mut FileReport,
    out: &mut Outputs,
) {
    let mut subst: HashMap<String, Vec<String>> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('<') {
            continue;
        }
        // `!PERSON! = MAN, MEN, WOMAN`: a substitution set.
        if let Some((name, list)) = line.split_once('=') {
            let name = name.trim();
            if name.len() > 2 && name.starts_with('!') && name.ends_with('!') {
                let items: Vec<String> = list
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                if items.is_empty() {
                    report.report(n, format!("substitution set {name} is empty"));
                } else {
                    subst.insert(name.to_string(), items);
                    report.converted(n);
                }
                continue;
            }
        }
        let (head, codes, notes) = split_codes(line);
        let Some(code) = codes.first() else {
            report.report(n, "no agent code `[~CODE]`");
            continue;
        };
        if codes.len() > 1 {
            report.report(n, "more than one agent code");
            continue;
        }
        for note in notes {
            report.approximate(n, note);
        }
        // The code: `~SECTOR…` (added after the actor) or `CLASS~` (before it).
        let sector = if let Some(c) = code.strip_prefix('~') {
            let c = c.trim().to_ascii_uppercase();
            let first = c.get(..3).unwrap_or(&c);
            match names::sector_of(first, reference) {
                Some((s, exact)) => {
                    if !exact {
                        report.approximate(n, format!("religion {first} coded as sector REL"));
                    }
                    if c.len() > 3 {
                        report.approximate(n, format!("role letters {} dropped", &c[3..]));
                    }
                    s
                }
                None => {
                    report.report(n, format!("unknown agent code {c:?}"));
                    continue;
                }
            }
        } else if let Some(c) = code.strip_suffix('~') {
            let c = c.trim().to_ascii_uppercase();
            if SECTORS.contains(&c.as_str()) {
                c
            } else {
                report.report(n, format!("unknown agent class {c:?}"));
                continue;
            }
        } else {
            report.report(
                n,
                format!("agent code {code:?} has no `~` (`[~SECTOR]` or `[CLASS~]`)"),
            );
            continue;
        };
        // The phrase and its plural.
        let (phrase, plural) = match head.find('{') {
            Some(k) => {
                let inner = head[k + 1..].split('}').next().unwrap_or("").trim();
                (head[..k].trim(), Some(inner))
            }
            None => (head.trim(), None),
        };
        if phrase.is_empty() {
            report.report(n, "no phrase before the code");
            continue;
        }
        if phrase.contains(char::is_whitespace) {
            report.approximate(
                n,
                "words separated by a blank may have other words between them in PETRARCH; annalist matches them next to each other",
            );
        }
        let mut forms: Vec<String> = Vec::new();
        match expand(phrase, &subst) {
            Ok(v) => {
                let substituted = v.len() > 1 || phrase.contains('!');
                for f in v {
                    forms.push(f.clone());
                    match plural {
                        Some(p) if !p.is_empty() => {}
                        Some(_) => {}
                        None if !substituted => forms.push(names::plural(&f)),
                        None => {}
                    }
                }
                if let Some(p) = plural.filter(|p| !p.is_empty()) {
                    match expand(p, &subst) {
                        Ok(v) => forms.extend(v),
                        Err(e) => {
                            report.report(n, e);
                            continue;
                        }
                    }
                }
            }
            Err(e) => {
                report.report(n, e);
                continue;
            }
        }
        let mut kept = Vec::new();
        let mut taken = Vec::new();
        for f in forms {
            let p = names::words(&f).join(" ").to_lowercase();
            if p.is_empty() || kept.contains(&p) {
                continue;
            }
            match seen.agents.get(&p) {
                Some(at) => taken.push(format!("{p:?} (already defined at {at})")),
                None => {
                    seen.agents.insert(p.clone(), format!("{file}:{n}"));
                    kept.push(p);
                }
            }
        }
        if kept.is_empty() {
            report.report(n, format!("every form is taken: {}", taken.join(", ")));
            continue;
        }
        if !taken.is_empty() {
            report.note(n, format!("forms taken earlier: {}", taken.join(", ")));
        }
        out.push(
            "agents",
            format!("{sector} | {}    # {file}:{n}", kept.join("; ")),
        );
        report.converted(n);
    }
}

/// Replaces every `!NAME!` of `phrase` by each item of its set.
fn expand(phrase: &str, subst: &HashMap<String, Vec<String>>) -> Result<Vec<String>, String> {
    let Some(a) = phrase.find('!') else {
        return Ok(vec![phrase.to_string()]);
    };
    let Some(len) = phrase[a + 1..].find('!') else {
        return Err(format!("unclosed substitution marker in {phrase:?}"));
    };
    let marker = &phrase[a..a + len + 2];
    let items = subst
        .get(marker)
        .ok_or_else(|| format!("substitution set {marker} is not defined above"))?;
    let mut out = Vec::new();
    for it in items {
        let p = format!("{}{it}{}", &phrase[..a], &phrase[a + len + 2..]);
        out.extend(expand(&p, subst)?);
    }
    Ok(out)
}
