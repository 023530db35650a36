#!/usr/bin/env python3
"""Score sway's ``places`` as a geoparser (toponym recognition and resolution) on LGL
and GeoVirus, read from ../shared/data/geo/.

    python3 bench/geo.py [--sway PATH] [--data-dir DIR] [--dataset lgl|geovirus|both]
                         [--limit N] [--jobs 2]

Gold:

* LGL (``geo/lgl.xml``, Lieberman et al. 2010, 588 local-news articles): every
  ``<toponym>`` with ``<start>``/``<end>`` character offsets into ``<text>`` and a
  ``<phrase>``; most carry a ``<gaztag geonameid=...>`` with ``<lat>``/``<lon>``,
  fclass/fcode, ``<country geonameid=...>`` (a name; mapped to ISO3 through
  ``geo/geonames/countryInfo.txt`` when it is there) and ``<admin1>``. A toponym
  without a gaztag is scored for recognition only. The article's ``<dltime>`` date
  is passed to sway as ``published``.
* GeoVirus (``geo/GeoVirus.xml``, Gritta et al. 2018, Wikinews): every
  ``<location>`` with ``<name>``, ``<start>``/``<end>``, ``<lat>``, ``<lon>``,
  ``<page>``, found anywhere under its article (the file nests a few
  ``<location>`` elements inside another one). No date.

Offsets are checked against the text: when ``text[start:end]`` is not the
phrase/name, shifts of -1, +1, -2, +2, -3, +3 characters are tried and the first
one that fits is used (GeoVirus's offsets are all one character too far right);
otherwise the given span is kept and counted as a mismatch.

System: the spans of sway's ``places`` (UTF-8 byte offsets into its ``text``, mapped
to input characters by bench/swayio.py), with ``lat``/``lon`` (null = not
geocoded), ``country`` (ISO3) and ``geonameid``. Two places with the same span
count once.

Scores, per dataset and for both together (micro):

* Recognition: P/R/F1 with (a) exact span match, (b) overlap match: any character
  overlap, one-to-one, greedy by largest overlap (ties: exact span first, then the
  smaller length difference, then text order).
* Resolution, on overlap-matched pairs: error = great-circle distance (haversine,
  R = 6371.0088 km) between gold and system coordinates. Over the pairs where both
  sides have coordinates: accuracy@161 km (error <= 161), median and mean error,
  and AUC as in Gritta et al. 2018: the area under the curve of the sorted
  log(1 + error) values, normalised by log(1 + 20039) over x in [0, 1] (lower is
  better; their code divides by log(20039), a 5e-5 relative difference).
  acc@161 (strict) = the same hits over every matched gold toponym with
  coordinates, a system place without coordinates counting as wrong; acc@161
  (end to end) = the hits over every gold toponym with coordinates (missed ones
  wrong too). LGL also gets the geonameid exact-match rate and the country
  (ISO3) match rate over matched gold toponyms that have one (system null =
  wrong), and a breakdown by GeoNames feature (country / admin1 / admin2+ /
  populated place / other / no gaztag).
* Errors (guide development): the most frequent missed gold phrases and false
  positive system texts (overlap matching), boundary mismatches (overlap but not
  exact), and the largest resolution errors with phrase, gold and predicted
  country and coordinates. Top ``--errors`` (20) of each go to the JSON, the top
  ``--show`` (10) to the report. No article text is written beyond these phrases.

Writes a Markdown report on stdout and bench/results/geo-latest.json. Without the
data it prints a SKIPPED line and exits 0; without a working sway binary it exits 2.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import collections
import json
import math
import os
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import swayio  # noqa: E402

EARTH_RADIUS_KM = 6371.0088
ACC_KM = 161.0
AUC_MAX_KM = 20039.0
DATASETS = ("lgl", "geovirus")
FILES = {"lgl": "lgl.xml", "geovirus": "GeoVirus.xml"}
LABELS = {"lgl": "LGL", "geovirus": "GeoVirus", "both": "both"}
SHIFTS = (0, -1, 1, -2, 2, -3, 3)
CATEGORIES = ("country", "admin1", "admin2+", "populated place", "other feature", "no gaztag")


# --------------------------------------------------------------------------- #
# Geometry and metrics
# --------------------------------------------------------------------------- #


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine, mean Earth radius 6371.0088 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def auc_error(errors: list) -> float | None:
    """Gritta et al. 2018 AUC: the sorted log(1 + km) errors, scaled by log(1 + 20039),
    integrated with the trapezoid rule over x in [0, 1] (n points evenly spaced).
    One error: its scaled value. None for no errors. Lower is better."""
    if not errors:
        return None
    ys = sorted(math.log1p(max(0.0, e)) / math.log1p(AUC_MAX_KM) for e in errors)
    if len(ys) == 1:
        return ys[0]
    return (sum(ys) - (ys[0] + ys[-1]) / 2) / (len(ys) - 1)


def prf(correct: int, n_sys: int, n_gold: int) -> dict:
    p = correct / n_sys if n_sys else 0.0
    r = correct / n_gold if n_gold else 0.0
    return {"gold": n_gold, "system": n_sys, "correct": correct,
            "p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def rate(num: int, den: int) -> float | None:
    return num / den if den else None


# --------------------------------------------------------------------------- #
# Data
# --------------------------------------------------------------------------- #


@dataclass
class Toponym:
    """A gold toponym; start/end are character offsets into the document text."""

    start: int
    end: int
    text: str  # text[start:end]
    lat: float | None = None
    lon: float | None = None
    geonameid: str | None = None
    country: str | None = None  # ISO3 when known, else the gazetteer's country name
    admin1: str | None = None
    fclass: str | None = None
    fcode: str | None = None

    @property
    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class SysPlace:
    """A system place; start/end are character offsets into the input text."""

    start: int
    end: int
    text: str
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geonameid: str | None = None

    @property
    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class Doc:
    id: str  # "<dataset>/<docid or index>", the id given to sway
    dataset: str
    text: str
    published: str | None
    gold: list = field(default_factory=list)  # list[Toponym]
    stats: Counter = field(default_factory=Counter)  # this document's load statistics


def _float(s, lo: float, hi: float) -> float | None:
    try:
        v = float(str(s).strip())
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) and lo <= v <= hi else None


def _int(s) -> int | None:
    try:
        return int(str(s).strip())
    except (TypeError, ValueError):
        return None


def fix_span(text: str, start: int, end: int, phrase: str) -> tuple[int, int, int | None]:
    """(start, end, shift): the span moved by the first of SHIFTS that makes
    ``text[start:end] == phrase``; shift None (span unchanged) when none does."""
    for d in SHIFTS:
        s, e = start + d, end + d
        if 0 <= s <= e <= len(text) and text[s:e] == phrase:
            return s, e, d
    return start, end, None


def load_countries(path: str) -> dict:
    """GeoNames countryInfo.txt -> {geonameid: ISO3, lower-cased name: ISO3}."""
    out: dict = {}
    if not path or not os.path.isfile(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            if len(c) < 17 or len(c[1]) != 3:
                continue
            out[c[4].strip().lower()] = c[1]
            if c[16].strip():
                out[c[16].strip()] = c[1]
    return out


def _offset_stats(stats: Counter, shift) -> None:
    if shift == 0:
        stats["offsets_exact"] += 1
    elif shift is None:
        stats["offsets_mismatch"] += 1
    else:
        stats["offsets_shifted"] += 1
        stats[f"offsets_shift_{shift:+d}"] += 1


def _sum_stats(docs: list) -> Counter:
    out = Counter()
    for d in docs:
        out.update(d.stats)
    return out


def _add_gold(doc: Doc, top: Toponym, stats: Counter) -> None:
    key = (top.start, top.end)
    if any((g.start, g.end) == key for g in doc.gold):
        stats["duplicate_spans"] += 1
        return
    doc.gold.append(top)


def parse_lgl(xml: str | bytes, countries: dict | None = None, prefix: str = "lgl") -> tuple[list, Counter]:
    """LGL articles -> (docs, stats)."""
    countries = countries or {}
    root = ET.fromstring(xml)
    docs = []
    for ai, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        did = art.get("docid") or str(ai)
        dl = (art.findtext("dltime") or "").strip()
        published = dl[:10] if len(dl) >= 10 and dl[4:5] == "-" and dl[7:8] == "-" else None
        doc = Doc(f"{prefix}/{did}", "lgl", text, published)
        stats = doc.stats
        for tp in art.iter("toponym"):
            s, e = _int(tp.findtext("start")), _int(tp.findtext("end"))
            phrase = tp.findtext("phrase") or ""
            if s is None or e is None or not (0 <= s < e <= len(text) + 3):
                stats["bad_offsets"] += 1
                continue
            s, e, shift = fix_span(text, s, e, phrase)
            _offset_stats(stats, shift)
            top = Toponym(s, e, text[s:e])
            g = tp.find("gaztag")
            if g is None:
                stats["no_gaztag"] += 1
            else:
                top.geonameid = (g.get("geonameid") or "").strip() or None
                top.lat = _float(g.findtext("lat"), -90, 90)
                top.lon = _float(g.findtext("lon"), -180, 180)
                top.fclass = (g.findtext("fclass") or "").strip() or None
                top.fcode = (g.findtext("fcode") or "").strip() or None
                c = g.find("country")
                if c is not None:
                    name = (c.text or "").strip()
                    top.country = countries.get((c.get("geonameid") or "").strip()) or countries.get(name.lower()) or name or None
                    if top.country and len(top.country) != 3:
                        stats["country_not_iso3"] += 1
                else:
                    stats["gaztag_no_country"] += 1
                top.admin1 = (g.findtext("admin1") or "").strip() or None
            if not top.has_coords:
                stats["no_coords"] += 1
            _add_gold(doc, top, stats)
        doc.gold.sort(key=lambda t: (t.start, t.end))
        docs.append(doc)
    return docs, _sum_stats(docs)


def parse_geovirus(xml: str | bytes, prefix: str = "geovirus") -> tuple[list, Counter]:
    """GeoVirus articles -> (docs, stats). Articles have no id: their index is used."""
    root = ET.fromstring(xml)
    docs = []
    for ai, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        doc = Doc(f"{prefix}/{ai}", "geovirus", text, None)
        stats = doc.stats
        for loc in art.iter("location"):
            if loc.find("start") is None:  # a wrapper around nested locations only
                continue
            s, e = _int(loc.findtext("start")), _int(loc.findtext("end"))
            name = loc.findtext("name") or ""
            if s is None or e is None or not (0 <= s < e <= len(text) + 3):
                stats["bad_offsets"] += 1
                continue
            s, e, shift = fix_span(text, s, e, name)
            _offset_stats(stats, shift)
            if loc.find("location") is not None:
                stats["nested_locations"] += sum(1 for x in loc.findall("location") if x.find("start") is not None)
            top = Toponym(s, e, text[s:e], _float(loc.findtext("lat"), -90, 90), _float(loc.findtext("lon"), -180, 180))
            if not top.has_coords:
                stats["no_coords"] += 1
            _add_gold(doc, top, stats)
        doc.gold.sort(key=lambda t: (t.start, t.end))
        docs.append(doc)
    return docs, _sum_stats(docs)


def category(t: Toponym) -> str:
    """Coarse GeoNames feature category of a gold toponym (LGL)."""
    if t.fcode is None and t.fclass is None:
        return "no gaztag"
    fc = t.fcode or ""
    if fc.startswith("PCL"):
        return "country"
    if fc == "ADM1":
        return "admin1"
    if fc.startswith("ADM"):
        return "admin2+"
    if t.fclass == "P":
        return "populated place"
    return "other feature"


# --------------------------------------------------------------------------- #
# System output
# --------------------------------------------------------------------------- #


def _str_or_none(v) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def system_places(rec: dict, src: str, stats: Counter | None = None) -> list[SysPlace]:
    """The ``places`` of an output record, as input-text character spans (duplicated
    spans once; empty spans dropped)."""
    stats = stats if stats is not None else Counter()
    places = rec.get("places") or []
    if not places:
        return []
    mapper = swayio.OffsetMapper(src, rec.get("text") or "")
    if not mapper.identical:
        stats["docs_text_differs"] += 1
        stats["alignment_mismatches"] += mapper.mismatches
    st: dict = {}
    out, seen = [], set()
    for m in swayio.place_mentions(rec, src, mapper, st):
        p = places[int(m.cluster.split(":", 1)[1])]
        if m.end <= m.start:
            stats["sys_empty"] += 1
            continue
        if (m.start, m.end) in seen:
            stats["sys_duplicates"] += 1
            continue
        seen.add((m.start, m.end))
        lat, lon = _float(p.get("lat"), -90, 90), _float(p.get("lon"), -180, 180)
        if (lat is None) != (lon is None) or (lat is None and (p.get("lat") is not None or p.get("lon") is not None)):
            stats["sys_bad_coords"] += 1
            lat = lon = None
        out.append(SysPlace(m.start, m.end, m.text, _str_or_none(p.get("name")), lat, lon,
                            (_str_or_none(p.get("country")) or "").upper() or None,
                            _str_or_none(p.get("admin1")), _str_or_none(p.get("geonameid"))))
    stats.update(st)
    out.sort(key=lambda s: (s.start, s.end))
    return out


# --------------------------------------------------------------------------- #
# Matching and scores
# --------------------------------------------------------------------------- #


def match_exact(gold: list, system: list) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, system index) with the same span."""
    free: dict = {}
    for j, s in enumerate(system):
        free.setdefault((s.start, s.end), []).append(j)
    pairs = []
    for i, g in enumerate(gold):
        lst = free.get((g.start, g.end))
        if lst:
            pairs.append((i, lst.pop(0)))
    return pairs


