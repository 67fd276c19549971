"""The semantic layer wired into the pipeline: the vector cache, the neighbour channel and the
decision. A toy encoder (hashed bag of words) stands in for USE, so no model is loaded here."""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest

from newslineage.engines import semantic as engine_semantic
from newslineage.engines.local import analyze_store
from newslineage.engines.semantic import SemanticRun, add_semantic_candidates
from newslineage.index.candidates import Candidate
from newslineage.index.vectors import VectorIndex
from newslineage.lineage.semantic import SemanticPair, decide_semantic, decide_story
from newslineage.model import Article, Relation
from newslineage.semantic.encoders import Encoder
from newslineage.semantic.params import SemanticParams, semantic_enabled
from newslineage.semantic.story import AnchorRarity
from newslineage.store import open_store

DIM = 64


def _toy_backend(calls: list[int], leads: list[str] | None = None):
    def encode(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        if leads is not None:
            leads.extend(t for t in texts if "\n" in t)  # lead_text: title, newline, text
        out = np.zeros((len(texts), DIM), np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, zlib.crc32(word.strip(".,").encode()) % DIM] += 1.0
        out[:, 0] += 1e-3  # no zero rows
        return out

    return encode


@pytest.fixture()
def toy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    enc = Encoder("use", DIM, _toy_backend(calls))
    monkeypatch.setattr(engine_semantic, "get_encoder", lambda name: enc)
    return calls


def _articles() -> list[Article]:
    when = datetime(2025, 3, 1, tzinfo=UTC)
    base = "Fire at the port of Rotterdam closed three terminals on Monday, officials said."
    return [
        Article(
            "a", base + " Ships waited at anchor.", title="Port fire", language="en", published=when
        ),
        Article(
            "b",
            "Officials said a fire closed three terminals at Rotterdam port on Monday.",
            title="Port fire",
            language="en",
            published=when.replace(day=2),
        ),
        Article(
            "c",
            "The city council approved a new budget for schools and parks.",
            title="Budget",
            language="en",
            published=when,
        ),
    ]


def test_vector_index_neighbours_keep_k_and_floor() -> None:
    idx = VectorIndex("toy", 2)
    rows = np.array([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8], [0.0, 1.0]], np.float32)
    idx.add(["a", "b", "c", "d"], rows)
    got = idx.neighbours(["a"], k=1, floor=0.0)
    assert [(n.a, n.b) for n in got] == [("a", "b")]
    assert [n.b for n in idx.neighbours(["a"], k=5, floor=0.5)] == ["b", "c"]
    assert idx.cosine("a", "d") == pytest.approx(0.0, abs=1e-3)
    assert idx.cosine("a", "zz") is None


def test_semantic_hits_merge_into_candidates() -> None:
    lexical = [Candidate("a", "b", frozenset({"minhash"}), 0.9, (("minhash", 0.9),))]
    merged = add_semantic_candidates(
        lexical, [("b", "a", "semantic", 0.8), ("a", "c", "semantic", 0.6)]
    )
    assert [(c.a, c.b, sorted(c.channels)) for c in merged] == [
        ("a", "b", ["minhash", "semantic"]),
        ("a", "c", ["semantic"]),
    ]


def test_second_analyze_encodes_nothing(toy: list[int], tmp_path) -> None:
    store = open_store(tmp_path / "s.db")
    store.add_articles(_articles())
    run = SemanticRun(store)
    run.ensure(list(store.iter_articles()))
    assert run.encoded == 3 and sum(toy) == 3
    assert len(store.vectors("use")) == 3 and len(store.vectors("use")["a"]) == 4 + DIM
    again = SemanticRun(store)
    again.ensure(list(store.iter_articles()))
    assert again.encoded == 0 and sum(toy) == 3  # all read from the store's vectors table


def test_analyze_with_semantic_encodes_each_lead_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    leads: list[str] = []
    enc = Encoder("use", DIM, _toy_backend([], leads))
    monkeypatch.setattr(engine_semantic, "get_encoder", lambda name: enc)
    store = open_store(tmp_path / "s.db")
    store.add_articles(_articles())
    params = SemanticParams(use_floor=0.3)
    analyze_store(store, semantic=params)
    assert len(leads) == 3 and len(store.vectors("use")) == 3
    analyze_store(store, semantic=params, full=True)
    assert len(leads) == 3  # the re-run read the lead vectors from the store


def test_decision_rescues_a_paraphrase_and_orients_it_by_date() -> None:
    arts = _articles()
    a, b = arts[0], arts[1]

    def sentences(article: Article, model: str) -> np.ndarray:
        return np.eye(4, dtype=np.float32)[:2]  # every sentence matched

    got = decide_semantic(SemanticPair(b, a, 0.9, "use"), None, sentences)
    assert got is not None and got.kind in ("rewrite", "partial")
    assert (got.source, got.derived) == ("a", "b")  # a was published first
    assert got.evidence["method"] == "semantic" and "semantic_features" in got.evidence


