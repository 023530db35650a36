#!/usr/bin/env python3
"""Score sway's event coding on the PETRARCH2 unit-test records, read from
../shared/data/petrarch-unit-tests/.

    python3 bench/petrarch.py [--sway PATH] [--data DIR] [--jobs 2] [--patterns FILE]

Records (``PETR.UnitTest.records.xml``): ``<Validation><Environment/><Sentences>``
holds ``<Sentence date="YYYYMMDD" id=... category=... sentence="true|false">``
elements, each with one or more ``<EventCoding>`` children, a ``<Text>`` and a
``<Parse>`` (a constituency parse, ignored: sway parses the text itself), and
``<Config option=... value=...>`` elements between sentences that change PETRARCH
options for the records after them (kept per record in the JSON, not acted on).
An ``<EventCoding>`` is one of

  * ``sourcecode=... targetcode=... eventcode=...``: one expected coding. ``---`` is
    PETRARCH's null actor (scored as "no participant"; ``---GOV`` keeps its agent);
    a quoted code (``'"THE MINISTRY OF MAGIC"'``) is a new actor named by its noun
    phrase, matched against sway's participant text (upper case, possessive 's and
    apostrophes dropped, spaces collapsed);
  * ``noevents="True"``: the record expects no event (so does a record with no
    ``<EventCoding>`` at all);
  * ``error="..."``: the record tests PETRARCH's input checks (bad parse, story or
    sentence discards, datelines). These are not scored (listed separately).

Records with ``sentence="false"`` are switched off in PETRARCH's own suite ("currently
not implemented") and are not scored either, unless ``--include-disabled``.

Dictionaries. ``PETR.Validate.actors.txt`` becomes a user registry (sway's TSV format,
written to a temporary file, passed with ``--registry``): one entry per dictionary
entry, its first name as ``name``, its ``+`` synonyms as aliases, the PETRARCH code
as ``code`` (upper-cased; ``country`` and ``sector`` left empty: the countries are
fictional), type ``person`` when the name starts with a title (President, Prince,
King, ...) and ``organisation`` otherwise. Dated code blocks become dated roles
(``[X < D]`` -> ``X ..D-1``, ``[X > D]`` -> ``X D+1..``, ``[X A-B]`` -> ``X A..B``;
6-digit dates are 19YYMMDD); the default code is the first undated block, else the
first block. Slash codes (``[A/B]``) keep only A; entries whose only code is ``---`` or
``+++`` are left out. Names are written in title case (PETRARCH writes them in capitals,
which sway would read as acronyms), except one-word names of at most 3 letters (IMF,
PLO) and words with a dot (U.N.). PETRARCH matches a dictionary word not followed by ``_`` as a stem
(ERIADOR matches "Eriadorian"); sway matches whole words, so by default every
capitalised word sequence of the record texts that the entry matches by PETRARCH's
stem rule is added as an alias (``--no-stems`` turns this off).

``PETR.Validate.agents.txt`` (government, military, ... agents that extend an actor's
code: "Arnorian government" -> ARNGOV) has no user-file equivalent in sway: sway
uses its own agent list. ``PETR.Validate.verbs.txt`` (the verb patterns behind the
expected CAMEO codes, some of them not CAMEO at all: 903, 1717, 174K) has none
either; ``--patterns FILE`` passes ``--patterns FILE`` through to sway for when it
has one (never by default).

Each expected code is classed as: ``null`` (``---``), ``actor`` (a code of the actor
dictionary), ``agent`` (an actor code, or ``---``, with agent codes before/after it),
``new-actor`` (quoted) or ``other``. A record "needs agents" when one of its expected
codes is ``agent``; "actors only" when all are ``actor`` or ``null`` (no-event
records included).

Scores. sway's codings of a record = the set of (source code, target code, CAMEO
code) over all its events (a missing participant is the empty code). A record
passes when that set equals the expected set (a no-event record passes when sway
codes none). Coding precision/recall/F1 are micro-averaged over records (sets per
record). The lenient score compares the CAMEO root (first two digits) instead of the
full code. Failed records are classed (a record may have several kinds): no events
coded; extra events (events where none are expected, or beyond all expected ones);
and for expected codings not found, paired greedily with an unmatched sway coding
sharing most fields: wrong code, wrong source, wrong target, wrong source+target,
wrong code+actor, or missed (nothing left to pair with).

Writes bench/results/petrarch-latest.json (codes only, no sentence text).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import swayio  # noqa: E402

RECORDS = "PETR.UnitTest.records.xml"
CONFIG = "PETR_config.ini"
ACTORS = "PETR.Validate.actors.txt"
AGENTS = "PETR.Validate.agents.txt"
VERBS = "PETR.Validate.verbs.txt"

NULL = ""  # an absent participant / PETRARCH's "---"
# PETRARCH's option defaults (as in PETR_config.ini); <Config> values that differ are recorded
DEFAULT_OPTIONS = {"new_actor_length": "0", "require_dyad": "true", "comma_min": "2", "comma_max": "8",
                   "comma_bmin": "0", "comma_bmax": "0", "comma_emin": "2", "comma_emax": "8"}
TITLES = frozenset("PRESIDENT PRINCE PRINCESS KING QUEEN LORD LADY SIR DR GENERAL".split())
HEADER = ["id", "name", "type", "country", "sector", "code", "aliases", "roles", "patrons", "note"]
CODE_RE = re.compile(r"^[A-Z0-9]{3,18}$")

# --------------------------------------------------------------------------- #
# Records
# --------------------------------------------------------------------------- #


@dataclass
class Record:
    id: str
    date: str  # YYYY-MM-DD ("" when absent or malformed)
    category: str
    enabled: bool  # sentence="true"
    text: str  # whitespace collapsed
    codings: list  # expected (source, target, event) triples, codes normalised
    noevents: bool = False
    error: str | None = None
    options: dict = field(default_factory=dict)  # PETRARCH options in force that differ from the defaults


def norm_code(code: str | None) -> str:
    """An expected participant code as compared: upper case, ``---`` -> "" (null);
    quoted new-actor codes keep their quotes (``"THE MINISTRY OF MAGIC"``)."""
    c = (code or "").strip()
    if c.startswith('"'):
        return '"' + norm_text(c.strip('"')) + '"'
    c = c.upper()
    return NULL if c in ("", "---") else c


def norm_text(s: str) -> str:
    """A noun phrase as a PETRARCH new-actor code: upper case, possessive 's and
    apostrophes dropped, spaces collapsed."""
    s = re.sub(r"['’]S\b", "", s.upper())
    s = s.replace("'", "").replace("’", "")
    return " ".join(s.split())


def petr_date(d: str) -> str:
    """``19950101`` -> ``1995-01-01``; 6-digit TABARI dates are 19YYMMDD; else ""."""
    d = (d or "").strip()
    if re.fullmatch(r"\d{6}", d):
        d = "19" + d
    if not re.fullmatch(r"\d{8}", d):
        return ""
    try:
        return _dt.date(int(d[:4]), int(d[4:6]), int(d[6:])).isoformat()
    except ValueError:
        return ""


def read_option_defaults(path: str) -> dict:
    """The [Options] of a PETR_config.ini (lower-cased values), over DEFAULT_OPTIONS."""
    import configparser

    out = dict(DEFAULT_OPTIONS)
    cp = configparser.ConfigParser()
    try:
        cp.read(path, encoding="utf-8")
    except (configparser.Error, OSError):
        return out
    if cp.has_section("Options"):
        for k, v in cp.items("Options"):
            out[k] = v.strip().lower()
    return out


def parse_records(xml_text: str, defaults: dict | None = None) -> list[Record]:
    """Every ``<Sentence>`` of a PETRARCH validation file, in file order, with the
    ``<Config>`` options in force at that point that differ from ``defaults``
    (DEFAULT_OPTIONS when None; comparison ignores case)."""
    defaults = DEFAULT_OPTIONS if defaults is None else defaults
    root = ET.fromstring(xml_text)
    sents = root.find("Sentences")
    if sents is None:
        sents = root
    out, options = [], {}
    for el in sents:
        if el.tag == "Config":
            opt = (el.get("option") or "").strip()
            if opt:
                options[opt] = (el.get("value") or "").strip()
            continue
        if el.tag != "Sentence":
            continue
        txt = el.find("Text")
        text = " ".join((txt.text or "").split()) if txt is not None else ""
        codings, noevents, error = [], False, None
        for ec in el.findall("EventCoding"):
            a = {k.strip(): (v or "").strip() for k, v in ec.attrib.items()}
            if "error" in a:
                error = a["error"] or "error"
            elif a.get("noevents", "").lower() == "true":
                noevents = True
            elif "eventcode" in a:
                codings.append((norm_code(a.get("sourcecode")), norm_code(a.get("targetcode")),
                                a["eventcode"].strip().upper()))
        attrs = {k.strip(): (v or "").strip() for k, v in el.attrib.items()}
        out.append(Record(
            id=attrs.get("id", f"record-{len(out)}"),
            date=petr_date(attrs.get("date", "")),
            category=attrs.get("category", ""),
            enabled=attrs.get("sentence", "true").lower() != "false",
            text=text,
            codings=codings,
            noevents=noevents,
            error=error,
            options={k: v for k, v in options.items() if v.lower() != str(defaults.get(k, "")).lower()},
        ))
    return out


# --------------------------------------------------------------------------- #
# Dictionaries
# --------------------------------------------------------------------------- #


@dataclass
class Name:
    words: list  # upper-case words
    exact: list  # per word: True when written with a following "_" (no stem matching)
    raw: str


@dataclass
class CodeBlock:
    code: str  # as written, upper-cased
    alternatives: list  # further codes of a slash block ([A/B] -> ["B"])
    start: str = ""  # YYYY-MM-DD, inclusive ("" = open)
    end: str = ""


@dataclass
class ActorEntry:
    names: list  # list[Name]; the first is the head
    codes: list  # list[CodeBlock]
    line: int


def strip_comments(text: str) -> str:
    """Remove ``<!-- -->`` blocks (also ``<! -- -->``), keeping line numbers."""
    return re.sub(r"<!\s*--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


def parse_name(raw: str) -> Name | None:
    raw = raw.strip()
    if not raw:
        return None
    words, exact = [], []
    for m in re.finditer(r"([^\s_]+)(_?)", raw):
        words.append(m.group(1).upper())
        exact.append(bool(m.group(2)))
    return Name(words, exact, raw) if words else None


CODE_BLOCK_RE = re.compile(r"\[\s*([^\]\s<>]+)\s*(?:([<>])\s*(\d{6,8})|(\d{6,8})\s*-\s*(\d{6,8}))?\s*\]")


def _shift(day: str, delta: int) -> str:
    return (_dt.date.fromisoformat(day) + _dt.timedelta(days=delta)).isoformat() if day else ""


def parse_code_block(s: str) -> CodeBlock | None:
    m = CODE_BLOCK_RE.search(s)
    if not m:
        return None
    codes = [c for c in m.group(1).upper().split("/") if c]
    if not codes:
        return None
    b = CodeBlock(codes[0], codes[1:])
    if m.group(2) == "<":
        b.end = _shift(petr_date(m.group(3)), -1)
    elif m.group(2) == ">":
        b.start = _shift(petr_date(m.group(3)), 1)
    elif m.group(4):
        b.start, b.end = petr_date(m.group(4)), petr_date(m.group(5))
    return b


def parse_actor_dict(text: str) -> list[ActorEntry]:
    """A PETRARCH/TABARI actor dictionary: ``NAME [CODE]`` lines, ``+SYNONYM`` lines
    adding names to the entry above, indented ``[CODE date-restriction]`` lines adding
    code blocks; ``#`` starts a comment. Entries with no code block are dropped."""
    entries: list[ActorEntry] = []
    cur: ActorEntry | None = None
    for ln, line in enumerate(strip_comments(text).splitlines(), 1):
        body = line.split("#", 1)[0].rstrip()
        if not body.strip():
            continue
        stripped = body.strip()
        if stripped.startswith("["):
            if cur is not None:
                b = parse_code_block(stripped)
                if b:
                    cur.codes.append(b)
            continue
        is_syn = stripped.startswith("+")
        name_part = stripped[1:] if is_syn else stripped
        block = None
        if "[" in name_part:
            name_part, rest = name_part.split("[", 1)
            block = parse_code_block("[" + rest)
        name = parse_name(name_part)
        if is_syn and cur is not None:
            if name:
                cur.names.append(name)
            if block:
                cur.codes.append(block)
            continue
        if name is None:
            continue
        cur = ActorEntry([name], [block] if block else [], ln)
        entries.append(cur)
    return [e for e in entries if e.codes]


