#!/usr/bin/env python3
"""Build the actor registry from the Phoenix (PETRARCH/TABARI) dictionaries.

Writes three files:
  data/registry/actors.tsv   named organisations, groups and people
  data/registry/agents.tsv   generic agent nouns ("farmers", "foreign minister") and their sector
  data/registry/sectors.tsv  the documented sector set (CAMEO agent/type codes) used by both

Sources (read from ../shared/data, never copied; only derived):
  event-dictionaries/Phoenix.Countries.actors.txt      MIT, (c) 2014 Open Event Data Alliance
  event-dictionaries/Phoenix.International.actors.txt  (same)
  event-dictionaries/Phoenix.MilNonState.actors.txt    (same)
  event-dictionaries/Phoenix.agents.txt                (same)
  cameo/CAMEO.type.txt                                 GDELT's CAMEO type table (labels checked)
  data/registry/countries.tsv (this repo)              CAMEO -> ISO 3166 alpha-3, country strings
  data/patterns/agents.tsv (this repo)                 hand list of agent nouns (wins on conflict)
  lexicons/en_brown_clusters.tsv (spaCy lookups, MIT), ud-english-ewt/en_ewt-ud-train.conllu
  (CC BY-SA 4.0), lexicons/en_lemma_index.json + en_lemma_lookup.json (WordNet 3.0 lemmas)
        used only as evidence about words (which are common English words, which tokens are
        usually written in capitals, which agent words exist); nothing from them is written.

Phoenix actor dictionary syntax (as read by PETRARCH's read_actor_dictionary):
  NAME_WORDS_ [CODE]        primary line; the optional code is the default (undated) code.
  +ALIAS_WORDS_             synonym of the current entry.
  <TAB>[CODE restriction]   date restriction: [CODE] (undated = default), [CODE >DATE] (from),
                            [CODE <DATE] (until), [CODE DATE-DATE]; DATE is YYMMDD (YY <= 30 ->
                            20YY, else 19YY, as in PETRARCH) or YYYYMMDD.
  '#' starts a comment; '_' joins words; a trailing '_' ("stopped" word) is dropped.
Variants met in the real files and how they are read (each is counted in the summary):
  * several [..] groups on one line (International: "[USAGOV 981022-010811] [IGOUNO >070201]");
  * spaces inside restrictions ("> 140608", "[IGOUNO  >070201]");
  * a bare date "[USAGOV 19820101]" -> read as "from";
  * 10-digit dates "1920030320" (a stray "19" before YYYYMMDD) -> last 8 digits; 9-digit
    "201005011" -> first 8; 7-digit dates ("9008223") are unreadable -> that role is dropped;
  * intervals whose end precedes the start -> dropped (PETRARCH drops them too);
  * "[---]" is the null code -> ignored;
  * a primary line indented by a tab ("\\tJOHN_MCCLOY_\\t[...]") -> read as a primary line;
  * a line holding only an indented comment (" #  kkl 21 Mar 13", "  # CountryInfo.txt") where
    a primary name was deleted -> a nameless entry; its aliases and codes are dropped with it;
  * garbage lines ("Source: MNC.MLH.actors") -> skipped;
  * codeless primary lines directly followed (next physical line) by another primary line
    ("IVO_JOSIPOVIC_ / PRESIDENT_JOSIPOVIC_ / JOSIPOVIC_ / <TAB>[HRVGOV ...]") share the codes
    that follow, as in PETRARCH: the later lines become aliases of the first. A codeless
    entry followed by a blank or comment line gets no code and is skipped;
  * "+A_B+_C_D" (two synonyms glued by '+') -> two aliases;
  * "(ABC)" in a name -> removed from the display name and kept as the alias "ABC" (an
    unclosed "(" cuts the name there: "TSAKHIAGIYN_ELBEGDORJ_(1ST_TIME");
  * text after the codes without '#' ("[MNCMED]	Newspapers/Magazines	$137,000,000") is a
    comment; comments on alias lines describe the alias and are ignored;
  * no "!macro!" lines exist in the actor files (only in the agents file), but they would be
    skipped and counted.

actors.tsv columns: id name type country sector code aliases roles patrons note
  id       slug of the display name: lower case, ASCII-folded, every run of non-alphanumerics
           -> '-', trimmed; collisions get -2, -3 ... in file order (Countries, International,
           MilNonState). Curated entries use the same rule so that they override these.
  name     Title Case from the primary line. Not first, these stay lower case: for people the
           particles {of the and for al bin ibn de la el du von van} and a few more (del, da,
           dos, der, y, ould ...), for organisations also English function words and Romance
           particles (on, to, in, et, des, le ...: "Action Contre la Faim"); no particle rule
           for East Asian names (Zhu De, Nguyen Van Thieu). A leading "The" is dropped; the
           middle parts of hyphenated names stay lower case (Lashkar-e-Taiba); Mc-names and
           O'/D' names are capitalised inside (McCloy, O'Neill); roman numerals and dotted
           initials stay in capitals. Outside person names, tokens that look like acronyms
           (see below) stay in capitals. For a person whose primary line starts with a title
           ("SHEIKH_AHMED_YASSIN") and who has an alias without it, the alias is the name.
  type     person / group / organisation, decided in this order:
           - group: a MilNonState entry from the START TOPS organisation list (coder "kkl");
           - person: names without an organisation word (ORG_WORDS: ministry, party, army,
             council, bank, corporation, brigade ...) and without digits, and
               the comment is "CountryInfo.txt" or "IGOrulers.txt" (the leader lists), or,
               with no certain acronym (no vowel, or 3x more frequent in capitals) and no
               dotted initials (U.N.) and, after leading titles (President, Sheikh ...),
               a name mostly of non-common words:
                 the primary comment has a person word (leader, member, commander,
                 spokesman, president, chairman, envoy ...), or
                 2+ words and an ELI (elite) unit or dated codes, or
                 2-4 words, none common, the first a given name (the first words of the
                 CountryInfo/IGOrulers people), not a company (MNC), and for MilNonState no
                 alias with an organisation word (the "Izz ad-Din al-Qassam" brigades);
           - group: MilNonState, or any code has a unit of REB INS OPP PTY SEP UAF IMG
             (armed non-state groups, militias, rebels, opposition, parties);
           - organisation otherwise (state institutions, IGOs, NGOs, companies, media).
  country  ISO 3166 alpha-3 of the first 3 letters of the default code when they are a CAMEO
           country code (countries.tsv maps CAMEO -> ISO; defunct states map to their former
           ISO 3166-3 alpha-3: USR/SUN -> SUN, DDR, YUG, FRY -> YUG, SCG, CSK); empty for
           IGO/NGO/MNC/IMG codes, regions (MEA, WEU, ...) and placeholders (KKL).
  sector   the units of the default code after the country that are in the sector table
           (sectors.tsv), concatenated (GOV, GOVMIL, IGOUNO, NGOHRI); other units (known groups
           such as ALQ or HCR, regions, ethnic codes) stay in `code` only.
  code     the undated default code (on the primary line first, else the last undated
           restriction), else the code of the latest dated role.
  aliases  '|'-separated surface forms (see the alias filter below).
  roles    ';'-separated "CODE FROM..TO" (YYYY-MM-DD, either side may be empty), sorted by
           FROM. THE PHOENIX DICTIONARIES FROZE IN 2014: an open-ended role ([CODE >DATE] or a
           bare start date) is closed at 2014-12-31, meaning "held at least until the
           dictionary froze", not "ended then".
  patrons  empty (Phoenix has no patron information).
  note     phoenix:<file>:<line of the primary line>.
Entries skipped: country and place entries (every code is only a country, region or
sub-national place code: "ARMENIA_", "GUAM_ [USAGUM]", "GAZA_ [PSEGZA]" - countries.tsv has
the countries), CAMEO's fictional test country Kinakuta (KNT), entries without any code,
nameless entries, companies below MNC_MIN_VALUE market value (see below), and entries whose
name is itself a dangerous string (see below). Merged: entries repeated with the same id and
default code (the International file repeats its NGO list), and people with the same id and
country (a CountryInfo entry and a later one): aliases and roles are united, the first
entry's code and line are kept. Roles of one code that overlap or touch are merged.

Acronyms: Phoenix writes everything in capitals. A token of 2-6 letters that is not a
particle or function word stays in capitals when it has no vowel (PKK, SPLM), or, using the
Brown-cluster vocabulary (ordered by frequency) as evidence:
  2-3 letters: written more often in capitals than capitalised (UN, US, PLO; not Ali, Kim);
  4-6 letters: more often in capitals than capitalised or in lower case, in the top
               ACRONYM_RANK words, and not a common word (NATO, ISIS, UNICEF; not Karmal);
  absent in every form: 2-3 letters, or 4 letters with at most one vowel (ANSF, IRGC);
  present only in capitals: 4 letters, or at most a third vowels (DGSE).
Parenthesised acronyms "(AAIA)" are always capitals. sway matches all-caps aliases
case-sensitively, so they are safe from common words.

Alias filter (an alias is dropped when):
  * it is shorter than 2 characters;
  * it is a single word, not an acronym, and a common English word: its lower-case form occurs
    at least EWT_MIN times in EWT train as a non-PROPN token, or it is among the BROWN_TOP
    most frequent Brown-cluster words in lower case and more frequent there in lower case than
    capitalised ("Rice", "Hope", "Moon", "Will", "Youth" go; "Bush", "Hamas", "Putin" stay);
  * it is a country string of countries.tsv (name, alias, demonym, capital, metonym): the
    country registry owns "Kabul", "Kremlin", "US";
  * it is a generic agent phrase of agents.tsv ("army", "foreign ministry").
The same tests applied to the display name skip the whole entry.

agents.tsv: from Phoenix.agents.txt ("PHRASE {PLURAL} [~CODE]"), with !MACRO! substitutions
expanded (no plural is generated for substituted lines, as in PETRARCH), regular plurals
generated for the head noun (the word before the first preposition, else the last word):
+s; +es after s, x, z, ch, sh (not -arch); consonant+y -> ies; -man -> -men; -person ->
-persons; a few irregular nouns (thief, wife, child, ...); none when "{}" is given, when the
head already is plural (EWT tags it NNS more often than NN), or for abbreviations ("GEN.").
The stems left in the file (DEFENSE_MINIST, ..._INDUSTR, ..._AUTHORIT) are expanded to
whole words (minister/ministers/ministry/ministries ...). Dropped: phrases ending in a
preposition or article ("EMBASSY_IN", "AMBASSADOR_TO": they expect a following country), a
comma that does not separate a list ending in "and" ("SOLDIERS,_ALONG_WITH_THEIR_FAMILIES"),
and any phrase with a word found in none of WordNet, EWT and the Brown clusters (misspellings
such as "BRIGAIDER", made-up macro compounds such as "CATTLEWOMAN", mojibake): no partial
word is ever written. A generated plural is kept only when that word is attested the same
way. When Phoenix gives one phrase two codes, an explicit line beats a macro expansion,
which beats a generated plural; then the first line wins. The sector is the code without
'~' (both units kept when there are two: GOVMED). The hand list data/patterns/agents.tsv is
merged in and wins on conflicts.

sectors.tsv: hand-written below (SECTORS); the build fails if any sector unit used by
agents.tsv or actors.tsv is missing, or if a CAMEO.type.txt code is missing from it.

Usage: python3 tools/build_actors.py [SHARED_DATA_DIR]
"""
import collections
import datetime
import json
import os
import re
import sys
import unicodedata

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
data = (sys.argv[1] if __name__ == "__main__" and len(sys.argv) > 1
        else os.path.join(root, "..", "shared", "data"))
