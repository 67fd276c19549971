"""The FastAPI app: thin views over ``api`` (writes) and a snapshot of the store (reads).

Pages are the HTML report's renderers (``report/html/``) over the read model
(``readmodel.py``), the API's records are the export contract's (``contract.py``); this module
only routes, guards and renders errors.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from html import escape
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any
from urllib.parse import urlencode

import anyio
import httpx
from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import FetchError, InputError, NewslineageError
from ..ingest import IngestOptions, read_sources
from ..ingest.fetch import FetchPolicy, check_url
from ..model import Document, Skipped
from ..report.html import (
    Links,
    render_article,
    render_index,
    render_outlets,
    render_story,
)
from ..text.dates import as_utc
from ..text.display import visible_text
from .apidocs import render_docs
from .feed import originals_feed
from .guards import BodyLimit, HostCheck, SecurityHeaders, token_matches
from .jobs import Job
from .records import (
    Snapshot,
    api_path,
    article_record,
    lineage_record,
    outlet_record,
    story_detail,
    story_record,
)
from .state import AppState

LINKS = Links(
    prefix="/",
    index_page="",
    story_page="stories/{id}",
    article_page="articles/{id}",
    outlets_page="outlets",
)
FETCH_CAP = 10_000_000  # bytes fetched for one submitted URL
# pages load nothing from elsewhere (same policy as the report's <meta>, plus framing)
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_API_PREFIXES = ("/api/", "/feeds/", "/openapi", "/docs", "/redoc")


class ErrorBody(BaseModel):
    """Every error: where, what went wrong, and what to do about it."""

    error: str = Field(examples=["abc: no article with this id; list them at /api/articles"])


class Submission(BaseModel):
    """An article to add: ``{url}``, ``{html, url?}`` or ``{text, title?}``."""

    model_config = ConfigDict(extra="forbid")
    url: str | None = Field(None, max_length=4096, description="page to fetch, or the html's URL")
    html: str | None = Field(None, description="the page's HTML")
    text: str | None = Field(None, description="the article as plain text")
    title: str | None = Field(None, max_length=2000, description="title for html or text")
    outlet: str | None = Field(None, max_length=300, description="outlet label (else from the URL)")
    published: datetime | None = Field(None, description="publication time, ISO 8601")

    @model_validator(mode="after")
    def _one_kind(self) -> Submission:
        if self.html is not None and self.text is not None:
            raise ValueError("send either html or text, not both")
        if self.html is None and self.text is None and not self.url:
            raise ValueError("send {url}, {html, url?} or {text, title?}")
        if self.url is not None and not self.url.lower().startswith(("http://", "https://")):
            raise ValueError("url must be an http:// or https:// URL")
        if self.html is None and self.text is None and (self.title or self.published):
            raise ValueError("title and published go with html or text; a URL's page has its own")
        return self


def _version() -> str:
    try:
        return version("newslineage")
    except PackageNotFoundError:
        return "0"


def build_app(
    store_url: str | None,
    *,
    token: str | None,
    max_body: int,
    allow_private: bool,
    allowed_hosts: Sequence[str] | None,
) -> FastAPI:
    """See :func:`newslineage.web.create_app`."""
    state = AppState(store_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state.start()
        yield
        state.close()

    app = FastAPI(
        title="newslineage",
        version=_version(),
        description="Which articles tell the same story, which were made from which, the "
        "original, and what each copy changed. Errors are JSON `{error}` naming the fix.",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: see apidocs.py
        redoc_url=None,
    )
    app.state.newslineage = state
    _add_error_handlers(app)
    _add_pages(app, state)
    _add_docs(app)
    _add_read_api(app, state)
    _add_write_api(app, state, token=token, allow_private=allow_private)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_body=max_body)
    if allowed_hosts:
        app.add_middleware(HostCheck, allowed=allowed_hosts)
    return app


# --- errors -------------------------------------------------------------------------------


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(_API_PREFIXES)


def _error(request: Request, status: int, message: str, headers: Any = None) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    page = (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Error · newslineage"
        f'</title></head><body><h1>{status}</h1><p class="error">{escape(visible_text(message))}</p>'
        '<p><a href="/">Back to the stories</a></p></body></html>'
    )
    return HTMLResponse(page, status_code=status, headers={"content-security-policy": PAGE_CSP})


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"{request.url.path}: no such page; see / for the pages and /docs for the API"
        elif exc.status_code == 405:
            message = f"{request.method} {request.url.path}: method not allowed; see /docs"
        return _error(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = [
            f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
            for e in exc.errors()
        ]
        message = "; ".join(parts) + "; see /docs for the request format"
        return _error(request, 422, message)

    @app.exception_handler(NewslineageError)
    async def library_error(request: Request, exc: NewslineageError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> Response:
        return _error(
            request,
            500,
            f"{request.url.path}: internal error ({type(exc).__name__}); this is a bug in "
            "newslineage, please report it with the request",
        )


def _not_found(exc: InputError) -> HTTPException:
    return HTTPException(404, str(exc))


# --- pages --------------------------------------------------------------------------------


def _page(html_text: str) -> HTMLResponse:
    return HTMLResponse(html_text, headers={"content-security-policy": PAGE_CSP})


_PAGE_METHODS = ["GET", "HEAD"]  # HEAD: link checkers and uptime probes


def _add_pages(app: FastAPI, state: AppState) -> None:
    @app.api_route("/", methods=_PAGE_METHODS, response_class=HTMLResponse, include_in_schema=False)
    def index_page() -> HTMLResponse:
        return _page(render_index(state.snapshot().data, LINKS))

    @app.api_route(
        "/outlets", methods=_PAGE_METHODS, response_class=HTMLResponse, include_in_schema=False
    )
    def outlets_page() -> HTMLResponse:
        return _page(render_outlets(state.snapshot().data, LINKS))

    @app.api_route(
        "/stories/{story_id}",
        methods=_PAGE_METHODS,
        response_class=HTMLResponse,
        include_in_schema=False,
    )
    def story_page(story_id: str) -> HTMLResponse:
        try:
            return _page(render_story(state.snapshot().data, story_id, LINKS))
        except InputError as exc:
            raise _not_found(exc) from None

    @app.api_route(
        "/articles/{article_id}",
        methods=_PAGE_METHODS,
        response_class=HTMLResponse,
        include_in_schema=False,
    )
    def article_page(article_id: str) -> HTMLResponse:
        snap = state.snapshot()
        try:
            return _page(render_article(snap.data, _resolve(snap, article_id), LINKS))
        except InputError as exc:
            raise _not_found(exc) from None


def _resolve(snap: Snapshot, ref: str) -> str:
    """An article id from an id or a unique id prefix (as the CLI accepts)."""
    if ref in snap.data.articles:
        return ref
    found = [i for i in snap.data.articles if i.startswith(ref)] if len(ref) >= 4 else []
    if len(found) == 1:
        return found[0]
    if found:
        raise HTTPException(409, f"{ref}: matches {len(found)} articles; give more characters")
    raise HTTPException(404, f"{ref}: no article with this id; list them at /api/articles")


def _add_docs(app: FastAPI) -> None:
    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page() -> HTMLResponse:
        return _page(render_docs(app.openapi()))


# --- read API -----------------------------------------------------------------------------

_ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}}


def _add_read_api(app: FastAPI, state: AppState) -> None:
    @app.get("/api/articles", tags=["articles"], responses=_ERRORS)
    def list_articles(
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        outlet: str | None = None,
    ) -> dict[str, Any]:
        """Articles in ingestion order, a page at a time (bodies left out: see one article)."""
        snap = state.snapshot()
        every = [a for a in snap.data.articles.values() if outlet is None or a.outlet == outlet]
        page = every[offset : offset + limit]
        more = offset + limit < len(every)
        query = {"offset": offset + limit, "limit": limit}
        if outlet is not None:
            query["outlet"] = outlet
        nxt = f"/api/articles?{urlencode(query)}" if more else None
        return {
            "total": len(every),
            "offset": offset,
            "limit": limit,
            "next": nxt,
            "items": [article_record(snap, a, full=False) for a in page],
        }

    @app.get("/api/articles/{article_id}", tags=["articles"], responses=_ERRORS)
    def get_article(article_id: str) -> dict[str, Any]:
        """One article as exported, with its text (id or unique id prefix)."""
        snap = state.snapshot()
        return article_record(snap, snap.data.article(_resolve(snap, article_id)))

    @app.get("/api/articles/{article_id}/lineage", tags=["articles"], responses=_ERRORS)
    def get_lineage(article_id: str) -> dict[str, Any]:
        """The article's sources, the articles derived from it, its story and findings."""
        snap = state.snapshot()
        return lineage_record(snap, _resolve(snap, article_id))

    @app.get("/api/stories", tags=["stories"])
    def list_stories() -> dict[str, Any]:
        """Every story with its articles, original and external origin."""
        stories = sorted(state.snapshot().data.stories, key=lambda s: s.id)
        return {"total": len(stories), "items": [story_record(s) for s in stories]}

    @app.get("/api/stories/{story_id}", tags=["stories"], responses=_ERRORS)
    def get_story(story_id: str) -> dict[str, Any]:
        """One story, its articles, the relations among them and their findings."""
        snap = state.snapshot()
        try:
            return story_detail(snap, snap.data.story(story_id))
        except InputError as exc:
            raise _not_found(exc) from None

    @app.get("/api/outlets", tags=["outlets"])
    def list_outlets() -> dict[str, Any]:
        """Outlet profiles: share original / derived, attribution rate, lag, content farms."""
        outlets = sorted(state.snapshot().data.outlets, key=lambda o: o.outlet)
        return {"total": len(outlets), "items": [outlet_record(o) for o in outlets]}

    @app.get(
        "/feeds/originals.xml",
        tags=["feeds"],
        response_class=Response,
        responses={200: {"content": {"application/atom+xml": {}}}},
    )
    def originals(request: Request) -> Response:
        """Atom feed with one entry per story, linking its original (else its earliest).

        Answers ``If-None-Match`` with 304, so polling feed readers cost little."""
        data = state.snapshot().data
        body = originals_feed(data.stories, data.articles, str(request.base_url))
        etag = f'"{hashlib.sha256(body).hexdigest()[:20]}"'
        headers = {"etag": etag, "cache-control": "no-cache"}
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/atom+xml; charset=utf-8", headers=headers)

    # feed readers probe with HEAD; one documented operation is enough
    app.add_api_route("/feeds/originals.xml", originals, methods=["HEAD"], include_in_schema=False)


