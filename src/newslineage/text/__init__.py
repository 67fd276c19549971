"""Text utilities with character offsets: sentences and normalisation."""

from __future__ import annotations

from newslineage.text.normalize import fold_quotes, normalize_chars, normalize_text
from newslineage.text.sentences import naive_sentences, split_sentences

__all__ = [
    "fold_quotes",
    "naive_sentences",
    "normalize_chars",
    "normalize_text",
    "split_sentences",
]
