"""Labelled feature rows for the fitted kind and same-story decisions: dev sets + synthetic.

The shipped decisions (``src/newslineage/semantic/*.json``) are fitted on rows of
:func:`newslineage.semantic.features.pair_features`; this script rebuilds all of them so the refit
is one command (the format is in ``newslineage/semantic/refit.py``)::

    PYTHONPATH=src:. python -m bench.rows --out rows.jsonl --refit OUT_DIR --loco

- dev sets from ``../shared/devdata`` (``--devdata``): COUNTER (Urdu, e5: about 15 CPU-minutes),
  LLMFake and Clough & Stevenson (kind rows, USE), SemEval-2022 (same-story rows, USE);
  ``--no-dev`` skips them, ``--limit K`` keeps K pairs per dev set (a quick check);
- ``synthetic``: a ``bench.generate`` corpus with ``hard=True`` (``--synthetic-n``, default
  1500): every derivation kind and variant (capped per variant) labelled ``derived`` or
  ``partial``, and ``none`` for same-story pairs where neither article derives from the other
  (independent reports, also across languages) and for each sampled article's nearest other-story
  neighbour by lead vector (the pair the candidate channel would propose);
- same-story rows (:data:`~newslineage.semantic.story.STORY_FEATURES`, computed as the engine
  does: the lead cosine of ``story_model``'s vectors, days between publication dates)
  for SemEval's scored pairs and the synthetic corpus's pairs; ``--story-only`` builds only
  these (about 2 minutes);
- ``--refit OUT_DIR`` writes ``kind.json``, ``kind_lexical.json``, ``same_story.json`` there (copy
  them to ``src/newslineage/semantic/`` to ship); ``--loco`` prints leave-one-corpus-out figures;
  ``--folds`` held-out same-story F1 (5-fold by pair, overall, per corpus and per SemEval
  language pair, with the misses and false calls behind each).

The shipped ``same_story.json`` came from::

    PYTHONPATH=src:. python -m bench.rows --story-only --out /tmp/story.jsonl --refit src/newslineage/semantic --folds
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import numpy as np

from bench.generate import generate_corpus
from newslineage.semantic.encoders import get_encoder, pick_pair_model
from newslineage.semantic.features import FEATURES, pair_features
from newslineage.semantic.fit import Decision
from newslineage.semantic.refit import (
    COARSE,
    LEXICAL,
    fit_rows,
    fit_story,
    same_probability,
    story_f1,
)
from newslineage.semantic.story import (
    STORY_FEATURES,
    AnchorRarity,
    StoryInputs,
    story_features,
    story_model,
)
from newslineage.semantic.vectors import from_bytes, lead_text, to_bytes
from newslineage.text.sentences import split_sentences

DEVDATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "devdata"
#: dev-set labels -> the kind decision's classes (C&S "heavy" revision is a derivation)
KIND = {"WD": "derived", "PD": "partial", "ND": "none", "paraphrase": "derived",
        "rewrite": "derived", "open_ended": "none", "cut": "derived", "light": "derived",
        "heavy": "derived", "non": "none"}  # fmt: skip
#: synthetic relation kinds/variants -> classes
SYNTHETIC = {"copy": "derived", "excerpt": "derived", "rewrite": "derived",
             "paraphrase": "derived", "summary": "derived", "translation": "derived",
             "partial": "partial", "reuse": "partial"}  # fmt: skip


class Vectors:
    """Sentence and lead vectors per model, each distinct text encoded once."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], np.ndarray] = {}

    def get(self, model: str, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if (model, t) not in self.seen))
        for i in range(0, len(missing), 256):
            batch = missing[i : i + 256]
            for t, v in zip(batch, get_encoder(model).encode(batch), strict=True):
                self.seen[model, t] = v
        if not texts:
            return np.zeros((0, 512 if model == "use" else 384), dtype=np.float32)
        return np.stack([self.seen[model, t] for t in texts])


def _base(language: str | None) -> str | None:
    return language.lower().split("-")[0] if language else None