DICTS = os.path.join(data, "event-dictionaries")
ACTOR_FILES = [
    ("Countries", "Phoenix.Countries.actors.txt"),
    ("International", "Phoenix.International.actors.txt"),
    ("MilNonState", "Phoenix.MilNonState.actors.txt"),
]
AGENTS_IN = os.path.join(DICTS, "Phoenix.agents.txt")
CAMEO_TYPES = os.path.join(data, "cameo", "CAMEO.type.txt")
BROWN = os.path.join(data, "lexicons", "en_brown_clusters.tsv")
EWT = os.path.join(data, "ud-english-ewt", "en_ewt-ud-train.conllu")
WORDNET_INDEX = os.path.join(data, "lexicons", "en_lemma_index.json")   # WordNet 3.0 lemmas
WORDNET_LOOKUP = os.path.join(data, "lexicons", "en_lemma_lookup.json")  # inflected forms
COUNTRIES = os.path.join(root, "data", "registry", "countries.tsv")
HAND_AGENTS = os.path.join(root, "data", "patterns", "agents.tsv")
OUT_ACTORS = os.path.join(root, "data", "registry", "actors.tsv")
OUT_AGENTS = os.path.join(root, "data", "registry", "agents.tsv")
OUT_SECTORS = os.path.join(root, "data", "registry", "sectors.tsv")

FREEZE = "2014-12-31"  # the Phoenix dictionaries were last updated in 2014
# The International file lists ~4,000 stock-listed companies with their market value in a
# comment ("# Major Banks	$18,000,000,000"). Companies below this value are left out: they
# are rarely geopolitical actors, their names are often ordinary words, and they would push
# actors.tsv over its size budget. Companies without a value are kept.
MNC_MIN_VALUE = 1_000_000_000
EWT_MIN = 2            # lower-case non-PROPN occurrences in EWT train that make a word common
BROWN_TOP = 50000      # Brown-cluster vocabulary rank under which a lower-case word may be common
ACRONYM_RANK = 100000  # a 4-6 letter token needs its capitalised form ranked at least this high

# ---------------------------------------------------------------------------------------------
# Sector table: code, label (short plural noun for readable names), CAMEO code, description.
# Covers every CAMEO.type.txt code, every unit used in Phoenix.agents.txt and the religions
# Phoenix uses as agents (Phoenix writes MUS for CAMEO's MOS and MAR for CAMEO's MRN).
# ---------------------------------------------------------------------------------------------
SECTORS = [
    # state sectors
    ("GOV", "government", "GOV", "Government: executive, ministers, officials, diplomats"),
    ("MIL", "military", "MIL", "Military: armed forces, soldiers, officers, defence ministry"),
    ("COP", "police", "COP", "Police forces and internal security, gendarmerie, prisons"),
    ("JUD", "judiciary", "JUD", "Judiciary: judges, courts, prosecutors"),
    ("LEG", "legislature", "LEG", "Legislature: parliament, lawmakers, senators"),
    ("SPY", "intelligence services", "SPY", "State intelligence agencies and agents"),
    ("ELI", "elites", "ELI", "Elites: former leaders, prominent individuals, royals not in office"),
    ("UIS", "unidentified state actors", "UIS", "Unidentified state actors"),
    # opposition and armed non-state
    ("OPP", "opposition", "OPP", "Political opposition: opposition parties, protesters, dissidents"),
    ("PTY", "political parties", "PTY", "Political parties"),
    ("REB", "rebels", "REB", "Rebels: armed groups fighting a government"),
    ("INS", "insurgents", "INS", "Insurgents"),
    ("SEP", "separatists", "SEP", "Separatist rebels"),
    ("UAF", "armed groups", "UAF", "Unaligned armed forces: militias, gunmen, mercenaries, warlords"),
    ("IMG", "militant groups", "IMG", "International militarized groups: transnational armed or terrorist groups"),
    ("CRM", "criminals", "CRM", "Criminals: gangs, smugglers, pirates, organised crime"),
    ("MOD", "moderates", "MOD", "Moderates"),
    ("RAD", "radicals", "RAD", "Radicals and extremists"),
    # society
    ("CVL", "civilians", "CVL", "Civilians: residents, citizens, the public"),
    ("PPL", "people", "CVL", "People in general (Phoenix's PPL for man, men, people; CAMEO has CVL)"),
    ("BUS", "businesses", "BUS", "Business: companies, executives, traders"),
    ("MED", "media", "MED", "Media: journalists, broadcasters, newspapers"),
    ("EDU", "educators", "EDU", "Education: schools, universities, teachers, students"),
    ("LAB", "labour", "LAB", "Labour: trade unions, workers"),
    ("AGR", "farmers", "AGR", "Agriculture: farmers, herders, fishermen"),
    ("HLH", "health workers", "HLH", "Health: doctors, nurses, hospitals, health ministry"),
    ("REF", "refugees", "REF", "Refugees and displaced people"),
    ("ENV", "environmentalists", "ENV", "Environmental groups and agencies"),
    ("DEV", "development agencies", "DEV", "Development and aid organisations and ministries"),
    ("HRI", "human rights groups", "HRI", "Human rights organisations and activists"),
    ("REL", "religious leaders", "REL", "Religious leaders and institutions, unspecified religion"),
    ("SET", "settlers", "SET", "Settlers"),
    # international and transnational
    ("IGO", "international organisations", "IGO", "Inter-governmental organisations"),
    ("NGO", "NGOs", "NGO", "Non-governmental organisations"),
    ("NGM", "movements", "NGM", "Non-governmental movements: activist networks without formal organisation"),
    ("MNC", "multinational corporations", "MNC", "Multinational corporations"),
    ("INT", "international actors", "INT", "International or transnational actors, generic"),
    ("UNO", "United Nations", "UNO", "United Nations bodies (used after IGO: IGOUNO)"),
    ("PKO", "peacekeepers", "PKO", "Peacekeeping forces"),
    ("AMN", "Amnesty International", "AMN", "Amnesty International"),
    ("IRC", "Red Cross", "IRC", "Red Cross and Red Crescent"),
    ("GRP", "Greenpeace", "GRP", "Greenpeace"),
    # religions Phoenix uses as agent sectors
    ("CHR", "Christians", "CHR", "Christianity: Christian clergy and believers"),
    ("CTH", "Catholics", "CTH", "Catholic clergy and believers (after CHR: CHRCTH)"),
    ("PRO", "Protestants", "PRO", "Protestant clergy and believers (after CHR: CHRPRO)"),
    ("MAR", "Maronites", "MRN", "Maronite Christians (Phoenix writes MAR for CAMEO's MRN)"),
    ("MUS", "Muslims", "MOS", "Islam: Muslim clergy and believers (Phoenix writes MUS for CAMEO's MOS)"),
    ("MOS", "Muslims", "MOS", "Islam: Muslim clergy and believers (CAMEO's code)"),
    ("JEW", "Jews", "JEW", "Judaism: rabbis and believers"),
    ("HIN", "Hindus", "HIN", "Hinduism: Hindu clergy and believers"),
    ("BUD", "Buddhists", "BUD", "Buddhism: Buddhist clergy and believers"),
]
SECTOR_CODES = {s[0] for s in SECTORS}

