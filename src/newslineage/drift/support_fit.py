"""Fit the support check's thresholds on FRANK valid with held-out folds, and report them.

``python -m newslineage.drift.support_fit [--data PAIRS.jsonl] [--folds 5] [--write]`` reads
the FRANK validation pairs (``../shared/devdata/frank-valid/pairs.jsonl`` by default), picks the
thresholds of :class:`~newslineage.drift.support.SupportParams` on the training folds and scores
the held-out fold with them, so every figure it prints is held out. The objective puts precision
first: the highest balanced accuracy among settings whose precision (flagged summaries that
carry an error) is at least the baseline's on the same folds. ``--write`` refits on all pairs
and saves ``support_params.json`` beside the module.

The baseline is computed in the same run: a summary is flagged when more than ``t`` of its
content words are absent from the article, ``t`` picked on the labels (of the training folds).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ..model import Article
from .support import (
    _PARAMS_FILE,
    SupportParams,
    _facts,
    _index_source,
    _name_pairs,
    _names,
    _negation,
    _sentence_support,
    _Text,
    check_support,
)
from .support_words import STOPWORDS

ERROR_TYPES = ("EntE", "CircE", "RelE", "OutE")
#: the finding kinds that answer each FRANK error type
MATCHING = {
    "EntE": {"name_changed"},
    "CircE": {"number_changed", "date_changed"},
    "RelE": {"negation_flipped", "quote_altered"},
    "OutE": {"unsourced_sentence"},
}
WINDOWS = (-1, 1, 2, 3)
DEFAULT_DATA = Path("../shared/devdata/frank-valid/pairs.jsonl")


@dataclass(frozen=True, slots=True)
class _Sentence:
    """What the flag decision needs of one summary sentence, for any thresholds."""

    coverage: float
    novel: int
    novel_share: float
    hard: bool  # a figure, date or name the source never states
    negation: bool  # a negator the support lacks
    pairs: tuple[bool, ...]  # two names never near each other, per window of WINDOWS


@dataclass(frozen=True, slots=True)
class _Pair:
    row: dict
    sentences: tuple[_Sentence, ...]
    absent_share: float  # the baseline's signal

    @property
    def bad(self) -> bool:
        return float(self.row["factuality"]) < 1.0


def _signals(row: dict, params: SupportParams) -> _Pair:
    src, der = _Text(Article("s", row["article"])), _Text(Article("d", row["summary"]))
    index = _index_source(src)
    out = []
    for i in range(len(der.sentences)):
        sup = _sentence_support(src, der, index, i, params)
        hard = bool(_facts(der, index, sup) or _names(der, index, i, sup))
        out.append(
            _Sentence(
                sup.coverage,
                len(sup.novel),
                sup.novel_share,
                hard,
                bool(_negation(der, index, i, sup, src)),
                tuple(bool(_name_pairs(der, index, i, sup, w)) for w in WINDOWS if w >= 0),
            )
        )
    return _Pair(row, tuple(out), _absent_share(src, der))


def _absent_share(src: _Text, der: _Text) -> float:
    have = {w for ws in src.words for w, _, _ in ws}
    words = [w for ws in der.words for w, _, _ in ws if w not in STOPWORDS and w.isalnum()]
    return sum(w not in have for w in words) / max(len(words), 1)


def flags(pair: _Pair, p: SupportParams) -> bool:
    """Whether ``check_support`` with ``p`` gives the pair any finding (same rule, precomputed)."""
    return any(_sentence_flag(s, p) for s in pair.sentences)


def _sentence_flag(s: _Sentence, p: SupportParams) -> bool:
    if s.hard or s.coverage < p.min_coverage or s.novel >= p.max_novel:
        return True
    if s.novel_share > p.max_novel_share:
        return True
    if p.check_negation and s.negation and s.coverage >= p.min_negation_coverage:
        return True
    return p.name_window >= 0 and s.pairs[WINDOWS.index(p.name_window) - 1]


def _score(pred: Sequence[bool], gold: Sequence[bool]) -> tuple[float, float]:
    """Balanced accuracy and precision."""
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    pos = sum(gold) or 1
    neg = (len(gold) - sum(gold)) or 1
    tn = neg - fp
    return 0.5 * (tp / pos + tn / neg), tp / (tp + fp) if tp + fp else 1.0


def _grid(base: SupportParams) -> Iterable[SupportParams]:
    covs = [round(0.05 * k, 2) for k in range(0, 19)]
    shares = (0.05, 0.1, 0.15, 0.2, 0.3, 1.0)
    for cov, nov, share, neg, mnc, win in itertools.product(
        covs, (1, 2, 3, 4, 6, 99), shares, (False, True), (0.5, 0.7, 0.9), WINDOWS
    ):
        if not neg and mnc != 0.5:
            continue
        yield replace(base, min_coverage=cov, max_novel=nov, max_novel_share=share, check_negation=neg,
                      min_negation_coverage=mnc, name_window=win)  # fmt: skip


def fit_baseline(pairs: Sequence[_Pair]) -> float:
    """The absent-word share threshold with the best balanced accuracy."""
    gold = [p.bad for p in pairs]
    cands = sorted({round(p.absent_share, 3) for p in pairs})
    return max(cands, key=lambda t: _score([p.absent_share > t for p in pairs], gold)[0])


def fit(pairs: Sequence[_Pair], base: SupportParams) -> SupportParams:
    """Best balanced accuracy among settings at least as precise as the baseline."""
    gold = [p.bad for p in pairs]
    t = fit_baseline(pairs)
    floor = _score([p.absent_share > t for p in pairs], gold)[1]
    best, best_key = base, (-1.0, 0.0)
    for params in _grid(base):
        ba, prec = _score([flags(p, params) for p in pairs], gold)
        key = (ba if prec >= floor else ba - 1.0, prec)
        if key > best_key:
            best, best_key = params, key
    return best


def cross_validate(pairs: Sequence[_Pair], base: SupportParams, k: int, seed: int) -> dict:
    """Held-out predictions of the support check and of the baseline, fold by fold."""
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    folds = [order[f::k] for f in range(k)]
    pred: dict[int, set[str]] = {}
    base_pred: dict[int, bool] = {}
    chosen = []
    for f, held in enumerate(folds):
        train = [pairs[i] for g, fold in enumerate(folds) if g != f for i in fold]
        params, t = fit(train, base), fit_baseline(train)
        chosen.append(asdict(params) | {"baseline_t": t})
        for i in held:
            row = pairs[i].row
            found = check_support(
                Article("s", row["article"]), Article("d", row["summary"]), params
            )
            pred[i] = {x.kind for x in found}
            base_pred[i] = pairs[i].absent_share > t
    return {"pred": pred, "base_pred": base_pred, "chosen": chosen}


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
            "recall_any": _share(bool(cv["pred"][i]) for i in carry),
            "recall_matching_kind": _share(bool(cv["pred"][i] & MATCHING[et]) for i in carry),
            "baseline_recall": _share(cv["base_pred"][i] for i in carry),
        }
    return {"balanced_accuracy": round(ba, 4), "precision": round(prec, 4),
            "baseline_balanced_accuracy": round(bba, 4), "baseline_precision": round(bprec, 4),
            "per_type": per_type}  # fmt: skip


def _share(values: Iterable[bool]) -> float:
    vals = list(values)
    return round(sum(vals) / len(vals), 4) if vals else 0.0


def load_pairs(path: Path, base: SupportParams) -> list[_Pair]:
    with path.open(encoding="utf-8") as fh:
        return [_signals(json.loads(line), base) for line in fh if line.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--write", action="store_true", help="refit on all pairs, save the params")
    args = ap.parse_args(argv)
    base = SupportParams()
    pairs = load_pairs(args.data, base)
    cv = cross_validate(pairs, base, args.folds, args.seed)
    result = report(pairs, cv) | {"folds": args.folds, "chosen_per_fold": cv["chosen"]}
    print(json.dumps(result, indent=1))
    if args.write:
        params = fit(pairs, base)
        blob = {"params": asdict(params), "fitted_on": "FRANK valid (671 pairs)",
                "command": "python -m newslineage.drift.support_fit --write",
                "held_out": {k: v for k, v in result.items() if k != "chosen_per_fold"}}  # fmt: skip
        _PARAMS_FILE.write_text(json.dumps(blob, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