def features(vecs: Vectors, src: dict, der: dict) -> dict[str, float]:
    """``pair_features`` of two articles (``text``, ``language``, optional ``title``)."""
    la, lb = src.get("language"), der.get("language")
    model = pick_pair_model(la, lb)
    cross = None not in (_base(la), _base(lb)) and _base(la) != _base(lb)
    sents = [
        [a["text"][s:e] for s, e in split_sentences(a["text"], a.get("language"))]
        for a in (src, der)
    ]
    S, D = vecs.get(model, sents[0]), vecs.get(model, sents[1])
    leads = vecs.get(model, [lead_text(a.get("title"), a["text"]) for a in (src, der)])
    cosine = float(leads[0] @ leads[1])
    return pair_features(src["text"], der["text"], S, D, model, cross, cosine).as_dict()


def _row(
    corpus: str, task: str, label: str, feats: dict[str, float], item: str | None = None
) -> dict:
    """One labelled row; ``item`` is the dev-set item id (COUNTER agency id, LLMFake news_id,
    C&S file, SemEval pair_id), so ``bench.devsets --heldout`` can drop a fold's rows."""
    row = {"corpus": corpus, "task": task, "label": label, "features": feats}
    return row if item is None else row | {"item": item}


# ---------------------------------------------------------------- dev sets


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        yield from (json.loads(line) for line in fh if line.strip())


def counter_pairs(root: Path) -> Iterator[tuple[dict, dict, str, str]]:
    """COUNTER: agency story ``id`` and its newspaper story ``id + 'p'``, WD/PD/ND.

    Each dev-set reader yields (source, derived, label, item id)."""
    docs = {d["id"]: d for d in _jsonl(root / "counter-dev" / "corpus.jsonl")}
    labels = json.loads((root / "counter-dev" / "labels.json").read_text(encoding="utf-8"))
    for k, v in sorted(labels.items()):
        s, p = docs[k], docs[k + "p"]
        yield ({"text": s["title"] + "\n" + s["text"], "language": "ur"},
               {"text": p["title"] + "\n" + p["text"], "language": "ur"}, v, k)  # fmt: skip


def llmfake_pairs(root: Path) -> Iterator[tuple[dict, dict, str, str]]:
    for p in _jsonl(root / "llmfake-dev" / "pairs.jsonl"):
        yield ({"text": p["source_text"], "language": "en"},
               {"text": p["generated_text"], "language": "en"}, p["method"],
               p["news_id"])  # fmt: skip


def clough_pairs(root: Path) -> Iterator[tuple[dict, dict, str, str]]:
    base = root / "clough-stevenson"
    orig = {t: (base / f"orig_task{t}.txt").read_text(encoding="latin-1") for t in "abcde"}
    with (base / "file_information.csv").open(encoding="latin-1") as fh:
        for r in csv.DictReader(fh):
            if r["Category"] != "orig" and r["File"].startswith("g"):
                der = (base / r["File"]).read_text(encoding="latin-1")
                yield ({"text": orig[r["Task"]], "language": "en"},
                       {"text": der, "language": "en"}, r["Category"], r["File"])  # fmt: skip


def semeval_pairs(root: Path) -> tuple[dict[str, dict], list[tuple[str, str, str]]]:
    """SemEval-2022 Task 8: overall <= 1.5 same, >= 3 different, the middle left out; the
    documents (an id seen with two texts keeps the longer, as ``bench.devsets`` ingests them)
    and the labelled pairs (id1, id2, label)."""
    docs: dict[str, dict] = {}
    pairs = []
    for p in _jsonl(root / "semeval2022-dev" / "pairs.jsonl"):
        o = p["overall"]
        label = "same" if o <= 1.5 else "different" if o >= 3 else None
        if label is None:
            continue
        pairs.append((p["id1"], p["id2"], label))
        for k in "12":
            doc = {"id": p["id" + k], "text": p["text" + k], "language": p["lang" + k]}
            if len(doc["text"]) > len(docs.get(doc["id"], {"text": ""})["text"]):
                docs[doc["id"]] = doc
    return docs, pairs


DEV_SETS = {
    "counter": (counter_pairs, "kind"),
    "llmfake": (llmfake_pairs, "kind"),
    "clough": (clough_pairs, "kind"),
    "semeval": (semeval_pairs, "same_story"),  # rows from semeval_rows (the engine's features)
}


