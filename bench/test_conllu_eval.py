"""Unit tests for the benchmark scorer. Run: python3 -m unittest discover bench

All CoNLL-U here is written by hand for the tests (no treebank text).
"""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import conllu_eval as ce  # noqa: E402


def row(i, form, lemma="_", upos="_", xpos="_", head="_", deprel="_", misc="_"):
    return "\t".join([str(i), form, lemma, upos, xpos, "_", str(head), deprel, "_", misc])


# Two sentences, one document, two paragraphs; a multiword token and an empty node.
GOLD = "\n".join([
    "# newdoc id = toy-1",
    "# newpar",
    "# sent_id = toy-1-1",
    "# text = Ann's cat naps.",
    "1-2\tAnn's\t_\t_\t_\t_\t_\t_\t_\t_",
    row(1, "Ann", "Ann", "PROPN", "NNP", 3, "nmod:poss", "_"),
    row(2, "'s", "'s", "PART", "POS", 1, "case", "_"),
    row(3, "cat", "cat", "NOUN", "NN", 4, "nsubj", "_"),
    row(4, "naps", "nap", "VERB", "VBZ", 0, "root", "SpaceAfter=No"),
    "4.1\tnaps\tnap\tVERB\tVBZ\t_\t_\t_\t0:root\t_",
    row(5, ".", ".", "PUNCT", ".", 4, "punct", "_"),
    "",
    "# sent_id = toy-1-2",
    "# text = It purrs.",
    row(1, "It", "it", "PRON", "PRP", 2, "nsubj", "_"),
    row(2, "purrs", "purr", "VERB", "VBZ", 0, "root", "SpaceAfter=No"),
    row(3, ".", ".", "PUNCT", ".", 2, "punct", "_"),
    "",
    "# newpar",
    "# sent_id = toy-1-3",
    "# text = Zoë waits.",
    row(1, "Zoë", "Zoë", "PROPN", "NNP", 2, "nsubj", "_"),
    row(2, "waits", "wait", "VERB", "VBZ", 0, "root", "SpaceAfter=No"),
    row(3, ".", ".", "PUNCT", ".", 2, "punct", "_"),
    "",
]) + "\n"


def replace_col(text, sent_idx, word_id, col, value):
    """Copy of CoNLL-U `text` with one column of one word changed."""
    out, s = [], 0
    for line in text.split("\n"):
        if not line:
            s += 1
        cols = line.split("\t")
        if s == sent_idx and len(cols) == 10 and cols[0] == str(word_id):
            cols[col] = value
            line = "\t".join(cols)
        out.append(line)
    return "\n".join(out)


class TestRead(unittest.TestCase):
    def setUp(self):
        self.sents = ce.parse_conllu(GOLD)

    def test_sentences_words_tokens(self):
        self.assertEqual(len(self.sents), 3)
        s = self.sents[0]
        self.assertEqual([w.form for w in s.words], ["Ann", "'s", "cat", "naps", "."])  # empty node dropped
        self.assertEqual([t.form for t in s.tokens], ["Ann's", "cat", "naps", "."])
        self.assertEqual(s.tokens[0].word_ids, (1, 2))
        self.assertTrue(s.tokens[0].multiword)
        self.assertEqual(s.words[0].head, 3)
        self.assertEqual(s.words[0].deprel, "nmod:poss")

    def test_comments(self):
        s0, s1, s2 = self.sents
        self.assertEqual(s0.text, "Ann's cat naps.")
        self.assertEqual(s0.comment_value("sent_id"), "toy-1-1")
        self.assertTrue(s0.has_comment("newdoc"))
        self.assertTrue(s0.has_comment("newpar"))
        self.assertFalse(s1.has_comment("newpar"))
        self.assertTrue(s2.has_comment("newpar"))

    def test_newpar_block_is_not_newpar(self):
        s = ce.parse_conllu("# newpar_block = x\n# text = Hi\n" + row(1, "Hi") + "\n\n")[0]
        self.assertFalse(s.has_comment("newpar"))

    def test_underscore_head(self):
        s = ce.parse_conllu(row(1, "Hi") + "\n\n")[0]
        self.assertEqual(s.words[0].head, -1)

    def test_bad_columns(self):
        with self.assertRaises(ValueError):
            ce.parse_conllu("1\tHi\t_\n\n")

    def test_no_trailing_blank_line(self):
        self.assertEqual(len(ce.parse_conllu(row(1, "Hi"))), 1)

    def test_misc(self):
        self.assertEqual(ce.misc_get("SpaceAfter=No|TokenRange=3:7", "TokenRange"), "3:7")
        self.assertIsNone(ce.misc_get("_", "TokenRange"))
        self.assertFalse(ce.space_after("SpaceAfter=No"))
        self.assertTrue(ce.space_after("_"))
        self.assertEqual(ce.universal("nmod:poss"), "nmod")
        self.assertEqual(ce.universal("root"), "root")


