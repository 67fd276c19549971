"""Candidate pairs as Spark joins: the three channels of ``CandidateIndex``, corpus-wide.

Each channel explodes per-article keys (``features.py``), drops over-full buckets exactly as
the index's capped lookups do, self-joins on the key and reduces to distinct article pairs
``(row_a, row_b)`` with ``row_a < row_b``:

- minhash: LSH band keys -> join on key -> distinct pairs -> MinHash verification;
- sentence: sentence band keys -> join on key -> sentence pairs agreeing in enough bands ->
  matched sentences per article pair, as a share of the live (matchable) sentences;
- story: the query article's names, numbers and top ``story_query_terms`` terms joined with
  the (top-tf-idf) term table, IDF weights from corpus-wide document frequencies, summed per pair, time window,
  top-k per query;
- cover: a short text's terms (at most ``cover_max_terms``) joined with the same term table,
  each longer, not later target scored by the IDF-weighted share of the text's terms it
  holds, top-k per short text (``cover_pairs``, with the scores the summary gate reads).

The join is on the key alone (keys already hash the band index in), as the index's sorted
key tables are, so a cross-band key collision is a candidate in both engines. The result is
the same set of pairs that ``CandidateIndex.candidates_for`` gives over the whole corpus
(tests/spark/test_engine_equivalence.py checks it on two corpora).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
from pyspark import RDD
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslineage.engines.spark.features import (
    SENT_BITS,
    ArticleFeatures,
    story_pair_passes,
    story_query_keys,
    story_weights,
    top_k_targets,
    top_story_terms,
    verify_minhash,
)
from newslineage.index.candidates import IndexParams
from newslineage.index.cover import RARE_TERMS, term_cap
from newslineage.index.terms import term_idf


def candidate_pairs(
    spark: SparkSession, feats: RDD[ArticleFeatures], n: int, params: IndexParams = IndexParams()
) -> RDD[tuple[tuple[int, int], frozenset[str]]]:
    """Distinct ``(row_a, row_b)`` pairs (``row_a < row_b``) with the channels that found them
    (all but the cover channel: :func:`cover_pairs` gives its pairs with their scores)."""
    finders = {"minhash": minhash_pairs, "sentence": sentence_pairs}
    parts = []
    for channel in params.channels:
        if channel == "cover":
            continue  # cover_pairs: the batch adds them with the scores the summary gate reads
        found = (
            story_pairs(spark, feats, n, params)
            if channel == "story"
            else finders[channel](spark, feats, params)
        )
        parts.append(found.distinct().map(lambda ab, ch=channel: (ab, frozenset([ch]))))
    if not parts:
        return spark.sparkContext.emptyRDD()
    return spark.sparkContext.union(parts).reduceByKey(lambda x, y: x | y)


def _capped(entries: DataFrame, cap: int) -> DataFrame:
    """Entries whose key bucket holds at most ``cap`` entries (no cap when ``cap <= 0``)."""
    if cap <= 0:
        return entries
    ok = entries.groupBy("key").count().where(F.col("count") <= cap).select("key")
    return entries.join(ok, "key")


def _self_join(entries: DataFrame, cols: Iterable[str]) -> DataFrame:
    """Pairs of entries sharing a key, the lower article row on the left."""
    x, y = entries.alias("x"), entries.alias("y")
    pick = [F.col(f"x.{c}").alias(f"{c}_a") for c in cols]
    pick += [F.col(f"y.{c}").alias(f"{c}_b") for c in cols]
    return (
        x.join(y, F.col("x.key") == F.col("y.key"))
        .where(F.col("x.row") < F.col("y.row"))
        .select(*pick)
    )


# --------------------------------------------------------------------------- minhash
def minhash_pairs(
    spark: SparkSession, feats: RDD[ArticleFeatures], params: IndexParams = IndexParams()
) -> RDD[tuple[int, int]]:
    """Pairs sharing an LSH band key whose MinHash estimate passes verification."""
    bands = spark.createDataFrame(
        feats.flatMap(lambda f: [(k, f.row) for k in f.band_keys]), "key long, row long"
    )
    hits = _self_join(_capped(bands, params.max_bucket), ["row"]).distinct()
    sigs = feats.map(lambda f: (f.row, (f.sig, f.n_shingles)))
    pairs = (
        hits.rdd.map(lambda r: (r.row_a, r.row_b))
        .join(sigs)
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        .join(sigs)
        .map(
            lambda kv: (
                kv[1][0][0],
                kv[0],
                kv[1][0][1][0],
                kv[1][1][0],
                kv[1][0][1][1],
                kv[1][1][1],
            )
        )
    )
    return pairs.mapPartitions(lambda it: verify_minhash(list(it), params))


# -------------------------------------------------------------------------- sentence
def sentence_pairs(
    spark: SparkSession, feats: RDD[ArticleFeatures], params: IndexParams = IndexParams()
) -> RDD[tuple[int, int]]:
    """Pairs with enough sentences (a count and a share of the shorter article) whose
    fingerprints agree in ``sentence_min_bands`` bands."""
    p = params
    rows = feats.flatMap(
        lambda f: [(k, (f.row << SENT_BITS) | s, f.row) for s, ks in f.sentence_keys for k in ks]
    )
    sents = spark.createDataFrame(rows, "key long, sid long, row long")
    capped = _capped(sents, p.sentence_max_bucket)
    # sentences that can match: one key in a bucket under the cap (IndexParams.sentence_min_share)
    live = capped.groupBy("row").agg(F.countDistinct("sid").alias("live"))
    agree = (
        _self_join(capped, ["sid", "row"])
        .groupBy("sid_a", "sid_b", "row_a", "row_b")
        .count()
        .where(F.col("count") >= p.sentence_min_bands)
    )
    matched = agree.groupBy("row_a", "row_b").agg(
        F.countDistinct("sid_a").alias("ma"), F.countDistinct("sid_b").alias("mb")
    )
    n_sent = (
        spark.createDataFrame(
            feats.map(lambda f: (f.row, len(f.sentence_keys))), "row long, n long"
        )
        .join(live, "row", "left")
        .fillna(0, ["live"])
    )
    na, nb = n_sent.alias("na"), n_sent.alias("nb")
    shorter = F.least(F.col("na.n"), F.col("nb.n"))
    both = F.least("ma", "mb")

    def share(query: str, target: str):
        # as the local index scores a query: its live sentences against all of the target's
        lower = F.least(F.col(f"{query}.live"), F.col(f"{target}.n"))
        return both / F.greatest(lower, F.lit(1))

    kept = (
        matched.join(na, F.col("row_a") == F.col("na.row"))
        .join(nb, F.col("row_b") == F.col("nb.row"))
        .where(both >= F.least(F.lit(p.sentence_min_matches), shorter))
        .where(
            (share("na", "nb") >= p.sentence_min_share)
            | (share("nb", "na") >= p.sentence_min_share)
        )
    )
    return kept.select("row_a", "row_b").rdd.map(lambda r: (r.row_a, r.row_b))


# ----------------------------------------------------------------------------- story
def _term_tables(
    spark: SparkSession, feats: RDD[ArticleFeatures], n: int, p: IndexParams
) -> tuple[DataFrame, DataFrame, DataFrame]:
    """``(terms, terms with df, table)``: every article's story terms, the same with their
    corpus-wide document frequency, and the term table the story and cover lookups read
    (each article's top tf-idf terms; buckets over the index's ``term_cap`` dropped)."""
    terms = spark.createDataFrame(
        feats.flatMap(
            lambda f: [
                (f.row, k, s, t, f.published)
                for k, s, t in zip(f.terms, f.strong, f.tf, strict=True)
            ]
        ),
        "row long, key long, strong boolean, tf long, published double",
    )
    df = terms.groupBy("key").agg(F.count("*").alias("df"))
    with_df = terms.join(df, "key")
    table = spark.createDataFrame(
        with_df.rdd.map(lambda r: (r.row, (r.key, r.strong, r.tf, r.df)))
        .groupByKey()
        .flatMap(lambda kv: [(k, kv[0]) for k in top_story_terms(list(kv[1]), n, p)]),
        "key long, row long",
    )
    return terms, with_df, _capped(table, term_cap(p, n))


def story_pairs(
    spark: SparkSession,
    feats: RDD[ArticleFeatures],
    n: int,
    params: IndexParams = IndexParams(),
) -> RDD[tuple[int, int]]:
    """Pairs sharing enough IDF-weighted rare terms within the time window (top-k per query).

    ``n`` is the number of articles (the N of the IDF).
    """
    p = params
    terms, with_df, table = _term_tables(spark, feats, n, p)
    asked = with_df
    if p.story_query_terms:  # each article queries with its names, numbers and top terms
        mine = spark.createDataFrame(
            with_df.rdd.map(lambda r: (r.row, (r.key, r.strong, r.tf, r.df)))
            .groupByKey()
            .flatMap(lambda kv: [(kv[0], k) for k in story_query_keys(list(kv[1]), n, p)]),
            "row long, key long",
        )
        asked = with_df.join(mine, ["row", "key"])
    query = spark.createDataFrame(
        asked.select("row", "key", "strong", "df", "published").rdd.mapPartitions(
            lambda it: _weighted(list(it), n, p)
        ),
        "row long, key long, weight double, published double",
    )
    pub = terms.select("row", F.col("published").alias("published_t")).distinct()
    hits = (
        query.join(table.withColumnRenamed("row", "target"), "key")
        .where(F.col("row") != F.col("target"))
        .join(pub.withColumnRenamed("row", "target"), "target")
    )
    scored = (
        hits.rdd.map(
            lambda r: ((r.row, r.target), (r.key, r.weight, abs(r.published - r.published_t)))
        )
        .groupByKey()
        .flatMap(lambda kv: _scored(kv[0], list(kv[1]), p))
    )
    best = scored.groupByKey().flatMap(
        lambda kv: [(kv[0], t) for t in top_k_targets(list(kv[1]), p.story_top_k)]
    )
    return best.map(lambda qt: (min(qt), max(qt)))


def _weighted(rows: list, n: int, p: IndexParams) -> Iterator[tuple[int, int, float, float]]:
    weights = story_weights([(r.key, r.strong, r.df) for r in rows], n, p)
    for r, w in zip(rows, weights, strict=True):
        yield (r.row, r.key, w, r.published)


def _scored(
    pair: tuple[int, int], hits: list[tuple[int, float, float]], p: IndexParams
) -> list[tuple[int, tuple[int, float]]]:
    keep, score = story_pair_passes([(k, w) for k, w, _ in hits], hits[0][2], p)
    return [(pair[0], (pair[1], score))] if keep else []


# ----------------------------------------------------------------------------- cover
def cover_pairs(
    spark: SparkSession,
    feats: RDD[ArticleFeatures],
    n: int,
    params: IndexParams = IndexParams(),
) -> RDD[tuple[tuple[int, int], tuple[float, float]]]:
    """``((short row, target row), (score, rarity))``: the ``cover_top_k`` best longer, not
    later targets of each short text (``cover_max_terms`` story terms at most), scored by the
    IDF-weighted share of the text's terms found among the target's stored terms, with the
    rarity of the rarest shared ones, as ``CandidateIndex`` gives them (``index/cover.py``,
    ``shared_rarity``; the summary gate reads both: ``lineage/summary.py cover_of``)."""
    p = params
    _, with_df, table = _term_tables(spark, feats, n, p)
    info = feats.map(lambda f: (f.row, (len(f.terms), f.n_shingles, f.published)))
    short = info.filter(lambda ri: 0 < ri[1][0] <= p.cover_max_terms)
    # each short text's terms with their IDF (computed per text, summed in key order)
    queries = (
        with_df.select("row", "key", "df")
        .rdd.map(lambda r: (r.row, (r.key, r.df)))
        .join(short)
        .map(lambda kv: (kv[0], kv[1][0]))
        .groupByKey()
        .map(lambda kv: (kv[0], _idf_terms(list(kv[1]), n, p)))
    )
    totals = queries.mapValues(_sequential_sum)
    asked = spark.createDataFrame(
        queries.flatMap(lambda kv: [(kv[0], k, w) for k, w in kv[1]]),
        "row long, key long, weight double",
    )
    hits = asked.join(table.withColumnRenamed("row", "target"), "key").where(
        F.col("row") != F.col("target")
    )
    got = (
        hits.rdd.map(lambda r: ((r.row, r.target), (r.key, r.weight)))
        .groupByKey()
        .map(lambda kv: (kv[0][1], (kv[0][0], _shared(sorted(kv[1]), n, p))))
    )
    scored = (
        got.join(info)  # target -> ((query, got), target info)
        .map(lambda kv: (kv[1][0][0], (kv[0], kv[1][0][1], kv[1][1])))
        .join(short.join(totals))  # query -> ((target, got, target info), (info, total))
        .flatMap(lambda kv: _cover_kept(kv[0], *kv[1][0], *kv[1][1], p))
    )
    return scored.groupByKey().flatMap(lambda kv: _best_covers(kv[0], list(kv[1]), p.cover_top_k))


def _idf_terms(terms: list[tuple[int, int]], n: int, p: IndexParams) -> list[tuple[int, float]]:
    """``(key, idf)`` of one text's ``(key, df)`` terms, in key order."""
    terms = sorted(terms)
    idf = term_idf(np.array([d for _, d in terms], np.int64), n, p.story_idf_prior_docs)
    return [(k, float(w)) for (k, _), w in zip(terms, idf.tolist(), strict=True)]


