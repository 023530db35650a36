"""Unit tests for bench/petrarch.py. Run:
python3 -m unittest discover -s bench -p 'test_*.py'

Every sentence, name and dictionary entry here is made up for the tests.
"""

import io
import json
import os
import re
import stat
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import petrarch as P  # noqa: E402

RECORDS_XML = """<Validation>
<!-- a comment with <Stop> in it -->
<Environment>
    <Verbfile>v.txt</Verbfile>
    <Config option="stop_on_error" value="True"></Config>
</Environment>
<Sentences>
<Sentence date="20010203" id="T-01" category="DEMO" sentence="true">
<!-- a plain coding -->
<EventCoding sourcecode="ZOR" targetcode="OST" eventcode="042"></EventCoding>
<Text>
Zorvania welcomed a delegation
from Ostrelia on Monday.
</Text>
<Parse>(ROOT (S (NP (NNP Zorvania)) (VP (VBD welcomed))))</Parse>
</Sentence>
<Config option="require_dyad" value="false"></Config>
<Sentence date = "20010204" id ="T-02"  category="AGENT" sentence="true">
<EventCoding sourcecode="zorgov" targetcode="---" eventcode="0231"></EventCoding>
<EventCoding sourcecode='"THE KELP COUNCIL"' targetcode="OST" eventcode="112"></EventCoding>
<Text>The Kelp Council blamed Ostrelia.</Text>
</Sentence>
<Config option="require_dyad" value="TRUE"></Config>
<Sentence date="950101" id="T-03" category="MODIFY" sentence="true">
<EventCoding noevents = "True"> </EventCoding>
<Text>Nothing happened in Pellworth.</Text>
</Sentence>
<Sentence date="20010206" id="T-04" category="ERROR" sentence="true">
<EventCoding error="storydiscard"></EventCoding>
<Text>Zorvania won the lantern cup.</Text>
</Sentence>
<Sentence date="20010207" id="T-05" category="DEMO" sentence="false">
<EventCoding sourcecode="OST" targetcode="ZOR" eventcode="064"></EventCoding>
<Text>Ostrelia restored ties with Zorvania.</Text>
</Sentence>
</Sentences>
</Validation>
"""

ACTORS_TXT = """<!-- MADE-UP ACTORS -->
<!--
# a multi-line comment
-->
ZORVANIA [ZOR]
+ZORVANIAN_
OSTRELIA_  [OST] # comment
KELP PORT
\t[KLP]
PRESIDENT_ANN_BRISK [ZORGOV]
TOM FENNEL  # no code on this line
+T._FENNEL
\t[ZOR < 950601]
\t[ZORGOV 19950601 - 19990815]
\t[ZORREB > 990816]
LANTERN_ISLES [LNT/ISL]
NOBODY  [---]
lower case [zpk]
<! -- odd comment -->
MOSS_RIDGE_ [MSR]
"""

AGENTS_TXT = """<!-- MADE-UP AGENTS -->
!PERSON! = MAN, MEN
GOVERNMENT  [~GOV] # x
FOREIGN_MINISTER [~GOVFRM]
HARBOUR_TRUST {} [NGO~]
COAST GUARD [ ~MIL]
"""


def check_registry_format(tsv: str) -> list:
    """The rules of sway's registry parser (crates/sway-extract/src/registry.rs), as
    far as this converter can break them. Returns the data rows."""
    rows = [ln for ln in tsv.splitlines() if ln.strip() and not ln.startswith("#")]
    assert rows[0].split("\t") == P.HEADER, rows[0]
    ids = set()
    for ln in rows[1:]:
        f = ln.split("\t")
        assert len(f) == 10, ln
        assert re.fullmatch(r"[a-z0-9][a-z0-9:-]*", f[0]), f[0]
        assert f[0] not in ids, f[0]
        ids.add(f[0])
        assert f[1].strip(), ln
        assert f[2] in ("person", "organisation", "group"), f[2]
        assert f[3] == "" or re.fullmatch(r"[A-Z]{3}", f[3]), f[3]
        assert re.fullmatch(r"[A-Z0-9]{3,18}", f[5]), f[5]
        for role in filter(None, (r.strip() for r in f[7].split(";"))):
            code, period = role.split(" ")[:2]
            assert re.fullmatch(r"[A-Z0-9]{3,18}", code), role
            a, b = period.split("..")
            for d in (a, b):
                assert d == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", d), role
    return [r.split("\t") for r in rows[1:]]


