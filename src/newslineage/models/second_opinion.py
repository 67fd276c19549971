"""A model's second opinion on the findings the lexical detectors raised.

The drift detectors compare words; a sentence restated in other words looks unsourced to them.
When a local model is given (``--model``), each finding that a model can judge gets its
opinion in ``Finding.detail["second_opinion"]``:

- ``unsourced_sentence``: the sentence is compared with every sentence of the other members
  of its story (an embedding model: cosine of sentence embeddings; an NLI cross-encoder:
  entailment by the :data:`NLI_CANDIDATES` lexically closest sentences). When one restates it
  (cosine >= the model's threshold, or entailment probability >= it), the model *disagrees*:
  the finding drops to ``info`` and names the restating sentence. Otherwise it *agrees*.
- ``number_changed``, ``date_changed``, ``name_changed``, ``title_changed``,
  ``quote_altered``, ``negation_flipped``: the derived sentence is scored against the source
  sentence it was aligned with. An NLI model gives the contradiction probability and agrees
  when contradiction is its top label; an embedding model gives the cosine only. These
  findings keep their severity: word-level evidence of a changed figure or name is stronger
  than a model's sense of the whole sentence, so the opinion is shown, not applied.

The model only ever sees the sentences of existing findings and their story, never the corpus.

>>> review_findings([], {}, opinion=None)
[]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, Protocol

import numpy as np

from ..align import sentences_of, similarity_matrix
from ..model import DERIVATION_KINDS, Article, Finding, Relation, Story

#: findings that say a derived sentence contradicts its source sentence
CONTRADICTION_KINDS: frozenset[str] = frozenset(
    {
        "number_changed",
        "date_changed",
        "name_changed",
        "title_changed",
        "quote_altered",
        "negation_flipped",
    }
)
#: an NLI cross-encoder scores one pair per call, so an unsourced sentence is tried against its
#: lexically closest story sentences only: a paraphrase shares names and figures with what it
#: restates, and 8 pairs per finding keep a 200-pairs/s model under 0.05 s per finding
NLI_CANDIDATES = 8
#: severity of an unsourced finding the model finds restated in a story source
CLEARED_SEVERITY = "info"


class Opinion(Protocol):
    """What :func:`review_findings` needs from a model (``models.onnx.OnnxModel`` has it)."""

    @property
    def kind(self) -> str: ...  # "embedding" or "nli"

    @property
    def name(self) -> str: ...

    @property
    def threshold(self) -> float: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...

    def nli(self, pairs: list[tuple[str, str]]) -> np.ndarray: ...


def review_findings(
    findings: Sequence[Finding],
    articles: dict[str, Article],
    opinion: Opinion | None,
    relations: Sequence[Relation] = (),
) -> list[Finding]:
    """The findings with the model's opinion added; ``articles`` are one story's members.

    An unsourced sentence is checked against the other articles of ``articles`` except those
    made from its own article (by ``relations``: a copy of the sentence is no source for it).
    Findings of other kinds, or whose articles are not given, come back unchanged, as does
    everything when ``opinion`` is None.
    """
    if opinion is None:
        return list(findings)
    if not isinstance(opinion, _Cached):
        opinion = _Cached(opinion)
    out = list(findings)
    unsourced = [i for i, f in enumerate(out) if _reviewable_unsourced(f, articles)]
    reviewed = _review_unsourced([out[i] for i in unsourced], articles, opinion, relations)
    for i, f in zip(unsourced, reviewed, strict=True):
        out[i] = f
    changed = [i for i, f in enumerate(out) if _reviewable_change(f, articles)]
    for i, f in zip(
        changed, _review_changes([out[i] for i in changed], articles, opinion), strict=True
    ):
        out[i] = f
    return out


def review_story_findings(
    findings: Sequence[Finding],
    stories: Iterable[Story],
    articles: dict[str, Article],
    opinion: Opinion | None,
    relations: Sequence[Relation] = (),
) -> list[Finding]:
    """:func:`review_findings` story by story, keeping the order of ``findings``."""
    if opinion is None:
        return list(findings)
    opinion = _Cached(opinion)
    story_of = {a: s for s in stories for a in s.articles}
    groups: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(findings):
        if f.article in story_of:
            groups[story_of[f.article].id].append(i)
    out = list(findings)
    by_id = {s.id: s for s in story_of.values()}
    for sid, idx in groups.items():
        members = {a: articles[a] for a in by_id[sid].articles if a in articles}
        for i, f in zip(
            idx, review_findings([out[i] for i in idx], members, opinion, relations), strict=True
        ):
            out[i] = f
    return out


# ------------------------------------------------------------------ unsourced sentences


def _reviewable_unsourced(f: Finding, articles: dict[str, Article]) -> bool:
    return f.kind == "unsourced_sentence" and f.derived_span is not None and f.article in articles


def _pool(
    article_id: str, articles: dict[str, Article], relations: Sequence[Relation]
) -> list[tuple[str, int, int, str]]:
    """(article id, start, end, text) of every sentence of the other, non-descendant articles."""
    skip = _descendants(article_id, relations) | {article_id}
    return [
        (o.id, s, e, o.text[s:e])
        for o in articles.values()
        if o.id not in skip
        for s, e in sentences_of(o)
    ]


def _descendants(article_id: str, relations: Sequence[Relation]) -> set[str]:
    children: dict[str, list[str]] = defaultdict(list)
    for r in relations:
        if r.kind in DERIVATION_KINDS:
            children[r.source].append(r.derived)
    seen: set[str] = set()
    stack = [article_id]
    while stack:
        for child in children[stack.pop()]:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _review_unsourced(
    found: list[Finding],
    articles: dict[str, Article],
    opinion: Opinion,
    relations: Sequence[Relation],
) -> list[Finding]:
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(found):
        by_article[f.article].append(i)
    results: dict[int, Finding] = {}
    for aid, idx in by_article.items():
        pool = _pool(aid, articles, relations)
        texts = [_text(articles[aid], found[i].derived_span) for i in idx]
        best = _best_support(texts, pool, opinion)
        for i, (score, j) in zip(idx, best, strict=True):
            results[i] = _unsourced_verdict(found[i], opinion, score, pool[j] if j >= 0 else None)
    return [results[i] for i in range(len(found))]


def _best_support(
    texts: list[str], pool: list[tuple[str, int, int, str]], opinion: Opinion
) -> list[tuple[float, int]]:
    """Per text: the best support score and the index of that pool sentence (-1: none)."""
    if not pool:
        return [(0.0, -1)] * len(texts)
    others = [p[3] for p in pool]
    if opinion.kind == "embedding":
        vecs = opinion.embed(texts + others)
        sims = vecs[: len(texts)] @ vecs[len(texts) :].T
        best = sims.argmax(axis=1)
        return [(float(sims[r, c]), int(c)) for r, c in enumerate(best)]
    lexical = similarity_matrix(texts, others)
    k = min(NLI_CANDIDATES, len(others))
    tops = np.argsort(-lexical, axis=1, kind="stable")[:, :k]
    pairs = [(others[j], t) for t, row in zip(texts, tops, strict=True) for j in row]
    entail = opinion.nli(pairs)[:, 0].reshape(len(texts), k)
    best = entail.argmax(axis=1)
    return [(float(entail[r, c]), int(tops[r, c])) for r, c in enumerate(best)]


def _unsourced_verdict(
    f: Finding, opinion: Opinion, score: float, source: tuple[str, int, int, str] | None
) -> Finding:
    measure = "cosine" if opinion.kind == "embedding" else "entailment"
    restated = source is not None and score >= opinion.threshold
    record: dict[str, Any] = {
        "model": opinion.name,
        "measure": measure,
        "score": round(score, 3),
        "threshold": opinion.threshold,
        "verdict": "disagrees" if restated else "agrees",
    }
    if source is not None:
        record["source_article"] = source[0]
        record["source_span"] = [source[1], source[2]]
    detail = {**f.detail, "second_opinion": record}
    if not restated:
        return replace(f, detail=detail)
    message = (
        f"{f.message} Second opinion ({opinion.name}): restated in article {source[0][:10]} "
        f"({measure} {score:.2f}), so probably not invented."
    )
    return replace(f, detail=detail, severity=CLEARED_SEVERITY, message=message)


# ------------------------------------------------------------------ contradictions


def _reviewable_change(f: Finding, articles: dict[str, Article]) -> bool:
    return (
        f.kind in CONTRADICTION_KINDS
        and f.article in articles
        and f.source_article in articles
        and f.derived_span is not None
        and f.source_span is not None
    )


def _review_changes(
    found: list[Finding], articles: dict[str, Article], opinion: Opinion
) -> list[Finding]:
    if not found:
        return []
    pairs = [
        (
            _sentence_text(articles[str(f.source_article)], f.source_span),
            _sentence_text(articles[f.article], f.derived_span),
        )
        for f in found
    ]
    if opinion.kind == "nli":
        probs = opinion.nli(pairs)
        return [_nli_change(f, opinion, p) for f, p in zip(found, probs, strict=True)]
    vecs = opinion.embed([p[0] for p in pairs] + [p[1] for p in pairs])
    n = len(pairs)
    cos = (vecs[:n] * vecs[n:]).sum(axis=1)
    return [
        replace(f, detail={**f.detail, "second_opinion": _similarity_record(opinion, c)})
        for f, c in zip(found, cos, strict=True)
    ]


def _nli_change(f: Finding, opinion: Opinion, p: np.ndarray) -> Finding:
    top = int(p.argmax())
    verdict = ("disagrees", "unsure", "agrees")[top]  # entailment, neutral, contradiction
    record = {
        "model": opinion.name,
        "measure": "contradiction",
        "score": round(float(p[2]), 3),
        "entailment": round(float(p[0]), 3),
        "neutral": round(float(p[1]), 3),
        "verdict": verdict,
    }
    return replace(f, detail={**f.detail, "second_opinion": record})


def _similarity_record(opinion: Opinion, cosine: float) -> dict[str, Any]:
    # an embedding model places a sentence and its contradiction close together, so the cosine
    # says how much of the sentence changed, not whether it now says the opposite
    return {
        "model": opinion.name,
        "measure": "cosine",
        "score": round(float(cosine), 3),
        "verdict": "similarity_only",
    }


# ------------------------------------------------------------------ helpers


class _Cached:
    """An :class:`Opinion` that embeds each distinct text once per review (copies repeat
    whole sentences, and a story's sentences serve every finding in it)."""

    def __init__(self, opinion: Opinion) -> None:
        self.opinion = opinion
        self.vectors: dict[str, np.ndarray] = {}

    kind = property(lambda self: self.opinion.kind)
    name = property(lambda self: self.opinion.name)
    threshold = property(lambda self: self.opinion.threshold)

    def embed(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if todo:
            self.vectors.update(zip(todo, self.opinion.embed(todo), strict=True))
        if not texts:
            return self.opinion.embed([])
        return np.stack([self.vectors[t] for t in texts])

    def nli(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        return self.opinion.nli(pairs)


def _text(article: Article, span: tuple[int, int]) -> str:
    return article.text[span[0] : span[1]]


def _sentence_text(article: Article, span: tuple[int, int] | None) -> str:
    return _text(article, _sentence_around(article, span or (0, 0)))


def _sentence_around(article: Article, span: tuple[int, int]) -> tuple[int, int]:
    """The sentence(s) of ``article`` that hold ``span`` (the span itself if none does)."""
    start, end = span
    hits = [(s, e) for s, e in sentences_of(article) if s < max(end, start + 1) and e > start]
    if not hits:
        return min(start, len(article.text)), min(end, len(article.text))
    return hits[0][0], hits[-1][1]