# Units that make a non-person entry an armed/political group.
GROUP_UNITS = {"REB", "INS", "OPP", "PTY", "SEP", "UAF", "IMG"}
# Leading code units that are organisations, not countries.
ORG_PREFIXES = {"IGO", "NGO", "MNC", "IMG", "NGM", "INT", "UIS"}
# CAMEO codes of defunct states -> their former ISO 3166 alpha-3 code (ISO 3166-3).
HISTORIC_ISO = {"USR": "SUN", "SUN": "SUN", "DDR": "DDR", "YUG": "YUG", "FRY": "YUG",
                "SCG": "SCG", "CSK": "CSK"}
# CAMEO regions and placeholders: not countries; country left empty.
REGIONS = {"AFR", "ASA", "BLK", "CAS", "CAU", "CFR", "CRB", "EAF", "EEU", "EIN", "EUR", "LAM",
           "MDT", "MEA", "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SCN", "SEA", "WAF",
           "WEU", "WST", "KKL", "KRJ"}
# Country-code typos in the Phoenix files: UNITA [ANGREB], WALLIS_AND_FUTUNA [FRNWLF].
CAMEO_TYPOS = {"ANG": "AGO", "FRN": "FRA"}
FICTIONAL = {"KNT"}  # Kinakuta, CAMEO's test country

PARTICLES = {"of", "the", "and", "for", "al", "bin", "ibn", "de", "la", "el", "du", "von", "van"}
# Further words kept in lower case when not first: English function words, and Romance,
# Germanic and Arabic name particles ("Action Contre la Faim", "Panel on Climate Change").
SMALL_WORDS = PARTICLES | {
    "a", "an", "on", "in", "to", "at", "by", "with", "from", "into", "or", "nor", "as", "per",
    "via", "upon", "against", "over", "under", "des", "le", "les", "et", "del", "della", "di",
    "da", "do", "dos", "das", "y", "e", "und", "fur", "der", "den", "ter", "ten", "bint",
    "binti", "ould", "ag", "ul", "ud", "ur", "wa"}
