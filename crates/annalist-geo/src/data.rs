//! The gazetteer's data: places, their ids, the name key ([`normalize`]) and the parsing
//! of `gazetteer/*.tsv` into places and a name index ([`parse_files`]). Shared with the
//! build script, which compiles the embedded file with this very code (`compiled.rs`).
use std::collections::HashMap;
use std::fmt;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// What a place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A country or territory with an ISO 3166 code.
    Country,
    /// A first-level administrative region: state, province, oblast, governorate.
    Admin1,
    /// A populated place (city, town, district of a city).
    City,
}

impl Kind {
    /// The name used in the data files and in output: `country`, `admin1`, `city`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Country => "country",
            Kind::Admin1 => "admin1",
            Kind::City => "city",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        match s {
            "country" => Some(Kind::Country),
            "admin1" => Some(Kind::Admin1),
            "city" => Some(Kind::City),
            _ => None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// GeoNames id; 0 for regions (the sources give them none).
    pub id: u32,
    /// The place's own name, as GeoNames writes it ("Kyiv", "Sindh", "Ivory Coast").
    pub name: String,
    pub kind: Kind,
    /// ISO 3166-1 alpha-3 code of the country (Kosovo `XKX`).
    pub country: String,
    /// The first-level region a city lies in, if known; `None` for countries and regions.
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
}

/// Index of a place in its [`Gazetteer`]; valid only for that gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaceId(pub u32);

/// One bad line of a gazetteer file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

/// What the data files say: places in file order, the name index (keys [`normalize`]d,
/// ids most populous first, then in file order), countries by ISO3 code, and the
/// longest key in words.
#[derive(Debug, Default)]
pub struct Parsed {
    pub places: Vec<Place>,
    pub index: HashMap<Box<str>, Vec<PlaceId>>,
    pub countries: HashMap<String, PlaceId>,
    pub max_words: usize,
}

/// "Western Darfur" → "West Darfur", "Northern Darfur State" → "North Darfur State":
/// news names a region after a compass point by the noun more often than GeoNames
/// does by the adjective.
fn compass_short(name: &str) -> Option<String> {
    [
        ("Western ", "West "),
        ("Northern ", "North "),
        ("Eastern ", "East "),
        ("Southern ", "South "),
    ]
    .iter()
    .find_map(|(long, short)| name.strip_prefix(long).map(|rest| format!("{short}{rest}")))
}

/// "South-West Region" → "Southwest Region", "North West" → "Northwest": an
/// intercardinal direction written as two words is also written as one.
fn compass_joined(name: &str) -> Option<String> {
    ["North", "South"].iter().find_map(|a| {
        let rest = name.strip_prefix(a)?;
        let rest = rest.strip_prefix('-').or_else(|| rest.strip_prefix(' '))?;
        ["East", "West", "east", "west"].iter().find_map(|b| {
            let tail = rest.strip_prefix(b)?;
            (tail.is_empty() || tail.starts_with(' '))
                .then(|| format!("{a}{}{tail}", b.to_lowercase()))
        })
    })
}

/// The compass points, in both forms, and the French ones of central Africa ("Nord
/// Kivu"), that name the parts of a region split into provinces.
const COMPASS_PREFIXES: &[&str] = &[
    "North ",
    "South ",
    "East ",
    "West ",
    "Central ",
    "Northern ",
    "Southern ",
    "Eastern ",
    "Western ",
    "Nord ",
    "Sud ",
    "Nord-",
    "Sud-",
];

/// "Northern Darfur" → "Darfur", "Nord Kivu" → "Kivu": the name of a first-level
/// region without its compass point (and a trailing "State"/"Province"/"Region").
fn compass_base(name: &str) -> Option<&str> {
    let rest = COMPASS_PREFIXES.iter().find_map(|p| name.strip_prefix(p))?;
    let rest = [" State", " Province", " Region", " Governorate"]
        .iter()
        .find_map(|s| rest.strip_suffix(s))
        .unwrap_or(rest);
    (rest.len() > 2 && rest.starts_with(char::is_uppercase) && !GENERIC_PARTS.contains(&rest))
        .then_some(rest)
}

/// Words that name the kind of a first-level region, or a landform, not a region:
/// "Northern Province", "Central District", "Eastern Highlands", "Western Cape".
const GENERIC_PARTS: &[&str] = &[
    "Province",
    "District",
    "Region",
    "State",
    "Governorate",
    "Division",
    "Department",
    "Territory",
    "Aimak",
    "Highlands",
    "Lowlands",
    "Cape",
    "Coast",
    "Islands",
    "East",
    "West",
];

/// Split regions whose whole is not one country's: the Aegean (a sea Greece shares
/// with Turkey), Karelia (Finland's two and Russia's republic).
const SHARED_WHOLES: &[&str] = &["Aegean", "Karelia"];

/// "Darfur", "Kivu", "Kordofan", "Sinai", "Java": a region the news names as one but that
/// is split into first-level regions after the compass (at least two of one country),
/// and that no place of the files is called, becomes a place of its own: kind admin1,
/// id 0, at the mean position of its parts, with their summed population.
fn derive_split_regions(g: &mut Parsed) {
    let mut groups: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, p) in g.places.iter().enumerate() {
        if p.kind == Kind::Admin1 {
            if let Some(base) = compass_base(&p.name) {
                groups
                    .entry((p.country.clone(), base.to_string()))
                    .or_default()
                    .push(i);
            }
        }
    }
    let mut groups: Vec<_> = groups.into_iter().filter(|(_, v)| v.len() >= 2).collect();
    groups.sort();
    for ((country, base), parts) in groups {
        let key = normalize(&base);
        if key.is_empty()
            || g.index.contains_key(key.as_str())
            || SHARED_WHOLES.contains(&base.as_str())
        {
            continue;
        }
        let n = parts.len() as f64;
        let place = Place {
            id: 0,
            name: base,
            kind: Kind::Admin1,
            country,
            admin1: None,
            lat: parts.iter().map(|&i| g.places[i].lat).sum::<f64>() / n,
            lon: parts.iter().map(|&i| g.places[i].lon).sum::<f64>() / n,
            population: parts.iter().map(|&i| g.places[i].population).sum(),
        };
        let id = PlaceId(g.places.len() as u32);
        g.places.push(place);
        g.index.insert(key.into_boxed_str(), vec![id]);
    }
}

