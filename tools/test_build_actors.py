"""Unit tests for tools/build_actors.py on small made-up snippets in Phoenix syntax.

Run from the repo root: python3 -m unittest discover -s tools -p 'test_*.py'
"""
import collections
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_actors as B  # noqa: E402


def lexicon(ewt=None, ranks=None, wordnet=()):
    """A Lexicon with hand-set evidence instead of the real EWT/Brown/WordNet files."""
    lx = B.Lexicon(ewt_lower=collections.Counter(ewt or {}), ranks=dict(ranks or {}))
    lx.wordnet = set(wordnet)
    return lx


def parse(text):
    stats = collections.Counter()
    entries = B.parse_actor_lines(text.splitlines(True), "Test", stats)
    return entries, stats


class Dates(unittest.TestCase):
    def test_century_rule(self):
        self.assertEqual(B.parse_date("300101"), "2030-01-01")
        self.assertEqual(B.parse_date("310101"), "1931-01-01")
        self.assertEqual(B.parse_date("070723"), "2007-07-23")
        self.assertEqual(B.parse_date("991231"), "1999-12-31")

    def test_eight_digits(self):
        self.assertEqual(B.parse_date("19110101"), "1911-01-01")
        self.assertEqual(B.parse_date("20140607"), "2014-06-07")

    def test_repairs(self):
        stats = collections.Counter()
        self.assertEqual(B.parse_date("1920030320", stats), "2003-03-20")
        self.assertEqual(B.parse_date("201005011", stats), "2010-05-01")
        self.assertEqual(stats["date repaired (10 digits)"], 1)
        self.assertEqual(stats["date repaired (9 digits)"], 1)

    def test_invalid(self):
        for bad in ("9008223", "121301", "20100230", "12ab01", ""):
            with self.assertRaises(ValueError):
                B.parse_date(bad)


class Restrictions(unittest.TestCase):
    def test_forms(self):
        self.assertEqual(B.parse_restriction("XYZGOV"), ("XYZGOV", "", ""))
        self.assertEqual(B.parse_restriction("XYZGOV 010120-050120"),
                         ("XYZGOV", "2001-01-20", "2005-01-20"))
        self.assertEqual(B.parse_restriction("XYZGOV <061231"), ("XYZGOV", "", "2006-12-31"))
        self.assertEqual(B.parse_restriction("XYZGOV 19820101-19900101"),
                         ("XYZGOV", "1982-01-01", "1990-01-01"))

    def test_open_ended_closed_at_freeze(self):
        self.assertEqual(B.parse_restriction("XYZGOV >120219"),
                         ("XYZGOV", "2012-02-19", "2014-12-31"))
        self.assertEqual(B.parse_restriction("XYZGOV > 140608"),
                         ("XYZGOV", "2014-06-08", "2014-12-31"))
        self.assertEqual(B.parse_restriction("IGOUNO  >20070101"),
                         ("IGOUNO", "2007-01-01", "2014-12-31"))
        # a bare date is a start
        self.assertEqual(B.parse_restriction("XYZGOV 20121204"),
                         ("XYZGOV", "2012-12-04", "2014-12-31"))

    def test_null_and_bad(self):
        self.assertIsNone(B.parse_restriction("---"))
        with self.assertRaises(ValueError):
            B.parse_restriction("XYZGOV 120101-110101")  # ends before it starts
        with self.assertRaises(ValueError):
            B.parse_restriction("XYZ GOV")

    def test_units(self):
        self.assertEqual(B.split_units("IGOUNOKID"), ["IGO", "UNO", "KID"])
        self.assertEqual(B.split_units("NGOXYZCHRPRO214"), ["NGO", "XYZ", "CHR", "PRO"])