def parse_agent_codes(text: str) -> tuple[set, set]:
    """Agent codes of an agents dictionary: (suffix codes from ``[~GOV]``, prefix
    codes from ``[NGO~]``), upper-cased."""
    suffix, prefix = set(), set()
    for line in strip_comments(text).splitlines():
        body = line.split("#", 1)[0]
        for m in re.finditer(r"\[\s*([^\]]*?)\s*\]", body):
            c = m.group(1).replace(" ", "").upper()
            if c.startswith("~") and len(c) > 1:
                suffix.add(c[1:])
            elif c.endswith("~") and len(c) > 1:
                prefix.add(c[:-1])
    return suffix, prefix


def display_word(w: str, single: bool) -> str:
    if "." in w or (single and len(w) <= 3) or not any(c.isalpha() for c in w):
        return w
    return "-".join(p[:1].upper() + p[1:].lower() for p in w.split("-"))


def display_name(words: list) -> str:
    return " ".join(display_word(w, len(words) == 1) for w in words)


WORD_RE = re.compile(r"[A-Za-z][A-Za-z\-]*")


def stem_aliases(name: Name, texts) -> set:
    """Surface forms in ``texts`` that ``name`` matches by PETRARCH's rule (a word not
    followed by ``_`` matches any word it begins), starting with a capital letter,
    for names made of letters and hyphens only. Exact matches are not returned."""
    if not all(re.fullmatch(r"[A-Z][A-Z\-]*", w) for w in name.words):
        return set()
    if all(name.exact):
        return set()
    n, out = len(name.words), set()
    for text in texts:
        toks = [(m.group(0), m.group(0).upper()) for m in WORD_RE.finditer(text)]
        for i in range(len(toks) - n + 1):
            if not toks[i][0][:1].isupper():
                continue
            ok = True
            for k in range(n):
                w, ex = name.words[k], name.exact[k]
                t = toks[i + k][1]
                if not (t == w if ex else t.startswith(w)):
                    ok = False
                    break
            if ok:
                surf = [toks[i + k][0] for k in range(n)]
                if [s.upper() for s in surf] != name.words:
                    out.add(" ".join(surf))
    return out


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-") or "x"


