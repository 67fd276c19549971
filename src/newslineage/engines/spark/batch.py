"""The Spark batch: read, extract, find candidates, relate, choose, cluster, find drift, write.

The stages call the same functions as the local engine: ``read_bytes`` and the JSONL parser
(ingest), ``extract_article`` (in ``mapPartitions``), the index's feature functions (per
partition) with candidate pairs as joins (``candidates.py``), the semantic layer's
``SemanticRun`` with its encoding and pair decisions on the executors (``semantic.py``),
``relate`` per candidate pair, the summary rounds (``relate_summary_rounds``: planned on the
driver over the texts of the short texts and their partners only, aligned on the executors),
the chain votes (``lineage/chains.py``) as joins, and on the driver ``choose_relations``
(lineage/choose.py), ``cluster_stories`` and the drift finder, over records only a few
hundred bytes each (the article texts stay on the cluster).

Ingestion order is the order of the inputs, of the files in each (sorted) and of the items in
each file; a repeated article id keeps its first occurrence, as the local store does.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from pyspark import RDD, StorageLevel
from pyspark.sql import SparkSession

from newslineage.contract import write_export
from newslineage.drift.story import story_drift
from newslineage.engines.spark.candidates import candidate_pairs, cover_pairs
from newslineage.engines.spark.features import partition_features
from newslineage.engines.spark.output import write_table
from newslineage.engines.spark.read import Item, list_inputs, read_documents
from newslineage.engines.spark.semantic import SparkSemantic
from newslineage.extract import extract_article
from newslineage.index.candidates import Candidate, IndexParams
from newslineage.lineage import cluster_stories
from newslineage.lineage.chains import Triple, chain_triples, chain_votes
from newslineage.lineage.choose import (
    CHAIN_MARGIN,
    SIBLING_ROUNDS,
    chain_candidates,
    choose_relations,
    relate_candidate,
    relate_summary_rounds,
)
from newslineage.lineage.params import LineageParams
from newslineage.model import Article, Document, Finding, Relation, Skipped, Story
from newslineage.semantic.params import SemanticParams, default_semantic
from newslineage.store import open_store

TABLES = ("articles", "relations", "stories", "findings", "skipped")


@dataclass(frozen=True, slots=True)
class SparkOutcome:
    """What the Spark batch computed (the records the driver holds) and where it wrote them."""

    articles: int
    candidates: int
    relations: list[Relation]
    stories: list[Story]
    findings: list[Finding]
    skipped: list[Skipped]
    tables: dict[str, str]
    export_path: Path | None


def run_spark(
    spark: SparkSession,
    inputs: Sequence[str],
    out_dir: str,
    *,
    first_seen: datetime,
    params: IndexParams = IndexParams(),
    max_bytes: int = 50_000_000,
    write_json: bool = True,
    semantic: SemanticParams | None = None,
) -> SparkOutcome:
    """Analyse ``inputs`` on ``spark`` and write Parquet tables (and ``export.json``) to ``out_dir``.

    ``out_dir`` may be any Hadoop path for the Parquet tables; ``export.json`` needs a local
    ``out_dir`` (it is written by the driver). ``semantic``: the semantic layer's parameters
    (default: on, unless ``NEWSLINEAGE_SEMANTIC=0``), run as the local engine runs it.
    """
    semantic = semantic or default_semantic()
    files, skipped = list_inputs(spark, inputs)
    extracted = _extract(read_documents(spark, files, max_bytes), first_seen)
    extracted.persist(StorageLevel.MEMORY_AND_DISK)
    skips = extracted.filter(lambda x: isinstance(x[1], Skipped)).collect()
    skipped += [s for _, s in sorted(skips, key=lambda x: x[0])]
    articles = _ranked(extracted.filter(lambda x: isinstance(x[1], Article)))  # type: ignore[arg-type]
    articles.persist(StorageLevel.MEMORY_AND_DISK)
    n = articles.count()
    feats = articles.mapPartitions(lambda it: partition_features(it, params))
    feats.persist(StorageLevel.MEMORY_AND_DISK)
    pairs = candidate_pairs(spark, feats, n, params)
    cover: dict[tuple[int, int], tuple[float, float]] = {}  # (short, target) rows
    if "cover" in params.channels:
        cover = dict(cover_pairs(spark, feats, n, params).collect())
        pairs = _with_pairs(pairs, sorted({(min(ab), max(ab)) for ab in cover}), "cover")
    light = [a for _, a in sorted(articles.mapValues(_light).collect(), key=lambda x: x[0])]
    by_id = {a.id: a for a in light}
    sem = SparkSemantic(articles, semantic) if semantic.enabled else None
    if sem is not None:
        pairs = _with_semantic_pairs(pairs, sem, light)
    pairs.persist(StorageLevel.MEMORY_AND_DISK)
    found = relate_pairs(pairs, articles).collect()
    row_of = {a.id: i for i, a in enumerate(light)}  # light is in row order
    found += _relate_chains(found, by_id, articles, row_of)
    candidates = _candidates(pairs, light, cover)
    aligned = list(found)
    rarity = {(light[q].id, light[t].id): r for (q, t), (_, r) in cover.items()}
    found = summary_rounds(candidates, found, articles, row_of, sem, rarity)
    if sem is not None:
        found = sem.decide(candidates, found, by_id, settled=aligned, execute=sem.run_tasks)
    # the local engine relates candidates in (id, id) order; choose_relations breaks
    # confidence ties by that order, so keep it
    found.sort(key=lambda r: (min(r.source, r.derived), max(r.source, r.derived)))
    votes = vote_chains(chain_triples(found, CHAIN_MARGIN), articles)
    relations = choose_relations(found, by_id, {r.derived for r in found}, votes)
    stories = cluster_stories(light, relations)
    findings = story_findings(articles, stories, relations)
    tables = _write_tables(spark, out_dir, articles, relations, stories, findings, skipped)
    export = _write_export(out_dir, articles, relations, stories, findings) if write_json else None
    n_pairs = pairs.count()
    for rdd in (pairs, feats, articles, extracted):
        rdd.unpersist()
    return SparkOutcome(n, n_pairs, relations, stories, findings, skipped, tables, export)


def _with_semantic_pairs(
    pairs: RDD[tuple[tuple[int, int], frozenset[str]]], sem: SparkSemantic, light: list[Article]
) -> RDD[tuple[tuple[int, int], frozenset[str]]]:
    """The lexical pairs with the semantic channel's: every article's lead vector (encoded on
    the executors, collected in int8), its top-k neighbours per model found on the driver."""
    sem.ensure(light)
    row_of = {a.id: i for i, a in enumerate(light)}
    found = {tuple(sorted((row_of[a], row_of[b]))) for a, b, _, _ in sem.neighbours(light)}
    return _with_pairs(pairs, sorted(found), "semantic")


def _with_pairs(
    pairs: RDD[tuple[tuple[int, int], frozenset[str]]], more: list[tuple[int, int]], channel: str
) -> RDD[tuple[tuple[int, int], frozenset[str]]]:
    """``pairs`` with ``more`` row pairs (``row_a < row_b``) found by ``channel``."""
    if not more:
        return pairs
    extra = pairs.context.parallelize([(ab, frozenset([channel])) for ab in more])
    return pairs.union(extra).reduceByKey(lambda x, y: x | y)


def _candidates(
    pairs: RDD[tuple[tuple[int, int], frozenset[str]]],
    light: list[Article],
    cover: dict[tuple[int, int], tuple[float, float]],
) -> list[Candidate]:
    """The candidate pairs by article id, in the local index's (id, id) order, with the cover
    channel's score where it found the pair (the only channel score the lineage reads)."""
    got = []
    score = {(min(ab), max(ab)): s for ab, (s, _) in cover.items()}
    for (x, y), channels in pairs.collect():
        a, b = sorted((light[x].id, light[y].id))
        scores = (("cover", score[(x, y)]),) if (x, y) in score else ()
        got.append(Candidate(a, b, channels, 0.0, scores))
    return sorted(got, key=lambda c: (c.a, c.b))


