"""Unit tests for bench/geo.py. Run:
python3 -m unittest discover -s bench -p 'test_*.py'

Every text, place and coordinate pair here is made up for the tests (or a well-known
city position used only for distances); no sway binary or ../shared data is needed.
"""

import io
import json
import math
import os
import stat
import sys
import tempfile
import unittest
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import geo as G  # noqa: E402

R = G.EARTH_RADIUS_KM


def T(s, e, lat=None, lon=None, **kw):
    return G.Toponym(s, e, "x" * (e - s), lat, lon, **kw)


def S(s, e, lat=None, lon=None, **kw):
    return G.SysPlace(s, e, "x" * (e - s), None, lat, lon, **kw)


class Haversine(unittest.TestCase):
    def test_known_pairs(self):
        self.assertEqual(G.haversine(10.0, 20.0, 10.0, 20.0), 0.0)
        self.assertAlmostEqual(G.haversine(0, 0, 0, 1), R * math.pi / 180, places=6)
        self.assertAlmostEqual(G.haversine(0, 0, 1, 0), R * math.pi / 180, places=6)
        self.assertAlmostEqual(G.haversine(0, 0, 0, 180), R * math.pi, places=6)
        self.assertAlmostEqual(G.haversine(90, 0, -90, 0), R * math.pi, places=6)
        self.assertAlmostEqual(G.haversine(0, 179.5, 0, -179.5), R * math.pi / 180, places=6)  # across the antimeridian
        # London - Paris, about 343.9 km with this radius
        self.assertAlmostEqual(G.haversine(51.5074, -0.1278, 48.8566, 2.3522), 343.9, delta=0.5)
        # New York - Los Angeles, about 3936 km
        self.assertAlmostEqual(G.haversine(40.7128, -74.0060, 34.0522, -118.2437), 3936, delta=5)

    def test_symmetric(self):
        self.assertAlmostEqual(G.haversine(12.5, -40, -33.1, 151.2), G.haversine(-33.1, 151.2, 12.5, -40), places=9)


class Auc(unittest.TestCase):
    def test_toy_lists(self):
        self.assertIsNone(G.auc_error([]))
        self.assertEqual(G.auc_error([0.0]), 0.0)
        self.assertAlmostEqual(G.auc_error([20039.0]), 1.0)
        self.assertAlmostEqual(G.auc_error([0.0, 0.0]), 0.0)
        self.assertAlmostEqual(G.auc_error([0.0, 20039.0]), 0.5)
        self.assertAlmostEqual(G.auc_error([20039.0, 0.0, 0.0]), 0.25)  # sorted first: 0, 0, 1
        errs = [1.0, 10.0, 100.0]
        ys = [math.log(1 + e) / math.log(1 + 20039) for e in errs]
        self.assertAlmostEqual(G.auc_error(errs), ((ys[0] + ys[1]) / 2 + (ys[1] + ys[2]) / 2) / 2)
        self.assertAlmostEqual(G.auc_error([100.0, 1.0, 10.0]), G.auc_error(errs))

    def test_lower_is_better(self):
        self.assertLess(G.auc_error([5, 50, 500]), G.auc_error([50, 500, 5000]))


class Matching(unittest.TestCase):
    def test_exact_one_to_one(self):
        gold = [T(0, 5), T(10, 15)]
        system = [S(0, 5), S(0, 5), S(10, 14)]
        self.assertEqual(G.match_exact(gold, system), [(0, 0)])

    def test_overlap_largest_first(self):
        gold = [T(0, 10)]
        system = [S(0, 4), S(2, 10)]
        self.assertEqual(G.match_overlap(gold, system), [(0, 1)])

    def test_overlap_one_to_one(self):
        # one system span across two gold spans goes to the one it overlaps most
        gold = [T(0, 5), T(6, 12)]
        system = [S(3, 9)]
        self.assertEqual(G.match_overlap(gold, system), [(1, 0)])
        # two gold spans, two system spans: each gets one
        system = [S(3, 9), S(0, 2)]
        self.assertEqual(G.match_overlap(gold, system), [(0, 1), (1, 0)])

    def test_overlap_tie_prefers_exact(self):
        gold = [T(0, 4), T(4, 12)]
        system = [S(0, 4), S(0, 8)]  # S1 overlaps T0 by 4 and T1 by 4; S0 is T0 exactly
        self.assertEqual(G.match_overlap(gold, system), [(0, 0), (1, 1)])

    def test_touching_is_not_overlap(self):
        self.assertEqual(G.match_overlap([T(0, 5)], [S(5, 9)]), [])


