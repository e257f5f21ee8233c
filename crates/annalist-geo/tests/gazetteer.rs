//! The embedded gazetteer: every entry is valid, and the names the news uses find the
//! places they mean (capitals, regions, transliterations, ambiguous names in context).
use annalist_geo::{normalize, Context, Gazetteer, Kind, Place};
use std::collections::HashSet;

fn g() -> &'static Gazetteer {
    Gazetteer::embedded()
}

fn resolve(name: &str) -> &'static Place {
    g().resolve(name, &Context::default())
        .unwrap_or_else(|| panic!("{name:?} not found"))
}

fn in_ctx(name: &str, countries: &[&str]) -> &'static Place {
    let ctx = Context {
        countries,
        ..Context::default()
    };
    g().resolve(name, &ctx)
        .unwrap_or_else(|| panic!("{name:?} not found"))
}

#[test]
fn every_entry_is_valid() {
    let g = g();
    let places = g.places();
    let count = |k| places.iter().filter(|p| p.kind == k).count();
    assert!(
        count(Kind::Country) >= 240,
        "countries: {}",
        count(Kind::Country)
    );
    assert!(
        count(Kind::Admin1) >= 3000,
        "regions: {}",
        count(Kind::Admin1)
    );
    assert!(count(Kind::City) >= 32_000, "cities: {}", count(Kind::City));
    let countries: HashSet<&str> = places
        .iter()
        .filter(|p| p.kind == Kind::Country)
        .map(|p| p.country.as_str())
        .collect();
    let regions: HashSet<(&str, &str)> = places
        .iter()
        .filter(|p| p.kind == Kind::Admin1)
        .map(|p| (p.country.as_str(), p.name.as_str()))
        .collect();
    let mut ids = HashSet::new();
    for p in places {
        assert!(
            !p.name.trim().is_empty() && !normalize(&p.name).is_empty(),
            "{p:?}"
        );
        assert!(
            (-90.0..=90.0).contains(&p.lat) && (-180.0..=180.0).contains(&p.lon),
            "{p:?}"
        );
        assert!(p.lat != 0.0 || p.lon != 0.0, "no coordinates: {p:?}");
        assert!(
            countries.contains(p.country.as_str()),
            "unknown country: {p:?}"
        );
        if let Some(a) = &p.admin1 {
            assert!(
                regions.contains(&(p.country.as_str(), a.as_str())),
                "unknown region: {p:?}"
            );
        }
        if p.kind != Kind::Admin1 {
            assert!(
                p.id > 0 && ids.insert(p.id),
                "missing or duplicate GeoNames id: {p:?}"
            );
        }
    }
    assert!(
        g.max_words() >= 3 && g.max_words() <= 12,
        "{}",
        g.max_words()
    );
}

#[test]
fn capitals() {
    for (name, country) in [
        ("Kyiv", "UKR"),
        ("Moscow", "RUS"),
        ("Washington", "USA"),
        ("London", "GBR"),
        ("Beijing", "CHN"),
        ("Damascus", "SYR"),
        ("Baghdad", "IRQ"),
        ("Tehran", "IRN"),
        ("Jerusalem", "ISR"),
        ("Khartoum", "SDN"),
        ("Kinshasa", "COD"),
        ("Pristina", "XKX"),
    ] {
        let p = resolve(name);
        assert_eq!(
            (p.kind, p.country.as_str()),
            (Kind::City, country),
            "{name}: {p:?}"
        );
    }
    let ukraine = g().place(g().country("UKR").unwrap());
    let kyiv = resolve("Kyiv");
    assert!((ukraine.lat - kyiv.lat).abs() < 0.01 && (ukraine.lon - kyiv.lon).abs() < 0.01);
}

