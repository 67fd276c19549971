"""Optional second opinions from a local model (the ``[models]`` extra).

``load_model(path)`` loads an ONNX sentence-embedding model or NLI cross-encoder from a local
directory (never downloaded); ``review_findings`` / ``review_story_findings`` add its opinion
to the lexical findings. Nothing here is imported unless a model is asked for, and the
default install finds everything without it. See ``docs/models.md``.
"""

from __future__ import annotations

from .onnx import ModelConfig, OnnxModel, check_model_dir, load_model, read_model_config
from .second_opinion import (
    CONTRADICTION_KINDS,
    Opinion,
    review_findings,
    review_story_findings,
)

__all__ = [
    "CONTRADICTION_KINDS",
    "ModelConfig",
    "OnnxModel",
    "Opinion",
    "check_model_dir",
    "load_model",
    "read_model_config",
    "review_findings",
    "review_story_findings",
]
