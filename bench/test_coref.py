"""Unit tests for bench/coref.py. Run: python3 -m unittest discover -s bench -p 'test_*.py'

The CoNLL-U below is written by hand for the tests (no treebank text).
"""

import io
import itertools
import json
import os
import random
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import conllu_eval as ce  # noqa: E402
import coref as C  # noqa: E402


def row(i, form, misc="_"):
    return "\t".join([str(i), form, "_", "_", "_", "_", "_", "_", "_", misc])


# Document 1: two paragraphs; a multiword token (Bob's) whose first word is a
# mention of its own, nested in "Bob's sister"; an empty node (dropped).
# Document 2: one sentence.
TOY = "\n".join([
    "# newdoc id = toy-1",
    "# global.Entity = GRP-etype-infstat-salience-centering-minspan-link-identity",
    "# newpar",
    "# sent_id = toy-1-1",
    "# text = Ann Brisk met Bob's sister.",
    row(1, "Ann", "Entity=(1-person-new-x-cf1-1-coref"),
    row(2, "Brisk", "Entity=1)"),
    row(3, "met"),
    "4-5\tBob's\t_\t_\t_\t_\t_\t_\t_\t_",
    row(4, "Bob", "Entity=(2-person-new-x-cf2-2-coref(3-person-new-x-cf3-1-sgl)"),
    row(5, "'s"),
    row(6, "sister", "Entity=2)|SpaceAfter=No"),
    "6.1\tmet\t_\t_\t_\t_\t_\t_\t_\tCopyOf=3",
    row(7, "."),
    "",
    "# newpar",
    "# sent_id = toy-1-2",
    "# text = She thanked the Lantern Party.",
    row(1, "She", "Entity=(2-person-giv:act-x-cf1-1-coref)"),
    row(2, "thanked"),
    row(3, "the", "Entity=(4-organization-new-x-cf1-3-sgl"),
    row(4, "Lantern"),
    row(5, "Party", "Entity=4)|SpaceAfter=No"),
    row(6, "."),
    "",
    "# sent_id = toy-1-3",
    "# text = Ann left Zorvania.",
    row(1, "Ann", "Entity=(1-person-giv:inact-x-cf1-1-coref)"),
    row(2, "left"),
    row(3, "Zorvania", "Entity=(5-place-new-x-cf2-1-sgl)|SpaceAfter=No"),
    row(4, "."),
    "",
    "# newdoc id = toy-2",
    "# newpar",
    "# sent_id = toy-2-1",
    "# text = It rained on Ostrel.",
    row(1, "It", "Entity=(1-abstract-new-x-cf1-1-sgl)"),
    row(2, "rained"),
    row(3, "on"),
    row(4, "Ostrel", "Entity=(2-place-new-x-cf1-1-sgl)|SpaceAfter=No"),
    row(5, "."),
    "",
]) + "\n"

TOY1_TEXT = "Ann Brisk met Bob's sister.\n\nShe thanked the Lantern Party. Ann left Zorvania."


def toy_docs():
    return [C.gold_document(did, sents) for did, sents in C.split_documents(ce.parse_conllu(TOY))]