def dev_rows(
    root: Path, vecs: Vectors, limit: int | None = None, names: Iterable[str] | None = None
) -> Iterator[dict]:
    """Rows of the dev sets ``names`` (default: all of :data:`DEV_SETS`)."""
    for name in DEV_SETS if names is None else names:
        pairs, task = DEV_SETS[name]
        if name == "semeval":
            yield from semeval_rows(root, vecs, limit)
            continue
        for i, (src, der, label, item) in enumerate(pairs(root)):
            if limit is not None and i >= limit:
                break
            yield _row(name, task, KIND.get(label, label), features(vecs, src, der), item)
        print(f"rows: {name} done", file=sys.stderr)


# ---------------------------------------------------------------- synthetic


def synthetic_pairs(
    n: int, seed: int, per_variant: int = 60
) -> tuple[list[dict], list[tuple[str, str, str, str]], dict[str, int]]:
    """A hard corpus and its labelled pairs (source id, derived id, kind label, same-story label);
    nearest-neighbour negatives are added by :func:`synthetic_rows` (they need vectors)."""
    records, truth = generate_corpus(n, seed=seed, hard=True)
    rng = random.Random(seed)
    by_variant: dict[str, list[dict]] = {}
    for rel in truth["relations"]:
        by_variant.setdefault(rel.get("variant", rel["kind"]), []).append(rel)
    pairs = []
    for variant, rels in sorted(by_variant.items()):
        for rel in rng.sample(rels, min(per_variant, len(rels))):
            pairs.append((rel["source"], rel["derived"], SYNTHETIC[variant], "same"))
    related = _ancestry(truth["relations"])
    order = {r["id"]: i for i, r in enumerate(records)}
    unrelated_in_story = [
        tuple(sorted((a, b), key=order.__getitem__))
        for story in truth["stories"]
        for i, a in enumerate(story["articles"])
        for b in story["articles"][i + 1 :]
        if frozenset((a, b)) not in related
    ]
    for a, b in rng.sample(unrelated_in_story, min(4 * per_variant, len(unrelated_in_story))):
        pairs.append((a, b, "none", "same"))
    story = {a: k for k, st in enumerate(truth["stories"]) for a in st["articles"]}
    return records, pairs, story


def _ancestry(relations: Iterable[dict]) -> set[frozenset[str]]:
    """Pairs joined by a chain of derivations (either way): not negatives."""
    parent = {r["derived"]: r["source"] for r in relations}
    out = set()
    for child in parent:
        node = child
        while node in parent:
            node = parent[node]
            out.add(frozenset((child, node)))
    return out


def synthetic_rows(
    vecs: Vectors, n: int = 1500, seed: int = 11, per_variant: int = 60, kind: bool = True
) -> list[dict]:
    """Kind rows (``kind``) and same-story rows of one hard synthetic corpus."""
    records, pairs, story = synthetic_pairs(n, seed, per_variant)
    by_id = {r["id"]: r for r in records}
    negatives = _neighbours(vecs, records, {d for _, d, _, _ in pairs}, story)
    rows = []
    if kind:
        rows += [_row("synthetic", "kind", k, features(vecs, by_id[a], by_id[b]))
                 for a, b, k, _ in pairs]  # fmt: skip
        rows += [_row("synthetic", "kind", "none", features(vecs, by_id[a], by_id[b]))
                 for a, b in negatives]  # fmt: skip
    labelled = [(a, b, same) for a, b, _, same in pairs] + [
        (a, b, "different") for a, b in negatives
    ]
    return rows + story_rows("synthetic", LeadSpace(vecs, by_id), labelled)


def _neighbours(
    vecs: Vectors, records: list[dict], queries: set[str], story: dict[str, int]
) -> list[tuple[str, str]]:
    """Each query's nearest article of another story by lead vector (USE: one space for the
    English and Spanish articles), as (earlier, later) ids."""
    leads = vecs.get("use", [lead_text(r["title"], r["text"]) for r in records])
    ids = [r["id"] for r in records]
    out = []
    for q in sorted(queries):
        i = ids.index(q)
        sims = leads @ leads[i]
        for j in np.argsort(-sims):
            if story[ids[j]] != story[q]:
                out.append((ids[min(i, j)], ids[max(i, j)]))
                break
    return out


# ---------------------------------------------------------------- same-story rows