def registry_tsv(entries: list[ActorEntry], texts=(), stems: bool = True) -> tuple[str, dict]:
    """sway user-registry TSV for the actor entries (see the module docstring), and
    conversion statistics."""
    rows = ["# PETRARCH validation actors converted by bench/petrarch.py (temporary file)", "\t".join(HEADER)]
    st = Counter()
    skipped, dropped_alts, ids = [], [], set()
    texts = list(texts)
    for e in entries:
        blocks = [b for b in e.codes if CODE_RE.match(b.code)]
        if not blocks:
            skipped.append(" ".join(e.names[0].words) + " [" + "/".join(b.code for b in e.codes) + "]")
            st["entries_skipped_no_code"] += 1
            continue
        st["dated_blocks_dropped_bad_code"] += sum(1 for b in e.codes if not CODE_RE.match(b.code))
        undated = [b for b in blocks if not b.start and not b.end]
        default = (undated or blocks)[0]
        roles = []
        for b in blocks:
            if b.start or b.end:
                roles.append(f"{b.code} {b.start}..{b.end}")
        for b in blocks:
            if b.alternatives:
                dropped_alts.append(f"{b.code}/{'/'.join(b.alternatives)}")
        head = display_name(e.names[0].words)
        aliases = []
        for nm in e.names[1:]:
            aliases.append(display_name(nm.words))
        if stems:
            extra = set()
            for nm in e.names:
                extra |= stem_aliases(nm, texts)
            known = {a.upper() for a in aliases} | {head.upper()}
            new = sorted(a for a in extra if a.upper() not in known)
            st["stem_aliases"] += len(new)
            aliases += new
        aliases = list(dict.fromkeys(a for a in aliases if a and a.upper() != head.upper()))
        kind = "person" if e.names[0].words[0] in TITLES else "organisation"
        base = "petr-" + slug(head)
        eid, k = base, 2
        while eid in ids:
            eid, k = f"{base}-{k}", k + 1
        ids.add(eid)
        rows.append("\t".join([eid, head, kind, "", "", default.code, "|".join(aliases), "; ".join(roles), "",
                               f"{ACTORS} line {e.line}"]))
        st["entries"] += 1
        st["persons"] += kind == "person"
        st["dated_roles"] += len(roles)
    stats = {**dict(st), "skipped": skipped, "slash_codes_first_kept": dropped_alts}
    return "\n".join(rows) + "\n", stats


