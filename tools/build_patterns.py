#!/usr/bin/env python3
"""Build data/patterns/verbs.tsv from the CAMEO verb pattern dictionary.

Source (read from ../shared/data, never copied; only derived):
  event-dictionaries/CAMEO.verbpatterns.150430.txt   MIT, (c) 2015 Open Event Data Alliance
  lexicons/en_lemma_index.json, en_lemma_lookup.json, en_lemma_exc.json (WordNet 3.0 lemmas
  via spaCy's lookups) and lexicons/en_brown_clusters.tsv (spaCy lookups, MIT)
        used only as evidence about words (is this a verb, a whole word or a cut stem, what is
        the base form of "oversaw"); nothing from them is written.

The dictionary is in PETRARCH 1.0 format (PETRreader.read_verb_dictionary):
  &NAME / &NAME_       a synonym set ("synset"); its members follow as "+WORD" lines. A trailing
                       '_' on the name or a member only stops PETRARCH from generating a plural:
                       it is dropped here (sway lemmatizes). References write "&NAME" either way.
  --- NAME [code] ---  a verb block; [code] may be missing ("--- DEFEND ###") and then is '---',
                       the null code: the verb alone codes nothing. NAME's trailing '_' is dropped.
  VERB [code]          a verb of the block, with an optional code of its own; "{...}" after it
                       lists irregular forms (ignored: sway lemmatizes).
  +WORD_WORD           a multi-word verb; '+' marks the verb, the words after it are required
                       after the verb ("+WAGE_WAR" -> wage + after "war"), the words before it
                       before the verb. "RE_+ADMIT" is how PETRARCH's tokenizer saw "re-admit"
                       (dictionary header): it becomes the lemma "re-admit", as sway keeps
                       hyphenated words whole.
  - before * after [code]
                       a pattern of the block: '*' is the verb, '+' the target, '$' the source,
                       '^' "skip to the end of this noun phrase", '%' a compound actor; '_' joins
                       words (and may join them to '*', '&SET' or a slot: "WERE_*", "$_&WEAPON_*").
  [A:B]                a code pair: event A from source to target and event B back
                       (042:043 = visit / host a visit). Written here as A (the pair is counted).
  [080!]               three codes carry a '!', dropped.
  '#' starts a comment (PETRARCH cuts at the first '#'); ';' is TABARI's old comment mark and
  is cut on verb lines ("RIP {...};shan 7/11/93").

Stems. TABARI read a word without a trailing '_' as a stem (prefix match) and "WORD_" as a
whole word. PETRARCH dropped stemming ("Final underscores are no longer needed since PETR does
not do stemming", PETRreader; the dictionary was converted in 2014-15): it matches whole words
only, and this file has no trailing '_' left in any pattern. Reading every bare word as a stem
would make WAR match "warn" and "Warsaw", so the decision here is: a word is a whole word,
except a word PETRARCH could never match because it is not a word - all letters, 3 or more,
unknown to WordNet (with regular inflections) and to the 20,000 most frequent Brown-cluster
words, but the beginning of some WordNet word (NEGOTIAT, WITHD, ACCUS, ECON, POLIC). Those
were left over from TABARI and are written as stems with a trailing '*' ("negotiat*"). In a
hyphenated word the last part decides ("hunger-strik*"). Unknown words that begin no WordNet
word are typos (ABDANDON, AGGREMENT, T0) and are kept as written; they are counted.

verbs.tsv columns: lemma code before after block line
  lemma   verb rows: the verb's lemma, lower case (inflected verb lines such as OVERSAW,
          INJURED, UNDERSTOOD are reduced with WordNet's exception list and regular rules;
          a verb line that is then no WordNet verb but a WordNet noun or adjective - SIEGE,
          CONCESSION, CRACKDOWN - or ends like a noun (-ment, -tion ...) is skipped; unknown
          words such as SUPERVIZE are kept). Pattern rows: '*verb|verb' for the verbs the
          pattern's comment says it was found with ("# URGE <SPK ...>"), '*' (every verb
          of `block`) when the comment names none.
  code    the verb's own code, else the block's; the pattern's code for patterns; '---' = do
          not code (kept: such a row suppresses coding when it matches).
  before  the words required before the verb, after  the words required after it: space-
          separated tokens, lower case, in order, other words may come between (PETRARCH
          skips words; '_' joins were adjacency in PETRARCH but are written as separate
          words). Slot markers + $ ^ % are dropped. A token 'a|b|c' is a set of alternatives
          (a synset reference, or "{a b c}"); an alternative of several words joins them with
          '_' ("cease_fire", "armed_forces": those words in sequence). 'word*' is a stem (see
          above). Pattern words are written as in the dictionary (KILLINGS, WELCOMED): compare
          them with a token's form and lemma. A word ending in n't is split as the Penn
          Treebank tokenizer splits it (DON'T -> "do n't", WON'T -> "wo n't").
  block   the block's name from its header.
  line    the line of the source file.
Rows are in source order. A verb repeated in its block (THROW and THREW) is written once; a
verb in two blocks is written in both (PETRARCH keeps the last one read).
Dropped and counted: patterns left without any word (only '*' and slots: the block's code
would do), patterns without a code or without exactly one '*', patterns with an unknown synset
or an unreadable token ("+-SPONSORED").

Usage: python3 tools/build_patterns.py [SHARED_DATA_DIR]
"""
import bisect
import collections
import json
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
data = (sys.argv[1] if __name__ == "__main__" and len(sys.argv) > 1
        else os.path.join(root, "..", "shared", "data"))
