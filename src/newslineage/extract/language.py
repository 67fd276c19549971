"""Language of an article's text, by py3langid (Lui & Baldwin, "langid.py: An Off-the-shelf
Language Identification Tool", ACL 2012 demos), or None when the text is too short to tell.

>>> detect_language("Die Verteidigungsminister der NATO treffen sich am Donnerstag in Brüssel.")
'de'
>>> detect_language("NATO") is None
True
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["detect_language"]

_MIN_LETTERS = 20  # fewer letters than this: any guess is noise
_MIN_PROBABILITY = 0.5
_SAMPLE_CHARS = 2000  # the start of an article is plenty and keeps long texts fast


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when it is too short or unclear."""
    sample = text[:_SAMPLE_CHARS]
    if not _has_letters(sample, _MIN_LETTERS):
        return None
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= _MIN_PROBABILITY else None


def _has_letters(text: str, n: int) -> bool:
    """Whether ``text`` holds at least ``n`` letters; stops counting at ``n``."""
    found = 0
    for ch in text:
        if ch.isalpha():
            found += 1
            if found >= n:
                return True
    return False
