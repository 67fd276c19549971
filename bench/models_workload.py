"""How much work the second opinion (``--model``) gives a model on a corpus: counts, not time.

The models here are the tiny ones the tests build, so their speed means nothing; what carries
over to a real model is how many sentences (embedding) or pairs (NLI) it is asked to score.
Multiply by a real model's rate (PERFORMANCE-NOTES: all-MiniLM-L6-v2 ~200 sentences/s on CPU).

    PYTHONPATH=src python -m bench.models_workload examples/corpus
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit"))

from test_models import make_embedding_model, make_nli_model

from newslineage import api
from newslineage.models import load_model, review_story_findings


class Counting:
    """Wraps a loaded model and counts what it is asked to score."""

    def __init__(self, model) -> None:
        self.model, self.sentences, self.pairs = model, 0, 0

    kind = property(lambda self: self.model.kind)
    name = property(lambda self: self.model.name)
    threshold = property(lambda self: self.model.threshold)

    def embed(self, texts: list[str]) -> np.ndarray:
        self.sentences += len(texts)
        return self.model.embed(texts)

    def nli(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        self.pairs += len(pairs)
        return self.model.nli(pairs)


def main(sources: list[str]) -> None:
    tmp = Path(tempfile.mkdtemp())
    store = api.open_store(str(tmp / "workload.db"))
    api.add(sources, store)
    api.analyze(store)
    articles = {a.id: a for a in store.iter_articles()}
    findings, stories, relations = store.findings(), store.stories(), store.relations()
    total = sum(len(a.sentences) for a in articles.values())
    unsourced = sum(f.kind == "unsourced_sentence" for f in findings)
    print(
        f"{len(articles)} articles, {total} sentences, {len(findings)} findings ({unsourced} unsourced)"
    )
    for make in (make_embedding_model, make_nli_model):
        model = Counting(load_model(make(tmp / make.__name__)))
        review_story_findings(findings, stories, articles, model, relations)
        print(f"  {model.kind}: {model.sentences} sentences embedded, {model.pairs} NLI pairs")


if __name__ == "__main__":
    main(sys.argv[1:] or ["examples/corpus"])