def actor_codes(entries: list[ActorEntry]) -> set:
    out = set()
    for e in entries:
        for b in e.codes:
            out.add(b.code)
            out.update(b.alternatives)
    return {c for c in out if CODE_RE.match(c)}


def code_class(code: str, actors: set, agent_suffix: set, agent_prefix: set) -> str:
    """null, actor, agent, new-actor or other (see the module docstring)."""
    if code == NULL:
        return "null"
    if code.startswith('"'):
        return "new-actor"
    if code in actors:
        return "actor"
    units = set(agent_suffix)
    for a in agent_suffix:  # multi-unit agent codes also combine unit by unit (GOV + FRM)
        units.update(a[i:i + 3] for i in range(0, len(a), 3))

    def rest_ok(s: str) -> bool:
        if not s:
            return True
        return any(s.startswith(u) and rest_ok(s[len(u):]) for u in units if u)

    def with_actor(s: str) -> bool:
        heads = [a for a in actors | {"---"} if s.startswith(a)]
        return any(rest_ok(s[len(h):]) and len(s) > len(h) for h in heads)

    if with_actor(code):
        return "agent"
    for p in agent_prefix:
        if code.startswith(p) and len(code) > len(p):
            s = code[len(p):]
            if s in actors or with_actor(s):
                return "agent"
    return "other"