class Parser(unittest.TestCase):
    SNIPPET = (
        "# made-up dictionary\n"
        "FREEDONIA_  [FRD]\n"
        "+FREEDONIAN_\n"
        "\n"
        "RUFUS_T_FIREFLY_  # CountryInfo.txt\n"
        "+FIREFLY_\n"
        "\t[FRDELI 310101-331108]\n"
        "\t[FRDGOV 331108-070723]\n"
        "\t[FRDELI]\n"
        "TRENTINO_PARTY_ [FRDPTY] # a party\n"
        "+TP_+_TRENTINO_MOVEMENT_\n"
        "AMBASSADOR_TRENTINO_\n"
        "TRENTINO_\n"
        "\t[SYLGOV >120101] [---]\n"
        "U.N._\n"
        "\n"
        "DUMMY_ORGANIZATION_(DO)_\t[IGOXYZ] [IGOABC 100101-110101]\n"
        " #  abc 21 Mar 13\n"
        "+ORPHAN_ALIAS_\n"
        "Source: list.actors\n"
        "\tJOHN_DOE_\t[FRDGOV 990101-000101]\n"
    )

    def test_entries(self):
        entries, stats = parse(self.SNIPPET)
        names = [e.name for e in entries]
        self.assertEqual(names, ["FREEDONIA_", "RUFUS_T_FIREFLY_", "TRENTINO_PARTY_",
                                 "AMBASSADOR_TRENTINO_", "U.N._", "DUMMY_ORGANIZATION_(DO)_", "",
                                 "JOHN_DOE_"])
        rufus = entries[1]
        self.assertEqual(rufus.aliases, ["FIREFLY_"])
        self.assertEqual(rufus.codes, [("FRDELI", "1931-01-01", "1933-11-08"),
                                       ("FRDGOV", "1933-11-08", "2007-07-23"),
                                       ("FRDELI", "", "")])
        self.assertEqual(rufus.comments, ["CountryInfo.txt"])
        self.assertEqual(B.default_code(rufus), "FRDELI")

    def test_glued_aliases_and_codes(self):
        entries, stats = parse(self.SNIPPET)
        party = entries[2]
        self.assertEqual(party.aliases, ["TP_", "_TRENTINO_MOVEMENT_"])
        self.assertEqual(party.codes, [("FRDPTY", "", "")])
        self.assertEqual(stats["glued aliases split"], 1)

    def test_codeless_primaries_chain(self):
        entries, stats = parse(self.SNIPPET)
        amb = entries[3]
        self.assertEqual(amb.aliases, ["TRENTINO_"])
        self.assertEqual(amb.codes, [("SYLGOV", "2012-01-01", "2014-12-31")])
        self.assertEqual(stats["codeless primary merged into previous"], 1)
        self.assertEqual(stats["null code [---] ignored"], 1)
        self.assertEqual(entries[4].codes, [])  # U.N._ is followed by a blank line: no code

    def test_several_codes_nameless_garbage_indented(self):
        entries, stats = parse(self.SNIPPET)
        dummy = entries[5]
        self.assertEqual(dummy.codes, [("IGOXYZ", "", ""), ("IGOABC", "2010-01-01", "2011-01-01")])
        self.assertEqual(B.default_code(dummy), "IGOXYZ")
        nameless = entries[6]
        self.assertTrue(nameless.nameless)
        self.assertEqual(nameless.aliases, ["ORPHAN_ALIAS_"])
        self.assertEqual(stats["garbage line skipped"], 1)
        self.assertEqual(stats["indented primary line"], 1)
        self.assertEqual(entries[7].codes, [("FRDGOV", "1999-01-01", "2000-01-01")])

    def test_latest_dated_code_is_default(self):
        entries, _ = parse("X_Y_\n\t[ABCGOV 900101-950101]\n\t[ABCMIL >950101]\n")
        self.assertEqual(B.default_code(entries[0]), "ABCMIL")


class Slugs(unittest.TestCase):
    def test_slug_rule(self):
        self.assertEqual(B.slugify("Hamid Karzai"), "hamid-karzai")
        self.assertEqual(B.slugify("People's Liberation Army"), "people-s-liberation-army")
        self.assertEqual(B.slugify("Åland  Lücke -- Test!"), "aland-lucke-test")
        self.assertEqual(B.slugify("  (U.N.)  "), "u-n")

    def test_collisions(self):
        self.assertEqual(B.assign_ids(["a", "b", "a", "a"]), ["a", "b", "a-2", "a-3"])
        # a real slug "a-2" is not taken twice
        self.assertEqual(B.assign_ids(["a", "a-2", "a"]), ["a", "a-2", "a-3"])