#[test]
fn countries_by_their_names() {
    for (name, code) in [
        ("Ukraine", "UKR"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Burma", "MMR"),
        ("United States of America", "USA"),
        ("Britain", "GBR"),
        ("Georgia", "GEO"),
    ] {
        let p = resolve(name);
        assert_eq!(
            (p.kind, p.country.as_str()),
            (Kind::Country, code),
            "{name}: {p:?}"
        );
    }
    // Actor names that are other places' own names stay with those places.
    assert_eq!(resolve("Gaza").kind, Kind::City);
    assert_eq!(resolve("New Mexico").kind, Kind::Admin1);
}

#[test]
fn regions() {
    for (name, region, country) in [
        ("Kharkiv Oblast", "Kharkiv", "UKR"),
        ("Kharkiv region", "Kharkiv", "UKR"),
        ("the Kharkiv region", "Kharkiv", "UKR"),
        ("Donetsk Oblast", "Donetsk", "UKR"),
        ("Odesa region", "Odesa", "UKR"),
        ("Odessa Oblast", "Odesa", "UKR"),
        ("Kiev Oblast", "Kyiv", "UKR"),
        ("Kyiv region", "Kyiv", "UKR"),
        ("Sindh", "Sindh", "PAK"),
        ("Sindh province", "Sindh", "PAK"),
        ("Punjab province", "Punjab", "PAK"),
        ("Idlib Governorate", "Idlib", "SYR"),
        ("Idlib province", "Idlib", "SYR"),
        ("Borno State", "Borno", "NGA"),
        ("Helmand", "Helmand", "AFG"),
        ("Texas", "Texas", "USA"),
        ("Nineveh", "Nineveh", "IRQ"),
        ("Ninawa", "Nineveh", "IRQ"),
        ("Xinjiang", "Xinjiang Uygur Zizhiqu", "CHN"),
        // A region named after a compass adjective is found by the compass noun.
        ("West Darfur", "Western Darfur", "SDN"),
        ("North Darfur State", "Northern Darfur", "SDN"),
        ("Western Darfur", "Western Darfur", "SDN"),
        ("East Equatoria", "Eastern Equatoria", "SSD"),
        // An intercardinal direction written as one word or two.
        ("Northwest Region", "North-West Province", "CMR"),
    ] {
        let p = resolve(name);
        assert_eq!(
            (p.kind, p.name.as_str(), p.country.as_str()),
            (Kind::Admin1, region, country),
            "{name}: {p:?}"
        );
    }
    // Bare, a name shared by a city and its region is the city.
    assert_eq!(resolve("Kharkiv").kind, Kind::City);
    assert_eq!(resolve("Idlib").kind, Kind::City);
}

#[test]
fn transliterations() {
    let kyiv = resolve("Kyiv");
    assert_eq!(kyiv.name, "Kyiv");
    assert_eq!(resolve("Kiev"), kyiv);
    assert_eq!(resolve("KIEV"), kyiv);
    let kharkiv = resolve("Kharkiv");
    assert_eq!(kharkiv.country, "UKR");
    assert_eq!(resolve("Kharkov"), kharkiv);
    assert_eq!(resolve("Khar'kov"), kharkiv);
    assert_eq!(resolve("Khar’kov"), kharkiv);
    let odesa = resolve("Odesa");
    assert_eq!(
        (odesa.name.as_str(), odesa.country.as_str()),
        ("Odesa", "UKR")
    );
    assert_eq!(resolve("Odessa"), odesa, "Odesa outranks Odessa, Texas");
    assert_eq!(resolve("Ivano-Frankivsk"), resolve("Ivano Frankivsk"));
    assert_eq!(resolve("Krakow").name, "Kraków");
}

#[test]
fn ambiguous_names() {
    let paris = resolve("Paris");
    assert_eq!(paris.country, "FRA", "bare Paris: the most populous");
    let ctx = Context {
        admin1_hint: Some("Texas"),
        ..Context::default()
    };
    let texas = g().resolve("Paris", &ctx).unwrap();
    assert_eq!(
        (texas.country.as_str(), texas.admin1.as_deref()),
        ("USA", Some("Texas"))
    );
    assert_eq!(resolve("Paris, Texas"), texas);
    // An American actor alone does not move Paris to Texas (1/20 population rule).
    assert_eq!(in_ctx("Paris", &["USA"]).country, "FRA");

    assert_eq!(resolve("Tripoli").country, "LBY");
    assert_eq!(in_ctx("Tripoli", &["LBN"]).country, "LBN");
    assert_eq!(in_ctx("Tripoli", &["LBY", "LBN"]).country, "LBY");
    assert_eq!(resolve("Tripoli, Lebanon").country, "LBN");

    assert_eq!(resolve("Georgia").kind, Kind::Country);
    let state = in_ctx("Georgia", &["USA"]);
    assert_eq!((state.kind, state.country.as_str()), (Kind::Admin1, "USA"));

    // Among places of the sentence's countries, a town called so today outranks one that
    // only once was: Pokrovsk (Donetsk) over Engels, formerly Pokrovsk.
    let pokrovsk = in_ctx("Pokrovsk", &["RUS", "UKR"]);
    assert_eq!(
        (pokrovsk.name.as_str(), pokrovsk.country.as_str()),
        ("Pokrovsk", "UKR")
    );

    // Other places of the document: Birmingham with Alabama's Montgomery nearby.
    assert_eq!(resolve("Birmingham").country, "GBR");
    let montgomery = g()
        .resolve_id("Montgomery, Alabama", &Context::default())
        .unwrap();
    let ctx = Context {
        nearby: &[montgomery],
        ..Context::default()
    };
    let b = g().resolve("Birmingham", &ctx).unwrap();
    assert_eq!(
        (b.country.as_str(), b.admin1.as_deref()),
        ("USA", Some("Alabama"))
    );
}

/// A region the news names whole but GeoNames splits into first-level regions after the
/// compass is a place of its own, between its parts; generic words and wholes shared
/// with a neighbour are not.
#[test]
fn regions_split_after_the_compass() {
    for (name, country) in [
        ("Darfur", "SDN"),
        ("Kivu", "COD"),
        ("Java", "IDN"),
        ("Sulawesi", "IDN"),
        ("Equatoria", "SSD"),
        ("Visayas", "PHL"),
    ] {
        let p = resolve(name);
        assert_eq!(
            (p.kind, p.name.as_str(), p.country.as_str(), p.id),
            (Kind::Admin1, name, country, 0),
            "{name}: {p:?}"
        );
        // At the mean position of its parts: inside the country's span of them.
        let parts: Vec<&Place> = g()
            .places()
            .iter()
            .filter(|q| {
                q.kind == Kind::Admin1
                    && q.country == country
                    && q.name.ends_with(name)
                    && q.name != name
            })
            .collect();
        assert!(parts.len() >= 2, "{name}");
        let (lo, hi) = parts.iter().fold((f64::MAX, f64::MIN), |(lo, hi), q| {
            (lo.min(q.lat), hi.max(q.lat))
        });
        assert!(
            p.lat >= lo && p.lat <= hi,
            "{name}: {} not in {lo}..{hi}",
            p.lat
        );
        assert_eq!(
            p.population,
            parts.iter().map(|q| q.population).sum::<u64>()
        );
    }
    for w in [
        "Province",
        "District",
        "Region",
        "Highlands",
        "Aegean",
        "Karelia",
    ] {
        assert!(
            g().candidates(w)
                .iter()
                .all(|&id| g().place(id).name != w || g().place(id).id != 0),
            "{w} is no derived region"
        );
    }
}

#[test]
fn unknown_names_find_nothing() {
    assert!(g().candidates("Nowhereville").is_empty());
    assert!(g().resolve("Nowhereville", &Context::default()).is_none());
    assert!(g().resolve("", &Context::default()).is_none());
    // Alternate names that are common English words were left out.
    for w in ["Man", "Sun", "Central"] {
        assert!(
            g().candidates(w).iter().all(|&id| g().place(id).name == w),
            "{w} is only a place's own name"
        );
    }
}

#[test]
fn bad_override_file_names_file_and_line() {
    let dir = std::env::temp_dir().join(format!("annalist-geo-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("gazetteer")).unwrap();
    std::fs::write(
        dir.join("gazetteer/local.tsv"),
        "# my places\n\
         0\tSmallville\tcity\tUSA\tKansas\t39.0\t-98.0\t20000\tSmall Ville\n\
         0\tNowhere\tcity\tUSA\t\t95.0\t10.0\t5\t\n\
         0\tAtlantis\tcity\tATL\t\t10.0\t10.0\t5\t\n\
         too\tfew\tfields\n",
    )
    .unwrap();
    let err = Gazetteer::load(&dir).unwrap_err().to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].ends_with("local.tsv:3: latitude 95 out of range"),
        "{err}"
    );
    assert!(
        lines[1].ends_with("local.tsv:5: expected 9 tab-separated fields, found 3"),
        "{err}"
    );
    assert!(
        lines[2].ends_with("local.tsv:4: unknown country code \"ATL\""),
        "{err}"
    );

    // A good file adds its places to the embedded ones.
    std::fs::write(
        dir.join("gazetteer/local.tsv"),
        "0\tSmallville\tcity\tUSA\tKansas\t39.0\t-98.0\t20000\tSmall Ville\n",
    )
    .unwrap();
    let g = Gazetteer::load(&dir).unwrap();
    assert_eq!(g.places().len(), Gazetteer::embedded().places().len() + 1);
    let p = g.resolve("Small Ville", &Context::default()).unwrap();
    assert_eq!(p.name, "Smallville");
    assert!(g.resolve("Kyiv", &Context::default()).is_some());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn lookup_reads_past_the_article_hint_and_region_word() {
    let g = g();
    assert_eq!(g.lookup("Paris, Texas"), g.candidates("Paris"));
    assert_eq!(g.lookup("the Donetsk region"), g.candidates("Donetsk"));
    assert_eq!(g.lookup("Kharkiv Oblast"), g.candidates("Kharkiv Oblast"));
    assert_eq!(g.candidates("Kharkiv Oblast").len(), 1);
    assert!(g.lookup("the").is_empty() && g.lookup("").is_empty());
    // Most populous first.
    let pops: Vec<u64> = g
        .candidates("Paris")
        .iter()
        .map(|&i| g.place(i).population)
        .collect();
    assert!(pops.windows(2).all(|w| w[0] >= w[1]), "{pops:?}");
}

#[test]
fn the_compiled_gazetteer_says_what_its_text_says() {
    // What start-up trusts without reading: every record, table entry and country.
    Gazetteer::check_embedded().unwrap();
    let compiled = Gazetteer::embedded();
    // Places are decoded when asked for; one asked before all are is the same place.
    let kyiv = compiled.candidates("Kyiv")[0];
    let first = compiled.place(kyiv).clone();
    let text = Gazetteer::embedded_from_text().unwrap();
    assert_eq!(compiled.places(), text.places());
    assert_eq!(first, text.places()[kyiv.0 as usize]);
    assert!(std::ptr::eq(compiled.place(kyiv), compiled.place(kyiv)));
    assert_eq!(compiled.max_words(), text.max_words());
    let mut a = compiled.keys();
    let mut b = text.keys();
    a.sort();
    b.sort();
    assert_eq!(a.len(), b.len());
    assert!(a == b, "the name index differs");
    for p in text.places().iter().filter(|p| p.kind == Kind::Country) {
        assert_eq!(compiled.country(&p.country), text.country(&p.country));
    }
    assert!(compiled.candidates("no such place anywhere").is_empty());
}
