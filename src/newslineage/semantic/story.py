"""Features of the fitted same-story decision: the lead vectors' cosine, shared words, the
names and numbers both texts mention, and the time between them.

SemEval-2022 Task 8 annotators judged "same story" on geography, entities, time and narrative;
lead vectors capture the narrative, and the anchors here (capitalised names cut to six letters,
so "Merkels" meets "Merkel", and numbers of any script as ASCII digits) stand for the entities
and places, which agree across languages where shared words do not. The decision reads every
feature computed the same way at run time (``engines/semantic.py``) and when its rows are built
(``bench/rows.py``), so a cosine of one model is never read as another's.

>>> sorted(anchors("Angela Merkel met Macron in Berlin. Die Kanzlerin sagte 1.200 Euro."))
['#1200', 'berlin', 'euro', 'kanzle', 'macron', 'merkel']

Same-topic reports of different events share the topic's names (a country, a party, "Corona");
reports of one event share its rarer ones too. ``rare_names`` weighs each anchor by its inverse
document frequency in the corpus being analysed (:class:`AnchorRarity`, from a sample of its
articles), as TF-IDF weighs words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from newslineage.semantic.align import similarity_scale
from newslineage.semantic.encoders import pick_model
from newslineage.semantic.features import story_lexical
from newslineage.text.stopwords import FEATURE_STOPWORDS, STOPWORDS
from newslineage.text.tokens import TOKEN_RE, number_key

__all__ = [
    "STORY_FEATURES",
    "AnchorRarity",
    "StoryInputs",
    "anchors",
    "story_features",
    "story_model",
]

#: the order of the feature vector ``same_story.json`` reads
STORY_FEATURES = (
    "article", "cross_lingual", "article_cross", "c1", "c3", "char4",
    "names", "shared_names", "numbers", "log_days", "rare_names",
)  # fmt: skip

#: the articles :class:`AnchorRarity` reads at most (evenly spread over the corpus): the
#: frequencies of a sample rank names as well, and the cost stays ~1.5 s however large the store
RARITY_SAMPLE = 2000

#: a name is cut to this many letters: German/Polish/Turkish case endings stay off
_NAME_PREFIX = 6
_SENTENCE_END = frozenset(".!?؟۔。！？")


def story_model(language_a: str | None, language_b: str | None) -> str:
    """The model whose lead cosine the decision reads: e5 across languages (it separated
    same-story from different German-English pairs with AUC 0.93 against USE's 0.84) or when
    the languages' models differ, else the model both languages pick.

    >>> story_model("de", "en"), story_model("de", "de"), story_model("ur", "ur")
    ('e5', 'use', 'e5')
    """
    if _crosses(language_a, language_b):
        return "e5"
    model = pick_model(language_a)
    return model if model == pick_model(language_b) else "e5"


def _crosses(language_a: str | None, language_b: str | None) -> bool:
    base = [x.lower().split("-")[0].split("_")[0] if x else None for x in (language_a, language_b)]
    return None not in base and base[0] != base[1]


@lru_cache(maxsize=8192)
def anchors(text: str) -> frozenset[str]:
    """Names (capitalised words not opening a sentence, cut to six letters) and numbers
    ("#" + ASCII digits) of a text; scripts without case give numbers only."""
    out: set[str] = set()
    opening = True
    for match in TOKEN_RE.finditer(text):
        tok = match.group()
        if tok[0].isdecimal():
            if len(tok) >= 2:
                out.add(number_key(tok))
        elif tok[0].isupper() and not opening and len(tok) >= 3:
            low = tok.casefold()
            if low not in STOPWORDS and low not in FEATURE_STOPWORDS:
                out.add(low[:_NAME_PREFIX])
        end = text[match.end() : match.end() + 2].strip()[:1]
        opening = end in _SENTENCE_END
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class AnchorRarity:
    """In how many of ``articles`` sampled articles each anchor occurs: the document
    frequencies behind ``rare_names``. With no articles (the Spark driver plans from text-free
    articles) every anchor weighs the same and ``rare_names`` is the plain anchor cosine.

    >>> r = AnchorRarity.of(["So Merkel spoke.", "So Merkel and Macron met.", "So Biden came."])
    >>> r.weight("merkel") < r.weight("macron") < r.weight("putin")
    True
    """

    counts: Mapping[str, int] = field(default_factory=dict)
    articles: int = 0

    @classmethod
    def of(cls, texts: Iterable[str], limit: int = RARITY_SAMPLE) -> AnchorRarity:
        """The frequencies over ``texts`` (every k-th, at most ``limit``; empty texts skipped)."""
        texts = list(texts)
        sample = [t for t in texts[:: -(-len(texts) // limit) or 1] if t]
        counts: Counter[str] = Counter()
        for text in sample:
            counts.update(anchors(text))
        return cls(counts, len(sample))

    def weight(self, anchor: str) -> float:
        """Smoothed inverse document frequency (as scikit-learn's ``smooth_idf``)."""
        return math.log((1 + self.articles) / (1 + self.counts.get(anchor, 0))) + 1.0


@dataclass(frozen=True, slots=True)
class StoryInputs:
    """What the decision knows of a pair besides its texts: the lead cosine of ``model``,
    whether the languages differ, the days between the two publication dates (None unless
    both are known) and the corpus's anchor frequencies (None: all anchors weigh the same)."""

    cosine: float
    model: str
    cross_lingual: bool
    days_apart: float | None = None
    rarity: AnchorRarity | None = None


def story_features(text_a: str, text_b: str, inputs: StoryInputs) -> list[float]:
    """The :data:`STORY_FEATURES` of a pair (symmetric: either text may come first).

    >>> x = StoryInputs(0.75, "use", False)
    >>> f = story_features("So Rutte met Hegseth.", "In Brussels, Hegseth met Rutte.", x)
    >>> round(dict(zip(STORY_FEATURES, f))["names"], 3)
    0.816
    """
    lexical = story_lexical(text_a, text_b)
    article = float(similarity_scale(inputs.cosine, inputs.model))
    cross = 1.0 if inputs.cross_lingual else 0.0
    # reports of one event come within days; an unknown date reads as the same day (SemEval
    # has none), so only a known gap counts against the pair
    days = math.log1p(inputs.days_apart) if inputs.days_apart is not None else 0.0
    anchors_ = _anchor_agreement(text_a, text_b)
    rare = _rare_agreement(text_a, text_b, inputs.rarity or AnchorRarity())
    return [article, cross, article * cross, *lexical, *anchors_, days, rare]


def _anchor_agreement(text_a: str, text_b: str) -> list[float]:
    """Cosine of the two anchor sets, log of the shared count, Jaccard of the numbers."""
    a, b = anchors(text_a), anchors(text_b)
    shared = len(a & b)
    cosine = shared / math.sqrt(len(a) * len(b)) if a and b else 0.0
    na, nb = {x for x in a if x[0] == "#"}, {x for x in b if x[0] == "#"}
    numbers = len(na & nb) / len(na | nb) if na | nb else 0.0
    return [cosine, math.log1p(shared), numbers]


def _rare_agreement(text_a: str, text_b: str, rarity: AnchorRarity) -> float:
    """The cosine of the two anchor sets, each anchor weighted by its inverse document
    frequency (the TF-IDF cosine of binary anchor vectors)."""
    a, b = anchors(text_a), anchors(text_b)
    if not a or not b:
        return 0.0
    w = {x: rarity.weight(x) ** 2 for x in a | b}
    shared = sum(w[x] for x in a & b)
    return shared / math.sqrt(sum(w[x] for x in a) * sum(w[x] for x in b))