SOURCE_NAME = "CAMEO.verbpatterns.150430.txt"
SOURCE = os.path.join(data, "event-dictionaries", SOURCE_NAME)
LEXICONS = os.path.join(data, "lexicons")
OUT = os.path.join(root, "data", "patterns", "verbs.tsv")

BROWN_COMMON = 20000   # the most frequent Brown-cluster words count as known (function words)
MARKERS = {"+": "target slot '+'", "$": "source slot '$'", "^": "skip marker '^'",
           "%": "compound marker '%'"}
NOUN_ENDINGS = ("ment", "tion", "sion", "ness", "ity", "ance", "ence")
WORD_RE = re.compile(r"^[a-z0-9][a-z0-9'./-]*$")
CODE_RE = re.compile(r"^(?:---|\d{2,4})$")
# WordNet has no closed-class words; the Brown-cluster top words cover most, not these.
FUNCTION_WORDS = {"amid", "amidst", "among", "amongst", "toward", "towards", "upon", "via",
                  "unless", "whether", "despite", "whereas", "whilst", "onto", "unto", "per"}


class Unhandled(Exception):
    """A pattern or line that cannot be converted; the message is its kind (counted)."""


# =============================================================================================
# lexicon
# =============================================================================================
class Lexicon:
    """Word evidence: WordNet lemmas by part of speech, inflected forms, verb exceptions."""

    def __init__(self, verbs=(), others=(), forms=(), verb_exc=None, common=()):
        self.verbs = set(verbs)
        self.lemmas = set(verbs) | set(others)   # every WordNet lemma, any part of speech
        self.others = set(others) - self.verbs   # lemmas that are no verb
        self.forms = set(forms)                  # inflected forms and their lemmas
        self.verb_exc = dict(verb_exc or {})     # irregular verb form -> [lemmas]
        self.common = set(common)
        self.sorted = sorted(w for w in self.lemmas if "_" not in w and " " not in w)

    @classmethod
    def load(cls, directory=LEXICONS):
        with open(os.path.join(directory, "en_lemma_index.json"), encoding="utf-8") as f:
            index = json.load(f)
        with open(os.path.join(directory, "en_lemma_lookup.json"), encoding="utf-8") as f:
            lookup = json.load(f)
        with open(os.path.join(directory, "en_lemma_exc.json"), encoding="utf-8") as f:
            exc = json.load(f)
        common = []
        with open(os.path.join(directory, "en_brown_clusters.tsv"), encoding="utf-8") as f:
            for n, line in enumerate(f):
                if n >= BROWN_COMMON:
                    break
                common.append(line.split("\t", 1)[0].lower())
        others = [w for pos, ws in index.items() if pos != "verb" for w in ws]
        forms = {k.lower() for k in lookup} | {v.lower() for v in lookup.values()}
        for table in exc.values():
            for k, vs in table.items():
                forms.add(k)
                forms.update(vs)
        return cls(index.get("verb", ()), others, forms, exc.get("verb", {}), common)

    def _inflection_of(self, w, lemmas):
        """A lemma in `lemmas` of which w is a regular inflection, or None."""
        for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""),
                             ("ed", "e"), ("ing", ""), ("ing", "e"), ("ings", ""),
                             ("ings", "e")):
            if w.endswith(suffix) and len(w) > len(suffix) + 1:
                stem = w[: -len(suffix)] + repl
                if stem in lemmas:
                    return stem
                # doubled consonant: deterring -> deter, dispelling -> dispel
                if (suffix in ("ed", "ing", "ings") and not repl and len(stem) > 2
                        and stem[-1] == stem[-2] and stem[:-1] in lemmas):
                    return stem[:-1]
        return None

    def known(self, w):
        """w is a whole word: a WordNet lemma or form, a regular inflection, or common."""
        return (w in self.lemmas or w in self.forms or w in self.common or w in FUNCTION_WORDS
                or self._inflection_of(w, self.lemmas) is not None)

    def begins_a_word(self, w):
        i = bisect.bisect_right(self.sorted, w)
        return i < len(self.sorted) and self.sorted[i].startswith(w)

    def is_stem(self, w):
        """w is a cut stem left over from TABARI (see the module docstring)."""
        if "-" in w:
            return self.is_stem(w.rsplit("-", 1)[1])
        return (w.isalpha() and len(w) >= 3 and not self.known(w)
                and self.begins_a_word(w))

    def verb_lemma(self, w):
        """(lemma, status): status 'verb', 'lemmatized', 'not a verb' or 'unknown'."""
        if w in self.verbs:
            return w, "verb"
        if "-" in w:
            head, _, last = w.rpartition("-")
            lemma, status = self.verb_lemma(last)
            if status in ("verb", "lemmatized"):
                return head + "-" + lemma, status
        for cand in self.verb_exc.get(w, ()):
            if cand in self.verbs:
                return cand, "lemmatized"
        cand = self._inflection_of(w, self.verbs)
        if cand:
            return cand, "lemmatized"
        if w in self.others or w.endswith(NOUN_ENDINGS):
            return w, "not a verb"
        return w, "unknown"


