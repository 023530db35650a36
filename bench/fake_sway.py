#!/usr/bin/env python3
"""Oracle stand-in for `sway parse`, to check the harness itself (not a benchmark).

    python3 bench/syntax.py --sway bench/fake_sway.py --runs 1

* `parse --input-format conllu [--timing] FILE` echoes FILE (gold annotation kept),
  so every accuracy figure must come out 100.00.
* `parse --input-format text FILE` needs FAKE_SWAY_GOLD_DIR (the folder holding
  ud-english-ewt/ and ud-english-gum/); FILE must be named like the harness names
  it (`ewt-test.txt`). It writes the gold tokens and sentences with TokenRange
  byte offsets found by aligning the gold FORMs to FILE, so token and sentence
  F1 must come out 100.00.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import conllu_eval as ce  # noqa: E402


def with_ranges(gold_path: Path, text: str) -> str:
    """Gold CoNLL-U with TokenRange=START:END (bytes into text) on each surface token."""
    byte_at = [0]  # char index -> byte offset
    for c in text:
        byte_at.append(byte_at[-1] + len(c.encode("utf-8")))
    pos = 0  # char offset in text
    inside_until = 0  # last word id covered by the current multiword token
    out = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if not line.strip():
            inside_until = 0
        elif len(cols) == 10 and "." not in cols[0]:
            is_mwt = "-" in cols[0]
            if is_mwt or int(cols[0]) > inside_until:
                form = cols[1]
                while pos < len(text) and ce.is_ws(text[pos]):
                    pos += 1
                if text[pos:pos + len(form)] != form:
                    sys.exit(f"fake_sway: cannot align {form!r} at char {pos}")
                rng = f"TokenRange={byte_at[pos]}:{byte_at[pos + len(form)]}"
                pos += len(form)
                cols[9] = rng if cols[9] == "_" else cols[9] + "|" + rng
                if is_mwt:
                    inside_until = int(cols[0].split("-")[1])
            line = "\t".join(cols)
        out.append(line)
    return "\n".join(out) + "\n"


def main() -> int:
    args = sys.argv[1:]
    if not args or args[0] != "parse":
        print("usage: fake_sway.py parse [--input-format text|conllu] [--timing] FILE", file=sys.stderr)
        return 2
    fmt, timing, path = "text", False, None
    it = iter(args[1:])
    for a in it:
        if a == "--input-format":
            fmt = next(it)
        elif a == "--timing":
            timing = True
        else:
            path = Path(a)
    t0 = time.perf_counter()
    if fmt == "conllu":
        body = path.read_text(encoding="utf-8")
        sys.stdout.write(body)
        sents = ce.parse_conllu(body)
    else:
        gold_dir = Path(os.environ["FAKE_SWAY_GOLD_DIR"])
        tb, split = path.stem.split("-")
        gold = gold_dir / f"ud-english-{tb}" / f"en_{tb}-ud-{split}.conllu"
        body = with_ranges(gold, path.read_text(encoding="utf-8"))
        sys.stdout.write(body)
        sents = ce.parse_conllu(body)
    if timing:
        n = sum(len(s.words) for s in sents)
        print(f"timing: tokens={n} sentences={len(sents)} seconds={time.perf_counter() - t0:.6f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
