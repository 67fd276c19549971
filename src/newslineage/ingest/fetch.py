"""HTTP fetching for user-given URLs: polite, bounded and refusing private addresses.

One GET per hop with an honest User-Agent, a timeout, a streaming size cap, retries with
exponential backoff on connection errors, 429 and 5xx, conditional GET (ETag /
Last-Modified remembered in the store's meta table) and redirects followed by hand, so
every hop is checked against the private-address rule (SSRF: a public page must not be
able to send us to ``http://169.254.169.254/`` or ``localhost``).

>>> check_address("10.1.2.3")
'a private address'
>>> check_address("93.184.216.34") is None
True
"""

from __future__ import annotations

import ipaddress
import json
import socket
import time
from dataclasses import dataclass
from typing import Protocol

import httpx

from ..errors import FetchError

MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
_RETRY_AFTER_CAP = 30.0  # seconds; a longer Retry-After is capped so one URL never stalls a run


class MetaStore(Protocol):
    """Anything with small key/value state, e.g. the Store."""

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """The fetch-related part of ``IngestOptions``."""

    allow_private: bool = False
    max_bytes: int = 50_000_000
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 0.5
    user_agent: str = "newslineage/0.1"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched response: ``url`` is the final URL after redirects; ``status`` 304 means
    "not modified since the validators in ``validators`` were stored"."""

    url: str
    status: int
    data: bytes = b""
    content_type: str | None = None
    validators: str | None = None  # JSON to store under ``meta_key(requested url)``


def meta_key(url: str) -> str:
    """The meta key under which a URL's ETag / Last-Modified are kept."""
    return f"http:{url}"