def summary_rounds(
    candidates: list[Candidate],
    found: list[Relation],
    articles: RDD[tuple[int, Article]],
    row_of: dict[str, int],
    sem: SparkSemantic | None,
    rarity: dict[tuple[str, str], float] | None = None,
) -> list[Relation]:
    """``relate_summary_rounds`` (lineage/choose.py), as the local engine runs it: planned on
    the driver over the full texts of the articles a round can read (``_summary_scope``: the
    short texts and the articles around them), the pairs aligned on the executors.
    ``rarity``: ``(short id, target id) -> rarity`` of the cover pairs (``cover_pairs``), what
    the local engine's ``CandidateIndex.shared_rarity`` gives the summary gate."""
    lengths = dict(articles.map(lambda ra: (ra[1].id, len(ra[1].text))).collect())
    scope = _summary_scope(candidates, found, lengths)
    if not scope:
        return found
    wanted = articles.context.broadcast(scope)
    texts = {a.id: a for a in articles.values().filter(lambda a: a.id in wanted.value).collect()}
    wanted.unpersist()

    def relate(cands: list[Candidate]) -> list[Relation]:
        if not cands:
            return []
        rows = [((row_of[c.a], row_of[c.b]), c.channels) for c in cands]
        return relate_pairs(articles.context.parallelize(rows), articles).collect()

    cosine = sem.lead_cosine if sem is not None else None
    rare = rarity or {}

    def shared_rarity(short: Article, sources: Sequence[str]) -> dict[str, float]:
        return {s: rare.get((short.id, s), 0.0) for s in sources}

    return relate_summary_rounds(
        candidates, found, texts, relate, cosine=cosine, rarity=shared_rarity
    )


