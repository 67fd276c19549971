"""The fitted support decision: does this derived text say something its source does not?

Each derived sentence's signals (:mod:`drift.support_features`) are pooled over the text
(maximum and mean of each, plus the text's share of content words the source never uses) and
weighed by a small logistic regression fitted on FRANK valid with held-out folds
(``python -m newslineage.drift.support_fit --write`` writes ``support_model.json``). When the
text's probability reaches the fitted threshold, findings go on the sentences that drive it:
each sentence is scored as if it were the whole text, the ones at or above the threshold (at
least the top one) are reported, typed by their strongest typed signal (a novel name is
``name_changed``, a figure ``number_changed``, a date ``date_changed``, a negator
``negation_flipped``) or else ``unsourced_sentence``; the severity follows the probability.

``NEWSLINEAGE_DECISIONS=DIR`` (as for the semantic decisions) makes :func:`load_model` read
``DIR/support_model.json`` when it exists: the held-out FRANK figures of ``python -m
bench.devsets --heldout K`` run the pipeline with a model fitted without the fold under test.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..model import Article, Finding
from .article import is_boilerplate
from .support import SupportParams
from .support_features import SENTENCE_FEATURES, SentenceFeatures, Similar, sentence_features

__all__ = ["FEATURES", "SupportModel", "check_derived", "load_model", "pool", "train"]

MODEL_FILE = Path(__file__).with_name("support_model.json")
#: counts that add up over a text (two novel names in two sentences weigh as two)
SUMMED = ("novel", "names", "numbers", "dates", "pairs_apart", "names_apart")
_SUM = [SENTENCE_FEATURES.index(n) for n in SUMMED]
#: the text-level vector: max and mean of every sentence signal, and the pooled novel share
FEATURES = (
    tuple(f"max_{n}" for n in SENTENCE_FEATURES)
    + tuple(f"mean_{n}" for n in SENTENCE_FEATURES)
    + tuple(f"sum_{n}" for n in SUMMED)
    + ("text_novel_share", "sentences")
)
#: typed signals, in the order a tie is broken, and the finding kind each gives
TYPED = (
    ("names", "name_changed"),
    ("numbers", "number_changed"),
    ("dates", "date_changed"),
    ("negation", "negation_flipped"),
)
_NOVEL = SENTENCE_FEATURES.index("novel")
_LENGTH = SENTENCE_FEATURES.index("length")


@dataclass(frozen=True, slots=True)
class SupportModel:
    """Standardisation, weights and the decision threshold of the logistic regression."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(the text carries an error) for rows of pooled features."""
        z = ((np.atleast_2d(x) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        return {
            "features": list(self.features),
            "mean": _r(self.mean),
            "scale": _r(self.scale),
            "coef": _r(self.coef),
            "intercept": round(float(self.intercept), 6),
            "threshold": round(float(self.threshold), 6),
        }


def _r(a: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in a]


#: a folder whose ``support_model.json`` overrides the shipped one (same variable as
#: ``newslineage.semantic.decide.DECISIONS_ENV``)
DECISIONS_ENV = "NEWSLINEAGE_DECISIONS"


def model_file() -> Path:
    """``$NEWSLINEAGE_DECISIONS/support_model.json`` when that file exists, else the shipped one."""
    folder = os.environ.get(DECISIONS_ENV)
    override = Path(folder) / MODEL_FILE.name if folder else None
    return override if override is not None and override.is_file() else MODEL_FILE


def load_model(path: Path | None = None) -> SupportModel | None:
    """The model at ``path`` (default :func:`model_file`), or None when the file is missing or
    was fitted on other features; read once per file version."""
    path = path or model_file()
    return _read_model(path, path.stat().st_mtime_ns if path.exists() else -1)


@lru_cache(maxsize=8)
def _read_model(path: Path, mtime_ns: int) -> SupportModel | None:
    if mtime_ns < 0:
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        return None
    arr = {k: np.asarray(data[k], dtype=float) for k in ("mean", "scale", "coef")}
    return SupportModel(
        FEATURES, arr["mean"], arr["scale"], arr["coef"], data["intercept"], data["threshold"]
    )


def pool(rows: np.ndarray) -> np.ndarray:
    """One text's vector from its sentences' signals (rows in ``SENTENCE_FEATURES`` order)."""
    if len(rows) == 0:
        return np.zeros(len(FEATURES))
    words = np.expm1(rows[:, _LENGTH]).sum()
    share = rows[:, _NOVEL].sum() / max(words, 1.0)
    sums = rows[:, _SUM].sum(axis=0)
    return np.concatenate([rows.max(axis=0), rows.mean(axis=0), sums, [share, np.log(len(rows))]])


def train(x: np.ndarray, y: np.ndarray, l2: float = 1.0, threshold: float = 0.5) -> SupportModel:
    """L2-regularised logistic regression by Newton steps on standardised features."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0  # the intercept is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + reg * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return SupportModel(FEATURES, mean, scale, w[:-1], float(w[-1]), threshold)


def check_derived(
    source: Article,
    derived: Article,
    model: SupportModel | None = None,
    *,
    similar: Similar | None = None,
) -> list[Finding]:
    """Findings for a derived text the fitted model judges to say what its source does not."""
    model = model or load_model()
    if model is None:
        return []
    sents = sentence_features(source, derived, SupportParams(), similar)
    if not sents:
        return []
    rows = np.array([s.values for s in sents])
    prob = float(model.probability(pool(rows))[0])
    if prob < model.threshold:
        return []
    own = model.probability(np.array([pool(r[None, :]) for r in rows]))
    # a credit line or a "Read more at ..." link is the outlet's, not a claim about the story;
    # but a one-sentence text is its own claim, even when it mentions "social media" or a
    # donation (cue words of credit lines)
    if len(sents) > 1:
        own[[_boilerplate(derived.text[slice(*s.support.derived)]) for s in sents]] = -1.0
    picked = [i for i, p in enumerate(own) if p >= model.threshold] or [int(np.argmax(own))]
    picked = [i for i in picked if own[i] >= 0]
    return [_finding(source, derived, sents[i], model, prob) for i in picked]


def _boilerplate(sentence: str) -> bool:
    """A short credit or read-more line; a long "sentence" is run-on text the splitter could
    not cut (lower-cased, tokenised summaries), where a cue word is no credit line."""
    return len(sentence) <= 160 and is_boilerplate(sentence)


def _finding(
    source: Article, derived: Article, sent: SentenceFeatures, model: SupportModel, prob: float
) -> Finding:
    kind, span = _kind(sent, model)
    sup = sent.support
    return Finding(
        kind=kind,
        article=derived.id,
        message=_message(kind, derived.text[span[0] : span[1]], prob),
        severity="high" if prob >= 0.9 else "medium" if prob >= 0.75 else "low",
        source_article=source.id,
        source_span=sup.support[0] if sup.support else None,
        derived_span=span,
        detail={
            "sentence": list(sup.derived),
            "support": [list(s) for s in sup.support],
            "coverage": round(sup.coverage, 3),
            "probability": round(prob, 3),
            "method": "support",
        },
    )


def _kind(sent: SentenceFeatures, model: SupportModel) -> tuple[str, tuple[int, int]]:
    """The typed signal with the largest weight in this sentence, else unsourced."""
    best, best_kind = 0.0, "unsourced_sentence"
    for name, kind in TYPED:
        value = sent.values[SENTENCE_FEATURES.index(name)]
        if value > 0 and kind in sent.spans:
            weight = value * max(_weight(model, name), 1e-6)
            if weight > best:
                best, best_kind = weight, kind
    return best_kind, sent.spans.get(best_kind, sent.support.derived)


def _weight(model: SupportModel, name: str) -> float:
    """The standardised weight a signal carries (through its max and mean)."""
    total = 0.0
    for prefix in ("max_", "mean_"):
        k = model.features.index(prefix + name)
        total += float(model.coef[k] / model.scale[k])
    return total


def _message(kind: str, text: str, prob: float) -> str:
    what = {
        "name_changed": f"“{text}” does not appear in the source",
        "number_changed": f"the figure “{text}” is not in the source",
        "date_changed": f"the date “{text}” is not in the source",
        "negation_flipped": "negated here, but not in the supporting source sentence",
    }.get(kind, "this sentence says something its source does not")
    return f"{what} (support check, p={prob:.2f})"
