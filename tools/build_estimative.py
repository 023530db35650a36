#!/usr/bin/env python3
"""Build data/estimative/terms.tsv: words of estimative probability and their
probability ranges.

Method (documented in docs/judgments.md):
- CAPphrase (CC BY 4.0, Kucharski 2026; 5,174 respondents' numeric readings) is the
  calibration set: each of its phrases gets the interquartile range of the readings.
- ICD 203 and Kent (1964) terms keep their official interval; where CAPphrase also
  reads the term, its range is clipped into the official interval, so every official
  term stays inside its interval.
- Surface variants (adverbs, inflections) and evidentials/hedges that no survey reads
  ("suggests", "no doubt", "apparently") take the range of a named CAPphrase anchor.
- The zonination survey is never read here: it is the held-apart check.

Usage: python3 tools/build_estimative.py [SHARED_DATA_DIR]
"""
import csv
import os
import statistics
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "data")
est = os.path.join(data, "estimative")


def quantile(xs, q):
    xs = sorted(xs)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


readings = {}
with open(os.path.join(est, "capphrase", "absolute_judgements.csv"), encoding="utf-8") as f:
    for r in csv.DictReader(f):
        try:
            readings.setdefault(r["term"].strip().lower(), []).append(float(r["probability"]))
        except ValueError:
            pass
cap = {t: (quantile(v, 0.25) / 100, quantile(v, 0.75) / 100, statistics.median(v) / 100, len(v)) for t, v in readings.items()}

official = {}
with open(os.path.join(est, "estimative_terms_icd203.csv"), encoding="utf-8") as f:
    for r in csv.DictReader(f):
        for t in (r["term_row1"], r["term_row2"]):
            official[t.strip().lower()] = (float(r["low_pct"]) / 100, float(r["high_pct"]) / 100, "icd203")
with open(os.path.join(est, "estimative_terms_kent1964.csv"), encoding="utf-8") as f:
    for r in csv.DictReader(f):
        t = r["term"].strip().lower()
        official.setdefault(t, (float(r["low_pct"]) / 100, float(r["high_pct"]) / 100, "kent1964"))

rows = {}


def clip(lo, hi, olo, ohi):
    a, b = max(lo, olo), min(hi, ohi)
    if a > b:  # the survey reads it outside the official interval: take the nearest edge
        a = b = olo if hi < olo else ohi
    return a, b


for t, (olo, ohi, src) in official.items():
    if t in cap:
        lo, hi, _, n = cap[t]
        a, b = clip(lo, hi, olo, ohi)
        rows[t] = (a, b, f"{src}+capphrase", f"official {olo:.2f}-{ohi:.2f}, CAPphrase IQR clipped (n={n})")
    else:
        rows[t] = (olo, ohi, src, "official interval")
for t, (lo, hi, _, n) in cap.items():
    rows.setdefault(t, (lo, hi, "capphrase", f"CAPphrase IQR (n={n})"))

# Surface forms and evidentials, each with the phrase whose range it takes and why.
ANCHORS = [
    ("almost certainly", "almost certain", "adverb of the ICD 203 term"),
    ("nearly certainly", "nearly certain", "adverb of the ICD 203 term"),
    ("very probably", "highly probable", "adverb"),
    ("highly probably", "highly probable", "adverb"),
    ("probably", "probable", "adverb of the ICD 203 term"),
    ("most likely", "very likely", "intensified likely"),
    ("improbably", "improbable", "adverb"),
    ("almost certainly not", "almost certainly not", "Kent"),
    ("highly unlikely", "highly unlikely", "CAPphrase"),
    ("no doubt", "almost certain", "evidential of certainty"),
    ("undoubtedly", "almost certain", "evidential of certainty"),
    ("without doubt", "almost certain", "evidential of certainty"),
    ("certainly", "almost certain", "evidential of certainty"),
    ("surely", "almost certain", "evidential of certainty"),
    ("will", "will happen", "unhedged prediction"),
    ("may", "may happen", "modal hedge"),
    ("might", "might happen", "modal hedge"),
    ("could", "could happen", "modal hedge"),
    ("possibly", "realistic possibility", "hedge"),
    ("perhaps", "realistic possibility", "hedge"),
    ("possible", "realistic possibility", "hedge"),
    ("a realistic possibility", "realistic possibility", "UK PHIA term"),
    ("suggests", "likely", "evidential: the evidence points one way"),
    ("suggest", "likely", "evidential"),
    ("suggested", "likely", "evidential"),
    ("indicates", "likely", "evidential"),
    ("appears", "likely", "evidential"),
    ("appear", "likely", "evidential"),
    ("apparently", "likely", "evidential"),
    ("seems", "likely", "evidential"),
    ("we assess", "likely", "analytic judgment without a stated likelihood"),
    ("we judge", "likely", "analytic judgment without a stated likelihood"),
    ("we believe", "likely", "analytic judgment without a stated likelihood"),
    ("we doubt", "probably not", "Kent's 'probably not'"),
    ("doubtful", "probably not", "Kent's 'probably not'"),
    ("even chance", "roughly even chance", "ICD 203"),
    ("chances about even", "chances about even", "Kent"),
    ("better than even", "better than even", "CAPphrase"),
    ("slim chance", "chances are slight", "CAPphrase"),
]
for t, anchor, why in ANCHORS:
    if t in rows:
        continue
    a = rows[anchor]
    rows[t] = (a[0], a[1], f"anchor:{anchor}", why)

out = os.path.join(root, "data", "estimative", "terms.tsv")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("# Derived by tools/build_estimative.py from the ICD 203 scale and Kent (1964) (public domain transcriptions)\n")
    f.write("# and CAPphrase (CC BY 4.0, Kucharski 2026). The zonination survey is not used: it is the held-apart check.\n")
    w = csv.writer(f, delimiter="\t", lineterminator="\n")
    w.writerow(["term", "p_low", "p_high", "source", "note"])
    for t in sorted(rows):
        lo, hi, src, note = rows[t]
        w.writerow([t, f"{lo:.3f}", f"{hi:.3f}", src, note])
print(f"wrote {len(rows)} terms to {out}")
for t in ["almost certainly", "no doubt", "likely", "unlikely", "suggests", "will", "may", "probably"]:
    print(t, rows[t][:3])