class Records(unittest.TestCase):
    def setUp(self):
        self.recs = P.parse_records(RECORDS_XML)

    def test_fields(self):
        r = {x.id: x for x in self.recs}
        self.assertEqual(list(r), ["T-01", "T-02", "T-03", "T-04", "T-05"])
        self.assertEqual(r["T-01"].text, "Zorvania welcomed a delegation from Ostrelia on Monday.")
        self.assertEqual(r["T-01"].date, "2001-02-03")
        self.assertEqual(r["T-01"].codings, [("ZOR", "OST", "042")])
        self.assertEqual(r["T-03"].date, "1995-01-01")  # 6-digit TABARI date
        self.assertTrue(r["T-03"].noevents)
        self.assertEqual(r["T-03"].codings, [])
        self.assertEqual(r["T-04"].error, "storydiscard")
        self.assertFalse(r["T-05"].enabled)
        self.assertTrue(r["T-01"].enabled)

    def test_codes_normalised(self):
        r = {x.id: x for x in self.recs}
        # lower case upper-cased, --- is the null actor, quoted new actors kept quoted
        self.assertEqual(r["T-02"].codings, [("ZORGOV", "", "0231"), ('"THE KELP COUNCIL"', "OST", "112")])
        self.assertEqual(r["T-02"].category, "AGENT")

    def test_options_in_force(self):
        r = {x.id: x for x in self.recs}
        self.assertEqual(r["T-01"].options, {})
        self.assertEqual(r["T-02"].options, {"require_dyad": "false"})
        self.assertEqual(r["T-03"].options, {})  # back to the default (case ignored)

    def test_norm_text_and_dates(self):
        self.assertEqual(P.norm_text("Ostrelia's  harbour   Trust"), "OSTRELIA HARBOUR TRUST")
        self.assertEqual(P.norm_code('"the kelp council"'), '"THE KELP COUNCIL"')
        self.assertEqual(P.petr_date("20130229"), "")
        self.assertEqual(P.petr_date("991231"), "1999-12-31")