class LeadSpace:
    """The lead vectors of one corpus as the engine sees them (through the stored int8 form),
    in the model ``story_model`` picks for each pair, encoded when first asked for."""

    def __init__(self, vecs: Vectors, docs: dict[str, dict]) -> None:
        self.vecs, self.docs = vecs, docs
        self.leads: dict[tuple[str, str], np.ndarray] = {}
        # the anchor frequencies of the whole corpus, as the engine counts them over its store
        self.rarity = AnchorRarity.of(docs[i]["text"] for i in sorted(docs))

    def lead(self, model: str, i: str) -> np.ndarray:
        self.prefetch(model, [i])
        return self.leads[model, i]

    def days_apart(self, a: str, b: str) -> float | None:
        dates = [self.docs[x].get("published") for x in (a, b)]
        if None in dates:
            return None
        ta, tb = (datetime.fromisoformat(d) for d in dates)
        return abs((ta - tb).total_seconds()) / 86400.0

    def features(self, a: str, b: str) -> dict[str, float]:
        """``story_features`` of two documents, with the engine's model choice."""
        la, lb = self.docs[a].get("language"), self.docs[b].get("language")
        model = story_model(la, lb)
        cosine = float(self.lead(model, a) @ self.lead(model, b))
        cross = _base(la) is not None and _base(lb) is not None and _base(la) != _base(lb)
        inputs = StoryInputs(cosine, model, cross, self.days_apart(a, b), self.rarity)
        values = story_features(self.docs[a]["text"], self.docs[b]["text"], inputs)
        return dict(zip(STORY_FEATURES, values, strict=True))

    def prefetch(self, model: str, ids: list[str]) -> None:
        """Encode the leads of ``ids`` in one batch (one encode call per text is slow)."""
        todo = [i for i in ids if (model, i) not in self.leads]
        texts = [lead_text(self.docs[i].get("title"), self.docs[i]["text"]) for i in todo]
        for i, v in zip(todo, self.vecs.get(model, texts), strict=True):
            self.leads[model, i] = from_bytes(to_bytes(v), len(v))[0]


def story_rows(corpus: str, space: LeadSpace, pairs: Iterable[tuple[str, str, str]]) -> list[dict]:
    """Same-story rows (label same/different), each with its pair's languages."""
    pairs = list(pairs)
    for model in ("use", "e5"):
        wanted = [
            x
            for a, b, _ in pairs
            if story_model(space.docs[a].get("language"), space.docs[b].get("language")) == model
            for x in (a, b)
        ]
        space.prefetch(model, list(dict.fromkeys(wanted)))
    rows = []
    for a, b, label in pairs:
        row = _row(corpus, "same_story", label, space.features(a, b), a)
        langs = sorted(str(space.docs[x].get("language")) for x in (a, b))
        rows.append({**row, "languages": "-".join(langs)})
    return rows


def semeval_rows(root: Path, vecs: Vectors, limit: int | None = None) -> list[dict]:
    docs, pairs = semeval_pairs(root)
    rows = story_rows("semeval", LeadSpace(vecs, docs), pairs[:limit])
    print("rows: semeval done", file=sys.stderr)
    return rows


def story_folds(rows: list[dict], k: int = 5, repeats: int = 3) -> list[str]:
    """Held-out same-story F1: ``k`` folds by pair (all corpora together), the decision and its
    cut (``fit_story``: the cut on the training rows' own out-of-fold probabilities) fitted on
    the other folds; per corpus, on SemEval's German-English pairs, and per SemEval language
    pair with its misses (same called different) and false calls, summed over the repeats."""
    story = [r for r in rows if r["task"] == "same_story"]
    scores: dict[str, list[float]] = {}
    errors: dict[str, Counter[str]] = {}
    for rep in range(repeats):
        fold = np.random.default_rng(100 + rep).permutation(len(story)) % k
        same = np.zeros(len(story), bool)
        for f in range(k):
            train = [r for r, g in zip(story, fold, strict=True) if g != f]
            test = np.flatnonzero(fold == f)
            decision = fit_story(train)
            same[test] = same_probability(decision, [story[i] for i in test]) >= decision.cut
        for name, keep in _story_groups(story).items():
            sub = [story[i] for i in keep]
            scores.setdefault(name, []).append(story_f1(same[keep], sub))
            errors[name] = errors.get(name, Counter()) + _story_errors(same[keep], sub)
    return [f"same-story held out ({k}-fold by pair x {repeats}): {name} F1 "
            f"{np.mean(v):.3f} (sd {np.std(v):.3f}); {_error_note(errors[name], repeats)}"
            for name, v in scores.items()]  # fmt: skip


