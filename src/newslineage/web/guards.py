"""What keeps the server safe to run: bind rules, the bearer token, body and host limits.

Pure ASGI (no FastAPI import), so the rules can be checked without the ``web`` extra.

>>> check_bind("127.0.0.1", None)
>>> check_bind("0.0.0.0", None)
Traceback (most recent call last):
...
newslineage.errors.ConfigError: --host 0.0.0.0: binding a non-loopback address without a token would let anyone on the network add articles; pass --token (or set NEWSLINEAGE_TOKEN) with a long random secret, e.g. from `python -c "import secrets; print(secrets.token_urlsafe())"`, or bind 127.0.0.1
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from ..errors import ConfigError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MIN_TOKEN_LENGTH = 16  # a guessable token on a public port is no protection
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
_TOKEN_TIP = 'e.g. from `python -c "import secrets; print(secrets.token_urlsafe())"`'


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (127.0.0.0/8, ::1)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Raise ConfigError unless binding ``host`` is safe with ``token``.

    Loopback needs nothing; any other address needs a token of at least 16 characters, which
    write endpoints then require.
    """
    if not host.strip():
        raise ConfigError("--host", "is empty", "pass an address such as 127.0.0.1")
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ConfigError(
            "--token",
            f"is {len(token)} characters; at least {MIN_TOKEN_LENGTH} are needed",
            f"use a long random secret, {_TOKEN_TIP}",
        )
    if token is None and not is_loopback(host):
        raise ConfigError(
            f"--host {host}",
            "binding a non-loopback address without a token would let anyone on the "
            "network add articles",
            "pass --token (or set NEWSLINEAGE_TOKEN) with a long random secret, "
            f"{_TOKEN_TIP}, or bind 127.0.0.1",
        )


def token_matches(header: str | None, token: str) -> bool:
    """Whether an ``Authorization`` header carries ``Bearer <token>`` (constant-time compare)."""
    if not header:
        return False
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(value.strip().encode(), token.encode())


def host_of(header: str) -> str:
    """The host name of a ``Host`` header, without the port: ``[::1]:80`` -> ``::1``."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    name, sep, port = value.rpartition(":")
    return name if sep and port.isdigit() and ":" not in name else value


async def send_json_error(send: Send, status: int, message: str) -> None:
    """Answer with ``{"error": message}`` straight from ASGI (before any app code runs)."""
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies over ``max_body`` bytes with 413, declared or streamed.

    The body is read up to the limit before the app sees it, so a chunked upload without a
    ``Content-Length`` cannot slip past, and replayed to the app unchanged.
    """

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = self._too_big(_header(scope, b"content-length"))
        if too_big:
            await send_json_error(send, too_big[0], too_big[1])
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await send_json_error(send, 413, self._limit_message())
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    def _too_big(self, declared: str | None) -> tuple[int, str] | None:
        if declared is None:
            return None
        if not declared.strip().isdigit():
            return 400, f"Content-Length {declared!r}: not a number; send a valid request"
        if int(declared) > self.max_body:
            return 413, self._limit_message()
        return None

    def _limit_message(self) -> str:
        return (
            f"request body: over the limit of {self.max_body:,} bytes; send a smaller "
            "document (or start the server with a larger max_body)"
        )


class HostCheck:
    """Answer 421 to requests whose ``Host`` is not allowed (DNS-rebinding defence)."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(h.strip("[]").lower() for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = host_of(_header(scope, b"host") or "")
            if host not in self.allowed:
                await send_json_error(
                    send,
                    421,
                    f"Host {host!r}: not served here; open the server by its address "
                    f"({', '.join(sorted(self.allowed))})",
                )
                return
        await self.app(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # later calls wait for the disconnect, as the server's would

    return replay


class SecurityHeaders:
    """Headers every response gets: no MIME sniffing, no referrer, no framing."""

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {bytes(k).lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)