class TestScoreAligned(unittest.TestCase):
    def setUp(self):
        self.gold = ce.parse_conllu(GOLD)

    def test_identical_is_perfect(self):
        r = ce.score_aligned(self.gold, ce.parse_conllu(GOLD))
        self.assertEqual(r["words"], 11)
        for m, v in r["acc"].items():
            self.assertEqual(v, 100.0, m)
        self.assertEqual(r["form_mismatches"], 0)

    def test_subtype_counts_only_for_full_label(self):
        sys_ = ce.parse_conllu(replace_col(GOLD, 0, 1, 7, "nmod"))
        r = ce.score_aligned(self.gold, sys_)
        self.assertEqual(r["correct"]["las"], 11)
        self.assertEqual(r["correct"]["las_full"], 10)

    def test_wrong_head_costs_uas_and_las(self):
        sys_ = ce.parse_conllu(replace_col(GOLD, 1, 3, 6, "1"))
        r = ce.score_aligned(self.gold, sys_)
        self.assertEqual(r["correct"]["uas"], 10)
        self.assertEqual(r["correct"]["las"], 10)
        self.assertAlmostEqual(r["acc"]["uas"], 100 * 10 / 11)

    def test_right_head_wrong_label(self):
        sys_ = ce.parse_conllu(replace_col(GOLD, 1, 1, 7, "obj"))
        r = ce.score_aligned(self.gold, sys_)
        self.assertEqual((r["correct"]["uas"], r["correct"]["las"]), (11, 10))

    def test_tags_and_lemma(self):
        text = replace_col(GOLD, 0, 3, 3, "VERB")
        text = replace_col(text, 0, 4, 4, "NNS")
        text = replace_col(text, 2, 2, 2, "waits")
        r = ce.score_aligned(self.gold, ce.parse_conllu(text))
        self.assertEqual((r["correct"]["upos"], r["correct"]["xpos"], r["correct"]["lemma"]), (10, 10, 10))

    def test_extra_root_and_form_mismatch_counted(self):
        text = replace_col(GOLD, 1, 3, 6, "0")
        text = replace_col(text, 1, 1, 1, "He")
        r = ce.score_aligned(self.gold, ce.parse_conllu(text))
        self.assertEqual(r["multi_root_sentences"], 1)
        self.assertEqual(r["form_mismatches"], 1)

    def test_misaligned_raises(self):
        with self.assertRaises(ce.AlignmentError):
            ce.score_aligned(self.gold, self.gold[:2])
        short = ce.parse_conllu(GOLD)
        short[1].words.pop()
        with self.assertRaises(ce.AlignmentError):
            ce.score_aligned(self.gold, short)


