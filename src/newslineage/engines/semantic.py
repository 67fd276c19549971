"""Running the semantic layer for an engine: cached article vectors, the neighbour channel,
and the semantic decision over the pairs the lexical rules left undecided.

Where the model is spent (``docs/lineage.md``, semantic layer): one encoding of each article's
lead (``semantic.vectors.lead_text``; USE for its 16 languages, e5 for the others), cached in the
store's ``vectors`` table so a re-run encodes nothing; e5 leads for both sides of a pair across
languages (e5 separates same-story from different de-en pairs better); and sentence vectors only
for the pairs the fitted lexical decision is unsure of, kept in memory for the run.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import numpy as np

from ..index.candidates import Candidate, merge_into
from ..index.vectors import Survey, VectorIndex
from ..lineage.semantic import SemanticPair, SentenceVectors, decide_semantic, decide_story
from ..lineage.summary import is_story_link, semantic_model
from ..model import DERIVATION_KINDS, Article, Relation
from ..semantic.align import SCALES
from ..semantic.encoders import Encoder, get_encoder, pick_model, pick_pair_model
from ..semantic.margin import MarginCuts
from ..semantic.pairs import sentence_texts
from ..semantic.params import SemanticParams
from ..semantic.story import AnchorRarity, story_model
from ..semantic.vectors import from_bytes, lead_text, to_bytes
from ..store.base import Store
from .pool import can_fork, chunked, locality_order, run_chunks, worker_count
from .vector_search import crowding_of, neighbourhood_of, searched, spread_search, survey_of

__all__ = ["LeadEncoder", "SemanticRun", "SemanticTask", "add_semantic_candidates", "run_task"]

T = TypeVar("T")
K = TypeVar("K")

#: batches of articles -> each batch's lead vectors in their stored form (``to_bytes``)
LeadEncoder = Callable[[str, list[list[Article]]], list[list[bytes]]]

#: articles encoded per batch before their vectors are written to the store
_BATCH = 256
#: batches encoded per round of the worker pool, written to the store as each round ends
_GROUP = 16
#: articles whose sentence vectors each process keeps in memory during a run (at most
#: 40 x 512 float32 = 80 KB each)
_SENTENCE_CACHE = 1024
#: tasks per chunk of the worker pool: an article's pairs mostly fall in one chunk
#: (``locality_order``), so its sentence vectors are encoded once
_TASK_CHUNK = 128
#: below this many tasks the worker pool costs more than it saves
_PARALLEL_TASKS = 256


@dataclass(frozen=True, slots=True)
class SemanticTask:
    """The model work one candidate pair needs: the fitted same-story veto of its lexical
    edge, or the semantic decision. Made where the vectors are (the local engine, the Spark
    driver), run where the texts are (``run_task``: here, or on the Spark executors)."""

    pair: SemanticPair
    lexical: Relation | None
    veto: bool
    #: no semantic derivation of the pair could stand (``SemanticRun._settle``) and it has no
    #: lexical edge: unless the same-story decision keeps it, the outcome is None whatever
    #: the full decision says, so that decision (sentence vectors) is spent only then
    story_first: bool = False


def run_task(
    task: SemanticTask, sentences: SentenceVectors, params: SemanticParams
) -> Relation | None:
    """A task's outcome: the semantic decision, or for a veto the lexical edge when the fitted
    same-story decision keeps it (else None)."""
    if task.veto:
        return task.lexical if decide_story(task.pair) is not None else None
    story = decide_story(task.pair) if task.story_first else None
    if task.story_first and story is None:
        return None
    return decide_semantic(task.pair, task.lexical, sentences, params, story)


class SemanticRun:
    """The article vectors of a set of articles, loaded from the store or encoded and stored."""

    def __init__(
        self,
        store: Store | None,
        params: SemanticParams = SemanticParams(),
        encoder: Callable[[str], Encoder] | None = None,
        leads: LeadEncoder | None = None,
    ) -> None:
        self.store = store
        self.params = params
        self.encoder = encoder or _loaded
        # encodes batches of leads to their stored form; the Spark engine's runs on its executors
        self.encode_leads: LeadEncoder = leads or self._encode_leads
        self.indexes: dict[str, VectorIndex] = {}
        self.encoded = 0  # lead texts encoded in this run (0 on a re-run: all cached)
        self._sentences: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        # the same vectors by (model, sentence texts): a copy's unchanged sentences are
        # encoded once for all its copies (the same batch gives the same vectors)
        self._by_text: OrderedDict[tuple[str, tuple[str, ...]], np.ndarray] = OrderedDict()
        self._crowd: dict[tuple[str, str], float] = {}  # (model, id) -> mean top-k cosine
        # (model, id) -> mean top-k cosine among the articles published before it
        self._before: dict[tuple[str, str], float] = {}
        # model -> the index's size and the last ``neighbours`` search's crowds, read by
        # ``_measure_crowding`` while the index has not grown since (same products)
        self._surveyed: dict[str, tuple[int, Survey]] = {}
        # when a list, each decided pair's margins and ungated outcome (bench/margins.py)
        self.trace: list[dict] | None = None
        # the corpus's anchor frequencies (the same-story decision's ``rare_names``), counted
        # per decide over its articles, unless fixed for the run (``fix_rarity``)
        self.rarity = AnchorRarity()
        self._rarity_fixed = False

    def index(self, model: str) -> VectorIndex:
        if model not in self.indexes:
            self.indexes[model] = VectorIndex(model, self.encoder(model).dim)
        return self.indexes[model]

    def ensure(
        self, articles: Sequence[Article], model: str | None = None, persist: bool = True
    ) -> None:
        """Give every article a lead vector (of ``model``, or the one its language picks);
        with ``persist`` the new ones are written to the store (the articles must be in it)."""
        by_model: dict[str, list[Article]] = {}
        for a in articles:
            by_model.setdefault(model or pick_model(a.language), []).append(a)
        for name, group in sorted(by_model.items()):
            todo = [a for a in group if a.id not in self.index(name)]
            self._ensure_model(name, todo, persist)

    def _ensure_model(self, model: str, articles: list[Article], persist: bool = True) -> None:
        """Vectors always go through their stored int8 form, and into the index in the
        articles' order, so a run that encodes and a rerun that reads the cache decide alike."""
        if not articles:
            return
        blobs = self.store.vectors(model, [a.id for a in articles]) if self.store else {}
        missing = [a for a in articles if a.id not in blobs]
        self._encode_into(model, chunked(missing, _BATCH), blobs, persist)
        self._add(model, articles, blobs)

    def _encode_into(
        self, model: str, parts: list[list[Article]], blobs: dict[str, bytes], persist: bool
    ) -> None:
        """Encode each part whole (``encode_leads``) into ``blobs``; with a store and
        ``persist``, ``_GROUP`` parts at a time, each group written as it ends."""
        size = _GROUP if self.store is not None and persist else max(len(parts), 1)
        for group in chunked(parts, size):
            for part, coded in zip(group, self.encode_leads(model, group), strict=True):
                self.encoded += len(part)
                fresh = dict(zip((a.id for a in part), coded, strict=True))
                blobs.update(fresh)
                if self.store is not None and persist:
                    self.store.put_vectors(model, fresh.items())

    def _add(self, model: str, articles: Sequence[Article], blobs: dict[str, bytes]) -> None:
        index = self.index(model)
        vectors = from_bytes(b"".join(blobs[a.id] for a in articles), index.dim)
        index.add([a.id for a in articles], vectors, [_posix(a) for a in articles])

    def _encode_leads(self, model: str, parts: list[list[Article]]) -> list[list[bytes]]:
        """The lead vectors (stored form) of each batch of articles, batches spread over the
        worker pool when there are several (encoding is most of analyze's "semantic vectors"
        stage: ``python -m bench.analyze_scale``). Each batch is encoded whole, by one process,
        as the serial loop would, so the vectors do not depend on the number of workers.

        A lead text is encoded once however many articles share it (copies keep their
        original's lead: 14% of a generated 10k corpus's leads repeat an earlier one), the
        distinct texts batched in first-seen order. A text's vector does not depend on what
        else its batch holds beyond float rounding (about 1e-8, under the stored form's step)."""
        leads = [[lead_text(a.title, a.text) for a in part] for part in parts]
        distinct = list(dict.fromkeys(t for part in leads for t in part))
        texts = chunked(distinct, max(len(part) for part in parts)) if distinct else []
        encoder = self.encoder(model)
        workers = worker_count() if len(texts) > 1 else 1
        if workers > 1:
            encoder.encode(texts[0][:1])  # loads the weights here, once: the workers inherit them
        got = run_chunks(_encode_batch, texts, encoder, workers=workers)
        coded = dict(zip(distinct, (to_bytes(v) for vectors in got for v in vectors), strict=True))
        return [[coded[t] for t in part] for part in leads]

    def neighbours(self, new: Sequence[Article]) -> list[tuple[str, str, str, float]]:
        """``(a, b, "semantic", cosine)`` hits: each new article's top-k neighbours per model."""
        hits = []
        for model, index in sorted(self.indexes.items()):
            ids = [a.id for a in new if a.id in index]
            search = (index, self.params.neighbours, self.params.floor(model))
            parts = spread_search(survey_of, search, ids)
            for part in parts:
                hits += [(n.a, n.b, "semantic", round(n.cosine, 4)) for n in part.hits]
            self._surveyed[model] = (len(index), Survey.joined(parts))
        return hits

    def pair(self, a: Article, b: Article) -> SemanticPair | None:
        """The pair with the article cosine of ``story_model`` (e5 across languages or models,
        else the shared model's: the cosine ``same_story.json`` was fitted on, ``bench/rows.py``);
        None when a vector is missing."""
        model = story_model(a.language, b.language)
        if model == "e5" and (a.id not in self.index("e5") or b.id not in self.index("e5")):
            self.ensure([a, b], "e5")
        cosine = self.index(model).cosine(a.id, b.id)
        return None if cosine is None else SemanticPair(a, b, cosine, model, rarity=self.rarity)

    def lead_cosine(self, a: Article, b: Article) -> float | None:
        """The lead cosine the summary gate's semantic context rule was fitted on (its model's
        vectors: ``summary.semantic_model``), None when either article has none (another
        language's model, or no fitted rule): the gate then reads words alone."""
        model = semantic_model()
        if model is None or model not in self.indexes:
            return None
        return self.index(model).cosine(a.id, b.id)

    def _ensure_story_vectors(self, pairs: Iterable[tuple[Article, Article]]) -> None:
        """The e5 lead vectors ``pair`` needs for pairs across languages or models, made
        before any decision and in one go: the batches ``pair`` would encode one by one
        (the articles of each pair not yet encoded, in pair order)."""
        index, have, parts = self.indexes.get("e5"), set(), []
        for a, b in pairs:
            if story_model(a.language, b.language) != "e5":
                continue
            part = [x for x in (a, b) if x.id not in have and (index is None or x.id not in index)]
            have.update(x.id for x in part)
            if part:
                parts.append(part)
        if not parts:
            return
        blobs = self.store.vectors("e5", sorted(have)) if self.store else {}
        todo = [p for p in ([x for x in part if x.id not in blobs] for part in parts) if p]
        self._encode_into("e5", todo, blobs, True)
        self._add("e5", [x for part in parts for x in part], blobs)

    def sentences(self, article: Article, model: str) -> np.ndarray:
        """The first ``max_sentences`` sentence vectors of an article (kept for the run).

        Kept as the model gave them (float32), so a pair reads the same vectors whether they
        were just encoded or cached: the decisions then do not depend on which process ran
        which pairs before (``_execute``), nor on the order. An article whose sentences are
        another's (an unchanged copy) reads that one's vectors: the same texts, encoded in
        the same batches, give the same vectors."""
        key = (article.id, model)
        vectors = _recall(self._sentences, key)
        if vectors is not None:
            return vectors
        texts = sentence_texts(article.text, article.language)[1][: self.params.max_sentences]
        by_text = (model, tuple(texts))
        vectors = _recall(self._by_text, by_text)
        if vectors is None:
            vectors = self.encoder(model).encode(texts)
            vectors.setflags(write=False)  # shared by every pair of the article
            _remember(self._by_text, by_text, vectors)
        _remember(self._sentences, key, vectors)
        return vectors

    def _measure_crowding(self, pairs: set[tuple[str, str]], by_id: dict[str, Article]) -> None:
        """The crowds the pairs' margins read: the later article's earlier neighbours when the
        dates order a pair, else both articles' nearest neighbours."""
        later, both = set(), set()
        for x, y in pairs:
            order = _dated_order(by_id[x], by_id[y])
            if order is None:
                both.update((x, y))
            else:
                later.add(order[1].id)
        for model, index in sorted(self.indexes.items()):
            k = self.params.neighbours
            size, known = self._surveyed.get(model, (-1, Survey.joined([])))
            known = known if size == len(index) else Survey.joined([])  # else the index has grown
            wanted = sorted(i for i in both if i in index and (model, i) not in self._crowd)
            got = searched(neighbourhood_of, (index, k), wanted, known.crowd, known.queried)
            self._crowd.update(((model, i), mean) for i, mean in got.items())
            wanted = sorted(i for i in later if i in index and (model, i) not in self._before)
            dated = index.dated(wanted)
            got = searched(crowding_of, (index, k), dated, known.before, known.queried)
            self._before.update(((model, i), mean) for i, mean in got.items())

    def margin(
        self, a: Article, b: Article, known: tuple[str, float] | None = None
    ) -> float | None:
        """How much closer a and b are than their crowd, on the model's common similarity
        scale; None when they are in different models or a crowd was not measured.
        ``known``: a (model, cosine) of the pair already read (``pair``), so the planning
        loop, which runs once per candidate pair of the corpus, reads each dot product once.

        When the publication dates order the pair, the crowd is the later article's k nearest
        articles published before it (its possible sources): siblings of the same date or
        later do not crowd a derivation, nor does a source's own crowd of copies. Otherwise it
        is the mean of both articles' k nearest (the margin of bitext mining, Artetxe and
        Schwenk 2019)."""
        model = pick_model(a.language)
        if model != pick_model(b.language):
            return None
        order = _dated_order(a, b)
        if order is None:
            crowd = [self._crowd.get((model, x.id)) for x in (a, b)]
        else:
            crowd = [self._before.get((model, order[1].id))]
        if known is not None and known[0] == model:
            cosine: float | None = known[1]
        else:
            cosine = self.index(model).cosine(a.id, b.id)
        if cosine is None or None in crowd:
            return None
        low, high = SCALES[model]
        return (cosine - sum(crowd) / len(crowd)) / (high - low)  # type: ignore[arg-type]

    def decide(
        self,
        candidates: Iterable[Candidate],
        found: list[Relation],
        by_id: dict[str, Article],
        context: Iterable[Relation] = (),
        settled: Iterable[Relation] | None = None,
        execute: Callable[[Sequence[SemanticTask]], list[Relation | None]] | None = None,
    ) -> list[Relation]:
        """``found`` with the semantic decision applied to every candidate pair it does not
        call derived, whose article cosine reaches the channel's floor. ``context``: stored
        relations that belong to the lexical graph too (the streaming engine's). ``settled``: the relations whose derivations the semantic one must leave as they are
        (``_fits_lexical``; default ``found``): the local engine passes those of the alignment
        rounds only, as a summary's vocabulary gate is no stronger evidence than meaning and
        ``choose`` ranks the two (an LLMFake paraphrase gated to a near-copy of its source
        lost its own source, 19 of 1,062 items). ``execute``: runs the planned tasks, in
        order (default: here, one by one; the Spark engine runs them on its executors).

        Planning reads the vectors, dates and languages only, so the Spark driver plans from
        text-free articles; only ``run_task`` reads the texts."""
        by_pair = {frozenset((r.source, r.derived)): r for r in found}
        graph = _LexicalGraph.of([*context, *(found if settled is None else settled)])
        todo: dict[frozenset[str], tuple[Candidate, Relation | None]] = {}
        for c in candidates:
            lexical = by_pair.get(frozenset((c.a, c.b)))
            if lexical is None or lexical.kind not in DERIVATION_KINDS:
                todo.setdefault(frozenset((c.a, c.b)), (c, lexical))
        if not self._rarity_fixed:
            self.rarity = self.anchor_rarity(by_id)
        self._measure_crowding({(c.a, c.b) for c, _ in todo.values()}, by_id)
        self._ensure_story_vectors((by_id[c.a], by_id[c.b]) for c, _ in todo.values())
        cuts = self.params.margin_cuts()  # once: it checks the fitted file on each call
        plan = (self._plan(by_id[c.a], by_id[c.b], lexical, cuts) for c, lexical in todo.values())
        tasks = [self._story_first(t, graph, cuts) for t in plan if t is not None]
        results = (execute or self._execute)(tasks)
        replaced: dict[frozenset[str], Relation | None] = {}
        for task, got in zip(tasks, results, strict=True):
            got = self._settle(task, got, graph, cuts)
            if got is not task.lexical:
                replaced[frozenset((task.pair.a.id, task.pair.b.id))] = got
        out = [r for r in found if frozenset((r.source, r.derived)) not in replaced]
        return out + [r for r in replaced.values() if r is not None]

    def fix_rarity(self, articles: Iterable[Article]) -> None:
        """Count the anchor frequencies once, over ``articles`` (a whole store), and keep them
        for every later ``decide``: a stream decides one article beside its few candidates,
        whose frequencies would weigh names nothing like the batch engine's corpus does."""
        self.rarity = self.anchor_rarity({a.id: a for a in articles})
        self._rarity_fixed = True

    def anchor_rarity(self, by_id: dict[str, Article]) -> AnchorRarity:
        """The anchor frequencies of the articles the run sees (a sample, in id order, as the
        rows of ``bench/rows.py`` count them over a whole corpus)."""
        return AnchorRarity.of(by_id[i].text for i in sorted(by_id))

    def _plan(
        self, a: Article, b: Article, lexical: Relation | None, cuts: MarginCuts
    ) -> SemanticTask | None:
        """The model work one pair needs, decided from its vectors alone: none (the lexical
        relation stands), the story veto (below the floor or the story margin cut) or the
        semantic decision."""
        pair = self.pair(a, b)
        if pair is None:
            return None
        cross = pair.model == "e5" and _base(a.language) != _base(b.language)
        veto = SemanticTask(pair, lexical, veto=True)
        if pair.cosine < self.params.floor(pair.model, cross):
            return veto if _vetoable(lexical) else None
        margin = self.margin(a, b, (pair.model, pair.cosine))
        if margin is not None and margin < cuts.story:
            return veto if _vetoable(lexical) else None
        return SemanticTask(replace(pair, margin=margin), lexical, veto=False)

    def _story_first(
        self, task: SemanticTask, graph: _LexicalGraph, cuts: MarginCuts
    ) -> SemanticTask:
        """The task marked ``story_first`` when ``_settle`` would turn any derivation of its
        pair back into its lexical relation, None (below the derivation margin cut, or
        ``_fits_lexical`` fails both ways round: e.g. either article is lexically derived).
        Not when tracing: the trace records the full decision's outcome."""
        pair = task.pair
        if task.veto or task.lexical is not None or self.trace is not None:
            return task
        a, b = pair.a.id, pair.b.id
        below = pair.margin is not None and pair.margin < cuts.derivation
        if below or not (_fits(a, b, graph) or _fits(b, a, graph)):
            return replace(task, story_first=True)
        return task

    def _execute(self, tasks: Sequence[SemanticTask]) -> list[Relation | None]:
        """``run_task`` of each task, in order: in the worker pool (forked: the workers inherit
        the articles, the tasks and the loaded models) when there are enough, pairs sharing an
        article in one chunk so its sentence vectors are encoded once per worker. Each task
        reads only its pair, so the outcomes are the serial loop's."""
        workers = worker_count() if len(tasks) >= _PARALLEL_TASKS and can_fork() else 1
        if workers < 2:
            return [run_task(t, self.sentences, self.params) for t in tasks]
        models = {pick_pair_model(t.pair.a.language, t.pair.b.language) for t in tasks}
        for model in sorted(models):
            self.encoder(model).encode(["."])  # loads the weights here, once, for every worker
        order = locality_order([(t.pair.a.id, t.pair.b.id) for t in tasks])
        chunks = chunked(order, _TASK_CHUNK)
        parts = run_chunks(_run_tasks, chunks, (self, tasks), workers=workers)
        out: list[Relation | None] = [None] * len(tasks)
        for chunk, got in zip(chunks, parts, strict=True):
            for i, relation in zip(chunk, got, strict=True):
                out[i] = relation
        return out

    def _settle(
        self, task: SemanticTask, got: Relation | None, graph: _LexicalGraph, cuts: MarginCuts
    ) -> Relation | None:
        """What the engine keeps of a task's outcome: a vetoed edge, or a semantic derivation
        that fits the lexical graph and clears the derivation margin cut."""
        pair, lexical = task.pair, task.lexical
        if task.veto:
            return lexical if got is not None else None
        if got is not None and got.kind in DERIVATION_KINDS and not _fits_lexical(got, graph):
            got = lexical
        if (
            lexical is not None
            and is_story_link(lexical)
            and (got is None or got.kind not in DERIVATION_KINDS)
        ):
            got = lexical  # the fitted story rule's link stands unless a derivation replaces it
        if self.trace is not None:
            self._record(pair, lexical, got)
        if got is None or got.kind not in DERIVATION_KINDS or got is lexical:
            return got
        return lexical if pair.margin is not None and pair.margin < cuts.derivation else got

    def _record(self, pair: SemanticPair, lexical: Relation | None, got: Relation | None) -> None:
        """One traced pair: its margin and what the decision made of it without the margin
        cuts (the rows ``bench/margins.py`` fits the cuts on)."""
        assert self.trace is not None
        self.trace.append({
            "a": pair.a.id, "b": pair.b.id, "model": pair.model, "cosine": pair.cosine,
            "margin": pair.margin, "dated": _dated_order(pair.a, pair.b) is not None,
            "lexical": lexical.kind if lexical else None,
            "outcome": got.kind if got is not None else None,
            "veto": (lambda v: v.kind if v else None)(_story_veto(pair, lexical)),
            **_derivation_features(got),
        })  # fmt: skip