def match_overlap(gold: list, system: list) -> list[tuple[int, int]]:
    """One-to-one greedy pairs of overlapping spans: largest overlap first; ties go to
    exact spans, then the smaller length difference, then text order."""
    cands = []
    for i, g in enumerate(gold):
        for j, s in enumerate(system):
            ov = min(g.end, s.end) - max(g.start, s.start)
            if ov > 0:
                exact = g.start == s.start and g.end == s.end
                cands.append((-ov, not exact, abs((g.end - g.start) - (s.end - s.start)), i, j))
    cands.sort()
    used_g, used_s, pairs = set(), set(), []
    for *_, i, j in cands:
        if i not in used_g and j not in used_s:
            used_g.add(i)
            used_s.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def surface(s: str) -> str:
    return " ".join(s.split())


def _coords(x) -> list | None:
    return [round(x.lat, 4), round(x.lon, 4)] if x.has_coords else None


class Tally:
    """Counts and error lists for one group of documents."""

    def __init__(self):
        self.c = Counter()
        self.errors_km: list = []
        self.missed, self.false_pos, self.boundary = Counter(), Counter(), Counter()
        self.resolutions: list = []  # (error km, doc id, gold, system)
        self.cat = {k: Counter() for k in CATEGORIES}

    def add(self, doc_id: str, gold: list, system: list, categories: bool = False) -> dict:
        c = self.c
        c["docs"] += 1
        c["gold"] += len(gold)
        c["system"] += len(system)
        c["gold_with_coords"] += sum(g.has_coords for g in gold)
        exact = match_exact(gold, system)
        overlap = match_overlap(gold, system)
        c["exact_correct"] += len(exact)
        c["overlap_correct"] += len(overlap)
        exact_set = set(exact)
        gi = {i for i, _ in overlap}
        sj = {j for _, j in overlap}
        for i, g in enumerate(gold):
            if i not in gi:
                self.missed[surface(g.text)] += 1
            if categories:
                self.cat[category(g)]["gold"] += 1
        for j, s in enumerate(system):
            if j not in sj:
                self.false_pos[surface(s.text)] += 1
        for i, j in overlap:
            g, s = gold[i], system[j]
            cc = self.cat[category(g)] if categories else Counter()
            cc["found"] += 1
            if (i, j) not in exact_set:
                self.boundary[f"{surface(g.text)} -> {surface(s.text)}"] += 1
            if g.geonameid:
                c["gid_gold"] += 1
                c["gid_ok"] += s.geonameid == g.geonameid
            if g.country and len(g.country) == 3:
                c["country_gold"] += 1
                c["country_ok"] += (s.country or "") == g.country
            if not g.has_coords:
                continue
            c["matched_gold_with_coords"] += 1
            cc["matched_with_coords"] += 1
            if not s.has_coords:
                c["matched_sys_no_coords"] += 1
                continue
            err = haversine(g.lat, g.lon, s.lat, s.lon)
            self.errors_km.append(err)
            cc["resolved"] += 1
            if err <= ACC_KM:
                c["acc161_hits"] += 1
                cc["acc161_hits"] += 1
            self.resolutions.append((err, doc_id, g, s))
        return {"exact": exact, "overlap": overlap}

    def merge(self, other: "Tally") -> None:
        self.c.update(other.c)
        self.errors_km += other.errors_km
        self.missed.update(other.missed)
        self.false_pos.update(other.false_pos)
        self.boundary.update(other.boundary)
        self.resolutions += other.resolutions
        for k in CATEGORIES:
            self.cat[k].update(other.cat[k])

    def scores(self) -> dict:
        c, e = self.c, self.errors_km
        return {
            "documents": c["docs"],
            "recognition": {
                "exact": prf(c["exact_correct"], c["system"], c["gold"]),
                "overlap": prf(c["overlap_correct"], c["system"], c["gold"]),
            },
            "resolution": {
                "gold_with_coords": c["gold_with_coords"],
                "matched_gold_with_coords": c["matched_gold_with_coords"],
                "matched_system_without_coords": c["matched_sys_no_coords"],
                "resolved_pairs": len(e),
                "acc161": rate(c["acc161_hits"], len(e)),
                "acc161_strict": rate(c["acc161_hits"], c["matched_gold_with_coords"]),
                "acc161_end_to_end": rate(c["acc161_hits"], c["gold_with_coords"]),
                "median_km": statistics.median(e) if e else None,
                "mean_km": statistics.fmean(e) if e else None,
                "auc": auc_error(e),
                "geonameid": {"gold": c["gid_gold"], "correct": c["gid_ok"], "rate": rate(c["gid_ok"], c["gid_gold"])},
                "country": {"gold": c["country_gold"], "correct": c["country_ok"],
                            "rate": rate(c["country_ok"], c["country_gold"])},
            },
        }

    def category_scores(self) -> dict:
        out = {}
        for k in CATEGORIES:
            cc = self.cat[k]
            if not cc["gold"]:
                continue
            out[k] = {"gold": cc["gold"], "found": cc["found"], "recall": rate(cc["found"], cc["gold"]),
                      "matched_with_coords": cc["matched_with_coords"], "resolved": cc["resolved"],
                      "acc161_strict": rate(cc["acc161_hits"], cc["matched_with_coords"])}
        return out

    def error_lists(self, n: int) -> dict:
        worst = sorted(self.resolutions, key=lambda r: (-r[0], r[1], r[2].start))[:n]
        return {
            "missed": [[k, v] for k, v in self.missed.most_common(n)],
            "false_positives": [[k, v] for k, v in self.false_pos.most_common(n)],
            "boundary": [[k, v] for k, v in self.boundary.most_common(n)],
            # Resolutions beyond 161 km, grouped by what sway chose: the errors that repeat.
            "wrong_resolutions": [[k, v] for k, v in collections.Counter(
                f"{surface(g.text)} -> {s.name} ({s.country or ''}, {s.admin1 or ''}); gold {g.country or ''}"
                for err, did, g, s in self.resolutions if err > 161.0).most_common(n)],
            "largest_errors": [{
                "km": round(err, 1), "doc": did, "phrase": surface(g.text),
                "gold": {"coords": _coords(g), "country": g.country, "admin1": g.admin1, "geonameid": g.geonameid,
                         "fcode": g.fcode},
                "sway": {"text": surface(s.text), "name": s.name, "coords": _coords(s), "country": s.country,
                         "admin1": s.admin1, "geonameid": s.geonameid},
            } for err, did, g, s in worst],
        }