class Dictionaries(unittest.TestCase):
    def setUp(self):
        self.entries = P.parse_actor_dict(ACTORS_TXT)
        self.by = {" ".join(e.names[0].words): e for e in self.entries}

    def test_entries_names_codes(self):
        self.assertEqual(list(self.by), ["ZORVANIA", "OSTRELIA", "KELP PORT", "PRESIDENT ANN BRISK", "TOM FENNEL",
                                         "LANTERN ISLES", "NOBODY", "LOWER CASE", "MOSS RIDGE"])
        z = self.by["ZORVANIA"]
        self.assertEqual([n.words for n in z.names], [["ZORVANIA"], ["ZORVANIAN"]])
        self.assertEqual(z.names[1].exact, [True])
        self.assertEqual(z.names[0].exact, [False])
        self.assertEqual(self.by["KELP PORT"].codes[0].code, "KLP")  # code on the next line
        self.assertEqual(self.by["LOWER CASE"].codes[0].code, "ZPK")
        self.assertEqual(self.by["MOSS RIDGE"].names[0].exact, [True, True])

    def test_dated_blocks(self):
        t = self.by["TOM FENNEL"]
        self.assertEqual([n.words for n in t.names], [["TOM", "FENNEL"], ["T.", "FENNEL"]])
        got = [(b.code, b.start, b.end) for b in t.codes]
        self.assertEqual(got, [("ZOR", "", "1995-05-31"), ("ZORGOV", "1995-06-01", "1999-08-15"),
                               ("ZORREB", "1999-08-17", "")])

    def test_slash_and_null_codes(self):
        b = self.by["LANTERN ISLES"].codes[0]
        self.assertEqual((b.code, b.alternatives), ("LNT", ["ISL"]))
        self.assertEqual(self.by["NOBODY"].codes[0].code, "---")

    def test_registry_tsv(self):
        texts = ["The Zorvanians and the Kelp Ports met.", "zorvanian boats left"]
        tsv, st = P.registry_tsv(self.entries, texts)
        rows = {r[1]: r for r in check_registry_format(tsv)}
        self.assertEqual(st["skipped"], ["NOBODY [---]"])
        self.assertEqual(st["slash_codes_first_kept"], ["LNT/ISL"])
        z = rows["Zorvania"]
        self.assertEqual((z[2], z[3], z[4], z[5]), ("organisation", "", "", "ZOR"))
        # synonym, then the stem match found in the texts (capitalised only)
        self.assertEqual(z[6].split("|"), ["Zorvanian", "Zorvanians"])
        self.assertEqual(rows["Kelp Port"][6], "Kelp Ports")
        self.assertEqual(rows["President Ann Brisk"][2], "person")
        t = rows["Tom Fennel"]
        self.assertEqual(t[5], "ZOR")  # no undated block: the first block is the default
        self.assertEqual(t[7], "ZOR ..1995-05-31; ZORGOV 1995-06-01..1999-08-15; ZORREB 1999-08-17..")
        self.assertEqual(t[6], "T. Fennel")
        self.assertEqual(rows["Lantern Isles"][5], "LNT")
        self.assertEqual(rows["Lower Case"][5], "ZPK")
        # without stems only the dictionary's own names
        tsv2, st2 = P.registry_tsv(self.entries, texts, stems=False)
        rows2 = {r[1]: r for r in check_registry_format(tsv2)}
        self.assertEqual(rows2["Zorvania"][6], "Zorvanian")
        self.assertEqual(st2.get("stem_aliases", 0), 0)

    def test_display_names(self):
        self.assertEqual(P.display_name(["ZPK"]), "ZPK")  # short one-word names stay acronyms
        self.assertEqual(P.display_name(["OSTR"]), "Ostr")
        self.assertEqual(P.display_name(["AL-KELP", "U.N.", "OF"]), "Al-Kelp U.N. Of")

    def test_stem_aliases_exact_words(self):
        nm = P.parse_name("MOSS_RIDGE")  # MOSS exact, RIDGE a stem
        self.assertEqual(P.stem_aliases(nm, ["Moss Ridges fell; Mossy Ridge stood"]), {"Moss Ridges"})
        self.assertEqual(P.stem_aliases(P.parse_name("MOSS_RIDGE_"), ["Moss Ridges"]), set())

    def test_unique_ids(self):
        ents = P.parse_actor_dict("KELP [KLP]\nKELP [KLQ]\n")
        rows = check_registry_format(P.registry_tsv(ents)[0])
        self.assertEqual([r[0] for r in rows], ["petr-kelp", "petr-kelp-2"])

    def test_agents_and_code_classes(self):
        suffix, prefix = P.parse_agent_codes(AGENTS_TXT)
        self.assertEqual(suffix, {"GOV", "GOVFRM", "MIL"})
        self.assertEqual(prefix, {"NGO"})
        actors = P.actor_codes(self.entries)
        self.assertIn("ISL", actors)
        self.assertNotIn("---", actors)

        def cls(c):
            return P.code_class(c, actors, suffix, prefix)
        self.assertEqual(cls(""), "null")
        self.assertEqual(cls("ZOR"), "actor")
        self.assertEqual(cls("ZORGOV"), "actor")  # a dictionary code in its own right
        self.assertEqual(cls("OSTGOV"), "agent")
        self.assertEqual(cls("OSTGOVFRM"), "agent")
        self.assertEqual(cls("OSTMILGOV"), "agent")
        self.assertEqual(cls("---GOV"), "agent")
        self.assertEqual(cls("NGOOST"), "agent")
        self.assertEqual(cls("NGOOSTGOV"), "agent")
        self.assertEqual(cls('"THE KELP COUNCIL"'), "new-actor")
        self.assertEqual(cls("QQQ"), "other")
        self.assertEqual(cls("OSTXYZ"), "other")


def ev(src, tgt, cameo, stext=None, ttext=None):
    return {"source": None if src is None else {"code": src, "text": stext or src},
            "target": None if tgt is None else {"code": tgt, "text": ttext or tgt}, "cameo": cameo}


