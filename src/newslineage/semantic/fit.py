"""A small multinomial logistic regression in numpy: pair features -> class probabilities.

The kind and same-story decisions are fitted, not hand-set: this module fits the weights on
labelled pairs and saves them as a small JSON file in the package (``decision.json``), which
:func:`load_decision` reads at run time. Features are standardised with the training mean and
deviation (stored in the file), and an L2 penalty keeps weights small, so a decision fitted on a
few hundred pairs per corpus does not lean on one corpus's quirks.

>>> X = np.array([[0.0], [0.1], [0.9], [1.0]]); y = ["a", "a", "b", "b"]
>>> d = fit_decision(X, y, ("x",), l2=0.1)
>>> d.predict(np.array([[0.05], [0.95]]))
['a', 'b']
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["Decision", "fit_decision", "load_decision", "save_decision"]


@dataclass(frozen=True, slots=True)
class Decision:
    """Fitted weights: ``classes``, the feature names it reads, scaling and a weight matrix."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (features + 1) x classes, last row the intercept
    # a two-class decision's fitted cut on the second class's probability (None: argmax)
    cut: float | None = None

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per pair (columns in ``classes`` order)."""
        Z = _design((np.atleast_2d(X) - self.mean) / self.scale)
        return _softmax(Z @ self.weights)

    def predict(self, X: np.ndarray) -> list[str]:
        """The most probable class per row."""
        return [self.classes[i] for i in self.probabilities(X).argmax(axis=1)]


def read_rows(path: Path) -> list[dict]:
    """The JSON rows of a JSONL file (blank lines skipped): the rows every refit command reads."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _design(X: np.ndarray) -> np.ndarray:
    return np.hstack([X, np.ones((X.shape[0], 1))])


def _softmax(Z: np.ndarray) -> np.ndarray:
    Z = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def fit_decision(
    X: np.ndarray,
    y: Sequence[str],
    features: Sequence[str],
    l2: float = 1.0,
    weights: Sequence[float] | None = None,
    steps: int = 500,
    allowed: Sequence[Collection[str]] | None = None,
) -> Decision:
    """Fit by Newton-free gradient descent (L-BFGS would be faster; 500 steps take < 0.1 s here).

    ``weights`` lets each row count more or less, e.g. so each corpus counts equally however many
    pairs it has; the classes are the sorted distinct labels. ``allowed`` (per row, the classes
    its label does not tell apart, its own label among them) fits a coarse label by the
    probability of the set: a corpus that never labels "partial" calls every derivation
    "derived", and its rows then do not pull the derived/partial boundary (``refit.COARSE``).
    """
    X = np.asarray(X, dtype=np.float64)
    classes = tuple(sorted(set(y)))
    sets = (
        [{label} for label in y]
        if allowed is None
        else [set(a) | {b} for a, b in zip(allowed, y, strict=True)]
    )
    M = np.array([[c in s for c in classes] for s in sets], dtype=np.float64)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    mean, scale = X.mean(axis=0), np.maximum(X.std(axis=0), 1e-6)
    Z = _design((X - mean) / scale)
    W = np.zeros((Z.shape[1], len(classes)))
    penalty = np.ones((Z.shape[1], 1))
    penalty[-1] = 0.0  # the intercept is not shrunk
    for _ in range(steps):
        P = _softmax(Z @ W)
        Y = P * M / (P * M).sum(axis=1, keepdims=True)  # the label's share of its set's mass
        grad = Z.T @ ((P - Y) * w[:, None]) + l2 / len(y) * penalty * W
        W -= 2.0 * grad
    return Decision(classes, tuple(features), mean, scale, W)


def save_decision(decision: Decision, path: Path, note: str = "") -> None:
    """Write the decision as small, diff-friendly JSON (numbers rounded to 6 digits)."""
    data: dict = {
        "note": note,
        "classes": list(decision.classes),
        "features": list(decision.features),
        "mean": _rounded(decision.mean),
        "scale": _rounded(decision.scale),
        "weights": [_rounded(row) for row in decision.weights],
    }
    if decision.cut is not None:
        data["cut"] = round(decision.cut, 6)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in values]


def load_decision(path: Path) -> Decision:
    """Read a decision written by :func:`save_decision`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Decision(
        tuple(data["classes"]),
        tuple(data["features"]),
        np.array(data["mean"]),
        np.array(data["scale"]),
        np.array(data["weights"]),
        data.get("cut"),
    )