def _derivation_features(got: Relation | None) -> dict[str, Any]:
    """A semantic derivation's features and probability, from its evidence (the kind decision
    computed them): what a guard fitted on the traced rows may read at no extra cost."""
    if got is None or got.kind not in DERIVATION_KINDS or "semantic_features" not in got.evidence:
        return {}
    return {"feats": got.evidence["semantic_features"], "conf": got.confidence}


def _vetoable(lexical: Relation | None) -> bool:
    """Only a lexical same-story edge can be vetoed (``_story_veto``); not a short text's
    link the fitted story rule made (``choose.summary_story_links``), which read the lead
    cosine already."""
    return lexical is not None and lexical.kind == "same_story" and not is_story_link(lexical)


def _story_veto(pair: SemanticPair, lexical: Relation | None) -> Relation | None:
    """Below the floor or the margin guard the semantic decision adds nothing, but the fitted
    same-story decision may still drop the lexical story score's edge: SemEval's different-story
    pairs that share a country's names scored 0.5-1.0 there (4 of its 24 false same-story
    edges in the first run of the fitted decision)."""
    if lexical is None or lexical.kind != "same_story":
        return lexical
    return lexical if decide_story(pair) is not None else None


def _run_tasks(
    state: tuple[SemanticRun, Sequence[SemanticTask]], chunk: list[int]
) -> list[Relation | None]:
    """``run_task`` of the tasks at ``chunk``'s positions (a pool stage: ``_execute``)."""
    run, tasks = state
    return [run_task(tasks[i], run.sentences, run.params) for i in chunk]


