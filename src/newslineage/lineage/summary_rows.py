"""The labelled rows the summary gate is fitted on (``summary_fit``): FRANK valid and
Clough & Stevenson pairs of a short text and a long one, with the cover channel's evidence and
lead cosines, and each short text's nearest short neighbours (``sibling_fit``). The module
docstring of ``summary_fit`` says which pairs and why.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import numpy as np

from newslineage.extract.clean import clean_text
from newslineage.index.candidates import CandidateIndex
from newslineage.index.params import IndexParams
from newslineage.lineage.sibling_fit import lead_vectors, reach_rows, sibling_rows
from newslineage.lineage.stories import story_pair_score
from newslineage.lineage.summary import Cover, LeadCosine, cover_of, is_short
from newslineage.model import Article
from newslineage.semantic.fit import read_rows
from newslineage.text.content import novel_share

#: other-event articles each FRANK summary is paired with as negatives
NEGATIVES = 3
#: the model whose lead cosines the semantic context rule reads: USE, whose lead vectors the
#: semantic layer keeps for every article in its 16 languages anyway (e5 separated FRANK's
#: one-liners from their orphans better, AUC 0.93 against 0.82, but costs 35 times as much
#: per text: docs/lineage.md, "Summaries")
COSINE_MODEL = "use"


#: FRANK articles are dated a day before their summaries, as the dev-set runner stores them
#: (the cover channel looks only at targets not later than the short text)
SOURCE_DAY, DERIVED_DAY = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 2, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class GateRow:
    """One labelled (source, short text) pair: its novel share, the cover channel's evidence
    (None: the channel did not find the pair), label and fold group."""

    corpus: str
    group: str  # FRANK article hash or C&S task: the unit folds are drawn by
    share: float
    derived: bool
    cover: float | None = None
    margin: float | None = None
    orphan: bool = False  # the pair as if the short text's own source were missing
    cosine: float | None = None  # lead cosine (COSINE_MODEL), with cover evidence only
    cosine_margin: float | None = None  # ...minus the best of the other cover targets'
    rarity: float | None = None  # the shared terms' rarity (CandidateIndex.shared_rarity)
    source: str = ""  # the pair's ids: the long text's...
    short: str = ""  # ...and the short text's
    own: bool = False  # the short text's own source (or task): the same story, derived or not
    sibling: bool = False  # a sibling row: ``source`` is another short text (sibling_fit)
    reach: bool = False  # a reach row of sibling_fit: ``rarity`` of a pair the channel missed


def cover_evidence(
    articles: Sequence[Article],
    cosine: LeadCosine | None = None,
    index: CandidateIndex | None = None,
) -> dict[tuple[str, str], Cover]:
    """``(source id, short id) -> Cover`` from a cover-channel index of ``articles`` (with
    lead cosines when ``cosine`` is given, as the pipeline's semantic layer gives them);
    ``index``: that index when the caller has built it (:func:`cover_index`)."""
    index = index or cover_index(articles)
    by_id = {a.id: a for a in articles}
    return cover_of(index.candidates_for(list(articles)), by_id, cosine, index.shared_rarity)


def cover_index(articles: Sequence[Article]) -> CandidateIndex:
    """A cover-channel index of ``articles``, as the pipeline's index reads their terms."""
    index = CandidateIndex(IndexParams(channels=("cover",)))
    index.add(list(articles))
    return index


def lead_cosines(vectors: tuple[dict[str, int], np.ndarray]) -> LeadCosine:
    """The lead cosine of any two articles of ``sibling_fit.lead_vectors`` (their leads
    encoded once, as the semantic layer encodes and stores them), so the cut is fitted on it."""
    row, vec = vectors
    return lambda a, b: float(vec[row[a.id]] @ vec[row[b.id]])


def _row(corpus: str, group: str, src: Article, short: Article, derived: bool, ev: dict,
         own: bool) -> GateRow:  # fmt: skip
    cover = ev.get((src.id, short.id))
    share = novel_share(src, short)
    if cover is None:
        return GateRow(corpus, group, share, derived, source=src.id, short=short.id, own=own)
    return GateRow(corpus, group, share, derived, cover.score, cover.margin,
                   cosine=cover.cosine, cosine_margin=cover.cosine_margin,
                   rarity=cover.rarity, source=src.id, short=short.id, own=own)  # fmt: skip


def _stored(text: str) -> str:
    """A text as ingestion stores it (``extract.clean`` cuts page widgets: FRANK's BBC
    articles start with a share bar run into their first sentence), as the pipeline reads it."""
    return clean_text(text).text


def frank_rows(path: Path) -> list[GateRow]:
    """FRANK summaries against their article, their ``NEGATIVES`` closest other articles and
    the other articles the cover channel finds for them."""
    rows = read_rows(path)
    arts = {r["hash"]: Article(f"art-{r['hash']}", _stored(r["article"]), published=SOURCE_DAY)
            for r in rows}  # fmt: skip
    summs = [Article(f"sum-{i}", _stored(r["summary"]), published=DERIVED_DAY)
             for i, r in enumerate(rows)]  # fmt: skip
    texts = [*arts.values(), *summs]
    vectors = lead_vectors(texts, COSINE_MODEL)
    index = cover_index(texts)  # read by the gate rows and the sibling rule's reach rows
    ev = cover_evidence(texts, lead_cosines(vectors), index)
    by_id = {a.id: (h, a) for h, a in arts.items()}
    out = []
    for r, summ in zip(rows, summs, strict=True):
        others = [a for h, a in sorted(arts.items()) if h != r["hash"]]
        others.sort(key=lambda a: -story_pair_score(summ, a, use_time=False))
        near = {a.id for a in others[:NEGATIVES]}
        near |= {src for src, short in ev if short == summ.id and src in by_id}
        near.discard(arts[r["hash"]].id)
        pairs = [(arts[r["hash"]], True)] + [(by_id[x][1], False) for x in sorted(near)]
        for art, derived in pairs:
            if summ.text.strip() and is_short(summ, art):
                out.append(_row("frank", r["hash"], art, summ, derived, ev, own=derived))
        out += _orphan(r["hash"], arts[r["hash"]].id, summ, ev, by_id)
    groups = {s.id: r["hash"] for r, s in zip(rows, summs, strict=True)}
    sib = sibling_rows(
        texts, summs, groups, vectors, partial(GateRow, "frank", share=0.0, sibling=True)
    )
    return out + sib + _reach(sib, out, texts, "frank", index)


def _reach(sib: list[GateRow], rows: list[GateRow], texts: Sequence[Article],
           corpus: str, index: CandidateIndex) -> list[GateRow]:  # fmt: skip
    """The reach rows of ``sibling_fit.reach_rows`` for these sibling and gate rows, the
    rarities read from ``index`` (the corpus's cover-channel index)."""
    make = partial(GateRow, corpus, share=0.0, derived=False, sibling=True, reach=True)
    by_id = {a.id: a for a in texts}
    return reach_rows(sib, rows, by_id, index.shared_rarity, make)


def _orphan(group: str, own: str, summ: Article, ev: dict, by_id: dict) -> list[GateRow]:
    """The summary's best other cover target as the channel would score it were its own
    article missing from the corpus (its margin over the others only; the channel's top k
    holds the others' best k - 1): a short text whose source is not in the corpus is the
    commoner case in a news feed, and must not be read as a summary of its best match."""
    hits = sorted(((c.score, src, c.cosine, c.rarity) for (src, short), c in ev.items()
                   if short == summ.id and src != own and src in by_id), reverse=True)  # fmt: skip
    if not hits:
        return []
    (score, src, cos, rare), rival = hits[0], (hits[1][0] if len(hits) > 1 else 0.0)
    share = novel_share(by_id[src][1], summ)
    cos_rival = max((h[2] for h in hits[1:] if h[2] is not None), default=0.0)
    cos_margin = None if cos is None else cos - cos_rival
    return [GateRow("frank", group, share, False, score, score - rival, orphan=True,
                    cosine=cos, cosine_margin=cos_margin, rarity=rare, source=src,
                    short=summ.id)]  # fmt: skip


def clough_rows(folder: Path) -> list[GateRow]:
    """Clough & Stevenson answers against their task's source (``non`` = not derived), and
    against the other tasks' sources the cover channel finds for them."""
    with (folder / "file_information.csv").open(encoding="utf-8") as fh:
        info = [row for row in csv.DictReader(fh) if row["Category"] != "orig"]
    tasks = sorted({row["Task"] for row in info})
    srcs = {t: Article(f"orig{t}", _read(folder / f"orig_task{t}.txt")) for t in tasks}
    answers = [Article(row["File"], _read(folder / row["File"])) for row in info]
    texts = [*srcs.values(), *answers]
    vectors = lead_vectors(texts, COSINE_MODEL)
    index = cover_index(texts)  # read by the gate rows and the sibling rule's reach rows
    ev = cover_evidence(texts, lead_cosines(vectors), index)
    out = []
    for row, ans in zip(info, answers, strict=True):
        own = row["Task"]
        others = [t for t in tasks if t != own and (srcs[t].id, ans.id) in ev]
        pairs = [(srcs[own], row["Category"] != "non")] + [(srcs[t], False) for t in others]
        for src, derived in pairs:
            if is_short(ans, src):
                out.append(_row("clough", own, src, ans, derived, ev, own=src is srcs[own]))
    groups = {a.id: row["Task"] for row, a in zip(info, answers, strict=True)}
    sib = sibling_rows(
        texts, answers, groups, vectors, partial(GateRow, "clough", share=0.0, sibling=True)
    )
    return out + sib + _reach(sib, out, texts, "clough", index)


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
