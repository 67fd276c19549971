"""Is a short text a summary of a long one? The gate that lets a summary be derived.

A summary or a one-paragraph blurb of a long article shares too few sentences with it for the
alignment rules of ``classify`` (three strong sentence pairs, or one long verbatim run): an
abstractive one-liner fuses three source sentences in its own words. What it keeps is the
source's vocabulary: nearly every content word it writes is somewhere in its source, while a
text written apart on the same topic (another report of the event, a student's own answer on
the same subject) brings its own names and words. So a text at most
``LineageParams.summary_ratio`` of a source's length is a summary of it when at most the
fitted share of its content words is absent from the whole source (in any inflection;
:func:`text.content.novel_share`).

An abstractive one-liner (XSum/BBC) writes ~40% of its content words afresh, as many as a
text written apart does, so the novel share alone lets through only the more extractive
summaries. What still tells its source apart is retrieval: among the articles of a corpus,
the source holds the largest IDF-weighted share of the short text's terms (the ``cover``
candidate channel, ``index/candidates.py``), by a margin over the runner-up. So a pair the
cover channel found is also a summary when the source is the short text's best cover target
and three fitted cuts hold: novel share at most one, cover score and margin over the
runner-up at least the others (:class:`Cover`, :func:`context_admits`); the novel-share rule
alone serves pairs without that context.

When the semantic layer has lead vectors of both texts (``semantic/vectors.py``, the model
``semantic_context`` names), the context rule reads meaning too: the lead cosine of the short
text and the source, and its margin over the short text's other cover targets. A short text
whose own source is missing is matched to another report of its event, whose words it shares
nearly as well but whose lead says something else; the cosine cut lets the fit loosen the
lexical cuts without letting those through (``summary_fit.ORPHAN_MAX``); and such a report
of another event holds the short text's common words rather than its names, so the cosine cut
reads the cosine plus a fitted weight of the shared terms' rarity (:func:`meaning_evidence`,
``CandidateIndex.shared_rarity``). The fit picks all five cuts and the weight together
(:func:`semantic_passes`); without vectors the lexical rule applies.

A short text the gate does not admit may still tell the source's story: the story rule
(:func:`story_admits`, the same cuts fitted looser on pairs labelled by story) links it to
that source with a ``same_story`` relation marked ``STORY_LINK`` (``choose.summary_story_links``),
a weaker claim than derivation, so the drift step checks it against that source.
A short text neither admits may still be one of several summaries of one article: the sibling
rule (:func:`sibling_admits`) links it to the source of the short text closest to it in
meaning that has one (``choose.sibling_story_links``).

All are fitted with held-out folds by ``python -m newslineage.lineage.summary_fit``
(``--write`` saves ``summary_gate.json``); ``NEWSLINEAGE_DECISIONS=DIR`` makes the gate read
``DIR/summary_gate.json`` instead, as the held-out dev-set runs do.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from newslineage.index.candidates import Candidate
from newslineage.lineage.params import LineageParams
from newslineage.model import Article, Relation
from newslineage.text.content import novel_share

__all__ = [
    "CONTEXT_CUTS",
    "GATE_FILE",
    "RARITY_WEIGHT",
    "SEMANTIC_CUTS",
    "STORY_LINK",
    "Cover",
    "SharedRarity",
    "context_admits",
    "context_passes",
    "cover_of",
    "gate_admits",
    "is_short",
    "is_story_link",
    "meaning_evidence",
    "novel_limit",
    "semantic_model",
    "semantic_passes",
    "sibling_admits",
    "sibling_reads_rarity",
    "story_admits",
    "summary_novel_share",
]

#: the context rule's cuts, as summary_gate.json names them
CONTEXT_CUTS = ("max_novel_share", "min_cover", "min_margin")
#: the semantic context rule's cuts: the lexical ones, and the lead cosine's and its margin's
SEMANTIC_CUTS = (*CONTEXT_CUTS, "min_cosine", "min_cosine_margin")
#: the semantic rule's weight of the shared terms' rarity in what its cosine cut reads
RARITY_WEIGHT = "rarity_weight"
#: ``(source, short text) -> lead cosine`` of the gate's model, None when a vector is missing
LeadCosine = Callable[[Article, Article], float | None]
#: ``(short text, source ids) -> source id -> rarity`` (``CandidateIndex.shared_rarity``)
SharedRarity = Callable[[Article, Sequence[str]], Mapping[str, float]]

GATE_FILE = Path(__file__).with_name("summary_gate.json")
#: the evidence key of a same-story relation the story rule made (``choose.summary_story_links``):
#: the drift step checks the short text against that source (``drift/story.py``)
STORY_LINK = "summary_story"
#: the folder whose files override the shipped decisions (``semantic.decide`` reads it too)
DECISIONS_ENV = "NEWSLINEAGE_DECISIONS"


def is_short(derived: Article, source: Article, p: LineageParams | None = None) -> bool:
    """``derived`` is at most ``summary_ratio`` of ``source``'s length (characters)."""
    p = p or LineageParams()
    return len(derived.text) <= p.summary_ratio * len(source.text)