class Scoring(unittest.TestCase):
    def test_sway_codings(self):
        rec = {"events": [ev("ZOR", "OST", "042"), ev("zorgov", None, "0231"), ev("ZOR", "OST", "042"),
                          ev("KLC", "OST", "112", stext="the Kelp Council's")]}
        self.assertEqual(P.sway_codings(rec), {("ZOR", "OST", "042"), ("ZORGOV", "", "0231"), ("KLC", "OST", "112")})
        got = P.sway_codings(rec, {'"THE KELP COUNCIL"'})
        self.assertIn(('"THE KELP COUNCIL"', "OST", "112"), got)
        self.assertEqual(P.sway_codings(None), set())

    def test_failure_kinds(self):
        E = {("ZOR", "OST", "042"), ("OST", "ZOR", "043")}
        self.assertEqual(P.failure_kinds(E, set(E)), [])
        self.assertEqual({k for k, _, _ in P.failure_kinds(E, set())}, {"no events coded"})
        self.assertEqual([k for k, _, _ in P.failure_kinds(set(), {("ZOR", "OST", "042")})], ["extra events"])
        got = {("ZOR", "OST", "040"), ("OST", "ZOR", "043")}
        self.assertEqual(P.failure_kinds(E, got), [("wrong code", ("ZOR", "OST", "042"), ("ZOR", "OST", "040"))])
        got = {("ZORGOV", "OST", "042"), ("OST", "ZOR", "043")}
        self.assertEqual([k for k, _, _ in P.failure_kinds(E, got)], ["wrong source"])
        got = {("ZOR", "", "042"), ("OST", "ZOR", "043")}
        self.assertEqual([k for k, _, _ in P.failure_kinds(E, got)], ["wrong target"])
        got = {("KLP", "QQQ", "042")}
        self.assertEqual(sorted(k for k, _, _ in P.failure_kinds(E, got)), ["missed event", "wrong source+target"])
        got = set(E) | {("KLP", "ZOR", "190")}
        self.assertEqual([k for k, _, _ in P.failure_kinds(E, got)], ["extra events"])
        got = {("ZOR", "KLP", "190")}
        self.assertEqual(sorted(k for k, _, _ in P.failure_kinds({("ZOR", "OST", "042")}, got)), ["wrong code+actor"])

    def test_tally(self):
        t = P.Tally()
        self.assertTrue(t.add({("ZOR", "OST", "042")}, {("ZOR", "OST", "042")}))
        self.assertFalse(t.add({("ZOR", "OST", "042")}, {("ZOR", "OST", "040"), ("OST", "ZOR", "111")}))
        self.assertTrue(t.add(set(), set()))
        s = t.scores()
        self.assertEqual((s["records"], s["passed"]), (3, 2))
        self.assertEqual((s["codings"]["gold"], s["codings"]["system"], s["codings"]["correct"]), (2, 3, 1))
        self.assertAlmostEqual(s["codings"]["p"], 1 / 3)
        self.assertAlmostEqual(s["codings"]["r"], 1 / 2)
        # CAMEO root: 040 matches 042 on "04"
        self.assertEqual(s["passed_root"], 2)  # the extra 111 event still fails the second record
        self.assertEqual(s["codings_root"]["correct"], 2)
        self.assertEqual(P.root({("A", "B", "1717")}), {("A", "B", "17")})


FAKE_SWAY = r'''#!/usr/bin/env python3
# Stand-in for `sway analyze`: actor names come from the --registry file (name and
# aliases -> code); "welcomed" codes 042 and "blamed" 112 from the first actor to
# the second; texts with FAIL fail. Writes its argv to $FAKE_SWAY_ARGV.
import json, os, sys
args = sys.argv[1:]
if os.environ.get("FAKE_SWAY_ARGV"):
    open(os.environ["FAKE_SWAY_ARGV"], "w").write(json.dumps(args))
names = {}
if "--registry" in args:
    for ln in open(args[args.index("--registry") + 1], encoding="utf-8"):
        f = ln.rstrip("\n").split("\t")
        if ln.startswith("#") or f[0] == "id" or len(f) != 10:
            continue
        for n in [f[1]] + [a for a in f[6].split("|") if a]:
            names[n] = f[5]
status = 0
for line in open(args[-1], encoding="utf-8"):
    d = json.loads(line)
    if "FAIL" in d["text"]:
        print("error: cannot analyze", file=sys.stderr)
        status = 1
        continue
    found = sorted((d["text"].find(n), n) for n in names if n in d["text"])
    acts = [{"code": names[n], "text": n} for _, n in found]
    events = []
    for verb, cameo in (("welcomed", "042"), ("blamed", "112")):
        if verb in d["text"] and len(acts) >= 2:
            events.append({"source": acts[0], "target": acts[1], "cameo": cameo, "plover": "X"})
    print(json.dumps({"input_id": d["id"], "text": d["text"], "published": d.get("published"),
                      "actors": [], "events": events}))
sys.exit(status)
'''


