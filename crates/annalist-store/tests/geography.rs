//! Geography for the exports and the map: the FIPS 10-4 table
//! (`dictionaries/fips10-4.tsv`) against the gazetteer, and GDELT's geography fields of
//! a place per the codebook.
use annalist_store::geography::{FipsTable, Place};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_fips_table_is_valid_and_covers_the_gazetteer() {
    let t = FipsTable::embedded();
    let places =
        std::fs::read_to_string(workspace().join("dictionaries/gazetteer/places.tsv")).unwrap();
    let mut countries = BTreeSet::new();
    let mut regions = BTreeSet::new();
    for line in places.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        match f[2] {
            "country" => {
                countries.insert(f[3].to_string());
            }
            "admin1" => {
                regions.insert((f[3].to_string(), f[1].to_string()));
            }
            _ => {}
        }
    }
    for c in &countries {
        assert!(t.country(c).is_some(), "{c}: no line in fips10-4.tsv");
    }
    let table: BTreeSet<&str> = t.iso3_codes().collect();
    assert_eq!(
        table.len(),
        countries.len(),
        "one line per gazetteer country"
    );
    // Every coded region is a region of the gazetteer (the names join).
    let text = annalist_store::geography::FIPS_TSV;
    let mut coded = 0;
    for line in text.lines().filter(|l| l.starts_with("region\t")) {
        let f: Vec<&str> = line.split('\t').collect();
        assert!(
            regions.contains(&(f[1].to_string(), f[4].to_string())),
            "{line}: no such region in the gazetteer"
        );
        coded += 1;
    }
    assert!(coded > 2000, "{coded} regions coded");
    // Checked by hand against the FIPS 10-4 list (GDELT's country codes): the codes
    // that differ from ISO's are the ones a pipeline would misread.
    for (iso3, fips) in [
        ("UKR", "UP"),
        ("RUS", "RS"),
        ("DEU", "GM"),
        ("GBR", "UK"),
        ("USA", "US"),
        ("CHN", "CH"),
        ("CHE", "SZ"),
        ("AUT", "AU"),
        ("AUS", "AS"),
        ("ISR", "IS"),
        ("IRQ", "IZ"),
        ("SYR", "SY"),
        ("YEM", "YM"),
        ("SDN", "SU"),
        ("SSD", "OD"),
        ("KOR", "KS"),
        ("PRK", "KN"),
        ("JPN", "JA"),
        ("ESP", "SP"),
        ("SRB", "RI"),
        ("XKX", "KV"),
        ("NGA", "NI"),
        ("NER", "NG"),
    ] {
        assert_eq!(
            t.country(iso3).unwrap().fips.as_deref(),
            Some(fips),
            "{iso3}"
        );
    }
    assert_eq!(t.region("UKR", "Kharkiv"), Some("UP07"));
    assert_eq!(t.region("USA", "Texas"), Some("USTX"));
    assert_eq!(t.region("PSE", "Gaza Strip"), Some("GZ"));
    assert_eq!(t.country("BES").unwrap().fips, None);
}

#[test]
fn fips_table_errors_name_the_line() {
    let bad = [
        ("country\tUKR\tUP\t804\n", "expected 5 tab-separated fields"),
        (
            "country\tUkr\tUP\t804\tUkraine\n",
            "not an ISO 3166 alpha-3",
        ),
        (
            "country\tUKR\tU1\t804\tUkraine\n",
            "not a FIPS 10-4 country code",
        ),
        ("region\tUKR\tUP07\t\tKharkiv\n", "no earlier country line"),
        (
            "country\tUKR\tUP\t804\tUkraine\nregion\tUKR\tRS07\t\tKharkiv\n",
            "does not start with UKR's FIPS code UP",
        ),
        (
            "country\tUKR\tUP\t804\tUkraine\ncountry\tUKR\tUP\t804\tUkraine\n",
            "listed twice",
        ),
        ("town\tUKR\tUP\t804\tUkraine\n", "unknown line kind"),
    ];
    for (text, want) in bad {
        let e = FipsTable::parse(&format!("# header\n{text}"), "t.tsv").unwrap_err();
        assert!(e.starts_with("t.tsv:"), "{e}");
        assert!(e.contains(want), "{text:?}: {e}");
    }
    let e = FipsTable::parse(
        "country\tUKR\tUP\t804\tUkraine\nregion\tUKR\tUP7\t\tX\n",
        "t.tsv",
    )
    .unwrap_err();
    assert!(e.starts_with("t.tsv:2: "), "{e}");
}

#[test]
fn gdelt_geography_follows_the_codebook() {
    let t = FipsTable::embedded();
    let place = |name: &str, admin1: Option<&str>, country: &str, precision: &str| Place {
        name: name.into(),
        admin1: admin1.map(String::from),
        country: country.into(),
        lat: 1.0,
        lon: 2.0,
        precision: precision.into(),
    };
    let g = t.gdelt(&place("Kharkiv", Some("Kharkiv"), "UKR", "city"));
    assert_eq!(
        (
            g.kind,
            g.full_name.as_str(),
            g.country.as_str(),
            g.adm1.as_str(),
            g.feature.as_str()
        ),
        (4, "Kharkiv, Ukraine", "UP", "UP07", "")
    );
    let g = t.gdelt(&place("Austin", Some("Texas"), "USA", "city"));
    assert_eq!(
        (g.kind, g.full_name.as_str(), g.adm1.as_str()),
        (3, "Austin, Texas, United States", "USTX")
    );
    let g = t.gdelt(&place("Texas", None, "USA", "admin1"));
    assert_eq!(
        (g.kind, g.adm1.as_str(), g.feature.as_str()),
        (2, "USTX", "USTX")
    );
    let g = t.gdelt(&place("Kharkiv", None, "UKR", "admin1"));
    assert_eq!(
        (g.kind, g.full_name.as_str(), g.feature.as_str()),
        (5, "Kharkiv, Ukraine", "UP07")
    );
    let g = t.gdelt(&place("Germany", None, "DEU", "country"));
    assert_eq!(
        (
            g.kind,
            g.full_name.as_str(),
            g.country.as_str(),
            g.adm1.as_str(),
            g.feature.as_str()
        ),
        (1, "Germany", "GM", "GM", "GM")
    );
    // The Gaza Strip is a FIPS country of its own.
    let g = t.gdelt(&place("Gaza", Some("Gaza Strip"), "PSE", "city"));
    assert_eq!((g.country.as_str(), g.adm1.as_str()), ("GZ", "GZ"));
    let g = t.gdelt(&place("Ramallah", Some("West Bank"), "PSE", "city"));
    assert_eq!((g.country.as_str(), g.adm1.as_str()), ("WE", "WE"));
}