LGL_XML = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="101">
    <title>t</title>
    <dltime>2009-03-20 12:24:52.002364-05</dltime>
    <text><![CDATA[Café owners in Pellworth met — Ostrelia’s envoy came from Kelp Street.]]></text>
    <toponyms count="3">
      <toponym><start>15</start><end>24</end><phrase>Pellworth</phrase>
        <gaztag geonameid="111"><name>Pellworth</name><fclass>P</fclass><fcode>PPL</fcode>
          <lat>31.5</lat><lon>-92.25</lon>
          <country geonameid="6252001">United States</country><admin1 geonameid="7">Louisiana</admin1></gaztag>
      </toponym>
      <toponym><start>31</start><end>39</end><phrase>Ostrelia</phrase>
        <gaztag geonameid="222"><name>Ostrelia</name><fclass>A</fclass><fcode>PCLI</fcode>
          <lat>10</lat><lon>20</lon><country geonameid="999">Ostrelia</country></gaztag>
      </toponym>
      <toponym><start>58</start><end>69</end><phrase>Kelp Street</phrase></toponym>
    </toponyms>
  </article>
  <article docid="102">
    <dltime>garbage</dltime>
    <text>Nothing here.</text>
    <toponyms count="0"></toponyms>
  </article>
</articles>
"""

GEOVIRUS_XML = """<articles>
    <article>
        <source>https://example.org/a</source>
        <text>Cases rose in Zorvania and Pellworth, officials in Ostrel said.</text>
        <locations>
            <location><name>Zorvania</name><start>15</start><end>23</end><lat>1.5</lat><lon>2.5</lon><page>p</page></location>
            <location>
                <location><name>Pellworth</name><start>28</start><end>37</end><lat>3</lat><lon>4</lon><page>p</page></location>
                <name>Ostrel</name><start>52</start><end>58</end><lat>-5</lat><lon>6</lon><page>p</page>
            </location>
            <location><name>Nowhere</name><start>0</start><end>5</end><lat>7</lat><lon>bad</lon><page>p</page></location>
        </locations>
    </article>
    <!--<article>--><!--</article>-->
