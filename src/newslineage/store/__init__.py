"""Where newslineage keeps everything: SQLite by default, PostgreSQL by URL.

>>> from newslineage.model import Article
>>> store = open_store(":memory:")
>>> store.add_article(Article(id="a1", text="Hello.", key="k"))
'new'
>>> store.close()
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import StoreError
from .base import Store

__all__ = ["DEFAULT_DB", "Store", "open_store"]

DEFAULT_DB = "./newslineage.db"
ENV_VAR = "NEWSLINEAGE_DB"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def open_store(url: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating and migrating as needed) the store at ``url``.

    ``None`` means ``$NEWSLINEAGE_DB``, else ``./newslineage.db``. Accepted forms:
    a file path; ``:memory:``; ``sqlite:///relative.db`` or ``sqlite:////abs/path.db``
    (SQLAlchemy's convention; ``sqlite://`` alone is in-memory); ``postgresql://`` or
    ``postgres://`` URLs (needs the ``postgres`` extra).
    """
    if url is None or (isinstance(url, str) and not url.strip()):
        url = os.environ.get(ENV_VAR, "").strip() or DEFAULT_DB
    if isinstance(url, os.PathLike):
        return _sqlite(Path(url), str(url))
    text = url.strip()
    match = _SCHEME.match(text)
    if match is None:
        return _sqlite(text, text)
    scheme = match.group(1).lower()
    if scheme in ("postgresql", "postgres"):
        from .postgres import PostgresStore

        return PostgresStore(text)
    if scheme == "sqlite":
        rest = text[match.end() :]
        if rest in ("", "/"):
            return _sqlite(":memory:", text)
        if not rest.startswith("/"):
            raise StoreError(
                text, "has a host part", "use sqlite:///relative.db or sqlite:////abs.db"
            )
        return _sqlite(rest[1:], text)
    raise StoreError(
        text,
        f"unsupported store URL scheme {scheme!r}",
        "pass a file path, sqlite:///path.db or postgresql://user:password@host/database",
    )


def _sqlite(path: str | Path, url: str) -> Store:
    from .sqlite import SQLiteStore

    return SQLiteStore(path, url=url)
