"""Fit the support decision on FRANK valid with held-out folds, and report its figures.

``python -m newslineage.drift.support_fit [--data PAIRS.jsonl] [--folds 5] [--write]`` reads the
FRANK validation pairs (``../shared/devdata/frank-valid/pairs.jsonl`` by default), fits the
logistic regression of :mod:`drift.support_model` and its threshold (best balanced accuracy)
on the training folds and scores the held-out fold, so every figure it prints is held out.
Folds are drawn by *article* (several summaries share one), so no article is seen in training
and test alike. ``--write`` refits on all pairs and saves ``support_model.json``.

The baseline is computed in the same run on the same folds: a summary is flagged when more
than ``t`` of its content words are absent from the article, ``t`` picked on the training folds.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..model import Article
from .support import _Text
from .support_features import sentence_features
from .support_model import MODEL_FILE, SupportModel, _read_model, check_derived, pool, train
from .support_words import STOPWORDS

ERROR_TYPES = ("EntE", "CircE", "RelE", "OutE")
#: the finding kinds that answer each FRANK error type
MATCHING = {
    "EntE": {"name_changed"},
    "CircE": {"number_changed", "date_changed"},
    "RelE": {"negation_flipped"},
    "OutE": {"unsourced_sentence"},
}
DEFAULT_DATA = Path("../shared/devdata/frank-valid/pairs.jsonl")
#: L2 strength on standardised features. Held-out balanced accuracy, mean of five fold seeds
#: (pooled features, helper Q): l2 10 0.808, 100 0.805, 300 0.808, 1000 0.813, 3000 0.806; the
#: features are many and correlated (max, mean and sum of one signal) for 671 pairs. Picking
#: l2 from {10, 100, 1000, 5000} by inner folds inside each training fold gives 0.806 instead:
#: that, not 0.813, is the figure free of the choice
L2 = 1000.0


@dataclass(frozen=True, slots=True)
class _Pair:
    row: dict
    x: np.ndarray  # pooled features
    absent_share: float  # the baseline's signal

    @property
    def bad(self) -> bool:
        return float(self.row["factuality"]) < 1.0

    def articles(self) -> tuple[Article, Article]:
        return Article("s", self.row["article"]), Article("d", self.row["summary"])


def _absent_share(src: _Text, der: _Text) -> float:
    have = {w for ws in src.words for w, _, _ in ws}
    words = [w for ws in der.words for w, _, _ in ws if w not in STOPWORDS and w.isalnum()]
    return sum(w not in have for w in words) / max(len(words), 1)


def load_pairs(path: Path) -> list[_Pair]:
    """The labelled pairs of a FRANK-style JSONL file (``article``, ``summary``,
    ``factuality``, ``errors``), with their pooled features."""
    with path.open(encoding="utf-8") as fh:
        return pairs_from_rows(json.loads(line) for line in fh if line.strip())


def pairs_from_rows(rows: Iterable[dict]) -> list[_Pair]:
    """Pooled features of FRANK-style rows (``article``, ``summary``, ``factuality``)."""
    out = []
    for row in rows:
        src, der = Article("s", row["article"]), Article("d", row["summary"])
        feats = np.array([s.values for s in sentence_features(src, der)])
        out.append(_Pair(row, pool(feats), _absent_share(_Text(src), _Text(der))))
    return out


def fit_rows(rows: Iterable[dict], l2: float = L2) -> SupportModel:
    """The support decision fitted on FRANK-style rows: what a held-out harness calls on
    each training fold (then ``check_derived(source, derived, model)`` on the test fold).

    >>> rows = [{"article": "The mayor opened the bridge on Monday. It cost $4 million.",
    ...          "summary": s, "factuality": f} for s, f in
    ...         [("The mayor opened the bridge.", 1.0), ("The king opened a $9 million dam.", 0.0)]]
    >>> fit_rows(rows).threshold > 0
    True
    """
    return fit(pairs_from_rows(rows), l2)


def save_model(model: SupportModel, path: Path = MODEL_FILE, **meta: object) -> None:
    """Write ``model`` where :func:`~newslineage.drift.support_model.load_model` reads it,
    with ``meta`` (what it was fitted on, its held-out figures) alongside. The loader's cache
    is cleared, so a pipeline run in this process (one fold of a held-out harness) uses it."""
    blob = model.to_json() | meta
    path.write_text(json.dumps(blob, indent=1) + "\n", encoding="utf-8")
    _read_model.cache_clear()  # keyed on the file's mtime too; cleared for coarse clocks


def _score(pred: Sequence[bool], gold: Sequence[bool]) -> tuple[float, float]:
    """Balanced accuracy and precision."""
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    pos = sum(gold) or 1
    neg = (len(gold) - sum(gold)) or 1
    return 0.5 * (tp / pos + (neg - fp) / neg), tp / (tp + fp) if tp + fp else 1.0


def _best_threshold(values: Sequence[float], gold: Sequence[bool], strict: bool) -> float:
    # candidates cut down (not rounded) to 4 decimals: a rounded-up candidate would sit above
    # the very value it stands for, and ">=" would miss it
    cands = sorted({math.floor(float(v) * 1e4) / 1e4 for v in values})
    return max(
        cands,
        key=lambda t: _score([(v > t if strict else v >= t) for v in values], gold)[0],
    )


def fit(pairs: Sequence[_Pair], l2: float = L2) -> SupportModel:
    """The regression on ``pairs`` and the threshold of best balanced accuracy on them."""
    x = np.array([p.x for p in pairs])
    y = np.array([p.bad for p in pairs], dtype=float)
    model = train(x, y, l2)
    prob = model.probability(x)
    return replace(model, threshold=_best_threshold(prob, [p.bad for p in pairs], False))


def fit_baseline(pairs: Sequence[_Pair]) -> float:
    """The absent-word share threshold with the best balanced accuracy."""
    return _best_threshold([p.absent_share for p in pairs], [p.bad for p in pairs], True)


def folds_by_article(pairs: Sequence[_Pair], k: int, seed: int) -> list[list[int]]:
    keys = sorted({p.row["article"] for p in pairs})
    random.Random(seed).shuffle(keys)
    fold_of = {a: n % k for n, a in enumerate(keys)}
    return [[i for i, p in enumerate(pairs) if fold_of[p.row["article"]] == f] for f in range(k)]


def cross_validate(pairs: Sequence[_Pair], k: int, seed: int, l2: float = L2) -> dict:
    """Held-out finding kinds of the support decision and the baseline's flags, per pair."""
    pred: dict[int, set[str]] = {}
    base_pred: dict[int, bool] = {}
    for held in folds_by_article(pairs, k, seed):
        skip = set(held)
        train_set = [p for i, p in enumerate(pairs) if i not in skip]
        model, t = fit(train_set, l2), fit_baseline(train_set)
        for i in held:
            found = check_derived(*pairs[i].articles(), model)
            pred[i] = {f.kind for f in found}
            base_pred[i] = pairs[i].absent_share > t
    return {"pred": pred, "base_pred": base_pred}