def record_group(rec: Record, classes: dict) -> str:
    """actors-only, needs-agents, needs-new-actor or other-codes."""
    cls = {classes[c] for t in rec.codings for c in t[:2]}
    if "agent" in cls:
        return "needs-agents"
    if "new-actor" in cls:
        return "needs-new-actor"
    if "other" in cls:
        return "other-codes"
    return "actors-only"


# --------------------------------------------------------------------------- #
# sway's codings and scores
# --------------------------------------------------------------------------- #


def participant_code(p, quoted: set) -> str:
    """A sway participant as a PETRARCH code: its ``code`` upper-cased (absent ->
    ""), or the quoted new-actor code its text spells when the record expects one."""
    if not p:
        return NULL
    if quoted:
        q = '"' + norm_text(p.get("text") or "") + '"'
        if q in quoted:
            return q
    return (p.get("code") or "").upper()


def sway_codings(rec: dict | None, quoted: set = frozenset()) -> set:
    out = set()
    for ev in (rec or {}).get("events") or []:
        out.add((participant_code(ev.get("source"), quoted), participant_code(ev.get("target"), quoted),
                 (ev.get("cameo") or "").upper()))
    return out


def root(triples) -> set:
    return {(s, t, c[:2]) for s, t, c in triples}


def failure_kinds(expected: set, got: set) -> list[tuple]:
    """Why a record failed: list of (kind, expected triple or None, sway triple or
    None); empty when the sets are equal."""
    if expected == got:
        return []
    if not got:
        return [("no events coded", e, None) for e in sorted(expected)] or [("no events coded", None, None)]
    if not expected:
        return [("extra events", None, g) for g in sorted(got)]
    miss, extra = sorted(expected - got), sorted(got - expected)
    cands = []
    for i, e in enumerate(miss):
        for j, g in enumerate(extra):
            same = [e[k] == g[k] for k in range(3)]
            if any(same):
                cands.append((-sum(same), not same[2], i, j))
    cands.sort()
    used_e, used_g, out = set(), set(), []
    for _, _, i, j in cands:
        if i in used_e or j in used_g:
            continue
        used_e.add(i)
        used_g.add(j)
        e, g = miss[i], extra[j]
        s, t, c = (e[0] == g[0], e[1] == g[1], e[2] == g[2])
        if s and t:
            kind = "wrong code"
        elif t and c:
            kind = "wrong source"
        elif s and c:
            kind = "wrong target"
        elif c:
            kind = "wrong source+target"
        else:
            kind = "wrong code+actor"
        out.append((kind, e, g))
    out += [("missed event", miss[i], None) for i in range(len(miss)) if i not in used_e]
    out += [("extra events", None, extra[j]) for j in range(len(extra)) if j not in used_g]
    return out


