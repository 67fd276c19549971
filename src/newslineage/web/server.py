"""``newslineage serve``: run the app with uvicorn, refusing unsafe bind settings first."""

from __future__ import annotations

import os
from collections.abc import Callable
from types import FrameType

import uvicorn

from ..errors import ConfigError
from .guards import LOOPBACK_NAMES, check_bind, is_loopback

TOKEN_ENV = "NEWSLINEAGE_TOKEN"
GRACE_S = 3  # requests still open this long after SIGTERM are cut: `serve` stops within 5 s


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
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        server_header=False,
        timeout_graceful_shutdown=GRACE_S,
    )
    _StoppingServer(config, app.state.newslineage.stop).run()


class _StoppingServer(uvicorn.Server):
    """uvicorn's server, stopping the app's background analysis at the first SIGTERM or
    Ctrl-C: a running analysis is cut (it is atomic) instead of keeping the server up."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._on_exit()
        super().handle_exit(sig, frame)