def _recall(cache: OrderedDict[K, np.ndarray], key: K) -> np.ndarray | None:
    """The cached value of ``key``, now the most recently used, or None."""
    got = cache.get(key)
    if got is not None:
        cache.move_to_end(key)
    return got


def _remember(cache: OrderedDict[K, np.ndarray], key: K, value: np.ndarray) -> None:
    """Keep ``value`` under ``key``, dropping the least recently used past ``_SENTENCE_CACHE``."""
    cache[key] = value
    if len(cache) > _SENTENCE_CACHE:
        cache.popitem(last=False)


def _encode_batch(encoder: Encoder, texts: list[str]) -> np.ndarray:
    """One batch of lead texts through the encoder (a pool stage: ``run_chunks``)."""
    return encoder.encode(texts)


def _posix(a: Article) -> float:
    """The article's publication time in POSIX seconds, NaN when unknown (ingestion order is
    no date)."""
    return a.published.timestamp() if a.published is not None else float("nan")


def _dated_order(a: Article, b: Article) -> tuple[Article, Article] | None:
    """(earlier, later) when both publication dates are known and differ, else None."""
    ta, tb = _posix(a), _posix(b)
    if ta == tb or ta != ta or tb != tb:  # equal or NaN
        return None
    return (a, b) if ta < tb else (b, a)