ENGLISH_FUNCTION = {"of", "the", "and", "for", "on", "in", "to", "at", "by", "with", "from"}
# East Asian names have no particles (Zhu De, Nguyen Van Thieu, Le Duc Tho).
KEEP_CAPS_COUNTRIES = {"VNM", "CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "JPN", "KHM", "LAO", "MMR", "THA"}
# lower-case middle parts of hyphenated Arabic/Persian/Urdu names: Mazar-i-Sharif, Lashkar-e-Taiba
HYPHEN_MIDDLE = {"e", "i", "ul", "al", "el", "ud", "ad", "ur", "o", "as", "ash", "ar", "an", "az", "ut"}
NAME_PIECES = {"abu", "abd", "abdul", "ali", "umm", "bint", "ben", "ould", "ag", "van", "der", "den"}
NOT_ACRONYMS = {"MR", "MRS", "MS", "DR", "ST", "JR", "SR", "LT", "MT", "FT"}
ROMAN = re.compile(r"(?:I{2,3}|IV|VI{0,3}|IX|XI{0,3}|XIV|XV)$")

# Words that make a name an organisation rather than a person (compared lower case).
ORG_WORDS = set("""
ministry ministries party parties army armies forces force council councils committee committees
union unions organization organisation organizations organisations association associations bank
banks company companies corporation corp inc ltd llc plc co group groups front fronts movement
movements agency agencies commission commissions court courts tribunal office offices department
departments bureau institute institution institutions foundation fund funds federation league
alliance assembly parliament congress senate government governments administration authority
authorities board service services police guard guards navy brigade brigades battalion battalions
regiment militia militias cell cells network society church churches mission center centre
university school college academy hospital radio television tv news times post press media
industries industry holdings systems airlines airways energy oil petroleum gas telecom
communications international national republic kingdom state states liberation revolutionary
islamic martyrs secretariat program programme project initiative conference summit club
trust coalition bloc brotherhood council community communities palace house yard
headquarters building embassy consulate parliamentary cabinet presidency monarchy command
directorate division unit units squad corps legion detachment contingent mission observers
observer peacekeepers peacekeeper troops soldiers rebels insurgents fighters guerrillas
supporters opposition group's people's peoples workers students farmers women youth children
tribe tribes clan clans family dynasty regime junta faction factions wing branch chapter bureau
agency gazette journal herald tribune telegraph daily weekly magazine broadcasting network
channel studios pictures entertainment motors motor group bancorp bancshares financial capital
partners investments insurance pharmaceuticals pharma technologies technology software
electronics electric chemicals chemical steel mining resources minerals airline air express
railway railways shipping logistics foods beverages brands stores markets exchange securities
trading enterprises international global worldwide inc. corp. ltd. co. s.a. ag nv sa spa gmbh
kk bhd tbk limited incorporated associates consultants laboratories labs health care medical
hospitals clinic institute council council's committee's taliban mujahideen hezbollah hizbollah
hamas qaeda qaida fatah baath ba'ath
""".split())
# Title words that may precede a person's name in a Phoenix primary line.
TITLE_WORDS = {"president", "secretary-general", "secretary", "general", "prime", "minister",
               "king", "queen", "prince", "princess", "sheikh", "shaikh", "emir", "sultan",
               "pope", "ayatollah", "imam", "mullah", "chancellor", "premier", "chairman",
               "governor", "senator", "ambassador", "dr.", "dr", "mr.", "mr", "mrs.", "ms.",
               "gen.", "col.", "lt.", "maj.", "capt.", "colonel", "commander", "marshal",
               "field", "admiral", "brigadier", "major", "captain", "reformer", "former",
               "un", "u.n.", "united", "nations", "of", "the", "vice", "deputy", "foreign",
               "defence", "defense", "interior", "finance", "speaker", "leader", "chief",
               "justice", "judge", "archbishop", "bishop", "cardinal", "patriarch", "rabbi",
               "grand", "supreme", "crown", "sir", "lord", "lady", "dame", "mufti"}
PERSON_COMMENT = re.compile(
    r"countryinfo|rulers\.txt|\b(leader|member|commander|spokes(man|woman|person)|president|"
    r"chairman|chairwoman|director|secretary|minister|ambassador|founder|alias of|head of|chief|"
    r"envoy|rapporteur|emir|sheikh|cleric|former|prime|governor|general|king|queen|prince|"
    r"senator|mp|judge|official|activist|journalist|candidate)\b", re.I)

PREPOSITIONS = {"of", "for", "in", "on", "to", "at", "from", "with", "against", "by", "into",
                "under", "over", "about", "between", "among", "within", "without"}
TRAILING_BAD = PREPOSITIONS | {"the", "a", "an", "and", "or", "'s"}


# =============================================================================================
# small helpers
# =============================================================================================
def ascii_fold(s):
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def slugify(name):
    """The registry's slug rule: lower case, ASCII-folded, runs of non-alphanumerics -> '-'."""
    s = ascii_fold(name).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def assign_ids(slugs):
    """Suffix -2, -3 ... to repeated slugs, in order. Returns the list of ids."""
    seen = collections.Counter()
    used = set(slugs)
    out = []
    for s in slugs:
        seen[s] += 1
        if seen[s] == 1:
            out.append(s)
            continue
        n = seen[s]
        cand = "%s-%d" % (s, n)
        while cand in used:  # "x-2" might itself be a real slug
            n += 1
            cand = "%s-%d" % (s, n)
        used.add(cand)
        seen[s] = n
        out.append(cand)
    return out


def parse_date(d, stats=None):
    """YYMMDD (YY <= 30 -> 20YY, else 19YY, PETRARCH's rule) or YYYYMMDD -> 'YYYY-MM-DD'.
    Repairs the two malformed lengths met in Phoenix (10 digits with a stray leading "19",
    9 digits with a stray trailing digit). Raises ValueError for anything else."""
    if not d.isdigit():
        raise ValueError("not a date: %r" % d)
    if len(d) == 10 and d[:2] in ("19", "20"):
        d = d[2:]
        if stats is not None:
            stats["date repaired (10 digits)"] += 1
    elif len(d) == 9:
        d = d[:8]
        if stats is not None:
            stats["date repaired (9 digits)"] += 1
    if len(d) == 6:
        yy = int(d[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(d[2:4]), int(d[4:6])
    elif len(d) == 8:
        year, month, day = int(d[:4]), int(d[4:6]), int(d[6:8])
    else:
        raise ValueError("bad date length: %r" % d)
    datetime.date(year, month, day)  # validates, raises ValueError
    return "%04d-%02d-%02d" % (year, month, day)


RESTRICTION = re.compile(
    r"^([A-Za-z0-9]+)\s*(?:([<>])\s*(\d+)|(\d+)\s*-\s*(\d+)|(\d+))?\s*$")


def parse_restriction(text, stats=None):
    """Parse the inside of [..]. Returns (code, from, to) with from/to 'YYYY-MM-DD' or ''
    (both '' for an undated code), None for the null code '---'. Open-ended roles are closed
    at FREEZE. Raises ValueError when unreadable."""
    text = text.strip()
    if text == "---":
        return None
    m = RESTRICTION.match(text)
    if not m:
        raise ValueError("bad restriction: %r" % text)
    code = m.group(1)
    if not re.fullmatch(r"[A-Z0-9]+", code):
        raise ValueError("bad code: %r" % code)
    if m.group(2):
        d = parse_date(m.group(3), stats)
        if m.group(2) == ">":
            return (code, d, max(d, FREEZE))
        return (code, "", d)
    if m.group(4):
        a, b = parse_date(m.group(4), stats), parse_date(m.group(5), stats)
        if b < a:
            raise ValueError("interval ends before it starts: %r" % text)
        return (code, a, b)
    if m.group(6):
        d = parse_date(m.group(6), stats)
        if stats is not None:
            stats["bare date read as from"] += 1
        return (code, d, max(d, FREEZE))
    return (code, "", "")


def split_units(code):
    """'IGOUNOKID' -> ['IGO','UNO','KID']; numeric CAMEORCS chunks ('214') are dropped."""
    units = []
    rest = code
    while rest:
        m = re.match(r"[A-Z]{3}|\d+|[A-Z]+", rest)
        tok = m.group(0)
        rest = rest[len(tok):]
        if tok.isdigit():
            continue
        units.append(tok)
    return units


# =============================================================================================
# Phoenix actor dictionary parser
# =============================================================================================
GARBAGE = re.compile(r"[:$=<>\"{}\\]")


class Entry:
    __slots__ = ("file", "line", "name", "aliases", "codes", "comments", "last_line", "nameless",
                 "merged_primaries")

    def __init__(self, file, line, name, nameless=False):
        self.file = file
        self.line = line
        self.name = name
        self.aliases = []
        self.codes = []      # (code, from, to)
        self.comments = []
        self.last_line = line
        self.nameless = nameless
        self.merged_primaries = 0


def split_comment(line):
    i = line.find("#")
    if i < 0:
        return line, ""
    return line[:i], line[i + 1:]


def parse_brackets(text, entry, stats, lineno):
    """Read every [..] group of a line into entry.codes. Returns the text before the first '['."""
    head = text.split("[", 1)[0]
    for inner in re.findall(r"\[([^\]]*)\]", text):
        try:
            r = parse_restriction(inner, stats)
        except ValueError:
            stats["restriction unreadable (dropped)"] += 1
            stats.setdefault("_bad_examples", []).append("%s:%d [%s]" % (entry.file, lineno, inner))
            continue
        if r is None:
            stats["null code [---] ignored"] += 1
            continue
        entry.codes.append(r)
    return head


def parse_actor_lines(lines, short, stats):
    """Parse Phoenix actor-dictionary lines into a list of Entry (nothing skipped yet)."""
    entries = []
    cur = None
    prev_kind = None  # kind of the previous physical line: 'primary', 'alias', 'code', other
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if "---STOP---" in line:
            break
        body, comment = split_comment(line)
        stripped = body.strip()
        if not stripped:
            if line.strip() and line[0] == " " and comment:
                # an indented lone comment: the primary name of this entry was deleted
                cur = Entry(short, lineno, "", nameless=True)
                entries.append(cur)
                stats["nameless entry (primary line deleted)"] += 1
                prev_kind = "primary"
            else:
                prev_kind = "blank" if not line.strip() else "comment"
            continue
        if stripped.startswith("!") and "=" in stripped:
            stats["macro line skipped"] += 1
            prev_kind = "other"
            continue
        if stripped.startswith("+"):
            if cur is None:
                stats["alias before any entry"] += 1
                continue
            for part in stripped[1:].split("+"):
                part = part.split("[", 1)[0].strip()
                if part:
                    cur.aliases.append(part)
            if "+" in stripped[1:]:
                stats["glued aliases split"] += 1
            parse_brackets(stripped, cur, stats, lineno)
            # comments on alias lines ("# (killed in 2007)") describe the alias: not kept
            cur.last_line = lineno
            prev_kind = "alias"
            continue
        if line[0] in " \t" and stripped.startswith("["):
            if cur is None:
                stats["code before any entry"] += 1
                continue
            parse_brackets(stripped, cur, stats, lineno)
            if comment.strip():
                cur.comments.append(comment.strip())
            cur.last_line = lineno
            prev_kind = "code"
            continue
        # a primary line (possibly indented by mistake)
        if line[0] in " \t":
            stats["indented primary line"] += 1
        name = stripped.split("[", 1)[0].strip()
        if GARBAGE.search(name) or not re.search(r"[A-Za-z]", name):
            stats["garbage line skipped"] += 1
            prev_kind = "other"
            continue
        if (cur is not None and not cur.codes and not cur.nameless and prev_kind in
                ("primary", "alias") and cur.last_line == lineno - 1):
            # PETRARCH: consecutive codeless primaries share the codes that follow
            cur.aliases.append(name)
            cur.merged_primaries += 1
            stats["codeless primary merged into previous"] += 1
            parse_brackets(stripped, cur, stats, lineno)
        else:
            cur = Entry(short, lineno, name)
            entries.append(cur)
            parse_brackets(stripped, cur, stats, lineno)
        tail = stripped.rsplit("]", 1)[1].strip() if "]" in stripped else ""
        if tail:  # "[MNCMED]	Newspapers/Magazines	$137,000,000" (comment without '#')
            cur.comments.append(tail)
        if comment.strip():
            cur.comments.append(comment.strip())
        cur.last_line = lineno
        prev_kind = "primary"
    return entries


# =============================================================================================
# word evidence: Brown-cluster ranks (frequency order) and EWT counts
# =============================================================================================
class Lexicon:
    def __init__(self, ewt_lower=None, ewt_nns=None, ewt_nn=None, ranks=None):
        self.ewt_lower = ewt_lower or collections.Counter()  # lower-case non-PROPN forms
        self.ewt_nns = ewt_nns or collections.Counter()
        self.ewt_nn = ewt_nn or collections.Counter()
        self.ranks = ranks or {}
        self.wordnet = set()

    @classmethod
    def load(cls, wanted):
        lx = cls()
        with open(EWT, encoding="utf-8") as f:
            for line in f:
                if not line or line[0] == "#" or line == "\n":
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 5 or not cols[0].isdigit():
                    continue
                form, upos, xpos = cols[1], cols[3], cols[4]
                lw = form.lower()
                if form == lw and upos != "PROPN":
                    lx.ewt_lower[lw] += 1
                if xpos == "NNS":
                    lx.ewt_nns[lw] += 1
                elif xpos == "NN":
                    lx.ewt_nn[lw] += 1
        with open(WORDNET_INDEX, encoding="utf-8") as f:
            for words in json.load(f).values():
                lx.wordnet.update(w.lower() for w in words)
        with open(WORDNET_LOOKUP, encoding="utf-8") as f:
            lx.wordnet.update(w.lower() for w in json.load(f))
        with open(BROWN, encoding="utf-8") as f:
            for rank, line in enumerate(f, 1):
                w = line.split("\t", 1)[0]
                if w in wanted and w not in lx.ranks:
                    lx.ranks[w] = rank
        return lx

    def rank(self, w):
        return self.ranks.get(w, 10 ** 9)

    def is_common(self, word):
        """A common English word (in lower case) - dangerous as a one-word name."""
        lw = word.lower()
        if self.ewt_lower[lw] >= EWT_MIN:
            return True
        r_low = self.rank(lw)
        return r_low <= BROWN_TOP and r_low < self.rank(lw[:1].upper() + lw[1:])

    def is_acronym(self, tok):
        """tok: a token written in capitals (letters only). See the module docstring."""
        if not (2 <= len(tok) <= 6) or not tok.isalpha() or not tok.isupper():
            return False
        if tok in NOT_ACRONYMS or tok.lower() in SMALL_WORDS or tok.lower() in NAME_PIECES:
            return False
        if not re.search(r"[AEIOUY]", tok):
            return True
        r_up, r_title = self.rank(tok), self.rank(tok.capitalize())
        absent = 10 ** 9
        if r_up == absent and r_title == absent:
            return len(tok) <= 3 or (len(tok) == 4 and len(re.findall(r"[AEIOUY]", tok)) <= 1)
        if len(tok) <= 3:
            return r_up < r_title
        if r_title == absent and self.rank(tok.lower()) == absent:
            return len(tok) == 4 or len(re.findall(r"[AEIOUY]", tok)) * 3 <= len(tok)
        return (r_up < r_title and r_up < self.rank(tok.lower()) and r_up <= ACRONYM_RANK
                and not self.is_common(tok))

    def is_strong_acronym(self, tok):
        """An acronym beyond doubt: no vowel, or far more often in capitals than capitalised."""
        if not self.is_acronym(tok):
            return False
        if not re.search(r"[AEIOUY]", tok):
            return True
        r_up, r_title = self.rank(tok), self.rank(tok.capitalize())
        return r_up * 3 < r_title

    def known(self, w):
        lw = w.lower()
        return lw in self.wordnet or self.rank(lw) < 10 ** 9 or self.ewt_lower[lw] > 0


def word_variants(tokens):
    out = set()
    for t in tokens:
        for part in re.split(r"[-'’]", t):
            core = re.sub(r"[^A-Za-z]", "", part)
            if core:
                out.update((core, core.lower(), core.upper(), core.capitalize()))
        core = re.sub(r"[^A-Za-z]", "", t)
        if core:
            out.update((core, core.lower(), core.upper(), core.capitalize()))
    return out


def raw_tokens(phrase):
    """Phoenix phrase -> list of raw tokens (underscores and blanks separate words)."""
    return [t for t in re.split(r"[_\s]+", phrase.strip()) if t]


# =============================================================================================
# rendering names
# =============================================================================================
def cap_word(w):
    """Capitalise one alphabetic chunk: 'PEOPLE'S' -> "People's", "D'IVOIRE" -> "D'Ivoire"."""
    if "'" in w or "’" in w:
        q = "'" if "'" in w else "’"
        a, b = w.split(q, 1)
        if len(a) == 1 and b and len(b) > 1:
            return a.upper() + q + cap_word(b)
        return cap_word(a) + q + b.lower()
    if not w:
        return w
    if len(w) >= 5 and w[:2].upper() == "MC" and w[2].isalpha():
        return "Mc" + w[2].upper() + w[3:].lower()
    return w[0].upper() + w[1:].lower()


def render_token(tok, first, lx, person=False, small=SMALL_WORDS, last=False):
    """Render one Phoenix token. person=True: no acronym guessing (XI_JINPING -> Xi Jinping);
    small: the words kept in lower case when not first."""
    m = re.match(r"^([^A-Za-z0-9À-ɏЀ-ӿ]*)(.*?)([^A-Za-z0-9À-ɏЀ-ӿ.]*)$", tok)
    pre, core, post = m.group(1), m.group(2), m.group(3)
    if not core:
        return tok
    if any(c.islower() for c in core):  # written in mixed case in Phoenix: trust it if sane
        if core[0].isupper() and core[1:] == core[1:].lower():
            return pre + core + post
        if core.lower() in small and not first:
            return pre + core.lower() + post
    up = core.upper()
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", core):  # U.N., B., U.S.A
        return pre + up + post
    if re.search(r"\d", core):
        if re.fullmatch(r"\d+(ST|ND|RD|TH)", up):
            return pre + core.lower() + post
        return pre + up + post
    if "&" in core:
        return pre + up + post
    word = core.rstrip(".")
    dots = core[len(word):]
    if not first and (last or up in ("II", "III")) and ROMAN.fullmatch(up):
        return pre + up + post  # John Paul II, Pius XI; not "XI Jinping", "Tram Iv Tek"
    if not first and word.lower() in small:
        return pre + word.lower() + dots + post
    if not person and lx.is_acronym(word.upper()):
        return pre + word.upper() + dots + post
    parts = word.split("-")
    out = []
    for i, p in enumerate(parts):
        lp = p.lower()
        if i == 0 and not first and lp in ("al", "el") and len(parts) > 1:
            out.append(lp)
        elif 0 < i < len(parts) - 1 and lp in HYPHEN_MIDDLE:
            out.append(lp)
        elif not person and len(parts) > 1 and lx.is_acronym(p.upper()):
            out.append(p.upper())  # UN-HABITAT, PLO-affiliated stays PLO
        else:
            out.append(cap_word(p))
    return pre + "-".join(out) + dots + post


def render(phrase, lx, person=False, country=""):
    """Phoenix phrase ('HAMID_KARZAI_') -> display form ('Hamid Karzai')."""
    toks = raw_tokens(phrase)
    if country in KEEP_CAPS_COUNTRIES:
        small = {"of", "the", "and", "for"}
    elif person:
        small = PARTICLES | {"del", "della", "di", "da", "dos", "das", "der", "den", "ter",
                             "ten", "le", "les", "des", "y", "bint", "binti", "ould", "ag"}
    else:
        small = SMALL_WORDS
    out = []
    for i, t in enumerate(toks):
        # in a person's name no acronym guessing (XI_JINPING), except first before a title
        # ("UN_SECRETARY-GENERAL_BAN_KI-MOON", "US_PRESIDENT_BARACK_OBAMA")
        nxt = toks[i + 1].lower() if i + 1 < len(toks) else ""
        out.append(render_token(t, i == 0, lx, person and (i > 0 or nxt not in TITLE_WORDS), small,
                                i == len(toks) - 1))
    return " ".join(out)


PAREN_ACRONYM = re.compile(r"\(\s*([A-Za-z0-9.&-]{2,12})\s*\)")


def split_paren_acronym(phrase):
    """'ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_' -> ('ADEN ABYAN ISLAMIC ARMY', ['AAIA']). Only
    parentheses holding one capitalised token of at most 8 letters are taken as acronyms
    ("(COLOMBIA)" is kept in the name)."""
    found = []

    def repl(m):
        inner = m.group(1)
        letters = re.sub(r"[^A-Za-z]", "", inner)
        if letters.isupper() and 2 <= len(letters) <= 8 and (
                len(letters) <= 4 or len(re.findall(r"[AEIOU]", letters)) * 2 < len(letters)):
            found.append(inner.upper())
            return " "
        return m.group(0)

    new = PAREN_ACRONYM.sub(repl, phrase.replace("_", " "))
    return re.sub(r"\s+", " ", new).strip(), found


def strip_the(name):
    if name.lower().startswith("the ") and len(name) > 4:
        return name[4:]
    return name


# =============================================================================================
# building actors
# =============================================================================================
def load_countries():
    """cameo -> iso3, and the set of country strings (lower case) owned by countries.tsv."""
    cameo_iso = {}
    strings = set()
    with open(COUNTRIES, encoding="utf-8") as f:
        header = None
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            row = dict(zip(header, cols))
            cameo_iso[row["cameo"]] = row["iso3"]
            for k in ("name", "aliases", "adjectives", "capital", "metonyms"):
                for s in row.get(k, "").split("|"):
                    if s:
                        strings.add(s.lower())
                        if s.lower().startswith("the "):
                            strings.add(s[4:].lower())
    return cameo_iso, strings


class Classifier:
    def __init__(self, cameo_iso, lx):
        self.cameo_iso = cameo_iso
        self.lx = lx

    def country_of(self, code):
        u = split_units(code)
        if not u:
            return "", []
        first = u[0]
        if first in ORG_PREFIXES:
            return "", u
        if first in self.cameo_iso:
            return self.cameo_iso[first], u[1:]
        if first in HISTORIC_ISO:
            return HISTORIC_ISO[first], u[1:]
        if first in CAMEO_TYPOS:
            return self.cameo_iso[CAMEO_TYPOS[first]], u[1:]
        if first in REGIONS or first in FICTIONAL:
            return "", u[1:]
        return "", u

    def is_place_unit(self, unit):
        return (unit in self.cameo_iso or unit in HISTORIC_ISO or unit in REGIONS
                or unit in FICTIONAL or unit in CAMEO_TYPOS)

    def sector_of(self, code):
        _, rest = self.country_of(code)
        return "".join(x for x in rest if x in SECTOR_CODES)


def default_code(entry):
    return default_code_of(entry.codes)


def default_code_of(codes):
    """The first undated code, else the code of the latest dated role."""
    undated = [c for c in codes if not c[1] and not c[2]]
    if undated:
        return undated[0][0]
    dated = sorted(codes, key=lambda c: (c[2] or FREEZE, c[1]))
    return dated[-1][0]


def name_is_orgish(tokens_lower):
    return any(t in ORG_WORDS for t in tokens_lower)


def classify_type(entry, name_tokens, lx, given_names, from_milnonstate):
    """Return 'person', 'group' or 'organisation' (see the module docstring)."""
    low = [t.lower().strip(".,()") for t in name_tokens]
    comment = " ".join(entry.comments)
    units = set()
    for c in entry.codes:
        units.update(split_units(c[0]))
    orgish = name_is_orgish(low) or any(re.search(r"\d", t) for t in name_tokens)
    if from_milnonstate and re.search(r"\bkkl\b", comment, re.I):
        return "group"  # the START TOPS list of organisations (coder initials "kkl")
    if not orgish and re.search(r"countryinfo|rulers\.txt", comment, re.I):
        return "person"  # the CountryInfo leader lists and the IGO rulers lists are people
    strong_acr = any(lx.is_strong_acronym(re.sub(r"[^A-Za-z]", "", t).upper())
                     for t in name_tokens if t.isupper())
    dotted = any(re.fullmatch(r"(?:[A-Za-z]\.){2,}", t) for t in name_tokens)
    if not orgish and not strong_acr and not dotted and 1 <= len(low) <= 6:
        core = low
        while core and core[0] in TITLE_WORDS:
            core = core[1:]
        plain = [t for t in core if t not in SMALL_WORDS and t not in NAME_PIECES]
        common = sum(1 for t in plain if lx.is_common(t))
        # at most half common words, and no English function word ("Soviet of Nationalities")
        namelike = (plain and common * 2 <= len(plain)
                    and not any(t in ENGLISH_FUNCTION for t in core))
        dated = any(c[1] or c[2] for c in entry.codes)
        if core and PERSON_COMMENT.search(comment) and (namelike or len(plain) <= 1):
            return "person"
        if len(core) >= 2 and namelike and ("ELI" in units or dated):
            return "person"
        alias_orgish = from_milnonstate and any(
            name_is_orgish([w.lower() for w in raw_tokens(a)]) for a in entry.aliases)
        if (2 <= len(core) <= 4 and plain and plain[0] in given_names and common == 0
                and not alias_orgish and not default_code(entry).startswith("MNC")):
            return "person"
    if from_milnonstate or units & GROUP_UNITS:
        return "group"
    return "organisation"


def collect_given_names(entries, lx):
    """First words of people the dictionaries mark as people (CountryInfo/IGOrulers lists)."""
    names = collections.Counter()
    for e in entries:
        if e.nameless or not e.name:
            continue
        if re.search(r"countryinfo|rulers\.txt", " ".join(e.comments), re.I):
            toks = [t.lower() for t in raw_tokens(e.name)]
            toks = [t for t in toks if t not in TITLE_WORDS]
            if len(toks) >= 2:
                names[toks[0]] += 1
    return {n for n in names
            if n not in SMALL_WORDS and n not in NAME_PIECES and n not in ORG_WORDS
            and not lx.is_common(n)
            and n.isalpha() and len(n) > 1}


def alias_problem(alias, lx, country_strings, agent_phrases):
    """Return the reason an alias is dangerous, or None."""
    if len(alias) < 2:
        return "too short"
    words = alias.split()
    low = alias.lower()
    acronym = alias.isupper() and len(re.sub(r"[^A-Z]", "", alias)) >= 2
    if low in country_strings or strip_the(low) in country_strings:
        return "country string"
    if not acronym and low in agent_phrases:
        return "generic agent phrase"
    if len(words) == 1 and not acronym:
        w = re.sub(r"[^A-Za-z'-]", "", alias)
        if w and lx.is_common(w):
            return "common word"
    return None


def read_actor_files(stats):
    """Parse the three actor files. Returns (entries, the words the lexicon must rank)."""
    parsed = []
    for short, fn in ACTOR_FILES:
        with open(os.path.join(DICTS, fn), encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
        es = parse_actor_lines(lines, short, stats)
        stats["entries read: " + short] = len(es)
        parsed.extend(es)
    # word evidence for every token we will render or test
    wanted = set()
    for e in parsed:
        for ph in [e.name] + e.aliases:
            wanted |= word_variants(raw_tokens(ph))
    return parsed, wanted


def merge_roles(roles):
    """Sort roles by FROM and merge overlapping or touching periods of the same code.
    Every role has an end (open ones were closed at FREEZE); FROM may be ''."""
    by_code = collections.defaultdict(list)
    for code, a, b in roles:
        by_code[code].append((a, b))
    out = []
    for code, periods in by_code.items():
        periods.sort()
        cur = None
        for a, b in periods:
            if cur is not None and (not a or a <= next_day(cur[1])):
                cur = (cur[0], max(cur[1], b))
            else:
                if cur is not None:
                    out.append((code, cur[0], cur[1]))
                cur = (a, b)
        out.append((code, cur[0], cur[1]))
    return sorted(out, key=lambda r: (r[1], r[2], r[0]))


def next_day(d):
    y, m, dd = (int(x) for x in d.split("-"))
    return (datetime.date(y, m, dd) + datetime.timedelta(days=1)).isoformat()


def market_value(comments):
    """'$18,000,000,000' in a Phoenix comment -> 18000000000, else None."""
    for c in comments:
        m = re.search(r"\$\s*([0-9][0-9,]*)", c)
        if m:
            return int(m.group(1).replace(",", ""))
    return None


def finish_actors(parsed, lx, cameo_iso, country_strings, agent_phrases, stats):
    cls = Classifier(cameo_iso, lx)
    stats["_units_not_sector"] = collections.Counter()
    given = collect_given_names(parsed, lx)
    rows = []
    index = {}    # (slug, code) -> row, for merging repeated entries
    persons = {}  # slug -> rows of people
    dropped = collections.defaultdict(list)
    for e in parsed:
        if e.nameless:
            stats["skipped: nameless"] += 1
            continue
        if not e.codes:
            stats["skipped: no code"] += 1
            continue
        fixed = [(CAMEO_TYPOS[c[0][:3]] + c[0][3:], c[1], c[2]) if c[0][:3] in CAMEO_TYPOS
                 else c for c in e.codes]
        if fixed != e.codes:
            stats["country-code typo corrected (ANG -> AGO, FRN -> FRA)"] += 1
            e.codes = fixed
        units_all = [split_units(c[0]) for c in e.codes]
        if any(u and u[0] in FICTIONAL for u in units_all):
            stats["skipped: fictional (Kinakuta)"] += 1
            continue
        if all(u and cls.is_place_unit(u[0]) and not any(x in SECTOR_CODES for x in u[1:])
               for u in units_all):
            stats["skipped: country or place"] += 1
            continue
        code = default_code(e)
        if code.startswith("MNC"):
            value = market_value(e.comments)
            if value is not None and value < MNC_MIN_VALUE:
                stats["skipped: company below market value %d" % MNC_MIN_VALUE] += 1
                continue
        country, rest = cls.country_of(code)
        sector = cls.sector_of(code)
        for x in rest:
            if x not in SECTOR_CODES:
                stats["_units_not_sector"][x] += 1
        name = e.name
        if "(" in name and ")" not in name.split("(", 1)[1]:
            name = name.split("(", 1)[0]  # "TSAKHIAGIYN_ELBEGDORJ_(1ST_TIME"
            stats["unclosed parenthesis cut from name"] += 1
        base, paren = split_paren_acronym(name)
        typ = classify_type(e, raw_tokens(base), lx, given, e.file == "MilNonState")
        person = typ == "person"
        full = render(base, lx, person, country)
        display = strip_the(full)
        if display != full:
            stats["leading 'The' dropped from name"] += 1
        rendered = list(paren)
        for a in e.aliases:
            b, p2 = split_paren_acronym(a)
            rendered.append(strip_the(render(b, lx, person, country)))
            rendered.extend(p2)
        rendered = [a for a in rendered if a]
        if person:
            # "Secretary-General Ban Ki-Moon" -> "Ban Ki-Moon" when Phoenix lists that alias
            toks = display.split()
            if len(toks) > 2 and toks[0].lower() in TITLE_WORDS:
                for k in range(1, len(toks) - 1):
                    tail = " ".join(toks[k:])
                    if any(a.lower() == tail.lower() for a in rendered):
                        rendered.append(display)
                        display = tail
                        stats["person title moved out of name"] += 1
                        break
        problem = alias_problem(display, lx, country_strings, agent_phrases)
        if problem:
            stats["skipped: dangerous name (%s)" % problem] += 1
            dropped["name:" + problem].append(display)
            continue
        aliases = []
        seen = {display.lower()}
        for a in rendered:
            la = a.lower()
            if la in seen:
                stats["alias duplicate dropped"] += 1
                continue
            seen.add(la)
            problem = alias_problem(a, lx, country_strings, agent_phrases)
            if problem:
                stats["alias dropped: " + problem] += 1
                dropped[problem].append(a)
                continue
            aliases.append(a)
        roles = [c for c in e.codes if c[1] or c[2]]
        slug = slugify(display)
        if not slug:
            stats["skipped: empty slug"] += 1
            continue
        # The same person listed twice (a CountryInfo entry and a later one, or a country's
        # entry and the IGO official's entry: Ban Ki-moon, Catherine Ashton) is one actor when
        # the countries agree or one side has none. Other entries merge only when the name and
        # the default code agree. The merged row's code is recomputed from all its codes.
        row = None
        if person:
            for cand in persons.get(slug, []):
                if not country or cand["countries"] <= {country}:
                    row = cand
                    break
        else:
            row = index.get((slug, code))
        if row is not None:
            have = {x.lower() for x in row["aliases"]} | {row["name"].lower()}
            for a in [display] + aliases:
                if a.lower() not in have:
                    row["aliases"].append(a)
                    have.add(a.lower())
            row["roles"] = row["roles"] + roles
            row["codes"] = row["codes"] + e.codes
            if country:
                row["countries"].add(country)
            if person:
                row["code"] = default_code_of(row["codes"])
                row["country"], _ = cls.country_of(row["code"])
                row["sector"] = cls.sector_of(row["code"])
            stats["repeated entry merged"] += 1
            continue
        row = {"slug": slug, "name": display, "type": typ, "country": country, "sector": sector,
               "code": code, "aliases": aliases, "roles": roles, "codes": list(e.codes),
               "countries": {country} - {""}, "note": "phoenix:%s:%d" % (e.file, e.line)}
        if person:
            persons.setdefault(slug, []).append(row)
        else:
            index[(slug, code)] = row
        rows.append(row)
    for r in rows:
        n = len(set(r["roles"]))
        r["roles"] = merge_roles(set(r["roles"]))
        stats["roles merged (overlapping, same code)"] += n - len(r["roles"])
    ids = assign_ids([r["slug"] for r in rows])
    for r, i in zip(rows, ids):
        r["id"] = i
        if i != r["slug"]:
            stats["id collision suffixed"] += 1
    return rows, dropped


def format_role(r):
    return "%s %s..%s" % r


def clean_field(s):
    s = s.replace("\t", " ").replace("\n", " ")
    return s


def actor_line(r):
    aliases = "|".join(a.replace("|", "/").replace(";", ",") for a in r["aliases"])
    fields = [r["id"], r["name"].replace("|", "/"), r["type"], r["country"], r["sector"],
              r["code"], aliases, ";".join(format_role(x) for x in r["roles"]), "", r["note"]]
    fields = [clean_field(f) for f in fields]
    assert len(fields) == 10
    return "\t".join(fields)


# =============================================================================================
# agents
# =============================================================================================
IRREGULAR_PLURALS = {"man": "men", "woman": "women", "child": "children", "thief": "thieves",
                     "wife": "wives", "life": "lives", "knife": "knives", "half": "halves",
                     "self": "selves", "leaf": "leaves", "wolf": "wolves", "chief": "chiefs",
                     "staff": "staff", "personnel": "personnel", "police": "police",
                     "clergy": "clergy", "militia": "militias", "foot": "feet",
                     "person": "persons", "mouse": "mice", "hero": "heroes", "echo": "echoes",
                     "veto": "vetoes", "crisis": "crises", "analysis": "analyses",
                     "criterion": "criteria", "alumnus": "alumni", "bureau": "bureaus",
                     "attorney": "attorneys", "sheep": "sheep", "deer": "deer", "fish": "fish",
                     "aircraft": "aircraft", "series": "series", "species": "species",
                     "midwife": "midwives", "housewife": "housewives"}
NOT_MAN = {"human", "german", "roman", "shaman", "ottoman", "talisman", "caiman", "walkman",
           "norman", "brahman", "ataman", "dolman", "cayman", "desman", "hetman", "sultan"}


def pluralize_word(w):
    lw = w.lower()
    if lw in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[lw]
    for k, v in IRREGULAR_PLURALS.items():  # policewoman, firewoman, housewife ...
        if len(k) >= 4 and lw.endswith(k) and k in ("woman", "person", "wife", "child"):
            return lw[: -len(k)] + v
    if lw.endswith("man") and lw not in NOT_MAN and len(lw) > 3:
        return lw[:-3] + "men"
    if re.search(r"(s|x|z|sh)$", lw) or (lw.endswith("ch") and not lw.endswith("arch")
                                         and not lw.endswith("stomach")):
        return lw + "es"
    if re.search(r"[^aeiou]y$", lw):
        return lw[:-1] + "ies"
    return lw + "s"


def head_index(words):
    for i, w in enumerate(words):
        if i > 0 and w in PREPOSITIONS:
            return i - 1
    return len(words) - 1


def is_plural_already(word, lx):
    nns, nn = lx.ewt_nns[word], lx.ewt_nn[word]
    if nns or nn:
        return nns > nn
    if word.endswith("ies") and lx.known(word[:-3] + "y"):
        return True
    if word.endswith("men") and lx.known(word[:-3] + "man"):
        return True
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and lx.known(word[:-1]):
        return lx.rank(word[:-1]) < lx.rank(word) * 4
    return False


def pluralize_phrase(phrase, lx):
    """Regular plural of the head noun of a lower-case phrase, or None when none applies."""
    words = phrase.split()
    h = head_index(words)
    head = words[h]
    if head.endswith(".") or not head.replace("-", "").replace("'", "").isalpha():
        return None
    if is_plural_already(head, lx):
        return None
    p = pluralize_word(head)
    if p == head:
        return None
    return " ".join(words[:h] + [p] + words[h + 1:])


def agent_phrase(raw):
    """'FOREIGN_MINISTER_' -> 'foreign minister'."""
    s = raw.replace("_", " ")
    s = re.sub(r"\s+", " ", s).strip().lower()
    return s


# The few stems left in Phoenix.agents.txt ("DEFENSE_MINIST"), expanded to whole words.
AGENT_STEMS = {"minist": ["minister", "ministers", "ministry", "ministries"],
               "industr": ["industry", "industries"],
               "authorit": ["authority", "authorities"]}


def parse_agents(lines, stats):
    """Return list of (phrase, sector, origin) with origin 'explicit', 'macro' or 'plural'."""
    macros = {}
    out = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        body, _ = split_comment(line)
        if not body.strip() or body.lstrip().startswith("<!"):
            continue
        if "!" in body and "=" in body:
            m = re.match(r"\s*!([A-Z]+)!\s*=\s*(.*)$", body)
            if m:
                macros[m.group(1)] = [x.strip() for x in m.group(2).split(",") if x.strip()]
                continue
        if "[" not in body:
            stats["agents: line without code"] += 1
            continue
        phrase_part, _, rest = body.partition("[")
        code = re.split(r"[]}]", rest, 1)[0].strip().replace("~", "")
        if not re.fullmatch(r"(?:[A-Z]{3})+", code):
            stats["agents: bad code"] += 1
            continue
        plural = False  # False = generate, None = no plural, str = given
        if "{" in phrase_part:
            inner = phrase_part[phrase_part.find("{") + 1: phrase_part.find("}")]
            phrase_part = phrase_part[: phrase_part.find("{")]
            plural = inner.strip() or None
        m = re.search(r"!([A-Z]+)!", phrase_part)
        if m:
            if m.group(1) not in macros:
                stats["agents: unknown macro"] += 1
                continue
            for sub in macros[m.group(1)]:
                ph = phrase_part[: m.start()] + sub + phrase_part[m.end():]
                out.append((agent_phrase(ph), code, "macro", lineno))
            stats["agents: macro lines expanded"] += 1
            continue
        ph = agent_phrase(phrase_part)
        last = ph.split()[-1] if ph else ""
        if last in AGENT_STEMS:
            for full in AGENT_STEMS[last]:
                out.append((ph[: -len(last)] + full, code, "macro", lineno))
            stats["agents: stem lines expanded"] += 1
            continue
        out.append((ph, code, "explicit", lineno))
        if isinstance(plural, str):
            out.append((agent_phrase(plural), code, "explicit-plural", lineno))
        elif plural is False:
            out.append((ph, code, "generate-plural", lineno))
    return out


def agent_reject(phrase, lx):
    words = phrase.split()
    if not words:
        return "empty"
    if words[-1] in TRAILING_BAD:
        return "ends in preposition or article"
    if "," in phrase and " and " not in phrase.rsplit(",", 1)[1]:
        return "comma not in a list of names"
    for w in words:
        core = w.strip(".'-")
        if w.endswith("."):
            continue  # abbreviation (gen., lt.)
        for part in re.split(r"[-']", core):
            if part and part.isalpha() and not lx.known(part):
                return "stem or unknown word"
    return None


def read_agents(stats):
    with open(AGENTS_IN, encoding="utf-8", errors="replace") as f:
        return parse_agents(f.readlines(), stats)


def agent_words(items):
    """Every word the agent tests may look up (phrases, their plurals and singulars)."""
    out = set()
    for ph, _, _, _ in items:
        for w in re.split(r"[\s'-]+", ph):
            w = w.strip(".,")
            if w:
                out.update((w, w.capitalize(), pluralize_word(w), w[:-1], w[:-3] + "y",
                            w[:-3] + "man"))
    return out


def build_agents(items, lx, stats):
    prio = {"explicit": 0, "explicit-plural": 1, "macro": 2, "plural": 3}
    best = {}
    rejected = collections.defaultdict(list)
    for ph, code, origin, lineno in items:
        if origin == "generate-plural":
            if agent_reject(ph, lx):
                continue
            pl = pluralize_phrase(ph, lx)
            if not pl:
                stats["agents: no plural generated (head already plural or abbreviation)"] += 1
                continue
            if agent_reject(pl, lx):
                rejected["generated plural not attested"].append(pl)
                continue
            ph, origin = pl, "plural"
        why = agent_reject(ph, lx)
        if why:
            rejected[why].append(ph)
            continue
        cand = (prio[origin], lineno, code)
        if ph in best and best[ph][2] != code:
            stats["agents: phrase with two codes (first/explicit kept)"] += 1
        if ph not in best or cand < best[ph]:
            best[ph] = cand
    result = {ph: v[2] for ph, v in best.items()}
    stats["agents from Phoenix"] = len(result)
    for why, lst in rejected.items():
        stats["agents dropped: " + why] = len(set(lst))
    # hand list wins
    with open(HAND_AGENTS, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2 or cols[0] == "phrase":
                continue
            ph, sec = cols[0].strip().lower(), cols[1].strip()
            if ph in result and result[ph] != sec:
                stats["agents: hand list overrode Phoenix"] += 1
            elif ph not in result:
                stats["agents: added from hand list"] += 1
            result[ph] = sec
    return result, rejected


# =============================================================================================
# sectors
# =============================================================================================
def check_sectors(agent_map, actor_rows):
    missing = set()
    for sec in list(agent_map.values()) + [r["sector"] for r in actor_rows]:
        for u in split_units(sec):
            if u not in SECTOR_CODES:
                missing.add(u)
    with open(CAMEO_TYPES, encoding="utf-8") as f:
        for line in f:
            c = line.split("\t")[0].strip()
            if c and c != "CODE" and c not in SECTOR_CODES:
                missing.add(c)
    if missing:
        sys.exit("build_actors: sector codes missing from SECTORS: " + " ".join(sorted(missing)))


# =============================================================================================
def main():
    stats = collections.Counter()
    parsed, wanted = read_actor_files(stats)
    agent_items = read_agents(stats)
    wanted |= agent_words(agent_items)
    with open(HAND_AGENTS, encoding="utf-8") as f:
        for line in f:
            wanted |= word_variants(re.findall(r"[A-Za-z][A-Za-z'-]*", line))
    lx = Lexicon.load(wanted)
    cameo_iso, country_strings = load_countries()

    agent_map, agent_rejected = build_agents(agent_items, lx, stats)
    agent_phrases = set(agent_map)
    rows, dropped = finish_actors(parsed, lx, cameo_iso, country_strings, agent_phrases, stats)
    check_sectors(agent_map, rows)

    # ---- write actors.tsv
    with open(OUT_ACTORS, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by tools/build_actors.py from the Phoenix actor dictionaries "
                "(Phoenix.Countries/International/MilNonState.actors.txt, MIT, (c) 2014 Open Event "
                "Data Alliance) - do not edit by hand; curated entries with the same id override "
                "these.\n")
        f.write("# Freeze rule: Phoenix stopped being updated in 2014, so an open-ended role is "
                "closed at %s, meaning 'held at least until the dictionary froze'.\n" % FREEZE)
        f.write("# Roles are 'CODE FROM..TO' (YYYY-MM-DD, either may be empty), ';'-separated; "
                "aliases are '|'-separated and all-caps aliases match case-sensitively.\n")
        f.write("id\tname\ttype\tcountry\tsector\tcode\taliases\troles\tpatrons\tnote\n")
        for r in rows:
            f.write(actor_line(r) + "\n")
    # ---- write agents.tsv
    with open(OUT_AGENTS, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by tools/build_actors.py - do not edit by hand (edit "
                "data/patterns/agents.tsv, which wins on conflicts, or the script).\n")
        f.write("# Generic agent nouns and their sector (CAMEO agent codes, see sectors.tsv), from "
                "Phoenix.agents.txt (MIT, (c) 2014 Open Event Data Alliance) with macros expanded "
                "and regular plurals generated, plus the sway hand list.\n")
        f.write("phrase\tsector\n")
        for ph in sorted(agent_map):
            f.write("%s\t%s\n" % (ph, agent_map[ph]))
    # ---- write sectors.tsv
    with open(OUT_SECTORS, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by tools/build_actors.py - do not edit by hand. The sector codes "
                "sway uses, after CAMEO's agent/type codes (as in the Phoenix dictionaries, MIT, "
                "(c) 2014 Open Event Data Alliance; CAMEO.type.txt labels). A compound sector "
                "(GOVMIL) is a concatenation of these.\n")
        f.write("sector\tlabel\tcameo\tdescription\n")
        for s in SECTORS:
            f.write("\t".join(s) + "\n")

    # ---- summary
    types = collections.Counter(r["type"] for r in rows)
    print("actors.tsv: %d entries (%s), %d bytes" % (
        len(rows), ", ".join("%s %d" % kv for kv in sorted(types.items())),
        os.path.getsize(OUT_ACTORS)))
    print("  with roles: %d; aliases: %d" % (sum(1 for r in rows if r["roles"]),
                                               sum(len(r["aliases"]) for r in rows)))
    print("agents.tsv: %d phrases, %d bytes" % (len(agent_map), os.path.getsize(OUT_AGENTS)))
    print("sectors.tsv: %d sectors" % len(SECTORS))
    for k in sorted(stats):
        if not k.startswith("_"):
            print("  %-55s %d" % (k, stats[k]))
    for k in sorted(dropped):
        ex = sorted(set(dropped[k]))
        print("  dropped %s (%d distinct): %s" % (k, len(ex), ", ".join(ex[:25])))
    for k in sorted(agent_rejected):
        ex = sorted(set(agent_rejected[k]))
        print("  agents %s (%d): %s" % (k, len(ex), ", ".join(ex[:25 if "plural" in k else 400])))
    units = stats["_units_not_sector"]
    print("  code units kept out of `sector` (known groups, regions, ...): %d kinds; top: %s" % (
        len(units), " ".join("%s:%d" % kv for kv in units.most_common(15))))
    bad = stats.get("_bad_examples")
    if bad:
        print("  unreadable restrictions: " + "; ".join(bad[:10]))


if __name__ == "__main__":
    main()
