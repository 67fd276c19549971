"""The semantic layer's settings: whether it runs, and its candidate channel's k and floors.

Every value comes from helper F's measurements on the dev sets (``docs/lineage.md``, semantic
layer). Cosines are raw cosines of lead vectors (:func:`~newslineage.semantic.vectors.lead_text`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from newslineage.semantic.margin import MarginCuts, load_cuts

__all__ = ["ENV_SWITCH", "SemanticParams", "default_semantic", "semantic_enabled"]

#: environment variable that turns the layer off (``0``, ``false``, ``no``, ``off``)
ENV_SWITCH = "NEWSLINEAGE_SEMANTIC"


@dataclass(frozen=True, slots=True)
class SemanticParams:
    """The semantic candidate channel and decision."""

    # on by default; `--no-semantic` or NEWSLINEAGE_SEMANTIC=0 turn it off
    enabled: bool = True
    # neighbours per article: recall@10 of the true partner was 0.91 (semeval same story), 0.93
    # (its de-en pairs), 0.99 (llmfake rewrites, USE) and 0.99 (COUNTER Urdu, e5); R@20 added
    # 0.03 on semeval only, at twice the pairs to decide
    neighbours: int = 10
    # USE lead cosine below which a neighbour is not a candidate: the 1st percentile of derived
    # pairs was 0.50-0.52 (llmfake, clough; 0.15 + 0.6 x scaled 0.58), same-story pairs' median
    # 0.64; 0.45 keeps them with a margin and drops most unrelated neighbours
    use_floor: float = 0.45
    # e5 crowds cosines into 0.7-0.98: COUNTER derived and partial pairs' 1st percentile was
    # 0.89 (0.83 + 0.12 x scaled 0.50), its unrelated-story ND pairs' median 0.92
    e5_floor: float = 0.88
    # e5 across languages sits lower (unrelated de-en sentence p99 0.85 against 0.91 within)
    e5_cross_floor: float = 0.80
    # a pair is decided semantically only when its lead cosine stands out of its crowd
    # (``SemanticRun.margin``: the later article's 10 nearest earlier articles when the dates
    # order the pair, else both articles' 10 nearest) by at least this; None: the story cut
    # fitted in ``semantic/margin.json`` (``python -m newslineage.semantic.margin``, 0.14)
    min_margin: float | None = None
    # a semantic derivation (rewrite, partial, translation) needs at least this margin; None:
    # the derivation cut fitted in ``semantic/margin.json`` (0.36)
    derivation_margin: float | None = None
    # sentences per article encoded for the sentence-level features (F's budget: the first 40)
    max_sentences: int = 40

    def margin_cuts(self) -> MarginCuts:
        """The margin cuts: the fitted ones, where this run does not set its own."""
        fitted = load_cuts()
        return MarginCuts(
            fitted.story if self.min_margin is None else self.min_margin,
            fitted.derivation if self.derivation_margin is None else self.derivation_margin,
        )

    def floor(self, model: str, cross_lingual: bool = False) -> float:
        """The channel's cosine floor for ``model``."""
        if model == "use":
            return self.use_floor
        return self.e5_cross_floor if cross_lingual else self.e5_floor


def semantic_enabled(requested: bool | None = None, params: SemanticParams | None = None) -> bool:
    """``requested`` when given, else off when ``NEWSLINEAGE_SEMANTIC`` says so, else the default.

    >>> semantic_enabled(False), semantic_enabled(True)
    (False, True)
    """
    if requested is not None:
        return requested
    flag = os.environ.get(ENV_SWITCH, "").strip().lower()
    if flag in ("0", "false", "no", "off"):
        return False
    return (params or SemanticParams()).enabled


def default_semantic() -> SemanticParams:
    """The parameters a default run uses: the defaults, off when ``NEWSLINEAGE_SEMANTIC=0``."""
    return SemanticParams(enabled=semantic_enabled())