def _loaded(model: str) -> Encoder:
    """``get_encoder``, looked up when called (tests replace it with a toy model)."""
    return get_encoder(model)


@dataclass(frozen=True, slots=True)
class _LexicalGraph:
    """The articles the lexical rules made derived, and those they made sources."""

    derived: frozenset[str]
    sources: frozenset[str]

    @classmethod
    def of(cls, relations: Iterable[Relation]) -> _LexicalGraph:
        kept = [r for r in relations if r.kind in DERIVATION_KINDS]
        return cls(frozenset(r.derived for r in kept), frozenset(r.source for r in kept))


def _fits_lexical(rel: Relation, graph: _LexicalGraph) -> bool:
    """Does a semantic derivation leave the lexical graph as it is? Semantic evidence is
    weaker than reused text, so it does not give a second source to an article the lexical
    rules already derived, make a lexical source (an outlet's own text that others copy)
    derived, or make a copy the source of a paraphrase (its own source is the better one and
    is decided on its own). examples/: the Calvenian Post's own report of the fire, the source
    of a compilation, read as a rewrite of the wire (kind.json p 0.79)."""
    return _fits(rel.source, rel.derived, graph)


def _fits(source: str, derived: str, graph: _LexicalGraph) -> bool:
    """``_fits_lexical`` of a derivation ``source -> derived``."""
    return not (derived in graph.derived or derived in graph.sources or source in graph.derived)


def _base(language: str | None) -> str | None:
    return language.lower().split("-")[0].split("_")[0] if language else None


def add_semantic_candidates(
    candidates: list[Candidate], hits: list[tuple[str, str, str, float]]
) -> list[Candidate]:
    """The lexical candidates with the semantic channel's hits merged in (one per pair)."""
    return merge_into(candidates, hits)