def _story_groups(rows: list[dict]) -> dict[str, np.ndarray]:
    groups = {
        c: np.flatnonzero([r["corpus"] == c for r in rows])
        for c in sorted({r["corpus"] for r in rows})
    }
    pairs = sorted({r["languages"] for r in rows if r["corpus"] == "semeval" and "languages" in r})
    for langs in pairs:
        groups[f"semeval {langs}"] = np.flatnonzero(
            [r["corpus"] == "semeval" and r.get("languages") == langs for r in rows]
        )
    return groups


def _story_errors(same: np.ndarray, rows: list[dict]) -> Counter[str]:
    """How many same-story rows were called different ("missed") and different ones same
    ("false"), beside the counts of each label."""
    gold = np.array([r["label"] == "same" for r in rows])
    return Counter(missed=int((gold & ~same).sum()), false=int((~gold & same).sum()),
                   same=int(gold.sum()), different=int((~gold).sum()))  # fmt: skip


def _error_note(c: Counter[str], repeats: int) -> str:
    """Misses and false calls per repeat, of how many rows of each label."""
    per = {k: c[k] / repeats for k in ("missed", "same", "false", "different")}
    return (f"missed {per['missed']:.1f} of {per['same']:.0f} same, "
            f"false {per['false']:.1f} of {per['different']:.0f} different")  # fmt: skip


# ---------------------------------------------------------------- held-out figures


def _scores(truth: list[str], pred: list[str]) -> str:
    t, p = np.array(truth), np.array(pred)
    der_t, der_p = t != "none", p != "none"
    bal = 0.5 * (der_p[der_t].mean() + (~der_p[~der_t]).mean())
    f1 = {}
    for c in ("derived", "partial", "none"):
        tp, fp, fn = (
            ((t == c) & (p == c)).sum(),
            ((t != c) & (p == c)).sum(),
            ((t == c) & (p != c)).sum(),
        )
        f1[c] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    macro = np.mean([f1[c] for c in f1 if c in t])
    return f"derived-vs-none bal.acc {bal:.3f}, macro-F1 {macro:.3f} " + " ".join(
        f"{c} {v:.2f}" for c, v in f1.items() if c in t
    )


def leave_one_corpus_out(rows: list[dict], l2: float = 0.3) -> list[str]:
    """Kind decision fitted on every other corpus (the shipped recipe: ``refit.fit_rows``),
    scored on this one."""
    kind = [r for r in rows if r["task"] == "kind"]
    lines = []
    for held in sorted({r["corpus"] for r in kind}):
        train = [r for r in kind if r["corpus"] != held]
        test = [r for r in kind if r["corpus"] == held]
        for coarse, how in ((COARSE, "as shipped"), ({}, "labels as given")):
            pred = _predict(fit_rows(train, FEATURES, l2, coarse), test)
            lines.append(f"{held} held out (fitted on {sorted({r['corpus'] for r in train})}, "
                         f"{how}): {_scores([r['label'] for r in test], pred)}")  # fmt: skip
    return lines


def kind_folds(rows: list[dict], k: int = 5, l2: float = 0.3) -> list[str]:
    """Per corpus, each of ``k`` folds (by item, as ``bench.devsets --heldout`` deals them) scored
    by the kind decisions fitted on the other folds and every other corpus, with the labels read
    as the shipped recipe reads them (``refit.COARSE``) and as given (every "derived" firm)."""
    from bench.heldout import assign_folds

    kind = [r for r in rows if r["task"] == "kind" and "item" in r]
    lines = []
    for corpus in sorted({r["corpus"] for r in kind}):
        mine = [r for r in kind if r["corpus"] == corpus]
        fold = assign_folds((r["item"] for r in mine), k)
        others = [r for r in kind if r["corpus"] != corpus]
        for names, what in ((FEATURES, "all features"), (LEXICAL, "lexical features")):
            for coarse, how in ((COARSE, "as shipped"), ({}, "labels as given")):
                pred = [""] * len(mine)
                for f in range(k):
                    train = others + [r for r in mine if fold[r["item"]] != f]
                    test = [i for i, r in enumerate(mine) if fold[r["item"]] == f]
                    got = _predict(fit_rows(train, names, l2, coarse), [mine[i] for i in test])
                    for i, g in zip(test, got, strict=True):
                        pred[i] = g
                lines.append(f"{corpus} {k}-fold, {what}, {how}: "
                             f"{_scores([r['label'] for r in mine], pred)}")  # fmt: skip
    return lines


