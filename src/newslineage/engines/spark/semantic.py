"""The semantic layer on Spark: the local engine's ``SemanticRun`` with its model work on the
executors.

The driver holds what the local engine decides from (``engines/semantic.py``): the lead
vectors of every article in their stored int8 form (516 bytes a USE vector, 388 an e5 one) in
a ``SemanticRun`` without a store, and text-free article records. From them it finds the
semantic channel's neighbours, measures the margins and plans each pair's task
(``SemanticRun._plan``), as the local engine does. The executors do what needs the texts and
the models:

- lead vectors: the batches the local engine encodes (each distinct lead text once, in the
  order its first article comes, cut into batches of the engine's size), each encoded whole by
  one task, so the vectors are the local engine's bit for bit (a text's last float bits depend
  on what else its batch holds);
- the tasks (``run_task``): the semantic decision with sentence vectors, or the same-story
  veto, next to both articles' texts, sentence vectors cached per partition.

Each partition loads an encoder once (``get_encoder``, one thread) and keeps it for the
Python worker's life.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from pyspark import RDD

from newslineage.engines.semantic import SemanticRun, SemanticTask, run_task
from newslineage.model import Article, Relation
from newslineage.semantic.encoders import Encoder, get_encoder, model_dim
from newslineage.semantic.params import SemanticParams
from newslineage.semantic.story import RARITY_SAMPLE, AnchorRarity, anchors
from newslineage.semantic.vectors import lead_text, to_bytes

__all__ = ["SparkSemantic"]


class SparkSemantic(SemanticRun):
    """``SemanticRun`` over text-free articles: leads encoded and tasks run on the executors."""

    def __init__(self, articles: RDD[tuple[int, Article]], params: SemanticParams) -> None:
        super().__init__(None, params, encoder=_dims_only, leads=self._spark_leads)
        self.by_id = articles.map(lambda ra: (ra[1].id, ra[1]))

    def anchor_rarity(self, by_id: dict[str, Article]) -> AnchorRarity:
        """The local engine's sample (every k-th article in id order), counted on the
        executors: the driver's articles have no text."""
        ids = sorted(by_id)
        step = -(-len(ids) // RARITY_SAMPLE) if ids else 1
        keep = self.by_id.context.broadcast(set(ids[::step]))
        texts = self.by_id.filter(lambda ia: ia[0] in keep.value and bool(ia[1].text))
        counts = texts.flatMap(lambda ia: anchors(ia[1].text)).countByValue()
        return AnchorRarity(dict(counts), texts.count())

    def _spark_leads(self, model: str, parts: list[list[Article]]) -> list[list[bytes]]:
        """Each batch's stored-form lead vectors, encoded on the executors in the batches
        ``SemanticRun._encode_leads`` makes: each distinct lead text once, ranked by the first
        slot (batch, position) that holds it, cut into batches of the largest part's size."""
        if not parts:
            return []
        sc = self.by_id.context
        size = max(len(part) for part in parts)
        n = min(len(parts), sc.defaultParallelism)
        slots = [(a.id, (i, j)) for i, part in enumerate(parts) for j, a in enumerate(part)]
        leads = self.by_id.map(lambda ia: (ia[0], lead_text(ia[1].title, ia[1].text)))
        # (text, slot), read twice (ranking, then the way back): joined and shuffled once
        placed = sc.parallelize(slots, n).join(leads).map(lambda kv: (kv[1][1], kv[1][0])).cache()
        ranked = (
            placed.reduceByKey(min)  # text -> its first slot
            .map(lambda ts: (ts[1], ts[0]))
            .sortByKey(numPartitions=n)
            .zipWithIndex()  # ((first slot, text), rank)
        )
        batches = ranked.map(lambda sr: (sr[1] // size, (sr[1] % size, sr[0][1]))).groupByKey(n)
        coded = batches.mapPartitions(lambda it: _encode_batches(model, it))  # text -> bytes
        got = dict(placed.join(coded).map(lambda kv: kv[1]).collect())  # slot -> bytes
        placed.unpersist()
        return [[got[(i, j)] for j in range(len(part))] for i, part in enumerate(parts)]

    def run_tasks(self, tasks: Sequence[SemanticTask]) -> list[Relation | None]:
        """``run_task`` of each task on the executors, next to both articles' texts."""
        if not tasks:
            return []
        sc = self.by_id.context
        slots = [(t.pair.a.id, (i, t)) for i, t in enumerate(tasks)]
        with_a = sc.parallelize(slots).join(self.by_id)  # a -> ((i, task), A)
        with_b = with_a.map(lambda kv: (kv[1][0][1].pair.b.id, (*kv[1][0], kv[1][1])))
        both = with_b.join(self.by_id).map(lambda kv: (*kv[1][0], kv[1][1]))
        params = self.params
        got = dict(both.mapPartitions(lambda it: _run_tasks(it, params)).collect())
        return [got[i] for i in range(len(tasks))]


def _dims_only(model: str) -> Encoder:
    """The driver never encodes: its ``SemanticRun`` only needs each model's vector width."""
    return Encoder(model, model_dim(model), _no_model)


def _no_model(texts: list[str]) -> list[list[float]]:
    raise RuntimeError("the Spark driver does not encode: leads and tasks run on the executors")


def _encode_batches(
    model: str, batches: Iterable[tuple[int, Iterable[tuple[int, str]]]]
) -> Iterator[tuple[str, bytes]]:
    """One partition's batches of distinct lead texts, each encoded whole (the encoder
    loaded once): ``(text, stored-form vector)``."""
    encoder = None
    for _, leads in batches:
        encoder = encoder or get_encoder(model)
        texts = [text for _, text in sorted(leads)]
        yield from zip(texts, (to_bytes(v) for v in encoder.encode(texts)), strict=True)


def _run_tasks(
    items: Iterable[tuple[int, SemanticTask, Article, Article]], params: SemanticParams
) -> Iterator[tuple[int, Relation | None]]:
    """One partition's tasks with the full articles; sentence vectors cached for the partition."""
    run = SemanticRun(None, params)
    for i, task, a, b in items:
        task = replace(task, pair=replace(task.pair, a=a, b=b))
        yield i, run_task(task, run.sentences, params)
