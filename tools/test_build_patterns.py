"""Unit tests for tools/build_patterns.py on small made-up snippets in the PETRARCH verb
dictionary syntax.

Run from the repo root: python3 -m unittest discover -s tools -p 'test_*.py'
"""
import collections
import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_patterns as P  # noqa: E402


def lexicon():
    """A Lexicon with hand-set evidence instead of the real WordNet/Brown files."""
    return P.Lexicon(
        verbs={"nibble", "munch", "wolf", "gobble", "graze", "withdraw", "pull", "star", "eat"},
        others={"biscuit", "tea", "cake", "crumpet", "crumb", "out", "down", "fast", "quickly",
                "snackery", "star", "withdrawal"},
        forms={"ate", "eat"},
        verb_exc={"ate": ["eat"]},
        common={"of", "was", "were", "the", "do", "n't", "wo"},
    )


def parse(text):
    stats = collections.Counter()
    rows = P.parse_dictionary(text.splitlines(True), lexicon(), stats)
    return rows, stats


def row(r):
    return (r["lemma"], r["code"], r["before"], r["after"], r["block"], r["line"])


SNIPPET = (
    "# made-up dictionary\n"                                            # 1
    "&SNACK\n"                                                           # 2
    "+BISCUIT\n"                                                         # 3
    "+TEA_CAKE_\n"                                                       # 4
    "+CRUMPET\n"                                                         # 5
    "\n"                                                                 # 6
    "&AUXTEST_\n"                                                        # 7
    "+WAS\n"                                                             # 8
    "+WERE\n"                                                            # 9
    "\n"                                                                 # 10
    "--- NIBBLE [190] ---\n"                                             # 11
    "NIBBLE\n"                                                           # 12
    "MUNCH {MUNCHES MUNCHED MUNCHING} [0251]   # a comment\n"            # 13
    "+WOLF_DOWN {+WOLFS_DOWN +WOLFED_DOWN}\n"                            # 14
    "RE_+NIBBLE\n"                                                       # 15
    "GOBBLED\n"                                                          # 16
    "SNACKERY\n"                                                         # 17
    "NIBBLE\n"                                                           # 18
    "- * &SNACK [1041]  # NIBBLE <xx 01 Jan 2000>\n"                     # 19
    "- $ * + [---]\n"                                                    # 20
    "- * PULL_OUT OF + [---]\n"                                          # 21
    "- CRUMB * WITHD [192]\n"                                            # 22
    "- &AUXTEST_* {FAST QUICKLY} [193:194]\n"                            # 23
    "- + WERE_* [080!]\n"                                                # 24
    "- * TWO * STARS [190]\n"                                            # 25
    "- * NO CODE HERE  # MUNCH\n"                                        # 26
    "- DON'T_* [---]\n"                                                  # 27
    "\n"                                                                 # 28
    "--- SKIP_   ###\n"                                                  # 29
    "GRAZE [0874]\n"                                                     # 30
    "ATE\n"                                                              # 31
    "- * &NOSUCH [190]\n"                                                # 32
    "- * STARS [---]\n"                                                  # 33
)


class Lexicon(unittest.TestCase):
    def test_stems(self):
        lx = lexicon()
        self.assertTrue(lx.is_stem("withd"))        # begins "withdraw", is no word
        self.assertFalse(lx.is_stem("crumb"))       # a word
        self.assertFalse(lx.is_stem("stars"))       # inflection of a word
        self.assertFalse(lx.is_stem("crumbz"))      # begins no word: a typo, kept as is
        self.assertFalse(lx.is_stem("wi"))          # too short
        self.assertFalse(lx.is_stem("amid"))        # function word (WordNet has none)
        self.assertTrue(lx.is_stem("crumb-withd"))  # the last part decides

    def test_verb_lemma(self):
        lx = lexicon()
        self.assertEqual(lx.verb_lemma("munch"), ("munch", "verb"))
        self.assertEqual(lx.verb_lemma("gobbled"), ("gobble", "lemmatized"))
        self.assertEqual(lx.verb_lemma("ate"), ("eat", "lemmatized"))  # exception list
        self.assertEqual(lx.verb_lemma("snackery"), ("snackery", "not a verb"))
        self.assertEqual(lx.verb_lemma("re-nibble"), ("re-nibble", "verb"))
        self.assertEqual(lx.verb_lemma("munchment"), ("munchment", "not a verb"))
        self.assertEqual(lx.verb_lemma("frobnicate"), ("frobnicate", "unknown"))

    def test_codes(self):
        stats = collections.Counter()
        self.assertEqual(P.parse_code(" 0251 ", stats), "0251")
        self.assertEqual(P.parse_code("---", stats), "---")
        self.assertEqual(P.parse_code("042:043", stats), "042")
        self.assertEqual(P.parse_code("080!", stats), "080")
        self.assertEqual(stats["code pairs A:B written as A"], 1)
        self.assertEqual(stats["codes with '!' (dropped)"], 1)
        for bad in ("ABC", "12345", "", "1"):
            with self.assertRaises(P.Unhandled):
                P.parse_code(bad, stats)