def gate_file() -> Path:
    """``$NEWSLINEAGE_DECISIONS/summary_gate.json`` when it exists, else the shipped one."""
    folder = os.environ.get(DECISIONS_ENV)
    override = Path(folder) / GATE_FILE.name if folder else None
    return override if override is not None and override.is_file() else GATE_FILE


def novel_limit() -> float:
    """The fitted largest novel share of a summary (-1: no file, so nothing passes)."""
    return float(_gate().get("novel_share", -1.0))


def _gate() -> dict:
    path = gate_file()
    return _read(path, path.stat().st_mtime_ns if path.exists() else -1)


@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int) -> dict:
    if mtime_ns < 0:
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


@dataclass(frozen=True, slots=True)
class Cover:
    """What the cover channel says of one (source, short text) pair: the IDF-weighted share
    of the short text's terms the source holds, and that minus the best score of any other
    source the channel found for the same short text (0 when there is none); and, when the
    lead vectors are at hand, the lead cosine of the pair and that minus the best cosine of
    the short text's other cover targets (0 when there is none); and then how rare the
    rarest of its terms the source holds are (``CandidateIndex.shared_rarity``; None: not
    looked up, read as 0)."""

    score: float
    margin: float
    cosine: float | None = None
    cosine_margin: float | None = None
    rarity: float | None = None


def cover_of(
    candidates: Iterable[Candidate],
    by_id: Mapping[str, Article],
    cosine: LeadCosine | None = None,
    rarity: SharedRarity | None = None,
) -> dict[tuple[str, str], Cover]:
    """``(source id, short text id) -> Cover`` for every pair the cover channel found with
    the short text short against the source (``is_short``; the channel only looks up short
    texts' terms in longer articles, a little more loosely). ``cosine``: the lead cosine of
    a pair (only asked for these pairs), when the semantic layer has vectors; ``rarity``: the
    index's rarity of the terms a source shares with the short text, looked up only for
    short texts with a lead cosine (the semantic context rule alone reads it)."""
    best: dict[str, list[tuple[float, str]]] = {}
    for c in candidates:
        score = dict(c.channel_scores).get("cover")
        if score is None or c.a not in by_id or c.b not in by_id:
            continue
        long, short = (c.a, c.b) if len(by_id[c.a].text) >= len(by_id[c.b].text) else (c.b, c.a)
        if is_short(by_id[short], by_id[long]):  # a rival is a possible source too
            best.setdefault(short, []).append((score, long))
    out: dict[tuple[str, str], Cover] = {}
    for short, hits in best.items():
        cos = {o: cosine(by_id[o], by_id[short]) for _, o in hits} if cosine else {}
        asked = rarity is not None and any(c is not None for c in cos.values())
        rare = rarity(by_id[short], [o for _, o in hits]) if rarity and asked else {}
        for score, long in hits:
            rival = max((s for s, o in hits if o != long), default=0.0)
            evidence = _cosine_evidence(cos, long)
            out[(long, short)] = Cover(score, score - rival, *evidence, rare.get(long))
    return out


def _cosine_evidence(cos: Mapping[str, float | None], long: str) -> tuple[float | None, ...]:
    """``long``'s lead cosine and its margin over the other targets' (None: no vectors)."""
    mine = cos.get(long)
    if mine is None:
        return None, None
    rival = max((c for o, c in cos.items() if o != long and c is not None), default=0.0)
    return mine, mine - rival


def semantic_model() -> str | None:
    """The model whose lead cosines the semantic context rule was fitted on (None: no rule)."""
    rule = _gate().get("semantic_context")
    return str(rule["model"]) if rule else None


def context_admits(share: float, cover: Cover | None) -> bool:
    """The fitted context rule: the semantic one when the pair has lead cosines and it was
    fitted, else the lexical one (never, without cover evidence or a fitted rule)."""
    return _rule_admits(_gate(), share, cover)


def story_admits(share: float, cover: Cover | None) -> bool:
    """The fitted story rule (``summary_gate.json`` "story"): a short text the gate does not
    admit still tells the source's story (an abstractive one-liner that writes half its words
    afresh, or invents some); the same cuts as :func:`context_admits`, fitted looser on pairs
    labelled by story rather than derivation (``summary_fit.fit_story``). Never without cover
    evidence or a fitted rule."""
    return _rule_admits(_gate().get("story") or {}, share, cover)


def sibling_admits(cosine: float | None, covered: bool = True, rarity: float | None = None) -> bool:
    """The fitted sibling rule (``summary_gate.json`` "sibling", ``lineage/sibling_fit.py``):
    a short text tells the story of a sibling, another short text with a source, when their
    lead cosine reaches the fitted cut and the short text's own words are in that source:
    the cover channel found the pair (``covered``), or, when the fit found a cut for it, the
    source holds the short text's rarest terms (``rarity``, ``CandidateIndex.shared_rarity``,
    at least ``min_rarity``). Several summaries or rewrites of one article say the same thing
    in few words, so they lead closer to each other than a one-liner that writes half its
    words afresh does to the 700-word article (FRANK valid, BBC: the nearest short text was a
    sibling for 42 of the 51 one-liners with no source); the cover channel keeps only a short
    text's five best targets, and the own article of such a one-liner is often not among them
    (17 of the 36 unlinked erroneous BBC one-liners in-sample, session 13), while it still
    holds the one-liner's names. Never without a vector or a fitted cut."""
    rule = _gate().get("sibling")
    if not rule or cosine is None or cosine < float(rule["min_cosine"]):
        return False
    least = rule.get("min_rarity")
    return covered or (least is not None and rarity is not None and rarity >= float(least))