def test_fitted_story_decision_replaces_the_lexical_story_link() -> None:
    """With the semantic layer on, same_story.json decides the pairs it sees: an unrelated
    pair loses the lexical story score's link, a same-event pair keeps one (the fitted one)."""
    arts = _articles()
    story = Relation("a", "c", "same_story", 0.0, 0.0, 0.6, {})

    def sentences(article: Article, model: str) -> np.ndarray:
        return np.eye(4, dtype=np.float32)[[0, 1] if article.id == "a" else [2, 3]]

    assert decide_semantic(SemanticPair(arts[0], arts[2], 0.2, "use"), story, sentences) is None
    got = decide_story(SemanticPair(arts[0], arts[1], 0.85, "use"))
    assert got is not None and got.kind == "same_story" and (got.source, got.derived) == ("a", "b")
    assert got.evidence["decided_by"] == "same_story.json"


def test_semantic_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSLINEAGE_SEMANTIC", "0")
    assert semantic_enabled() is False and semantic_enabled(True) is True
    monkeypatch.setenv("NEWSLINEAGE_SEMANTIC", "1")
    assert semantic_enabled() is True


def test_stream_adds_semantic_neighbours(toy: list[int], tmp_path) -> None:
    from newslineage.engines.stream import lineage_for_new_detailed, semantic_for_stream
    from newslineage.index.candidates import CandidateIndex

    store = open_store(tmp_path / "s.db")
    arts = _articles()
    store.add_articles([arts[0], arts[2]])
    index = CandidateIndex()
    index.add(list(store.iter_articles()))
    run = semantic_for_stream(store, SemanticParams(use_floor=0.3, min_margin=-1.0))
    got = lineage_for_new_detailed(arts[1], store, index, semantic=run)
    assert got.candidates >= 1 and len(store.vectors("use")) == 2  # the new one is not stored
    # rare_names reads the store's anchor frequencies, as a batch run over it would, not
    # those of the new article and its few candidates
    assert run.rarity == AnchorRarity.of(
        a.text for a in sorted(store.iter_articles(), key=lambda a: a.id)
    )
    assert run.rarity.articles == 2


#: filler words of the generated articles of the worker-pool tests
_WORDS = ("port", "fire", "budget", "council", "ships", "anchor", "terminal", "school", "park",
          "river", "mayor", "police", "court")  # fmt: skip


