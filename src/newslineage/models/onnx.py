"""Load a local ONNX model with its Hugging Face ``tokenizer.json`` and run it on CPU.

A model directory holds three files:

- ``model.onnx``: an exported encoder (``optimum-cli export onnx``, see ``docs/models.md``);
- ``tokenizer.json``: the fast tokenizer saved next to it by the export;
- ``newslineage-model.json`` (optional when the export's ``config.json`` tells the kind):
  ``{"kind": "embedding" | "nli", "name": ..., "threshold": ..., "max_length": ...,
  "labels": [...], "batch_size": ...}``.

Only ``onnxruntime`` and ``tokenizers`` are used (the ``[models]`` extra), never torch or
transformers, and nothing is ever downloaded: a path that is not a complete model directory is
a :class:`~newslineage.errors.ConfigError` naming what is missing.

>>> model = load_model("models/all-MiniLM-L6-v2")       # doctest: +SKIP
>>> model.embed(["A fire shut the port."]).shape        # doctest: +SKIP
(1, 384)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ..errors import ConfigError, MissingExtraError

ModelKind = Literal["embedding", "nli"]
MODEL_KINDS: tuple[str, ...] = ("embedding", "nli")
CONFIG_FILE = "newslineage-model.json"
NLI_LABELS: tuple[str, ...] = ("entailment", "neutral", "contradiction")

#: all-MiniLM-L6-v2 was trained with 128 word pieces and sentence-transformers truncates it at
#: 256; news sentences are 20-60 pieces, so 256 cuts nothing a sentence detector leaves whole
DEFAULT_MAX_LENGTH = 256
#: PERFORMANCE-NOTES measured all-MiniLM-L6-v2 at 200-220 sentences/s on CPU at batch 64
DEFAULT_BATCH_SIZE = 64
#: cosine at or above which an embedding model calls two sentences paraphrases. Not measured
#: here (no real weights on this machine): all-MiniLM-L6-v2 scores reworded statements of one
#: fact roughly 0.75-0.95 and different statements about the same event roughly 0.4-0.7, so
#: 0.75 sits at the bottom of the paraphrase band; set ``threshold`` per model to override
DEFAULT_COSINE = 0.75
#: entailment probability at or above which an NLI model says a source sentence supports the
#: derived one: above one half, so entailment outweighs neutral and contradiction together
DEFAULT_ENTAILMENT = 0.6


@dataclass(frozen=True, slots=True)
class ModelConfig:
    """What a model directory declares: its kind, display name and settings."""

    kind: ModelKind
    name: str
    threshold: float
    max_length: int = DEFAULT_MAX_LENGTH
    batch_size: int = DEFAULT_BATCH_SIZE
    #: for ``nli``: the label of each logit, in output order (lower case)
    labels: tuple[str, ...] = ()


def _import_runtime() -> tuple[Any, Any]:
    try:
        import onnxruntime
        import tokenizers
    except ImportError:
        raise MissingExtraError("a second-opinion model (--model)", "models") from None
    return onnxruntime, tokenizers


def read_model_config(path: Path) -> ModelConfig:
    """The :class:`ModelConfig` of the model directory ``path`` (raises ``ConfigError``)."""
    own, hf = path / CONFIG_FILE, path / "config.json"
    if own.is_file():
        raw = _read_json(own)
    elif hf.is_file():
        raw = _from_hf_config(path, _read_json(hf))
    else:
        raise ConfigError(
            str(path),
            f"no {CONFIG_FILE} or config.json says what kind of model this is",
            f'write {CONFIG_FILE} with {{"kind": "embedding"}} or {{"kind": "nli"}}',
        )
    return _config_from(path, raw)


def _read_json(file: Path) -> dict[str, Any]:
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(
            str(file), f"cannot be read as JSON ({exc})", "fix or remove it"
        ) from None
    if not isinstance(raw, dict):
        raise ConfigError(str(file), "is not a JSON object", 'write an object like {"kind": "nli"}')
    return raw


def _from_hf_config(path: Path, hf: dict[str, Any]) -> dict[str, Any]:
    """Guess the kind from an exported ``config.json``: an NLI head names its three labels."""
    id2label = hf.get("id2label") or {}
    labels = [str(id2label[k]).lower() for k in sorted(id2label, key=int)] if id2label else []
    if {"entailment", "contradiction"} <= set(labels):
        return {"kind": "nli", "labels": labels}
    arch = " ".join(hf.get("architectures") or [])
    if arch.endswith("Model"):  # a bare encoder (BertModel...): token embeddings out
        return {"kind": "embedding"}
    raise ConfigError(
        str(path / "config.json"),
        f"cannot tell the model kind (architectures {arch or 'none'}, labels {labels or 'none'})",
        f'write {CONFIG_FILE} with {{"kind": "embedding"}} or {{"kind": "nli"}}',
    )


def _config_from(path: Path, raw: dict[str, Any]) -> ModelConfig:
    kind = raw.get("kind")
    if kind not in MODEL_KINDS:
        raise ConfigError(
            str(path / CONFIG_FILE),
            f"unknown model kind {kind!r}",
            'use "kind": "embedding" (sentence embeddings) or "nli" (a cross-encoder)',
        )
    labels = tuple(str(x).lower() for x in raw.get("labels") or ())
    if kind == "nli":
        labels = labels or NLI_LABELS
        if len(labels) != 3 or set(labels) != set(NLI_LABELS):
            raise ConfigError(
                str(path),
                f"an NLI model needs the labels entailment, neutral, contradiction (got {list(labels)})",
                'give "labels" in the order of the model\'s logits',
            )
    default = DEFAULT_COSINE if kind == "embedding" else DEFAULT_ENTAILMENT
    try:
        return ModelConfig(
            kind=kind,
            name=str(raw.get("name") or path.name),
            threshold=float(raw.get("threshold", default)),
            max_length=int(raw.get("max_length", DEFAULT_MAX_LENGTH)),
            batch_size=max(1, int(raw.get("batch_size", DEFAULT_BATCH_SIZE))),
            labels=labels,
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(str(path / CONFIG_FILE), f"bad setting ({exc})", "use numbers") from None


class OnnxModel:
    """A loaded model: ``embed`` sentences, or ``nli`` (premise, hypothesis) pairs.

    Built by :func:`load_model`; holds one ``onnxruntime.InferenceSession`` on CPU.
    """

    def __init__(self, path: Path, config: ModelConfig, session: Any, tokenizer: Any) -> None:
        self.path = path
        self.config = config
        self.session = session
        self.tokenizer = tokenizer
        self.inputs = {i.name: i for i in session.get_inputs()}

    @property
    def kind(self) -> str:
        return self.config.kind

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def threshold(self) -> float:
        return self.config.threshold

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised sentence embeddings, one row per text (mean pooling over tokens)."""
        self._expect("embedding")
        return self._batched([(t,) for t in texts], self._embed_batch)

    def nli(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Probabilities ``[entailment, neutral, contradiction]`` of each (premise, hypothesis)."""
        self._expect("nli")
        order = [self.config.labels.index(label) for label in NLI_LABELS]
        return self._batched(pairs, self._nli_batch)[:, order]

    def _expect(self, kind: str) -> None:
        if self.kind != kind:
            raise ConfigError(str(self.path), f"is an {self.kind} model, not {kind}")

    def _batched(self, items: list[tuple[str, ...]], run: Any) -> np.ndarray:
        if not items:
            width = 3 if self.kind == "nli" else 0
            return np.zeros((0, width), dtype=np.float32)
        # similar lengths in one batch waste less padding
        order = sorted(range(len(items)), key=lambda i: sum(len(t) for t in items[i]))
        size = self.config.batch_size
        parts = [run([items[i] for i in order[k : k + size]]) for k in range(0, len(order), size)]
        out = np.empty((len(items), parts[0].shape[1]), dtype=np.float32)
        out[order] = np.concatenate(parts)
        return out

    def _encode(self, items: list[tuple[str, ...]]) -> tuple[dict[str, np.ndarray], np.ndarray]:
        batch = [t[0] if len(t) == 1 else t for t in items]
        encs = self.tokenizer.encode_batch(batch)
        mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
        values = {
            "input_ids": np.array([e.ids for e in encs], dtype=np.int64),
            "attention_mask": mask,
            "token_type_ids": np.array([e.type_ids for e in encs], dtype=np.int64),
        }
        feed = {}
        for name, spec in self.inputs.items():
            if name not in values:
                raise ConfigError(
                    str(self.path / "model.onnx"),
                    f"needs an input {name!r}; only input_ids, attention_mask and "
                    "token_type_ids are fed",
                    "export the model with optimum-cli (docs/models.md)",
                )
            dtype = np.int32 if spec.type == "tensor(int32)" else np.int64
            feed[name] = values[name].astype(dtype, copy=False)
        return feed, mask

    def _run(self, feed: dict[str, np.ndarray]) -> np.ndarray:
        try:
            return np.asarray(self.session.run(None, feed)[0], dtype=np.float32)
        except Exception as exc:  # onnxruntime raises its own Exception subclasses
            raise ConfigError(
                str(self.path / "model.onnx"),
                f"failed on tokenised input ({type(exc).__name__}: {str(exc)[:200]})",
                "check that model.onnx and tokenizer.json come from the same export",
            ) from None

    def _embed_batch(self, items: list[tuple[str, ...]]) -> np.ndarray:
        feed, mask = self._encode(items)
        out = self._run(feed)
        if out.ndim == 3:  # token embeddings: mean over real tokens (sentence-transformers)
            weights = mask[:, :, None].astype(np.float32)
            out = (out * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        if out.ndim != 2:
            raise ConfigError(
                str(self.path / "model.onnx"),
                f"first output has shape {out.shape}, not (batch, dim) or (batch, tokens, dim)",
                "export the encoder's last_hidden_state or sentence_embedding",
            )
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def _nli_batch(self, items: list[tuple[str, ...]]) -> np.ndarray:
        feed, _ = self._encode(items)
        logits = self._run(feed)
        if logits.ndim != 2 or logits.shape[1] != 3:
            raise ConfigError(
                str(self.path / "model.onnx"),
                f"first output has shape {logits.shape}, not (batch, 3) NLI logits",
                'use an NLI cross-encoder, or declare "kind": "embedding"',
            )
        logits = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return probs / probs.sum(axis=1, keepdims=True)


def check_model_dir(path: str | Path) -> ModelConfig:
    """Check, without loading it, that ``path`` is a usable model directory (fail fast).

    Raises what :func:`load_model` would for a missing extra, folder, file or kind.
    """
    _import_runtime()
    where = Path(path).expanduser()
    _check_dir(where)
    return read_model_config(where)


def load_model(path: str | Path) -> OnnxModel:
    """Load the model directory ``path`` (local only: nothing is downloaded).

    Raises ``MissingExtraError`` without the ``[models]`` extra and ``ConfigError`` when the
    directory, ``model.onnx``, ``tokenizer.json`` or the kind is missing or unreadable.
    """
    ort, tokenizers = _import_runtime()
    where = Path(path).expanduser()
    _check_dir(where)
    config = read_model_config(where)
    tokenizer = _load_tokenizer(tokenizers, where / "tokenizer.json", config)
    try:
        options = ort.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initialisers are noise here
        session = ort.InferenceSession(
            str(where / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own Exception subclasses
        raise ConfigError(
            str(where / "model.onnx"),
            f"onnxruntime cannot load it ({type(exc).__name__}: {str(exc)[:200]})",
            "re-export the model to ONNX (docs/models.md)",
        ) from None
    return OnnxModel(where, config, session, tokenizer)


def _check_dir(where: Path) -> None:
    fix = "point --model (or NEWSLINEAGE_MODEL) at a folder holding model.onnx and tokenizer.json"
    if not where.exists():
        raise ConfigError(str(where), "no such model directory", fix)
    if not where.is_dir():
        raise ConfigError(str(where), "is a file, not a model directory", fix)
    missing = [f for f in ("model.onnx", "tokenizer.json") if not (where / f).is_file()]
    if missing:
        raise ConfigError(
            str(where),
            f"missing {' and '.join(missing)}",
            "export the model with optimum-cli into this folder (docs/models.md)",
        )


def _load_tokenizer(tokenizers: Any, file: Path, config: ModelConfig) -> Any:
    try:
        tok = tokenizers.Tokenizer.from_file(str(file))
    except Exception as exc:  # the Rust side raises a plain Exception
        raise ConfigError(
            str(file),
            f"not a tokenizers JSON file ({str(exc)[:200]})",
            "save it with a fast tokenizer",
        ) from None
    tok.enable_truncation(max_length=config.max_length)
    pad = tok.padding or {}
    pad_id = pad.get("pad_id")
    pad_token = pad.get("pad_token")
    if pad_id is None:
        for token in ("[PAD]", "<pad>"):
            if tok.token_to_id(token) is not None:
                pad_id, pad_token = tok.token_to_id(token), token
                break
    tok.enable_padding(pad_id=pad_id or 0, pad_token=pad_token or "[PAD]")
    return tok