class Parser(unittest.TestCase):
    def test_synsets(self):
        stats = collections.Counter()
        syn = P.read_synsets(SNIPPET.splitlines(True), lexicon(), stats)
        self.assertEqual(syn, {"SNACK": ["biscuit", "tea_cake", "crumpet"],
                               "AUXTEST": ["was", "were"]})
        self.assertEqual(stats["synsets marked '_' (no plurals)"], 1)
        self.assertEqual(stats["synset members marked '_' (no plural)"], 1)

    def test_verb_rows(self):
        rows, stats = parse(SNIPPET)
        verbs = [row(r) for r in rows if not r["lemma"].startswith("*")]
        self.assertEqual(verbs, [
            ("nibble", "190", "", "", "NIBBLE", 12),
            ("munch", "0251", "", "", "NIBBLE", 13),        # own code, forms ignored
            ("wolf", "190", "", "down", "NIBBLE", 14),      # multi-word verb
            ("re-nibble", "190", "", "", "NIBBLE", 15),     # RE_+VERB
            ("gobble", "190", "", "", "NIBBLE", 16),        # inflected line lemmatized
            ("graze", "0874", "", "", "SKIP", 30),          # header without code: '---'
            ("eat", "---", "", "", "SKIP", 31),             # irregular form lemmatized
        ])
        self.assertEqual(stats["verbs skipped: not a verb (noun/adjective)"], 1)  # SNACKERY
        self.assertEqual(stats["verbs skipped: repeated in the block"], 1)       # NIBBLE again
        self.assertEqual(stats["block headers without a code ('---')"], 1)

    def test_pattern_rows(self):
        rows, stats = parse(SNIPPET)
        pats = [row(r) for r in rows if r["lemma"].startswith("*")]
        self.assertEqual(pats, [
            ("*nibble", "1041", "", "biscuit|tea_cake|crumpet", "NIBBLE", 19),  # synset; found with NIBBLE
            ("*", "---", "", "pull out of", "NIBBLE", 21),                # '_' joins, '+' drops
            ("*", "192", "crumb", "withd*", "NIBBLE", 22),                # stem
            ("*", "193", "was|were", "fast|quickly", "NIBBLE", 23),       # {..}, pair
            ("*", "080", "were", "", "NIBBLE", 24),                       # WERE_*, '!'
            ("*", "---", "do n't", "", "NIBBLE", 27),                     # n't split
            ("*", "---", "", "stars", "SKIP", 33),
        ])
        self.assertEqual(stats["patterns dropped: no words"], 1)               # $ * +
        self.assertEqual(stats["unhandled: pattern without exactly one '*'"], 1)
        self.assertEqual(stats["unhandled: pattern without a code"], 1)
        self.assertEqual(stats["unhandled: unknown synset"], 1)
        self.assertEqual(stats["'{...}' alternatives"], 1)
        self.assertEqual(stats["source slot '$' dropped"], 1)
        self.assertEqual(stats["target slot '+' dropped"], 3)
        self.assertEqual(stats["blocks"], 2)

    def test_source_order_and_stray_tokens(self):
        rows, stats = parse(SNIPPET + "- * FIRE } TO_&SNACK [145]\n- -- * X [190]\n")
        lines = [r["line"] for r in rows]
        self.assertEqual(lines, sorted(lines))
        self.assertEqual(row(rows[-1]), ("*", "145", "", "fire to biscuit|tea_cake|crumpet",
                                         "SKIP", 34))
        self.assertEqual(stats["stray brace dropped"], 1)
        self.assertEqual(stats["unhandled: unreadable token"], 1)  # "--" before '*'


class Output(unittest.TestCase):
    def test_written_file(self):
        rows, _ = parse(SNIPPET)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "verbs.tsv")
            P.write_rows(rows, path)
            with open(path, encoding="utf-8") as f:
                lines = [l.rstrip("\n") for l in f if not l.startswith("#")]
        self.assertEqual(lines[0], "lemma\tcode\tbefore\tafter\tblock\tline")
        self.assertEqual(len(lines) - 1, len(rows))
        for l in lines[1:]:
            f = l.split("\t")
            self.assertEqual(len(f), 6)
            self.assertRegex(f[1], r"^(---|\d{2,4})$")
            if f[0] == "*":
                self.assertTrue(f[2] or f[3])

    def test_bundled_file_if_built(self):
        """data/patterns/verbs.tsv, when present, keeps the format sway reads."""
        if not os.path.exists(P.OUT):
            self.skipTest("verbs.tsv not built")
        self.assertLess(os.path.getsize(P.OUT), 1_500_000)
        header = None
        with open(P.OUT, encoding="utf-8") as f:
            for l in f:
                if l.startswith("#"):
                    continue
                fields = l.rstrip("\n").split("\t")
                if header is None:
                    header = fields
                    self.assertEqual(header, ["lemma", "code", "before", "after", "block", "line"])
                    continue
                self.assertEqual(len(fields), 6, l)
                self.assertRegex(fields[1], r"^(---|\d{2,4})$")
                self.assertTrue(fields[0] and fields[4] and fields[5].isdigit(), l)
                if fields[0].startswith("*"):
                    self.assertTrue(fields[2] or fields[3], l)
                else:
                    self.assertEqual(fields[2], "", l)  # sway reads no `before` on verb rows
                for tok in (fields[2] + " " + fields[3]).split():
                    self.assertNotRegex(tok, r"[A-Z\[\]{}&$^%+]", l)
                    self.assertTrue(all(re.match(r"^[a-z0-9'./_-]+\*?$", a)
                                        for a in tok.split("|")), l)


if __name__ == "__main__":
    unittest.main()