def _summary_scope(
    candidates: list[Candidate], found: list[Relation], lengths: dict[str, int]
) -> set[str]:
    """The articles whose texts the summary rounds read: every article short against one of
    its partners (candidates and relations, ``LineageParams.summary_ratio``) with its
    partners, then once per sibling round the partners of a short text that are short against
    that text's longest partner (the source a sibling may share) with their own partners. The
    rounds skip pairs with an article outside it: no summary gate or sibling round reads one."""
    ratio = LineageParams().summary_ratio
    near: dict[str, set[str]] = {}
    for a, b in [(c.a, c.b) for c in candidates] + [(r.source, r.derived) for r in found]:
        near.setdefault(a, set()).add(b)
        near.setdefault(b, set()).add(a)

    def reach(x: str) -> int:  # the longest partner's length
        return max(lengths[y] for y in near[x])

    shorts = {x for x in near if lengths[x] <= ratio * reach(x)}
    scope, asked = set(), set()
    for _ in range(SIBLING_ROUNDS + 1):
        asked |= shorts
        scope |= shorts | {y for x in shorts for y in near[x]}
        shorts = {y for x in shorts for y in near[x] if lengths[y] <= ratio * reach(x)} - asked
        if not shorts:
            break
    return scope


def _raw_ref(data: bytes) -> str:
    # the store's content address for raw bytes (Store.put_raw): the same ref in both engines
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _extract_one(doc: Document | Skipped, first_seen: datetime) -> Article | Skipped:
    if isinstance(doc, Skipped):
        return doc
    got = extract_article(doc, first_seen=first_seen)
    if isinstance(got, Article) and doc.raw:
        got = replace(got, raw_ref=_raw_ref(doc.raw))
    return got


def _extract(items: RDD[Item], first_seen: datetime) -> RDD[tuple]:
    def part(it: Iterable[Item]) -> Iterator[tuple]:
        for order, doc in it:
            yield order, _extract_one(doc, first_seen)

    return items.mapPartitions(part)


def _ranked(articles: RDD[tuple]) -> RDD[tuple[int, Article]]:
    """``(row, article)``: one per id (the first in ingestion order), rows in that order."""
    first = articles.map(lambda oa: (oa[1].id, oa)).reduceByKey(
        lambda x, y: x if x[0] <= y[0] else y
    )
    ordered = first.values().sortBy(lambda oa: oa[0]).zipWithIndex()
    return ordered.map(lambda oa_row: (oa_row[1], oa_row[0][1]))


def _light(a: Article) -> Article:
    """The article without its text: what ordering, choosing and clustering read."""
    return replace(a, text="", sentences=(), removed=())


def _relate(a: Article, b: Article, channels: frozenset[str]) -> Relation | None:
    a, b = (a, b) if a.id < b.id else (b, a)  # the local index's candidate order
    return relate_candidate(Candidate(a.id, b.id, channels, 0.0), {a.id: a, b.id: b})