def test_leads_encoded_in_the_worker_pool_match_the_serial_run(
    toy: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """Batches go to the pool's workers; their vectors come back in the articles' order and
    are the vectors a one-process run stores (the store's cache must not depend on cores)."""
    words = _WORDS[:10]
    many = [
        Article(f"x{i:04d}", " ".join(words[(i * j) % 10] for j in range(1, 9)), title=f"T{i}")
        for i in range(700)  # three batches of 256: the pool runs them
    ]
    pooled = SemanticRun(None)
    pooled.ensure(many, persist=False)
    monkeypatch.setattr(engine_semantic, "worker_count", lambda: 1)
    serial = SemanticRun(None)
    serial.ensure(many, persist=False)
    assert pooled.encoded == serial.encoded == 700
    assert pooled.index("use")._ids == serial.index("use")._ids
    assert np.array_equal(pooled.index("use").matrix(), serial.index("use").matrix())
    assert not np.array_equal(pooled.index("use").matrix()[0], pooled.index("use").matrix()[1])


def test_lead_cosine_reads_the_model_the_summary_gate_was_fitted_on(
    toy: list[int], tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = _articles()
    run = SemanticRun(None)
    run.ensure([a, b, c], persist=False)
    assert sum(toy) == 3
    monkeypatch.setattr(engine_semantic, "semantic_model", lambda: "use")
    same, other = run.lead_cosine(a, b), run.lead_cosine(a, c)
    assert same is not None and other is not None and same > other
    assert sum(toy) == 3  # the leads already encoded: nothing more
    monkeypatch.setattr(engine_semantic, "semantic_model", lambda: "e5")
    assert run.lead_cosine(a, b) is None  # no e5 leads here: the gate reads words alone
    monkeypatch.setattr(engine_semantic, "semantic_model", lambda: None)
    assert run.lead_cosine(a, b) is None  # no semantic rule fitted


def test_decisions_planned_from_text_free_articles_match(toy: list[int]) -> None:
    """The Spark engine's split (engines/spark/semantic.py): the driver plans from articles
    without their text, leads are encoded and tasks run elsewhere (pickled there and back)
    with the full articles. Same relations as the one-process run."""
    import pickle
    from dataclasses import replace

    from newslineage.engines.semantic import run_task

    full = {a.id: a for a in _articles()}
    light = {i: replace(a, text="", sentences=()) for i, a in full.items()}
    cands = [
        Candidate("a", "b", frozenset({"semantic"}), 0.0),
        Candidate("a", "c", frozenset({"semantic"}), 0.0),
    ]
    here = SemanticRun(None)
    here.ensure(list(full.values()))
    want = here.decide(cands, [], full)

    def leads(model: str, parts: list[list[Article]]) -> list[list[bytes]]:
        return here.encode_leads(model, [[full[a.id] for a in part] for part in parts])

    ran: list[bool] = []

    def execute(tasks):
        out = []
        for task in pickle.loads(pickle.dumps(list(tasks))):
            pair = replace(task.pair, a=full[task.pair.a.id], b=full[task.pair.b.id])
            ran.append(task.veto)
            out.append(run_task(replace(task, pair=pair), SemanticRun(None).sentences, here.params))
        return pickle.loads(pickle.dumps(out))

    driver = SemanticRun(None, leads=leads)
    # SparkSemantic counts the anchor frequencies on the executors, where the texts are
    driver.anchor_rarity = lambda by_id: AnchorRarity.of(full[i].text for i in sorted(by_id))
    driver.ensure(list(light.values()))
    got = driver.decide(cands, [], light, execute=execute)
    assert False in ran  # a semantic decision ran, not only vetoes
    assert got == want and got


def test_pairs_carry_the_run_s_anchor_frequencies(toy: list[int]) -> None:
    """``rare_names`` reads the frequencies of the articles the run decides among."""
    articles = {a.id: a for a in _articles()}
    run = SemanticRun(None)
    run.ensure(list(articles.values()))
    run.decide([Candidate("a", "b", frozenset({"semantic"}), 0.0)], [], articles)
    assert run.rarity.articles == 3 and run.rarity.counts["rotter"] == 2
    pair = run.pair(articles["a"], articles["b"])
    assert pair is not None and pair.rarity is run.rarity


def test_pair_decisions_and_searches_in_the_worker_pool_match_the_serial_run(
    toy: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The neighbour and crowding searches (split at the index's query blocks) and the pair
    tasks (``_execute``, in locality order) go to the pool's workers: same hits, same
    relations, in the same order, as one process."""
    when = datetime(2025, 3, 1, tzinfo=UTC)
    vocab = [w for w in _WORDS if w != "park"]

    def story(s: int, copy: int) -> str:
        sentences = [
            " ".join(vocab[(s * 7 + k * j) % len(vocab)] + str((s + j) % 9) for j in range(8))
            for k in range(1, 6)
        ]
        return ". ".join(sentences[copy % 2 :]) + "."  # copies drop the first sentence

    many = [
        Article(
            f"x{i:04d}",
            story(i // 4, i % 4),
            title=f"T{i // 4}",
            language="en",
            published=when.replace(day=1 + i % 4, minute=i % 60),
        )
        for i in range(1200)  # two query blocks, and hundreds of pair tasks
    ]
    by_id = {a.id: a for a in many}

    sizes: list[int] = []
    execute = SemanticRun._execute

    def counted(self: SemanticRun, tasks: list) -> list:
        sizes.append(len(tasks))
        return execute(self, tasks)

    monkeypatch.setattr(SemanticRun, "_execute", counted)

    def analysed() -> tuple[list, list[Relation]]:
        run = SemanticRun(None)
        run.ensure(many, persist=False)
        hits = run.neighbours(many)
        cands = add_semantic_candidates([], hits)
        return hits, run.decide(cands, [], by_id)

    pooled_hits, pooled = analysed()
    monkeypatch.setattr(engine_semantic, "worker_count", lambda: 1)
    serial_hits, serial = analysed()
    assert len(serial_hits) > 1000 and sizes[0] == sizes[1] > 256 and serial
    assert pooled_hits == serial_hits
    assert pooled == serial


def test_an_unchanged_copy_reads_its_original_s_sentence_vectors(toy: list[int]) -> None:
    run = SemanticRun(None)
    text = "Fire closed the port on Monday. Ships waited at anchor. Officials said so."
    original, copy = Article("o", text, language="en"), Article("c", text, language="en")
    other = Article("x", "Stocks rose in Tokyo. Bonds fell.", language="en")
    first = run.sentences(original, "use")
    assert run.sentences(copy, "use") is first and len(toy) == 1  # encoded once
    run.sentences(other, "use")
    assert len(toy) == 2 and run.sentences(original, "use") is first


def test_articles_sharing_a_lead_text_encode_it_once(toy: list[int]) -> None:
    """A copy keeps its original's lead: the text is encoded once and both get its vector."""
    a, b, c = _articles()
    copy = replace(a, id="a2", published=a.published.replace(day=3))
    run = SemanticRun(None)
    run.ensure([a, b, copy, c], "use")
    assert sum(toy) == 3  # four articles, three distinct lead texts
    index = run.index("use")
    assert np.array_equal(index.vector("a"), index.vector("a2"))
    assert index.cosine("a", "b") is not None and index.cosine("a", "b") < 1.0
