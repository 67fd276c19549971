"""``newslineage serve``: run the app with uvicorn, refusing unsafe bind settings first."""

from __future__ import annotations

import os

import uvicorn

from ..errors import ConfigError
from .guards import LOOPBACK_NAMES, check_bind, is_loopback

TOKEN_ENV = "NEWSLINEAGE_TOKEN"


def run_server(
    store_url: str | None,
    *,
    host: str = "127.0.0.1",
    port: int = 8750,
    token: str | None = None,
    allow_private: bool = False,
    max_body: int = 2_000_000,
    log_level: str = "info",
) -> None:
    """Check the bind rule, build the app and serve until interrupted."""
    from . import create_app

    token = token or os.environ.get(TOKEN_ENV) or None
    check_bind(host, token)
    if not 0 <= port <= 65535:
        raise ConfigError("--port", f"{port} is not a port number", "use 1-65535, e.g. 8750")
    # on loopback, only loopback Host headers: a DNS-rebinding page cannot reach the API
    hosts = (*LOOPBACK_NAMES, host) if is_loopback(host) else None
    app = create_app(
        store_url,
        token=token,
        max_body=max_body,
        allow_private=allow_private,
        allowed_hosts=hosts,
    )
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