# --------------------------------------------------------------------------- #
# Report
# --------------------------------------------------------------------------- #


def _f(x, nd: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{nd}f}"


def _pct(x) -> str:
    return "n/a" if x is None else f"{100 * x:.1f} %"


def _of(x: dict) -> str:
    return f"{_pct(x['rate'])} of {x['gold']}" if x["gold"] else "n/a"


def gold_summary(docs: list, stats: Counter) -> dict:
    gold = [g for d in docs for g in d.gold]
    cats = Counter(category(g) for g in gold) if docs and docs[0].dataset == "lgl" else Counter()
    return {
        "documents": len(docs),
        "toponyms": len(gold),
        "with_coords": sum(g.has_coords for g in gold),
        "without_coords": sum(not g.has_coords for g in gold),
        "offsets": {k[len("offsets_"):]: v for k, v in sorted(stats.items()) if k.startswith("offsets_")},
        "categories": {k: cats[k] for k in CATEGORIES if cats[k]},
        "notes": {k: v for k, v in sorted(stats.items()) if not k.startswith("offsets_") and v},
    }


def print_report(out, a, argv, sets, gold_info, scores, cats, errs, run, stats, total, has_places) -> None:
    p = lambda *x: print(*x, file=out)  # noqa: E731
    ndocs = sum(len(v) for v in sets.values())
    p(f"# sway geoparsing: {', '.join(LABELS[k] for k in sets)}\n")
    p(f"- command: `{' '.join(['python3', 'bench/geo.py', *argv])}`")
    p(f"- sway: `{os.path.normpath(a.sway)}` ({run.seconds:.1f} s for sway, {total:.1f} s in all), "
      f"{ndocs} documents{f' (--limit {a.limit} per dataset)' if a.limit else ''}")
    if run.missing:
        p(f"- WARNING: {len(run.missing)} documents failed in sway (scored with no output): "
          + ", ".join(run.missing[:5]) + (" ..." if len(run.missing) > 5 else ""))
    if not has_places:
        p("- NOTE: no output record has a non-empty `places` list: every system count below is 0")

    p("\n## Gold\n")
    p("| dataset | docs | toponyms | with coords | without coords | offsets exact | shifted | mismatched |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|")
    for k, gi in gold_info.items():
        o = gi["offsets"]
        shifts = ", ".join(f"{s[len('shift_'):]}: {v}" for s, v in o.items() if s.startswith("shift_"))
        p(f"| {LABELS[k]} | {gi['documents']} | {gi['toponyms']} | {gi['with_coords']} | {gi['without_coords']} | "
          f"{o.get('exact', 0)} | {o.get('shifted', 0)}{f' ({shifts})' if shifts else ''} | {o.get('mismatch', 0)} |")
    for k, gi in gold_info.items():
        if gi["categories"]:
            n = gi["toponyms"] or 1
            p(f"\n{LABELS[k]} gold by GeoNames feature: "
              + ", ".join(f"{c} {v} ({100 * v / n:.1f} %)" for c, v in gi["categories"].items()))
        if gi["notes"]:
            p(f"\n{LABELS[k]} notes: " + ", ".join(f"{n}={v}" for n, v in gi["notes"].items()))

    p("\n## Toponym recognition\n")
    p("| dataset | gold | sway | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k, s in scores.items():
        ex, ov = s["recognition"]["exact"], s["recognition"]["overlap"]
        p(f"| {LABELS[k]} | {ex['gold']} | {ex['system']} | {_f(ex['p'])} | {_f(ex['r'])} | {_f(ex['f1'])} | "
          f"{_f(ov['p'])} | {_f(ov['r'])} | {_f(ov['f1'])} |")

    p("\n## Toponym resolution (overlap-matched pairs)\n")
    p("| dataset | matched gold w/ coords | sway w/o coords | resolved | acc@161 | acc@161 strict | "
      "acc@161 end to end | median km | mean km | AUC | geonameid | country |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k, s in scores.items():
        r = s["resolution"]
        gid, ctry = _of(r["geonameid"]), _of(r["country"])
        p(f"| {LABELS[k]} | {r['matched_gold_with_coords']} | {r['matched_system_without_coords']} | "
          f"{r['resolved_pairs']} | {_pct(r['acc161'])} | {_pct(r['acc161_strict'])} | {_pct(r['acc161_end_to_end'])} | "
          f"{_f(r['median_km'], 1)} | {_f(r['mean_km'], 1)} | {_f(r['auc'])} | {gid} | {ctry} |")
    p("\nacc@161: error <= 161 km over pairs where both sides have coordinates; strict: over matched gold "
      "toponyms with coordinates (sway place without coordinates = wrong); end to end: over all gold toponyms "
      "with coordinates (missed = wrong). AUC: Gritta et al. 2018, lower is better. geonameid / country: "
      "exact match over matched gold toponyms that have one.")

    for k, cs in cats.items():
        if not cs:
            continue
        p(f"\n{LABELS[k]} by GeoNames feature (overlap match)\n")
        p("| feature | gold | found | recall | resolved | acc@161 strict |\n|---|---:|---:|---:|---:|---:|")
        for c, v in cs.items():
            p(f"| {c} | {v['gold']} | {v['found']} | {_pct(v['recall'])} | {v['resolved']} | {_pct(v['acc161_strict'])} |")

    n = a.show
    if n > 0:
        p("\n## Errors\n")
        for k, e in errs.items():
            if k == "both" and len(errs) > 1:
                continue
            p(f"### {LABELS[k]}\n")
            for title, key in (("missed gold (overlap)", "missed"), ("false positives (overlap)", "false_positives"),
                               ("boundary mismatches (gold -> sway)", "boundary"),
                               ("wrong resolutions (> 161 km)", "wrong_resolutions")):
                items = e[key][:n]
                p(f"- top {title}: " + ("; ".join(f"{t} ({c})" for t, c in items) if items else "none"))
            worst = e["largest_errors"][:n]
            if worst:
                p("\n| km | phrase | gold country | gold lat,lon | sway name | sway country | sway lat,lon |")
                p("|---:|---|---|---|---|---|---|")
                for w in worst:
                    g, s = w["gold"], w["sway"]
                    p(f"| {w['km']:.0f} | {w['phrase']} | {g['country'] or ''} | {g['coords']} | {s['name'] or ''} | "
                      f"{s['country'] or ''} | {s['coords']} |")
            else:
                p("- largest resolution errors: none")
            p("")

    notes = {k: v for k, v in stats.items() if v}
    if notes:
        p("system notes: " + ", ".join(f"{k}={v}" for k, v in sorted(notes.items())))


# --------------------------------------------------------------------------- #
# Main
# --------------------------------------------------------------------------- #


def load_dataset(name: str, data_dir: str, countries: dict) -> tuple[list, Counter]:
    path = os.path.join(data_dir, "geo", FILES[name])
    with open(path, "rb") as f:
        raw = f.read()
    return parse_lgl(raw, countries) if name == "lgl" else parse_geovirus(raw)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sway", default=os.path.join(ROOT, "target", "release", "sway"))
    ap.add_argument("--data-dir", default=os.path.join(ROOT, "..", "shared", "data"),
                    help="folder holding geo/lgl.xml and geo/GeoVirus.xml (default ../shared/data)")
    ap.add_argument("--dataset", choices=("lgl", "geovirus", "both"), default="both")
    ap.add_argument("--limit", type=int, default=0, help="first N articles of each dataset (0 = all)")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="sway -j (default 2)")
    ap.add_argument("--errors", type=int, default=20, help="entries per error list in the JSON (default 20)")
    ap.add_argument("--show", type=int, default=10, help="entries per error list in the report (default 10)")
    ap.add_argument("--json", default=os.path.join(BENCH, "results", "geo-latest.json"))
    a = ap.parse_args(argv)

    wanted = DATASETS if a.dataset == "both" else (a.dataset,)
    present = [k for k in wanted if os.path.isfile(os.path.join(a.data_dir, "geo", FILES[k]))]
    geo_dir = os.path.normpath(os.path.join(a.data_dir, "geo"))
    if not present:
        print(f"geo bench SKIPPED: {' and '.join(FILES[k] for k in wanted)} not found in {geo_dir}", file=sys.stderr)
        return 0
    for k in wanted:
        if k not in present:
            print(f"WARNING: {FILES[k]} not found in {geo_dir}; {LABELS[k]} not scored", file=sys.stderr)

    t_start = time.perf_counter()
    countries = load_countries(os.path.join(a.data_dir, "geo", "geonames", "countryInfo.txt"))
    sets, gold_info = {}, {}
    for k in present:
        try:
            docs, st = load_dataset(k, a.data_dir, countries)
        except (ET.ParseError, OSError) as e:
            print(f"error: cannot read {FILES[k]}: {e}", file=sys.stderr)
            return 2
        if a.limit > 0:
            docs = docs[: a.limit]
            st = _sum_stats(docs)  # the load statistics of the documents kept
        sets[k] = docs
        gold_info[k] = gold_summary(docs, st)

    all_docs = [d for k in sets for d in sets[k]]
    try:
        run = swayio.run_analyze(a.sway, [(d.id, d.text, d.published) for d in all_docs], a.jobs)
    except (RuntimeError, OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    stats = Counter()
    tallies = {k: Tally() for k in sets}
    has_places = False
    for k, docs in sets.items():
        for d in docs:
            rec = run.records.get(d.id)
            system = [] if rec is None else system_places(rec, d.text, stats)
            if rec is not None and "places" not in rec:
                stats["records_without_places_field"] += 1
            has_places = has_places or bool(system)
            tallies[k].add(d.id, d.gold, system, categories=(k == "lgl"))
    if len(tallies) > 1:
        both = Tally()
        for t in tallies.values():
            both.merge(t)
        tallies["both"] = both
    total = time.perf_counter() - t_start

    scores = {k: t.scores() for k, t in tallies.items()}
    cats = {k: tallies[k].category_scores() for k in sets if k == "lgl"}
    errs = {k: t.error_lists(a.errors) for k, t in tallies.items()}
    print_report(sys.stdout, a, argv, sets, gold_info, scores, cats, errs, run, stats, total, has_places)

    result = {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["python3", "bench/geo.py", *argv]),
        "sway": os.path.normpath(a.sway),
        "data": {k: os.path.normpath(os.path.join(a.data_dir, "geo", FILES[k])) for k in sets},
        "limit": a.limit,
        "failed_documents": run.missing,
        "sway_returncode": run.returncode,
        "seconds": {"sway": round(run.seconds, 3), "total": round(total, 3)},
        "match_rules": {
            "exact": "same character span",
            "overlap": "any character overlap, one-to-one, greedy by largest overlap (ties: exact, smaller "
                       "length difference, text order); used for resolution and error lists",
            "acc161": "haversine error <= 161 km (R = 6371.0088 km) over pairs with coordinates on both sides",
            "acc161_strict": "same hits over matched gold toponyms with coordinates (no system coordinates = wrong)",
            "acc161_end_to_end": "same hits over all gold toponyms with coordinates",
            "auc": "Gritta et al. 2018: trapezoid area of sorted log(1+km)/log(1+20039), lower is better",
        },
        "gold": gold_info,
        "system_stats": dict(stats),
        "scores": scores,
        "categories": cats,
        "errors": errs,
    }
    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
    print(f"\nwrote {os.path.relpath(a.json)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