# =============================================================================================
# parsing
# =============================================================================================
def strip_comment(line):
    """Cut at the first '#', as PETRARCH does."""
    return line.split("#", 1)[0]


def parse_code(raw, stats):
    """'190' -> '190'; '042:043' -> '042' (pair counted); '080!' -> '080'; bad -> Unhandled."""
    code = raw.strip()
    if "!" in code:
        stats["codes with '!' (dropped)"] += 1
        code = code.replace("!", "").strip()
    if ":" in code:
        stats["code pairs A:B written as A"] += 1
        if code.split(":", 1)[0] != code.split(":", 1)[1]:
            stats["  of which with B different from A"] += 1
        code = code.split(":", 1)[0].strip()
    if not CODE_RE.match(code):
        raise Unhandled("unreadable code")
    return code


def word_token(piece, lex, stats):
    """One dictionary word -> its output token (lower case, 'stem*' for a cut stem)."""
    w = piece.lower()
    if not WORD_RE.match(w) or w.endswith("-"):
        raise Unhandled("unreadable token")
    if lex.is_stem(w):
        stats["stems written 'word*'"] += 1
        stats["_stems"][w] += 1
        return w + "*"
    if (w.replace("-", "").isalpha() and not lex.known(w)
            and not all(lex.known(p) for p in w.split("-") if p)):
        stats["_unknown words"][w] += 1
    if "'" in w:
        stats["words with an apostrophe"] += 1
    return w


def split_clitic(piece, stats):
    """DON'T -> DO N'T, as sway's tokenizer (Penn Treebank / EWT style) splits it."""
    if len(piece) > 3 and piece.lower().endswith("n't"):
        stats["words ending in n't split (DON'T -> do n't)"] += 1
        return [piece[:-3], piece[-3:]]
    return [piece]