</articles>
"""


class Loading(unittest.TestCase):
    def test_fix_span(self):
        text = "in Zürich now"
        self.assertEqual(G.fix_span(text, 3, 9, "Zürich"), (3, 9, 0))
        self.assertEqual(G.fix_span(text, 4, 10, "Zürich"), (3, 9, -1))
        self.assertEqual(G.fix_span(text, 2, 8, "Zürich"), (3, 9, 1))
        self.assertEqual(G.fix_span(text, 0, 2, "Bern"), (0, 2, None))

    def test_lgl(self):
        countries = {"6252001": "USA", "united states": "USA"}
        docs, st = G.parse_lgl(LGL_XML, countries)
        self.assertEqual([d.id for d in docs], ["lgl/101", "lgl/102"])
        d = docs[0]
        self.assertEqual(d.published, "2009-03-20")
        self.assertIsNone(docs[1].published)
        self.assertEqual([g.text for g in d.gold], ["Pellworth", "Ostrelia", "Kelp Street"])
        p, o, k = d.gold
        self.assertEqual((p.lat, p.lon, p.geonameid, p.country, p.admin1, p.fcode), (31.5, -92.25, "111", "USA", "Louisiana", "PPL"))
        self.assertEqual(o.country, "Ostrelia")  # not in the table: the name is kept
        self.assertFalse(k.has_coords)
        self.assertEqual([G.category(g) for g in d.gold], ["populated place", "country", "no gaztag"])
        self.assertEqual(st["offsets_exact"], 3)
        self.assertEqual(st["no_gaztag"], 1)
        self.assertEqual(st["no_coords"], 1)
        self.assertEqual(st["country_not_iso3"], 1)
        self.assertEqual(docs[0].stats["offsets_exact"], 3)

    def test_geovirus(self):
        docs, st = G.parse_geovirus(GEOVIRUS_XML)
        self.assertEqual(len(docs), 1)  # the commented-out template is not an article
        d = docs[0]
        self.assertEqual(d.id, "geovirus/0")
        self.assertIsNone(d.published)
        # offsets one character too far right are moved back; the nested location is kept
        self.assertEqual([g.text for g in d.gold], ["Cases", "Zorvania", "Pellworth", "Ostrel"])
        self.assertEqual(st["offsets_shift_-1"], 3)
        self.assertEqual(st["offsets_mismatch"], 1)  # "Nowhere": span kept, text is what is there
        self.assertEqual(st["nested_locations"], 1)
        self.assertEqual(st["no_coords"], 1)  # lon "bad"
        z = d.gold[1]
        self.assertEqual((z.start, z.end, z.lat, z.lon), (14, 22, 1.5, 2.5))

    def test_load_countries(self):
        with tempfile.TemporaryDirectory() as td:
            p = os.path.join(td, "countryInfo.txt")
            cols = ["ZV", "ZVA", "999", "", "Zorvania"] + [""] * 11 + ["4242", ""]
            Path(p).write_text("#ISO\tISO3\n" + "\t".join(cols) + "\n", encoding="utf-8")
            self.assertEqual(G.load_countries(p), {"zorvania": "ZVA", "4242": "ZVA"})
        self.assertEqual(G.load_countries("/nonexistent/countryInfo.txt"), {})


class Scoring(unittest.TestCase):
    def test_record_with_multibyte_text(self):
        # input text; sway's own text collapses the double space, so its byte offsets
        # are shifted by both the multibyte characters and the missing space
        src = "Ärzte in Zürich  und Genève – São Paulo wartet."
        out = "Ärzte in Zürich und Genève – São Paulo wartet."

        def place(sub, **kw):
            b = len(out[: out.index(sub)].encode("utf-8"))
            return {"start": b, "end": b + len(sub.encode("utf-8")), "text": sub, "name": sub, **kw}

        rec = {"text": out, "places": [
            place("Zürich", lat=47.37, lon=8.54, country="che", geonameid=2657896),
            place("Genève", lat=None, lon=None, country="CHE"),
            place("São", lat=-23.55, lon=-46.63, country="BRA"),  # boundary error
            place("Zürich", lat=47.37, lon=8.54),  # duplicate span
            place("wartet", lat=0, lon=0),  # false positive
        ]}
        st = Counter()
        system = G.system_places(rec, src, st)
        self.assertEqual([(s.text, s.start, s.end) for s in system],
                         [("Zürich", 9, 15), ("Genève", 21, 27), ("São", 30, 33), ("wartet", 40, 46)])
        self.assertEqual(system[0].country, "CHE")
        self.assertEqual(system[0].geonameid, "2657896")
        self.assertEqual(st["sys_duplicates"], 1)
        self.assertEqual(st["docs_text_differs"], 1)

        gold = [G.Toponym(9, 15, "Zürich", 47.3667, 8.55, geonameid="2657896", country="CHE"),
                G.Toponym(21, 27, "Genève", 46.2, 6.15, geonameid="2660646", country="CHE"),
                G.Toponym(30, 39, "São Paulo", 40.0, -74.0, country="BRA"),  # made-up gold position
                G.Toponym(0, 5, "Ärzte", 50.0, 10.0)]  # missed
        t = G.Tally()
        pairs = t.add("d1", gold, system, categories=True)
        self.assertEqual(pairs["exact"], [(0, 0), (1, 1)])
        self.assertEqual(pairs["overlap"], [(0, 0), (1, 1), (2, 2)])
        sc = t.scores()
        ex, ov = sc["recognition"]["exact"], sc["recognition"]["overlap"]
        self.assertEqual((ex["gold"], ex["system"], ex["correct"]), (4, 4, 2))
        self.assertEqual(ov["correct"], 3)
        self.assertAlmostEqual(ov["f1"], 0.75)
        r = sc["resolution"]
        self.assertEqual(r["matched_gold_with_coords"], 3)
        self.assertEqual(r["matched_system_without_coords"], 1)  # Genève
        self.assertEqual(r["resolved_pairs"], 2)
        self.assertEqual(r["acc161"], 0.5)  # Zürich right, São Paulo thousands of km off
        self.assertAlmostEqual(r["acc161_strict"], 1 / 3)
        self.assertAlmostEqual(r["acc161_end_to_end"], 1 / 4)
        zk = G.haversine(47.3667, 8.55, 47.37, 8.54)
        sk = G.haversine(40.0, -74.0, -23.55, -46.63)
        self.assertAlmostEqual(r["median_km"], (zk + sk) / 2)
        self.assertAlmostEqual(r["auc"], G.auc_error([zk, sk]))
        self.assertEqual(r["geonameid"], {"gold": 2, "correct": 1, "rate": 0.5})
        self.assertEqual(r["country"], {"gold": 3, "correct": 3, "rate": 1.0})
        e = t.error_lists(20)
        self.assertEqual(e["missed"], [["Ärzte", 1]])
        self.assertEqual(e["false_positives"], [["wartet", 1]])
        self.assertEqual(e["boundary"], [["São Paulo -> São", 1]])
        w = e["largest_errors"][0]
        self.assertEqual((w["phrase"], w["gold"]["country"], w["sway"]["country"]), ("São Paulo", "BRA", "BRA"))
        self.assertEqual(w["gold"]["coords"], [40.0, -74.0])
        self.assertEqual(w["sway"]["coords"], [-23.55, -46.63])
        self.assertGreater(w["km"], 5000)
        cats = t.category_scores()
        self.assertEqual(cats["no gaztag"]["gold"], 4)  # no fcode on these made-up toponyms

    def test_no_places(self):
        self.assertEqual(G.system_places({"text": "x"}, "x"), [])
        self.assertEqual(G.system_places({"text": "x", "places": []}, "x"), [])
        t = G.Tally()
        t.add("d", [T(0, 1, 1.0, 1.0)], [])
        sc = t.scores()
        self.assertEqual(sc["recognition"]["overlap"]["gold"], 1)
        self.assertEqual(sc["recognition"]["overlap"]["p"], 0.0)
        self.assertIsNone(sc["resolution"]["acc161"])
        self.assertIsNone(sc["resolution"]["auc"])
        self.assertEqual(sc["resolution"]["acc161_end_to_end"], 0.0)

    def test_merge(self):
        a, b = G.Tally(), G.Tally()
        a.add("a", [T(0, 3, 0.0, 0.0)], [S(0, 3, 0.0, 0.5)])
        b.add("b", [T(0, 3, 0.0, 0.0)], [S(0, 3, 0.0, 10.0)])
        a.merge(b)
        r = a.scores()["resolution"]
        self.assertEqual(r["resolved_pairs"], 2)
        self.assertEqual(r["acc161"], 0.5)


FAKE_SWAY = r'''#!/usr/bin/env python3
# Stand-in for `sway analyze`: collapses runs of spaces, reports the places listed
# below with their coordinates, and fails on documents whose text contains FAIL.
import json, os, re, sys
KNOWN = {"Zürich": (47.37, 8.54, "CHE", 2657896), "Pellworth": (31.5, -92.25, "USA", 111),
         "Zorvania": (None, None, None, None), "officials": (0.0, 0.0, None, None)}
if os.environ.get("FAKE_SWAY_ARGV"):
    json.dump(sys.argv[1:], open(os.environ["FAKE_SWAY_ARGV"], "w"))
status = 0
for line in open(sys.argv[-1], encoding="utf-8"):
    d = json.loads(line)
    if "FAIL" in d["text"]:
        print("error: cannot analyze", file=sys.stderr)
        status = 1
        continue
    text = re.sub(r" +", " ", d["text"])
    places = []
    if not os.environ.get("FAKE_SWAY_NO_PLACES"):
        for name, (lat, lon, cc, gid) in KNOWN.items():
            for m in re.finditer(re.escape(name), text):
                b = len(text[: m.start()].encode())
                places.append({"start": b, "end": b + len(name.encode()), "text": name, "name": name,
                               "country": cc, "admin1": None, "lat": lat, "lon": lon, "geonameid": gid})
    print(json.dumps({"input_id": d["id"], "text": text, "published": d.get("published"), "actors": [],
                      "places": places}))
sys.exit(status)
'''


def write_fake_sway(folder: str) -> str:
    p = os.path.join(folder, "fake-sway")
    Path(p).write_text(FAKE_SWAY, encoding="utf-8")
    os.chmod(p, os.stat(p).st_mode | stat.S_IXUSR)
    return p


def write_data(folder: str) -> str:
    geo = os.path.join(folder, "data", "geo")
    os.makedirs(geo)
    lgl = LGL_XML.replace("</articles>", """  <article docid="103">
    <dltime>2009-04-01 08:00:00-05</dltime>
    <text>FAIL in Zürich.</text>
    <toponyms count="1"><toponym><start>8</start><end>14</end><phrase>Zürich</phrase></toponym></toponyms>
  </article>