def report(pairs: Sequence[_Pair], cv: dict) -> dict:
    """Held-out balanced accuracy, precision, per-type recall, and the baseline's."""
    idx = range(len(pairs))
    gold = [pairs[i].bad for i in idx]
    ba, prec = _score([bool(cv["pred"][i]) for i in idx], gold)
    bba, bprec = _score([cv["base_pred"][i] for i in idx], gold)
    per_type = {}
    for et in ERROR_TYPES:
        carry = [i for i in idx if pairs[i].bad and float(pairs[i].row["errors"].get(et, 0)) > 0]
        per_type[et] = {
            "n": len(carry),
            "recall": _share(bool(cv["pred"][i]) for i in carry),
            "recall_matching_kind": _share(bool(cv["pred"][i] & MATCHING[et]) for i in carry),
            "baseline_recall": _share(cv["base_pred"][i] for i in carry),
        }
    return {"balanced_accuracy": round(ba, 4), "precision": round(prec, 4),
            "baseline_balanced_accuracy": round(bba, 4), "baseline_precision": round(bprec, 4),
            "per_type": per_type}  # fmt: skip


def _share(values: Iterable[bool]) -> float:
    vals = list(values)
    return round(sum(vals) / len(vals), 4) if vals else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--write", action="store_true", help="refit on all pairs, save the model")
    args = ap.parse_args(argv)
    pairs = load_pairs(args.data)
    result = report(pairs, cross_validate(pairs, args.folds, args.seed, args.l2))
    result |= {"folds": args.folds, "seed": args.seed, "l2": args.l2}
    print(json.dumps(result, indent=1))
    if args.write:
        save_model(
            fit(pairs, args.l2),
            fitted_on=f"FRANK valid ({len(pairs)} pairs)",
            command="python -m newslineage.drift.support_fit --write",
            held_out=result,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
