#!/usr/bin/env python3
"""Build data/codes/cameo.tsv: one row per CAMEO event code with its name, both Goldstein
values (GDELT's and Phoenix's tables, which disagree in places), and its PLOVER 0.8 type,
mode and context.

Sources (read from ../shared/data/cameo, never copied):
  CAMEO.eventcodes.txt, CAMEO.goldsteinscale.txt  - GDELT lookups (free with attribution)
  phoenix_goldstein_quadclass.tsv                 - Phoenix pipeline (MIT)
  cameo_to_plover_2021.tsv                        - openeventdata/PLOVER (CC BY-SA 4.0)

Usage: python3 tools/build_codes.py [SHARED_DATA_DIR]
"""
import csv
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "data")
cameo = os.path.join(data, "cameo")


def rows(name, skip_comments=True):
    with open(os.path.join(cameo, name), encoding="utf-8") as f:
        lines = [l for l in f if not (skip_comments and l.startswith("#"))]
    return list(csv.reader(lines, delimiter="\t"))


names = {r[0]: r[1].strip() for r in rows("CAMEO.eventcodes.txt")[1:] if r}
gdelt = {r[0]: r[1].strip() for r in rows("CAMEO.goldsteinscale.txt")[1:] if r}
phoenix = {r[0]: r[1].strip() for r in rows("phoenix_goldstein_quadclass.tsv")[1:] if r}
plover = {}
for r in rows("cameo_to_plover_2021.tsv")[1:]:
    if r and r[1].strip():
        plover[r[0]] = (r[1].strip(), r[2].strip() if len(r) > 2 else "", r[3].strip() if len(r) > 3 else "")

codes = sorted(set(names) | set(gdelt) | set(phoenix), key=lambda c: (c[:2], len(c), c))
out = os.path.join(root, "data", "codes", "cameo.tsv")
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("# Derived by tools/build_codes.py from GDELT's CAMEO lookups (free with attribution to the GDELT Project),\n")
    f.write("# Phoenix Goldstein values (MIT, Open Event Data Alliance) and CAMEO2PLOVER 2021 (CC BY-SA 4.0, openeventdata/PLOVER).\n")
    f.write("# PLOVER columns are those of the code itself; sway falls back to the parent code where they are empty.\n")
    w = csv.writer(f, delimiter="\t", lineterminator="\n")
    w.writerow(["code", "name", "goldstein_gdelt", "goldstein_phoenix", "plover_type", "plover_mode", "plover_context"])
    for c in codes:
        t, m, ctx = plover.get(c, ("", "", ""))
        w.writerow([c, names.get(c, ""), gdelt.get(c, ""), phoenix.get(c, ""), t, m, ctx])
print(f"wrote {len(codes)} codes to {out}")