</articles>""")
    Path(geo, "lgl.xml").write_text(lgl, encoding="utf-8")
    Path(geo, "GeoVirus.xml").write_text(GEOVIRUS_XML, encoding="utf-8")
    return os.path.join(folder, "data")


class EndToEnd(unittest.TestCase):
    def test_missing_data_skips(self):
        err = io.StringIO()
        with redirect_stderr(err):
            self.assertEqual(G.main(["--data-dir", "/nonexistent/data"]), 0)
        self.assertIn("SKIPPED", err.getvalue())

    def test_missing_binary(self):
        with tempfile.TemporaryDirectory() as td:
            data = write_data(td)
            err = io.StringIO()
            with redirect_stderr(err), redirect_stdout(io.StringIO()):
                rc = G.main(["--sway", os.path.join(td, "no-sway"), "--data-dir", data,
                             "--json", os.path.join(td, "r.json")])
            self.assertEqual(rc, 2)
            self.assertIn("not found", err.getvalue())

    def test_main_on_made_up_articles(self):
        with tempfile.TemporaryDirectory() as td:
            sway, data = write_fake_sway(td), write_data(td)
            out_json, argv_file = os.path.join(td, "res.json"), os.path.join(td, "argv.json")
            os.environ["FAKE_SWAY_ARGV"] = argv_file
            try:
                buf = io.StringIO()
                with redirect_stdout(buf):
                    rc = G.main(["--sway", sway, "--data-dir", data, "--json", out_json, "--jobs", "1"])
            finally:
                del os.environ["FAKE_SWAY_ARGV"]
            self.assertEqual(rc, 0)
            args = json.loads(Path(argv_file).read_text())
            self.assertEqual(args[:6], ["analyze", "--input-format", "jsonl", "--with-text", "--format", "jsonl"])
            res = json.loads(Path(out_json).read_text())
            self.assertEqual(res["failed_documents"], ["lgl/103"])
            self.assertEqual(res["gold"]["lgl"]["toponyms"], 4)
            self.assertEqual(res["gold"]["geovirus"]["offsets"]["shift_-1"], 3)
            lgl = res["scores"]["lgl"]
            # LGL 101: Pellworth found and resolved; Ostrelia and Kelp Street missed; 103 failed
            self.assertEqual(lgl["recognition"]["exact"]["correct"], 1)
            self.assertEqual(lgl["recognition"]["exact"]["system"], 1)
            self.assertEqual(lgl["resolution"]["acc161"], 1.0)
            self.assertEqual(lgl["resolution"]["geonameid"]["rate"], 1.0)
            gv = res["scores"]["geovirus"]
            # Zorvania found without coordinates, Pellworth found, "officials" false positive
            self.assertEqual((gv["recognition"]["overlap"]["correct"], gv["recognition"]["overlap"]["system"]), (2, 3))
            self.assertEqual(gv["resolution"]["matched_system_without_coords"], 1)
            self.assertEqual(gv["resolution"]["acc161_strict"], 0.0)  # Pellworth's gold is elsewhere
            both = res["scores"]["both"]["recognition"]["overlap"]
            self.assertEqual((both["gold"], both["system"], both["correct"]), (8, 4, 3))
            self.assertEqual(res["errors"]["geovirus"]["false_positives"], [["officials", 1]])
            self.assertEqual(res["errors"]["geovirus"]["largest_errors"][0]["phrase"], "Pellworth")
            self.assertIn("1 documents failed", buf.getvalue())
            self.assertIn("## Toponym resolution", buf.getvalue())
            self.assertNotIn("Cases rose", Path(out_json).read_text())  # no article text written

    def test_limit_dataset_and_no_places(self):
        with tempfile.TemporaryDirectory() as td:
            sway, data = write_fake_sway(td), write_data(td)
            out_json = os.path.join(td, "res.json")
            os.environ["FAKE_SWAY_NO_PLACES"] = "1"
            try:
                buf = io.StringIO()
                with redirect_stdout(buf):
                    rc = G.main(["--sway", sway, "--data-dir", data, "--json", out_json,
                                 "--dataset", "lgl", "--limit", "1"])
            finally:
                del os.environ["FAKE_SWAY_NO_PLACES"]
            self.assertEqual(rc, 0)
            res = json.loads(Path(out_json).read_text())
            self.assertEqual(list(res["scores"]), ["lgl"])
            self.assertEqual(res["gold"]["lgl"]["documents"], 1)
            self.assertEqual(res["gold"]["lgl"]["toponyms"], 3)
            self.assertEqual(res["gold"]["lgl"]["offsets"], {"exact": 3})
            self.assertEqual(res["scores"]["lgl"]["recognition"]["exact"]["system"], 0)
            self.assertIn("no output record has a non-empty `places`", buf.getvalue())


if __name__ == "__main__":
    unittest.main()