def _predict(decision: Decision, rows: list[dict]) -> list[str]:
    return decision.predict(np.array([[r["features"][f] for f in decision.features] for r in rows]))


def all_rows(
    devdata: Path | None = DEVDATA,
    limit: int | None = None,
    synthetic_n: int = 1500,
    seed: int = 11,
    corpora: Iterable[str] | None = None,
    kind: bool = True,
) -> list[dict]:
    """Every row the shipped decisions are fitted on: synthetic, then the dev sets (none when
    ``devdata`` is None); ``corpora``: only these (``synthetic`` and names of
    :data:`DEV_SETS`). ``bench.devsets --heldout`` calls this too (one corpus at a time, each
    cached), so its folds are refitted on exactly the rows this command writes."""
    wanted = set(corpora) if corpora is not None else {"synthetic", *DEV_SETS}
    vecs = Vectors()
    rows = synthetic_rows(vecs, synthetic_n, seed, kind=kind) if "synthetic" in wanted else []
    if devdata is not None:
        rows += dev_rows(devdata, vecs, limit, [n for n in DEV_SETS if n in wanted])
    return rows


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.rows --out ROWS.jsonl [--no-dev] [--refit DIR] [--loco]``."""
    ap = argparse.ArgumentParser(prog="python -m bench.rows", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, help="rows file to write (JSON lines)")
    ap.add_argument("--rows", type=Path, nargs="+",
                    help="read these rows files (e.g. the held-out run's cached ones) instead of "
                         "building rows")  # fmt: skip
    ap.add_argument("--devdata", type=Path, default=DEVDATA)
    ap.add_argument("--no-dev", action="store_true", help="synthetic rows only")
    ap.add_argument("--limit", type=int, default=None, help="pairs per dev set (quick check)")
    ap.add_argument("--synthetic-n", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--refit", type=Path, help="folder for the refitted decision files")
    ap.add_argument("--loco", action="store_true", help="print leave-one-corpus-out figures")
    ap.add_argument("--story-only", action="store_true",
                    help="same-story rows only (SemEval + synthetic; no COUNTER e5 run)")  # fmt: skip
    ap.add_argument("--folds", action="store_true", help="print held-out same-story figures")
    ap.add_argument("--kind-folds", action="store_true",
                    help="print held-out kind figures: 5 folds by item per corpus, the other "
                         "corpora in every fold's training")  # fmt: skip
    args = ap.parse_args(argv)
    if (args.out is None) == (args.rows is None):
        ap.error("give --out (build rows) or --rows (read them)")
    if args.rows:
        rows = [json.loads(line) for p in args.rows
                for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]  # fmt: skip
    else:
        rows = _build(args)
    print(f"{len(rows)} rows: {dict(Counter((r['corpus'], r['label']) for r in rows))}")
    if args.refit:
        from newslineage.semantic.refit import refit

        args.refit.mkdir(parents=True, exist_ok=True)
        refit(rows, args.refit)
    if args.loco:
        print("\n".join(leave_one_corpus_out(rows)))
    if args.folds:
        print("\n".join(story_folds(rows)))
    if args.kind_folds:
        print("\n".join(kind_folds(rows)))
    return 0


def _build(args: argparse.Namespace) -> list[dict]:
    """The rows of ``args`` (dev sets and synthetic), written to ``args.out``."""
    if not args.no_dev and not args.devdata.is_dir():
        raise SystemExit(f"{args.devdata}: no dev sets there; pass --devdata or --no-dev")
    devdata = None if args.no_dev else args.devdata
    corpora = ["synthetic", "semeval"] if args.story_only else None
    rows = all_rows(devdata, args.limit, args.synthetic_n, args.seed, corpora,
                    kind=not args.story_only)  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