def prf(correct: int, n_sys: int, n_gold: int) -> dict:
    p = correct / n_sys if n_sys else 0.0
    r = correct / n_gold if n_gold else 0.0
    return {"gold": n_gold, "system": n_sys, "correct": correct,
            "p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


class Tally:
    """Pass counts and coding counts for a group of records."""

    def __init__(self):
        self.n = self.passed = self.passed_root = 0
        self.c = Counter()

    def add(self, expected: set, got: set) -> bool:
        ok = expected == got
        self.n += 1
        self.passed += ok
        self.passed_root += root(expected) == root(got)
        self.c["gold"] += len(expected)
        self.c["sys"] += len(got)
        self.c["ok"] += len(expected & got)
        re_, rg = root(expected), root(got)
        self.c["gold_root"] += len(re_)
        self.c["sys_root"] += len(rg)
        self.c["ok_root"] += len(re_ & rg)
        return ok

    def scores(self) -> dict:
        return {
            "records": self.n,
            "passed": self.passed,
            "pass_rate": self.passed / self.n if self.n else 0.0,
            "passed_root": self.passed_root,
            "pass_rate_root": self.passed_root / self.n if self.n else 0.0,
            "codings": prf(self.c["ok"], self.c["sys"], self.c["gold"]),
            "codings_root": prf(self.c["ok_root"], self.c["sys_root"], self.c["gold_root"]),
        }


def fmt_triple(t) -> str:
    if t is None:
        return "-"
    return f"{t[0] or '---'}>{t[1] or '---'}:{t[2] or '?'}"


# --------------------------------------------------------------------------- #
# Main
# --------------------------------------------------------------------------- #


VERBS = "PETR.Validate.verbs.txt"


def convert_verbs(path: str) -> str:
    """The records' verb dictionary in sway's pattern format, in a temporary file."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import build_patterns  # noqa: E402

    stats = Counter()
    with open(path, encoding="utf-8", errors="replace") as f:
        rows = build_patterns.parse_dictionary(f.readlines(), build_patterns.Lexicon.load(), stats)
    fd, out = tempfile.mkstemp(prefix="sway-petr-verbs-", suffix=".tsv")
    os.close(fd)
    build_patterns.write_rows(rows, out)
    return out


def convert_agents(path: str) -> str:
    """The records' agents dictionary as sway's `phrase<TAB>sector` file (plurals added
    as PETRARCH generates them), in a temporary file."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import build_actors  # noqa: E402

    stats = Counter()
    with open(path, encoding="utf-8", errors="replace") as f:
        items = build_actors.parse_agents(f.readlines(), stats)
    rows = {}
    for phrase, code, origin, _ in items:
        if not phrase:
            continue
        if origin == "generate-plural":
            words = phrase.split()
            phrase = " ".join(words[:-1] + [build_actors.pluralize_word(words[-1])])
        rows.setdefault(phrase, code)
    fd, out = tempfile.mkstemp(prefix="sway-petr-agents-", suffix=".tsv")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("phrase\tsector\n")
        for phrase, code in sorted(rows.items()):
            f.write(f"{phrase}\t{code}\n")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sway", default=os.path.join(ROOT, "target", "release", "sway"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "petrarch-unit-tests"))
    ap.add_argument("--jobs", "-j", type=int, default=2, help="sway -j (default 2)")
    ap.add_argument("--patterns", default=None,
                    help="pass --patterns FILE to sway (a user event-pattern file; not passed unless given)")
    ap.add_argument("--bundled-verbs", action="store_true",
                    help="code with sway's bundled CAMEO dictionary instead of the records' own PETR.Validate.verbs.txt")
    ap.add_argument("--no-stems", action="store_true",
                    help="do not add the stem-matched surface forms of the record texts as registry aliases")
    ap.add_argument("--include-disabled", action="store_true",
                    help='also score records marked sentence="false" (switched off in PETRARCH\'s own suite)')
    ap.add_argument("--keep-registry", default=None,
                    help="also write the converted registry TSV here (keep it outside the repo)")
    ap.add_argument("--errors", type=int, default=10, help="failure patterns listed (default 10)")
    ap.add_argument("--json", default=os.path.join(BENCH, "results", "petrarch-latest.json"))
    a = ap.parse_args(argv)

    rpath, apath = os.path.join(a.data, RECORDS), os.path.join(a.data, ACTORS)
    if not (os.path.isfile(rpath) and os.path.isfile(apath)):
        print(f"petrarch bench SKIPPED: PETRARCH unit-test data not found at {os.path.normpath(a.data)} "
              f"(expects {RECORDS} and {ACTORS})", file=sys.stderr)
        return 0
    t_start = time.perf_counter()
    with open(rpath, encoding="utf-8") as f:
        records = parse_records(f.read(), read_option_defaults(os.path.join(a.data, CONFIG)))
    with open(apath, encoding="utf-8", errors="replace") as f:
        actor_entries = parse_actor_dict(f.read())
    agent_suffix, agent_prefix = set(), set()
    gpath = os.path.join(a.data, AGENTS)
    if os.path.isfile(gpath):
        with open(gpath, encoding="utf-8", errors="replace") as f:
            agent_suffix, agent_prefix = parse_agent_codes(f.read())

    tsv, conv = registry_tsv(actor_entries, [r.text for r in records], stems=not a.no_stems)
    fd, reg_path = tempfile.mkstemp(prefix="sway-petr-registry-", suffix=".tsv")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(tsv)
    if a.keep_registry:
        with open(a.keep_registry, "w", encoding="utf-8") as f:
            f.write(tsv)
    extra = ["--registry", reg_path]
    verbs_note = "bundled CAMEO dictionary"
    if a.patterns:
        extra += ["--patterns", a.patterns]
        verbs_note = f"--patterns {a.patterns} with the bundled dictionary"
    elif not a.bundled_verbs and os.path.isfile(os.path.join(a.data, VERBS)):
        # The records assume their own small verb dictionary: convert it with the project's
        # converter and code with it alone, as PETRARCH's suite does.
        pat_path = convert_verbs(os.path.join(a.data, VERBS))
        extra += ["--patterns", pat_path, "--no-default-patterns"]
        verbs_note = f"{VERBS} (converted by tools/build_patterns.py) alone"
    if os.path.isfile(gpath):
        extra += ["--agents", convert_agents(gpath)]
    print(f"verb patterns: {verbs_note}; agents: {AGENTS if os.path.isfile(gpath) else 'bundled'}")
    try:
        run = swayio.run_analyze(a.sway, [(r.id, r.text, r.date or None) for r in records], a.jobs,
                                 extra_args=extra)
    except (RuntimeError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        os.unlink(reg_path)

    acodes = actor_codes(actor_entries)
    classes = {}
    for r in records:
        for t in r.codings:
            for c in t[:2]:
                classes.setdefault(c, code_class(c, acodes, agent_suffix, agent_prefix))

    def scored(r: Record) -> bool:
        return r.error is None and (r.enabled or a.include_disabled)

    main_t, all_t, with_t, without_t = Tally(), Tally(), Tally(), Tally()
    groups: dict = defaultdict(Tally)
    cats: dict = defaultdict(Tally)
    kinds_records, kinds_items, patterns = Counter(), Counter(), Counter()
    per_record, not_scored = [], []
    for r in records:
        rec = run.records.get(r.id)
        expected = set(r.codings)
        quoted = {c for t in expected for c in t[:2] if c.startswith('"')}
        got = sway_codings(rec, quoted)
        # every record: disabled ones by their codings, error records expect no event
        all_t.add(set() if r.error else expected, got)
        entry = {"id": r.id, "category": r.category, "expected": sorted(map(fmt_triple, expected)),
                 "sway": sorted(map(fmt_triple, got))}
        if r.options:
            entry["options"] = r.options
        if not scored(r):
            entry["not_scored"] = f"error={r.error}" if r.error else 'sentence="false"'
            not_scored.append(entry)
            continue
        ok = main_t.add(expected, got)
        (with_t if expected else without_t).add(expected, got)
        group = record_group(r, classes)
        groups[group].add(expected, got)
        cats[r.category.upper().rstrip("SX") or "?"].add(expected, got)
        entry.update({"pass": ok, "group": group, "failed_document": rec is None})
        fk = failure_kinds(expected, got)
        if fk:
            entry["failures"] = [[k, fmt_triple(e), fmt_triple(g)] for k, e, g in fk]
            for k in {k for k, _, _ in fk}:
                kinds_records[k] += 1
            for k, e, g in fk:
                kinds_items[k] += 1
                if k == "wrong code":
                    patterns[(k, f"{e[2]} -> {g[2]}")] += 1
                elif k == "wrong source":
                    patterns[(k, f"{e[0] or '---'} -> {g[0] or '---'}")] += 1
                elif k == "wrong target":
                    patterns[(k, f"{e[1] or '---'} -> {g[1] or '---'}")] += 1
                elif k in ("missed event", "no events coded"):
                    patterns[(k, f"[{classes.get(e[0], '?') if e else '-'}/"
                                 f"{classes.get(e[1], '?') if e else '-'}] {fmt_triple(e)}")] += 1
                elif k == "extra events":
                    patterns[(k, fmt_triple(g))] += 1
                else:
                    patterns[(k, f"{fmt_triple(e)} -> {fmt_triple(g)}")] += 1
        per_record.append(entry)
    total = time.perf_counter() - t_start

    sc = main_t.scores()
    n_events = sum(len((run.records.get(r.id) or {}).get("events") or []) for r in records)
    class_counts = Counter(classes[c] for r in records if scored(r) for t in r.codings for c in t[:2])
    agent_records = sum(1 for r in records if scored(r) and record_group(r, classes) == "needs-agents")
    disabled = sum(1 for r in records if not r.enabled and r.error is None)
    errors = sum(1 for r in records if r.error)
    nondefault = sum(1 for r in records if scored(r) and r.options)

    print(f"PETRARCH2 unit-test records: {len(records)} records, {main_t.n} scored "
          f"({errors} error records and {0 if a.include_disabled else disabled} sentence=\"false\" records not scored), "
          f"sway {os.path.normpath(a.sway)} ({run.seconds:.1f} s for sway, {total:.1f} s in all)")
    if run.missing:
        print(f"WARNING: {len(run.missing)} records failed in sway (scored as no events): "
              + ", ".join(run.missing[:5]) + (" ..." if len(run.missing) > 5 else ""))
    print(f"registry: {conv.get('entries', 0)} entries from {ACTORS} ({conv.get('persons', 0)} persons, "
          f"{conv.get('dated_roles', 0)} dated roles, {conv.get('stem_aliases', 0)} stem aliases"
          f"{' (--no-stems)' if a.no_stems else ''}); left out: {', '.join(conv['skipped']) or 'none'}; "
          f"slash codes cut to the first: {', '.join(conv['slash_codes_first_kept']) or 'none'}")
    print(f"not passed to sway: {AGENTS} (no user agent file in sway), {VERBS} (no user pattern file"
          f"{'' if not a.patterns else '; --patterns ' + a.patterns + ' passed instead'})")
    print(f"expected codes by class: " + ", ".join(f"{k} {v}" for k, v in class_counts.most_common())
          + f"; records needing an agent code: {agent_records} of {main_t.n}")
    if nondefault:
        print(f"{nondefault} scored records run under non-default PETRARCH options (<Config>), not emulated")
    with_events = [e for e in per_record if e["sway"]]
    print(f"sway coded {n_events} events over all {len(records)} records; {len(with_events)} scored records have "
          f"at least one sway event, {sum(e['pass'] for e in with_events)} of them pass")

    print("\n| records | n | pass | pass rate | pass (CAMEO root) |\n|---|---:|---:|---:|---:|")

    def row(name, t: Tally):
        s = t.scores()
        print(f"| {name} | {s['records']} | {s['passed']} | {s['pass_rate']:.3f} | {s['pass_rate_root']:.3f} |")
    row("scored", main_t)
    row("expecting events", with_t)
    row("expecting no event", without_t)
    for g in ("actors-only", "needs-agents", "needs-new-actor", "other-codes"):
        if g in groups:
            row(g, groups[g])
    row("all 284 (error records expect none)" if len(records) == 284 else "all (error records expect none)", all_t)
    print("\nby category\n| category | n | pass | pass rate |\n|---|---:|---:|---:|")
    for k in sorted(cats):
        s = cats[k].scores()
        print(f"| {k} | {s['records']} | {s['passed']} | {s['pass_rate']:.3f} |")

    print("\ncodings (source, target, CAMEO), micro over scored records\n"
          "| match | expected | sway | correct | P | R | F1 |\n|---|---:|---:|---:|---:|---:|---:|")
    for name, key in (("full code", "codings"), ("CAMEO root", "codings_root")):
        s = sc[key]
        print(f"| {name} | {s['gold']} | {s['system']} | {s['correct']} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} |")
    for g in ("actors-only", "needs-agents"):
        if g in groups:
            s = groups[g].scores()["codings"]
            print(f"| full code, {g} | {s['gold']} | {s['system']} | {s['correct']} | {s['p']:.3f} | "
                  f"{s['r']:.3f} | {s['f1']:.3f} |")

    failed = main_t.n - main_t.passed
    print(f"\nfailure kinds ({failed} failed records; a record can have several)\n"
          "| kind | records | codings |\n|---|---:|---:|")
    for k, v in kinds_records.most_common():
        print(f"| {k} | {v} | {kinds_items[k]} |")
    if a.errors > 0 and patterns:
        print(f"\nmost common failure patterns (expected -> sway; [class of expected source/target])")
        for (k, p), v in patterns.most_common(a.errors):
            print(f"  {v:>3}  {k}: {p}")

    result = {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["python3", "bench/petrarch.py", *(argv if argv is not None else sys.argv[1:])]),
        "sway": os.path.normpath(a.sway),
        "data": os.path.normpath(a.data),
        "records": len(records),
        "scored": main_t.n,
        "not_scored": {"error": errors, "disabled": 0 if a.include_disabled else disabled},
        "failed_documents": run.missing,
        "sway_returncode": run.returncode,
        "sway_events": n_events,
        "scored_records_with_sway_events": len(with_events),
        "seconds": {"sway": round(run.seconds, 3), "total": round(total, 3)},
        "registry": {k: v for k, v in conv.items()},
        "stems": not a.no_stems,
        "patterns": a.patterns,
        "expected_code_classes": dict(class_counts),
        "records_needing_agents": agent_records,
        "scores": sc,
        "groups": {g: t.scores() for g, t in sorted(groups.items())},
        "expecting_events": with_t.scores(),
        "expecting_no_event": without_t.scores(),
        "categories": {g: t.scores() for g, t in sorted(cats.items())},
        "all_records": all_t.scores(),
        "failure_kinds": {k: {"records": v, "codings": kinds_items[k]} for k, v in kinds_records.most_common()},
        "failure_patterns": [[k, p, v] for (k, p), v in patterns.most_common()],
        "per_record": per_record,
        "not_scored_records": not_scored,
    }
    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    print(f"\nwrote {os.path.relpath(a.json)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