# --- write API ----------------------------------------------------------------------------


def _add_write_api(
    app: FastAPI, state: AppState, *, token: str | None, allow_private: bool
) -> None:
    bearer = HTTPBearer(auto_error=False, description="needed when the server has a token")

    def authorised(
        request: Request,
        _: HTTPAuthorizationCredentials | None = Depends(bearer),  # documents the scheme
    ) -> None:
        if token is not None and not token_matches(request.headers.get("authorization"), token):
            raise HTTPException(
                401,
                "Authorization: missing or wrong token; send 'Authorization: Bearer <token>' "
                "with the token the server was started with",
                headers={"WWW-Authenticate": "Bearer"},
            )

    responses: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorBody} for code in (401, 403, 413, 422)
    }

    @app.post(
        "/api/articles",
        tags=["articles"],
        status_code=201,
        responses={
            200: {"description": "already stored, unchanged: its lineage"},
            201: {"description": "stored and analysed: its lineage"},
            202: {"description": "stored; analysis still running: poll the Location"},
            503: {"model": ErrorBody, "description": "the server is stopping; retry"},
            **responses,
        },
        dependencies=[Depends(authorised)],
    )
    async def submit_article(
        body: Submission,
        response: Response,
        wait: Annotated[float, Query(ge=0, le=60, description="seconds to wait for analysis")] = 20,
    ) -> dict[str, Any]:
        """Add an article (``{url}``, ``{html, url?}`` or ``{text, title?}``) and queue an
        analysis of the store. Answers with the article's lineage (201, or 200 when it was
        already stored) once analysed within ``wait`` seconds, else 202 with a ``Location``
        (``/api/jobs/{id}``) to poll. Reads are never held up by the analysis."""
        if state.analyst.stopping:
            raise HTTPException(503, "the server is stopping; send the article again shortly")
        if state.limiter is None:  # made here: anyio needs the running event loop
            state.limiter = anyio.CapacityLimiter(WRITERS)
        job = await anyio.to_thread.run_sync(
            _store, state, body, allow_private, limiter=state.limiter
        )
        status = await _await_job(state, job, wait)
        if status == "done" or status == "failed":
            out = lineage_record(state.snapshot(), job.article_ids[0])
            out["ingest"] = job.ingest
            out["analysis"] = _job_record(state, job)
            if not job.ingest["new"] and not job.ingest["versions"]:
                response.status_code = 200
            return out
        location = f"/api/jobs/{job.id}"
        response.status_code = 202
        response.headers["location"] = location
        return {**_job_record(state, job), "ingest": job.ingest}

    @app.get("/api/jobs/{job_id}", tags=["articles"], responses=_ERRORS)
    def get_job(job_id: int) -> dict[str, Any]:
        """Where a POST answered 202: ``queued``, ``running``, ``done`` (see ``lineage``)
        or ``failed`` (with ``error``; the article stays stored and the next POST retries)."""
        job = state.jobs.get(job_id)
        if job is None:
            raise HTTPException(
                404,
                f"{job_id}: no such job (jobs are kept in memory until the server restarts); "
                "a stored article's lineage is at /api/articles/{id}/lineage",
            )
        return _job_record(state, job)


