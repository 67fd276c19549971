"""The web app: HTML pages and a JSON REST API over one store (needs the ``web`` extra).

Only this package imports FastAPI and uvicorn, and only when a function here is called, so
``import newslineage.web`` works on a default install and a missing extra gives an error
that names the ``pip install`` command.

>>> from newslineage.web import is_loopback
>>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0")
(True, False)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import MissingExtraError
from .guards import check_bind, is_loopback

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["DEFAULT_PORT", "check_bind", "create_app", "is_loopback", "serve"]

DEFAULT_PORT = 8750
_WEB_MODULES = {"fastapi", "starlette", "pydantic", "uvicorn", "anyio"}


def _missing(exc: ImportError) -> bool:
    return (exc.name or "").split(".")[0] in _WEB_MODULES


def create_app(
    store_url: str | None,
    *,
    token: str | None = None,
    max_body: int = 2_000_000,
    allow_private: bool = False,
    allowed_hosts: tuple[str, ...] | None = None,
) -> FastAPI:
    """The FastAPI app serving the store at ``store_url``: pages, ``/api/...``, the feed.

    ``store_url`` is what ``open_store`` takes (None: ``$NEWSLINEAGE_DB``, else
    ``./newslineage.db``). With ``token``, write endpoints need ``Authorization: Bearer <token>``. Request bodies
    over ``max_body`` bytes get 413. ``allowed_hosts`` (e.g. ``("127.0.0.1", "localhost")``)
    refuses other ``Host`` headers, which stops DNS-rebinding pages from reaching a loopback
    server.

    >>> app = create_app(":memory:")  # doctest: +SKIP
    """
    try:
        from .app import build_app
    except ImportError as exc:
        if _missing(exc):
            raise MissingExtraError("the web app", "web") from exc
        raise
    return build_app(
        store_url,
        token=token,
        max_body=max_body,
        allow_private=allow_private,
        allowed_hosts=allowed_hosts,
    )


def serve(
    store_url: str | None,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    token: str | None = None,
    **options: Any,
) -> None:
    """Serve the app with uvicorn until interrupted (``newslineage serve``).

    Binding anything but a loopback address needs a token (else ConfigError before binding);
    ``token=None`` reads ``$NEWSLINEAGE_TOKEN``. ``options``: ``allow_private``,
    ``max_body``, ``log_level``.
    """
    try:
        from .server import run_server
    except ImportError as exc:
        if _missing(exc):
            raise MissingExtraError("newslineage serve", "web") from exc
        raise
    run_server(store_url, host=host, port=port, token=token, **options)