class Names(unittest.TestCase):
    def setUp(self):
        # capitals more frequent than the capitalised form -> acronym
        self.lx = lexicon(ranks={"UN": 10, "Un": 50, "KARMAL": 900000, "Karmal": 950000})

    def test_title_case_and_particles(self):
        self.assertEqual(B.render("HAMID_KARZAI_", self.lx, person=True), "Hamid Karzai")
        self.assertEqual(B.render("OSAMA_BIN_LADEN_", self.lx, person=True), "Osama bin Laden")
        self.assertEqual(B.render("ABU_BAKR_AL-BAGHDADI", self.lx, person=True),
                         "Abu Bakr al-Baghdadi")
        self.assertEqual(B.render("PEOPLE'S_LIBERATION_ARMY", self.lx), "People's Liberation Army")
        self.assertEqual(B.render("COTE_D'IVOIRE_", self.lx), "Cote D'Ivoire")
        self.assertEqual(B.render("LASHKAR-E-TAIBA_", self.lx), "Lashkar-e-Taiba")
        self.assertEqual(B.render("ACTION_CONTRE_LA_FAIM_", self.lx), "Action Contre la Faim")
        self.assertEqual(B.render("JOHN_PAUL_II", self.lx, person=True), "John Paul II")
        self.assertEqual(B.render("B._LYNN_PASCOE_", self.lx, person=True), "B. Lynn Pascoe")
        self.assertEqual(B.render("JOHN_MCCLOY_", self.lx, person=True), "John McCloy")

    def test_acronyms(self):
        self.assertEqual(B.render("UN_SECRETARY_GENERAL", self.lx), "UN Secretary General")
        self.assertEqual(B.render("U.N._MONITOR_", self.lx), "U.N. Monitor")
        self.assertEqual(B.render("PKK_", self.lx), "PKK")          # no vowel
        self.assertEqual(B.render("BABRAK_KARMAL_", self.lx), "Babrak Karmal")  # rare -> name
        self.assertEqual(B.render("XYZ_UNIT_61398", self.lx), "XYZ Unit 61398")

    def test_paren_acronym(self):
        self.assertEqual(B.split_paren_acronym("ADEN_ISLAMIC_ARMY_(AIA)_"),
                         ("ADEN ISLAMIC ARMY", ["AIA"]))
        self.assertEqual(B.split_paren_acronym("RED_FLAG_(VENEZUELA)_"),
                         ("RED FLAG (VENEZUELA)", []))


class AliasFilter(unittest.TestCase):
    def setUp(self):
        self.lx = lexicon(ewt={"rice": 30, "hope": 12, "sun": 1},
                          ranks={"rice": 3900, "Rice": 8700, "bush": 6500, "Bush": 3000,
                                 "sun": 2300, "Sun": 5100})
        self.countries = {"freedonia", "freedonian", "kremlin"}
        self.agents = {"army", "foreign ministry"}

    def problem(self, alias):
        return B.alias_problem(alias, self.lx, self.countries, self.agents)

    def test_common_words(self):
        self.assertEqual(self.problem("Rice"), "common word")   # EWT and Brown
        self.assertEqual(self.problem("Hope"), "common word")   # EWT
        self.assertEqual(self.problem("Sun"), "common word")    # Brown: lower case more frequent
        self.assertIsNone(self.problem("Bush"))                 # more often capitalised
        self.assertIsNone(self.problem("Condoleezza Rice"))     # several words

    def test_other_rules(self):
        self.assertEqual(self.problem("X"), "too short")
        self.assertEqual(self.problem("Kremlin"), "country string")
        self.assertEqual(self.problem("The Kremlin"), "country string")
        self.assertEqual(self.problem("Foreign Ministry"), "generic agent phrase")
        self.assertIsNone(self.problem("ANSF"))                 # acronyms match case-sensitively
        self.assertIsNone(self.problem("Karzai"))


class Roles(unittest.TestCase):
    def test_merge_and_sort(self):
        roles = {("AGOV", "1979-12-27", "1981-06-11"), ("AGOV", "1979-12-27", "1986-11-24"),
                 ("AELI", "1950-01-01", "1979-12-27"), ("AGOV", "1986-11-25", "1990-01-01"),
                 ("AGOV", "2000-01-01", "2014-12-31"), ("AMIL", "", "1940-01-01")}
        self.assertEqual(B.merge_roles(roles), [
            ("AMIL", "", "1940-01-01"),
            ("AELI", "1950-01-01", "1979-12-27"),
            ("AGOV", "1979-12-27", "1990-01-01"),
            ("AGOV", "2000-01-01", "2014-12-31"),
        ])

    def test_format(self):
        self.assertEqual(B.format_role(("AFGGOV", "2001-12-22", "2014-12-31")),
                         "AFGGOV 2001-12-22..2014-12-31")
        self.assertEqual(B.format_role(("AFGGOV", "", "2006-12-31")), "AFGGOV ..2006-12-31")

    def test_market_value(self):
        self.assertEqual(B.market_value(["Major Banks\t$18,000,000,000"]), 18000000000)
        self.assertIsNone(B.market_value(["NGO_Actors"]))