def relate_pairs(
    pairs: RDD[tuple[tuple[int, int], frozenset[str]]], articles: RDD[tuple[int, Article]]
) -> RDD[Relation]:
    """``relate_candidate`` (lineage/choose.py) on every candidate pair; the pairs that relate."""
    left = pairs.map(lambda pc: (pc[0][0], (pc[0][1], pc[1]))).join(articles)
    right = left.map(lambda kv: (kv[1][0][0], (kv[1][1], kv[1][0][1]))).join(articles)
    both = right.map(lambda kv: _relate(kv[1][0][0], kv[1][1], kv[1][0][1]))
    return both.filter(lambda r: r is not None)


def _relate_chains(
    found: list[Relation],
    by_id: dict[str, Article],
    articles: RDD[tuple[int, Article]],
    row_of: dict[str, int],
) -> list[Relation]:
    """The local engine's second round: grandparent pairs that retrieval missed."""
    extra = chain_candidates(found, by_id)
    if not extra:
        return []
    pairs = articles.context.parallelize([((row_of[c.a], row_of[c.b]), c.channels) for c in extra])
    return relate_pairs(pairs, articles).collect()


def vote_chains(
    triples: list[Triple], articles: RDD[tuple[int, Article]]
) -> dict[Triple, tuple[int, int]]:
    """``chain_votes`` of each ``(derived, middle, upstream)`` triple, next to the texts."""
    if not triples:
        return {}
    by_id = articles.map(lambda ra: (ra[1].id, ra[1]))
    start = articles.context.parallelize([(t[0], t) for t in triples])
    with_d = start.join(by_id).map(lambda kv: (kv[1][0][1], kv[1]))  # middle -> (t, d)
    with_m = with_d.join(by_id).map(lambda kv: (kv[1][0][0][2], (*kv[1][0], kv[1][1])))
    with_u = with_m.join(by_id)  # upstream -> ((t, d, m), u)
    return dict(
        with_u.map(
            lambda kv: (kv[1][0][0], chain_votes(kv[1][1], kv[1][0][2], kv[1][0][1]))
        ).collect()
    )


def story_findings(
    articles: RDD[tuple[int, Article]], stories: list[Story], relations: list[Relation]
) -> list[Finding]:
    """Drift findings of every story, computed on the executors next to the article texts."""
    sc = articles.context
    member_of = sc.parallelize([(a, i) for i, s in enumerate(stories) for a in s.articles])
    story_b = sc.broadcast(stories)
    rels_b = sc.broadcast(relations)
    grouped = (
        articles.map(lambda ra: (ra[1].id, ra[1]))
        .join(member_of)
        .map(lambda kv: (kv[1][1], kv[1][0]))
    )
    found = grouped.groupByKey().flatMap(
        lambda kv: story_drift(story_b.value[kv[0]], {a.id: a for a in kv[1]}, rels_b.value)
    )
    return found.collect()


def _write_tables(
    spark: SparkSession,
    out_dir: str,
    articles: RDD[tuple[int, Article]],
    relations: list[Relation],
    stories: list[Story],
    findings: list[Finding],
    skipped: list[Skipped],
) -> dict[str, str]:
    base = out_dir.rstrip("/")
    paths = {t: f"{base}/{t}.parquet" for t in TABLES}
    write_table(spark, "articles", articles.values(), paths["articles"])
    write_table(spark, "relations", relations, paths["relations"])
    write_table(spark, "stories", stories, paths["stories"])
    write_table(spark, "findings", findings, paths["findings"])
    write_table(spark, "skipped", skipped, paths["skipped"])
    return paths


def _write_export(
    out_dir: str,
    articles: RDD[tuple[int, Article]],
    relations: list[Relation],
    stories: list[Story],
    findings: list[Finding],
) -> Path:
    """``export.json`` via a scratch SQLite store and ``write_export``: the CLI's own export."""
    out = Path(out_dir.removeprefix("file://")) / "export.json"
    with tempfile.TemporaryDirectory(prefix="newslineage-") as tmp:
        store = open_store(Path(tmp) / "export.db")
        try:
            # export_document holds every article anyway: collect them in ingestion order
            store.add_articles(a for _, a in sorted(articles.collect(), key=lambda x: x[0]))
            ids = [a for s in stories for a in s.articles]
            store.replace_relations(relations, {r.derived for r in relations})
            store.replace_stories(stories)
            store.replace_findings(findings, ids)
            with out.open("w", encoding="utf-8") as fh:
                write_export(store, "json", fh)
        finally:
            store.close()
    return out