class Gold(unittest.TestCase):
    def test_brackets(self):
        self.assertEqual(C.parse_entity_brackets("(10-abstract-giv:inact-nnnnn-cf2-1-coref)36)35)"),
                         [("single", "10", "abstract"), ("close", "36", None), ("close", "35", None)])
        self.assertEqual(C.parse_entity_brackets("(1-place-new-s-cf1-2,4-sgl(2-person-new)"),
                         [("open", "1", "place"), ("single", "2", "person")])
        self.assertEqual(C.parse_entity_brackets("4)1)"), [("close", "4", None), ("close", "1", None)])

    def test_document(self):
        d1, d2 = toy_docs()
        self.assertEqual((d1.id, d2.id), ("toy-1", "toy-2"))
        self.assertEqual(d1.text, TOY1_TEXT)
        forms = [d1.text[a:b] for a, b in d1.tokens]
        self.assertEqual(forms, ["Ann", "Brisk", "met", "Bob's", "sister", ".", "She", "thanked", "the", "Lantern",
                                 "Party", ".", "Ann", "left", "Zorvania", "."])
        got = sorted((sp, eid, t) for sp, eid, t in d1.mentions)
        self.assertEqual(got, [((0, 1), "1", "person"), ((3, 3), "3", "person"), ((3, 4), "2", "person"),
                               ((6, 6), "2", "person"), ((8, 10), "4", "organization"), ((12, 12), "1", "person"),
                               ((14, 14), "5", "place")])
        self.assertEqual(d1.stats["unclosed"] + d1.stats["unmatched_close"], 0)
        self.assertEqual(d2.text, "It rained on Ostrel.")

    def test_gold_filter_and_singletons(self):
        d1 = toy_docs()[0]
        po = C.filter_gold(d1, C.CONFIGS["person+organization"])
        self.assertEqual(sorted(po), [[(0, 1), (12, 12)], [(3, 3)], [(3, 4), (6, 6)], [(8, 10)]])
        self.assertEqual(sorted(C.drop_singletons(po)), [[(0, 1), (12, 12)], [(3, 4), (6, 6)]])
        self.assertEqual(len(C.filter_gold(d1, None)), 5)

    def test_locate_tokens(self):
        self.assertEqual(C.locate_tokens("a  b\n\ncd", ["a", "b", "cd"]), [(0, 1), (3, 4), (6, 8)])
        # a form whose inner space differs from the text
        self.assertEqual(C.locate_tokens("10 000 km", ["10 000", "km"]), [(0, 6), (7, 9)])
        self.assertEqual(C.locate_tokens("10\u00a0000 km", ["10 000", "km"]), [(0, 6), (7, 9)])
        with self.assertRaises(ce.AlignmentError):
            C.locate_tokens("a b", ["a", "c"])

    def test_char_span_to_tokens(self):
        d1 = toy_docs()[0]
        tab = C.char_to_token(d1.tokens, len(d1.text))
        t = d1.text
        self.assertEqual(C.char_span_to_tokens(tab, 0, 9), (0, 1))  # "Ann Brisk"
        i = t.index("Bob")
        self.assertEqual(C.char_span_to_tokens(tab, i, i + 3), (3, 3))  # "Bob" inside the MWT "Bob's"
        self.assertEqual(C.char_span_to_tokens(tab, i + 1, i + 2), (3, 3))
        i = t.index("Lantern")
        self.assertEqual(C.char_span_to_tokens(tab, i - 1, i + len("Lantern Party") + 1), (9, 11))  # " Lantern Party."
        i = t.index("\n\n")
        self.assertIsNone(C.char_span_to_tokens(tab, i, i + 2))  # only whitespace

    def test_system_clusters_non_ascii_and_whitespace(self):
        src = "Zoë Ålborg met Zoë.\n\nShe left."
        out = "Zoë Ålborg met Zoë. She left."  # sway joined the paragraphs
        doc = C.GoldDoc("x", src, C.locate_tokens(src, ["Zoë", "Ålborg", "met", "Zoë", ".", "She", "left", "."]))
        tab = C.char_to_token(doc.tokens, len(src))
        enc = lambda s: len(s.encode())  # noqa: E731
        rec = {"text": out, "actors": [
            {"id": "p", "type": "person", "mentions": [
                {"start": 0, "end": enc("Zoë Ålborg"), "text": "Zoë Ålborg"},
                {"start": enc("Zoë Ålborg met "), "end": enc("Zoë Ålborg met Zoë"), "text": "Zoë"},
                {"start": enc("Zoë Ålborg met Zoë. "), "end": enc("Zoë Ålborg met Zoë. She"), "text": "She"}]},
            {"id": "q", "type": "person", "mentions": [{"start": 0, "end": enc("Zoë Ålborg"), "text": "Zoë Ålborg"}]},
        ]}
        st = C.Counter()
        self.assertEqual(C.system_clusters(rec, doc, tab, st), [[(0, 1), (3, 3), (5, 5)]])
        self.assertEqual(st["sys_duplicate_spans"], 1)
        self.assertEqual(st["docs_text_differs"], 1)