def write_fake_sway(folder: str) -> str:
    p = os.path.join(folder, "fake-sway")
    Path(p).write_text(FAKE_SWAY, encoding="utf-8")
    os.chmod(p, os.stat(p).st_mode | stat.S_IXUSR)
    return p


class EndToEnd(unittest.TestCase):
    def test_missing_data_skips(self):
        err = io.StringIO()
        with redirect_stderr(err):
            self.assertEqual(P.main(["--data", "/nonexistent/petrarch"]), 0)
        self.assertIn("SKIPPED", err.getvalue())

    def test_main_on_made_up_records(self):
        with tempfile.TemporaryDirectory() as td:
            sway = write_fake_sway(td)
            data = os.path.join(td, "data")
            os.makedirs(data)
            xml = RECORDS_XML.replace(
                "</Sentences>",
                '<Sentence date="20010208" id="T-06" category="VERB" sentence="true">\n'
                '<EventCoding sourcecode="OST" targetcode="ZOR" eventcode="042"></EventCoding>\n'
                "<Text>Ostrelia welcomed FAIL Zorvania.</Text>\n</Sentence>\n</Sentences>")
            Path(data, P.RECORDS).write_text(xml, encoding="utf-8")
            Path(data, P.ACTORS).write_text(ACTORS_TXT + "THE_KELP_COUNCIL [KLC]\n", encoding="utf-8")
            Path(data, P.AGENTS).write_text(AGENTS_TXT, encoding="utf-8")
            out_json, argv_file = os.path.join(td, "res.json"), os.path.join(td, "argv.json")
            os.environ["FAKE_SWAY_ARGV"] = argv_file
            try:
                buf = io.StringIO()
                with redirect_stdout(buf):
                    rc = P.main(["--sway", sway, "--data", data, "--json", out_json, "--jobs", "1"])
                self.assertEqual(rc, 0)
                args = json.loads(Path(argv_file).read_text())
                self.assertIn("--registry", args)
                self.assertNotIn("--patterns", args)
                self.assertFalse(os.path.exists(args[args.index("--registry") + 1]))  # temp file removed
                with redirect_stdout(io.StringIO()):
                    P.main(["--sway", sway, "--data", data, "--json", out_json, "--patterns", "/x/p.tsv"])
                args = json.loads(Path(argv_file).read_text())
                self.assertEqual(args[args.index("--patterns") + 1], "/x/p.tsv")
            finally:
                del os.environ["FAKE_SWAY_ARGV"]
            res = json.loads(Path(out_json).read_text())
            # T-04 (error) and T-05 (sentence="false") are not scored
            self.assertEqual(res["scored"], 4)
            self.assertEqual(res["not_scored"], {"error": 1, "disabled": 1})
            self.assertEqual(res["failed_documents"], ["T-06"])
            per = {r["id"]: r for r in res["per_record"]}
            self.assertTrue(per["T-01"]["pass"])
            self.assertTrue(per["T-03"]["pass"])  # no events expected, none coded
            self.assertFalse(per["T-02"]["pass"])  # the ZORGOV>--- coding is not found
            self.assertEqual(per["T-02"]["group"], "needs-new-actor")  # ZORGOV itself is a dictionary code
            self.assertEqual(per["T-01"]["group"], "actors-only")
            self.assertEqual(per["T-02"]["sway"], ['"THE KELP COUNCIL">OST:112'])
            self.assertFalse(per["T-06"]["pass"])
            self.assertEqual(per["T-06"]["failures"][0][0], "no events coded")
            self.assertEqual(res["scores"]["passed"], 2)
            self.assertEqual(res["scores"]["codings"]["correct"], 2)
            self.assertIn("failure kinds", buf.getvalue())
            self.assertNotIn("Zorvania welcomed", Path(out_json).read_text())  # no sentence text written


if __name__ == "__main__":
    unittest.main()
