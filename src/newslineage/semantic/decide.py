"""The shipped kind and same-story decisions, and the cascade that spends the model sparingly.

``kind_lexical.json`` decides a pair from its seven lexical features alone when it is sure;
only the other pairs get sentence vectors and go to ``kind.json``. On the dev sets this kept the
full decision's figures while embedding 24-26% of the English pairs (84% of COUNTER's Urdu ones:
its newspapers paraphrase everything).

>>> kind_if_sure((1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0))[0]
'derived'
>>> kind_if_sure((0.3, 0.1, 0.05, 0.3, 0.05, 0.3, 0.0)) is None
True

``NEWSLINEAGE_DECISIONS=DIR`` makes every decision read ``DIR/<name>.json`` when that file
exists (else the shipped one): the held-out dev-set figures (``python -m bench.devsets
--heldout K``) run the pipeline with decisions refitted without the fold under test. It is an
environment variable so the engine's forked workers see it too.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from newslineage.semantic.fit import Decision, load_decision
from newslineage.semantic.refit import HERE

__all__ = [
    "DECISIONS_ENV",
    "SURE",
    "decision",
    "decision_file",
    "kind_if_sure",
    "kind_of",
    "same_story_cut",
    "same_story_probability",
]

#: the environment variable naming a folder of decision files that override the shipped ones
DECISIONS_ENV = "NEWSLINEAGE_DECISIONS"

#: the lexical decision's probability above which the semantic features are not computed
SURE = 0.9


def decision_file(name: str) -> Path:
    """``$NEWSLINEAGE_DECISIONS/<name>.json`` when that file exists, else the shipped file."""
    folder = os.environ.get(DECISIONS_ENV)
    override = Path(folder) / f"{name}.json" if folder else None
    return override if override is not None and override.is_file() else HERE / f"{name}.json"


def decision(name: str) -> Decision:
    """The decision ``kind``, ``kind_lexical`` or ``same_story``, read once per file version."""
    if not os.environ.get(DECISIONS_ENV):
        return _read(HERE / f"{name}.json", 0)  # the shipped file: no stat per call
    path = decision_file(name)
    return _read(path, path.stat().st_mtime_ns)


@cache
def _read(path: Path, mtime_ns: int) -> Decision:
    """Keyed on the file and its modification time, so a new override folder (or a refit
    written in place) is read afresh rather than served from the cache."""
    return load_decision(path)


def kind_if_sure(lexical: Sequence[float]) -> tuple[str, float] | None:
    """(kind, probability) from the lexical features when the lexical decision is sure, else None."""
    probs = decision("kind_lexical").probabilities(np.asarray(lexical, dtype=np.float64))[0]
    best = int(probs.argmax())
    return (
        (decision("kind_lexical").classes[best], float(probs[best]))
        if probs[best] >= SURE
        else None
    )


def kind_of(features: Sequence[float]) -> tuple[str, float]:
    """(kind, probability) from all :data:`~newslineage.semantic.features.FEATURES`."""
    probs = decision("kind").probabilities(np.asarray(features, dtype=np.float64))[0]
    best = int(probs.argmax())
    return decision("kind").classes[best], float(probs[best])


def same_story_probability(features: Sequence[float]) -> float:
    """Probability that the pair reports the same story (SemEval-2022 Task 8 sense), from
    the :data:`~newslineage.semantic.story.STORY_FEATURES`."""
    d = decision("same_story")
    probs = d.probabilities(np.asarray(features, dtype=np.float64))[0]
    return float(probs[d.classes.index("same")])


def same_story_cut() -> float:
    """The probability from which a pair is one story: fitted with the decision (the best mean
    F1 over the labelled corpora on out-of-fold probabilities), shipped in ``same_story.json``."""
    cut = decision("same_story").cut
    return 0.5 if cut is None else cut
