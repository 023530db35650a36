"""Unit tests for bench/plover.py. Run:
python3 -m unittest discover -s bench -p 'test_*.py'

Every sentence here is made up for the tests (the actor codes are real ISO/CAMEO codes).
"""

import io
import json
import os
import stat
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import plover as L  # noqa: E402


def rec(rid, text, event, source, target=None, **kw):
    o = {"id": rid, "date": "2001-02-03", "text": text, "event": event,
         "source": [{"actorText": "x", "code": c} for c in source]}
    if target is not None:
        o["target"] = target if isinstance(target, str) else [{"actorText": "y", "code": c} for c in target]
    o.update(kw)
    return o


def part(code=None, country=None):
    return {"code": code, "country": country, "text": "t"}


class Labels(unittest.TestCase):
    def test_sixteen_types(self):
        self.assertEqual(len(L.TYPES), 16)
        self.assertEqual(len(set(L.TYPES)), 16)

    def test_map_label(self):
        self.assertEqual(L.map_label("DEMAND"), "REQUEST")
        self.assertEqual(L.map_label("disapprove"), "ACCUSE")
        self.assertEqual(L.map_label("FIGHT"), "ASSAULT")
        self.assertEqual(L.map_label("INVESTIGATE"), "ACCUSE")
        self.assertEqual(L.map_label("AGREE"), "AGREE")
        for lab in ("DEMAND", "DISAPPROVE", "FIGHT", "INVESTIGATE", *L.TYPES):
            self.assertIn(L.map_label(lab), L.TYPES)

    def test_actor_codes(self):
        self.assertEqual(L.gold_actor("JAP"), "JPN")
        self.assertEqual(L.gold_actor(" fra "), "FRA")
        self.assertEqual(L.gold_actor("IGOUNO"), "IGO")
        self.assertEqual(L.gold_actor("NGO"), "NGO")
        self.assertEqual(L.gold_actor("IMG"), "IMG")
        self.assertEqual(L.gold_actor("USAGOV"), "USA")
        self.assertEqual(L.sway_actor(None), "")
        self.assertEqual(L.sway_actor(part("IGOUNO", None)), "IGO")
        self.assertEqual(L.sway_actor(part("NGOHRI", "FRA")), "NGO")
        self.assertEqual(L.sway_actor(part("RUSMIL", "RUS")), "RUS")
        self.assertEqual(L.sway_actor(part("GOV", None)), "")


class Triples(unittest.TestCase):
    def test_gold_triples(self):
        g = L.load_records([rec("a", "Made up.", "FIGHT", ["HUN", "ROU"], ["SRB", "IGOUNO"])])[0]
        self.assertEqual(g.type, "ASSAULT")
        self.assertEqual(L.gold_triples(g), {("HUN", "ASSAULT", "SRB"), ("HUN", "ASSAULT", "IGO"),
                                             ("ROU", "ASSAULT", "SRB"), ("ROU", "ASSAULT", "IGO")})
        g = L.load_records([rec("b", "Made up.", "AGREE", ["JAP"], "")])[0]
        self.assertEqual(L.gold_triples(g), {("JPN", "AGREE", "")})
        g = L.load_records([rec("c", "Made up.", "AGREE", ["FRA"])])[0]  # no target key
        self.assertEqual(L.gold_triples(g), {("FRA", "AGREE", "")})
        o = rec("d", "Made up.", "ASSAULT", [], ["IRQ"])
        del o["source"]
        g = L.load_records([o])[0]
        self.assertEqual(L.gold_triples(g), {("", "ASSAULT", "IRQ")})

    def test_load_skips_bad_and_keeps_date(self):
        gs = L.load_records([{"id": "x"}, rec("y", "Made up.", "AGREE", ["FRA"], date="soon")])
        self.assertEqual([g.id for g in gs], ["y"])
        self.assertEqual(gs[0].date, "")

    def test_sway_triples_and_prediction(self):
        r = {"events": [
            {"source": part("FRA", "FRA"), "target": part("IGOUNO"), "plover": "request", "confidence": 0.6},
            {"source": part("FRA", "FRA"), "target": None, "plover": "ACCUSE", "confidence": 0.8},
            {"source": part("DEU", "DEU"), "target": None, "plover": "THREATEN", "confidence": 0.8},
            {"source": None, "target": None, "plover": None, "confidence": 0.99},
        ]}
        self.assertEqual(L.sway_triples(r), {("FRA", "REQUEST", "IGO"), ("FRA", "ACCUSE", ""),
                                             ("DEU", "THREATEN", "")})
        self.assertEqual(L.predicted_type(r), "ACCUSE")  # most confident; tie -> first; no plover ignored
        self.assertEqual(L.predicted_type({"events": []}), L.NONE)
        self.assertEqual(L.predicted_type(None), L.NONE)

    def test_triple_scores(self):
        golds = [{("FRA", "ACCUSE", "DEU")}, {("USA", "AGREE", ""), ("GBR", "AGREE", "")}]
        syss = [{("FRA", "ACCUSE", "DEU"), ("DEU", "ACCUSE", "FRA")}, set()]
        s = L.triple_scores(golds, syss)
        self.assertEqual((s["gold"], s["system"], s["correct"]), (3, 2, 1))
        self.assertAlmostEqual(s["p"], 0.5)
        self.assertAlmostEqual(s["r"], 1 / 3)
        self.assertAlmostEqual(s["f1"], 0.4)


