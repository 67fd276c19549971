"""The static site: every page written to a folder that opens from disk."""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import InputError
from ...readmodel import ReadModel
from ...store.base import Store
from .article import render_article
from .index import render_index
from .outlets import render_outlets
from .shell import Links
from .story import render_story

_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


def write_report(store: Store, out_dir: str | Path, *, data: ReadModel | None = None) -> Path:
    """Write the static report (index, outlets, one page per story and per article).

    Returns the index page's path. The folder is created if needed; pages are overwritten.

    >>> from newslineage.store import open_store
    >>> import tempfile
    >>> write_report(open_store(":memory:"), tempfile.mkdtemp()).name
    'index.html'
    """
    data = data or ReadModel.from_store(store)
    out = Path(out_dir)
    links = Links()
    pages: dict[str, str] = {
        links.index(): render_index(data, links),
        links.outlets(): render_outlets(data, links),
    }
    for s in data.stories:
        pages[_file_name(links.story(s.id))] = render_story(data, s.id, links)
    for a in data.articles.values():
        pages[_file_name(links.article(a.id))] = render_article(data, a.id, links)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, page in pages.items():
            (out / name).write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError(
            str(out), f"cannot write the report ({exc.strerror or exc})", "pass a writable folder"
        ) from None
    return out / links.index()


def _file_name(link: str) -> str:
    # ids are hex digests; anything else would need percent-decoding to match its link
    if not _SAFE_ID.match(link):
        raise InputError(link, "not a safe file name for a report page", "report a bug")
    return link