def sibling_reads_rarity() -> bool:
    """The fitted sibling rule may admit a pair the cover channel did not find (it has a
    rarity cut): only then are rarities looked up for such pairs."""
    rule = _gate().get("sibling") or {}
    return rule.get("min_rarity") is not None


def _rule_admits(rules: Mapping[str, Any], share: float, cover: Cover | None) -> bool:
    """The semantic rule of ``rules`` when the pair has lead cosines and it was fitted, else
    its lexical one."""
    if cover is None:
        return False
    semantic = rules.get("semantic_context")
    if semantic and cover.cosine is not None and cover.cosine_margin is not None:
        cuts = tuple(float(semantic[k]) for k in SEMANTIC_CUTS)
        weight = float(semantic.get(RARITY_WEIGHT, 0.0))
        meaning = meaning_evidence(cover.cosine, cover.rarity, weight)
        return bool(semantic_passes(cuts, share, cover.score, cover.margin, meaning,
                                    cover.cosine_margin))  # fmt: skip
    rule = rules.get("context")
    if not rule:
        return False
    lexical = tuple(float(rule[k]) for k in CONTEXT_CUTS)
    return bool(context_passes(lexical, share, cover.score, cover.margin))


def is_story_link(r: Relation) -> bool:
    """``r`` is a same-story link of a short text to the source whose story it tells."""
    return (
        r.kind == "same_story" and isinstance(r.evidence, dict) and bool(r.evidence.get(STORY_LINK))
    )


def meaning_evidence(cosine: Any, rarity: Any, weight: float) -> Any:
    """What the semantic rule's cosine cut reads: the lead cosine plus ``weight`` times the
    rarity of the shared terms (None: 0). Each is weak alone and they err apart: a one-liner
    that invents half its content can lead far from its source yet share its names, while
    an article on another event may lead close to it and share only common words. Floats
    or numpy arrays (the fit tries many cuts at once).

    >>> round(meaning_evidence(0.25, 0.8, 0.5), 2), meaning_evidence(0.25, None, 0.5)
    (0.65, 0.25)
    """
    return cosine + weight * (0.0 if rarity is None else rarity)


def context_passes(cuts: tuple[float, float, float], share: Any, cover: Any, margin: Any) -> Any:
    """``cuts`` = (max novel share, min cover, min margin): the source is the short text's
    best cover target (margin above 0) by at least the margin cut, holds at least the cover
    cut of its terms and lacks at most the share cut of its content words. Works on floats
    and on numpy arrays alike (the fit tries many cuts at once)."""
    return _words_pass(cuts, share, cover, margin)


def _words_pass(cuts: tuple[float, ...], share: Any, cover: Any, margin: Any) -> Any:
    """The three word cuts; a margin cut below 0 also lifts "the best cover target"."""
    max_novel, min_cover, min_margin = cuts[:3]
    ok = (share <= max_novel) & (cover >= min_cover) & (margin >= min_margin)
    return ok & ((margin > 0) | (min_margin < 0))


def semantic_passes(
    cuts: tuple[float, ...], share: Any, cover: Any, margin: Any, cosine: Any, cos_margin: Any
) -> Any:
    """``cuts`` = the three of :func:`context_passes` (a margin cut below 0: the source need
    not be the best cover target), then min lead cosine and min cosine margin (below 0: need
    not be the closest in meaning). Floats or numpy arrays, as :func:`context_passes`."""
    min_cos, min_cos_margin = cuts[3:]
    meaning = (cosine >= min_cos) & (cos_margin >= min_cos_margin)
    meaning = meaning & ((cos_margin > 0) | (min_cos_margin < 0))
    return _words_pass(cuts, share, cover, margin) & meaning


def summary_novel_share(
    source: Article,
    derived: Article,
    p: LineageParams | None = None,
    cover: Cover | None = None,
) -> float | None:
    """The novel share of ``derived`` against ``source`` when ``derived`` is short against
    it and passes the gate (a summary of it), else None. ``cover``: the cover channel's
    evidence for the pair, when it found it (then the context rule may admit it too)."""
    if not derived.text.strip() or not is_short(derived, source, p):
        return None
    share = novel_share(source, derived)
    return share if gate_admits(share, cover) else None


def gate_admits(share: float, cover: Cover | None) -> bool:
    """The gate's verdict on a short text with novel share ``share`` against a source it is
    short against: the novel-share rule, else the context rule on the cover evidence."""
    return share <= novel_limit() or context_admits(share, cover)