WRITERS = 2  # POSTs storing at once (ingestion is serial anyway); reads keep their own threads
_POLL_S = 0.05


def _store(state: AppState, body: Submission, allow_private: bool) -> Job:
    """Fetch (if a URL), store and ask for an analysis: the job to wait for."""
    items = _read_submission(body, allow_private)
    result, pending = state.ingest(items, body.outlet)
    if not result.article_ids:
        reasons = "; ".join(str(s) for s in result.skipped) or "nothing to ingest"
        raise HTTPException(422, f"{reasons} (no article was added)")
    generation = state.analyst.request() if pending else 0
    ingest = {
        "new": result.new,
        "versions": result.versions,
        "unchanged": result.unchanged,
        "article_ids": result.article_ids,
        "skipped": [str(s) for s in result.skipped],
    }
    return state.jobs.add(result.article_ids, generation, ingest)


async def _await_job(state: AppState, job: Job, wait: float) -> str:
    """The job's analysis status after at most ``wait`` seconds (polled: no thread held)."""
    deadline = time.monotonic() + wait
    while True:
        status, _ = state.analyst.status(job.generation)
        if status in ("done", "failed") or state.analyst.stopping:
            return status
        if time.monotonic() >= deadline:
            return status
        await anyio.sleep(_POLL_S)