def check_address(ip: str) -> str | None:
    """Why ``ip`` must not be fetched (``"a private address"``), or None when it is public."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return "an unparsable address"
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    bad = (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_reserved
        or addr.is_multicast
        or addr.is_unspecified
        or not addr.is_global  # e.g. 100.64.0.0/10 (carrier-grade NAT)
    )
    return "a private address" if bad else None


def check_url(url: httpx.URL, policy: FetchPolicy, where: str) -> None:
    """Raise FetchError unless ``url`` is http(s) and (unless allowed) resolves only to
    public addresses."""
    if url.scheme not in ("http", "https"):
        raise FetchError(where, f"{url} is not an http(s) URL", "pass an http:// or https:// URL")
    host = url.host
    if not host:
        raise FetchError(where, f"{url} has no host name", "check the URL")
    if policy.allow_private:
        return
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(
            where, f"cannot resolve host {host} ({exc})", "check the URL and your network"
        ) from exc
    for info in infos:
        ip = str(info[4][0])
        why = check_address(ip)
        if why:
            raise FetchError(
                where,
                f"{host} resolves to {ip}, {why}",
                "pass --allow-private to fetch it",
            )


def fetch_url(url: str, policy: FetchPolicy, meta: MetaStore | None = None) -> Fetched:
    """GET ``url`` following up to 5 redirects, each hop checked; raise FetchError on failure.

    The returned ``validators`` should be stored with ``meta.set_meta(meta_key(url), ...)``
    once the response has been used (``read_sources`` does this after the last document).
    """
    try:
        current = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError(url, f"not a valid URL ({exc})", "check the URL") from exc
    cached = _load_validators(meta, url)
    headers = {"User-Agent": policy.user_agent, "Accept": "*/*"}
    with httpx.Client(timeout=policy.timeout, follow_redirects=False, headers=headers) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(current, policy, url)
            conditional = _conditional_headers(cached, str(current))
            result = _get_with_retries(client, current, conditional, policy, url)
            if isinstance(result, httpx.URL):
                current = result
                continue
            return result
    raise FetchError(
        url, f"more than {MAX_REDIRECTS} redirects", "pass the final URL of the page instead"
    )


def _load_validators(meta: MetaStore | None, url: str) -> dict[str, str]:
    if meta is None:
        return {}
    raw = meta.get_meta(meta_key(url))
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}  # a damaged cache entry only costs one unconditional GET
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def _conditional_headers(cached: dict[str, str], current: str) -> dict[str, str]:
    # validators belong to the final URL they were served for
    if not cached or cached.get("url") != current:
        return {}
    out = {}
    if cached.get("etag"):
        out["If-None-Match"] = cached["etag"]
    if cached.get("last_modified"):
        out["If-Modified-Since"] = cached["last_modified"]
    return out


def _get_with_retries(
    client: httpx.Client,
    current: httpx.URL,
    headers: dict[str, str],
    policy: FetchPolicy,
    where: str,
) -> Fetched | httpx.URL:
    """One hop: a Fetched, or the next URL of a redirect."""
    attempts = max(0, policy.retries) + 1
    for attempt in range(attempts):
        last = attempt == attempts - 1
        try:
            result = _get_once(client, current, headers, policy, where)
        except httpx.TransportError as exc:
            if last:
                what = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
                raise FetchError(
                    where,
                    f"connection to {current.host} {what} after {attempts} attempt(s) "
                    f"({type(exc).__name__}: {exc})",
                    "check the URL and your network, or raise --timeout / --retries",
                ) from exc
            _sleep(policy, attempt, None)
            continue
        except httpx.DecodingError as exc:
            raise FetchError(
                where,
                f"the response from {current} is not decodable ({exc})",
                "the server sent a damaged compressed body; try again later",
            ) from exc
        if isinstance(result, _Retry) and not last:
            _sleep(policy, attempt, result.retry_after)
            continue
        if isinstance(result, _Retry):
            raise FetchError(
                where,
                f"HTTP {result.status} from {current} after {attempts} attempt(s)",
                "try again later, or raise --retries",
            )
        return result
    raise AssertionError("unreachable")  # the loop always returns or raises


@dataclass(frozen=True, slots=True)
class _Retry:
    status: int
    retry_after: float | None


def _get_once(
    client: httpx.Client,
    current: httpx.URL,
    headers: dict[str, str],
    policy: FetchPolicy,
    where: str,
) -> Fetched | httpx.URL | _Retry:
    with client.stream("GET", current, headers=headers) as resp:
        status = resp.status_code
        if status in _REDIRECTS:
            return _redirect_target(resp, current, where)
        if status == 429 or status >= 500:
            return _Retry(status, _retry_after(resp.headers.get("Retry-After")))
        if status == 304:
            return Fetched(str(current), 304)
        if status >= 400 or status < 200:
            reason = resp.reason_phrase or ""
            raise FetchError(
                where,
                f"HTTP {status} {reason}".rstrip() + f" from {current}",
                "check the URL (the server refused or does not have it)",
            )
        data = _read_capped(resp, policy.max_bytes, where)
        return Fetched(
            str(current),
            status,
            data,
            resp.headers.get("Content-Type"),
            _validators(resp, str(current)),
        )


def _redirect_target(resp: httpx.Response, current: httpx.URL, where: str) -> httpx.URL:
    location = resp.headers.get("Location")
    if not location:
        raise FetchError(
            where, f"HTTP {resp.status_code} redirect without a Location", "check the URL"
        )
    try:
        return current.join(location)
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError(
            where, f"redirect to an invalid URL {location!r}", "check the URL"
        ) from exc


def _read_capped(resp: httpx.Response, cap: int, where: str) -> bytes:
    """The (decoded) body, aborting as soon as it passes ``cap`` bytes."""
    fix = "raise --max-bytes to fetch it"
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise FetchError(
            where, f"response is {int(declared):,} bytes, over the cap of {cap:,} bytes", fix
        )
    chunks: list[bytes] = []
    total = 0
    for chunk in resp.iter_bytes():
        total += len(chunk)
        if total > cap:
            raise FetchError(where, f"response is over the cap of {cap:,} bytes", fix)
        chunks.append(chunk)
    return b"".join(chunks)


def _validators(resp: httpx.Response, url: str) -> str | None:
    etag = resp.headers.get("ETag")
    modified = resp.headers.get("Last-Modified")
    if not etag and not modified:
        return None
    return json.dumps({"url": url, "etag": etag, "last_modified": modified})


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return min(float(value.strip()), _RETRY_AFTER_CAP)
    return None  # HTTP-date form: fall back to our own backoff


def _sleep(policy: FetchPolicy, attempt: int, retry_after: float | None) -> None:
    delay = policy.backoff * (2**attempt)
    time.sleep(max(delay, retry_after or 0.0))