def prf(t):
    return C.prf_from(*t)


class Metrics(unittest.TestCase):
    # gold {a,b,c},{d,e}; system {a,b},{c,d,e}
    KEY = [["a", "b", "c"], ["d", "e"]]
    RESP = [["a", "b"], ["c", "d", "e"]]

    def test_muc_classic(self):
        # recall: {a,b,c} is cut in 2 parts -> 3-2 = 1; {d,e} in 1 part -> 1; over (3-1)+(2-1) = 3 -> 2/3
        # precision: {a,b} 1 part -> 1; {c,d,e} 2 parts -> 1; over 1+2 = 3 -> 2/3
        r = prf(C.muc(self.KEY, self.RESP))
        self.assertAlmostEqual(r["r"], 2 / 3)
        self.assertAlmostEqual(r["p"], 2 / 3)

    def test_bcubed_classic(self):
        # recall: {a,b,c}: (2^2 + 1^2)/3 = 5/3; {d,e}: 2^2/2 = 2; (5/3 + 2)/5 mentions = 11/15
        # precision: {a,b}: 2^2/2 = 2; {c,d,e}: (1 + 4)/3 = 5/3; 11/3 / 5 = 11/15
        r = prf(C.b_cubed(self.KEY, self.RESP))
        self.assertAlmostEqual(r["r"], 11 / 15)
        self.assertAlmostEqual(r["p"], 11 / 15)

    def test_ceafe_classic(self):
        # phi4: (abc, ab) = 2*2/5 = 0.8; (abc, cde) = 2/6; (de, cde) = 4/5 = 0.8; (de, ab) = 0
        # best alignment abc-ab + de-cde = 1.6; recall 1.6/2, precision 1.6/2
        r = prf(C.ceaf_e(self.KEY, self.RESP))
        self.assertAlmostEqual(r["r"], 0.8)
        self.assertAlmostEqual(r["p"], 0.8)

    def test_conll_classic(self):
        sc = C.Scorer()
        sc.add(self.KEY, self.RESP)
        res = sc.result()
        # (2/3 + 11/15 + 4/5) / 3 = (10 + 11 + 12) / 45 = 11/15
        self.assertAlmostEqual(res["conll_f1"], 11 / 15)
        self.assertAlmostEqual(res["mentions"]["f1"], 1.0)

    def test_twinless_mentions(self):
        # gold {a,b,c},{d,e}; system {a,b},{c,d,e,f} (f is not a gold mention)
        key, resp = self.KEY, [["a", "b"], ["c", "d", "e", "f"]]
        # MUC recall as above 2/3; precision: {a,b} -> 1; {c,d,e,f} parts {c},{d,e},{f} -> 4-3 = 1; over 1+3 -> 1/2
        m = prf(C.muc(key, resp))
        self.assertAlmostEqual(m["r"], 2 / 3)
        self.assertAlmostEqual(m["p"], 1 / 2)
        # B3 recall 11/15 as above; precision: {a,b}: 2; {c,d,e,f}: (1 + 4)/4 = 5/4; 13/4 over 6 mentions = 13/24
        b = prf(C.b_cubed(key, resp))
        self.assertAlmostEqual(b["r"], 11 / 15)
        self.assertAlmostEqual(b["p"], 13 / 24)
        # CEAF-e: abc-ab 0.8 + de-cdef 2*2/6 = 2/3 -> 22/15; over 2 clusters each side
        c = prf(C.ceaf_e(key, resp))
        self.assertAlmostEqual(c["r"], 11 / 15)
        self.assertAlmostEqual(c["p"], 11 / 15)

    def test_singletons(self):
        key = [["a"], ["b"]]
        self.assertEqual(C.muc(key, key), (0, 0, 0, 0))  # no links: MUC says nothing
        self.assertAlmostEqual(prf(C.b_cubed(key, key))["f1"], 1.0)
        self.assertAlmostEqual(prf(C.ceaf_e(key, key))["f1"], 1.0)
        # all in one cluster vs all singletons
        r = prf(C.muc([["a", "b", "c"]], [["a"], ["b"], ["c"]]))
        self.assertEqual((r["r"], r["p"]), (0.0, 0.0))

    def test_empty_response(self):
        sc = C.Scorer()
        sc.add(self.KEY, [])
        res = sc.result()
        self.assertEqual(res["conll_f1"], 0.0)
        self.assertEqual(res["mentions"]["gold"], 5)

    def test_micro_average_over_documents(self):
        sc = C.Scorer()
        sc.add(self.KEY, self.RESP)
        sc.add([["x", "y"]], [["x", "y"]])
        # MUC: recall (2 + 1) / (3 + 1)
        self.assertAlmostEqual(sc.result()["muc"]["r"], 3 / 4)