class TypeScores(unittest.TestCase):
    def test_accuracy_and_macro_f1(self):
        pairs = [("AGREE", "AGREE"), ("AGREE", "none"), ("ACCUSE", "AGREE"), ("ACCUSE", "ACCUSE")]
        s = L.type_scores(pairs)
        self.assertEqual(s["correct"], 2)
        self.assertAlmostEqual(s["accuracy"], 0.5)
        ag, ac = s["per_type"]["AGREE"], s["per_type"]["ACCUSE"]
        self.assertAlmostEqual((ag["p"], ag["r"], ag["f1"]), (0.5, 0.5, 0.5))
        self.assertAlmostEqual((ac["p"], ac["r"]), (1.0, 0.5))
        self.assertAlmostEqual(ac["f1"], 2 / 3)
        # the 14 types with no gold and no prediction count 0 in the macro average
        self.assertAlmostEqual(s["macro_f1"], (0.5 + 2 / 3) / 16)

    def test_outside_types_never_right(self):
        s = L.type_scores([("AGREE", "FOO"), ("AGREE", "none")])
        self.assertEqual(s["correct"], 0)
        self.assertEqual(s["per_type"]["AGREE"]["gold"], 2)
        self.assertEqual(s["per_type"]["AGREE"]["system"], 0)


FAKE_SWAY = r'''#!/usr/bin/env python3
# Stand-in for `sway analyze`: "scolded" -> ACCUSE between the first two country
# names listed below, "talks" -> CONSULT with no target; FAIL fails the document.
import json, sys
C = {"Ostrelia": "FRA", "Zorvania": "DEU", "Council": None}
status = 0
for line in open(sys.argv[-1], encoding="utf-8"):
    d = json.loads(line)
    t = d["text"]
    if "FAIL" in t:
        print("error: cannot analyze", file=sys.stderr)
        status = 1
        continue
    found = sorted((t.find(n), n) for n in C if n in t)
    ps = [{"text": n, "code": (C[n] or "IGOXYZ"), "country": C[n]} for _, n in found]
    evs = []
    if "scolded" in t and len(ps) >= 2:
        evs.append({"source": ps[0], "target": ps[1], "plover": "ACCUSE", "cameo": "111", "confidence": 0.7})
    if "talks" in t and ps:
        evs.append({"source": ps[0], "target": None, "plover": "CONSULT", "cameo": "040", "confidence": 0.5})
    print(json.dumps({"input_id": d["id"], "text": t, "published": d.get("published"), "events": evs}))
sys.exit(status)
'''


class EndToEnd(unittest.TestCase):
    def test_missing_data_skips(self):
        err = io.StringIO()
        with redirect_stderr(err):
            self.assertEqual(L.main(["--data", "/nonexistent/plover.json"]), 0)
        self.assertIn("SKIPPED", err.getvalue())

    def test_main_on_made_up_records(self):
        recs = [
            rec("r1", "Ostrelia scolded Zorvania over the dam.", "DISAPPROVE", ["FRA"], ["DEU"]),
            rec("r2", "Zorvania scolded the Council.", "DEMAND", ["DEU"], ["IGOXYZ"]),
            rec("r3", "Ostrelia held talks.", "CONSULT", ["FRA"], ""),
            rec("r4", "Nothing at all.", "AGREE", ["FRA"], ["DEU"]),
            rec("r5", "FAIL Ostrelia scolded Zorvania.", "FIGHT", ["FRA"], ["DEU"]),
        ]
        with tempfile.TemporaryDirectory() as td:
            sway = os.path.join(td, "fake-sway")
            Path(sway).write_text(FAKE_SWAY, encoding="utf-8")
            os.chmod(sway, os.stat(sway).st_mode | stat.S_IXUSR)
            data = os.path.join(td, "gold.json")
            Path(data).write_text(json.dumps(recs), encoding="utf-8")
            out_json = os.path.join(td, "res.json")
            buf = io.StringIO()
            with redirect_stdout(buf):
                rc = L.main(["--sway", sway, "--data", data, "--json", out_json, "--jobs", "1"])
            self.assertEqual(rc, 0)
            raw = Path(out_json).read_text()
            res = json.loads(raw)
        self.assertNotIn("scolded", raw)  # no sentence text written
        self.assertEqual(res["failed_documents"], ["r5"])
        self.assertEqual(res["records_without_events"], 2)  # r4, and r5 (failed)
        per = {r["id"]: r for r in res["per_record"]}
        self.assertEqual([per[k]["predicted"] for k in ("r1", "r2", "r3", "r4", "r5")],
                         ["ACCUSE", "ACCUSE", "CONSULT", "none", "none"])
        self.assertEqual(per["r2"]["gold"], "REQUEST")
        self.assertEqual(res["type"]["correct"], 2)  # r1, r3
        # triples: r1 and r3 right, r2 wrong type (DEU|ACCUSE|IGO vs DEU|REQUEST|IGO)
        t = res["triples"]
        self.assertEqual((t["gold"], t["system"], t["correct"]), (5, 3, 2))
        self.assertEqual(per["r2"]["sway_triples"], ["DEU|ACCUSE|IGO"])
        self.assertIn("records with no sway event", buf.getvalue())


if __name__ == "__main__":
    unittest.main()
