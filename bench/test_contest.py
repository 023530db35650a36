"""Tests of bench/contest.py's corpus generator (no sway needed)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contest  # noqa: E402


class Generator(unittest.TestCase):
    def test_deterministic_with_copies(self):
        a = list(contest.articles(300, seed=3))
        b = list(contest.articles(300, seed=3))
        self.assertEqual(a, b)
        self.assertEqual(len(a), 300)
        self.assertEqual(len({x["id"] for x in a}), 300)
        copies = [x for x in a if x["id"].startswith("syn-")]
        self.assertTrue(10 < len(copies) < 60, len(copies))
        originals = {x["text"] for x in a if x["id"].startswith("art-")}
        for c in copies:
            self.assertIn(c["text"].split("\n\nThis story was distributed")[0], originals)

    def test_articles_look_like_news(self):
        for art in contest.articles(20, seed=1):
            self.assertRegex(art["published"], r"^\d{4}-\d{2}-\d{2}$")
            self.assertGreaterEqual(art["text"].count("."), 10)
            self.assertTrue(art["title"])


if __name__ == "__main__":
    unittest.main()
