"""CPU seconds of the per-token loops of the relate path before and after their token memos.

``python -m bench.token_memos --n 3000`` generates ``n`` articles (bench/generate.py) and
times, in this process, ``align.features.content_terms`` on every sentence and
``lineage.stories._story_features`` on every article against the per-token code they had
before (copied here as the reference), each from an empty memo. It prints the CPU seconds,
the ratios (old / new) and whether every result is the same.
"""

from __future__ import annotations

import time

from bench.bench_common import run_sized
from newslineage.text.stopwords import FEATURE_STOPWORDS
from newslineage.text.tokens import TOKEN_RE, is_unspaced, number_key


def old_content_terms(text: str, stem_len: int) -> tuple[set[str], set[str]]:
    """``content_terms`` before the memo (04e40b6 and earlier)."""
    words: set[str] = set()
    anchors: set[str] = set()
    for k, tok in enumerate(TOKEN_RE.findall(text)):
        if tok[0].isdigit():
            num = number_key(tok)
            words.add(num)
            anchors.add(num)
            continue
        low = tok.lower()
        if (len(low) < 3 and not is_unspaced(tok)) or low in FEATURE_STOPWORDS:
            continue
        stem = low[:stem_len]
        words.add(stem)
        if tok[0].isupper() and (k > 0 or (len(tok) > 1 and tok.isupper())):
            anchors.add(stem)
    return words, anchors


def old_story_features(text: str, title: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """``_story_features`` before the memo (uncached)."""
    anchors: set[str] = set()
    terms: set[str] = set()
    prev = ""
    for k, tok in enumerate(TOKEN_RE.findall(f"{title or ''}\n{text}")):
        if tok[0].isdigit():
            if len(tok) >= 2:
                anchors.add(number_key(tok))
            prev = ""
            continue
        low = tok.lower()
        if len(low) <= 4 and is_unspaced(tok):
            if prev:
                terms.add(prev + low)
            prev = low
            continue
        prev = ""
        if len(low) < 3 or low in FEATURE_STOPWORDS:
            continue
        if tok[0].isupper() and k > 0:
            anchors.add(low[:6])
        elif len(low) >= 6:
            terms.add(low[:6])
    return frozenset(anchors), frozenset(terms)


def _cpu(work) -> tuple[float, list]:
    start = time.process_time()
    got = work()
    return time.process_time() - start, got


def measure(n: int, seed: int) -> dict:
    from bench.bench_common import fast_article
    from bench.generate import generate_corpus
    from newslineage.align import features
    from newslineage.lineage import stories

    articles = [fast_article(r) for r in generate_corpus(n, seed=seed)[0]]
    sentences = [a.text[s:e] for a in articles for s, e in a.sentences]
    texts = [(a.text, a.title) for a in articles]
    features._TERMS.clear()
    t_old, old = _cpu(lambda: [old_content_terms(s, 5) for s in sentences])
    t_new, new = _cpu(lambda: [features.content_terms(s, 5) for s in sentences])
    stories._TOKENS.clear()
    s_old, sold = _cpu(lambda: [old_story_features(*t) for t in texts])
    s_new, snew = _cpu(lambda: [stories._story_features.__wrapped__(*t) for t in texts])
    return {
        "n": n,
        "sentences": len(sentences),
        "content_terms_old_new_cpu_s": [round(t_old, 2), round(t_new, 2)],
        "content_terms_ratio": round(t_old / max(t_new, 1e-9), 2),
        "story_features_old_new_cpu_s": [round(s_old, 2), round(s_new, 2)],
        "story_features_ratio": round(s_old / max(s_new, 1e-9), 2),
        "same_results": old == new and sold == snew,
    }


def main() -> None:
    run_sized(measure, __doc__)


if __name__ == "__main__":
    main()
