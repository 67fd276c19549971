"""Moved to ``newslineage.text.stopwords`` (issue #15). This re-export only serves
``drift/pairs.py`` until its split lands; delete it once nothing imports it."""

from __future__ import annotations

from newslineage.text.stopwords import STOPWORDS

__all__ = ["STOPWORDS"]