def words_of(text, lex, stats):
    """'PULL_OUT' -> ['pull', 'out']; a trailing '_' is dropped."""
    out = []
    for piece in text.split("_"):
        if piece:
            out.extend(word_token(p, lex, stats) for p in split_clitic(piece, stats))
    return out


def read_synsets(lines, lex, stats):
    """{NAME: [alternative, ...]} with multi-word alternatives joined by '_'."""
    synsets = {}
    current = None
    for lineno, raw in enumerate(lines, 1):
        body = strip_comment(raw).strip()
        if not body:
            continue
        if body.startswith("&"):
            name = body[1:].split()[0]
            if name.endswith("_"):
                stats["synsets marked '_' (no plurals)"] += 1
            name = name.rstrip("_")
            current = synsets.setdefault(name, [])
            stats["synsets"] += 1
            continue
        if current is not None and body.startswith("+"):
            member = body[1:].strip()
            if member.endswith("_"):
                stats["synset members marked '_' (no plural)"] += 1
            try:
                if " " in member or "&" in member:
                    raise Unhandled("synset member with a space or a synset")
                alt = "_".join(words_of(member, lex, stats))
            except Unhandled as e:
                stats["unhandled: " + str(e)] += 1
                stats["_unhandled examples"].append("%d: %s" % (lineno, body))
                continue
            stats["synset members"] += 1
            if alt and alt not in current:
                current.append(alt)
            continue
        current = None
    return synsets


def side_tokens(text, synsets, lex, stats):
    """Tokens of one side of a pattern (before or after '*')."""
    alts = []

    def stash(m):
        options = []
        for opt in m.group(1).split():
            options.append("_".join(words_of(opt, lex, stats)))
        stats["'{...}' alternatives"] += 1
        alts.append("|".join(o for o in options if o))
        return " \x00%d " % (len(alts) - 1)

    text = re.sub(r"\{([^{}]*)\}", stash, text)
    if '"' in text:
        stats["quote marks dropped"] += 1
        text = text.replace('"', "")
    out = []
    for chunk in text.split():
        for piece in chunk.split("_"):
            if not piece:
                continue
            if piece in MARKERS:
                stats[MARKERS[piece] + " dropped"] += 1
            elif piece.startswith("\x00"):
                if alts[int(piece[1:])]:
                    out.append(alts[int(piece[1:])])
            elif piece.startswith("&"):
                name = piece[1:].rstrip("_")
                if name not in synsets:
                    raise Unhandled("unknown synset")
                stats["synset references expanded"] += 1
                out.append("|".join(synsets[name]))
            elif piece in ("{", "}"):
                stats["stray brace dropped"] += 1
            elif "|" in piece:
                raise Unhandled("'|' in a pattern")
            else:
                out.extend(word_token(p, lex, stats) for p in split_clitic(piece, stats))
    return out


def parse_pattern(body, synsets, lex, stats):
    """'- SAID + MUST * POLICY [100]' -> (code, before tokens, after tokens)."""
    codes = re.findall(r"\[([^\]]*)\]", body)
    if not codes:
        raise Unhandled("pattern without a code")
    if len(codes) > 1:
        raise Unhandled("pattern with several codes")
    code = parse_code(codes[0], stats)
    if body.startswith("--"):
        stats["patterns opening with '--' (read as '-')"] += 1
    text, _, rest = body.lstrip("-").partition("[")
    if rest.split("]", 1)[1].strip():
        raise Unhandled("text after the code")
    if text.count("*") != 1:
        raise Unhandled("pattern without exactly one '*'")
    left, right = text.split("*")
    return code, side_tokens(left, synsets, lex, stats), side_tokens(right, synsets, lex, stats)