def _sequential_sum(weighted: Iterable[tuple[int, float]]) -> float:
    # one addition after another in key order, as the index's bincount adds them
    total = 0.0
    for _, w in weighted:
        total += w
    return total


def _shared(weighted: list[tuple[int, float]], n: int, p: IndexParams) -> tuple[float, float]:
    """(summed IDF, rarity) of the terms a short text shares with one target, in key order:
    the rarity is the mean IDF of the ``RARE_TERMS`` rarest over the IDF of a term one
    article alone has (``CandidateIndex.shared_rarity``)."""
    top = float(term_idf(np.ones(1), n, p.story_idf_prior_docs)[0])
    rare = np.sort(np.array([w for _, w in weighted]))[::-1][:RARE_TERMS]
    return _sequential_sum(weighted), float(rare.mean()) / max(top, 1e-12)


def _cover_kept(
    query: int,
    target: int,
    got: tuple[float, float],
    target_info: tuple[int, int, float],
    query_info: tuple[int, int, float],
    total: float,
    p: IndexParams,
) -> list[tuple[int, tuple[int, float, float]]]:
    """``[(query, (target, score, rarity))]`` when the target is long enough, not later, and
    holds at least ``cover_min_score`` of the query's IDF weight (a NaN date, unknown, passes)."""
    _, t_shingles, t_published = target_info
    _, q_shingles, q_published = query_info
    score = got[0] / max(total, 1e-12)
    if t_shingles * p.cover_length_ratio < q_shingles or t_published > q_published:
        return []
    return [(query, (target, min(score, 1.0), got[1]))] if score >= p.cover_min_score else []


def _best_covers(
    query: int, hits: list[tuple[int, float, float]], k: int
) -> list[tuple[tuple[int, int], tuple[float, float]]]:
    """The ``k`` best ``(target, score, rarity)`` of one query (``top_k_targets``: ties to the
    lower row), as ``((query, target), (score, rarity))``."""
    by_target = {t: (score, rarity) for t, score, rarity in hits}
    return [((query, t), by_target[t]) for t in top_k_targets([h[:2] for h in hits], k)]