class Hungarian(unittest.TestCase):
    def test_greedy_fails(self):
        w = [[3, 2], [2, 0]]  # greedy takes 3 then 0 = 3; the optimum is 2 + 2 = 4
        pairs = C.hungarian(w)
        self.assertEqual(sum(w[i][j] for i, j in pairs), 4)
        self.assertEqual(pairs, [(0, 1), (1, 0)])

    def test_rectangular(self):
        w = [[1, 5, 0], [4, 6, 1]]
        pairs = C.hungarian(w)
        self.assertEqual(sum(w[i][j] for i, j in pairs), 9)
        wt = [list(c) for c in zip(*w)]  # 3 rows, 2 columns
        self.assertEqual(sum(wt[i][j] for i, j in C.hungarian(wt)), 9)
        self.assertEqual(C.hungarian([]), [])

    def test_against_brute_force(self):
        rng = random.Random(7)
        for _ in range(60):
            n, m = rng.randint(1, 6), rng.randint(1, 6)
            w = [[rng.choice([0, 0, rng.random()]) for _ in range(m)] for _ in range(n)]
            pairs = C.hungarian(w)
            self.assertEqual(len({i for i, _ in pairs}), len(pairs))
            self.assertEqual(len({j for _, j in pairs}), len(pairs))
            got = sum(w[i][j] for i, j in pairs)
            if n <= m:
                best = max(sum(w[i][p[i]] for i in range(n)) for p in itertools.permutations(range(m), n))
            else:
                best = max(sum(w[p[j]][j] for j in range(m)) for p in itertools.permutations(range(n), m))
            self.assertAlmostEqual(got, best)


class EndToEnd(unittest.TestCase):
    def test_oracle_is_perfect(self):
        with tempfile.TemporaryDirectory() as td:
            Path(td, "en_gum-ud-test.conllu").write_text(TOY, encoding="utf-8")
            out = os.path.join(td, "r.json")
            with redirect_stdout(io.StringIO()):
                self.assertEqual(C.main(["--oracle", "--data", td, "--json", out]), 0)
            res = json.loads(Path(out).read_text())
            for name in ("all gold types | with singletons", "all gold types | without singletons"):
                self.assertAlmostEqual(res["scores"][name]["conll_f1"], 1.0)
                self.assertAlmostEqual(res["scores"][name]["mentions"]["f1"], 1.0)
            po = res["scores"]["person+organization | with singletons"]
            self.assertAlmostEqual(po["mentions"]["r"], 1.0)
            # 6 person/organization mentions of 9 gold mentions output by the oracle
            self.assertAlmostEqual(po["mentions"]["p"], 6 / 9)
            self.assertEqual(res["gold_entity_types"], {"person": 3, "organization": 1, "place": 2, "abstract": 1})

    def test_missing_data_skips(self):
        err = io.StringIO()
        with redirect_stderr(err):
            self.assertEqual(C.main(["--data", "/nonexistent/gum"]), 0)
        self.assertIn("SKIPPED", err.getvalue())


if __name__ == "__main__":
    unittest.main()