/// Parses `(path, contents)` files in order; every bad line is reported.
pub fn parse_files(files: &[(String, &str)]) -> Result<Parsed, Vec<LineError>> {
    let mut g = Parsed::default();
    let mut errors = Vec::new();
    let mut origins: Vec<(usize, usize)> = Vec::new();
    for (fi, (path, text)) in files.iter().enumerate() {
        for (li, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_line(line) {
                Ok((place, alternates)) => {
                    let id = PlaceId(g.places.len() as u32);
                    if place.kind == Kind::Country {
                        g.countries.insert(place.country.clone(), id);
                    }
                    let names: Vec<&str> = std::iter::once(place.name.as_str())
                        .chain(alternates)
                        .collect();
                    let derived: Vec<String> = if place.kind == Kind::Admin1 {
                        names
                            .iter()
                            .flat_map(|n| compass_short(n).into_iter().chain(compass_joined(n)))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    for name in names.into_iter().chain(derived.iter().map(String::as_str)) {
                        let k = normalize(name);
                        if k.is_empty() {
                            continue;
                        }
                        let ids = g.index.entry(k.into_boxed_str()).or_default();
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                    g.places.push(place);
                    origins.push((fi, li + 1));
                }
                Err(message) => errors.push(LineError {
                    path: path.clone(),
                    line: li + 1,
                    message,
                }),
            }
        }
    }
    for (place, &(fi, line)) in g.places.iter().zip(&origins) {
        if !g.countries.contains_key(&place.country) {
            errors.push(LineError {
                path: files[fi].0.clone(),
                line,
                message: format!("unknown country code {:?}", place.country),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    derive_split_regions(&mut g);
    let places = &g.places;
    for (k, ids) in g.index.iter_mut() {
        g.max_words = g.max_words.max(k.split(' ').count());
        ids.sort_by_key(|id| std::cmp::Reverse(places[id.0 as usize].population));
        ids.shrink_to_fit();
    }
    Ok(g)
}

/// The lookup key of a name: lower case, diacritics folded (ł, ø, ß, æ too),
/// apostrophes and dots dropped, hyphens and runs of spaces as one space.
/// `normalize("Khar’kov") == "kharkov"`, `normalize("Ivano-Frankivsk") == "ivano frankivsk"`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = true;
    let mut push = |c: char, out: &mut String| {
        if c == ' ' {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.extend(c.to_lowercase());
            space = false;
        }
    };
    for c in name.chars() {
        match c {
            '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´' | 'ʹ' | '.' => {}
            '-' | '‐' | '‑' | '–' | '—' => push(' ', &mut out),
            c if c.is_whitespace() => push(' ', &mut out),
            c if c.is_ascii() => push(c, &mut out),
            c => {
                if let Some(s) = fold_special(c) {
                    s.chars().for_each(|x| push(x, &mut out));
                } else {
                    for d in std::iter::once(c).nfd() {
                        if !is_combining_mark(d) {
                            push(d, &mut out);
                        }
                    }
                }
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Letters that canonical decomposition leaves alone.
fn fold_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ł' | 'Ł' => "l",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ı' => "i",
        'þ' | 'Þ' => "th",
        'ħ' | 'Ħ' => "h",
        _ => return None,
    })
}

/// One data line: `geonameid name kind country admin1 lat lon population alternates`.
fn parse_line(line: &str) -> Result<(Place, Vec<&str>), String> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() != 9 {
        return Err(format!(
            "expected 9 tab-separated fields, found {}",
            f.len()
        ));
    }
    let id = match f[0].trim() {
        "" | "-" => 0,
        s => s
            .parse::<u32>()
            .map_err(|_| format!("geonameid {s:?} is not a number"))?,
    };
    let name = f[1].trim();
    if name.is_empty() {
        return Err("empty name".into());
    }
    let kind = Kind::parse(f[2].trim())
        .ok_or_else(|| format!("kind {:?}: expected country, admin1 or city", f[2]))?;
    let country = f[3].trim();
    if country.len() != 3 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!(
            "country {country:?}: expected an ISO 3166 alpha-3 code"
        ));
    }
    let admin1 = Some(f[4].trim()).filter(|a| !a.is_empty());
    if admin1.is_some() && kind != Kind::City {
        return Err(format!("admin1 {:?} on a {kind}", f[4]));
    }
    let lat: f64 = f[5]
        .trim()
        .parse()
        .map_err(|_| format!("latitude {:?} is not a number", f[5]))?;
    let lon: f64 = f[6]
        .trim()
        .parse()
        .map_err(|_| format!("longitude {:?} is not a number", f[6]))?;
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} out of range"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} out of range"));
    }
    let population: u64 = f[7]
        .trim()
        .parse()
        .map_err(|_| format!("population {:?} is not a number", f[7]))?;
    let alternates: Vec<&str> = f[8]
        .split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    Ok((
        Place {
            id,
            name: name.to_string(),
            kind,
            country: country.to_string(),
            admin1: admin1.map(str::to_string),
            lat,
            lon,
            population,
        },
        alternates,
    ))
}