def _job_record(state: AppState, job: Job) -> dict[str, Any]:
    status, error = state.analyst.status(job.generation)
    return {
        "job": job.id,
        "href": f"/api/jobs/{job.id}",
        "status": status,
        "error": error or None,
        "article_ids": list(job.article_ids),
        "lineage": [f"{api_path('articles', i)}/lineage" for i in job.article_ids],
    }


def _read_submission(body: Submission, allow_private: bool) -> list[Document | Skipped]:
    """The submission as documents; a URL is fetched here, outside the store lock."""
    if body.html is not None or body.text is not None:
        return [_posted_document(body)]
    url = body.url or ""
    try:  # checked here too so the refusal names the server's rule, not a CLI flag
        check_url(httpx.URL(url), FetchPolicy(allow_private=allow_private), url)
    except FetchError as exc:
        if "private address" not in exc.problem:
            raise HTTPException(422, str(exc)) from None
        fix = "this server does not fetch private addresses (an operator can allow them)"
        raise HTTPException(403, f"{exc.where}: {exc.problem}; {fix}") from None
    except httpx.InvalidURL:
        raise HTTPException(422, f"{url}: not a valid URL; check it") from None
    options = IngestOptions(allow_private=allow_private, max_bytes=FETCH_CAP, retries=1)
    return list(read_sources([url], options))


def _posted_document(body: Submission) -> Document:
    is_html = body.html is not None
    content = (body.html if is_html else body.text) or ""
    # a name per content: two different posted texts are two articles, not two versions
    digest = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return Document(
        origin=f"submitted-{digest}.{'html' if is_html else 'txt'}",
        body=content,
        body_is_html=is_html,
        kind="html" if is_html else "text",
        url=body.url,
        title=body.title,
        outlet=body.outlet,
        published=as_utc(body.published),
        raw=content.encode("utf-8", "surrogatepass"),
    )