class TestRawTextAndSpans(unittest.TestCase):
    def setUp(self):
        self.gold = ce.parse_conllu(GOLD)

    def test_raw_text(self):
        self.assertEqual(ce.raw_text_from_gold(self.gold), "Ann's cat naps. It purrs.\n\nZoë waits.\n")

    def test_raw_text_new_document(self):
        doc2 = "# newdoc id = toy-2\n# text = Bye.\n" + row(1, "Bye", misc="SpaceAfter=No") + "\n" + row(2, ".") + "\n\n"
        sents = ce.parse_conllu(GOLD + doc2)
        self.assertTrue(ce.raw_text_from_gold(sents).endswith("waits.\n\nBye.\n"))

    def test_gold_spans(self):
        text = ce.raw_text_from_gold(self.gold)
        toks, sents = ce.gold_spans(self.gold, text)
        # non-space text: Ann'scatnaps.Itpurrs.Zoëwaits.
        self.assertEqual(toks[:4], [(0, 5), (5, 8), (8, 12), (12, 13)])
        self.assertEqual(sents, [(0, 13), (13, 21), (21, 30)])
        self.assertEqual(len(toks), 10)  # Ann's is one surface token

    def test_gold_spans_mismatch_raises(self):
        with self.assertRaises(ce.AlignmentError):
            ce.gold_spans(self.gold, "Ann's cat sleeps. It purrs.\n\nZoë waits.\n")

    def test_token_ranges_bytes_to_nonspace_chars(self):
        # 'é' is 2 bytes, NBSP (U+00A0) is 2 bytes and whitespace
        text = "Dé\u00a0vu, ok.\n"
        sys_conllu = "\n".join([
            row(1, "Dé", misc="TokenRange=0:3"),
            row(2, "vu", misc="TokenRange=5:7|SpaceAfter=No"),
            row(3, ",", misc="TokenRange=7:8"),
            "",
            row(1, "ok", misc="SpaceAfter=No|TokenRange=9:11"),
            row(2, ".", misc="TokenRange=11:12"),
            "",
        ]) + "\n"
        toks, sents = ce.spans_from_token_ranges(ce.parse_conllu(sys_conllu), text)
        self.assertEqual(toks, [(0, 2), (2, 4), (4, 5), (5, 7), (7, 8)])
        self.assertEqual(sents, [(0, 5), (5, 8)])

    def test_token_range_on_multiword_line_or_hull(self):
        text = "Ann's cat"
        on_line = "1-2\tAnn's\t_\t_\t_\t_\t_\t_\t_\tTokenRange=0:5\n" + row(1, "Ann") + "\n" + row(2, "'s") + "\n" + \
            row(3, "cat", misc="TokenRange=6:9") + "\n\n"
        hull = "1-2\tAnn's\t_\t_\t_\t_\t_\t_\t_\t_\n" + row(1, "Ann", misc="TokenRange=0:3") + "\n" + \
            row(2, "'s", misc="TokenRange=3:5") + "\n" + row(3, "cat", misc="TokenRange=6:9") + "\n\n"
        for variant in (on_line, hull):
            toks, _ = ce.spans_from_token_ranges(ce.parse_conllu(variant), text)
            self.assertEqual(toks, [(0, 5), (5, 8)])

    def test_token_range_errors(self):
        with self.assertRaises(ce.AlignmentError):  # missing
            ce.spans_from_token_ranges(ce.parse_conllu(row(1, "Hi") + "\n\n"), "Hi")
        with self.assertRaises(ce.AlignmentError):  # inside the 2-byte 'é'
            ce.spans_from_token_ranges(ce.parse_conllu(row(1, "D", misc="TokenRange=0:2") + "\n\n"), "Dé")

    def test_span_prf(self):
        gold = [(0, 5), (5, 8), (8, 12), (12, 13)]
        system = [(0, 3), (3, 5), (5, 8), (8, 12), (12, 13)]
        r = ce.span_prf(gold, system)
        self.assertEqual((r["correct"], r["gold"], r["system"]), (3, 4, 5))
        self.assertAlmostEqual(r["p"], 60.0)
        self.assertAlmostEqual(r["r"], 75.0)
        self.assertAlmostEqual(r["f1"], 2 * 60 * 75 / 135)
        self.assertEqual(ce.span_prf([], [])["f1"], 0.0)

    def test_end_to_end_perfect(self):
        """Gold fed back as system output with correct TokenRanges scores 100."""
        text = ce.raw_text_from_gold(self.gold)
        g_tok, g_sent = ce.gold_spans(self.gold, text)
        data = text.encode("utf-8")
        lines, pos = [], 0
        for s in self.gold:
            for t in s.tokens:
                b = t.form.encode("utf-8")
                pos = data.index(b, pos)
                lines.append(row(t.word_ids[0], t.form, misc=f"TokenRange={pos}:{pos + len(b)}"))
                pos += len(b)
            lines.append("")
        s_tok, s_sent = ce.spans_from_token_ranges(ce.parse_conllu("\n".join(lines) + "\n"), text)
        self.assertEqual(ce.span_prf(g_tok, s_tok)["f1"], 100.0)
        self.assertEqual(ce.span_prf(g_sent, s_sent)["f1"], 100.0)


class TestTimingLine(unittest.TestCase):
    def test_parse_timing_line(self):
        import syntax

        err = "loading model\ntiming: tokens=1200 sentences=80 seconds=0.0425\n"
        self.assertEqual(syntax.parse_timing_line(err), {"tokens": 1200, "sentences": 80, "seconds": 0.0425})
        self.assertIsNone(syntax.parse_timing_line("nothing here\n"))


if __name__ == "__main__":
    unittest.main()
