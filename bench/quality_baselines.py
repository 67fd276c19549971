"""One-line baselines and scoring for the real dev sets (issues #12 and #13).

Each baseline is the kind of thing a reader would try first (n-gram containment, char n-gram
TF-IDF cosine, share of unknown content words), with its threshold picked *on the labels*: it
is an optimistic reference, so newslineage beating it means something. Pure Python, no
scikit-learn, so the figures do not move when a library changes its defaults.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

# Word characters plus the combining marks and joiners of Arabic script (Urdu diacritics, ZWNJ),
# so an Urdu word with a mark is one token, not two.
_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d]+")


def words(text: str) -> list[str]:
    """Lower-cased word tokens in any script.

    >>> words("Karachi, 1 Dec (APP): 5 wickets")
    ['karachi', '1', 'dec', 'app', '5', 'wickets']
    """
    return _WORD.findall(text.lower())


def word_ngrams(text: str, n: int = 3) -> set[tuple[str, ...]]:
    """The set of word n-grams of ``text``."""
    toks = words(text)
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def containment(part: str, whole: str, n: int = 3) -> float:
    """Share of ``part``'s word n-grams that also occur in ``whole`` (0 when it has none).

    >>> containment("the cat sat on the mat", "yesterday the cat sat on the mat again")
    1.0
    """
    a = word_ngrams(part, n)
    return len(a & word_ngrams(whole, n)) / len(a) if a else 0.0


# ----------------------------------------------------------------- char n-gram TF-IDF
def char_ngrams(text: str, n: int = 4) -> Counter[str]:
    """Counts of character n-grams of the lower-cased, space-normalised text."""
    t = " ".join(text.lower().split())
    return Counter(t[i : i + n] for i in range(len(t) - n + 1))


def tfidf_vectors(texts: dict[str, str], n: int = 4) -> dict[str, dict[str, float]]:
    """Unit-length sublinear TF-IDF vectors of char n-grams, IDF over ``texts`` (smoothed)."""
    counts = {k: char_ngrams(t, n) for k, t in texts.items()}
    df: Counter[str] = Counter()
    for c in counts.values():
        df.update(c.keys())
    total = len(counts)
    idf = {g: math.log((1 + total) / (1 + d)) + 1.0 for g, d in df.items()}
    out = {}
    for k, c in counts.items():
        vec = {g: (1.0 + math.log(x)) * idf[g] for g, x in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out[k] = {g: v / norm for g, v in vec.items()}
    return out


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two unit vectors (sparse dicts)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(g, 0.0) for g, v in a.items())


# ----------------------------------------------------------------- content words
# A short English function-word list, written for this baseline (FRANK is English).
_STOPWORD_TEXT = """a about above after again against all also am an and any are as at be
because been before being below between both but by can could did do does doing down during each
few for from further had has have having he her here hers herself him himself his how i if in into
is it its itself just me more most my myself no nor not now of off on once only or other our ours
out over own said same says she should so some such than that the their theirs them then there
these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours s t"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def unseen_content_share(summary: str, article: str) -> float:
    """Share of the summary's content words (not function words) absent from the article."""
    seen = set(words(article))
    content = [w for w in words(summary) if w not in STOPWORDS]
    return sum(w not in seen for w in content) / len(content) if content else 0.0


# ----------------------------------------------------------------- metrics
def f1(pred: Sequence[bool], gold: Sequence[bool]) -> float:
    """F1 of the positive class."""
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def class_f1(pred: Sequence[str], gold: Sequence[str], labels: Iterable[str]) -> dict[str, float]:
    """One-vs-rest F1 per label."""
    return {lab: f1([p == lab for p in pred], [g == lab for g in gold]) for lab in labels}


def macro_f1(pred: Sequence[str], gold: Sequence[str], labels: Sequence[str]) -> float:
    """Unweighted mean of the per-label F1."""
    per = class_f1(pred, gold, labels)
    return sum(per.values()) / len(per)


def balanced_accuracy(pred: Sequence[bool], gold: Sequence[bool]) -> float:
    """Mean of recall on the positives and on the negatives (0.5 = chance)."""
    pos = [p for p, g in zip(pred, gold, strict=True) if g]
    neg = [not p for p, g in zip(pred, gold, strict=True) if not g]
    parts = [sum(x) / len(x) for x in (pos, neg) if x]
    return sum(parts) / len(parts) if parts else 0.0


# ----------------------------------------------------------------- threshold picking
def candidate_thresholds(scores: Iterable[float], most: int = 200) -> list[float]:
    """Distinct score values (at most ``most``, spread by quantile): every cut worth trying."""
    vals = sorted(set(scores))
    if len(vals) > most:
        step = (len(vals) - 1) / (most - 1)
        vals = sorted({vals[round(i * step)] for i in range(most)})
    return vals


def best_threshold(
    scores: Sequence[float],
    gold: Sequence[bool],
    metric: Callable[[Sequence[bool], Sequence[bool]], float],
) -> tuple[float, float]:
    """``(t, metric)`` of the best rule ``score >= t`` on the labels (an optimistic baseline)."""
    best = (0.0, -1.0)
    for t in candidate_thresholds(scores):
        m = metric([s >= t for s in scores], gold)
        if m > best[1]:
            best = (t, m)
    return best


def three_way(score: float, low: float, high: float) -> str:
    """WD at or above ``high``, PD at or above ``low``, else ND (the COUNTER baseline)."""
    return "WD" if score >= high else "PD" if score >= low else "ND"


def best_two_thresholds(
    scores: Sequence[float], gold: Sequence[str], labels: Sequence[str]
) -> tuple[float, float, float]:
    """``(low, high, macro-F1)`` of the best WD/PD/ND cut pair on the labels."""
    cands = candidate_thresholds(scores, most=100)
    best = (0.0, 0.0, -1.0)
    for i, low in enumerate(cands):
        for high in cands[i:]:
            m = macro_f1([three_way(s, low, high) for s in scores], gold, labels)
            if m > best[2]:
                best = (low, high, m)
    return best