def parse_verb(body, lex, stats):
    """A verb line -> (lemma, before words, after words, code override or '', status)."""
    if ";" in body:
        stats["verb lines with a ';' comment (cut)"] += 1
        body = body.split(";", 1)[0]
    override = ""
    codes = re.findall(r"\[([^\]]*)\]", body)
    if len(codes) > 1:
        raise Unhandled("verb with several codes")
    if codes:
        override = parse_code(codes[0], stats)
        body = re.sub(r"\[[^\]]*\]", " ", body)
    m = re.search(r"\{([^}]*)\}?", body)
    if m:
        if not m.group(1).strip():
            stats["verbs with empty '{}' (form given as is)"] += 1
        else:
            stats["verbs with irregular forms '{...}' (ignored)"] += 1
        body = body[: m.start()] + " " + body[m.end():]
    parts = body.split()
    if not parts:
        raise Unhandled("verb line without a verb")
    spec, extra = parts[0], parts[1:]
    if extra:
        stats["verb lines with words after a space ('SCOF AT')"] += 1
    pieces = [p for p in spec.split("_") if p]
    at = [i for i, p in enumerate(pieces) if p.startswith("+")]
    if len(pieces) > 1 or at:
        stats["multi-word verbs"] += 1
        if not at:
            stats["multi-word verbs without '+' (first word taken)"] += 1
        i = at[0] if at else 0
        before, verb, after = pieces[:i], pieces[i].lstrip("+"), pieces[i + 1:]
    else:
        before, verb, after = [], spec, []
    if "+" in verb:
        raise Unhandled("unreadable verb")
    if [b.upper() for b in before] == ["RE"]:
        stats["'RE_+VERB' written as 're-verb'"] += 1
        verb, before = "RE-" + verb, []
    after = after + extra
    w = verb.lower()
    if not WORD_RE.match(w):
        raise Unhandled("unreadable verb")
    lemma, status = lex.verb_lemma(w)
    before = [word_token(b, lex, stats) for b in before]
    after = [word_token(a, lex, stats) for a in after]
    return lemma, before, after, override, status


def parse_dictionary(lines, lex, stats):
    """Rows of verbs.tsv as dicts, in source order."""
    for k in ("_stems", "_unknown words", "_not verbs", "_unknown verbs", "_lemmatized"):
        stats.setdefault(k, collections.Counter())
    stats.setdefault("_unhandled examples", [])
    stats.setdefault("_dropped empty", [])
    synsets = read_synsets(lines, lex, stats)
    rows = []
    block = None
    in_synset = False
    seen = set()            # (block, lemma, before, after) of verb rows
    lemma_blocks = collections.defaultdict(set)
    verbs_in_block = 0

    def close_block():
        if block is not None and verbs_in_block == 0:
            stats["blocks without verbs"] += 1

    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("<!"):
            stats["XML comments skipped"] += 1
            continue
        body = strip_comment(stripped).strip()
        if not body:
            continue
        if body.startswith("&"):
            in_synset = True
            continue
        if in_synset and body.startswith("+"):
            continue                               # synset member (read above)
        in_synset = False
        try:
            if body.startswith("---"):
                close_block()
                m = re.match(r"^---(.*?)(?:\[([^\]]*)\])?[\s-]*$", body)
                name = m.group(1).strip().rstrip("_") if m else ""
                if not name or "[" in name or "]" in name:
                    raise Unhandled("unreadable block header")
                code = parse_code(m.group(2), stats) if m.group(2) else "---"
                if not m.group(2):
                    stats["block headers without a code ('---')"] += 1
                block = {"name": name, "code": code, "line": lineno}
                verbs_in_block = 0
                stats["blocks"] += 1
                continue
            if block is None:
                raise Unhandled("line before the first block")
            if body.startswith("-"):
                stats["pattern lines"] += 1
                if verbs_in_block == 0:
                    stats["patterns before the block's first verb"] += 1
                code, before, after = parse_pattern(body, synsets, lex, stats)
                if not before and not after:
                    stats["patterns dropped: no words"] += 1
                    if code != block["code"]:
                        stats["  of which with a code other than the block's"] += 1
                        stats["_dropped empty"].append("%d: %s" % (lineno, body))
                    continue
                # The comment names the verb(s) the pattern was found with ("# URGE <SPK
                # 17 Mar 2008> , URGE <...>"): the pattern applies to those verbs only, not
                # to every verb of the block, which is too broad once slots are dropped.
                found_with = sorted({w.split("_")[0].lower() for w in re.findall(
                    r"(?:^|,)\s*([A-Z][A-Z_]*[A-Z])\b", raw.split("#", 1)[1])} if "#" in raw else set())
                lemma = "*" + "|".join(found_with) if found_with else "*"
                if found_with:
                    stats["pattern rows restricted to the verbs named in their comment"] += 1
                rows.append({"lemma": lemma, "code": code, "before": " ".join(before),
                             "after": " ".join(after), "block": block["name"],
                             "line": lineno})
                stats["pattern rows"] += 1
                continue
            stats["verb lines"] += 1
            lemma, before, after, override, status = parse_verb(body, lex, stats)
            if status == "not a verb" and not before and not after:
                stats["verbs skipped: not a verb (noun/adjective)"] += 1
                stats["_not verbs"][lemma] += 1
                continue
            if status == "unknown":
                stats["_unknown verbs"][lemma] += 1
            if status == "lemmatized":
                stats["verbs lemmatized (inflected form given)"] += 1
                stats["_lemmatized"][body.split()[0] + "->" + lemma] += 1
            key = (block["name"], lemma, tuple(before), tuple(after))
            if key in seen:
                stats["verbs skipped: repeated in the block"] += 1
                continue
            seen.add(key)
            verbs_in_block += 1
            lemma_blocks[(lemma, tuple(before), tuple(after))].add(block["name"])
            rows.append({"lemma": lemma, "code": override or block["code"],
                         "before": " ".join(before), "after": " ".join(after),
                         "block": block["name"], "line": lineno})
            stats["verb rows"] += 1
        except Unhandled as e:
            stats["unhandled: " + str(e)] += 1
            stats["_unhandled examples"].append("%d: %s" % (lineno, stripped))
    close_block()
    stats["verbs in more than one block"] = sum(1 for b in lemma_blocks.values() if len(b) > 1)
    return rows


