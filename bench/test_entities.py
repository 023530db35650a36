"""Unit tests for bench/entities.py and bench/swayio.py. Run:
python3 -m unittest discover -s bench -p 'test_*.py'

Every sentence here is made up for the tests.
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

import entities as E  # noqa: E402
import swayio  # noqa: E402

M = E.Mention


class NamedFilter(unittest.TestCase):
    def test_pronouns_any_case(self):
        for p in ["he", "He", " he ", "they", "Them", "his", "its", "our", "I", "you", "We", "it", "her"]:
            self.assertFalse(E.is_named(p), p)
            self.assertFalse(E.is_named(p, sentence_initial=True), p)

    def test_acronym_is_not_a_pronoun(self):
        self.assertTrue(E.is_named("US"))
        self.assertTrue(E.is_named("US", sentence_initial=True))
        self.assertTrue(E.is_named("IT"))

    def test_common_nouns(self):
        for s in ["the city", "rebels", "a small village", "local officials", "their camp", "hope"]:
            self.assertFalse(E.is_named(s), s)

    def test_names(self):
        for s in ["Zorvania", "the Blue Lantern Party", "Minister Okonkwo-Bale", "northern Zorvania",
                  "al-Qarin", "the 12th Lantern Brigade", "Dr Fennimore", "“Moss Ridge”"]:
            self.assertTrue(E.is_named(s), s)

    def test_determiner_stripped(self):
        # capitalised only because it opens the sentence
        self.assertFalse(E.is_named("The harbour", sentence_initial=True))
        # after the determiner, a capital is not sentence-initial any more
        self.assertTrue(E.is_named("The Harbour Authority", sentence_initial=True))
        self.assertTrue(E.is_named("The Pellworth", sentence_initial=True))
        self.assertFalse(E.is_named("the"))

    def test_sentence_initial_only(self):
        self.assertFalse(E.is_named("Officials", sentence_initial=True))
        self.assertFalse(E.is_named("Local fishermen", sentence_initial=True))
        self.assertTrue(E.is_named("Local fishermen of Pellworth", sentence_initial=True))
        # not at a sentence start, the capital counts
        self.assertTrue(E.is_named("Officials"))

    def test_sentence_initial_rescues(self):
        names = frozenset({"zorvania"})
        self.assertTrue(E.is_named("Zorvania", sentence_initial=True, names=names))
        self.assertFalse(E.is_named("Zorvania", sentence_initial=True))
        self.assertTrue(E.is_named("Zorvanian troops", sentence_initial=True, names=frozenset({"zorvanian"})))
        self.assertTrue(E.is_named("ZLF", sentence_initial=True))  # acronym
        self.assertTrue(E.is_named("Al-Qarin", sentence_initial=True))  # capital after a hyphen

    def test_sentence_initial_detection(self):
        t = "Zorvania rejected it. The harbour closed!\n\nOfficials met (Pellworth said). “Moss Ridge”: Kelp left.\n- Ostrel won"
        self.assertTrue(E.is_sentence_initial(t, 0))
        self.assertTrue(E.is_sentence_initial(t, t.index("The harbour")))
        self.assertTrue(E.is_sentence_initial(t, t.index("Officials")))
        self.assertFalse(E.is_sentence_initial(t, t.index("Pellworth")))
        self.assertFalse(E.is_sentence_initial(t, t.index("harbour")))
        self.assertTrue(E.is_sentence_initial(t, t.index("Moss")))  # after '. “'
        self.assertTrue(E.is_sentence_initial(t, t.index("Kelp")))  # after a colon
        self.assertTrue(E.is_sentence_initial(t, t.index("Ostrel")))  # bullet at line start

    def test_name_lexicon(self):
        texts = ["Officials said Zorvania agreed. Zorvania waits.", "The officials left for Pellworth."]
        names = E.name_lexicon(texts)
        self.assertIn("zorvania", names)
        self.assertIn("pellworth", names)
        self.assertNotIn("officials", names)  # seen in lower case
        self.assertNotIn("the", names)


class Offsets(unittest.TestCase):
    def test_byte_to_char_non_ascii(self):
        t = "Ré “Ålborg” 東京 ok"
        tab = swayio.byte_to_char(t)
        data = t.encode("utf-8")
        self.assertEqual(len(tab), len(data) + 1)
        for ci in range(len(t) + 1):
            b = len(t[:ci].encode("utf-8"))
            self.assertEqual(tab[b], ci)
            self.assertEqual(len(data[:b].decode("utf-8")), ci)

    def test_mapper_identical_text(self):
        t = "Ré met Ålborg’s mayor in 東京."
        mp = swayio.OffsetMapper(t, t)
        self.assertTrue(mp.identical)
        w = "Ålborg’s mayor"
        b0 = len(t[: t.index(w)].encode())
        b1 = b0 + len(w.encode())
        s, e = mp.span(b0, b1)
        self.assertEqual(t[s:e], w)
        self.assertIsNone(mp.span(b0 + 1, b1))  # inside 'Å'
        self.assertIsNone(mp.span(0, len(t.encode()) + 3))

    def test_alignment_whitespace_differs(self):
        src = "  Ré  met\r\nÅlborg’s\tmayor \n\n in 東京.  "
        out = "Ré met\nÅlborg’s mayor\n\nin 東京."
        mp = swayio.OffsetMapper(src, out)
        self.assertFalse(mp.identical)
        self.assertEqual(mp.mismatches, 0)
        for w in ["Ré", "Ålborg’s mayor", "東京", "met", "."]:
            b0 = len(out[: out.index(w)].encode())
            s, e = mp.span(b0, b0 + len(w.encode()))
            self.assertEqual(" ".join(src[s:e].split()), w, w)

    def test_alignment_extra_space_in_output(self):
        src = "Ré-Ålborg met"
        out = "Ré - Ålborg  met"
        o2s, mism = swayio.align_chars(src, out)
        self.assertEqual(mism, 0)
        self.assertEqual(src[o2s[out.index("Å")]], "Å")
        self.assertEqual(src[o2s[out.index("m")]], "m")

    def test_actor_mentions(self):
        src = "Le  Ministre de Zorvanië arrived."
        out = "Le Ministre de Zorvanië arrived."
        rec = {"text": out, "actors": [
            {"id": "x", "type": "person", "mentions": [
                {"start": 3, "end": len("Le Ministre de Zorvanië".encode()), "text": "Ministre de Zorvanië"}]},
            {"id": "y", "type": "country", "mentions": [{"start": 2, "end": 9999, "text": "?"}]},
        ], "places": [{"start": len("Le Ministre de ".encode()), "end": len("Le Ministre de Zorvanië".encode()),
                       "text": "Zorvanië"}]}
        st = {}
        ms = swayio.actor_mentions(rec, src, stats=st) + swayio.place_mentions(rec, src)
        self.assertEqual([(m.text, m.kind) for m in ms], [("Ministre de Zorvanië", "person"), ("Zorvanië", "place")])
        self.assertEqual(st.get("bad_offsets"), 1)


class Matching(unittest.TestCase):
    def test_exact_one_to_one(self):
        gold = [M(0, 5, "Person", "a"), M(0, 5, "Person", "a"), M(10, 15, "Location", "b")]
        sys_ = [M(0, 5, "Person", "a"), M(10, 15, "Organisation", "b")]
        self.assertEqual(E.match_exact(gold, sys_), [(0, 0)])
        self.assertEqual(E.match_exact(gold, sys_, typed=False), [(0, 0), (2, 1)])

    def test_overlap_one_to_one_nested(self):
        # gold: "Blue Lantern Party" (0-18) and nested "Blue Lantern" (0-12)
        gold = [M(0, 18, "Organisation", "Blue Lantern Party"), M(0, 12, "Organisation", "Blue Lantern")]
        sys_ = [M(0, 12, "Organisation", "Blue Lantern")]
        # the exact match wins; the longer gold span stays unmatched
        self.assertEqual(E.match_overlap(gold, sys_), [(1, 0)])
        sys2 = [M(5, 18, "Organisation", "Lantern Party"), M(0, 4, "Organisation", "Blue")]
        self.assertEqual(E.match_overlap(gold, sys2), [(0, 0), (1, 1)])
        # type must agree
        self.assertEqual(E.match_overlap(gold, [M(0, 12, "Person", "x")]), [])

    def test_overlap_prefers_larger_overlap(self):
        gold = [M(0, 10, "Location", "x"), M(12, 20, "Location", "y")]
        sys_ = [M(8, 16, "Location", "z")]  # overlaps 2 with the first, 4 with the second
        self.assertEqual(E.match_overlap(gold, sys_), [(1, 0)])

    def test_tally(self):
        tl = E.Tally()
        gold = [M(0, 4, "Person", "Ann"), M(10, 16, "Location", "Ostrel")]
        sys_ = [M(0, 4, "Person", "Ann"), M(10, 16, "Organisation", "Ostrel"), M(10, 16, "Location", "Ostrel"),
                M(20, 24, "Person", "Bob")]
        tl.add(gold, sys_)
        sc = tl.scores()
        self.assertEqual(sc["exact"]["all"]["correct"], 2)
        self.assertEqual(sc["exact"]["all"]["system"], 4)
        self.assertAlmostEqual(sc["exact"]["Person"]["p"], 0.5)
        self.assertAlmostEqual(sc["exact"]["Location"]["r"], 1.0)
        # untyped: the span found twice counts once
        self.assertEqual(sc["untyped"]["all"]["system"], 3)
        self.assertEqual(sc["untyped"]["all"]["correct"], 2)


class Data(unittest.TestCase):
    def test_collapse_types(self):
        ents = [
            {"documentId": "d", "begin": 0, "end": 4, "type": "Location", "confidence": 0},
            {"documentId": "d", "begin": 0, "end": 4, "type": "Organisation", "confidence": 0.9},
            {"documentId": "d", "begin": 5, "end": 9, "type": "Person", "confidence": 0},
            {"documentId": "d", "begin": 5, "end": 9, "type": "Temporal", "confidence": 1},
            {"documentId": "d", "begin": 10, "end": 12, "type": "Location", "confidence": 0},
            {"documentId": "d", "begin": 10, "end": 12, "type": "Person", "confidence": 0},
        ]
        out, multi = E.collapse_types(ents)
        self.assertEqual(multi, 3)
        self.assertEqual(sorted((e["begin"], e["type"]) for e in out),
                         [(0, "Organisation"), (5, "Temporal"), (10, "Person")])
        out, _ = E.collapse_types(ents, min_confidence=0.5)
        self.assertEqual(sorted(e["begin"] for e in out), [0, 5])

    def test_read_mongoexport_lines_and_array(self):
        objs = [{"_id": "a", "text": "x"}, {"_id": "b", "text": "y"}]
        with tempfile.TemporaryDirectory() as td:
            p1, p2 = os.path.join(td, "l.json"), os.path.join(td, "a.json")
            Path(p1).write_text("\n".join(json.dumps(o) for o in objs) + "\n")
            Path(p2).write_text(json.dumps(objs))
            self.assertEqual(E.read_mongoexport(p1), objs)
            self.assertEqual(E.read_mongoexport(p2), objs)


FAKE_SWAY = r'''#!/usr/bin/env python3
# Stand-in for `sway analyze`: collapses runs of spaces in the text, tags the
# words listed below, and fails on documents whose text contains FAIL.
import json, re, sys
KNOWN = {"Zorvania": "country", "Ann Brisk": "person", "Lantern Party": "organisation", "He": "person"}
for line in open(sys.argv[-1], encoding="utf-8"):
    d = json.loads(line)
    if "FAIL" in d["text"]:
        print("error: cannot analyze", file=sys.stderr)
        continue
    text = re.sub(r" +", " ", d["text"])
    actors = []
    for name, kind in KNOWN.items():
        ms = []
        for m in re.finditer(r"\b%s\b" % re.escape(name), text):
            b = len(text[: m.start()].encode())
            ms.append({"start": b, "end": b + len(name.encode()), "text": name})
        if ms:
            actors.append({"id": name, "type": kind, "mentions": ms})
    print(json.dumps({"input_id": d["id"], "doc_id": "x", "text": text, "actors": actors, "places": []}))
sys.exit(1)
'''


def write_fake_sway(folder: str) -> str:
    p = os.path.join(folder, "fake-sway")
    Path(p).write_text(FAKE_SWAY, encoding="utf-8")
    os.chmod(p, os.stat(p).st_mode | stat.S_IXUSR)
    return p


class EndToEnd(unittest.TestCase):
    def test_run_analyze_counts_failures(self):
        with tempfile.TemporaryDirectory() as td:
            sway = write_fake_sway(td)
            run = swayio.run_analyze(sway, [("a", "Zorvania  waits."), ("b", "FAIL here"), ("c", "Ann Brisk")], jobs=1)
            self.assertEqual(sorted(run.records), ["a", "c"])
            self.assertEqual(run.missing, ["b"])
            self.assertEqual(run.returncode, 1)

    def test_missing_data_skips(self):
        err = io.StringIO()
        with redirect_stderr(err):
            self.assertEqual(E.main(["--data", "/nonexistent/re3d"]), 0)
        self.assertIn("SKIPPED", err.getvalue())

    def test_main_on_made_up_corpus(self):
        with tempfile.TemporaryDirectory() as td:
            sway = write_fake_sway(td)
            src = os.path.join(td, "data", "Made Up")
            os.makedirs(src)
            t1 = "Ann Brisk  left Zorvania. He said the  Lantern Party won."
            t2 = "FAIL: Zorvania"
            docs = [{"_id": "d1", "title": "x", "text": t1}, {"_id": "d2", "title": "y", "text": t2}]

            def ent(doc, text, sub, typ, conf=1):
                b = text.index(sub)
                return {"_id": f"{doc}-{b}", "documentId": doc, "begin": b, "end": b + len(sub), "type": typ,
                        "value": sub, "confidence": conf}
            ents = [ent("d1", t1, "Ann Brisk", "Person"), ent("d1", t1, "Zorvania", "Location"),
                    ent("d1", t1, "He", "Person"), ent("d1", t1, "the  Lantern Party", "Organisation"),
                    ent("d2", t2, "Zorvania", "Location")]
            Path(src, "documents.json").write_text("\n".join(json.dumps(d) for d in docs))
            Path(src, "entities.json").write_text("\n".join(json.dumps(e) for e in ents))
            out_json = os.path.join(td, "res.json")
            buf = io.StringIO()
            with redirect_stdout(buf):
                rc = E.main(["--sway", sway, "--data", os.path.join(td, "data"), "--json", out_json, "--jobs", "1"])
            self.assertEqual(rc, 0)
            res = json.loads(Path(out_json).read_text())
            self.assertEqual(res["failed_documents"], ["Made Up/d2"])
            self.assertEqual(res["filter"]["gold_kept"], {"Person": 1, "Location": 2, "Organisation": 1})
            # sway's "He" is dropped by the filter like the gold "He"
            self.assertEqual(res["filter"]["sys_before"]["Person"], 2)
            self.assertEqual(res["filter"]["sys_kept"]["Person"], 1)
            ex = res["scores"]["exact"]["all"]
            # found: Ann Brisk, Zorvania (d1); missed: the Lantern Party (boundary), Zorvania (d2 failed)
            self.assertEqual((ex["gold"], ex["system"], ex["correct"]), (4, 3, 2))
            ov = res["scores"]["overlap"]["all"]
            self.assertEqual(ov["correct"], 3)
            self.assertEqual(res["stats"]["docs_text_differs"], 1)
            self.assertIn("1 documents failed", buf.getvalue())


if __name__ == "__main__":
    unittest.main()