class Agents(unittest.TestCase):
    def setUp(self):
        self.lx = lexicon(wordnet={"farmer", "farmers", "minister", "ministers", "ministry",
                                   "ministries", "foreign", "police", "congressman",
                                   "congressmen", "congresswoman", "congresswomen",
                                   "congressperson", "embassy", "in", "soldiers", "armed",
                                   "forces", "spokesman", "spokesmen", "thief", "thieves",
                                   "chamber", "chambers", "of", "commerce", "gen.", "monarch",
                                   "monarchs", "box", "boxes", "party", "parties"})

    def test_plurals(self):
        self.assertEqual(B.pluralize_word("farmer"), "farmers")
        self.assertEqual(B.pluralize_word("box"), "boxes")
        self.assertEqual(B.pluralize_word("church"), "churches")
        self.assertEqual(B.pluralize_word("monarch"), "monarchs")
        self.assertEqual(B.pluralize_word("party"), "parties")
        self.assertEqual(B.pluralize_word("attorney"), "attorneys")
        self.assertEqual(B.pluralize_word("spokesman"), "spokesmen")
        self.assertEqual(B.pluralize_word("policewoman"), "policewomen")
        self.assertEqual(B.pluralize_word("thief"), "thieves")
        self.assertEqual(B.pluralize_word("german"), "germans")
        self.assertEqual(B.pluralize_phrase("chamber of commerce", self.lx), "chambers of commerce")
        self.assertEqual(B.pluralize_phrase("foreign minister", self.lx), "foreign ministers")
        self.assertIsNone(B.pluralize_phrase("gen.", self.lx))

    def test_parse_and_build(self):
        lines = [
            "# made-up agents\n",
            "!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON\n",
            "!MINIST! = MINISTER, MINISTERS, MINISTRY, MINISTRIES\n",
            "FARMER [~AGR]\n",
            "POLICE {} [~COP] # no plural\n",
            "CONGRESS!PERSON! [~LEG]\n",
            "FOREIGN_!MINIST! [~GOV]\n",
            "FOREIGN_MINIST [~GOV]\n",
            "THIEF {THIEVES} [~CRM]\n",
            "EMBASSY_IN {} [~GOV]\n",
            "FOOBARIST [~GOV]\n",
            "PEACEKEEPING_FORCES {} [IGO~]\n",
        ]
        stats = collections.Counter()
        items = B.parse_agents(lines, stats)
        phrases = {(p, c) for p, c, origin, _ in items if origin != "generate-plural"}
        self.assertIn(("congressman", "LEG"), phrases)
        self.assertIn(("congresswomen", "LEG"), phrases)
        self.assertIn(("foreign ministries", "GOV"), phrases)
        self.assertIn(("thieves", "CRM"), phrases)
        self.assertIn(("peacekeeping forces", "IGO"), phrases)
        self.assertEqual(stats["agents: stem lines expanded"], 1)
        gen = {p for p, c, origin, _ in items if origin == "generate-plural"}
        self.assertEqual(gen, {"farmer", "foobarist"})  # police and thief have {}
        self.assertEqual(B.agent_reject("embassy in", self.lx), "ends in preposition or article")
        self.assertEqual(B.agent_reject("foobarist", self.lx), "stem or unknown word")
        self.assertEqual(B.agent_reject("foreign minist", self.lx), "stem or unknown word")
        self.assertIsNone(B.agent_reject("foreign ministers", self.lx))


class Sectors(unittest.TestCase):
    def test_table(self):
        codes = [s[0] for s in B.SECTORS]
        self.assertEqual(len(codes), len(set(codes)))
        for s in B.SECTORS:
            self.assertEqual(len(s), 4)
            self.assertRegex(s[0], r"^[A-Z]{3}$")
            self.assertTrue(all(s))
        for needed in ("GOV", "MIL", "COP", "REB", "IGO", "NGO", "MNC", "JEW", "MOS", "CHR"):
            self.assertIn(needed, codes)


if __name__ == "__main__":
    unittest.main()