# =============================================================================================
def write_rows(rows, path):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by tools/build_patterns.py from %s (the CAMEO verb pattern "
                "dictionary for PETRARCH, MIT, (c) 2015 Open Event Data Alliance) - do not edit "
                "by hand.\n" % SOURCE_NAME)
        f.write("# One row per verb (lemma = the verb) or per pattern (lemma '*' = every verb "
                "of `block`); code '---' = do not code; line = line in the source file.\n")
        f.write("# before/after: words required before/after the verb, in order, lower case; "
                "'a|b' = alternatives (a multi-word one joins its words with '_'); 'word*' = "
                "stem. Source code pairs 'A:B' are written as A. Full format: the docstring "
                "of tools/build_patterns.py.\n")
        f.write("lemma\tcode\tbefore\tafter\tblock\tline\n")
        for r in rows:
            f.write("%s\t%s\t%s\t%s\t%s\t%d\n" % (r["lemma"], r["code"], r["before"],
                                                r["after"], r["block"], r["line"]))


def main():
    stats = collections.Counter()
    lex = Lexicon.load()
    with open(SOURCE, encoding="utf-8") as f:
        lines = f.readlines()
    rows = parse_dictionary(lines, lex, stats)
    write_rows(rows, OUT)

    null_rows = sum(1 for r in rows if r["code"] == "---")
    print("verbs.tsv: %d rows (%d verbs, %d patterns, %d with code '---'), %d bytes" % (
        len(rows), stats["verb rows"], stats["pattern rows"], null_rows, os.path.getsize(OUT)))
    for k in sorted(stats):
        if not k.startswith("_"):
            print("  %-60s %d" % (k, stats[k]))
    for k, label in (("_not verbs", "verb lines skipped (not a verb)"),
                     ("_lemmatized", "verb lines lemmatized"),
                     ("_unknown verbs", "verbs unknown to WordNet (kept)"),
                     ("_stems", "stems"),
                     ("_unknown words", "words unknown to WordNet that begin no word "
                                        "(names, typos; kept as written)")):
        c = stats[k]
        print("  %s (%d): %s" % (label, len(c), ", ".join(sorted(c))))
    for k, label in (("_unhandled examples", "unhandled lines"),
                     ("_dropped empty", "dropped wordless patterns with their own code")):
        ex = stats[k]
        print("  %s (%d):" % (label, len(ex)))
        for e in ex[:40]:
            print("    " + e)


if __name__ == "__main__":
    main()
